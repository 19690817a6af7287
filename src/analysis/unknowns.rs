//! What the declarations leave unknown, and the gaps they leave open.
//!
//! Each unknown is judged at its worst plausible value by the rule it
//! concerns (an unstated storage country is outside the EEA for the EXI 31
//! form, an unnamed non-EU controller is an EXI 30 exposure whose laws are
//! unknown…); this module adds the distinct `CONFIRM-…` findings that say
//! what is unknown, why it matters and what to ask the provider, and the
//! `GAP-…` findings for what the declarations do not say at all.

use std::collections::{BTreeMap, BTreeSet};

use super::exi28::Stored;
use super::findings::{Finding, Severity, Subject};
use super::transfers::{AdequacyStatus, Transfer, TransferKind};
use super::{ActorRow, Context, Exposure, HdsStatus};
use crate::diag::Loc;
use crate::model::{Entity, Service};
use crate::unknown::{Place, place};

/// `CONFIRM-HDS-CERTIFICATE`: an actor performs activities that a
/// certificate mentioned without its details may cover.
pub(super) fn hds_claim_finding(
    ctx: &Context,
    holder: &Entity,
    actor: &Entity,
    svc: &Service,
    missing: &[u8],
    loc: &Loc,
) -> Finding {
    let (gap_en, gap_fr) = holder
        .facts
        .hds_claim
        .as_ref()
        .map(|c| c.missing())
        .unwrap_or_default();
    let whose_en = if holder.id == actor.id {
        "its HDS certificate".to_string()
    } else {
        format!(
            "the HDS certificate of {}, under which it works",
            holder.legal_name
        )
    };
    let whose_fr = if holder.id == actor.id {
        "son certificat HDS".to_string()
    } else {
        format!(
            "le certificat HDS de {}, au titre duquel il intervient",
            holder.legal_name
        )
    };
    Finding::new(
        "CONFIRM-HDS-CERTIFICATE",
        Severity::Warning,
        "CSP L.1111-8, R.1111-9; HDS certification",
        Subject::Entity(actor.id.clone()),
        format!(
            "To confirm: {} performs HDS activities {} for service `{}`; the document says {whose_en} exists but not {gap_en}. Until confirmed, coverage of these activities on {} cannot be shown. Ask the provider for the certificate (number, certification body, activities, validity dates).",
            actor.legal_name,
            super::hds::activity_list(ctx, missing, "en"),
            svc.id,
            ctx.as_of
        ),
        format!(
            "À confirmer : {} exerce les activités HDS {} pour le service `{}` ; le document mentionne {whose_fr} mais pas {gap_fr}. Tant que ce n'est pas confirmé, la couverture de ces activités au {} ne peut être établie. Demander au prestataire le certificat (numéro, organisme certificateur, activités, dates de validité).",
            actor.legal_name,
            super::hds::activity_list(ctx, missing, "fr"),
            svc.id,
            ctx.as_of
        ),
    )
    .services(vec![svc.id.clone()])
    .hint("once the certificate is known, replace the `\"unknown\"` values of [entity.hds] with what it states")
    .to_confirm()
    .at(loc)
}

/// Every `CONFIRM-…` and `GAP-…` finding that needs the transfers and
/// exposures already judged.
pub(super) fn check(
    ctx: &Context,
    stored: &Stored,
    transfers: &[Transfer],
    exposures: &[Exposure],
    findings: &mut Vec<Finding>,
) {
    storage(ctx, stored, findings);
    for t in transfers {
        transfer(ctx, t, findings);
    }
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for x in exposures {
        if seen.insert((x.through.as_str(), x.country.as_str())) {
            exposure(ctx, x, exposures, findings);
        }
    }
    admin_without_access(ctx, findings);
    services_without_storage(ctx, findings);
}

/// "the document does not name the country {of}" / "says only that the
/// country {of} is outside the EU", in English and French.
fn unstated(code: &str, of_en: &str, of_fr: &str) -> (String, String) {
    match place(code) {
        Place::NonEu => (
            format!("the document says only that the country {of_en} is outside the EU"),
            format!("le document indique seulement que le pays {of_fr} est hors de l'UE"),
        ),
        _ => (
            format!("the document does not name the country {of_en}"),
            format!("le document ne nomme pas le pays {of_fr}"),
        ),
    }
}

