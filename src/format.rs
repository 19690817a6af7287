//! The `transfers.json` format: its types, its version, and the typed
//! reading of a published file (written by `publication::write`): the one
//! view of a publication that `diff`, the changes page, `review` and provider
//! chains (`load::chain`) all share.
//!
//! It sits below `load` (floor 1, above `model`), so that reading another
//! provider's file never depends on the analysis or the site; the
//! publication layer (`publication`: writing, comparing, history) builds on
//! it and re-exports it.
//!
//! Why a separate set of structs rather than the [`crate::model`] types: a
//! publication is a versioned interface read from files that other providers
//! wrote, possibly with another version of sovmap. The reader therefore
//!
//! - owns its data (no borrowing from the text) and never trusts it: every
//!   id is a plain `String`, cross-references are not assumed to resolve;
//! - tolerates unknown keys (adding a key is a compatible change, see
//!   [`TRANSFERS_FORMAT_VERSION`]) and unknown values of closed vocabularies
//!   (they read as an `Unknown` variant rather than failing);
//! - reads any `format_version` up to the one this sovmap writes, and
//!   refuses a newer one with a message naming both versions;
//! - takes lists and flags that are missing as empty/false, so that a file
//!   written by hand with only what matters (say, a subprocessor list) reads;
//!   identifying keys (`id`, `country`, …) stay required.
//!
//! Errors are typed ([`ReadError`]) and always name the file; syntax errors
//! carry the line and column from `serde_json`, shape errors also the JSON
//! path of the value (`entities[3].country`).

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the `transfers.json` format; bumped on incompatible changes
/// (a removed or renamed key, a changed meaning). Adding a key is compatible.
/// The reader reads every version up to this one:
///
/// - 1: each entity carried its whole `control_chain` (grew with the square
///   of the chain's depth);
/// - 2: each entity states its `parent` and `ultimate_parent` once; a reader
///   walks `parent` ids for the chain in between.
pub const TRANSFERS_FORMAT_VERSION: u32 = 2;

/// File name of the schema, as referenced by `"$schema"` in `transfers.json`.
pub const TRANSFERS_SCHEMA_FILE: &str = "transfers.schema.json";

// ---------------------------------------------------------------------------
// The publication
//
// These types are the format: `publication::write` builds a [`Publication`] from a
// checked project and serialises it, the reader deserialises one, and the
// JSON Schema (`transfers.schema.json`) is derived from them with schemars
// (doc comments are the schema's descriptions). Field order is the order of
// the keys in the file. A key only read from older versions is
// `skip_serializing` (and absent from the schema).

/// The transfer map of a health-data host (HDS referential v2, EXI 28 to 31)
/// as published by sovmap: declarations, transfers outside the EEA, exposures
/// to foreign law and findings, as of a date. Lists keep the file's order
/// (sorted by id when sovmap wrote it).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Publication {
    /// Relative URL of this schema ("transfers.schema.json"), or a URL ending with it.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// Version of this format; changes when a key is removed or changes meaning. New keys may
    /// appear within a version. sovmap reads every version up to the one it writes.
    pub format_version: u32,
    /// The tool and version that wrote the file.
    #[serde(default)]
    pub generator: Option<String>,
    /// Date the legal facts apply on (the map's validity date).
    pub as_of: Date,
    /// Who publishes the map.
    pub provider: Provider,
    /// The host's readings where the law leaves room for interpretation.
    #[serde(default)]
    pub policy: Option<Policy>,
    /// The legal reference data used.
    #[serde(default)]
    pub reference: Option<ReferenceFacts>,
    /// The EXI 31 publication for the provider as a whole.
    #[serde(default)]
    pub exi31: Option<Exi31>,
    /// Counts, for a quick look.
    #[serde(default)]
    pub summary: Option<Summary>,
    /// Every declared entity, by id.
    pub entities: Vec<Entity>,
    /// Every declared site, by id.
    pub sites: Vec<Site>,
    /// Every declared service, by id.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Every declared data flow, by id.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Every declared remote-access path, by id.
    #[serde(default)]
    pub access_paths: Vec<AccessPath>,
    /// Every mitigation measure, by id.
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// Every transfer outside the EEA, by id.
    pub transfers: Vec<Transfer>,
    /// Every EXI 30 exposure, by id.
    pub exposures: Vec<Exposure>,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// The publications so far, newest first, this one included (empty when written outside
    /// `sovmap build`): what the changes page and the Atom feed show, carried from one
    /// publication to the next by `sovmap build --previous`.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// Provider chains imported (the providers' publications, and theirs in turn), by id;
    /// absent without any. Items that came through one carry `chain`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chains: Vec<ChainLink>,
}

/// A text in the two languages of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub struct Text {
    /// In English.
    pub en: String,
    /// In French.
    pub fr: String,
}

impl Text {
    /// Build both languages with the same function.
    pub fn of(f: impl Fn(crate::i18n::Lang) -> String) -> Text {
        Text {
            en: f(crate::i18n::Lang::En),
            fr: f(crate::i18n::Lang::Fr),
        }
    }

    /// The text in `lang`, falling back to the other language when empty.
    pub fn get(&self, lang: crate::i18n::Lang) -> &str {
        match (lang.is_fr(), self.fr.is_empty(), self.en.is_empty()) {
            (true, false, _) | (false, _, true) => &self.fr,
            _ => &self.en,
        }
    }
}

/// One publication of the map: an entry of the Atom feed (feed.xml) and of
/// changes.html. Texts are frozen at publication time (what clients were told).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub struct HistoryEntry {
    /// Stable Atom entry id: a tag: URI from the site's domain, the publication date and version.
    pub id: String,
    /// Version label of that publication.
    #[serde(default)]
    pub version: Option<String>,
    /// Publication date.
    pub date: Date,
    /// Version (or date) of the publication it was compared with; null for the first one
    /// (or when none was given).
    #[serde(default)]
    pub compared_with: Option<String>,
    /// Date the changes under notice take effect (date + notice period), when there are any.
    #[serde(default)]
    pub effective: Option<Date>,
    /// Some change made things riskier.
    #[serde(default)]
    pub riskier: bool,
    /// Title of the entry.
    pub title: Text,
    /// Counts of changes in words.
    pub summary: Text,
    /// The changes, grouped by kind of item.
    #[serde(default)]
    pub changes: Vec<HistoryChange>,
}

/// One change of a publication, in words, as clients were told.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub struct HistoryChange {
    /// What kind of item changed: `provider`, `country`, `entity`, `site`, `service`,
    /// `access-path`, `flow`, `transfer`, `exposure`, `measure` or `finding`.
    pub item: String,
    /// What happened to it: `added`, `removed` or `changed`.
    pub change: String,
    /// Id of the item (a country code for countries; `code:kind:id` for findings).
    pub id: String,
    /// The change in one sentence.
    pub text: Text,
    /// For a changed item: what changed, field by field.
    #[serde(default)]
    pub details: Vec<Text>,
    /// Why the change makes things riskier; empty when it does not.
    #[serde(default)]
    pub risks: Vec<Text>,
    /// For a change under notice (new subcontractor, country or exposure): the date it takes
    /// effect (publication date + notice period).
    #[serde(default)]
    pub effective: Option<Date>,
}

