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

/// The cycle in force on `day` (二（二）: one year; the anchor is the data's), as (first
/// day, last day).
pub fn cycle_on(scheme: &Scheme, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    standing_schemes::credit_cycle(scheme, day)
}

/// Whether the working-day calendar has the data of every year the cycle touches. The
/// rollover refuses to start a cycle the calendar does not cover (the due dates of the
/// cycle would be guesses): the error names the missing year, for the alarm.
pub fn calendar_covers(
    calendar: &WorkCalendar,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<(), String> {
    use chrono::Datelike;
    for year in first.year()..=last.year() {
        if calendar.year(year).is_none() {
            let covered = calendar.covered_years();
            return Err(format!(
                "工作日历缺少 {year} 年（国务院办公厅节假日安排通知发布后补入 calendar/{year}.toml；\
                 现有 {}-{}），信用评价周期 {first} 至 {last} 不予滚动",
                covered.start(),
                covered.end()
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RolloverStatus {
    /// Under way (or cut off): the next run resumes after `cursor`.
    Running,
    /// Every agency of the register was restated for the cycle.
    Done,
    /// Stopped without touching any agency (the calendar lacks a year of the cycle); a
    /// later run tries again.
    Failed,
}

/// The yearly rollover's progress for one cycle of one authority's register (三（一）:
/// natural repair at the end of the cycle). One record per cycle, replaced under its
/// version after every page, so a run cut off anywhere resumes after its cursor and two
/// runs at once cannot both advance it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolloverRun {
    pub job: String,
    pub authority: String,
    pub cycle_start: NaiveDate,
    pub cycle_end: NaiveDate,
    pub status: RolloverStatus,
    /// The last agency (credit code) of the register done, in the register's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Agencies looked at, and agencies whose stored score or level changed.
    pub examined: u64,
    pub restated: u64,
    /// Runs that worked on this cycle (a resumed or repeated run counts).
    pub runs: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl RolloverRun {
    /// A run of the cycle `(first, last)` starting or resuming at `now` from `before`
    /// (`None`: the first run of the cycle).
    pub fn begin(
        before: Option<&RolloverRun>,
        job: &str,
        authority: &str,
        cycle: (NaiveDate, NaiveDate),
        now: DateTime<Utc>,
    ) -> RolloverRun {
        match before {
            Some(b) => RolloverRun {
                status: RolloverStatus::Running,
                failure: None,
                runs: b.runs + 1,
                updated_at: now,
                version: b.version + 1,
                ..b.clone()
            },
            None => RolloverRun {
                job: job.to_owned(),
                authority: authority.to_owned(),
                cycle_start: cycle.0,
                cycle_end: cycle.1,
                status: RolloverStatus::Running,
                cursor: None,
                examined: 0,
                restated: 0,
                runs: 1,
                failure: None,
                started_at: now,
                updated_at: now,
                version: 1,
            },
        }
    }

    /// The record after a page that ended at `last` (`None`: the register is finished).
    pub fn after_page(
        &self,
        last: Option<&str>,
        examined: u64,
        restated: u64,
        now: DateTime<Utc>,
    ) -> RolloverRun {
        let mut next = self.clone();
        next.examined += examined;
        next.restated += restated;
        match last {
            Some(code) => next.cursor = Some(code.to_owned()),
            None => next.status = RolloverStatus::Done,
        }
        next.updated_at = now;
        next.version += 1;
        next
    }

    /// The record of a run that stopped for `why` before touching any agency.
    pub fn failed(
        before: Option<&RolloverRun>,
        job: &str,
        authority: &str,
        cycle: (NaiveDate, NaiveDate),
        why: &str,
        now: DateTime<Utc>,
    ) -> RolloverRun {
        let mut run = RolloverRun::begin(before, job, authority, cycle, now);
        run.status = RolloverStatus::Failed;
        run.failure = Some(why.to_owned());
        run
    }
}

/// What the rollover writes for one agency at the start of the cycle beginning
/// `cycle_start`: its file restated with the standing of `now` and the audit of it, or
/// `None` when nothing changes (the file was already written in this cycle, by an
/// event, a repair answer or an earlier run, or its standing is the new cycle's
/// already).
///
/// No event needs reading: every event and repair answer rewrites the file in the same
/// transaction, and an event is never dated after the day it is recorded, so a file
/// last written before `cycle_start` has no event or repair of the new cycle; all of
/// them are of an earlier cycle and repaired naturally (三（一）), and the new cycle's
/// standing is the standing without them. `restates_like_the_events_say` checks this
/// against [`standing`] over the events.
pub fn roll_over(
    scheme: &Scheme,
    file: &CreditFile,
    cycle_start: NaiveDate,
    now: DateTime<Utc>,
) -> Option<(CreditFile, AuditEvent)> {
    if china_date(file.updated_at) >= cycle_start {
        return None;
    }
    let today = china_date(now);
    let report = standing(scheme, &[], &[], today);
    let next = restated(file, &report, now);
    if next.score == file.score && next.level_code == file.level_code {
        return None;
    }
    let a = audit(
        now,
        Actor::system("credit-rollover"),
        "credit.rolled_over",
        format!("credit/{}", next.org),
        Some(file),
        &next,
    );
    Some((next, a))
}

/// The quarter of `day`: its name (`2026-Q2`), first and last day.
pub fn quarter_of(day: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let q = (day.month0() / 3) + 1;
    let first = NaiveDate::from_ymd_opt(day.year(), (q - 1) * 3 + 1, 1).unwrap_or(day);
    let last = first
        .checked_add_months(chrono::Months::new(3))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    (format!("{}-Q{q}", day.year()), first, last)
}

/// The level whose agencies make the quality list published every quarter (二（三）1):
/// the level of the data that carries the `*-quality-list` measure.
pub fn quality_list_level(scheme: &Scheme) -> Option<&standing_schemes::model::Level> {
    scheme
        .levels
        .iter()
        .find(|l| l.measures.iter().any(|m| m.code.ends_with("-quality-list")))
}

/// One agency of an A-list release, as it stood on the release day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AListEntry {
    pub org: CreditCode,
    pub company_name: String,
    pub score: Decimal,
}

/// A quarterly release of the quality list (二（三）1: 纳入优质技术服务机构名录，每季度公示):
/// the agencies at the list's level at the end of the quarter (the day it was made:
/// the quarter's last day, or the day a missed release was caught up). Written once and
/// never changed; its URL is stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AListRelease {
    pub authority: String,
    /// `2026-Q2`.
    pub quarter: String,
    pub quarter_first: NaiveDate,
    pub quarter_last: NaiveDate,
    /// The day whose levels it lists.
    pub as_of: NaiveDate,
    pub level_code: String,
    pub level_label: String,
    pub scheme_version: String,
    pub seed_article: String,
    pub agencies: Vec<AListEntry>,
    pub released_at: DateTime<Utc>,
}

/// The quarter a run on `today` releases: the quarter itself on its last day, else the
/// quarter before (a missed release caught up).
pub fn quarter_to_release(today: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    let (name, first, last) = quarter_of(today);
    if today == last {
        (name, first, last)
    } else {
        quarter_of(first.pred_opt().unwrap_or(first))
    }
}

impl AListRelease {
    pub fn entity(&self) -> String {
        format!("credit-a-list/{}/{}", self.authority, self.quarter)
    }

    /// Its public address (stable: a release never changes).
    pub fn path(&self) -> String {
        format!("/v1/credit/a-list/{}", self.quarter)
    }
}

/// The release of `quarter` from the files stored at the list's level (of the quarter's
/// cycle: the caller reads them before the rollover moves them on), in credit-code
/// order.
pub fn a_list_release(
    scheme: &Scheme,
    files: &[CreditFile],
    (quarter, first, last): (String, NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<(AListRelease, AuditEvent), Problem> {
    let authority = scheme.authority_id().map_err(|_| Problem::internal())?;
    let level = quality_list_level(scheme).ok_or_else(Problem::internal)?;
    let today = china_date(now);
    let mut agencies: Vec<AListEntry> = files
        .iter()
        .filter(|f| f.authority == authority && f.level_code == level.code)
        .map(|f| AListEntry {
            org: f.org.clone(),
            company_name: f.company_name.clone(),
            score: f.score.normalize(),
        })
        .collect();
    agencies.sort_by(|a, b| a.org.as_str().cmp(b.org.as_str()));
    let release = AListRelease {
        authority: authority.to_owned(),
        quarter,
        quarter_first: first,
        quarter_last: last,
        as_of: today,
        level_code: level.code.clone(),
        level_label: level.title_zh.clone(),
        scheme_version: scheme.scheme.version.clone(),
        seed_article: level
            .measures
            .iter()
            .find(|m| m.code.ends_with("-quality-list"))
            .map(|m| m.seed.article.clone())
            .unwrap_or_default(),
        agencies,
        released_at: now,
    };
    let a = audit(
        now,
        Actor::system("credit-a-list"),
        "credit.a_list_released",
        release.entity(),
        None,
        &release,
    );
    Ok((release, a))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A measure of the level the agency entered (二（三）).
    Supervision,
    /// The monthly on-site check before the 10th (一).
    SiteCheck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
}

/// A work item of the bureau's staff about one agency: a supervision measure of the
/// level it entered, or a monthly on-site check. Staff complete it with a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditTask {
    pub id: String,
    pub org: CreditCode,
    pub company_name: String,
    pub authority: String,
    pub kind: TaskKind,
    /// The measure's code in the data (`C-interview`), or `site-check`.
    pub measure: String,
    pub title_zh: String,
    pub article: String,
    /// The level the agency entered (supervision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_code: Option<String>,
    pub created_on: NaiveDate,
    /// The last day to do it; `None` when the working-day calendar does not reach it
    /// yet (`due_note` says why: the day is set by nobody's guess).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// Whether the due window is the data's default (the seed gives none).
    pub due_default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_note: Option<String>,
    pub status: TaskStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<Actor>,
    pub created_by: Actor,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl CreditTask {
    pub fn entity(&self) -> String {
        format!("credit-task/{}/{}", self.org, self.id)
    }

    /// Still open after its due day.
    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.status == TaskStatus::Open && self.due_on.is_some_and(|d| today > d)
    }
}

/// The work items of the measures of the level `after` entered (二（三）: C an interview
/// and key supervision, D the exit procedure and a city-wide notice, A one random
/// inspection in the cycle), each due as the data says on the official working-day
/// calendar; none when the level did not change. A due day the calendar does not reach
/// is left open with the reason, never guessed.
pub fn supervision_tasks(
    scheme: &Scheme,
    before: &CreditFile,
    after: &CreditFile,
    calendar: &WorkCalendar,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Vec<(CreditTask, AuditEvent)> {
    if before.level_code == after.level_code {
        return Vec::new();
    }
    let Some(level) = scheme.levels.iter().find(|l| l.code == after.level_code) else {
        return Vec::new();
    };
    let today = china_date(now);
    level
        .measures
        .iter()
        .filter(|m| m.work_item_working_days.is_some() || m.work_item_by_cycle_end)
        .map(|m| {
            let (due_on, due_note) = match m.work_item_working_days {
                Some(n) => match calendar.add_working_days(today, n) {
                    Ok(d) => (Some(d), None),
                    Err(e) => (
                        None,
                        Some(format!(
                            "{n} 个工作日的期限所在年份尚无工作日历（{e}），补入后确定到期日"
                        )),
                    ),
                },
                None => (Some(cycle_on(scheme, today).1), None),
            };
            let task = CreditTask {
                id: RecordId::new_at(now).to_string(),
                org: after.org.clone(),
                company_name: after.company_name.clone(),
                authority: after.authority.clone(),
                kind: TaskKind::Supervision,
                measure: m.code.clone(),
                title_zh: m.title_zh.clone(),
                article: m.seed.article.clone(),
                level_code: Some(level.code.clone()),
                created_on: today,
                due_on,
                due_default: m.default,
                due_note,
                status: TaskStatus::Open,
                result: None,
                done_on: None,
                done_by: None,
                created_by: actor.clone(),
                updated_at: now,
                version: 1,
            };
            let a = audit(
                now,
                actor.clone(),
                "credit.task_opened",
                task.entity(),
                None,
                &task,
            );
            (task, a)
        })
        .collect()
}

/// The on-site check of `month` (its first day) for an agency of the register (一:
/// 每月10日前，消防技术中心对……服务机构进行现场核查): one per agency and month (its id
/// names the month, so creating it twice fails), due on the data's
/// `site_check_day_of_month` ("10日前" read as up to and including the 10th).
pub fn site_check_task(
    scheme: &Scheme,
    file: &CreditFile,
    month: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(CreditTask, AuditEvent), Problem> {
    use chrono::Datelike;
    let day = match scheme
        .parameters
        .get("site_check_day_of_month")
        .map(|p| &p.value)
    {
        Some(standing_schemes::model::ParamValue::Int(n)) => {
            u32::try_from(*n).map_err(|_| Problem::internal())?
        }
        _ => return Err(Problem::internal()),
    };
    let due =
        NaiveDate::from_ymd_opt(month.year(), month.month(), day).ok_or_else(Problem::internal)?;
    let actor = Actor::system("credit-site-checks");
    let task = CreditTask {
        id: format!("site-check-{}", month.format("%Y-%m")),
        org: file.org.clone(),
        company_name: file.company_name.clone(),
        authority: file.authority.clone(),
        kind: TaskKind::SiteCheck,
        measure: "site-check".to_owned(),
        title_zh: format!("{}现场核查（每月{day}日前）", month.format("%Y年%m月")),
        article: "一".to_owned(),
        level_code: None,
        created_on: china_date(now),
        due_on: Some(due),
        due_default: false,
        due_note: None,
        status: TaskStatus::Open,
        result: None,
        done_on: None,
        done_by: None,
        created_by: actor.clone(),
        updated_at: now,
        version: 1,
    };
    let a = audit(now, actor, "credit.task_opened", task.entity(), None, &task);
    Ok((task, a))
}

/// Staff complete a work item: `{"result": "..."}` (what was done and found).
pub fn complete_task(
    task: &CreditTask,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(CreditTask, AuditEvent), Problem> {
    caller.staff_of(&task.authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["result"], &mut errors);
    let result = root.multiline_text("result", 2, 2000, &mut errors);
    errors.finish(|| ())?;
    if task.status != TaskStatus::Open {
        return Err(Problem::conflict("该工作事项已办结"));
    }
    let actor = Actor::from(caller);
    let mut next = task.clone();
    next.status = TaskStatus::Done;
    next.result = Some(result);
    next.done_on = Some(china_date(now));
    next.done_by = Some(actor.clone());
    next.updated_at = now;
    next.version += 1;
    let a = audit(
        now,
        actor,
        "credit.task_done",
        next.entity(),
        Some(task),
        &next,
    );
    Ok((next, a))
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

    #[test]
    fn the_rollover_restates_last_cycles_files_once() {
        let last_year = on(2025, 6, 2);
        let mut file = enrolled(last_year);
        let mut events = Vec::new();
        add(&mut file, &mut events, "U1", last_year);
        assert_eq!(file.level_code, "C");
        let new_year = on(2026, 1, 1);
        let cycle = cycle_on(scheme(), china_date(new_year));
        assert_eq!(cycle.0, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let (next, audit) = roll_over(scheme(), &file, cycle.0, new_year).unwrap();
        assert_eq!(
            (next.score, next.level_code.as_str()),
            (Decimal::from(100), "B")
        );
        assert_eq!(next.version, file.version + 1);
        assert_eq!(audit.action, "credit.rolled_over");
        // Written in the new cycle: nothing more to do.
        assert!(roll_over(scheme(), &next, cycle.0, new_year).is_none());
        // An agency without conduct last year keeps its standing: nothing written.
        assert!(roll_over(scheme(), &enrolled(last_year), cycle.0, new_year).is_none());
    }

    #[test]
    fn restates_like_the_events_say() {
        // Whatever was recorded last cycle (every write restating the file), the
        // rollover's standing is the one the events give on the new cycle's days.
        for codes in [
            &["U1", "U2"][..],
            &["T1", "T2", "T3"],
            &["T1", "U9"],
            &["U4", "U6", "T4", "U11"],
            &[],
        ] {
            let last_year = on(2025, 11, 20);
            let mut file = enrolled(last_year);
            let mut events = Vec::new();
            for c in codes {
                add(&mut file, &mut events, c, last_year);
            }
            for day in [on(2026, 1, 1), on(2026, 7, 1)] {
                let cycle = cycle_on(scheme(), china_date(day));
                let by_events = standing(scheme(), &events, &[], china_date(day));
                let rolled = roll_over(scheme(), &file, cycle.0, day)
                    .map(|(f, _)| f)
                    .unwrap_or_else(|| file.clone());
                assert_eq!(
                    (rolled.score, rolled.level_code.as_str()),
                    (
                        by_events.total.unwrap(),
                        by_events.level.as_ref().unwrap().code.as_str()
                    ),
                    "{codes:?} on {day}"
                );
            }
        }
    }

    #[test]
    fn the_rollover_never_starts_a_cycle_the_calendar_lacks() {
        let cal = WorkCalendar::builtin().unwrap();
        let y2026 = cycle_on(scheme(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert!(calendar_covers(cal, y2026).is_ok());
        let y2027 = cycle_on(scheme(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(y2027.1, NaiveDate::from_ymd_opt(2027, 12, 31).unwrap());
        let e = calendar_covers(cal, y2027).unwrap_err();
        assert!(e.contains("2027"), "{e}");
    }

    #[test]
    fn rollover_progress_resumes_and_finishes() {
        let cycle = cycle_on(scheme(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let now = on(2026, 1, 1);
        let first = RolloverRun::begin(None, "credit-rollover", BUREAU, cycle, now);
        assert_eq!((first.version, first.runs), (1, 1));
        let page = first.after_page(Some("X1"), 2, 1, now);
        assert_eq!(
            (
                page.cursor.as_deref(),
                page.examined,
                page.restated,
                page.version
            ),
            (Some("X1"), 2, 1, 2)
        );
        assert_eq!(page.status, RolloverStatus::Running);
        let resumed = RolloverRun::begin(Some(&page), "credit-rollover", BUREAU, cycle, now);
        assert_eq!((resumed.cursor.as_deref(), resumed.runs), (Some("X1"), 2));
        let done = resumed.after_page(None, 0, 0, now);
        assert_eq!(done.status, RolloverStatus::Done);
        let failed = RolloverRun::failed(None, "credit-rollover", BUREAU, cycle, "no 2027", now);
        assert_eq!(failed.status, RolloverStatus::Failed);
        let retried = RolloverRun::begin(Some(&failed), "credit-rollover", BUREAU, cycle, now);
        assert_eq!(
            (retried.status, retried.failure),
            (RolloverStatus::Running, None)
        );
    }

    #[test]
    fn quarters_and_the_quality_list_level() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(quarter_of(d(1, 1)), ("2026-Q1".into(), d(1, 1), d(3, 31)));
        assert_eq!(quarter_of(d(6, 30)), ("2026-Q2".into(), d(4, 1), d(6, 30)));
        assert_eq!(
            quarter_of(d(10, 1)),
            ("2026-Q4".into(), d(10, 1), d(12, 31))
        );
        assert_eq!(quality_list_level(scheme()).unwrap().code, "A");
        assert_eq!(quarter_to_release(d(6, 30)).0, "2026-Q2");
        assert_eq!(quarter_to_release(d(7, 1)).0, "2026-Q2");
        assert_eq!(quarter_to_release(d(9, 29)).0, "2026-Q2");
        assert_eq!(quarter_to_release(d(1, 1)).0, "2025-Q4");
        let now = on(2026, 6, 30);
        let mut a = enrolled(now);
        let mut events = Vec::new();
        add(&mut a, &mut events, "T1", now);
        let b = enrolled(now);
        let q = quarter_to_release(d(6, 30));
        let (release, audit) = a_list_release(scheme(), &[b, a.clone()], q, now).unwrap();
        assert_eq!(release.quarter, "2026-Q2");
        assert_eq!(release.agencies.len(), 1);
        assert_eq!(release.agencies[0].org, a.org);
        assert_eq!(release.seed_article, "二（三）1");
        assert_eq!(release.path(), "/v1/credit/a-list/2026-Q2");
        assert_eq!(audit.action, "credit.a_list_released");
    }

    #[test]
    fn entering_a_level_opens_its_measures_as_work_items_due_on_working_days() {
        let cal = WorkCalendar::builtin().unwrap();
        let clerk = Actor::from(&staff(BUREAU));
        // Friday 30 September 2026, before National Day (1-7 October; 10 October worked).
        let now = on(2026, 9, 30);
        let before = enrolled(now);
        let mut file = before.clone();
        let mut events = Vec::new();
        add(&mut file, &mut events, "U1", now);
        assert_eq!(file.level_code, "C");
        let tasks = supervision_tasks(scheme(), &before, &file, cal, &clerk, now);
        let due: Vec<_> = tasks
            .iter()
            .map(|(t, _)| {
                (
                    t.measure.as_str(),
                    t.due_on.unwrap().to_string(),
                    t.due_default,
                )
            })
            .collect();
        assert_eq!(
            due,
            [
                ("C-interview", "2026-10-20".to_owned(), true),
                ("C-key-supervision", "2026-11-03".to_owned(), true)
            ]
        );
        // The same level again: nothing new.
        assert!(supervision_tasks(scheme(), &file, &file, cal, &clerk, now).is_empty());
        // A: one random inspection by the end of the cycle.
        let mut a = enrolled(now);
        let mut ev = Vec::new();
        add(&mut a, &mut ev, "T1", now);
        let tasks = supervision_tasks(scheme(), &before, &a, cal, &clerk, now);
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].0.measure, "A-one-random-inspection");
        assert_eq!(tasks[0].0.due_on, NaiveDate::from_ymd_opt(2026, 12, 31));
        // Late December, into a year the calendar lacks: no due day is guessed.
        let late = on(2026, 12, 28);
        let mut d = enrolled(late);
        let mut ev = Vec::new();
        add(&mut d, &mut ev, "U1", late);
        add(&mut d, &mut ev, "U2", late);
        let tasks = supervision_tasks(scheme(), &before, &d, cal, &clerk, late);
        assert_eq!(tasks.len(), 2);
        assert!(tasks.iter().all(|(t, _)| t.due_on.is_none()
            && t.due_note.as_deref().unwrap().contains("2027")));
        // Completed by the bureau's staff with a result, once.
        let (t, _) = &supervision_tasks(scheme(), &before, &file, cal, &clerk, now)[0];
        assert_eq!(
            complete_task(t, &json!({"result": "已约谈"}), &staff("other"), now)
                .unwrap_err()
                .status(),
            403
        );
        let (done, audit) = complete_task(
            t,
            &json!({"result": "已约谈法定代表人"}),
            &staff(BUREAU),
            now,
        )
        .unwrap();
        assert_eq!(done.status, TaskStatus::Done);
        assert_eq!(audit.action, "credit.task_done");
        assert_eq!(
            complete_task(&done, &json!({"result": "再次"}), &staff(BUREAU), now)
                .unwrap_err()
                .status(),
            409
        );
    }
}
