//! Which level a total reaches, and the line that says so.

use rust_decimal::Decimal;

use crate::model::{Level, Scheme};

use super::*;

pub(super) fn level_result(l: &Level) -> LevelResult {
    LevelResult {
        code: l.code.clone(),
        title_zh: l.title_zh.clone(),
        seed_ref: l.seed.clone(),
    }
}

/// The level whose band contains `score` (levels are validated to partition the scale).
pub fn level_for_score(scheme: &Scheme, score: Decimal) -> Option<&Level> {
    scheme
        .levels
        .iter()
        .find(|l| (l.min.is_some() || l.max.is_some()) && l.contains(score))
}

/// The line that explains which band the total falls in.
pub(super) fn level_line(
    s: &Scheme,
    total: Decimal,
    level: Option<&Level>,
    none_fails: bool,
) -> ReportLine {
    let lowest = s.levels.iter().rev().find(|l| l.min.is_some());
    let (outcome, detail, seed) = match level {
        Some(l) => (
            Outcome::Met,
            format!("总分 {} 落在{}分数段", total.normalize(), l.title_zh),
            l.seed.clone(),
        ),
        None => (
            if none_fails {
                Outcome::NotMet
            } else {
                Outcome::Met
            },
            match lowest {
                Some(l) => format!(
                    "总分 {} 未达到{}分数线 {}",
                    total.normalize(),
                    l.title_zh,
                    l.min.map(|m| m.0.normalize()).unwrap_or_default()
                ),
                None => format!("总分 {} 不在任何等级分数段", total.normalize()),
            },
            lowest
                .map(|l| l.seed.clone())
                .unwrap_or_else(|| s.scheme.seed.clone()),
        ),
    };
    ReportLine {
        rule_id: "level".to_owned(),
        group: "level".to_owned(),
        title_zh: "等级评定".to_owned(),
        outcome,
        points: Some(total.normalize()),
        max_points: None,
        detail,
        evidence: Vec::new(),
        seed_ref: seed,
        default: false,
    }
}
