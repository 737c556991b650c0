//! The DynamoDB single-table store.
//!
//! Every write is conditional (create-if-absent or versioned update) and goes in one
//! `TransactWriteItems` with the audit event it produces: the record and its trail are
//! written together or not at all. There is no Scan anywhere.

use crate::keys;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use serde::Serialize;
use serde::de::DeserializeOwned;
use standing_domain::audit::AuditEvent;
use standing_domain::ids::CreditCode;
use standing_domain::organization::Organization;
use standing_domain::store::{ConflictOn, Entity, OrganizationStore, StoreError};
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// The table and a client; cheap to clone.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

/// An item with its keys: the domain value's fields plus PK/SK and index keys.
pub fn item_with_keys<T: Serialize>(
    value: &T,
    entity_type: &str,
    pk: String,
    sk: String,
    extra: &[(&str, String)],
) -> Result<Item, StoreError> {
    let mut item: Item =
        serde_dynamo::to_item(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    item.insert(keys::PK.into(), AttributeValue::S(pk));
    item.insert(keys::SK.into(), AttributeValue::S(sk));
    item.insert("entity_type".into(), AttributeValue::S(entity_type.into()));
    for (k, v) in extra {
        item.insert((*k).into(), AttributeValue::S(v.clone()));
    }
    Ok(item)
}

/// Which sort keys of an index partition a query reads.
#[derive(Debug, Clone, Copy)]
pub enum IndexRange<'a> {
    All,
    Prefix(&'a str),
    AtMost(&'a str),
    /// Sort keys strictly after this one (resuming a paged walk).
    After(&'a str),
}

/// Read a domain value back from an item (its key attributes are ignored).
pub fn from_item<T: DeserializeOwned>(mut item: Item) -> Result<T, StoreError> {
    for k in [
        keys::PK,
        keys::SK,
        keys::GSI1PK,
        keys::GSI1SK,
        keys::GSI2PK,
        keys::GSI2SK,
        "entity_type",
    ] {
        item.remove(k);
    }
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn unavailable<E: std::fmt::Debug>(e: E) -> StoreError {
    StoreError::Unavailable(format!("{e:?}"))
}

/// DynamoDB's limit on one item, in bytes (attribute names and values together).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// An upper estimate of an item's size by DynamoDB's rules: each attribute's name plus
/// its value; strings and binaries by their length, numbers by their digits plus one,
/// lists and maps 3 bytes plus 1 per element (plus the keys of a map).
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

fn value_size(v: &AttributeValue) -> usize {
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => n.len() + 1,
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(l) => l.iter().map(String::len).sum(),
        AttributeValue::Ns(l) => l.iter().map(|n| n.len() + 1).sum(),
        AttributeValue::Bs(l) => l.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(l) => 3 + l.iter().map(|e| 1 + value_size(e)).sum::<usize>(),
        AttributeValue::M(m) => {
            3 + m
                .iter()
                .map(|(k, e)| 1 + k.len() + value_size(e))
                .sum::<usize>()
        }
        // A type added to the SDK later: count it as large as its debug form.
        other => format!("{other:?}").len(),
    }
}

/// Refuse an item over the limit before anything is sent (never cut it).
pub fn check_item_size(item: &Item, on: ConflictOn) -> Result<(), StoreError> {
    let bytes = item_size(item);
    if bytes > MAX_ITEM_BYTES {
        return Err(StoreError::TooLarge {
            on,
            bytes,
            limit: MAX_ITEM_BYTES,
        });
    }
    Ok(())
}

/// One atomic write: conditional puts and the audit events that go with them.
#[derive(Default, Clone)]
pub struct Transaction {
    items: Vec<TransactWriteItem>,
    /// What each item's condition guards, in the items' order.
    guards: Vec<ConflictOn>,
}

impl Transaction {
    /// Put `item` only if no item has its key.
    pub fn create(&mut self, table: &str, item: Item, on: ConflictOn) -> Result<(), StoreError> {
        check_item_size(&item, on)?;
        let put = Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", keys::PK)
            .build()
            .map_err(unavailable)?;
        self.items
            .push(TransactWriteItem::builder().put(put).build());
        self.guards.push(on);
        Ok(())
    }

    /// Replace `item` only if the stored one has `version == expected`.
    pub fn replace_versioned(
        &mut self,
        table: &str,
        item: Item,
        expected: u64,
        on: ConflictOn,
    ) -> Result<(), StoreError> {
        check_item_size(&item, on)?;
        let put = Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression("#v = :expected")
            .expression_attribute_names("#v", "version")
            .expression_attribute_values(":expected", AttributeValue::N(expected.to_string()))
            .build()
            .map_err(unavailable)?;
        self.items
            .push(TransactWriteItem::builder().put(put).build());
        self.guards.push(on);
        Ok(())
    }

    /// Delete the item at (`pk`, `sk`) only if it exists.
    pub fn delete_existing(
        &mut self,
        table: &str,
        pk: String,
        sk: String,
        on: ConflictOn,
    ) -> Result<(), StoreError> {
        let delete = Delete::builder()
            .table_name(table)
            .key(keys::PK, AttributeValue::S(pk))
            .key(keys::SK, AttributeValue::S(sk))
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", keys::PK)
            .build()
            .map_err(unavailable)?;
        self.items
            .push(TransactWriteItem::builder().delete(delete).build());
        self.guards.push(on);
        Ok(())
    }

    /// Put `item` only if no item has its key, or replace it if its `version` is
    /// `expected` (`None`: create).
    pub fn put(
        &mut self,
        table: &str,
        item: Item,
        expected: Option<u64>,
        on: ConflictOn,
    ) -> Result<(), StoreError> {
        match expected {
            None => self.create(table, item, on),
            Some(v) => self.replace_versioned(table, item, v, on),
        }
    }

    /// Count one more use of the counter at (`pk`, `sk`), refusing (a failed condition
    /// on `on`) once it reached `limit`; the counter expires at `expires_at`
    /// (TTL). In the transaction, so a write that fails counts nothing.
    pub fn count_within(
        &mut self,
        table: &str,
        pk: String,
        sk: String,
        limit: u32,
        expires_at: i64,
        on: ConflictOn,
    ) -> Result<(), StoreError> {
        let update = Update::builder()
            .table_name(table)
            .key(keys::PK, AttributeValue::S(pk))
            .key(keys::SK, AttributeValue::S(sk))
            .update_expression("ADD #c :one SET #ttl = :ttl, entity_type = :t")
            .condition_expression("attribute_not_exists(#c) OR #c < :limit")
            .expression_attribute_names("#c", "count")
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":limit", AttributeValue::N(limit.to_string()))
            .expression_attribute_values(":ttl", AttributeValue::N(expires_at.to_string()))
            .expression_attribute_values(":t", AttributeValue::S("rate".into()))
            .build()
            .map_err(unavailable)?;
        self.items
            .push(TransactWriteItem::builder().update(update).build());
        self.guards.push(on);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Add the actions of `other` (one transaction of both; their conditions keep
    /// their guards).
    pub fn append(&mut self, other: Transaction) {
        self.items.extend(other.items);
        self.guards.extend(other.guards);
    }

    /// How many actions it holds (DynamoDB takes at most 100 in one transaction).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Append an audit event to a record's partition.
    pub fn audit(&mut self, table: &str, pk: &str, event: &AuditEvent) -> Result<(), StoreError> {
        let item = item_with_keys(
            event,
            "audit",
            pk.to_owned(),
            keys::audit_sk(&event.id.to_string()),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::AuditEvent))
    }

    /// Write it all or nothing. A transaction cancelled only because another
    /// transaction was touching the same items (`TransactionConflict`, which DynamoDB
    /// asks callers to retry) is tried again, three times at most; a failed condition is
    /// a `Conflict` listing what the failed conditions guard.
    pub async fn commit(self, client: &Client) -> Result<(), StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = client
                .transact_write_items()
                .set_transact_items(Some(self.items.clone()))
                .send()
                .await;
            let c = match result {
                Ok(_) => return Ok(()),
                Err(SdkError::ServiceError(e)) => match e.err() {
                    TransactWriteItemsError::TransactionCanceledException(c) => c.clone(),
                    other => return Err(StoreError::Unavailable(format!("{other:?}"))),
                },
                Err(e) => return Err(unavailable(e)),
            };
            let reasons = c.cancellation_reasons();
            let failed: Vec<ConflictOn> = reasons
                .iter()
                .zip(&self.guards)
                .filter(|(r, _)| r.code() == Some("ConditionalCheckFailed"))
                .map(|(_, on)| *on)
                .collect();
            if !failed.is_empty() {
                return Err(StoreError::Conflict(failed));
            }
            let contended = reasons
                .iter()
                .any(|r| r.code() == Some("TransactionConflict"));
            if !contended || attempt >= 3 {
                return Err(StoreError::Unavailable(format!(
                    "transaction cancelled: {c:?}"
                )));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20 * attempt)).await;
        }
    }
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStore {
            client,
            table: table.into(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Open the connection (DNS, TCP, TLS) during init, so the first request does not
    /// pay for it: one GetItem of a key that never exists. Errors are logged, not fatal:
    /// the first request will retry the connection.
    pub async fn prime(&self) {
        let result = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, AttributeValue::S(keys::PRIME_PK.into()))
            .key(keys::SK, AttributeValue::S(keys::PRIME_PK.into()))
            .send()
            .await;
        if let Err(e) = result {
            tracing::warn!(error = ?e, "priming the DynamoDB connection failed");
        }
    }

    /// Get one item by key, strongly consistent.
    pub async fn get<T: DeserializeOwned>(
        &self,
        pk: String,
        sk: &str,
    ) -> Result<Option<T>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, AttributeValue::S(pk))
            .key(keys::SK, AttributeValue::S(sk.into()))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        out.item.map(from_item).transpose()
    }

    /// All items of a partition whose sort key starts with `prefix`, in order.
    pub async fn query_prefix<T: DeserializeOwned>(
        &self,
        pk: String,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#pk", keys::PK)
                .expression_attribute_names("#sk", keys::SK)
                .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
                .expression_attribute_values(":prefix", AttributeValue::S(prefix.into()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(unavailable)?;
            for item in out.items.unwrap_or_default() {
                items.push(from_item(item)?);
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(items),
            }
        }
    }

    /// Items of a global secondary index partition, optionally with a sort-key prefix
    /// or an upper bound (inclusive), in sort order (`forward`) or reversed, at most
    /// `limit` (all when `None`).
    pub async fn query_index<T: DeserializeOwned>(
        &self,
        index: &str,
        pk: String,
        sk: IndexRange<'_>,
        forward: bool,
        limit: Option<usize>,
    ) -> Result<Vec<T>, StoreError> {
        let (pk_name, sk_name) = match index {
            keys::GSI1 => (keys::GSI1PK, keys::GSI1SK),
            _ => (keys::GSI2PK, keys::GSI2SK),
        };
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let mut q = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .scan_index_forward(forward)
                .expression_attribute_names("#pk", pk_name)
                .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
                .set_exclusive_start_key(start);
            q = match sk {
                IndexRange::All => q.key_condition_expression("#pk = :pk"),
                IndexRange::Prefix(p) => q
                    .key_condition_expression("#pk = :pk AND begins_with(#sk, :sk)")
                    .expression_attribute_names("#sk", sk_name)
                    .expression_attribute_values(":sk", AttributeValue::S(p.into())),
                IndexRange::AtMost(p) => q
                    .key_condition_expression("#pk = :pk AND #sk <= :sk")
                    .expression_attribute_names("#sk", sk_name)
                    .expression_attribute_values(":sk", AttributeValue::S(p.into())),
                IndexRange::After(p) => q
                    .key_condition_expression("#pk = :pk AND #sk > :sk")
                    .expression_attribute_names("#sk", sk_name)
                    .expression_attribute_values(":sk", AttributeValue::S(p.into())),
            };
            if let Some(n) = limit {
                q = q.limit(i32::try_from(n.saturating_sub(items.len())).unwrap_or(i32::MAX));
            }
            let out = q.send().await.map_err(unavailable)?;
            for item in out.items.unwrap_or_default() {
                items.push(from_item(item)?);
            }
            if limit.is_some_and(|n| items.len() >= n) {
                return Ok(items);
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(items),
            }
        }
    }

    /// Commit a transaction on this store's client.
    pub async fn commit(&self, tx: Transaction) -> Result<(), StoreError> {
        tx.commit(&self.client).await
    }

    /// The audit trail of a partition, oldest first.
    pub async fn audit_trail(&self, pk: String) -> Result<Vec<AuditEvent>, StoreError> {
        self.query_prefix(pk, keys::AUDIT_PREFIX).await
    }
}

