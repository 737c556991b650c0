//! Groups and rules: ids used once, each group complete for its role, each check
//! well formed, and periods named rather than restated.

use std::collections::BTreeSet;

use crate::load::LoadError;
use crate::model::{Check, GroupRole, ParamValue, Rule, Scheme, is_known_metric};
use crate::period::PeriodUnit;

use super::V;

impl Scheme {
    pub(super) fn validate_groups(
        &self,
        v: &V<'_>,
        codes: &BTreeSet<&str>,
    ) -> Result<(), LoadError> {
        let mut rule_ids = BTreeSet::new();
        let mut group_ids = BTreeSet::new();
        for (gi, g) in self.groups.iter().enumerate() {
            let gp = format!("groups[{gi}]");
            if !group_ids.insert(g.id.as_str()) {
                return Err(v.err(
                    format!("{gp}.id"),
                    format!("group {} is defined twice", g.id),
                ));
            }
            v.seed(&format!("{gp}.seed"), &g.seed)?;
            match g.role {
                GroupRole::Tier => match &g.level {
                    Some(l) if codes.contains(l.as_str()) => {}
                    Some(l) => {
                        return Err(v.err(format!("{gp}.level"), format!("unknown level {l}")));
                    }
                    None => return Err(v.err(format!("{gp}.level"), "a tier group needs a level")),
                },
                GroupRole::Category => {
                    if g.entrant.is_none() {
                        return Err(v.err(
                            format!("{gp}.entrant"),
                            "a category must say who may enter (unit or person)",
                        ));
                    }
                    if g.materials.is_empty() {
                        return Err(v.err(
                            format!("{gp}.materials"),
                            "a category needs a materials checklist",
                        ));
                    }
                }
                GroupRole::Conditional => {
                    if g.applies_if.is_none() {
                        return Err(v.err(
                            format!("{gp}.applies_if"),
                            "a conditional group needs applies_if",
                        ));
                    }
                }
                GroupRole::Eligibility => {}
            }
            let mut mat_ids = BTreeSet::new();
            for (mi, mat) in g.materials.iter().enumerate() {
                if !mat_ids.insert(mat.id.as_str()) {
                    return Err(v.err(
                        format!("{gp}.materials[{mi}].id"),
                        format!("material {} is listed twice", mat.id),
                    ));
                }
                v.seed(&format!("{gp}.materials[{mi}].seed"), &mat.seed)?;
            }
            if g.rules.is_empty() && g.materials.is_empty() {
                return Err(v.err(format!("{gp}.rules"), "a group needs at least one rule"));
            }
            for (ri, r) in g.rules.iter().enumerate() {
                let rp = format!("{gp}.rules[{ri}]");
                if !rule_ids.insert(r.id.as_str()) {
                    return Err(v.err(
                        format!("{rp}.id"),
                        format!("rule id {} is used twice", r.id),
                    ));
                }
                v.seed(&format!("{rp}.seed"), &r.seed)?;
                v.default_note(&rp, r.default, &r.note)?;
                match &r.check {
                    Check::AtLeast { metric, .. }
                    | Check::GreaterThan { metric, .. }
                    | Check::AtMost { metric, .. }
                    | Check::LessThan { metric, .. }
                        if !is_known_metric(metric) =>
                    {
                        return Err(v.err(
                            format!("{rp}.check.metric"),
                            format!("unknown metric \"{metric}\""),
                        ));
                    }
                    Check::Project {
                        completed_from,
                        completed_to,
                        min_amount_fen,
                        ..
                    } => {
                        if completed_to < completed_from {
                            return Err(v.err(
                                format!("{rp}.check.completed_to"),
                                "window ends before it starts",
                            ));
                        }
                        if *min_amount_fen < 0 {
                            return Err(v.err(
                                format!("{rp}.check.min_amount_fen"),
                                "must not be negative",
                            ));
                        }
                    }
                    Check::OneOf { values, .. } if values.is_empty() => {
                        return Err(v.err(format!("{rp}.check.values"), "list at least one value"));
                    }
                    Check::PeriodOver { period, .. } => {
                        self.period_reference(v, &rp, period, None)?;
                    }
                    Check::AtLeast { metric, .. }
                    | Check::GreaterThan { metric, .. }
                    | Check::AtMost { metric, .. }
                    | Check::LessThan { metric, .. }
                        if metric.starts_with("years_since:") =>
                    {
                        self.period_not_restated(v, &rp, r)?;
                    }
                    Check::LeadTime { period, .. } => {
                        self.period_reference(v, &rp, period, Some(PeriodUnit::Months))?;
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// A rule counting years since a date must not restate a period parameter that the
    /// same seed article states: the two could disagree (seed 000 第二十三条 once gave
    /// `ban_years = 2` and a rule `years_since:revoked_on >= 2`). Such a rule names the
    /// parameter with `kind = "period_over"` instead.
    fn period_not_restated(&self, v: &V<'_>, rule_path: &str, r: &Rule) -> Result<(), LoadError> {
        let same_article = self.parameters.iter().find(|(_, p)| {
            p.unit
                .as_deref()
                .and_then(PeriodUnit::from_parameter_unit)
                .is_some()
                && p.seed.doc == r.seed.doc
                && p.seed.article == r.seed.article
        });
        if let Some((name, p)) = same_article {
            return Err(v.err(
                format!("{rule_path}.check"),
                format!(
                    "rule {} states the period that parameter {name} already states ({} {}); \
                     name it instead: kind = \"period_over\", period = \"{name}\"",
                    r.id, p.seed.doc, p.seed.article
                ),
            ));
        }
        Ok(())
    }

    /// A rule that names a period parameter: the parameter must exist and be a whole
    /// number of days, months or years (in `unit` when given).
    fn period_reference(
        &self,
        v: &V<'_>,
        rule_path: &str,
        name: &str,
        unit: Option<PeriodUnit>,
    ) -> Result<(), LoadError> {
        let path = format!("{rule_path}.check.period");
        let Some(p) = self.parameters.get(name) else {
            return Err(v.err(
                path,
                format!("names parameter \"{name}\", which this file does not define"),
            ));
        };
        let stated = p.unit.as_deref().and_then(PeriodUnit::from_parameter_unit);
        let ok = matches!(p.value, ParamValue::Int(i) if i >= 0)
            && stated.is_some()
            && (unit.is_none() || stated == unit);
        if !ok {
            return Err(v.err(
                path,
                format!(
                    "parameter \"{name}\" is not a whole number of {}",
                    match unit {
                        Some(PeriodUnit::Months) => "months",
                        Some(PeriodUnit::Years) => "years",
                        Some(PeriodUnit::Days) => "calendar days",
                        None => "calendar days, months or years",
                    }
                ),
            ));
        }
        Ok(())
    }
}
