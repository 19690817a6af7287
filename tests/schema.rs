//! The JSON Schemas (`sovmap schema`, and those `sovmap init` writes) against
//! real files: every file of the example project, of the `init` scaffold and
//! of a fixture using every key validates; typical mistakes do not; and what
//! the schema accepts, the loader accepts too (no unknown key).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{check, repo_root, sovmap};
use serde_json::Value;
use sovmap::schema::{Kind, schema};

/// TOML as editors see it for validation: dates become `YYYY-MM-DD` strings.
fn to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

/// The TOML of a file: the whole file, or the `+++` front matter of Markdown.
fn toml_of(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("read file");
    if path.extension().is_some_and(|e| e == "md") {
        let rest = text.strip_prefix("+++\n").expect("front matter");
        let end = rest.find("\n+++").expect("end of front matter");
        rest[..end + 1].to_string()
    } else {
        text
    }
}

fn parse(text: &str) -> Value {
    to_json(toml::from_str::<toml::Value>(text).expect("valid TOML"))
}

/// Problems found by validating `instance` against the schema of `kind`.
fn problems(kind: Kind, instance: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema(kind))
        .expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Project files with a schema: sovmap.toml and everything under content/.
fn project_files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = vec![("sovmap.toml".to_string(), root.join("sovmap.toml"))];
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).expect("read folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .expect("inside root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, p));
            }
        }
    }
    out.sort();
    out
}

/// Validate every file of a project; TOML declaration files are also checked
/// against the "any kind" declarations schema.
fn assert_project_validates(root: &Path) -> usize {
    let mut n = 0;
    for (rel, path) in project_files(root) {
        let Some(kind) = Kind::for_path(&rel) else {
            // A measure's English text has no front matter to check.
            let english_text = rel.starts_with("content/measures/") && rel.ends_with(".en.md");
            assert!(english_text, "{rel}: no schema kind");
            continue;
        };
        let value = parse(&toml_of(&path));
        let p = problems(kind, &value);
        assert!(p.is_empty(), "{rel} against {kind:?}: {p:#?}");
        if rel.ends_with(".toml") && rel.starts_with("content/") {
            let p = problems(Kind::Declarations, &value);
            assert!(p.is_empty(), "{rel} against Declarations: {p:#?}");
        }
        n += 1;
    }
    n
}

#[test]
fn the_example_project_validates() {
    let n = assert_project_validates(&repo_root());
    assert!(n >= 10, "only {n} files checked");
}

#[test]
fn a_file_using_every_key_validates_and_loads() {
    let root = repo_root().join("tests/fixtures/schema/complete");
    assert_project_validates(&root);
    // The loader accepts the same files (findings are fine: exit 0 or 1, not 2).
    let r = check(&root, &["--deny", "never"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    // And the fixture really uses every key of every table.
    let text: String = project_files(&root)
        .iter()
        .filter(|(rel, _)| Kind::for_path(rel).is_some())
        .map(|(_, p)| toml_of(p))
        .collect::<Vec<_>>()
        .join("\n");
    for keys in [
        sovmap::load::keys::CONFIG,
        sovmap::load::keys::POLICY,
        sovmap::load::keys::REFERENCE,
        sovmap::load::keys::ENTITY,
        sovmap::load::keys::HDS,
        sovmap::load::keys::SECNUMCLOUD,
        sovmap::load::keys::SITE,
        sovmap::load::keys::SERVICE,
        sovmap::load::keys::ACTOR,
        sovmap::load::keys::FLOW,
        sovmap::load::keys::ACCESS,
        sovmap::load::keys::MEASURE,
        sovmap::load::keys::PAGE,
    ] {
        for k in keys {
            let used = text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with(&format!("{k} ="))
                    || l.starts_with(&format!("[{k}]"))
                    || l.contains(&format!("[{k}."))
                    || l.contains(&format!(".{k}]"))
            });
            assert!(used, "the complete fixture does not use `{k}`");
        }
    }
}

#[test]
fn the_init_scaffold_validates_and_points_at_its_schemas() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("p");
    let out = sovmap().arg("init").arg(&root).output().expect("run init");
    assert!(out.status.success(), "{out:?}");
    assert_project_validates(&root);
    let mut commented = 0;
    for (rel, path) in project_files(&root) {
        if !rel.ends_with(".toml") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("read");
        let first = text.lines().next().unwrap_or("");
        let target = first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{rel}: first line is not a #:schema comment: {first}"));
        let schema_path = path.parent().expect("parent").join(target);
        let written = fs::read_to_string(&schema_path)
            .unwrap_or_else(|e| panic!("{rel}: {} unreadable: {e}", schema_path.display()));
        let kind = Kind::for_path(&rel).expect("kind");
        assert_eq!(written, sovmap::schema::schema_json(kind), "{rel}");
        commented += 1;
    }
    assert_eq!(commented, 4);
    // The loader reads files that start with the comment.
    let r = check(&root, &[]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
}

