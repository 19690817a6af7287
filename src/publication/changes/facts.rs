//! What changed, as plain data: which items were added, removed or changed
//! between two publications and, for a changed item, which fields with their
//! old and new values. No judgement here ([`super::rules`] decides what is
//! riskier) and no words ([`super::words`] says it in French and English).
//!
//! Items are matched on their id; findings, which have none, on their code,
//! subject and countries. Fields are listed in a fixed order per item.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{ChangeKind, Item};
use crate::publication::{self as p, Publication};

/// An item in the old publication, the new one, or both.
pub(super) type Pair<'a, T> = (Option<&'a T>, Option<&'a T>);

/// One item that changed.
pub(super) struct Fact<'a> {
    pub item: Item,
    pub change: ChangeKind,
    /// Id of the item (for findings: `code:kind:id`, for countries: the code).
    pub id: String,
    pub what: What<'a>,
    /// For a changed item: the fields that changed, in a fixed order.
    pub fields: Vec<Field<'a>>,
}

/// The item itself, on each side.
pub(super) enum What<'a> {
    Provider(&'a p::Provider),
    Country {
        code: String,
        /// Where the country appears in the new publication.
        places: Vec<Place>,
    },
    Entity {
        pair: Pair<'a, p::Entity>,
        /// Took part in the hosting (a subcontractor) in the old / new publication.
        was_sub: bool,
        is_sub: bool,
    },
    Site(Pair<'a, p::Site>),
    Service(Pair<'a, p::Service>),
    Access(Pair<'a, p::AccessPath>),
    Flow(Pair<'a, p::Flow>),
    Transfer(Pair<'a, p::Transfer>),
    Exposure(Pair<'a, p::Exposure>),
    Measure(Pair<'a, p::Measure>),
    Finding(Pair<'a, p::Finding>),
}

/// Where a country appears in a publication (with the name of what is there).
#[derive(Clone)]
pub(super) enum Place {
    Site(String),
    Access(String),
    Entity(String),
    Law(String),
    Transfer(String),
}

/// One field of a changed item. `old`/`new` are the raw values as in
/// `transfers.json` (codes, ids); `delta` the typed values.
pub(super) struct Field<'a> {
    pub name: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
    pub delta: Delta<'a>,
}

pub(super) enum Delta<'a> {
    /// A value replaced by another.
    Scalar(Val<'a>, Val<'a>),
    /// Elements added to and removed from a list, each sorted.
    List {
        added: Vec<Val<'a>>,
        removed: Vec<Val<'a>>,
    },
    /// An entity starts (`true`) or stops taking part in the hosting.
    Hosting(bool),
}

impl Field<'_> {
    /// The elements removed from a list field, as raw values.
    pub fn removed(&self) -> Vec<&str> {
        match &self.delta {
            Delta::List { removed, .. } => removed.iter().filter_map(Val::raw).collect(),
            _ => Vec::new(),
        }
    }

    /// The elements added to a list field, as raw values.
    pub fn added(&self) -> Vec<&str> {
        match &self.delta {
            Delta::List { added, .. } => added.iter().filter_map(Val::raw).collect(),
            _ => Vec::new(),
        }
    }
}

/// A value of a field, typed so that the words can say it.
pub(super) enum Val<'a> {
    /// A text, "none" when absent or empty.
    Text(Option<String>),
    /// A text shown as it is.
    Plain(String),
    Country(String),
    /// An entity id, shown by its legal name.
    Entity(String),
    /// The parent company's id, "nobody" when absent.
    Parent(Option<String>),
    /// A share in percent.
    Share(Option<String>),
    YesNo(bool),
    Role(p::SiteRole),
    FlowKind(p::FlowKind),
    Node(&'a p::Node),
    Data(&'a [p::DataCategory]),
    Basis(Option<&'a p::Basis>),
    BasisStatus(p::BasisStatus),
    Adequacy(&'a p::Adequacy),
    Severity(p::Severity),
    Level(Option<p::RiskLevel>),
    Hds(Option<&'a p::HdsCertificate>),
    /// The provider's reading of partial adequacy.
    Reading(Option<bool>),
    /// A site id, shown by its name.
    Site(String),
    /// A `kind:id` target, shown by its id.
    Target(String),
    /// A safeguard, in quotes.
    Quoted(String),
    /// The provider's own text (a description, a purpose, a title) and its
    /// English version if the publication gives one; "none" when absent.
    Own(Option<String>, Option<String>),
    /// A measure id, shown by its title.
    Measure(String),
    /// A law id, shown by its name.
    Law(String),
}

impl Val<'_> {
    /// The raw value of an element of a list.
    fn raw(&self) -> Option<&str> {
        match self {
            Val::Plain(s)
            | Val::Country(s)
            | Val::Entity(s)
            | Val::Site(s)
            | Val::Target(s)
            | Val::Quoted(s)
            | Val::Measure(s)
            | Val::Law(s) => Some(s),
            _ => None,
        }
    }
}

/// The fields of one item that changed, in the order they are compared.
#[derive(Default)]
struct Fields<'a>(Vec<Field<'a>>);

impl<'a> Fields<'a> {
    /// A field recorded when `differs`.
    fn when(
        &mut self,
        differs: bool,
        name: &'static str,
        (old, new): (Option<String>, Option<String>),
        (o, n): (Val<'a>, Val<'a>),
    ) {
        if differs {
            self.0.push(Field {
                name,
                old,
                new,
                delta: Delta::Scalar(o, n),
            });
        }
    }

    /// A field recorded when its raw values (`get`) differ.
    fn raw<T>(
        &mut self,
        name: &'static str,
        o: &T,
        n: &T,
        get: impl Fn(&T) -> Option<String>,
        val: impl Fn(Option<String>) -> Val<'a>,
    ) {
        let (old, new) = (get(o), get(n));
        let (o, n) = (val(old.clone()), val(new.clone()));
        self.when(old != new, name, (old, new), (o, n));
    }

    /// A text of the provider with its English version: recorded when the
    /// French text (the reference) changed, not when only a translation did.
    fn own(
        &mut self,
        name: &'static str,
        (old, old_en): (&Option<String>, &Option<String>),
        (new, new_en): (&Option<String>, &Option<String>),
    ) {
        let vals = (
            Val::Own(old.clone(), old_en.clone()),
            Val::Own(new.clone(), new_en.clone()),
        );
        self.when(old != new, name, (old.clone(), new.clone()), vals);
    }

    /// A list field: recorded when elements were added or removed.
    fn list(
        &mut self,
        name: &'static str,
        old: &[String],
        new: &[String],
        val: fn(String) -> Val<'a>,
    ) {
        let (added, removed) = set_diff(old, new);
        if added.is_empty() && removed.is_empty() {
            return;
        }
        let vals = |v: Vec<&str>| v.into_iter().map(|s| val(s.to_string())).collect();
        self.0.push(Field {
            name,
            old: Some(old.join(", ")),
            new: Some(new.join(", ")),
            delta: Delta::List {
                added: vals(added),
                removed: vals(removed),
            },
        });
    }

    fn basis(&mut self, o: Option<&'a p::Basis>, n: Option<&'a p::Basis>) {
        let raw = (o.map(|b| b.key()), n.map(|b| b.key()));
        self.when(o != n, "basis", raw, (Val::Basis(o), Val::Basis(n)));
    }

    fn data(&mut self, o: &'a [p::DataCategory], n: &'a [p::DataCategory]) {
        let keys = |v: &[p::DataCategory]| {
            Some(v.iter().map(|c| key_of(*c)).collect::<Vec<_>>().join(", "))
        };
        self.when(
            o != n,
            "data",
            (keys(o), keys(n)),
            (Val::Data(o), Val::Data(n)),
        );
    }

    fn adequacy(&mut self, o: &'a p::Adequacy, n: &'a p::Adequacy) {
        let raw = (Some(key_of(o.status)), Some(key_of(n.status)));
        self.when(
            o != n,
            "adequacy",
            raw,
            (Val::Adequacy(o), Val::Adequacy(n)),
        );
    }
}

fn text<'a>(v: Option<String>) -> Val<'a> {
    Val::Text(v)
}

fn country<'a>(v: Option<String>) -> Val<'a> {
    Val::Country(v.unwrap_or_default())
}

fn entity<'a>(v: Option<String>) -> Val<'a> {
    Val::Entity(v.unwrap_or_default())
}

fn yes_no<'a>(v: Option<String>) -> Val<'a> {
    Val::YesNo(v.as_deref() == Some("true"))
}

/// The JSON spelling of a value (`kebab-case` code).
fn key_of<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Elements of `new` not in `old`, and of `old` not in `new`, each sorted.
pub(super) fn set_diff<'a>(old: &'a [String], new: &'a [String]) -> (Vec<&'a str>, Vec<&'a str>) {
    let o: BTreeSet<&str> = old.iter().map(String::as_str).collect();
    let n: BTreeSet<&str> = new.iter().map(String::as_str).collect();
    (
        n.difference(&o).copied().collect(),
        o.difference(&n).copied().collect(),
    )
}

/// Match two lists by key: (key, in old, in new), by key.
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

fn kind_of<T>(o: Option<&T>, n: Option<&T>) -> Option<ChangeKind> {
    match (o, n) {
        (None, Some(_)) => Some(ChangeKind::Added),
        (Some(_), None) => Some(ChangeKind::Removed),
        (Some(_), Some(_)) => Some(ChangeKind::Changed),
        (None, None) => None,
    }
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

/// Where each country appears in a publication.
fn countries(p: &Publication) -> BTreeMap<String, Vec<Place>> {
    let names: BTreeMap<&str, &str> = p
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.legal_name.as_str()))
        .collect();
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
    let mut m: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for s in &p.sites {
        m.entry(s.country.clone())
            .or_default()
            .push(Place::Site(s.name_or_id()));
    }
    for a in &p.access_paths {
        m.entry(a.country.clone())
            .or_default()
            .push(Place::Access(name(&a.team)));
    }
    for e in &p.entities {
        m.entry(e.country.clone())
            .or_default()
            .push(Place::Entity(e.legal_name.clone()));
    }
    for x in &p.exposures {
        m.entry(x.country.clone())
            .or_default()
            .push(Place::Law(name(&x.entity)));
    }
    // Transfers reach the country of a site, an access path or an entity,
    // listed above; a hand-written file may still name another one.
    for t in &p.transfers {
        if !m.contains_key(&t.country) {
            m.entry(t.country.clone())
                .or_default()
                .push(Place::Transfer(name(&t.recipient)));
        }
    }
    m
}

/// Every item that differs between `old` and `new`, item kind by item kind.
pub(super) fn facts<'a>(old: &'a Publication, new: &'a Publication) -> Vec<Fact<'a>> {
    let mut out = Vec::new();

    // The provider: its reading of partial adequacy and its notice period.
    let (o, n) = (&old.provider, &new.provider);
    let mut f = Fields::default();
    f.raw(
        "notice_days",
        o,
        n,
        |x| Some(x.notice_days.to_string()),
        text,
    );
    let reading = |p: &Publication| p.policy.as_ref().map(|x| x.partial_adequacy_is_exposure);
    let raw = |p: &Publication| reading(p).map(|b| b.to_string());
    f.when(
        raw(old) != raw(new),
        "partial_adequacy_is_exposure",
        (raw(old), raw(new)),
        (Val::Reading(reading(old)), Val::Reading(reading(new))),
    );
    out.push(Fact {
        item: Item::Provider,
        change: ChangeKind::Changed,
        id: n.host.clone(),
        what: What::Provider(n),
        fields: f.0,
    });

    // Countries are added or removed, never changed.
    let (oc, nc) = (countries(old), countries(new));
    let (oc, nc): (Vec<_>, Vec<_>) = (oc.into_iter().collect(), nc.into_iter().collect());
    items(
        &mut out,
        Item::Country,
        (&oc, &nc),
        |(k, _)| k.clone(),
        |code, (_, n)| What::Country {
            code: code.to_string(),
            places: n.map(|(_, v)| v.clone()).unwrap_or_default(),
        },
        |_, _, _| {},
    );
    out.retain(|f| f.item != Item::Country || f.change != ChangeKind::Changed);

    let (old_involved, new_involved) = (involved(old), involved(new));
    let subs = |id: &str| (old_involved.contains(id), new_involved.contains(id));
    let entity = |pair: Pair<'a, p::Entity>| {
        let id = pair.1.or(pair.0).map(|e| e.id.as_str()).unwrap_or_default();
        let (was_sub, is_sub) = subs(id);
        What::Entity {
            pair,
            was_sub,
            is_sub,
        }
    };
    let entity_fields = |f: &mut Fields<'a>, o: &'a p::Entity, n: &'a p::Entity| {
        entity_fields(f, o, n);
        // An entity already declared (say, a parent company) that
        // starts taking part in the hosting is a new subcontractor.
        let (was_sub, is_sub) = subs(&n.id);
        if was_sub != is_sub {
            f.0.push(Field {
                name: "subcontractor",
                old: Some(was_sub.to_string()),
                new: Some(is_sub.to_string()),
                delta: Delta::Hosting(is_sub),
            });
        }
    };
    // Every other item is matched on its id.
    macro_rules! by_id {
        ($item:ident, $list:ident, $what:expr, $fields:expr) => {
            items(
                &mut out,
                Item::$item,
                (&old.$list, &new.$list),
                |x| x.id.clone(),
                |_, p| $what(p),
                $fields,
            )
        };
    }
    by_id!(Entity, entities, entity, entity_fields);
    by_id!(Site, sites, What::Site, site_fields);
    by_id!(Service, services, What::Service, service_fields);
    by_id!(AccessPath, access_paths, What::Access, access_fields);
    by_id!(Flow, flows, What::Flow, flow_fields);
    by_id!(Transfer, transfers, What::Transfer, transfer_fields);
    by_id!(Exposure, exposures, What::Exposure, exposure_fields);
    by_id!(Measure, measures, What::Measure, measure_fields);

    // Findings have no id: matched on their code, subject and countries.
    let key = |f: &p::Finding| {
        let mut k = format!("{}:{}:{}", f.code, f.subject.kind, f.subject.id);
        if !f.countries.is_empty() {
            k.push(':');
            k.push_str(&f.countries.join(","));
        }
        k
    };
    let severity = |f: &mut Fields<'a>, o: &'a p::Finding, n: &'a p::Finding| {
        let raw = (Some(key_of(o.severity)), Some(key_of(n.severity)));
        let vals = (Val::Severity(o.severity), Val::Severity(n.severity));
        f.when(o.severity != n.severity, "severity", raw, vals);
    };
    let (o, n) = (&old.findings, &new.findings);
    items(
        &mut out,
        Item::Finding,
        (o, n),
        key,
        |_, p| What::Finding(p),
        severity,
    );
    out
}

/// The facts of one kind of item: matched by `key`, described by `what`,
/// a changed one compared field by field with `fields`.
fn items<'a, 'b, T>(
    out: &mut Vec<Fact<'a>>,
    item: Item,
    (old, new): (&'b [T], &'b [T]),
    key: impl Fn(&T) -> String,
    what: impl Fn(&str, Pair<'b, T>) -> What<'a>,
    fields: impl Fn(&mut Fields<'a>, &'b T, &'b T),
) {
    for (id, o, n) in pair(old, new, key) {
        let Some(change) = kind_of(o, n) else {
            continue;
        };
        let mut f = Fields::default();
        if let (Some(o), Some(n)) = (o, n) {
            fields(&mut f, o, n);
        }
        out.push(Fact {
            item,
            change,
            what: what(&id, (o, n)),
            id,
            fields: f.0,
        });
    }
}

fn site_fields<'a>(f: &mut Fields<'a>, o: &'a p::Site, n: &'a p::Site) {
    f.raw("name", o, n, |x| Some(x.name.clone()), text);
    f.raw("country", o, n, |x| Some(x.country.clone()), country);
    f.raw("city", o, n, |x| x.city.clone(), text);
    f.raw("operator", o, n, |x| Some(x.operator.clone()), entity);
    let raw = (Some(key_of(o.role)), Some(key_of(n.role)));
    f.when(
        raw.0 != raw.1,
        "role",
        raw,
        (Val::Role(o.role), Val::Role(n.role)),
    );
    f.list("ip_ranges", &o.ip_ranges, &n.ip_ranges, Val::Plain);
}

fn service_fields<'a>(f: &mut Fields<'a>, o: &'a p::Service, n: &'a p::Service) {
    f.raw("name", o, n, |x| Some(x.name.clone()), text);
    f.list("sites", &o.sites, &n.sites, Val::Site);
    let actors = |s: &p::Service| {
        s.actors
            .iter()
            .map(|a| a.entity.clone())
            .collect::<Vec<_>>()
    };
    f.list("actors", &actors(o), &actors(n), Val::Entity);
    f.list("storage_countries", &storage(o), &storage(n), Val::Country);
}

/// `kind:id` of each target.
fn targets(t: &[p::Node]) -> Vec<String> {
    t.iter().map(|t| format!("{}:{}", t.kind, t.id)).collect()
}

fn access_fields<'a>(f: &mut Fields<'a>, o: &'a p::AccessPath, n: &'a p::AccessPath) {
    f.raw("team", o, n, |x| Some(x.team.clone()), entity);
    f.raw("country", o, n, |x| Some(x.country.clone()), country);
    f.raw("city", o, n, |x| x.city.clone(), text);
    let purpose = |x: &p::AccessPath| Some(x.purpose.clone());
    f.own(
        "purpose",
        (&purpose(o), &o.purpose_en),
        (&purpose(n), &n.purpose_en),
    );
    f.list(
        "targets",
        &targets(&o.targets),
        &targets(&n.targets),
        Val::Target,
    );
    f.basis(o.basis.as_ref(), n.basis.as_ref());
    f.data(&o.data, &n.data);
    let sys = |a: &p::AccessPath| Some(a.systematic.to_string());
    f.raw("systematic", o, n, sys, yes_no);
    f.list("safeguards", &o.safeguards, &n.safeguards, Val::Quoted);
}

fn flow_fields<'a>(f: &mut Fields<'a>, o: &'a p::Flow, n: &'a p::Flow) {
    let key = |x: &p::Node| Some(format!("{}:{}", x.kind, x.id));
    let (from, to) = ((key(&o.from), key(&n.from)), (key(&o.to), key(&n.to)));
    f.when(
        from.0 != from.1,
        "from",
        from,
        (Val::Node(&o.from), Val::Node(&n.from)),
    );
    f.when(to.0 != to.1, "to", to, (Val::Node(&o.to), Val::Node(&n.to)));
    let raw = (Some(key_of(o.kind)), Some(key_of(n.kind)));
    let vals = (Val::FlowKind(o.kind), Val::FlowKind(n.kind));
    f.when(o.kind != n.kind, "kind", raw, vals);
    f.data(&o.data, &n.data);
    f.list("services", &o.services, &n.services, Val::Plain);
    f.basis(o.basis.as_ref(), n.basis.as_ref());
}

