//! The baseline for functions that prime DynamoDB: the hello world of
//! `infra/bench/hello`, plus what `standing_aws::Clients::start` does before serving:
//! load the SDK configuration (`AWS_ENDPOINT_URL` on the loader), build a DynamoDB
//! client (`AWS_ENDPOINT_URL_DYNAMODB` on the client) and prime its connection with one
//! GetItem of a key that never exists in `TABLE_NAME`.

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let table = var("TABLE_NAME").ok_or("missing environment variable TABLE_NAME")?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(endpoint) = var("AWS_ENDPOINT_URL") {
        loader = loader.endpoint_url(endpoint);
    }
    let sdk = loader.load().await;
    let mut conf = aws_sdk_dynamodb::config::Builder::from(&sdk);
    if let Some(endpoint) = var("AWS_ENDPOINT_URL_DYNAMODB") {
        conf = conf.endpoint_url(endpoint);
    }
    let client = aws_sdk_dynamodb::Client::from_conf(conf.build());
    let primed = client
        .get_item()
        .table_name(&table)
        .key("PK", AttributeValue::S("#PRIME".into()))
        .key("SK", AttributeValue::S("#PRIME".into()))
        .send()
        .await;
    if let Err(e) = primed {
        eprintln!("priming the DynamoDB connection failed: {e:?}");
    }
    run(service_fn(|_req: Request| async {
        Ok::<_, Error>(
            Response::builder()
                .status(200)
                .body(Body::from("hello"))
                .expect("static response"),
        )
    }))
    .await
}
