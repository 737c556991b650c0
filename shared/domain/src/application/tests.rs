//! Unit tests of the pipeline's steps (shared fixtures are `pub(crate)` for other
//! modules' tests).

use super::*;
use crate::membership::MembershipPeriod;
use crate::organization::{Contact, LegalRepresentative};
use chrono::TimeZone;
use serde_json::json;

const ASSOC: &str = "nmg-security-association";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
}

/// The association's membership record of `o`, member since 2019.
fn membership(o: &Organization) -> Membership {
    Membership {
        org: o.code.clone(),
        authority: ASSOC.into(),
        periods: vec![MembershipPeriod {
            since: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
            ended_on: None,
            end_ground: None,
            note: None,
            recorded_by: Actor::system("t"),
            recorded_at: now(),
            ended_by: None,
        }],
        updated_at: now(),
        version: 1,
    }
}

pub(crate) fn org(_member: bool) -> Organization {
    let code = CreditCode::parse("91110108551385082Q").unwrap();
    Organization {
        code: code.clone(),
        code_checksum_valid: true,
        name: "内蒙古安全防范技术有限公司".into(),
        address: "呼和浩特市".into(),
        legal_representative: LegalRepresentative {
            name: "张三".into(),
            id_number_masked: None,
        },
        contact: Contact {
            name: "李四".into(),
            phone: "0471-1234567".into(),
            email: None,
        },
        established_on: NaiveDate::from_ymd_opt(2012, 1, 1).unwrap(),
        registered_at: now(),
        registered_by: Actor::system("t"),
        claimed_at: None,
        version: 1,
    }
}

fn applicant(o: &Organization) -> Principal {
    Principal::Applicant {
        subject: "a".into(),
        org: o.code.clone(),
    }
}

/// A draft with every material uploaded and declared: eligibility facts and
/// `points` worth of 1-point-per-unit items.
fn ready(o: &Organization, points: u32) -> Application {
    let registry = Registry::builtin().unwrap();
    let (mut app, _) = create(
        &json!({"scheme": "capability-grade"}),
        &applicant(o),
        o,
        None,
        registry,
        now(),
    )
    .unwrap();
    let mut facts = json!({"major_quality_accident_2y": {"value": false},
                           "bad_conduct_record": {"value": false}});
    let mut items = vec![];
    for f in [
        "has_equipment",
        "has_management_systems",
        "staff_trained",
        "projects_inspected_accepted",
        "industry_contribution",
    ] {
        let body = json!({"evidence_for": f, "file_name": "a.pdf",
                          "content_type": "application/pdf", "size_bytes": 10});
        let (next, m, _) = add_material(&app, &body, &applicant(o), registry, now()).unwrap();
        app = next;
        facts[f] = json!({"value": true, "evidence": [m.id.to_string()]});
    }
    // basic.years-in-business (max 10), management.revenue (max 10), performance.certified-staff (12)...
    let mut left = points;
    for (item, max) in [
        ("basic.years-in-business", 10),
        ("management.revenue", 10),
        ("performance.certified-staff", 12),
        ("performance.senior-titles", 6),
        ("social.client-praise", 5),
        ("social.association-activities", 5),
    ] {
        let q = left.min(max);
        if q == 0 {
            break;
        }
        let body = json!({"evidence_for": item, "file_name": "b.pdf",
                          "content_type": "application/pdf", "size_bytes": 10});
        let (next, m, _) = add_material(&app, &body, &applicant(o), registry, now()).unwrap();
        app = next;
        items.push(json!({"item": item, "quantity": q, "evidence": [m.id.to_string()]}));
        left -= q;
    }
    assert_eq!(left, 0);
    let (app, _) = declare(
        &app,
        &json!({"facts": facts, "items": items}),
        &applicant(o),
        registry,
        now(),
    )
    .unwrap();
    app
}

fn all_uploaded(app: &Application) -> BTreeSet<String> {
    app.materials.iter().map(|m| m.id.to_string()).collect()
}

