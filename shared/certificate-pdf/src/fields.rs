//! The certificate record that is printed and signed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Everything printed on a certificate and covered by its signature.
///
/// All fields are signed (see [`crate::canonical_json`]). `version` is the
/// certificate record's version: a reissue or a change produces a new version
/// and therefore a new signature and a new PDF.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateFields {
    /// Certificate serial number as printed (e.g. `NMGAF-2026-001-0001`).
    pub serial: String,
    /// Scheme the certificate belongs to (e.g. `capability-grade`).
    pub scheme_id: String,
    /// Name of the issuing authority (e.g. `内蒙古自治区安全技术防范行业协会`).
    pub authority_name: String,
    /// Certificate title (e.g. `服务能力等级证书`).
    pub title: String,
    /// Company (or person, for personal awards) the certificate is issued to.
    pub company_name: String,
    /// Unified social credit code (GB 32100-2015) of the company.
    pub credit_code: String,
    /// Grade, level, star or award label as printed (e.g. `一级`, `★★★`).
    pub level_label: String,
    /// Date of issue (China date).
    pub issue_date: NaiveDate,
    /// Last day of validity (China date), inclusive.
    pub valid_until: NaiveDate,
    /// Public verification URL, encoded in the QR code.
    pub verify_url: String,
    /// Version of the certificate record.
    pub version: u32,
    /// The holder's registered address, as printed. Absent on certificates whose
    /// record predates it (their signed form stays what it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// What the certificate covers, from the scheme data (`certificate_scope`), e.g.
    /// `公共安全技术防范系统设计、施工和维修`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The rules the certificate is issued under, from the scheme data
    /// (`certificate_basis`), printed as the basis sentence: `依据《…》`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// A field that cannot be printed on a certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// A required text field is empty (or only whitespace).
    #[error("certificate field `{0}` is empty")]
    Empty(&'static str),
    /// A text field holds a control character (e.g. a newline).
    #[error("certificate field `{0}` contains a control character")]
    ControlCharacter(&'static str),
    /// `valid_until` is before `issue_date`.
    #[error("certificate is valid until {valid_until}, before its issue date {issue_date}")]
    ValidityBeforeIssue {
        /// Issue date.
        issue_date: NaiveDate,
        /// Last day of validity.
        valid_until: NaiveDate,
    },
    /// The verification URL is not an absolute http(s) URL.
    #[error("verification URL must start with https:// or http://")]
    VerifyUrl,
    /// A score or points field is not an exact decimal (`97.5`, `-2`).
    #[error("report field `{0}` is not a decimal number")]
    Decimal(&'static str),
}

/// Checks that `url` is an absolute http(s) URL with a host.
pub(crate) fn check_verify_url(url: &str) -> Result<(), FieldError> {
    let url = url.to_ascii_lowercase();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(FieldError::VerifyUrl),
    }
}

impl CertificateFields {
    /// The text fields with their names, in field order.
    pub(crate) fn text_fields(&self) -> [(&'static str, &str); 8] {
        [
            ("serial", &self.serial),
            ("scheme_id", &self.scheme_id),
            ("authority_name", &self.authority_name),
            ("title", &self.title),
            ("company_name", &self.company_name),
            ("credit_code", &self.credit_code),
            ("level_label", &self.level_label),
            ("verify_url", &self.verify_url),
        ]
    }

    /// The optional text fields that are present, with their names.
    pub(crate) fn optional_text_fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("address", self.address.as_deref()),
            ("scope", self.scope.as_deref()),
            ("basis", self.basis.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
    }

    /// Checks that the fields can be printed: no empty text (an optional field is
    /// absent or not empty), no control characters, validity not before issue, an
    /// absolute http(s) URL.
    pub fn validate(&self) -> Result<(), FieldError> {
        for (name, value) in self
            .text_fields()
            .into_iter()
            .chain(self.optional_text_fields())
        {
            if value.trim().is_empty() {
                return Err(FieldError::Empty(name));
            }
            if value.chars().any(char::is_control) {
                return Err(FieldError::ControlCharacter(name));
            }
        }
        if self.valid_until < self.issue_date {
            return Err(FieldError::ValidityBeforeIssue {
                issue_date: self.issue_date,
                valid_until: self.valid_until,
            });
        }
        check_verify_url(&self.verify_url)
    }
}
