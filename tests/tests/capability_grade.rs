//! Scheme 1 (seed 000, service-capability grade) end to end, against the local endpoint:
//! real API Gateway events into the intake and publication handlers, the review and
//! closing jobs run as their functions run them, materials uploaded through the
//! presigned URLs, time moved by a fixed clock.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use standing_aws::keys;
use standing_aws::workflow::Ran;
use standing_domain::audit::Actor;
use standing_domain::certificate::CertificateStatus;
use standing_domain::dispatch::Job;
use standing_domain::ids::CreditCode;
use standing_e2e::*;

mod cert_common;

const ASSOC: &str = "nmg-security-association";

/// 10:00 China time on a date.
fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Eligibility facts of article 9 that carry evidence, and those that do not.
const EVIDENCED_FACTS: &[&str] = &[
    "has_equipment",
    "has_management_systems",
    "staff_trained",
    "projects_inspected_accepted",
    "industry_contribution",
];
const HUMAN_CHECKS: &[&str] = &["art9-3-equipment", "art9-4-systems", "art9-7-contribution"];

/// Point items adding up to 85 (grade 2) under the default point table.
const ITEMS_85: &[(&str, u32)] = &[
    ("basic.registered-capital", 5),
    ("basic.years-in-business", 10),
    ("basic.qualifications", 5),
    ("management.certified-systems", 3),
    ("management.revenue", 10),
    ("management.tax-social-security", 3),
    ("performance.projects", 8),
    ("performance.large-projects", 5),
    ("social.honours", 1),
    ("social.client-praise", 1),
];

/// Point items reaching the 120 maximum (grade 1).
const ITEMS_120: &[(&str, u32)] = &[
    ("basic.registered-capital", 5),
    ("basic.years-in-business", 10),
    ("basic.qualifications", 5),
    ("management.certified-systems", 3),
    ("management.revenue", 10),
    ("management.tax-social-security", 3),
    ("performance.projects", 8),
    ("performance.large-projects", 5),
    ("performance.certified-staff", 12),
    ("performance.senior-titles", 6),
    ("social.honours", 3),
    ("social.client-praise", 5),
    ("social.association-activities", 5),
    ("innovation.invention-patents", 2),
    ("innovation.utility-software", 5),
];

struct Company {
    code: CreditCode,
}

impl Company {
    fn applicant(&self) -> As<'_> {
        As::Applicant(&self.code)
    }
}

async fn call_intake(
    p: &Platform,
    method: &str,
    path: &str,
    body: Option<Value>,
    who: &As<'_>,
) -> Answer {
    p.call_intake(method, path, body, who).await
}

async fn call_publication(
    p: &Platform,
    method: &str,
    path: &str,
    body: Option<Value>,
    who: &As<'_>,
) -> Answer {
    p.call_publication(method, path, body, who).await
}

