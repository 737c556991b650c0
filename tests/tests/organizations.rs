//! The organizations API end to end: API Gateway v2 events into the intake handler,
//! stored in DynamoDB on the local endpoint.

use chrono::{TimeZone, Utc};
use serde_json::json;
use standing_aws::keys;
use standing_domain::ids::CreditCode;
use standing_domain::store::OrganizationStore;
use standing_e2e::*;
use standing_intake::{App, handle};
use std::sync::Arc;

const ASSOC: &str = "nmg-security-association";
const POST_ROUTE: &str = "POST /v1/organizations";
const GET_ROUTE: &str = "GET /v1/organizations/{code}";

type IntakeApp = App<Arc<Recorded>>;

async fn app() -> IntakeApp {
    Platform::at(Utc.with_ymd_and_hms(2026, 11, 23, 4, 0, 0).unwrap())
        .await
        .intake
}

fn registration(code: &CreditCode) -> serde_json::Value {
    json!({
        "code": code.as_str(),
        "name": "内蒙古安全防范技术有限公司",
        "address": "呼和浩特市新城区新华大街1号",
        "legal_representative": {"name": "张三", "id_number": "11010519491231002X"},
        "contact": {"name": "李四", "phone": "0471-1234567", "email": "li@example.cn"},
        "established_on": "2015-03-02"
    })
}

async fn post(
    app: &IntakeApp,
    body: &str,
    who: &As<'_>,
) -> lambda_http::Response<lambda_http::Body> {
    handle(
        app,
        request("POST", "/v1/organizations", POST_ROUTE, Some(body), who),
    )
    .await
}

async fn get(
    app: &IntakeApp,
    code: &str,
    who: &As<'_>,
) -> lambda_http::Response<lambda_http::Body> {
    let path = format!("/v1/organizations/{code}");
    handle(app, request("GET", &path, GET_ROUTE, None, who)).await
}

/// Nothing stored under the code: no profile and no audit event.
async fn assert_nothing_written(app: &IntakeApp, code: &CreditCode) {
    assert_eq!(
        app.store.get_organization(code).await.unwrap(),
        None,
        "no organization for {code}"
    );
    let trail = app
        .store
        .audit_trail(keys::org_pk(code.as_str()))
        .await
        .unwrap();
    assert!(trail.is_empty(), "no audit events for {code}: {trail:?}");
}

fn assert_problem(r: &lambda_http::Response<lambda_http::Body>, status: u16) -> serde_json::Value {
    assert_eq!(standing_e2e::status(r), status, "{:?}", body_json(r));
    assert!(
        content_type(r).starts_with("application/problem+json"),
        "{}",
        content_type(r)
    );
    let p = body_json(r);
    assert_eq!(p["status"], status);
    assert!(p["type"].as_str().unwrap().starts_with("https://"));
    assert!(!p["title"].as_str().unwrap().is_empty());
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "Chinese detail: {p}"
    );
    p
}

#[tokio::test]
async fn register_then_read_back_with_audit_event() {
    let app = app().await;
    let code = fresh_code();
    let r = post(
        &app,
        &registration(&code).to_string(),
        &As::Applicant(&code),
    )
    .await;
    assert_eq!(status(&r), 201, "{:?}", body_json(&r));
    assert_eq!(
        r.headers()["location"],
        format!("/v1/organizations/{code}").as_str()
    );
    let created = body_json(&r);
    assert_eq!(created["code"], code.as_str());
    assert_eq!(
        created["legal_representative"]["id_number_masked"],
        "110105********002X"
    );
    assert!(
        !created.to_string().contains("11010519491231002X"),
        "the clear ID number is never stored or returned"
    );

    let r = get(&app, code.as_str(), &As::Applicant(&code)).await;
    assert_eq!(status(&r), 200);
    assert_eq!(body_json(&r), created);

    let trail = app
        .store
        .audit_trail(keys::org_pk(code.as_str()))
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "organization.registered");
    assert_eq!(trail[0].actor.role, "applicant");
    assert_eq!(trail[0].before, None);

    // Staff read the company once their authority deals with it (here: keeps its
    // membership record); until then it is not theirs to read.
    assert_problem(&get(&app, code.as_str(), &As::Staff(ASSOC)).await, 403);
    add_membership(&app, &code).await;
    let r = get(&app, code.as_str(), &As::Staff(ASSOC)).await;
    assert_eq!(status(&r), 200);
    assert_eq!(trail[0].after.as_ref().unwrap()["code"], code.as_str());
}

