//! Applications, their evaluation reports, the one-open-application guard,
//! idempotency keys, notices and objections, change requests, reminders and job state in
//! the single table (access patterns 4-15 of `docs/access-patterns.md`).
//!
//! The workflows compose these pieces into one `TransactWriteItems` per state change.

use crate::keys;
use crate::keys::CHANGE_PREFIX;
use crate::store::{DynamoStore, IndexRange, Item, Transaction, item_with_keys};
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use standing_domain::annual_report::Reminder;
use standing_domain::application::{Application, ApplicationStatus};
use standing_domain::audit::AuditEvent;
use standing_domain::change::{ChangeRequest, ChangeStatus};
use standing_domain::ids::{CreditCode, RecordId};
use standing_domain::job::JobState;
use standing_domain::notice::{Notice, NoticeStatus, Objection};
use standing_domain::organization::Organization;
use standing_domain::store::{ConflictOn, Entity, StoreError};
use standing_schemes::Report;

/// The guard that keeps one application per company and scheme open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenGuard {
    pub application_id: String,
}

/// A used idempotency key: the application it submitted. Expires after a day (TTL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    pub application_id: String,
    pub expires_at: i64,
}

/// A stored evaluation report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    pub id: String,
    pub application_id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub report: Report,
}

impl Transaction {
    /// Count one objection from `source` in `hour` in this transaction, refused once
    /// `limit` were filed (a `Conflict` on [`ConflictOn::RateLimit`]). Counted only if
    /// the whole transaction, the objection with it, is written.
    pub fn objection_rate(
        &mut self,
        table: &str,
        source: &str,
        hour: &str,
        limit: u32,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.count_within(
            table,
            keys::rate_pk(source, hour),
            keys::RATE_SK.into(),
            limit,
            expires_at,
            ConflictOn::RateLimit,
        )
    }

