//! The provider's declarations, as plain data, after loading and validation.
//!
//! Everything here has been checked by [`crate::load`]: ids are unique per kind,
//! every reference points to an existing declaration, country codes are valid
//! ISO 3166-1 alpha-2 codes (EU aliases such as `EL` already mapped), dates are
//! real dates and IP ranges parse. Later stages (graph, analysis, render) can
//! therefore index freely by id without re-checking.
//!
//! Each declaration keeps a [`Loc`] so that findings can point back at the file
//! and line where it was written.

use std::collections::BTreeMap;

use ipnetwork::IpNetwork;
use jiff::civil::Date;
use serde::Serialize;

use crate::diag::Loc;

/// An ISO 3166-1 alpha-2 country code, upper case (`FR`, `US`, `GB`).
pub type CountryCode = String;

/// The whole project: `sovmap.toml` plus everything under `content/`.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub config: Config,
    /// Keyed by id; a `BTreeMap` so that every iteration is sorted and output
    /// is reproducible.
    pub entities: BTreeMap<String, Entity>,
    pub sites: BTreeMap<String, Site>,
    pub services: BTreeMap<String, Service>,
    pub flows: BTreeMap<String, Flow>,
    pub access_paths: BTreeMap<String, AccessPath>,
    pub measures: BTreeMap<String, Measure>,
    pub pages: BTreeMap<String, Page>,
    /// Clauses of the contract annex (`content/annex/*.md`), keyed by
    /// (id, language): they replace sovmap's default clauses of the same id.
    pub clauses: BTreeMap<(String, String), Clause>,
    /// English versions of the provider's own texts (`*_en` keys), keyed by
    /// what they translate: `measure.<id>.title`,
    /// `measure.<id>.residual_risk`, `policy.rationale`, and for flows and
    /// access paths the keys of [`english_key`].
    pub english: BTreeMap<String, String>,
    /// Provider chains: the publications imported through `publication = …`
    /// on an entity, keyed by link id (the namespace prefix of the items they
    /// brought: `stratus-fr` for `stratus-fr.par1`, `stratus-fr.hyper` for a
    /// link the imported publication itself carried). Empty without chains.
    pub chains: BTreeMap<String, ChainLink>,
}

/// Keys of [`Project::english`] for the provider's own texts (entities,
/// services, flows, access paths, measures, the policy), written by the
/// loader and read by the notices and the pages.
pub mod english_key {
    /// A flow's `description` (the purpose of its transfer).
    pub fn flow_description(id: &str) -> String {
        format!("flow.{id}.description")
    }

    /// The policy's `rationale` (`rationale_en` under `[policy]`).
    pub const POLICY_RATIONALE: &str = "policy.rationale";

    /// A measure's `title` (`title_en` in its front matter).
    pub fn measure_title(id: &str) -> String {
        format!("measure.{id}.title")
    }

    /// A measure's `residual_risk` (`residual_risk_en`).
    pub fn measure_residual(id: &str) -> String {
        format!("measure.{id}.residual_risk")
    }

    /// A measure's Markdown body (`content/measures/<id>.en.md`).
    pub fn measure_body(id: &str) -> String {
        format!("measure.{id}.body")
    }

    /// A free page's `title` (front matter of `content/pages/<id>.en.md`).
    pub fn page_title(id: &str) -> String {
        format!("page.{id}.title")
    }

    /// A free page's Markdown body (`content/pages/<id>.en.md`).
    pub fn page_body(id: &str) -> String {
        format!("page.{id}.body")
    }

    /// An entity's `description` (`description_en`).
    pub fn entity_description(id: &str) -> String {
        format!("entity.{id}.description")
    }

    /// A service's `name` (`name_en`): a name, printed as written when it
    /// has no English version (no notice, no mark), like sites' names.
    pub fn service_name(id: &str) -> String {
        format!("service.{id}.name")
    }

    /// A service's `description` (`description_en`).
    pub fn service_description(id: &str) -> String {
        format!("service.{id}.description")
    }

    /// An access path's `name`, the team's name (`name_en`).
    pub fn access_name(id: &str) -> String {
        format!("access.{id}.name")
    }

    /// An access path's `purpose`.
    pub fn access_purpose(id: &str) -> String {
        format!("access.{id}.purpose")
    }

