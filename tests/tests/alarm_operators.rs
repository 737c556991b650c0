//! Alarm operators (seed 004) on the local stack. Filings (二（一）): with the local city
//! police department, the certificate of grade 2 or better read from the platform's own
//! records, the staff roster vetted against 二（二） (identity numbers validated and kept
//! masked), approved after the department's checks without a public notice, and listed.
//! Suspensions (歇业) and closures (停业), 二（三）3: filed by the operator at least one
//! month ahead with the city department, reviewed there, approved and filed by the
//! regional department, a refusal with its reasons at either level, the approved ones on
//! a public list.

mod cert_common;

use serde_json::{Value, json};
use standing_aws::keys;
use standing_e2e::*;

const CITY: &str = "nmg-ps-hohhot";
const OTHER_CITY: &str = "nmg-ps-baotou";
const REGION: &str = "nmg-public-security";

fn filing(kind: &str, starts_on: &str) -> Value {
    let mut b = json!({"kind": kind, "city": CITY, "reason": "接警中心搬迁改造",
                       "starts_on": starts_on,
                       "customer_plan": "改造期间委托呼和浩特市合作企业代为接处警，已书面告知全部客户",
                       "compensation_plan": "因本企业原因造成客户损失的，按合同约定全额赔偿"});
    if kind == "suspension" {
        b["ends_on"] = json!("2027-06-30");
    }
    b
}

async fn file(p: &Platform, code: &standing_domain::ids::CreditCode, body: Value) -> Answer {
    p.call_intake(
        "POST",
        &format!("/v1/organizations/{code}/suspensions"),
        Some(body),
        &As::Applicant(code),
    )
    .await
}

async fn decide(p: &Platform, id: &str, who: &str, body: Value) -> Answer {
    p.call_intake(
        "POST",
        &format!("/v1/suspensions/{id}/decision"),
        Some(body),
        &As::Staff(who),
    )
    .await
}

/// The ids in `who`'s queue (other tests run beside this one: filter by company where
/// it matters, with [`queue_of`]).
async fn queue(p: &Platform, who: &str) -> Vec<String> {
    queue_of(p, who, None).await
}

