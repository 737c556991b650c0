mod common;
use common::{d, scheme};
use standing_schemes::model::{Check, GroupRole};
use standing_schemes::{
    ApplicantKind, Certificate, Facts, Outcome, Project, SchemeId, StaffRecord, Status, evaluate,
};

type Breaker = Box<dyn Fn(&mut Facts)>;

fn cert(level: &str) -> Certificate {
    Certificate {
        scheme: SchemeId::CapabilityGrade,
        level: level.into(),
        valid_from: d(2024, 5, 1),
        valid_until: d(2025, 6, 30),
        revoked: false,
        evidence: vec!["s3://cert.pdf".into()],
    }
}

fn project(amount_fen: i64, completed_on: chrono::NaiveDate, demo: bool) -> Project {
    Project {
        project_ref: format!("p-{amount_fen}-{completed_on}"),
        amount_fen,
        completed_on,
        accepted: true,
        demonstration: demo,
        evidence: vec!["s3://contract.pdf".into()],
    }
}

/// An applicant that meets every machine-checkable condition of every category,
/// with every human judgement recorded as met and every material uploaded.
fn award_applicant(kind: ApplicantKind, category: &str) -> Facts {
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    let mut f = Facts::new(d(2024, 12, 5));
    f.applicant_kind = Some(kind);
    f.entries.insert(category.to_owned());
    f.set_bool("association_member", true, &["s3://m"])
        .set_date("founded_on", d(2019, 12, 5), &["s3://lic"])
        .set_date("member_since", d(2021, 12, 5), &["s3://m"])
        .set_date("im_branch_since", d(2019, 12, 5), &["s3://branch"])
        .set_date("leadership_since", d(2014, 12, 5), &["s3://employment"])
        .set_bool("employer_is_member", true, &["s3://employment"])
        .set_bool("expert_pool_member", true, &["s3://appointment"])
        .set_bool("major_safety_quality_accident", false, &[])
        .set_bool("penalties_or_complaints_3y", false, &[])
        .set_bool("bad_credit_conduct", false, &[])
        .set_bool("violations_or_accidents_3y", false, &[])
        .set_bool("bad_conduct_record", false, &[])
        .set_bool("personal_bad_record", false, &[])
        .set_bool("demo_project_built_in_year", true, &["s3://contract"]);
    f.certificates.push(cert("2"));
    f.projects.push(project(200_000_000, d(2024, 11, 30), true));
    f.projects.push(project(50_000_000, d(2024, 3, 1), true));
    for g in s.groups.iter().filter(|g| g.id == category) {
        for r in &g.rules {
            if matches!(r.check, Check::Human) {
                f.review(&r.id, true, "panel");
            }
        }
        for m in &g.materials {
            f.attach(&format!("{}.{}", g.id, m.id), "s3://material.pdf");
        }
    }
    f
}

/// The secretariat's confirmations of the declared facts it must check (`human_check`:
/// projects against contracts and acceptance reports, appointment letters, …).
fn confirmed(mut f: Facts, category: &str) -> Facts {
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    for g in s.groups.iter().filter(|g| g.id == category) {
        for r in g.rules.iter().filter(|r| r.human_check) {
            f.review(&r.id, true, "secretariat");
        }
    }
    f
}

#[test]
fn nine_categories_with_entrants_conditions_and_materials() {
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    let cats: Vec<_> = s
        .groups
        .iter()
        .filter(|g| g.role == GroupRole::Category)
        .collect();
    assert_eq!(cats.len(), 9);
    let units = cats
        .iter()
        .filter(|g| g.entrant == Some(ApplicantKind::Unit))
        .count();
    assert_eq!(units, 6);
    assert!(
        cats.iter()
            .all(|g| !g.rules.is_empty() && !g.materials.is_empty())
    );
    assert_eq!(s.notice_days().unwrap(), 3);
}

#[test]
fn a_complete_applicant_qualifies_in_every_category() {
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    for g in s.groups.iter().filter(|g| g.role == GroupRole::Category) {
        let f = confirmed(award_applicant(g.entrant.unwrap(), &g.id), &g.id);
        let r = evaluate(s, &f);
        assert_eq!(r.version, "2024");
        assert_eq!(r.categories.len(), 1);
        assert_eq!(
            r.status,
            Status::Qualified,
            "{}: failed {:?} pending {:?}",
            g.id,
            r.failed,
            r.pending
        );
    }
}

