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

#[test]
fn parties_and_clauses_are_printed_and_defaults_marked() {
    let dir = example();
    let site = build(dir.path());
    let fr = read(&site.join("annex/index.txt"));
    for needle in [
        "## Parties",
        "Dénomination sociale: Hexagone Santé SAS",
        "Immatriculation (SIREN / RCS): RCS Strasbourg 912 345 678",
        "Représenté par: Claire Weber, présidente",
        "> [Dénomination, forme, immatriculation et siège du client",
        "### 5.3 Information préalable des changements et droit d'opposition",
        "au moins 30 jours avant",
        "article 28, paragraphe 2, du RGPD",
        "article 48 du RGPD",
        "### 5.5 Droit d'audit",
    ] {
        assert!(fr.contains(needle), "missing {needle}:\n{fr}");
    }
    // Defaults say so; the example's own audit clause (content/annex/audit.md) does not.
    let marks = fr
        .matches("Texte par défaut de sovmap, à revoir avec votre conseil")
        .count();
    assert_eq!(marks, 4, "four default clauses of five:\n{fr}");
    let audit = &fr[fr.find("### 5.5").unwrap()..];
    assert!(audit.contains("un audit par an") && !audit.contains("Texte par défaut"));
    let en = read(&site.join("en/annex/index.txt"));
    assert!(en.contains("Legal name: Hexagone Santé SAS"));
    assert!(en.contains("Article 28(2) GDPR") && en.contains("one audit a year"));
}

#[test]
fn a_french_only_clause_is_the_french_original_in_english() {
    let dir = example();
    fs::remove_file(dir.path().join("content/annex/audit.en.md")).unwrap();
    // notice_days flows into the clause text.
    let cfg = dir.path().join("sovmap.toml");
    fs::write(
        &cfg,
        read(&cfg).replace("notice_days = 30", "notice_days = 45"),
    )
    .unwrap();
    let site = build(dir.path());
    let en = read(&site.join("en/annex/index.txt"));
    let audit = &en[en.find("### 5.5").unwrap()..];
    assert!(audit.contains("Droit d'audit"), "{audit}");
    assert!(audit.contains("un audit par an, avec un préavis de 30 jours ; un audit supplémentaire est possible après un incident de sécurité affectant ses données. (French original)"), "{audit}");
    assert!(en.contains("at least 45 days before it takes effect"));
    let html = read(&site.join("en/annex/index.html"));
    assert!(
        html.contains("<span lang=\"fr\">Le client peut réaliser un audit par an"),
        "lang=fr"
    );
    assert!(html.contains("<span class=\"fr-original\">(French original)</span>"));
}

#[test]
fn bad_clauses_and_provider_keys_are_reported_with_their_place() {
    let dir = example();
    fs::write(
        dir.path().join("content/annex/extra.md"),
        "+++\ntitle = \"Extra\"\ncolour = \"red\"\n+++\nNotice: {{ notice_day }} days.\n",
    )
    .unwrap();
    let cfg = dir.path().join("sovmap.toml");
    fs::write(
        &cfg,
        read(&cfg).replace("legal_form = ", "siren = \"1\"\nlegal_form = "),
    )
    .unwrap();
    let out = sovmap()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        err.contains("unknown placeholder `{{ notice_day }}`"),
        "{err}"
    );
    assert!(err.contains("content/annex/extra.md:5"), "{err}");
    assert!(err.contains("colour"), "{err}");
    assert!(err.contains("siren"), "{err}");
}

/// Whether a tool is there; under CI (`CI` set) a missing tool fails the
/// test instead of skipping it, so that the check cannot silently vanish.
fn tool(cmd: &str, args: &[&str], what: &str) -> bool {
    let ok = std::process::Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required under CI (see .ci/run)"
        );
        eprintln!("SKIPPED: {what} is not installed; this check did not run");
    }
    ok
}

