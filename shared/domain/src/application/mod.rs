//! Applications for a scheme, one pipeline for every scheme that takes them: drafts,
//! declarations (`declaration`), materials, submission, automated review, staff check,
//! public notice (`crate::notice`), approval. The scheme's data (`[[applications]]`,
//! see `standing_schemes::applications`) says which kinds it accepts, which parts a
//! declaration has and what approval yields.
//!
//! Every step is a pure function from the loaded records to the next records and the
//! audit event; the handlers only load, call, save and answer.

mod approval;
mod create;
pub mod declaration;
mod materials;
mod platform;
mod review;
mod submission;

pub use approval::{Approval, IssuedCertificate, approve, lists_rating, reads_certificates};
pub use create::{copy_rejected, create, requested_company};
pub use materials::{add_material, remove_material};
use platform::show;
pub use platform::{PLATFORM_FACTS, PlatformRecords};
pub use review::{ReviewOutcome, Verdict, record_checks, review};
pub use submission::submit;

pub use declaration::{
    Declaration, EvidenceRefs, FactKind, MAX_DECLARED_ITEMS, MAX_EVIDENCE_PER_ENTRY,
    MAX_EVIDENCE_REFS, MAX_FACT_TEXT_CHARS, MAX_REF_CHARS, MAX_SECTION_ENTRIES, Roster, declare,
    fact_kinds, preview, read_declaration,
};

use crate::audit::{Actor, AuditEvent};
use crate::auth::{Access, Principal};
use crate::certificate::{CertificateRecord, CertificateStatus, audit_change, new_serial};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::membership::Membership;
use crate::organization::Organization;
use crate::problem::{FieldError, Problem, ProblemKind};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use standing_schemes::ApplicationKindName as ApplicationKind;
use standing_schemes::model::GroupRole;
use standing_schemes::{
    ClientService, DeclaredItem, Fact, FactValue, Facts, Outcome, Project, Registry, Report,
    Review, Scheme, SchemeId, Section, StaffRecord, Status, WorkCalendar, evaluate, period,
};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Largest material accepted, in bytes (platform limit, not a rule of any seed).
pub const MAX_MATERIAL_BYTES: u64 = 20 * 1024 * 1024;
/// Media types accepted for materials, with the file extension used in object keys.
pub const MATERIAL_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
];
/// Most materials one application may carry.
pub const MAX_MATERIALS: usize = 200;

/// How long (seconds) a submission's idempotency key answers what it did: a day.
pub const IDEMPOTENCY_KEY_SECONDS: i64 = 86_400;

/// The prefix of evidence references that the platform itself vouches for.
pub const PLATFORM_EVIDENCE: &str = "platform:";

/// Longest file name of a material, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 80;
/// Longest staff note on a check, in characters.
pub const MAX_CHECK_NOTE_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Draft,
    /// Submitted; the automated review is due.
    Submitted,
    /// The review needs a person (the scheme marks the rule `human_check`).
    StaffCheck,
    OnNotice,
    Approved,
    Rejected,
}

impl ApplicationStatus {
    /// Open applications hold the company's one open slot for the scheme.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted
                | ApplicationStatus::StaffCheck
                | ApplicationStatus::OnNotice
        )
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "草稿",
            ApplicationStatus::Submitted => "已提交，待智能审核",
            ApplicationStatus::StaffCheck => "待人工核验",
            ApplicationStatus::OnNotice => "公示中",
            ApplicationStatus::Approved => "已通过",
            ApplicationStatus::Rejected => "未通过",
        }
    }
}

/// An uploaded (or announced) material. The object key is made here, never from a
/// client-supplied path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub id: RecordId,
    /// The fact key or point item this material supports.
    pub evidence_for: String,
    /// The file name shown to people (never used in the key).
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    /// Object key in the materials bucket.
    pub key: String,
    pub created_at: DateTime<Utc>,
}

