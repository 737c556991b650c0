//! Annual awards: admitted nominations by category, experts, panels and scores (access
//! patterns 50-53).

use crate::keys;
use crate::store::{DynamoStore, IndexRange, Transaction, item_with_keys};
use standing_domain::application::Application;
use standing_domain::audit::AuditEvent;
use standing_domain::award_panel::{AwardObjection, Expert, Panel, Score};
use standing_domain::store::{ConflictOn, Entity, StoreError};

impl Transaction {
    /// Create or replace (versioned) an expert record, with its audit event.
    pub fn expert(
        &mut self,
        table: &str,
        before: Option<&Expert>,
        after: &Expert,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::expert_pk(&after.authority, &after.subject);
        let item = item_with_keys(after, "expert", pk.clone(), keys::EXPERT_SK.into(), &[])?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Expert),
        )?;
        self.audit(table, &pk, audit)
    }

    /// Create (once per category and edition) or replace (versioned) a panel.
    pub fn panel(
        &mut self,
        table: &str,
        before: Option<&Panel>,
        after: &Panel,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::panel_pk(&after.authority, &after.id);
        let item = item_with_keys(after, "panel", pk.clone(), keys::PANEL_SK.into(), &[])?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Panel),
        )?;
        self.audit(table, &pk, audit)
    }

    /// A score, created once (a second one for the same nominee and expert conflicts).
    pub fn score(
        &mut self,
        table: &str,
        authority: &str,
        s: &Score,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::panel_pk(authority, &s.panel);
        let item = item_with_keys(
            s,
            "score",
            pk.clone(),
            keys::score_sk(&s.application.to_string(), &s.expert),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::Score))?;
        self.audit(table, &pk, audit)
    }
}

impl Transaction {
    /// An objection to a proposed winner, created once, with its audit event.
    pub fn award_objection(
        &mut self,
        table: &str,
        authority: &str,
        o: &AwardObjection,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::panel_pk(authority, &o.panel);
        let item = item_with_keys(
            o,
            "award-objection",
            pk.clone(),
            keys::award_objection_sk(&o.id.to_string()),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::Objection))?;
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// The objections filed against a panel's proposed winners (1 Query, paged).
    pub async fn award_objections(
        &self,
        authority: &str,
        panel: &str,
    ) -> Result<Vec<AwardObjection>, StoreError> {
        self.query_prefix(
            keys::panel_pk(authority, panel),
            keys::AWARD_OBJECTION_PREFIX,
        )
        .await
    }

    /// The admitted nominations of a category in an edition (1 Query on GSI2, paged).
    pub async fn nominations(
        &self,
        authority: &str,
        edition: &str,
        category: &str,
    ) -> Result<Vec<Application>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::nominations_pk(authority, edition, category),
            IndexRange::All,
            true,
            None,
        )
        .await
    }

    pub async fn get_expert(
        &self,
        authority: &str,
        subject: &str,
    ) -> Result<Option<Expert>, StoreError> {
        self.get(keys::expert_pk(authority, subject), keys::EXPERT_SK)
            .await
    }

    pub async fn get_panel(&self, authority: &str, id: &str) -> Result<Option<Panel>, StoreError> {
        self.get(keys::panel_pk(authority, id), keys::PANEL_SK)
            .await
    }

    /// Every score of a panel (1 Query, paged).
    pub async fn scores(&self, authority: &str, panel: &str) -> Result<Vec<Score>, StoreError> {
        self.query_prefix(keys::panel_pk(authority, panel), keys::SCORE_PREFIX)
            .await
    }
}
