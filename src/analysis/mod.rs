//! Apply the law to the declarations: transfers, exposures, findings and the
//! EXI 31 form of each service.
//!
//! Each rule lives in its own module and reads the [`Context`] (project,
//! flow graph, reference data as of a date, policy); rules never print, they
//! return data. Rendering shows what analysis decided and never re-derives a
//! legal conclusion.

mod exi28;
mod exi30;
mod findings;
mod hds;
#[cfg(test)]
pub(crate) mod tests;
mod transfers;
pub mod translations;
mod unknowns;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use petgraph::graph::NodeIndex;

use crate::graph::{FlowGraph, Node, Reach};
use crate::model::{DataCategory, FlowKind, Policy, Project};
use crate::reference::{Overridden, Reference};

pub use exi30::Exposure;
pub use findings::{Finding, Severity, Subject};
pub use transfers::{AdequacyStatus, BasisStatus, Transfer, TransferKind, basis_label};

/// Everything a rule needs.
pub struct Context<'a> {
    pub project: &'a Project,
    pub graph: &'a FlowGraph,
    pub reference: &'a Reference,
    pub as_of: Date,
    pub policy: &'a Policy,
}

/// Which of the three EXI 31 publications applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exi31Form {
    /// SecNumCloud-qualified: fixed statement of no third-country access risk.
    Secnumcloud,
    /// No transfer and no EXI 30 exposure: fixed statement of no transfer.
    NoTransfer,
    /// Transfers or exposures: the chapter 8 table.
    Table,
}

/// HDS certification status of an actor for the chapter 8 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HdsStatus {
    Certified,
    Exempted,
    No,
    /// Said to be certified, but the document does not give the
    /// certificate's activities or dates: to confirm.
    Unconfirmed,
    /// The publisher of a platform's map, which does not host the data
    /// itself (`publisher = "platform"`): certification is not its role.
    NotApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorRole {
    Host,
    Subcontractor,
    /// The platform publishing the map of its hosting chain
    /// (`publisher = "platform"`), not a host itself.
    Publisher,
}

/// One row of the chapter 8 table.
#[derive(Debug, Clone, Serialize)]
pub struct ActorRow {
    pub entity: String,
    pub role: ActorRole,
    pub hds: HdsStatus,
    pub secnumcloud: bool,
    /// The SecNumCloud version the actor declares, shown as declared when it
    /// does not qualify (3.1, or a qualification not valid on the date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secnumcloud_declared: Option<String>,
    /// HDS activities (1–6) the actor performs for the service(s).
    pub activities: Vec<u8>,
    /// EXI 29: transfer ids (remote access and flows to this actor outside the EEA).
    pub exi29: Vec<String>,
    /// EXI 29 countries, sorted.
    pub exi29_countries: Vec<String>,
    /// EXI 30: exposure ids concerning this actor.
    pub exi30: Vec<String>,
}

/// The analysis of one service.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceAnalysis {
    pub id: String,
    pub form: Exi31Form,
    /// Entities involved (actors, site operators, teams, recipients), sorted.
    pub actors: Vec<ActorRow>,
    pub storage_countries: Vec<String>,
    pub transfers: Vec<String>,
    pub exposures: Vec<String>,
}

/// The result of analysing a project as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub as_of: Date,
    pub policy: Policy,
    pub provider_form: Exi31Form,
    /// Chapter 8 rows for the provider as a whole (union over services).
    pub provider_actors: Vec<ActorRow>,
    pub services: BTreeMap<String, ServiceAnalysis>,
    pub transfers: Vec<Transfer>,
    pub exposures: Vec<Exposure>,
    pub findings: Vec<Finding>,
    /// Legal facts replaced or added by `sovmap.toml`.
    pub overridden: Vec<Overridden>,
    /// What each declared site is for, by site id: the pages list as
    /// storage locations (EXI 28) only the sites storing health data, and
    /// the others apart with the data they receive (issue 17, rule 8).
    pub sites: BTreeMap<String, SiteUse>,
}

