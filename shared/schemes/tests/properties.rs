mod common;
use common::{d, scheme};
use proptest::prelude::*;
use rust_decimal::Decimal;
use standing_schemes::{CreditEvent, Facts, Report, Scheme, SchemeId, evaluate};

fn rank(s: &Scheme, r: &Report) -> usize {
    // 0 = no level; higher = better (levels are listed highest first).
    r.level
        .as_ref()
        .map(|l| s.levels.len() - s.levels.iter().position(|x| x.code == l.code).unwrap())
        .unwrap_or(0)
}

fn cap_facts(decls: &[(usize, u32, bool)]) -> Facts {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let items: Vec<&str> = s
        .points
        .as_ref()
        .unwrap()
        .areas
        .iter()
        .flat_map(|a| a.items.iter().map(|i| i.id.as_str()))
        .collect();
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
        f.set_bool(k, true, &["e"]);
    }
    f.set_bool("major_quality_accident_2y", false, &[])
        .set_bool("bad_conduct_record", false, &[]);
    for (i, q, ev) in decls {
        let evidence: &[&str] = if *ev { &["proof"] } else { &[] };
        f.declare(
            items[i % items.len()],
            Decimal::new(i64::from(*q), 1),
            evidence,
        );
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn capability_total_never_exceeds_item_maxima(decls in proptest::collection::vec((0usize..40, 0u32..300, any::<bool>()), 0..30)) {
        let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
        let r = evaluate(s, &cap_facts(&decls));
        let item_max: Decimal = s.points.as_ref().unwrap().areas.iter().flat_map(|a| a.items.iter().map(|i| i.max.0)).sum();
        let total = r.total.unwrap();
        prop_assert!(total <= r.max_total.unwrap());
        prop_assert!(total <= item_max);
        prop_assert!(total >= Decimal::ZERO);
    }

    #[test]
    fn capability_adding_a_met_item_never_lowers_the_level(
        decls in proptest::collection::vec((0usize..40, 0u32..300, any::<bool>()), 0..20),
        extra in (0usize..40, 1u32..300),
    ) {
        let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
        let before = evaluate(s, &cap_facts(&decls));
        let mut more = decls.clone();
        more.push((extra.0, extra.1, true));
        let after = evaluate(s, &cap_facts(&more));
        prop_assert!(after.total.unwrap() >= before.total.unwrap());
        prop_assert!(rank(s, &after) >= rank(s, &before));
    }

    #[test]
    fn evaluation_is_deterministic(decls in proptest::collection::vec((0usize..40, 0u32..300, any::<bool>()), 0..20)) {
        let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
        let f = cap_facts(&decls);
        let json = serde_json::to_string(&f).unwrap();
        let f2: Facts = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(evaluate(s, &f).to_json(), evaluate(s, &f2).to_json());
    }

    #[test]
    fn credit_total_bounded_and_trustworthy_conduct_never_lowers(
        events in proptest::collection::vec((0usize..16, 0u32..300), 0..25),
        extra in (0usize..5, 0u32..150),
    ) {
        let s = scheme(SchemeId::FireCredit, d(2025, 10, 1));
        let codes: Vec<String> = s.credit.as_ref().unwrap().conduct.iter().map(|k| k.code.clone()).collect();
        let mk = |evs: &[(usize, u32)]| {
            let mut f = Facts::new(d(2025, 10, 1));
            for (i, (k, day)) in evs.iter().enumerate() {
                f.credit_events.push(CreditEvent { id: format!("e{i:03}"), code: codes[*k].clone(), date: d(2025, 1, 1) + chrono::Duration::days(i64::from(*day) - 30), repaired_on: None });
            }
            f
        };
        let before = evaluate(s, &mk(&events));
        prop_assert!(before.total.unwrap() <= before.max_total.unwrap());
        let mut more = events.clone();
        more.push(extra); // codes 0..5 are the trustworthy kinds T1..T5
        let after = evaluate(s, &mk(&more));
        prop_assert!(after.total.unwrap() >= before.total.unwrap());
        prop_assert!(rank(s, &after) >= rank(s, &before));
        prop_assert_eq!(before.to_json(), evaluate(s, &mk(&events)).to_json());
    }

    #[test]
    fn stars_meeting_one_more_requirement_never_lowers_the_stars(mask in any::<u32>(), flip in 0usize..17) {
        let keys = [
            "independent_legal_person", "fixed_premises", "pays_social_insurance", "security_business_scope",
            "has_training_system", "has_service_hotline", "has_quality_supervision_post", "has_om_workflow",
            "integrity_honour", "has_fulltime_quality_post", "has_spares_and_emergency_plan",
            "has_confidentiality_system", "integrity_rated", "has_24x7_hotline", "uses_om_platform",
            "has_supplier_mgmt_and_emergency_guide", "confidentiality_agreements_all",
        ];
        let s = scheme(SchemeId::OmStars, d(2025, 6, 30));
        let mk = |m: u32| {
            let mut f = Facts::new(d(2025, 6, 30));
            for (i, k) in keys.iter().enumerate() {
                f.set_bool(k, m & (1 << i) != 0, &["e"]);
            }
            f.set_bool("uncorrected_violation", false, &[]).set_bool("major_accident_or_serious_dishonesty", false, &[]);
            f.review("2s-5.2.1.3-integrity-honour", m & (1 << 8) != 0, "a").review("3s-5.3.1.2-integrity-rated", m & (1 << 12) != 0, "a");
            for i in 0..20 {
                f.staff.push(standing_schemes::StaffRecord { staff_ref: format!("s{i}"), qualified: true, college_or_above: true, training_session_hours: Decimal::from(16), identity_verified: true, ..Default::default() });
            }
            for i in 0..20 {
                f.clients.push(standing_schemes::ClientService { client_ref: format!("c{i}"), key_protected: i < 4, signed_on: d(2025, 2, 1), amount_fen: 5_000_000, renewals: 3 });
            }
            f.client_evaluations.push(standing_schemes::ClientEvaluation { client_ref: "c0".into(), scores: (1..=9).map(|k| (k.to_string(), Decimal::from(15))).collect(), evidence: vec!["e".into()] });
            f
        };
        let before = evaluate(s, &mk(mask));
        let after = evaluate(s, &mk(mask | (1 << flip)));
        prop_assert!(rank(s, &after) >= rank(s, &before));
    }
}
