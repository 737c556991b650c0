//! The credit report PDF (issue 11 item 7): a fire-technology service agency's level,
//! score and events in force on the day of issue, signed like the certificates and
//! verifiable by its QR code. Rendered here because typst is linked only in this
//! function.
//!
//! - `POST /v1/credit/agencies/{code}/report` — the agency itself or staff of the bureau
//!   that keeps the register: renders, stores `credit-reports/{code}/{serial}.pdf`, writes the
//!   report record with its audit event, answers 201 with a presigned download URL.
//! - `GET /v1/credit-reports/{serial}` — public: the signed fields, the canonical JSON,
//!   the signature and its key.
//! - `GET /v1/credit-reports/{serial}/verify` — public: the page the QR code opens.

use chrono::{DateTime, NaiveDate, Utc};
use lambda_http::{Body, Request, Response};
use rust_decimal::Decimal;
use standing_certificate_pdf::{
    CreditReportFields, ReportEvent, Signature, canonical_report_json, verify_report,
};
use standing_domain::audit::{Actor, AuditEvent};
use standing_domain::credit::{self, CreditEventRecord, CreditRecords, RepairStatus};
use standing_domain::ids::{CreditCode, RecordId};
use standing_domain::problem::{Problem, ProblemKind};
use standing_http::respond::html;
use standing_http::{json, problem, scheme_in_force};
use standing_schemes::model::Direction;
use standing_schemes::{Scheme, SchemeId};

use crate::page;
use crate::pdfs::PdfBucket;
use crate::public::keys_url;
use crate::store::{CertStore, CreditReportRecord};
use crate::{App, DOWNLOAD_URL_LIFETIME, company_or_staff, disposition, store_problem, today};

/// The report template in the templates directory.
pub const TEMPLATE: &str = "credit-report";

/// The verification URL printed in a report's QR code.
pub fn verify_url(base: &str, serial: &str) -> String {
    format!(
        "{}/v1/credit-reports/{serial}/verify",
        base.trim_end_matches('/')
    )
}

/// `+2`, `-5`, `0`: exact, without trailing zeros.
fn signed(points: Decimal) -> String {
    let p = points.normalize();
    if p > Decimal::ZERO {
        format!("+{p}")
    } else {
        p.to_string()
    }
}

/// What the report says of an event's repair on `day`.
fn repair_text(r: &CreditRecords, e: &CreditEventRecord, cycle_start: NaiveDate) -> String {
    if e.direction != Direction::Untrustworthy {
        return "—".to_owned();
    }
    let of_event = || r.repairs.iter().filter(|x| x.event == e.id);
    if let Some(day) = of_event()
        .filter(|x| x.status == RepairStatus::Approved)
        .filter_map(|x| x.decided_on)
        .min()
    {
        return format!("已修复（{day}）");
    }
    if e.date < cycle_start {
        return "周期届满自然修复".to_owned();
    }
    if of_event().any(|x| x.status == RepairStatus::Pending) {
        return "修复申请审核中".to_owned();
    }
    "未修复".to_owned()
}

