//! What a scheme lets a company apply for, as data: the kinds of application it accepts,
//! the parts of a declaration each kind takes, and what an approval yields.
//!
//! The application pipeline in `standing-domain` (draft, declaration, materials,
//! submission, automated review, staff check, public notice, approval) is the same for
//! every scheme; these definitions choose its branches, so a new scheme is data plus, at
//! most, one small domain module. A scheme with no `[[applications]]` takes no online
//! applications (its records are kept by its authority, e.g. fire-technology credit).

use serde::{Deserialize, Serialize};

use crate::load::LoadError;
use crate::model::{Check, Scheme, SeedRef};

/// A kind of application a scheme accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDef {
    /// The pipeline shape: `initial` (a first application: a new certificate or level) or
    /// `annual_report` (a holder reports on the certificate it holds).
    pub kind: ApplicationKindName,
    /// Chinese name shown to applicants.
    pub title_zh: String,
    /// The seed article that opens this kind of application.
    pub seed: SeedRef,
    /// The parts of the declaration, in the order a form shows them.
    pub sections: Vec<SectionDef>,
    /// What approval yields.
    pub outcome: ApprovalOutcome,
    /// The applicant names the level it applies for (star ratings: 1, 2 or 3 stars);
    /// the review then weighs the requirements of that level and the levels it builds on.
    #[serde(default)]
    pub asks_level: bool,
    /// A public notice (and its objections) comes between the review and the approval
    /// (default). `false`: a qualified application is approved by the review, or by the
    /// staff check when one is needed (the alarm operators' filing: the seed names no
    /// notice).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub public_notice: bool,
    /// The applicant names the local authority it applies to, one of the scheme's
    /// `city_authorities` (the alarm operators: 属地管理, seed 004 二（一）), instead of the
    /// scheme's single `authority_id`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_authority: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The application kinds the pipeline knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKindName {
    /// A first application (or one after a refusal or an expiry).
    Initial,
    /// A holder's report on the certificate it holds (seed 000 第十一条、第十二条).
    AnnualReport,
}

impl ApplicationKindName {
    /// The name used in the API and the data.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationKindName::Initial => "initial",
            ApplicationKindName::AnnualReport => "annual_report",
        }
    }
}

/// What approval of an application yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalOutcome {
    /// A certificate record (new, or the held one renewed for an annual report), signed
    /// and rendered; needs the scheme's `certificate_title`, `serial_prefix` and
    /// `certificate_validity`.
    Certificate,
    /// The level reached is recorded on the approved application and the company is put
    /// on the scheme's public list of rated companies; no certificate.
    Level,
    /// Both: the company goes on the public list of rated companies at the level reached
    /// and gets a certificate of that level (the star rating, seed 003 3.1), which the
    /// list links to. Needs what [`ApprovalOutcome::Certificate`] needs.
    LevelAndCertificate,
    /// A nomination for an award category (seed 001): approval admits it to the
    /// category's expert panel; the winners are chosen by the panel's scores and put on
    /// public notice together, then published and given award certificates.
    Nomination,
}

impl ApprovalOutcome {
    /// Approval writes a certificate record.
    pub fn issues_certificate(self) -> bool {
        matches!(self, Self::Certificate | Self::LevelAndCertificate)
    }

    /// Approval puts the company on the scheme's public ratings list.
    pub fn lists_rating(self) -> bool {
        matches!(self, Self::Level | Self::LevelAndCertificate)
    }
}

/// A part of a declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// Which part.
    pub id: Section,
    /// What the materials backing a list section must show (labels for a form). A
    /// non-empty list section must name at least one material when this is given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The seed article asking for it (required when `evidence` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<SeedRef>,
    /// The fields of each entry of a list section (the staff roster), when they are not
    /// the default ones (see [`StaffField`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<StaffField>,
}

/// A field of a staff roster entry. The O&M star rating asks `qualified`,
/// `college_or_above`, `training_session_hours` (the default); the alarm operators ask
/// `id_number` (GB 11643, validated, kept only masked), `civil_capacity` and
/// `intentional_criminal_record` (seed 004 二（二）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffField {
    Qualified,
    CollegeOrAbove,
    TrainingSessionHours,
    IdNumber,
    CivilCapacity,
    IntentionalCriminalRecord,
}

impl StaffField {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffField::Qualified => "qualified",
            StaffField::CollegeOrAbove => "college_or_above",
            StaffField::TrainingSessionHours => "training_session_hours",
            StaffField::IdNumber => "id_number",
            StaffField::CivilCapacity => "civil_capacity",
            StaffField::IntentionalCriminalRecord => "intentional_criminal_record",
        }
    }

    /// The fields of a roster entry when the data names none.
    pub const DEFAULT: [StaffField; 3] = [
        StaffField::Qualified,
        StaffField::CollegeOrAbove,
        StaffField::TrainingSessionHours,
    ];
}

