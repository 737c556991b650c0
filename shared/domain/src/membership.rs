//! Memberships of an association: records the association keeps, never what a company
//! says of itself.
//!
//! Seed 000 第九条（二） admits only "在内蒙古安防协会注册的会员单位" to the capability
//! grade, and 第二十二条（二） withdraws the grade of a holder "被取消内蒙古安防协会会员资格";
//! seed 001 counts consecutive years of membership. So the association's staff record
//! when a membership starts and when (and on what ground) it ends; the review reads only
//! these records.
//!
//! One record per company and association holds every period of membership, oldest
//! first; at most the last one is open. Each change replaces the record under its
//! version, so two clerks cannot open two periods at once.

use crate::audit::{Actor, AuditEvent};
use crate::auth::{Access, Principal};
use crate::clock::china_date;
use crate::ids::CreditCode;
use crate::input::{Errors, Reader};
use crate::organization::Organization;
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a membership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndGround {
    /// The company left (退会).
    Withdrawn,
    /// The association cancelled the membership for a breach of its charter
    /// (被取消会员资格): the ground of seed 000 第二十二条（二）.
    Expelled,
    /// The company was deregistered, merged away or dissolved (注销).
    Dissolved,
    /// Any other ground, stated in the note.
    Other,
}

impl EndGround {
    pub const ALL: [EndGround; 4] = [
        EndGround::Withdrawn,
        EndGround::Expelled,
        EndGround::Dissolved,
        EndGround::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EndGround::Withdrawn => "withdrawn",
            EndGround::Expelled => "expelled",
            EndGround::Dissolved => "dissolved",
            EndGround::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EndGround::Withdrawn => "主动退会",
            EndGround::Expelled => "违反协会章程，被取消会员资格",
            EndGround::Dissolved => "单位注销、合并或解散",
            EndGround::Other => "其他原因",
        }
    }

    fn parse(s: &str) -> Option<EndGround> {
        EndGround::ALL.into_iter().find(|g| g.code() == s)
    }
}

/// One period of membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipPeriod {
    pub since: NaiveDate,
    /// The last day of membership; `None` while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ground: Option<EndGround>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_by: Actor,
    pub recorded_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<Actor>,
}

impl MembershipPeriod {
    fn covers(&self, day: NaiveDate) -> bool {
        self.since <= day && self.ended_on.is_none_or(|end| day <= end)
    }
}

/// A company's membership record at one association.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub org: CreditCode,
    /// The association's platform id (the authority that keeps this record).
    pub authority: String,
    /// Oldest first; only the last may be open.
    pub periods: Vec<MembershipPeriod>,
    pub updated_at: DateTime<Utc>,
    /// Optimistic-locking version, 1 on creation.
    pub version: u64,
}

/// Most periods one record keeps (a company that joins and leaves 50 times is not a
/// real case; the bound keeps the item small).
pub const MAX_PERIODS: usize = 50;
/// Most rows one import request may carry: each row writes the record and its audit
/// event in one transaction of at most 100 items.
pub const MAX_IMPORT_ROWS: usize = 30;

impl Membership {
    pub fn entity(&self) -> String {
        format!("membership/{}/{}", self.org, self.authority)
    }

    /// Is the company a member on `day`?
    pub fn is_member_on(&self, day: NaiveDate) -> bool {
        self.periods.iter().any(|p| p.covers(day))
    }

    /// Whole years of uninterrupted membership up to `day` (the period that covers
    /// `day`), if a member on that day. A period that starts the day after the previous
    /// one ended continues it.
    pub fn continuous_years_on(&self, day: NaiveDate) -> Option<u32> {
        let start = self.continuous_since(day)?;
        Some(day.years_since(start).unwrap_or(0))
    }

    /// The first day of the uninterrupted membership that covers `day`, if a member on
    /// that day (seed 001 四（六）2 "连续为协会会员单位").
    pub fn continuous_since(&self, day: NaiveDate) -> Option<NaiveDate> {
        let current = self.periods.iter().position(|p| p.covers(day))?;
        let mut start = self.periods[current].since;
        for p in self.periods[..current].iter().rev() {
            match p.ended_on {
                Some(end) if end.succ_opt() == Some(start) || end >= start => start = p.since,
                _ => break,
            }
        }
        Some(start)
    }

    fn open(&self) -> Option<&MembershipPeriod> {
        self.periods.last().filter(|p| p.ended_on.is_none())
    }

    /// What the company's own account sees: roles, not staff account ids.
    pub fn for_holder(&self) -> Membership {
        let mut m = self.clone();
        for p in &mut m.periods {
            p.recorded_by = p.recorded_by.without_id();
            p.ended_by = p.ended_by.as_ref().map(Actor::without_id);
        }
        m
    }

