//! Fire-technology service credit (seed 002) on the local stack: an agency entered in the
//! register by the housing bureau, events recorded with evidence moving its level across
//! every boundary of the data, a withdrawal as an event, the public page and lists (JSON,
//! HTML, CSV), repairs refused at D and approved within their working-day due date
//! (Spring Festival and National Day), the overdue flag, and the natural repair at the
//! end of the cycle on the public page.

use chrono::{Datelike, TimeZone};
use serde_json::{Value, json};
use standing_domain::ids::CreditCode;
use standing_e2e::*;

const BUREAU: &str = "jz-housing-bureau";

/// 10:00 China time.
fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

async fn enrolled(p: &Platform, name: &str) -> CreditCode {
    let code = p.register_company(name).await;
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}"),
            Some(json!({"floor_area_m2": 320, "registered_fire_engineers": 3,
                        "facility_operators": 8, "quality_system": true})),
            &As::Staff(BUREAU),
        )
        .await;
    assert_documented("/v1/credit/agencies/{code}", "POST", &(s, b.clone()));
    assert_eq!(s, 201, "{b}");
    code
}

async fn event(p: &Platform, code: &CreditCode, conduct: &str, date: &str) -> (String, Value) {
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/events"),
            Some(
                json!({"code": conduct, "date": date, "source": "监督检查发现",
                        "evidence": ["现场检查记录"]}),
            ),
            &As::Staff(BUREAU),
        )
        .await;
    assert_documented("/v1/credit/agencies/{code}/events", "POST", &(s, b.clone()));
    assert_eq!(s, 201, "{b}");
    (
        b["event"]["id"].as_str().unwrap().to_owned(),
        b["file"].clone(),
    )
}

async fn page(p: &Platform, code: &CreditCode) -> Value {
    let (s, b) = p
        .call_credit(
            "GET",
            &format!("/v1/credit/agencies/{code}"),
            None,
            &As::Anonymous,
        )
        .await;
    assert_documented("/v1/credit/agencies/{code}", "GET", &(s, b.clone()));
    assert_eq!(s, 200, "{b}");
    b
}

