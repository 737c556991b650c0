//! Application routes.

use crate::{App, MAX_BODY_BYTES, load_known_org, load_org, parse_code, registry, store_problem};
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_aws::workflow::{Platform, uploaded_materials};
use standing_domain::application::{self, Application};
use standing_domain::auth::{Access, Principal};
use standing_domain::dispatch::Dispatch;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::ConflictOn;
use standing_http::{json, json_body};
use std::time::Duration;

/// How long a presigned URL to open a material stays valid.
const VIEW_URL_SECONDS: u64 = 5 * 60;

/// `GET /v1/applications/{id}/materials/{material}`: staff of the application's authority
/// open a material in the browser (a presigned GET, shown inline, valid 5 minutes). The
/// company, other authorities and the public get no link (401/403) before anything is
/// read beyond the application.
pub async fn open_material<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
    material: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    caller.require_staff()?;
    let a = load(app, id).await?;
    caller.staff_of(&a.authority)?;
    let m = a
        .materials
        .iter()
        .find(|m| m.id.to_string() == material)
        .ok_or_else(|| Problem::not_found(format!("该申请没有编号为 {material} 的材料")))?;
    let disposition = format!("inline; filename*=UTF-8''{}", percent_encode(&m.file_name));
    let url = app
        .objects
        .presign_get_as(
            &app.materials_bucket,
            &m.key,
            &disposition,
            &m.content_type,
            Duration::from_secs(VIEW_URL_SECONDS),
        )
        .await
        .map_err(store_problem)?;
    Ok(json(
        200,
        &serde_json::json!({"material": m, "url": url, "expires_in_seconds": VIEW_URL_SECONDS}),
    ))
}

/// RFC 5987 value characters kept, every other byte percent-encoded.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How long a presigned upload URL stays valid.
const UPLOAD_URL_SECONDS: u64 = 15 * 60;

/// A presigned PUT into the materials bucket, bound to the key, type and length.
pub(crate) async fn presign_upload<D>(
    app: &App<D>,
    key: &str,
    content_type: &str,
    bytes: u64,
) -> Result<standing_aws::objects::Presigned, Problem> {
    app.objects
        .presign_put(
            &app.materials_bucket,
            key,
            content_type,
            bytes,
            Duration::from_secs(UPLOAD_URL_SECONDS),
        )
        .await
        .map_err(store_problem)
}

async fn load<D>(app: &App<D>, id: &str) -> Result<Application, Problem> {
    let not_found = || Problem::not_found(format!("没有编号为 {id} 的申请"));
    let id: standing_domain::ids::RecordId = id.parse().map_err(|_| not_found())?;
    app.store
        .get_application(&id.to_string())
        .await
        .map_err(store_problem)?
        .ok_or_else(not_found)
}

/// Load an application the caller may see: its company's account, or staff of its
/// authority (`holder_or_staff_of`). Other companies' accounts and experts get 404 for an
/// application that is not theirs (no existence leak), staff of another authority 403,
/// anonymous callers 401.
pub(crate) async fn load_for<D>(
    app: &App<D>,
    caller: &Principal,
    id: &str,
) -> Result<(Application, Access), Problem> {
    if *caller == Principal::Public {
        return Err(Problem::unauthenticated());
    }
    let a = load(app, id).await?;
    match caller.holder_or_staff_of(&a.org, &a.authority) {
        Ok(access) => Ok((a, access)),
        Err(p) if caller.is_staff() => Err(p),
        Err(_) => Err(Problem::not_found(format!("没有编号为 {} 的申请", a.id))),
    }
}

pub async fn create<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let company = application::requested_company(&body)?;
    let code = match (&caller, company.as_deref()) {
        (_, Some(c)) => parse_code(c).map_err(|mut p| {
            p.field = Some("company".into());
            p.errors.iter_mut().for_each(|e| e.field = "company".into());
            p
        })?,
        (Principal::Applicant { org, .. }, None) => org.clone(),
        (Principal::Public, None) => return Err(Problem::unauthenticated()),
        (_, None) => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "company",
                "代为申请时须填写单位的统一社会信用代码",
            ));
        }
    };
    caller.may_read_registry(&code)?;
    let org = load_org(app, &code).await?;
    let certificate = match body.get("certificate").and_then(|v| v.as_str()) {
        Some(serial) if standing_domain::certificate::looks_like_serial(serial) => app
            .store
            .get_certificate(serial)
            .await
            .map_err(store_problem)?,
        _ => None,
    };
    let (a, audit) = application::create(
        &body,
        &caller,
        &org,
        certificate.as_ref(),
        registry()?,
        app.clock.now(),
    )?;
    let mut tx = Transaction::default();
    tx.application(app.store.table(), None, &a, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    let mut r = json(201, &a);
    if let Ok(location) = format!("/v1/applications/{}", a.id).parse() {
        r.headers_mut()
            .insert(lambda_http::http::header::LOCATION, location);
    }
    Ok(r)
}

