//! Transfers (flows and remote access that make data reachable from outside
//! the EEA), their basis, and the EXI 29 / GDPR chapter V findings.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::Context;
use super::findings::{Finding, Severity, Subject};
use crate::graph::{Node, ServiceReach};
use crate::model::{Basis, DataCategory, Entity, MeasureTarget, NodeRef};
use crate::reference::Standing;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferKind {
    /// A data flow to a site or entity outside the EEA.
    Flow,
    /// Remote access from outside the EEA.
    RemoteAccess,
}

/// Whether an adequacy decision covers a destination and recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum AdequacyStatus {
    /// No decision in force for the country on the date.
    None,
    /// A decision covering the whole country.
    Full { decision: String },
    /// A partial decision; `in_scope` says whether the recipient satisfies its
    /// condition (e.g. listed under the DPF, subject to PIPEDA).
    Partial {
        decision: String,
        condition: String,
        in_scope: bool,
    },
}

impl AdequacyStatus {
    /// The transfer may rest on adequacy alone.
    pub fn covers(&self) -> bool {
        matches!(
            self,
            AdequacyStatus::Full { .. } | AdequacyStatus::Partial { in_scope: true, .. }
        )
    }

    pub fn decision(&self) -> Option<&str> {
        match self {
            AdequacyStatus::None => None,
            AdequacyStatus::Full { decision } | AdequacyStatus::Partial { decision, .. } => {
                Some(decision)
            }
        }
    }
}

/// How the transfer is framed, after checking the declared basis against the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BasisStatus {
    /// Art. 45 adequacy decision (in scope).
    Adequacy,
    /// Art. 46 appropriate safeguard.
    Safeguard,
    /// Art. 49 derogation.
    Derogation,
    /// Nothing valid frames the transfer.
    Missing,
    /// The document does not say which basis frames the transfer
    /// (`basis = "unstated"`): to confirm, not "no basis".
    Unstated,
}

/// A transfer of personal data outside the EEA (EXI 31 map rows).
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    /// `flow:<id>` or `access:<id>`.
    pub id: String,
    pub kind: TransferKind,
    /// The flow or access path id.
    pub source: String,
    /// Country outside the EEA that the data reaches (or is reached from).
    pub country: String,
    /// Entity receiving the data or reaching it.
    pub recipient: String,
    /// Site receiving the data, for flows to a site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub services: Vec<String>,
    pub data: Vec<DataCategory>,
    /// Health data is concerned (EXI 28–31); otherwise personal data only.
    pub health: bool,
    /// The destination keeps a copy (storage, replication, backup).
    pub storage: bool,
    pub adequacy: AdequacyStatus,
    pub basis: Option<Basis>,
    pub basis_reference: Option<String>,
    /// The transfer impact assessment declared for it (rule 7 of issue 17).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tia: Option<crate::model::Tia>,
    pub basis_status: BasisStatus,
    pub purpose: Option<String>,
    pub safeguards: Vec<String>,
    /// Measures declared as mitigating this transfer (by flow, access or recipient).
    pub measures: Vec<String>,
    /// The document says the data *may* go there (`possible = true`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub possible: bool,
}

/// Evaluate adequacy for a destination country and recipient as of the date.
pub fn adequacy(ctx: &Context, country: &str, recipient: Option<&Entity>) -> AdequacyStatus {
    // An international organisation: only a decision about the organisation
    // itself (the European Patent Organisation's, (EU) 2025/1382) is an
    // Art. 45 basis, never its seat country's (issue 17, rule 9).
    if let Some(e) = recipient.filter(|e| e.is_international_organisation()) {
        return match e
            .facts
            .organisation
            .as_deref()
            .and_then(|o| ctx.reference.organisation_decision(o, ctx.as_of))
        {
            Some(d) => AdequacyStatus::Full {
                decision: d.id.clone(),
            },
            None => AdequacyStatus::None,
        };
    }
    let decisions = match ctx.reference.standing(country, ctx.as_of) {
        Standing::Adequate(decisions) => {
            if let Some(full) = decisions.iter().find(|d| d.scope_condition.is_none()) {
                return AdequacyStatus::Full {
                    decision: full.id.clone(),
                };
            }
            decisions
        }
        Standing::Partial(decisions) => decisions,
        Standing::Unknown | Standing::Eea | Standing::Third => Vec::new(),
    };
    let mut best = AdequacyStatus::None;
    for d in decisions {
        if let Some(cond) = &d.scope_condition {
            let in_scope = recipient.is_some_and(|e| e.satisfies_scope(cond));
            if in_scope || best == AdequacyStatus::None {
                best = AdequacyStatus::Partial {
                    decision: d.id.clone(),
                    condition: cond.clone(),
                    in_scope,
                };
            }
            if in_scope {
                break;
            }
        }
    }
    best
}

