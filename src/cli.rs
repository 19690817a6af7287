//! Command-line interface: argument definitions and dispatch to `cmd::*`.
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
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
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
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout, e.g. `sovmap man > sovmap.1`.
    Man,
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
pub struct InitArgs {
    /// Folder to create the project in [default: --root, i.e. the current folder].
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Write into a folder that is not empty (scaffold files of the same name are overwritten).
    #[arg(long)]
    pub force: bool,
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
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Output format: text for people, json for scripts (documented in the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the command exit with code 1.
    #[arg(long, value_enum, default_value_t = Deny::Error)]
    pub deny: Deny,
}

fn parse_date(s: &str) -> Result<Date, String> {
    crate::load::reader::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2026-03-01"))
}

/// Parse arguments and run; returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_INVALID
            } else {
                EXIT_OK
            };
        }
    };
    match &cli.command {
        Command::Check(args) => crate::cmd::check::run(&cli.global, args),
        Command::Build(args) => crate::cmd::build::run(&cli.global, args),
        Command::Graph(args) => crate::cmd::graph::run(&cli.global, args),
        Command::Init(args) => crate::cmd::init::run(&cli.global, args),
        Command::Completions(args) => crate::cmd::completions::completions(args),
        Command::Man => crate::cmd::completions::man(),
    }
}
