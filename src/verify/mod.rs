//! Evidence for declared locations: the IP ranges declared on sites and
//! remote-access paths, checked against a GeoIP country database.
//!
//! For every range, the share of its addresses that the database places in
//! each country is computed exactly: every record inside the range is visited
//! with maxminddb's `within` (no sampling) and counted in addresses with
//! 128-bit integers. The shares are then compared with the declared country
//! and give findings with their own `GEOIP-…` codes. What the database says is
//! an estimate (geolocation, geofeed or registration country), not proof of physical location: the
//! findings say so, and they are warnings (or a notice) except where the
//! published annex would be wrong if the database were right.
//!
//! Pure: the project, the reference data (EEA membership) and an open
//! database in, data out. Ranges are checked in parallel (rayon) and the
//! results kept in declaration order, so the output is deterministic.

pub mod db;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use ipnetwork::IpNetwork;
use rayon::prelude::*;
use serde::{Serialize, Serializer};

use crate::analysis::{Finding, Severity, Subject};
use crate::diag::Loc;
use crate::model::{NodeRef, Project};
use crate::reference::Reference;

pub use db::{Attribution, DatabaseInfo, Embedded, GeoDatabase, GeoIpError, RecordLayout};

/// Which database the command line asks for: a file (`--geoip FILE`) or
/// one of the embedded ones (`--geoip-db NAME`); both None: `geoip` of
/// `sovmap.toml`, else the default embedded database.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choice<'a> {
    pub file: Option<&'a std::path::Path>,
    pub embedded: Option<Embedded>,
}

impl Choice<'_> {
    /// Whether the command line names a database at all.
    pub fn given(&self) -> bool {
        self.file.is_some() || self.embedded.is_some()
    }
}

/// The database to use: `--geoip FILE` (as given), else `--geoip-db NAME`,
/// else `geoip` of `sovmap.toml` (relative to the project root), else the
/// default embedded one (DB-IP Lite).
pub fn open_database(
    root: &std::path::Path,
    command_line: Choice<'_>,
    config: Option<&str>,
) -> Result<GeoDatabase, GeoIpError> {
    match (command_line.file, command_line.embedded, config) {
        (Some(p), _, _) => GeoDatabase::open(p, &p.display().to_string()),
        (None, Some(e), _) => GeoDatabase::embedded_named(e),
        (None, None, Some(c)) => {
            let p = db::resolve(root, true, std::path::Path::new(c));
            GeoDatabase::open(&p, c).map_err(|mut e| {
                e.message = format!(
                    "{} (`geoip` in sovmap.toml, read as {})",
                    e.message,
                    p.display()
                );
                e
            })
        }
        (None, None, None) => GeoDatabase::embedded(),
    }
}

/// What a range was declared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Holder {
    Site,
    Access,
}

/// How the database's view compares with the declared country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every address with data is in the declared country.
    Agrees,
    /// The declared country holds part of the range, the rest is elsewhere in the EEA.
    ElsewhereInEea,
    /// Part is outside the EEA, or the declared country holds none of it.
    Contradicts,
    /// A remote-access path declared from the EEA whose egress range is
    /// partly outside the EEA: the published annex would be wrong.
    AnnexWrong,
    /// The database has no country for any address of the range.
    NoData,
    /// IPv6 range, IPv4-only database.
    NotCovered,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Agrees => "agrees",
            Verdict::ElsewhereInEea => "elsewhere-in-eea",
            Verdict::Contradicts => "contradicts",
            Verdict::AnnexWrong => "annex-wrong",
            Verdict::NoData => "no-data",
            Verdict::NotCovered => "not-covered",
        }
    }
}

fn ser_u128<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Addresses of a range that the database places in one country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryShare {
    /// ISO code as the reference data writes it (aliases mapped).
    pub country: String,
    /// Number of addresses (a decimal string: IPv6 counts exceed 2^53).
    #[serde(serialize_with = "ser_u128")]
    pub addresses: u128,
    /// `addresses / size of the range`, between 0 and 1.
    pub share: f64,
    pub eea: bool,
}

