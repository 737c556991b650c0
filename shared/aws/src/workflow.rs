//! The asynchronous workflows that more than one function runs: the automated review,
//! the closing of a notice (and the sweep that catches missed closings), approval.
//!
//! Each reads the records, lets the pure domain decide, and writes the decision in one
//! transaction guarded by the versions it read. Running one twice, or two at once,
//! gives one outcome: the second finds the record moved on (or loses the version race,
//! re-reads and finds it moved on) and does nothing.
//!
//! Every decision (what the review concludes, when a notice closes, which reminders
//! fall due, which certificates expire, what the texts say) is the domain's; a job
//! fails with a [`JobError`] that tells its entry point whether a retry may help.

#[cfg(feature = "s3")]
use crate::objects::Objects;
use crate::store::{DynamoStore, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use standing_domain::annual_report::{self, DayPlan};
use standing_domain::application::{
    self, Application, ApplicationKind, ApplicationStatus, PlatformRecords,
};
use standing_domain::audit::Actor;
use standing_domain::certificate::{
    Ban, CertificateRecord, CertificateStatus, keeps_validity_during_report,
};
use standing_domain::clock::china_date;
use standing_domain::dispatch::Dispatch;
use standing_domain::job::{JobError, JobState, review_overdue};
use standing_domain::notice::{self, Closing};
use standing_domain::rating::Rating;
use standing_domain::store::{OrganizationStore, StoreError};
use standing_schemes::{Registry, SchemeId};
// What only the review (which reads the uploaded materials from S3) uses.
#[cfg(feature = "s3")]
use {
    standing_domain::application::Verdict, standing_domain::notice::Notice,
    std::collections::BTreeSet,
};

/// What a workflow run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// Nothing to do: the record had already moved on (a repeated or late run).
    Nothing,
    /// The application (or notice) moved to this state.
    Moved(String),
    /// Not yet (the notice window is open, or objections are pending).
    Waiting(String),
}

/// The platform's records about a company that the review and submission need: its
/// registry record, the membership record the application's authority keeps, and the
/// bans of this scheme (three reads at once).
pub struct Platform {
    pub organization: standing_domain::organization::Organization,
    pub membership: Option<standing_domain::membership::Membership>,
    pub bans: Vec<(NaiveDate, NaiveDate)>,
    /// The client units' evaluation forms (read only for applications that declare
    /// clients: the schemes with user evaluations).
    pub evaluations: Vec<standing_domain::evaluation_form::EvaluationForm>,
    /// The company's certificate records (read only for schemes whose rules ask).
    pub certificates: Vec<CertificateRecord>,
}

impl Platform {
    /// What the platform knows of the applicant: 4 reads at once (5 when the scheme's
    /// rules ask about certificates).
    pub async fn load(
        store: &DynamoStore,
        registry: &Registry,
        app: &Application,
    ) -> Result<Platform, StoreError> {
        let org = &app.org;
        // Boxed: the SDK futures side by side are large, and the review job's future
        // holds them all.
        let id = app.id.to_string();
        let (organization, membership, bans, evaluations, certificates) = tokio::join!(
            Box::pin(store.get_organization(org)),
            Box::pin(store.get_membership(org, &app.authority)),
            Box::pin(store.bans_of(org, app.scheme.as_str())),
            Box::pin(async {
                if app.clients.is_some() {
                    store.evaluation_forms_of(&id).await
                } else {
                    Ok(Vec::new())
                }
            }),
            Box::pin(async {
                if application::reads_certificates(registry, app) {
                    store.certificates_of(org, None).await
                } else {
                    Ok(Vec::new())
                }
            }),
        );
        let membership = membership?;
        let organization = organization?
            .ok_or_else(|| StoreError::Corrupt(format!("organization {org} is missing")))?;
        let bans = bans?
            .into_iter()
            .map(|b: Ban| (b.revoked_on, b.until))
            .collect();
        Ok(Platform {
            organization,
            membership,
            bans,
            evaluations: evaluations?,
            certificates: certificates?,
        })
    }

