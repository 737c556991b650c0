//! The audit trail: every state change appends one event, written in the same
//! transaction as the change itself, so the trail can never disagree with the data.

use crate::auth::Principal;
use crate::ids::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who made a change: a person with a role, or a named system job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// `applicant`, `staff`, `expert`, `public` or `system`.
    pub role: String,
    /// The token subject, or the job's name for `system`; empty in views that show
    /// roles only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The authority a staff member acts for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
}

impl Actor {
    /// The same actor without the account id, for people who may see that a role acted
    /// but not which account (applicants reading their own records, the public).
    /// System jobs keep their name: it is not personal.
    pub fn without_id(&self) -> Self {
        if self.role == "system" {
            return self.clone();
        }
        Actor {
            role: self.role.clone(),
            id: String::new(),
            authority: self.authority.clone(),
        }
    }

    pub fn system(job: &str) -> Self {
        Actor {
            role: "system".into(),
            id: job.into(),
            authority: None,
        }
    }
}

impl From<&Principal> for Actor {
    fn from(p: &Principal) -> Self {
        Actor {
            role: p.role_name().into(),
            id: p.subject().unwrap_or("anonymous").into(),
            authority: match p {
                Principal::Staff { authority, .. } => Some(authority.clone()),
                _ => None,
            },
        }
    }
}

/// One audit event: who, when, what, and the record before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: RecordId,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    /// What happened, e.g. `organization.registered`.
    pub action: String,
    /// The record changed, e.g. `organization/91110108551385082Q`.
    pub entity: String,
    #[serde(default)]
    pub before: Option<serde_json::Value>,
    #[serde(default)]
    pub after: Option<serde_json::Value>,
}

impl AuditEvent {
    pub fn new(
        at: DateTime<Utc>,
        actor: Actor,
        action: &str,
        entity: String,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Self {
        AuditEvent {
            id: RecordId::new_at(at),
            at,
            actor,
            action: action.into(),
            entity,
            before,
            after,
        }
    }
}
