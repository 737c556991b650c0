//! Pure evaluation of facts under one scheme version, into an itemized report.
//!
//! [`evaluate`] builds the context and hands it to the evaluator of the scheme's kind:
//! `points`, `credit`, `stars`, `awards` or `conditions` (one file each); each rule
//! becomes a line through `rules`, the level comes from `levels`, and `report` holds the
//! types the caller gets back.

mod awards;
mod conditions;
mod credit;
mod levels;
mod points;
mod report;
mod rules;
mod stars;

use rust_decimal::Decimal;

use crate::facts::Facts;
use crate::model::{ParamValue, Scheme, SchemeKind};

use awards::eval_awards;
use conditions::eval_conditions;
use credit::eval_credit;
use levels::*;
use points::eval_points;
use rules::*;
use stars::eval_stars;

pub use credit::credit_cycle;
pub use levels::level_for_score;
pub use report::{CategoryResult, LevelResult, Outcome, Report, ReportLine, Status};

struct Ctx<'a> {
    scheme: &'a Scheme,
    facts: &'a Facts,
    form: Option<Vec<(String, Decimal)>>,
    aggregate_min: bool,
    year_window_months: u32,
    key_window_months: u32,
}

/// Evaluate `facts` under `scheme`. Pure: no I/O, no clock; `facts.as_of` is the date.
pub fn evaluate(scheme: &Scheme, facts: &Facts) -> Report {
    let form_id = match scheme.parameters.get("evaluation_form").map(|p| &p.value) {
        Some(ParamValue::Text(t)) => Some(t.as_str()),
        _ => None,
    };
    let form = form_id
        .and_then(|id| scheme.forms.iter().find(|f| f.id == id))
        .map(|f| {
            f.items
                .iter()
                .map(|i| (i.id.clone(), i.max.0))
                .collect::<Vec<_>>()
        });
    let aggregate_min = matches!(
        scheme.parameters.get("evaluation_aggregate").map(|p| &p.value),
        Some(ParamValue::Text(t)) if t == "min"
    );
    let months = |k: &str, dflt: u32| match scheme.parameters.get(k).map(|p| &p.value) {
        Some(ParamValue::Int(m)) if *m > 0 => *m as u32,
        _ => dflt,
    };
    let ctx = Ctx {
        scheme,
        facts,
        form,
        aggregate_min,
        // Only used by schemes whose definitions declare these windows (validated).
        year_window_months: months("contract_window_months", 12),
        key_window_months: months("key_client_window_months", 60),
    };
    let mut report = Report {
        scheme: scheme.scheme.id,
        version: scheme.scheme.version.clone(),
        effective_from: scheme.scheme.effective_from,
        as_of: facts.as_of,
        lines: Vec::new(),
        total: None,
        max_total: None,
        level: None,
        pending_level: None,
        status: Status::NotQualified,
        categories: Vec::new(),
        failed: Vec::new(),
        pending: Vec::new(),
    };
    match scheme.scheme.id.kind() {
        SchemeKind::Points => eval_points(&ctx, &mut report),
        SchemeKind::Credit => eval_credit(&ctx, &mut report),
        SchemeKind::Stars => eval_stars(&ctx, &mut report),
        SchemeKind::Awards => eval_awards(&ctx, &mut report),
        SchemeKind::Conditions => eval_conditions(&ctx, &mut report),
    }
    for l in &report.lines {
        if l.outcome == Outcome::NotMet {
            report.failed.push(l.rule_id.clone());
        } else if l.outcome.is_pending() {
            report.pending.push(l.rule_id.clone());
        }
    }
    report
}

fn status_of(lines: &[ReportLine]) -> Status {
    if lines.iter().any(|l| l.outcome == Outcome::NotMet) {
        Status::NotQualified
    } else if lines.iter().any(|l| l.outcome.is_pending()) {
        Status::NeedsReview
    } else {
        Status::Qualified
    }
}
