mod common;
use common::{d, scheme};
use rust_decimal::Decimal;
use standing_schemes::{Facts, Outcome, Scheme, SchemeId, Status, evaluate};

pub fn eligible(as_of: chrono::NaiveDate) -> Facts {
    let mut f = Facts::new(as_of);
    f.set_bool("registered", true, &["s3://lic.pdf"])
        .set_bool("association_member", true, &["s3://member.pdf"])
        .set_bool("has_equipment", true, &["s3://equipment.pdf"])
        .set_bool("has_management_systems", true, &["s3://systems.pdf"])
        .set_bool("major_quality_accident_2y", false, &[])
        .set_bool("staff_trained", true, &["s3://training.pdf"])
        .set_bool(
            "projects_inspected_accepted",
            true,
            &["s3://inspection.pdf"],
        )
        .set_bool("bad_conduct_record", false, &[])
        .set_bool("industry_contribution", true, &["s3://contribution.pdf"])
        .review("art9-3-equipment", true, "clerk-1")
        .review("art9-4-systems", true, "clerk-1")
        .review("art9-7-contribution", true, "clerk-1");
    f
}

/// Declare items (all with evidence) so that the capped total is exactly `target`.
pub fn declare_points(s: &Scheme, f: &mut Facts, target: Decimal) {
    let pts = s.points.as_ref().unwrap();
    let mut remaining = target;
    // Items worth more than one point per unit first, then 1-point items to land exactly.
    for pass in [false, true] {
        for a in &pts.areas {
            let used: Decimal = f
                .declared_items
                .iter()
                .filter_map(|di| {
                    a.items
                        .iter()
                        .find(|i| i.id == di.item)
                        .map(|i| di.quantity * i.points_per_unit.0)
                })
                .sum();
            let mut area_room = a.max.0 - used;
            for it in &a.items {
                let ppu = it.points_per_unit.0;
                if (ppu == Decimal::ONE) != pass
                    || f.declared_items.iter().any(|di| di.item == it.id)
                {
                    continue;
                }
                let room = remaining.min(it.max.0).min(area_room);
                let q = if pass { room } else { (room / ppu).floor() };
                if q > Decimal::ZERO {
                    f.declare(&it.id, q, &["s3://proof.pdf"]);
                    remaining -= q * ppu;
                    area_room -= q * ppu;
                }
            }
        }
    }
    assert_eq!(remaining, Decimal::ZERO, "helper could not reach {target}");
}

fn grade_at(points: i64) -> (Option<String>, Decimal, Status) {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let mut f = eligible(d(2025, 4, 1));
    declare_points(s, &mut f, Decimal::from(points));
    let r = evaluate(s, &f);
    // Below 40 the failing line is named: the grade line with the 第七条 threshold.
    assert_eq!(
        r.failed.is_empty(),
        points >= 40,
        "{points}: {:?}",
        r.failed
    );
    if points < 40 {
        assert_eq!(r.failed, vec!["level".to_owned()]);
        assert_eq!(r.line("level").unwrap().seed_ref.article, "第七条");
    }
    (r.level.map(|l| l.code), r.total.unwrap(), r.status)
}

#[test]
fn grade_boundaries_from_article_7() {
    let cases = [
        (39, None),
        (40, Some("4")),
        (59, Some("4")),
        (60, Some("3")),
        (79, Some("3")),
        (80, Some("2")),
        (99, Some("2")),
        (100, Some("1")),
        (110, Some("1")),
        (0, None),
    ];
    for (p, want) in cases {
        let (level, total, status) = grade_at(p);
        assert_eq!(total, Decimal::from(p));
        assert_eq!(level.as_deref(), want, "{p} points");
        assert_eq!(status == Status::Qualified, want.is_some(), "{p} points");
    }
}

