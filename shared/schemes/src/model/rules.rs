//! Rules, the checks they make, the groups they sit in, and the metrics they may use.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Dec, SeedRef};

/// What to conclude when a fact a rule needs is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IfMissing {
    /// The applicant must still supply it.
    #[default]
    EvidenceMissing,
    /// Absence fails the rule.
    NotMet,
    /// Absence satisfies the rule (e.g. no revocation on record).
    Met,
}

/// Applicant kinds for awards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// A company or other organisation.
    Unit,
    /// A natural person.
    Person,
}

/// How a rule is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A declared yes/no fact must be true.
    True {
        /// Fact key.
        fact: String,
    },
    /// A declared yes/no fact must be false (e.g. "无重大质量责任事故").
    False {
        /// Fact key.
        fact: String,
    },
    /// metric >= value (以上, 不少于, 不低于, 达到: the number is included).
    AtLeast {
        /// Metric name (see docs/schemes.md).
        metric: String,
        /// Threshold.
        value: Dec,
    },
    /// metric > value (以上（不含）).
    GreaterThan {
        /// Metric name.
        metric: String,
        /// Threshold.
        value: Dec,
    },
    /// metric <= value.
    AtMost {
        /// Metric name.
        metric: String,
        /// Threshold.
        value: Dec,
    },
    /// metric < value.
    LessThan {
        /// Metric name.
        metric: String,
        /// Threshold.
        value: Dec,
    },
    /// At least `min_count` projects completed in a date window with a minimum amount.
    Project {
        /// Minimum contract amount in fen (200万元 = 200_000_000 fen).
        min_amount_fen: i64,
        /// Completion window start (inclusive).
        completed_from: NaiveDate,
        /// Completion window end (inclusive).
        completed_to: NaiveDate,
        /// Whether the project must be a demonstration project (示范项目).
        #[serde(default)]
        demonstration: bool,
        /// How many projects are needed.
        #[serde(default = "one")]
        min_count: u32,
    },
    /// The date fact `starts` is at least the lead time stated by parameter `period` (a
    /// period in months) after date fact `filed` ("提前一个月": filing exactly one month
    /// ahead is in time). The rule names the parameter rather than repeating its value,
    /// so the lead time is stated once.
    LeadTime {
        /// Date the application was filed.
        filed: String,
        /// Date the suspension or closure starts.
        starts: String,
        /// Name of the parameter stating the lead time (e.g. `suspension_lead_months`).
        period: String,
    },
    /// The period stated by parameter `period`, counted from date fact `since` by
    /// 民法典 第二百零一至二百零三条 (see [`crate::period`]), has ended on the evaluation
    /// date: e.g. seed 000 第二十三条 "两年内不得申请办理" is
    /// `{ kind = "period_over", since = "revoked_on", period = "ban_years" }`. The rule
    /// names the parameter rather than repeating its value, so the period is stated once.
    PeriodOver {
        /// Date fact the period is counted from (the event day is not counted).
        since: String,
        /// Name of the parameter stating the period.
        period: String,
    },
    /// A text fact must equal one of the listed values (e.g. 歇业/停业).
    OneOf {
        /// Fact key.
        fact: String,
        /// Allowed values.
        values: Vec<String>,
    },
    /// Needs a person's judgement; satisfied only by a recorded review.
    Human,
}

fn one() -> u32 {
    1
}

/// One rule (condition, requirement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, unique within the scheme.
    pub id: String,
    /// Chinese title (close to the seed's words).
    pub title_zh: String,
    /// Source.
    pub seed: SeedRef,
    /// How it is checked.
    pub check: Check,
    /// Evidence (materials) the applicant must attach to the fact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// A declared "met" still needs a reviewer to look at the evidence.
    #[serde(default)]
    pub human_check: bool,
    /// Conclusion when the fact is absent.
    #[serde(default)]
    pub if_missing: IfMissing,
    /// Only evaluated when this fact is present (e.g. 歇业 end date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_if: Option<OnlyIf>,
    /// Marked when the rule's value is a default the seed does not give.
    #[serde(default)]
    pub default: bool,
    /// Explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Condition on another fact for a rule to apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlyIf {
    /// Fact key.
    pub fact: String,
    /// Required text value.
    pub equals: String,
}

/// The role of a rule group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    /// Must all be met for any level.
    Eligibility,
    /// Requirements of one tier (`level`).
    Tier,
    /// One award category (`code`).
    Category,
    /// Evaluated only when `applies_if` fact is present.
    Conditional,
}

/// An item of a materials checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// Stable id, unique within the group.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// Source.
    pub seed: SeedRef,
}

/// A group of rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Stable id.
    pub id: String,
    /// Role.
    pub role: GroupRole,
    /// Chinese title.
    pub title_zh: String,
    /// Source.
    pub seed: SeedRef,
    /// For tiers: the level code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// For categories: who may enter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrant: Option<ApplicantKind>,
    /// For conditional groups: the fact whose presence activates the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_if: Option<String>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Materials checklist (awards).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
}

/// Metric names a rule may use (computed by [`crate::facts`]).
pub const METRICS: &[&str] = &[
    "staff.qualified_count",
    "staff.college_share_pct",
    "staff.min_training_hours",
    "staff.no_civil_capacity_count",
    "staff.criminal_record_count",
    "staff.identity_unknown_count",
    "clients.count_1y",
    "clients.contract_sum_fen_1y",
    "clients.max_renewals",
    "clients.key_protected_share_pct_5y",
    "evaluations.score",
    "evaluations.count",
    "certificate.capability-grade.best_grade",
];

/// Whether a metric name is known: one of [`METRICS`], `fact:<key>` or `years_since:<key>`.
pub fn is_known_metric(m: &str) -> bool {
    METRICS.contains(&m)
        || m.strip_prefix("fact:").is_some_and(|k| !k.is_empty())
        || m.strip_prefix("years_since:")
            .is_some_and(|k| !k.is_empty())
}
