mod common;
use common::{d, scheme};
use rust_decimal::Decimal;
use standing_schemes::{
    ClientEvaluation, ClientService, Facts, SchemeId, StaffRecord, Status, evaluate,
};

#[derive(Clone)]
struct Applicant {
    staff_total: usize,
    qualified: usize,
    college: usize,
    training_session_hours: i64,
    recent_clients: usize,
    older_clients: usize,
    key_clients: usize,
    contract_sum_fen: i64,
    renewals: u32,
    score: i64,
}

const THREE: Applicant = Applicant {
    staff_total: 20,
    qualified: 20,
    college: 14,
    training_session_hours: 16,
    recent_clients: 6,
    older_clients: 14,
    key_clients: 3,
    contract_sum_fen: 50_000_000,
    renewals: 2,
    score: 95,
};

const AS_OF: (i32, u32, u32) = (2025, 6, 30);

fn form_scores(total: i64) -> std::collections::BTreeMap<String, Decimal> {
    let maxima = [10, 5, 15, 5, 10, 10, 15, 15, 15];
    let mut left = total;
    let mut m = std::collections::BTreeMap::new();
    for (i, max) in maxima.iter().enumerate() {
        let v = left.min(*max);
        left -= v;
        m.insert((i + 1).to_string(), Decimal::from(v));
    }
    m
}

fn facts(a: &Applicant) -> Facts {
    let mut f = Facts::new(d(AS_OF.0, AS_OF.1, AS_OF.2));
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
        f.set_bool(k, true, &["s3://evidence.pdf"]);
    }
    f.set_bool("uncorrected_violation", false, &[])
        .set_bool("major_accident_or_serious_dishonesty", false, &[])
        .review("2s-5.2.1.3-integrity-honour", true, "assessor")
        .review("3s-5.3.1.2-integrity-rated", true, "assessor");
    for i in 0..a.staff_total {
        f.staff.push(StaffRecord {
            staff_ref: format!("s{i}"),
            qualified: i < a.qualified,
            college_or_above: i < a.college,
            training_session_hours: Decimal::from(
                a.training_session_hours + if i == 0 { 0 } else { 4 },
            ),
            ..Default::default()
        });
    }
    let n = a.recent_clients + a.older_clients;
    for i in 0..n {
        let recent = i < a.recent_clients;
        f.clients.push(ClientService {
            client_ref: format!("c{i}"),
            key_protected: i >= n - a.key_clients,
            signed_on: if recent {
                d(2025, 1, 15)
            } else {
                d(2022, 3, 1)
            },
            amount_fen: if recent && i == 0 {
                a.contract_sum_fen
            } else {
                0
            },
            renewals: if i == 0 { a.renewals } else { 0 },
        });
    }
    for i in 0..3 {
        f.client_evaluations.push(ClientEvaluation {
            client_ref: format!("c{i}"),
            scores: form_scores(a.score),
            evidence: vec!["s3://form.pdf".into()],
        });
    }
    f
}

fn stars(a: &Applicant) -> Option<String> {
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    evaluate(s, &facts(a)).level.map(|l| l.code)
}

#[test]
fn realistic_applicants_reach_each_star() {
    assert_eq!(stars(&THREE).as_deref(), Some("3"));
    let two = Applicant {
        staff_total: 10,
        qualified: 10,
        college: 6,
        training_session_hours: 8,
        recent_clients: 4,
        older_clients: 6,
        key_clients: 1,
        contract_sum_fen: 30_000_000,
        renewals: 1,
        score: 90,
    };
    assert_eq!(stars(&two).as_deref(), Some("2"));
    let one = Applicant {
        staff_total: 5,
        qualified: 5,
        college: 3,
        training_session_hours: 4,
        recent_clients: 2,
        older_clients: 0,
        key_clients: 0,
        contract_sum_fen: 0,
        renewals: 0,
        score: 85,
    };
    assert_eq!(stars(&one).as_deref(), Some("1"));
    let none = Applicant {
        qualified: 4,
        ..one
    };
    assert_eq!(stars(&none), None);
}

#[test]
fn user_evaluation_boundaries() {
    for (score, want) in [
        (84, None),
        (85, Some("1")),
        (89, Some("1")),
        (90, Some("2")),
        (94, Some("2")),
        (95, Some("3")),
    ] {
        assert_eq!(
            stars(&Applicant { score, ..THREE }).as_deref(),
            want,
            "score {score}"
        );
    }
}

#[test]
fn staff_count_boundaries() {
    for (q, want) in [
        (4, None),
        (5, Some("1")),
        (9, Some("1")),
        (10, Some("2")),
        (19, Some("2")),
        (20, Some("3")),
    ] {
        assert_eq!(
            stars(&Applicant {
                qualified: q,
                ..THREE
            })
            .as_deref(),
            want,
            "qualified {q}"
        );
    }
}