    /// The `n`-th (from 0) of an access path's `safeguards`: `safeguards_en`
    /// has one text per safeguard, in the same order.
    pub fn access_safeguard(id: &str, n: usize) -> String {
        format!("access.{id}.safeguards.{n}")
    }
}

impl Project {
    /// The sites an access target stands for, as declared: the site itself,
    /// a service's sites, or every site an entity operates (by id).
    pub fn sites_of(&self, t: &NodeRef) -> Vec<String> {
        match t {
            NodeRef::Site(s) => vec![s.clone()],
            NodeRef::Service(s) => self
                .services
                .get(s)
                .map(|s| s.sites.clone())
                .unwrap_or_default(),
            NodeRef::Entity(e) => self
                .sites
                .values()
                .filter(|s| &s.operator == e)
                .map(|s| s.id.clone())
                .collect(),
        }
    }

    /// The English version of a text of the provider, if declared.
    pub fn english_of(&self, key: &str) -> Option<&str> {
        self.english.get(key).map(String::as_str)
    }

    /// The chain links an imported id came through, nearest first
    /// (`host.hyper.par1` → links `host`, `host.hyper`); empty for a local id.
    /// Local ids cannot contain `.`, so a prefix match is unambiguous.
    pub fn chain_of(&self, id: &str) -> Vec<&ChainLink> {
        if self.chains.is_empty() {
            return Vec::new();
        }
        id.match_indices('.')
            .filter_map(|(i, _)| self.chains.get(&id[..i]))
            .collect()
    }

    /// "via hostco's publication (Host Co, 2026-11-01), then hostco.hyper's
    /// (Hyper Cloud, 2026-10-01)" for an imported id; `None` for a local one.
    pub fn chain_note(&self, id: &str, fr: bool) -> Option<String> {
        let links = self.chain_of(id);
        let (first, rest) = links.split_first()?;
        let mut out = first.describe(fr);
        for l in rest {
            let date = l.publication_date.unwrap_or(l.as_of);
            if fr {
                out.push_str(&format!(
                    ", puis celle de {} ({}, {date})",
                    l.entity, l.provider
                ));
            } else {
                out.push_str(&format!(", then {}'s ({}, {date})", l.entity, l.provider));
            }
        }
        Some(out)
    }