pub(crate) fn submitted(o: &Organization, points: u32) -> Application {
    let app = ready(o, points);
    let p = PlatformRecords {
        organization: o,
        membership: Some(&membership(o)),
        bans: &[],
        evaluations: &[],
        certificates: &[],
    };
    submit(
        &app,
        &applicant(o),
        &p,
        &all_uploaded(&app),
        Registry::builtin().unwrap(),
        now(),
    )
    .unwrap()
    .0
}

#[test]
fn submission_refusals_name_their_article() {
    let registry = Registry::builtin().unwrap();
    let outsider = org(false);
    let app = ready(&outsider, 45);
    let p = PlatformRecords {
        organization: &outsider,
        membership: None,
        bans: &[],
        evaluations: &[],
        certificates: &[],
    };
    let e = submit(
        &app,
        &applicant(&outsider),
        &p,
        &all_uploaded(&app),
        registry,
        now(),
    )
    .unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.detail.contains("第九条（二）"), "{}", e.detail);

    let member = org(true);
    let app = ready(&member, 45);
    // Revoked 2024-12-01: the ban (two years, seed 000 第二十三条) counts from the next
    // day and runs through 2026-12-01 (民法典 第二百零一、二百零二条).
    let revoked_on = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    let scheme = registry
        .in_force(SchemeId::CapabilityGrade, revoked_on)
        .unwrap();
    let ban = [(revoked_on, scheme.may_reapply_from(revoked_on).unwrap())];
    let p = PlatformRecords {
        organization: &member,
        membership: Some(&membership(&member)),
        bans: &ban,
        evaluations: &[],
        certificates: &[],
    };
    let e = submit(
        &app,
        &applicant(&member),
        &p,
        &all_uploaded(&app),
        registry,
        now(),
    )
    .unwrap_err();
    assert_eq!(e.status(), 403);
    assert!(e.detail.contains("2026-12-02 前不得申请"), "{}", e.detail);
    // To the last second of the ban's last day (China time) the application is refused
    let last = Utc.with_ymd_and_hms(2026, 12, 1, 15, 59, 59).unwrap();
    let e = submit(
        &app,
        &applicant(&member),
        &p,
        &all_uploaded(&app),
        registry,
        last,
    )
    .unwrap_err();
    assert_eq!(e.status(), 403);
    // ... and from the day after, accepted.
    let later = Utc.with_ymd_and_hms(2026, 12, 1, 16, 0, 0).unwrap();
    assert!(
        submit(
            &app,
            &applicant(&member),
            &p,
            &all_uploaded(&app),
            registry,
            later
        )
        .is_ok()
    );
}

#[test]
fn a_ban_ending_on_days_off_runs_on_to_the_next_working_day() {
    let o = org(true);
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // Stored when the 2025 holidays were published: already moved past the
    // National Day holiday (2025-10-01..10-08).
    let registry = Registry::builtin().unwrap();
    let scheme = registry
        .in_force(SchemeId::CapabilityGrade, d(2025, 10, 1))
        .unwrap();
    let stored = scheme.may_reapply_from(d(2023, 10, 1)).unwrap();
    assert_eq!(stored, d(2025, 10, 10));
    // Stored before they were: the nominal day after 2025-10-01. The check extends it.
    for until in [stored, d(2025, 10, 2)] {
        let ban = [(d(2023, 10, 1), until)];
        let p = PlatformRecords {
            organization: &o,
            membership: Some(&membership(&o)),
            bans: &ban,
            evaluations: &[],
            certificates: &[],
        };
        for today in [d(2025, 10, 1), d(2025, 10, 8), d(2025, 10, 9)] {
            assert_eq!(
                p.ban_in_force(today),
                Some((d(2023, 10, 1), d(2025, 10, 10))),
                "{until} {today}"
            );
        }
        assert_eq!(p.ban_in_force(d(2025, 10, 10)), None, "{until}");
    }
    // A Saturday last day (2026-03-07): the Monday after the weekend is the last day.
    let ban = [(d(2024, 3, 7), d(2026, 3, 8))];
    let p = PlatformRecords {
        organization: &o,
        membership: Some(&membership(&o)),
        bans: &ban,
        evaluations: &[],
        certificates: &[],
    };
    assert!(p.ban_in_force(d(2026, 3, 8)).is_some());
    assert_eq!(
        p.ban_in_force(d(2026, 3, 9)),
        Some((d(2024, 3, 7), d(2026, 3, 10)))
    );
    assert!(p.ban_in_force(d(2026, 3, 10)).is_none());
    // The example: revoked 2025-03-10, the ban ends at the end of 2027-03-10
    // (a Wednesday; the shipped calendar has no 2027 holidays, and none is invented).
    let scheme = registry
        .in_force(SchemeId::CapabilityGrade, d(2025, 3, 10))
        .unwrap();
    let ban = [(
        d(2025, 3, 10),
        scheme.may_reapply_from(d(2025, 3, 10)).unwrap(),
    )];
    let p = PlatformRecords {
        organization: &o,
        membership: Some(&membership(&o)),
        bans: &ban,
        evaluations: &[],
        certificates: &[],
    };
    assert!(p.ban_in_force(d(2027, 3, 10)).is_some());
    assert!(p.ban_in_force(d(2027, 3, 11)).is_none());
}

