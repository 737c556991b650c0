//! The credit function (seed 002, fire-technology service agencies): the register, the
//! conduct the housing bureau records, the live score and level, public credit pages
//! and lists, and repair applications. The rules are in `standing_domain::credit`.
//!
//! Routes (all under `/v1`):
//! - `POST /v1/credit/agencies/{code}` — the bureau's staff enter a registered company in
//!   the register with its basic information (一（二）).
//! - `GET /v1/credit/agencies/{code}` (`{code}.html`) — public: level, score and the
//!   events in force.
//! - `POST /v1/credit/agencies/{code}/events` — staff record a conduct, or withdraw one.
//! - `POST /v1/credit/agencies/{code}/repairs` — the agency applies for repair (三).
//! - `POST /v1/credit/agencies/{code}/repairs/{id}/decision` — staff answer it.
//! - `GET /v1/credit/repairs` — staff: pending repairs, earliest due first, overdue flagged.
//! - `GET /v1/credit/tasks` — staff: open work items (supervision measures of the level an
//!   agency entered, 二（三）; monthly on-site checks, 一), earliest due first, overdue
//!   flagged.
//! - `POST /v1/credit/agencies/{code}/tasks/{id}/result` — staff complete one with a
//!   result.
//! - `GET /v1/credit/lists/{level}` (`.html`, `.csv`, `.atom`) — public: the agencies at a
//!   level.
//! - `GET /v1/credit/a-list/{release}` — public: the quarterly A-list releases
//!   (`releases`, `releases.html`, `releases.atom`) and each release at its stable
//!   address (`2026-Q2`, with `.html`, `.csv`, `.atom`).
//! - `GET /v1/health/credit`
//!
//! Jobs: `credit-rollover` (EventBridge Scheduler, hourly in China time, or by hand):
//! the yearly rollover of the register (三（一）), resumed from its progress record,
//! doing nothing once the cycle is done; it stops with an alarm when the working-day
//! calendar lacks a year of the new cycle.
//!
//! `credit-a-list` (daily at 23:30 China time, or by hand): on a quarter's last day its
//! A-list release (二（三）1), written once; on other days the last quarter's when missed.
//! The rollover releases the last quarter of the cycle before restating anyone.
//!
//! `credit-site-checks` (daily in China time, or by hand): the month's on-site check of
//! every agency of the register, once per agency and month.
//!
//! Not built yet (issue 11): the credit report PDF.

mod atom;

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_aws::credit::{AListRun, ROLLOVER_JOB, Rollover, RolloverLimits, SITE_CHECK_JOB};
use standing_aws::store::Transaction;
use standing_aws::{Clients, DynamoStore, FromClients, StartError, start};
use standing_domain::audit::Actor;
use standing_domain::clock::{Clock, china_date, clock_from_env};
use standing_domain::credit::{self, CreditEventRecord, CreditRecords};
use standing_domain::dispatch::Job;
use standing_domain::ids::CreditCode;
use standing_domain::job::JobError;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::OrganizationStore;
use standing_http::listing::{self, Cell, Format};
use standing_http::respond::{health_check, no_route, wrong_method};
use standing_http::{
    Authenticator, html, json, json_body, problem, scheme_in_force, serve_app_with_jobs,
    store_problem,
};
use standing_schemes::{Scheme, SchemeId, WorkCalendar};
use std::sync::Arc;

const MAX_BODY_BYTES: usize = 64 * 1024;

pub struct App {
    pub store: DynamoStore,
    pub auth: Authenticator,
    pub clock: Arc<dyn Clock>,
}

impl FromClients for App {
    fn from_clients(_clients: &Clients, store: DynamoStore) -> Result<Self, StartError> {
        Ok(App {
            store,
            auth: Authenticator::from_env()?,
            clock: clock_from_env(),
        })
    }
}

/// The Lambda entry point (`main.rs`): requests, and the scheduled jobs.
pub async fn lambda_main() -> Result<(), lambda_http::Error> {
    serve_app_with_jobs("credit", start::<App>(), handle, run).await
}

