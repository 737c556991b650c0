//! Intake: the organization registry, applications (drafts, declarations, materials,
//! submission), staff checks, change requests of company data.
//!
//! Routes (all under `/v1`):
//! - `POST /v1/organizations` — register a company (applicant for itself, or staff; the
//!   company's own registration claims a record staff registered on its behalf).
//! - `GET /v1/companies?q=` — public: companies by credit code or any part of the name.
//! - `GET /v1/organizations/{code}` — a company's registry record (its own account, or
//!   staff of any authority: the registry is shared).
//! - `GET /v1/organizations/{code}/memberships` — its memberships (own account: all;
//!   staff: their association's).
//! - `POST /v1/organizations/{code}/memberships` — the association's staff record a
//!   membership; `POST .../memberships/end` ends it with its ground.
//! - `POST /v1/memberships/import` — the association's staff import memberships.
//! - `GET /v1/schemes`, `GET /v1/schemes/{id}` — public: what a form needs of each
//!   scheme's version in force (facts, items with maxima, rules, seed articles, the
//!   applications it takes).
//! - `POST /v1/schemes/{id}/evaluate` — public: the itemised report for a declaration,
//!   nothing stored (a form's preview before submitting).
//! - `GET /v1/organizations/{code}/reminders` — annual-report reminders sent to it.
//! - `POST /v1/organizations/{code}/changes` — request a change of company data.
//! - `GET /v1/organizations/{code}/changes` — a company's change requests.
//! - `GET /v1/changes` — staff: the change requests waiting on their authority.
//! - `POST /v1/changes/{id}/decision` — staff approve or refuse a change.
//! - `PUT /v1/experts/{subject}` — the association's staff record an expert (name, unit).
//! - `POST|GET /v1/awards/panels/{panel}` — staff form a category's panel (`2024-c3`);
//!   staff and the panel's experts read it.
//! - `PUT /v1/awards/panels/{panel}/scores/{application}` — an expert scores, once.
//! - `POST /v1/awards/panels/{panel}/ranking` — staff rank by the data's rule.
//! - `POST /v1/awards/panels/{panel}/notice` — staff put the proposed winners on notice.
//! - `POST /v1/awards/panels/{panel}/objections` — public: object to a proposed winner.
//! - `POST|GET /v1/awards/panels/{panel}/results` — staff publish after the notice and
//!   issue award certificates; public: the list (name, unit, award).
//! - `POST /v1/applications` — create a draft application.
//! - `GET /v1/applications?status=staff_check` — staff: their authority's work queue.
//! - `GET /v1/organizations/{code}/applications` — a company's applications.
//! - `GET /v1/applications/{id}` — the application with its status history and reports.
//! - `PUT /v1/applications/{id}/declaration` — save the declared facts and point items.
//! - `POST /v1/applications/{id}/materials` — announce a material, get a presigned PUT.
//! - `DELETE /v1/applications/{id}/materials/{material}` — remove a material from a draft.
//! - `GET /v1/applications/{id}/materials/{material}` — staff of the authority open a
//!   material in the browser (presigned GET).
//! - `POST /v1/applications/{id}/submit` — submit (`Idempotency-Key` honoured).
//! - `POST /v1/applications/{id}/copy` — a rejected application into a new draft.
//! - `POST /v1/applications/{id}/checks` — staff record human checks.
//! - `POST|GET /v1/applications/{id}/evaluations` — ask a declared client unit for its
//!   evaluation form (a one-time link), or list the forms asked.
//! - `GET|POST /v1/evaluation-forms/{token}` — public, through the link: the form, and
//!   its submission by the client unit (once; the stamped scan by presigned PUT).
//! - `POST /v1/applications/{id}/evaluations/{form}/withdraw` — staff withdraw a
//!   received form with the reason.
//! - `POST /v1/organizations/{code}/suspensions` — an alarm operator files its suspension
//!   (歇业) or closure (停业), seed 004 二（三）3.
//! - `GET /v1/suspensions` — staff: the suspensions waiting on their authority.
//! - `GET /v1/suspensions/{id}` — the operator, or staff of the city or the region.
//! - `POST /v1/suspensions/{id}/decision` — the city reviews, then the region approves.
//! - `GET /v1/health/intake`
//!
//! Each handler reads as: authorize, load, decide (pure, in `standing-domain`), save
//! atomically, respond.

mod applications;
mod awards;
mod changes;
mod evaluations;
mod memberships;
mod schemes;
mod search;
mod suspensions;

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_aws::dispatch::AwsDispatch;
use standing_aws::health::check_storage;
use standing_aws::objects::Objects;
use standing_aws::store::Transaction;
use standing_aws::{Clients, DynamoStore, FromClients, StartError, start};
use standing_domain::auth::Principal;
use standing_domain::clock::Clock;
use standing_domain::clock::clock_from_env;
use standing_domain::dispatch::Dispatch;
use standing_domain::ids::CreditCode;
use standing_domain::organization;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::{OrganizationStore, StoreError};
use standing_http::respond::{health_check, no_route, wrong_method};
use standing_http::serve_app;
use standing_http::{Authenticator, json, json_body, problem};
use std::sync::Arc;

