//! Reading a JSON request body: media type, size and syntax, each with its own 4xx.

use lambda_http::Request;
use lambda_http::http::header::CONTENT_TYPE;
use standing_domain::problem::{Problem, ProblemKind};

/// Read `req`'s body as JSON, at most `max_bytes` long.
pub fn json_body(req: &Request, max_bytes: usize) -> Result<serde_json::Value, Problem> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" && !media.ends_with("+json") {
        return Err(Problem::new(
            ProblemKind::UnsupportedMediaType,
            "请求体应为 JSON（Content-Type: application/json）",
        ));
    }
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > max_bytes {
        return Err(Problem::new(
            ProblemKind::PayloadTooLarge,
            format!("请求体不得超过{max_bytes}字节"),
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::new(ProblemKind::MalformedBody, "请求体为空"));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Problem::new(
            ProblemKind::MalformedBody,
            format!("请求体不是有效的 JSON：第{}行第{}列", e.line(), e.column()),
        )
    })
}
