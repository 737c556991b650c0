//! The review function: the automated review of submitted applications (seed 000
//! 第八条、第十五条), invoked asynchronously on submit (`{"job":"review",
//! "application_id":..}`) with retries and a dead-letter queue. Safe to run twice: a
//! repeated or concurrent run finds the application already decided and does nothing.
//!
//! HTTP: `GET /v1/health/review` (`?deep=1`: the table and the materials bucket).

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_aws::DynamoStore;
use standing_aws::health::check_storage;
use standing_aws::objects::Objects;
use standing_aws::workflow::{self, Ran};
use standing_domain::clock::Clock;
use standing_domain::dispatch::{Dispatch, Job};
use standing_domain::job::JobError;
use standing_http::problem;
use standing_http::respond::{deep_health, deep_requested, health, no_route};
use std::sync::Arc;

/// What the review needs, built once per container.
pub struct App<D> {
    pub store: DynamoStore,
    pub objects: Objects,
    pub materials_bucket: String,
    pub dispatch: D,
    pub clock: Arc<dyn Clock>,
}

pub async fn handle<D>(app: &App<D>, req: Request) -> Response<Body> {
    match (req.method(), req.uri().path().trim_end_matches('/')) {
        (&Method::GET, "/v1/health/review") => match deep_requested(&req) {
            Ok(false) => health("review"),
            Ok(true) => deep_health(
                "review",
                &check_storage(&app.store, Some(&app.objects), &[&app.materials_bucket]).await,
            ),
            Err(p) => problem(&p),
        },
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
                &app.objects,
                &app.materials_bucket,
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
