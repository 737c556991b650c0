//! Public notices (seed 000 第十六条: results are published for one week, open to
//! public supervision) and objections against them.
//!
//! A notice opens on the day it is published; its period is counted by 民法典 第二百零一条
//! from the next day (the opening day is not counted: a one-week notice opened on 11-24
//! runs through 12-01) and, by 第二百零三条, a last day that is a statutory day off moves
//! to the first working day after it (`Scheme::notice_ends_on`, `standing_schemes::period`).
//! It closes at midnight China time after its last day. Objections are accepted from the
//! moment it opens until it closes; staff decide them. The closing approves the application when no objection is
//! pending; an upheld objection withdraws the notice.

use crate::application::{Application, ApplicationKind, ApplicationStatus};
use crate::audit::{Actor, AuditEvent};
use crate::auth::Principal;
use crate::clock::{china_date, china_offset};
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use standing_schemes::Scheme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    Open,
    /// Closed with the application approved.
    Closed,
    /// Withdrawn after an upheld objection.
    Withdrawn,
}

impl NoticeStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeStatus::Open => "公示中",
            NoticeStatus::Closed => "公示期满，无异议",
            NoticeStatus::Withdrawn => "因异议成立撤回",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: RecordId,
    pub application_id: RecordId,
    pub application_kind: ApplicationKind,
    pub scheme: String,
    pub scheme_version: String,
    pub authority: String,
    pub authority_name: String,
    pub org: CreditCode,
    pub company_name: String,
    pub level_code: String,
    pub level_label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
    pub opened_at: DateTime<Utc>,
    /// The day the notice was published (China date; objections are accepted from then)
    /// and the last day of its period, counted from the day after `starts_on`
    /// (民法典 第二百零一、二百零三条).
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The instant the window ends: midnight China time after `ends_on`.
    pub closes_at: DateTime<Utc>,
    pub status: NoticeStatus,
    pub objections: u32,
    pub pending_objections: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    pub version: u64,
}

/// What the public sees of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicNotice {
    pub id: String,
    pub scheme: String,
    pub authority_name: String,
    pub company_name: String,
    pub credit_code: String,
    pub kind: ApplicationKind,
    pub level_code: String,
    pub level_label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub closes_at: DateTime<Utc>,
    pub status: NoticeStatus,
    pub status_label: &'static str,
    pub accepting_objections: bool,
    pub objections: u32,
}

/// The note the approval after a notice carries: the window ran out without an
/// objection upheld (seed 000 第十七条).
pub fn approval_note(n: &Notice) -> String {
    format!("公示期 {} 至 {} 期满无异议", n.starts_on, n.ends_on)
}

