//! The changes in words, French and English: the sentence of each change,
//! of each field that changed and of each reason it is riskier. Every word
//! comes from the one string table ([`crate::i18n`], keys `chg_*`); this
//! module only puts them together with names, countries and dates.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::facts::{Delta, Fact, Field, Place, Val, What};
use super::rules::{Reason, Stored};
use super::{ChangeKind, Counts, Item};
use crate::i18n::{self, Lang, tr};
use crate::labels;
use crate::publication::{self as p, Publication};
use crate::reference::Reference;

/// Names of what the changes mention: the new file's, else the old one's.
pub(super) struct Names<'a> {
    old: &'a Publication,
    new: &'a Publication,
    /// Legal names by id: lookups stay O(log n) on large inventories.
    entities: BTreeMap<&'a str, &'a str>,
    /// Display names of sites by id, likewise.
    sites: BTreeMap<&'a str, String>,
}

impl<'a> Names<'a> {
    pub fn of(old: &'a Publication, new: &'a Publication) -> Names<'a> {
        let mut entities = BTreeMap::new();
        let mut sites = BTreeMap::new();
        for p in [old, new] {
            for e in &p.entities {
                entities.insert(e.id.as_str(), e.legal_name.as_str());
            }
            for s in &p.sites {
                sites.insert(s.id.as_str(), s.name_or_id());
            }
        }
        Names {
            old,
            new,
            entities,
            sites,
        }
    }

    fn entity(&self, id: &str) -> String {
        self.entities.get(id).unwrap_or(&id).to_string()
    }

    fn site(&self, id: &str) -> String {
        self.sites
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn node(&self, n: &p::Node) -> String {
        match n.kind.as_str() {
            "entity" => self.entity(&n.id),
            "site" => self.site(&n.id),
            _ => n.id.clone(),
        }
    }

    fn law(&self, id: &str, l: Lang) -> String {
        self.new
            .law(id)
            .or_else(|| self.old.law(id))
            .map(|x| x.name_in(l.is_fr()).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// A measure's title, in English on an English page when the
    /// publication gives one.
    fn measure(&self, id: &str, l: Lang) -> String {
        self.new
            .measures
            .iter()
            .chain(&self.old.measures)
            .find(|m| m.id == id)
            .map(|m| m.name_or_id_in(l.is_fr()))
            .unwrap_or_else(|| id.to_string())
    }
}

/// Heading of the group of changes about this kind of item.
pub(super) fn heading(item: Item, l: Lang) -> &'static str {
    tr(
        l,
        match item {
            Item::Provider => "chg_item_provider",
            Item::Country => "chg_item_country",
            Item::Entity => "chg_item_entity",
            Item::Site => "chg_item_site",
            Item::Service => "chg_item_service",
            Item::AccessPath => "chg_item_access",
            Item::Flow => "chg_item_flow",
            Item::Transfer => "chg_item_transfer",
            Item::Exposure => "chg_item_exposure",
            Item::Measure => "chg_item_measure",
            Item::Finding => "chg_item_finding",
        },
    )
}

/// `3 changes (2 added, …), 1 riskier` in words.
pub(super) fn summary_line(c: &Counts, lang: Lang) -> String {
    let total = c.added + c.removed + c.changed;
    if total == 0 {
        return tr(lang, "chg_no_change").into();
    }
    // French agrees each count with its noun; English has one plural.
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
fn from_country(code: &str, l: Lang) -> String {
    format!("{} {}", tr(l, "chg_from_country"), country(code, l))
}

/// `in United States (US)` / `— pays : États-Unis (US)`.
fn in_country(code: &str, l: Lang) -> String {
    format!("{} {}", tr(l, "chg_in_country"), country(code, l))
}

fn quoted(s: &str, l: Lang) -> String {
    format!("{}{s}{}", tr(l, "chg_quote_open"), tr(l, "chg_quote_close"))
}

/// `label: ` in the language's typography.
fn colon(l: Lang) -> &'static str {
    tr(l, "colon")
}

/// `Site changed:` and the like: a heading word and its colon.
fn head(l: Lang, key: &str) -> String {
    format!("{}{}", tr(l, key), tr(l, "colon_end"))
}

/// Where a country appears: the first five places, then how many more.
fn places(wh: &[Place], l: Lang) -> String {
    const SHOWN: usize = 5;
    let mut all: Vec<String> = wh.iter().map(|w| place(w, l)).collect();
    all.dedup();
    let mut s = all
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(tr(l, "chg_sep"));
    if all.len() > SHOWN {
        let more = all.len() - SHOWN;
        s.push_str(&format!(
            " {} {more} {}",
            tr(l, "chg_and"),
            tr(l, "chg_more")
        ));
    }
    s
}

fn place(w: &Place, l: Lang) -> String {
    match w {
        Place::Site(name) => format!("{} {}", tr(l, "chg_place_site"), quoted(name, l)),
        Place::Access(name) => format!("{} {name}", tr(l, "chg_remote_access_by")),
        Place::Entity(name) => format!("{} {name}", tr(l, "chg_place_entity")),
        Place::Law(name) => format!("{} {name}", tr(l, "chg_place_law")),
        Place::Transfer(name) => format!("{} {name}", tr(l, "chg_place_transfer")),
    }
}

fn site_role(r: p::SiteRole, l: Lang) -> String {
    known(r.model(), labels::site_role, "chg_unknown_role", l)
}

fn flow_kind(k: p::FlowKind, l: Lang) -> String {
    known(k.model(), labels::flow_kind, "chg_unknown_kind", l)
}

fn data_list(d: &[p::DataCategory], l: Lang) -> String {
    if d.is_empty() {
        return tr(l, "chg_none_f").into();
    }
    d.iter()
        .map(|c| known(c.model(), labels::data_category, "chg_unknown_category", l))
        .collect::<Vec<_>>()
        .join(", ")
}

fn basis(b: Option<&p::Basis>, l: Lang) -> String {
    match b.and_then(|b| b.model()) {
        Some(m) => labels::basis(&m, l),
        None if b.is_some() => tr(l, "chg_unknown_basis").into(),
        None => tr(l, "chg_no_basis_declared").into(),
    }
}

fn basis_status(s: p::BasisStatus, l: Lang) -> String {
    known(s.model(), labels::basis_status, "chg_unknown_framing", l)
}

fn severity(s: p::Severity, l: Lang) -> String {
    known(s.model(), labels::severity, "chg_unknown_severity", l)
}

/// A value this sovmap knows, in words; else the words for an unknown one
/// (a newer file's value).
fn known<M>(m: Option<M>, say: fn(M, Lang) -> &'static str, unknown: &str, l: Lang) -> String {
    m.map(|m| say(m, l))
        .unwrap_or_else(|| tr(l, unknown))
        .to_string()
}

fn adequacy(a: &p::Adequacy, l: Lang) -> &'static str {
    use p::AdequacyLevel as L;
    tr(
        l,
        match (a.status, a.in_scope) {
            (L::Full, _) => "chg_adequacy_full",
            (L::Partial, Some(true)) => "chg_adequacy_partial_in",
            (L::Partial, _) => "chg_adequacy_partial_out",
            (L::None, _) => "chg_adequacy_none",
            (L::Unknown, _) => "chg_adequacy_unknown",
        },
    )
}

