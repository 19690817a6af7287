//! Provider chains: an entity may name the `transfers.json` its own provider
//! publishes (`publication = "providers/stratus/transfers.json"`, relative to
//! the project root). That publication's entities, sites, flows, access paths
//! and measures join the project as read-only declarations, so that the graph
//! and the analysis see the whole path (a vendor hosted on a host hosted on a
//! hyperscaler).
//!
//! How items join (documented in the README, section "Provider chains"):
//!
//! - ids are namespaced by the declaring entity's id and a dot: site `par1`
//!   of the publication imported through entity `stratus-fr` becomes
//!   `stratus-fr.par1`. Local ids cannot contain a dot, so they never collide;
//!   a link the publication itself imported (`hyper.dc1`) nests naturally
//!   (`stratus-fr.hyper.dc1`);
//! - the publication's own host entity *is* the declaring entity: what the
//!   local declaration leaves out (parent, HDS certificate, SecNumCloud, DPF,
//!   website) is taken from the publication; what it states wins;
//! - the provider's services are not imported (they are not the importer's
//!   services): an access path or flow naming one is attached to that
//!   service's sites; imported flows carry the data of every service stored
//!   at their origin (the cautious reading, since the importer's services
//!   are not named in the provider's file);
//! - references the publication leaves dangling are dropped, not reported:
//!   the file is someone else's and was checked when it was built.
//!
//! Loops (a publication whose chain contains the importing provider, or a
//! link repeated along one path) and the same file imported twice are
//! errors naming the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::decl::{PublicationRef, RawAccess, RawFlow, RawMeasure, State};
use super::reader::Sp;
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::format::{self as publication, Publication};
use crate::model::*;
use crate::reference::{CountryLookup, Reference};

/// Read every `publication` named by an entity and add its items to `state`.
/// Returns the chain links, keyed by link id.
pub fn import(
    state: &mut State,
    diags: &mut Diagnostics,
    root: &Path,
    reference: &Reference,
) -> BTreeMap<String, ChainLink> {
    let mut links = BTreeMap::new();
    let refs = std::mem::take(&mut state.publications);
    let own_name = state
        .config
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let mut seen_files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for r in refs {
        // Until the link is imported, references into it are not reported
        // as unknown (the publication's own error says why).
        state.invalid.insert(format!("{}.", r.entity));
        let loc = Loc::new(r.file, r.path.span.clone());
        let path = root.join(&r.path.value);
        let what = format!("`publication` of entity `{}`", r.entity);
        // Not opened when it is a special file or reached through a link
        // leading out of the project (src/safefs.rs).
        let bytes = match crate::safefs::read_inside(root, &path) {
            Ok(b) => Ok(b),
            Err(crate::safefs::Refused::NotFound) => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such file",
            )),
            Err(crate::safefs::Refused::Io(e)) => Err(e),
            Err(why) => {
                let (message, help) = why.message_and_help(&r.path.value, root);
                diags.push(
                    Diagnostic::error("bad-publication", loc, format!("{what}: {message}"))
                        .with_help(help),
                );
                continue;
            }
        };
        let read = bytes
            .map_err(|error| publication::ReadError::Unreadable {
                path: path.clone(),
                error,
            })
            .and_then(|b| publication::from_bytes(&path, b));
        let pubn = match read {
            Ok(p) => p,
            Err(e) => {
                let help = match e {
                    publication::ReadError::Unreadable { .. } => format!(
                        "the path is relative to the project root ({}); build the provider's map with `sovmap build` or copy its published transfers.json there",
                        root.display()
                    ),
                    publication::ReadError::NewerVersion { .. } => {
                        "install a newer sovmap, or ask the provider for a file in a format this version reads".to_string()
                    }
                    _ => "point `publication` at the transfers.json that `sovmap build` publishes".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        "bad-publication",
                        loc,
                        format!("{what} cannot be read: {e}"),
                    )
                    .with_help(help),
                );
                continue;
            }
        };
        let key = std::fs::canonicalize(&path).unwrap_or(path.clone());
        if let Some(first) = seen_files.get(&key) {
            diags.push(
                Diagnostic::error(
                    "duplicate-publication",
                    loc,
                    format!(
                        "{what}: {} is already imported through entity `{first}`; a provider's publication joins the project once",
                        r.path.value
                    ),
                )
                .with_help("keep `publication` on one entity only"),
            );
            continue;
        }
        seen_files.insert(key, r.entity.clone());
        if let Some(problem) = find_loop(&pubn, &own_name) {
            diags.push(
                Diagnostic::error(
                    "chain-loop",
                    loc,
                    format!("{what}: provider chain loop in {}: {problem}", r.path.value),
                )
                .with_help("a provider chain cannot come back to a provider already in it; remove this `publication` or the provider's link that closes the loop"),
            );
            continue;
        }
        state.invalid.remove(&format!("{}.", r.entity));
        add(state, diags, reference, &r, &pubn, &mut links);
    }
    links
}

