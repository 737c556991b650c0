//! One application pipeline for every scheme (issue 9): a second scheme kind, the O&M
//! star rating of seed 003 (tiers of requirements, staff roster and clients instead of
//! point items), goes through the same routes as the capability grade: its form, a
//! draft, materials, a declaration of the parts its scheme data names, the preview,
//! submission and the automated review. Refusals name the field and write nothing.

use serde_json::{Value, json};
use standing_aws::keys;
use standing_domain::ids::CreditCode;
use standing_e2e::*;

const STARS_AUTHORITY: &str = STAR_RATING_AUTHORITY;
const EVIDENCED: &[&str] = ONE_STAR_EVIDENCED_FACTS;

/// Five qualified staff, four of them with a degree, each trained 6 hours; the boundary
/// of 5.1.2.1 (at least 5) is met exactly.
fn staff(evidence: &[String]) -> Value {
    let entries: Vec<Value> = (1..=5)
        .map(|i| {
            json!({"staff_ref": format!("S{i:03}"), "qualified": true,
                   "college_or_above": i != 5, "training_session_hours": 6})
        })
        .collect();
    json!({"entries": entries, "evidence": evidence})
}

/// Two clients under contract in the last year (5.1.4.1: at least 2).
fn clients(evidence: &[String]) -> Value {
    json!({"entries": [
        {"client_ref": "C-1", "key_protected": false, "signed_on": "2026-03-01", "amount_fen": 12_000_000},
        {"client_ref": "C-2", "key_protected": true, "signed_on": "2026-06-15", "amount_fen": 8_000_000, "renewals": 2}
    ], "evidence": evidence})
}

fn line<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no line {rule} in {report}"))
}

async fn declare(p: &Platform, who: &As<'_>, app: &str, body: Value) -> Answer {
    p.call_intake(
        "PUT",
        &format!("/v1/applications/{app}/declaration"),
        Some(body),
        who,
    )
    .await
}

