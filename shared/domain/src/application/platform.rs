//! What the platform itself knows about an applicant (registration, membership kept by
//! the association, bans after revocation), which overrides what it declares.

use super::*;
use crate::evaluation_form::EvaluationForm;

pub(super) fn show(v: &FactValue) -> String {
    match v {
        FactValue::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        FactValue::Number(n) => n.normalize().to_string(),
        FactValue::Date(d) => d.to_string(),
        FactValue::Text(t) => t.clone(),
    }
}

/// The facts the platform always supplies from its own records (the registration, the
/// association's membership record, revocations), whatever the company declares: a form
/// does not ask the company for them (`scheme_form::FormFact::platform`).
pub const PLATFORM_FACTS: [&str; 3] = ["registered", "association_member", "revoked_on"];

/// What the platform itself knows about the applicant, which overrides declarations:
/// registration, membership, bans after revocation.
pub struct PlatformRecords<'a> {
    pub organization: &'a Organization,
    /// The scheme authority's membership record of the company (kept by the
    /// association, never declared by the company).
    pub membership: Option<&'a Membership>,
    /// Revocations of this scheme's certificates: (revoked on, may apply again from), the
    /// second as stored at revocation by `Scheme::may_reapply_from`.
    pub bans: &'a [(NaiveDate, NaiveDate)],
    /// The client units' evaluation forms asked for this application (received ones
    /// count as its evaluations; seed 003 附录A).
    pub evaluations: &'a [EvaluationForm],
    /// The company's certificates as the platform issued them (read only for schemes
    /// whose rules ask about certificates: the alarm operators' grade 2 or better).
    pub certificates: &'a [CertificateRecord],
}

impl PlatformRecords<'_> {
    /// A client unit still has an open link on `now`: the review waits for its form (or
    /// for the link to expire).
    pub fn awaiting_evaluations(&self, now: DateTime<Utc>) -> bool {
        self.evaluations.iter().any(|f| f.awaiting_at(now))
    }

    /// Is the company a member of the scheme's authority on `day`, by its records?
    pub fn is_member_on(&self, day: NaiveDate) -> bool {
        self.membership.is_some_and(|m| m.is_member_on(day))
    }

    /// The ban in force on `today`, if any: (revoked on, first day the unit may apply
    /// again). A ban runs through the day before the stored first-allowed day and, by
    /// 民法典 第二百零三条, on over the statutory days off that follow it (see
    /// `standing_schemes::period`): a ban stored before the holidays of its last year
    /// were published is extended here once they are.
    pub fn ban_in_force(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let calendar = WorkCalendar::builtin_or_empty();
        self.bans
            .iter()
            .filter_map(|&(revoked_on, until)| {
                let last = period::after_days_off(until.pred_opt()?, calendar).day;
                (today <= last).then(|| (revoked_on, last.succ_opt().unwrap_or(last)))
            })
            .max()
    }

    pub(super) fn facts(
        &self,
        app: &Application,
        as_of: NaiveDate,
    ) -> Vec<(&'static str, FactValue, String)> {
        let org = self.organization;
        let mut out = vec![
            (
                PLATFORM_FACTS[0],
                FactValue::Bool(true),
                format!("{PLATFORM_EVIDENCE}organization/{}", org.code),
            ),
            (
                PLATFORM_FACTS[1],
                FactValue::Bool(self.is_member_on(as_of)),
                format!("{PLATFORM_EVIDENCE}membership/{}", app.authority),
            ),
        ];
        // What the awards read (seed 001): the company's age from its registration
        // (四（四）2), its uninterrupted membership (四（六）2、附件三 四（六）) and, for a
        // personal award, whether the nominating employer is a member (四（八）1).
        if app.category.is_some() {
            out.push((
                "founded_on",
                FactValue::Date(org.established_on),
                format!("{PLATFORM_EVIDENCE}organization/{}", org.code),
            ));
            if let Some(since) = self.membership.and_then(|m| m.continuous_since(as_of)) {
                out.push((
                    "member_since",
                    FactValue::Date(since),
                    format!("{PLATFORM_EVIDENCE}membership/{}", app.authority),
                ));
            }
            if app.nominee.is_some() {
                out.push((
                    "employer_is_member",
                    FactValue::Bool(self.is_member_on(as_of)),
                    format!("{PLATFORM_EVIDENCE}membership/{}", app.authority),
                ));
            }
        }
        if let Some(&(revoked_on, _)) = self.bans.iter().max() {
            out.push((
                PLATFORM_FACTS[2],
                FactValue::Date(revoked_on),
                format!("{PLATFORM_EVIDENCE}revocation/{revoked_on}"),
            ));
        }
        if self.ban_in_force(as_of).is_some() {
            out.push((
                "bad_conduct_record",
                FactValue::Bool(true),
                format!("{PLATFORM_EVIDENCE}revocation"),
            ));
        }
        out
    }
}