#[test]
fn schema_command_writes_every_schema_and_prints_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("schemas");
    let out = sovmap()
        .args(["schema", "--output"])
        .arg(&dir)
        .output()
        .expect("run schema");
    assert!(out.status.success(), "{out:?}");
    for kind in Kind::ALL {
        let text = fs::read_to_string(dir.join(kind.file_name())).expect("schema file");
        let v: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    }
    let one = sovmap()
        .args(["schema", "--kind", "site"])
        .output()
        .expect("run schema --kind");
    assert!(one.status.success());
    assert_eq!(
        String::from_utf8_lossy(&one.stdout),
        sovmap::schema::schema_json(Kind::Site)
    );
    let none = sovmap().arg("schema").output().expect("run schema");
    assert_eq!(none.status.code(), Some(2));
}

/// Typical mistakes: each is rejected by the schema (and by the loader,
/// which the invalid-input tests cover with located messages).
#[test]
fn typical_mistakes_fail_validation() {
    let entity = "[[entity]]\nid = \"a\"\nlegal_name = \"A\"\ncountry = \"FR\"\n";
    let site = "[[site]]\nid = \"s\"\nname = \"S\"\noperator = \"a\"\ncountry = \"FR\"\nrole = \"primary\"\n";
    let service = "[[service]]\nid = \"v\"\nname = \"V\"\nsites = [\"s\"]\n[[service.actor]]\nentity = \"a\"\nactivities = [1]\n";
    let flow =
        "[[flow]]\nid = \"f\"\nfrom = \"s\"\nto = \"a\"\nkind = \"backup\"\ndata = [\"health\"]\n";
    let access = "[[access]]\nid = \"x\"\nteam = \"a\"\ncountry = \"MA\"\ntargets = [\"v\"]\npurpose = \"support\"\n";
    let measure =
        "id = \"m\"\ntitle = \"M\"\nkind = \"technical\"\nmitigates = [\"law:US-CLOUD\"]\n";
    let config = "name = \"N\"\nhost = \"a\"\n";
    // The correct versions pass.
    for (kind, text) in [
        (Kind::Entity, entity),
        (Kind::Site, site),
        (Kind::Service, service),
        (Kind::Flow, flow),
        (Kind::Access, access),
        (Kind::Measure, measure),
        (Kind::Config, config),
    ] {
        assert!(problems(kind, &parse(text)).is_empty(), "{kind:?}: {text}");
    }
    let bad: Vec<(Kind, String)> = vec![
        (Kind::Entity, entity.replace("legal_name", "legalname")),
        (Kind::Entity, entity.replace("legal_name = \"A\"\n", "")),
        (Kind::Entity, entity.replace("\"FR\"", "\"France\"")),
        (
            Kind::Entity,
            entity.replace("id = \"a\"", "id = \"Bad Id\""),
        ),
        (Kind::Entity, format!("{entity}control_share = 140\n")),
        (
            Kind::Entity,
            format!(
                "{entity}[entity.hds]\nactivities = [7]\nissued = 2025-01-01\nexpires = 2026-01-01\ncertifier = \"C\"\n"
            ),
        ),
        (
            Kind::Entity,
            format!(
                "{entity}[entity.hds]\nactivities = [1]\nissued = \"01/02/2025\"\nexpires = 2026-01-01\ncertifier = \"C\"\n"
            ),
        ),
        (Kind::Entity, site.to_string()),
        (Kind::Site, site.replace("primary", "main")),
        (
            Kind::Site,
            format!("{site}ip_ranges = [\"10.0.0.0/abc\"]\n"),
        ),
        (Kind::Site, format!("{site}coordinates = [95.0, 2.0]\n")),
        (Kind::Service, service.replace("sites = [\"s\"]\n", "")),
        (
            Kind::Service,
            service.replace("activities = [1]", "activities = [\"1\"]"),
        ),
        (Kind::Flow, flow.replace("backup", "copy")),
        (Kind::Flow, flow.replace("[\"health\"]", "[\"medical\"]")),
        (Kind::Flow, format!("{flow}basis = \"contract\"\n")),
        (Kind::Access, access.replace("targets = [\"v\"]\n", "")),
        (
            Kind::Access,
            access.replace("targets = [\"v\"]", "targets = []"),
        ),
        (Kind::Measure, measure.replace("technical", "tech")),
        (Kind::Measure, measure.replace("law:US-CLOUD", "country:US")),
        (Kind::Measure, format!("{measure}author = \"me\"\n")),
        (Kind::Page, "title = \"T\"\nid = \"x\"\n".to_string()),
        (Kind::Config, config.replace("name = \"N\"\n", "")),
        (Kind::Config, format!("{config}languages = [\"de\"]\n")),
        (
            Kind::Config,
            format!("{config}base_url = \"example.org\"\n"),
        ),
        (Kind::Config, format!("{config}notice_days = -1\n")),
        (Kind::Config, format!("{config}[policy]\nstrict = true\n")),
        (
            Kind::Declarations,
            format!("{entity}[[entities]]\nid = \"b\"\n"),
        ),
    ];
    for (kind, text) in bad {
        assert!(
            !problems(kind, &parse(&text)).is_empty(),
            "{kind:?} accepted a mistake:\n{text}"
        );
    }
}

