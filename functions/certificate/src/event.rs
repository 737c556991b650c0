//! One entry point for the two kinds of payload this function receives:
//!
//! - API Gateway HTTP API (payload 2.0) events: turned into a `lambda_http::Request` by
//!   lambda_http's own parser (`lambda_http::request::from_str`), handled by
//!   [`crate::handle`] inside `standing_http::serve::logged` (one log line), and answered
//!   as an API Gateway v2 response;
//! - asynchronous jobs from `Lambda Invoke` (`{"job":"render","serial":…,"version":…}`):
//!   rendered, or failed with an error so that Lambda retries and then sends the event
//!   to the dead-letter queue.
//!
//! A payload with a top-level `job` member is a job; anything else must be an HTTP event.

use crate::pdfs::PdfBucket;
use crate::render::{Outcome, render_job};
use crate::store::CertStore;
use crate::{App, handle};
use lambda_http::RequestExt;
use lambda_runtime::LambdaEvent;
use serde::Deserialize;
use serde_json::value::RawValue;
use standing_domain::dispatch::{Dispatch, Job};
use standing_http::serve::api_gateway_v2;
use std::time::Instant;

pub const FUNCTION: &str = "certificate";

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    job: Option<serde::de::IgnoredAny>,
}

/// Handle one invocation. HTTP answers are always `Ok` (errors are problem+json
/// responses); a failed job is an `Err`.
pub async fn handle_event<S, O, D>(
    app: &App<S, O, D>,
    event: LambdaEvent<Box<RawValue>>,
) -> Result<serde_json::Value, lambda_runtime::Error>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let LambdaEvent { payload, context } = event;
    let is_job = serde_json::from_str::<Probe>(payload.get())
        .map(|p| p.job.is_some())
        .unwrap_or(false);
    if is_job {
        let job: Job = serde_json::from_str(payload.get())?;
        return run_job(app, job, &context.request_id).await;
    }
    let req = lambda_http::request::from_str(payload.get())?.with_lambda_context(context);
    let response = standing_http::serve::logged(FUNCTION, req, |r| handle(app, r)).await;
    Ok(serde_json::to_value(api_gateway_v2(response))?)
}

/// Run one job, logging one line (request id, function, job, outcome, latency).
pub async fn run_job<S, O, D>(
    app: &App<S, O, D>,
    job: Job,
    request_id: &str,
) -> Result<serde_json::Value, lambda_runtime::Error>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let start = Instant::now();
    let Job::Render { serial, version } = job else {
        tracing::error!(request_id, function = FUNCTION, job = ?job, "not a certificate job");
        return Err(format!("the certificate function does not run {job:?}").into());
    };
    let result = render_job(app, &serial, version).await;
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(outcome) => {
            let (status, r, render_ms) = match &outcome {
                Outcome::Rendered {
                    rendering,
                    render_ms,
                } => ("rendered", rendering, Some(*render_ms)),
                Outcome::AlreadyRendered(r) => ("already-rendered", r, None),
            };
            tracing::info!(
                request_id,
                function = FUNCTION,
                route = "job render",
                status,
                serial = %serial,
                version = r.version,
                bytes = r.bytes,
                render_ms,
                latency_ms,
                "job"
            );
            Ok(serde_json::json!({
                "status": status, "serial": serial, "version": r.version,
                "key": r.key, "bytes": r.bytes, "render_ms": render_ms,
            }))
        }
        Err(e) => {
            tracing::error!(
                request_id,
                function = FUNCTION,
                route = "job render",
                status = "failed",
                serial = %serial,
                version,
                retryable = e.retryable(),
                error = %e,
                latency_ms,
                "job"
            );
            let kind = if e.retryable() {
                "retryable"
            } else {
                "not retryable"
            };
            Err(format!("job failed ({kind}): {e}").into())
        }
    }
}