/// Sites (and entities receiving copies) that store health data in a place
/// not named: outside the EEA at worst (EXI 28 not shown), or "EU" with the
/// member state not told (EXI 28 met, the location still to be told).
fn storage(ctx: &Context, stored: &Stored, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let mut places: Vec<(Subject, &str, String, &Loc, &BTreeSet<String>)> = Vec::new();
    for (sid, (services, _)) in &stored.sites {
        if let Some(s) = p.sites.get(sid) {
            places.push((
                Subject::Site(sid.to_string()),
                &s.country,
                format!("site `{sid}` ({})", s.name),
                &s.loc,
                services,
            ));
        }
    }
    for (eid, (services, _)) in &stored.entities {
        if let Some(e) = p.entities.get(eid) {
            places.push((
                Subject::Entity(eid.to_string()),
                &e.country,
                e.legal_name.clone(),
                &e.loc,
                services,
            ));
        }
    }
    for (subject, country, what, loc, services) in places {
        let pl = place(country);
        if pl.unstated_third_country() {
            let (w_en, w_fr) = unstated(country, "of storage", "de stockage");
            findings.push(
                Finding::new(
                    "CONFIRM-STORAGE-COUNTRY",
                    Severity::Error,
                    "HDS EXI 28",
                    subject,
                    format!(
                        "To confirm: health data is stored at {what}, and {w_en}. EXI 28 allows storage only inside the EEA and requires the location to be documented: until the country is known, storage there is treated as outside the EEA. Ask the provider in which country the data (and its replicas and backups) is stored."
                    ),
                    format!(
                        "À confirmer : des données de santé sont stockées chez {what}, et {w_fr}. L'exigence 28 n'autorise le stockage que dans l'EEE et impose d'en documenter le lieu : tant que le pays n'est pas connu, ce stockage est traité comme hors EEE. Demander au prestataire dans quel pays les données (et leurs réplicas et sauvegardes) sont stockées."
                    ),
                )
                .services(services.iter().cloned().collect())
                .countries(vec![country.to_string()])
                .hint("once known, write the ISO code of the country in `country`")
                .to_confirm()
                .at(loc),
            );
        } else if pl.surely_eea() {
            let region = crate::unknown::region_name(country, false).unwrap_or_default();
            let region_fr = crate::unknown::region_name(country, true).unwrap_or_default();
            findings.push(
                Finding::new(
                    "CONFIRM-MEMBER-STATE",
                    Severity::Notice,
                    "HDS EXI 28",
                    subject,
                    format!(
                        "To confirm: health data is stored at {what}, in the {region}. Storage inside the EEA meets EXI 28, but the storage location must be told to the client: ask the provider which member state(s)."
                    ),
                    format!(
                        "À confirmer : des données de santé sont stockées chez {what}, {region_fr}. Un stockage dans l'EEE satisfait l'exigence 28, mais le lieu de stockage doit être indiqué au client : demander au prestataire dans quel(s) État(s) membre(s)."
                    ),
                )
                .services(services.iter().cloned().collect())
                .countries(vec![country.to_string()])
                .hint("once known, write the ISO code of the member state in `country`")
                .to_confirm()
                .at(loc),
            );
        }
    }
}

