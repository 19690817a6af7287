//! Notices for the provider's own texts that have no English version while
//! the site is published in English: the English pages and annex then print
//! the French original, marked as such (EXI 07 asks for French first;
//! international clients expect English).

use super::{Finding, Severity, Subject};
use crate::diag::Loc;
use crate::model::{Project, english_key};

/// One notice per text missing in English (none when English is not published).
pub fn missing_english(p: &Project) -> Vec<Finding> {
    if !p.config.languages.iter().any(|l| l == "en") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let missing = |key: String| !p.english.contains_key(&key);
    let notice = |subject: Subject, what_en: String, what_fr: String, hint: String, at: &Loc| {
        Finding::new(
            "TRANSLATION-MISSING",
            Severity::Notice,
            "EXI 07",
            subject,
            format!("{what_en} has no English version: the English pages and annex print the French original, marked \"French original\""),
            format!("{what_fr} n'a pas de version anglaise : les pages et l'annexe en anglais reproduisent l'original français, signalé comme tel"),
        )
        .hint(hint)
        .at(at)
    };
    for m in p.measures.values() {
        if missing(crate::model::english_key::measure_title(&m.id)) {
            out.push(notice(
                Subject::Measure(m.id.clone()),
                format!("the title of measure `{}`", m.id),
                format!("le titre de la mesure `{}`", m.id),
                "add `title_en = \"…\"` to the measure's front matter".into(),
                &m.loc,
            ));
        }
        if m.residual_risk.is_some() && missing(crate::model::english_key::measure_residual(&m.id))
        {
            out.push(notice(
                Subject::Measure(m.id.clone()),
                format!("the residual risk of measure `{}`", m.id),
                format!("le risque résiduel de la mesure `{}`", m.id),
                "add `residual_risk_en = \"…\"` to the measure's front matter".into(),
                &m.loc,
            ));
        }
    }
    // Flows and access paths brought by a provider's publication are left
    // out: their texts are that provider's, which this project cannot
    // translate (the pages still mark them as French originals).
    let local = |id: &str| p.chain_of(id).is_empty();
    for f in p.flows.values().filter(|f| local(&f.id)) {
        if f.description.is_some() && missing(english_key::flow_description(&f.id)) {
            out.push(notice(
                Subject::Flow(f.id.clone()),
                format!("the description of flow `{}`", f.id),
                format!("la description du flux `{}`", f.id),
                "add `description_en = \"…\"` to the flow".into(),
                &f.loc,
            ));
        }
    }
    for a in p.access_paths.values().filter(|a| local(&a.id)) {
        if missing(english_key::access_purpose(&a.id)) {
            out.push(notice(
                Subject::Access(a.id.clone()),
                format!("the purpose of access path `{}`", a.id),
                format!("la finalité de l'accès distant `{}`", a.id),
                "add `purpose_en = \"…\"` to the access path".into(),
                &a.loc,
            ));
        }
        // `safeguards_en` is all or nothing (the loader checks its length).
        if !a.safeguards.is_empty() && missing(english_key::access_safeguard(&a.id, 0)) {
            out.push(notice(
                Subject::Access(a.id.clone()),
                format!("the list of safeguards of access path `{}`", a.id),
                format!("la liste des garanties de l'accès distant `{}`", a.id),
                format!(
                    "add `safeguards_en = [\"…\"]` to the access path, one text per safeguard ({})",
                    a.safeguards.len()
                ),
                &a.loc,
            ));
        }
    }
    if p.config.policy.rationale.is_some()
        && missing(crate::model::english_key::POLICY_RATIONALE.into())
    {
        out.push(notice(
            Subject::Reference("policy".into()),
            "the policy's `rationale`".into(),
            "la justification (`rationale`) de la politique".into(),
            "add `rationale_en = \"…\"` under [policy] in sovmap.toml".into(),
            &p.config.loc,
        ));
    }
    for ((id, lang), c) in &p.clauses {
        if lang == "fr" && !p.clauses.contains_key(&(id.clone(), "en".into())) {
            out.push(notice(
                Subject::Reference(format!("annex clause {id}")),
                format!("the annex clause `{id}`"),
                format!("la clause d'annexe `{id}`"),
                format!("write content/annex/{id}.en.md"),
                &c.loc,
            ));
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

    fn flow_and_access(p: &mut Project, prefix: &str) {
        use crate::model::{DataCategory, FlowKind, NodeRef};
        let (f, a) = (format!("{prefix}f"), format!("{prefix}a"));
        let site = || NodeRef::Site("s".into());
        let mut flow = super::super::tests::flow(
            &f,
            site(),
            site(),
            FlowKind::Backup,
            &[DataCategory::Health],
        );
        flow.description = Some("Sauvegardes quotidiennes.".into());
        p.flows.insert(f, flow);
        let mut access = super::super::tests::access(&a, "team", "MA", site(), None);
        access.safeguards = vec!["bastion".into(), "journalisation".into()];
        p.access_paths.insert(a, access);
    }

    fn hints(p: &Project) -> Vec<(&'static str, String)> {
        missing_english(p)
            .into_iter()
            .map(|f| (f.code, f.hint.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn one_notice_per_untranslated_text_of_flows_and_access_paths() {
        let mut p = Project::default();
        p.config.languages = vec!["fr".into(), "en".into()];
        flow_and_access(&mut p, "");
        let found = hints(&p);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|(c, _)| *c == "TRANSLATION-MISSING"));
        for key in ["description_en", "purpose_en", "safeguards_en"] {
            assert!(
                found.iter().any(|(_, h)| h.contains(key)),
                "{key}: {found:?}"
            );
        }
        p.english
            .insert(english_key::flow_description("f"), "Daily backups.".into());
        p.english
            .insert(english_key::access_purpose("a"), "Support".into());
        for (n, s) in ["bastion", "session logging"].into_iter().enumerate() {
            p.english
                .insert(english_key::access_safeguard("a", n), s.into());
        }
        assert!(missing_english(&p).is_empty(), "{:?}", hints(&p));
        p.config.languages = vec!["fr".into()];
        p.english.clear();
        assert!(missing_english(&p).is_empty(), "English not published");
    }

    #[test]
    fn imported_flows_and_access_paths_get_no_notice() {
        let mut p = Project::default();
        p.config.languages = vec!["fr".into(), "en".into()];
        flow_and_access(&mut p, "prov.");
        assert_eq!(hints(&p).len(), 3, "not imported yet");
        p.chains.insert(
            "prov".into(),
            crate::model::ChainLink {
                id: "prov".into(),
                entity: "prov".into(),
                provider: "Provider".into(),
                host_legal_name: None,
                version: None,
                publication_date: None,
                as_of: jiff::civil::date(2026, 1, 1),
                file: "prov.json".into(),
                format_version: 1,
                via: None,
            },
        );
        assert!(missing_english(&p).is_empty(), "{:?}", hints(&p));
    }
}
