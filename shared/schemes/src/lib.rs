//! # standing-schemes
//!
//! The rules of the five seed schemes as dated data, evaluated by pure code.
//!
//! * Definitions live in `definitions/<scheme>/<version>.toml`, are embedded
//!   with `include_str!` and parsed + validated lazily on first use.
//!   Every threshold carries its seed reference; values the seeds do not give
//!   are marked `default = true` with a note.
//! * [`Registry::in_force`] picks the version in force on a date;
//!   [`evaluate`] turns [`Facts`] into an itemized [`Report`] naming that version.
//! * [`calendar::WorkCalendar`] knows official holidays and make-up working days;
//!   [`period`] counts periods by 民法典 第二百零一至二百零三条 on it.
//!
//! ```
//! use standing_schemes::{Facts, Registry, SchemeId, evaluate};
//! use chrono::NaiveDate;
//!
//! let date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
//! let registry = Registry::builtin().expect("shipped definitions load");
//! let scheme = registry.in_force(SchemeId::FireCredit, date).unwrap();
//! let report = evaluate(scheme, &Facts::new(date));
//! assert_eq!(report.level.unwrap().code, "B"); // base 100 is B (A needs > 100)
//! ```
//!
//! Nothing here does I/O at evaluation time, reads the clock or touches AWS.

pub mod applications;
pub mod calendar;
pub mod eval;
pub mod facts;
mod load;
pub mod model;
pub mod period;
pub mod registry;

pub use applications::{
    ApplicationDef, ApplicationKindName, ApprovalOutcome, Section, SectionDef, StaffField,
};
pub use calendar::{OutOfRange, WorkCalendar};
pub use eval::{
    CategoryResult, LevelResult, Outcome, Report, ReportLine, Status, credit_cycle, evaluate,
    level_for_score,
};
pub use facts::{
    Certificate, CivilCapacity, ClientEvaluation, ClientService, CreditEvent, DeclaredItem, Fact,
    FactValue, Facts, Project, Review, StaffRecord, full_years,
};
pub use load::LoadError;
pub use model::{ApplicantKind, Scheme, SchemeId, SchemeKind, SeedRef};
pub use period::{LastDay, Period, PeriodUnit};
pub use registry::{BUILTIN_DEFINITION_FILES, NotInForce, ParamError, Registry};
