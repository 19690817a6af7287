//! The publication: the versioned `transfers.json` a provider publishes,
//! between the analysis and the site. Everything that reads or writes a
//! publication goes through here, never through the renderer:
//!
//! - [`write`] turns a checked project into `transfers.json` and its JSON
//!   Schema (the renderer only saves them);
//! - [`crate::format`] (one floor down, re-exported here) is the format's
//!   types and reads one back, typed and versioned, from files other
//!   providers wrote (provider chains in `load`, `diff`, `review`,
//!   `build --previous`);
//! - [`changes`] compares two publications (`sovmap diff`, the changes page);
//! - [`history`] carries the list of publications from one to the next (the
//!   changes page and the Atom feed).

pub mod changes;
pub mod history;
pub mod write;

#[cfg(test)]
mod format_tests;

pub use crate::format::*;

// The published values of the analysis's enums, read back as the analysis's
// own (so that labels use the site's one wording, `crate::labels`). They live
// here rather than in `format`, which sits below `analysis`.
impl Severity {
    pub fn model(self) -> Option<crate::analysis::Severity> {
        use crate::analysis::Severity as M;
        match self {
            Severity::Notice => Some(M::Notice),
            Severity::Warning => Some(M::Warning),
            Severity::Error => Some(M::Error),
            Severity::Unknown => None,
        }
    }
}

impl BasisStatus {
    pub fn model(self) -> Option<crate::analysis::BasisStatus> {
        use crate::analysis::BasisStatus as M;
        match self {
            BasisStatus::Adequacy => Some(M::Adequacy),
            BasisStatus::Safeguard => Some(M::Safeguard),
            BasisStatus::Derogation => Some(M::Derogation),
            BasisStatus::Missing => Some(M::Missing),
            BasisStatus::Unstated => Some(M::Unstated),
            BasisStatus::Unknown => None,
        }
    }
}

impl TransferKind {
    pub fn model(self) -> Option<crate::analysis::TransferKind> {
        use crate::analysis::TransferKind as M;
        match self {
            TransferKind::Flow => Some(M::Flow),
            TransferKind::RemoteAccess => Some(M::RemoteAccess),
            TransferKind::Unknown => None,
        }
    }
}
