//! Membership records (access pattern 34): one item per company and association in
//! the company's partition, `PK=ORG#{code}`, `SK=MEMBER#{authority}`, created if absent
//! or replaced under its version, with the audit event in the company's partition.

use crate::keys;
use crate::store::{DynamoStore, Transaction, item_with_keys};
use standing_domain::audit::AuditEvent;
use standing_domain::ids::CreditCode;
use standing_domain::membership::Membership;
use standing_domain::store::{ConflictOn, Entity, StoreError};

impl Transaction {
    /// Create (`before` = `None`) or replace a membership record, with its audit event.
    pub fn membership(
        &mut self,
        table: &str,
        before: Option<&Membership>,
        after: &Membership,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::org_pk(after.org.as_str());
        let item = item_with_keys(
            after,
            "membership",
            pk.clone(),
            keys::membership_sk(&after.authority),
            &[],
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Membership),
        )?;
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// The association's membership record of a company (1 GetItem).
    pub async fn get_membership(
        &self,
        org: &CreditCode,
        authority: &str,
    ) -> Result<Option<Membership>, StoreError> {
        self.get(keys::org_pk(org.as_str()), &keys::membership_sk(authority))
            .await
    }

    /// Every association's membership record of a company (1 Query).
    pub async fn memberships_of(&self, org: &CreditCode) -> Result<Vec<Membership>, StoreError> {
        self.query_prefix(keys::org_pk(org.as_str()), keys::MEMBERSHIP_PREFIX)
            .await
    }
}
