//! Forms (appendix A user evaluation) and revocation grounds.

use serde::{Deserialize, Serialize};

use super::{Dec, SeedRef};

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