async fn queue_of(
    p: &Platform,
    who: &str,
    company: Option<&standing_domain::ids::CreditCode>,
) -> Vec<String> {
    let (s, b) = p
        .call_intake("GET", "/v1/suspensions", None, &As::Staff(who))
        .await;
    assert_documented("/v1/suspensions", "GET", &(s, b.clone()));
    assert_eq!(s, 200, "{b}");
    b["suspensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| company.is_none_or(|c| x["org"] == c.as_str()))
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

fn pass() -> Value {
    json!({"approve": true, "reason_holds": true, "plans_reasonable": true})
}

#[tokio::test]
async fn a_suspension_filed_one_month_ahead_is_reviewed_by_the_city_and_approved_by_the_region() {
    // Filed 2026-11-24 (China time).
    let p = Platform::at(star_day(2026, 11, 24)).await;
    let op = p
        .register_company("呼和浩特市安居报警运营服务有限公司")
        .await;

    // One day less than a month: refused with the article and the last filing day;
    // nothing is written (nothing of this operator in the city's queue).
    let (s, b) = file(&p, &op, filing("suspension", "2026-12-23")).await;
    assert_documented(
        "/v1/organizations/{code}/suspensions",
        "POST",
        &(s, b.clone()),
    );
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "starts_on");
    let detail = b["detail"].as_str().unwrap();
    assert!(detail.contains("二（三）3"), "{detail}");
    assert!(
        detail.contains("2026-11-23"),
        "the last filing day: {detail}"
    );
    assert!(queue_of(&p, CITY, Some(&op)).await.is_empty());

    // Exactly one month ahead: filed.
    let (s, b) = file(&p, &op, filing("suspension", "2026-12-24")).await;
    assert_documented(
        "/v1/organizations/{code}/suspensions",
        "POST",
        &(s, b.clone()),
    );
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["status"], "awaiting_city");
    assert_eq!(b["city_name"], "呼和浩特市公安局");
    let id = b["id"].as_str().unwrap().to_owned();

    // In the city's queue, not the region's nor another city's.
    assert!(queue(&p, CITY).await.contains(&id));
    assert!(!queue(&p, REGION).await.contains(&id));
    assert!(!queue(&p, OTHER_CITY).await.contains(&id));
    // The operator reads its own; another company cannot.
    let (s, b) = p
        .call_intake(
            "GET",
            &format!("/v1/suspensions/{id}"),
            None,
            &As::Applicant(&op),
        )
        .await;
    assert_documented("/v1/suspensions/{id}", "GET", &(s, b.clone()));
    assert_eq!(s, 200, "{b}");
    let other = p.register_company("包头市其他报警运营有限公司").await;
    let (s, _) = p
        .call_intake(
            "GET",
            &format!("/v1/suspensions/{id}"),
            None,
            &As::Applicant(&other),
        )
        .await;
    assert_eq!(s, 403);

    // Not the region first, not another city; the city's approval states both conditions.
    let snapshot = p.partition(keys::suspension_pk(&id)).await;
    for who in [REGION, OTHER_CITY] {
        let (s, b) = decide(&p, &id, who, pass()).await;
        assert_eq!(s, 403, "{who}: {b}");
    }
    let (s, b) = decide(
        &p,
        &id,
        CITY,
        json!({"approve": true, "reason_holds": true, "plans_reasonable": false}),
    )
    .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("approve")), "{b}");
    assert_eq!(p.partition(keys::suspension_pk(&id)).await, snapshot);

    let (s, b) = decide(&p, &id, CITY, pass()).await;
    assert_documented("/v1/suspensions/{id}/decision", "POST", &(s, b.clone()));
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "awaiting_region");
    assert!(!queue(&p, CITY).await.contains(&id));
    assert!(queue(&p, REGION).await.contains(&id));
    // The city cannot decide again.
    let (s, _) = decide(&p, &id, CITY, pass()).await;
    assert_eq!(s, 403);

    // The region approves and files it: public, as JSON, HTML and CSV.
    let (s, b) = decide(&p, &id, REGION, json!({"approve": true})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "approved");
    let (s, _) = decide(&p, &id, REGION, json!({"approve": true})).await;
    assert_eq!(s, 409, "decided once");
    let (s, list) = p
        .call_publication(
            "GET",
            "/v1/alarm-operators/suspensions",
            None,
            &As::Anonymous,
        )
        .await;
    assert_documented("/v1/alarm-operators/{list}", "GET", &(s, list.clone()));
    assert_eq!(s, 200, "{list}");
    let mine = list["suspensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap_or_else(|| panic!("not listed: {list}"));
    assert_eq!(mine["kind_zh"], "歇业");
    assert_eq!(mine["starts_on"], "2026-12-24");
    assert_eq!(mine["ends_on"], "2027-06-30");
    assert_eq!(mine["approved_on"], "2026-11-24");
    assert!(mine.get("compensation_plan").is_none(), "{mine}");
    for (path, media) in [
        ("/v1/alarm-operators/suspensions.html", "text/html"),
        ("/v1/alarm-operators/suspensions.csv", "text/csv"),
    ] {
        let r = Box::pin(standing_publication::handle(
            &p.publication,
            request("GET", path, "", None, &As::Anonymous),
        ))
        .await;
        assert_eq!(status(&r), 200);
        assert!(content_type(&r).starts_with(media), "{path}");
        let text = String::from_utf8(r.body().to_vec()).unwrap();
        assert!(
            text.contains("呼和浩特市安居报警运营服务有限公司"),
            "{path}"
        );
        assert!(text.contains("2026-12-24"), "{path}");
    }
    let (s, _) = p
        .call_publication("GET", "/v1/alarm-operators/nothing", None, &As::Anonymous)
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn months_of_different_lengths_and_refusals_at_either_level_carry_their_reasons() {
    // A start on 31 March 2027: the month before has no 31st, so the last filing day is
    // 28 February (the data's note on suspension_lead_months).
    let p = Platform::at(star_day(2027, 2, 28)).await;
    let op = p.register_company("包头市守望报警运营有限公司").await;
    let (s, b) = file(&p, &op, filing("closure", "2027-03-31")).await;
    assert_eq!(s, 201, "{b}");
    let closure = b["id"].as_str().unwrap().to_owned();
    p.clock.set(star_day(2027, 3, 1));
    let (s, b) = file(&p, &op, filing("closure", "2027-03-31")).await;
    assert_eq!((s, b["field"].as_str()), (422, Some("starts_on")), "{b}");
    // A closure has no end date; a suspension must state one.
    let mut with_end = filing("closure", "2027-05-01");
    with_end["ends_on"] = json!("2027-06-30");
    let (s, b) = file(&p, &op, with_end).await;
    assert_eq!((s, b["field"].as_str()), (422, Some("ends_on")), "{b}");
    let mut without_end = filing("suspension", "2027-05-01");
    without_end.as_object_mut().unwrap().remove("ends_on");
    let (s, b) = file(&p, &op, without_end).await;
    assert_eq!((s, b["field"].as_str()), (422, Some("ends_on")), "{b}");
    // Staff cannot file for the operator.
    let (s, _) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{op}/suspensions"),
            Some(filing("closure", "2027-05-01")),
            &As::Staff(CITY),
        )
        .await;
    assert_eq!(s, 403);

    // The city refuses: a refusal needs its reasons; it ends the application.
    let (s, b) = decide(
        &p,
        &closure,
        CITY,
        json!({"approve": false, "reason_holds": false, "plans_reasonable": true}),
    )
    .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("reasons")), "{b}");
    let (s, b) = decide(
        &p,
        &closure,
        CITY,
        json!({"approve": false, "reason_holds": false, "plans_reasonable": true,
               "reasons": "停业理由不成立：客户合同尚未妥善处理"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "refused");
    assert_eq!(
        b["city_review"]["reasons"],
        "停业理由不成立：客户合同尚未妥善处理"
    );
    assert!(!queue(&p, REGION).await.contains(&closure));

    // Another one passes the city and is refused by the region, with its reasons.
    let (s, b) = file(&p, &op, filing("suspension", "2027-05-01")).await;
    assert_eq!(s, 201, "{b}");
    let second = b["id"].as_str().unwrap().to_owned();
    let (s, _) = decide(&p, &second, CITY, pass()).await;
    assert_eq!(s, 200);
    let (s, b) = decide(&p, &second, REGION, json!({"approve": false})).await;
    assert_eq!((s, b["field"].as_str()), (422, Some("reasons")), "{b}");
    let (s, b) = decide(
        &p,
        &second,
        REGION,
        json!({"approve": false, "reasons": "赔偿方案不明确，不予核准"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "refused");
    assert_eq!(b["region_decision"]["reasons"], "赔偿方案不明确，不予核准");
    let (_, list) = p
        .call_publication(
            "GET",
            "/v1/alarm-operators/suspensions",
            None,
            &As::Anonymous,
        )
        .await;
    let listed: Vec<&str> = list["suspensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert!(!listed.contains(&closure.as_str()) && !listed.contains(&second.as_str()));
}

/// Valid GB 11643 numbers (check digits computed).
const IDS: [&str; 3] = [
    "15010219850317123X",
    "150102199001014562",
    "150203197811207895",
];

/// The operator's conditions of 二（一）(1)-(5), each with its evidence.
const CONDITIONS: [&str; 5] = [
    "business_licence",
    "alarm_centre",
    "qualified_alarm_staff",
    "equipment_and_verification",
    "organisation_and_systems",
];

fn person(i: usize) -> Value {
    json!({"staff_ref": format!("接警员{i}"), "id_number": IDS[i % IDS.len()],
           "civil_capacity": "full", "intentional_criminal_record": false})
}

/// A filing draft with the Hohhot department, its conditions declared with evidence and
/// a roster of three (`change` edits the roster first).
async fn filing_draft(
    p: &Platform,
    op: &standing_domain::ids::CreditCode,
    change: impl FnOnce(&mut Vec<Value>),
) -> String {
    let me = As::Applicant(op);
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "alarm-operators", "authority": CITY})),
            &me,
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["authority"], CITY);
    let app = b["id"].as_str().unwrap().to_owned();
    let mut facts = json!({});
    for f in CONDITIONS {
        let m = p.upload(&me, &app, f).await;
        facts[f] = json!({"value": true, "evidence": [m]});
    }
    let roster = p.upload(&me, &app, "staff").await;
    let mut staff: Vec<Value> = (0..3).map(person).collect();
    change(&mut staff);
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(json!({"facts": facts, "staff": {"entries": staff, "evidence": [roster]}})),
            &me,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    app
}

