//! Typst world and the PDF renderer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::fonts::{FontError, FontSet, load_cached};
use crate::{
    CertificateFields, CreditReportFields, FieldError, FontSource, QrError, Seal, Signature, qr_svg,
};

/// How many pages a template may produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pages {
    /// A certificate: exactly one.
    One,
    /// A report: as many as its events need.
    AtLeastOne,
}

/// One document to compile: the template, the JSON it reads and where, the URL
/// of its QR code, the seal, the date it is dated, its PDF document ID.
struct Document<'a> {
    template: &'a str,
    data_path: &'static str,
    data: Vec<u8>,
    verify_url: &'a str,
    seal: Option<&'a Seal>,
    date: NaiveDate,
    ident: String,
    pages: Pages,
}

/// Virtual path of the certificate data (JSON) that templates read with `json(..)`.
pub const DATA_PATH: &str = "/standing/certificate.json";
/// Virtual path of the credit report data (JSON) that the report template reads.
pub const REPORT_DATA_PATH: &str = "/standing/credit-report.json";
/// Virtual path of the QR code (SVG) that templates show with `image(..)`.
pub const QR_PATH: &str = "/standing/qr.svg";
/// Virtual path of the issuer's seal when it is a PNG (`data.seal` names the one given).
pub const SEAL_PNG_PATH: &str = "/standing/seal.png";
/// Virtual path of the issuer's seal when it is an SVG.
pub const SEAL_SVG_PATH: &str = "/standing/seal.svg";

/// Rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The templates directory does not exist or is not a directory.
    #[error("templates directory {0} is not a directory")]
    TemplatesDir(PathBuf),
    /// The template name is not `[a-z0-9_-]{1,64}`.
    #[error("invalid template name {0:?}: use 1-64 of a-z, 0-9, '-' and '_'")]
    TemplateName(String),
    /// The template file could not be read.
    #[error("cannot read template {path}: {source}")]
    Template {
        /// The template file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Fonts could not be loaded.
    #[error(transparent)]
    Font(#[from] FontError),
    /// The fields cannot be printed.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The QR code could not be made.
    #[error(transparent)]
    Qr(#[from] QrError),
    /// The template did not compile (messages with their template line).
    #[error("template {template} failed: {}", .messages.join("; "))]
    Compile {
        /// The template name.
        template: String,
        /// Typst's error messages.
        messages: Vec<String>,
    },
    /// A certificate template produced a number of pages other than one (or a
    /// report template none).
    #[error("template {template} produced {pages} pages, expected exactly one")]
    PageCount {
        /// The template name.
        template: String,
        /// Pages produced.
        pages: usize,
    },
    /// PDF export failed (e.g. the page violates PDF/A-2b).
    #[error("PDF export failed: {}", .0.join("; "))]
    Pdf(Vec<String>),
}

/// A status printed across a certificate that is no longer valid (revoked,
/// superseded, expired): templates read it as `data.stamp` (absent when the
/// certificate is valid). It is not part of the signed fields: the record's
/// version, which is signed, changes with every change of status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusStamp {
    /// Stable code, e.g. `revoked`.
    pub code: String,
    /// Large text of the stamp, e.g. `已撤销`.
    pub label: String,
    /// One line under it, e.g. `撤销日期：2027年1月5日`.
    pub note: String,
}

/// What a render prints besides the signed fields: a status stamp (a certificate
/// that is no longer valid) and the issuer's seal. Neither is signed: the stamp
/// follows the record's status (its version is signed), the seal is the issuer's
/// picture of its own name.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub stamp: Option<&'a StatusStamp>,
    pub seal: Option<&'a Seal>,
}

/// Renders certificates from Typst templates in a directory.
///
/// Construction is cheap and reads no font file (nor builds typst's standard
/// library): both are made on the first render (or by [`Renderer::preload`]),
/// once, whichever thread gets there first; the fonts are cached for the whole
/// process, keyed by [`FontSource`]. A font directory that cannot be read is
/// therefore an error of the first render ([`RenderError::Font`]), not of
/// [`Renderer::new`]. Templates are read from disk on every render, so an
/// edited template takes effect without a restart; a template file whose text
/// is unchanged is not parsed again. A `Renderer` is
/// `Send + Sync`: keep one per process.
pub struct Renderer {
    fonts: FontSource,
    templates_dir: PathBuf,
    loaded: OnceLock<Arc<FontSet>>,
    library: OnceLock<LazyHash<Library>>,
    sources: SourceCache,
}

