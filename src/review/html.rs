//! The standalone HTML report of `sovmap review` (`--html FILE`): one
//! self-contained page (inline CSS, a Content-Security-Policy that forbids
//! any request), every user string escaped by tera's autoescaping, tables
//! with captions and header scopes, printable; in the report's language.

use std::collections::BTreeMap;

use tera::{Context, Tera};

use super::Report;

const TEMPLATE: &str = include_str!("report.html");

/// The page's fixed words: (key, English, French).
const WORDS: [(&str, &str, &str); 33] = [
    ("title", "Provider review", "Examen des fournisseurs"),
    (
        "heading",
        "Provider review against",
        "Examen des fournisseurs selon",
    ),
    ("policy_file", "Policy file:", "Fichier de politique :"),
    ("overall", "Overall:", "Bilan :"),
    (
        "all_met",
        "every provider meets the policy",
        "tous les fournisseurs respectent la politique",
    ),
    (
        "some_fail",
        "at least one provider fails the policy",
        "au moins un fournisseur ne respecte pas la politique",
    ),
    (
        "explain",
        "Verdicts come from what each provider published in its transfers.json (sites, transfers, exposures, certificates, measures, findings); “met” means no published item fails the rule.",
        "Les verdicts reposent sur ce que chaque fournisseur a publié dans son transfers.json (sites, transferts, expositions, certificats, mesures, constats) ; « respectée » signifie qu'aucun élément publié ne contrevient à la règle.",
    ),
    ("summary", "Summary", "Synthèse"),
    (
        "summary_caption",
        "Verdict per provider and service",
        "Verdict par fournisseur et par service",
    ),
    ("provider", "Provider", "Fournisseur"),
    ("service", "Service", "Service"),
    ("verdict", "Verdict", "Verdict"),
    ("rules_not_met", "Rules not met", "Règles non respectées"),
    (
        "service_met",
        "meets every rule",
        "respecte toutes les règles",
    ),
    ("meets", "meets the policy", "respecte la politique"),
    ("fails", "fails the policy", "ne respecte pas la politique"),
    ("rules_applied", "Rules applied", "Règles appliquées"),
    (
        "rules_caption",
        "Rules of the policy",
        "Règles de la politique",
    ),
    ("rule", "Rule", "Règle"),
    ("requirement", "Requirement", "Exigence"),
    ("file", "File", "Fichier"),
    ("legal_entity", "Legal entity", "Entité juridique"),
    ("version", "Version", "Version"),
    ("published", "Published", "Publiée le"),
    ("facts_as_of", "legal facts as of", "faits juridiques au"),
    ("provider_chain", "Provider chain", "Chaîne de fournisseurs"),
    ("reason", "Reason", "Motif"),
    (
        "measures",
        "Provider’s measures and residual risk",
        "Mesures du fournisseur et risque résiduel",
    ),
    ("met", "met", "respectée"),
    ("not_met", "not met", "non respectée"),
    ("laws", "Laws:", "Lois :"),
    ("residual", "residual", "résiduel"),
    ("none_declared", "none declared", "aucune déclarée"),
];

const MORE: [(&str, &str, &str); 2] = [
    ("written_by", "Written by", "Produit par"),
    ("colon", ":", "\u{a0}:"),
];

const KINDS: [(&str, &str, &str); 9] = [
    ("technical", "technical", "technique"),
    ("contractual", "contractual", "contractuelle"),
    ("organisational", "organisational", "organisationnelle"),
    ("unknown", "unknown", "inconnue"),
    ("site", "site", "site"),
    ("transfer", "transfer", "transfert"),
    ("exposure", "exposure", "exposition"),
    ("entity", "entity", "entité"),
    ("finding", "finding", "constat"),
];

const LEVELS: [(&str, &str, &str); 4] = [
    ("low", "low", "faible"),
    ("medium", "medium", "moyen"),
    ("high", "high", "élevé"),
    ("unknown", "unknown", "inconnu"),
];

fn table(
    words: &[(&'static str, &'static str, &'static str)],
    fr: bool,
) -> BTreeMap<&'static str, &'static str> {
    words
        .iter()
        .map(|(k, en, f)| (*k, if fr { *f } else { *en }))
        .collect()
}

/// Render the report; an error means a bug in the template (not bad input).
pub fn render(report: &Report) -> Result<String, String> {
    let fr = report.lang == "fr";
    let mut tera = Tera::new();
    tera.autoescape_on([".html"]);
    tera.add_raw_template("review.html", TEMPLATE)
        .map_err(|e| format!("review template: {e}"))?;
    let mut t = table(&WORDS, fr);
    t.extend(table(&MORE, fr));
    let mut ctx = Context::new();
    ctx.insert("report", report);
    ctx.insert("t", &t);
    ctx.insert("kinds", &table(&KINDS, fr));
    ctx.insert("levels", &table(&LEVELS, fr));
    ctx.insert("generator", concat!("sovmap ", env!("CARGO_PKG_VERSION")));
    tera.render("review.html", &ctx)
        .map_err(|e| format!("cannot render the review report: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_template_is_defined_in_both_languages() {
        for (k, en, fr) in WORDS.iter().chain(&MORE) {
            assert!(!en.is_empty() && !fr.is_empty(), "{k}");
            assert!(
                TEMPLATE.contains(&format!("t.{k} "))
                    || TEMPLATE.contains(&format!("t.{k}}}"))
                    || TEMPLATE.contains(&format!("{{{{ t.{k} }}}}")),
                "unused {k}"
            );
        }
    }
}
