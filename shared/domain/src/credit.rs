//! Credit records of fire-technology service agencies (seed 002): the agencies the
//! housing bureau keeps in its register (一), the trustworthy and untrustworthy conduct it
//! records (一（三）、一（四）), the score (base 100) and level A-D it gives in real time
//! (二), and repair applications (三). Every change is a record: an event is corrected
//! or withdrawn by a later event, never edited.

use crate::audit::{Actor, AuditEvent};
use crate::auth::{Access, Principal};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::organization::Organization;
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use standing_schemes::model::Direction;
use standing_schemes::{CreditEvent, Facts, Report, Scheme, WorkCalendar, evaluate};

/// An agency in the credit register, with its current standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditFile {
    pub org: CreditCode,
    pub company_name: String,
    /// The authority that keeps the register (its staff record events and decide repairs).
    pub authority: String,
    pub enrolled_on: NaiveDate,
    pub enrolled_by: Actor,
    /// Basic information of 一（二）1 as the agency reported it.
    pub basic: BasicInfo,
    /// The score and level as last computed (they change with every event and repair,
    /// and when a cycle ends: [`standing`] recomputes them for any day).
    pub score: Decimal,
    pub level_code: String,
    pub level_label: String,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// 一（二）1: the agency's basic information (what the register shows of it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicInfo {
    /// 工作场所建筑面积, m².
    pub floor_area_m2: u64,
    /// 注册消防工程师.
    pub registered_fire_engineers: u64,
    /// 消防设施操作员.
    pub facility_operators: u64,
    /// 质量管理体系 in place.
    pub quality_system: bool,
}

/// An agency's records as one read gives them: its file, events and repairs.
#[derive(Debug, Clone)]
pub struct CreditRecords {
    pub file: CreditFile,
    pub events: Vec<CreditEventRecord>,
    pub repairs: Vec<Repair>,
}

/// One recorded conduct, or the withdrawal of an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditEventRecord {
    pub id: RecordId,
    pub org: CreditCode,
    /// Conduct code of the scheme (`T1`..`T5`, `U1`..`U11`); empty for a withdrawal.
    pub code: String,
    pub title_zh: String,
    /// Trustworthy (adds points) or untrustworthy (takes them off).
    pub direction: Direction,
    /// The article of the seed the conduct comes from (e.g. "一（四）6").
    pub article: String,
    /// The points the scheme gives it (a default where the seed's table is missing).
    pub points: Decimal,
    pub points_default: bool,
    /// Date of the conduct.
    pub date: NaiveDate,
    /// Where the information came from (一（五）).
    pub source: String,
    /// Evidence references (documents, inspection records).
    pub evidence: Vec<String>,
    /// A withdrawal: the event it withdraws, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdraws: Option<RecordId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub recorded_by: Actor,
    pub recorded_at: DateTime<Utc>,
}

impl CreditEventRecord {
    pub fn entity(&self) -> String {
        format!("credit-event/{}", self.id)
    }

    /// The points with their sign: added for trustworthy conduct, taken off for
    /// untrustworthy conduct (before any cap per cycle, repair or natural repair).
    pub fn signed_points(&self) -> Decimal {
        if self.direction == Direction::Untrustworthy {
            -self.points
        } else {
            self.points
        }
    }