#[test]
fn degree_share_boundaries() {
    // 20 staff: 10 = 50 %, 12 = 60 %, 14 = 70 %; one fewer falls below each limit.
    for (c, want) in [
        (9, None),
        (10, Some("1")),
        (11, Some("1")),
        (12, Some("2")),
        (13, Some("2")),
        (14, Some("3")),
    ] {
        assert_eq!(
            stars(&Applicant {
                college: c,
                ..THREE
            })
            .as_deref(),
            want,
            "college {c}"
        );
    }
}

#[test]
fn training_hour_boundaries() {
    for (h, want) in [
        (3, None),
        (4, Some("1")),
        (7, Some("1")),
        (8, Some("2")),
        (15, Some("2")),
        (16, Some("3")),
    ] {
        assert_eq!(
            stars(&Applicant {
                training_session_hours: h,
                ..THREE
            })
            .as_deref(),
            want,
            "hours {h}"
        );
    }
}

#[test]
fn client_count_boundaries() {
    for (n, want) in [
        (1, None),
        (2, Some("1")),
        (3, Some("1")),
        (4, Some("2")),
        (5, Some("2")),
        (6, Some("3")),
    ] {
        // keep 20 clients over five years so the key share stays 15 %
        let a = Applicant {
            recent_clients: n,
            older_clients: 20 - n,
            ..THREE
        };
        assert_eq!(stars(&a).as_deref(), want, "clients {n}");
    }
}

#[test]
fn contract_sum_boundaries() {
    for (fen, want) in [
        (29_999_999, Some("1")),
        (30_000_000, Some("2")),
        (49_999_999, Some("2")),
        (50_000_000, Some("3")),
    ] {
        assert_eq!(
            stars(&Applicant {
                contract_sum_fen: fen,
                ..THREE
            })
            .as_deref(),
            want,
            "sum {fen}"
        );
    }
}

#[test]
fn key_client_share_boundaries() {
    // 20 clients: 1 = 5 %, 2 = 10 %, 3 = 15 %
    for (k, want) in [(1, Some("1")), (2, Some("2")), (3, Some("3"))] {
        assert_eq!(
            stars(&Applicant {
                key_clients: k,
                ..THREE
            })
            .as_deref(),
            want,
            "key {k}"
        );
    }
    // 10 % exactly vs just under: 100 clients, 9 vs 10 key clients
    let base = Applicant {
        recent_clients: 6,
        older_clients: 94,
        ..THREE
    };
    assert_eq!(
        stars(&Applicant {
            key_clients: 9,
            ..base.clone()
        })
        .as_deref(),
        Some("1")
    );
    assert_eq!(
        stars(&Applicant {
            key_clients: 10,
            ..base.clone()
        })
        .as_deref(),
        Some("2")
    );
    assert_eq!(
        stars(&Applicant {
            key_clients: 14,
            ..base.clone()
        })
        .as_deref(),
        Some("2")
    );
    assert_eq!(
        stars(&Applicant {
            key_clients: 15,
            ..base
        })
        .as_deref(),
        Some("3")
    );
}

#[test]
fn continuity_boundaries() {
    for (r, want) in [(0, Some("1")), (1, Some("2")), (2, Some("3"))] {
        assert_eq!(
            stars(&Applicant {
                renewals: r,
                ..THREE
            })
            .as_deref(),
            want,
            "renewals {r}"
        );
    }
}

#[test]
fn each_precondition_failing_is_named() {
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    for (fact, rule) in [
        ("independent_legal_person", "3.2.1-legal-person"),
        ("fixed_premises", "3.2.2-premises"),
        ("pays_social_insurance", "3.2.3-social-insurance"),
        ("security_business_scope", "3.2.4-business-scope"),
    ] {
        let mut f = facts(&THREE);
        f.set_bool(fact, false, &[]);
        let r = evaluate(s, &f);
        assert_eq!(r.failed, vec![rule.to_owned()]);
        assert_eq!(r.level, None);
        assert_eq!(r.status, Status::NotQualified);
    }
}

#[test]
fn failing_line_is_named_and_pending_level_shown() {
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    let r = evaluate(
        s,
        &facts(&Applicant {
            qualified: 19,
            ..THREE
        }),
    );
    assert_eq!(r.failed, vec!["3s-5.3.2.1-qualified-staff".to_owned()]);
    assert_eq!(
        r.line("3s-5.3.2.1-qualified-staff")
            .unwrap()
            .seed_ref
            .article,
        "5.3.2.1"
    );
    let mut f = facts(&THREE);
    f.reviews.remove("3s-5.3.1.2-integrity-rated");
    let r = evaluate(s, &f);
    assert_eq!(r.level.unwrap().code, "2");
    assert_eq!(r.pending_level.unwrap().code, "3");
    assert_eq!(r.pending, vec!["3s-5.3.1.2-integrity-rated".to_owned()]);
}

