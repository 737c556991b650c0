//! Work handed to other functions, asynchronously: the automated review of a submitted
//! application, the rendering of a certificate version, the closing of a notice at the
//! end of its window. The AWS adapter invokes Lambda (`InvocationType=Event`, with a
//! dead-letter queue) and creates EventBridge Scheduler one-time schedules; tests record
//! the requests and run them when they choose.
//!
//! A request is made after the state it is about has been committed; if it is lost, the
//! periodic sweeps find the work again (the state is the queue).

use crate::ids::RecordId;
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::future::Future;

/// The asynchronous events the functions accept, as JSON (`{"job": "...", ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "kebab-case")]
pub enum Job {
    /// Review function: review one submitted application.
    Review { application_id: String },
    /// Certificate function: render (if not yet rendered) this version of a certificate.
    Render { serial: String, version: u64 },
    /// Publication function: close this notice if its window has ended.
    CloseNotice { notice_id: String },
    /// Publication function: close every notice whose window has ended (catches any
    /// missed one-time schedule).
    SweepNotices,
    /// Publication function: annual-report reminders and expiries, catching up on days
    /// missed since the last run.
    AnnualReports,
    /// Credit function: the yearly rollover of the credit register (seed 002 三（一）),
    /// resuming from its progress record; a run for a cycle already done does nothing.
    CreditRollover,
    /// Credit function: the A-list release (seed 002 二（三）1) of the quarter ending
    /// today, or of the last one when it was missed; a release is never rewritten.
    CreditAList,
    /// Credit function: the month's on-site checks (seed 002 一), one work item per
    /// agency of the register, resuming from its progress record.
    CreditSiteChecks,
}

pub trait Dispatch: Send + Sync {
    /// Ask the review function to review an application.
    fn review(&self, application: &RecordId)
    -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ask the certificate function to render a version of a certificate.
    fn render(
        &self,
        serial: &str,
        version: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Schedule the closing of a notice at `at` (a one-time schedule).
    fn schedule_close(
        &self,
        notice: &RecordId,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A shared dispatcher dispatches.
impl<T: Dispatch> Dispatch for std::sync::Arc<T> {
    fn review(
        &self,
        application: &RecordId,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        (**self).review(application)
    }

    fn render(
        &self,
        serial: &str,
        version: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        (**self).render(serial, version)
    }

    fn schedule_close(
        &self,
        notice: &RecordId,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        (**self).schedule_close(notice, at)
    }
}
