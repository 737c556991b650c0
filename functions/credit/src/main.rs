use standing_http::{init_tracing, serve};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    init_tracing();
    serve("credit", standing_credit::handle).await
}