    pub fn records(&self) -> PlatformRecords<'_> {
        PlatformRecords {
            organization: &self.organization,
            membership: self.membership.as_ref(),
            bans: &self.bans,
            evaluations: &self.evaluations,
            certificates: &self.certificates,
        }
    }
}

/// The materials of an application that are really in the bucket with the size that
/// was announced, and the received evaluation forms whose stamped scan is (one HEAD
/// request per material the declaration relies on and per scan, at once). Returns
/// material ids and form ids.
#[cfg(feature = "s3")]
pub async fn uploaded_materials(
    objects: &Objects,
    bucket: &str,
    app: &Application,
    evaluations: &[standing_domain::evaluation_form::EvaluationForm],
) -> Result<BTreeSet<String>, StoreError> {
    let materials = app
        .relied_on_materials()
        .into_iter()
        .map(|m| (m.id.to_string(), m.key.as_str(), m.size_bytes));
    let scans = evaluations.iter().filter_map(|f| {
        f.received
            .as_ref()
            .map(|r| (f.id.to_string(), r.scan.key.as_str(), r.scan.size_bytes))
    });
    let checks = materials.chain(scans).map(|(id, key, bytes)| async move {
        objects
            .size(bucket, key)
            .await
            .map(|size| (id, size == Some(bytes)))
    });
    let mut present = BTreeSet::new();
    for result in futures_util::future::join_all(checks).await {
        let (id, ok) = result?;
        if ok {
            present.insert(id);
        }
    }
    Ok(present)
}

/// The certificate an annual report is about.
async fn current_certificate(
    store: &DynamoStore,
    app: &Application,
) -> Result<Option<CertificateRecord>, StoreError> {
    match (&app.kind, &app.certificate_serial) {
        (ApplicationKind::AnnualReport, Some(serial)) => store.get_certificate(serial).await,
        _ => Ok(None),
    }
}

/// The company's rating in the application's scheme, when its approval puts the company
/// on the scheme's list (the rating the approval will replace; one GetItem, only then).
async fn current_rating(
    store: &DynamoStore,
    registry: &Registry,
    app: &Application,
) -> Result<Option<Rating>, StoreError> {
    if application::lists_rating(registry, app) {
        store.get_rating(app.scheme.as_str(), &app.org).await
    } else {
        Ok(None)
    }
}