/// One link of a provider chain: a provider's published transfers.json
/// imported through an entity's `publication` key, or a link that publication
/// itself carried.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ChainLink {
    /// Namespace prefix of the ids imported through this link (`stratus-fr`, `stratus-fr.hyper`).
    pub id: String,
    /// Id of the entity whose publication it is.
    pub entity: String,
    /// The publishing provider's name.
    pub provider: String,
    /// Legal name of the publishing provider's entity.
    #[serde(default)]
    pub host_legal_name: Option<String>,
    /// Version label of that publication.
    #[serde(default)]
    pub version: Option<String>,
    /// Publication date of that publication.
    #[serde(default)]
    pub publication_date: Option<Date>,
    /// Date the legal facts of that publication apply on.
    pub as_of: Date,
    /// The file, as named where it was imported.
    #[serde(default)]
    pub file: String,
    /// Format version of that file.
    #[serde(default = "one")]
    pub format_version: u32,
    /// The link this one was imported through (null for a direct link).
    #[serde(default)]
    pub via: Option<String>,
}

fn one() -> u32 {
    1
}

/// Top-level keys a file must have to be read as a publication (the others
/// default to empty). Listed in the error when missing.
pub const REQUIRED_KEYS: [&str; 9] = [
    "$schema",
    "format_version",
    "as_of",
    "provider",
    "entities",
    "sites",
    "transfers",
    "exposures",
    "findings",
];

/// Who publishes the map.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Provider {
    /// Display name of the provider.
    pub name: String,
    /// Id of the host's own legal entity.
    pub host: String,
    /// Legal name of the host entity.
    #[serde(default)]
    pub host_legal_name: Option<String>,
    /// Version label of the published map (e.g. `2026.4`).
    #[serde(default)]
    pub version: Option<String>,
    /// Date the map is valid from.
    #[serde(default)]
    pub publication_date: Option<Date>,
    /// Address of the published site.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Days of notice given to clients before a subprocessor change.
    #[serde(default = "default_notice_days")]
    pub notice_days: u32,
}

fn default_notice_days() -> u32 {
    30
}

/// The host's readings where the law leaves room for interpretation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Policy {
    /// Whether subjection to the law of a country with only a partial adequacy decision
    /// counts as an EXI 30 exposure.
    #[serde(default = "yes")]
    pub partial_adequacy_is_exposure: bool,
    /// Why the host chose this reading.
    #[serde(default)]
    pub rationale: Option<String>,
    /// Days before a certificate's expiry when a warning is raised.
    #[serde(default)]
    pub expiry_warning_days: Option<i64>,
}

fn yes() -> bool {
    true
}

/// The legal reference data the publication relied on.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ReferenceFacts {
    /// Date the embedded reference data was compiled.
    #[serde(default)]
    pub compiled_on: Option<Date>,
    /// Date of the latest source consulted for it.
    #[serde(default)]
    pub sources_up_to: Option<Date>,
    /// Legal facts the provider replaced or added in sovmap.toml.
    #[serde(default)]
    pub overridden: Vec<OverriddenFact>,
    /// Adequacy decisions named by the transfers and exposures, by id.
    #[serde(default)]
    pub adequacy_decisions: Vec<AdequacyDecision>,
    /// Foreign laws named by the exposures, by id.
    #[serde(default)]
    pub laws: Vec<Law>,
}

/// A legal fact the provider replaced or added in sovmap.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub struct OverriddenFact {
    /// Kind of legal fact: `adequacy` or `law`.
    pub kind: String,
    /// Id of the fact.
    pub id: String,
    /// Whether the provider `replaced` an embedded fact or `added` one.
    pub action: String,
}

/// How sure the reference data is of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Verified,
    Secondary,
    Unverified,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

fn unverified() -> Confidence {
    Confidence::Unverified
}

/// An adequacy decision (GDPR Art. 45).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct AdequacyDecision {
    /// Stable id of the decision.
    pub id: String,
    /// Destination country (ISO 3166-1 alpha-2 code).
    pub country: String,
    /// Name in English.
    #[serde(default)]
    pub name: String,
    /// Name in French (may be empty).
    #[serde(default)]
    pub name_fr: String,
    /// Official reference of the act.
    #[serde(default)]
    pub decision: String,
    /// Date of adoption.
    #[serde(default)]
    pub adopted: Option<Date>,
    /// Expiry date as it stood on as_of.
    #[serde(default)]
    pub expires: Option<Date>,
    /// Date from which it no longer applies.
    #[serde(default)]
    pub repealed: Option<Date>,
    /// For a partial decision, the condition a recipient must satisfy.
    #[serde(default)]
    pub scope_condition: Option<String>,
    /// What the decision covers, in English.
    #[serde(default)]
    pub scope: String,
    /// What the decision covers, in French.
    #[serde(default)]
    pub scope_fr: String,
    /// How sure the reference data is of the fact.
    #[serde(default = "unverified")]
    pub confidence: Confidence,
    /// Replaced or added by the provider.
    #[serde(default)]
    pub overridden: bool,
}

/// A foreign law that may compel access to data.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Law {
    /// Stable id of the law.
    pub id: String,
    /// Country of the law (ISO 3166-1 alpha-2 code).
    pub country: String,
    /// Name in English.
    #[serde(default)]
    pub name: String,
    /// Name in French (may be empty).
    #[serde(default)]
    pub name_fr: String,
    /// What the law allows, in English.
    #[serde(default)]
    pub summary: String,
    /// What the law allows, in French.
    #[serde(default)]
    pub summary_fr: String,
    /// Date in force (or enacted), when known.
    #[serde(default)]
    pub in_force: Option<Date>,
    /// Date of repeal, if any.
    #[serde(default)]
    pub repealed: Option<Date>,
    /// How sure the reference data is of the fact.
    #[serde(default = "unverified")]
    pub confidence: Confidence,
    /// Replaced or added by the provider.
    #[serde(default)]
    pub overridden: bool,
}

impl Law {
    /// Name in the language asked, falling back to the other.
    pub fn name_in(&self, fr: bool) -> &str {
        if fr && !self.name_fr.is_empty() {
            &self.name_fr
        } else {
            &self.name
        }
    }
}

/// EXI 31 form of a page: secnumcloud (fixed statement), no-transfer (fixed
/// statement) or table (chapter 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Exi31Form {
    Secnumcloud,
    NoTransfer,
    Table,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// The EXI 31 publication for the provider as a whole.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Exi31 {
    /// Which of the three EXI 31 forms applies.
    pub form: Exi31Form,
    /// Chapter 8 rows: the host first, then subcontractors by legal name.
    #[serde(default)]
    pub actors: Vec<ActorRow>,
}