#[test]
fn each_condition_failing_is_named() {
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    // Machine-checked failures, from the seed's own numbers.
    let cases: Vec<(&str, &str, Breaker)> = vec![
        (
            "c1",
            "c1-3-certificate",
            Box::new(|f| f.certificates = vec![cert("3")]),
        ),
        (
            "c1",
            "c1-3-member",
            Box::new(|f| {
                f.set_bool("association_member", false, &[]);
            }),
        ),
        (
            "c1",
            "c1-1-demo-projects",
            Box::new(|f| f.projects[1].completed_on = d(2024, 12, 1)),
        ),
        (
            "c3",
            "c3-3-project",
            Box::new(|f| {
                f.projects = vec![project(199_999_999, d(2024, 6, 1), true)];
            }),
        ),
        (
            "c3",
            "c3-3-project",
            Box::new(|f| {
                f.projects = vec![project(200_000_000, d(2023, 12, 31), true)];
            }),
        ),
        (
            "c3",
            "c3-2-no-accident",
            Box::new(|f| {
                f.set_bool("major_safety_quality_accident", true, &[]);
            }),
        ),
        (
            "c4",
            "c4-2-age",
            Box::new(|f| {
                f.set_date("founded_on", d(2019, 12, 6), &["s3://lic"]);
            }),
        ),
        (
            "c4",
            "c4-membership",
            Box::new(|f| {
                f.set_date("member_since", d(2021, 12, 6), &["s3://m"]);
            }),
        ),
        (
            "c4",
            "c4-3-no-penalty",
            Box::new(|f| {
                f.set_bool("penalties_or_complaints_3y", true, &[]);
            }),
        ),
        (
            "c4",
            "c4-4-bank-credit",
            Box::new(|f| {
                f.set_bool("bad_credit_conduct", true, &[]);
            }),
        ),
        (
            "c4",
            "c4-1-demo-project",
            Box::new(|f| {
                f.set_bool("demo_project_built_in_year", false, &[]);
            }),
        ),
        (
            "c5",
            "c5-1-local-presence",
            Box::new(|f| {
                f.set_date("im_branch_since", d(2020, 1, 1), &["s3://b"]);
            }),
        ),
        (
            "c5",
            "c5-2-no-violation",
            Box::new(|f| {
                f.set_bool("violations_or_accidents_3y", true, &[]);
            }),
        ),
        (
            "c6",
            "c6-2-membership",
            Box::new(|f| {
                f.set_date("member_since", d(2022, 1, 1), &["s3://m"]);
            }),
        ),
        (
            "c6",
            "c6-2-no-bad-conduct",
            Box::new(|f| {
                f.set_bool("bad_conduct_record", true, &[]);
            }),
        ),
        (
            "c7",
            "c7-2-leadership-years",
            Box::new(|f| {
                f.set_date("leadership_since", d(2014, 12, 6), &["s3://e"]);
            }),
        ),
        (
            "c8",
            "c8-1-member-employee",
            Box::new(|f| {
                f.set_bool("employer_is_member", false, &[]);
            }),
        ),
        (
            "c8",
            "c8-2-no-bad-record",
            Box::new(|f| {
                f.set_bool("personal_bad_record", true, &[]);
            }),
        ),
        (
            "c9",
            "c9-expert-pool",
            Box::new(|f| {
                f.set_bool("expert_pool_member", false, &[]);
            }),
        ),
    ];
    for (cat, rule, brk) in cases {
        let kind = s
            .groups
            .iter()
            .find(|g| g.id == cat)
            .unwrap()
            .entrant
            .unwrap();
        let mut f = award_applicant(kind, cat);
        brk(&mut f);
        let r = evaluate(s, &f);
        assert_eq!(r.failed, vec![rule.to_owned()], "{cat}/{rule}");
        assert_eq!(r.categories[0].status, Status::NotQualified);
    }
    // Every human judgement can fail too, and is named.
    for g in s.groups.iter().filter(|g| g.role == GroupRole::Category) {
        for rule in g.rules.iter().filter(|r| matches!(r.check, Check::Human)) {
            let mut f = confirmed(award_applicant(g.entrant.unwrap(), &g.id), &g.id);
            f.review(&rule.id, false, "panel");
            assert_eq!(evaluate(s, &f).failed, vec![rule.id.clone()]);
        }
        // Wrong entrant kind.
        let other = if g.entrant == Some(ApplicantKind::Unit) {
            ApplicantKind::Person
        } else {
            ApplicantKind::Unit
        };
        let mut f = confirmed(award_applicant(g.entrant.unwrap(), &g.id), &g.id);
        f.applicant_kind = Some(other);
        assert_eq!(evaluate(s, &f).failed, vec![format!("{}.entrant", g.id)]);
        // A missing material is named as missing evidence.
        let mut f = confirmed(award_applicant(g.entrant.unwrap(), &g.id), &g.id);
        f.materials.remove(&format!("{}.m1", g.id));
        let r = evaluate(s, &f);
        assert_eq!(r.pending, vec![format!("{}.m1", g.id)]);
        assert_eq!(r.status, Status::NeedsReview);
    }
}