    /// An entity's legal name for messages and pages; the id itself if the
    /// entity is unknown (never the case after validation).
    pub fn entity_name(&self, id: &str) -> String {
        self.entities
            .get(id)
            .map(|e| e.legal_name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// One link of a provider chain: a published `transfers.json` imported
/// because an entity names it (`publication = "…"`), or a link that the
/// imported publication itself carried (then `via` is the link it came in).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainLink {
    /// Namespace prefix of the imported ids (`stratus-fr`, `stratus-fr.hyper`).
    pub id: String,
    /// The entity (in this project's ids) whose publication it is.
    pub entity: String,
    /// The publishing provider's name (`provider.name` of the file).
    pub provider: String,
    pub host_legal_name: Option<String>,
    pub version: Option<String>,
    pub publication_date: Option<Date>,
    pub as_of: Date,
    /// The file as named in the declaration (relative to the project root),
    /// or as named in the publication that carried it.
    pub file: String,
    pub format_version: u32,
    /// The link this one was imported through (none for a direct link).
    pub via: Option<String>,
}

impl ChainLink {
    /// "via stratus-fr's publication (Stratus Cloud, 2026-11-15)".
    pub fn describe(&self, fr: bool) -> String {
        let date = self.publication_date.unwrap_or(self.as_of);
        if fr {
            format!(
                "via la publication de {} ({}, {date})",
                self.entity, self.provider
            )
        } else {
            format!(
                "via {}'s publication ({}, {date})",
                self.entity, self.provider
            )
        }
    }
}

/// `sovmap.toml`: who publishes, in which languages, under which policy.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Display name of the provider ("SantéCloud").
    pub name: String,
    /// Id of the entity that is the certified host (the provider's own legal entity).
    pub host: String,
    pub base_url: Option<String>,
    /// Version label of the published map ("2026.3").
    pub version: Option<String>,
    /// Date the map is valid from; the default `--as-of` date.
    pub publication_date: Option<Date>,
    pub languages: Vec<String>,
    pub theme: Option<String>,
    /// Days of notice before a subprocessor change takes effect.
    pub notice_days: u32,
    /// `build` also lays out each annex as PDF (`annex_pdf = true`). Off by
    /// default: typst's layout costs more than the rest of a small site
    /// together and grows with the whole-provider annex; `sovmap annex
    /// --format pdf` makes one on demand either way.
    pub annex_pdf: bool,
    /// The last published `transfers.json` to compare with (`previous = "…"`),
    /// resolved against the project root; `sovmap build --previous` overrides it.
    pub previous: Option<std::path::PathBuf>,
    pub policy: Policy,
    /// Legal facts the provider adds or replaces (a newer decision, a law).
    pub reference_overrides: ReferenceOverrides,
    /// GeoIP country database (`.mmdb`) for `sovmap verify`, as written in
    /// `sovmap.toml` (relative to the project root); setting it also turns
    /// verification on for `check` and `build`.
    pub geoip: Option<String>,
    /// The provider as a contracting party (`[provider]`), for the annex.
    pub party: Party,
    /// Who publishes the map: the certified host itself (the default) or a
    /// platform publishing the map of its hosting chain.
    pub publisher: PublisherRole,
    pub loc: Loc,
}

/// `[provider]` of sovmap.toml: the provider's legal identity, printed as
/// the contracting party of the annex. Unset values are shown as "not
/// declared"; the legal name defaults to the host entity's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub legal_name: Option<String>,
    /// "SAS", "SA à conseil d'administration"…
    pub legal_form: Option<String>,
    /// SIREN / RCS ("RCS Strasbourg 912 345 678").
    pub registration: Option<String>,
    /// Registered office.
    pub address: Option<String>,
    /// Who signs for the provider ("Jeanne Martin, présidente").
    pub representative: Option<String>,
}

/// `publisher = "host" | "platform"` in `sovmap.toml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublisherRole {
    /// The publisher is the HDS-certified host (`host` is its entity).
    #[default]
    Host,
    /// A health platform (software vendor, telehealth service) publishing the
    /// map of its hosting chain without being a certified host itself;
    /// `host` is then the platform's own entity, and the certified hosts are
    /// the actors that hold the certificates.
    Platform,
}

/// The host's choices where the law leaves room for interpretation.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// Whether being subject to the law of a country with only a *partial*
    /// adequacy decision (e.g. a DPF-listed US parent) counts as an EXI 30
    /// exposure. Default `true`: the cautious reading, because the US decision
    /// does not neutralise the CLOUD Act or FISA 702.
    pub partial_adequacy_is_exposure: bool,
    /// Why the host chose this reading (printed with the findings).
    pub rationale: Option<String>,
    /// Days before a certificate's expiry when a warning is raised.
    pub expiry_warning_days: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            partial_adequacy_is_exposure: true,
            rationale: None,
            expiry_warning_days: 90,
        }
    }
}

/// Facts declared in `sovmap.toml` under `[[reference.adequacy]]` and
/// `[[reference.law]]`; same id replaces the embedded fact, a new id adds one.
#[derive(Debug, Clone, Default)]
pub struct ReferenceOverrides {
    pub adequacy: Vec<crate::reference::AdequacyDecision>,
    pub laws: Vec<crate::reference::ForeignLaw>,
}

/// A legal person: the host, a subcontractor, a parent company.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    pub id: String,
    pub legal_name: String,
    /// Country of incorporation.
    pub country: CountryCode,
    /// The entity that controls this one, if any: a majority of the voting
    /// rights, a declared control right (power to appoint a majority of the
    /// board, `control = true`), or a `parent` declared without a percentage
    /// or above 50 %. A minority holding is never a parent (it is in
    /// `shareholders`).
    pub parent: Option<String>,
    /// Share of capital / voting rights held by the parent, in percent, if known.
    pub control_share: Option<f64>,
    /// Every declared holding in this entity (`[[entity.shareholder]]`, and a
    /// `parent` with its `control_share`), for control and for the
    /// SecNumCloud §19.6.b thresholds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shareholders: Vec<Shareholding>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub hds: Option<HdsCertificate>,
    /// Id of the host whose HDS certificate covers this entity's work
    /// ("exempté": audited within the host's certified scope).
    pub hds_exempted_under: Option<String>,
    pub secnumcloud: Option<SecNumCloud>,
    /// Listed under the EU-US Data Privacy Framework.
    pub dpf: bool,
    /// Scope conditions of partial adequacy decisions this entity satisfies,
    /// e.g. `pipeda` (Canada), `appi` (Japan), `pipa` (Korea), `dpf` (US).
    pub adequacy_scopes: Vec<String>,
    /// What the document leaves unknown or says about the kind of actor.
    pub facts: EntityFacts,
    #[serde(skip)]
    pub loc: Loc,
}

