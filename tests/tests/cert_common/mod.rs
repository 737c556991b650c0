//! The certificate function's app on the local stack, certificate records to start
//! from, and a store wrapper that counts storage calls.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::Value;
use standing_aws::store::Transaction;
use standing_aws::{Clients, DynamoStore};
use standing_certificate::pdfs::S3Pdfs;
use standing_certificate::store::{CertStore, Loaded, Reissue, Rendering};
use standing_certificate::{App, Settings, Signing, default_templates_dir};
use standing_certificate_pdf::{FontSource, Renderer, Signer};
use standing_domain::audit::{Actor, AuditEvent};
use standing_domain::certificate::{CertificateRecord, CertificateStatus, new_serial};
use standing_domain::clock::FixedClock;
use standing_domain::ids::{CreditCode, RecordId};
use standing_domain::seal::SealRecord;
use standing_domain::store::StoreError;
use standing_e2e::*;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const AUTHORITY: &str = "nmg-security-association";
pub const BASE_URL: &str = "https://standing.example.cn";
/// The development seed of infra/local/env.sh.
pub const DEV_SIGNING_KEY: &str =
    "859981f0409df0068edca4599fe78825e3158d670b5d1874cd7b10a707486887";

pub type TestApp<S = DynamoStore> = App<S, S3Pdfs, Recorded>;

/// 2026-12-01 10:00 China time.
pub fn issue_instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
}

pub fn renderer() -> Arc<Renderer> {
    static RENDERER: std::sync::OnceLock<Arc<Renderer>> = std::sync::OnceLock::new();
    RENDERER
        .get_or_init(|| {
            Arc::new(Renderer::new(FontSource::from_env(), default_templates_dir()).unwrap())
        })
        .clone()
}

pub async fn app_with<S>(store: S, clients: &Clients, clock: Arc<FixedClock>) -> TestApp<S> {
    App {
        store,
        pdfs: S3Pdfs {
            objects: clients.objects(),
            bucket: clients.config.certificates_bucket.clone(),
        },
        dispatch: Recorded::default(),
        auth: standing_http::Authenticator::dev_key(DEV_SECRET.as_bytes()).unwrap(),
        clock,
        renderer: renderer(),
        signing: Signing::new(Signer::from_seed_str(DEV_SIGNING_KEY).unwrap(), vec![]),
        settings: Settings {
            public_base_url: BASE_URL.into(),
            templates_dir: default_templates_dir(),
            specimen_seal: true,
        },
    }
}

/// The app on the local stack, its clients and its clock (at the issue instant).
pub async fn cert_app() -> (TestApp, Clients, Arc<FixedClock>) {
    let (clients, store) = local_store().await;
    let clock = Arc::new(FixedClock::at(issue_instant()));
    let app = app_with(store, &clients, clock.clone()).await;
    (app, clients, clock)
}

/// A valid capability-grade certificate (grade 2) of a fresh company, stored with its
/// audit event the way the issuing workflow stores it.
pub async fn issued(store: &DynamoStore, company_name: &str) -> CertificateRecord {
    issued_to(store, &fresh_code(), company_name, "2").await
}

/// A valid capability-grade certificate of `level` ("1".."4"), issued 2026-12-01, for
/// `org`.
pub async fn issued_to(
    store: &DynamoStore,
    org: &CreditCode,
    company_name: &str,
    level: &str,
) -> CertificateRecord {
    issued_by(store, org, company_name, level, AUTHORITY).await
}

