//! Asynchronous work through AWS: Lambda `Invoke` with `InvocationType=Event` (Lambda
//! queues the event, retries twice and sends failures to the dead-letter queue) and
//! EventBridge Scheduler one-time schedules for notice closings (Asia/Shanghai).
//!
//! Each client is a feature of this crate (`lambda`, `scheduler`), so a function links
//! only the SDKs of the work it hands on. Work whose client this build does not link is
//! refused with [`StoreError::Unavailable`] naming the missing feature (a function that
//! requests it must enable it in its `Cargo.toml`).

#[cfg(feature = "lambda")]
use aws_sdk_lambda::primitives::Blob;
#[cfg(feature = "lambda")]
use aws_sdk_lambda::types::InvocationType;
#[cfg(feature = "scheduler")]
use aws_sdk_scheduler::types::{
    ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, Target,
};
use chrono::{DateTime, Utc};
use standing_domain::dispatch::{Dispatch, Job};
use standing_domain::ids::RecordId;
use standing_domain::store::StoreError;

#[cfg(any(feature = "lambda", feature = "scheduler"))]
fn unavailable<E: std::fmt::Debug>(e: E) -> StoreError {
    StoreError::Unavailable(format!("{e:?}"))
}

/// Where the work goes, from the environment (`REVIEW_FUNCTION`,
/// `CERTIFICATE_FUNCTION`, `PUBLICATION_FUNCTION_ARN`, `SCHEDULER_ROLE_ARN`,
/// `SCHEDULE_GROUP`). An absent target is an error when that work is requested.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    pub review_function: Option<String>,
    pub certificate_function: Option<String>,
    pub publication_function_arn: Option<String>,
    pub scheduler_role_arn: Option<String>,
    pub schedule_group: Option<String>,
}

impl Targets {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Targets {
            review_function: var("REVIEW_FUNCTION"),
            certificate_function: var("CERTIFICATE_FUNCTION"),
            publication_function_arn: var("PUBLICATION_FUNCTION_ARN"),
            scheduler_role_arn: var("SCHEDULER_ROLE_ARN"),
            schedule_group: var("SCHEDULE_GROUP"),
        }
    }
}

/// The dispatcher, with the clients this build links (see [`crate::Clients::dispatch`]).
#[derive(Debug, Clone)]
pub struct AwsDispatch {
    #[cfg(feature = "lambda")]
    pub lambda: aws_sdk_lambda::Client,
    #[cfg(feature = "scheduler")]
    pub scheduler: aws_sdk_scheduler::Client,
    pub targets: Targets,
}

/// Work this build cannot hand on: the function did not enable the feature.
#[cfg(any(not(feature = "lambda"), not(feature = "scheduler")))]
fn not_linked(feature: &str, job: &Job) -> StoreError {
    tracing::error!(
        ?job,
        feature,
        "this function is built without the client for this work"
    );
    StoreError::Unavailable(format!(
        "this function is built without standing-aws feature `{feature}`, needed for {job:?}"
    ))
}

impl AwsDispatch {
    #[cfg(feature = "lambda")]
    async fn invoke(&self, function: Option<&String>, job: &Job) -> Result<(), StoreError> {
        let function = function.ok_or_else(|| {
            StoreError::Unavailable(format!("no function configured for {job:?}"))
        })?;
        let payload = serde_json::to_vec(job).map_err(unavailable)?;
        self.lambda
            .invoke()
            .function_name(function)
            .invocation_type(InvocationType::Event)
            .payload(Blob::new(payload))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    #[cfg(not(feature = "lambda"))]
    async fn invoke(&self, _function: Option<&String>, job: &Job) -> Result<(), StoreError> {
        Err(not_linked("lambda", job))
    }
}

/// The schedule expression of a one-time schedule at `at`, in China time.
pub fn at_expression(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&standing_domain::clock::china_offset());
    format!("at({})", local.format("%Y-%m-%dT%H:%M:%S"))
}

impl Dispatch for AwsDispatch {
    async fn review(&self, application: &RecordId) -> Result<(), StoreError> {
        let job = Job::Review {
            application_id: application.to_string(),
        };
        self.invoke(self.targets.review_function.as_ref(), &job)
            .await
    }

    async fn render(&self, serial: &str, version: u64) -> Result<(), StoreError> {
        let job = Job::Render {
            serial: serial.to_owned(),
            version,
        };
        self.invoke(self.targets.certificate_function.as_ref(), &job)
            .await
    }

    async fn schedule_close(&self, notice: &RecordId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let job = Job::CloseNotice {
            notice_id: notice.to_string(),
        };
        #[cfg(not(feature = "scheduler"))]
        {
            let _ = at;
            Err(not_linked("scheduler", &job))
        }
        #[cfg(feature = "scheduler")]
        {
            let (Some(arn), Some(role)) = (
                self.targets.publication_function_arn.as_ref(),
                self.targets.scheduler_role_arn.as_ref(),
            ) else {
                return Err(StoreError::Unavailable(
                    "PUBLICATION_FUNCTION_ARN and SCHEDULER_ROLE_ARN are needed to schedule closings"
                        .into(),
                ));
            };
            let target = Target::builder()
                .arn(arn)
                .role_arn(role)
                .input(serde_json::to_string(&job).map_err(unavailable)?)
                .build()
                .map_err(unavailable)?;
            let window = FlexibleTimeWindow::builder()
                .mode(FlexibleTimeWindowMode::Off)
                .build()
                .map_err(unavailable)?;
            let result = self
                .scheduler
                .create_schedule()
                .name(format!("close-notice-{notice}"))
                .set_group_name(self.targets.schedule_group.clone())
                .schedule_expression(at_expression(at))
                .schedule_expression_timezone("Asia/Shanghai")
                .flexible_time_window(window)
                .action_after_completion(ActionAfterCompletion::Delete)
                .target(target)
                .send()
                .await;
            match result {
                Ok(_) => Ok(()),
                // Already scheduled (a repeated review): the same closing, nothing to add.
                Err(aws_sdk_scheduler::error::SdkError::ServiceError(e))
                    if e.err().is_conflict_exception() =>
                {
                    Ok(())
                }
                Err(e) => Err(unavailable(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    // `cargo test -p standing-aws` builds this crate without features.
    #[cfg(not(any(feature = "lambda", feature = "scheduler")))]
    #[tokio::test]
    async fn work_without_its_client_is_refused_naming_the_feature() {
        let dispatch = AwsDispatch {
            targets: Targets::default(),
        };
        let id = RecordId::new_at(Utc::now());
        let e = dispatch.schedule_close(&id, Utc::now()).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Unavailable(m) if m.contains("`scheduler`")),
            "{e:?}"
        );
        let e = dispatch.review(&id).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Unavailable(m) if m.contains("`lambda`")),
            "{e:?}"
        );
        let e = dispatch.render("S-1", 1).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Unavailable(m) if m.contains("`lambda`")),
            "{e:?}"
        );
    }

    #[test]
    fn schedules_are_written_in_china_time() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 16, 0, 0).unwrap();
        assert_eq!(at_expression(at), "at(2026-12-08T00:00:00)");
    }
}
