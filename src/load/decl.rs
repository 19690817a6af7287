//! Reading each kind of declaration from its spanned TOML table.

use std::collections::BTreeMap;
use std::ops::Range;
use std::str::FromStr;

use ipnetwork::IpNetwork;
use toml::de::{DeTable, DeValue};

use super::reader::{Ctx, DiagExt, Fields, Sp, suggest, type_name};
use crate::diag::{Diagnostics, Loc};
use crate::model::*;
use crate::reference::{CountryLookup, Reference};

/// Top-level tables a declaration file may hold, and what each declares.
pub const DECLARATION_KINDS: [(&str, &str); 5] = [
    (
        "entity",
        "a legal entity (host, subcontractor, parent company)",
    ),
    ("site", "a data centre or office"),
    ("service", "a service or product"),
    ("flow", "a data flow"),
    ("access", "a remote-access path"),
];

/// The keys each table accepts; any other key is reported as unknown. The
/// JSON Schemas ([`crate::schema`]) are checked against these lists, so the
/// two cannot drift apart.
pub mod keys {
    pub const CONFIG: &[&str] = &[
        "name",
        "host",
        "base_url",
        "version",
        "publication_date",
        "languages",
        "theme",
        "notice_days",
        "annex_pdf",
        "previous",
        "policy",
        "reference",
        "geoip",
        "provider",
        "publisher",
    ];
    pub const PROVIDER: &[&str] = &[
        "legal_name",
        "legal_form",
        "registration",
        "address",
        "representative",
    ];
    pub const CLAUSE: &[&str] = &["title", "order"];
    pub const POLICY: &[&str] = &[
        "partial_adequacy_is_exposure",
        "rationale",
        "rationale_en",
        "expiry_warning_days",
    ];
    pub const REFERENCE: &[&str] = &["adequacy", "law"];
    pub const ENTITY: &[&str] = &[
        "id",
        "legal_name",
        "country",
        "parent",
        "control_share",
        "description",
        "description_en",
        "website",
        "hds",
        "hds_exempted_under",
        "secnumcloud",
        "dpf",
        "adequacy_scopes",
        "publication",
        "shareholder",
        "kind",
        "known_as",
        "nationality",
        "organisation",
    ];
    pub const SHAREHOLDER: &[&str] = &[
        "entity",
        "capital",
        "voting",
        "veto",
        "board_majority",
        "control",
    ];
    pub const HDS: &[&str] = &[
        "activities",
        "issued",
        "expires",
        "certifier",
        "number",
        "referential",
    ];
    pub const SECNUMCLOUD: &[&str] = &["version", "issued", "expires", "offer"];
    pub const SITE: &[&str] = &[
        "id",
        "name",
        "operator",
        "country",
        "city",
        "coordinates",
        "ip_ranges",
        "role",
    ];
    pub const SERVICE: &[&str] = &[
        "id",
        "name",
        "name_en",
        "description",
        "description_en",
        "sites",
        "secnumcloud",
        "actor",
    ];
    pub const ACTOR: &[&str] = &["entity", "activities"];
    pub const FLOW: &[&str] = &[
        "id",
        "from",
        "to",
        "kind",
        "data",
        "services",
        "basis",
        "basis_reference",
        "tia_reference",
        "tia_date",
        "tia_next_review",
        "description",
        "description_en",
        "possible",
    ];
    pub const ACCESS: &[&str] = &[
        "id",
        "team",
        "name",
        "name_en",
        "country",
        "city",
        "source_ip_ranges",
        "targets",
        "purpose",
        "purpose_en",
        "safeguards",
        "safeguards_en",
        "basis",
        "basis_reference",
        "tia_reference",
        "tia_date",
        "tia_next_review",
        "data",
        "systematic",
        "possible",
    ];
    pub const MEASURE: &[&str] = &[
        "id",
        "title",
        "kind",
        "mitigates",
        "residual_risk",
        "residual_risk_en",
        "title_en",
        "residual_level",
        "keys_held_by",
        "clear_text_access",
    ];
    pub const PAGE: &[&str] = &["title"];
    /// The front matter of a measure's English body (`<id>.en.md`): none;
    /// its title and residual risk are `title_en` and `residual_risk_en`
    /// of the French file.
    pub const MEASURE_EN: &[&str] = &[];
}

/// A flow as written, before its endpoints are resolved to node kinds.
pub struct RawFlow {
    pub flow: Flow,
    pub from: Sp<String>,
    pub to: Sp<String>,
    pub services: Vec<Sp<String>>,
}

pub struct RawAccess {
    pub access: AccessPath,
    pub targets: Vec<Sp<String>>,
}

pub struct RawMeasure {
    pub measure: Measure,
    pub mitigates: Vec<Sp<String>>,
    pub file: usize,
    pub offset: usize,
}

/// A reference to check once everything is loaded.
pub struct PendingRef {
    pub kind: RefKind,
    pub id: String,
    pub loc: Loc,
    /// What refers ("parent of entity `x`").
    pub context: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Entity,
    Site,
}

/// Everything read so far.
#[derive(Default)]
pub struct State {
    pub config: Option<Config>,
    pub entities: BTreeMap<String, Entity>,
    pub parents: BTreeMap<String, Sp<String>>,
    pub parent_files: BTreeMap<String, usize>,
    pub sites: BTreeMap<String, Site>,
    pub services: BTreeMap<String, (Service, Vec<Sp<String>>, usize)>,
    pub flows: BTreeMap<String, (RawFlow, usize)>,
    pub access: BTreeMap<String, (RawAccess, usize)>,
    pub measures: BTreeMap<String, RawMeasure>,
    pub pages: BTreeMap<String, Page>,
    /// Clauses of the annex (see [`super::clause`]).
    pub clauses: BTreeMap<(String, String), Clause>,
    /// See [`Project::english`].
    pub english: BTreeMap<String, String>,
    /// Measures' English bodies (`content/measures/<id>.en.md`) by id and
    /// file, checked against the measures once all are read.
    pub measure_bodies: Vec<(String, Loc)>,
    /// English versions of free pages (`content/pages/<id>.en.md`), checked
    /// against the pages once all are read.
    pub page_translations: Vec<(String, Loc)>,
    pub pending: Vec<PendingRef>,
    /// Ids of declarations that were written but had errors: references to
    /// them are not reported again as unknown.
    pub invalid: std::collections::BTreeSet<String>,
    /// First place each (kind, id) was declared, to report duplicates.
    pub seen: BTreeMap<(&'static str, String), Loc>,
    /// `publication = "…"` of entities: provider chains to import
    /// (see [`super::chain`]).
    pub publications: Vec<PublicationRef>,
}

/// An entity's `publication` key: the `transfers.json` its provider publishes.
pub struct PublicationRef {
    pub entity: String,
    pub path: Sp<String>,
    pub file: usize,
}

impl State {
    /// Whether `id` was declared with errors, or would have come from a
    /// provider publication that could not be read (`link.…`): references to
    /// it are not reported again.
    pub fn is_invalid(&self, id: &str) -> bool {
        self.invalid.contains(id)
            || id
                .split_once('.')
                .is_some_and(|(link, _)| self.invalid.contains(&format!("{link}.")))
    }

    pub(super) fn claim(&mut self, ctx: &mut Ctx, kind: &'static str, id: &Sp<String>) -> bool {
        let loc = ctx.loc(id.span.clone());
        if let Some(first) = self.seen.get(&(kind, id.value.clone())) {
            let first_name = first
                .file
                .and_then(|f| ctx.diags.files.get(f))
                .map(|f| {
                    let (l, c) = f.line_col(first.span.start);
                    format!("{}:{l}:{c}", f.name)
                })
                .unwrap_or_default();
            ctx.error(
                "duplicate-id",
                id.span.clone(),
                format!("{kind} `{}` is declared twice", id.value),
            )
            .with_help_mut(format!(
                "first declared at {first_name}; give each {kind} its own id"
            ));
            return false;
        }
        self.seen.insert((kind, id.value.clone()), loc);
        true
    }

    fn pending(&mut self, ctx: &Ctx, kind: RefKind, id: &Sp<String>, context: String) {
        self.pending.push(PendingRef {
            kind,
            id: id.value.clone(),
            loc: ctx.loc(id.span.clone()),
            context,
        });
    }
}

/// Ids appear in file names and URLs: keep them to a safe alphabet.
fn check_id(ctx: &mut Ctx, id: &Sp<String>) -> bool {
    let ok = id.value.len() <= 80
        && id
            .value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        let slug: String = id
            .value
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        ctx.error("bad-id", id.span.clone(), format!("`{}` is not a valid id", id.value))
            .with_help_mut(format!(
                "ids use lower-case letters, digits, `-` and `_` (they become file names and links); e.g. `{}`",
                if slug.is_empty() { "my-id".to_string() } else { slug }
            ));
    }
    ok
}

