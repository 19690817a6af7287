//! The answer first: the few sentences at the top of each language's home
//! page that a patient reads in ten seconds — how many transfers of health
//! data leave the EEA, to which countries and on what basis; which foreign
//! laws can reach the data and through which actors; the form of the page
//! and what it means.
//!
//! Everything here is counted and grouped from the analysis (transfers,
//! exposures, the EXI 31 form): no legal question is decided again.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Ctx, Link, StatementV, risk_anchor};
use crate::analysis::{BasisStatus, Exi31Form, Transfer};
use crate::labels;

/// Actors named for one country's laws; beyond, they are counted.
const ACTORS_NAMED: usize = 6;

/// Countries named one by one; beyond, they are counted (the tables and
/// the per-country pages list them all).
const COUNTRIES_NAMED: usize = 12;

#[derive(Serialize)]
pub(super) struct SummaryV {
    /// The form of the page and what it means.
    pub form: &'static str,
    pub form_meaning: &'static str,
    pub statement: Option<StatementV>,
    /// "3 transfers of health data leave the EEA, to 2 countries." or "No
    /// health data leaves the EEA."
    pub transfers_headline: String,
    pub countries: Vec<CountryV>,
    /// Countries beyond [`COUNTRIES_NAMED`], counted.
    pub more_countries: Option<String>,
    /// Transfers of personal data that is not health data, counted apart.
    pub personal_only: Option<String>,
    /// Transfers with no valid basis (a finding of the analysis): to confirm.
    pub missing_basis: Option<String>,
    pub laws_headline: String,
    pub laws: Vec<LawCountryV>,
    pub more_law_countries: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CountryV {
    pub name: String,
    /// "2 transfers (remote access, backup)".
    pub what: String,
    /// Bases, by status, comma-separated.
    pub basis: String,
    /// At least one transfer to this country has no valid basis.
    pub missing: bool,
}

#[derive(Serialize)]
pub(super) struct LawCountryV {
    pub country: String,
    /// Law names, comma-separated (or "no access law in the reference data").
    pub laws: String,
    /// Actors through which the laws reach the data, with their chain.
    pub actors: Vec<Link>,
    pub more_actors: Option<String>,
}

/// A law's name without its citation: "CLOUD Act (Clarifying Lawful
/// Overseas Use of Data Act), Pub. L. 115-141" → "CLOUD Act". The text
/// from the first parenthesis on is dropped when the parenthesis ends the
/// name or is followed by a citation (`,` or `;`); a parenthesis inside the
/// name ("Executive Order (EO) 12333") is kept. The risk table gives the
/// full name.
fn short_law_name(name: &str) -> &str {
    if let Some(open) = name.find(" (")
        && let Some(close) = name[open..].find(')')
    {
        let rest = name[open + close + 1..].trim_start();
        if rest.is_empty() || rest.starts_with([',', ';']) {
            return name[..open].trim_end();
        }
    }
    name
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Ctx<'_> {
    /// A short label for the basis of one transfer: the status (adequacy,
    /// safeguards, derogation, none) and, for adequacy, whether the decision
    /// is partial.
    fn short_basis(&self, t: &Transfer) -> String {
        let status = labels::basis_status(t.basis_status, self.lang).to_string();
        match (t.basis_status, &t.adequacy) {
            (BasisStatus::Adequacy, crate::analysis::AdequacyStatus::Partial { .. }) => {
                format!("{status} — {}", self.t("summary_partial_in_scope"))
            }
            (BasisStatus::Safeguard | BasisStatus::Derogation, _) => match &t.basis {
                Some(b) => labels::basis(b, self.lang),
                None => status,
            },
            _ => status,
        }
    }

    pub(super) fn summary(&self) -> SummaryV {
        let a = &self.c.analysis;
        let fr = self.lang.is_fr();
        let health: Vec<&Transfer> = a.transfers.iter().filter(|t| t.health).collect();
        let personal = a.transfers.len() - health.len();

        // Per country (by name, for a stable reading order): kinds and bases.
        #[derive(Default)]
        struct Acc {
            n: usize,
            kinds: BTreeSet<&'static str>,
            bases: BTreeSet<String>,
            missing: bool,
        }
        let mut by_country: BTreeMap<String, Acc> = BTreeMap::new();
        for t in &health {
            let acc = by_country.entry(self.country(&t.country)).or_default();
            acc.n += 1;
            acc.kinds.insert(match t.kind {
                crate::analysis::TransferKind::RemoteAccess => {
                    labels::transfer_kind(t.kind, self.lang)
                }
                crate::analysis::TransferKind::Flow => self
                    .ix
                    .flows
                    .get(t.source.as_str())
                    .map(|f| labels::flow_kind(f.kind, self.lang))
                    .unwrap_or_else(|| labels::transfer_kind(t.kind, self.lang)),
            });
            acc.bases.insert(self.short_basis(t));
            acc.missing |= t.basis_status == BasisStatus::Missing;
        }
        let n_countries = by_country.len();
        let transfers_headline = if health.is_empty() {
            self.t("summary_no_health_transfer").to_string()
        } else if fr {
            format!(
                "{} de données de santé {} l'EEE, vers {}.",
                plural(health.len(), "transfert", "transferts"),
                if health.len() == 1 {
                    "quitte"
                } else {
                    "quittent"
                },
                plural(n_countries, "pays", "pays"),
            )
        } else {
            format!(
                "{} of health data {} the EEA, to {}.",
                plural(health.len(), "transfer", "transfers"),
                if health.len() == 1 { "leaves" } else { "leave" },
                plural(n_countries, "country", "countries"),
            )
        };
        let countries: Vec<CountryV> = by_country
            .iter()
            .take(COUNTRIES_NAMED)
            .map(|(name, acc)| CountryV {
                name: name.clone(),
                what: format!(
                    "{} ({})",
                    if fr {
                        plural(acc.n, "transfert", "transferts")
                    } else {
                        plural(acc.n, "transfer", "transfers")
                    },
                    acc.kinds.iter().copied().collect::<Vec<_>>().join(", ")
                ),
                basis: acc.bases.iter().cloned().collect::<Vec<_>>().join(if fr {
                    " ; "
                } else {
                    "; "
                }),
                missing: acc.missing,
            })
            .collect();
        let more_countries = (n_countries > COUNTRIES_NAMED).then(|| {
            format!(
                "{} {}",
                n_countries - COUNTRIES_NAMED,
                self.t("summary_more_countries")
            )
        });
        let personal_only = (personal > 0).then(|| {
            if fr {
                format!(
                    "S'y ajoute{} {} de données personnelles qui ne sont pas des données de santé.",
                    if personal == 1 { "" } else { "nt" },
                    plural(personal, "transfert", "transferts")
                )
            } else {
                format!(
                    "In addition, {} of personal data that is not health data.",
                    plural(personal, "transfer", "transfers")
                )
            }
        });
        let missing = a
            .transfers
            .iter()
            .filter(|t| t.basis_status == BasisStatus::Missing)
            .count();
        let missing_basis = (missing > 0).then(|| {
            format!(
                "{}{}{missing}",
                self.t("summary_missing_basis"),
                self.t("colon")
            )
        });

        // Foreign laws, by country, with the actors they reach the data through.
        let mut laws_by_country: BTreeMap<String, (BTreeSet<String>, Vec<Link>)> = BTreeMap::new();
        for x in &a.exposures {
            let entry = laws_by_country.entry(self.country(&x.country)).or_default();
            for l in &x.laws {
                entry.0.insert(
                    self.c
                        .reference
                        .law(l)
                        .map(|l| short_law_name(l.name_in(self.code())).to_string())
                        .unwrap_or_else(|| l.clone()),
                );
            }
            let text = if x.through == x.entity {
                format!(
                    "{} ({})",
                    self.entity_name(&x.entity),
                    self.t(crate::labels::own_country_key(&self.c.project, x))
                )
            } else {
                format!(
                    "{} ({} {})",
                    self.entity_name(&x.entity),
                    self.t("summary_controlled_by"),
                    self.entity_name(&x.through)
                )
            };
            entry.1.push(Link {
                href: format!("#{}", risk_anchor(&x.id)),
                text,
            });
        }
        let n_law_countries = laws_by_country.len();
        let laws_headline = if a.exposures.is_empty() {
            self.t("summary_no_exposure").to_string()
        } else {
            let actors: BTreeSet<&str> = a.exposures.iter().map(|x| x.entity.as_str()).collect();
            if fr {
                format!(
                    "Les lois de {} peuvent atteindre les données, par {} (EXI 30) :",
                    plural(n_law_countries, "pays tiers", "pays tiers"),
                    plural(actors.len(), "acteur", "acteurs"),
                )
            } else {
                format!(
                    "Laws of {} can reach the data, through {} (EXI 30):",
                    plural(n_law_countries, "third country", "third countries"),
                    plural(actors.len(), "actor", "actors"),
                )
            }
        };
        let laws = laws_by_country
            .into_iter()
            .take(COUNTRIES_NAMED)
            .map(|(country, (laws, mut actors))| {
                let more = actors.len().saturating_sub(ACTORS_NAMED);
                actors.truncate(ACTORS_NAMED);
                LawCountryV {
                    country,
                    laws: if laws.is_empty() {
                        self.t("no_laws").to_string()
                    } else {
                        laws.into_iter().collect::<Vec<_>>().join(", ")
                    },
                    actors,
                    more_actors: (more > 0)
                        .then(|| format!("+{more} {}", self.t("summary_more_actors"))),
                }
            })
            .collect();
        let more_law_countries = (n_law_countries > COUNTRIES_NAMED).then(|| {
            format!(
                "{} {}",
                n_law_countries - COUNTRIES_NAMED,
                self.t("summary_more_countries")
            )
        });

        SummaryV {
            form: labels::form(a.provider_form, self.lang),
            form_meaning: self.t(match a.provider_form {
                Exi31Form::Secnumcloud => "form_meaning_secnumcloud",
                Exi31Form::NoTransfer => "form_meaning_no_transfer",
                Exi31Form::Table => "form_meaning_table",
            }),
            statement: self.statement(a.provider_form),
            transfers_headline,
            countries,
            more_countries,
            personal_only,
            missing_basis,
            laws_headline,
            laws,
            more_law_countries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::short_law_name;

    #[test]
    fn law_names_lose_their_citation_only() {
        assert_eq!(
            short_law_name(
                "CLOUD Act (Clarifying Lawful Overseas Use of Data Act), Pub. L. 115-141"
            ),
            "CLOUD Act"
        );
        assert_eq!(
            short_law_name("Section 702 du FISA (50 U.S.C. § 1881a)"),
            "Section 702 du FISA"
        );
        assert_eq!(
            short_law_name("Décret présidentiel (Executive Order) 12333"),
            "Décret présidentiel (Executive Order) 12333"
        );
        assert_eq!(short_law_name("Patriot Act"), "Patriot Act");
        assert_eq!(short_law_name("Odd (unclosed"), "Odd (unclosed");
    }
}
