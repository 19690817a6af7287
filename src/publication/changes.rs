//! What changed between two publications of a transfer map, in plain words
//! (French and English), with what became riskier marked.
//!
//! Input is two [`Publication`]s (read from `transfers.json` files, of any
//! provider); output is a typed [`ChangeList`] that `sovmap diff` prints and
//! `sovmap build --previous` renders as `changes.html` and `feed.xml`.
//!
//! The comparison works on ids: an item with the same id in both files is
//! the same item (changed or not); findings, which have no id, are matched
//! on their code, subject and countries. Legal conclusions are never
//! re-derived: transfers, exposures and findings are compared as the
//! publishing sovmap computed them. The only fact this module adds is EEA
//! membership (from the embedded reference data) to say whether a new
//! country or a moved site is outside the EEA.
//!
//! A change is *riskier* ([`Change::risks`] not empty) when it adds a country
//! outside the EEA, an exposure or a law reaching the data, a transfer, a
//! copy stored outside the EEA, a weaker transfer basis, or when it removes a
//! certificate, a measure or a safeguard, or adds an error or warning finding,
//! or when the provider shortens its notice period or stops counting partial
//! adequacy as an exposure.
//! A change *under notice* ([`Change::notice`]: a new subcontractor, country
//! or exposure) takes effect after the notice period announced by the new
//! publication (GDPR Art. 28(2) prior information): [`Change::effective`].

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::i18n::{self, Lang};
use crate::publication::{self, Adequacy, BasisStatus, Publication, Severity};
use crate::reference::Reference;

/// A text in both languages of the site.
pub use crate::publication::Text as Tr;

/// What kind of item a change is about, in the order changes are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Item {
    /// The provider as a whole: its reading of the law (policy), its notice period.
    Provider,
    /// A country appearing in (or leaving) the map: sites, access paths,
    /// transfers, exposures, entities.
    Country,
    Entity,
    Site,
    Service,
    AccessPath,
    Flow,
    Transfer,
    Exposure,
    Measure,
    Finding,
}

impl Item {
    pub const ALL: [Item; 11] = [
        Item::Provider,
        Item::Country,
        Item::Entity,
        Item::Site,
        Item::Service,
        Item::AccessPath,
        Item::Flow,
        Item::Transfer,
        Item::Exposure,
        Item::Measure,
        Item::Finding,
    ];

    /// Heading of the group of changes about this kind of item.
    pub fn heading(self, lang: Lang) -> &'static str {
        let (en, fr) = match self {
            Item::Provider => ("The provider", "Le prestataire"),
            Item::Country => ("Countries", "Pays"),
            Item::Entity => (
                "Entities (subcontractors and parent companies)",
                "Entités (sous-traitants et sociétés mères)",
            ),
            Item::Site => ("Sites", "Sites"),
            Item::Service => ("Services", "Services"),
            Item::AccessPath => ("Remote access", "Accès à distance"),
            Item::Flow => ("Data flows", "Flux de données"),
            Item::Transfer => ("Transfers outside the EEA", "Transferts hors de l'EEE"),
            Item::Exposure => (
                "Exposures to foreign law (EXI 30)",
                "Expositions à un droit étranger (EXI 30)",
            ),
            Item::Measure => ("Measures", "Mesures"),
            Item::Finding => ("Findings", "Constats"),
        };
        if lang.is_fr() { fr } else { en }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// Why a change makes things riskier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    /// A country outside the EEA now appears in the map.
    NewNonEeaCountry,
    /// An entity is newly subject to the law of a country without (full) adequacy.
    NewExposure,
    /// A foreign access law newly reaches an entity.
    NewLaw,
    /// Data is now stored outside the EEA (new storing site or transfer, a site moved).
    StorageOutsideEea,
    /// A new transfer of personal data outside the EEA.
    NewTransfer,
    /// The basis of a transfer got weaker (adequacy → safeguards → derogation → none).
    WeakerBasis,
    /// A certificate (HDS, SecNumCloud, DPF listing) was removed or has expired.
    CertificateLost,
    /// A measure or safeguard was removed, or no longer covers a transfer or exposure.
    MeasureRemoved,
    /// A new error or warning finding, or a finding got more severe.
    NewProblem,
    /// The notice period before changes take effect got shorter.
    ShorterNotice,
    /// The provider's reading now discloses fewer exposures (partial adequacy).
    FewerDisclosed,
}

/// One reason a change is riskier, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub kind: RiskKind,
    pub text: Tr,
}

/// One field of an item that changed. `old`/`new` are the raw values as in
/// `transfers.json` (codes, ids), `null` when absent; `text` is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
    pub text: Tr,
}

/// One change between the two publications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub item: Item,
    pub change: ChangeKind,
    /// Id of the item (for findings: `code:kind:id`, for countries: the code).
    pub id: String,
    /// The change in one sentence.
    pub text: Tr,
    /// For a changed item: what changed, field by field.
    pub details: Vec<Detail>,
    /// Why the change is riskier; empty when it is not.
    pub risks: Vec<Risk>,
    /// Adds a subcontractor, a country or an exposure: clients are told in
    /// advance and the change takes effect after the notice period.
    pub notice: bool,
    /// For a change under notice: publication date + notice period.
    pub effective: Option<Date>,
}

impl Change {
    pub fn riskier(&self) -> bool {
        !self.risks.is_empty()
    }
}

/// Which publication a side of the comparison is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    pub provider: String,
    pub version: Option<String>,
    /// Publication date (the `as_of` date when the file states none).
    pub date: Date,
    pub as_of: Date,
    pub notice_days: u32,
}

impl Edition {
    pub fn of(p: &Publication) -> Edition {
        Edition {
            provider: p.provider.name.clone(),
            version: p.provider.version.clone(),
            date: p.date(),
            as_of: p.as_of,
            notice_days: p.provider.notice_days,
        }
    }

    /// `2026.4 (15 November 2026)` or the date alone.
    pub fn label(&self, lang: Lang) -> String {
        let d = i18n::format_date(self.date, lang);
        match &self.version {
            Some(v) => format!("{v} ({d})"),
            None => d,
        }
    }
}

/// Counts, for summaries and the feed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub riskier: usize,
    pub under_notice: usize,
}

/// Every change from `old` to `new`, grouped by [`Item`] then added,
/// removed, changed, then by id: deterministic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeList {
    pub old: Edition,
    pub new: Edition,
    /// The two files come from different providers (a comparison still works).
    pub different_providers: bool,
    pub counts: Counts,
    pub changes: Vec<Change>,
}

