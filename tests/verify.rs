//! End-to-end tests of `sovmap verify`, `check --verify` and `build --verify`
//! on `tests/fixtures/verify/geoip`, with small databases written here by
//! `mmdb-writer` (fixed build epoch and description: byte-reproducible).
//! No network.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use common::{Run, copy_dir, fixtures, sovmap};
use mmdb_writer::{IpVersion, Value, Writer, ipnet::IpNet};
use serde_json::Value as Json;

/// 2026-06-17 00:00:00 UTC.
const EPOCH: u64 = 1_781_654_400;

#[derive(Clone, Copy)]
enum Layout {
    /// `{country_code}` as in ip-location-db.
    Flat,
    /// `{country: {iso_code}}` as in GeoIP2 / GeoLite2 / DB-IP.
    GeoIp2,
}

/// The database described in the fixture's `sovmap.toml`.
const ENTRIES_V4: &[(&str, &str)] = &[
    ("192.0.2.0/25", "FR"),
    ("192.0.2.128/26", "US"),
    ("198.51.100.0/24", "FR"),
    ("203.0.113.0/25", "FR"),
    ("203.0.113.128/25", "DE"),
];
const ENTRIES_V6: &[(&str, &str)] = &[("2001:db8::/33", "FR"), ("2001:db8:8000::/33", "NL")];

fn database(version: IpVersion, layout: Layout) -> Vec<u8> {
    let v6 = matches!(version, IpVersion::V6);
    let entries: Vec<(&str, &str)> = ENTRIES_V4
        .iter()
        .chain(if v6 { ENTRIES_V6 } else { &[] })
        .copied()
        .collect();
    database_of(version, layout, &entries)
}

/// A database holding `entries` (network, country).
fn database_of(version: IpVersion, layout: Layout, entries: &[(&str, &str)]) -> Vec<u8> {
    let mut w = Writer::builder(match layout {
        Layout::Flat => "country ipv4",
        Layout::GeoIp2 => "GeoLite2-Country",
    })
    .ip_version(version)
    .description(&[("en", "sovmap test database")])
    .build_epoch(UNIX_EPOCH + Duration::from_secs(EPOCH))
    .build();
    for (net, cc) in entries {
        let value = match layout {
            Layout::Flat => Value::map([("country_code", Value::from(*cc))]),
            Layout::GeoIp2 => Value::map([
                ("country", Value::map([("iso_code", Value::from(*cc))])),
                (
                    "registered_country",
                    Value::map([("iso_code", Value::from("ZZ"))]),
                ),
            ]),
        };
        w.insert_value(net.parse::<IpNet>().unwrap(), value)
            .unwrap();
    }
    w.to_bytes().unwrap()
}

fn fixture() -> PathBuf {
    fixtures().join("verify").join("geoip")
}

fn run(args: &[&str], root: &Path) -> Run {
    let out = sovmap()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run sovmap");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(r: &Run) -> Json {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}\n{}", r.stdout, r.stderr))
}

/// The evidence for one range: (verdict, [(country, share)], no-data share).
fn range<'a>(v: &'a Json, range: &str) -> &'a Json {
    v["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["range"] == range)
        .unwrap_or_else(|| panic!("no range {range} in {v:#}"))
}

