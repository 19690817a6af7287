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
use crate::model::MeasureTarget;
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
    let mut out = Vec::new();
    for (entity_id, services) in involved(ctx, reach) {
        let Some(entity) = p.entities.get(&entity_id) else {
            continue;
        };
        let services: Vec<String> = services.ones().map(|i| reach.services[i].clone()).collect();
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
            let targets: Vec<MeasureTarget> = chain
                .iter()
                .map(|e| MeasureTarget::Entity(e.clone()))
                .chain(laws.iter().map(|l| MeasureTarget::Law(l.clone())))
                .collect();
            let measures = measures_index.any_of(&targets);
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
    out
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
    let via_en = if x.through == x.entity && unstated {
        "its own country".to_string()
    } else if x.through == x.entity && people {
        "residing there".to_string()
    } else if x.through == x.entity {
        "incorporated there".to_string()
    } else {
        let path: Vec<String> = x.chain.iter().map(|id| name(id)).collect();
        format!("controlled through {}", path.join(" → "))
    };
    let via_fr = if x.through == x.entity && unstated {
        "son propre pays".to_string()
    } else if x.through == x.entity && people {
        "y résidant".to_string()
    } else if x.through == x.entity {
        "immatriculé dans ce pays".to_string()
    } else {
        let path: Vec<String> = x.chain.iter().map(|id| name(id)).collect();
        format!("contrôlé par {}", path.join(" → "))
    };
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
