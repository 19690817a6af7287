//! `sovmap schema`: write the JSON Schemas of the project's files (see
//! [`crate::schema`]) for editors.

use std::fs;

use crate::cli::{EXIT_INVALID, EXIT_OK, Global, SchemaArgs};
use crate::schema;

pub fn run(global: &Global, args: &SchemaArgs) -> i32 {
    if let Some(kind) = args.kind {
        print!("{}", schema::schema_json(kind.0));
        return EXIT_OK;
    }
    let Some(dir) = &args.output else {
        eprintln!("error: give --output DIR (write every schema) or --kind KIND (print one)");
        return EXIT_INVALID;
    };
    let all = schema::all();
    let written = fs::create_dir_all(dir).and_then(|_| {
        for (name, text) in &all {
            fs::write(dir.join(name), text)?;
        }
        Ok(())
    });
    if let Err(e) = written {
        eprintln!(
            "error: cannot write the schemas into {}: {e}",
            dir.display()
        );
        return EXIT_INVALID;
    }
    if !global.quiet {
        println!(
            "sovmap schema — {} schemas written to {}",
            all.len(),
            dir.display()
        );
        println!(
            "Editors with Taplo / Even Better TOML use them through a first line such as `#:schema ./schemas/sovmap.schema.json`."
        );
    }
    EXIT_OK
}