/// Largest request body accepted, in bytes. A declaration (facts, up to 200 point items
/// with their evidence) is well under 64 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest registration body: a registration is well under 4 KiB.
pub const MAX_REGISTRATION_BYTES: usize = 16 * 1024;

/// What the handlers need, built once per container.
pub struct App<D> {
    pub store: DynamoStore,
    pub objects: Objects,
    pub materials_bucket: String,
    pub auth: Authenticator,
    pub dispatch: D,
    pub clock: Arc<dyn Clock>,
}

pub(crate) use standing_http::scheme_registry as registry;
pub use standing_http::store_problem;

/// The Lambda entry point (`main.rs`): the application over the AWS clients, then requests.
pub async fn lambda_main() -> Result<(), lambda_http::Error> {
    serve_app("intake", start::<App<AwsDispatch>>(), handle).await
}

pub async fn handle<D: Dispatch>(app: &App<D>, req: Request) -> Response<Body> {
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let result = match (segments.as_slice(), req.method()) {
        (["v1", "health", "intake"], &Method::GET) => {
            let bucket = app.materials_bucket.as_str();
            return Box::pin(health_check(
                "intake",
                &req,
                check_storage(&app.store, Some(&app.objects), &[bucket]),
            ))
            .await;
        }
        (["v1", "schemes"], &Method::GET) => Box::pin(schemes::list(app, &req)).await,
        (["v1", "schemes"], _) => return wrong_method("GET"),
        (["v1", "schemes", id], &Method::GET) => Box::pin(schemes::one(app, &req, id)).await,
        (["v1", "schemes", _], _) => return wrong_method("GET"),
        (["v1", "schemes", id, "evaluate"], &Method::POST) => {
            Box::pin(schemes::evaluate(app, &req, id)).await
        }
        (["v1", "schemes", _, "evaluate"], _) => return wrong_method("POST"),
        (["v1", "companies"], &Method::GET) => Box::pin(search::companies(app, &req)).await,
        (["v1", "companies"], _) => return wrong_method("GET"),
        (["v1", "organizations"], &Method::POST) => Box::pin(register(app, &req)).await,
        (["v1", "organizations"], _) => return wrong_method("POST"),
        (["v1", "organizations", code], &Method::GET) => Box::pin(read(app, &req, code)).await,
        (["v1", "organizations", _], _) => return wrong_method("GET"),
        (["v1", "organizations", code, "memberships"], &Method::GET) => {
            Box::pin(memberships::list(app, &req, code)).await
        }
        (["v1", "organizations", code, "memberships"], &Method::POST) => {
            Box::pin(memberships::add(app, &req, code)).await
        }
        (["v1", "organizations", _, "memberships"], _) => return wrong_method("GET, POST"),
        (["v1", "organizations", code, "memberships", "end"], &Method::POST) => {
            Box::pin(memberships::end(app, &req, code)).await
        }
        (["v1", "organizations", _, "memberships", "end"], _) => return wrong_method("POST"),
        (["v1", "memberships", "import"], &Method::POST) => {
            Box::pin(memberships::import(app, &req)).await
        }
        (["v1", "memberships", "import"], _) => return wrong_method("POST"),
        (["v1", "organizations", code, "reminders"], &Method::GET) => {
            Box::pin(changes::reminders(app, &req, code)).await
        }
        (["v1", "organizations", _, "reminders"], _) => return wrong_method("GET"),
        (["v1", "organizations", code, "changes"], &Method::POST) => {
            Box::pin(changes::request(app, &req, code)).await
        }
        (["v1", "organizations", code, "changes"], &Method::GET) => {
            Box::pin(changes::list(app, &req, code)).await
        }
        (["v1", "organizations", _, "changes"], _) => return wrong_method("GET, POST"),
        (["v1", "organizations", code, "suspensions"], &Method::POST) => {
            Box::pin(suspensions::file(app, &req, code)).await
        }
        (["v1", "organizations", _, "suspensions"], _) => return wrong_method("POST"),
        (["v1", "suspensions"], &Method::GET) => Box::pin(suspensions::queue(app, &req)).await,
        (["v1", "suspensions"], _) => return wrong_method("GET"),
        (["v1", "suspensions", id], &Method::GET) => {
            Box::pin(suspensions::read(app, &req, id)).await
        }
        (["v1", "suspensions", _], _) => return wrong_method("GET"),
        (["v1", "suspensions", id, "decision"], &Method::POST) => {
            Box::pin(suspensions::decide(app, &req, id)).await
        }
        (["v1", "suspensions", _, "decision"], _) => return wrong_method("POST"),
        (["v1", "changes"], &Method::GET) => Box::pin(changes::queue(app, &req)).await,
        (["v1", "changes"], _) => return wrong_method("GET"),
        (["v1", "changes", id, "decision"], &Method::POST) => {
            Box::pin(changes::decide(app, &req, id)).await
        }
        (["v1", "changes", _, "decision"], _) => return wrong_method("POST"),
        (["v1", "experts", subject], &Method::PUT) => {
            Box::pin(awards::record_expert(app, &req, subject)).await
        }
        (["v1", "experts", _], _) => return wrong_method("PUT"),
        (["v1", "awards", "panels", id], &Method::POST) => {
            Box::pin(awards::form_panel(app, &req, id)).await
        }
        (["v1", "awards", "panels", id], &Method::GET) => {
            Box::pin(awards::read_panel(app, &req, id)).await
        }
        (["v1", "awards", "panels", _], _) => return wrong_method("GET, POST"),
        (["v1", "awards", "panels", id, "scores", application], &Method::PUT) => {
            Box::pin(awards::score(app, &req, id, application)).await
        }
        (["v1", "awards", "panels", _, "scores", _], _) => return wrong_method("PUT"),
        (["v1", "awards", "panels", id, "ranking"], &Method::POST) => {
            Box::pin(awards::rank(app, &req, id)).await
        }
        (["v1", "awards", "panels", _, "ranking"], _) => return wrong_method("POST"),
        (["v1", "awards", "panels", id, "notice"], &Method::POST) => {
            Box::pin(awards::open_notice(app, &req, id)).await
        }
        (["v1", "awards", "panels", _, "notice"], _) => return wrong_method("POST"),
        (["v1", "awards", "panels", id, "objections"], &Method::POST) => {
            Box::pin(awards::object(app, &req, id)).await
        }
        (["v1", "awards", "panels", _, "objections"], _) => return wrong_method("POST"),
        (["v1", "awards", "panels", id, "results"], &Method::POST) => {
            Box::pin(awards::publish(app, &req, id)).await
        }
        (["v1", "awards", "panels", id, "results"], &Method::GET) => {
            Box::pin(awards::results(app, id)).await
        }
        (["v1", "awards", "panels", _, "results"], _) => return wrong_method("GET, POST"),
        (["v1", "applications"], &Method::POST) => Box::pin(applications::create(app, &req)).await,
        (["v1", "applications"], &Method::GET) => Box::pin(applications::queue(app, &req)).await,
        (["v1", "applications"], _) => return wrong_method("GET, POST"),
        (["v1", "organizations", code, "applications"], &Method::GET) => {
            Box::pin(applications::of_company(app, &req, code)).await
        }
        (["v1", "organizations", _, "applications"], _) => return wrong_method("GET"),
        (["v1", "applications", id], &Method::GET) => {
            Box::pin(applications::read(app, &req, id)).await
        }
        (["v1", "applications", _], _) => return wrong_method("GET"),
        (["v1", "applications", id, "declaration"], &Method::PUT) => {
            Box::pin(applications::declare(app, &req, id)).await
        }
        (["v1", "applications", _, "declaration"], _) => return wrong_method("PUT"),
        (["v1", "applications", id, "materials"], &Method::POST) => {
            Box::pin(applications::material(app, &req, id)).await
        }
        (["v1", "applications", _, "materials"], _) => return wrong_method("POST"),
        (["v1", "applications", id, "materials", material], &Method::GET) => {
            Box::pin(applications::open_material(app, &req, id, material)).await
        }
        (["v1", "applications", id, "materials", material], &Method::DELETE) => {
            Box::pin(applications::remove_material(app, &req, id, material)).await
        }
        (["v1", "applications", _, "materials", _], _) => return wrong_method("GET, DELETE"),
        (["v1", "applications", id, "submit"], &Method::POST) => {
            Box::pin(applications::submit(app, &req, id)).await
        }
        (["v1", "applications", _, "submit"], _) => return wrong_method("POST"),
        (["v1", "applications", id, "copy"], &Method::POST) => {
            Box::pin(applications::copy(app, &req, id)).await
        }
        (["v1", "applications", _, "copy"], _) => return wrong_method("POST"),
        (["v1", "applications", id, "checks"], &Method::POST) => {
            Box::pin(applications::checks(app, &req, id)).await
        }
        (["v1", "applications", _, "checks"], _) => return wrong_method("POST"),
        (["v1", "applications", id, "evaluations"], &Method::POST) => {
            Box::pin(evaluations::request(app, &req, id)).await
        }
        (["v1", "applications", id, "evaluations"], &Method::GET) => {
            Box::pin(evaluations::list(app, &req, id)).await
        }
        (["v1", "applications", _, "evaluations"], _) => return wrong_method("GET, POST"),
        (["v1", "applications", id, "evaluations", form, "withdraw"], &Method::POST) => {
            Box::pin(evaluations::withdraw(app, &req, id, form)).await
        }
        (["v1", "applications", _, "evaluations", _, "withdraw"], _) => {
            return wrong_method("POST");
        }
        (["v1", "evaluation-forms", token], &Method::GET) => {
            Box::pin(evaluations::open(app, token)).await
        }
        (["v1", "evaluation-forms", token], &Method::POST) => {
            Box::pin(evaluations::submit(app, &req, token)).await
        }
        (["v1", "evaluation-forms", _], _) => return wrong_method("GET, POST"),
        _ => return no_route(),
    };
    result.unwrap_or_else(|p| problem(&p))
}

