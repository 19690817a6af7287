//! `sovmap completions SHELL` and `sovmap man`: generated from the clap
//! definitions in [`crate::cli`], so they never drift from the real options.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, EXIT_INVALID, EXIT_OK, Global, ManArgs};

/// Print the completion script for `args.shell` on stdout.
pub fn completions(args: &CompletionsArgs) -> i32 {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "sovmap", &mut buf);
    write_stdout(&buf)
}

/// Print the man page (roff) on stdout; with `--output DIR`, write it and
/// one page per subcommand (`sovmap-check.1` …, the pages the main one
/// refers to) into DIR.
pub fn man(global: &Global, args: &ManArgs) -> i32 {
    // No `help` subcommand: it has no page of its own (`generate_to` leaves
    // it out), so the main page must not refer to `sovmap-help(1)` either.
    let cmd = Cli::command().disable_help_subcommand(true);
    let Some(dir) = &args.output else {
        let mut buf = Vec::new();
        if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
            eprintln!("error: cannot render the man page: {e}");
            return EXIT_INVALID;
        }
        return write_stdout(&buf);
    };
    let mut names = vec!["sovmap.1".to_string()];
    names.extend(
        cmd.get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| format!("sovmap-{}.1", s.get_name())),
    );
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| clap_mangen::generate_to(cmd, dir))
        .map(|()| names);
    match written {
        Ok(names) => {
            if !global.quiet {
                println!(
                    "sovmap man: {} pages written to {}: {}",
                    names.len(),
                    dir.display(),
                    names.join(", ")
                );
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: cannot write the man pages into {}: {e}",
                dir.display()
            );
            eprintln!("  help: give a folder you can write to with --output");
            EXIT_INVALID
        }
    }
}

fn write_stdout(buf: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`sovmap man | head`) is not an error worth reporting.
    let _ = stdout.write_all(buf);
    let _ = stdout.flush();
    EXIT_OK
}
