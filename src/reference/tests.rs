//! Tests of the embedded data and of the queries on it. Dates are chosen on
//! both sides of each boundary so that an off-by-one in the rules fails.

use super::*;
use jiff::civil::date;

fn r() -> &'static Reference {
    Reference::embedded()
}

fn ids<'a>(v: impl IntoIterator<Item = &'a AdequacyDecision>) -> Vec<&'a str> {
    v.into_iter().map(|d| d.id.as_str()).collect()
}

fn law_ids<'a>(v: impl IntoIterator<Item = &'a ForeignLaw>) -> Vec<&'a str> {
    v.into_iter().map(|l| l.id.as_str()).collect()
}

// ---------------------------------------------------------------- the data

#[test]
fn embedded_data_is_consistent() {
    let problems = r().integrity_problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn integrity_check_catches_bad_entries() {
    // The check itself must be able to fail.
    let mut bad = r().clone();
    bad.adequacy[0].sources.clear();
    bad.adequacy[0].scope_fr = " ".into();
    bad.laws[0].country = "ZZ".into();
    bad.laws[1].summary_fr.clear();
    bad.territories[0].parent = Some("QQ".into());
    bad.countries[0].numeric = "12".into();
    let p = bad.integrity_problems();
    assert!(p.iter().any(|m| m.contains("no source")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("missing French text")), "{p:?}");
    assert!(
        p.iter().any(|m| m.contains("unknown country `ZZ`")),
        "{p:?}"
    );
    assert!(p.iter().any(|m| m.contains("unknown parent QQ")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("is not 3 digits")), "{p:?}");
}

#[test]
fn every_decision_and_law_is_sourced_and_has_french_text() {
    for d in &r().adequacy {
        assert!(!d.sources.is_empty(), "{} has no source", d.id);
        assert!(d.sources.iter().all(|s| s.starts_with("http")), "{}", d.id);
        assert!(!d.scope_fr.trim().is_empty(), "{} has no scope_fr", d.id);
        assert!(!d.name_fr.trim().is_empty(), "{} has no name_fr", d.id);
    }
    for l in &r().laws {
        assert!(!l.sources.is_empty(), "{} has no source", l.id);
        assert!(l.sources.iter().all(|s| s.starts_with("http")), "{}", l.id);
        assert!(
            !l.summary_fr.trim().is_empty(),
            "{} has no summary_fr",
            l.id
        );
    }
}

#[test]
fn every_referenced_code_exists() {
    let r = r();
    let codes = r
        .adequacy
        .iter()
        .filter(|d| d.recipient == Recipient::Country)
        .map(|d| d.country.as_str())
        .chain(r.laws.iter().map(|l| l.country.as_str()))
        .chain(r.eea.iter().map(|m| m.code.as_str()))
        .chain(r.territories.iter().map(|t| t.code.as_str()))
        .chain(r.territories.iter().filter_map(|t| t.parent.as_deref()))
        .chain(r.aliases.iter().map(|a| a.target.as_str()));
    for c in codes {
        assert!(r.country(c).is_some(), "unknown code {c}");
    }
}

#[test]
fn country_list_is_complete_with_numeric_codes() {
    let r = r();
    let official: Vec<&Country> = r
        .countries
        .iter()
        .filter(|c| c.assignment == CodeAssignment::Official)
        .collect();
    assert_eq!(official.len(), 249, "ISO 3166-1 has 249 assigned codes");
    for c in &official {
        assert_eq!(c.numeric.len(), 3, "{}", c.code);
        assert!(c.numeric.bytes().all(|b| b.is_ascii_digit()), "{}", c.code);
        assert_eq!(c.alpha3.len(), 3, "{}", c.code);
    }
    assert_eq!(r.country("FR").map(|c| c.numeric.as_str()), Some("250"));
    assert_eq!(r.country("MT").map(|c| c.numeric.as_str()), Some("470"));
    assert_eq!(r.country("LI").map(|c| c.numeric.as_str()), Some("438"));
    assert_eq!(r.country("AT").map(|c| c.numeric.as_str()), Some("040"));
    let xk = r.country("XK").expect("Kosovo present");
    assert_eq!(xk.assignment, CodeAssignment::UserAssigned);
    assert!(xk.numeric.is_empty());
    assert_eq!(
        r.country("IC").map(|c| c.assignment),
        Some(CodeAssignment::ExceptionallyReserved)
    );
}

#[test]
fn names_in_both_languages() {
    let r = r();
    assert_eq!(r.country_name("DE", "fr"), "Allemagne");
    assert_eq!(r.country_name("DE", "en"), "Germany");
    assert_eq!(r.country_name("us", "fr"), "États-Unis");
    assert_eq!(r.country_name("KR", "en"), "South Korea");
    assert_eq!(r.country_name("RU", "fr"), "Russie");
    assert_eq!(r.country_name("EL", "en"), "Greece");
    assert_eq!(r.country_name("ZZ", "fr"), "ZZ");
}

#[test]
fn hds_activities_and_statements() {
    let r = r();
    for n in 1..=6 {
        let a = r.hds_activity(n).expect("activity");
        assert!(!a.label_fr.is_empty() && !a.text_en.is_empty());
    }
    assert!(r.hds_activity(0).is_none());
    assert!(r.hds_activity(7).is_none());
    for (n, en, fr) in [
        (1, "physical sites", "sites physiques"),
        (3, "virtual infrastructure", "infrastructure virtuelle"),
        (6, "backup", "sauvegarde"),
    ] {
        let a = r.hds_activity(n);
        assert_eq!(a.map(|a| a.label_en.as_str()), Some(en), "activity {n}");
        assert_eq!(a.map(|a| a.label_fr.as_str()), Some(fr), "activity {n}");
    }
    assert_eq!(
        r.statements.secnumcloud.text_fr,
        "aucun risque d'accès imposé par la législation d'un pays tiers en violation du droit de l'Union"
    );
    assert_eq!(
        r.statements.no_transfer.text("fr"),
        "aucun transfert de données de santé à caractère personnel vers un pays tiers à l'espace économique européen"
    );
    assert_eq!(r.hds.published, date(2024, 5, 16));
    assert_eq!(r.hds.new_applicants_from, date(2024, 11, 16));
    assert_eq!(r.hds_existing_holders_deadline(), date(2026, 5, 16));
    assert_eq!(r.hds_published(), date(2024, 5, 16));
    assert_eq!(r.hds_new_applicants_from(), date(2024, 11, 16));
}

#[test]
fn meta_is_dated_and_warns() {
    let m = &r().meta;
    assert!(m.sources_up_to <= m.compiled_on);
    assert!(m.note.contains("not legal advice"));
    assert!(!m.eea_sources.is_empty());
}

// ---------------------------------------------------------------- EEA

#[test]
fn eea_membership_is_dated_for_the_united_kingdom_and_gibraltar() {
    let on = |d| r().on(d);
    // EU member, then transition period: both inside.
    for d in [date(2019, 6, 1), date(2020, 12, 31)] {
        let r = on(d);
        assert!(r.is_eea("GB") && r.is_eea("UK") && r.is_eea("GI"), "{d}");
    }
    // From 1 Jan 2021 a third country, outside the EEA (EXI 28): the Trade
    // and Cooperation Agreement's bridge is a transfer basis (GB-TCA-BRIDGE),
    // not EEA membership (issue 17, rule 5).
    for d in [
        date(2021, 1, 1),
        date(2021, 3, 1),
        date(2021, 6, 27),
        date(2021, 6, 28),
        date(2026, 12, 7),
    ] {
        let r = on(d);
        assert!(!r.is_eea("GB") && !r.is_eea("GI"), "{d}");
    }
    // Nothing else moves, and the Crown Dependencies never were in.
    let old = on(date(2019, 6, 1));
    assert_eq!(old.eea_members(), r().eea_members());
    assert!(!old.is_eea("JE") && !old.is_eea("CH") && old.is_eea("FR"));
}

#[test]
fn eea_members_and_territories() {
    let r = r();
    let members = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    ];
    assert_eq!(r.eea_members().len(), 30);
    for c in members {
        assert!(r.is_eea(c), "{c} should be EEA");
    }
    for c in ["GP", "MQ", "GF", "RE", "YT", "MF", "AX", "IC", "EA"] {
        assert!(r.is_eea(c), "{c} should be EEA");
    }
    for c in [
        "BL", "PM", "NC", "PF", "WF", "TF", "AW", "CW", "SX", "BQ", "GL", "FO", "SJ", "BV", "CH",
        "GB", "GI", "GG", "JE", "IM", "MC", "SM", "VA", "AD", "US", "", "ZZ",
    ] {
        assert!(!r.is_eea(c), "{c} should not be EEA");
    }
    assert!(r.is_eea("fr"), "case-insensitive");
    assert!(r.is_eea("EL"), "EU alias of GR");
    assert!(!r.is_eea("UK"));
    let codes = r.eea_codes();
    assert!(codes.contains(&"RE") && codes.contains(&"FR") && !codes.contains(&"NC"));
    assert!(
        codes.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );
}

