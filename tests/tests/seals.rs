//! The issuer's seal on certificates (issue 15 item 5), end to end on the local stack:
//! an authority's staff upload their own seal (PUT, stored in S3 under its hash, the
//! record and its audit event in one transaction), every certificate rendered after that
//! prints it over the authority's name and records which one; without one, a local stack
//! prints the specimen marked 样章; bad pictures and other callers change nothing; the
//! verification page shows the signature the PDF no longer prints, with the scope and
//! address.

mod cert_common;

use base64::Engine;
use cert_common::*;
use lambda_runtime::{Context, LambdaEvent};
use serde_json::{Value, json};
use standing_certificate::event::handle_event;
use standing_certificate::{Rendering, handle};
use standing_e2e::*;

const COMPANY: &str = "包头市鹿城安防工程有限公司";

/// An authority of this test's own, so no other test's renders see its seal.
fn own_authority() -> String {
    format!(
        "seal-test-{}",
        ulid::Ulid::generate().to_string().to_lowercase()
    )
}

/// A 96x96 PNG: a red ring on a transparent background.
fn seal_png() -> Vec<u8> {
    let mut img = image::RgbaImage::new(96, 96);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let d = ((f64::from(x) - 47.5).powi(2) + (f64::from(y) - 47.5).powi(2)).sqrt();
        *p = if (40.0..46.0).contains(&d) {
            image::Rgba([200, 22, 29, 235])
        } else {
            image::Rgba([0, 0, 0, 0])
        };
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// `PUT /v1/authorities/{authority}/seal` with a binary body, base64-encoded in the
/// event as API Gateway sends binary bodies.
fn put_request(
    authority: &str,
    picture: &[u8],
    content_type: &str,
    who: &As,
) -> lambda_http::Request {
    let path = format!("/v1/authorities/{authority}/seal");
    let mut event = event_json(
        "PUT",
        &path,
        "PUT /v1/authorities/{authority}/seal",
        None,
        Some(content_type),
        who,
    );
    event["body"] = json!(base64::engine::general_purpose::STANDARD.encode(picture));
    event["isBase64Encoded"] = json!(true);
    lambda_http::request::from_str(&event.to_string()).unwrap()
}

async fn get_seal(
    app: &TestApp,
    authority: &str,
    who: &As<'_>,
) -> lambda_http::Response<lambda_http::Body> {
    let path = format!("/v1/authorities/{authority}/seal");
    handle(
        app,
        request(
            "GET",
            &path,
            "GET /v1/authorities/{authority}/seal",
            None,
            who,
        ),
    )
    .await
}

async fn render(app: &TestApp, serial: &str, version: u64) -> Value {
    let payload = json!({"job": "render", "serial": serial, "version": version});
    let raw = serde_json::value::to_raw_value(&payload).unwrap();
    handle_event(app, LambdaEvent::new(raw, Context::default()))
        .await
        .unwrap()
}

async fn rendering(app: &TestApp, serial: &str) -> Rendering {
    standing_certificate::load(&app.store, serial)
        .await
        .unwrap()
        .unwrap()
        .current()
        .cloned()
        .expect("rendered")
}

fn image_objects(pdf: &[u8]) -> usize {
    let raw = String::from_utf8_lossy(pdf);
    raw.matches("/Subtype /Image").count() + raw.matches("/Subtype/Image").count()
}

#[tokio::test]
async fn an_authoritys_own_seal_is_printed_on_its_certificates_and_recorded() {
    let (app, clients, _) = cert_app().await;
    let authority = own_authority();
    let staff = As::Staff(&authority);

    // Before any upload: no seal record; a local stack prints the specimen (样章).
    assert_eq!(status(&get_seal(&app, &authority, &staff).await), 404);
    let first = issued_by(&app.store, &fresh_code(), COMPANY, "2", &authority).await;
    assert_eq!(render(&app, &first.serial, 1).await["status"], "rendered");
    let specimen = rendering(&app, &first.serial).await;
    assert!(specimen.seal_specimen);
    assert_eq!(specimen.seal_sha256, None);
    let text = pdf_text(&s3_bytes(&clients, &specimen.key).await);
    assert!(text.contains("样章"), "the specimen says so: {text}");

    // The authority's staff upload their seal.
    let png = seal_png();
    let r = handle(&app, put_request(&authority, &png, "image/png", &staff)).await;
    assert_eq!(status(&r), 201, "{}", body_text(&r));
    let record = body_json(&r);
    assert_eq!(record["content_type"], "image/png");
    assert_eq!(record["bytes"], png.len() as u64);
    assert_eq!(record["version"], 1);
    let sha = record["sha256"].as_str().unwrap().to_owned();
    assert_eq!(
        record["key"],
        format!("seals/{authority}/{sha}.png").as_str()
    );
    assert_eq!(
        s3_bytes(&clients, record["key"].as_str().unwrap()).await,
        png
    );
    let got = get_seal(&app, &authority, &staff).await;
    assert_eq!(status(&got), 200);
    assert_eq!(body_json(&got)["sha256"], sha.as_str());
    let trail = app
        .store
        .audit_trail(standing_aws::keys::authority_pk(&authority))
        .await
        .unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "authority.seal_set")
            .count(),
        1
    );

    // Every certificate rendered from now on prints it and says which one.
    let second = issued_by(&app.store, &fresh_code(), COMPANY, "1", &authority).await;
    render(&app, &second.serial, 1).await;
    let sealed = rendering(&app, &second.serial).await;
    assert_eq!(sealed.seal_sha256.as_deref(), Some(sha.as_str()));
    assert!(!sealed.seal_specimen);
    let pdf = s3_bytes(&clients, &sealed.key).await;
    assert!(image_objects(&pdf) >= 1, "the seal is an image in the PDF");
    let text = pdf_text(&pdf);
    assert!(!text.contains("样章"), "{text}");
    for want in [
        "依据《内蒙古自治区公共安全技术防范系统设计、施工和维修服务能力等级评定办法（试行）》",
        "公共安全技术防范系统设计、施工和维修",
        "内蒙古自治区呼和浩特市新城区新华大街1号",
    ] {
        let squashed: String = text.split_whitespace().collect();
        assert!(squashed.contains(want), "{want} not in {text}");
    }
    // The page does not print the signature; the verification page shows it.
    assert!(!text.contains(&sealed.signature), "{text}");
    let page = handle(
        &app,
        request(
            "GET",
            &format!("/v1/certificates/{}/verify", second.serial),
            "GET /v1/certificates/{serial}/verify",
            None,
            &As::Anonymous,
        ),
    )
    .await;
    let html = body_text(&page);
    assert!(html.contains(&sealed.signature), "{html}");
    assert!(html.contains("业务范围"), "{html}");
    assert!(html.contains("新华大街1号"), "{html}");
    assert!(html.contains("@media print"), "a print view");

    // A new picture replaces it (200, version 2); the same picture again is a 409.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="none" stroke="red"/></svg>"#;
    let r = handle(&app, put_request(&authority, svg, "image/svg+xml", &staff)).await;
    assert_eq!(status(&r), 200, "{}", body_text(&r));
    assert_eq!(body_json(&r)["version"], 2);
    let r = handle(&app, put_request(&authority, svg, "image/svg+xml", &staff)).await;
    assert_eq!(status(&r), 409, "{}", body_text(&r));
    assert!(content_type(&r).starts_with("application/problem+json"));
}

