//! An authority's seal (issue 15 item 5): its own staff upload the picture printed over
//! the authority's name on every certificate it renders from then on.
//!
//! - `PUT /v1/authorities/{authority}/seal` — body: the picture itself
//!   (`Content-Type: image/png` or `image/svg+xml`, at most 512 KiB). The picture is
//!   stored under its SHA-256 (never overwriting an older one), then the record naming
//!   it is written with its audit event in one conditional transaction. 201 for the
//!   first seal, 200 for a replacement.
//! - `GET /v1/authorities/{authority}/seal` — the record in force (which picture, who
//!   set it, when); 404 when the authority has none.
//!
//! Both are for the authority's own staff only (`standing_domain::seal::authorize`).

use crate::pdfs::PdfBucket;
use crate::store::CertStore;
use crate::{App, store_problem};
use lambda_http::http::header::{CONTENT_TYPE, LOCATION};
use lambda_http::{Body, Request, Response};
use standing_certificate_pdf::{MAX_SEAL_BYTES, Seal, SealError, SealFormat};
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::seal::{self, Upload, looks_like_authority};
use standing_http::json;

fn unknown_authority(authority: &str) -> Problem {
    let shown: String = authority.chars().take(64).collect();
    Problem::field(
        ProblemKind::NotFound,
        "authority",
        format!("未找到机构 {shown}"),
    )
}

fn path_of(authority: &str) -> String {
    format!("/v1/authorities/{authority}/seal")
}

/// Read the picture: its media type (415 otherwise), size (413) and that its bytes are
/// of that type (422 naming the body).
fn read_picture(req: &Request) -> Result<Seal, Problem> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = SealFormat::from_content_type(content_type).ok_or_else(|| {
        Problem::new(
            ProblemKind::UnsupportedMediaType,
            "印章图片应为 PNG（Content-Type: image/png，建议透明背景）或 SVG（image/svg+xml）",
        )
    })?;
    let bytes: &[u8] = req.body().as_ref();
    if bytes.len() > MAX_SEAL_BYTES {
        return Err(Problem::new(
            ProblemKind::PayloadTooLarge,
            format!("印章图片不得超过{}KB", MAX_SEAL_BYTES / 1024),
        ));
    }
    Seal::new(bytes.to_vec(), format).map_err(|e| {
        let detail = match e {
            SealError::Empty => "请求体为空：请上传印章图片".to_owned(),
            SealError::TooLarge(_) => format!("印章图片不得超过{}KB", MAX_SEAL_BYTES / 1024),
            SealError::NotThatFormat(t) => format!("上传的文件不是 {t} 格式的图片"),
        };
        Problem::field(ProblemKind::Validation, "body", detail)
    })
}

pub(crate) async fn put<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    authority: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
    O: PdfBucket,
{
    let caller = app.auth.principal(req)?;
    if !looks_like_authority(authority) {
        return Err(unknown_authority(authority));
    }
    seal::authorize(&caller, authority)?;
    let picture = read_picture(req)?;
    let current = app.store.seal(authority).await.map_err(store_problem)?;
    let upload = Upload {
        content_type: picture.format().content_type().to_owned(),
        sha256: picture.sha256_hex(),
        bytes: picture.bytes().len() as u64,
    };
    let (record, audit) = seal::set(
        &caller,
        authority,
        upload,
        current.as_ref(),
        app.clock.now(),
    )?;
    // The picture first, under its own hash: a record is never written that names a
    // picture that is not there, and a failed record write leaves only an unused
    // object that the next upload of the same picture reuses.
    app.pdfs
        .put_seal(&record.key, picture.bytes().to_vec(), &record.content_type)
        .await
        .map_err(store_problem)?;
    app.store
        .save_seal(current.as_ref(), &record, &audit)
        .await
        .map_err(store_problem)?;
    let status = if current.is_some() { 200 } else { 201 };
    let mut r = json(status, &record);
    if let Ok(v) = path_of(authority).parse() {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}

pub(crate) async fn get<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    authority: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
{
    let caller = app.auth.principal(req)?;
    if !looks_like_authority(authority) {
        return Err(unknown_authority(authority));
    }
    seal::authorize(&caller, authority)?;
    match app.store.seal(authority).await.map_err(store_problem)? {
        Some(record) => Ok(json(200, &record)),
        None => Err(Problem::field(
            ProblemKind::NotFound,
            "authority",
            "本机构尚未上传印章：证书上不印印章，纸质证书由机构加盖",
        )),
    }
}
