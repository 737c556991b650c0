//! Approval: what the scheme's `[[applications]].outcome` yields.

use super::*;
use crate::rating::Rating;
use standing_schemes::ApprovalOutcome;

/// What approval writes: the application and, as the scheme's approval says, the
/// certificate record it creates (or, for an annual report, updates) and the company's
/// rating on the scheme's public list.
#[derive(Debug, Clone)]
pub struct Approval {
    pub application: Application,
    pub certificate: Option<IssuedCertificate>,
    /// The rating replacing the one read before (`rating` of [`approve`]), with its audit.
    pub rating: Option<(Rating, AuditEvent)>,
}

/// Whether reviewing `app` reads the company's certificate records (a rule of its scheme
/// asks about them), so the caller loads them.
pub fn reads_certificates(registry: &Registry, app: &Application) -> bool {
    registry
        .all()
        .iter()
        .any(|s| s.scheme.id == app.scheme && s.reads_certificates())
}

/// Whether approving `app` puts its company on the scheme's ratings list (so the caller
/// loads the company's current rating, which the approval replaces).
pub fn lists_rating(registry: &Registry, app: &Application) -> bool {
    registry.all().iter().any(|s| {
        s.scheme.id == app.scheme
            && s.application(app.kind)
                .is_some_and(|a| a.outcome.lists_rating())
    })
}

/// A certificate record written by an approval.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    /// The record before (an annual report's held certificate).
    pub before: Option<CertificateRecord>,
    pub record: CertificateRecord,
    pub audit: AuditEvent,
}

/// Approve, as the scheme's `[[applications]].outcome` says. `level`: the level reached
/// stays on the approved application's result and replaces the company's `rating` on the
/// public list. `level_and_certificate`: both (the star rating: the rating names the
/// certificate and holds as long as it does). `certificate`: a first application gets
/// a new certificate, valid from today for the scheme's `certificate_validity` (seed 000
/// 第十九条: until the next year's annual-report deadline); an annual report moves the
/// holder's certificate to the new grade and the next deadline (第十一条、第十二条).
/// `app` must already carry its new status (`Approved`) and review result.
pub fn approve(
    app: &Application,
    current: Option<&CertificateRecord>,
    rating: Option<&Rating>,
    registry: &Registry,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Approval, Problem> {
    let today = china_date(now);
    let result = app.result.as_ref().ok_or_else(Problem::internal)?;
    let scheme = registry
        .version(app.scheme, &result.scheme_version)
        .ok_or_else(Problem::internal)?;
    let outcome = declaration::application_def(scheme, app.kind)?.outcome;
    // A nomination is admitted to its category's panel: no level, rating nor certificate
    // yet (the award certificate follows the panel's result and its notice).
    if outcome == ApprovalOutcome::Nomination {
        return Ok(Approval {
            application: app.clone(),
            certificate: None,
            rating: None,
        });
    }
    let (Some(level_code), Some(level_label)) = (&result.level_code, &result.level_label) else {
        return Err(Problem::internal());
    };
    if !outcome.issues_certificate() {
        return Ok(Approval {
            application: app.clone(),
            certificate: None,
            rating: Rating::from_approval(app, rating, None, actor.clone(), now),
        });
    }
    let valid_until = scheme
        .certificate_valid_until(today)
        .map_err(|_| Problem::internal())?;
    // Printed from the scheme version the decision was made under.
    let printed = |t: Result<Option<&str>, _>| t.map(|o| o.map(str::to_owned));
    let basis = printed(scheme.certificate_basis()).map_err(|_| Problem::internal())?;
    let scope = printed(scheme.certificate_scope()).map_err(|_| Problem::internal())?;
    let mut application = app.clone();
    let (before, certificate, action) = match (app.kind, current) {
        (ApplicationKind::AnnualReport, Some(c)) => {
            let mut next = c.clone();
            next.level_code = level_code.clone();
            next.level_label = level_label.clone();
            next.valid_until = valid_until;
            next.scheme_version = result.scheme_version.clone();
            next.application_id = app.id;
            next.company_name = app.company_name.clone();
            if let Some(address) = &app.company_address {
                next.address = Some(address.clone());
            }
            next.scope = scope.clone();
            next.basis = basis.clone();
            next.version += 1;
            next.updated_at = now;
            (Some(c.clone()), next, "certificate.annual_report")
        }
        (ApplicationKind::AnnualReport, None) => return Err(Problem::internal()),
        (ApplicationKind::Initial, _) => {
            let prefix = scheme.serial_prefix().map_err(|_| Problem::internal())?;
            let c = CertificateRecord {
                serial: new_serial(prefix, today),
                scheme: app.scheme.as_str().to_owned(),
                scheme_version: result.scheme_version.clone(),
                authority: app.authority.clone(),
                authority_name: scheme.scheme.authority_zh.clone(),
                title: scheme
                    .certificate_title()
                    .map_err(|_| Problem::internal())?
                    .to_owned(),
                org: app.org.clone(),
                company_name: app.company_name.clone(),
                level_code: level_code.clone(),
                level_label: level_label.clone(),
                address: app.company_address.clone(),
                scope,
                basis,
                issued_on: today,
                valid_until,
                status: CertificateStatus::Valid,
                application_id: app.id,
                replaces: None,
                superseded_by: None,
                reissue_reason: None,
                revocation: None,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            (None, c, "certificate.issued")
        }
    };
    application.certificate_serial = Some(certificate.serial.clone());
    let certificate_audit = match &before {
        Some(b) => audit_change(b, &certificate, actor.clone(), action, now),
        None => AuditEvent::new(
            now,
            actor.clone(),
            action,
            certificate.entity(),
            None,
            serde_json::to_value(&certificate).ok(),
        ),
    };
    let rating = if outcome.lists_rating() {
        Rating::from_approval(&application, rating, Some(&certificate), actor.clone(), now)
    } else {
        None
    };
    Ok(Approval {
        application,
        rating,
        certificate: Some(IssuedCertificate {
            before,
            record: certificate,
            audit: certificate_audit,
        }),
    })
}

impl Application {
    /// Move to `status` as `actor` (used by the notice workflow).
    pub fn transition(
        &self,
        status: ApplicationStatus,
        actor: &Actor,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Application {
        self.moved(status, actor, note, now)
    }
}
