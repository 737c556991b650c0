//! The scheme definition format (one TOML file per scheme version) and its validation.
//!
//! Every number carries a [`SeedRef`] (document and article). Values the seed
//! does not give are marked `default = true` with a `note`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::load::LoadError;
use crate::period::PeriodUnit;

/// The five schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SchemeId {
    /// Seed 000: service-capability grade.
    CapabilityGrade,
    /// Seed 002: fire-technology service credit.
    FireCredit,
    /// Seed 003: O&M service star rating.
    OmStars,
    /// Seed 001: annual awards (one edition per file).
    AnnualAwards,
    /// Seed 004: alarm-operation service operators.
    AlarmOperators,
}

impl SchemeId {
    /// All scheme ids.
    pub const ALL: [SchemeId; 5] = [
        SchemeId::CapabilityGrade,
        SchemeId::FireCredit,
        SchemeId::OmStars,
        SchemeId::AnnualAwards,
        SchemeId::AlarmOperators,
    ];

    /// The kebab-case name used in files and APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemeId::CapabilityGrade => "capability-grade",
            SchemeId::FireCredit => "fire-credit",
            SchemeId::OmStars => "om-stars",
            SchemeId::AnnualAwards => "annual-awards",
            SchemeId::AlarmOperators => "alarm-operators",
        }
    }

    /// How the scheme is evaluated.
    pub fn kind(self) -> SchemeKind {
        match self {
            SchemeId::CapabilityGrade => SchemeKind::Points,
            SchemeId::FireCredit => SchemeKind::Credit,
            SchemeId::OmStars => SchemeKind::Stars,
            SchemeId::AnnualAwards => SchemeKind::Awards,
            SchemeId::AlarmOperators => SchemeKind::Conditions,
        }
    }
}

impl std::str::FromStr for SchemeId {
    type Err = UnknownScheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SchemeId::ALL
            .into_iter()
            .find(|id| id.as_str() == s)
            .ok_or_else(|| UnknownScheme(s.to_owned()))
    }
}

/// A scheme name that is none of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scheme {0:?}")]
pub struct UnknownScheme(pub String);

impl fmt::Display for SchemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Evaluation style of a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    /// Eligibility + point areas + level thresholds (capability grade).
    Points,
    /// Base score + conduct events + level thresholds (fire credit).
    Credit,
    /// Preconditions + requirement tiers, highest tier fully met (stars).
    Stars,
    /// Independent categories, each with conditions and a materials checklist (awards).
    Awards,
    /// Condition groups that must all be met (operators).
    Conditions,
}

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

/// Header of a definition file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Which scheme.
    pub id: SchemeId,
    /// Version label, unique per scheme.
    pub version: String,
    /// First day this version applies (inclusive).
    pub effective_from: NaiveDate,
    /// Last day this version applies (inclusive); open-ended if absent
    /// (a later version then ends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<NaiveDate>,
    /// Chinese title.
    pub title_zh: String,
    /// Issuing authority.
    pub authority_zh: String,
    /// The seed document.
    pub seed: SeedRef,
    /// Why the effective date is what it is, when the seed does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

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

/// A point item (capability grade).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointItem {
    /// Stable id, unique within the scheme.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// Points per declared unit.
    pub points_per_unit: Dec,
    /// What one unit is, e.g. "每项", "每100万元".
    pub unit_zh: String,
    /// Cap on the item's points.
    pub max: Dec,
    /// Evidence the declaration must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A point area (the five areas of seed 000 article 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointArea {
    /// Stable id.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// Cap on the area's points.
    pub max: Dec,
    /// Source.
    pub seed: SeedRef,
    /// Items.
    pub items: Vec<PointItem>,
}

/// The point table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    /// True while the table is a default to be replaced by the official one.
    #[serde(default)]
    pub default: bool,
    /// Explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Areas.
    pub areas: Vec<PointArea>,
}

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

/// An item of a form (appendix A user evaluation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormItem {
    /// Stable id.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// Maximum score.
    pub max: Dec,
}

/// A form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Stable id.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// Declared total of the maxima.
    pub total: Dec,
    /// Source.
    pub seed: SeedRef,
    /// Items.
    pub items: Vec<FormItem>,
}

/// A revocation ground.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ground {
    /// Stable code.
    pub code: String,
    /// Chinese text.
    pub title_zh: String,
    /// Source.
    pub seed: SeedRef,
}

