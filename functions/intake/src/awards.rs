//! Annual awards (seed 001 五（二）): the association's expert records, a panel per
//! category and edition, the experts' scores and the ranking; the rules are in
//! `standing_domain::award_panel`.

use crate::{App, MAX_BODY_BYTES, registry, store_problem};
use lambda_http::{Body, Request, Response};
use standing_aws::store::Transaction;
use standing_domain::award_panel::{self, Panel};
use standing_domain::problem::Problem;
use standing_http::{json, json_body};
use standing_schemes::{Scheme, SchemeId};

/// The edition named by a panel id (`2024-c3` → the 2024 version), or 404.
fn edition(id: &str) -> Result<(&'static Scheme, String), Problem> {
    let (edition, category) = Panel::parse_id(id)?;
    let scheme = registry()?
        .version(SchemeId::AnnualAwards, &edition)
        .ok_or_else(|| Problem::not_found(format!("没有 {edition} 年度评优")))?;
    Ok((scheme, category))
}

fn authority(scheme: &Scheme) -> Result<&str, Problem> {
    scheme.authority_id().map_err(|_| Problem::internal())
}

/// `PUT /v1/experts/{subject}`: staff of the association record an expert.
pub async fn record_expert<D>(
    app: &App<D>,
    req: &Request,
    subject: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let authority = caller.require_staff()?;
    // The expert pool is the awarding association's (seed 001 五（二） "协会专家库").
    let keeps_experts = registry()?
        .all()
        .iter()
        .filter(|s| s.scheme.id == SchemeId::AnnualAwards)
        .any(|s| s.authority_id().is_ok_and(|a| a == authority));
    if !keeps_experts {
        return Err(caller.deny("专家库由评优的主办协会登记"));
    }
    let existing = app
        .store
        .get_expert(authority, subject)
        .await
        .map_err(store_problem)?;
    let (e, audit) =
        award_panel::record_expert(subject, &body, existing.as_ref(), &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.expert(app.store.table(), existing.as_ref(), &e, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(if existing.is_some() { 200 } else { 201 }, &e))
}

/// `POST /v1/awards/panels/{panel}`: staff form the panel of a category in an edition.
pub async fn form_panel<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (scheme, category) = edition(id)?;
    let authority = authority(scheme)?;
    caller.staff_of(authority)?;
    let subjects: Vec<String> = body
        .get("experts")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .take(award_panel::MAX_PANEL_EXPERTS)
                .collect()
        })
        .unwrap_or_default();
    let experts = futures_util::future::try_join_all(
        subjects
            .iter()
            .filter(|s| !s.is_empty() && s.len() <= 64)
            .map(|s| app.store.get_expert(authority, s)),
    );
    let nominations = app
        .store
        .nominations(authority, &scheme.scheme.version, &category);
    let (experts, nominations) = tokio::join!(experts, nominations);
    let experts: Vec<_> = experts
        .map_err(store_problem)?
        .into_iter()
        .flatten()
        .collect();
    let nominations = nominations.map_err(store_problem)?;
    let (panel, audit) = award_panel::form_panel(
        &body,
        scheme,
        &category,
        &experts,
        &nominations,
        &caller,
        app.clock.now(),
    )?;
    let mut tx = Transaction::default();
    tx.panel(app.store.table(), None, &panel, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(201, &panel))
}

async fn load<D>(app: &App<D>, id: &str) -> Result<(&'static Scheme, Panel), Problem> {
    let (scheme, _) = edition(id)?;
    let panel = app
        .store
        .get_panel(authority(scheme)?, id)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| Problem::not_found(format!("没有评审组“{id}”")))?;
    Ok((scheme, panel))
}

/// `GET /v1/awards/panels/{panel}`: staff of the association, or an expert of the panel
/// (who sees another's score of a nominee only after scoring it).
pub async fn read_panel<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let (_, panel) = load(app, id).await?;
    let (scores, objections) = tokio::join!(
        app.store.scores(&panel.authority, &panel.id),
        app.store.award_objections(&panel.authority, &panel.id),
    );
    let scores = scores.map_err(store_problem)?;
    // The objectors' names and contacts are for the association's staff only.
    let objections = if caller.is_staff() {
        objections.map_err(store_problem)?
    } else {
        Vec::new()
    };
    Ok(json(
        200,
        &award_panel::view(&panel, &scores, &objections, &caller)?,
    ))
}

/// `PUT /v1/awards/panels/{panel}/scores/{application}`: an expert of the panel scores
/// a nominee, once.
pub async fn score<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
    application: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.principal(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (scheme, panel) = load(app, id).await?;
    let (s, audit) = award_panel::score(
        &panel,
        application,
        &body,
        None,
        scheme,
        &caller,
        app.clock.now(),
    )?;
    let mut tx = Transaction::default();
    tx.score(app.store.table(), &panel.authority, &s, &audit)
        .map_err(store_problem)?;
    match app.store.commit(tx).await {
        Ok(()) => Ok(json(201, &s)),
        Err(e)
            if e.is_conflict_on(standing_domain::store::ConflictOn::Record(
                standing_domain::store::Entity::Score,
            )) =>
        {
            Err(Problem::field(
                standing_domain::problem::ProblemKind::Conflict,
                "score",
                "您已提交此申报的评分，评分提交后不能修改",
            ))
        }
        Err(e) => Err(store_problem(e)),
    }
}

