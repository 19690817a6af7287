//! Legal scenarios of issue 17: one small fixture project per rule under
//! `tests/fixtures/legal/`, and the finding, form or page text the law
//! requires (see `/README.md`, "Rules applied"). Each test failed before the
//! rule was corrected.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{JsonRun as Run, run_check, sovmap, text};

/// `sovmap check --format json` on `tests/fixtures/legal/<name>`.
fn legal(name: &str, extra: &[&str]) -> Arc<Run> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legal")
        .join(name);
    Arc::new(run_check(&root, extra))
}

fn has(run: &Run, f: &serde_json::Value, field: &str, needle: &str) {
    assert!(
        text(&f[field]).contains(needle),
        "{}: {field} of {} about {} should contain {needle:?}, got {:?}",
        run.what,
        f["code"],
        f["subject"],
        f[field]
    );
}

// ---------------------------------------------------------------------------
// Rule 1: EXI 29 admits Art. 45 or Art. 46 only.
// ---------------------------------------------------------------------------

#[test]
fn art49_derogation_on_health_data_is_an_exi29_error() {
    let r = legal("art49", &[]);
    r.assert_exit(1);
    // One-off access to health data under consent: still an error.
    let f = r.expect(
        "EXI29-DEROGATION",
        "error",
        "access:once-health",
        &["dpi"],
        &["MA"],
    );
    has(&r, f, "message_en", "HDS EXI 29 does not admit");
    has(&r, f, "message_fr", "n'admet pas");
    has(&r, f, "hint", "scc-3");
    r.expect(
        "EXI29-DEROGATION-SYSTEMATIC",
        "error",
        "access:regular-health",
        &["dpi"],
        &["MA"],
    );
    // Other personal data: Art. 49 applies restrictively — a warning.
    r.expect(
        "TRANSFER-DEROGATION",
        "warning",
        "access:once-contacts",
        &["dpi"],
        &["MA"],
    );
}

/// `sovmap build --deny never` on a legal fixture: the HTML pages by path.
fn build(name: &str, extra: &[&str]) -> std::collections::BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legal")
        .join(name);
    let out = tempfile::tempdir().expect("temporary folder");
    let site = out.path().join("site");
    let status = sovmap()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(&site)
        .args(["--deny", "never"])
        .args(extra)
        .output()
        .expect("sovmap runs");
    assert!(
        status.status.success(),
        "build of {name} failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut pages = std::collections::BTreeMap::new();
    let mut stack = vec![site.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("site folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p
                    .strip_prefix(&site)
                    .expect("inside the site")
                    .to_string_lossy()
                    .replace('\\', "/");
                pages.insert(rel, std::fs::read_to_string(&p).expect("UTF-8 page"));
            }
        }
    }
    pages
}

fn page<'a>(pages: &'a std::collections::BTreeMap<String, String>, path: &str) -> &'a str {
    pages
        .get(path)
        .unwrap_or_else(|| panic!("no page {path}; pages: {:?}", pages.keys()))
}

// ---------------------------------------------------------------------------
// Rule 2: no fixed sentence over a foreign-controlled actor; always disclosed.
// ---------------------------------------------------------------------------