fn country(ctx: &mut Ctx, reference: &Reference, v: &Sp<String>) -> Option<String> {
    // Region values (`EU`, `non-EU`, `unknown`) are accepted where a
    // document does not name the country: see crate::unknown.
    match reference.lookup_place(&v.value) {
        CountryLookup::Found { code, note } => {
            if let Some(note) = note {
                ctx.note("country-alias", v.span.clone(), note);
            }
            Some(code)
        }
        CountryLookup::Unknown { hint } => {
            let d = ctx.error(
                "unknown-country",
                v.span.clone(),
                format!("`{}` is not an ISO 3166-1 alpha-2 country code", v.value),
            );
            d.with_help_mut(
                hint.unwrap_or_else(|| {
                    "write the two-letter ISO code, e.g. `FR`, `DE`, `US`, `GB`".to_string()
                }) + &format!(
                    "; where the document does not name the country, write {}",
                    crate::unknown::REGION_SPELLINGS
                ),
            );
            None
        }
        CountryLookup::Ambiguous { candidates, hint } => {
            ctx.error(
                "ambiguous-country",
                v.span.clone(),
                format!("`{}` could mean {}", v.value, candidates.join(", ")),
            )
            .with_help_mut(hint);
            None
        }
    }
}

fn ip_ranges(ctx: &mut Ctx, items: Vec<Sp<String>>) -> Vec<IpRange> {
    let mut out = Vec::new();
    for item in items {
        match parse_ip_range(&item.value) {
            Ok(network) => out.push(IpRange {
                network,
                loc: ctx.loc(item.span.clone()),
            }),
            Err(IpRangeError::HostBits(fixed)) => {
                ctx.error(
                    "ip-host-bits",
                    item.span.clone(),
                    format!("`{}` has host bits set", item.value),
                )
                .with_help_mut(format!("the network is `{fixed}`; write that (or a longer prefix if you meant a smaller range)"));
            }
            Err(IpRangeError::Invalid(e)) => {
                ctx.error(
                    "bad-ip-range",
                    item.span.clone(),
                    format!("`{}` is not an IP range: {e}", item.value),
                )
                .with_help_mut("write a CIDR range such as `192.0.2.0/24` or `2001:db8::/32`");
            }
        }
    }
    out
}

pub enum IpRangeError {
    HostBits(IpNetwork),
    Invalid(String),
}

/// Parse a CIDR range; a bare address is a single-address range. Host bits
/// set (`10.0.0.1/8`) are refused with the corrected network.
pub fn parse_ip_range(s: &str) -> Result<IpNetwork, IpRangeError> {
    // Name a prefix that is too long for a valid address as such (ipnetwork
    // says "invalid address" for `10.0.0.0/33`).
    if let Some((addr, prefix)) = s.trim().split_once('/')
        && let Ok(ip) = addr.parse::<std::net::IpAddr>()
        && let Ok(p) = prefix.parse::<u32>()
    {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        if p > max {
            return Err(IpRangeError::Invalid(format!(
                "the prefix /{p} is too long for an IPv{} address (at most /{max})",
                if ip.is_ipv4() { 4 } else { 6 }
            )));
        }
    }
    let net = IpNetwork::from_str(s.trim()).map_err(|e| IpRangeError::Invalid(e.to_string()))?;
    let fixed = IpNetwork::new(net.network(), net.prefix())
        .map_err(|e| IpRangeError::Invalid(e.to_string()))?;
    if fixed.ip() != net.ip() {
        return Err(IpRangeError::HostBits(fixed));
    }
    Ok(net)
}