    /// What the public sees: the conduct, its date and signed points, never who recorded
    /// it.
    pub fn public_view(&self) -> Value {
        serde_json::json!({
            "id": self.id.to_string(),
            "code": self.code,
            "title_zh": self.title_zh,
            "direction": self.direction,
            "article": self.article,
            "points": self.signed_points().normalize(),
            "date": self.date,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairStatus {
    Pending,
    Approved,
    Refused,
}

/// A repair application (三（二）): for one untrustworthy event, with the materials of
/// 三（二）; the bureau answers within `repair_answer_working_days` working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    pub id: RecordId,
    pub org: CreditCode,
    pub authority: String,
    pub event: RecordId,
    pub statement: String,
    pub evidence: Vec<String>,
    pub filed_on: NaiveDate,
    /// The last day of the answer period, on the official working-day calendar.
    pub answer_due_on: NaiveDate,
    pub status: RepairStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    pub filed_by: Actor,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl Repair {
    pub fn entity(&self) -> String {
        format!("repair/{}", self.id)
    }

    /// Still unanswered after its due day.
    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.status == RepairStatus::Pending && today > self.answer_due_on
    }
}

fn audit<T: Serialize>(
    now: DateTime<Utc>,
    actor: Actor,
    action: &str,
    entity: String,
    before: Option<&T>,
    after: &T,
) -> AuditEvent {
    AuditEvent::new(
        now,
        actor,
        action,
        entity,
        before.and_then(|b| serde_json::to_value(b).ok()),
        serde_json::to_value(after).ok(),
    )
}

/// The score and level on `day` from the events and the approved repairs: withdrawn
/// events and withdrawals do not count, an approved repair restores its event's points
/// from its day (三（二）), events of an earlier cycle are repaired naturally (三（一）).
pub fn standing(
    scheme: &Scheme,
    events: &[CreditEventRecord],
    repairs: &[Repair],
    day: NaiveDate,
) -> Report {
    let withdrawn: Vec<RecordId> = events.iter().filter_map(|e| e.withdraws).collect();
    let mut facts = Facts::new(day);
    facts.credit_events = events
        .iter()
        .filter(|e| e.withdraws.is_none() && !withdrawn.contains(&e.id))
        .map(|e| CreditEvent {
            id: e.id.to_string(),
            code: e.code.clone(),
            date: e.date,
            repaired_on: repairs
                .iter()
                .filter(|r| r.event == e.id && r.status == RepairStatus::Approved)
                .filter_map(|r| r.decided_on)
                .min(),
        })
        .collect();
    evaluate(scheme, &facts)
}

/// The file with the standing of `report`.
fn restated(file: &CreditFile, report: &Report, now: DateTime<Utc>) -> CreditFile {
    let mut next = file.clone();
    next.score = report.total.unwrap_or_default();
    (next.level_code, next.level_label) = report
        .level
        .as_ref()
        .map(|l| (l.code.clone(), l.title_zh.clone()))
        .unwrap_or_default();
    next.updated_at = now;
    next.version += 1;
    next
}

/// Staff of the bureau enter a registered company in the register with its basic
/// information: `{"floor_area_m2", "registered_fire_engineers", "facility_operators",
/// "quality_system"}`. It starts at the base score.
pub fn enrol(
    org: &Organization,
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(CreditFile, AuditEvent), Problem> {
    let authority = scheme.authority_id().map_err(|_| Problem::internal())?;
    caller.staff_of(authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &[
            "floor_area_m2",
            "registered_fire_engineers",
            "facility_operators",
            "quality_system",
        ],
        &mut errors,
    );
    let basic = BasicInfo {
        floor_area_m2: root
            .required_u64("floor_area_m2", 0, 10_000_000, &mut errors)
            .unwrap_or_default(),
        registered_fire_engineers: root
            .required_u64("registered_fire_engineers", 0, 100_000, &mut errors)
            .unwrap_or_default(),
        facility_operators: root
            .required_u64("facility_operators", 0, 100_000, &mut errors)
            .unwrap_or_default(),
        quality_system: root
            .required_flag("quality_system", &mut errors)
            .unwrap_or_default(),
    };
    errors.finish(|| ())?;
    let today = china_date(now);
    let report = standing(scheme, &[], &[], today);
    let actor = Actor::from(caller);
    let file = CreditFile {
        org: org.code.clone(),
        company_name: org.name.clone(),
        authority: authority.to_owned(),
        enrolled_on: today,
        enrolled_by: actor.clone(),
        basic,
        score: Decimal::ZERO,
        level_code: String::new(),
        level_label: String::new(),
        updated_at: now,
        version: 0,
    };
    let file = restated(&file, &report, now);
    let audit = audit(
        now,
        actor,
        "credit.enrolled",
        format!("credit/{}", file.org),
        None,
        &file,
    );
    Ok((file, audit))
}

/// What recording an event writes: the event, the file with its new standing, and the
/// audit of each.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub event: CreditEventRecord,
    pub event_audit: AuditEvent,
    pub file: CreditFile,
    pub file_audit: AuditEvent,
}

/// Staff record a conduct `{"code", "date", "source", "evidence": [..]}` or withdraw an
/// earlier event `{"withdraws": <id>, "reason"}`. The score and level follow at once.
pub fn record(
    r: &CreditRecords,
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<Recorded, Problem> {
    let (file, events, repairs) = (&r.file, &r.events, &r.repairs);
    caller.staff_of(&file.authority)?;
    let credit = scheme.credit.as_ref().ok_or_else(Problem::internal)?;
    let today = china_date(now);
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let actor = Actor::from(caller);
    let event = if root.value("withdraws").is_some() {
        root.deny_unknown(&["withdraws", "reason"], &mut errors);
        let target = root.text("withdraws", 1, 64, &mut errors);
        let reason = root.multiline_text("reason", 2, 1000, &mut errors);
        errors.finish(|| ())?;
        let Some(of) = events
            .iter()
            .find(|e| e.id.to_string() == target && e.withdraws.is_none())
        else {
            return Err(Problem::field(
                ProblemKind::Validation,
                "withdraws",
                format!("本机构名下没有编号为 {target} 的信用记录"),
            ));
        };
        if events.iter().any(|e| e.withdraws == Some(of.id)) {
            return Err(Problem::field(
                ProblemKind::Conflict,
                "withdraws",
                "该信用记录已撤回",
            ));
        }
        CreditEventRecord {
            id: RecordId::new_at(now),
            org: file.org.clone(),
            code: String::new(),
            title_zh: format!("撤回信用记录：{}", of.title_zh),
            direction: of.direction,
            article: of.article.clone(),
            points: Decimal::ZERO,
            points_default: false,
            date: today,
            source: String::new(),
            evidence: Vec::new(),
            withdraws: Some(of.id),
            reason: Some(reason),
            recorded_by: actor.clone(),
            recorded_at: now,
        }
    } else {
        root.deny_unknown(&["code", "date", "source", "evidence"], &mut errors);
        let code = root.text("code", 1, 16, &mut errors);
        let date = root.date("date", &mut errors);
        let source = root.multiline_text("source", 2, 500, &mut errors);
        let evidence = root.texts("evidence", 20, 1, 200, &mut errors);
        if evidence.is_empty() && root.value("evidence").is_some() {
            errors.push("evidence", "至少提供一项证据");
        }
        let kind = credit.conduct.iter().find(|k| k.code == code);
        if kind.is_none() && !code.is_empty() {
            errors.push(
                "code",
                format!(
                    "计分标准中没有代码 {code}（可选：{}）",
                    credit
                        .conduct
                        .iter()
                        .map(|k| k.code.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
        }
        if let Some(d) = date
            && d > today
        {
            errors.push("date", "信用行为的日期不能晚于今天");
        }
        let (Some(kind), Some(date)) = (kind, date) else {
            return Err(errors.finish(|| ()).err().unwrap_or_else(Problem::internal));
        };
        errors.finish(|| ())?;
        if evidence.is_empty() {
            return Err(Problem::field(
                ProblemKind::Validation,
                "evidence",
                "记录信用行为须附证据（一（五））",
            ));
        }
        CreditEventRecord {
            id: RecordId::new_at(now),
            org: file.org.clone(),
            code: kind.code.clone(),
            title_zh: kind.title_zh.clone(),
            direction: kind.direction,
            article: kind.seed.article.clone(),
            points: kind.points.0,
            points_default: kind.default,
            date,
            source,
            evidence,
            withdraws: None,
            reason: None,
            recorded_by: actor.clone(),
            recorded_at: now,
        }
    };
    let mut all = events.to_vec();
    all.push(event.clone());
    let report = standing(scheme, &all, repairs, today);
    let next = restated(file, &report, now);
    let action = if event.withdraws.is_some() {
        "credit.event_withdrawn"
    } else {
        "credit.event_recorded"
    };
    Ok(Recorded {
        event_audit: audit(now, actor.clone(), action, event.entity(), None, &event),
        file_audit: audit(
            now,
            actor,
            "credit.restated",
            format!("credit/{}", next.org),
            Some(file),
            &next,
        ),
        event,
        file: next,
    })
}

/// The agency applies for repair of an untrustworthy event it has corrected:
/// `{"event", "statement", "evidence": [..]}` (三（二）). Refused at level D (三（四）),
/// for an event not in force (withdrawn, repaired, of an earlier cycle) or already
/// waiting on an answer; the answer is due `repair_answer_working_days` working days
/// after filing (三（三）), on the official calendar.
pub fn apply_repair(
    r: &CreditRecords,
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Result<(Repair, AuditEvent), Problem> {
    let (file, events, repairs) = (&r.file, &r.events, &r.repairs);
    match caller.holder_or_staff_of(&file.org, &file.authority)? {
        Access::Holder => {}
        Access::Staff => return Err(caller.deny("信用修复由服务机构本身申请")),
    }
    let today = china_date(now);
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["event", "statement", "evidence"], &mut errors);
    let event_id = root.text("event", 1, 64, &mut errors);
    let statement = root.multiline_text("statement", 2, 2000, &mut errors);
    let evidence = root.texts("evidence", 20, 1, 200, &mut errors);
    errors.finish(|| ())?;
    let report = standing(scheme, events, repairs, today);
    if let Some(level) = report.level.as_ref()
        && let Some(def) = scheme.levels.iter().find(|l| l.code == level.code)
        && !def.repairable
    {
        return Err(Problem::field(
            ProblemKind::Forbidden,
            "event",
            format!(
                "本机构当前信用等级为{}，不予修复（{}）",
                def.title_zh, def.seed
            ),
        ));
    }
    let materials = scheme
        .param_list("repair_materials")
        .map(|l| l.join("、"))
        .unwrap_or_default();
    if evidence.is_empty() {
        return Err(Problem::field(
            ProblemKind::Validation,
            "evidence",
            format!("请提交修复材料：{materials}（三（二））"),
        ));
    }
    let Some(event) = events
        .iter()
        .find(|e| e.id.to_string() == event_id && e.withdraws.is_none())
    else {
        return Err(Problem::field(
            ProblemKind::Validation,
            "event",
            format!("本机构名下没有编号为 {event_id} 的信用记录"),
        ));
    };
    let line = report
        .lines
        .iter()
        .find(|l| l.rule_id == format!("{}:{}", event.code, event.id));
    let counts = line.is_some_and(|l| l.points.is_some_and(|p| p < Decimal::ZERO));
    if event.direction != Direction::Untrustworthy || !counts {
        return Err(Problem::field(
            ProblemKind::Validation,
            "event",
            "只能对正在扣分的失信记录申请修复（已撤回、已修复或上一周期的记录不需修复）",
        ));
    }
    if repairs
        .iter()
        .any(|r| r.event == event.id && r.status == RepairStatus::Pending)
    {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "event",
            "该记录已有待答复的修复申请",
        ));
    }
    let days = match scheme
        .parameters
        .get("repair_answer_working_days")
        .map(|p| &p.value)
    {
        Some(standing_schemes::model::ParamValue::Int(n)) => {
            u32::try_from(*n).map_err(|_| Problem::internal())?
        }
        _ => return Err(Problem::internal()),
    };
    let answer_due_on = calendar.add_working_days(today, days).map_err(|e| {
        Problem::new(
            ProblemKind::Unavailable,
            format!("工作日历未覆盖答复期限所在年份，暂不能受理：{e}"),
        )
    })?;
    let actor = Actor::from(caller);
    let repair = Repair {
        id: RecordId::new_at(now),
        org: file.org.clone(),
        authority: file.authority.clone(),
        event: event.id,
        statement,
        evidence,
        filed_on: today,
        answer_due_on,
        status: RepairStatus::Pending,
        decided_on: None,
        decided_by: None,
        decision_note: None,
        filed_by: actor.clone(),
        updated_at: now,
        version: 1,
    };
    let a = audit(now, actor, "repair.filed", repair.entity(), None, &repair);
    Ok((repair, a))
}

/// Staff answer a repair: `{"approve": bool, "note"}` (a refusal needs its note). An
/// approval restores the event's points from today; the file is restated.
pub fn decide_repair(
    r: &CreditRecords,
    repair: &Repair,
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(Repair, AuditEvent, CreditFile, AuditEvent), Problem> {
    let (file, events, repairs) = (&r.file, &r.events, &r.repairs);
    caller.staff_of(&repair.authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["approve", "note"], &mut errors);
    let approve = root.required_flag("approve", &mut errors);
    let note = root.optional_multiline_text("note", 2, 1000, &mut errors);
    errors.finish(|| ())?;
    let approve = approve.ok_or_else(Problem::internal)?;
    if repair.status != RepairStatus::Pending {
        return Err(Problem::conflict("该修复申请已答复"));
    }
    if !approve && note.is_none() {
        return Err(Problem::field(
            ProblemKind::Validation,
            "note",
            "不同意修复的，应说明理由",
        ));
    }
    let today = china_date(now);
    let actor = Actor::from(caller);
    let mut next = repair.clone();
    next.status = if approve {
        RepairStatus::Approved
    } else {
        RepairStatus::Refused
    };
    next.decided_on = Some(today);
    next.decided_by = Some(actor.clone());
    next.decision_note = note;
    next.updated_at = now;
    next.version += 1;
    let mut all: Vec<Repair> = repairs
        .iter()
        .filter(|r| r.id != repair.id)
        .cloned()
        .collect();
    all.push(next.clone());
    let report = standing(scheme, events, &all, today);
    let file_next = restated(file, &report, now);
    let action = if approve {
        "repair.approved"
    } else {
        "repair.refused"
    };
    Ok((
        next.clone(),
        audit(
            now,
            actor.clone(),
            action,
            next.entity(),
            Some(repair),
            &next,
        ),
        file_next.clone(),
        audit(
            now,
            actor,
            "credit.restated",
            format!("credit/{}", file.org),
            Some(file),
            &file_next,
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;
    use standing_schemes::{Registry, SchemeId};

    const BUREAU: &str = "jz-housing-bureau";

    fn scheme() -> &'static Scheme {
        Registry::builtin()
            .unwrap()
            .in_force(
                SchemeId::FireCredit,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            )
            .unwrap()
    }

    fn staff(authority: &str) -> Principal {
        Principal::Staff {
            subject: "clerk".into(),
            authority: authority.into(),
        }
    }

    /// 10:00 China time.
    fn on(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
    }

    fn enrolled(now: DateTime<Utc>) -> CreditFile {
        let org = crate::application::tests::org(false);
        enrol(
            &org,
            &json!({"floor_area_m2": 300, "registered_fire_engineers": 3,
                    "facility_operators": 6, "quality_system": true}),
            &staff(BUREAU),
            scheme(),
            now,
        )
        .unwrap()
        .0
    }

    fn add(
        file: &mut CreditFile,
        events: &mut Vec<CreditEventRecord>,
        code: &str,
        now: DateTime<Utc>,
    ) -> RecordId {
        let body = json!({"code": code, "date": china_date(now).to_string(),
                          "source": "监督检查", "evidence": ["检查记录.pdf"]});
        let records = CreditRecords {
            file: file.clone(),
            events: events.clone(),
            repairs: Vec::new(),
        };
        let r = record(&records, &body, &staff(BUREAU), scheme(), now).unwrap();
        *file = r.file;
        events.push(r.event.clone());
        r.event.id
    }

    #[test]
    fn the_level_follows_every_event_across_each_boundary() {
        let now = on(2026, 3, 2);
        let mut file = enrolled(now);
        let mut events = Vec::new();
        // Base 100 is B (A is above 100, not including it).
        assert_eq!(
            (file.score, file.level_code.as_str()),
            (Decimal::from(100), "B")
        );
        // (conduct, score after, level): T1 +5, U6 -10, U8 -20, U9 -5, U10 -5, U7 -10...
        for (code, score, level) in [
            ("T1", 105, "A"),
            ("U9", 100, "B"),
            ("U6", 90, "B"),
            ("U7", 80, "C"),
            ("U10", 75, "C"),
            ("U11", 70, "C"),
            ("U4", 60, "C"),
            ("U9", 55, "D"),
        ] {
            add(&mut file, &mut events, code, now);
            assert_eq!(
                (file.score, file.level_code.as_str()),
                (Decimal::from(score), level),
                "after {code}"
            );
        }
        // A withdrawal restores the points at once; it is an event, the first stays.
        let last = events.last().unwrap().id;
        let records = CreditRecords {
            file: file.clone(),
            events: events.clone(),
            repairs: Vec::new(),
        };
        let r = record(
            &records,
            &json!({"withdraws": last.to_string(), "reason": "记录有误"}),
            &staff(BUREAU),
            scheme(),
            now,
        )
        .unwrap();
        assert_eq!(
            (r.file.score, r.file.level_code.as_str()),
            (Decimal::from(60), "C")
        );
        assert_eq!(r.event.withdraws, Some(last));
        // Only the bureau's staff record.
        let other = record(
            &records,
            &json!({}),
            &staff("nmg-security-association"),
            scheme(),
            now,
        );
        assert_eq!(other.unwrap_err().status(), 403);
    }

    #[test]
    fn repair_answers_are_due_in_working_days_across_the_holidays() {
        for (filed, due) in [
            // Spring Festival 2026 (15-23 February; 14 and 28 February are working days).
            ((2026, 2, 13), (2026, 2, 27)),
            // National Day 2026 (1-7 October; 10 October is a working day).
            ((2026, 9, 30), (2026, 10, 13)),
            // An ordinary week.
            ((2026, 3, 2), (2026, 3, 9)),
        ] {
            let now = on(filed.0, filed.1, filed.2);
            let mut file = enrolled(now);
            let mut events = Vec::new();
            let event = add(&mut file, &mut events, "U6", now);
            let holder = Principal::Applicant {
                subject: "agency".into(),
                org: file.org.clone(),
            };
            let mut records = CreditRecords {
                file: file.clone(),
                events: events.clone(),
                repairs: Vec::new(),
            };
            let (repair, _) = apply_repair(
                &records,
                &json!({"event": event.to_string(), "statement": "已整改", "evidence": ["整改报告.pdf"]}),
                &holder,
                scheme(),
                WorkCalendar::builtin().unwrap(),
                now,
            )
            .unwrap();
            assert_eq!(
                repair.answer_due_on,
                NaiveDate::from_ymd_opt(due.0, due.1, due.2).unwrap(),
                "filed {filed:?}"
            );
            assert!(!repair.overdue_on(repair.answer_due_on));
            assert!(repair.overdue_on(repair.answer_due_on.succ_opt().unwrap()));
            // Approved: the event's points come back.
            records.repairs.push(repair.clone());
            let (done, _, restated, _) = decide_repair(
                &records,
                &repair,
                &json!({"approve": true}),
                &staff(BUREAU),
                scheme(),
                now,
            )
            .unwrap();
            assert_eq!(done.status, RepairStatus::Approved);
            assert_eq!(restated.score, Decimal::from(100));
        }
    }

    #[test]
    fn no_repair_at_level_d_and_evidence_is_required() {
        let now = on(2026, 3, 2);
        let mut file = enrolled(now);
        let mut events = Vec::new();
        let first = add(&mut file, &mut events, "U1", now);
        add(&mut file, &mut events, "U2", now);
        assert_eq!(file.level_code, "D");
        let holder = Principal::Applicant {
            subject: "agency".into(),
            org: file.org.clone(),
        };
        let body = json!({"event": first.to_string(), "statement": "已整改", "evidence": ["整改报告.pdf"]});
        let cal = WorkCalendar::builtin().unwrap();
        let records = CreditRecords {
            file: file.clone(),
            events: events.clone(),
            repairs: Vec::new(),
        };
        let e = apply_repair(&records, &body, &holder, scheme(), cal, now).unwrap_err();
        assert_eq!(e.status(), 403);
        assert!(e.detail.contains("三（四）"), "{}", e.detail);
        // At C, without evidence: refused naming the materials of 三（二）.
        let mut file = enrolled(now);
        let mut events = Vec::new();
        let u = add(&mut file, &mut events, "U1", now);
        let body = json!({"event": u.to_string(), "statement": "已整改", "evidence": []});
        let records = CreditRecords {
            file,
            events,
            repairs: Vec::new(),
        };
        let e = apply_repair(&records, &body, &holder, scheme(), cal, now).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("evidence"));
        assert!(e.detail.contains("信用修复申请表"), "{}", e.detail);
    }
}
