//! Real documents: unknown values, unnamed actors and people, the publisher
//! that is not the host, declared gaps, possible transfers and the data
//! categories published lists use. Each test runs the binary on a project
//! that transcribes what such a document says, and nothing more.

mod common;

use std::fs;
use std::path::Path;

use serde_json::Value;

/// A project written from `(path, text)` pairs under a temporary folder.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    dir
}

const CONFIG: &str = "name = \"Test\"\nhost = \"host\"\npublication_date = 2026-11-15\n";

const HOST: &str = r#"
[[entity]]
id = "host"
legal_name = "Host SAS"
country = "FR"
  [entity.hds]
  activities = [1, 2, 3, 4, 5, 6]
  issued = 2025-01-01
  expires = 2028-01-01
  certifier = "Cert Body"
  referential = "2024"
"#;

fn check_json(root: &Path) -> (Option<i32>, Value) {
    let out = common::sovmap()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--format", "json"])
        .output()
        .expect("run sovmap");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), v)
}

fn findings(v: &Value) -> Vec<&Value> {
    v["findings"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// Codes of the findings about a subject id, sorted.
fn codes_about(v: &Value, id: &str) -> Vec<String> {
    let mut c: Vec<String> = findings(v)
        .into_iter()
        .filter(|f| f["subject"]["id"] == id)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect();
    c.sort();
    c
}

fn finding<'a>(v: &'a Value, code: &str, id: &str) -> &'a Value {
    findings(v)
        .into_iter()
        .find(|f| f["code"] == code && f["subject"]["id"] == id)
        .unwrap_or_else(|| panic!("no {code} about {id}: {:#}", v["findings"]))
}

fn service_form<'a>(v: &'a Value, id: &str) -> &'a str {
    v["services"][id]["form"].as_str().unwrap_or("")
}

fn vague_provider() -> std::path::PathBuf {
    common::fixtures().join("real").join("vague-provider")
}

#[test]
fn eu_storage_meets_exi28_and_only_asks_the_member_state() {
    let (code, v) = check_json(&vague_provider());
    assert_eq!(
        code,
        Some(1),
        "the unknown storage country is an error at worst"
    );
    let f = finding(&v, "CONFIRM-MEMBER-STATE", "eu-servers");
    assert_eq!(f["severity"], "notice");
    assert_eq!(f["to_confirm"], true);
    assert!(
        !codes_about(&v, "eu-servers")
            .iter()
            .any(|c| c.starts_with("EXI28"))
    );
}

#[test]
fn unknown_country_is_outside_the_eea_at_worst_and_to_confirm() {
    let (_, v) = check_json(&vague_provider());
    let f = finding(&v, "CONFIRM-STORAGE-COUNTRY", "backup-vendor");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["to_confirm"], true);
    let msg = f["message_en"].as_str().unwrap_or("");
    assert!(msg.contains("does not name the country"), "{msg}");
    assert!(msg.contains("Ask the provider"), "{msg}");
    // Not the certainty of a named third country.
    assert!(!codes_about(&v, "backup-vendor").contains(&"EXI28-STORAGE-OUTSIDE-EEA".to_string()));
    // The unknown country is an EXI 30 question with the laws unknown.
    assert_eq!(
        finding(&v, "CONFIRM-CONTROL-COUNTRY", "backup-vendor")["severity"],
        "warning"
    );
    assert!(!codes_about(&v, "backup-vendor").contains(&"EXI30-LAWS-UNKNOWN".to_string()));
    // The table, never a fixed sentence, while a storage place is unknown.
    assert_eq!(service_form(&v, "hosting"), "table");
    // Never called "a third country" when it may not be one.
    for f in findings(&v) {
        let m = f["message_en"].as_str().unwrap_or("");
        assert!(!m.contains("third country (country not stated)"), "{m}");
    }
}

