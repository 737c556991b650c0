//! Pure evaluation of facts under one scheme version, into an itemized report.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::facts::{FactValue, Facts, MetricParams};
use crate::model::{
    ApplicantKind, Check, Direction, Group, GroupRole, IfMissing, Level, ParamValue, Rule, Scheme,
    SchemeId, SchemeKind, SeedRef,
};
use crate::period::{self, Period};

/// Outcome of one report line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule is met.
    Met,
    /// The rule is not met.
    NotMet,
    /// Points were counted (see `points`).
    Points,
    /// The fact or material is declared without the evidence it needs, or not declared at all.
    EvidenceMissing,
    /// A person must look at the evidence (or decide) before the rule counts.
    NeedsHumanCheck,
    /// Not applicable to these facts (e.g. a category not entered).
    NotApplicable,
}

impl Outcome {
    fn is_pending(self) -> bool {
        matches!(self, Outcome::EvidenceMissing | Outcome::NeedsHumanCheck)
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    /// Rule, item, area, event or material id.
    pub rule_id: String,
    /// Group (eligibility, tier, category, area) the line belongs to.
    pub group: String,
    /// Chinese title.
    pub title_zh: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Points counted (signed for credit events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// Maximum points of the item or area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_points: Option<Decimal>,
    /// What was observed, in words (the value compared, who failed, why).
    pub detail: String,
    /// Evidence references relied on.
    pub evidence: Vec<String>,
    /// The seed article behind the line.
    pub seed_ref: SeedRef,
    /// The value behind the line is a default, not given by the seed.
    pub default: bool,
}

/// The level reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelResult {
    /// Level code ("1", "A", "3" stars).
    pub code: String,
    /// Chinese title.
    pub title_zh: String,
    /// Where its threshold comes from.
    pub seed_ref: SeedRef,
}

/// Overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Everything required is met; `level` is final.
    Qualified,
    /// Nothing fails outright, but evidence is missing or a person must check.
    NeedsReview,
    /// At least one condition fails, or no level is reached.
    NotQualified,
}

/// Result of one award category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryResult {
    /// Category code.
    pub code: String,
    /// Chinese title.
    pub title_zh: String,
    /// Status for this category.
    pub status: Status,
}

/// The evaluation report. Same scheme and facts give the same report, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Scheme.
    pub scheme: SchemeId,
    /// Version used.
    pub version: String,
    /// That version's first day.
    pub effective_from: NaiveDate,
    /// The date the facts are evaluated on.
    pub as_of: NaiveDate,
    /// Every rule, item, event and material, in definition order.
    pub lines: Vec<ReportLine>,
    /// Total score (points and credit schemes), exact.
    pub total: Option<Decimal>,
    /// Highest total reachable (sum of maxima).
    pub max_total: Option<Decimal>,
    /// Level reached (grade, credit level, stars); `None` for none.
    pub level: Option<LevelResult>,
    /// For stars: the higher level reachable once pending lines are confirmed.
    pub pending_level: Option<LevelResult>,
    /// Overall status.
    pub status: Status,
    /// Award categories evaluated.
    pub categories: Vec<CategoryResult>,
    /// Ids of lines not met (the failing conditions, by name).
    pub failed: Vec<String>,
    /// Ids of lines with missing evidence or awaiting a human check.
    pub pending: Vec<String>,
}

impl Report {
    /// The line with this id, if any.
    pub fn line(&self, rule_id: &str) -> Option<&ReportLine> {
        self.lines.iter().find(|l| l.rule_id == rule_id)
    }

    /// Deterministic JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

struct Ctx<'a> {
    scheme: &'a Scheme,
    facts: &'a Facts,
    form: Option<Vec<(String, Decimal)>>,
    aggregate_min: bool,
    year_window_months: u32,
    key_window_months: u32,
}

