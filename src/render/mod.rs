//! Render the analysed project as a static website (`sovmap build`).
//!
//! Rendering shows what analysis decided; it never re-derives a legal
//! conclusion. [`site`] computes the pages in memory from tera templates,
//! [`write`] swaps them into the output folder atomically; [`map`] draws the
//! world map and [`export`] writes the machine-readable files.

pub mod annex;
pub mod changes;
pub mod export;
pub mod flowgraph;
pub mod i18n;
pub mod map;
pub mod markdown;
pub mod site;
pub mod write;
