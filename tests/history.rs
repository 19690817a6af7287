//! Change over time: two successive builds of a project (a subcontractor
//! added, a country changed) publish the expected `changes.html` and a
//! valid, growing Atom feed; `sovmap diff` reports the same changes; bad
//! previous files are refused (exit 2, file named, nothing written).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, copy_example, files_under, sovmap};

fn run(args: &[&str], root: Option<&Path>) -> Run {
    let mut c = sovmap();
    if let Some(r) = root {
        c.arg("--root").arg(r);
    }
    let out = c
        .args(["--color", "never"])
        .args(args)
        .output()
        .expect("run sovmap");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn build(root: &Path, out: &Path, previous: Option<&Path>) -> Run {
    let mut args = vec!["build".to_string(), "-o".into(), out.display().to_string()];
    if let Some(p) = previous {
        args.push("--previous".into());
        args.push(p.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, Some(root))
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// The second version of the example: a new US subcontractor with a remote
/// access, and the Casablanca support moved to Tunis; published two weeks later.
fn make_second_version(root: &Path) {
    let toml = fs::read_to_string(root.join("sovmap.toml")).expect("read sovmap.toml");
    let toml = toml
        .replace("version = \"2026.4\"", "version = \"2026.5\"")
        .replace(
            "publication_date = 2026-11-15",
            "publication_date = 2026-12-01",
        );
    fs::write(root.join("sovmap.toml"), toml).expect("write sovmap.toml");
    let subs = root.join("content/entities/subcontractors.toml");
    let mut text = fs::read_to_string(&subs).expect("read entities");
    text.push_str(
        "\n[[entity]]\nid = \"pacific-support\"\nlegal_name = \"Pacific Support LLC\"\ncountry = \"US\"\n",
    );
    fs::write(&subs, text).expect("write entities");
    let teams = root.join("content/access/teams.toml");
    let text = fs::read_to_string(&teams).expect("read access");
    assert!(text.contains("country = \"MA\"\ncity = \"Casablanca\""));
    let mut text = text.replace(
        "country = \"MA\"\ncity = \"Casablanca\"",
        "country = \"TN\"\ncity = \"Tunis\"",
    );
    text.push_str(
        "\n[[access]]\nid = \"support-us\"\nteam = \"pacific-support\"\ncountry = \"US\"\ntargets = [\"imagerie\"]\npurpose = \"Support de niveau 3 de l'éditeur du PACS\"\nbasis = \"scc-3\"\nsafeguards = [\"bastion\"]\ndata = [\"health\"]\n",
    );
    fs::write(&teams, text).expect("write access");
    // The new US team's exposure needs a measure naming it: a `law:` target
    // only restricts a measure (issue 17, rule 6).
    let m = root.join("content/measures/contestation-demandes.md");
    let text = fs::read_to_string(&m).expect("read measure");
    assert!(text.contains("mitigates = [\"entity:stratus-inc\"]"));
    let text = text.replace(
        "mitigates = [\"entity:stratus-inc\"]",
        "mitigates = [\"entity:stratus-inc\", \"entity:pacific-support\"]",
    );
    fs::write(&m, text).expect("write measure");
}

/// Text of the `<main>` element, tags removed and entities decoded enough to compare.
fn main_text(html: &str) -> String {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>");
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// What a feed reader needs from an Atom feed, checked on the parsed XML.
#[derive(Debug)]
struct Feed {
    id: String,
    updated: String,
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    title: String,
    updated: String,
    link: String,
    summary: String,
    content: String,
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child_text(n: roxmltree::Node, name: &str) -> String {
    let c = n
        .children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("<{}> lacks <{name}>", n.tag_name().name()));
    c.text().unwrap_or("").to_string()
}

fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
}

/// Parse and validate the RFC 4287 requirements sovmap relies on: one feed
/// id, title, updated, author and self link; each entry with id, title,
/// updated, an alternate link and a summary; ids unique.
fn parse_feed(xml: &str) -> Feed {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("feed.xml: {e}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "root is not atom:feed");
    for required in ["id", "title", "updated", "author"] {
        assert_eq!(
            feed.children()
                .filter(|c| c.has_tag_name((ATOM, required)))
                .count(),
            1,
            "feed must have exactly one <{required}>"
        );
    }
    let author = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "author")))
        .expect("author");
    assert!(!child_text(author, "name").is_empty(), "author name");
    let self_link = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
        .count();
    assert_eq!(self_link, 1, "one self link");
    let updated = child_text(feed, "updated");
    assert!(is_rfc3339(&updated), "feed updated {updated}");
    let mut entries = Vec::new();
    for e in feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))) {
        let link = e
            .children()
            .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("alternate"))
            .and_then(|l| l.attribute("href"))
            .expect("entry alternate link")
            .to_string();
        let content = e
            .children()
            .find(|c| c.has_tag_name((ATOM, "content")))
            .map(|c| {
                assert_eq!(c.attribute("type"), Some("html"));
                c.text().unwrap_or("").to_string()
            })
            .unwrap_or_default();
        let entry = Entry {
            id: child_text(e, "id"),
            title: child_text(e, "title"),
            updated: child_text(e, "updated"),
            link,
            summary: child_text(e, "summary"),
            content,
        };
        assert!(entry.id.starts_with("tag:"), "entry id {}", entry.id);
        assert!(!entry.title.is_empty());
        assert!(
            is_rfc3339(&entry.updated),
            "entry updated {}",
            entry.updated
        );
        assert!(!entry.summary.is_empty());
        entries.push(entry);
    }
    let mut ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), entries.len(), "entry ids are unique");
    Feed {
        id: child_text(feed, "id"),
        updated,
        entries,
    }
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_under(dir, dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(dir.join(&p)).expect("read file");
            (p, bytes)
        })
        .collect()
}

