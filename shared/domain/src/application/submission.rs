//! Submission: the gates that refuse it, with the article, before anything is written.

use super::*;

/// Submit a draft. Refused, with the reason, when the company is not a member of the
/// scheme's authority, is banned after a revocation, has declared something without
/// the evidence the scheme requires, or relies on a material whose file is not in the
/// bucket with the size announced (`uploaded`: the ids of the materials that are, as
/// the adapter found them by HEAD); every missing file and piece of evidence is listed
/// at once. (An application already open for the same scheme is refused by the store's
/// guard in the same transaction.)
pub fn submit(
    app: &Application,
    caller: &Principal,
    platform: &PlatformRecords<'_>,
    uploaded: &BTreeSet<String>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    app.require(ApplicationStatus::Draft, "提交")?;
    let today = china_date(now);
    let scheme = registry
        .in_force(app.scheme, today)
        .map_err(|e| invalid("scheme", e.to_string()))?;
    // Weighed up to the level sought, if the application names one.
    let scheme_view = app.scheme_view(scheme);
    let scheme: &Scheme = &scheme_view;
    // Membership is asked only by schemes with a rule on it (seed 000 第九条（二）).
    let membership_article = eligibility_article(scheme, "association_member");
    // (A nomination names it among every unmet condition, below.)
    if !membership_article.is_empty() && app.category.is_none() && !platform.is_member_on(today) {
        return Err(Problem::field(
            ProblemKind::Forbidden,
            "org",
            format!(
                "{}不是{}会员单位，不能申请（{}）",
                app.company_name, scheme.scheme.authority_zh, membership_article
            ),
        ));
    }
    if let Some((revoked_on, until)) = platform.ban_in_force(today) {
        return Err(Problem::field(
            ProblemKind::Forbidden,
            "org",
            format!(
                "本单位于 {revoked_on} 被取消服务能力等级，{until} 前不得申请（{}；期间依民法典第二百零一条至第二百零三条计算）",
                scheme
                    .parameter("ban_years")
                    .map(|p| p.seed.to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    // Everything declared must carry the evidence the scheme asks for: each rule's, and
    // a list section's as a whole.
    let def = declaration::application_def(scheme, app.kind)?;
    let mut missing_sections = Vec::new();
    for (section, roster_empty, evidence_empty) in [
        (
            Section::Staff,
            app.staff.as_ref().is_none_or(|r| r.entries.is_empty()),
            app.staff.as_ref().is_none_or(|r| r.evidence.is_empty()),
        ),
        (
            Section::Clients,
            app.clients.as_ref().is_none_or(|r| r.entries.is_empty()),
            app.clients.as_ref().is_none_or(|r| r.evidence.is_empty()),
        ),
        // Projects carry their own evidence each (the `project` check asks it).
        (Section::Projects, true, true),
    ] {
        if let Some(sd) = def.section(section)
            && !sd.evidence.is_empty()
            && !roster_empty
            && evidence_empty
        {
            missing_sections.push(FieldError {
                field: format!("{}.evidence", section.as_str()),
                detail: format!(
                    "请上传{}（{}）",
                    sd.evidence.join("、"),
                    sd.seed
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
            });
        }
    }
    let attached: BTreeSet<String> = app.materials.iter().map(|m| m.id.to_string()).collect();
    let (facts, _) = app.facts(platform, &attached, today);
    let report = evaluate(scheme, &facts);
    // Refused: a declared fact or item without its evidence, and anything undeclared
    // that the result needs. A tier of requirements (star levels) the company does not
    // declare is simply not reached: the review says so.
    let declared = |rule_id: &str| {
        app.items.iter().any(|i| i.item == rule_id)
            || scheme.rule(rule_id).is_some_and(|r| {
                r.check
                    .fact_keys()
                    .iter()
                    .any(|k| app.facts.contains_key(*k))
            })
    };
    // With a level sought, every tier up to it is required (the levels above are out of
    // the view already).
    let optional_tier = |group: &str| {
        app.level_sought.is_none()
            && scheme
                .groups
                .iter()
                .any(|g| g.id == group && g.role == GroupRole::Tier)
    };
    // A file announced but never uploaded (or cut short) would have the review reject
    // the whole application a moment later: name each one now.
    let not_uploaded = app
        .relied_on_materials()
        .into_iter()
        .filter(|m| !uploaded.contains(&m.id.to_string()))
        .map(|m| FieldError {
            field: format!("materials.{}", m.id),
            detail: format!(
                "文件“{}”（{}的证明材料）尚未上传完成，或大小与登记的 {} 字节不符，请重新上传",
                m.file_name, m.evidence_for, m.size_bytes
            ),
        });
    let missing: Vec<FieldError> = not_uploaded
        .chain(
            report
                .lines
                .iter()
                .filter(|l| {
                    l.outcome == Outcome::EvidenceMissing
                        && (declared(&l.rule_id) || !optional_tier(&l.group))
                })
                .map(|l| FieldError {
                    field: l.rule_id.clone(),
                    detail: format!("{}：{}", l.title_zh, l.detail),
                }),
        )
        .chain(missing_sections)
        .collect();
    // A nomination (seed 001) is refused at once when a condition the platform's records
    // or the declaration settle is not met: every one is named with its article.
    if app.category.is_some() {
        let unmet: Vec<FieldError> = report
            .lines
            .iter()
            .filter(|l| l.outcome == Outcome::NotMet)
            .map(|l| FieldError {
                field: l.rule_id.clone(),
                detail: format!("{}：{}（{}）", l.title_zh, l.detail, l.seed_ref),
            })
            .collect();
        if !unmet.is_empty() {
            let all = unmet
                .iter()
                .map(|e| e.detail.as_str())
                .collect::<Vec<_>>()
                .join("；");
            let mut p = Problem::invalid_fields(unmet);
            p.detail = format!("不符合申报条件（共 {} 项）：{all}", p.errors.len());
            return Err(p);
        }
    }
    if !missing.is_empty() {
        let mut p = Problem::invalid_fields(missing);
        p.detail = format!(
            "以下证明材料缺失或未上传完成，请上传后再提交（共 {} 项）：{}",
            p.errors.len(),
            p.detail
        );
        return Err(p);
    }
    let actor = Actor::from(caller);
    let mut next = app.moved(ApplicationStatus::Submitted, &actor, None, now);
    next.submitted_at = Some(now);
    next.findings.clear();
    let audit = next.audit(Some(app), actor, "application.submitted");
    Ok((next, audit))
}

fn eligibility_article(scheme: &Scheme, fact: &str) -> String {
    scheme
        .groups
        .iter()
        .flat_map(|g| g.rules.iter())
        .find(|r| matches!(&r.check, standing_schemes::model::Check::True { fact: f } if f == fact))
        .map(|r| r.seed.to_string())
        .unwrap_or_default()
}