/// A text, "none" when absent or empty.
fn opt(s: Option<&str>, l: Lang) -> String {
    match s {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => tr(l, "chg_none_m").into(),
    }
}

fn date(d: Date, l: Lang) -> String {
    i18n::format_date(d, l)
}

fn list(v: impl IntoIterator<Item = String>) -> String {
    v.into_iter().collect::<Vec<_>>().join(", ")
}

/// The id of a `kind:id` target.
fn target_id(t: &str) -> &str {
    t.split_once(':').map(|x| x.1).unwrap_or(t)
}

/// One value of a field, in words.
fn value(v: &Val<'_>, names: &Names<'_>, l: Lang) -> String {
    match v {
        Val::Text(s) => opt(s.as_deref(), l),
        Val::Plain(s) => s.clone(),
        Val::Country(c) => country(c, l),
        Val::Entity(id) => names.entity(id),
        Val::Parent(Some(id)) => names.entity(id),
        Val::Parent(None) => tr(l, "chg_nobody").into(),
        Val::Share(Some(x)) => format!("{x} %"),
        Val::Share(None) => opt(None, l),
        Val::YesNo(b) => i18n::yes_no(*b, l).to_string(),
        Val::Role(r) => site_role(*r, l),
        Val::FlowKind(k) => flow_kind(*k, l),
        Val::Node(n) => names.node(n),
        Val::Data(d) => data_list(d, l),
        Val::Basis(b) => basis(*b, l),
        Val::BasisStatus(s) => basis_status(*s, l),
        Val::Adequacy(a) => adequacy(a, l).into(),
        Val::Severity(s) => severity(*s, l),
        Val::Level(r) => r
            .and_then(|r| r.model())
            .map(|r| labels::risk_level(r, l).to_string())
            .unwrap_or_else(|| opt(None, l)),
        Val::Hds(Some(h)) => format!(
            "{} {} {} {}",
            tr(l, "chg_activities"),
            list(h.activities.iter().map(u8::to_string)),
            tr(l, "chg_until"),
            date(h.expires, l)
        ),
        Val::Hds(None) => opt(None, l),
        Val::Reading(Some(true)) => tr(l, "chg_reading_exposure").into(),
        Val::Reading(Some(false)) => tr(l, "chg_reading_no_exposure").into(),
        Val::Reading(None) => tr(l, "chg_not_stated").into(),
        Val::Site(id) => names.site(id),
        Val::Target(t) => target_id(t).to_string(),
        Val::Quoted(s) => quoted(s, l),
        Val::Own(fr, en) => match en {
            Some(en) if !l.is_fr() => opt(Some(en), l),
            _ => opt(fr.as_deref(), l),
        },
        Val::Measure(id) => names.measure(id, l),
        Val::Law(id) => names.law(id, l),
    }
}

