//! `sovmap build`: check, then render the site and swap it into the output
//! folder atomically.

use std::time::Instant;

use crate::cli::{BuildArgs, CheckArgs, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global};
use crate::render::{site, write};

pub fn run(global: &Global, args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| global.root.join("site"));
    // Refuse a dangerous output folder before anything else.
    let out = match write::check_output(&global.root, &output) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let checked = match crate::check_project(&global.root, global.as_of) {
        Err(diags) => {
            crate::cmd::check::print_invalid(&diags, Format::Text, global.use_color());
            eprintln!("error: nothing was written");
            return EXIT_INVALID;
        }
        Ok((c, _)) => c,
    };
    if checked.analysis.denied(args.deny.severity()) {
        // Print the findings exactly as `check` does.
        let check_args = CheckArgs {
            format: Format::Text,
            deny: args.deny,
        };
        let _ = crate::cmd::check::run(global, &check_args);
        eprintln!(
            "error: findings reach --deny {}; the map cannot be published as is and nothing was written",
            format!("{:?}", args.deny).to_lowercase()
        );
        return EXIT_FINDINGS;
    }
    // Pages go to a temporary folder as they are rendered (in parallel), so
    // the site is never held in memory as a whole; it is swapped in at the end.
    let rendering = Instant::now();
    let staging = match write::Staging::begin(&out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let sink = |path: &std::path::Path, bytes: Vec<u8>| {
        staging
            .write(path, &bytes)
            .map_err(|e| site::RenderError(format!("cannot write `{}`: {e}", path.display())))
    };
    let rendered = match site::render_into(&checked, &global.root, &sink) {
        Ok(r) => r,
        Err(e) => {
            staging.discard();
            eprintln!("error: {e}");
            eprintln!("error: nothing was written");
            return EXIT_INVALID;
        }
    };
    let render_time = rendering.elapsed();
    let writing = Instant::now();
    if let Err(e) = staging.finish() {
        eprintln!("error: {e}");
        return EXIT_INVALID;
    }
    let pages = rendered.pages;
    if global.timings {
        eprintln!(
            "timings: load {:.3} s, analysis {:.3} s, render {:.3} s, swap {:.3} s, total {:.3} s, {} files, {pages} pages",
            checked.timings.load.as_secs_f64(),
            checked.timings.analysis.as_secs_f64(),
            render_time.as_secs_f64(),
            writing.elapsed().as_secs_f64(),
            started.elapsed().as_secs_f64(),
            rendered.files,
        );
    }
    if !global.quiet {
        println!(
            "sovmap build — {}: {} files ({} pages) written to {} in {} ms",
            checked.project.config.name,
            rendered.files,
            pages,
            output.display(),
            started.elapsed().as_millis()
        );
    }
    EXIT_OK
}
