//! JSON Schemas of the files a project is made of, for editors (Taplo / Even
//! Better TOML read a `#:schema ./path.json` first-line comment and offer
//! completion, hover documentation and validation).
//!
//! The loader ([`crate::load`]) reads TOML with its own spanned reader, so
//! that every error points at a line and column; it does not deserialise
//! into these types. They exist to describe the format: one struct per
//! table, with the same keys as the loader's lists ([`crate::load::keys`],
//! checked by the tests), the same required keys, and the loader's enums,
//! patterns and ranges. Enumerations are taken from the model (`ALL`
//! tables) and the embedded reference data (country codes, adequacy scope
//! conditions), so they follow the code. What only the loader can check
//! (references between declarations, calendar dates, host bits of an IP
//! range) stays with `sovmap check`.
//!
//! Dates are described as strings in `YYYY-MM-DD` form: editors validate a
//! TOML date (`issued = 2026-01-31`) against that.

#![allow(dead_code)] // the fields are read by schemars, not by code

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use crate::model::{DataCategory, FlowKind, MeasureKind, SiteRole};
use crate::reference::Reference;

/// A file kind with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// sovmap.toml
    Config,
    /// A declaration file holding any kinds (`[[entity]]`, `[[site]]` …).
    Declarations,
    /// A file of `[[entity]]` tables (content/entities/).
    Entity,
    /// A file of `[[site]]` tables (content/sites/).
    Site,
    /// A file of `[[service]]` tables (content/services/).
    Service,
    /// A file of `[[flow]]` tables (content/flows/).
    Flow,
    /// A file of `[[access]]` tables (content/access/).
    Access,
    /// The `+++` front matter of a measure (content/measures/*.md).
    Measure,
    /// The `+++` front matter of a page (content/pages/*.md).
    Page,
    /// The `+++` front matter of an annex clause (content/annex/*.md).
    Clause,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Config,
        Kind::Declarations,
        Kind::Entity,
        Kind::Site,
        Kind::Service,
        Kind::Flow,
        Kind::Access,
        Kind::Measure,
        Kind::Page,
        Kind::Clause,
    ];

    /// Name on the command line (`sovmap schema --kind NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Config => "config",
            Kind::Declarations => "declarations",
            Kind::Entity => "entity",
            Kind::Site => "site",
            Kind::Service => "service",
            Kind::Flow => "flow",
            Kind::Access => "access",
            Kind::Measure => "measure",
            Kind::Page => "page",
            Kind::Clause => "clause",
        }
    }

    /// What files the kind describes, for `--help`.
    pub fn about(self) -> &'static str {
        match self {
            Kind::Config => "sovmap.toml",
            Kind::Declarations => {
                "A declaration file holding any kinds (`[[entity]]`, `[[site]]` …)"
            }
            Kind::Entity => "A file of `[[entity]]` tables (content/entities/)",
            Kind::Site => "A file of `[[site]]` tables (content/sites/)",
            Kind::Service => "A file of `[[service]]` tables (content/services/)",
            Kind::Flow => "A file of `[[flow]]` tables (content/flows/)",
            Kind::Access => "A file of `[[access]]` tables (content/access/)",
            Kind::Measure => "The `+++` front matter of a measure (content/measures/*.md)",
            Kind::Page => "The `+++` front matter of a page (content/pages/*.md)",
            Kind::Clause => {
                "The `+++` front matter of an annex clause (content/annex/*.md, *.en.md)"
            }
        }
    }

    /// File name of the schema.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Config => "sovmap.schema.json",
            Kind::Declarations => "declarations.schema.json",
            Kind::Entity => "entity.schema.json",
            Kind::Site => "site.schema.json",
            Kind::Service => "service.schema.json",
            Kind::Flow => "flow.schema.json",
            Kind::Access => "access.schema.json",
            Kind::Measure => "measure.schema.json",
            Kind::Page => "page.schema.json",
            Kind::Clause => "clause.schema.json",
        }
    }

    /// The schema kind conventionally used for a file of the project
    /// (relative path with `/`), if any.
    pub fn for_path(rel: &str) -> Option<Kind> {
        if rel == crate::load::CONFIG_FILE {
            return Some(Kind::Config);
        }
        let rest = rel.strip_prefix("content/")?;
        let folder = rest.split('/').next()?;
        let md = rel.ends_with(".md");
        Some(match (folder, md) {
            // A measure's English body has no front matter to check.
            ("measures", true) if rel.ends_with(".en.md") => return None,
            ("measures", true) => Kind::Measure,
            ("pages", true) => Kind::Page,
            ("annex", true) => Kind::Clause,
            (_, true) => return None,
            ("entities", false) => Kind::Entity,
            ("sites", false) => Kind::Site,
            ("services", false) => Kind::Service,
            ("flows", false) => Kind::Flow,
            ("access", false) => Kind::Access,
            _ => Kind::Declarations,
        })
    }
}