/// The parsed template files (`.typ`) of the renders so far, by file.
///
/// A render still reads every template file from disk, but hands typst the
/// parsed [`Source`] it kept when the text is the same: parsing the template and
/// `layout.typ` again took about a tenth of a warm render (profiled 2026-12-06),
/// and an unchanged `Source` (same value, hash already computed) lets comemo
/// reuse its evaluated module. An edited file is parsed afresh. Bounded by the
/// number of template files in the directory.
#[derive(Default)]
struct SourceCache(Mutex<HashMap<FileId, Source>>);

impl SourceCache {
    /// The parsed source of `id` with this text: the kept one if its text is the
    /// same, else a new parse (which is then kept).
    fn get(&self, id: FileId, text: String) -> Source {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(source) = cache.get(&id).filter(|s| s.text() == text) {
            return source.clone();
        }
        let source = Source::new(id, text);
        cache.insert(id, source.clone());
        source
    }
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("fonts", &self.fonts)
            .field("templates_dir", &self.templates_dir)
            .field("fonts_loaded", &self.fonts_loaded())
            .finish()
    }
}

impl Renderer {
    /// Makes a renderer; fails only if `templates_dir` is not a directory.
    pub fn new(fonts: FontSource, templates_dir: impl Into<PathBuf>) -> Result<Self, RenderError> {
        let templates_dir = templates_dir.into();
        if !templates_dir.is_dir() {
            return Err(RenderError::TemplatesDir(templates_dir));
        }
        Ok(Self {
            fonts,
            templates_dir,
            loaded: OnceLock::new(),
            library: OnceLock::new(),
            sources: SourceCache::default(),
        })
    }

    /// The directory templates are read from.
    pub fn templates_dir(&self) -> &Path {
        &self.templates_dir
    }

    /// Loads the fonts (and builds typst's standard library) now instead of on
    /// the first render, e.g. before timing warm renders. The certificate
    /// function does not call it: most of its requests never render.
    pub fn preload(&self) -> Result<(), RenderError> {
        self.library();
        self.font_set().map(|_| ())
    }

    /// Whether the fonts are loaded (by a render or [`Renderer::preload`]).
    pub fn fonts_loaded(&self) -> bool {
        self.loaded.get().is_some()
    }

    fn library(&self) -> &LazyHash<Library> {
        self.library
            .get_or_init(|| LazyHash::new(Library::builder().build()))
    }

    fn font_set(&self) -> Result<&Arc<FontSet>, RenderError> {
        if let Some(set) = self.loaded.get() {
            return Ok(set);
        }
        let set = load_cached(&self.fonts)?;
        Ok(self.loaded.get_or_init(|| set))
    }

    /// Renders `templates_dir/<template>.typ` for `fields` into a one-page
    /// PDF/A-2b. The signature is passed to the template, which may print it.
    ///
    /// The same inputs give the same bytes.
    pub fn render_pdf(
        &self,
        template: &str,
        fields: &CertificateFields,
        signature: &Signature,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_pdf_stamped(template, fields, signature, None)
    }

    /// Like [`Renderer::render_pdf`], with a status stamp for a certificate
    /// that is no longer valid (`data.stamp` in the template).
    pub fn render_pdf_stamped(
        &self,
        template: &str,
        fields: &CertificateFields,
        signature: &Signature,
        stamp: Option<&StatusStamp>,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_certificate(template, fields, signature, Extras { stamp, seal: None })
    }

    /// Renders a certificate with its [`Extras`]: the status stamp and the issuer's
    /// seal (`data.seal` in the template, the seal's virtual path; absent without one).
    pub fn render_certificate(
        &self,
        template: &str,
        fields: &CertificateFields,
        signature: &Signature,
        extras: Extras<'_>,
    ) -> Result<Vec<u8>, RenderError> {
        let Extras { stamp, seal } = extras;
        fields.validate()?;
        if let Some(stamp) = stamp {
            for (name, text) in [
                ("stamp.code", &stamp.code),
                ("stamp.label", &stamp.label),
                ("stamp.note", &stamp.note),
            ] {
                if text.chars().any(char::is_control) {
                    return Err(RenderError::Field(FieldError::ControlCharacter(name)));
                }
            }
        }
        self.compile(Document {
            template,
            data_path: DATA_PATH,
            data: template_data(fields, signature, stamp, seal),
            verify_url: &fields.verify_url,
            seal,
            date: fields.issue_date,
            ident: format!("{}#{}", fields.serial, fields.version),
            pages: Pages::One,
        })
    }

