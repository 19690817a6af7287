//! Tests of `crate::format`: the example's publication written by
//! `publication::write` and read back, and hostile or older files read.

use crate::format::*;

use std::path::Path;

fn example_text() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (checked, _) =
        crate::check_project(root, None).unwrap_or_else(|_| panic!("the example project checks"));
    crate::publication::write::transfers_json(&checked)
}

fn p() -> &'static Path {
    Path::new("site/transfers.json")
}

#[test]
fn the_example_export_reads_back_with_its_key_facts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (c, _) = crate::check_project(root, None).unwrap_or_else(|_| panic!("checks"));
    let text = crate::publication::write::transfers_json(&c);
    let pubn = parse(p(), &text).unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(pubn.format_version, TRANSFERS_FORMAT_VERSION);
    assert_eq!(pubn.schema, TRANSFERS_SCHEMA_FILE);
    assert_eq!(pubn.as_of, c.analysis.as_of);
    assert_eq!(pubn.provider.name, c.project.config.name);
    assert_eq!(pubn.provider.host, c.project.config.host);
    assert_eq!(pubn.provider.version, c.project.config.version);
    assert_eq!(
        pubn.provider.publication_date,
        c.project.config.publication_date
    );
    assert_eq!(pubn.provider.notice_days, c.project.config.notice_days);

    let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        ids(pubn.entities.iter().map(|e| &e.id).collect()),
        ids(c.project.entities.keys().collect())
    );
    assert_eq!(
        ids(pubn.sites.iter().map(|e| &e.id).collect()),
        ids(c.project.sites.keys().collect())
    );
    assert_eq!(pubn.services.len(), c.project.services.len());
    assert_eq!(pubn.flows.len(), c.project.flows.len());
    assert_eq!(pubn.access_paths.len(), c.project.access_paths.len());
    assert_eq!(pubn.measures.len(), c.project.measures.len());
    assert_eq!(pubn.findings.len(), c.analysis.findings.len());
    for (t, o) in pubn.transfers.iter().zip(&c.analysis.transfers) {
        assert_eq!(t.id, o.id);
        assert_eq!(t.country, o.country);
        assert_eq!(t.recipient, o.recipient);
        assert_eq!(t.adequacy.covers(), o.adequacy.covers());
        assert_eq!(t.measures, o.measures);
    }
    assert_eq!(pubn.transfers.len(), c.analysis.transfers.len());
    for (x, o) in pubn.exposures.iter().zip(&c.analysis.exposures) {
        assert_eq!((&x.id, &x.country, &x.laws), (&o.id, &o.country, &o.laws));
    }
    assert_eq!(pubn.exposures.len(), c.analysis.exposures.len());
    // Every entity's certificate expiry and every site's country survive.
    for e in &pubn.entities {
        let o = &c.project.entities[&e.id];
        assert_eq!(e.country, o.country);
        assert_eq!(
            e.hds.as_ref().map(|h| h.expires),
            o.hds.as_ref().map(|h| h.expires)
        );
    }
    for s in &pubn.sites {
        assert_eq!(s.country, c.project.sites[&s.id].country);
        assert_ne!(s.role, SiteRole::Unknown);
    }
    // No closed vocabulary fell through to Unknown: the reader knows every value the writer uses.
    assert!(
        pubn.findings
            .iter()
            .all(|f| f.severity != Severity::Unknown)
    );
    assert!(
        pubn.transfers
            .iter()
            .all(|t| t.basis_status != BasisStatus::Unknown && t.kind != TransferKind::Unknown)
    );
    let summary = pubn.summary.as_ref().unwrap_or_else(|| panic!("summary"));
    assert_eq!(summary.transfers, pubn.transfers.len());
    // Re-serialising the typed view and reading it again is lossless.
    let again = serde_json::to_string(&pubn).unwrap_or_default();
    assert_eq!(parse(p(), &again).ok(), Some(pubn));
}

#[test]
fn a_truncated_file_is_reported_with_its_position() {
    let text = example_text();
    let cut = &text[..text.len() / 2];
    let e = parse(p(), cut).err().unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "truncated-json");
    let msg = e.to_string();
    assert!(msg.starts_with("site/transfers.json:"), "{msg}");
    assert!(msg.contains("truncated"), "{msg}");
    let ReadError::NotJson { line, .. } = e else {
        panic!("not json")
    };
    assert_eq!(line, cut.lines().count());
}

#[test]
fn broken_json_is_not_called_truncated() {
    let e = parse(p(), "{\n  \"a\": 1,,\n}").err();
    let e = e.unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "invalid-json");
    assert!(e.to_string().starts_with("site/transfers.json:2:"), "{e}");
}

