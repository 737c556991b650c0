//! The credit report PDF (issue 11 item 7) end to end on the local stack: an agency in
//! the credit register with events, the report requested by the agency itself, the PDF
//! read back from S3 (level, score, events and date of issue as the public credit page
//! shows them that day), its QR code opening the verification page, the signature from
//! the public JSON verified against the published key, the verification page, and
//! refusals (no token, another company, another authority's staff, an agency not in the
//! register) that write nothing.

mod cert_common;

use cert_common::*;
use chrono::TimeZone;
use serde_json::json;
use standing_certificate::handle;
use standing_certificate::store::CertStore;
use standing_certificate_pdf::{
    CreditReportFields, PublicKey, Signature, canonical_report_json, verify_report,
};
use standing_domain::ids::CreditCode;
use standing_e2e::*;

const BUREAU: &str = "jz-housing-bureau";

/// 10:00 China time.
fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

fn route_of(method: &str, path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let templ = match parts.as_slice() {
        ["", "v1", "credit", "agencies", _, "report"] => "/v1/credit/agencies/{code}/report",
        ["", "v1", "credit-reports", _] => "/v1/credit-reports/{serial}",
        ["", "v1", "credit-reports", _, "verify"] => "/v1/credit-reports/{serial}/verify",
        _ => path,
    };
    format!("{method} {templ}")
}

async fn call<S: CertStore>(
    app: &TestApp<S>,
    method: &str,
    path: &str,
    who: &As<'_>,
) -> lambda_http::Response<lambda_http::Body> {
    handle(
        app,
        request(method, path, &route_of(method, path), None, who),
    )
    .await
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
    assert_eq!(s, 201, "{b}");
    code
}

async fn event(p: &Platform, code: &CreditCode, conduct: &str, date: &str) {
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
    assert_eq!(s, 201, "{b}");
}