#[tokio::test]
async fn duplicate_code_is_409_and_the_first_record_stands() {
    let app = app().await;
    let code = fresh_code();
    assert_eq!(
        status(&post(&app, &registration(&code).to_string(), &As::Staff(ASSOC)).await),
        201
    );
    let mut second = registration(&code);
    second["name"] = json!("另一家公司");
    let p = assert_problem(
        &post(&app, &second.to_string(), &As::Staff(ASSOC)).await,
        409,
    );
    assert_eq!(p["field"], "code");
    let stored = app.store.get_organization(&code).await.unwrap().unwrap();
    assert_eq!(stored.name, "内蒙古安全防范技术有限公司");
    assert_eq!(
        app.store
            .audit_trail(keys::org_pk(code.as_str()))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn each_kind_of_bad_input_is_4xx_problem_and_writes_nothing() {
    let app = app().await;
    let staff = As::Staff(ASSOC);

    // Invalid credit code: one character changed.
    let code = fresh_code();
    let mut bad = code.as_str().to_owned();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let mut body = registration(&code);
    body["code"] = json!(bad);
    let p = assert_problem(&post(&app, &body.to_string(), &staff).await, 422);
    assert_eq!(p["field"], "code");
    assert_nothing_written(&app, &CreditCode::parse_legacy(&bad).unwrap()).await;

    // Each missing field.
    for field in [
        "code",
        "name",
        "address",
        "legal_representative",
        "contact",
        "established_on",
    ] {
        let code = fresh_code();
        let mut body = registration(&code);
        body.as_object_mut().unwrap().remove(field);
        let p = assert_problem(&post(&app, &body.to_string(), &staff).await, 422);
        assert_eq!(p["field"], field);
        assert_nothing_written(&app, &code).await;
    }

    // Wrong types, nested paths named.
    for (path, value, field) in [
        ("name", json!(42), "name"),
        ("established_on", json!("02/03/2015"), "established_on"),
        ("memberships", json!("all of them"), "memberships"),
        ("contact", json!(["x"]), "contact"),
    ] {
        let code = fresh_code();
        let mut body = registration(&code);
        body[path] = value;
        let p = assert_problem(&post(&app, &body.to_string(), &staff).await, 422);
        assert_eq!(p["field"], field);
        assert_nothing_written(&app, &code).await;
    }
    // Memberships are the association's records, never declared at registration.
    let code = fresh_code();
    let mut body = registration(&code);
    body["memberships"] = json!([{"association": ASSOC, "since": "2019-01-01"}]);
    let p = assert_problem(&post(&app, &body.to_string(), &staff).await, 422);
    assert_eq!(p["field"], "memberships");
    assert_nothing_written(&app, &code).await;

    // Unknown field.
    let code = fresh_code();
    let mut body = registration(&code);
    body["grade"] = json!(1);
    assert_eq!(
        assert_problem(&post(&app, &body.to_string(), &staff).await, 422)["field"],
        "grade"
    );
    assert_nothing_written(&app, &code).await;

    // Not JSON, not an object, empty, wrong media type, oversized.
    let code = fresh_code();
    let text = registration(&code).to_string();
    assert_problem(&post(&app, text.trim_end_matches('}'), &staff).await, 400);
    assert_problem(&post(&app, "[1, 2]", &staff).await, 422);
    assert_problem(&post(&app, "", &staff).await, 400);
    let form = handle(
        &app,
        request_with_type(
            "POST",
            "/v1/organizations",
            POST_ROUTE,
            Some(&text),
            Some("text/plain"),
            &staff,
        ),
    )
    .await;
    assert_problem(&form, 415);
    let mut huge = registration(&code);
    huge["address"] = json!("很".repeat(20_000));
    assert_problem(&post(&app, &huge.to_string(), &staff).await, 413);
    assert_nothing_written(&app, &code).await;

    // Malformed code in the path.
    assert_eq!(
        assert_problem(&get(&app, "NOT-A-CODE", &staff).await, 422)["field"],
        "code"
    );
    // Unknown company.
    assert_problem(&get(&app, fresh_code().as_str(), &staff).await, 404);
}

#[tokio::test]
async fn auth_matrix_for_every_route() {
    let app = app().await;
    let code = fresh_code();
    let other = fresh_code();
    let body = registration(&code).to_string();

    // POST /v1/organizations
    for who in [As::Anonymous, As::Forged, As::Expired] {
        assert_problem(&post(&app, &body, &who).await, 401);
    }
    for who in [As::Expert, As::Applicant(&other)] {
        assert_problem(&post(&app, &body, &who).await, 403);
    }
    assert_nothing_written(&app, &code).await;
    assert_eq!(status(&post(&app, &body, &As::Applicant(&code)).await), 201);

    // GET /v1/organizations/{code}
    for who in [As::Anonymous, As::Forged, As::Expired] {
        let r = get(&app, code.as_str(), &who).await;
        assert_problem(&r, 401);
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
    }
    for who in [As::Expert, As::Applicant(&other)] {
        assert_problem(&get(&app, code.as_str(), &who).await, 403);
    }
    assert_eq!(
        status(&get(&app, code.as_str(), &As::Applicant(&code)).await),
        200
    );
    // Staff of an authority with no dealings with the company: 403.
    for who in [As::Staff(ASSOC), As::Staff("another-authority")] {
        assert_problem(&get(&app, code.as_str(), &who).await, 403);
    }
    add_membership(&app, &code).await;
    assert_eq!(
        status(&get(&app, code.as_str(), &As::Staff(ASSOC)).await),
        200
    );
    assert_problem(
        &get(&app, code.as_str(), &As::Staff("another-authority")).await,
        403,
    );
}

/// The association records the company's membership.
async fn add_membership(app: &IntakeApp, code: &CreditCode) {
    let path = format!("/v1/organizations/{code}/memberships");
    let r = handle(
        app,
        request(
            "POST",
            &path,
            "",
            Some(r#"{"since":"2019-01-01"}"#),
            &As::Staff(ASSOC),
        ),
    )
    .await;
    assert_eq!(status(&r), 201, "{}", body_json(&r));
}

#[tokio::test]
async fn legacy_codes_are_registered_only_by_staff_and_flagged() {
    let app = app().await;
    let good = fresh_code();
    let wrong = if good.as_str().ends_with('0') {
        '1'
    } else {
        '0'
    };
    let legacy = CreditCode::parse_legacy(&format!("{}{wrong}", &good.as_str()[..17])).unwrap();
    let mut body = registration(&legacy);
    body["legacy_code"] = json!(true);
    assert_problem(
        &post(&app, &body.to_string(), &As::Applicant(&legacy)).await,
        403,
    );
    assert_nothing_written(&app, &legacy).await;
    let r = post(&app, &body.to_string(), &As::Staff(ASSOC)).await;
    assert_eq!(status(&r), 201, "{:?}", body_json(&r));
    assert_eq!(body_json(&r)["code_checksum_valid"], false);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let app = app().await;
    assert_problem(
        &handle(
            &app,
            request("GET", "/v1/nothing", "$default", None, &As::Anonymous),
        )
        .await,
        404,
    );
    let r = handle(
        &app,
        request(
            "DELETE",
            "/v1/organizations/91110108551385082Q",
            "$default",
            None,
            &As::Staff(ASSOC),
        ),
    )
    .await;
    assert_problem(&r, 405);
    assert_eq!(r.headers()["allow"], "GET");
    let r = handle(
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
    assert_eq!(status(&r), 200);
}
