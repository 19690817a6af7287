//! Second pass: check every reference between declarations, resolve flow
//! endpoints and measure targets to node kinds, and detect ownership cycles.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::decl::{RawFlow, RefKind, State};
use super::reader::{DiagExt, Sp, suggest};
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::model::*;
use crate::reference::Reference;

fn unknown(diags: &mut Diagnostics, loc: Loc, what: &str, id: &str, context: &str, known: &[&str]) {
    let mut d = Diagnostic::error(
        "unknown-id",
        loc,
        format!("{context} refers to unknown {what} `{id}`"),
    );
    let hint = match suggest(id, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => {
            format!("no valid {what} was loaded: declare `{id}` or fix the errors reported for it")
        }
        None if known.len() <= 12 => format!("declared: {}", known.join(", ")),
        None => format!("declare the {what} `{id}` or correct the id"),
    };
    d.with_help_mut(hint);
    // 100,000 flows naming one missing site are one problem, with a count.
    diags.push(d.grouped(format!("unknown {what} {id}")));
}

/// Resolve a node reference written as `id` or `kind:id` (kind: entity, site, service).
fn node(
    state: &State,
    diags: &mut Diagnostics,
    file: usize,
    v: &Sp<String>,
    context: &dyn Fn() -> String,
    allow_entity: bool,
) -> Option<NodeRef> {
    let loc = Loc::new(file, v.span.clone());
    let (prefix, id) = match v.value.split_once(':') {
        Some((p, id)) => (Some(p), id),
        None => (None, v.value.as_str()),
    };
    let mut found = Vec::new();
    if matches!(prefix, None | Some("site")) && state.sites.contains_key(id) {
        found.push(NodeRef::Site(id.to_string()));
    }
    if matches!(prefix, None | Some("service")) && state.services.contains_key(id) {
        found.push(NodeRef::Service(id.to_string()));
    }
    if allow_entity && matches!(prefix, None | Some("entity")) && state.entities.contains_key(id) {
        found.push(NodeRef::Entity(id.to_string()));
    }
    if let Some(p) = prefix {
        let allowed: &[&str] = if allow_entity {
            &["site", "service", "entity"]
        } else {
            &["site", "service"]
        };
        if !allowed.contains(&p) {
            let mut d = Diagnostic::error(
                "bad-value",
                loc,
                format!("`{p}:` is not a kind of node here"),
            );
            d.with_help_mut(format!(
                "write `{}:{id}` or just `{id}`",
                allowed.join(&format!(":{id}`, `")[..])
            ));
            diags.push(d);
            return None;
        }
    }
    match found.len() {
        1 => found.pop(),
        0 if state.is_invalid(id) => None,
        0 => {
            let mut known: Vec<&str> = state.sites.keys().map(|s| s.as_str()).collect();
            known.extend(state.services.keys().map(|s| s.as_str()));
            if allow_entity {
                known.extend(state.entities.keys().map(|s| s.as_str()));
            }
            let what = if allow_entity {
                "site, service or entity"
            } else {
                "site or service"
            };
            unknown(diags, loc, what, id, &context(), &known);
            None
        }
        _ => {
            let kinds: Vec<String> = found
                .iter()
                .map(|n| match n {
                    NodeRef::Entity(_) => format!("`entity:{id}`"),
                    NodeRef::Site(_) => format!("`site:{id}`"),
                    NodeRef::Service(_) => format!("`service:{id}`"),
                })
                .collect();
            let mut d = Diagnostic::error(
                "ambiguous-id",
                loc,
                format!("`{id}` names several declarations"),
            );
            d.with_help_mut(format!("write {} to say which", kinds.join(" or ")));
            diags.push(d);
            None
        }
    }
}

/// A flow as resolved (`None`: not kept) and the diagnostics about it.
type ResolvedFlow = (Option<(String, Flow)>, Vec<Diagnostic>);

/// Resolve one flow's ends and services; `None` when it cannot be kept.
fn flow(
    state: &State,
    services: &BTreeMap<String, Service>,
    diags: &mut Diagnostics,
    id: String,
    raw: RawFlow,
    file: usize,
) -> Option<(String, Flow)> {
    let from = node(
        state,
        diags,
        file,
        &raw.from,
        &|| format!("`from` of flow `{id}`"),
        true,
    );
    let to = node(
        state,
        diags,
        file,
        &raw.to,
        &|| format!("`to` of flow `{id}`"),
        true,
    );
    let mut svc = Vec::new();
    for s in &raw.services {
        if services.contains_key(&s.value) {
            svc.push(s.value.clone());
        } else {
            let known: Vec<&str> = services.keys().map(|s| s.as_str()).collect();
            unknown(
                diags,
                Loc::new(file, s.span.clone()),
                "service",
                &s.value,
                &format!("flow `{id}`"),
                &known,
            );
        }
    }
    let (from, to) = (from?, to?);
    if from == to {
        let mut d = Diagnostic::error(
            "bad-value",
            Loc::new(file, raw.to.span.clone()),
            format!("flow `{id}` goes from a node to itself"),
        );
        d.with_help_mut("`from` and `to` must differ");
        diags.push(d);
        return None;
    }
    let mut flow = raw.flow;
    flow.from = from;
    flow.to = to;
    flow.services = svc;
    Some((id, flow))
}

