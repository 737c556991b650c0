//! Evaluations per second for each scheme, on realistic facts.
//! Run: cargo bench -p standing-schemes

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;
use standing_schemes::{
    ApplicantKind, Certificate, ClientEvaluation, ClientService, CreditEvent, Facts, Project,
    Registry, SchemeId, StaffRecord, evaluate,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn capability() -> Facts {
    let mut f = Facts::new(d(2025, 4, 1));
    for k in [
        "registered",
        "association_member",
        "has_equipment",
        "has_management_systems",
        "staff_trained",
        "projects_inspected_accepted",
        "industry_contribution",
    ] {
        f.set_bool(k, true, &["s3://e"]);
    }
    f.set_bool("major_quality_accident_2y", false, &[])
        .set_bool("bad_conduct_record", false, &[]);
    for (item, q) in [
        ("basic.registered-capital", 5),
        ("basic.years-in-business", 8),
        ("management.revenue", 6),
        ("performance.projects", 7),
        ("performance.certified-staff", 12),
        ("social.honours", 2),
        ("innovation.invention-patents", 1),
    ] {
        f.declare(item, Decimal::from(q), &["s3://p"]);
    }
    f
}

fn credit() -> Facts {
    let mut f = Facts::new(d(2025, 9, 1));
    for (i, code) in ["T1", "T3", "U4", "U9", "T5", "U10"].iter().enumerate() {
        f.credit_events.push(CreditEvent {
            id: format!("e{i}"),
            code: (*code).into(),
            date: d(2025, 1 + i as u32, 10),
            repaired_on: None,
        });
    }
    f
}

fn stars() -> Facts {
    let mut f = Facts::new(d(2025, 6, 30));
    for k in [
        "independent_legal_person",
        "fixed_premises",
        "pays_social_insurance",
        "security_business_scope",
        "has_training_system",
        "has_service_hotline",
        "has_quality_supervision_post",
        "has_om_workflow",
        "integrity_honour",
        "has_fulltime_quality_post",
        "has_spares_and_emergency_plan",
        "has_confidentiality_system",
        "integrity_rated",
        "has_24x7_hotline",
        "uses_om_platform",
        "has_supplier_mgmt_and_emergency_guide",
        "confidentiality_agreements_all",
    ] {
        f.set_bool(k, true, &["s3://e"]);
    }
    f.set_bool("uncorrected_violation", false, &[]).set_bool(
        "major_accident_or_serious_dishonesty",
        false,
        &[],
    );
    for i in 0..20 {
        f.staff.push(StaffRecord {
            staff_ref: format!("s{i}"),
            qualified: true,
            college_or_above: i < 15,
            training_session_hours: Decimal::from(16),
            ..Default::default()
        });
    }
    for i in 0..20 {
        f.clients.push(ClientService {
            client_ref: format!("c{i}"),
            key_protected: i < 3,
            signed_on: if i < 6 { d(2025, 3, 1) } else { d(2023, 3, 1) },
            amount_fen: 10_000_000,
            renewals: 2,
        });
    }
    for i in 0..6 {
        let scores = (1..=9)
            .map(|k| {
                (
                    k.to_string(),
                    Decimal::from([10, 5, 15, 5, 10, 10, 15, 15, 15][k - 1]),
                )
            })
            .collect();
        f.client_evaluations.push(ClientEvaluation {
            client_ref: format!("c{i}"),
            scores,
            evidence: vec!["s3://form".into()],
        });
    }
    f
}

fn awards() -> Facts {
    let mut f = Facts::new(d(2024, 12, 5));
    f.applicant_kind = Some(ApplicantKind::Unit);
    f.set_bool("association_member", true, &["s3://m"])
        .set_date("founded_on", d(2015, 1, 1), &["s3://l"])
        .set_date("member_since", d(2019, 1, 1), &["s3://m"]);
    f.set_bool("major_safety_quality_accident", false, &[])
        .set_bool("penalties_or_complaints_3y", false, &[])
        .set_bool("bad_credit_conduct", false, &[]);
    f.certificates.push(Certificate {
        scheme: SchemeId::CapabilityGrade,
        level: "2".into(),
        valid_from: d(2024, 5, 1),
        valid_until: d(2025, 6, 30),
        revoked: false,
        evidence: vec!["s3://c".into()],
    });
    for i in 0..3 {
        f.projects.push(Project {
            project_ref: format!("p{i}"),
            amount_fen: 250_000_000,
            completed_on: d(2024, 6, 1),
            accepted: true,
            demonstration: true,
            evidence: vec!["s3://p".into()],
        });
    }
    f
}

fn operators() -> Facts {
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
    f.certificates.push(Certificate {
        scheme: SchemeId::CapabilityGrade,
        level: "2".into(),
        valid_from: d(2024, 5, 1),
        valid_until: d(2025, 6, 30),
        revoked: false,
        evidence: vec![],
    });
    for i in 0..30 {
        f.staff.push(StaffRecord {
            staff_ref: format!("s{i}"),
            identity_verified: true,
            ..Default::default()
        });
    }
    f
}

fn bench(c: &mut Criterion) {
    let r = Registry::builtin().expect("definitions");
    let cases: [(SchemeId, Facts); 5] = [
        (SchemeId::CapabilityGrade, capability()),
        (SchemeId::FireCredit, credit()),
        (SchemeId::OmStars, stars()),
        (SchemeId::AnnualAwards, awards()),
        (SchemeId::AlarmOperators, operators()),
    ];
    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(1));
    for (id, facts) in &cases {
        let s = r.in_force(*id, facts.as_of).expect("in force");
        g.bench_function(id.as_str(), |b| {
            b.iter(|| evaluate(black_box(s), black_box(facts)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