/// One row of the chapter 8 table of the HDS referential: an actor involved
/// in the hosting service.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ActorRow {
    /// Entity id.
    pub entity: String,
    /// The certified host, or a subcontractor (sous-traitant).
    pub role: ActorRole,
    /// HDS certification for the activities performed.
    pub hds: HdsStatus,
    /// Holds a SecNumCloud qualification valid on the map date.
    #[serde(default)]
    pub secnumcloud: bool,
    /// The SecNumCloud version the actor declares, when it does not qualify (3.1, or a
    /// qualification not valid on the map date); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secnumcloud_declared: Option<String>,
    /// HDS activities (1 to 6, art. R.1111-9 CSP numbering) performed for the service(s).
    #[serde(default)]
    #[schemars(inner(range(min = 1, max = 6)))]
    pub activities: Vec<u8>,
    /// EXI 29: ids of the transfers to or from this actor outside the EEA.
    #[serde(default)]
    pub exi29: Vec<String>,
    /// EXI 29: countries of those transfers, sorted.
    #[serde(default)]
    #[schemars(inner(pattern(COUNTRY_PATTERN)))]
    pub exi29_countries: Vec<String>,
    /// EXI 30: ids of the exposures of this actor to non-adequate foreign law.
    #[serde(default)]
    pub exi30: Vec<String>,
}

/// Pattern of a country in the schema: an ISO 3166-1 alpha-2 code, or one
/// of the places a declaration may give where its source document names no
/// country (`EU` and `EEA`: some member state; `non-EU`: some country outside
/// the EU; `unknown`; see `crate::unknown`).
const COUNTRY_PATTERN: &str = "^([A-Z]{2}|EEA|non-EU|unknown)$";

/// The certified host, a subcontractor (sous-traitant), or the platform
/// publishing the map of its hosting chain (not a host itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActorRole {
    Host,
    Subcontractor,
    Publisher,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// HDS certification for the activities performed: certified; exempted
/// (covered by the host's certified scope); no; unconfirmed (said to be
/// certified, without the certificate's activities or dates: to confirm);
/// not-applicable (the publisher of a platform's map, which hosts nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HdsStatus {
    Certified,
    Exempted,
    No,
    Unconfirmed,
    NotApplicable,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// Counts, for a quick look.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Summary {
    /// Number of transfers outside the EEA.
    pub transfers: usize,
    /// Number of those concerning health data.
    pub health_transfers: usize,
    /// Number of EXI 30 exposures.
    pub exposures: usize,
    /// Number of error findings.
    pub errors: usize,
    /// Number of warning findings.
    pub warnings: usize,
    /// Number of notice findings.
    pub notices: usize,
}

/// A legal person: the host, a subcontractor or a parent company.
///
/// Control is stated once per entity: its `parent` (direct controller) and
/// its `ultimate_parent`; the chain in between is read by walking `parent`
/// ids (format version 1 repeated the whole chain in every entity, which grew
/// with the square of its depth).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Entity {
    /// Stable id.
    pub id: String,
    /// Legal name (raison sociale).
    pub legal_name: String,
    /// Country of incorporation (ISO 3166-1 alpha-2 code, or EU, EEA, non-EU or unknown
    /// where the source names no country).
    #[schemars(pattern(COUNTRY_PATTERN))]
    pub country: String,
    /// Id of the controlling entity (direct parent), if any.
    #[serde(default)]
    pub parent: Option<String>,
    /// Share of capital or voting rights held by the parent, in percent.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub control_share: Option<f64>,
    /// Id of the entity at the top of the control chain (reached by following `parent`
    /// ids); null when the entity has no parent. Format version 2 and later.
    #[serde(default)]
    pub ultimate_parent: Option<String>,
    /// Format version 1 only: the ids above this entity, parent first. Read, never written;
    /// the reader turns it into `parent` and `ultimate_parent`.
    #[serde(default, skip_serializing)]
    pub control_chain: Vec<String>,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
    /// `description` in English, when the publisher declares it (`description_en`); for the
    /// English changes page and feed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
    /// Web site.
    #[serde(default)]
    pub website: Option<String>,
    /// HDS certificate, if any.
    #[serde(default)]
    pub hds: Option<HdsCertificate>,
    /// Id of the host whose HDS certificate covers this entity's work (exempted).
    #[serde(default)]
    pub hds_exempted_under: Option<String>,
    /// SecNumCloud qualification, if any.
    #[serde(default)]
    pub secnumcloud: Option<SecNumCloud>,
    /// Listed under the EU-US Data Privacy Framework.
    #[serde(default)]
    pub dpf: bool,
    /// Scope conditions of partial adequacy decisions the entity declares it satisfies
    /// (pipeda, appi…).
    #[serde(default)]
    pub adequacy_scopes: Vec<String>,
    /// Ids of the provider-chain links (see `chains`) this item was imported through,
    /// nearest first; absent for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// An HDS certificate.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct HdsCertificate {
    /// Activities 1 to 6 covered by the certificate.
    #[serde(default)]
    #[schemars(inner(range(min = 1, max = 6)))]
    pub activities: Vec<u8>,
    /// Date of issue.
    #[serde(default)]
    pub issued: Option<Date>,
    /// Date of expiry.
    pub expires: Date,
    /// Accredited certification body.
    #[serde(default)]
    pub certifier: String,
    /// Certificate number.
    #[serde(default)]
    pub number: Option<String>,
    /// Referential audited against ("2018" or "2024").
    #[serde(default)]
    pub referential: Option<String>,
}

/// A SecNumCloud qualification (ANSSI).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct SecNumCloud {
    /// Version of the SecNumCloud referential ("3.2").
    #[serde(default)]
    pub version: String,
    /// Date of qualification.
    #[serde(default)]
    pub issued: Option<Date>,
    /// Date of expiry.
    #[serde(default)]
    pub expires: Option<Date>,
    /// Name of the qualified offer.
    #[serde(default)]
    pub offer: Option<String>,
}

/// Role of a site: primary, replica, backup and disaster-recovery sites store
/// data; an office does not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SiteRole {
    Primary,
    Replica,
    Backup,
    DisasterRecovery,
    Office,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

impl SiteRole {
    /// Whether data is kept there (an unknown role is assumed to store: the
    /// cautious reading).
    pub fn stores(self) -> bool {
        self != SiteRole::Office
    }
}

/// Position of a site.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Coordinates {
    /// Latitude in degrees.
    #[schemars(range(min = -90, max = 90))]
    pub lat: f64,
    /// Longitude in degrees.
    #[schemars(range(min = -180, max = 180))]
    pub lon: f64,
}

