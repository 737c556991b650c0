//! One report line a rule: each kind of check, a missing fact, a period still running.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::calendar::WorkCalendar;
use crate::facts::{FactValue, MetricParams};
use crate::model::{Check, Group, IfMissing, Rule};
use crate::period::{self, Period};

use super::*;

pub(super) fn group_lines(ctx: &Ctx<'_>, g: &Group) -> Vec<ReportLine> {
    g.rules.iter().map(|r| rule_line(ctx, &g.id, r)).collect()
}

pub(super) fn line(
    rule: &Rule,
    group: &str,
    outcome: Outcome,
    detail: String,
    evidence: Vec<String>,
) -> ReportLine {
    ReportLine {
        rule_id: rule.id.clone(),
        group: group.to_owned(),
        title_zh: rule.title_zh.clone(),
        outcome,
        points: None,
        max_points: None,
        detail,
        evidence,
        seed_ref: rule.seed.clone(),
        default: rule.default,
    }
}

/// Rule `period_over`: whether the period counted from `since` (民法典 第二百零一至
/// 二百零三条) still runs on `as_of`, on the shipped calendar (see [`crate::period`]).
pub(super) fn period_over_line(
    since: NaiveDate,
    p: Period,
    key: &str,
    as_of: NaiveDate,
    f: &crate::facts::Fact,
) -> (Outcome, String, Vec<String>, bool) {
    let end = period::last_day(since, p, WorkCalendar::builtin_or_empty());
    let unknown = if end.holidays_known {
        ""
    } else {
        "；该年节假日安排尚未收录，仅按周末顺延"
    };
    let (outcome, detail) = if as_of <= end.day {
        (
            Outcome::NotMet,
            format!(
                "{key} = {since}，{p}期间至 {} 届满{unknown}，{as_of} 仍在期间内",
                end.day
            ),
        )
    } else {
        (
            Outcome::Met,
            format!("{key} = {since}，{p}期间已于 {} 届满{unknown}", end.day),
        )
    };
    (outcome, detail, f.evidence.clone(), true)
}

pub(super) fn missing(rule: &Rule, what: &str) -> (Outcome, String) {
    match rule.if_missing {
        IfMissing::EvidenceMissing => (Outcome::EvidenceMissing, format!("未申报 {what}")),
        IfMissing::NotMet => (Outcome::NotMet, format!("无 {what}")),
        IfMissing::Met => (Outcome::Met, format!("无 {what} 记录")),
    }
}

