//! Loading only the font faces the templates use, once per process.
//!
//! A Noto CJK collection (`.ttc`) holds ten faces (JP, KR, SC, TC, HK, each
//! proportional and monospaced) and parsing every face costs 40-90 ms. We read
//! just the table directory and `name` table of each face (a few KB per file),
//! keep the faces whose family is asked for, and only then read and parse them.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// Debian's `fonts-noto-cjk` directory, the default for development and tests.
pub const DEV_FONT_DIR: &str = "/usr/share/fonts/opentype/noto";

/// The environment variable that [`FontSource::from_env`] reads.
pub const FONT_DIR_ENV: &str = "STANDING_FONT_DIR";

/// Faces the shipped templates use.
pub const DEFAULT_FACES: &[&str] = &["Noto Serif CJK SC:Regular"];

/// Where fonts come from: a directory and the faces to load from it.
///
/// Files directly in `dir` ending in `.otf`, `.ttf`, `.otc` or `.ttc` are
/// considered. A face is loaded when it matches one of the `faces` specs,
/// written `Family` (every style of the family) or `Family:Style`
/// (e.g. `Noto Serif CJK SC:Regular`). The family is compared with the
/// typographic family (name ID 16) and the family (name ID 1), the style with
/// the typographic subfamily (ID 17) and the subfamily (ID 2), in any language,
/// ASCII case-insensitively. Nothing else in the directory is parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontSource {
    dir: PathBuf,
    faces: Vec<String>,
}

impl FontSource {
    /// Loads the faces matching `faces` (specs as above) from the files in `dir`.
    pub fn new(
        dir: impl Into<PathBuf>,
        faces: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut faces: Vec<String> = faces.into_iter().map(Into::into).collect();
        faces.sort();
        faces.dedup();
        Self {
            dir: dir.into(),
            faces,
        }
    }

    /// Loads the faces the shipped templates use ([`DEFAULT_FACES`]) from `dir`.
    pub fn dir(dir: impl Into<PathBuf>) -> Self {
        Self::new(dir, DEFAULT_FACES.iter().copied())
    }

    /// [`FontSource::dir`] of `$STANDING_FONT_DIR`, or of [`DEV_FONT_DIR`] when unset.
    pub fn from_env() -> Self {
        match std::env::var_os(FONT_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Self::dir(PathBuf::from(dir)),
            _ => Self::dir(DEV_FONT_DIR),
        }
    }

    /// The font directory.
    pub fn font_dir(&self) -> &Path {
        &self.dir
    }

    /// The face specs that are loaded.
    pub fn faces(&self) -> &[String] {
        &self.faces
    }
}

/// Fonts could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The font directory could not be read.
    #[error("cannot read font directory {dir}: {source}")]
    Dir {
        /// The directory.
        dir: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A font file could not be read.
    #[error("cannot read font file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// No face matching the specs was found in the directory.
    #[error("no font face matching {faces:?} in {dir}")]
    NotFound {
        /// The directory.
        dir: PathBuf,
        /// The face specs asked for.
        faces: Vec<String>,
    },
}

/// The loaded faces and their book.
pub(crate) struct FontSet {
    pub(crate) book: LazyHash<FontBook>,
    pub(crate) fonts: Vec<Font>,
}

static CACHE: LazyLock<Mutex<HashMap<FontSource, Arc<FontSet>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The faces of `source`, loaded at most once per process (failures are not cached).
pub(crate) fn load_cached(source: &FontSource) -> Result<Arc<FontSet>, FontError> {
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(set) = cache.get(source) {
        return Ok(Arc::clone(set));
    }
    let set = Arc::new(load(source)?);
    cache.insert(source.clone(), Arc::clone(&set));
    Ok(set)
}

fn load(source: &FontSource) -> Result<FontSet, FontError> {
    let entries = std::fs::read_dir(&source.dir).map_err(|e| FontError::Dir {
        dir: source.dir.clone(),
        source: e,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "otf" | "ttf" | "otc" | "ttc"
                )
            })
        })
        .collect();
    // Deterministic order, so the book (and the PDF) is the same on every start.
    paths.sort();

    let mut fonts = Vec::new();
    for path in paths {
        let file_err = |e| FontError::File {
            path: path.clone(),
            source: e,
        };
        let mut file = File::open(&path).map_err(file_err)?;
        let indices = match matching_faces(&mut file, &source.faces) {
            Ok(indices) => indices,
            // Not a font we can read: skip it rather than fail the whole set.
            Err(_) => continue,
        };
        if indices.is_empty() {
            continue;
        }
        let mut data = Vec::new();
        file.seek(SeekFrom::Start(0)).map_err(file_err)?;
        file.read_to_end(&mut data).map_err(file_err)?;
        let bytes = Bytes::new(data);
        fonts.extend(
            indices
                .into_iter()
                .filter_map(|i| Font::new(bytes.clone(), i)),
        );
    }
    if fonts.is_empty() {
        return Err(FontError::NotFound {
            dir: source.dir.clone(),
            faces: source.faces.clone(),
        });
    }
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Ok(FontSet { book, fonts })
}

