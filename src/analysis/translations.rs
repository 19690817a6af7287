//! Notices for the provider's own texts that have no English version while
//! the site is published in English: the English pages and annex then print
//! the French original, marked as such (EXI 07 asks for French first;
//! international clients expect English).

use super::{Finding, Severity, Subject};
use crate::model::Project;

/// One notice per text missing in English (none when English is not published).
pub fn missing_english(p: &Project) -> Vec<Finding> {
    if !p.config.languages.iter().any(|l| l == "en") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let missing = |key: String| !p.english.contains_key(&key);
    let notice = |subject: Subject, what_en: String, what_fr: String, hint: String| {
        Finding::new(
            "TRANSLATION-MISSING",
            Severity::Notice,
            "EXI 07",
            subject,
            format!("{what_en} has no English version: the English pages and annex print the French original, marked \"French original\""),
            format!("{what_fr} n'a pas de version anglaise : les pages et l'annexe en anglais reproduisent l'original français, signalé comme tel"),
        )
        .hint(hint)
    };
    for m in p.measures.values() {
        if missing(format!("measure.{}.title", m.id)) {
            out.push(
                notice(
                    Subject::Measure(m.id.clone()),
                    format!("the title of measure `{}`", m.id),
                    format!("le titre de la mesure `{}`", m.id),
                    "add `title_en = \"…\"` to the measure's front matter".into(),
                )
                .at(&m.loc),
            );
        }
        if m.residual_risk.is_some() && missing(format!("measure.{}.residual_risk", m.id)) {
            out.push(
                notice(
                    Subject::Measure(m.id.clone()),
                    format!("the residual risk of measure `{}`", m.id),
                    format!("le risque résiduel de la mesure `{}`", m.id),
                    "add `residual_risk_en = \"…\"` to the measure's front matter".into(),
                )
                .at(&m.loc),
            );
        }
    }
    if p.config.policy.rationale.is_some() && missing("policy.rationale".into()) {
        out.push(
            notice(
                Subject::Reference("policy".into()),
                "the policy's `rationale`".into(),
                "la justification (`rationale`) de la politique".into(),
                "add `rationale_en = \"…\"` under [policy] in sovmap.toml".into(),
            )
            .at(&p.config.loc),
        );
    }
    for ((id, lang), c) in &p.clauses {
        if lang == "fr" && !p.clauses.contains_key(&(id.clone(), "en".into())) {
            out.push(
                notice(
                    Subject::Reference(format!("annex clause {id}")),
                    format!("the annex clause `{id}`"),
                    format!("la clause d'annexe `{id}`"),
                    format!("write content/annex/{id}.en.md"),
                )
                .at(&c.loc),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_notice_without_english_and_one_per_missing_text() {
        let mut p = Project::default();
        p.config.policy.rationale = Some("Parce que.".into());
        assert!(missing_english(&p).is_empty(), "English not published");
        p.config.languages = vec!["fr".into(), "en".into()];
        assert_eq!(missing_english(&p).len(), 1);
        p.english
            .insert("policy.rationale".into(), "Because.".into());
        assert!(missing_english(&p).is_empty());
    }
}
