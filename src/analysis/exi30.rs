//! EXI 30: the host or a subcontractor involved in the service is subject —
//! through its own country or any entity up its control chain — to the law
//! of a country without an adequacy decision. The contract must then list the
//! laws, the measures and the residual risk.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Context;
use super::findings::{Finding, Severity, Subject};
use super::transfers::MeasureIndex;
use super::transfers::{AdequacyStatus, adequacy, decision_name, scope_text};
use crate::graph::ServiceReach;
use crate::model::{KeyHolder, MeasureTarget, RiskLevel};
use fixedbitset::FixedBitSet;

/// An involved entity's subjection to a non-adequate country's law.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    /// `exposure:<entity>:<country>`.
    pub id: String,
    /// The involved actor.
    pub entity: String,
    pub country: String,
    /// The entity whose country it is (the actor itself or a parent).
    pub through: String,
    /// Control chain from the actor up to `through` (inclusive), nearest first.
    pub chain: Vec<String>,
    pub adequacy: AdequacyStatus,
    /// Whether this exposure counts as an EXI 30 *risk* (measures and
    /// residual risk required). Always true without any adequacy decision or
    /// with the actor outside a partial decision's scope; for an actor within
    /// a partial decision's scope (a DPF-listed US parent), the host's
    /// `[policy] partial_adequacy_is_exposure` decides. The exposure itself —
    /// control chain and access laws — is disclosed whatever the policy.
    pub risk: bool,
    /// Law ids from the reference data (access laws in force on the date).
    pub laws: Vec<String>,
    pub services: Vec<String>,
    /// Measures mitigating this exposure (by entity in the chain or by law).
    pub measures: Vec<String>,
}

/// Entities involved in each service: actors, operators of reached sites,
/// teams of reached access origins, and recipients of flows — as a set of
/// service positions in `reach.services` per entity.
fn involved(ctx: &Context, reach: &ServiceReach) -> BTreeMap<String, FixedBitSet> {
    let p = ctx.project;
    let mut out: BTreeMap<String, FixedBitSet> = BTreeMap::new();
    for n in reach.all_nodes() {
        let (Some(e), Some(bits)) = (
            super::involved_entity(p, &ctx.graph.graph[n]),
            reach.bits_at(n),
        ) else {
            continue;
        };
        match out.get_mut(e) {
            Some(set) => set.union_with(bits),
            None => {
                out.insert(e.to_string(), bits.clone());
            }
        }
    }
    // The host is involved in everything it sells.
    if p.entities.contains_key(&p.config.host) {
        let mut all = FixedBitSet::with_capacity(reach.services.len());
        all.insert_range(..);
        out.insert(p.config.host.clone(), all);
    }
    out
}

