//! The point table of a points scheme (the capability grade).

use serde::{Deserialize, Serialize};

use super::{Dec, SeedRef};

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