/// Report each ownership cycle once, as `a → b → … → a` starting from its
/// smallest id, at the `parent` of the entity that closes it. Each entity is
/// visited once: a walk up the parents stops at an entity already visited
/// (by this walk: a cycle; by an earlier one: nothing new above).
fn report_cycles(state: &State, diags: &mut Diagnostics) {
    // 0: not visited, 1: on the current walk, 2: done.
    let mut colour: HashMap<&str, u8> = HashMap::with_capacity(state.parents.len());
    let mut cycles: Vec<Vec<&str>> = Vec::new();
    for start in state.parents.keys() {
        if colour.get(start.as_str()).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut walk: Vec<&str> = Vec::new();
        let mut cur: &str = start;
        loop {
            match colour.get(cur).copied().unwrap_or(0) {
                0 => {}
                1 => {
                    if let Some(at) = walk.iter().position(|e| *e == cur) {
                        cycles.push(walk[at..].to_vec());
                    }
                    break;
                }
                _ => break,
            }
            colour.insert(cur, 1);
            walk.push(cur);
            match state.parents.get(cur) {
                Some(p) if state.entities.contains_key(&p.value) => cur = p.value.as_str(),
                _ => break,
            }
        }
        for e in walk {
            colour.insert(e, 2);
        }
    }
    for mut cycle in cycles {
        // Start from the smallest id, as the message always did.
        let min = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
        cycle.rotate_left(min);
        let Some(&first) = cycle.first() else {
            continue;
        };
        let Some(&closing) = cycle.last() else {
            continue;
        };
        let Some(p) = state.parents.get(closing) else {
            continue;
        };
        let file = state.parent_files.get(closing).copied().unwrap_or(0);
        // A long cycle is named by its ends: the message stays one line.
        let chain = if cycle.len() > 12 {
            format!(
                "{} → … {} more … → {} → {first} ({} entities)",
                cycle[..6].join(" → "),
                cycle.len() - 9,
                cycle[cycle.len() - 3..].join(" → "),
                cycle.len()
            )
        } else {
            cycle
                .iter()
                .chain(std::iter::once(&first))
                .copied()
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let mut d = Diagnostic::error(
            "ownership-cycle",
            Loc::new(file, p.span.clone()),
            format!("ownership cycle: {chain}"),
        );
        d.with_help_mut(
            "an entity cannot control itself through its parents; remove or correct one `parent`",
        );
        diags.push(d);
    }
}

pub fn resolve(
    mut state: State,
    diags: &mut Diagnostics,
    reference: &Reference,
) -> Option<Project> {
    // Plain references (parents, operators, actors, hosts, sites of services).
    let entity_ids: Vec<String> = state.entities.keys().cloned().collect();
    let site_ids: Vec<String> = state.sites.keys().cloned().collect();
    for p in std::mem::take(&mut state.pending) {
        let (exists, what, known) = match p.kind {
            RefKind::Entity => (state.entities.contains_key(&p.id), "entity", &entity_ids),
            RefKind::Site => (state.sites.contains_key(&p.id), "site", &site_ids),
        };
        if !exists && !state.is_invalid(&p.id) {
            let known: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
            unknown(diags, p.loc, what, &p.id, &p.context, &known);
        }
    }

    // Ownership cycles: one pass over the parent links (each entity has at
    // most one parent), linear in the number of entities.
    report_cycles(&state, diags);

    let mut project = Project {
        config: state.config.take().unwrap_or_default(),
        ..Project::default()
    };

    // Services: actors' entities checked above.
    let services: BTreeMap<String, Service> = std::mem::take(&mut state.services)
        .into_iter()
        .map(|(k, (s, _, _))| (k, s))
        .collect();

    let flows = std::mem::take(&mut state.flows);
    let access = std::mem::take(&mut state.access);
    let measures = std::mem::take(&mut state.measures);
    // Re-insert services so node() can see them.
    for (k, s) in &services {
        state.services.insert(k.clone(), (s.clone(), Vec::new(), 0));
    }

    // Flows (the most numerous declarations) are resolved in parallel; their
    // diagnostics are reported in the flows' order.
    let flows: Vec<(String, (RawFlow, usize))> = flows.into_iter().collect();
    let resolved: Vec<ResolvedFlow> = flows
        .into_par_iter()
        .map(|(id, (raw, file))| {
            let mut found = Diagnostics::default();
            let flow = flow(&state, &services, &mut found, id, raw, file);
            (flow, found.items)
        })
        .collect();
    for (flow, found) in resolved {
        found.into_iter().for_each(|d| diags.push(d));
        if let Some((id, flow)) = flow {
            project.flows.insert(id, flow);
        }
    }

    for (id, (raw, file)) in access {
        let mut targets = Vec::new();
        for t in &raw.targets {
            if let Some(n) = node(
                &state,
                diags,
                file,
                t,
                &|| format!("target of access path `{id}`"),
                false,
            ) {
                targets.push(n);
            }
        }
        let mut a = raw.access;
        targets.sort();
        targets.dedup();
        a.targets = targets;
        project.access_paths.insert(id, a);
    }

    let laws_known = |id: &str| {
        reference.law(id).is_some()
            || project
                .config
                .reference_overrides
                .laws
                .iter()
                .any(|l| l.id == id)
    };
    for (id, raw) in measures {
        let mut targets = Vec::new();
        for m in &raw.mitigates {
            let loc = Loc::new(raw.file, raw.offset + m.span.start..raw.offset + m.span.end);
            let (prefix, tid) = match m.value.split_once(':') {
                Some((p, t)) => (Some(p), t),
                None => (None, m.value.as_str()),
            };
            let mut found = Vec::new();
            if matches!(prefix, None | Some("entity")) && state.entities.contains_key(tid) {
                found.push(MeasureTarget::Entity(tid.to_string()));
            }
            if matches!(prefix, None | Some("access")) && project.access_paths.contains_key(tid) {
                found.push(MeasureTarget::Access(tid.to_string()));
            }
            if matches!(prefix, None | Some("flow")) && project.flows.contains_key(tid) {
                found.push(MeasureTarget::Flow(tid.to_string()));
            }
            if matches!(prefix, None | Some("law")) && laws_known(tid) {
                found.push(MeasureTarget::Law(tid.to_string()));
            }
            if let Some(p) = prefix
                && !["entity", "access", "flow", "law"].contains(&p)
            {
                let mut d = Diagnostic::error(
                    "bad-value",
                    loc,
                    format!("`{p}:` is not something a measure mitigates"),
                );
                d.with_help_mut(
                    "write `entity:ID`, `access:ID`, `flow:ID` or `law:ID` (e.g. `law:US-CLOUD`)",
                );
                diags.push(d);
                continue;
            }
            match found.len() {
                1 => targets.extend(found),
                0 if state.is_invalid(tid) => {}
                0 => {
                    let mut known: Vec<String> = state
                        .entities
                        .keys()
                        .map(|k| format!("entity:{k}"))
                        .collect();
                    known.extend(project.access_paths.keys().map(|k| format!("access:{k}")));
                    known.extend(project.flows.keys().map(|k| format!("flow:{k}")));
                    known.extend(reference.laws.iter().map(|l| format!("law:{}", l.id)));
                    let refs: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
                    let guess = suggest(&m.value, refs.iter().copied()).or_else(|| {
                        refs.iter()
                            .copied()
                            .find(|k| k.ends_with(&format!(":{tid}")))
                    });
                    let mut d = Diagnostic::error(
                        "unknown-id",
                        loc,
                        format!("measure `{id}` mitigates unknown `{}`", m.value),
                    );
                    d.with_help_mut(match guess {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => "write `entity:ID`, `access:ID`, `flow:ID` or `law:ID` with a declared id or a law of the reference data".to_string(),
                    });
                    diags.push(d);
                }
                _ => {
                    let mut d = Diagnostic::error(
                        "ambiguous-id",
                        loc,
                        format!("`{tid}` names several things a measure can mitigate"),
                    );
                    d.with_help_mut(format!(
                        "prefix it: {}",
                        found
                            .iter()
                            .map(|t| match t {
                                MeasureTarget::Entity(_) => format!("`entity:{tid}`"),
                                MeasureTarget::Access(_) => format!("`access:{tid}`"),
                                MeasureTarget::Flow(_) => format!("`flow:{tid}`"),
                                MeasureTarget::Law(_) => format!("`law:{tid}`"),
                            })
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ));
                    diags.push(d);
                }
            }
        }
        let mut measure = raw.measure;
        targets.sort();
        targets.dedup();
        measure.mitigates = targets;
        project.measures.insert(id, measure);
    }

    // English bodies of measures name their measure by file name.
    let measure_ids: Vec<&str> = project.measures.keys().map(String::as_str).collect();
    for (id, loc) in std::mem::take(&mut state.measure_bodies) {
        if !project.measures.contains_key(&id) && !state.is_invalid(&id) {
            let context = format!("the English body {id}.en.md");
            unknown(diags, loc, "measure", &id, &context, &measure_ids);
        }
    }

    // So do English versions of free pages.
    let page_ids: Vec<&str> = state.pages.keys().map(String::as_str).collect();
    for (id, loc) in std::mem::take(&mut state.page_translations) {
        if !state.pages.contains_key(&id) && !state.is_invalid(&id) {
            let context = format!("the English version {id}.en.md");
            unknown(diags, loc, "page", &id, &context, &page_ids);
        }
    }

    project.entities = std::mem::take(&mut state.entities);
    project.sites = std::mem::take(&mut state.sites);
    project.services = services;
    project.pages = std::mem::take(&mut state.pages);
    project.clauses = std::mem::take(&mut state.clauses);
    project.english = std::mem::take(&mut state.english);
    if project.config.host.is_empty() {
        return None;
    }
    Some(project)
}