/// Run a job (a schedule's input, or `cargo lambda invoke` by hand).
pub async fn run(app: &App, job: Job) -> Result<serde_json::Value, JobError> {
    match job {
        Job::CreditRollover => {
            Box::pin(rollover(app, ROLLOVER_JOB, RolloverLimits::default())).await
        }
        Job::CreditAList => Box::pin(release_a_list(app)).await,
        Job::CreditSiteChecks => {
            Box::pin(site_checks(app, SITE_CHECK_JOB, RolloverLimits::default())).await
        }
        other => Err(JobError::Misrouted(format!(
            "the credit function does not run {other:?}"
        ))),
    }
}

/// The yearly rollover under progress record `job`, as a job's answer.
pub async fn rollover(
    app: &App,
    job: &str,
    limits: RolloverLimits,
) -> Result<serde_json::Value, JobError> {
    let now = app.clock.now();
    let s = scheme(app).map_err(|p| JobError::Scheme(p.detail))?;
    let calendar = WorkCalendar::builtin().map_err(|e| JobError::Scheme(e.to_string()))?;
    let ran = standing_aws::credit::rollover(&app.store, s, calendar, job, limits, now).await?;
    Ok(walked(&ran))
}

/// The month's on-site checks under progress record `job`, as a job's answer.
pub async fn site_checks(
    app: &App,
    job: &str,
    limits: RolloverLimits,
) -> Result<serde_json::Value, JobError> {
    let s = scheme(app).map_err(|p| JobError::Scheme(p.detail))?;
    let ran =
        standing_aws::credit::site_checks(&app.store, s, job, limits, app.clock.now()).await?;
    Ok(walked(&ran))
}

fn walked(ran: &Rollover) -> serde_json::Value {
    let (outcome, run) = match ran {
        Rollover::AlreadyDone(r) => ("already_done", r),
        Rollover::Done(r) => ("done", r),
        Rollover::Partial(r) => ("partial", r),
    };
    serde_json::json!({"outcome": outcome, "run": run})
}

/// The A-list release of the quarter ending today (or of the last one, when missed).
pub async fn release_a_list(app: &App) -> Result<serde_json::Value, JobError> {
    let s = scheme(app).map_err(|p| JobError::Scheme(p.detail))?;
    let ran = standing_aws::credit::release_a_list(&app.store, s, app.clock.now()).await?;
    let (outcome, r) = match &ran {
        AListRun::AlreadyReleased(r) => ("already_released", r),
        AListRun::Released(r) => ("released", r),
    };
    Ok(serde_json::json!({
        "outcome": outcome,
        "quarter": r.quarter,
        "path": r.path(),
        "agencies": r.agencies.len(),
    }))
}

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let result = match (segments.as_slice(), req.method()) {
        (["v1", "health", "credit"], &Method::GET) => {
            return Box::pin(health_check("credit", &req, async {
                vec![app.store.check().await]
            }))
            .await;
        }
        (["v1", "credit", "agencies", code], &Method::POST) => {
            Box::pin(enrol(app, &req, code)).await
        }
        (["v1", "credit", "agencies", code], &Method::GET) => Box::pin(page(app, code)).await,
        (["v1", "credit", "agencies", _], _) => return wrong_method("GET, POST"),
        (["v1", "credit", "agencies", code, "events"], &Method::POST) => {
            Box::pin(record(app, &req, code)).await
        }
        (["v1", "credit", "agencies", _, "events"], _) => return wrong_method("POST"),
        (["v1", "credit", "agencies", code, "repairs"], &Method::POST) => {
            Box::pin(apply_repair(app, &req, code)).await
        }
        (["v1", "credit", "agencies", _, "repairs"], _) => return wrong_method("POST"),
        (["v1", "credit", "agencies", code, "repairs", id, "decision"], &Method::POST) => {
            Box::pin(decide_repair(app, &req, code, id)).await
        }
        (["v1", "credit", "agencies", _, "repairs", _, "decision"], _) => {
            return wrong_method("POST");
        }
        (["v1", "credit", "tasks"], &Method::GET) => Box::pin(tasks(app, &req)).await,
        (["v1", "credit", "tasks"], _) => return wrong_method("GET"),
        (["v1", "credit", "agencies", code, "tasks", id, "result"], &Method::POST) => {
            Box::pin(complete_task(app, &req, code, id)).await
        }
        (["v1", "credit", "agencies", _, "tasks", _, "result"], _) => {
            return wrong_method("POST");
        }
        (["v1", "credit", "repairs"], &Method::GET) => Box::pin(repairs(app, &req)).await,
        (["v1", "credit", "repairs"], _) => return wrong_method("GET"),
        (["v1", "credit", "lists", level], &Method::GET) => Box::pin(list(app, level)).await,
        (["v1", "credit", "lists", _], _) => return wrong_method("GET"),
        (["v1", "credit", "a-list", name], &Method::GET) => Box::pin(a_list(app, name)).await,
        (["v1", "credit", "a-list", _], _) => return wrong_method("GET"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

fn scheme(app: &App) -> Result<&'static Scheme, Problem> {
    scheme_in_force(SchemeId::FireCredit, china_date(app.clock.now()))
}

fn calendar() -> Result<&'static WorkCalendar, Problem> {
    WorkCalendar::builtin().map_err(|_| Problem::internal())
}

