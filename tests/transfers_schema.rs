//! `transfers.json` against its JSON Schema, with the jsonschema crate (as
//! a customer's tooling would check it): the example site as `sovmap build`
//! publishes it (the file and the schema beside it), and the export of every
//! fixture project that checks. The schema is derived from the format's
//! types (`publication::read`), so it cannot drift from what the writer
//! writes; the check closes every object (`additionalProperties: false`,
//! `strict_schema_value`) so that a key written but not documented fails.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{fixtures, repo_root, sovmap};
use serde_json::Value;
use sovmap::publication::write::{strict_schema_value, transfers_json};

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

fn problems(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Close every object of a published schema, as `strict_schema_value` does.
fn closed(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        if m.contains_key("properties") {
            m.insert("additionalProperties".into(), Value::Bool(false));
        }
        for x in m.values_mut() {
            *x = closed(std::mem::take(x));
        }
    } else if let Value::Array(xs) = &mut v {
        for x in xs.iter_mut() {
            *x = closed(std::mem::take(x));
        }
    }
    v
}

#[test]
fn the_example_site_publishes_a_file_its_schema_validates() {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let o = sovmap()
        .args([
            "--root",
            repo_root().to_str().expect("utf-8"),
            "-q",
            "build",
            "--output",
        ])
        .arg(&site)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |name: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(site.join(name)).expect(name)).expect(name)
    };
    let doc = read("transfers.json");
    let schema = read("transfers.schema.json");
    assert_eq!(doc["$schema"], "transfers.schema.json");
    assert_eq!(doc["format_version"], 2);
    let strict = validator(&closed(schema.clone()));
    let errs = problems(&strict, &doc);
    assert!(errs.is_empty(), "{errs:#?}");
    // The schema published is the one the library derives.
    assert_eq!(closed(schema), strict_schema_value());

    // A key written without being documented fails, at any depth.
    for pointer in [
        "",
        "/entities/0",
        "/transfers/0/adequacy",
        "/exi31/actors/0",
    ] {
        let mut extra = doc.clone();
        extra
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{pointer}"))
            .insert("undocumented".into(), Value::Bool(true));
        let errs = problems(&strict, &extra);
        assert!(
            errs.iter().any(|e| e.contains("undocumented")),
            "{pointer}: {errs:#?}"
        );
    }
}

/// Fixture projects (folders with a `sovmap.toml`) under these folders of
/// `tests/fixtures/`.
fn fixture_projects() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for group in [
        "sites", "legal", "chains", "real", "schema", "review", "history",
    ] {
        let Ok(dirs) = fs::read_dir(fixtures().join(group)) else {
            continue;
        };
        for d in dirs.flatten() {
            if d.path().join("sovmap.toml").is_file() {
                out.push(d.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_fixture_project_exports_a_file_the_schema_validates() {
    let strict = validator(&strict_schema_value());
    let mut validated = Vec::new();
    let mut keys_seen = std::collections::BTreeSet::new();
    for root in fixture_projects() {
        // Fixtures that do not check (on purpose) have no export.
        let Ok((checked, _)) = sovmap::check_project(&root, None) else {
            continue;
        };
        let doc: Value = serde_json::from_str(&transfers_json(&checked)).expect("JSON");
        let errs = problems(&strict, &doc);
        assert!(errs.is_empty(), "{}: {errs:#?}", root.display());
        collect_keys(&doc, &mut keys_seen);
        validated.push(name(&root));
    }
    assert!(validated.len() >= 15, "{validated:?}");
    // Keys written only in some cases are among those checked: a
    // subcontractor declaring SecNumCloud 3.1 (undocumented before the schema
    // was derived), provider chains, a derogation's ground.
    for key in ["secnumcloud_declared", "chains", "chain", "ultimate_parent"] {
        assert!(
            keys_seen.contains(key),
            "{key} never written: {validated:?}"
        );
    }
}

fn name(root: &Path) -> String {
    root.strip_prefix(fixtures())
        .unwrap_or(root)
        .display()
        .to_string()
}

fn collect_keys(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if !x.is_null() {
                    out.insert(k.clone());
                }
                collect_keys(x, out);
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| collect_keys(x, out)),
        _ => {}
    }
}
