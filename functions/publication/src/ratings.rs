//! `GET /v1/ratings/{scheme}` (JSON), `.../{scheme}.html`, `.../{scheme}.csv`: public, the
//! companies a scheme rated (schemes whose approval yields a level: the star rating),
//! highest level first.

use crate::{App, registry, store_problem};
use lambda_http::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use lambda_http::{Body, Response};
use standing_domain::clock::china_date;
use standing_domain::problem::Problem;
use standing_domain::rating::{self, Rating};
use standing_http::respond::escape_html;
use standing_http::{html, json};
use standing_schemes::SchemeId;
use std::str::FromStr;

/// How the list is asked for.
enum Format {
    Json,
    Html,
    Csv,
}

pub async fn list<D>(app: &App<D>, name: &str) -> Result<Response<Body>, Problem> {
    let (id, format) = match name.rsplit_once('.') {
        Some((id, "html")) => (id, Format::Html),
        Some((id, "csv")) => (id, Format::Csv),
        _ => (name, Format::Json),
    };
    let unknown = || Problem::not_found(format!("没有评定项目“{id}”的评定名录"));
    let scheme_id = SchemeId::from_str(id).map_err(|_| unknown())?;
    let today = china_date(app.clock.now());
    let scheme = registry()?
        .in_force(scheme_id, today)
        .map_err(|_| unknown())?;
    if !scheme.applications.iter().any(|a| a.outcome.lists_rating()) {
        return Err(unknown());
    }
    let mut ratings: Vec<Rating> = app
        .store
        .ratings_of(scheme_id.as_str())
        .await
        .map_err(store_problem)?;
    // A rating whose certificate has expired is off the list (it stays in the table,
    // with its audit trail, until a new approval replaces it).
    ratings.retain(|r| r.in_force(today));
    rating::public_order(scheme, &mut ratings);
    let title = format!("{}名录", scheme.scheme.title_zh);
    Ok(match format {
        Format::Json => json(
            200,
            &serde_json::json!({
                "scheme": scheme_id.as_str(),
                "title_zh": title,
                "authority_zh": scheme.scheme.authority_zh,
                "on": today,
                "ratings": ratings.iter().map(public).collect::<Vec<_>>(),
            }),
        ),
        Format::Html => html(200, page(&title, &scheme.scheme.authority_zh, &ratings)),
        Format::Csv => Response::builder()
            .status(200)
            .header(CONTENT_TYPE, "text/csv; charset=utf-8")
            .header(
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}-ratings.csv\"",
                    scheme_id.as_str()
                ),
            )
            .header(CACHE_CONTROL, "no-store")
            .body(Body::from(rating::csv(&ratings)))
            .map_err(|_| Problem::internal())?,
    })
}

/// What the public sees of a rating (no staff, no application internals).
fn public(r: &Rating) -> serde_json::Value {
    serde_json::json!({
        "company_name": r.company_name,
        "credit_code": r.org.as_str(),
        "level_code": r.level_code,
        "level_label": r.level_label,
        "approved_on": r.approved_on,
        "valid_until": r.valid_until,
        "certificate_serial": r.certificate_serial,
        "verify_url": r.certificate_serial.as_ref().map(|s| format!("/v1/certificates/{s}/verify")),
    })
}

fn page(title: &str, authority: &str, ratings: &[Rating]) -> String {
    let rows: String = ratings
        .iter()
        .map(|r| {
            let certificate = match (&r.certificate_serial, r.valid_until) {
                (Some(serial), Some(until)) => format!(
                    "<a href=\"/v1/certificates/{s}/verify\">{s}</a>（有效期至 {until}）",
                    s = escape_html(serial)
                ),
                _ => "—".to_owned(),
            };
            format!(
                "<tr><td data-label=\"级别\">{}</td><td data-label=\"单位名称\">{}</td><td data-label=\"统一社会信用代码\">{}</td><td data-label=\"评定日期\">{}</td><td data-label=\"证书\">{certificate}</td></tr>",
                escape_html(&r.level_label),
                escape_html(&r.company_name),
                escape_html(r.org.as_str()),
                r.approved_on
            )
        })
        .collect();
    let body = if ratings.is_empty() {
        "<p>暂无。</p>".to_owned()
    } else {
        format!(
            "<table><thead><tr><th>级别</th><th>单位名称</th><th>统一社会信用代码</th><th>评定日期</th><th>证书</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #999;padding:.3rem .5rem;text-align:left}}@media (max-width:40rem){{thead{{display:none}}table,tbody,tr,td{{display:block;width:auto}}tr{{border:1px solid #999;margin:0 0 .75rem;padding:.25rem .5rem}}td{{border:none;padding:.15rem 0}}td::before{{content:attr(data-label) \"：\";color:#555}}}}</style></head><body><h1>{t}</h1><p>{a}</p>{body}</body></html>",
        t = escape_html(title),
        a = escape_html(authority),
    )
}