/// The schema of `site.country`, compiled once.
fn site_country_validator() -> jsonschema::Validator {
    let s = schema(Kind::Site);
    let def = s["definitions"]["Site"]["properties"]["country"].clone();
    jsonschema::options()
        .build(&def)
        .expect("the schema compiles")
}

/// A country the schema accepts is exactly one the loader accepts: every
/// two-letter combination in upper, lower and mixed case, padded, the EU
/// aliases and region values, and near misses (alpha-3, numeric, names).
#[test]
fn country_codes_are_accepted_exactly_as_check_accepts_them() {
    let v = site_country_validator();
    let r = sovmap::reference::Reference::embedded();
    let mut inputs: Vec<String> = Vec::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let code = format!("{}{}", a as char, b as char);
            inputs.push(code.to_lowercase());
            inputs.push(format!("{}{}", a as char, (b as char).to_ascii_lowercase()));
            inputs.push(format!(" {code} "));
            inputs.push(code);
        }
    }
    for s in [
        "uk",
        "UK",
        "el",
        "eu",
        "EEA",
        "eea",
        "non-EU",
        "Non-eu",
        "outside-EU",
        "non-EEA",
        "unknown",
        "UNKNOWN",
        "FRA",
        "250",
        "France",
        "",
        " ",
        "F",
        "F-R",
        "fr fr",
        "GB\nx",
    ] {
        inputs.push(s.to_string());
    }
    let mut accepted = 0;
    for s in &inputs {
        let loader = matches!(
            r.lookup_place(s),
            sovmap::reference::CountryLookup::Found { .. }
        );
        assert_eq!(
            v.is_valid(&Value::String(s.clone())),
            loader,
            "{s:?}: loader {loader}"
        );
        accepted += usize::from(loader);
    }
    assert!(accepted > 4 * 240, "{accepted}");
    // And the loader really reads them: a site in `uk`, another in `fr`.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let init = sovmap().arg("init").arg(&root).output().unwrap();
    assert_eq!(init.status.code(), Some(0));
    let sites = root.join("content/sites");
    let file = fs::read_dir(&sites)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let text = fs::read_to_string(&file).unwrap();
    let lower = text.replacen("country = \"FR\"", "country = \"fr\"", 1);
    assert_ne!(lower, text, "the scaffold's site is in FR");
    fs::write(&file, &lower).unwrap();
    let p = problems(Kind::Site, &parse(&lower));
    assert!(p.is_empty(), "{p:#?}");
    let r = check(&root, &["--deny", "never"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
}

/// A mistake inside one `[[site]]` table is reported at that key, not as
/// "not valid under any of the schemas listed in anyOf".
#[test]
fn editor_messages_name_the_wrong_key() {
    let text = r#"
[[site]]
id = "par1"
name = "Paris"
operator = "host"
country = "FR"
role = "primary"
colour = "blue"

[[site]]
id = "ber1"
name = "Berlin"
operator = "host"
country = "Germany"
role = "primary"
"#;
    for kind in [Kind::Site, Kind::Declarations] {
        let p = problems(kind, &parse(text));
        assert!(!p.is_empty());
        for m in &p {
            assert!(!m.contains("anyOf"), "{kind:?}: {p:#?}");
        }
        assert!(
            p.iter()
                .any(|m| m.contains("colour") && m.contains("/site/0")),
            "{kind:?}: {p:#?}"
        );
        assert!(
            p.iter()
                .any(|m| m.contains("Germany") && m.contains("/site/1/country")),
            "{kind:?}: {p:#?}"
        );
    }
    // One table instead of a list, and `"unknown"` where a value may be unknown.
    let one = "[site]\nid = \"x\"\nname = \"X\"\noperator = \"h\"\ncountry = \"us\"\nrole = \"primary\"\n";
    assert!(problems(Kind::Site, &parse(one)).is_empty());
    let bad_basis = "[[flow]]\nid = \"f\"\nfrom = \"a\"\nto = \"b\"\nkind = \"backup\"\ndata = [\"health\"]\nbasis = \"SCC-2\"\n";
    assert!(
        problems(Kind::Flow, &parse(bad_basis)).is_empty(),
        "{:?}",
        problems(Kind::Flow, &parse(bad_basis))
    );
    let wrong = bad_basis.replace("SCC-2", "scc-9");
    let p = problems(Kind::Flow, &parse(&wrong));
    assert!(
        p.iter()
            .any(|m| m.contains("scc-9") && m.contains("/flow/0/basis")),
        "{p:#?}"
    );
}
