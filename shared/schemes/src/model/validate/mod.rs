//! Validation of a scheme version, section by section, in the order a definition file
//! reads: header, parameters, levels, groups and rules, the table of its kind, forms and
//! revocation grounds. The first inconsistency found is the error.

mod groups;
mod kinds;
mod levels;
mod parameters;

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::load::LoadError;
use crate::period::PeriodUnit;

use super::{ParamValue, Scheme, SchemeId, SeedRef};

struct V<'a> {
    file: &'a str,
}

impl V<'_> {
    fn err(&self, path: impl Into<String>, problem: impl Into<String>) -> LoadError {
        LoadError::new(self.file, path, problem)
    }

    fn seed(&self, path: &str, s: &SeedRef) -> Result<(), LoadError> {
        let ok_doc = s.doc.len() == 8
            && s.doc.starts_with("seed-")
            && s.doc[5..].chars().all(|c| c.is_ascii_digit());
        if !ok_doc {
            return Err(self.err(
                format!("{path}.doc"),
                format!("\"{}\" is not a seed document id like \"seed-000\"", s.doc),
            ));
        }
        if s.article.trim().is_empty() {
            return Err(self.err(format!("{path}.article"), "the seed article must be given"));
        }
        Ok(())
    }

    fn default_note(
        &self,
        path: &str,
        default: bool,
        note: &Option<String>,
    ) -> Result<(), LoadError> {
        if default && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(self.err(
                format!("{path}.note"),
                "a value marked default = true must say why in a note",
            ));
        }
        Ok(())
    }
}

impl Scheme {
    /// Check internal consistency. `file` names the source in errors.
    pub fn validate(&self, file: &str) -> Result<(), LoadError> {
        let v = V { file };
        self.validate_header(&v)?;
        self.validate_parameters(&v)?;
        let codes = self.validate_levels(&v)?;
        self.validate_groups(&v, &codes)?;
        self.validate_kind(&v)?;
        self.validate_forms(&v)?;
        self.validate_grounds(&v)?;
        self.validate_application_seeds(&v)?;
        self.validate_applications(file)
    }

    /// The seed articles of `[[applications]]` (the rest of their checks:
    /// `crate::applications`).
    fn validate_application_seeds(&self, v: &V<'_>) -> Result<(), LoadError> {
        for (i, a) in self.applications.iter().enumerate() {
            v.seed(&format!("applications[{i}].seed"), &a.seed)?;
            for (j, sd) in a.sections.iter().enumerate() {
                if let Some(seed) = &sd.seed {
                    v.seed(&format!("applications[{i}].sections[{j}].seed"), seed)?;
                }
            }
        }
        Ok(())
    }

    /// The header: a version, a period in force that does not end before it starts, a seed.
    fn validate_header(&self, v: &V<'_>) -> Result<(), LoadError> {
        let m = &self.scheme;
        if m.version.trim().is_empty() {
            return Err(v.err("scheme.version", "the version must not be empty"));
        }
        if let Some(u) = m.effective_until
            && u < m.effective_from
        {
            return Err(v.err(
                "scheme.effective_until",
                format!("{u} is before effective_from {}", m.effective_from),
            ));
        }
        v.seed("scheme.seed", &m.seed)?;
        Ok(())
    }

    /// Forms: the item maxima add up to the declared total; the evaluation form exists.
    fn validate_forms(&self, v: &V<'_>) -> Result<(), LoadError> {
        for (fi, f) in self.forms.iter().enumerate() {
            let fp = format!("forms[{fi}]");
            v.seed(&format!("{fp}.seed"), &f.seed)?;
            let sum: Decimal = f.items.iter().map(|i| i.max.0).sum();
            if sum != f.total.0 {
                return Err(v.err(
                    format!("{fp}.items"),
                    format!(
                        "the item maxima add up to {sum}, not the declared total {}",
                        f.total.0
                    ),
                ));
            }
        }
        if let Some(ParamValue::Text(form)) =
            self.parameters.get("evaluation_form").map(|p| &p.value)
            && !self.forms.iter().any(|f| &f.id == form)
        {
            return Err(v.err(
                "parameters.evaluation_form.value",
                format!("no form with id {form}"),
            ));
        }
        Ok(())
    }

    /// Revocation grounds: each code once, each with its seed.
    fn validate_grounds(&self, v: &V<'_>) -> Result<(), LoadError> {
        let mut gc = BTreeSet::new();
        for (i, g) in self.revocation_grounds.iter().enumerate() {
            if !gc.insert(g.code.as_str()) {
                return Err(v.err(format!("revocation_grounds[{i}].code"), "code used twice"));
            }
            v.seed(&format!("revocation_grounds[{i}].seed"), &g.seed)?;
        }
        Ok(())
    }
}

/// Parameters each kind must define (so the typed accessors cannot fail).
fn required_parameters(id: SchemeId) -> &'static [&'static str] {
    match id {
        SchemeId::CapabilityGrade => &[
            "notice_days",
            "ban_years",
            "annual_report_deadline",
            "certificate_validity",
            "fee_fen",
            "authority_id",
            "certificate_title",
            "serial_prefix",
            "annual_report_reminder_days",
            "annual_report_notice",
            "restructuring_requires_resubmission",
        ],
        SchemeId::FireCredit => &[
            "cycle_months",
            "cycle_anchor",
            "repair_answer_working_days",
            "site_check_day_of_month",
        ],
        SchemeId::OmStars => &[
            "evaluation_aggregate",
            "evaluation_form",
            "contract_window_months",
            "key_client_window_months",
        ],
        SchemeId::AnnualAwards => &["notice_days", "fee_fen"],
        SchemeId::AlarmOperators => &[
            "suspension_lead_months",
            "city_authorities",
            "region_authority_id",
        ],
    }
}

/// Parameters that are periods, with the unit each must be stated in (the code counts
/// them with [`crate::period`] or as calendar months).
const PERIOD_PARAMETERS: &[(&str, PeriodUnit)] = &[
    ("notice_days", PeriodUnit::Days),
    ("ban_years", PeriodUnit::Years),
    ("cycle_months", PeriodUnit::Months),
    ("suspension_lead_months", PeriodUnit::Months),
    ("contract_window_months", PeriodUnit::Months),
    ("key_client_window_months", PeriodUnit::Months),
];

/// Parameters that must be whole numbers.
const INT_PARAMETERS: &[&str] = &[
    "notice_days",
    "ban_years",
    "fee_fen",
    "cycle_months",
    "repair_answer_working_days",
    "site_check_day_of_month",
    "suspension_lead_months",
    "contract_window_months",
    "key_client_window_months",
    "inspection_fee_fen",
];
