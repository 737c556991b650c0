//! `GET /v1/certificates/{serial}/pdf`: the holder or staff of the authority get a
//! presigned URL of the current rendering, rendered first if it is missing.

use crate::disposition;
use crate::pdfs::PdfBucket;
use crate::render::render_loaded;
use crate::store::CertStore;
use lambda_http::http::{StatusCode, header};
use lambda_http::{Body, Request, Response};
use standing_domain::dispatch::Dispatch;
use standing_domain::problem::Problem;
use standing_http::json;

use crate::{
    App, DOWNLOAD_URL_LIFETIME, by_serial, company_or_staff, may_hold, render_problem,
    store_problem,
};

pub(crate) async fn download<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    serial: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
    O: PdfBucket,
    D: Dispatch,
{
    let caller = app.auth.principal(req)?;
    company_or_staff(&caller, "只有持证单位或发证机构工作人员可以下载证书")?;
    let loaded = by_serial(serial, || app.store.load(serial)).await?;
    may_hold(&caller, &loaded.record)?;
    let rendering = match loaded.current() {
        Some(r) => r.clone(),
        None => render_loaded(app, &loaded)
            .await
            .map_err(render_problem)?
            .rendering()
            .clone(),
    };
    let record = &loaded.record;
    let disposition =
        disposition::content_disposition(&record.company_name, &record.title, &record.serial);
    let url = app
        .pdfs
        .download_url(&rendering.key, &disposition, DOWNLOAD_URL_LIFETIME)
        .await
        .map_err(store_problem)?;
    let mut r = json(
        302,
        &serde_json::json!({
            "url": url,
            "expires_in_seconds": DOWNLOAD_URL_LIFETIME.as_secs(),
            "version": rendering.version,
        }),
    );
    *r.status_mut() = StatusCode::FOUND;
    if let Ok(v) = header::HeaderValue::from_str(&url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}
