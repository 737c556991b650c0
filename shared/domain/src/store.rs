//! What the domain needs from storage, as small traits. The DynamoDB adapter
//! (`standing-aws`) implements them; tests may use any other implementation.
//!
//! Every write is conditional and carries its audit event: an implementation must
//! write the record and the event atomically, or neither.

use crate::audit::AuditEvent;
use crate::ids::CreditCode;
use crate::organization::Organization;
use std::future::Future;

/// The kind of record a transaction writes, as a failed condition names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Organization,
    Membership,
    Application,
    Report,
    Notice,
    Objection,
    ChangeRequest,
    EvaluationForm,
    Rating,
    Suspension,
    CreditFile,
    CreditEvent,
    Repair,
    Certificate,
    Rendering,
    Ban,
    Reminder,
    JobState,
    AuditEvent,
    Seal,
    Expert,
    Panel,
    Score,
}

impl Entity {
    /// The record's name in Chinese, for the people who see a conflict.
    pub fn label_zh(self) -> &'static str {
        match self {
            Entity::Organization => "单位登记信息",
            Entity::Membership => "会员资格记录",
            Entity::Application => "申请",
            Entity::Report => "评价报告",
            Entity::Notice => "公示",
            Entity::Objection => "异议",
            Entity::ChangeRequest => "变更申请",
            Entity::EvaluationForm => "用户单位评价表",
            Entity::Rating => "评定结果名录",
            Entity::Suspension => "歇业、停业申请",
            Entity::CreditFile => "信用档案",
            Entity::CreditEvent => "信用记录",
            Entity::Repair => "信用修复申请",
            Entity::Certificate => "证书",
            Entity::Rendering => "证书文件",
            Entity::Ban => "禁止申请记录",
            Entity::Reminder => "提醒",
            Entity::JobState => "任务进度",
            Entity::AuditEvent => "审计记录",
            Entity::Seal => "机构印章",
            Entity::Expert => "专家记录",
            Entity::Panel => "评审组",
            Entity::Score => "专家评分",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Entity::Organization => "organization",
            Entity::Membership => "membership",
            Entity::Application => "application",
            Entity::Report => "report",
            Entity::Notice => "notice",
            Entity::Objection => "objection",
            Entity::ChangeRequest => "change request",
            Entity::EvaluationForm => "evaluation form",
            Entity::Rating => "rating",
            Entity::Suspension => "suspension",
            Entity::CreditFile => "credit file",
            Entity::CreditEvent => "credit event",
            Entity::Repair => "repair",
            Entity::Certificate => "certificate",
            Entity::Rendering => "rendering",
            Entity::Ban => "ban",
            Entity::Reminder => "reminder",
            Entity::JobState => "job state",
            Entity::AuditEvent => "audit event",
            Entity::Seal => "seal",
            Entity::Expert => "expert",
            Entity::Panel => "panel",
            Entity::Score => "score",
        }
    }
}

/// What one conditional write of a transaction guards, so a caller can tell why a
/// transaction was refused without reading any text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConflictOn {
    /// A record created if absent, or replaced (deleted) under the version read: it was
    /// there already, or another version (or nothing) was.
    Record(Entity),
    /// The idempotency key of a submission was used already.
    IdempotencyKey,
    /// The company's one open application per scheme is taken (or was released).
    OpenApplication,
    /// A rate counter reached its limit.
    RateLimit,
}

impl std::fmt::Display for ConflictOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConflictOn::Record(e) => e.label(),
            ConflictOn::IdempotencyKey => "idempotency key",
            ConflictOn::OpenApplication => "open application",
            ConflictOn::RateLimit => "rate limit",
        })
    }
}

fn list(on: &[ConflictOn]) -> String {
    on.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A storage failure, as the domain needs to tell them apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A create found the record already there, or a versioned update found another
    /// version: nothing was written. Carries every condition that failed, in the
    /// transaction's order.
    #[error("conflict: {}", list(.0))]
    Conflict(Vec<ConflictOn>),
    /// The store could not be reached or failed; the caller may retry.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A stored item could not be read back into a domain value.
    #[error("corrupt item: {0}")]
    Corrupt(String),
    /// An item would exceed the store's item-size limit: refused before sending,
    /// nothing was written (the declaration limits are chosen so this never happens).
    #[error("item too large: {on} is {bytes} bytes, the limit is {limit}")]
    TooLarge {
        on: ConflictOn,
        bytes: usize,
        limit: usize,
    },
}

impl StoreError {
    /// Whether this is a conflict in which the condition guarding `on` failed.
    pub fn is_conflict_on(&self, on: ConflictOn) -> bool {
        matches!(self, StoreError::Conflict(failed) if failed.contains(&on))
    }

    /// Whether running the same work again may succeed: an unreachable store, or a
    /// lost race (a re-run reads the records again). A corrupt or oversized item stays so.
    pub fn retryable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Conflict(_))
    }
}

pub trait OrganizationStore: Send + Sync {
    /// Create the organization if no organization has its code; append `audit` in the
    /// same transaction. `Conflict` if the code is taken.
    fn create_organization(
        &self,
        org: &Organization,
        audit: &AuditEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn get_organization(
        &self,
        code: &CreditCode,
    ) -> impl Future<Output = Result<Option<Organization>, StoreError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_name_their_typed_reasons() {
        let e = StoreError::Conflict(vec![
            ConflictOn::Record(Entity::Application),
            ConflictOn::OpenApplication,
        ]);
        assert!(e.is_conflict_on(ConflictOn::OpenApplication));
        assert!(e.is_conflict_on(ConflictOn::Record(Entity::Application)));
        assert!(!e.is_conflict_on(ConflictOn::IdempotencyKey));
        assert!(!StoreError::Unavailable("down".into()).is_conflict_on(ConflictOn::RateLimit));
        assert_eq!(e.to_string(), "conflict: application, open application");
    }

    #[test]
    fn only_unavailable_stores_and_lost_races_are_worth_retrying() {
        assert!(StoreError::Unavailable("timeout".into()).retryable());
        assert!(StoreError::Conflict(vec![ConflictOn::Record(Entity::Notice)]).retryable());
        assert!(!StoreError::Corrupt("bad".into()).retryable());
        assert!(
            !StoreError::TooLarge {
                on: ConflictOn::Record(Entity::Report),
                bytes: 1,
                limit: 0
            }
            .retryable()
        );
    }
}
