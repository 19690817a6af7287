//! Provider chains and `sovmap review`, run on the binary.
//!
//! The chain fixture (`tests/fixtures/chains/`) holds three projects:
//! `hyper` (a hyperscaler with a US parent) ← `host` (a French host whose
//! entity `hyper` names the hyperscaler's transfers.json) ← `vendor` (a
//! software vendor whose entity `hostco` names the host's). The tests copy
//! it to a temporary folder and build the three in sequence, as the three
//! providers would.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, fixtures, sovmap};
use serde_json::Value;

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Out {
    let out = sovmap()
        .args(["--color", "never"])
        .args(args)
        .output()
        .expect("run sovmap");
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The three projects built in sequence; returns the temporary folder.
fn built_chain() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("chains"), dir.path());
    for p in ["hyper", "host", "vendor"] {
        let root = dir.path().join(p);
        let o = run(&["build", "-q", "--root", s(&root)]);
        assert_eq!(o.code, Some(0), "build {p}: {}{}", o.stdout, o.stderr);
        assert!(root.join("site/transfers.json").is_file(), "{p}");
    }
    dir
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("read json")).expect("parse json")
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .expect("array")
        .iter()
        .map(|x| x["id"].as_str().expect("id").to_string())
        .collect()
}

fn find<'a>(v: &'a Value, key: &str, id: &str) -> &'a Value {
    v[key]
        .as_array()
        .expect("array")
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no {key} `{id}`"))
}

#[test]
fn a_three_level_chain_is_resolved_and_named() {
    let dir = built_chain();
    let host = json(&dir.path().join("host/site/transfers.json"));
    let vendor_root = dir.path().join("vendor");
    let vendor = json(&vendor_root.join("site/transfers.json"));

    // The middle provider's publication carries its own chain.
    assert_eq!(ids(&host, "chains"), ["hyper"]);
    assert_eq!(
        find(&host, "sites", "hyper.dub1")["chain"],
        serde_json::json!(["hyper"])
    );
    assert!(find(&host, "sites", "par1").get("chain").is_none());

    // The vendor sees the hyperscaler through the host: namespaced ids, both links.
    assert_eq!(ids(&vendor, "chains"), ["hostco", "hostco.hyper"]);
    let link = find(&vendor, "chains", "hostco.hyper");
    assert_eq!(link["via"], "hostco");
    assert_eq!(link["provider"], "Hyper Cloud");
    assert_eq!(link["publication_date"], "2026-10-01");
    assert_eq!(
        find(&vendor, "chains", "hostco")["file"],
        "../host/site/transfers.json"
    );
    let dub1 = find(&vendor, "sites", "hostco.hyper.dub1");
    assert_eq!(dub1["country"], "IE");
    assert_eq!(dub1["operator"], "hostco.hyper");
    assert_eq!(dub1["chain"], serde_json::json!(["hostco", "hostco.hyper"]));
    let us = find(&vendor, "entities", "hostco.hyper.hyper-inc");
    assert_eq!(us["country"], "US");
    // The local entity took its parent from the host's publication.
    assert_eq!(
        find(&vendor, "entities", "hostco.hyper")["parent"],
        "hostco.hyper.hyper-inc"
    );
    // The analysis of the vendor sees the hyperscaler's US access and owners.
    let t = find(&vendor, "transfers", "access:hostco.hyper.follow-the-sun");
    assert_eq!(t["country"], "US");
    assert_eq!(t["services"], serde_json::json!(["ehr"]));
    assert!(
        vendor["exposures"]
            .as_array()
            .expect("exposures")
            .iter()
            .any(|x| x["entity"] == "hostco.hyper.hyper-inc" && x["country"] == "US")
    );
    // The hyperscaler's measure came along and is linked.
    assert_eq!(t["measures"], serde_json::json!(["hostco.hyper.lockbox"]));

    // Findings name the links, nearest first.
    let o = run(&["check", "--root", s(&vendor_root)]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains(
            "[via hostco's publication (Host Co, 2026-11-01), then hostco.hyper's (Hyper Cloud, 2026-10-01)]"
        ),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("access hostco.hyper.follow-the-sun"),
        "{}",
        o.stdout
    );
    // The site has a page for each imported actor.
    let page = fs::read_to_string(vendor_root.join("site/actors/hostco.hyper.hyper-inc.html"))
        .expect("actor page of an imported entity");
    assert!(
        page.contains("<dt>Imported</dt><dd>via hostco&#39;s publication (Host Co, 2026-11-01), then hostco.hyper&#39;s (Hyper Cloud, 2026-10-01)</dd>"),
        "{page}"
    );
}