fn enum_value<T: Copy>(
    ctx: &mut Ctx,
    key: &str,
    v: &Sp<String>,
    all: &[(&'static str, T)],
) -> Option<T> {
    if let Some((_, t)) = all.iter().find(|(s, _)| *s == v.value) {
        return Some(*t);
    }
    let names: Vec<&str> = all.iter().map(|(s, _)| *s).collect();
    let hint = match suggest(&v.value, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Allowed: {}", names.join(", ")),
        None => format!("allowed values: {}", names.join(", ")),
    };
    ctx.error(
        "bad-value",
        v.span.clone(),
        format!("`{}` is not a valid `{key}`", v.value),
    )
    .with_help_mut(hint);
    None
}

/// `basis = "unstated"` (or "unknown", "not stated"): the document does not
/// say which basis frames the transfer. Not the same as no `basis` at all.
fn basis_unstated(v: &Option<Sp<String>>) -> bool {
    v.as_ref().is_some_and(|v| {
        matches!(
            v.value.to_lowercase().as_str(),
            "unstated" | "unknown" | "not stated" | "not-stated"
        )
    })
}

fn basis(ctx: &mut Ctx, v: Option<Sp<String>>) -> Option<Basis> {
    let v = v?;
    if basis_unstated(&Some(v.clone())) {
        return None;
    }
    let b = Basis::parse(&v.value.to_lowercase());
    if b.is_none() {
        ctx.error(
            "bad-basis",
            v.span.clone(),
            format!("`{}` is not a transfer basis sovmap knows", v.value),
        )
        .with_help_mut(format!(
            "write one of: {}; or `unstated` when the document does not say",
            Basis::SPELLINGS
        ));
    }
    b
}

fn data_categories(ctx: &mut Ctx, items: Vec<Sp<String>>) -> Vec<DataCategory> {
    let mut out: Vec<DataCategory> = items
        .iter()
        .filter_map(|i| {
            let alias = DataCategory::ALIASES
                .iter()
                .find(|(a, _)| a.eq_ignore_ascii_case(&i.value));
            match alias {
                Some((_, c)) => Some(*c),
                None => enum_value(ctx, "data", i, &DataCategory::ALL),
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn activities(ctx: &mut Ctx, f: &mut Fields, key: &str) -> Option<Vec<u8>> {
    let list = f.int_list(ctx, key)?;
    let mut out = Vec::new();
    for n in list {
        if is_hds_activity(n.value) {
            out.push(n.value as u8);
        } else {
            ctx.error("bad-activity", n.span.clone(), format!("{} is not an HDS activity", n.value))
                .with_help_mut("HDS activities are numbered 1 to 6 (art. R.1111-9 CSP): 1 physical sites, 2 hardware, 3 virtual infrastructure, 4 application platform, 5 administration and operation, 6 backup");
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

fn top_table<'a, 'i>(
    root: &'a DeTable<'i>,
) -> impl Iterator<Item = (&'a str, &'a toml::Spanned<DeValue<'i>>, Range<usize>)> {
    root.iter()
        .map(|(k, v)| (k.get_ref().as_ref(), v, k.span()))
}

/// Parse a TOML text, reporting syntax errors (with recovery: several per file).
fn parse<'i>(ctx: &mut Ctx, text: &'i str) -> (DeTable<'i>, Range<usize>) {
    report_parsed(ctx, DeTable::parse_recoverable(text))
}

/// A TOML text parsed ahead of reading (files are parsed in parallel).
pub type Parsed<'i> = (toml::Spanned<DeTable<'i>>, Vec<toml::de::Error>);

/// Parse a declaration file's text; [`read_declarations`] reports its errors.
pub fn parse_declarations(text: &str) -> Parsed<'_> {
    DeTable::parse_recoverable(text)
}

/// Report the syntax errors of a parsed text (with recovery: several per file).
fn report_parsed<'i>(ctx: &mut Ctx, (doc, errors): Parsed<'i>) -> (DeTable<'i>, Range<usize>) {
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        ctx.syntax.push(span.clone());
        let msg = e.message().trim().to_string();
        let help = if msg.contains("date") || msg.contains("time") {
            "dates are written year-month-day (2026-01-31) and must exist in the calendar"
        } else {
            "check quotes around text, `=` between key and value, and [brackets] around table names"
        };
        ctx.error("toml-syntax", span, format!("TOML syntax error: {msg}"))
            .with_help_mut(help);
    }
    let span = doc.span();
    (doc.into_inner(), span)
}

/// Read the legal facts of `[[reference.adequacy]]` or `[[reference.law]]`
/// one by one with serde (the same schema as the embedded facts): every
/// broken fact is reported at the key serde names, the others are kept.
fn read_facts<T: serde::de::DeserializeOwned>(
    ctx: &mut Ctx,
    value: Option<toml::Spanned<toml::de::DeValue<'_>>>,
    table_span: std::ops::Range<usize>,
) -> Vec<T> {
    use serde::Deserialize;
    let Some(value) = value else {
        return Vec::new();
    };
    let report = |ctx: &mut Ctx, e: toml::de::Error, span: std::ops::Range<usize>| {
        let at = e
            .span()
            .or(Some(span))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| table_span.clone());
        ctx.error("bad-reference", at, format!("invalid legal fact: {}", e.message().trim()))
            .with_help_mut("each [[reference.adequacy]] / [[reference.law]] needs the same keys as the embedded facts; see the README, section \"Overriding legal facts\"");
    };
    let entries: Vec<toml::Spanned<toml::de::DeValue<'_>>> = match value.get_ref() {
        toml::de::DeValue::Array(items) => items.into_iter().cloned().collect(),
        _ => {
            // Not a list of tables: serde says what it found instead.
            let span = value.span();
            if let Err(e) = Vec::<T>::deserialize(toml::de::ValueDeserializer::from(value)) {
                report(ctx, e, span);
            }
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        let span = entry.span();
        match T::deserialize(toml::de::ValueDeserializer::from(entry)) {
            Ok(t) => out.push(t),
            Err(e) => report(ctx, e, span),
        }
    }
    out
}

pub fn read_config(state: &mut State, diags: &mut Diagnostics, file: usize, reference: &Reference) {
    let text = diags.files[file].text.clone();
    let mut ctx = Ctx {
        file,
        offset: 0,
        diags,
        syntax: Vec::new(),
    };
    let before = ctx.diags.pushed();
    let (doc, span) = parse(&mut ctx, &text);
    let syntax_ok = ctx.diags.pushed() == before;
    let mut f = Fields::new(&doc, 0..span.start.min(1), "sovmap.toml");
    let name = f.req_str(&mut ctx, "name", "\"Example Health Cloud\"");
    let host = f.req_str(&mut ctx, "host", "\"example-host\"");
    let base_url = f.opt_str(&mut ctx, "base_url");
    if let Some(u) = &base_url
        && !(u.value.starts_with("https://") || u.value.starts_with("http://"))
    {
        ctx.error(
            "bad-value",
            u.span.clone(),
            "`base_url` must start with https://",
        )
        .with_help_mut(
            "write the public address of the published map, e.g. `https://example.com/transfers/`",
        );
    }
    let version = f.opt_str(&mut ctx, "version");
    let publication_date = f.opt_date(&mut ctx, "publication_date");
    if let Some(v) = f.raw("languages")
        && matches!(v.get_ref(), DeValue::Array(a) if a.is_empty())
    {
        ctx.error("bad-value", v.span(), "`languages` is empty")
            .with_help_mut("write the languages of the site, e.g. `languages = [\"fr\", \"en\"]`, or remove the line for both");
    }
    let langs = f.str_list(&mut ctx, "languages");
    let mut languages = Vec::new();
    for l in &langs {
        if l.value == "fr" || l.value == "en" {
            if !languages.contains(&l.value) {
                languages.push(l.value.clone());
            }
        } else {
            ctx.error(
                "bad-value",
                l.span.clone(),
                format!("language `{}` is not supported", l.value),
            )
            .with_help_mut("sovmap writes French (`fr`) and English (`en`)");
        }
    }
    if languages.is_empty() {
        languages = vec!["fr".to_string(), "en".to_string()];
    }
    let theme = f.opt_str(&mut ctx, "theme");
    if let Some(t) = &theme
        && let Some(root) = ctx.diags.files[file]
            .path
            .parent()
            .map(std::path::Path::to_path_buf)
    {
        check_theme(&mut ctx, &root, t);
    }
    let geoip = f.opt_str(&mut ctx, "geoip");
    if let Some(g) = &geoip
        && g.value.trim().is_empty()
    {
        ctx.error("bad-value", g.span.clone(), "`geoip` is empty")
            .with_help_mut("write the path of a .mmdb country database, relative to the project root, or remove the key to use the embedded one");
    }
    let publisher = f.opt_str(&mut ctx, "publisher").and_then(|p| {
        let all = [
            ("host", PublisherRole::Host),
            ("platform", PublisherRole::Platform),
        ];
        enum_value(&mut ctx, "publisher", &p, &all)
    });
    let previous = f.opt_str(&mut ctx, "previous");
    if let Some(p) = &previous
        && let Some(root) = ctx.diags.files[file]
            .path
            .parent()
            .map(std::path::Path::to_path_buf)
        && let Err(why) = crate::safefs::check_inside(&root, &root.join(&p.value))
        && !matches!(why, crate::safefs::Refused::NotFound)
    {
        let (message, help) = why.message_and_help(&p.value, &root);
        ctx.error(
            "bad-previous",
            p.span.clone(),
            format!("`previous`: {message}"),
        )
        .with_help_mut(help);
    }
    let annex_pdf = f.opt_bool(&mut ctx, "annex_pdf").unwrap_or(false);
    let notice_days = f.opt_int(&mut ctx, "notice_days", "30").and_then(|n| {
        u32::try_from(n.value)
            .ok()
            .filter(|d| *d <= 3650)
            .or_else(|| {
                ctx.error(
                    "bad-value",
                    n.span.clone(),
                    "`notice_days` must be between 0 and 3650",
                )
                .with_help_mut(
                    "the days of notice clients get before a subcontractor changes, e.g. `notice_days = 30`",
                );
                None
            })
    });

    let mut policy = Policy::default();
    if let Some((t, tspan)) = f.opt_table(&mut ctx, "policy") {
        let mut p = Fields::new(t, tspan, "[policy]");
        if let Some(b) = p.opt_bool(&mut ctx, "partial_adequacy_is_exposure") {
            policy.partial_adequacy_is_exposure = b;
        }
        policy.rationale = p.opt_str(&mut ctx, "rationale").map(|s| s.value);
        if let Some(en) = p.opt_str(&mut ctx, "rationale_en") {
            state
                .english
                .insert(english_key::POLICY_RATIONALE.into(), en.value);
        }
        if let Some(n) = p.opt_int(&mut ctx, "expiry_warning_days", "90") {
            if (0..=3650).contains(&n.value) {
                policy.expiry_warning_days = n.value;
            } else {
                ctx.error(
                    "bad-value",
                    n.span.clone(),
                    "`expiry_warning_days` must be between 0 and 3650",
                )
                .with_help_mut(
                    "how many days before a certificate expires to warn, e.g. `expiry_warning_days = 90`",
                );
            }
        }
        p.finish(&mut ctx, keys::POLICY);
    }

    // Legal facts the provider overrides: read with serde (same schema as the
    // embedded data), errors mapped to the file.
    let mut overrides = ReferenceOverrides::default();
    if let Some((t, tspan)) = f.opt_table(&mut ctx, "reference") {
        let mut r = Fields::new(t, tspan.clone(), "[reference]");
        let adequacy = r.raw("adequacy").cloned();
        let laws = r.raw("law").cloned();
        let before_keys = ctx.diags.pushed();
        r.finish(&mut ctx, keys::REFERENCE);
        let keys_ok = ctx.diags.pushed() == before_keys;
        // Problems already reported (syntax, unknown keys) would be reported
        // again by serde: read the facts only from a clean file. Each fact is
        // read on its own, so that every broken one is reported, not the
        // first only.
        let clean = syntax_ok && keys_ok;
        let adequacy: Vec<crate::reference::AdequacyDecision> =
            read_facts(&mut ctx, adequacy.filter(|_| clean), tspan.clone());
        let laws: Vec<crate::reference::ForeignLaw> =
            read_facts(&mut ctx, laws.filter(|_| clean), tspan.clone());
        for a in &adequacy {
            if !a.country.is_empty() && reference.country(&a.country).is_none() {
                ctx.error(
                    "unknown-country",
                    tspan.clone(),
                    format!(
                        "[[reference.adequacy]] `{}`: unknown country `{}`",
                        a.id, a.country
                    ),
                )
                .with_help_mut("write the two-letter ISO code");
            }
        }
        for l in &laws {
            if reference.country(&l.country).is_none() {
                ctx.error(
                    "unknown-country",
                    tspan.clone(),
                    format!(
                        "[[reference.law]] `{}`: unknown country `{}`",
                        l.id, l.country
                    ),
                )
                .with_help_mut("write the two-letter ISO code");
            }
        }
        overrides.adequacy = adequacy;
        overrides.laws = laws;
    }
    let mut party = Party::default();
    if let Some((t, tspan)) = f.opt_table(&mut ctx, "provider") {
        let mut p = Fields::new(t, tspan, "[provider]");
        let mut read = |key: &str, slot: &mut Option<String>| {
            if let Some(v) = p.opt_str(&mut ctx, key) {
                if v.value.trim().is_empty() {
                    ctx.error("bad-value", v.span.clone(), format!("`{key}` is empty"))
                        .with_help_mut("write the value, or remove the key (the annex then says it is not declared)");
                } else {
                    *slot = Some(v.value);
                }
            }
        };
        read("legal_name", &mut party.legal_name);
        read("legal_form", &mut party.legal_form);
        read("registration", &mut party.registration);
        read("address", &mut party.address);
        read("representative", &mut party.representative);
        p.finish(&mut ctx, keys::PROVIDER);
    }
    f.finish(&mut ctx, keys::CONFIG);

    if let Some(h) = &host {
        state.pending(
            &ctx,
            RefKind::Entity,
            h,
            "the `host` of sovmap.toml".to_string(),
        );
    }
    state.config = Some(Config {
        name: name.map(|n| n.value).unwrap_or_default(),
        host: host.map(|h| h.value).unwrap_or_default(),
        base_url: base_url.map(|u| u.value),
        version: version.map(|v| v.value),
        publication_date: publication_date.map(|d| d.value),
        languages,
        theme: theme.map(|t| t.value),
        notice_days: notice_days.unwrap_or(30),
        annex_pdf,
        // Relative to the project root (the folder of sovmap.toml); read by `build`.
        previous: previous.map(|p| {
            let p = std::path::PathBuf::from(p.value);
            match ctx.diags.files[file].path.parent() {
                Some(root) if p.is_relative() => root.join(p),
                _ => p,
            }
        }),
        policy,
        reference_overrides: overrides,
        geoip: geoip.map(|g| g.value),
        party,
        publisher: publisher.unwrap_or_default(),
        loc: Loc::new(file, 0..0),
    });
}

/// Read the declarations of a file, parsed by [`parse_declarations`] from
/// the text of `diags.files[file]`.
pub fn read_declarations(
    state: &mut State,
    diags: &mut Diagnostics,
    file: usize,
    parsed: Parsed<'_>,
    reference: &Reference,
) {
    // Where the parser's own recovery lost the rest of a file or a table,
    // read a copy with the broken lines blanked instead (see [`recover`]).
    if !parsed.1.is_empty() {
        let text = diags.files[file].text.clone();
        let (patched, errors, decisive) = recover(&text, &parsed.1);
        let (doc, _) = DeTable::parse_recoverable(&patched);
        // Worth it: a header was broken, more problems were found, or the
        // copy holds more keys than the first parse.
        if decisive || count_keys(doc.get_ref()) > count_keys(parsed.0.get_ref()) {
            read_doc(state, diags, file, (doc, errors), reference);
            return;
        }
    }
    read_doc(state, diags, file, parsed, reference);
}

/// Better syntax recovery for a declaration file the parser reported errors
/// in. toml's recovery keeps going after most errors, but after a key with no
/// `=` it drops the rest of the file, and after an unclosed `[[table]` header
/// it loses the table's keys and reads its last key as a top-level one. So:
/// each line in error is blanked (spaces: offsets, lines and columns are
/// kept) — a broken table header with its whole table, up to the next header —
/// and the copy is parsed again, up to eight times while errors appear
/// further on. Returns the copy, every syntax error found (the first
/// parse's, then the new ones), and whether the copy is surely worth reading
/// (a header was broken, or more problems were found); [`read_declarations`]
/// also reads it when it holds more keys than the first parse.
fn recover(text: &str, first: &[toml::de::Error]) -> (String, Vec<toml::de::Error>, bool) {
    let mut errors: Vec<toml::de::Error> = first.to_vec();
    let mut patched = text.to_string();
    let mut current = errors.clone();
    let mut frontier = 0;
    let mut header_broken = false;
    let mut found_more = false;
    for _ in 0..8 {
        let mut blank = Vec::with_capacity(current.len());
        for e in &current {
            let at = e.span().map_or(0, |s| s.start).min(patched.len());
            let (start, end, header) = broken_region(&patched, at);
            header_broken |= header;
            frontier = frontier.max(end);
            blank.push(start..end);
        }
        // In place, all at once (a file may hold thousands of errors).
        let mut bytes = std::mem::take(&mut patched).into_bytes();
        for r in blank {
            bytes[r].fill(b' ');
        }
        // Whole lines became ASCII spaces: still UTF-8.
        patched = String::from_utf8(bytes).unwrap_or_default();
        let (_, next) = DeTable::parse_recoverable(&patched);
        // Only problems past what was blanked: earlier ones are the blanking's.
        current = next
            .into_iter()
            .filter(|e| e.span().is_some_and(|s| s.start >= frontier))
            .collect();
        if current.is_empty() {
            break;
        }
        found_more = true;
        errors.extend(current.iter().cloned());
    }
    (patched, errors, header_broken || found_more)
}

/// The byte range to blank for a syntax error at `at`: its line, or for a
/// table header (`[…`) the header and its table, up to the next header.
/// Ranges start after a `\n` and end at one (or at the end): char boundaries.
fn broken_region(text: &str, at: usize) -> (usize, usize, bool) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let end = line_end(start);
    if !text[start..end].trim_start().starts_with('[') {
        return (start, end, false);
    }
    let mut next = end;
    while next < text.len() {
        let from = next + 1;
        let to = line_end(from);
        if text[from..to].trim_start().starts_with('[') {
            break;
        }
        next = to;
    }
    (start, next, true)
}

/// Keys in a parsed document, nested tables included.
fn count_keys(t: &DeTable<'_>) -> usize {
    fn value(v: &DeValue<'_>) -> usize {
        match v {
            DeValue::Table(t) => count_keys(t),
            DeValue::Array(items) => items.into_iter().map(|i| value(i.get_ref())).sum(),
            _ => 0,
        }
    }
    t.iter().map(|(_, v)| 1 + value(v.get_ref())).sum()
}

fn read_doc(
    state: &mut State,
    diags: &mut Diagnostics,
    file: usize,
    parsed: Parsed<'_>,
    reference: &Reference,
) {
    let mut ctx = Ctx {
        file,
        offset: 0,
        diags,
        syntax: Vec::new(),
    };
    let (doc, _) = report_parsed(&mut ctx, parsed);
    for (key, value, key_span) in top_table(&doc) {
        let tables: Vec<(&DeTable, Range<usize>)> = match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::Table(t) => Some((t, i.span())),
                    _ => None,
                })
                .collect(),
            DeValue::Table(t) => vec![(t, value.span())],
            _ => Vec::new(),
        };
        let known = DECLARATION_KINDS.iter().any(|(k, _)| *k == key);
        if !known || tables.is_empty() {
            let kinds: Vec<String> = DECLARATION_KINDS
                .iter()
                .map(|(k, _)| format!("[[{k}]]"))
                .collect();
            let hint = match suggest(key, DECLARATION_KINDS.iter().map(|(k, _)| *k)) {
                Some(s) => format!(
                    "did you mean `[[{s}]]`? A declaration file holds {}",
                    kinds.join(", ")
                ),
                None => format!("a declaration file holds tables named {}", kinds.join(", ")),
            };
            if known {
                // `entity = "x"`: the right word, not a table.
                let found = type_name(value.get_ref());
                ctx.error(
                    "wrong-type",
                    key_span,
                    format!("`{key}` must be a table (`[[{key}]]`), here it is {found}"),
                )
                .with_help_mut(format!(
                    "write a `[[{key}]]` line, then the {key}'s keys below it; if this line belongs to the table above, move it under that table's header"
                ));
                continue;
            }
            ctx.error(
                "unknown-key",
                key_span,
                format!("`{key}` is not something sovmap declares"),
            )
            .with_help_mut(hint);
            continue;
        }
        for (t, span) in tables {
            match key {
                "entity" => read_entity(state, &mut ctx, reference, t, span),
                "site" => read_site(state, &mut ctx, reference, t, span),
                "service" => read_service(state, &mut ctx, t, span),
                "flow" => read_flow(state, &mut ctx, t, span),
                _ => read_access(state, &mut ctx, reference, t, span),
            }
        }
    }
}

