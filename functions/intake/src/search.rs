//! Public company lookup: by unified social credit code (pattern 1) or by any part of
//! the name (pattern 60, the name index written with the company's record). What it
//! answers is public: the code and the registered name.

use crate::{App, store_problem};
use lambda_http::{Body, Request, RequestExt, Response};
use standing_domain::ids::CreditCode;
use standing_domain::organization::name_search;
use standing_domain::problem::{Problem, ProblemKind};
use standing_domain::store::OrganizationStore;
use standing_http::json;

/// Companies answered at most.
pub const MAX_RESULTS: usize = 20;
/// Index items read for a name query (one Query): a company matches with several
/// suffixes at most a few times.
const INDEX_ITEMS_READ: usize = 60;

pub(crate) async fn companies<D>(app: &App<D>, req: &Request) -> Result<Response<Body>, Problem> {
    let query = req.query_string_parameters();
    let q = query.first("q").unwrap_or_default().trim().to_owned();
    let upper = q.to_uppercase();
    if upper.chars().count() == 18
        && let Ok(code) = CreditCode::parse_legacy(&upper)
    {
        let found = app
            .store
            .get_organization(&code)
            .await
            .map_err(store_problem)?;
        let results: Vec<_> = found
            .iter()
            .map(|o| serde_json::json!({"code": o.code.as_str(), "name": o.name}))
            .collect();
        return Ok(json(
            200,
            &serde_json::json!({"query": q, "by": "code", "results": results, "more": false}),
        ));
    }
    let key = name_search::query_key(&q).ok_or_else(|| {
        Problem::field(
            ProblemKind::Validation,
            "q",
            format!(
                "请输入单位名称中的 {} 至 {} 个字，或 18 位统一社会信用代码",
                name_search::MIN_QUERY_CHARS,
                name_search::MAX_QUERY_CHARS
            ),
        )
    })?;
    let mut found = app
        .store
        .organizations_named(&key, INDEX_ITEMS_READ)
        .await
        .map_err(store_problem)?;
    found.retain(|f| name_search::matches(&f.name, &q));
    let more = found.len() > MAX_RESULTS;
    found.truncate(MAX_RESULTS);
    Ok(json(
        200,
        &serde_json::json!({"query": q, "by": "name", "results": found, "more": more}),
    ))
}
