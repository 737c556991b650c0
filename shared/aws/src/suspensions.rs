//! Suspension and closure applications of alarm operators (access patterns 37-39).

use crate::keys;
use crate::store::{DynamoStore, IndexRange, Transaction, item_with_keys};
use standing_domain::audit::AuditEvent;
use standing_domain::store::{ConflictOn, Entity, StoreError};
use standing_domain::suspension::{Suspension, SuspensionStatus};

impl Transaction {
    /// Create or replace (versioned) a suspension, with its audit event. While it waits on
    /// an authority it is in that authority's queue (GSI2); once approved, on the public
    /// list (GSI2, by start date); a refused one is in neither.
    pub fn suspension(
        &mut self,
        table: &str,
        before: Option<&Suspension>,
        after: &Suspension,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let id = after.id.to_string();
        let pk = keys::suspension_pk(&id);
        let mut extra = Vec::new();
        if let Some(authority) = after.waiting_on() {
            extra.push((keys::GSI2PK, keys::suspension_queue_pk(authority)));
            extra.push((
                keys::GSI2SK,
                format!("{}#{id}", after.filed_at.to_rfc3339()),
            ));
        } else if after.status == SuspensionStatus::Approved {
            extra.push((keys::GSI2PK, keys::SUSPENSIONS_APPROVED_PK.to_owned()));
            extra.push((keys::GSI2SK, format!("{}#{id}", after.starts_on)));
        }
        let item = item_with_keys(
            after,
            "suspension",
            pk.clone(),
            keys::SUSPENSION_SK.into(),
            &extra,
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Suspension),
        )?;
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// One suspension (1 GetItem).
    pub async fn get_suspension(&self, id: &str) -> Result<Option<Suspension>, StoreError> {
        self.get(keys::suspension_pk(id), keys::SUSPENSION_SK).await
    }

    /// The suspensions waiting on `authority`, oldest first, at most `limit` (1 Query).
    pub async fn suspensions_waiting_on(
        &self,
        authority: &str,
        limit: usize,
    ) -> Result<Vec<Suspension>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::suspension_queue_pk(authority),
            IndexRange::All,
            true,
            Some(limit),
        )
        .await
    }

    /// Every approved suspension and closure, by start date (1 Query, paged).
    pub async fn approved_suspensions(&self) -> Result<Vec<Suspension>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::SUSPENSIONS_APPROVED_PK.to_owned(),
            IndexRange::All,
            true,
            None,
        )
        .await
    }
}
