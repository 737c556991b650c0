//! Named parameters (windows, years, deadlines) and the value forms they take.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::SeedRef;

/// A named parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// An integer (days, years, months).
    Int(i64),
    /// Text (e.g. a month-day "06-30", a unit, a mode).
    Text(String),
    /// A list of codes.
    List(Vec<String>),
}

/// A parameter with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The value.
    pub value: ParamValue,
    /// Unit, e.g. "calendar_days", "working_days", "years", "months".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Source in the seed.
    pub seed: SeedRef,
    /// True when the seed does not give this value and it is a default to be replaced.
    #[serde(default)]
    pub default: bool,
    /// Explanation (required for defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The one certificate validity rule known today (seed 000 第十九条).
pub const CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE: &str = "until_next_year_annual_report_deadline";

/// Parse "MM-DD".
pub(crate) fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // Validate against a leap year so 02-29 is accepted as a form.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}