/// A physical place where data is stored or processed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Site {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Id of the entity operating the site.
    pub operator: String,
    /// Country of the site (ISO 3166-1 alpha-2 code, or EU, EEA, non-EU or unknown where
    /// the source names no country).
    #[schemars(pattern(COUNTRY_PATTERN))]
    pub country: String,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Position of the site, when declared.
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    /// IP ranges of the site (CIDR notation).
    #[serde(default)]
    pub ip_ranges: Vec<String>,
    /// What the site is for.
    #[serde(default = "primary")]
    pub role: SiteRole,
    /// Ids of the provider-chain links (see `chains`) this item was imported through,
    /// nearest first; absent for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

fn primary() -> SiteRole {
    SiteRole::Primary
}

/// Who performs which HDS activity for a service, as declared.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ServiceActor {
    /// Entity id.
    pub entity: String,
    /// HDS activities (1 to 6) the entity performs for the service.
    #[serde(default)]
    #[schemars(inner(range(min = 1, max = 6)))]
    pub activities: Vec<u8>,
}

/// What the analysis decided for a service.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct ServiceExi31 {
    /// EXI 31 form of the service's page.
    pub form: Exi31Form,
    /// Chapter 8 rows for the service: the host first, then subcontractors by legal name.
    #[serde(default)]
    pub actors: Vec<ActorRow>,
    /// Countries where the service's data is stored, sorted.
    #[serde(default)]
    pub storage_countries: Vec<String>,
    /// Ids of the transfers concerning the service.
    #[serde(default)]
    pub transfers: Vec<String>,
    /// Ids of the exposures concerning the service.
    #[serde(default)]
    pub exposures: Vec<String>,
}

/// A service (product) of the host; the transfer map is also given per service.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Service {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
    /// `description` in English, when the publisher declares it (`description_en`); for the
    /// English changes page and feed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
    /// Declared as delivered under the host's SecNumCloud qualification.
    #[serde(default)]
    pub secnumcloud: bool,
    /// Ids of the sites storing the service's data (any role).
    #[serde(default)]
    pub sites: Vec<String>,
    /// Who performs which HDS activity for the service, as declared.
    #[serde(default)]
    pub actors: Vec<ServiceActor>,
    /// What the analysis decided for the service.
    #[serde(default)]
    pub exi31: Option<ServiceExi31>,
}

/// A node of the flow graph named by a flow or an access path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
pub struct Node {
    /// What the id names: `entity`, `site` or `service`.
    pub kind: String,
    /// Id of the entity, site or service.
    pub id: String,
}

/// Data category, from the most to the least sensitive: health (in the
/// clear), health-pseudonymised, health-encrypted (keys in the EEA), personal
/// (not health), metadata, anonymous.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DataCategory {
    Health,
    HealthPseudonymised,
    HealthEncrypted,
    Personal,
    Metadata,
    Anonymous,
    /// Payment data: personal, not health.
    Payment,
    /// Encryption keys protecting health data: count as health data.
    EncryptionKeys,
    /// Pseudonymised personal data that is not health data.
    Pseudonymised,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// What a flow does; storage, replication and backup keep a copy at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FlowKind {
    Storage,
    Replication,
    Backup,
    Processing,
    RemoteAdministration,
    SupportAccess,
    Telemetry,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// Kind of a declared legal basis (GDPR chapter V). adequacy: Art. 45
/// decision; scc: standard contractual clauses 2021/914; bcr: binding
/// corporate rules; code-of-conduct, certification, ad-hoc-clauses: other
/// Art. 46 safeguards; derogation: Art. 49.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BasisKind {
    Adequacy,
    Scc,
    Bcr,
    CodeOfConduct,
    Certification,
    AdHocClauses,
    Derogation,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// The legal basis declared for a transfer (GDPR chapter V).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub struct Basis {
    /// Kind of basis.
    pub kind: BasisKind,
    /// For kind scc only: the module of the clauses (1 to 4); absent when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 4))]
    pub module: Option<u8>,
    /// For kind derogation only: the Art. 49(1) letter (a to g) or `residual`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<String>,
}

impl Basis {
    /// The spelling used in declaration files (`scc-3`, `art49-a`, …).
    pub fn key(&self) -> String {
        match (self.kind, self.module, self.ground.as_deref()) {
            (BasisKind::Scc, Some(m), _) => format!("scc-{m}"),
            (BasisKind::Derogation, _, Some(g)) => format!("art49-{g}"),
            (BasisKind::Derogation, _, None) => "art49".into(),
            (k, _, _) => match k {
                BasisKind::Adequacy => "adequacy",
                BasisKind::Scc => "scc",
                BasisKind::Bcr => "bcr",
                BasisKind::CodeOfConduct => "code-of-conduct",
                BasisKind::Certification => "certification",
                BasisKind::AdHocClauses => "ad-hoc-clauses",
                BasisKind::Derogation => "art49",
                BasisKind::Unknown => "unknown",
            }
            .into(),
        }
    }
}

/// A declared data flow between two nodes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Flow {
    /// Stable id.
    pub id: String,
    /// Where the data comes from.
    pub from: Node,
    /// Where the data goes.
    pub to: Node,
    /// What the flow does.
    pub kind: FlowKind,
    /// Data categories carried.
    #[serde(default)]
    pub data: Vec<DataCategory>,
    /// Services whose data the flow carries (empty: all services stored at `from`).
    #[serde(default)]
    pub services: Vec<String>,
    /// Declared legal basis, if any.
    #[serde(default)]
    pub basis: Option<Basis>,
    /// Where the basis is documented (contract, annex, clause).
    #[serde(default)]
    pub basis_reference: Option<String>,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
    /// `description` in English, when the publisher declares it (`description_en`); for the
    /// English changes page and feed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
    /// Ids of the provider-chain links (see `chains`) this item was imported through,
    /// nearest first; absent for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// A team reaching sites or services remotely.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct AccessPath {
    /// Stable id.
    pub id: String,
    /// Id of the entity employing the team.
    pub team: String,
    /// Name of the team.
    #[serde(default)]
    pub name: Option<String>,
    /// `name` in English, when the publisher declares it (`name_en`); for the
    /// English changes page and feed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Country the access is made from (ISO 3166-1 alpha-2 code, or EU, EEA, non-EU or
    /// unknown where the source names no country).
    #[schemars(pattern(COUNTRY_PATTERN))]
    pub country: String,
    /// City the access is made from.
    #[serde(default)]
    pub city: Option<String>,
    /// IP ranges the access comes from (CIDR notation).
    #[serde(default)]
    pub source_ip_ranges: Vec<String>,
    /// Services, sites or entities reached.
    #[serde(default)]
    pub targets: Vec<Node>,
    /// Purpose of the access.
    #[serde(default)]
    pub purpose: String,
    /// `purpose` in English, when the publisher declares it (`purpose_en`); for the
    /// English changes page and feed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose_en: Option<String>,
    /// Safeguards declared (bastion, approval, logging…).
    #[serde(default)]
    pub safeguards: Vec<String>,
    /// Declared legal basis, if any.
    #[serde(default)]
    pub basis: Option<Basis>,
    /// Where the basis is documented.
    #[serde(default)]
    pub basis_reference: Option<String>,
    /// Data reachable through the path.
    #[serde(default)]
    pub data: Vec<DataCategory>,
    /// Regular access (true) rather than an exceptional, one-off one.
    #[serde(default)]
    pub systematic: bool,
    /// Ids of the provider-chain links (see `chains`) this item was imported through,
    /// nearest first; absent for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// Technical, contractual or organisational.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    Technical,
    Contractual,
    Organisational,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// Level of a residual risk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    None,
    Negligible,
    Low,
    Medium,
    High,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// What a measure mitigates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