/// `POST /v1/applications/{id}/copy`: a rejected application's declaration in a new
/// draft (the company's account, or staff of the authority), without its evidence.
pub async fn copy<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let (from, _) = load_for(app, &caller, id).await?;
    let org = load_org(app, &from.org).await?;
    let certificate = match &from.certificate_serial {
        Some(serial) => app
            .store
            .get_certificate(serial)
            .await
            .map_err(store_problem)?,
        None => None,
    };
    let (a, audit) = application::copy_rejected(
        &from,
        &caller,
        &org,
        certificate.as_ref(),
        registry()?,
        app.clock.now(),
    )?;
    let mut tx = Transaction::default();
    tx.application(app.store.table(), None, &a, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    let mut r = json(201, &a);
    if let Ok(location) = format!("/v1/applications/{}", a.id).parse() {
        r.headers_mut()
            .insert(lambda_http::http::header::LOCATION, location);
    }
    Ok(r)
}

pub async fn read<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let (a, access) = load_for(app, &caller, id).await?;
    let reports = app
        .store
        .reports_of(&a.id.to_string())
        .await
        .map_err(store_problem)?;
    let mut value = serde_json::to_value(a.view(access)).map_err(|_| Problem::internal())?;
    value["status_label"] = serde_json::json!(a.status.label_zh());
    value["reports"] = serde_json::to_value(&reports).map_err(|_| Problem::internal())?;
    Ok(json(200, &value))
}

async fn save<D>(
    app: &App<D>,
    before: &Application,
    after: &Application,
    audit: &standing_domain::audit::AuditEvent,
) -> Result<(), Problem> {
    let mut tx = Transaction::default();
    tx.application(app.store.table(), Some(before), after, audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)
}

pub async fn declare<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (a, access) = load_for(app, &caller, id).await?;
    let (next, audit) = application::declare(&a, &body, &caller, registry()?, app.clock.now())?;
    save(app, &a, &next, &audit).await?;
    Ok(json(200, &next.view(access)))
}

pub async fn material<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (a, _) = load_for(app, &caller, id).await?;
    let (next, material, audit) =
        application::add_material(&a, &body, &caller, registry()?, app.clock.now())?;
    // Sign first: if signing fails nothing is saved.
    let upload = presign_upload(
        app,
        &material.key,
        &material.content_type,
        material.size_bytes,
    )
    .await?;
    save(app, &a, &next, &audit).await?;
    Ok(json(
        201,
        &serde_json::json!({ "material": material, "upload": upload }),
    ))
}

/// The company (or staff) remove a material from a draft: the record first (the
/// material leaves every evidence list, with its audit event), then the object. An
/// object left behind by a failed delete is named by no record and is logged.
pub async fn remove_material<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
    material: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let (a, access) = load_for(app, &caller, id).await?;
    let (next, removed, audit) =
        application::remove_material(&a, material, &caller, app.clock.now())?;
    save(app, &a, &next, &audit).await?;
    if let Err(e) = app
        .objects
        .delete(&app.materials_bucket, &removed.key)
        .await
    {
        tracing::error!(error = %e, key = %removed.key, "the removed material's object was not deleted");
    }
    Ok(json(200, &next.view(access)))
}