/// A holding in an entity: capital and voting rights in percent (unknown:
/// `None`, judged at its worst — full), and the special rights SecNumCloud
/// §19.6.b names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shareholding {
    pub holder: String,
    pub capital: Option<f64>,
    pub voting: Option<f64>,
    /// A veto over the entity's decisions, by contract or articles.
    pub veto: bool,
    /// The power to appoint a majority of the management or supervisory board.
    pub board_majority: bool,
    /// Control declared by other means (shareholders' agreement…).
    pub control: bool,
}

impl Shareholding {
    /// Voting share used for control and thresholds: voting rights, else
    /// capital, else 100 % (not stated: the worst plausible value).
    pub fn weight(&self) -> f64 {
        self.voting.or(self.capital).unwrap_or(100.0)
    }

    /// Control: a majority of the voting rights or a declared control right.
    pub fn controls(&self) -> bool {
        self.control || self.board_majority || self.weight() > 50.0
    }
}

/// What kind of actor an entity is: a company (the default), or people
/// (individual contractors, employees) who are not incorporated anywhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    #[default]
    Company,
    /// One individual (a contractor); `country` is the country of residence.
    Person,
    /// A team of individuals (employees or contractors); `country` is where
    /// they reside and work.
    Team,
    /// An international organisation (GDPR Art. 4(26)), such as the European
    /// Patent Organisation; `country` is its seat. Data sent to it is a
    /// transfer under GDPR chapter V wherever the seat is (Art. 44), and only
    /// a decision about the organisation itself is an adequacy basis
    /// (Art. 45(1)), never its seat country's.
    InternationalOrganisation,
}

impl EntityKind {
    pub const ALL: [(&'static str, EntityKind); 4] = [
        ("company", EntityKind::Company),
        ("person", EntityKind::Person),
        ("team", EntityKind::Team),
        (
            "international-organisation",
            EntityKind::InternationalOrganisation,
        ),
    ];

    /// People, not a legal person: never "incorporated" anywhere.
    pub fn is_people(self) -> bool {
        matches!(self, EntityKind::Person | EntityKind::Team)
    }
}

/// Partial knowledge about an entity (see [`crate::unknown`]); all empty
/// for an entity the document describes fully.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EntityFacts {
    pub kind: EntityKind,
    /// For an international organisation with an adequacy decision: the id
    /// of that decision in the reference data (`organisation = "EPORG"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Known by its role only (`known_as = "the provider's US parent"`):
    /// `legal_name` then holds that description, never an invented name.
    pub unnamed: bool,
    /// Nationality of a person or team, when the document gives it and it
    /// differs from the country of residence.
    pub nationality: Option<CountryCode>,
    /// `dpf = "unknown"`: whether the entity is listed under the EU-US Data
    /// Privacy Framework is not stated (judged as not listed).
    pub dpf_unknown: bool,
    /// An HDS certificate the document mentions without its dates or
    /// activities ("HDS certified"): not a checked certificate.
    pub hds_claim: Option<HdsClaim>,
}

/// "HDS certified", with whatever the document states of the certificate.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HdsClaim {
    /// `None`: activities not stated.
    pub activities: Option<Vec<u8>>,
    pub issued: Option<Date>,
    pub expires: Option<Date>,
    pub certifier: Option<String>,
    pub number: Option<String>,
}

