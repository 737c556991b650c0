//! The publication function: public notices, objections and the notice-closing timer.
//!
//! It answers its health check (`GET /v1/health/publication`) now; its workflow lands with the
//! issue that builds it.

use lambda_http::http::Method;
use lambda_http::{Body, Request, Response};
use standing_http::respond::{health, no_route};

pub async fn handle(req: Request) -> Response<Body> {
    match (req.method(), req.uri().path().trim_end_matches('/')) {
        (&Method::GET, "/v1/health/publication") => health("publication"),
        _ => no_route(),
    }
}