#[test]
fn territory_notes() {
    let r = r();
    let nc = r.territory_note("NC").expect("NC note");
    assert!(
        nc.contains("New Caledonia") && nc.contains("overseas country and territory"),
        "{nc}"
    );
    assert!(
        nc.contains("outside the EEA") && nc.contains("France"),
        "{nc}"
    );
    let re = r.territory_note_in("RE", "fr").expect("RE note");
    assert!(
        re.contains("région ultrapériphérique") && re.contains("dans l'EEE"),
        "{re}"
    );
    assert!(
        r.territory_note("SJ")
            .is_some_and(|n| n.contains("Jan Mayen"))
    );
    assert!(r.territory_note("DE").is_none());
    assert!(r.territory_note("ZZ").is_none());
}

// ---------------------------------------------------------------- adequacy

#[test]
fn brazil_from_adoption_day() {
    let r = r();
    assert!(r.adequacy_for("BR", date(2025, 6, 1)).is_empty());
    assert!(r.adequacy_for("BR", date(2026, 1, 25)).is_empty());
    assert_eq!(ids(r.adequacy_for("BR", date(2026, 1, 26))), ["BR"]);
    assert_eq!(ids(r.adequacy_for("BR", date(2026, 3, 1))), ["BR"]);
    assert!(!r.adequacy_for("BR", date(2026, 3, 1))[0].is_partial());
}