pub fn basis_label(b: &Basis, lang: &str) -> String {
    let fr = lang == "fr";
    match b {
        Basis::Adequacy => if fr {
            "décision d'adéquation (art. 45 RGPD)"
        } else {
            "adequacy decision (GDPR Art. 45)"
        }
        .into(),
        Basis::Scc { module } => {
            let base = if fr {
                "clauses contractuelles types (décision (UE) 2021/914, art. 46 RGPD)"
            } else {
                "standard contractual clauses (Decision (EU) 2021/914, GDPR Art. 46)"
            };
            match module {
                Some(m) => format!("{base}, module {m}"),
                None => base.into(),
            }
        }
        Basis::Bcr => if fr {
            "règles d'entreprise contraignantes (art. 46 et 47 RGPD)"
        } else {
            "binding corporate rules (GDPR Art. 46–47)"
        }
        .into(),
        Basis::CodeOfConduct => if fr {
            "code de conduite approuvé (art. 46.2.e RGPD)"
        } else {
            "approved code of conduct (GDPR Art. 46(2)(e))"
        }
        .into(),
        Basis::Certification => if fr {
            "mécanisme de certification approuvé (art. 46.2.f RGPD)"
        } else {
            "approved certification mechanism (GDPR Art. 46(2)(f))"
        }
        .into(),
        Basis::AdHocClauses => if fr {
            "clauses ad hoc autorisées par l'autorité de contrôle (art. 46.3.a RGPD)"
        } else {
            "ad hoc clauses authorised by the supervisory authority (GDPR Art. 46(3)(a))"
        }
        .into(),
        Basis::Derogation { ground } => {
            if fr {
                format!("dérogation de l'art. 49 RGPD ({ground})")
            } else {
                format!("GDPR Art. 49 derogation ({ground})")
            }
        }
    }
}

pub(super) fn scope_text(ctx: &Context, decision: &str, lang: &str) -> String {
    ctx.reference
        .adequacy
        .iter()
        .find(|d| d.id == decision)
        .map(|d| {
            if lang == "fr" {
                d.scope_fr.clone()
            } else {
                d.scope.clone()
            }
        })
        .unwrap_or_default()
}

pub(super) fn decision_name(ctx: &Context, decision: &str) -> String {
    ctx.reference
        .adequacy
        .iter()
        .find(|d| d.id == decision)
        .map(|d| d.decision.clone())
        .unwrap_or_else(|| decision.to_string())
}