/// The schema of `kind`, pretty-printed JSON (draft-07, which Taplo reads),
/// deterministic.
pub fn schema_json(kind: Kind) -> String {
    let schema = schema(kind);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of `kind` as a JSON value.
pub fn schema(kind: Kind) -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    let s = match kind {
        Kind::Config => generator.into_root_schema_for::<ConfigFile>(),
        Kind::Declarations => generator.into_root_schema_for::<DeclarationsFile>(),
        Kind::Entity => generator.into_root_schema_for::<EntityFile>(),
        Kind::Site => generator.into_root_schema_for::<SiteFile>(),
        Kind::Service => generator.into_root_schema_for::<ServiceFile>(),
        Kind::Flow => generator.into_root_schema_for::<FlowFile>(),
        Kind::Access => generator.into_root_schema_for::<AccessFile>(),
        Kind::Measure => generator.into_root_schema_for::<MeasureFrontMatter>(),
        Kind::Page => generator.into_root_schema_for::<PageFrontMatter>(),
        Kind::Clause => generator.into_root_schema_for::<ClauseFrontMatter>(),
    };
    let mut v = s.to_value();
    drop_null(&mut v);
    v
}

/// TOML has no null: an optional key is one that is left out. Remove the
/// `null` alternatives and `"default": null` that `Option` fields produce.
fn drop_null(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types.remove(0);
                    map.insert("type".into(), t);
                }
            }
            if let Some(Value::Array(alts)) = map.get_mut("anyOf") {
                alts.retain(|a| a.get("type").is_none_or(|t| t != "null"));
                if alts.len() == 1 {
                    let only = alts.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(o) = only {
                        for (k, val) in o {
                            map.entry(k).or_insert(val);
                        }
                    }
                }
            }
            for val in map.values_mut() {
                drop_null(val);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// Every schema: file name → contents.
pub fn all() -> BTreeMap<&'static str, String> {
    Kind::ALL
        .iter()
        .map(|k| (k.file_name(), schema_json(*k)))
        .collect()
}

// ---------------------------------------------------------------------------
// Value schemas shared by several keys (functions for `schema_with`).
// ---------------------------------------------------------------------------

/// A string with at least one non-space character (the loader refuses empty values).
fn text(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "\\S" })
}

const ID_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,79}$";

fn id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": ID_PATTERN,
        "description": "Lower-case letters, digits, `-` and `_`, starting with a letter or digit (at most 80 characters); ids become file names and links."
    })
}

/// A reference to another declaration's id (checked by `sovmap check`).
fn id_ref(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "\\S" })
}

/// One value or a list of them. Told apart by type (`if`/`then`/`else`)
/// rather than `anyOf`, so that an editor's message names the wrong key or
/// value inside the table, not "not valid under any of the schemas listed
/// in anyOf".
fn one_or_many(item: serde_json::Value) -> Schema {
    json_schema!({
        "if": { "type": "array" },
        "then": { "type": "array", "items": item },
        "else": item
    })
}

fn one_or_many_nonempty(item: serde_json::Value) -> Schema {
    json_schema!({
        "if": { "type": "array" },
        "then": { "type": "array", "items": item, "minItems": 1 },
        "else": item
    })
}

/// A regular expression matching exactly `words`, in any letter case
/// (JSON Schema patterns have no case-insensitive flag), with surrounding
/// white space when `trimmed`.
fn any_case(words: &[String], trimmed: bool) -> String {
    let alternatives: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                    } else if ".^$*+?()[]{}|\\/".contains(c) {
                        format!("\\{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    let ws = if trimmed { "\\s*" } else { "" };
    format!("^{ws}(?:{}){ws}$", alternatives.join("|"))
}

fn id_refs(_: &mut SchemaGenerator) -> Schema {
    one_or_many(serde_json::json!({ "type": "string", "pattern": "\\S" }))
}

fn id_refs_nonempty(_: &mut SchemaGenerator) -> Schema {
    one_or_many_nonempty(serde_json::json!({ "type": "string", "pattern": "\\S" }))
}

fn texts(_: &mut SchemaGenerator) -> Schema {
    one_or_many(serde_json::json!({ "type": "string", "pattern": "\\S" }))
}

fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "description": "A date, year-month-day: `2026-01-31` (a TOML date, or a string)."
    })
}

/// Every spelling the loader reads as a place ([`Reference::lookup_place`]):
/// an ISO 3166-1 alpha-2 code or an EU alias (`UK`, `EL`) in any case, a
/// region value (`EU`, `EEA`, `non-EU`, `outside-EU`, `non-EEA`,
/// `unknown`), surrounding white space trimmed.
fn place_spellings() -> Vec<String> {
    let r = Reference::embedded();
    let mut codes: Vec<String> = r.countries.iter().map(|c| c.code.clone()).collect();
    codes.extend(r.aliases.iter().map(|a| a.code.clone()));
    codes.extend(
        [
            crate::unknown::EU,
            crate::unknown::EEA,
            crate::unknown::NON_EU,
            "outside-EU",
            "non-EEA",
            crate::unknown::UNKNOWN,
        ]
        .map(String::from),
    );
    codes
}