    /// The record as `access` may see it.
    pub fn view(&self, access: Access) -> Membership {
        match access {
            Access::Holder => self.for_holder(),
            Access::Staff => self.clone(),
        }
    }

    fn audit(&self, before: Option<&Membership>, actor: Actor, action: &str) -> AuditEvent {
        AuditEvent::new(
            self.updated_at,
            actor,
            action,
            self.entity(),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(self).ok(),
        )
    }
}

fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Problem {
    Problem::field(ProblemKind::Validation, field, detail)
}

/// Staff of an association record that a company became a member on `since`.
/// `existing` is the association's record of this company, if any. Returns the record
/// to write (created or replaced under its version) and its audit event.
fn start(
    org: &Organization,
    existing: Option<&Membership>,
    since: NaiveDate,
    note: Option<String>,
    caller: &Principal,
    now: DateTime<Utc>,
    field: &str,
) -> Result<(Membership, AuditEvent), Problem> {
    let authority = caller.require_staff()?;
    let actor = &Actor::from(caller);
    let today = china_date(now);
    if since > today {
        return Err(invalid(field, "入会日期不能晚于今天"));
    }
    if since < org.established_on {
        return Err(invalid(
            field,
            format!("入会日期不能早于单位成立日期 {}", org.established_on),
        ));
    }
    if let Some(m) = existing {
        if let Some(open) = m.open() {
            return Err(Problem::field(
                ProblemKind::Conflict,
                field,
                format!(
                    "{} 自 {} 起已是本会会员，无需重复登记",
                    org.name, open.since
                ),
            ));
        }
        if let Some(last_end) = m.periods.last().and_then(|p| p.ended_on)
            && since <= last_end
        {
            return Err(invalid(
                field,
                format!("入会日期应晚于上一次会员资格的终止日期 {last_end}"),
            ));
        }
        if m.periods.len() >= MAX_PERIODS {
            return Err(invalid(field, "会员资格记录过多"));
        }
    }
    let period = MembershipPeriod {
        since,
        ended_on: None,
        end_ground: None,
        note,
        recorded_by: actor.clone(),
        recorded_at: now,
        ended_by: None,
    };
    let next = match existing {
        Some(m) => {
            let mut next = m.clone();
            next.periods.push(period);
            next.version += 1;
            next.updated_at = now;
            next
        }
        None => Membership {
            org: org.code.clone(),
            authority: authority.to_owned(),
            periods: vec![period],
            updated_at: now,
            version: 1,
        },
    };
    let audit = next.audit(existing, actor.clone(), "membership.started");
    Ok((next, audit))
}

/// `POST /v1/organizations/{code}/memberships` by staff of the association:
/// `{"since": "YYYY-MM-DD", "note": ".."}`. The association is the caller's authority.
pub fn add(
    org: &Organization,
    existing: Option<&Membership>,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Membership, AuditEvent), Problem> {
    let authority = caller.require_staff()?.to_owned();
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["since", "note"], &mut errors);
    let since = root.date("since", &mut errors);
    let note = root.optional_text("note", 1, 500, &mut errors);
    errors.finish(|| ())?;
    let since = since.ok_or_else(Problem::internal)?;
    if let Some(m) = existing
        && m.authority != authority
    {
        return Err(Problem::internal());
    }
    start(org, existing, since, note, caller, now, "since")
}

/// `POST /v1/organizations/{code}/memberships/end` by staff of the association:
/// `{"ended_on": "YYYY-MM-DD", "ground": "withdrawn|expelled|dissolved|other",
/// "note": ".."}`. A note is required for `other`.
pub fn end(
    existing: Option<&Membership>,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Membership, AuditEvent), Problem> {
    let authority = caller.require_staff()?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["ended_on", "ground", "note"], &mut errors);
    let ended_on = root.date("ended_on", &mut errors);
    let ground_text = root.text("ground", 1, 32, &mut errors);
    let note = root.optional_text("note", 1, 500, &mut errors);
    let ground = EndGround::parse(&ground_text);
    if !ground_text.is_empty() && ground.is_none() {
        let codes: Vec<&str> = EndGround::ALL.iter().map(|g| g.code()).collect();
        errors.push("ground", format!("终止原因应为 {} 之一", codes.join("、")));
    }
    if ground == Some(EndGround::Other) && note.is_none() {
        errors.push("note", "终止原因为其他时须说明");
    }
    errors.finish(|| ())?;
    let (Some(ended_on), Some(ground)) = (ended_on, ground) else {
        return Err(Problem::internal());
    };
    let Some(m) = existing.filter(|m| m.authority == authority) else {
        return Err(Problem::not_found("本会没有该单位的会员资格记录"));
    };
    let Some(open) = m.open() else {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "ended_on",
            "该单位目前不是本会会员",
        ));
    };
    if ended_on < open.since {
        return Err(invalid(
            "ended_on",
            format!("终止日期不能早于入会日期 {}", open.since),
        ));
    }
    if ended_on > china_date(now) {
        return Err(invalid("ended_on", "终止日期不能晚于今天"));
    }
    let actor = Actor::from(caller);
    let mut next = m.clone();
    if let Some(last) = next.periods.last_mut() {
        last.ended_on = Some(ended_on);
        last.end_ground = Some(ground);
        if note.is_some() {
            last.note = note;
        }
        last.ended_by = Some(actor.clone());
    }
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(m), actor, "membership.ended");
    Ok((next, audit))
}

