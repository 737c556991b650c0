//! The public list of rated companies (access pattern 36): one item per scheme and
//! company, `PK=RATING#{scheme}`, `SK=ORG#{code}`, created by the first approval and
//! replaced under its version by later ones, with the audit event in the same partition.

use crate::keys;
use crate::store::{DynamoStore, Transaction, item_with_keys};
use standing_domain::audit::AuditEvent;
use standing_domain::ids::CreditCode;
use standing_domain::rating::Rating;
use standing_domain::store::{ConflictOn, Entity, StoreError};

impl Transaction {
    /// Create (`before` = `None`) or replace a company's rating, with its audit event.
    pub fn rating(
        &mut self,
        table: &str,
        before: Option<&Rating>,
        after: &Rating,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::rating_pk(after.scheme.as_str());
        let item = item_with_keys(
            after,
            "rating",
            pk.clone(),
            keys::rating_sk(after.org.as_str()),
            &[],
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Rating),
        )?;
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// Every rated company of a scheme (1 Query, paged).
    pub async fn ratings_of(&self, scheme: &str) -> Result<Vec<Rating>, StoreError> {
        self.query_prefix(keys::rating_pk(scheme), keys::RATING_PREFIX)
            .await
    }

    /// A company's rating in a scheme (1 GetItem).
    pub async fn get_rating(
        &self,
        scheme: &str,
        org: &CreditCode,
    ) -> Result<Option<Rating>, StoreError> {
        self.get(keys::rating_pk(scheme), &keys::rating_sk(org.as_str()))
            .await
    }
}
