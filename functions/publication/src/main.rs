use standing_aws::Clients;
use standing_domain::clock::clock_from_env;
use standing_http::{Authenticator, init_tracing, serve_with_jobs};
use standing_publication::{App, handle, run};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    init_tracing();
    let (clients, store) = Clients::start().await?;
    let app: &'static App<_> = Box::leak(Box::new(App {
        store,
        auth: Authenticator::from_env()?,
        dispatch: clients.dispatch(),
        clock: clock_from_env(),
    }));
    serve_with_jobs(
        "publication",
        move |req| handle(app, req),
        move |job| run(app, job),
    )
    .await
}
