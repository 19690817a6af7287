//! `sovmap init`, `graph`, `completions` and `man`, end to end.

mod common;

use std::path::Path;

use common::{Run, repo_root, sovmap};

fn run(args: &[&str], root: &Path) -> Run {
    let out = sovmap()
        .args(args)
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .output()
        .expect("run sovmap");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn init(dir: &Path, force: bool) -> Run {
    let mut args = vec!["init".to_string(), dir.display().to_string()];
    if force {
        args.push("--force".to_string());
    }
    let out = sovmap().args(&args).output().expect("run sovmap init");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn init_creates_a_project_that_check_and_build_accept() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("project");
    let r = init(&dir, false);
    assert_eq!(r.code, Some(0), "init: {}{}", r.stdout, r.stderr);
    assert!(dir.join("sovmap.toml").is_file());

    let c = run(&["check"], &dir);
    assert_eq!(c.code, Some(0), "check: {}{}", c.stdout, c.stderr);

    let b = run(&["build"], &dir);
    assert_eq!(b.code, Some(0), "build: {}{}", b.stdout, b.stderr);
    assert!(dir.join("site").join("index.html").is_file());
}

#[test]
fn init_is_reproducible_and_says_to_replace_the_certificate() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(init(&a, false).code, Some(0));
    assert_eq!(init(&b, false).code, Some(0));
    let host = std::fs::read_to_string(a.join("content/entities/host.toml")).expect("host.toml");
    assert!(host.contains("REPLACE"));
    assert!(host.contains("expires = 2030-12-31"));
    assert_eq!(
        host,
        std::fs::read_to_string(b.join("content/entities/host.toml")).expect("host.toml")
    );
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let keep = tmp.path().join("notes.txt");
    std::fs::write(&keep, "mine").expect("write");
    let r = init(tmp.path(), false);
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert!(!tmp.path().join("sovmap.toml").exists(), "nothing written");

    let f = init(tmp.path(), true);
    assert_eq!(f.code, Some(0), "{}{}", f.stdout, f.stderr);
    assert!(tmp.path().join("sovmap.toml").is_file());
    assert_eq!(std::fs::read_to_string(&keep).expect("kept"), "mine");
}

fn graph(args: &[&str]) -> Run {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    run(&all, &repo_root())
}

const ENTITIES: [&str; 9] = [
    "alsace-dc",
    "atlas-infogerance",
    "hexasante",
    "hexasante-canada",
    "hexasante-holding",
    "rheinwerk",
    "sentinelle",
    "stratus-fr",
    "stratus-inc",
];

#[test]
fn graph_dot_lists_every_entity_and_marks_third_countries() {
    let r = graph(&["--format", "dot"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("digraph"), "{}", r.stdout);
    for id in ENTITIES {
        assert!(
            r.stdout.contains(&format!("\"entity:{id}\"")),
            "missing {id}"
        );
    }
    assert!(r.stdout.contains("cluster_legend"));
    let casablanca = r
        .stdout
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("\"access:support-n2-casablanca\" [")
        })
        .expect("Casablanca access origin");
    assert!(casablanca.contains("thirdcountry"), "{casablanca}");
    assert!(casablanca.contains("(MA)"), "{casablanca}");
    let montreal = r
        .stdout
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("\"access:incidents-montreal\" [")
        })
        .expect("Montreal access origin");
    assert!(montreal.contains("thirdcountry"), "{montreal}");
    let sxb1 = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("\"site:sxb1\" ["))
        .expect("sxb1");
    assert!(sxb1.contains("class=\"eea\""), "{sxb1}");
    // Deterministic.
    assert_eq!(r.stdout, graph(&["--format", "dot"]).stdout);
}