fn parse_code(code: &str) -> Result<CreditCode, Problem> {
    CreditCode::parse_legacy(code)
        .map_err(|e| Problem::field(ProblemKind::Validation, "code", e.to_string()))
}

async fn records(app: &App, code: &CreditCode) -> Result<CreditRecords, Problem> {
    app.store
        .credit_records(code)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| {
            Problem::not_found(format!(
                "信用管理名录库中没有统一社会信用代码为 {code} 的服务机构"
            ))
        })
}

async fn enrol(app: &App, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let code = parse_code(code)?;
    let org = app
        .store
        .get_organization(&code)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| Problem::not_found(format!("未登记统一社会信用代码为 {code} 的单位")))?;
    let (file, audit) = credit::enrol(&org, &body, &caller, scheme(app)?, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.credit_file(app.store.table(), None, &file, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(|e| match e {
        standing_domain::store::StoreError::Conflict(_) => {
            Problem::conflict(format!("{code} 已在信用管理名录库中"))
        }
        e => store_problem(e),
    })?;
    Ok(json(201, &file))
}

async fn record(app: &App, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let r = records(app, &parse_code(code)?).await?;
    let s = scheme(app)?;
    let now = app.clock.now();
    let done = credit::record(&r, &body, &caller, s, now)?;
    let tasks = credit::supervision_tasks(
        s,
        &r.file,
        &done.file,
        calendar()?,
        &Actor::from(&caller),
        now,
    );
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.credit_event(table, &done.event, &done.event_audit)
        .map_err(store_problem)?;
    tx.credit_file(table, Some(&r.file), &done.file, &done.file_audit)
        .map_err(store_problem)?;
    for (task, audit) in &tasks {
        tx.credit_task(table, None, task, audit)
            .map_err(store_problem)?;
    }
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(
        201,
        &serde_json::json!({
            "event": done.event,
            "file": done.file,
            "tasks": tasks.iter().map(|(t, _)| t).collect::<Vec<_>>(),
        }),
    ))
}

async fn apply_repair(app: &App, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let r = records(app, &parse_code(code)?).await?;
    let calendar = WorkCalendar::builtin().map_err(|_| Problem::internal())?;
    let (repair, audit) =
        credit::apply_repair(&r, &body, &caller, scheme(app)?, calendar, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.repair(app.store.table(), None, &repair, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(201, &repair))
}

async fn decide_repair(
    app: &App,
    req: &Request,
    code: &str,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let r = records(app, &parse_code(code)?).await?;
    let repair = r
        .repairs
        .iter()
        .find(|x| x.id.to_string() == id)
        .ok_or_else(|| Problem::not_found(format!("没有编号为 {id} 的信用修复申请")))?;
    let s = scheme(app)?;
    let now = app.clock.now();
    let (next, audit, file, file_audit) =
        credit::decide_repair(&r, repair, &body, &caller, s, now)?;
    let tasks =
        credit::supervision_tasks(s, &r.file, &file, calendar()?, &Actor::from(&caller), now);
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.repair(table, Some(repair), &next, &audit)
        .map_err(store_problem)?;
    tx.credit_file(table, Some(&r.file), &file, &file_audit)
        .map_err(store_problem)?;
    for (task, audit) in &tasks {
        tx.credit_task(table, None, task, audit)
            .map_err(store_problem)?;
    }
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(
        200,
        &serde_json::json!({"repair": next, "file": file}),
    ))
}

async fn repairs(app: &App, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let authority = caller.require_staff()?;
    let today = china_date(app.clock.now());
    let list = app
        .store
        .pending_repairs(authority, 200)
        .await
        .map_err(store_problem)?;
    let items = flag_overdue(&list, |r| r.overdue_on(today));
    Ok(json(
        200,
        &serde_json::json!({"on": today, "repairs": items}),
    ))
}

