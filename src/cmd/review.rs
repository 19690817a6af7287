//! `sovmap review FILE… --policy POLICY.toml`: a customer's review of one or
//! more providers' published `transfers.json` against its own policy.
//!
//! Exit 0 when every rule is met (or `--deny never`), 1 when a rule is not
//! met, 2 for bad input (an unreadable, truncated, foreign or too new
//! publication, a bad policy file, an unwritable `--html` path); on exit 2
//! nothing is written.

use std::io::Write;
use std::path::Path;

use crate::cli::{EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global, ReviewArgs, ReviewDeny};
use crate::publication;
use crate::reference::Reference;
use crate::review;

pub fn run(global: &Global, args: &ReviewArgs) -> i32 {
    let reference = Reference::embedded();
    // Every problem at once: the policy and each publication.
    let mut bad = false;
    let policy = match review::policy::read(&args.policy, reference) {
        Ok(p) => Some(p),
        Err(diags) => {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(diags.render(global.use_color()).as_bytes());
            let _ = writeln!(
                stderr,
                "error: the policy file {} is invalid ({} problem{})",
                args.policy.display(),
                diags.error_count(),
                if diags.error_count() == 1 { "" } else { "s" }
            );
            bad = true;
            None
        }
    };
    let mut pubs = Vec::new();
    for f in &args.files {
        // A provider that does not publish with sovmap: its list (CSV, or a
        // chapter-8 table) or a folder `sovmap import` wrote.
        if let Some(result) = unpublished(f, global) {
            match result {
                Ok(p) => pubs.push((f.display().to_string(), p)),
                Err(e) => {
                    eprintln!("error: {}", crate::visible::visible(&e));
                    bad = true;
                }
            }
            continue;
        }
        match publication::read(f) {
            Ok(p) => pubs.push((f.display().to_string(), p)),
            Err(e) => {
                eprintln!(
                    "error[{}]: {}",
                    e.code(),
                    crate::visible::visible(&e.to_string())
                );
                bad = true;
            }
        }
    }
    let Some(policy) = policy.filter(|_| !bad) else {
        eprintln!("error: nothing was reviewed and nothing was written");
        return EXIT_INVALID;
    };
    let fr = global.lang == crate::cli::Lang::Fr;
    let report = review::review(&policy, &pubs, reference, fr);
    if let Some(path) = &args.html {
        let written = review::html::render(&report).and_then(|page| write_atomically(path, &page));
        if let Err(e) = written {
            eprintln!("error: {}: {e}", path.display());
            eprintln!("error: nothing was written");
            return EXIT_INVALID;
        }
    }
    let out = match args.format {
        Format::Json => super::json_text(&report),
        Format::Text => crate::visible::visible(&review::text(&report)).into_owned(),
    };
    if !(global.quiet && args.format == Format::Text && report.met) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.as_bytes());
        let _ = stdout.flush();
    }
    if report.met || args.deny == ReviewDeny::Never {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// A provider's map that is not a `transfers.json`: a project folder (such
/// as one `sovmap import` wrote), a CSV subprocessor list, or a chapter-8
/// table (`.html`, `.htm`, `.md`), analysed here as `check` would and read
/// as the publication it would give. `None` for anything else.
fn unpublished(f: &Path, global: &Global) -> Option<Result<publication::Publication, String>> {
    let ext = f
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "csv" => Some(crate::import::Format::Csv),
        "html" | "htm" | "md" | "markdown" => Some(crate::import::Format::Chapter8),
        _ => None,
    };
    if !f.is_dir() && format.is_none() {
        return None;
    }
    Some((|| {
        let temp;
        let root: &Path = match format {
            Some(fmt) if !f.is_dir() => {
                temp = super::import::to_temp_project(f, fmt)?;
                temp.path()
            }
            _ => f,
        };
        let (checked, _) = crate::check_project(root, global.as_of).map_err(|d| {
            format!(
                "{}: the declarations are invalid:\n{}",
                f.display(),
                d.render(false)
            )
        })?;
        publication::write::as_published(&checked).map_err(|e| format!("{}: {e}", f.display()))
    })())
}

/// Write through a temporary file in the same folder, then rename: a reader
/// never sees half a report.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "the folder {} does not exist; create it or choose another path",
            dir.display()
        ));
    }
    if path.is_dir() {
        return Err("is a folder; give a file name such as review.html".into());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "review.html".into());
    let tmp = dir.join(format!(".{name}.sovmap-tmp"));
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write the report: {e}")
        })
}