#[test]
fn partial_adequacy_policy_never_hides_the_exposure_or_picks_a_fixed_sentence() {
    let r = legal("partial-policy", &[]);
    // The DPF-listed US parent: disclosed, not counted as a risk by policy.
    let x = r
        .exposure("exposure:stratus-fr:US")
        .unwrap_or_else(|| panic!("exposure disclosed\n{}", r.summary()));
    assert_eq!(x["risk"], false);
    assert!(!x["laws"].as_array().unwrap().is_empty(), "{x}");
    let f = r.expect(
        "EXI30-PARTIAL-ADEQUACY-DISCLOSED",
        "notice",
        "entity:stratus-fr",
        &["plain", "snc"],
        &["US"],
    );
    has(&r, f, "message_en", "Le groupe Stratus est inscrit au DPF.");
    has(&r, f, "message_en", "within its scope");
    r.assert_none("EXI30-NO-MEASURE", "entity:stratus-fr");
    // Neither « aucun risque » nor « aucun transfert ».
    assert_eq!(r.form("snc"), "table");
    assert_eq!(r.form("plain"), "table");
    r.expect("SNC-CONTRADICTION", "error", "service:snc", &["snc"], &[]);
    // Controlled from a fully adequate country: no exposure, form 2 stands.
    assert!(r.exposure("exposure:alpen-fr:CH").is_none());
    assert_eq!(r.form("swiss"), "no-transfer");

    let pages = build("partial-policy", &[]);
    let annex = page(&pages, "annex/index.html");
    assert!(
        annex.contains("Stratus Cloud Inc."),
        "annex names the parent"
    );
    assert!(annex.contains("CLOUD"), "annex names the US access laws");
    assert!(
        !annex.contains("Aucun acteur n&#39;est soumis")
            && !annex.contains("Aucun acteur n'est soumis"),
        "the annex must not say no actor is subject to non-adequate law"
    );
    assert!(
        annex.contains("Le groupe Stratus est inscrit au DPF."),
        "policy rationale beside the exposure"
    );
}

// ---------------------------------------------------------------------------
// Rule 3: SecNumCloud means a version carrying §19.6, for the whole chain.
// ---------------------------------------------------------------------------

#[test]
fn secnumcloud_form_needs_version_3_2_for_every_actor() {
    let r = legal("secnumcloud", &[]);
    assert_eq!(r.form("snc-ok"), "secnumcloud");
    r.assert_none("SNC-NOT-QUALIFIED", "service:snc-ok");
    assert_eq!(r.form("snc-colo"), "no-transfer");
    let f = r.expect(
        "SNC-NOT-QUALIFIED",
        "error",
        "service:snc-colo",
        &["snc-colo"],
        &[],
    );
    has(
        &r,
        f,
        "message_en",
        "Colocation Française SAS holds no SecNumCloud qualification",
    );
    assert_eq!(r.form("snc-old"), "no-transfer");
    let f = r.expect(
        "SNC-NOT-QUALIFIED",
        "error",
        "service:snc-old",
        &["snc-old"],
        &[],
    );
    has(
        &r,
        f,
        "message_en",
        "version 3.1, which does not carry §19.6",
    );
    let row = r.actor("snc-old", "old-fr");
    assert_eq!(row["secnumcloud"], false);
    assert_eq!(row["secnumcloud_declared"], "3.1");
    let pages = build("secnumcloud", &[]);
    let en = page(&pages, "en/services/snc-old.html");
    assert!(
        en.contains("no (declared: version 3.1)"),
        "3.1 shown as declared"
    );
}

// ---------------------------------------------------------------------------
// Rule 5: the referential's and the Union's real dates.
// ---------------------------------------------------------------------------

#[test]
fn uk_inside_the_eea_until_the_end_of_the_transition_period_only() {
    // Transition period: inside the EEA; HDS v2 did not exist yet.
    let r = legal("brexit", &["--as-of", "2020-06-01"]);
    r.assert_none("EXI28-STORAGE-OUTSIDE-EEA", "site:lon-backup");
    assert!(r.transfer("access:support-london").is_none());
    let f = r.expect(
        "HDS-V2-NOT-YET-APPLICABLE",
        "warning",
        "reference:hds-referential-2024",
        &[],
        &[],
    );
    has(&r, f, "message_en", "before the HDS referential v2 existed");
    // TCA bridge: a third country outside the EEA, transfers still free.
    let r = legal("brexit", &["--as-of", "2021-03-01"]);
    r.expect(
        "EXI28-STORAGE-OUTSIDE-EEA",
        "error",
        "site:lon-backup",
        &["dpi"],
        &["GB"],
    );
    let f = r.expect(
        "EXI29-ACCESS-ADEQUACY",
        "notice",
        "access:support-london",
        &["dpi"],
        &["GB"],
    );
    has(&r, f, "message_en", "FINPROV.10A");
    has(&r, f, "message_en", "not an adequacy decision");
    // Today: the adequacy decision; storage still outside the EEA.
    let r = legal("brexit", &[]);
    r.expect(
        "EXI28-STORAGE-OUTSIDE-EEA",
        "error",
        "site:lon-backup",
        &["dpi"],
        &["GB"],
    );
    r.assert_none(
        "HDS-V2-NOT-YET-APPLICABLE",
        "reference:hds-referential-2024",
    );
    let f = r.finding("EXI29-ACCESS-ADEQUACY", "access:support-london");
    has(&r, f, "message_en", "2021/1772");
}

