//! The publication function: public notices (seed 000 第十六条, one week), objections,
//! the notice-closing timer and the annual-report deadline job.
//!
//! HTTP routes (all under `/v1`):
//! - `GET /v1/notices` — the public list (JSON), no login; `?authority=` to choose one.
//! - `GET /v1/notices.html` — the same list as a plain HTML page.
//! - `GET /v1/notices/{id}` — one notice (public view).
//! - `GET /v1/ratings/{scheme}` (`.html`, `.csv`) — public: the companies a scheme rated
//!   (schemes whose approval yields a level: the star rating), highest level first.
//! - `GET /v1/alarm-operators/suspensions` (`.html`, `.csv`) — public: approved suspensions
//!   and closures of alarm operators (seed 004 二（三）3).
//! - `POST /v1/notices/{id}/objections` — anyone files an objection during the window
//!   (name and contact required, rate-limited per source address).
//! - `GET /v1/notices/{id}/objections` — staff of the notice's authority read them.
//! - `POST /v1/notices/{id}/objections/{objection}/decision` — staff decide.
//! - `GET /v1/health/publication`
//!
//! Jobs: `close-notice` (one-time schedule per notice), `sweep-notices` (periodic,
//! catches missed closings, and asks again for reviews whose request was lost),
//! `annual-reports` (daily: reminders and expiries).

mod operators;
mod ratings;

use chrono::{DateTime, Utc};
use lambda_http::http::Method;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use sha2::{Digest, Sha256};
use standing_aws::dispatch::AwsDispatch;
use standing_aws::store::Transaction;
use standing_aws::workflow::{self, Ran};
use standing_aws::{Clients, DynamoStore, FromClients, StartError, start};
use standing_domain::clock::Clock;
use standing_domain::clock::clock_from_env;
use standing_domain::dispatch::{Dispatch, Job};
use standing_domain::job::JobError;
use standing_domain::notice::{self, Notice, NoticeStatus};
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::ConflictOn;
use standing_http::respond::{escape_html, health_check, no_route, wrong_method};
use standing_http::serve_app_with_jobs;
use standing_http::{Authenticator, html, json, json_body, problem};
use std::sync::Arc;

/// Objections one source address may file per hour.
pub const OBJECTIONS_PER_SOURCE_PER_HOUR: u32 = 5;
/// Notices listed per authority at most.
pub const LIST_LIMIT: usize = 100;
const MAX_BODY_BYTES: usize = 8 * 1024;

pub struct App<D> {
    pub store: DynamoStore,
    pub auth: Authenticator,
    pub dispatch: D,
    pub clock: Arc<dyn Clock>,
}

use standing_http::scheme_registry as registry;
pub use standing_http::store_problem;

/// The Lambda entry point (`main.rs`): the application over the AWS clients, then requests
/// and jobs.
pub async fn lambda_main() -> Result<(), lambda_http::Error> {
    serve_app_with_jobs("publication", start::<App<AwsDispatch>>(), handle, run).await
}

