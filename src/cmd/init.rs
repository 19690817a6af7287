//! `sovmap init [DIR] [--force]`: write a small, working project that
//! `check` and `build` accept as is (exit 0), for the provider to edit.
//!
//! The scaffold is embedded in the binary (`src/init_template/`) and holds no
//! date of the day: two runs write byte-identical files. Its TOML files start
//! with a `#:schema` comment naming the JSON Schemas written into `schemas/`
//! (see [`crate::schema`]), so that editors with Taplo / Even Better TOML
//! complete and check them without any network access.

use std::fs;
use std::io;
use std::path::Path;

use crate::cli::{EXIT_INVALID, EXIT_OK, Global, InitArgs};

/// The scaffold: path relative to the project folder, and contents.
pub const TEMPLATE: &[(&str, &str)] = &[
    ("sovmap.toml", include_str!("../init_template/sovmap.toml")),
    (
        "content/entities/host.toml",
        include_str!("../init_template/content/entities/host.toml"),
    ),
    (
        "content/sites/datacentre.toml",
        include_str!("../init_template/content/sites/datacentre.toml"),
    ),
    (
        "content/services/hosting.toml",
        include_str!("../init_template/content/services/hosting.toml"),
    ),
    (
        "content/measures/encryption.md",
        include_str!("../init_template/content/measures/encryption.md"),
    ),
    (
        "content/pages/contact.md",
        include_str!("../init_template/content/pages/contact.md"),
    ),
];

pub fn run(global: &Global, args: &InitArgs) -> i32 {
    let dir = args.dir.as_deref().unwrap_or(&global.root);
    match is_empty_or_missing(dir) {
        Ok(true) => {}
        Ok(false) if args.force => {}
        Ok(false) => {
            eprintln!(
                "error: {} is not empty; choose an empty or new folder, or pass --force to write the scaffold into it (files of the same name are overwritten)",
                dir.display()
            );
            return EXIT_INVALID;
        }
        Err(e) => {
            eprintln!(
                "error: cannot use {} as a project folder: {e}",
                dir.display()
            );
            return EXIT_INVALID;
        }
    }
    if let Err(e) = write_template(dir) {
        eprintln!(
            "error: cannot write the project into {}: {e}",
            dir.display()
        );
        return EXIT_INVALID;
    }
    if !global.quiet {
        println!(
            "sovmap init — created a project in {} ({} files, and the JSON Schemas for editors in {}).",
            dir.display(),
            TEMPLATE.len(),
            SCHEMA_DIR
        );
        println!(
            "Next: replace the example values (the HDS certificate first), then run `sovmap check` and `sovmap build` there."
        );
        println!(
            "While editing, `sovmap serve` there previews the site (http://127.0.0.1:1111/ or the next free port) and reloads it on every save."
        );
    }
    EXIT_OK
}

/// `Ok(true)` when `dir` does not exist or holds nothing; an error when it is
/// not a folder or cannot be read.
fn is_empty_or_missing(dir: &Path) -> io::Result<bool> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
        Ok(m) if !m.is_dir() => Err(io::Error::other("it exists and is not a folder")),
        Ok(_) => Ok(fs::read_dir(dir)?.next().is_none()),
    }
}

/// Folder of the project where `init` writes the JSON Schemas (outside
/// content/, which holds only declarations).
pub const SCHEMA_DIR: &str = "schemas/";

fn write_template(dir: &Path) -> io::Result<()> {
    for (rel, text) in TEMPLATE {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
    }
    let schemas = dir.join(SCHEMA_DIR);
    fs::create_dir_all(&schemas)?;
    for (name, text) in crate::schema::all() {
        fs::write(schemas.join(name), text)?;
    }
    Ok(())
}
