//! The credit function: credit events, repair applications and cycle rollover.
//!
//! It answers its health check (`GET /v1/health/credit`) now; its workflow lands with the
//! issue that builds it.

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_http::respond::{health_check, no_route};

pub async fn handle(req: Request) -> Response<Body> {
    match (req.method(), req.uri().path().trim_end_matches('/')) {
        // No storage yet: the deep check has nothing to check.
        (&Method::GET, "/v1/health/credit") => {
            health_check("credit", &req, async { Vec::new() }).await
        }
        _ => no_route(),
    }
}