/// One row of an import: the company and the day it joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub code: CreditCode,
    pub since: NaiveDate,
}

/// Read `POST /v1/memberships/import`: `{"members": [{"code": .., "since": ..}, ..]}`,
/// at most [`MAX_IMPORT_ROWS`] rows, each code once. Every failing row is named.
pub fn read_import(body: &Value, caller: &Principal) -> Result<Vec<ImportRow>, Problem> {
    caller.require_staff()?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["members"], &mut errors);
    let mut rows: Vec<ImportRow> = Vec::new();
    let readers = root.objects("members", MAX_IMPORT_ROWS, &mut errors);
    if readers.is_empty() && errors.is_empty() {
        errors.push("members", "至少填写一家会员单位");
    }
    for r in readers {
        r.deny_unknown(&["code", "since"], &mut errors);
        let code_text = r.text("code", 1, 64, &mut errors);
        let since = r.date("since", &mut errors);
        let code = match CreditCode::parse(&code_text) {
            Ok(c) => Some(c),
            Err(e) if !code_text.is_empty() => {
                errors.push(r.path_of("code"), e.to_string());
                None
            }
            Err(_) => None,
        };
        if let Some(c) = &code
            && rows.iter().any(|x| &x.code == c)
        {
            errors.push(r.path_of("code"), "同一单位在导入表中重复");
        }
        if let (Some(code), Some(since)) = (code, since) {
            rows.push(ImportRow { code, since });
        }
    }
    errors.finish(|| ())?;
    Ok(rows)
}

