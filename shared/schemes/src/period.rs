//! Periods counted as Chinese law counts them (《中华人民共和国民法典》第一编第十章
//! 期间计算), once, for every scheme: the public notice (seed 000 第十六条 "公示期为一周",
//! seed 001 五（三） "公示期3天") and the ban after revocation (seed 000 第二十三条
//! "两年内不得申请办理") both end on [`last_day`].
//!
//! The rules implemented, with their source:
//!
//! * **第二百零一条** "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
//!   The day of the event (the day a notice opens, the day a certificate is revoked) is
//!   not counted: a 7-day notice opened on 11-24 counts 11-25 as its first day and 12-01
//!   as its seventh, so it runs to the end of 12-01.
//! * **第二百零二条** "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，
//!   月末日为期间的最后一日。" A period of months or years ends on the day of the final
//!   month that corresponds to the event day (a two-year ban from 2025-03-10 ends at the
//!   end of 2027-03-10); when that month has no such day, on its last day (a two-year
//!   ban from 2024-02-29 ends on 2026-02-28; one month from 01-31 ends on 02-28/29).
//!   The corresponding day is the event day's number: 第二百零一条 excludes the event day
//!   from the count, so "the same date N months later" closes exactly N whole months.
//! * **第二百零三条** "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
//!   期间的最后一日的截止时间为二十四时。" When the last day found above is a statutory
//!   day off, the last day becomes the first day after that run of days off.
//!
//! **What counts as a 法定休假日.** Every day that is not an official working day in the
//! [`WorkCalendar`]: the official holidays of the State Council's yearly notice, and
//! Saturdays and Sundays, except the weekend days the notice makes working days
//! (调休上班). Basis: the weekly rest days are themselves days off fixed by law
//! (《国务院关于职工工作时间的规定》第七条 "星期六和星期日为周休息日"; 《劳动法》第三十八条),
//! and the former 《最高人民法院关于贯彻执行〈民法通则〉若干问题的意见（试行）》第198条, from
//! which 第二百零三条 descends, says it in so many words: "期间的最后一天是星期日或者其他
//! 法定休假日，而星期日或者其他法定休假日有变通的，以实际休假日的次日为期间的最后一天" —
//! a Sunday is a 法定休假日, and where the days off are swapped, the days actually off
//! count; the period rule of the 《民事诉讼法》 ("期间届满的最后一日是法定休假日的，以法定
//! 休假日后的第一日为期间届满的日期") is read the same way. The calendar data's own
//! vocabulary agrees: `calendar/*.toml` lists only the holidays and the make-up working
//! days (调休上班), and [`WorkCalendar::is_working_day`] treats every other Saturday and
//! Sunday as a day off. So a period whose last day is a
//! Saturday ends on the Monday (or later, if Monday is a holiday), a last day inside the
//! Spring Festival or National Day holiday moves to the first working day after it, and a
//! make-up Saturday is a working day on which a period may end.
//!
//! **Years the calendar does not cover yet.** The State Council publishes each year's
//! holidays late in the year before, so a two-year ban, or a notice opened in the last
//! days of December, can end in a year whose holidays are not known. For such a day the
//! only statutory days off known are Saturdays and Sundays (fixed by law, not by the
//! yearly notice), and they alone are applied; the answer says so
//! ([`LastDay::holidays_known`] is false). Nothing is guessed: no holiday is invented,
//! none is assumed absent for good — [`running_on`] re-reads the calendar each time it
//! is asked, so once the year's file is added (docs/schemes.md, "Adding a calendar
//! year") a stored last day that falls on a newly published holiday is extended.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;

/// The unit of a period (民法典 第二百条: 公历年、月、日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// Calendar days (自然日).
    Days,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
}

impl PeriodUnit {
    /// The unit named by a scheme parameter's `unit`, if it is a period unit:
    /// `calendar_days`/`days`, `months`, `years`.
    pub fn from_parameter_unit(unit: &str) -> Option<PeriodUnit> {
        match unit {
            "calendar_days" | "days" => Some(PeriodUnit::Days),
            "months" => Some(PeriodUnit::Months),
            "years" => Some(PeriodUnit::Years),
            _ => None,
        }
    }

    /// The Chinese unit word, for texts ("7日", "2年").
    pub fn label_zh(self) -> &'static str {
        match self {
            PeriodUnit::Days => "日",
            PeriodUnit::Months => "个月",
            PeriodUnit::Years => "年",
        }
    }
}

/// A period of `count` days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: PeriodUnit,
}

impl Period {
    /// `count` calendar days.
    pub fn days(count: u32) -> Period {
        Period {
            count,
            unit: PeriodUnit::Days,
        }
    }

    /// `count` calendar months.
    pub fn months(count: u32) -> Period {
        Period {
            count,
            unit: PeriodUnit::Months,
        }
    }

    /// `count` calendar years.
    pub fn years(count: u32) -> Period {
        Period {
            count,
            unit: PeriodUnit::Years,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.count, self.unit.label_zh())
    }
}