/// What a declared site is for, as the declarations say.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteUse {
    /// Health data is stored there (EXI 28): a service declares the site
    /// among its `sites`, or a storage, replication or backup flow of health
    /// data goes to it.
    pub health_storage: bool,
    /// Services whose health data is stored there, sorted.
    pub services: Vec<String>,
    /// Categories of data the flows to the site carry, sorted.
    pub received: Vec<DataCategory>,
    /// Kinds of those flows, sorted.
    pub flow_kinds: Vec<FlowKind>,
}

/// Every declared site's use: health storage from `stored`, data received
/// from the flows whose destination is the site.
fn site_uses(project: &Project, stored: &exi28::Stored) -> BTreeMap<String, SiteUse> {
    let mut out: BTreeMap<String, SiteUse> = project
        .sites
        .keys()
        .map(|id| {
            let use_ = match stored.sites.get(id) {
                Some((services, _)) => SiteUse {
                    health_storage: true,
                    services: services.iter().cloned().collect(),
                    ..SiteUse::default()
                },
                None => SiteUse::default(),
            };
            (id.clone(), use_)
        })
        .collect();
    for f in project.flows.values() {
        let crate::model::NodeRef::Site(to) = &f.to else {
            continue;
        };
        if let Some(u) = out.get_mut(to) {
            u.received.extend(f.data.iter().copied());
            u.flow_kinds.push(f.kind);
        }
    }
    for u in out.values_mut() {
        u.received.sort();
        u.received.dedup();
        u.flow_kinds.sort();
        u.flow_kinds.dedup();
    }
    out
}

impl Analysis {
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    /// Whether any finding is at or above `deny`.
    pub fn denied(&self, deny: Option<Severity>) -> bool {
        deny.is_some_and(|d| self.findings.iter().any(|f| f.severity >= d))
    }
}

