//! Where the PDFs go: the certificates bucket (S3, server-side encrypted), behind a
//! small trait so the handlers can be driven with another implementation.

use standing_aws::objects::Objects;
use standing_domain::store::StoreError;
use std::future::Future;
use std::time::Duration;

pub trait PdfBucket: Send + Sync {
    /// Store a PDF under `key` (server-side encrypted).
    fn put_pdf(
        &self,
        key: &str,
        pdf: Vec<u8>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A presigned GET of `key` whose response carries `content_disposition`.
    fn download_url(
        &self,
        key: &str,
        content_disposition: &str,
        expires: Duration,
    ) -> impl Future<Output = Result<String, StoreError>> + Send;

    /// The deep health check of the bucket (`GET /v1/health/certificate?deep=1`).
    fn check(&self) -> impl Future<Output = standing_aws::health::Checked> + Send;

    /// Store an authority's seal picture under `key` (server-side encrypted).
    fn put_seal(
        &self,
        key: &str,
        picture: Vec<u8>,
        content_type: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Read a seal picture back (`None` if the object is gone).
    fn seal_picture(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;
}

/// The certificates bucket.
#[derive(Debug, Clone)]
pub struct S3Pdfs {
    pub objects: Objects,
    pub bucket: String,
}

impl PdfBucket for S3Pdfs {
    async fn check(&self) -> standing_aws::health::Checked {
        self.objects.check(&self.bucket).await
    }

    async fn put_seal(
        &self,
        key: &str,
        picture: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StoreError> {
        self.objects
            .put(&self.bucket, key, picture, content_type)
            .await
    }

    async fn seal_picture(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.objects.get(&self.bucket, key).await
    }

    async fn put_pdf(&self, key: &str, pdf: Vec<u8>) -> Result<(), StoreError> {
        self.objects
            .put(&self.bucket, key, pdf, "application/pdf")
            .await
    }

    async fn download_url(
        &self,
        key: &str,
        content_disposition: &str,
        expires: Duration,
    ) -> Result<String, StoreError> {
        self.objects
            .presign_get(&self.bucket, key, content_disposition, expires)
            .await
    }
}
