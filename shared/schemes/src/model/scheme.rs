//! A complete scheme version: its header and every table a definition file holds.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Credit, Form, Ground, Group, Level, Parameter, Points, SchemeId, SeedRef};

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
