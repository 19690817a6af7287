//! A customer's review of providers' publications against its own policy
//! (`sovmap review`).
//!
//! The verdicts come from what each provider published in its
//! `transfers.json` (sites, transfers, exposures, entities' HDS fields,
//! measures, findings), read through [`crate::publication`]: the review
//! re-derives no legal conclusion beyond what the policy asks (whether a
//! country is in the EEA, which is a fixed list of the reference data).
//!
//! Each rule of the policy gives, per provider and per service, a verdict
//! (met or not) and the items that violate it, each with the reason, the
//! country and laws involved, the chain link it comes through, and the
//! provider's declared measures and residual risk for it.

pub mod html;
pub mod policy;

use serde::Serialize;

pub use policy::Policy;

use crate::i18n::Lang;
use crate::publication::{Adequacy, AdequacyLevel, Publication, RiskLevel, Severity, TransferKind};
use crate::reference::Reference;

/// Version of the `--format json` output of `sovmap review`.
pub const REVIEW_FORMAT_VERSION: u32 = 1;

/// The whole review: one entry per publication, in the order given.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format_version: u32,
    /// Language of the sentences (`en` or `fr`).
    pub lang: &'static str,
    pub policy: Policy,
    /// Rules applied (those the policy states), in report order.
    pub rules: Vec<RuleInfo>,
    pub providers: Vec<ProviderReport>,
    /// Whether every rule is met for every service of every provider.
    pub met: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    /// Stable id (`storage.outside_eea`), the policy key it comes from.
    pub id: &'static str,
    /// What the policy requires, in words.
    pub requirement: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProviderReport {
    /// The file as given on the command line.
    pub file: String,
    pub name: String,
    pub host_legal_name: Option<String>,
    pub version: Option<String>,
    pub publication_date: Option<String>,
    pub as_of: String,
    /// Providers of this provider, as published (chain links).
    pub chain: Vec<String>,
    pub services: Vec<ServiceReport>,
    pub met: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceReport {
    /// Service id; `*` when the publication declares no service (the
    /// provider as a whole).
    pub id: String,
    pub name: String,
    pub verdicts: Vec<Verdict>,
    pub met: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub rule: &'static str,
    pub met: bool,
    /// Why it is met (what was checked) or empty when not.
    pub reason: String,
    pub violations: Vec<Violation>,
}

/// One item of the publication that fails a rule.
#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    /// `site`, `transfer`, `exposure`, `entity`, `finding`.
    pub kind: &'static str,
    pub id: String,
    /// What is wrong, in words.
    pub reason: String,
    pub countries: Vec<String>,
    pub laws: Vec<String>,
    /// "via hostco's publication (Host Co, 2026-11-01)" when the item came
    /// through the provider's own provider chain.
    pub via: Option<String>,
    /// The provider's declared measures for this item.
    pub measures: Vec<MeasureInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureInfo {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub residual_risk: Option<String>,
    pub residual_level: Option<RiskLevel>,
}

/// `tr!(fr, "English {x}", "Français {x}", args…)`: the sentence in the
/// language of the report.
macro_rules! tr {
    ($fr:expr, $en:literal, $frs:literal $(, $a:expr)* $(,)?) => {
        if $fr { format!($frs $(, $a)*) } else { format!($en $(, $a)*) }
    };
}

/// The rules a policy states, in report order.
pub fn rules(p: &Policy, reference: &Reference, fr: bool) -> Vec<RuleInfo> {
    let mut out = Vec::new();
    let allow = |b: bool| match (b, fr) {
        (true, false) => "allowed",
        (false, false) => "not allowed",
        (true, true) => "autorisé",
        (false, true) => "non autorisé",
    };
    let partial = match (p.accept_partial_adequacy, fr) {
        (true, false) => {
            "a partial adequacy decision (e.g. the EU-US DPF) counts when the recipient is in its scope"
        }
        (false, false) => "a partial adequacy decision (e.g. the EU-US DPF) does not count",
        (true, true) => {
            "une décision d'adéquation partielle (p. ex. le DPF UE–États-Unis) compte quand le destinataire est dans son champ"
        }
        (false, true) => {
            "une décision d'adéquation partielle (p. ex. le DPF UE–États-Unis) ne compte pas"
        }
    };
    let mut rule = |id: &'static str, requirement: String| out.push(RuleInfo { id, requirement });
    if let Some(b) = p.storage_outside_eea {
        rule(
            "storage.outside_eea",
            tr!(
                fr,
                "Storage outside the EEA: {}.",
                "Stockage hors de l'EEE : {}.",
                allow(b)
            ),
        );
    }
    if let Some(c) = &p.storage_countries {
        let n = names(reference, c, fr);
        rule(
            "storage.countries",
            tr!(fr, "Storage only in: {n}.", "Stockage uniquement en : {n}."),
        );
    }
    if let Some(b) = p.access_outside_eea {
        rule(
            "remote_access.outside_eea",
            tr!(
                fr,
                "Remote access from outside the EEA: {}.",
                "Accès à distance depuis l'extérieur de l'EEE : {}.",
                allow(b)
            ),
        );
    }
    if let Some(b) = p.access_non_adequate {
        rule(
            "remote_access.non_adequate",
            tr!(
                fr,
                "Remote access from a country without adequacy: {}; {partial}.",
                "Accès à distance depuis un pays sans adéquation : {} ; {partial}.",
                allow(b)
            ),
        );
    }
    if let Some(b) = p.transfers_outside_eea {
        rule(
            "transfers.outside_eea",
            tr!(
                fr,
                "Other data flows (processing, telemetry) leaving the EEA: {}.",
                "Autres flux de données (traitement, télémétrie) hors de l'EEE : {}.",
                allow(b)
            ),
        );
    }
    if let Some(b) = p.transfers_non_adequate {
        rule(
            "transfers.non_adequate",
            tr!(
                fr,
                "Other data flows to a country without adequacy: {}; {partial}.",
                "Autres flux de données vers un pays sans adéquation : {} ; {partial}.",
                allow(b)
            ),
        );
    }
    if !p.refused_laws.is_empty() {
        let laws = p
            .refused_laws
            .iter()
            .map(|l| {
                reference.law(l).map_or(l.clone(), |x| {
                    format!("{} ({l})", if fr { &x.name_fr } else { &x.name })
                })
            })
            .collect::<Vec<_>>()
            .join("; ");
        rule(
            "exposure.refused_laws",
            tr!(
                fr,
                "No actor subject to: {laws}.",
                "Aucun acteur soumis à : {laws}."
            ),
        );
    }
    if !p.refused_countries.is_empty() {
        let n = names(reference, &p.refused_countries, fr);
        rule(
            "exposure.refused_countries",
            tr!(
                fr,
                "No actor subject to the law of: {n}.",
                "Aucun acteur soumis au droit de : {n}."
            ),
        );
    }
    if p.measures_required {
        rule(
            "measures.required",
            tr!(
                fr,
                "Every exposure to foreign law and every transfer without adequacy has declared measures; {partial}.",
                "Chaque exposition à un droit étranger et chaque transfert sans adéquation a des mesures déclarées ; {partial}."
            ),
        );
    }
    if let Some(l) = p.max_residual {
        rule(
            "measures.max_residual",
            tr!(
                fr,
                "The residual risk declared for each exposure and transfer without adequacy is at most {}.",
                "Le risque résiduel déclaré pour chaque exposition et chaque transfert sans adéquation est au plus {}.",
                level(l, fr)
            ),
        );
    }
    if !p.hds_activities.is_empty() {
        let acts = p
            .hds_activities
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        rule(
            "hds.activities",
            tr!(
                fr,
                "Whoever performs HDS activities {acts} for a service is HDS certified for them, or covered by a certified host (exempted).",
                "Qui exerce les activités HDS {acts} pour un service est certifié HDS pour elles, ou couvert par un hébergeur certifié (exempté)."
            ),
        );
    }
    if let Some(sv) = p.refuse_findings {
        rule(
            "findings.refuse",
            tr!(
                fr,
                "No finding of the provider's own analysis at or above {}.",
                "Aucun constat de l'analyse du fournisseur de niveau {} ou plus.",
                severity(sv, fr)
            ),
        );
    }
    out
}

/// Review every publication (with the file name to show) against `policy`.
/// `fr`: the report's sentences in French (else English).
pub fn review(
    policy: &Policy,
    pubs: &[(String, Publication)],
    reference: &Reference,
    fr: bool,
) -> Report {
    let rules = rules(policy, reference, fr);
    let providers: Vec<ProviderReport> = pubs
        .iter()
        .map(|(file, p)| provider(policy, &rules, file, p, reference, fr))
        .collect();
    Report {
        format_version: REVIEW_FORMAT_VERSION,
        lang: if fr { "fr" } else { "en" },
        policy: policy.clone(),
        met: providers.iter().all(|p| p.met),
        rules,
        providers,
    }
}

fn provider(
    policy: &Policy,
    rules: &[RuleInfo],
    file: &str,
    p: &Publication,
    reference: &Reference,
    fr: bool,
) -> ProviderReport {
    // Judged with the reference data as it stood on the publication's own
    // date (EEA membership: London was inside the EEA in 2020).
    let reference = &reference.on(p.as_of);
    let mut scopes: Vec<(String, String)> = p
        .services
        .iter()
        .map(|s| (s.id.clone(), s.name_or_id()))
        .collect();
    if scopes.is_empty() {
        scopes.push((
            "*".into(),
            tr!(
                fr,
                "the provider as a whole",
                "le fournisseur dans son ensemble"
            ),
        ));
    }
    let services: Vec<ServiceReport> = scopes
        .into_iter()
        .map(|(id, name)| {
            let verdicts: Vec<Verdict> = rules
                .iter()
                .map(|r| verdict(policy, r.id, &id, p, reference, fr))
                .collect();
            ServiceReport {
                met: verdicts.iter().all(|v| v.met),
                id,
                name,
                verdicts,
            }
        })
        .collect();
    ProviderReport {
        file: file.to_string(),
        name: p.provider.name.clone(),
        host_legal_name: p.provider.host_legal_name.clone(),
        version: p.provider.version.clone(),
        publication_date: p.provider.publication_date.map(|d| d.to_string()),
        as_of: p.as_of.to_string(),
        chain: p
            .chains
            .iter()
            .map(|c| {
                format!(
                    "{} ({}, {})",
                    c.provider,
                    c.entity,
                    c.publication_date.unwrap_or(c.as_of)
                )
            })
            .collect(),
        met: services.iter().all(|s| s.met),
        services,
    }
}

/// Whether an item of the publication concerns service `sid` (an item
/// naming no service concerns them all).
fn concerns(services: &[String], sid: &str) -> bool {
    sid == "*" || services.is_empty() || services.iter().any(|s| s == sid)
}

/// Whether adequacy alone frames it under this policy.
fn adequate(a: &Adequacy, policy: &Policy) -> bool {
    match a.status {
        AdequacyLevel::Full => true,
        AdequacyLevel::Partial => policy.accept_partial_adequacy && a.in_scope == Some(true),
        AdequacyLevel::None | AdequacyLevel::Unknown => false,
    }
}

fn adequacy_words(a: &Adequacy, fr: bool) -> String {
    let d = a
        .decision
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    match a.status {
        AdequacyLevel::Full => tr!(fr, "full adequacy{d}", "adéquation complète{d}"),
        AdequacyLevel::Partial => match a.in_scope {
            Some(true) => tr!(
                fr,
                "partial adequacy{d}, recipient in its scope",
                "adéquation partielle{d}, destinataire dans son champ"
            ),
            Some(false) => tr!(
                fr,
                "partial adequacy{d}, recipient outside its scope",
                "adéquation partielle{d}, destinataire hors de son champ"
            ),
            None => tr!(fr, "partial adequacy{d}", "adéquation partielle{d}"),
        },
        AdequacyLevel::None => tr!(fr, "no adequacy decision", "aucune décision d'adéquation"),
        AdequacyLevel::Unknown => tr!(fr, "adequacy not stated", "adéquation non indiquée"),
    }
}

/// "via hostco's publication (Host Co, 2026-11-01), then …" for an item
/// that came through the provider's own chain.
fn via(p: &Publication, chain: &[String], fr: bool) -> Option<String> {
    let parts: Vec<String> = chain
        .iter()
        .filter_map(|id| p.chains.iter().find(|c| &c.id == id))
        .map(|c| {
            let date = c.publication_date.unwrap_or(c.as_of);
            tr!(
                fr,
                "{}'s publication ({}, {date})",
                "la publication de {} ({}, {date})",
                c.entity,
                c.provider
            )
        })
        .collect();
    if parts.is_empty() {
        None
    } else if fr {
        Some(format!("via {}", parts.join(", puis ")))
    } else {
        Some(format!("via {}", parts.join(", then ")))
    }
}

/// The chain of the item an id names (site, entity, access path, flow).
fn chain_of<'a>(p: &'a Publication, kind: &str, id: &str) -> &'a [String] {
    let found = match kind {
        "site" => p.sites.iter().find(|s| s.id == id).map(|s| &s.chain),
        "entity" => p.entities.iter().find(|s| s.id == id).map(|s| &s.chain),
        "access" => p.access_paths.iter().find(|s| s.id == id).map(|s| &s.chain),
        "flow" => p.flows.iter().find(|s| s.id == id).map(|s| &s.chain),
        _ => None,
    };
    found.map(Vec::as_slice).unwrap_or(&[])
}