fn transfer_fields<'a>(f: &mut Fields<'a>, o: &'a p::Transfer, n: &'a p::Transfer) {
    f.raw("country", o, n, |x| Some(x.country.clone()), country);
    f.raw("recipient", o, n, |x| Some(x.recipient.clone()), entity);
    f.data(&o.data, &n.data);
    f.raw("storage", o, n, |x| Some(x.storage.to_string()), yes_no);
    f.adequacy(&o.adequacy, &n.adequacy);
    f.basis(o.basis.as_ref(), n.basis.as_ref());
    let raw = (Some(key_of(o.basis_status)), Some(key_of(n.basis_status)));
    let vals = (
        Val::BasisStatus(o.basis_status),
        Val::BasisStatus(n.basis_status),
    );
    f.when(o.basis_status != n.basis_status, "basis_status", raw, vals);
    f.list("safeguards", &o.safeguards, &n.safeguards, Val::Quoted);
    f.list("measures", &o.measures, &n.measures, Val::Measure);
}

fn exposure_fields<'a>(f: &mut Fields<'a>, o: &'a p::Exposure, n: &'a p::Exposure) {
    f.list("laws", &o.laws, &n.laws, Val::Law);
    f.adequacy(&o.adequacy, &n.adequacy);
    f.list("chain", &o.chain, &n.chain, Val::Entity);
    f.list("services", &o.services, &n.services, Val::Plain);
    f.list("measures", &o.measures, &n.measures, Val::Measure);
}