#[test]
fn partial_decisions_carry_their_condition() {
    let r = r();
    let d = date(2026, 6, 1);
    let cond = |code: &str| -> Vec<Option<String>> {
        r.adequacy_for(code, d)
            .iter()
            .map(|x| x.scope_condition.clone())
            .collect()
    };
    assert_eq!(cond("US"), [Some("dpf".to_string())]);
    assert_eq!(cond("CA"), [Some("pipeda".to_string())]);
    assert_eq!(cond("JP"), [Some("appi".to_string())]);
    assert_eq!(cond("KR"), [Some("pipa".to_string())]);
    assert_eq!(cond("IL"), [Some("automated".to_string())]);
    assert_eq!(cond("CH"), [None]);
    assert_eq!(ids(r.adequacy_for("US", d)), ["US-DPF"]);
    // `is_partial` says the same (a mutant returning `false` survived the
    // mutation run of issue 17, item 11).
    assert!(r.adequacy_for("US", d)[0].is_partial());
    assert!(!r.adequacy_for("CH", d)[0].is_partial());
    assert!(r.adequacy_for("AU", d).is_empty());
    assert!(r.adequacy_for("IN", d).is_empty());
    assert!(r.adequacy_for("GI", d).is_empty());
    assert!(r.adequacy_for("PR", d).is_empty());
}

#[test]
fn uk_gdpr_decision_and_never_the_led_one() {
    let r = r();
    for (y, m, day) in [
        (2021, 6, 28),
        (2025, 6, 1),
        (2025, 6, 27),
        (2026, 6, 1),
        (2030, 1, 1),
        (2031, 12, 26),
    ] {
        assert_eq!(
            ids(r.adequacy_for("GB", date(y, m, day))),
            ["GB-GDPR"],
            "{y}-{m}-{day}"
        );
    }
    // The bridge: 1 Jan 2021 to 27 Jun 2021 inclusive, interim, not Art. 45.
    for d in [date(2021, 1, 1), date(2021, 6, 27)] {
        assert_eq!(ids(r.adequacy_for("GB", d)), ["GB-TCA-BRIDGE"], "{d}");
    }
    assert!(r.adequacy_for("GB", date(2020, 12, 31)).is_empty());
    assert!(r.decision("GB-TCA-BRIDGE").is_some_and(|d| d.interim));
    assert!(r.adequacy_for("GI", date(2021, 3, 1)).is_empty());
    assert!(r.adequacy_for("GB", date(2031, 12, 27)).is_empty());
    assert!(r.adequacy_for("GB", date(2032, 1, 1)).is_empty());
    assert!(
        r.adequacy_for("UK", date(2030, 1, 1))
            .iter()
            .all(|d| d.id == "GB-GDPR")
    );
    // The LED decision exists, but is never a GDPR basis.
    assert!(r.decision("GB-LED").is_some_and(|d| !d.gdpr));
    // The expiry as known on each date follows the history.
    let gb = r.decision("GB-GDPR").expect("GB-GDPR");
    assert_eq!(gb.expiry_as_of(date(2024, 1, 1)), Some(date(2025, 6, 27)));
    assert_eq!(gb.expiry_as_of(date(2025, 9, 1)), Some(date(2025, 12, 27)));
    assert_eq!(gb.expiry_as_of(date(2026, 6, 1)), Some(date(2031, 12, 27)));
}

