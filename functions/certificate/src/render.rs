//! Rendering a certificate version to a signed PDF in the certificates bucket.
//!
//! Idempotent: a version that has a rendering item is not rendered or written again;
//! the item is created only if absent, so two concurrent renders of one version leave
//! one item (their PDFs are byte-identical anyway: rendering is deterministic).

use crate::pdfs::PdfBucket;
use crate::store::{CertStore, Loaded, Rendering};
use crate::{App, Settings};
use chrono::{Datelike, NaiveDate};
use standing_certificate_pdf::{CertificateFields, Extras, Seal, SealFormat, StatusStamp};
use standing_domain::audit::{Actor, AuditEvent};
use standing_domain::certificate::{CertificateRecord, CertificateStatus};
use standing_domain::dispatch::Dispatch;
use standing_domain::store::StoreError;

/// Why a render did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RenderFailure {
    #[error("certificate {0} not found")]
    NotFound(String),
    #[error(
        "certificate {serial} is at version {current}, the job asks for {asked}: not yet visible"
    )]
    AheadOfRecord {
        serial: String,
        current: u64,
        asked: u64,
    },
    #[error("certificate {0}: version does not fit the signed fields")]
    Version(String),
    #[error(transparent)]
    Render(#[from] standing_certificate_pdf::RenderError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RenderFailure {
    /// Whether running the job again may succeed: a record not yet at the asked
    /// version (its write is not visible yet), or storage that may come back. A
    /// missing record, fields that do not fit and a template that does not render fail
    /// the same way every time.
    pub fn retryable(&self) -> bool {
        match self {
            RenderFailure::AheadOfRecord { .. } => true,
            RenderFailure::Store(e) => e.retryable(),
            RenderFailure::NotFound(_) | RenderFailure::Version(_) | RenderFailure::Render(_) => {
                false
            }
        }
    }
}

/// What a render call did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A new PDF was written and its rendering item created. `render_ms`: the time to
    /// sign and render (QR, layout, PDF export), without storage.
    Rendered {
        rendering: Rendering,
        render_ms: f64,
    },
    /// This version was already rendered: nothing written.
    AlreadyRendered(Rendering),
}

impl Outcome {
    pub fn rendering(&self) -> &Rendering {
        match self {
            Outcome::Rendered { rendering, .. } | Outcome::AlreadyRendered(rendering) => rendering,
        }
    }
}

/// The verification URL printed in the QR code.
pub fn verify_url(base: &str, serial: &str) -> String {
    format!(
        "{}/v1/certificates/{serial}/verify",
        base.trim_end_matches('/')
    )
}

/// The signed, printed fields of a record.
pub fn fields_of(
    record: &CertificateRecord,
    settings: &Settings,
) -> Result<CertificateFields, RenderFailure> {
    Ok(CertificateFields {
        serial: record.serial.clone(),
        scheme_id: record.scheme.clone(),
        authority_name: record.authority_name.clone(),
        title: record.title.clone(),
        company_name: record.company_name.clone(),
        credit_code: record.org.to_string(),
        level_label: record.level_label.clone(),
        issue_date: record.issued_on,
        valid_until: record.valid_until,
        verify_url: verify_url(&settings.public_base_url, &record.serial),
        version: u32::try_from(record.version)
            .map_err(|_| RenderFailure::Version(record.serial.clone()))?,
        address: record.address.clone(),
        scope: record.scope.clone(),
        basis: record.basis.clone(),
    })
}

fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The stamp of a record that is no longer valid (from its stored status, so a
/// re-render of the same version prints the same thing).
pub fn stamp_of(record: &CertificateRecord) -> Option<StatusStamp> {
    let note = match record.status {
        CertificateStatus::Valid => return None,
        CertificateStatus::Expired => format!("有效期至{}", zh_date(record.valid_until)),
        CertificateStatus::Superseded => format!(
            "补发证书编号：{}",
            record.superseded_by.as_deref().unwrap_or("—")
        ),
        CertificateStatus::Revoked => match &record.revocation {
            Some(r) => format!("撤销日期：{}", zh_date(r.on)),
            None => "已被发证机构撤销".to_owned(),
        },
    };
    Some(StatusStamp {
        code: record.status.as_str().to_owned(),
        label: record.status.label_zh().to_owned(),
        note,
    })
}

/// The template of a scheme: `<scheme>.typ` if the templates directory has one (an
/// authority may add or edit it at any time), else the default `certificate.typ`.
pub fn template_for(renderer: &standing_certificate_pdf::Renderer, scheme: &str) -> String {
    let valid = !scheme.is_empty()
        && scheme.len() <= 64
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if valid
        && renderer
            .templates_dir()
            .join(format!("{scheme}.typ"))
            .is_file()
    {
        scheme.to_owned()
    } else {
        "certificate".to_owned()
    }
}

/// The seal printed over the issuer's name: the one the authority uploaded (one
/// GetItem, one S3 GET), else the generated specimen on a stack that asks for it
/// (`STANDING_SPECIMEN_SEAL=1`), else none (the paper copy is sealed by hand).
async fn seal_for<S, O, D>(
    app: &App<S, O, D>,
    record: &CertificateRecord,
) -> Result<Option<Seal>, RenderFailure>
where
    S: CertStore,
    O: PdfBucket,
{
    let Some(stored) = app.store.seal(&record.authority).await? else {
        return Ok(app
            .settings
            .specimen_seal
            .then(|| Seal::specimen(&record.authority_name)));
    };
    let corrupt = |why: String| RenderFailure::Store(StoreError::Corrupt(why));
    let format = SealFormat::from_content_type(&stored.content_type).ok_or_else(|| {
        corrupt(format!(
            "seal {} has type {}",
            stored.key, stored.content_type
        ))
    })?;
    let picture = app
        .pdfs
        .seal_picture(&stored.key)
        .await?
        .ok_or_else(|| corrupt(format!("seal picture {} is missing", stored.key)))?;
    Seal::new(picture, format)
        .map(Some)
        .map_err(|e| corrupt(format!("seal picture {}: {e}", stored.key)))
}

/// Render the current version of a loaded certificate unless it is rendered already.
pub async fn render_loaded<S, O, D>(
    app: &App<S, O, D>,
    loaded: &Loaded,
) -> Result<Outcome, RenderFailure>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    if let Some(done) = loaded.current() {
        return Ok(Outcome::AlreadyRendered(done.clone()));
    }
    let record = &loaded.record;
    let seal = seal_for(app, record).await?;
    let started = std::time::Instant::now();
    let fields = fields_of(record, &app.settings)?;
    let signature = app.signing.signer.sign(&fields);
    let template = template_for(&app.renderer, &record.scheme);
    let stamp = stamp_of(record);
    let pdf = app.renderer.render_certificate(
        &template,
        &fields,
        &signature,
        Extras {
            stamp: stamp.as_ref(),
            seal: seal.as_ref(),
        },
    )?;
    let render_ms = started.elapsed().as_secs_f64() * 1000.0;
    let key = Rendering::object_key(&record.serial, record.version);
    let rendering = Rendering {
        serial: record.serial.clone(),
        version: record.version,
        key: key.clone(),
        bytes: pdf.len() as u64,
        fields,
        signature: signature.as_str().to_owned(),
        key_id: app.signing.key_id.clone(),
        template,
        status: record.status,
        seal_sha256: seal
            .as_ref()
            .filter(|s| !s.is_specimen())
            .map(Seal::sha256_hex),
        seal_specimen: seal.as_ref().is_some_and(Seal::is_specimen),
        rendered_at: app.clock.now(),
    };
    app.pdfs.put_pdf(&key, pdf).await?;
    let audit = AuditEvent::new(
        rendering.rendered_at,
        Actor::system("certificate-render"),
        "certificate.rendered",
        record.entity(),
        None,
        serde_json::to_value(&rendering).ok(),
    );
    match app.store.save_rendering(&rendering, &audit).await {
        Ok(()) => Ok(Outcome::Rendered {
            rendering,
            render_ms,
        }),
        // Rendered concurrently by another invocation: same bytes, same key.
        Err(StoreError::Conflict(_)) => Ok(Outcome::AlreadyRendered(rendering)),
        Err(e) => Err(e.into()),
    }
}

/// The render job: render the record's current version (if not rendered yet). A job
/// for an older version renders the current one (the older state is gone, and the
/// newer version has its own job); a job for a version the record has not reached
/// yet fails, so Lambda retries it.
pub async fn render_job<S, O, D>(
    app: &App<S, O, D>,
    serial: &str,
    version: u64,
) -> Result<Outcome, RenderFailure>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    if !standing_domain::certificate::looks_like_serial(serial) {
        return Err(RenderFailure::NotFound(serial.to_owned()));
    }
    let loaded = app
        .store
        .load(serial)
        .await?
        .ok_or_else(|| RenderFailure::NotFound(serial.to_owned()))?;
    if version > loaded.record.version {
        return Err(RenderFailure::AheadOfRecord {
            serial: serial.to_owned(),
            current: loaded.record.version,
            asked: version,
        });
    }
    render_loaded(app, &loaded).await
}
