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
    // The written file has the permissions of any file the user creates
    // (it was the temporary file's private 0600, unreadable to the group).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = dir.path().join("plain.txt");
        fs::write(&plain, "x").unwrap();
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out), mode(&plain), "mode of the written annex");
    }
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
            .contains("Service: Managed electronic patient record")
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
    drop_lines(
        &dir.path().join("content/measures/demande-client.md"),
        &["title_en"],
    );
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

/// Text of each page of a PDF (`pdftotext -layout`; pages end with a form feed).
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A provider name made of Typst markup and escapes: it must print as
/// written, never be read as markup.
/// Rows added to the transfers table of [`long_hostile_example`].
const ROWS: usize = 40;

const HOSTILE: &str = r#"Évil #set text(red) ] $x^2$ \ "q" *gras* <lbl> @ref SAS"#;

/// A project whose whole-provider annex runs over several pages: many
/// remote-access paths from Canada, each a row of the transfers table.
fn long_hostile_example() -> tempfile::TempDir {
    let dir = example();
    let toml = dir.path().join("sovmap.toml");
    let escaped = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    fs::write(
        &toml,
        read(&toml).replace(
            "legal_name = \"Hexagone Santé SAS\"",
            &format!("legal_name = \"{escaped}\""),
        ),
    )
    .unwrap();
    let access = dir.path().join("content/access/teams.toml");
    let mut more = read(&access);
    for i in 0..ROWS {
        more.push_str(&format!(
            "\n[[access]]\nid = \"astreinte-{i:02}\"\nteam = \"hexasante-canada\"\nname = \"Astreinte {i:02}, Montréal\"\ncountry = \"CA\"\ncity = \"Montréal\"\nsource_ip_ranges = [\"203.0.113.64/27\"]\ntargets = [\"dossier-patient\"]\npurpose = \"Lot de support {i:02} : diagnostic des incidents de la nuit sur le dossier patient\"\nsafeguards = [\"bastion de l'hébergeur en France\", \"journalisation des sessions\"]\nbasis = \"adequacy\"\n"
        ));
    }
    fs::write(&access, more).unwrap();
    dir
}