/// The evidence for one declared range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeEvidence {
    pub holder: Holder,
    /// Id of the site or access path.
    pub id: String,
    #[serde(serialize_with = "crate::verify::ser_display")]
    pub range: IpNetwork,
    pub declared_country: String,
    pub declared_eea: bool,
    /// Number of addresses in the range (decimal string).
    #[serde(serialize_with = "ser_u128")]
    pub addresses: u128,
    /// Countries the database gives, most addresses first.
    pub countries: Vec<CountryShare>,
    /// Addresses with no record, or a record without a country.
    #[serde(serialize_with = "ser_u128")]
    pub no_data_addresses: u128,
    pub no_data_share: f64,
    pub verdict: Verdict,
    #[serde(skip)]
    pub loc: Loc,
}

fn ser_display<S: Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

impl RangeEvidence {
    /// "FR 62.50%, US 37.50%, no data 0.01%" — for text output and pages, in
    /// `lang` ("fr" or "en"). At most [`SHARES_SHOWN`] countries are named
    /// (the declared country always is); the rest are summed as "other
    /// countries", so that a /8 or an IPv6 /12 stays readable. JSON keeps
    /// every country.
    pub fn shares_text(&self, lang: &str) -> String {
        let fr = lang == "fr";
        let mut parts = Vec::new();
        let mut rest = (0usize, 0u128);
        for (i, c) in self.countries.iter().enumerate() {
            if i < SHARES_SHOWN || c.country == self.declared_country {
                parts.push(format!("{} {}", c.country, percent(c.share)));
            } else {
                rest.0 += 1;
                rest.1 = rest.1.saturating_add(c.addresses);
            }
        }
        if rest.0 > 0 {
            parts.push(format!(
                "{} {} {}",
                rest.0,
                if fr { "autres pays" } else { "other countries" },
                percent(ratio(rest.1, self.addresses))
            ));
        }
        if self.no_data_addresses > 0 {
            parts.push(format!(
                "{} {}",
                if fr { "sans donnée" } else { "no data" },
                percent(self.no_data_share)
            ));
        }
        parts.join(", ")
    }

    /// Share of the declared country among all addresses of the range.
    pub fn declared_share(&self) -> f64 {
        self.countries
            .iter()
            .find(|c| c.country == self.declared_country)
            .map(|c| c.share)
            .unwrap_or(0.0)
    }
}

/// Countries named in [`RangeEvidence::shares_text`] and in messages.
pub const SHARES_SHOWN: usize = 10;

/// "US, CN, JP … (+84)": a list of codes cut after [`SHARES_SHOWN`].
fn capped(codes: &[String]) -> String {
    if codes.len() <= SHARES_SHOWN {
        codes.join(", ")
    } else {
        format!(
            "{} … (+{})",
            codes[..SHARES_SHOWN].join(", "),
            codes.len() - SHARES_SHOWN
        )
    }
}

/// A share as a percentage with two decimals; `<0.01%` rather than a
/// misleading `0.00%` for a small non-zero share.
pub fn percent(share: f64) -> String {
    if share > 0.0 && share < 0.0001 {
        "<0.01%".to_string()
    } else if share < 1.0 && share > 0.9999 {
        ">99.99%".to_string()
    } else {
        format!("{:.2}%", share * 100.0)
    }
}

/// The result of checking every declared range against one database.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub database: DatabaseInfo,
    /// Said in every output: what the database's countries are.
    pub caveat: &'static str,
    pub caveat_fr: &'static str,
    pub ranges: Vec<RangeEvidence>,
    /// `GEOIP-…` findings, sorted like the analysis' findings.
    pub findings: Vec<Finding>,
}

pub const CAVEAT_EN: &str = "GeoIP countries are a database's estimate (geolocation, geofeed or registration country), not proof of physical location.";
pub const CAVEAT_FR: &str = "Les pays GeoIP sont une estimation de la base (pays de géolocalisation, de geofeed ou d'enregistrement), pas une preuve de localisation physique.";

impl Verification {
    /// The evidence for the ranges of one site or access path. `ranges` is
    /// sorted by (holder, id) — sites then access paths, each by id, as
    /// [`verify`] builds it — so this is a binary search, not a scan (pages
    /// ask once per site).
    pub fn for_holder(&self, holder: Holder, id: &str) -> &[RangeEvidence] {
        let start = self
            .ranges
            .partition_point(|r| (r.holder, r.id.as_str()) < (holder, id));
        let end = self
            .ranges
            .partition_point(|r| (r.holder, r.id.as_str()) <= (holder, id));
        &self.ranges[start..end.max(start)]
    }
}

