//! Hostile project folders: symbolic links leading out of the project,
//! special files, dangling links (issue 15). FIFOs and links are created by
//! the tests at run time (git would not carry them faithfully).
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use common::{check, check_json, copy_example, sovmap};

const SECRET: &str = "TOP-SECRET-LINE-42";

/// A copy of the example in `t/p`, and a secret file beside it (outside the
/// project) at `t/secret.toml`.
fn project(t: &Path) -> std::path::PathBuf {
    let root = t.join("p");
    fs::create_dir_all(&root).expect("mkdir");
    copy_example(&root);
    fs::write(
        t.join("secret.toml"),
        format!("[[entity]]\nid = \"{SECRET}\"\nlegal_name = \"{SECRET}\"\n"),
    )
    .expect("write secret");
    fs::write(
        t.join("secret.md"),
        format!("+++\ntitle = \"{SECRET}\"\n+++\n{SECRET}\n"),
    )
    .expect("write secret");
    root
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// `build` into `t/site`: exit code, stderr; asserts nothing was written.
fn build_fails(root: &Path, t: &Path) -> String {
    let site = t.join("site");
    let out = sovmap()
        .args(["build", "--color", "never", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&site)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!site.exists(), "nothing is written on failure");
    stderr
}

/// `build` into `t/site`, which must succeed; the site folder.
fn build_ok(root: &Path, t: &Path) -> std::path::PathBuf {
    let site = t.join("site");
    let built = sovmap()
        .args(["build", "-q", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&site)
        .output()
        .expect("run");
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    site
}

fn codes(root: &Path) -> Vec<(String, Option<String>, String)> {
    let (code, report) = check_json(root);
    assert_eq!(code, Some(2), "{report:?}");
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.short_code().to_string(),
                d.file.clone(),
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn a_symlinked_file_leading_out_of_the_project_is_an_error_naming_the_link() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    symlink(
        t.path().join("secret.toml"),
        root.join("content/entities/x.toml"),
    )
    .expect("link");
    symlink(
        t.path().join("secret.md"),
        root.join("content/pages/leak.md"),
    )
    .expect("link");
    // A link through a folder on the way out.
    symlink(t.path(), root.join("content/up")).expect("link");

    let text = check(&root, &[]);
    assert_eq!(text.code, Some(2), "{}", text.stderr);
    assert!(!text.stderr.contains(SECRET), "{}", text.stderr);
    assert!(!text.stdout.contains(SECRET));
    assert!(
        text.stderr.contains("content/entities/x.toml")
            && text.stderr.contains("leads outside the project"),
        "{}",
        text.stderr
    );
    let json = check(&root, &["--format", "json"]);
    assert!(!json.stdout.contains(SECRET) && !json.stderr.contains(SECRET));

    let got = codes(&root);
    let links: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|(c, f, _)| (c.as_str(), f.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            ("symlink-outside", Some("content/entities/x.toml")),
            ("symlink-outside", Some("content/pages/leak.md")),
            ("symlink-outside", Some("content/up")),
        ],
        "{got:?}"
    );
    let stderr = build_fails(&root, t.path());
    assert!(!stderr.contains(SECRET));
}

#[test]
fn a_symlink_inside_the_project_is_followed() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    fs::create_dir_all(root.join("shared")).expect("mkdir");
    fs::rename(
        root.join("content/pages/contact.md"),
        root.join("shared/contact.md"),
    )
    .expect("move");
    symlink(
        "../../shared/contact.md",
        root.join("content/pages/contact.md"),
    )
    .expect("link");
    let run = check(&root, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn fifos_and_sockets_are_refused_without_blocking() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    mkfifo(&root.join("content/entities/pipe.toml"));
    mkfifo(&root.join("content/measures/pipe.md"));
    let _socket = std::os::unix::net::UnixListener::bind(root.join("content/sites/sock.toml"))
        .expect("bind socket");
    // A link (inside the project) to a FIFO is refused too.
    symlink("pipe.toml", root.join("content/entities/to-pipe.toml")).expect("link");

    let got = codes(&root);
    let found: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|(c, f, _)| (c.as_str(), f.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("special-file", Some("content/entities/pipe.toml")),
            ("special-file", Some("content/entities/to-pipe.toml")),
            ("special-file", Some("content/measures/pipe.md")),
            ("special-file", Some("content/sites/sock.toml")),
        ],
        "{got:?}"
    );
    assert!(got[0].2.contains("FIFO"), "{got:?}");
    assert!(got[3].2.contains("socket"), "{got:?}");
    build_fails(&root, t.path());
}