/// Measures' titles and residual risks on the English site pages (not only
/// in the annex) are their `title_en` / `residual_risk_en`; without them the
/// French original is printed, marked `lang="fr"` and "French original".
#[test]
fn english_pages_print_measures_in_english_or_mark_the_french() {
    let dir = example();
    let site = build(dir.path());
    let title_fr = "Accès distants uniquement par les bastions de l'hébergeur en France";
    let title_en = "Remote access only through the host&#39;s bastions in France";
    let residual_en = "During an authorised session, the engineer sees the data displayed in clear";
    let residual_fr = "Pendant une session autorisée, l&#39;intervenant voit les données";
    let en_index = read(&site.join("en/index.html"));
    let en_measure = read(&site.join("en/measures/bastion-acces-distants.html"));
    let fr_index = read(&site.join("index.html"));
    for (what, page) in [("index", &en_index), ("measure page", &en_measure)] {
        assert!(page.contains(title_en), "en {what}: English title");
        assert!(
            !page.contains(&title_fr.replace('\'', "&#39;")),
            "en {what}: French title"
        );
    }
    assert!(en_index.contains(residual_en) && !en_index.contains(residual_fr));
    assert!(en_measure.contains(residual_en) && !en_measure.contains(residual_fr));
    assert!(fr_index.contains(&title_fr.replace('\'', "&#39;")) && !fr_index.contains(title_en));
    assert!(fr_index.contains(residual_fr));

    // Without the English versions: the French original, marked.
    let md = dir
        .path()
        .join("content/measures/bastion-acces-distants.md");
    let text: String = read(&md)
        .lines()
        .filter(|l| !l.starts_with("title_en") && !l.starts_with("residual_risk_en"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&md, text).unwrap();
    let site = build(dir.path());
    let en_measure = read(&site.join("en/measures/bastion-acces-distants.html"));
    let title = title_fr.replace('\'', "&#39;");
    assert!(
        en_measure.contains(&format!("<h1 lang=\"fr\">{title}")),
        "{en_measure}"
    );
    assert!(en_measure.contains(&format!("<span lang=\"fr\">{residual_fr}")));
    assert!(en_measure.contains("French original"));
    let en_index = read(&site.join("en/index.html"));
    assert!(
        en_index.contains(&format!("lang=\"fr\">{title}")),
        "risk table and list"
    );
    let fr_measure = read(&site.join("measures/bastion-acces-distants.html"));
    assert!(!fr_measure.contains("<h1 lang=") && !fr_measure.contains("original fran"));
}

/// Entities' and services' descriptions, team names and measures' texts
/// (`content/measures/<id>.en.md`) on the English pages and graphs: the
/// English versions of the example; without them, the French originals
/// marked `lang="fr"` and "French original", one notice each, and French
/// pages that do not change.
#[test]
fn english_pages_print_descriptions_team_names_and_measure_texts_or_mark_the_french() {
    const ENTITY_FR: &str =
        "Analyse des journaux de sécurité (SIEM) ; ne reçoit que des métadonnées.";
    const ENTITY_EN: &str = "Security log analysis (SIEM); receives metadata only.";
    const SERVICE_FR: &str = "Bases PostgreSQL managées pour les éditeurs de logiciels de santé.";
    const SERVICE_EN: &str = "Managed PostgreSQL databases for health software vendors.";
    const TEAM_FR: &str = "Réponse aux incidents de nuit, Montréal";
    const TEAM_EN: &str = "Night-time incident response, Montreal";
    const BODY_FR: &str = "Le support de Casablanca n'intervient que sur un ticket";
    const BODY_EN: &str = "The Casablanca support team acts only on a ticket";
    const PURPOSE_FR: &str = "Réponse aux incidents hors des heures ouvrées en France";
    const PURPOSE_EN: &str = "Incident response outside business hours in France";
    let dir = example();
    let site = build(dir.path());
    let page = |site: &Path, file: &str| read(&site.join(file));
    let pages = [
        ("actors/sentinelle.html", ENTITY_FR, ENTITY_EN),
        ("services/postgresql.html", SERVICE_FR, SERVICE_EN),
        ("index.html", TEAM_FR, TEAM_EN),
        ("measures/demande-client.html", BODY_FR, BODY_EN),
    ];
    for (file, fr, en) in pages {
        let en_page = page(&site, &format!("en/{file}"));
        assert!(en_page.contains(en), "en/{file}: {en}");
        assert!(!en_page.contains(fr), "en/{file}: {fr}");
        let fr_page = page(&site, file);
        assert!(fr_page.contains(fr) && !fr_page.contains(en), "{file}");
    }
    // A service's name_en (a name: printed as written without it).
    let service = page(&site, "en/services/postgresql.html");
    assert!(
        service.contains("<h1>Managed HDS PostgreSQL</h1>"),
        "{service}"
    );
    assert!(page(&site, "services/postgresql.html").contains("<h1>PostgreSQL managé HDS</h1>"));
    let annex = page(&site, "en/annex/postgresql.txt");
    assert!(annex.contains("Managed HDS PostgreSQL") && !annex.contains("PostgreSQL managé HDS"));
    let dot = page(&site, "en/services/imagerie.dot");
    assert!(dot.contains("Medical imaging archive (PACS)"), "{dot}");
    assert!(dot.contains(TEAM_EN) && dot.contains(PURPOSE_EN), "{dot}");
    assert!(!dot.contains(TEAM_FR) && !dot.contains(PURPOSE_FR), "{dot}");
    let dot_fr = page(&site, "services/imagerie.dot");
    assert!(dot_fr.contains(TEAM_FR) && dot_fr.contains(PURPOSE_FR));

    // Without the English versions.
    let root = dir.path();
    for file in [
        "entities/hexagone-sante.toml",
        "entities/subcontractors.toml",
    ] {
        drop_lines(&root.join("content").join(file), &["description_en"]);
    }
    for file in ["dossier-patient", "imagerie", "postgresql"] {
        drop_lines(
            &root.join(format!("content/services/{file}.toml")),
            &["description_en"],
        );
    }
    drop_lines(
        &root.join("content/access/teams.toml"),
        &["name_en", "purpose_en"],
    );
    for m in [
        "bastion-acces-distants",
        "chiffrement-cles-france",
        "contestation-demandes",
        "demande-client",
    ] {
        fs::remove_file(root.join(format!("content/measures/{m}.en.md"))).unwrap();
    }
    let run = common::check(root, &["--verbose"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let notices = run.stdout.matches("notice[TRANSLATION-MISSING]").count();
    // 9 entities' and 3 services' descriptions, 3 team names and 3
    // purposes, 4 measures' texts.
    assert_eq!(notices, 22, "{}", run.stdout);
    for what in [
        "the description of entity `sentinelle`",
        "the description of service `postgresql`",
        "the name of access path `incidents-montreal`",
        "the text of measure `demande-client`",
    ] {
        assert!(run.stdout.contains(what), "{what}: {}", run.stdout);
    }
    assert!(
        run.stdout
            .contains("help: write its English text in content/measures/demande-client.en.md"),
        "{}",
        run.stdout
    );

    let before = site;
    let moved = root.join("site-before");
    fs::rename(&before, &moved).unwrap();
    let site = build(root);
    let marked = |s: &str| {
        format!("<span lang=\"fr\">{s}</span> <span class=\"fr-original\">(French original)</span>")
    };
    let actor = page(&site, "en/actors/sentinelle.html");
    assert!(actor.contains(&marked(ENTITY_FR)), "{actor}");
    let service = page(&site, "en/services/postgresql.html");
    assert!(
        service.contains(&format!("<p class=\"lead\" lang=\"fr\">{SERVICE_FR}</p>")),
        "{service}"
    );
    assert!(service.contains("<p class=\"fr-original\">French original</p>"));
    let index = page(&site, "en/index.html");
    assert!(index.contains(&marked(TEAM_FR)), "team name");
    let measure = page(&site, "en/measures/demande-client.html");
    assert!(
        measure.contains(
            "<p class=\"fr-original\">French original</p>\n<div class=\"prose\" lang=\"fr\">"
        ),
        "{measure}"
    );
    assert!(measure.contains(BODY_FR));
    let dot = page(&site, "en/services/imagerie.dot");
    assert!(
        dot.contains(&format!("{TEAM_FR} (French original)")),
        "{dot}"
    );
    assert!(
        dot.contains(&format!("{PURPOSE_FR} (French original)")),
        "{dot}"
    );
    // French pages print the French texts, unmarked (they only list the
    // TRANSLATION-MISSING notices among their findings); the French graph
    // is the same with or without the English texts.
    for (file, fr) in [
        ("actors/sentinelle.html", ENTITY_FR),
        ("services/postgresql.html", SERVICE_FR),
        ("index.html", TEAM_FR),
        ("measures/demande-client.html", BODY_FR),
    ] {
        let html = page(&site, file);
        assert!(html.contains(fr) && !html.contains("fr-original"), "{file}");
        assert!(!html.contains("<div class=\"prose\" lang="), "{file}");
    }
    let dot = "services/imagerie.dot";
    assert_eq!(page(&moved, dot), page(&site, dot));
    // The site's English graphs (printed for all services at once) are
    // those `sovmap graph --lang en` prints.
    for (format, ext) in [("dot", "dot"), ("mermaid", "mmd")] {
        let out = sovmap()
            .args([
                "--lang",
                "en",
                "graph",
                "--service",
                "imagerie",
                "--format",
                format,
            ])
            .arg("--root")
            .arg(root)
            .output()
            .unwrap();
        assert!(out.status.success());
        let printed = String::from_utf8_lossy(&out.stdout);
        assert_eq!(printed, page(&site, &format!("en/services/imagerie.{ext}")));
        assert!(printed.contains(&format!("{PURPOSE_FR} (French original)")));
    }
}

/// A measure's English text names its measure by file name: another name
/// is an unknown id; its optional front matter holds no key.
#[test]
fn an_english_measure_text_without_its_measure_or_with_keys_is_an_error() {
    let dir = example();
    let measures = dir.path().join("content/measures");
    fs::rename(
        measures.join("demande-client.en.md"),
        measures.join("demande-clients.en.md"),
    )
    .unwrap();
    fs::write(
        measures.join("bastion-acces-distants.en.md"),
        "+++\ntitle = \"Bastions\"\n+++\n\nText.\n",
    )
    .unwrap();
    check_refuses(
        dir.path(),
        &[
            "unknown measure `demande-clients`",
            "did you mean `demande-client`?",
            "unknown key `title`",
            "content/measures/bastion-acces-distants.en.md",
        ],
    );
}

/// `check` refuses the project (exit 2), saying every one of `expected`.
fn check_refuses(root: &Path, expected: &[&str]) {
    let run = common::check(root, &[]);
    let err = run.stderr + &run.stdout;
    assert_eq!(run.code, Some(2), "{err}");
    for e in expected {
        assert!(err.contains(e), "{e}: {err}");
    }
}

/// A free page's English version is `content/pages/<id>.en.md` (issue 19,
/// item 5): the English page and the English menu print it; without it they
/// print the French original, marked, and `check` gives a notice; an
/// English version of no page is an error.
#[test]
fn english_free_pages_print_their_translation_or_mark_the_french() {
    let dir = example();
    let pages = dir.path().join("content/pages");
    fs::write(
        pages.join("contact.en.md"),
        "+++\ntitle = \"Contact us\"\n+++\n\nWrite to the **DPO**.\n",
    )
    .unwrap();
    let site = build(dir.path());
    let en = read(&site.join("en/pages/contact.html"));
    assert!(en.contains("<h1>Contact us</h1>"), "{en}");
    assert!(en.contains("Write to the <strong>DPO</strong>."), "{en}");
    assert!(!en.contains("Pour toute question"), "{en}");
    assert!(!en.contains("French original"), "{en}");
    let en_index = read(&site.join("en/index.html"));
    assert!(en_index.contains(">Contact us</a>"), "menu in English");
    let fr = read(&site.join("pages/contact.html"));
    assert!(fr.contains("Pour toute question"), "French page unchanged");
    assert!(!fr.contains("Contact us"), "{fr}");

    fs::remove_file(pages.join("contact.en.md")).unwrap();
    let run = common::check(dir.path(), &[]);
    assert!(
        run.stdout.contains("TRANSLATION-MISSING") && run.stdout.contains("page `contact`"),
        "{}",
        run.stdout
    );
    let site = build(dir.path());
    let en = read(&site.join("en/pages/contact.html"));
    assert!(en.contains("<h1 lang=\"fr\">Contact</h1>"), "{en}");
    assert!(en.contains("<div class=\"prose\" lang=\"fr\">"), "{en}");
    assert!(en.contains("French original"), "{en}");
    assert!(en.contains("Pour toute question"), "{en}");

    fs::write(
        pages.join("contacts.en.md"),
        "+++\ntitle = \"Contact\"\n+++\n\nText.\n",
    )
    .unwrap();
    check_refuses(
        dir.path(),
        &["unknown page `contacts`", "did you mean `contact`?"],
    );
}

/// PDFs are laid out by `build` only on request (`annex_pdf = true`, set in
/// the example): without it no `.pdf` is written and no page links one,
/// while the Word file and the canonical text are still there.
#[test]
fn build_writes_pdf_annexes_only_when_asked() {
    let dir = example();
    let toml = dir.path().join("sovmap.toml");
    let text = read(&toml);
    assert!(
        text.contains("\nannex_pdf = true\n"),
        "the example asks for PDFs"
    );
    fs::write(&toml, text.replace("\nannex_pdf = true\n", "\n")).unwrap();
    let site = build(dir.path());
    let mut pdfs = Vec::new();
    for lang in ["", "en/"] {
        let folder = site.join(format!("{lang}annex"));
        for entry in fs::read_dir(&folder).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".pdf") {
                pdfs.push(format!("{lang}annex/{name}"));
            }
            if name.ends_with(".html") {
                let page = read(&folder.join(&name));
                assert!(!page.contains(".pdf\""), "{lang}annex/{name} links a PDF");
            }
        }
        assert!(folder.join("index.docx").is_file() && folder.join("index.txt").is_file());
    }
    assert!(pdfs.is_empty(), "PDFs written without annex_pdf: {pdfs:?}");
    // Asked for, the annex pages link the PDFs written beside them.
    fs::write(&toml, text).unwrap();
    let site = build(dir.path());
    for lang in ["", "en/"] {
        let page = read(&site.join(format!("{lang}annex/dossier-patient.html")));
        assert!(
            page.contains("href=\"dossier-patient.pdf\""),
            "{lang}: PDF link"
        );
        assert!(
            site.join(format!("{lang}annex/dossier-patient.pdf"))
                .is_file()
        );
    }
}

/// The PDF annex, made by sovmap alone, read back as a legal team's tools
/// read it: A4 pages numbered "page X / Y", the footer (party, version,
/// date, fingerprint in groups) on every page, the table header repeated
/// on the next page, every font embedded, the hostile name printed as
/// written, the same bytes from `build` and `annex`, and `--verify`.
#[test]
fn pdf_annex_reads_back_with_poppler() {
    let dir = long_hostile_example();
    let site = build(dir.path());
    for f in [
        "annex/index.pdf",
        "annex/dossier-patient.pdf",
        "en/annex/index.pdf",
        "en/annex/imagerie.pdf",
    ] {
        let b = fs::read(site.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(b.starts_with(b"%PDF-"), "{f}");
    }
    // Linked from the annex page, as the Word file is.
    let page = read(&site.join("annex/index.html"));
    assert!(page.contains("href=\"index.pdf\""), "link to the PDF");
    let pdf = site.join("annex/index.pdf");
    // `sovmap annex` writes the same bytes (reproducible, no clock).
    let again = dir.path().join("again.pdf");
    sovmap()
        .args(["annex", "--lang", "fr", "--format", "pdf", "--root"])
        .arg(dir.path())
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    assert!(
        fs::read(&again).unwrap() == fs::read(&pdf).unwrap(),
        "`sovmap annex` and `build` wrote different PDFs"
    );
    // `--verify` finds the identification in the PDF.
    let v = sovmap()
        .args(["annex", "--root"])
        .arg(dir.path())
        .arg("--verify")
        .arg(&pdf)
        .assert()
        .success();
    let fp = sha256(&fs::read(site.join("annex/index.txt")).unwrap());
    assert!(
        String::from_utf8_lossy(&v.get_output().stdout).contains(&fp),
        "verify prints the fingerprint"
    );
    if !tool("pdftotext", &["-v"], "pdftotext (poppler-utils)") {
        return;
    }
    let pages = pdf_pages(&pdf);
    let n = pages.len();
    assert!(n >= 3, "a long annex: {n} pages");
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (i, p) in pages.iter().enumerate() {
        let flat = one_line(p);
        assert!(
            flat.contains(&format!("page {} / {n}", i + 1)),
            "page {}: {flat}",
            i + 1
        );
        assert!(
            flat.contains(&grouped(&fp)),
            "fingerprint on page {}: {flat}",
            i + 1
        );
        assert!(flat.contains(HOSTILE), "party on page {}: {flat}", i + 1);
        assert!(
            flat.contains("version 2026.4") && flat.contains("2026-11-15"),
            "version and date on page {}",
            i + 1
        );
    }
    // The transfers table runs over a page break and its header row is
    // printed again at the top of the next page.
    let with_rows: Vec<usize> = (0..n)
        .filter(|&i| pages[i].contains("Lot de support"))
        .collect();
    assert!(with_rows.len() >= 2, "rows on pages {with_rows:?}");
    let header = "Garanties";
    for &i in &with_rows {
        assert!(
            pages[i].contains(header),
            "header row on page {}: {}",
            i + 1,
            pages[i]
        );
    }
    // No row is split: each row's description is whole on one page.
    for k in 0..ROWS {
        let row = format!("Lot de support {k:02}");
        let on: Vec<usize> = (0..n).filter(|&i| pages[i].contains(&row)).collect();
        assert_eq!(on.len(), 1, "{row} on pages {on:?}");
    }
    if !tool("pdffonts", &["-v"], "pdffonts (poppler-utils)") {
        return;
    }
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 2, "{fonts}");
    for r in &rows {
        // name type encoding emb sub uni object ID: "emb" is the 4th
        // column from the end of the row's flags.
        let cols: Vec<&str> = r.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {r}");
    }
    assert!(fonts.contains("Libertinus") && fonts.contains("DejaVuSansMono"));
}

/// Removes the lines of a file that start with one of `keys`; asserts that
/// some were there.
fn drop_lines(path: &Path, keys: &[&str]) {
    let text = read(path);
    let without: String = text
        .lines()
        .filter(|l| !keys.iter().any(|k| l.starts_with(k)))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, without, "{} has {keys:?}", path.display());
    fs::write(path, without).unwrap();
}