/// A loop or repeated link in `p`'s chain, in words, if any.
///
/// One pass over the links, whatever the depth of the chain (a hostile file
/// may hold 100,000 links, each `via` the one before): a depth-first walk
/// down from the publisher keeps the providers on the current path, so a
/// repeat is seen when it is entered; links the walk never reaches hang on
/// a loop of `via` ids.
fn find_loop(p: &Publication, own_name: &str) -> Option<String> {
    let same = |a: &str, b: &str| !a.trim().is_empty() && a.trim() == b.trim();
    if same(&p.provider.name, own_name) {
        return Some(format!(
            "it is {own_name}'s own publication (a provider cannot be its own provider)"
        ));
    }
    let n = p.chains.len();
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in p.chains.iter().enumerate() {
        by_id.entry(c.id.as_str()).or_insert(i);
    }
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut top: Vec<usize> = Vec::new();
    for (i, c) in p.chains.iter().enumerate() {
        match c.via.as_deref().and_then(|v| by_id.get(v)) {
            Some(&j) => below[j].push(i),
            None => top.push(i),
        }
    }
    // Providers on the path from the publisher to the link being visited.
    let mut on_path: BTreeMap<&str, usize> = BTreeMap::from([(p.provider.name.trim(), 1)]);
    let mut reached = vec![false; n];
    // (link, entering): entering pushes its name, leaving pops it.
    let mut stack: Vec<(usize, bool)> = top.iter().rev().map(|&i| (i, true)).collect();
    while let Some((i, entering)) = stack.pop() {
        let name = p.chains[i].provider.trim();
        if !entering {
            if let Some(k) = on_path.get_mut(name) {
                *k -= 1;
            }
            continue;
        }
        reached[i] = true;
        if same(&p.chains[i].provider, own_name) {
            let shown = path_to(p, &by_id, i);
            return Some(format!("its chain comes back to {own_name} ({shown})"));
        }
        let k = on_path.entry(name).or_insert(0);
        if *k > 0 {
            let shown = path_to(p, &by_id, i);
            return Some(format!("its chain repeats a provider ({shown})"));
        }
        *k += 1;
        stack.push((i, false));
        stack.extend(below[i].iter().rev().map(|&j| (j, true)));
    }
    let i = reached.iter().position(|r| !r)?;
    let shown = path_to(p, &by_id, i);
    Some(format!(
        "its chain links loop through their `via` ids ({shown})"
    ))
}

/// Most providers quoted at each end of a long chain path.
const QUOTED_PATH_ENDS: usize = 4;

/// "Host → A → B": the providers from the publisher down to link `i`
/// (following `via` at most once per link, so a loop of `via` ids ends),
/// a long path by its ends and its length.
fn path_to(p: &Publication, by_id: &BTreeMap<&str, usize>, i: usize) -> String {
    let mut names = vec![p.chains[i].provider.as_str()];
    let mut seen = vec![false; p.chains.len()];
    seen[i] = true;
    let mut cur = p.chains[i].via.as_deref().and_then(|v| by_id.get(v));
    while let Some(&j) = cur {
        if std::mem::replace(&mut seen[j], true) {
            break;
        }
        names.push(&p.chains[j].provider);
        cur = p.chains[j].via.as_deref().and_then(|v| by_id.get(v));
    }
    names.push(&p.provider.name);
    names.reverse();
    if names.len() > 2 * QUOTED_PATH_ENDS {
        let (head, rest) = names.split_at(QUOTED_PATH_ENDS);
        let tail = &rest[rest.len() - QUOTED_PATH_ENDS..];
        format!(
            "{} → … → {} ({} providers)",
            head.join(" → "),
            tail.join(" → "),
            names.len()
        )
    } else {
        names.join(" → ")
    }
}