#[test]
fn a_dangling_symlink_is_reported() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    symlink("gone.toml", root.join("content/entities/dangling.toml")).expect("link");
    let got = codes(&root);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "dangling-symlink");
    assert_eq!(got[0].1.as_deref(), Some("content/entities/dangling.toml"));
}

#[test]
fn sovmap_toml_and_content_may_not_be_links_out_or_special_files() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    fs::rename(root.join("sovmap.toml"), t.path().join("sovmap.toml")).expect("move");
    symlink(t.path().join("sovmap.toml"), root.join("sovmap.toml")).expect("link");
    fs::rename(root.join("content"), t.path().join("content")).expect("move");
    symlink(t.path().join("content"), root.join("content")).expect("link");
    let got = codes(&root);
    let found: Vec<&str> = got.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(found, ["symlink-outside", "symlink-outside"], "{got:?}");

    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    fs::remove_file(root.join("sovmap.toml")).expect("rm");
    mkfifo(&root.join("sovmap.toml"));
    let got = codes(&root);
    assert_eq!(got[0].0, "special-file", "{got:?}");
}

#[test]
fn named_files_follow_the_same_rules() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    // publication: a link out; previous: a FIFO; theme: unknown.
    fs::create_dir_all(root.join("providers")).expect("mkdir");
    symlink(
        t.path().join("secret.toml"),
        root.join("providers/transfers.json"),
    )
    .expect("link");
    let ent = root.join("content/entities/subcontractors.toml");
    let mut text = fs::read_to_string(&ent).expect("read");
    text.push_str(
        "\n[[entity]]\nid = \"prov\"\nlegal_name = \"Prov SAS\"\ncountry = \"FR\"\npublication = \"providers/transfers.json\"\n",
    );
    fs::write(&ent, text).expect("write");
    mkfifo(&root.join("previous.json"));
    fs::create_dir_all(root.join("themes/sobre/templates")).expect("mkdir");
    fs::create_dir_all(root.join("themes/clair")).expect("mkdir");
    let cfg = root.join("sovmap.toml");
    let text = fs::read_to_string(&cfg).expect("read").replacen(
        "notice_days = 30",
        "notice_days = 30\nprevious = \"previous.json\"\ntheme = \"sombre\"",
        1,
    );
    fs::write(&cfg, text).expect("write");
    // A template and a static file leading out.
    fs::create_dir_all(root.join("templates")).expect("mkdir");
    symlink(t.path().join("secret.md"), root.join("templates/page.html")).expect("link");
    fs::create_dir_all(root.join("static")).expect("mkdir");
    symlink("/etc/hostname", root.join("static/host.txt")).expect("link");

    let (code, report) = check_json(&root);
    assert_eq!(code, Some(2));
    let got: Vec<(String, Option<String>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.short_code().to_string(), d.file.clone()))
        .collect();
    let want: Vec<(String, Option<String>)> = [
        ("bad-publication", "content/entities/subcontractors.toml"),
        ("bad-previous", "sovmap.toml"),
        ("unknown-theme", "sovmap.toml"),
        ("symlink-outside", "static/host.txt"),
        ("symlink-outside", "templates/page.html"),
    ]
    .iter()
    .map(|(c, f)| (c.to_string(), Some(f.to_string())))
    .collect();
    let mut sorted = got.clone();
    sorted.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(sorted, want_sorted, "{report:?}");
    let theme = report
        .diagnostics
        .iter()
        .find(|d| d.short_code() == "unknown-theme")
        .expect("theme");
    assert_eq!(
        theme.help.as_deref(),
        Some(
            "themes in this project: `clair`, `sobre`; or remove `theme` to use the built-in look"
        )
    );
    let publication = report
        .diagnostics
        .iter()
        .find(|d| d.short_code() == "bad-publication")
        .expect("publication");
    assert!(
        publication.message.contains("leads outside the project"),
        "{publication:?}"
    );
    let stderr = build_fails(&root, t.path());
    assert!(!stderr.contains(SECRET));
}