#[test]
fn several_entries_are_reported_separately() {
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    let mut f = confirmed(award_applicant(ApplicantKind::Unit, "c3"), "c3");
    f.entries.insert("c6".into());
    let r = evaluate(s, &f);
    let codes: Vec<_> = r
        .categories
        .iter()
        .map(|c| (c.code.as_str(), c.status))
        .collect();
    assert_eq!(
        codes,
        vec![("c3", Status::Qualified), ("c6", Status::NeedsReview)]
    );
}

fn operator() -> Facts {
    let mut f = Facts::new(d(2025, 4, 1));
    for k in [
        "business_licence",
        "alarm_centre",
        "qualified_alarm_staff",
        "equipment_and_verification",
        "organisation_and_systems",
    ] {
        f.set_bool(k, true, &["s3://e"]);
    }
    for r in [
        "op-2-alarm-centre",
        "op-3-staff",
        "op-4-equipment",
        "staff-4-other",
    ] {
        f.review(r, true, "city-office");
    }
    f.certificates.push(cert("2"));
    for i in 0..8 {
        f.staff.push(StaffRecord {
            staff_ref: format!("s{i}"),
            identity_verified: true,
            ..Default::default()
        });
    }
    f
}

#[test]
fn operator_meeting_every_condition_qualifies() {
    let s = scheme(SchemeId::AlarmOperators, d(2025, 4, 1));
    let r = evaluate(s, &operator());
    assert_eq!(
        r.status,
        Status::Qualified,
        "{:?} {:?}",
        r.failed,
        r.pending
    );
    assert!(r.lines.iter().all(|l| l.seed_ref.doc == "seed-004"));
    let mut f = operator();
    f.certificates = vec![cert("1")];
    assert_eq!(evaluate(s, &f).status, Status::Qualified);
}

#[test]
fn each_operator_condition_and_staff_disqualification_failing_is_named() {
    let s = scheme(SchemeId::AlarmOperators, d(2025, 4, 1));
    let cases: Vec<(&str, Breaker)> = vec![
        (
            "op-1-licence",
            Box::new(|f| {
                f.set_bool("business_licence", false, &[]);
            }),
        ),
        (
            "op-2-alarm-centre",
            Box::new(|f| {
                f.review("op-2-alarm-centre", false, "city");
            }),
        ),
        (
            "op-3-staff",
            Box::new(|f| {
                f.set_bool("qualified_alarm_staff", false, &[]);
                f.reviews.remove("op-3-staff");
            }),
        ),
        (
            "op-4-equipment",
            Box::new(|f| {
                f.review("op-4-equipment", false, "city");
            }),
        ),
        (
            "op-5-organisation",
            Box::new(|f| {
                f.set_bool("organisation_and_systems", false, &[]);
            }),
        ),
        (
            "op-6-certificate",
            Box::new(|f| f.certificates = vec![cert("3")]),
        ),
        (
            "op-6-certificate",
            Box::new(|f| f.certificates[0].revoked = true),
        ),
        (
            "op-6-certificate",
            Box::new(|f| f.certificates[0].valid_until = d(2025, 3, 31)),
        ),
        (
            "staff-1-civil-capacity",
            Box::new(|f| f.staff[3].civil_capacity = standing_schemes::CivilCapacity::Limited),
        ),
        (
            "staff-2-criminal-record",
            Box::new(|f| f.staff[5].intentional_criminal_record = true),
        ),
        (
            "staff-3-identity",
            Box::new(|f| f.staff[0].identity_verified = false),
        ),
        (
            "staff-4-other",
            Box::new(|f| {
                f.review("staff-4-other", false, "city");
            }),
        ),
    ];
    for (rule, brk) in cases {
        let mut f = operator();
        brk(&mut f);
        let r = evaluate(s, &f);
        assert_eq!(r.failed, vec![rule.to_owned()], "{rule}");
        assert_eq!(r.status, Status::NotQualified);
    }
    let mut f = operator();
    f.staff[5].intentional_criminal_record = true;
    assert!(
        evaluate(s, &f)
            .line("staff-2-criminal-record")
            .unwrap()
            .detail
            .contains("s5")
    );
}