/// A transfer id is `flow:<id>` or `access:<id>`.
fn transfer_chain<'a>(p: &'a Publication, id: &str) -> &'a [String] {
    match id.split_once(':') {
        Some((k, rest)) => chain_of(p, k, rest),
        None => &[],
    }
}

fn measures(p: &Publication, ids: &[String]) -> Vec<MeasureInfo> {
    ids.iter()
        .map(|id| match p.measures.iter().find(|m| &m.id == id) {
            Some(m) => MeasureInfo {
                id: m.id.clone(),
                title: m.name_or_id(),
                kind: format!("{:?}", m.kind).to_lowercase(),
                residual_risk: m.residual_risk.clone(),
                residual_level: m.residual_level,
            },
            None => MeasureInfo {
                id: id.clone(),
                title: id.clone(),
                kind: "unknown".into(),
                residual_risk: None,
                residual_level: None,
            },
        })
        .collect()
}

/// A residual risk level in words: the site's words for the levels sovmap
/// knows, "unknown" for one a newer publication may state.
fn level(l: RiskLevel, fr: bool) -> &'static str {
    match l.model() {
        Some(l) => crate::labels::risk_level(l, lang_of(fr)),
        None => unknown(fr),
    }
}

/// Kinds of items and measures, in French when asked.
fn word(kind: &str, fr: bool) -> &str {
    if !fr {
        return kind;
    }
    match kind {
        "transfer" => "transfert",
        "exposure" => "exposition",
        "entity" => "entité",
        "finding" => "constat",
        "technical" => "technique",
        "contractual" => "contractuelle",
        "organisational" => "organisationnelle",
        _ => kind,
    }
}

