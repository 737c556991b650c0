//! Loading scheme versions and choosing the one in force on a date, plus typed
//! accessors for the parameters the workflows need.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::load::{LoadError, parse_toml};
use crate::model::{
    CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE, Ground, Level, ParamValue, Parameter, Scheme,
    SchemeId, parse_month_day,
};
use crate::period::{self, Period, PeriodUnit};

/// The shipped definitions, embedded so that a Lambda needs no file at run time.
pub const BUILTIN_DEFINITION_FILES: &[(&str, &str)] = &[
    (
        "definitions/capability-grade/2024-01-01.toml",
        include_str!("../definitions/capability-grade/2024-01-01.toml"),
    ),
    (
        "definitions/fire-credit/2024-03-21.toml",
        include_str!("../definitions/fire-credit/2024-03-21.toml"),
    ),
    (
        "definitions/om-stars/2022-01-01.toml",
        include_str!("../definitions/om-stars/2022-01-01.toml"),
    ),
    (
        "definitions/annual-awards/2024.toml",
        include_str!("../definitions/annual-awards/2024.toml"),
    ),
    (
        "definitions/alarm-operators/2010-11-12.toml",
        include_str!("../definitions/alarm-operators/2010-11-12.toml"),
    ),
];

/// No version of a scheme is in force on a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("no version of {scheme} is in force on {date}")]
pub struct NotInForce {
    /// The scheme asked for.
    pub scheme: SchemeId,
    /// The date asked for.
    pub date: NaiveDate,
}

/// A parameter a caller needs is absent or of the wrong type (only possible
/// for a definition that bypassed validation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{scheme} {version}: parameter {name} is missing or not {expected}")]
pub struct ParamError {
    /// Scheme.
    pub scheme: SchemeId,
    /// Version.
    pub version: String,
    /// Parameter name.
    pub name: String,
    /// Expected type.
    pub expected: &'static str,
}

impl Scheme {
    /// Parse and validate one definition from TOML text; `file` names it in errors.
    pub fn from_toml_str(file: &str, text: &str) -> Result<Scheme, LoadError> {
        let scheme: Scheme = parse_toml(file, text)?;
        scheme.validate(file)?;
        Ok(scheme)
    }

