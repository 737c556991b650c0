//! The two value types every definition uses: where a value comes from, and exact
//! decimals.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// Where a value comes from: seed document and article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRef {
    /// Seed document id, e.g. "seed-000".
    pub doc: String,
    /// Article or clause, e.g. "第九条（一）" or "5.2.4.1".
    pub article: String,
    /// Optional verbatim quote of the source words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

impl fmt::Display for SeedRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.doc, self.article)
    }
}

/// A decimal written in TOML as an integer or a string ("59.99"); floats are
/// refused so no binary rounding creeps into a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Dec(pub Decimal);

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Str(String),
            Float(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) => Ok(Dec(Decimal::from(i))),
            Raw::Str(s) => s.trim().parse::<Decimal>().map(Dec).map_err(|_| {
                serde::de::Error::custom(format!("\"{s}\" is not an exact decimal number"))
            }),
            Raw::Float(f) => Err(serde::de::Error::custom(format!(
                "{f} is a float; write decimals as strings (e.g. \"{f}\") so they stay exact"
            ))),
        }
    }
}
