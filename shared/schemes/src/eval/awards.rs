//! Awards: each category an entrant may enter, with its conditions and materials.

use crate::model::{ApplicantKind, GroupRole};

use super::*;

pub(super) fn eval_awards(ctx: &Ctx<'_>, report: &mut Report) {
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

pub(super) fn kind_zh(k: ApplicantKind) -> &'static str {
    match k {
        ApplicantKind::Unit => "单位",
        ApplicantKind::Person => "个人",
    }
}
