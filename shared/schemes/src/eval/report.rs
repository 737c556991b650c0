//! The report evaluation returns: one line a rule, the level reached, the status.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{SchemeId, SeedRef};

/// Outcome of one report line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule is met.
    Met,
    /// The rule is not met.
    NotMet,
    /// Points were counted (see `points`).
    Points,
    /// The fact or material is declared without the evidence it needs, or not declared at all.
    EvidenceMissing,
    /// A person must look at the evidence (or decide) before the rule counts.
    NeedsHumanCheck,
    /// Not applicable to these facts (e.g. a category not entered).
    NotApplicable,
}

impl Outcome {
    pub(super) fn is_pending(self) -> bool {
        matches!(self, Outcome::EvidenceMissing | Outcome::NeedsHumanCheck)
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    /// Rule, item, area, event or material id.
    pub rule_id: String,
    /// Group (eligibility, tier, category, area) the line belongs to.
    pub group: String,
    /// Chinese title.
    pub title_zh: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Points counted (signed for credit events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// Maximum points of the item or area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_points: Option<Decimal>,
    /// What was observed, in words (the value compared, who failed, why).
    pub detail: String,
    /// Evidence references relied on.
    pub evidence: Vec<String>,
    /// The seed article behind the line.
    pub seed_ref: SeedRef,
    /// The value behind the line is a default, not given by the seed.
    pub default: bool,
}

/// The level reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelResult {
    /// Level code ("1", "A", "3" stars).
    pub code: String,
    /// Chinese title.
    pub title_zh: String,
    /// Where its threshold comes from.
    pub seed_ref: SeedRef,
}

/// Overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Everything required is met; `level` is final.
    Qualified,
    /// Nothing fails outright, but evidence is missing or a person must check.
    NeedsReview,
    /// At least one condition fails, or no level is reached.
    NotQualified,
}

/// Result of one award category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryResult {
    /// Category code.
    pub code: String,
    /// Chinese title.
    pub title_zh: String,
    /// Status for this category.
    pub status: Status,
}

/// The evaluation report. Same scheme and facts give the same report, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Scheme.
    pub scheme: SchemeId,
    /// Version used.
    pub version: String,
    /// That version's first day.
    pub effective_from: NaiveDate,
    /// The date the facts are evaluated on.
    pub as_of: NaiveDate,
    /// Every rule, item, event and material, in definition order.
    pub lines: Vec<ReportLine>,
    /// Total score (points and credit schemes), exact.
    pub total: Option<Decimal>,
    /// Highest total reachable (sum of maxima).
    pub max_total: Option<Decimal>,
    /// Level reached (grade, credit level, stars); `None` for none.
    pub level: Option<LevelResult>,
    /// For stars: the higher level reachable once pending lines are confirmed.
    pub pending_level: Option<LevelResult>,
    /// Overall status.
    pub status: Status,
    /// Award categories evaluated.
    pub categories: Vec<CategoryResult>,
    /// Ids of lines not met (the failing conditions, by name).
    pub failed: Vec<String>,
    /// Ids of lines with missing evidence or awaiting a human check.
    pub pending: Vec<String>,
}

impl Report {
    /// The line with this id, if any.
    pub fn line(&self, rule_id: &str) -> Option<&ReportLine> {
        self.lines.iter().find(|l| l.rule_id == rule_id)
    }

    /// Deterministic JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
