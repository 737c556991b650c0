//! `GET /v1/alarm-operators/suspensions` (JSON), `.html`, `.csv`: public, the suspensions
//! (歇业) and closures (停业) of alarm operators that the regional department approved
//! (seed 004 二（三）3), so their customers can see them; by start date.

use crate::{App, store_problem};
use lambda_http::{Body, Response};
use standing_domain::clock::china_date;
use standing_domain::problem::Problem;
use standing_domain::suspension::Suspension;
use standing_http::listing::{self, Cell, Format};
use standing_http::{html, json, scheme_in_force};
use standing_schemes::SchemeId;

const HEADERS: &[&str] = &[
    "单位名称",
    "统一社会信用代码",
    "类别",
    "开始日期",
    "结束日期",
    "客户服务处理方案",
    "审查机关",
    "核准日期",
];

pub async fn list<D>(app: &App<D>, name: &str) -> Result<Response<Body>, Problem> {
    let (list, format) = listing::split_format(name);
    if list != "suspensions" {
        return Err(Problem::not_found(format!("没有名为“{list}”的公开名单")));
    }
    let today = china_date(app.clock.now());
    let scheme = scheme_in_force(SchemeId::AlarmOperators, today)?;
    let approved: Vec<Suspension> = app
        .store
        .approved_suspensions()
        .await
        .map_err(store_problem)?;
    let title = "安防报警运营服务企业歇业、停业公告";
    let rows = || approved.iter().map(row).collect::<Vec<_>>();
    Ok(match format {
        Format::Json => json(
            200,
            &serde_json::json!({
                "title_zh": title,
                "authority_zh": scheme.scheme.authority_zh,
                "on": today,
                "suspensions": approved.iter().map(Suspension::public_view).collect::<Vec<_>>(),
            }),
        ),
        Format::Html => html(
            200,
            listing::page(
                title,
                &format!(
                    "{}核准备案（内公办〔2010〕232号 二（三）3）",
                    scheme.scheme.authority_zh
                ),
                HEADERS,
                &rows(),
            ),
        ),
        Format::Csv => {
            listing::csv_response("alarm-operator-suspensions", listing::csv(HEADERS, &rows()))
        }
    })
}

fn row(s: &Suspension) -> Vec<Cell> {
    vec![
        Cell::prose(&s.company_name),
        Cell::text(s.org.as_str()),
        Cell::text(s.kind.label_zh()),
        Cell::text(s.starts_on.to_string()),
        Cell::text(s.ends_on.map(|d| d.to_string()).unwrap_or_default()),
        Cell::prose(&s.customer_plan),
        Cell::text(&s.city_name),
        Cell::text(
            s.region_decision
                .as_ref()
                .map(|d| china_date(d.at).to_string())
                .unwrap_or_default(),
        ),
    ]
}