/// A staff queue's items as JSON, each with `overdue` as of today.
fn flag_overdue<T: serde::Serialize>(
    list: &[T],
    overdue: impl Fn(&T) -> bool,
) -> Vec<serde_json::Value> {
    list.iter()
        .map(|item| {
            let mut v = serde_json::to_value(item).unwrap_or_default();
            v["overdue"] = serde_json::json!(overdue(item));
            v
        })
        .collect()
}

async fn tasks(app: &App, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let authority = caller.require_staff()?;
    let today = china_date(app.clock.now());
    let list = app
        .store
        .open_credit_tasks(authority, 200)
        .await
        .map_err(store_problem)?;
    let items = flag_overdue(&list, |t| t.overdue_on(today));
    Ok(json(200, &serde_json::json!({"on": today, "tasks": items})))
}

async fn complete_task(
    app: &App,
    req: &Request,
    code: &str,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let code = parse_code(code)?;
    let task = app
        .store
        .credit_task(&code, id)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| Problem::not_found(format!("{code} 名下没有编号为 {id} 的工作事项")))?;
    let (next, audit) = credit::complete_task(&task, &body, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.credit_task(app.store.table(), Some(&task), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(200, &next))
}

/// The events the public sees: those in force (a withdrawn event and its withdrawal are
/// not shown), each with whether it was repaired.
fn public_events(r: &CreditRecords) -> Vec<serde_json::Value> {
    let withdrawn: Vec<_> = r.events.iter().filter_map(|e| e.withdraws).collect();
    r.events
        .iter()
        .filter(|e| e.withdraws.is_none() && !withdrawn.contains(&e.id))
        .map(|e: &CreditEventRecord| {
            let mut v = e.public_view();
            v["repaired_on"] = serde_json::json!(
                r.repairs
                    .iter()
                    .filter(|x| x.event == e.id && x.status == credit::RepairStatus::Approved)
                    .filter_map(|x| x.decided_on)
                    .min()
            );
            v
        })
        .collect()
}

async fn page(app: &App, name: &str) -> Result<Response<Body>, Problem> {
    let (code, format) = listing::split_format(name);
    let r = records(app, &parse_code(code)?).await?;
    let s = scheme(app)?;
    let today = china_date(app.clock.now());
    // The standing of today (a cycle may have ended since the last write).
    let report = credit::standing(s, &r.events, &r.repairs, today);
    let (level_code, level_label) = report
        .level
        .as_ref()
        .map(|l| (l.code.clone(), l.title_zh.clone()))
        .unwrap_or_default();
    let score = report.total.unwrap_or_default().normalize();
    let events = public_events(&r);
    Ok(match format {
        Format::Html => {
            let rows: Vec<Vec<Cell>> = events
                .iter()
                .map(|e| {
                    vec![
                        Cell::text(e["date"].as_str().unwrap_or_default()),
                        Cell::prose(e["title_zh"].as_str().unwrap_or_default()),
                        Cell::text(points_text(&e["points"])),
                        Cell::text(e["article"].as_str().unwrap_or_default()),
                        Cell::text(e["repaired_on"].as_str().unwrap_or("—")),
                    ]
                })
                .collect();
            html(
                200,
                listing::page(
                    &format!("{}信用信息", r.file.company_name),
                    &format!(
                        "统一社会信用代码 {}；信用等级 {level_label}；信用分 {score}（{today}）；{}（{}）",
                        r.file.org, s.scheme.authority_zh, s.scheme.title_zh
                    ),
                    &["日期", "信用行为", "分值", "依据条款", "修复日期"],
                    &rows,
                ),
            )
        }
        _ => json(
            200,
            &serde_json::json!({
                "credit_code": r.file.org.as_str(),
                "company_name": r.file.company_name,
                "authority_zh": s.scheme.authority_zh,
                "on": today,
                "score": score,
                "level_code": level_code,
                "level_label": level_label,
                "basic": r.file.basic,
                "events": events,
            }),
        ),
    })
}

/// Signed points as a reader expects them: "+5", "-10".
fn points_text(v: &serde_json::Value) -> String {
    let t = v
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v.to_string());
    if t.starts_with('-') || t == "0" {
        t
    } else {
        format!("+{t}")
    }
}

