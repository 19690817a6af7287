//! Load and validate a project folder into a [`Project`].
//!
//! Reads `sovmap.toml` and every file under `content/`, reports *all* problems
//! at once as [`Diagnostics`], and only returns a project when there are none.
//! Declaration files are TOML holding arrays of tables named after what they
//! declare (`[[entity]]`, `[[site]]`, `[[service]]`, `[[flow]]`, `[[access]]`);
//! by convention one folder per kind, but any `.toml` file under `content/`
//! may hold any kind. Measures and pages are Markdown with `+++` TOML front
//! matter.

mod chain;
mod decl;
pub mod reader;
mod refs;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceFile, display_path};
use crate::model::Project;
use crate::reference::Reference;

pub use decl::{DECLARATION_KINDS, keys};

/// The outcome of loading: the project if valid, and every file read (kept
/// for quoting in later findings) plus diagnostics (notes even on success).
pub struct Loaded {
    pub project: Option<Project>,
    pub diagnostics: Diagnostics,
    /// Files outside `content/` that the declarations name and the build
    /// reads: `previous` of sovmap.toml and the entities' `publication`s,
    /// resolved against the root, sorted, whether or not they exist or the
    /// project loaded. `serve` watches them (a provider's new
    /// `transfers.json` copied in must rebuild the site).
    pub external: Vec<PathBuf>,
}

/// Name of the configuration file at the project root.
pub const CONFIG_FILE: &str = "sovmap.toml";