fn id_of(state: &mut State, ctx: &mut Ctx, f: &mut Fields, kind: &str) -> Option<Sp<String>> {
    let id = f.req_str(ctx, "id", &format!("\"my-{kind}\""))?;
    // Until the declaration is complete, treat the id as declared-with-errors.
    state.invalid.insert(id.value.clone());
    f.set_what(format!("{kind} `{}`", id.value));
    if check_id(ctx, &id) { Some(id) } else { None }
}

/// `tia_reference`, `tia_date`, `tia_next_review` of a flow or access path.
fn read_tia(ctx: &mut Ctx, f: &mut Fields) -> Option<Tia> {
    let reference = f.opt_str(ctx, "tia_reference");
    let date = f.opt_date(ctx, "tia_date").map(|d| d.value);
    let next_review = f.opt_date(ctx, "tia_next_review").map(|d| d.value);
    match reference {
        Some(r) => Some(Tia {
            reference: r.value,
            date,
            next_review,
        }),
        None if date.is_some() || next_review.is_some() => {
            ctx.error(
                "missing-key",
                f.span().start..f.span().start + 1,
                "a transfer impact assessment is dated but has no `tia_reference`",
            )
            .with_help_mut("add `tia_reference = \"…\"` (the document's reference)");
            None
        }
        None => None,
    }
}

/// An optional percentage (0 to 100), reported when out of range.
fn percentage(ctx: &mut Ctx, f: &mut Fields, key: &str, example: &str) -> Option<f64> {
    let n = f.opt_number(ctx, key, example)?;
    if (0.0..=100.0).contains(&n.value) {
        Some(n.value)
    } else {
        ctx.error(
            "bad-value",
            n.span.clone(),
            format!("`{key}` is a percentage between 0 and 100"),
        )
        .with_help_mut(format!(
            "write a share of the capital or voting rights from 0 to 100, e.g. `{key} = 51`"
        ));
        None
    }
}