async fn application(p: &Platform, app: &str) -> Value {
    let (s, a) = p
        .call_intake(
            "GET",
            &format!("/v1/applications/{app}"),
            None,
            &As::Staff(CITY),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    a
}

/// Submit and review; the city's staff confirm what the review leaves to a person.
async fn through_review(p: &Platform, op: &standing_domain::ids::CreditCode, app: &str) -> Value {
    let (s, b) = p.submit(&As::Applicant(op), app, &format!("{app}-s")).await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    p.confirm_pending_checks(app, CITY, "现场核查接处警中心、设备与人员")
        .await;
    application(p, app).await
}

#[tokio::test]
async fn an_operator_with_a_grade_2_certificate_files_with_its_city_and_is_listed() {
    let p = Platform::at(star_day(2026, 12, 10)).await;
    let name = "呼和浩特市联防报警运营有限公司";
    let op = p.register_company(name).await;
    cert_common::issued_to(p.store(), &op, name, "2").await;
    let me = As::Applicant(&op);

    // The local department must be named, and be one of the twelve.
    for (body, why) in [
        (json!({"scheme": "alarm-operators"}), "none named"),
        (
            json!({"scheme": "alarm-operators", "authority": "nmg-ps-nowhere"}),
            "unknown",
        ),
    ] {
        let (s, b) = p
            .call_intake("POST", "/v1/applications", Some(body), &me)
            .await;
        assert_eq!(
            (s, b["field"].as_str()),
            (422, Some("authority")),
            "{why}: {b}"
        );
    }
    // A bad identity number is refused where it stands, and nothing is saved.
    let app = filing_draft(&p, &op, |_| {}).await;
    let before = p.partition(standing_aws::keys::app_pk(&app)).await;
    let mut bad = person(0);
    bad["id_number"] = json!("150102198503171230");
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(json!({"staff": {"entries": [bad]}})),
            &me,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "staff.entries[0].id_number", "{b}");
    assert!(
        !b.to_string().contains("150102198503171230"),
        "the number is not echoed"
    );
    assert_eq!(p.partition(standing_aws::keys::app_pk(&app)).await, before);
    // The roster keeps identity numbers masked only.
    let a = application(&p, &app).await;
    assert_eq!(
        a["staff"]["entries"][0]["id_number_masked"],
        "150102********123X"
    );
    assert!(!a.to_string().contains(IDS[0]), "{a}");

    // The review leaves the on-site conditions to the city; after its checks the filing
    // is approved without a public notice and the operator is listed.
    let a = through_review(&p, &op, &app).await;
    assert_eq!(a["status"], "approved", "{a}");
    assert!(a["notice_id"].is_null(), "no notice: {a}");
    assert_eq!(a["result"]["level_label"], "已备案");
    let (s, list) = p
        .call_publication("GET", "/v1/ratings/alarm-operators", None, &As::Anonymous)
        .await;
    assert_eq!(s, 200, "{list}");
    let listed = list["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["credit_code"] == op.as_str())
        .unwrap_or_else(|| panic!("not listed: {list}"));
    assert_eq!(listed["level_label"], "已备案");
    assert_eq!(listed["company_name"], name);
    // Staff of another city cannot act on it.
    let (s, _) = p
        .call_intake(
            "GET",
            &format!("/v1/applications/{app}"),
            None,
            &As::Staff(OTHER_CITY),
        )
        .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn a_filing_fails_on_the_certificate_records_and_on_each_staff_disqualification() {
    type Change = fn(&mut Vec<Value>);
    // (certificate level held, roster change, the rule that fails)
    let cases: [(Option<&str>, Change, Option<&str>); 6] = [
        (Some("3"), |_| {}, Some("op-6-certificate")),
        (None, |_| {}, Some("op-6-certificate")),
        (Some("1"), |_| {}, None),
        (
            Some("2"),
            |s| s[1]["civil_capacity"] = json!("limited"),
            Some("staff-1-civil-capacity"),
        ),
        (
            Some("2"),
            |s| s[2]["intentional_criminal_record"] = json!(true),
            Some("staff-2-criminal-record"),
        ),
        (
            Some("2"),
            |s| {
                s[0].as_object_mut().unwrap().remove("id_number");
            },
            Some("staff-3-identity"),
        ),
    ];
    for (level, change, fails) in cases {
        let p = Platform::at(star_day(2026, 12, 10)).await;
        let name = "包头市边界报警运营有限公司";
        let op = p.register_company(name).await;
        if let Some(level) = level {
            cert_common::issued_to(p.store(), &op, name, level).await;
        }
        let app = filing_draft(&p, &op, change).await;
        let a = through_review(&p, &op, &app).await;
        match fails {
            None => assert_eq!(a["status"], "approved", "grade {level:?}: {a}"),
            Some(rule) => {
                assert_eq!(a["status"], "rejected", "{rule}: {a}");
                let named = a["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["rule_id"] == rule);
                assert!(named, "{rule} not among the findings: {a}");
            }
        }
    }
}
