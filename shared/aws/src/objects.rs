//! S3 objects: presigned uploads of materials, existence checks for the review,
//! certificate PDFs (put, read, presigned download).
//!
//! Locally the client talks to moto on loopback with path-style addressing. moto does
//! not check presigned signatures or expiry; the URLs are real SigV4 URLs all the same.

use aws_sdk_s3::Client;
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use standing_domain::store::StoreError;
use std::time::Duration;

fn unavailable<E: std::fmt::Debug>(e: E) -> StoreError {
    StoreError::Unavailable(format!("{e:?}"))
}

/// A presigned request: the URL and the headers the caller must send with it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Presigned {
    pub method: String,
    pub url: String,
    pub headers: std::collections::BTreeMap<String, String>,
    pub expires_in_seconds: u64,
}

/// Where uploaded application materials are kept: the S3 client and the bucket.
#[derive(Clone, Debug)]
pub struct Materials {
    pub objects: Objects,
    pub bucket: String,
}

#[derive(Clone, Debug)]
pub struct Objects {
    client: Client,
}

impl Objects {
    pub fn new(client: Client) -> Self {
        Objects { client }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A presigned PUT bound to `key`, the content type and the exact length: S3 refuses
    /// an upload whose signed headers differ.
    pub async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        length: u64,
        expires: Duration,
    ) -> Result<Presigned, StoreError> {
        let config = PresigningConfig::expires_in(expires).map_err(unavailable)?;
        let req = self
            .client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .content_length(i64::try_from(length).unwrap_or(i64::MAX))
            .presigned(config)
            .await
            .map_err(unavailable)?;
        Ok(Presigned {
            method: req.method().to_owned(),
            url: req.uri().to_owned(),
            headers: req
                .headers()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            expires_in_seconds: expires.as_secs(),
        })
    }

    /// The size of an object, or `None` if there is none.
    pub async fn size(&self, bucket: &str, key: &str) -> Result<Option<u64>, StoreError> {
        match self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => Ok(Some(
                out.content_length()
                    .and_then(|l| u64::try_from(l).ok())
                    .unwrap_or(0),
            )),
            Err(SdkError::ServiceError(e)) if e.err().is_not_found() => Ok(None),
            Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 404 => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Put bytes (server-side encrypted).
    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StoreError> {
        self.client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::Aes256)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// Delete an object (in a versioned bucket: a delete marker; the materials bucket's
    /// lifecycle rule expires the old version after 30 days, infra/template.yaml).
    /// Deleting a key that holds nothing succeeds.
    pub async fn delete(&self, bucket: &str, key: &str) -> Result<(), StoreError> {
        self.client
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// Read a whole object, or `None` if there is none.
    pub async fn get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => Ok(Some(
                out.body
                    .collect()
                    .await
                    .map_err(unavailable)?
                    .into_bytes()
                    .to_vec(),
            )),
            Err(SdkError::ServiceError(e)) if e.err().is_no_such_key() => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// A presigned GET whose response carries `content_disposition` and `content_type`
    /// (a material opened in the browser: a PDF or an image, shown inline).
    pub async fn presign_get_as(
        &self,
        bucket: &str,
        key: &str,
        content_disposition: &str,
        content_type: &str,
        expires: Duration,
    ) -> Result<String, StoreError> {
        let config = PresigningConfig::expires_in(expires).map_err(unavailable)?;
        let req = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .response_content_disposition(content_disposition)
            .response_content_type(content_type)
            .presigned(config)
            .await
            .map_err(unavailable)?;
        Ok(req.uri().to_owned())
    }

    /// A presigned GET of a PDF whose response carries `content_disposition`.
    pub async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        content_disposition: &str,
        expires: Duration,
    ) -> Result<String, StoreError> {
        self.presign_get_as(bucket, key, content_disposition, "application/pdf", expires)
            .await
    }
}