pub fn collect(ctx: &Context, reach: &ServiceReach, findings: &mut Vec<Finding>) -> Vec<Exposure> {
    let p = ctx.project;
    let r = ctx.reference;
    let measures_index = MeasureIndex::new(p);
    // Access paths by team: measures on a team's own access path count for
    // the team's exposure.
    let mut access_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in p.access_paths.values() {
        access_of
            .entry(a.team.as_str())
            .or_default()
            .push(a.id.as_str());
    }
    let mut out = Vec::new();
    for (entity_id, services) in involved(ctx, reach) {
        let Some(entity) = p.entities.get(&entity_id) else {
            continue;
        };
        let services: Vec<String> = services.ones().map(|i| reach.services[i].clone()).collect();
        findings.extend(foreign_holdings(ctx, entity, &services));
        let mut chain_ids = vec![entity_id.clone()];
        chain_ids.extend(ctx.graph.control_chain(&entity_id));
        let mut done: BTreeSet<String> = BTreeSet::new();
        for (depth, through_id) in chain_ids.iter().enumerate() {
            let Some(through) = p.entities.get(through_id) else {
                continue;
            };
            let country = through.country.clone();
            if r.is_eea(&country) || done.contains(&country) {
                continue;
            }
            // Every entity of the chain under this country's law: the
            // exposure is the worst of them (a DPF-listed subsidiary does not
            // cover an unlisted ultimate parent), the nearest among equals.
            let mut pick: Option<(usize, &String, AdequacyStatus, bool)> = None;
            for (d, id) in chain_ids.iter().enumerate().skip(depth) {
                let Some(e) = p.entities.get(id).filter(|e| e.country == country) else {
                    continue;
                };
                let status = adequacy(ctx, &country, Some(e));
                // Only a *full* adequacy decision takes the country out of
                // the disclosure: a partial decision (DPF, PIPEDA) does not
                // neutralise the country's access laws for the actor (issue
                // 17, rule 2). The policy decides only whether it counts as
                // a risk.
                let risk = match &status {
                    AdequacyStatus::Full { .. } => continue,
                    AdequacyStatus::None => true,
                    AdequacyStatus::Partial { in_scope, .. } => {
                        !in_scope || ctx.policy.partial_adequacy_is_exposure
                    }
                };
                let worse = !matches!(status, AdequacyStatus::Partial { in_scope: true, .. });
                match &pick {
                    Some((_, _, old, _))
                        if !(worse
                            && matches!(old, AdequacyStatus::Partial { in_scope: true, .. })) => {}
                    _ => pick = Some((d, id, status, risk)),
                }
            }
            done.insert(country.clone());
            let Some((depth, through_id, status, risk)) = pick else {
                continue;
            };
            let chain: Vec<String> = chain_ids[..=depth].to_vec();
            let laws: Vec<String> = r
                .laws_for(&country, ctx.as_of)
                .iter()
                .map(|l| l.id.clone())
                .collect();
            // A measure mitigates what it names (issue 17, rule 6): the
            // actor, any company of its group up the control chain (a
            // group-wide measure), or the actor's own access paths. A measure
            // that also names laws counts only for an exposure under one of
            // them; one naming laws alone attaches to no actor
            // (MEASURE-NOT-ATTACHED).
            let mut targets: Vec<MeasureTarget> = chain_ids
                .iter()
                .map(|e| MeasureTarget::Entity(e.clone()))
                .collect();
            if let Some(paths) = access_of.get(entity_id.as_str()) {
                targets.extend(paths.iter().map(|a| MeasureTarget::Access(a.to_string())));
            }
            let measures: Vec<String> = measures_index
                .any_of(&targets)
                .into_iter()
                .filter(|m| {
                    p.measures.get(m).is_some_and(|m| {
                        let named: Vec<&str> = m
                            .mitigates
                            .iter()
                            .filter_map(|t| match t {
                                MeasureTarget::Law(l) => Some(l.as_str()),
                                _ => None,
                            })
                            .collect();
                        named.is_empty() || named.iter().any(|l| laws.iter().any(|x| x == l))
                    })
                })
                .collect();
            let exposure = Exposure {
                id: format!("exposure:{entity_id}:{country}"),
                entity: entity_id.clone(),
                country: country.clone(),
                through: through_id.clone(),
                chain,
                adequacy: status,
                risk,
                laws,
                services: services.clone(),
                measures,
            };
            findings.extend(judge(ctx, &exposure, entity));
            out.push(exposure);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    unattached(ctx, findings);
    out
}

/// Measures that name laws but no actor, access path or flow: they mitigate
/// nothing in particular and are attached to no exposure.
fn unattached(ctx: &Context, findings: &mut Vec<Finding>) {
    for m in ctx.project.measures.values() {
        if m.mitigates.is_empty()
            || !m
                .mitigates
                .iter()
                .all(|t| matches!(t, MeasureTarget::Law(_)))
        {
            continue;
        }
        findings.push(
            Finding::new(
                "MEASURE-NOT-ATTACHED",
                Severity::Warning,
                "HDS EXI 30",
                Subject::Measure(m.id.clone()),
                format!(
                    "Measure `{}` names only laws; a measure mitigates the exposure of the actors it names, so it is attached to no exposure.",
                    m.id
                ),
                format!(
                    "La mesure `{}` ne nomme que des lois ; une mesure réduit le risque des acteurs qu'elle nomme : elle n'est rattachée à aucune exposition.",
                    m.id
                ),
            )
            .hint("add the actors it protects to `mitigates` (`entity:ID`, or `access:ID` for an access path), keeping `law:ID` to restrict it to those laws")
            .at(&m.loc),
        );
    }
}

/// The declared measures an exposure counts (ids that resolve).
fn measures_of<'a>(ctx: &Context<'a>, x: &Exposure) -> Vec<&'a crate::model::Measure> {
    x.measures
        .iter()
        .filter_map(|m| ctx.project.measures.get(m))
        .collect()
}

