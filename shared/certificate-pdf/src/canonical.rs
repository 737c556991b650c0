//! Canonical JSON of the certificate fields (the signed bytes).
//!
//! The form is RFC 8785 (JSON Canonicalization Scheme) restricted to what the
//! signed forms use: objects, arrays, strings and non-negative integers (the
//! certificate is one flat object; the credit report has an array of event objects,
//! see [`crate::canonical_report_json`]).
//!
//! - Members are sorted by key, comparing UTF-16 code units (all keys are ASCII
//!   snake_case, so this is plain byte order).
//! - No whitespace between tokens.
//! - Strings are UTF-8; only `"` and `\` and the control characters U+0000-U+001F
//!   are escaped: `\b \t \n \f \r` by their short forms, the others as `\u00xx`
//!   with lowercase hex. Everything else (including `/`, U+007F and all non-ASCII
//!   text) is written literally.
//! - `version` is a decimal integer without sign, leading zeros or exponent.
//! - Dates are strings `YYYY-MM-DD` (ISO 8601 calendar date).
//!
//! The serialisation is written by hand rather than through `serde_json` so
//! that no feature of another crate in the build (e.g. `preserve_order`) can
//! change the signed bytes.

use crate::CertificateFields;

/// A value in a canonical document: what the signed forms use (strings,
/// non-negative integers, arrays and objects; no floats, booleans or null).
pub(crate) enum Member<'a> {
    Str(&'a str),
    Owned(String),
    UInt(u64),
    Array(Vec<Member<'a>>),
    Object(Vec<(&'static str, Member<'a>)>),
}

/// Returns the canonical JSON (RFC 8785 / JCS) of `fields` as UTF-8 bytes.
///
/// Example: `{"authority_name":"…","company_name":"…",…,"version":1}`.
pub fn canonical_json(fields: &CertificateFields) -> Vec<u8> {
    let mut members: Vec<(&'static str, Member<'_>)> = vec![
        ("authority_name", Member::Str(&fields.authority_name)),
        ("company_name", Member::Str(&fields.company_name)),
        ("credit_code", Member::Str(&fields.credit_code)),
        ("issue_date", date(fields.issue_date)),
        ("level_label", Member::Str(&fields.level_label)),
        ("scheme_id", Member::Str(&fields.scheme_id)),
        ("serial", Member::Str(&fields.serial)),
        ("title", Member::Str(&fields.title)),
        ("valid_until", date(fields.valid_until)),
        ("verify_url", Member::Str(&fields.verify_url)),
        ("version", Member::UInt(u64::from(fields.version))),
    ];
    // Printed fields added later are members only when present, so a certificate
    // signed before they existed keeps its signed bytes.
    members.extend(
        fields
            .optional_text_fields()
            .map(|(k, v)| (k, Member::Str(v))),
    );
    to_bytes(Member::Object(members))
}

/// A date member: `YYYY-MM-DD`.
pub(crate) fn date(d: chrono::NaiveDate) -> Member<'static> {
    Member::Owned(d.format("%Y-%m-%d").to_string())
}

/// The canonical bytes of `value`: objects' members sorted by key, no whitespace.
pub(crate) fn to_bytes(value: Member<'_>) -> Vec<u8> {
    let mut out = String::with_capacity(512);
    write_value(&mut out, value);
    out.into_bytes()
}

fn write_value(out: &mut String, value: Member<'_>) {
    match value {
        Member::Str(s) => write_string(out, s),
        Member::Owned(s) => write_string(out, &s),
        Member::UInt(n) => out.push_str(&n.to_string()),
        Member::Array(items) => {
            out.push('[');
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Member::Object(mut members) => {
            // Keys are ASCII, so byte order equals UTF-16 code-unit order (RFC 8785 §3.2.3).
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, value)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, value);
            }
            out.push('}');
        }
    }
}

/// Writes a JSON string literal with RFC 8785 escaping.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn fields() -> CertificateFields {
        CertificateFields {
            serial: "S-1".into(),
            scheme_id: "capability-grade".into(),
            authority_name: "协会".into(),
            title: "服务能力等级证书".into(),
            company_name: "A\"B\\C\n\u{1}/é".into(),
            credit_code: "91150100MA0N2XXXXX".into(),
            level_label: "一级".into(),
            issue_date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
            verify_url: "https://verify.example/c/S-1".into(),
            version: 3,
            address: None,
            scope: None,
            basis: None,
        }
    }

    #[test]
    fn printed_fields_added_later_are_signed_when_present_and_sorted_in() {
        let mut f = fields();
        let before = canonical_json(&f);
        f.address = Some("呼和浩特市".into());
        f.scope = Some("设计、施工和维修".into());
        f.basis = Some("《办法》".into());
        let json = String::from_utf8(canonical_json(&f)).unwrap();
        assert!(
            json.starts_with(
                r#"{"address":"呼和浩特市","authority_name":"协会","basis":"《办法》","#
            ),
            "{json}"
        );
        assert!(json.contains(r#""level_label":"一级","scheme_id":"capability-grade","scope":"设计、施工和维修","serial":"S-1""#), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let back: CertificateFields = serde_json::from_value(value).unwrap();
        assert_eq!(back, f);
        f.address = None;
        f.scope = None;
        f.basis = None;
        assert_eq!(
            canonical_json(&f),
            before,
            "absent fields leave the old signed bytes"
        );
    }

    #[test]
    fn canonical_form_is_sorted_compact_and_escaped() {
        let json = String::from_utf8(canonical_json(&fields())).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"authority_name":"协会","company_name":"A\"B\\C\n\u0001/é","#,
                r#""credit_code":"91150100MA0N2XXXXX","issue_date":"2026-01-02","#,
                r#""level_label":"一级","scheme_id":"capability-grade","serial":"S-1","#,
                r#""title":"服务能力等级证书","valid_until":"2027-03-31","#,
                r#""verify_url":"https://verify.example/c/S-1","version":3}"#
            )
        );
    }

    #[test]
    fn canonical_form_parses_back_to_the_same_values() {
        let f = fields();
        let value: serde_json::Value = serde_json::from_slice(&canonical_json(&f)).unwrap();
        let back: CertificateFields = serde_json::from_value(value).unwrap();
        assert_eq!(back, f);
    }
}