/// A person nominated for a personal award. The identity number (GB 11643) is checked
/// on entry and kept only masked; public views show the name, the unit and the award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nominee {
    pub name: String,
    pub id_number_masked: String,
    /// The post held at the nominating unit (在职证明).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
}

/// One step of the status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: DateTime<Utc>,
    pub status: ApplicationStatus,
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A reason the review gives (a failed rule, missing material, data that disagree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub detail: String,
}

/// The summary of the latest evaluation (the full report is stored beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewResult {
    pub report_id: RecordId,
    pub scheme_version: String,
    pub as_of: NaiveDate,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: RecordId,
    pub scheme: SchemeId,
    pub kind: ApplicationKind,
    pub org: CreditCode,
    pub company_name: String,
    /// The company's registered address when the application was made (printed on its
    /// certificate). Absent on applications made before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_address: Option<String>,
    /// Platform id of the authority running the scheme.
    pub authority: String,
    /// The level applied for (schemes whose `[[applications]]` ask it: star ratings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_sought: Option<String>,
    /// Annual report: the certificate reported on. Approved: the certificate issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_serial: Option<String>,
    pub status: ApplicationStatus,
    /// Declared facts by key (evidence: material ids).
    #[serde(default)]
    pub facts: BTreeMap<String, Fact>,
    /// Declared point items (evidence: material ids).
    #[serde(default)]
    pub items: Vec<DeclaredItem>,
    /// The declared staff roster (schemes whose rules count staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<Roster<StaffRecord>>,
    /// The declared clients served (schemes whose rules count clients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients: Option<Roster<ClientService>>,
    /// The declared projects (schemes with `project` checks: the annual awards), each
    /// with its own evidence; the authority's staff confirm them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<Roster<Project>>,
    /// The award category entered (schemes whose groups are categories: seed 001). One
    /// nomination per category; an applicant may enter several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The person nominated for a personal award (the nominating unit is `org`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominee: Option<Nominee>,
    /// The edition a nomination enters (the scheme version in force when it was
    /// created, e.g. `2024`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default)]
    pub materials: Vec<Material>,
    /// Staff decisions on rules the scheme says a person must check.
    #[serde(default)]
    pub checks: BTreeMap<String, Review>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ReviewResult>,
    /// The rules the review asks a person to check (staff check).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_checks: Vec<String>,
    /// Why the application was refused or sent to staff.
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_id: Option<RecordId>,
    pub history: Vec<StatusChange>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

fn invalid(field: &str, detail: impl Into<String>) -> Problem {
    Problem::field(ProblemKind::Validation, field, detail)
}

fn conflict(field: &str, detail: impl Into<String>) -> Problem {
    Problem::field(ProblemKind::Conflict, field, detail)
}

impl Application {
    pub fn entity(&self) -> String {
        format!("application/{}", self.id)
    }

