//! Change requests of company data (seed 000 第十三条) and the reminders a company was
//! sent.

use crate::{App, MAX_BODY_BYTES, load_known_org, load_org, parse_code, store_problem};
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_domain::auth::Principal;
use standing_domain::change;
use standing_domain::dispatch::Dispatch;
use standing_domain::problem::Problem;
use standing_http::{json, json_body, scheme_in_force};
use standing_schemes::SchemeId;

pub async fn request<D>(
    app: &App<D>,
    req: &Request,
    code: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let code = parse_code(code)?;
    caller.may_read_registry(&code)?;
    let org = load_org(app, &code).await?;
    let now = app.clock.now();
    let scheme = scheme_in_force(
        SchemeId::CapabilityGrade,
        standing_domain::clock::china_date(now),
    )?;
    let (c, audit) = change::request(&org, &body, &caller, scheme, now)?;
    let mut tx = Transaction::default();
    tx.change_request(app.store.table(), None, &c, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(201, &c))
}

pub async fn decide<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let not_found = || Problem::not_found(format!("没有编号为 {id} 的变更申请"));
    let rid: standing_domain::ids::RecordId = id.parse().map_err(|_| not_found())?;
    let c = app
        .store
        .get_change(&rid.to_string())
        .await
        .map_err(store_problem)?
        .ok_or_else(not_found)?;
    caller.staff_of(&c.authority)?;
    let org = load_org(app, &c.org).await?;
    let certificates = app
        .store
        .certificates_of(&c.org, None)
        .await
        .map_err(store_problem)?;
    let decision = change::decide(&c, &org, &certificates, &body, &caller, app.clock.now())?;
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.change_request(table, Some(&c), &decision.change, &decision.audit)
        .map_err(store_problem)?;
    if let Some((updated, audit)) = &decision.organization {
        tx.organization(table, &org, updated, audit)
            .map_err(store_problem)?;
    }
    for (before, after, audit) in &decision.certificates {
        tx.certificate(table, Some(before), after, audit)
            .map_err(store_problem)?;
    }
    app.store.commit(tx).await.map_err(store_problem)?;
    for (_, after, _) in &decision.certificates {
        if let Err(e) = app.dispatch.render(&after.serial, after.version).await {
            tracing::error!(error = %e, serial = %after.serial, "requesting the rendering failed");
        }
    }
    Ok(json(200, &decision.change))
}

/// A company's change requests, oldest first: its own account sees all, staff those
/// filed with their authority (of a company their authority knows).
pub async fn list<D>(app: &App<D>, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let code = parse_code(code)?;
    load_known_org(app, &caller, &code).await?;
    let mut list = app.store.changes_of(&code).await.map_err(store_problem)?;
    if let Principal::Staff { authority, .. } = &caller {
        list.retain(|c| c.authority == *authority);
    }
    Ok(json(200, &serde_json::json!({ "changes": list })))
}

/// How many pending change requests one page of the staff queue shows.
const QUEUE_PAGE: usize = 100;

/// Staff: the change requests waiting on their authority, oldest first (pattern 71).
/// `more` says the queue holds more than this page shows.
pub async fn queue<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let authority = caller.require_staff()?;
    let mut list = app
        .store
        .changes_waiting_on(authority, QUEUE_PAGE + 1)
        .await
        .map_err(store_problem)?;
    let more = list.len() > QUEUE_PAGE;
    list.truncate(QUEUE_PAGE);
    Ok(json(
        200,
        &serde_json::json!({ "changes": list, "more": more }),
    ))
}

pub async fn reminders<D>(
    app: &App<D>,
    req: &Request,
    code: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let code = parse_code(code)?;
    load_known_org(app, &caller, &code).await?;
    let mut list = app.store.reminders_of(&code).await.map_err(store_problem)?;
    // Staff see the reminders of their own authority's schemes only.
    if let Principal::Staff { authority, .. } = &caller {
        list.retain(|r| r.authority == *authority);
    }
    Ok(json(200, &serde_json::json!({ "reminders": list })))
}