/// The same, issued by `authority` (a test of one authority's own settings uses an
/// authority of its own).
pub async fn issued_by(
    store: &DynamoStore,
    org: &CreditCode,
    company_name: &str,
    level: &str,
    authority: &str,
) -> CertificateRecord {
    let now = issue_instant();
    let labels = ["一级", "二级", "三级", "四级"];
    let level_label = level
        .parse::<usize>()
        .ok()
        .and_then(|l| labels.get(l.wrapping_sub(1)))
        .copied()
        .unwrap_or("二级");
    let issued_on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let record = CertificateRecord {
        serial: new_serial("NMGAF", issued_on),
        scheme: "capability-grade".into(),
        scheme_version: "2024-01-01".into(),
        authority: authority.into(),
        authority_name: "内蒙古自治区公共安全技术防范行业协会".into(),
        title: "服务能力等级证书".into(),
        org: org.clone(),
        company_name: company_name.into(),
        level_code: level.into(),
        level_label: level_label.into(),
        address: Some("内蒙古自治区呼和浩特市新城区新华大街1号".into()),
        scope: Some("公共安全技术防范系统设计、施工和维修".into()),
        basis: Some(
            "《内蒙古自治区公共安全技术防范系统设计、施工和维修服务能力等级评定办法（试行）》"
                .into(),
        ),
        issued_on,
        valid_until: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
        status: CertificateStatus::Valid,
        application_id: RecordId::new_at(now),
        replaces: None,
        superseded_by: None,
        reissue_reason: None,
        revocation: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = AuditEvent::new(
        now,
        Actor::system("test-issue"),
        "certificate.issued",
        record.entity(),
        None,
        serde_json::to_value(&record).ok(),
    );
    let mut tx = Transaction::default();
    tx.certificate(store.table(), None, &record, &audit)
        .unwrap();
    store.commit(tx).await.unwrap();
    record
}

/// Counts every storage call, to prove a request never reached storage.
pub struct Counting<S> {
    pub inner: S,
    pub calls: AtomicUsize,
}

impl<S> Counting<S> {
    pub fn new(inner: S) -> Self {
        Counting {
            inner,
            calls: AtomicUsize::new(0),
        }
    }
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
    fn tick(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

impl<S: CertStore> CertStore for Counting<S> {
    async fn check(&self) -> standing_aws::health::Checked {
        self.inner.check().await
    }
    async fn load(&self, serial: &str) -> Result<Option<Loaded>, StoreError> {
        self.tick();
        self.inner.load(serial).await
    }
    async fn record(&self, serial: &str) -> Result<Option<CertificateRecord>, StoreError> {
        self.tick();
        self.inner.record(serial).await
    }
    async fn certificates_of(
        &self,
        org: &CreditCode,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        self.tick();
        self.inner.certificates_of(org).await
    }
    async fn save_rendering(&self, r: &Rendering, a: &AuditEvent) -> Result<(), StoreError> {
        self.tick();
        self.inner.save_rendering(r, a).await
    }
    async fn revoke(
        &self,
        b: &CertificateRecord,
        a: &CertificateRecord,
        e: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.tick();
        self.inner.revoke(b, a, e).await
    }
    async fn reissue(&self, r: Reissue<'_>) -> Result<(), StoreError> {
        self.tick();
        self.inner.reissue(r).await
    }
    async fn seal(&self, authority: &str) -> Result<Option<SealRecord>, StoreError> {
        self.tick();
        self.inner.seal(authority).await
    }
    async fn save_seal(
        &self,
        b: Option<&SealRecord>,
        a: &SealRecord,
        e: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.tick();
        self.inner.save_seal(b, a, e).await
    }
    async fn credit_records(
        &self,
        org: &CreditCode,
    ) -> Result<Option<standing_domain::credit::CreditRecords>, StoreError> {
        self.tick();
        self.inner.credit_records(org).await
    }
    async fn credit_report(
        &self,
        serial: &str,
    ) -> Result<Option<standing_certificate::store::CreditReportRecord>, StoreError> {
        self.tick();
        self.inner.credit_report(serial).await
    }
    async fn save_credit_report(
        &self,
        r: &standing_certificate::store::CreditReportRecord,
        e: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.tick();
        self.inner.save_credit_report(r, e).await
    }
}

pub fn body_text(r: &lambda_http::Response<lambda_http::Body>) -> String {
    String::from_utf8_lossy(r.body().as_ref()).into_owned()
}

pub fn header(r: &lambda_http::Response<lambda_http::Body>, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

pub fn json_of(r: &lambda_http::Response<lambda_http::Body>) -> Value {
    body_json(r)
}

/// The bytes of `key` in the certificates bucket.
pub async fn s3_bytes(clients: &standing_aws::Clients, key: &str) -> Vec<u8> {
    clients
        .objects()
        .get(&clients.config.certificates_bucket, key)
        .await
        .unwrap()
        .expect("the PDF is in the certificates bucket")
}

/// A fresh directory under the system temp dir.
pub fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "standing-e2e-cert-{tag}-{}",
        ulid::Ulid::generate()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of a PDF as `pdftotext` reads it, whitespace removed.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = scratch("text");
    let path = dir.join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The one QR code on a PDF's first page, decoded (the page rendered at 150 dpi with
/// `pdftoppm`).
pub fn qr_of(pdf: &[u8]) -> String {
    let dir = scratch("qr");
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-singlefile", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let img = image::open(dir.join("page.png")).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the first page");
    let (_, content) = grids[0].decode().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    content
}
