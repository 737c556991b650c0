//! Intake: the organization registry now, applications next.
//!
//! Routes (all under `/v1`):
//! - `POST /v1/organizations` — register a company (applicant for itself, or staff).
//! - `GET /v1/organizations/{code}` — a company's record (its own account, or staff).
//! - `GET /v1/health/intake`
//!
//! Each handler reads as: authorize, load, decide (pure, in `standing-domain`), save
//! atomically, respond.

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_domain::clock::Clock;
use standing_domain::ids::CreditCode;
use standing_domain::organization;
use standing_domain::problem::Problem;
use standing_domain::store::{OrganizationStore, StoreError};
use standing_http::respond::{health, no_route, wrong_method};
use standing_http::{Authenticator, json, json_body, problem};
use std::sync::Arc;

/// Largest request body accepted, in bytes. A registration is well under 4 KiB.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What the handlers need, built once per container.
pub struct App<S> {
    pub store: S,
    pub auth: Authenticator,
    pub clock: Arc<dyn Clock>,
}

/// Map a storage failure to the answer the caller gets.
pub fn store_problem(e: StoreError) -> Problem {
    match e {
        StoreError::Conflict(_) => Problem::conflict("记录已存在或已被他人修改"),
        StoreError::Unavailable(detail) | StoreError::Corrupt(detail) => {
            tracing::error!(error = %detail, "store failure");
            Problem::internal()
        }
    }
}

pub async fn handle<S: OrganizationStore>(app: &App<S>, req: Request) -> Response<Body> {
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let result = match (segments.as_slice(), req.method()) {
        (["v1", "health", "intake"], &Method::GET) => return health("intake"),
        (["v1", "organizations"], &Method::POST) => register(app, &req).await,
        (["v1", "organizations"], _) => return wrong_method("POST"),
        (["v1", "organizations", code], &Method::GET) => read(app, &req, code).await,
        (["v1", "organizations", _], _) => return wrong_method("GET"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

async fn register<S: OrganizationStore>(
    app: &App<S>,
    req: &Request,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    if caller == standing_domain::Principal::Public {
        return Err(Problem::unauthenticated());
    }
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (org, audit) = organization::register(&body, &caller, app.clock.now())?;
    app.store
        .create_organization(&org, &audit)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => Problem::field(
                standing_domain::ProblemKind::Conflict,
                "code",
                format!("统一社会信用代码 {} 已登记", org.code),
            ),
            other => store_problem(other),
        })?;
    let mut response = json(201, &org);
    if let Ok(location) = format!("/v1/organizations/{}", org.code).parse() {
        response
            .headers_mut()
            .insert(lambda_http::http::header::LOCATION, location);
    }
    Ok(response)
}

async fn read<S: OrganizationStore>(
    app: &App<S>,
    req: &Request,
    code: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let code = CreditCode::parse_legacy(code).map_err(|e| {
        Problem::field(
            standing_domain::ProblemKind::Validation,
            "code",
            e.to_string(),
        )
    })?;
    caller.may_read_company(&code)?;
    match app
        .store
        .get_organization(&code)
        .await
        .map_err(store_problem)?
    {
        Some(org) => Ok(json(200, &org)),
        None => Err(Problem::not_found(format!(
            "未登记统一社会信用代码为 {code} 的单位"
        ))),
    }
}