    /// Read, parse and validate a definition file (start-up only; evaluation does no I/O).
    pub fn from_path(path: &Path) -> Result<Scheme, LoadError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| LoadError::new(&name, "", format!("cannot read file: {e}")))?;
        Scheme::from_toml_str(&name, &text)
    }

    /// The scheme id.
    pub fn id(&self) -> SchemeId {
        self.scheme.id
    }

    /// The version label.
    pub fn version(&self) -> &str {
        &self.scheme.version
    }

    /// A parameter with its seed reference.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.get(name)
    }

    fn err(&self, name: &str, expected: &'static str) -> ParamError {
        ParamError {
            scheme: self.scheme.id,
            version: self.scheme.version.clone(),
            name: name.to_owned(),
            expected,
        }
    }

    /// An integer parameter.
    pub fn param_int(&self, name: &str) -> Result<i64, ParamError> {
        match self.parameters.get(name).map(|p| &p.value) {
            Some(ParamValue::Int(i)) => Ok(*i),
            _ => Err(self.err(name, "an integer")),
        }
    }

    /// A text parameter.
    pub fn param_text(&self, name: &str) -> Result<&str, ParamError> {
        match self.parameters.get(name).map(|p| &p.value) {
            Some(ParamValue::Text(t)) => Ok(t),
            _ => Err(self.err(name, "text")),
        }
    }

    /// A period parameter (民法典 第二百条: 公历年、月、日): an integer value with a unit
    /// `calendar_days`, `months` or `years` (the loader checks both).
    pub fn param_period(&self, name: &str) -> Result<Period, ParamError> {
        let p = self
            .parameters
            .get(name)
            .ok_or_else(|| self.err(name, "a period"))?;
        let unit = p
            .unit
            .as_deref()
            .and_then(PeriodUnit::from_parameter_unit)
            .ok_or_else(|| self.err(name, "a period in calendar_days, months or years"))?;
        match p.value {
            ParamValue::Int(i) => u32::try_from(i)
                .map(|count| Period { count, unit })
                .map_err(|_| self.err(name, "a period of at least 0")),
            _ => Err(self.err(name, "a period")),
        }
    }

    /// The public notice period (capability grade: 7 calendar days, "公示期为一周";
    /// awards: 3).
    pub fn notice_period(&self) -> Result<Period, ParamError> {
        self.param_period("notice_days")
    }

    /// Public notice period in calendar days.
    pub fn notice_days(&self) -> Result<u32, ParamError> {
        self.notice_period().map(|p| p.count)
    }

    /// Last day of a public notice opened on `opened_on`, counted by 民法典 第二百零一条
    /// (the opening day is not counted) and 第二百零三条 (a last day that is a day off
    /// moves to the first working day after it) on the shipped calendar; see
    /// [`crate::period`] (in a year the calendar does not cover yet, only weekends move
    /// it, and [`period::LastDay::holidays_known`] says so).
    pub fn notice_ends_on(&self, opened_on: NaiveDate) -> Result<period::LastDay, ParamError> {
        let period = self.notice_period()?;
        Ok(period::last_day(
            opened_on,
            period,
            WorkCalendar::builtin_or_empty(),
        ))
    }

    /// The ban after a revocation (capability grade: 2 years, seed 000 第二十三条 "两年内
    /// 不得申请办理"). Rule `art23-no-ban` reads the same parameter.
    pub fn ban_period(&self) -> Result<Period, ParamError> {
        let p = self.param_period("ban_years")?;
        if p.unit == PeriodUnit::Years {
            Ok(p)
        } else {
            Err(self.err("ban_years", "a period in years"))
        }
    }

    /// Years a revoked unit may not apply (capability grade: 2).
    pub fn ban_years(&self) -> Result<u32, ParamError> {
        self.ban_period().map(|p| p.count)
    }

    /// Last day of the ban after a revocation on `revoked_on`, by 民法典 第二百零一条
    /// and 第二百零二条 (the revocation day is not counted; the corresponding day of
    /// the final year, or that month's last day): a ban from 2025-03-10 runs to the end
    /// of 2027-03-10. 第二百零三条 is applied by [`Scheme::may_reapply_from`] and again by
    /// [`period::running_on`] when the ban is checked.
    pub fn ban_last_day(&self, revoked_on: NaiveDate) -> Result<NaiveDate, ParamError> {
        Ok(period::nominal_last_day(revoked_on, self.ban_period()?))
    }

    /// First day a unit revoked on `revoked_on` may apply again: the day after the
    /// ban's last day after 第二百零三条 (a last day off moves to the first working day
    /// after it). When the calendar does not cover that year yet (the holidays of a year
    /// are published late in the year before), only weekends move it; the check at
    /// submission reads the stored date through [`period::running_on`] on the calendar
    /// of its day, so a holiday published later still extends the ban.
    pub fn may_reapply_from(&self, revoked_on: NaiveDate) -> Result<NaiveDate, ParamError> {
        let nominal = self.ban_last_day(revoked_on)?;
        let last = period::after_days_off(nominal, WorkCalendar::builtin_or_empty()).day;
        Ok(last.succ_opt().unwrap_or(NaiveDate::MAX))
    }

    /// The annual-report deadline as (month, day); a marked default (30 June)
    /// until the association publishes its own.
    pub fn annual_report_deadline(&self) -> Result<(u32, u32), ParamError> {
        parse_month_day(self.param_text("annual_report_deadline")?)
            .ok_or_else(|| self.err("annual_report_deadline", "a month-day"))
    }

    /// Last valid day of a certificate issued on `issued_on`, by the parameter
    /// `certificate_validity`: the rule `until_next_year_annual_report_deadline` is seed
    /// 000 第十九条 ("自发证时间至次年年报截止时间": the annual-report deadline of the
    /// following year); a period (a number with unit `months` or `years`) runs from the
    /// day after issue to the corresponding day by 民法典 第二百零一、二百零二条 (a star
    /// certificate issued 2026-11-24 for one year is valid to the end of 2027-11-24). A
    /// validity is not a time limit for doing something, so 第二百零三条 does not move it.
    pub fn certificate_valid_until(&self, issued_on: NaiveDate) -> Result<NaiveDate, ParamError> {
        if let Ok(p) = self.param_period("certificate_validity") {
            return Ok(period::nominal_last_day(issued_on, p));
        }
        match self.param_text("certificate_validity")? {
            CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE => {
                self.annual_report_deadline_in(issued_on.year() + 1)
            }
            _ => Err(self.err(
                "certificate_validity",
                "until_next_year_annual_report_deadline or a period",
            )),
        }
    }

    /// A list parameter (codes, day counts as text).
    pub fn param_list(&self, name: &str) -> Result<&[String], ParamError> {
        match self.parameters.get(name).map(|p| &p.value) {
            Some(ParamValue::List(l)) => Ok(l),
            _ => Err(self.err(name, "a list")),
        }
    }

    /// The platform id of the authority that runs this scheme (staff tokens carry it in
    /// `authority`; memberships name it in `association`).
    pub fn authority_id(&self) -> Result<&str, ParamError> {
        self.param_text("authority_id")
    }

    /// The first-level authorities of a two-level review (alarm operators: the city
    /// departments, seed 004 二（三）3), as (platform id, name).
    pub fn city_authorities(&self) -> Result<Vec<(&str, &str)>, ParamError> {
        Ok(self
            .param_list("city_authorities")?
            .iter()
            .filter_map(|e| e.split_once('='))
            .collect())
    }

    /// The second-level authority of a two-level review (alarm operators: the regional
    /// department that approves and files, seed 004 二（三）3).
    pub fn region_authority_id(&self) -> Result<&str, ParamError> {
        self.param_text("region_authority_id")
    }

    /// The title printed on this scheme's certificates.
    pub fn certificate_title(&self) -> Result<&str, ParamError> {
        self.param_text("certificate_title")
    }

    /// The rules this scheme's certificates are issued under, printed as the basis
    /// sentence `依据《…》，…` (`certificate_basis`); `None` when the data gives none.
    pub fn certificate_basis(&self) -> Result<Option<&str>, ParamError> {
        self.optional_text("certificate_basis")
    }

    /// What this scheme's certificates cover, printed as 业务范围 (`certificate_scope`);
    /// `None` when the data gives none.
    pub fn certificate_scope(&self) -> Result<Option<&str>, ParamError> {
        self.optional_text("certificate_scope")
    }

    fn optional_text(&self, name: &str) -> Result<Option<&str>, ParamError> {
        if self.parameters.contains_key(name) {
            self.param_text(name).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The prefix of certificate serial numbers.
    pub fn serial_prefix(&self) -> Result<&str, ParamError> {
        self.param_text("serial_prefix")
    }

    /// Days before the annual-report deadline on which holders are reminded, largest
    /// first.
    pub fn annual_report_reminder_days(&self) -> Result<Vec<u32>, ParamError> {
        let mut days = self
            .param_list("annual_report_reminder_days")?
            .iter()
            .map(|d| d.parse::<u32>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| self.err("annual_report_reminder_days", "a list of day counts"))?;
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        Ok(days)
    }

    /// Whether an annual report goes on public notice: `always`, `on_grade_change` or
    /// `never` (scheme data; the capability grade's default is `on_grade_change`).
    pub fn annual_report_needs_notice(&self, grade_changed: bool) -> Result<bool, ParamError> {
        match self.param_text("annual_report_notice")? {
            "always" => Ok(true),
            "on_grade_change" => Ok(grade_changed),
            "never" => Ok(false),
            _ => Err(self.err("annual_report_notice", "always, on_grade_change or never")),
        }
    }

    /// The annual-report deadline (the last valid day of certificates) of `year`.
    pub fn annual_report_deadline_in(&self, year: i32) -> Result<NaiveDate, ParamError> {
        let (m, d) = self.annual_report_deadline()?;
        NaiveDate::from_ymd_opt(year, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(year, m, d - 1))
            .ok_or_else(|| self.err("annual_report_deadline", "a valid date"))
    }

    /// Whether a change of company data of this kind (`restructuring`, `split`,
    /// `merger`, ...) requires a full new application (seed 000 第十三条).
    pub fn change_requires_resubmission(&self, kind: &str) -> bool {
        self.param_text("restructuring_requires_resubmission")
            .map(|kinds| kinds.split(',').any(|k| k.trim() == kind))
            .unwrap_or(false)
    }

    /// Revocation grounds with codes.
    pub fn revocation_grounds(&self) -> &[Ground] {
        &self.revocation_grounds
    }

    /// Levels, highest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// A level by code.
    pub fn level(&self, code: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.code == code)
    }

    /// Working days within which a credit-repair application is answered (5).
    pub fn repair_answer_working_days(&self) -> Result<u32, ParamError> {
        self.param_int("repair_answer_working_days")
            .map(|d| d as u32)
    }

    /// Whether a unit at `level_code` may have its credit repaired (D may not).
    pub fn repair_allowed(&self, level_code: &str) -> bool {
        self.level(level_code).is_some_and(|l| l.repairable)
    }

    /// Calendar months a suspension or closure must be filed ahead (operators: 1).
    pub fn suspension_lead_months(&self) -> Result<u32, ParamError> {
        self.param_int("suspension_lead_months").map(|m| m as u32)
    }

    /// Latest filing date for a suspension or closure starting on `starts_on`.
    pub fn latest_suspension_filing(&self, starts_on: NaiveDate) -> Result<NaiveDate, ParamError> {
        let m = self.suspension_lead_months()?;
        Ok(starts_on
            .checked_sub_months(Months::new(m))
            .unwrap_or(NaiveDate::MIN))
    }

    /// The declared facts the rules read, in definition order without repeats:
    /// `(fact key, rule id, evidence the rule asks for)`. Intake forms are built from this,
    /// so a revised definition that asks for a new fact needs no code change there.
    pub fn fact_keys(&self) -> Vec<(&str, &str, &[String])> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for g in &self.groups {
            if let Some(k) = g.applies_if.as_deref()
                && seen.insert(k)
            {
                out.push((k, g.id.as_str(), &[][..]));
            }
            for r in &g.rules {
                let keys = r.check.fact_keys();
                for k in keys {
                    if seen.insert(k) {
                        out.push((k, r.id.as_str(), r.evidence.as_slice()));
                    }
                }
            }
        }
        out
    }

    /// Whether `date` lies in this version's effective period.
    pub fn effective_on(&self, date: NaiveDate) -> bool {
        date >= self.scheme.effective_from && self.scheme.effective_until.is_none_or(|u| date <= u)
    }
}

