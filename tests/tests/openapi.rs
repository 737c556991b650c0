//! The OpenAPI document (docs/openapi.json) against the running handlers: every route
//! the local router serves is documented and vice versa, and the answers the handlers
//! give carry documented statuses, media types and required fields.

mod cert_common;

use chrono::Utc;
use serde_json::{Value, json};
use standing_e2e::*;
use std::collections::BTreeSet;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn openapi() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("docs/openapi.json")).unwrap())
        .unwrap()
}

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            out.insert((path.clone(), method.to_uppercase()));
        }
    }
    out
}

#[test]
fn every_routed_path_is_documented_and_every_documented_path_is_routed() {
    let cargo: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let router = cargo["workspace"]["metadata"]["lambda"]["watch"]["router"]
        .as_table()
        .unwrap();
    let mut routed = BTreeSet::new();
    for (path, targets) in router {
        for t in targets.as_array().unwrap() {
            routed.insert((path.clone(), t["method"].as_str().unwrap().to_uppercase()));
        }
    }
    assert_eq!(documented_routes(&openapi()), routed);
}

/// Resolve a `$ref` within the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap(),
        None => schema,
    }
}

fn check(doc: &Value, path: &str, method: &str, r: &lambda_http::Response<lambda_http::Body>) {
    let op = &doc["paths"][path][method.to_lowercase()];
    let status = status(r).to_string();
    let documented = &op["responses"][&status];
    assert!(
        documented.is_object(),
        "{method} {path} answered {status}, which is not documented"
    );
    let media = content_type(r);
    let media = media.split(';').next().unwrap();
    let schema = &documented["content"][media]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} {status}: media type {media} not documented"
    );
    let schema = resolve(doc, schema);
    let body = body_json(r);
    for field in schema["required"].as_array().into_iter().flatten() {
        let f = field.as_str().unwrap();
        assert!(
            body.get(f).is_some(),
            "{method} {path} {status}: required field {f} missing in {body}"
        );
    }
}

#[tokio::test]
async fn intake_answers_match_the_document() {
    let doc = openapi();
    let app = Platform::at(Utc::now()).await.intake;
    let code = fresh_code();
    let staff = As::Staff("nmg-security-association");
    let good = json!({
        "code": code.as_str(), "name": "示例科技有限公司", "address": "呼和浩特市赛罕区1号",
        "legal_representative": {"name": "王五"}, "contact": {"name": "赵六", "phone": "13800000000"},
        "established_on": "2012-01-01"
    })
    .to_string();
    let post = "/v1/organizations";
    let route = "POST /v1/organizations";
    for (body, who) in [
        (good.as_str(), &staff),
        (good.as_str(), &staff),
        ("{", &staff),
        ("{}", &staff),
        (good.as_str(), &As::Anonymous),
        (good.as_str(), &As::Expert),
    ] {
        let r = standing_intake::handle(&app, request("POST", post, route, Some(body), who)).await;
        check(&doc, post, "POST", &r);
    }
    let get = "/v1/organizations/{code}";
    for (c, who) in [
        (code.as_str().to_owned(), &staff),
        (code.as_str().to_owned(), &As::Anonymous),
        (code.as_str().to_owned(), &As::Expert),
        (fresh_code().as_str().to_owned(), &staff),
        ("BAD".to_owned(), &staff),
    ] {
        let path = format!("/v1/organizations/{c}");
        let r = standing_intake::handle(
            &app,
            request("GET", &path, "GET /v1/organizations/{code}", None, who),
        )
        .await;
        check(&doc, get, "GET", &r);
    }
    let r = standing_intake::handle(
        &app,
        request(
            "GET",
            "/v1/health/intake",
            "GET /v1/health/intake",
            None,
            &As::Anonymous,
        ),
    )
    .await;
    check(&doc, "/v1/health/intake", "GET", &r);
}