async fn list(app: &App, name: &str) -> Result<Response<Body>, Problem> {
    let (level, format) = listing::split_format(name);
    let (level, atom) = match level.strip_suffix(".atom") {
        Some(l) if format == Format::Json => (l, true),
        _ => (level, false),
    };
    let s = scheme(app)?;
    let Some(def) = s.levels.iter().find(|l| l.code == level) else {
        return Err(Problem::not_found(format!(
            "没有信用等级“{level}”（可选：{}）",
            s.levels
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>()
                .join("、")
        )));
    };
    let authority = s.authority_id().map_err(|_| Problem::internal())?;
    let files = app
        .store
        .credit_files_at(authority, level)
        .await
        .map_err(store_problem)?;
    let title = format!("消防技术服务机构信用等级名录：{}", def.title_zh);
    if atom {
        let entries: Vec<atom::Entry> = files
            .iter()
            .map(|f| atom::Entry {
                id: format!("urn:standing:credit:{authority}:agency:{}", f.org),
                title: f.company_name.clone(),
                updated: f.updated_at,
                link: format!("/v1/credit/agencies/{}.html", f.org),
                summary: format!(
                    "统一社会信用代码 {}；信用分 {}；{}",
                    f.org,
                    f.score.normalize(),
                    f.level_label
                ),
            })
            .collect();
        let feed = atom::Feed {
            id: format!("urn:standing:credit:{authority}:list:{level}"),
            title: &title,
            author: &s.scheme.authority_zh,
            self_path: &format!("/v1/credit/lists/{level}.atom"),
            html_path: &format!("/v1/credit/lists/{level}.html"),
            updated: files
                .iter()
                .map(|f| f.updated_at)
                .max()
                .unwrap_or_else(|| app.clock.now()),
        };
        return Ok(atom::response(atom::render(&feed, &entries)));
    }
    let headers = ["单位名称", "统一社会信用代码", "信用分", "信用等级"];
    let rows = || {
        files
            .iter()
            .map(|f| {
                vec![
                    Cell::link(
                        &f.company_name,
                        format!("/v1/credit/agencies/{}.html", f.org),
                    ),
                    Cell::text(f.org.as_str()),
                    Cell::text(f.score.normalize().to_string()),
                    Cell::text(&f.level_label),
                ]
            })
            .collect::<Vec<_>>()
    };
    Ok(match format {
        Format::Json => json(
            200,
            &serde_json::json!({
                "level_code": def.code,
                "level_label": def.title_zh,
                "authority_zh": s.scheme.authority_zh,
                "agencies": files.iter().map(|f| serde_json::json!({
                    "company_name": f.company_name,
                    "credit_code": f.org.as_str(),
                    "score": f.score.normalize(),
                    "level_code": f.level_code,
                })).collect::<Vec<_>>(),
            }),
        ),
        Format::Html => html(
            200,
            listing::page(&title, &s.scheme.authority_zh, &headers, &rows()),
        ),
        Format::Csv => listing::csv_response(
            &format!("credit-level-{level}"),
            listing::csv(&headers, &rows()),
        ),
    })
}

/// Whether `name` is a quarter as releases are named (`2026-Q2`).
fn is_quarter(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && &b[4..6] == b"-Q"
        && (b'1'..=b'4').contains(&b[6])
}

