//! One module per command; each takes parsed arguments and returns an exit
//! code. [`run`] parses the command line ([`crate::cli`]) and dispatches.

pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod graph;
pub mod init;
pub mod review;
pub mod schema;
pub mod serve;
pub mod verify;

use clap::Parser as _;

use crate::cli::{Cli, Command, EXIT_INVALID, EXIT_OK};

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
        Command::Check(args) => check::run(&cli.global, args),
        Command::Build(args) => build::run(&cli.global, args),
        Command::Graph(args) => graph::run(&cli.global, args),
        Command::Init(args) => init::run(&cli.global, args),
        Command::Verify(args) => verify::run(&cli.global, args),
        Command::Serve(args) => serve::run(&cli.global, args),
        Command::Schema(args) => schema::run(&cli.global, args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::Review(args) => review::run(&cli.global, args),
        Command::Completions(args) => completions::completions(args),
        Command::Man => completions::man(),
    }
}