/// Decide one imported row, as [`add`] decides one membership; a failure names the
/// row (`members[3].since`).
pub fn import_row(
    index: usize,
    row: &ImportRow,
    org: Option<&Organization>,
    existing: Option<&Membership>,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Membership, AuditEvent), Problem> {
    let Some(org) = org else {
        return Err(invalid(
            format!("members[{index}].code"),
            format!("未登记统一社会信用代码为 {} 的单位，请先登记", row.code),
        ));
    };
    start(
        org,
        existing,
        row.since,
        None,
        caller,
        now,
        &format!("members[{index}].since"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organization::{Contact, LegalRepresentative};
    use chrono::TimeZone;
    use serde_json::json;

    const ASSOC: &str = "nmg-security-association";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 4, 0, 0).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn org() -> Organization {
        Organization {
            code: CreditCode::parse("91110108551385082Q").unwrap(),
            code_checksum_valid: true,
            name: "内蒙古安全防范技术有限公司".into(),
            address: "呼和浩特市".into(),
            legal_representative: LegalRepresentative {
                name: "张三".into(),
                id_number_masked: None,
            },
            contact: Contact {
                name: "李四".into(),
                phone: "0471-1234567".into(),
                email: None,
            },
            established_on: d("2012-01-01"),
            registered_at: now(),
            registered_by: Actor::system("t"),
            claimed_at: None,
            version: 1,
        }
    }

    fn staff(authority: &str) -> Principal {
        Principal::Staff {
            subject: "clerk-7".into(),
            authority: authority.into(),
        }
    }

    #[test]
    fn staff_of_the_association_add_and_end_a_membership() {
        let o = org();
        let (m, audit) = add(
            &o,
            None,
            &json!({"since": "2019-01-01"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        assert_eq!(m.authority, ASSOC);
        assert_eq!(m.version, 1);
        assert_eq!(audit.action, "membership.started");
        assert!(m.is_member_on(d("2026-11-24")));
        assert!(!m.is_member_on(d("2018-12-31")));
        assert_eq!(m.continuous_years_on(d("2026-11-24")), Some(7));

        let (ended, audit) = end(
            Some(&m),
            &json!({"ended_on": "2026-06-30", "ground": "expelled"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        assert_eq!(audit.action, "membership.ended");
        assert_eq!(ended.version, 2);
        assert!(ended.is_member_on(d("2026-06-30")));
        assert!(!ended.is_member_on(d("2026-07-01")));
        assert_eq!(ended.periods[0].end_ground, Some(EndGround::Expelled));

        // Rejoining starts a new period; years count from the new start.
        let (again, _) = add(
            &o,
            Some(&ended),
            &json!({"since": "2026-09-01"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        assert_eq!(again.periods.len(), 2);
        assert_eq!(again.continuous_years_on(d("2026-11-24")), Some(0));
    }

    #[test]
    fn a_period_that_follows_the_last_day_continues_the_membership() {
        let o = org();
        let (m, _) = add(
            &o,
            None,
            &json!({"since": "2019-01-01"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        let (m, _) = end(
            Some(&m),
            &json!({"ended_on": "2022-12-31", "ground": "other", "note": "换届重新登记"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        let (m, _) = add(
            &o,
            Some(&m),
            &json!({"since": "2023-01-01"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        assert_eq!(m.continuous_years_on(d("2026-01-01")), Some(7));
    }

    #[test]
    fn refusals_name_the_field_and_the_reason() {
        let o = org();
        // Only staff.
        let applicant = Principal::Applicant {
            subject: "a".into(),
            org: o.code.clone(),
        };
        assert_eq!(
            add(&o, None, &json!({"since": "2019-01-01"}), &applicant, now())
                .unwrap_err()
                .status(),
            403
        );
        // Future and before establishment.
        for since in ["2027-01-01", "2011-12-31"] {
            let p = add(&o, None, &json!({"since": since}), &staff(ASSOC), now()).unwrap_err();
            assert_eq!(p.status(), 422);
            assert_eq!(p.field.as_deref(), Some("since"));
        }
        // Unknown field, wrong type.
        let p = add(
            &o,
            None,
            &json!({"since": 2019, "x": 1}),
            &staff(ASSOC),
            now(),
        )
        .unwrap_err();
        let fields: Vec<_> = p.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"since") && fields.contains(&"x"),
            "{fields:?}"
        );
        // Already a member.
        let (m, _) = add(
            &o,
            None,
            &json!({"since": "2019-01-01"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        assert_eq!(
            add(
                &o,
                Some(&m),
                &json!({"since": "2020-01-01"}),
                &staff(ASSOC),
                now()
            )
            .unwrap_err()
            .status(),
            409
        );
        // Another association's staff cannot end it.
        assert_eq!(
            end(
                Some(&m),
                &json!({"ended_on": "2026-01-01", "ground": "withdrawn"}),
                &staff("bj-security-association"),
                now()
            )
            .unwrap_err()
            .status(),
            404
        );
        // Unknown ground; "other" needs a note; end before start.
        for (body, field) in [
            (
                json!({"ended_on": "2026-01-01", "ground": "bored"}),
                "ground",
            ),
            (json!({"ended_on": "2026-01-01", "ground": "other"}), "note"),
            (
                json!({"ended_on": "2018-01-01", "ground": "withdrawn"}),
                "ended_on",
            ),
        ] {
            let p = end(Some(&m), &body, &staff(ASSOC), now()).unwrap_err();
            assert_eq!(p.field.as_deref(), Some(field), "{body}");
        }
    }

    #[test]
    fn holders_see_roles_not_staff_ids() {
        let o = org();
        let (m, _) = add(
            &o,
            None,
            &json!({"since": "2019-01-01"}),
            &staff(ASSOC),
            now(),
        )
        .unwrap();
        let seen = serde_json::to_string(&m.view(Access::Holder)).unwrap();
        assert!(!seen.contains("clerk-7"), "{seen}");
        assert!(seen.contains("\"role\":\"staff\""), "{seen}");
    }

    #[test]
    fn import_rows_are_read_strictly() {
        let rows = read_import(
            &json!({"members": [
                {"code": "91110108551385082Q", "since": "2019-01-01"},
                {"code": "91110108551385082Q", "since": "2020-01-01"},
                {"code": "X", "since": "2020-13-01"}
            ]}),
            &staff(ASSOC),
        )
        .unwrap_err();
        let fields: Vec<_> = rows.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"members[1].code"), "{fields:?}");
        assert!(fields.contains(&"members[2].code"), "{fields:?}");
        assert!(fields.contains(&"members[2].since"), "{fields:?}");
        let too_many: Vec<Value> = (0..=MAX_IMPORT_ROWS)
            .map(|_| json!({"code": "91110108551385082Q", "since": "2019-01-01"}))
            .collect();
        assert_eq!(
            read_import(&json!({"members": too_many}), &staff(ASSOC))
                .unwrap_err()
                .status(),
            422
        );
        let p = import_row(
            0,
            &ImportRow {
                code: org().code,
                since: d("2019-01-01"),
            },
            None,
            None,
            &staff(ASSOC),
            now(),
        )
        .unwrap_err();
        assert_eq!(p.field.as_deref(), Some("members[0].code"));
    }
}