/// A finding's severity in words: the site's words for the severities sovmap
/// knows, "unknown" for one a newer publication may state.
fn severity(s: Severity, fr: bool) -> &'static str {
    match s.model() {
        Some(s) => crate::labels::severity(s, lang_of(fr)),
        None => unknown(fr),
    }
}

fn lang_of(fr: bool) -> Lang {
    if fr { Lang::Fr } else { Lang::En }
}

/// A value a newer publication may state and this version does not know.
fn unknown(fr: bool) -> &'static str {
    if fr { "inconnu" } else { "unknown" }
}

fn names(reference: &Reference, codes: &[String], fr: bool) -> String {
    let lang = if fr { "fr" } else { "en" };
    codes
        .iter()
        .map(|c| format!("{} ({c})", reference.country_name(c, lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The exposures and transfers without adequacy of a service, which the
/// `measures.*` rules look at: (kind, id, words, countries, laws, chain, measure ids).
type Mitigable<'a> = (
    &'static str,
    &'a str,
    String,
    Vec<String>,
    Vec<String>,
    &'a [String],
    &'a [String],
);

fn mitigable<'a>(
    p: &'a Publication,
    sid: &str,
    policy: &Policy,
    r: &Reference,
    fr: bool,
) -> Vec<Mitigable<'a>> {
    let mut out: Vec<Mitigable> = Vec::new();
    for x in p
        .exposures
        .iter()
        .filter(|x| concerns(&x.services, sid) && !adequate(&x.adequacy, policy))
    {
        out.push((
            "exposure",
            &x.id,
            format!(
                "{} ({})",
                subject_to(p, &x.entity, &x.country, r, fr),
                adequacy_words(&x.adequacy, fr)
            ),
            vec![x.country.clone()],
            x.laws.clone(),
            chain_of(p, "entity", &x.entity),
            &x.measures,
        ));
    }
    for t in p
        .transfers
        .iter()
        .filter(|t| concerns(&t.services, sid) && !adequate(&t.adequacy, policy))
    {
        out.push((
            "transfer",
            &t.id,
            format!(
                "{} ({})",
                transfer_words(p, t, r, fr),
                adequacy_words(&t.adequacy, fr)
            ),
            vec![t.country.clone()],
            Vec::new(),
            transfer_chain(p, &t.id),
            &t.measures,
        ));
    }
    out
}

/// "remote access by X from Morocco" / "data flow to X in India".
fn transfer_words(
    p: &Publication,
    t: &crate::publication::Transfer,
    r: &Reference,
    fr: bool,
) -> String {
    let who = p.entity_name(&t.recipient);
    let country = r.country_name(&t.country, if fr { "fr" } else { "en" });
    if t.kind == TransferKind::RemoteAccess {
        tr!(
            fr,
            "remote access by {who} from {country}",
            "accès à distance par {who} depuis : {country}"
        )
    } else {
        tr!(
            fr,
            "data flow to {who} in {country}",
            "flux de données vers {who} ({country})"
        )
    }
}

/// "X is subject to the law of China".
fn subject_to(p: &Publication, entity: &str, country: &str, r: &Reference, fr: bool) -> String {
    let who = p.entity_name(entity);
    let c = r.country_name(country, if fr { "fr" } else { "en" });
    tr!(
        fr,
        "{who} is subject to the law of {c}",
        "{who} est soumis au droit de : {c}"
    )
}

fn verdict(
    policy: &Policy,
    rule: &'static str,
    sid: &str,
    p: &Publication,
    r: &Reference,
    fr: bool,
) -> Verdict {
    let lang = if fr { "fr" } else { "en" };
    let mut v: Vec<Violation> = Vec::new();
    let mut checked = 0usize;
    let violation = |kind: &'static str,
                     id: &str,
                     reason: String,
                     countries: Vec<String>,
                     laws: Vec<String>,
                     chain: &[String],
                     measure_ids: &[String]| Violation {
        kind,
        id: id.to_string(),
        reason,
        countries,
        laws,
        via: via(p, chain, fr),
        measures: measures(p, measure_ids),
    };
    // Sites where the service's data is stored, with the storage transfers.
    let storage_sites: Vec<&crate::publication::Site> = {
        let ids: Vec<&String> = match p.services.iter().find(|s| s.id == sid) {
            Some(s) => s.sites.iter().collect(),
            None => p
                .sites
                .iter()
                .filter(|s| s.role.stores())
                .map(|s| &s.id)
                .collect(),
        };
        let mut sites: Vec<&crate::publication::Site> =
            ids.into_iter().filter_map(|id| p.site(id)).collect();
        for t in p
            .transfers
            .iter()
            .filter(|t| t.storage && concerns(&t.services, sid))
        {
            if let Some(s) = t.site.as_deref().and_then(|id| p.site(id))
                && !sites.iter().any(|x| x.id == s.id)
            {
                sites.push(s);
            }
        }
        sites
    };
    let transfers_of = |kind: TransferKind| {
        p.transfers
            .iter()
            .filter(move |t| t.kind == kind && concerns(&t.services, sid))
    };
    match rule {
        "storage.outside_eea" | "storage.countries"
            if rule == "storage.countries" || policy.storage_outside_eea == Some(false) =>
        {
            // The policy's list of countries, or else the EEA.
            let listed = rule == "storage.countries";
            let allowed = policy.storage_countries.as_deref().unwrap_or(&[]);
            let why = if listed {
                tr!(fr, "not an accepted country", "pays non accepté")
            } else {
                tr!(fr, "outside the EEA", "hors de l'EEE")
            };
            for s in &storage_sites {
                checked += 1;
                let accepted = if listed {
                    allowed.contains(&s.country)
                } else {
                    r.is_eea(&s.country)
                };
                if !accepted {
                    v.push(violation(
                        "site",
                        &s.id,
                        tr!(
                            fr,
                            "data stored at {} ({}) in {}, {why}",
                            "données stockées à {} ({}) : {}, {why}",
                            s.name_or_id(),
                            p.entity_name(&s.operator),
                            r.country_name(&s.country, lang)
                        ),
                        vec![s.country.clone()],
                        Vec::new(),
                        &s.chain,
                        &[],
                    ));
                }
            }
        }
        "remote_access.outside_eea"
        | "remote_access.non_adequate"
        | "transfers.outside_eea"
        | "transfers.non_adequate" => {
            let access = rule.starts_with("remote_access");
            let allowed = match rule {
                "remote_access.outside_eea" => policy.access_outside_eea,
                "remote_access.non_adequate" => policy.access_non_adequate,
                "transfers.outside_eea" => policy.transfers_outside_eea,
                _ => policy.transfers_non_adequate,
            };
            if allowed == Some(false) {
                let kind = if access {
                    TransferKind::RemoteAccess
                } else {
                    TransferKind::Flow
                };
                for t in transfers_of(kind).filter(|t| access || !t.storage) {
                    checked += 1;
                    let fails = rule.ends_with("outside_eea") || !adequate(&t.adequacy, policy);
                    if fails {
                        let what = transfer_words(p, t, r, fr);
                        v.push(violation(
                            "transfer",
                            &t.id,
                            format!(
                                "{what}{} {}{}",
                                if fr { " :" } else { ":" },
                                adequacy_words(&t.adequacy, fr),
                                t.purpose
                                    .as_deref()
                                    .map(|x| tr!(fr, "; purpose: {x}", " ; finalité : {x}"))
                                    .unwrap_or_default()
                            ),
                            vec![t.country.clone()],
                            Vec::new(),
                            transfer_chain(p, &t.id),
                            &t.measures,
                        ));
                    }
                }
            }
        }
        "exposure.refused_laws" | "exposure.refused_countries" => {
            for x in p.exposures.iter().filter(|x| concerns(&x.services, sid)) {
                checked += 1;
                let laws: Vec<String> = x
                    .laws
                    .iter()
                    .filter(|l| policy.refused_laws.contains(l))
                    .cloned()
                    .collect();
                let bad = if rule == "exposure.refused_laws" {
                    !laws.is_empty()
                } else {
                    policy.refused_countries.contains(&x.country)
                };
                if bad {
                    let through = if x.through.is_empty() || x.through == x.entity {
                        String::new()
                    } else {
                        tr!(fr, " through {}", " par {}", p.entity_name(&x.through))
                    };
                    let law_names: Vec<String> = x
                        .laws
                        .iter()
                        .map(|l| {
                            p.law(l)
                                .map(|x| format!("{} ({l})", x.name_in(fr)))
                                .or_else(|| {
                                    r.law(l).map(|x| {
                                        format!("{} ({l})", if fr { &x.name_fr } else { &x.name })
                                    })
                                })
                                .unwrap_or_else(|| l.clone())
                        })
                        .collect();
                    v.push(violation(
                        "exposure",
                        &x.id,
                        format!(
                            "{}{through}{} {}",
                            subject_to(p, &x.entity, &x.country, r, fr),
                            if fr { " :" } else { ":" },
                            if law_names.is_empty() {
                                tr!(fr, "no access law listed", "aucune loi d'accès indiquée")
                            } else {
                                law_names.join("; ")
                            }
                        ),
                        vec![x.country.clone()],
                        x.laws.clone(),
                        chain_of(p, "entity", &x.entity),
                        &x.measures,
                    ));
                }
            }
        }
        "measures.required" | "measures.max_residual" => {
            for (kind, id, words, countries, laws, chain, ids) in mitigable(p, sid, policy, r, fr) {
                checked += 1;
                let info = measures(p, ids);
                let reason = if rule == "measures.required" {
                    ids.is_empty().then(|| {
                        tr!(
                            fr,
                            "{words}: no measure declared",
                            "{words} : aucune mesure déclarée"
                        )
                    })
                } else {
                    let max = policy.max_residual.unwrap_or(RiskLevel::High);
                    // Several measures: the highest residual stated (cautious).
                    let worst = info.iter().filter_map(|m| m.residual_level).max();
                    match worst {
                        None => Some(tr!(
                            fr,
                            "{words}: no residual risk level declared",
                            "{words} : aucun niveau de risque résiduel déclaré"
                        )),
                        Some(l) if l > max => Some(tr!(
                            fr,
                            "{words}: residual risk {} is above {}",
                            "{words} : risque résiduel {} au-dessus de {}",
                            level(l, fr),
                            level(max, fr)
                        )),
                        Some(_) => None,
                    }
                };
                if let Some(reason) = reason {
                    v.push(Violation {
                        kind,
                        id: id.to_string(),
                        reason,
                        countries,
                        laws,
                        via: via(p, chain, fr),
                        measures: info,
                    });
                }
            }
        }
        "hds.activities" => {
            let actors: Vec<(&str, Vec<u8>)> = match p.services.iter().find(|s| s.id == sid) {
                Some(s) => s
                    .actors
                    .iter()
                    .map(|a| (a.entity.as_str(), a.activities.clone()))
                    .collect(),
                None => p
                    .services
                    .iter()
                    .flat_map(|s| s.actors.iter())
                    .map(|a| (a.entity.as_str(), a.activities.clone()))
                    .collect(),
            };
            for (entity, acts) in actors {
                let needed: Vec<u8> = acts
                    .into_iter()
                    .filter(|a| policy.hds_activities.contains(a))
                    .collect();
                if needed.is_empty() {
                    continue;
                }
                checked += 1;
                let e = p.entity(entity);
                let exempted = e.and_then(|e| e.hds_exempted_under.as_deref());
                let cert = e.and_then(|e| e.hds.as_ref());
                let valid =
                    cert.filter(|c| c.issued.is_none_or(|i| i <= p.as_of) && p.as_of <= c.expires);
                let missing: Vec<u8> = needed
                    .iter()
                    .copied()
                    .filter(|a| !valid.is_some_and(|c| c.activities.contains(a)))
                    .collect();
                if exempted.is_some() || missing.is_empty() {
                    continue;
                }
                let list = |v: &[u8]| v.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
                let why = match (cert, valid) {
                    (None, _) => tr!(
                        fr,
                        "no HDS certificate declared",
                        "aucun certificat HDS déclaré"
                    ),
                    (Some(c), None) => tr!(
                        fr,
                        "its HDS certificate is not valid on {} (expires {})",
                        "son certificat HDS n'est pas valide le {} (expire le {})",
                        p.as_of,
                        c.expires
                    ),
                    (Some(_), Some(_)) => tr!(
                        fr,
                        "its HDS certificate does not cover activity {}",
                        "son certificat HDS ne couvre pas l'activité {}",
                        list(&missing)
                    ),
                };
                v.push(violation(
                    "entity",
                    entity,
                    tr!(
                        fr,
                        "{} performs HDS activities {}: {why}",
                        "{} exerce les activités HDS {} : {why}",
                        p.entity_name(entity),
                        list(&needed)
                    ),
                    e.map(|e| vec![e.country.clone()]).unwrap_or_default(),
                    Vec::new(),
                    chain_of(p, "entity", entity),
                    &[],
                ));
            }
        }
        "findings.refuse" => {
            let min = policy.refuse_findings.unwrap_or(Severity::Error);
            for f in p.findings.iter().filter(|f| concerns(&f.services, sid)) {
                checked += 1;
                if f.severity >= min {
                    v.push(violation(
                        "finding",
                        &format!("{}:{}:{}", f.code, f.subject.kind, f.subject.id),
                        format!("{} {}: {}", severity(f.severity, fr), f.code, f.message(fr)),
                        f.countries.clone(),
                        f.laws.clone(),
                        chain_of(p, &f.subject.kind, &f.subject.id),
                        &[],
                    ));
                }
            }
        }
        _ => {}
    }
    let met = v.is_empty();
    // A rule whose key allows what it names checks nothing.
    let allows = match rule {
        "storage.outside_eea" => policy.storage_outside_eea == Some(true),
        "remote_access.outside_eea" => policy.access_outside_eea == Some(true),
        "remote_access.non_adequate" => policy.access_non_adequate == Some(true),
        "transfers.outside_eea" => policy.transfers_outside_eea == Some(true),
        "transfers.non_adequate" => policy.transfers_non_adequate == Some(true),
        _ => false,
    };
    Verdict {
        rule,
        met,
        reason: if allows {
            tr!(fr, "allowed by the policy", "autorisé par la politique")
        } else if met {
            match checked {
                0 => tr!(
                    fr,
                    "nothing in the publication concerns this rule",
                    "rien dans la publication ne relève de cette règle"
                ),
                1 => tr!(
                    fr,
                    "1 item checked, none fails",
                    "1 élément vérifié, conforme"
                ),
                n => tr!(
                    fr,
                    "{n} items checked, none fails",
                    "{n} éléments vérifiés, tous conformes"
                ),
            }
        } else {
            String::new()
        },
        violations: v,
    }
}

/// The report as text for the terminal.
pub fn text(report: &Report) -> String {
    let fr = report.lang == "fr";
    let mut out = String::new();
    let push = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    push(
        &mut out,
        tr!(
            fr,
            "sovmap review — policy \"{}\" ({})",
            "sovmap review — politique « {} » ({})",
            report.policy.name,
            report.policy.file
        ),
    );
    push(&mut out, tr!(fr, "rules applied:", "règles appliquées :"));
    for r in &report.rules {
        push(&mut out, format!("  {:<28} {}", r.id, r.requirement));
    }
    if report.rules.is_empty() {
        push(
            &mut out,
            tr!(
                fr,
                "  (none: the policy states no rule; see the README, section \"Reviewing providers\")",
                "  (aucune : la politique n'énonce aucune règle ; voir le README, section « Reviewing providers »)"
            ),
        );
    }
    for p in &report.providers {
        out.push('\n');
        let mut about: Vec<String> = Vec::new();
        about.extend(p.host_legal_name.clone());
        about.extend(p.version.as_ref().map(|v| format!("version {v}")));
        // A list that gives no date (an imported CSV) is never said to be
        // published on the day it was reviewed.
        about.push(match p.publication_date.as_deref() {
            Some(date) => tr!(fr, "published {date}", "publiée le {date}"),
            None => {
                let as_of = &p.as_of;
                tr!(
                    fr,
                    "publication date not stated, judged as of {as_of}",
                    "date de publication non indiquée, examinée au {as_of}"
                )
            }
        });
        push(
            &mut out,
            format!(
                "{} — {} ({}): {}",
                p.name,
                p.file,
                about.join(", "),
                match (p.met, fr) {
                    (true, false) => "MEETS the policy",
                    (false, false) => "FAILS the policy",
                    (true, true) => "RESPECTE la politique",
                    (false, true) => "NE RESPECTE PAS la politique",
                }
            ),
        );
        if !p.chain.is_empty() {
            push(
                &mut out,
                tr!(
                    fr,
                    "  provider chain: {}",
                    "  chaîne de fournisseurs : {}",
                    p.chain.join("; ")
                ),
            );
        }
        for s in &p.services {
            let failed = s.verdicts.iter().filter(|v| !v.met).count();
            push(
                &mut out,
                format!(
                    "  service {} ({}): {}",
                    s.id,
                    s.name,
                    if s.met {
                        tr!(fr, "meets every rule", "respecte toutes les règles")
                    } else {
                        tr!(
                            fr,
                            "fails {failed} of {} rules",
                            "ne respecte pas {failed} règle(s) sur {}",
                            s.verdicts.len()
                        )
                    }
                ),
            );
            for v in &s.verdicts {
                if v.met {
                    push(&mut out, format!("    ok    {} — {}", v.rule, v.reason));
                    continue;
                }
                push(&mut out, format!("    FAIL  {}", v.rule));
                for x in &v.violations {
                    push(
                        &mut out,
                        format!(
                            "      - {} {}{} {}",
                            word(x.kind, fr),
                            x.id,
                            if fr { " :" } else { ":" },
                            x.reason
                        ),
                    );
                    if let Some(via) = &x.via {
                        push(&mut out, format!("        {via}"));
                    }
                    if !x.laws.is_empty() {
                        push(
                            &mut out,
                            tr!(
                                fr,
                                "        laws: {}",
                                "        lois : {}",
                                x.laws.join(", ")
                            ),
                        );
                    }
                    for m in &x.measures {
                        push(
                            &mut out,
                            format!(
                                "        {} {} ({}): {}{}",
                                if fr { "mesure" } else { "measure" },
                                m.id,
                                word(&m.kind, fr),
                                m.title,
                                match (&m.residual_level, &m.residual_risk) {
                                    (Some(l), Some(t)) => tr!(
                                        fr,
                                        " — residual {}: {t}",
                                        " — résiduel {} : {t}",
                                        level(*l, fr)
                                    ),
                                    (Some(l), None) =>
                                        tr!(fr, " — residual {}", " — résiduel {}", level(*l, fr)),
                                    (None, Some(t)) =>
                                        tr!(fr, " — residual: {t}", " — résiduel : {t}"),
                                    (None, None) => String::new(),
                                }
                            ),
                        );
                    }
                    if x.measures.is_empty() && matches!(x.kind, "transfer" | "exposure") {
                        push(
                            &mut out,
                            tr!(
                                fr,
                                "        no measure declared by the provider",
                                "        aucune mesure déclarée par le fournisseur"
                            ),
                        );
                    }
                }
            }
        }
    }
    out.push('\n');
    let failing: Vec<&str> = report
        .providers
        .iter()
        .filter(|p| !p.met)
        .map(|p| p.name.as_str())
        .collect();
    push(
        &mut out,
        if failing.is_empty() {
            tr!(
                fr,
                "summary: {} provider(s) reviewed; all meet the policy",
                "bilan : {} fournisseur(s) examiné(s) ; tous respectent la politique",
                report.providers.len()
            )
        } else {
            tr!(
                fr,
                "summary: {} provider(s) reviewed; {} fail(s) the policy: {}",
                "bilan : {} fournisseur(s) examiné(s) ; {} ne respecte(nt) pas la politique : {}",
                report.providers.len(),
                failing.len(),
                failing.join(", ")
            )
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A provider storing in the US, with an uncertified actor, a telemetry
    /// flow to India, a Chinese parent and an error finding.
    const PUBLICATION: &str = r#"{
  "$schema": "transfers.schema.json", "format_version": 1, "as_of": "2026-06-01",
  "provider": {"name": "P", "host": "p", "publication_date": "2026-06-01"},
  "entities": [
    {"id": "p", "legal_name": "P SAS", "country": "FR", "parent": "cn",
     "hds": {"activities": [1, 2], "issued": "2025-01-01", "expires": "2028-01-01", "certifier": "C"}},
    {"id": "cn", "legal_name": "CN Group", "country": "CN"},
    {"id": "ops", "legal_name": "Ops Ltd", "country": "IN"}],
  "sites": [
    {"id": "par", "operator": "p", "country": "FR"},
    {"id": "nyc", "operator": "p", "country": "US", "role": "backup"}],
  "services": [
    {"id": "a", "name": "A", "sites": ["par", "nyc"], "actors": [{"entity": "p", "activities": [1, 2, 5]}]},
    {"id": "b", "name": "B", "sites": ["par"], "actors": [{"entity": "p", "activities": [1]}]}],
  "measures": [{"id": "enc", "title": "Encryption", "kind": "technical", "residual_level": "high"}],
  "transfers": [
    {"id": "flow:telemetry", "kind": "flow", "country": "IN", "recipient": "ops", "services": ["a"],
     "adequacy": {"status": "none"}, "basis_status": "safeguard", "measures": ["enc"]}],
  "exposures": [
    {"id": "exposure:p:CN", "entity": "p", "country": "CN", "through": "cn",
     "adequacy": {"status": "none"}, "laws": ["CN-NIL"], "services": []}],
  "findings": [
    {"code": "EXI28-STORAGE-OUTSIDE-EEA", "severity": "error", "subject": {"kind": "site", "id": "nyc"},
     "services": ["a"], "message_en": "Stored in the US."}]
}"#;

    fn report(policy: Policy) -> Report {
        let p = crate::publication::parse(Path::new("p.json"), PUBLICATION)
            .unwrap_or_else(|e| panic!("{e}"));
        review(
            &policy,
            &[("p.json".into(), p)],
            Reference::embedded(),
            false,
        )
    }

    fn verdict<'a>(r: &'a Report, service: &str, rule: &str) -> &'a Verdict {
        r.providers[0]
            .services
            .iter()
            .find(|s| s.id == service)
            .and_then(|s| s.verdicts.iter().find(|v| v.rule == rule))
            .unwrap_or_else(|| panic!("{service} {rule}"))
    }

    /// A publication is judged with the reference data of its own date: a
    /// 2020 publication storing in London stored inside the EEA (it was
    /// judged with today's list).
    #[test]
    fn a_2020_publication_with_a_london_site_is_inside_the_eea() {
        let text = PUBLICATION
            .replace("\"as_of\": \"2026-06-01\"", "\"as_of\": \"2020-06-01\"")
            .replace(
                "\"country\": \"US\", \"role\"",
                "\"country\": \"GB\", \"role\"",
            );
        let p =
            crate::publication::parse(Path::new("p.json"), &text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.sites[1].country, "GB");
        let policy = Policy {
            storage_outside_eea: Some(false),
            ..Policy::default()
        };
        let judge = |p: &Publication| {
            let r = review(
                &policy,
                &[("p.json".into(), p.clone())],
                Reference::embedded(),
                false,
            );
            verdict(&r, "a", "storage.outside_eea").violations.len()
        };
        assert_eq!(judge(&p), 0, "London was inside the EEA on 2020-06-01");
        let mut p2026 = p.clone();
        p2026.as_of = jiff::civil::Date::new(2026, 6, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(judge(&p2026), 1, "London is outside the EEA in 2026");
    }

    /// A list without a publication date (an imported CSV) is not said to
    /// be published on the review's date.
    #[test]
    fn an_undated_list_is_not_said_published() {
        let p = crate::publication::parse(Path::new("p.json"), PUBLICATION)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut undated = p.clone();
        undated.provider.publication_date = None;
        let text_of = |p: &Publication| {
            text(&review(
                &Policy::default(),
                &[("p.json".into(), p.clone())],
                Reference::embedded(),
                false,
            ))
        };
        assert!(text_of(&p).contains("published 2026-06-01"));
        let t = text_of(&undated);
        assert!(!t.contains("published 2026"), "{t}");
        assert!(
            t.contains("publication date not stated, judged as of 2026-06-01"),
            "{t}"
        );
    }

    #[test]
    fn each_rule_names_what_fails_it_per_service() {
        let r = report(Policy {
            storage_outside_eea: Some(false),
            storage_countries: Some(vec!["FR".into()]),
            transfers_non_adequate: Some(false),
            refused_countries: vec!["CN".into()],
            measures_required: true,
            max_residual: Some(RiskLevel::Medium),
            hds_activities: vec![1, 2, 3, 4, 5, 6],
            refuse_findings: Some(Severity::Error),
            ..Policy::default()
        });
        assert!(!r.met);
        let v = verdict(&r, "a", "storage.outside_eea");
        assert_eq!(v.violations.len(), 1);
        assert_eq!(v.violations[0].id, "nyc");
        assert!(
            v.violations[0]
                .reason
                .contains("in United States, outside the EEA")
        );
        assert!(verdict(&r, "b", "storage.outside_eea").met);
        assert!(!verdict(&r, "a", "storage.countries").met);
        let t = verdict(&r, "a", "transfers.non_adequate");
        assert_eq!(t.violations[0].id, "flow:telemetry");
        assert_eq!(t.violations[0].measures[0].title, "Encryption");
        assert!(verdict(&r, "b", "transfers.non_adequate").met);
        // An exposure naming no service concerns every service.
        for s in ["a", "b"] {
            let x = verdict(&r, s, "exposure.refused_countries");
            assert!(
                x.violations[0]
                    .reason
                    .contains("P SAS is subject to the law of China through CN Group")
            );
            assert_eq!(x.violations[0].laws, ["CN-NIL"]);
        }
        let m = verdict(&r, "a", "measures.required");
        assert_eq!(
            m.violations.len(),
            1,
            "the exposure has no measure; the flow has one"
        );
        assert!(m.violations[0].reason.ends_with("no measure declared"));
        let res = verdict(&r, "a", "measures.max_residual");
        assert!(
            res.violations
                .iter()
                .any(|v| v.reason.ends_with("residual risk high is above medium"))
        );
        let h = verdict(&r, "a", "hds.activities");
        assert!(h.violations[0].reason.contains("does not cover activity 5"));
        assert!(verdict(&r, "b", "hds.activities").met);
        assert!(!verdict(&r, "a", "findings.refuse").met);
        assert!(verdict(&r, "b", "findings.refuse").met);
        assert_eq!(
            verdict(&r, "b", "findings.refuse").reason,
            "nothing in the publication concerns this rule"
        );
        // The text says the same.
        let text = text(&r);
        assert!(text.contains("service a (A): fails 8 of 8 rules"), "{text}");
        assert!(text.contains("FAILS the policy"));
    }

    #[test]
    fn partial_adequacy_is_accepted_only_when_the_policy_says_so() {
        let a = Adequacy {
            status: AdequacyLevel::Partial,
            decision: Some("US-DPF".into()),
            condition: Some("dpf".into()),
            in_scope: Some(true),
        };
        let strict = Policy::default();
        let lenient = Policy {
            accept_partial_adequacy: true,
            ..Policy::default()
        };
        assert!(!adequate(&a, &strict));
        assert!(adequate(&a, &lenient));
        let out_of_scope = Adequacy {
            in_scope: Some(false),
            ..a
        };
        assert!(!adequate(&out_of_scope, &lenient));
    }
}