    /// Renders a credit report (`templates_dir/<template>.typ`, e.g.
    /// `credit-report`) into a PDF/A-2b of one or more pages. The template reads
    /// [`REPORT_DATA_PATH`] and the QR code at [`QR_PATH`]; the signature is given to
    /// it for the PDF's metadata.
    ///
    /// The same inputs give the same bytes.
    pub fn render_report(
        &self,
        template: &str,
        fields: &CreditReportFields,
        signature: &Signature,
    ) -> Result<Vec<u8>, RenderError> {
        fields.validate()?;
        self.compile(Document {
            template,
            data_path: REPORT_DATA_PATH,
            data: report_data(fields, signature),
            verify_url: &fields.verify_url,
            seal: None,
            date: fields.issue_date,
            ident: format!("credit-report/{}#{}", fields.serial, fields.version),
            pages: Pages::AtLeastOne,
        })
    }

    /// Compiles one document of a template with its data, QR code and seal, and
    /// exports it as PDF/A-2b.
    fn compile(&self, doc: Document<'_>) -> Result<Vec<u8>, RenderError> {
        let Document {
            template,
            data_path,
            data,
            verify_url,
            seal,
            date,
            ident,
            pages: page_rule,
        } = doc;
        let path = self.template_path(template)?;
        let text = std::fs::read_to_string(&path).map_err(|e| RenderError::Template {
            path: path.clone(),
            source: e,
        })?;
        let fonts = self.font_set()?;

        let main = file_id(&format!("/{template}.typ"));
        let world = CertWorld {
            library: self.library(),
            fonts,
            root: &self.templates_dir,
            sources: &self.sources,
            main,
            main_source: self.sources.get(main, text),
            data_id: file_id(data_path),
            data: Bytes::new(data),
            qr_id: file_id(QR_PATH),
            qr: Bytes::new(qr_svg(verify_url)?),
            seal: seal.map(|s| (file_id(s.virtual_path()), Bytes::new(s.bytes().to_vec()))),
            today: to_datetime(date),
        };

        let compiled = typst::compile::<PagedDocument>(&world);
        let document = compiled.output.map_err(|errors| RenderError::Compile {
            template: template.to_owned(),
            messages: diagnostics(&world, &errors),
        });
        // Keep typst's memo cache from growing with every distinct certificate.
        comemo::evict(10);
        let document = document?;
        let pages = document.pages().len();
        if pages == 0 || (page_rule == Pages::One && pages != 1) {
            return Err(RenderError::PageCount {
                template: template.to_owned(),
                pages,
            });
        }

        let standards = PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| RenderError::Pdf(vec![e.message().to_string()]))?;
        let options = PdfOptions {
            // Stable per certificate version: same record, same document ID.
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some("Standing".to_owned())),
            // Used only when the template does not `set document(date: ..)`.
            timestamp: Some(Timestamp::new_utc(to_datetime(date))),
            standards,
            // PDF/A-2b does not require a structure tree; it costs ~4.5 KB here
            // and the certificate's accessible form is its verification page.
            tagged: false,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| {
            RenderError::Pdf(errors.iter().map(|e| e.message.to_string()).collect())
        })
    }

    fn template_path(&self, template: &str) -> Result<PathBuf, RenderError> {
        let valid = !template.is_empty()
            && template.len() <= 64
            && template
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !valid {
            return Err(RenderError::TemplateName(template.to_owned()));
        }
        Ok(self.templates_dir.join(format!("{template}.typ")))
    }
}

/// The JSON the template reads from [`DATA_PATH`].
///
/// `{"fields": {<CertificateFields, dates as YYYY-MM-DD>}, "signature": "…",
///   "issue_date_zh": "2026年1月2日", "valid_until_zh": "…",
///   "issue": {"year":…, "month":…, "day":…}, "valid_until": {…},
///   "qr": "/standing/qr.svg"}`
fn template_data(
    fields: &CertificateFields,
    signature: &Signature,
    stamp: Option<&StatusStamp>,
    seal: Option<&Seal>,
) -> Vec<u8> {
    let ymd =
        |d: NaiveDate| serde_json::json!({"year": d.year(), "month": d.month(), "day": d.day()});
    let mut data = serde_json::json!({
        "fields": fields,
        "signature": signature.as_str(),
        "issue_date_zh": chinese_date(fields.issue_date),
        "valid_until_zh": chinese_date(fields.valid_until),
        "issue": ymd(fields.issue_date),
        "valid_until": ymd(fields.valid_until),
        "qr": QR_PATH,
    });
    if let Some(stamp) = stamp {
        data["stamp"] = serde_json::json!(stamp);
    }
    if let Some(seal) = seal {
        data["seal"] = serde_json::json!(seal.virtual_path());
        data["seal_specimen"] = serde_json::json!(seal.is_specimen());
    }
    serde_json::to_vec(&data).unwrap_or_default()
}

