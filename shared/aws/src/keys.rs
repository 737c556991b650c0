//! Key design of the single table. See `docs/access-patterns.md` for the full list of
//! access patterns these keys serve; every key string is built here and nowhere else.

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";

/// A company's partition: its profile, and the audit trail of its profile.
pub fn org_pk(code: &str) -> String {
    format!("ORG#{code}")
}

pub const ORG_PROFILE_SK: &str = "PROFILE";

/// An audit event sorts after the record it belongs to, by ULID (time order).
pub fn audit_sk(event_id: &str) -> String {
    format!("AUDIT#{event_id}")
}

/// Used to prime the connection at init: a key that never exists.
pub const PRIME_PK: &str = "#PRIME";