pub(super) fn rule_line(ctx: &Ctx<'_>, group: &str, rule: &Rule) -> ReportLine {
    let facts = ctx.facts;
    if let Some(oi) = &rule.only_if {
        let applies = matches!(
            facts.values.get(&oi.fact).map(|f| &f.value),
            Some(FactValue::Text(t)) if *t == oi.equals
        );
        if !applies {
            return line(
                rule,
                group,
                Outcome::NotApplicable,
                format!("仅当 {} 为 {} 时适用", oi.fact, oi.equals),
                Vec::new(),
            );
        }
    }
    let (mut outcome, detail, evidence, needs_evidence) = match &rule.check {
        Check::True { fact } | Check::False { fact } => {
            let want = matches!(rule.check, Check::True { .. });
            match facts.values.get(fact) {
                Some(f) => match f.value {
                    FactValue::Bool(b) => (
                        if b == want {
                            Outcome::Met
                        } else {
                            Outcome::NotMet
                        },
                        format!("申报 {fact} = {b}"),
                        f.evidence.clone(),
                        true,
                    ),
                    _ => (
                        Outcome::NotMet,
                        format!("{fact} 不是是/否值"),
                        f.evidence.clone(),
                        false,
                    ),
                },
                None => {
                    let (o, d) = missing(rule, fact);
                    (o, d, Vec::new(), false)
                }
            }
        }
        Check::AtLeast { metric, value }
        | Check::GreaterThan { metric, value }
        | Check::AtMost { metric, value }
        | Check::LessThan { metric, value } => {
            let (op, ok): (&str, fn(Decimal, Decimal) -> bool) = match &rule.check {
                Check::AtLeast { .. } => ("≥", |a, b| a >= b),
                Check::GreaterThan { .. } => (">", |a, b| a > b),
                Check::AtMost { .. } => ("≤", |a, b| a <= b),
                _ => ("<", |a, b| a < b),
            };
            let mp = MetricParams {
                form: ctx.form.as_deref(),
                aggregate_min: ctx.aggregate_min,
                year_window_months: ctx.year_window_months,
                key_window_months: ctx.key_window_months,
            };
            match facts.metric(metric, &mp) {
                Some(m) => {
                    let pass = ok(m.value, value.0);
                    let is_fact = metric.starts_with("fact:") || metric.starts_with("years_since:");
                    (
                        if pass { Outcome::Met } else { Outcome::NotMet },
                        format!("{}；要求 {op} {}", m.detail, value.0.normalize()),
                        m.evidence,
                        is_fact,
                    )
                }
                None => {
                    let (o, d) = missing(rule, metric);
                    (o, d, Vec::new(), false)
                }
            }
        }
        Check::Project {
            min_amount_fen,
            completed_from,
            completed_to,
            demonstration,
            min_count,
        } => {
            let qualifying: Vec<_> = facts
                .projects
                .iter()
                .filter(|p| {
                    p.amount_fen >= *min_amount_fen
                        && p.completed_on >= *completed_from
                        && p.completed_on <= *completed_to
                        && p.accepted
                        && (!demonstration || p.demonstration)
                })
                .collect();
            let with_ev = qualifying.iter().filter(|p| !p.evidence.is_empty()).count();
            let refs: Vec<&str> = qualifying.iter().map(|p| p.project_ref.as_str()).collect();
            let detail = format!(
                "{completed_from} 至 {completed_to} 竣工验收、金额 ≥ {} 元{}的项目 {} 个 [{}]（要求 {min_count} 个）",
                Decimal::new(*min_amount_fen, 2).normalize(),
                if *demonstration {
                    "、属示范项目"
                } else {
                    ""
                },
                qualifying.len(),
                refs.join("、")
            );
            let outcome = if (qualifying.len() as u32) < *min_count {
                Outcome::NotMet
            } else if (with_ev as u32) < *min_count {
                Outcome::EvidenceMissing
            } else {
                Outcome::Met
            };
            let ev = qualifying.iter().flat_map(|p| p.evidence.clone()).collect();
            (outcome, detail, ev, false)
        }
        Check::LeadTime {
            filed,
            starts,
            period,
        } => {
            let date = |k: &str| match facts.values.get(k).map(|f| &f.value) {
                Some(FactValue::Date(d)) => Some(*d),
                _ => None,
            };
            let months = ctx.scheme.param_period(period).map(|p| p.count);
            match (date(filed), date(starts), months) {
                (_, _, Err(e)) => (
                    Outcome::NeedsHumanCheck,
                    format!("提前期参数有误：{e}"),
                    Vec::new(),
                    false,
                ),
                (Some(f), Some(st), Ok(months)) => {
                    let latest = st
                        .checked_sub_months(Months::new(months))
                        .unwrap_or(NaiveDate::MIN);
                    (
                        if f <= latest {
                            Outcome::Met
                        } else {
                            Outcome::NotMet
                        },
                        format!(
                            "{f} 提交，{st} 开始；最迟应于 {latest} 提交（提前 {months} 个月）"
                        ),
                        Vec::new(),
                        false,
                    )
                }
                _ => {
                    let (o, d) = missing(rule, &format!("{filed}/{starts}"));
                    (o, d, Vec::new(), false)
                }
            }
        }
        Check::PeriodOver { since, period } => {
            match (facts.values.get(since), ctx.scheme.param_period(period)) {
                (_, Err(e)) => (
                    Outcome::NeedsHumanCheck,
                    format!("期间参数有误：{e}"),
                    Vec::new(),
                    false,
                ),
                (Some(f), Ok(p)) => match f.value {
                    FactValue::Date(d) => period_over_line(d, p, since, facts.as_of, f),
                    _ => (
                        Outcome::NotMet,
                        format!("{since} 不是日期"),
                        f.evidence.clone(),
                        false,
                    ),
                },
                (None, Ok(_)) => {
                    let (o, d) = missing(rule, since);
                    (o, d, Vec::new(), false)
                }
            }
        }
        Check::OneOf { fact, values } => match facts.values.get(fact) {
            Some(f) => match &f.value {
                FactValue::Text(t) if values.contains(t) => (
                    Outcome::Met,
                    format!("{fact} = {t}"),
                    f.evidence.clone(),
                    true,
                ),
                other => (
                    Outcome::NotMet,
                    format!("{fact} = {other:?}，应为 {}", values.join("/")),
                    f.evidence.clone(),
                    false,
                ),
            },
            None => {
                let (o, d) = missing(rule, fact);
                (o, d, Vec::new(), false)
            }
        },
        Check::Human => (
            Outcome::NeedsHumanCheck,
            "需人工审核".to_owned(),
            Vec::new(),
            false,
        ),
    };
    let mut detail = detail;
    if outcome == Outcome::Met && needs_evidence && !rule.evidence.is_empty() && evidence.is_empty()
    {
        outcome = Outcome::EvidenceMissing;
        detail = format!("{detail}；缺少证明材料：{}", rule.evidence.join("、"));
    }
    if outcome == Outcome::Met && rule.human_check {
        outcome = Outcome::NeedsHumanCheck;
        detail = format!("{detail}；材料需人工核验");
    }
    // A reviewer's recorded decision settles the line; the evidence stays listed.
    if let Some(r) = facts.reviews.get(&rule.id) {
        outcome = if r.met { Outcome::Met } else { Outcome::NotMet };
        let note = r
            .note
            .as_deref()
            .map(|n| format!("：{n}"))
            .unwrap_or_default();
        detail = format!(
            "{detail}；人工审核（{}）{}{note}",
            r.by,
            if r.met { "符合" } else { "不符合" }
        );
    }
    line(rule, group, outcome, detail, evidence)
}
