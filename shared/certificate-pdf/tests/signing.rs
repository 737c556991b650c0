//! Signing: verification, and failure after any single field change.

mod common;

use common::fields;
use standing_certificate_pdf::{
    CertificateFields, PublicKey, Signature, Signer, canonical_json, verify,
};

fn signer() -> Signer {
    Signer::from_seed_str("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .unwrap()
}

#[test]
fn signature_verifies_with_the_published_key() {
    let f = fields();
    let sig = signer().sign(&f);
    assert_eq!(sig.as_str().len(), 86, "64 bytes as unpadded base64url");
    assert!(verify(&f, &sig, &signer().public_key()));
    // The key as published (base64 and JWK) verifies too.
    let pk = signer().public_key();
    let from_b64 = PublicKey::from_str_any(&pk.to_base64()).unwrap();
    let jwk = pk.to_jwk();
    let from_jwk = PublicKey::from_str_any(jwk["x"].as_str().unwrap()).unwrap();
    assert!(verify(&f, &sig, &from_b64));
    assert!(verify(&f, &sig, &from_jwk));
    // And a signature read back from text.
    let parsed = Signature::from_base64url(sig.as_str()).unwrap();
    assert!(verify(&f, &parsed, &pk));
}

#[test]
fn signing_is_deterministic() {
    let f = fields();
    assert_eq!(signer().sign(&f), signer().sign(&f));
}

#[test]
fn any_single_field_change_fails_verification() {
    let f = fields();
    let sig = signer().sign(&f);
    let pk = signer().public_key();
    type Change = fn(&mut CertificateFields);
    let changes: Vec<(&str, Change)> = vec![
        ("serial", |f| f.serial.push('1')),
        ("scheme_id", |f| f.scheme_id = "star-rating".into()),
        ("authority_name", |f| f.authority_name.push('会')),
        ("title", |f| f.title = "服务能力等级证明".into()),
        ("company_name", |f| {
            f.company_name = f.company_name.replace("青城", "青成")
        }),
        ("credit_code", |f| {
            f.credit_code = "91150100MA0N8K3Q2Y".into()
        }),
        ("level_label", |f| f.level_label = "一级".into()),
        ("issue_date", |f| {
            f.issue_date = f.issue_date.succ_opt().unwrap()
        }),
        ("valid_until", |f| {
            f.valid_until = f.valid_until.succ_opt().unwrap()
        }),
        ("verify_url", |f| f.verify_url.push('x')),
        ("version", |f| f.version += 1),
    ];
    // Every field of the struct is covered (11), so none escapes the signature.
    assert_eq!(changes.len(), 11);
    for (name, change) in changes {
        let mut changed = f.clone();
        change(&mut changed);
        assert_ne!(changed, f, "{name} changed");
        assert!(
            !verify(&changed, &sig, &pk),
            "{name} change must fail verification"
        );
    }
}

#[test]
fn wrong_key_or_tampered_signature_fails() {
    let f = fields();
    let sig = signer().sign(&f);
    let other = Signer::from_seed(&[9u8; 32]).public_key();
    assert!(!verify(&f, &sig, &other));

    let mut bytes = base64_decode(sig.as_str());
    bytes[10] ^= 1;
    let tampered = Signature::from_bytes(&bytes.try_into().unwrap());
    assert!(!verify(&f, &tampered, &signer().public_key()));
}

#[test]
fn canonical_json_is_sorted_compact_utf8() {
    let text = String::from_utf8(canonical_json(&fields())).unwrap();
    assert!(
        text.starts_with(r#"{"authority_name":"内蒙古自治区安全技术防范行业协会","company_name":"#)
    );
    assert!(text.ends_with(r#","version":2}"#));
    assert!(!text.contains(": ") && !text.contains(", "));
    assert!(text.contains(r#""issue_date":"2026-06-18""#));
    // The example printed in docs/certificates.md.
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/certificates.md"
    ))
    .unwrap();
    assert!(doc.contains(&text), "docs/certificates.md shows {text}");
}

/// Minimal unpadded base64url decoder for the test (no extra dependency).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url"),
        }
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        acc = (acc << 6) | val(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