/// Whether the exposed actor can see the data in clear (processing, remote
/// administration): a measure says so, or none says it cannot — not stated
/// is judged at its worst plausible value.
fn sees_clear_text(ctx: &Context, x: &Exposure) -> bool {
    let ms = measures_of(ctx, x);
    if ms.iter().any(|m| m.clear_text_access == Some(true)) {
        return true;
    }
    if ms.iter().any(|m| m.clear_text_access == Some(false)) {
        return false;
    }
    // Not stated: the worst plausible value.
    true
}

/// Whether the exposed actor may hold the keys: a measure says so, or no
/// measure says who holds them (unknown, judged at its worst).
fn holds_keys(ctx: &Context, x: &Exposure) -> bool {
    let ms = measures_of(ctx, x);
    ms.iter()
        .any(|m| m.keys_held_by == Some(KeyHolder::ExposedActor))
        || ms.iter().all(|m| m.keys_held_by.is_none())
}

/// A residual level of none or negligible, declared or written as text.
fn claims_no_residual(m: &crate::model::Measure) -> bool {
    if matches!(
        m.residual_level,
        Some(RiskLevel::None | RiskLevel::Negligible)
    ) {
        return true;
    }
    m.residual_risk.as_deref().is_some_and(|t| {
        let t: String = t.trim().trim_end_matches(['.', '!']).to_lowercase();
        matches!(
            t.as_str(),
            "aucun"
                | "aucune"
                | "néant"
                | "neant"
                | "nul"
                | "none"
                | "nil"
                | "no risk"
                | "aucun risque"
                | "négligeable"
                | "negligeable"
                | "negligible"
        )
    })
}

