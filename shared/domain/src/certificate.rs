//! Certificate records: what was decided (grade, validity, holder), independent of the
//! PDF that prints it. Created on approval, updated by annual reports and approved
//! changes, superseded by a reissue, revoked by staff, expired by the annual-report job.
//!
//! Serial numbers carry 80 random bits: they cannot be guessed or enumerated, so the
//! public verification page can answer any serial without a login.

use crate::application::{Application, ApplicationKind};
use crate::audit::{Actor, AuditEvent};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The stored state of a certificate. `Expired` is also derived on read: a `Valid`
/// record whose `valid_until` has passed is expired even before the job marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    Expired,
    Superseded,
    Revoked,
}

impl CertificateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Expired => "expired",
            CertificateStatus::Superseded => "superseded",
            CertificateStatus::Revoked => "revoked",
        }
    }

    /// Chinese label for the public page.
    pub fn label_zh(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "有效",
            CertificateStatus::Expired => "已过期",
            CertificateStatus::Superseded => "已被补发证书取代",
            CertificateStatus::Revoked => "已撤销",
        }
    }
}

/// Why and when a certificate was revoked (seed 000 第二十二条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// Ground code from the scheme (`R1-law` .. `R6-other`).
    pub ground: String,
    /// The ground's title in the scheme.
    pub ground_title_zh: String,
    /// Staff's reasons.
    pub reason: String,
    /// China date of the revocation.
    pub on: NaiveDate,
    /// First day the company may apply again (seed 000 第二十三条).
    pub may_reapply_from: NaiveDate,
    pub by: Actor,
}

/// A certificate record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub serial: String,
    /// Scheme id, e.g. `capability-grade`.
    pub scheme: String,
    /// The scheme version the grade was decided under.
    pub scheme_version: String,
    /// Platform id of the issuing authority.
    pub authority: String,
    /// The authority's name as printed.
    pub authority_name: String,
    /// Certificate title as printed (`服务能力等级证书`).
    pub title: String,
    pub org: CreditCode,
    pub company_name: String,
    /// Level code (`1`..`4`).
    pub level_code: String,
    /// Level as printed (`一级`).
    pub level_label: String,
    /// The holder's registered address, as printed (absent on records made before
    /// certificates printed it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// What the certificate covers, from the scheme data (`certificate_scope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The rules it is issued under, from the scheme data (`certificate_basis`),
    /// printed as the basis sentence 依据《…》.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// China date of issue.
    pub issued_on: NaiveDate,
    /// Last valid day (China date), inclusive.
    pub valid_until: NaiveDate,
    pub status: CertificateStatus,
    /// The application (or last annual report) that decided the current grade.
    pub application_id: RecordId,
    /// A reissued certificate names the one it replaces, and the replaced one names
    /// its successor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reissue_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Revocation>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Optimistic-locking version; also the rendering version (a new version gets a
    /// new PDF and a new signature).
    pub version: u64,
}

/// What anyone may see: enough for a tender officer, nothing private.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicCertificate {
    pub serial: String,
    pub status: CertificateStatus,
    pub status_label: &'static str,
    pub scheme: String,
    pub title: String,
    pub authority_name: String,
    pub company_name: String,
    pub credit_code: String,
    pub level_code: String,
    pub level_label: String,
    /// The holder's registered address as printed (public register data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// What the certificate covers, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_ground: Option<String>,
    pub version: u64,
}

