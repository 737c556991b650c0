//! What a form needs to know of a scheme (`GET /v1/schemes`, `GET /v1/schemes/{id}`):
//! the version in force on a date, every fact it lets an applicant declare with its kind,
//! the rule that reads it and the evidence that rule asks for, and the whole dated
//! definition (levels, point items with their maxima, rules, each with its seed article).

use crate::application::{FactKind, fact_kinds};
use chrono::NaiveDate;
use serde::Serialize;
use standing_schemes::{Registry, Scheme, SchemeId, SeedRef};

/// One scheme in the list: the version in force on the date asked, or else the latest
/// one that ended before it (an awards edition), marked `in_force: false`.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeSummary<'a> {
    pub id: &'static str,
    pub in_force: bool,
    pub kind: standing_schemes::SchemeKind,
    pub title_zh: &'a str,
    pub authority_zh: &'a str,
    pub version: &'a str,
    pub effective_from: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<NaiveDate>,
    pub seed: &'a SeedRef,
    /// The kinds of application it takes online (`initial`, `annual_report`); empty:
    /// none (its records are kept by its authority). Sections and outcome of each are in
    /// the form's `definition.applications`.
    pub applications: Vec<&'static str>,
}

/// One fact a form asks for.
#[derive(Debug, Clone, Serialize)]
pub struct FormFact<'a> {
    pub key: &'a str,
    /// `bool`, `number`, `date` or `text`: what the declaration must carry.
    pub kind: &'static str,
    /// The rule (or rule group) that reads it; its title and seed article are in
    /// `definition`.
    pub rule: &'a str,
    /// The materials that rule asks for as evidence.
    pub evidence: &'a [String],
    /// Supplied by the platform from its own records (registration, membership kept by
    /// the association, revocations), whatever the company declares: not asked for.
    pub platform: bool,
}

/// A scheme as a form needs it.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeForm<'a> {
    #[serde(flatten)]
    pub summary: SchemeSummary<'a>,
    pub facts: Vec<FormFact<'a>>,
    pub definition: &'a Scheme,
}

fn kind_name(kind: FactKind) -> &'static str {
    match kind {
        FactKind::Bool => "bool",
        FactKind::Number => "number",
        FactKind::Date => "date",
        FactKind::Text => "text",
    }
}

fn summary(scheme: &Scheme, in_force: bool) -> SchemeSummary<'_> {
    let m = &scheme.scheme;
    SchemeSummary {
        id: m.id.as_str(),
        in_force,
        kind: m.id.kind(),
        title_zh: &m.title_zh,
        authority_zh: &m.authority_zh,
        version: &m.version,
        effective_from: m.effective_from,
        effective_until: m.effective_until,
        seed: &m.seed,
        applications: scheme
            .applications
            .iter()
            .map(|a| a.kind.as_str())
            .collect(),
    }
}

/// The version of `id` a form shows on `on`: the one in force, or else the latest that
/// had started by then (`false`: no longer in force, e.g. last year's awards edition).
/// `None` when no version had started.
pub fn version_on(registry: &Registry, id: SchemeId, on: NaiveDate) -> Option<(&Scheme, bool)> {
    if let Ok(s) = registry.in_force(id, on) {
        return Some((s, true));
    }
    registry
        .all()
        .iter()
        .filter(|s| s.scheme.id == id && s.scheme.effective_from <= on)
        .max_by_key(|s| s.scheme.effective_from)
        .map(|s| (s, false))
}

/// Every scheme, in the version [`version_on`] picks.
pub fn list(registry: &Registry, on: NaiveDate) -> Vec<SchemeSummary<'_>> {
    SchemeId::ALL
        .iter()
        .filter_map(|id| version_on(registry, *id, on))
        .map(|(s, in_force)| summary(s, in_force))
        .collect()
}

/// The form of one scheme version.
pub fn form(scheme: &Scheme, in_force: bool) -> SchemeForm<'_> {
    let kinds = fact_kinds(scheme);
    let facts = scheme
        .fact_keys()
        .into_iter()
        .map(|(key, rule, evidence)| FormFact {
            key,
            kind: kinds.get(key).copied().map_or("text", kind_name),
            rule,
            evidence,
            platform: crate::application::PLATFORM_FACTS.contains(&key),
        })
        .collect();
    SchemeForm {
        summary: summary(scheme, in_force),
        facts,
        definition: scheme,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_is_served_with_its_facts_and_their_kinds() {
        let registry = Registry::builtin().unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let listed = list(registry, on);
        let ids: Vec<&str> = listed.iter().map(|s| s.id).collect();
        for id in SchemeId::ALL {
            assert!(ids.contains(&id.as_str()), "{id:?} missing from {ids:?}");
        }
        // The 2024 awards edition is served, marked as no longer in force.
        let awards = listed.iter().find(|s| s.id == "annual-awards").unwrap();
        assert!(!awards.in_force);
        assert!(
            listed
                .iter()
                .find(|s| s.id == "capability-grade")
                .unwrap()
                .in_force
        );
        let (scheme, in_force) = version_on(registry, SchemeId::CapabilityGrade, on).unwrap();
        let cg = form(scheme, in_force);
        let has_equipment = cg.facts.iter().find(|f| f.key == "has_equipment").unwrap();
        assert_eq!(has_equipment.kind, "bool");
        assert!(!has_equipment.evidence.is_empty());
        assert!(!has_equipment.platform);
        let member = cg
            .facts
            .iter()
            .find(|f| f.key == "association_member")
            .unwrap();
        assert!(
            member.platform,
            "the association's record, not the company's word"
        );
        let json = serde_json::to_value(&cg).unwrap();
        assert_eq!(json["id"], "capability-grade");
        assert!(
            json["definition"]["points"].is_object(),
            "point items with maxima"
        );
    }
}