pub(crate) fn parse_code(code: &str) -> Result<CreditCode, Problem> {
    CreditCode::parse_legacy(code)
        .map_err(|e| Problem::field(ProblemKind::Validation, "code", e.to_string()))
}

pub(crate) async fn load_org<D>(
    app: &App<D>,
    code: &CreditCode,
) -> Result<organization::Organization, Problem> {
    app.store
        .get_organization(code)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| Problem::not_found(format!("未登记统一社会信用代码为 {code} 的单位")))
}

async fn register<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    if caller == Principal::Public {
        return Err(Problem::unauthenticated());
    }
    let body = json_body(req, MAX_REGISTRATION_BYTES)?;
    let now = app.clock.now();
    let (org, audit) = organization::register(&body, &caller, now)?;
    let (org, status) = match app.store.create_organization(&org, &audit).await {
        Ok(()) => (org, 201),
        // Taken: the company's own account may claim a record staff registered for it.
        Err(StoreError::Conflict(_)) => {
            let existing = load_org(app, &org.code).await?;
            let (claimed, audit) = organization::claim(&existing, org, &caller, now)?;
            let mut tx = Transaction::default();
            tx.organization(app.store.table(), &existing, &claimed, &audit)
                .map_err(store_problem)?;
            app.store.commit(tx).await.map_err(store_problem)?;
            (claimed, 200)
        }
        Err(other) => return Err(store_problem(other)),
    };
    let mut response = json(status, &org);
    if let Ok(location) = format!("/v1/organizations/{}", org.code).parse() {
        response
            .headers_mut()
            .insert(lambda_http::http::header::LOCATION, location);
    }
    Ok(response)
}

