//! The declaration of an application: what a company states about itself in the parts
//! its scheme asks for (`[[applications]].sections`: facts, point items, the staff
//! roster, clients), read strictly against the scheme, each value with the kind the
//! scheme expects and the evidence (materials of this application) that backs it.
//!
//! The same reading serves the form's preview (`POST /v1/schemes/{id}/evaluate`), where
//! nothing is stored and evidence is taken as named.

use super::{Application, ApplicationStatus, invalid};
use crate::audit::{Actor, AuditEvent};
use crate::auth::Principal;
use crate::clock::china_date;
use crate::ids::PersonIdNumber;
use crate::input::{Errors, Lines, Reader, checked_text};
use crate::problem::Problem;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use standing_schemes::{
    ApplicationDef, ApplicationKindName, CivilCapacity, ClientService, DeclaredItem, Fact,
    FactValue, Facts, Project, Registry, Report, Scheme, Section, StaffField, StaffRecord,
    evaluate,
};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// The kind of value a scheme expects for a declared fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    Bool,
    Number,
    Date,
    Text,
}

impl FactKind {
    fn expected(self) -> &'static str {
        match self {
            FactKind::Bool => "应为布尔值 true 或 false",
            FactKind::Number => "应为数字",
            FactKind::Date => "应为日期字符串（YYYY-MM-DD）",
            FactKind::Text => "应为文字",
        }
    }
}

/// The facts a scheme lets an applicant declare, with the kind each must have.
pub fn fact_kinds(scheme: &Scheme) -> BTreeMap<String, FactKind> {
    use standing_schemes::model::Check;
    let mut out = BTreeMap::new();
    for g in &scheme.groups {
        if let Some(k) = g.applies_if.as_deref() {
            out.entry(k.to_owned()).or_insert(FactKind::Bool);
        }
        for r in &g.rules {
            let found: Vec<(&str, FactKind)> = match &r.check {
                Check::True { fact } | Check::False { fact } => vec![(fact, FactKind::Bool)],
                Check::OneOf { fact, .. } => vec![(fact, FactKind::Text)],
                Check::AtLeast { metric, .. }
                | Check::GreaterThan { metric, .. }
                | Check::AtMost { metric, .. }
                | Check::LessThan { metric, .. } => {
                    if let Some(k) = metric.strip_prefix("fact:") {
                        vec![(k, FactKind::Number)]
                    } else if let Some(k) = metric.strip_prefix("years_since:") {
                        vec![(k, FactKind::Date)]
                    } else {
                        vec![]
                    }
                }
                Check::LeadTime { filed, starts, .. } => {
                    vec![(filed, FactKind::Date), (starts, FactKind::Date)]
                }
                Check::PeriodOver { since, .. } => vec![(since, FactKind::Date)],
                Check::Project { .. } | Check::Human => vec![],
            };
            for (k, kind) in found {
                out.entry(k.to_owned()).or_insert(kind);
            }
        }
    }
    // Anything else the scheme names as a fact (fact_keys) is read as text.
    for (k, _, _) in scheme.fact_keys() {
        out.entry(k.to_owned()).or_insert(FactKind::Text);
    }
    out
}

