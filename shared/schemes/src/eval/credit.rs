//! Credit schemes: the cycle, conduct events, the score and its level.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use crate::model::{Direction, ParamValue, Scheme};

use super::*;

/// The credit cycle containing `date`, as (first day, last day).
pub fn credit_cycle(scheme: &Scheme, date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let months = match scheme.parameters.get("cycle_months").map(|p| &p.value) {
        Some(ParamValue::Int(m)) if *m > 0 => *m as u32,
        _ => 12,
    };
    // Anchor: calendar year (the default): cycles start on 1 January.
    let start_of_year = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date);
    let mut start = start_of_year;
    while let Some(next) = start.checked_add_months(Months::new(months))
        && next <= date
    {
        start = next;
    }
    let end = start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start);
    (start, end)
}

pub(super) fn eval_credit(ctx: &Ctx<'_>, report: &mut Report) {
    let s = ctx.scheme;
    let Some(credit) = &s.credit else { return };
    let (cycle_start, cycle_end) = credit_cycle(s, ctx.facts.as_of);
    let base = credit.base.0;
    report.lines.push(ReportLine {
        rule_id: "base".to_owned(),
        group: "credit".to_owned(),
        title_zh: "基础分".to_owned(),
        outcome: Outcome::Points,
        points: Some(base.normalize()),
        max_points: Some(base.normalize()),
        detail: format!("评价周期 {cycle_start} 至 {cycle_end}"),
        evidence: Vec::new(),
        seed_ref: credit.seed.clone(),
        default: false,
    });
    let mut total = base;
    let mut max_total = base;
    let mut events: Vec<_> = ctx.facts.credit_events.iter().collect();
    events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    for k in &credit.conduct {
        let sign = if k.direction == Direction::Trustworthy {
            Decimal::ONE
        } else {
            -Decimal::ONE
        };
        let mut used = Decimal::ZERO;
        for e in events.iter().filter(|e| e.code == k.code) {
            let (outcome, pts, detail) = if e.date > ctx.facts.as_of {
                (
                    Outcome::NotApplicable,
                    Decimal::ZERO,
                    format!("{} 晚于评价日，不计", e.date),
                )
            } else if e.date < cycle_start {
                (
                    Outcome::NotApplicable,
                    Decimal::ZERO,
                    format!("{} 属上一评价周期，周期结束后自然修复", e.date),
                )
            } else if let Some(r) = e.repaired_on.filter(|r| *r <= ctx.facts.as_of) {
                (
                    Outcome::Points,
                    Decimal::ZERO,
                    format!("{} 记录，{r} 信用修复，恢复相应分值", e.date),
                )
            } else {
                let room = match k.max_per_cycle {
                    Some(cap) => (cap.0 - used).max(Decimal::ZERO),
                    None => k.points.0,
                };
                let p = k.points.0.min(room);
                used += p;
                let capped = if p < k.points.0 {
                    format!(
                        "（本周期上限 {} 已满）",
                        k.max_per_cycle.map(|c| c.0).unwrap_or_default().normalize()
                    )
                } else {
                    String::new()
                };
                (
                    Outcome::Points,
                    sign * p,
                    format!("{} 记录 {}{capped}", e.date, k.title_zh),
                )
            };
            total += pts;
            report.lines.push(ReportLine {
                rule_id: format!("{}:{}", k.code, e.id),
                group: match k.direction {
                    Direction::Trustworthy => "trustworthy".to_owned(),
                    Direction::Untrustworthy => "untrustworthy".to_owned(),
                },
                title_zh: k.title_zh.clone(),
                outcome,
                points: Some(pts.normalize()),
                max_points: k.max_per_cycle.map(|c| c.0.normalize()),
                detail,
                evidence: vec![e.id.clone()],
                seed_ref: k.seed.clone(),
                default: k.default,
            });
        }
        if k.direction == Direction::Trustworthy {
            max_total += k.max_per_cycle.map(|c| c.0).unwrap_or_default();
        }
    }
    for e in events
        .iter()
        .filter(|e| !credit.conduct.iter().any(|k| k.code == e.code))
    {
        report.lines.push(ReportLine {
            rule_id: format!("{}:{}", e.code, e.id),
            group: "unknown".to_owned(),
            title_zh: "未知信用行为".to_owned(),
            outcome: Outcome::NeedsHumanCheck,
            points: Some(Decimal::ZERO),
            max_points: None,
            detail: format!("计分标准中没有代码 {}，需人工认定", e.code),
            evidence: vec![e.id.clone()],
            seed_ref: credit.seed.clone(),
            default: false,
        });
    }
    report.total = Some(total.normalize());
    report.max_total = Some(max_total.normalize());
    let level = level_for_score(s, total);
    report.lines.push(level_line(s, total, level, false));
    report.level = level.map(level_result);
    report.status = if report.lines.iter().any(|l| l.outcome.is_pending()) {
        Status::NeedsReview
    } else {
        Status::Qualified
    };
}
