//! Running an HTTP handler on Lambda with one structured log line per request.

use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use standing_domain::job::JobError;
use std::future::Future;
use std::time::Instant;

/// JSON logs to stdout (CloudWatch), level from `RUST_LOG` (default `info`). No ANSI
/// colours, no timestamps of our own (Lambda adds them), no span noise.
///
/// `RUST_LOG` is read as `tracing_subscriber::filter::Targets`: a default level and
/// per-target levels (`warn`, `info,aws_smithy_runtime=debug`), without the span and
/// field filters of `EnvFilter`, whose regular expressions would add a regex engine to
/// every binary. A value it cannot read falls back to `info`.
pub fn init_tracing() {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse::<tracing_subscriber::filter::Targets>().ok())
        .unwrap_or_else(|| {
            tracing_subscriber::filter::Targets::new().with_default(tracing::Level::INFO)
        });
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_current_span(false)
                .with_span_list(false)
                .with_target(false)
                .without_time(),
        )
        .try_init();
}

/// The route a request matched, as API Gateway names it (`POST /v1/organizations`), or
/// the method and path when there is no route key (locally).
pub fn route_of(req: &Request) -> String {
    if let Some(RequestContext::ApiGatewayV2(ctx)) = req.request_context_ref()
        && let Some(key) = ctx
            .route_key
            .as_deref()
            .filter(|k| !k.is_empty() && *k != "$default")
    {
        return key.to_owned();
    }
    format!("{} {}", req.method(), req.uri().path())
}