/// The A-list releases: `releases` (JSON, `.html`, `.atom`), or one release by its
/// quarter (JSON, `.html`, `.csv`, `.atom`).
async fn a_list(app: &App, name: &str) -> Result<Response<Body>, Problem> {
    let (stem, atom) = match name.strip_suffix(".atom") {
        Some(stem) => (stem, true),
        None => (name, false),
    };
    let (stem, format) = if atom {
        (stem, Format::Json)
    } else {
        listing::split_format(stem)
    };
    let s = scheme(app)?;
    let authority = s.authority_id().map_err(|_| Problem::internal())?;
    let title_of = |r: &credit::AListRelease| {
        format!(
            "{}年第{}季度优质消防技术服务机构名录（{}）",
            &r.quarter[..4],
            &r.quarter[6..],
            r.level_label
        )
    };
    if stem == "releases" {
        let mut all = app
            .store
            .a_list_releases(authority)
            .await
            .map_err(store_problem)?;
        all.reverse(); // newest first
        let title = "优质消防技术服务机构名录：季度发布";
        return Ok(if atom {
            let entries: Vec<atom::Entry> = all
                .iter()
                .map(|r| atom::Entry {
                    id: format!("urn:standing:credit:{authority}:a-list:{}", r.quarter),
                    title: title_of(r),
                    updated: r.released_at,
                    link: format!("{}.html", r.path()),
                    summary: format!(
                        "{} 发布，共 {} 家：{}",
                        r.as_of,
                        r.agencies.len(),
                        r.agencies
                            .iter()
                            .map(|a| a.company_name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                })
                .collect();
            let feed = atom::Feed {
                id: format!("urn:standing:credit:{authority}:a-list"),
                title,
                author: &s.scheme.authority_zh,
                self_path: "/v1/credit/a-list/releases.atom",
                html_path: "/v1/credit/a-list/releases.html",
                updated: all
                    .first()
                    .map(|r| r.released_at)
                    .unwrap_or_else(|| app.clock.now()),
            };
            atom::response(atom::render(&feed, &entries))
        } else {
            match format {
                Format::Html => html(
                    200,
                    listing::page(
                        title,
                        &s.scheme.authority_zh,
                        &["季度", "发布日期", "机构数"],
                        &all.iter()
                            .map(|r| {
                                vec![
                                    Cell::link(&r.quarter, format!("{}.html", r.path())),
                                    Cell::text(r.as_of.to_string()),
                                    Cell::text(r.agencies.len().to_string()),
                                ]
                            })
                            .collect::<Vec<_>>(),
                    ),
                ),
                Format::Csv => return Err(no_such_release(name)),
                Format::Json => json(
                    200,
                    &serde_json::json!({
                        "authority_zh": s.scheme.authority_zh,
                        "releases": all.iter().map(|r| serde_json::json!({
                            "quarter": r.quarter,
                            "as_of": r.as_of,
                            "released_at": r.released_at,
                            "agencies": r.agencies.len(),
                            "path": r.path(),
                        })).collect::<Vec<_>>(),
                    }),
                ),
            }
        });
    }
    if !is_quarter(stem) {
        return Err(no_such_release(name));
    }
    let r = app
        .store
        .a_list_release(authority, stem)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| no_such_release(name))?;
    let title = title_of(&r);
    let headers = ["单位名称", "统一社会信用代码", "信用分"];
    let rows = || {
        r.agencies
            .iter()
            .map(|a| {
                vec![
                    Cell::link(
                        &a.company_name,
                        format!("/v1/credit/agencies/{}.html", a.org),
                    ),
                    Cell::text(a.org.as_str()),
                    Cell::text(a.score.normalize().to_string()),
                ]
            })
            .collect::<Vec<_>>()
    };
    let intro = format!(
        "{}；{} 发布（{}，{} 版）",
        s.scheme.authority_zh, r.as_of, r.seed_article, r.scheme_version
    );
    Ok(if atom {
        let entries: Vec<atom::Entry> = r
            .agencies
            .iter()
            .map(|a| atom::Entry {
                id: format!(
                    "urn:standing:credit:{authority}:a-list:{}:{}",
                    r.quarter, a.org
                ),
                title: a.company_name.clone(),
                updated: r.released_at,
                link: format!("/v1/credit/agencies/{}.html", a.org),
                summary: format!("统一社会信用代码 {}；信用分 {}", a.org, a.score.normalize()),
            })
            .collect();
        let feed = atom::Feed {
            id: format!("urn:standing:credit:{authority}:a-list:{}", r.quarter),
            title: &title,
            author: &s.scheme.authority_zh,
            self_path: &format!("{}.atom", r.path()),
            html_path: &format!("{}.html", r.path()),
            updated: r.released_at,
        };
        atom::response(atom::render(&feed, &entries))
    } else {
        match format {
            Format::Json => json(200, &r),
            Format::Html => html(200, listing::page(&title, &intro, &headers, &rows())),
            Format::Csv => listing::csv_response(
                &format!("credit-a-list-{}", r.quarter),
                listing::csv(&headers, &rows()),
            ),
        }
    })
}

fn no_such_release(name: &str) -> Problem {
    Problem::not_found(format!(
        "没有“{name}”这一期优质机构名录（按季度发布，如 2026-Q2；全部发布见 /v1/credit/a-list/releases）"
    ))
}
