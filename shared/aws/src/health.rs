//! Deep health checks: can this function reach the table and the buckets it uses?
//! One cheap read each (a GetItem of the prime key, a HeadBucket), with a short
//! timeout, so `GET /v1/health/{fn}?deep=1` tells "up" from "storage down".

use crate::keys;
#[cfg(feature = "s3")]
use crate::objects::Objects;
use crate::store::DynamoStore;
use aws_sdk_dynamodb::types::AttributeValue;
use std::future::Future;
use std::time::Duration;

/// How long one check may take before it counts as failed.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// One dependency checked: its name (`table:<name>`, `bucket:<name>`) and the failure,
/// if any.
pub type Checked = (String, Result<(), String>);

async fn timed<F, E>(name: String, f: F) -> Checked
where
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let result = match tokio::time::timeout(CHECK_TIMEOUT, f).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())),
    };
    (name, result)
}

impl DynamoStore {
    /// Read the prime key (an item that never exists): the table answers or not.
    pub async fn check(&self) -> Checked {
        timed(format!("table:{}", self.table()), async {
            self.client()
                .get_item()
                .table_name(self.table())
                .key(keys::PK, AttributeValue::S(keys::PRIME_PK.into()))
                .key(keys::SK, AttributeValue::S(keys::PRIME_PK.into()))
                .send()
                .await
                .map(|_| ())
        })
        .await
    }
}

#[cfg(feature = "s3")]
impl Objects {
    /// HeadBucket: the bucket exists and this function may reach it.
    pub async fn check(&self, bucket: &str) -> Checked {
        timed(format!("bucket:{bucket}"), async {
            self.client()
                .head_bucket()
                .bucket(bucket)
                .send()
                .await
                .map(|_| ())
        })
        .await
    }
}

/// Check the table and every bucket at once.
#[cfg(feature = "s3")]
pub async fn check_storage(
    store: &DynamoStore,
    objects: Option<&Objects>,
    buckets: &[&str],
) -> Vec<Checked> {
    let buckets =
        futures_util::future::join_all(buckets.iter().filter_map(|b| objects.map(|o| o.check(b))));
    let (table, buckets) = tokio::join!(store.check(), buckets);
    std::iter::once(table).chain(buckets).collect()
}
