//! The rules of the annual-report job (seed 000 第十一条、第十九条): which days it
//! processes, which reminders fall due on a day, which certificates expire on it, and
//! what a reminder says. Pure: the job in `standing-aws` only reads and writes.

use crate::certificate::CertificateRecord;
use crate::ids::CreditCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use standing_schemes::{ApplicationKindName, ParamError, Registry, Scheme};

/// The schemes in force on `day` whose certificates need an annual report: those that
/// take `annual_report` applications (`[[applications]]` in their data; today the
/// capability grade, seed 000 第十一条).
pub fn schemes_on(registry: &Registry, day: NaiveDate) -> Vec<&Scheme> {
    registry
        .all()
        .iter()
        .filter(|s| s.effective_on(day))
        .filter(|s| s.application(ApplicationKindName::AnnualReport).is_some())
        .collect()
}

/// How far back the job's first run looks (it has no progress record yet).
pub const FIRST_RUN_LOOKBACK_DAYS: i64 = 7;

/// The China dates one run processes: every day after the last completed one up to
/// `today` (catching up on missed runs), or the last week on a first run.
pub fn days_to_run(done_through: Option<NaiveDate>, today: NaiveDate) -> Vec<NaiveDate> {
    let first = done_through.map_or(today - Duration::days(FIRST_RUN_LOOKBACK_DAYS), |d| {
        d + Duration::days(1)
    });
    first.iter_days().take_while(|d| *d <= today).collect()
}

/// What falls due on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPlan {
    /// This year's annual-report deadline.
    pub deadline: NaiveDate,
    /// The lead times (days before the deadline) whose reminder is sent today, to the
    /// holders of certificates valid through `deadline`.
    pub reminders: Vec<u32>,
    /// Certificates valid through this day (yesterday) expire today.
    pub expire_valid_through: Option<NaiveDate>,
}

/// What the job does on `day` under `scheme`.
pub fn plan_day(scheme: &Scheme, day: NaiveDate) -> Result<DayPlan, ParamError> {
    let deadline = scheme.annual_report_deadline_in(day.year())?;
    let reminders = scheme
        .annual_report_reminder_days()?
        .into_iter()
        .filter(|lead| deadline - Duration::days(i64::from(*lead)) == day)
        .collect();
    Ok(DayPlan {
        deadline,
        reminders,
        expire_valid_through: day.pred_opt(),
    })
}

/// A reminder sent to a company before a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub org: CreditCode,
    /// The authority that issued the certificate the reminder is about.
    #[serde(default)]
    pub authority: String,
    pub serial: String,
    pub deadline: NaiveDate,
    pub days_before: u32,
    pub sent_at: DateTime<Utc>,
    pub text: String,
}

/// What a reminder tells the holder of `c`.
pub fn reminder_text(c: &CertificateRecord, deadline: NaiveDate) -> String {
    format!(
        "{}：贵单位{}（编号 {}）有效期至 {deadline}，请于 {deadline} 前完成年报，逾期证书失效。",
        c.company_name, c.title, c.serial
    )
}

/// The reminder `lead` days before `deadline` to the holder of `c`.
pub fn reminder(
    c: &CertificateRecord,
    deadline: NaiveDate,
    lead: u32,
    now: DateTime<Utc>,
) -> Reminder {
    Reminder {
        org: c.org.clone(),
        authority: c.authority.clone(),
        serial: c.serial.clone(),
        deadline,
        days_before: lead,
        sent_at: now,
        text: reminder_text(c, deadline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn scheme(day: NaiveDate) -> &'static Scheme {
        let on = schemes_on(Registry::builtin().unwrap(), day);
        assert_eq!(on.len(), 1, "one scheme takes annual reports");
        on[0]
    }

    #[test]
    fn only_schemes_that_take_annual_reports_are_in_the_job() {
        let registry = Registry::builtin().unwrap();
        let ids: Vec<_> = schemes_on(registry, d(2026, 12, 1))
            .iter()
            .map(|s| s.scheme.id)
            .collect();
        assert_eq!(ids, [standing_schemes::SchemeId::CapabilityGrade]);
        assert!(schemes_on(registry, d(2023, 12, 31)).is_empty());
    }

    #[test]
    fn a_first_run_looks_back_a_week_and_later_runs_catch_up_from_the_last_day() {
        let today = d(2027, 3, 2);
        let first = days_to_run(None, today);
        assert_eq!(first.len(), 8);
        assert_eq!(first[0], d(2027, 2, 23));
        assert_eq!(*first.last().unwrap(), today);
        assert_eq!(
            days_to_run(Some(d(2027, 2, 27)), today),
            vec![d(2027, 2, 28), d(2027, 3, 1), d(2027, 3, 2)]
        );
        assert!(days_to_run(Some(today), today).is_empty());
    }

    #[test]
    fn reminders_fall_30_and_7_days_before_the_june_30_deadline() {
        let on = |day| plan_day(scheme(day), day).unwrap();
        let thirty = on(d(2027, 5, 31));
        assert_eq!(thirty.deadline, d(2027, 6, 30));
        assert_eq!(thirty.reminders, vec![30]);
        assert_eq!(on(d(2027, 6, 23)).reminders, vec![7]);
        for quiet in [d(2027, 5, 30), d(2027, 6, 1), d(2027, 6, 30), d(2027, 7, 1)] {
            assert!(on(quiet).reminders.is_empty(), "{quiet}");
        }
    }

    #[test]
    fn certificates_valid_through_yesterday_expire_today() {
        let plan = plan_day(scheme(d(2027, 7, 1)), d(2027, 7, 1)).unwrap();
        assert_eq!(plan.expire_valid_through, Some(d(2027, 6, 30)));
        let new_year = plan_day(scheme(d(2028, 1, 1)), d(2028, 1, 1)).unwrap();
        assert_eq!(new_year.expire_valid_through, Some(d(2027, 12, 31)));
    }

    #[test]
    fn a_reminder_names_the_company_the_certificate_and_the_deadline() {
        let c = crate::certificate::tests::record();
        let now = Utc.with_ymd_and_hms(2027, 5, 31, 1, 0, 0).unwrap();
        let r = reminder(&c, d(2027, 6, 30), 30, now);
        assert_eq!(
            r.text,
            format!(
                "内蒙古安全防范技术有限公司：贵单位服务能力等级证书（编号 {}）有效期至 2027-06-30，请于 2027-06-30 前完成年报，逾期证书失效。",
                c.serial
            )
        );
        assert_eq!((r.days_before, r.sent_at), (30, now));
        assert_eq!((&r.org, &r.authority), (&c.org, &c.authority));
    }
}