impl SectionDef {
    /// The fields of each entry (the data's, or [`StaffField::DEFAULT`]).
    pub fn entry_fields(&self) -> &[StaffField] {
        if self.fields.is_empty() {
            &StaffField::DEFAULT
        } else {
            &self.fields
        }
    }
}

/// The parts a declaration may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Facts by key, each with its evidence (every scheme with rules).
    Facts,
    /// Point items with quantities (points schemes).
    Items,
    /// The staff roster: one entry per person, no personal identifiers (metrics `staff.*`).
    Staff,
    /// Clients served under maintenance contracts (metrics `clients.*`).
    Clients,
    /// Projects built (amount in fen, completion date, acceptance, demonstration
    /// project): read by `project` checks (the annual awards, seed 001 四（一）1、四（三）3).
    Projects,
}

impl Section {
    /// The name used in the API and the data.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Facts => "facts",
            Section::Items => "items",
            Section::Staff => "staff",
            Section::Clients => "clients",
            Section::Projects => "projects",
        }
    }

    /// Every section, in API order.
    pub const ALL: [Section; 5] = [
        Section::Facts,
        Section::Items,
        Section::Staff,
        Section::Clients,
        Section::Projects,
    ];
}

impl ApplicationDef {
    /// The definition of `section` in this kind, if the kind takes it.
    pub fn section(&self, section: Section) -> Option<&SectionDef> {
        self.sections.iter().find(|s| s.id == section)
    }
}

impl Check {
    /// The declared facts this check reads (`fact:` and `years_since:` metrics name one;
    /// computed metrics, projects and human checks none).
    pub fn fact_keys(&self) -> Vec<&str> {
        match self {
            Check::True { fact }
            | Check::False { fact }
            | Check::OneOf { fact, .. }
            | Check::PeriodOver { since: fact, .. } => vec![fact.as_str()],
            Check::AtLeast { metric, .. }
            | Check::GreaterThan { metric, .. }
            | Check::AtMost { metric, .. }
            | Check::LessThan { metric, .. } => metric
                .strip_prefix("fact:")
                .or_else(|| metric.strip_prefix("years_since:"))
                .into_iter()
                .collect(),
            Check::LeadTime { filed, starts, .. } => vec![filed.as_str(), starts.as_str()],
            Check::Project { .. } | Check::Human => Vec::new(),
        }
    }
}

impl Scheme {
    /// The scheme as an application for `level` sees it: the levels above it and their
    /// tiers of requirements left out (a level builds on the ones below it, which stay).
    /// `None` when `level` is not one of the scheme's.
    pub fn up_to_level(&self, level: &str) -> Option<Scheme> {
        let at = self.levels.iter().position(|l| l.code == level)?;
        let above: Vec<&str> = self.levels[..at].iter().map(|l| l.code.as_str()).collect();
        let mut s = self.clone();
        s.levels.drain(..at);
        s.groups.retain(|g| {
            g.role != crate::model::GroupRole::Tier
                || g.level.as_deref().is_none_or(|l| !above.contains(&l))
        });
        Some(s)
    }

    /// The rule with this id, in any group.
    pub fn rule(&self, id: &str) -> Option<&crate::model::Rule> {
        self.groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .find(|r| r.id == id)
    }

    /// The definition of an application kind this scheme accepts.
    pub fn application(&self, kind: ApplicationKindName) -> Option<&ApplicationDef> {
        self.applications.iter().find(|a| a.kind == kind)
    }

    /// Some rule reads the company's certificates (the alarm operators: grade 2 or better
    /// of the capability grade): the pipeline then loads them from the platform's records.
    pub fn reads_certificates(&self) -> bool {
        self.metrics_used().any(|m| m.starts_with("certificate."))
    }

    /// Metric names (`staff.qualified_count`, ...) that the scheme's rules use.
    fn metrics_used(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flat_map(|g| g.rules.iter())
            .filter_map(|r| match &r.check {
                Check::AtLeast { metric, .. }
                | Check::GreaterThan { metric, .. }
                | Check::AtMost { metric, .. }
                | Check::LessThan { metric, .. } => Some(metric.as_str()),
                _ => None,
            })
    }

