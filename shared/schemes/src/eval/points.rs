//! Points schemes (the capability grade): items, area caps, the total and its level.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::GroupRole;

use super::*;

pub(super) fn eval_points(ctx: &Ctx<'_>, report: &mut Report) {
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
