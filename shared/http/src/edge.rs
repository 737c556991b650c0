//! What every handler maps the same way: storage failures to answers, and the scheme
//! definitions to a 500 if they ever fail to load.

use standing_domain::problem::Problem;
use standing_domain::store::{ConflictOn, StoreError};

/// Map a storage failure to the answer the caller gets: a conflict is the caller's to
/// resolve (409); anything else is logged and answered 500 without details.
pub fn store_problem(e: StoreError) -> Problem {
    match e {
        StoreError::Conflict(failed) => {
            // Name the record from the typed reason: "证书已被他人修改…" for a certificate.
            let what = failed.iter().find_map(|c| match c {
                ConflictOn::Record(entity) => Some(entity.label_zh()),
                _ => None,
            });
            Problem::conflict(format!(
                "{}已存在或已被他人修改，请刷新后重试",
                what.unwrap_or("记录")
            ))
        }
        StoreError::Unavailable(detail) | StoreError::Corrupt(detail) => {
            tracing::error!(error = %detail, "store failure");
            Problem::internal()
        }
        e @ StoreError::TooLarge { .. } => {
            tracing::error!(error = %e, "store refused an oversized item");
            Problem::internal()
        }
    }
}

/// The shipped scheme definitions (parsed once, on first use).
pub fn scheme_registry() -> Result<&'static standing_schemes::Registry, Problem> {
    standing_schemes::Registry::builtin().map_err(|e| {
        tracing::error!(error = %e, "scheme definitions do not load");
        Problem::internal()
    })
}

/// The version of a scheme the platform itself runs on `on` (a China date): a scheme
/// without one in force is the platform's own fault, logged and answered 500.
pub fn scheme_in_force(
    id: standing_schemes::SchemeId,
    on: chrono::NaiveDate,
) -> Result<&'static standing_schemes::Scheme, Problem> {
    scheme_registry()?.in_force(id, on).map_err(|e| {
        tracing::error!(error = %e, scheme = %id, "no version of the scheme in force");
        Problem::internal()
    })
}
