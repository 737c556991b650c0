//! Credit files, events and repairs of fire-technology service agencies (access
//! patterns 40-42), the register walked in pages and the yearly rollover's progress
//! (43-44). One partition per agency: `PK=CREDIT#{code}`.

use crate::keys;
use crate::store::{DynamoStore, IndexRange, Transaction, item_with_keys};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use standing_domain::audit::Actor;
use standing_domain::audit::AuditEvent;
use standing_domain::credit::{
    self, AListRelease, CreditEventRecord, CreditFile, CreditRecords, CreditTask, Repair,
    RepairStatus, RolloverRun, RolloverStatus, TaskStatus,
};
use standing_domain::ids::CreditCode;
use standing_domain::job::JobError;
use standing_domain::store::{ConflictOn, Entity, StoreError};
use standing_schemes::{Scheme, WorkCalendar};
use std::time::{Duration, Instant};

/// The item of an agency's file: in the register (GSI1, by code) and in the list of its
/// level (GSI2).
pub fn credit_file_item(file: &CreditFile) -> Result<crate::store::Item, StoreError> {
    item_with_keys(
        file,
        "credit_file",
        keys::credit_pk(file.org.as_str()),
        keys::CREDIT_FILE_SK.into(),
        &[
            (
                keys::GSI2PK,
                keys::credit_level_pk(&file.authority, &file.level_code),
            ),
            (keys::GSI2SK, file.org.to_string()),
            (keys::GSI1PK, keys::credit_register_pk(&file.authority)),
            (keys::GSI1SK, file.org.to_string()),
        ],
    )
}

/// The item of a credit event.
pub fn credit_event_item(event: &CreditEventRecord) -> Result<crate::store::Item, StoreError> {
    item_with_keys(
        event,
        "credit_event",
        keys::credit_pk(event.org.as_str()),
        keys::credit_event_sk(&event.id.to_string()),
        &[],
    )
}

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
        let item = credit_file_item(after)?;
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
        let item = credit_event_item(event)?;
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

