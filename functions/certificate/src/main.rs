use standing_http::{init_tracing, serve};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    init_tracing();
    serve("certificate", standing_certificate::handle).await
}
