//! Credit files, events and repairs of fire-technology service agencies (access
//! patterns 40-43). One partition per agency: `PK=CREDIT#{code}`.

use crate::keys;
use crate::store::{DynamoStore, IndexRange, Transaction, item_with_keys};
use standing_domain::audit::AuditEvent;
use standing_domain::credit::{CreditEventRecord, CreditFile, CreditRecords, Repair, RepairStatus};
use standing_domain::ids::CreditCode;
use standing_domain::store::{ConflictOn, Entity, StoreError};

impl Transaction {
    /// Create (`before` none) or replace under its version an agency's file, listed by its
    /// level (GSI2) for the public lists.
    pub fn credit_file(
        &mut self,
        table: &str,
        before: Option<&CreditFile>,
        after: &CreditFile,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::credit_pk(after.org.as_str());
        let item = item_with_keys(
            after,
            "credit_file",
            pk.clone(),
            keys::CREDIT_FILE_SK.into(),
            &[
                (
                    keys::GSI2PK,
                    keys::credit_level_pk(&after.authority, &after.level_code),
                ),
                (keys::GSI2SK, after.org.to_string()),
            ],
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::CreditFile),
        )?;
        self.audit(table, &pk, audit)
    }

    /// Append an event (never replaced: corrections and withdrawals are new events).
    pub fn credit_event(
        &mut self,
        table: &str,
        event: &CreditEventRecord,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::credit_pk(event.org.as_str());
        let item = item_with_keys(
            event,
            "credit_event",
            pk.clone(),
            keys::credit_event_sk(&event.id.to_string()),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::CreditEvent))?;
        self.audit(table, &pk, audit)
    }

    /// Create or replace (versioned) a repair; while pending it is in the authority's
    /// queue by answer due day (GSI2).
    pub fn repair(
        &mut self,
        table: &str,
        before: Option<&Repair>,
        after: &Repair,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::credit_pk(after.org.as_str());
        let id = after.id.to_string();
        let mut extra = Vec::new();
        if after.status == RepairStatus::Pending {
            extra.push((keys::GSI2PK, keys::repair_queue_pk(&after.authority)));
            extra.push((keys::GSI2SK, format!("{}#{id}", after.answer_due_on)));
        }
        let item = item_with_keys(after, "repair", pk.clone(), keys::repair_sk(&id), &extra)?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Repair),
        )?;
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// An agency's file, events and repairs (3 reads at once); `None` when it is not in
    /// the register.
    pub async fn credit_records(
        &self,
        org: &CreditCode,
    ) -> Result<Option<CreditRecords>, StoreError> {
        let pk = keys::credit_pk(org.as_str());
        let (file, events, repairs) = tokio::join!(
            Box::pin(self.get::<CreditFile>(pk.clone(), keys::CREDIT_FILE_SK)),
            Box::pin(self.query_prefix::<CreditEventRecord>(pk.clone(), keys::CREDIT_EVENT_PREFIX)),
            Box::pin(self.query_prefix::<Repair>(pk.clone(), keys::REPAIR_PREFIX)),
        );
        let Some(file) = file? else {
            return Ok(None);
        };
        Ok(Some(CreditRecords {
            file,
            events: events?,
            repairs: repairs?,
        }))
    }

    /// The agencies of `authority` at `level` (1 Query, paged).
    pub async fn credit_files_at(
        &self,
        authority: &str,
        level: &str,
    ) -> Result<Vec<CreditFile>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::credit_level_pk(authority, level),
            IndexRange::All,
            true,
            None,
        )
        .await
    }

    /// The pending repairs of `authority`, earliest due first, at most `limit`.
    pub async fn pending_repairs(
        &self,
        authority: &str,
        limit: usize,
    ) -> Result<Vec<Repair>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::repair_queue_pk(authority),
            IndexRange::All,
            true,
            Some(limit),
        )
        .await
    }
}