#[tokio::test]
async fn health_checks_match_the_document() {
    let doc = openapi();
    let platform = Platform::at(Utc::now()).await;
    let (cert_app, _, _) = cert_common::cert_app().await;
    for (name, r) in [
        (
            "review",
            standing_review::handle(
                &platform.review,
                request("GET", "/v1/health/review", "", None, &As::Anonymous),
            )
            .await,
        ),
        (
            "publication",
            standing_publication::handle(
                &platform.publication,
                request("GET", "/v1/health/publication", "", None, &As::Anonymous),
            )
            .await,
        ),
        (
            "certificate",
            standing_certificate::handle(
                &cert_app,
                request("GET", "/v1/health/certificate", "", None, &As::Anonymous),
            )
            .await,
        ),
        (
            "credit",
            standing_credit::handle(
                &platform.credit,
                request("GET", "/v1/health/credit", "", None, &As::Anonymous),
            )
            .await,
        ),
    ] {
        check(&doc, &format!("/v1/health/{name}"), "GET", &r);
        assert_eq!(body_json(&r)["function"], name);
    }
}

#[tokio::test]
async fn application_and_notice_answers_match_the_document() {
    let doc = openapi();
    let platform = Platform::at(Utc::now()).await;
    let code = fresh_code();
    let applicant = As::Applicant(&code);
    let staff = As::Staff("nmg-security-association");
    let intake = |method: &'static str, path: String, body: Option<Value>, who: &As<'_>| {
        let body = body.map(|b| b.to_string());
        let req = request(method, &path, "", body.as_deref(), who);
        standing_intake::handle(&platform.intake, req)
    };
    let r = intake(
        "POST",
        "/v1/organizations".into(),
        Some(json!({"code": code.as_str(), "name": "示例科技有限公司", "address": "呼和浩特市赛罕区1号",
            "legal_representative": {"name": "王五"}, "contact": {"name": "赵六", "phone": "13800000000"},
            "established_on": "2012-01-01"})),
        &applicant,
    )
    .await;
    assert_eq!(status(&r), 201);
    let r = intake(
        "POST",
        format!("/v1/organizations/{code}/memberships"),
        Some(json!({"since": "2019-01-01"})),
        &staff,
    )
    .await;
    assert_eq!(status(&r), 201);

    let apps = "/v1/applications";
    for (body, who) in [
        (json!({"scheme": "capability-grade"}), &applicant),
        (json!({"scheme": "no-such-scheme"}), &applicant),
        (json!({"scheme": "capability-grade"}), &As::Anonymous),
    ] {
        let r = intake("POST", apps.into(), Some(body), who).await;
        check(&doc, apps, "POST", &r);
    }
    let r = intake(
        "POST",
        apps.into(),
        Some(json!({"scheme": "capability-grade"})),
        &applicant,
    )
    .await;
    let id = body_json(&r)["id"].as_str().unwrap().to_owned();
    let one = "/v1/applications/{id}";
    for (path, who) in [
        (format!("/v1/applications/{id}"), &applicant),
        (format!("/v1/applications/{id}"), &As::Anonymous),
        (
            "/v1/applications/01M84KZ5KA634A4QWZ54MB3VAC".to_owned(),
            &applicant,
        ),
    ] {
        check(&doc, one, "GET", &intake("GET", path, None, who).await);
    }
    let declaration = "/v1/applications/{id}/declaration";
    for body in [
        json!({"items": [{"item": "social.client-praise", "quantity": 1}]}),
        json!({"items": [{"item": "no.such-item", "quantity": 1}]}),
    ] {
        let r = intake(
            "PUT",
            format!("/v1/applications/{id}/declaration"),
            Some(body),
            &applicant,
        )
        .await;
        check(&doc, declaration, "PUT", &r);
    }
    let materials = "/v1/applications/{id}/materials";
    for (ct, size) in [
        ("application/pdf", 100_u64),
        ("text/html", 100),
        ("application/pdf", 1 << 30),
    ] {
        let body = json!({"evidence_for": "social.client-praise", "file_name": "a.pdf", "content_type": ct, "size_bytes": size});
        let r = intake(
            "POST",
            format!("/v1/applications/{id}/materials"),
            Some(body),
            &applicant,
        )
        .await;
        check(&doc, materials, "POST", &r);
    }
    let r = intake(
        "POST",
        format!("/v1/applications/{id}/submit"),
        None,
        &applicant,
    )
    .await;
    assert_eq!(status(&r), 422, "declared without evidence");
    check(&doc, "/v1/applications/{id}/submit", "POST", &r);
    let r = intake(
        "POST",
        format!("/v1/applications/{id}/checks"),
        Some(json!({"checks": []})),
        &applicant,
    )
    .await;
    check(&doc, "/v1/applications/{id}/checks", "POST", &r);
    for who in [&staff, &applicant] {
        check(
            &doc,
            apps,
            "GET",
            &intake("GET", apps.into(), None, who).await,
        );
    }
    check(
        &doc,
        "/v1/organizations/{code}/applications",
        "GET",
        &intake(
            "GET",
            format!("/v1/organizations/{code}/applications"),
            None,
            &applicant,
        )
        .await,
    );
    check(
        &doc,
        "/v1/organizations/{code}/reminders",
        "GET",
        &intake(
            "GET",
            format!("/v1/organizations/{code}/reminders"),
            None,
            &applicant,
        )
        .await,
    );
    let changes = "/v1/organizations/{code}/changes";
    for kind in ["ordinary", "merger"] {
        let body =
            json!({"kind": kind, "changes": {"address": "呼和浩特市新城区2号"}, "reason": "搬迁"});
        let r = intake(
            "POST",
            format!("/v1/organizations/{code}/changes"),
            Some(body),
            &applicant,
        )
        .await;
        check(&doc, changes, "POST", &r);
    }
    let r = intake(
        "POST",
        format!("/v1/organizations/{code}/changes"),
        Some(json!({"kind": "ordinary", "changes": {"address": "呼和浩特市新城区3号"}, "reason": "搬迁"})),
        &applicant,
    )
    .await;
    let change = body_json(&r)["id"].as_str().unwrap().to_owned();
    for who in [&applicant, &staff] {
        let r = intake(
            "POST",
            format!("/v1/changes/{change}/decision"),
            Some(json!({"approve": true})),
            who,
        )
        .await;
        check(&doc, "/v1/changes/{id}/decision", "POST", &r);
    }

    let publication = |method: &'static str, path: String, body: Option<Value>, who: &As<'_>| {
        let body = body.map(|b| b.to_string());
        let req = request(method, &path, "", body.as_deref(), who);
        standing_publication::handle(&platform.publication, req)
    };
    check(
        &doc,
        "/v1/notices",
        "GET",
        &publication("GET", "/v1/notices".into(), None, &As::Anonymous).await,
    );
    check(
        &doc,
        "/v1/notices.html",
        "GET",
        &publication("GET", "/v1/notices.html".into(), None, &As::Anonymous).await,
    );
    let missing = "01M84KZ5KA634A4QWZ54MB3VAC";
    check(
        &doc,
        "/v1/notices/{id}",
        "GET",
        &publication(
            "GET",
            format!("/v1/notices/{missing}"),
            None,
            &As::Anonymous,
        )
        .await,
    );
    let objection = json!({"name": "王五", "contact": "13900000000", "text": "请核实业绩"});
    check(
        &doc,
        "/v1/notices/{id}/objections",
        "POST",
        &publication(
            "POST",
            format!("/v1/notices/{missing}/objections"),
            Some(objection),
            &As::Anonymous,
        )
        .await,
    );
    check(
        &doc,
        "/v1/notices/{id}/objections",
        "GET",
        &publication(
            "GET",
            format!("/v1/notices/{missing}/objections"),
            None,
            &As::Anonymous,
        )
        .await,
    );
    check(
        &doc,
        "/v1/notices/{id}/objections/{objection}/decision",
        "POST",
        &publication(
            "POST",
            format!("/v1/notices/{missing}/objections/{missing}/decision"),
            Some(json!({"decision": "dismissed", "reason": "不成立"})),
            &As::Expert,
        )
        .await,
    );
}