/// Number of addresses in a prefix of `prefix_len` bits in a family of
/// `bits` bits. `::/0` has 2^128 addresses, one more than `u128::MAX`: it is
/// counted as `u128::MAX` (an error of one address in 2^128).
fn size(bits: u32, prefix_len: u8) -> u128 {
    let host = bits.saturating_sub(u32::from(prefix_len));
    if host >= 128 {
        u128::MAX
    } else {
        1u128 << host
    }
}

fn ratio(n: u128, total: u128) -> f64 {
    if total == 0 {
        0.0
    } else if n == total {
        1.0
    } else {
        n as f64 / total as f64
    }
}

struct Declared<'a> {
    holder: Holder,
    id: &'a str,
    country: &'a str,
    range: IpNetwork,
    loc: &'a Loc,
}

/// Check every range declared on sites (`ip_ranges`) and access paths
/// (`source_ip_ranges`). Errors only when the database cannot be read.
pub fn verify(
    project: &Project,
    reference: &Reference,
    db: &GeoDatabase,
) -> Result<Verification, GeoIpError> {
    let sites = project
        .sites
        .values()
        .map(|s| (Holder::Site, &s.id, &s.country, &s.ip_ranges));
    let access = project
        .access_paths
        .values()
        .map(|a| (Holder::Access, &a.id, &a.country, &a.source_ip_ranges));
    let declared: Vec<Declared> = sites
        .chain(access)
        .flat_map(|(holder, id, country, ranges)| {
            ranges.iter().map(move |r| Declared {
                holder,
                id,
                country,
                range: r.network,
                loc: &r.loc,
            })
        })
        .collect();
    let ranges = declared
        .par_iter()
        .map(|d| evidence(d, reference, db))
        .collect::<Result<Vec<_>, _>>()?;
    debug_assert!(
        ranges
            .windows(2)
            .all(|w| (w[0].holder, &w[0].id) <= (w[1].holder, &w[1].id)),
        "ranges must stay sorted by holder for for_holder"
    );
    let mut findings: Vec<Finding> = ranges
        .par_iter()
        .filter_map(|e| finding(project, reference, &db.info, e))
        .collect();
    sort_findings(&mut findings);
    Ok(Verification {
        database: db.info.clone(),
        caveat: CAVEAT_EN,
        caveat_fr: CAVEAT_FR,
        ranges,
        findings,
    })
}

fn evidence(
    d: &Declared,
    reference: &Reference,
    db: &GeoDatabase,
) -> Result<RangeEvidence, GeoIpError> {
    let bits = if d.range.is_ipv6() { 128 } else { 32 };
    let total = size(bits, d.range.prefix());
    let declared_country = reference.canonical_code(d.country);
    // Counted under the database's spelling first (few distinct codes per
    // range), then mapped to the reference's codes once per code.
    let mut raw: Vec<(&str, u128)> = Vec::new();
    let mut with_data: u128 = 0;
    let verdict_if_empty;
    match db.sub_networks(d.range)? {
        None => verdict_if_empty = Verdict::NotCovered,
        Some(subs) => {
            verdict_if_empty = Verdict::NoData;
            for s in subs {
                let Some(c) = s.country else { continue };
                let n = size(bits, s.prefix_len);
                match raw.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, e)) => *e = e.saturating_add(n),
                    None => raw.push((c, n)),
                }
                with_data = with_data.saturating_add(n);
            }
        }
    }
    let mut by_country: BTreeMap<String, u128> = BTreeMap::new();
    for (c, n) in raw {
        let e = by_country.entry(reference.canonical_code(c)).or_insert(0);
        *e = e.saturating_add(n);
    }
    let mut countries: Vec<CountryShare> = by_country
        .into_iter()
        .map(|(country, addresses)| CountryShare {
            eea: reference.is_eea(&country),
            share: ratio(addresses, total),
            country,
            addresses,
        })
        .collect();
    countries.sort_by(|a, b| {
        b.addresses
            .cmp(&a.addresses)
            .then_with(|| a.country.cmp(&b.country))
    });
    let no_data_addresses = total.saturating_sub(with_data);
    let declared_eea = reference.is_eea(&declared_country);
    let verdict = if countries.is_empty() {
        verdict_if_empty
    } else {
        let others: Vec<&CountryShare> = countries
            .iter()
            .filter(|c| c.country != declared_country)
            .collect();
        let declared_present = others.len() < countries.len();
        let outside = others.iter().any(|c| !c.eea);
        if others.is_empty() {
            Verdict::Agrees
        } else if outside && d.holder == Holder::Access && declared_eea {
            Verdict::AnnexWrong
        } else if outside || !declared_present || !declared_eea {
            // Outside a declared EEA country, or the declared country
            // missing; for a declaration outside the EEA, any other country.
            Verdict::Contradicts
        } else {
            Verdict::ElsewhereInEea
        }
    };
    Ok(RangeEvidence {
        holder: d.holder,
        id: d.id.to_string(),
        range: d.range,
        declared_country,
        declared_eea,
        addresses: total,
        countries,
        no_data_addresses,
        no_data_share: ratio(no_data_addresses, total),
        verdict,
        loc: d.loc.clone(),
    })
}

