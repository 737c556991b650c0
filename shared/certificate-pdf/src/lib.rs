//! Certificate rendering for Standing: a one-page A4 PDF/A-2b made from a Typst
//! template that an authority can edit without recompiling, a QR code that opens
//! the public verification URL, and a detached Ed25519 signature over a
//! canonical JSON form of the certificate fields.
//!
//! The crate is pure: no AWS types, no network. It reads files only to load
//! fonts (from the directory in [`FontSource`]) and templates (from the
//! templates directory given to [`Renderer::new`]).
//!
//! ```no_run
//! use standing_certificate_pdf::{CertificateFields, FontSource, Renderer, Signer};
//! # fn demo(fields: CertificateFields) -> Result<(), Box<dyn std::error::Error>> {
//! let signer = Signer::from_seed_str("base64-or-hex-32-byte-seed")?;
//! let renderer = Renderer::new(FontSource::from_env(), "shared/certificate-pdf/templates")?;
//! let signature = signer.sign(&fields);
//! let pdf: Vec<u8> = renderer.render_pdf("certificate", &fields, &signature)?;
//! # let _ = pdf; Ok(()) }
//! ```
//!
//! See `docs/certificates.md` for the template data contract and the canonical form.

mod canonical;
mod fields;
mod fonts;
mod qr;
mod render;
mod report;
mod seal;
mod sign;

pub use canonical::canonical_json;
pub use fields::{CertificateFields, FieldError};
pub use fonts::{FontError, FontSource};
pub use qr::{QrError, qr_svg};
pub use render::{Extras, RenderError, Renderer, StatusStamp};
pub use report::{CreditReportFields, ReportEvent, canonical_report_json};
pub use seal::{MAX_SEAL_BYTES, Seal, SealError, SealFormat};
pub use sign::{KeyError, PublicKey, Signature, SignatureError, Signer, verify, verify_report};