/// The label of a field (`notice period (days)`), key `chg_f_<field>`.
fn label(field: &str, l: Lang) -> &'static str {
    tr(l, &format!("chg_f_{field}"))
}

/// One field that changed: `label: old → new`, `label: added …; removed …`.
pub(super) fn detail(f: &Field<'_>, names: &Names<'_>, l: Lang) -> String {
    let lbl = label(f.name, l);
    match &f.delta {
        Delta::Scalar(o, n) => format!(
            "{lbl}{}{} → {}",
            colon(l),
            value(o, names, l),
            value(n, names, l)
        ),
        Delta::List { added, removed } => {
            let mut parts = Vec::new();
            for (key, v) in [("chg_list_added", added), ("chg_list_removed", removed)] {
                if !v.is_empty() {
                    let shown = list(v.iter().map(|x| value(x, names, l)));
                    parts.push(format!("{} {shown}", tr(l, key)));
                }
            }
            format!("{lbl}{}{}", colon(l), parts.join(tr(l, "chg_sep")))
        }
        Delta::Hosting(true) => tr(l, "chg_hosting_joined").into(),
        Delta::Hosting(false) => tr(l, "chg_hosting_left").into(),
    }
}

/// Why a change is riskier, in one phrase.
pub(super) fn reason(r: &Reason, names: &Names<'_>, l: Lang) -> String {
    let with = |key: &str, rest: String| format!("{} {rest}", tr(l, key));
    let colon_with = |key: &str, rest: String| format!("{}{}{rest}", tr(l, key), colon(l));
    match r {
        Reason::ShorterNotice => tr(l, "chg_risk_shorter_notice").into(),
        Reason::FewerDisclosed => tr(l, "chg_risk_fewer_disclosed").into(),
        Reason::NonEeaCountry => tr(l, "chg_risk_non_eea_country").into(),
        Reason::Exposure(c) => with("chg_risk_new_exposure", country(c, l)),
        Reason::Law(id) => colon_with("chg_risk_new_law", names.law(id, l)),
        Reason::Reachable { health: true } => tr(l, "chg_risk_health_reachable").into(),
        Reason::Reachable { health: false } => tr(l, "chg_risk_personal_reachable").into(),
        Reason::Stored(how, c) => {
            let key = match how {
                Stored::Site => "chg_risk_stored_site",
                Stored::SiteNow => "chg_risk_stored_site_now",
                Stored::Service => "chg_risk_stored_service",
                Stored::Copy => "chg_risk_stored_copy",
                Stored::CopyNow => "chg_risk_stored_copy_now",
            };
            with(key, country(c, l))
        }
        Reason::NoBasis => tr(l, "chg_risk_no_basis").into(),
        Reason::Weaker(o, n) => colon_with(
            "chg_risk_weaker_basis",
            format!("{} → {}", basis_status(*o, l), basis_status(*n, l)),
        ),
        Reason::HdsGone => tr(l, "chg_risk_hds_gone").into(),
        Reason::HdsExpired(d) => with("chg_risk_hds_expired", date(*d, l)),
        Reason::HdsActivities(a) => {
            with("chg_risk_hds_activities", list(a.iter().map(u8::to_string)))
        }
        Reason::SecNumCloudLost => tr(l, "chg_risk_secnumcloud_lost").into(),
        Reason::DpfLost => tr(l, "chg_risk_dpf_lost").into(),
        Reason::MeasureGone => tr(l, "chg_risk_measure_gone").into(),
        Reason::Unmitigated(t) => with(
            "chg_risk_unmitigated",
            list(t.iter().map(|t| target_id(t).to_string())),
        ),
        Reason::SafeguardsGone(s) => colon_with(
            "chg_risk_safeguards_gone",
            list(s.iter().map(|s| quoted(s, l))),
        ),
        Reason::MeasuresGone(m) => colon_with(
            "chg_risk_measures_gone",
            list(m.iter().map(|m| names.measure(m, l))),
        ),
        Reason::Problem(s) => format!("{} ({})", tr(l, "chg_risk_problem"), severity(*s, l)),
        Reason::MoreSevere => tr(l, "chg_risk_more_severe").into(),
    }
}

