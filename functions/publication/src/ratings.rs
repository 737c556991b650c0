//! `GET /v1/ratings/{scheme}` (JSON), `.../{scheme}.html`, `.../{scheme}.csv`: public, the
//! companies a scheme rated (schemes whose approval puts a level on a list: the star
//! rating), highest level first; a rating whose certificate has expired is not listed.

use crate::{App, registry, store_problem};
use lambda_http::{Body, Request, RequestExt, Response};
use standing_domain::clock::china_date;
use standing_domain::ids::CreditCode;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::rating::{self, Rating};
use standing_http::listing::{self, Cell, Format};
use standing_http::{html, json};
use standing_schemes::SchemeId;
use std::str::FromStr;

const HEADERS: &[&str] = &[
    "级别",
    "单位名称",
    "统一社会信用代码",
    "评定日期",
    "有效期至",
    "证书编号",
];

/// `?code=` asks for one company's rating (one GetItem instead of the whole list: the
/// company page), answered in the same shape.
pub async fn list<D>(app: &App<D>, req: &Request, name: &str) -> Result<Response<Body>, Problem> {
    let (id, format) = listing::split_format(name);
    let unknown = || Problem::not_found(format!("没有评定项目“{id}”的评定名录"));
    let scheme_id = SchemeId::from_str(id).map_err(|_| unknown())?;
    let today = china_date(app.clock.now());
    let scheme = registry()?
        .in_force(scheme_id, today)
        .map_err(|_| unknown())?;
    if !scheme.applications.iter().any(|a| a.outcome.lists_rating()) {
        return Err(unknown());
    }
    let code = match req.query_string_parameters().first("code") {
        None => None,
        Some(c) => Some(
            CreditCode::parse_legacy(c)
                .map_err(|e| Problem::field(ProblemKind::Validation, "code", e.to_string()))?,
        ),
    };
    let mut ratings: Vec<Rating> = match &code {
        Some(code) => app
            .store
            .get_rating(scheme_id.as_str(), code)
            .await
            .map_err(store_problem)?
            .into_iter()
            .collect(),
        None => app
            .store
            .ratings_of(scheme_id.as_str())
            .await
            .map_err(store_problem)?,
    };
    // A rating whose certificate has expired is off the list (it stays in the table,
    // with its audit trail, until a new approval replaces it).
    ratings.retain(|r| r.in_force(today));
    rating::public_order(scheme, &mut ratings);
    let title = format!("{}名录", scheme.scheme.title_zh);
    let rows = || ratings.iter().map(row).collect::<Vec<_>>();
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
        Format::Html => html(
            200,
            listing::page(&title, &scheme.scheme.authority_zh, HEADERS, &rows()),
        ),
        Format::Csv => listing::csv_response(
            &format!("{}-ratings", scheme_id.as_str()),
            listing::csv(HEADERS, &rows()),
        ),
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
        "verify_url": r.certificate_serial.as_ref().map(|s| verify_url(s)),
    })
}

fn verify_url(serial: &str) -> String {
    format!("/v1/certificates/{serial}/verify")
}

fn row(r: &Rating) -> Vec<Cell> {
    vec![
        Cell::text(&r.level_label),
        Cell::prose(&r.company_name),
        Cell::text(r.org.as_str()),
        Cell::text(r.approved_on.to_string()),
        Cell::text(r.valid_until.map(|d| d.to_string()).unwrap_or_default()),
        match &r.certificate_serial {
            Some(s) => Cell::link(s, verify_url(s)),
            None => Cell::text(""),
        },
    ]
}
