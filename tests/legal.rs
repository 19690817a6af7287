//! Legal scenarios of issue 17: one small fixture project per rule under
//! `tests/fixtures/legal/`, and the finding, form or page text the law
//! requires (see `/README.md`, "Rules applied"). Each test failed before the
//! rule was corrected.

mod support;

use std::path::Path;
use std::sync::Arc;

use support::{Run, run_check, text};

/// `sovmap check --format json` on `tests/fixtures/legal/<name>`.
fn legal(name: &str, extra: &[&str]) -> Arc<Run> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legal")
        .join(name);
    Arc::new(run_check(&root, extra))
}

fn has(run: &Run, f: &serde_json::Value, field: &str, needle: &str) {
    assert!(
        text(&f[field]).contains(needle),
        "{}: {field} of {} about {} should contain {needle:?}, got {:?}",
        run.what,
        f["code"],
        f["subject"],
        f[field]
    );
}

// ---------------------------------------------------------------------------
// Rule 1: EXI 29 admits Art. 45 or Art. 46 only.
// ---------------------------------------------------------------------------

#[test]
fn art49_derogation_on_health_data_is_an_exi29_error() {
    let r = legal("art49", &[]);
    r.assert_exit(1);
    // One-off access to health data under consent: still an error.
    let f = r.expect(
        "EXI29-DEROGATION",
        "error",
        "access:once-health",
        &["dpi"],
        &["MA"],
    );
    has(&r, f, "message_en", "HDS EXI 29 does not admit");
    has(&r, f, "message_fr", "n'admet pas");
    has(&r, f, "hint", "scc-3");
    r.expect(
        "EXI29-DEROGATION-SYSTEMATIC",
        "error",
        "access:regular-health",
        &["dpi"],
        &["MA"],
    );
    // Other personal data: Art. 49 applies restrictively — a warning.
    r.expect(
        "TRANSFER-DEROGATION",
        "warning",
        "access:once-contacts",
        &["dpi"],
        &["MA"],
    );
}

/// `sovmap build --deny never` on a legal fixture: the HTML pages by path.
fn build(name: &str, extra: &[&str]) -> std::collections::BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legal")
        .join(name);
    let out = tempfile::tempdir().expect("temporary folder");
    let site = out.path().join("site");
    let status = assert_cmd::Command::cargo_bin("sovmap")
        .expect("the sovmap binary is built")
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(&site)
        .args(["--deny", "never"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("sovmap runs");
    assert!(
        status.status.success(),
        "build of {name} failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut pages = std::collections::BTreeMap::new();
    let mut stack = vec![site.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("site folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p
                    .strip_prefix(&site)
                    .expect("inside the site")
                    .to_string_lossy()
                    .replace('\\', "/");
                pages.insert(rel, std::fs::read_to_string(&p).expect("UTF-8 page"));
            }
        }
    }
    pages
}

fn page<'a>(pages: &'a std::collections::BTreeMap<String, String>, path: &str) -> &'a str {
    pages
        .get(path)
        .unwrap_or_else(|| panic!("no page {path}; pages: {:?}", pages.keys()))
}

// ---------------------------------------------------------------------------
// Rule 2: no fixed sentence over a foreign-controlled actor; always disclosed.
// ---------------------------------------------------------------------------

#[test]
fn partial_adequacy_policy_never_hides_the_exposure_or_picks_a_fixed_sentence() {
    let r = legal("partial-policy", &[]);
    // The DPF-listed US parent: disclosed, not counted as a risk by policy.
    let x = r
        .exposure("exposure:stratus-fr:US")
        .unwrap_or_else(|| panic!("exposure disclosed\n{}", r.summary()));
    assert_eq!(x["risk"], false);
    assert!(!x["laws"].as_array().unwrap().is_empty(), "{x}");
    let f = r.expect(
        "EXI30-PARTIAL-ADEQUACY-DISCLOSED",
        "notice",
        "entity:stratus-fr",
        &["plain", "snc"],
        &["US"],
    );
    has(&r, f, "message_en", "Le groupe Stratus est inscrit au DPF.");
    has(&r, f, "message_en", "within its scope");
    r.assert_none("EXI30-NO-MEASURE", "entity:stratus-fr");
    // Neither « aucun risque » nor « aucun transfert ».
    assert_eq!(r.form("snc"), "table");
    assert_eq!(r.form("plain"), "table");
    r.expect("SNC-CONTRADICTION", "error", "service:snc", &["snc"], &[]);
    // Controlled from a fully adequate country: no exposure, form 2 stands.
    assert!(r.exposure("exposure:alpen-fr:CH").is_none());
    assert_eq!(r.form("swiss"), "no-transfer");

    let pages = build("partial-policy", &[]);
    let annex = page(&pages, "annex/index.html");
    assert!(
        annex.contains("Stratus Cloud Inc."),
        "annex names the parent"
    );
    assert!(annex.contains("CLOUD"), "annex names the US access laws");
    assert!(
        !annex.contains("Aucun acteur n&#39;est soumis")
            && !annex.contains("Aucun acteur n'est soumis"),
        "the annex must not say no actor is subject to non-adequate law"
    );
    assert!(
        annex.contains("Le groupe Stratus est inscrit au DPF."),
        "policy rationale beside the exposure"
    );
}