pub async fn handle<D: Dispatch>(app: &App<D>, req: Request) -> Response<Body> {
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let result = match (segments.as_slice(), req.method()) {
        (["v1", "health", "publication"], &Method::GET) => {
            return Box::pin(health_check("publication", &req, async {
                vec![app.store.check().await]
            }))
            .await;
        }
        (["v1", "notices"], &Method::GET) => Box::pin(list(app, &req)).await,
        (["v1", "notices.html"], &Method::GET) => Box::pin(list_html(app, &req)).await,
        (["v1", "notices"] | ["v1", "notices.html"], _) => return wrong_method("GET"),
        (["v1", "notices", id], &Method::GET) => Box::pin(one(app, id)).await,
        (["v1", "notices", _], _) => return wrong_method("GET"),
        (["v1", "notices", id, "objections"], &Method::POST) => {
            Box::pin(object(app, &req, id)).await
        }
        (["v1", "notices", id, "objections"], &Method::GET) => {
            Box::pin(objections(app, &req, id)).await
        }
        (["v1", "notices", _, "objections"], _) => return wrong_method("GET, POST"),
        (["v1", "notices", id, "objections", oid, "decision"], &Method::POST) => {
            Box::pin(decide(app, &req, id, oid)).await
        }
        (["v1", "notices", _, "objections", _, "decision"], _) => return wrong_method("POST"),
        (["v1", "ratings", scheme], &Method::GET) => {
            Box::pin(ratings::list(app, &req, scheme)).await
        }
        (["v1", "ratings", _], _) => return wrong_method("GET"),
        (["v1", "alarm-operators", list], &Method::GET) => {
            Box::pin(operators::list(app, list)).await
        }
        (["v1", "alarm-operators", _], _) => return wrong_method("GET"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

/// The authorities to list: the one asked for, or every authority of a scheme in force.
fn authorities(req: &Request, now: DateTime<Utc>) -> Result<Vec<String>, Problem> {
    let query = req.query_string_parameters();
    if let Some(a) = query.first("authority") {
        if a.is_empty() || a.len() > 64 || !a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(Problem::field(
                ProblemKind::Validation,
                "authority",
                "机构标识格式错误",
            ));
        }
        return Ok(vec![a.to_owned()]);
    }
    let today = standing_domain::clock::china_date(now);
    Ok(registry()?
        .authorities_in_force(today)
        .into_iter()
        .map(str::to_owned)
        .collect())
}

async fn notices<D: Dispatch>(app: &App<D>, req: &Request) -> Result<Vec<Notice>, Problem> {
    let now = app.clock.now();
    let mut all = Vec::new();
    for a in authorities(req, now)? {
        all.extend(
            app.store
                .notices_of(&a, LIST_LIMIT)
                .await
                .map_err(store_problem)?,
        );
    }
    all.sort_by_key(|n| std::cmp::Reverse(n.opened_at));
    Ok(all)
}

async fn list<D: Dispatch>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let now = app.clock.now();
    let list = notices(app, req).await?;
    let (open, closed): (Vec<_>, Vec<_>) =
        list.iter().partition(|n| n.status == NoticeStatus::Open);
    Ok(json(
        200,
        &serde_json::json!({
            "open": open.iter().map(|n| n.public_view(now)).collect::<Vec<_>>(),
            "closed": closed.iter().map(|n| n.public_view(now)).collect::<Vec<_>>(),
        }),
    ))
}

async fn list_html<D: Dispatch>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let now = app.clock.now();
    let list = notices(app, req).await?;
    let row = |n: &Notice| {
        let v = n.public_view(now);
        format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} 至 {}</td><td>{}</td></tr>",
            escape_html(&v.company_name),
            escape_html(&v.credit_code),
            escape_html(&v.level_label),
            v.total
                .map(|t| t.normalize().to_string())
                .unwrap_or_default(),
            v.starts_on,
            v.ends_on,
            escape_html(v.status_label),
        )
    };
    let section = |title: &str, rows: Vec<String>| {
        if rows.is_empty() {
            format!("<h2>{title}</h2><p>暂无。</p>")
        } else {
            format!(
                "<h2>{title}</h2><table><thead><tr><th>单位名称</th><th>统一社会信用代码</th><th>评定结果</th><th>积分</th><th>公示期</th><th>状态</th></tr></thead><tbody>{}</tbody></table>",
                rows.join("")
            )
        }
    };
    let open: Vec<String> = list
        .iter()
        .filter(|n| n.status == NoticeStatus::Open)
        .map(row)
        .collect();
    let closed: Vec<String> = list
        .iter()
        .filter(|n| n.status != NoticeStatus::Open)
        .map(row)
        .collect();
    let page = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>评定结果公示</title><style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #999;padding:.3rem .5rem;text-align:left}}</style></head><body><h1>评定结果公示</h1><p>公示期内，任何单位和个人均可通过本平台对公示结果提出异议（须留真实姓名和联系方式）。</p>{}{}</body></html>",
        section("公示中", open),
        section("已结束", closed),
    );
    Ok(html(200, page))
}

fn parse_id(id: &str, field: &str) -> Result<String, Problem> {
    id.parse::<standing_domain::ids::RecordId>()
        .map(|r| r.to_string())
        .map_err(|_| Problem::not_found(format!("没有编号为 {id} 的{field}")))
}

async fn load_notice<D: Dispatch>(app: &App<D>, id: &str) -> Result<Notice, Problem> {
    let id = parse_id(id, "公示")?;
    app.store
        .get_notice(&id)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| Problem::not_found(format!("没有编号为 {id} 的公示")))
}

async fn one<D: Dispatch>(app: &App<D>, id: &str) -> Result<Response<Body>, Problem> {
    let n = load_notice(app, id).await?;
    Ok(json(200, &n.public_view(app.clock.now())))
}

