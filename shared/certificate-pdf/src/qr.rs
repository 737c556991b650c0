//! QR code for the verification URL, as a small SVG (one path).

use std::fmt::Write as _;

/// The verification URL cannot be encoded as a QR code (too long).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("verification URL cannot be encoded as a QR code: {0}")]
pub struct QrError(String);

/// Quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: usize = 4;

/// Encodes `text` as a QR code (error correction level M) and returns an SVG
/// document whose dark modules form one `<path>`, with a 4-module quiet zone.
///
/// Each row's runs of dark modules become one rectangle, so a URL of 60-80
/// characters gives an SVG of about 2-3 KB that typst embeds as vector art.
pub fn qr_svg(text: &str) -> Result<Vec<u8>, QrError> {
    let code = fast_qr::QRBuilder::new(text.as_bytes())
        .ecl(fast_qr::ECL::M)
        .build()
        .map_err(|e| QrError(e.to_string()))?;
    let width = code.size;
    let size = width + 2 * QUIET_ZONE;

    let mut path = String::with_capacity(width * width);
    for y in 0..width {
        let row = &code[y];
        let mut x = 0;
        while x < width {
            if row[x].value() {
                let start = x;
                while x < width && row[x].value() {
                    x += 1;
                }
                let run = x - start;
                // Writing to a String cannot fail.
                let _ = write!(
                    path,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    let svg = format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s} {s}" "#,
            r#"width="{s}" height="{s}" shape-rendering="crispEdges">"#,
            r##"<rect width="{s}" height="{s}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{p}"/></svg>"##
        ),
        s = size,
        p = path
    );
    Ok(svg.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_square_with_quiet_zone_and_one_path() {
        let svg = String::from_utf8(qr_svg("https://verify.example/c/ABC").unwrap()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<path").count(), 1);
        // Version 3 (29 modules) + 2×4 quiet zone = 37.
        assert!(svg.contains(r#"viewBox="0 0 37 37""#), "{svg}");
    }

    #[test]
    fn too_long_text_is_an_error() {
        assert!(qr_svg(&"x".repeat(5000)).is_err());
    }
}