#[test]
fn other_kinds_of_json_say_what_was_expected() {
    let cases = [
        ("[1, 2]", "an array, not an object"),
        (
            "{\"name\": \"x\"}",
            "neither \"$schema\" nor \"format_version\"",
        ),
        (
            "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\"}",
            "its \"$schema\" is \"https://json-schema.org/draft/2020-12/schema\"",
        ),
        (
            "{\"$schema\": \"transfers.schema.json\", \"format_version\": 1, \"provider\": {}}",
            "\"as_of\", \"entities\", \"sites\", \"transfers\", \"exposures\", \"findings\" are missing",
        ),
        (
            "{\"$schema\": \"transfers.schema.json\", \"format_version\": \"1\"}",
            "\"format_version\" is a string",
        ),
    ];
    for (text, expected) in cases {
        let e = parse(p(), text).err().unwrap_or_else(|| panic!("{text}"));
        assert_eq!(e.code(), "not-a-publication", "{text}");
        let msg = e.to_string();
        assert!(msg.contains(expected), "{msg}");
        assert!(msg.contains("expected the transfers.json"), "{msg}");
    }
    // The schema file published beside it is of another kind too.
    let schema = crate::publication::write::transfers_schema();
    let e = parse(p(), &schema)
        .err()
        .unwrap_or_else(|| panic!("schema"));
    assert_eq!(e.code(), "not-a-publication");
}

#[test]
fn a_newer_format_version_is_refused_naming_both_versions() {
    let text = example_text().replacen(
        &format!("\"format_version\": {TRANSFERS_FORMAT_VERSION}"),
        &format!("\"format_version\": {}", TRANSFERS_FORMAT_VERSION + 1),
        1,
    );
    let e = parse(p(), &text).err().unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "newer-format-version");
    let msg = e.to_string();
    assert!(msg.contains("site/transfers.json"), "{msg}");
    assert!(
        msg.contains(&format!("version {}", TRANSFERS_FORMAT_VERSION + 1)),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("up to {TRANSFERS_FORMAT_VERSION}")),
        "{msg}"
    );
}

#[test]
fn unknown_keys_and_values_are_tolerated_and_minimal_files_read() {
    let text = r#"{
  "$schema": "https://example.org/sovmap/transfers.schema.json",
  "format_version": 1,
  "as_of": "2026-01-01",
  "added_in_a_later_version": {"x": 1},
  "provider": {"name": "P", "host": "p", "future": true},
  "entities": [{"id": "p", "legal_name": "P SAS", "country": "FR"}],
  "sites": [{"id": "s", "operator": "p", "country": "FR", "role": "orbital"}],
  "transfers": [],
  "exposures": [],
  "findings": [{"code": "X", "severity": "critical", "subject": {"kind": "entity", "id": "p"}}]
}"#;
    let pubn = parse(p(), text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pubn.provider.notice_days, 30);
    assert_eq!(pubn.sites[0].role, SiteRole::Unknown);
    assert!(pubn.sites[0].role.stores());
    assert_eq!(pubn.findings[0].severity, Severity::Unknown);
    assert!(pubn.services.is_empty() && pubn.flows.is_empty());
}

/// Every value the declarations accept is a known value of the format:
/// the writer would refuse it otherwise (`payment`, `encryption-keys` and
/// `pseudonymised` data were missing and `review` of an imported list
/// failed on them).
#[test]
fn every_declared_value_is_a_value_of_the_format() {
    fn known<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        key: &str,
        unknown: T,
    ) -> T {
        let v: T = serde_json::from_value(serde_json::Value::String(key.into()))
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_ne!(v, unknown, "{key} is read as unknown");
        v
    }
    for (key, cat) in crate::model::DataCategory::ALL {
        assert_eq!(known(key, DataCategory::Unknown).model(), Some(cat));
    }
    for (key, kind) in crate::model::FlowKind::ALL {
        assert_eq!(known(key, FlowKind::Unknown).model(), Some(kind));
    }
    for (key, role) in crate::model::SiteRole::ALL {
        assert_eq!(known(key, SiteRole::Unknown).model(), Some(role));
    }
    for (key, _) in crate::model::MeasureKind::ALL {
        known(key, MeasureKind::Unknown);
    }
    for (key, _) in crate::model::RiskLevel::ALL {
        known(key, RiskLevel::Unknown);
    }
}

