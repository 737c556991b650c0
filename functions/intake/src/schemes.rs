//! The schemes as a form needs them, public: `GET /v1/schemes` (every scheme's version
//! in force) and `GET /v1/schemes/{id}` (one scheme's facts, items, rules and seed
//! articles). `?on=YYYY-MM-DD` asks for another date than today (China time). No
//! storage is read: the definitions ship with the function.

use crate::{App, registry};
use lambda_http::{Body, Request, RequestExt, Response};
use standing_domain::clock::china_date;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::scheme_form;
use standing_http::json;
use standing_schemes::SchemeId;
use std::str::FromStr;

fn date_asked<D>(app: &App<D>, req: &Request) -> Result<chrono::NaiveDate, Problem> {
    match req.query_string_parameters().first("on") {
        None => Ok(china_date(app.clock.now())),
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            Problem::field(ProblemKind::Validation, "on", "on 应为日期（YYYY-MM-DD）")
        }),
    }
}

pub async fn list<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let on = date_asked(app, req)?;
    let schemes = scheme_form::list(registry()?, on);
    Ok(json(
        200,
        &serde_json::json!({ "on": on, "schemes": schemes }),
    ))
}

pub async fn one<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let on = date_asked(app, req)?;
    let unknown = || Problem::not_found(format!("没有评定项目“{id}”"));
    let id = SchemeId::from_str(id).map_err(|_| unknown())?;
    let (scheme, in_force) = scheme_form::version_on(registry()?, id, on)
        .ok_or_else(|| Problem::not_found(format!("{on} 之前没有“{id}”评定办法的版本")))?;
    Ok(json(200, &scheme_form::form(scheme, in_force)))
}
