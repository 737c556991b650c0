//! Configuration from the environment, and SDK clients built once per container.
//!
//! Locally `AWS_ENDPOINT_URL` points every client at moto's server on loopback (S3,
//! Scheduler; S3 then needs path-style addressing), and `AWS_ENDPOINT_URL_DYNAMODB`
//! points DynamoDB at DynamoDB Local.

use aws_config::BehaviorVersion;

/// What every function reads from its environment at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The single DynamoDB table (`TABLE_NAME`).
    pub table: String,
    /// Uploaded application materials (`MATERIALS_BUCKET`).
    pub materials_bucket: String,
    /// Rendered certificate PDFs (`CERTIFICATES_BUCKET`).
    pub certificates_bucket: String,
    /// A custom endpoint (moto locally), from `AWS_ENDPOINT_URL`.
    pub endpoint: Option<String>,
    /// DynamoDB's own endpoint (DynamoDB Local), from `AWS_ENDPOINT_URL_DYNAMODB`. The
    /// SDK would read it itself, but an endpoint set on the loader (above) wins over the
    /// service-specific variable, so the DynamoDB client sets it explicitly.
    pub dynamodb_endpoint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("missing environment variable {0}")]
pub struct MissingVar(pub &'static str);

impl Config {
    pub fn from_env() -> Result<Self, MissingVar> {
        let var = |name: &'static str| std::env::var(name).map_err(|_| MissingVar(name));
        Ok(Config {
            table: var("TABLE_NAME")?,
            materials_bucket: std::env::var("MATERIALS_BUCKET").unwrap_or_default(),
            certificates_bucket: std::env::var("CERTIFICATES_BUCKET").unwrap_or_default(),
            endpoint: std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|s| !s.is_empty()),
            dynamodb_endpoint: std::env::var("AWS_ENDPOINT_URL_DYNAMODB")
                .ok()
                .filter(|s| !s.is_empty()),
        })
    }
}

/// The SDK configuration, loaded once per container. Clients built from it share its
/// HTTP connector and credentials cache.
#[derive(Clone, Debug)]
pub struct Clients {
    pub sdk: aws_config::SdkConfig,
    pub config: Config,
}

impl Clients {
    /// A function's start: configuration from the environment, the SDK clients, the
    /// store, and its connection primed (one GetItem), once per container.
    pub async fn start() -> Result<(Clients, crate::DynamoStore), MissingVar> {
        let clients = Clients::load(Config::from_env()?).await;
        let store = crate::DynamoStore::new(clients.dynamodb(), clients.config.table.clone());
        store.prime().await;
        Ok((clients, store))
    }

    pub async fn load(config: Config) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(endpoint) = &config.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let sdk = loader.load().await;
        Clients { sdk, config }
    }

    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        let mut conf = aws_sdk_dynamodb::config::Builder::from(&self.sdk);
        if let Some(url) = &self.config.dynamodb_endpoint {
            conf = conf.endpoint_url(url);
        }
        aws_sdk_dynamodb::Client::from_conf(conf.build())
    }

    #[cfg(feature = "s3")]
    pub fn s3(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.sdk)
            .force_path_style(self.config.endpoint.is_some())
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    #[cfg(feature = "scheduler")]
    pub fn scheduler(&self) -> aws_sdk_scheduler::Client {
        aws_sdk_scheduler::Client::new(&self.sdk)
    }

    /// The Lambda client. Locally `LAMBDA_ENDPOINT_URL` points it at `cargo lambda
    /// watch`, which serves the Invoke API for the functions it runs.
    #[cfg(feature = "lambda")]
    pub fn lambda(&self) -> aws_sdk_lambda::Client {
        let mut conf = aws_sdk_lambda::config::Builder::from(&self.sdk);
        if let Ok(url) = std::env::var("LAMBDA_ENDPOINT_URL")
            && !url.is_empty()
        {
            conf = conf.endpoint_url(url);
        }
        aws_sdk_lambda::Client::from_conf(conf.build())
    }

    /// The dispatcher of asynchronous work: Lambda invokes (feature `lambda`) and
    /// one-time schedules (feature `scheduler`), with the clients this build links.
    pub fn dispatch(&self) -> crate::dispatch::AwsDispatch {
        crate::dispatch::AwsDispatch {
            #[cfg(feature = "lambda")]
            lambda: self.lambda(),
            #[cfg(feature = "scheduler")]
            scheduler: self.scheduler(),
            targets: crate::dispatch::Targets::from_env(),
        }
    }

    /// S3 objects.
    #[cfg(feature = "s3")]
    pub fn objects(&self) -> crate::objects::Objects {
        crate::objects::Objects::new(self.s3())
    }

    /// Uploaded application materials: S3 and the bucket named by `MATERIALS_BUCKET`.
    #[cfg(feature = "s3")]
    pub fn materials(&self) -> crate::objects::Materials {
        crate::objects::Materials {
            objects: self.objects(),
            bucket: self.config.materials_bucket.clone(),
        }
    }
}

/// Why a function could not start (a missing variable, a bad key); the Lambda runtime
/// reports it and the container is not used.
pub type StartError = Box<dyn std::error::Error + Send + Sync>;

/// A function's application, built once per container over the started clients.
pub trait FromClients: Sized {
    fn from_clients(clients: &Clients, store: crate::DynamoStore) -> Result<Self, StartError>;
}

/// A function's start: [`Clients::start`] (configuration, SDK, primed store), then the
/// application `A` over them.
pub async fn start<A: FromClients>() -> Result<A, StartError> {
    let (clients, store) = Clients::start().await?;
    A::from_clients(&clients, store)
}