#[tokio::test]
async fn certificate_answers_match_the_document() {
    use cert_common::{AUTHORITY, issued};
    let doc = openapi();
    let (app, _, _) = cert_common::cert_app().await;
    let record = issued(&app.store, "包头市示例安防工程有限公司").await;
    let other = issued(&app.store, "赤峰市示例安防工程有限公司").await;
    let serial = record.serial.as_str();
    let unknown = standing_domain::certificate::new_serial("NMGAF", record.issued_on);
    let staff = As::Staff(AUTHORITY);
    let holder = As::Applicant(&record.org);
    let elsewhere = As::Staff("jiaozuo-housing-bureau");
    let code = record.org.as_str().to_owned();

    let gets: Vec<(&str, String, &As)> = vec![
        (
            "/.well-known/standing-certificate-keys.json",
            "/.well-known/standing-certificate-keys.json".into(),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}",
            format!("/v1/certificates/{serial}"),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}",
            format!("/v1/certificates/{unknown}"),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}",
            "/v1/certificates/bad".into(),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}/verify",
            format!("/v1/certificates/{serial}/verify"),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}/verify",
            "/v1/certificates/bad/verify".into(),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}/pdf",
            format!("/v1/certificates/{serial}/pdf"),
            &holder,
        ),
        (
            "/v1/certificates/{serial}/pdf",
            format!("/v1/certificates/{serial}/pdf"),
            &As::Anonymous,
        ),
        (
            "/v1/certificates/{serial}/pdf",
            format!("/v1/certificates/{serial}/pdf"),
            &elsewhere,
        ),
        (
            "/v1/certificates/{serial}/pdf",
            format!("/v1/certificates/{unknown}/pdf"),
            &staff,
        ),
        (
            "/v1/organizations/{code}/certificates",
            format!("/v1/organizations/{code}/certificates"),
            &As::Anonymous,
        ),
        (
            "/v1/organizations/{code}/certificates",
            "/v1/organizations/BAD/certificates".into(),
            &As::Anonymous,
        ),
    ];
    for (template, path, who) in gets {
        let route = format!("GET {template}");
        let r = standing_certificate::handle(&app, request("GET", &path, &route, None, who)).await;
        check(&doc, template, "GET", &r);
    }
    let revoke = "/v1/certificates/{serial}/revoke";
    let reissue = "/v1/certificates/{serial}/reissue";
    let posts: Vec<(&str, String, String, &As)> = vec![
        (
            revoke,
            format!("/v1/certificates/{serial}/revoke"),
            json!({"ground": "R0", "reason": "x"}).to_string(),
            &staff,
        ),
        (
            revoke,
            format!("/v1/certificates/{serial}/revoke"),
            "{".into(),
            &staff,
        ),
        (
            revoke,
            format!("/v1/certificates/{serial}/revoke"),
            json!({"ground": "R1-law", "reason": "x"}).to_string(),
            &As::Anonymous,
        ),
        (
            revoke,
            format!("/v1/certificates/{serial}/revoke"),
            json!({"ground": "R1-law", "reason": "x"}).to_string(),
            &holder,
        ),
        (
            revoke,
            format!("/v1/certificates/{unknown}/revoke"),
            json!({"ground": "R1-law", "reason": "x"}).to_string(),
            &staff,
        ),
        (
            revoke,
            format!("/v1/certificates/{serial}/revoke"),
            json!({"ground": "R1-law", "reason": "x", "version": 9}).to_string(),
            &staff,
        ),
        (
            revoke,
            format!("/v1/certificates/{}/revoke", other.serial),
            json!({"ground": "R1-law", "reason": "违法"}).to_string(),
            &staff,
        ),
        (
            reissue,
            format!("/v1/certificates/{serial}/reissue"),
            json!({}).to_string(),
            &holder,
        ),
        (
            reissue,
            format!("/v1/certificates/{serial}/reissue"),
            json!({"reason": "遗失"}).to_string(),
            &As::Anonymous,
        ),
        (
            reissue,
            format!("/v1/certificates/{serial}/reissue"),
            json!({"reason": "遗失"}).to_string(),
            &elsewhere,
        ),
        (
            reissue,
            format!("/v1/certificates/{serial}/reissue"),
            json!({"reason": "遗失"}).to_string(),
            &holder,
        ),
        (
            reissue,
            format!("/v1/certificates/{serial}/reissue"),
            json!({"reason": "遗失"}).to_string(),
            &holder,
        ),
    ];
    for (template, path, body, who) in posts {
        let route = format!("POST {template}");
        let r =
            standing_certificate::handle(&app, request("POST", &path, &route, Some(&body), who))
                .await;
        check(&doc, template, "POST", &r);
    }
    let r = standing_certificate::handle(
        &app,
        request_with_type(
            "POST",
            &format!("/v1/certificates/{serial}/reissue"),
            "POST /v1/certificates/{serial}/reissue",
            Some("x"),
            Some("text/plain"),
            &holder,
        ),
    )
    .await;
    check(&doc, reissue, "POST", &r);
}

