//! `sovmap import FILE --format csv|chapter8 [--into DIR] [--force]`: a
//! published subprocessor list or chapter-8 table turned into a project
//! (`sovmap.toml` and `content/imported/<name>.toml`).
//!
//! Exit 0 when written, 2 for an unreadable file, a row that cannot be read
//! (every one is reported with its line; nothing is written), or files that
//! exist already (without `--force`).

use std::path::{Path, PathBuf};

use crate::cli::{EXIT_INVALID, EXIT_OK, Global, ImportArgs, ImportFormat};
use crate::import::{self, Format};
use crate::reference::Reference;

/// The folder an import writes into: `--into`, else a folder named after
/// the file, in the current folder.
pub fn target(args: &ImportArgs) -> PathBuf {
    args.into.clone().unwrap_or_else(|| {
        PathBuf::from(
            args.file
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "imported".into()),
        )
    })
}

/// The list at `file` as a project in a new temporary folder (for `review`).
pub fn to_temp_project(file: &Path, format: Format) -> Result<tempfile::TempDir, String> {
    let (text, name) = read(file)?;
    let reference = Reference::embedded();
    let imported = import::import(&text, format, &name, reference)?;
    if !imported.problems.is_empty() {
        return Err(imported
            .problems
            .iter()
            .map(|p| format!("{}:{}: {}", file.display(), p.line, p.message))
            .collect::<Vec<_>>()
            .join("\n"));
    }
    let dir = tempfile::tempdir().map_err(|e| format!("temporary folder: {e}"))?;
    write(dir.path(), &name, &imported, true)?;
    Ok(dir)
}

fn read(file: &Path) -> Result<(String, String), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 (byte {}): save the list as UTF-8 (with or without BOM)",
            file.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "imported".into());
    Ok((text, name))
}

fn files(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let stem = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>();
    (
        dir.join("sovmap.toml"),
        dir.join("content")
            .join("imported")
            .join(format!("{stem}.toml")),
    )
}

fn write(
    dir: &Path,
    name: &str,
    imported: &import::Imported,
    force: bool,
) -> Result<(PathBuf, PathBuf), String> {
    let (config, decl) = files(dir, name);
    if !force {
        let existing: Vec<String> = [&config, &decl]
            .iter()
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "{} already exist{}: nothing was written; use --force to replace, or --into another folder",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            ));
        }
    }
    let parent = decl.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    for (path, text) in [(&config, &imported.config), (&decl, &imported.declarations)] {
        let tmp = path.with_extension("toml.sovmap-tmp");
        std::fs::write(&tmp, text)
            .and_then(|_| std::fs::rename(&tmp, path))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok((config, decl))
}

pub fn run(global: &Global, args: &ImportArgs) -> i32 {
    let format = match args.format {
        ImportFormat::Csv => Format::Csv,
        ImportFormat::Chapter8 => Format::Chapter8,
    };
    let (text, name) = match read(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}", crate::visible::visible(&e));
            return EXIT_INVALID;
        }
    };
    let reference = Reference::embedded();
    let imported = match import::import(&text, format, &name, reference) {
        Ok(i) => i,
        Err(e) => {
            eprintln!(
                "error: {}: {}",
                args.file.display(),
                crate::visible::visible(&e)
            );
            eprintln!("error: nothing was written");
            return EXIT_INVALID;
        }
    };
    if !imported.problems.is_empty() {
        for p in &imported.problems {
            eprintln!(
                "error: {}:{}: {}",
                args.file.display(),
                p.line,
                crate::visible::visible(&p.message)
            );
        }
        eprintln!(
            "error: {} row{} could not be read; nothing was written (fix the rows, or remove them from a copy of the list)",
            imported.problems.len(),
            if imported.problems.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        return EXIT_INVALID;
    }
    let dir = target(args);
    match write(&dir, &name, &imported, args.force) {
        Ok((config, decl)) => {
            if !global.quiet {
                println!(
                    "sovmap import: {} row{} of {} written to {} and {}",
                    imported.rows,
                    if imported.rows == 1 { "" } else { "s" },
                    args.file.display(),
                    config.display(),
                    decl.display()
                );
                println!(
                    "every value the list does not give is \"unknown\" or \"unstated\", with a comment; next: sovmap check --root {}",
                    dir.display()
                );
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {}", crate::visible::visible(&e));
            EXIT_INVALID
        }
    }
}