#[test]
fn two_successive_builds_publish_the_changes_and_a_growing_feed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("project");
    fs::create_dir_all(&root).expect("mkdir");
    copy_example(&root);
    let site1 = tmp.path().join("site1");
    let r = build(&root, &site1, None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    // First publication: the page says so, the feed has one entry.
    let page1 = main_text(&read(&site1.join("en/changes.html")));
    assert!(
        page1.contains("This is the first publication of the map"),
        "{page1}"
    );
    assert!(main_text(&read(&site1.join("changes.html"))).contains("première publication"));
    let feed1 = parse_feed(&read(&site1.join("feed.xml")));
    assert_eq!(feed1.entries.len(), 1);
    assert_eq!(feed1.updated, "2026-11-15T00:00:00Z");
    assert_eq!(
        feed1.entries[0].id,
        "tag:transparence.hexasante.example,2026-11-15:hexasante/publication/2026.4/fr"
    );

    // Second publication, compared with the first.
    make_second_version(&root);
    let site2 = tmp.path().join("site2");
    let previous = site1.join("transfers.json");
    let r = build(&root, &site2, Some(&previous));
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    let en = main_text(&read(&site2.join("en/changes.html")));
    for expected in [
        "Hexagone Santé — publication 2026.5 of 1 December 2026",
        "Since 2026.4 (15 November 2026):",
        "New subcontractor: Pacific Support LLC, United States (US) (takes effect on 31 December 2026)",
        "New country in the map: Tunisia (TN)",
        "Riskier: a country outside the European Economic Area",
        "Remote access changed: Atlas",
        "country: Morocco (MA) → Tunisia (TN)",
        "city: Casablanca → Tunis",
        "New remote access: Pacific Support LLC from United States (US)",
        "New exposure to foreign law: Pacific Support LLC is subject to the law of United States (US)",
        "Earlier publications",
        "Hexagone Santé — publication 2026.4 of 15 November 2026",
    ] {
        assert!(en.contains(expected), "missing {expected:?} in:\n{en}");
    }
    assert!(!en.contains("This is the first publication"));
    let fr = main_text(&read(&site2.join("changes.html")));
    for expected in [
        "Nouveau sous-traitant : Pacific Support LLC, États-Unis (US) (prend effet le 31 décembre 2026)",
        "pays : Maroc (MA) → Tunisie (TN)",
        "Plus risqué : un pays hors de l'Espace économique européen",
        "Publications antérieures",
    ] {
        assert!(fr.contains(expected), "missing {expected:?} in:\n{fr}");
    }

    // The feed: two entries, newest first, the first build's ids unchanged.
    let feed2 = parse_feed(&read(&site2.join("feed.xml")));
    assert_eq!(feed2.id, feed1.id, "the feed id is stable");
    // The English feed is another feed: its ids differ from the French ones.
    let feed2_en = parse_feed(&read(&site2.join("en/feed.xml")));
    assert_ne!(feed2_en.id, feed2.id);
    assert_eq!(
        feed2_en.entries[0].id,
        "tag:transparence.hexasante.example,2026-12-01:hexasante/publication/2026.5/en"
    );
    assert_eq!(feed2.updated, "2026-12-01T00:00:00Z");
    assert_eq!(feed2.entries.len(), 2);
    assert_eq!(
        feed2.entries[1].id, feed1.entries[0].id,
        "entry ids are stable"
    );
    assert_eq!(
        feed2.entries[0].id,
        "tag:transparence.hexasante.example,2026-12-01:hexasante/publication/2026.5/fr"
    );
    assert_eq!(feed2.entries[0].updated, "2026-12-01T00:00:00Z");
    assert_eq!(
        feed2.entries[0].link,
        "https://transparence.hexasante.example/changes.html#publication-2026-12-01-2026.5"
    );
    assert!(feed2.entries[0].content.contains("Pacific Support LLC"));
    let xml = read(&site2.join("feed.xml"));
    assert_eq!(
        xml.matches("<category term=\"riskier\" label=\"Plus risqué\"/>")
            .count(),
        1,
        "only the riskier publication is tagged"
    );
    assert!(feed2.entries[0].summary.contains("31 décembre 2026"));
    let feed2_en = parse_feed(&read(&site2.join("en/feed.xml")));
    assert_eq!(feed2_en.entries.len(), 2);
    assert!(
        feed2_en.entries[0]
            .title
            .contains("publication 2026.5 of 1 December 2026")
    );
    assert!(
        feed2_en.entries[0]
            .content
            .contains("<strong>Riskier</strong>: a country outside the European Economic Area")
    );
    // The changes page anchors the feed entries' links.
    assert!(read(&site2.join("changes.html")).contains("id=\"publication-2026-12-01-2026.5\""));

    // Linked from every page's head and navigation, listed in the sitemap.
    let index = read(&site2.join("en/index.html"));
    assert!(index.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Changes (Atom)\" href=\"../en/feed.xml\">"
    ));
    assert!(index.contains("<a href=\"../en/changes.html\">Changes</a>"));
    let sitemap = read(&site2.join("sitemap.xml"));
    for loc in ["changes.html", "en/changes.html", "feed.xml", "en/feed.xml"] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://transparence.hexasante.example/{loc}</loc>"
            )),
            "{loc} not in the sitemap"
        );
    }

    // History is carried in transfers.json: a third build from the second
    // keeps both entries; the same build again is byte-identical.
    let site3 = tmp.path().join("site3");
    let r = build(&root, &site3, Some(&previous));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(tree(&site2) == tree(&site3), "same input, same bytes");
    // Rebuilding the same publication from its own output (`previous`
    // pointing at the last build) changes nothing: the change list against
    // 2026.4 is kept, not replaced by an empty one.
    let site4 = tmp.path().join("site4");
    let r = build(&root, &site4, Some(&site2.join("transfers.json")));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("is this same publication"),
        "{}",
        r.stderr
    );
    assert!(
        tree(&site2) == tree(&site4),
        "an unchanged rebuild is idempotent"
    );

    // `sovmap diff` on the two published files.
    let new = site2.join("transfers.json");
    let r = run(&["diff", &s(&previous), &s(&new)], None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for expected in [
        "sovmap diff — Hexagone Santé: 2026.4 (15 November 2026) → 2026.5 (1 December 2026)",
        "  + New subcontractor: Pacific Support LLC, United States (US) [effective 31 December 2026]",
        "  ~ Remote access changed:",
        "      country: Morocco (MA) → Tunisia (TN)",
        "    ! riskier: a country outside the European Economic Area",
        "riskier\n",
    ] {
        assert!(
            r.stdout.contains(expected),
            "missing {expected:?} in:\n{}",
            r.stdout
        );
    }
    let r = run(&["--lang", "fr", "diff", &s(&previous), &s(&new)], None);
    assert!(
        r.stdout
            .contains("  + Nouveau sous-traitant : Pacific Support LLC")
    );
    assert!(
        r.stdout
            .contains("! plus risqué : un pays hors de l'Espace économique européen")
    );
    let r = run(&["diff", "--fail-on-risk", &s(&previous), &s(&new)], None);
    assert_eq!(r.code, Some(1), "riskier with --fail-on-risk exits 1");
    let r = run(&["diff", "--fail-on-risk", &s(&new), &s(&new)], None);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert!(r.stdout.ends_with("no change\n"), "{}", r.stdout);
    // Going back (removals only) is not riskier.
    let r = run(&["diff", "--fail-on-risk", &s(&new), &s(&previous)], None);
    let back: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("! riskier"))
        .collect();
    assert!(
        !r.stdout
            .contains("Pacific Support LLC, United States (US) [effective"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("  - Subcontractor removed: Pacific Support LLC")
    );
    // Moving back to Morocco adds no new country (MA stays on the map through its entity).
    assert!(back.is_empty(), "{back:?}");
    assert_eq!(r.code, Some(0));

    let r = run(&["diff", "--format", "json", &s(&previous), &s(&new)], None);
    assert_eq!(r.code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("diff JSON");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["riskier"], true);
    assert_eq!(v["old"]["version"], "2026.4");
    assert_eq!(v["new"]["date"], "2026-12-01");
    let changes = v["changes"].as_array().expect("changes");
    let find = |item: &str, id: &str| {
        changes
            .iter()
            .find(|c| c["item"] == item && c["id"] == id)
            .unwrap_or_else(|| panic!("no {item} {id} in {changes:#?}"))
    };
    let sub = find("entity", "pacific-support");
    assert_eq!(sub["change"], "added");
    assert_eq!(sub["notice"], true);
    assert_eq!(sub["effective"], "2026-12-31");
    let moved = find("access-path", "support-n2-casablanca");
    assert_eq!(moved["change"], "changed");
    let detail = moved["details"]
        .as_array()
        .expect("details")
        .iter()
        .find(|d| d["field"] == "country")
        .expect("country detail");
    assert_eq!(
        (&detail["old"], &detail["new"]),
        (&"MA".into(), &"TN".into())
    );
    let tn = find("country", "TN");
    assert_eq!(tn["risks"][0]["kind"], "new-non-eea-country");
    assert_eq!(tn["effective"], "2026-12-31");
    assert_eq!(
        find("exposure", "exposure:pacific-support:US")["risks"][0]["kind"],
        "new-exposure"
    );
    assert_eq!(
        v["counts"]["riskier"],
        changes
            .iter()
            .filter(|c| !c["risks"].as_array().expect("risks").is_empty())
            .count()
    );
}