impl OrganizationStore for DynamoStore {
    async fn create_organization(
        &self,
        org: &Organization,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::org_pk(org.code.as_str());
        let item = item_with_keys(
            org,
            "organization",
            pk.clone(),
            keys::ORG_PROFILE_SK.into(),
            &[],
        )?;
        let mut tx = Transaction::default();
        tx.create(&self.table, item, ConflictOn::Record(Entity::Organization))?;
        tx.organization_names(&self.table, None, org)?;
        tx.audit(&self.table, &pk, audit)?;
        tx.commit(&self.client).await
    }

    async fn get_organization(
        &self,
        code: &CreditCode,
    ) -> Result<Option<Organization>, StoreError> {
        self.get(keys::org_pk(code.as_str()), keys::ORG_PROFILE_SK)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_sizes_follow_dynamodb_rules_and_oversized_items_are_refused() {
        let mut item = Item::new();
        item.insert("PK".into(), AttributeValue::S("APP#1".into()));
        item.insert("n".into(), AttributeValue::N("12345".into()));
        item.insert(
            "m".into(),
            AttributeValue::M(HashMap::from([(
                "k".into(),
                // One CJK character: three bytes in UTF-8 (test data, not a text).
                AttributeValue::S("\u{4e2d}".into()),
            )])),
        );
        // "PK"+"APP#1" = 7; "n" + 5 digits + 1 = 7; "m" + 3 + 1 + "k" + 3 bytes = 9.
        assert_eq!(item_size(&item), 23);
        let app = ConflictOn::Record(Entity::Application);
        assert!(check_item_size(&item, app).is_ok());

        let mut big = Item::new();
        big.insert("PK".into(), AttributeValue::S("APP#2".into()));
        big.insert(
            "blob".into(),
            AttributeValue::L(vec![AttributeValue::S("x".repeat(1024)); 400]),
        );
        let e = check_item_size(&big, app).unwrap_err();
        assert!(
            matches!(&e, StoreError::TooLarge { on, bytes, limit }
                if *on == app && *bytes > MAX_ITEM_BYTES && *limit == MAX_ITEM_BYTES),
            "{e:?}"
        );
        let mut tx = Transaction::default();
        assert!(matches!(
            tx.create("t", big.clone(), app),
            Err(StoreError::TooLarge { .. })
        ));
        assert!(matches!(
            tx.replace_versioned("t", big, 1, app),
            Err(StoreError::TooLarge { .. })
        ));
        assert!(tx.is_empty(), "nothing queued for sending");
    }
}