#[test]
fn unstated_basis_is_to_confirm_not_no_basis() {
    let (_, v) = check_json(&vague_provider());
    assert_eq!(
        finding(&v, "CONFIRM-ACCESS-BASIS", "support-n2")["severity"],
        "warning"
    );
    assert_eq!(
        finding(&v, "CONFIRM-TRANSFER-BASIS", "encrypted-backups")["severity"],
        "warning"
    );
    for id in ["support-n2", "encrypted-backups", "telemetry"] {
        let c = codes_about(&v, id);
        assert!(!c.iter().any(|c| c.ends_with("NO-BASIS")), "{id}: {c:?}");
    }
    let t = v["transfers"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == "access:support-n2"))
        .expect("transfer");
    assert_eq!(t["basis_status"], "unstated");

    // The same access with no `basis` at all is "no basis".
    let dir = project(&[
        ("sovmap.toml", CONFIG),
        (
            "content/entities/e.toml",
            &format!(
                "{HOST}\n[[entity]]\nid = \"us\"\nlegal_name = \"US Inc\"\ncountry = \"US\"\nhds_exempted_under = \"host\"\n"
            ),
        ),
        (
            "content/sites/s.toml",
            "[[site]]\nid = \"par\"\nname = \"Paris\"\noperator = \"host\"\ncountry = \"FR\"\nrole = \"primary\"\n",
        ),
        (
            "content/services/s.toml",
            "[[service]]\nid = \"svc\"\nname = \"S\"\nsites = [\"par\"]\n[[service.actor]]\nentity = \"host\"\nactivities = [1, 2, 3, 4, 5, 6]\n",
        ),
        (
            "content/access/a.toml",
            "[[access]]\nid = \"a\"\nteam = \"us\"\ncountry = \"US\"\ntargets = [\"svc\"]\npurpose = \"support\"\n",
        ),
    ]);
    let (_, v) = check_json(dir.path());
    assert!(codes_about(&v, "a").contains(&"EXI29-NO-BASIS".to_string()));
}

#[test]
fn dpf_unknown_is_judged_as_not_listed_and_asked() {
    let (_, v) = check_json(&vague_provider());
    let f = finding(&v, "CONFIRM-DPF", "telemetry");
    assert_eq!(f["to_confirm"], true);
    assert!(
        f["message_en"]
            .as_str()
            .unwrap_or("")
            .contains("Data Privacy Framework")
    );
}

#[test]
fn hds_certified_without_details_is_to_confirm_not_uncertified() {
    let (_, v) = check_json(&vague_provider());
    let c = codes_about(&v, "orbis");
    assert!(c.contains(&"CONFIRM-HDS-CERTIFICATE".to_string()), "{c:?}");
    assert!(!c.contains(&"HDS-NOT-CERTIFIED".to_string()), "{c:?}");
    let row = v["services"]["hosting"]["actors"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["entity"] == "orbis"))
        .expect("row");
    assert_eq!(row["hds"], "unconfirmed");

    // Activities stated and not covering what the actor does: a defect.
    let dir = project(&[
        ("sovmap.toml", CONFIG),
        (
            "content/entities/e.toml",
            "[[entity]]\nid = \"host\"\nlegal_name = \"Host SAS\"\ncountry = \"FR\"\n  [entity.hds]\n  activities = [1, 2]\n  issued = \"unknown\"\n  expires = \"unknown\"\n  certifier = \"unknown\"\n",
        ),
        (
            "content/sites/s.toml",
            "[[site]]\nid = \"par\"\nname = \"Paris\"\noperator = \"host\"\ncountry = \"FR\"\nrole = \"primary\"\n",
        ),
        (
            "content/services/s.toml",
            "[[service]]\nid = \"svc\"\nname = \"S\"\nsites = [\"par\"]\n[[service.actor]]\nentity = \"host\"\nactivities = [1, 2, 5]\n",
        ),
    ]);
    let (code, v) = check_json(dir.path());
    assert_ne!(code, Some(2), "{v:#}");
    let c = codes_about(&v, "host");
    assert!(c.contains(&"HDS-NOT-CERTIFIED".to_string()), "{c:?}");
}

#[test]
fn unnamed_parent_and_teams_are_never_incorporated() {
    let (_, v) = check_json(&vague_provider());
    // The unnamed US parent makes the host exposed (EXI 30) by its country.
    let x = v["exposures"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["entity"] == "orbis"))
        .expect("exposure of orbis");
    assert_eq!(x["country"], "US");
    assert_eq!(x["through"], "orbis-parent");
    let team = finding(&v, "EXI30-NO-MEASURE", "support-canada");
    let m = team["message_en"].as_str().unwrap_or("");
    assert!(
        m.contains("residing there") && !m.contains("incorporated"),
        "{m}"
    );
    for f in findings(&v) {
        let m = f["message_en"].as_str().unwrap_or("");
        assert!(
            !(m.contains("staff in Canada") && m.contains("incorporated")),
            "{m}"
        );
    }
}