#[tokio::test]
async fn scheme_answers_match_the_document_and_serve_all_five_schemes() {
    let doc = openapi();
    let platform = Platform::at(Utc::now()).await;
    let get = |path: String| {
        let req = request("GET", &path, "", None, &As::Anonymous);
        standing_intake::handle(&platform.intake, req)
    };
    let r = get("/v1/schemes".into()).await;
    check(&doc, "/v1/schemes", "GET", &r);
    assert_eq!(status(&r), 200);
    assert_eq!(body_json(&r)["schemes"].as_array().unwrap().len(), 5);
    for id in [
        "capability-grade",
        "fire-credit",
        "om-stars",
        "annual-awards",
        "alarm-operators",
    ] {
        let r = get(format!("/v1/schemes/{id}")).await;
        check(&doc, "/v1/schemes/{id}", "GET", &r);
        let b = body_json(&r);
        assert_eq!(status(&r), 200, "{b}");
        assert_eq!(b["id"], id);
        assert!(
            b["definition"]["scheme"]["seed"].is_object(),
            "{id}: seed reference"
        );
    }
    // The capability grade's form: its facts with kinds and the evidence their rule asks.
    let b = body_json(&get("/v1/schemes/capability-grade".into()).await);
    let facts = b["facts"].as_array().unwrap();
    assert!(
        facts
            .iter()
            .any(|f| f["key"] == "has_equipment" && f["kind"] == "bool")
    );
    let r = get("/v1/schemes/no-such-scheme".into()).await;
    check(&doc, "/v1/schemes/{id}", "GET", &r);
    assert_eq!(status(&r), 404);
    // Another date: the query `on`, malformed or before any version.
    let with_on = |on: &str| {
        let mut event = event_json(
            "GET",
            "/v1/schemes/capability-grade",
            "",
            None,
            None,
            &As::Anonymous,
        );
        event["rawQueryString"] = json!(format!("on={on}"));
        event["queryStringParameters"] = json!({ "on": on });
        let req = lambda_http::request::from_str(&event.to_string()).unwrap();
        standing_intake::handle(&platform.intake, req)
    };
    let r = with_on("2026-13-01").await;
    check(&doc, "/v1/schemes/{id}", "GET", &r);
    assert_eq!(status(&r), 422);
    assert_eq!(body_json(&r)["field"], "on");
    assert_eq!(status(&with_on("2000-01-01").await), 404);
    let r = with_on("2024-06-01").await;
    assert_eq!(status(&r), 200);
    assert_eq!(body_json(&r)["version"], "2024-01-01");
    // The preview answers the report, or a problem for what the scheme does not take.
    let post = |path: &str, body: &str| {
        let req = request("POST", path, "", Some(body), &As::Anonymous);
        standing_intake::handle(&platform.intake, req)
    };
    let evaluate = "/v1/schemes/{id}/evaluate";
    let r = post(
        "/v1/schemes/om-stars/evaluate",
        r#"{"facts":{"fixed_premises":{"value":true}},"staff":{"entries":[{"staff_ref":"s1","qualified":true,"college_or_above":true,"training_session_hours":4}]}}"#,
    )
    .await;
    check(&doc, evaluate, "POST", &r);
    assert_eq!(status(&r), 200, "{}", body_json(&r));
    assert_eq!(body_json(&r)["scheme"], "om-stars");
    for (path, body, code) in [
        ("/v1/schemes/om-stars/evaluate", r#"{"items":[]}"#, 422),
        ("/v1/schemes/fire-credit/evaluate", "{}", 422),
        ("/v1/schemes/no-such/evaluate", "{}", 404),
        ("/v1/schemes/om-stars/evaluate", "{", 400),
    ] {
        let r = post(path, body).await;
        check(&doc, evaluate, "POST", &r);
        assert_eq!(status(&r), code, "{path} {body}: {}", body_json(&r));
    }
}