impl HdsClaim {
    /// What the document does not say about the certificate, in English and
    /// French ("its activities, its validity dates").
    pub fn missing(&self) -> (String, String) {
        let mut en = Vec::new();
        let mut fr = Vec::new();
        if self.activities.is_none() {
            en.push("its activities");
            fr.push("ses activités");
        }
        if self.issued.is_none() || self.expires.is_none() {
            en.push("its validity dates");
            fr.push("ses dates de validité");
        }
        if self.certifier.is_none() {
            en.push("its certification body");
            fr.push("son organisme certificateur");
        }
        (en.join(", "), fr.join(", "))
    }
}

/// Partial knowledge about a flow or an access path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlowFacts {
    /// `basis = "unstated"`: the document does not say which basis frames
    /// the transfer (to confirm; not the same as "none").
    pub basis_unstated: bool,
    /// `possible = true`: the document says data *may* go there ("may
    /// transit outside the EU", "occasional support"): analysed like a
    /// transfer, presented as possible.
    pub possible: bool,
}

impl Entity {
    /// Whether this entity is an international organisation (GDPR Art. 4(26)).
    pub fn is_international_organisation(&self) -> bool {
        self.facts.kind == EntityKind::InternationalOrganisation
    }

    /// Whether this entity satisfies a partial decision's scope condition.
    pub fn satisfies_scope(&self, condition: &str) -> bool {
        (condition == "dpf" && self.dpf) || self.adequacy_scopes.iter().any(|s| s == condition)
    }
}

/// An HDS certificate (referential of 2018 or 2024).
#[derive(Debug, Clone, Serialize)]
pub struct HdsCertificate {
    /// Activities 1–6 of art. R.1111-9 CSP covered by the certificate.
    pub activities: Vec<u8>,
    pub issued: Date,
    pub expires: Date,
    pub certifier: String,
    pub number: Option<String>,
    /// Referential the certificate was audited against ("2018" or "2024").
    pub referential: Option<String>,
}

/// A SecNumCloud qualification (ANSSI).
#[derive(Debug, Clone, Serialize)]
pub struct SecNumCloud {
    pub version: String,
    pub issued: Option<Date>,
    pub expires: Option<Date>,
    /// Name of the qualified offer.
    pub offer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteRole {
    Primary,
    Replica,
    Backup,
    DisasterRecovery,
    Office,
}

impl SiteRole {
    pub const ALL: [(&'static str, SiteRole); 5] = [
        ("primary", SiteRole::Primary),
        ("replica", SiteRole::Replica),
        ("backup", SiteRole::Backup),
        ("disaster-recovery", SiteRole::DisasterRecovery),
        ("office", SiteRole::Office),
    ];

    /// Whether health data is stored at a site with this role.
    pub fn stores_data(self) -> bool {
        !matches!(self, SiteRole::Office)
    }

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map(|(s, _)| *s)
            .unwrap_or("primary")
    }
}

/// A physical place where data is stored or processed.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// Entity that operates the site.
    pub operator: String,
    pub country: CountryCode,
    pub city: Option<String>,
    /// (latitude, longitude) in degrees.
    pub coordinates: Option<(f64, f64)>,
    pub ip_ranges: Vec<IpRange>,
    pub role: SiteRole,
    #[serde(skip)]
    pub loc: Loc,
}

/// A declared IP range with where it was written (for `verify`).
#[derive(Debug, Clone, Serialize)]
pub struct IpRange {
    #[serde(serialize_with = "ser_display")]
    pub network: IpNetwork,
    #[serde(skip)]
    pub loc: Loc,
}

fn ser_display<S: serde::Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// What the host sells; the transfer map is published per service.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Sites where the service's data is stored (any role).
    pub sites: Vec<String>,
    /// Who performs which HDS activity for this service.
    pub actors: Vec<ServiceActor>,
    /// Delivered under the host's SecNumCloud qualification.
    pub secnumcloud: bool,
    #[serde(skip)]
    pub loc: Loc,
}

/// One actor of a service and the HDS activities (1–6) it performs.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceActor {
    pub entity: String,
    pub activities: Vec<u8>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowKind {
    Storage,
    Replication,
    Backup,
    Processing,
    RemoteAdministration,
    SupportAccess,
    Telemetry,
}

