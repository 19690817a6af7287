//! HDS coverage: every actor performing an HDS activity for a service must be
//! certified for it (or exempted under the host's certificate), with a
//! certificate valid on the date; and SecNumCloud statements must be backed
//! by a qualification.

use jiff::civil::Date;

use super::findings::{Finding, Severity, Subject};
use super::{Context, HdsStatus};
use crate::model::{Entity, HdsCertificate};

/// Deadline for hosts certified under the 2018 referential to be certified
/// against the 2024 one (arrêté of 26 April 2024; 24-month transition).
fn v2_deadline(ctx: &Context) -> Date {
    ctx.reference.hds_existing_holders_deadline()
}

fn valid_on(c: &HdsCertificate, d: Date) -> bool {
    c.issued <= d && d <= c.expires
}

/// Whether an entity's certificate covers an activity on the date.
fn covers(ctx: &Context, e: &Entity, activity: u8) -> bool {
    e.hds.as_ref().is_some_and(|c| {
        valid_on(c, ctx.as_of) && c.activities.contains(&activity) && !outdated(ctx, c)
    })
}

/// Whether an entity's HDS *claim* (a certificate the document mentions
/// without all its details) could cover an activity on the date: nothing it
/// states rules it out. Never counts as coverage; it turns a missing
/// certificate into a question to confirm.
pub(super) fn claim_may_cover(ctx: &Context, e: &Entity, activity: u8) -> bool {
    e.facts.hds_claim.as_ref().is_some_and(|c| {
        c.activities.as_ref().is_none_or(|a| a.contains(&activity))
            && c.issued.is_none_or(|d| d <= ctx.as_of)
            && c.expires.is_none_or(|d| ctx.as_of <= d)
    })
}

/// A 2018-referential certificate no longer shows conformity after the deadline.
fn outdated(ctx: &Context, c: &HdsCertificate) -> bool {
    let deadline = v2_deadline(ctx);
    // Certified hosts had *until* the deadline (inclusive).
    ctx.as_of > deadline
        && match c.referential.as_deref() {
            Some("2018") => true,
            Some(_) => false,
            // Before the 2024 referential was published, only the 2018 one existed.
            None => c.issued < ctx.reference.hds_published(),
        }
}

/// Why a certificate does not cover `missing` on the date, in English and
/// French: the reader must know whether to renew, re-audit or extend scope.
fn why_uncovered(ctx: &Context, c: &HdsCertificate, missing: &[u8]) -> (String, String) {
    if ctx.as_of < c.issued {
        (
            format!("it is issued on {}", c.issued),
            format!("il est délivré le {}", c.issued),
        )
    } else if ctx.as_of > c.expires {
        (
            format!("it expired on {}", c.expires),
            format!("il a expiré le {}", c.expires),
        )
    } else if outdated(ctx, c) {
        let d = v2_deadline(ctx);
        (
            format!(
                "it was audited against the 2018 referential, which no longer shows conformity after {d}"
            ),
            format!("il relève du référentiel de 2018, qui ne vaut plus conformité après le {d}"),
        )
    } else {
        let absent: Vec<String> = missing
            .iter()
            .filter(|a| !c.activities.contains(a))
            .map(|a| format!("{a}°"))
            .collect();
        (
            format!("its scope lists no activity {}", absent.join(", ")),
            format!(
                "son périmètre ne comprend pas l'activité {}",
                absent.join(", ")
            ),
        )
    }
}

/// Chapter 8 column "HDS certified": yes / exempted / no, for the activities performed.
pub fn status(ctx: &Context, entity: &str, activities: &[u8]) -> HdsStatus {
    let Some(e) = ctx.project.entities.get(entity) else {
        return HdsStatus::No;
    };
    if !activities.is_empty() && activities.iter().all(|a| covers(ctx, e, *a)) {
        return HdsStatus::Certified;
    }
    if activities.is_empty()
        && e.hds
            .as_ref()
            .is_some_and(|c| valid_on(c, ctx.as_of) && !outdated(ctx, c))
    {
        return HdsStatus::Certified;
    }
    let host = e
        .hds_exempted_under
        .as_ref()
        .and_then(|h| ctx.project.entities.get(h));
    if let Some(host) = host
        && activities
            .iter()
            .all(|a| covers(ctx, e, *a) || covers(ctx, host, *a))
    {
        return HdsStatus::Exempted;
    }
    // "HDS certified" without the details: neither yes nor no.
    let may = |x: &Entity, a: u8| covers(ctx, x, a) || claim_may_cover(ctx, x, a);
    let claimed = e.facts.hds_claim.is_some() || host.is_some_and(|h| h.facts.hds_claim.is_some());
    if claimed
        && activities
            .iter()
            .all(|a| may(e, *a) || host.is_some_and(|h| may(h, *a)))
    {
        return HdsStatus::Unconfirmed;
    }
    if ctx.project.config.publisher == crate::model::PublisherRole::Platform
        && entity == ctx.project.config.host
        && activities.is_empty()
    {
        return HdsStatus::NotApplicable;
    }
    HdsStatus::No
}

