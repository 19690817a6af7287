//! `sovmap build`: the binary on a copy of the example project and on small
//! fixture projects (tests/fixtures/build/).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, sovmap};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary copy of the example project (sovmap.toml + content/).
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        Path::new(REPO).join("sovmap.toml"),
        dir.path().join("sovmap.toml"),
    )
    .unwrap();
    copy_dir(
        &Path::new(REPO).join("content"),
        &dir.path().join("content"),
    );
    dir
}

fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(REPO).join("tests/fixtures/build").join(name),
        dir.path(),
    );
    dir
}

/// Every file under `dir`, by relative path with `/`.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn build(root: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    sovmap()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
    read_tree(out)
}

fn html_files(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&str, String> {
    tree.iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), String::from_utf8(b.clone()).unwrap()))
        .collect()
}

/// Values of `attr="…"` in an HTML text (attribute values are always quoted
/// with `"` in the generated pages).
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        if let Some(j) = rest.find('"') {
            out.push(rest[..j].replace("&amp;", "&"));
            rest = &rest[j..];
        }
    }
    out
}

/// Resolve `href` relative to the page at `page` (both site-relative).
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every internal link and stylesheet of every page resolves to a generated
/// file, and every `#anchor` to an `id` in it; no page gives one `id` to two
/// elements (a link to it would land on the first).
fn check_links(tree: &BTreeMap<String, Vec<u8>>) {
    let pages = html_files(tree);
    let mut duplicates = Vec::new();
    for (page, html) in &pages {
        let mut seen = BTreeSet::new();
        for id in attr_values(html, "id") {
            if !seen.insert(id.clone()) {
                duplicates.push(format!("{page}: id `{id}`"));
            }
        }
    }
    assert!(
        duplicates.is_empty(),
        "duplicate ids:\n{}",
        duplicates.join("\n")
    );
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(p, h)| (*p, attr_values(h, "id").into_iter().collect()))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        let mut links = attr_values(html, "href");
        links.extend(attr_values(html, "src"));
        for href in links {
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
                || href.starts_with("data:")
            {
                continue;
            }
            let (path, frag) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href.as_str(), None),
            };
            let target = if path.is_empty() {
                (*page).to_string()
            } else {
                resolve(page, path)
            };
            if !tree.contains_key(&target) {
                broken.push(format!("{page}: {href} → missing {target}"));
                continue;
            }
            if let Some(f) = frag
                && !ids.get(target.as_str()).is_some_and(|s| s.contains(f))
            {
                broken.push(format!("{page}: {href} → no id `{f}` in {target}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn example_builds_with_expected_files_and_sound_links() {
    let dir = example();
    let out = dir.path().join("site");
    sovmap()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .success();
    let tree = read_tree(&out);
    for f in [
        "index.html",
        "en/index.html",
        "404.html",
        "annex/index.html",
        "en/annex/index.html",
        "annex/dossier-patient.html",
        "en/annex/postgresql.html",
        "actors/hexasante.html",
        "actors/stratus-inc.html",
        "en/actors/hexasante-holding.html",
        "services/imagerie.html",
        "en/services/dossier-patient.html",
        "measures/bastion-acces-distants.html",
        "pages/contact.html",
        "en/pages/contact.html",
        "transfers.json",
        "transfers.schema.json",
        "transfers.csv",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
    ] {
        assert!(tree.contains_key(f), "missing {f}");
    }
    let pages = html_files(&tree);
    let index = &pages["index.html"];
    assert!(index.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(pages["en/index.html"].contains("<html lang=\"en\">"));
    assert!(index.contains("default-src 'none'; style-src 'self'; img-src 'self' data:"));
    assert!(index.contains("href=\"en/index.html\""), "translation link");
    assert!(index.contains("Valable à compter du 15 novembre 2026"));
    assert!(pages["en/index.html"].contains("Valid from 15 November 2026"));
    // Activity numbers always come with their names.
    assert!(index.contains("3° infrastructure virtuelle"));
    assert!(pages["en/index.html"].contains("3° virtual infrastructure"));
    // The chapter 8 table points at the risk table rows.
    assert!(index.contains("href=\"#risk-stratus-fr-US\""));
    assert!(index.contains("id=\"risk-stratus-fr-US\""));
    // Each service page links its flow graph, published beside it in the
    // page's language; the service's graph keeps the US parent of its
    // infrastructure provider and marks it outside the EEA.
    let svc = &pages["services/dossier-patient.html"];
    assert!(svc.contains("href=\"dossier-patient.dot\""), "graph link");
    assert!(svc.contains("href=\"dossier-patient.mmd\""), "graph link");
    let dot = String::from_utf8_lossy(&tree["services/dossier-patient.dot"]).into_owned();
    assert!(dot.starts_with("digraph sovmap {"), "{dot}");
    assert!(dot.contains("Stratus Cloud Inc."), "{dot}");
    assert!(
        dot.contains("États-Unis"),
        "French page, French names: {dot}"
    );
    let mmd = String::from_utf8_lossy(&tree["en/services/dossier-patient.mmd"]).into_owned();
    assert!(mmd.starts_with("flowchart LR"), "{mmd}");
    assert!(mmd.contains("United States (US)"), "{mmd}");
    assert!(mmd.contains("thirdcountry"), "{mmd}");
    // The annex prints its hash.
    let annex = &pages["annex/index.html"];
    assert!(annex.contains("SHA-256"));
    // No external resources.
    for (p, h) in &pages {
        assert!(!h.contains("<script"), "{p} has a script");
        if *p == "404.html" {
            // Absolute links to the site's own address (base_url), by design.
            continue;
        }
        for src in attr_values(h, "src") {
            assert!(!src.starts_with("http"), "{p} loads {src}");
        }
        assert!(!h.contains("rel=\"stylesheet\" href=\"http"), "{p}");
    }
    check_links(&tree);
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = example();
    let a = build(dir.path(), &dir.path().join("a"));
    let b = build(dir.path(), &dir.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
    // Rebuilding over an existing site replaces it and leaves no temporary folder.
    let c = build(dir.path(), &dir.path().join("a"));
    assert_eq!(a, c);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A rebuild reuses (hard-links) the previous site's unchanged files: after
/// a change it must still equal a fresh build, and the previous site's files
/// must not be altered through the links before they are dropped.
#[test]
fn rebuild_after_a_change_equals_a_fresh_build() {
    let dir = example();
    let site = dir.path().join("site");
    let before = build(dir.path(), &site);
    // Keep a name on the previous site's index: it must keep its old bytes.
    let kept = dir.path().join("kept-index.html");
    fs::hard_link(site.join("index.html"), &kept).unwrap();
    let config = dir.path().join("sovmap.toml");
    let text = fs::read_to_string(&config).unwrap();
    let renamed = text.replacen("name = \"", "name = \"Renamed ", 1);
    assert_ne!(text, renamed, "the example's sovmap.toml has a name");
    fs::write(&config, renamed).unwrap();
    let rebuilt = build(dir.path(), &site);
    let fresh = build(dir.path(), &dir.path().join("fresh"));
    assert_eq!(
        rebuilt.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (k, v) in &fresh {
        assert!(
            v == &rebuilt[k],
            "{k} differs between a rebuild and a fresh build"
        );
    }
    assert_ne!(before["index.html"], rebuilt["index.html"]);
    assert_eq!(fs::read(&kept).unwrap(), before["index.html"]);
}

#[test]
fn annex_hash_is_stable_and_printed() {
    let dir = example();
    let a = build(dir.path(), &dir.path().join("a"));
    let html = String::from_utf8(a["annex/index.html"].clone()).unwrap();
    // Printed in groups of four (16 groups, 15 spaces).
    let start = html.find("<code class=\"hash\">").unwrap() + 19;
    let hash = html[start..start + 79].replace(' ', "");
    let hash = hash.as_str();
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
    // The index lists the same hash.
    let index = String::from_utf8(a["index.html"].clone()).unwrap();
    assert!(index.contains(hash));
    // The French and English annexes are different texts, hence hashes.
    let en = String::from_utf8(a["en/annex/index.html"].clone()).unwrap();
    assert!(!en.contains(hash));
}

#[test]
fn hostile_strings_are_escaped_and_sanitised() {
    let dir = fixture("hostile");
    let tree = build(dir.path(), &dir.path().join("site"));
    let pages = html_files(&tree);
    assert!(pages.len() > 5);
    for (p, h) in &pages {
        assert!(
            !h.to_lowercase().contains("<script"),
            "{p} contains <script"
        );
        // Plain-text fields may mention `javascript:` (escaped text); no
        // link may use it.
        for v in attr_values(h, "href")
            .into_iter()
            .chain(attr_values(h, "src"))
            .chain(attr_values(h, "action"))
        {
            assert!(
                !v.trim().to_lowercase().starts_with("javascript:"),
                "{p} links to {v}"
            );
        }
        assert!(
            !h.contains("\" onmouseover=\""),
            "{p} has an injected attribute"
        );
        assert!(!h.contains("<img src=x onerror"), "{p} has an injected img");
        assert!(!h.contains("<svg onload"), "{p} has an injected svg");
        assert!(!h.contains(" onclick=\""), "{p} has an onclick");
    }
    let measure = &pages["measures/evil.html"];
    // The Markdown links to `javascript:` are dropped entirely.
    assert!(!measure.contains("javascript:"), "{measure}");
    assert!(!pages["pages/about.html"].contains("javascript:"));
    assert!(measure.contains("<h2 id=\"heading\">"), "heading id kept");
    check_links(&tree);
}

#[test]
fn failing_project_exits_1_and_leaves_the_previous_site() {
    let dir = fixture("failing");
    let site = dir.path().join("site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join(".sovmap-site"), "previous\n").unwrap();
    fs::write(site.join("index.html"), "previous site").unwrap();
    let out = sovmap()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("EXI28-STORAGE-OUTSIDE-EEA"), "{stdout}");
    assert_eq!(
        fs::read_to_string(site.join("index.html")).unwrap(),
        "previous site"
    );
    assert_eq!(read_tree(&site).len(), 2);
    // --deny never publishes anyway.
    sovmap()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .args(["--deny", "never"])
        .assert()
        .success();
    assert!(site.join("transfers.json").is_file());
}

#[test]
fn invalid_input_exits_2_and_writes_nothing() {
    let dir = example();
    fs::write(
        dir.path().join("content/entities/broken.toml"),
        "[[entity]]\nid = \"x\"\nlegal_name = 3\n",
    )
    .unwrap();
    sovmap()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(!dir.path().join("site").exists());
}

#[test]
fn dangerous_output_folders_are_refused() {
    let dir = example();
    let root = dir.path();
    let before = read_tree(root);
    for out in [
        PathBuf::from("."),
        PathBuf::from("content"),
        PathBuf::from("content/entities"),
        PathBuf::from(".."),
        PathBuf::from("/"),
    ] {
        let o = sovmap()
            .current_dir(root)
            .arg("build")
            .args(["--output"])
            .arg(&out)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("refusing"), "{}: {err}", out.display());
    }
    // A non-empty folder that sovmap did not write.
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::write(root.join("docs/notes.txt"), "mine").unwrap();
    sovmap()
        .current_dir(root)
        .arg("build")
        .args(["--output", "docs"])
        .assert()
        .code(2);
    assert_eq!(
        fs::read_to_string(root.join("docs/notes.txt")).unwrap(),
        "mine"
    );
    let mut after = read_tree(root);
    after.remove("docs/notes.txt");
    assert_eq!(before, after, "the project was modified");
}

#[test]
fn every_declaration_appears_in_the_outputs() {
    let dir = example();
    let tree = build(dir.path(), &dir.path().join("site"));
    let (checked, _) =
        sovmap::check_project(dir.path(), None).unwrap_or_else(|_| panic!("the example is valid"));
    let p = &checked.project;
    let json = String::from_utf8(tree["transfers.json"].clone()).unwrap();
    let pages = html_files(&tree);
    let ids = p
        .entities
        .keys()
        .chain(p.sites.keys())
        .chain(p.flows.keys())
        .chain(p.access_paths.keys());
    for id in ids {
        assert!(
            pages.values().any(|h| h.contains(id.as_str())),
            "{id} on no HTML page"
        );
        assert!(
            json.contains(&format!("\"{id}\"")),
            "{id} not in transfers.json"
        );
    }
    // Where each one is listed, in both languages: every site and access
    // path has its row on the publication page, every flow on flows.html,
    // and the flows leaving the EEA (the source of a flow transfer) also on
    // the publication page.
    for prefix in ["", "en/"] {
        let index = &pages[format!("{prefix}index.html").as_str()];
        let flows = &pages[format!("{prefix}flows.html").as_str()];
        for id in p.sites.keys() {
            assert!(index.contains(&format!("id=\"site-{id}\"")), "site {id}");
        }
        for id in p.access_paths.keys() {
            assert!(
                index.contains(&format!("id=\"access-{id}\"")),
                "access {id}"
            );
        }
        for id in p.flows.keys() {
            assert!(flows.contains(&format!("id=\"flow-{id}\"")), "flow {id}");
        }
        let leaving: Vec<&str> = checked
            .analysis
            .transfers
            .iter()
            .filter(|t| t.kind == sovmap::analysis::TransferKind::Flow)
            .map(|t| t.source.as_str())
            .collect();
        // (none in the example: tests/generator.rs covers flows that leave)
        for id in p.flows.keys() {
            assert_eq!(
                index.contains(&format!("id=\"flow-{id}\"")),
                leaving.contains(&id.as_str()),
                "flow {id} on the index if and only if it leaves the EEA"
            );
        }
        let link = if prefix.is_empty() {
            "flows.html"
        } else {
            "../en/flows.html"
        };
        assert!(
            index.contains(&format!("href=\"{link}\"")),
            "the index links to flows.html"
        );
    }
}

#[test]
fn project_templates_shadow_the_theme() {
    let dir = example();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>custom {{ page.provider }}</p>{% endblock content %}",
    )
    .unwrap();
    let tree = build(dir.path(), &dir.path().join("site"));
    let html = String::from_utf8(tree["404.html"].clone()).unwrap();
    assert!(html.contains("<p>custom Hexagone Santé</p>"), "{html}");
    // A broken template is invalid input: exit 2, the site is untouched.
    fs::write(dir.path().join("templates/index.html"), "{% if %}").unwrap();
    sovmap()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(2);
    assert_eq!(read_tree(&dir.path().join("site")), tree);
}

#[test]
fn a_row_template_draws_the_rows_of_every_page_that_lists_them() {
    let dir = example();
    fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
    fs::write(
        dir.path().join("templates/partials/flow_row.html"),
        "<tr data-row=\"{{ f.id }}\"><td>{{ t.col_flow }}|{{ f.from.href }}</td></tr>\n\n",
    )
    .unwrap();
    let tree = build(dir.path(), &dir.path().join("site"));
    let pages = html_files(&tree);
    // The same row, once per language and depth: links relative to the page.
    for (page, text) in [
        ("flows.html", "Flux|index.html#site-sxb1"),
        (
            "services/dossier-patient.html",
            "Flux|../index.html#site-sxb1",
        ),
        ("en/flows.html", "Flow|../en/index.html#site-sxb1"),
        (
            "en/services/dossier-patient.html",
            "Flow|../../en/index.html#site-sxb1",
        ),
    ] {
        let html = &pages[page];
        let row = html
            .split("<tr data-row=\"dpi-replication\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{page}: no row of the shadowed template"));
        assert!(row.starts_with(&format!("<td>{text}")), "{page}: {row:.80}");
        // Trailing whitespace of a row is dropped.
        assert!(!html.contains("</tr>\n\n"), "{page}");
    }
    // A row template that fails is a template error: exit 2, site untouched,
    // and the message names the template.
    fs::write(
        dir.path().join("templates/partials/flow_row.html"),
        "<tr><td>{{ f.no_such_field.deeper }}</td></tr>",
    )
    .unwrap();
    let out = sovmap()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("partials/flow_row.html"), "{stderr}");
    assert_eq!(read_tree(&dir.path().join("site")), tree);
}

#[test]
fn parent_company_page_shows_the_exposure_it_causes() {
    // Stratus Cloud Inc. (US) controls Stratus Cloud France SAS: the exposure
    // is recorded on the subsidiary, and must also appear on the parent's page.
    let root = example();
    let out = root.path().join("site");
    let tree = build(root.path(), &out);
    let pages = html_files(&tree);
    let parent = &pages["actors/stratus-inc.html"];
    assert!(
        parent.contains("CLOUD Act"),
        "no US law on the parent's page"
    );
    assert!(parent.contains("Stratus Cloud France SAS"));
    // The page's own content: the notes on the adequacy decisions at its end
    // quote the DPF's status note, which names the CLOUD Act.
    let unrelated = &pages["actors/alsace-dc.html"];
    let unrelated = &unrelated[..unrelated
        .find("<section id=\"notes\"")
        .unwrap_or(unrelated.len())];
    assert!(!unrelated.contains("CLOUD Act"));
}

/// Issue 20 (1): the home page of each language opens with the answer —
/// what leaves the EEA, which foreign laws reach the data through whom, the
/// form of the page — before the map, and the map before the details; the
/// provider's table of actors is there once, the services' on their pages.
#[test]
fn home_page_answers_first() {
    let project = example();
    let out = tempfile::tempdir().unwrap();
    let tree = build(project.path(), &out.path().join("site"));
    let pages = html_files(&tree);
    for (page, headline, us, no_scope_in_cells) in [
        (
            "index.html",
            "2 transferts de données de santé quittent l&#39;EEE, vers 2 pays.",
            "<strong>États-Unis</strong>",
            "Uniquement les destinataires soumis",
        ),
        (
            "en/index.html",
            "2 transfers of health data leave the EEA, to 2 countries.",
            "<strong>United States</strong>",
            "Only recipients subject",
        ),
    ] {
        let html = &pages[page];
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{page}: no {needle}"))
        };
        let summary = at("<section id=\"summary\"");
        assert!(summary < at("<section id=\"map\""), "{page}: summary first");
        assert!(at("<section id=\"map\"") < at("<section id=\"provider\""));
        assert!(at("<section id=\"map\"") < at("<table class=\"actors\""));
        let summary_html = &html[summary..at("<section id=\"map\"")];
        assert!(summary_html.contains(headline), "{page}: {summary_html}");
        // The US exposure comes from a parent company: named with the
        // actor it reaches the data through.
        let us_line = summary_html
            .lines()
            .find(|l| l.contains(us))
            .unwrap_or_else(|| panic!("{page}: no US line in {summary_html}"));
        assert!(us_line.contains("CLOUD Act"), "{us_line}");
        assert!(us_line.contains("Stratus Cloud France SAS"), "{us_line}");
        assert!(us_line.contains("Stratus Cloud Inc."), "{us_line}");
        assert!(summary_html.contains("(forme 3)") || summary_html.contains("(form 3)"));
        // One actors table (the provider's), none per service.
        assert_eq!(html.matches("<table class=\"actors\"").count(), 1, "{page}");
        // The partial decision's scope is said once, in the notes.
        assert_eq!(html.matches(no_scope_in_cells).count(), 1, "{page}");
        assert!(html.contains("<section id=\"notes\""), "{page}");
        // The map file linked from the page is published.
        assert!(html.contains("map.svg\" type=\"image/svg+xml\""), "{page}");
        let map = page.replace("index.html", "map.svg");
        assert!(tree.contains_key(&map), "{map}");
    }
    // Each service's table of actors is on its page.
    assert_eq!(
        pages["services/postgresql.html"]
            .matches("<table class=\"actors\"")
            .count(),
        1
    );
}

/// A project with nothing leaving the EEA says so first.
#[test]
fn home_page_of_a_project_without_transfer_says_so_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    sovmap().arg("init").arg(&root).assert().success();
    let tree = build(&root, &dir.path().join("site"));
    let pages = html_files(&tree);
    let html = &pages["index.html"];
    let summary = &html
        [html.find("<section id=\"summary\"").unwrap()..html.find("<section id=\"map\"").unwrap()];
    assert!(
        summary.contains("Aucune donnée de santé ne quitte l&#39;EEE"),
        "{summary}"
    );
    assert!(summary.contains("(forme 2)"), "{summary}");
    assert!(summary.contains("class=\"statement\""), "{summary}");
}