fn suspension(filed: chrono::NaiveDate, starts: chrono::NaiveDate, kind: &str) -> Facts {
    let mut f = operator();
    f.set_date("suspension.filed_on", filed, &["s3://app"])
        .set_date("suspension.starts_on", starts, &["s3://app"])
        .set_text("suspension.kind", kind, &["s3://app"])
        .set_bool("suspension.reason_given", true, &["s3://app"])
        .set_bool("suspension.dates_given", true, &["s3://app"])
        .set_bool("suspension.customer_plan", true, &["s3://plan"])
        .set_bool("suspension.compensation_plan", true, &["s3://comp"])
        .review("susp-2-customer-plan", true, "city")
        .review("susp-2-compensation-plan", true, "city")
        .review("susp-3-other", true, "city");
    f
}

#[test]
fn suspension_must_be_filed_one_month_ahead() {
    let s = scheme(SchemeId::AlarmOperators, d(2025, 4, 1));
    assert_eq!(s.suspension_lead_months().unwrap(), 1);
    assert_eq!(
        s.latest_suspension_filing(d(2025, 3, 31)).unwrap(),
        d(2025, 2, 28)
    );
    let ok = evaluate(s, &suspension(d(2025, 1, 15), d(2025, 2, 15), "歇业"));
    assert_eq!(ok.status, Status::Qualified, "{:?}", ok.failed);
    let late = evaluate(s, &suspension(d(2025, 1, 16), d(2025, 2, 15), "停业"));
    assert_eq!(late.failed, vec!["susp-lead-time".to_owned()]);
    // 停业 needs no end dates; 歇业 does.
    assert_eq!(
        late.line("susp-1-dates").unwrap().outcome,
        Outcome::NotApplicable
    );
    let mut f = suspension(d(2025, 1, 15), d(2025, 2, 15), "歇业");
    f.set_bool("suspension.dates_given", false, &[]);
    assert_eq!(evaluate(s, &f).failed, vec!["susp-1-dates".to_owned()]);
    let mut f = suspension(d(2025, 1, 15), d(2025, 2, 15), "歇业");
    f.set_bool("suspension.compensation_plan", false, &[]);
    f.reviews.remove("susp-2-compensation-plan");
    assert_eq!(
        evaluate(s, &f).failed,
        vec!["susp-2-compensation-plan".to_owned()]
    );
}

#[test]
fn a_demonstration_project_built_in_the_year_need_not_be_completed_in_it() {
    // Seed 001 四（四）1 asks only "2024 年度承建过内蒙古智慧城市建设示范项目"; unlike
    // 四（一）1 ("且竣工验收并投入使用") and 四（三）3 ("1 月-11 月期间竣工验收") it asks no
    // completion or acceptance in the year: a unit whose demonstration project is still
    // being built qualifies for c4 with no completed project at all.
    let s = scheme(SchemeId::AnnualAwards, d(2024, 12, 5));
    let mut f = confirmed(award_applicant(ApplicantKind::Unit, "c4"), "c4");
    f.projects.clear();
    let r = evaluate(s, &f);
    assert_eq!(r.status, Status::Qualified, "failed {:?}", r.failed);
    let rule = s.rule("c4-1-demo-project").unwrap();
    assert!(rule.human_check, "the secretariat checks the contract");
    assert!(!matches!(rule.check, Check::Project { .. }));
}
