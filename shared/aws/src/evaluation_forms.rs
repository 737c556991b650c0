//! Client-unit evaluation forms (access pattern 35): the record in its application's
//! partition, `PK=APP#{application}`, `SK=EVAL#{id}`, with its audit event there, and a
//! pointer from the link token's hash, `PK=EVALTOKEN#{sha256}`, `SK=TOKEN`, created with
//! the record, so the public form is found from the link without a scan and the token
//! itself is never stored.

use crate::keys;
use crate::store::{DynamoStore, Transaction, item_with_keys};
use serde::{Deserialize, Serialize};
use standing_domain::audit::AuditEvent;
use standing_domain::evaluation_form::EvaluationForm;
use standing_domain::store::{ConflictOn, Entity, StoreError};

/// Where a link token's form is.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenPointer {
    application: String,
    form: String,
}

impl Transaction {
    /// Create (`before` = `None`, with the token pointer) or replace an evaluation form.
    pub fn evaluation_form(
        &mut self,
        table: &str,
        before: Option<&EvaluationForm>,
        after: &EvaluationForm,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::app_pk(&after.application.to_string());
        let item = item_with_keys(
            after,
            "evaluation_form",
            pk.clone(),
            keys::evaluation_sk(&after.id.to_string()),
            &[],
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::EvaluationForm),
        )?;
        if before.is_none() {
            let pointer = item_with_keys(
                &TokenPointer {
                    application: after.application.to_string(),
                    form: after.id.to_string(),
                },
                "evaluation_token",
                keys::evaluation_token_pk(&after.token_sha256),
                keys::EVALUATION_TOKEN_SK.into(),
                &[],
            )?;
            self.create(table, pointer, ConflictOn::Record(Entity::EvaluationForm))?;
        }
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// The evaluation forms asked for an application (1 Query).
    pub async fn evaluation_forms_of(
        &self,
        application: &str,
    ) -> Result<Vec<EvaluationForm>, StoreError> {
        self.query_prefix(keys::app_pk(application), keys::EVALUATION_PREFIX)
            .await
    }

    /// The form a link token opens (2 GetItem: the pointer, then the form).
    pub async fn evaluation_form_by_token(
        &self,
        token_sha256: &str,
    ) -> Result<Option<EvaluationForm>, StoreError> {
        let pointer: Option<TokenPointer> = self
            .get(
                keys::evaluation_token_pk(token_sha256),
                keys::EVALUATION_TOKEN_SK,
            )
            .await?;
        match pointer {
            Some(p) => self.evaluation_form(&p.application, &p.form).await,
            None => Ok(None),
        }
    }

    /// One evaluation form of an application (1 GetItem).
    pub async fn evaluation_form(
        &self,
        application: &str,
        id: &str,
    ) -> Result<Option<EvaluationForm>, StoreError> {
        self.get(keys::app_pk(application), &keys::evaluation_sk(id))
            .await
    }
}