/// Indices of the faces in an OpenType file or collection that match a spec.
fn matching_faces(file: &mut File, specs: &[String]) -> std::io::Result<Vec<u32>> {
    let header = read_at(file, 0, 12)?;
    let offsets: Vec<u64> = if &header[0..4] == b"ttcf" {
        let count = be_u32(&header, 8) as usize;
        if count > 256 {
            return Err(invalid("too many faces"));
        }
        let table = read_at(file, 12, count * 4)?;
        (0..count)
            .map(|i| u64::from(be_u32(&table, i * 4)))
            .collect()
    } else {
        vec![0]
    };
    let mut found = Vec::new();
    for (index, offset) in offsets.into_iter().enumerate() {
        let names = face_names(file, offset)?;
        if specs.iter().any(|spec| names.matches(spec)) {
            found.push(u32::try_from(index).map_err(|_| invalid("face index"))?);
        }
    }
    Ok(found)
}

/// Family and style names of one face.
#[derive(Debug, Default)]
struct FaceNames {
    /// Name IDs 1 and 16.
    families: Vec<String>,
    /// Name IDs 2 and 17.
    styles: Vec<String>,
}

impl FaceNames {
    fn matches(&self, spec: &str) -> bool {
        let (family, style) = match spec.rsplit_once(':') {
            Some((family, style)) => (family.trim(), Some(style.trim())),
            None => (spec.trim(), None),
        };
        let eq = |list: &[String], want: &str| list.iter().any(|n| n.eq_ignore_ascii_case(want));
        eq(&self.families, family) && style.is_none_or(|s| eq(&self.styles, s))
    }
}

/// Names of the face whose table directory is at `offset`.
fn face_names(file: &mut File, offset: u64) -> std::io::Result<FaceNames> {
    let dir = read_at(file, offset, 12)?;
    let num_tables = usize::from(be_u16(&dir, 4));
    let records = read_at(file, offset + 12, num_tables * 16)?;
    let name = (0..num_tables)
        .map(|i| &records[i * 16..i * 16 + 16])
        .find(|r| &r[0..4] == b"name")
        .ok_or_else(|| invalid("no name table"))?;
    let (start, len) = (u64::from(be_u32(name, 8)), be_u32(name, 12) as usize);
    if len > 1 << 20 {
        return Err(invalid("name table too large"));
    }
    let table = read_at(file, start, len)?;
    parse_names(&table).ok_or_else(|| invalid("bad name table"))
}

fn parse_names(table: &[u8]) -> Option<FaceNames> {
    let count = usize::from(be_u16(table.get(0..6)?, 2));
    let storage = usize::from(be_u16(table.get(0..6)?, 4));
    let mut names = FaceNames::default();
    for i in 0..count {
        let rec = table.get(6 + i * 12..6 + i * 12 + 12)?;
        let (platform, encoding, name_id) = (be_u16(rec, 0), be_u16(rec, 2), be_u16(rec, 6));
        if !matches!(name_id, 1 | 2 | 16 | 17) {
            continue;
        }
        let (len, off) = (usize::from(be_u16(rec, 8)), usize::from(be_u16(rec, 10)));
        let raw = table.get(storage + off..storage + off + len)?;
        let text = match (platform, encoding) {
            // Unicode, or Windows Unicode BMP / full repertoire: UTF-16BE.
            (0, _) | (3, 1) | (3, 10) => {
                let units: Vec<u16> = raw
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            }
            // Macintosh Roman: family names are ASCII in practice.
            (1, 0) => raw.iter().map(|&b| char::from(b)).collect(),
            _ => continue,
        };
        if matches!(name_id, 1 | 16) {
            names.families.push(text);
        } else {
            names.styles.push(text);
        }
    }
    Some(names)
}

fn read_at(file: &mut File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0; len];
    file.read_exact(&mut buf)?;
    Ok(buf)
}

fn be_u16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be_u32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned())
}
