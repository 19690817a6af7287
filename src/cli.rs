//! Command-line interface: the argument definitions (dispatched by [`crate::cmd::run`]).
//!
//! Exit codes are part of the public interface that scripts and CI rely on:
//! 0 — nothing at or above `--deny`; 1 — findings reach `--deny`;
//! 2 — invalid input (bad declarations, bad arguments, unreadable files).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::analysis::Severity;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_INVALID: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "sovmap",
    propagate_version = true,
    version,
    about = "Compute and publish where health data goes and which foreign laws can reach it",
    long_about = "sovmap reads a health-data host's declarations (legal entities and their owners, sites, \
services, data flows, remote-access paths, mitigation measures), applies the HDS referential v2 \
sovereignty requirements (EXI 28–31) and the GDPR transfer rules with embedded, dated legal facts, \
and reports findings.\n\nExit codes: 0 nothing at or above --deny, 1 findings at or above --deny, \
2 invalid input.",
    after_help = "Run `sovmap check` in a project folder (one holding sovmap.toml and content/)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Project folder (holding sovmap.toml and content/).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Date whose legal facts apply (YYYY-MM-DD). Default: `publication_date` in sovmap.toml, else today.
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Language of human-readable output.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Print only errors and the summary.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the hints of notices.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to use colours in terminal output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print the wall time of each stage (load, analysis, render, write) on
    /// stderr, for benchmarks (scripts/bench.sh).
    #[arg(long, global = true, hide = true)]
    pub timings: bool,
}

impl Global {
    pub fn use_color(&self) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The same language for the library's texts.
    pub fn site(self) -> crate::i18n::Lang {
        match self {
            Lang::Fr => crate::i18n::Lang::Fr,
            Lang::En => crate::i18n::Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        self.site().code()
    }
}

/// The GeoIP databases compiled into sovmap (`--geoip-db`).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoipDb {
    /// DB-IP Lite country (CC BY 4.0, data of 2026-06-01): where blocks are used.
    Dbip,
    /// ip-location-db iptoasn-country (PDDL, data of 2026-06-17): where blocks are registered.
    Iptoasn,
}

