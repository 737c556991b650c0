//! The two changes to a certificate: reissue (seed 000 第十四条) and revocation
//! (第二十二、二十三条), each read strictly, checked against the version the caller saw,
//! saved with its audit event, and followed by a render request.

use crate::store::{CertStore, Reissue};
use chrono::NaiveDate;
use lambda_http::http::header;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use standing_domain::Principal;
use standing_domain::audit::Actor;
use standing_domain::certificate::{
    CertificateRecord, PublicCertificate, Revocation, looks_like_serial,
};
use standing_domain::dispatch::Dispatch;
use standing_domain::problem::{Problem, ProblemKind};
use standing_http::{json, json_body};
use standing_schemes::{Registry, Scheme, SchemeId};

use crate::{
    App, MAX_BODY_BYTES, MAX_REASON_CHARS, by_serial, company_or_staff, may_hold, store_problem,
    today, unknown_serial,
};

/// Read a reissue or revocation body strictly (shared reader: unknown fields, wrong
/// types and control characters are refused with the field named): the texts named in
/// `texts` (multi-line allowed for `reason`) and the optional `version`.
pub(crate) fn read_body(
    body: &serde_json::Value,
    texts: &[&str],
) -> Result<(Vec<String>, Option<u64>), Problem> {
    use standing_domain::input::{Errors, Reader};
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let mut known = texts.to_vec();
    known.push("version");
    root.deny_unknown(&known, &mut errors);
    let values = texts
        .iter()
        .map(|name| {
            if *name == "reason" {
                root.multiline_text(name, 1, MAX_REASON_CHARS, &mut errors)
            } else {
                root.text(name, 1, MAX_REASON_CHARS, &mut errors)
            }
        })
        .collect();
    let version = root.optional_u64("version", 1, u64::MAX, &mut errors);
    errors.finish(|| (values, version))
}

pub(crate) fn check_version(
    record: &CertificateRecord,
    expected: Option<u64>,
) -> Result<(), Problem> {
    match expected {
        Some(v) if v != record.version => Err(Problem::field(
            ProblemKind::Conflict,
            "version",
            format!(
                "证书 {} 已被修改（当前版本 {}，请求基于版本 {v}），请刷新后重试",
                record.serial, record.version
            ),
        )),
        _ => Ok(()),
    }
}

/// The scheme version in force on `date` for a record's scheme, or the version it was
/// decided under when none is in force.
pub(crate) fn scheme_of(
    record: &CertificateRecord,
    date: NaiveDate,
) -> Result<&'static Scheme, Problem> {
    let registry = Registry::builtin().map_err(|e| {
        tracing::error!(error = %e, "scheme registry failed to load");
        Problem::internal()
    })?;
    let id: SchemeId = record.scheme.parse().map_err(|_| {
        tracing::error!(scheme = %record.scheme, "certificate of an unknown scheme");
        Problem::internal()
    })?;
    registry
        .in_force(id, date)
        .ok()
        .or_else(|| registry.version(id, &record.scheme_version))
        .ok_or_else(|| {
            tracing::error!(scheme = %record.scheme, "no scheme version for the certificate");
            Problem::internal()
        })
}

pub(crate) async fn dispatch_render<D: Dispatch>(dispatch: &D, serial: &str, version: u64) {
    // The change is committed; a lost render request is recovered by the download
    // route, which renders a missing version on the spot.
    if let Err(e) = dispatch.render(serial, version).await {
        tracing::error!(error = %e, serial, version, "render dispatch failed");
    }
}

/// Who may make a change to a certificate.
#[derive(Debug, Clone, Copy)]
enum MayChange {
    /// The holder, or staff of the issuing authority; `refusal` tells an expert why not.
    HolderOrStaff { refusal: &'static str },
    /// Staff of the issuing authority only.
    AuthorityStaff,
}

impl MayChange {
    /// Before anything is read: the kind of caller.
    fn admit(self, caller: &Principal) -> Result<(), Problem> {
        match self {
            MayChange::HolderOrStaff { refusal } => company_or_staff(caller, refusal),
            MayChange::AuthorityStaff => caller.require_staff().map(|_| ()),
        }
    }