#[test]
fn the_review_sends_to_staff_then_to_notice_or_rejects_with_reasons() {
    let registry = Registry::builtin().unwrap();
    let o = org(true);
    let p = PlatformRecords {
        organization: &o,
        membership: Some(&membership(&o)),
        bans: &[],
        evaluations: &[],
        certificates: &[],
    };
    let app = submitted(&o, 45);
    let out = review(&app, &p, &all_uploaded(&app), None, registry, now())
        .unwrap()
        .unwrap();
    assert!(
        matches!(&out.verdict, Verdict::StaffCheck(r) if r.len() == 3),
        "{:?}",
        out.verdict
    );
    assert_eq!(out.report.level.as_ref().unwrap().code, "4");
    assert_eq!(out.application.status, ApplicationStatus::StaffCheck);
    // The company reads the checks by their titles, not rule ids.
    let note = out
        .application
        .history
        .last()
        .unwrap()
        .note
        .clone()
        .unwrap();
    assert!(note.starts_with("需人工核验："), "{note}");
    for id in &out.application.pending_checks {
        let line = out.report.lines.iter().find(|l| &l.rule_id == id).unwrap();
        assert!(
            note.contains(&line.title_zh) && !note.contains(id.as_str()),
            "{note}"
        );
    }
    // Staff confirm: the next review opens the notice.
    let staff = Principal::Staff {
        subject: "clerk".into(),
        authority: ASSOC.into(),
    };
    let checks: Vec<_> = out
        .application
        .pending_checks
        .iter()
        .map(|r| json!({"rule_id": r, "met": true}))
        .collect();
    let (back, _) =
        record_checks(&out.application, &json!({"checks": checks}), &staff, now()).unwrap();
    assert_eq!(back.status, ApplicationStatus::Submitted);
    let out = review(&back, &p, &all_uploaded(&back), None, registry, now())
        .unwrap()
        .unwrap();
    assert_eq!(out.verdict, Verdict::Notice);
    // Running it on the moved application does nothing.
    assert!(
        review(
            &out.application,
            &p,
            &all_uploaded(&back),
            None,
            registry,
            now()
        )
        .unwrap()
        .is_none()
    );

    // A material that never reached the bucket: rejected, the reason named.
    let app = submitted(&o, 45);
    let mut uploaded = all_uploaded(&app);
    let missing = app.facts["staff_trained"].evidence[0].clone();
    uploaded.remove(&missing);
    let out = review(&app, &p, &uploaded, None, registry, now())
        .unwrap()
        .unwrap();
    assert_eq!(out.verdict, Verdict::Reject);
    assert!(
        out.application
            .findings
            .iter()
            .any(|f| f.detail.contains(&missing))
    );

    // Below 40 points: no grade (第七条), rejected.
    let app = submitted(&o, 39);
    let out = review(&app, &p, &all_uploaded(&app), None, registry, now())
        .unwrap()
        .unwrap();
    assert_eq!(out.verdict, Verdict::Reject);
    assert!(
        out.application
            .findings
            .iter()
            .any(|f| f.rule_id == "level")
    );
}