    /// The next version with a status change appended.
    fn moved(
        &self,
        status: ApplicationStatus,
        actor: &Actor,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Application {
        let mut next = self.clone();
        next.status = status;
        next.version += 1;
        next.updated_at = now;
        next.history.push(StatusChange {
            at: now,
            status,
            actor: actor.clone(),
            note,
        });
        next
    }

    /// The application as `access` may see it: the company's own account sees who
    /// acted by role (staff of the authority, the automated review), not staff account
    /// ids.
    pub fn view(&self, access: Access) -> Application {
        match access {
            Access::Staff => self.clone(),
            Access::Holder => {
                let mut a = self.clone();
                for h in &mut a.history {
                    h.actor = h.actor.without_id();
                }
                for r in a.checks.values_mut() {
                    r.by = String::new();
                }
                a
            }
        }
    }

    /// The materials the declaration relies on (named as evidence by a fact or a
    /// point item): the review checks that each of these is really in the bucket.
    pub fn relied_on_materials(&self) -> Vec<&Material> {
        let referenced: BTreeSet<&str> = self
            .facts
            .values()
            .flat_map(|f| f.evidence.iter())
            .chain(self.items.iter().flat_map(|i| i.evidence.iter()))
            .chain(self.staff.iter().flat_map(|r| r.evidence.iter()))
            .chain(self.clients.iter().flat_map(|r| r.evidence.iter()))
            .chain(self.projects.iter().flat_map(|r| {
                r.evidence
                    .iter()
                    .chain(r.entries.iter().flat_map(|p| p.evidence.iter()))
            }))
            .map(String::as_str)
            .collect();
        self.materials
            .iter()
            .filter(|m| {
                referenced.contains(m.id.to_string().as_str()) || self.is_checklist_material(m)
            })
            .collect()
    }

    /// A material uploaded for an item of the category's checklist (`"c3.m7"`, seed 001
    /// 附件三).
    pub fn is_checklist_material(&self, m: &Material) -> bool {
        self.category.as_deref().is_some_and(|c| {
            m.evidence_for
                .strip_prefix(c)
                .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// The edition a nomination enters (empty for other applications).
    fn edition(&self) -> &str {
        self.edition.as_deref().unwrap_or_default()
    }

    /// The slot this application holds while open: one per company and scheme; a
    /// nomination one per edition and category (and person), since an applicant may
    /// enter several awards (seed 001 附件二 一 "可申报单项或多项"), and keeps it once
    /// admitted to the panel (one entry per award and edition).
    pub fn open_slot(&self) -> String {
        match (&self.category, &self.nominee) {
            (None, _) => self.scheme.as_str().to_owned(),
            (Some(c), None) => format!("{}#{}#{c}", self.scheme.as_str(), self.edition()),
            (Some(c), Some(n)) => format!(
                "{}#{}#{c}#{}",
                self.scheme.as_str(),
                self.edition(),
                n.id_number_masked
            ),
        }
    }

    /// Until when (Unix seconds) the idempotency key of a submission made at
    /// `updated_at` answers what that submission did: a day.
    pub fn idempotency_expires_at(&self) -> i64 {
        self.updated_at.timestamp() + IDEMPOTENCY_KEY_SECONDS
    }

    pub fn audit(&self, before: Option<&Application>, actor: Actor, action: &str) -> AuditEvent {
        AuditEvent::new(
            self.updated_at,
            actor,
            action,
            self.entity(),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(self).ok(),
        )
    }

    /// The scheme as this application is weighed by: up to the level it seeks, if any.
    /// A nomination is weighed on its own category only, without the conditions that
    /// are the expert panel's judgement (`human` checks, seed 001 五（二）): the panel
    /// scores them.
    pub fn scheme_view<'s>(&self, scheme: &'s Scheme) -> std::borrow::Cow<'s, Scheme> {
        if let Some(category) = &self.category {
            let mut s = scheme.clone();
            s.groups
                .retain(|g| g.role != GroupRole::Category || &g.id == category);
            for g in &mut s.groups {
                g.rules
                    .retain(|r| !matches!(r.check, standing_schemes::model::Check::Human));
            }
            return std::borrow::Cow::Owned(s);
        }
        match self
            .level_sought
            .as_deref()
            .and_then(|l| scheme.up_to_level(l))
        {
            Some(s) => std::borrow::Cow::Owned(s),
            None => std::borrow::Cow::Borrowed(scheme),
        }
    }

    fn require(&self, status: ApplicationStatus, action: &str) -> Result<(), Problem> {
        if self.status == status {
            Ok(())
        } else {
            Err(conflict(
                "status",
                format!("申请当前状态为“{}”，不能{action}", self.status.label_zh()),
            ))
        }
    }

    /// The facts the evaluation runs on: the declaration, with evidence limited to the
    /// materials in `uploaded`, and the platform's own records in place of what the
    /// applicant declared about them. Disagreements become findings.
    pub fn facts(
        &self,
        platform: &PlatformRecords<'_>,
        uploaded: &BTreeSet<String>,
        as_of: NaiveDate,
    ) -> (Facts, Vec<Finding>) {
        let mut findings = Vec::new();
        let mut facts = Facts::new(as_of);
        let keep = |evidence: &[String], rule: &str, findings: &mut Vec<Finding>| {
            evidence
                .iter()
                .filter(|e| {
                    let ok = uploaded.contains(*e);
                    if !ok {
                        findings.push(Finding {
                            rule_id: rule.to_owned(),
                            detail: format!("证明材料 {e} 未上传或不可读取"),
                        });
                    }
                    ok
                })
                .cloned()
                .collect::<Vec<_>>()
        };
        for (key, fact) in &self.facts {
            let evidence = keep(&fact.evidence, key, &mut findings);
            facts.values.insert(
                key.clone(),
                Fact {
                    value: fact.value.clone(),
                    evidence,
                },
            );
        }
        for item in &self.items {
            facts.declared_items.push(DeclaredItem {
                item: item.item.clone(),
                quantity: item.quantity,
                evidence: keep(&item.evidence, &item.item, &mut findings),
            });
        }
        if let Some(staff) = &self.staff {
            keep(&staff.evidence, "staff", &mut findings);
            facts.staff = staff.entries.clone();
        }
        if let Some(clients) = &self.clients {
            keep(&clients.evidence, "clients", &mut findings);
            facts.clients = clients.entries.clone();
        }
        if let Some(projects) = &self.projects {
            keep(&projects.evidence, "projects", &mut findings);
            facts.projects = projects
                .entries
                .iter()
                .map(|p| Project {
                    evidence: keep(
                        &p.evidence,
                        &format!("projects/{}", p.project_ref),
                        &mut findings,
                    ),
                    ..p.clone()
                })
                .collect();
        }
        if let Some(category) = &self.category {
            facts.entries.insert(category.clone());
            facts.applicant_kind = Some(if self.nominee.is_some() {
                standing_schemes::model::ApplicantKind::Person
            } else {
                standing_schemes::model::ApplicantKind::Unit
            });
            for m in self
                .materials
                .iter()
                .filter(|m| self.is_checklist_material(m))
            {
                let id = m.id.to_string();
                if uploaded.contains(&id) {
                    facts
                        .materials
                        .entry(m.evidence_for.clone())
                        .or_default()
                        .push(id);
                }
            }
        }
        for (key, value, evidence) in platform.facts(self, as_of) {
            if let Some(declared) = self.facts.get(key)
                && declared.value != value
            {
                findings.push(Finding {
                    rule_id: key.to_owned(),
                    detail: format!(
                        "申报值 {} 与平台记录 {} 不符，以平台记录为准",
                        show(&declared.value),
                        show(&value)
                    ),
                });
            }
            facts.values.insert(
                key.to_owned(),
                Fact {
                    value,
                    evidence: vec![evidence],
                },
            );
        }
        // The platform's certificate records, never the applicant's word about them
        // (only a valid one counts: superseded and revoked ones do not).
        facts.certificates = platform
            .certificates
            .iter()
            .filter_map(|c| {
                let scheme = SchemeId::from_str(&c.scheme).ok()?;
                Some(standing_schemes::Certificate {
                    scheme,
                    level: c.level_code.clone(),
                    valid_from: c.issued_on,
                    valid_until: c.valid_until,
                    revoked: c.status != CertificateStatus::Valid,
                    evidence: vec![format!("{PLATFORM_EVIDENCE}certificate/{}", c.serial)],
                })
            })
            .collect();
        for form in platform.evaluations {
            let scan_present = uploaded.contains(&form.id.to_string());
            if let Some(e) = form.as_evaluation(scan_present) {
                facts.client_evaluations.push(e);
            } else if form.received.is_some()
                && form.status == crate::evaluation_form::FormStatus::Received
            {
                findings.push(Finding {
                    rule_id: format!("evaluation/{}", form.client_ref),
                    detail: format!(
                        "用户单位“{}”的评价表（{}）缺少盖章扫描件，不计入评价",
                        form.client_name, form.id
                    ),
                });
            }
        }
        facts.reviews = self.checks.clone();
        (facts, findings)
    }
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod edition_tests;
