//! Machine-readable exports (work in progress).