fn read_entity(
    state: &mut State,
    ctx: &mut Ctx,
    reference: &Reference,
    t: &DeTable,
    span: Range<usize>,
) {
    let mut f = Fields::new(t, span, "entity");
    let id = id_of(state, ctx, &mut f, "entity");
    // An actor known by its role only ("the provider's US parent"): its
    // description stands in for the legal name, which is never invented.
    let known_as = f.opt_str(ctx, "known_as");
    let legal_name = if known_as.is_some() && !t.contains_key("legal_name") {
        known_as.clone()
    } else {
        f.req_str(ctx, "legal_name", "\"Example SAS\"")
    };
    let kind = f
        .opt_str(ctx, "kind")
        .and_then(|k| enum_value(ctx, "kind", &k, &EntityKind::ALL))
        .unwrap_or_default();
    let nationality = f
        .opt_str(ctx, "nationality")
        .and_then(|c| country(ctx, reference, &c));
    if nationality.is_some() && !kind.is_people() {
        ctx.error(
            "bad-value",
            f.span(),
            "`nationality` is for a person or a team; a company has a country of incorporation",
        )
        .with_help_mut("add `kind = \"person\"` or `kind = \"team\"`, or remove `nationality`");
    }
    // An international organisation names its adequacy decision, if it has
    // one, by the decision's id in the reference data (issue 17, rule 9).
    let organisation = f.opt_str(ctx, "organisation");
    if let Some(o) = &organisation {
        let known = reference.organisations();
        if kind != EntityKind::InternationalOrganisation {
            ctx.error(
                "bad-value",
                o.span.clone(),
                "`organisation` is for an international organisation",
            )
            .with_help_mut("add `kind = \"international-organisation\"`, or remove `organisation`");
        } else if !known.iter().any(|(id, _)| *id == o.value) {
            let listed: Vec<String> = known
                .iter()
                .map(|(id, name)| format!("`{id}` ({name})"))
                .collect();
            ctx.error(
                "bad-value",
                o.span.clone(),
                format!(
                    "`{}` is not an international organisation with an adequacy decision in the reference data",
                    o.value
                ),
            )
            .with_help_mut(format!(
                "known: {}; for an organisation without an adequacy decision, remove `organisation` (its transfers then need an Art. 46 safeguard)",
                listed.join(", ")
            ));
        }
    }
    let country_v = f.req_str(ctx, "country", "\"FR\"");
    let cc = country_v.as_ref().and_then(|c| country(ctx, reference, c));
    let parent = f.opt_str(ctx, "parent");
    let control_share = percentage(ctx, &mut f, "control_share", "100");
    if control_share.is_some() && parent.is_none() {
        ctx.error(
            "bad-value",
            f.span(),
            "`control_share` is given but no `parent`",
        )
        .with_help_mut("add `parent = \"…\"` (the controlling entity) or remove `control_share`");
    }
    let description = f.opt_str(ctx, "description").map(|s| s.value);
    let description_en = f.opt_str(ctx, "description_en").map(|s| s.value);
    let website = f.opt_str(ctx, "website").map(|s| s.value);
    // Holdings (issue 17, rule 4): control follows voting power.
    let mut holders: Vec<(Sp<String>, Shareholding)> = Vec::new();
    for (t, hspan) in f.table_list(ctx, "shareholder") {
        let mut h = Fields::new(t, hspan, "[[entity.shareholder]]");
        let holder = h.req_str(ctx, "entity", "\"parent-id\"");
        let capital = percentage(ctx, &mut h, "capital", "30");
        let voting = percentage(ctx, &mut h, "voting", "30");
        let veto = h.opt_bool(ctx, "veto").unwrap_or(false);
        let board_majority = h.opt_bool(ctx, "board_majority").unwrap_or(false);
        let control = h.opt_bool(ctx, "control").unwrap_or(false);
        h.finish(ctx, keys::SHAREHOLDER);
        if let Some(holder) = holder {
            holders.push((
                holder.clone(),
                Shareholding {
                    holder: holder.value,
                    capital,
                    voting,
                    veto,
                    board_majority,
                    control,
                },
            ));
        }
    }
    let hds_claim = hds_claim(ctx, &mut f);
    let hds_str = t
        .get("hds")
        .is_some_and(|v| matches!(v.get_ref(), DeValue::String(_)));
    let hds = if hds_claim.is_some() || hds_str {
        None
    } else {
        f.opt_table(ctx, "hds")
    };
    let hds = hds.and_then(|(t, tspan)| {
        let mut h = Fields::new(t, tspan.clone(), "[entity.hds] certificate");
        let acts = activities(ctx, &mut h, "activities");
        if acts.is_none() && !t.contains_key("activities") {
            ctx.error("missing-key", tspan.start..tspan.start + 1, "HDS certificate has no `activities`")
                .with_help_mut("list the certified activities, e.g. `activities = [1, 2, 3, 4, 5, 6]`");
        }
        let issued = h.req_date(ctx, "issued");
        let expires = h.req_date(ctx, "expires");
        let certifier = h.req_str(ctx, "certifier", "\"Example Certification\"");
        let number = h.opt_str(ctx, "number").map(|s| s.value);
        let referential = h.opt_str(ctx, "referential");
        if let Some(r) = &referential
            && r.value != "2018" && r.value != "2024" {
                ctx.error("bad-value", r.span.clone(), format!("unknown HDS referential `{}`", r.value))
                    .with_help_mut("write \"2018\" (first referential) or \"2024\" (referential v2, arrêté of 26 April 2024)");
            }
        if let (Some(i), Some(e)) = (&issued, &expires)
            && e.value <= i.value {
                ctx.error("bad-date", e.span.clone(), "the certificate expires before it was issued")
                    .with_help_mut("check `issued` and `expires`");
            }
        h.finish(ctx, keys::HDS);
        Some(HdsCertificate {
            activities: acts?,
            issued: issued?.value,
            expires: expires?.value,
            certifier: certifier?.value,
            number,
            referential: referential.map(|r| r.value),
        })
    });
    let exempted = f.opt_str(ctx, "hds_exempted_under");
    let secnumcloud = f.opt_table(ctx, "secnumcloud").and_then(|(t, tspan)| {
        let mut s = Fields::new(t, tspan, "[entity.secnumcloud] qualification");
        let version = s.req_str(ctx, "version", "\"3.2\"");
        let issued = s.opt_date(ctx, "issued").map(|d| d.value);
        let expires = s.opt_date(ctx, "expires").map(|d| d.value);
        let offer = s.opt_str(ctx, "offer").map(|s| s.value);
        s.finish(ctx, keys::SECNUMCLOUD);
        Some(SecNumCloud {
            version: version?.value,
            issued,
            expires,
            offer,
        })
    });
    let dpf_unknown = is_unknown(&mut f, "dpf");
    let dpf = if dpf_unknown {
        false
    } else {
        f.opt_bool(ctx, "dpf").unwrap_or(false)
    };
    let publication = f.opt_str(ctx, "publication");
    let scopes = f.str_list(ctx, "adequacy_scopes");
    let conditions = reference.scope_conditions();
    let mut adequacy_scopes = Vec::new();
    for s in scopes {
        if conditions.contains(&s.value.as_str()) {
            adequacy_scopes.push(s.value);
        } else {
            ctx.error(
                "bad-value",
                s.span.clone(),
                format!(
                    "`{}` is not the scope condition of any adequacy decision",
                    s.value
                ),
            )
            .with_help_mut(format!("known conditions: {}", conditions.join(", ")));
        }
    }
    f.finish(ctx, keys::ENTITY);
    let legal_name_is_known_as = !t.contains_key("legal_name");
    let (Some(id), Some(legal_name), Some(cc)) = (id, legal_name, cc) else {
        return;
    };
    if !state.claim(ctx, "entity", &id) {
        return;
    }
    if let Some(en) = description_en {
        state
            .english
            .insert(english_key::entity_description(&id.value), en);
    }
    if let Some(path) = publication {
        state.publications.push(PublicationRef {
            entity: id.value.clone(),
            path,
            file: ctx.file,
        });
    }
    // A declared `parent` is a holding too: without a percentage it is
    // control (files written before shareholdings keep working); with
    // `control_share` of 50 % or less it is a minority holding, not a parent.
    let mut shareholders: Vec<Shareholding> = Vec::new();
    if let Some(p) = &parent {
        shareholders.push(Shareholding {
            holder: p.value.clone(),
            capital: control_share,
            voting: control_share,
            veto: false,
            board_majority: false,
            control: false,
        });
    }
    for (h, s) in &holders {
        state.pending(
            ctx,
            RefKind::Entity,
            h,
            format!("shareholder of entity `{}`", id.value),
        );
        shareholders.push(s.clone());
    }
    let controller = shareholders
        .iter()
        .find(|s| s.controls())
        .map(|s| s.holder.clone());
    if let Some(p) = &parent {
        state.pending(
            ctx,
            RefKind::Entity,
            p,
            format!("parent of entity `{}`", id.value),
        );
    }
    if let Some(c) = &controller {
        let at = parent
            .as_ref()
            .filter(|p| &p.value == c)
            .or_else(|| holders.iter().map(|(h, _)| h).find(|h| &h.value == c));
        if let Some(at) = at {
            state.parents.insert(id.value.clone(), at.clone());
            state.parent_files.insert(id.value.clone(), ctx.file);
        }
    }
    let control_share = match (&controller, &parent) {
        (Some(c), Some(p)) if *c == p.value => control_share,
        (Some(c), _) => shareholders
            .iter()
            .find(|s| &s.holder == c)
            .and_then(|s| s.voting.or(s.capital)),
        _ => None,
    };
    if let Some(e) = &exempted {
        state.pending(
            ctx,
            RefKind::Entity,
            e,
            format!("`hds_exempted_under` of entity `{}`", id.value),
        );
    }
    state.entities.insert(
        id.value.clone(),
        Entity {
            id: id.value.clone(),
            legal_name: legal_name.value,
            country: cc,
            parent: controller,
            control_share,
            shareholders,
            description,
            website,
            hds,
            hds_exempted_under: exempted.map(|e| e.value),
            secnumcloud,
            dpf,
            adequacy_scopes,
            facts: EntityFacts {
                kind,
                organisation: organisation.map(|o| o.value),
                unnamed: known_as.is_some() && legal_name_is_known_as,
                nationality,
                dpf_unknown,
                hds_claim,
            },
            loc: ctx.loc(id.span.clone()),
        },
    );
}