fn country(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": any_case(&place_spellings(), true),
        "description": "ISO 3166-1 alpha-2 country code (`FR`, `DE`, `US`; any case; `UK` and `EL` are read as `GB` and `GR`); where the document does not name the country: `EU` (some member state), `EEA`, `non-EU` (outside the EU, not named) or `unknown`."
    })
}

/// A value, or the string "unknown" when the document does not say (told
/// apart with `if`/`else`, so that a wrong value is reported as such).
fn or_unknown(inner: serde_json::Value) -> Schema {
    Schema::try_from(serde_json::json!({
        "if": { "type": "string", "const": "unknown" },
        "else": inner
    }))
    .unwrap_or_default()
}

fn activities_or_unknown(g: &mut SchemaGenerator) -> Schema {
    or_unknown(activities(g).to_value())
}

fn date_or_unknown(g: &mut SchemaGenerator) -> Schema {
    or_unknown(date(g).to_value())
}

fn text_or_unknown(g: &mut SchemaGenerator) -> Schema {
    text(g)
}

fn bool_or_unknown(_: &mut SchemaGenerator) -> Schema {
    or_unknown(serde_json::json!({ "type": "boolean" }))
}

fn entity_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": names(&crate::model::EntityKind::ALL) })
}

fn publisher(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["host", "platform"] })
}

/// `[entity.hds]` as a table, or `"certified"` when the document says no more.
fn hds(g: &mut SchemaGenerator) -> Schema {
    let table = g.subschema_for::<HdsCertificate>().to_value();
    Schema::try_from(serde_json::json!({
        "if": { "type": "string" },
        "then": { "const": "certified" },
        "else": table
    }))
    .unwrap_or_default()
}

const IP_RANGE_PATTERN: &str = "^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$";

fn ip_ranges(_: &mut SchemaGenerator) -> Schema {
    one_or_many(serde_json::json!({
        "type": "string",
        "pattern": IP_RANGE_PATTERN,
        "description": "A CIDR range (`192.0.2.0/24`, `2001:db8::/32`) or a single address, without host bits set."
    }))
}

fn activities(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": { "type": "integer", "minimum": 1, "maximum": 6 },
        "description": "HDS activities (art. R.1111-9 CSP): 1 physical sites, 2 hardware, 3 virtual infrastructure, 4 application platform, 5 administration and operation, 6 backup."
    })
}

fn names<T>(all: &[(&'static str, T)]) -> Vec<&'static str> {
    all.iter().map(|(s, _)| *s).collect()
}

fn site_role(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": names(&SiteRole::ALL) })
}

fn flow_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": names(&FlowKind::ALL) })
}

fn measure_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": names(&MeasureKind::ALL) })
}

fn data_categories(_: &mut SchemaGenerator) -> Schema {
    let mut all = names(&DataCategory::ALL);
    all.extend(names(&DataCategory::ALIASES));
    one_or_many(serde_json::json!({ "type": "string", "enum": all }))
}

/// Every spelling `Basis::parse` accepts (it also accepts upper case).
fn basis(_: &mut SchemaGenerator) -> Schema {
    let mut all = vec![
        "adequacy".to_string(),
        "scc".to_string(),
        "scc-1".to_string(),
        "scc-2".to_string(),
        "scc-3".to_string(),
        "scc-4".to_string(),
        "bcr".to_string(),
        "code-of-conduct".to_string(),
        "certification".to_string(),
        "ad-hoc-clauses".to_string(),
    ];
    for g in ["a", "b", "c", "d", "e", "f", "g", "residual"] {
        all.push(format!("art49-{g}"));
    }
    // `basis_unstated` in the loader.
    all.extend(["unstated", "unknown", "not stated", "not-stated"].map(String::from));
    json_schema!({
        "type": "string",
        "pattern": any_case(&all, false),
        "description": "GDPR transfer basis: adequacy (art. 45), scc / scc-1…4, bcr, code-of-conduct, certification, ad-hoc-clauses (art. 46), art49-a…g or art49-residual (art. 49 derogations); `unstated` when the document does not say (to confirm)."
    })
}

fn adequacy_scopes(_: &mut SchemaGenerator) -> Schema {
    let conditions = Reference::embedded().scope_conditions();
    one_or_many(serde_json::json!({ "type": "string", "enum": conditions }))
}

fn languages(_: &mut SchemaGenerator) -> Schema {
    one_or_many(serde_json::json!({ "type": "string", "enum": ["fr", "en"] }))
}

fn base_url(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^https?://" })
}

fn days(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "minimum": 0, "maximum": 3650 })
}

fn percentage(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number", "minimum": 0, "maximum": 100 })
}