/// All loaded scheme versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    /// Sorted by (scheme, effective_from).
    schemes: Vec<Scheme>,
}

static BUILTIN: LazyLock<Result<Registry, LoadError>> = LazyLock::new(|| {
    let files: Vec<(String, String)> = BUILTIN_DEFINITION_FILES
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    Registry::from_sources(&files)
});

impl Registry {
    /// The shipped definitions, parsed and validated on first use (not at
    /// Lambda init). Tests prove every shipped file loads.
    pub fn builtin() -> Result<&'static Registry, &'static LoadError> {
        BUILTIN.as_ref()
    }

    /// An empty registry.
    pub fn empty() -> Registry {
        Registry {
            schemes: Vec::new(),
        }
    }

    /// Build from `(file name, TOML text)` pairs.
    pub fn from_sources(files: &[(String, String)]) -> Result<Registry, LoadError> {
        let mut r = Registry::empty();
        for (name, text) in files {
            r.add(name, Scheme::from_toml_str(name, text)?)?;
        }
        Ok(r)
    }

    /// Add a version (e.g. an authority's revised file). Fails when the scheme
    /// already has a version with the same label or the same first day.
    pub fn add(&mut self, file: &str, scheme: Scheme) -> Result<(), LoadError> {
        for s in self
            .schemes
            .iter()
            .filter(|s| s.scheme.id == scheme.scheme.id)
        {
            if s.scheme.version == scheme.scheme.version {
                return Err(LoadError::new(
                    file,
                    "scheme.version",
                    format!(
                        "{} version {} is already loaded",
                        s.scheme.id, s.scheme.version
                    ),
                ));
            }
            if s.scheme.effective_from == scheme.scheme.effective_from {
                return Err(LoadError::new(
                    file,
                    "scheme.effective_from",
                    format!(
                        "{} version {} already starts on {}",
                        s.scheme.id, s.scheme.version, s.scheme.effective_from
                    ),
                ));
            }
        }
        self.schemes.push(scheme);
        self.schemes.sort_by(|a, b| {
            (a.scheme.id, a.scheme.effective_from).cmp(&(b.scheme.id, b.scheme.effective_from))
        });
        Ok(())
    }

    /// The version of `id` in force on `date`: the latest one starting on or
    /// before `date` whose `effective_until` (if any) has not passed.
    pub fn in_force(&self, id: SchemeId, date: NaiveDate) -> Result<&Scheme, NotInForce> {
        self.schemes
            .iter()
            .rev()
            .find(|s| s.scheme.id == id && s.scheme.effective_from <= date)
            .filter(|s| s.effective_on(date))
            .ok_or(NotInForce { scheme: id, date })
    }

    /// A version by label.
    pub fn version(&self, id: SchemeId, version: &str) -> Option<&Scheme> {
        self.schemes
            .iter()
            .find(|s| s.scheme.id == id && s.scheme.version == version)
    }

    /// All versions, sorted by scheme and first day.
    pub fn all(&self) -> &[Scheme] {
        &self.schemes
    }

    /// The authorities that run a scheme in force on `date`, sorted, each once.
    pub fn authorities_in_force(&self, date: NaiveDate) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .schemes
            .iter()
            .filter(|s| s.effective_on(date))
            .filter_map(|s| s.authority_id().ok())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