#[test]
fn international_organisation_never_matches_a_country() {
    let r = r();
    assert!(r.decision("EPORG").is_some());
    for c in &r.countries {
        for d in r.adequacy_for(&c.code, date(2026, 6, 1)) {
            assert_ne!(d.id, "EPORG", "EPORG returned for {}", c.code);
        }
    }
    assert!(r.adequacy_for("", date(2026, 6, 1)).is_empty());
    assert!(r.adequacy_for("  ", date(2026, 6, 1)).is_empty());
    // Even a provider's organisation decision that (wrongly) names a country.
    let mut io = r.decision("EPORG").expect("EPORG").clone();
    io.id = "IO-TEST".into();
    io.country = "CH".into();
    let o = r.with_overrides(&[io], &[]);
    assert_eq!(ids(o.adequacy_for("CH", date(2026, 6, 1))), ["CH"]);
    assert!(o.integrity_problems().iter().any(|p| p.contains("IO-TEST")));
}

#[test]
fn us_history_safe_harbour_privacy_shield_dpf() {
    let r = r();
    let us = |y, m, d| ids(r.adequacy_for("US", date(y, m, d)));
    assert_eq!(us(2010, 1, 1), ["US-SAFE-HARBOUR"]);
    assert_eq!(us(2015, 10, 5), ["US-SAFE-HARBOUR"]);
    assert!(us(2015, 10, 6).is_empty());
    assert!(us(2016, 7, 11).is_empty());
    assert_eq!(us(2016, 7, 12), ["US-PRIVACY-SHIELD"]);
    assert_eq!(us(2019, 1, 1), ["US-PRIVACY-SHIELD"]);
    assert_eq!(us(2020, 7, 15), ["US-PRIVACY-SHIELD"]);
    assert!(us(2020, 7, 16).is_empty());
    assert!(us(2021, 1, 1).is_empty());
    assert!(us(2023, 7, 9).is_empty());
    assert_eq!(us(2023, 7, 10), ["US-DPF"]);
}

#[test]
fn scope_conditions_are_listed() {
    let s = r().scope_conditions();
    for c in ["dpf", "pipeda", "appi", "pipa", "automated"] {
        assert!(s.contains(&c), "{c} missing from {s:?}");
    }
    assert!(s.windows(2).all(|w| w[0] < w[1]));
}

// ---------------------------------------------------------------- laws

#[test]
fn us_access_laws_not_the_safeguard() {
    let r = r();
    let us = law_ids(r.laws_for("US", date(2026, 11, 23)));
    for id in ["US-CLOUD", "US-EO12333", "US-FISA702"] {
        assert!(us.contains(&id), "{id} missing from {us:?}");
    }
    assert!(!us.contains(&"US-EO14086"));
    assert!(
        r.law("US-EO14086")
            .is_some_and(|l| l.kind == LawKind::Safeguard)
    );
    assert!(us.windows(2).all(|w| w[0] < w[1]), "sorted by id");
    // CLOUD Act from 23 Mar 2018.
    assert!(!law_ids(r.laws_for("US", date(2018, 3, 22))).contains(&"US-CLOUD"));
    assert!(law_ids(r.laws_for("US", date(2018, 3, 23))).contains(&"US-CLOUD"));
}

