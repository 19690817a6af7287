//! `sovmap import`: a published subprocessor list (CSV) or chapter-8 table
//! (HTML or Markdown) turned into declarations.
//!
//! Nothing is invented: a value the list does not give is written as
//! unknown (`country = "unknown"`, `basis = "unstated"`, an actor known by
//! its name only), and every guessed or unknown value carries a comment
//! saying so. Ids are derived from the names, in the order of the rows, so
//! the same list always gives the same files.

pub mod table;

use std::collections::BTreeSet;

use crate::reference::Reference;
use table::Row;

/// The format of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A subprocessor list: name, legal entity, country of origin, server
    /// locations, purpose, data categories, basis, HDS status.
    Csv,
    /// The chapter-8 table hosts publish: actor, role, HDS, SecNumCloud,
    /// activities, EXI 29, EXI 30.
    Chapter8,
}

/// A row that could not be read, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// The declarations written from a list.
#[derive(Debug, Clone)]
pub struct Imported {
    /// `sovmap.toml`.
    pub config: String,
    /// The declarations (`content/imported/<name>.toml`).
    pub declarations: String,
    /// Rows read.
    pub rows: usize,
    /// Rows that could not be read, by line.
    pub problems: Vec<Problem>,
}

/// Import `text` (the content of the file named `source`).
pub fn import(
    text: &str,
    format: Format,
    source: &str,
    reference: &Reference,
) -> Result<Imported, String> {
    match format {
        Format::Csv => csv_list(&table::csv(text)?, source, reference),
        Format::Chapter8 => chapter8(&table::html_or_markdown(text)?, source, reference),
    }
}

// ---------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------

