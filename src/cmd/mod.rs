//! One module per command; each takes parsed arguments and returns an exit
//! code. [`run`] parses the command line ([`crate::cli`]) and dispatches.

pub mod annex;
pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod graph;
pub mod import;
pub mod init;
pub mod progress;
pub mod review;
pub mod schema;
pub mod serve;
pub mod verify;

use clap::Parser as _;

use crate::cli::{Cli, Command, EXIT_INVALID, EXIT_OK};

/// The first keys of every `--format json` document a command prints, in
/// this order: scripts read `format_version` and `status` before anything
/// else, whatever the command (`#[serde(flatten)]` it first).
#[derive(serde::Serialize)]
pub(crate) struct JsonHead {
    pub format_version: u32,
    pub status: &'static str,
}

/// The head of a report on one provider (`check`, `verify`): the common
/// head, then the tool that wrote it and the provider it is about.
#[derive(serde::Serialize)]
pub(crate) struct ReportHead<'a> {
    #[serde(flatten)]
    head: JsonHead,
    tool: &'static str,
    provider: &'a str,
}

impl<'a> ReportHead<'a> {
    pub(crate) fn new(format_version: u32, status: &'static str, provider: &'a str) -> Self {
        ReportHead {
            head: JsonHead {
                format_version,
                status,
            },
            tool: concat!("sovmap ", env!("CARGO_PKG_VERSION")),
            provider,
        }
    }
}

/// `v` as indented JSON ending with a newline, the form every command prints.
pub(crate) fn json_text(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// A closed pipe (`sovmap schema | head -1`) ends the process quietly, as it
/// ends `cat` or `grep`: the Rust runtime ignores SIGPIPE, so every
/// `println!` after the reader has gone would panic ("failed printing to
/// stdout: Broken pipe", exit 101). The default action is restored for every
/// command but `serve`, whose server must outlive a browser closing a
/// connection.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal, before any
    // thread of ours is started; no handler is installed.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
    if !matches!(cli.command, Command::Serve(_)) {
        end_quietly_on_closed_pipe();
    }
    match &cli.command {
        Command::Check(args) => check::run(&cli.global, args),
        Command::Build(args) => build::run(&cli.global, args),
        Command::Graph(args) => graph::run(&cli.global, args),
        Command::Init(args) => init::run(&cli.global, args),
        Command::Verify(args) => verify::run(&cli.global, args),
        Command::Serve(args) => serve::run(&cli.global, args),
        Command::Schema(args) => schema::run(&cli.global, args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::Review(args) => review::run(&cli.global, args),
        Command::Import(args) => import::run(&cli.global, args),
        Command::Annex(args) => annex::run(&cli.global, args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(&cli.global, args),
    }
}