#[test]
fn realistic_applicant_reaches_each_grade_and_report_is_itemized() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    for (p, code) in [(105, "1"), (85, "2"), (65, "3"), (45, "4")] {
        let mut f = eligible(d(2025, 4, 1));
        declare_points(s, &mut f, Decimal::from(p));
        let r = evaluate(s, &f);
        assert_eq!(r.level.as_ref().unwrap().code, code);
        assert_eq!(r.version, "2024-01-01");
        assert_eq!(r.max_total, Some(Decimal::from(120)));
        // every item of the table and every eligibility rule appears with its seed article
        let items: usize = s
            .points
            .as_ref()
            .unwrap()
            .areas
            .iter()
            .map(|a| a.items.len() + 1)
            .sum();
        assert_eq!(r.lines.len(), items + s.groups[0].rules.len() + 1);
        assert_eq!(r.line("level").unwrap().outcome, Outcome::Met);
        assert!(
            r.lines
                .iter()
                .all(|l| l.seed_ref.doc == "seed-000" && !l.seed_ref.article.is_empty())
        );
        assert!(
            r.lines
                .iter()
                .filter(|l| l.group != "eligibility" && l.group != "level")
                .all(|l| l.default),
            "point table is a marked default"
        );
        assert_eq!(
            r.line("art9-1-registered").unwrap().seed_ref.article,
            "第九条（一）"
        );
    }
}

#[test]
fn item_and_area_caps_apply() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let mut f = eligible(d(2025, 4, 1));
    f.declare("innovation.invention-patents", Decimal::from(7), &["p"]); // 35 -> capped 10
    f.declare("innovation.utility-software", Decimal::from(9), &["p"]); // 18 -> capped 10
    f.declare("innovation.standards", Decimal::from(1), &["p"]); // 3
    let r = evaluate(s, &f);
    assert_eq!(
        r.line("innovation.invention-patents").unwrap().points,
        Some(Decimal::from(10))
    );
    assert_eq!(
        r.line("area:innovation").unwrap().points,
        Some(Decimal::from(15))
    ); // 23 capped at 15
    assert_eq!(r.total, Some(Decimal::from(15)));
}

#[test]
fn declared_item_without_evidence_scores_nothing() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let mut f = eligible(d(2025, 4, 1));
    f.declare("innovation.invention-patents", Decimal::from(2), &[]);
    let r = evaluate(s, &f);
    let l = r.line("innovation.invention-patents").unwrap();
    assert_eq!(l.outcome, Outcome::EvidenceMissing);
    assert_eq!(l.points, Some(Decimal::ZERO));
    assert!(
        r.pending
            .contains(&"innovation.invention-patents".to_owned())
    );
}

type Breaker = Box<dyn Fn(&mut Facts)>;

#[test]
fn each_article_9_condition_failing_is_named() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let breaks: Vec<(&str, Breaker)> = vec![
        (
            "art9-1-registered",
            Box::new(|f| {
                f.set_bool("registered", false, &["x"]);
            }),
        ),
        (
            "art9-2-member",
            Box::new(|f| {
                f.set_bool("association_member", false, &["x"]);
            }),
        ),
        (
            "art9-3-equipment",
            Box::new(|f| {
                f.review("art9-3-equipment", false, "clerk-2");
            }),
        ),
        (
            "art9-4-systems",
            Box::new(|f| {
                f.set_bool("has_management_systems", false, &[]);
                f.reviews.remove("art9-4-systems");
            }),
        ),
        (
            "art9-4-no-major-accident",
            Box::new(|f| {
                f.set_bool("major_quality_accident_2y", true, &["report"]);
            }),
        ),
        (
            "art9-5-staff-trained",
            Box::new(|f| {
                f.set_bool("staff_trained", false, &[]);
            }),
        ),
        (
            "art9-5-projects-inspected",
            Box::new(|f| {
                f.set_bool("projects_inspected_accepted", false, &[]);
            }),
        ),
        (
            "art9-6-no-bad-conduct",
            Box::new(|f| {
                f.set_bool("bad_conduct_record", true, &["record"]);
            }),
        ),
        (
            "art9-7-contribution",
            Box::new(|f| {
                f.review("art9-7-contribution", false, "clerk-2");
            }),
        ),
        (
            "art23-no-ban",
            Box::new(|f| {
                f.set_date("revoked_on", d(2023, 4, 2), &["decision"]);
            }),
        ),
    ];
    assert_eq!(
        breaks.len(),
        s.groups[0].rules.len(),
        "every eligibility rule has a failing case"
    );
    for (rule, brk) in breaks {
        let mut f = eligible(d(2025, 4, 1));
        declare_points(s, &mut f, Decimal::from(110));
        brk(&mut f);
        let r = evaluate(s, &f);
        assert_eq!(r.failed, vec![rule.to_owned()], "{rule}");
        assert_eq!(r.status, Status::NotQualified);
        assert!(r.level.is_none(), "{rule}: no grade while ineligible");
        assert_eq!(r.line(rule).unwrap().outcome, Outcome::NotMet);
    }
}

