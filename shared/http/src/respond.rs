//! Building responses.

use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Response};
use standing_domain::problem::Problem;

pub(crate) fn build(status: u16, content_type: &str, body: Body) -> Response<Body> {
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

/// Whether `GET /v1/health/{function}` asks for the deep check (`?deep=1` or
/// `?deep=true`); any other value of `deep` than those and `0`/`false` is a 422.
pub fn deep_requested(req: &lambda_http::Request) -> Result<bool, Problem> {
    use lambda_http::RequestExt;
    match req
        .query_string_parameters_ref()
        .and_then(|q| q.first("deep"))
    {
        None | Some("0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(_) => Err(Problem::field(
            standing_domain::problem::ProblemKind::Validation,
            "deep",
            "deep 应为 1（检查存储）或 0",
        )),
    }
}

/// `GET /v1/health/{function}`: [`health`], or with `?deep=1` [`deep_health`] over the
/// checks `deep` makes (a future, run only when asked for); a bad `deep` is a 422.
pub async fn health_check(
    function: &str,
    req: &lambda_http::Request,
    deep: impl std::future::Future<Output = Vec<(String, Result<(), String>)>>,
) -> Response<Body> {
    match deep_requested(req) {
        Ok(false) => health(function),
        Ok(true) => deep_health(function, &deep.await),
        Err(p) => crate::problem(&p),
    }
}

/// The deep health answer: 200 with every dependency checked when all answered, else
/// 503 problem+json naming each one that failed (`errors[].field`).
pub fn deep_health(function: &str, checks: &[(String, Result<(), String>)]) -> Response<Body> {
    let failed: Vec<standing_domain::problem::FieldError> = checks
        .iter()
        .filter_map(|(name, r)| {
            r.as_ref()
                .err()
                .map(|e| standing_domain::problem::FieldError {
                    field: name.clone(),
                    detail: format!("{name} 不可用：{e}"),
                })
        })
        .collect();
    if failed.is_empty() {
        let checked: Vec<&str> = checks.iter().map(|(n, _)| n.as_str()).collect();
        return json(
            200,
            &serde_json::json!({"status": "ok", "function": function,
                "version": env!("CARGO_PKG_VERSION"), "checked": checked}),
        );
    }
    let names: Vec<&str> = failed.iter().map(|f| f.field.as_str()).collect();
    let mut p = Problem::new(
        standing_domain::problem::ProblemKind::Unavailable,
        format!("{function} 依赖的存储不可用：{}", names.join("、")),
    );
    p.field = Some(failed[0].field.clone());
    p.errors = failed;
    let mut r = problem(&p);
    r.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
    r
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
