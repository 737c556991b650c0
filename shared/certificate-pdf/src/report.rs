//! The credit report (issue 11 item 7): what a fire-technology service agency's
//! credit standing was on the day of issue (level, score, the events in force), as
//! printed on the report PDF and covered by its signature.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::canonical::{Member, date, to_bytes};

/// Everything printed on a credit report and covered by its signature.
///
/// All fields are signed (see [`canonical_report_json`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditReportFields {
    /// Report serial (a ULID).
    pub serial: String,
    /// The authority that keeps the register (e.g. `焦作市住房和城乡建设局`).
    pub authority_name: String,
    /// The agency's name.
    pub company_name: String,
    /// Unified social credit code (GB 32100-2015) of the agency.
    pub credit_code: String,
    /// Scheme the standing is computed under (e.g. `fire-credit`).
    pub scheme_id: String,
    /// Version of the scheme in force on the day of issue.
    pub scheme_version: String,
    /// Level code (e.g. `A`).
    pub level_code: String,
    /// Level as printed (e.g. `A级`).
    pub level_label: String,
    /// The score as an exact decimal string (e.g. `97.5`).
    pub score: String,
    /// First day of the credit cycle the standing belongs to.
    pub cycle_start: NaiveDate,
    /// Last day of that cycle, inclusive.
    pub cycle_end: NaiveDate,
    /// The events in force on the day of issue, in date order.
    pub events: Vec<ReportEvent>,
    /// Date of issue (China date): the day the standing is computed for.
    pub issue_date: NaiveDate,
    /// Public verification URL, encoded in the QR code.
    pub verify_url: String,
    /// Version of the report record.
    pub version: u32,
}

/// One event in force, as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportEvent {
    /// Date of the conduct.
    pub date: NaiveDate,
    /// Conduct code of the scheme (e.g. `U3`).
    pub code: String,
    /// Kind of conduct as printed (the scheme's title).
    pub title: String,
    /// The article of the seed it comes from (e.g. `一（四）6`).
    pub article: String,
    /// Signed points as an exact decimal string (`+2`, `-5`).
    pub points: String,
    /// Repair status as printed (e.g. `未申请修复`, `修复申请审核中`, `已修复`).
    pub repair: String,
}

/// Returns the canonical JSON (RFC 8785 / JCS) of a credit report as UTF-8 bytes:
/// one object with sorted keys, `events` an array (in the report's order) of
/// objects with sorted keys, dates `YYYY-MM-DD`, `version` a decimal integer, the
/// score and points strings.
pub fn canonical_report_json(fields: &CreditReportFields) -> Vec<u8> {
    let events = fields
        .events
        .iter()
        .map(|e| {
            Member::Object(vec![
                ("date", date(e.date)),
                ("code", Member::Str(&e.code)),
                ("title", Member::Str(&e.title)),
                ("article", Member::Str(&e.article)),
                ("points", Member::Str(&e.points)),
                ("repair", Member::Str(&e.repair)),
            ])
        })
        .collect();
    to_bytes(Member::Object(vec![
        ("serial", Member::Str(&fields.serial)),
        ("authority_name", Member::Str(&fields.authority_name)),
        ("company_name", Member::Str(&fields.company_name)),
        ("credit_code", Member::Str(&fields.credit_code)),
        ("scheme_id", Member::Str(&fields.scheme_id)),
        ("scheme_version", Member::Str(&fields.scheme_version)),
        ("level_code", Member::Str(&fields.level_code)),
        ("level_label", Member::Str(&fields.level_label)),
        ("score", Member::Str(&fields.score)),
        ("cycle_start", date(fields.cycle_start)),
        ("cycle_end", date(fields.cycle_end)),
        ("events", Member::Array(events)),
        ("issue_date", date(fields.issue_date)),
        ("verify_url", Member::Str(&fields.verify_url)),
        ("version", Member::UInt(u64::from(fields.version))),
    ]))
}

/// An exact decimal as text: optional sign, digits, optional fraction.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

