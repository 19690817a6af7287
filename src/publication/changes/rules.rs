//! Which changes make things riskier, as a table: one rule per [`RiskKind`],
//! each reading the [facts](super::facts) of one changed item and giving the
//! reasons it is riskier (plain data; [`super::words`] says them). Also which
//! changes are under notice (GDPR Art. 28(2) prior information).
//!
//! The only legal fact used here is EEA membership, from the reference data as
//! it stood on each publication's date (London was inside the EEA in 2020);
//! everything else was decided by the sovmap that wrote the publication.

use jiff::civil::Date;

use super::RiskKind;
use super::facts::{Fact, What};
use crate::publication::{self as p, BasisStatus, Publication, Severity};
use crate::reference::Reference;

/// What the rules read besides the facts: both publications and the
/// reference data on each one's date.
pub(super) struct Context<'a> {
    pub old: &'a Publication,
    pub new: &'a Publication,
    pub old_reference: Reference,
    pub new_reference: Reference,
}

impl Context<'_> {
    /// Whether `code` is in the EEA on the old publication's date.
    fn was_eea(&self, code: &str) -> bool {
        self.old_reference.is_eea(code)
    }

    /// Whether `code` is in the EEA on the new publication's date.
    fn is_eea(&self, code: &str) -> bool {
        self.new_reference.is_eea(code)
    }
}

/// Why one change is riskier, with what the words need to say it.
pub(super) enum Reason {
    ShorterNotice,
    FewerDisclosed,
    NonEeaCountry,
    /// A new exposure to the law of this country.
    Exposure(String),
    /// A new law (id) reaching the data.
    Law(String),
    /// A new transfer, of health data or not.
    Reachable {
        health: bool,
    },
    /// Data stored outside the EEA, in this country.
    Stored(Stored, String),
    /// A new transfer without a valid basis.
    NoBasis,
    Weaker(BasisStatus, BasisStatus),
    HdsGone,
    HdsExpired(Date),
    /// HDS activities no longer covered.
    HdsActivities(Vec<u8>),
    SecNumCloudLost,
    DpfLost,
    MeasureGone,
    /// Targets (`kind:id`) a measure no longer mitigates.
    Unmitigated(Vec<String>),
    SafeguardsGone(Vec<String>),
    /// Measures (ids) that no longer mitigate a transfer or an exposure.
    MeasuresGone(Vec<String>),
    Problem(Severity),
    MoreSevere,
}

/// How data came to be stored outside the EEA.
#[derive(Clone, Copy)]
pub(super) enum Stored {
    /// A new storing site.
    Site,
    /// A site moved or now stores.
    SiteNow,
    /// A new storage country of a service.
    Service,
    /// A new transfer keeping a copy.
    Copy,
    /// A transfer now keeping a copy.
    CopyNow,
}

/// One rule: the reasons a changed item is riskier in this way.
pub(super) struct Rule {
    pub kind: RiskKind,
    pub reasons: fn(&Fact<'_>, &Context<'_>) -> Vec<Reason>,
}

/// The rules, in the order a change lists its risks.
pub(super) const RULES: [Rule; 11] = [
    Rule {
        kind: RiskKind::ShorterNotice,
        reasons: shorter_notice,
    },
    Rule {
        kind: RiskKind::FewerDisclosed,
        reasons: fewer_disclosed,
    },
    Rule {
        kind: RiskKind::NewNonEeaCountry,
        reasons: new_non_eea_country,
    },
    Rule {
        kind: RiskKind::NewExposure,
        reasons: new_exposure,
    },
    Rule {
        kind: RiskKind::NewLaw,
        reasons: new_law,
    },
    Rule {
        kind: RiskKind::NewTransfer,
        reasons: new_transfer,
    },
    Rule {
        kind: RiskKind::StorageOutsideEea,
        reasons: storage_outside_eea,
    },
    Rule {
        kind: RiskKind::WeakerBasis,
        reasons: weaker_basis,
    },
    Rule {
        kind: RiskKind::CertificateLost,
        reasons: certificate_lost,
    },
    Rule {
        kind: RiskKind::MeasureRemoved,
        reasons: measure_removed,
    },
    Rule {
        kind: RiskKind::NewProblem,
        reasons: new_problem,
    },
];

