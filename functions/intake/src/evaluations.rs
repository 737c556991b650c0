//! Client-unit evaluation forms (seed 003 附录A): the applicant asks a declared client
//! unit for its evaluation and gets a one-time link; the client unit opens the form and
//! submits it without an account (the link is its authority); the authority's staff
//! withdraw a received form with a reason.

use crate::applications::{load_for, presign_upload};
use crate::{App, MAX_BODY_BYTES, store_problem};
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_domain::auth::Access;
use standing_domain::dispatch::Dispatch;
use standing_domain::evaluation_form::{self, EvaluationForm};
use standing_domain::problem::Problem;
use standing_http::{json, json_body};

fn scheme_of(
    app_scheme: standing_schemes::SchemeId,
    created: chrono::DateTime<chrono::Utc>,
) -> Result<&'static standing_schemes::Scheme, Problem> {
    standing_http::scheme_in_force(app_scheme, standing_domain::clock::china_date(created))
}

/// `POST /v1/applications/{id}/evaluations`: the link for one declared client unit.
pub async fn request<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (a, access) = load_for(app, &caller, id).await?;
    let existing = app
        .store
        .evaluation_forms_of(&a.id.to_string())
        .await
        .map_err(store_problem)?;
    let now = app.clock.now();
    let scheme = scheme_of(a.scheme, now)?;
    let (form, token, audit) =
        evaluation_form::request(&a, &existing, &body, &caller, scheme, now)?;
    let mut tx = Transaction::default();
    tx.evaluation_form(app.store.table(), None, &form, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(
        201,
        &serde_json::json!({
            "form": form.view(access),
            "token": token,
            "link": format!("/v1/evaluation-forms/{token}"),
        }),
    ))
}

/// `GET /v1/applications/{id}/evaluations`: the forms asked for an application.
pub async fn list<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let (a, access) = load_for(app, &caller, id).await?;
    let forms: Vec<EvaluationForm> = app
        .store
        .evaluation_forms_of(&a.id.to_string())
        .await
        .map_err(store_problem)?
        .into_iter()
        .map(|f| f.view(access))
        .collect();
    Ok(json(200, &serde_json::json!({ "forms": forms })))
}

/// The form a token opens, or 404 (no existence leak for a malformed or unknown token).
async fn by_token<D>(app: &App<D>, token: &str) -> Result<EvaluationForm, Problem> {
    let not_found = || Problem::not_found("评价链接无效");
    if !evaluation_form::looks_like_token(token) {
        return Err(not_found());
    }
    app.store
        .evaluation_form_by_token(&evaluation_form::token_hash(token))
        .await
        .map_err(store_problem)?
        .ok_or_else(not_found)
}

/// `GET /v1/evaluation-forms/{token}`: public, the form while its link is open.
pub async fn open<D>(app: &App<D>, token: &str) -> Result<Response<Body>, Problem> {
    let f = by_token(app, token).await?;
    let scheme = scheme_of(f.scheme, f.created_at)?;
    Ok(json(200, &f.public(scheme, app.clock.now())?))
}

/// `POST /v1/evaluation-forms/{token}`: public, the client unit submits the form once;
/// the answer carries the presigned PUT for the stamped scan.
pub async fn submit<D: Dispatch>(
    app: &App<D>,
    req: &Request,
    token: &str,
) -> Result<Response<Body>, Problem> {
    let body = json_body(req, MAX_BODY_BYTES)?;
    let f = by_token(app, token).await?;
    let scheme = scheme_of(f.scheme, f.created_at)?;
    let (next, audit) = evaluation_form::receive(&f, &body, scheme, app.clock.now())?;
    let scan = &next.received.as_ref().ok_or_else(Problem::internal)?.scan;
    // Sign first: if signing fails nothing is saved.
    let upload = presign_upload(app, &scan.key, &scan.content_type, scan.size_bytes).await?;
    let mut tx = Transaction::default();
    tx.evaluation_form(app.store.table(), Some(&f), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    // A submitted application waiting for its forms is reviewed again (it waits on if
    // other links are still open).
    if let Err(e) = app.dispatch.review(&next.application).await {
        tracing::error!(error = %e, application = %next.application, "requesting the review failed");
    }
    Ok(json(
        201,
        &serde_json::json!({ "form": next.view(Access::Holder), "upload": upload }),
    ))
}

/// `POST /v1/applications/{id}/evaluations/{form}/withdraw`: staff of the application's
/// authority withdraw a received form, with the reason.
pub async fn withdraw<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
    form: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (a, access) = load_for(app, &caller, id).await?;
    let not_found = || Problem::not_found(format!("本申请没有编号为 {form} 的评价表"));
    let form_id: standing_domain::ids::RecordId = form.parse().map_err(|_| not_found())?;
    let f = app
        .store
        .evaluation_form(&a.id.to_string(), &form_id.to_string())
        .await
        .map_err(store_problem)?
        .ok_or_else(not_found)?;
    let (next, audit) = evaluation_form::withdraw(&f, &body, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.evaluation_form(app.store.table(), Some(&f), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(200, &next.view(access)))
}
