//! `sovmap build`: check, then render the site and swap it into the output
//! folder atomically.

use std::time::Instant;

use crate::cli::{BuildArgs, CheckArgs, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global};
use crate::cmd::progress::Progress;
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
            eprintln!("error: {}", crate::visible::visible(&e.to_string()));
            return EXIT_INVALID;
        }
    };
    let progress = Progress::start(global, "Loading and analysing the declarations", false);
    let checked = crate::check_project(&global.root, global.as_of);
    progress.finish();
    let mut checked = match checked {
        Err(diags) => {
            crate::cmd::check::print_invalid(&diags, Format::Text, global.use_color());
            eprintln!("error: nothing was written");
            return EXIT_INVALID;
        }
        Ok((c, _)) => c,
    };
    // GeoIP evidence: with --verify / --geoip, or when sovmap.toml sets `geoip`.
    if crate::cmd::verify::wanted(&checked, args.verify, args.geoip.choice())
        && let Err(e) =
            crate::cmd::verify::run_verification(&mut checked, &global.root, args.geoip.choice())
    {
        crate::cmd::verify::print_db_error(&e, Format::Text);
        eprintln!("error: nothing was written");
        return EXIT_INVALID;
    }
    // The previous publication: read before anything is written; a bad file
    // stops the build (exit 2) rather than publishing a wrong history.
    let previous_path = args
        .previous
        .clone()
        .or_else(|| checked.project.config.previous.clone());
    let previous = match previous_path.as_deref().map(crate::publication::read) {
        None => None,
        Some(Ok(p)) => {
            warn_about_previous(&checked, &p, previous_path.as_deref());
            Some(p)
        }
        Some(Err(e)) => {
            eprint!(
                "{}",
                crate::publication::render_errors(&[e], global.use_color())
            );
            eprintln!(
                "error: the previous publication (--previous, or `previous` in sovmap.toml) cannot be read; nothing was written"
            );
            return EXIT_INVALID;
        }
    };
    if checked.analysis.denied(args.deny.severity()) {
        // Print the findings exactly as `check` does.
        let check_args = CheckArgs {
            format: Format::Text,
            deny: args.deny,
            verify: args.verify,
            geoip: args.geoip.clone(),
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
            eprintln!("error: {}", crate::visible::visible(&e.to_string()));
            return EXIT_INVALID;
        }
    };
    let progress = Progress::start(global, "Rendering the site", true);
    let sink = |path: &std::path::Path, bytes: Vec<u8>| {
        progress.file_written();
        staging
            .write(path, &bytes)
            .map_err(|e| site::RenderError(format!("cannot write `{}`: {e}", path.display())))
    };
    let rendered = site::render_into(&checked, &global.root, previous.as_ref(), &sink);
    progress.finish();
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => {
            staging.discard();
            eprintln!("error: {}", crate::visible::visible(&e.to_string()));
            eprintln!("error: nothing was written");
            return EXIT_INVALID;
        }
    };
    let render_time = rendering.elapsed();
    let writing = Instant::now();
    if let Err(e) = staging.finish() {
        eprintln!("error: {}", crate::visible::visible(&e.to_string()));
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
        for line in config_notes(&checked.project.config, checked.analysis.as_of) {
            eprintln!("{line}");
        }
        println!(
            "sovmap build — {}: {} files ({} pages) written to {} in {} ms",
            checked.project.config.name,
            rendered.files,
            pages,
            output.display(),
            started.elapsed().as_millis()
        );
    }
    // The process exits right after (see `check`): no point in freeing the
    // analysis allocation by allocation.
    std::mem::forget(checked);
    EXIT_OK
}

/// What a published site lacks because `sovmap.toml` leaves a key out:
/// without `publication_date` the site is dated by the build (`--as-of`,
/// else today), so its dates and the Atom feed's entry ids change every day
/// it is rebuilt; without `base_url` no sitemap can be written.
fn config_notes(cfg: &crate::model::Config, as_of: jiff::civil::Date) -> Vec<String> {
    let mut out = Vec::new();
    if cfg.publication_date.is_none() {
        out.push(format!(
            "warning: sovmap.toml has no `publication_date`: the site is dated {as_of}, the day of the build (or --as-of), so its \"valid from\" date and the Atom feed's entry ids change each day it is rebuilt without --as-of, and feed readers see a new publication every time\n  help: set `publication_date = {as_of}` in sovmap.toml (and change it when you publish a new version)"
        ));
    }
    if cfg.base_url.as_deref().is_none_or(|b| b.trim().is_empty()) {
        out.push(
            "note: sovmap.toml has no `base_url`: sitemap.xml was not written (a sitemap needs absolute URLs)\n  help: set `base_url = \"https://…/\"`, the address the site is published at".to_string(),
        );
    }
    out
}

/// A previous publication of another provider, or dated after this one, is
/// probably the wrong file: say so (the build goes on; `diff` allows both).
fn warn_about_previous(
    checked: &crate::Checked,
    previous: &crate::publication::Publication,
    path: Option<&std::path::Path>,
) {
    let path = path
        .map(|p| crate::visible::visible(&p.display().to_string()).into_owned())
        .unwrap_or_default();
    let cfg = &checked.project.config;
    if previous.provider.host != cfg.host {
        let line = format!(
            "warning: {path}: published by {} (host `{}`), not by this project's host `{}`; changes.html compares two different providers",
            previous.provider.name, previous.provider.host, cfg.host
        );
        eprintln!("{}", crate::visible::visible(&line));
    }
    let current = cfg.publication_date.unwrap_or(checked.analysis.as_of);
    let id = crate::publication::history::entry_id_for(
        cfg.base_url.as_deref(),
        &cfg.host,
        cfg.version.as_deref(),
        current,
    );
    if previous.history.first().is_some_and(|e| e.id == id) {
        eprintln!(
            "note: {path} is this same publication (version {}, {current}) built before; a rebuild without changes keeps its change list, but if the declarations changed, changes.html compares with that build. Give a new `version` or `publication_date` for a new publication, and keep the last published transfers.json apart from the output folder",
            crate::visible::visible(cfg.version.as_deref().unwrap_or("—"))
        );
    }
    if previous.date() > current {
        eprintln!(
            "warning: {path}: the previous publication is dated {}, after this one ({current}); check `publication_date` in sovmap.toml",
            previous.date()
        );
    }
}