/// Lower case, accents folded, only letters and digits kept, single spaces.
fn fold(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let r = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.push(r);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Column of each wanted field: the first header that equals one of its
/// names (folded), else the first that starts with one.
fn columns(header: &[String], fields: &[(&'static str, &[&str])]) -> Vec<Option<usize>> {
    let folded: Vec<String> = header.iter().map(|h| fold(h)).collect();
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    let mut out = vec![None; fields.len()];
    for pass in 0..2 {
        for (fi, (_, names)) in fields.iter().enumerate() {
            if out[fi].is_some() {
                continue;
            }
            let found = folded.iter().enumerate().find(|(i, h)| {
                !taken.contains(i)
                    && names.iter().any(|n| {
                        if pass == 0 {
                            *h == n
                        } else {
                            h.starts_with(n) || h.contains(&format!(" {n}"))
                        }
                    })
            });
            if let Some((i, _)) = found {
                taken.insert(i);
                out[fi] = Some(i);
            }
        }
    }
    out
}

const CSV_FIELDS: [(&str, &[&str]); 8] = [
    (
        "name",
        &[
            "name",
            "nom",
            "subprocessor",
            "sub processor",
            "sous traitant",
            "sous traitants",
            "prestataire",
            "provider",
            "fournisseur",
            "vendor",
            "supplier",
        ],
    ),
    (
        "legal entity",
        &[
            "legal entity",
            "legal name",
            "contracting entity",
            "entity",
            "raison sociale",
            "entite juridique",
            "entite contractante",
            "entite",
            "societe",
            "company",
        ],
    ),
    (
        "country of origin",
        &[
            "country of origin",
            "origin",
            "country",
            "headquarters",
            "hq",
            "pays d origine",
            "pays",
            "siege",
            "nationalite",
            "origine",
        ],
    ),
    (
        "server locations",
        &[
            "server locations",
            "server location",
            "servers",
            "data location",
            "data locations",
            "hosting location",
            "location",
            "localisation des serveurs",
            "localisation des donnees",
            "localisation",
            "lieu d hebergement",
            "lieux d hebergement",
            "hebergement",
            "serveurs",
        ],
    ),
    (
        "purpose",
        &[
            "purpose",
            "service",
            "activity",
            "processing",
            "finalite",
            "objet",
            "service fourni",
            "activite",
            "prestation",
        ],
    ),
    (
        "data categories",
        &[
            "data categories",
            "data category",
            "categories of data",
            "data",
            "categories de donnees",
            "donnees",
            "donnees traitees",
            "type de donnees",
        ],
    ),
    (
        "basis",
        &[
            "basis",
            "transfer basis",
            "transfer mechanism",
            "safeguards",
            "safeguard",
            "legal basis",
            "garanties",
            "garantie",
            "fondement",
            "mecanisme de transfert",
            "encadrement",
            "base legale",
        ],
    ),
    (
        "hds",
        &[
            "hds",
            "hds status",
            "hds certified",
            "certification hds",
            "certifie hds",
            "statut hds",
        ],
    ),
];

const CHAPTER8_FIELDS: [(&str, &[&str]); 7] = [
    (
        "actor",
        &[
            "actor",
            "acteur",
            "raison sociale",
            "name",
            "nom",
            "entite",
            "entity",
            "prestataire",
        ],
    ),
    ("role", &["role"]),
    (
        "hds",
        &["hds", "certifie hds", "hds certified", "certification hds"],
    ),
    (
        "secnumcloud",
        &[
            "secnumcloud",
            "snc",
            "qualifie secnumcloud",
            "secnumcloud 3 2",
        ],
    ),
    (
        "activities",
        &[
            "activities",
            "activites",
            "activites d hebergement",
            "hosting activities",
            "activite",
        ],
    ),
    (
        "exi 29",
        &[
            "exi 29",
            "exi29",
            "acces depuis un pays tiers",
            "remote access",
        ],
    ),
    (
        "exi 30",
        &["exi 30", "exi30", "droit extra europeen", "foreign law"],
    ),
];

fn cell(row: &Row, col: Option<usize>) -> &str {
    col.and_then(|c| row.cells.get(c))
        .map(|s| s.trim())
        .unwrap_or("")
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A comment line; never lets text break out of the comment.
fn comment(s: &str) -> String {
    format!("# {}\n", s.replace(['\n', '\r'], " "))
}

/// Lower-case ascii id from a name ("Acme Cloud Inc." → "acme-cloud-inc"):
/// the crate's one slug ([`crate::i18n::slug`]), never empty.
fn slug(s: &str) -> String {
    let out = crate::i18n::slug(s);
    if out.is_empty() { "actor".into() } else { out }
}

/// Ids unique in the file, stable for the same list.
#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn take(&mut self, base: &str) -> String {
        let base = slug(base);
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// A place as a list writes it: a country code or region value, and the
/// comment to write when it is not plain.
struct Place {
    code: String,
    note: Option<String>,
}

fn is_blank(s: &str) -> bool {
    matches!(
        fold(s).as_str(),
        "" | "n a"
            | "na"
            | "nc"
            | "non communique"
            | "not stated"
            | "non precise"
            | "unknown"
            | "inconnu"
            | "tbd"
            | "a confirmer"
    ) || s.trim().chars().all(|c| matches!(c, '-' | '?' | '/' | ' '))
}

/// Read one place ("France", "FR", "EU", "Europe", "États-Unis").
fn place(r: &Reference, text: &str) -> Place {
    let t = text.trim();
    let f = fold(t);
    let region = |code: &str, note: Option<String>| Place {
        code: code.to_string(),
        note,
    };
    if is_blank(t) {
        return region(
            crate::unknown::UNKNOWN,
            Some("not given in the list".into()),
        );
    }
    match f.as_str() {
        "eu" | "ue" | "european union" | "union europeenne" | "in the eu" | "dans l ue" => {
            return region(
                crate::unknown::EU,
                Some(format!("the list says «{t}»: member state not stated")),
            );
        }
        "eea" | "eee" | "espace economique europeen" | "european economic area" => {
            return region(
                crate::unknown::EEA,
                Some(format!("the list says «{t}»: state not stated")),
            );
        }
        "europe" => {
            return region(
                crate::unknown::UNKNOWN,
                Some(format!(
                    "the list says «{t}», which may include non-EEA countries (United Kingdom, Switzerland): to confirm"
                )),
            );
        }
        "outside the eu" | "hors ue" | "hors de l ue" | "non eu" | "outside eu" => {
            return region(
                crate::unknown::NON_EU,
                Some(format!("the list says «{t}»: country not named")),
            );
        }
        "worldwide" | "global" | "monde" | "international" | "multiple" | "various" | "divers" => {
            return region(
                crate::unknown::UNKNOWN,
                Some(format!("the list says «{t}»: countries not named")),
            );
        }
        _ => {}
    }
    if let Some(code) = country_code(r, t) {
        return Place { code, note: None };
    }
    region(
        crate::unknown::UNKNOWN,
        Some(format!(
            "«{t}» is not a country sovmap recognises: to confirm"
        )),
    )
}

/// An ISO code for a country named or coded in `t`, if exactly one matches.
fn country_code(r: &Reference, t: &str) -> Option<String> {
    let up = t.trim().to_ascii_uppercase();
    if up.len() == 2
        && up.chars().all(|c| c.is_ascii_alphabetic())
        && let crate::reference::CountryLookup::Found { code, .. } = r.lookup_country(&up)
    {
        return Some(code);
    }
    let f = fold(t);
    let f = f
        .trim_start_matches("the ")
        .trim_start_matches("l ")
        .trim_start_matches("les ")
        .trim_start_matches("la ")
        .trim_start_matches("le ");
    let extra: &[(&str, &str)] = &[
        ("usa", "US"),
        ("us", "US"),
        ("etats unis", "US"),
        ("etats unis d amerique", "US"),
        ("united states of america", "US"),
        ("uk", "GB"),
        ("royaume uni", "GB"),
        ("angleterre", "GB"),
        ("england", "GB"),
    ];
    if let Some((_, c)) = extra.iter().find(|(n, _)| *n == f) {
        return Some(c.to_string());
    }
    let mut found: Vec<&str> = r
        .countries
        .iter()
        .filter(|c| {
            c.alpha3.eq_ignore_ascii_case(t.trim())
                || [&c.name_en, &c.name_fr]
                    .into_iter()
                    .chain(c.other_names.iter())
                    .chain(c.official_names.iter())
                    .any(|n| fold(n) == f)
        })
        .map(|c| c.code.as_str())
        .collect();
    found.dedup();
    (found.len() == 1).then(|| found[0].to_string())
}

/// Several places in one cell ("France, Germany", "FR / US").
fn places(r: &Reference, text: &str) -> Vec<Place> {
    let parts: Vec<&str> = text
        .split([',', ';', '/', '\n', '+', '&'])
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return vec![place(r, "")];
    }
    // "Paris (France)": the country in parentheses.
    let mut out: Vec<Place> = Vec::new();
    for p in parts {
        let inner = p
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(i, _)| i)
            .filter(|i| country_code(r, i).is_some());
        // "France (Roubaix)": the country before the parentheses.
        let before = p
            .split_once('(')
            .map(|(b, _)| b.trim())
            .filter(|b| country_code(r, b).is_some());
        let pl = match inner.or(before) {
            Some(i) => place(r, i),
            None => {
                let pl = place(r, p);
                // "Frankfurt": a city, not a country.
                if pl.code == crate::unknown::UNKNOWN
                    && pl
                        .note
                        .as_deref()
                        .is_some_and(|n| n.contains("not a country"))
                {
                    Place {
                        code: pl.code,
                        note: Some(format!(
                            "«{p}» is not a country sovmap recognises (a city?): to confirm"
                        )),
                    }
                } else {
                    pl
                }
            }
        };
        if !out.iter().any(|o| o.code == pl.code) {
            out.push(pl);
        }
    }
    out
}

/// Data categories written in a list, read with the rule "when in doubt it
/// counts": a category not recognised is health data.
fn categories(text: &str) -> (Vec<&'static str>, Option<String>) {
    let f = fold(text);
    if is_blank(text) {
        return (
            vec!["health"],
            Some("data categories not given: counted as health data until confirmed".into()),
        );
    }
    let mut out: BTreeSet<&'static str> = BTreeSet::new();
    let has = |w: &[&str]| w.iter().any(|k| f.contains(k));
    let pseudo = has(&["pseudonym"]);
    let health = has(&[
        "health", "sante", "medical", "medic", "patient", "soin", "care",
    ]);
    if health {
        out.insert(if pseudo {
            "health-pseudonymised"
        } else {
            "health"
        });
    } else if pseudo {
        out.insert("pseudonymised");
    }
    if has(&[
        "payment",
        "paiement",
        "billing",
        "facturation",
        "bank",
        "bancaire",
        "card",
    ]) {
        out.insert("payment");
    }
    if has(&["key", "cle", "cles"]) {
        out.insert("encryption-keys");
    }
    if has(&[
        "log",
        "journal",
        "metadata",
        "metadonnee",
        "telemetr",
        "technical",
        "technique",
        "usage",
    ]) {
        out.insert("metadata");
    }
    if has(&[
        "contact",
        "identit",
        "identif",
        "identity",
        "email",
        "e mail",
        "mail",
        "name",
        "nom",
        "phone",
        "telephone",
        "account",
        "compte",
        "personal",
        "personnel",
        "user",
        "utilisateur",
        "address",
        "adresse",
    ]) {
        out.insert("personal");
    }
    if has(&[
        "anonym",
        "non identifying",
        "non identifiant",
        "aggregat",
        "agrege",
    ]) && out.is_empty()
    {
        out.insert("anonymous");
    }
    if out.is_empty() {
        return (
            vec!["health"],
            Some(format!(
                "«{}» not recognised: counted as health data until confirmed",
                text.trim()
            )),
        );
    }
    (out.into_iter().collect(), None)
}

/// A transfer basis as a list writes it: the spelling, or `unstated`; the
/// second value is true for the EU-US Data Privacy Framework.
fn basis(text: &str) -> (Option<&'static str>, bool, Option<String>) {
    let f = fold(text);
    let has = |w: &[&str]| w.iter().any(|k| f.contains(k));
    if is_blank(text) {
        return (
            Some("unstated"),
            false,
            Some("basis not given in the list".into()),
        );
    }
    if has(&["dpf", "data privacy framework"]) {
        return (Some("adequacy"), true, None);
    }
    if has(&[
        "scc",
        "cct",
        "clauses contractuelles",
        "standard contractual",
        "model clauses",
    ]) {
        return (Some("scc"), false, None);
    }
    if has(&[
        "bcr",
        "binding corporate",
        "regles d entreprise contraignantes",
    ]) {
        return (Some("bcr"), false, None);
    }
    if has(&["adequacy", "adequation", "adequate", "adequat"]) {
        return (Some("adequacy"), false, None);
    }
    if matches!(
        f.as_str(),
        "none" | "aucun" | "aucune" | "sans objet" | "no transfer" | "pas de transfert"
    ) {
        return (
            None,
            false,
            Some(format!("the list says «{}»", text.trim())),
        );
    }
    (
        Some("unstated"),
        false,
        Some(format!(
            "«{}» not recognised as a transfer basis",
            text.trim()
        )),
    )
}

enum Hds {
    Certified,
    Exempted,
    No,
    Unknown,
}

fn hds(text: &str) -> Hds {
    let f = fold(text);
    if is_blank(text) {
        Hds::Unknown
    } else if f.contains("exempt") || f.contains("couvert") || f.contains("covered") {
        Hds::Exempted
    } else if f == "no"
        || f == "non"
        || f.starts_with("non ")
        || f.starts_with("no ")
        || f.contains("not certified")
    {
        Hds::No
    } else if f.starts_with("oui") || f.starts_with("yes") || f.contains("certifi") || f == "hds" {
        Hds::Certified
    } else {
        Hds::Unknown
    }
}

fn yes_no(text: &str) -> Option<bool> {
    let f = fold(text);
    if f == "non" || f == "no" || f.starts_with("non ") || f.starts_with("no ") || f == "aucun" {
        Some(false)
    } else if f.starts_with("oui") || f.starts_with("yes") {
        Some(true)
    } else {
        None
    }
}

/// The countries part of an EXI 29 / EXI 30 cell: "Oui : Maroc (CCT 2021/914
/// module 3)" → "Maroc".
fn countries_part(text: &str) -> String {
    let mut s = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let t = s.trim();
    let f = fold(t);
    let t = if f.starts_with("oui") || f.starts_with("yes") {
        &t[3.min(t.len())..]
    } else {
        t
    };
    t.trim_start_matches(|c: char| {
        c == ':' || c == '-' || c == '—' || c.is_whitespace() || c == ','
    })
    .to_string()
}

fn activity_numbers(text: &str) -> Vec<u8> {
    let mut out: BTreeSet<u8> = BTreeSet::new();
    for w in text.split(|c: char| !c.is_ascii_digit()) {
        if let Ok(n) = w.parse::<u8>()
            && (1..=6).contains(&n)
        {
            out.insert(n);
        }
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------

fn config(source: &str, host: &str) -> String {
    format!(
        "# Imported by `sovmap import` from {src}. Check every value marked\n\
         # \"unknown\" or \"guessed\" in content/imported/ against the provider.\n\
         name = {name}\n\
         host = {host}\n\
         # publication_date = 2026-01-31  # the list's date, if it gives one\n",
        src = source.replace(['\n', '\r'], " "),
        name = q(&format!("{source} (imported)")),
        host = q(host),
    )
}

fn provider_entity(out: &mut String) {
    out.push_str(&comment(
        "The provider publishing this list: the list does not say who it is.",
    ));
    out.push_str(
        "[[entity]]\nid = \"provider\"\nknown_as = \"The provider publishing this list\"\n",
    );
    out.push_str("country = \"unknown\"  # fill in the provider's country of incorporation\n\n");
}

fn csv_list(rows: &[Row], source: &str, r: &Reference) -> Result<Imported, String> {
    let Some((header, body)) = rows.split_first() else {
        return Err(
            "the file is empty: expected a header line and one line per subprocessor".into(),
        );
    };
    let cols = columns(&header.cells, &CSV_FIELDS);
    let [
        name_c,
        legal_c,
        origin_c,
        servers_c,
        purpose_c,
        data_c,
        basis_c,
        hds_c,
    ] = cols[..]
    else {
        return Err("internal: column table".into());
    };
    if name_c.is_none() && legal_c.is_none() {
        return Err(format!(
            "line {}: no column names the subprocessors; expected a header such as `name` / `nom` or `legal entity` / `raison sociale` (found: {})",
            header.line,
            header.cells.join(", ")
        ));
    }
    let mut problems = Vec::new();
    let mut ids = Ids::default();
    ids.take("provider");
    ids.take("service");
    let mut out = String::new();
    let mut storage_sites: Vec<String> = Vec::new();
    let mut read = 0;
    provider_entity(&mut out);
    let unread: Vec<&str> = header
        .cells
        .iter()
        .enumerate()
        .filter(|(i, _)| !cols.contains(&Some(*i)))
        .map(|(_, h)| h.as_str())
        .collect();
    if !unread.is_empty() {
        out.push_str(&comment(&format!(
            "Columns not read: {} (kept in the row comments below).",
            unread.join(", ")
        )));
        out.push('\n');
    }
    for row in body {
        if row.cells.len() > header.cells.len() {
            problems.push(Problem {
                line: row.line,
                message: format!(
                    "{} cells, but the header has {}: a value containing the separator must be in double quotes",
                    row.cells.len(),
                    header.cells.len()
                ),
            });
            continue;
        }
        let name = cell(row, name_c);
        let legal = cell(row, legal_c);
        let shown = if name.is_empty() { legal } else { name };
        if shown.is_empty() {
            problems.push(Problem {
                line: row.line,
                message:
                    "no name and no legal entity: the row says who the subprocessor is nowhere"
                        .into(),
            });
            continue;
        }
        read += 1;
        let id = ids.take(shown);
        out.push_str(&format!(
            "# ---- line {}: {}\n",
            row.line,
            row.cells
                .iter()
                .map(|c| c.replace(['\n', '\r'], " "))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        // Country of origin: the group behind the contracting entity.
        let origin_text = cell(row, origin_c);
        let origin = (!is_blank(origin_text)).then(|| place(r, origin_text));
        let (b, dpf, b_note) = basis(cell(row, basis_c));
        out.push_str("[[entity]]\n");
        out.push_str(&format!("id = {}\n", q(&id)));
        let parent = if !legal.is_empty() {
            out.push_str(&format!("legal_name = {}\n", q(legal)));
            // "Acme Europe SARL (Luxembourg)": the country its name gives.
            let named = legal
                .rsplit_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
                .and_then(|(i, _)| country_code(r, i));
            match named {
                Some(c) => out.push_str(&format!(
                    "country = {}  # read from the legal entity's name\n",
                    q(&c)
                )),
                None => out.push_str("country = \"unknown\"  # the list does not say where this legal entity is incorporated\n"),
            }
            origin.map(|o| (ids.take(&format!("{shown} group")), o))
        } else {
            out.push_str(&format!(
                "known_as = {}  # the list gives no legal entity\n",
                q(shown)
            ));
            match origin {
                Some(o) => {
                    out.push_str(&format!("country = {}", q(&o.code)));
                    out.push_str(&format!(
                        "  # the country of origin the list gives{}\n",
                        o.note.map(|n| format!(" ({n})")).unwrap_or_default()
                    ));
                }
                None => out.push_str("country = \"unknown\"  # the list gives no country\n"),
            }
            None
        };
        if let Some((pid, _)) = &parent {
            out.push_str(&format!(
                "parent = {}  # the group of the country of origin\n",
                q(pid)
            ));
        }
        if dpf {
            out.push_str("dpf = true  # the list names the Data Privacy Framework\n");
        } else if origin_text.to_ascii_uppercase().contains("US")
            || fold(origin_text).contains("etats unis")
            || fold(origin_text).contains("united states")
        {
            out.push_str("dpf = \"unknown\"  # the list does not say whether it is DPF-listed\n");
        }
        let hds_text = cell(row, hds_c);
        match hds(hds_text) {
            Hds::Certified => out.push_str("hds = \"certified\"  # the list says HDS certified; no dates or activities\n"),
            Hds::Exempted => out.push_str("hds_exempted_under = \"provider\"  # the list says covered by the provider's certificate\n"),
            Hds::No => out.push_str(&comment(&format!("HDS: the list says «{hds_text}»"))),
            Hds::Unknown if hds_c.is_some() && !hds_text.is_empty() => out.push_str(&comment(&format!(
                "HDS: «{hds_text}» not understood; declare the status once known"
            ))),
            Hds::Unknown => out.push_str(&comment("HDS status not given in the list")),
        }
        let purpose = cell(row, purpose_c);
        if !purpose.is_empty() {
            out.push_str(&format!("description = {}\n", q(purpose)));
        }
        out.push('\n');
        if let Some((pid, o)) = &parent {
            out.push_str("[[entity]]\n");
            out.push_str(&format!("id = {}\n", q(pid)));
            out.push_str(&format!(
                "known_as = {}  # the list names the country of origin, not the group\n",
                q(&format!("{shown} group (country of origin)"))
            ));
            out.push_str(&format!("country = {}", q(&o.code)));
            match &o.note {
                Some(n) => out.push_str(&format!("  # {n}\n\n")),
                None => out.push_str("\n\n"),
            }
        }
        // Server locations: one site each.
        let (data, data_note) = categories(cell(row, data_c));
        let health = data
            .iter()
            .any(|d| d.starts_with("health") || *d == "encryption-keys");
        let servers_text = cell(row, servers_c);
        let locations = if servers_c.is_some() {
            places(r, servers_text)
        } else {
            vec![place(r, "")]
        };
        let mut site_ids = Vec::new();
        for loc in &locations {
            let sid = ids.take(&format!("{id} {}", loc.code));
            out.push_str("[[site]]\n");
            out.push_str(&format!("id = {}\n", q(&sid)));
            out.push_str(&format!(
                "name = {}\n",
                q(&format!(
                    "{shown} servers ({})",
                    if servers_text.is_empty() {
                        "location not given"
                    } else {
                        servers_text
                    }
                ))
            ));
            out.push_str(&format!("operator = {}\n", q(&id)));
            out.push_str(&format!("country = {}", q(&loc.code)));
            match &loc.note {
                Some(n) => out.push_str(&format!("  # {n}\n")),
                None => out.push('\n'),
            }
            out.push_str("role = \"primary\"  # guessed: the list does not say primary, replica or backup\n\n");
            site_ids.push(sid);
        }
        // The data the provider sends to it.
        for (i, sid) in site_ids.iter().enumerate() {
            let fid = if i == 0 {
                id.clone()
            } else {
                format!("{id}-{}", i + 1)
            };
            out.push_str("[[flow]]\n");
            out.push_str(&format!("id = {}\n", q(&fid)));
            out.push_str("from = \"provider\"\n");
            out.push_str(&format!("to = {}\n", q(sid)));
            if health {
                out.push_str("kind = \"storage\"  # guessed: health data kept by the subprocessor (worst case)\n");
                storage_sites.push(sid.clone());
            } else {
                out.push_str("kind = \"processing\"  # guessed from the data categories\n");
            }
            out.push_str(&format!(
                "data = [{}]",
                data.iter().map(|d| q(d)).collect::<Vec<_>>().join(", ")
            ));
            match &data_note {
                Some(n) => out.push_str(&format!("  # {n}\n")),
                None => out.push('\n'),
            }
            out.push_str("services = [\"service\"]\n");
            if let Some(b) = b {
                out.push_str(&format!("basis = {}", q(b)));
                match &b_note {
                    Some(n) => out.push_str(&format!("  # {n}\n")),
                    None => out.push('\n'),
                }
            } else if let Some(n) = &b_note {
                out.push_str(&comment(&format!("no basis: {n}")));
            }
            if !purpose.is_empty() {
                out.push_str(&format!("description = {}\n", q(purpose)));
            }
            out.push('\n');
        }
    }
    let mut head = String::new();
    head.push_str(&comment(&format!(
        "Imported by `sovmap import --format csv` from {source}: {read} subprocessor(s)."
    )));
    head.push_str(&comment(
        "Country of origin → the subprocessor's group (parent, name not given); legal entity → the entity; server locations → its sites.",
    ));
    head.push('\n');
    head.push_str("[[service]]\nid = \"service\"\n");
    head.push_str(&format!("name = {}\n", q(&format!("{source} (imported)"))));
    head.push_str(&format!(
        "sites = [{}]  # the subprocessors' sites that keep health data; the provider's own sites are not in the list\n",
        storage_sites.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    ));
    head.push_str("  [[service.actor]]\n  entity = \"provider\"\n  activities = []  # the list does not say which HDS activities the provider performs\n\n");
    Ok(Imported {
        config: config(source, "provider"),
        declarations: head + &out,
        rows: read,
        problems,
    })
}

fn chapter8(rows: &[Row], source: &str, r: &Reference) -> Result<Imported, String> {
    let Some((header, body)) = rows.split_first() else {
        return Err("the table is empty".into());
    };
    let cols = columns(&header.cells, &CHAPTER8_FIELDS);
    let [actor_c, role_c, hds_c, snc_c, acts_c, exi29_c, exi30_c] = cols[..] else {
        return Err("internal: column table".into());
    };
    if actor_c.is_none() {
        return Err(format!(
            "line {}: no column names the actors; expected the chapter-8 header (acteur / actor, rôle, HDS, SecNumCloud, activités, EXI 29, EXI 30), found: {}",
            header.line,
            header.cells.join(", ")
        ));
    }
    let mut problems = Vec::new();
    let mut ids = Ids::default();
    ids.take("service");
    let mut out = String::new();
    let mut host: Option<String> = None;
    let mut actors: Vec<(String, Vec<u8>)> = Vec::new();
    let mut read = 0;
    // First pass: which actor is the host (for `hds_exempted_under`).
    let mut planned: Vec<(&Row, String)> = Vec::new();
    for row in body {
        let name = cell(row, actor_c);
        if name.is_empty() {
            problems.push(Problem {
                line: row.line,
                message: "no actor name in this row".into(),
            });
            continue;
        }
        if row.cells.len() != header.cells.len() {
            problems.push(Problem {
                line: row.line,
                message: format!(
                    "{} cells, but the header has {}: the row does not line up with the columns",
                    row.cells.len(),
                    header.cells.len()
                ),
            });
            continue;
        }
        let id = ids.take(name);
        let role = fold(cell(row, role_c));
        if host.is_none() && (role.contains("heberg") || role.contains("host")) {
            host = Some(id.clone());
        }
        planned.push((row, id));
    }
    let host_id = host.clone().unwrap_or_else(|| ids.take("provider"));
    if host.is_none() {
        provider_entity(&mut out);
    }
    for (row, id) in planned {
        read += 1;
        let name = cell(row, actor_c);
        out.push_str(&format!(
            "# ---- line {}: {}\n",
            row.line,
            row.cells.join(" | ").replace(['\n', '\r'], " ")
        ));
        let acts = activity_numbers(cell(row, acts_c));
        let exi30_text = cell(row, exi30_c);
        let exi30 = yes_no(exi30_text);
        let exi30_places: Vec<Place> = places(r, &countries_part(exi30_text))
            .into_iter()
            .filter(|p| p.code != crate::unknown::UNKNOWN)
            .collect();
        out.push_str("[[entity]]\n");
        out.push_str(&format!("id = {}\nlegal_name = {}\n", q(&id), q(name)));
        match exi30 {
            Some(false) => out.push_str("country = \"EEA\"  # guessed: the table gives no country and says EXI 30 \"no\" (not subject to non-adequate foreign law); write the country\n"),
            _ => out.push_str("country = \"unknown\"  # the table gives no country of incorporation\n"),
        }
        let parent = (exi30 == Some(true)).then(|| ids.take(&format!("{id} controller")));
        if let Some(p) = &parent {
            out.push_str(&format!(
                "parent = {}  # the table says EXI 30 \"yes\": subject to foreign law through its control\n",
                q(p)
            ));
        }
        let hds_text = cell(row, hds_c);
        match hds(hds_text) {
            Hds::Certified => {
                out.push_str("  [entity.hds]\n");
                if acts.is_empty() {
                    out.push_str("  activities = \"unknown\"\n");
                } else {
                    out.push_str(&format!(
                        "  activities = [{}]  # the activities the table lists for this actor\n",
                        acts.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
                    ));
                }
                out.push_str("  issued = \"unknown\"  # the table gives no dates\n  expires = \"unknown\"\n  certifier = \"unknown\"\n");
            }
            Hds::Exempted if id != host_id => out.push_str(&format!(
                "hds_exempted_under = {}  # the table says exempted (covered by the host's certificate)\n",
                q(&host_id)
            )),
            Hds::Exempted => out.push_str(&comment("HDS: the table says exempted for the host itself")),
            Hds::No => out.push_str(&comment(&format!("HDS: the table says «{hds_text}»"))),
            Hds::Unknown => out.push_str(&comment("HDS status not given in the table")),
        }
        if yes_no(cell(row, snc_c)) == Some(true) {
            out.push_str("  [entity.secnumcloud]\n  version = \"unknown\"  # the table says qualified, without the version or dates\n");
        }
        out.push('\n');
        if let Some(p) = &parent {
            let c = exi30_places.first();
            out.push_str("[[entity]]\n");
            out.push_str(&format!("id = {}\n", q(p)));
            out.push_str(&format!(
                "known_as = {}  # the table does not name who controls it\n",
                q(&format!("{name}: controlling entity (name not given)"))
            ));
            match c {
                Some(pl) => out.push_str(&format!(
                    "country = {}  # from the EXI 30 column\n\n",
                    q(&pl.code)
                )),
                None => out.push_str("country = \"non-EU\"  # the table says subject to non-adequate foreign law without naming the country\n\n"),
            }
        }
        let exi29_text = cell(row, exi29_c);
        if yes_no(exi29_text) == Some(true)
            || (exi29_c.is_some() && yes_no(exi29_text).is_none() && !is_blank(exi29_text))
        {
            let (b, _, b_note) = basis(exi29_text);
            let mut ps: Vec<Place> = places(r, &countries_part(exi29_text))
                .into_iter()
                .filter(|p| p.code != crate::unknown::UNKNOWN)
                .collect();
            if ps.is_empty() {
                ps.push(Place {
                    code: crate::unknown::UNKNOWN.into(),
                    note: Some("the EXI 29 column names no country".into()),
                });
            }
            for (i, pl) in ps.iter().enumerate() {
                let aid = ids.take(&format!(
                    "{id} access {}",
                    if i == 0 { "" } else { &pl.code }
                ));
                out.push_str("[[access]]\n");
                out.push_str(&format!("id = {}\nteam = {}\n", q(&aid), q(&id)));
                out.push_str(&format!("country = {}", q(&pl.code)));
                match &pl.note {
                    Some(n) => out.push_str(&format!("  # {n}\n")),
                    None => out.push('\n'),
                }
                out.push_str("targets = [\"service\"]\n");
                out.push_str(&format!(
                    "purpose = {}\n",
                    q(&format!("remote access (EXI 29: {exi29_text})"))
                ));
                match (b, &b_note) {
                    (Some("unstated"), _) => {
                        out.push_str("basis = \"unstated\"  # the EXI 29 column names no basis\n")
                    }
                    (Some(b), _) => out.push_str(&format!("basis = {}\n", q(b))),
                    (None, Some(n)) => out.push_str(&comment(&format!("no basis: {n}"))),
                    (None, None) => {}
                }
                out.push('\n');
            }
        }
        actors.push((id, acts));
    }
    let mut head = String::new();
    head.push_str(&comment(&format!(
        "Imported by `sovmap import --format chapter8` from {source}: {read} actor(s)."
    )));
    head.push('\n');
    head.push_str("[[service]]\nid = \"service\"\n");
    head.push_str(&format!("name = {}\n", q(&format!("{source} (imported)"))));
    head.push_str(
        "sites = []  # the chapter-8 table does not give the storage sites: declare them\n",
    );
    if host.is_none() {
        head.push_str("  [[service.actor]]\n  entity = \"provider\"\n  activities = []  # no host row in the table\n");
    }
    for (id, acts) in &actors {
        head.push_str(&format!(
            "  [[service.actor]]\n  entity = {}\n  activities = [{}]\n",
            q(id),
            acts.iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    head.push('\n');
    Ok(Imported {
        config: config(source, &host_id),
        declarations: head + &out,
        rows: read,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> &'static Reference {
        Reference::embedded()
    }

    #[test]
    fn places_never_invent_a_country() {
        assert_eq!(place(r(), "France").code, "FR");
        assert_eq!(place(r(), "États-Unis").code, "US");
        assert_eq!(place(r(), "USA").code, "US");
        assert_eq!(place(r(), "UE").code, "EU");
        assert_eq!(place(r(), "Europe").code, "unknown");
        assert_eq!(place(r(), "").code, "unknown");
        assert_eq!(place(r(), "Atlantis").code, "unknown");
        let p = places(r(), "Frankfurt (Germany), Dublin");
        assert_eq!(p[0].code, "DE");
        assert_eq!(p[1].code, "unknown");
    }

    #[test]
    fn exi_cells_give_their_countries() {
        assert_eq!(
            countries_part("Oui : Maroc (CCT 2021/914 module 3)"),
            "Maroc"
        );
        assert_eq!(
            countries_part("yes - United States, India"),
            "United States, India"
        );
        let p = places(r(), &countries_part("Oui : États-Unis"));
        assert_eq!(p[0].code, "US");
    }

    #[test]
    fn categories_count_in_doubt() {
        assert_eq!(categories("Données de santé").0, vec!["health"]);
        assert_eq!(
            categories("Contact data, payment").0,
            vec!["payment", "personal"]
        );
        assert_eq!(categories("logs").0, vec!["metadata"]);
        assert_eq!(categories("something").0, vec!["health"]);
        assert!(categories("").1.is_some());
    }

    #[test]
    fn bases_and_hds() {
        assert_eq!(basis("CCT (2021/914)").0, Some("scc"));
        assert!(basis("EU-US DPF").1);
        assert_eq!(basis("").0, Some("unstated"));
        assert_eq!(basis("aucun").0, None);
        assert!(matches!(hds("Oui"), Hds::Certified));
        assert!(matches!(hds("exempté"), Hds::Exempted));
        assert!(matches!(hds("non"), Hds::No));
        assert!(matches!(hds(""), Hds::Unknown));
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.take("Acme Cloud Inc."), "acme-cloud-inc");
        assert_eq!(ids.take("ACME cloud inc"), "acme-cloud-inc-2");
        assert_eq!(ids.take("Société Générale"), "societe-generale");
    }
}
