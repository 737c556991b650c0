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
//! - `GET /v1/credit/lists/{level}` (`.html`, `.csv`) — public: the agencies at a level.
//! - `GET /v1/health/credit`
//!
//! Not built yet (issue 11): the monthly on-site checks, supervision work items per
//! level, the quarterly A-list release and Atom feeds, the yearly rollover job and the
//! credit report PDF.

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_aws::{Clients, DynamoStore, FromClients, StartError, start};
use standing_domain::clock::{Clock, china_date, clock_from_env};
use standing_domain::credit::{self, CreditEventRecord, CreditRecords};
use standing_domain::ids::CreditCode;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::OrganizationStore;
use standing_http::listing::{self, Cell, Format};
use standing_http::respond::{health_check, no_route, wrong_method};
use standing_http::{
    Authenticator, html, json, json_body, problem, scheme_in_force, serve_app, store_problem,
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

/// The Lambda entry point (`main.rs`).
pub async fn lambda_main() -> Result<(), lambda_http::Error> {
    serve_app("credit", start::<App>(), handle).await
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
        (["v1", "credit", "repairs"], &Method::GET) => Box::pin(repairs(app, &req)).await,
        (["v1", "credit", "repairs"], _) => return wrong_method("GET"),
        (["v1", "credit", "lists", level], &Method::GET) => Box::pin(list(app, level)).await,
        (["v1", "credit", "lists", _], _) => return wrong_method("GET"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

fn scheme(app: &App) -> Result<&'static Scheme, Problem> {
    scheme_in_force(SchemeId::FireCredit, china_date(app.clock.now()))
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
    let done = credit::record(&r, &body, &caller, scheme(app)?, app.clock.now())?;
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.credit_event(table, &done.event, &done.event_audit)
        .map_err(store_problem)?;
    tx.credit_file(table, Some(&r.file), &done.file, &done.file_audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(
        201,
        &serde_json::json!({"event": done.event, "file": done.file}),
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
    let (next, audit, file, file_audit) =
        credit::decide_repair(&r, repair, &body, &caller, scheme(app)?, app.clock.now())?;
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.repair(table, Some(repair), &next, &audit)
        .map_err(store_problem)?;
    tx.credit_file(table, Some(&r.file), &file, &file_audit)
        .map_err(store_problem)?;
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
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["overdue"] = serde_json::json!(r.overdue_on(today));
            v
        })
        .collect();
    Ok(json(
        200,
        &serde_json::json!({"on": today, "repairs": items}),
    ))
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
