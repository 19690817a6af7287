//! `sovmap completions SHELL` and `sovmap man`: generated from the clap
//! definitions in [`crate::cli`], so they never drift from the real options.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, EXIT_INVALID, EXIT_OK};

/// Print the completion script for `args.shell` on stdout.
pub fn completions(args: &CompletionsArgs) -> i32 {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "sovmap", &mut buf);
    write_stdout(&buf)
}

/// Print the man page (roff) on stdout.
pub fn man() -> i32 {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
        eprintln!("error: cannot render the man page: {e}");
        return EXIT_INVALID;
    }
    write_stdout(&buf)
}

fn write_stdout(buf: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`sovmap man | head`) is not an error worth reporting.
    let _ = stdout.write_all(buf);
    let _ = stdout.flush();
    EXIT_OK
}
