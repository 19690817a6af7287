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
//!
//! Three steps, one module each: `facts` says what changed, as plain data
//! (items added, removed, changed, and which fields); `rules` judges each
//! fact with a table of rules, one per [`RiskKind`], and says which changes
//! are under notice; `words` says the change, its fields and its risks in
//! French and English, from the string table of [`crate::i18n`].

mod facts;
mod rules;
mod words;

use jiff::civil::Date;
use serde::Serialize;

use crate::i18n::{self, Lang};
use crate::publication::Publication;
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
        words::heading(self, lang)
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
    words::summary_line(c, lang)
}

/// Publication date of `new` + its notice period.
pub fn effective_date(new: &Publication) -> Date {
    let d = new.date();
    d.checked_add(jiff::Span::new().days(i64::from(new.provider.notice_days)))
        .unwrap_or(d)
}

/// Compare two publications: the facts (what changed), judged by
/// the rules (what is riskier, what is under notice), said in
/// words.
pub fn compare(old: &Publication, new: &Publication) -> ChangeList {
    let cx = rules::Context {
        old,
        new,
        old_reference: Reference::embedded().on(old.as_of),
        new_reference: Reference::embedded().on(new.as_of),
    };
    let names = words::Names::of(old, new);
    let mut changes = Vec::new();
    for fact in facts::facts(old, new) {
        let mut risks: Vec<Risk> = Vec::new();
        for rule in &rules::RULES {
            for reason in (rule.reasons)(&fact, &cx) {
                let text = Tr::of(|l| words::reason(&reason, &names, l));
                if !risks.iter().any(|r| r.kind == rule.kind && r.text == text) {
                    risks.push(Risk {
                        kind: rule.kind,
                        text,
                    });
                }
            }
        }
        // A changed item is listed when a field changed; an entity also when
        // only a certificate expired in the meantime (a risk, no field).
        let listed = match fact.change {
            ChangeKind::Changed => {
                !fact.fields.is_empty() || (fact.item == Item::Entity && !risks.is_empty())
            }
            ChangeKind::Added | ChangeKind::Removed => true,
        };
        if !listed {
            continue;
        }
        let notice = rules::under_notice(&fact);
        let expired_only = fact.fields.is_empty();
        changes.push(Change {
            item: fact.item,
            change: fact.change,
            text: Tr::of(|l| words::sentence(&fact, &names, l, expired_only)),
            details: fact
                .fields
                .iter()
                .map(|f| Detail {
                    field: f.name,
                    old: f.old.clone(),
                    new: f.new.clone(),
                    text: Tr::of(|l| words::detail(f, &names, l)),
                })
                .collect(),
            risks,
            notice,
            effective: notice.then(|| effective_date(new)),
            id: fact.id,
        });
    }
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

    /// The French text is the reference: a new translation alone is no
    /// change; a changed text is told in English with its English versions.
    #[test]
    fn translations_are_told_in_english_and_alone_are_no_change() {
        let old = example();
        let mut new = old.clone();
        new.access_paths[0].purpose_en = Some("Another translation".into());
        assert!(compare(&old, &new).changes.is_empty(), "translation only");
        new.access_paths[0].purpose = "Nouvelle finalité".into();
        new.access_paths[0].purpose_en = Some("New purpose".into());
        let id = new.access_paths[0].id.clone();
        let l = compare(&old, &new);
        let c = find(&l, Item::AccessPath, &id);
        let detail = |lang| {
            c.details
                .iter()
                .map(|d| d.text.get(lang))
                .collect::<String>()
        };
        let (en, fr) = (detail(crate::i18n::Lang::En), detail(crate::i18n::Lang::Fr));
        assert!(
            en.contains("→ New purpose") && !en.contains("Nouvelle"),
            "{en}"
        );
        assert!(
            fr.contains("→ Nouvelle finalité") && !fr.contains("New purpose"),
            "{fr}"
        );
        // Without an English version the text is printed as written.
        new.access_paths[0].purpose_en = None;
        let l = compare(&old, &new);
        let c = find(&l, Item::AccessPath, &id);
        assert!(
            c.details[0]
                .text
                .get(crate::i18n::Lang::En)
                .contains("→ Nouvelle finalité")
        );
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
