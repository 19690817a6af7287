//! The typed reading of a published `transfers.json` (written by
//! [`super::write`]): the one view of a publication that `diff`,
//! the changes page, `review` and provider chains all share.
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
use serde::{Deserialize, Serialize};

use super::{TRANSFERS_FORMAT_VERSION, TRANSFERS_SCHEMA_FILE};

// ---------------------------------------------------------------------------
// The publication

/// One publication of a provider's transfer map, as read from
/// `transfers.json`. Lists keep the file's order (sorted by id when sovmap
/// wrote it).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Publication {
    /// `"transfers.schema.json"` (or a URL ending with it).
    #[serde(rename = "$schema")]
    pub schema: String,
    /// Version of the format the file was written in (≤ [`TRANSFERS_FORMAT_VERSION`]).
    pub format_version: u32,
    /// The tool and version that wrote the file, when stated.
    #[serde(default)]
    pub generator: Option<String>,
    /// Date the legal facts apply on.
    pub as_of: Date,
    pub provider: Provider,
    #[serde(default)]
    pub policy: Option<Policy>,
    #[serde(default)]
    pub reference: Option<ReferenceFacts>,
    #[serde(default)]
    pub exi31: Option<Exi31>,
    #[serde(default)]
    pub summary: Option<Summary>,
    pub entities: Vec<Entity>,
    pub sites: Vec<Site>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    #[serde(default)]
    pub access_paths: Vec<AccessPath>,
    #[serde(default)]
    pub measures: Vec<Measure>,
    pub transfers: Vec<Transfer>,
    pub exposures: Vec<Exposure>,
    pub findings: Vec<Finding>,
    /// The publications so far, newest first (this one included when written
    /// by `sovmap build`): what the changes page and the Atom feed show, carried
    /// from one publication to the next. Empty in files without it.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// Provider chains the publisher imported (its providers' publications,
    /// and theirs in turn); items that came through one carry `chain`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chains: Vec<ChainLink>,
}

/// A text in the two languages of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct Text {
    pub en: String,
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

/// One publication in the history: the entry of the Atom feed and of the
/// changes page. Texts are frozen at publication time (what clients were told).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct HistoryEntry {
    /// Stable Atom id (`tag:` URI from the site's domain, the date and the version).
    pub id: String,
    #[serde(default)]
    pub version: Option<String>,
    /// Publication date.
    pub date: Date,
    /// Version and date of the publication it was compared with; `null` for
    /// the first publication (or when none was given).
    #[serde(default)]
    pub compared_with: Option<String>,
    /// Date the changes under notice take effect (date + notice period), when there are any.
    #[serde(default)]
    pub effective: Option<Date>,
    #[serde(default)]
    pub riskier: bool,
    pub title: Text,
    pub summary: Text,
    #[serde(default)]
    pub changes: Vec<HistoryChange>,
}

/// One change as recorded in the history.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct HistoryChange {
    /// `country`, `entity`, `site`, `service`, `access-path`, `flow`,
    /// `transfer`, `exposure`, `measure` or `finding`.
    pub item: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub details: Vec<Text>,
    /// Why it is riskier (empty: it is not).
    #[serde(default)]
    pub risks: Vec<Text>,
    /// Date it takes effect, for a change under notice.
    #[serde(default)]
    pub effective: Option<Date>,
}
/// One link of a provider chain, as exported (see [`crate::model::ChainLink`]).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ChainLink {
    /// Namespace prefix of the ids that came through this link.
    pub id: String,
    /// Id of the entity whose publication it is.
    pub entity: String,
    pub provider: String,
    #[serde(default)]
    pub host_legal_name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub publication_date: Option<Date>,
    pub as_of: Date,
    #[serde(default)]
    pub file: String,
    #[serde(default = "one")]
    pub format_version: u32,
    /// The link this one was imported through.
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Provider {
    pub name: String,
    /// Id of the host's own legal entity.
    pub host: String,
    #[serde(default)]
    pub host_legal_name: Option<String>,
    /// Version label of the publication (e.g. `2026.4`).
    #[serde(default)]
    pub version: Option<String>,
    /// Date the map is valid from.
    #[serde(default)]
    pub publication_date: Option<Date>,
    #[serde(default)]
    pub base_url: Option<String>,
    /// Days of notice before a subprocessor change takes effect.
    #[serde(default = "default_notice_days")]
    pub notice_days: u32,
}

