//! sovmap: where health data goes and which foreign laws can reach it.
//!
//! Data flows one way: files → [`load`] (validate) → [`model`] → [`graph`] →
//! [`analysis`] (findings) → output. The legal facts live in [`reference`],
//! as embedded, dated, sourced data. The command line (the `sovmap` binary's
//! `cli` and `cmd` modules) is a thin layer over these modules.
//!
//! A publication (`transfers.json`) is written and read back by
//! [`publication`] (typed, versioned), which also compares two publications
//! and carries the history from one to the next; [`render`] turns a checked
//! project into the site and saves the publication beside it.

pub mod analysis;
pub mod diag;
pub mod format;
pub mod graph;
pub mod i18n;
pub mod import;
pub mod labels;
pub mod load;
pub mod model;
pub mod publication;
pub mod reference;
pub mod render;
pub mod review;
pub mod safefs;
pub mod schema;
pub mod unknown;
pub mod verify;
pub mod visible;

use std::path::Path;

use jiff::civil::Date;

use crate::analysis::Analysis;
use crate::diag::Diagnostics;
use crate::model::Project;
use crate::reference::Reference;

/// A loaded and analysed project, ready to print or render.
pub struct Checked {
    pub project: Project,
    /// The embedded reference data with the provider's overrides applied.
    pub reference: Reference,
    pub analysis: Analysis,
    /// Files read (for quoting) and notes raised while loading.
    pub diagnostics: Diagnostics,
    /// GeoIP evidence for the declared IP ranges, when verification was run
    /// ([`Checked::add_verification`]); its findings are also in `analysis`.
    pub verification: Option<verify::Verification>,
    /// How long loading and analysing took (for `--timings`).
    pub timings: StageTimes,
}

impl Checked {
    /// Check the declared IP ranges against `db` and add the `GEOIP-…`
    /// findings to the analysis' findings (so that `--deny`, the summary and
    /// the site count them). Errors only when the database cannot be read.
    pub fn add_verification(&mut self, db: &verify::GeoDatabase) -> Result<(), verify::GeoIpError> {
        let v = verify::verify(&self.project, &self.reference, db)?;
        self.analysis.findings.extend(v.findings.iter().cloned());
        verify::sort_findings(&mut self.analysis.findings);
        self.verification = Some(v);
        Ok(())
    }
}

/// Wall time of the stages before output, for `--timings` and benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub load: std::time::Duration,
    pub analysis: std::time::Duration,
}

/// Where the `--as-of` date came from, for outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsOfSource {
    CommandLine,
    PublicationDate,
    Today,
}

/// The date whose legal facts apply: `--as-of`, else the project's
/// `publication_date`, else today; and where it came from.
pub fn as_of_date(command_line: Option<Date>, publication: Option<Date>) -> (Date, AsOfSource) {
    match (command_line, publication) {
        (Some(d), _) => (d, AsOfSource::CommandLine),
        (None, Some(d)) => (d, AsOfSource::PublicationDate),
        (None, None) => (jiff::Zoned::now().date(), AsOfSource::Today),
    }
}

/// Load, validate and analyse the project at `root`. `as_of` overrides the
/// publication date of `sovmap.toml` (default: today).
pub fn check_project(
    root: &Path,
    as_of: Option<Date>,
) -> Result<(Checked, AsOfSource), Diagnostics> {
    check_project_and_inputs(root, as_of).0
}

/// [`check_project`], and the files outside `content/` that the project
/// names ([`load::Loaded::external`]), known even when the project is
/// invalid: `serve` watches them.
pub fn check_project_and_inputs(
    root: &Path,
    as_of: Option<Date>,
) -> (
    Result<(Checked, AsOfSource), Diagnostics>,
    Vec<std::path::PathBuf>,
) {
    let started = std::time::Instant::now();
    let embedded = Reference::embedded();
    let loaded = load::load(root, embedded);
    let load_time = started.elapsed();
    let external = loaded.external;
    let Some(project) = loaded.project else {
        return (Err(loaded.diagnostics), external);
    };
    let overrides = &project.config.reference_overrides;
    let (as_of, source) = as_of_date(as_of, project.config.publication_date);
    // EEA membership as it stood on the analysis date (the UK before 2021).
    let reference = embedded
        .with_overrides(&overrides.adequacy, &overrides.laws)
        .on(as_of);
    let analysed = std::time::Instant::now();
    let mut analysis = analysis::analyse(&project, &reference, as_of);
    analysis
        .findings
        .extend(analysis::translations::missing_english(&project));
    let timings = StageTimes {
        load: load_time,
        analysis: analysed.elapsed(),
    };
    (
        Ok((
            Checked {
                project,
                reference,
                analysis,
                diagnostics: loaded.diagnostics,
                verification: None,
                timings,
            },
            source,
        )),
        external,
    )
}

/// The repository's example project, checked (for unit tests).
#[cfg(test)]
pub(crate) fn example() -> Checked {
    match check_project(Path::new(env!("CARGO_MANIFEST_DIR")), None) {
        Ok((c, _)) => c,
        Err(d) => panic!("the example project is invalid: {:?}", d.resolved()),
    }
}