async fn register(p: &Platform, member: bool) -> Company {
    let code = fresh_code();
    let body = json!({
        "code": code.as_str(),
        "name": "内蒙古安全防范技术有限公司",
        "address": "呼和浩特市新城区新华大街1号",
        "legal_representative": {"name": "张三"},
        "contact": {"name": "李四", "phone": "0471-1234567"},
        "established_on": "2012-03-02",
    });
    let (s, b) = call_intake(
        p,
        "POST",
        "/v1/organizations",
        Some(body),
        &As::Applicant(&code),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    if member {
        // The association keeps the membership record (第九条（二）).
        let (s, b) = call_intake(
            p,
            "POST",
            &format!("/v1/organizations/{code}/memberships"),
            Some(json!({"since": "2019-01-01"})),
            &As::Staff(ASSOC),
        )
        .await;
        assert_eq!(s, 201, "{b}");
    }
    Company { code }
}

async fn create_application(p: &Platform, c: &Company, extra: Value) -> String {
    let mut body = json!({"scheme": "capability-grade"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, b) = call_intake(p, "POST", "/v1/applications", Some(body), &c.applicant()).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["status"], "draft");
    b["id"].as_str().unwrap().to_owned()
}

/// Announce a material and upload it through the presigned URL, as a browser would.
async fn upload(p: &Platform, c: &Company, app: &str, evidence_for: &str) -> String {
    let pdf = format!("%PDF-1.4 evidence for {evidence_for}").into_bytes();
    let (s, b) = call_intake(
        p,
        "POST",
        &format!("/v1/applications/{app}/materials"),
        Some(
            json!({"evidence_for": evidence_for, "file_name": "证明材料.pdf",
                     "content_type": "application/pdf", "size_bytes": pdf.len()}),
        ),
        &c.applicant(),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let url = b["upload"]["url"].as_str().unwrap().to_owned();
    assert!(
        b["material"]["key"]
            .as_str()
            .unwrap()
            .starts_with(&format!("applications/{app}/"))
    );
    let put = tokio::task::spawn_blocking(move || {
        ureq::put(&url)
            .header("content-type", "application/pdf")
            .send(&pdf[..])
            .map(|r| r.status().as_u16())
    })
    .await
    .unwrap()
    .expect("the presigned PUT goes through");
    assert_eq!(put, 200);
    b["material"]["id"].as_str().unwrap().to_owned()
}

/// Upload the evidence and declare the eligibility facts and `items`.
async fn declare(p: &Platform, c: &Company, app: &str, items: &[(&str, u32)], with_evidence: bool) {
    let mut facts = json!({
        "major_quality_accident_2y": {"value": false},
        "bad_conduct_record": {"value": false},
    });
    for f in EVIDENCED_FACTS {
        let ev = if with_evidence {
            vec![upload(p, c, app, f).await]
        } else {
            vec![]
        };
        facts[*f] = json!({"value": true, "evidence": ev});
    }
    let mut list = Vec::new();
    for (item, qty) in items {
        let ev = if with_evidence {
            vec![upload(p, c, app, item).await]
        } else {
            vec![]
        };
        list.push(json!({"item": item, "quantity": qty, "evidence": ev}));
    }
    let (s, b) = call_intake(
        p,
        "PUT",
        &format!("/v1/applications/{app}/declaration"),
        Some(json!({"facts": facts, "items": list})),
        &c.applicant(),
    )
    .await;
    assert_eq!(s, 200, "{b}");
}

async fn submit(p: &Platform, c: &Company, app: &str, key: Option<&str>) -> (u16, Value) {
    let path = format!("/v1/applications/{app}/submit");
    let mut event = event_json("POST", &path, "", None, None, &c.applicant());
    if let Some(k) = key {
        event["headers"]["idempotency-key"] = json!(k);
    }
    let req = lambda_http::request::from_str(&event.to_string()).unwrap();
    let r = standing_intake::handle(&p.intake, req).await;
    (status(&r), body_json(&r))
}

async fn application(p: &Platform, app: &str) -> Value {
    let (s, b) = call_intake(
        p,
        "GET",
        &format!("/v1/applications/{app}"),
        None,
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    b
}

/// Run the review jobs the platform asked for, as the review function would.
async fn run_reviews(p: &Platform) -> Vec<Ran> {
    let mut ran = Vec::new();
    for job in p.dispatch.take() {
        if let Job::Review { .. } = job {
            ran.push(standing_review::run(&p.review, job).await.unwrap());
        }
    }
    ran
}

async fn staff_checks(p: &Platform, app: &str, rules: &[&str]) {
    let checks: Vec<Value> = rules
        .iter()
        .map(|r| json!({"rule_id": r, "met": true, "note": "现场核验符合"}))
        .collect();
    let (s, b) = call_intake(
        p,
        "POST",
        &format!("/v1/applications/{app}/checks"),
        Some(json!({"checks": checks})),
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 202, "{b}");
}

/// Submit, review, staff check, review again: the application goes on notice.
async fn through_review(p: &Platform, c: &Company, app: &str) -> String {
    let (s, b) = submit(p, c, app, Some(&format!("submit-{app}"))).await;
    assert_eq!(s, 202, "{b}");
    run_reviews(p).await;
    let a = application(p, app).await;
    assert_eq!(a["status"], "staff_check", "{a}");
    let mut pending: Vec<&str> = a["pending_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    pending.sort_unstable();
    assert_eq!(pending, HUMAN_CHECKS);
    staff_checks(p, app, HUMAN_CHECKS).await;
    run_reviews(p).await;
    let a = application(p, app).await;
    assert_eq!(a["status"], "on_notice", "{a}");
    a["notice_id"].as_str().unwrap().to_owned()
}

async fn close(p: &Platform, notice: &str) -> Ran {
    standing_publication::run(
        &p.publication,
        Job::CloseNotice {
            notice_id: notice.to_owned(),
        },
    )
    .await
    .map(|v| {
        let ran = v["ran"].as_str().unwrap_or_default().to_owned();
        if ran.starts_with("Moved") {
            Ran::Moved(ran)
        } else if ran.starts_with("Waiting") {
            Ran::Waiting(ran)
        } else {
            Ran::Nothing
        }
    })
    .unwrap()
}

async fn audit_actions(p: &Platform, pk: String) -> Vec<String> {
    p.store()
        .audit_trail(pk)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn a_company_goes_from_registration_to_grade_two_to_grade_one_to_revocation() {
    let p = Platform::at(at(2026, 12, 1)).await;
    let c = register(&p, true).await;

    // Apply with 85 declared points and full evidence.
    let app = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &app, ITEMS_85, true).await;

    // Submit twice with the same key: one submission.
    let key = format!("submit-once-{app}");
    let (s, first) = submit(&p, &c, &app, Some(&key)).await;
    assert_eq!(s, 202, "{first}");
    assert_eq!(first["status"], "submitted");
    let trail_after_first = audit_actions(&p, keys::app_pk(&app)).await;
    let (s, again) = submit(&p, &c, &app, Some(&key)).await;
    assert_eq!(s, 202, "{again}");
    assert_eq!(again["version"], first["version"]);
    assert_eq!(
        audit_actions(&p, keys::app_pk(&app)).await,
        trail_after_first
    );

    // Automated review: the points are confirmed, three article-9 rules need a person.
    run_reviews(&p).await;
    let a = application(&p, &app).await;
    assert_eq!(a["status"], "staff_check", "{a}");
    assert_eq!(a["result"]["total"], "85");
    assert_eq!(a["result"]["level_code"], "2");
    assert_eq!(a["result"]["scheme_version"], "2024-01-01");
    let report = &a["reports"][0]["report"];
    assert_eq!(report["version"], "2024-01-01");
    assert!(
        report["lines"].as_array().unwrap().len() > 20,
        "itemised report"
    );
    // Staff find it in their work queue; the company in its list.
    let (s, queue) = call_intake(&p, "GET", "/v1/applications", None, &As::Staff(ASSOC)).await;
    assert_eq!(s, 200, "{queue}");
    assert!(
        queue["applications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == app.as_str())
    );
    let (s, _) = call_intake(&p, "GET", "/v1/applications", None, &c.applicant()).await;
    assert_eq!(s, 403);
    let (s, mine) = call_intake(
        &p,
        "GET",
        &format!("/v1/organizations/{}/applications", c.code),
        None,
        &c.applicant(),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(mine["applications"][0]["id"], app.as_str());
    staff_checks(&p, &app, HUMAN_CHECKS).await;
    run_reviews(&p).await;
    let a = application(&p, &app).await;
    assert_eq!(a["status"], "on_notice", "{a}");
    let notice = a["notice_id"].as_str().unwrap().to_owned();
    let (_, queue) = call_intake(&p, "GET", "/v1/applications", None, &As::Staff(ASSOC)).await;
    assert!(
        !queue["applications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == app.as_str()),
        "left the staff-check queue"
    );

    // The closing is scheduled for midnight China time after the seventh day.
    let schedules = p.dispatch.schedules.lock().unwrap().clone();
    assert!(
        schedules.contains(&(
            notice.clone(),
            Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap()
        )),
        "{schedules:?}"
    );

    // The public list shows it, as JSON and as HTML, without login.
    let (s, list) = call_publication(&p, "GET", "/v1/notices", None, &As::Anonymous).await;
    assert_eq!(s, 200);
    let open = list["open"].as_array().unwrap();
    let mine = open
        .iter()
        .find(|n| n["id"] == notice.as_str())
        .expect("listed as open");
    assert_eq!(mine["level_label"], "二级");
    assert_eq!(mine["ends_on"], "2026-12-08");
    let page = standing_publication::handle(
        &p.publication,
        request("GET", "/v1/notices.html", "", None, &As::Anonymous),
    )
    .await;
    assert_eq!(status(&page), 200);
    assert!(content_type(&page).starts_with("text/html"));
    let text = String::from_utf8(page.body().as_ref().to_vec()).unwrap();
    assert!(text.contains(c.code.as_str()) && text.contains("公示中"));

    // One objection, filed by the public and dismissed by staff.
    p.clock.set(at(2026, 12, 3));
    let (s, o) = call_publication(
        &p,
        "POST",
        &format!("/v1/notices/{notice}/objections"),
        Some(
            json!({"name": "王五", "contact": "13900000000", "text": "该单位业绩材料存疑，请核实"}),
        ),
        &As::Anonymous,
    )
    .await;
    assert_eq!(s, 201, "{o}");
    let objection = o["id"].as_str().unwrap().to_owned();
    // The window ends on day seven even if the objection is still open: not yet.
    assert!(matches!(close(&p, &notice).await, Ran::Waiting(_)));
    let (s, d) = call_publication(
        &p,
        "POST",
        &format!("/v1/notices/{notice}/objections/{objection}/decision"),
        Some(json!({"decision": "dismissed", "reason": "经核实，业绩材料真实有效"})),
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["status"], "dismissed");

    // Last day of the window: still open. Midnight after: approved.
    p.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 8, 15, 59, 59).unwrap());
    assert!(matches!(close(&p, &notice).await, Ran::Waiting(_)));
    p.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap());
    assert!(matches!(close(&p, &notice).await, Ran::Moved(_)));
    assert_eq!(
        close(&p, &notice).await,
        Ran::Nothing,
        "closing twice changes nothing"
    );

    let a = application(&p, &app).await;
    assert_eq!(a["status"], "approved");
    let serial = a["certificate_serial"].as_str().unwrap().to_owned();
    let cert = p.store().get_certificate(&serial).await.unwrap().unwrap();
    assert_eq!(cert.level_code, "2");
    assert_eq!(cert.level_label, "二级");
    assert_eq!(cert.issued_on, date(2026, 12, 9));
    // Seed 000 第十九条: valid until the next year's annual-report deadline (default 30 June).
    assert_eq!(cert.valid_until, date(2027, 6, 30));
    assert_eq!(cert.org, c.code);
    let render = Job::Render {
        serial: serial.clone(),
        version: 1,
    };
    assert!(p.dispatch.take().contains(&render));

    // The certificate function renders it and anyone can look it up, by serial and by
    // company, without logging in.
    let certificates = cert_common::app_with(p.store().clone(), &p.clients, p.clock.clone()).await;
    standing_certificate::event::run_job(&certificates, render, "e2e")
        .await
        .unwrap();
    let public = |path: String| {
        let req = request("GET", &path, "", None, &As::Anonymous);
        standing_certificate::handle(&certificates, req)
    };
    let r = public(format!("/v1/certificates/{serial}")).await;
    assert_eq!(status(&r), 200, "{}", body_json(&r));
    let shown = body_json(&r);
    assert_eq!(shown["status"], "valid", "{shown}");
    assert_eq!(shown["level_label"], "二级");
    assert_eq!(shown["valid_until"], "2027-06-30");
    let r = public(format!("/v1/organizations/{}/certificates", c.code)).await;
    assert_eq!(status(&r), 200);
    let listed = body_json(&r);
    assert!(listed.to_string().contains(&serial), "{listed}");

    // The annual report of 2027 lifts the grade to 1 and moves the validity.
    p.clock.set(at(2027, 5, 10));
    let report_app = create_application(
        &p,
        &c,
        json!({"kind": "annual_report", "certificate": serial}),
    )
    .await;
    declare(&p, &c, &report_app, ITEMS_120, true).await;
    let report_notice = through_review(&p, &c, &report_app).await;
    p.clock.set(at(2027, 5, 18));
    assert!(matches!(close(&p, &report_notice).await, Ran::Moved(_)));
    let cert = p.store().get_certificate(&serial).await.unwrap().unwrap();
    assert_eq!(cert.level_code, "1");
    assert_eq!(cert.level_label, "一级");
    assert_eq!(cert.valid_until, date(2028, 6, 30));
    assert_eq!(cert.version, 2);
    assert_eq!(cert.status, CertificateStatus::Valid);

    // Revocation by staff on ground 5 (falsified declarations), then a refused new
    // application inside two years.
    p.clock.set(at(2027, 9, 1));
    let revoke = |who: As<'_>| {
        let body =
            json!({"ground": "R5-falsified", "reason": "年报申报的专利数据弄虚作假"}).to_string();
        let req = request(
            "POST",
            &format!("/v1/certificates/{serial}/revoke"),
            "",
            Some(&body),
            &who,
        );
        standing_certificate::handle(&certificates, req)
    };
    assert_eq!(
        status(&revoke(c.applicant()).await),
        403,
        "holders cannot revoke"
    );
    let r = revoke(As::Staff(ASSOC)).await;
    assert_eq!(status(&r), 200, "{}", body_json(&r));
    let r = public(format!("/v1/certificates/{serial}")).await;
    assert_eq!(body_json(&r)["status"], "revoked");

    p.clock.set(at(2028, 3, 1));
    let again = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &again, ITEMS_85, true).await;
    let before = application(&p, &again).await;
    let (s, refused) = submit(&p, &c, &again, None).await;
    assert_eq!(s, 403, "{refused}");
    assert!(
        refused["detail"].as_str().unwrap().contains("2029-09-04"),
        "{refused}"
    );
    assert!(
        refused["detail"].as_str().unwrap().contains("第二十三条"),
        "{refused}"
    );
    let after = application(&p, &again).await;
    assert_eq!(before, after, "a refused submission changes nothing");
    assert!(
        p.store()
            .get_open_guard(&c.code, "capability-grade")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn refusals_leave_the_data_unchanged() {
    let p = Platform::at(at(2026, 12, 1)).await;

    // Not a member of the association (seed 000 第九条（二）).
    let outsider = register(&p, false).await;
    let app = create_application(&p, &outsider, json!({})).await;
    declare(&p, &outsider, &app, ITEMS_85, true).await;
    let before = application(&p, &app).await;
    let trail = audit_actions(&p, keys::app_pk(&app)).await;
    let (s, b) = submit(&p, &outsider, &app, None).await;
    assert_eq!(s, 403, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("会员"), "{b}");
    assert_eq!(application(&p, &app).await, before);
    assert_eq!(audit_actions(&p, keys::app_pk(&app)).await, trail);

    // Missing evidence: declared without the materials the scheme asks for.
    let c = register(&p, true).await;
    let bare = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &bare, ITEMS_85, false).await;
    let before = application(&p, &bare).await;
    let (s, b) = submit(&p, &c, &bare, None).await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"basic.registered-capital"), "{fields:?}");
    assert!(fields.contains(&"art9-3-equipment"), "{fields:?}");
    assert_eq!(application(&p, &bare).await, before);
    assert!(
        p.store()
            .get_open_guard(&c.code, "capability-grade")
            .await
            .unwrap()
            .is_none()
    );

    // An application already open for the same scheme.
    let first = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &first, ITEMS_85, true).await;
    let (s, b) = submit(&p, &c, &first, None).await;
    assert_eq!(s, 202, "{b}");
    let second = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &second, ITEMS_85, true).await;
    let before = application(&p, &second).await;
    let (s, b) = submit(&p, &c, &second, None).await;
    assert_eq!(s, 409, "{b}");
    assert!(b["detail"].as_str().unwrap().contains(&first), "{b}");
    assert_eq!(application(&p, &second).await, before);

    // A decision by a non-staff caller: the applicant cannot record its own checks.
    run_reviews(&p).await;
    let before = application(&p, &first).await;
    assert_eq!(before["status"], "staff_check");
    let (s, _) = call_intake(
        &p,
        "POST",
        &format!("/v1/applications/{first}/checks"),
        Some(json!({"checks": [{"rule_id": "art9-3-equipment", "met": true}]})),
        &c.applicant(),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call_intake(
        &p,
        "POST",
        &format!("/v1/applications/{first}/checks"),
        Some(json!({"checks": [{"rule_id": "art9-3-equipment", "met": true}]})),
        &As::Anonymous,
    )
    .await;
    assert_eq!(s, 401);
    assert_eq!(application(&p, &first).await, before);

    // On notice: objections outside the window, and objection decisions by non-staff.
    staff_checks(&p, &first, HUMAN_CHECKS).await;
    run_reviews(&p).await;
    let notice = application(&p, &first).await["notice_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, o) = call_publication(
        &p,
        "POST",
        &format!("/v1/notices/{notice}/objections"),
        Some(json!({"name": "赵六", "contact": "13700000000", "text": "资质证书过期，请核实"})),
        &As::Anonymous,
    )
    .await;
    assert_eq!(s, 201, "{o}");
    let objection = o["id"].as_str().unwrap();
    let notice_before = p.store().get_notice(&notice).await.unwrap().unwrap();
    for who in [c.applicant(), As::Anonymous, As::Expert] {
        let (s, _) = call_publication(
            &p,
            "POST",
            &format!("/v1/notices/{notice}/objections/{objection}/decision"),
            Some(json!({"decision": "dismissed", "reason": "不成立"})),
            &who,
        )
        .await;
        assert!(s == 401 || s == 403, "{s}");
    }
    assert_eq!(
        p.store().get_notice(&notice).await.unwrap().unwrap(),
        notice_before
    );
    // Objections without name or contact are refused.
    let (s, b) = call_publication(
        &p,
        "POST",
        &format!("/v1/notices/{notice}/objections"),
        Some(json!({"text": "匿名异议内容"})),
        &As::Anonymous,
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(
        p.store().get_notice(&notice).await.unwrap().unwrap(),
        notice_before
    );
    // After the window: refused, nothing stored.
    p.clock.set(at(2026, 12, 9));
    let (s, b) = call_publication(
        &p,
        "POST",
        &format!("/v1/notices/{notice}/objections"),
        Some(json!({"name": "赵六", "contact": "13700000000", "text": "公示期后才看到，补充异议"})),
        &As::Anonymous,
    )
    .await;
    assert_eq!(s, 409, "{b}");
    assert_eq!(
        p.store().get_notice(&notice).await.unwrap().unwrap(),
        notice_before
    );
    assert_eq!(p.store().objections_of(&notice).await.unwrap().len(), 1);
}

#[tokio::test]
async fn review_and_closing_run_twice_and_concurrently_give_one_outcome() {
    let p = Platform::at(at(2026, 12, 1)).await;
    let c = register(&p, true).await;
    let app = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &app, ITEMS_85, true).await;
    let (s, _) = submit(&p, &c, &app, None).await;
    assert_eq!(s, 202);
    let jobs = p.dispatch.take();
    assert_eq!(jobs.len(), 1);
    let job = jobs[0].clone();

    // The same review event delivered twice at once, then once more.
    let (a, b) = tokio::join!(
        standing_review::run(&p.review, job.clone()),
        standing_review::run(&p.review, job.clone())
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    assert_eq!(
        outcomes
            .iter()
            .filter(|r| matches!(r, Ran::Moved(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!(
        standing_review::run(&p.review, job).await.unwrap(),
        Ran::Nothing
    );
    let reports = p.store().reports_of(&app).await.unwrap();
    assert_eq!(reports.len(), 1, "one report");

    staff_checks(&p, &app, HUMAN_CHECKS).await;
    let job = p.dispatch.take().pop().unwrap();
    let (a, b) = tokio::join!(
        standing_review::run(&p.review, job.clone()),
        standing_review::run(&p.review, job.clone())
    );
    assert_eq!(
        [a.unwrap(), b.unwrap()]
            .iter()
            .filter(|r| matches!(r, Ran::Moved(_)))
            .count(),
        1
    );
    let notice = application(&p, &app).await["notice_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The closing: its one-time schedule, a duplicate delivery and the sweep, at once.
    p.clock.set(at(2026, 12, 9));
    let close_job = Job::CloseNotice {
        notice_id: notice.clone(),
    };
    let (a, b, sweep) = tokio::join!(
        standing_publication::run(&p.publication, close_job.clone()),
        standing_publication::run(&p.publication, close_job.clone()),
        standing_publication::run(&p.publication, Job::SweepNotices),
    );
    let moved = [a.unwrap(), b.unwrap()]
        .iter()
        .filter(|v| v["ran"].as_str().unwrap().starts_with("Moved"))
        .count()
        + sweep.unwrap()["closed"].as_u64().unwrap() as usize;
    assert_eq!(moved, 1, "exactly one closing approved the application");
    let again = standing_publication::run(&p.publication, Job::SweepNotices)
        .await
        .unwrap();
    assert_eq!(again["closed"], 0);

    let certs = p.store().certificates_of(&c.code, None).await.unwrap();
    assert_eq!(certs.len(), 1, "one certificate: {certs:?}");
    let a = application(&p, &app).await;
    assert_eq!(a["status"], "approved");
    assert_eq!(a["certificate_serial"], certs[0].serial.as_str());

    // The audit trail has every step, once.
    let trail = audit_actions(&p, keys::app_pk(&app)).await;
    let steps: Vec<&str> = trail
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "application.material_added")
        .collect();
    assert_eq!(
        steps,
        [
            "application.created",
            "application.declared",
            "application.submitted",
            "application.reviewed.staff_check",
            "application.checked",
            "application.reviewed.notice",
            "application.approved",
        ]
    );
    let history: Vec<&str> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "draft",
            "submitted",
            "staff_check",
            "submitted",
            "on_notice",
            "approved"
        ]
    );
    let notice_trail = audit_actions(&p, keys::notice_pk(&notice)).await;
    assert_eq!(notice_trail, ["notice.opened", "notice.closed"]);
    let cert_trail = audit_actions(&p, keys::cert_pk(&certs[0].serial)).await;
    assert_eq!(cert_trail, ["certificate.issued"]);
}

/// A certificate record written straight into the store (as an approval would).
async fn holder(
    p: &Platform,
    c: &Company,
    issued_on: NaiveDate,
    valid_until: NaiveDate,
) -> standing_domain::certificate::CertificateRecord {
    let now = p.clock.now();
    let cert = standing_domain::certificate::CertificateRecord {
        serial: standing_domain::certificate::new_serial("NMGAF", issued_on),
        scheme: "capability-grade".into(),
        scheme_version: "2024-01-01".into(),
        authority: ASSOC.into(),
        authority_name: "内蒙古自治区公共安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        org: c.code.clone(),
        company_name: "内蒙古安全防范技术有限公司".into(),
        level_code: "3".into(),
        level_label: "三级".into(),
        address: None,
        scope: None,
        basis: None,
        issued_on,
        valid_until,
        status: CertificateStatus::Valid,
        application_id: standing_domain::ids::RecordId::new_at(now),
        replaces: None,
        superseded_by: None,
        reissue_reason: None,
        revocation: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = standing_domain::audit::AuditEvent::new(
        now,
        Actor::system("test"),
        "certificate.issued",
        cert.entity(),
        None,
        None,
    );
    let mut tx = standing_aws::store::Transaction::default();
    tx.certificate(p.store().table(), None, &cert, &audit)
        .unwrap();
    p.store().commit(tx).await.unwrap();
    cert
}

use standing_domain::clock::Clock;

async fn run(p: &Platform, job: &str) -> standing_aws::workflow::AnnualReportRun {
    let registry = standing_schemes::Registry::builtin().unwrap();
    standing_aws::workflow::annual_reports(p.store(), &p.dispatch, registry, job, p.clock.now())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_annual_report_job_reminds_catches_up_and_expires_only_holders_that_did_not_report() {
    // Dates far from the other tests, and a progress record of this run's own.
    let p = Platform::at(at(2031, 5, 20)).await;
    let job = format!("annual-reports-test-{}", ulid::Ulid::generate());
    let silent = register(&p, true).await;
    let reporting = register(&p, true).await;
    let deadline = date(2031, 6, 30);
    let silent_cert = holder(&p, &silent, date(2030, 12, 1), deadline).await;
    let reporting_cert = holder(&p, &reporting, date(2030, 12, 1), deadline).await;
    assert_eq!(run(&p, &job).await.reminders, 0);

    // Runs between 21 May and 24 June were missed: the next run catches up and sends
    // the 30-day (31 May) and 7-day (23 June) reminders, once.
    p.clock.set(at(2031, 6, 25));
    let r = run(&p, &job).await;
    assert_eq!(r.days.first(), Some(&date(2031, 5, 21)));
    assert_eq!(r.days.last(), Some(&date(2031, 6, 25)));
    let (s, b) = call_intake(
        &p,
        "GET",
        &format!("/v1/organizations/{}/reminders", silent.code),
        None,
        &silent.applicant(),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let days: Vec<u64> = b["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["days_before"].as_u64().unwrap())
        .collect();
    assert_eq!(days, [7, 30]);
    assert!(
        b["reminders"][0]["text"]
            .as_str()
            .unwrap()
            .contains(&silent_cert.serial)
    );
    assert_eq!(
        run(&p, &job).await.reminders,
        0,
        "a second run the same day sends nothing"
    );
    assert_eq!(p.store().reminders_of(&silent.code).await.unwrap().len(), 2);

    // One holder files its annual report before the deadline; it is still in review.
    p.clock.set(at(2031, 6, 26));
    let app = create_application(
        &p,
        &reporting,
        json!({"kind": "annual_report", "certificate": reporting_cert.serial}),
    )
    .await;
    declare(&p, &reporting, &app, ITEMS_85, true).await;
    let (s, b) = submit(&p, &reporting, &app, None).await;
    assert_eq!(s, 202, "{b}");

    // The day after the deadline (China time): the silent holder's certificate expires.
    p.clock
        .set(Utc.with_ymd_and_hms(2031, 6, 30, 16, 0, 0).unwrap()); // 1 July 00:00 CST
    let r = run(&p, &job).await;
    assert!(r.expired.contains(&silent_cert.serial), "{r:?}");
    assert!(!r.expired.contains(&reporting_cert.serial), "{r:?}");
    let c = p
        .store()
        .get_certificate(&silent_cert.serial)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, CertificateStatus::Expired);
    assert_eq!(c.version, 2);
    let kept = p
        .store()
        .get_certificate(&reporting_cert.serial)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.status, CertificateStatus::Valid);
    // Idempotent: running again changes nothing.
    p.clock.set(at(2031, 7, 1));
    let again = run(&p, &job).await;
    assert!(again.expired.is_empty(), "{again:?}");
    assert_eq!(
        p.store()
            .get_certificate(&silent_cert.serial)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    let trail = audit_actions(&p, keys::cert_pk(&silent_cert.serial)).await;
    assert_eq!(trail, ["certificate.issued", "certificate.expired"]);
}

#[tokio::test]
async fn change_requests_update_the_record_and_certificates_after_staff_approval() {
    let p = Platform::at(at(2026, 12, 10)).await;
    let c = register(&p, true).await;
    let cert = holder(&p, &c, date(2026, 12, 1), date(2027, 6, 30)).await;
    let path = format!("/v1/organizations/{}/changes", c.code);

    // Restructuring, split or merger: a full new application (seed 000 第十三条).
    for kind in ["restructuring", "split", "merger"] {
        let (s, b) = call_intake(
            &p,
            "POST",
            &path,
            Some(json!({"kind": kind, "changes": {"name": "新公司"}, "reason": "企业改制"})),
            &c.applicant(),
        )
        .await;
        assert_eq!(s, 422, "{b}");
        assert!(
            b["detail"].as_str().unwrap().contains("重新提交完整申请"),
            "{b}"
        );
    }
    assert_eq!(
        audit_actions(&p, keys::org_pk(c.code.as_str())).await,
        ["organization.registered", "membership.started"]
    );

    let (s, change) = call_intake(
        &p,
        "POST",
        &path,
        Some(
            json!({"kind": "ordinary", "changes": {"name": "内蒙古安全防范科技股份有限公司"},
                    "reason": "企业名称变更", "documents": ["市场监督管理局变更通知书"]}),
        ),
        &c.applicant(),
    )
    .await;
    assert_eq!(s, 201, "{change}");
    let id = change["id"].as_str().unwrap();
    let decision = format!("/v1/changes/{id}/decision");
    // It waits in the association's queue, not in another authority's; companies
    // have no queue.
    let queued = |b: &Value| {
        b["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id)
    };
    let (s, q) = call_intake(&p, "GET", "/v1/changes", None, &As::Staff(ASSOC)).await;
    assert_eq!(s, 200, "{q}");
    assert!(queued(&q), "{q}");
    let mine = q["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap();
    assert_eq!(mine["changes"]["name"], "内蒙古安全防范科技股份有限公司");
    assert_eq!(mine["status"], "pending");
    let (s, q) = call_intake(
        &p,
        "GET",
        "/v1/changes",
        None,
        &As::Staff("bj-security-association"),
    )
    .await;
    assert_eq!(s, 200, "{q}");
    assert!(!queued(&q), "{q}");
    let (s, _) = call_intake(&p, "GET", "/v1/changes", None, &c.applicant()).await;
    assert_eq!(s, 403);

    // Only staff decide; nothing changes before.
    let (s, _) = call_intake(
        &p,
        "POST",
        &decision,
        Some(json!({"approve": true})),
        &c.applicant(),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(
        p.store()
            .get_certificate(&cert.serial)
            .await
            .unwrap()
            .unwrap(),
        cert
    );

    let (s, b) = call_intake(
        &p,
        "POST",
        &decision,
        Some(json!({"approve": true, "note": "材料齐全"})),
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "approved");
    let (_, org) = call_intake(
        &p,
        "GET",
        &format!("/v1/organizations/{}", c.code),
        None,
        &c.applicant(),
    )
    .await;
    assert_eq!(org["name"], "内蒙古安全防范科技股份有限公司");
    let updated = p
        .store()
        .get_certificate(&cert.serial)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.company_name, "内蒙古安全防范科技股份有限公司");
    assert_eq!(updated.version, 2);
    // Decided, it leaves the queue.
    let (_, q) = call_intake(&p, "GET", "/v1/changes", None, &As::Staff(ASSOC)).await;
    assert!(!queued(&q), "{q}");
    // The company reads the decision in its own list.
    let (s, mine) = call_intake(&p, "GET", &path, None, &c.applicant()).await;
    assert_eq!(s, 200, "{mine}");
    assert_eq!(mine["changes"][0]["id"], id);
    assert_eq!(mine["changes"][0]["status"], "approved");
    assert_eq!(mine["changes"][0]["decision_note"], "材料齐全");
    assert!(p.dispatch.take().contains(&Job::Render {
        serial: cert.serial.clone(),
        version: 2
    }));
    // Deciding twice is refused.
    let (s, _) = call_intake(
        &p,
        "POST",
        &decision,
        Some(json!({"approve": false})),
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn objections_are_rate_limited_per_source_and_the_limit_changes_nothing() {
    // A date of its own, so the hourly counters of other tests do not count here.
    let p = Platform::at(at(2032, 2, 2)).await;
    let c = register(&p, true).await;
    let app = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &app, ITEMS_85, true).await;
    let notice = through_review(&p, &c, &app).await;
    let source = format!("198.51.100.{}", ulid::Ulid::generate().random() % 250);
    let file = |n: usize| {
        let mut event = event_json(
            "POST",
            &format!("/v1/notices/{notice}/objections"),
            "",
            Some(&json!({"name": "王五", "contact": "13900000000", "text": format!("第{n}条异议：请核实业绩")}).to_string()),
            Some("application/json"),
            &As::Anonymous,
        );
        event["requestContext"]["http"]["sourceIp"] = json!(source);
        lambda_http::request::from_str(&event.to_string()).unwrap()
    };
    for n in 0..standing_publication::OBJECTIONS_PER_SOURCE_PER_HOUR as usize {
        let r = standing_publication::handle(&p.publication, file(n)).await;
        assert_eq!(status(&r), 201, "{}", body_json(&r));
    }
    let before = p.store().get_notice(&notice).await.unwrap().unwrap();
    let r = standing_publication::handle(&p.publication, file(99)).await;
    assert_eq!(status(&r), 429, "{}", body_json(&r));
    assert_eq!(r.headers()["retry-after"], "3600");
    assert_eq!(
        p.store().get_notice(&notice).await.unwrap().unwrap(),
        before
    );
    assert_eq!(
        before.objections,
        standing_publication::OBJECTIONS_PER_SOURCE_PER_HOUR
    );
    // Staff see the objections with their contacts; the public view does not.
    let (s, b) = call_publication(
        &p,
        "GET",
        &format!("/v1/notices/{notice}/objections"),
        None,
        &As::Staff(ASSOC),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(b["objections"][0]["contact"], "13900000000");
    let (s, b) = call_publication(
        &p,
        "GET",
        &format!("/v1/notices/{notice}"),
        None,
        &As::Anonymous,
    )
    .await;
    assert_eq!(s, 200);
    assert!(!b.to_string().contains("13900000000"));
    // The next hour, the same source may object again.
    p.clock.set(at(2032, 2, 2) + chrono::Duration::hours(1));
    let r = standing_publication::handle(&p.publication, file(100)).await;
    assert_eq!(status(&r), 201, "{}", body_json(&r));
}

#[tokio::test]
async fn an_upheld_objection_sends_the_application_back_or_rejects_it() {
    let p = Platform::at(at(2026, 12, 14)).await;
    for then in ["review", "reject"] {
        let c = register(&p, true).await;
        let app = create_application(&p, &c, json!({})).await;
        declare(&p, &c, &app, ITEMS_85, true).await;
        let notice = through_review(&p, &c, &app).await;
        let (s, o) = call_publication(
            &p,
            "POST",
            &format!("/v1/notices/{notice}/objections"),
            Some(json!({"name": "王五", "contact": "13900000000", "text": "申报的检测报告系伪造"})),
            &As::Anonymous,
        )
        .await;
        assert_eq!(s, 201, "{o}");
        let objection = o["id"].as_str().unwrap();
        let decision = format!("/v1/notices/{notice}/objections/{objection}/decision");
        // Upheld needs to say what happens next.
        let (s, _) = call_publication(
            &p,
            "POST",
            &decision,
            Some(json!({"decision": "upheld", "reason": "经核实属实"})),
            &As::Staff(ASSOC),
        )
        .await;
        assert_eq!(s, 422);
        let (s, d) = call_publication(
            &p,
            "POST",
            &decision,
            Some(json!({"decision": "upheld", "reason": "经核实属实", "then": then})),
            &As::Staff(ASSOC),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["status"], "upheld");
        let n = p.store().get_notice(&notice).await.unwrap().unwrap();
        assert_eq!(n.status, standing_domain::notice::NoticeStatus::Withdrawn);
        // The withdrawn notice never closes into an approval.
        p.clock.set(at(2026, 12, 22));
        assert_eq!(close(&p, &notice).await, Ran::Nothing);
        let a = application(&p, &app).await;
        let guard = p
            .store()
            .get_open_guard(&c.code, "capability-grade")
            .await
            .unwrap();
        if then == "review" {
            assert_eq!(a["status"], "staff_check", "{a}");
            assert_eq!(a["pending_checks"], json!(["objection"]));
            assert!(guard.is_some(), "still open");
            // Staff settle the objection; the next review opens a new notice.
            staff_checks(&p, &app, &["objection"]).await;
            run_reviews(&p).await;
            let a = application(&p, &app).await;
            assert_eq!(a["status"], "on_notice", "{a}");
            assert_ne!(a["notice_id"], notice.as_str());
        } else {
            assert_eq!(a["status"], "rejected", "{a}");
            assert!(guard.is_none(), "the open slot is released");
            assert!(
                p.store()
                    .certificates_of(&c.code, None)
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
        p.clock.set(at(2026, 12, 14));
    }
}

#[tokio::test]
async fn the_sweep_asks_again_for_a_review_whose_request_was_lost() {
    let p = Platform::at(at(2026, 12, 15)).await;
    let c = register(&p, true).await;
    let app = create_application(&p, &c, json!({})).await;
    declare(&p, &c, &app, ITEMS_85, true).await;
    let (s, _) = submit(&p, &c, &app, None).await;
    assert_eq!(s, 202);
    // The review request is lost (the recorded job is dropped, never run).
    p.dispatch.take();
    let mine = Job::Review {
        application_id: app.clone(),
    };
    // Within the grace period the sweep leaves it alone.
    p.clock
        .set(at(2026, 12, 15) + chrono::Duration::minutes(10));
    standing_publication::run(&p.publication, Job::SweepNotices)
        .await
        .unwrap();
    assert!(!p.dispatch.take().contains(&mine));
    // After it, the sweep asks again, and the review then runs as usual.
    p.clock
        .set(at(2026, 12, 15) + chrono::Duration::minutes(16));
    let swept = standing_publication::run(&p.publication, Job::SweepNotices)
        .await
        .unwrap();
    assert!(swept["reviews_requested"].as_u64().unwrap() >= 1, "{swept}");
    assert!(p.dispatch.take().contains(&mine));
    assert!(matches!(
        standing_review::run(&p.review, mine).await.unwrap(),
        Ran::Moved(_)
    ));
    assert_eq!(application(&p, &app).await["status"], "staff_check");
}