    /// Check `[[applications]]`: kinds unique; sections unique, each one the scheme can
    /// use (items need a point table, staff and clients need rules on their metrics);
    /// evidence labels come with their seed article; an annual report renews a
    /// certificate; a certificate outcome has the parameters a certificate needs.
    pub(crate) fn validate_applications(&self, file: &str) -> Result<(), LoadError> {
        let err = |path: String, problem: String| LoadError::new(file, path, problem);
        if self.applications.iter().any(|a| !a.local_authority)
            && !self.parameters.contains_key("authority_id")
        {
            return Err(err(
                "parameters.authority_id".into(),
                "a scheme that takes applications names the authority that decides them".into(),
            ));
        }
        for (i, a) in self.applications.iter().enumerate() {
            let path = format!("applications[{i}]");
            if self.applications[..i].iter().any(|b| b.kind == a.kind) {
                return Err(err(
                    format!("{path}.kind"),
                    format!("kind {} is defined twice", a.kind.as_str()),
                ));
            }
            if a.title_zh.trim().is_empty() {
                return Err(err(format!("{path}.title_zh"), "must not be empty".into()));
            }
            if a.sections.is_empty() {
                return Err(err(
                    format!("{path}.sections"),
                    "an application declares at least one section".into(),
                ));
            }
            for (j, s) in a.sections.iter().enumerate() {
                let spath = format!("{path}.sections[{j}]");
                if a.sections[..j].iter().any(|t| t.id == s.id) {
                    return Err(err(
                        format!("{spath}.id"),
                        format!("section {} is listed twice", s.id.as_str()),
                    ));
                }
                let usable = match s.id {
                    Section::Facts => !self.groups.is_empty(),
                    Section::Items => self.points.is_some(),
                    Section::Staff => self.metrics_used().any(|m| m.starts_with("staff.")),
                    Section::Clients => self.metrics_used().any(|m| m.starts_with("clients.")),
                    Section::Projects => self
                        .groups
                        .iter()
                        .flat_map(|g| g.rules.iter())
                        .any(|r| matches!(r.check, Check::Project { .. })),
                };
                if !usable {
                    return Err(err(
                        format!("{spath}.id"),
                        format!(
                            "no rule of this scheme reads section {}: nothing would use it",
                            s.id.as_str()
                        ),
                    ));
                }
                if !s.evidence.is_empty() && s.seed.is_none() {
                    return Err(err(
                        format!("{spath}.seed"),
                        "evidence asked of a section must name its seed article".into(),
                    ));
                }
            }
            if a.kind == ApplicationKindName::Initial
                && a.public_notice
                && !self.parameters.contains_key("notice_days")
            {
                return Err(err(
                    format!("{path}.kind"),
                    "a first application is approved after a public notice: parameters.notice_days is needed".into(),
                ));
            }
            if a.kind == ApplicationKindName::AnnualReport
                && a.outcome != ApprovalOutcome::Certificate
            {
                return Err(err(
                    format!("{path}.outcome"),
                    "an annual report renews a certificate: outcome must be certificate".into(),
                ));
            }
            if a.outcome.issues_certificate() {
                for key in ["certificate_title", "serial_prefix", "certificate_validity"] {
                    if !self.parameters.contains_key(key) {
                        return Err(err(
                            format!("{path}.outcome"),
                            format!("a certificate outcome needs parameters.{key}"),
                        ));
                    }
                }
                // Printed when given: the basis sentence's rules and the scope.
                for key in ["certificate_basis", "certificate_scope"] {
                    if let Some(p) = self.parameters.get(key)
                        && !matches!(&p.value, crate::model::ParamValue::Text(t) if !t.trim().is_empty())
                    {
                        return Err(err(
                            format!("parameters.{key}"),
                            "printed on certificates: a non-empty text".into(),
                        ));
                    }
                }
                if self.levels.is_empty() {
                    return Err(err(
                        format!("{path}.outcome"),
                        "a certificate states a level: the scheme has none".into(),
                    ));
                }
            }
            if a.local_authority && !self.parameters.contains_key("city_authorities") {
                return Err(err(
                    format!("{path}.local_authority"),
                    "an application to a local authority needs parameters.city_authorities".into(),
                ));
            }
            if !a.public_notice && a.kind != ApplicationKindName::Initial {
                return Err(err(
                    format!("{path}.public_notice"),
                    "only a first application may go without a public notice".into(),
                ));
            }
            for (j, s) in a.sections.iter().enumerate() {
                if !s.fields.is_empty() && s.id != Section::Staff {
                    return Err(err(
                        format!("{path}.sections[{j}].fields"),
                        "only the staff roster names its entry fields".into(),
                    ));
                }
            }
            if a.asks_level
                && !self
                    .groups
                    .iter()
                    .any(|g| g.role == crate::model::GroupRole::Tier)
            {
                return Err(err(
                    format!("{path}.asks_level"),
                    "only a scheme with tiers of requirements per level lets an applicant name its level".into(),
                ));
            }
            if a.outcome == ApprovalOutcome::Level && self.levels.is_empty() {
                return Err(err(
                    format!("{path}.outcome"),
                    "a level outcome needs levels".into(),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Registry, SchemeId};

    use super::*;

    fn scheme(id: SchemeId) -> Scheme {
        let registry = Registry::builtin().expect("shipped definitions load");
        registry
            .all()
            .iter()
            .rfind(|s| s.scheme.id == id)
            .expect("a version")
            .clone()
    }

    #[test]
    fn capability_grade_takes_first_applications_and_annual_reports_for_a_certificate() {
        let s = scheme(SchemeId::CapabilityGrade);
        let initial = s.application(ApplicationKindName::Initial).unwrap();
        assert_eq!(initial.outcome, ApprovalOutcome::Certificate);
        assert!(initial.section(Section::Items).is_some());
        let annual = s.application(ApplicationKindName::AnnualReport).unwrap();
        assert_eq!(annual.outcome, ApprovalOutcome::Certificate);
    }

    #[test]
    fn star_rating_declares_facts_staff_and_clients_with_evidence_for_the_lists() {
        let s = scheme(SchemeId::OmStars);
        let a = s.application(ApplicationKindName::Initial).unwrap();
        let ids: Vec<Section> = a.sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, [Section::Facts, Section::Staff, Section::Clients]);
        assert!(!a.section(Section::Staff).unwrap().evidence.is_empty());
        assert!(!a.section(Section::Clients).unwrap().evidence.is_empty());
        assert!(s.application(ApplicationKindName::AnnualReport).is_none());
    }

    #[test]
    fn up_to_a_level_leaves_out_the_levels_above_and_their_tiers() {
        let s = scheme(SchemeId::OmStars);
        let two = s.up_to_level("2").unwrap();
        let codes: Vec<&str> = two.levels.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["2", "1"]);
        assert!(two.groups.iter().all(|g| g.level.as_deref() != Some("3")));
        assert!(two.groups.iter().any(|g| g.id == "preconditions"));
        assert!(two.groups.iter().any(|g| g.level.as_deref() == Some("1")));
        assert!(s.up_to_level("4").is_none());
        assert!(
            s.application(ApplicationKindName::Initial)
                .unwrap()
                .asks_level
        );
    }

    #[test]
    fn schemes_without_online_applications_say_so_by_having_none() {
        assert!(scheme(SchemeId::FireCredit).applications.is_empty());
    }

    #[test]
    fn the_awards_take_nominations_with_their_projects_and_no_notice_per_nomination() {
        let s = scheme(SchemeId::AnnualAwards);
        let a = s.application(ApplicationKindName::Initial).unwrap();
        assert_eq!(a.outcome, ApprovalOutcome::Nomination);
        assert!(!a.public_notice, "the notice is of the proposed winners");
        assert!(a.section(Section::Projects).is_some());
        assert!(!a.outcome.issues_certificate() && !a.outcome.lists_rating());
    }

    fn check(mut s: Scheme, edit: impl FnOnce(&mut Scheme)) -> String {
        edit(&mut s);
        s.validate_applications("t.toml").unwrap_err().to_string()
    }

    #[test]
    fn the_loader_refuses_applications_the_scheme_cannot_serve() {
        let stars = scheme(SchemeId::OmStars);
        let e = check(stars.clone(), |s| {
            let a = s.applications[0].clone();
            s.applications.push(a);
        });
        assert!(e.contains("defined twice"), "{e}");
        let e = check(stars.clone(), |s| {
            s.applications[0].sections.push(SectionDef {
                id: Section::Items,
                evidence: vec![],
                seed: None,
                fields: vec![],
            })
        });
        assert!(e.contains("nothing would use it"), "{e}");
        for outcome in [
            ApprovalOutcome::Certificate,
            ApprovalOutcome::LevelAndCertificate,
        ] {
            let e = check(stars.clone(), |s| {
                s.applications[0].outcome = outcome;
                s.parameters.remove("certificate_title");
            });
            assert!(e.contains("parameters.certificate_title"), "{e}");
        }
        let e = check(stars.clone(), |s| s.applications[0].sections[1].seed = None);
        assert!(e.contains("seed article"), "{e}");
        let e = check(stars.clone(), |s| {
            s.applications[0].kind = ApplicationKindName::AnnualReport
        });
        assert!(e.contains("outcome must be certificate"), "{e}");
        let e = check(stars.clone(), |s| s.applications[0].local_authority = true);
        assert!(e.contains("city_authorities"), "{e}");
        let e = check(stars, |s| {
            s.applications[0].sections[0].fields = vec![StaffField::IdNumber]
        });
        assert!(e.contains("only the staff roster"), "{e}");
        let operators = scheme(SchemeId::AlarmOperators);
        let a = operators.application(ApplicationKindName::Initial).unwrap();
        assert!(!a.public_notice && a.local_authority);
        assert_eq!(
            a.section(Section::Staff).unwrap().entry_fields(),
            [
                StaffField::IdNumber,
                StaffField::CivilCapacity,
                StaffField::IntentionalCriminalRecord
            ]
        );
    }
}
