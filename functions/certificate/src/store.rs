//! What the certificate function needs from storage, as a trait (the handlers are generic
//! over it), and its DynamoDB implementation on the single table.
//!
//! A certificate's partition `CERT#{serial}` holds, in sort-key order, its audit trail
//! (`AUDIT#…`), the record (`CERT`) and one rendering item per rendered version
//! (`RENDER#{version:010}`). Because `AUDIT#` < `CERT` < `RENDER#`, one strongly
//! consistent Query with `SK >= "CERT"` reads the record and its renderings together.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use standing_aws::DynamoStore;
use standing_aws::keys;
use standing_aws::store::{Item, Transaction, from_item, item_with_keys};
use standing_certificate_pdf::{CertificateFields, CreditReportFields};
use standing_domain::audit::Actor;
use standing_domain::audit::AuditEvent;
use standing_domain::certificate::{Ban, CertificateRecord, CertificateStatus};
use standing_domain::credit::CreditRecords;
use standing_domain::ids::CreditCode;
use standing_domain::seal::SealRecord;
use standing_domain::store::{ConflictOn, Entity, StoreError};
use std::future::Future;

/// One rendered version of a certificate: where its PDF is and what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendering {
    pub serial: String,
    pub version: u64,
    /// S3 key in the certificates bucket: `certificates/{serial}/v{version}.pdf`.
    pub key: String,
    /// PDF size in bytes.
    pub bytes: u64,
    /// The signed fields exactly as signed (canonical JSON per RFC 8785 of these).
    pub fields: CertificateFields,
    /// Ed25519 signature, unpadded base64url.
    pub signature: String,
    /// RFC 7638 thumbprint of the signing key (`kid` in the JWKS).
    pub key_id: String,
    /// The template used (`capability-grade`, or the default `certificate`).
    pub template: String,
    /// The status printed on it (a stamp unless valid).
    pub status: CertificateStatus,
    /// SHA-256 of the issuer's seal printed on it; absent when none was printed (the
    /// paper copy is sealed by hand) or for renderings made before seals were printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_sha256: Option<String>,
    /// Whether the seal printed was the generated specimen (样章) of a local stack.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub seal_specimen: bool,
    pub rendered_at: DateTime<Utc>,
}

impl Rendering {
    pub fn object_key(serial: &str, version: u64) -> String {
        format!("certificates/{serial}/v{version}.pdf")
    }
}

/// A credit report as issued (access pattern 47: `PK=CREDITREPORT#{serial}`,
/// `SK=REPORT`, with its audit trail under the same key): what was signed and where
/// its PDF is. A report is never changed: a new request issues a new report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditReportRecord {
    pub serial: String,
    pub org: CreditCode,
    /// The authority that keeps the register.
    pub authority: String,
    /// S3 key in the certificates bucket: `credit-reports/{code}/{serial}.pdf` (an
    /// agency's reports under its own prefix).
    pub key: String,
    /// PDF size in bytes.
    pub bytes: u64,
    /// The signed fields exactly as signed (canonical JSON per RFC 8785 of these).
    pub fields: CreditReportFields,
    /// Ed25519 signature, unpadded base64url.
    pub signature: String,
    /// RFC 7638 thumbprint of the signing key (`kid` in the JWKS).
    pub key_id: String,
    pub template: String,
    pub issued_by: Actor,
    pub issued_at: DateTime<Utc>,
    pub version: u64,
}

impl CreditReportRecord {
    pub fn object_key(org: &CreditCode, serial: &str) -> String {
        format!("credit-reports/{org}/{serial}.pdf")
    }

    pub fn entity(&self) -> String {
        format!("credit-report/{}", self.serial)
    }
}

/// Access pattern 47: a credit report by serial.
pub fn credit_report_pk(serial: &str) -> String {
    format!("CREDITREPORT#{serial}")
}
pub const CREDIT_REPORT_SK: &str = "REPORT";

