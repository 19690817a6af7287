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
