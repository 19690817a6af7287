//! Render the analysed project as a static website (issue: `sovmap build`).
//!
//! Rendering shows what analysis decided; it never re-derives a legal
//! conclusion. Work in progress: see `map` (world map SVG) and `export`
//! (machine-readable files).

pub mod export;
pub mod map;