/// A complete scheme version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Header.
    pub scheme: Meta,
    /// Named parameters (windows, years, deadlines).
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// Levels, highest first.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Rule groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Point table (points kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Points>,
    /// Credit table (credit kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Credit>,
    /// Forms (appendix A).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<Form>,
    /// Revocation grounds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revocation_grounds: Vec<Ground>,
    /// The kinds of application the scheme accepts online (none: records kept by the
    /// authority only); see [`crate::applications`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<crate::applications::ApplicationDef>,
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

/// Parameters each kind must define (so the typed accessors cannot fail).
fn required_parameters(id: SchemeId) -> &'static [&'static str] {
    match id {
        SchemeId::CapabilityGrade => &[
            "notice_days",
            "ban_years",
            "annual_report_deadline",
            "certificate_validity",
            "fee_fen",
            "authority_id",
            "certificate_title",
            "serial_prefix",
            "annual_report_reminder_days",
            "annual_report_notice",
            "restructuring_requires_resubmission",
        ],
        SchemeId::FireCredit => &[
            "cycle_months",
            "cycle_anchor",
            "repair_answer_working_days",
            "site_check_day_of_month",
        ],
        SchemeId::OmStars => &[
            "evaluation_aggregate",
            "evaluation_form",
            "contract_window_months",
            "key_client_window_months",
        ],
        SchemeId::AnnualAwards => &["notice_days", "fee_fen"],
        SchemeId::AlarmOperators => &["suspension_lead_months"],
    }
}

/// The one certificate validity rule known today (seed 000 第十九条).
pub const CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE: &str = "until_next_year_annual_report_deadline";

/// Parameters that are periods, with the unit each must be stated in (the code counts
/// them with [`crate::period`] or as calendar months).
const PERIOD_PARAMETERS: &[(&str, PeriodUnit)] = &[
    ("notice_days", PeriodUnit::Days),
    ("ban_years", PeriodUnit::Years),
    ("cycle_months", PeriodUnit::Months),
    ("suspension_lead_months", PeriodUnit::Months),
    ("contract_window_months", PeriodUnit::Months),
    ("key_client_window_months", PeriodUnit::Months),
];

/// Parameters that must be whole numbers.
const INT_PARAMETERS: &[&str] = &[
    "notice_days",
    "ban_years",
    "fee_fen",
    "cycle_months",
    "repair_answer_working_days",
    "site_check_day_of_month",
    "suspension_lead_months",
    "contract_window_months",
    "key_client_window_months",
    "inspection_fee_fen",
];

struct V<'a> {
    file: &'a str,
}

impl V<'_> {
    fn err(&self, path: impl Into<String>, problem: impl Into<String>) -> LoadError {
        LoadError::new(self.file, path, problem)
    }

    fn seed(&self, path: &str, s: &SeedRef) -> Result<(), LoadError> {
        let ok_doc = s.doc.len() == 8
            && s.doc.starts_with("seed-")
            && s.doc[5..].chars().all(|c| c.is_ascii_digit());
        if !ok_doc {
            return Err(self.err(
                format!("{path}.doc"),
                format!("\"{}\" is not a seed document id like \"seed-000\"", s.doc),
            ));
        }
        if s.article.trim().is_empty() {
            return Err(self.err(format!("{path}.article"), "the seed article must be given"));
        }
        Ok(())
    }

    fn default_note(
        &self,
        path: &str,
        default: bool,
        note: &Option<String>,
    ) -> Result<(), LoadError> {
        if default && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(self.err(
                format!("{path}.note"),
                "a value marked default = true must say why in a note",
            ));
        }
        Ok(())
    }
}

impl Scheme {
    /// A rule counting years since a date must not restate a period parameter that the
    /// same seed article states: the two could disagree (seed 000 第二十三条 once gave
    /// `ban_years = 2` and a rule `years_since:revoked_on >= 2`). Such a rule names the
    /// parameter with `kind = "period_over"` instead.
    fn period_not_restated(&self, v: &V<'_>, rule_path: &str, r: &Rule) -> Result<(), LoadError> {
        let same_article = self.parameters.iter().find(|(_, p)| {
            p.unit
                .as_deref()
                .and_then(PeriodUnit::from_parameter_unit)
                .is_some()
                && p.seed.doc == r.seed.doc
                && p.seed.article == r.seed.article
        });
        if let Some((name, p)) = same_article {
            return Err(v.err(
                format!("{rule_path}.check"),
                format!(
                    "rule {} states the period that parameter {name} already states ({} {}); \
                     name it instead: kind = \"period_over\", period = \"{name}\"",
                    r.id, p.seed.doc, p.seed.article
                ),
            ));
        }
        Ok(())
    }

