//! An edition of the annual awards is data (seed 001; DESIGN: "the 2025 edition must
//! need no code change"): a hypothetical 2025 edition (a test fixture, with a 300万元
//! quality-project threshold and five winners a category) is loaded beside the shipped
//! 2024 one, and the same pipeline and ranking code applies each on its own dates.

use super::*;
use crate::award_panel::AggregationRule;
use chrono::TimeZone;
use serde_json::json;

const EDITION_2024: &str = include_str!("../../../schemes/definitions/annual-awards/2024.toml");
const EDITION_2025: &str = include_str!("../../tests/fixtures/annual-awards-2025.toml");

fn registry() -> Registry {
    Registry::from_sources(&[
        (
            "annual-awards/2024.toml".to_owned(),
            EDITION_2024.to_owned(),
        ),
        (
            "annual-awards/2025.toml".to_owned(),
            EDITION_2025.to_owned(),
        ),
    ])
    .expect("both editions load")
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

/// The rule ids a c3 nomination with one project is refused on at submission.
fn c3_unmet(
    registry: &Registry,
    now: DateTime<Utc>,
    amount_fen: i64,
    completed: &str,
) -> Vec<String> {
    let o = super::tests::org(true);
    let caller = Principal::Applicant {
        subject: "a".into(),
        org: o.code.clone(),
    };
    let (app, _) = create(
        &json!({"scheme": "annual-awards", "category": "c3"}),
        &caller,
        &o,
        None,
        registry,
        now,
    )
    .unwrap();
    let (app, m, _) = add_material(
        &app,
        &json!({"evidence_for": "projects", "file_name": "合同.pdf",
                "content_type": "application/pdf", "size_bytes": 100}),
        &caller,
        registry,
        now,
    )
    .unwrap();
    let (app, _) = declare(
        &app,
        &json!({"facts": {"major_safety_quality_accident": {"value": false}},
                "projects": {"entries": [{"project_ref": "P1", "amount_fen": amount_fen,
                    "completed_on": completed, "accepted": true, "demonstration": false,
                    "evidence": [m.id.to_string()]}]}}),
        &caller,
        registry,
        now,
    )
    .unwrap();
    let platform = PlatformRecords {
        organization: &o,
        membership: None,
        bans: &[],
        evaluations: &[],
        certificates: &[],
    };
    let uploaded = BTreeSet::from([m.id.to_string()]);
    match submit(&app, &caller, &platform, &uploaded, registry, now) {
        Ok(_) => Vec::new(),
        Err(p) if p.detail.starts_with("不符合申报条件") => {
            p.errors.into_iter().map(|e| e.field).collect()
        }
        // Refused for the missing checklist only: no condition unmet.
        Err(p) => {
            assert!(p.detail.starts_with("以下证明材料缺失"), "{p:?}");
            assert!(
                p.errors.iter().all(|e| e.field.starts_with("c3.m")),
                "{p:?}"
            );
            Vec::new()
        }
    }
}

#[test]
fn the_2025_edition_is_data_and_each_edition_applies_on_its_own_dates() {
    let r = registry();
    let project = || vec!["c3-3-project".to_owned()];
    // 2024: 200万元 in January-November 2024.
    let in_2024 = at(2024, 12, 5);
    assert!(c3_unmet(&r, in_2024, 200_000_000, "2024-11-30").is_empty());
    assert_eq!(c3_unmet(&r, in_2024, 200_000_000, "2023-11-30"), project());
    // 2025: its own window and its own threshold (300万元), no code changed.
    let in_2025 = at(2025, 12, 5);
    assert_eq!(c3_unmet(&r, in_2025, 200_000_000, "2025-11-30"), project());
    assert_eq!(c3_unmet(&r, in_2025, 300_000_000, "2024-11-30"), project());
    assert!(c3_unmet(&r, in_2025, 300_000_000, "2025-11-30").is_empty());
    // Its panel rule: five winners a category.
    let s2025 = r.version(SchemeId::AnnualAwards, "2025").unwrap();
    let s2024 = r.version(SchemeId::AnnualAwards, "2024").unwrap();
    assert_ne!(
        AggregationRule::of(s2025).unwrap(),
        AggregationRule::of(s2024).unwrap()
    );
    assert_eq!(s2025.param_int("winners_per_category").unwrap(), 5);
}