/// The last day of `period` counted from the event on `event`, by 第二百零一条 and
/// 第二百零二条 only (no calendar needed). A period of 0 ends on the event day.
pub fn nominal_last_day(event: NaiveDate, period: Period) -> NaiveDate {
    match period.unit {
        // 第二百零一条: day 1 is the day after the event, day n is event + n.
        PeriodUnit::Days => event
            .checked_add_signed(Duration::days(i64::from(period.count)))
            .unwrap_or(NaiveDate::MAX),
        PeriodUnit::Months => add_months(event, period.count),
        PeriodUnit::Years => add_months(event, period.count.saturating_mul(12)),
    }
}

/// 第二百零二条: the corresponding day of the final month, or that month's last day.
fn add_months(event: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the month's last day when the day does not exist, which is
    // exactly 第二百零二条's "没有对应日的，月末日为期间的最后一日".
    let end = event
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    debug_assert!(end.day() <= event.day() || end == NaiveDate::MAX);
    end
}

/// Whether `day` is a statutory day off (法定休假日, see the module doc): `(off, known)`.
/// `known` is false when the calendar has no data for `day`'s year, and only the weekly
/// rest days could be applied.
pub fn is_day_off(day: NaiveDate, calendar: &WorkCalendar) -> (bool, bool) {
    match calendar.is_working_day(day) {
        Ok(working) => (!working, true),
        Err(_) => (matches!(day.weekday(), Weekday::Sat | Weekday::Sun), false),
    }
}

/// The last day of a period after 第二百零三条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastDay {
    /// The last day; the period ends at 24:00 China time of this day.
    pub day: NaiveDate,
    /// Whether the calendar had holiday data for every day looked at; false when only
    /// Saturdays and Sundays could be applied (the year's holidays are not published or
    /// not loaded yet).
    pub holidays_known: bool,
}

/// 第二百零三条: `day`, or when it is a statutory day off (see the module doc), the day
/// after that run of days off ends.
pub fn after_days_off(day: NaiveDate, calendar: &WorkCalendar) -> LastDay {
    let mut d = day;
    let mut holidays_known = true;
    loop {
        let (off, known) = is_day_off(d, calendar);
        holidays_known &= known;
        if !off {
            return LastDay {
                day: d,
                holidays_known,
            };
        }
        d = d.succ_opt().unwrap_or(NaiveDate::MAX);
    }
}

/// The last day of `period` counted from the event on `event`: 第二百零一条, 第二百零二条
/// and 第二百零三条. The period ends at 24:00 (China time) of this day.
pub fn last_day(event: NaiveDate, period: Period, calendar: &WorkCalendar) -> LastDay {
    after_days_off(nominal_last_day(event, period), calendar)
}

