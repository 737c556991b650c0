//! Parameters: the required ones present, each sourced, whole numbers and periods in
//! their units, dates and enumerated values well formed.

use crate::load::LoadError;
use crate::model::{CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE, ParamValue, Scheme, parse_month_day};
use crate::period::PeriodUnit;

use super::{INT_PARAMETERS, PERIOD_PARAMETERS, V, required_parameters};

impl Scheme {
    pub(super) fn validate_parameters(&self, v: &V<'_>) -> Result<(), LoadError> {
        let m = &self.scheme;
        for key in required_parameters(m.id) {
            if !self.parameters.contains_key(*key) {
                return Err(v.err(
                    format!("parameters.{key}"),
                    format!("parameter {key} is required for {}", m.id),
                ));
            }
        }
        for (k, p) in &self.parameters {
            let path = format!("parameters.{k}");
            v.seed(&format!("{path}.seed"), &p.seed)?;
            v.default_note(&path, p.default, &p.note)?;
            if let ParamValue::Int(i) = p.value
                && i < 0
            {
                return Err(v.err(format!("{path}.value"), "must not be negative"));
            }
        }
        for key in INT_PARAMETERS {
            if let Some(p) = self.parameters.get(*key)
                && !matches!(p.value, ParamValue::Int(_))
            {
                return Err(v.err(
                    format!("parameters.{key}.value"),
                    format!("{key} must be a whole number, found {:?}", p.value),
                ));
            }
        }
        for (key, unit) in PERIOD_PARAMETERS {
            if let Some(p) = self.parameters.get(*key) {
                let stated = p.unit.as_deref().and_then(PeriodUnit::from_parameter_unit);
                if stated != Some(*unit) {
                    return Err(v.err(
                        format!("parameters.{key}.unit"),
                        format!(
                            "{key} is a period counted in {unit:?}; state its unit as {}",
                            match unit {
                                PeriodUnit::Days => "\"calendar_days\"",
                                PeriodUnit::Months => "\"months\"",
                                PeriodUnit::Years => "\"years\"",
                            }
                        ),
                    ));
                }
                if matches!(p.value, ParamValue::Int(i) if i < 0) {
                    return Err(v.err(
                        format!("parameters.{key}.value"),
                        "a period cannot be negative",
                    ));
                }
            }
        }
        if let Some(p) = self.parameters.get("annual_report_deadline") {
            let ok = matches!(&p.value, ParamValue::Text(t) if parse_month_day(t).is_some());
            if !ok {
                return Err(v.err(
                    "parameters.annual_report_deadline.value",
                    "must be a month-day like \"06-30\"",
                ));
            }
        }

        for (key, allowed) in [
            ("cycle_anchor", &["calendar_year"][..]),
            ("evaluation_aggregate", &["mean", "min"][..]),
            (
                "annual_report_notice",
                &["always", "on_grade_change", "never"][..],
            ),
        ] {
            if let Some(p) = self.parameters.get(key) {
                let ok = matches!(&p.value, ParamValue::Text(t) if allowed.contains(&t.as_str()));
                if !ok {
                    return Err(v.err(
                        format!("parameters.{key}.value"),
                        format!("{key} must be one of {}", allowed.join(", ")),
                    ));
                }
            }
        }
        if let Some(p) = self.parameters.get("city_authorities") {
            // `id=名称` each, ids unique: the first level of a two-level review.
            let ok = match &p.value {
                ParamValue::List(l) if !l.is_empty() => {
                    let ids: Vec<&str> = l
                        .iter()
                        .filter_map(|e| e.split_once('=').map(|(id, _)| id))
                        .collect();
                    ids.len() == l.len()
                        && l.iter().all(|e| {
                            e.split_once('=')
                                .is_some_and(|(id, name)| !id.is_empty() && !name.is_empty())
                        })
                        && ids.iter().collect::<std::collections::BTreeSet<_>>().len() == ids.len()
                }
                _ => false,
            };
            if !ok {
                return Err(v.err(
                    "parameters.city_authorities.value",
                    "a list of distinct \"id=名称\" entries",
                ));
            }
        }
        if let Some(p) = self.parameters.get("certificate_validity") {
            // Either the rule of seed 000 第十九条 by name, or a fixed period (a whole
            // number of months or years) counted from the day after issue.
            let ok = match &p.value {
                ParamValue::Text(t) => t == CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE,
                ParamValue::Int(n) => {
                    *n > 0 && matches!(p.unit.as_deref(), Some("months") | Some("years"))
                }
                _ => false,
            };
            if !ok {
                return Err(v.err(
                    "parameters.certificate_validity.value",
                    format!(
                        "certificate_validity must be {CERTIFICATE_VALIDITY_NEXT_YEAR_DEADLINE} or a positive number of months or years (with unit)"
                    ),
                ));
            }
        }
        Ok(())
    }
}