fn measure_fields<'a>(f: &mut Fields<'a>, o: &'a p::Measure, n: &'a p::Measure) {
    let title = |x: &p::Measure| Some(x.title.clone());
    f.own("title", (&title(o), &o.title_en), (&title(n), &n.title_en));
    let mitigates = |m: &p::Measure| {
        m.mitigates
            .iter()
            .map(|t| format!("{}:{}", t.kind, t.id))
            .collect::<Vec<_>>()
    };
    f.list("mitigates", &mitigates(o), &mitigates(n), Val::Target);
    let raw = (o.residual_level.map(key_of), n.residual_level.map(key_of));
    let vals = (Val::Level(o.residual_level), Val::Level(n.residual_level));
    f.when(
        o.residual_level != n.residual_level,
        "residual_level",
        raw,
        vals,
    );
}

/// The countries a service stores data in (EXI 31).
pub(super) fn storage(s: &p::Service) -> Vec<String> {
    s.exi31
        .as_ref()
        .map(|x| x.storage_countries.clone())
        .unwrap_or_default()
}

fn entity_fields<'a>(f: &mut Fields<'a>, o: &'a p::Entity, n: &'a p::Entity) {
    f.raw("legal_name", o, n, |x| Some(x.legal_name.clone()), text);
    f.raw("country", o, n, |x| Some(x.country.clone()), country);
    f.raw("parent", o, n, |x| x.parent.clone(), Val::Parent);
    let share = |e: &p::Entity| e.control_share.map(|x| format!("{x}"));
    f.raw("control_share", o, n, share, Val::Share);
    f.own(
        "description",
        (&o.description, &o.description_en),
        (&n.description, &n.description_en),
    );
    f.raw("website", o, n, |x| x.website.clone(), text);
    let (ho, hn) = (o.hds.as_ref(), n.hds.as_ref());
    let key =
        |h: Option<&p::HdsCertificate>| h.map(|h| format!("{:?} {}", h.activities, h.expires));
    let raw = (
        ho.map(|h| h.expires.to_string()),
        hn.map(|h| h.expires.to_string()),
    );
    f.when(key(ho) != key(hn), "hds", raw, (Val::Hds(ho), Val::Hds(hn)));
    let snc = |s: Option<&p::SecNumCloud>| {
        s.map(|s| {
            format!(
                "{}{}",
                s.version,
                s.expires.map(|e| format!(" {e}")).unwrap_or_default()
            )
        })
    };
    f.raw("secnumcloud", o, n, |x| snc(x.secnumcloud.as_ref()), text);
    f.raw("dpf", o, n, |x| Some(x.dpf.to_string()), yes_no);
    f.list(
        "adequacy_scopes",
        &o.adequacy_scopes,
        &n.adequacy_scopes,
        Val::Plain,
    );
}