/// The instant a notice whose last day is `ends_on` closes: 00:00 China time the next
/// day.
pub fn closing_instant(ends_on: NaiveDate) -> DateTime<Utc> {
    let next = ends_on.succ_opt().unwrap_or(ends_on);
    next.and_time(NaiveTime::MIN)
        .and_local_timezone(china_offset())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl Notice {
    pub fn entity(&self) -> String {
        format!("notice/{}", self.id)
    }

    /// Open a notice for an application the review sent to publication, for the
    /// scheme's period (seed 000 第十六条: one week), counted as the law counts periods
    /// (`Scheme::notice_ends_on`).
    pub fn open(app: &Application, scheme: &Scheme, now: DateTime<Utc>) -> Result<Notice, Problem> {
        let result = app.result.as_ref().ok_or_else(Problem::internal)?;
        let starts_on = china_date(now);
        let ends_on = scheme
            .notice_ends_on(starts_on)
            .map_err(|_| Problem::internal())?
            .day;
        Ok(Notice {
            id: RecordId::new_at(now),
            application_id: app.id,
            application_kind: app.kind,
            scheme: app.scheme.as_str().to_owned(),
            scheme_version: result.scheme_version.clone(),
            authority: app.authority.clone(),
            authority_name: scheme.scheme.authority_zh.clone(),
            org: app.org.clone(),
            company_name: app.company_name.clone(),
            level_code: result.level_code.clone().unwrap_or_default(),
            level_label: result.level_label.clone().unwrap_or_default(),
            total: result.total,
            opened_at: now,
            starts_on,
            ends_on,
            closes_at: closing_instant(ends_on),
            status: NoticeStatus::Open,
            objections: 0,
            pending_objections: 0,
            closed_at: None,
            version: 1,
        })
    }

    pub fn accepting_objections(&self, now: DateTime<Utc>) -> bool {
        self.status == NoticeStatus::Open && now < self.closes_at
    }

    pub fn public_view(&self, now: DateTime<Utc>) -> PublicNotice {
        PublicNotice {
            id: self.id.to_string(),
            scheme: self.scheme.clone(),
            authority_name: self.authority_name.clone(),
            company_name: self.company_name.clone(),
            credit_code: self.org.to_string(),
            kind: self.application_kind,
            level_code: self.level_code.clone(),
            level_label: self.level_label.clone(),
            total: self.total,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            closes_at: self.closes_at,
            status: self.status,
            status_label: self.status.label_zh(),
            accepting_objections: self.accepting_objections(now),
            objections: self.objections,
        }
    }

    fn next(&self, now: DateTime<Utc>) -> Notice {
        let mut n = self.clone();
        n.version += 1;
        if n.status != NoticeStatus::Open && n.closed_at.is_none() {
            n.closed_at = Some(now);
        }
        n
    }

    fn audit(&self, before: &Notice, actor: Actor, action: &str, now: DateTime<Utc>) -> AuditEvent {
        AuditEvent::new(
            now,
            actor,
            action,
            self.entity(),
            serde_json::to_value(before).ok(),
            serde_json::to_value(self).ok(),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStatus {
    Pending,
    Upheld,
    Dismissed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionDecision {
    pub by: Actor,
    pub at: DateTime<Utc>,
    pub reason: String,
    /// For an upheld objection: `review` (back to a staff check) or `reject`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<String>,
}

/// An objection. Name and contact are kept for staff only, never shown publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub id: RecordId,
    pub notice_id: RecordId,
    pub name: String,
    pub contact: String,
    pub text: String,
    pub filed_at: DateTime<Utc>,
    /// A keyed hash of the source address (for the rate limit and abuse review).
    pub source: String,
    pub status: ObjectionStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ObjectionDecision>,
    pub version: u64,
}

impl Objection {
    pub fn entity(&self) -> String {
        format!("notice/{}/objection/{}", self.notice_id, self.id)
    }
}

/// File an objection during the window: `{"name", "contact", "text"}`, all required.
pub fn file_objection(
    notice: &Notice,
    body: &Value,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(Notice, Objection, AuditEvent), Problem> {
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["name", "contact", "text"], &mut errors);
    let name = root.text("name", 1, 50, &mut errors);
    let contact = root.text("contact", 5, 100, &mut errors);
    let text = root.multiline_text("text", 5, 2000, &mut errors);
    errors.finish(|| ())?;
    if !notice.accepting_objections(now) {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "notice",
            format!(
                "公示期为 {} 至 {}，已结束，不再受理异议",
                notice.starts_on, notice.ends_on
            ),
        ));
    }
    let objection = Objection {
        id: RecordId::new_at(now),
        notice_id: notice.id,
        name,
        contact,
        text,
        filed_at: now,
        source: source.to_owned(),
        status: ObjectionStatus::Pending,
        decision: None,
        version: 1,
    };
    let mut next = notice.next(now);
    next.objections += 1;
    next.pending_objections += 1;
    // The audit names the objection, not the objector's personal data.
    let audit = AuditEvent::new(
        now,
        Actor {
            role: "public".into(),
            id: format!("source:{source}"),
            authority: None,
        },
        "notice.objection_filed",
        objection.entity(),
        None,
        Some(
            serde_json::json!({"objection": objection.id.to_string(), "notice": notice.id.to_string()}),
        ),
    );
    Ok((next, objection, audit))
}

/// What a staff decision on an objection changes.
#[derive(Debug, Clone)]
pub struct ObjectionOutcome {
    pub notice: Notice,
    pub objection: Objection,
    /// The application, when an upheld objection sends it back or rejects it.
    pub application: Option<Application>,
    pub audit: AuditEvent,
}

/// Staff decide an objection: `{"decision": "dismissed" | "upheld", "reason": ..,
/// "then": "review" | "reject"}` (`then` only for upheld). Dismissed: the notice goes
/// on. Upheld: the notice is withdrawn and the application goes back to a staff check
/// or is rejected.
pub fn decide_objection(
    notice: &Notice,
    objection: &Objection,
    app: &Application,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<ObjectionOutcome, Problem> {
    caller.staff_of(&notice.authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["decision", "reason", "then"], &mut errors);
    let decision = root.text("decision", 1, 20, &mut errors);
    let reason = root.multiline_text("reason", 2, 1000, &mut errors);
    let then = root.optional_text("then", 1, 20, &mut errors);
    errors.finish(|| ())?;
    if objection.status != ObjectionStatus::Pending {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "objection",
            "该异议已处理",
        ));
    }
    if notice.status != NoticeStatus::Open {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "notice",
            "该公示已结束",
        ));
    }
    let actor = Actor::from(caller);
    let mut next_notice = notice.next(now);
    next_notice.pending_objections = next_notice.pending_objections.saturating_sub(1);
    let mut next_objection = objection.clone();
    next_objection.version += 1;
    let (status, application) = match (decision.as_str(), then.as_deref()) {
        ("dismissed", None) => (ObjectionStatus::Dismissed, None),
        ("dismissed", Some(_)) => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "then",
                "驳回异议时不填写 then",
            ));
        }
        ("upheld", Some(t @ ("review" | "reject"))) => {
            next_notice.status = NoticeStatus::Withdrawn;
            next_notice.closed_at = Some(now);
            let (status, note) = if t == "review" {
                (ApplicationStatus::StaffCheck, "公示异议成立，退回人工核验")
            } else {
                (ApplicationStatus::Rejected, "公示异议成立，不予通过")
            };
            let mut next_app =
                app.transition(status, &actor, Some(format!("{note}：{reason}")), now);
            next_app.notice_id = None;
            if status == ApplicationStatus::StaffCheck {
                next_app.pending_checks = vec!["objection".to_owned()];
            }
            (ObjectionStatus::Upheld, Some(next_app))
        }
        ("upheld", _) => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "then",
                "异议成立时须填写 then：review（退回人工核验）或 reject（不予通过）",
            ));
        }
        _ => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "decision",
                "decision 应为 dismissed（驳回）或 upheld（成立）",
            ));
        }
    };
    next_objection.status = status;
    next_objection.decision = Some(ObjectionDecision {
        by: actor.clone(),
        at: now,
        reason,
        then,
    });
    let action = match status {
        ObjectionStatus::Upheld => "notice.objection_upheld",
        _ => "notice.objection_dismissed",
    };
    let audit = next_notice.audit(notice, actor, action, now);
    Ok(ObjectionOutcome {
        notice: next_notice,
        objection: next_objection,
        application,
        audit,
    })
}