impl FlowKind {
    pub const ALL: [(&'static str, FlowKind); 7] = [
        ("storage", FlowKind::Storage),
        ("replication", FlowKind::Replication),
        ("backup", FlowKind::Backup),
        ("processing", FlowKind::Processing),
        ("remote-administration", FlowKind::RemoteAdministration),
        ("support-access", FlowKind::SupportAccess),
        ("telemetry", FlowKind::Telemetry),
    ];

    /// Whether the destination keeps a copy of the data (EXI 28 applies).
    pub fn stores_data(self) -> bool {
        matches!(
            self,
            FlowKind::Storage | FlowKind::Replication | FlowKind::Backup
        )
    }

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map(|(s, _)| *s)
            .unwrap_or("storage")
    }
}

/// Categories of data carried by a flow or reachable through an access path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataCategory {
    /// Personal health data in the clear.
    Health,
    /// Pseudonymised health data (still personal data; re-identification data in the EEA).
    HealthPseudonymised,
    /// Encrypted health data whose keys stay in the EEA (still a transfer; encryption is a measure).
    HealthEncrypted,
    /// Personal data that is not health data (contacts, accounts).
    Personal,
    /// Technical metadata and logs (may identify people).
    Metadata,
    /// Anonymous data: not personal data, never a transfer.
    Anonymous,
    /// Payment data (card, bank details, invoices): personal data, not
    /// health data — unless the payment reveals the care (then declare
    /// `health` as well).
    Payment,
    /// Encryption keys protecting health data: they make the data they
    /// protect readable, so they count as health data for EXI 28 and as
    /// personal data for Chapter V (keys outside the EEA defeat the
    /// encryption measure).
    EncryptionKeys,
    /// Pseudonymised personal data that is not health data: still personal
    /// data (GDPR recital 26).
    Pseudonymised,
}

impl DataCategory {
    pub const ALL: [(&'static str, DataCategory); 9] = [
        ("health", DataCategory::Health),
        ("health-pseudonymised", DataCategory::HealthPseudonymised),
        ("health-encrypted", DataCategory::HealthEncrypted),
        ("personal", DataCategory::Personal),
        ("metadata", DataCategory::Metadata),
        ("anonymous", DataCategory::Anonymous),
        ("payment", DataCategory::Payment),
        ("encryption-keys", DataCategory::EncryptionKeys),
        ("pseudonymised", DataCategory::Pseudonymised),
    ];

    /// Other spellings found in published lists, and the category each is
    /// read as. Logs and telemetry are metadata (personal data; declare
    /// `health` too when they carry health content); "anonymised" and
    /// "non-identifying" are read as anonymous only because the document
    /// says so — the page shows what was declared.
    pub const ALIASES: [(&'static str, DataCategory); 10] = [
        ("logs", DataCategory::Metadata),
        ("telemetry", DataCategory::Metadata),
        ("technical-data", DataCategory::Metadata),
        ("anonymised", DataCategory::Anonymous),
        ("anonymized", DataCategory::Anonymous),
        ("non-identifying", DataCategory::Anonymous),
        ("pseudonymized", DataCategory::Pseudonymised),
        ("keys", DataCategory::EncryptionKeys),
        ("billing", DataCategory::Payment),
        ("health-pseudonymized", DataCategory::HealthPseudonymised),
    ];

    /// Whether the category counts as health data for EXI 28–31.
    pub fn is_health(self) -> bool {
        matches!(
            self,
            DataCategory::Health
                | DataCategory::HealthPseudonymised
                | DataCategory::HealthEncrypted
                | DataCategory::EncryptionKeys
        )
    }

    /// Personal data in the GDPR sense (pseudonymised and encrypted data included).
    pub fn is_personal(self) -> bool {
        !matches!(self, DataCategory::Anonymous)
    }

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map(|(s, _)| *s)
            .unwrap_or("health")
    }
}

/// The legal basis declared for a transfer (GDPR chapter V).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Basis {
    /// Art. 45 adequacy decision.
    Adequacy,
    /// Art. 46(2)(c) standard contractual clauses 2021/914, optional module 1–4.
    Scc { module: Option<u8> },
    /// Art. 46(2)(b) / 47 binding corporate rules.
    Bcr,
    /// Art. 46(2)(e) approved code of conduct.
    CodeOfConduct,
    /// Art. 46(2)(f) approved certification mechanism.
    Certification,
    /// Art. 46(3)(a) ad hoc clauses authorised by a supervisory authority.
    AdHocClauses,
    /// Art. 49 derogation, with its letter (a–g) or `residual`.
    Derogation { ground: String },
}