async fn read<D>(app: &App<D>, req: &Request, code: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let code = parse_code(code)?;
    Ok(json(200, &load_known_org(app, &caller, &code).await?))
}

/// Load a company for a caller who may read its non-public records: its own account,
/// or staff of an authority that deals with it (`Organization::known_to`). One
/// GetItem for the company's account; for staff two reads at once, and two queries
/// more only when neither the registration nor a membership shows the link.
pub(crate) async fn load_known_org<D>(
    app: &App<D>,
    caller: &Principal,
    code: &CreditCode,
) -> Result<organization::Organization, Problem> {
    let Principal::Staff { authority, .. } = caller else {
        caller.may_read_registry(code)?;
        return load_org(app, code).await;
    };
    let (org, membership) = tokio::join!(
        Box::pin(load_org(app, code)),
        Box::pin(app.store.get_membership(code, authority))
    );
    let (org, membership) = (org?, membership.map_err(store_problem)?);
    if membership.is_some() || org.known_to(authority, &[]) {
        return Ok(org);
    }
    let (applications, certificates) = tokio::join!(
        Box::pin(app.store.applications_of(code)),
        Box::pin(app.store.certificates_of(code, None))
    );
    let (applications, certificates) = (
        applications.map_err(store_problem)?,
        certificates.map_err(store_problem)?,
    );
    let kept_by: Vec<&str> = applications
        .iter()
        .map(|a| a.authority.as_str())
        .chain(certificates.iter().map(|c| c.authority.as_str()))
        .collect();
    if org.known_to(authority, &kept_by) {
        Ok(org)
    } else {
        Err(Problem::forbidden(
            "本机构与该单位没有业务往来，无权查看其非公开信息",
        ))
    }
}

impl FromClients for App<AwsDispatch> {
    fn from_clients(clients: &Clients, store: DynamoStore) -> Result<Self, StartError> {
        Ok(App {
            store,
            objects: clients.objects(),
            materials_bucket: clients.config.materials_bucket.clone(),
            auth: Authenticator::from_env()?,
            dispatch: clients.dispatch(),
            clock: clock_from_env(),
        })
    }
}
