//! `Content-Disposition` for a downloaded certificate: an ASCII fallback name and the
//! Chinese name in RFC 5987 / RFC 6266 form (`filename*=UTF-8''…`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters left as they are in an RFC 5987 `value-chars` (attr-char): ALPHA, DIGIT
/// and `!#$&+-.^_`|~`. Everything else is percent-encoded as UTF-8.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A file-name part without path separators, reserved characters or controls.
fn clean(part: &str) -> String {
    part.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The Chinese file name: `公司名-证书名-serial.pdf`.
pub fn file_name(company: &str, title: &str, serial: &str) -> String {
    format!("{}-{}-{}.pdf", clean(company), clean(title), clean(serial))
}

/// `attachment; filename="<serial>.pdf"; filename*=UTF-8''<percent-encoded name>`.
pub fn content_disposition(company: &str, title: &str, serial: &str) -> String {
    let ascii: String = serial
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = file_name(company, title, serial);
    format!(
        "attachment; filename=\"certificate-{ascii}.pdf\"; filename*=UTF-8''{}",
        utf8_percent_encode(&name, ATTR_CHAR)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_are_percent_encoded_with_an_ascii_fallback() {
        let d = content_disposition(
            "呼和浩特市青城安防有限公司",
            "服务能力等级证书",
            "NMGAF-2026-0123456789ABCDEF",
        );
        assert!(d.starts_with(
            "attachment; filename=\"certificate-NMGAF-2026-0123456789ABCDEF.pdf\"; filename*=UTF-8''"
        ));
        assert!(d.is_ascii());
        let encoded = d.split("UTF-8''").nth(1).unwrap();
        let decoded = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .unwrap();
        assert_eq!(
            decoded,
            "呼和浩特市青城安防有限公司-服务能力等级证书-NMGAF-2026-0123456789ABCDEF.pdf"
        );
        // RFC 5987 attr-char only: no quotes, spaces, semicolons or commas survive.
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"%!#$&+-.^_`|~".contains(&b))
        );
    }

    #[test]
    fn separators_and_quotes_cannot_escape_the_parameter() {
        let d = content_disposition("A/B\"; x=1 公司", "证书", "S-2026-X");
        let encoded = d.split("UTF-8''").nth(1).unwrap();
        assert!(!encoded.contains(';') && !encoded.contains('"') && !encoded.contains(' '));
        let decoded = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, "A_B_; x=1 公司-证书-S-2026-X.pdf");
    }
}