#[test]
fn platform_records_override_declarations_and_disagreements_are_findings() {
    let o = org(true);
    let mut app = submitted(&o, 45);
    app.facts.insert(
        "association_member".into(),
        Fact {
            value: FactValue::Bool(false),
            evidence: vec![],
        },
    );
    let p = PlatformRecords {
        organization: &o,
        membership: Some(&membership(&o)),
        bans: &[],
        evaluations: &[],
        certificates: &[],
    };
    let (facts, findings) = app.facts(&p, &all_uploaded(&app), china_date(now()));
    assert_eq!(
        facts.values["association_member"].value,
        FactValue::Bool(true)
    );
    assert!(findings.iter().any(|f| f.rule_id == "association_member"));
}

#[test]
fn materials_are_checked_and_keyed_by_the_platform() {
    let registry = Registry::builtin().unwrap();
    let o = org(true);
    let (app, _) = create(
        &json!({"scheme": "capability-grade"}),
        &applicant(&o),
        &o,
        None,
        registry,
        now(),
    )
    .unwrap();
    let ok = json!({"evidence_for": "has_equipment", "file_name": "设备清单.pdf",
                    "content_type": "application/pdf", "size_bytes": 1024});
    let (_, m, _) = add_material(&app, &ok, &applicant(&o), registry, now()).unwrap();
    assert_eq!(m.key, format!("applications/{}/{}.pdf", app.id, m.id));
    for (field, value, status) in [
        ("content_type", json!("application/x-msdownload"), 415),
        ("size_bytes", json!(MAX_MATERIAL_BYTES + 1), 413),
        ("size_bytes", json!(0), 422),
        ("file_name", json!("../../etc/passwd"), 422),
        ("evidence_for", json!("no-such-item"), 422),
    ] {
        let mut body = ok.clone();
        body[field] = value;
        let e = add_material(&app, &body, &applicant(&o), registry, now()).unwrap_err();
        assert_eq!(e.status(), status, "{field}: {}", e.detail);
    }
}

#[test]
fn a_removed_material_leaves_the_draft_and_every_evidence_list_that_named_it() {
    let o = org(true);
    let app = ready(&o, 20);
    let gone = app.facts["has_equipment"].evidence[0].clone();
    let item_evidence = app.items[0].evidence[0].clone();
    let (next, m, audit) = remove_material(&app, &gone, &applicant(&o), now()).unwrap();
    assert_eq!(m.id.to_string(), gone);
    assert_eq!(next.materials.len(), app.materials.len() - 1);
    assert!(next.materials.iter().all(|x| x.id.to_string() != gone));
    assert!(next.facts["has_equipment"].evidence.is_empty());
    assert!(
        next.relied_on_materials()
            .iter()
            .all(|x| x.id.to_string() != gone)
    );
    // Nothing else changes.
    assert_eq!(next.items[0].evidence, [item_evidence]);
    assert_eq!(next.facts.len(), app.facts.len());
    assert_eq!(next.version, app.version + 1);
    assert_eq!(audit.action, "application.material_removed");

    // An unknown material: 404; another company: 403; once submitted: 409.
    let e = remove_material(&app, "01JXXXXXXXXXXXXXXXXXXXXXXX", &applicant(&o), now()).unwrap_err();
    assert_eq!(e.status(), 404, "{}", e.detail);
    let other = Principal::Applicant {
        subject: "b".into(),
        org: CreditCode::parse("911501002RMPCT12LA").unwrap(),
    };
    let e = remove_material(&app, &gone, &other, now()).unwrap_err();
    assert_eq!(e.status(), 403, "{}", e.detail);
    let sent = submitted(&o, 45);
    let first = sent.materials[0].id.to_string();
    let e = remove_material(&sent, &first, &applicant(&o), now()).unwrap_err();
    assert_eq!(e.status(), 409, "{}", e.detail);
}

