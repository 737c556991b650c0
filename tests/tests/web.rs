//! The browser front end's server side (issue 15): the company lookup the public search
//! uses (access pattern 60, no Scan), and the web function's pages, assets and
//! development sign-in. The pages themselves are driven in Chromium by
//! infra/local/browser_test.py.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use standing_e2e::*;
use standing_web::{App, Oidc, SignIn};

const ASSOC: &str = "nmg-security-association";

async fn search(p: &Platform, q: &str) -> (u16, Value) {
    let req = query_request("/v1/companies", &[("q", q)], &As::Anonymous);
    let r = standing_intake::handle(&p.intake, req).await;
    (status(&r), body_json(&r))
}

fn codes(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn companies_are_found_by_any_part_of_their_name_and_by_credit_code_and_renames_follow() {
    let p = Platform::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()).await;
    // A name unique to this run, so earlier runs' companies do not mix in.
    let tag: String = fresh_code().as_str()[10..16].to_owned();
    let name = format!("内蒙古{tag}慧眼安防（集团）有限公司");
    let code = p.register_company(&name).await;
    let other = p
        .register_company(&format!("北京{tag}消防科技有限公司"))
        .await;

    for q in [
        format!("{tag}慧眼"),
        "慧眼安防(集团)".to_owned(),
        format!("内蒙古{tag}"),
        format!("{tag}慧眼安防（集团）有限公司"),
    ] {
        let (s, b) = search(&p, &q).await;
        assert_eq!(s, 200, "{q}: {b}");
        assert!(codes(&b).contains(&code.as_str().to_owned()), "{q}: {b}");
        assert!(!codes(&b).contains(&other.as_str().to_owned()), "{q}: {b}");
        assert_eq!(b["by"], "name");
    }
    let (_, b) = search(&p, &format!("{tag}消防")).await;
    assert_eq!(codes(&b), [other.as_str()]);
    assert_eq!(
        b["results"][0]["name"],
        format!("北京{tag}消防科技有限公司")
    );

    // By credit code (lower case too): the registry record, one GetItem.
    let (s, b) = search(&p, &code.as_str().to_lowercase()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["by"], "code");
    assert_eq!(b["results"], json!([{"code": code.as_str(), "name": name}]));
    let (_, b) = search(&p, fresh_code().as_str()).await;
    assert_eq!(b["results"], json!([]));

    // Too short or too long: 422 on q, nothing read.
    for q in ["", "安", &"安".repeat(61)] {
        let (s, b) = search(&p, q).await;
        assert_eq!(s, 422, "{q:?}: {b}");
        assert_eq!(b["field"], "q");
    }

    // A rename approved by staff (change request): the new name is found, the old not.
    p.call_intake(
        "POST",
        &format!("/v1/organizations/{code}/memberships"),
        Some(json!({"since": "2019-01-01"})),
        &As::Staff(ASSOC),
    )
    .await;
    let new_name = format!("内蒙古{tag}明鉴科技股份有限公司");
    let (s, change) = p
        .call_intake(
            "POST",
            &format!("/v1/organizations/{code}/changes"),
            Some(json!({"kind": "ordinary", "changes": {"name": new_name},
                        "reason": "企业名称变更", "documents": ["变更通知书"]})),
            &As::Applicant(&code),
        )
        .await;
    assert_eq!(s, 201, "{change}");
    let (s, b) = p
        .call_intake(
            "POST",
            &format!("/v1/changes/{}/decision", change["id"].as_str().unwrap()),
            Some(json!({"approve": true, "note": "材料齐全"})),
            &As::Staff(ASSOC),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, b) = search(&p, &format!("{tag}明鉴")).await;
    assert_eq!(
        b["results"],
        json!([{"code": code.as_str(), "name": new_name}])
    );
    let (_, b) = search(&p, &format!("{tag}慧眼")).await;
    assert_eq!(b["results"], json!([]), "the old name's items are gone");
    let (_, b) = search(&p, code.as_str()).await;
    assert_eq!(b["results"][0]["name"], new_name);
}

fn dev_app() -> App {
    App {
        sign_in: SignIn::DevKey(DEV_SECRET.as_bytes().to_vec()),
    }
}

fn deployed_app() -> App {
    App {
        sign_in: SignIn::Oidc(Oidc {
            issuer: "https://login.example.cn".into(),
            client_id: "standing-web".into(),
            scope: "openid".into(),
            ..Oidc::default()
        }),
    }
}