// ---------------------------------------------------------------------------
// Control and bidirectional characters never reach a terminal raw
// ---------------------------------------------------------------------------

/// ESC (clear screen, set title), BEL, NUL, CR, DEL, a C1 control and a
/// right-to-left override, as a TOML basic string writes them.
const HOSTILE_TOML: &str = r"Evil\u001b[2J\u001b]0;pwned\u0007\u0000\rX\u007f\u0085\u202eL";
/// The same characters, raw.
const HOSTILE: &str = "Evil\u{1b}[2J\u{1b}]0;pwned\u{7}\u{0}\rX\u{7f}\u{85}\u{202e}L";

fn raw_unsafe(s: &str) -> Option<char> {
    s.chars().find(|&c| sovmap::visible::is_unsafe(c))
}

fn assert_clean(what: &str, s: &str) {
    if let Some(c) = raw_unsafe(s) {
        panic!("{what}: raw {c:?} in\n{s}");
    }
}

/// The example with an entity renamed to hostile text, and a file whose
/// broken line holds raw control characters (quoted by the syntax error).
fn hostile_project(t: &Path) -> std::path::PathBuf {
    let root = project(t);
    let ent = root.join("content/entities/subcontractors.toml");
    let text = fs::read_to_string(&ent).expect("read");
    let i = text.find("legal_name = \"").expect("a legal_name") + "legal_name = \"".len();
    let text = format!("{}{HOSTILE_TOML} {}", &text[..i], &text[i..]);
    fs::write(&ent, text).expect("write");
    let cfg = root.join("sovmap.toml");
    let text = fs::read_to_string(&cfg).expect("read").replacen(
        "name = \"",
        &format!("name = \"{HOSTILE_TOML} "),
        1,
    );
    fs::write(&cfg, text).expect("write");
    root
}

#[test]
fn check_verify_and_graph_print_no_raw_control_character() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = hostile_project(t.path());
    for args in [
        vec!["check", "-v"],
        vec!["verify"],
        vec!["graph"],
        vec!["graph", "--format", "mermaid"],
        vec!["check", "--color", "always"],
    ] {
        let out = sovmap()
            .args(&args)
            .arg("--root")
            .arg(&root)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{args:?}: {stderr}"
        );
        assert!(
            stdout.contains("\\u{1b}") || args[0] == "graph" || args[0] == "verify",
            "{args:?}: the name is shown, made visible:\n{stdout}"
        );
        if args.contains(&"always") {
            // sovmap's own colours are kept, the name's sequences are not.
            assert!(stdout.contains("\u{1b}["), "colours kept");
            assert!(!stdout.contains("\u{1b}[2J") && !stdout.contains("\u{1b}]0;"));
            continue;
        }
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
    }

    // A syntax error quoting a line with raw control characters, and a
    // value with them in a message.
    fs::write(
        root.join("content/entities/raw.toml"),
        format!("# {HOSTILE}\n[[entity]]\nid = \"{HOSTILE_TOML}\"\n"),
    )
    .expect("write");
    let run = check(&root, &[]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("\\u{1b}"), "{}", run.stderr);
    assert_clean("check stderr", &run.stderr);
    assert_clean("check stdout", &run.stdout);
    // JSON escapes them as JSON does.
    let json = check(&root, &["--format", "json"]);
    assert!(!json.stdout.contains('\u{1b}') && !json.stdout.contains('\u{0}'));
    assert!(json.stdout.contains("\\u001b"), "{}", json.stdout);
}

#[test]
fn diff_and_review_print_no_raw_control_character_from_a_publication() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    let site = build_ok(&root, t.path());
    let old = site.join("transfers.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&old).expect("read")).expect("json");
    doc["provider"]["name"] = serde_json::Value::from(HOSTILE);
    for e in doc["entities"].as_array_mut().expect("entities") {
        e["legal_name"] = serde_json::Value::from(format!("{HOSTILE} {}", e["legal_name"]));
    }
    let new = t.path().join("hostile.json");
    fs::write(&new, serde_json::to_string(&doc).expect("json")).expect("write");
    let policy = common::fixtures().join("review/strict.toml");
    for args in [
        vec![
            "diff".to_string(),
            old.display().to_string(),
            new.display().to_string(),
        ],
        vec![
            "review".to_string(),
            new.display().to_string(),
            "--policy".to_string(),
            policy.display().to_string(),
        ],
    ] {
        for color in ["never", "always"] {
            let out = sovmap()
                .args(&args)
                .args(["--color", color])
                .output()
                .expect("run");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stdout.contains("\\u{1b}"), "{args:?}: {stdout}\n{stderr}");
            assert!(
                !stdout.contains("\u{1b}[2J") && !stdout.contains("\u{1b}]0;"),
                "{args:?} --color {color}: {stdout}"
            );
            if color == "never" {
                assert_clean(&format!("{args:?} stdout"), &stdout);
                assert_clean(&format!("{args:?} stderr"), &stderr);
            }
        }
    }
}