#[test]
fn previous_in_sovmap_toml_is_read_relative_to_the_project_root() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("project");
    fs::create_dir_all(&root).expect("mkdir");
    copy_example(&root);
    let site1 = tmp.path().join("site1");
    assert_eq!(build(&root, &site1, None).code, Some(0));
    fs::create_dir_all(root.join("published")).expect("mkdir");
    fs::copy(
        site1.join("transfers.json"),
        root.join("published/transfers.json"),
    )
    .expect("copy");
    make_second_version(&root);
    let toml = read(&root.join("sovmap.toml")).replace(
        "notice_days = 30",
        "notice_days = 45\nprevious = \"published/transfers.json\"",
    );
    fs::write(root.join("sovmap.toml"), toml).expect("write");
    // Run from elsewhere: the path is relative to the project, not the working folder.
    let site2 = tmp.path().join("site2");
    let r = build(&root, &site2, None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let feed = parse_feed(&read(&site2.join("en/feed.xml")));
    assert_eq!(feed.entries.len(), 2);
    // 1 December 2026 + 45 days of notice.
    let page = main_text(&read(&site2.join("en/changes.html")));
    assert!(page.contains("(takes effect on 15 January 2027)"), "{page}");
    assert!(page.contains("Changes under notice (45 days)"), "{page}");
    // A missing previous file named in sovmap.toml is an error, not a first publication.
    fs::remove_file(root.join("published/transfers.json")).expect("rm");
    let site3 = tmp.path().join("site3");
    let r = build(&root, &site3, None);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("published/transfers.json"),
        "{}",
        r.stderr
    );
    assert!(!site3.exists(), "nothing written");
}