/// Read a declared fact value strictly: the JSON type must be the one the scheme
/// expects (no `"maybe"` for a yes/no fact, no number for a date).
fn fact_value(v: &Value, kind: FactKind, field: &str, errors: &mut Errors) -> Option<FactValue> {
    let value = match (kind, v) {
        (FactKind::Bool, Value::Bool(b)) => Some(FactValue::Bool(*b)),
        (FactKind::Number, Value::Number(n)) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok()
            .map(FactValue::Number),
        (FactKind::Date, Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .map(FactValue::Date),
        (FactKind::Text, Value::String(_)) => {
            return checked_text(field, v, 1, MAX_FACT_TEXT_CHARS, Lines::Single, errors)
                .map(FactValue::Text);
        }
        _ => None,
    };
    if value.is_none() {
        errors.push(field, kind.expected());
    }
    value
}

/// Declaration limits, chosen so that the largest valid application, its largest audit
/// event and its evaluation report each stay far below DynamoDB's 400 KB item limit
/// (the arithmetic is in docs/access-patterns.md, "Item sizes").
pub const MAX_DECLARED_ITEMS: usize = 100;
/// Evidence references one fact or point item may list.
pub const MAX_EVIDENCE_PER_ENTRY: usize = 10;
/// Evidence references a whole declaration may list.
pub const MAX_EVIDENCE_REFS: usize = 200;
/// Longest text value of a declared fact, in characters.
pub const MAX_FACT_TEXT_CHARS: usize = 200;

/// Entries one list section (staff, clients) may hold.
pub const MAX_SECTION_ENTRIES: usize = 300;
/// Longest reference (a staff or client reference of the company's own choosing).
pub const MAX_REF_CHARS: usize = 64;

/// A list section of a declaration with the materials that back it as a whole (a staff
/// roster, the contracts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster<T> {
    pub entries: Vec<T>,
    /// Material ids (in the preview: references as named).
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A declaration as read from a body: every part the kind of application takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Declaration {
    pub facts: BTreeMap<String, Fact>,
    pub items: Vec<DeclaredItem>,
    pub staff: Option<Roster<StaffRecord>>,
    pub clients: Option<Roster<ClientService>>,
    pub projects: Option<Roster<Project>>,
}

/// How evidence references are checked.
pub enum EvidenceRefs<'a> {
    /// Each must be the id of one of these materials (a saved declaration).
    Materials(&'a BTreeSet<String>),
    /// Taken as named (a preview: nothing is uploaded, nothing stored).
    AsNamed,
}

/// The error for a section the kind of application does not take.
fn not_taken(section: &str, def: &ApplicationDef) -> String {
    format!("“{}”不申报{section}", def.title_zh)
}

/// Read a declaration strictly: `{"facts": {key: {"value": .., "evidence": [..]}},
/// "items": [{"item": id, "quantity": n, "evidence": [..]}], "staff": {"entries": [..],
/// "evidence": [..]}, "clients": {"entries": [..], "evidence": [..]}}`. Only the
/// sections the kind takes are accepted; keys and items must be the scheme's; values
/// must have the type the scheme expects. `extra` names further top-level fields the
/// caller reads itself.
pub fn read_declaration(
    body: &Value,
    scheme: &Scheme,
    def: &ApplicationDef,
    refs: EvidenceRefs<'_>,
    extra: &[&str],
) -> Result<Declaration, Problem> {
    let kinds = fact_kinds(scheme);
    let known_items: BTreeSet<&str> = scheme
        .points
        .iter()
        .flat_map(|p| {
            p.areas
                .iter()
                .flat_map(|a| a.items.iter().map(|i| i.id.as_str()))
        })
        .collect();
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let mut known: Vec<&str> = Section::ALL.iter().map(|s| s.as_str()).collect();
    known.extend_from_slice(extra);
    root.deny_unknown(&known, &mut errors);
    for s in Section::ALL {
        if def.section(s).is_none() && root.value(s.as_str()).is_some() {
            errors.push(s.as_str(), not_taken(s.as_str(), def));
        }
    }
    let mut count = 0usize;
    let mut evidence = |r: &Reader<'_>, errors: &mut Errors| -> Vec<String> {
        let list = r.texts("evidence", MAX_EVIDENCE_PER_ENTRY, 1, 64, errors);
        let field = r.path_of("evidence");
        count += list.len();
        let mut out = Vec::new();
        for (i, id) in list.into_iter().enumerate() {
            match refs {
                EvidenceRefs::Materials(materials) if !materials.contains(&id) => errors.push(
                    format!("{field}[{i}]"),
                    format!("本申请没有编号为 {id} 的材料，请先上传"),
                ),
                _ => out.push(id),
            }
        }
        out
    };
    let mut declaration = Declaration::default();
    if def.section(Section::Facts).is_some() {
        match root.value("facts") {
            None => {}
            Some(Value::Object(_)) => {
                if let Some(map) = root.object("facts", &mut errors) {
                    for (key, field, entry) in map.entries() {
                        let Some(&kind) = kinds.get(key) else {
                            errors.push(field, "评定办法中没有此申报事项");
                            continue;
                        };
                        let Some(r) = Reader::nested(field.clone(), entry, &mut errors) else {
                            continue;
                        };
                        r.deny_unknown(&["value", "evidence"], &mut errors);
                        let ev = evidence(&r, &mut errors);
                        let value_field = r.path_of("value");
                        let Some(v) = r.value("value") else {
                            errors.push(value_field, "必填字段缺失");
                            continue;
                        };
                        if let Some(value) = fact_value(v, kind, &value_field, &mut errors) {
                            declaration.facts.insert(
                                key.to_owned(),
                                Fact {
                                    value,
                                    evidence: ev,
                                },
                            );
                        }
                    }
                }
            }
            Some(_) => errors.push("facts", "应为对象"),
        }
    }
    if def.section(Section::Items).is_some() {
        for r in root.objects("items", MAX_DECLARED_ITEMS, &mut errors) {
            r.deny_unknown(&["item", "quantity", "evidence"], &mut errors);
            let item = r.text("item", 1, 64, &mut errors);
            let ev = evidence(&r, &mut errors);
            let quantity = decimal(&r, "quantity", Decimal::from(1_000_000), &mut errors);
            if !item.is_empty() && !known_items.contains(item.as_str()) {
                errors.push(r.path_of("item"), format!("积分表中没有积分项“{item}”"));
                continue;
            }
            if let Some(quantity) = quantity {
                declaration.items.push(DeclaredItem {
                    item,
                    quantity,
                    evidence: ev,
                });
            }
        }
    }
    if let Some(section) = def.section(Section::Staff)
        && let Some(r) = root.object_if_present("staff", &mut errors)
    {
        r.deny_unknown(&["entries", "evidence"], &mut errors);
        let ev = evidence(&r, &mut errors);
        let fields = section.entry_fields();
        let mut known = vec!["staff_ref"];
        known.extend(fields.iter().map(|f| f.as_str()));
        let mut entries = Vec::new();
        for e in r.objects("entries", MAX_SECTION_ENTRIES, &mut errors) {
            e.deny_unknown(&known, &mut errors);
            let before = errors.len();
            let mut record = StaffRecord {
                staff_ref: e.text("staff_ref", 1, MAX_REF_CHARS, &mut errors),
                ..StaffRecord::default()
            };
            for field in fields {
                staff_field(&e, *field, &mut record, &mut errors);
            }
            if errors.len() == before {
                entries.push(record);
            }
        }
        unique_refs(
            &entries,
            |s| &s.staff_ref,
            "staff.entries",
            "staff_ref",
            &mut errors,
        );
        declaration.staff = Some(Roster {
            entries,
            evidence: ev,
        });
    }
    if def.section(Section::Clients).is_some()
        && let Some(r) = root.object_if_present("clients", &mut errors)
    {
        r.deny_unknown(&["entries", "evidence"], &mut errors);
        let ev = evidence(&r, &mut errors);
        let mut entries = Vec::new();
        for e in r.objects("entries", MAX_SECTION_ENTRIES, &mut errors) {
            e.deny_unknown(
                &[
                    "client_ref",
                    "key_protected",
                    "signed_on",
                    "amount_fen",
                    "renewals",
                ],
                &mut errors,
            );
            let client_ref = e.text("client_ref", 1, MAX_REF_CHARS, &mut errors);
            let key_protected = e.required_flag("key_protected", &mut errors);
            let signed_on = e.date("signed_on", &mut errors);
            let amount = e.required_u64("amount_fen", 0, 10_000_000_000_000, &mut errors);
            let renewals = e.optional_u64("renewals", 0, 100, &mut errors).unwrap_or(0);
            if let (Some(key_protected), Some(signed_on), Some(amount)) =
                (key_protected, signed_on, amount)
            {
                entries.push(ClientService {
                    client_ref,
                    key_protected,
                    signed_on,
                    amount_fen: i64::try_from(amount).unwrap_or(i64::MAX),
                    renewals: u32::try_from(renewals).unwrap_or(u32::MAX),
                });
            }
        }
        unique_refs(
            &entries,
            |c| &c.client_ref,
            "clients.entries",
            "client_ref",
            &mut errors,
        );
        declaration.clients = Some(Roster {
            entries,
            evidence: ev,
        });
    }
    if def.section(Section::Projects).is_some()
        && let Some(r) = root.object_if_present("projects", &mut errors)
    {
        r.deny_unknown(&["entries", "evidence"], &mut errors);
        let ev = evidence(&r, &mut errors);
        let mut entries = Vec::new();
        for e in r.objects("entries", MAX_SECTION_ENTRIES, &mut errors) {
            e.deny_unknown(
                &[
                    "project_ref",
                    "amount_fen",
                    "completed_on",
                    "accepted",
                    "demonstration",
                    "evidence",
                ],
                &mut errors,
            );
            let project_ref = e.text("project_ref", 1, MAX_REF_CHARS, &mut errors);
            let amount = e.required_u64("amount_fen", 0, 10_000_000_000_000, &mut errors);
            let completed_on = e.date("completed_on", &mut errors);
            let accepted = e.required_flag("accepted", &mut errors);
            let demonstration = e.required_flag("demonstration", &mut errors);
            let project_ev = evidence(&e, &mut errors);
            if let (Some(amount), Some(completed_on), Some(accepted), Some(demonstration)) =
                (amount, completed_on, accepted, demonstration)
            {
                entries.push(Project {
                    project_ref,
                    amount_fen: i64::try_from(amount).unwrap_or(i64::MAX),
                    completed_on,
                    accepted,
                    demonstration,
                    evidence: project_ev,
                });
            }
        }
        unique_refs(
            &entries,
            |p| &p.project_ref,
            "projects.entries",
            "project_ref",
            &mut errors,
        );
        declaration.projects = Some(Roster {
            entries,
            evidence: ev,
        });
    }
    if count > MAX_EVIDENCE_REFS {
        errors.push(
            "evidence",
            format!("一份申报最多引用 {MAX_EVIDENCE_REFS} 次证明材料（现为 {count} 次）"),
        );
    }
    errors.finish(|| declaration)
}

