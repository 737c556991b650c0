//! The certificate function: render-to-S3 (asynchronous job), download, public
//! verification, public keys, reissue and revocation.
//!
//! Routes:
//! - `GET /.well-known/standing-certificate-keys.json` — the signing keys (JWKS), public.
//! - `GET /v1/certificates/{serial}` — public view, signed fields, signature, key id.
//! - `GET /v1/certificates/{serial}/verify` — the HTML page the QR code opens, public.
//! - `GET /v1/certificates/{serial}/pdf` — holder or staff of the authority: 302 to a
//!   presigned S3 GET (5 minutes), rendering the current version first if needed.
//! - `POST /v1/certificates/{serial}/reissue` — holder or staff of the authority
//!   (seed 000 第十四条).
//! - `POST /v1/certificates/{serial}/revoke` — staff of the authority (第二十二、二十三条).
//! - `GET /v1/organizations/{code}/certificates` — a company's certificates, public.
//! - `GET /v1/health/certificate`
//!
//! And the asynchronous event `{"job":"render","serial":…,"version":…}` (see
//! [`event::handle_event`], which takes both kinds of payload).
//!
//! Each handler reads as: authorize, load, decide (pure, in `standing-domain`), save
//! atomically with its audit event, respond.

pub mod disposition;
pub mod event;
pub mod page;
pub mod pdfs;
pub mod render;
pub mod store;

use chrono::NaiveDate;
use lambda_http::http::{Method, StatusCode, header};
use lambda_http::{Body, Request, Response};
use pdfs::PdfBucket;
use render::{RenderFailure, render_loaded};
use serde::Serialize;
use standing_certificate_pdf::{CertificateFields, PublicKey, Renderer, Signer, canonical_json};
use standing_domain::Principal;
use standing_domain::audit::Actor;
use standing_domain::certificate::{
    CertificateRecord, PublicCertificate, Revocation, looks_like_serial,
};
use standing_domain::clock::Clock;
use standing_domain::dispatch::Dispatch;
use standing_domain::ids::CreditCode;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::StoreError;
use standing_http::respond::{deep_health, deep_requested, health, html, no_route, wrong_method};
use standing_http::{Authenticator, json, json_body, problem};
use standing_schemes::{Registry, Scheme, SchemeId};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use store::{CertStore, Loaded};

/// Largest request body accepted, in bytes (a reason of a few sentences).
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// Longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Lifetime of a presigned download URL.
pub const DOWNLOAD_URL_LIFETIME: Duration = Duration::from_secs(300);
/// Path of the public signing keys.
pub const KEYS_PATH: &str = "/.well-known/standing-certificate-keys.json";

/// Settings from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Public base URL of the API (`PUBLIC_BASE_URL`), printed in QR codes.
    pub public_base_url: String,
    /// Templates directory (`STANDING_TEMPLATE_DIR`).
    pub templates_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("missing environment variable {0}")]
    Missing(&'static str),
    #[error("{0}: {1}")]
    Invalid(&'static str, String),
}

impl Settings {
    /// `PUBLIC_BASE_URL` (required); `STANDING_TEMPLATE_DIR`, by default the templates of
    /// the source tree (development), `/var/task/templates` in the Lambda package.
    pub fn from_env() -> Result<Self, SettingsError> {
        let base = std::env::var("PUBLIC_BASE_URL")
            .map_err(|_| SettingsError::Missing("PUBLIC_BASE_URL"))?;
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(SettingsError::Invalid(
                "PUBLIC_BASE_URL",
                "must start with https:// or http://".into(),
            ));
        }
        let templates_dir = std::env::var_os("STANDING_TEMPLATE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(default_templates_dir);
        Ok(Settings {
            public_base_url: base.trim_end_matches('/').to_owned(),
            templates_dir,
        })
    }
}

/// The templates shipped in the source tree.
pub fn default_templates_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/certificate-pdf/templates"
    ))
}