/// A certificate and its renderings (oldest version first).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub record: CertificateRecord,
    pub renderings: Vec<Rendering>,
}

impl Loaded {
    /// The rendering of the record's current version, if there is one.
    pub fn current(&self) -> Option<&Rendering> {
        self.renderings
            .iter()
            .find(|r| r.version == self.record.version)
    }
}

pub trait CertStore: Send + Sync {
    /// The record and its renderings, in one strongly consistent read.
    fn load(&self, serial: &str)
    -> impl Future<Output = Result<Option<Loaded>, StoreError>> + Send;

    /// The record only (one GetItem).
    fn record(
        &self,
        serial: &str,
    ) -> impl Future<Output = Result<Option<CertificateRecord>, StoreError>> + Send;

    /// A company's certificates (every scheme), oldest first.
    fn certificates_of(
        &self,
        org: &CreditCode,
    ) -> impl Future<Output = Result<Vec<CertificateRecord>, StoreError>> + Send;

    /// Create the rendering item if absent, with its audit event, atomically.
    /// `Conflict` when this version is already rendered.
    fn save_rendering(
        &self,
        rendering: &Rendering,
        audit: &AuditEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Revoke: the record, the ban and the audit event, in one transaction.
    fn revoke(
        &self,
        before: &CertificateRecord,
        after: &CertificateRecord,
        audit: &AuditEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The deep health check of the table (`GET /v1/health/certificate?deep=1`).
    fn check(&self) -> impl Future<Output = standing_aws::health::Checked> + Send;

    /// Reissue: the superseded record and the new one, in one transaction.
    fn reissue(&self, r: Reissue<'_>) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The seal in force for an authority (one GetItem), if it uploaded one.
    fn seal(
        &self,
        authority: &str,
    ) -> impl Future<Output = Result<Option<SealRecord>, StoreError>> + Send;

    /// An agency's credit file, events and repairs; `None` when it is not in the register.
    fn credit_records(
        &self,
        org: &CreditCode,
    ) -> impl Future<Output = Result<Option<CreditRecords>, StoreError>> + Send;

    /// A credit report by serial (one GetItem).
    fn credit_report(
        &self,
        serial: &str,
    ) -> impl Future<Output = Result<Option<CreditReportRecord>, StoreError>> + Send;

    /// Create a credit report record with its audit event, in one conditional
    /// transaction (`Conflict` if the serial exists).
    fn save_credit_report(
        &self,
        report: &CreditReportRecord,
        audit: &AuditEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Set the seal in force: created if `before` is `None`, else replaced only if the
    /// stored version is still `before`'s; with its audit event, in one transaction.
    fn save_seal(
        &self,
        before: Option<&SealRecord>,
        after: &SealRecord,
        audit: &AuditEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What a reissue saves: the record as it was read (its version is checked), the same
/// certificate marked superseded, the new certificate, and the audit event of each.
#[derive(Debug, Clone, Copy)]
pub struct Reissue<'a> {
    pub before: &'a CertificateRecord,
    pub superseded: &'a CertificateRecord,
    pub new: &'a CertificateRecord,
    pub audit_old: &'a AuditEvent,
    pub audit_new: &'a AuditEvent,
}

fn unavailable<E: std::fmt::Debug>(e: E) -> StoreError {
    StoreError::Unavailable(format!("{e:?}"))
}

fn entity_type(item: &Item) -> Option<&str> {
    match item.get("entity_type") {
        Some(AttributeValue::S(s)) => Some(s.as_str()),
        _ => None,
    }
}

impl CertStore for DynamoStore {
    async fn check(&self) -> standing_aws::health::Checked {
        DynamoStore::check(self).await
    }

    async fn load(&self, serial: &str) -> Result<Option<Loaded>, StoreError> {
        let mut record = None;
        let mut renderings = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client()
                .query()
                .table_name(self.table())
                .consistent_read(true)
                .key_condition_expression("#pk = :pk AND #sk >= :sk")
                .expression_attribute_names("#pk", keys::PK)
                .expression_attribute_names("#sk", keys::SK)
                .expression_attribute_values(":pk", AttributeValue::S(keys::cert_pk(serial)))
                .expression_attribute_values(":sk", AttributeValue::S(keys::CERT_SK.into()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(unavailable)?;
            for item in out.items.unwrap_or_default() {
                match entity_type(&item) {
                    Some("certificate") => record = Some(from_item(item)?),
                    Some("rendering") => renderings.push(from_item(item)?),
                    _ => {}
                }
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        Ok(record.map(|record| Loaded { record, renderings }))
    }

    async fn record(&self, serial: &str) -> Result<Option<CertificateRecord>, StoreError> {
        self.get_certificate(serial).await
    }

    async fn certificates_of(
        &self,
        org: &CreditCode,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        DynamoStore::certificates_of(self, org, None).await
    }

    async fn save_rendering(
        &self,
        rendering: &Rendering,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::cert_pk(&rendering.serial);
        let item = item_with_keys(
            rendering,
            "rendering",
            pk.clone(),
            keys::render_sk(rendering.version),
            &[],
        )?;
        let mut tx = Transaction::default();
        tx.create(self.table(), item, ConflictOn::Record(Entity::Rendering))?;
        tx.audit(self.table(), &pk, audit)?;
        self.commit(tx).await
    }

    async fn revoke(
        &self,
        before: &CertificateRecord,
        after: &CertificateRecord,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let ban = Ban::of_revoked(after)
            .ok_or_else(|| StoreError::Corrupt("a revoked record without revocation".into()))?;
        let pk = keys::org_pk(after.org.as_str());
        let ban_item = item_with_keys(
            &ban,
            "ban",
            pk.clone(),
            keys::ban_sk(&ban.scheme, &ban.revoked_on.to_string(), &ban.serial),
            &[],
        )?;
        let mut tx = Transaction::default();
        tx.certificate(self.table(), Some(before), after, audit)?;
        tx.create(self.table(), ban_item, ConflictOn::Record(Entity::Ban))?;
        tx.audit(self.table(), &pk, audit)?;
        self.commit(tx).await
    }

    async fn reissue(&self, r: Reissue<'_>) -> Result<(), StoreError> {
        let mut tx = Transaction::default();
        tx.certificate(self.table(), Some(r.before), r.superseded, r.audit_old)?;
        tx.certificate(self.table(), None, r.new, r.audit_new)?;
        self.commit(tx).await
    }

    async fn seal(&self, authority: &str) -> Result<Option<SealRecord>, StoreError> {
        self.get(keys::authority_pk(authority), keys::SEAL_SK).await
    }

    async fn credit_records(&self, org: &CreditCode) -> Result<Option<CreditRecords>, StoreError> {
        DynamoStore::credit_records(self, org).await
    }

    async fn credit_report(&self, serial: &str) -> Result<Option<CreditReportRecord>, StoreError> {
        self.get(credit_report_pk(serial), CREDIT_REPORT_SK).await
    }

    async fn save_credit_report(
        &self,
        report: &CreditReportRecord,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = credit_report_pk(&report.serial);
        let item = item_with_keys(
            report,
            "credit-report",
            pk.clone(),
            CREDIT_REPORT_SK.into(),
            &[],
        )?;
        let mut tx = Transaction::default();
        tx.create(self.table(), item, ConflictOn::Record(Entity::Report))?;
        tx.audit(self.table(), &pk, audit)?;
        self.commit(tx).await
    }

    async fn save_seal(
        &self,
        before: Option<&SealRecord>,
        after: &SealRecord,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::authority_pk(&after.authority);
        let item = item_with_keys(after, "seal", pk.clone(), keys::SEAL_SK.into(), &[])?;
        let mut tx = Transaction::default();
        tx.put(
            self.table(),
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Seal),
        )?;
        tx.audit(self.table(), &pk, audit)?;
        self.commit(tx).await
    }
}
