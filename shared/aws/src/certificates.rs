//! Certificate records in the single table (access patterns 16-19 of
//! `docs/access-patterns.md`).

use crate::keys;
use crate::store::{DynamoStore, IndexRange, Item, Transaction, item_with_keys};
use standing_domain::audit::AuditEvent;
use standing_domain::certificate::{Ban, CertificateRecord, CertificateStatus};
use standing_domain::ids::CreditCode;
use standing_domain::store::{ConflictOn, Entity, StoreError};

/// The item of a certificate record, with its index keys: by company (GSI1) always, by
/// last valid day (GSI2) only while it is valid, so the annual-report job reads exactly
/// the certificates that may expire.
pub fn cert_item(c: &CertificateRecord) -> Result<Item, StoreError> {
    let mut extra = vec![
        (keys::GSI1PK, keys::org_pk(c.org.as_str())),
        (
            keys::GSI1SK,
            keys::cert_by_org_sk(&c.scheme, &c.issued_on.to_string(), &c.serial),
        ),
    ];
    if c.status == CertificateStatus::Valid {
        extra.push((
            keys::GSI2PK,
            keys::cert_expiry_pk(&c.scheme, &c.valid_until.to_string()),
        ));
        extra.push((keys::GSI2SK, c.serial.clone()));
    }
    item_with_keys(
        c,
        "certificate",
        keys::cert_pk(&c.serial),
        keys::CERT_SK.into(),
        &extra,
    )
}

impl Transaction {
    /// Create (`before == None`) or replace a certificate record, checking that the stored
    /// one is still `before`'s version, with its audit event.
    pub fn certificate(
        &mut self,
        table: &str,
        before: Option<&CertificateRecord>,
        after: &CertificateRecord,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.put(
            table,
            cert_item(after)?,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Certificate),
        )?;
        self.audit(table, &keys::cert_pk(&after.serial), audit)
    }
}

impl DynamoStore {
    pub async fn get_certificate(
        &self,
        serial: &str,
    ) -> Result<Option<CertificateRecord>, StoreError> {
        self.get(keys::cert_pk(serial), keys::CERT_SK).await
    }

    /// A company's certificates of one scheme (all schemes with `None`), oldest first.
    pub async fn certificates_of(
        &self,
        org: &CreditCode,
        scheme: Option<&str>,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        let prefix = keys::cert_by_org_prefix(scheme);
        self.query_index(
            keys::GSI1,
            keys::org_pk(org.as_str()),
            IndexRange::Prefix(&prefix),
            true,
            None,
        )
        .await
    }

    /// Valid certificates of a scheme whose last valid day is `valid_until`.
    pub async fn certificates_expiring(
        &self,
        scheme: &str,
        valid_until: chrono::NaiveDate,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::cert_expiry_pk(scheme, &valid_until.to_string()),
            IndexRange::All,
            true,
            None,
        )
        .await
    }

    /// The bans of a company under a scheme.
    pub async fn bans_of(&self, org: &CreditCode, scheme: &str) -> Result<Vec<Ban>, StoreError> {
        self.query_prefix(keys::org_pk(org.as_str()), &keys::ban_prefix(scheme))
            .await
    }
}