impl CreditReportFields {
    /// Checks that the report can be printed: no empty text, no control characters,
    /// decimal score and points, a cycle that ends after it starts, an absolute
    /// http(s) verification URL.
    pub fn validate(&self) -> Result<(), FieldError> {
        let top = [
            ("serial", self.serial.as_str()),
            ("authority_name", &self.authority_name),
            ("company_name", &self.company_name),
            ("credit_code", &self.credit_code),
            ("scheme_id", &self.scheme_id),
            ("scheme_version", &self.scheme_version),
            ("level_code", &self.level_code),
            ("level_label", &self.level_label),
            ("score", &self.score),
            ("verify_url", &self.verify_url),
        ];
        let events = self.events.iter().flat_map(|e| {
            [
                ("events.code", e.code.as_str()),
                ("events.title", &e.title),
                ("events.article", &e.article),
                ("events.points", &e.points),
                ("events.repair", &e.repair),
            ]
        });
        for (name, value) in top.into_iter().chain(events) {
            if value.trim().is_empty() {
                return Err(FieldError::Empty(name));
            }
            if value.chars().any(char::is_control) {
                return Err(FieldError::ControlCharacter(name));
            }
        }
        if !is_decimal(&self.score) {
            return Err(FieldError::Decimal("score"));
        }
        if self.events.iter().any(|e| !is_decimal(&e.points)) {
            return Err(FieldError::Decimal("events.points"));
        }
        if self.cycle_end < self.cycle_start {
            return Err(FieldError::ValidityBeforeIssue {
                issue_date: self.cycle_start,
                valid_until: self.cycle_end,
            });
        }
        crate::fields::check_verify_url(&self.verify_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fields() -> CreditReportFields {
        CreditReportFields {
            serial: "01KB0000000000000000000000".into(),
            authority_name: "焦作市住房和城乡建设局".into(),
            company_name: "焦作\"消防\"\\技术\u{1}服务有限公司".into(),
            credit_code: "91410800MA44XXXXXX".into(),
            scheme_id: "fire-credit".into(),
            scheme_version: "1".into(),
            level_code: "B".into(),
            level_label: "B级".into(),
            score: "97.5".into(),
            cycle_start: d(2026, 1, 1),
            cycle_end: d(2026, 12, 31),
            events: vec![ReportEvent {
                date: d(2026, 3, 5),
                code: "U3".into(),
                title: "未按规定出具报告".into(),
                article: "一（四）3".into(),
                points: "-2.5".into(),
                repair: "未申请修复".into(),
            }],
            issue_date: d(2026, 6, 1),
            verify_url: "https://standing.example.cn/v1/credit-reports/01KB/verify".into(),
            version: 1,
        }
    }

    #[test]
    fn canonical_report_is_sorted_nested_and_escaped() {
        let json = String::from_utf8(canonical_report_json(&fields())).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"authority_name":"焦作市住房和城乡建设局","#,
                r#""company_name":"焦作\"消防\"\\技术\u0001服务有限公司","#,
                r#""credit_code":"91410800MA44XXXXXX","cycle_end":"2026-12-31","#,
                r#""cycle_start":"2026-01-01","events":[{"article":"一（四）3","#,
                r#""code":"U3","date":"2026-03-05","points":"-2.5","repair":"未申请修复","#,
                r#""title":"未按规定出具报告"}],"issue_date":"2026-06-01","#,
                r#""level_code":"B","level_label":"B级","scheme_id":"fire-credit","#,
                r#""scheme_version":"1","score":"97.5","#,
                r#""serial":"01KB0000000000000000000000","#,
                r#""verify_url":"https://standing.example.cn/v1/credit-reports/01KB/verify","#,
                r#""version":1}"#
            )
        );
    }

    #[test]
    fn canonical_report_parses_back_to_the_same_values() {
        let mut f = fields();
        f.events.push(ReportEvent {
            date: d(2026, 4, 1),
            code: "T1".into(),
            title: "获得表彰".into(),
            article: "一（三）1".into(),
            points: "+3".into(),
            repair: "—".into(),
        });
        let back: CreditReportFields = serde_json::from_slice(&canonical_report_json(&f)).unwrap();
        assert_eq!(back, f);
        f.events.clear();
        let json = String::from_utf8(canonical_report_json(&f)).unwrap();
        assert!(json.contains(r#""events":[],"#), "{json}");
    }

    #[test]
    fn validation_rejects_what_cannot_be_printed() {
        let mut f = fields();
        f.company_name = "焦作消防".into();
        assert_eq!(f.validate(), Ok(()));
        let mut g = f.clone();
        g.score = "97,5".into();
        assert_eq!(g.validate(), Err(FieldError::Decimal("score")));
        let mut g = f.clone();
        g.events[0].points = "minus two".into();
        assert_eq!(g.validate(), Err(FieldError::Decimal("events.points")));
        let mut g = f.clone();
        g.events[0].title = " ".into();
        assert_eq!(g.validate(), Err(FieldError::Empty("events.title")));
        let mut g = f.clone();
        g.level_label = "B\n级".into();
        assert_eq!(
            g.validate(),
            Err(FieldError::ControlCharacter("level_label"))
        );
        let mut g = f.clone();
        g.verify_url = "ftp://x".into();
        assert_eq!(g.validate(), Err(FieldError::VerifyUrl));
        let mut g = f;
        g.cycle_end = d(2025, 12, 31);
        assert!(g.validate().is_err());
        assert!(is_decimal("100") && is_decimal("-0.5") && is_decimal("+2"));
        assert!(!is_decimal("") && !is_decimal("1.") && !is_decimal(".5") && !is_decimal("1e3"));
    }
}
