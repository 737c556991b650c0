//! Certificates end to end on the local stack (moto): rendering through the function's
//! event handler into S3, signatures checked against the published keys, presigned
//! downloads, public verification through reissue, revocation and expiry, and refusals
//! that change nothing.

mod cert_common;

use cert_common::*;
use chrono::{Duration, NaiveDate};
use lambda_runtime::{Context, LambdaEvent};
use serde_json::{Value, json};
use standing_certificate::event::{handle_event, run_job};
use standing_certificate::store::CertStore;
use standing_certificate::{Rendering, handle};
use standing_certificate_pdf::{CertificateFields, PublicKey, Signature, canonical_json, verify};
use standing_domain::certificate::CertificateRecord;
use standing_domain::dispatch::Job;
use standing_e2e::*;
use std::process::Command;

const COMPANY: &str = "呼和浩特市青城智能安防工程有限公司";

fn route_of(method: &str, path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let templ = match parts.as_slice() {
        ["", "v1", "certificates", _] => "/v1/certificates/{serial}".to_owned(),
        ["", "v1", "certificates", _, last] => format!("/v1/certificates/{{serial}}/{last}"),
        ["", "v1", "organizations", _, "certificates"] => {
            "/v1/organizations/{code}/certificates".to_owned()
        }
        _ => path.to_owned(),
    };
    format!("{method} {templ}")
}

async fn get<S: CertStore>(
    app: &TestApp<S>,
    path: &str,
    who: &As<'_>,
) -> lambda_http::Response<lambda_http::Body> {
    handle(app, request("GET", path, &route_of("GET", path), None, who)).await
}

async fn post<S: CertStore>(
    app: &TestApp<S>,
    path: &str,
    body: &Value,
    who: &As<'_>,
) -> lambda_http::Response<lambda_http::Body> {
    let body = body.to_string();
    handle(
        app,
        request("POST", path, &route_of("POST", path), Some(&body), who),
    )
    .await
}

/// Invoke the function's entry point with a raw payload, as Lambda would.
async fn invoke<S: CertStore>(
    app: &TestApp<S>,
    payload: &Value,
) -> Result<Value, lambda_runtime::Error> {
    let raw = serde_json::value::to_raw_value(payload).unwrap();
    handle_event(app, LambdaEvent::new(raw, Context::default())).await
}

/// Run the render jobs the handlers asked for, the way Lambda's event queue would.
async fn run_recorded<S: CertStore>(app: &TestApp<S>) -> Vec<Job> {
    let jobs = app.dispatch.take();
    for job in &jobs {
        run_job(app, job.clone(), "test").await.unwrap();
    }
    jobs
}

async fn object_versions(clients: &standing_aws::Clients, key: &str) -> usize {
    let out = clients
        .s3()
        .list_object_versions()
        .bucket(&clients.config.certificates_bucket)
        .prefix(key)
        .send()
        .await
        .unwrap();
    out.versions()
        .iter()
        .filter(|v| v.key() == Some(key))
        .count()
}

fn render_event(record: &CertificateRecord) -> Value {
    json!({"job": "render", "serial": record.serial, "version": record.version})
}