#[test]
fn bad_previous_files_are_refused_naming_the_file_and_writing_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("project");
    fs::create_dir_all(&root).expect("mkdir");
    copy_example(&root);
    let site1 = tmp.path().join("site1");
    assert_eq!(build(&root, &site1, None).code, Some(0));
    let good = read(&site1.join("transfers.json"));

    let bad = tmp.path().join("bad");
    fs::create_dir_all(&bad).expect("mkdir");
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "truncated.json",
            good[..good.len() / 3].to_string(),
            &["truncated.json:", "looks truncated"],
        ),
        (
            "schema.json",
            read(&site1.join("transfers.schema.json")),
            &[
                "schema.json:",
                "error[not-a-publication]: not a sovmap transfers.json: its \"$schema\" is \"https://json-schema.org/draft/2020-12/schema\"",
                "help: give the transfers.json that `sovmap build` publishes",
            ],
        ),
        (
            "other.json",
            "{\"name\": \"subprocessors\", \"items\": []}".to_string(),
            &[
                "other.json:1:1: error[not-a-publication]: not a sovmap transfers.json",
                "neither \"$schema\" nor \"format_version\"",
            ],
        ),
        (
            "newer.json",
            good.replacen("\"format_version\": 2,", "\"format_version\": 7,", 1),
            &[
                "newer.json:",
                "error[newer-format-version]: written in transfers.json format version 7",
                "reads versions up to 2",
                "install a newer sovmap",
            ],
        ),
    ];
    for (name, text, expected) in &cases {
        let file = bad.join(name);
        fs::write(&file, text).expect("write");
        let out = tmp.path().join(format!("out-{name}"));
        let r = build(&root, &out, Some(&file));
        assert_eq!(r.code, Some(2), "{name}: {}", r.stderr);
        for e in *expected {
            assert!(
                r.stderr.contains(e),
                "{name}: missing {e:?} in {}",
                r.stderr
            );
        }
        assert!(r.stderr.contains("nothing was written"));
        assert!(!out.exists(), "{name}: nothing written");
        // The same file given to diff, on either side.
        let r = run(
            &["diff", &s(&file), &s(&site1.join("transfers.json"))],
            None,
        );
        assert_eq!(r.code, Some(2), "{name}");
        assert!(r.stdout.is_empty());
        for e in *expected {
            assert!(
                r.stderr.contains(e),
                "{name}: missing {e:?} in {}",
                r.stderr
            );
        }
    }
    // Both sides wrong: both reported at once; JSON output says why.
    let r = run(
        &[
            "diff",
            "--format",
            "json",
            &s(&bad.join("truncated.json")),
            &s(&tmp.path().join("missing.json")),
        ],
        None,
    );
    assert_eq!(r.code, Some(2));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["status"], "invalid");
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(codes, ["truncated-json", "unreadable-file"]);
    // The previous site is untouched by a refused build.
    let before = tree(&site1);
    let r = build(&root, &site1, Some(&bad.join("newer.json")));
    assert_eq!(r.code, Some(2));
    assert!(tree(&site1) == before);
}

