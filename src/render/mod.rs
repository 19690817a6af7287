//! Render the analysed project as a static website (`sovmap build`).
//!
//! Rendering shows what analysis decided; it never re-derives a legal
//! conclusion. [`site`] computes the pages in memory from tera templates,
//! [`write`] swaps them into the output folder atomically; [`map`] draws the
//! world map, [`files`] writes the CSV, sitemap and robots files and [`xml`]
//! escapes what is written as XML. `transfers.json` itself is written by
//! [`crate::publication::write`].

pub mod annex;
pub mod changes;
pub mod files;
pub mod flowgraph;
pub mod map;
pub mod markdown;
pub mod site;
pub mod write;
pub mod xml;