fn judge(ctx: &Context, x: &Exposure, entity: &crate::model::Entity) -> Vec<Finding> {
    let p = ctx.project;
    let r = ctx.reference;
    let (c_en, c_fr) = (
        r.country_name(&x.country, "en"),
        r.country_name(&x.country, "fr"),
    );
    let name = |id: &str| p.entity_name(id);
    // People (a contractor, a team) are not incorporated: they reside.
    let people = p
        .entities
        .get(&x.through)
        .is_some_and(|e| e.facts.kind.is_people());
    let unstated = crate::unknown::place(&x.country).unstated_third_country();
    // How the actor is subject to the law: [own country unstated, people
    // residing there, incorporated there, controlled through …].
    let via = |[own, residing, incorporated, controlled]: [&str; 4]| {
        if x.through == x.entity && unstated {
            own.to_string()
        } else if x.through == x.entity && people {
            residing.to_string()
        } else if x.through == x.entity {
            incorporated.to_string()
        } else {
            let path: Vec<String> = x.chain.iter().map(|id| name(id)).collect();
            format!("{controlled} {}", path.join(" → "))
        }
    };
    let via_en = via([
        "its own country",
        "residing there",
        "incorporated there",
        "controlled through",
    ]);
    let via_fr = via([
        "son propre pays",
        "y résidant",
        "immatriculé dans ce pays",
        "contrôlé par",
    ]);
    let law_names: Vec<String> = x
        .laws
        .iter()
        .map(|l| {
            r.law(l)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| l.clone())
        })
        .collect();
    let (laws_en, laws_fr) = if law_names.is_empty() {
        (
            "no access law of this country is in the reference data".to_string(),
            "aucune loi d'accès de ce pays ne figure dans les données de référence".to_string(),
        )
    } else {
        (law_names.join("; "), law_names.join(" ; "))
    };
    // Name the decision and its scope (rule 8: never "no adequacy decision"
    // for a country with a partial one).
    let (partial_en, partial_fr) = match &x.adequacy {
        AdequacyStatus::Partial {
            decision,
            in_scope,
            condition,
        } => {
            let d = decision_name(ctx, decision);
            let (sc_en, sc_fr) = (
                scope_text(ctx, decision, "en"),
                scope_text(ctx, decision, "fr"),
            );
            let sc_en = sc_en.trim_end_matches('.');
            let sc_fr = sc_fr.trim_end_matches('.');
            if *in_scope {
                (
                    format!(
                        " The adequacy decision {d} is partial ({sc_en}); {} is within its scope, which does not remove the access laws above.{}",
                        name(&x.through),
                        if x.risk {
                            " The host's policy counts it as an EXI 30 risk."
                        } else {
                            ""
                        }
                    ),
                    format!(
                        " La décision d'adéquation {d} est partielle ({sc_fr}) ; {} est dans son périmètre, ce qui n'écarte pas les lois ci-dessus.{}",
                        name(&x.through),
                        if x.risk {
                            " La politique de l'hébergeur la compte comme un risque EXI 30."
                        } else {
                            ""
                        }
                    ),
                )
            } else {
                (
                    format!(
                        " {} is outside the scope of the adequacy decision {d}, which is partial ({sc_en}; condition `{condition}`).",
                        name(&x.through)
                    ),
                    format!(
                        " {} est hors du périmètre de la décision d'adéquation {d}, qui est partielle ({sc_fr} ; condition `{condition}`).",
                        name(&x.through)
                    ),
                )
            }
        }
        _ => (String::new(), String::new()),
    };
    let base = |code, sev, en: String, fr: String| {
        Finding::new(
            code,
            sev,
            "HDS EXI 30; GDPR Art. 48",
            Subject::Entity(x.entity.clone()),
            en,
            fr,
        )
        .services(x.services.clone())
        .countries(vec![x.country.clone()])
        .laws(x.laws.clone())
        .at(&entity.loc)
    };
    let mut out = Vec::new();
    let residuals: Vec<&str> = x
        .measures
        .iter()
        .filter_map(|m| p.measures.get(m))
        .filter_map(|m| m.residual_risk.as_deref())
        .collect();
    let (kind_en, kind_fr) = if unstated {
        (
            "a country the document does not name (treated, until confirmed, as one without an adequacy decision)",
            "pays que le document ne nomme pas (traité, jusqu'à confirmation, comme un pays sans décision d'adéquation)",
        )
    } else if matches!(x.adequacy, AdequacyStatus::None) {
        (
            "a country without an adequacy decision",
            "pays tiers sans décision d'adéquation",
        )
    } else {
        (
            "a country whose adequacy decision is only partial",
            "pays tiers dont la décision d'adéquation n'est que partielle",
        )
    };
    let head_en = format!(
        "{} is subject to the law of {kind_en}: {c_en} ({via_en}). Laws that could compel access: {laws_en}.{partial_en}",
        entity.legal_name
    );
    let head_fr = format!(
        "{} est soumis au droit d'un {kind_fr} : {c_fr} ({via_fr}). Lois pouvant imposer un accès : {laws_fr}.{partial_fr}",
        entity.legal_name
    );
    if !x.risk {
        // Within a partial decision's scope and the policy does not count it
        // as a risk: disclosed (chain, laws, the policy's rationale), no
        // measure required. The fixed EXI 31 sentences stay ruled out.
        let (why_en, why_fr) = match &ctx.policy.rationale {
            Some(r) => (format!(" Rationale: {r}"), format!(" Justification : {r}")),
            None => (String::new(), String::new()),
        };
        out.push(base(
            "EXI30-PARTIAL-ADEQUACY-DISCLOSED",
            Severity::Notice,
            format!(
                "{head_en} The host's policy does not count a partial adequacy decision as an EXI 30 risk;{why_en} the control chain and the laws are still disclosed on the page and in the annex, and the fixed EXI 31 statements cannot be used."
            ),
            format!(
                "{head_fr} La politique de l'hébergeur ne compte pas une décision d'adéquation partielle comme un risque EXI 30 ;{why_fr} la chaîne de contrôle et les lois restent indiquées sur la page et dans l'annexe, et les déclarations fixes de l'exigence 31 ne peuvent pas être utilisées."
            ),
        ));
    } else if x.measures.is_empty() {
        out.push(
            base(
                "EXI30-NO-MEASURE",
                Severity::Error,
                format!("{head_en} No mitigation measure is linked: the contract must list the measures and the residual risk."),
                format!("{head_fr} Aucune mesure de réduction du risque n'est liée : le contrat doit lister les mesures et le risque résiduel."),
            )
            .hint(format!(
                "write a measure in content/measures/ with `mitigates = [\"entity:{}\"]` (or `law:ID`) and a `residual_risk`",
                x.through
            )),
        );
    } else if residuals.is_empty() {
        out.push(
            base(
                "EXI30-NO-RESIDUAL-RISK",
                Severity::Error,
                format!("{head_en} Measures: {}; none states the residual risk that EXI 30 requires.", x.measures.join(", ")),
                format!("{head_fr} Mesures : {} ; aucune n'indique le risque résiduel exigé par l'exigence 30.", x.measures.join(", ")),
            )
            .hint("add `residual_risk = \"…\"` to the front matter of at least one of these measures"),
        );
    } else {
        out.push(base(
            "EXI30-EXPOSURE",
            Severity::Notice,
            format!(
                "{head_en} Disclose in the contract with the measures ({}) and the residual risk.",
                x.measures.join(", ")
            ),
            format!(
                "{head_fr} À indiquer au contrat avec les mesures ({}) et le risque résiduel.",
                x.measures.join(", ")
            ),
        ));
    }
    // EDPB Recommendations 01/2020, use cases 6 and 7: no effective technical
    // measure where the exposed actor needs the data in clear or holds the
    // keys; a residual risk of none or negligible is then not credible.
    let understated: Vec<&str> = x
        .measures
        .iter()
        .filter_map(|m| p.measures.get(m))
        .filter(|m| claims_no_residual(m))
        .map(|m| m.id.as_str())
        .collect();
    if x.risk && !understated.is_empty() {
        let keys = holds_keys(ctx, x);
        let clear = sees_clear_text(ctx, x);
        if keys || clear {
            let (why_en, why_fr) = match (keys, clear) {
                (true, true) => (
                    "may hold the encryption keys and see the data in clear",
                    "peut détenir les clés de chiffrement et voir les données en clair",
                ),
                (true, false) => (
                    "may hold the encryption keys",
                    "peut détenir les clés de chiffrement",
                ),
                _ => (
                    "can see the data in clear",
                    "peut voir les données en clair",
                ),
            };
            out.push(
                base(
                    "EXI30-RESIDUAL-UNDERSTATED",
                    Severity::Warning,
                    format!(
                        "{} {why_en} (not stated otherwise by the measures), yet measure(s) {} state no or a negligible residual risk. The EDPB (Recommendations 01/2020, use cases 6 and 7) finds no effective technical measure in that case: the residual risk of access under {laws_en} remains.",
                        entity.legal_name,
                        understated.join(", ")
                    ),
                    format!(
                        "{} {why_fr} (les mesures ne disent pas le contraire), mais la ou les mesures {} indiquent un risque résiduel nul ou négligeable. Le CEPD (recommandations 01/2020, cas d'usage 6 et 7) ne trouve dans ce cas aucune mesure technique efficace : le risque résiduel d'accès au titre de {laws_fr} demeure.",
                        entity.legal_name,
                        understated.join(", ")
                    ),
                )
                .hint("state the residual risk that remains (e.g. `residual_level = \"medium\"`), or declare `keys_held_by = \"eea-host\"` or `\"client\"` and `clear_text_access = false` if that is the case"),
            );
        }
    }
    // An unnamed country's laws cannot be in the reference data: that is
    // said by CONFIRM-CONTROL-COUNTRY, with the question to ask.
    if x.laws.is_empty() && !unstated {
        out.push(
            base(
                "EXI30-LAWS-UNKNOWN",
                // A partial decision means the country was assessed; a country
                // with no decision at all must have its laws named.
                if matches!(x.adequacy, AdequacyStatus::None) { Severity::Warning } else { Severity::Notice },
                format!("The reference data lists no access law for {c_en}; the contract must still name the laws that could compel access to data held by {}.", entity.legal_name),
                format!("Les données de référence ne listent aucune loi d'accès pour ce pays ({c_fr}) ; le contrat doit néanmoins nommer les lois qui pourraient imposer l'accès aux données détenues par {}.", entity.legal_name),
            )
            .hint(format!("add the applicable laws in sovmap.toml under [[reference.law]] with `country = \"{}\"`", x.country)),
        );
    }
    out
}