#[tokio::test]
async fn only_the_authoritys_staff_may_set_or_read_its_seal_and_bad_pictures_change_nothing() {
    let (app, _clients, _) = cert_app().await;
    let authority = own_authority();
    let org = fresh_code();
    let png = seal_png();
    for (name, who, want) in [
        ("anonymous", As::Anonymous, 401),
        ("applicant", As::Applicant(&org), 403),
        ("expert", As::Expert, 403),
        ("other staff", As::Staff("another-association"), 403),
    ] {
        let r = handle(&app, put_request(&authority, &png, "image/png", &who)).await;
        assert_eq!(status(&r), want, "PUT as {name}: {}", body_text(&r));
        assert!(content_type(&r).starts_with("application/problem+json"));
        assert_eq!(
            status(&get_seal(&app, &authority, &who).await),
            want,
            "GET as {name}"
        );
    }
    let staff = As::Staff(&authority);
    let not_png = b"GIF89a not a png".to_vec();
    for (picture, ct, want) in [
        (png.clone(), "image/jpeg", 415),
        (png.clone(), "application/json", 415),
        (not_png, "image/png", 422),
        (b"<html></html>".to_vec(), "image/svg+xml", 422),
        (Vec::new(), "image/png", 422),
        (vec![0u8; 600 * 1024], "image/png", 413),
    ] {
        let r = handle(&app, put_request(&authority, &picture, ct, &staff)).await;
        assert_eq!(status(&r), want, "{ct}: {}", body_text(&r));
        assert!(content_type(&r).starts_with("application/problem+json"));
    }
    let r = handle(
        &app,
        put_request("Not_An/Authority", &png, "image/png", &staff),
    )
    .await;
    assert_eq!(status(&r), 404);
    // Nothing was written by any of them.
    assert_eq!(status(&get_seal(&app, &authority, &staff).await), 404);
    let trail = app
        .store
        .audit_trail(standing_aws::keys::authority_pk(&authority))
        .await
        .unwrap();
    assert!(trail.is_empty(), "{trail:?}");
}