/// Line (1-based) and column of the first occurrence of `needle` in a file.
fn line_col(path: &Path, needle: &str) -> (usize, usize) {
    let text = read(path);
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

const PURPOSE_FR: &str = "Support de niveau 2 : diagnostic des incidents applicatifs";
const PURPOSE_EN: &str = "Level-2 support: diagnosis of application incidents";
const SAFEGUARD_FR: &str = "enregistrement vidéo des sessions";
const SAFEGUARD_EN: &str = "video recording of sessions";
const FLOW_FR: &str = "Réplication synchrone du dossier patient vers le second site.";
const FLOW_EN: &str = "Synchronous replication of the patient record to the second site.";

#[test]
fn english_purposes_and_safeguards_are_printed_in_english() {
    let dir = example();
    let run = common::check(dir.path(), &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        !run.stdout.contains("TRANSLATION-MISSING"),
        "{}",
        run.stdout
    );
    let site = build(dir.path());
    for file in ["en/annex/index.txt", "en/annex/index.html", "en/index.html"] {
        let en = read(&site.join(file));
        for text in [PURPOSE_EN, SAFEGUARD_EN] {
            assert!(en.contains(text), "{file}: {text}");
        }
        for text in [PURPOSE_FR, SAFEGUARD_FR] {
            assert!(!en.contains(text), "{file}: {text}");
        }
    }
    let flows = read(&site.join("en/flows.html"));
    assert!(flows.contains(FLOW_EN) && !flows.contains(FLOW_FR));
    let csv = read(&site.join("en/transfers.csv"));
    assert!(csv.contains(PURPOSE_EN) && !csv.contains("French original"));
    // The French pages keep the French.
    let fr = read(&site.join("annex/index.txt"));
    assert!(fr.contains(PURPOSE_FR) && fr.contains(SAFEGUARD_FR) && !fr.contains(PURPOSE_EN));
}

#[test]
fn untranslated_purposes_and_safeguards_are_noticed_and_marked_french() {
    let dir = example();
    let teams = dir.path().join("content/access/teams.toml");
    drop_lines(&teams, &["purpose_en", "safeguards_en"]);
    let flows = dir.path().join("content/flows/replication-and-backup.toml");
    drop_lines(&flows, &["description_en"]);
    let run = common::check(dir.path(), &["--verbose"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let stdout = run.stdout;
    // Each notice: its line, then `--> file:line:col`, the rule and the help.
    let notices: Vec<String> = stdout
        .split("\n  notice[")
        .filter(|n| n.starts_with("TRANSLATION-MISSING]"))
        .map(|n| {
            let mut lines = n.lines();
            let first = lines.next().unwrap_or_default();
            lines
                .take_while(|l| l.starts_with("      "))
                .fold(format!("{first}\n"), |acc, l| format!("{acc}{l}\n"))
        })
        .collect();
    // Three access paths (purpose, safeguards) and three flows with a
    // description: one notice per text.
    assert_eq!(notices.len(), 9, "{stdout}");
    let notice = |what: &str, at: &str, key: &str| {
        assert!(
            notices
                .iter()
                .any(|n| n.contains(what) && n.contains(at) && n.contains(key)),
            "{what} at {at}, {key}: {stdout}"
        )
    };
    let (l, c) = line_col(&teams, "\"support-n2-casablanca\"");
    let at = format!("--> content/access/teams.toml:{l}:{c}\n");
    notice(
        "the purpose of access path `support-n2-casablanca`",
        &at,
        "help: add `purpose_en",
    );
    notice(
        "the list of safeguards of access path `support-n2-casablanca`",
        &at,
        "help: add `safeguards_en",
    );
    let (l, c) = line_col(&flows, "\"dpi-replication\"");
    notice(
        "the description of flow `dpi-replication`",
        &format!("--> content/flows/replication-and-backup.toml:{l}:{c}\n"),
        "help: add `description_en",
    );

    let site = build(dir.path());
    let txt = read(&site.join("en/annex/index.txt"));
    assert!(
        txt.contains(&format!("{PURPOSE_FR} (French original)")),
        "{txt}"
    );
    assert!(
        txt.contains(&format!("{SAFEGUARD_FR} (French original)")),
        "{txt}"
    );
    let marked = |s: &str| {
        format!("<span lang=\"fr\">{s}</span> <span class=\"fr-original\">(French original)</span>")
    };
    for file in ["en/annex/index.html", "en/index.html"] {
        let html = read(&site.join(file));
        assert!(html.contains(&marked(PURPOSE_FR)), "{file}");
        assert!(html.contains(&marked(SAFEGUARD_FR)), "{file}");
    }
    assert!(read(&site.join("en/flows.html")).contains(&marked(FLOW_FR)));
    let docx = zip_entry(&site.join("en/annex/index.docx"), "word/document.xml");
    assert!(
        docx.contains(&format!(
            "<w:lang w:val=\"fr-FR\"/></w:rPr><w:t xml:space=\"preserve\">{PURPOSE_FR}</w:t>"
        )),
        "docx"
    );
    let csv = read(&site.join("en/transfers.csv"));
    assert!(
        csv.contains(&format!("{PURPOSE_FR} (French original)")),
        "{csv}"
    );
    // French pages are not marked.
    let fr = read(&site.join("index.html"));
    assert!(fr.contains(PURPOSE_FR) && !fr.contains("fr-original"));
}

#[test]
fn safeguards_en_of_another_length_is_an_error_at_its_line() {
    let dir = example();
    let teams = dir.path().join("content/access/teams.toml");
    let text = read(&teams);
    let from = "safeguards_en = [\"the host's bastion in France\", \"just-in-time access approved by the host\", \"video recording of sessions\"]";
    assert!(text.contains(from));
    fs::write(
        &teams,
        text.replacen(
            from,
            "safeguards_en = [\"the host's bastion in France\"]",
            1,
        ),
    )
    .unwrap();
    let (l, c) = line_col(&teams, "[\"the host's bastion in France\"]");
    let run = common::check(dir.path(), &[]);
    let err = run.stderr + &run.stdout;
    assert_eq!(run.code, Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "content/access/teams.toml:{l}:{c}: error[translation-mismatch]"
        )),
        "{err}"
    );
    assert!(
        err.contains("`safeguards_en` has 1 text but `safeguards` has 3 safeguards"),
        "{err}"
    );
    assert!(err.contains("one English text per safeguard"), "{err}");
}

fn zip_entry(file: &Path, entry: &str) -> String {
    use std::io::Read;
    let f = fs::File::open(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(entry).unwrap().read_to_string(&mut s).unwrap();
    s
}