#[test]
fn graph_mermaid_is_a_flowchart_with_classes() {
    let r = graph(&["--format", "mermaid"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("flowchart"), "{}", r.stdout);
    assert!(r.stdout.contains("classDef eea"));
    assert!(r.stdout.contains("classDef thirdcountry"));
}

#[test]
fn graph_json_has_nodes_and_edges() {
    let r = graph(&["--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    let nodes = v["nodes"].as_array().expect("nodes");
    let edges = v["edges"].as_array().expect("edges");
    assert!(!nodes.is_empty() && !edges.is_empty());
    let ma = nodes
        .iter()
        .find(|n| n["id"] == "access:support-n2-casablanca")
        .expect("Casablanca");
    assert_eq!(ma["country"], "MA");
    assert_eq!(ma["in_eea"], false);
    let fr = nodes.iter().find(|n| n["id"] == "site:sxb1").expect("sxb1");
    assert_eq!(fr["in_eea"], true);
    assert!(
        edges
            .iter()
            .any(|e| e["kind"] == "flow" && e["ref_id"] == "dpi-replication")
    );
}

#[test]
fn graph_for_one_service_keeps_its_reach_only() {
    let r = graph(&["--format", "json", "--service", "postgresql"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stdout.contains("par-stratus"), "{}", r.stdout);
    let dot = graph(&["--service", "postgresql"]);
    assert_eq!(dot.code, Some(0));
    assert!(!dot.stdout.contains("par-stratus"));
    assert!(dot.stdout.contains("\"site:sxb1\""));
    // The host's parent comes in through the control chain.
    assert!(dot.stdout.contains("\"entity:hexasante-holding\""));
}

#[test]
fn graph_unknown_service_is_invalid_input() {
    let r = graph(&["--service", "no-such-service"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no-such-service"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn completions_and_man_page() {
    let out = sovmap()
        .args(["completions", "bash"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sovmap"));

    let out = sovmap().arg("man").output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH"), "{man}");
    assert!(man.contains("graph"));
}

#[test]
fn graph_escapes_labels_in_every_format() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("p");
    assert_eq!(init(&dir, false).code, Some(0));
    let host = dir.join("content/entities/host.toml");
    let text = std::fs::read_to_string(&host).expect("read");
    let text = text.replace(
        "legal_name = \"My Health Host SAS\"",
        "legal_name = 'Evil \"Host\" \\ <b>#1</b>'",
    );
    std::fs::write(&host, text).expect("write");

    let d = run(&["graph", "--format", "dot"], &dir);
    assert_eq!(d.code, Some(0), "{}", d.stderr);
    assert!(
        d.stdout.contains(r#"label="Evil \"Host\" \\ <b>#1</b>\n"#),
        "{}",
        d.stdout
    );

    let m = run(&["graph", "--format", "mermaid"], &dir);
    assert_eq!(m.code, Some(0), "{}", m.stderr);
    assert!(m.stdout.contains("Evil #quot;Host#quot;"), "{}", m.stdout);
    assert!(!m.stdout.contains("<b>"), "{}", m.stdout);

    let j = run(&["graph", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).expect("valid JSON");
    let nodes = v["nodes"].as_array().expect("nodes");
    assert!(
        nodes
            .iter()
            .any(|n| n["label"] == "Evil \"Host\" \\ <b>#1</b>")
    );
}

#[test]
fn man_output_writes_a_page_for_every_command_the_main_page_names() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("man1");
    let r = run(&["man", "--output", dir.to_str().unwrap()], tmp.path());
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let main = std::fs::read_to_string(dir.join("sovmap.1")).expect("sovmap.1");
    // The same page as `sovmap man` prints (it once named a `sovmap-help(1)`
    // that no one writes).
    let printed = sovmap().arg("man").output().expect("run");
    assert_eq!(String::from_utf8_lossy(&printed.stdout), main);
    assert!(!main.contains("sovmap\\-help"));
    // roff writes `sovmap-check(1)` as `sovmap\-check(1)`.
    let named: Vec<&str> = main
        .split("sovmap\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name))
        .collect();
    for cmd in [
        "check", "build", "verify", "schema", "diff", "review", "man",
    ] {
        assert!(named.contains(&cmd), "{cmd} not in {named:?}");
    }
    for name in &named {
        let page = std::fs::read_to_string(dir.join(format!("sovmap-{name}.1")))
            .unwrap_or_else(|e| panic!("sovmap-{name}.1: {e}"));
        assert!(page.starts_with(".ie"), "{name}: {page}");
        assert!(
            page.contains(&format!(
                ".TH sovmap-{name} 1  \"{name} {}\"",
                env!("CARGO_PKG_VERSION")
            )),
            "{name}: {page}"
        );
        assert!(page.contains(".SH SYNOPSIS"), "{name}");
    }
    let build = std::fs::read_to_string(dir.join("sovmap-build.1")).unwrap();
    assert!(build.contains("\\-\\-geoip\\-db"), "{build}");
    // A folder that cannot be created: named, exit 2.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let bad = run(
        &["man", "--output", file.join("sub").to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(bad.code, Some(2));
    assert!(
        bad.stderr.contains("cannot write the man pages into"),
        "{}",
        bad.stderr
    );
}

/// The reader of stdout is gone before sovmap writes (`sovmap schema | head
/// -1` once head has exited): the process ends quietly, never with Rust's
/// "failed printing to stdout" panic and exit code 101.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::process::Stdio;
    let root = repo_root();
    let root = root.to_str().unwrap();
    for args in [
        &["schema", "--kind", "entity"][..],
        &["graph", "--format", "mermaid", "--root", root],
        &["check", "--format", "json", "--root", root],
        &["man"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sovmap"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sovmap");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn build_warns_without_publication_date_and_writes_no_relative_sitemap() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("p");
    assert_eq!(init(&dir, false).code, Some(0));
    // `init` leaves both keys commented out.
    let b = run(&["build"], &dir);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(
        b.stderr
            .contains("warning: sovmap.toml has no `publication_date`")
            && b.stderr.contains("Atom feed's entry ids change"),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr
            .contains("note: sovmap.toml has no `base_url`: sitemap.xml was not written"),
        "{}",
        b.stderr
    );
    let site = dir.join("site");
    assert!(!site.join("sitemap.xml").exists());
    let robots = std::fs::read_to_string(site.join("robots.txt")).unwrap();
    assert!(!robots.contains("Sitemap"), "{robots}");
    // -q: errors only.
    let q = run(&["build", "-q"], &dir);
    assert_eq!(q.code, Some(0));
    assert_eq!(q.stderr, "");
    // Both set: no warning, an absolute sitemap.
    let cfg = dir.join("sovmap.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let text = text
        .replace(
            "# base_url = \"https://transparency.example.org/\"",
            "base_url = \"https://transparency.example.org/\"",
        )
        .replace(
            "# publication_date = 2026-01-01",
            "publication_date = 2026-01-01",
        );
    std::fs::write(&cfg, text).unwrap();
    let b = run(&["build"], &dir);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(!b.stderr.contains("warning"), "{}", b.stderr);
    assert!(!b.stderr.contains("base_url"), "{}", b.stderr);
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://transparency.example.org/index.html</loc>"));
}

/// Progress goes to a terminal only: `script` gives sovmap one (a pty), a
/// pipe does not; `-q` silences it. The delay before it appears (a second)
/// is set to 0 so that the small example shows it.
#[test]
fn progress_shows_on_a_terminal_only_and_not_with_quiet() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    let build = format!(
        "{} build --root {} --output {}",
        env!("CARGO_BIN_EXE_sovmap"),
        repo_root().display(),
        out.display()
    );
    let in_pty = |extra: &str| {
        let o = std::process::Command::new("script")
            .args(["-qec", &format!("{build} {extra}"), "/dev/null"])
            .env("SOVMAP_PROGRESS_DELAY_MS", "0")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run script (util-linux)");
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let shown = in_pty("");
    assert!(shown.contains("Rendering the site: "), "{shown}");
    assert!(shown.contains(" files ("), "{shown}");
    assert!(shown.contains("written to"), "{shown}");
    let quiet = in_pty("-q");
    assert!(!quiet.contains("Rendering"), "{quiet}");
    let piped = sovmap()
        .env("SOVMAP_PROGRESS_DELAY_MS", "0")
        .args(["build", "--root"])
        .arg(repo_root())
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(piped.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !stderr.contains("Rendering") && !stderr.contains('\x1b'),
        "{stderr}"
    );
}
