//! One module per command; each takes parsed arguments and returns an exit code.

pub mod annex;
pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod graph;
pub mod init;
pub mod progress;
pub mod review;
pub mod schema;
pub mod serve;
pub mod verify;