/// SecNumCloud 3.2 §19.6.b thresholds: share capital and voting rights held,
/// directly or indirectly, by entities based outside the EU — more than 24 %
/// individually, more than 39 % collectively.
const INDIVIDUAL_THRESHOLD: f64 = 24.0;
const COLLECTIVE_THRESHOLD: f64 = 39.0;

/// Whether a country is in the European Union (§19.6 speaks of the EU, not
/// the EEA: a Norwegian holder is "outside the EU").
///
/// Mutation testing (issue 17, item 11): the mutants `==` → `!=` and `&&` →
/// `||` in the territories' parent test survive and change nothing today:
/// every territory of the embedded data that is in the EEA (GP, MQ, GF, RE,
/// YT, MF, IC, EA, AX) has an EU parent, and a project cannot add
/// territories (`[reference]` takes `adequacy` and `law` only). The test is
/// kept for a future territory of Norway, Iceland or Liechtenstein in the EEA.
fn is_eu(ctx: &Context, country: &str) -> bool {
    let r = ctx.reference;
    r.eea.iter().any(|m| m.code == country && m.eu)
        || r.territories.iter().any(|t| {
            t.code == country
                && t.in_eea
                && t.parent
                    .as_ref()
                    .is_some_and(|p| r.eea.iter().any(|m| &m.code == p && m.eu))
        })
}

