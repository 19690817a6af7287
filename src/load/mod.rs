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
mod clause;
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
            if fs::symlink_metadata(&config_path).is_err() {
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

    check_assets(
        root,
        state.config.as_ref().and_then(|c| c.theme.as_deref()),
        &mut diags,
    );

    let content = root.join("content");
    // content/ itself may not be a link out of the project either.
    let content_state = match crate::safefs::resolve_inside(root, &content) {
        Ok(real) => Ok(real.is_dir()),
        Err(crate::safefs::Refused::NotFound) => Ok(false),
        Err(why) => Err(why),
    };
    if let Err(why) = &content_state {
        refused(&mut diags, root, "content", why);
    }
    if content_state.as_ref().is_ok_and(|d| *d) {
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
            /// A measure's English body (`<id>.en.md`).
            MeasureEnglish,
            /// A free page, in French (`<id>.md`) or English (`<id>.en.md`).
            Page,
            Clause,
        }
        let mut read: Vec<(Kind, usize)> = Vec::new();
        for path in files {
            let rel = display_path(root, &path);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let in_md_folder = rel.starts_with("content/measures/")
                || rel.starts_with("content/pages/")
                || rel.starts_with("content/annex/");
            match (ext, in_md_folder) {
                ("toml", false) => {
                    if let Some(f) = read_file(root, &path, &mut diags) {
                        read.push((Kind::Declarations, f));
                    }
                }
                ("md", true) => {
                    if let Some(f) = read_file(root, &path, &mut diags) {
                        if rel.starts_with("content/measures/") && clause::is_english(&path) {
                            read.push((Kind::MeasureEnglish, f));
                        } else if rel.starts_with("content/measures/") {
                            read.push((Kind::Measure, f));
                        } else if rel.starts_with("content/annex/") {
                            read.push((Kind::Clause, f));
                        } else {
                            read.push((Kind::Page, f));
                        }
                    }
                }
                _ => {
                    let file = diags.add_file(SourceFile::new(rel.clone(), &path, String::new()));
                    let help = if in_md_folder {
                        "measures, pages and annex clauses are Markdown files ending in .md; rename or move this file"
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
                            Kind::Page => clause::read_page(&mut state, &mut diags, *f),
                            Kind::Clause => clause::read(&mut state, &mut diags, *f),
                            Kind::MeasureEnglish => {
                                clause::read_measure_body(&mut state, &mut diags, *f)
                            }
                        }
                    }
                },
            );
            next = following;
        }
    } else if content_state.is_ok() {
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

/// Collect files under `dir`, skipping hidden files and editor backups;
/// entries that are not read (special files, symbolic links leading out of
/// the project or nowhere, links to folders) are reported.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Diagnostics, root: &Path) {
    let hidden = |name: &str| name.starts_with('.') || name.ends_with('~') || name.starts_with('#');
    let (files, skipped) = crate::safefs::walk(root, dir, &hidden);
    out.extend(files);
    for s in skipped {
        let shown = display_path(root, &s.path);
        if s.link_to_folder {
            diags.push(
                Diagnostic::note(
                    "symlink-skipped",
                    Loc::default(),
                    format!("{shown}: symbolic link to a folder, not followed"),
                )
                .with_help(
                    "copy the folder into content/ if its declarations belong to this project",
                ),
            );
            continue;
        }
        refused(diags, root, &shown, &s.why);
    }
}

/// Templates and static files (the project's and its theme's) are read by
/// `build`: the same rules as content/ (no link out, no special file), told
/// here, with every other problem of the project.
fn check_assets(root: &Path, theme: Option<&str>, diags: &mut Diagnostics) {
    let mut dirs = vec![root.join("templates"), root.join("static")];
    if let Some(t) = theme.filter(|t| !t.contains(['/', '\\']) && !t.starts_with('.')) {
        dirs.push(root.join("themes").join(t).join("templates"));
        dirs.push(root.join("themes").join(t).join("static"));
    }
    for dir in dirs {
        match crate::safefs::resolve_inside(root, &dir) {
            Ok(real) if real.is_dir() => {
                let (_, skipped) = crate::safefs::walk(root, &dir, &|n| n.starts_with('.'));
                for s in skipped {
                    if !s.link_to_folder {
                        refused(diags, root, &display_path(root, &s.path), &s.why);
                    }
                }
            }
            Ok(_) | Err(crate::safefs::Refused::NotFound) => {}
            Err(why) => {
                // A theme folder (or themes/) that is a bad link is told at `theme`.
                let told = match (&why, theme) {
                    (
                        crate::safefs::Refused::LinkOutside { link }
                        | crate::safefs::Refused::DanglingLink { link },
                        Some(t),
                    ) => root.join("themes").join(t).starts_with(link),
                    _ => false,
                };
                if !told {
                    refused(diags, root, &display_path(root, &dir), &why);
                }
            }
        }
    }
}

/// Report a file sovmap would not read; returns nothing to read.
fn refused(diags: &mut Diagnostics, root: &Path, shown: &str, why: &crate::safefs::Refused) {
    use crate::safefs::Refused;
    let code = match why {
        Refused::NotFound => "not-found",
        Refused::DanglingLink { .. } => "dangling-symlink",
        Refused::LinkOutside { .. } => "symlink-outside",
        Refused::NotRegular { .. } => "special-file",
        Refused::Io(_) => "read-failed",
    };
    let (message, help) = why.message_and_help(shown, root);
    // Placed on the file itself (an empty one: nothing of it is quoted), so
    // that JSON names it and it sorts with the file's other problems.
    let file = diags.add_file(SourceFile::new(shown, root.join(shown), String::new()));
    diags.push(Diagnostic::error(code, Loc::new(file, 0..0), message).with_help(help));
}

fn read_file(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<usize> {
    let name = display_path(root, path);
    match crate::safefs::read_inside(root, path) {
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
        Err(crate::safefs::Refused::NotFound) => None,
        Err(why) => {
            refused(diags, root, &name, &why);
            None
        }
    }
}
