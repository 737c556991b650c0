//! Detached Ed25519 signatures over the canonical JSON of the fields.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::{CertificateFields, CreditReportFields, canonical_json, canonical_report_json};

/// A key could not be read from configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is neither 64 hex digits nor base64/base64url of 32 bytes.
    #[error("key must be 32 bytes as 64 hex digits or base64/base64url")]
    Encoding,
    /// The bytes are not a valid Ed25519 public key.
    #[error("not a valid Ed25519 public key")]
    InvalidPublicKey,
}

/// A signature string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("signature must be 64 bytes in unpadded base64url")]
pub struct SignatureError;

/// A detached Ed25519 signature, carried as unpadded base64url (86 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Signature(String);

impl Signature {
    /// Parses an unpadded base64url signature of 64 bytes.
    pub fn from_base64url(text: &str) -> Result<Self, SignatureError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| SignatureError)?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| SignatureError)?;
        Ok(Self::from_bytes(&bytes))
    }

    /// Wraps 64 raw signature bytes.
    pub fn from_bytes(bytes: &[u8; 64]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The unpadded base64url text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn to_dalek(&self) -> Option<ed25519_dalek::Signature> {
        let bytes = URL_SAFE_NO_PAD.decode(&self.0).ok()?;
        let bytes: [u8; 64] = bytes.try_into().ok()?;
        Some(ed25519_dalek::Signature::from_bytes(&bytes))
    }
}

impl std::fmt::Display for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Ed25519 public key, for the well-known endpoint and for verification.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PublicKey")
            .field(&self.to_base64url())
            .finish()
    }
}

impl PublicKey {
    /// Reads a public key from 64 hex digits or base64/base64url (padded or not).
    pub fn from_str_any(text: &str) -> Result<Self, KeyError> {
        let bytes = decode_32(text)?;
        Self::from_bytes(&bytes)
    }

    /// Wraps 32 raw public-key bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        VerifyingKey::from_bytes(bytes)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    /// The 32 raw bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Standard base64 (padded) of the 32 raw bytes.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.as_bytes())
    }

    /// Unpadded base64url of the 32 raw bytes (the JWK `x` member).
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    /// RFC 7638 JWK thumbprint (SHA-256, unpadded base64url), used as `kid`.
    pub fn key_id(&self) -> String {
        // Members in lexicographic order, no whitespace (RFC 7638 §3.2).
        let canonical = format!(
            r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
            self.to_base64url()
        );
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The key as a JWK (RFC 8037 OKP, Ed25519) for a JWKS endpoint:
    /// `{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"alg":"EdDSA","use":"sig"}`.
    pub fn to_jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": self.to_base64url(),
            "kid": self.key_id(),
            "alg": "EdDSA",
            "use": "sig",
        })
    }
}

/// Signs certificate fields with an Ed25519 key made from a 32-byte seed.
#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the seed.
        f.debug_struct("Signer")
            .field("public_key", &self.public_key())
            .finish()
    }
}

impl Signer {
    /// Makes a signer from the 32-byte seed (RFC 8032 private key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(seed),
        }
    }

    /// Makes a signer from a seed given as 64 hex digits or as base64/base64url
    /// (padded or not) of 32 bytes, as read from configuration.
    pub fn from_seed_str(text: &str) -> Result<Self, KeyError> {
        let seed = decode_32(text)?;
        Ok(Self::from_seed(&seed))
    }

    /// The public key to publish.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }

    /// Signs the canonical JSON of `fields` ([`canonical_json`]).
    pub fn sign(&self, fields: &CertificateFields) -> Signature {
        self.sign_bytes(&canonical_json(fields))
    }

    /// Signs the canonical JSON of a credit report ([`canonical_report_json`]).
    pub fn sign_report(&self, fields: &CreditReportFields) -> Signature {
        self.sign_bytes(&canonical_report_json(fields))
    }

    /// Verifies a credit report's signature with this signer's public key.
    pub fn verify_report(&self, fields: &CreditReportFields, signature: &Signature) -> bool {
        verify_report(fields, signature, &self.public_key())
    }

    fn sign_bytes(&self, message: &[u8]) -> Signature {
        use ed25519_dalek::Signer as _;
        Signature::from_bytes(&self.key.sign(message).to_bytes())
    }
}

