//! The Chinese working-day calendar: official holidays and make-up working days
//! as dated data, one file per year under `calendar/`, each naming the State
//! Council notice it comes from.
//!
//! A date outside the years the data covers is an explicit [`OutOfRange`]
//! error, never a guess: a deadline computed on a guessed calendar is worse
//! than no deadline.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::load::LoadError;

/// The shipped calendar files, embedded so that a Lambda needs no file at run time.
pub const BUILTIN_CALENDAR_FILES: &[(&str, &str)] = &[
    ("calendar/2024.toml", include_str!("../calendar/2024.toml")),
    ("calendar/2025.toml", include_str!("../calendar/2025.toml")),
    ("calendar/2026.toml", include_str!("../calendar/2026.toml")),
];

/// A date the calendar has no data for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("no holiday data for {date} (calendar covers {covered})")]
pub struct OutOfRange {
    /// The date that was asked about.
    pub date: NaiveDate,
    /// The years covered, e.g. "2024-2026".
    pub covered: String,
}

/// One year's data as written in `calendar/YYYY.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    /// The calendar year.
    pub year: i32,
    /// Title of the State Council notice.
    pub notice: String,
    /// Number of the notice, e.g. "国办发明电〔2023〕7号".
    pub notice_no: String,
    /// Date the notice was published.
    pub published: NaiveDate,
    /// Holiday periods.
    pub holidays: Vec<HolidayPeriod>,
}

/// One holiday period of a notice.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HolidayPeriod {
    /// Name, e.g. "春节".
    pub name: String,
    /// First day off (inclusive).
    pub from: NaiveDate,
    /// Last day off (inclusive).
    pub to: NaiveDate,
    /// Weekend days that are working days (调休上班).
    pub make_up_workdays: Vec<NaiveDate>,
}

/// The working-day calendar built from one or more year files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearFile>,
    days_off: BTreeSet<NaiveDate>,
    make_up: BTreeSet<NaiveDate>,
}

static BUILTIN: LazyLock<Result<WorkCalendar, LoadError>> = LazyLock::new(|| {
    let files: Vec<(String, String)> = BUILTIN_CALENDAR_FILES
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    WorkCalendar::from_sources(&files)
});

static NO_YEARS: LazyLock<WorkCalendar> = LazyLock::new(|| WorkCalendar {
    years: BTreeMap::new(),
    days_off: BTreeSet::new(),
    make_up: BTreeSet::new(),
});

impl WorkCalendar {
    /// The shipped calendar, or (only if the shipped files were broken, which their tests
    /// rule out) a calendar that covers no year, on which periods move over weekends only
    /// (see [`crate::period`]).
    pub fn builtin_or_empty() -> &'static WorkCalendar {
        WorkCalendar::builtin().unwrap_or(&NO_YEARS)
    }

    /// The calendar shipped with the crate (2024-2026), parsed and validated on
    /// first use. The shipped files are tested, so this only fails if they are broken.
    pub fn builtin() -> Result<&'static WorkCalendar, &'static LoadError> {
        BUILTIN.as_ref()
    }

    /// Build a calendar from `(file name, TOML text)` pairs, e.g. to add a
    /// newly published year without a code change.
    pub fn from_sources(files: &[(String, String)]) -> Result<WorkCalendar, LoadError> {
        let mut years = BTreeMap::new();
        for (name, text) in files {
            let year: YearFile = crate::load::parse_toml(name, text)?;
            validate_year(name, &year)?;
            if years.contains_key(&year.year) {
                return Err(LoadError::new(
                    name,
                    "year",
                    format!("year {} is defined twice", year.year),
                ));
            }
            years.insert(year.year, year);
        }
        if years.is_empty() {
            return Err(LoadError::new("calendar", "", "no calendar year given"));
        }
        let first = *years.keys().next().unwrap_or(&0);
        for (i, y) in years.keys().enumerate() {
            if *y != first + i as i32 {
                return Err(LoadError::new(
                    "calendar",
                    "year",
                    format!("calendar years must be contiguous; {y} leaves a gap"),
                ));
            }
        }
        let mut days_off = BTreeSet::new();
        let mut make_up = BTreeSet::new();
        for y in years.values() {
            for h in &y.holidays {
                let mut d = h.from;
                while d <= h.to {
                    days_off.insert(d);
                    d += Duration::days(1);
                }
                make_up.extend(h.make_up_workdays.iter().copied());
            }
        }
        Ok(WorkCalendar {
            years,
            days_off,
            make_up,
        })
    }

    /// The years the data covers, e.g. 2024..=2026.
    pub fn covered_years(&self) -> std::ops::RangeInclusive<i32> {
        let first = self.years.keys().next().copied().unwrap_or(0);
        let last = self.years.keys().next_back().copied().unwrap_or(0);
        first..=last
    }

    /// The source notice of one year.
    pub fn year(&self, year: i32) -> Option<&YearFile> {
        self.years.get(&year)
    }

    fn check(&self, date: NaiveDate) -> Result<(), OutOfRange> {
        if self.years.contains_key(&date.year()) {
            Ok(())
        } else {
            let r = self.covered_years();
            Err(OutOfRange {
                date,
                covered: format!("{}-{}", r.start(), r.end()),
            })
        }
    }

    /// Whether `date` is an official working day: Monday to Friday unless an
    /// official day off, plus the make-up Saturdays and Sundays.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutOfRange> {
        self.check(date)?;
        if self.make_up.contains(&date) {
            return Ok(true);
        }
        if self.days_off.contains(&date) {
            return Ok(false);
        }
        Ok(!matches!(date.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The date `n` working days after `date` (the start day itself is not
    /// counted: "5个工作日内" from a Friday filing runs from the next working day).
    /// `n = 0` returns `date` unchanged. Every day walked must be covered.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        self.check(date)?;
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Working days strictly after `from` up to and including `to` (0 if `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, OutOfRange> {
        self.check(from)?;
        let mut d = from;
        let mut count = 0;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn validate_year(name: &str, y: &YearFile) -> Result<(), LoadError> {
    if y.notice.trim().is_empty() {
        return Err(LoadError::new(
            name,
            "notice",
            "the source notice must be named",
        ));
    }
    if y.notice_no.trim().is_empty() {
        return Err(LoadError::new(
            name,
            "notice_no",
            "the notice number must be given",
        ));
    }
    for (i, h) in y.holidays.iter().enumerate() {
        let p = format!("holidays[{i}]");
        if h.from > h.to {
            return Err(LoadError::new(
                name,
                format!("{p}.to"),
                "holiday ends before it starts",
            ));
        }
        if h.from.year() != y.year && h.to.year() != y.year {
            return Err(LoadError::new(
                name,
                format!("{p}.from"),
                format!("holiday lies outside year {}", y.year),
            ));
        }
        for (j, m) in h.make_up_workdays.iter().enumerate() {
            if !matches!(m.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(LoadError::new(
                    name,
                    format!("{p}.make_up_workdays[{j}]"),
                    format!(
                        "{m} is not a Saturday or Sunday, so it cannot be a make-up working day"
                    ),
                ));
            }
            if *m >= h.from && *m <= h.to {
                return Err(LoadError::new(
                    name,
                    format!("{p}.make_up_workdays[{j}]"),
                    format!("{m} lies inside the holiday itself"),
                ));
            }
        }
    }
    Ok(())
}