/// Services whose data reaches a declared node, sorted by id.
pub(super) fn services_at(ctx: &Context, reach: &ServiceReach, node: &NodeRef) -> Vec<String> {
    let node = match node {
        NodeRef::Entity(s) => Node::Entity(s.clone()),
        NodeRef::Site(s) => Node::Site(s.clone()),
        NodeRef::Service(s) => Node::Service(s.clone()),
    };
    ctx.graph
        .index_of(&node)
        .map(|i| reach.services_at(i).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Measures by what they mitigate, each list in measure id order: one pass
/// over the measures instead of one per transfer or exposure.
pub(super) struct MeasureIndex<'p>(BTreeMap<&'p MeasureTarget, Vec<&'p str>>);

impl<'p> MeasureIndex<'p> {
    pub(super) fn new(p: &'p crate::model::Project) -> Self {
        let mut by: BTreeMap<&MeasureTarget, Vec<&str>> = BTreeMap::new();
        for m in p.measures.values() {
            for t in &m.mitigates {
                let v = by.entry(t).or_default();
                if v.last() != Some(&m.id.as_str()) {
                    v.push(m.id.as_str());
                }
            }
        }
        MeasureIndex(by)
    }

    /// Ids of the measures mitigating any of `targets`, in measure id order.
    pub(super) fn any_of<'t>(
        &self,
        targets: impl IntoIterator<Item = &'t MeasureTarget>,
    ) -> Vec<String> {
        let mut ids: Vec<&str> = targets
            .into_iter()
            .filter_map(|t| self.0.get(t))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(str::to_string).collect()
    }
}

/// Whether the entity `id` is an international organisation.
fn is_organisation(p: &crate::model::Project, id: &str) -> bool {
    p.entities
        .get(id)
        .is_some_and(|e| e.is_international_organisation())
}

/// Measures that mitigate a transfer: by its flow/access id or its recipient.
fn measures_for(index: &MeasureIndex, source: MeasureTarget, recipient: &str) -> Vec<String> {
    index.any_of(&[source, MeasureTarget::Entity(recipient.to_string())])
}

pub fn collect(ctx: &Context, reach: &ServiceReach, findings: &mut Vec<Finding>) -> Vec<Transfer> {
    let p = ctx.project;
    let r = ctx.reference;
    let mut out = Vec::new();
    let measures = MeasureIndex::new(p);

    // Flows are judged in parallel (half of the analysis at 100,000
    // entities); transfers and findings are kept in the flows' order.
    let flows: Vec<&crate::model::Flow> = p.flows.values().collect();
    let judged: Vec<Option<(Transfer, Vec<Finding>)>> = flows
        .par_iter()
        .map(|f| {
            let (country, recipient, site) = match &f.to {
                NodeRef::Site(s) => {
                    let site = p.sites.get(s)?;
                    (site.country.clone(), site.operator.clone(), Some(s.clone()))
                }
                NodeRef::Entity(e) => {
                    let ent = p.entities.get(e)?;
                    (ent.country.clone(), e.clone(), None)
                }
                // Data sent into a service stays where the service stores it (EXI 28 checks that).
                NodeRef::Service(_) => return None,
            };
            // Data sent to an international organisation is a transfer
            // wherever its seat is (GDPR Art. 44).
            if (r.is_eea(&country) && !is_organisation(p, &recipient))
                || !f.data.iter().any(|d| d.is_personal())
            {
                return None;
            }
            let services = if f.services.is_empty() {
                services_at(ctx, reach, &f.from)
            } else {
                f.services.clone()
            };
            let t = Transfer {
                id: format!("flow:{}", f.id),
                kind: TransferKind::Flow,
                source: f.id.clone(),
                country: country.clone(),
                recipient: recipient.clone(),
                site,
                services,
                data: f.data.clone(),
                health: f.data.iter().any(|d| d.is_health()),
                storage: f.kind.stores_data(),
                adequacy: adequacy(ctx, &country, p.entities.get(&recipient)),
                basis: f.basis.clone(),
                basis_reference: f.basis_reference.clone(),
                tia: f.tia.clone(),
                basis_status: unstated_or_missing(&f.facts),
                purpose: f.description.clone(),
                safeguards: Vec::new(),
                measures: measures_for(&measures, MeasureTarget::Flow(f.id.clone()), &recipient),
                possible: f.facts.possible,
            };
            let mut found = Vec::new();
            let t = judge(ctx, t, true, &f.loc, &mut found);
            Some((t, found))
        })
        .collect();
    for (t, found) in judged.into_iter().flatten() {
        out.push(t);
        findings.extend(found);
    }

    for a in p.access_paths.values() {
        if (r.is_eea(&a.country) && !is_organisation(p, &a.team))
            || !a.data.iter().any(|d| d.is_personal())
        {
            continue;
        }
        let mut services: Vec<String> = a
            .targets
            .iter()
            .flat_map(|t| match t {
                NodeRef::Service(s) => vec![s.clone()],
                other => services_at(ctx, reach, other),
            })
            .collect();
        services.sort();
        services.dedup();
        let t = Transfer {
            id: format!("access:{}", a.id),
            kind: TransferKind::RemoteAccess,
            source: a.id.clone(),
            country: a.country.clone(),
            recipient: a.team.clone(),
            site: None,
            services,
            data: a.data.clone(),
            health: a.data.iter().any(|d| d.is_health()),
            storage: false,
            adequacy: adequacy(ctx, &a.country, p.entities.get(&a.team)),
            basis: a.basis.clone(),
            basis_reference: a.basis_reference.clone(),
            tia: a.tia.clone(),
            basis_status: unstated_or_missing(&a.facts),
            purpose: Some(a.purpose.clone()),
            safeguards: a.safeguards.clone(),
            measures: measures_for(&measures, MeasureTarget::Access(a.id.clone()), &a.team),
            possible: a.facts.possible,
        };
        out.push(judge(ctx, t, a.systematic, &a.loc, findings));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The basis status before judging: `Unstated` when the document does not
/// say (kept unless an adequacy decision covers the transfer anyway).
fn unstated_or_missing(facts: &crate::model::FlowFacts) -> BasisStatus {
    if facts.basis_unstated {
        BasisStatus::Unstated
    } else {
        BasisStatus::Missing
    }
}

/// Decide the basis status of a transfer and push its finding.
fn judge(
    ctx: &Context,
    mut t: Transfer,
    systematic: bool,
    loc: &crate::diag::Loc,
    findings: &mut Vec<Finding>,
) -> Transfer {
    let p = ctx.project;
    let r = ctx.reference;
    let access = t.kind == TransferKind::RemoteAccess;
    let exi29 = access && t.health;
    let subject = if access {
        Subject::Access(t.source.clone())
    } else {
        Subject::Flow(t.source.clone())
    };
    let rule: &'static str = if exi29 {
        "HDS EXI 29; GDPR Art. 44-49"
    } else {
        "GDPR Art. 44-49"
    };
    let (c_en, c_fr) = (
        r.country_name(&t.country, "en"),
        r.country_name(&t.country, "fr"),
    );
    let who = p.entity_name(&t.recipient);
    let organisation = is_organisation(p, &t.recipient);
    // A place the document does not name is judged as a third country but
    // never called one; an international organisation is not a country.
    let (third_en, third_fr) = if crate::unknown::place(&t.country).unstated_third_country() {
        (
            "a place the document does not name",
            "un lieu que le document ne nomme pas",
        )
    } else {
        ("a third country", "un pays tiers")
    };
    let (by_en, by_fr, to_en, to_fr) = if organisation {
        (
            format!("{who}, an international organisation, from {c_en}"),
            format!("{who}, organisation internationale, depuis {c_fr}"),
            format!("{who}, an international organisation (seat: {c_en})"),
            format!("{who}, organisation internationale (siège : {c_fr})"),
        )
    } else {
        (
            format!("{who} from {third_en} ({c_en})"),
            format!("{who} depuis {third_fr} ({c_fr})"),
            format!("{who} in {third_en} ({c_en})"),
            format!("{who} ({c_fr})"),
        )
    };
    let (what_en, what_fr) = if access {
        (
            format!(
                "Remote access to {} by {by_en}",
                if t.health {
                    "health data"
                } else {
                    "personal data"
                }
            ),
            format!(
                "L'accès à distance aux {} par {by_fr}",
                if t.health {
                    "données de santé"
                } else {
                    "données personnelles"
                }
            ),
        )
    } else {
        (
            format!(
                "The flow `{}` of {} to {to_en}",
                t.source,
                if t.health {
                    "health data"
                } else {
                    "personal data"
                }
            ),
            format!(
                "Le flux `{}` de {} vers {to_fr}",
                t.source,
                if t.health {
                    "données de santé"
                } else {
                    "données personnelles"
                }
            ),
        )
    };
    let code = |suffix: &str| -> &'static str {
        match (exi29, suffix) {
            (true, "ADEQUACY") => "EXI29-ACCESS-ADEQUACY",
            (true, "SAFEGUARD") => "EXI29-ACCESS-SAFEGUARD",
            (true, "DEROGATION-SYSTEMATIC") => "EXI29-DEROGATION-SYSTEMATIC",
            (true, "DEROGATION") => "EXI29-DEROGATION",
            (true, "NO-BASIS") => "EXI29-NO-BASIS",
            (true, _) => "EXI29-ADEQUACY-NOT-APPLICABLE",
            (false, "ADEQUACY") => "TRANSFER-ADEQUACY",
            (false, "SAFEGUARD") => "TRANSFER-SAFEGUARD",
            (false, "DEROGATION-SYSTEMATIC") => "TRANSFER-DEROGATION-SYSTEMATIC",
            (false, "DEROGATION") => "TRANSFER-DEROGATION",
            (false, "NO-BASIS") => "TRANSFER-NO-BASIS",
            (false, _) => "TRANSFER-ADEQUACY-NOT-APPLICABLE",
        }
    };
    let services = t.services.clone();
    let mk = |code: &'static str, sev: Severity, en: String, fr: String| {
        Finding::new(code, sev, rule, subject.clone(), en, fr)
            .services(services.clone())
            .countries(vec![t.country.clone()])
            .at(loc)
    };

    // Partial decision, recipient outside its scope: say so precisely.
    let out_of_scope = match &t.adequacy {
        AdequacyStatus::Partial {
            decision,
            condition,
            in_scope: false,
        } => Some((decision.clone(), condition.clone())),
        _ => None,
    };
    let no_adequacy_en = match &out_of_scope {
        Some((d, _)) => format!(
            "the adequacy decision for this country ({}) is partial ({}) and {who} is not declared within its scope",
            decision_name(ctx, d),
            scope_text(ctx, d, "en")
        ),
        None if organisation => format!(
            "no adequacy decision covers this international organisation on {} (a decision about the country of its seat does not)",
            ctx.as_of
        ),
        None => format!("no adequacy decision covers this country on {}", ctx.as_of),
    };
    let no_adequacy_fr = match &out_of_scope {
        Some((d, _)) => format!(
            "la décision d'adéquation pour ce pays ({c_fr} : {}) est partielle ({}) et {who} n'est pas déclaré dans son périmètre",
            decision_name(ctx, d),
            scope_text(ctx, d, "fr")
        ),
        None if organisation => format!(
            "aucune décision d'adéquation ne couvre cette organisation internationale au {} (une décision relative au pays de son siège ne la couvre pas)",
            ctx.as_of
        ),
        None => format!(
            "aucune décision d'adéquation ne couvre ce pays au {}",
            ctx.as_of
        ),
    };
    let scope_hint = out_of_scope.as_ref().map(|(_, cond)| {
        format!(
            "if {who} satisfies the decision's condition, add `adequacy_scopes = [\"{cond}\"]`{} to entity `{}`; otherwise declare an Art. 46 safeguard",
            if cond == "dpf" { " (or `dpf = true`)" } else { "" },
            t.recipient
        )
    });

    let finding = if t.adequacy.covers() {
        let decision = t.adequacy.decision().unwrap_or_default().to_string();
        let partial = matches!(t.adequacy, AdequacyStatus::Partial { .. });
        if t.basis.as_ref().is_some_and(|b| b.is_art46()) {
            t.basis_status = BasisStatus::Safeguard;
        } else {
            t.basis_status = BasisStatus::Adequacy;
        }
        let scope_en = if partial {
            format!(
                " — a partial decision ({})",
                scope_text(ctx, &decision, "en").trim_end_matches('.')
            )
        } else {
            String::new()
        };
        let scope_fr = if partial {
            format!(
                " — décision partielle ({})",
                scope_text(ctx, &decision, "fr").trim_end_matches('.')
            )
        } else {
            String::new()
        };
        // A declared Art. 46 safeguard is what the provider relies on, even
        // where an adequacy decision would also cover the transfer: say both.
        let interim = ctx.reference.decision(&decision).is_some_and(|d| d.interim);
        let (en, fr) = match t.basis.as_ref().filter(|b| b.is_art46()) {
            // The TCA bridge is not an adequacy decision: say what it was.
            _ if interim => (
                format!(
                    "{what_en} was not treated as a transfer to a third country on {} under {} ({}): an interim treaty provision, not an adequacy decision. Disclose it to clients.",
                    ctx.as_of,
                    decision_name(ctx, &decision),
                    scope_text(ctx, &decision, "en").trim_end_matches('.')
                ),
                format!(
                    "{what_fr} n'était pas considéré comme un transfert vers un pays tiers au {} en vertu de {} ({}) : une disposition intérimaire d'un traité, non une décision d'adéquation. À indiquer aux clients.",
                    ctx.as_of,
                    decision_name(ctx, &decision),
                    scope_text(ctx, &decision, "fr").trim_end_matches('.')
                ),
            ),
            Some(b) => (
                format!(
                    "{what_en} is framed by {} (declared); the adequacy decision {}{scope_en} also covers it. Disclose it to clients.",
                    basis_label(b, "en"),
                    decision_name(ctx, &decision)
                ),
                format!(
                    "{what_fr} est encadré par {} (déclaré) ; la décision d'adéquation {}{scope_fr} le couvre aussi. À indiquer aux clients.",
                    basis_label(b, "fr"),
                    decision_name(ctx, &decision)
                ),
            ),
            None => (
                format!(
                    "{what_en} rests on the adequacy decision {}{scope_en}. Disclose it to clients.",
                    decision_name(ctx, &decision)
                ),
                format!(
                    "{what_fr} repose sur la décision d'adéquation {}{scope_fr}. À indiquer aux clients.",
                    decision_name(ctx, &decision)
                ),
            ),
        };
        mk(code("ADEQUACY"), Severity::Notice, en, fr)
    } else {
        match &t.basis {
            Some(b) if b.is_art46() => {
                t.basis_status = BasisStatus::Safeguard;
                mk(
                    code("SAFEGUARD"),
                    Severity::Notice,
                    format!(
                        "{what_en}: {no_adequacy_en}; it is framed by {}. Tell clients there is no adequacy decision and which safeguard applies.",
                        basis_label(b, "en")
                    ),
                    format!(
                        "{what_fr} : {no_adequacy_fr} ; il est encadré par {}. Les clients doivent être informés de l'absence de décision d'adéquation et de la garantie appliquée.",
                        basis_label(b, "fr")
                    ),
                )
            }
            Some(b @ Basis::Derogation { .. }) => {
                t.basis_status = BasisStatus::Derogation;
                if t.health {
                    // HDS EXI 29 admits two bases only: an adequacy decision
                    // covering the recipient (Art. 45) or appropriate
                    // safeguards (Art. 46). An Art. 49 derogation, even for a
                    // one-off access, does not satisfy it (reference.md §3.3,
                    // "EXI 29 bases"): an error for health data, whether the
                    // data is reached remotely or sent by a flow.
                    mk(
                        code(if systematic { "DEROGATION-SYSTEMATIC" } else { "DEROGATION" }),
                        Severity::Error,
                        format!("{what_en}: {no_adequacy_en}; it relies on a {}, which HDS EXI 29 does not admit: health data may be reached from a third country only under an adequacy decision (GDPR Art. 45) or appropriate safeguards (Art. 46).", basis_label(b, "en")),
                        format!("{what_fr} : {no_adequacy_fr} ; il repose sur une {}, que l'exigence 29 du référentiel HDS n'admet pas : les données de santé ne peuvent être accessibles depuis un pays tiers que sur le fondement d'une décision d'adéquation (art. 45 RGPD) ou de garanties appropriées (art. 46).", basis_label(b, "fr")),
                    )
                    .hint(scope_hint.clone().unwrap_or_else(|| "frame it with an Art. 46 safeguard (e.g. `basis = \"scc-3\"`, standard contractual clauses module 3), or stop the access".to_string()))
                } else if systematic {
                    mk(
                        code("DEROGATION-SYSTEMATIC"),
                        Severity::Warning,
                        format!("{what_en}: {no_adequacy_en}; it relies on a {}, which is for occasional transfers and cannot frame a regular access or flow.", basis_label(b, "en")),
                        format!("{what_fr} : {no_adequacy_fr} ; il repose sur une {}, réservée aux transferts occasionnels, qui ne peut encadrer un accès ou un flux régulier.", basis_label(b, "fr")),
                    )
                    .hint("use an Art. 46 safeguard (e.g. `basis = \"scc-3\"`), or set `systematic = false` if the access is truly exceptional")
                } else {
                    // Personal data other than health data: Art. 49 applies,
                    // restrictively (EDPB Guidelines 2/2018), to an
                    // occasional transfer; disclosed, not an error.
                    mk(
                        code("DEROGATION"),
                        Severity::Warning,
                        format!(
                            "{what_en}: {no_adequacy_en}; an exceptional transfer relies on a {}, which applies only restrictively (occasional, not a basis for a regular hosting or support relationship).",
                            basis_label(b, "en")
                        ),
                        format!(
                            "{what_fr} : {no_adequacy_fr} ; un transfert exceptionnel repose sur une {}, d'application restrictive (occasionnelle, pas un fondement pour une relation régulière d'hébergement ou de support).",
                            basis_label(b, "fr")
                        ),
                    )
                }
            }
            Some(Basis::Adequacy) => {
                t.basis_status = BasisStatus::Missing;
                mk(
                    code("ADEQUACY-NOT-APPLICABLE"),
                    Severity::Error,
                    format!("{what_en} is declared as resting on adequacy, but {no_adequacy_en}."),
                    format!("{what_fr} est déclaré fondé sur une décision d'adéquation, mais {no_adequacy_fr}."),
                )
                .hint(scope_hint.clone().unwrap_or_else(|| "declare an Art. 46 safeguard, e.g. `basis = \"scc-2\"` or `basis = \"bcr\"`".to_string()))
            }
            None if t.basis_status == BasisStatus::Unstated => mk(
                if exi29 { "CONFIRM-ACCESS-BASIS" } else { "CONFIRM-TRANSFER-BASIS" },
                Severity::Warning,
                format!("To confirm: {what_en} — {no_adequacy_en}, and the document does not say which basis frames it. Without an Art. 46 safeguard (standard contractual clauses, binding corporate rules…) the transfer would be unlawful{}. Ask the provider which safeguard applies and where it is documented.", if exi29 { " and clients must be told the safeguard (EXI 29)" } else { "" }),
                format!("À confirmer : {what_fr} — {no_adequacy_fr}, et le document ne dit pas quel fondement l'encadre. Sans garantie de l'art. 46 (clauses contractuelles types, règles d'entreprise contraignantes…) le transfert serait illicite{}. Demander au prestataire quelle garantie s'applique et où elle est documentée.", if exi29 { " et la garantie doit être indiquée aux clients (exigence 29)" } else { "" }),
            )
            .hint("once known, write the basis (e.g. `basis = \"scc-3\"`)")
            .to_confirm(),
            _ => {
                t.basis_status = BasisStatus::Missing;
                mk(
                    code("NO-BASIS"),
                    Severity::Error,
                    format!("{what_en} has no legal basis: {no_adequacy_en} and no Art. 46 safeguard is declared."),
                    format!("{what_fr} n'a pas de fondement juridique : {no_adequacy_fr} et aucune garantie de l'art. 46 n'est déclarée."),
                )
                .hint(scope_hint.clone().unwrap_or_else(|| "declare the safeguard that frames it, e.g. `basis = \"scc-2\"` (standard contractual clauses, module 2) or `basis = \"bcr\"`".to_string()))
            }
        }
    };
    let mut finding = finding;
    if t.possible {
        finding.message_en = format!(
            "Possible transfer (the document says data may go there): {}",
            finding.message_en
        );
        finding.message_fr = format!(
            "Transfert possible (le document indique que des données peuvent y aller) : {}",
            finding.message_fr
        );
    }
    findings.push(finding);
    tia_findings(ctx, &t, &mk, findings);
    t
}