/// Why an entity's SecNumCloud qualification cannot back the EXI 31 form 1
/// statement on the date, in English and French; `None` when it can. It can
/// when it is against a version carrying §19.6 (3.2, or a later one the
/// reference data knows: HDS refers to "SecNumCloud (version 3.2)", and 3.1
/// has no §19.6 protection against extra-EU law), and valid on the date.
/// Unknown issue or expiry dates are not held against it (a qualification
/// certificate always states them; the loader requires the version).
pub fn secnumcloud_problem(ctx: &Context, entity: &str) -> Option<(String, String)> {
    let e = ctx.project.entities.get(entity)?;
    let name = &e.legal_name;
    let Some(q) = &e.secnumcloud else {
        return Some((
            format!("{name} holds no SecNumCloud qualification"),
            format!("{name} ne détient pas de qualification SecNumCloud"),
        ));
    };
    let Some(v) = ctx.reference.secnumcloud_version(&q.version) else {
        let known: Vec<&str> = ctx
            .reference
            .secnumcloud
            .versions
            .iter()
            .map(|v| v.version.as_str())
            .collect();
        return Some((
            format!(
                "{name}'s qualification is declared against SecNumCloud version {}, which does not carry §19.6 (protection against extra-EU law); form 1 needs version {}",
                q.version,
                known.join(" or ")
            ),
            format!(
                "la qualification de {name} est déclarée selon la version {} de SecNumCloud, qui ne comporte pas le §19.6 (protection vis-à-vis du droit extra-européen) ; la forme 1 exige la version {}",
                q.version,
                known.join(" ou ")
            ),
        ));
    };
    if ctx.as_of < v.published {
        return Some((
            format!(
                "SecNumCloud {} was published on {}, after {}",
                v.version, v.published, ctx.as_of
            ),
            format!(
                "SecNumCloud {} a été publié le {}, après le {}",
                v.version, v.published, ctx.as_of
            ),
        ));
    }
    if let Some(d) = q.issued.filter(|d| ctx.as_of < *d) {
        return Some((
            format!(
                "{name}'s qualification is issued on {d}, after {}",
                ctx.as_of
            ),
            format!(
                "la qualification de {name} est délivrée le {d}, après le {}",
                ctx.as_of
            ),
        ));
    }
    if let Some(d) = q.expires.filter(|d| *d < ctx.as_of) {
        return Some((
            format!("{name}'s qualification expired on {d}"),
            format!("la qualification de {name} a expiré le {d}"),
        ));
    }
    None
}

/// Whether an entity holds a SecNumCloud qualification that can back form 1
/// on the date (see [`secnumcloud_problem`]).
pub fn secnumcloud_valid(ctx: &Context, entity: &str) -> bool {
    secnumcloud_problem(ctx, entity).is_none()
}

/// The entities whose qualification form 1 needs for a service: the host and
/// every declared actor of the service (its hosting chain), host first.
pub fn secnumcloud_chain<'p>(ctx: &Context<'p>, svc: &'p crate::model::Service) -> Vec<&'p str> {
    let mut v: Vec<&str> = vec![ctx.project.config.host.as_str()];
    for a in &svc.actors {
        if !v.contains(&a.entity.as_str()) {
            v.push(a.entity.as_str());
        }
    }
    v
}

/// Why form 1 is not available for a service, one reason per actor.
pub fn secnumcloud_blockers(ctx: &Context, svc: &crate::model::Service) -> Vec<(String, String)> {
    secnumcloud_chain(ctx, svc)
        .into_iter()
        .filter_map(|e| secnumcloud_problem(ctx, e))
        .collect()
}

