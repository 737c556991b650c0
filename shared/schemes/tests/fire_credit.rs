mod common;
use common::{d, scheme};
use rust_decimal::Decimal;
use standing_schemes::{
    CreditEvent, Facts, SchemeId, Status, credit_cycle, evaluate, level_for_score,
};

fn ev(id: &str, code: &str, date: chrono::NaiveDate) -> CreditEvent {
    CreditEvent {
        id: id.into(),
        code: code.into(),
        date,
        repaired_on: None,
    }
}

#[test]
fn level_boundaries_are_exact_decimals() {
    let s = scheme(SchemeId::FireCredit, d(2025, 1, 1));
    for (score, want) in [
        ("59.99", "D"),
        ("60", "C"),
        ("80", "C"),
        ("80.01", "B"),
        ("81", "B"),
        ("100", "B"),
        ("100.01", "A"),
        ("-20", "D"),
    ] {
        let score: Decimal = score.parse().unwrap();
        assert_eq!(level_for_score(s, score).unwrap().code, want, "{score}");
    }
}

#[test]
fn base_events_and_levels_through_evaluation() {
    let s = scheme(SchemeId::FireCredit, d(2025, 6, 1));
    let on = d(2025, 6, 1);
    let cases: Vec<(Vec<&str>, i64, &str)> = vec![
        (vec![], 100, "B"),
        (vec!["T5"], 101, "A"),
        (vec!["U4", "U4"], 80, "C"),
        (vec!["U1", "U4"], 60, "C"),
        (vec!["U1", "U4", "U9"], 55, "D"),
        (vec!["U4", "U9", "U9", "T5"], 81, "B"),
    ];
    for (codes, total, level) in cases {
        let mut f = Facts::new(on);
        for (i, c) in codes.iter().enumerate() {
            f.credit_events
                .push(ev(&format!("e{i}"), c, d(2025, 2, 1 + i as u32)));
        }
        let r = evaluate(s, &f);
        assert_eq!(r.total, Some(Decimal::from(total)), "{codes:?}");
        assert_eq!(r.level.as_ref().unwrap().code, level, "{codes:?}");
        assert_eq!(r.status, Status::Qualified);
        assert!(r.lines.iter().all(|l| l.seed_ref.doc == "seed-002"));
    }
}

#[test]
fn all_sixteen_conduct_kinds_are_marked_defaults() {
    let s = scheme(SchemeId::FireCredit, d(2025, 6, 1));
    let c = s.credit.as_ref().unwrap();
    assert_eq!(
        c.conduct.iter().filter(|k| k.code.starts_with('T')).count(),
        5
    );
    assert_eq!(
        c.conduct.iter().filter(|k| k.code.starts_with('U')).count(),
        11
    );
    assert!(c.conduct.iter().all(|k| k.default && k.note.is_some()));
}

#[test]
fn trustworthy_points_are_capped_per_cycle() {
    let s = scheme(SchemeId::FireCredit, d(2025, 6, 1));
    let mut f = Facts::new(d(2025, 6, 1));
    for i in 0..4 {
        f.credit_events
            .push(ev(&format!("t{i}"), "T1", d(2025, 3, 1 + i)));
    }
    let r = evaluate(s, &f);
    assert_eq!(r.total, Some(Decimal::from(110))); // 4 × 5 capped at 10
    assert!(r.total <= r.max_total);
}

#[test]
fn natural_repair_at_cycle_end_and_repair_on_application() {
    let s = scheme(SchemeId::FireCredit, d(2025, 6, 1));
    assert_eq!(
        credit_cycle(s, d(2025, 6, 1)),
        (d(2025, 1, 1), d(2025, 12, 31))
    );
    let mut f = Facts::new(d(2025, 6, 1));
    f.credit_events.push(ev("old", "U2", d(2024, 12, 31))); // previous cycle: naturally repaired
    f.credit_events.push(ev("now", "U4", d(2025, 1, 1)));
    let mut repaired = ev("fixed", "U3", d(2025, 3, 1));
    repaired.repaired_on = Some(d(2025, 3, 20));
    f.credit_events.push(repaired);
    let mut later = ev("fixed-later", "U8", d(2025, 3, 1));
    later.repaired_on = Some(d(2025, 7, 1)); // repair after the evaluation date does not count yet
    f.credit_events.push(later);
    let r = evaluate(s, &f);
    assert_eq!(
        r.total,
        Some(Decimal::from(70)),
        "100 - 10 (U4) - 20 (U8, repair not yet approved)"
    );
    assert_eq!(r.level.as_ref().unwrap().code, "C");
    assert_eq!(r.line("U2:old").unwrap().points, Some(Decimal::ZERO));
    assert_eq!(r.line("U3:fixed").unwrap().points, Some(Decimal::ZERO));
}

#[test]
fn repair_rules_and_measures() {
    let s = scheme(SchemeId::FireCredit, d(2025, 6, 1));
    assert_eq!(s.repair_answer_working_days().unwrap(), 5);
    assert!(s.repair_allowed("A") && s.repair_allowed("B") && s.repair_allowed("C"));
    assert!(!s.repair_allowed("D"), "D is not repairable");
    assert_eq!(s.param_int("cycle_months").unwrap(), 12);
    let measures = |c: &str| {
        s.level(c)
            .unwrap()
            .measures
            .iter()
            .map(|m| m.code.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        measures("A"),
        ["A-quality-list", "A-one-random-inspection", "A-priority"]
    );
    assert_eq!(measures("B"), ["B-routine"]);
    assert_eq!(measures("C"), ["C-interview", "C-key-supervision"]);
    assert_eq!(measures("D"), ["D-exit", "D-city-notice"]);
    let cal = standing_schemes::WorkCalendar::builtin().unwrap();
    // A repair filed on Friday 2025-09-26 is answered by 2025-10-10 (National Day in between, 9-28 make-up Sunday counts).
    assert_eq!(
        cal.add_working_days(d(2025, 9, 26), s.repair_answer_working_days().unwrap())
            .unwrap(),
        d(2025, 10, 10)
    );
}

#[test]
fn unknown_conduct_code_goes_to_a_person() {
    let s = scheme(SchemeId::FireCredit, d(2025, 6, 1));
    let mut f = Facts::new(d(2025, 6, 1));
    f.credit_events.push(ev("x", "U99", d(2025, 2, 1)));
    let r = evaluate(s, &f);
    assert_eq!(r.status, Status::NeedsReview);
    assert_eq!(r.pending, vec!["U99:x".to_owned()]);
}