/// Run every rule.
pub fn analyse(project: &Project, reference: &Reference, as_of: Date) -> Analysis {
    let graph = FlowGraph::build(project);
    let ctx = Context {
        project,
        graph: &graph,
        reference,
        as_of,
        policy: &project.config.policy,
    };
    let mut findings = Vec::new();

    // Which nodes each service's data reaches: any personal data (to know
    // which services a transfer concerns), and health data (to know who is
    // involved in hosting it: EXI 30, chapter 8 table).
    let (reach, health_reach) = rayon::join(
        || graph.service_reach(project, Reach::Personal),
        || graph.service_reach(project, Reach::Health),
    );

    // Where health data is stored (EXI 28, the storage questions and the
    // pages' storage sections read it).
    let stored = exi28::stored(&ctx, &reach);

    // The four checks are independent: run at once, their findings kept in
    // this order.
    let (
        (transfers, mut found_transfers),
        ((mut found_exi28, (exposures, mut found_exi30)), mut found_hds),
    ) = rayon::join(
        || {
            let mut found = Vec::new();
            (transfers::collect(&ctx, &reach, &mut found), found)
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || {
                            let mut found = Vec::new();
                            exi28::check(&ctx, &stored, &mut found);
                            found
                        },
                        || {
                            let mut found = Vec::new();
                            (exi30::collect(&ctx, &health_reach, &mut found), found)
                        },
                    )
                },
                || {
                    let mut found = Vec::new();
                    hds::check(&ctx, &mut found);
                    found
                },
            )
        },
    );
    findings.append(&mut found_transfers);
    findings.append(&mut found_exi28);
    findings.append(&mut found_exi30);
    findings.append(&mut found_hds);
    unknowns::check(&ctx, &stored, &transfers, &exposures, &mut findings);

    // HDS v2's EXI 28–31 exist from the 2024 referential (published in the
    // JO on 16 May 2024, audited for new applicants from 16 Nov 2024): a map
    // dated earlier applies them retroactively and must say so (issue 17,
    // rule 5). Dates from the reference data.
    if as_of < reference.hds_new_applicants_from() {
        let published = reference.hds_published();
        let from = reference.hds_new_applicants_from();
        let (en, fr) = if as_of < published {
            (
                format!(
                    "The analysis date {as_of} is before the HDS referential v2 existed (published on {published}, applied to new applicants from {from}): requirements EXI 28 to 31 did not apply on that date. The findings below apply them as if they had; they are not non-conformities of that date."
                ),
                format!(
                    "La date d'analyse {as_of} est antérieure au référentiel HDS v2 (publié le {published}, appliqué aux nouveaux candidats à partir du {from}) : les exigences 28 à 31 ne s'appliquaient pas à cette date. Les constats ci-dessous les appliquent comme si elles s'étaient appliquées ; ce ne sont pas des non-conformités à cette date."
                ),
            )
        } else {
            (
                format!(
                    "The analysis date {as_of} is after the HDS referential v2 was published ({published}) but before certification against it began ({from}): requirements EXI 28 to 31 bound no host yet on that date."
                ),
                format!(
                    "La date d'analyse {as_of} est postérieure à la publication du référentiel HDS v2 ({published}) mais antérieure au début des certifications selon ce référentiel ({from}) : les exigences 28 à 31 ne s'imposaient encore à aucun hébergeur à cette date."
                ),
            )
        };
        findings.push(
            Finding::new(
                "HDS-V2-NOT-YET-APPLICABLE",
                Severity::Warning,
                "HDS referential v2 (arrêté of 26 Apr 2024)",
                Subject::Reference("hds-referential-2024".into()),
                en,
                fr,
            )
            .hint(format!(
                "use an --as-of date on or after {from} for a map under HDS v2"
            )),
        );
    }

    for o in &reference.overridden {
        findings.push(Finding::new(
            "REF-OVERRIDDEN",
            Severity::Notice,
            "reference data",
            Subject::Reference(o.id.clone()),
            format!(
                "Legal fact `{}` ({}) was {} by sovmap.toml; the embedded reference data is not used for it.",
                o.id,
                o.kind,
                match o.action {
                    crate::reference::OverrideAction::Replaced => "replaced",
                    crate::reference::OverrideAction::Added => "added",
                }
            ),
            format!(
                "Le fait juridique `{}` ({}) a été {} par sovmap.toml ; la donnée de référence intégrée n'est pas utilisée.",
                o.id,
                o.kind,
                match o.action {
                    crate::reference::OverrideAction::Replaced => "remplacé",
                    crate::reference::OverrideAction::Added => "ajouté",
                }
            ),
        ));
    }

    // Per-service tables and forms. Transfers and exposures are grouped by
    // service once (in their sorted order), not filtered per service.
    let mut transfers_of: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in &transfers {
        for s in &t.services {
            let v = transfers_of.entry(s.as_str()).or_default();
            if !v.last().is_some_and(|l| std::ptr::eq(*l, t)) {
                v.push(t);
            }
        }
    }
    let mut exposures_of: BTreeMap<&str, Vec<&Exposure>> = BTreeMap::new();
    for x in &exposures {
        for s in &x.services {
            let v = exposures_of.entry(s.as_str()).or_default();
            if !v.last().is_some_and(|l| std::ptr::eq(*l, x)) {
                v.push(x);
            }
        }
    }
    let mut services = BTreeMap::new();
    for (sid, svc) in &project.services {
        let nodes = health_reach
            .services
            .binary_search(sid)
            .map(|i| health_reach.nodes_of(i))
            .unwrap_or(&[]);
        let svc_transfers: Vec<&Transfer> = transfers_of.remove(sid.as_str()).unwrap_or_default();
        let svc_exposures: Vec<&Exposure> = exposures_of.remove(sid.as_str()).unwrap_or_default();
        let actors = actor_rows(
            &ctx,
            nodes.iter().copied(),
            Some(sid),
            &svc_transfers,
            &svc_exposures,
        );
        let mut storage: Vec<String> = svc
            .sites
            .iter()
            .filter_map(|s| project.sites.get(s))
            .map(|s| s.country.clone())
            .collect();
        storage.sort();
        storage.dedup();
        // Health data leaves the EEA (transfer or storage) or an actor is
        // exposed to non-adequate law: the table, whatever else is declared.
        let leaves = svc_transfers.iter().any(|t| t.health)
            || !svc_exposures.is_empty()
            || storage.iter().any(|c| !reference.is_eea(c))
            // No storage declared: EXI 28 cannot be shown (GAP-NO-STORAGE-SITE).
            || svc.sites.is_empty();
        // Form 1 needs SecNumCloud (a version with §19.6, valid on the date)
        // for the host and every actor of the service (issue 17, rule 3).
        let qualified = svc.secnumcloud && hds::secnumcloud_blockers(&ctx, svc).is_empty();
        if svc.secnumcloud && hds::secnumcloud_valid(&ctx, &project.config.host) && leaves {
            findings.push(
                Finding::new(
                    "SNC-CONTRADICTION",
                    Severity::Error,
                    "HDS EXI 31; SecNumCloud 3.2 §19.2, §19.6",
                    Subject::Service(sid.clone()),
                    format!(
                        "Service `{sid}` is declared SecNumCloud, but its health data leaves the EEA or an actor is subject to non-adequate foreign law: the SecNumCloud statement (no risk of third-country access) would be false."
                    ),
                    format!(
                        "Le service `{sid}` est déclaré SecNumCloud, mais ses données de santé sortent de l'EEE ou un acteur est soumis à un droit étranger non adéquat : la déclaration SecNumCloud (aucun risque d'accès imposé par un pays tiers) serait fausse."
                    ),
                )
                .services(vec![sid.clone()])
                .hint("remove `secnumcloud = true` or the transfers and actors that contradict it")
                .at(&svc.loc),
            );
        }
        let form = if qualified && !leaves {
            Exi31Form::Secnumcloud
        } else if leaves {
            Exi31Form::Table
        } else {
            Exi31Form::NoTransfer
        };
        services.insert(
            sid.clone(),
            ServiceAnalysis {
                id: sid.clone(),
                form,
                actors,
                storage_countries: storage,
                transfers: svc_transfers.iter().map(|t| t.id.clone()).collect(),
                exposures: svc_exposures.iter().map(|e| e.id.clone()).collect(),
            },
        );
    }
    let provider_form = if services.is_empty() {
        if transfers.iter().any(|t| t.health) || !exposures.is_empty() {
            Exi31Form::Table
        } else {
            Exi31Form::NoTransfer
        }
    } else if services.values().all(|s| s.form == Exi31Form::Secnumcloud) {
        Exi31Form::Secnumcloud
    } else if services.values().all(|s| s.form != Exi31Form::Table) {
        Exi31Form::NoTransfer
    } else {
        Exi31Form::Table
    };
    let all_t: Vec<&Transfer> = transfers.iter().collect();
    let all_e: Vec<&Exposure> = exposures.iter().collect();
    let provider_actors = actor_rows(&ctx, health_reach.all_nodes(), None, &all_t, &all_e);
    unknowns::hds_status_gaps(&ctx, &provider_actors, &mut findings);

    name_chain_links(project, &mut findings);
    findings::sort(&mut findings);
    Analysis {
        as_of,
        policy: project.config.policy.clone(),
        provider_form,
        provider_actors,
        services,
        transfers,
        exposures,
        findings,
        overridden: reference.overridden.clone(),
        sites: site_uses(project, &stored),
    }
}