#[test]
fn possible_transfers_are_analysed_and_said_possible() {
    let (_, v) = check_json(&vague_provider());
    let t = v["transfers"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == "flow:telemetry"))
        .expect("the possible flow is a transfer");
    assert_eq!(t["possible"], true);
    let f = finding(&v, "CONFIRM-TRANSFER-BASIS", "telemetry");
    assert!(
        f["message_en"]
            .as_str()
            .unwrap_or("")
            .starts_with("Possible transfer")
    );
    // Presented as possible on the pages too, in both languages.
    let html = built_html(&vague_provider());
    assert!(html.contains("possible: the document says the data may go there"));
    assert!(html.contains("possible : le document dit que les données peuvent y aller"));
}

#[test]
fn declared_gaps_are_findings() {
    let dir = project(&[
        ("sovmap.toml", CONFIG),
        (
            "content/entities/e.toml",
            &format!(
                "{HOST}\n[[entity]]\nid = \"ops\"\nlegal_name = \"Ops Ltd\"\ncountry = \"IN\"\nhds_exempted_under = \"host\"\n\n[[entity]]\nid = \"dc\"\nlegal_name = \"DC GmbH\"\ncountry = \"DE\"\n"
            ),
        ),
        (
            "content/sites/s.toml",
            "[[site]]\nid = \"fra\"\nname = \"Frankfurt\"\noperator = \"dc\"\ncountry = \"DE\"\nrole = \"primary\"\n",
        ),
        (
            "content/services/s.toml",
            "[[service]]\nid = \"empty\"\nname = \"No storage\"\nsites = []\n[[service.actor]]\nentity = \"host\"\nactivities = [3, 4]\n\n[[service]]\nid = \"run\"\nname = \"Run\"\nsites = [\"fra\"]\n[[service.actor]]\nentity = \"host\"\nactivities = [3, 4]\n[[service.actor]]\nentity = \"ops\"\nactivities = [5]\n",
        ),
    ]);
    let (_, v) = check_json(dir.path());
    assert_eq!(
        finding(&v, "GAP-NO-STORAGE-SITE", "empty")["severity"],
        "warning"
    );
    assert_eq!(
        service_form(&v, "empty"),
        "table",
        "never « aucun transfert » without storage"
    );
    assert_eq!(
        finding(&v, "GAP-ADMIN-NO-ACCESS", "ops")["severity"],
        "warning"
    );
    // The operator of the storage site has no HDS status: a finding, not a bare "no".
    assert_eq!(finding(&v, "GAP-HDS-STATUS", "dc")["severity"], "warning");
    for row in v["provider_actors"].as_array().into_iter().flatten() {
        if row["hds"] == "no" {
            let id = row["entity"].as_str().unwrap_or("");
            assert!(
                !codes_about(&v, id).is_empty(),
                "HDS: no for {id} with no finding"
            );
        }
    }
}

/// A health platform publishing the map of its certified host's chain
/// (`publisher = "platform"`, issue 18 item 3), its health data stored by
/// the host in Paris.
fn platform_project() -> tempfile::TempDir {
    project(&[
        (
            "sovmap.toml",
            "name = \"Télé Consult\"\nhost = \"platform\"\npublisher = \"platform\"\npublication_date = 2026-11-15\n",
        ),
        (
            "content/entities/e.toml",
            &format!(
                "{}\n[[entity]]\nid = \"platform\"\nlegal_name = \"TéléConsult SAS\"\ncountry = \"FR\"\n",
                HOST
            ),
        ),
        (
            "content/sites/s.toml",
            "[[site]]\nid = \"par\"\nname = \"Paris\"\noperator = \"host\"\ncountry = \"FR\"\nrole = \"primary\"\n",
        ),
        (
            "content/services/s.toml",
            "[[service]]\nid = \"app\"\nname = \"App\"\nsites = [\"par\"]\n[[service.actor]]\nentity = \"host\"\nactivities = [1, 2, 3, 4, 5, 6]\n",
        ),
        (
            "content/flows/f.toml",
            "[[flow]]\nid = \"up\"\nfrom = \"platform\"\nto = \"par\"\nkind = \"storage\"\ndata = [\"health\"]\n",
        ),
    ])
}

#[test]
fn platform_publisher_is_not_a_defect() {
    let dir = platform_project();
    let (code, v) = check_json(dir.path());
    assert_eq!(code, Some(0), "{:#}", v["findings"]);
    assert!(
        codes_about(&v, "platform").is_empty(),
        "{:#}",
        v["findings"]
    );
    let rows = v["provider_actors"].as_array().expect("rows");
    let role = |id: &str| {
        rows.iter()
            .find(|r| r["entity"] == id)
            .map(|r| (r["role"].clone(), r["hds"].clone()))
    };
    assert_eq!(
        role("host"),
        Some((Value::from("host"), Value::from("certified")))
    );
    if let Some((r, h)) = role("platform") {
        assert_eq!(r, "publisher");
        assert_eq!(h, "not-applicable");
    }
}