fn coordinates(ctx: &mut Ctx, f: &mut Fields) -> Option<(f64, f64)> {
    let v = f.raw("coordinates")?;
    let nums: Option<Vec<f64>> = match v.get_ref() {
        DeValue::Array(items) if items.len() == 2 => items
            .iter()
            .map(|i| match i.get_ref() {
                DeValue::Float(_) | DeValue::Integer(_) => super::reader::number(i),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    match nums.as_deref() {
        Some([lat, lon]) if (-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon) => {
            Some((*lat, *lon))
        }
        _ => {
            ctx.error("bad-coordinates", v.span(), "`coordinates` must be [latitude, longitude] in degrees")
                .with_help_mut("e.g. `coordinates = [48.8566, 2.3522]` for Paris (latitude -90…90 first, then longitude -180…180)");
            None
        }
    }
}

fn read_site(
    state: &mut State,
    ctx: &mut Ctx,
    reference: &Reference,
    t: &DeTable,
    span: Range<usize>,
) {
    let mut f = Fields::new(t, span, "site");
    let id = id_of(state, ctx, &mut f, "site");
    let name = f.req_str(ctx, "name", "\"Paris data centre\"");
    let operator = f.req_str(ctx, "operator", "\"entity-id\"");
    let country_v = f.req_str(ctx, "country", "\"FR\"");
    let cc = country_v.as_ref().and_then(|c| country(ctx, reference, c));
    let city = f.opt_str(ctx, "city").map(|s| s.value);
    let coords = coordinates(ctx, &mut f);
    let ranges = f.str_list(ctx, "ip_ranges");
    let ip = ip_ranges(ctx, ranges);
    let role_v = f.req_str(ctx, "role", "\"primary\"");
    let role = role_v
        .as_ref()
        .and_then(|r| enum_value(ctx, "role", r, &SiteRole::ALL));
    f.finish(ctx, keys::SITE);
    let (Some(id), Some(name), Some(operator), Some(cc), Some(role)) =
        (id, name, operator, cc, role)
    else {
        return;
    };
    if !state.claim(ctx, "site", &id) {
        return;
    }
    state.pending(
        ctx,
        RefKind::Entity,
        &operator,
        format!("operator of site `{}`", id.value),
    );
    state.sites.insert(
        id.value.clone(),
        Site {
            id: id.value.clone(),
            name: name.value,
            operator: operator.value,
            country: cc,
            city,
            coordinates: coords,
            ip_ranges: ip,
            role,
            loc: ctx.loc(id.span.clone()),
        },
    );
}

fn read_service(state: &mut State, ctx: &mut Ctx, t: &DeTable, span: Range<usize>) {
    let mut f = Fields::new(t, span, "service");
    let id = id_of(state, ctx, &mut f, "service");
    let name = f.req_str(ctx, "name", "\"Managed PostgreSQL\"");
    let name_en = f.opt_str(ctx, "name_en").map(|s| s.value);
    let description = f.opt_str(ctx, "description").map(|s| s.value);
    let description_en = f.opt_str(ctx, "description_en").map(|s| s.value);
    let sites = f.str_list(ctx, "sites");
    let secnumcloud = f.opt_bool(ctx, "secnumcloud").unwrap_or(false);
    let mut actors = Vec::new();
    let actor_tables = f.table_list(ctx, "actor");
    for (t, aspan) in actor_tables {
        let mut a = Fields::new(t, aspan.clone(), "[[service.actor]]");
        let entity = a.req_str(ctx, "entity", "\"entity-id\"");
        let acts = activities(ctx, &mut a, "activities");
        if acts.is_none() && !t.contains_key("activities") {
            ctx.error("missing-key", aspan.start..aspan.start + 1, "[[service.actor]] has no `activities`")
                .with_help_mut("list the HDS activities this actor performs for the service, e.g. `activities = [1, 2]`");
        }
        a.finish(ctx, keys::ACTOR);
        if let (Some(e), Some(acts)) = (entity, acts) {
            if let Some(id) = &id {
                state.pending(
                    ctx,
                    RefKind::Entity,
                    &e,
                    format!("actor of service `{}`", id.value),
                );
            }
            actors.push(ServiceActor {
                entity: e.value,
                activities: acts,
                loc: ctx.loc(e.span.clone()),
            });
        }
    }
    if sites.is_empty() && f.raw("sites").is_none() {
        ctx.error("missing-key", f.span().start..f.span().start + 1, "a service must say where its data is stored")
            .with_help_mut("add `sites = [\"site-id\", …]` (every site that stores, replicates or backs up the data)");
    }
    if actors.is_empty() && !t.contains_key("actor") {
        ctx.error("missing-key", f.span().start..f.span().start + 1, "a service must name at least one actor")
            .with_help_mut("add a `[[service.actor]]` table with `entity` and `activities` for the host and each subcontractor");
    }
    f.finish(ctx, keys::SERVICE);
    let (Some(id), Some(name)) = (id, name) else {
        return;
    };
    if !state.claim(ctx, "service", &id) {
        return;
    }
    for (key, text) in [
        (english_key::service_name(&id.value), name_en),
        (english_key::service_description(&id.value), description_en),
    ] {
        if let Some(t) = text {
            state.english.insert(key, t);
        }
    }
    for s in &sites {
        state.pending(
            ctx,
            RefKind::Site,
            s,
            format!("site of service `{}`", id.value),
        );
    }
    let service = Service {
        id: id.value.clone(),
        name: name.value,
        description,
        sites: sites.iter().map(|s| s.value.clone()).collect(),
        actors,
        secnumcloud,
        loc: ctx.loc(id.span.clone()),
    };
    state
        .services
        .insert(id.value.clone(), (service, sites, ctx.file));
}

fn read_flow(state: &mut State, ctx: &mut Ctx, t: &DeTable, span: Range<usize>) {
    let mut f = Fields::new(t, span, "flow");
    let id = id_of(state, ctx, &mut f, "flow");
    let from = f.req_str(ctx, "from", "\"site-or-entity-id\"");
    let to = f.req_str(ctx, "to", "\"site-or-entity-id\"");
    let kind_v = f.req_str(ctx, "kind", "\"backup\"");
    let kind = kind_v
        .as_ref()
        .and_then(|k| enum_value(ctx, "kind", k, &FlowKind::ALL));
    if !t.contains_key("data") {
        ctx.error("missing-key", f.span().start..f.span().start + 1, "a flow must say which data it carries")
            .with_help_mut("add e.g. `data = [\"health\"]` (health, health-pseudonymised, health-encrypted, personal, metadata, anonymous)");
    }
    let data_items = f.str_list(ctx, "data");
    let data = data_categories(ctx, data_items);
    let services = f.str_list(ctx, "services");
    let b = f.opt_str(ctx, "basis");
    let facts = FlowFacts {
        basis_unstated: basis_unstated(&b),
        possible: f.opt_bool(ctx, "possible").unwrap_or(false),
    };
    let basis = basis(ctx, b);
    let basis_reference = f.opt_str(ctx, "basis_reference").map(|s| s.value);
    let tia = read_tia(ctx, &mut f);
    let description = f.opt_str(ctx, "description").map(|s| s.value);
    let description_en = f.opt_str(ctx, "description_en").map(|s| s.value);
    f.finish(ctx, keys::FLOW);
    let (Some(id), Some(from), Some(to), Some(kind)) = (id, from, to, kind) else {
        return;
    };
    if !state.claim(ctx, "flow", &id) {
        return;
    }
    if let Some(en) = description_en {
        state
            .english
            .insert(english_key::flow_description(&id.value), en);
    }
    let flow = Flow {
        id: id.value.clone(),
        from: NodeRef::Entity(String::new()),
        to: NodeRef::Entity(String::new()),
        kind,
        data,
        services: Vec::new(),
        basis,
        basis_reference,
        tia,
        description,
        facts,
        loc: ctx.loc(id.span.clone()),
    };
    state.flows.insert(
        id.value.clone(),
        (
            RawFlow {
                flow,
                from,
                to,
                services,
            },
            ctx.file,
        ),
    );
}

fn read_access(
    state: &mut State,
    ctx: &mut Ctx,
    reference: &Reference,
    t: &DeTable,
    span: Range<usize>,
) {
    let mut f = Fields::new(t, span, "access path");
    let id = id_of(state, ctx, &mut f, "access path");
    let team = f.req_str(ctx, "team", "\"entity-id\"");
    let name = f.opt_str(ctx, "name").map(|s| s.value);
    let name_en = f.opt_str(ctx, "name_en").map(|s| s.value);
    let country_v = f.req_str(ctx, "country", "\"MA\"");
    let cc = country_v.as_ref().and_then(|c| country(ctx, reference, c));
    let city = f.opt_str(ctx, "city").map(|s| s.value);
    let ranges = f.str_list(ctx, "source_ip_ranges");
    let source_ip_ranges = ip_ranges(ctx, ranges);
    let targets = f.str_list(ctx, "targets");
    if targets.is_empty() {
        ctx.error(
            "missing-key",
            f.span().start..f.span().start + 1,
            "an access path must name what it reaches",
        )
        .with_help_mut("add `targets = [\"service-or-site-id\"]`");
    }
    let purpose = f.req_str(ctx, "purpose", "\"level-2 support\"");
    let purpose_en = f.opt_str(ctx, "purpose_en").map(|s| s.value);
    let safeguards: Vec<String> = f
        .str_list(ctx, "safeguards")
        .into_iter()
        .map(|s| s.value)
        .collect();
    let safeguards_en = safeguards_en(ctx, &mut f, t, safeguards.len());
    let b = f.opt_str(ctx, "basis");
    let facts = FlowFacts {
        basis_unstated: basis_unstated(&b),
        possible: f.opt_bool(ctx, "possible").unwrap_or(false),
    };
    let basis = basis(ctx, b);
    let basis_reference = f.opt_str(ctx, "basis_reference").map(|s| s.value);
    let tia = read_tia(ctx, &mut f);
    let data_items = f.str_list(ctx, "data");
    let mut data = data_categories(ctx, data_items);
    if data.is_empty() {
        data = vec![DataCategory::Health];
    }
    let systematic = f.opt_bool(ctx, "systematic").unwrap_or(true);
    f.finish(ctx, keys::ACCESS);
    let (Some(id), Some(team), Some(cc), Some(purpose)) = (id, team, cc, purpose) else {
        return;
    };
    if !state.claim(ctx, "access", &id) {
        return;
    }
    for (key, text) in [
        (english_key::access_purpose(&id.value), purpose_en),
        (english_key::access_name(&id.value), name_en),
    ] {
        if let Some(t) = text {
            state.english.insert(key, t);
        }
    }
    for (n, en) in safeguards_en.into_iter().enumerate() {
        state
            .english
            .insert(english_key::access_safeguard(&id.value, n), en);
    }
    state.pending(
        ctx,
        RefKind::Entity,
        &team,
        format!("team of access path `{}`", id.value),
    );
    let access = AccessPath {
        id: id.value.clone(),
        team: team.value.clone(),
        name,
        country: cc,
        city,
        source_ip_ranges,
        targets: Vec::new(),
        purpose: purpose.value,
        safeguards,
        basis,
        basis_reference,
        tia,
        data,
        systematic,
        facts,
        loc: ctx.loc(id.span.clone()),
    };
    state
        .access
        .insert(id.value.clone(), (RawAccess { access, targets }, ctx.file));
}

/// An access path's `safeguards_en`: one English text per safeguard, in the
/// order of `safeguards` (`count` of them); another number of texts is an
/// error, since the pages would pair them wrongly. Empty when absent or wrong.
fn safeguards_en(ctx: &mut Ctx, f: &mut Fields, t: &DeTable, count: usize) -> Vec<String> {
    let span = t.get("safeguards_en").map(|v| v.span());
    let texts = f.str_list(ctx, "safeguards_en");
    let Some(span) = span else {
        return Vec::new();
    };
    if texts.len() != count {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        ctx.error(
            "translation-mismatch",
            span,
            format!(
                "`safeguards_en` has {} text{} but `safeguards` has {count} safeguard{}",
                texts.len(),
                plural(texts.len()),
                plural(count)
            ),
        )
        .with_help_mut(
            "give one English text per safeguard, in the same order as `safeguards`, or remove `safeguards_en`",
        );
        return Vec::new();
    }
    texts.into_iter().map(|s| s.value).collect()
}

/// Split `+++` front matter from a Markdown file: (front matter, its byte offset, body).
fn front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let rest = text.strip_prefix("+++")?;
    let rest_start = 3;
    let nl = rest.find('\n')?;
    if !rest[..nl].trim().is_empty() {
        return None;
    }
    let fm_start = rest_start + nl + 1;
    let after = &text[fm_start..];
    let mut pos = 0;
    for line in after.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body = &after[pos + line.len()..];
            return Some((&after[..pos], fm_start, body));
        }
        pos += line.len();
    }
    None
}