/// `POST /v1/awards/panels/{panel}/ranking`: staff close the scoring and rank.
pub async fn rank<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let (scheme, panel) = load(app, id).await?;
    caller.staff_of(&panel.authority)?;
    let scores = app
        .store
        .scores(&panel.authority, &panel.id)
        .await
        .map_err(store_problem)?;
    let (next, audit) = award_panel::rank(&panel, &scores, scheme, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.panel(app.store.table(), Some(&panel), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(200, &next))
}

/// `POST /v1/awards/panels/{panel}/notice`: staff put the proposed winners on notice.
pub async fn open_notice<D>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let (scheme, panel) = load(app, id).await?;
    let (next, audit) = award_panel::open_notice(&panel, scheme, &caller, app.clock.now())?;
    let mut tx = Transaction::default();
    tx.panel(app.store.table(), Some(&panel), &next, &audit)
        .map_err(store_problem)?;
    app.store.commit(tx).await.map_err(store_problem)?;
    Ok(json(200, &next))
}

/// `POST /v1/awards/panels/{panel}/results`: staff publish the results after the
/// notice and issue the award certificates (rendered by the certificate function).
pub async fn publish<D: standing_domain::dispatch::Dispatch>(
    app: &App<D>,
    req: &Request,
    id: &str,
) -> Result<Response<Body>, Problem> {
    let caller = app.auth.staff(req)?;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (scheme, panel) = load(app, id).await?;
    caller.staff_of(&panel.authority)?;
    let objections = app
        .store
        .award_objections(&panel.authority, &panel.id)
        .await
        .map_err(store_problem)?;
    let p = award_panel::publish(&panel, &body, &objections, scheme, &caller, app.clock.now())?;
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.panel(table, Some(&panel), &p.panel, &p.audit)
        .map_err(store_problem)?;
    for (c, audit) in &p.certificates {
        tx.certificate(table, None, c, audit)
            .map_err(store_problem)?;
    }
    app.store.commit(tx).await.map_err(store_problem)?;
    for (c, _) in &p.certificates {
        if let Err(e) = app.dispatch.render(&c.serial, c.version).await {
            tracing::error!(error = %e, serial = %c.serial, "requesting the award certificate rendering failed");
        }
    }
    Ok(json(200, &p.panel))
}

/// `GET /v1/awards/panels/{panel}/results`: public: the proposed winners on notice, then
/// the winners (name, unit, award; never an identity number or a contact).
pub async fn results<D>(app: &App<D>, id: &str) -> Result<Response<Body>, Problem> {
    let (_, panel) = load(app, id).await?;
    let v = award_panel::public_results(&panel)
        .ok_or_else(|| Problem::not_found(format!("评审组“{id}”尚未公示")))?;
    Ok(json(200, &v))
}

/// Objections one source may file in an hour (as for the notices' objections).
const OBJECTIONS_PER_SOURCE_PER_HOUR: u32 = 5;

/// `POST /v1/awards/panels/{panel}/objections`: anyone objects to a proposed winner
/// while the notice runs; rate-limited per source address in the same transaction.
pub async fn object<D>(app: &App<D>, req: &Request, id: &str) -> Result<Response<Body>, Problem> {
    use lambda_http::RequestExt;
    use lambda_http::request::RequestContext;
    let body = json_body(req, MAX_BODY_BYTES)?;
    let (_, panel) = load(app, id).await?;
    let now = app.clock.now();
    let (o, audit) = award_panel::file_objection(&panel, &body, now)?;
    let ip = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.http.source_ip.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let source = award_panel::objection_source(&ip);
    let table = app.store.table();
    let mut tx = Transaction::default();
    tx.award_objection(table, &panel.authority, &o, &audit)
        .map_err(store_problem)?;
    tx.objection_rate(
        table,
        &source,
        &now.format("%Y%m%d%H").to_string(),
        OBJECTIONS_PER_SOURCE_PER_HOUR,
        now.timestamp() + 7200,
    )
    .map_err(store_problem)?;
    match app.store.commit(tx).await {
        Ok(()) => {}
        Err(e) if e.is_conflict_on(standing_domain::store::ConflictOn::RateLimit) => {
            return Err(Problem::new(
                standing_domain::problem::ProblemKind::TooManyRequests,
                format!(
                    "同一来源每小时最多提交 {OBJECTIONS_PER_SOURCE_PER_HOUR} 条异议，请稍后再试"
                ),
            ));
        }
        Err(e) => return Err(store_problem(e)),
    }
    Ok(json(
        201,
        &serde_json::json!({"id": o.id.to_string(), "panel": o.panel, "filed_at": o.filed_at}),
    ))
}