/// Shares of `entity` held, directly or through EU holding companies, by
/// each entity based outside the EU (percent), and the non-EU holders of a
/// veto or of the power to appoint the board's majority. Cycle-safe (`seen`).
fn non_eu_holders(
    ctx: &Context,
    entity: &str,
    seen: &mut Vec<String>,
) -> (BTreeMap<String, f64>, BTreeSet<String>) {
    let mut shares: BTreeMap<String, f64> = BTreeMap::new();
    let mut rights: BTreeSet<String> = BTreeSet::new();
    let Some(e) = ctx.project.entities.get(entity) else {
        return (shares, rights);
    };
    // `seen` stops a walk around cross-holdings; the depth bound only
    // bounds work on a hostile file. Mutation testing (issue 17, item 11):
    // `> 32` → `>= 32` / `== 32` survive and change a result only for a
    // holding chain exactly 33 companies deep, which no real group has.
    if seen.iter().any(|s| s == entity) || seen.len() > 32 {
        return (shares, rights);
    }
    seen.push(entity.to_string());
    for h in &e.shareholders {
        let Some(he) = ctx.project.entities.get(&h.holder) else {
            continue;
        };
        let w = h.weight();
        if !is_eu(ctx, &he.country) {
            *shares.entry(h.holder.clone()).or_default() += w;
            if h.veto || h.board_majority {
                rights.insert(h.holder.clone());
            }
        } else {
            let (up, up_rights) = non_eu_holders(ctx, &h.holder, seen);
            for (x, s) in up {
                *shares.entry(x).or_default() += w * s / 100.0;
            }
            // Rights held over an EU holding company that itself controls
            // the entity reach the entity too.
            if h.controls() {
                rights.extend(up_rights);
            }
        }
    }
    seen.pop();
    (shares, rights)
}