fn markdown_file<'a>(
    ctx: &mut Ctx,
    text: &'a str,
    what: &str,
) -> Option<(&'a str, usize, &'a str)> {
    let r = front_matter(text);
    let opened = text
        .split_inclusive('\n')
        .next()
        .is_some_and(|l| l.trim_end() == "+++");
    if r.is_none() && opened {
        ctx.error(
            "no-front-matter",
            0..3,
            format!("this {what}'s front matter is never closed"),
        )
        .with_help_mut(
            "end the front matter with a line holding only `+++`, after its last TOML key and before the Markdown text",
        );
    } else if r.is_none() {
        ctx.error(
            "no-front-matter",
            0..text.len().min(3),
            format!("this {what} has no front matter"),
        )
        .with_help_mut(
            "start the file with a `+++` line, TOML keys (id, title …), and a closing `+++` line",
        );
    }
    r
}

pub fn read_measure(state: &mut State, diags: &mut Diagnostics, file: usize) {
    let text = diags.files[file].text.clone();
    let mut ctx = Ctx {
        file,
        offset: 0,
        diags,
        syntax: Vec::new(),
    };
    let Some((fm, offset, body)) = markdown_file(&mut ctx, &text, "measure") else {
        return;
    };
    ctx.offset = offset;
    let (doc, _) = parse(&mut ctx, fm);
    let mut f = Fields::new(&doc, 0..1, "measure");
    let id = id_of(state, &mut ctx, &mut f, "measure");
    let title = f.req_str(
        &mut ctx,
        "title",
        "\"Access through the host's bastion only\"",
    );
    let kind_v = f.req_str(&mut ctx, "kind", "\"technical\"");
    let kind = kind_v
        .as_ref()
        .and_then(|k| enum_value(&mut ctx, "kind", k, &MeasureKind::ALL));
    let mitigates = f.str_list(&mut ctx, "mitigates");
    if mitigates.is_empty() {
        ctx.error("missing-key", 0..1, "a measure must say what it mitigates")
            .with_help_mut("add e.g. `mitigates = [\"entity:parent-inc\", \"access:support-l2\", \"law:US-CLOUD\"]`");
    }
    let residual_risk = f.opt_str(&mut ctx, "residual_risk").map(|s| s.value);
    let title_en = f.opt_str(&mut ctx, "title_en").map(|s| s.value);
    let residual_risk_en = f.opt_str(&mut ctx, "residual_risk_en").map(|s| s.value);
    let level_v = f.opt_str(&mut ctx, "residual_level");
    let residual_level = level_v
        .as_ref()
        .and_then(|l| enum_value(&mut ctx, "residual_level", l, &RiskLevel::ALL));
    let keys_v = f.opt_str(&mut ctx, "keys_held_by");
    let keys_held_by = keys_v
        .as_ref()
        .and_then(|k| enum_value(&mut ctx, "keys_held_by", k, &KeyHolder::ALL));
    let clear_text_access = f.opt_bool(&mut ctx, "clear_text_access");
    f.finish(&mut ctx, keys::MEASURE);
    let (Some(id), Some(title), Some(kind)) = (id, title, kind) else {
        return;
    };
    if !state.claim(&mut ctx, "measure", &id) {
        return;
    }
    for (key, text) in [
        (english_key::measure_title(&id.value), title_en),
        (english_key::measure_residual(&id.value), residual_risk_en),
    ] {
        if let Some(t) = text {
            state.english.insert(key, t);
        }
    }
    let measure = Measure {
        id: id.value.clone(),
        title: title.value,
        kind,
        mitigates: Vec::new(),
        residual_risk,
        residual_level,
        keys_held_by,
        clear_text_access,
        body: body.to_string(),
        loc: ctx.loc(id.span.clone()),
    };
    state.measures.insert(
        id.value.clone(),
        RawMeasure {
            measure,
            mitigates,
            file,
            offset,
        },
    );
}