pub struct Target {
    /// entity: an entity's exposure to foreign law; access: an access path; flow: a data
    /// flow; law: every exposure to a law.
    pub kind: String,
    /// Id of the entity, access path, flow or law.
    pub id: String,
}

/// A mitigation measure (its Markdown body is published on the site, not here).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Measure {
    /// Stable id.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// `title` in English, when the publisher declares it (`title_en`); for the
    /// English changes page and feed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Technical, contractual or organisational.
    pub kind: MeasureKind,
    /// What the measure mitigates.
    #[serde(default)]
    pub mitigates: Vec<Target>,
    /// The risk that remains once the measure applies (EXI 30).
    #[serde(default)]
    pub residual_risk: Option<String>,
    /// Level of the residual risk.
    #[serde(default)]
    pub residual_level: Option<RiskLevel>,
    /// Ids of the provider-chain links (see `chains`) this item was imported through,
    /// nearest first; absent for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// A data flow, or a remote access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TransferKind {
    Flow,
    RemoteAccess,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// none: no decision in force; full: a decision covering the whole country;
/// partial: a decision covering only some recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AdequacyLevel {
    None,
    Full,
    Partial,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// Whether an adequacy decision covers the destination and the recipient on the map date.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub struct Adequacy {
    /// Status of the decision.
    pub status: AdequacyLevel,
    /// For full and partial: id of the decision (see reference.adequacy_decisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// For partial: the scope condition of the decision (dpf, pipeda, appi, pipa, automated…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// For partial: whether the recipient is declared within the decision's scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_scope: Option<bool>,
}

impl Adequacy {
    /// Adequacy alone frames a transfer (full, or partial with the recipient in scope).
    pub fn covers(&self) -> bool {
        match self.status {
            AdequacyLevel::Full => true,
            AdequacyLevel::Partial => self.in_scope == Some(true),
            AdequacyLevel::None | AdequacyLevel::Unknown => false,
        }
    }
}

/// How a transfer is framed after checking the declared basis against the
/// law: adequacy (Art. 45), safeguard (Art. 46), derogation (Art. 49),
/// missing (nothing valid), unstated (the document does not say which basis
/// frames the transfer: to confirm). Ordered from the strongest to the
/// weakest framing, an unstated basis judged at its worst.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum BasisStatus {
    Adequacy,
    Safeguard,
    Derogation,
    Missing,
    Unstated,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// A flow or remote access that makes personal data reachable from outside
/// the EEA, with its basis as judged by the publishing sovmap.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Transfer {
    /// `flow:<flow id>` or `access:<access path id>`.
    pub id: String,
    /// A data flow, or a remote access.
    pub kind: TransferKind,
    /// Id of the flow or access path.
    #[serde(default)]
    pub source: String,
    /// Country outside the EEA that the data reaches or is reached from (ISO 3166-1 alpha-2
    /// code, or non-EU or unknown where the source names no country).
    #[schemars(pattern(COUNTRY_PATTERN))]
    pub country: String,
    /// Id of the entity receiving or reaching the data.
    pub recipient: String,
    /// Id of the receiving site, for a flow to a site.
    #[serde(default)]
    pub site: Option<String>,
    /// Ids of the services concerned.
    #[serde(default)]
    pub services: Vec<String>,
    /// Data categories concerned.
    #[serde(default)]
    pub data: Vec<DataCategory>,
    /// Health data is concerned (HDS EXI 28 to 31); otherwise personal data only.
    #[serde(default)]
    pub health: bool,
    /// The destination keeps a copy (storage, replication, backup).
    #[serde(default)]
    pub storage: bool,
    /// Adequacy decision status for the country and recipient.
    pub adequacy: Adequacy,
    /// Declared legal basis, if any.
    #[serde(default)]
    pub basis: Option<Basis>,
    /// Where the basis is documented.
    #[serde(default)]
    pub basis_reference: Option<String>,
    /// How the transfer is framed after checking the declared basis against the law.
    pub basis_status: BasisStatus,
    /// Purpose or description.
    #[serde(default)]
    pub purpose: Option<String>,
    /// Safeguards declared.
    #[serde(default)]
    pub safeguards: Vec<String>,
    /// Ids of the measures mitigating the transfer.
    #[serde(default)]
    pub measures: Vec<String>,
}

/// An involved entity's subjection to the law of a country without a (full)
/// adequacy decision (HDS EXI 30).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Exposure {
    /// `exposure:<entity>:<country>`.
    pub id: String,
    /// Id of the involved entity.
    pub entity: String,
    /// Country whose law applies (ISO 3166-1 alpha-2 code, or non-EU or unknown where the
    /// source names no country).
    #[schemars(pattern(COUNTRY_PATTERN))]
    pub country: String,
    /// Id of the entity whose country it is (the entity itself or a parent).
    #[serde(default)]
    pub through: String,
    /// Control chain from the entity up to `through`, nearest first.
    #[serde(default)]
    pub chain: Vec<String>,
    /// Adequacy decision status of that country for `through`.
    pub adequacy: Adequacy,
    /// Whether it counts as an EXI 30 risk (measures and residual risk required): always
    /// without a decision or outside a partial decision's scope; within a partial decision's
    /// scope, as the host's policy says. Disclosed either way. Absent (older files): a risk.
    #[serde(default = "yes")]
    pub risk: bool,
    /// Ids of the access laws of that country in force on the map date (see reference.laws).
    #[serde(default)]
    pub laws: Vec<String>,
    /// Ids of the services concerned.
    #[serde(default)]
    pub services: Vec<String>,
    /// Ids of the measures mitigating the exposure.
    #[serde(default)]
    pub measures: Vec<String>,
}

/// Severity of a finding, ordered `Notice < Warning < Error`: notice, to
/// disclose; warning, to check; error, a non-conformity. A value this sovmap
/// does not know sorts above `Error` (the cautious reading).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Warning,
    Error,
    #[serde(other)]
    #[schemars(skip)]
    Unknown,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
pub struct Subject {
    /// Kind of the subject: `entity`, `site`, `service`, `flow`, `access`, `measure` or
    /// `reference`.
    pub kind: String,
    /// Its id (for reference: the id of the legal fact).
    pub id: String,
}