fn default_notice_days() -> u32 {
    30
}

/// The host's readings where the law leaves room for interpretation.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Policy {
    #[serde(default = "yes")]
    pub partial_adequacy_is_exposure: bool,
    #[serde(default)]
    pub rationale: Option<String>,
    #[serde(default)]
    pub expiry_warning_days: Option<i64>,
}

fn yes() -> bool {
    true
}

/// The legal reference data the publication relied on.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ReferenceFacts {
    #[serde(default)]
    pub compiled_on: Option<Date>,
    #[serde(default)]
    pub sources_up_to: Option<Date>,
    #[serde(default)]
    pub adequacy_decisions: Vec<AdequacyDecision>,
    #[serde(default)]
    pub laws: Vec<Law>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AdequacyDecision {
    pub id: String,
    pub country: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_fr: String,
    #[serde(default)]
    pub scope_condition: Option<String>,
    #[serde(default)]
    pub expires: Option<Date>,
    #[serde(default)]
    pub repealed: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Law {
    pub id: String,
    pub country: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_fr: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub summary_fr: String,
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

/// EXI 31 form of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exi31Form {
    Secnumcloud,
    NoTransfer,
    Table,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Exi31 {
    pub form: Exi31Form,
    #[serde(default)]
    pub actors: Vec<ActorRow>,
}

/// One row of the chapter 8 table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ActorRow {
    pub entity: String,
    pub role: ActorRole,
    pub hds: HdsStatus,
    #[serde(default)]
    pub secnumcloud: bool,
    #[serde(default)]
    pub activities: Vec<u8>,
    #[serde(default)]
    pub exi29: Vec<String>,
    #[serde(default)]
    pub exi29_countries: Vec<String>,
    #[serde(default)]
    pub exi30: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorRole {
    Host,
    Subcontractor,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HdsStatus {
    Certified,
    Exempted,
    No,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Summary {
    pub transfers: usize,
    pub health_transfers: usize,
    pub exposures: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
}

/// A legal person: the host, a subcontractor or a parent company.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Entity {
    pub id: String,
    pub legal_name: String,
    pub country: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub control_share: Option<f64>,
    /// Ids above this entity, parent first.
    #[serde(default)]
    pub control_chain: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub hds: Option<HdsCertificate>,
    #[serde(default)]
    pub hds_exempted_under: Option<String>,
    #[serde(default)]
    pub secnumcloud: Option<SecNumCloud>,
    #[serde(default)]
    pub dpf: bool,
    #[serde(default)]
    pub adequacy_scopes: Vec<String>,
    /// Chain links (ids of [`Publication::chains`]) this item came
    /// through, nearest first; empty for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct HdsCertificate {
    #[serde(default)]
    pub activities: Vec<u8>,
    #[serde(default)]
    pub issued: Option<Date>,
    pub expires: Date,
    #[serde(default)]
    pub certifier: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub referential: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SecNumCloud {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub issued: Option<Date>,
    #[serde(default)]
    pub expires: Option<Date>,
    #[serde(default)]
    pub offer: Option<String>,
}

/// Role of a site; every role but `office` stores data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteRole {
    Primary,
    Replica,
    Backup,
    DisasterRecovery,
    Office,
    #[serde(other)]
    Unknown,
}

impl SiteRole {
    /// Whether data is kept there (an unknown role is assumed to store: the
    /// cautious reading).
    pub fn stores(self) -> bool {
        self != SiteRole::Office
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// A physical place where data is stored or processed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Site {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Id of the operating entity.
    pub operator: String,
    pub country: String,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    #[serde(default)]
    pub ip_ranges: Vec<String>,
    #[serde(default = "primary")]
    pub role: SiteRole,
    /// Chain links (ids of [`Publication::chains`]) this item came
    /// through, nearest first; empty for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

fn primary() -> SiteRole {
    SiteRole::Primary
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ServiceActor {
    pub entity: String,
    #[serde(default)]
    pub activities: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ServiceExi31 {
    pub form: Exi31Form,
    #[serde(default)]
    pub actors: Vec<ActorRow>,
    #[serde(default)]
    pub storage_countries: Vec<String>,
    #[serde(default)]
    pub transfers: Vec<String>,
    #[serde(default)]
    pub exposures: Vec<String>,
}

/// A service (product) of the host.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Service {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub secnumcloud: bool,
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub actors: Vec<ServiceActor>,
    #[serde(default)]
    pub exi31: Option<ServiceExi31>,
}

/// A node named by a flow or an access path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub struct Node {
    /// `entity`, `site` or `service`.
    pub kind: String,
    pub id: String,
}

/// Data categories, from the most to the least sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataCategory {
    Health,
    HealthPseudonymised,
    HealthEncrypted,
    Personal,
    Metadata,
    Anonymous,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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
    Unknown,
}

/// Kind of a declared legal basis (GDPR chapter V).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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
    Unknown,
}

/// A declared legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Basis {
    pub kind: BasisKind,
    /// SCC module (1–4), when stated.
    #[serde(default)]
    pub module: Option<u8>,
    /// Art. 49(1) letter or `residual`, for a derogation.
    #[serde(default)]
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Flow {
    pub id: String,
    pub from: Node,
    pub to: Node,
    pub kind: FlowKind,
    #[serde(default)]
    pub data: Vec<DataCategory>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub basis: Option<Basis>,
    #[serde(default)]
    pub basis_reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Chain links (ids of [`Publication::chains`]) this item came
    /// through, nearest first; empty for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// A team reaching sites or services remotely.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AccessPath {
    pub id: String,
    /// Id of the entity employing the team.
    pub team: String,
    #[serde(default)]
    pub name: Option<String>,
    pub country: String,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub source_ip_ranges: Vec<String>,
    #[serde(default)]
    pub targets: Vec<Node>,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub safeguards: Vec<String>,
    #[serde(default)]
    pub basis: Option<Basis>,
    #[serde(default)]
    pub basis_reference: Option<String>,
    #[serde(default)]
    pub data: Vec<DataCategory>,
    #[serde(default)]
    pub systematic: bool,
    /// Chain links (ids of [`Publication::chains`]) this item came
    /// through, nearest first; empty for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    Technical,
    Contractual,
    Organisational,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    #[serde(other)]
    Unknown,
}

/// What a measure mitigates: `kind` is `entity`, `access`, `flow` or `law`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub struct Target {
    pub kind: String,
    pub id: String,
}

/// A mitigation measure (its Markdown body is on the site, not in the file).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Measure {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub kind: MeasureKind,
    #[serde(default)]
    pub mitigates: Vec<Target>,
    #[serde(default)]
    pub residual_risk: Option<String>,
    #[serde(default)]
    pub residual_level: Option<RiskLevel>,
    /// Chain links (ids of [`Publication::chains`]) this item came
    /// through, nearest first; empty for the publisher's own declarations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferKind {
    Flow,
    RemoteAccess,
    #[serde(other)]
    Unknown,
}

/// Whether an adequacy decision covers a destination and recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdequacyLevel {
    None,
    Full,
    Partial,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Adequacy {
    pub status: AdequacyLevel,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
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

/// How a transfer is framed after checking the declared basis against the law.
/// Ordered from the strongest to the weakest framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BasisStatus {
    Adequacy,
    Safeguard,
    Derogation,
    Missing,
    #[serde(other)]
    Unknown,
}

/// A flow or remote access that makes personal data reachable from outside
/// the EEA, as judged by the publishing sovmap.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Transfer {
    /// `flow:<flow id>` or `access:<access path id>`.
    pub id: String,
    pub kind: TransferKind,
    #[serde(default)]
    pub source: String,
    pub country: String,
    pub recipient: String,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub data: Vec<DataCategory>,
    #[serde(default)]
    pub health: bool,
    #[serde(default)]
    pub storage: bool,
    pub adequacy: Adequacy,
    #[serde(default)]
    pub basis: Option<Basis>,
    #[serde(default)]
    pub basis_reference: Option<String>,
    pub basis_status: BasisStatus,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub safeguards: Vec<String>,
    #[serde(default)]
    pub measures: Vec<String>,
}

