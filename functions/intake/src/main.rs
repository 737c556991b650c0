use standing_aws::Clients;
use standing_domain::clock::clock_from_env;
use standing_http::{Authenticator, init_tracing, serve};
use standing_intake::{App, handle};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    init_tracing();
    let (clients, store) = Clients::start().await?;
    let app: &'static App<_> = Box::leak(Box::new(App {
        store,
        objects: clients.objects(),
        materials_bucket: clients.config.materials_bucket.clone(),
        auth: Authenticator::from_env()?,
        dispatch: clients.dispatch(),
        clock: clock_from_env(),
    }));
    serve("intake", move |req| handle(app, req)).await
}
