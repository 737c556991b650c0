//! The HTTP edge shared by every function: who is calling (from verified JWT claims),
//! reading JSON bodies safely, problem+json answers, and one structured log line per
//! request. Handlers stay short: authorize, load, decide (pure), save, respond.

pub mod auth;
pub mod body;
pub mod edge;
pub mod listing;
pub mod respond;
pub mod serve;

pub use auth::Authenticator;
pub use body::json_body;
pub use edge::{scheme_in_force, scheme_registry, store_problem};
pub use respond::{html, json, problem};
pub use serve::{init_tracing, serve, serve_app, serve_app_with_jobs, serve_with_jobs};
