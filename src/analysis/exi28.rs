//! EXI 28: health data may be stored only inside the EEA — even in a country
//! with an adequacy decision (Switzerland, the United Kingdom).

use std::collections::{BTreeMap, BTreeSet};

use super::Context;
use super::findings::{Finding, Severity, Subject};
use crate::graph::ServiceReach;
use crate::model::NodeRef;

/// Services concerned and flows bringing the data, for one place.
pub(crate) type Copies = (BTreeSet<String>, Vec<String>);

/// Where health data is stored: the sites a service declares, and the sites
/// or entities a storage, replication or backup flow of health data goes to.
/// Computed once; EXI 28, the `CONFIRM-…` storage questions and the pages'
/// storage sections (issue 17, rule 8) all read it.
#[derive(Debug, Default)]
pub(crate) struct Stored {
    /// Site id → services storing there and the flows copying data there.
    pub sites: BTreeMap<String, Copies>,
    /// Entity id → the same, for flows pointed at an entity, not a site.
    pub entities: BTreeMap<String, Copies>,
}

pub(crate) fn stored(ctx: &Context, reach: &ServiceReach) -> Stored {
    let p = ctx.project;
    let mut out = Stored::default();
    // Site id → services storing there (declared `sites`, or copies made by flows).
    for svc in p.services.values() {
        for s in &svc.sites {
            out.sites
                .entry(s.clone())
                .or_default()
                .0
                .insert(svc.id.clone());
        }
    }
    // Copies made by flows (replication, backup, storage) of health data.
    for f in p.flows.values() {
        if !f.kind.stores_data() || !f.data.iter().any(|d| d.is_health()) {
            continue;
        }
        let services: Vec<String> = if f.services.is_empty() {
            super::transfers::services_at(ctx, reach, &f.from)
        } else {
            f.services.clone()
        };
        let e = match &f.to {
            NodeRef::Site(s) => out.sites.entry(s.clone()).or_default(),
            NodeRef::Entity(en) => out.entities.entry(en.clone()).or_default(),
            NodeRef::Service(_) => continue,
        };
        e.0.extend(services);
        e.1.push(f.id.clone());
    }
    out
}

pub fn check(ctx: &Context, stored: &Stored, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let r = ctx.reference;
    for (site_id, (services, flows)) in &stored.sites {
        let Some(site) = p.sites.get(site_id) else {
            continue;
        };
        // A region value (`EU`, `unknown`…) is judged by the CONFIRM-…
        // findings of `unknowns`, not as a named country.
        if r.is_eea(&site.country) || crate::unknown::place(&site.country).is_region() {
            continue;
        }
        let adequate = !r.adequacy_for(&site.country, ctx.as_of).is_empty();
        let (c_en, c_fr) = (
            r.country_name(&site.country, "en"),
            r.country_name(&site.country, "fr"),
        );
        let territory = r
            .territory_note(&site.country)
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let territory_fr = r
            .territory_note_in(&site.country, "fr")
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let via = if flows.is_empty() {
            String::new()
        } else {
            format!(" (flows: {})", flows.join(", "))
        };
        let via_fr = if flows.is_empty() {
            String::new()
        } else {
            format!(" (flux : {})", flows.join(", "))
        };
        findings.push(
            Finding::new(
                "EXI28-STORAGE-OUTSIDE-EEA",
                Severity::Error,
                "HDS EXI 28",
                Subject::Site(site_id.clone()),
                format!(
                    "Health data is stored at site `{}` ({}, {c_en}), outside the EEA{via}. EXI 28 allows storage only inside the EEA{}.{territory}",
                    site_id,
                    site.role.as_str(),
                    if adequate { ", even where an adequacy decision exists" } else { "" }
                ),
                format!(
                    "Des données de santé sont stockées sur le site `{}` ({}, {c_fr}), hors de l'EEE{via_fr}. L'exigence 28 n'autorise le stockage que dans l'EEE{}.{territory_fr}",
                    site_id,
                    site.role.as_str(),
                    if adequate { ", même lorsqu'une décision d'adéquation existe" } else { "" }
                ),
            )
            .services(services.iter().cloned().collect())
            .countries(vec![site.country.clone()])
            .hint("move the storage, replica or backup to a site in the EEA (EU-27, Iceland, Liechtenstein, Norway)")
            .at(&site.loc),
        );
    }

    for (entity_id, (services, flows)) in &stored.entities {
        let Some(e) = p.entities.get(entity_id) else {
            continue;
        };
        if r.is_eea(&e.country) || crate::unknown::place(&e.country).is_region() {
            continue;
        }
        let (c_en, c_fr) = (
            r.country_name(&e.country, "en"),
            r.country_name(&e.country, "fr"),
        );
        findings.push(
            Finding::new(
                "EXI28-STORAGE-OUTSIDE-EEA",
                Severity::Error,
                "HDS EXI 28",
                Subject::Entity(entity_id.clone()),
                format!(
                    "Health data is copied to {} in {c_en}, outside the EEA (flows: {}). EXI 28 allows storage only inside the EEA.",
                    e.legal_name,
                    flows.join(", ")
                ),
                format!(
                    "Des données de santé sont copiées chez {} ({c_fr}), hors de l'EEE (flux : {}). L'exigence 28 n'autorise le stockage que dans l'EEE.",
                    e.legal_name,
                    flows.join(", ")
                ),
            )
            .services(services.iter().cloned().collect())
            .countries(vec![e.country.clone()])
            .hint("if the copy is kept at one of this entity's sites in the EEA, point the flow at that site (`to = \"site-id\"`); otherwise move it into the EEA")
            .at(&e.loc),
        );
    }
}