impl GeoipDb {
    pub fn embedded(self) -> crate::verify::Embedded {
        match self {
            GeoipDb::Dbip => crate::verify::Embedded::DbIp,
            GeoipDb::Iptoasn => crate::verify::Embedded::IpToAsn,
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Lowest severity that makes the command fail (exit 1).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deny {
    Error,
    Warning,
    Notice,
    /// Never fail on findings (invalid input still exits 2).
    Never,
}

impl Deny {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Deny::Error => Some(Severity::Error),
            Deny::Warning => Some(Severity::Warning),
            Deny::Notice => Some(Severity::Notice),
            Deny::Never => None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load, validate and analyse the declarations; print the findings.
    ///
    /// Exit 0 when no finding reaches --deny, 1 when one does, 2 for invalid input.
    Check(CheckArgs),
    /// Check, then render the static website (EXI 31 page, actors, services, annex, exports).
    ///
    /// Refuses to publish (exit 1, nothing written) when a finding reaches --deny;
    /// exit 2 for invalid input or an unusable output folder. The output folder is
    /// replaced atomically: a failed build leaves the previous site untouched.
    Build(BuildArgs),
    /// Print the flow graph (entities, sites, services, access origins) as DOT, Mermaid or JSON.
    ///
    /// Nodes outside the EEA are marked. `--service ID` keeps what holds or can reach
    /// that service's personal data, plus the parents of the entities kept.
    /// Exit 2 for invalid input or an unknown service.
    Graph(GraphArgs),
    /// Create a new, working project (sovmap.toml and content/) in DIR.
    ///
    /// Refuses a folder that is not empty (exit 2) unless --force is given; with
    /// --force, files of the scaffold overwrite files of the same name and other
    /// files are left alone. Never prompts.
    Init(InitArgs),
    /// Check the IP ranges declared on sites and access paths against a GeoIP country database.
    ///
    /// For every range, the share of its addresses the database places in each
    /// country, compared with the declared country. Uses the embedded DB-IP Lite country
    /// database (CC BY 4.0, data of 2026-06-01) unless --geoip FILE or `geoip` in
    /// sovmap.toml names another .mmdb file, or --geoip-db iptoasn picks the other embedded
    /// one. These are geolocation, registration or geofeed countries, not proof of physical
    /// location.
    /// Exit 0 when no finding reaches --deny, 1 when one does, 2 for invalid input
    /// or an unusable database file.
    Verify(VerifyArgs),
    /// Preview the site: build it into a temporary folder, serve it on 127.0.0.1 and
    /// rebuild and reload the open pages when the project changes.
    ///
    /// Never writes into site/. While the project does not build, the browser shows the
    /// errors (file, line, column) instead of the pages, and the terminal prints them;
    /// saving a fixed file recovers. Ctrl-C stops the server and removes the folder.
    /// Exit 2 when it cannot start (port taken, folder missing).
    Serve(ServeArgs),
    /// Write the JSON Schemas of sovmap.toml and of the declaration files, for editors.
    ///
    /// `--output DIR` writes one file per kind (sovmap.schema.json, entity.schema.json …);
    /// `--kind KIND` prints one schema on stdout. Point Taplo / Even Better TOML at them with
    /// a first line `#:schema ./schemas/sovmap.schema.json` (as `sovmap init` writes).
    Schema(SchemaArgs),
    /// Compare two published transfers.json files: what changed, what became riskier.
    ///
    /// Works on any provider's files (no project needed). Exit 0 when the files
    /// compare, 1 when --fail-on-risk is given and something became riskier
    /// (new non-EEA country, exposure or law, lost certificate, removed measure,
    /// weaker transfer basis, storage outside the EEA), 2 for unreadable files.
    Diff(DiffArgs),
    /// Judge providers' published transfers.json against your own policy file (a customer's review).
    ///
    /// Per provider and per service: each rule of the policy met or not, with the
    /// reason and the provider's declared measures. Exit 0 when every rule is met,
    /// 1 when one is not (unless --deny never), 2 for bad input (nothing written).
    Review(ReviewArgs),
    /// Turn a published subprocessor list (CSV) or chapter-8 table (HTML or Markdown) into declarations.
    ///
    /// Writes sovmap.toml and content/imported/NAME.toml into --into DIR (default: a
    /// folder named after FILE). Nothing is invented: what the list does not give is
    /// written "unknown" (or `basis = "unstated"`), and each guessed or unknown value
    /// has a comment. CSV columns (headers in English or French, `;` or `,`, UTF-8 with
    /// or without BOM): name, legal entity, country of origin, server locations,
    /// purpose, data categories, basis, HDS status. Chapter 8: actor, role, HDS,
    /// SecNumCloud, activities, EXI 29, EXI 30. Exit 2, nothing written, for a row
    /// that cannot be read (each reported with its line) or existing files without --force.
    Import(ImportArgs),
    /// Write the contract annex (EXI 29/30) of all services or one, as Word, PDF, HTML or its
    /// canonical text; or check an annex's fingerprint (--verify FILE).
    ///
    /// The language is --lang (fr or en). The fingerprint printed in the annex is the SHA-256
    /// of its canonical text (`--format txt`, published as annex/<service>.txt).
    /// Exit 0 written or verified, 1 when --verify finds a difference or a finding reaches
    /// --deny, 2 for invalid input, an unknown service or an unreadable file.
    Annex(AnnexArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout, e.g. `sovmap man > sovmap.1`; with
    /// `--output DIR`, write it and one page per subcommand (sovmap-check.1 …) into DIR.
    Man(ManArgs),
}

/// Output format of `sovmap graph`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (Markdown, GitHub, GitLab).
    Mermaid,
    /// JSON: nodes and edges, for scripts.
    Json,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Keep only what holds or can reach this service's personal data (and the parents of its entities).
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The earlier publication (a transfers.json written by `sovmap build`).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later publication.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format: text for people, json for scripts (documented in the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with code 1 when something became riskier (for a customer's CI).
    #[arg(long)]
    pub fail_on_risk: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Folder to create the project in [default: --root, i.e. the current folder].
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Write into a folder that is not empty (scaffold files of the same name are overwritten).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port to listen on [default: 1111, or the next free one up to 1130]; 0 picks any free port.
    #[arg(long, short, value_name = "PORT")]
    pub port: Option<u16>,
    /// Address to listen on. Anything but a loopback address shares the draft with the network (a warning is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Folder to write every schema into (created if missing; files of the same name are replaced).
    #[arg(long, short, value_name = "DIR", required_unless_present = "kind")]
    pub output: Option<PathBuf>,
    /// Print only this schema on stdout.
    #[arg(long, value_enum, conflicts_with = "output")]
    pub kind: Option<SchemaKind>,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Folder to write sovmap.1 and sovmap-<command>.1 into (created if missing; files of
    /// the same name are replaced), e.g. /usr/local/share/man/man1.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Output folder, replaced as a whole [default: site/ under --root].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Lowest severity that refuses the build (exit 1, nothing written).
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub deny: Deny,
    /// Check the declared IP ranges against a GeoIP database and show the evidence on the site.
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub geoip: GeoipArgs,
    /// The last published transfers.json, to say what changed (changes.html, feed.xml)
    /// [default: `previous` in sovmap.toml; none: a first publication].
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
}

/// Output format of `sovmap annex`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnexFormat {
    /// Word document (.docx).
    Docx,
    /// PDF/A-2b, A4, laid out by sovmap itself (fonts embedded).
    Pdf,
    /// A self-contained HTML page with its print stylesheet.
    Html,
    /// The canonical text the fingerprint covers.
    Txt,
}

#[derive(Args, Debug)]
pub struct AnnexArgs {
    /// The service whose annex to write [default: all the provider's services].
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Output format [default: from the --output file's extension].
    #[arg(long, value_enum)]
    pub format: Option<AnnexFormat>,
    /// The file to write (`-` for standard output).
    #[arg(long, short, value_name = "FILE", required_unless_present = "verify")]
    pub output: Option<PathBuf>,
    /// Check a canonical annex file (annex/<service>.txt) or an annex written by sovmap
    /// (.docx, .pdf, .html): print its fingerprint and compare it with the annex the project
    /// at --root gives today (same service, language and date).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["output", "format", "service"])]
    pub verify: Option<PathBuf>,
    /// Lowest severity that refuses to write the annex (exit 1, nothing written).
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub deny: Deny,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Output format: text for people, json for scripts (documented in the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the command exit with code 1.
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub deny: Deny,
    /// GeoIP country database (.mmdb) to use instead of `geoip` of sovmap.toml or the embedded one.
    #[arg(long, value_name = "FILE")]
    pub geoip: Option<PathBuf>,
    /// Embedded GeoIP database to use instead of `geoip` of sovmap.toml: `dbip` (DB-IP Lite
    /// country, CC BY 4.0, the default) or `iptoasn` (registration countries, PDDL).
    #[arg(long, value_enum, value_name = "NAME", conflicts_with = "geoip")]
    pub geoip_db: Option<GeoipDb>,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// One per provider (paths relative to the current folder): a published transfers.json, or for a
    /// provider that does not publish with sovmap, its subprocessor list (.csv), its chapter-8 table
    /// (.html, .md) or a project folder (such as one `sovmap import` wrote).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Your policy file (TOML; see the README, section "Reviewing providers").
    #[arg(long, value_name = "POLICY.toml")]
    pub policy: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write a standalone HTML report (no external requests) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// When to exit 1: a rule is not met (`failed`), or `never`.
    #[arg(long, value_enum, default_value_t = ReviewDeny::Failed)]
    pub deny: ReviewDeny,
}

/// The shape of the list `sovmap import` reads.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// A subprocessor list, one row per subprocessor (CSV).
    Csv,
    /// The chapter-8 table of an EXI 31 page (HTML or Markdown table).
    Chapter8,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The published list (a .csv file, or an .html / .md file holding the table).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// What the file holds.
    #[arg(long, value_enum)]
    pub format: ImportFormat,
    /// Folder of the project to write [default: a folder named after FILE, in the current folder].
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Replace sovmap.toml and content/imported/NAME.toml if they exist.
    #[arg(long)]
    pub force: bool,
}

/// What makes `sovmap review` exit 1.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDeny {
    /// A rule of the policy is not met for some service.
    Failed,
    /// Never fail on verdicts (bad input still exits 2).
    Never,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Output format: text for people, json for scripts (documented in the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the command exit with code 1.
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub deny: Deny,
    /// Also check the declared IP ranges against a GeoIP database (as `sovmap verify`).
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub geoip: GeoipArgs,
}

/// The GeoIP database of `build --verify` and `check --verify`.
#[derive(Args, Debug, Clone, Default)]
pub struct GeoipArgs {
    /// GeoIP country database (.mmdb) for the verification; implies --verify.
    #[arg(long, value_name = "FILE")]
    pub geoip: Option<PathBuf>,
    /// Embedded GeoIP database for the verification; implies --verify: `dbip` (DB-IP Lite
    /// country, CC BY 4.0, the default) or `iptoasn` (registration countries, PDDL).
    #[arg(long, value_enum, value_name = "NAME", conflicts_with = "geoip")]
    pub geoip_db: Option<GeoipDb>,
}

impl GeoipArgs {
    pub fn choice(&self) -> crate::verify::Choice<'_> {
        geoip_choice(self.geoip.as_deref(), self.geoip_db)
    }
}

impl VerifyArgs {
    pub fn geoip_choice(&self) -> crate::verify::Choice<'_> {
        geoip_choice(self.geoip.as_deref(), self.geoip_db)
    }
}

/// The database a command was told to use: `file` (--geoip) or `db` (--geoip-db).
fn geoip_choice(file: Option<&std::path::Path>, db: Option<GeoipDb>) -> crate::verify::Choice<'_> {
    crate::verify::Choice {
        file,
        embedded: db.map(GeoipDb::embedded),
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    crate::load::reader::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2026-03-01"))
}

/// A schema kind as an argument (`--kind`): the library's
/// [`crate::schema::Kind`], named and described for clap.
#[derive(Debug, Clone, Copy)]
pub struct SchemaKind(pub crate::schema::Kind);

impl ValueEnum for SchemaKind {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::LazyLock<Vec<SchemaKind>> = std::sync::LazyLock::new(|| {
            crate::schema::Kind::ALL
                .iter()
                .map(|k| SchemaKind(*k))
                .collect()
        });
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.about()))
    }
}