/// The report PDFs of one agency (its own prefix: other tests issue reports at the same
/// time in the same bucket).
async fn report_objects(clients: &standing_aws::Clients, code: &CreditCode) -> Vec<String> {
    clients
        .s3()
        .list_objects_v2()
        .bucket(&clients.config.certificates_bucket)
        .prefix(format!("credit-reports/{code}/"))
        .send()
        .await
        .unwrap()
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn an_agency_gets_a_signed_report_that_matches_the_public_page_and_verifies() {
    let p = Platform::at(at(2026, 3, 20)).await;
    let code = enrolled(&p, "焦作市报告消防技术服务有限公司").await;
    event(&p, &code, "T1", "2026-03-05").await;
    event(&p, &code, "U9", "2026-03-10").await;
    let other = enrolled(&p, "焦作市另一消防技术服务有限公司").await;
    let (s, public) = p
        .call_credit(
            "GET",
            &format!("/v1/credit/agencies/{code}"),
            None,
            &As::Anonymous,
        )
        .await;
    assert_eq!(s, 200, "{public}");
    let app = app_with(p.credit.store.clone(), &p.clients, p.clock.clone()).await;
    let path = format!("/v1/credit/agencies/{code}/report");

    // Refusals write nothing: no record in the agency's partition, no PDF.
    let partition = || p.partition(format!("CREDIT#{code}"));
    let unknown = fresh_code();
    let before = (
        partition().await,
        report_objects(&p.clients, &code).await,
        report_objects(&p.clients, &unknown).await,
    );
    for (who, path, want) in [
        (As::Anonymous, path.clone(), 401),
        (As::Applicant(&other), path.clone(), 403),
        (As::Staff("nmg-security-association"), path.clone(), 403),
        (As::Expert, path.clone(), 403),
        (
            As::Staff(BUREAU),
            format!("/v1/credit/agencies/{unknown}/report"),
            404,
        ),
        (
            As::Staff(BUREAU),
            "/v1/credit/agencies/not-a-code/report".to_owned(),
            422,
        ),
    ] {
        let r = call(&app, "POST", &path, &who).await;
        let answer = (status(&r), body_json(&r));
        assert_eq!(answer.0, want, "{path}: {}", answer.1);
        assert_documented("/v1/credit/agencies/{code}/report", "POST", &answer);
        assert!(answer.1["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    assert_eq!(
        (
            partition().await,
            report_objects(&p.clients, &code).await,
            report_objects(&p.clients, &unknown).await,
        ),
        before,
        "a refused request writes nothing"
    );

    // The agency asks for its report.
    let r = call(&app, "POST", &path, &As::Applicant(&code)).await;
    let issued = body_json(&r);
    let answer = (status(&r), issued.clone());
    assert_eq!(answer.0, 201, "{issued}");
    assert_documented("/v1/credit/agencies/{code}/report", "POST", &answer);
    let serial = issued["serial"].as_str().unwrap().to_owned();
    let verify_url = format!("{BASE_URL}/v1/credit-reports/{serial}/verify");
    assert_eq!(issued["verify_url"], verify_url);
    assert!(issued["download_url"].as_str().unwrap().contains(&serial));
    assert_eq!(issued["expires_in_seconds"], 300);
    assert_eq!(issued["level_label"], public["level_label"]);
    assert_eq!(issued["score"], public["score"]);
    // The record and its audit event, written together.
    let items = p.partition(format!("CREDITREPORT#{serial}")).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items.iter().any(|i| i.contains("credit_report.issued")));

    // The PDF in S3 says what the public page says today.
    let key = format!("credit-reports/{code}/{serial}.pdf");
    assert_eq!(report_objects(&p.clients, &code).await, vec![key.clone()]);
    let pdf = s3_bytes(&p.clients, &key).await;
    let text = pdf_text(&pdf);
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let events = public["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let mut wants = vec![
        "消防技术服务机构信用报告".to_owned(),
        serial.clone(),
        "焦作市报告消防技术服务有限公司".to_owned(),
        code.to_string(),
        format!(
            "信用等级信用分{}{}",
            public["level_label"].as_str().unwrap(),
            public["score"].as_str().unwrap()
        ),
        "出具日期：2026年3月20日".to_owned(),
        format!("出具机关：{}", public["authority_zh"].as_str().unwrap()),
    ];
    for e in events {
        wants.push(squash(e["title_zh"].as_str().unwrap()));
        wants.push(e["article"].as_str().unwrap().to_owned());
        let points = e["points"].as_str().unwrap();
        wants.push(if points.starts_with('-') {
            points.to_owned()
        } else {
            format!("+{points}")
        });
    }
    for want in &wants {
        assert!(text.contains(want.as_str()), "{want:?} not in {text}");
    }
    assert!(
        text.contains("2026年3月5日") && text.contains("2026年3月10日"),
        "{text}"
    );
    assert_eq!(qr_of(&pdf), verify_url);

    // The public JSON: the signed fields, the canonical JSON, a signature that verifies
    // with the published key and with no other fields.
    let r = call(
        &app,
        "GET",
        &format!("/v1/credit-reports/{serial}"),
        &As::Anonymous,
    )
    .await;
    let body = body_json(&r);
    let answer = (status(&r), body.clone());
    assert_eq!(answer.0, 200, "{body}");
    assert_documented("/v1/credit-reports/{serial}", "GET", &answer);
    let signed = &body["signed"];
    let fields: CreditReportFields = serde_json::from_value(signed["fields"].clone()).unwrap();
    assert_eq!(
        signed["canonical"].as_str().unwrap().as_bytes(),
        canonical_report_json(&fields).as_slice()
    );
    assert_eq!(fields.level_label, public["level_label"].as_str().unwrap());
    assert_eq!(fields.score, public["score"].as_str().unwrap());
    assert_eq!(fields.events.len(), 2);
    let signature = Signature::from_base64url(signed["signature"].as_str().unwrap()).unwrap();
    let keys = call(
        &app,
        "GET",
        "/.well-known/standing-certificate-keys.json",
        &As::Anonymous,
    )
    .await;
    let jwks = body_json(&keys);
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == signed["key_id"])
        .expect("the key id of the signature is published");
    let key = PublicKey::from_str_any(jwk["x"].as_str().unwrap()).unwrap();
    assert!(verify_report(&fields, &signature, &key));
    let mut changed = fields.clone();
    changed.score = "120".into();
    assert!(!verify_report(&changed, &signature, &key));
    let mut changed = fields.clone();
    changed.events.pop();
    assert!(!verify_report(&changed, &signature, &key));
    // The signature is in the PDF's metadata, not on its page.
    assert!(String::from_utf8_lossy(&pdf).contains(signature.as_str()));
    assert!(!text.contains(signature.as_str()));

    // The verification page.
    let r = call(
        &app,
        "GET",
        &format!("/v1/credit-reports/{serial}/verify"),
        &As::Anonymous,
    )
    .await;
    assert_eq!(status(&r), 200);
    let page = body_text(&r);
    assert!(page.contains("<html lang=\"zh-CN\">"), "{page}");
    for want in [
        "信用报告真实有效",
        "焦作市报告消防技术服务有限公司",
        code.as_str(),
        public["level_label"].as_str().unwrap(),
        public["score"].as_str().unwrap(),
        "2026年3月20日",
        signature.as_str(),
    ] {
        assert!(page.contains(want), "{want:?} not in {page}");
    }
    for e in events {
        assert!(page.contains(e["title_zh"].as_str().unwrap()), "{page}");
    }
    // Unknown and malformed serials: 404, as a page and as JSON.
    let unknown_serial = ulid::Ulid::generate().to_string();
    for bad in [unknown_serial.as_str(), "not-a-serial", "%3Cscript%3E"] {
        let r = call(
            &app,
            "GET",
            &format!("/v1/credit-reports/{bad}/verify"),
            &As::Anonymous,
        )
        .await;
        assert_eq!(status(&r), 404);
        assert!(body_text(&r).contains("lang=\"zh-CN\""));
        let r = call(
            &app,
            "GET",
            &format!("/v1/credit-reports/{bad}"),
            &As::Anonymous,
        )
        .await;
        let answer = (status(&r), body_json(&r));
        assert_eq!(answer.0, 404);
        assert_documented("/v1/credit-reports/{serial}", "GET", &answer);
    }

    // Staff of the bureau that keeps the register may issue one too.
    let r = call(&app, "POST", &path, &As::Staff(BUREAU)).await;
    assert_eq!(status(&r), 201, "{}", body_text(&r));
    assert_eq!(report_objects(&p.clients, &code).await.len(), 2);
}
