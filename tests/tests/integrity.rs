//! Integrity (issue 10): strict reading of every body (422 naming the field, nothing
//! written), item sizes bounded by design (the largest valid application completes its
//! review), the objection rate limit counting only written objections, and deep health
//! checks of the storage each function uses.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use standing_aws::keys;
use standing_aws::store::{MAX_ITEM_BYTES, item_size};
use standing_domain::application::{
    FactKind, MAX_DECLARED_ITEMS, MAX_EVIDENCE_PER_ENTRY, MAX_EVIDENCE_REFS, MAX_FACT_TEXT_CHARS,
    MAX_FILE_NAME_CHARS, MAX_MATERIALS, fact_kinds,
};
use standing_domain::dispatch::Job;
use standing_domain::ids::CreditCode;
use standing_e2e::*;
use standing_schemes::{Registry, SchemeId};

mod cert_common;

const ASSOC: &str = "nmg-security-association";

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// 422 naming `field` (in `field` or among `errors`).
fn names(b: &Value, field: &str) -> bool {
    b["field"] == field
        || b["errors"]
            .as_array()
            .is_some_and(|l| l.iter().any(|e| e["field"] == field))
}

/// A registered member company.
async fn register_member(p: &Platform) -> CreditCode {
    p.register_member(ASSOC).await
}

async fn draft(p: &Platform, code: &CreditCode) -> String {
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade"})),
            &As::Applicant(code),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_str().unwrap().to_owned()
}

async fn announce(p: &Platform, code: &CreditCode, app: &str, body: Value) -> (u16, Value) {
    p.call_intake(
        "POST",
        &format!("/v1/applications/{app}/materials"),
        Some(body),
        &As::Applicant(code),
    )
    .await
}