async fn web(app: &App, method: &str, path: &str, body: Option<Value>) -> (u16, String, String) {
    let body = body.map(|b| b.to_string());
    let r = standing_web::handle(
        app,
        request(method, path, "", body.as_deref(), &As::Anonymous),
    )
    .await;
    (
        status(&r),
        content_type(&r),
        String::from_utf8_lossy(r.body().as_ref()).into_owned(),
    )
}

#[tokio::test]
async fn pages_are_chinese_html_with_their_own_assets_only() {
    let app = dev_app();
    for path in [
        "/",
        "/notices",
        "/companies/91150100MA0N7KXXXX",
        "/certificates/CG-2026-0000000000000000",
        "/evaluate/0123456789abcdef",
        "/awards/2024-c6",
        "/signin",
        "/portal",
        "/console",
    ] {
        let (s, ct, page) = web(&app, "GET", path, None).await;
        assert_eq!(s, 200, "{path}");
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(
            page.starts_with("<!doctype html><html lang=\"zh-CN\">"),
            "{path}"
        );
        assert_eq!(page.matches("<h1").count(), 1, "{path}: one heading");
        // Every script and style sheet comes from this function.
        for src in page
            .split("src=\"")
            .skip(1)
            .chain(page.split("href=\"").skip(1))
        {
            assert!(
                src.starts_with('/') || src.starts_with('#'),
                "{path}: {src}"
            );
        }
        for asset in ["/assets/site.css", "/assets/app.js"] {
            assert!(page.contains(asset), "{path}: {asset}");
        }
    }
    for (file, ct) in [
        ("site.css", "text/css"),
        ("app.js", "text/javascript"),
        ("public.js", "text/javascript"),
        ("signin.js", "text/javascript"),
        ("portal.js", "text/javascript"),
        ("console.js", "text/javascript"),
    ] {
        let (s, got, body) = web(&app, "GET", &format!("/assets/{file}"), None).await;
        assert_eq!(s, 200, "{file}");
        assert!(got.starts_with(ct), "{file}: {got}");
        assert!(!body.contains("http://") && !body.contains("cdn"), "{file}");
    }
    let (s, ct, _) = web(&app, "GET", "/assets/nothing.js", None).await;
    assert_eq!(s, 404);
    assert!(ct.starts_with("application/problem+json"), "{ct}");
    let (s, _, _) = web(&app, "POST", "/notices", None).await;
    assert_eq!(s, 405);
    // The issuers' data the footer and the notices show: every authority has a name and
    // a contact, and defaults say so.
    let data: Value = serde_json::from_str(standing_web::pages::AUTHORITIES).unwrap();
    for (id, a) in data["authorities"].as_object().unwrap() {
        assert!(a["name"].as_str().is_some_and(|n| !n.is_empty()), "{id}");
        assert!(a["contact"].as_str().is_some_and(|n| !n.is_empty()), "{id}");
        if a["default"] == true {
            assert!(a["contact"].as_str().unwrap().contains("默认"), "{id}");
        }
    }
}