/// `remote access by X from Y` / `data flow “s” to X in Y`.
fn transfer(t: &p::Transfer, names: &Names<'_>, l: Lang) -> String {
    let who = names.entity(&t.recipient);
    match t.kind {
        p::TransferKind::RemoteAccess => format!(
            "{} {who} {}",
            tr(l, "chg_remote_access_by"),
            from_country(&t.country, l)
        ),
        _ => format!(
            "{} {} {} {who} {}",
            tr(l, "chg_data_flow"),
            quoted(&t.source, l),
            tr(l, "chg_f_to"),
            in_country(&t.country, l)
        ),
    }
}

fn exposure(x: &p::Exposure, names: &Names<'_>, l: Lang, key: &str) -> String {
    let mut s = format!(
        "{}{}{} {} {}",
        tr(l, key),
        colon(l),
        names.entity(&x.entity),
        tr(l, "chg_subject_to_law_of"),
        country(&x.country, l)
    );
    if !x.through.is_empty() && x.through != x.entity {
        s.push_str(&format!(
            " {} {}",
            tr(l, "chg_f_chain"),
            names.entity(&x.through)
        ));
    }
    if !x.laws.is_empty() {
        s.push_str(&format!(
            " ({})",
            list(x.laws.iter().map(|law| names.law(law, l)))
        ));
    }
    s
}