/// Announce a material and upload it through its presigned URL.
async fn upload(p: &Platform, code: &CreditCode, app: &str, evidence_for: &str) -> String {
    let pdf = b"%PDF-1.4 evidence".to_vec();
    let (s, b) = announce(
        p,
        code,
        app,
        json!({"evidence_for": evidence_for, "file_name": "证明.pdf",
               "content_type": "application/pdf", "size_bytes": pdf.len()}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let url = b["upload"]["url"].as_str().unwrap().to_owned();
    let put = tokio::task::spawn_blocking(move || {
        ureq::put(&url)
            .header("content-type", "application/pdf")
            .send(&pdf[..])
            .map(|r| r.status().as_u16())
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(put, 200);
    b["material"]["id"].as_str().unwrap().to_owned()
}

async fn get_app(p: &Platform, app: &str) -> Value {
    let (s, b) = p
        .call_intake(
            "GET",
            &format!("/v1/applications/{app}"),
            None,
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b
}

async fn run_reviews(p: &Platform) {
    for job in p.dispatch.take() {
        if let Job::Review { .. } = job {
            standing_review::run(&p.review, job).await.unwrap();
        }
    }
}

const EVIDENCED: &[&str] = &[
    "has_equipment",
    "has_management_systems",
    "staff_trained",
    "projects_inspected_accepted",
    "industry_contribution",
];
const ITEMS: &[(&str, u32)] = &[
    ("basic.years-in-business", 10),
    ("management.revenue", 10),
    ("performance.certified-staff", 12),
    ("performance.senior-titles", 6),
    ("social.client-praise", 5),
];

/// A small complete application, submitted and reviewed: in staff check.
async fn in_staff_check(p: &Platform) -> (CreditCode, String) {
    let code = register_member(p).await;
    let app = draft(p, &code).await;
    let mut facts = json!({"major_quality_accident_2y": {"value": false},
                           "bad_conduct_record": {"value": false}});
    for f in EVIDENCED {
        facts[*f] = json!({"value": true, "evidence": [upload(p, &code, &app, f).await]});
    }
    let mut items = vec![];
    for (item, q) in ITEMS {
        items.push(json!({"item": item, "quantity": q,
                          "evidence": [upload(p, &code, &app, item).await]}));
    }
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(json!({"facts": facts, "items": items})),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/applications/{app}/submit"),
            None,
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 202, "{b}");
    run_reviews(p).await;
    assert_eq!(get_app(p, &app).await["status"], "staff_check");
    (code, app)
}

#[tokio::test]
async fn lenient_reads_of_the_issue_are_422_naming_the_field_and_write_nothing() {
    let p = Platform::at(at(2026, 12, 1, 2)).await;
    let code = register_member(&p).await;

    // `company: 123` is not ignored.
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade", "company": 123})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!((s, names(&b, "company")), (422, true), "{b}");
    let (s, b) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade", "company": 123})),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!((s, names(&b, "company")), (422, true), "{b}");
    assert!(p.store().applications_of(&code).await.unwrap().is_empty());

    // A yes/no fact accepts neither "maybe" nor -5; a number is not a quantity string.
    let app = draft(&p, &code).await;
    let before = get_app(&p, &app).await;
    for (body, field) in [
        (
            json!({"facts": {"major_quality_accident_2y": {"value": "maybe"}}}),
            "facts.major_quality_accident_2y.value",
        ),
        (
            json!({"facts": {"major_quality_accident_2y": {"value": -5}}}),
            "facts.major_quality_accident_2y.value",
        ),
        (
            json!({"items": [{"item": "management.revenue", "quantity": "5"}]}),
            "items[0].quantity",
        ),
        (
            json!({"items": [{"item": "management.revenue", "quantity": 5, "evidence": "x"}]}),
            "items[0].evidence",
        ),
        (
            json!({"items": [{"item": "management.revenue", "quantity": 5, "extra": 1}]}),
            "items[0].extra",
        ),
    ] {
        let (s, b) = p
            .call_intake(
                "PUT",
                &format!("/v1/applications/{app}/declaration"),
                Some(body.clone()),
                &As::Applicant(&code),
            )
            .await;
        assert_eq!((s, names(&b, field)), (422, true), "{body}: {b}");
    }
    // Control characters and too long names are refused, not stored or cut.
    for (file_name, field) in [
        ("设备\u{0007}清单.pdf".to_owned(), "file_name"),
        ("设备\u{0085}清单.pdf".to_owned(), "file_name"),
        (
            format!("{}.pdf", "长".repeat(MAX_FILE_NAME_CHARS)),
            "file_name",
        ),
    ] {
        let (s, b) = announce(
            &p,
            &code,
            &app,
            json!({"evidence_for": "has_equipment", "file_name": file_name,
                   "content_type": "application/pdf", "size_bytes": 10}),
        )
        .await;
        assert_eq!((s, names(&b, field)), (422, true), "{b}");
    }
    let (s, b) = announce(
        &p,
        &code,
        &app,
        json!({"evidence_for": "has_equipment", "file_name": "a.pdf",
               "content_type": "application/pdf", "size_bytes": "10"}),
    )
    .await;
    assert_eq!((s, names(&b, "size_bytes")), (422, true), "{b}");
    let after = get_app(&p, &app).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["facts"], json!({}));
    assert_eq!(after["materials"], json!([]));

    // Change requests: `documents` is not coerced, control characters are refused,
    // a reason may span lines.
    let changes = format!("/v1/organizations/{}/changes", code.as_str());
    for (body, field) in [
        (
            json!({"kind": "ordinary", "changes": {"address": "呼和浩特市赛罕区1号"},
                   "reason": "办公地址变更", "documents": [1, 2]}),
            "documents[0]",
        ),
        (
            json!({"kind": "ordinary", "changes": {"address": "呼和浩特市赛罕区1号"},
                   "reason": "办公地址\u{001b}[31m变更"}),
            "reason",
        ),
        (
            json!({"kind": "ordinary", "changes": {"address": "呼和浩特市\n赛罕区1号"},
                   "reason": "办公地址变更"}),
            "changes.address",
        ),
        (
            json!({"kind": "ordinary", "changes": {"address": "呼和浩特市赛罕区1号"},
                   "reason": "变".repeat(501)}),
            "reason",
        ),
    ] {
        let (s, b) = p
            .call_intake("POST", &changes, Some(body.clone()), &As::Applicant(&code))
            .await;
        assert_eq!((s, names(&b, field)), (422, true), "{body}: {b}");
    }
    let (s, change) = p
        .call_intake(
            "POST",
            &changes,
            Some(
                json!({"kind": "ordinary", "changes": {"address": "呼和浩特市赛罕区1号"},
                    "reason": "办公地址变更：\n见营业执照", "documents": ["营业执照.pdf"]}),
            ),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 201, "{change}");
    let id = change["id"].as_str().unwrap();
    for (body, field) in [
        (json!({"approve": true, "note": 5}), "note"),
        (json!({"approve": "yes"}), "approve"),
        (json!({"approve": true, "note": "x".repeat(501)}), "note"),
        (json!({"approve": true, "by": "me"}), "by"),
    ] {
        let (s, b) = p
            .call_intake(
                "POST",
                &format!("/v1/changes/{id}/decision"),
                Some(body.clone()),
                &As::Staff(ASSOC),
            )
            .await;
        assert_eq!((s, names(&b, field)), (422, true), "{body}: {b}");
    }
    let stored = p.store().get_change(id).await.unwrap().unwrap();
    assert_eq!(
        stored.status,
        standing_domain::change::ChangeStatus::Pending
    );
}

#[tokio::test]
async fn staff_check_notes_and_objections_are_read_strictly() {
    let p = Platform::at(at(2026, 12, 2, 2)).await;
    let (_, app) = in_staff_check(&p).await;
    let before = get_app(&p, &app).await;
    let rule = before["pending_checks"][0].as_str().unwrap().to_owned();
    for (check, field) in [
        (
            json!({"rule_id": rule, "met": true, "note": 42}),
            "checks[0].note",
        ),
        (
            json!({"rule_id": rule, "met": true, "note": "符".repeat(501)}),
            "checks[0].note",
        ),
        (json!({"rule_id": rule, "met": "yes"}), "checks[0].met"),
        (
            json!({"rule_id": rule, "met": true, "by": "x"}),
            "checks[0].by",
        ),
        (
            json!({"rule_id": rule, "met": true, "note": "ok\u{0000}"}),
            "checks[0].note",
        ),
    ] {
        let (s, b) = p
            .call_intake(
                "POST",
                &format!("/v1/applications/{app}/checks"),
                Some(json!({"checks": [check.clone()]})),
                &As::Staff(ASSOC),
            )
            .await;
        assert_eq!((s, names(&b, field)), (422, true), "{check}: {b}");
    }
    let after = get_app(&p, &app).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["checks"], before["checks"]);
}

/// Objections from one (random) source address, so reruns on a long-lived stack and
/// other tests never share its hourly counter.
fn objection_request(notice: &str, source: &str, n: usize) -> lambda_http::Request {
    let path = format!("/v1/notices/{notice}/objections");
    let body = json!({"name": "王五", "contact": "13800000000",
                      "text": format!("第{n}条异议：\n该单位申报的项目未经验收。")})
    .to_string();
    let mut event = event_json(
        "POST",
        &path,
        "",
        Some(&body),
        Some("application/json"),
        &As::Anonymous,
    );
    event["requestContext"]["http"]["sourceIp"] = json!(source);
    lambda_http::request::from_str(&event.to_string()).unwrap()
}

async fn object(p: &Platform, notice: &str, source: &str, n: usize) -> (u16, Value) {
    let r =
        standing_publication::handle(&p.publication, objection_request(notice, source, n)).await;
    (status(&r), body_json(&r))
}

#[tokio::test]
async fn refused_objections_do_not_use_up_the_hourly_limit() {
    let p = Platform::at(at(2026, 12, 3, 2)).await;
    let (_, app) = in_staff_check(&p).await;
    let confirmed = p
        .confirm_pending_checks(&app, ASSOC, "现场核验\n符合")
        .await;
    assert!(!confirmed.is_empty());
    let a = get_app(&p, &app).await;
    assert_eq!(a["status"], "on_notice", "{a}");
    let notice = a["notice_id"].as_str().unwrap().to_owned();
    let r = ulid::Ulid::generate().random();
    let source = format!("10.{}.{}.{}", (r >> 16) as u8, (r >> 8) as u8, r as u8);

    // Objections filed at the same moment race for the notice's version: the losers
    // are answered 409 and must not count against the source's five per hour.
    let (mut accepted, mut refused, mut n) = (0, 0, 0);
    while refused < 4 {
        let (a, b, c, d, e) = tokio::join!(
            object(&p, &notice, &source, n),
            object(&p, &notice, &source, n + 1),
            object(&p, &notice, &source, n + 2),
            object(&p, &notice, &source, n + 3),
            object(&p, &notice, &source, n + 4),
        );
        n += 5;
        for (s, b) in [a, b, c, d, e] {
            match s {
                201 => accepted += 1,
                409 => refused += 1,
                other => panic!("objection answered {other}: {b}"),
            }
        }
        assert!(
            accepted < 5,
            "the race gave too few refusals to show the point: {accepted} accepted, {refused} refused"
        );
    }
    // Every slot not used by an accepted objection is still there.
    while accepted < 5 {
        let (s, b) = object(&p, &notice, &source, n).await;
        n += 1;
        assert_eq!(s, 201, "objection {} of 5: {b}", accepted + 1);
        accepted += 1;
    }
    let (s, b) = object(&p, &notice, &source, n).await;
    assert_eq!(s, 429, "{b}");
    let stored = p.store().objections_of(&notice).await.unwrap();
    assert_eq!(stored.len(), 5);
    // A multi-line objection is kept as written; a control character is refused.
    assert!(stored[0].text.contains('\n'));
    let path = format!("/v1/notices/{notice}/objections");
    let body = json!({"name": "王五", "contact": "13800000000", "text": "异议\u{0008}内容很长"});
    let r = standing_publication::handle(
        &p.publication,
        request("POST", &path, "", Some(&body.to_string()), &As::Anonymous),
    )
    .await;
    assert_eq!((status(&r), names(&body_json(&r), "text")), (422, true));
}

/// The largest declaration the limits allow: every fact with its longest value, the
/// most materials with the longest names (4-byte characters), the most items and
/// evidence references.
fn largest_declaration(materials: &[String]) -> Value {
    let registry = Registry::builtin().unwrap();
    let scheme = registry
        .in_force(
            "capability-grade".parse::<SchemeId>().unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        )
        .unwrap();
    let kinds = fact_kinds(scheme);
    let ids: Vec<String> = scheme
        .points
        .iter()
        .flat_map(|p| {
            p.areas
                .iter()
                .flat_map(|a| a.items.iter().map(|i| i.id.clone()))
        })
        .collect();
    // Every fact and item entry gets evidence, round robin, up to the declaration's
    // total of references (and never over the per-entry limit).
    let entries = kinds.len() + MAX_DECLARED_ITEMS;
    let mut evidence: Vec<Vec<String>> = vec![Vec::new(); entries];
    let mut refs = materials.iter().cycle();
    for i in 0..MAX_EVIDENCE_REFS.min(entries * MAX_EVIDENCE_PER_ENTRY) {
        evidence[i % entries].push(refs.next().unwrap().clone());
    }
    let mut evidence = evidence.into_iter();
    let mut facts = json!({});
    for (key, kind) in kinds {
        let value = match kind {
            FactKind::Bool => json!(true),
            FactKind::Number => json!(999_999_999.123_456_f64),
            FactKind::Date => json!("2020-02-29"),
            FactKind::Text => json!("𠀀".repeat(MAX_FACT_TEXT_CHARS)),
        };
        facts[key] = json!({"value": value, "evidence": evidence.next().unwrap()});
    }
    let items: Vec<Value> = (0..MAX_DECLARED_ITEMS)
        .map(|i| {
            json!({"item": ids[i % ids.len()], "quantity": 999_999.5,
                   "evidence": evidence.next().unwrap()})
        })
        .collect();
    json!({"facts": facts, "items": items})
}

#[tokio::test]
async fn the_largest_valid_application_completes_its_review_and_every_item_fits() {
    let p = Platform::at(at(2026, 12, 4, 2)).await;
    let code = register_member(&p).await;
    let app = draft(&p, &code).await;
    // The most materials, with the longest names, uploaded; then taken out of the bucket
    // after submission (as a retention rule or a mistake would), so the review also
    // writes the most findings. (Announced at 10 bytes rather than 20 MB: the application
    // item is 1.2 KB smaller than at worst, far inside the margin asserted below.)
    let mut materials = Vec::new();
    let mut uploads = Vec::new();
    let registry = Registry::builtin().unwrap();
    let scheme = registry
        .in_force(
            "capability-grade".parse::<SchemeId>().unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        )
        .unwrap();
    let targets: Vec<String> = fact_kinds(scheme).into_keys().collect();
    for i in 0..MAX_MATERIALS {
        let name = format!("{}.pdf", "𠀀".repeat(MAX_FILE_NAME_CHARS - 4));
        let (s, b) = announce(
            &p,
            &code,
            &app,
            json!({"evidence_for": targets[i % targets.len()], "file_name": name,
                   "content_type": "application/pdf", "size_bytes": 10}),
        )
        .await;
        assert_eq!(s, 201, "material {i}: {b}");
        materials.push(b["material"]["id"].as_str().unwrap().to_owned());
        uploads.push((
            b["upload"]["url"].as_str().unwrap().to_owned(),
            b["material"]["key"].as_str().unwrap().to_owned(),
        ));
    }
    let (s, b) = announce(
        &p,
        &code,
        &app,
        json!({"evidence_for": "has_equipment", "file_name": "one-too-many.pdf",
               "content_type": "application/pdf", "size_bytes": 10}),
    )
    .await;
    assert_eq!(s, 409, "{b}");
    let declaration = largest_declaration(&materials);
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(declaration),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let path = format!("/v1/applications/{app}/submit");
    let me = As::Applicant(&code);
    let submit = || p.call_intake("POST", &path, None, &me);
    // Nothing uploaded yet: submission names all 200 files at once and changes nothing.
    let before = p.partition(keys::app_pk(&app)).await;
    let (s, b) = submit().await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"].as_array().unwrap().len(), MAX_MATERIALS);
    assert_eq!(p.partition(keys::app_pk(&app)).await, before);
    for (url, _) in &uploads {
        let url = url.clone();
        let put = tokio::task::spawn_blocking(move || {
            ureq::put(&url)
                .header("content-type", "application/pdf")
                .send(&b"%PDF-1.4 e"[..])
                .map(|r| r.status().as_u16())
        })
        .await
        .unwrap()
        .expect("the presigned PUT goes through");
        assert_eq!(put, 200);
    }
    let (s, b) = submit().await;
    assert_eq!(s, 202, "{b}");
    for (_, key) in &uploads {
        p.clients
            .s3()
            .delete_object()
            .bucket(&p.intake.materials_bucket)
            .key(key)
            .send()
            .await
            .unwrap();
    }
    run_reviews(&p).await;
    let a = get_app(&p, &app).await;
    assert_ne!(
        a["status"], "submitted",
        "the review completed: {}",
        a["status"]
    );
    assert_eq!(a["status"], "rejected");

    // Every item of the application's partition, measured by DynamoDB's rules.
    let out = p
        .store()
        .client()
        .query()
        .table_name(p.store().table())
        .key_condition_expression("PK = :pk")
        .expression_attribute_values(
            ":pk",
            aws_sdk_dynamodb::types::AttributeValue::S(keys::app_pk(&app)),
        )
        .send()
        .await
        .unwrap();
    let mut largest: std::collections::BTreeMap<String, usize> = Default::default();
    for item in out.items() {
        let kind = match item.get("entity_type") {
            Some(aws_sdk_dynamodb::types::AttributeValue::S(s)) => s.clone(),
            _ => "?".into(),
        };
        let size = item_size(item);
        let e = largest.entry(kind).or_default();
        *e = (*e).max(size);
    }
    eprintln!("largest items of the largest application (bytes): {largest:?}");
    for (kind, size) in &largest {
        assert!(
            *size < MAX_ITEM_BYTES * 3 / 4,
            "{kind} item is {size} bytes, too close to {MAX_ITEM_BYTES}"
        );
    }
    assert!(largest.contains_key("application") && largest.contains_key("report"));
    assert!(
        largest["audit"] < 16 * 1024,
        "audit events stay small: {largest:?}"
    );
}

#[tokio::test]
async fn deep_health_checks_the_storage_each_function_uses() {
    let p = Platform::at(Utc::now()).await;
    let get = |path: &str| request("GET", path, "", None, &As::Anonymous);
    let mut deep = event_json("GET", "/v1/health/intake", "", None, None, &As::Anonymous);
    deep["rawQueryString"] = json!("deep=1");
    deep["queryStringParameters"] = json!({"deep": "1"});
    let deep_req = |path: &str| {
        let mut e = deep.clone();
        e["rawPath"] = json!(path);
        e["requestContext"]["http"]["path"] = json!(path);
        lambda_http::request::from_str(&e.to_string()).unwrap()
    };
    // Plain liveness, then the deep check against the local endpoint.
    let r = standing_intake::handle(&p.intake, get("/v1/health/intake")).await;
    assert_eq!(status(&r), 200);
    assert!(body_json(&r).get("checked").is_none());
    let r = standing_intake::handle(&p.intake, deep_req("/v1/health/intake")).await;
    let b = body_json(&r);
    assert_eq!(status(&r), 200, "{b}");
    assert_eq!(
        b["checked"],
        json!([
            format!("table:{}", p.store().table()),
            format!("bucket:{}", p.intake.materials_bucket)
        ])
    );
    let r = standing_review::handle(&p.review, deep_req("/v1/health/review")).await;
    assert_eq!(status(&r), 200, "{}", body_json(&r));
    let r = standing_publication::handle(&p.publication, deep_req("/v1/health/publication")).await;
    assert_eq!(status(&r), 200, "{}", body_json(&r));
    let (cert, clients, _) = cert_common::cert_app().await;
    let r = standing_certificate::handle(&cert, deep_req("/v1/health/certificate")).await;
    let b = body_json(&r);
    assert_eq!(status(&r), 200, "{b}");
    assert_eq!(b["checked"].as_array().unwrap().len(), 2);

    // Storage down: every client points at a closed port.
    let mut config = clients.config.clone();
    config.endpoint = Some("http://127.0.0.1:9".into());
    config.dynamodb_endpoint = Some("http://127.0.0.1:9".into());
    let down = standing_aws::Clients::load(config).await;
    let store = standing_aws::DynamoStore::new(down.dynamodb(), down.config.table.clone());
    let intake = standing_intake::App {
        store: store.clone(),
        objects: down.objects(),
        materials_bucket: down.config.materials_bucket.clone(),
        auth: standing_http::Authenticator::dev_key(DEV_SECRET.as_bytes()).unwrap(),
        dispatch: p.dispatch.clone(),
        clock: p.clock.clone(),
    };
    let r = standing_intake::handle(&intake, deep_req("/v1/health/intake")).await;
    let b = body_json(&r);
    assert_eq!(status(&r), 503, "{b}");
    assert!(content_type(&r).starts_with("application/problem+json"));
    assert!(names(&b, &format!("table:{}", down.config.table)), "{b}");
    assert!(
        names(&b, &format!("bucket:{}", down.config.materials_bucket)),
        "{b}"
    );
    // The cheap liveness answer does not touch storage.
    let r = standing_intake::handle(&intake, get("/v1/health/intake")).await;
    assert_eq!(status(&r), 200);
    let publication = standing_publication::App {
        store,
        auth: standing_http::Authenticator::dev_key(DEV_SECRET.as_bytes()).unwrap(),
        dispatch: p.dispatch.clone(),
        clock: p.clock.clone(),
    };
    let r = standing_publication::handle(&publication, deep_req("/v1/health/publication")).await;
    assert_eq!(status(&r), 503, "{}", body_json(&r));
    let mut bad = deep.clone();
    bad["rawQueryString"] = json!("deep=yes");
    bad["queryStringParameters"] = json!({"deep": "yes"});
    let r = standing_intake::handle(
        &p.intake,
        lambda_http::request::from_str(&bad.to_string()).unwrap(),
    )
    .await;
    assert_eq!(status(&r), 422);
}
