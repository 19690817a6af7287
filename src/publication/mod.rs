//! The publication: the versioned `transfers.json` a provider publishes,
//! between the analysis and the site. Everything that reads or writes a
//! publication goes through here, never through the renderer:
//!
//! - [`write`] turns a checked project into `transfers.json` and its JSON
//!   Schema (the renderer only saves them);
//! - [`read`] reads one back, typed and versioned, from files other providers
//!   wrote (provider chains in `load`, `diff`, `review`, `build --previous`);
//! - [`changes`] compares two publications (`sovmap diff`, the changes page);
//! - [`history`] carries the list of publications from one to the next (the
//!   changes page and the Atom feed).

pub mod changes;
pub mod history;
pub mod read;
pub mod write;

pub use read::*;

/// Version of the `transfers.json` format; bumped on incompatible changes
/// (a removed or renamed key, a changed meaning). Adding a key is compatible.
/// [`read`] reads every version up to this one:
///
/// - 1: each entity carried its whole `control_chain` (grew with the square
///   of the chain's depth);
/// - 2: each entity states its `parent` and `ultimate_parent` once; a reader
///   walks `parent` ids for the chain in between.
pub const TRANSFERS_FORMAT_VERSION: u32 = 2;

/// File name of the schema, as referenced by `"$schema"` in `transfers.json`.
pub const TRANSFERS_SCHEMA_FILE: &str = "transfers.schema.json";