/// The signing key and the keys published for verification.
pub struct Signing {
    pub signer: Signer,
    /// RFC 7638 thumbprint of the signing key.
    pub key_id: String,
    /// Published keys: the signing key first, then retired keys that signed older
    /// renderings.
    pub published: Vec<PublicKey>,
}

impl Signing {
    pub fn new(signer: Signer, retired: Vec<PublicKey>) -> Self {
        let current = signer.public_key();
        let key_id = current.key_id();
        let mut published = vec![current];
        published.extend(retired.into_iter().filter(|k| k.key_id() != key_id));
        Signing {
            signer,
            key_id,
            published,
        }
    }

    /// `CERT_SIGNING_KEY` (32-byte Ed25519 seed: 64 hex digits or base64/base64url) and
    /// `CERT_RETIRED_PUBLIC_KEYS` (optional, comma-separated public keys still published).
    pub fn from_env() -> Result<Self, SettingsError> {
        let seed = std::env::var("CERT_SIGNING_KEY")
            .map_err(|_| SettingsError::Missing("CERT_SIGNING_KEY"))?;
        let signer = Signer::from_seed_str(seed.trim())
            .map_err(|e| SettingsError::Invalid("CERT_SIGNING_KEY", e.to_string()))?;
        let retired = std::env::var("CERT_RETIRED_PUBLIC_KEYS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|k| {
                PublicKey::from_str_any(k)
                    .map_err(|e| SettingsError::Invalid("CERT_RETIRED_PUBLIC_KEYS", e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Signing::new(signer, retired))
    }

    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({"keys": self.published.iter().map(PublicKey::to_jwk).collect::<Vec<_>>()})
    }
}

/// What the handlers need, built once per container.
pub struct App<S, O, D> {
    pub store: S,
    pub pdfs: O,
    pub dispatch: D,
    pub auth: Authenticator,
    pub clock: Arc<dyn Clock>,
    pub renderer: Arc<Renderer>,
    pub signing: Signing,
    pub settings: Settings,
}

pub use standing_http::store_problem;

fn render_problem(e: RenderFailure) -> Problem {
    match e {
        RenderFailure::Store(s) => store_problem(s),
        other => {
            tracing::error!(error = %other, "render failure");
            Problem::internal()
        }
    }
}

fn unknown_serial(serial: &str) -> Problem {
    let shown: String = serial.chars().take(64).collect();
    Problem::field(
        ProblemKind::NotFound,
        "serial",
        format!("未找到证书编号为 {shown} 的证书：编号不存在或格式不正确"),
    )
}

pub async fn handle<S, O, D>(app: &App<S, O, D>, req: Request) -> Response<Body>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let get = req.method() == Method::GET;
    let post = req.method() == Method::POST;
    let result = match segments.as_slice() {
        [".well-known", "standing-certificate-keys.json"] if get => Ok(keys(app)),
        [".well-known", "standing-certificate-keys.json"] => return wrong_method("GET"),
        ["v1", "health", "certificate"] if get => {
            return match deep_requested(&req) {
                Ok(false) => health("certificate"),
                Ok(true) => {
                    let (table, bucket) = tokio::join!(app.store.check(), app.pdfs.check());
                    deep_health("certificate", &[table, bucket])
                }
                Err(p) => problem(&p),
            };
        }
        ["v1", "health", "certificate"] => return wrong_method("GET"),
        ["v1", "certificates", serial] if get => public_json(app, serial).await,
        ["v1", "certificates", _] => return wrong_method("GET"),
        ["v1", "certificates", serial, "verify"] if get => return verify(app, serial).await,
        ["v1", "certificates", _, "verify"] => return wrong_method("GET"),
        ["v1", "certificates", serial, "pdf"] if get => download(app, &req, serial).await,
        ["v1", "certificates", _, "pdf"] => return wrong_method("GET"),
        ["v1", "certificates", serial, "reissue"] if post => reissue(app, &req, serial).await,
        ["v1", "certificates", _, "reissue"] => return wrong_method("POST"),
        ["v1", "certificates", serial, "revoke"] if post => revoke(app, &req, serial).await,
        ["v1", "certificates", _, "revoke"] => return wrong_method("POST"),
        ["v1", "organizations", code, "certificates"] if get => list(app, code).await,
        ["v1", "organizations", _, "certificates"] => return wrong_method("GET"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

fn keys<S, O, D>(app: &App<S, O, D>) -> Response<Body> {
    let mut r = json(200, &app.signing.jwks());
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// The signed data of the current rendering, for anyone to verify.
#[derive(Debug, Serialize)]
pub struct Signed {
    /// The signed fields; the signed bytes are their RFC 8785 canonical JSON.
    pub fields: CertificateFields,
    /// The canonical JSON, as the exact UTF-8 text that was signed.
    pub canonical: String,
    /// `EdDSA` (Ed25519, RFC 8032).
    pub alg: &'static str,
    /// Unpadded base64url of the 64-byte signature.
    pub signature: String,
    /// `kid` of the key in the JWKS.
    pub key_id: String,
    pub keys_url: String,
    pub rendered_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize)]
pub struct PublicAnswer {
    #[serde(flatten)]
    pub certificate: PublicCertificate,
    pub verify_url: String,
    /// `null` while the current version is not rendered yet.
    pub signed: Option<Signed>,
}

fn keys_url(settings: &Settings) -> String {
    format!("{}{KEYS_PATH}", settings.public_base_url)
}

fn today<S, O, D>(app: &App<S, O, D>) -> NaiveDate {
    app.clock.today_in_china()
}

async fn public_json<S: CertStore, O, D>(
    app: &App<S, O, D>,
    serial: &str,
) -> Result<Response<Body>, Problem> {
    if !looks_like_serial(serial) {
        return Err(unknown_serial(serial));
    }
    let loaded = app
        .store
        .load(serial)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| unknown_serial(serial))?;
    let signed = loaded.current().map(|r| Signed {
        canonical: String::from_utf8_lossy(&canonical_json(&r.fields)).into_owned(),
        fields: r.fields.clone(),
        alg: "EdDSA",
        signature: r.signature.clone(),
        key_id: r.key_id.clone(),
        keys_url: keys_url(&app.settings),
        rendered_at: r.rendered_at,
    });
    Ok(json(
        200,
        &PublicAnswer {
            certificate: loaded.record.public_view(today(app)),
            verify_url: render::verify_url(&app.settings.public_base_url, serial),
            signed,
        },
    ))
}

async fn verify<S: CertStore, O, D>(app: &App<S, O, D>, serial: &str) -> Response<Body> {
    if !looks_like_serial(serial) {
        return html(404, page::not_found_page());
    }
    match app.store.record(serial).await {
        Ok(Some(record)) => {
            let today = today(app);
            html(
                200,
                page::verification_page(
                    &record.public_view(today),
                    today,
                    &keys_url(&app.settings),
                ),
            )
        }
        Ok(None) => html(404, page::not_found_page()),
        Err(e) => problem(&store_problem(e)),
    }
}

async fn list<S: CertStore, O, D>(
    app: &App<S, O, D>,
    code: &str,
) -> Result<Response<Body>, Problem> {
    let code = CreditCode::parse_legacy(code)
        .map_err(|e| Problem::field(ProblemKind::Validation, "code", e.to_string()))?;
    let today = today(app);
    let certificates: Vec<PublicCertificate> = app
        .store
        .certificates_of(&code)
        .await
        .map_err(store_problem)?
        .iter()
        .map(|c| c.public_view(today))
        .collect();
    Ok(json(
        200,
        &serde_json::json!({"organization": code.as_str(), "certificates": certificates}),
    ))
}

/// The holder's account or staff of the issuing authority (the one helper).
fn may_hold(caller: &Principal, record: &CertificateRecord) -> Result<(), Problem> {
    caller
        .holder_or_staff_of(&record.org, &record.authority)
        .map(|_| ())
}

async fn download<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let caller = app.auth.principal(req)?;
    if caller == Principal::Public {
        return Err(Problem::unauthenticated());
    }
    if matches!(caller, Principal::Expert { .. }) {
        return Err(caller.deny("只有持证单位或发证机构工作人员可以下载证书"));
    }
    if !looks_like_serial(serial) {
        return Err(unknown_serial(serial));
    }
    let loaded = app
        .store
        .load(serial)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| unknown_serial(serial))?;
    may_hold(&caller, &loaded.record)?;
    let rendering = match loaded.current() {
        Some(r) => r.clone(),
        None => render_loaded(app, &loaded)
            .await
            .map_err(render_problem)?
            .rendering()
            .clone(),
    };
    let record = &loaded.record;
    let disposition =
        disposition::content_disposition(&record.company_name, &record.title, &record.serial);
    let url = app
        .pdfs
        .download_url(&rendering.key, &disposition, DOWNLOAD_URL_LIFETIME)
        .await
        .map_err(store_problem)?;
    let mut r = json(
        302,
        &serde_json::json!({
            "url": url,
            "expires_in_seconds": DOWNLOAD_URL_LIFETIME.as_secs(),
            "version": rendering.version,
        }),
    );
    *r.status_mut() = StatusCode::FOUND;
    if let Ok(v) = header::HeaderValue::from_str(&url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// Read a reissue or revocation body strictly (shared reader: unknown fields, wrong
/// types and control characters are refused with the field named): the texts named in
/// `texts` (multi-line allowed for `reason`) and the optional `version`.
fn read_body(
    body: &serde_json::Value,
    texts: &[&str],
) -> Result<(Vec<String>, Option<u64>), Problem> {
    use standing_domain::input::{Errors, Reader};
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let mut known = texts.to_vec();
    known.push("version");
    root.deny_unknown(&known, &mut errors);
    let values = texts
        .iter()
        .map(|name| {
            if *name == "reason" {
                root.multiline_text(name, 1, MAX_REASON_CHARS, &mut errors)
            } else {
                root.text(name, 1, MAX_REASON_CHARS, &mut errors)
            }
        })
        .collect();
    let version = root.optional_u64("version", 1, u64::MAX, &mut errors);
    errors.finish(|| (values, version))
}

fn check_version(record: &CertificateRecord, expected: Option<u64>) -> Result<(), Problem> {
    match expected {
        Some(v) if v != record.version => Err(Problem::field(
            ProblemKind::Conflict,
            "version",
            format!(
                "证书 {} 已被修改（当前版本 {}，请求基于版本 {v}），请刷新后重试",
                record.serial, record.version
            ),
        )),
        _ => Ok(()),
    }
}

/// The scheme version in force on `date` for a record's scheme, or the version it was
/// decided under when none is in force.
fn scheme_of(record: &CertificateRecord, date: NaiveDate) -> Result<&'static Scheme, Problem> {
    let registry = Registry::builtin().map_err(|e| {
        tracing::error!(error = %e, "scheme registry failed to load");
        Problem::internal()
    })?;
    let id: SchemeId = record.scheme.parse().map_err(|_| {
        tracing::error!(scheme = %record.scheme, "certificate of an unknown scheme");
        Problem::internal()
    })?;
    registry
        .in_force(id, date)
        .ok()
        .or_else(|| registry.version(id, &record.scheme_version))
        .ok_or_else(|| {
            tracing::error!(scheme = %record.scheme, "no scheme version for the certificate");
            Problem::internal()
        })
}

async fn dispatch_render<D: Dispatch>(dispatch: &D, serial: &str, version: u64) {
    // The change is committed; a lost render request is recovered by the download
    // route, which renders a missing version on the spot.
    if let Err(e) = dispatch.render(serial, version).await {
        tracing::error!(error = %e, serial, version, "render dispatch failed");
    }
}

#[derive(Debug, Serialize)]
struct ReissueAnswer {
    certificate: PublicCertificate,
    superseded: PublicCertificate,
}

async fn reissue<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let caller = app.auth.principal(req)?;
    match caller {
        Principal::Public => return Err(Problem::unauthenticated()),
        Principal::Expert { .. } => {
            return Err(caller.deny("只有持证单位或发证机构工作人员可以申请补发"));
        }
        _ => {}
    }
    if !looks_like_serial(serial) {
        return Err(unknown_serial(serial));
    }
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (mut texts, expected) = read_body(&body, &["reason"])?;
    let reason = texts.remove(0);
    let record = app
        .store
        .record(serial)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| unknown_serial(serial))?;
    may_hold(&caller, &record)?;
    check_version(&record, expected)?;
    let now = app.clock.now();
    let scheme = scheme_of(&record, standing_domain::clock::china_date(now))?;
    let prefix = scheme
        .serial_prefix()
        .map(str::to_owned)
        .unwrap_or_else(|_| record.serial.split('-').next().unwrap_or("CERT").to_owned());
    let (old, new, audit_old, audit_new) =
        record.reissue(reason, &prefix, Actor::from(&caller), now)?;
    app.store
        .reissue(&record, &old, &new, &audit_old, &audit_new)
        .await
        .map_err(store_problem)?;
    dispatch_render(&app.dispatch, &new.serial, new.version).await;
    dispatch_render(&app.dispatch, &old.serial, old.version).await;
    let today = today(app);
    let mut r = json(
        201,
        &ReissueAnswer {
            certificate: new.public_view(today),
            superseded: old.public_view(today),
        },
    );
    if let Ok(v) = header::HeaderValue::from_str(&format!("/v1/certificates/{}", new.serial)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

#[derive(Debug, Serialize)]
struct RevokeAnswer {
    certificate: PublicCertificate,
    /// First day the company may apply again under this scheme.
    may_reapply_from: NaiveDate,
}

async fn revoke<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let caller = app.auth.principal(req)?;
    caller.require_staff()?;
    if !looks_like_serial(serial) {
        return Err(unknown_serial(serial));
    }
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (mut texts, expected) = read_body(&body, &["ground", "reason"])?;
    let reason = texts.remove(1);
    let ground = texts.remove(0);
    let record = app
        .store
        .record(serial)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| unknown_serial(serial))?;
    caller.staff_of(&record.authority)?;
    check_version(&record, expected)?;
    let now = app.clock.now();
    let today = standing_domain::clock::china_date(now);
    let scheme = scheme_of(&record, today)?;
    let grounds = scheme.revocation_grounds();
    let Some(found) = grounds.iter().find(|g| g.code == ground) else {
        let codes: Vec<&str> = grounds.iter().map(|g| g.code.as_str()).collect();
        return Err(Problem::field(
            ProblemKind::Validation,
            "ground",
            format!(
                "撤销事由 {ground} 不是该评价办法规定的事由，可选：{}",
                codes.join("、")
            ),
        ));
    };
    let may_reapply_from = scheme.may_reapply_from(today).map_err(|e| {
        tracing::error!(error = %e, "scheme has no ban period");
        Problem::internal()
    })?;
    let actor = Actor::from(&caller);
    let revocation = Revocation {
        ground: found.code.clone(),
        ground_title_zh: found.title_zh.clone(),
        reason,
        on: today,
        may_reapply_from,
        by: actor.clone(),
    };
    let (after, audit) = record.revoke(revocation, actor, now)?;
    app.store
        .revoke(&record, &after, &audit)
        .await
        .map_err(store_problem)?;
    dispatch_render(&app.dispatch, &after.serial, after.version).await;
    Ok(json(
        200,
        &RevokeAnswer {
            certificate: after.public_view(today),
            may_reapply_from,
        },
    ))
}

/// Re-exported for tests and the benchmark harness.
pub use render::{Outcome, render_job};
pub use store::Rendering;

/// Load a certificate with its renderings (used by tests to check what was stored).
pub async fn load<S: CertStore>(store: &S, serial: &str) -> Result<Option<Loaded>, StoreError> {
    store.load(serial).await
}