/// EXI 30 exposure indicators from holdings (issue 17, rule 4): non-EU
/// holdings above the §19.6.b thresholds, or a veto / board-appointment
/// right held outside the EU. Disclosed with the criterion named; control
/// itself (and so the exposure) follows the majority of voting rights.
fn foreign_holdings(
    ctx: &Context,
    entity: &crate::model::Entity,
    services: &[String],
) -> Vec<Finding> {
    let (mut shares, mut rights) = non_eu_holders(ctx, &entity.id, &mut Vec::new());
    let total: f64 = shares.values().sum();
    let p = ctx.project;
    // What control already discloses (the exposure through the chain) is not
    // repeated: holders in the control chain are left out, and the
    // collective criterion is told only when no non-EU entity controls.
    let chain = ctx.graph.control_chain(&entity.id);
    shares.retain(|h, _| !chain.contains(h));
    rights.retain(|h| !chain.contains(h));
    let controlled_from_outside = chain
        .iter()
        .filter_map(|c| p.entities.get(c))
        .any(|c| !is_eu(ctx, &c.country));
    let mut criteria_en: Vec<String> = Vec::new();
    let mut criteria_fr: Vec<String> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    for (h, s) in &shares {
        let Some(he) = p.entities.get(h) else {
            continue;
        };
        if *s > INDIVIDUAL_THRESHOLD {
            countries.push(he.country.clone());
            criteria_en.push(format!(
                "{} ({}) holds {s:.0} % directly or indirectly (more than {INDIVIDUAL_THRESHOLD:.0} % individually)",
                he.legal_name,
                ctx.reference.country_name(&he.country, "en")
            ));
            criteria_fr.push(format!(
                "{} ({}) détient {s:.0} % directement ou indirectement (plus de {INDIVIDUAL_THRESHOLD:.0} % individuellement)",
                he.legal_name,
                ctx.reference.country_name(&he.country, "fr")
            ));
        }
    }
    if total > COLLECTIVE_THRESHOLD && !controlled_from_outside {
        for h in shares.keys() {
            if let Some(he) = p.entities.get(h) {
                countries.push(he.country.clone());
            }
        }
        criteria_en.push(format!(
            "entities based outside the EU hold {total:.0} % together (more than {COLLECTIVE_THRESHOLD:.0} % collectively)"
        ));
        criteria_fr.push(format!(
            "des entités établies hors de l'UE détiennent ensemble {total:.0} % (plus de {COLLECTIVE_THRESHOLD:.0} % collectivement)"
        ));
    }
    for h in &rights {
        if let Some(he) = p.entities.get(h) {
            countries.push(he.country.clone());
            criteria_en.push(format!(
                "{} holds a veto or the power to appoint a majority of the board",
                he.legal_name
            ));
            criteria_fr.push(format!(
                "{} dispose d'un droit de veto ou du pouvoir de nommer la majorité des organes de direction",
                he.legal_name
            ));
        }
    }
    if criteria_en.is_empty() {
        return Vec::new();
    }
    vec![
        Finding::new(
            "EXI30-FOREIGN-HOLDING",
            Severity::Notice,
            "HDS EXI 30; SecNumCloud 3.2 §19.6.b",
            Subject::Entity(entity.id.clone()),
            format!(
                "{}: SecNumCloud 3.2 criterion 19.6.b is not met — {}. An indicator of exposure to the holders' law, to disclose with the EXI 30 risks (control itself, and so subjection, follows the majority of voting rights or a declared control right).",
                entity.legal_name,
                criteria_en.join("; ")
            ),
            format!(
                "{} : le critère 19.6.b de SecNumCloud 3.2 n'est pas rempli — {}. Un indice d'exposition au droit des détenteurs, à indiquer avec les risques EXI 30 (le contrôle, et donc la soumission, suit la majorité des droits de vote ou un droit de contrôle déclaré).",
                entity.legal_name,
                criteria_fr.join(" ; ")
            ),
        )
        .services(services.to_vec())
        .countries(countries)
        .at(&entity.loc),
    ]
}