#[test]
fn pages_csv_and_mermaid_carry_no_control_character_nor_directive() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = hostile_project(t.path());
    // A Mermaid directive in a name, and a remote image in a page.
    let svc = root.join("content/services/imagerie.toml");
    let text = fs::read_to_string(&svc).expect("read");
    let i = text.find("name = \"").expect("a name") + "name = \"".len();
    let text = format!(
        "{}%%{{init: {{'theme':'dark'}}}}%% {}",
        &text[..i],
        &text[i..]
    );
    fs::write(&svc, text).expect("write");
    let page = root.join("content/pages/contact.md");
    let mut text = fs::read_to_string(&page).expect("read");
    text.push_str("\n![tracker](https://evil.example/pixel.png)\n\n<img src=\"//evil.example/p.gif\" alt=\"x\">\n\n![local](logo.png)\n");
    fs::write(&page, text).expect("write");

    let site = build_ok(&root, t.path());
    let mut pages = 0;
    for f in common::files_under(&site, &site) {
        let path = site.join(&f);
        let name = f.display().to_string();
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        if name.ends_with(".html") || name.ends_with(".csv") {
            pages += 1;
            let bad = text
                .chars()
                .find(|&c| c != '\r' && sovmap::visible::is_unsafe(c));
            assert!(bad.is_none(), "{name}: raw {bad:?}");
            assert!(!text.contains("src=\"https://evil.example"), "{name}");
            assert!(!text.contains("src=\"//evil.example"), "{name}");
        }
        if name.ends_with(".json") {
            assert!(!text.contains('\u{1b}'), "{name}");
        }
    }
    assert!(pages > 10);
    // The hostile Markdown is in the French page (the example's English
    // version, contact.en.md, is the provider's own text).
    let contact = fs::read_to_string(site.join("pages/contact.html")).expect("contact page");
    assert!(
        contact.contains("<a href=\"https://evil.example/pixel.png\""),
        "{contact}"
    );
    assert!(contact.contains("<img src=\"logo.png\""), "{contact}");

    let out = sovmap()
        .args(["graph", "--format", "mermaid", "--root"])
        .arg(&root)
        .output()
        .expect("run");
    let mermaid = String::from_utf8_lossy(&out.stdout);
    assert!(!mermaid.contains("%%{"), "{mermaid}");
    assert_clean("mermaid", &mermaid);
}

// ---------------------------------------------------------------------------
// Inputs that grow the work faster than their size
// ---------------------------------------------------------------------------

/// The example with a control chain `k0 → k1 → … → k(n-1)` (parent last).
fn chain_project(t: &Path, n: usize, cycle: bool) -> std::path::PathBuf {
    let root = t.join(format!("chain{n}"));
    fs::create_dir_all(&root).expect("mkdir");
    copy_example(&root);
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[[entity]]\nid = \"k{i}\"\nlegal_name = \"Chain {i} SAS\"\ncountry = \"FR\"\n"
        ));
        if i + 1 < n {
            text.push_str(&format!("parent = \"k{}\"\n", i + 1));
        } else if cycle {
            text.push_str("parent = \"k0\"\n");
        }
        text.push('\n');
    }
    fs::write(root.join("content/entities/chain.toml"), text).expect("write");
    root
}