#[test]
fn data_categories_as_lists_write_them() {
    let dir = project(&[
        ("sovmap.toml", CONFIG),
        (
            "content/entities/e.toml",
            &format!(
                "{HOST}\n[[entity]]\nid = \"pay\"\nlegal_name = \"Pay Inc\"\ncountry = \"US\"\nhds_exempted_under = \"host\"\n"
            ),
        ),
        (
            "content/sites/s.toml",
            "[[site]]\nid = \"par\"\nname = \"Paris\"\noperator = \"host\"\ncountry = \"FR\"\nrole = \"primary\"\n\n[[site]]\nid = \"kms-us\"\nname = \"Keys\"\noperator = \"pay\"\ncountry = \"US\"\nrole = \"backup\"\n",
        ),
        (
            "content/services/s.toml",
            "[[service]]\nid = \"svc\"\nname = \"S\"\nsites = [\"par\"]\n[[service.actor]]\nentity = \"host\"\nactivities = [1, 2, 3, 4, 5, 6]\n",
        ),
        (
            "content/flows/f.toml",
            "[[flow]]\nid = \"pay\"\nfrom = \"par\"\nto = \"pay\"\nkind = \"processing\"\ndata = [\"payment\"]\nbasis = \"scc-2\"\n\n[[flow]]\nid = \"logs\"\nfrom = \"par\"\nto = \"pay\"\nkind = \"telemetry\"\ndata = [\"logs\", \"anonymised\"]\nbasis = \"scc-2\"\n\n[[flow]]\nid = \"keys\"\nfrom = \"par\"\nto = \"kms-us\"\nkind = \"backup\"\ndata = [\"encryption-keys\"]\nbasis = \"scc-2\"\n",
        ),
    ]);
    let (code, v) = check_json(dir.path());
    assert_ne!(code, Some(2), "aliases are accepted: {v:#}");
    let t = |id: &str| {
        v["transfers"]
            .as_array()
            .and_then(|a| a.iter().find(|t| t["id"] == format!("flow:{id}")))
            .cloned()
    };
    // Payment data: personal (Chapter V), not health.
    assert_eq!(t("pay").expect("payment is personal data")["health"], false);
    // Logs are metadata: personal data.
    assert!(t("logs").is_some());
    // Keys count as health data: stored outside the EEA, EXI 28 fails.
    assert_eq!(t("keys").expect("keys")["health"], true);
    assert!(codes_about(&v, "kms-us").contains(&"EXI28-STORAGE-OUTSIDE-EEA".to_string()));
}

#[test]
fn region_values_are_accepted_only_as_documented() {
    let dir = project(&[
        ("sovmap.toml", CONFIG),
        (
            "content/entities/e.toml",
            &format!("{HOST}\n[[entity]]\nid = \"x\"\nlegal_name = \"X\"\ncountry = \"Europe\"\n"),
        ),
    ]);
    let out = common::sovmap()
        .arg("check")
        .arg("--root")
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`unknown`"),
        "the help names the region values: {err}"
    );
}

/// Every HTML page of a build of `root` (with `--deny never`), concatenated.
fn built_html(root: &Path) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let run = common::sovmap()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&site)
        .args(["--deny", "never"])
        .output()
        .expect("run");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut html = String::new();
    let mut stack = vec![site];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                html.push_str(&fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    html
}

#[test]
fn pages_say_what_the_document_says_and_no_more() {
    let html = built_html(&vague_provider());
    assert!(html.contains("UE (État membre non précisé)"));
    assert!(html.contains("EU (member state not stated)"));
    for never in ["incorporated there", "société de droit de ce pays"] {
        assert!(!html.contains(never), "a page says {never:?}");
    }
    // The certificate the annex mentions, with what it does not say.
    assert!(html.contains("non précisé (à confirmer)"));
}

#[test]
fn a_platform_map_presents_its_certified_host() {
    let dir = platform_project();
    let html = built_html(dir.path());
    assert!(
        !html.contains("Pas de certificat HDS déclaré"),
        "the publisher is not shown as an uncertified host"
    );
    assert!(
        html.contains("Cert Body"),
        "the certified host's certificate is shown"
    );
}