/// Evaluate `facts` under `scheme`. Pure: no I/O, no clock; `facts.as_of` is the date.
pub fn evaluate(scheme: &Scheme, facts: &Facts) -> Report {
    let form_id = match scheme.parameters.get("evaluation_form").map(|p| &p.value) {
        Some(ParamValue::Text(t)) => Some(t.as_str()),
        _ => None,
    };
    let form = form_id
        .and_then(|id| scheme.forms.iter().find(|f| f.id == id))
        .map(|f| {
            f.items
                .iter()
                .map(|i| (i.id.clone(), i.max.0))
                .collect::<Vec<_>>()
        });
    let aggregate_min = matches!(
        scheme.parameters.get("evaluation_aggregate").map(|p| &p.value),
        Some(ParamValue::Text(t)) if t == "min"
    );
    let months = |k: &str, dflt: u32| match scheme.parameters.get(k).map(|p| &p.value) {
        Some(ParamValue::Int(m)) if *m > 0 => *m as u32,
        _ => dflt,
    };
    let ctx = Ctx {
        scheme,
        facts,
        form,
        aggregate_min,
        // Only used by schemes whose definitions declare these windows (validated).
        year_window_months: months("contract_window_months", 12),
        key_window_months: months("key_client_window_months", 60),
    };
    let mut report = Report {
        scheme: scheme.scheme.id,
        version: scheme.scheme.version.clone(),
        effective_from: scheme.scheme.effective_from,
        as_of: facts.as_of,
        lines: Vec::new(),
        total: None,
        max_total: None,
        level: None,
        pending_level: None,
        status: Status::NotQualified,
        categories: Vec::new(),
        failed: Vec::new(),
        pending: Vec::new(),
    };
    match scheme.scheme.id.kind() {
        SchemeKind::Points => eval_points(&ctx, &mut report),
        SchemeKind::Credit => eval_credit(&ctx, &mut report),
        SchemeKind::Stars => eval_stars(&ctx, &mut report),
        SchemeKind::Awards => eval_awards(&ctx, &mut report),
        SchemeKind::Conditions => eval_conditions(&ctx, &mut report),
    }
    for l in &report.lines {
        if l.outcome == Outcome::NotMet {
            report.failed.push(l.rule_id.clone());
        } else if l.outcome.is_pending() {
            report.pending.push(l.rule_id.clone());
        }
    }
    report
}

fn status_of(lines: &[ReportLine]) -> Status {
    if lines.iter().any(|l| l.outcome == Outcome::NotMet) {
        Status::NotQualified
    } else if lines.iter().any(|l| l.outcome.is_pending()) {
        Status::NeedsReview
    } else {
        Status::Qualified
    }
}

