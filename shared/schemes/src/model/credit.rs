//! The conduct table of a credit scheme.

use serde::{Deserialize, Serialize};

use super::{Dec, SeedRef};

/// Direction of a credit conduct kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 守信: adds points.
    Trustworthy,
    /// 失信: deducts points.
    Untrustworthy,
}

/// A credit conduct kind with its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConductKind {
    /// Stable code, e.g. "T1", "U11".
    pub code: String,
    /// Direction.
    pub direction: Direction,
    /// Chinese title.
    pub title_zh: String,
    /// Points per occurrence (positive; the direction gives the sign).
    pub points: Dec,
    /// Cap on the points this kind can add or deduct in one cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_cycle: Option<Dec>,
    /// Source of the conduct kind.
    pub seed: SeedRef,
    /// True: the points are a default (attachment 1 is missing).
    #[serde(default)]
    pub default: bool,
    /// Explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The credit score system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// Base score.
    pub base: Dec,
    /// Source of the base score.
    pub seed: SeedRef,
    /// Conduct kinds.
    pub conduct: Vec<ConductKind>,
}