/// A number in `0..=max` read exactly (no float rounding), or an error naming the field.
fn decimal(r: &Reader<'_>, name: &str, max: Decimal, errors: &mut Errors) -> Option<Decimal> {
    let value = match r.value(name) {
        Some(Value::Number(n)) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok()
            .filter(|q| *q >= Decimal::ZERO && *q <= max),
        _ => None,
    };
    if value.is_none() {
        errors.push(r.path_of(name), format!("应为 0 至 {max} 之间的数"));
    }
    value
}

/// References in a list must tell its entries apart.
fn unique_refs<T>(
    entries: &[T],
    key: impl Fn(&T) -> &String,
    field: &str,
    name: &str,
    errors: &mut Errors,
) {
    let mut seen = BTreeSet::new();
    for (i, e) in entries.iter().enumerate() {
        if !seen.insert(key(e).as_str()) {
            errors.push(
                format!("{field}[{i}].{name}"),
                format!("“{}”重复出现", key(e)),
            );
        }
    }
}

impl Declaration {
    /// Facts as declared, evidence as named (the preview's view: nothing is checked
    /// against uploads or the platform's records).
    pub fn facts_as_declared(&self, as_of: NaiveDate) -> Facts {
        let mut facts = Facts::new(as_of);
        facts.values = self.facts.clone();
        facts.declared_items = self.items.clone();
        if let Some(s) = &self.staff {
            facts.staff = s.entries.clone();
        }
        if let Some(c) = &self.clients {
            facts.clients = c.entries.clone();
        }
        if let Some(p) = &self.projects {
            facts.projects = p.entries.clone();
        }
        facts
    }
}