#[tokio::test]
async fn development_tokens_only_with_the_development_key_and_they_verify() {
    let app = dev_app();
    let code = fresh_code();
    let (s, _, body) = web(
        &app,
        "POST",
        "/dev/token",
        Some(json!({"role": "applicant", "org_code": code.as_str()})),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    let token = serde_json::from_str::<Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // The API's own check accepts it as that company's account.
    let auth = standing_http::Authenticator::dev_key(DEV_SECRET.as_bytes()).unwrap();
    let mut event = event_json("GET", "/v1/schemes", "", None, None, &As::Anonymous);
    event["headers"]["authorization"] = json!(format!("Bearer {token}"));
    let req = lambda_http::request::from_str(&event.to_string()).unwrap();
    let caller = auth.principal(&req).unwrap();
    assert!(caller.may_read_registry(&code).is_ok(), "{caller:?}");

    for (bad, field) in [
        (
            json!({"role": "applicant", "org_code": "9115-0100"}),
            "org_code",
        ),
        (json!({"role": "staff", "authority": "a b"}), "authority"),
        (json!({"role": "root"}), "role"),
    ] {
        let (s, _, body) = web(&app, "POST", "/dev/token", Some(bad)).await;
        assert_eq!(s, 422, "{body}");
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap()["field"],
            field
        );
    }

    // Deployed (OpenID Connect): no development tokens, and the sign-in page carries the
    // issuer for the PKCE flow, not the development form's mode.
    let deployed = deployed_app();
    let (s, _, _) = web(
        &deployed,
        "POST",
        "/dev/token",
        Some(json!({"role": "staff", "authority": ASSOC})),
    )
    .await;
    assert_eq!(s, 404);
    let (_, _, page) = web(&deployed, "GET", "/signin", None).await;
    assert!(page.contains(r#""auth":"oidc""#), "{page}");
    assert!(page.contains("https://login.example.cn"));
    assert!(!page.contains("dev-form") && !page.contains("/dev/token"));
    let (_, _, page) = web(&dev_app(), "GET", "/signin", None).await;
    assert!(page.contains("dev-form"));
}

/// A new capability-grade draft of the company `me`. Returns its id.
async fn draft(p: &Platform, me: &As<'_>) -> String {
    let (s, draft) = p
        .call_intake(
            "POST",
            "/v1/applications",
            Some(json!({"scheme": "capability-grade"})),
            me,
        )
        .await;
    assert_eq!(s, 201, "{draft}");
    draft["id"].as_str().unwrap().to_owned()
}

/// Declare every article-9 condition with uploaded evidence (`equipment`: the material
/// already uploaded for has_equipment, else a new one) and one point item worth three
/// points: complete, so it submits, and far below grade 4's 40, so the review refuses it.
async fn declare_three_points(p: &Platform, me: &As<'_>, app: &str, equipment: Option<String>) {
    let mut facts = json!({
        "major_quality_accident_2y": {"value": false},
        "bad_conduct_record": {"value": false},
    });
    for f in [
        "has_equipment",
        "has_management_systems",
        "staff_trained",
        "projects_inspected_accepted",
        "industry_contribution",
    ] {
        let m = match (f, &equipment) {
            ("has_equipment", Some(m)) => m.clone(),
            _ => p.upload(me, app, f).await,
        };
        facts[f] = json!({"value": true, "evidence": [m]});
    }
    let m = p.upload(me, app, "social.honours").await;
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(json!({"facts": facts,
                "items": [{"item": "social.honours", "quantity": 1, "evidence": [m]}]})),
            me,
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn a_rejected_application_is_copied_into_a_new_draft_without_its_evidence() {
    let p = Platform::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()).await;
    let code = p.register_member(ASSOC).await;
    let me = As::Applicant(&code);
    let app = draft(&p, &me).await;
    declare_three_points(&p, &me, &app, None).await;
    let copy = format!("/v1/applications/{app}/copy");
    // Only a rejected application is copied.
    let (s, b) = p.call_intake("POST", &copy, None, &me).await;
    assert_eq!(s, 409, "{b}");
    let (s, b) = p.submit(&me, &app, &format!("submit-{app}")).await;
    assert_eq!(s, 202, "{b}");
    p.run_reviews().await;
    p.confirm_pending_checks(&app, ASSOC, "现场核验符合").await;
    let (_, a) = p
        .call_intake("GET", &format!("/v1/applications/{app}"), None, &me)
        .await;
    assert_eq!(a["status"], "rejected", "{a}");

    // Another company: as if it did not exist; nothing written.
    let other = fresh_code();
    let (s, _) = p
        .call_intake("POST", &copy, None, &As::Applicant(&other))
        .await;
    assert_eq!(s, 404);

    let (s, b) = p.call_intake("POST", &copy, None, &me).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["status"], "draft");
    assert_ne!(b["id"], app.as_str());
    assert_eq!(b["scheme"], "capability-grade");
    assert_eq!(b["facts"]["has_equipment"]["value"]["value"], true);
    assert_eq!(b["facts"]["has_equipment"]["evidence"], json!([]));
    assert_eq!(b["facts"]["bad_conduct_record"]["value"]["value"], false);
    assert_eq!(b["items"][0]["item"], "social.honours");
    assert_eq!(b["items"][0]["evidence"], json!([]));
    assert_eq!(b["materials"], json!([]));
    assert!(
        b["history"][0]["note"]
            .as_str()
            .is_some_and(|n| n.contains(&app)),
        "{b}"
    );
    // The rejected application is left as it was.
    let (_, again) = p
        .call_intake("GET", &format!("/v1/applications/{app}"), None, &me)
        .await;
    assert_eq!(again["version"], a["version"]);
}

#[tokio::test]
async fn a_material_is_removed_from_a_draft_with_its_object_and_every_reference() {
    let p = Platform::at(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()).await;
    let code = p.register_member(ASSOC).await;
    let me = As::Applicant(&code);
    let app = draft(&p, &me).await;
    let wrong = p.upload(&me, &app, "has_equipment").await;
    let right = p.upload(&me, &app, "has_equipment").await;
    let (s, b) = p
        .call_intake(
            "PUT",
            &format!("/v1/applications/{app}/declaration"),
            Some(json!({"facts": {"has_equipment": {"value": true, "evidence": [wrong, right]}}})),
            &me,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, before) = p
        .call_intake("GET", &format!("/v1/applications/{app}"), None, &me)
        .await;
    let key_of = |a: &Value, id: &str| {
        a["materials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .map(|m| m["key"].as_str().unwrap().to_owned())
    };
    let key = key_of(&before, &wrong).unwrap();
    let objects = p.clients.objects();
    let bucket = &p.clients.config.materials_bucket;
    assert!(objects.size(bucket, &key).await.unwrap().is_some());
    let path = format!("/v1/applications/{app}/materials/{wrong}");

    // Refusals change nothing: no token, another company (as if there were no such
    // application), staff of another authority, an unknown material.
    let other = fresh_code();
    for (who, status) in [
        (As::Anonymous, 401),
        (As::Applicant(&other), 404),
        (As::Staff("bj-security-association"), 403),
    ] {
        let (s, b) = p.call_intake("DELETE", &path, None, &who).await;
        assert_eq!(s, status, "{b}");
    }
    let (s, b) = p
        .call_intake(
            "DELETE",
            &format!("/v1/applications/{app}/materials/01JXXXXXXXXXXXXXXXXXXXXXXX"),
            None,
            &me,
        )
        .await;
    assert_eq!(s, 404, "{b}");
    let (_, same) = p
        .call_intake("GET", &format!("/v1/applications/{app}"), None, &me)
        .await;
    assert_eq!(same["version"], before["version"]);
    assert!(objects.size(bucket, &key).await.unwrap().is_some());

    // The company removes the wrong file: gone from the materials, from the fact's
    // evidence and from storage; the other file stays.
    let (s, after) = p.call_intake("DELETE", &path, None, &me).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(key_of(&after, &wrong), None);
    assert!(key_of(&after, &right).is_some());
    assert_eq!(
        after["facts"]["has_equipment"]["evidence"],
        json!([right.clone()])
    );
    assert_eq!(
        after["version"].as_u64().unwrap(),
        before["version"].as_u64().unwrap() + 1
    );
    assert_eq!(objects.size(bucket, &key).await.unwrap(), None);
    // Twice: it is not there any more.
    let (s, _) = p.call_intake("DELETE", &path, None, &me).await;
    assert_eq!(s, 404);

    // Once submitted, materials are part of the record: 409, nothing changes.
    declare_three_points(&p, &me, &app, Some(right.clone())).await;
    let (s, b) = p.submit(&me, &app, &format!("submit-{app}")).await;
    assert_eq!(s, 202, "{b}");
    let (s, b) = p
        .call_intake(
            "DELETE",
            &format!("/v1/applications/{app}/materials/{right}"),
            None,
            &me,
        )
        .await;
    assert_eq!(s, 409, "{b}");
    let key = key_of(&after, &right).unwrap();
    assert!(objects.size(bucket, &key).await.unwrap().is_some());
}

#[tokio::test]
async fn assets_are_gzipped_for_browsers_that_accept_it_and_text_for_the_others() {
    use std::io::Read;
    let app = dev_app();
    let get = |encoding: Option<&str>| {
        let mut event = event_json("GET", "/assets/portal.js", "", None, None, &As::Anonymous);
        if let Some(e) = encoding {
            event["headers"]["accept-encoding"] = json!(e);
        }
        lambda_http::request::from_str(&event.to_string()).unwrap()
    };
    let (_, _, text) = standing_web::ASSETS
        .iter()
        .find(|(n, ..)| *n == "portal.js")
        .copied()
        .map(|(n, t, s, _)| (n, t, s))
        .unwrap();
    for accept in ["gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.8", "*"] {
        let r = standing_web::handle(&app, get(Some(accept))).await;
        assert_eq!(status(&r), 200);
        assert_eq!(r.headers()["content-encoding"], "gzip", "{accept}");
        assert_eq!(r.headers()["vary"], "Accept-Encoding");
        let zipped: &[u8] = r.body().as_ref();
        assert!(
            zipped.len() * 3 < text.len(),
            "{} of {}",
            zipped.len(),
            text.len()
        );
        let mut plain = String::new();
        flate2::read::GzDecoder::new(zipped)
            .read_to_string(&mut plain)
            .unwrap();
        assert_eq!(plain, text);
    }
    for accept in [None, Some("identity"), Some("gzip;q=0"), Some("br")] {
        let r = standing_web::handle(&app, get(accept)).await;
        assert_eq!(status(&r), 200);
        assert!(r.headers().get("content-encoding").is_none(), "{accept:?}");
        assert_eq!(r.body().as_ref(), text.as_bytes());
    }
}
