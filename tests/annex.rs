//! The contract annex as a document: canonical text and fingerprint,
//! `sovmap annex` (HTML, text, Word, PDF) and `--verify`, on a copy of the
//! example project. Files are read back; nothing is timed.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

mod common;
use common::sovmap;

/// A temporary copy of the example project.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_example(dir.path());
    dir
}

fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("site");
    sovmap()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    out
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn grouped(h: &str) -> String {
    h.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn each_annex_prints_the_sha256_of_its_published_canonical_text() {
    let dir = example();
    let site = build(dir.path());
    let mut seen = std::collections::BTreeSet::new();
    for (html, txt) in [
        ("annex/index.html", "annex/index.txt"),
        ("annex/dossier-patient.html", "annex/dossier-patient.txt"),
        ("annex/postgresql.html", "annex/postgresql.txt"),
        ("en/annex/index.html", "en/annex/index.txt"),
        (
            "en/annex/dossier-patient.html",
            "en/annex/dossier-patient.txt",
        ),
    ] {
        let canonical = fs::read(site.join(txt)).unwrap();
        let fp = sha256(&canonical);
        let page = read(&site.join(html));
        assert!(
            page.contains(&format!("<code class=\"hash\">{}</code>", grouped(&fp))),
            "{html} does not print the sha256 of {txt} ({fp})"
        );
        // Each scope and language has its own fingerprint.
        assert!(
            seen.insert(fp.clone()),
            "{txt}: same fingerprint as another annex"
        );
        // The header names what is hashed.
        let text = String::from_utf8(canonical).unwrap();
        assert!(text.starts_with("sovmap-annex 1\nprovider: Hexagone Santé\nversion: 2026.4\ndate: 2026-11-15\nas-of: 2026-11-15\n"), "{text}");
        let scope = if txt.ends_with("index.txt") {
            "scope: all\n".to_string()
        } else {
            format!(
                "scope: service {}\n",
                Path::new(txt).file_stem().unwrap().to_str().unwrap()
            )
        };
        assert!(text.contains(&scope), "{txt}: {scope}");
        // The page links the canonical file beside it.
        let name = Path::new(txt).file_name().unwrap().to_str().unwrap();
        assert!(
            page.contains(&format!("href=\"{name}\"")),
            "{html} links {name}"
        );
    }
    // The index lists the fingerprints.
    let index = read(&site.join("index.html"));
    assert!(index.contains(&sha256(&fs::read(site.join("annex/index.txt")).unwrap())));
}

#[test]
fn the_canonical_text_holds_what_the_annex_says() {
    let dir = example();
    let site = build(dir.path());
    let text = read(&site.join("annex/dossier-patient.txt"));
    for needle in [
        "# Annexe contractuelle",
        "[Lieux de stockage",
        "* Strasbourg SXB1 (sxb1)",
        "Atlas Infogérance SARL",
        "CLOUD Act",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
    // The PACS service's annex does not list the Moroccan support, which
    // does not reach it.
    let pacs = read(&site.join("annex/imagerie.txt"));
    assert!(!pacs.contains("Casablanca"), "{pacs}");
    assert!(text.contains("Casablanca") || text.contains("Maroc"));
}

#[test]
fn verify_matches_the_published_text_and_names_a_changed_line() {
    let dir = example();
    let site = build(dir.path());
    let file = site.join("annex/dossier-patient.txt");
    let fp = sha256(&fs::read(&file).unwrap());
    let out = sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("--verify")
        .arg(&file)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains(&fp), "{stdout}");
    assert!(stdout.contains("MATCHES"), "{stdout}");
    // The HTML page carries the same fingerprint.
    let out = sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("--verify")
        .arg(site.join("annex/dossier-patient.html"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains(&fp) && stdout.contains("MATCHES"),
        "{stdout}"
    );
    // A tampered copy: exit 1, the line shown.
    let tampered = dir.path().join("tampered.txt");
    fs::write(
        &tampered,
        read(&file).replace("Strasbourg SXB1", "Lyon SXB1"),
    )
    .unwrap();
    let out = sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("--verify")
        .arg(&tampered)
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("DIFFERS"), "{stdout}");
    assert!(
        stdout.contains("Lyon SXB1") && stdout.contains("Strasbourg SXB1"),
        "{stdout}"
    );
    // The project changed since: the published text no longer matches.
    let sites = dir.path().join("content/sites/datacentres.toml");
    fs::write(
        &sites,
        read(&sites).replace("Strasbourg SXB1", "Strasbourg SXB2"),
    )
    .unwrap();
    sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("--verify")
        .arg(&file)
        .assert()
        .code(1);
    // Not an annex: exit 2.
    sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("--verify")
        .arg(dir.path().join("sovmap.toml"))
        .assert()
        .code(2);
}

#[test]
fn annex_command_writes_the_same_text_as_the_site() {
    let dir = example();
    let site = build(dir.path());
    let out = dir.path().join("pg.txt");
    sovmap()
        .args(["annex", "--lang", "en", "--service", "postgresql", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(read(&out), read(&site.join("en/annex/postgresql.txt")));
    // HTML: self-contained, with the fingerprint and the print stylesheet.
    let html_out = dir.path().join("pg.html");
    sovmap()
        .args(["annex", "--lang", "en", "--service", "postgresql", "--root"])
        .arg(dir.path())
        .arg("-o")
        .arg(&html_out)
        .assert()
        .success();
    let html = read(&html_out);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains(&grouped(&sha256(read(&out).as_bytes()))));
    assert!(html.contains("@page"), "print stylesheet");
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    // Unknown service, unknown format: exit 2, nothing written.
    let bad = dir.path().join("bad.txt");
    sovmap()
        .args(["annex", "--service", "nope", "--root"])
        .arg(dir.path())
        .arg("-o")
        .arg(&bad)
        .assert()
        .code(2);
    assert!(!bad.exists());
    sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("annex.odt"))
        .assert()
        .code(2);
}

#[test]
fn annex_strings_are_escaped() {
    let dir = example();
    let sites = dir.path().join("content/sites/datacentres.toml");
    fs::write(
        &sites,
        read(&sites).replace("Strasbourg SXB1", "<script>alert(1)</script> & co"),
    )
    .unwrap();
    let site = build(dir.path());
    let html = read(&site.join("annex/index.html"));
    assert!(!html.contains("<script>alert"), "unescaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    // The canonical text holds the characters as written.
    assert!(read(&site.join("annex/index.txt")).contains("<script>alert(1)</script> & co"));
}