// ---------------------------------------------------------------------------
// Rule 10: the English page is the translation, the French text the original.
// ---------------------------------------------------------------------------

#[test]
fn english_statement_is_the_translation_and_the_french_the_original() {
    let pages = build("secnumcloud", &[]);
    let en = page(&pages, "en/services/snc-ok.html");
    let fr_text = "aucun risque d&#39;accès imposé";
    let fr_at = en
        .find(fr_text)
        .or_else(|| en.find("aucun risque d'accès imposé"))
        .expect("the French original is on the English page");
    let before = &en[..fr_at];
    let label_at = before.rfind("<p").expect("a paragraph holds the original");
    let label = &en[label_at..fr_at];
    assert!(
        label.contains("Original French regulatory wording"),
        "the French original must be labelled as the original: {label}"
    );
    assert!(!label.to_lowercase().contains("translation of"), "{label}");
    assert!(en.contains("sovmap&#39;s translation") || en.contains("sovmap's translation"));
    // The French page shows the regulatory wording, never called a translation.
    let fr = page(&pages, "services/snc-ok.html");
    assert!(fr.contains("aucun risque d"), "French page states form 1");
    assert!(!fr.to_lowercase().contains("traduction"));
}

// ---------------------------------------------------------------------------
// Rule 6: measures attach to what they name; residual risk is checked.
// ---------------------------------------------------------------------------

#[test]
fn measures_mitigate_the_actors_they_name_and_residual_risk_is_checked() {
    let r = legal("measures", &[]);
    let measures = |id: &str| -> Vec<String> {
        common::list(
            &r.exposure(id)
                .unwrap_or_else(|| panic!("{id}\n{}", r.summary()))["measures"],
        )
    };
    // A law-only measure attaches to nobody.
    assert!(measures("exposure:dragon-fr:CN").is_empty());
    r.expect(
        "EXI30-NO-MEASURE",
        "error",
        "entity:dragon-fr",
        &["dpi"],
        &["CN"],
    );
    r.expect(
        "MEASURE-NOT-ATTACHED",
        "warning",
        "measure:contestation-nil",
        &[],
        &[],
    );
    // A group-wide measure on the parent counts for the subsidiary…
    assert_eq!(measures("exposure:eagle-fr:US"), ["eagle-group"]);
    r.expect(
        "EXI30-EXPOSURE",
        "notice",
        "entity:eagle-fr",
        &["dpi"],
        &["US"],
    );
    // …and its law does not spread it to the other US actors.
    assert_eq!(measures("exposure:kms-us:US"), ["kms-encryption"]);
    // A measure on the team's own access path counts for the team.
    assert_eq!(measures("exposure:ops-us:US"), ["ops-us-jit"]);
    r.assert_none("EXI30-NO-MEASURE", "entity:ops-us");
    r.assert_none("EXI30-RESIDUAL-UNDERSTATED", "entity:ops-us");
    // « aucun » residual risk while the exposed provider holds the keys.
    let f = r.expect(
        "EXI30-RESIDUAL-UNDERSTATED",
        "warning",
        "entity:kms-us",
        &["dpi"],
        &["US"],
    );
    has(&r, f, "message_en", "may hold the encryption keys");
    has(&r, f, "message_en", "use cases 6 and 7");
}

// ---------------------------------------------------------------------------
// Rule 4: control follows voting power; holdings against §19.6.b.
// ---------------------------------------------------------------------------