#[tokio::test]
async fn render_event_writes_a_signed_pdf_with_company_grade_serial_and_qr() {
    let (app, clients, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let out = invoke(&app, &render_event(&record)).await.unwrap();
    assert_eq!(out["status"], "rendered");
    let key = format!("certificates/{}/v1.pdf", record.serial);
    assert_eq!(out["key"], key.as_str());

    let pdf = s3_bytes(&clients, &key).await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(out["bytes"], pdf.len() as u64);
    let text = pdf_text(&pdf);
    for want in [COMPANY, "二级", record.serial.as_str(), "服务能力等级证书"] {
        assert!(text.contains(want), "{want} not in the PDF text: {text}");
    }
    assert_eq!(
        qr_of(&pdf),
        format!("{BASE_URL}/v1/certificates/{}/verify", record.serial)
    );
    let head = clients
        .s3()
        .head_object()
        .bucket(&clients.config.certificates_bucket)
        .key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.server_side_encryption().map(|s| s.as_str()),
        Some("AES256")
    );
    assert_eq!(head.content_type(), Some("application/pdf"));

    let loaded = standing_certificate::load(&app.store, &record.serial)
        .await
        .unwrap()
        .unwrap();
    let rendering: &Rendering = loaded.current().expect("a rendering item for version 1");
    assert_eq!(rendering.bytes, pdf.len() as u64);
    assert_eq!(rendering.key_id, app.signing.key_id);
    assert_eq!(rendering.template, "certificate");
    let trail = app
        .store
        .audit_trail(standing_aws::keys::cert_pk(&record.serial))
        .await
        .unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "certificate.rendered")
            .count(),
        1
    );
}

#[tokio::test]
async fn rendering_the_same_version_again_writes_nothing() {
    let (app, clients, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let key = format!("certificates/{}/v1.pdf", record.serial);
    assert_eq!(
        invoke(&app, &render_event(&record)).await.unwrap()["status"],
        "rendered"
    );
    let first = s3_bytes(&clients, &key).await;
    for _ in 0..2 {
        assert_eq!(
            invoke(&app, &render_event(&record)).await.unwrap()["status"],
            "already-rendered"
        );
    }
    assert_eq!(object_versions(&clients, &key).await, 1);
    assert_eq!(s3_bytes(&clients, &key).await, first);
    let trail = app
        .store
        .audit_trail(standing_aws::keys::cert_pk(&record.serial))
        .await
        .unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "certificate.rendered")
            .count(),
        1
    );
}