/// The JSON the report template reads from [`REPORT_DATA_PATH`].
///
/// `{"fields": {<CreditReportFields, dates as YYYY-MM-DD>}, "signature": "…",
///   "issue_date_zh": "2026年6月1日", "cycle_start_zh": "…", "cycle_end_zh": "…",
///   "events": [{…, "date_zh": "2026年3月5日"}], "issue": {"year":…, "month":…, "day":…},
///   "qr": "/standing/qr.svg"}`
fn report_data(fields: &CreditReportFields, signature: &Signature) -> Vec<u8> {
    let d = fields.issue_date;
    let events: Vec<serde_json::Value> = fields
        .events
        .iter()
        .map(|e| {
            let mut v = serde_json::json!(e);
            v["date_zh"] = serde_json::json!(chinese_date(e.date));
            v
        })
        .collect();
    let data = serde_json::json!({
        "fields": fields,
        "signature": signature.as_str(),
        "issue_date_zh": chinese_date(d),
        "cycle_start_zh": chinese_date(fields.cycle_start),
        "cycle_end_zh": chinese_date(fields.cycle_end),
        "events": events,
        "issue": {"year": d.year(), "month": d.month(), "day": d.day()},
        "qr": QR_PATH,
    });
    serde_json::to_vec(&data).unwrap_or_default()
}

/// `2026年1月2日`.
fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn to_datetime(date: NaiveDate) -> Datetime {
    let month = u8::try_from(date.month()).unwrap_or(1);
    let day = u8::try_from(date.day()).unwrap_or(1);
    Datetime::from_ymd(date.year(), month, day)
        .or_else(|| Datetime::from_ymd(2000, 1, 1))
        .unwrap_or_else(|| unreachable!("2000-01-01 is a valid date"))
}

fn file_id(path: &str) -> FileId {
    let vpath =
        VirtualPath::new(path).unwrap_or_else(|_| unreachable!("static path {path} is valid"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn diagnostics(world: &CertWorld<'_>, errors: &[SourceDiagnostic]) -> Vec<String> {
    errors
        .iter()
        .map(|d| {
            let place = d
                .span
                .id()
                .and_then(|id| {
                    let source = world.source(id).ok()?;
                    let range = world.range(d.span)?;
                    let line = source.lines().byte_to_line(range.start)? + 1;
                    Some(format!("{}:{line}: ", id.vpath().get_without_slash()))
                })
                .unwrap_or_default();
            let mut msg = format!("{place}{}", d.message);
            for hint in &d.hints {
                msg.push_str(&format!(" (hint: {})", hint.v));
            }
            msg
        })
        .collect()
}

/// The typst world of one render: the template, the data, the QR, the fonts.
struct CertWorld<'a> {
    library: &'a LazyHash<Library>,
    fonts: &'a FontSet,
    root: &'a Path,
    sources: &'a SourceCache,
    main: FileId,
    main_source: Source,
    data_id: FileId,
    data: Bytes,
    qr_id: FileId,
    qr: Bytes,
    seal: Option<(FileId, Bytes)>,
    today: Datetime,
}

impl CertWorld<'_> {
    /// Reads a file of the templates directory (e.g. an imported `.typ` or a logo).
    fn disk(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some("packages are not available".into())));
        }
        let path = id.vpath().realize(self.root).map_err(FileError::Realize)?;
        std::fs::read(&path)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for CertWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            return Ok(self.main_source.clone());
        }
        let bytes = self.disk(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(self.sources.get(id, text.to_owned()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.qr_id {
            Ok(self.qr.clone())
        } else if let Some((_, seal)) = self.seal.as_ref().filter(|(sid, _)| *sid == id) {
            Ok(seal.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.main_source.clone()))
        } else {
            self.disk(id)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The issue date, so that `datetime.today()` cannot break determinism.
        Some(self.today)
    }
}
