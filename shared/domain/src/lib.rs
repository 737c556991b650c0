//! The pure domain of Standing.
//!
//! Everything here decides; nothing here stores or fetches. The outside world is seen
//! only through small traits (`Clock`, the store traits in [`store`]), so the rules can be
//! tested fast and run anywhere. No AWS types are allowed in this crate.

pub mod annual_report;
pub mod application;
pub mod audit;
pub mod auth;
pub mod award_panel;
pub mod certificate;
pub mod change;
pub mod clock;
pub mod credit;
pub mod dispatch;
pub mod evaluation_form;
pub mod ids;
pub mod input;
pub mod job;
pub mod membership;
pub mod notice;
pub mod organization;
pub mod problem;
pub mod rating;
pub mod scheme_form;
pub mod seal;
pub mod store;
pub mod suspension;

pub use audit::{Actor, AuditEvent};
pub use auth::Principal;
pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{CreditCode, CreditCodeError, RecordId};
pub use problem::{FieldError, Problem, ProblemKind};
