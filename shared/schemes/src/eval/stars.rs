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
    // Levels are listed highest first; a level builds on the ones below it (a company
    // failing one star's requirements reaches no higher star, even where the higher
    // tier does not repeat the clause), so the status is carried up from the lowest.
    // Every tier is evaluated so the report is complete; lines keep the data's order.
    let mut tiers: Vec<(&Level, Vec<ReportLine>)> = Vec::new();
    for l in &s.levels {
        let mut lines = Vec::new();
        for g in s
            .groups
            .iter()
            .filter(|g| g.role == GroupRole::Tier && g.level.as_deref() == Some(l.code.as_str()))
        {
            lines.extend(group_lines(ctx, g));
        }
        tiers.push((l, lines));
    }
    let mut carried = pre_status;
    for (l, lines) in tiers.iter().rev() {
        carried = carried.max(status_of(lines));
        if carried == Status::Qualified {
            best = Some(l);
        }
        if carried <= Status::NeedsReview {
            best_pending = Some(l);
        }
    }
    for (_, lines) in tiers {
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
