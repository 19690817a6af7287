//! Inline SVG world map (work in progress).
