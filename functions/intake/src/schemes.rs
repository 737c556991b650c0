//! The schemes as a form needs them, public: `GET /v1/schemes` (every scheme's version
//! in force) and `GET /v1/schemes/{id}` (one scheme's facts, items, rules and seed
//! articles, the applications it takes) and `POST /v1/schemes/{id}/evaluate` (the
//! itemised report for a declaration: a form's preview). `?on=YYYY-MM-DD` asks for
//! another date than today (China time). No storage is read or written: the definitions
//! ship with the function.

use crate::{App, registry};
use lambda_http::{Body, Request, RequestExt, Response};
use standing_domain::application;
use standing_domain::clock::china_date;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::scheme_form;
use standing_http::{json, json_body};
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

fn scheme_id(id: &str) -> Result<SchemeId, Problem> {
    SchemeId::from_str(id).map_err(|_| Problem::not_found(format!("没有评定项目“{id}”")))
}

/// The preview: what the version in force on the date would make of a declaration.
pub async fn evaluate<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let on = date_asked(app, req)?;
    let id = scheme_id(id)?;
    let body = json_body(req, crate::MAX_BODY_BYTES)?;
    let scheme = registry()?.in_force(id, on).map_err(|e| {
        Problem::field(
            ProblemKind::Validation,
            "on",
            format!("{e}：{on} 没有生效的评定办法版本"),
        )
    })?;
    let report = application::preview(scheme, &body, on)?;
    Ok(json(200, &report))
}

pub async fn one<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let on = date_asked(app, req)?;
    let id = scheme_id(id)?;
    let (scheme, in_force) = scheme_form::version_on(registry()?, id, on)
        .ok_or_else(|| Problem::not_found(format!("{on} 之前没有“{id}”评定办法的版本")))?;
    Ok(json(200, &scheme_form::form(scheme, in_force)))
}