#[test]
fn values_map_to_the_internal_types() {
    assert_eq!(
        SiteRole::DisasterRecovery.model(),
        Some(crate::model::SiteRole::DisasterRecovery)
    );
    assert_eq!(
        DataCategory::HealthPseudonymised.model(),
        Some(crate::model::DataCategory::HealthPseudonymised)
    );
    assert_eq!(FlowKind::Unknown.model(), None);
    let b = Basis {
        kind: BasisKind::Derogation,
        module: None,
        ground: Some("b".into()),
    };
    assert_eq!(b.key(), "art49-b");
    assert!(b.model().is_some());
}

#[test]
fn a_wrong_value_is_located_by_line_column_and_path() {
    let text = example_text();
    // Make the first site's country a number.
    let i = text.find("\"sites\"").unwrap_or(0);
    let j = i + text[i..].find("\"country\": \"").unwrap_or(0);
    let k = j + text[j + 12..].find('"').unwrap_or(0) + 13;
    let broken = format!("{}\"country\": 33{}", &text[..j], &text[k..]);
    let e = parse(p(), &broken)
        .err()
        .unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "invalid-publication");
    let msg = e.to_string();
    assert!(msg.contains("at `sites[0].country`"), "{msg}");
    let line = broken[..j].lines().count();
    assert!(
        msg.starts_with(&format!("site/transfers.json:{line}:")),
        "{msg}"
    );
}

#[test]
fn errors_render_with_a_snippet_of_the_file() {
    let dir = std::env::temp_dir().join(format!("sovmap-published-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let f = dir.join("cut.json");
    let text = example_text();
    std::fs::write(&f, &text[..200]).unwrap_or_else(|e| panic!("{e}"));
    let e = read(&f).err().unwrap_or_else(|| panic!("refused"));
    let out = render_errors(&[e], false);
    let (line, _) = (text[..200].lines().count(), 0);
    assert!(
        out.starts_with(&format!("{}:{line}:", f.display())),
        "{out}"
    );
    assert!(out.contains("error[truncated-json]"), "{out}");
    assert!(out.contains("download or copy it again"), "{out}");
    // A minified file: no snippet, still the file and position.
    let long = dir.join("long.json");
    std::fs::write(&long, format!("{{\"a\": \"{}\", ", "x".repeat(1000)))
        .unwrap_or_else(|e| panic!("{e}"));
    let e = read(&long).err().unwrap_or_else(|| panic!("refused"));
    let out = render_errors(&[e], false);
    assert!(out.starts_with("error[truncated-json]: "), "{out}");
    assert!(out.contains("long.json:1:"), "{out}");
    assert!(out.len() < 500, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_file_is_named() {
    let e = read(Path::new("/nonexistent/transfers.json")).err();
    let e = e.unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "unreadable-file");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/transfers.json: cannot read")
    );
}

/// A minimal publication with these entities (JSON objects).
fn with_entities(version: u32, entities: &[String]) -> String {
    format!(
        r#"{{"$schema": "transfers.schema.json", "format_version": {version}, "as_of": "2026-01-01",
  "provider": {{"name": "P", "host": "e0"}},
  "entities": [{}],
  "sites": [], "transfers": [], "exposures": [], "findings": []}}"#,
        entities.join(",\n")
    )
}