/// Verifies `signature` over the canonical JSON of `fields` with `public_key`.
///
/// Uses strict verification (rejects non-canonical and small-order cases).
pub fn verify(fields: &CertificateFields, signature: &Signature, public_key: &PublicKey) -> bool {
    verify_bytes(&canonical_json(fields), signature, public_key)
}

/// Verifies `signature` over the canonical JSON of a credit report
/// ([`canonical_report_json`]) with `public_key` (strict, like [`verify`]).
pub fn verify_report(
    fields: &CreditReportFields,
    signature: &Signature,
    public_key: &PublicKey,
) -> bool {
    verify_bytes(&canonical_report_json(fields), signature, public_key)
}

fn verify_bytes(message: &[u8], signature: &Signature, public_key: &PublicKey) -> bool {
    let Some(signature) = signature.to_dalek() else {
        return false;
    };
    public_key.0.verify_strict(message, &signature).is_ok()
}

/// Decodes 32 bytes from hex or any base64 alphabet, padded or not.
fn decode_32(text: &str) -> Result<[u8; 32], KeyError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        decode_hex(text).ok_or(KeyError::Encoding)?
    } else {
        [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
            .ok_or(KeyError::Encoding)?
    };
    bytes.try_into().map_err(|_| KeyError::Encoding)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8032 §7.1 test 1: seed and public key.
    const SEED_HEX: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const PUBLIC_HEX: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    #[test]
    fn seed_from_hex_and_base64_give_the_same_key() {
        let from_hex = Signer::from_seed_str(SEED_HEX).unwrap();
        let seed = decode_hex(SEED_HEX).unwrap();
        for text in [
            STANDARD.encode(&seed),
            STANDARD_NO_PAD.encode(&seed),
            URL_SAFE.encode(&seed),
            URL_SAFE_NO_PAD.encode(&seed),
        ] {
            let signer = Signer::from_seed_str(&text).unwrap();
            assert_eq!(signer.public_key(), from_hex.public_key());
        }
        assert_eq!(
            from_hex.public_key(),
            PublicKey::from_str_any(PUBLIC_HEX).unwrap()
        );
    }

    #[test]
    fn rfc8032_empty_message_vector() {
        // Signing the empty message must give RFC 8032's signature: checks we
        // use pure Ed25519 on the raw seed.
        let signer = Signer::from_seed_str(SEED_HEX).unwrap();
        use ed25519_dalek::Signer as _;
        let sig = signer.key.sign(b"");
        let expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        assert_eq!(decode_hex(expected).unwrap(), sig.to_bytes().to_vec());
    }

    #[test]
    fn bad_keys_are_rejected() {
        assert_eq!(Signer::from_seed_str("").unwrap_err(), KeyError::Encoding);
        assert_eq!(
            Signer::from_seed_str("abcd").unwrap_err(),
            KeyError::Encoding
        );
        assert_eq!(
            Signer::from_seed_str(&STANDARD.encode([1u8; 31])).unwrap_err(),
            KeyError::Encoding
        );
        assert!(Signature::from_base64url("not a signature").is_err());
        assert!(Signature::from_base64url(&URL_SAFE_NO_PAD.encode([0u8; 63])).is_err());
    }

    #[test]
    fn jwk_has_okp_members_and_rfc7638_kid() {
        let key = PublicKey::from_str_any(PUBLIC_HEX).unwrap();
        let jwk = key.to_jwk();
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert_eq!(jwk["x"], "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
        // RFC 8037 Appendix A.3: thumbprint of this very key.
        assert_eq!(jwk["kid"], "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
        assert_eq!(
            PublicKey::from_str_any(&key.to_base64()).unwrap(),
            PublicKey::from_str_any(jwk["x"].as_str().unwrap()).unwrap()
        );
    }
}
