//! `sovmap import` (CSV subprocessor lists, chapter-8 tables) and `review`
//! of a provider that does not publish with sovmap.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn list(name: &str) -> PathBuf {
    common::fixtures().join("real").join("lists").join(name)
}

fn import(file: &Path, format: &str, into: &Path, extra: &[&str]) -> common::Run {
    let out = common::sovmap()
        .arg("import")
        .arg(file)
        .args(["--format", format])
        .arg("--into")
        .arg(into)
        .args(extra)
        .output()
        .expect("run");
    common::Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn check_json(root: &Path) -> Value {
    let out = common::sovmap()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--format", "json", "--deny", "never"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn codes_about(v: &Value, id: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["subject"]["id"] == id)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_csv_list_becomes_a_project_that_invents_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = dir.path().join("medinova");
    let r = import(&list("sous-traitants-medinova.csv"), "csv", &into, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let decl = into.join("content/imported/sous-traitants-medinova.toml");
    let text = fs::read_to_string(&decl).expect("declarations written");
    // French headers, `;`, BOM: every row read.
    assert!(r.stdout.contains("5 rows"), "{}", r.stdout);
    // No legal entity: the name stands in, never an invented legal name.
    assert!(text.contains("known_as = \"Postmark Mail\"  # the list gives no legal entity"));
    // Country of origin → an unnamed group; server location "UE" → EU.
    assert!(text.contains("known_as = \"Helpdesk Pro group (country of origin)\""));
    assert!(text.contains("country = \"EU\"  # the list says «UE»"));
    // "Europe" may be outside the EEA: unknown, with why.
    assert!(text.contains("«Europe», which may include non-EEA countries"));
    // An empty basis is unstated, never "none".
    assert!(text.contains("basis = \"unstated\""));
    assert!(text.contains("dpf = true"));
    assert!(text.contains("hds = \"certified\""));
    // The project loads, and its unknowns are questions.
    let v = check_json(&into);
    assert!(codes_about(&v, "payflux").contains(&"CONFIRM-FLOW-COUNTRY".to_string()));
    assert!(codes_about(&v, "provider").contains(&"CONFIRM-CONTROL-COUNTRY".to_string()));

    // The same list gives the same files.
    let again = dir.path().join("again");
    let r = import(&list("sous-traitants-medinova.csv"), "csv", &again, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        text,
        fs::read_to_string(again.join("content/imported/sous-traitants-medinova.toml"))
            .unwrap_or_default()
    );
}

#[test]
fn import_never_overwrites_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = dir.path().join("p");
    assert_eq!(
        import(&list("sous-traitants-medinova.csv"), "csv", &into, &[]).code,
        Some(0)
    );
    let cfg = into.join("sovmap.toml");
    fs::write(&cfg, "# edited by hand\n").expect("write");
    let r = import(&list("sous-traitants-medinova.csv"), "csv", &into, &[]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(&cfg).unwrap_or_default(),
        "# edited by hand\n"
    );
    let r = import(
        &list("sous-traitants-medinova.csv"),
        "csv",
        &into,
        &["--force"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        fs::read_to_string(&cfg)
            .unwrap_or_default()
            .contains("host = \"provider\"")
    );
}

#[test]
fn rows_that_cannot_be_read_are_reported_with_their_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("bad.csv");
    fs::write(
        &csv,
        "name,country,servers\nGood Co,France,France\n,,\nBad, Inc,US,US,extra\n;;\nNoName\n",
    )
    .expect("write");
    let into = dir.path().join("out");
    let r = import(&csv, "csv", &into, &[]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(r.stderr.contains("bad.csv:4:"), "{}", r.stderr);
    assert!(!into.exists(), "nothing written");
    // A table row without an actor.
    let r = import(&list("sample-exi31-vega.md"), "chapter8", &into, &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("sample-exi31-vega.md:7: no actor name"),
        "{}",
        r.stderr
    );
    assert!(!into.exists());
    // No header that names the subprocessors.
    fs::write(&csv, "foo;bar\n1;2\n").expect("write");
    let r = import(&csv, "csv", &into, &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("no column names the subprocessors"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_chapter8_table_keeps_what_it_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = dir.path().join("orion");
    let r = import(&list("sample-exi31-orion.html"), "chapter8", &into, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let cfg = fs::read_to_string(into.join("sovmap.toml")).unwrap_or_default();
    assert!(cfg.contains("host = \"orion-hebergement-sas\""), "{cfg}");
    let v = check_json(&into);
    // EXI 30 "Oui : États-Unis": exposed to US law through an unnamed controller.
    let x = v["exposures"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["entity"] == "bluepeak-support-services" && x["country"] == "US")
        })
        .expect("US exposure");
    assert_eq!(x["through"], "bluepeak-support-services-controller");
    // EXI 29 "Oui : Maroc (CCT …)": access from Morocco under SCCs.
    let t = v["transfers"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["kind"] == "remote-access"))
        .expect("access");
    assert_eq!(t["country"], "MA");
    assert_eq!(t["basis_status"], "safeguard");
    // "HDS: oui" without dates: to confirm, not uncertified.
    let k = codes_about(&v, "kestrel-datacenters-gmbh");
    assert!(k.contains(&"CONFIRM-HDS-CERTIFICATE".to_string()), "{k:?}");
    assert!(!k.contains(&"HDS-NOT-CERTIFIED".to_string()), "{k:?}");
    // The table does not give the storage sites.
    assert!(codes_about(&v, "service").contains(&"GAP-NO-STORAGE-SITE".to_string()));
}

#[test]
fn review_reads_a_list_or_an_imported_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let into = dir.path().join("orion");
    assert_eq!(
        import(&list("sample-exi31-orion.html"), "chapter8", &into, &[]).code,
        Some(0)
    );
    let policy = common::fixtures().join("review").join("lenient.toml");
    let out = common::sovmap()
        .arg("review")
        .arg(list("sous-traitants-medinova.csv"))
        .arg(&into)
        .arg("--policy")
        .arg(&policy)
        .args(["--format", "json", "--deny", "never"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = v.to_string();
    assert!(
        text.contains("sous-traitants-medinova (imported)"),
        "{text}"
    );
    assert!(text.contains("Orion Hébergement SAS"), "{text}");
}
