//! Condition schemes (the alarm operators): every condition met or not.

use crate::model::GroupRole;

use super::*;

pub(super) fn eval_conditions(ctx: &Ctx<'_>, report: &mut Report) {
    let s = ctx.scheme;
    let mut lines = Vec::new();
    for g in &s.groups {
        match g.role {
            GroupRole::Eligibility => lines.extend(group_lines(ctx, g)),
            GroupRole::Conditional => {
                let active = g
                    .applies_if
                    .as_deref()
                    .is_some_and(|f| ctx.facts.values.contains_key(f));
                if active {
                    lines.extend(group_lines(ctx, g));
                }
            }
            _ => {}
        }
    }
    report.status = status_of(&lines);
    // A scheme with one level (the operators' filing: 已备案) reaches it when every
    // condition is met.
    if report.status == Status::Qualified
        && let [only] = s.levels.as_slice()
    {
        report.level = Some(level_result(only));
    }
    report.lines = lines;
}