/// Entities involved in a service (or all services), as chapter 8 rows:
/// the host first, then subcontractors by legal name.
fn actor_rows(
    ctx: &Context,
    nodes: impl Iterator<Item = NodeIndex>,
    service: Option<&String>,
    transfers: &[&Transfer],
    exposures: &[&Exposure],
) -> Vec<ActorRow> {
    let p = ctx.project;
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for n in nodes {
        if let Some(e) = involved_entity(p, &ctx.graph.graph[n]) {
            ids.insert(e);
        }
    }
    // Group once, then look up per row: the table must stay linear in the
    // size of the inventory.
    let mut activities_of: BTreeMap<&str, BTreeSet<u8>> = BTreeMap::new();
    for s in p
        .services
        .values()
        .filter(|s| service.is_none_or(|sid| *sid == s.id))
    {
        for a in &s.actors {
            activities_of
                .entry(a.entity.as_str())
                .or_default()
                .extend(a.activities.iter().copied());
        }
    }
    let mut transfers_to: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in transfers {
        transfers_to
            .entry(t.recipient.as_str())
            .or_default()
            .push(t);
    }
    let mut exposures_of: BTreeMap<&str, Vec<&Exposure>> = BTreeMap::new();
    for x in exposures {
        exposures_of.entry(x.entity.as_str()).or_default().push(x);
    }
    let mut rows: Vec<ActorRow> = ids
        .into_iter()
        .filter_map(|id| p.entities.get(id))
        .map(|e| {
            let activities: Vec<u8> = activities_of
                .get(e.id.as_str())
                .map(|a| a.iter().copied().collect())
                .unwrap_or_default();
            let exi29: &[&Transfer] = transfers_to
                .get(e.id.as_str())
                .map(|v| v.as_slice())
                .unwrap_or(&[]);
            let mut countries: Vec<String> = exi29.iter().map(|t| t.country.clone()).collect();
            countries.sort();
            countries.dedup();
            let hds = hds::status(ctx, &e.id, &activities);
            let platform = p.config.publisher == crate::model::PublisherRole::Platform;
            ActorRow {
                entity: e.id.clone(),
                role: match (e.id == p.config.host, platform) {
                    (true, false) => ActorRole::Host,
                    (true, true) => ActorRole::Publisher,
                    // A platform's map: the certified actors hosting the
                    // data are its hosts.
                    (false, true)
                        if hds == HdsStatus::Certified
                            && activities.iter().any(|a| (1..=4).contains(a)) =>
                    {
                        ActorRole::Host
                    }
                    (false, _) => ActorRole::Subcontractor,
                },
                hds,
                secnumcloud: hds::secnumcloud_valid(ctx, &e.id),
                secnumcloud_declared: e.secnumcloud.as_ref().map(|q| q.version.clone()),
                activities,
                exi29: exi29.iter().map(|t| t.id.clone()).collect(),
                exi29_countries: countries,
                exi30: exposures_of
                    .get(e.id.as_str())
                    .map(|v| v.iter().map(|x| x.id.clone()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            r.role != ActorRole::Publisher,
            r.role != ActorRole::Host,
            p.entities
                .get(&r.entity)
                .map(|e| e.legal_name.to_lowercase()),
            r.entity.clone(),
        )
    });
    rows
}

/// Findings about items imported from a provider's publication say which
/// link of the chain they come from ("via stratus-fr's publication (Stratus
/// Cloud, 2026-11-15)"), nearest link first.
fn name_chain_links(project: &Project, findings: &mut [Finding]) {
    if project.chains.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        let id = match &f.subject {
            findings::Subject::Entity(i)
            | findings::Subject::Site(i)
            | findings::Subject::Flow(i)
            | findings::Subject::Access(i)
            | findings::Subject::Measure(i) => i,
            findings::Subject::Service(_) | findings::Subject::Reference(_) => continue,
        };
        let (Some(en), Some(fr)) = (project.chain_note(id, false), project.chain_note(id, true))
        else {
            continue;
        };
        f.message_en = format!("{} [{en}]", f.message_en);
        f.message_fr = format!("{} [{fr}]", f.message_fr);
    }
}

/// The entity a reached node makes involved: the entity itself, a site's
/// operator, an access origin's team.
pub(crate) fn involved_entity<'p>(p: &'p Project, n: &'p Node) -> Option<&'p str> {
    match n {
        Node::Entity(e) => Some(e),
        Node::Site(s) => p.sites.get(s).map(|s| s.operator.as_str()),
        Node::AccessOrigin(a) => p.access_paths.get(a).map(|a| a.team.as_str()),
        Node::Service(_) => None,
    }
}