/// Whether a period whose last day before 第二百零三条 is `nominal_last` still runs on
/// `today` (the last day included), on the calendar as it is now.
///
/// Applying it to a last day that 第二百零三条 already moved changes nothing: a moved
/// last day is a working day; but a last day moved over weekends alone, before the
/// year's holidays were known, is moved on when one of them turns out to be a holiday.
pub fn running_on(nominal_last: NaiveDate, today: NaiveDate, calendar: &WorkCalendar) -> bool {
    today <= after_days_off(nominal_last, calendar).day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::builtin().unwrap()
    }

    #[test]
    fn days_start_the_day_after_the_event() {
        // (event, days, nominal last day, last day after 第二百零三条)
        let table = [
            // The example: a one-week notice opened on the 24th runs to the 1st.
            ("2026-11-24", 7, "2026-12-01", "2026-12-01"),
            // Month ends, leap and non-leap February.
            ("2024-01-28", 7, "2024-02-04", "2024-02-04"), // Sunday, but a make-up working day
            ("2025-01-28", 7, "2025-02-04", "2025-02-05"), // last day of the Spring Festival
            ("2024-02-24", 7, "2024-03-02", "2024-03-04"), // Saturday -> Monday
            ("2025-02-24", 7, "2025-03-03", "2025-03-03"),
            ("2026-02-24", 7, "2026-03-03", "2026-03-03"),
            ("2024-02-22", 7, "2024-02-29", "2024-02-29"),
            // Year end: 12-27 + 7 = 01-03.
            ("2024-12-27", 7, "2025-01-03", "2025-01-03"),
            // New Year holiday 2026-01-01..03; Sunday 01-04 is a make-up working day.
            ("2025-12-27", 7, "2026-01-03", "2026-01-04"),
            // The awards' three days.
            ("2024-09-27", 3, "2024-09-30", "2024-09-30"),
            ("2024-09-28", 3, "2024-10-01", "2024-10-08"), // National Day 10-01..07
            ("2026-05-01", 0, "2026-05-01", "2026-05-06"),
        ];
        for (event, n, nominal, last) in table {
            let p = Period::days(n);
            assert_eq!(nominal_last_day(d(event), p), d(nominal), "{event} + {n}");
            let end = last_day(d(event), p, cal());
            assert_eq!(end.day, d(last), "{event} + {n}");
            assert!(end.holidays_known);
        }
    }

    #[test]
    fn months_and_years_end_on_the_corresponding_day_or_the_month_end() {
        let table = [
            // The example.
            ("2025-03-10", Period::years(2), "2027-03-10"),
            ("2024-02-29", Period::years(2), "2026-02-28"),
            ("2024-02-29", Period::years(4), "2028-02-29"),
            ("2024-12-31", Period::years(2), "2026-12-31"),
            ("2025-01-31", Period::months(1), "2025-02-28"),
            ("2024-01-31", Period::months(1), "2024-02-29"),
            ("2024-03-31", Period::months(1), "2024-04-30"),
            ("2025-12-31", Period::months(2), "2026-02-28"),
        ];
        for (event, p, nominal) in table {
            assert_eq!(nominal_last_day(d(event), p), d(nominal), "{event} + {p}");
        }
    }

    #[test]
    fn bans_move_past_days_off_when_the_calendar_covers_the_last_day() {
        let table = [
            // 2026-12-31 is a Thursday, a working day.
            ("2024-12-31", Period::years(2), "2026-12-31"),
            // 2026-02-28 is a Saturday and a make-up working day of the 2026 Spring Festival.
            ("2024-02-29", Period::years(2), "2026-02-28"),
            // Last day in the 2026 Spring Festival (02-15..02-23): moves to 02-24.
            ("2024-02-17", Period::years(2), "2026-02-24"),
            // Last day in the 2025 National Day holiday (10-01..10-08): moves to 10-09.
            ("2023-10-01", Period::years(2), "2025-10-09"),
            // Last day in the 2024 National Day holiday (10-01..10-07): moves to 10-08.
            ("2022-10-05", Period::years(2), "2024-10-08"),
            // Last day in the 2026 National Day holiday (10-01..10-07): moves to 10-08.
            ("2024-10-03", Period::years(2), "2026-10-08"),
            // Last day in the 2025 Spring Festival (01-28..02-04): moves to 02-05.
            ("2023-01-28", Period::years(2), "2025-02-05"),
        ];
        for (event, p, last) in table {
            assert_eq!(last_day(d(event), p, cal()).day, d(last), "{event} + {p}");
        }
    }

    #[test]
    fn beyond_the_calendar_only_weekends_are_applied_and_that_is_said() {
        // 2028-11-24 is a Friday: a working day as far as anyone can know today.
        let end = last_day(d("2026-11-24"), Period::years(2), cal());
        assert_eq!(end.day, d("2028-11-24"));
        assert!(!end.holidays_known);
        // 2027-12-27 + 7 = 2028-01-03, a Monday; 2028-03-11 is a Saturday -> Monday 03-13.
        assert_eq!(
            last_day(d("2027-12-27"), Period::days(7), cal()).day,
            d("2028-01-03")
        );
        let end = last_day(d("2026-03-11"), Period::years(2), cal());
        assert_eq!((end.day, end.holidays_known), (d("2028-03-13"), false));
        // A last day in a covered year whose run of days off crosses into an uncovered
        // one: Thursday 2026-12-31 is a working day, nothing is crossed.
        assert!(last_day(d("2026-12-24"), Period::days(7), cal()).holidays_known);
        // Whether a ban still runs is known today up to its nominal last day.
        assert!(running_on(d("2028-11-24"), d("2026-11-24"), cal()));
        assert!(running_on(d("2028-11-24"), d("2028-11-24"), cal()));
        assert!(!running_on(d("2028-11-24"), d("2028-11-25"), cal()));
    }

    #[test]
    fn a_newly_published_year_extends_a_last_day_stored_without_it() {
        // A calendar without 2026 (as before its notice was published): 2026-10-01 is a
        // Thursday, a working day as far as it knows.
        let files: Vec<(String, String)> = crate::calendar::BUILTIN_CALENDAR_FILES[..2]
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        let old = WorkCalendar::from_sources(&files).unwrap();
        let stored = last_day(d("2024-10-01"), Period::years(2), &old);
        assert_eq!(
            (stored.day, stored.holidays_known),
            (d("2026-10-01"), false)
        );
        assert!(!running_on(stored.day, d("2026-10-02"), &old));
        // With 2026 published, the National Day holiday (10-01..10-07) extends it.
        assert!(running_on(stored.day, d("2026-10-08"), cal()));
        assert!(!running_on(stored.day, d("2026-10-09"), cal()));
    }

    #[test]
    fn running_on_includes_the_last_day_and_the_days_off_after_it() {
        // Nominal last day 2025-10-01, inside the National Day holiday (10-01..10-08).
        let last = d("2025-10-01");
        for today in ["2025-09-30", "2025-10-01", "2025-10-05", "2025-10-09"] {
            assert!(running_on(last, d(today), cal()), "{today}");
        }
        assert!(!running_on(last, d("2025-10-10"), cal()));
        // A working last day: the period ends with it.
        assert!(running_on(d("2025-03-10"), d("2025-03-10"), cal()));
        assert!(!running_on(d("2025-03-10"), d("2025-03-11"), cal()));
        // Applied to a moved last day, nothing moves again.
        let moved = last_day(d("2023-10-01"), Period::years(2), cal()).day;
        assert!(running_on(moved, moved, cal()));
        assert!(!running_on(moved, moved.succ_opt().unwrap(), cal()));
    }
}