/// The report's fields (pure): today's standing computed as the public credit page does
/// (`credit::standing`), with the events in force (a withdrawn event and its
/// withdrawal are not shown) in date order.
pub fn report_fields(
    scheme: &Scheme,
    r: &CreditRecords,
    serial: &str,
    verify_url: String,
    today: NaiveDate,
) -> Result<CreditReportFields, Problem> {
    let standing = credit::standing(scheme, &r.events, &r.repairs, today);
    let level = standing.level.as_ref().ok_or_else(|| {
        tracing::error!(org = %r.file.org, "credit standing without a level");
        Problem::internal()
    })?;
    let (cycle_start, cycle_end) = credit::cycle_on(scheme, today);
    let withdrawn: Vec<RecordId> = r.events.iter().filter_map(|e| e.withdraws).collect();
    let mut in_force: Vec<&CreditEventRecord> = r
        .events
        .iter()
        .filter(|e| e.withdraws.is_none() && !withdrawn.contains(&e.id))
        .collect();
    in_force.sort_by_key(|e| (e.date, e.id));
    let events = in_force
        .into_iter()
        .map(|e| ReportEvent {
            date: e.date,
            code: e.code.clone(),
            title: e.title_zh.clone(),
            article: e.article.clone(),
            points: signed(e.signed_points()),
            repair: repair_text(r, e, cycle_start),
        })
        .collect();
    Ok(CreditReportFields {
        serial: serial.to_owned(),
        authority_name: scheme.scheme.authority_zh.clone(),
        company_name: r.file.company_name.clone(),
        credit_code: r.file.org.as_str().to_owned(),
        scheme_id: scheme.scheme.id.to_string(),
        scheme_version: scheme.scheme.version.clone(),
        level_code: level.code.clone(),
        level_label: level.title_zh.clone(),
        score: standing.total.unwrap_or_default().normalize().to_string(),
        cycle_start,
        cycle_end,
        events,
        issue_date: today,
        verify_url,
        version: 1,
    })
}

fn parse_code(code: &str) -> Result<CreditCode, Problem> {
    CreditCode::parse_legacy(code)
        .map_err(|e| Problem::field(ProblemKind::Validation, "code", e.to_string()))
}

/// `POST /v1/credit/agencies/{code}/report`.
pub(crate) async fn issue<S, O, D>(
    app: &App<S, O, D>,
    req: &Request,
    code: &str,
) -> Result<Response<Body>, Problem>
where
    S: CertStore,
    O: PdfBucket,
{
    // Authorize (who may ask at all), load, authorize (whose file it is).
    let caller = app.auth.principal(req)?;
    company_or_staff(
        &caller,
        "只有该服务机构或登记管理机关工作人员可以出具信用报告",
    )?;
    let code = parse_code(code)?;
    let records = app
        .store
        .credit_records(&code)
        .await
        .map_err(store_problem)?
        .ok_or_else(|| {
            Problem::field(
                ProblemKind::NotFound,
                "code",
                format!("信用管理名录库中没有统一社会信用代码为 {code} 的服务机构"),
            )
        })?;
    caller.holder_or_staff_of(&records.file.org, &records.file.authority)?;

    // Decide (pure): the fields of today's standing; sign; render.
    let now: DateTime<Utc> = app.clock.now();
    let today = today(app);
    let scheme = scheme_in_force(SchemeId::FireCredit, today)?;
    let serial = RecordId::new_at(now).to_string();
    let url = verify_url(&app.settings.public_base_url, &serial);
    let fields = report_fields(scheme, &records, &serial, url.clone(), today)?;
    let signature = app.signing.signer.sign_report(&fields);
    let pdf = app
        .renderer
        .render_report(TEMPLATE, &fields, &signature)
        .map_err(|e| {
            tracing::error!(error = %e, "credit report render failure");
            Problem::internal()
        })?;

    // Save: the PDF first (a record never points at a missing object), then the record
    // with its audit event in one conditional transaction.
    let key = CreditReportRecord::object_key(&records.file.org, &serial);
    let record = CreditReportRecord {
        serial: serial.clone(),
        org: records.file.org.clone(),
        authority: records.file.authority.clone(),
        key: key.clone(),
        bytes: pdf.len() as u64,
        fields,
        signature: signature.as_str().to_owned(),
        key_id: app.signing.key_id.clone(),
        template: TEMPLATE.to_owned(),
        issued_by: Actor::from(&caller),
        issued_at: now,
        version: 1,
    };
    app.pdfs.put_pdf(&key, pdf).await.map_err(store_problem)?;
    let audit = AuditEvent::new(
        now,
        Actor::from(&caller),
        "credit_report.issued",
        record.entity(),
        None,
        serde_json::to_value(&record).ok(),
    );
    app.store
        .save_credit_report(&record, &audit)
        .await
        .map_err(store_problem)?;

    // Respond.
    let disposition =
        disposition::content_disposition(&record.fields.company_name, "信用报告", &serial);
    let download = app
        .pdfs
        .download_url(&key, &disposition, DOWNLOAD_URL_LIFETIME)
        .await
        .map_err(store_problem)?;
    Ok(json(
        201,
        &serde_json::json!({
            "serial": serial,
            "verify_url": url,
            "download_url": download,
            "expires_in_seconds": DOWNLOAD_URL_LIFETIME.as_secs(),
            "credit_code": record.fields.credit_code,
            "level_code": record.fields.level_code,
            "level_label": record.fields.level_label,
            "score": record.fields.score,
            "issue_date": record.fields.issue_date,
        }),
    ))
}