/// The kind's definition in `scheme`, or a 422 naming the application kind.
pub(super) fn application_def(
    scheme: &Scheme,
    kind: ApplicationKindName,
) -> Result<&ApplicationDef, Problem> {
    if scheme.applications.is_empty() {
        return Err(invalid(
            "scheme",
            format!("评定项目“{}”暂未开放线上申报", scheme.scheme.title_zh),
        ));
    }
    scheme.application(kind).ok_or_else(|| {
        let offered: Vec<&str> = scheme
            .applications
            .iter()
            .map(|a| a.kind.as_str())
            .collect();
        invalid(
            "kind",
            format!(
                "“{}”不受理 {} 申请（可申请：{}）",
                scheme.scheme.title_zh,
                kind.as_str(),
                offered.join("、")
            ),
        )
    })
}

/// Save the draft's declaration (see [`read_declaration`]). Replaces the previous one;
/// evidence must name materials of this application.
pub fn declare(
    app: &Application,
    body: &Value,
    caller: &Principal,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    app.require(ApplicationStatus::Draft, "修改申报内容")?;
    let scheme = registry
        .in_force(app.scheme, china_date(now))
        .map_err(|_| Problem::internal())?;
    let def = application_def(scheme, app.kind)?;
    let materials: BTreeSet<String> = app.materials.iter().map(|m| m.id.to_string()).collect();
    let d = read_declaration(body, scheme, def, EvidenceRefs::Materials(&materials), &[])?;
    let actor = Actor::from(caller);
    let mut next = app.clone();
    next.facts = d.facts;
    next.items = d.items;
    next.staff = d.staff;
    next.clients = d.clients;
    next.projects = d.projects;
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(app), actor, "application.declared");
    Ok((next, audit))
}