fn coordinates(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": [
            { "type": "number", "minimum": -90, "maximum": 90 },
            { "type": "number", "minimum": -180, "maximum": 180 }
        ],
        "minItems": 2,
        "maxItems": 2,
        "description": "[latitude, longitude] in degrees, e.g. [48.8566, 2.3522] for Paris."
    })
}

fn mitigates(_: &mut SchemaGenerator) -> Schema {
    one_or_many_nonempty(serde_json::json!({
        "type": "string",
        "pattern": "^((entity|access|flow|law):)?[^:\\s][^:]*$",
        "description": "What the measure mitigates: `entity:ID`, `access:ID`, `flow:ID` or `law:ID` (e.g. `law:US-CLOUD`); a bare id when it names only one thing."
    }))
}

fn referential(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "enum": ["2018", "2024"],
        "description": "HDS referential: \"2018\" (first) or \"2024\" (v2, arrêté of 26 April 2024)."
    })
}

fn residual_level(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["none", "negligible", "low", "medium", "high"] })
}

fn keys_held_by(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "enum": ["eea-host", "exposed-actor", "client"],
        "description": "Who holds the encryption keys: the host in the EEA, the exposed actor, or the client (EDPB Recommendations 01/2020)."
    })
}

fn legal_facts(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": { "type": "object", "required": ["id"] },
        "description": "Legal facts with the same keys as the embedded reference data; see the README, section \"Overriding legal facts\". `sovmap check` validates their keys."
    })
}

/// A table, or a list of tables (`[[kind]]`): the loader accepts both.
fn one_or_many_tables<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    let item = generator.subschema_for::<T>().to_value();
    one_or_many_nonempty(item)
}

// ---------------------------------------------------------------------------
// sovmap.toml
// ---------------------------------------------------------------------------

/// sovmap.toml: the project's configuration.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap.toml")]
pub struct ConfigFile {
    /// The provider's display name, shown on every page.
    #[schemars(schema_with = "text")]
    name: String,
    /// The id of the host's own legal entity (declared in content/entities/).
    #[schemars(schema_with = "id_ref")]
    host: String,
    /// Public address of the published map (`https://…`); used in the sitemap and exports.
    #[serde(default)]
    #[schemars(schema_with = "base_url")]
    base_url: Option<String>,
    /// Version of the map, shown on the pages (e.g. "2026.4").
    #[serde(default)]
    #[schemars(schema_with = "text")]
    version: Option<String>,
    /// The date the map is valid from; the default `--as-of` date.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    publication_date: Option<String>,
    /// Languages of the site, first is the default [default: ["fr", "en"]].
    #[serde(default)]
    #[schemars(schema_with = "languages")]
    languages: Option<Vec<String>>,
    /// Name of a folder under themes/ whose templates and static files override the default theme.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    theme: Option<String>,
    /// Days of notice given to clients before a subcontractor change [default: 30].
    #[serde(default)]
    #[schemars(schema_with = "days")]
    notice_days: Option<u32>,
    /// `sovmap build` also writes each contract annex as PDF (annex/<service>.pdf) [default: false; `sovmap annex --format pdf` makes one on demand].
    #[serde(default)]
    annex_pdf: Option<bool>,
    /// How the analysis reads uncertain cases.
    #[serde(default)]
    policy: Option<Policy>,
    /// Legal facts the provider adds or overrides.
    #[serde(default)]
    reference: Option<ReferenceOverrides>,
    /// GeoIP country database (.mmdb) for `sovmap verify`, relative to the
    /// project folder [default: the embedded DB-IP Lite country database].
    #[serde(default)]
    geoip: Option<String>,
    /// The last published `transfers.json`, relative to the project folder:
    /// `sovmap build` says what changed since (changes.html, feed.xml).
    #[serde(default)]
    previous: Option<String>,
    /// The provider's legal identity, printed as the contracting party of the annex.
    #[serde(default)]
    provider: Option<ProviderIdentity>,
    /// Who publishes the map: `host` (the certified host, default) or
    /// `platform` (a health platform publishing the map of its hosting chain,
    /// not certified itself; `host` is then the platform's entity).
    #[serde(default)]
    #[schemars(schema_with = "publisher")]
    publisher: Option<String>,
}

/// `[provider]`: the provider as a contracting party (each key optional; the annex says "not declared").
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct ProviderIdentity {
    /// Legal name [default: the host entity's `legal_name`].
    #[serde(default)]
    #[schemars(schema_with = "text")]
    legal_name: Option<String>,
    /// Legal form, e.g. "SAS".
    #[serde(default)]
    #[schemars(schema_with = "text")]
    legal_form: Option<String>,
    /// Registration: SIREN / RCS in France, e.g. "RCS Strasbourg 912 345 678".
    #[serde(default)]
    #[schemars(schema_with = "text")]
    registration: Option<String>,
    /// Registered office address.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    address: Option<String>,
    /// Who signs for the provider, e.g. "Jeanne Martin, présidente".
    #[serde(default)]
    #[schemars(schema_with = "text")]
    representative: Option<String>,
}