#[test]
fn control_follows_voting_power_and_holdings_are_disclosed_against_19_6_b() {
    let r = legal("holdings", &[]);
    // 10 % through `parent`: a holding, not a parent; nothing to disclose.
    assert!(
        r.exposure("exposure:acme-fr:US").is_none(),
        "{}",
        r.summary()
    );
    assert!(r.about("entity:acme-fr").is_empty(), "{}", r.summary());
    assert_eq!(r.form("svc-acme"), "no-transfer");
    // 30 % of the votes: above 24 %, disclosed with the criterion; no control.
    assert!(r.exposure("exposure:beta-fr:US").is_none());
    let f = r.expect(
        "EXI30-FOREIGN-HOLDING",
        "notice",
        "entity:beta-fr",
        &["svc-beta"],
        &["US"],
    );
    has(&r, f, "message_en", "19.6.b");
    has(&r, f, "message_en", "more than 24 % individually");
    // 20 % US + 25 % China (through a French holding company): collectively.
    let f = r.expect(
        "EXI30-FOREIGN-HOLDING",
        "notice",
        "entity:gamma-fr",
        &["svc-gamma"],
        &["CN", "US"],
    );
    has(
        &r,
        f,
        "message_en",
        "45 % together (more than 39 % collectively)",
    );
    has(
        &r,
        f,
        "message_en",
        "Dragon Capital Co., Ltd. (China) holds 25 %",
    );
    // Majority of votes, board appointment, or a bare `parent`: control.
    for e in ["delta-fr", "eps-fr", "zeta-fr"] {
        let x = r
            .exposure(&format!("exposure:{e}:US"))
            .unwrap_or_else(|| panic!("{e} is controlled from the US\n{}", r.summary()));
        assert_eq!(x["through"], "us-corp");
    }
    let pages = build("holdings", &[]);
    let acme = page(&pages, "actors/acme-fr.html");
    assert!(
        !acme.contains("société mère ultime"),
        "10 % is not a parent"
    );
    assert!(
        acme.contains("Participations sans contrôle"),
        "shown as a holding"
    );
    assert!(page(&pages, "actors/delta-fr.html").contains("société mère ultime"));
}

// ---------------------------------------------------------------------------
// Rule 7: Art. 46 transfers need a transfer impact assessment.
// ---------------------------------------------------------------------------

#[test]
fn art46_transfers_name_their_transfer_impact_assessment() {
    let r = legal("tia", &[]);
    let f = r.expect(
        "TIA-MISSING",
        "warning",
        "access:ops-ma-none",
        &["dpi"],
        &["MA"],
    );
    has(&r, f, "hint", "tia_reference");
    let f = r.expect(
        "TIA-REVIEW-OVERDUE",
        "warning",
        "access:ops-ma-stale",
        &["dpi"],
        &["MA"],
    );
    has(&r, f, "message_en", "2025-07-01");
    r.assert_none("TIA-MISSING", "access:ops-ma-stale");
    r.assert_none("TIA-MISSING", "access:ops-ma-ok");
    r.assert_none("TIA-REVIEW-OVERDUE", "access:ops-ma-ok");
    // Full adequacy: no Art. 46 transfer, no assessment to name.
    r.assert_none("TIA-MISSING", "access:ops-ch");
    assert_eq!(
        r.transfer("access:ops-ma-ok").unwrap()["tia"]["reference"],
        "AIT-2026-03"
    );
    // Shown in the annex.
    let pages = build("tia", &[]);
    let annex = page(&pages, "annex/index.html");
    assert!(
        annex.contains("AIT-2026-03"),
        "the assessment is in the annex"
    );
}

// ---------------------------------------------------------------------------
// Rule 8: storage locations (EXI 28) are where health data is stored.
// ---------------------------------------------------------------------------

