//! The public routes: the signing keys (JWKS), a certificate's public view with what was
//! signed, the verification page the QR code opens, and a company's certificates.

use crate::page;
use crate::render::{self};
use crate::store::CertStore;
use lambda_http::http::header;
use lambda_http::{Body, Response};
use serde::Serialize;
use standing_certificate_pdf::{CertificateFields, canonical_json};
use standing_domain::certificate::{PublicCertificate, looks_like_serial};
use standing_domain::ids::CreditCode;
use standing_domain::problem::{Problem, ProblemKind};
use standing_http::respond::html;
use standing_http::{json, problem};

use crate::{App, KEYS_PATH, Settings, by_serial, store_problem, today};

pub(crate) fn keys<S, O, D>(app: &App<S, O, D>) -> Response<Body> {
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

pub(crate) fn keys_url(settings: &Settings) -> String {
    format!("{}{KEYS_PATH}", settings.public_base_url)
}

pub(crate) async fn public_json<S: CertStore, O, D>(
    app: &App<S, O, D>,
    serial: &str,
) -> Result<Response<Body>, Problem> {
    let loaded = by_serial(serial, || app.store.load(serial)).await?;
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

pub(crate) async fn verify<S: CertStore, O, D>(app: &App<S, O, D>, serial: &str) -> Response<Body> {
    if !looks_like_serial(serial) {
        return html(404, page::not_found_page());
    }
    // One strongly consistent query reads the record and its renderings: the page
    // shows the signature of the current version.
    match app.store.load(serial).await {
        Ok(Some(loaded)) => {
            let today = today(app);
            let signature = loaded.current().map(|r| page::ShownSignature {
                signature: &r.signature,
                key_id: &r.key_id,
                version: r.version,
            });
            html(
                200,
                page::verification_page(
                    &loaded.record.public_view(today),
                    today,
                    &keys_url(&app.settings),
                    signature,
                ),
            )
        }
        Ok(None) => html(404, page::not_found_page()),
        Err(e) => problem(&store_problem(e)),
    }
}

pub(crate) async fn list<S: CertStore, O, D>(
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