    /// Create or replace (versioned) an application, with its audit event in the
    /// application's partition.
    pub fn application(
        &mut self,
        table: &str,
        before: Option<&Application>,
        after: &Application,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut extra = vec![
            (keys::GSI1PK, keys::org_pk(after.org.as_str())),
            (
                keys::GSI1SK,
                keys::app_by_org_sk(after.scheme.as_str(), &after.created_at.to_rfc3339()),
            ),
        ];
        // An admitted nomination is listed for its category's panel (access pattern 50).
        if after.status == ApplicationStatus::Approved
            && let (Some(category), Some(result)) = (&after.category, &after.result)
        {
            extra.push((
                keys::GSI2PK,
                keys::nominations_pk(&after.authority, &result.scheme_version, category),
            ));
            extra.push((keys::GSI2SK, after.id.to_string()));
        }
        // Open applications wait in their authority's queue for their status.
        if let Some(status) = queue_status(after.status) {
            extra.push((keys::GSI2PK, keys::queue_pk(&after.authority, status)));
            extra.push((
                keys::GSI2SK,
                format!("{}#{}", after.updated_at.to_rfc3339(), after.id),
            ));
        }
        let item = item_with_keys(
            after,
            "application",
            keys::app_pk(&after.id.to_string()),
            keys::APP_SK.into(),
            &extra,
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Application),
        )?;
        self.audit(table, &keys::app_pk(&after.id.to_string()), audit)
    }

    /// Take the company's one open slot for the scheme (fails if taken).
    pub fn take_open_slot(&mut self, table: &str, app: &Application) -> Result<(), StoreError> {
        let item = item_with_keys(
            &OpenGuard {
                application_id: app.id.to_string(),
            },
            "open-guard",
            keys::org_pk(app.org.as_str()),
            keys::open_guard_sk(&app.open_slot()),
            &[],
        )?;
        self.create(table, item, ConflictOn::OpenApplication)
    }

    /// Give the slot back (the application was approved or rejected).
    pub fn release_open_slot(&mut self, table: &str, app: &Application) -> Result<(), StoreError> {
        self.delete_existing(
            table,
            keys::org_pk(app.org.as_str()),
            keys::open_guard_sk(&app.open_slot()),
            ConflictOn::OpenApplication,
        )
    }

    /// Record an idempotency key for a day.
    pub fn idempotency(
        &mut self,
        table: &str,
        subject: &str,
        key: &str,
        app: &Application,
    ) -> Result<(), StoreError> {
        let mut item = item_with_keys(
            &IdempotencyRecord {
                application_id: app.id.to_string(),
                expires_at: app.idempotency_expires_at(),
            },
            "idempotency",
            keys::idempotency_pk(subject, key),
            keys::IDEM_SK.into(),
            &[],
        )?;
        item.insert(
            "ttl".into(),
            aws_sdk_dynamodb::types::AttributeValue::N(app.idempotency_expires_at().to_string()),
        );
        self.create(table, item, ConflictOn::IdempotencyKey)
    }

    pub fn report(
        &mut self,
        table: &str,
        app: &Application,
        id: &RecordId,
        report: &Report,
    ) -> Result<(), StoreError> {
        let stored = StoredReport {
            id: id.to_string(),
            application_id: app.id.to_string(),
            created_at: app.updated_at,
            report: report.clone(),
        };
        let item = item_with_keys(
            &stored,
            "report",
            keys::app_pk(&app.id.to_string()),
            keys::report_sk(&id.to_string()),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::Report))
    }

    /// Create or replace a notice. Listed per authority (GSI1); while open, also in the
    /// closing queue by closing instant (GSI2).
    pub fn notice(
        &mut self,
        table: &str,
        before: Option<&Notice>,
        after: &Notice,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let id = after.id.to_string();
        let mut extra = vec![
            (
                keys::GSI1PK,
                keys::notices_by_authority_pk(&after.authority),
            ),
            (
                keys::GSI1SK,
                format!("{}#{id}", after.opened_at.to_rfc3339()),
            ),
        ];
        if after.status == NoticeStatus::Open {
            extra.push((keys::GSI2PK, keys::NOTICES_OPEN_PK.to_owned()));
            extra.push((
                keys::GSI2SK,
                format!("{}#{id}", after.closes_at.to_rfc3339()),
            ));
        }
        let item = item_with_keys(
            after,
            "notice",
            keys::notice_pk(&id),
            keys::NOTICE_SK.into(),
            &extra,
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Notice),
        )?;
        self.audit(table, &keys::notice_pk(&id), audit)
    }

    pub fn objection(
        &mut self,
        table: &str,
        before: Option<&Objection>,
        after: &Objection,
    ) -> Result<(), StoreError> {
        let item = item_with_keys(
            after,
            "objection",
            keys::notice_pk(&after.notice_id.to_string()),
            keys::objection_sk(&after.id.to_string()),
            &[],
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::Objection),
        )
    }

    pub fn change_request(
        &mut self,
        table: &str,
        before: Option<&ChangeRequest>,
        after: &ChangeRequest,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let id = after.id.to_string();
        let mut extra = vec![
            (keys::GSI1PK, keys::org_pk(after.org.as_str())),
            (keys::GSI1SK, keys::change_by_org_sk(&id)),
        ];
        // While pending it waits in its authority's queue (pattern 71); a decided one
        // leaves it (the replace drops the GSI2 keys).
        if after.status == ChangeStatus::Pending {
            extra.push((keys::GSI2PK, keys::change_queue_pk(&after.authority)));
            extra.push((
                keys::GSI2SK,
                format!("{}#{id}", after.requested_at.to_rfc3339()),
            ));
        }
        let item = item_with_keys(
            after,
            "change",
            keys::change_pk(&id),
            keys::CHANGE_SK.into(),
            &extra,
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::ChangeRequest),
        )?;
        self.audit(table, &keys::change_pk(&id), audit)
    }

    /// Replace a company record (versioned), with its audit event.
    pub fn organization(
        &mut self,
        table: &str,
        before: &Organization,
        after: &Organization,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::org_pk(after.code.as_str());
        let item = item_with_keys(
            after,
            "organization",
            pk.clone(),
            keys::ORG_PROFILE_SK.into(),
            &[],
        )?;
        self.replace_versioned(
            table,
            item,
            before.version,
            ConflictOn::Record(Entity::Organization),
        )?;
        self.organization_names(table, Some(before), after)?;
        self.audit(table, &pk, audit)
    }

    /// The company-name search items (pattern 60) of a new record (`before` = `None`),
    /// or of a renamed one: the old name's items deleted, the new name's created. An
    /// unchanged name writes nothing.
    pub fn organization_names(
        &mut self,
        table: &str,
        before: Option<&Organization>,
        after: &Organization,
    ) -> Result<(), StoreError> {
        use standing_domain::organization::name_search;
        let code = after.code.as_str();
        if let Some(before) = before {
            if before.name == after.name {
                return Ok(());
            }
            for suffix in name_search::suffixes(&before.name) {
                self.delete_existing(
                    table,
                    keys::org_name_pk(&suffix),
                    keys::org_name_sk(&suffix, code, &before.name),
                    ConflictOn::Record(Entity::Organization),
                )?;
            }
        }
        for suffix in name_search::suffixes(&after.name) {
            let mut item = Item::new();
            item.insert(
                keys::PK.into(),
                AttributeValue::S(keys::org_name_pk(&suffix)),
            );
            item.insert(
                keys::SK.into(),
                AttributeValue::S(keys::org_name_sk(&suffix, code, &after.name)),
            );
            item.insert("entity_type".into(), AttributeValue::S("org_name".into()));
            item.insert("code".into(), AttributeValue::S(code.into()));
            item.insert("name".into(), AttributeValue::S(after.name.clone()));
            self.create(table, item, ConflictOn::Record(Entity::Organization))?;
        }
        Ok(())
    }

    /// A reminder about a certificate of `scheme`, once per company, deadline and lead
    /// time.
    pub fn reminder(
        &mut self,
        table: &str,
        scheme: &str,
        reminder: &Reminder,
    ) -> Result<(), StoreError> {
        let item = item_with_keys(
            reminder,
            "reminder",
            keys::org_pk(reminder.org.as_str()),
            keys::reminder_sk(scheme, &reminder.deadline.to_string(), reminder.days_before),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::Reminder))
    }

    pub fn job_state(
        &mut self,
        table: &str,
        before: Option<&JobState>,
        after: &JobState,
    ) -> Result<(), StoreError> {
        let item = item_with_keys(
            after,
            "job",
            keys::job_pk(&after.job),
            keys::JOB_SK.into(),
            &[],
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::JobState),
        )
    }
}