impl Transaction {
    /// Create (`before` none) or replace under its version a rollover's progress record.
    pub fn rollover_run(
        &mut self,
        table: &str,
        before: Option<&RolloverRun>,
        after: &RolloverRun,
    ) -> Result<(), StoreError> {
        let item = item_with_keys(
            after,
            "credit_rollover",
            keys::job_pk(&after.job),
            keys::rollover_sk(&after.authority, &after.cycle_start.to_string()),
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

impl Transaction {
    /// Create (`before` none) or replace under its version a work item; while open it is
    /// in the authority's queue by due day (GSI2).
    pub fn credit_task(
        &mut self,
        table: &str,
        before: Option<&CreditTask>,
        after: &CreditTask,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::credit_pk(after.org.as_str());
        let mut extra = Vec::new();
        if after.status == TaskStatus::Open {
            let due = after
                .due_on
                .map_or_else(|| "0000-00-00".to_owned(), |d| d.to_string());
            extra.push((keys::GSI2PK, keys::credit_task_queue_pk(&after.authority)));
            extra.push((keys::GSI2SK, format!("{due}#{}#{}", after.org, after.id)));
        }
        let item = item_with_keys(
            after,
            "credit_task",
            pk.clone(),
            keys::credit_task_sk(&after.id),
            &extra,
        )?;
        self.put(
            table,
            item,
            before.map(|b| b.version),
            ConflictOn::Record(Entity::JobState),
        )?;
        self.audit(table, &pk, audit)
    }

    /// Write an A-list release, once: a second write of the same quarter fails.
    pub fn a_list_release(
        &mut self,
        table: &str,
        release: &AListRelease,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let pk = keys::a_list_pk(&release.authority);
        let item = item_with_keys(
            release,
            "credit_a_list",
            pk.clone(),
            keys::a_list_release_sk(&release.quarter),
            &[],
        )?;
        self.create(table, item, ConflictOn::Record(Entity::JobState))?;
        self.audit(table, &pk, audit)
    }
}

impl DynamoStore {
    /// One work item of an agency.
    pub async fn credit_task(
        &self,
        org: &CreditCode,
        id: &str,
    ) -> Result<Option<CreditTask>, StoreError> {
        self.get(keys::credit_pk(org.as_str()), &keys::credit_task_sk(id))
            .await
    }

    /// The open work items of `authority`, undetermined due day first, then earliest
    /// due; at most `limit`.
    pub async fn open_credit_tasks(
        &self,
        authority: &str,
        limit: usize,
    ) -> Result<Vec<CreditTask>, StoreError> {
        self.query_index(
            keys::GSI2,
            keys::credit_task_queue_pk(authority),
            IndexRange::All,
            true,
            Some(limit),
        )
        .await
    }

    /// One A-list release of `authority`.
    pub async fn a_list_release(
        &self,
        authority: &str,
        quarter: &str,
    ) -> Result<Option<AListRelease>, StoreError> {
        self.get(
            keys::a_list_pk(authority),
            &keys::a_list_release_sk(quarter),
        )
        .await
    }

    /// Every A-list release of `authority`, oldest first.
    pub async fn a_list_releases(&self, authority: &str) -> Result<Vec<AListRelease>, StoreError> {
        self.query_prefix(keys::a_list_pk(authority), keys::A_LIST_RELEASE_PREFIX)
            .await
    }

    /// The progress of rollover `job` for the cycle of `authority` starting `cycle_start`.
    pub async fn rollover_run(
        &self,
        job: &str,
        authority: &str,
        cycle_start: chrono::NaiveDate,
    ) -> Result<Option<RolloverRun>, StoreError> {
        self.get(
            keys::job_pk(job),
            &keys::rollover_sk(authority, &cycle_start.to_string()),
        )
        .await
    }

    /// One page of `authority`'s register: at most `limit` files after the credit code
    /// `after`, in code order (1 Query on GSI1).
    pub async fn register_page(
        &self,
        authority: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<CreditFile>, StoreError> {
        let range = after.map_or(IndexRange::All, IndexRange::After);
        self.query_index(
            keys::GSI1,
            keys::credit_register_pk(authority),
            range,
            true,
            Some(limit),
        )
        .await
    }

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

/// The name under which the yearly rollover keeps its progress.
pub const ROLLOVER_JOB: &str = "credit-rollover";

/// How much one rollover run may do.
#[derive(Debug, Clone, Copy)]
pub struct RolloverLimits {
    /// Agencies per page (one register query, then their records read and written
    /// `concurrency` at a time).
    pub page_size: usize,
    pub concurrency: usize,
    /// Stop after this many pages (`None`: no limit); the next run resumes.
    pub max_pages: Option<usize>,
    /// Start no new page after this long (a Lambda run ends at 15 minutes); the next run
    /// resumes.
    pub budget: Duration,
}

impl Default for RolloverLimits {
    fn default() -> Self {
        RolloverLimits {
            page_size: 500,
            concurrency: 16,
            max_pages: None,
            budget: Duration::from_secs(12 * 60),
        }
    }
}

/// What a run over the register (the rollover, the site checks) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollover {
    /// The cycle had been rolled over already: nothing read beyond the progress record.
    AlreadyDone(RolloverRun),
    /// This run finished the cycle.
    Done(RolloverRun),
    /// Cut off by its limits (or by a concurrent run): the next run resumes.
    Partial(RolloverRun),
}

/// The yearly rollover (seed 002 三（一）: natural repair at the end of the one-year
/// cycle) of the register of `scheme`'s authority, for the cycle in force at `now`:
/// every agency's stored score and level restated for the new cycle, so the public
/// lists are right from its first day, and the measures of a level an agency enters
/// opened as work items (二（三）). Paged over the register (GSI1, no Scan); after each
/// page the progress record moves under its version, so a run cut off anywhere resumes
/// after its cursor and a run for a finished cycle does nothing. A run on a day whose
/// cycle the working-day calendar does not cover records a failed run, logs the alarm
/// and stops before touching any agency: it never guesses.
///
/// `job` names the progress record ([`ROLLOVER_JOB`] in production).
pub async fn rollover(
    store: &DynamoStore,
    scheme: &Scheme,
    calendar: &WorkCalendar,
    job: &str,
    limits: RolloverLimits,
    now: DateTime<Utc>,
) -> Result<Rollover, JobError> {
    let authority = scheme
        .authority_id()
        .map_err(|e| JobError::Scheme(e.to_string()))?;
    let today = standing_domain::clock::china_date(now);
    let cycle = credit::cycle_on(scheme, today);
    let before = store.rollover_run(job, authority, cycle.0).await?;
    if let Some(b) = before.as_ref().filter(|b| b.status == RolloverStatus::Done) {
        return Ok(Rollover::AlreadyDone(b.clone()));
    }
    if let Err(why) = credit::calendar_covers(calendar, cycle) {
        tracing::error!(
            alarm = "credit-rollover-calendar-missing",
            job,
            authority,
            cycle_start = %cycle.0,
            "{why}"
        );
        let failed = RolloverRun::failed(before.as_ref(), job, authority, cycle, &why, now);
        let mut tx = Transaction::default();
        tx.rollover_run(store.table(), before.as_ref(), &failed)?;
        match store.commit(tx).await {
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        return Err(JobError::Scheme(why));
    }
    if before.as_ref().is_none_or(|b| b.cursor.is_none()) {
        // Nobody restated yet: the stored levels are still the last cycle's.
        release_last_quarter(store, scheme, authority, cycle.0, now).await?;
    } else if store
        .a_list_release(
            authority,
            &credit::quarter_of(cycle.0 - chrono::Days::new(1)).0,
        )
        .await?
        .is_none()
    {
        tracing::error!(
            alarm = "credit-a-list-missed",
            authority,
            cycle_start = %cycle.0,
            "the last quarter's A list was not released before the rollover restated agencies: release it by hand"
        );
    }
    let actor = Actor::system("credit-rollover");
    walk(store, authority, job, cycle, before, limits, now, |files| {
        // Decided for the whole page (pure), then written in batches.
        let writes = files
            .iter()
            .filter_map(|file| {
                // Reads nothing more: see `credit::roll_over` for why no event is read.
                let (next, audit) = credit::roll_over(scheme, file, cycle.0, now)?;
                let tasks = credit::supervision_tasks(scheme, file, &next, calendar, &actor, now);
                let mut tx = Transaction::default();
                let built = tx
                    .credit_file(store.table(), Some(file), &next, &audit)
                    .and_then(|()| {
                        tasks
                            .iter()
                            .try_for_each(|(t, a)| tx.credit_task(store.table(), None, t, a))
                    });
                Some(built.map(|()| tx))
            })
            .collect::<Result<Vec<_>, StoreError>>();
        async move { commit_batched(store, writes?, limits.concurrency).await }
    })
    .await
}

/// The name under which the monthly site-check job keeps its progress.
pub const SITE_CHECK_JOB: &str = "credit-site-checks";

/// The monthly on-site checks (seed 002 一: 每月10日前……现场核查): one work item per
/// agency of the register for the month of `now`, due on the data's day, in the
/// bureau's queue. Paged and resumable like the rollover (its own progress record per
/// month, `job`); an item that exists already is left as it is, so running it again, or
/// every day of the month, changes nothing.
pub async fn site_checks(
    store: &DynamoStore,
    scheme: &Scheme,
    job: &str,
    limits: RolloverLimits,
    now: DateTime<Utc>,
) -> Result<Rollover, JobError> {
    use chrono::Datelike;
    let authority = scheme
        .authority_id()
        .map_err(|e| JobError::Scheme(e.to_string()))?;
    let today = standing_domain::clock::china_date(now);
    let first = today.with_day(1).unwrap_or(today);
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let before = store.rollover_run(job, authority, first).await?;
    if let Some(b) = before.as_ref().filter(|b| b.status == RolloverStatus::Done) {
        return Ok(Rollover::AlreadyDone(b.clone()));
    }
    walk(
        store,
        authority,
        job,
        (first, last),
        before,
        limits,
        now,
        |files| async move {
            let mut writes = Vec::with_capacity(files.len());
            for file in &files {
                let (task, audit) = credit::site_check_task(scheme, file, first, now)
                    .map_err(|p| StoreError::Corrupt(p.detail))?;
                let mut tx = Transaction::default();
                tx.credit_task(store.table(), None, &task, &audit)?;
                writes.push(tx);
            }
            // An agency whose check of the month exists already fails its condition and
            // is skipped.
            commit_batched(store, writes, limits.concurrency).await
        },
    )
    .await
}

/// Walk `authority`'s register in pages after the cursor of `before`, calling `each` on
/// every page of files (it answers how many agencies it wrote), and move the progress
/// record of `period` after every page.
#[allow(clippy::too_many_arguments)] // the two jobs' one shared loop
async fn walk<F, Fut>(
    store: &DynamoStore,
    authority: &str,
    job: &str,
    period: (chrono::NaiveDate, chrono::NaiveDate),
    before: Option<RolloverRun>,
    limits: RolloverLimits,
    now: DateTime<Utc>,
    each: F,
) -> Result<Rollover, JobError>
where
    F: Fn(Vec<CreditFile>) -> Fut,
    Fut: std::future::Future<Output = Result<u64, StoreError>>,
{
    let started = Instant::now();
    let mut run = RolloverRun::begin(before.as_ref(), job, authority, period, now);
    let mut tx = Transaction::default();
    tx.rollover_run(store.table(), before.as_ref(), &run)?;
    match store.commit(tx).await {
        Ok(()) => {}
        // Another run took the period at the same moment: it carries on.
        Err(StoreError::Conflict(_)) => return Ok(Rollover::Partial(run)),
        Err(e) => return Err(e.into()),
    }
    let mut pages = 0;
    loop {
        if limits.max_pages.is_some_and(|m| pages >= m) || started.elapsed() >= limits.budget {
            return Ok(Rollover::Partial(run));
        }
        let files = store
            .register_page(authority, run.cursor.as_deref(), limits.page_size)
            .await?;
        pages += 1;
        let examined = files.len() as u64;
        let last = (files.len() == limits.page_size)
            .then(|| files.last().map(|f| f.org.to_string()))
            .flatten();
        let written = each(files).await?;
        let next = run.after_page(last.as_deref(), examined, written, now);
        let mut tx = Transaction::default();
        tx.rollover_run(store.table(), Some(&run), &next)?;
        match store.commit(tx).await {
            Ok(()) => run = next,
            // A concurrent run moved the record on: it carries on from there.
            Err(StoreError::Conflict(_)) => return Ok(Rollover::Partial(run)),
            Err(e) => return Err(e.into()),
        }
        if run.status == RolloverStatus::Done {
            tracing::info!(
                job,
                authority,
                period_start = %period.0,
                examined = run.examined,
                written = run.restated,
                "credit register walk done"
            );
            return Ok(Rollover::Done(run));
        }
    }
}

/// Most actions in one DynamoDB transaction.
const MAX_ACTIONS: usize = 100;

/// Commit the writes of many agencies (one transaction's worth each: its file or work
/// item with the audit events) packed into transactions of at most 100 actions,
/// `concurrency` at a time. Each agency's writes stay in one transaction. A transaction
/// cancelled by a condition (an agency written meanwhile, a work item that exists) is
/// committed again agency by agency, and an agency whose own condition fails is left as
/// it is (written meanwhile: on a day of the new cycle already). Returns how many
/// agencies were written.
async fn commit_batched(
    store: &DynamoStore,
    writes: Vec<Transaction>,
    concurrency: usize,
) -> Result<u64, StoreError> {
    let mut batches: Vec<Vec<Transaction>> = Vec::new();
    let mut actions = 0;
    for tx in writes {
        if batches.is_empty() || actions + tx.len() > MAX_ACTIONS {
            batches.push(Vec::new());
            actions = 0;
        }
        actions += tx.len();
        if let Some(b) = batches.last_mut() {
            b.push(tx);
        }
    }
    let mut results = futures_util::stream::iter(batches)
        .map(|batch| async move {
            let n = batch.len() as u64;
            let mut all = Transaction::default();
            for tx in &batch {
                all.append(tx.clone());
            }
            match store.commit(all).await {
                Ok(()) => Ok(n),
                Err(StoreError::Conflict(_)) => {
                    let mut written = 0;
                    for tx in batch {
                        match store.commit(tx).await {
                            Ok(()) => written += 1,
                            Err(StoreError::Conflict(_)) => {}
                            Err(e) => return Err(e),
                        }
                    }
                    Ok(written)
                }
                Err(e) => Err(e),
            }
        })
        .buffer_unordered(concurrency.max(1));
    let mut written = 0;
    while let Some(r) = results.next().await {
        written += r?;
    }
    Ok(written)
}

/// What an A-list run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AListRun {
    /// The quarter's release exists already (it never changes).
    AlreadyReleased(AListRelease),
    Released(AListRelease),
}

/// The A-list release (seed 002 二（三）1) a run on the day of `now` makes: the quarter
/// ending that day, or the quarter before when it is missing (a missed run caught up),
/// from the agencies stored at the quality list's level; written once, conditional on
/// not existing. The last quarter of a cycle is released by the cycle's rollover before
/// it restates anyone (or by this job on the cycle's last day): once the new cycle has
/// begun, today's levels are not that quarter's, so this job does not guess it.
pub async fn release_a_list(
    store: &DynamoStore,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<AListRun, JobError> {
    let authority = scheme
        .authority_id()
        .map_err(|e| JobError::Scheme(e.to_string()))?;
    let today = standing_domain::clock::china_date(now);
    let quarter = credit::quarter_to_release(today);
    if let Some(r) = store.a_list_release(authority, &quarter.0).await? {
        return Ok(AListRun::AlreadyReleased(r));
    }
    let cycle = credit::cycle_on(scheme, today);
    if quarter.2 < cycle.0 {
        return Err(JobError::Missing(format!(
            "the A list of {} (the last quarter of the cycle before {}) is not released: the rollover of the cycle releases it before restating the register",
            quarter.0, cycle.0
        )));
    }
    write_a_list(store, scheme, authority, quarter, None, now).await
}

/// The A-list release of the last quarter of the cycle before `cycle_start`, from the
/// files not yet restated for the new cycle: the rollover calls it before its first page.
pub async fn release_last_quarter(
    store: &DynamoStore,
    scheme: &Scheme,
    authority: &str,
    cycle_start: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<AListRun, JobError> {
    let quarter = credit::quarter_of(cycle_start.pred_opt().unwrap_or(cycle_start));
    if let Some(r) = store.a_list_release(authority, &quarter.0).await? {
        return Ok(AListRun::AlreadyReleased(r));
    }
    write_a_list(store, scheme, authority, quarter, Some(cycle_start), now).await
}

async fn write_a_list(
    store: &DynamoStore,
    scheme: &Scheme,
    authority: &str,
    quarter: (String, chrono::NaiveDate, chrono::NaiveDate),
    written_before: Option<chrono::NaiveDate>,
    now: DateTime<Utc>,
) -> Result<AListRun, JobError> {
    let level = credit::quality_list_level(scheme)
        .ok_or_else(|| JobError::Scheme("no level carries the quality list".to_owned()))?;
    let mut files = store.credit_files_at(authority, &level.code).await?;
    if let Some(day) = written_before {
        files.retain(|f| standing_domain::clock::china_date(f.updated_at) < day);
    }
    let name = quarter.0.clone();
    let (release, audit) = credit::a_list_release(scheme, &files, quarter, now)?;
    let mut tx = Transaction::default();
    tx.a_list_release(store.table(), &release, &audit)?;
    match store.commit(tx).await {
        Ok(()) => Ok(AListRun::Released(release)),
        Err(StoreError::Conflict(_)) => match store.a_list_release(authority, &name).await? {
            Some(r) => Ok(AListRun::AlreadyReleased(r)),
            None => Err(StoreError::Conflict(Vec::new()).into()),
        },
        Err(e) => Err(e.into()),
    }
}