/// Log one line for a handled request. Never logs bodies, headers or query strings, so
/// tokens and personal data cannot reach the logs from here.
pub async fn logged<F, Fut>(function: &'static str, req: Request, handler: F) -> Response<Body>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response<Body>>,
{
    let start = Instant::now();
    let request_id = req
        .lambda_context_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default();
    let route = route_of(&req);
    let response = handler(req).await;
    tracing::info!(
        request_id = %request_id,
        function,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = start.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Run `handler` as this Lambda's HTTP handler.
pub async fn serve<F, Fut>(function: &'static str, handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(Request) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Response<Body>> + Send,
{
    lambda_http::run(lambda_http::service_fn(move |req: Request| {
        let handler = handler.clone();
        async move { Ok::<_, std::convert::Infallible>(logged(function, req, handler).await) }
    }))
    .await
}

/// Logs first, then the application, kept for the container's life.
async fn started<A: 'static, E: Into<lambda_http::Error>>(
    start: impl Future<Output = Result<A, E>>,
) -> Result<&'static A, lambda_http::Error> {
    init_tracing();
    Ok(Box::leak(Box::new(start.await.map_err(Into::into)?)))
}

/// A function's `main`: logs first, then its application, built once (`start`) and kept
/// for the container's life, then HTTP requests answered by `handler`.
pub async fn serve_app<A, E, H, HF>(
    function: &'static str,
    start: impl Future<Output = Result<A, E>>,
    handler: H,
) -> Result<(), lambda_http::Error>
where
    A: Sync + 'static,
    E: Into<lambda_http::Error>,
    H: Fn(&'static A, Request) -> HF + Copy + Send + 'static,
    HF: Future<Output = Response<Body>> + Send,
{
    let app = started(start).await?;
    serve(function, move |req| handler(app, req)).await
}

/// [`serve_app`] for a function that also runs jobs (see [`serve_with_jobs`]).
pub async fn serve_app_with_jobs<A, E, H, HF, J, JF>(
    function: &'static str,
    start: impl Future<Output = Result<A, E>>,
    http: H,
    jobs: J,
) -> Result<(), lambda_http::Error>
where
    A: Sync + 'static,
    E: Into<lambda_http::Error>,
    H: Fn(&'static A, Request) -> HF + Copy + Send + 'static,
    HF: Future<Output = Response<Body>> + Send,
    J: Fn(&'static A, standing_domain::dispatch::Job) -> JF + Copy + Send + 'static,
    JF: Future<Output = Result<serde_json::Value, JobError>> + Send,
{
    let app = started(start).await?;
    serve_with_jobs(
        function,
        move |req| http(app, req),
        move |job| jobs(app, job),
    )
    .await
}

/// An HTTP response as API Gateway (HTTP API, payload 2.0) expects it, the way
/// lambda_http builds it: binary bodies base64-encoded, cookies apart.
pub fn api_gateway_v2(
    response: Response<Body>,
) -> lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpResponse {
    use lambda_http::http::header::SET_COOKIE;
    let (parts, body) = response.into_parts();
    let mut headers = parts.headers;
    let cookies = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    headers.remove(SET_COOKIE);
    let mut out = lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpResponse::default();
    out.status_code = i64::from(parts.status.as_u16());
    out.headers = headers;
    out.cookies = cookies;
    out.is_base64_encoded = matches!(body, Body::Binary(_));
    out.body = match body {
        Body::Empty => None,
        b => Some(b),
    };
    out
}

/// Run a function that answers both HTTP requests (through API Gateway) and
/// asynchronous jobs (Lambda `Event` invocations and EventBridge Scheduler targets,
/// whose payload is a [`standing_domain::dispatch::Job`]). A job that fails returns an
/// error, so Lambda retries it and then sends it to the dead-letter queue; the log line
/// and the error say whether a retry may help ([`JobError::retryable`]).
pub async fn serve_with_jobs<H, HF, J, JF>(
    function: &'static str,
    http: H,
    jobs: J,
) -> Result<(), lambda_http::Error>
where
    H: Fn(Request) -> HF + Clone + Send + 'static,
    HF: Future<Output = Response<Body>> + Send,
    J: Fn(standing_domain::dispatch::Job) -> JF + Clone + Send + 'static,
    JF: Future<Output = Result<serde_json::Value, JobError>> + Send,
{
    lambda_http::lambda_runtime::run(lambda_http::service_fn(
        move |event: lambda_http::LambdaEvent<serde_json::Value>| {
            let http = http.clone();
            let jobs = jobs.clone();
            async move {
                let (payload, context) = event.into_parts();
                if payload.get("requestContext").is_some() {
                    let req = lambda_http::request::from_str(&payload.to_string())?
                        .with_lambda_context(context);
                    let response = logged(function, req, http).await;
                    return Ok(serde_json::to_value(api_gateway_v2(response))?);
                }
                let start = Instant::now();
                let job: standing_domain::dispatch::Job = serde_json::from_value(payload)
                    .map_err(|e| format!("not a job this function knows: {e}"))?;
                let name = format!("{job:?}");
                let result = jobs(job).await;
                let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
                match result {
                    Ok(v) => {
                        tracing::info!(
                            request_id = %context.request_id,
                            function,
                            job = %name,
                            ok = true,
                            latency_ms,
                            "job"
                        );
                        Ok(v)
                    }
                    Err(e) => {
                        tracing::error!(
                            request_id = %context.request_id,
                            function,
                            job = %name,
                            ok = false,
                            retryable = e.retryable(),
                            error = %e,
                            latency_ms,
                            "job"
                        );
                        Err(job_failure(&e))
                    }
                }
            }
        },
    ))
    .await
}

/// The error a failed job returns to Lambda: its text says whether a retry may help
/// (Lambda retries either way; an operator reading the dead-letter queue sees which).
pub fn job_failure(e: &JobError) -> lambda_http::Error {
    let kind = if e.retryable() {
        "retryable"
    } else {
        "not retryable"
    };
    format!("job failed ({kind}): {e}").into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn one_json_line_per_request_without_secrets_or_personal_data() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_current_span(false)
            .with_span_list(false)
            .without_time()
            .with_writer(move || writer.clone())
            .finish();
        let event = serde_json::json!({
            "version": "2.0", "routeKey": "POST /v1/organizations", "rawPath": "/v1/organizations", "rawQueryString": "secret=1",
            "headers": {"authorization": "Bearer eyJ.secret-token.sig", "content-type": "application/json"},
            "requestContext": {"http": {"method": "POST", "path": "/v1/organizations", "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "t"},
                "requestId": "r-1", "routeKey": "POST /v1/organizations", "stage": "$default", "timeEpoch": 0,
                "accountId": "1", "apiId": "a", "domainName": "d", "domainPrefix": "d", "time": "t"},
            "body": "{\"legal_representative\":{\"id_number\":\"11010519491231002X\"}}",
            "isBase64Encoded": false
        });
        let req = lambda_http::request::from_str(&event.to_string()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        tracing::subscriber::with_default(subscriber, || {
            rt.block_on(logged("intake", req, |_req| async {
                crate::respond::json(201, &serde_json::json!({}))
            }));
        });
        let out = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        let fields = &line["fields"];
        assert_eq!(fields["function"], "intake");
        assert_eq!(fields["route"], "POST /v1/organizations");
        assert_eq!(fields["status"], 201);
        assert!(fields["latency_ms"].is_number());
        assert!(fields.get("request_id").is_some());
        for secret in ["secret-token", "11010519491231002X", "secret=1", "1.2.3.4"] {
            assert!(!out.contains(secret), "{secret} leaked into the log: {out}");
        }
    }
}