fn site_bytes(dir: &Path) -> u64 {
    common::files_under(dir, dir)
        .iter()
        .map(|f| fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// A page repeats at most a bounded part of a chain: doubling a chain's
/// depth about doubles what it adds to the site (it quadrupled), and the
/// bottom entity's page names its ultimate parent and links to the page
/// where the chain goes on.
#[test]
fn what_pages_repeat_about_a_chain_is_bounded() {
    let t = tempfile::tempdir().expect("tempdir");
    let base = t.path().join("base");
    fs::create_dir_all(&base).expect("mkdir");
    copy_example(&base);
    let base_size = site_bytes(&build_ok(&base, &t.path().join("b")));
    let mut added = Vec::new();
    for n in [100, 200] {
        let root = chain_project(t.path(), n, false);
        let site = build_ok(&root, &t.path().join(format!("s{n}")));
        added.push(site_bytes(&site) - base_size);
        if n == 200 {
            let page = fs::read_to_string(site.join("en/actors/k0.html")).expect("page");
            let items = page.matches("<li><a href=\"").count();
            let chain = &page[page.find("<ol class=\"chain\">").expect("chain")..];
            let chain = &chain[..chain.find("</ol>").expect("end")];
            let shown = chain.matches("<li>").count();
            assert!(shown <= 15, "{shown} items in\n{chain}");
            assert!(
                chain.contains("k199.html"),
                "ultimate parent named\n{chain}"
            );
            assert!(chain.contains("more entities"), "{chain}");
            assert!(items > 0);
        }
    }
    let ratio = added[1] as f64 / added[0] as f64;
    assert!(
        ratio < 2.6,
        "site growth for a chain of 100 then 200: {added:?} (×{ratio:.2})"
    );
}

#[test]
fn a_long_ownership_cycle_is_reported_once_on_one_line() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = chain_project(t.path(), 3000, true);
    let (code, report) = check_json(&root);
    assert_eq!(code, Some(2));
    let cycles: Vec<&common::Diag> = report
        .diagnostics
        .iter()
        .filter(|d| d.short_code() == "ownership-cycle")
        .collect();
    assert_eq!(cycles.len(), 1, "{:?}", report.diagnostics.len());
    let m = &cycles[0].message;
    assert!(m.starts_with("ownership cycle: k0 → k1 → "), "{m}");
    assert!(m.ends_with("→ k0 (3000 entities)"), "{m}");
    assert!(m.len() < 300, "{m}");
}

/// Problems are capped per file and in all, and counted; a missing site
/// named by many flows is one problem with a count.
#[test]
fn diagnostics_are_capped_and_repeats_grouped() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    // 2,000 flows naming one missing site.
    let flows: String = (0..2000)
        .map(|i| format!("[[flow]]\nid = \"fl{i}\"\nfrom = \"nowhere\"\nto = \"hexasante\"\nkind = \"backup\"\ndata = [\"health\"]\n\n"))
        .collect();
    fs::write(root.join("content/flows/many.toml"), flows).expect("write");
    let (code, report) = check_json(&root);
    assert_eq!(code, Some(2));
    let unknown: Vec<&common::Diag> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("`nowhere`"))
        .collect();
    assert_eq!(unknown.len(), 1, "one problem: {:?}", report.diagnostics);
    assert!(
        unknown[0]
            .message
            .contains("and 1999 other places: content/flows/many.toml:"),
        "{}",
        unknown[0].message
    );
    assert!(
        unknown[0].message.contains("… 1996 more"),
        "{}",
        unknown[0].message
    );

    // 20 files of 40 problems each: 800, over the cap of 500 in all.
    for f in 0..20 {
        let text: String = (0..40)
            .map(|i| {
                format!("[[entity]]\nid = \"x{f}-{i}\"\nlegal_name = \"X\"\ncountry = \"XX\"\n\n")
            })
            .collect();
        fs::write(root.join(format!("content/entities/bad{f:02}.toml")), text).expect("write");
    }
    let (code, report) = check_json(&root);
    assert_eq!(code, Some(2));
    assert_eq!(report.diagnostics.len(), 500);

    let run = check(&root, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    // The 800, and the grouped unknown site (reported last: over the cap).
    assert_eq!(v["omitted"], 800 + 1 - 500, "{}", v["omitted_by_file"]);

    let text = check(&root, &[]);
    assert!(
        text.stderr.contains("(801 problems)"),
        "{}",
        &text.stderr[text.stderr.len().saturating_sub(500)..]
    );
    assert!(
        text.stderr
            .contains("more problems in content/entities/bad")
    );
    assert_eq!(text.stderr.matches(": error[").count(), 500);
}