/// A Markdown file's front matter parsed (the context's offset set to it),
/// and its body; `None` when it has no front matter (reported).
pub(super) fn front_matter_doc<'t>(
    ctx: &mut Ctx,
    text: &'t str,
    what: &str,
) -> Option<(DeTable<'t>, &'t str)> {
    let (fm, offset, body) = markdown_file(ctx, text, what)?;
    ctx.offset = offset;
    let (doc, _) = parse(ctx, fm);
    Some((doc, body))
}

/// The id of a file named after its id (pages, annex clauses), if valid
/// (else reported).
pub(super) fn file_id(ctx: &mut Ctx, stem: String) -> Option<Sp<String>> {
    let id = Sp {
        value: stem,
        span: 0..1,
    };
    check_id(ctx, &id).then_some(id)
}

/// A `theme` names a folder under `themes/` (inside the project); say which
/// exist when it does not.
fn check_theme(ctx: &mut Ctx, root: &std::path::Path, t: &Sp<String>) {
    let name = t.value.as_str();
    let plain = !name.contains(['/', '\\']) && !name.starts_with('.');
    let dir = root.join("themes").join(name);
    let found = plain
        && match crate::safefs::resolve_inside(root, &dir) {
            Ok(real) => real.is_dir(),
            Err(crate::safefs::Refused::NotFound) => false,
            Err(why) => {
                let (message, help) = why.message_and_help(&format!("themes/{name}"), root);
                ctx.error("bad-theme", t.span.clone(), format!("`theme`: {message}"))
                    .with_help_mut(help);
                return;
            }
        };
    if found {
        return;
    }
    let mut themes: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    themes.sort();
    let help = if themes.is_empty() {
        "there is no folder under themes/: create themes/<name>/ (templates/ and static/ inside) or remove `theme` to use the built-in look".to_string()
    } else {
        format!(
            "themes in this project: {}; or remove `theme` to use the built-in look",
            themes
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    ctx.error(
        "unknown-theme",
        t.span.clone(),
        if plain {
            format!("theme `{name}` does not exist (no folder themes/{name}/)")
        } else {
            format!("theme `{name}` is not a folder name under themes/")
        },
    )
    .with_help_mut(help);
}

/// Whether `key` holds the string `"unknown"` (any case).
fn is_unknown(f: &mut Fields, key: &str) -> bool {
    f.raw(key).is_some_and(|v| match v.get_ref() {
        DeValue::String(s) => s.trim().eq_ignore_ascii_case("unknown"),
        _ => false,
    })
}

/// An `[entity.hds]` table the document fills only partly ("HDS certified",
/// no dates or no activities): `activities`, `issued`, `expires` or
/// `certifier` written `"unknown"`, or `hds = "unknown-details"`. Read as a
/// claim to confirm, never as a checked certificate. `None` for a full
/// certificate (read by the caller) or no `hds` at all.
fn hds_claim(ctx: &mut Ctx, f: &mut Fields) -> Option<HdsClaim> {
    let v = f.raw("hds")?;
    if let DeValue::String(s) = v.get_ref() {
        if s.trim().eq_ignore_ascii_case("certified") {
            return Some(HdsClaim::default());
        }
        ctx.error(
            "wrong-type",
            v.span(),
            format!(
                "`hds` must be a table, found a string (`{}`); the only string accepted is \"certified\"",
                s.trim()
            ),
        )
        .with_help_mut("write `hds = \"certified\"` when the document only says the actor is HDS certified, or an [entity.hds] table with what it states");
        return None;
    }
    let DeValue::Table(t) = v.get_ref() else {
        return None;
    };
    let unknown = |k: &str| {
        t.get(k).is_some_and(|v| {
            matches!(v.get_ref(), DeValue::String(s) if s.trim().eq_ignore_ascii_case("unknown"))
        })
    };
    let partial = ["activities", "issued", "expires", "certifier"]
        .iter()
        .any(|k| unknown(k));
    if !partial {
        return None;
    }
    let mut h = Fields::new(t, v.span(), "[entity.hds] certificate");
    let activities = if unknown("activities") {
        h.raw("activities");
        None
    } else {
        let a = activities(ctx, &mut h, "activities");
        if a.is_none() && !t.contains_key("activities") {
            ctx.error("missing-key", v.span().start..v.span().start + 1, "HDS certificate has no `activities`")
                .with_help_mut("list the certified activities, e.g. `activities = [1, 2]`, or write `activities = \"unknown\"` when the document does not say");
        }
        a
    };
    let date = |h: &mut Fields, ctx: &mut Ctx, k: &str| {
        if unknown(k) {
            h.raw(k);
            None
        } else {
            h.opt_date(ctx, k).map(|d| d.value)
        }
    };
    let issued = date(&mut h, ctx, "issued");
    let expires = date(&mut h, ctx, "expires");
    let certifier = if unknown("certifier") {
        h.raw("certifier");
        None
    } else {
        h.opt_str(ctx, "certifier").map(|s| s.value)
    };
    let number = h.opt_str(ctx, "number").map(|s| s.value);
    h.opt_str(ctx, "referential");
    h.finish(ctx, keys::HDS);
    Some(HdsClaim {
        activities,
        issued,
        expires,
        certifier,
        number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_bits_are_reported_with_the_network() {
        match parse_ip_range("10.0.0.1/8") {
            Err(IpRangeError::HostBits(n)) => assert_eq!(n.to_string(), "10.0.0.0/8"),
            _ => panic!("expected host bits error"),
        }
        assert!(parse_ip_range("192.0.2.0/24").is_ok());
        assert!(parse_ip_range("2001:db8::/32").is_ok());
        assert!(parse_ip_range("192.0.2.7").is_ok());
        assert!(matches!(
            parse_ip_range("300.1.1.1/8"),
            Err(IpRangeError::Invalid(_))
        ));
        assert!(matches!(
            parse_ip_range("10.0.0.0/33"),
            Err(IpRangeError::Invalid(_))
        ));
    }

    #[test]
    fn front_matter_is_split_with_offsets() {
        let text = "+++\nid = \"x\"\n+++\nbody\n";
        let (fm, off, body) = front_matter(text).unwrap();
        assert_eq!(fm, "id = \"x\"\n");
        assert_eq!(&text[off..off + 2], "id");
        assert_eq!(body, "body\n");
        assert!(front_matter("no front matter").is_none());
        assert!(front_matter("+++\nid = 1\n").is_none());
    }

    #[test]
    fn broken_regions_are_whole_lines_or_a_whole_table() {
        let t = "a = 1\nb \"x\"\n[[site]\nid = \"s\"\nrole = \"office\"\n[[site]]\nid = \"t\"";
        // A key's line, without its newline.
        assert_eq!(broken_region(t, 8), (6, 11, false));
        // A header: up to the next header.
        let h = t.find("[[site]\n").expect("header");
        let next = t.find("[[site]]").expect("next");
        assert_eq!(broken_region(t, h + 7), (h, next - 1, true));
        // At the very start and the very end; a header on the last line.
        assert_eq!(broken_region(t, 0), (0, 5, false));
        assert_eq!(
            broken_region(t, t.len()),
            (t.rfind('\n').expect("nl") + 1, t.len(), false)
        );
        assert_eq!(broken_region("x = 1\n[[a]", 10), (6, 10, true));
        assert_eq!(broken_region("", 0), (0, 0, false));
    }

    #[test]
    fn recovery_reads_past_a_key_without_equals() {
        let t = "[[entity]]\nid = \"a\"\nwebsite \"w\"\n\n[[entity]]\nid = \"b\"\ndpf = tru\n";
        let first = DeTable::parse_recoverable(t);
        let (patched, errors, decisive) = recover(t, &first.1);
        assert!(decisive, "later problems were found");
        assert_eq!(patched.len(), t.len());
        assert_eq!(patched.lines().count(), t.lines().count());
        assert_eq!(errors.len(), 2, "{errors:?}");
        let (doc, rest) = DeTable::parse_recoverable(&patched);
        assert!(rest.is_empty());
        assert_eq!(count_keys(doc.get_ref()), 3, "entity, and two ids");
        // A clean file needs nothing.
        let clean = "[[entity]]\nid = \"a\"\n";
        assert!(DeTable::parse_recoverable(clean).1.is_empty());
    }
}
