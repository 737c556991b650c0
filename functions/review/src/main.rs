use standing_aws::Clients;
use standing_domain::clock::clock_from_env;
use standing_http::{init_tracing, serve_with_jobs};
use standing_review::{App, handle, run};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    init_tracing();
    let (clients, store) = Clients::start().await?;
    let app: &'static App<_> = Box::leak(Box::new(App {
        store,
        objects: clients.objects(),
        materials_bucket: clients.config.materials_bucket.clone(),
        dispatch: clients.dispatch(),
        clock: clock_from_env(),
    }));
    serve_with_jobs(
        "review",
        move |req| handle(app, req),
        move |job| async move {
            let ran = run(app, job).await?;
            Ok(serde_json::json!({ "ran": format!("{ran:?}") }))
        },
    )
    .await
}
