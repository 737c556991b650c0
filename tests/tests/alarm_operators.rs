//! Suspensions (歇业) and closures (停业) of alarm operators, seed 004 二（三）3, on the
//! local stack: filed by the operator at least one month ahead with the city police
//! department, reviewed there, approved and filed by the regional department, a refusal
//! with its reasons at either level, and the approved ones on a public list.

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
