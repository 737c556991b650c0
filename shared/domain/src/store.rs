//! What the domain needs from storage, as small traits. The DynamoDB adapter
//! (`standing-aws`) implements them; tests may use any other implementation.
//!
//! Every write is conditional and carries its audit event: an implementation must
//! write the record and the event atomically, or neither.

use crate::audit::AuditEvent;
use crate::ids::CreditCode;
use crate::organization::Organization;
use std::future::Future;

/// A storage failure, as the domain needs to tell them apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A create found the record already there, or a versioned update found another
    /// version: nothing was written.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The store could not be reached or failed; the caller may retry.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A stored item could not be read back into a domain value.
    #[error("corrupt item: {0}")]
    Corrupt(String),
    /// An item would exceed the store's item-size limit: refused before sending,
    /// nothing was written (the declaration limits are chosen so this never happens).
    #[error("item too large: {label} is {bytes} bytes, the limit is {limit}")]
    TooLarge {
        label: String,
        bytes: usize,
        limit: usize,
    },
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
