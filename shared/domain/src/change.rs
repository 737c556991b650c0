//! Change requests of company data (seed 000 第十三条): filed by the company with the
//! supporting documents, applied to the record and its valid certificates after staff
//! approval. Restructuring, split or merger need a full new application instead.

use crate::audit::{Actor, AuditEvent};
use crate::auth::Principal;
use crate::certificate::{CertificateRecord, CertificateStatus, audit_change};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::organization::{Contact, Organization};
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use standing_schemes::Scheme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    Pending,
    Approved,
    Refused,
}

/// The fields a change request may set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    pub id: RecordId,
    pub org: CreditCode,
    /// The authority the change is filed with (the one whose scheme's records it
    /// updates); only its staff decide it.
    pub authority: String,
    pub changes: CompanyChanges,
    pub reason: String,
    /// Material references (documents from the registration authority).
    #[serde(default)]
    pub documents: Vec<String>,
    pub status: ChangeStatus,
    pub requested_by: Actor,
    pub requested_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    pub version: u64,
}

impl ChangeRequest {
    pub fn entity(&self) -> String {
        format!("change/{}", self.id)
    }
}

/// File a change request: `{"kind": "ordinary" | "restructuring" | "split" | "merger",
/// "changes": {..}, "reason": .., "documents": [..]}`.
pub fn request(
    org: &Organization,
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(ChangeRequest, AuditEvent), Problem> {
    let authority = scheme.authority_id().map_err(|_| Problem::internal())?;
    caller.holder_or_staff_of(&org.code, authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["kind", "changes", "reason", "documents"], &mut errors);
    let kind = root.text("kind", 1, 32, &mut errors);
    let reason = root.multiline_text("reason", 2, 500, &mut errors);
    let mut changes = CompanyChanges::default();
    if let Some(c) = root.object("changes", &mut errors) {
        c.deny_unknown(
            &["name", "address", "legal_representative_name", "contact"],
            &mut errors,
        );
        changes.name = c.optional_text("name", 2, 100, &mut errors);
        changes.address = c.optional_text("address", 2, 200, &mut errors);
        changes.legal_representative_name =
            c.optional_text("legal_representative_name", 1, 50, &mut errors);
        if body["changes"].get("contact").is_some_and(|v| !v.is_null())
            && let Some(k) = c.object("contact", &mut errors)
        {
            k.deny_unknown(&["name", "phone", "email"], &mut errors);
            changes.contact = Some(Contact {
                name: k.text("name", 1, 50, &mut errors),
                phone: k.text("phone", 7, 20, &mut errors),
                email: k.optional_text("email", 3, 254, &mut errors),
            });
        }
    }
    let documents = root.texts("documents", 20, 1, 200, &mut errors);
    errors.finish(|| ())?;
    if scheme.change_requires_resubmission(&kind) {
        let article = scheme
            .parameter("restructuring_requires_resubmission")
            .map(|p| p.seed.to_string())
            .unwrap_or_default();
        return Err(Problem::field(
            ProblemKind::Validation,
            "kind",
            format!(
                "因改制或者分立、合并等有重大变更的，须重新提交完整申请，不能以变更申请办理（{article}）"
            ),
        ));
    }
    if kind != "ordinary" {
        return Err(Problem::field(
            ProblemKind::Validation,
            "kind",
            "kind 应为 ordinary、restructuring、split 或 merger",
        ));
    }
    if changes == CompanyChanges::default() {
        return Err(Problem::field(
            ProblemKind::Validation,
            "changes",
            "至少填写一项变更内容",
        ));
    }
    let actor = Actor::from(caller);
    let change = ChangeRequest {
        id: RecordId::new_at(now),
        org: org.code.clone(),
        authority: authority.to_owned(),
        changes,
        reason,
        documents,
        status: ChangeStatus::Pending,
        requested_by: actor.clone(),
        requested_at: now,
        decided_by: None,
        decided_at: None,
        decision_note: None,
        version: 1,
    };
    let audit = AuditEvent::new(
        now,
        actor,
        "change.requested",
        change.entity(),
        None,
        serde_json::to_value(&change).ok(),
    );
    Ok((change, audit))
}

/// What an approved change writes.
#[derive(Debug, Clone)]
pub struct ChangeDecision {
    pub change: ChangeRequest,
    pub audit: AuditEvent,
    /// The updated company record (approval only).
    pub organization: Option<(Organization, AuditEvent)>,
    /// Valid certificates reprinted with the new name: (before, after, audit).
    pub certificates: Vec<(CertificateRecord, CertificateRecord, AuditEvent)>,
}

/// Staff of the authority the change was filed with decide it: `{"approve": bool,
/// "note": ..}`. An approval updates the registry record and reprints the valid
/// certificates that authority issued (other authorities' certificates are theirs to
/// reprint).
pub fn decide(
    change: &ChangeRequest,
    org: &Organization,
    certificates: &[CertificateRecord],
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<ChangeDecision, Problem> {
    caller.staff_of(&change.authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["approve", "note"], &mut errors);
    let approve = root.value("approve");
    let note = root.optional_multiline_text("note", 1, 500, &mut errors);
    let approve = match approve {
        Some(Value::Bool(b)) => *b,
        _ => {
            errors.push("approve", "应为布尔值 true（批准）或 false（不予批准）");
            false
        }
    };
    errors.finish(|| ())?;
    if change.status != ChangeStatus::Pending {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "status",
            "该变更申请已处理",
        ));
    }
    let actor = Actor::from(caller);
    let mut next = change.clone();
    next.version += 1;
    next.status = if approve {
        ChangeStatus::Approved
    } else {
        ChangeStatus::Refused
    };
    next.decided_by = Some(actor.clone());
    next.decided_at = Some(now);
    next.decision_note = note;
    let audit = AuditEvent::new(
        now,
        actor.clone(),
        if approve {
            "change.approved"
        } else {
            "change.refused"
        },
        next.entity(),
        serde_json::to_value(change).ok(),
        serde_json::to_value(&next).ok(),
    );
    if !approve {
        return Ok(ChangeDecision {
            change: next,
            audit,
            organization: None,
            certificates: Vec::new(),
        });
    }
    let c = &change.changes;
    let mut updated = org.clone();
    if let Some(n) = &c.name {
        updated.name = n.clone();
    }
    if let Some(a) = &c.address {
        updated.address = a.clone();
    }
    if let Some(l) = &c.legal_representative_name {
        updated.legal_representative.name = l.clone();
        updated.legal_representative.id_number_masked = None;
    }
    if let Some(k) = &c.contact {
        updated.contact = k.clone();
    }
    updated.version += 1;
    let org_audit = AuditEvent::new(
        now,
        actor.clone(),
        "organization.changed",
        updated.entity(),
        serde_json::to_value(org).ok(),
        serde_json::to_value(&updated).ok(),
    );
    let today = china_date(now);
    let mut certs = Vec::new();
    // A certificate prints the holder's name and address: a change of either is a new
    // version of each valid certificate of this authority (a new PDF, a new signature).
    if c.name.is_some() || c.address.is_some() {
        for cert in certificates
            .iter()
            .filter(|x| x.authority == change.authority)
            .filter(|x| x.status_on(today) == CertificateStatus::Valid)
        {
            let mut after = cert.clone();
            after.company_name = updated.name.clone();
            after.address = Some(updated.address.clone());
            after.version += 1;
            after.updated_at = now;
            let a = audit_change(
                cert,
                &after,
                actor.clone(),
                "certificate.company_changed",
                now,
            );
            certs.push((cert.clone(), after, a));
        }
    }
    Ok(ChangeDecision {
        change: next,
        audit,
        organization: Some((updated, org_audit)),
        certificates: certs,
    })
}
