//! How an asynchronous job (the review, a notice closing, the sweeps, the annual-report
//! job, a certificate rendering) fails, so its entry point can tell Lambda whether
//! running it again may help.

use crate::problem::Problem;
use crate::store::StoreError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How long a submitted application may wait for its review before the sweep asks
/// for it again (the review request was lost, or its retries ended in the DLQ).
pub const REVIEW_GRACE_MINUTES: i64 = 15;

/// Whether a submitted application last changed at `updated_at` has waited for its
/// review longer than [`REVIEW_GRACE_MINUTES`] at `now`.
pub fn review_overdue(updated_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    updated_at <= now - Duration::minutes(REVIEW_GRACE_MINUTES)
}

/// A scheduled job's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobState {
    pub job: String,
    /// The last China date fully processed.
    pub done_through: NaiveDate,
    pub version: u64,
}

impl JobState {
    /// The progress to record after a run of `job` that processed every day through
    /// `today`, or `None` if `before` already says so (nothing to write).
    pub fn advance(before: Option<&JobState>, job: &str, today: NaiveDate) -> Option<JobState> {
        if before.is_some_and(|s| s.done_through >= today) {
            return None;
        }
        Some(JobState {
            job: job.to_owned(),
            done_through: today,
            version: before.map_or(1, |s| s.version + 1),
        })
    }
}

/// Why a job did not complete.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A record the job is about, or depends on, does not exist (or is not in the
    /// state its pointer says).
    #[error("missing: {0}")]
    Missing(String),
    /// The domain refused the change the job was asked to make.
    #[error("refused by the rules: {0}")]
    Refused(Problem),
    /// The scheme data cannot answer what the job needs (a parameter missing or
    /// malformed, no version in force).
    #[error("scheme data: {0}")]
    Scheme(String),
    /// The job was delivered to a function that does not run it.
    #[error("misrouted: {0}")]
    Misrouted(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Problem> for JobError {
    fn from(p: Problem) -> Self {
        JobError::Refused(p)
    }
}

impl JobError {
    /// Whether running the job again may succeed. Only storage failures that pass
    /// (an unreachable store, a lost race) are worth a retry; a refusal, a missing
    /// record, bad scheme data or a misrouted job fail the same way every time.
    pub fn retryable(&self) -> bool {
        match self {
            JobError::Store(e) => e.retryable(),
            JobError::Missing(_)
            | JobError::Refused(_)
            | JobError::Scheme(_)
            | JobError::Misrouted(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ProblemKind;

    #[test]
    fn a_refusal_is_not_a_corrupt_item_and_is_not_retried() {
        let e: JobError = Problem::new(ProblemKind::Conflict, "证书已撤销").into();
        assert!(matches!(e, JobError::Refused(_)));
        assert!(!e.retryable());
        assert!(!JobError::Missing("notice 1".into()).retryable());
        assert!(!JobError::Scheme("no deadline".into()).retryable());
        assert!(!JobError::Misrouted("render".into()).retryable());
        assert!(!JobError::Store(StoreError::Corrupt("bad item".into())).retryable());
    }

    #[test]
    fn storage_that_may_come_back_is_retried() {
        assert!(JobError::from(StoreError::Unavailable("timeout".into())).retryable());
        assert!(JobError::from(StoreError::Conflict(vec![])).retryable());
    }

    #[test]
    fn a_review_is_asked_again_after_fifteen_minutes() {
        use chrono::TimeZone;
        let submitted = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        assert!(!review_overdue(
            submitted,
            submitted + Duration::minutes(14)
        ));
        assert!(!review_overdue(
            submitted,
            submitted + Duration::seconds(899)
        ));
        assert!(review_overdue(submitted, submitted + Duration::minutes(15)));
        assert!(review_overdue(submitted, submitted + Duration::hours(3)));
    }

    #[test]
    fn job_progress_moves_forward_only() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 6, d).unwrap();
        let first = JobState::advance(None, "annual-reports", day(1)).unwrap();
        assert_eq!((first.done_through, first.version), (day(1), 1));
        let next = JobState::advance(Some(&first), "annual-reports", day(3)).unwrap();
        assert_eq!((next.done_through, next.version), (day(3), 2));
        assert_eq!(
            JobState::advance(Some(&next), "annual-reports", day(3)),
            None
        );
        assert_eq!(
            JobState::advance(Some(&next), "annual-reports", day(2)),
            None
        );
    }
}