async fn listed_at(p: &Platform, code: &CreditCode) -> Vec<String> {
    let mut at = Vec::new();
    for level in ["A", "B", "C", "D"] {
        let (s, b) = p
            .call_credit(
                "GET",
                &format!("/v1/credit/lists/{level}"),
                None,
                &As::Anonymous,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        if b["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["credit_code"] == code.as_str())
        {
            at.push(level.to_owned());
        }
    }
    at
}

async fn repair(p: &Platform, code: &CreditCode, event: &str) -> (u16, Value) {
    p.call_credit(
        "POST",
        &format!("/v1/credit/agencies/{code}/repairs"),
        Some(
            json!({"event": event, "statement": "已纠正违法行为并完成整改",
                    "evidence": ["信用修复申请表", "整改报告"]}),
        ),
        &As::Applicant(code),
    )
    .await
}

#[tokio::test]
async fn the_level_moves_across_every_boundary_and_the_public_sees_it() {
    let p = Platform::at(at(2026, 3, 2)).await;
    let code = enrolled(&p, "焦作市安消技术服务有限公司").await;
    let b = page(&p, &code).await;
    assert_eq!(
        (b["score"].as_str(), b["level_code"].as_str()),
        (Some("100"), Some("B"))
    );
    assert_eq!(listed_at(&p, &code).await, ["B"]);

    let mut last = String::new();
    for (conduct, score, level) in [
        ("T1", "105", "A"),
        ("U9", "100", "B"),
        ("U6", "90", "B"),
        ("U7", "80", "C"),
        ("U4", "70", "C"),
        ("U10", "65", "C"),
        ("U11", "60", "C"),
        ("U9", "55", "D"),
    ] {
        let (id, file) = event(&p, &code, conduct, "2026-03-01").await;
        assert_eq!(
            (file["score"].as_str(), file["level_code"].as_str()),
            (Some(score), Some(level)),
            "after {conduct}"
        );
        let b = page(&p, &code).await;
        assert_eq!(b["level_code"], level, "public page after {conduct}");
        assert_eq!(listed_at(&p, &code).await, [level], "lists after {conduct}");
        last = id;
    }
    // The public page shows the events, never who recorded them.
    let b = page(&p, &code).await;
    assert_eq!(b["events"].as_array().unwrap().len(), 8);
    assert!(!b.to_string().contains(BUREAU), "{b}");
    for (path, media) in [
        (format!("/v1/credit/agencies/{code}.html"), "text/html"),
        ("/v1/credit/lists/D.html".to_owned(), "text/html"),
        ("/v1/credit/lists/D.csv".to_owned(), "text/csv"),
    ] {
        let r = Box::pin(standing_credit::handle(
            &p.credit,
            request("GET", &path, "", None, &As::Anonymous),
        ))
        .await;
        assert_eq!(status(&r), 200, "{path}");
        assert!(content_type(&r).starts_with(media), "{path}");
        let text = String::from_utf8(r.body().to_vec()).unwrap();
        assert!(text.contains("焦作市安消技术服务有限公司"), "{path}");
    }

    // At D no repair is accepted (三（四）), and nothing is written.
    let (s, b) = repair(&p, &code, &last).await;
    assert_documented(
        "/v1/credit/agencies/{code}/repairs",
        "POST",
        &(s, b.clone()),
    );
    assert_eq!(s, 403, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("三（四）"), "{b}");
    let (s, q) = p
        .call_credit("GET", "/v1/credit/repairs", None, &As::Staff(BUREAU))
        .await;
    assert_eq!(s, 200);
    assert!(!q.to_string().contains(code.as_str()), "{q}");

    // A wrong record is withdrawn by an event of its own: back to C.
    let (s, b) = p
        .call_credit(
            "POST",
            &format!("/v1/credit/agencies/{code}/events"),
            Some(json!({"withdraws": last, "reason": "经复核，该文件已签章，记录有误"})),
            &As::Staff(BUREAU),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["file"]["level_code"], "C");
    assert_eq!(page(&p, &code).await["events"].as_array().unwrap().len(), 7);

    // The cycle is the calendar year: on 1 January the last year's conduct is repaired
    // naturally (三（一）).
    p.clock.set(at(2027, 1, 1));
    let b = page(&p, &code).await;
    assert_eq!(
        (b["score"].as_str(), b["level_code"].as_str()),
        (Some("100"), Some("B"))
    );
}

/// The repair `id` as the bureau's queue shows it.
async fn queued(p: &Platform, id: &str) -> Value {
    let (s, q) = p
        .call_credit("GET", "/v1/credit/repairs", None, &As::Staff(BUREAU))
        .await;
    assert_documented("/v1/credit/repairs", "GET", &(s, q.clone()));
    q["repairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not queued: {q}"))
}

#[tokio::test]
async fn repairs_are_answered_within_five_working_days_across_the_holidays() {
    // (filed, due): Spring Festival 2026 (15-23 Feb; 14 and 28 Feb worked), National Day
    // 2026 (1-7 Oct; 10 Oct worked).
    for (filed, due) in [((2026, 2, 13), "2026-02-27"), ((2026, 9, 30), "2026-10-13")] {
        let p = Platform::at(at(filed.0, filed.1, filed.2)).await;
        let code = enrolled(&p, "焦作市守安消防检测有限公司").await;
        let day = format!("{:04}-{:02}-{:02}", filed.0, filed.1, filed.2);
        let (u, file) = event(&p, &code, "U6", &day).await;
        assert_eq!(file["score"], "90");
        // Evidence is required; only the agency itself applies.
        let (s, b) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs"),
                Some(json!({"event": u, "statement": "已整改", "evidence": []})),
                &As::Applicant(&code),
            )
            .await;
        assert_eq!((s, b["field"].as_str()), (422, Some("evidence")), "{b}");
        let (s, _) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs"),
                Some(json!({"event": u, "statement": "已整改", "evidence": ["整改报告"]})),
                &As::Staff(BUREAU),
            )
            .await;
        assert_eq!(s, 403);
        let (s, r) = repair(&p, &code, &u).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["answer_due_on"], due, "filed {day}");
        let id = r["id"].as_str().unwrap().to_owned();
        // A second application for the same event while the first waits: refused.
        let (s, _) = repair(&p, &code, &u).await;
        assert_eq!(s, 409);

        // In the bureau's queue; overdue the day after its due day.
        let due_day = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
        let on_due = at(due_day.year(), due_day.month(), due_day.day());
        p.clock.set(on_due);
        assert_eq!(queued(&p, &id).await["overdue"], false);
        p.clock.set(on_due + chrono::Duration::days(1));
        assert_eq!(queued(&p, &id).await["overdue"], true);

        // Approved: the points come back.
        let (s, b) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs/{id}/decision"),
                Some(json!({"approve": true})),
                &As::Staff(BUREAU),
            )
            .await;
        assert_documented(
            "/v1/credit/agencies/{code}/repairs/{id}/decision",
            "POST",
            &(s, b.clone()),
        );
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["file"]["score"], "100");
        let (s, _) = p
            .call_credit(
                "POST",
                &format!("/v1/credit/agencies/{code}/repairs/{id}/decision"),
                Some(json!({"approve": true})),
                &As::Staff(BUREAU),
            )
            .await;
        assert_eq!(s, 409, "answered once");
        assert!(page(&p, &code).await["events"][0]["repaired_on"].is_string());
    }
}
