//! Adapters between the pure domain and AWS: configuration, SDK clients built once per
//! container, the DynamoDB single-table store, S3 objects and EventBridge Scheduler.
//!
//! Nothing here decides anything; it stores and fetches what the domain decided.
//!
//! The DynamoDB store is always here; the other SDK clients are features, so that each
//! function links only the clients it calls (each SDK adds megabytes to a binary and
//! its set-up to a cold start): `s3` (materials and certificate PDFs, the `objects` module),
//! `lambda` (asynchronous invokes) and `scheduler` (one-time schedules), the last two
//! behind [`dispatch::AwsDispatch`].

pub mod applications;
pub mod award_panels;
pub mod certificates;
pub mod config;
pub mod credit;
pub mod dispatch;
pub mod evaluation_forms;
pub mod health;
pub mod keys;
pub mod memberships;
#[cfg(feature = "s3")]
pub mod objects;
pub mod ratings;
pub mod store;
pub mod suspensions;
pub mod workflow;

pub use config::{Clients, Config, FromClients, StartError, start};
pub use store::DynamoStore;