/// `[policy]`
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Policy {
    /// Subjection to the law of a country with only a partial adequacy decision counts as an EXI 30 exposure [default: true].
    #[serde(default)]
    partial_adequacy_is_exposure: Option<bool>,
    /// Why this policy was chosen (shown on the site).
    #[serde(default)]
    #[schemars(schema_with = "text")]
    rationale: Option<String>,
    /// `rationale` in English, for the English pages and annex.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    rationale_en: Option<String>,
    /// Warn this many days before a certificate or decision expires [default: 90].
    #[serde(default)]
    #[schemars(schema_with = "days")]
    expiry_warning_days: Option<u32>,
}

/// `[reference]`: `[[reference.adequacy]]` and `[[reference.law]]` tables.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct ReferenceOverrides {
    /// Adequacy decisions (art. 45 GDPR) added or replaced.
    #[serde(default)]
    #[schemars(schema_with = "legal_facts")]
    adequacy: Option<Vec<serde_json::Value>>,
    /// Foreign laws added or replaced.
    #[serde(default)]
    #[schemars(schema_with = "legal_facts")]
    law: Option<Vec<serde_json::Value>>,
}

// ---------------------------------------------------------------------------
// Declaration files
// ---------------------------------------------------------------------------

/// A declaration file: any of `[[entity]]`, `[[site]]`, `[[service]]`, `[[flow]]`, `[[access]]`.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap declarations")]
struct DeclarationsFile {
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Entity>")]
    entity: Option<Vec<Entity>>,
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Site>")]
    site: Option<Vec<Site>>,
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Service>")]
    service: Option<Vec<Service>>,
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Flow>")]
    flow: Option<Vec<Flow>>,
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Access>")]
    access: Option<Vec<Access>>,
}

/// A file of `[[entity]]` tables.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap entities")]
struct EntityFile {
    /// Legal entities: the host, subcontractors, parent companies.
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Entity>")]
    entity: Option<Vec<Entity>>,
}

/// A file of `[[site]]` tables.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap sites")]
struct SiteFile {
    /// Data centres and offices.
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Site>")]
    site: Option<Vec<Site>>,
}

/// A file of `[[service]]` tables.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap services")]
struct ServiceFile {
    /// Services or products holding health data.
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Service>")]
    service: Option<Vec<Service>>,
}

/// A file of `[[flow]]` tables.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap flows")]
struct FlowFile {
    /// Data flows between sites and entities.
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Flow>")]
    flow: Option<Vec<Flow>>,
}

/// A file of `[[access]]` tables.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap access paths")]
struct AccessFile {
    /// Remote-access paths (support, administration from elsewhere).
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Access>")]
    access: Option<Vec<Access>>,
}

/// `[[entity]]`: a legal entity (host, subcontractor, parent company).
/// The loader needs `legal_name` or, for an actor named by role only,
/// `known_as`: the schema says the same.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{ "required": ["legal_name"] }, { "required": ["known_as"] }]))]
struct Entity {
    /// Unique id of the entity.
    #[schemars(schema_with = "id")]
    id: String,
    /// Registered legal name [optional when `known_as` is given].
    #[serde(default)]
    #[schemars(schema_with = "text")]
    legal_name: Option<String>,
    /// How the document names an actor whose legal name it does not give
    /// ("the provider's US parent", "support staff in Canada").
    #[serde(default)]
    #[schemars(schema_with = "text")]
    known_as: Option<String>,
    /// company (default), person (an individual contractor), team (employees or contractors) or
    /// international-organisation (GDPR Art. 4(26); `country` is its seat).
    #[serde(default)]
    #[schemars(schema_with = "entity_kind")]
    kind: Option<String>,
    /// For an international organisation with an adequacy decision: the decision's id in the
    /// reference data, e.g. `EPORG` (European Patent Organisation).
    #[serde(default)]
    #[schemars(schema_with = "text")]
    organisation: Option<String>,
    /// Nationality of a person or team, when it differs from the country of residence.
    #[serde(default)]
    #[schemars(schema_with = "country")]
    nationality: Option<String>,
    /// Country of incorporation (ISO 3166-1 alpha-2).
    #[schemars(schema_with = "country")]
    country: String,
    /// Id of the controlling entity.
    #[serde(default)]
    #[schemars(schema_with = "id_ref")]
    parent: Option<String>,
    /// Share of control held by `parent`, in percent (needs `parent`).
    #[serde(default)]
    #[schemars(schema_with = "percentage")]
    control_share: Option<f64>,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    description: Option<String>,
    /// `description` in English, for the English pages.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    description_en: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    website: Option<String>,
    /// HDS certificate, or `"certified"` when the document gives no details.
    #[serde(default)]
    #[schemars(schema_with = "hds")]
    hds: Option<HdsCertificate>,
    /// Id of the certified entity under whose HDS certificate this one works (exemption).
    #[serde(default)]
    #[schemars(schema_with = "id_ref")]
    hds_exempted_under: Option<String>,
    /// SecNumCloud qualification.
    #[serde(default)]
    secnumcloud: Option<SecNumCloud>,
    /// Listed under the EU-US Data Privacy Framework [default: false]; `"unknown"` when the document does not say.
    #[serde(default)]
    #[schemars(schema_with = "bool_or_unknown")]
    dpf: Option<bool>,
    /// Conditions of partial adequacy decisions the entity meets.
    #[serde(default)]
    #[schemars(schema_with = "adequacy_scopes")]
    adequacy_scopes: Option<Vec<String>>,
    /// The `transfers.json` this entity publishes as a provider (a local path,
    /// relative to the project folder): its sites, access paths and exposures
    /// join the map as this subcontractor's chain.
    #[serde(default)]
    publication: Option<String>,
    /// Holdings in this entity: control follows the majority of voting
    /// rights or a declared control right; others are holdings, checked
    /// against SecNumCloud §19.6.b.
    #[serde(default)]
    #[schemars(schema_with = "one_or_many_tables::<Shareholder>")]
    shareholder: Vec<Shareholder>,
}

