//! The OpenAPI document (docs/openapi.json) against the running handlers: every route
//! the local router serves is documented and vice versa, and the answers the handlers
//! give carry documented statuses, media types and required fields.

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
            standing_publication::handle(
                &platform.publication,
                request("GET", "/v1/health/publication", "", None, &As::Anonymous),
            )
            .await,
        ),
        (
            "certificate",
            standing_certificate::handle(request(
                "GET",
                "/v1/health/certificate",
                "",
                None,
                &As::Anonymous,
            ))
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
