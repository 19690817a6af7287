//! Every TOML example of the README parses, and the project they describe
//! loads: a reader copying them gets no syntax error, duplicate key, unknown
//! key or bad value. The examples are fragments of one provider's project,
//! so the only problems allowed are references to ids declared in other
//! fragments or elsewhere (`unknown-id`) and a provider's publication file
//! that the README cannot ship (`bad-publication`).

mod common;

use std::fs;
use std::path::Path;

use common::{repo_root, sovmap};
use serde_json::Value;

fn toml_blocks() -> Vec<(usize, String)> {
    let readme = fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in readme.lines().enumerate() {
        match &mut current {
            None if line.trim_start() == "```toml" => current = Some((n + 2, String::new())),
            None => {}
            Some(_) if line.trim_start() == "```" => out.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    assert!(current.is_none(), "unclosed ```toml block");
    out
}

/// What a block is, by its first table or key.
fn kind(text: &str) -> &'static str {
    let t: toml::Table = text.parse().unwrap_or_default();
    if t.contains_key("host") {
        "config"
    } else if t.contains_key("reference") {
        "reference"
    } else if ["entity", "site", "service", "flow", "access", "measure"]
        .iter()
        .any(|k| t.contains_key(*k))
    {
        "declarations"
    } else if t.is_empty() {
        "comment"
    } else {
        "policy"
    }
}

/// `sovmap check --format json` on `root`: the diagnostics whose code is
/// not allowed.
fn unexpected(root: &Path, allowed: &[&str]) -> Vec<String> {
    let out = sovmap()
        .args(["check", "--format", "json", "--deny", "never", "--root"])
        .arg(root)
        .output()
        .expect("run sovmap");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|x| {
                    let code = x["code"].as_str().unwrap_or("");
                    !allowed.iter().any(|a| code.ends_with(a))
                })
                .map(|x| format!("{}:{} {}", x["file"], x["line"], x["message"]))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_toml_example_of_the_readme_parses_and_loads() {
    let blocks = toml_blocks();
    assert!(blocks.len() >= 9, "{}", blocks.len());
    for (line, text) in &blocks {
        if let Err(e) = text.parse::<toml::Table>() {
            panic!("README.md:{line}: the TOML example does not parse: {e}\n{text}");
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut config, mut declarations, mut policies) = (String::new(), Vec::new(), Vec::new());
    for (line, text) in &blocks {
        match kind(text) {
            "config" => {
                assert!(config.is_empty(), "README.md:{line}: a second sovmap.toml");
                config = text.clone() + &config;
            }
            "reference" => config.push_str(&format!("\n{text}")),
            "declarations" => declarations.push((*line, text.clone())),
            "policy" => policies.push((*line, text.clone())),
            _ => {}
        }
    }
    assert!(!config.is_empty() && declarations.len() >= 5 && !policies.is_empty());
    // Each declaration example in a project of its own beside the
    // configuration (two of them declare the same entity, as alternatives).
    for (line, text) in &declarations {
        let root = dir.path().join(format!("decl-{line}"));
        fs::create_dir_all(root.join("content/readme")).unwrap();
        fs::write(root.join("sovmap.toml"), &config).unwrap();
        fs::write(root.join("content/readme/example.toml"), text).unwrap();
        let bad = unexpected(&root, &["unknown-id", "bad-publication"]);
        assert!(bad.is_empty(), "README.md:{line}: {bad:#?}\n{text}");
    }
    // And all the fragments of one project together, but the alternative.
    let root = dir.path().join("all");
    fs::create_dir_all(root.join("content/readme")).unwrap();
    fs::write(root.join("sovmap.toml"), &config).unwrap();
    for (line, text) in declarations
        .iter()
        .filter(|(_, t)| !t.contains("stratus-fr.par1"))
    {
        fs::write(root.join(format!("content/readme/{line}.toml")), text).unwrap();
    }
    let bad = unexpected(&root, &["unknown-id", "bad-publication"]);
    assert!(bad.is_empty(), "{bad:#?}");
    // The sovmap.toml example alone: only the host is missing.
    let root = dir.path().join("config");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("sovmap.toml"), &config).unwrap();
    let bad = unexpected(&root, &["unknown-id"]);
    assert!(bad.is_empty(), "{bad:#?}");
    // A review policy is judged against a real publication: no exit 2.
    let site = dir.path().join("site");
    let b = sovmap()
        .args(["build", "-q", "--root"])
        .arg(repo_root())
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(b.status.code(), Some(0));
    for (line, text) in &policies {
        let p = dir.path().join(format!("policy-{line}.toml"));
        fs::write(&p, text).unwrap();
        let r = sovmap()
            .arg("review")
            .arg(site.join("transfers.json"))
            .arg("--policy")
            .arg(&p)
            .output()
            .unwrap();
        assert_ne!(
            r.status.code(),
            Some(2),
            "README.md:{line}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
    }
}