#[test]
fn approval_dates_follow_article_19() {
    let registry = Registry::builtin().unwrap();
    let o = org(true);
    let mut app = submitted(&o, 45);
    app.status = ApplicationStatus::Approved;
    app.result = Some(ReviewResult {
        report_id: RecordId::new_at(now()),
        scheme_version: "2024-01-01".into(),
        as_of: china_date(now()),
        status: Status::Qualified,
        total: Some(Decimal::from(85)),
        level_code: Some("2".into()),
        level_label: Some("二级".into()),
    });
    let a = approve(&app, None, None, registry, &Actor::system("t"), now()).unwrap();
    let cert = &a
        .certificate
        .as_ref()
        .expect("a certificate outcome")
        .record;
    assert_eq!(
        cert.issued_on,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    );
    assert_eq!(
        cert.valid_until,
        NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()
    );
    assert_eq!(cert.level_label, "二级");
    // Printed on it (issue 15 item 5): the address the company registered, and the
    // scope and basis from the scheme version the decision was made under.
    assert_eq!(cert.address.as_deref(), Some(o.address.as_str()));
    let scheme = registry.version(app.scheme, "2024-01-01").unwrap();
    assert_eq!(cert.scope.as_deref(), scheme.certificate_scope().unwrap());
    assert_eq!(cert.basis.as_deref(), scheme.certificate_basis().unwrap());
    assert!(
        cert.basis
            .as_deref()
            .unwrap()
            .starts_with("《内蒙古自治区公共安全技术防范系统")
    );
    assert_eq!(
        a.application.certificate_serial.as_deref(),
        Some(cert.serial.as_str())
    );
}

#[test]
fn the_review_checks_only_the_materials_the_declaration_relies_on() {
    let o = org(true);
    let mut app = submitted(&o, 10);
    let relied: BTreeSet<String> = app
        .relied_on_materials()
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    assert_eq!(
        relied,
        all_uploaded(&app),
        "every uploaded material is evidence"
    );
    let spare = app.materials[0].clone();
    let mut unused = spare.clone();
    unused.id = RecordId::new_at(now());
    app.materials.push(unused.clone());
    let relied: Vec<String> = app
        .relied_on_materials()
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    assert!(!relied.contains(&unused.id.to_string()));
    assert!(relied.contains(&spare.id.to_string()));
    assert_eq!(
        app.idempotency_expires_at(),
        app.updated_at.timestamp() + 86_400
    );
}

#[test]
fn a_file_announced_but_not_uploaded_is_named_at_submission_with_the_rest() {
    let o = org(true);
    let app = ready(&o, 45);
    let p = PlatformRecords {
        organization: &o,
        membership: Some(&membership(&o)),
        bans: &[],
        evaluations: &[],
        certificates: &[],
    };
    let registry = Registry::builtin().unwrap();
    let relied = app.relied_on_materials();
    assert!(relied.len() >= 2);
    let (gone, short) = (relied[0].clone(), relied[1].clone());
    let mut uploaded = all_uploaded(&app);
    uploaded.remove(&gone.id.to_string());
    uploaded.remove(&short.id.to_string());
    let e = submit(&app, &applicant(&o), &p, &uploaded, registry, now()).unwrap_err();
    assert_eq!(e.status(), 422);
    let fields: Vec<&str> = e.errors.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            format!("materials.{}", gone.id),
            format!("materials.{}", short.id)
        ],
        "{e:?}"
    );
    assert!(e.errors[0].detail.contains(&gone.file_name), "{e:?}");
    assert!(e.detail.contains("共 2 项"), "{}", e.detail);
    // A material the declaration does not rely on is not asked for.
    let mut extra = app.clone();
    let mut unused = gone.clone();
    unused.id = RecordId::new_at(now());
    unused.evidence_for = "not-declared".into();
    extra.materials.push(unused);
    assert!(
        submit(
            &extra,
            &applicant(&o),
            &p,
            &all_uploaded(&app),
            registry,
            now()
        )
        .is_ok()
    );
}
