//! An authority's seal (公章) as printed on its certificates: which picture is in
//! force, who uploaded it and when. The picture itself is an object in the
//! certificates bucket, named by its SHA-256, so a rendering can say which seal it
//! printed and an old picture is never overwritten. Only the authority's own staff
//! set it (issue 15 item 5: "the authority uploads its own").

use crate::audit::{Actor, AuditEvent};
use crate::auth::Principal;
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The seal in force for one authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealRecord {
    pub authority: String,
    /// Object key in the certificates bucket: `seals/{authority}/{sha256}.{png|svg}`.
    pub key: String,
    /// `image/png` or `image/svg+xml`.
    pub content_type: String,
    /// Lowercase hex SHA-256 of the picture.
    pub sha256: String,
    pub bytes: u64,
    pub uploaded_by: Actor,
    pub uploaded_at: DateTime<Utc>,
    /// Optimistic-locking version (1 for the first seal).
    pub version: u64,
}

impl SealRecord {
    /// The object key of a picture.
    pub fn object_key(authority: &str, sha256: &str, content_type: &str) -> String {
        let ext = if content_type == "image/svg+xml" {
            "svg"
        } else {
            "png"
        };
        format!("seals/{authority}/{sha256}.{ext}")
    }

    pub fn entity(&self) -> String {
        format!("authority/{}/seal", self.authority)
    }
}

/// Whether an authority id is one the platform could have issued: lowercase letters,
/// digits and hyphens, 2-64 characters. Anything else is not an authority (404).
pub fn looks_like_authority(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Who may see or set an authority's seal: its own staff, and nobody else.
pub fn authorize(caller: &Principal, authority: &str) -> Result<(), Problem> {
    match caller {
        Principal::Staff { authority: a, .. } if a == authority => Ok(()),
        Principal::Staff { .. } => {
            Err(caller.deny("只有本机构的工作人员可以查看或上传本机构的印章"))
        }
        _ => Err(caller.deny("印章仅限发证机构工作人员上传")),
    }
}

/// A checked picture, as the handler read it (format and size are checked by the
/// certificate renderer's `Seal`, which knows what it can print).
#[derive(Debug, Clone)]
pub struct Upload {
    pub content_type: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Set (or replace) the seal in force. Uploading the picture already in force changes
/// nothing (a 409 naming it, so a repeated request is not a second audit event).
pub fn set(
    caller: &Principal,
    authority: &str,
    upload: Upload,
    current: Option<&SealRecord>,
    now: DateTime<Utc>,
) -> Result<(SealRecord, AuditEvent), Problem> {
    authorize(caller, authority)?;
    if current.is_some_and(|c| c.sha256 == upload.sha256) {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "body",
            "该印章图片已是本机构当前使用的印章，未作更改",
        ));
    }
    let record = SealRecord {
        authority: authority.to_owned(),
        key: SealRecord::object_key(authority, &upload.sha256, &upload.content_type),
        content_type: upload.content_type,
        sha256: upload.sha256,
        bytes: upload.bytes,
        uploaded_by: Actor::from(caller),
        uploaded_at: now,
        version: current.map_or(1, |c| c.version + 1),
    };
    let audit = AuditEvent::new(
        now,
        Actor::from(caller),
        "authority.seal_set",
        record.entity(),
        current.and_then(|c| serde_json::to_value(c).ok()),
        serde_json::to_value(&record).ok(),
    );
    Ok((record, audit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(authority: &str) -> Principal {
        Principal::Staff {
            subject: "clerk".into(),
            authority: authority.into(),
        }
    }

    fn upload(sha: &str) -> Upload {
        Upload {
            content_type: "image/png".into(),
            sha256: sha.into(),
            bytes: 10,
        }
    }

    #[test]
    fn only_the_authoritys_own_staff_set_its_seal() {
        let now = Utc::now();
        let (r, audit) = set(&staff("a-assoc"), "a-assoc", upload("ab"), None, now).unwrap();
        assert_eq!(r.version, 1);
        assert_eq!(r.key, "seals/a-assoc/ab.png");
        assert_eq!(audit.action, "authority.seal_set");
        for caller in [
            staff("b-assoc"),
            Principal::Public,
            Principal::Expert {
                subject: "e".into(),
            },
        ] {
            assert!(set(&caller, "a-assoc", upload("ab"), None, now).is_err());
        }
    }

    #[test]
    fn a_new_picture_replaces_the_old_one_and_the_same_picture_is_a_conflict() {
        let now = Utc::now();
        let (first, _) = set(&staff("a-assoc"), "a-assoc", upload("ab"), None, now).unwrap();
        let (second, _) = set(
            &staff("a-assoc"),
            "a-assoc",
            upload("cd"),
            Some(&first),
            now,
        )
        .unwrap();
        assert_eq!(second.version, 2);
        let same = set(
            &staff("a-assoc"),
            "a-assoc",
            upload("cd"),
            Some(&second),
            now,
        );
        assert_eq!(same.unwrap_err().status(), 409);
    }

    #[test]
    fn authority_ids_are_plain() {
        assert!(looks_like_authority("nmg-security-association"));
        for bad in ["", "a", "A-B", "x/y", "a b", &"a".repeat(65)] {
            assert!(!looks_like_authority(bad), "{bad}");
        }
    }
}