#[test]
fn other_countries_have_laws() {
    let r = r();
    let today = date(2026, 11, 23);
    for c in ["CN", "RU", "IN", "AU", "GB"] {
        assert!(!r.laws_for(c, today).is_empty(), "{c}");
    }
    assert!(r.laws_for("FR", today).is_empty());
    assert!(r.laws_for("CH", today).is_empty());
    assert!(r.laws_for("", today).is_empty());
    let cn = law_ids(r.laws_for("CN", today));
    assert_eq!(cn, ["CN-CEL", "CN-CSL", "CN-DSL", "CN-NIL"]);
    // Localisation and blocking statutes are kept, never listed as access
    // laws (issue 17, rule 9).
    assert_eq!(law_ids(r.laws_for("RU", today)), ["RU-374FZ"]);
    assert!(
        r.law("RU-242FZ")
            .is_some_and(|l| l.kind == LawKind::Localisation)
    );
    assert!(
        r.law("CN-DSL36")
            .is_some_and(|l| l.kind == LawKind::Blocking)
    );
}

#[test]
fn laws_respect_their_dates() {
    let r = r();
    let cn2017 = law_ids(r.laws_for("CN", date(2017, 1, 1)));
    assert!(!cn2017.contains(&"CN-DSL"), "{cn2017:?}");
    assert!(!cn2017.contains(&"CN-NIL"), "{cn2017:?}");
    let cn2021 = law_ids(r.laws_for("CN", date(2021, 8, 31)));
    assert!(!cn2021.contains(&"CN-DSL"));
    assert!(law_ids(r.laws_for("CN", date(2021, 9, 1))).contains(&"CN-DSL"));
    // A repealed law stops on its repeal date.
    let mut l = r.law("US-CLOUD").expect("law").clone();
    l.repealed = Some(date(2030, 1, 1));
    assert!(l.applies_on(date(2029, 12, 31)));
    assert!(!l.applies_on(date(2030, 1, 1)));
    // Unknown start: always in force (an unknown date must not hide exposure).
    l.in_force = None;
    l.enacted = None;
    assert!(l.applies_on(date(1900, 1, 1)));
}

#[test]
fn us_territories_get_us_laws_sar_do_not_get_cn_laws() {
    let r = r();
    let pr = law_ids(r.laws_for("PR", date(2026, 6, 1)));
    assert!(
        pr.contains(&"US-CLOUD") && pr.contains(&"US-FISA702"),
        "{pr:?}"
    );
    assert!(r.laws_for("HK", date(2026, 6, 1)).is_empty());
}

// ---------------------------------------------------------------- lookup

fn found(input: &str) -> (String, Option<String>) {
    match r().lookup_country(input) {
        CountryLookup::Found { code, note } => (code, note),
        other => panic!("{input}: {other:?}"),
    }
}

fn unknown_hint(input: &str) -> Option<String> {
    match r().lookup_country(input) {
        CountryLookup::Unknown { hint } => hint,
        other => panic!("{input}: {other:?}"),
    }
}

fn ambiguous(input: &str) -> (Vec<String>, String) {
    match r().lookup_country(input) {
        CountryLookup::Ambiguous { candidates, hint } => (candidates, hint),
        other => panic!("{input}: {other:?}"),
    }
}

#[test]
fn lookup_codes() {
    assert_eq!(found("fr"), ("FR".to_string(), None));
    assert_eq!(found("  FR ").0, "FR");
    assert_eq!(found("De").0, "DE");
    let (gr, note) = found("EL");
    assert_eq!(gr, "GR");
    assert!(note.is_some_and(|n| n.contains("Greece") && n.contains("`GR`")));
    let (gb, note) = found("uk");
    assert_eq!(gb, "GB");
    assert!(note.is_some_and(|n| n.contains("`GB`")));
    let (sj, note) = found("SJ");
    assert_eq!(sj, "SJ");
    assert!(note.is_some_and(|n| n.contains("Svalbard") && n.contains("Jan Mayen")));
    assert!(found("IC").1.is_some_and(|n| n.contains("Canary")));
    assert!(found("EA").1.is_some_and(|n| n.contains("Ceuta")));
    assert!(found("XK").1.is_some());
}

