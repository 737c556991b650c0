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
//! - `GET|PUT /v1/authorities/{authority}/seal` — the authority's seal printed over its
//!   name on its certificates; its own staff only (`seals.rs`).
//! - `POST /v1/credit/agencies/{code}/report` — the credit report PDF of an agency in
//!   the credit register (the agency or staff of the bureau; `credit_report.rs`).
//! - `GET /v1/credit-reports/{serial}` and `GET /v1/credit-reports/{serial}/verify` —
//!   a credit report's signed data and verification page, public.
//! - `GET /v1/health/certificate`
//!
//! And the asynchronous event `{"job":"render","serial":…,"version":…}` (see
//! [`event::handle_event`], which takes both kinds of payload).
//!
//! Each handler reads as: authorize, load, decide (pure, in `standing-domain`), save
//! atomically with its audit event, respond.
//!
//! Files: this one holds the router and what every route shares; `public.rs` the public
//! routes (keys, public view, verification page, a company's list), `download.rs` the PDF
//! download, `changes.rs` reissue and revocation, `settings.rs` the environment (base URL,
//! templates, signing keys); `event.rs` the Lambda entry point for both HTTP and jobs,
//! `render.rs` the render job, `store.rs` and `pdfs.rs` the storage it needs.

mod changes;
pub mod credit_report;
pub mod disposition;
mod download;
pub mod event;
pub mod page;
pub mod pdfs;
mod public;
pub mod render;
mod seals;
mod settings;
pub mod store;

use chrono::NaiveDate;
use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use pdfs::PdfBucket;
use render::RenderFailure;
use standing_certificate_pdf::Renderer;
use standing_domain::Principal;
use standing_domain::certificate::{CertificateRecord, looks_like_serial};
use standing_domain::clock::Clock;
use standing_domain::dispatch::Dispatch;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::StoreError;
use standing_http::respond::{health_check, no_route, wrong_method};
use standing_http::{Authenticator, problem};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use store::{CertStore, Loaded};

pub use public::{PublicAnswer, Signed};
pub use settings::{Settings, SettingsError, Signing, default_templates_dir};

/// Largest request body accepted, in bytes (a reason of a few sentences).
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// Longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Lifetime of a presigned download URL.
pub const DOWNLOAD_URL_LIFETIME: Duration = Duration::from_secs(300);
/// Path of the public signing keys.
pub const KEYS_PATH: &str = "/.well-known/standing-certificate-keys.json";

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

pub(crate) fn render_problem(e: RenderFailure) -> Problem {
    match e {
        RenderFailure::Store(s) => store_problem(s),
        other => {
            tracing::error!(error = %other, "render failure");
            Problem::internal()
        }
    }
}

pub(crate) fn unknown_serial(serial: &str) -> Problem {
    let shown: String = serial.chars().take(64).collect();
    Problem::field(
        ProblemKind::NotFound,
        "serial",
        format!("未找到证书编号为 {shown} 的证书：编号不存在或格式不正确"),
    )
}

/// Look a certificate up by serial with `read`: a malformed serial and an unknown one
/// are the same 404, which names the serial.
async fn by_serial<T, F>(serial: &str, read: impl FnOnce() -> F) -> Result<T, Problem>
where
    F: Future<Output = Result<Option<T>, StoreError>>,
{
    if !looks_like_serial(serial) {
        return Err(unknown_serial(serial));
    }
    read()
        .await
        .map_err(store_problem)?
        .ok_or_else(|| unknown_serial(serial))
}

/// Callers who may hold or keep a certificate at all: a company or staff (whether it is
/// this record's holder or authority is checked once the record is read). No token is a
/// 401; an expert is refused with `refusal`.
fn company_or_staff(caller: &Principal, refusal: &str) -> Result<(), Problem> {
    match caller {
        Principal::Public => Err(Problem::unauthenticated()),
        Principal::Expert { .. } => Err(caller.deny(refusal)),
        _ => Ok(()),
    }
}

/// The holder's account or staff of the issuing authority (the one helper).
fn may_hold(caller: &Principal, record: &CertificateRecord) -> Result<(), Problem> {
    caller
        .holder_or_staff_of(&record.org, &record.authority)
        .map(|_| ())
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
    // Each route's future is boxed: in debug builds their sizes add up on the stack.
    let result = match segments.as_slice() {
        [".well-known", "standing-certificate-keys.json"] if get => Ok(public::keys(app)),
        [".well-known", "standing-certificate-keys.json"] => return wrong_method("GET"),
        ["v1", "health", "certificate"] if get => {
            let deep = async {
                let (table, bucket) = tokio::join!(app.store.check(), app.pdfs.check());
                vec![table, bucket]
            };
            return Box::pin(health_check("certificate", &req, deep)).await;
        }
        ["v1", "health", "certificate"] => return wrong_method("GET"),
        ["v1", "certificates", serial] if get => Box::pin(public::public_json(app, serial)).await,
        ["v1", "certificates", _] => return wrong_method("GET"),
        ["v1", "certificates", serial, "verify"] if get => {
            return Box::pin(public::verify(app, serial)).await;
        }
        ["v1", "certificates", _, "verify"] => return wrong_method("GET"),
        ["v1", "certificates", serial, "pdf"] if get => {
            Box::pin(download::download(app, &req, serial)).await
        }
        ["v1", "certificates", _, "pdf"] => return wrong_method("GET"),
        ["v1", "certificates", serial, "reissue"] if post => {
            Box::pin(changes::reissue(app, &req, serial)).await
        }
        ["v1", "certificates", _, "reissue"] => return wrong_method("POST"),
        ["v1", "certificates", serial, "revoke"] if post => {
            Box::pin(changes::revoke(app, &req, serial)).await
        }
        ["v1", "certificates", _, "revoke"] => return wrong_method("POST"),
        ["v1", "organizations", code, "certificates"] if get => {
            Box::pin(public::list(app, code)).await
        }
        ["v1", "organizations", _, "certificates"] => return wrong_method("GET"),
        ["v1", "authorities", authority, "seal"] if get => {
            Box::pin(seals::get(app, &req, authority)).await
        }
        ["v1", "authorities", authority, "seal"] if req.method() == Method::PUT => {
            Box::pin(seals::put(app, &req, authority)).await
        }
        ["v1", "authorities", _, "seal"] => return wrong_method("GET, PUT"),
        ["v1", "credit", "agencies", code, "report"] if post => {
            Box::pin(credit_report::issue(app, &req, code)).await
        }
        ["v1", "credit", "agencies", _, "report"] => return wrong_method("POST"),
        ["v1", "credit-reports", serial] if get => {
            Box::pin(credit_report::public_json(app, serial)).await
        }
        ["v1", "credit-reports", _] => return wrong_method("GET"),
        ["v1", "credit-reports", serial, "verify"] if get => {
            return Box::pin(credit_report::verify(app, serial)).await;
        }
        ["v1", "credit-reports", _, "verify"] => return wrong_method("GET"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

pub(crate) fn today<S, O, D>(app: &App<S, O, D>) -> NaiveDate {
    app.clock.today_in_china()
}

/// Re-exported for tests and the benchmark harness.
pub use render::{Outcome, render_job};
pub use store::Rendering;

/// Load a certificate with its renderings (used by tests to check what was stored).
pub async fn load<S: CertStore>(store: &S, serial: &str) -> Result<Option<Loaded>, StoreError> {
    store.load(serial).await
}
