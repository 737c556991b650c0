//! What the function reads from its environment: the public base URL, the templates,
//! the signing key and the keys it publishes.

use standing_certificate_pdf::{PublicKey, Signer};
use std::path::PathBuf;

/// Settings from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Public base URL of the API (`PUBLIC_BASE_URL`), printed in QR codes.
    pub public_base_url: String,
    /// Templates directory (`STANDING_TEMPLATE_DIR`).
    pub templates_dir: PathBuf,
    /// Print a generated specimen seal (样章) for an authority that has uploaded none
    /// (`STANDING_SPECIMEN_SEAL=1`): local and test stacks only. A deployed stack
    /// never sets it: without an uploaded seal its certificates carry none, and the
    /// paper copy is sealed by hand.
    pub specimen_seal: bool,
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
        let specimen_seal = match std::env::var("STANDING_SPECIMEN_SEAL").as_deref() {
            Err(_) | Ok("" | "0") => false,
            Ok("1") => true,
            Ok(other) => {
                return Err(SettingsError::Invalid(
                    "STANDING_SPECIMEN_SEAL",
                    format!("{other:?}: use 1 (local stacks) or leave it unset"),
                ));
            }
        };
        Ok(Settings {
            public_base_url: base.trim_end_matches('/').to_owned(),
            templates_dir,
            specimen_seal,
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
