//! Adapters between the pure domain and AWS: configuration, SDK clients built once per
//! container, the DynamoDB single-table store, S3 objects and EventBridge Scheduler.
//!
//! Nothing here decides anything; it stores and fetches what the domain decided.

pub mod applications;
pub mod certificates;
pub mod config;
pub mod dispatch;
pub mod evaluation_forms;
pub mod health;
pub mod keys;
pub mod memberships;
pub mod objects;
pub mod ratings;
pub mod store;
pub mod workflow;

pub use config::{Clients, Config, FromClients, StartError, start};
pub use store::DynamoStore;