    /// A rule that names a period parameter: the parameter must exist and be a whole
    /// number of days, months or years (in `unit` when given).
    fn period_reference(
        &self,
        v: &V<'_>,
        rule_path: &str,
        name: &str,
        unit: Option<PeriodUnit>,
    ) -> Result<(), LoadError> {
        let path = format!("{rule_path}.check.period");
        let Some(p) = self.parameters.get(name) else {
            return Err(v.err(
                path,
                format!("names parameter \"{name}\", which this file does not define"),
            ));
        };
        let stated = p.unit.as_deref().and_then(PeriodUnit::from_parameter_unit);
        let ok = matches!(p.value, ParamValue::Int(i) if i >= 0)
            && stated.is_some()
            && (unit.is_none() || stated == unit);
        if !ok {
            return Err(v.err(
                path,
                format!(
                    "parameter \"{name}\" is not a whole number of {}",
                    match unit {
                        Some(PeriodUnit::Months) => "months",
                        Some(PeriodUnit::Years) => "years",
                        Some(PeriodUnit::Days) => "calendar days",
                        None => "calendar days, months or years",
                    }
                ),
            ));
        }
        Ok(())
    }

    /// Check internal consistency. `file` names the source in errors.
    pub fn validate(&self, file: &str) -> Result<(), LoadError> {
        let v = V { file };
        let m = &self.scheme;
        let kind = m.id.kind();
        if m.version.trim().is_empty() {
            return Err(v.err("scheme.version", "the version must not be empty"));
        }
        if let Some(u) = m.effective_until
            && u < m.effective_from
        {
            return Err(v.err(
                "scheme.effective_until",
                format!("{u} is before effective_from {}", m.effective_from),
            ));
        }
        v.seed("scheme.seed", &m.seed)?;

        for key in required_parameters(m.id) {
            if !self.parameters.contains_key(*key) {
                return Err(v.err(
                    format!("parameters.{key}"),
                    format!("parameter {key} is required for {}", m.id),
                ));
            }
        }
        for (k, p) in &self.parameters {
            let path = format!("parameters.{k}");
            v.seed(&format!("{path}.seed"), &p.seed)?;
            v.default_note(&path, p.default, &p.note)?;
            if let ParamValue::Int(i) = p.value
                && i < 0
            {
                return Err(v.err(format!("{path}.value"), "must not be negative"));
            }
        }
        for key in INT_PARAMETERS {
            if let Some(p) = self.parameters.get(*key)
                && !matches!(p.value, ParamValue::Int(_))
            {
                return Err(v.err(
                    format!("parameters.{key}.value"),
                    format!("{key} must be a whole number, found {:?}", p.value),
                ));
            }
        }
        for (key, unit) in PERIOD_PARAMETERS {
            if let Some(p) = self.parameters.get(*key) {
                let stated = p.unit.as_deref().and_then(PeriodUnit::from_parameter_unit);
                if stated != Some(*unit) {
                    return Err(v.err(
                        format!("parameters.{key}.unit"),
                        format!(
                            "{key} is a period counted in {unit:?}; state its unit as {}",
                            match unit {
                                PeriodUnit::Days => "\"calendar_days\"",
                                PeriodUnit::Months => "\"months\"",
                                PeriodUnit::Years => "\"years\"",
                            }
                        ),
                    ));
                }
                if matches!(p.value, ParamValue::Int(i) if i < 0) {
                    return Err(v.err(
                        format!("parameters.{key}.value"),
                        "a period cannot be negative",
                    ));
                }
            }
        }
        if let Some(p) = self.parameters.get("annual_report_deadline") {
            let ok = matches!(&p.value, ParamValue::Text(t) if parse_month_day(t).is_some());
            if !ok {
                return Err(v.err(
                    "parameters.annual_report_deadline.value",
                    "must be a month-day like \"06-30\"",
                ));
            }
        }

        for (key, allowed) in [
            ("cycle_anchor", &["calendar_year"][..]),
            ("evaluation_aggregate", &["mean", "min"][..]),
            (
                "annual_report_notice",
                &["always", "on_grade_change", "never"][..],
            ),
            (
                "certificate_validity",
                &[CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE][..],
            ),
        ] {
            if let Some(p) = self.parameters.get(key) {
                let ok = matches!(&p.value, ParamValue::Text(t) if allowed.contains(&t.as_str()));
                if !ok {
                    return Err(v.err(
                        format!("parameters.{key}.value"),
                        format!("{key} must be one of {}", allowed.join(", ")),
                    ));
                }
            }
        }

        // Levels.
        let mut codes = BTreeSet::new();
        for (i, l) in self.levels.iter().enumerate() {
            let path = format!("levels[{i}]");
            v.seed(&format!("{path}.seed"), &l.seed)?;
            if !codes.insert(l.code.as_str()) {
                return Err(v.err(
                    format!("{path}.code"),
                    format!("level {} is defined twice", l.code),
                ));
            }
            for (j, ms) in l.measures.iter().enumerate() {
                v.seed(&format!("{path}.measures[{j}].seed"), &ms.seed)?;
            }
            if let (Some(lo), Some(hi)) = (l.min, l.max)
                && (lo > hi || (lo == hi && !(l.min_inclusive && l.max_inclusive)))
            {
                return Err(v.err(format!("{path}.max"), "the band is empty (max below min)"));
            }
        }
        if matches!(kind, SchemeKind::Points | SchemeKind::Credit) {
            if self.levels.is_empty() {
                return Err(v.err("levels", "a scored scheme needs levels"));
            }
            for (i, w) in self.levels.windows(2).enumerate() {
                let (hi, lo) = (&w[0], &w[1]);
                let path = format!("levels[{}]", i + 1);
                let Some(Dec(hi_min)) = hi.min else {
                    return Err(v.err(
                        format!("levels[{i}].min"),
                        "only the lowest level may be unbounded below",
                    ));
                };
                match lo.max {
                    None => {
                        if let Some(Dec(lo_min)) = lo.min
                            && lo_min >= hi_min
                        {
                            return Err(v.err(
                                format!("{path}.min"),
                                format!(
                                    "levels must be listed highest first: {} is not below {hi_min}",
                                    lo_min
                                ),
                            ));
                        }
                        if lo.min.is_none() {
                            return Err(v.err(
                                format!("{path}.max"),
                                "an unbounded level below another needs a max",
                            ));
                        }
                    }
                    Some(Dec(lo_max)) => {
                        if lo_max != hi_min {
                            return Err(v.err(
                                format!("{path}.max"),
                                format!(
                                    "levels must touch: max {lo_max} differs from the min {hi_min} of level {}",
                                    hi.code
                                ),
                            ));
                        }
                        if lo.max_inclusive == hi.min_inclusive {
                            return Err(v.err(
                                format!("{path}.max_inclusive"),
                                format!(
                                    "levels {} and {} {} at {hi_min}",
                                    hi.code,
                                    lo.code,
                                    if hi.min_inclusive {
                                        "overlap"
                                    } else {
                                        "leave a gap"
                                    }
                                ),
                            ));
                        }
                    }
                }
            }
            if let Some(l) = self.levels.first()
                && l.max.is_some()
            {
                return Err(v.err("levels[0].max", "the highest level must be unbounded above"));
            }
        }

        // Groups and rules.
        let mut rule_ids = BTreeSet::new();
        let mut group_ids = BTreeSet::new();
        for (gi, g) in self.groups.iter().enumerate() {
            let gp = format!("groups[{gi}]");
            if !group_ids.insert(g.id.as_str()) {
                return Err(v.err(
                    format!("{gp}.id"),
                    format!("group {} is defined twice", g.id),
                ));
            }
            v.seed(&format!("{gp}.seed"), &g.seed)?;
            match g.role {
                GroupRole::Tier => match &g.level {
                    Some(l) if codes.contains(l.as_str()) => {}
                    Some(l) => {
                        return Err(v.err(format!("{gp}.level"), format!("unknown level {l}")));
                    }
                    None => return Err(v.err(format!("{gp}.level"), "a tier group needs a level")),
                },
                GroupRole::Category => {
                    if g.entrant.is_none() {
                        return Err(v.err(
                            format!("{gp}.entrant"),
                            "a category must say who may enter (unit or person)",
                        ));
                    }
                    if g.materials.is_empty() {
                        return Err(v.err(
                            format!("{gp}.materials"),
                            "a category needs a materials checklist",
                        ));
                    }
                }
                GroupRole::Conditional => {
                    if g.applies_if.is_none() {
                        return Err(v.err(
                            format!("{gp}.applies_if"),
                            "a conditional group needs applies_if",
                        ));
                    }
                }
                GroupRole::Eligibility => {}
            }
            let mut mat_ids = BTreeSet::new();
            for (mi, mat) in g.materials.iter().enumerate() {
                if !mat_ids.insert(mat.id.as_str()) {
                    return Err(v.err(
                        format!("{gp}.materials[{mi}].id"),
                        format!("material {} is listed twice", mat.id),
                    ));
                }
                v.seed(&format!("{gp}.materials[{mi}].seed"), &mat.seed)?;
            }
            if g.rules.is_empty() && g.materials.is_empty() {
                return Err(v.err(format!("{gp}.rules"), "a group needs at least one rule"));
            }
            for (ri, r) in g.rules.iter().enumerate() {
                let rp = format!("{gp}.rules[{ri}]");
                if !rule_ids.insert(r.id.as_str()) {
                    return Err(v.err(
                        format!("{rp}.id"),
                        format!("rule id {} is used twice", r.id),
                    ));
                }
                v.seed(&format!("{rp}.seed"), &r.seed)?;
                v.default_note(&rp, r.default, &r.note)?;
                match &r.check {
                    Check::AtLeast { metric, .. }
                    | Check::GreaterThan { metric, .. }
                    | Check::AtMost { metric, .. }
                    | Check::LessThan { metric, .. }
                        if !is_known_metric(metric) =>
                    {
                        return Err(v.err(
                            format!("{rp}.check.metric"),
                            format!("unknown metric \"{metric}\""),
                        ));
                    }
                    Check::Project {
                        completed_from,
                        completed_to,
                        min_amount_fen,
                        ..
                    } => {
                        if completed_to < completed_from {
                            return Err(v.err(
                                format!("{rp}.check.completed_to"),
                                "window ends before it starts",
                            ));
                        }
                        if *min_amount_fen < 0 {
                            return Err(v.err(
                                format!("{rp}.check.min_amount_fen"),
                                "must not be negative",
                            ));
                        }
                    }
                    Check::OneOf { values, .. } if values.is_empty() => {
                        return Err(v.err(format!("{rp}.check.values"), "list at least one value"));
                    }
                    Check::PeriodOver { period, .. } => {
                        self.period_reference(&v, &rp, period, None)?;
                    }
                    Check::AtLeast { metric, .. }
                    | Check::GreaterThan { metric, .. }
                    | Check::AtMost { metric, .. }
                    | Check::LessThan { metric, .. }
                        if metric.starts_with("years_since:") =>
                    {
                        self.period_not_restated(&v, &rp, r)?;
                    }
                    Check::LeadTime { period, .. } => {
                        self.period_reference(&v, &rp, period, Some(PeriodUnit::Months))?;
                    }
                    _ => {}
                }
            }
        }
        let has_role = |r: GroupRole| self.groups.iter().any(|g| g.role == r);
        match kind {
            SchemeKind::Points => {
                let Some(p) = &self.points else {
                    return Err(v.err("points", "the capability grade needs a point table"));
                };
                v.default_note("points", p.default, &p.note)?;
                let mut item_ids = BTreeSet::new();
                let mut total = Decimal::ZERO;
                for (ai, a) in p.areas.iter().enumerate() {
                    let ap = format!("points.areas[{ai}]");
                    v.seed(&format!("{ap}.seed"), &a.seed)?;
                    if a.max.0 <= Decimal::ZERO {
                        return Err(v.err(format!("{ap}.max"), "must be positive"));
                    }
                    if a.items.is_empty() {
                        return Err(v.err(format!("{ap}.items"), "an area needs at least one item"));
                    }
                    for (ii, it) in a.items.iter().enumerate() {
                        let ip = format!("{ap}.items[{ii}]");
                        if !item_ids.insert(it.id.as_str()) {
                            return Err(v.err(
                                format!("{ip}.id"),
                                format!("item {} is defined twice", it.id),
                            ));
                        }
                        if it.max.0 <= Decimal::ZERO || it.points_per_unit.0 <= Decimal::ZERO {
                            return Err(
                                v.err(format!("{ip}.max"), "points and max must be positive")
                            );
                        }
                        if it.max.0 > a.max.0 {
                            return Err(v.err(
                                format!("{ip}.max"),
                                format!("item max {} exceeds its area max {}", it.max.0, a.max.0),
                            ));
                        }
                    }
                    total += a.max.0;
                }
                if let Some(Dec(top)) = self.levels.first().and_then(|l| l.min)
                    && total < top
                {
                    return Err(v.err(
                        "points.areas",
                        format!("the areas' maxima add up to {total}, so level {} ({top}) is unreachable", self.levels[0].code),
                    ));
                }
                if !has_role(GroupRole::Eligibility) {
                    return Err(v.err(
                        "groups",
                        "the capability grade needs its eligibility conditions",
                    ));
                }
                if self.revocation_grounds.is_empty() {
                    return Err(v.err(
                        "revocation_grounds",
                        "the revocation grounds must be listed",
                    ));
                }
            }
            SchemeKind::Credit => {
                let Some(c) = &self.credit else {
                    return Err(v.err("credit", "the credit scheme needs a conduct table"));
                };
                v.seed("credit.seed", &c.seed)?;
                let mut cc = BTreeSet::new();
                for (ci, k) in c.conduct.iter().enumerate() {
                    let kp = format!("credit.conduct[{ci}]");
                    if !cc.insert(k.code.as_str()) {
                        return Err(v.err(
                            format!("{kp}.code"),
                            format!("conduct {} is defined twice", k.code),
                        ));
                    }
                    v.seed(&format!("{kp}.seed"), &k.seed)?;
                    v.default_note(&kp, k.default, &k.note)?;
                    if k.points.0 <= Decimal::ZERO {
                        return Err(v.err(
                            format!("{kp}.points"),
                            "points are positive; direction gives the sign",
                        ));
                    }
                    if k.direction == Direction::Trustworthy && k.max_per_cycle.is_none() {
                        return Err(v.err(
                            format!("{kp}.max_per_cycle"),
                            "a trustworthy conduct kind needs a cap so the score stays bounded",
                        ));
                    }
                }
            }
            SchemeKind::Stars => {
                if !has_role(GroupRole::Tier) {
                    return Err(v.err("groups", "a star scheme needs tier groups"));
                }
                for l in &self.levels {
                    if !self
                        .groups
                        .iter()
                        .any(|g| g.level.as_deref() == Some(l.code.as_str()))
                    {
                        return Err(v.err("levels", format!("level {} has no tier group", l.code)));
                    }
                }
            }
            SchemeKind::Awards => {
                if !has_role(GroupRole::Category) {
                    return Err(v.err("groups", "an awards edition needs categories"));
                }
            }
            SchemeKind::Conditions => {
                if !has_role(GroupRole::Eligibility) {
                    return Err(v.err("groups", "an operator scheme needs conditions"));
                }
            }
        }
        for (fi, f) in self.forms.iter().enumerate() {
            let fp = format!("forms[{fi}]");
            v.seed(&format!("{fp}.seed"), &f.seed)?;
            let sum: Decimal = f.items.iter().map(|i| i.max.0).sum();
            if sum != f.total.0 {
                return Err(v.err(
                    format!("{fp}.items"),
                    format!(
                        "the item maxima add up to {sum}, not the declared total {}",
                        f.total.0
                    ),
                ));
            }
        }
        if let Some(ParamValue::Text(form)) =
            self.parameters.get("evaluation_form").map(|p| &p.value)
            && !self.forms.iter().any(|f| &f.id == form)
        {
            return Err(v.err(
                "parameters.evaluation_form.value",
                format!("no form with id {form}"),
            ));
        }
        let mut gc = BTreeSet::new();
        for (i, g) in self.revocation_grounds.iter().enumerate() {
            if !gc.insert(g.code.as_str()) {
                return Err(v.err(format!("revocation_grounds[{i}].code"), "code used twice"));
            }
            v.seed(&format!("revocation_grounds[{i}].seed"), &g.seed)?;
        }
        for (i, a) in self.applications.iter().enumerate() {
            v.seed(&format!("applications[{i}].seed"), &a.seed)?;
            for (j, sd) in a.sections.iter().enumerate() {
                if let Some(seed) = &sd.seed {
                    v.seed(&format!("applications[{i}].sections[{j}].seed"), seed)?;
                }
            }
        }
        self.validate_applications(file)
    }
}

/// Parse "MM-DD".
pub(crate) fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // Validate against a leap year so 02-29 is accepted as a form.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}