/// Sort for stable output, with the same order as the analysis' findings:
/// most severe first, then code, subject, services and message.
pub fn sort_findings(findings: &mut [Finding]) {
    // Compared by reference: no clone per comparison (100,000 ranges can
    // give as many findings).
    findings.par_sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.services.cmp(&b.services))
            .then_with(|| a.message_en.cmp(&b.message_en))
    });
}

/// Services whose data a site holds or an access path reaches.
fn services_of(project: &Project, holder: Holder, id: &str) -> Vec<String> {
    let at_site = |site: &str| -> Vec<String> {
        project
            .services
            .values()
            .filter(|s| s.sites.iter().any(|x| x == site))
            .map(|s| s.id.clone())
            .collect()
    };
    match holder {
        Holder::Site => at_site(id),
        Holder::Access => project
            .access_paths
            .get(id)
            .map(|a| {
                a.targets
                    .iter()
                    .flat_map(|t| match t {
                        NodeRef::Service(s) => vec![s.clone()],
                        NodeRef::Site(s) => at_site(s),
                        NodeRef::Entity(_) => Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn finding(
    project: &Project,
    reference: &Reference,
    db: &DatabaseInfo,
    e: &RangeEvidence,
) -> Option<Finding> {
    let (what_en, what_fr, subject) = match e.holder {
        Holder::Site => ("site", "site", Subject::Site(e.id.clone())),
        Holder::Access => (
            "remote-access path",
            "accès distant",
            Subject::Access(e.id.clone()),
        ),
    };
    let dc = &e.declared_country;
    let dname_en = reference.country_name(dc, "en");
    let dname_fr = reference.country_name(dc, "fr");
    let shares_en = e.shares_text("en");
    let shares_fr = e.shares_text("fr");
    let src_en = db.short("en");
    let src_fr = db.short("fr");
    let others: Vec<String> = e
        .countries
        .iter()
        .filter(|c| &c.country != dc)
        .map(|c| c.country.clone())
        .collect();
    // Outside the EEA for an EEA declaration; anywhere else for a declaration
    // outside the EEA.
    let is_outside = |c: &CountryShare| &c.country != dc && (!c.eea || !e.declared_eea);
    let outside: Vec<String> = e
        .countries
        .iter()
        .filter(|c| is_outside(c))
        .map(|c| c.country.clone())
        .collect();
    let outside_share: f64 = e
        .countries
        .iter()
        .filter(|c| is_outside(c))
        .map(|c| c.share)
        .sum();
    let range = e.range;
    let f = match e.verdict {
        Verdict::Agrees => return None,
        Verdict::NoData => Finding::new(
            "GEOIP-NO-DATA",
            Severity::Notice,
            "GeoIP evidence",
            subject,
            format!(
                "{src_en} has no country for any address of {range}; the declared country ({dc}) cannot be checked"
            ),
            format!(
                "{src_fr} n'a de pays pour aucune adresse de {range} ; le pays déclaré ({dc}) ne peut pas être vérifié"
            ),
        )
        .hint("private, reserved or unannounced ranges have no data; try a more complete database with --geoip FILE"),
        Verdict::NotCovered => Finding::new(
            "GEOIP-IPV6-NOT-COVERED",
            Severity::Notice,
            "GeoIP evidence",
            subject,
            format!(
                "{range} is an IPv6 range and {src_en} holds IPv4 addresses only; not checked"
            ),
            format!(
                "{range} est une plage IPv6 et {src_fr} ne contient que des adresses IPv4 ; non vérifiée"
            ),
        )
        .hint("give a database that covers IPv6 (ip_version 6) with --geoip FILE, or drop --geoip to use the embedded one"),
        Verdict::ElsewhereInEea => Finding::new(
            "GEOIP-ELSEWHERE-IN-EEA",
            Severity::Warning,
            "GeoIP evidence",
            subject,
            format!(
                "{what_en} declared in {dname_en} ({dc}): {src_en} places part of {range} elsewhere in the EEA ({}): {shares_en}",
                capped(&others)
            ),
            format!(
                "{what_fr}, pays déclaré {dname_fr} ({dc}) : {src_fr} place une partie de {range} ailleurs dans l'EEE ({}) : {shares_fr}",
                capped(&others)
            ),
        )
        .countries(others.clone())
        .hint(format!(
            "still in the EEA, so no transfer; check where the range is really used and correct `country` or the range if needed. {CAVEAT_EN}"
        )),
        Verdict::Contradicts => {
            let (why_en, why_fr) = if outside.is_empty() {
                (
                    format!("none of {range} is placed in {dc}"),
                    format!("aucune adresse de {range} n'est placée dans le pays déclaré ({dc})"),
                )
            } else {
                (
                    format!(
                        "{} of {range} is placed outside {} ({})",
                        percent(outside_share),
                        if e.declared_eea { "the EEA" } else { "the declared country" },
                        capped(&outside)
                    ),
                    format!(
                        "{} de {range} est placé hors {} ({})",
                        percent(outside_share),
                        if e.declared_eea { "de l'EEE" } else { "du pays déclaré" },
                        capped(&outside)
                    ),
                )
            };
            Finding::new(
                "GEOIP-COUNTRY-MISMATCH",
                Severity::Warning,
                "GeoIP evidence",
                subject,
                format!(
                    "{what_en} declared in {dname_en} ({dc}): {why_en} by {src_en}: {shares_en}"
                ),
                format!(
                    "{what_fr}, pays déclaré {dname_fr} ({dc}) : {why_fr} par {src_fr} : {shares_fr}"
                ),
            )
            .countries(others.clone())
            .hint(match e.holder {
                Holder::Site => format!(
                    "if the range is used where the database says, correct the site's `country` (storage outside the EEA breaks EXI 28); if not, check the range. {CAVEAT_EN}"
                ),
                Holder::Access => format!(
                    "if the team works from where the database says, correct the access path's `country` (and its transfer basis); if not, check the range. {CAVEAT_EN}"
                ),
            })
        }
        Verdict::AnnexWrong => Finding::new(
            "GEOIP-ACCESS-OUTSIDE-EEA",
            Severity::Error,
            "HDS EXI 29/31, GDPR Art. 44 (GeoIP evidence)",
            subject,
            format!(
                "remote access declared from {dname_en} ({dc}), in the EEA, but {src_en} places {} of its source range {range} outside the EEA ({}): {shares_en}. If the access is made from there, it is a transfer the published annex does not list: the annex would be wrong",
                percent(outside_share),
                capped(&outside)
            ),
            format!(
                "accès distant, pays déclaré {dname_fr} ({dc}), dans l'EEE, mais {src_fr} place {} de sa plage source {range} hors de l'EEE ({}) : {shares_fr}. Si l'accès se fait de là, c'est un transfert que l'annexe publiée ne mentionne pas : l'annexe serait fausse",
                percent(outside_share),
                capped(&outside)
            ),
        )
        .countries(outside.clone())
        .hint(format!(
            "find out where this egress range really is (VPN or bastion provider, geofeed); if the team works from outside the EEA, declare that `country` and a transfer basis; if not, document why the database is wrong. {CAVEAT_EN}"
        )),
    };
    Some(f.services(services_of(project, e.holder, &e.id)).at(&e.loc))
}
