use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::value::RawValue;
use standing_aws::dispatch::AwsDispatch;
use standing_aws::{Clients, Config, DynamoStore};
use standing_certificate::pdfs::S3Pdfs;
use standing_certificate::{App, Settings, Signing, event::handle_event};
use standing_certificate_pdf::{FontSource, Renderer};
use standing_domain::clock::clock_from_env;
use standing_http::{Authenticator, init_tracing};
use std::sync::Arc;

type CertApp = App<DynamoStore, S3Pdfs, AwsDispatch>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    init_tracing();
    let config = Config::from_env()?;
    let settings = Settings::from_env()?;
    let signing = Signing::from_env()?;
    // The font is not loaded here: most requests never render (the keys, verification,
    // lists, downloads of a rendered PDF, revocation), so the first render loads it,
    // once per process (`Renderer` keeps it); constructing the renderer reads nothing
    // but the templates directory's metadata.
    let renderer = Arc::new(Renderer::new(
        FontSource::from_env(),
        settings.templates_dir.clone(),
    )?);
    let clients = Clients::load(config).await;
    let store = DynamoStore::new(clients.dynamodb(), clients.config.table.clone());
    let pdfs = S3Pdfs {
        objects: clients.objects(),
        bucket: clients.config.certificates_bucket.clone(),
    };
    // Prime the DynamoDB connection (DNS, TCP, TLS): every request reads the table. The
    // S3 connection is not primed: only the render job writes to S3 (asynchronous,
    // nobody waits on it), downloads of a rendered PDF are presigned without a call, so
    // a HEAD at start would slow every cold start for the job's sake alone.
    store.prime().await;
    let app: &'static CertApp = Box::leak(Box::new(App {
        pdfs,
        dispatch: clients.dispatch(),
        store,
        auth: Authenticator::from_env()?,
        clock: clock_from_env(),
        renderer,
        signing,
        settings,
    }));
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Box<RawValue>>| {
        handle_event(app, event)
    }))
    .await
}