/// A change under notice takes effect after the notice period: a new
/// subcontractor (or an entity that becomes one), a new country, a new exposure.
pub(super) fn under_notice(f: &Fact<'_>) -> bool {
    match &f.what {
        What::Country { .. } => f.change == super::ChangeKind::Added,
        What::Exposure((None, Some(_))) => true,
        What::Entity {
            pair: (None, Some(_)),
            is_sub,
            ..
        } => *is_sub,
        What::Entity {
            pair: (Some(_), Some(_)),
            was_sub,
            is_sub,
        } => *is_sub && !*was_sub,
        _ => false,
    }
}

/// Clients are told of changes later.
fn shorter_notice(f: &Fact<'_>, cx: &Context<'_>) -> Vec<Reason> {
    match f.what {
        What::Provider(_) if cx.new.provider.notice_days < cx.old.provider.notice_days => {
            vec![Reason::ShorterNotice]
        }
        _ => Vec::new(),
    }
}

/// The provider's reading now counts partial adequacy as no exposure.
fn fewer_disclosed(f: &Fact<'_>, cx: &Context<'_>) -> Vec<Reason> {
    let changed = f
        .fields
        .iter()
        .any(|x| x.name == "partial_adequacy_is_exposure");
    let lenient = cx
        .new
        .policy
        .as_ref()
        .is_some_and(|p| !p.partial_adequacy_is_exposure);
    match f.what {
        What::Provider(_) if changed && lenient => vec![Reason::FewerDisclosed],
        _ => Vec::new(),
    }
}

fn new_non_eea_country(f: &Fact<'_>, cx: &Context<'_>) -> Vec<Reason> {
    match &f.what {
        What::Country { code, .. } if f.change == super::ChangeKind::Added && !cx.is_eea(code) => {
            vec![Reason::NonEeaCountry]
        }
        _ => Vec::new(),
    }
}

fn new_exposure(f: &Fact<'_>, _: &Context<'_>) -> Vec<Reason> {
    match f.what {
        What::Exposure((None, Some(x))) => vec![Reason::Exposure(x.country.clone())],
        _ => Vec::new(),
    }
}

