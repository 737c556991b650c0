//! The issuer's seal (公章), printed over the issuer's name on a certificate.
//!
//! An authority uploads a picture of its own seal (PNG with a transparent
//! background, or SVG). A local or test stack that has none prints a generated
//! specimen that says 样章 in its middle, so no printed specimen can pass for a
//! sealed certificate.

use sha2::{Digest, Sha256};

use crate::render::{SEAL_PNG_PATH, SEAL_SVG_PATH};

/// The largest seal picture accepted (a seal scanned at 600 dpi as a PNG with
/// transparency is about 100-200 KB).
pub const MAX_SEAL_BYTES: usize = 512 * 1024;

/// What kind of picture a seal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealFormat {
    Png,
    Svg,
}

impl SealFormat {
    /// The media type, as stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            SealFormat::Png => "image/png",
            SealFormat::Svg => "image/svg+xml",
        }
    }

    /// The format of a media type (parameters such as `; charset=utf-8` ignored).
    pub fn from_content_type(content_type: &str) -> Option<SealFormat> {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("image/png") {
            Some(SealFormat::Png)
        } else if essence.eq_ignore_ascii_case("image/svg+xml") {
            Some(SealFormat::Svg)
        } else {
            None
        }
    }
}

/// Why a picture cannot be a seal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the seal picture is empty")]
    Empty,
    #[error("the seal picture has {0} bytes, more than the {MAX_SEAL_BYTES} accepted")]
    TooLarge(usize),
    #[error("the seal picture is not a {0} file")]
    NotThatFormat(&'static str),
}

/// A seal picture, checked: not empty, not too large, and its bytes are of the format
/// it claims (a PNG signature; an SVG document's `<svg` root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    bytes: Vec<u8>,
    format: SealFormat,
    specimen: bool,
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

impl Seal {
    /// A seal from an uploaded picture.
    pub fn new(bytes: Vec<u8>, format: SealFormat) -> Result<Seal, SealError> {
        if bytes.is_empty() {
            return Err(SealError::Empty);
        }
        if bytes.len() > MAX_SEAL_BYTES {
            return Err(SealError::TooLarge(bytes.len()));
        }
        let fits = match format {
            SealFormat::Png => bytes.starts_with(PNG_SIGNATURE),
            SealFormat::Svg => looks_like_svg(&bytes),
        };
        if !fits {
            return Err(SealError::NotThatFormat(format.content_type()));
        }
        Ok(Seal {
            bytes,
            format,
            specimen: false,
        })
    }

    /// A generated specimen seal for an issuer that has uploaded none, on a local or
    /// test stack only: a red ring with the issuer's name along its top, a star, and
    /// 样章 ("specimen") across its middle.
    pub fn specimen(issuer_name: &str) -> Seal {
        Seal {
            bytes: specimen_svg(issuer_name).into_bytes(),
            format: SealFormat::Svg,
            specimen: true,
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn format(&self) -> SealFormat {
        self.format
    }

    /// Whether this is the generated specimen.
    pub fn is_specimen(&self) -> bool {
        self.specimen
    }

    /// Lowercase hex SHA-256 of the picture: names a stored seal, so a rendering
    /// records which seal it printed.
    pub fn sha256_hex(&self) -> String {
        Sha256::digest(&self.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Where the template finds the picture (`data.seal`).
    pub(crate) fn virtual_path(&self) -> &'static str {
        match self.format {
            SealFormat::Png => SEAL_PNG_PATH,
            SealFormat::Svg => SEAL_SVG_PATH,
        }
    }
}

/// An SVG document: after an optional BOM, whitespace, an XML declaration,
/// comments and a doctype, its root element is `<svg`.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!DOCTYPE") {
            match after.find('>') {
                Some(end) => rest = after[end + 1..].trim_start(),
                None => return false,
            }
        } else {
            return rest.starts_with("<svg")
                && rest[4..].starts_with(|c: char| c.is_whitespace() || c == '>');
        }
    }
}

fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The specimen seal: 200 x 200 units, the name set along an arc of 250 degrees over
/// the top, its size and spacing chosen so the whole name fills the arc.
fn specimen_svg(issuer_name: &str) -> String {
    const RED: &str = "#c8161d";
    let name = issuer_name.trim();
    let chars = name.chars().count().max(1) as f64;
    // The name's baseline: an arc of radius 66 from 215 degrees (lower left) over the
    // top to -35 degrees; the glyphs stand outside it, inside the ring (radius 94).
    // A short name is spread over the whole arc, as on a carved seal.
    let radius = 66.0_f64;
    let arc_len = radius * 250.0_f64.to_radians();
    let size = (arc_len / chars * 0.9).clamp(9.0, 22.0);
    let spacing = ((arc_len * 0.97 - chars * size) / chars).max(0.0);
    let point = |deg: f64| {
        let a = deg.to_radians();
        (100.0 + radius * a.cos(), 100.0 - radius * a.sin())
    };
    let (x0, y0) = point(215.0);
    let (x1, y1) = point(-35.0);
    // A five-pointed star in the middle.
    let star: Vec<String> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { 26.0 } else { 10.5 };
            let a = (-90.0 + 36.0 * f64::from(i)).to_radians();
            format!("{:.2},{:.2}", 100.0 + r * a.cos(), 96.0 + r * a.sin())
        })
        .collect();
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" "#,
            r#"viewBox="0 0 200 200" width="200" height="200">"#,
            r#"<g opacity="0.88">"#,
            r#"<circle cx="100" cy="100" r="94" fill="none" stroke="{red}" stroke-width="5"/>"#,
            r#"<path id="arc" d="M {x0:.2},{y0:.2} A {r},{r} 0 1 1 {x1:.2},{y1:.2}" fill="none"/>"#,
            r#"<text font-family="Noto Serif CJK SC" font-size="{size:.1}" letter-spacing="{spacing:.2}" fill="{red}">"#,
            r##"<textPath xlink:href="#arc" startOffset="50%" text-anchor="middle">{name}</textPath></text>"##,
            r#"<polygon points="{star}" fill="{red}"/>"#,
            r#"<text x="100" y="158" font-family="Noto Serif CJK SC" font-size="30" "#,
            r#"text-anchor="middle" fill="{red}">样章</text>"#,
            r#"</g></svg>"#
        ),
        red = RED,
        x0 = x0,
        y0 = y0,
        x1 = x1,
        y1 = y1,
        r = radius,
        size = size,
        spacing = spacing,
        name = escape_xml(name),
        star = star.join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_must_start_with_the_png_signature() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(b"rest");
        assert!(Seal::new(png, SealFormat::Png).is_ok());
        assert_eq!(
            Seal::new(b"GIF89a....".to_vec(), SealFormat::Png),
            Err(SealError::NotThatFormat("image/png"))
        );
    }

    #[test]
    fn an_svg_must_have_an_svg_root() {
        for ok in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- seal -->\n<!DOCTYPE svg>\n<svg>\n</svg>",
        ] {
            assert!(Seal::new(ok.into(), SealFormat::Svg).is_ok(), "{ok}");
        }
        for bad in ["<html><svg></svg></html>", "<svgx/>", "<?xml", "not xml"] {
            assert!(Seal::new(bad.into(), SealFormat::Svg).is_err(), "{bad}");
        }
    }

    #[test]
    fn empty_and_oversized_pictures_are_refused() {
        assert_eq!(Seal::new(vec![], SealFormat::Png), Err(SealError::Empty));
        let mut big = PNG_SIGNATURE.to_vec();
        big.resize(MAX_SEAL_BYTES + 1, 0);
        assert_eq!(
            Seal::new(big, SealFormat::Png),
            Err(SealError::TooLarge(MAX_SEAL_BYTES + 1))
        );
    }

    #[test]
    fn media_types_map_to_formats() {
        assert_eq!(
            SealFormat::from_content_type("image/PNG"),
            Some(SealFormat::Png)
        );
        assert_eq!(
            SealFormat::from_content_type("image/svg+xml; charset=utf-8"),
            Some(SealFormat::Svg)
        );
        assert_eq!(SealFormat::from_content_type("image/jpeg"), None);
    }

    #[test]
    fn the_specimen_names_its_issuer_says_specimen_and_escapes_the_name() {
        let seal = Seal::specimen("A&B<协会>");
        assert!(seal.is_specimen());
        let svg = String::from_utf8(seal.bytes().to_vec()).unwrap();
        assert!(svg.contains("A&amp;B&lt;协会&gt;"), "{svg}");
        assert!(svg.contains("样章"));
        assert!(looks_like_svg(seal.bytes()));
        assert_eq!(seal.sha256_hex().len(), 64);
    }
}