#[tokio::test]
async fn a_star_rating_application_goes_through_the_same_routes_as_the_capability_grade() {
    let p = Platform::at(star_day(2026, 12, 1)).await;
    // The form: the star rating takes first applications, with facts, staff and clients;
    // the staff roster and the clients need their own evidence (seed 003 6.2).
    let (s, form) = p
        .call_intake("GET", "/v1/schemes/om-stars", None, &As::Anonymous)
        .await;
    assert_eq!(s, 200, "{form}");
    assert_eq!(form["applications"], json!(["initial"]));
    let sections: Vec<&str> = form["definition"]["applications"][0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["facts", "staff", "clients"]);
    assert_eq!(
        form["definition"]["applications"][0]["sections"][1]["seed"]["article"],
        "6.2"
    );

    // No membership is asked by seed 003: a registered company applies.
    let code: CreditCode = p.register_company("北京安安运维科技有限公司").await;
    let me = As::Applicant(&code);
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "om-stars", "kind": "annual_report"})),
            &me,
        )
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("kind")), "{b}");
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "fire-credit"})),
            &me,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(
        b["detail"].as_str().unwrap().contains("暂未开放线上申报"),
        "{b}"
    );
    // The star rating asks which level the company applies for.
    for (body, field) in [
        (json!({"scheme": "om-stars"}), "level"),
        (json!({"scheme": "om-stars", "level": "4"}), "level"),
        (json!({"scheme": "capability-grade", "level": "1"}), "level"),
    ] {
        let (s, b) = p
            .call_intake("POST", "/v1/applications", Some(body.clone()), &me)
            .await;
        assert_eq!((s, b["field"].as_str()), (422, Some(field)), "{body}: {b}");
    }
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "om-stars", "level": "1"})),
            &me,
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["kind"], "initial");
    assert_eq!(b["level_sought"], "1");
    assert_eq!(b["authority"], STARS_AUTHORITY);
    let app = b["id"].as_str().unwrap().to_owned();

    // Materials: one per evidenced fact, and one for each list section as a whole.
    let mut facts = json!({
        "uncorrected_violation": {"value": false},
    });
    for f in EVIDENCED {
        let m = p.upload(&me, &app, f).await;
        facts[*f] = json!({"value": true, "evidence": [m]});
    }
    let roster = p.upload(&me, &app, "staff").await;
    let contracts = p.upload(&me, &app, "clients").await;
    // A material for something the scheme does not ask is refused.
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/applications/{app}/materials"),
            Some(json!({"evidence_for": "items", "file_name": "a.pdf",
                        "content_type": "application/pdf", "size_bytes": 10})),
            &me,
        )
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("evidence_for")), "{b}");

    // Parts the star rating does not take, and entries read strictly, are refused and
    // change nothing.
    let before = p.partition(keys::app_pk(&app)).await;
    for (body, field) in [
        (
            json!({"facts": facts, "items": [{"item": "basic.years-in-business", "quantity": 1}]}),
            "items",
        ),
        (
            json!({"staff": {"entries": [{"staff_ref": "S1", "qualified": "yes",
                   "college_or_above": true, "training_session_hours": 4}]}}),
            "staff.entries[0].qualified",
        ),
        (
            json!({"staff": {"entries": [{"staff_ref": "S1", "qualified": true,
                   "college_or_above": true, "training_session_hours": 4, "id_number": "110101199001011234"}]}}),
            "staff.entries[0].id_number",
        ),
        (
            json!({"clients": {"entries": [
                {"client_ref": "C", "key_protected": false, "signed_on": "2026-03-01", "amount_fen": 1},
                {"client_ref": "C", "key_protected": false, "signed_on": "2026-03-02", "amount_fen": 1}]}}),
            "clients.entries[1].client_ref",
        ),
        (
            json!({"clients": {"entries": [], "evidence": ["no-such-material"]}}),
            "clients.evidence[0]",
        ),
    ] {
        let (s, b) = declare(&p, &me, &app, body.clone()).await;
        assert_eq!(s, 422, "{body}: {b}");
        let named = b["field"] == field
            || b["errors"]
                .as_array()
                .is_some_and(|l| l.iter().any(|e| e["field"] == field));
        assert!(named, "{field} not named for {body}: {b}");
    }
    assert_eq!(p.partition(keys::app_pk(&app)).await, before);

    // Declared without the roster's and contracts' evidence: saved, but submission is
    // refused naming both (seed 003 6.2), and nothing changes.
    let (s, b) = declare(
        &p,
        &me,
        &app,
        json!({"facts": facts, "staff": staff(&[]), "clients": clients(&[])}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let before = p.partition(keys::app_pk(&app)).await;
    let (s, b) = p.submit(&me, &app, &format!("{app}-1")).await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["staff.evidence", "clients.evidence"], "{b}");
    assert_eq!(p.partition(keys::app_pk(&app)).await, before);

    let declaration = json!({"facts": facts, "staff": staff(std::slice::from_ref(&roster)),
                             "clients": clients(std::slice::from_ref(&contracts))});
    let (s, b) = declare(&p, &me, &app, declaration.clone()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["staff"]["entries"].as_array().unwrap().len(), 5);
    assert_eq!(b["clients"]["evidence"], json!([contracts]));

    // The preview: the same declaration, nothing stored. Staff, degree, training and
    // clients meet one star's limits; no user evaluation form has been received, so
    // 5.1.4.2 is not met and no star is reached.
    let mut preview_body = declaration.clone();
    preview_body["kind"] = json!("initial");
    let before = p.partition(keys::app_pk(&app)).await;
    let (s, preview) = p
        .call_intake(
            "POST",
            "/v1/schemes/om-stars/evaluate",
            Some(preview_body),
            &As::Anonymous,
        )
        .await;
    assert_eq!(s, 200, "{preview}");
    assert_eq!(p.partition(keys::app_pk(&app)).await, before);
    for rule in [
        "1s-5.1.2.1-qualified-staff",
        "1s-5.1.2.2-degree-share",
        "1s-5.1.2.3-training-hours",
        "1s-5.1.4.1-clients",
        "3.2.1-legal-person",
    ] {
        assert_eq!(line(&preview, rule)["outcome"], "met", "{rule}");
    }
    assert_eq!(
        line(&preview, "1s-5.1.4.2-evaluation")["outcome"],
        "not_met"
    );
    assert_eq!(preview["status"], "not_qualified");
    assert!(preview["level"].is_null());

    // Submission and the automated review, as for the capability grade.
    let (s, b) = p.submit(&me, &app, &format!("{app}-2")).await;
    assert_eq!(s, 202, "{b}");
    assert_eq!(p.run_reviews().await, 1);
    let (s, a) = p
        .call_intake(
            "GET",
            &format!("/v1/applications/{app}"),
            None,
            &As::Staff(STARS_AUTHORITY),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["status"], "rejected", "{a}");
    assert_eq!(a["result"]["status"], "not_qualified");
    let findings: Vec<&str> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(findings.contains(&"1s-5.1.4.2-evaluation"), "{findings:?}");
    // Everything the preview found met, the review found met too: the same rules on
    // the same declaration.
    for rule in ["1s-5.1.2.1-qualified-staff", "1s-5.1.4.1-clients"] {
        assert!(!findings.contains(&rule), "{rule} in {findings:?}");
    }
    // The company's slot is free again: a new draft may start, now for two stars. The
    // two-star requirements (and the one-star ones it builds on) must then be declared:
    // submission names what is missing.
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "om-stars", "level": "2"})),
            &me,
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let second = b["id"].as_str().unwrap().to_owned();
    let (s, b) = declare(
        &p,
        &me,
        &second,
        json!({"facts": {"uncorrected_violation": {"value": false}}}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = p.submit(&me, &second, &format!("{second}-1")).await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for rule in [
        "2s-5.2.1.2-no-major-accident",
        "1s-5.1.2.3-training-system",
        "3.2.1-legal-person",
    ] {
        assert!(fields.contains(&rule), "{rule} not in {fields:?}");
    }
    assert!(
        !fields.iter().any(|f| f.starts_with("3s-")),
        "three-star rules are not asked of a two-star application: {fields:?}"
    );
}
