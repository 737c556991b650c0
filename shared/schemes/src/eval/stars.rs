//! Star ratings: tiers of conditions, the highest star whose tiers are all met.

use crate::model::{GroupRole, Level};

use super::*;

pub(super) fn eval_stars(ctx: &Ctx<'_>, report: &mut Report) {
    let s = ctx.scheme;
    let mut pre = Vec::new();
    for g in s.groups.iter().filter(|g| g.role == GroupRole::Eligibility) {
        pre.extend(group_lines(ctx, g));
    }
    let pre_status = status_of(&pre);
    report.lines.extend(pre);
    let mut best: Option<&Level> = None;
    let mut best_pending: Option<&Level> = None;
    // Levels are listed highest first; evaluate every tier so the report is complete.
    for l in &s.levels {
        let mut lines = Vec::new();
        for g in s
            .groups
            .iter()
            .filter(|g| g.role == GroupRole::Tier && g.level.as_deref() == Some(l.code.as_str()))
        {
            lines.extend(group_lines(ctx, g));
        }
        let st = status_of(&lines).max(pre_status);
        if st == Status::Qualified && best.is_none() {
            best = Some(l);
        }
        if st <= Status::NeedsReview && best_pending.is_none() {
            best_pending = Some(l);
        }
        report.lines.extend(lines);
    }
    report.level = best.map(level_result);
    report.pending_level = match (best, best_pending) {
        (Some(b), Some(p)) if b.code == p.code => None,
        (_, p) => p.map(level_result),
    };
    report.status = if best.is_some() {
        Status::Qualified
    } else if best_pending.is_some() {
        Status::NeedsReview
    } else {
        Status::NotQualified
    };
}