fn level_result(l: &Level) -> LevelResult {
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
fn level_line(s: &Scheme, total: Decimal, level: Option<&Level>, none_fails: bool) -> ReportLine {
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

fn group_lines(ctx: &Ctx<'_>, g: &Group) -> Vec<ReportLine> {
    g.rules.iter().map(|r| rule_line(ctx, &g.id, r)).collect()
}

fn eval_points(ctx: &Ctx<'_>, report: &mut Report) {
    let s = ctx.scheme;
    let mut elig = Vec::new();
    for g in s.groups.iter().filter(|g| g.role == GroupRole::Eligibility) {
        elig.extend(group_lines(ctx, g));
    }
    let elig_status = status_of(&elig);
    report.lines.extend(elig);

    let Some(points) = &s.points else { return };
    // Sum the declarations per item (one item may be declared several times).
    let mut declared: BTreeMap<&str, (Decimal, Vec<String>)> = BTreeMap::new();
    for d in &ctx.facts.declared_items {
        let e = declared.entry(d.item.as_str()).or_default();
        e.0 += d.quantity.max(Decimal::ZERO);
        e.1.extend(d.evidence.iter().cloned());
    }
    let mut total = Decimal::ZERO;
    let mut max_total = Decimal::ZERO;
    for a in &points.areas {
        let mut area_sum = Decimal::ZERO;
        for it in &a.items {
            let (qty, ev) = declared.remove(it.id.as_str()).unwrap_or_default();
            let (outcome, pts, detail) = if qty.is_zero() {
                (Outcome::Points, Decimal::ZERO, "未申报，不计分".to_owned())
            } else if !it.evidence.is_empty() && ev.is_empty() {
                (
                    Outcome::EvidenceMissing,
                    Decimal::ZERO,
                    format!(
                        "申报 {} 但缺少证明材料：{}",
                        qty.normalize(),
                        it.evidence.join("、")
                    ),
                )
            } else {
                let raw = qty * it.points_per_unit.0;
                let p = raw.min(it.max.0);
                (
                    Outcome::Points,
                    p,
                    format!(
                        "申报 {} × {} 分（{}）= {}，上限 {}",
                        qty.normalize(),
                        it.points_per_unit.0.normalize(),
                        it.unit_zh,
                        raw.normalize(),
                        it.max.0.normalize()
                    ),
                )
            };
            area_sum += pts;
            report.lines.push(ReportLine {
                rule_id: it.id.clone(),
                group: a.id.clone(),
                title_zh: it.title_zh.clone(),
                outcome,
                points: Some(pts.normalize()),
                max_points: Some(it.max.0.normalize()),
                detail,
                evidence: ev,
                seed_ref: a.seed.clone(),
                default: points.default,
            });
        }
        let capped = area_sum.min(a.max.0);
        total += capped;
        max_total += a.max.0;
        report.lines.push(ReportLine {
            rule_id: format!("area:{}", a.id),
            group: a.id.clone(),
            title_zh: format!("{}（小计）", a.title_zh),
            outcome: Outcome::Points,
            points: Some(capped.normalize()),
            max_points: Some(a.max.0.normalize()),
            detail: format!(
                "各项合计 {}，本方面上限 {}",
                area_sum.normalize(),
                a.max.0.normalize()
            ),
            evidence: Vec::new(),
            seed_ref: a.seed.clone(),
            default: points.default,
        });
    }
    for (item, (qty, ev)) in declared {
        report.lines.push(ReportLine {
            rule_id: item.to_owned(),
            group: "unknown".to_owned(),
            title_zh: "未知积分项".to_owned(),
            outcome: Outcome::NotMet,
            points: Some(Decimal::ZERO),
            max_points: None,
            detail: format!("积分表中没有此项（申报 {}），不计分", qty.normalize()),
            evidence: ev,
            seed_ref: s.scheme.seed.clone(),
            default: false,
        });
    }
    report.total = Some(total.normalize());
    report.max_total = Some(max_total.normalize());
    let level = level_for_score(s, total);
    report.lines.push(level_line(s, total, level, true));
    report.level = match (elig_status, level) {
        (Status::NotQualified, _) | (_, None) => None,
        (_, Some(l)) => Some(level_result(l)),
    };
    report.status = match (elig_status, level) {
        (Status::NotQualified, _) | (_, None) => Status::NotQualified,
        (st, Some(_)) => st,
    };
}

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

fn eval_credit(ctx: &Ctx<'_>, report: &mut Report) {
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

fn eval_stars(ctx: &Ctx<'_>, report: &mut Report) {
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

fn eval_awards(ctx: &Ctx<'_>, report: &mut Report) {
    let s = ctx.scheme;
    for g in s.groups.iter().filter(|g| g.role == GroupRole::Category) {
        let entered = ctx.facts.entries.is_empty() || ctx.facts.entries.contains(&g.id);
        if !entered {
            continue;
        }
        let mut lines = Vec::new();
        if let Some(kind) = g.entrant {
            let (outcome, detail) = match ctx.facts.applicant_kind {
                Some(k) if k == kind => (Outcome::Met, format!("申报主体为{}", kind_zh(k))),
                Some(k) => (
                    Outcome::NotMet,
                    format!("本奖项仅限{}申报，申报主体为{}", kind_zh(kind), kind_zh(k)),
                ),
                None => (Outcome::EvidenceMissing, "未说明申报主体类型".to_owned()),
            };
            lines.push(ReportLine {
                rule_id: format!("{}.entrant", g.id),
                group: g.id.clone(),
                title_zh: format!("申报主体：{}", kind_zh(kind)),
                outcome,
                points: None,
                max_points: None,
                detail,
                evidence: Vec::new(),
                seed_ref: g.seed.clone(),
                default: false,
            });
        }
        lines.extend(group_lines(ctx, g));
        for m in &g.materials {
            let id = format!("{}.{}", g.id, m.id);
            let ev = ctx.facts.materials.get(&id).cloned().unwrap_or_default();
            let outcome = if ev.is_empty() {
                Outcome::EvidenceMissing
            } else {
                Outcome::Met
            };
            lines.push(ReportLine {
                detail: if ev.is_empty() {
                    "材料未上传".to_owned()
                } else {
                    format!("已上传 {} 份", ev.len())
                },
                rule_id: id,
                group: g.id.clone(),
                title_zh: format!("材料：{}", m.title_zh),
                outcome,
                points: None,
                max_points: None,
                evidence: ev,
                seed_ref: m.seed.clone(),
                default: false,
            });
        }
        report.categories.push(CategoryResult {
            code: g.id.clone(),
            title_zh: g.title_zh.clone(),
            status: status_of(&lines),
        });
        report.lines.extend(lines);
    }
    report.status = report
        .categories
        .iter()
        .map(|c| c.status)
        .min()
        .unwrap_or(Status::NotQualified);
}

fn kind_zh(k: ApplicantKind) -> &'static str {
    match k {
        ApplicantKind::Unit => "单位",
        ApplicantKind::Person => "个人",
    }
}

fn eval_conditions(ctx: &Ctx<'_>, report: &mut Report) {
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
    report.lines = lines;
}

fn line(
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
fn period_over_line(
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

fn missing(rule: &Rule, what: &str) -> (Outcome, String) {
    match rule.if_missing {
        IfMissing::EvidenceMissing => (Outcome::EvidenceMissing, format!("未申报 {what}")),
        IfMissing::NotMet => (Outcome::NotMet, format!("无 {what}")),
        IfMissing::Met => (Outcome::Met, format!("无 {what} 记录")),
    }
}

fn rule_line(ctx: &Ctx<'_>, group: &str, rule: &Rule) -> ReportLine {
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