impl Basis {
    /// Art. 46 appropriate safeguards.
    pub fn is_art46(&self) -> bool {
        matches!(
            self,
            Basis::Scc { .. }
                | Basis::Bcr
                | Basis::CodeOfConduct
                | Basis::Certification
                | Basis::AdHocClauses
        )
    }

    /// The spelling used in declaration files (`scc-3`, `art49-a`, …).
    pub fn as_key(&self) -> String {
        match self {
            Basis::Adequacy => "adequacy".into(),
            Basis::Scc { module: None } => "scc".into(),
            Basis::Scc { module: Some(m) } => format!("scc-{m}"),
            Basis::Bcr => "bcr".into(),
            Basis::CodeOfConduct => "code-of-conduct".into(),
            Basis::Certification => "certification".into(),
            Basis::AdHocClauses => "ad-hoc-clauses".into(),
            Basis::Derogation { ground } => format!("art49-{ground}"),
        }
    }

    /// Parse the spelling used in declaration files.
    pub fn parse(s: &str) -> Option<Basis> {
        Some(match s {
            "adequacy" => Basis::Adequacy,
            "scc" => Basis::Scc { module: None },
            "scc-1" | "scc-2" | "scc-3" | "scc-4" => Basis::Scc {
                module: s[4..].parse().ok(),
            },
            "bcr" => Basis::Bcr,
            "code-of-conduct" => Basis::CodeOfConduct,
            "certification" => Basis::Certification,
            "ad-hoc-clauses" => Basis::AdHocClauses,
            _ => {
                let ground = s.strip_prefix("art49-")?;
                if matches!(ground, "a" | "b" | "c" | "d" | "e" | "f" | "g" | "residual") {
                    Basis::Derogation {
                        ground: ground.to_string(),
                    }
                } else {
                    return None;
                }
            }
        })
    }

    pub const SPELLINGS: &'static str = "adequacy, scc, scc-1 … scc-4, bcr, code-of-conduct, certification, ad-hoc-clauses, art49-a … art49-g, art49-residual";
}

/// Data moving between two nodes (sites, entities, services).
#[derive(Debug, Clone, Serialize)]
pub struct Flow {
    pub id: String,
    pub from: NodeRef,
    pub to: NodeRef,
    pub kind: FlowKind,
    pub data: Vec<DataCategory>,
    /// Services whose data this flow carries (empty: all services stored at `from`).
    pub services: Vec<String>,
    pub basis: Option<Basis>,
    /// Where the basis is documented (contract, annex, clause).
    pub basis_reference: Option<String>,
    /// The transfer impact assessment, for a transfer framed by safeguards.
    pub tia: Option<Tia>,
    pub description: Option<String>,
    pub facts: FlowFacts,
    #[serde(skip)]
    pub loc: Loc,
}

/// A transfer impact assessment (Art. 46 transfers: SCC clause 14, EDPB
/// Recommendations 01/2020 step 3): its reference, date and next review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tia {
    pub reference: String,
    pub date: Option<Date>,
    pub next_review: Option<Date>,
}

/// A reference to a node of the flow graph, resolved by the loader.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum NodeRef {
    Entity(String),
    Site(String),
    Service(String),
}

impl NodeRef {
    pub fn id(&self) -> &str {
        match self {
            NodeRef::Entity(s) | NodeRef::Site(s) | NodeRef::Service(s) => s,
        }
    }
}

