//! The credit function: credit events, repair applications and cycle rollover.
//!
//! It answers its health check (`GET /v1/health/credit`) now; its workflow lands with the
//! issue that builds it.

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_http::respond::{deep_health, deep_requested, health, no_route};

pub async fn handle(req: Request) -> Response<Body> {
    match (req.method(), req.uri().path().trim_end_matches('/')) {
        // No storage yet: the deep check has nothing to check.
        (&Method::GET, "/v1/health/credit") => match deep_requested(&req) {
            Ok(false) => health("credit"),
            Ok(true) => deep_health("credit", &[]),
            Err(p) => standing_http::problem(&p),
        },
        _ => no_route(),
    }
}
