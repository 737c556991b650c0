//! The review function: the automated review of submitted applications (seed 000
//! 第八条、第十五条), invoked asynchronously on submit (`{"job":"review",
//! "application_id":..}`) with retries and a dead-letter queue. Safe to run twice: a
//! repeated or concurrent run finds the application already decided and does nothing.
//!
//! HTTP: `GET /v1/health/review` (`?deep=1`: the table and the materials bucket).

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_aws::dispatch::AwsDispatch;
use standing_aws::health::check_storage;
use standing_aws::objects::Materials;
use standing_aws::workflow::{self, Ran};
use standing_aws::{Clients, DynamoStore, FromClients, StartError, start};
use standing_domain::clock::Clock;
use standing_domain::clock::clock_from_env;
use standing_domain::dispatch::{Dispatch, Job};
use standing_domain::job::JobError;
use standing_http::respond::{health_check, no_route};
use standing_http::serve_app_with_jobs;
use std::sync::Arc;

/// What the review needs, built once per container.
pub struct App<D> {
    pub store: DynamoStore,
    /// Where the materials it checks are uploaded.
    pub materials: Materials,
    pub dispatch: D,
    pub clock: Arc<dyn Clock>,
}

pub async fn handle<D>(app: &App<D>, req: Request) -> Response<Body> {
    match (req.method(), req.uri().path().trim_end_matches('/')) {
        (&Method::GET, "/v1/health/review") => {
            let m = &app.materials;
            Box::pin(health_check(
                "review",
                &req,
                check_storage(&app.store, Some(&m.objects), &[&m.bucket]),
            ))
            .await
        }
        _ => no_route(),
    }
}

/// Run one job. Unavailable storage is a retryable error (Lambda retries, then the
/// dead-letter queue keeps the event); a job for another function is refused.
pub async fn run<D: Dispatch>(app: &App<D>, job: Job) -> Result<Ran, JobError> {
    let registry =
        standing_schemes::Registry::builtin().map_err(|e| JobError::Scheme(e.to_string()))?;
    match job {
        Job::Review { application_id } => {
            Box::pin(workflow::review(
                &app.store,
                &app.materials.objects,
                &app.materials.bucket,
                &app.dispatch,
                registry,
                &application_id,
                app.clock.now(),
            ))
            .await
        }
        other => Err(JobError::Misrouted(format!(
            "the review function does not run {other:?}"
        ))),
    }
}

/// The Lambda entry point (`main.rs`): the application over the AWS clients, then jobs
/// (and its health check).
pub async fn lambda_main() -> Result<(), lambda_http::Error> {
    serve_app_with_jobs("review", start::<App<AwsDispatch>>(), handle, run_job).await
}

/// [`run`] as a job answer: what ran, for the log and the caller.
pub async fn run_job<D: Dispatch>(app: &App<D>, job: Job) -> Result<serde_json::Value, JobError> {
    let ran = run(app, job).await?;
    Ok(serde_json::json!({ "ran": format!("{ran:?}") }))
}

impl FromClients for App<AwsDispatch> {
    fn from_clients(clients: &Clients, store: DynamoStore) -> Result<Self, StartError> {
        Ok(App {
            store,
            materials: clients.materials(),
            dispatch: clients.dispatch(),
            clock: clock_from_env(),
        })
    }
}