fn entity(id: &str, parent: Option<&str>, extra: &str) -> String {
    let parent = parent.map_or("null".to_string(), |p| format!("\"{p}\""));
    format!(r#"{{"id": "{id}", "legal_name": "{id}", "country": "US", "parent": {parent}{extra}}}"#)
}

#[test]
fn a_version_1_file_reads_its_control_chain_into_parent_and_ultimate_parent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let v1 = root.join("tests/fixtures/schema/complete/providers/hyper-transfers.json");
    let pubn = read(&v1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pubn.format_version, 1);
    let eu = pubn
        .entity("hyper-eu")
        .unwrap_or_else(|| panic!("hyper-eu"));
    assert_eq!(eu.parent.as_deref(), Some("hyper-inc"));
    assert_eq!(eu.ultimate_parent.as_deref(), Some("hyper-inc"));
    assert!(eu.control_chain.is_empty());
    let top = pubn
        .entity("hyper-inc")
        .unwrap_or_else(|| panic!("hyper-inc"));
    assert_eq!(top.ultimate_parent, None);
    // Written again, it is a version 2 document that reads the same.
    let mut again: serde_json::Value =
        serde_json::to_value(&pubn).unwrap_or_else(|e| panic!("{e}"));
    assert!(again["entities"][0].get("control_chain").is_none());
    again["format_version"] = 2.into();
    let v2 = parse(p(), &again.to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v2.entities, pubn.entities);

    // A hand-written version 1 file with a chain and no `parent`: the
    // chain still says who controls whom.
    let text = with_entities(
        1,
        &[
            entity("e0", None, r#", "control_chain": ["e1", "e2"]"#),
            entity("e1", Some("e2"), r#", "control_chain": ["e2"]"#),
            entity("e2", None, r#", "control_chain": []"#),
        ],
    )
    .replace(
        r#""parent": null, "control_chain": ["e1""#,
        r#""control_chain": ["e1""#,
    );
    let pubn = parse(p(), &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pubn.entities[0].parent.as_deref(), Some("e1"));
    assert_eq!(pubn.entities[0].ultimate_parent.as_deref(), Some("e2"));
    assert_eq!(pubn.entities[1].ultimate_parent.as_deref(), Some("e2"));
}

#[test]
fn a_missing_ultimate_parent_is_found_by_walking_parents_even_very_deep() {
    // 100,000 entities, each the parent of the next: one pass, not a
    // walk from every entity (which would not finish).
    let n = 100_000;
    let entities: Vec<String> = (0..n)
        .map(|i| {
            let parent = (i + 1 < n).then(|| format!("e{}", i + 1));
            entity(&format!("e{i}"), parent.as_deref(), "")
        })
        .collect();
    let pubn = parse(p(), &with_entities(2, &entities)).unwrap_or_else(|e| panic!("{e}"));
    let top = format!("e{}", n - 1);
    assert_eq!(
        pubn.entities[0].ultimate_parent.as_deref(),
        Some(top.as_str())
    );
    assert_eq!(
        pubn.entities[n - 2].ultimate_parent.as_deref(),
        Some(top.as_str())
    );
    assert_eq!(pubn.entities[n - 1].ultimate_parent, None);
}

#[test]
fn an_ownership_loop_is_an_error_naming_it_not_a_hang() {
    // An entity its own parent.
    let text = with_entities(2, &[entity("e0", Some("e0"), "")]);
    let e = parse(p(), &text).err().unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "inconsistent-publication");
    let msg = e.to_string();
    assert!(
        msg.starts_with("site/transfers.json: at `entities[0].parent`"),
        "{msg}"
    );
    assert!(msg.contains("ownership loop: \"e0\" → \"e0\""), "{msg}");
    assert!(msg.contains("corrected transfers.json"), "{msg}");

    // A loop of 100,000 entities under a short chain: found in one pass,
    // quoted by its start and its length.
    let n = 100_000;
    let mut entities: Vec<String> = (0..n)
        .map(|i| entity(&format!("c{i}"), Some(&format!("c{}", (i + 1) % n)), ""))
        .collect();
    entities.push(entity("sub", Some("c5"), r#", "ultimate_parent": "c0""#));
    let e = parse(p(), &with_entities(2, &entities))
        .err()
        .unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "inconsistent-publication");
    let msg = e.to_string();
    assert!(msg.contains("\"c0\" → \"c1\""), "{msg}");
    assert!(
        msg.contains("→ … → \"c0\" (100000 entities in the loop)"),
        "{msg}"
    );
    assert!(msg.len() < 600, "{msg}");
    // Rendered for a terminal: one line, no snippet to look for.
    let out = render_errors(&[e], false);
    assert!(
        out.starts_with("error[inconsistent-publication]: site/transfers.json"),
        "{out}"
    );
}

#[test]
fn ultimate_parents_are_checked_where_the_parents_lead_somewhere() {
    let sub = |up: &str| {
        entity(
            "sub",
            Some("mid"),
            &format!(r#", "ultimate_parent": "{up}""#),
        )
    };
    let mid = |parent: &str| entity("mid", Some(parent), r#", "ultimate_parent": "us-group""#);
    // The parents lead to another entity of the file: an error.
    let text = with_entities(
        2,
        &[
            sub("eu-holding"),
            mid("us-group"),
            entity("us-group", None, ""),
        ],
    );
    let e = parse(p(), &text).err().unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.code(), "inconsistent-publication");
    let msg = e.to_string();
    assert!(msg.contains("at `entities[0].ultimate_parent`"), "{msg}");
    let said = "\"sub\" states its ultimate parent is \"eu-holding\", but its `parent` ids lead to \"us-group\"";
    assert!(msg.contains(said), "{msg}");
    // A parent the file does not list ends the walk: what is stated
    // above it is kept unchecked, nothing is made up where it says nothing.
    let text = with_entities(
        2,
        &[
            sub("us-group"),
            mid("not-listed"),
            entity("alone", Some("not-listed"), ""),
        ],
    );
    let pubn = parse(p(), &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        pubn.entities[0].ultimate_parent.as_deref(),
        Some("us-group")
    );
    assert_eq!(pubn.entities[2].ultimate_parent, None);
}