/// An entity's subjection to the law of a country without (full) adequacy (EXI 30).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Exposure {
    /// `exposure:<entity>:<country>`.
    pub id: String,
    pub entity: String,
    pub country: String,
    /// The entity whose country it is (the entity itself or a parent).
    #[serde(default)]
    pub through: String,
    #[serde(default)]
    pub chain: Vec<String>,
    pub adequacy: Adequacy,
    /// Ids of the access laws (see [`ReferenceFacts::laws`]).
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub measures: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
/// Severity of a finding, ordered `Notice < Warning < Error`; a value this
/// sovmap does not know sorts above `Error` (the cautious reading).
pub enum Severity {
    Notice,
    Warning,
    Error,
    #[serde(other)]
    Unknown,
}

/// What a finding is about: `kind` is `entity`, `site`, `service`, `flow`,
/// `access`, `measure` or `reference`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub struct Subject {
    pub kind: String,
    pub id: String,
}

/// A statement of the publishing sovmap's analysis.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    #[serde(default)]
    pub rule: String,
    pub subject: Subject,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub message_en: String,
    #[serde(default)]
    pub message_fr: String,
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
            RiskLevel::Low => Some(M::Low),
            RiskLevel::Medium => Some(M::Medium),
            RiskLevel::High => Some(M::High),
            RiskLevel::Unknown => None,
        }
    }
}