/// `New site: …`: the key's words, a colon and the rest.
fn said(l: Lang, key: &str, rest: String) -> String {
    format!("{}{}{rest}", tr(l, key), colon(l))
}

/// The change in one sentence. `expired_only`: a changed entity whose only
/// change is a certificate that expired in the meantime.
pub(super) fn sentence(f: &Fact<'_>, names: &Names<'_>, l: Lang, expired_only: bool) -> String {
    use ChangeKind::{Added, Changed, Removed};
    match (&f.what, f.change) {
        (What::Provider(n), _) => format!("{} {}", head(l, "chg_provider_wide"), n.name),
        (What::Country { code, places: wh }, Added) => format!(
            "{} — {}",
            said(l, "chg_country_added", country(code, l)),
            places(wh, l)
        ),
        (What::Country { code, .. }, _) => said(l, "chg_country_removed", country(code, l)),
        (
            What::Entity {
                pair,
                is_sub,
                was_sub,
            },
            change,
        ) => {
            let (o, n) = *pair;
            match (o, n, change) {
                (_, Some(e), Added) => {
                    let key = if *is_sub {
                        "chg_new_sub"
                    } else {
                        "chg_new_entity"
                    };
                    let mut s = said(
                        l,
                        key,
                        format!("{}, {}", e.legal_name, country(&e.country, l)),
                    );
                    if let Some(p) = &e.parent {
                        s.push_str(&format!(", {} {}", tr(l, "chg_f_parent"), names.entity(p)));
                    }
                    s
                }
                (Some(e), _, Removed) => {
                    let key = if *was_sub {
                        "chg_sub_removed"
                    } else {
                        "chg_entity_removed"
                    };
                    said(
                        l,
                        key,
                        format!("{}, {}", e.legal_name, country(&e.country, l)),
                    )
                }
                (_, Some(n), _) => {
                    let key = if *is_sub && !*was_sub {
                        "chg_new_sub"
                    } else if expired_only {
                        "chg_cert_expired"
                    } else {
                        "chg_entity_changed"
                    };
                    format!("{} {}", head(l, key), n.legal_name)
                }
                _ => String::new(),
            }
        }
        (What::Site((_, Some(s))), Added) => {
            let place = match &s.city {
                Some(c) => format!("{c}, {}", country(&s.country, l)),
                None => country(&s.country, l),
            };
            let rest = format!(
                "{} — {place}, {} {}, {}",
                s.name_or_id(),
                tr(l, "chg_f_operator"),
                names.entity(&s.operator),
                site_role(s.role, l)
            );
            said(l, "chg_site_added", rest)
        }
        (What::Site((Some(s), _)), Removed) => said(
            l,
            "chg_site_removed",
            format!("{} — {}", s.name_or_id(), country(&s.country, l)),
        ),
        (What::Site((_, Some(n))), _) => {
            format!("{} {}", head(l, "chg_site_changed"), n.name_or_id())
        }
        (What::Service((_, Some(s))), Added) => said(l, "chg_service_added", s.name_or_id()),
        (What::Service((Some(s), _)), Removed) => said(l, "chg_service_removed", s.name_or_id()),
        (What::Service((_, Some(n))), _) => {
            format!("{} {}", head(l, "chg_service_changed"), n.name_or_id())
        }
        (What::Access((_, Some(a))), Added) => {
            let purpose = match &a.purpose_en {
                Some(en) if !l.is_fr() => en,
                _ => &a.purpose,
            };
            let purpose = if purpose.is_empty() {
                String::new()
            } else {
                format!(" — {purpose}")
            };
            let rest = format!(
                "{} {}{purpose}",
                names.entity(&a.team),
                from_country(&a.country, l)
            );
            said(l, "chg_access_added", rest)
        }
        (What::Access((Some(a), _)), Removed) => said(
            l,
            "chg_access_removed",
            format!("{} {}", names.entity(&a.team), from_country(&a.country, l)),
        ),
        (What::Access((_, Some(n))), _) => format!(
            "{} {} {}",
            head(l, "chg_access_changed"),
            names.entity(&n.team),
            from_country(&n.country, l)
        ),
        (What::Flow((o, n)), Added | Removed) => {
            let (key, x) = match (o, n) {
                (None, Some(x)) => ("chg_flow_added", x),
                (Some(x), _) => ("chg_flow_removed", x),
                _ => return String::new(),
            };
            let rest = format!(
                "{} → {} ({}, {})",
                names.node(&x.from),
                names.node(&x.to),
                flow_kind(x.kind, l),
                data_list(&x.data, l)
            );
            said(l, key, rest)
        }
        (What::Flow((_, Some(n))), _) => format!(
            "{} {} → {}",
            head(l, "chg_flow_changed"),
            names.node(&n.from),
            names.node(&n.to)
        ),
        (What::Transfer((_, Some(t))), Added) => said(
            l,
            "chg_transfer_added",
            format!(
                "{} — {}",
                transfer(t, names, l),
                basis_status(t.basis_status, l)
            ),
        ),
        (What::Transfer((Some(t), _)), Removed) => {
            said(l, "chg_transfer_removed", transfer(t, names, l))
        }
        (What::Transfer((_, Some(n))), _) => said(l, "chg_transfer_changed", transfer(n, names, l)),
        (What::Exposure((_, Some(x))), Added) => exposure(x, names, l, "chg_exposure_added"),
        (What::Exposure((Some(x), _)), Removed) => exposure(x, names, l, "chg_exposure_removed"),
        (What::Exposure((_, Some(n))), _) => said(
            l,
            "chg_exposure_changed",
            format!("{} — {}", names.entity(&n.entity), country(&n.country, l)),
        ),
        (What::Measure((_, Some(m))), Added) => {
            said(l, "chg_measure_added", m.name_or_id_in(l.is_fr()))
        }
        (What::Measure((Some(m), _)), Removed) => {
            said(l, "chg_measure_removed", m.name_or_id_in(l.is_fr()))
        }
        (What::Measure((_, Some(n))), _) => {
            said(l, "chg_measure_changed", n.name_or_id_in(l.is_fr()))
        }
        (What::Finding((_, Some(x))), Added) => finding(x, l, "chg_finding_added", true),
        (What::Finding((Some(x), _)), Removed) => finding(x, l, "chg_finding_removed", true),
        (What::Finding((_, Some(n))), Changed) => finding(n, l, "chg_finding_changed", false),
        _ => String::new(),
    }
}

/// `New finding (warning, CODE): message`; a changed one without its severity.
fn finding(x: &p::Finding, l: Lang, key: &str, with_severity: bool) -> String {
    let what = if with_severity {
        format!("{}, {}", severity(x.severity, l), x.code)
    } else {
        x.code.clone()
    };
    format!(
        "{} ({what}){}{}",
        tr(l, key),
        colon(l),
        x.message(l.is_fr())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field the facts can name has a label in both languages.
    #[test]
    fn every_field_has_a_label() {
        #[rustfmt::skip]
        let fields = [
            "notice_days", "partial_adequacy_is_exposure", "legal_name", "country", "parent",
            "control_share", "description", "website", "hds", "secnumcloud", "dpf",
            "adequacy_scopes", "name", "city", "operator", "role", "ip_ranges", "sites", "actors",
            "storage_countries", "team", "purpose", "targets", "basis", "data", "systematic",
            "safeguards", "from", "to", "kind", "services", "recipient", "storage", "adequacy",
            "basis_status", "measures", "laws", "chain", "title", "mitigates", "residual_level",
            "severity",
        ];
        for f in fields {
            for l in [Lang::Fr, Lang::En] {
                assert_ne!(label(f, l), "??", "no label for {f}");
            }
        }
    }
}