    /// Once the record is read: this caller and this record.
    fn authorize(self, caller: &Principal, record: &CertificateRecord) -> Result<(), Problem> {
        match self {
            MayChange::HolderOrStaff { .. } => may_hold(caller, record),
            MayChange::AuthorityStaff => caller.staff_of(&record.authority),
        }
    }
}

/// What a reissue and a revocation start from, in this order: the caller (admitted by
/// `who`), a well-formed serial, a strict body (the `texts` named and the optional
/// `version`), the record, the caller's right to it, and the version the caller saw.
/// Returns the caller, the texts in the order named, and the record.
async fn load_for_change<S: CertStore, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
    texts: &[&str],
    who: MayChange,
) -> Result<(Principal, Vec<String>, CertificateRecord), Problem> {
    let caller = app.auth.principal(req)?;
    who.admit(&caller)?;
    if !looks_like_serial(serial) {
        return Err(unknown_serial(serial));
    }
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (texts, expected) = read_body(&body, texts)?;
    let record = by_serial(serial, || app.store.record(serial)).await?;
    who.authorize(&caller, &record)?;
    check_version(&record, expected)?;
    Ok((caller, texts, record))
}

#[derive(Debug, Serialize)]
struct ReissueAnswer {
    certificate: PublicCertificate,
    superseded: PublicCertificate,
}

pub(crate) async fn reissue<S: CertStore, O, D: Dispatch>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
) -> Result<Response<Body>, Problem> {
    let who = MayChange::HolderOrStaff {
        refusal: "只有持证单位或发证机构工作人员可以申请补发",
    };
    let (caller, mut texts, record) = load_for_change(app, req, serial, &["reason"], who).await?;
    let reason = texts.remove(0);
    let now = app.clock.now();
    let scheme = scheme_of(&record, standing_domain::clock::china_date(now))?;
    let prefix = scheme
        .serial_prefix()
        .map(str::to_owned)
        .unwrap_or_else(|_| record.serial.split('-').next().unwrap_or("CERT").to_owned());
    let (old, new, audit_old, audit_new) =
        record.reissue(reason, &prefix, Actor::from(&caller), now)?;
    app.store
        .reissue(Reissue {
            before: &record,
            superseded: &old,
            new: &new,
            audit_old: &audit_old,
            audit_new: &audit_new,
        })
        .await
        .map_err(store_problem)?;
    dispatch_render(&app.dispatch, &new.serial, new.version).await;
    dispatch_render(&app.dispatch, &old.serial, old.version).await;
    let today = today(app);
    let mut r = json(
        201,
        &ReissueAnswer {
            certificate: new.public_view(today),
            superseded: old.public_view(today),
        },
    );
    if let Ok(v) = header::HeaderValue::from_str(&format!("/v1/certificates/{}", new.serial)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

#[derive(Debug, Serialize)]
struct RevokeAnswer {
    certificate: PublicCertificate,
    /// First day the company may apply again under this scheme.
    may_reapply_from: NaiveDate,
}

/// `POST /v1/certificates/{serial}/revoke` on one of the scheme's grounds.
pub(crate) async fn revoke<S: CertStore, O, D: Dispatch>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
) -> Result<Response<Body>, Problem> {
    let fields = &["ground", "reason"];
    let (caller, mut texts, record) =
        load_for_change(app, req, serial, fields, MayChange::AuthorityStaff).await?;
    let reason = texts.remove(1);
    let ground = texts.remove(0);
    let now = app.clock.now();
    let today = standing_domain::clock::china_date(now);
    let scheme = scheme_of(&record, today)?;
    let grounds = scheme.revocation_grounds();
    if grounds.is_empty() {
        // The star rating's standard names no ground for taking a star away: its
        // certificates end by expiry.
        return Err(Problem::field(
            ProblemKind::Validation,
            "ground",
            format!(
                "《{}》未规定撤销事由，该证书不能撤销，有效期届满后自动失效",
                scheme.scheme.title_zh
            ),
        ));
    }
    let Some(found) = grounds.iter().find(|g| g.code == ground) else {
        let codes: Vec<&str> = grounds.iter().map(|g| g.code.as_str()).collect();
        return Err(Problem::field(
            ProblemKind::Validation,
            "ground",
            format!(
                "撤销事由 {ground} 不是该评价办法规定的事由，可选：{}",
                codes.join("、")
            ),
        ));
    };
    let may_reapply_from = scheme.may_reapply_from(today).map_err(|e| {
        tracing::error!(error = %e, "scheme has no ban period");
        Problem::internal()
    })?;
    let actor = Actor::from(&caller);
    let revocation = Revocation {
        ground: found.code.clone(),
        ground_title_zh: found.title_zh.clone(),
        reason,
        on: today,
        may_reapply_from,
        by: actor.clone(),
    };
    let (after, audit) = record.revoke(revocation, actor, now)?;
    app.store
        .revoke(&record, &after, &audit)
        .await
        .map_err(store_problem)?;
    dispatch_render(&app.dispatch, &after.serial, after.version).await;
    Ok(json(
        200,
        &RevokeAnswer {
            certificate: after.public_view(today),
            may_reapply_from,
        },
    ))
}