/// `[[entity.shareholder]]`: a holding in the entity.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Shareholder {
    /// Id of the holding entity.
    #[schemars(schema_with = "id_ref")]
    entity: String,
    /// Share capital held, in percent.
    #[serde(default)]
    #[schemars(schema_with = "percentage")]
    capital: Option<f64>,
    /// Voting rights held, in percent (control above 50 %; not stated:
    /// capital, else judged at its worst, 100 %).
    #[serde(default)]
    #[schemars(schema_with = "percentage")]
    voting: Option<f64>,
    /// A veto over the entity's decisions [default: false].
    #[serde(default)]
    veto: Option<bool>,
    /// The power to appoint a majority of the board (control) [default: false].
    #[serde(default)]
    board_majority: Option<bool>,
    /// Control declared by other means, e.g. a shareholders' agreement [default: false].
    #[serde(default)]
    control: Option<bool>,
}

/// `[entity.hds]`: an HDS certificate.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct HdsCertificate {
    /// Certified activities, or `"unknown"`.
    #[schemars(schema_with = "activities_or_unknown")]
    activities: Vec<u8>,
    /// Date of issue, or `"unknown"`.
    #[schemars(schema_with = "date_or_unknown")]
    issued: String,
    /// Date of expiry, or `"unknown"`.
    #[schemars(schema_with = "date_or_unknown")]
    expires: String,
    /// The certification body (or `"unknown"`).
    #[schemars(schema_with = "text_or_unknown")]
    certifier: String,
    /// Certificate number.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    number: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "referential")]
    referential: Option<String>,
}

/// `[entity.secnumcloud]`: an ANSSI SecNumCloud qualification.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct SecNumCloud {
    /// Version of the referential, e.g. "3.2".
    #[schemars(schema_with = "text")]
    version: String,
    #[serde(default)]
    #[schemars(schema_with = "date")]
    issued: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "date")]
    expires: Option<String>,
    /// The qualified offer.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    offer: Option<String>,
}

/// `[[site]]`: a data centre or office.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Site {
    #[schemars(schema_with = "id")]
    id: String,
    #[schemars(schema_with = "text")]
    name: String,
    /// Id of the entity operating the site.
    #[schemars(schema_with = "id_ref")]
    operator: String,
    #[schemars(schema_with = "country")]
    country: String,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    city: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "coordinates")]
    coordinates: Option<Vec<f64>>,
    /// The site's IP ranges, checked against the GeoIP data.
    #[serde(default)]
    #[schemars(schema_with = "ip_ranges")]
    ip_ranges: Option<Vec<String>>,
    #[schemars(schema_with = "site_role")]
    role: String,
}

/// `[[service]]`: a service or product.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Service {
    #[schemars(schema_with = "id")]
    id: String,
    #[schemars(schema_with = "text")]
    name: String,
    /// `name` in English, for the English pages, annex and graphs (else the
    /// name is printed as written).
    #[serde(default)]
    #[schemars(schema_with = "text")]
    name_en: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    description: Option<String>,
    /// `description` in English, for the English pages.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    description_en: Option<String>,
    /// Every site that stores, replicates or backs up the service's data.
    #[schemars(schema_with = "id_refs")]
    sites: Vec<String>,
    /// The service is SecNumCloud-qualified [default: false].
    #[serde(default)]
    secnumcloud: Option<bool>,
    /// The host and each subcontractor, with the HDS activities they perform.
    #[schemars(schema_with = "one_or_many_tables::<Actor>")]
    actor: Vec<Actor>,
}

