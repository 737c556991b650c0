//! The automated review and the staff checks it asks for.

use super::*;

/// Where the automated review sends an application.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Everything holds: public notice (or, for an annual report that needs none,
    /// approval at once).
    Notice,
    Approve,
    /// A person must check the rules listed.
    StaffCheck(Vec<String>),
    Reject,
}

/// The automated review's result: the next application, the full report, the verdict.
#[derive(Debug, Clone)]
pub struct ReviewOutcome {
    pub application: Application,
    pub report: Report,
    pub report_id: RecordId,
    pub verdict: Verdict,
    pub audit: AuditEvent,
}

/// The automated review (seed 000 第八条、第十五条: self-declared points confirmed by the
/// system into an evaluation report). Evaluates under the version in force on the
/// submission date. `None` when the application is not waiting for review (a repeated
/// or late invocation): nothing to do.
pub fn review(
    app: &Application,
    platform: &PlatformRecords<'_>,
    uploaded: &BTreeSet<String>,
    current: Option<&CertificateRecord>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<Option<ReviewOutcome>, Problem> {
    // Not waiting for review, or waiting for a client unit's evaluation form (the
    // review runs again when it arrives, or after its link expires).
    if app.status != ApplicationStatus::Submitted || platform.awaiting_evaluations(now) {
        return Ok(None);
    }
    let submitted_on = china_date(app.submitted_at.unwrap_or(app.updated_at));
    let scheme = registry
        .in_force(app.scheme, submitted_on)
        .map_err(|e| invalid("scheme", e.to_string()))?;
    // Weighed up to the level sought, if the application names one.
    let scheme_view = app.scheme_view(scheme);
    let scheme: &Scheme = &scheme_view;
    let (facts, mut findings) = app.facts(platform, uploaded, submitted_on);
    let report = evaluate(scheme, &facts);
    for l in &report.lines {
        if matches!(l.outcome, Outcome::NotMet | Outcome::EvidenceMissing) {
            findings.push(Finding {
                rule_id: l.rule_id.clone(),
                detail: format!("{}：{}（{}）", l.title_zh, l.detail, l.seed_ref),
            });
        }
    }
    let human: Vec<String> = report
        .lines
        .iter()
        .filter(|l| l.outcome == Outcome::NeedsHumanCheck)
        .map(|l| l.rule_id.clone())
        .collect();
    let evidence_missing = report
        .lines
        .iter()
        .any(|l| l.outcome == Outcome::EvidenceMissing);
    let grade_changed = current.is_some_and(|c| {
        report.level.as_ref().map(|l| l.code.as_str()) != Some(c.level_code.as_str())
    });
    // A company seeking a level whose requirements wait only on a person's check goes to
    // staff before any lower level is granted.
    let sought_pending = app.level_sought.is_some() && report.pending_level.is_some();
    let verdict = match report.status {
        Status::Qualified if sought_pending && !human.is_empty() && !evidence_missing => {
            Verdict::StaffCheck(human)
        }
        Status::NotQualified => Verdict::Reject,
        Status::NeedsReview if evidence_missing => Verdict::Reject,
        Status::NeedsReview => Verdict::StaffCheck(human),
        Status::Qualified
            if app.kind == ApplicationKind::AnnualReport
                && !scheme
                    .annual_report_needs_notice(grade_changed)
                    .map_err(|_| Problem::internal())? =>
        {
            Verdict::Approve
        }
        // A kind of application without a public notice (the operators' filing) is
        // approved once it qualifies.
        Status::Qualified if !declaration::application_def(scheme, app.kind)?.public_notice => {
            Verdict::Approve
        }
        Status::Qualified => Verdict::Notice,
    };
    let report_id = RecordId::new_at(now);
    let actor = Actor::system("automated-review");
    let (status, note) = match &verdict {
        Verdict::Notice => (ApplicationStatus::OnNotice, None),
        Verdict::Approve => (ApplicationStatus::Approved, None),
        // The note names the checks by their titles: the company reads it in its portal.
        Verdict::StaffCheck(rules) => {
            let titles: Vec<&str> = rules
                .iter()
                .map(|id| {
                    report
                        .lines
                        .iter()
                        .find(|l| &l.rule_id == id)
                        .map_or(id.as_str(), |l| l.title_zh.as_str())
                })
                .collect();
            (
                ApplicationStatus::StaffCheck,
                Some(format!("需人工核验：{}", titles.join("、"))),
            )
        }
        Verdict::Reject => (ApplicationStatus::Rejected, Some(reject_note(&findings))),
    };
    let mut next = app.moved(status, &actor, note, now);
    next.findings = findings;
    next.pending_checks = match &verdict {
        Verdict::StaffCheck(rules) => rules.clone(),
        _ => Vec::new(),
    };
    next.result = Some(ReviewResult {
        report_id,
        scheme_version: report.version.clone(),
        as_of: report.as_of,
        status: report.status,
        total: report.total,
        level_code: report.level.as_ref().map(|l| l.code.clone()),
        level_label: report.level.as_ref().map(|l| l.title_zh.clone()),
    });
    let action = match verdict {
        Verdict::Notice => "application.reviewed.notice",
        Verdict::Approve => "application.reviewed.approved",
        Verdict::StaffCheck(_) => "application.reviewed.staff_check",
        Verdict::Reject => "application.reviewed.rejected",
    };
    let audit = next.audit(Some(app), actor, action);
    Ok(Some(ReviewOutcome {
        application: next,
        report,
        report_id,
        verdict,
        audit,
    }))
}

/// Longest rejection note kept in the history, in characters; every reason is in
/// `findings` in full.
const MAX_REJECT_NOTE_CHARS: usize = 1000;

/// The history note of a rejection: the reasons, or, when they are many, how many
/// there are (each is in `findings`). The note is never a silently cut list.
fn reject_note(findings: &[Finding]) -> String {
    let all = findings
        .iter()
        .map(|f| f.detail.as_str())
        .collect::<Vec<_>>()
        .join("；");
    if all.chars().count() <= MAX_REJECT_NOTE_CHARS {
        all
    } else {
        format!(
            "未通过，共 {} 项原因，详见审核意见（findings）",
            findings.len()
        )
    }
}

/// Staff record their decisions on the rules the review sent to them: `{"checks":
/// [{"rule_id": .., "met": bool, "note": ..}]}`. The application goes back to the
/// automated review, which now counts those decisions.
pub fn record_checks(
    app: &Application,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    caller.staff_of(&app.authority)?;
    app.require(ApplicationStatus::StaffCheck, "人工核验")?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["checks"], &mut errors);
    if root.value("checks").is_none() && errors.is_empty() {
        return Err(invalid("checks", "应为核验结果数组"));
    }
    let list = root.objects("checks", 50, &mut errors);
    let mut checks = app.checks.clone();
    for c in &list {
        c.deny_unknown(&["rule_id", "met", "note"], &mut errors);
        let rule = c.text("rule_id", 1, 100, &mut errors);
        let met = c.required_flag("met", &mut errors);
        let note = c.optional_multiline_text("note", 1, MAX_CHECK_NOTE_CHARS, &mut errors);
        if !rule.is_empty() && !app.pending_checks.contains(&rule) {
            errors.push(
                c.path_of("rule_id"),
                format!("规则“{rule}”不在本次待人工核验的事项中"),
            );
            continue;
        }
        if let Some(met) = met {
            checks.insert(
                rule,
                Review {
                    met,
                    by: caller.subject().unwrap_or("staff").to_owned(),
                    note,
                },
            );
        }
    }
    if list.is_empty() && errors.is_empty() {
        return Err(invalid("checks", "至少填写一项核验结果"));
    }
    errors.finish(|| ())?;
    let actor = Actor::from(caller);
    let mut next = app.moved(
        ApplicationStatus::Submitted,
        &actor,
        Some("人工核验完成，重新智能审核".to_owned()),
        now,
    );
    next.checks = checks;
    next.pending_checks.clear();
    let audit = next.audit(Some(app), actor, "application.checked");
    Ok((next, audit))
}