/// The form's preview: the itemised report the scheme version in force on `on` gives
/// for a declaration, with nothing stored (`POST /v1/schemes/{id}/evaluate`). Body: a
/// declaration as for [`declare`], with `kind` (default `initial`) and, where the kind
/// asks it, the `level` sought; evidence is taken as
/// named, and what the platform keeps (registration, membership, bans) is not looked up:
/// the review on submission uses the records.
pub fn preview(scheme: &Scheme, body: &Value, on: NaiveDate) -> Result<Report, Problem> {
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let kind_text = root
        .optional_text("kind", 1, 32, &mut errors)
        .unwrap_or_else(|| "initial".to_owned());
    let level = root.optional_text("level", 1, 16, &mut errors);
    errors.finish(|| ())?;
    let kind = parse_kind(&kind_text)?;
    let def = application_def(scheme, kind)?;
    let d = read_declaration(body, scheme, def, EvidenceRefs::AsNamed, &["kind", "level"])?;
    let view = match level {
        None => None,
        Some(l) if def.asks_level => Some(
            scheme
                .up_to_level(&l)
                .ok_or_else(|| invalid("level", format!("没有级别“{l}”")))?,
        ),
        Some(_) => return Err(invalid("level", format!("“{}”不申报级别", def.title_zh))),
    };
    Ok(evaluate(
        view.as_ref().unwrap_or(scheme),
        &d.facts_as_declared(on),
    ))
}

/// An application kind by its API name.
pub(super) fn parse_kind(text: &str) -> Result<ApplicationKindName, Problem> {
    match text {
        "initial" => Ok(ApplicationKindName::Initial),
        "annual_report" => Ok(ApplicationKindName::AnnualReport),
        other => Err(invalid(
            "kind",
            format!("申请类型应为 initial 或 annual_report，而不是“{other}”"),
        )),
    }
}