/// Load the project at `root`, validating it against the reference data
/// (country codes, adequacy scope conditions).
pub fn load(root: &Path, reference: &Reference) -> Loaded {
    let mut diags = Diagnostics::default();
    let mut state = decl::State::default();

    let config_path = root.join(CONFIG_FILE);
    match read_file(root, &config_path, &mut diags) {
        Some(f) => decl::read_config(&mut state, &mut diags, f, reference),
        None => {
            if !config_path.exists() {
                diags.push(
                    Diagnostic::error(
                        "no-project",
                        Loc::default(),
                        format!("no {CONFIG_FILE} in {}", root.display()),
                    )
                    .with_help(
                        "run sovmap in a project folder (one holding sovmap.toml and content/) or pass --root DIR",
                    ),
                );
            }
        }
    }

    let content = root.join("content");
    if content.is_dir() {
        let mut files = Vec::new();
        walk(&content, &mut files, &mut diags, root);
        files.sort();
        // Read every file (in order: file numbers and diagnostics as before),
        // parse the declaration files in parallel (rayon), then read the
        // declarations in file order (duplicates are reported against the
        // first file in that order).
        enum Kind {
            Declarations,
            Measure,
            Page,
        }
        let mut read: Vec<(Kind, usize)> = Vec::new();
        for path in files {
            let rel = display_path(root, &path);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let in_md_folder =
                rel.starts_with("content/measures/") || rel.starts_with("content/pages/");
            match (ext, in_md_folder) {
                ("toml", false) => {
                    if let Some(f) = read_file(root, &path, &mut diags) {
                        read.push((Kind::Declarations, f));
                    }
                }
                ("md", true) => {
                    if let Some(f) = read_file(root, &path, &mut diags) {
                        if rel.starts_with("content/measures/") {
                            read.push((Kind::Measure, f));
                        } else {
                            read.push((Kind::Page, f));
                        }
                    }
                }
                _ => {
                    let file = diags.add_file(SourceFile::new(rel.clone(), &path, String::new()));
                    let help = if in_md_folder {
                        "measures and pages are Markdown files ending in .md; rename or move this file"
                    } else {
                        "declarations are TOML files ending in .toml; Markdown goes in content/measures/ or content/pages/; rename or move this file"
                    };
                    diags.push(
                        Diagnostic::error(
                            "unexpected-file",
                            Loc::new(file, 0..0),
                            format!("{rel}: not a file sovmap reads"),
                        )
                        .with_help(help),
                    );
                }
            }
        }
        // In batches: a parsed document is much larger than its text, so
        // all of them at once would cost memory for no more speed. The next
        // batch is parsed while this one is read (pipelined: reading is
        // sequential, in file order).
        let batches: Vec<&[(Kind, usize)]> = read.chunks(64).collect();
        let texts: Vec<Vec<(usize, std::sync::Arc<String>)>> = batches
            .iter()
            .map(|batch| {
                batch
                    .iter()
                    .filter(|(k, _)| matches!(k, Kind::Declarations))
                    .map(|(_, f)| (*f, diags.files[*f].text.clone()))
                    .collect()
            })
            .collect();
        fn parse(
            texts: &[(usize, std::sync::Arc<String>)],
        ) -> std::collections::BTreeMap<usize, decl::Parsed<'_>> {
            texts
                .par_iter()
                .map(|(f, text)| (*f, decl::parse_declarations(text)))
                .collect::<Vec<_>>()
                .into_iter()
                .collect()
        }
        let mut next = texts.first().map(|t| parse(t));
        for (i, batch) in batches.iter().enumerate() {
            let mut parsed = next.take().unwrap_or_default();
            let (following, ()) = rayon::join(
                || texts.get(i + 1).map(|t| parse(t)),
                || {
                    for (kind, f) in batch.iter() {
                        match kind {
                            Kind::Declarations => {
                                if let Some(p) = parsed.remove(f) {
                                    decl::read_declarations(
                                        &mut state, &mut diags, *f, p, reference,
                                    );
                                }
                            }
                            Kind::Measure => decl::read_measure(&mut state, &mut diags, *f),
                            Kind::Page => decl::read_page(&mut state, &mut diags, *f),
                        }
                    }
                },
            );
            next = following;
        }
    } else {
        diags.push(
            Diagnostic::error(
                "no-content",
                Loc::default(),
                format!("no content/ folder in {}", root.display()),
            )
            .with_help("declarations go in content/entities/, content/sites/, content/services/ …"),
        );
    }

    let mut external: Vec<PathBuf> = state
        .publications
        .iter()
        .map(|r| root.join(&r.path.value))
        .chain(state.config.as_ref().and_then(|c| c.previous.clone()))
        .collect();
    external.sort();
    external.dedup();

    // Provider chains join before references are checked, so that services
    // may name the sites their provider publishes.
    let chains = chain::import(&mut state, &mut diags, root, reference);
    let project = refs::resolve(state, &mut diags, reference).map(|mut p| {
        p.chains = chains;
        p
    });
    let project = if diags.has_errors() { None } else { project };
    Loaded {
        project,
        diagnostics: diags,
        external,
    }
}

/// Collect files under `dir`, skipping hidden files and editor backups.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Diagnostics, root: &Path) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                "read-failed",
                Loc::default(),
                format!("cannot read folder {}: {e}", display_path(root, dir)),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
            continue;
        }
        let path = entry.path();
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        if is_link && path.is_dir() {
            diags.push(
                Diagnostic::note(
                    "symlink-skipped",
                    Loc::default(),
                    format!(
                        "{}: symbolic link to a folder, not followed",
                        display_path(root, &path)
                    ),
                )
                .with_help(
                    "copy the folder into content/ if its declarations belong to this project",
                ),
            );
            continue;
        }
        if path.is_dir() {
            walk(&path, out, diags, root);
        } else {
            out.push(path);
        }
    }
}

fn read_file(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<usize> {
    let name = display_path(root, path);
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.drain(..3);
                }
                Some(diags.add_file(SourceFile::new(name, path, text)))
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = diags.add_file(SourceFile::new(name.clone(), path, text));
                diags.push(
                    Diagnostic::error(
                        "not-utf8",
                        Loc::new(file, offset..offset + 1),
                        format!("{name}: not UTF-8 text (invalid byte at offset {offset})"),
                    )
                    .with_help("save the file as UTF-8"),
                );
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            diags.push(Diagnostic::error(
                "read-failed",
                Loc::default(),
                format!("cannot read {name}: {e}"),
            ));
            None
        }
    }
}
