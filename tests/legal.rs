//! Legal scenarios of issue 17: one small fixture project per rule under
//! `tests/fixtures/legal/`, and the finding, form or page text the law
//! requires (see `/README.md`, "Rules applied"). Each test failed before the
//! rule was corrected.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{JsonRun as Run, run_check, sovmap, text};

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
    let status = sovmap()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(&site)
        .args(["--deny", "never"])
        .args(extra)
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

// ---------------------------------------------------------------------------
// Rule 3: SecNumCloud means a version carrying §19.6, for the whole chain.
// ---------------------------------------------------------------------------

#[test]
fn secnumcloud_form_needs_version_3_2_for_every_actor() {
    let r = legal("secnumcloud", &[]);
    assert_eq!(r.form("snc-ok"), "secnumcloud");
    r.assert_none("SNC-NOT-QUALIFIED", "service:snc-ok");
    assert_eq!(r.form("snc-colo"), "no-transfer");
    let f = r.expect(
        "SNC-NOT-QUALIFIED",
        "error",
        "service:snc-colo",
        &["snc-colo"],
        &[],
    );
    has(
        &r,
        f,
        "message_en",
        "Colocation Française SAS holds no SecNumCloud qualification",
    );
    assert_eq!(r.form("snc-old"), "no-transfer");
    let f = r.expect(
        "SNC-NOT-QUALIFIED",
        "error",
        "service:snc-old",
        &["snc-old"],
        &[],
    );
    has(
        &r,
        f,
        "message_en",
        "version 3.1, which does not carry §19.6",
    );
    let row = r.actor("snc-old", "old-fr");
    assert_eq!(row["secnumcloud"], false);
    assert_eq!(row["secnumcloud_declared"], "3.1");
    let pages = build("secnumcloud", &[]);
    let en = page(&pages, "en/services/snc-old.html");
    assert!(
        en.contains("no (declared: version 3.1)"),
        "3.1 shown as declared"
    );
}

// ---------------------------------------------------------------------------
// Rule 5: the referential's and the Union's real dates.
// ---------------------------------------------------------------------------

#[test]
fn uk_inside_the_eea_until_the_end_of_the_transition_period_only() {
    // Transition period: inside the EEA; HDS v2 did not exist yet.
    let r = legal("brexit", &["--as-of", "2020-06-01"]);
    r.assert_none("EXI28-STORAGE-OUTSIDE-EEA", "site:lon-backup");
    assert!(r.transfer("access:support-london").is_none());
    let f = r.expect(
        "HDS-V2-NOT-YET-APPLICABLE",
        "warning",
        "reference:hds-referential-2024",
        &[],
        &[],
    );
    has(&r, f, "message_en", "before the HDS referential v2 existed");
    // TCA bridge: a third country outside the EEA, transfers still free.
    let r = legal("brexit", &["--as-of", "2021-03-01"]);
    r.expect(
        "EXI28-STORAGE-OUTSIDE-EEA",
        "error",
        "site:lon-backup",
        &["dpi"],
        &["GB"],
    );
    let f = r.expect(
        "EXI29-ACCESS-ADEQUACY",
        "notice",
        "access:support-london",
        &["dpi"],
        &["GB"],
    );
    has(&r, f, "message_en", "FINPROV.10A");
    has(&r, f, "message_en", "not an adequacy decision");
    // Today: the adequacy decision; storage still outside the EEA.
    let r = legal("brexit", &[]);
    r.expect(
        "EXI28-STORAGE-OUTSIDE-EEA",
        "error",
        "site:lon-backup",
        &["dpi"],
        &["GB"],
    );
    r.assert_none(
        "HDS-V2-NOT-YET-APPLICABLE",
        "reference:hds-referential-2024",
    );
    let f = r.finding("EXI29-ACCESS-ADEQUACY", "access:support-london");
    has(&r, f, "message_en", "2021/1772");
}