/// Read one field of a roster entry into `record`. An identity number is validated (GB
/// 11643: length, birth date, check digit) and kept only masked; a valid one is what
/// makes the person's identity known (seed 004 二（二）(3) "身份不明"); absent, the
/// identity stays unknown and the rule on it is not met.
fn staff_field(e: &Reader<'_>, field: StaffField, record: &mut StaffRecord, errors: &mut Errors) {
    match field {
        StaffField::Qualified => {
            record.qualified = e.required_flag("qualified", errors).unwrap_or_default();
        }
        StaffField::CollegeOrAbove => {
            record.college_or_above = e
                .required_flag("college_or_above", errors)
                .unwrap_or_default();
        }
        StaffField::TrainingSessionHours => {
            record.training_session_hours =
                decimal(e, "training_session_hours", Decimal::from(10_000), errors)
                    .unwrap_or_default();
        }
        StaffField::IdNumber => {
            if let Some(text) = e.optional_text("id_number", 1, 32, errors) {
                match PersonIdNumber::parse(&text) {
                    Ok(id) => {
                        record.id_number_masked = Some(id.masked());
                        record.identity_verified = true;
                    }
                    Err(err) => errors.push(
                        e.path_of("id_number"),
                        format!("公民身份号码无效（GB 11643）：{err}"),
                    ),
                }
            }
        }
        StaffField::CivilCapacity => {
            let text = e.text("civil_capacity", 1, 16, errors);
            record.civil_capacity = match text.as_str() {
                "full" => CivilCapacity::Full,
                "limited" => CivilCapacity::Limited,
                "none" => CivilCapacity::None,
                "" => CivilCapacity::Full,
                _ => {
                    errors.push(
                        e.path_of("civil_capacity"),
                        "应为 full（完全民事行为能力）、limited（限制民事行为能力）或 none（无民事行为能力）",
                    );
                    CivilCapacity::Full
                }
            };
        }
        StaffField::IntentionalCriminalRecord => {
            record.intentional_criminal_record = e
                .required_flag("intentional_criminal_record", errors)
                .unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use standing_schemes::{SchemeId, Status};

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn scheme(id: SchemeId) -> &'static Scheme {
        Registry::builtin().unwrap().in_force(id, on()).unwrap()
    }

    #[test]
    fn the_preview_scores_point_items_as_the_review_would() {
        let body = json!({"items": [{"item": "basic.years-in-business", "quantity": 10,
                                     "evidence": ["营业执照.pdf"]}]});
        let report = preview(scheme(SchemeId::CapabilityGrade), &body, on()).unwrap();
        let line = report
            .lines
            .iter()
            .find(|l| l.rule_id == "basic.years-in-business")
            .unwrap();
        assert!(line.points.unwrap() > Decimal::ZERO, "{line:?}");
        assert!(report.total.unwrap() > Decimal::ZERO);
    }

    #[test]
    fn a_section_the_kind_does_not_take_is_refused_by_name() {
        let stars = scheme(SchemeId::OmStars);
        let e = preview(stars, &json!({"items": []}), on()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("items"), "{e:?}");
        let e = preview(stars, &json!({"kind": "annual_report"}), on()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("kind"), "{e:?}");
        let credit = scheme(SchemeId::FireCredit);
        let e = preview(credit, &json!({}), on()).unwrap_err();
        assert!(e.detail.contains("暂未开放线上申报"), "{e:?}");
    }

    #[test]
    fn roster_entries_are_read_strictly_and_feed_the_metrics() {
        let stars = scheme(SchemeId::OmStars);
        let def = stars.application(ApplicationKindName::Initial).unwrap();
        let entry = |r: &str| json!({"staff_ref": r, "qualified": true, "college_or_above": true, "training_session_hours": 4});
        let body = json!({"staff": {"entries": (1..=5).map(|i| entry(&format!("S{i}"))).collect::<Vec<_>>()}});
        let d = read_declaration(&body, stars, def, EvidenceRefs::AsNamed, &[]).unwrap();
        let report = evaluate(stars, &d.facts_as_declared(on()));
        let staff_line = report
            .lines
            .iter()
            .find(|l| l.rule_id == "1s-5.1.2.1-qualified-staff")
            .unwrap();
        assert_eq!(staff_line.outcome, standing_schemes::Outcome::Met);
        assert_ne!(report.status, Status::Qualified, "no evaluation forms yet");
        for (bad, field) in [
            (
                json!({"staff": {"entries": [{"staff_ref": "S1", "qualified": 1,
                    "college_or_above": true, "training_session_hours": 4}]}}),
                "staff.entries[0].qualified",
            ),
            (
                json!({"staff": {"entries": [{"staff_ref": "S1", "qualified": true,
                    "college_or_above": true, "training_session_hours": -1}]}}),
                "staff.entries[0].training_session_hours",
            ),
            (
                json!({"staff": {"entries": [entry("S1"), entry("S1")]}}),
                "staff.entries[1].staff_ref",
            ),
            (
                json!({"clients": {"entries": [{"client_ref": "C", "key_protected": false,
                    "signed_on": "2026-02-30", "amount_fen": 1}]}}),
                "clients.entries[0].signed_on",
            ),
            (
                json!({"clients": {"entries": [{"client_ref": "C", "key_protected": false,
                    "signed_on": "2026-02-03", "amount_fen": -1}]}}),
                "clients.entries[0].amount_fen",
            ),
            (json!({"clients": []}), "clients"),
        ] {
            let e = read_declaration(&bad, stars, def, EvidenceRefs::AsNamed, &[]).unwrap_err();
            let named =
                e.field.as_deref() == Some(field) || e.errors.iter().any(|x| x.field == field);
            assert!(named, "{field}: {e:?}");
        }
    }
}