/// Add the approval's writes to `tx`: the application, the certificate created or
/// updated and the company's rating (each when the scheme's approval yields it), the
/// open slot released.
#[allow(clippy::too_many_arguments)] // one call per approval path; a struct would only rename them
fn approval_writes(
    tx: &mut Transaction,
    table: &str,
    before: &Application,
    approved: &Application,
    current: Option<&CertificateRecord>,
    rating: Option<&Rating>,
    registry: &Registry,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(Application, Option<CertificateRecord>), JobError> {
    let approval = application::approve(approved, current, rating, registry, actor, now)?;
    let app_audit = approval
        .application
        .audit(Some(before), actor.clone(), "application.approved");
    tx.application(table, Some(before), &approval.application, &app_audit)?;
    if let Some(c) = &approval.certificate {
        tx.certificate(table, c.before.as_ref(), &c.record, &c.audit)?;
    }
    if let Some((r, audit)) = &approval.rating {
        tx.rating(table, rating, r, audit)?;
    }
    // A nomination admitted to its panel keeps its slot: one entry per award and edition.
    if approval.application.category.is_none() {
        tx.release_open_slot(table, &approval.application)?;
    }
    Ok((approval.application, approval.certificate.map(|c| c.record)))
}

/// Review one submitted application (the review function's job). Safe to run twice.
#[cfg(feature = "s3")]
pub async fn review<D: Dispatch>(
    store: &DynamoStore,
    objects: &Objects,
    materials_bucket: &str,
    dispatch: &D,
    registry: &Registry,
    application_id: &str,
    now: DateTime<Utc>,
) -> Result<Ran, JobError> {
    let Some(app) = store.get_application(application_id).await? else {
        return Err(JobError::Missing(format!("application {application_id}")));
    };
    if app.status != ApplicationStatus::Submitted {
        return Ok(Ran::Nothing);
    }
    let platform = Platform::load(store, registry, &app).await?;
    if platform.records().awaiting_evaluations(now) {
        // Asked again when a form arrives, and by the sweep after the links expire.
        return Ok(Ran::Waiting("client evaluation forms".to_owned()));
    }
    let uploaded =
        uploaded_materials(objects, materials_bucket, &app, &platform.evaluations).await?;
    let current = current_certificate(store, &app).await?;
    let rating = Box::pin(current_rating(store, registry, &app)).await?;
    let Some(outcome) = application::review(
        &app,
        &platform.records(),
        &uploaded,
        current.as_ref(),
        registry,
        now,
    )?
    else {
        return Ok(Ran::Nothing);
    };
    let table = store.table();
    let mut tx = Transaction::default();
    tx.report(
        table,
        &outcome.application,
        &outcome.report_id,
        &outcome.report,
    )?;
    let mut notice = None;
    let mut render = None;
    match &outcome.verdict {
        Verdict::Notice => {
            let scheme = registry
                .version(app.scheme, &outcome.report.version)
                .ok_or_else(|| {
                    JobError::Scheme(format!(
                        "{} version {} is not defined",
                        app.scheme.as_str(),
                        outcome.report.version
                    ))
                })?;
            let n = Notice::open(&outcome.application, scheme, now)?;
            let mut next = outcome.application.clone();
            next.notice_id = Some(n.id);
            let audit = next.audit(
                Some(&app),
                Actor::system("automated-review"),
                "application.reviewed.notice",
            );
            tx.application(table, Some(&app), &next, &audit)?;
            let notice_audit = standing_domain::audit::AuditEvent::new(
                now,
                Actor::system("automated-review"),
                "notice.opened",
                n.entity(),
                None,
                serde_json::to_value(&n).ok(),
            );
            tx.notice(table, None, &n, &notice_audit)?;
            notice = Some(n);
        }
        Verdict::Approve => {
            let actor = Actor::system("automated-review");
            let (_, cert) = approval_writes(
                &mut tx,
                table,
                &app,
                &outcome.application,
                current.as_ref(),
                rating.as_ref(),
                registry,
                &actor,
                now,
            )?;
            render = cert;
        }
        Verdict::StaffCheck(_) => {
            tx.application(table, Some(&app), &outcome.application, &outcome.audit)?;
        }
        Verdict::Reject => {
            tx.application(table, Some(&app), &outcome.application, &outcome.audit)?;
            tx.release_open_slot(table, &outcome.application)?;
        }
    }
    if let Err(e) = store.commit(tx).await {
        return match e {
            // Another run got there first: it decided, we do nothing.
            StoreError::Conflict(_) => match store.get_application(application_id).await? {
                Some(a) if a.status != ApplicationStatus::Submitted => Ok(Ran::Nothing),
                _ => Err(e.into()),
            },
            e => Err(e.into()),
        };
    }
    if let Some(n) = &notice
        && let Err(e) = dispatch.schedule_close(&n.id, n.closes_at).await
    {
        // The periodic sweep closes it all the same.
        tracing::error!(error = %e, notice = %n.id, "scheduling the notice closing failed");
    }
    if let Some(c) = &render {
        request_render(dispatch, c).await;
    }
    Ok(Ran::Moved(format!("{:?}", outcome.application.status)))
}

async fn request_render<D: Dispatch>(dispatch: &D, c: &CertificateRecord) {
    if let Err(e) = dispatch.render(&c.serial, c.version).await {
        tracing::error!(error = %e, serial = %c.serial, "requesting the certificate rendering failed");
    }
}

/// Close one notice if its window has ended and no objection is pending, approving the
/// application (seed 000 第十七条). Closing twice changes nothing.
pub async fn close_notice<D: Dispatch>(
    store: &DynamoStore,
    dispatch: &D,
    registry: &Registry,
    notice_id: &str,
    now: DateTime<Utc>,
) -> Result<Ran, JobError> {
    let Some(n) = store.get_notice(notice_id).await? else {
        return Err(JobError::Missing(format!("notice {notice_id}")));
    };
    let (closed, audit) = match notice::close(&n, now) {
        Closing::AlreadyDone => return Ok(Ran::Nothing),
        Closing::NotDue => return Ok(Ran::Waiting(format!("open until {}", n.closes_at))),
        Closing::ObjectionsPending(k) => {
            return Ok(Ran::Waiting(format!("{k} objection(s) pending")));
        }
        Closing::Approve { notice, audit } => (*notice, *audit),
    };
    let Some(app) = store.get_application(&n.application_id.to_string()).await? else {
        return Err(JobError::Missing(format!(
            "the application of notice {notice_id}"
        )));
    };
    if app.status != ApplicationStatus::OnNotice {
        // A concurrent closing (duplicate delivery, the sweep) may have committed between
        // the two reads: the notice is then no longer open and there is nothing to do.
        if let Some(x) = store.get_notice(notice_id).await?
            && x.status != notice::NoticeStatus::Open
        {
            return Ok(Ran::Nothing);
        }
        return Err(JobError::Missing(format!(
            "the application on notice {notice_id}: it is {:?}",
            app.status
        )));
    }
    let current = current_certificate(store, &app).await?;
    let rating = Box::pin(current_rating(store, registry, &app)).await?;
    let actor = Actor::system("notice-closing");
    let approved = app.transition(
        ApplicationStatus::Approved,
        &actor,
        Some(notice::approval_note(&n)),
        now,
    );
    let table = store.table();
    let mut tx = Transaction::default();
    tx.notice(table, Some(&n), &closed, &audit)?;
    let (_, cert) = approval_writes(
        &mut tx,
        table,
        &app,
        &approved,
        current.as_ref(),
        rating.as_ref(),
        registry,
        &actor,
        now,
    )?;
    if let Err(e) = store.commit(tx).await {
        return match e {
            StoreError::Conflict(_) => match store.get_notice(notice_id).await? {
                Some(x) if x.status != notice::NoticeStatus::Open => Ok(Ran::Nothing),
                _ => Err(e.into()),
            },
            e => Err(e.into()),
        };
    }
    match cert {
        Some(cert) => {
            request_render(dispatch, &cert).await;
            Ok(Ran::Moved(format!("approved; certificate {}", cert.serial)))
        }
        None => Ok(Ran::Moved("approved; level recorded".to_owned())),
    }
}

/// Close every notice whose window has ended (catches closings whose schedule was
/// missed). Returns how many were closed.
pub async fn sweep_notices<D: Dispatch>(
    store: &DynamoStore,
    dispatch: &D,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<usize, JobError> {
    let mut closed = 0;
    for n in store.notices_due(now).await? {
        match close_notice(store, dispatch, registry, &n.id.to_string(), now).await {
            Ok(Ran::Moved(_)) => closed += 1,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, notice = %n.id, "closing a due notice failed"),
        }
    }
    Ok(closed)
}

/// Ask again for the review of applications still waiting past the review grace
/// ([`standing_domain::job::review_overdue`]) in the queue of every authority in force (the review is idempotent, so a
/// review already under way is not harmed). Returns how many were asked for.
pub async fn redispatch_reviews<D: Dispatch>(
    store: &DynamoStore,
    dispatch: &D,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<usize, JobError> {
    let mut asked = 0;
    for authority in registry.authorities_in_force(china_date(now)) {
        for app in store
            .queue(authority, ApplicationStatus::Submitted, 200)
            .await?
            .into_iter()
            .filter(|a| review_overdue(a.updated_at, now))
        {
            match dispatch.review(&app.id).await {
                Ok(()) => asked += 1,
                Err(e) => {
                    tracing::error!(error = %e, application = %app.id, "asking again for a review failed")
                }
            }
        }
    }
    Ok(asked)
}

/// The name under which the annual-report job keeps its progress.
pub const ANNUAL_REPORT_JOB: &str = "annual-reports";

/// What one run of the annual-report job did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AnnualReportRun {
    pub days: Vec<NaiveDate>,
    pub reminders: usize,
    pub expired: Vec<String>,
}

/// The annual-report job (seed 000 第十一条、第十九条), run daily in China time: the
/// reminders and expiries [`annual_report::plan_day`] puts on each day since the last
/// completed one ([`annual_report::days_to_run`]: catching up on missed runs) up to
/// today. Each write is idempotent, so a repeated or concurrent run changes nothing more.
///
/// `job` names the progress record ([`ANNUAL_REPORT_JOB`] in production).
pub async fn annual_reports<D: Dispatch>(
    store: &DynamoStore,
    dispatch: &D,
    registry: &Registry,
    job: &str,
    now: DateTime<Utc>,
) -> Result<AnnualReportRun, JobError> {
    let today = china_date(now);
    let state = store.job_state(job).await?;
    let mut run = AnnualReportRun::default();
    for day in annual_report::days_to_run(state.as_ref().map(|s| s.done_through), today) {
        for scheme in annual_report::schemes_on(registry, day) {
            let scheme_id = scheme.scheme.id;
            let DayPlan {
                deadline,
                reminders,
                expire_valid_through,
            } = annual_report::plan_day(scheme, day)
                .map_err(|e| JobError::Scheme(e.to_string()))?;
            for lead in reminders {
                run.reminders += remind(store, scheme_id, deadline, lead, now).await?;
            }
            if let Some(last_valid) = expire_valid_through {
                for c in store
                    .certificates_expiring(scheme_id.as_str(), last_valid)
                    .await?
                {
                    if let Some(serial) = expire(store, dispatch, &c, day, now).await? {
                        run.expired.push(serial);
                    }
                }
            }
        }
        run.days.push(day);
    }
    if let Some(next) = JobState::advance(state.as_ref(), job, today) {
        let mut tx = Transaction::default();
        tx.job_state(store.table(), state.as_ref(), &next)?;
        match store.commit(tx).await {
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(run)
}

async fn remind(
    store: &DynamoStore,
    scheme: SchemeId,
    deadline: NaiveDate,
    lead: u32,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut sent = 0;
    for c in store
        .certificates_expiring(scheme.as_str(), deadline)
        .await?
    {
        let reminder = annual_report::reminder(&c, deadline, lead, now);
        let mut tx = Transaction::default();
        tx.reminder(store.table(), scheme.as_str(), &reminder)?;
        match store.commit(tx).await {
            Ok(()) => sent += 1,
            Err(StoreError::Conflict(_)) => {} // already reminded
            Err(e) => return Err(e),
        }
    }
    Ok(sent)
}

async fn expire<D: Dispatch>(
    store: &DynamoStore,
    dispatch: &D,
    c: &CertificateRecord,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let open = match store.get_open_guard(&c.org, &c.scheme).await? {
        Some(guard) => store.get_application(&guard.application_id).await?,
        None => None,
    };
    if keeps_validity_during_report(c, open.as_ref()) {
        return Ok(None);
    }
    let Some((expired, audit)) = c.expire(today, now) else {
        return Ok(None);
    };
    let mut tx = Transaction::default();
    tx.certificate(store.table(), Some(c), &expired, &audit)?;
    match store.commit(tx).await {
        Ok(()) => {
            debug_assert_eq!(expired.status, CertificateStatus::Expired);
            request_render(dispatch, &expired).await;
            Ok(Some(expired.serial))
        }
        Err(StoreError::Conflict(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