fn unknown_report(serial: &str) -> Problem {
    let shown: String = serial.chars().take(64).collect();
    Problem::field(
        ProblemKind::NotFound,
        "serial",
        format!("未找到编号为 {shown} 的信用报告：编号不存在或格式不正确"),
    )
}

async fn by_serial<S: CertStore>(
    store: &S,
    serial: &str,
) -> Result<Option<CreditReportRecord>, Problem> {
    if serial.parse::<RecordId>().is_err() {
        return Ok(None);
    }
    store.credit_report(serial).await.map_err(store_problem)
}

/// Whether the report's signature verifies with the published key it names.
fn signature_valid<S, O, D>(app: &App<S, O, D>, r: &CreditReportRecord) -> bool {
    let Ok(signature) = Signature::from_base64url(&r.signature) else {
        return false;
    };
    app.signing
        .published
        .iter()
        .filter(|k| k.key_id() == r.key_id)
        .any(|k| verify_report(&r.fields, &signature, k))
}

/// `GET /v1/credit-reports/{serial}`.
pub(crate) async fn public_json<S: CertStore, O, D>(
    app: &App<S, O, D>,
    serial: &str,
) -> Result<Response<Body>, Problem> {
    let r = by_serial(&app.store, serial)
        .await?
        .ok_or_else(|| unknown_report(serial))?;
    Ok(json(
        200,
        &serde_json::json!({
            "serial": r.serial,
            "verify_url": r.fields.verify_url,
            "issued_at": r.issued_at,
            "signed": {
                "canonical": String::from_utf8_lossy(&canonical_report_json(&r.fields)),
                "fields": r.fields,
                "alg": "EdDSA",
                "signature": r.signature,
                "key_id": r.key_id,
                "keys_url": keys_url(&app.settings),
            },
        }),
    ))
}

