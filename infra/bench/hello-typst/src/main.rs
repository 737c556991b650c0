//! The baseline for a function that renders PDFs with typst (the certificate function):
//! the hello world that primes DynamoDB (`infra/bench/hello-dynamodb`, the same start),
//! plus typst. On its first invocation it compiles a one-line document to a PDF with
//! `standing-certificate-pdf`'s renderer, which loads the fonts of `STANDING_FONT_DIR`
//! with the same loader as the certificate function (on first use, once per process),
//! and answers with the PDF's size.

use std::sync::OnceLock;

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::NaiveDate;
use lambda_http::{Body, Error, Request, Response, run, service_fn};
use standing_certificate_pdf::{CertificateFields, FontSource, Renderer, Signature};

/// The one-line document (the template of a directory of its own under the temp dir).
const DOCUMENT: &str = "你好，世界 / Hello, world\n";

/// Compiles [`DOCUMENT`] to a PDF; returns its size in bytes.
fn render_once() -> Result<usize, Error> {
    let dir = std::env::temp_dir().join("hello-typst");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("hello.typ"), DOCUMENT)?;
    let renderer = Renderer::new(FontSource::from_env(), &dir)?;
    let date = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let fields = CertificateFields {
        serial: "HELLO-1".into(),
        scheme_id: "hello".into(),
        authority_name: "hello".into(),
        title: "hello".into(),
        company_name: "hello".into(),
        credit_code: "hello".into(),
        level_label: "hello".into(),
        issue_date: date,
        valid_until: date,
        verify_url: "https://example.com/hello".into(),
        version: 1,
        address: None,
        scope: None,
        basis: None,
    };
    let pdf = renderer.render_pdf("hello", &fields, &Signature::from_bytes(&[0; 64]))?;
    Ok(pdf.len())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let table = var("TABLE_NAME").ok_or("missing environment variable TABLE_NAME")?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(endpoint) = var("AWS_ENDPOINT_URL") {
        loader = loader.endpoint_url(endpoint);
    }
    let sdk = loader.load().await;
    let mut conf = aws_sdk_dynamodb::config::Builder::from(&sdk);
    if let Some(endpoint) = var("AWS_ENDPOINT_URL_DYNAMODB") {
        conf = conf.endpoint_url(endpoint);
    }
    let client = aws_sdk_dynamodb::Client::from_conf(conf.build());
    let primed = client
        .get_item()
        .table_name(&table)
        .key("PK", AttributeValue::S("#PRIME".into()))
        .key("SK", AttributeValue::S("#PRIME".into()))
        .send()
        .await;
    if let Err(e) = primed {
        eprintln!("priming the DynamoDB connection failed: {e:?}");
    }
    static PDF_BYTES: OnceLock<usize> = OnceLock::new();
    run(service_fn(|_req: Request| async {
        let bytes = *PDF_BYTES.get_or_init(|| {
            render_once().unwrap_or_else(|e| {
                eprintln!("rendering the document failed: {e}");
                0
            })
        });
        Ok::<_, Error>(
            Response::builder()
                .status(if bytes > 0 { 200 } else { 500 })
                .body(Body::from(format!("hello: a PDF of {bytes} bytes")))
                .expect("static response"),
        )
    }))
    .await
}
