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
