//! `examples/gen_inventory.rs`: deterministic from its seed, and what it
//! writes is a valid project that `sovmap check` and `sovmap build` accept.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Builds the example once (debug) and returns its path.
fn generator() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--example", "gen_inventory"])
        .current_dir(REPO)
        .status()
        .expect("cargo build --example gen_inventory");
    assert!(status.success(), "building gen_inventory failed");
    let bin = assert_cmd::cargo::cargo_bin("sovmap");
    let dir = bin.parent().unwrap().join("examples");
    dir.join(format!("gen_inventory{}", std::env::consts::EXE_SUFFIX))
}

fn generate(bin: &Path, n: usize, seed: u64, out: &Path) {
    let o = Command::new(bin)
        .args(["--entities", &n.to_string(), "--seed", &seed.to_string()])
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "gen_inventory failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// sovmap on a generated project. Its timeout is 10 minutes rather than the
/// common one minute: a debug build of 1,000 generated entities took over a
/// minute on a loaded 2-core machine and was killed (the timeout is only
/// there so that a hang cannot stall the suite).
fn sovmap(args: &[&str], root: &Path) -> std::process::Output {
    common::sovmap()
        .timeout(std::time::Duration::from_secs(600))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn generated_inventory_is_deterministic_and_valid() {
    let bin = generator();
    let tmp = tempfile::tempdir().unwrap();
    for seed in [7u64, 20261115] {
        let a = tmp.path().join(format!("a-{seed}"));
        let b = tmp.path().join(format!("b-{seed}"));
        generate(&bin, 200, seed, &a);
        generate(&bin, 200, seed, &b);
        let (fa, fb) = (files(&a), files(&b));
        assert!(fa.len() > 10, "too few files: {}", fa.len());
        assert_eq!(
            fa.keys().collect::<Vec<_>>(),
            fb.keys().collect::<Vec<_>>(),
            "same seed, different file sets"
        );
        for (k, v) in &fa {
            assert!(fb[k] == *v, "same seed, {} differs", k.display());
        }

        let check = sovmap(&["check", "-q"], &a);
        assert_eq!(
            check.status.code(),
            Some(0),
            "check failed for seed {seed}:\n{}\n{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let out = tmp.path().join(format!("site-{seed}"));
        let build = sovmap(&["build", "-q", "--output", out.to_str().unwrap()], &a);
        assert_eq!(
            build.status.code(),
            Some(0),
            "build failed for seed {seed}:\n{}\n{}",
            String::from_utf8_lossy(&build.stdout),
            String::from_utf8_lossy(&build.stderr)
        );
        assert!(out.join("index.html").is_file());
        // Every flow on flows.html; on the publication page only those
        // leaving the EEA (some, not all); the map merges the markers of the
        // sites of a city (generated sites are in a few dozen cities).
        let declared: usize = fa
            .iter()
            .filter(|(k, _)| k.starts_with("content/flows"))
            .map(|(_, v)| String::from_utf8_lossy(v).matches("[[flow]]").count())
            .sum();
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        // Every flow on flows.html, or on its numbered pages when they are
        // too many for one page (issue 20, item 6).
        let numbered: Vec<PathBuf> = (1..)
            .map(|i| out.join(format!("flows.flows-{i}.html")))
            .take_while(|p| p.is_file())
            .collect();
        let listed: usize = if numbered.is_empty() {
            vec![out.join("flows.html")]
        } else {
            numbered
        }
        .iter()
        .map(|p| {
            fs::read_to_string(p)
                .unwrap()
                .matches("<tr id=\"flow-")
                .count()
        })
        .sum();
        assert_eq!(listed, declared);
        let leaving = index.matches("<tr id=\"flow-").count();
        assert!(leaving > 0 && leaving < declared, "{leaving} of {declared}");
        assert!(
            index.contains("sites à cet endroit"),
            "no merged site marker"
        );
    }
    // Different seeds give different projects.
    assert_ne!(
        fs::read(tmp.path().join("a-7/content/flows/flows-0000.toml")).unwrap(),
        fs::read(tmp.path().join("a-20261115/content/flows/flows-0000.toml")).unwrap()
    );
}

/// Pages are rendered in parallel (rayon): the site must be byte-identical
/// whatever the number of threads. A generated project has thousands of
/// pages, so the threads really interleave.
#[test]
fn parallel_build_is_byte_identical_to_a_single_threaded_one() {
    let bin = generator();
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    generate(&bin, 300, 11, &project);
    let mut sites = Vec::new();
    for threads in [Some("1"), None, Some("4")] {
        let out = tmp
            .path()
            .join(format!("site-{}", threads.unwrap_or("default")));
        // The same 10-minute timeout as `sovmap()` above: with one thread,
        // under load, the 60 s default killed this build (seen twice).
        let mut cmd = common::sovmap();
        cmd.timeout(std::time::Duration::from_secs(600));
        cmd.env_remove("RAYON_NUM_THREADS");
        if let Some(t) = threads {
            cmd.env("RAYON_NUM_THREADS", t);
        }
        let o = cmd
            .arg("--root")
            .arg(&project)
            .args(["build", "-q", "--output"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "build with {threads:?} threads failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        sites.push((threads, files(&out)));
    }
    let (_, single) = &sites[0];
    assert!(
        single
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count()
            > 500,
        "too few pages to exercise parallel rendering"
    );
    for (threads, site) in &sites[1..] {
        assert_eq!(
            single.keys().collect::<Vec<_>>(),
            site.keys().collect::<Vec<_>>(),
            "different file sets with {threads:?} threads"
        );
        for (path, bytes) in single {
            assert!(
                site[path] == *bytes,
                "{} differs between 1 and {threads:?} threads",
                path.display()
            );
        }
    }
}

/// Realistic proportions: a flow carries one service's data (or a few), so
/// a transfer concerns a handful of services, not all of them — otherwise
/// every service page would list every transfer and the output would grow
/// with the square of the inventory.
#[test]
fn generated_transfers_concern_a_few_services_each() {
    let bin = generator();
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    generate(&bin, 2000, 42, &project);
    let o = sovmap(&["check", "--format", "json"], &project);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let services = v["services"].as_object().unwrap().len();
    assert_eq!(services, 100, "N/20 services");
    let transfers = v["transfers"].as_array().unwrap();
    assert!(transfers.len() > 500, "{} transfers", transfers.len());
    let widest = transfers
        .iter()
        .map(|t| t["services"].as_array().unwrap().len())
        .max()
        .unwrap();
    // Unrestricted log shipping from a site carries every service whose
    // data arrives there: a few, never most of them.
    assert!(
        widest <= services / 4,
        "a transfer concerns {widest} of {services} services"
    );
    let total: usize = transfers
        .iter()
        .map(|t| t["services"].as_array().unwrap().len())
        .sum();
    assert!(
        total <= 4 * transfers.len(),
        "transfers concern {total} services in all"
    );
}

/// The site publishes each service's flow graph (computed for all services
/// at once); it must be the text `sovmap graph --service` prints for that
/// service, on a project with control chains and flows restricted to
/// services.
#[test]
fn site_service_graphs_match_the_graph_command() {
    let bin = generator();
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    generate(&bin, 400, 5, &project);
    let out = tmp.path().join("site");
    let build = sovmap(
        &["build", "-q", "--output", out.to_str().unwrap()],
        &project,
    );
    assert_eq!(build.status.code(), Some(0));
    let site = files(&out);
    let dots: Vec<(&PathBuf, &Vec<u8>)> = site
        .iter()
        .filter(|(p, _)| p.starts_with("services") && p.extension().is_some_and(|e| e == "dot"))
        .collect();
    assert!(dots.len() >= 10, "{} service graphs", dots.len());
    for (path, bytes) in dots.iter().step_by(3) {
        let id = path.file_stem().unwrap().to_str().unwrap();
        let o = sovmap(
            &["--lang", "fr", "graph", "--service", id, "--format", "dot"],
            &project,
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stdout == **bytes,
            "services/{id}.dot differs from `sovmap graph --service {id}`"
        );
        assert!(String::from_utf8_lossy(bytes).matches(" -> ").count() > 1);
    }
}

/// Generates a project of `n` entities under `dir` and builds it: the
/// site's folder and files.
fn generated_site(dir: &Path, n: usize) -> (PathBuf, BTreeMap<PathBuf, Vec<u8>>) {
    let project = dir.join("project");
    generate(&generator(), n, 42, &project);
    let out = dir.join("site");
    let o = sovmap(
        &["build", "-q", "--output", out.to_str().unwrap()],
        &project,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let site = files(&out);
    (out, site)
}

/// Issue 20 (6): no page grows with the whole inventory. At N = 1,000 the
/// home page, flows.html and the hub pages stay under the page budget; the
/// long tables keep their first rows and go whole to numbered pages beside
/// their page, every row on exactly one of them, every pager link resolving.
/// The contract annex too: its long tables continue on numbered pages that
/// together hold every row, while the canonical text, which the fingerprint
/// covers, stays whole.
#[test]
fn long_tables_go_to_numbered_pages_and_no_page_exceeds_1_mb() {
    use sha2::{Digest, Sha256};
    let tmp = tempfile::tempdir().unwrap();
    let (out, site) = generated_site(tmp.path(), 1000);
    // Every page (HTML, the map, the feed, the sitemap) under 1 MB: before
    // the contract annex was split, `annex/index.html` was 1.32 MB here
    // (13.6 MB at N = 10,000).
    let mut big: Vec<String> = site
        .iter()
        .filter(|(p, _)| {
            p.extension()
                .is_some_and(|e| e == "html" || e == "svg" || e == "xml")
        })
        .filter(|(_, b)| b.len() >= 1_000_000)
        .map(|(p, b)| format!("{} ({} bytes)", p.display(), b.len()))
        .collect();
    big.sort();
    assert!(big.is_empty(), "pages over 1 MB: {big:?}");
    let html = |p: &str| String::from_utf8(site[Path::new(p)].clone()).unwrap();
    let index = html("index.html");
    assert!(index.contains("<nav class=\"pager\""));
    // Every transfer row is on exactly one numbered page of the index.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("transfers.json")).unwrap()).unwrap();
    let n_transfers = json["transfers"].as_array().map_or(0, Vec::len);
    let pages: Vec<String> = site
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.starts_with("index.transfers-"))
        .collect();
    assert!(pages.len() >= 2, "{pages:?}");
    let rows: usize = pages
        .iter()
        .map(|p| html(p).matches("<tr id=\"transfer-").count())
        .sum();
    assert!(n_transfers > 0);
    assert_eq!(rows, n_transfers, "{pages:?}");
    // Pager links (relative to the page's folder) all exist.
    for (path, bytes) in &site {
        let p = path.to_string_lossy().into_owned();
        if !p.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let Some(start) = text.find("<nav class=\"pager\"") else {
            continue;
        };
        let nav = &text[start..start + text[start..].find("</nav>").unwrap()];
        let dir = path.parent().unwrap_or(Path::new(""));
        for part in nav.split("href=\"").skip(1) {
            let href = &part[..part.find('"').unwrap()];
            assert!(site.contains_key(&dir.join(href)), "{p}: {href}");
        }
    }
    // Numbered pages do not have the same number of pages in each language
    // (rows of another length): every "other language" link resolves.
    let mut broken = Vec::new();
    for (path, bytes) in &site {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let Some(i) = html.find("<li class=\"translation\"><a href=\"") else {
            continue;
        };
        let rest = &html[i + 33..];
        let href = &rest[..rest.find('"').unwrap()];
        if href.contains("://") {
            continue; // 404.html links absolute URLs
        }
        let mut target = path.parent().unwrap().to_path_buf();
        for part in href.split('/') {
            match part {
                ".." => {
                    target.pop();
                }
                p => target.push(p),
            }
        }
        if !site.contains_key(&target) {
            broken.push(format!("{} → {href}", path.display()));
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken: {:?}",
        broken.len(),
        &broken[..broken.len().min(5)]
    );

    for lang in ["", "en/"] {
        let page = |p: &str| String::from_utf8_lossy(&site[&PathBuf::from(p)]).into_owned();
        let index = page(&format!("{lang}annex/index.html"));
        // The index names the whole annex's fingerprint, which is the
        // SHA-256 of the published canonical text.
        let txt = &site[&PathBuf::from(format!("{lang}annex/index.txt"))];
        let hash = format!("{:x}", Sha256::digest(txt));
        let grouped = hash
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(index.contains(&grouped), "{lang}: fingerprint not shown");
        // It links each service's annex.
        for s in ["svc0000", "svc0049"] {
            assert!(
                index.contains(&format!("href=\"{s}.html\"")),
                "{lang}: no link to {s}"
            );
        }
        // The transfers table (section 3): a few rows on the index, every
        // row on its numbered pages, each linked from the index.
        let parts: Vec<String> = (1..)
            .map(|i| format!("{lang}annex/index.table3-{i}.html"))
            .take_while(|p| site.contains_key(&PathBuf::from(p)))
            .collect();
        assert!(!parts.is_empty(), "{lang}: transfers not on numbered pages");
        for p in &parts {
            let name = p.rsplit('/').next().unwrap();
            assert!(
                index.contains(&format!("href=\"{name}\"")),
                "{lang}: {name}"
            );
        }
        let rows = |html: &str| {
            let start = html.find("<tbody>").unwrap();
            let end = html[start..].find("</tbody>").unwrap() + start;
            html[start..end].matches("<tr>").count()
        };
        let listed: usize = parts.iter().map(|p| rows(&page(p))).sum();
        let on_index = rows(&index[index.find("id=\"annex-3\"").unwrap()..]);
        assert!(on_index > 0 && on_index < listed, "{on_index} of {listed}");
        // As many rows as the canonical text has transfers.
        let text = String::from_utf8_lossy(txt);
        let start = text.find("\n## 2. ").unwrap();
        let end = text[start..].find("\n## 3. ").unwrap() + start;
        let declared = text[start..end].matches("\n* ").count();
        assert!(declared > 0, "no transfer found in the canonical text");
        assert_eq!(listed, declared, "{lang}: transfers listed");
    }
}
