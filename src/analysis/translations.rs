//! Notices for the provider's own texts that have no English version while
//! the site is published in English: the English pages and annex then print
//! the French original, marked as such (EXI 07 asks for French first;
//! international clients expect English).

use super::{Finding, Severity, Subject};
use crate::diag::Loc;
use crate::model::{Project, english_key};

/// What has a `description` with a `description_en`: its subject, the key
/// of its English version, and what it is, in English and in French.
type Described = (
    fn(String) -> Subject,
    fn(&str) -> String,
    &'static str,
    &'static str,
);

/// Entities, services and flows, in this order.
const DESCRIBED: [Described; 3] = [
    (
        Subject::Entity,
        english_key::entity_description,
        "entity",
        "de l'entité",
    ),
    (
        Subject::Service,
        english_key::service_description,
        "service",
        "du service",
    ),
    (
        Subject::Flow,
        english_key::flow_description,
        "flow",
        "du flux",
    ),
];

/// What a measure's residual risk is called, in English and in French.
const RESIDUAL: [&str; 2] = ["residual risk", "le risque résiduel"];

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
    // Texts of measures and access paths: (written, subject, what in
    // English and in French, key, hint, where), told after the
    // descriptions.
    let mut texts = Vec::new();
    for m in p.measures.values() {
        let id = &m.id;
        let text = |written: bool, [en, fr]: [&str; 2], key: String, hint: String| {
            let what = [
                format!("the {en} of measure `{id}`"),
                format!("{fr} de la mesure `{id}`"),
            ];
            (
                written,
                Subject::Measure(id.clone()),
                what,
                key,
                hint,
                &m.loc,
            )
        };
        let front_matter = |key: &str| format!("add `{key} = \"…\"` to the measure's front matter");
        let (title, residual) = (
            english_key::measure_title(id),
            english_key::measure_residual(id),
        );
        let body_hint = format!("write its English text in content/measures/{id}.en.md");
        texts.extend([
            text(true, ["title", "le titre"], title, front_matter("title_en")),
            text(
                m.residual_risk.is_some(),
                RESIDUAL,
                residual,
                front_matter("residual_risk_en"),
            ),
            text(
                !m.body.trim().is_empty(),
                ["text", "le texte"],
                english_key::measure_body(id),
                body_hint,
            ),
        ]);
    }
    // Flows and access paths brought by a provider's publication are left
    // out: their texts are that provider's, which this project cannot
    // translate (the pages still mark them as French originals).
    let local = |id: &str| p.chain_of(id).is_empty();
    // The `description` of entities, services and flows.
    let entities = p.entities.values().filter(|e| e.description.is_some());
    let services = p.services.values().filter(|s| s.description.is_some());
    let flows = p.flows.values().filter(|f| f.description.is_some());
    let described = (entities.map(|e| (&DESCRIBED[0], &e.id, &e.loc)))
        .chain(services.map(|s| (&DESCRIBED[1], &s.id, &s.loc)))
        .chain(flows.map(|f| (&DESCRIBED[2], &f.id, &f.loc)));
    for ((subject, key, kind, of_kind), id, at) in described {
        if local(id) && missing(key(id)) {
            out.push(notice(
                subject(id.clone()),
                format!("the description of {kind} `{id}`"),
                format!("la description {of_kind} `{id}`"),
                format!("add `description_en = \"…\"` to the {kind}"),
                at,
            ));
        }
    }
    for a in p.access_paths.values().filter(|a| local(&a.id)) {
        let id = &a.id;
        let text = |written: bool, [en, fr]: [&str; 2], key: String, field: &str| {
            let what = [
                format!("the {en} of access path `{id}`"),
                format!("{fr} de l'accès distant `{id}`"),
            ];
            let hint = format!("add `{field} = \"…\"` to the access path");
            (
                written,
                Subject::Access(id.clone()),
                what,
                key,
                hint,
                &a.loc,
            )
        };
        let (name, purpose) = (
            english_key::access_name(id),
            english_key::access_purpose(id),
        );
        texts.extend([
            text(a.name.is_some(), ["name", "le nom"], name, "name_en"),
            text(true, ["purpose", "la finalité"], purpose, "purpose_en"),
        ]);
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
    for (written, subject, [what_en, what_fr], key, hint, at) in texts {
        if written && missing(key) {
            out.push(notice(subject, what_en, what_fr, hint, at));
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
    for page in p.pages.values() {
        if missing(english_key::page_title(&page.id)) {
            out.push(notice(
                Subject::Reference(format!("page {}", page.id)),
                format!("the page `{}`", page.id),
                format!("la page `{}`", page.id),
                format!("write content/pages/{}.en.md", page.id),
                &page.loc,
            ));
        }
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

    #[test]
    fn an_unwritten_text_needs_no_english() {
        // Kills the `&&` → `||` mutant of the notices' loop (issue 17, item
        // 11): a measure without residual risk, access name or text gets
        // a notice for its title only.
        let mut p = Project::default();
        p.config.languages = vec!["fr".into(), "en".into()];
        let m = super::super::tests::measure("m", Vec::new(), None);
        p.measures.insert("m".into(), m);
        let notices = missing_english(&p);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].message_en.contains("the title of measure `m`"));
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

    /// Entities' and services' descriptions, access paths' names and
    /// measures' Markdown texts: one notice each while untranslated, none
    /// for what was not written (no description, no name, an empty body).
    #[test]
    fn one_notice_per_untranslated_description_name_and_measure_text() {
        use super::super::tests::{access, entity, measure, service};
        let mut p = Project::default();
        p.config.languages = vec!["fr".into(), "en".into()];
        let site = crate::model::NodeRef::Site("s".into());
        p.entities.insert("e".into(), entity("e", "FR"));
        p.services.insert("s".into(), service("s", &["s"], &[]));
        p.access_paths
            .insert("a".into(), access("a", "e", "FR", site, None));
        p.measures
            .insert("m".into(), measure("m", Vec::new(), None));
        p.english
            .insert(english_key::measure_title("m"), "Title".into());
        p.english
            .insert(english_key::access_purpose("a"), "Support".into());
        assert!(hints(&p).is_empty(), "nothing written: {:?}", hints(&p));

        if let Some(e) = p.entities.get_mut("e") {
            e.description = Some("Hébergeur.".into());
        }
        if let Some(s) = p.services.get_mut("s") {
            s.description = Some("Bases managées.".into());
        }
        if let Some(a) = p.access_paths.get_mut("a") {
            a.name = Some("Équipe d'astreinte".into());
        }
        if let Some(m) = p.measures.get_mut("m") {
            m.body = "Le texte.\n".into();
        }
        let found = hints(&p);
        assert_eq!(found.len(), 4, "{found:?}");
        for hint in [
            "add `description_en = \"…\"` to the entity",
            "add `description_en = \"…\"` to the service",
            "add `name_en = \"…\"` to the access path",
            "content/measures/m.en.md",
        ] {
            assert!(
                found.iter().any(|(_, h)| h.contains(hint)),
                "{hint}: {found:?}"
            );
        }
        for (key, text) in [
            (english_key::entity_description("e"), "Host."),
            (english_key::service_description("s"), "Managed databases."),
            (english_key::access_name("a"), "On-call team"),
            (english_key::measure_body("m"), "The text.\n"),
        ] {
            p.english.insert(key, text.into());
        }
        assert!(hints(&p).is_empty(), "{:?}", hints(&p));
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