/// The part of `page` from the element whose id is `id` to the end of its
/// `<section>` or the next heading.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &page[start..];
    // Past the section's own heading, if any.
    let body = rest.find("</h2>").unwrap_or(0);
    let end = [
        rest.find("</section>"),
        rest[body..].find("<h2").map(|i| body + i),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn storage_locations_list_only_sites_storing_health_data() {
    let r = legal("storage-sites", &[]);
    r.assert_exit(0);
    let sites = &r.json["sites"];
    assert_eq!(sites["par1"]["health_storage"], true);
    // A backup flow of health data makes a storage location, with the service.
    assert_eq!(sites["rbx-bkp"]["health_storage"], true);
    assert_eq!(sites["rbx-bkp"]["services"], serde_json::json!(["dpi"]));
    // `role = "backup"` of contact data only: not health storage.
    assert_eq!(sites["ams-crm"]["health_storage"], false);
    assert_eq!(
        sites["ams-crm"]["received"],
        serde_json::json!(["personal"])
    );
    assert_eq!(sites["dub-siem"]["health_storage"], false);
    assert_eq!(
        sites["dub-siem"]["received"],
        serde_json::json!(["metadata"])
    );
    assert_eq!(sites["lyon-office"]["health_storage"], false);

    let pages = build("storage-sites", &[]);
    let index = page(&pages, "index.html");
    let storage = section(index, "storage");
    for id in ["par1", "rbx-bkp"] {
        assert!(
            storage.contains(&format!("site-{id}")),
            "{id} stores health data:\n{storage}"
        );
    }
    for id in ["dub-siem", "ams-crm", "lyon-office"] {
        assert!(
            !storage.contains(&format!("site-{id}")),
            "{id} is not a storage location:\n{storage}"
        );
    }
    let other = section(index, "other-sites");
    assert!(other.contains("Autres sites et serveurs des destinataires"));
    for (id, data) in [
        ("dub-siem", "métadonnées techniques (télémétrie)"),
        ("ams-crm", "données personnelles (sauvegarde)"),
        ("lyon-office", "aucun flux déclaré"),
    ] {
        let row = section(other, &format!("site-{id}"));
        let row = &row[..row.find("</tr>").unwrap_or(row.len())];
        assert!(row.contains(data), "{id} receives {data}: {row}");
    }
    let en = section(page(&pages, "en/index.html"), "other-sites");
    assert!(en.contains("recipients&#39; servers") || en.contains("recipients' servers"));
    assert!(en.contains("technical metadata (telemetry)"));
    // The service page and the annexes: the same storage locations.
    for (path, id) in [
        ("services/dpi.html", "storage"),
        ("annex/index.html", "annex-2"),
        ("annex/dpi.html", "annex-2"),
    ] {
        let p = section(page(&pages, path), id);
        assert!(
            p.contains("rbx-bkp"),
            "{path} lists the backup site of health data"
        );
        assert!(
            !p.contains("ams-crm"),
            "{path} lists no site without health data"
        );
    }
}

// ---------------------------------------------------------------------------
// Rule 9: currency and confidence of the facts are visible; kinds of laws.
// ---------------------------------------------------------------------------

#[test]
fn pages_say_how_far_the_facts_were_checked_and_show_status_notes() {
    let r = legal("measures", &[]);
    let x = r.exposure("exposure:dragon-fr:CN").expect("CN exposure");
    let laws = common::list(&x["laws"]);
    // A blocking rule is not an access law.
    assert!(laws.contains(&"CN-DSL".to_string()), "{laws:?}");
    assert!(!laws.contains(&"CN-DSL36".to_string()), "{laws:?}");
    let pages = build("measures", &[]);
    let annex = page(&pages, "annex/index.html");
    assert!(
        annex.contains("faits juridiques vérifiés jusqu&#39;au")
            || annex.contains("faits juridiques vérifiés jusqu'au"),
        "the annex says how far the facts were checked"
    );
    assert!(annex.contains("2026"), "with the date");
    // The Cybersecurity Law's 2025 amendment renumbered its articles.
    assert!(
        annex.contains("renumérotation"),
        "status note beside the law"
    );
    let en = page(&pages, "en/annex/index.html");
    assert!(en.contains("legal facts checked up to"));
    assert!(en.contains("articles renumbered"));
}

#[test]
fn the_partial_decisions_scope_and_status_note_are_in_the_annex_and_on_the_page() {
    // The annex's cells say "scope: see the notes on the adequacy
    // decisions": the notes must be in the annex itself, with the DPF's
    // status note (appeal C-703/25 P pending) beside its scope.
    let pages = build("partial-policy", &[]);
    for path in ["annex/index.html", "index.html"] {
        let p = page(&pages, path);
        assert!(p.contains("Notes sur les décisions d"), "{path}: notes");
        assert!(
            p.contains("Uniquement les organisations inscrites sur la liste DPF"),
            "{path}: the DPF's scope"
        );
        assert!(
            p.contains("C-703/25 P pendant"),
            "{path}: the pending appeal"
        );
    }
    let en = page(&pages, "en/annex/index.html");
    assert!(en.contains("appeal C-703/25 P pending"));
}

#[test]
fn an_international_organisation_is_covered_by_its_own_decision_only() {
    let r = legal("organisation", &[]);
    // The EPO (seat in Munich, inside the EEA): still a transfer, resting on
    // Implementing Decision (EU) 2025/1382.
    let t = r.transfer("flow:to-epo").expect("a transfer to the EPO");
    assert_eq!(t["adequacy"]["status"], "full");
    assert_eq!(t["adequacy"]["decision"], "EPORG");
    assert_eq!(t["basis_status"], "adequacy");
    let f = r.expect(
        "TRANSFER-ADEQUACY",
        "notice",
        "flow:to-epo",
        &["dpi"],
        &["DE"],
    );
    has(&r, f, "message_en", "2025/1382");
    has(&r, f, "message_en", "an international organisation");
    r.assert_none("TRANSFER-ADEQUACY-NOT-APPLICABLE", "flow:to-epo");
    // Another organisation, seated in Switzerland (a fully adequate
    // country): Switzerland's decision does not cover it.
    let t = r
        .transfer("flow:to-io")
        .expect("a transfer to the organisation");
    assert_eq!(t["adequacy"]["status"], "none");
    assert_eq!(t["basis_status"], "missing");
    let f = r.expect(
        "TRANSFER-ADEQUACY-NOT-APPLICABLE",
        "error",
        "flow:to-io",
        &["dpi"],
        &["CH"],
    );
    has(
        &r,
        f,
        "message_en",
        "no adequacy decision covers this international organisation",
    );
    has(&r, f, "message_fr", "organisation internationale");
    // Under SCCs: an Art. 46 transfer.
    let t = r
        .transfer("flow:health-io")
        .expect("health data to the organisation");
    assert_eq!(t["basis_status"], "safeguard");
    r.expect(
        "TRANSFER-SAFEGUARD",
        "notice",
        "flow:health-io",
        &["dpi"],
        &["CH"],
    );
    // The pages say what the recipient is, not "a transfer to Germany", and
    // never "no decision covers this country" for an organisation.
    let pages = build("organisation", &[]);
    let index = page(&pages, "index.html");
    assert!(index.contains("organisation internationale (siège : Allemagne)"));
    assert!(
        index.contains(
            "aucune décision d&#39;adéquation ne couvre cette organisation internationale"
        ) || index
            .contains("aucune décision d'adéquation ne couvre cette organisation internationale")
    );
    assert!(index.contains("2025/1382"));
    // Before the decision was adopted (15 Jul 2025), the EPO was not covered.
    let before = legal("organisation", &["--as-of", "2025-07-14"]);
    let t = before
        .transfer("flow:to-epo")
        .expect("a transfer to the EPO");
    assert_eq!(t["adequacy"]["status"], "none");
    before.expect(
        "TRANSFER-ADEQUACY-NOT-APPLICABLE",
        "error",
        "flow:to-epo",
        &["dpi"],
        &["DE"],
    );
}

#[test]
fn an_unknown_international_organisation_id_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legal/organisation"),
        dir.path(),
    );
    let entities = dir.path().join("content/entities/entities.toml");
    let text = std::fs::read_to_string(&entities).expect("entities");
    std::fs::write(
        &entities,
        text.replace("organisation = \"EPORG\"", "organisation = \"EPO\""),
    )
    .expect("write");
    let out = sovmap().args(["check", "--root"]).arg(dir.path()).output();
    let out = out.expect("sovmap runs");
    // Bad input: exit 2, located, with the known ids.
    let (code, err) = (out.status.code(), String::from_utf8_lossy(&out.stderr));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("entities.toml:"), "{err}");
    assert!(
        err.contains("`EPORG` (European Patent Organisation)"),
        "{err}"
    );
}