/// The queue an application in `status` waits in, if any.
pub fn queue_status(status: ApplicationStatus) -> Option<&'static str> {
    match status {
        ApplicationStatus::Submitted => Some("submitted"),
        ApplicationStatus::StaffCheck => Some("staff_check"),
        ApplicationStatus::OnNotice => Some("on_notice"),
        _ => None,
    }
}

/// One company found by name (pattern 60).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedOrganization {
    pub code: String,
    pub name: String,
}

impl DynamoStore {
    /// Companies whose normalized name has a suffix starting with `key` (pattern 60),
    /// from at most `limit` index items (one Query), each company once.
    pub async fn organizations_named(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Vec<NamedOrganization>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expression_attribute_names("#pk", keys::PK)
            .expression_attribute_names("#sk", keys::SK)
            .expression_attribute_values(":pk", AttributeValue::S(keys::org_name_pk(key)))
            .expression_attribute_values(":prefix", AttributeValue::S(key.into()))
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| StoreError::Unavailable(format!("{e:?}")))?;
        let mut found: Vec<NamedOrganization> = Vec::new();
        for item in out.items.unwrap_or_default() {
            let text = |k: &str| match item.get(k) {
                Some(AttributeValue::S(s)) => Ok(s.clone()),
                _ => Err(StoreError::Corrupt(format!("name index item without {k}"))),
            };
            let one = NamedOrganization {
                code: text("code")?,
                name: text("name")?,
            };
            if !found.iter().any(|f| f.code == one.code) {
                found.push(one);
            }
        }
        Ok(found)
    }

    pub async fn get_application(&self, id: &str) -> Result<Option<Application>, StoreError> {
        self.get(keys::app_pk(id), keys::APP_SK).await
    }

    pub async fn get_idempotency(
        &self,
        subject: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        self.get(keys::idempotency_pk(subject, key), keys::IDEM_SK)
            .await
    }

    pub async fn get_open_guard(
        &self,
        org: &CreditCode,
        scheme: &str,
    ) -> Result<Option<OpenGuard>, StoreError> {
        self.get(keys::org_pk(org.as_str()), &keys::open_guard_sk(scheme))
            .await
    }

    /// The reports of an application, oldest first.
    pub async fn reports_of(&self, app: &str) -> Result<Vec<StoredReport>, StoreError> {
        self.query_prefix(keys::app_pk(app), keys::REPORT_PREFIX)
            .await
    }

    /// A company's applications, oldest first.
    pub async fn applications_of(&self, org: &CreditCode) -> Result<Vec<Application>, StoreError> {
        self.query_index(
            keys::GSI1,
            keys::org_pk(org.as_str()),
            IndexRange::Prefix(keys::APP_BY_ORG_PREFIX),
            true,
            None,
        )
        .await
    }

    /// An authority's open applications in one status, oldest first (the staff work
    /// queue), at most `limit`.
    pub async fn queue(
        &self,
        authority: &str,
        status: ApplicationStatus,
        limit: usize,
    ) -> Result<Vec<Application>, StoreError> {
        let Some(status) = queue_status(status) else {
            return Ok(Vec::new());
        };
        self.query_index(
            keys::GSI2,
            keys::queue_pk(authority, status),
            IndexRange::All,
            true,
            Some(limit),
        )
        .await
    }

    pub async fn get_notice(&self, id: &str) -> Result<Option<Notice>, StoreError> {
        self.get(keys::notice_pk(id), keys::NOTICE_SK).await
    }

    pub async fn get_objection(
        &self,
        notice: &str,
        objection: &str,
    ) -> Result<Option<Objection>, StoreError> {
        self.get(keys::notice_pk(notice), &keys::objection_sk(objection))
            .await
    }

    pub async fn objections_of(&self, notice: &str) -> Result<Vec<Objection>, StoreError> {
        self.query_prefix(keys::notice_pk(notice), keys::OBJECTION_PREFIX)
            .await
    }

    /// An authority's notices, newest first, at most `limit`.
    pub async fn notices_of(
        &self,
        authority: &str,
        limit: usize,
    ) -> Result<Vec<Notice>, StoreError> {
        self.query_index(
            keys::GSI1,
            keys::notices_by_authority_pk(authority),
            IndexRange::All,
            false,
            Some(limit),
        )
        .await
    }

    /// Open notices whose window closed at or before `now`.
    pub async fn notices_due(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Notice>, StoreError> {
        // `~` sorts after every ULID character, so the bound includes `now` itself.
        let bound = format!("{}#~", now.to_rfc3339());
        self.query_index(
            keys::GSI2,
            keys::NOTICES_OPEN_PK.to_owned(),
            IndexRange::AtMost(&bound),
            true,
            None,
        )
        .await
    }

    pub async fn get_change(&self, id: &str) -> Result<Option<ChangeRequest>, StoreError> {
        self.get(keys::change_pk(id), keys::CHANGE_SK).await
    }

    /// A company's change requests, oldest first (1 Query on GSI1, pattern 29).
    pub async fn changes_of(&self, org: &CreditCode) -> Result<Vec<ChangeRequest>, StoreError> {
        self.query_index(
            keys::GSI1,
            keys::org_pk(org.as_str()),
            IndexRange::Prefix(CHANGE_PREFIX),
            true,
            None,
        )
        .await
    }

    /// The change requests waiting on `authority`'s staff, oldest first, at most
    /// `limit` (1 Query on GSI2, pattern 71).
    pub async fn changes_waiting_on(
        &self,
        authority: &str,
        limit: usize,
    ) -> Result<Vec<ChangeRequest>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::change_queue_pk(authority),
            IndexRange::All,
            true,
            Some(limit),
        )
        .await
    }

    pub async fn reminders_of(&self, org: &CreditCode) -> Result<Vec<Reminder>, StoreError> {
        self.query_prefix(keys::org_pk(org.as_str()), keys::REMINDER_PREFIX)
            .await
    }

    pub async fn job_state(&self, job: &str) -> Result<Option<JobState>, StoreError> {
        self.get(keys::job_pk(job), keys::JOB_SK).await
    }
}