/// A pseudonymous, stable identifier of the caller's address (never the address).
fn source_of(req: &Request) -> String {
    let ip = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.http.source_ip.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let digest = Sha256::digest(format!("standing-objection-source:{ip}").as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

async fn object<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let body = json_body(req, MAX_BODY_BYTES)?;
    let n = load_notice(app, id).await?;
    let now = app.clock.now();
    let source = source_of(req);
    // Validate (and check the window) first; the rate counter is taken in the same
    // transaction as the objection, so a refused objection uses up nothing.
    let (next, objection, audit) = notice::file_objection(&n, &body, &source, now)?;
    let hour = now.format("%Y%m%d%H").to_string();
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.notice(table, Some(&n), &next, &audit)
        .map_err(store_problem)?;
    tx.objection(table, None, &objection)
        .map_err(store_problem)?;
    tx.objection_rate(
        table,
        &source,
        &hour,
        OBJECTIONS_PER_SOURCE_PER_HOUR,
        now.timestamp() + 7200,
    )
    .map_err(store_problem)?;
    match app.store.commit(tx).await {
        Ok(()) => {}
        Err(e) if e.is_conflict_on(ConflictOn::RateLimit) => {
            let mut r = problem(&Problem::new(
                ProblemKind::TooManyRequests,
                format!(
                    "同一来源每小时最多提交 {OBJECTIONS_PER_SOURCE_PER_HOUR} 条异议，请稍后再试"
                ),
            ));
            r.headers_mut().insert(
                "retry-after",
                lambda_http::http::HeaderValue::from_static("3600"),
            );
            return Ok(r);
        }
        Err(e) => return Err(store_problem(e)),
    }
    Ok(json(
        201,
        &serde_json::json!({
            "id": objection.id.to_string(),
            "notice_id": n.id.to_string(),
            "status": objection.status,
            "filed_at": objection.filed_at,
        }),
    ))
}

async fn objections<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let n = load_notice(app, id).await?;
    caller.staff_of(&n.authority)?;
    let list = app
        .store
        .objections_of(&n.id.to_string())
        .await
        .map_err(store_problem)?;
    Ok(json(
        200,
        &serde_json::json!({ "notice": n, "objections": list }),
    ))
}

async fn decide<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
    oid: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let n = load_notice(app, id).await?;
    let oid = parse_id(oid, "异议")?;
    let objection = app
        .store
        .get_objection(&n.id.to_string(), &oid)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| Problem::not_found(format!("没有编号为 {oid} 的异议")))?;
    let application = app
        .store
        .get_application(&n.application_id.to_string())
        .await
        .map_err(store_problem)?
        .ok_or_else(Problem::internal)?;
    let now = app.clock.now();
    let outcome = notice::decide_objection(&n, &objection, &application, &body, &caller, now)?;
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.notice(table, Some(&n), &outcome.notice, &outcome.audit)
        .map_err(store_problem)?;
    tx.objection(table, Some(&objection), &outcome.objection)
        .map_err(store_problem)?;
    if let Some(next) = &outcome.application {
        let audit = next.audit(
            Some(&application),
            standing_domain::audit::Actor::from(&caller),
            "application.objection_upheld",
        );
        tx.application(table, Some(&application), next, &audit)
            .map_err(store_problem)?;
        if !next.status.is_open() {
            tx.release_open_slot(table, next).map_err(store_problem)?;
        }
    }
    app.store.commit(tx).await.map_err(store_problem)?;
    // A dismissal after the window ended leaves nothing pending: close at once rather
    // than wait for the sweep.
    if outcome.notice.status == NoticeStatus::Open
        && outcome.notice.pending_objections == 0
        && now >= outcome.notice.closes_at
        && let Ok(registry) = registry()
        && let Err(e) =
            workflow::close_notice(&app.store, &app.dispatch, registry, &n.id.to_string(), now)
                .await
    {
        tracing::error!(error = %e, "closing after the last objection failed; the sweep will retry");
    }
    Ok(json(200, &outcome.objection))
}

/// Run one job.
pub async fn run<D: Dispatch>(app: &App<D>, job: Job) -> Result<serde_json::Value, JobError> {
    let registry =
        standing_schemes::Registry::builtin().map_err(|e| JobError::Scheme(e.to_string()))?;
    let now = app.clock.now();
    match job {
        Job::CloseNotice { notice_id } => {
            let ran: Ran =
                workflow::close_notice(&app.store, &app.dispatch, registry, &notice_id, now)
                    .await?;
            Ok(serde_json::json!({ "notice": notice_id, "ran": format!("{ran:?}") }))
        }
        Job::SweepNotices => {
            let closed = Box::pin(workflow::sweep_notices(
                &app.store,
                &app.dispatch,
                registry,
                now,
            ))
            .await?;
            let reviews = Box::pin(workflow::redispatch_reviews(
                &app.store,
                &app.dispatch,
                registry,
                now,
            ))
            .await?;
            Ok(serde_json::json!({ "closed": closed, "reviews_requested": reviews }))
        }
        Job::AnnualReports => {
            let run = Box::pin(workflow::annual_reports(
                &app.store,
                &app.dispatch,
                registry,
                workflow::ANNUAL_REPORT_JOB,
                now,
            ))
            .await?;
            Ok(serde_json::json!({
                "days": run.days, "reminders": run.reminders, "expired": run.expired
            }))
        }
        other => Err(JobError::Misrouted(format!(
            "the publication function does not run {other:?}"
        ))),
    }
}

impl FromClients for App<AwsDispatch> {
    fn from_clients(clients: &Clients, store: DynamoStore) -> Result<Self, StartError> {
        Ok(App {
            store,
            auth: Authenticator::from_env()?,
            dispatch: clients.dispatch(),
            clock: clock_from_env(),
        })
    }
}