/// A statement of the publishing sovmap's analysis.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Finding {
    /// Stable code, e.g. EXI29-ACCESS-SAFEGUARD.
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// The rule applied.
    #[serde(default)]
    pub rule: String,
    /// What the finding is about.
    pub subject: Subject,
    /// Ids of the services concerned (empty: the provider as a whole).
    #[serde(default)]
    pub services: Vec<String>,
    /// Countries concerned.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Ids of the laws concerned.
    #[serde(default)]
    pub laws: Vec<String>,
    /// The finding in English.
    #[serde(default)]
    pub message_en: String,
    /// The finding in French.
    #[serde(default)]
    pub message_fr: String,
    /// What the provider can do (English), if anything.
    #[serde(default)]
    pub hint: Option<String>,
}

impl Finding {
    /// The message in the language asked, falling back to the other.
    pub fn message(&self, fr: bool) -> &str {
        if fr && !self.message_fr.is_empty() || self.message_en.is_empty() {
            &self.message_fr
        } else {
            &self.message_en
        }
    }
}

impl Publication {
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// Legal name of an entity, or its id when the file does not declare it.
    pub fn entity_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.entity(id).map(|e| e.legal_name.as_str()).unwrap_or(id)
    }

    pub fn site(&self, id: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }

    pub fn law(&self, id: &str) -> Option<&Law> {
        self.reference
            .as_ref()
            .and_then(|r| r.laws.iter().find(|l| l.id == id))
    }

    /// The publication date, or the `as_of` date when none is stated.
    pub fn date(&self) -> Date {
        self.provider.publication_date.unwrap_or(self.as_of)
    }
}

// ---------------------------------------------------------------------------
// The matching internal types, so that labels use the site's one wording
// (`crate::i18n`). `None` for a value this sovmap does not know.

impl SiteRole {
    pub fn model(self) -> Option<crate::model::SiteRole> {
        by_key(self, &crate::model::SiteRole::ALL)
    }
}

impl FlowKind {
    pub fn model(self) -> Option<crate::model::FlowKind> {
        by_key(self, &crate::model::FlowKind::ALL)
    }
}

impl DataCategory {
    pub fn model(self) -> Option<crate::model::DataCategory> {
        by_key(self, &crate::model::DataCategory::ALL)
    }
}

impl MeasureKind {
    pub fn model(self) -> Option<crate::model::MeasureKind> {
        by_key(self, &crate::model::MeasureKind::ALL)
    }
}

impl RiskLevel {
    pub fn model(self) -> Option<crate::model::RiskLevel> {
        use crate::model::RiskLevel as M;
        match self {
            RiskLevel::None => Some(M::None),
            RiskLevel::Negligible => Some(M::Negligible),
            RiskLevel::Low => Some(M::Low),
            RiskLevel::Medium => Some(M::Medium),
            RiskLevel::High => Some(M::High),
            RiskLevel::Unknown => None,
        }
    }
}

impl Basis {
    pub fn model(&self) -> Option<crate::model::Basis> {
        crate::model::Basis::parse(&self.key())
    }
}

/// The internal value whose declaration-file spelling is this value's JSON spelling.
fn by_key<P: Serialize, M: Copy>(v: P, all: &[(&'static str, M)]) -> Option<M> {
    let key = serde_json::to_value(v).ok()?;
    let key = key.as_str()?;
    all.iter().find(|(k, _)| *k == key).map(|(_, m)| *m)
}

// ---------------------------------------------------------------------------
// Reading

/// Why a file could not be read as a publication. Every variant names the file.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read at all (missing, a folder, no permission).
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not valid JSON. `truncated` when the text ends in the middle of a value.
    NotJson {
        path: PathBuf,
        line: usize,
        column: usize,
        truncated: bool,
        message: String,
    },
    /// Valid JSON, but not a sovmap `transfers.json` (`reason` says what is
    /// missing or wrong, and what was expected).
    OtherKind { path: PathBuf, reason: String },
    /// Written by a newer sovmap in a format version this one does not know.
    NewerVersion {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    /// A sovmap `transfers.json` whose content does not have the expected
    /// shape (`at`: JSON path of the value, e.g. `entities[3].country`).
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        at: String,
        message: String,
    },
    /// Well-formed, but its values contradict each other in a way that
    /// cannot be read safely (an ownership loop, an `ultimate_parent` that
    /// its `parent` ids do not lead to). `at`: JSON path of the value.
    Inconsistent {
        path: PathBuf,
        at: String,
        message: String,
        help: String,
    },
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Unreadable { path, .. }
            | ReadError::NotJson { path, .. }
            | ReadError::OtherKind { path, .. }
            | ReadError::NewerVersion { path, .. }
            | ReadError::Invalid { path, .. }
            | ReadError::Inconsistent { path, .. } => path,
        }
    }

    /// Stable short code, for JSON output and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Unreadable { .. } => "unreadable-file",
            ReadError::NotJson {
                truncated: true, ..
            } => "truncated-json",
            ReadError::NotJson { .. } => "invalid-json",
            ReadError::OtherKind { .. } => "not-a-publication",
            ReadError::NewerVersion { .. } => "newer-format-version",
            ReadError::Invalid { .. } => "invalid-publication",
            ReadError::Inconsistent { .. } => "inconsistent-publication",
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Unreadable { path, error } => write!(
                f,
                "{}: cannot read the file: {error}; give the path of a published transfers.json",
                path.display()
            ),
            ReadError::NotJson {
                path,
                line,
                column,
                truncated,
                message,
            } => {
                if *truncated {
                    write!(
                        f,
                        "{}:{line}:{column}: the JSON text stops in the middle ({message}); the file looks truncated: download or copy it again",
                        path.display()
                    )
                } else {
                    write!(
                        f,
                        "{}:{line}:{column}: not valid JSON ({message}); expected a transfers.json published by `sovmap build`",
                        path.display()
                    )
                }
            }
            ReadError::OtherKind { path, reason } => write!(
                f,
                "{}: not a sovmap transfers.json: {reason}; expected the transfers.json that `sovmap build` publishes (with \"$schema\": \"{TRANSFERS_SCHEMA_FILE}\" and \"format_version\")",
                path.display()
            ),
            ReadError::NewerVersion {
                path,
                found,
                supported,
            } => write!(
                f,
                "{}: written in transfers.json format version {found}, but this sovmap reads versions up to {supported}; install a newer sovmap to read it",
                path.display()
            ),
            ReadError::Invalid {
                path,
                line,
                column,
                at,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: at `{at}`: {message}; the file does not follow the transfers.json format (see transfers.schema.json)",
                path.display()
            ),
            ReadError::Inconsistent {
                path,
                at,
                message,
                help,
            } => write!(f, "{}: at `{at}`: {message}; {help}", path.display()),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// Position in the file (1-based line and column), when there is one.
    fn position(&self) -> Option<(usize, usize)> {
        match self {
            ReadError::NotJson { line, column, .. } | ReadError::Invalid { line, column, .. } => {
                Some((*line, *column))
            }
            _ => None,
        }
    }

    /// The problem without the file and position, and what to do about it.
    fn message_and_help(&self) -> (String, String) {
        let expected = format!(
            "give the transfers.json that `sovmap build` publishes (with \"$schema\": \"{TRANSFERS_SCHEMA_FILE}\" and \"format_version\")"
        );
        match self {
            ReadError::Unreadable { error, .. } => (
                format!("cannot read the file: {error}"),
                "give the path of a published transfers.json".into(),
            ),
            ReadError::NotJson {
                truncated: true,
                message,
                ..
            } => (
                format!("the JSON text stops in the middle ({message})"),
                "the file looks truncated: download or copy it again".into(),
            ),
            ReadError::NotJson { message, .. } => (format!("not valid JSON: {message}"), expected),
            ReadError::OtherKind { reason, .. } => {
                (format!("not a sovmap transfers.json: {reason}"), expected)
            }
            ReadError::NewerVersion {
                found, supported, ..
            } => (
                format!(
                    "written in transfers.json format version {found}, but this sovmap reads versions up to {supported}"
                ),
                "install a newer sovmap to read it".into(),
            ),
            ReadError::Inconsistent {
                at, message, help, ..
            } => (format!("at `{at}`: {message}"), help.clone()),
            ReadError::Invalid { at, message, .. } => (
                format!("at `{at}`: {message}"),
                "the file does not follow the transfers.json format (see transfers.schema.json)"
                    .into(),
            ),
        }
    }
}