/// `[[service.actor]]`
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Actor {
    #[schemars(schema_with = "id_ref")]
    entity: String,
    #[schemars(schema_with = "activities")]
    activities: Vec<u8>,
}

/// `[[flow]]`: data moving between two sites or entities.
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Flow {
    #[schemars(schema_with = "id")]
    id: String,
    /// Id of a site or entity.
    #[schemars(schema_with = "id_ref")]
    from: String,
    /// Id of a site or entity.
    #[schemars(schema_with = "id_ref")]
    to: String,
    #[schemars(schema_with = "flow_kind")]
    kind: String,
    /// Categories of data carried.
    #[schemars(schema_with = "data_categories")]
    data: Vec<String>,
    /// Ids of the services whose data it carries [default: all services of the endpoints].
    #[serde(default)]
    #[schemars(schema_with = "id_refs")]
    services: Option<Vec<String>>,
    #[serde(default)]
    #[schemars(schema_with = "basis")]
    basis: Option<String>,
    /// Reference of the contract or decision giving the basis.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    basis_reference: Option<String>,
    /// Reference of the transfer impact assessment (Art. 46 transfers).
    #[serde(default)]
    #[schemars(schema_with = "text")]
    tia_reference: Option<String>,
    /// Date of the transfer impact assessment.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    tia_date: Option<String>,
    /// Date of its next review; a date passed gets a warning.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    tia_next_review: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    description: Option<String>,
    /// `description` in English, for the English pages and annex.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    description_en: Option<String>,
    /// The document says data *may* go there ("may transit outside the EU") [default: false].
    #[serde(default)]
    possible: Option<bool>,
}

/// `[[access]]`: a remote-access path (support or administration from elsewhere).
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
struct Access {
    #[schemars(schema_with = "id")]
    id: String,
    /// Id of the entity whose team accesses.
    #[schemars(schema_with = "id_ref")]
    team: String,
    /// The team's name ("Level-2 support, Casablanca").
    #[serde(default)]
    #[schemars(schema_with = "text")]
    name: Option<String>,
    /// `name` in English, for the English pages and graphs.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    name_en: Option<String>,
    /// Country the access comes from.
    #[schemars(schema_with = "country")]
    country: String,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    city: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "ip_ranges")]
    source_ip_ranges: Option<Vec<String>>,
    /// Ids of the services or sites reached.
    #[schemars(schema_with = "id_refs_nonempty")]
    targets: Vec<String>,
    #[schemars(schema_with = "text")]
    purpose: String,
    /// `purpose` in English, for the English pages and annex.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    purpose_en: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "texts")]
    safeguards: Option<Vec<String>>,
    /// `safeguards` in English, one text per safeguard in the same order.
    #[serde(default)]
    #[schemars(schema_with = "texts")]
    safeguards_en: Option<Vec<String>>,
    #[serde(default)]
    #[schemars(schema_with = "basis")]
    basis: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "text")]
    basis_reference: Option<String>,
    /// Reference of the transfer impact assessment (Art. 46 transfers).
    #[serde(default)]
    #[schemars(schema_with = "text")]
    tia_reference: Option<String>,
    /// Date of the transfer impact assessment.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    tia_date: Option<String>,
    /// Date of its next review; a date passed gets a warning.
    #[serde(default)]
    #[schemars(schema_with = "date")]
    tia_next_review: Option<String>,
    /// Categories of data reachable [default: ["health"]].
    #[serde(default)]
    #[schemars(schema_with = "data_categories")]
    data: Option<Vec<String>>,
    /// Routine access (true) or occasional (false) [default: true].
    #[serde(default)]
    systematic: Option<bool>,
    /// The document says this access *may* happen ("occasional support from…") [default: false].
    #[serde(default)]
    possible: Option<bool>,
}

// ---------------------------------------------------------------------------
// Markdown front matter
// ---------------------------------------------------------------------------

/// The `+++` front matter of a measure (content/measures/*.md).
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap measure front matter")]
struct MeasureFrontMatter {
    #[schemars(schema_with = "id")]
    id: String,
    #[schemars(schema_with = "text")]
    title: String,
    #[schemars(schema_with = "measure_kind")]
    kind: String,
    #[schemars(schema_with = "mitigates")]
    mitigates: Vec<String>,
    /// What remains once the measure applies.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    residual_risk: Option<String>,
    /// `residual_risk` in English, for the English pages and annex.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    residual_risk_en: Option<String>,
    /// `title` in English, for the English pages and annex.
    #[serde(default)]
    #[schemars(schema_with = "text")]
    title_en: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "residual_level")]
    residual_level: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "keys_held_by")]
    keys_held_by: Option<String>,
    /// Whether the exposed actor can see the data in clear (processing,
    /// remote administration). Not stated: judged as yes.
    #[serde(default)]
    clear_text_access: Option<bool>,
}