fn add(
    state: &mut State,
    diags: &mut Diagnostics,
    reference: &Reference,
    r: &PublicationRef,
    p: &Publication,
    links: &mut BTreeMap<String, ChainLink>,
) {
    let link = r.entity.as_str();
    let loc = Loc::new(r.file, r.path.span.clone());
    let host = p.provider.host.as_str();
    let ns = |id: &str| {
        if id == host {
            link.to_string()
        } else {
            format!("{link}.{id}")
        }
    };
    let sp = |v: String| Sp {
        value: v,
        span: r.path.span.clone(),
    };
    links.insert(
        link.to_string(),
        ChainLink {
            id: link.to_string(),
            entity: link.to_string(),
            provider: p.provider.name.clone(),
            host_legal_name: p.provider.host_legal_name.clone(),
            version: p.provider.version.clone(),
            publication_date: p.provider.publication_date,
            as_of: p.as_of,
            file: r.path.value.clone(),
            format_version: p.format_version,
            via: None,
        },
    );
    for c in &p.chains {
        let id = format!("{link}.{}", c.id);
        links.insert(
            id.clone(),
            ChainLink {
                id,
                entity: ns(&c.entity),
                provider: c.provider.clone(),
                host_legal_name: c.host_legal_name.clone(),
                version: c.version.clone(),
                publication_date: c.publication_date,
                as_of: c.as_of,
                file: c.file.clone(),
                format_version: c.format_version,
                via: Some(
                    c.via
                        .as_ref()
                        .map_or(link.to_string(), |v| format!("{link}.{v}")),
                ),
            },
        );
    }

    let mut bad_countries = Vec::new();
    let mut cc = |code: &str| match reference.lookup_place(code) {
        CountryLookup::Found { code, .. } => Some(code),
        _ => {
            bad_countries.push(code.to_string());
            None
        }
    };
    // Entities that will exist here: the publication's host (it is the
    // declaring entity, even when the file does not list it) and those with
    // a country this sovmap knows. References to others are dropped.
    let entity_ids: BTreeSet<&str> = p
        .entities
        .iter()
        .filter(|e| {
            matches!(
                reference.lookup_place(&e.country),
                CountryLookup::Found { .. }
            )
        })
        .map(|e| e.id.as_str())
        .collect();
    let known_entity = |id: &str| id == host || entity_ids.contains(id);
    let site_ids: BTreeSet<&str> = p
        .sites
        .iter()
        .filter(|s| {
            known_entity(&s.operator)
                && matches!(
                    reference.lookup_place(&s.country),
                    CountryLookup::Found { .. }
                )
        })
        .map(|s| s.id.as_str())
        .collect();
    let hds = |h: &publication::HdsCertificate| HdsCertificate {
        activities: h.activities.clone(),
        issued: h.issued.unwrap_or(p.as_of.min(h.expires)),
        expires: h.expires,
        certifier: h.certifier.clone(),
        number: h.number.clone(),
        referential: h.referential.clone(),
    };
    let snc = |s: &publication::SecNumCloud| SecNumCloud {
        version: s.version.clone(),
        issued: s.issued,
        expires: s.expires,
        offer: s.offer.clone(),
    };
    let scopes = reference.scope_conditions();

    for e in &p.entities {
        let parent = e.parent.as_deref().filter(|x| known_entity(x)).map(&ns);
        let exempted = e
            .hds_exempted_under
            .as_deref()
            .filter(|x| known_entity(x))
            .map(&ns);
        if e.id == host {
            // The declaring entity: fill in what its declaration leaves out.
            if let Some(local) = state.entities.get_mut(link) {
                if local.parent.is_none()
                    && let Some(par) = &parent
                {
                    local.parent = Some(par.clone());
                    local.control_share = e.control_share;
                    state.parents.insert(link.to_string(), sp(par.clone()));
                    state.parent_files.insert(link.to_string(), r.file);
                }
                if local.hds.is_none() {
                    local.hds = e.hds.as_ref().map(hds);
                }
                if local.secnumcloud.is_none() {
                    local.secnumcloud = e.secnumcloud.as_ref().map(snc);
                }
                local.dpf |= e.dpf;
                if local.website.is_none() {
                    local.website = e.website.clone();
                }
            }
            continue;
        }
        let Some(country) = cc(&e.country) else {
            continue;
        };
        let id = ns(&e.id);
        if let Some(par) = &parent {
            state.parents.insert(id.clone(), sp(par.clone()));
            state.parent_files.insert(id.clone(), r.file);
        }
        state.entities.insert(
            id.clone(),
            Entity {
                id,
                legal_name: e.legal_name.clone(),
                country,
                parent,
                control_share: e.control_share,
                // A publication carries the control link only.
                shareholders: Vec::new(),
                description: e.description.clone(),
                website: e.website.clone(),
                hds: e.hds.as_ref().map(hds),
                hds_exempted_under: exempted,
                secnumcloud: e.secnumcloud.as_ref().map(snc),
                dpf: e.dpf,
                adequacy_scopes: e
                    .adequacy_scopes
                    .iter()
                    .filter(|s| scopes.contains(&s.as_str()))
                    .cloned()
                    .collect(),
                facts: Default::default(),
                loc: loc.clone(),
            },
        );
    }

    for s in &p.sites {
        if !known_entity(&s.operator) {
            continue;
        }
        let Some(country) = cc(&s.country) else {
            continue;
        };
        let id = ns(&s.id);
        state.sites.insert(
            id.clone(),
            Site {
                id,
                name: s.name_or_id(),
                operator: ns(&s.operator),
                country,
                city: s.city.clone(),
                coordinates: s.coordinates.as_ref().map(|c| (c.lat, c.lon)),
                ip_ranges: ip_ranges(&s.ip_ranges, &loc),
                role: site_role(s.role),
                loc: loc.clone(),
            },
        );
    }

    // A node of the publication, as nodes of this project (a service of the
    // provider stands for its sites).
    let service_sites: BTreeMap<&str, Vec<&str>> = p
        .services
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.sites
                    .iter()
                    .map(String::as_str)
                    .filter(|x| site_ids.contains(x))
                    .collect(),
            )
        })
        .collect();
    let nodes = |n: &publication::Node, entities: bool| -> Vec<String> {
        match n.kind.as_str() {
            "site" if site_ids.contains(n.id.as_str()) => vec![format!("site:{}", ns(&n.id))],
            "entity" if entities && known_entity(&n.id) => vec![format!("entity:{}", ns(&n.id))],
            "service" => service_sites
                .get(n.id.as_str())
                .map(|v| v.iter().map(|s| format!("site:{}", ns(s))).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    };

    let mut access_ids: BTreeSet<&str> = BTreeSet::new();
    for a in &p.access_paths {
        if !known_entity(&a.team) {
            continue;
        }
        let Some(country) = cc(&a.country) else {
            continue;
        };
        let mut targets: Vec<String> = a.targets.iter().flat_map(|t| nodes(t, false)).collect();
        targets.sort();
        targets.dedup();
        if targets.is_empty() {
            continue;
        }
        access_ids.insert(&a.id);
        let id = ns(&a.id);
        let access = AccessPath {
            id: id.clone(),
            team: ns(&a.team),
            name: a.name.clone(),
            country,
            city: a.city.clone(),
            source_ip_ranges: ip_ranges(&a.source_ip_ranges, &loc),
            targets: Vec::new(),
            purpose: a.purpose.clone(),
            safeguards: a.safeguards.clone(),
            basis: a.basis.as_ref().and_then(|b| Basis::parse(&b.key())),
            basis_reference: a.basis_reference.clone(),
            tia: None,
            data: data(&a.data),
            systematic: a.systematic,
            facts: Default::default(),
            loc: loc.clone(),
        };
        state.access.insert(
            id,
            (
                RawAccess {
                    access,
                    targets: targets.into_iter().map(sp).collect(),
                },
                r.file,
            ),
        );
    }

    // Flow ids of the publication → the flows made of it here.
    let mut flow_ids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in &p.flows {
        let from = nodes(&f.from, true);
        let to = nodes(&f.to, true);
        let pairs: Vec<(&String, &String)> = from
            .iter()
            .flat_map(|a| to.iter().map(move |b| (a, b)))
            .filter(|(a, b)| a != b)
            .collect();
        let many = pairs.len() > 1;
        for (i, (a, b)) in pairs.into_iter().enumerate() {
            let id = if many {
                format!("{}.{}", ns(&f.id), i + 1)
            } else {
                ns(&f.id)
            };
            flow_ids.entry(&f.id).or_default().push(id.clone());
            let flow = Flow {
                id: id.clone(),
                from: NodeRef::Entity(String::new()),
                to: NodeRef::Entity(String::new()),
                kind: flow_kind(f.kind),
                data: data(&f.data),
                services: Vec::new(),
                basis: f.basis.as_ref().and_then(|b| Basis::parse(&b.key())),
                basis_reference: f.basis_reference.clone(),
                tia: None,
                description: f.description.clone(),
                facts: Default::default(),
                loc: loc.clone(),
            };
            state.flows.insert(
                id,
                (
                    RawFlow {
                        flow,
                        from: sp(a.clone()),
                        to: sp(b.clone()),
                        services: Vec::new(),
                    },
                    r.file,
                ),
            );
        }
    }

    for m in &p.measures {
        let mitigates: Vec<Sp<String>> = m
            .mitigates
            .iter()
            .flat_map(|t| match t.kind.as_str() {
                "entity" if known_entity(&t.id) => vec![format!("entity:{}", ns(&t.id))],
                "access" if access_ids.contains(t.id.as_str()) => {
                    vec![format!("access:{}", ns(&t.id))]
                }
                "flow" => flow_ids
                    .get(t.id.as_str())
                    .map(|v| v.iter().map(|f| format!("flow:{f}")).collect())
                    .unwrap_or_default(),
                "law" if reference.law(&t.id).is_some() => vec![format!("law:{}", t.id)],
                _ => Vec::new(),
            })
            .map(sp)
            .collect();
        let id = ns(&m.id);
        state.measures.insert(
            id.clone(),
            RawMeasure {
                measure: Measure {
                    id,
                    title: m.name_or_id(),
                    kind: match m.kind {
                        publication::MeasureKind::Technical => MeasureKind::Technical,
                        publication::MeasureKind::Contractual => MeasureKind::Contractual,
                        _ => MeasureKind::Organisational,
                    },
                    mitigates: Vec::new(),
                    residual_risk: m.residual_risk.clone(),
                    residual_level: match m.residual_level {
                        Some(publication::RiskLevel::None) => Some(RiskLevel::None),
                        Some(publication::RiskLevel::Negligible) => Some(RiskLevel::Negligible),
                        Some(publication::RiskLevel::Low) => Some(RiskLevel::Low),
                        Some(publication::RiskLevel::Medium) => Some(RiskLevel::Medium),
                        Some(publication::RiskLevel::High | publication::RiskLevel::Unknown) => {
                            Some(RiskLevel::High)
                        }
                        None => None,
                    },
                    // Not published: judged at their worst by the analysis.
                    keys_held_by: None,
                    clear_text_access: None,
                    body: format!(
                        "Declared in {}'s publication ({}).",
                        p.provider.name,
                        p.date()
                    ),
                    loc: loc.clone(),
                },
                mitigates,
                file: r.file,
                offset: 0,
            },
        );
    }

    if !bad_countries.is_empty() {
        bad_countries.sort();
        bad_countries.dedup();
        diags.push(
            Diagnostic::note(
                "publication-country-skipped",
                loc,
                format!(
                    "{}: items with a country code this sovmap does not know were left out: {}",
                    r.path.value,
                    bad_countries.join(", ")
                ),
            )
            .with_help("update sovmap, or ask the provider to correct its declarations"),
        );
    }
}

fn ip_ranges(list: &[String], loc: &Loc) -> Vec<IpRange> {
    list.iter()
        .filter_map(|s| super::decl::parse_ip_range(s).ok())
        .map(|network| IpRange {
            network,
            loc: loc.clone(),
        })
        .collect()
}

/// An unknown role is read as primary storage (the cautious reading).
fn site_role(r: publication::SiteRole) -> SiteRole {
    match r {
        publication::SiteRole::Replica => SiteRole::Replica,
        publication::SiteRole::Backup => SiteRole::Backup,
        publication::SiteRole::DisasterRecovery => SiteRole::DisasterRecovery,
        publication::SiteRole::Office => SiteRole::Office,
        _ => SiteRole::Primary,
    }
}

/// An unknown kind is read as storage (the cautious reading).
fn flow_kind(k: publication::FlowKind) -> FlowKind {
    use publication::FlowKind as P;
    match k {
        P::Replication => FlowKind::Replication,
        P::Backup => FlowKind::Backup,
        P::Processing => FlowKind::Processing,
        P::RemoteAdministration => FlowKind::RemoteAdministration,
        P::SupportAccess => FlowKind::SupportAccess,
        P::Telemetry => FlowKind::Telemetry,
        _ => FlowKind::Storage,
    }
}

/// Data categories; an unknown one is read as health data, and no category
/// at all as health data (the declarations' default).
fn data(list: &[publication::DataCategory]) -> Vec<DataCategory> {
    // A value this sovmap does not know is judged at its worst: health data.
    let mut out: Vec<DataCategory> = list
        .iter()
        .map(|d| d.model().unwrap_or(DataCategory::Health))
        .collect();
    if out.is_empty() {
        out.push(DataCategory::Health);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publication(name: &str, chains: &[(&str, &str, Option<&str>)]) -> Publication {
        let links: Vec<String> = chains
            .iter()
            .map(|(id, provider, via)| {
                format!(
                    r#"{{"id": "{id}", "entity": "{id}", "provider": "{provider}", "as_of": "2026-01-01", "file": "x.json", "via": {}}}"#,
                    via.map_or("null".to_string(), |v| format!("\"{v}\""))
                )
            })
            .collect();
        let text = format!(
            r#"{{"$schema": "transfers.schema.json", "format_version": 1, "as_of": "2026-01-01",
               "provider": {{"name": "{name}", "host": "h"}}, "entities": [], "sites": [],
               "transfers": [], "exposures": [], "findings": [], "chains": [{}]}}"#,
            links.join(",")
        );
        publication::parse(Path::new("p.json"), &text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn loops_and_repeated_links_are_found_and_diamonds_are_not() {
        let p = publication("Host", &[("hyper", "Hyper", None)]);
        assert_eq!(find_loop(&p, "Vendor"), None);
        assert!(find_loop(&p, "Host").is_some_and(|m| m.contains("Host's own publication")));
        assert!(
            find_loop(&p, "Hyper")
                .is_some_and(|m| m.contains("comes back to Hyper (Host → Hyper)"))
        );
        // Host → A → Host: a repeated link.
        let p = publication("Host", &[("a", "A", None), ("a.b", "Host", Some("a"))]);
        assert!(
            find_loop(&p, "Vendor")
                .is_some_and(|m| m.contains("repeats a provider (Host → A → Host)"))
        );
        // The same provider on two separate paths is not a loop.
        let p = publication(
            "Host",
            &[
                ("a", "A", None),
                ("a.z", "Z", Some("a")),
                ("b", "B", None),
                ("b.z", "Z", Some("b")),
            ],
        );
        assert_eq!(find_loop(&p, "Vendor"), None);
    }

    #[test]
    fn long_chains_and_via_loops_are_checked_in_one_pass() {
        // 30,000 links, each via the one before, all different providers:
        // no loop, found without walking up from every link (which takes
        // minutes at this size).
        let n = 30_000;
        let ids: Vec<String> = (0..n).map(|i| format!("l{i}")).collect();
        let names: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
        let links: Vec<(&str, &str, Option<&str>)> = (0..n)
            .map(|i| {
                let via = (i > 0).then(|| ids[i - 1].as_str());
                (ids[i].as_str(), names[i].as_str(), via)
            })
            .collect();
        let p = publication("Host", &links);
        assert_eq!(find_loop(&p, "Vendor"), None);
        // The last one repeats the first: named by the ends of its path.
        let mut repeat = links.clone();
        repeat[n - 1].1 = "P0";
        let m = find_loop(&publication("Host", &repeat), "Vendor").unwrap_or_default();
        assert!(
            m.starts_with(
                "its chain repeats a provider (Host → P0 → P1 → P2 → … → P29996 → P29997 → P29998 → P0 (30001 providers)"
            ),
            "{m}"
        );
        // Links whose `via` ids loop: reached from nowhere, reported once.
        let mut looped = links;
        looped[0].2 = Some(ids[n - 1].as_str());
        let m = find_loop(&publication("Host", &looped), "Vendor").unwrap_or_default();
        assert!(
            m.starts_with("its chain links loop through their `via` ids (Host → "),
            "{m}"
        );
        assert!(m.len() < 300, "{m}");
    }

    #[test]
    fn a_hand_written_publication_imports_what_resolves_and_drops_the_rest() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let write = |p: &str, t: &str| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap_or(root))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(path, t).unwrap_or_else(|e| panic!("{e}"));
        };
        write("sovmap.toml", "name = \"Me\"\nhost = \"me\"\n");
        write(
            "content/entities/e.toml",
            "[[entity]]\nid = \"me\"\nlegal_name = \"Me\"\ncountry = \"FR\"\n\n[[entity]]\nid = \"prov\"\nlegal_name = \"Prov\"\ncountry = \"FR\"\npublication = \"p.json\"\n\n[[service]]\nid = \"app\"\nname = \"App\"\nsites = [\"prov.s1\"]\n\n  [[service.actor]]\n  entity = \"me\"\n  activities = [5]\n",
        );
        write(
            "p.json",
            r#"{"$schema": "transfers.schema.json", "format_version": 1, "as_of": "2026-01-01",
  "provider": {"name": "Prov", "host": "h"},
  "entities": [{"id": "x", "legal_name": "X", "country": "ZZ"}],
  "sites": [
    {"id": "s1", "operator": "h", "country": "FR"},
    {"id": "s2", "operator": "x", "country": "FR"},
    {"id": "s3", "operator": "h", "country": "DE", "role": "backup"},
    {"id": "s4", "operator": "h", "country": "US", "role": "orbital"}],
  "services": [{"id": "svc", "sites": ["s1", "s3", "s2"]}],
  "flows": [{"id": "f", "from": {"kind": "service", "id": "svc"}, "to": {"kind": "site", "id": "s4"}, "kind": "backup"}],
  "access_paths": [{"id": "a", "team": "x", "country": "MA", "targets": [{"kind": "service", "id": "svc"}]}],
  "measures": [{"id": "m", "kind": "technical", "mitigates": [{"kind": "flow", "id": "f"}, {"kind": "access", "id": "a"}, {"kind": "law", "id": "US-CLOUD"}]}],
  "transfers": [], "exposures": [], "findings": []}"#,
        );
        let loaded = crate::load::load(root, Reference::embedded());
        let p = loaded
            .project
            .unwrap_or_else(|| panic!("{}", loaded.diagnostics.render(false)));
        let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
        assert_eq!(
            ids(p.sites.keys().collect()),
            ["prov.s1", "prov.s3", "prov.s4"]
        );
        assert_eq!(p.sites["prov.s1"].operator, "prov");
        assert_eq!(
            p.sites["prov.s4"].role,
            SiteRole::Primary,
            "unknown role: cautious"
        );
        assert!(
            !p.entities.contains_key("prov.x"),
            "unknown country: left out"
        );
        assert!(p.access_paths.is_empty(), "its team was left out");
        assert_eq!(ids(p.flows.keys().collect()), ["prov.f.1", "prov.f.2"]);
        assert_eq!(p.flows["prov.f.2"].from, NodeRef::Site("prov.s3".into()));
        assert_eq!(p.flows["prov.f.2"].data, [DataCategory::Health]);
        assert_eq!(
            p.measures["prov.m"].mitigates,
            [
                MeasureTarget::Flow("prov.f.1".into()),
                MeasureTarget::Flow("prov.f.2".into()),
                MeasureTarget::Law("US-CLOUD".into()),
            ]
        );
        assert_eq!(p.chains["prov"].provider, "Prov");
        assert_eq!(
            p.chain_of("prov.s1")
                .iter()
                .map(|l| l.id.as_str())
                .collect::<Vec<_>>(),
            ["prov"]
        );
        assert!(p.chain_of("me").is_empty());
        let notes = loaded.diagnostics.render(false);
        assert!(
            notes.contains(
                "p.json: items with a country code this sovmap does not know were left out: ZZ"
            ),
            "{notes}"
        );
    }
}