/// A throw-away project whose entity `prov` points at `pub.json`.
fn importer(dir: &Path, publication: &str) -> PathBuf {
    let root = dir.join("importer");
    fs::create_dir_all(root.join("content/entities")).expect("mkdir");
    fs::write(
        root.join("sovmap.toml"),
        "name = \"Importer\"\nhost = \"me\"\npublication_date = 2026-11-20\n",
    )
    .expect("write");
    fs::write(
        root.join("content/entities/e.toml"),
        format!(
            "[[entity]]\nid = \"me\"\nlegal_name = \"Me SAS\"\ncountry = \"FR\"\n\n[[entity]]\nid = \"prov\"\nlegal_name = \"Prov SAS\"\ncountry = \"FR\"\npublication = \"{publication}\"\n"
        ),
    )
    .expect("write");
    root
}

#[test]
fn bad_publications_and_loops_exit_2_naming_both_files_and_write_nothing() {
    let dir = built_chain();
    let host_pub = fs::read_to_string(dir.path().join("host/site/transfers.json")).expect("read");
    let cut = host_pub
        .char_indices()
        .map(|(i, _)| i)
        .find(|i| *i >= host_pub.len() / 2)
        .unwrap_or(0);
    let cases: Vec<(&str, String, &str)> = vec![
        ("truncated", host_pub[..cut].to_string(), "truncated"),
        (
            "other kind",
            "{\"name\": \"a package.json\", \"version\": \"1.0.0\"}".to_string(),
            "not a sovmap transfers.json",
        ),
        (
            "newer version",
            host_pub.replacen("\"format_version\": 2", "\"format_version\": 3", 1),
            "format version 3, but this sovmap reads versions up to 2",
        ),
    ];
    for (what, text, expected) in cases {
        let root = importer(dir.path(), "pub.json");
        fs::write(root.join("pub.json"), text).expect("write");
        let o = run(&["build", "--root", s(&root)]);
        assert_eq!(o.code, Some(2), "{what}: {}{}", o.stdout, o.stderr);
        assert!(
            o.stderr
                .contains("content/entities/e.toml:10:15: error[bad-publication]"),
            "{what}: {}",
            o.stderr
        );
        assert!(o.stderr.contains("pub.json"), "{what}: {}", o.stderr);
        assert!(o.stderr.contains(expected), "{what}: {}", o.stderr);
        assert!(!root.join("site").exists(), "{what}: nothing written");
    }

    // Missing file: named, with the root it is relative to.
    let root = importer(dir.path(), "nowhere/transfers.json");
    let o = run(&["check", "--root", s(&root)]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(o.stderr.contains("nowhere/transfers.json"), "{}", o.stderr);
    assert!(
        o.stderr.contains("relative to the project root"),
        "{}",
        o.stderr
    );

    // A loop: the hyperscaler importing the host, whose chain holds the hyperscaler.
    let loop_root = dir.path().join("loop");
    let o = run(&["build", "--root", s(&loop_root)]);
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr
            .contains("content/entities/entities.toml:10:15: error[chain-loop]"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("../host/site/transfers.json"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("Host Co → Hyper Cloud"), "{}", o.stderr);
    assert!(!loop_root.join("site").exists());

    // The same publication named by two entities.
    let root = importer(dir.path(), "../host/site/transfers.json");
    fs::write(
        root.join("content/entities/twice.toml"),
        "[[entity]]\nid = \"again\"\nlegal_name = \"Host Co SAS\"\ncountry = \"FR\"\npublication = \"../host/site/transfers.json\"\n",
    )
    .expect("write");
    let o = run(&["check", "--root", s(&root)]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("twice.toml:5:15: error[duplicate-publication]: `publication` of entity `again`: ../host/site/transfers.json is already imported through entity `prov`"),
        "{}",
        o.stderr
    );

    // Importing one's own publication is a loop too.
    let host_root = dir.path().join("host");
    fs::write(
        host_root.join("content/entities/self.toml"),
        "[[entity]]\nid = \"myself\"\nlegal_name = \"Host Co SAS\"\ncountry = \"FR\"\npublication = \"site/transfers.json\"\n",
    )
    .expect("write");
    let o = run(&["check", "--root", s(&host_root)]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr.contains("Host Co's own publication"),
        "{}",
        o.stderr
    );
}

// ---------------------------------------------------------------------------
// sovmap review

fn policy(name: &str) -> String {
    fixtures()
        .join("review")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn verdict<'a>(provider: &'a Value, service: &str, rule: &str) -> &'a Value {
    provider["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["id"] == service)
        .unwrap_or_else(|| panic!("service {service}"))["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["rule"] == rule)
        .unwrap_or_else(|| panic!("rule {rule}"))
}

#[test]
fn a_strict_and_a_lenient_policy_give_different_explained_verdicts() {
    let dir = built_chain();
    let host = dir.path().join("host/site/transfers.json");
    let vendor = dir.path().join("vendor/site/transfers.json");
    let files = [s(&host), s(&vendor)];

    // Strict: fails (exit 1), with the reasons and the provider's measures.
    let strict = policy("strict.toml");
    let o = run(&["review", files[0], files[1], "--policy", &strict]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("Host Co — "), "{}", o.stdout);
    assert!(o.stdout.contains("FAILS the policy"), "{}", o.stdout);
    assert!(
        o.stdout.contains("FAIL  exposure.refused_laws"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("- transfer access:hostco.hyper.follow-the-sun: remote access by Hyper Cloud Inc. from United States: partial adequacy (US-DPF), recipient in its scope"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("via hostco's publication (Host Co, 2026-11-01), then hostco.hyper's publication (Hyper Cloud, 2026-10-01)"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("measure hostco.hyper.lockbox (technical): Customer lockbox and EU-held keys — residual medium"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("ok    storage.outside_eea — 2 items checked, none fails"),
        "{}",
        o.stdout
    );

    // The same as JSON.
    let o = run(&[
        "review", files[0], files[1], "--policy", &strict, "--format", "json",
    ]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    let r: Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(r["met"], false);
    assert_eq!(r["format_version"], 1);
    let vendor_report = &r["providers"][1];
    assert_eq!(vendor_report["name"], "MedSoft");
    let laws = verdict(vendor_report, "ehr", "exposure.refused_laws");
    assert_eq!(laws["met"], false);
    let x = &laws["violations"][0];
    assert_eq!(x["kind"], "exposure");
    assert!(
        x["laws"]
            .as_array()
            .expect("laws")
            .contains(&Value::from("US-CLOUD"))
    );
    assert_eq!(x["measures"][0]["residual_level"], "medium");
    assert!(
        x["via"]
            .as_str()
            .expect("via")
            .starts_with("via hostco's publication")
    );
    let residual = verdict(vendor_report, "ehr", "measures.max_residual");
    assert_eq!(residual["met"], false);
    assert!(
        residual["violations"][0]["reason"]
            .as_str()
            .expect("reason")
            .ends_with("residual risk medium is above low")
    );
    assert_eq!(
        verdict(vendor_report, "ehr", "storage.outside_eea")["met"],
        true
    );
    assert_eq!(verdict(vendor_report, "ehr", "hds.activities")["met"], true);

    // Lenient: partial adequacy accepted, medium residual accepted: met (exit 0).
    let lenient = policy("lenient.toml");
    let o = run(&[
        "review", files[0], files[1], "--policy", &lenient, "--format", "json",
    ]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    let r: Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(r["met"], true);
    let v = verdict(&r["providers"][1], "ehr", "remote_access.non_adequate");
    assert_eq!(v["met"], true);
    assert_eq!(v["reason"], "1 item checked, none fails");
    let o = run(&["review", files[1], "--policy", &lenient]);
    assert_eq!(o.code, Some(0));
    assert!(o.stdout.contains("MedSoft — "), "{}", o.stdout);
    assert!(o.stdout.contains("MEETS the policy"), "{}", o.stdout);

    // --deny never: the verdicts are printed but do not fail.
    let o = run(&["review", files[1], "--policy", &strict, "--deny", "never"]);
    assert_eq!(o.code, Some(0));
    assert!(o.stdout.contains("FAILS the policy"));
}

/// Tags open and close in order (void elements aside): a cheap
/// well-formedness check of generated HTML.
fn assert_balanced(html: &str) {
    const VOID: [&str; 6] = ["meta", "br", "link", "img", "hr", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "mismatched </{name}>"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn the_html_report_is_standalone_escaped_and_accessible() {
    let dir = built_chain();
    let vendor = dir.path().join("vendor/site/transfers.json");
    let out = dir.path().join("review.html");
    let o = run(&[
        "review",
        s(&vendor),
        "--policy",
        &policy("strict.toml"),
        "--html",
        s(&out),
    ]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    let html = fs::read_to_string(&out).expect("report written");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_balanced(&html);
    // Hostile strings of the policy and of the provider's measure, escaped.
    assert!(!html.contains("<script"), "unescaped script");
    assert!(
        html.contains(
            "CHU strict &lt;script&gt;alert(&#39;policy&#39;)&lt;/script&gt; &amp; &quot;co&quot;"
        ),
        "{html}"
    );
    assert!(
        html.contains("&lt;/td&gt;&lt;script&gt;alert(&#39;residual&#39;)"),
        "{html}"
    );
    // No request leaves the page.
    assert!(html.contains("default-src 'none'"));
    for needle in ["src=", "url(", "@import", "http:", "https:"] {
        assert!(!html.contains(needle), "{needle} in the report");
    }
    // Only links within the page (the summary to each service's table).
    for (i, _) in html.match_indices("href=\"") {
        let target = &html[i + 6..];
        let id = &target[1..target.find('"').expect("closed")];
        assert!(target.starts_with('#'), "external link {target:.40}");
        assert!(html.contains(&format!("id=\"{id}\"")), "dangling #{id}");
    }
    // Accessible tables.
    assert!(
        html.contains(
            "<caption>Service MedSoft EHR (<code>ehr</code>): fails the policy</caption>"
        )
    );
    assert!(html.contains("<th scope=\"col\">Provider’s measures and residual risk</th>"));
    assert!(html.contains("rowspan=\"3\""), "one row per violation");
    // In French with --lang fr, text and page alike.
    let fr_page = dir.path().join("fr.html");
    let o = run(&[
        "review",
        s(&vendor),
        "--policy",
        &policy("strict.toml"),
        "--html",
        s(&fr_page),
        "--lang",
        "fr",
    ]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(o.stdout.contains("MedSoft — "), "{}", o.stdout);
    assert!(
        o.stdout.contains("NE RESPECTE PAS la politique"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("via la publication de hostco (Host Co, 2026-11-01), puis la publication de hostco.hyper (Hyper Cloud, 2026-10-01)"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("résiduel moyen"), "{}", o.stdout);
    let fr = fs::read_to_string(&fr_page).expect("French report");
    assert!(fr.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert_balanced(&fr);
    assert!(fr.contains("<th scope=\"col\">Mesures du fournisseur et risque résiduel</th>"));
    assert!(fr.contains("ne respecte pas la politique"));
    assert!(!fr.contains("<script"));

    // Deterministic.
    let again = dir.path().join("again.html");
    run(&[
        "review",
        s(&vendor),
        "--policy",
        &policy("strict.toml"),
        "--html",
        s(&again),
    ]);
    assert_eq!(fs::read(&again).expect("again"), html.as_bytes());
}

#[test]
fn review_bad_input_exits_2_naming_every_file_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    // A valid publication to cut and alter: the repository's example.
    let root = common::repo_root();
    let site = dir.path().join("site");
    let o = run(&["build", "-q", "--root", s(&root), "--output", s(&site)]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let good = fs::read_to_string(site.join("transfers.json")).expect("read");
    let truncated = dir.path().join("truncated.json");
    fs::write(&truncated, &good[..good.len() / 3 * 2]).expect("write");
    let schema = site.join("transfers.schema.json");
    let newer = dir.path().join("newer.json");
    fs::write(
        &newer,
        good.replacen("\"format_version\": 2", "\"format_version\": 7", 1),
    )
    .expect("write");
    let out = dir.path().join("report.html");

    let o = run(&[
        "review",
        s(&truncated),
        s(&schema),
        s(&newer),
        "--policy",
        &policy("lenient.toml"),
        "--html",
        s(&out),
    ]);
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.is_empty());
    assert!(
        o.stderr
            .contains(&format!("error[truncated-json]: {}:", s(&truncated))),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains(&format!("error[not-a-publication]: {}:", s(&schema))),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains(&format!("error[newer-format-version]: {}:", s(&newer))),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("nothing was written"));
    assert!(!out.exists());

    // A bad policy: each problem with file, line and column.
    let bad = policy("bad-key.toml");
    let o = run(&[
        "review",
        s(&site.join("transfers.json")),
        "--policy",
        &bad,
        "--html",
        s(&out),
    ]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "bad-key.toml:5:1: error[unknown-key]: unknown key `outside_eeea` in [storage]"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("did you mean `outside_eea`?"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("bad-key.toml:8:16: error[bad-value]"),
        "{}",
        o.stderr
    );
    assert!(!out.exists());
}