/// A subprocessor list written by hand in the `transfers.json` format (only
/// the required keys, no analysis): `diff` still reads and compares it.
#[test]
fn diff_reads_minimal_hand_written_publications() {
    let dir = common::fixtures().join("history");
    let old = dir.join("subprocessors-2026-01.json");
    let new = dir.join("subprocessors-2026-03.json");
    let r = run(&["diff", "--fail-on-risk", &s(&old), &s(&new)], None);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    let expected = "sovmap diff — Acme SaaS: 2026-01 (1 January 2026) → 2026-03 (1 March 2026)

Entities (subcontractors and parent companies)
  + New subcontractor: Functional Software Inc. (Sentry), United States (US) [effective 31 March 2026]
  - Subcontractor removed: Zendesk Inc., United States (US)
  ~ Entity changed: Amazon Web Services EMEA SARL
      description: Hosting → Hosting and backups

Sites
  + New site: AWS us-east-1 — United States (US), operated by Amazon Web Services EMEA SARL, backup
    ! riskier: data stored outside the EEA: United States (US)

Remote access
  + New remote access: Functional Software Inc. (Sentry) from United States (US) — Error monitoring
  - Remote access removed: Zendesk Inc. from United States (US)

6 changes (3 added, 2 removed, 1 changed), 1 riskier
";
    assert_eq!(r.stdout, expected);
    // Backwards, nothing is riskier: removing a site outside the EEA and a subcontractor.
    let r = run(&["diff", "--fail-on-risk", &s(&new), &s(&old)], None);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("6 changes (2 added, 3 removed, 1 changed)\n"),
        "{}",
        r.stdout
    );
}