/// Issue 20 (3): 404.html loads nothing (its stylesheet is inlined and
/// allowed by hash), every other page names its versions in every language
/// with absolute addresses, a self link and x-default, and every scrollable
/// table region can be reached and is named.
#[test]
fn pages_are_self_contained_and_announce_their_languages() {
    let project = example();
    let out = tempfile::tempdir().unwrap();
    let tree = build(project.path(), &out.path().join("site"));
    let pages = html_files(&tree);
    let site = "https://transparence.hexasante.example/";
    let css = String::from_utf8(tree["static/style.css"].clone()).unwrap();

    let not_found = &pages["404.html"];
    assert!(!not_found.contains("rel=\"stylesheet\""), "{not_found}");
    assert!(not_found.contains(&format!("<style>{css}</style>")));
    assert!(not_found.contains("style-src 'self' 'sha256-"));
    assert_eq!(attr_values(not_found, "src"), Vec::<String>::new());

    for (path, html) in &pages {
        if *path == "404.html" {
            continue;
        }
        let alternates: Vec<&str> = html
            .lines()
            .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
            .collect();
        let en = path.strip_prefix("en/").unwrap_or(path);
        assert_eq!(
            alternates,
            [
                format!("<link rel=\"alternate\" hreflang=\"fr\" href=\"{site}{en}\">"),
                format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{site}en/{en}\">"),
                format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{site}{en}\">"),
            ],
            "{path}"
        );
        // The annexes' HTML (render/annex, not the theme's partials) too.
        for (i, _) in html.match_indices("class=\"table-wrap\"") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains("role=\"region\"")
                    && tag.contains("tabindex=\"0\"")
                    && tag.contains("aria-label=\""),
                "{path}: {tag}"
            );
        }
    }
}

/// Issue 20 (3): the focus ring is at least 3:1 against the page and the
/// tinted blocks it can sit on (WCAG 1.4.11); it was 2.08:1.
#[test]
fn focus_ring_contrast_is_at_least_3_to_1() {
    let css = fs::read_to_string(Path::new(REPO).join("themes/default/static/style.css")).unwrap();
    let var = |name: &str| -> [f64; 3] {
        let at = css.find(&format!("{name}: #")).unwrap() + name.len() + 3;
        let hex = &css[at..at + 6];
        let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
        [c(0), c(2), c(4)]
    };
    let luminance = |[r, g, b]: [f64; 3]| {
        let lin = |c: f64| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    };
    let ratio = |a: [f64; 3], b: [f64; 3]| {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    };
    assert!(css.contains(":focus-visible { outline: 3px solid var(--focus)"));
    let focus = var("--focus");
    for bg in [[1.0, 1.0, 1.0], var("--bg-alt")] {
        let r = ratio(focus, bg);
        assert!(r >= 3.0, "focus ring {r:.2}:1");
    }
}
