//! Suspension (歇业) and closure (停业) of alarm operators (seed 004 二（三）3): the
//! operator files, the city department reviews, the regional department approves; the
//! rules are in `standing_domain::suspension`.

use crate::{App, MAX_BODY_BYTES, load_org, parse_code, store_problem};
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_domain::ids::RecordId;
use standing_domain::problem::Problem;
use standing_domain::suspension::{self, Suspension};
use standing_http::{json, json_body, scheme_in_force};
use standing_schemes::SchemeId;

/// `POST /v1/organizations/{code}/suspensions`: the operator files.
pub async fn file<D>(app: &App<D>, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let code = parse_code(code)?;
    caller.may_read_registry(&code)?;
    let org = load_org(app, &code).await?;
    let now = app.clock.now();
    let scheme = scheme_in_force(
        SchemeId::AlarmOperators,
        standing_domain::clock::china_date(now),
    )?;
    let (s, audit) = suspension::file(&org, &body, &caller, scheme, now)?;
    let mut tx = Transaction::default();
    tx.suspension(app.store.table(), None, &s, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(201, &s))
}

async fn load<D>(app: &App<D>, id: &str) -> Result<Suspension, Problem> {
    let not_found = || Problem::not_found(format!("没有编号为 {id} 的歇业、停业申请"));
    let rid: RecordId = id.parse().map_err(|_| not_found())?;
    app.store
        .get_suspension(&rid.to_string())
        .await
        .map_err(store_problem)?
        .ok_or_else(not_found)
}

/// `GET /v1/suspensions/{id}`: the operator, or staff of either level.
pub async fn read<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let s = load(app, id).await?;
    s.access(&caller)?;
    Ok(json(200, &s))
}

/// `POST /v1/suspensions/{id}/decision`: the level whose turn it is decides.
pub async fn decide<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let s = load(app, id).await?;
    let (next, audit) = suspension::decide(&s, &body, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.suspension(app.store.table(), Some(&s), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(200, &next))
}

/// `GET /v1/suspensions`: staff, the applications waiting on their authority.
pub async fn queue<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let authority = caller.require_staff()?;
    let list = app
        .store
        .suspensions_waiting_on(authority, 100)
        .await
        .map_err(store_problem)?;
    Ok(json(200, &serde_json::json!({ "suspensions": list })))
}