/// The provider's texts in the English changes page, feed and `diff --lang
/// en`: the English versions `transfers.json` now carries (purpose_en,
/// title_en, description_en), the French ones on French output; a change
/// of translation alone is no change.
#[test]
fn english_changes_print_the_english_versions_of_the_providers_texts() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("p");
    fs::create_dir_all(&root).expect("mkdir");
    copy_example(&root);
    let (out1, out2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    let b = build(&root, &out1, None);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let v1 = out1.join("transfers.json");
    let published = fs::read_to_string(&v1).expect("read v1");
    assert!(
        published
            .contains("\"purpose_en\": \"Level-2 support: diagnosis of application incidents\"")
    );

    // Only a translation changes: nothing to report.
    let teams = root.join("content/access/teams.toml");
    let text = fs::read_to_string(&teams).expect("read access");
    let old_en = "purpose_en = \"Level-2 support: diagnosis of application incidents\"";
    assert!(text.contains(old_en));
    fs::write(
        &teams,
        text.replace(old_en, "purpose_en = \"Second-level support\""),
    )
    .expect("write access");
    let b = build(&root, &out2, None);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let v2 = out2.join("transfers.json");
    let d = run(&["--lang", "en", "diff", &s(&v1), &s(&v2)], None);
    assert!(!d.stdout.contains("purpose"), "{}", d.stdout);

    // The French purpose and a measure's title change, with their English
    // versions: English output prints the English texts.
    let text = fs::read_to_string(&teams).expect("read access");
    let text = text.replace(
        "purpose = \"Support de niveau 2 : diagnostic des incidents applicatifs\"",
        "purpose = \"Support de second niveau\"",
    );
    fs::write(&teams, text).expect("write access");
    let m = root.join("content/measures/demande-client.md");
    let text = fs::read_to_string(&m).expect("read measure");
    let text = text
        .replace(
            "title = \"Intervention du support de niveau 2 uniquement sur demande explicite du client\"",
            "title = \"Intervention du support uniquement sur ticket du client\"",
        )
        .replace(
            "title_en = \"Level-2 support acts only at the client's explicit request\"",
            "title_en = \"Support acts only on the client's ticket\"",
        );
    fs::write(&m, text).expect("write measure");
    fs::remove_dir_all(&out2).expect("remove v2");
    let b = build(&root, &out2, Some(&v1));
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let en = main_text(&fs::read_to_string(out2.join("en/changes.html")).expect("en changes"));
    for text in [
        "Level-2 support: diagnosis of application incidents → Second-level support",
        "Support acts only on the client's ticket",
    ] {
        assert!(en.contains(text), "{text}: {en}");
    }
    assert!(!en.contains("Support de second niveau"), "{en}");
    assert!(!en.contains("sur ticket du client"), "{en}");
    let feed = fs::read_to_string(out2.join("en/feed.xml")).expect("en feed");
    assert!(feed.contains("Second-level support") && !feed.contains("Support de second niveau"));
    let fr = main_text(&fs::read_to_string(out2.join("changes.html")).expect("changes"));
    assert!(
        fr.contains(
            "Support de niveau 2 : diagnostic des incidents applicatifs → Support de second niveau"
        ),
        "{fr}"
    );
    assert!(
        fr.contains("sur ticket du client") && !fr.contains("Second-level"),
        "{fr}"
    );
}