/// The Word annex read back by python-docx, as a legal team's tools read it:
/// heading styles, tables with a repeated header row and unsplittable
/// rows, core properties, footer with page fields and the fingerprint,
/// French originals tagged fr-FR.
#[test]
fn docx_reads_back_with_python_docx() {
    let dir = example();
    // A French-only clause, to see its language tag in the English file.
    fs::remove_file(dir.path().join("content/annex/audit.en.md")).unwrap();
    let site = build(dir.path());
    let docx = site.join("en/annex/dossier-patient.docx");
    assert!(docx.is_file());
    let fp = sha256(&fs::read(site.join("en/annex/dossier-patient.txt")).unwrap());
    // The same bytes from `sovmap annex` (reproducible).
    let again = dir.path().join("again.docx");
    sovmap()
        .args([
            "annex",
            "--lang",
            "en",
            "--service",
            "dossier-patient",
            "--root",
        ])
        .arg(dir.path())
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(fs::read(&again).unwrap(), fs::read(&docx).unwrap());
    if !tool("python3", &["-c", "import docx"], "python-docx") {
        return;
    }
    let script = r#"
import sys, json, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
out = {
  "title": d.core_properties.title,
  "subject": d.core_properties.subject,
  "version": d.core_properties.version,
  "headings": [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")],
  "tables": [],
  "footer": "\n".join(p.text for p in d.sections[0].footer.paragraphs),
  "footer_xml": d.sections[0].footer._element.xml,
  "page_w": d.sections[0].page_width, "page_h": d.sections[0].page_height,
  "fr_runs": [r.text for p in d.paragraphs for r in p.runs if r._r.rPr is not None and r._r.rPr.find(qn("w:lang")) is not None and r._r.rPr.find(qn("w:lang")).get(qn("w:val")) == "fr-FR"],
  "text": "\n".join(p.text for p in d.paragraphs),
}
for t in d.tables:
  rows = t.rows
  out["tables"].append({
    "header": [c.text for c in rows[0].cells],
    "header_repeats": rows[0]._tr.trPr is not None and rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None,
    "all_cant_split": all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows),
    "rows": len(rows),
  })
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&docx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["title"],
        "Contract annex: transfers and foreign access risks"
    );
    assert!(
        v["subject"]
            .as_str()
            .unwrap()
            .contains("Service: Dossier patient")
    );
    assert_eq!(v["version"], "2026.4");
    assert_eq!(
        (v["page_w"].as_i64(), v["page_h"].as_i64()),
        (Some(7560310), Some(10692130)),
        "A4"
    );
    let headings: Vec<(String, String)> = serde_json::from_value(v["headings"].clone()).unwrap();
    assert!(headings.contains(&(
        "Heading 1".into(),
        "Contract annex: transfers and foreign access risks".into()
    )));
    assert!(
        headings
            .iter()
            .any(|(s, t)| s == "Heading 2" && t.starts_with("3. Subjection"))
    );
    assert!(
        headings
            .iter()
            .any(|(s, t)| s == "Heading 3" && t.contains("Requests from third-country"))
    );
    let tables = v["tables"].as_array().unwrap();
    assert!(tables.len() >= 4, "{tables:?}");
    for t in tables {
        assert_eq!(t["header_repeats"], true, "{t}");
        assert_eq!(t["all_cant_split"], true, "{t}");
    }
    assert!(tables.iter().any(|t| t["header"][0] == "Exposure"));
    let footer = v["footer"].as_str().unwrap();
    assert!(
        footer.contains("Hexagone Santé SAS") && footer.contains("version 2026.4"),
        "{footer}"
    );
    assert!(footer.contains(&grouped(&fp)), "{footer}");
    let fx = v["footer_xml"].as_str().unwrap();
    assert!(
        fx.contains(" PAGE ") && fx.contains(" NUMPAGES "),
        "page X / Y fields"
    );
    assert!(v["text"].as_str().unwrap().contains(&grouped(&fp)));
    let fr: Vec<String> = serde_json::from_value(v["fr_runs"].clone()).unwrap();
    assert!(fr.iter().any(|r| r.contains("un audit par an")), "{fr:?}");
}

/// LibreOffice opens the Word annex without repair and lays it out on A4
/// pages; the PDF it makes holds the fingerprint.
#[test]
fn docx_converts_with_libreoffice() {
    let dir = example();
    let site = build(dir.path());
    if !tool("soffice", &["--version"], "LibreOffice (soffice)") {
        return;
    }
    let out_dir = dir.path().join("lo");
    fs::create_dir_all(&out_dir).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("lo-profile").display()
    );
    let st = std::process::Command::new("soffice")
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out_dir)
        .arg(site.join("annex/index.docx"))
        .output()
        .unwrap();
    let pdf = out_dir.join("index.pdf");
    assert!(
        pdf.is_file(),
        "soffice made no PDF: {}",
        String::from_utf8_lossy(&st.stderr)
    );
    if !tool("pdftotext", &["-v"], "pdftotext (poppler-utils)") {
        return;
    }
    let txt = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&txt.stdout);
    let fp = sha256(&fs::read(site.join("annex/index.txt")).unwrap());
    assert!(text.contains(&grouped(&fp)), "{text}");
    assert!(text.contains("page 1 / "), "page numbers: {text}");
    assert!(text.contains("Annexe contractuelle"));
}

#[test]
fn a_missing_english_text_gives_a_notice_and_is_marked_in_the_english_annex() {
    let dir = example();
    let m = dir.path().join("content/measures/demande-client.md");
    let text = read(&m);
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("title_en"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, without, "the example measure has a title_en");
    fs::write(&m, without).unwrap();
    let out = sovmap()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("TRANSLATION-MISSING"), "{stdout}");
    assert!(stdout.contains("measure `demande-client`"), "{stdout}");
    assert_eq!(stdout.matches("TRANSLATION-MISSING").count(), 1, "{stdout}");
    let site = build(dir.path());
    let en = read(&site.join("en/annex/index.txt"));
    assert!(
        en.contains("Intervention du support de niveau 2 uniquement sur demande explicite du client (French original)"),
        "{en}"
    );
    // Translated texts are printed in English, unmarked.
    assert!(en.contains("Encryption of data at rest, keys held in France by the host\n"));
    assert!(en.contains("The US adequacy decision (DPF) neutralises neither"));
}