/// Longest line quoted in a snippet; a minified file is reported without one.
const MAX_QUOTED_LINE: usize = 400;

/// Render read errors for a terminal: rustc-style with a snippet of the file
/// when there is a position to show (through [`crate::diag`]), else one line
/// each; every message names its file.
pub fn render_errors(errors: &[ReadError], color: bool) -> String {
    let mut out = String::new();
    for e in errors {
        let (message, help) = e.message_and_help();
        let text = match e {
            ReadError::Unreadable { .. } => None,
            _ => std::fs::read_to_string(e.path()).ok(),
        };
        let offset = text.as_deref().and_then(|t| match e.position() {
            Some((line, column)) => offset_of(t, line, column),
            // The key the message is about, where the file names it first.
            None if matches!(e, ReadError::NewerVersion { .. }) => {
                t.find("\"format_version\"").or(Some(0))
            }
            // No position: the one-line form names the entity.
            None if matches!(e, ReadError::Inconsistent { .. }) => None,
            None => t.find("\"$schema\"").or(Some(0)),
        });
        match (text, offset) {
            (Some(text), Some(offset)) => {
                let mut diags = crate::diag::Diagnostics::default();
                let name = e.path().display().to_string();
                let file = diags.add_file(crate::diag::SourceFile::new(name, e.path(), text));
                diags.push(
                    crate::diag::Diagnostic::error(
                        e.code(),
                        crate::diag::Loc::new(file, offset..offset),
                        message,
                    )
                    .with_help(help),
                );
                out.push_str(&diags.render(color));
            }
            _ => {
                out.push_str(&format!(
                    "error[{}]: {}\n",
                    e.code(),
                    crate::visible::visible(&e.to_string())
                ));
            }
        }
    }
    out
}

/// Byte offset of a 1-based line and column, when the line is short enough
/// to quote.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if end - start > MAX_QUOTED_LINE {
        return None;
    }
    let mut off = (start + column.saturating_sub(1)).min(end);
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    Some(off)
}

/// Read and parse a `transfers.json` file.
pub fn read(path: &Path) -> Result<Publication, ReadError> {
    let bytes = std::fs::read(path).map_err(|error| ReadError::Unreadable {
        path: path.to_path_buf(),
        error,
    })?;
    from_bytes(path, bytes)
}

/// Parse the bytes of a `transfers.json` read from `path` (only used in
/// errors).
pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Publication, ReadError> {
    match String::from_utf8(bytes) {
        Ok(text) => parse(path, &text),
        // Cut in the middle of a multi-byte character: a truncated file,
        // reported as such by the JSON parser on the complete part.
        Err(e) if e.utf8_error().error_len().is_none() => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            parse(path, &String::from_utf8_lossy(&bytes[..valid]))
        }
        Err(e) => Err(ReadError::Unreadable {
            path: path.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        }),
    }
}

/// Parse the text of a `transfers.json`; `path` is only used in errors.
///
/// Checks in order: JSON syntax; that the document is ours (an object with
/// our `$schema`, a `format_version` and the [`REQUIRED_KEYS`]); that the
/// version is not newer than [`TRANSFERS_FORMAT_VERSION`]; then the shape of
/// every value.
pub fn parse(path: &Path, text: &str) -> Result<Publication, ReadError> {
    let path_buf = || path.to_path_buf();
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ReadError::NotJson {
        path: path_buf(),
        line: e.line(),
        column: e.column(),
        truncated: e.is_eof(),
        message: strip_position(&e.to_string()),
    })?;
    let Some(obj) = value.as_object() else {
        return Err(ReadError::OtherKind {
            path: path_buf(),
            reason: format!("the document is {}, not an object", json_kind(&value)),
        });
    };
    // Our own marker first: a file without it is of another kind, whatever else it has.
    match obj.get("$schema") {
        Some(serde_json::Value::String(s)) if is_our_schema(s) => {}
        Some(serde_json::Value::String(s)) => {
            return Err(ReadError::OtherKind {
                path: path_buf(),
                reason: format!("its \"$schema\" is \"{s}\""),
            });
        }
        Some(v) => {
            return Err(ReadError::OtherKind {
                path: path_buf(),
                reason: format!("its \"$schema\" is {}, not a string", json_kind(v)),
            });
        }
        None => {
            return Err(ReadError::OtherKind {
                path: path_buf(),
                reason: if obj.contains_key("format_version") {
                    "it has no \"$schema\"".into()
                } else {
                    "it has neither \"$schema\" nor \"format_version\"".into()
                },
            });
        }
    }
    let version = match obj.get("format_version") {
        Some(v) => v.as_u64().ok_or_else(|| ReadError::OtherKind {
            path: path_buf(),
            reason: format!(
                "its \"format_version\" is {}, not a whole number",
                json_kind(v)
            ),
        })?,
        None => {
            return Err(ReadError::OtherKind {
                path: path_buf(),
                reason: "it has no \"format_version\"".into(),
            });
        }
    };
    if version > u64::from(TRANSFERS_FORMAT_VERSION) {
        return Err(ReadError::NewerVersion {
            path: path_buf(),
            found: version,
            supported: TRANSFERS_FORMAT_VERSION,
        });
    }
    if version == 0 {
        return Err(ReadError::OtherKind {
            path: path_buf(),
            reason: "its \"format_version\" is 0; versions start at 1".into(),
        });
    }
    let missing: Vec<&str> = REQUIRED_KEYS
        .iter()
        .copied()
        .filter(|k| !obj.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        return Err(ReadError::OtherKind {
            path: path_buf(),
            reason: format!(
                "the top-level key{} {} {} missing (expected: {})",
                if missing.len() > 1 { "s" } else { "" },
                missing
                    .iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() > 1 { "are" } else { "is" },
                REQUIRED_KEYS.join(", ")
            ),
        });
    }
    // Typed reading from the text (not the Value) to keep line and column.
    let mut de = serde_json::Deserializer::from_str(text);
    let mut publication =
        serde_path_to_error::deserialize::<_, Publication>(&mut de).map_err(|e| {
            let at = e.path().to_string();
            let inner = e.into_inner();
            ReadError::Invalid {
                path: path_buf(),
                line: inner.line(),
                column: inner.column(),
                at,
                message: strip_position(&inner.to_string()),
            }
        })?;
    upgrade_control_chains(&mut publication);
    check_control(path, &mut publication)?;
    Ok(publication)
}