/// A transfer whose country, basis or DPF listing is not stated.
fn transfer(ctx: &Context, t: &Transfer, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let who = p.entity_name(&t.recipient);
    let (subject, loc) = match t.kind {
        TransferKind::RemoteAccess => (
            Subject::Access(t.source.clone()),
            p.access_paths.get(&t.source).map(|a| &a.loc),
        ),
        TransferKind::Flow => (
            Subject::Flow(t.source.clone()),
            p.flows.get(&t.source).map(|f| &f.loc),
        ),
    };
    let loc = loc.cloned().unwrap_or_default();
    let access = t.kind == TransferKind::RemoteAccess;
    // A stored copy in an unstated country is CONFIRM-STORAGE-COUNTRY.
    if place(&t.country).unstated_third_country() && !(t.storage && t.health) {
        let (what_en, what_fr) = if access {
            let (w_en, w_fr) = unstated(&t.country, "it works from", "depuis lequel il opère");
            (
                format!("{who} reaches the data remotely, and {w_en}"),
                format!("{who} accède aux données à distance, et {w_fr}"),
            )
        } else {
            let (w_en, w_fr) = unstated(&t.country, "the data goes to", "où vont les données");
            (
                format!("flow `{}` sends data to {who}, and {w_en}", t.source),
                format!(
                    "le flux `{}` envoie des données à {who}, et {w_fr}",
                    t.source
                ),
            )
        };
        findings.push(
            Finding::new(
                if access { "CONFIRM-ACCESS-COUNTRY" } else { "CONFIRM-FLOW-COUNTRY" },
                Severity::Warning,
                if access && t.health { "HDS EXI 29; GDPR Art. 44-49" } else { "GDPR Art. 44-49" },
                subject.clone(),
                format!(
                    "To confirm: {what_en}. Until the country is known it is treated as a third country without an adequacy decision: the transfer needs an Art. 46 safeguard, and clients must be told the country{}. Ask the provider from which country.",
                    if access && t.health { " (EXI 29)" } else { "" }
                ),
                format!(
                    "À confirmer : {what_fr}. Tant que le pays n'est pas connu, il est traité comme un pays tiers sans décision d'adéquation : le transfert exige une garantie de l'art. 46, et le pays doit être indiqué aux clients{}. Demander au prestataire depuis quel pays.",
                    if access && t.health { " (exigence 29)" } else { "" }
                ),
            )
            .services(t.services.clone())
            .countries(vec![t.country.clone()])
            .hint("once known, write the ISO code of the country in `country`")
            .to_confirm()
            .at(&loc),
        );
    }
    if let AdequacyStatus::Partial {
        decision,
        condition,
        in_scope: false,
    } = &t.adequacy
        && p.entities
            .get(&t.recipient)
            .is_some_and(|e| e.facts.dpf_unknown && condition == "dpf")
    {
        findings.push(
            Finding::new(
                "CONFIRM-DPF",
                Severity::Warning,
                "GDPR Art. 45",
                subject,
                format!(
                    "To confirm: the document does not say whether {who} is listed under the EU-US Data Privacy Framework. The adequacy decision {decision} covers only listed organisations, so until confirmed the transfer is judged without it. Ask the provider whether {who} is on the DPF list (dataprivacyframework.gov) for the data concerned."
                ),
                format!(
                    "À confirmer : le document ne dit pas si {who} est inscrit au cadre de protection des données UE-États-Unis (DPF). La décision d'adéquation {decision} ne couvre que les organisations inscrites : tant que ce n'est pas confirmé, le transfert est jugé sans elle. Demander au prestataire si {who} figure sur la liste DPF (dataprivacyframework.gov) pour les données concernées."
                ),
            )
            .services(t.services.clone())
            .countries(vec![t.country.clone()])
            .hint(format!("once known, write `dpf = true` or `dpf = false` on entity `{}`", t.recipient))
            .to_confirm()
            .at(&loc),
        );
    }
}

/// An exposure through an entity whose country is not named.
fn exposure(ctx: &Context, x: &Exposure, all: &[Exposure], findings: &mut Vec<Finding>) {
    let p = ctx.project;
    if !place(&x.country).unstated_third_country() {
        return;
    }
    let Some(through) = p.entities.get(&x.through) else {
        return;
    };
    let services: Vec<String> = all
        .iter()
        .filter(|o| o.through == x.through && o.country == x.country)
        .flat_map(|o| o.services.iter().cloned())
        .collect();
    let people = through.facts.kind.is_people();
    let (of_en, of_fr) = if people {
        ("where it resides", "où il réside")
    } else if x.through == x.entity {
        ("where it is incorporated", "où il est immatriculé")
    } else {
        (
            "where this controlling entity is incorporated",
            "où cette entité de contrôle est immatriculée",
        )
    };
    let (w_en, w_fr) = unstated(&x.country, of_en, of_fr);
    findings.push(
        Finding::new(
            "CONFIRM-CONTROL-COUNTRY",
            Severity::Warning,
            "HDS EXI 30; GDPR Art. 48",
            Subject::Entity(x.through.clone()),
            format!(
                "To confirm: {w_en} ({}). Until it is known, {} is treated as subject to the law of a third country without an adequacy decision (EXI 30), with the laws that could compel access unknown: the contract must name them. Ask the provider in which country {} is {}.",
                through.legal_name,
                through.legal_name,
                through.legal_name,
                if people { "resident" } else { "incorporated" }
            ),
            format!(
                "À confirmer : {w_fr} ({}). Tant que ce n'est pas connu, {} est traité comme soumis au droit d'un pays tiers sans décision d'adéquation (exigence 30), les lois pouvant imposer un accès étant inconnues : le contrat doit les nommer. Demander au prestataire dans quel pays {} est {}.",
                through.legal_name,
                through.legal_name,
                through.legal_name,
                if people { "établi" } else { "immatriculé" }
            ),
        )
        .services(services)
        .countries(vec![x.country.clone()])
        .hint("once known, write the ISO code of the country in `country`")
        .to_confirm()
        .at(&through.loc),
    );
}