impl Severity {
    pub fn model(self) -> Option<crate::analysis::Severity> {
        use crate::analysis::Severity as M;
        match self {
            Severity::Notice => Some(M::Notice),
            Severity::Warning => Some(M::Warning),
            Severity::Error => Some(M::Error),
            Severity::Unknown => None,
        }
    }
}

impl BasisStatus {
    pub fn model(self) -> Option<crate::analysis::BasisStatus> {
        use crate::analysis::BasisStatus as M;
        match self {
            BasisStatus::Adequacy => Some(M::Adequacy),
            BasisStatus::Safeguard => Some(M::Safeguard),
            BasisStatus::Derogation => Some(M::Derogation),
            BasisStatus::Missing => Some(M::Missing),
            BasisStatus::Unknown => None,
        }
    }
}

impl TransferKind {
    pub fn model(self) -> Option<crate::analysis::TransferKind> {
        use crate::analysis::TransferKind as M;
        match self {
            TransferKind::Flow => Some(M::Flow),
            TransferKind::RemoteAccess => Some(M::RemoteAccess),
            TransferKind::Unknown => None,
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
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Unreadable { path, .. }
            | ReadError::NotJson { path, .. }
            | ReadError::OtherKind { path, .. }
            | ReadError::NewerVersion { path, .. }
            | ReadError::Invalid { path, .. } => path,
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
    })
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn example_text() -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (checked, _) = crate::check_project(root, None)
            .unwrap_or_else(|_| panic!("the example project checks"));
        crate::publication::write::transfers_json(&checked)
    }

    fn p() -> &'static Path {
        Path::new("site/transfers.json")
    }

    #[test]
    fn the_example_export_reads_back_with_its_key_facts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (c, _) = crate::check_project(root, None).unwrap_or_else(|_| panic!("checks"));
        let text = crate::publication::write::transfers_json(&c);
        let pubn = parse(p(), &text).unwrap_or_else(|e| panic!("{e}"));

        assert_eq!(pubn.format_version, TRANSFERS_FORMAT_VERSION);
        assert_eq!(pubn.schema, TRANSFERS_SCHEMA_FILE);
        assert_eq!(pubn.as_of, c.analysis.as_of);
        assert_eq!(pubn.provider.name, c.project.config.name);
        assert_eq!(pubn.provider.host, c.project.config.host);
        assert_eq!(pubn.provider.version, c.project.config.version);
        assert_eq!(
            pubn.provider.publication_date,
            c.project.config.publication_date
        );
        assert_eq!(pubn.provider.notice_days, c.project.config.notice_days);

        let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
        assert_eq!(
            ids(pubn.entities.iter().map(|e| &e.id).collect()),
            ids(c.project.entities.keys().collect())
        );
        assert_eq!(
            ids(pubn.sites.iter().map(|e| &e.id).collect()),
            ids(c.project.sites.keys().collect())
        );
        assert_eq!(pubn.services.len(), c.project.services.len());
        assert_eq!(pubn.flows.len(), c.project.flows.len());
        assert_eq!(pubn.access_paths.len(), c.project.access_paths.len());
        assert_eq!(pubn.measures.len(), c.project.measures.len());
        assert_eq!(pubn.findings.len(), c.analysis.findings.len());
        for (t, o) in pubn.transfers.iter().zip(&c.analysis.transfers) {
            assert_eq!(t.id, o.id);
            assert_eq!(t.country, o.country);
            assert_eq!(t.recipient, o.recipient);
            assert_eq!(t.adequacy.covers(), o.adequacy.covers());
            assert_eq!(t.measures, o.measures);
        }
        assert_eq!(pubn.transfers.len(), c.analysis.transfers.len());
        for (x, o) in pubn.exposures.iter().zip(&c.analysis.exposures) {
            assert_eq!((&x.id, &x.country, &x.laws), (&o.id, &o.country, &o.laws));
        }
        assert_eq!(pubn.exposures.len(), c.analysis.exposures.len());
        // Every entity's certificate expiry and every site's country survive.
        for e in &pubn.entities {
            let o = &c.project.entities[&e.id];
            assert_eq!(e.country, o.country);
            assert_eq!(
                e.hds.as_ref().map(|h| h.expires),
                o.hds.as_ref().map(|h| h.expires)
            );
        }
        for s in &pubn.sites {
            assert_eq!(s.country, c.project.sites[&s.id].country);
            assert_ne!(s.role, SiteRole::Unknown);
        }
        // No closed vocabulary fell through to Unknown: the reader knows every value the writer uses.
        assert!(
            pubn.findings
                .iter()
                .all(|f| f.severity != Severity::Unknown)
        );
        assert!(
            pubn.transfers
                .iter()
                .all(|t| t.basis_status != BasisStatus::Unknown && t.kind != TransferKind::Unknown)
        );
        let summary = pubn.summary.as_ref().unwrap_or_else(|| panic!("summary"));
        assert_eq!(summary.transfers, pubn.transfers.len());
        // Re-serialising the typed view and reading it again is lossless.
        let again = serde_json::to_string(&pubn).unwrap_or_default();
        assert_eq!(parse(p(), &again).ok(), Some(pubn));
    }

    #[test]
    fn a_truncated_file_is_reported_with_its_position() {
        let text = example_text();
        let cut = &text[..text.len() / 2];
        let e = parse(p(), cut).err().unwrap_or_else(|| panic!("refused"));
        assert_eq!(e.code(), "truncated-json");
        let msg = e.to_string();
        assert!(msg.starts_with("site/transfers.json:"), "{msg}");
        assert!(msg.contains("truncated"), "{msg}");
        let ReadError::NotJson { line, .. } = e else {
            panic!("not json")
        };
        assert_eq!(line, cut.lines().count());
    }

    #[test]
    fn broken_json_is_not_called_truncated() {
        let e = parse(p(), "{\n  \"a\": 1,,\n}").err();
        let e = e.unwrap_or_else(|| panic!("refused"));
        assert_eq!(e.code(), "invalid-json");
        assert!(e.to_string().starts_with("site/transfers.json:2:"), "{e}");
    }

    #[test]
    fn other_kinds_of_json_say_what_was_expected() {
        let cases = [
            ("[1, 2]", "an array, not an object"),
            (
                "{\"name\": \"x\"}",
                "neither \"$schema\" nor \"format_version\"",
            ),
            (
                "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\"}",
                "its \"$schema\" is \"https://json-schema.org/draft/2020-12/schema\"",
            ),
            (
                "{\"$schema\": \"transfers.schema.json\", \"format_version\": 1, \"provider\": {}}",
                "\"as_of\", \"entities\", \"sites\", \"transfers\", \"exposures\", \"findings\" are missing",
            ),
            (
                "{\"$schema\": \"transfers.schema.json\", \"format_version\": \"1\"}",
                "\"format_version\" is a string",
            ),
        ];
        for (text, expected) in cases {
            let e = parse(p(), text).err().unwrap_or_else(|| panic!("{text}"));
            assert_eq!(e.code(), "not-a-publication", "{text}");
            let msg = e.to_string();
            assert!(msg.contains(expected), "{msg}");
            assert!(msg.contains("expected the transfers.json"), "{msg}");
        }
        // The schema file published beside it is of another kind too.
        let schema = crate::publication::write::transfers_schema();
        let e = parse(p(), &schema)
            .err()
            .unwrap_or_else(|| panic!("schema"));
        assert_eq!(e.code(), "not-a-publication");
    }

    #[test]
    fn a_newer_format_version_is_refused_naming_both_versions() {
        let text = example_text().replacen(
            &format!("\"format_version\": {TRANSFERS_FORMAT_VERSION}"),
            &format!("\"format_version\": {}", TRANSFERS_FORMAT_VERSION + 1),
            1,
        );
        let e = parse(p(), &text).err().unwrap_or_else(|| panic!("refused"));
        assert_eq!(e.code(), "newer-format-version");
        let msg = e.to_string();
        assert!(msg.contains("site/transfers.json"), "{msg}");
        assert!(
            msg.contains(&format!("version {}", TRANSFERS_FORMAT_VERSION + 1)),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("up to {TRANSFERS_FORMAT_VERSION}")),
            "{msg}"
        );
    }

    #[test]
    fn unknown_keys_and_values_are_tolerated_and_minimal_files_read() {
        let text = r#"{
  "$schema": "https://example.org/sovmap/transfers.schema.json",
  "format_version": 1,
  "as_of": "2026-01-01",
  "added_in_a_later_version": {"x": 1},
  "provider": {"name": "P", "host": "p", "future": true},
  "entities": [{"id": "p", "legal_name": "P SAS", "country": "FR"}],
  "sites": [{"id": "s", "operator": "p", "country": "FR", "role": "orbital"}],
  "transfers": [],
  "exposures": [],
  "findings": [{"code": "X", "severity": "critical", "subject": {"kind": "entity", "id": "p"}}]
}"#;
        let pubn = parse(p(), text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pubn.provider.notice_days, 30);
        assert_eq!(pubn.sites[0].role, SiteRole::Unknown);
        assert!(pubn.sites[0].role.stores());
        assert_eq!(pubn.findings[0].severity, Severity::Unknown);
        assert!(pubn.services.is_empty() && pubn.flows.is_empty());
    }

    #[test]
    fn values_map_to_the_internal_types() {
        assert_eq!(
            SiteRole::DisasterRecovery.model(),
            Some(crate::model::SiteRole::DisasterRecovery)
        );
        assert_eq!(
            DataCategory::HealthPseudonymised.model(),
            Some(crate::model::DataCategory::HealthPseudonymised)
        );
        assert_eq!(FlowKind::Unknown.model(), None);
        let b = Basis {
            kind: BasisKind::Derogation,
            module: None,
            ground: Some("b".into()),
        };
        assert_eq!(b.key(), "art49-b");
        assert!(b.model().is_some());
    }

    #[test]
    fn a_wrong_value_is_located_by_line_column_and_path() {
        let text = example_text();
        // Make the first site's country a number.
        let i = text.find("\"sites\"").unwrap_or(0);
        let j = i + text[i..].find("\"country\": \"").unwrap_or(0);
        let k = j + text[j + 12..].find('"').unwrap_or(0) + 13;
        let broken = format!("{}\"country\": 33{}", &text[..j], &text[k..]);
        let e = parse(p(), &broken)
            .err()
            .unwrap_or_else(|| panic!("refused"));
        assert_eq!(e.code(), "invalid-publication");
        let msg = e.to_string();
        assert!(msg.contains("at `sites[0].country`"), "{msg}");
        let line = broken[..j].lines().count();
        assert!(
            msg.starts_with(&format!("site/transfers.json:{line}:")),
            "{msg}"
        );
    }

    #[test]
    fn errors_render_with_a_snippet_of_the_file() {
        let dir = std::env::temp_dir().join(format!("sovmap-published-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let f = dir.join("cut.json");
        let text = example_text();
        std::fs::write(&f, &text[..200]).unwrap_or_else(|e| panic!("{e}"));
        let e = read(&f).err().unwrap_or_else(|| panic!("refused"));
        let out = render_errors(&[e], false);
        let (line, _) = (text[..200].lines().count(), 0);
        assert!(
            out.starts_with(&format!("{}:{line}:", f.display())),
            "{out}"
        );
        assert!(out.contains("error[truncated-json]"), "{out}");
        assert!(out.contains("download or copy it again"), "{out}");
        // A minified file: no snippet, still the file and position.
        let long = dir.join("long.json");
        std::fs::write(&long, format!("{{\"a\": \"{}\", ", "x".repeat(1000)))
            .unwrap_or_else(|e| panic!("{e}"));
        let e = read(&long).err().unwrap_or_else(|| panic!("refused"));
        let out = render_errors(&[e], false);
        assert!(out.starts_with("error[truncated-json]: "), "{out}");
        assert!(out.contains("long.json:1:"), "{out}");
        assert!(out.len() < 500, "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unreadable_file_is_named() {
        let e = read(Path::new("/nonexistent/transfers.json")).err();
        let e = e.unwrap_or_else(|| panic!("refused"));
        assert_eq!(e.code(), "unreadable-file");
        assert!(
            e.to_string()
                .starts_with("/nonexistent/transfers.json: cannot read")
        );
    }
}