fn shares(r: &Json) -> Vec<(String, f64)> {
    r["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["country"].as_str().unwrap().to_string(),
                c["share"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn codes(findings: &Json) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap_or("").starts_with("GEOIP-"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["subject"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

/// Every verdict of the fixture, with a GeoIP2-layout IPv6 database holding
/// both families (as GeoLite2 does).
fn check_full_verdicts(layout: Layout) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("test.mmdb");
    fs::write(&db, database(IpVersion::V6, layout)).unwrap();
    let r = run(
        &[
            "verify",
            "--format",
            "json",
            "--geoip",
            db.to_str().unwrap(),
        ],
        &fixture(),
    );
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(v["status"], "verified");
    assert_eq!(v["database"]["name"], db.to_str().unwrap());
    assert_eq!(v["database"]["build_date"], "2026-06-17");
    assert_eq!(v["database"]["build_epoch"], EPOCH);
    assert_eq!(v["database"]["ip_version"], 6);
    assert!(
        v["caveat"]
            .as_str()
            .unwrap()
            .contains("not proof of physical location")
    );

    let agree = range(&v, "198.51.100.0/24");
    assert_eq!(agree["verdict"], "agrees");
    assert_eq!(shares(agree), vec![("FR".into(), 1.0)]);
    assert_eq!(agree["addresses"], "256");

    let split = range(&v, "192.0.2.0/24");
    assert_eq!(split["verdict"], "contradicts");
    assert_eq!(shares(split), vec![("FR".into(), 0.5), ("US".into(), 0.25)]);
    assert_eq!(split["no_data_share"], 0.25);
    assert_eq!(split["no_data_addresses"], "64");

    let v6 = range(&v, "2001:db8::/32");
    assert_eq!(v6["verdict"], "elsewhere-in-eea");
    assert_eq!(shares(v6), vec![("FR".into(), 0.5), ("NL".into(), 0.5)]);
    assert_eq!(v6["addresses"], (1u128 << 96).to_string());

    assert_eq!(range(&v, "10.0.0.0/8")["verdict"], "no-data");
    assert_eq!(range(&v, "192.0.2.128/26")["verdict"], "annex-wrong");
    assert_eq!(range(&v, "203.0.113.0/25")["verdict"], "agrees");

    assert_eq!(
        codes(&v["findings"]),
        vec![
            s("GEOIP-ACCESS-OUTSIDE-EEA", "error", "admin-paris"),
            s("GEOIP-COUNTRY-MISMATCH", "warning", "par1"),
            s("GEOIP-ELSEWHERE-IN-EEA", "warning", "par2"),
            s("GEOIP-NO-DATA", "notice", "par2"),
        ]
    );
    let annex = &v["findings"][0];
    assert_eq!(annex["file"], "content/access/access.toml");
    assert_eq!(annex["line"], 9);
    assert_eq!(annex["services"], serde_json::json!(["dpi"]));
    assert_eq!(annex["countries"], serde_json::json!(["US"]));
    assert!(
        annex["message_en"]
            .as_str()
            .unwrap()
            .contains("annex would be wrong")
    );
    assert_eq!(v["summary"]["agrees"], 2);
    assert_eq!(v["summary"]["ranges"], 6);
}

#[test]
fn verify_reports_exact_shares_geoip2_layout() {
    check_full_verdicts(Layout::GeoIp2);
}

#[test]
fn verify_reports_exact_shares_flat_layout() {
    check_full_verdicts(Layout::Flat);
}

#[test]
fn ipv4_only_database_gives_a_notice_for_ipv6_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v4.mmdb");
    fs::write(&db, database(IpVersion::V4, Layout::Flat)).unwrap();
    let r = run(
        &["verify", "--geoip", db.to_str().unwrap(), "--deny", "never"],
        &fixture(),
    );
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("IPv4 only"), "{}", r.stdout);
    assert!(
        r.stdout.contains("type `country ipv4`, built 2026-06-17"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("not proof of physical location"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("notice[GEOIP-IPV6-NOT-COVERED] site par2"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("2001:db8::/32 is an IPv6 range"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("192.0.2.0/24     CONTRADICTS          FR 50.00%, US 25.00%, no data 25.00%"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_verify_adds_the_findings_and_the_deny_level_applies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("geo.mmdb");
    fs::write(&db, database(IpVersion::V6, Layout::GeoIp2)).unwrap();
    // Without --verify: nothing about GeoIP.
    let plain = run(&["check", "--format", "json"], &fixture());
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    let pv = json(&plain);
    assert!(codes(&pv["findings"]).is_empty());
    assert!(pv.get("verification").is_none());
    // --geoip implies --verify.
    let r = run(
        &["check", "--format", "json", "--geoip", db.to_str().unwrap()],
        &fixture(),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(codes(&v["findings"]).len(), 4);
    assert_eq!(v["summary"]["error"], 1);
    assert_eq!(
        v["verification"]["database"]["database_type"],
        "GeoLite2-Country"
    );
    assert_eq!(v["findings_located"][0]["code"], "GEOIP-ACCESS-OUTSIDE-EEA");
    // --deny never: exit 0 with the same findings; text names the database.
    let t = run(
        &[
            "check",
            "--verify",
            "--geoip",
            db.to_str().unwrap(),
            "--deny",
            "never",
        ],
        &fixture(),
    );
    assert_eq!(t.code, Some(0), "{}", t.stderr);
    assert!(t.stdout.contains("GeoIP database: "), "{}", t.stdout);
    assert!(
        t.stdout
            .contains("error[GEOIP-ACCESS-OUTSIDE-EEA] access admin-paris"),
        "{}",
        t.stdout
    );
    // The embedded database: the fixture's documentation ranges have no data.
    let e = run(&["check", "--verify", "--format", "json"], &fixture());
    assert_eq!(e.code, Some(0), "{}", e.stderr);
    let ev = json(&e);
    assert_eq!(ev["verification"]["database"]["embedded"], true);
    assert_eq!(ev["verification"]["database"]["build_date"], "2026-06-01");
}

#[test]
fn geoip_in_sovmap_toml_is_relative_to_the_project_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_dir(&fixture(), &root);
    fs::create_dir_all(root.join("geo")).unwrap();
    fs::write(
        root.join("geo/country.mmdb"),
        database(IpVersion::V6, Layout::Flat),
    )
    .unwrap();
    let cfg = root.join("sovmap.toml");
    let text = fs::read_to_string(&cfg).unwrap();
    fs::write(&cfg, format!("{text}geoip = \"geo/country.mmdb\"\n")).unwrap();
    // Run from elsewhere: the path is read from the root, not the current folder.
    let r = run(&["verify", "--format", "json"], &root);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(v["database"]["name"], "geo/country.mmdb");
    assert_eq!(v["database"]["layout"], "flat-country-code");
    // Configured: `check` verifies without --verify.
    let c = run(&["check", "--format", "json"], &root);
    assert_eq!(codes(&json(&c)["findings"]).len(), 4);
    // --geoip wins over the configuration.
    let missing = run(&["verify", "--geoip", "nowhere.mmdb"], &root);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("nowhere.mmdb: no such file"),
        "{}",
        missing.stderr
    );
    // A misspelt key is still an unknown key.
    fs::write(&cfg, format!("{text}geoipp = \"geo/country.mmdb\"\n")).unwrap();
    let u = run(&["verify"], &root);
    assert_eq!(u.code, Some(2));
    assert!(u.stderr.contains("geoipp"), "{}", u.stderr);
    // A configured file that is missing is named, with where it was looked for.
    fs::write(&cfg, format!("{text}geoip = \"geo/missing.mmdb\"\n")).unwrap();
    let m = run(&["check"], &root);
    assert_eq!(m.code, Some(2));
    assert!(
        m.stderr
            .contains("geo/missing.mmdb: no such file (`geoip` in sovmap.toml"),
        "{}",
        m.stderr
    );
}

#[test]
fn bad_database_files_are_named_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = database(IpVersion::V6, Layout::GeoIp2);
    let truncated = dir.path().join("truncated.mmdb");
    fs::write(&truncated, &good[..good.len() - 40]).unwrap();
    let text = dir.path().join("notes.txt");
    fs::write(&text, "this is not a database\n").unwrap();
    let empty = dir.path().join("empty.mmdb");
    fs::write(&empty, b"").unwrap();
    for (file, needle) in [
        (
            truncated.clone(),
            "not a valid MaxMind DB (.mmdb) file: truncated",
        ),
        (
            text.clone(),
            "not a valid MaxMind DB (.mmdb) file: truncated",
        ),
        (empty.clone(), "not a valid MaxMind DB"),
        (dir.path().join("missing.mmdb"), "no such file"),
        (dir.path().to_path_buf(), "folder"),
    ] {
        let f = file.to_str().unwrap();
        for cmd in ["verify", "check"] {
            let r = run(&[cmd, "--geoip", f], &fixture());
            assert_eq!(r.code, Some(2), "{cmd} {f}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("{f}: ")),
                "{cmd} {f}: {}",
                r.stderr
            );
            assert!(r.stderr.contains(needle), "{cmd} {f}: {}", r.stderr);
            assert!(r.stdout.is_empty(), "{}", r.stdout);
        }
        let j = run(&["verify", "--format", "json", "--geoip", f], &fixture());
        assert_eq!(j.code, Some(2));
        let v = json(&j);
        assert_eq!(v["status"], "invalid");
        assert_eq!(v["diagnostics"][0]["file"], f);
    }
    // The build refuses too and writes nothing.
    let out = dir.path().join("site");
    let b = run(
        &[
            "build",
            "--geoip",
            truncated.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        &fixture(),
    );
    assert_eq!(b.code, Some(2), "{}", b.stderr);
    assert!(!out.exists());
}

#[test]
fn test_databases_and_outputs_are_byte_reproducible() {
    assert_eq!(
        database(IpVersion::V6, Layout::GeoIp2),
        database(IpVersion::V6, Layout::GeoIp2)
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.mmdb");
    fs::write(&db, database(IpVersion::V6, Layout::GeoIp2)).unwrap();
    let a = run(
        &[
            "verify",
            "--format",
            "json",
            "--geoip",
            db.to_str().unwrap(),
        ],
        &fixture(),
    );
    let b = run(
        &[
            "verify",
            "--format",
            "json",
            "--geoip",
            db.to_str().unwrap(),
        ],
        &fixture(),
    );
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn build_shows_the_evidence_on_site_and_actor_pages_and_the_exi31_page() {
    let dir = tempfile::tempdir().unwrap();
    // A file name a browser would read as markup: it must come out escaped.
    let db = dir.path().join("geo<b>.mmdb");
    fs::write(&db, database(IpVersion::V6, Layout::GeoIp2)).unwrap();
    let out = dir.path().join("site");
    let o = out.to_str().unwrap();
    // The access finding is an error: the default --deny refuses to publish.
    let refused = run(
        &["build", "--geoip", db.to_str().unwrap(), "--output", o],
        &fixture(),
    );
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stdout.contains("GEOIP-ACCESS-OUTSIDE-EEA"),
        "{}",
        refused.stdout
    );
    assert!(!out.exists());
    let b = run(
        &[
            "build",
            "--geoip",
            db.to_str().unwrap(),
            "--deny",
            "never",
            "--output",
            o,
        ],
        &fixture(),
    );
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    let index_en = read("en/index.html");
    assert!(
        index_en.contains("GeoIP verification of the declared IP ranges: 6 ranges checked against"),
        "{index_en}"
    );
    assert!(index_en.contains("geo&lt;b&gt;.mmdb (GeoLite2-Country, built 2026-06-17)"));
    assert!(!index_en.contains("geo<b>"));
    assert!(index_en.contains("not proof of physical location"));
    // One line per site: the ranges that do not agree first.
    assert!(
        index_en.contains(
            "GeoIP evidence: declared FR · database: 1/2 agree; 192.0.2.0/24: FR 50.00%, US 25.00%, no data 25.00% (contradicts the declaration); 198.51.100.0/24: FR 100.00% (agrees) · "
        ),
        "{index_en}"
    );
    assert!(index_en.contains(
        "GeoIP evidence: declared FR · database: 0/2 agree; 2001:db8::/32: FR 50.00%, NL 50.00% (partly elsewhere in the EEA); 10.0.0.0/8: no data ·"
    ));
    let index_fr = read("index.html");
    assert!(
        index_fr.contains("Vérification GeoIP des plages IP déclarées : 6 plages vérifiées avec")
    );
    assert!(index_fr.contains("0/2 concordent"));
    // The actor page of the team using the access path.
    let actor = read("en/actors/host.html");
    assert!(
        actor.contains("admin-paris — declared FR · database: 1/2 agree; 192.0.2.128/26: US 100.00% (outside the EEA: the annex would be wrong); 203.0.113.0/25: FR 100.00% (agrees)"),
        "{actor}"
    );
    // Without verification the EXI 31 page says so, and no evidence is shown.
    let plain_out = dir.path().join("plain");
    let p = run(
        &["build", "--output", plain_out.to_str().unwrap()],
        &fixture(),
    );
    assert_eq!(p.code, Some(0), "{}", p.stderr);
    let plain = fs::read_to_string(plain_out.join("en/index.html")).unwrap();
    assert!(
        plain.contains(
            "GeoIP verification of the declared IP ranges: not run for this publication."
        )
    );
    assert!(!plain.contains("GeoIP evidence"));
}

/// The fixture with cloud ranges used in Paris (AWS eu-west-3, Google Cloud
/// europe-west9, Azure France Central) on its sites and its French admin
/// team's egress: every one is a US company's block.
fn paris_cloud_project(dir: &Path) -> PathBuf {
    let root = dir.join("project");
    copy_dir(&fixture(), &root);
    let sites: String = [
        ("par1", "Paris 1 (AWS eu-west-3)", "primary", r#""13.36.0.0/14", "15.236.0.0/15", "2a05:d012::/36""#),
        ("par2", "Paris 2 (Azure France Central)", "replica", r#""20.19.0.0/16", "51.103.0.0/17""#),
    ]
    .iter()
    .map(|(id, name, role, ranges)| {
        format!("[[site]]\nid = \"{id}\"\nname = \"{name}\"\noperator = \"host\"\ncountry = \"FR\"\nrole = \"{role}\"\nip_ranges = [{ranges}]\n\n")
    })
    .collect();
    fs::write(root.join("content/sites/sites.toml"), sites).unwrap();
    fs::write(
        root.join("content/access/access.toml"),
        r#"[[access]]
id = "admin-paris"
team = "host"
country = "FR"
targets = ["dpi"]
purpose = "Administration"
source_ip_ranges = ["34.155.0.0/16"]
"#,
    )
    .unwrap();
    root
}

#[test]
fn the_default_database_places_paris_cloud_regions_in_france_and_credits_db_ip() {
    let dir = tempfile::tempdir().unwrap();
    let root = paris_cloud_project(dir.path());
    let v = run(&["verify", "--format", "json"], &root);
    assert_eq!(v.code, Some(0), "{}\n{}", v.stdout, v.stderr);
    let j = json(&v);
    assert_eq!(j["database"]["embedded"], true);
    assert_eq!(j["database"]["build_date"], "2026-06-01");
    assert_eq!(j["database"]["attribution"]["url"], "https://db-ip.com");
    let ranges = j["ranges"].as_array().unwrap();
    assert_eq!(ranges.len(), 6);
    for r in ranges {
        assert_eq!(r["verdict"], "agrees", "{r}");
        assert_eq!(shares(r), vec![("FR".to_string(), 1.0)], "{r}");
    }
    assert!(j["findings"].as_array().unwrap().is_empty(), "{j}");
    let t = run(&["verify"], &root);
    assert!(
        t.stdout
            .contains("credit: IP Geolocation by DB-IP <https://db-ip.com> (CC BY 4.0)"),
        "{}",
        t.stdout
    );
    // `build --verify` publishes, with the credit link on the pages.
    let out = dir.path().join("site");
    let b = run(
        &["build", "--verify", "--output", out.to_str().unwrap()],
        &root,
    );
    assert_eq!(b.code, Some(0), "{}\n{}", b.stdout, b.stderr);
    for page in ["index.html", "en/index.html", "en/actors/host.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains(r#"<a href="https://db-ip.com">IP Geolocation by DB-IP</a>"#),
            "{page}"
        );
    }
    // Without verification, no GeoIP result is shown and no credit is due.
    let plain = dir.path().join("plain");
    let b = run(&["build", "--output", plain.to_str().unwrap()], &root);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let html = fs::read_to_string(plain.join("index.html")).unwrap();
    assert!(!html.contains("db-ip.com"));
}

#[test]
fn the_registration_database_stays_available_with_geoip_db() {
    let dir = tempfile::tempdir().unwrap();
    let root = paris_cloud_project(dir.path());
    let v = run(
        &["verify", "--geoip-db", "iptoasn", "--format", "json"],
        &root,
    );
    // The registry country: US, so the French admin team's egress "leaves
    // the EEA" (the false alarm the default no longer raises).
    assert_eq!(v.code, Some(1), "{}\n{}", v.stdout, v.stderr);
    let j = json(&v);
    assert_eq!(j["database"]["build_date"], "2026-06-17");
    assert!(j["database"].get("attribution").is_none(), "{j}");
    assert_eq!(range(&j, "34.155.0.0/16")["verdict"], "annex-wrong");
    let out = dir.path().join("site");
    let b = run(
        &[
            "build",
            "--geoip-db",
            "iptoasn",
            "--output",
            out.to_str().unwrap(),
        ],
        &root,
    );
    assert_eq!(b.code, Some(1), "{}", b.stderr);
    assert!(!out.exists());
    // dbip is the default, and can be named.
    let d = run(&["check", "--geoip-db", "dbip", "--format", "json"], &root);
    assert_eq!(d.code, Some(0), "{}", d.stderr);
    // A file and an embedded database at once: refused.
    let both = run(
        &["verify", "--geoip-db", "dbip", "--geoip", "x.mmdb"],
        &root,
    );
    assert_eq!(both.code, Some(2));
    let unknown = run(&["verify", "--geoip-db", "maxmind"], &root);
    assert_eq!(unknown.code, Some(2));
    assert!(unknown.stderr.contains("dbip"), "{}", unknown.stderr);
}

/// `verify` judges EEA membership on the `--as-of` date, as `check` does:
/// a range located in the United Kingdom was inside the EEA in 2020 (it
/// ignored `--as-of` and always used today's list).
#[test]
fn verify_judges_eea_membership_on_the_as_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gb.mmdb");
    let entries = [
        ("198.51.100.0/25", "FR"),
        ("198.51.100.128/25", "GB"),
        ("192.0.2.0/24", "FR"),
    ];
    fs::write(&db, database_of(IpVersion::V4, Layout::Flat, &entries)).unwrap();
    let gb_eea = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--format",
            "json",
            "--geoip",
            db.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let v = json(&run(&args, &fixture()));
        let r = range(&v, "198.51.100.0/24");
        let gb = r["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["country"] == "GB")
            .unwrap_or_else(|| panic!("no GB share in {r:#}"));
        (gb["eea"].as_bool().unwrap(), r["verdict"].clone())
    };
    let (today, today_verdict) = gb_eea(&[]);
    assert!(!today, "GB is outside the EEA on the fixture's 2026 date");
    let (in_2020, verdict_2020) = gb_eea(&["--as-of", "2020-06-01"]);
    assert!(in_2020, "GB was inside the EEA on 2020-06-01");
    assert_ne!(today_verdict, verdict_2020);
}
