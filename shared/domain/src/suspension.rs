//! Suspension (歇业) and closure (停业) of an alarm-operation operator (seed 004
//! 二（三）3): the operator files an application at least one month before the date with
//! its reason, the dates, the plan for its customers and the compensation plan, with the
//! city department (当地公安技防部门); the city reviews whether the reason holds and the
//! plans are reasonable, then the regional department approves and files it (核准备案).
//! A refusal at either level carries its reasons (不予准许并说明理由). Approved ones are
//! public, so customers can see them.

use crate::audit::{Actor, AuditEvent};
use crate::auth::{Access, Principal};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::organization::Organization;
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use standing_schemes::{Facts, Outcome, Scheme, evaluate};

/// 歇业 (for a period, with an end date) or 停业 (for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionKind {
    Suspension,
    Closure,
}

impl SuspensionKind {
    /// The word of the seed (and of the scheme's `susp-kind` rule).
    pub fn label_zh(self) -> &'static str {
        match self {
            SuspensionKind::Suspension => "歇业",
            SuspensionKind::Closure => "停业",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionStatus {
    /// Filed; the city department reviews it.
    AwaitingCity,
    /// The city found it sound; the regional department decides.
    AwaitingRegion,
    /// Approved and filed by the regional department: public.
    Approved,
    /// Refused by the city or the region, with reasons.
    Refused,
}

impl SuspensionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuspensionStatus::AwaitingCity => "awaiting_city",
            SuspensionStatus::AwaitingRegion => "awaiting_region",
            SuspensionStatus::Approved => "approved",
            SuspensionStatus::Refused => "refused",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SuspensionStatus::AwaitingCity => "待盟市技防管理部门审查",
            SuspensionStatus::AwaitingRegion => "待自治区公安厅技防管理部门核准",
            SuspensionStatus::Approved => "已核准备案",
            SuspensionStatus::Refused => "不予准许",
        }
    }
}

/// One level's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelDecision {
    pub approved: bool,
    /// Why; required for a refusal (不予准许并说明理由), optional otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    pub by: Actor,
    pub at: DateTime<Utc>,
}