/// `GET /v1/credit-reports/{serial}/verify`.
pub(crate) async fn verify<S: CertStore, O, D>(app: &App<S, O, D>, serial: &str) -> Response<Body> {
    match by_serial(&app.store, serial).await {
        Ok(Some(r)) => html(
            200,
            page::credit_report_page(
                &r.fields,
                signature_valid(app, &r),
                &r.signature,
                &r.key_id,
                &keys_url(&app.settings),
            ),
        ),
        Ok(None) => html(404, page::report_not_found_page()),
        Err(p) => problem(&p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use standing_domain::credit::{BasicInfo, CreditFile, Repair};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn now() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 20, 2, 0, 0).unwrap()
    }

    fn code() -> CreditCode {
        CreditCode::parse_legacy("91410800MA44ABCD1X").unwrap()
    }

    fn event(conduct: &str, date: NaiveDate, withdraws: Option<RecordId>) -> CreditEventRecord {
        let untrustworthy = conduct.starts_with('U') || withdraws.is_some();
        CreditEventRecord {
            id: RecordId::new_at(now()),
            org: code(),
            code: if withdraws.is_some() {
                String::new()
            } else {
                conduct.to_owned()
            },
            title_zh: format!("行为 {conduct}"),
            direction: if untrustworthy {
                Direction::Untrustworthy
            } else {
                Direction::Trustworthy
            },
            article: "一（四）9".to_owned(),
            points: Decimal::new(25, 1),
            points_default: true,
            date,
            source: "监督检查".to_owned(),
            evidence: vec!["记录".to_owned()],
            withdraws,
            reason: withdraws.map(|_| "录入错误".to_owned()),
            recorded_by: Actor::system("test"),
            recorded_at: now(),
        }
    }

    fn repair(event: RecordId, status: RepairStatus, decided_on: Option<NaiveDate>) -> Repair {
        Repair {
            id: RecordId::new_at(now()),
            org: code(),
            authority: "jz-housing-bureau".to_owned(),
            event,
            statement: "已整改".to_owned(),
            evidence: vec![],
            filed_on: d(2026, 3, 11),
            answer_due_on: d(2026, 3, 18),
            status,
            decided_on,
            decided_by: None,
            decision_note: None,
            filed_by: Actor::system("test"),
            updated_at: now(),
            version: 1,
        }
    }

    #[test]
    fn the_report_shows_the_events_in_force_in_date_order_with_their_repair_status() {
        let today = d(2026, 3, 20);
        let scheme = scheme_in_force(SchemeId::FireCredit, today).unwrap();
        let trusted = event("T1", d(2026, 3, 5), None);
        let repaired = event("U9", d(2026, 3, 10), None);
        let pending = event("U9", d(2026, 2, 1), None);
        let last_cycle = event("U9", d(2025, 6, 1), None);
        let withdrawn = event("U9", d(2026, 3, 12), None);
        let withdrawal = event("U9", d(2026, 3, 13), Some(withdrawn.id));
        let open = event("U9", d(2026, 3, 18), None);
        let records = CreditRecords {
            file: CreditFile {
                org: code(),
                company_name: "焦作市测试消防技术服务有限公司".to_owned(),
                authority: "jz-housing-bureau".to_owned(),
                enrolled_on: d(2025, 1, 2),
                enrolled_by: Actor::system("test"),
                basic: BasicInfo::default(),
                score: Decimal::ONE_HUNDRED,
                level_code: "B".to_owned(),
                level_label: "B级".to_owned(),
                updated_at: now(),
                version: 1,
            },
            events: vec![
                trusted.clone(),
                repaired.clone(),
                pending.clone(),
                last_cycle.clone(),
                withdrawn.clone(),
                withdrawal,
                open.clone(),
            ],
            repairs: vec![
                repair(repaired.id, RepairStatus::Approved, Some(d(2026, 3, 15))),
                repair(pending.id, RepairStatus::Pending, None),
            ],
        };
        let url = verify_url("https://standing.example.cn/", "01KB");
        assert_eq!(
            url,
            "https://standing.example.cn/v1/credit-reports/01KB/verify"
        );
        let f = report_fields(scheme, &records, "01KB", url, today).unwrap();
        f.validate().unwrap();

        let standing = credit::standing(scheme, &records.events, &records.repairs, today);
        assert_eq!(
            f.score,
            standing.total.unwrap_or_default().normalize().to_string()
        );
        assert_eq!(
            Some(f.level_code.as_str()),
            standing.level.as_ref().map(|l| l.code.as_str())
        );
        assert!(f.cycle_start > last_cycle.date && f.cycle_start <= today && today <= f.cycle_end);
        assert_eq!(f.issue_date, today);
        assert_eq!(f.company_name, records.file.company_name);

        let shown: Vec<(NaiveDate, &str, &str)> = f
            .events
            .iter()
            .map(|e| (e.date, e.points.as_str(), e.repair.as_str()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (last_cycle.date, "-2.5", "周期届满自然修复"),
                (pending.date, "-2.5", "修复申请审核中"),
                (trusted.date, "+2.5", "—"),
                (repaired.date, "-2.5", "已修复（2026-03-15）"),
                (open.date, "-2.5", "未修复"),
            ],
            "a withdrawn event and its withdrawal are not shown"
        );
    }
}
