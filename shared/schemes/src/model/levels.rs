//! Levels (grades, credit levels, stars) and the measures attached to them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Dec, SeedRef};

/// A level (grade, credit level, star).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Code, e.g. "1", "A".
    pub code: String,
    /// Chinese title, e.g. "一级".
    pub title_zh: String,
    /// Lower bound of the score (absent: unbounded below, or a tier level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Dec>,
    /// Whether `min` itself belongs to the level (以上/不少于 include the number).
    #[serde(default = "yes")]
    pub min_inclusive: bool,
    /// Upper bound (absent: unbounded above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Dec>,
    /// Whether `max` itself belongs to the level.
    #[serde(default = "yes")]
    pub max_inclusive: bool,
    /// Source.
    pub seed: SeedRef,
    /// Supervision measures or consequences attached to the level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// Whether a unit at this level may apply for credit repair (credit scheme).
    #[serde(default = "yes")]
    pub repairable: bool,
    /// How the data reads the seed where it is unclear (e.g. a gap between two levels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

/// A measure attached to a level (e.g. "每季度公示").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Stable code.
    pub code: String,
    /// Chinese text.
    pub title_zh: String,
    /// Source.
    pub seed: SeedRef,
    /// A measure staff carry out for each unit that enters the level: a work item due
    /// this many working days after the day it entered (official calendar). Absent: no
    /// work item (a list, a priority, routine supervision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_item_working_days: Option<u32>,
    /// A work item due on the last day of the cycle instead (e.g. once a year).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub work_item_by_cycle_end: bool,
    /// Whether the due window is a default (the seed gives none).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Level {
    /// Whether `score` falls in this level's band.
    pub fn contains(&self, score: Decimal) -> bool {
        let lo = match self.min {
            None => true,
            Some(Dec(m)) if self.min_inclusive => score >= m,
            Some(Dec(m)) => score > m,
        };
        let hi = match self.max {
            None => true,
            Some(Dec(m)) if self.max_inclusive => score <= m,
            Some(Dec(m)) => score < m,
        };
        lo && hi
    }
}