/// HDS EXI 29 and SCC clause 14: a transfer framed by Art. 46 safeguards
/// rests on an assessment of the destination's laws and practice (EDPB
/// Recommendations 01/2020, step 3), reviewed at intervals (step 6). Missing,
/// or its review date passed: a warning (rule 7 of issue 17).
fn tia_findings(
    ctx: &Context,
    t: &Transfer,
    mk: &dyn Fn(&'static str, Severity, String, String) -> Finding,
    findings: &mut Vec<Finding>,
) {
    if t.basis_status != BasisStatus::Safeguard || t.adequacy.covers() {
        return;
    }
    let what = if t.kind == TransferKind::RemoteAccess {
        ("access path", "l'accès")
    } else {
        ("flow", "le flux")
    };
    match &t.tia {
        None => findings.push(
            mk(
                "TIA-MISSING",
                Severity::Warning,
                format!(
                    "The {} `{}` is framed by Art. 46 safeguards but names no transfer impact assessment (SCC clause 14; EDPB Recommendations 01/2020, step 3).",
                    what.0, t.source
                ),
                format!(
                    "{} `{}` est encadré par des garanties de l'art. 46 mais ne cite aucune analyse d'impact du transfert (clause 14 des CCT ; recommandations 01/2020 du CEPD, étape 3).",
                    capitalise(what.1),
                    t.source
                ),
            )
            .hint("add `tia_reference = \"…\"`, `tia_date = YYYY-MM-DD` and `tia_next_review = YYYY-MM-DD`"),
        ),
        Some(tia) => {
            if let Some(due) = tia.next_review.filter(|d| *d < ctx.as_of) {
                findings.push(
                    mk(
                        "TIA-REVIEW-OVERDUE",
                        Severity::Warning,
                        format!(
                            "The transfer impact assessment {} of the {} `{}` was due for review on {due}.",
                            tia.reference, what.0, t.source
                        ),
                        format!(
                            "L'analyse d'impact du transfert {} ({} `{}`) devait être revue le {due}.",
                            tia.reference, what.1, t.source
                        ),
                    )
                    .hint("review the assessment and update `tia_date` and `tia_next_review`"),
                );
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