/// Format version 1 gave every entity its whole `control_chain` (parent
/// first); version 2 states `parent` and `ultimate_parent` only. Read a
/// version 1 chain into those two keys (where the file left them out) and
/// drop it.
fn upgrade_control_chains(p: &mut Publication) {
    for e in &mut p.entities {
        let chain = std::mem::take(&mut e.control_chain);
        if e.parent.is_none() {
            e.parent = chain.first().cloned();
        }
        if e.ultimate_parent.is_none() {
            e.ultimate_parent = chain.last().cloned();
        }
    }
}

/// Where following `parent` ids from an entity ends.
#[derive(Clone, Copy)]
enum Top {
    /// At this entity (by index), which has no parent.
    Root(usize),
    /// At this entity, whose parent is not in the file.
    Missing,
}

/// Longest loop quoted in full in an error.
const MAX_QUOTED_LOOP: usize = 8;

/// Follow every entity's `parent` ids once (linear in the number of
/// entities, whatever the depth: each entity is walked at most once) and
/// check the control statements against them:
///
/// - an ownership loop (`a` → `b` → `a`, or an entity its own parent) is an
///   error: no chain can be read from it;
/// - an `ultimate_parent` that the `parent` ids lead elsewhere is an error;
///   one left out is filled in from the walk;
/// - a `parent` naming an entity the file does not list ends the walk there:
///   what is above it is not stated (any `ultimate_parent` given is kept as
///   the file says, unchecked).
fn check_control(path: &Path, p: &mut Publication) -> Result<(), ReadError> {
    use std::collections::HashMap;
    let n = p.entities.len();
    let index: HashMap<&str, usize> = p
        .entities
        .iter()
        .enumerate()
        .rev() // the first of duplicated ids wins, as in `Publication::entity`
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    // 0: not yet walked; 1: on the current walk; 2: done.
    let mut state = vec![0u8; n];
    let mut top = vec![Top::Missing; n];
    for start in 0..n {
        let mut walk: Vec<usize> = Vec::new();
        let mut cur = start;
        let end = loop {
            match state[cur] {
                2 => break top[cur],
                1 => {
                    let from = walk.iter().position(|&i| i == cur).unwrap_or(0);
                    return Err(loop_error(path, p, &walk[from..]));
                }
                _ => {}
            }
            state[cur] = 1;
            walk.push(cur);
            match p.entities[cur].parent.as_deref() {
                None => break Top::Root(cur),
                Some(parent) => match index.get(parent) {
                    Some(&i) => cur = i,
                    None => break Top::Missing,
                },
            }
        };
        for i in walk {
            state[i] = 2;
            top[i] = end;
        }
    }
    let mut fill: Vec<(usize, String)> = Vec::new();
    for (i, e) in p.entities.iter().enumerate() {
        let Top::Root(r) = top[i] else { continue };
        if r == i {
            continue;
        }
        let reached = &p.entities[r].id;
        match &e.ultimate_parent {
            None => fill.push((i, reached.clone())),
            Some(stated) if stated == reached => {}
            Some(stated) => {
                return Err(ReadError::Inconsistent {
                    path: path.to_path_buf(),
                    at: format!("entities[{i}].ultimate_parent"),
                    message: format!(
                        "entity \"{}\" states its ultimate parent is \"{stated}\", but its `parent` ids lead to \"{reached}\"",
                        e.id
                    ),
                    help: "the file contradicts itself about who controls this entity; ask the publisher for a corrected transfers.json".into(),
                });
            }
        }
    }
    for (i, id) in fill {
        p.entities[i].ultimate_parent = Some(id);
    }
    Ok(())
}

/// The error for an ownership loop through the entities `cycle` (indexes, in
/// walking order), quoting a long loop by its start and its length.
fn loop_error(path: &Path, p: &Publication, cycle: &[usize]) -> ReadError {
    let first = cycle.first().copied().unwrap_or(0);
    let ids: Vec<String> = cycle
        .iter()
        .take(MAX_QUOTED_LOOP)
        .map(|&i| format!("\"{}\"", p.entities[i].id))
        .collect();
    let back = format!("\"{}\"", p.entities[first].id);
    let chain = if cycle.len() > MAX_QUOTED_LOOP {
        format!(
            "{} → … → {back} ({} entities in the loop)",
            ids.join(" → "),
            cycle.len()
        )
    } else {
        format!("{} → {back}", ids.join(" → "))
    };
    ReadError::Inconsistent {
        path: path.to_path_buf(),
        at: format!("entities[{first}].parent"),
        message: format!("the `parent` ids form an ownership loop: {chain}"),
        help: "an entity cannot control itself through its parents, so no control chain can be read; ask the publisher for a corrected transfers.json".into(),
    }
}

fn is_our_schema(s: &str) -> bool {
    s == TRANSFERS_SCHEMA_FILE || s.ends_with(&format!("/{TRANSFERS_SCHEMA_FILE}"))
}

/// serde_json appends " at line L column C" to its messages; we print the
/// position in front, as `file:line:column`.
fn strip_position(m: &str) -> String {
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------
// Display names

/// The name to show for an item whose name may be missing from a file
/// written by hand: the name, else the id.
fn name_or(name: &str, id: &str) -> String {
    if name.is_empty() { id } else { name }.to_string()
}

impl Site {
    /// The site's name, else its id.
    pub fn name_or_id(&self) -> String {
        name_or(&self.name, &self.id)
    }
}

impl Service {
    /// The service's name, else its id.
    pub fn name_or_id(&self) -> String {
        name_or(&self.name, &self.id)
    }
}

impl Measure {
    /// The measure's title, else its id.
    pub fn name_or_id(&self) -> String {
        name_or(&self.title, &self.id)
    }

    /// The measure's title in English when the publication gives one (else
    /// as [`Measure::name_or_id`]).
    pub fn name_or_id_in(&self, fr: bool) -> String {
        match &self.title_en {
            Some(en) if !fr && !en.is_empty() => en.clone(),
            _ => self.name_or_id(),
        }
    }
}

// Tests: `publication/format_tests.rs` (they write a publication with
// `publication::write` and read it back here).