/// A suspension or closure application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    pub id: RecordId,
    pub org: CreditCode,
    pub company_name: String,
    pub kind: SuspensionKind,
    pub reason: String,
    pub starts_on: NaiveDate,
    /// The last day of a 歇业 (none for a 停业).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
    pub customer_plan: String,
    pub compensation_plan: String,
    /// Filed on (China date): the lead time counts from it.
    pub filed_on: NaiveDate,
    /// The city department it is filed with (first level).
    pub city: String,
    pub city_name: String,
    /// The regional department that approves (second level).
    pub region: String,
    pub status: SuspensionStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_review: Option<LevelDecision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_decision: Option<LevelDecision>,
    pub filed_by: Actor,
    pub filed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl Suspension {
    pub fn entity(&self) -> String {
        format!("suspension/{}", self.id)
    }

    /// The authority whose turn it is (whose staff queue it is in), if any.
    pub fn waiting_on(&self) -> Option<&str> {
        match self.status {
            SuspensionStatus::AwaitingCity => Some(&self.city),
            SuspensionStatus::AwaitingRegion => Some(&self.region),
            _ => None,
        }
    }

    /// Who may read it: the operator itself, and staff of either level.
    pub fn access(&self, caller: &Principal) -> Result<Access, Problem> {
        match caller.holder_or_staff_of(&self.org, &self.city) {
            Ok(a) => Ok(a),
            Err(e) => caller
                .holder_or_staff_of(&self.org, &self.region)
                .map_err(|_| e),
        }
    }

    /// What the public sees of an approved one (no staff accounts, no plans' details
    /// beyond what customers need: the dates, the reason and the customer plan).
    pub fn public_view(&self) -> Value {
        serde_json::json!({
            "id": self.id.to_string(),
            "company_name": self.company_name,
            "credit_code": self.org.as_str(),
            "kind": self.kind,
            "kind_zh": self.kind.label_zh(),
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "customer_plan": self.customer_plan,
            "city_name": self.city_name,
            "approved_on": self.region_decision.as_ref().map(|d| china_date(d.at)),
        })
    }

    fn audit(&self, before: Option<&Suspension>, actor: Actor, action: &str) -> AuditEvent {
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

/// The operator files: `{"kind": "suspension" | "closure", "city": <city department id>,
/// "reason", "starts_on", "ends_on" (歇业 only), "customer_plan", "compensation_plan"}`.
/// Refused, writing nothing, when any part is missing or when it is filed less than the
/// scheme's lead time (`suspension_lead_months`, rule `susp-lead-time`) before the start.
pub fn file(
    org: &Organization,
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(Suspension, AuditEvent), Problem> {
    // Only the operator files its own (the seed: 企业……提交申请书).
    match caller {
        Principal::Applicant { org: own, .. } if *own == org.code => {}
        _ => {
            return Err(caller.deny("歇业、停业申请只能由运营企业本身提交"));
        }
    }
    let cities = scheme.city_authorities().map_err(|_| Problem::internal())?;
    let region = scheme
        .region_authority_id()
        .map_err(|_| Problem::internal())?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &[
            "kind",
            "city",
            "reason",
            "starts_on",
            "ends_on",
            "customer_plan",
            "compensation_plan",
        ],
        &mut errors,
    );
    let kind = root.text("kind", 1, 16, &mut errors);
    let kind = match kind.as_str() {
        "suspension" => Some(SuspensionKind::Suspension),
        "closure" => Some(SuspensionKind::Closure),
        "" => None,
        _ => {
            errors.push("kind", "kind 应为 suspension（歇业）或 closure（停业）");
            None
        }
    };
    let city = root.text("city", 1, 64, &mut errors);
    let city_name = cities
        .iter()
        .find(|(id, _)| *id == city)
        .map(|(_, name)| (*name).to_owned());
    if city_name.is_none() && !city.is_empty() {
        errors.push(
            "city",
            format!(
                "应为当地盟市公安技防管理部门之一：{}",
                cities
                    .iter()
                    .map(|(id, name)| format!("{id}（{name}）"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
    }
    let reason = root.multiline_text("reason", 2, 2000, &mut errors);
    let starts_on = root.date("starts_on", &mut errors);
    let ends_on = match kind {
        Some(SuspensionKind::Suspension) => root.date("ends_on", &mut errors),
        _ => {
            if root.value("ends_on").is_some_and(|v| !v.is_null()) {
                errors.push("ends_on", "停业没有结束日期；歇业才注明起止日期");
            }
            None
        }
    };
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push("ends_on", "歇业结束日期不能早于开始日期");
    }
    let customer_plan = root.multiline_text("customer_plan", 2, 4000, &mut errors);
    let compensation_plan = root.multiline_text("compensation_plan", 2, 4000, &mut errors);
    let (Some(kind), Some(starts_on), Some(city_name)) = (kind, starts_on, city_name) else {
        return Err(errors.finish(|| ()).err().unwrap_or_else(Problem::internal));
    };
    errors.finish(|| ())?;
    let filed_on = china_date(now);
    lead_time(scheme, kind, filed_on, starts_on, ends_on)?;
    let actor = Actor::from(caller);
    let s = Suspension {
        id: RecordId::new_at(now),
        org: org.code.clone(),
        company_name: org.name.clone(),
        kind,
        reason,
        starts_on,
        ends_on,
        customer_plan,
        compensation_plan,
        filed_on,
        city,
        city_name,
        region: region.to_owned(),
        status: SuspensionStatus::AwaitingCity,
        city_review: None,
        region_decision: None,
        filed_by: actor.clone(),
        filed_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = s.audit(None, actor, "suspension.filed");
    Ok((s, audit))
}

/// The scheme's rules on the application itself, evaluated as the data states them: the
/// kind, and the lead time (`susp-lead-time`: filed on or before the start date less
/// `suspension_lead_months` calendar months, the last day of that month when it has no
/// such day). A refusal names the article and the last day it could have been filed.
fn lead_time(
    scheme: &Scheme,
    kind: SuspensionKind,
    filed_on: NaiveDate,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Result<(), Problem> {
    let mut facts = Facts::new(filed_on);
    facts
        .set_text("suspension.kind", kind.label_zh(), &[])
        .set_date("suspension.filed_on", filed_on, &[])
        .set_date("suspension.starts_on", starts_on, &[])
        .set_bool("suspension.reason_given", true, &[])
        .set_bool(
            "suspension.dates_given",
            kind == SuspensionKind::Closure || ends_on.is_some(),
            &[],
        );
    let report = evaluate(scheme, &facts);
    let refused: Vec<_> = report
        .lines
        .iter()
        .filter(|l| l.group == "suspension" && l.outcome == Outcome::NotMet)
        .collect();
    if let Some(l) = refused.first() {
        let field = if l.rule_id == "susp-lead-time" {
            "starts_on"
        } else {
            "kind"
        };
        let article = scheme
            .rule(&l.rule_id)
            .map(|r| r.seed.to_string())
            .unwrap_or_default();
        return Err(Problem::field(
            ProblemKind::Validation,
            field,
            format!("{}：{}（{article}）", l.title_zh, l.detail),
        ));
    }
    Ok(())
}

/// A level's decision: `{"approve": bool, "reasons": ..}`; `reasons` is required for a
/// refusal. At the city level an approval also states that the reason holds and the
/// plans are reasonable (`"reason_holds": true, "plans_reasonable": true`, the seed's two
/// conditions); answering false to either is a refusal and needs reasons.
pub fn decide(
    s: &Suspension,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Suspension, AuditEvent), Problem> {
    let (level, authority) = match s.status {
        SuspensionStatus::AwaitingCity => ("city", &s.city),
        SuspensionStatus::AwaitingRegion => ("region", &s.region),
        SuspensionStatus::Approved | SuspensionStatus::Refused => {
            // Staff of either level learn it is decided; anyone else is refused first.
            s.access(caller)?;
            caller.require_staff()?;
            return Err(Problem::conflict(format!(
                "该申请已办结（{}），不能再次决定",
                s.status.label_zh()
            )));
        }
    };
    if caller.staff_of(authority).is_err() {
        s.access(caller)?;
        caller.require_staff()?;
        return Err(caller.deny(&format!(
            "该申请当前{}，本机构不能办理",
            s.status.label_zh()
        )));
    }
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let known: &[&str] = if level == "city" {
        &["approve", "reasons", "reason_holds", "plans_reasonable"]
    } else {
        &["approve", "reasons"]
    };
    root.deny_unknown(known, &mut errors);
    let approve = root.required_flag("approve", &mut errors);
    let reasons = root.optional_multiline_text("reasons", 2, 2000, &mut errors);
    let conditions = if level == "city" {
        Some((
            root.required_flag("reason_holds", &mut errors),
            root.required_flag("plans_reasonable", &mut errors),
        ))
    } else {
        None
    };
    errors.finish(|| ())?;
    let Some(approve) = approve else {
        return Err(Problem::internal());
    };
    if let Some((holds, reasonable)) = conditions
        && approve
        && (holds != Some(true) || reasonable != Some(true))
    {
        return Err(Problem::field(
            ProblemKind::Validation,
            "approve",
            "歇业、停业理由成立且对客户的服务处理方案合理的，方可审查通过（二（三）3）",
        ));
    }
    if !approve && reasons.is_none() {
        return Err(Problem::field(
            ProblemKind::Validation,
            "reasons",
            "不予准许的，应当说明理由（二（三）3）",
        ));
    }
    let actor = Actor::from(caller);
    let decision = LevelDecision {
        approved: approve,
        reasons,
        by: actor.clone(),
        at: now,
    };
    let mut next = s.clone();
    let action = match (level, approve) {
        ("city", true) => {
            next.status = SuspensionStatus::AwaitingRegion;
            "suspension.city_passed"
        }
        ("city", false) => {
            next.status = SuspensionStatus::Refused;
            "suspension.city_refused"
        }
        (_, true) => {
            next.status = SuspensionStatus::Approved;
            "suspension.approved"
        }
        (_, false) => {
            next.status = SuspensionStatus::Refused;
            "suspension.region_refused"
        }
    };
    if level == "city" {
        next.city_review = Some(decision);
    } else {
        next.region_decision = Some(decision);
    }
    next.updated_at = now;
    next.version += 1;
    let audit = next.audit(Some(s), actor, action);
    Ok((next, audit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;
    use standing_schemes::{Registry, SchemeId};

    fn scheme() -> &'static Scheme {
        Registry::builtin()
            .unwrap()
            .in_force(
                SchemeId::AlarmOperators,
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            )
            .unwrap()
    }

    fn org() -> Organization {
        crate::application::tests::org(false)
    }

    fn operator(o: &Organization) -> Principal {
        Principal::Applicant {
            subject: "op".into(),
            org: o.code.clone(),
        }
    }

    fn staff(authority: &str) -> Principal {
        Principal::Staff {
            subject: format!("staff-{authority}"),
            authority: authority.into(),
        }
    }

    /// 10:00 China time on `day`.
    fn on(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
    }

    fn body(starts_on: &str) -> Value {
        json!({"kind": "suspension", "city": "nmg-ps-hohhot", "reason": "场所改造",
               "starts_on": starts_on, "ends_on": "2029-12-31",
               "customer_plan": "由合作企业代为接警", "compensation_plan": "按合同退还服务费"})
    }

    #[test]
    fn one_month_ahead_counts_calendar_months_and_month_ends() {
        let o = org();
        // (filed, starts, accepted)
        for (filed, starts, ok) in [
            ((2026, 11, 24), "2026-12-24", true),
            ((2026, 11, 24), "2026-12-23", false),
            // No 31 February: a start on 31 March may be filed until the last day of
            // February (28 in 2027, 29 in 2028).
            ((2027, 2, 28), "2027-03-31", true),
            ((2027, 3, 1), "2027-03-31", false),
            ((2028, 2, 29), "2028-03-31", true),
            // Counted back from the start: a start on 28 February may be filed until 28
            // January, not on the 31st (the data's note states the rule).
            ((2027, 1, 28), "2027-02-28", true),
            ((2027, 1, 29), "2027-02-28", false),
        ] {
            let now = on(filed.0, filed.1, filed.2);
            let r = file(&o, &body(starts), &operator(&o), scheme(), now);
            assert_eq!(r.is_ok(), ok, "filed {filed:?} for {starts}: {r:?}");
            if let Err(p) = r {
                assert_eq!(p.field.as_deref(), Some("starts_on"));
                assert!(p.detail.contains("二（三）3"), "{}", p.detail);
            }
        }
    }

    #[test]
    fn a_filing_needs_every_part_and_only_the_operator_files() {
        let o = org();
        let now = on(2026, 11, 24);
        let mut b = body("2027-01-10");
        b.as_object_mut().unwrap().remove("compensation_plan");
        b["city"] = json!("nmg-ps-nowhere");
        let p = file(&o, &b, &operator(&o), scheme(), now).unwrap_err();
        let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["city", "compensation_plan"], "{p:?}");
        let mut closure = body("2027-01-10");
        closure["kind"] = json!("closure");
        let p = file(&o, &closure, &operator(&o), scheme(), now).unwrap_err();
        assert_eq!(p.field.as_deref(), Some("ends_on"));
        closure.as_object_mut().unwrap().remove("ends_on");
        assert!(file(&o, &closure, &operator(&o), scheme(), now).is_ok());
        let p = file(
            &o,
            &body("2027-01-10"),
            &staff("nmg-ps-hohhot"),
            scheme(),
            now,
        );
        assert_eq!(p.unwrap_err().status(), 403);
    }

    #[test]
    fn the_city_reviews_then_the_region_approves_and_refusals_need_reasons() {
        let o = org();
        let (s, _) = file(
            &o,
            &body("2027-01-10"),
            &operator(&o),
            scheme(),
            on(2026, 11, 24),
        )
        .unwrap();
        let later = on(2026, 11, 25);
        let pass = json!({"approve": true, "reason_holds": true, "plans_reasonable": true});
        // Not the region first, not another city, not the operator.
        for who in [
            staff("nmg-public-security"),
            staff("nmg-ps-baotou"),
            operator(&o),
        ] {
            assert_eq!(decide(&s, &pass, &who, later).unwrap_err().status(), 403);
        }
        let city = staff("nmg-ps-hohhot");
        let p = decide(
            &s,
            &json!({"approve": true, "reason_holds": true, "plans_reasonable": false}),
            &city,
            later,
        )
        .unwrap_err();
        assert_eq!(p.field.as_deref(), Some("approve"));
        let p = decide(
            &s,
            &json!({"approve": false, "reason_holds": false, "plans_reasonable": true}),
            &city,
            later,
        )
        .unwrap_err();
        assert_eq!(p.field.as_deref(), Some("reasons"));
        let (passed, audit) = decide(&s, &pass, &city, later).unwrap();
        assert_eq!(passed.status, SuspensionStatus::AwaitingRegion);
        assert_eq!(audit.action, "suspension.city_passed");
        assert_eq!(passed.waiting_on(), Some("nmg-public-security"));
        // The city cannot decide twice; the region decides.
        assert_eq!(
            decide(&passed, &pass, &city, later).unwrap_err().status(),
            403
        );
        let region = staff("nmg-public-security");
        let p = decide(&passed, &json!({"approve": false}), &region, later).unwrap_err();
        assert_eq!(p.field.as_deref(), Some("reasons"));
        let p = decide(&passed, &pass, &region, later).unwrap_err();
        assert_eq!(p.status(), 422, "the region states no city conditions");
        let (done, _) = decide(&passed, &json!({"approve": true}), &region, later).unwrap();
        assert_eq!(done.status, SuspensionStatus::Approved);
        assert_eq!(done.public_view()["approved_on"], "2026-11-25");
        assert_eq!(
            decide(&done, &json!({"approve": true}), &region, later)
                .unwrap_err()
                .status(),
            409
        );
        // A refusal by the city ends it, with its reasons.
        let (refused, _) = decide(
            &s,
            &json!({"approve": false, "reason_holds": false, "plans_reasonable": true, "reasons": "歇业理由不成立"}),
            &city,
            later,
        )
        .unwrap();
        assert_eq!(refused.status, SuspensionStatus::Refused);
        assert_eq!(
            refused.city_review.unwrap().reasons.as_deref(),
            Some("歇业理由不成立")
        );
    }
}