/// A large log file renamed `.toml`: a bounded report, quickly.
#[test]
fn a_log_file_renamed_toml_gives_a_bounded_report() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    let log: String = (0..100_000)
        .map(|i| {
            format!(
                "2026-12-07 12:00:{:02} INFO [worker-{i}] request served in {i} ms\n",
                i % 60
            )
        })
        .collect();
    fs::write(root.join("content/entities/server.log.toml"), log).expect("write");
    let run = check(&root, &[]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.len() < 200_000,
        "{} bytes on stderr",
        run.stderr.len()
    );
    assert!(
        run.stderr
            .contains("more problems in content/entities/server.log.toml")
    );
}

// ---------------------------------------------------------------------------
// Smaller gaps
// ---------------------------------------------------------------------------

#[test]
fn out_of_range_numbers_get_a_hint_and_an_empty_language_list_is_an_error() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    let cfg = root.join("sovmap.toml");
    let text = fs::read_to_string(&cfg)
        .expect("read")
        .replacen("notice_days = 30", "notice_days = -1", 1)
        .replacen("languages = [\"fr\", \"en\"]", "languages = []", 1);
    fs::write(&cfg, text).expect("write");
    let ent = root.join("content/entities/subcontractors.toml");
    let mut text = fs::read_to_string(&ent).expect("read");
    text.push_str("\n[[entity]]\nid = \"over\"\nlegal_name = \"Over SAS\"\ncountry = \"FR\"\nparent = \"hexasante\"\ncontrol_share = 150\n");
    fs::write(&ent, text).expect("write");
    let (code, report) = check_json(&root);
    assert_eq!(code, Some(2));
    let find = |needle: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in {:?}", report.diagnostics))
    };
    assert!(
        find("`notice_days`")
            .help
            .as_deref()
            .is_some_and(|h| h.contains("notice_days = 30"))
    );
    assert!(
        find("`control_share`")
            .help
            .as_deref()
            .is_some_and(|h| h.contains("control_share = 51"))
    );
    let langs = find("`languages` is empty");
    assert_eq!(langs.file.as_deref(), Some("sovmap.toml"));
    assert_eq!(report.diagnostics.len(), 3, "{:?}", report.diagnostics);
}

#[test]
fn a_note_without_a_place_prints_no_zero_position() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    symlink("../sites", root.join("content/entities/more")).expect("link");
    let run = check(&root, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("note: content/entities/more: symbolic link to a folder, not followed"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(":0:0"), "{}", run.stdout);
}

#[test]
fn an_unreadable_file_is_named_with_a_hint() {
    let t = tempfile::tempdir().expect("tempdir");
    let root = project(t.path());
    let ent = root.join("content/entities/subcontractors.toml");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&ent, fs::Permissions::from_mode(0o000)).expect("chmod");
    let as_root = fs::read(&ent).is_ok();
    let bin = if as_root {
        // Running as root (as CI does), permissions do not stop reading:
        // sovmap runs as the unprivileged user `nobody` instead, with the
        // rest of the project readable to it, so that the test still reads
        // an unreadable file. The binary is copied beside the project: the
        // checkout's own folders may not be traversable by `nobody`.
        fs::set_permissions(t.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let copy = t.path().join("sovmap");
        fs::copy(env!("CARGO_BIN_EXE_sovmap"), &copy).expect("copy the binary");
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).expect("chmod");
        copy
    } else {
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_sovmap"))
    };
    let mut cmd = std::process::Command::new(&bin);
    cmd.env("NO_COLOR", "1")
        .arg("check")
        .arg("--root")
        .arg(&root)
        .args(["--color", "never", "--format", "json"]);
    if as_root {
        use std::os::unix::process::CommandExt;
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().expect("run sovmap");
    let report: common::JsonReport = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not the JSON report ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.code(), Some(2));
    let first = &report.diagnostics[0];
    assert_eq!(
        first.short_code(),
        "read-failed",
        "{:?}",
        report.diagnostics
    );
    assert_eq!(
        first.file.as_deref(),
        Some("content/entities/subcontractors.toml")
    );
    assert!(first.help.as_deref().is_some_and(|h| h.contains("chmod")));
}
