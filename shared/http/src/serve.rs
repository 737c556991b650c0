//! Running an HTTP handler on Lambda with one structured log line per request.

use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use std::future::Future;
use std::time::Instant;

/// JSON logs to stdout (CloudWatch), level from `RUST_LOG` (default `info`). No ANSI
/// colours, no timestamps of our own (Lambda adds them), no span noise.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .without_time()
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