#[tokio::test]
async fn failed_renders_are_errors_so_lambda_retries_them() {
    let (app, _, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let unknown = standing_domain::certificate::new_serial("NMGAF", record.issued_on);
    assert!(
        invoke(
            &app,
            &json!({"job": "render", "serial": unknown, "version": 1})
        )
        .await
        .is_err()
    );
    // A version the record has not reached yet.
    assert!(
        invoke(
            &app,
            &json!({"job": "render", "serial": record.serial, "version": 7})
        )
        .await
        .is_err()
    );
    // A job for another function.
    assert!(
        invoke(&app, &json!({"job": "sweep-notices"}))
            .await
            .is_err()
    );
    assert!(
        standing_certificate::load(&app.store, &record.serial)
            .await
            .unwrap()
            .unwrap()
            .renderings
            .is_empty()
    );
}

#[tokio::test]
async fn http_events_go_through_the_same_entry_point() {
    let (app, _, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let path = format!("/v1/certificates/{}", record.serial);
    let event = event_json(
        "GET",
        &path,
        "GET /v1/certificates/{serial}",
        None,
        None,
        &As::Anonymous,
    );
    let out = invoke(&app, &event).await.unwrap();
    assert_eq!(out["statusCode"], 200);
    assert!(
        out["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["serial"], record.serial.as_str());
    assert_eq!(body["status"], "valid");
}

#[tokio::test]
async fn the_signature_from_the_json_endpoint_verifies_against_the_published_key() {
    let (app, _, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let path = format!("/v1/certificates/{}", record.serial);
    // Not rendered yet: the facts, no signature.
    let r = get(&app, &path, &As::Anonymous).await;
    assert_eq!(status(&r), 200);
    assert!(body_json(&r)["signed"].is_null());

    invoke(&app, &render_event(&record)).await.unwrap();
    let r = get(&app, &path, &As::Anonymous).await;
    assert_eq!(status(&r), 200);
    let body = body_json(&r);
    assert_eq!(body["company_name"], COMPANY);
    assert_eq!(body["status"], "valid");
    let signed = &body["signed"];
    assert_eq!(signed["alg"], "EdDSA");
    let fields: CertificateFields = serde_json::from_value(signed["fields"].clone()).unwrap();
    assert_eq!(
        signed["canonical"].as_str().unwrap().as_bytes(),
        canonical_json(&fields).as_slice()
    );
    let signature = Signature::from_base64url(signed["signature"].as_str().unwrap()).unwrap();

    let keys = get(
        &app,
        "/.well-known/standing-certificate-keys.json",
        &As::Anonymous,
    )
    .await;
    assert_eq!(status(&keys), 200);
    let jwks = body_json(&keys);
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == signed["key_id"])
        .expect("the key id of the signature is published");
    assert_eq!(jwk["kty"], "OKP");
    assert_eq!(jwk["crv"], "Ed25519");
    let key = PublicKey::from_str_any(jwk["x"].as_str().unwrap()).unwrap();
    assert_eq!(key.key_id(), jwk["kid"].as_str().unwrap());
    assert!(verify(&fields, &signature, &key));

    for change in [
        |f: &mut CertificateFields| f.company_name.push('甲'),
        |f: &mut CertificateFields| f.level_label = "一级".into(),
        |f: &mut CertificateFields| f.valid_until += Duration::days(1),
        |f: &mut CertificateFields| f.version += 1,
    ] {
        let mut changed = fields.clone();
        change(&mut changed);
        assert!(!verify(&changed, &signature, &key));
    }
}

#[tokio::test]
async fn download_renders_on_the_spot_and_redirects_to_a_presigned_url_with_the_chinese_name() {
    let (app, clients, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let path = format!("/v1/certificates/{}/pdf", record.serial);
    // Not rendered yet: the download renders version 1 first.
    let r = get(&app, &path, &As::Applicant(&record.org)).await;
    assert_eq!(status(&r), 302, "{}", body_text(&r));
    let location = header(&r, "location");
    assert_eq!(body_json(&r)["url"], location.as_str());
    assert_eq!(body_json(&r)["expires_in_seconds"], 300);
    assert!(location.contains("X-Amz-Expires=300"), "{location}");
    let key = format!("certificates/{}/v1.pdf", record.serial);
    let stored = s3_bytes(&clients, &key).await;

    // Follow the presigned URL with a plain HTTP GET (moto does not check signatures or
    // expiry: this proves the URL's target and response headers, not its signature).
    let dir = scratch("download");
    let out = Command::new("curl")
        .args(["-sS", "--fail", "-D"])
        .arg(dir.join("headers"))
        .arg("-o")
        .arg(dir.join("body"))
        .arg(&location)
        .status()
        .expect("curl is installed");
    assert!(out.success());
    let downloaded = std::fs::read(dir.join("body")).unwrap();
    let headers = std::fs::read_to_string(dir.join("headers")).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(downloaded, stored);
    let disposition = headers
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-disposition")
                .then(|| v.trim().to_owned())
        })
        .expect("a Content-Disposition header");
    assert!(
        disposition.starts_with(&format!(
            "attachment; filename=\"certificate-{}.pdf\"; filename*=UTF-8''",
            record.serial
        )),
        "{disposition}"
    );
    let encoded = disposition.split("UTF-8''").nth(1).unwrap();
    let name = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .unwrap();
    assert_eq!(
        name,
        format!("{COMPANY}-服务能力等级证书-{}.pdf", record.serial)
    );

    // Staff of the issuing authority may download too; nothing is rendered twice.
    let r = get(&app, &path, &As::Staff(AUTHORITY)).await;
    assert_eq!(status(&r), 302);
    assert_eq!(object_versions(&clients, &key).await, 1);
}

#[tokio::test]
async fn others_may_not_download_or_revoke_and_nothing_changes() {
    let (app, clients, _) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let other = fresh_code();
    let pdf = format!("/v1/certificates/{}/pdf", record.serial);
    for (who, want) in [
        (As::Anonymous, 401),
        (As::Forged, 401),
        (As::Expired, 401),
        (As::Applicant(&other), 403),
        (As::Expert, 403),
        (As::Staff("jiaozuo-housing-bureau"), 403),
    ] {
        let r = get(&app, &pdf, &who).await;
        assert_eq!(status(&r), want, "{}", body_text(&r));
        assert!(content_type(&r).starts_with("application/problem+json"));
    }
    let revoke = format!("/v1/certificates/{}/revoke", record.serial);
    let body = json!({"ground": "R5-falsified", "reason": "申报材料弄虚作假"});
    for (who, want) in [
        (As::Anonymous, 401),
        (As::Applicant(&record.org), 403),
        (As::Expert, 403),
        (As::Staff("jiaozuo-housing-bureau"), 403),
    ] {
        let r = post(&app, &revoke, &body, &who).await;
        assert_eq!(status(&r), want, "{}", body_text(&r));
        assert!(content_type(&r).starts_with("application/problem+json"));
    }
    let reissue = format!("/v1/certificates/{}/reissue", record.serial);
    for (who, want) in [
        (As::Anonymous, 401),
        (As::Applicant(&other), 403),
        (As::Expert, 403),
        (As::Staff("jiaozuo-housing-bureau"), 403),
    ] {
        let r = post(&app, &reissue, &json!({"reason": "证书遗失"}), &who).await;
        assert_eq!(status(&r), want, "{}", body_text(&r));
    }
    let loaded = standing_certificate::load(&app.store, &record.serial)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.record, record);
    assert!(loaded.renderings.is_empty());
    assert!(app.dispatch.take().is_empty());
    assert!(
        app.store
            .bans_of(&record.org, "capability-grade")
            .await
            .unwrap()
            .is_empty()
    );
    let key = format!("certificates/{}/v1.pdf", record.serial);
    assert_eq!(object_versions(&clients, &key).await, 0);
    let trail = app
        .store
        .audit_trail(standing_aws::keys::cert_pk(&record.serial))
        .await
        .unwrap();
    assert_eq!(trail.len(), 1, "only the issue event");
}

#[tokio::test]
async fn reissue_supersedes_the_old_certificate_and_both_verify_correctly() {
    let (app, clients, clock) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    clock.advance(Duration::days(35));
    let r = post(
        &app,
        &format!("/v1/certificates/{}/reissue", record.serial),
        &json!({"reason": "证书遗失", "version": 1}),
        &As::Applicant(&record.org),
    )
    .await;
    assert_eq!(status(&r), 201, "{}", body_text(&r));
    let body = body_json(&r);
    let new_serial = body["certificate"]["serial"].as_str().unwrap().to_owned();
    assert_ne!(new_serial, record.serial);
    assert!(new_serial.starts_with("NMGAF-2027-"), "{new_serial}");
    assert_eq!(
        header(&r, "location"),
        format!("/v1/certificates/{new_serial}")
    );
    assert_eq!(body["superseded"]["status"], "superseded");
    let jobs = run_recorded(&app).await;
    assert_eq!(
        jobs,
        vec![
            Job::Render {
                serial: new_serial.clone(),
                version: 1
            },
            Job::Render {
                serial: record.serial.clone(),
                version: 2
            },
        ]
    );

    // Old: superseded, with a link to its successor, on the page and in JSON.
    let old_page = get(
        &app,
        &format!("/v1/certificates/{}/verify", record.serial),
        &As::Anonymous,
    )
    .await;
    assert_eq!(status(&old_page), 200);
    assert!(content_type(&old_page).starts_with("text/html"));
    let html = body_text(&old_page);
    assert!(html.contains("证书已作废"), "{html}");
    assert!(html.contains(&format!("href=\"/v1/certificates/{new_serial}/verify\"")));
    let old_json = body_json(
        &get(
            &app,
            &format!("/v1/certificates/{}", record.serial),
            &As::Anonymous,
        )
        .await,
    );
    assert_eq!(old_json["status"], "superseded");
    assert_eq!(old_json["superseded_by"], new_serial.as_str());
    assert_eq!(old_json["version"], 2);
    assert_eq!(old_json["signed"]["fields"]["version"], 2);

    // New: valid, names the one it replaces; its PDF has no stamp, the old one has.
    let new_page = body_text(
        &get(
            &app,
            &format!("/v1/certificates/{new_serial}/verify"),
            &As::Anonymous,
        )
        .await,
    );
    assert!(new_page.contains("证书有效"), "{new_page}");
    assert!(new_page.contains(&record.serial));
    let new_pdf = pdf_text(&s3_bytes(&clients, &format!("certificates/{new_serial}/v1.pdf")).await);
    assert!(new_pdf.contains(&new_serial) && !new_pdf.contains("已被补发证书取代"));
    let old_pdf =
        pdf_text(&s3_bytes(&clients, &format!("certificates/{}/v2.pdf", record.serial)).await);
    assert!(old_pdf.contains("已被补发证书取代"), "{old_pdf}");
    assert!(old_pdf.contains(&new_serial));

    // The old one cannot be reissued again (409), and a stale version is refused (409):
    // neither changes anything.
    let again = post(
        &app,
        &format!("/v1/certificates/{}/reissue", record.serial),
        &json!({"reason": "再次遗失"}),
        &As::Applicant(&record.org),
    )
    .await;
    assert_eq!(status(&again), 409);
    let stale = post(
        &app,
        &format!("/v1/certificates/{new_serial}/reissue"),
        &json!({"reason": "证书遗失", "version": 3}),
        &As::Staff(AUTHORITY),
    )
    .await;
    assert_eq!(status(&stale), 409);
    assert_eq!(body_json(&stale)["field"], "version");
    assert!(app.dispatch.take().is_empty());
    let new_record = app
        .store
        .get_certificate(&new_serial)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(new_record.version, 1);
    assert_eq!(new_record.replaces.as_deref(), Some(record.serial.as_str()));
    assert_eq!(new_record.reissue_reason.as_deref(), Some("证书遗失"));

    // The company's public list shows both, as public views only.
    let list = get(
        &app,
        &format!("/v1/organizations/{}/certificates", record.org),
        &As::Anonymous,
    )
    .await;
    assert_eq!(status(&list), 200);
    let list = body_json(&list);
    let certs = list["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 2);
    for c in certs {
        assert!(c.get("application_id").is_none() && c.get("reissue_reason").is_none());
    }
}

#[tokio::test]
async fn revocation_records_the_ground_bans_for_two_years_and_shows_revoked() {
    let (app, clients, clock) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    clock.advance(Duration::days(10));
    let path = format!("/v1/certificates/{}/revoke", record.serial);
    // Bad input: 4xx, nothing changes.
    for (body, want, field) in [
        (
            json!({"ground": "R9-made-up", "reason": "x"}),
            422,
            "ground",
        ),
        (json!({"ground": "R5-falsified"}), 422, "reason"),
        (
            json!({"ground": "R5-falsified", "reason": "  "}),
            422,
            "reason",
        ),
        (json!({"ground": 5, "reason": "x"}), 422, "ground"),
        (
            json!({"ground": "R5-falsified", "reason": "x", "version": 2}),
            409,
            "version",
        ),
    ] {
        let r = post(&app, &path, &body, &As::Staff(AUTHORITY)).await;
        assert_eq!(status(&r), want, "{body}: {}", body_text(&r));
        assert_eq!(body_json(&r)["field"], field);
    }
    let r = handle(
        &app,
        request_with_type(
            "POST",
            &path,
            "POST /v1/certificates/{serial}/revoke",
            Some("{"),
            Some("application/json"),
            &As::Staff(AUTHORITY),
        ),
    )
    .await;
    assert_eq!(status(&r), 400);
    assert_eq!(
        app.store
            .get_certificate(&record.serial)
            .await
            .unwrap()
            .unwrap(),
        record
    );

    let r = post(
        &app,
        &path,
        &json!({"ground": "R5-falsified", "reason": "申报的项目合同系伪造", "version": 1}),
        &As::Staff(AUTHORITY),
    )
    .await;
    assert_eq!(status(&r), 200, "{}", body_text(&r));
    let body = body_json(&r);
    let today = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
    assert_eq!(body["certificate"]["status"], "revoked");
    assert_eq!(body["may_reapply_from"], "2028-12-12");
    let bans = app
        .store
        .bans_of(&record.org, "capability-grade")
        .await
        .unwrap();
    assert_eq!(bans.len(), 1);
    assert_eq!(bans[0].revoked_on, today);
    assert_eq!(
        bans[0].until,
        NaiveDate::from_ymd_opt(2028, 12, 12).unwrap()
    );
    assert_eq!(bans[0].ground, "R5-falsified");
    let stored = app
        .store
        .get_certificate(&record.serial)
        .await
        .unwrap()
        .unwrap();
    let revocation = stored.revocation.clone().unwrap();
    assert_eq!(revocation.ground_title_zh, "自行申报的数据、材料弄虚作假的");
    assert_eq!(revocation.reason, "申报的项目合同系伪造");
    assert_eq!(revocation.by.authority.as_deref(), Some(AUTHORITY));

    assert_eq!(
        run_recorded(&app).await,
        vec![Job::Render {
            serial: record.serial.clone(),
            version: 2
        }]
    );
    let page = get(
        &app,
        &format!("/v1/certificates/{}/verify", record.serial),
        &As::Anonymous,
    )
    .await;
    let html = body_text(&page);
    assert!(html.contains("证书已撤销"), "{html}");
    assert!(html.contains("2026年12月11日"));
    assert!(html.contains("自行申报的数据、材料弄虚作假的"));
    assert!(
        !html.contains("申报的项目合同系伪造"),
        "staff's reasons stay private"
    );
    let json = body_json(
        &get(
            &app,
            &format!("/v1/certificates/{}", record.serial),
            &As::Anonymous,
        )
        .await,
    );
    assert_eq!(json["status"], "revoked");
    assert_eq!(json["revoked_on"], "2026-12-11");
    assert!(!json.to_string().contains("申报的项目合同系伪造"));
    let pdf =
        pdf_text(&s3_bytes(&clients, &format!("certificates/{}/v2.pdf", record.serial)).await);
    assert!(pdf.contains("已撤销"), "{pdf}");
    assert!(pdf.contains("撤销日期：2026年12月11日"), "{pdf}");

    // Revoking again: 409, nothing more.
    let again = post(
        &app,
        &path,
        &json!({"ground": "R6-other", "reason": "再次"}),
        &As::Staff(AUTHORITY),
    )
    .await;
    assert_eq!(status(&again), 409);
    assert_eq!(
        app.store
            .bans_of(&record.org, "capability-grade")
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn expiry_is_derived_from_the_last_valid_day() {
    let (app, _, clock) = cert_app().await;
    let record = issued(&app.store, COMPANY).await;
    let page = format!("/v1/certificates/{}/verify", record.serial);
    let json_path = format!("/v1/certificates/{}", record.serial);
    // 2027-06-30 23:00 China time: still the last valid day.
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 6, 30, 15, 0, 0).unwrap());
    assert!(body_text(&get(&app, &page, &As::Anonymous).await).contains("证书有效"));
    assert_eq!(
        body_json(&get(&app, &json_path, &As::Anonymous).await)["status"],
        "valid"
    );
    // 2027-07-01 00:00 China time: expired.
    clock.advance(Duration::hours(1));
    let html = body_text(&get(&app, &page, &As::Anonymous).await);
    assert!(html.contains("证书已过期"), "{html}");
    assert!(html.contains("2027年6月30日"));
    let json = body_json(&get(&app, &json_path, &As::Anonymous).await);
    assert_eq!(json["status"], "expired");
    assert_eq!(json["status_label"], "已过期");
    // Expired certificates cannot be reissued.
    let r = post(
        &app,
        &format!("/v1/certificates/{}/reissue", record.serial),
        &json!({"reason": "证书遗失"}),
        &As::Applicant(&record.org),
    )
    .await;
    assert_eq!(status(&r), 409);
}

#[tokio::test]
async fn unknown_and_malformed_serials_are_404_and_malformed_ones_never_reach_storage() {
    let (clients, store) = local_store().await;
    let clock = std::sync::Arc::new(standing_domain::clock::FixedClock::at(issue_instant()));
    let app = app_with(Counting::new(store), &clients, clock).await;
    for bad in [
        "abc",
        "NMGAF-2026-1",
        "nmgaf-2026-0123456789abcdef",
        "NMGAF-2026-0123456789ABCDEU",
        "NMGAF-26-0123456789ABCDEF",
        "NMGAF-2026-0123456789ABCDEF0",
    ] {
        for path in [
            format!("/v1/certificates/{bad}"),
            format!("/v1/certificates/{bad}/pdf"),
        ] {
            let who = As::Staff(AUTHORITY);
            let r = get(&app, &path, &who).await;
            assert_eq!(status(&r), 404, "{path}");
            assert!(content_type(&r).starts_with("application/problem+json"));
            assert_eq!(body_json(&r)["field"], "serial", "{path}");
        }
        let r = get(
            &app,
            &format!("/v1/certificates/{bad}/verify"),
            &As::Anonymous,
        )
        .await;
        assert_eq!(status(&r), 404);
        assert!(content_type(&r).starts_with("text/html"));
        assert!(body_text(&r).contains("未找到该证书"));
        let r = post(
            &app,
            &format!("/v1/certificates/{bad}/revoke"),
            &json!({"ground": "R1-law", "reason": "x"}),
            &As::Staff(AUTHORITY),
        )
        .await;
        assert_eq!(status(&r), 404);
    }
    assert_eq!(
        app.store.calls(),
        0,
        "malformed serials never reach storage"
    );

    let unknown = standing_domain::certificate::new_serial(
        "NMGAF",
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    let r = get(&app, &format!("/v1/certificates/{unknown}"), &As::Anonymous).await;
    assert_eq!(status(&r), 404);
    assert!(content_type(&r).starts_with("application/problem+json"));
    let r = get(
        &app,
        &format!("/v1/certificates/{unknown}/verify"),
        &As::Anonymous,
    )
    .await;
    assert_eq!(status(&r), 404);
    assert!(content_type(&r).starts_with("text/html"));
    let r = get(
        &app,
        &format!("/v1/certificates/{unknown}/pdf"),
        &As::Staff(AUTHORITY),
    )
    .await;
    assert_eq!(status(&r), 404);
    assert!(app.store.calls() > 0);
}

#[tokio::test]
async fn the_verification_page_escapes_every_text() {
    let (app, _, _) = cert_app().await;
    let record = issued(&app.store, "<script>alert(1)</script>&\"安防\"公司").await;
    let html = body_text(
        &get(
            &app,
            &format!("/v1/certificates/{}/verify", record.serial),
            &As::Anonymous,
        )
        .await,
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;安防&quot;公司"));
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("lang=\"zh-CN\""));
}

#[tokio::test]
async fn the_public_list_refuses_malformed_codes() {
    let (app, _, _) = cert_app().await;
    let r = get(&app, "/v1/organizations/BAD/certificates", &As::Anonymous).await;
    assert_eq!(status(&r), 422);
    assert_eq!(body_json(&r)["field"], "code");
    let empty = get(
        &app,
        &format!("/v1/organizations/{}/certificates", fresh_code()),
        &As::Anonymous,
    )
    .await;
    assert_eq!(status(&empty), 200);
    assert_eq!(body_json(&empty)["certificates"], json!([]));
}