/// A team reaching sites or services remotely (administration, support…).
#[derive(Debug, Clone, Serialize)]
pub struct AccessPath {
    pub id: String,
    /// Entity employing the team.
    pub team: String,
    /// Human-readable team name ("Level-2 support, Casablanca").
    pub name: Option<String>,
    /// Country the access is made from.
    pub country: CountryCode,
    pub city: Option<String>,
    pub source_ip_ranges: Vec<IpRange>,
    /// Services or sites reached.
    pub targets: Vec<NodeRef>,
    pub purpose: String,
    pub safeguards: Vec<String>,
    pub basis: Option<Basis>,
    pub basis_reference: Option<String>,
    /// The transfer impact assessment, for a transfer framed by safeguards.
    pub tia: Option<Tia>,
    /// Data reachable through this path (default: health data).
    pub data: Vec<DataCategory>,
    /// Regular access (the default) rather than an exceptional, one-off one.
    /// Art. 49 derogations cannot frame systematic access.
    pub systematic: bool,
    pub facts: FlowFacts,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    Technical,
    Contractual,
    Organisational,
}

impl MeasureKind {
    pub const ALL: [(&'static str, MeasureKind); 3] = [
        ("technical", MeasureKind::Technical),
        ("contractual", MeasureKind::Contractual),
        ("organisational", MeasureKind::Organisational),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Technical => "technical",
            MeasureKind::Contractual => "contractual",
            MeasureKind::Organisational => "organisational",
        }
    }
}

/// What a measure mitigates: an entity's exposure to foreign law, an access
/// path, a flow, or every exposure to a given law.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum MeasureTarget {
    Entity(String),
    Access(String),
    Flow(String),
    Law(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// No residual risk claimed: refused (warning) where the exposed actor
    /// holds the keys or sees data in clear (EDPB Rec. 01/2020, cases 6–7).
    None,
    Negligible,
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub const ALL: [(&'static str, RiskLevel); 5] = [
        ("none", RiskLevel::None),
        ("negligible", RiskLevel::Negligible),
        ("low", RiskLevel::Low),
        ("medium", RiskLevel::Medium),
        ("high", RiskLevel::High),
    ];
}

/// Who holds the encryption keys of the data an exposed actor handles
/// (the fact EDPB Recommendations 01/2020 turn on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyHolder {
    /// The host, in the EEA (or an adequate country), not the exposed actor.
    EeaHost,
    /// The exposed actor itself: encryption does not protect against its
    /// own country's authorities.
    ExposedActor,
    /// The client (the exporter).
    Client,
}

impl KeyHolder {
    pub const ALL: [(&'static str, KeyHolder); 3] = [
        ("eea-host", KeyHolder::EeaHost),
        ("exposed-actor", KeyHolder::ExposedActor),
        ("client", KeyHolder::Client),
    ];
}

/// A mitigation measure, written in Markdown with TOML front matter.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub kind: MeasureKind,
    pub mitigates: Vec<MeasureTarget>,
    /// The risk that remains once the measure applies (EXI 30 (c)).
    pub residual_risk: Option<String>,
    pub residual_level: Option<RiskLevel>,
    /// Who holds the encryption keys (`keys_held_by`); `None`: not stated,
    /// judged at its worst (the exposed actor).
    pub keys_held_by: Option<KeyHolder>,
    /// Whether the exposed actor can see the data in clear (processing,
    /// remote administration) — `clear_text_access`; `None`: not stated,
    /// judged at its worst (yes).
    pub clear_text_access: Option<bool>,
    /// Markdown body (rendered and sanitised by the site builder).
    pub body: String,
    #[serde(skip)]
    pub loc: Loc,
}

/// A free page (`content/pages/*.md`).
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub id: String,
    pub title: String,
    pub body: String,
    #[serde(skip)]
    pub loc: Loc,
}

/// A clause of the contract annex: `content/annex/<id>.md` (French) or
/// `<id>.en.md` (English), Markdown with `+++` front matter (`title`,
/// optional `order`). `{{ notice_days }}`, `{{ provider }}` (legal name) and
/// `{{ provider_name }}` in the text are replaced when the annex is written.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    pub id: String,
    /// "fr" or "en".
    pub lang: String,
    pub title: String,
    /// Position among the clauses (lower first); default clauses use 10–50.
    pub order: Option<i64>,
    pub body: String,
    #[serde(skip)]
    pub loc: Loc,
}

/// The placeholders a clause may use.
pub const CLAUSE_PLACEHOLDERS: &[&str] = &["notice_days", "provider", "provider_name"];

/// The six HDS activities (art. R.1111-9 CSP) are numbered 1 to 6.
pub fn is_hds_activity(n: i64) -> bool {
    (1..=6).contains(&n)
}