#[test]
fn appendix_a_form_has_nine_items_summing_to_100() {
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    let form = &s.forms[0];
    let maxima: Vec<Decimal> = form.items.iter().map(|i| i.max.0).collect();
    let want: Vec<Decimal> = [10, 5, 15, 5, 10, 10, 15, 15, 15]
        .into_iter()
        .map(Decimal::from)
        .collect();
    assert_eq!(maxima, want);
    assert_eq!(maxima.iter().sum::<Decimal>(), Decimal::from(100));
}

#[test]
fn evaluation_mean_and_shares_are_not_rounded_up() {
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    let mut f = facts(&THREE);
    // three forms: 95, 95, 94.985 -> exact mean 94.995 < 95 -> two stars (rounding to 2 places would give 95)
    let mut low = form_scores(94);
    low.insert("9".into(), "9.985".parse().unwrap()); // 10+5+15+5+10+10+15+15+9.985 = 94.985
    f.client_evaluations[2].scores = low;
    let r = evaluate(s, &f);
    assert_eq!(
        r.level.as_ref().unwrap().code,
        "2",
        "{:?}",
        r.line("3s-5.3.4.3-evaluation")
    );
    // 21/30 = exactly 70 % passes; 20/30 = 66.66...% does not
    let a = Applicant {
        staff_total: 30,
        qualified: 30,
        college: 21,
        ..THREE
    };
    assert_eq!(stars(&a).as_deref(), Some("3"));
    let a = Applicant {
        staff_total: 30,
        qualified: 30,
        college: 20,
        ..THREE
    };
    assert_eq!(stars(&a).as_deref(), Some("2"));
}

#[test]
fn each_declared_tier_requirement_failing_is_named() {
    use standing_schemes::model::{Check, GroupRole};
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    for g in s.groups.iter().filter(|g| g.role == GroupRole::Tier) {
        for r in &g.rules {
            let (fact, flipped) = match &r.check {
                Check::True { fact } => (fact, false),
                Check::False { fact } => (fact, true),
                _ => continue,
            };
            let mut f = facts(&THREE);
            f.set_bool(fact, flipped, &["s3://evidence.pdf"]);
            f.reviews.clear();
            let rep = evaluate(s, &f);
            assert!(
                rep.failed.contains(&r.id),
                "{} not named: {:?}",
                r.id,
                rep.failed
            );
            // every failing line is a rule on the same fact
            for id in &rep.failed {
                let rule = s
                    .groups
                    .iter()
                    .flat_map(|g| g.rules.iter())
                    .find(|x| &x.id == id)
                    .unwrap();
                assert!(
                    matches!(&rule.check, Check::True { fact: f2 } | Check::False { fact: f2 } if f2 == fact),
                    "{id}"
                );
            }
            let tier: u32 = g.level.as_deref().unwrap().parse().unwrap();
            let got: u32 = rep.level.map(|l| l.code.parse().unwrap()).unwrap_or(0);
            assert!(
                got < tier || tier < 3,
                "{}: failing it must cost its tier",
                r.id
            );
        }
    }
}

#[test]
fn a_company_failing_a_lower_star_reaches_no_higher_star() {
    // A three-star company with an uncorrected violation (5.1.1.1, repeated by 5.2.1.1
    // but not by 5.3): no star at all, since each level builds on the ones below it.
    let a = THREE;
    let s = scheme(SchemeId::OmStars, d(AS_OF.0, AS_OF.1, AS_OF.2));
    assert_eq!(
        evaluate(s, &facts(&a)).level.map(|l| l.code).as_deref(),
        Some("3")
    );
    let mut f = facts(&a);
    f.set_bool("uncorrected_violation", true, &[]);
    let report = evaluate(s, &f);
    assert_eq!(report.level, None, "5.1.1.1 fails: no star");
    assert!(report.failed.iter().any(|r| r == "1s-5.1.1.1-no-violation"));
}

/// The star certificate's validity: the seed is silent, the data's default is one year,
/// counted as 民法典 第二百零一、二百零二条 count a period in years (from the day after
/// issue to the corresponding day; a 29 February issue ends on 28 February). Not moved
/// by 第二百零三条: a validity is not a time limit for doing something.
#[test]
fn a_star_certificate_is_valid_one_year_to_the_corresponding_day() {
    let s = scheme(SchemeId::OmStars, d(2026, 11, 24));
    for (issued, last) in [
        (d(2026, 11, 24), d(2027, 11, 24)),
        (d(2028, 2, 29), d(2029, 2, 28)),
        (d(2026, 12, 31), d(2027, 12, 31)),
        // 2027-10-01 is National Day: still the last day.
        (d(2026, 10, 1), d(2027, 10, 1)),
    ] {
        assert_eq!(s.certificate_valid_until(issued).unwrap(), last, "{issued}");
    }
    assert!(s.parameters["certificate_validity"].default);
}