const SERIAL_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new serial: `PREFIX-YEAR-` and 16 characters of Crockford base32 carrying 80 random
/// bits (from a fresh ULID's random part).
pub fn new_serial(prefix: &str, issued_on: NaiveDate) -> String {
    let mut bits: u128 = ulid::Ulid::generate().random();
    let mut tail = [0u8; 16];
    for c in tail.iter_mut().rev() {
        *c = SERIAL_ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let tail = String::from_utf8_lossy(&tail);
    format!("{prefix}-{}-{tail}", issued_on.year())
}

/// Whether a string has the shape of a serial (checked before any storage read).
pub fn looks_like_serial(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    s.len() <= 64
        && parts.len() == 3
        && !parts[0].is_empty()
        && parts[0]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && parts[1].len() == 4
        && parts[1].bytes().all(|b| b.is_ascii_digit())
        && parts[2].len() == 16
        && parts[2].bytes().all(|b| SERIAL_ALPHABET.contains(&b))
}

impl CertificateRecord {
    pub fn entity(&self) -> String {
        format!("certificate/{}", self.serial)
    }

    /// The status as of `today` (China date): a valid record past its last day is
    /// expired.
    pub fn status_on(&self, today: NaiveDate) -> CertificateStatus {
        match self.status {
            CertificateStatus::Valid if today > self.valid_until => CertificateStatus::Expired,
            s => s,
        }
    }

    pub fn public_view(&self, today: NaiveDate) -> PublicCertificate {
        let status = self.status_on(today);
        PublicCertificate {
            serial: self.serial.clone(),
            status,
            status_label: status.label_zh(),
            scheme: self.scheme.clone(),
            title: self.title.clone(),
            authority_name: self.authority_name.clone(),
            company_name: self.company_name.clone(),
            credit_code: self.org.to_string(),
            level_code: self.level_code.clone(),
            level_label: self.level_label.clone(),
            address: self.address.clone(),
            scope: self.scope.clone(),
            issued_on: self.issued_on,
            valid_until: self.valid_until,
            superseded_by: self.superseded_by.clone(),
            replaces: self.replaces.clone(),
            revoked_on: self.revocation.as_ref().map(|r| r.on),
            revocation_ground: self.revocation.as_ref().map(|r| r.ground_title_zh.clone()),
            version: self.version,
        }
    }

    fn require_valid(&self, today: NaiveDate, action: &str) -> Result<(), Problem> {
        match self.status_on(today) {
            CertificateStatus::Valid => Ok(()),
            s => Err(Problem::field(
                ProblemKind::Conflict,
                "status",
                format!(
                    "证书 {} 当前状态为“{}”，不能{action}",
                    self.serial,
                    s.label_zh()
                ),
            )),
        }
    }

    fn next(&self, now: DateTime<Utc>) -> CertificateRecord {
        let mut next = self.clone();
        next.version += 1;
        next.updated_at = now;
        next
    }

    /// Revoke on one of the scheme's grounds. Returns the revoked record and its audit
    /// event.
    pub fn revoke(
        &self,
        revocation: Revocation,
        actor: Actor,
        now: DateTime<Utc>,
    ) -> Result<(CertificateRecord, AuditEvent), Problem> {
        self.require_valid(revocation.on, "撤销")?;
        let mut next = self.next(now);
        next.status = CertificateStatus::Revoked;
        next.revocation = Some(revocation);
        let audit = audit_change(self, &next, actor, "certificate.revoked", now);
        Ok((next, audit))
    }

    /// Reissue a lost certificate: a new serial with the same grade and validity; this
    /// one is marked superseded. Returns (old, new, audit of old, audit of new).
    pub fn reissue(
        &self,
        reason: String,
        prefix: &str,
        actor: Actor,
        now: DateTime<Utc>,
    ) -> Result<(CertificateRecord, CertificateRecord, AuditEvent, AuditEvent), Problem> {
        let today = crate::clock::china_date(now);
        self.require_valid(today, "补发")?;
        let serial = new_serial(prefix, today);
        let mut old = self.next(now);
        old.status = CertificateStatus::Superseded;
        old.superseded_by = Some(serial.clone());
        old.reissue_reason = Some(reason.clone());
        let new = CertificateRecord {
            serial,
            issued_on: today,
            status: CertificateStatus::Valid,
            replaces: Some(self.serial.clone()),
            superseded_by: None,
            reissue_reason: Some(reason),
            revocation: None,
            created_at: now,
            updated_at: now,
            version: 1,
            ..self.clone()
        };
        let audit_old = audit_change(self, &old, actor.clone(), "certificate.superseded", now);
        let audit_new = AuditEvent::new(
            now,
            actor,
            "certificate.reissued",
            new.entity(),
            None,
            serde_json::to_value(&new).ok(),
        );
        Ok((old, new, audit_old, audit_new))
    }

    /// Mark expired (the annual-report job), if still valid and past its last day.
    pub fn expire(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Option<(CertificateRecord, AuditEvent)> {
        if self.status != CertificateStatus::Valid || today <= self.valid_until {
            return None;
        }
        let mut next = self.next(now);
        next.status = CertificateStatus::Expired;
        let audit = audit_change(
            self,
            &next,
            Actor::system("annual-report-deadline"),
            "certificate.expired",
            now,
        );
        Some((next, audit))
    }
}

/// A ban on new applications after a revocation (seed 000 第二十三条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    pub scheme: String,
    pub serial: String,
    pub revoked_on: NaiveDate,
    /// First day a new application is accepted.
    pub until: NaiveDate,
    pub ground: String,
}

impl Ban {
    /// The ban a revoked record imposes (`None` if the record is not revoked).
    pub fn of_revoked(c: &CertificateRecord) -> Option<Ban> {
        let r = c.revocation.as_ref()?;
        Some(Ban {
            scheme: c.scheme.clone(),
            serial: c.serial.clone(),
            revoked_on: r.on,
            until: r.may_reapply_from,
            ground: r.ground.clone(),
        })
    }
}

/// Whether `c` stays valid past its last day because its holder filed the annual
/// report in time: `open` (the company's open application under the scheme) is an
/// annual report about this certificate, submitted on or before its last valid day
/// and still in review.
pub fn keeps_validity_during_report(c: &CertificateRecord, open: Option<&Application>) -> bool {
    open.is_some_and(|app| {
        app.kind == ApplicationKind::AnnualReport
            && app.status.is_open()
            && app.certificate_serial.as_deref() == Some(c.serial.as_str())
            && app
                .submitted_at
                .is_some_and(|t| china_date(t) <= c.valid_until)
    })
}

/// An audit event for a change of a certificate record.
pub fn audit_change(
    before: &CertificateRecord,
    after: &CertificateRecord,
    actor: Actor,
    action: &str,
    now: DateTime<Utc>,
) -> AuditEvent {
    AuditEvent::new(
        now,
        actor,
        action,
        after.entity(),
        serde_json::to_value(before).ok(),
        serde_json::to_value(after).ok(),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn record() -> CertificateRecord {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        CertificateRecord {
            serial: new_serial("NMGAF", NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            scheme: "capability-grade".into(),
            scheme_version: "2024-01-01".into(),
            authority: "nmg-security-association".into(),
            authority_name: "内蒙古自治区公共安全技术防范行业协会".into(),
            title: "服务能力等级证书".into(),
            org: CreditCode::parse("91110108551385082Q").unwrap(),
            company_name: "内蒙古安全防范技术有限公司".into(),
            level_code: "2".into(),
            level_label: "二级".into(),
            address: Some("呼和浩特市新城区新华大街1号".into()),
            scope: Some("公共安全技术防范系统设计、施工和维修".into()),
            basis: None,
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
            status: CertificateStatus::Valid,
            application_id: RecordId::new_at(now),
            replaces: None,
            superseded_by: None,
            reissue_reason: None,
            revocation: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn serials_are_random_and_well_formed() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let a = new_serial("NMGAF", d);
        let b = new_serial("NMGAF", d);
        assert_ne!(a, b);
        assert!(a.starts_with("NMGAF-2026-"), "{a}");
        assert!(looks_like_serial(&a), "{a}");
        assert!(!looks_like_serial("NMGAF-2026-1"));
        assert!(!looks_like_serial("../etc/passwd"));
        assert!(!looks_like_serial(&a.to_lowercase()));
    }

    #[test]
    fn expiry_is_derived_after_the_last_day() {
        let r = record();
        assert_eq!(r.status_on(r.valid_until), CertificateStatus::Valid);
        assert_eq!(
            r.status_on(r.valid_until.succ_opt().unwrap()),
            CertificateStatus::Expired
        );
        let now = Utc.with_ymd_and_hms(2027, 7, 1, 0, 0, 0).unwrap();
        assert!(r.expire(r.valid_until, now).is_none());
        let (e, audit) = r.expire(r.valid_until.succ_opt().unwrap(), now).unwrap();
        assert_eq!(e.status, CertificateStatus::Expired);
        assert_eq!(e.version, 2);
        assert_eq!(audit.action, "certificate.expired");
        assert!(e.expire(r.valid_until.succ_opt().unwrap(), now).is_none());
    }

    #[test]
    fn reissue_supersedes_and_links_both_ways() {
        let r = record();
        let now = Utc.with_ymd_and_hms(2027, 1, 5, 2, 0, 0).unwrap();
        let (old, new, _, _) = r
            .reissue("证书遗失".into(), "NMGAF", Actor::system("t"), now)
            .unwrap();
        assert_eq!(old.status, CertificateStatus::Superseded);
        assert_eq!(old.superseded_by.as_deref(), Some(new.serial.as_str()));
        assert_eq!(new.replaces.as_deref(), Some(r.serial.as_str()));
        assert_eq!(new.level_code, r.level_code);
        assert_eq!(new.valid_until, r.valid_until);
        assert_eq!(new.version, 1);
        assert!(
            old.reissue("again".into(), "NMGAF", Actor::system("t"), now)
                .is_err()
        );
    }

    #[test]
    fn a_report_filed_in_time_and_in_review_keeps_the_certificate() {
        use crate::application::{ApplicationKind, ApplicationStatus, tests as apps};
        let c = record();
        let mut report = apps::submitted(&apps::org(true), 45);
        report.kind = ApplicationKind::AnnualReport;
        report.certificate_serial = Some(c.serial.clone());
        let last_day_china = Utc.with_ymd_and_hms(2027, 6, 30, 15, 59, 0).unwrap();
        report.submitted_at = Some(last_day_china);
        assert!(keeps_validity_during_report(&c, Some(&report)));
        for status in [ApplicationStatus::StaffCheck, ApplicationStatus::OnNotice] {
            report.status = status;
            assert!(
                keeps_validity_during_report(&c, Some(&report)),
                "{status:?}"
            );
        }

        // Filed after the last day (China time): the certificate expires.
        let mut late = report.clone();
        late.submitted_at = Some(Utc.with_ymd_and_hms(2027, 6, 30, 16, 0, 0).unwrap());
        assert!(!keeps_validity_during_report(&c, Some(&late)));
        // Decided already, about another certificate, not a report, nothing open.
        let mut decided = report.clone();
        decided.status = ApplicationStatus::Rejected;
        assert!(!keeps_validity_during_report(&c, Some(&decided)));
        let mut other = report.clone();
        other.certificate_serial = Some("NMGAF-2026-OTHER".into());
        assert!(!keeps_validity_during_report(&c, Some(&other)));
        let mut first = report.clone();
        first.kind = ApplicationKind::Initial;
        assert!(!keeps_validity_during_report(&c, Some(&first)));
        assert!(!keeps_validity_during_report(&c, None));
    }

    #[test]
    fn a_revoked_record_bans_until_the_day_it_may_apply_again() {
        let mut c = record();
        assert_eq!(Ban::of_revoked(&c), None);
        c.revocation = Some(Revocation {
            ground: "R2-fraud".into(),
            ground_title_zh: "弄虚作假".into(),
            reason: "伪造合同".into(),
            on: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            may_reapply_from: NaiveDate::from_ymd_opt(2028, 12, 12).unwrap(),
            by: Actor::system("t"),
        });
        let ban = Ban::of_revoked(&c).unwrap();
        assert_eq!(ban.scheme, "capability-grade");
        assert_eq!(ban.serial, c.serial);
        assert_eq!(
            ban.revoked_on,
            NaiveDate::from_ymd_opt(2026, 12, 11).unwrap()
        );
        assert_eq!(ban.until, NaiveDate::from_ymd_opt(2028, 12, 12).unwrap());
        assert_eq!(ban.ground, "R2-fraud");
    }
}