/// A host or subcontractor outside the EEA (or whose country is not stated)
/// that administers the system (activity 5) with no remote-access path
/// declared for its teams: either the access is missing or it does not
/// exist, and the document must say which.
fn admin_without_access(ctx: &Context, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let r = ctx.reference;
    let with_access: BTreeSet<&str> = p.access_paths.values().map(|a| a.team.as_str()).collect();
    let mut services_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut loc_of: BTreeMap<&str, &Loc> = BTreeMap::new();
    for svc in p.services.values() {
        for a in &svc.actors {
            if a.activities.contains(&5) {
                services_of
                    .entry(a.entity.as_str())
                    .or_default()
                    .push(svc.id.clone());
                loc_of.entry(a.entity.as_str()).or_insert(&a.loc);
            }
        }
    }
    for (id, services) in services_of {
        let Some(e) = p.entities.get(id) else {
            continue;
        };
        if r.is_eea(&e.country) || with_access.contains(id) {
            continue;
        }
        let c_en = r.country_name(&e.country, "en");
        let c_fr = r.country_name(&e.country, "fr");
        findings.push(
            Finding::new(
                "GAP-ADMIN-NO-ACCESS",
                Severity::Warning,
                "HDS EXI 29",
                Subject::Entity(id.to_string()),
                format!(
                    "{} ({c_en}, outside the EEA) administers and operates the system (activity 5) but no remote-access path is declared for its teams. Administration from outside the EEA is an EXI 29 access that must be disclosed with its basis: declare it, or confirm that no one outside the EEA can reach the data.",
                    e.legal_name
                ),
                format!(
                    "{} ({c_fr}, hors EEE) assure l'administration et l'exploitation (activité 5) mais aucun accès à distance n'est déclaré pour ses équipes. Une administration depuis l'extérieur de l'EEE est un accès relevant de l'exigence 29, à indiquer avec son fondement : le déclarer, ou confirmer que personne hors de l'EEE ne peut accéder aux données.",
                    e.legal_name
                ),
            )
            .services(services)
            .countries(vec![e.country.clone()])
            .hint(format!("add an access path in content/access/ with `team = \"{id}\"`, or confirm that its administration is done from inside the EEA (then declare the access with the EEA country)"))
            .at(loc_of.get(id).copied().unwrap_or(&e.loc)),
        );
    }
}

/// A service that declares no storage site cannot show EXI 28.
fn services_without_storage(ctx: &Context, findings: &mut Vec<Finding>) {
    for svc in ctx.project.services.values() {
        if !svc.sites.is_empty() {
            continue;
        }
        findings.push(
            Finding::new(
                "GAP-NO-STORAGE-SITE",
                Severity::Warning,
                "HDS EXI 28",
                Subject::Service(svc.id.clone()),
                format!(
                    "Service `{}` declares no storage site: EXI 28 (storage inside the EEA) cannot be shown, and the \"no transfer\" statement cannot be published for it. Declare where its data, replicas and backups are stored.",
                    svc.id
                ),
                format!(
                    "Le service `{}` ne déclare aucun site de stockage : l'exigence 28 (stockage dans l'EEE) ne peut être établie, et la mention « aucun transfert » ne peut être publiée pour lui. Déclarer où ses données, réplicas et sauvegardes sont stockés.",
                    svc.id
                ),
            )
            .services(vec![svc.id.clone()])
            .hint("add `sites = [\"site-id\", …]`; a site may have `country = \"EU\"` or `\"unknown\"` when the document does not name the country")
            .at(&svc.loc),
        );
    }
}

/// Rows of the chapter 8 table that would show "HDS: no" with nothing
/// behind it: an actor that receives health data (site operator, recipient,
/// team) with no HDS status declared.
pub(super) fn hds_status_gaps(ctx: &Context, rows: &[ActorRow], findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let judged: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.code.starts_with("HDS-") || f.code == "CONFIRM-HDS-CERTIFICATE")
        .filter_map(|f| match &f.subject {
            Subject::Entity(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for r in rows {
        if r.hds != HdsStatus::No || judged.contains(&r.entity) {
            continue;
        }
        let Some(e) = p.entities.get(&r.entity) else {
            continue;
        };
        out.push(
            Finding::new(
                "GAP-HDS-STATUS",
                Severity::Warning,
                "CSP L.1111-8; HDS certification",
                Subject::Entity(e.id.clone()),
                format!(
                    "{} receives or reaches health data but no HDS status is declared for it (certificate, or work covered by the host's certificate). The table would show \"HDS: no\": declare its status, or confirm that it needs none.",
                    e.legal_name
                ),
                format!(
                    "{} reçoit des données de santé ou y accède, mais aucun statut HDS n'est déclaré pour lui (certificat, ou intervention couverte par le certificat de l'hébergeur). Le tableau indiquerait « HDS : non » : déclarer son statut, ou confirmer qu'il n'en a pas besoin.",
                    e.legal_name
                ),
            )
            .countries(vec![e.country.clone()])
            .hint(format!("add an [entity.hds] certificate (`hds = \"certified\"` if the document gives no details) or `hds_exempted_under = \"{}\"` to entity `{}`", p.config.host, e.id))
            .at(&e.loc),
        );
    }
    findings.append(&mut out);
}