#[test]
fn lookup_refuses_non_codes_with_a_hint() {
    for input in [
        "FRA",
        "fra",
        "France",
        "france",
        "FRANCE",
        "250",
        "République française",
    ] {
        let hint = unknown_hint(input).unwrap_or_else(|| panic!("{input}: no hint"));
        assert!(hint.contains("`FR`"), "{input}: {hint}");
    }
    assert!(unknown_hint("Allemagne").is_some_and(|h| h.contains("`DE`")));
    assert!(unknown_hint("Côte d'Ivoire").is_some_and(|h| h.contains("`CI`")));
    assert!(unknown_hint("cote d ivoire").is_some_and(|h| h.contains("`CI`")));
    assert!(unknown_hint("Ireland").is_some_and(|h| h.contains("`IE`")));
    assert!(unknown_hint("United States").is_some_and(|h| h.contains("`US`")));
    assert!(unknown_hint("USA").is_some_and(|h| h.contains("`US`")));
    assert!(unknown_hint("Royaume-Uni").is_some_and(|h| h.contains("`GB`")));
    assert!(unknown_hint("EU").is_some());
    assert_eq!(unknown_hint("ZZ"), None);
    assert_eq!(unknown_hint("Atlantis"), None);
    assert!(unknown_hint("").is_some());
}

#[test]
fn lookup_ambiguous_names() {
    let (c, hint) = ambiguous("Korea");
    assert_eq!(c, ["KP", "KR"]);
    assert!(hint.contains("`KR`") && hint.contains("`KP`"), "{hint}");
    let (c, _) = ambiguous("Corée");
    assert_eq!(c, ["KP", "KR"]);
    let (c, _) = ambiguous("Congo");
    assert!(
        c.contains(&"CG".to_string()) && c.contains(&"CD".to_string()),
        "{c:?}"
    );
    assert_eq!(c[0], "CG", "the exact name comes first");
    let (c, _) = ambiguous("Guinea");
    assert_eq!(c[0], "GN");
    for x in ["GW", "GQ", "PG"] {
        assert!(c.contains(&x.to_string()), "{x} missing from {c:?}");
    }
}

// ---------------------------------------------------------------- overrides

#[test]
fn overrides_replace_and_add() {
    let base = r();
    let mut dpf = base.decision("US-DPF").expect("US-DPF").clone();
    dpf.repealed = Some(date(2026, 9, 1));
    let new_law = ForeignLaw {
        id: "XX-TEST".into(),
        country: "sg".into(),
        name: "Test law".into(),
        summary: "A law".into(),
        summary_fr: "Une loi".into(),
        in_force: Some(date(2020, 1, 1)),
        repealed: None,
        status_note: None,
        confidence: Confidence::Unverified,
        sources: vec!["https://example.org".into()],
        kind: LawKind::Access,
        enacted: None,
        name_fr: String::new(),
        applies_to: None,
        applies_to_fr: None,
        status_note_fr: None,
        history: Vec::new(),
    };
    let o = base.with_overrides(&[dpf], &[new_law]);
    assert_eq!(ids(o.adequacy_for("US", date(2026, 8, 31))), ["US-DPF"]);
    assert!(o.adequacy_for("US", date(2026, 9, 1)).is_empty());
    assert_eq!(
        o.overridden,
        [
            Overridden {
                kind: "adequacy",
                id: "US-DPF".into(),
                action: OverrideAction::Replaced
            },
            Overridden {
                kind: "law",
                id: "XX-TEST".into(),
                action: OverrideAction::Added
            },
        ]
    );
    assert_eq!(law_ids(o.laws_for("SG", date(2026, 1, 1))), ["XX-TEST"]);
    assert_eq!(
        o.adequacy.len(),
        base.adequacy.len(),
        "replaced, not duplicated"
    );
    // The embedded data is untouched.
    assert!(base.overridden.is_empty());
    assert_eq!(ids(base.adequacy_for("US", date(2026, 9, 1))), ["US-DPF"]);
    let json = serde_json::to_string(&o.overridden).expect("json");
    assert!(
        json.contains(r#""action":"replaced""#) && json.contains(r#""action":"added""#),
        "{json}"
    );
}

#[test]
fn override_adds_an_adequacy_decision() {
    let base = r();
    let mut d = base.decision("BR").expect("BR").clone();
    d.id = "SG-TEST".into();
    d.country = "sg".into();
    d.adopted = date(2027, 1, 1);
    let o = base.with_overrides(&[d], &[]);
    assert!(o.adequacy_for("SG", date(2026, 12, 31)).is_empty());
    assert_eq!(ids(o.adequacy_for("SG", date(2027, 1, 1))), ["SG-TEST"]);
    assert_eq!(o.overridden[0].action, OverrideAction::Added);
}

#[test]
fn serialises_dates_as_iso_strings() {
    let d = r().decision("BR").expect("BR");
    let json = serde_json::to_value(d).expect("json");
    assert_eq!(json["adopted"], "2026-01-26");
    assert!(json.get("expires").is_none());
}