pub async fn submit<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let key = match req.headers().get("idempotency-key") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(k) if !k.trim().is_empty() && k.len() <= 128 && k.is_ascii() => {
                Some(k.trim().to_owned())
            }
            _ => {
                return Err(Problem::field(
                    ProblemKind::Validation,
                    "Idempotency-Key",
                    "Idempotency-Key 应为 1 至 128 个 ASCII 字符",
                ));
            }
        },
    };
    let subject = caller.subject().unwrap_or("anonymous").to_owned();
    let (a, access) = load_for(app, &caller, id).await?;
    // A repeated submit with the same key answers what the first one did.
    if let Some(answer) = answer_of_key(app, &subject, key.as_deref(), &a, access).await? {
        return Ok(answer);
    }
    // What the platform knows of the applicant, and one HEAD per material the
    // declaration relies on, at once: a file announced but not uploaded is named now
    // rather than failing the review a moment later.
    let registry = registry()?;
    let (platform, uploaded) = tokio::join!(
        Box::pin(Platform::load(&app.store, registry, &a)),
        Box::pin(uploaded_materials(
            &app.objects,
            &app.materials_bucket,
            &a,
            &[]
        )),
    );
    let platform = platform.map_err(store_problem)?;
    let uploaded = uploaded.map_err(store_problem)?;
    let now = app.clock.now();
    let (next, audit) =
        application::submit(&a, &caller, &platform.records(), &uploaded, registry, now)?;
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.application(table, Some(&a), &next, &audit)
        .map_err(store_problem)?;
    tx.take_open_slot(table, &next).map_err(store_problem)?;
    if let Some(k) = &key {
        tx.idempotency(table, &subject, k, &next)
            .map_err(store_problem)?;
    }
    match app.store.commit(tx).await {
        Ok(()) => {}
        Err(e) if e.is_conflict_on(ConflictOn::IdempotencyKey) => {
            // The same key won a race a moment ago.
            return match answer_of_key(app, &subject, key.as_deref(), &a, access).await? {
                Some(answer) => Ok(answer),
                None => Err(Problem::conflict("重复提交")),
            };
        }
        Err(e) if e.is_conflict_on(ConflictOn::OpenApplication) => {
            let open = app
                .store
                .get_open_guard(&a.org, &a.open_slot())
                .await
                .map_err(store_problem)?
                .map(|g| g.application_id)
                .unwrap_or_default();
            let detail = if a.category.is_some() {
                format!("本单位已在本届申报该奖项（编号 {open}），每个奖项每届只能申报一次")
            } else {
                format!("本单位已有未办结的同类申请（编号 {open}），办结前不能再次提交")
            };
            return Err(Problem::field(ProblemKind::Conflict, "scheme", detail));
        }
        Err(e) => return Err(store_problem(e)),
    }
    if let Err(e) = app.dispatch.review(&next.id).await {
        tracing::error!(error = %e, application = %next.id, "requesting the review failed");
    }
    Ok(json(202, &next.view(access)))
}

/// The answer to a submit whose idempotency key was used before, if it was: the
/// application as it is now, unchanged (or 409 when the key served another application).
async fn answer_of_key<D>(
    app: &App<D>,
    subject: &str,
    key: Option<&str>,
    asked: &Application,
    access: Access,
) -> Result<Option<Response<Body>>, Problem> {
    let Some(key) = key else { return Ok(None) };
    match app
        .store
        .get_idempotency(subject, key)
        .await
        .map_err(store_problem)?
    {
        Some(seen) => repeated(app, &seen.application_id, asked, access)
            .await
            .map(Some),
        None => Ok(None),
    }
}

/// The answer to a repeated submit: the application as it is now, unchanged.
async fn repeated<D>(
    app: &App<D>,
    seen: &str,
    asked: &Application,
    access: Access,
) -> Result<Response<Body>, Problem> {
    if seen != asked.id.to_string() {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "Idempotency-Key",
            "该 Idempotency-Key 已用于另一份申请",
        ));
    }
    let current = load(app, seen).await?;
    Ok(json(202, &current.view(access)))
}

pub async fn checks<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (a, _) = load_for(app, &caller, id).await?;
    let (next, audit) = application::record_checks(&a, &body, &caller, app.clock.now())?;
    save(app, &a, &next, &audit).await?;
    if let Err(e) = app.dispatch.review(&next.id).await {
        tracing::error!(error = %e, application = %next.id, "requesting the review failed");
    }
    Ok(json(202, &next))
}

/// Staff: the open applications of their authority in one status (`submitted`,
/// `staff_check` — the default — or `on_notice`), oldest first.
pub async fn queue<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    use lambda_http::RequestExt;
    let caller = app.auth.principal(req)?;
    let authority = caller.require_staff()?.to_owned();
    let query = req.query_string_parameters();
    let status = match query.first("status").unwrap_or("staff_check") {
        "submitted" => application::ApplicationStatus::Submitted,
        "staff_check" => application::ApplicationStatus::StaffCheck,
        "on_notice" => application::ApplicationStatus::OnNotice,
        other => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "status",
                format!("status 应为 submitted、staff_check 或 on_notice，而不是“{other}”"),
            ));
        }
    };
    let list = app
        .store
        .queue(&authority, status, 200)
        .await
        .map_err(store_problem)?;
    Ok(json(200, &serde_json::json!({ "applications": list })))
}

/// A company's applications, oldest first: its own account sees all of them (roles,
/// not staff ids); staff see those of their own authority's schemes only.
pub async fn of_company<D>(
    app: &App<D>,
    req: &Request,
    code: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let code = parse_code(code)?;
    load_known_org(app, &caller, &code).await?;
    let list: Vec<Application> = app
        .store
        .applications_of(&code)
        .await
        .map_err(store_problem)?
        .into_iter()
        .filter_map(|a| {
            let access = caller.holder_or_staff_of(&a.org, &a.authority).ok()?;
            Some(a.view(access))
        })
        .collect();
    Ok(json(200, &serde_json::json!({ "applications": list })))
}