pub(super) fn activity_list(ctx: &Context, acts: &[u8], lang: &str) -> String {
    acts.iter()
        .map(|a| {
            let label = ctx
                .reference
                .hds_activity(*a)
                .map(|x| {
                    if lang == "fr" {
                        x.label_fr.clone()
                    } else {
                        x.label_en.clone()
                    }
                })
                .unwrap_or_default();
            format!("{a}° {label}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn check(ctx: &Context, findings: &mut Vec<Finding>) {
    let p = ctx.project;
    let mut certificate_checked = std::collections::BTreeSet::new();
    for svc in p.services.values() {
        for actor in &svc.actors {
            let Some(e) = p.entities.get(&actor.entity) else {
                continue;
            };
            let host = e
                .hds_exempted_under
                .as_ref()
                .and_then(|h| p.entities.get(h));
            let missing: Vec<u8> = actor
                .activities
                .iter()
                .copied()
                .filter(|a| !covers(ctx, e, *a) && !host.is_some_and(|h| covers(ctx, h, *a)))
                .collect();
            // Every missing activity may be covered by a certificate the
            // document mentions without details: a question, not a defect.
            if !missing.is_empty()
                && missing.iter().all(|a| {
                    claim_may_cover(ctx, e, *a) || host.is_some_and(|h| claim_may_cover(ctx, h, *a))
                })
            {
                let holder = if e.facts.hds_claim.is_some() {
                    e
                } else {
                    host.unwrap_or(e)
                };
                findings.push(super::unknowns::hds_claim_finding(
                    ctx, holder, e, svc, &missing, &actor.loc,
                ));
            } else if !missing.is_empty() {
                let why_en = match (&e.hds, host) {
                    (None, None) => "it holds no HDS certificate and is not declared exempted under the host's certificate".to_string(),
                    (Some(c), None) => format!("its certificate does not cover them on this date ({})", why_uncovered(ctx, c, &missing).0),
                    (_, Some(h)) => format!("neither its own certificate nor that of {} covers them on this date", h.legal_name),
                };
                let why_fr = match (&e.hds, host) {
                    (None, None) => "il ne détient pas de certificat HDS et n'est pas déclaré exempté au titre du certificat de l'hébergeur".to_string(),
                    (Some(c), None) => format!("son certificat ne les couvre pas à cette date ({})", why_uncovered(ctx, c, &missing).1),
                    (_, Some(h)) => format!("ni son certificat ni celui de {} ne les couvrent à cette date", h.legal_name),
                };
                findings.push(
                    Finding::new(
                        "HDS-NOT-CERTIFIED",
                        Severity::Error,
                        "CSP L.1111-8, R.1111-9; HDS certification",
                        Subject::Entity(e.id.clone()),
                        format!(
                            "{} performs HDS activities {} for service `{}` but {why_en}.",
                            e.legal_name,
                            activity_list(ctx, &missing, "en"),
                            svc.id
                        ),
                        format!(
                            "{} exerce les activités HDS {} pour le service `{}` mais {why_fr}.",
                            e.legal_name,
                            activity_list(ctx, &missing, "fr"),
                            svc.id
                        ),
                    )
                    .services(vec![svc.id.clone()])
                    .countries(vec![e.country.clone()])
                    .hint("add an [entity.hds] certificate covering these activities, or `hds_exempted_under = \"<host id>\"` if the host's certified scope covers this actor's work")
                    .at(&actor.loc),
                );
            }
            for ent in std::iter::once(e).chain(host) {
                if certificate_checked.insert(ent.id.clone()) {
                    certificate_findings(ctx, ent, findings);
                }
            }
        }
        let blockers = if svc.secnumcloud {
            secnumcloud_blockers(ctx, svc)
        } else {
            Vec::new()
        };
        if !blockers.is_empty() {
            let en: Vec<&str> = blockers.iter().map(|b| b.0.as_str()).collect();
            let fr: Vec<&str> = blockers.iter().map(|b| b.1.as_str()).collect();
            findings.push(
                Finding::new(
                    "SNC-NOT-QUALIFIED",
                    Severity::Error,
                    "HDS EXI 31; SecNumCloud 3.2 §19.6",
                    Subject::Service(svc.id.clone()),
                    format!("Service `{}` is declared SecNumCloud, but the SecNumCloud statement needs a qualification against a version carrying §19.6, valid on {}, for the host and every actor of the service: {}.", svc.id, ctx.as_of, en.join("; ")),
                    format!("Le service `{}` est déclaré SecNumCloud, mais la déclaration SecNumCloud exige, pour l'hébergeur et chaque acteur du service, une qualification selon une version comportant le §19.6, valide au {} : {}.", svc.id, ctx.as_of, fr.join(" ; ")),
                )
                .services(vec![svc.id.clone()])
                .hint("declare the [entity.secnumcloud] qualification (version \"3.2\", dates) of each actor named, or remove `secnumcloud = true`")
                .at(&svc.loc),
            );
        }
    }
    for e in p.entities.values() {
        if let Some(h) = &e.hds_exempted_under
            && p.entities
                .get(h)
                .is_some_and(|h| h.hds.is_none() && h.facts.hds_claim.is_none())
        {
            findings.push(
                    Finding::new(
                        "HDS-EXEMPTION-INVALID",
                        Severity::Error,
                        "HDS certification",
                        Subject::Entity(e.id.clone()),
                        format!("{} is declared exempted under `{h}`, which holds no HDS certificate.", e.legal_name),
                        format!("{} est déclaré exempté au titre de `{h}`, qui ne détient pas de certificat HDS.", e.legal_name),
                    )
                    .hint("point `hds_exempted_under` at the certified host")
                    .at(&e.loc),
                );
        }
    }
}

fn certificate_findings(ctx: &Context, e: &Entity, findings: &mut Vec<Finding>) {
    let Some(c) = &e.hds else { return };
    let mk = |code, sev, en: String, fr: String| {
        Finding::new(
            code,
            sev,
            "HDS certification",
            Subject::Entity(e.id.clone()),
            en,
            fr,
        )
        .countries(vec![e.country.clone()])
        .at(&e.loc)
    };
    if c.expires < ctx.as_of {
        findings.push(
            mk(
                "HDS-CERT-EXPIRED",
                Severity::Error,
                format!(
                    "The HDS certificate of {} expired on {} (certifier: {}).",
                    e.legal_name, c.expires, c.certifier
                ),
                format!(
                    "Le certificat HDS de {} a expiré le {} (certificateur : {}).",
                    e.legal_name, c.expires, c.certifier
                ),
            )
            .hint("declare the renewed certificate (new `issued` and `expires` dates)"),
        );
    } else if c.issued > ctx.as_of {
        findings.push(mk(
            "HDS-CERT-NOT-YET-VALID",
            Severity::Error,
            format!(
                "The HDS certificate of {} is issued on {}, after the date of the map ({}).",
                e.legal_name, c.issued, ctx.as_of
            ),
            format!(
                "Le certificat HDS de {} est délivré le {}, après la date de la cartographie ({}).",
                e.legal_name, c.issued, ctx.as_of
            ),
        ));
    } else if outdated(ctx, c) {
        findings.push(
            mk(
                "HDS-REFERENTIAL-OUTDATED",
                Severity::Error,
                format!(
                    "The HDS certificate of {} (issued {}) was audited against the 2018 referential; certified hosts had until {} to be certified against the 2024 referential.",
                    e.legal_name,
                    c.issued,
                    v2_deadline(ctx)
                ),
                format!(
                    "Le certificat HDS de {} (délivré le {}) relève du référentiel de 2018 ; les hébergeurs certifiés avaient jusqu'au {} pour être certifiés selon le référentiel de 2024.",
                    e.legal_name,
                    c.issued,
                    v2_deadline(ctx)
                ),
            )
            .hint("declare the certificate issued against the 2024 referential (`referential = \"2024\"`)"),
        );
    } else {
        let days = ctx
            .as_of
            .until(c.expires)
            .map(|s| i64::from(s.get_days()))
            .unwrap_or(0);
        if days <= ctx.policy.expiry_warning_days {
            findings.push(
                mk(
                    "HDS-CERT-EXPIRING",
                    Severity::Warning,
                    format!(
                        "The HDS certificate of {} expires on {}, in {days} days.",
                        e.legal_name, c.expires
                    ),
                    format!(
                        "Le certificat HDS de {} expire le {}, dans {days} jours.",
                        e.legal_name, c.expires
                    ),
                )
                .hint("plan the renewal audit and update the declaration once renewed"),
            );
        }
    }
}