#[test]
fn two_year_ban_runs_through_the_same_date_two_years_later() {
    // 民法典 第二百零一、二百零二条: the revocation day is not counted; the ban's last day
    // is the corresponding day two years later, and the day after is the first allowed.
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    assert_eq!(s.ban_years().unwrap(), 2);
    assert_eq!(s.ban_last_day(d(2023, 4, 1)).unwrap(), d(2025, 4, 1));
    assert_eq!(s.may_reapply_from(d(2023, 4, 1)).unwrap(), d(2025, 4, 2));
    let mut f = eligible(d(2025, 4, 2));
    declare_points(s, &mut f, Decimal::from(60));
    f.set_date("revoked_on", d(2023, 4, 1), &["decision"]);
    assert_eq!(evaluate(s, &f).status, Status::Qualified);
    f.set_date("revoked_on", d(2023, 4, 2), &["decision"]);
    assert_eq!(evaluate(s, &f).failed, vec!["art23-no-ban".to_owned()]);
}

#[test]
fn a_ban_ending_in_a_holiday_runs_to_the_first_working_day_after_it() {
    // 第二百零三条: revoked 2023-10-01, nominal last day 2025-10-01 lies in the 2025
    // National Day holiday (10-01..10-08), so the ban runs through 10-09.
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 10, 9));
    assert_eq!(s.may_reapply_from(d(2023, 10, 1)).unwrap(), d(2025, 10, 10));
    for (today, banned) in [(d(2025, 10, 9), true), (d(2025, 10, 10), false)] {
        let mut f = eligible(today);
        declare_points(s, &mut f, Decimal::from(60));
        f.set_date("revoked_on", d(2023, 10, 1), &["decision"]);
        let r = evaluate(s, &f);
        assert_eq!(
            r.failed.contains(&"art23-no-ban".to_owned()),
            banned,
            "{today}"
        );
    }
    // Spring Festival 2026 (02-15..02-23): revoked 2024-02-17, banned through 02-24.
    assert_eq!(s.may_reapply_from(d(2024, 2, 17)).unwrap(), d(2026, 2, 25));
    // A ban whose last year the calendar does not cover yet: the nominal day after; the
    // check at submission extends it once the holidays are published.
    assert_eq!(
        s.may_reapply_from(d(2026, 11, 24)).unwrap(),
        d(2028, 11, 25)
    );
}

#[test]
fn the_ban_rule_reads_ban_years() {
    // The rule names the parameter; changing the parameter changes the rule.
    let text = include_str!("../definitions/capability-grade/2024-01-01.toml").replace(
        "[parameters.ban_years]\nvalue = 2",
        "[parameters.ban_years]\nvalue = 3",
    );
    let s = Scheme::from_toml_str("cap.toml", &text).unwrap();
    assert_eq!(s.may_reapply_from(d(2022, 4, 1)).unwrap(), d(2025, 4, 2));
    let mut f = eligible(d(2025, 4, 1));
    declare_points(&s, &mut f, Decimal::from(60));
    f.set_date("revoked_on", d(2022, 4, 1), &["decision"]);
    assert_eq!(evaluate(&s, &f).failed, vec!["art23-no-ban".to_owned()]);
}

