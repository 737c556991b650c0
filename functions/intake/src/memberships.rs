//! Memberships kept by the association (seed 000 第九条（二）、第二十二条（二）): its staff
//! add, end and import them; the company reads its own; the review reads only these
//! records.

use crate::{App, MAX_BODY_BYTES, load_known_org, load_org, parse_code, store_problem};
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_domain::auth::{Access, Principal};
use standing_domain::membership::{self, Membership};
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::OrganizationStore;
use standing_http::{json, json_body};

/// `GET /v1/organizations/{code}/memberships`: the company's own account sees every
/// association's record (roles, not staff ids); staff see their own association's.
pub async fn list<D>(app: &App<D>, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let code = parse_code(code)?;
    load_known_org(app, &caller, &code).await?;
    let list: Vec<Membership> = match &caller {
        Principal::Staff { authority, .. } => app
            .store
            .get_membership(&code, authority)
            .await
            .map_err(store_problem)?
            .into_iter()
            .collect(),
        _ => app
            .store
            .memberships_of(&code)
            .await
            .map_err(store_problem)?
            .iter()
            .map(|m| m.view(Access::Holder))
            .collect(),
    };
    Ok(json(
        200,
        &serde_json::json!({ "organization": code.as_str(), "memberships": list }),
    ))
}

/// `POST /v1/organizations/{code}/memberships` by the association's staff.
pub async fn add<D>(app: &App<D>, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let authority = caller.require_staff()?.to_owned();
    let body = json_body(req, MAX_BODY_BYTES)?;
    let code = parse_code(code)?;
    let (org, existing) = tokio::join!(
        Box::pin(load_org(app, &code)),
        Box::pin(app.store.get_membership(&code, &authority))
    );
    let (org, existing) = (org?, existing.map_err(store_problem)?);
    let (next, audit) = membership::add(&org, existing.as_ref(), &body, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.membership(app.store.table(), existing.as_ref(), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(201, &next))
}

/// `POST /v1/organizations/{code}/memberships/end` by the association's staff.
pub async fn end<D>(app: &App<D>, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let authority = caller.require_staff()?.to_owned();
    let body = json_body(req, MAX_BODY_BYTES)?;
    let code = parse_code(code)?;
    let existing = app
        .store
        .get_membership(&code, &authority)
        .await
        .map_err(store_problem)?;
    let (next, audit) = membership::end(existing.as_ref(), &body, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.membership(app.store.table(), existing.as_ref(), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(200, &next))
}

/// `POST /v1/memberships/import` by the association's staff: up to
/// `membership::MAX_IMPORT_ROWS` rows, written all together or not at all.
pub async fn import<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let authority = caller.require_staff()?.to_owned();
    let body = json_body(req, MAX_BODY_BYTES)?;
    let rows = membership::read_import(&body, &caller)?;
    // Two reads per row, all at once.
    let loads = rows.iter().map(|r| async {
        let (org, existing) = tokio::join!(
            Box::pin(app.store.get_organization(&r.code)),
            Box::pin(app.store.get_membership(&r.code, &authority))
        );
        Ok::<_, Problem>((
            org.map_err(store_problem)?,
            existing.map_err(store_problem)?,
        ))
    });
    let loaded = futures_util::future::try_join_all(loads).await?;
    let now = app.clock.now();
    let mut tx = Transaction::default();
    let mut written = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    let mut only_conflicts = true;
    for (i, (row, (org, existing))) in rows.iter().zip(&loaded).enumerate() {
        match membership::import_row(i, row, org.as_ref(), existing.as_ref(), &caller, now) {
            Ok((next, audit)) => {
                tx.membership(app.store.table(), existing.as_ref(), &next, &audit)
                    .map_err(store_problem)?;
                written.push(next);
            }
            Err(p) => {
                only_conflicts &= p.kind == ProblemKind::Conflict;
                errors.extend(p.errors);
            }
        }
    }
    if !errors.is_empty() {
        // Nothing is written; every failing row is named. Rows that are already
        // members make a 409, anything else a 422.
        let mut p = Problem::invalid_fields(errors);
        if only_conflicts {
            p.kind = ProblemKind::Conflict;
        }
        return Err(p);
    }
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(
        201,
        &serde_json::json!({ "imported": written.len(), "memberships": written }),
    ))
}
