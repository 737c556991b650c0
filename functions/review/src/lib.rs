//! The review function: automated review of submitted applications (asynchronous).
//!
//! It answers its health check (`GET /v1/health/review`) now; its workflow lands with the
//! issue that builds it.

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_http::respond::{health, no_route};

pub async fn handle(req: Request) -> Response<Body> {
    match (req.method(), req.uri().path().trim_end_matches('/')) {
        (&Method::GET, "/v1/health/review") => health("review"),
        _ => no_route(),
    }
}
