//! The OpenAPI document (docs/openapi.json) against the running handlers: every route
//! the local router serves is documented and vice versa, and the answers the handlers
//! give carry documented statuses, media types and required fields.

mod cert_common;

use chrono::Utc;
use serde_json::{Value, json};
use standing_domain::clock::FixedClock;
use standing_e2e::*;
use standing_http::Authenticator;
use std::collections::BTreeSet;
use std::sync::Arc;

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
    let (_, store) = local_store().await;
    let app = standing_intake::App {
        store,
        auth: Authenticator::dev_key(DEV_SECRET.as_bytes()).unwrap(),
        clock: Arc::new(FixedClock::at(Utc::now())),
    };
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
    let (cert_app, _, _) = cert_common::cert_app().await;
    for (name, r) in [
        (
            "review",
            standing_review::handle(request(
                "GET",
                "/v1/health/review",
                "",
                None,
                &As::Anonymous,
            ))
            .await,
        ),
        (
            "publication",
            standing_publication::handle(request(
                "GET",
                "/v1/health/publication",
                "",
                None,
                &As::Anonymous,
            ))
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
            standing_credit::handle(request(
                "GET",
                "/v1/health/credit",
                "",
                None,
                &As::Anonymous,
            ))
            .await,
        ),
    ] {
        check(&doc, &format!("/v1/health/{name}"), "GET", &r);
        assert_eq!(body_json(&r)["function"], name);
    }
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