/// The `+++` front matter of a page (content/pages/*.md; the id is the file name).
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap page front matter")]
struct PageFrontMatter {
    #[schemars(schema_with = "text")]
    title: String,
}

/// The `+++` front matter of an annex clause (content/annex/<id>.md, or
/// <id>.en.md in English; the id is the file name).
#[derive(JsonSchema, Serialize)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sovmap annex clause front matter")]
struct ClauseFrontMatter {
    #[schemars(schema_with = "text")]
    title: String,
    /// Position among the clauses (lower first; the default clauses use 10–50).
    #[serde(default)]
    order: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::keys;

    fn properties(v: &serde_json::Value) -> Vec<String> {
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    }

    fn sorted(k: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    fn def<'a>(root: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
        &root["definitions"][name]
    }

    /// The schema's keys are exactly the loader's, table by table.
    #[test]
    fn schema_keys_are_the_loaders_keys() {
        let config = schema(Kind::Config);
        assert_eq!(properties(&config), sorted(keys::CONFIG));
        assert_eq!(properties(def(&config, "Policy")), sorted(keys::POLICY));
        assert_eq!(
            properties(def(&config, "ProviderIdentity")),
            sorted(keys::PROVIDER)
        );
        assert_eq!(
            properties(def(&config, "ReferenceOverrides")),
            sorted(keys::REFERENCE)
        );
        let decl = schema(Kind::Declarations);
        let kinds: Vec<&str> = crate::load::DECLARATION_KINDS
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(properties(&decl), sorted(&kinds));
        for (name, k) in [
            ("Entity", keys::ENTITY),
            ("HdsCertificate", keys::HDS),
            ("Shareholder", keys::SHAREHOLDER),
            ("SecNumCloud", keys::SECNUMCLOUD),
            ("Site", keys::SITE),
            ("Service", keys::SERVICE),
            ("Actor", keys::ACTOR),
            ("Flow", keys::FLOW),
            ("Access", keys::ACCESS),
        ] {
            assert_eq!(properties(def(&decl, name)), sorted(k), "{name}");
            assert_eq!(def(&decl, name)["additionalProperties"], false, "{name}");
        }
        assert_eq!(properties(&schema(Kind::Measure)), sorted(keys::MEASURE));
        assert_eq!(properties(&schema(Kind::Page)), sorted(keys::PAGE));
        assert_eq!(properties(&schema(Kind::Clause)), sorted(keys::CLAUSE));
        for kind in Kind::ALL {
            assert_eq!(schema(kind)["additionalProperties"], false, "{kind:?}");
        }
    }

    #[test]
    fn required_keys_and_enums_follow_the_model() {
        let decl = schema(Kind::Declarations);
        let req = |name: &str| {
            let mut v: Vec<String> = def(&decl, name)["required"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v
        };
        // `legal_name` may give way to `known_as` (an actor named by role).
        assert_eq!(req("Entity"), sorted(&["id", "country"]));
        assert_eq!(
            req("Site"),
            sorted(&["id", "name", "operator", "country", "role"])
        );
        assert_eq!(req("Service"), sorted(&["id", "name", "sites", "actor"]));
        assert_eq!(req("Flow"), sorted(&["id", "from", "to", "kind", "data"]));
        assert_eq!(
            req("Access"),
            sorted(&["id", "team", "country", "targets", "purpose"])
        );
        let roles = &def(&decl, "Site")["properties"]["role"]["enum"];
        assert_eq!(roles.as_array().map(|a| a.len()), Some(SiteRole::ALL.len()));
        let countries = def(&decl, "Entity")["properties"]["country"]["pattern"]
            .as_str()
            .unwrap_or_default();
        assert!(countries.contains("|[Ff][Rr]|"), "{countries}");
        assert!(countries.contains("|[Uu][Kk]|"), "{countries}");
    }

    #[test]
    fn output_is_deterministic_draft07() {
        assert_eq!(all(), all());
        let s = schema(Kind::Entity);
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    }

    #[test]
    fn any_case_patterns_escape_and_anchor() {
        let p = any_case(&["FR".into(), "non-EU".into(), "a.b".into()], true);
        assert_eq!(
            p,
            "^\\s*(?:[Ff][Rr]|[Nn][Oo][Nn]-[Ee][Uu]|[Aa]\\.[Bb])\\s*$"
        );
        assert_eq!(any_case(&["x y".into()], false), "^(?:[Xx] [Yy])$");
    }

    #[test]
    fn paths_map_to_kinds() {
        assert_eq!(Kind::for_path("sovmap.toml"), Some(Kind::Config));
        assert_eq!(
            Kind::for_path("content/entities/a.toml"),
            Some(Kind::Entity)
        );
        assert_eq!(
            Kind::for_path("content/misc/a.toml"),
            Some(Kind::Declarations)
        );
        assert_eq!(Kind::for_path("content/measures/m.md"), Some(Kind::Measure));
        assert_eq!(Kind::for_path("README.md"), None);
    }
}