#[test]
fn missing_evidence_or_human_check_keeps_it_under_review() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let mut f = eligible(d(2025, 4, 1));
    declare_points(s, &mut f, Decimal::from(70));
    f.reviews.remove("art9-3-equipment");
    f.set_bool("registered", true, &[]);
    let r = evaluate(s, &f);
    assert_eq!(r.status, Status::NeedsReview);
    assert_eq!(
        r.line("art9-3-equipment").unwrap().outcome,
        Outcome::NeedsHumanCheck
    );
    assert_eq!(
        r.line("art9-1-registered").unwrap().outcome,
        Outcome::EvidenceMissing
    );
    assert_eq!(r.level.unwrap().code, "3");
}

#[test]
fn parameters_the_workflows_need() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    assert_eq!(s.notice_days().unwrap(), 7);
    // Opened 2025-04-01: the opening day is not counted, day 7 is 04-08 (民法典 第二百零一条).
    assert_eq!(s.notice_ends_on(d(2025, 4, 1)).unwrap().day, d(2025, 4, 8));
    // Opened 2025-09-26: day 7 is 10-03, inside the National Day holiday (10-01..10-08),
    // so the notice runs through 10-09 (第二百零三条).
    assert_eq!(
        s.notice_ends_on(d(2025, 9, 26)).unwrap().day,
        d(2025, 10, 9)
    );
    let deadline = s.parameter("annual_report_deadline").unwrap();
    assert!(deadline.default, "the deadline is a marked default");
    assert_eq!(s.annual_report_deadline().unwrap(), (6, 30));
    assert_eq!(
        s.certificate_valid_until(d(2025, 4, 20)).unwrap(),
        d(2026, 6, 30)
    );
    assert_eq!(
        s.certificate_valid_until(d(2025, 12, 31)).unwrap(),
        d(2026, 6, 30)
    );
    let codes: Vec<&str> = s
        .revocation_grounds()
        .iter()
        .map(|g| g.code.as_str())
        .collect();
    assert_eq!(codes.len(), 6);
    assert!(
        s.revocation_grounds()
            .iter()
            .all(|g| g.seed.article.starts_with("第二十二条"))
    );
    assert_eq!(s.param_int("fee_fen").unwrap(), 0);
}

#[test]
fn same_input_same_report_bytes() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let mut f = eligible(d(2025, 4, 1));
    declare_points(s, &mut f, Decimal::new(8550, 2));
    let a = evaluate(s, &f).to_json();
    let b = evaluate(s, &f.clone()).to_json();
    assert_eq!(a, b);
    assert!(a.contains("\"total\":\"85.5\""), "exact decimal total: {a}");
}

#[test]
fn fact_keys_list_what_the_rules_read_and_reviews_keep_evidence() {
    let s = scheme(SchemeId::CapabilityGrade, d(2025, 4, 1));
    let keys: Vec<&str> = s.fact_keys().iter().map(|(k, _, _)| *k).collect();
    assert_eq!(
        keys,
        [
            "registered",
            "association_member",
            "has_equipment",
            "has_management_systems",
            "major_quality_accident_2y",
            "staff_trained",
            "projects_inspected_accepted",
            "bad_conduct_record",
            "industry_contribution",
            "revoked_on"
        ]
    );
    let f = eligible(d(2025, 4, 1));
    let r = evaluate(s, &f);
    let l = r.line("art9-3-equipment").unwrap();
    assert_eq!(l.outcome, Outcome::Met);
    assert_eq!(l.evidence, vec!["s3://equipment.pdf".to_owned()]);
    assert!(l.detail.contains("人工审核（clerk-1）符合"), "{}", l.detail);
}

#[test]
fn the_authorities_in_force_are_those_of_the_schemes_in_force_that_name_one() {
    let registry = standing_schemes::Registry::builtin().unwrap();
    let on = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        registry.authorities_in_force(on(2026, 12, 1)),
        vec![
            "bj-security-association",
            "jz-housing-bureau",
            "nmg-security-association"
        ]
    );
    // Before the capability grade took effect, only the star rating's association.
    assert_eq!(
        registry.authorities_in_force(on(2023, 12, 31)),
        vec!["bj-security-association"]
    );
    // Before the star rating took effect, no scheme in force names an authority.
    assert!(registry.authorities_in_force(on(2021, 12, 31)).is_empty());
}
