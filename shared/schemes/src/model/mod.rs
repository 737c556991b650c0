//! The scheme definition format (one TOML file per scheme version) and its validation.
//!
//! Every number carries a [`SeedRef`] (document and article). Values the seed
//! does not give are marked `default = true` with a `note`.
//!
//! One concern a file: `scheme.rs` (the [`Scheme`] struct and its header), `id.rs` (the
//! five schemes), `values.rs` (seed references, decimals), `parameters.rs`, `levels.rs`,
//! `rules.rs` (checks, groups, metrics), `points.rs`, `credit.rs`, `forms.rs` (forms and
//! revocation grounds), and `validate/` (one file per section of a definition).

mod credit;
mod forms;
mod id;
mod levels;
mod parameters;
mod points;
mod rules;
mod scheme;
mod validate;
mod values;

pub use credit::*;
pub use forms::*;
pub use id::*;
pub use levels::*;
pub use parameters::*;
pub use points::*;
pub use rules::*;
pub use scheme::*;
pub use values::*;