impl ChangeList {
    pub fn riskier(&self) -> bool {
        self.changes.iter().any(Change::riskier)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// One-line summary: `3 changes, 1 riskier` / `3 changements, dont 1 plus risqué`.
    pub fn summary(&self, lang: Lang) -> String {
        summary_line(&self.counts, lang)
    }
}

/// `3 changes (2 added, …), 1 riskier` in words.
pub fn summary_line(c: &Counts, lang: Lang) -> String {
    let total = c.added + c.removed + c.changed;
    if total == 0 {
        return if lang.is_fr() {
            "aucun changement".into()
        } else {
            "no change".into()
        };
    }
    if lang.is_fr() {
        let mut s = format!(
            "{total} changement{} ({} ajout{}, {} retrait{}, {} modification{})",
            plural(total),
            c.added,
            plural(c.added),
            c.removed,
            plural(c.removed),
            c.changed,
            plural(c.changed)
        );
        if c.riskier > 0 {
            s.push_str(&format!(
                ", dont {} plus risqué{}",
                c.riskier,
                plural(c.riskier)
            ));
        }
        s
    } else {
        let mut s = format!(
            "{total} change{} ({} added, {} removed, {} changed)",
            plural(total),
            c.added,
            c.removed,
            c.changed
        );
        if c.riskier > 0 {
            s.push_str(&format!(", {} riskier", c.riskier));
        }
        s
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

// ---------------------------------------------------------------------------
// Words

fn country(code: &str, lang: Lang) -> String {
    let name = Reference::embedded().country_name(code, lang.code());
    if name == code {
        code.to_string()
    } else {
        format!("{name} ({code})")
    }
}

/// `from United States (US)` / `— pays : États-Unis (US)` (French country
/// names need an article that the reference data does not give).
fn from_country(code: &str, lang: Lang) -> String {
    if lang.is_fr() {
        format!("— pays : {}", country(code, lang))
    } else {
        format!("from {}", country(code, lang))
    }
}

/// `in United States (US)` / `— pays : États-Unis (US)`.
fn in_country(code: &str, lang: Lang) -> String {
    if lang.is_fr() {
        format!("— pays : {}", country(code, lang))
    } else {
        format!("in {}", country(code, lang))
    }
}

/// Where a country appears: the first five places, then how many more.
fn places(wh: &[Tr], lang: Lang) -> String {
    const SHOWN: usize = 5;
    let mut s = wh
        .iter()
        .take(SHOWN)
        .map(|w| w.get(lang))
        .collect::<Vec<_>>()
        .join(sep(lang));
    if wh.len() > SHOWN {
        let more = wh.len() - SHOWN;
        s.push_str(&if lang.is_fr() {
            format!(" et {more} de plus")
        } else {
            format!(" and {more} more")
        });
    }
    s
}

fn sep(lang: Lang) -> &'static str {
    if lang.is_fr() { " ; " } else { "; " }
}

fn fr(lang: Lang, en: &str, fr: &str) -> String {
    if lang.is_fr() { fr.into() } else { en.into() }
}

fn quoted(s: &str, lang: Lang) -> String {
    if lang.is_fr() {
        format!("« {s} »")
    } else {
        format!("“{s}”")
    }
}

fn date(d: Date, lang: Lang) -> String {
    i18n::format_date(d, lang)
}

fn site_role(r: publication::SiteRole, lang: Lang) -> String {
    r.model()
        .map(|m| i18n::site_role(m, lang).to_string())
        .unwrap_or_else(|| fr(lang, "unknown role", "rôle inconnu"))
}

fn flow_kind(k: publication::FlowKind, lang: Lang) -> String {
    k.model()
        .map(|m| i18n::flow_kind(m, lang).to_string())
        .unwrap_or_else(|| fr(lang, "unknown kind", "type inconnu"))
}

fn data_list(d: &[publication::DataCategory], lang: Lang) -> String {
    if d.is_empty() {
        return fr(lang, "none", "aucune");
    }
    d.iter()
        .map(|c| {
            c.model()
                .map(|m| i18n::data_category(m, lang).to_string())
                .unwrap_or_else(|| fr(lang, "unknown category", "catégorie inconnue"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn basis(b: Option<&publication::Basis>, lang: Lang) -> String {
    match b.and_then(|b| b.model()) {
        Some(m) => i18n::basis(&m, lang),
        None if b.is_some() => fr(lang, "an unknown basis", "un fondement inconnu"),
        None => fr(lang, "none declared", "aucun déclaré"),
    }
}

fn basis_status(s: BasisStatus, lang: Lang) -> String {
    s.model()
        .map(|m| i18n::basis_status(m, lang).to_string())
        .unwrap_or_else(|| fr(lang, "unknown framing", "encadrement inconnu"))
}

fn severity(s: Severity, lang: Lang) -> String {
    s.model()
        .map(|m| i18n::severity(m, lang).to_string())
        .unwrap_or_else(|| fr(lang, "unknown severity", "gravité inconnue"))
}

fn adequacy(a: &Adequacy, lang: Lang) -> String {
    use publication::AdequacyLevel as L;
    match (a.status, a.in_scope) {
        (L::Full, _) => fr(
            lang,
            "full adequacy decision",
            "décision d'adéquation complète",
        ),
        (L::Partial, Some(true)) => fr(
            lang,
            "partial adequacy decision, recipient in scope",
            "décision d'adéquation partielle, destinataire couvert",
        ),
        (L::Partial, _) => fr(
            lang,
            "partial adequacy decision, recipient not in scope",
            "décision d'adéquation partielle, destinataire non couvert",
        ),
        (L::None, _) => fr(lang, "no adequacy decision", "pas de décision d'adéquation"),
        (L::Unknown, _) => fr(
            lang,
            "unknown adequacy status",
            "statut d'adéquation inconnu",
        ),
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    i18n::yes_no(b, lang).to_string()
}

fn opt(s: Option<&str>, lang: Lang) -> String {
    match s {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => fr(lang, "none", "aucun"),
    }
}

fn join(v: &[String]) -> String {
    v.join(", ")
}

/// Elements of `new` not in `old`, and of `old` not in `new`, each sorted.
fn set_diff<'a>(old: &'a [String], new: &'a [String]) -> (Vec<&'a str>, Vec<&'a str>) {
    let o: BTreeSet<&str> = old.iter().map(String::as_str).collect();
    let n: BTreeSet<&str> = new.iter().map(String::as_str).collect();
    (
        n.difference(&o).copied().collect(),
        o.difference(&n).copied().collect(),
    )
}

// ---------------------------------------------------------------------------
// Building a change

struct Builder<'a> {
    old: &'a Publication,
    new: &'a Publication,
    changes: Vec<Change>,
    /// Legal names by id (the new file's, else the old one's): lookups stay
    /// O(log n) on large inventories.
    entity_names: BTreeMap<&'a str, &'a str>,
    /// Display names of sites by id, likewise.
    site_names: BTreeMap<&'a str, String>,
    /// The reference data as it stood on each publication's date (EEA
    /// membership: London was inside the EEA in 2020).
    old_reference: Reference,
    new_reference: Reference,
}

impl Builder<'_> {
    /// Whether `code` is in the EEA on the old publication's date.
    fn was_eea(&self, code: &str) -> bool {
        self.old_reference.is_eea(code)
    }

    /// Whether `code` is in the EEA on the new publication's date.
    fn is_eea(&self, code: &str) -> bool {
        self.new_reference.is_eea(code)
    }
}

/// Accumulates the details and risks of one changed item.
#[derive(Default)]
struct Diffs {
    details: Vec<Detail>,
    risks: Vec<Risk>,
}

impl Diffs {
    /// A scalar field: recorded when `old != new`.
    fn field(
        &mut self,
        field: &'static str,
        label: fn(Lang) -> &'static str,
        old: Option<String>,
        new: Option<String>,
        show: impl Fn(Option<&str>, Lang) -> String,
    ) -> bool {
        if old == new {
            return false;
        }
        let text = Tr::of(|l| {
            format!(
                "{}{}{} → {}",
                label(l),
                i18n::tr(l, "colon"),
                show(old.as_deref(), l),
                show(new.as_deref(), l)
            )
        });
        self.details.push(Detail {
            field,
            old,
            new,
            text,
        });
        true
    }

    /// A list field: recorded when elements were added or removed. Returns the
    /// removed elements (for risks).
    fn list(
        &mut self,
        field: &'static str,
        label: fn(Lang) -> &'static str,
        old: &[String],
        new: &[String],
        show: impl Fn(&str, Lang) -> String,
    ) -> Vec<String> {
        let (added, removed) = set_diff(old, new);
        if added.is_empty() && removed.is_empty() {
            return Vec::new();
        }
        let text = Tr::of(|l| {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!(
                    "{} {}",
                    fr(l, "added", "ajouté"),
                    added
                        .iter()
                        .map(|a| show(a, l))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !removed.is_empty() {
                parts.push(format!(
                    "{} {}",
                    fr(l, "removed", "retiré"),
                    removed
                        .iter()
                        .map(|a| show(a, l))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            format!("{}{}{}", label(l), i18n::tr(l, "colon"), parts.join(sep(l)))
        });
        self.details.push(Detail {
            field,
            old: Some(join(old)),
            new: Some(join(new)),
            text,
        });
        removed.into_iter().map(String::from).collect()
    }

    fn risk(&mut self, kind: RiskKind, text: Tr) {
        if !self.risks.iter().any(|r| r.kind == kind && r.text == text) {
            self.risks.push(Risk { kind, text });
        }
    }
}

macro_rules! lbl {
    ($en:literal, $fr:literal) => {
        (|l: Lang| if l.is_fr() { $fr } else { $en }) as fn(Lang) -> &'static str
    };
}

impl<'a> Builder<'a> {
    fn push(
        &mut self,
        item: Item,
        change: ChangeKind,
        id: &str,
        text: Tr,
        diffs: Diffs,
        notice: bool,
    ) {
        let effective = notice.then(|| effective_date(self.new));
        self.changes.push(Change {
            item,
            change,
            id: id.to_string(),
            text,
            details: diffs.details,
            risks: diffs.risks,
            notice,
            effective,
        });
    }

    fn old_name(&self, id: &str) -> String {
        self.name(id)
    }

    fn name(&self, id: &str) -> String {
        self.entity_names.get(id).unwrap_or(&id).to_string()
    }

    fn site_name(&self, id: &str) -> String {
        self.site_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

/// Publication date of `new` + its notice period.
pub fn effective_date(new: &Publication) -> Date {
    let d = new.date();
    d.checked_add(jiff::Span::new().days(i64::from(new.provider.notice_days)))
        .unwrap_or(d)
}

/// Match two lists by key: (only in old, in both, only in new), each by key.
fn pair<'x, T, K: Ord + Clone>(
    old: &'x [T],
    new: &'x [T],
    key: impl Fn(&T) -> K,
) -> Vec<(K, Option<&'x T>, Option<&'x T>)> {
    let mut m: BTreeMap<K, (Option<&T>, Option<&T>)> = BTreeMap::new();
    for o in old {
        m.entry(key(o)).or_default().0 = Some(o);
    }
    for n in new {
        m.entry(key(n)).or_default().1 = Some(n);
    }
    m.into_iter().map(|(k, (o, n))| (k, o, n)).collect()
}

/// Entities taking part in the hosting (not only owning an actor): chapter 8
/// actors, service actors, site operators, access teams, transfer recipients.
fn involved(p: &Publication) -> BTreeSet<&str> {
    let mut s: BTreeSet<&str> = BTreeSet::new();
    if let Some(x) = &p.exi31 {
        s.extend(x.actors.iter().map(|a| a.entity.as_str()));
    }
    for svc in &p.services {
        s.extend(svc.actors.iter().map(|a| a.entity.as_str()));
    }
    s.extend(p.sites.iter().map(|x| x.operator.as_str()));
    s.extend(p.access_paths.iter().map(|x| x.team.as_str()));
    s.extend(p.transfers.iter().map(|x| x.recipient.as_str()));
    s.remove(p.provider.host.as_str());
    s
}

/// Where each country appears in a publication, in words.
fn countries(p: &Publication) -> BTreeMap<String, Vec<Tr>> {
    let names: BTreeMap<&str, &str> = p
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.legal_name.as_str()))
        .collect();
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
    let mut m: BTreeMap<String, Vec<Tr>> = BTreeMap::new();
    for s in &p.sites {
        m.entry(s.country.clone()).or_default().push(Tr::of(|l| {
            format!("{} {}", fr(l, "site", "site"), quoted(&s.name_or_id(), l))
        }));
    }
    for a in &p.access_paths {
        m.entry(a.country.clone()).or_default().push(Tr::of(|l| {
            format!(
                "{} {}",
                fr(l, "remote access by", "accès à distance par"),
                name(&a.team)
            )
        }));
    }
    for e in &p.entities {
        m.entry(e.country.clone()).or_default().push(Tr::of(|l| {
            format!("{} {}", fr(l, "entity", "entité"), e.legal_name)
        }));
    }
    for x in &p.exposures {
        m.entry(x.country.clone()).or_default().push(Tr::of(|l| {
            format!(
                "{} {}",
                fr(l, "law reaching", "droit s'appliquant à"),
                name(&x.entity)
            )
        }));
    }
    // Transfers reach the country of a site, an access path or an entity,
    // listed above; a hand-written file may still name another one.
    for t in &p.transfers {
        if !m.contains_key(&t.country) {
            m.entry(t.country.clone()).or_default().push(Tr::of(|l| {
                format!(
                    "{} {}",
                    fr(l, "transfer to", "transfert vers"),
                    name(&t.recipient)
                )
            }));
        }
    }
    for v in m.values_mut() {
        v.dedup();
    }
    m
}

/// Whether a certificate expiring on `expires` is valid on `on`.
fn valid(expires: Option<Date>, on: Date) -> bool {
    expires.is_none_or(|e| e >= on)
}

// ---------------------------------------------------------------------------
// The comparison

/// Compare two publications.
pub fn compare(old: &Publication, new: &Publication) -> ChangeList {
    let mut entity_names = BTreeMap::new();
    let mut site_names = BTreeMap::new();
    for p in [old, new] {
        for e in &p.entities {
            entity_names.insert(e.id.as_str(), e.legal_name.as_str());
        }
        for s in &p.sites {
            site_names.insert(s.id.as_str(), s.name_or_id());
        }
    }
    let mut b = Builder {
        old,
        new,
        changes: Vec::new(),
        entity_names,
        site_names,
        old_reference: Reference::embedded().on(old.as_of),
        new_reference: Reference::embedded().on(new.as_of),
    };
    b.provider();
    b.countries();
    b.entities();
    b.sites();
    b.services();
    b.access_paths();
    b.flows();
    b.transfers();
    b.exposures();
    b.measures();
    b.findings();
    let mut changes = b.changes;
    changes.sort_by(|x, y| (x.item, x.change, &x.id).cmp(&(y.item, y.change, &y.id)));
    let mut counts = Counts::default();
    for c in &changes {
        match c.change {
            ChangeKind::Added => counts.added += 1,
            ChangeKind::Removed => counts.removed += 1,
            ChangeKind::Changed => counts.changed += 1,
        }
        counts.riskier += usize::from(c.riskier());
        counts.under_notice += usize::from(c.notice);
    }
    ChangeList {
        old: Edition::of(old),
        new: Edition::of(new),
        different_providers: old.provider.host != new.provider.host
            || old.provider.name != new.provider.name,
        counts,
        changes,
    }
}

impl Builder<'_> {
    /// Provider-wide facts a client relies on: the reading of partial
    /// adequacy (it decides which exposures are disclosed) and the notice period.
    fn provider(&mut self) {
        let (o, n) = (&self.old.provider, &self.new.provider);
        let mut d = Diffs::default();
        d.field(
            "notice_days",
            lbl!("notice period (days)", "préavis (jours)"),
            Some(o.notice_days.to_string()),
            Some(n.notice_days.to_string()),
            opt,
        );
        if n.notice_days < o.notice_days {
            d.risk(
                RiskKind::ShorterNotice,
                Tr::of(|l| {
                    fr(
                        l,
                        "clients are told of changes later",
                        "les clients sont prévenus des changements plus tard",
                    )
                }),
            );
        }
        let reading = |p: &Publication| {
            p.policy
                .as_ref()
                .map(|x| x.partial_adequacy_is_exposure.to_string())
        };
        let words = |v: Option<&str>, l: Lang| match v {
            Some("true") => fr(
                l,
                "subjection to the law of a country with only a partial adequacy decision counts as an exposure",
                "la soumission au droit d'un pays dont la décision d'adéquation n'est que partielle compte comme une exposition",
            ),
            Some(_) => fr(
                l,
                "subjection to the law of a country with a partial adequacy decision does not count as an exposure",
                "la soumission au droit d'un pays dont la décision d'adéquation est partielle ne compte pas comme une exposition",
            ),
            None => fr(l, "not stated", "non précisé"),
        };
        if d.field(
            "partial_adequacy_is_exposure",
            lbl!(
                "reading of partial adequacy",
                "lecture de l'adéquation partielle"
            ),
            reading(self.old),
            reading(self.new),
            words,
        ) && reading(self.new).as_deref() == Some("false")
        {
            d.risk(
                RiskKind::FewerDisclosed,
                Tr::of(|l| {
                    fr(
                        l,
                        "exposures under partial adequacy decisions are no longer disclosed as such",
                        "les expositions relevant d'une décision d'adéquation partielle ne sont plus déclarées comme telles",
                    )
                }),
            );
        }
        if !d.details.is_empty() {
            let text = Tr::of(|l| {
                format!(
                    "{} {}",
                    fr(
                        l,
                        "Provider-wide change:",
                        "Changement pour l'ensemble du prestataire :"
                    ),
                    n.name
                )
            });
            let id = n.host.clone();
            self.push(Item::Provider, ChangeKind::Changed, &id, text, d, false);
        }
    }

    fn countries(&mut self) {
        let o = countries(self.old);
        let n = countries(self.new);
        for (code, before, after) in pair(
            &o.iter().collect::<Vec<_>>(),
            &n.iter().collect::<Vec<_>>(),
            |(k, _)| (*k).clone(),
        ) {
            match (before, after) {
                (None, Some((_, wh))) => {
                    let mut d = Diffs::default();
                    let eea = self.is_eea(&code);
                    if !eea {
                        d.risk(
                            RiskKind::NewNonEeaCountry,
                            Tr::of(|l| {
                                fr(
                                    l,
                                    "a country outside the European Economic Area",
                                    "un pays hors de l'Espace économique européen",
                                )
                            }),
                        );
                    }
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{} — {}",
                            fr(
                                l,
                                "New country in the map",
                                "Nouveau pays dans la cartographie"
                            ),
                            i18n::tr(l, "colon"),
                            country(&code, l),
                            places(wh, l)
                        )
                    });
                    self.push(Item::Country, ChangeKind::Added, &code, text, d, true);
                }
                (Some(_), None) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{}",
                            fr(
                                l,
                                "Country no longer in the map",
                                "Pays qui ne figure plus dans la cartographie"
                            ),
                            i18n::tr(l, "colon"),
                            country(&code, l)
                        )
                    });
                    self.push(
                        Item::Country,
                        ChangeKind::Removed,
                        &code,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                _ => {}
            }
        }
    }

    fn entities(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_involved = involved(old);
        let new_involved = involved(new);
        for (id, o, n) in pair(&old.entities, &new.entities, |e| e.id.clone()) {
            match (o, n) {
                (None, Some(e)) => {
                    let sub = new_involved.contains(id.as_str());
                    let text = Tr::of(|l| {
                        let what = if sub {
                            fr(l, "New subcontractor", "Nouveau sous-traitant")
                        } else {
                            fr(l, "New entity", "Nouvelle entité")
                        };
                        let mut s = format!(
                            "{what}{}{}, {}",
                            i18n::tr(l, "colon"),
                            e.legal_name,
                            country(&e.country, l)
                        );
                        if let Some(p) = &e.parent {
                            s.push_str(&format!(
                                ", {} {}",
                                fr(l, "controlled by", "contrôlée par"),
                                self.name(p)
                            ));
                        }
                        s
                    });
                    self.push(
                        Item::Entity,
                        ChangeKind::Added,
                        &id,
                        text,
                        Diffs::default(),
                        sub,
                    );
                }
                (Some(e), None) => {
                    let sub = old_involved.contains(id.as_str());
                    let text = Tr::of(|l| {
                        let what = if sub {
                            fr(l, "Subcontractor removed", "Sous-traitant retiré")
                        } else {
                            fr(l, "Entity removed", "Entité retirée")
                        };
                        format!(
                            "{what}{}{}, {}",
                            i18n::tr(l, "colon"),
                            e.legal_name,
                            country(&e.country, l)
                        )
                    });
                    self.push(
                        Item::Entity,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.field(
                        "legal_name",
                        lbl!("legal name", "raison sociale"),
                        Some(o.legal_name.clone()),
                        Some(n.legal_name.clone()),
                        opt,
                    );
                    d.field(
                        "country",
                        lbl!("country", "pays"),
                        Some(o.country.clone()),
                        Some(n.country.clone()),
                        |v, l| v.map(|c| country(c, l)).unwrap_or_default(),
                    );
                    d.field(
                        "parent",
                        lbl!("controlled by", "contrôlée par"),
                        o.parent.clone(),
                        n.parent.clone(),
                        |v, l| match v {
                            Some(p) => self.name(p),
                            None => fr(l, "nobody", "personne"),
                        },
                    );
                    d.field(
                        "control_share",
                        lbl!(
                            "share held by the parent",
                            "part détenue par la société mère"
                        ),
                        o.control_share.map(|x| format!("{x}")),
                        n.control_share.map(|x| format!("{x}")),
                        |v, l| v.map(|x| format!("{x} %")).unwrap_or_else(|| opt(None, l)),
                    );
                    d.field(
                        "description",
                        lbl!("description", "description"),
                        o.description.clone(),
                        n.description.clone(),
                        opt,
                    );
                    d.field(
                        "website",
                        lbl!("website", "site web"),
                        o.website.clone(),
                        n.website.clone(),
                        opt,
                    );
                    self.certificates(o, n, &mut d);
                    // An entity already declared (say, a parent company) that
                    // starts taking part in the hosting is a new subcontractor.
                    let (was, is) = (
                        old_involved.contains(id.as_str()),
                        new_involved.contains(id.as_str()),
                    );
                    if was != is {
                        d.details.push(Detail {
                            field: "subcontractor",
                            old: Some(was.to_string()),
                            new: Some(is.to_string()),
                            text: Tr::of(|l| {
                                if is {
                                    fr(
                                        l,
                                        "now takes part in the hosting (subcontractor)",
                                        "intervient désormais dans l'hébergement (sous-traitant)",
                                    )
                                } else {
                                    fr(
                                        l,
                                        "no longer takes part in the hosting",
                                        "n'intervient plus dans l'hébergement",
                                    )
                                }
                            }),
                        });
                    }
                    let became_sub = is && !was;
                    // A certificate can expire between two publications
                    // without any change in the file: a risk without details.
                    if !d.details.is_empty() || !d.risks.is_empty() {
                        let expired_only = d.details.is_empty();
                        let text = Tr::of(|l| {
                            let what = if became_sub {
                                fr(l, "New subcontractor:", "Nouveau sous-traitant :")
                            } else if expired_only {
                                fr(l, "Certificate expired:", "Certificat expiré :")
                            } else {
                                fr(l, "Entity changed:", "Entité modifiée :")
                            };
                            format!("{what} {}", n.legal_name)
                        });
                        self.push(Item::Entity, ChangeKind::Changed, &id, text, d, became_sub);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn certificates(&self, o: &publication::Entity, n: &publication::Entity, d: &mut Diffs) {
        let (old_on, new_on) = (self.old.as_of, self.new.as_of);
        let hds_old = o.hds.as_ref();
        let hds_new = n.hds.as_ref();
        let show_hds = |h: Option<&publication::HdsCertificate>, l: Lang| match h {
            Some(h) => format!(
                "{} {} {}",
                fr(l, "activities", "activités"),
                h.activities
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                format_args!("{} {}", fr(l, "until", "jusqu'au"), date(h.expires, l))
            ),
            None => fr(l, "none", "aucun"),
        };
        let key = |h: Option<&publication::HdsCertificate>| {
            h.map(|h| format!("{:?} {}", h.activities, h.expires))
        };
        if key(hds_old) != key(hds_new) {
            let text = Tr::of(|l| {
                format!(
                    "{}{}{} → {}",
                    fr(l, "HDS certificate", "certificat HDS"),
                    i18n::tr(l, "colon"),
                    show_hds(hds_old, l),
                    show_hds(hds_new, l)
                )
            });
            d.details.push(Detail {
                field: "hds",
                old: hds_old.map(|h| h.expires.to_string()),
                new: hds_new.map(|h| h.expires.to_string()),
                text,
            });
        }
        let was_valid = hds_old.is_some_and(|h| valid(Some(h.expires), old_on));
        match hds_new {
            None if hds_old.is_some() => d.risk(
                RiskKind::CertificateLost,
                Tr::of(|l| {
                    fr(
                        l,
                        "the HDS certificate is no longer declared",
                        "le certificat HDS n'est plus déclaré",
                    )
                }),
            ),
            Some(h) if was_valid && !valid(Some(h.expires), new_on) => d.risk(
                RiskKind::CertificateLost,
                Tr::of(|l| {
                    format!(
                        "{} {}",
                        fr(
                            l,
                            "the HDS certificate expired on",
                            "le certificat HDS a expiré le"
                        ),
                        date(h.expires, l)
                    )
                }),
            ),
            Some(h) => {
                if let Some(old) = hds_old {
                    let lost: Vec<u8> = old
                        .activities
                        .iter()
                        .copied()
                        .filter(|a| !h.activities.contains(a))
                        .collect();
                    if !lost.is_empty() {
                        d.risk(
                            RiskKind::CertificateLost,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(
                                        l,
                                        "the HDS certificate no longer covers activities",
                                        "le certificat HDS ne couvre plus les activités"
                                    ),
                                    lost.iter()
                                        .map(u8::to_string)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            }),
                        );
                    }
                }
            }
            None => {}
        }
        let snc = |s: Option<&publication::SecNumCloud>| {
            s.map(|s| {
                format!(
                    "{}{}",
                    s.version,
                    s.expires.map(|e| format!(" {e}")).unwrap_or_default()
                )
            })
        };
        d.field(
            "secnumcloud",
            lbl!("SecNumCloud qualification", "qualification SecNumCloud"),
            snc(o.secnumcloud.as_ref()),
            snc(n.secnumcloud.as_ref()),
            opt,
        );
        let snc_old = o
            .secnumcloud
            .as_ref()
            .is_some_and(|s| valid(s.expires, old_on));
        let snc_new = n
            .secnumcloud
            .as_ref()
            .is_some_and(|s| valid(s.expires, new_on));
        if snc_old && !snc_new {
            d.risk(
                RiskKind::CertificateLost,
                Tr::of(|l| {
                    fr(
                        l,
                        "the SecNumCloud qualification was lost or has expired",
                        "la qualification SecNumCloud a été perdue ou a expiré",
                    )
                }),
            );
        }
        if d.field(
            "dpf",
            lbl!(
                "listed under the Data Privacy Framework",
                "inscrite au Data Privacy Framework"
            ),
            Some(o.dpf.to_string()),
            Some(n.dpf.to_string()),
            |v, l| yes_no(v == Some("true"), l),
        ) && o.dpf
        {
            d.risk(
                RiskKind::CertificateLost,
                Tr::of(|l| {
                    fr(
                        l,
                        "no longer listed under the EU-US Data Privacy Framework",
                        "n'est plus inscrite au cadre de protection des données UE–États-Unis (DPF)",
                    )
                }),
            );
        }
        d.list(
            "adequacy_scopes",
            lbl!(
                "partial adequacy scopes satisfied",
                "champs d'adéquation partielle satisfaits"
            ),
            &o.adequacy_scopes,
            &n.adequacy_scopes,
            |s, _| s.to_string(),
        );
    }

    fn sites(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.sites, &new.sites, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(s)) => {
                    let mut d = Diffs::default();
                    if s.role.stores() && !self.is_eea(&s.country) {
                        d.risk(
                            RiskKind::StorageOutsideEea,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(
                                        l,
                                        "data stored outside the EEA:",
                                        "données stockées hors de l'EEE :"
                                    ),
                                    country(&s.country, l)
                                )
                            }),
                        );
                    }
                    let text = Tr::of(|l| {
                        let place = match &s.city {
                            Some(c) => format!("{c}, {}", country(&s.country, l)),
                            None => country(&s.country, l),
                        };
                        format!(
                            "{}{}{} — {place}, {} {}, {}",
                            fr(l, "New site", "Nouveau site"),
                            i18n::tr(l, "colon"),
                            s.name_or_id(),
                            fr(l, "operated by", "exploité par"),
                            self.name(&s.operator),
                            site_role(s.role, l)
                        )
                    });
                    self.push(Item::Site, ChangeKind::Added, &id, text, d, false);
                }
                (Some(s), None) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{} — {}",
                            fr(l, "Site removed", "Site retiré"),
                            i18n::tr(l, "colon"),
                            s.name_or_id(),
                            country(&s.country, l)
                        )
                    });
                    self.push(
                        Item::Site,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.field(
                        "name",
                        lbl!("name", "nom"),
                        Some(o.name.clone()),
                        Some(n.name.clone()),
                        opt,
                    );
                    d.field(
                        "country",
                        lbl!("country", "pays"),
                        Some(o.country.clone()),
                        Some(n.country.clone()),
                        |v, l| v.map(|c| country(c, l)).unwrap_or_default(),
                    );
                    d.field(
                        "city",
                        lbl!("city", "ville"),
                        o.city.clone(),
                        n.city.clone(),
                        opt,
                    );
                    d.field(
                        "operator",
                        lbl!("operated by", "exploité par"),
                        Some(o.operator.clone()),
                        Some(n.operator.clone()),
                        |v, _| v.map(|x| self.name(x)).unwrap_or_default(),
                    );
                    d.field(
                        "role",
                        lbl!("role", "rôle"),
                        Some(key_of(o.role)),
                        Some(key_of(n.role)),
                        |_, _| String::new(),
                    );
                    // Show the role in words rather than as a code.
                    if let Some(last) = d.details.last_mut()
                        && last.field == "role"
                    {
                        last.text = Tr::of(|l| {
                            format!(
                                "{}{}{} → {}",
                                fr(l, "role", "rôle"),
                                i18n::tr(l, "colon"),
                                site_role(o.role, l),
                                site_role(n.role, l)
                            )
                        });
                    }
                    d.list(
                        "ip_ranges",
                        lbl!("IP ranges", "plages d'adresses IP"),
                        &o.ip_ranges,
                        &n.ip_ranges,
                        |s, _| s.to_string(),
                    );
                    let stored_outside = |s: &publication::Site, eea: &dyn Fn(&str) -> bool| {
                        s.role.stores() && !eea(&s.country)
                    };
                    if stored_outside(n, &|c| self.is_eea(c))
                        && !stored_outside(o, &|c| self.was_eea(c))
                    {
                        d.risk(
                            RiskKind::StorageOutsideEea,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(
                                        l,
                                        "data now stored outside the EEA:",
                                        "données désormais stockées hors de l'EEE :"
                                    ),
                                    country(&n.country, l)
                                )
                            }),
                        );
                    }
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{} {}",
                                fr(l, "Site changed:", "Site modifié :"),
                                n.name_or_id()
                            )
                        });
                        self.push(Item::Site, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn services(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.services, &new.services, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(s)) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{}",
                            fr(l, "New service", "Nouveau service"),
                            i18n::tr(l, "colon"),
                            s.name_or_id()
                        )
                    });
                    self.push(
                        Item::Service,
                        ChangeKind::Added,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(s), None) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{}",
                            fr(l, "Service removed", "Service retiré"),
                            i18n::tr(l, "colon"),
                            s.name_or_id()
                        )
                    });
                    self.push(
                        Item::Service,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.field(
                        "name",
                        lbl!("name", "nom"),
                        Some(o.name.clone()),
                        Some(n.name.clone()),
                        opt,
                    );
                    let site_name = |id: &str| self.site_name(id);
                    d.list(
                        "sites",
                        lbl!("sites", "sites"),
                        &o.sites,
                        &n.sites,
                        |s, _| site_name(s),
                    );
                    let actors = |s: &publication::Service| {
                        s.actors
                            .iter()
                            .map(|a| a.entity.clone())
                            .collect::<Vec<_>>()
                    };
                    d.list(
                        "actors",
                        lbl!("actors", "acteurs"),
                        &actors(o),
                        &actors(n),
                        |s, _| self.name(s),
                    );
                    let storage = |s: &publication::Service| {
                        s.exi31
                            .as_ref()
                            .map(|x| x.storage_countries.clone())
                            .unwrap_or_default()
                    };
                    let (so, sn) = (storage(o), storage(n));
                    d.list(
                        "storage_countries",
                        lbl!("storage countries", "pays de stockage"),
                        &so,
                        &sn,
                        country,
                    );
                    let (added, _) = set_diff(&so, &sn);
                    for c in added.iter().filter(|c| !self.is_eea(c)) {
                        d.risk(
                            RiskKind::StorageOutsideEea,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(
                                        l,
                                        "data of the service now stored outside the EEA:",
                                        "données du service désormais stockées hors de l'EEE :"
                                    ),
                                    country(c, l)
                                )
                            }),
                        );
                    }
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{} {}",
                                fr(l, "Service changed:", "Service modifié :"),
                                n.name_or_id()
                            )
                        });
                        self.push(Item::Service, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn access_paths(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.access_paths, &new.access_paths, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(a)) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{} {}{}",
                            fr(l, "New remote access", "Nouvel accès à distance"),
                            i18n::tr(l, "colon"),
                            self.name(&a.team),
                            from_country(&a.country, l),
                            if a.purpose.is_empty() {
                                String::new()
                            } else {
                                format!(" — {}", a.purpose)
                            }
                        )
                    });
                    self.push(
                        Item::AccessPath,
                        ChangeKind::Added,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(a), None) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{} {}",
                            fr(l, "Remote access removed", "Accès à distance retiré"),
                            i18n::tr(l, "colon"),
                            self.old_name(&a.team),
                            from_country(&a.country, l)
                        )
                    });
                    self.push(
                        Item::AccessPath,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.field(
                        "team",
                        lbl!("team of", "équipe de"),
                        Some(o.team.clone()),
                        Some(n.team.clone()),
                        |v, _| v.map(|x| self.name(x)).unwrap_or_default(),
                    );
                    d.field(
                        "country",
                        lbl!("country", "pays"),
                        Some(o.country.clone()),
                        Some(n.country.clone()),
                        |v, l| v.map(|c| country(c, l)).unwrap_or_default(),
                    );
                    d.field(
                        "city",
                        lbl!("city", "ville"),
                        o.city.clone(),
                        n.city.clone(),
                        opt,
                    );
                    d.field(
                        "purpose",
                        lbl!("purpose", "finalité"),
                        Some(o.purpose.clone()),
                        Some(n.purpose.clone()),
                        opt,
                    );
                    let targets = |a: &publication::AccessPath| {
                        a.targets
                            .iter()
                            .map(|t| format!("{}:{}", t.kind, t.id))
                            .collect::<Vec<_>>()
                    };
                    d.list(
                        "targets",
                        lbl!("reaches", "atteint"),
                        &targets(o),
                        &targets(n),
                        |s, _| s.split_once(':').map(|x| x.1).unwrap_or(s).to_string(),
                    );
                    basis_fields(&mut d, o.basis.as_ref(), n.basis.as_ref());
                    data_field(&mut d, &o.data, &n.data);
                    d.field(
                        "systematic",
                        lbl!("regular access", "accès régulier"),
                        Some(o.systematic.to_string()),
                        Some(n.systematic.to_string()),
                        |v, l| yes_no(v == Some("true"), l),
                    );
                    safeguards(&mut d, &o.safeguards, &n.safeguards);
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{} {} {}",
                                fr(l, "Remote access changed:", "Accès à distance modifié :"),
                                self.name(&n.team),
                                from_country(&n.country, l)
                            )
                        });
                        self.push(Item::AccessPath, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn node(&self, n: &publication::Node) -> String {
        match n.kind.as_str() {
            "entity" => self.name(&n.id),
            "site" => self.site_name(&n.id),
            _ => n.id.clone(),
        }
    }

    fn flows(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.flows, &new.flows, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(f)) | (Some(f), None) => {
                    let added = o.is_none();
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{} → {} ({}, {})",
                            if added {
                                fr(l, "New data flow", "Nouveau flux de données")
                            } else {
                                fr(l, "Data flow removed", "Flux de données retiré")
                            },
                            i18n::tr(l, "colon"),
                            self.node(&f.from),
                            self.node(&f.to),
                            flow_kind(f.kind, l),
                            data_list(&f.data, l)
                        )
                    });
                    let kind = if added {
                        ChangeKind::Added
                    } else {
                        ChangeKind::Removed
                    };
                    self.push(Item::Flow, kind, &id, text, Diffs::default(), false);
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    let node_key = |x: &publication::Node| format!("{}:{}", x.kind, x.id);
                    d.field(
                        "from",
                        lbl!("from", "depuis"),
                        Some(node_key(&o.from)),
                        Some(node_key(&n.from)),
                        |_, _| String::new(),
                    );
                    if let Some(last) = d.details.last_mut()
                        && last.field == "from"
                    {
                        last.text = Tr::of(|l| {
                            format!(
                                "{}{}{} → {}",
                                fr(l, "from", "depuis"),
                                i18n::tr(l, "colon"),
                                self.node(&o.from),
                                self.node(&n.from)
                            )
                        });
                    }
                    d.field(
                        "to",
                        lbl!("to", "vers"),
                        Some(node_key(&o.to)),
                        Some(node_key(&n.to)),
                        |_, _| String::new(),
                    );
                    if let Some(last) = d.details.last_mut()
                        && last.field == "to"
                    {
                        last.text = Tr::of(|l| {
                            format!(
                                "{}{}{} → {}",
                                fr(l, "to", "vers"),
                                i18n::tr(l, "colon"),
                                self.node(&o.to),
                                self.node(&n.to)
                            )
                        });
                    }
                    if o.kind != n.kind {
                        d.details.push(Detail {
                            field: "kind",
                            old: Some(key_of(o.kind)),
                            new: Some(key_of(n.kind)),
                            text: Tr::of(|l| {
                                format!(
                                    "{}{}{} → {}",
                                    fr(l, "kind", "type"),
                                    i18n::tr(l, "colon"),
                                    flow_kind(o.kind, l),
                                    flow_kind(n.kind, l)
                                )
                            }),
                        });
                    }
                    data_field(&mut d, &o.data, &n.data);
                    d.list(
                        "services",
                        lbl!("services", "services"),
                        &o.services,
                        &n.services,
                        |s, _| s.to_string(),
                    );
                    basis_fields(&mut d, o.basis.as_ref(), n.basis.as_ref());
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{} {} → {}",
                                fr(l, "Data flow changed:", "Flux de données modifié :"),
                                self.node(&n.from),
                                self.node(&n.to)
                            )
                        });
                        self.push(Item::Flow, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn transfer_words(&self, t: &publication::Transfer, l: Lang) -> String {
        let who = self.name(&t.recipient);
        match t.kind {
            publication::TransferKind::RemoteAccess => format!(
                "{} {who} {}",
                fr(l, "remote access by", "accès à distance par"),
                from_country(&t.country, l)
            ),
            _ => format!(
                "{} {} {} {who} {}",
                fr(l, "data flow", "flux de données"),
                quoted(&t.source, l),
                fr(l, "to", "vers"),
                in_country(&t.country, l)
            ),
        }
    }

    fn transfers(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.transfers, &new.transfers, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(t)) => {
                    let mut d = Diffs::default();
                    d.risk(
                        RiskKind::NewTransfer,
                        Tr::of(|l| {
                            if t.health {
                                fr(
                                    l,
                                    "health data becomes reachable from outside the EEA",
                                    "des données de santé deviennent accessibles hors de l'EEE",
                                )
                            } else {
                                fr(
                                    l,
                                    "personal data becomes reachable from outside the EEA",
                                    "des données personnelles deviennent accessibles hors de l'EEE",
                                )
                            }
                        }),
                    );
                    if t.storage {
                        d.risk(
                            RiskKind::StorageOutsideEea,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(
                                        l,
                                        "a copy is kept outside the EEA:",
                                        "une copie est conservée hors de l'EEE :"
                                    ),
                                    country(&t.country, l)
                                )
                            }),
                        );
                    }
                    if t.basis_status == BasisStatus::Missing {
                        d.risk(
                            RiskKind::WeakerBasis,
                            Tr::of(|l| {
                                fr(
                                    l,
                                    "no valid legal basis frames it",
                                    "aucun fondement juridique valable ne l'encadre",
                                )
                            }),
                        );
                    }
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{} — {}",
                            fr(
                                l,
                                "New transfer outside the EEA",
                                "Nouveau transfert hors de l'EEE"
                            ),
                            i18n::tr(l, "colon"),
                            self.transfer_words(t, l),
                            basis_status(t.basis_status, l)
                        )
                    });
                    self.push(Item::Transfer, ChangeKind::Added, &id, text, d, false);
                }
                (Some(t), None) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{}",
                            fr(l, "Transfer ended", "Transfert supprimé"),
                            i18n::tr(l, "colon"),
                            self.transfer_words(t, l)
                        )
                    });
                    self.push(
                        Item::Transfer,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.field(
                        "country",
                        lbl!("country", "pays"),
                        Some(o.country.clone()),
                        Some(n.country.clone()),
                        |v, l| v.map(|c| country(c, l)).unwrap_or_default(),
                    );
                    d.field(
                        "recipient",
                        lbl!("recipient", "destinataire"),
                        Some(o.recipient.clone()),
                        Some(n.recipient.clone()),
                        |v, _| v.map(|x| self.name(x)).unwrap_or_default(),
                    );
                    data_field(&mut d, &o.data, &n.data);
                    if d.field(
                        "storage",
                        lbl!("keeps a copy", "conserve une copie"),
                        Some(o.storage.to_string()),
                        Some(n.storage.to_string()),
                        |v, l| yes_no(v == Some("true"), l),
                    ) && n.storage
                    {
                        d.risk(
                            RiskKind::StorageOutsideEea,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(
                                        l,
                                        "a copy is now kept outside the EEA:",
                                        "une copie est désormais conservée hors de l'EEE :"
                                    ),
                                    country(&n.country, l)
                                )
                            }),
                        );
                    }
                    if o.adequacy != n.adequacy {
                        d.details.push(Detail {
                            field: "adequacy",
                            old: Some(key_of(o.adequacy.status)),
                            new: Some(key_of(n.adequacy.status)),
                            text: Tr::of(|l| {
                                format!(
                                    "{}{}{} → {}",
                                    fr(l, "adequacy", "adéquation"),
                                    i18n::tr(l, "colon"),
                                    adequacy(&o.adequacy, l),
                                    adequacy(&n.adequacy, l)
                                )
                            }),
                        });
                    }
                    basis_fields(&mut d, o.basis.as_ref(), n.basis.as_ref());
                    if o.basis_status != n.basis_status {
                        d.details.push(Detail {
                            field: "basis_status",
                            old: Some(key_of(o.basis_status)),
                            new: Some(key_of(n.basis_status)),
                            text: Tr::of(|l| {
                                format!(
                                    "{}{}{} → {}",
                                    fr(l, "framed by", "encadré par"),
                                    i18n::tr(l, "colon"),
                                    basis_status(o.basis_status, l),
                                    basis_status(n.basis_status, l)
                                )
                            }),
                        });
                        if n.basis_status > o.basis_status {
                            d.risk(
                                RiskKind::WeakerBasis,
                                Tr::of(|l| {
                                    format!(
                                        "{}{}{} → {}",
                                        fr(
                                            l,
                                            "weaker legal basis",
                                            "fondement juridique plus faible"
                                        ),
                                        i18n::tr(l, "colon"),
                                        basis_status(o.basis_status, l),
                                        basis_status(n.basis_status, l)
                                    )
                                }),
                            );
                        }
                    }
                    safeguards(&mut d, &o.safeguards, &n.safeguards);
                    measures_field(&mut d, self, &o.measures, &n.measures);
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{}{}{}",
                                fr(l, "Transfer changed", "Transfert modifié"),
                                i18n::tr(l, "colon"),
                                self.transfer_words(n, l)
                            )
                        });
                        self.push(Item::Transfer, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn law_name(&self, id: &str, l: Lang) -> String {
        self.new
            .law(id)
            .or_else(|| self.old.law(id))
            .map(|x| x.name_in(l.is_fr()).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn exposures(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.exposures, &new.exposures, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(x)) => {
                    let mut d = Diffs::default();
                    d.risk(
                        RiskKind::NewExposure,
                        Tr::of(|l| {
                            format!(
                                "{} {}",
                                fr(
                                    l,
                                    "a new foreign law can reach the data:",
                                    "un nouveau droit étranger peut atteindre les données :"
                                ),
                                country(&x.country, l)
                            )
                        }),
                    );
                    let text = Tr::of(|l| self.exposure_sentence(x, l, true));
                    self.push(Item::Exposure, ChangeKind::Added, &id, text, d, true);
                }
                (Some(x), None) => {
                    let text = Tr::of(|l| self.exposure_sentence(x, l, false));
                    self.push(
                        Item::Exposure,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.list("laws", lbl!("laws", "lois"), &o.laws, &n.laws, |s, l| {
                        self.law_name(s, l)
                    });
                    let (added, _) = set_diff(&o.laws, &n.laws);
                    for law in added {
                        d.risk(
                            RiskKind::NewLaw,
                            Tr::of(|l| {
                                format!(
                                    "{}{}{}",
                                    fr(
                                        l,
                                        "a new law reaches the data",
                                        "une nouvelle loi atteint les données"
                                    ),
                                    i18n::tr(l, "colon"),
                                    self.law_name(law, l)
                                )
                            }),
                        );
                    }
                    if o.adequacy != n.adequacy {
                        d.details.push(Detail {
                            field: "adequacy",
                            old: Some(key_of(o.adequacy.status)),
                            new: Some(key_of(n.adequacy.status)),
                            text: Tr::of(|l| {
                                format!(
                                    "{}{}{} → {}",
                                    fr(l, "adequacy", "adéquation"),
                                    i18n::tr(l, "colon"),
                                    adequacy(&o.adequacy, l),
                                    adequacy(&n.adequacy, l)
                                )
                            }),
                        });
                    }
                    d.list(
                        "chain",
                        lbl!("through", "par l'intermédiaire de"),
                        &o.chain,
                        &n.chain,
                        |s, _| self.name(s),
                    );
                    d.list(
                        "services",
                        lbl!("services", "services"),
                        &o.services,
                        &n.services,
                        |s, _| s.to_string(),
                    );
                    measures_field(&mut d, self, &o.measures, &n.measures);
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{}{}{} — {}",
                                fr(l, "Exposure changed", "Exposition modifiée"),
                                i18n::tr(l, "colon"),
                                self.name(&n.entity),
                                country(&n.country, l)
                            )
                        });
                        self.push(Item::Exposure, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn exposure_sentence(&self, x: &publication::Exposure, l: Lang, added: bool) -> String {
        let head = if added {
            fr(
                l,
                "New exposure to foreign law",
                "Nouvelle exposition à un droit étranger",
            )
        } else {
            fr(l, "Exposure ended", "Exposition supprimée")
        };
        let mut s = format!(
            "{head}{}{} {} {}",
            i18n::tr(l, "colon"),
            self.name(&x.entity),
            fr(l, "is subject to the law of", "est soumise au droit de :"),
            country(&x.country, l)
        );
        if !x.through.is_empty() && x.through != x.entity {
            s.push_str(&format!(
                " {} {}",
                fr(l, "through", "par l'intermédiaire de"),
                self.name(&x.through)
            ));
        }
        if !x.laws.is_empty() {
            s.push_str(&format!(
                " ({})",
                x.laws
                    .iter()
                    .map(|law| self.law_name(law, l))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        s
    }

    fn measures(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, o, n) in pair(&old.measures, &new.measures, |s| s.id.clone()) {
            match (o, n) {
                (None, Some(m)) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{}",
                            fr(l, "New measure", "Nouvelle mesure"),
                            i18n::tr(l, "colon"),
                            m.name_or_id()
                        )
                    });
                    self.push(
                        Item::Measure,
                        ChangeKind::Added,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(m), None) => {
                    let mut d = Diffs::default();
                    d.risk(
                        RiskKind::MeasureRemoved,
                        Tr::of(|l| {
                            fr(
                                l,
                                "a mitigation measure no longer applies",
                                "une mesure d'atténuation ne s'applique plus",
                            )
                        }),
                    );
                    let text = Tr::of(|l| {
                        format!(
                            "{}{}{}",
                            fr(l, "Measure removed", "Mesure retirée"),
                            i18n::tr(l, "colon"),
                            m.name_or_id()
                        )
                    });
                    self.push(Item::Measure, ChangeKind::Removed, &id, text, d, false);
                }
                (Some(o), Some(n)) => {
                    let mut d = Diffs::default();
                    d.field(
                        "title",
                        lbl!("title", "titre"),
                        Some(o.title.clone()),
                        Some(n.title.clone()),
                        opt,
                    );
                    let targets = |m: &publication::Measure| {
                        m.mitigates
                            .iter()
                            .map(|t| format!("{}:{}", t.kind, t.id))
                            .collect::<Vec<_>>()
                    };
                    let removed = d.list(
                        "mitigates",
                        lbl!("mitigates", "atténue"),
                        &targets(o),
                        &targets(n),
                        |s, _| s.split_once(':').map(|x| x.1).unwrap_or(s).to_string(),
                    );
                    if !removed.is_empty() {
                        d.risk(
                            RiskKind::MeasureRemoved,
                            Tr::of(|l| {
                                format!(
                                    "{} {}",
                                    fr(l, "no longer mitigates", "n'atténue plus"),
                                    removed
                                        .iter()
                                        .map(|s| s.split_once(':').map(|x| x.1).unwrap_or(s))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            }),
                        );
                    }
                    let level = |m: &publication::Measure, l: Lang| {
                        m.residual_level
                            .and_then(|r| r.model())
                            .map(|r| i18n::risk_level(r, l).to_string())
                            .unwrap_or_else(|| opt(None, l))
                    };
                    if o.residual_level != n.residual_level {
                        d.details.push(Detail {
                            field: "residual_level",
                            old: o.residual_level.map(key_of),
                            new: n.residual_level.map(key_of),
                            text: Tr::of(|l| {
                                format!(
                                    "{}{}{} → {}",
                                    fr(l, "residual risk", "risque résiduel"),
                                    i18n::tr(l, "colon"),
                                    level(o, l),
                                    level(n, l)
                                )
                            }),
                        });
                    }
                    if !d.details.is_empty() {
                        let text = Tr::of(|l| {
                            format!(
                                "{}{}{}",
                                fr(l, "Measure changed", "Mesure modifiée"),
                                i18n::tr(l, "colon"),
                                n.name_or_id()
                            )
                        });
                        self.push(Item::Measure, ChangeKind::Changed, &id, text, d, false);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn findings(&mut self) {
        let (old, new) = (self.old, self.new);
        let key = |f: &publication::Finding| {
            let mut k = format!("{}:{}:{}", f.code, f.subject.kind, f.subject.id);
            if !f.countries.is_empty() {
                k.push(':');
                k.push_str(&f.countries.join(","));
            }
            k
        };
        for (id, o, n) in pair(&old.findings, &new.findings, key) {
            match (o, n) {
                (None, Some(f)) => {
                    let mut d = Diffs::default();
                    if f.severity >= Severity::Warning {
                        d.risk(
                            RiskKind::NewProblem,
                            Tr::of(|l| {
                                format!(
                                    "{} ({})",
                                    fr(l, "a new problem", "un nouveau problème"),
                                    severity(f.severity, l)
                                )
                            }),
                        );
                    }
                    let text = Tr::of(|l| {
                        format!(
                            "{} ({}, {}){}{}",
                            fr(l, "New finding", "Nouveau constat"),
                            severity(f.severity, l),
                            f.code,
                            i18n::tr(l, "colon"),
                            f.message(l.is_fr())
                        )
                    });
                    self.push(Item::Finding, ChangeKind::Added, &id, text, d, false);
                }
                (Some(f), None) => {
                    let text = Tr::of(|l| {
                        format!(
                            "{} ({}, {}){}{}",
                            fr(l, "Finding resolved", "Constat levé"),
                            severity(f.severity, l),
                            f.code,
                            i18n::tr(l, "colon"),
                            f.message(l.is_fr())
                        )
                    });
                    self.push(
                        Item::Finding,
                        ChangeKind::Removed,
                        &id,
                        text,
                        Diffs::default(),
                        false,
                    );
                }
                (Some(o), Some(n)) => {
                    if o.severity == n.severity {
                        continue;
                    }
                    let mut d = Diffs::default();
                    d.details.push(Detail {
                        field: "severity",
                        old: Some(key_of(o.severity)),
                        new: Some(key_of(n.severity)),
                        text: Tr::of(|l| {
                            format!(
                                "{}{}{} → {}",
                                fr(l, "severity", "gravité"),
                                i18n::tr(l, "colon"),
                                severity(o.severity, l),
                                severity(n.severity, l)
                            )
                        }),
                    });
                    if n.severity > o.severity && n.severity >= Severity::Warning {
                        d.risk(
                            RiskKind::NewProblem,
                            Tr::of(|l| {
                                fr(l, "the finding got more severe", "le constat s'est aggravé")
                            }),
                        );
                    }
                    let text = Tr::of(|l| {
                        format!(
                            "{} ({}){}{}",
                            fr(l, "Finding changed", "Constat modifié"),
                            n.code,
                            i18n::tr(l, "colon"),
                            n.message(l.is_fr())
                        )
                    });
                    self.push(Item::Finding, ChangeKind::Changed, &id, text, d, false);
                }
                (None, None) => {}
            }
        }
    }
}

/// The JSON spelling of a value (`kebab-case` code).
fn key_of<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn basis_fields(d: &mut Diffs, o: Option<&publication::Basis>, n: Option<&publication::Basis>) {
    if o == n {
        return;
    }
    d.details.push(Detail {
        field: "basis",
        old: o.map(|b| b.key()),
        new: n.map(|b| b.key()),
        text: Tr::of(|l| {
            format!(
                "{}{}{} → {}",
                fr(l, "declared basis", "fondement déclaré"),
                i18n::tr(l, "colon"),
                basis(o, l),
                basis(n, l)
            )
        }),
    });
}

fn data_field(d: &mut Diffs, o: &[publication::DataCategory], n: &[publication::DataCategory]) {
    if o == n {
        return;
    }
    let keys = |v: &[publication::DataCategory]| v.iter().map(|c| key_of(*c)).collect::<Vec<_>>();
    d.details.push(Detail {
        field: "data",
        old: Some(join(&keys(o))),
        new: Some(join(&keys(n))),
        text: Tr::of(|l| {
            format!(
                "{}{}{} → {}",
                fr(l, "data", "données"),
                i18n::tr(l, "colon"),
                data_list(o, l),
                data_list(n, l)
            )
        }),
    });
}

fn safeguards(d: &mut Diffs, o: &[String], n: &[String]) {
    let removed = d.list("safeguards", lbl!("safeguards", "garanties"), o, n, quoted);
    if !removed.is_empty() {
        d.risk(
            RiskKind::MeasureRemoved,
            Tr::of(|l| {
                format!(
                    "{}{}{}",
                    fr(
                        l,
                        "safeguards no longer declared",
                        "garanties qui ne sont plus déclarées"
                    ),
                    i18n::tr(l, "colon"),
                    removed
                        .iter()
                        .map(|s| quoted(s, l))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        );
    }
}

fn measures_field(d: &mut Diffs, b: &Builder<'_>, o: &[String], n: &[String]) {
    let title = |id: &str| {
        b.new
            .measures
            .iter()
            .chain(&b.old.measures)
            .find(|m| m.id == id)
            .map(|m| m.name_or_id())
            .unwrap_or_else(|| id.to_string())
    };
    let removed = d.list("measures", lbl!("measures", "mesures"), o, n, |s, _| {
        title(s)
    });
    if !removed.is_empty() {
        d.risk(
            RiskKind::MeasureRemoved,
            Tr::of(|l| {
                format!(
                    "{}{}{}",
                    fr(l, "no longer mitigated by", "n'est plus atténué par"),
                    i18n::tr(l, "colon"),
                    removed
                        .iter()
                        .map(|s| title(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publication::{BasisStatus, Publication, Severity, SiteRole};
    use std::path::Path;
    use std::sync::OnceLock;

    fn example() -> Publication {
        static P: OnceLock<Publication> = OnceLock::new();
        P.get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let (c, _) = crate::check_project(root, None).unwrap_or_else(|_| panic!("checks"));
            let text = crate::publication::write::transfers_json(&c);
            crate::publication::parse(Path::new("transfers.json"), &text)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .clone()
    }

    fn kinds(c: &Change) -> Vec<RiskKind> {
        c.risks.iter().map(|r| r.kind).collect()
    }

    fn find<'a>(l: &'a ChangeList, item: Item, id: &str) -> &'a Change {
        l.changes
            .iter()
            .find(|c| c.item == item && c.id == id)
            .unwrap_or_else(|| panic!("no {item:?} {id} in {:#?}", l.changes))
    }

    #[test]
    fn identical_publications_have_no_change() {
        let p = example();
        let l = compare(&p, &p);
        assert!(l.is_empty());
        assert!(!l.riskier());
        assert_eq!(l.summary(Lang::En), "no change");
        assert_eq!(l.summary(Lang::Fr), "aucun changement");
        assert!(!l.different_providers);
    }

    #[test]
    fn lost_and_expired_certificates_are_riskier() {
        let old = example();
        let mut new = old.clone();
        let i = new.entities.iter().position(|e| e.id == "alsace-dc");
        let i = i.unwrap_or_else(|| panic!("alsace-dc"));
        new.entities[i].hds = None;
        let l = compare(&old, &new);
        let c = find(&l, Item::Entity, "alsace-dc");
        assert_eq!(c.change, ChangeKind::Changed);
        assert_eq!(kinds(c), [RiskKind::CertificateLost]);
        assert_eq!(c.details[0].field, "hds");
        assert_eq!(c.details[0].new, None);

        // Same certificate, but the new publication is dated after its expiry.
        let mut new = old.clone();
        let expires = new.entities[i].hds.as_ref().map(|h| h.expires);
        let expires = expires.unwrap_or_else(|| panic!("certificate"));
        new.as_of = expires.tomorrow().unwrap_or(expires);
        let l = compare(&old, &new);
        let c = find(&l, Item::Entity, "alsace-dc");
        assert_eq!(kinds(c), [RiskKind::CertificateLost]);
        assert!(c.risks[0].text.en.contains("expired on 9 December 2027"));
        assert!(c.details.is_empty(), "nothing in the file changed");

        // Losing the DPF listing is losing a certification.
        let mut new = old.clone();
        let j = new.entities.iter().position(|e| e.dpf);
        new.entities[j.unwrap_or_else(|| panic!("a dpf entity"))].dpf = false;
        let l = compare(&old, &new);
        assert!(
            l.changes
                .iter()
                .any(|c| kinds(c) == [RiskKind::CertificateLost])
        );
    }

    #[test]
    fn removed_measures_and_safeguards_are_riskier() {
        let old = example();
        let mut new = old.clone();
        let gone = new.measures.remove(0).id;
        for t in &mut new.transfers {
            t.measures.retain(|m| *m != gone);
        }
        for x in &mut new.exposures {
            x.measures.retain(|m| *m != gone);
        }
        new.access_paths[0].safeguards.pop();
        let l = compare(&old, &new);
        let m = find(&l, Item::Measure, &gone);
        assert_eq!(m.change, ChangeKind::Removed);
        assert_eq!(kinds(m), [RiskKind::MeasureRemoved]);
        let mitigated: Vec<&Change> = l
            .changes
            .iter()
            .filter(|c| matches!(c.item, Item::Transfer | Item::Exposure))
            .collect();
        assert!(!mitigated.is_empty());
        assert!(
            mitigated
                .iter()
                .all(|c| kinds(c) == [RiskKind::MeasureRemoved])
        );
        let a = find(&l, Item::AccessPath, &old.access_paths[0].id);
        assert_eq!(kinds(a), [RiskKind::MeasureRemoved]);
        // Adding the measure back is not riskier.
        assert!(!compare(&new, &old).riskier());
    }

    #[test]
    fn a_weaker_basis_is_riskier_and_a_stronger_one_is_not() {
        let old = example();
        let mut new = old.clone();
        assert_eq!(new.transfers[0].basis_status, BasisStatus::Adequacy);
        new.transfers[0].basis_status = BasisStatus::Derogation;
        let l = compare(&old, &new);
        let c = find(&l, Item::Transfer, &old.transfers[0].id);
        assert_eq!(kinds(c), [RiskKind::WeakerBasis]);
        assert!(
            c.risks[0]
                .text
                .en
                .contains("adequacy decision (GDPR Art. 45) → derogation (GDPR Art. 49)")
        );
        let back = compare(&new, &old);
        let c = find(&back, Item::Transfer, &old.transfers[0].id);
        assert!(c.risks.is_empty());
        assert_eq!(c.details[0].field, "basis_status");
    }

    #[test]
    fn new_laws_exposures_countries_and_storage_outside_the_eea_are_riskier() {
        let old = example();
        let mut new = old.clone();
        new.exposures[0].laws.push("US-CLOUD-ACT".into());
        let i = new.sites.iter().position(|s| s.role == SiteRole::Office);
        let i = i.unwrap_or_else(|| panic!("an office"));
        new.sites[i].role = SiteRole::Backup;
        new.sites[i].country = "SG".into();
        let mut x = new.exposures[0].clone();
        x.id = "exposure:rheinwerk:CN".into();
        x.entity = "rheinwerk".into();
        x.country = "CN".into();
        new.exposures.push(x);
        new.provider.publication_date = jiff::civil::Date::new(2027, 1, 10).ok();
        new.provider.notice_days = 60;
        let l = compare(&old, &new);

        let e = find(&l, Item::Exposure, &old.exposures[0].id);
        assert_eq!(kinds(e), [RiskKind::NewLaw]);
        let s = find(&l, Item::Site, &old.sites[i].id);
        assert_eq!(kinds(s), [RiskKind::StorageOutsideEea]);
        let sg = find(&l, Item::Country, "SG");
        assert_eq!(kinds(sg), [RiskKind::NewNonEeaCountry]);
        assert!(sg.notice);
        let cn = find(&l, Item::Exposure, "exposure:rheinwerk:CN");
        assert_eq!(kinds(cn), [RiskKind::NewExposure]);
        // Effective 60 days after 10 January 2027.
        let due = jiff::civil::Date::new(2027, 3, 11).ok();
        assert_eq!(cn.effective, due);
        assert_eq!(sg.effective, due);
        assert_eq!(s.effective, None, "a changed site is not under notice");
        assert_eq!(l.counts.under_notice, 3, "SG, CN and the new exposure");
    }

    /// A publication is judged with the reference data of its own date: a
    /// storage site in London added to a 2020 publication was inside the
    /// EEA then (it was judged with today's list).
    #[test]
    fn a_2020_publication_with_a_london_site_is_inside_the_eea() {
        let mut old = example();
        let d2020 = jiff::civil::Date::new(2020, 6, 1).unwrap_or_else(|e| panic!("{e}"));
        old.as_of = d2020;
        let mut new = old.clone();
        let mut london = new.sites[0].clone();
        london.id = "london-dc".into();
        london.country = "GB".into();
        london.role = SiteRole::Primary;
        new.sites.push(london);
        let l = compare(&old, &new);
        let site = find(&l, Item::Site, "london-dc");
        assert_eq!(kinds(site), [], "London was inside the EEA on 2020-06-01");
        let gb = find(&l, Item::Country, "GB");
        assert_eq!(kinds(gb), [], "not a new non-EEA country in 2020");
        // The same change published in 2026 stores data outside the EEA.
        old.as_of = jiff::civil::Date::new(2026, 6, 1).unwrap_or_else(|e| panic!("{e}"));
        new.as_of = old.as_of;
        let l = compare(&old, &new);
        let site = find(&l, Item::Site, "london-dc");
        assert_eq!(kinds(site), [RiskKind::StorageOutsideEea]);
        assert_eq!(
            kinds(find(&l, Item::Country, "GB")),
            [RiskKind::NewNonEeaCountry]
        );
    }

    #[test]
    fn new_problems_are_riskier_but_new_notices_are_not() {
        let old = example();
        let mut new = old.clone();
        let mut warn = new.findings[0].clone();
        warn.code = "HDS-CERT-EXPIRING".into();
        warn.severity = Severity::Warning;
        let mut notice = new.findings[0].clone();
        notice.code = "SOMETHING-TO-DISCLOSE".into();
        notice.severity = Severity::Notice;
        new.findings[0].severity = Severity::Error;
        new.findings.push(warn);
        new.findings.push(notice);
        let l = compare(&old, &new);
        let found: Vec<(&str, ChangeKind, Vec<RiskKind>)> = l
            .changes
            .iter()
            .filter(|c| c.item == Item::Finding)
            .map(|c| (c.id.split(':').next().unwrap_or(""), c.change, kinds(c)))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "HDS-CERT-EXPIRING",
                    ChangeKind::Added,
                    vec![RiskKind::NewProblem]
                ),
                ("SOMETHING-TO-DISCLOSE", ChangeKind::Added, vec![]),
                (
                    old.findings[0].code.as_str(),
                    ChangeKind::Changed,
                    vec![RiskKind::NewProblem]
                ),
            ]
        );
    }

    #[test]
    fn subcontractors_are_told_from_parent_companies() {
        let old = example();
        let mut new = old.clone();
        let mut parent = new.entities[0].clone();
        parent.id = "holding".into();
        parent.legal_name = "Holding SA".into();
        parent.hds = None;
        new.entities.push(parent);
        let mut sub = new.entities[0].clone();
        sub.id = "newsub".into();
        sub.legal_name = "New Sub SAS".into();
        sub.parent = Some("holding".into());
        new.entities.push(sub);
        new.sites[0].operator = "newsub".into();
        let l = compare(&old, &new);
        let h = find(&l, Item::Entity, "holding");
        assert!(!h.notice);
        assert!(h.text.en.starts_with("New entity: Holding SA"));
        let s = find(&l, Item::Entity, "newsub");
        assert!(s.notice);
        // A declared parent that starts operating a site becomes a subcontractor.
        let mut later = new.clone();
        later.sites[1].operator = "holding".into();
        let l2 = compare(&new, &later);
        let h2 = find(&l2, Item::Entity, "holding");
        assert_eq!(h2.change, ChangeKind::Changed);
        assert!(h2.notice && h2.effective.is_some());
        assert_eq!(h2.text.en, "New subcontractor: Holding SA");
        assert_eq!(h2.details[0].field, "subcontractor");
        assert_eq!(
            s.text.en,
            "New subcontractor: New Sub SAS, France (FR), controlled by Holding SA"
        );
        assert_eq!(
            s.text.fr,
            "Nouveau sous-traitant : New Sub SAS, France (FR), contrôlée par Holding SA"
        );
    }

    #[test]
    fn a_shorter_notice_and_a_lenient_reading_are_riskier() {
        let old = example();
        let mut new = old.clone();
        new.provider.notice_days = 15;
        if let Some(p) = new.policy.as_mut() {
            p.partial_adequacy_is_exposure = false;
        }
        let l = compare(&old, &new);
        let c = find(&l, Item::Provider, &old.provider.host);
        assert_eq!(
            kinds(c),
            [RiskKind::ShorterNotice, RiskKind::FewerDisclosed]
        );
        assert_eq!(c.details[0].text.en, "notice period (days): 30 → 15");
        assert!(!compare(&new, &old).riskier());
    }

    #[test]
    fn changes_are_listed_in_a_fixed_order() {
        let old = example();
        let mut new = old.clone();
        new.sites.reverse();
        new.sites[0].city = Some("Ailleurs".into());
        new.sites[1].city = Some("Autre part".into());
        new.entities.pop();
        new.measures.pop();
        let l = compare(&old, &new);
        let keys: Vec<(Item, ChangeKind, String)> = l
            .changes
            .iter()
            .map(|c| (c.item, c.change, c.id.clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(compare(&old, &new), l, "deterministic");
    }
}