fn new_law(f: &Fact<'_>, _: &Context<'_>) -> Vec<Reason> {
    match f.what {
        What::Exposure((Some(_), Some(_))) => field_added(f, "laws")
            .into_iter()
            .map(|l| Reason::Law(l.to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

fn new_transfer(f: &Fact<'_>, _: &Context<'_>) -> Vec<Reason> {
    match f.what {
        What::Transfer((None, Some(t))) => vec![Reason::Reachable { health: t.health }],
        _ => Vec::new(),
    }
}

fn storage_outside_eea(f: &Fact<'_>, cx: &Context<'_>) -> Vec<Reason> {
    let stored = |how, c: &str| vec![Reason::Stored(how, c.to_string())];
    // A site stores data outside the EEA, on the date of its publication.
    let outside = |s: &p::Site, eea: &dyn Fn(&str) -> bool| s.role.stores() && !eea(&s.country);
    let (was, is) = (|c: &str| cx.was_eea(c), |c: &str| cx.is_eea(c));
    match f.what {
        What::Site((None, Some(s))) if outside(s, &is) => stored(Stored::Site, &s.country),
        What::Site((Some(o), Some(n))) if outside(n, &is) && !outside(o, &was) => {
            stored(Stored::SiteNow, &n.country)
        }
        What::Service((Some(_), Some(_))) => field_added(f, "storage_countries")
            .into_iter()
            .filter(|c| !cx.is_eea(c))
            .map(|c| Reason::Stored(Stored::Service, c.to_string()))
            .collect(),
        What::Transfer((None, Some(t))) if t.storage => stored(Stored::Copy, &t.country),
        What::Transfer((Some(_), Some(n)))
            if n.storage && f.fields.iter().any(|x| x.name == "storage") =>
        {
            stored(Stored::CopyNow, &n.country)
        }
        _ => Vec::new(),
    }
}

/// The basis of a transfer got weaker (adequacy → safeguards → derogation → none).
fn weaker_basis(f: &Fact<'_>, _: &Context<'_>) -> Vec<Reason> {
    match f.what {
        What::Transfer((None, Some(t))) if t.basis_status == BasisStatus::Missing => {
            vec![Reason::NoBasis]
        }
        What::Transfer((Some(o), Some(n))) if n.basis_status > o.basis_status => {
            vec![Reason::Weaker(o.basis_status, n.basis_status)]
        }
        _ => Vec::new(),
    }
}

/// Whether a certificate expiring on `expires` is valid on `on`.
fn valid(expires: Option<Date>, on: Date) -> bool {
    expires.is_none_or(|e| e >= on)
}

/// An HDS certificate, SecNumCloud qualification or DPF listing lost or expired.
fn certificate_lost(f: &Fact<'_>, cx: &Context<'_>) -> Vec<Reason> {
    let What::Entity {
        pair: (Some(o), Some(n)),
        ..
    } = f.what
    else {
        return Vec::new();
    };
    let (old_on, new_on) = (cx.old.as_of, cx.new.as_of);
    let mut out = Vec::new();
    let (ho, hn) = (o.hds.as_ref(), n.hds.as_ref());
    let was_valid = ho.is_some_and(|h| valid(Some(h.expires), old_on));
    match hn {
        None if ho.is_some() => out.push(Reason::HdsGone),
        Some(h) if was_valid && !valid(Some(h.expires), new_on) => {
            out.push(Reason::HdsExpired(h.expires));
        }
        Some(h) => {
            if let Some(old) = ho {
                let lost: Vec<u8> = old
                    .activities
                    .iter()
                    .copied()
                    .filter(|a| !h.activities.contains(a))
                    .collect();
                if !lost.is_empty() {
                    out.push(Reason::HdsActivities(lost));
                }
            }
        }
        None => {}
    }
    let snc = |e: &p::Entity, on| e.secnumcloud.as_ref().is_some_and(|s| valid(s.expires, on));
    if snc(o, old_on) && !snc(n, new_on) {
        out.push(Reason::SecNumCloudLost);
    }
    if o.dpf && !n.dpf {
        out.push(Reason::DpfLost);
    }
    out
}

/// A measure or safeguard removed, or no longer covering a transfer or exposure.
fn measure_removed(f: &Fact<'_>, cx: &Context<'_>) -> Vec<Reason> {
    if let What::Measure((Some(_), None)) = f.what {
        return vec![Reason::MeasureGone];
    }
    if f.change != super::ChangeKind::Changed {
        return Vec::new();
    }
    // A target that left the publication altogether (a subcontractor
    // removed) is no longer mitigated because there is nothing left to
    // mitigate: not riskier.
    let still_there = |t: &str| match t.split_once(':') {
        Some(("entity", id)) => cx.new.entities.iter().any(|e| e.id == id),
        Some(("access", id)) => cx.new.access_paths.iter().any(|a| a.id == id),
        Some(("flow", id)) => cx.new.flows.iter().any(|f| f.id == id),
        _ => true,
    };
    let owned = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    let mut out = Vec::new();
    for field in &f.fields {
        let removed = field.removed();
        if removed.is_empty() {
            continue;
        }
        match (field.name, &f.what) {
            ("safeguards", _) => out.push(Reason::SafeguardsGone(owned(removed))),
            ("measures", _) => out.push(Reason::MeasuresGone(owned(removed))),
            ("mitigates", What::Measure(_)) => {
                let left: Vec<&str> = removed.into_iter().filter(|t| still_there(t)).collect();
                if !left.is_empty() {
                    out.push(Reason::Unmitigated(owned(left)));
                }
            }
            _ => {}
        }
    }
    out
}

/// A new error or warning finding, or a finding got more severe.
fn new_problem(f: &Fact<'_>, _: &Context<'_>) -> Vec<Reason> {
    match f.what {
        What::Finding((None, Some(x))) if x.severity >= Severity::Warning => {
            vec![Reason::Problem(x.severity)]
        }
        What::Finding((Some(o), Some(n)))
            if n.severity > o.severity && n.severity >= Severity::Warning =>
        {
            vec![Reason::MoreSevere]
        }
        _ => Vec::new(),
    }
}

fn field_added<'f>(f: &'f Fact<'_>, name: &str) -> Vec<&'f str> {
    f.fields
        .iter()
        .filter(|x| x.name == name)
        .flat_map(|x| x.added())
        .collect()
}
