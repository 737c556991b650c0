//! Building responses.

use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Response};
use standing_domain::problem::Problem;

fn build(status: u16, content_type: &str, body: Body) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .body(body)
        .unwrap_or_default()
}

pub fn json(status: u16, value: &impl serde::Serialize) -> Response<Body> {
    match serde_json::to_string(value) {
        Ok(s) => build(status, "application/json; charset=utf-8", Body::Text(s)),
        Err(_) => problem(&Problem::internal()),
    }
}

pub fn problem(p: &Problem) -> Response<Body> {
    let mut r = build(
        p.status(),
        "application/problem+json; charset=utf-8",
        Body::Text(p.to_json().to_string()),
    );
    if p.status() == 401 {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    r
}

pub fn html(status: u16, page: String) -> Response<Body> {
    build(status, "text/html; charset=utf-8", Body::Text(page))
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The health answer every function gives on `GET /v1/health/{function}`.
pub fn health(function: &str) -> Response<Body> {
    json(
        200,
        &serde_json::json!({"status": "ok", "function": function, "version": env!("CARGO_PKG_VERSION")}),
    )
}

/// 404 for a path no route serves.
pub fn no_route() -> Response<Body> {
    problem(&Problem::not_found("没有这个接口"))
}

/// 405 for a known path with another method.
pub fn wrong_method(allowed: &str) -> Response<Body> {
    let mut r = problem(&Problem::new(
        standing_domain::problem::ProblemKind::MethodNotAllowed,
        format!("该接口仅支持 {allowed}"),
    ));
    if let Ok(v) = header::HeaderValue::from_str(allowed) {
        r.headers_mut().insert(header::ALLOW, v);
    }
    r
}
