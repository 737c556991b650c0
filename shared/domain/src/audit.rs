//! The audit trail: every state change appends one event, written in the same
//! transaction as the change itself, so the trail can never disagree with the data.

use crate::auth::Principal;
use crate::ids::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

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

/// One audit event: who, when, what, and what changed.
///
/// `before` and `after` hold only the top-level fields that changed (for a creation,
/// `after` holds every field and `before` is `None`). A value whose JSON is longer than
/// [`INLINE_VALUE_BYTES`] is kept as `{"sha256": .., "bytes": ..}`; an array that only
/// grew also lists the elements appended. So an event's size does not grow with the
/// record's, and the trail can still prove which version a record had.
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

/// Largest JSON size, in bytes, of one field value kept inline in an audit event.
pub const INLINE_VALUE_BYTES: usize = 1024;

/// A value as an audit event keeps it: itself when small, else its SHA-256 and size.
pub fn compact(value: &Value) -> Value {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    if bytes.len() <= INLINE_VALUE_BYTES {
        value.clone()
    } else {
        digest(&bytes)
    }
}

fn digest(bytes: &[u8]) -> Value {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    serde_json::json!({"sha256": hex, "bytes": bytes.len()})
}

/// The new value of a changed field: compacted, and for an array that only grew, the
/// appended elements (each compacted) beside the digest of the whole.
fn compact_after(before: Option<&Value>, after: &Value) -> Value {
    if let (Some(Value::Array(old)), Value::Array(new)) = (before, after)
        && new.len() > old.len()
        && new[..old.len()] == old[..]
    {
        let compacted = compact(after);
        if compacted != *after
            && let Value::Object(mut map) = compacted
        {
            let appended: Vec<Value> = new[old.len()..].iter().map(compact).collect();
            let appended = Value::Array(appended);
            if serde_json::to_vec(&appended).map_or(0, |b| b.len()) <= 4 * INLINE_VALUE_BYTES {
                map.insert("appended".into(), appended);
            }
            return Value::Object(map);
        }
    }
    compact(after)
}

/// What changed between two JSON values, as (before, after).
pub fn changes(before: Option<Value>, after: Option<Value>) -> (Option<Value>, Option<Value>) {
    match (before, after) {
        (Some(Value::Object(old)), Some(Value::Object(new))) => {
            let mut b = Map::new();
            let mut a = Map::new();
            for (k, v) in &new {
                let o = old.get(k);
                if o != Some(v) {
                    if let Some(o) = o {
                        b.insert(k.clone(), compact(o));
                    }
                    a.insert(k.clone(), compact_after(o, v));
                }
            }
            for (k, o) in &old {
                if !new.contains_key(k) {
                    b.insert(k.clone(), compact(o));
                    a.insert(k.clone(), Value::Null);
                }
            }
            (Some(Value::Object(b)), Some(Value::Object(a)))
        }
        (None, Some(Value::Object(new))) => (
            None,
            Some(Value::Object(
                new.iter().map(|(k, v)| (k.clone(), compact(v))).collect(),
            )),
        ),
        (b, a) => (b.as_ref().map(compact), a.as_ref().map(compact)),
    }
}

impl AuditEvent {
    /// An event for the change from `before` to `after` (full records); only what
    /// changed is kept (see [`AuditEvent`]).
    pub fn new(
        at: DateTime<Utc>,
        actor: Actor,
        action: &str,
        entity: String,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Self {
        let (before, after) = changes(before, after);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_kept_and_large_values_are_hashed() {
        let big: Vec<Value> = (0..200)
            .map(|i| json!({"id": i, "name": "材料".repeat(20)}))
            .collect();
        let mut grown = big.clone();
        grown.push(json!({"id": 200, "name": "新材料"}));
        let before = json!({"status": "draft", "version": 1, "materials": big, "org": "x"});
        let after = json!({"status": "draft", "version": 2, "materials": grown, "org": "x"});
        let (b, a) = changes(Some(before.clone()), Some(after.clone()));
        let (b, a) = (b.unwrap(), a.unwrap());
        assert_eq!(b["version"], 1);
        assert_eq!(a["version"], 2);
        assert!(b.get("status").is_none() && a.get("org").is_none());
        let bytes = serde_json::to_vec(&after["materials"]).unwrap();
        assert_eq!(a["materials"]["bytes"], bytes.len());
        assert_eq!(a["materials"]["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(
            a["materials"]["appended"],
            json!([{"id": 200, "name": "新材料"}])
        );
        assert!(b["materials"]["sha256"].is_string());
        // Whatever the record's size, the event stays small.
        assert!(serde_json::to_vec(&a).unwrap().len() < 2 * INLINE_VALUE_BYTES);
        // A creation keeps every field, compacted.
        let (b, a) = changes(None, Some(after));
        assert!(b.is_none());
        assert_eq!(a.as_ref().unwrap()["org"], "x");
        assert!(a.unwrap()["materials"]["sha256"].is_string());
    }
}