/// What the closing job decides for one notice.
#[derive(Debug, Clone, PartialEq)]
pub enum Closing {
    /// Already closed or withdrawn: nothing to do (closing twice changes nothing).
    AlreadyDone,
    /// The window has not ended yet.
    NotDue,
    /// The window ended but objections await a decision; the sweep tries again.
    ObjectionsPending(u32),
    /// Close it and approve the application.
    Approve {
        notice: Box<Notice>,
        audit: Box<AuditEvent>,
    },
}

/// Decide whether a notice closes now (seed 000 第十七条: approved once the notice
/// passes without objection).
pub fn close(notice: &Notice, now: DateTime<Utc>) -> Closing {
    if notice.status != NoticeStatus::Open {
        return Closing::AlreadyDone;
    }
    if now < notice.closes_at {
        return Closing::NotDue;
    }
    if notice.pending_objections > 0 {
        return Closing::ObjectionsPending(notice.pending_objections);
    }
    let mut next = notice.next(now);
    next.status = NoticeStatus::Closed;
    next.closed_at = Some(now);
    let audit = next.audit(
        notice,
        Actor::system("notice-closing"),
        "notice.closed",
        now,
    );
    Closing::Approve {
        notice: Box::new(next),
        audit: Box::new(audit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn notice(opened: DateTime<Utc>) -> Notice {
        let starts_on = china_date(opened);
        let ends_on = scheme().notice_ends_on(starts_on).unwrap().day;
        Notice {
            id: RecordId::new_at(opened),
            application_id: RecordId::new_at(opened),
            application_kind: ApplicationKind::Initial,
            scheme: "capability-grade".into(),
            scheme_version: "2024-01-01".into(),
            authority: "nmg-security-association".into(),
            authority_name: "内蒙古自治区公共安全技术防范行业协会".into(),
            org: CreditCode::parse("91110108551385082Q").unwrap(),
            company_name: "内蒙古安全防范技术有限公司".into(),
            level_code: "2".into(),
            level_label: "二级".into(),
            total: None,
            opened_at: opened,
            starts_on,
            ends_on,
            closes_at: closing_instant(ends_on),
            status: NoticeStatus::Open,
            objections: 0,
            pending_objections: 0,
            closed_at: None,
            version: 1,
        }
    }

    fn scheme() -> &'static Scheme {
        standing_schemes::Registry::builtin()
            .unwrap()
            .in_force(
                standing_schemes::SchemeId::CapabilityGrade,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            )
            .unwrap()
    }

    fn objection_body() -> Value {
        serde_json::json!({"name": "王五", "contact": "13900000000", "text": "业绩材料存疑"})
    }

    #[test]
    fn objections_are_accepted_until_the_last_second_of_day_seven() {
        // Opened 2026-12-01 (Tuesday): days 1..7 are 12-02..12-08.
        let n = notice(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap());
        assert_eq!(n.ends_on, NaiveDate::from_ymd_opt(2026, 12, 8).unwrap());
        let last = Utc.with_ymd_and_hms(2026, 12, 8, 15, 59, 59).unwrap();
        let (next, o, audit) = file_objection(&n, &objection_body(), "src", last).unwrap();
        assert_eq!(next.pending_objections, 1);
        assert_eq!(o.status, ObjectionStatus::Pending);
        // The audit trail does not carry the objector's personal data.
        let trail = serde_json::to_string(&audit).unwrap();
        assert!(!trail.contains("13900000000") && !trail.contains("王五"));
        let after = Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap();
        assert_eq!(
            file_objection(&n, &objection_body(), "src", after)
                .unwrap_err()
                .status(),
            409
        );
        let mut missing = objection_body();
        missing.as_object_mut().unwrap().remove("contact");
        assert_eq!(
            file_objection(&n, &missing, "src", last)
                .unwrap_err()
                .status(),
            422
        );
    }

    #[test]
    fn closing_waits_for_the_window_and_for_pending_objections() {
        let n = notice(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap());
        let before = Utc.with_ymd_and_hms(2026, 12, 8, 15, 59, 59).unwrap();
        let due = Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap();
        assert_eq!(close(&n, before), Closing::NotDue);
        let (with_objection, _, _) = file_objection(&n, &objection_body(), "s", before).unwrap();
        assert_eq!(close(&with_objection, due), Closing::ObjectionsPending(1));
        let Closing::Approve { notice: closed, .. } = close(&n, due) else {
            panic!("due and nothing pending: approve");
        };
        assert_eq!(closed.status, NoticeStatus::Closed);
        assert_eq!(close(&closed, due), Closing::AlreadyDone);
    }

    #[test]
    fn a_week_long_notice_closes_at_midnight_china_time_after_day_seven() {
        // Opened 2026-12-01 10:00 China time: days 1..7 are 12-02..12-08.
        let ends = scheme()
            .notice_ends_on(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
            .unwrap()
            .day;
        assert_eq!(ends, NaiveDate::from_ymd_opt(2026, 12, 8).unwrap());
        let closes = closing_instant(ends);
        assert_eq!(closes, Utc.with_ymd_and_hms(2026, 12, 8, 16, 0, 0).unwrap());
    }

    #[test]
    fn notice_periods_at_month_and_year_ends_and_over_holidays() {
        // (opened on, last day, why): seed 000 第十六条 one week, 民法典 第二百零一条 (the
        // opening day is not counted) and 第二百零三条 (a last day off moves on).
        let table = [
            (
                "2026-11-24",
                "2026-12-01",
                "the issue's example: the 24th runs to the 1st",
            ),
            (
                "2024-01-28",
                "2024-02-04",
                "Sunday 02-04 is a make-up working day",
            ),
            (
                "2025-01-28",
                "2025-02-05",
                "day 7 is 02-04, the last day of the Spring Festival",
            ),
            ("2026-01-28", "2026-02-04", "a Wednesday"),
            (
                "2024-02-24",
                "2024-03-04",
                "leap year: day 7 is Saturday 03-02",
            ),
            ("2025-02-24", "2025-03-03", "non-leap year: a Monday"),
            ("2026-02-24", "2026-03-03", "non-leap year: a Tuesday"),
            ("2024-12-27", "2025-01-03", "over the year end, a Friday"),
            (
                "2025-12-27",
                "2026-01-04",
                "New Year 01-01..03; Sunday 01-04 is worked",
            ),
            (
                "2026-02-08",
                "2026-02-24",
                "day 7 is 02-15, in the Spring Festival 02-15..23",
            ),
            (
                "2025-09-26",
                "2025-10-09",
                "day 7 is 10-03, in National Day 10-01..08",
            ),
            (
                "2024-09-26",
                "2024-10-08",
                "day 7 is 10-03, in National Day 10-01..07",
            ),
            (
                "2026-09-28",
                "2026-10-08",
                "day 7 is 10-05, in National Day 10-01..07",
            ),
        ];
        for (opened, last, why) in table {
            let opened: NaiveDate = opened.parse().unwrap();
            let last: NaiveDate = last.parse().unwrap();
            let end = scheme().notice_ends_on(opened).unwrap();
            assert_eq!((end.day, end.holidays_known), (last, true), "{why}");
            let at = china_offset()
                .from_local_datetime(&opened.and_hms_opt(10, 0, 0).unwrap())
                .unwrap()
                .with_timezone(&Utc);
            let n = notice(at);
            assert_eq!((n.starts_on, n.ends_on), (opened, last), "{why}");
            assert!(n.accepting_objections(closing_instant(last) - chrono::Duration::seconds(1)));
            assert!(!n.accepting_objections(closing_instant(last)), "{why}");
        }
        // Day 7 in a year whose holidays the calendar does not hold yet: only the weekend
        // is known to be off (2027-01-02 is a Saturday), and the answer says so.
        let end = scheme()
            .notice_ends_on(NaiveDate::from_ymd_opt(2026, 12, 26).unwrap())
            .unwrap();
        assert_eq!(end.day, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        assert!(!end.holidays_known);
    }

    #[test]
    fn the_approval_note_names_the_window_that_ran_out() {
        let n = notice(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap());
        assert_eq!(
            approval_note(&n),
            format!("公示期 {} 至 {} 期满无异议", n.starts_on, n.ends_on)
        );
        assert!(approval_note(&n).starts_with("公示期 2026-12-0"));
    }
}
