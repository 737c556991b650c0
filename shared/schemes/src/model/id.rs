//! Which scheme: the five ids and how each is evaluated.

use std::fmt;

use serde::{Deserialize, Serialize};

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
