//! Every string the site generator prints, in French and English, from one
//! table; dates formatted per language. It imports nothing from the crate:
//! the words for the enums of `model` and `analysis` are keys here, chosen
//! by `crate::labels`.
//!
//! Templates receive the whole table for the page's language as `t` and
//! write `{{ t.key }}`; Rust code calls [`tr`]. A key missing from the table
//! is a defect caught by the unit tests, never shown to a reader as a blank.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use jiff::civil::Date;

/// A language the site is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    pub fn is_fr(self) -> bool {
        self == Lang::Fr
    }
}

/// (key, French, English).
const STRINGS: &[(&str, &str, &str)] = &[
    ("colon", " : ", ": "),
    ("colon_end", " :", ":"),
    ("skip", "Aller au contenu", "Skip to content"),
    ("nav_label", "Navigation principale", "Main navigation"),
    ("nav_home", "Cartographie", "Transfer map"),
    ("nav_annex", "Annexe contractuelle", "Contract annex"),
    ("nav_exports", "Données ouvertes", "Open data"),
    ("translation", "English version", "Version française"),
    // Changes page and Atom feed (render/changes.rs).
    ("nav_changes", "Changements", "Changes"),
    (
        "changes_title",
        "Changements de la cartographie",
        "Changes to the transfer map",
    ),
    (
        "changes_intro",
        "Ce qui a changé d'une publication à l'autre : sous-traitants, pays, sites, accès à distance, transferts, expositions à un droit étranger et constats. Les changements qui augmentent le risque sont signalés ; ceux qui ajoutent un sous-traitant, un pays ou une exposition prennent effet après le préavis annoncé aux clients.",
        "What changed from one publication to the next: subcontractors, countries, sites, remote access, transfers, exposures to foreign law and findings. Changes that increase the risk are marked; those that add a subcontractor, a country or an exposure take effect after the notice period announced to clients.",
    ),
    (
        "feed_subscribe",
        "S'abonner au flux Atom des publications (feed.xml)",
        "Subscribe to the Atom feed of publications (feed.xml)",
    ),
    (
        "changes_first",
        "Ceci est la première publication de la cartographie : il n'y a pas de publication antérieure à comparer.",
        "This is the first publication of the map: there is no earlier publication to compare with.",
    ),
    (
        "changes_earlier",
        "Publications antérieures",
        "Earlier publications",
    ),
    ("change_added", "Ajout", "Added"),
    ("change_removed", "Retrait", "Removed"),
    ("change_changed", "Modification", "Changed"),
    ("riskier", "Plus risqué", "Riskier"),
    ("effective_on", "prend effet le", "takes effect on"),
    // The changes between two publications (publication/changes/words.rs).
    ("chg_item_provider", "Le prestataire", "The provider"),
    ("chg_item_country", "Pays", "Countries"),
    (
        "chg_item_entity",
        "Entités (sous-traitants et sociétés mères)",
        "Entities (subcontractors and parent companies)",
    ),
    ("chg_item_site", "Sites", "Sites"),
    ("chg_item_service", "Services", "Services"),
    ("chg_item_access", "Accès à distance", "Remote access"),
    ("chg_item_flow", "Flux de données", "Data flows"),
    (
        "chg_item_transfer",
        "Transferts hors de l'EEE",
        "Transfers outside the EEA",
    ),
    (
        "chg_item_exposure",
        "Expositions à un droit étranger (EXI 30)",
        "Exposures to foreign law (EXI 30)",
    ),
    ("chg_item_measure", "Mesures", "Measures"),
    ("chg_item_finding", "Constats", "Findings"),
    ("chg_no_change", "aucun changement", "no change"),
    ("chg_from_country", "— pays :", "from"),
    ("chg_in_country", "— pays :", "in"),
    ("chg_quote_open", "« ", "“"),
    ("chg_quote_close", " »", "”"),
    ("chg_sep", " ; ", "; "),
    ("chg_and", "et", "and"),
    ("chg_more", "de plus", "more"),
    ("chg_place_site", "site", "site"),
    ("chg_place_entity", "entité", "entity"),
    ("chg_place_law", "droit s'appliquant à", "law reaching"),
    ("chg_place_transfer", "transfert vers", "transfer to"),
    (
        "chg_remote_access_by",
        "accès à distance par",
        "remote access by",
    ),
    ("chg_data_flow", "flux de données", "data flow"),
    (
        "chg_subject_to_law_of",
        "est soumise au droit de :",
        "is subject to the law of",
    ),
    ("chg_unknown_role", "rôle inconnu", "unknown role"),
    ("chg_unknown_kind", "type inconnu", "unknown kind"),
    (
        "chg_unknown_category",
        "catégorie inconnue",
        "unknown category",
    ),
    (
        "chg_unknown_basis",
        "un fondement inconnu",
        "an unknown basis",
    ),
    ("chg_no_basis_declared", "aucun déclaré", "none declared"),
    (
        "chg_unknown_framing",
        "encadrement inconnu",
        "unknown framing",
    ),
    (
        "chg_unknown_severity",
        "gravité inconnue",
        "unknown severity",
    ),
    (
        "chg_adequacy_full",
        "décision d'adéquation complète",
        "full adequacy decision",
    ),
    (
        "chg_adequacy_partial_in",
        "décision d'adéquation partielle, destinataire couvert",
        "partial adequacy decision, recipient in scope",
    ),
    (
        "chg_adequacy_partial_out",
        "décision d'adéquation partielle, destinataire non couvert",
        "partial adequacy decision, recipient not in scope",
    ),
    (
        "chg_adequacy_none",
        "pas de décision d'adéquation",
        "no adequacy decision",
    ),
    (
        "chg_adequacy_unknown",
        "statut d'adéquation inconnu",
        "unknown adequacy status",
    ),
    ("chg_none_m", "aucun", "none"),
    ("chg_none_f", "aucune", "none"),
    ("chg_nobody", "personne", "nobody"),
    ("chg_not_stated", "non précisé", "not stated"),
    ("chg_activities", "activités", "activities"),
    ("chg_until", "jusqu'au", "until"),
    (
        "chg_reading_exposure",
        "la soumission au droit d'un pays dont la décision d'adéquation n'est que partielle compte comme une exposition",
        "subjection to the law of a country with only a partial adequacy decision counts as an exposure",
    ),
    (
        "chg_reading_no_exposure",
        "la soumission au droit d'un pays dont la décision d'adéquation est partielle ne compte pas comme une exposition",
        "subjection to the law of a country with a partial adequacy decision does not count as an exposure",
    ),
    ("chg_list_added", "ajouté", "added"),
    ("chg_list_removed", "retiré", "removed"),
    (
        "chg_hosting_joined",
        "intervient désormais dans l'hébergement (sous-traitant)",
        "now takes part in the hosting (subcontractor)",
    ),
    (
        "chg_hosting_left",
        "n'intervient plus dans l'hébergement",
        "no longer takes part in the hosting",
    ),
    // Labels of the fields that changed (`chg_f_<field>`).
    (
        "chg_f_notice_days",
        "préavis (jours)",
        "notice period (days)",
    ),
    (
        "chg_f_partial_adequacy_is_exposure",
        "lecture de l'adéquation partielle",
        "reading of partial adequacy",
    ),
    ("chg_f_legal_name", "raison sociale", "legal name"),
    ("chg_f_country", "pays", "country"),
    ("chg_f_parent", "contrôlée par", "controlled by"),
    (
        "chg_f_control_share",
        "part détenue par la société mère",
        "share held by the parent",
    ),
    ("chg_f_description", "description", "description"),
    ("chg_f_website", "site web", "website"),
    ("chg_f_hds", "certificat HDS", "HDS certificate"),
    (
        "chg_f_secnumcloud",
        "qualification SecNumCloud",
        "SecNumCloud qualification",
    ),
    (
        "chg_f_dpf",
        "inscrite au Data Privacy Framework",
        "listed under the Data Privacy Framework",
    ),
    (
        "chg_f_adequacy_scopes",
        "champs d'adéquation partielle satisfaits",
        "partial adequacy scopes satisfied",
    ),
    ("chg_f_name", "nom", "name"),
    ("chg_f_city", "ville", "city"),
    ("chg_f_operator", "exploité par", "operated by"),
    ("chg_f_role", "rôle", "role"),
    ("chg_f_ip_ranges", "plages d'adresses IP", "IP ranges"),
    ("chg_f_sites", "sites", "sites"),
    ("chg_f_actors", "acteurs", "actors"),
    (
        "chg_f_storage_countries",
        "pays de stockage",
        "storage countries",
    ),
    ("chg_f_team", "équipe de", "team of"),
    ("chg_f_purpose", "finalité", "purpose"),
    ("chg_f_targets", "atteint", "reaches"),
    ("chg_f_basis", "fondement déclaré", "declared basis"),
    ("chg_f_data", "données", "data"),
    ("chg_f_systematic", "accès régulier", "regular access"),
    ("chg_f_safeguards", "garanties", "safeguards"),
    ("chg_f_from", "depuis", "from"),
    ("chg_f_to", "vers", "to"),
    ("chg_f_kind", "type", "kind"),
    ("chg_f_services", "services", "services"),
    ("chg_f_recipient", "destinataire", "recipient"),
    ("chg_f_storage", "conserve une copie", "keeps a copy"),
    ("chg_f_adequacy", "adéquation", "adequacy"),
    ("chg_f_basis_status", "encadré par", "framed by"),
    ("chg_f_measures", "mesures", "measures"),
    ("chg_f_laws", "lois", "laws"),
    ("chg_f_chain", "par l'intermédiaire de", "through"),
    ("chg_f_title", "titre", "title"),
    ("chg_f_mitigates", "atténue", "mitigates"),
    ("chg_f_residual_level", "risque résiduel", "residual risk"),
    ("chg_f_severity", "gravité", "severity"),
    // The sentence of each change.
    (
        "chg_provider_wide",
        "Changement pour l'ensemble du prestataire",
        "Provider-wide change",
    ),
    (
        "chg_country_added",
        "Nouveau pays dans la cartographie",
        "New country in the map",
    ),
    (
        "chg_country_removed",
        "Pays qui ne figure plus dans la cartographie",
        "Country no longer in the map",
    ),
    ("chg_new_sub", "Nouveau sous-traitant", "New subcontractor"),
    ("chg_new_entity", "Nouvelle entité", "New entity"),
    (
        "chg_sub_removed",
        "Sous-traitant retiré",
        "Subcontractor removed",
    ),
    ("chg_entity_removed", "Entité retirée", "Entity removed"),
    (
        "chg_cert_expired",
        "Certificat expiré",
        "Certificate expired",
    ),
    ("chg_entity_changed", "Entité modifiée", "Entity changed"),
    ("chg_site_added", "Nouveau site", "New site"),
    ("chg_site_removed", "Site retiré", "Site removed"),
    ("chg_site_changed", "Site modifié", "Site changed"),
    ("chg_service_added", "Nouveau service", "New service"),
    ("chg_service_removed", "Service retiré", "Service removed"),
    ("chg_service_changed", "Service modifié", "Service changed"),
    (
        "chg_access_added",
        "Nouvel accès à distance",
        "New remote access",
    ),
    (
        "chg_access_removed",
        "Accès à distance retiré",
        "Remote access removed",
    ),
    (
        "chg_access_changed",
        "Accès à distance modifié",
        "Remote access changed",
    ),
    ("chg_flow_added", "Nouveau flux de données", "New data flow"),
    (
        "chg_flow_removed",
        "Flux de données retiré",
        "Data flow removed",
    ),
    (
        "chg_flow_changed",
        "Flux de données modifié",
        "Data flow changed",
    ),
    (
        "chg_transfer_added",
        "Nouveau transfert hors de l'EEE",
        "New transfer outside the EEA",
    ),
    (
        "chg_transfer_removed",
        "Transfert supprimé",
        "Transfer ended",
    ),
    (
        "chg_transfer_changed",
        "Transfert modifié",
        "Transfer changed",
    ),
    (
        "chg_exposure_added",
        "Nouvelle exposition à un droit étranger",
        "New exposure to foreign law",
    ),
    (
        "chg_exposure_removed",
        "Exposition supprimée",
        "Exposure ended",
    ),
    (
        "chg_exposure_changed",
        "Exposition modifiée",
        "Exposure changed",
    ),
    ("chg_measure_added", "Nouvelle mesure", "New measure"),
    ("chg_measure_removed", "Mesure retirée", "Measure removed"),
    ("chg_measure_changed", "Mesure modifiée", "Measure changed"),
    ("chg_finding_added", "Nouveau constat", "New finding"),
    ("chg_finding_removed", "Constat levé", "Finding resolved"),
    ("chg_finding_changed", "Constat modifié", "Finding changed"),
    // Why a change is riskier.
    (
        "chg_risk_shorter_notice",
        "les clients sont prévenus des changements plus tard",
        "clients are told of changes later",
    ),
    (
        "chg_risk_fewer_disclosed",
        "les expositions relevant d'une décision d'adéquation partielle ne sont plus déclarées comme telles",
        "exposures under partial adequacy decisions are no longer disclosed as such",
    ),
    (
        "chg_risk_non_eea_country",
        "un pays hors de l'Espace économique européen",
        "a country outside the European Economic Area",
    ),
    (
        "chg_risk_new_exposure",
        "un nouveau droit étranger peut atteindre les données :",
        "a new foreign law can reach the data:",
    ),
    (
        "chg_risk_new_law",
        "une nouvelle loi atteint les données",
        "a new law reaches the data",
    ),
    (
        "chg_risk_health_reachable",
        "des données de santé deviennent accessibles hors de l'EEE",
        "health data becomes reachable from outside the EEA",
    ),
    (
        "chg_risk_personal_reachable",
        "des données personnelles deviennent accessibles hors de l'EEE",
        "personal data becomes reachable from outside the EEA",
    ),
    (
        "chg_risk_stored_site",
        "données stockées hors de l'EEE :",
        "data stored outside the EEA:",
    ),
    (
        "chg_risk_stored_site_now",
        "données désormais stockées hors de l'EEE :",
        "data now stored outside the EEA:",
    ),
    (
        "chg_risk_stored_service",
        "données du service désormais stockées hors de l'EEE :",
        "data of the service now stored outside the EEA:",
    ),
    (
        "chg_risk_stored_copy",
        "une copie est conservée hors de l'EEE :",
        "a copy is kept outside the EEA:",
    ),
    (
        "chg_risk_stored_copy_now",
        "une copie est désormais conservée hors de l'EEE :",
        "a copy is now kept outside the EEA:",
    ),
    (
        "chg_risk_no_basis",
        "aucun fondement juridique valable ne l'encadre",
        "no valid legal basis frames it",
    ),
    (
        "chg_risk_weaker_basis",
        "fondement juridique plus faible",
        "weaker legal basis",
    ),
    (
        "chg_risk_hds_gone",
        "le certificat HDS n'est plus déclaré",
        "the HDS certificate is no longer declared",
    ),
    (
        "chg_risk_hds_expired",
        "le certificat HDS a expiré le",
        "the HDS certificate expired on",
    ),
    (
        "chg_risk_hds_activities",
        "le certificat HDS ne couvre plus les activités",
        "the HDS certificate no longer covers activities",
    ),
    (
        "chg_risk_secnumcloud_lost",
        "la qualification SecNumCloud a été perdue ou a expiré",
        "the SecNumCloud qualification was lost or has expired",
    ),
    (
        "chg_risk_dpf_lost",
        "n'est plus inscrite au cadre de protection des données UE–États-Unis (DPF)",
        "no longer listed under the EU-US Data Privacy Framework",
    ),
    (
        "chg_risk_measure_gone",
        "une mesure d'atténuation ne s'applique plus",
        "a mitigation measure no longer applies",
    ),
    (
        "chg_risk_unmitigated",
        "n'atténue plus",
        "no longer mitigates",
    ),
    (
        "chg_risk_safeguards_gone",
        "garanties qui ne sont plus déclarées",
        "safeguards no longer declared",
    ),
    (
        "chg_risk_measures_gone",
        "n'est plus atténué par",
        "no longer mitigated by",
    ),
    ("chg_risk_problem", "un nouveau problème", "a new problem"),
    (
        "chg_risk_more_severe",
        "le constat s'est aggravé",
        "the finding got more severe",
    ),
    // Words of the enums of model and analysis (labels.rs).
    ("label_verdict_agrees", "concorde", "agrees"),
    (
        "label_verdict_elsewhere_in_eea",
        "ailleurs dans l'EEE",
        "elsewhere in EEA",
    ),
    ("label_verdict_contradicts", "CONTREDIT", "CONTRADICTS"),
    ("label_verdict_annex_wrong", "ANNEXE FAUSSE", "ANNEX WRONG"),
    ("label_verdict_no_data", "sans donnée", "no data"),
    (
        "label_verdict_not_covered",
        "non couverte (IPv6)",
        "not covered (IPv6)",
    ),
    (
        "map_site_role_primary",
        "Site de données (principal)",
        "Data site (primary)",
    ),
    (
        "map_site_role_replica",
        "Site de données (réplique)",
        "Data site (replica)",
    ),
    (
        "map_site_role_backup",
        "Site de données (sauvegarde)",
        "Data site (backup)",
    ),
    (
        "map_site_role_disaster_recovery",
        "Site de données (secours)",
        "Data site (disaster recovery)",
    ),
    ("map_site_role_office", "Bureau", "Office"),
    ("label_site_role_primary", "site principal", "primary site"),
    ("label_site_role_replica", "réplique", "replica"),
    ("label_site_role_backup", "sauvegarde", "backup"),
    (
        "label_site_role_disaster_recovery",
        "reprise après sinistre",
        "disaster recovery",
    ),
    (
        "label_site_role_office",
        "bureau (pas de stockage)",
        "office (no storage)",
    ),
    ("label_flow_kind_storage", "stockage", "storage"),
    ("label_flow_kind_replication", "réplication", "replication"),
    ("label_flow_kind_backup", "sauvegarde", "backup"),
    ("label_flow_kind_processing", "traitement", "processing"),
    (
        "label_flow_kind_remote_administration",
        "administration à distance",
        "remote administration",
    ),
    (
        "label_flow_kind_support_access",
        "accès de support",
        "support access",
    ),
    ("label_flow_kind_telemetry", "télémétrie", "telemetry"),
    ("label_data_health", "données de santé", "health data"),
    (
        "label_data_health_pseudonymised",
        "données de santé pseudonymisées",
        "pseudonymised health data",
    ),
    (
        "label_data_health_encrypted",
        "données de santé chiffrées (clés dans l'EEE)",
        "encrypted health data (keys in the EEA)",
    ),
    (
        "label_data_personal",
        "données personnelles",
        "personal data",
    ),
    (
        "label_data_metadata",
        "métadonnées techniques",
        "technical metadata",
    ),
    ("label_data_anonymous", "données anonymes", "anonymous data"),
    ("label_data_payment", "données de paiement", "payment data"),
    (
        "label_data_encryption_keys",
        "clés de chiffrement",
        "encryption keys",
    ),
    (
        "label_data_pseudonymised",
        "données personnelles pseudonymisées",
        "pseudonymised personal data",
    ),
    ("label_measure_kind_technical", "technique", "technical"),
    (
        "label_measure_kind_contractual",
        "contractuelle",
        "contractual",
    ),
    (
        "label_measure_kind_organisational",
        "organisationnelle",
        "organisational",
    ),
    ("label_risk_level_none", "nul", "none"),
    ("label_risk_level_negligible", "négligeable", "negligible"),
    ("label_risk_level_low", "faible", "low"),
    ("label_risk_level_medium", "moyen", "medium"),
    ("label_risk_level_high", "élevé", "high"),
    (
        "label_basis_status_adequacy",
        "décision d'adéquation (art. 45 RGPD)",
        "adequacy decision (GDPR Art. 45)",
    ),
    (
        "label_basis_status_safeguard",
        "garanties appropriées (art. 46 RGPD)",
        "appropriate safeguards (GDPR Art. 46)",
    ),
    (
        "label_basis_status_derogation",
        "dérogation (art. 49 RGPD)",
        "derogation (GDPR Art. 49)",
    ),
    (
        "label_basis_status_missing",
        "aucun fondement valable",
        "no valid basis",
    ),
    (
        "label_basis_status_unstated",
        "fondement non précisé (à confirmer)",
        "basis not stated (to confirm)",
    ),
    ("feed_title", "Cartographie des transferts", "Transfer map"),
    (
        "feed_subtitle",
        "Chaque publication de la cartographie des transferts de données de santé et ce qui a changé (HDS EXI 31, RGPD art. 28.2).",
        "Each publication of the health-data transfer map and what changed (HDS EXI 31, GDPR Art. 28(2)).",
    ),
    ("feed_link_title", "Changements (Atom)", "Changes (Atom)"),
    ("generated_by", "Généré par", "Generated by"),
    ("version", "Version", "Version"),
    ("valid_from", "Valable à compter du", "Valid from"),
    (
        "as_of",
        "Faits juridiques appliqués au",
        "Legal facts applied as of",
    ),
    (
        "sources_up_to",
        "faits juridiques vérifiés jusqu'au",
        "legal facts checked up to",
    ),
    ("law_status", "État", "Status"),
    (
        "confidence_secondary",
        "source secondaire unique",
        "single secondary source",
    ),
    ("confidence_unverified", "non vérifié", "unverified"),
    (
        "reference_compiled",
        "données de référence compilées le",
        "reference data compiled on",
    ),
    (
        "index_title",
        "Cartographie des transferts de données de santé hors de l'EEE",
        "Map of health data transfers outside the EEA",
    ),
    (
        "index_intro",
        "Publication prévue par l'exigence 31 du référentiel de certification des hébergeurs de données de santé (HDS, 2024) : transferts de données de santé vers des pays tiers à l'Espace économique européen, accès à distance compris (EXI 29), et risques d'accès imposés par une législation étrangère (EXI 30).",
        "Publication required by requirement 31 of the French health data hosting (HDS, 2024) certification referential: transfers of health data to countries outside the European Economic Area, remote access included (EXI 29), and the risks of access imposed by foreign law (EXI 30).",
    ),
    ("provider_section", "Ensemble des services", "All services"),
    ("summary_title", "L'essentiel", "At a glance"),
    ("table_region", "Tableau", "Table"),
    ("page", "page", "page"),
    (
        "pager_note",
        "{shown} lignes sur {total} ci-dessus ; toutes, sur {pages} pages :",
        "{shown} rows of {total} above; all of them on {pages} pages:",
    ),
    (
        "pager_range",
        "Lignes {first} à {last} sur {total}",
        "Rows {first} to {last} of {total}",
    ),
    (
        "pager_back",
        "Retour à la page d'origine",
        "Back to the page",
    ),
    (
        "summary_transfers",
        "Transferts de données de santé hors de l'EEE",
        "Health data transfers outside the EEA",
    ),
    (
        "summary_laws",
        "Lois étrangères pouvant atteindre les données",
        "Foreign laws that can reach the data",
    ),
    ("summary_form", "Forme de cette page", "Form of this page"),
    (
        "summary_no_health_transfer",
        "Aucune donnée de santé ne quitte l'EEE : ni transfert, ni accès à distance depuis un pays tiers.",
        "No health data leaves the EEA: no transfer and no remote access from a third country.",
    ),
    (
        "summary_partial_in_scope",
        "décision partielle, destinataire dans son champ",
        "partial decision, recipient within its scope",
    ),
    (
        "summary_more_countries",
        "autres pays (voir le détail plus bas)",
        "more countries (see the details below)",
    ),
    ("summary_more_actors", "autres acteurs", "more actors"),
    (
        "summary_missing_basis",
        "Transferts sans fondement valable, à confirmer",
        "Transfers without a valid basis, to confirm",
    ),
    (
        "summary_controlled_by",
        "sous le contrôle de",
        "controlled by",
    ),
    (
        "summary_no_exposure",
        "Aucun acteur n'est exposé à la législation d'un pays tiers n'assurant pas un niveau de protection adéquat (EXI 30).",
        "No actor is exposed to the law of a third country without an adequate level of protection (EXI 30).",
    ),
    ("summary_basis", "fondement", "basis"),
    ("summary_details", "Le détail", "The details"),
    (
        "form_meaning_table",
        "Des données de santé quittent l'EEE ou un acteur est soumis à une législation étrangère non adéquate : le référentiel HDS demande alors le tableau du chapitre 8, qui suit la carte (chaque acteur, ses accès depuis un pays tiers, son exposition), puis les risques, les mesures prises et le risque résiduel.",
        "Health data leaves the EEA or an actor is subject to non-adequate foreign law: the HDS referential then requires the chapter 8 table, after the map (each actor, its access from third countries, its exposure), then the risks, the measures taken and the residual risk.",
    ),
    (
        "form_meaning_no_transfer",
        "Aucune donnée de santé ne quitte l'EEE et aucun acteur n'est soumis à une législation étrangère non adéquate : le référentiel HDS prévoit alors la déclaration ci-dessous.",
        "No health data leaves the EEA and no actor is subject to non-adequate foreign law: the HDS referential then provides for the statement below.",
    ),
    (
        "form_meaning_secnumcloud",
        "L'hébergeur est qualifié SecNumCloud 3.2 pour ce périmètre : le référentiel HDS prévoit alors la déclaration ci-dessous.",
        "The host is SecNumCloud 3.2 qualified for this scope: the HDS referential then provides for the statement below.",
    ),
    (
        "services_forms",
        "Forme de publication de chaque service",
        "Form of publication of each service",
    ),
    (
        "services_intro",
        "Le tableau des acteurs de chaque service est sur la page du service.",
        "Each service's table of actors is on the service's page.",
    ),
    ("col_service", "Service", "Service"),
    ("col_form", "Forme", "Form"),
    (
        "col_transfers_n",
        "Transferts hors de l'EEE",
        "Transfers outside the EEA",
    ),
    (
        "col_exposures_n",
        "Expositions (EXI 30)",
        "Exposures (EXI 30)",
    ),
    (
        "map_full_size",
        "Ouvrir la carte en grand (fichier SVG)",
        "Open the map full size (SVG file)",
    ),
    (
        "notes_title",
        "Notes sur les décisions d'adéquation",
        "Notes on the adequacy decisions",
    ),
    ("see_note", "voir la note", "see the note"),
    ("form", "Forme de publication", "Form of publication"),
    (
        "form_secnumcloud",
        "déclaration SecNumCloud (forme 1)",
        "SecNumCloud statement (form 1)",
    ),
    (
        "form_no_transfer",
        "déclaration d'absence de transfert (forme 2)",
        "no-transfer statement (form 2)",
    ),
    (
        "form_table",
        "tableau du chapitre 8 (forme 3)",
        "chapter 8 table (form 3)",
    ),
    // The French statement is the regulatory original; the English page
    // shows sovmap's translation and then the original, labelled as such
    // (issue 17, rule 10: the original is never called a translation).
    (
        "statement_prefix",
        "Déclaration :",
        "Statement (sovmap's translation of the French regulatory wording):",
    ),
    (
        "statement_translation_note",
        "Formule réglementaire du référentiel HDS.",
        "Original French regulatory wording (the text that applies):",
    ),
    ("services", "Services", "Services"),
    ("service", "Service", "Service"),
    (
        "actors_table",
        "Acteurs de l'hébergement",
        "Actors of the hosting",
    ),
    ("col_actor", "Acteur (raison sociale)", "Actor (legal name)"),
    ("col_role", "Rôle", "Role"),
    ("col_hds", "Certifié HDS", "HDS certified"),
    (
        "col_snc",
        "Qualifié SecNumCloud 3.2",
        "SecNumCloud 3.2 qualified",
    ),
    (
        "col_activities",
        "Activités d'hébergement",
        "Hosting activities",
    ),
    (
        "col_exi29",
        "EXI 29 : accès depuis un pays tiers",
        "EXI 29: access from a third country",
    ),
    (
        "col_exi30",
        "EXI 30 : soumission à une législation non adéquate",
        "EXI 30: subject to non-adequate law",
    ),
    ("yes", "oui", "yes"),
    (
        "secnumcloud_declared",
        "déclarée : version",
        "declared: version",
    ),
    ("no", "non", "no"),
    ("none", "aucun", "none"),
    (
        "exempted",
        "exempté (couvert par le périmètre certifié de l'hébergeur)",
        "exempted (covered by the host's certified scope)",
    ),
    ("role_host", "hébergeur", "host"),
    (
        "role_publisher",
        "éditeur de la plateforme (publie la cartographie, n'héberge pas)",
        "platform publisher (publishes the map, does not host)",
    ),
    (
        "hds_unconfirmed",
        "déclaré, à confirmer (activités ou dates non précisées)",
        "declared, to confirm (activities or dates not stated)",
    ),
    (
        "hds_not_applicable",
        "sans objet (n'héberge pas les données)",
        "not applicable (does not host the data)",
    ),
    (
        "not_stated_confirm",
        "non précisé (à confirmer)",
        "not stated (to confirm)",
    ),
    (
        "own_country_unstated",
        "son propre pays, non précisé (à confirmer)",
        "its own country, not stated (to confirm)",
    ),
    (
        "resident",
        "personnes résidant dans ce pays",
        "people residing there",
    ),
    ("role_subcontractor", "sous-traitant", "subcontractor"),
    (
        "role_parent",
        "société du groupe (contrôle)",
        "group company (control)",
    ),
    (
        "role_other",
        "autre entité déclarée",
        "other declared entity",
    ),
    (
        "see_risk",
        "voir le tableau des risques",
        "see the risk table",
    ),
    (
        "risk_table",
        "Risques et mesures (EXI 30)",
        "Risks and measures (EXI 30)",
    ),
    (
        "risk_intro",
        "Pour chaque acteur soumis à la législation d'un pays tiers n'assurant pas un niveau de protection adéquat : les lois qui pourraient imposer un accès non autorisé par le droit de l'Union (art. 48 RGPD), les mesures de réduction du risque et le risque résiduel.",
        "For each actor subject to the law of a third country without an adequate level of protection: the laws that could compel access not authorised by EU law (GDPR Art. 48), the risk-reduction measures and the residual risk.",
    ),
    ("col_exposure", "Exposition", "Exposure"),
    ("col_laws", "Législations concernées", "Laws concerned"),
    ("col_measures", "Mesures", "Measures"),
    ("col_residual", "Risque résiduel", "Residual risk"),
    (
        "no_laws",
        "aucune loi d'accès de ce pays ne figure dans les données de référence",
        "no access law of this country is in the reference data",
    ),
    (
        "no_measures",
        "aucune mesure déclarée",
        "no measure declared",
    ),
    (
        "no_residual",
        "non précisé par les mesures",
        "not stated by the measures",
    ),
    ("through", "par le contrôle de", "through control by"),
    (
        "incorporated",
        "société de droit de ce pays",
        "incorporated there",
    ),
    (
        "transfers",
        "Transferts et accès hors de l'EEE",
        "Transfers and access outside the EEA",
    ),
    (
        "no_transfers",
        "Aucun transfert ni accès à distance depuis un pays tiers.",
        "No transfer and no remote access from a third country.",
    ),
    ("col_transfer", "Transfert", "Transfer"),
    ("col_country", "Pays", "Country"),
    (
        "col_recipient",
        "Destinataire ou équipe",
        "Recipient or team",
    ),
    ("col_purpose", "Finalité", "Purpose"),
    ("col_basis", "Fondement", "Basis"),
    ("col_safeguards", "Garanties", "Safeguards"),
    ("col_data", "Données", "Data"),
    ("basis_reference", "Référence", "Reference"),
    (
        "tia",
        "Analyse d'impact du transfert",
        "Transfer impact assessment",
    ),
    ("tia_next_review", "prochaine revue le", "next review"),
    ("remote_access", "accès à distance", "remote access"),
    ("flow", "flux de données", "data flow"),
    (
        "host_certificate",
        "Certification de l'hébergeur",
        "The host's certification",
    ),
    ("hds_certificate", "Certificat HDS", "HDS certificate"),
    (
        "no_hds",
        "Pas de certificat HDS déclaré.",
        "No HDS certificate declared.",
    ),
    ("certifier", "Organisme certificateur", "Certification body"),
    ("issued", "Délivré le", "Issued on"),
    ("expires", "Expire le", "Expires on"),
    ("number", "Numéro", "Number"),
    ("referential", "Référentiel", "Referential"),
    ("activities", "Activités", "Activities"),
    ("secnumcloud", "SecNumCloud", "SecNumCloud"),
    ("offer", "Offre", "Offer"),
    (
        "dpf",
        "Data Privacy Framework UE–États-Unis",
        "EU-US Data Privacy Framework",
    ),
    ("dpf_listed", "inscrite", "listed"),
    (
        "adequacy_scopes",
        "Périmètres d'adéquation partielle satisfaits",
        "Partial adequacy scopes satisfied",
    ),
    (
        "exempted_under",
        "Exemptée : travaux couverts par la certification de",
        "Exempted: work covered by the certificate of",
    ),
    ("map", "Carte", "Map"),
    (
        "map_table",
        "Carte sous forme de tableau",
        "The map as a table",
    ),
    ("col_kind", "Nature", "Kind"),
    ("col_label", "Élément", "Item"),
    ("col_in_eea", "Dans l'EEE", "In the EEA"),
    ("col_status", "Statut", "Status"),
    (
        "storage",
        "Lieux de stockage (EXI 28)",
        "Storage locations (EXI 28)",
    ),
    (
        "other_sites",
        "Autres sites et serveurs des destinataires (aucune donnée de santé n'y est stockée)",
        "Other sites and recipients' servers (no health data stored there)",
    ),
    (
        "other_sites_note",
        "Ces sites ne sont pas des lieux de stockage de données de santé au sens de l'exigence 28 : bureaux, et serveurs de destinataires d'autres données (journaux, télémétrie, données personnelles qui ne sont pas des données de santé, sauvegardes de ces données). Les données qu'ils reçoivent sont indiquées ; leurs transferts hors de l'EEE figurent dans le tableau des transferts.",
        "These sites are not storage locations of health data under requirement 28: offices, and servers of recipients of other data (logs, telemetry, personal data that is not health data, backups of such data). The data they receive is shown; their transfers outside the EEA are in the transfers table.",
    ),
    ("col_data_received", "Données reçues", "Data received"),
    (
        "international_organisation",
        "organisation internationale",
        "international organisation",
    ),
    ("seat", "siège", "seat"),
    (
        "no_adequacy_organisation",
        "aucune décision d'adéquation ne couvre cette organisation internationale",
        "no adequacy decision covers this international organisation",
    ),
    (
        "no_data_received",
        "aucun flux déclaré vers ce site",
        "no flow to this site declared",
    ),
    ("col_site", "Site", "Site"),
    ("col_city", "Ville", "City"),
    ("col_operator", "Exploitant", "Operator"),
    ("col_services", "Services", "Services"),
    ("flows", "Flux de données", "Data flows"),
    ("flow_graph", "Graphe des flux", "Flow graph"),
    (
        "flow_graph_text",
        "Le graphe de ce service (entités, sites, accès et flux qui atteignent ses données personnelles, pays hors EEE signalés), à ouvrir avec Graphviz ou Mermaid :",
        "This service's graph (entities, sites, access paths and flows that reach its personal data, countries outside the EEA marked), to open with Graphviz or Mermaid:",
    ),
    (
        "flows_leaving",
        "Flux de données sortant de l'EEE",
        "Data flows leaving the EEA",
    ),
    (
        "flows_all",
        "Tous les flux de données déclarés",
        "Every declared data flow",
    ),
    (
        "flows_all_link",
        "Liste complète des flux de données déclarés",
        "Complete list of the declared data flows",
    ),
    (
        "flows_page_intro",
        "Chaque flux de données déclaré, y compris ceux qui restent dans l'EEE. Les flux qui sortent de l'EEE, les accès à distance et les transferts figurent aussi sur la page de publication :",
        "Every declared data flow, including those that stay in the EEA. The flows leaving the EEA, the remote access paths and the transfers are also on the publication page:",
    ),
    (
        "no_flows_leaving",
        "Aucun flux de données ne sort de l'EEE.",
        "No data flow leaves the EEA.",
    ),
    ("col_flow", "Flux", "Flow"),
    ("col_from", "De", "From"),
    ("col_to", "Vers", "To"),
    ("access_paths", "Accès à distance", "Remote access"),
    ("col_team", "Équipe", "Team"),
    ("col_targets", "Cibles", "Targets"),
    (
        "measures",
        "Mesures de réduction du risque",
        "Risk-reduction measures",
    ),
    ("measure", "Mesure", "Measure"),
    ("measure_kind", "Nature de la mesure", "Kind of measure"),
    ("mitigates", "Réduit le risque de", "Mitigates"),
    ("pages", "Pages", "Pages"),
    ("actors", "Acteurs", "Actors"),
    ("country", "Pays", "Country"),
    ("role", "Rôle", "Role"),
    ("control_chain", "Chaîne de contrôle", "Control chain"),
    ("ultimate_parent", "société mère ultime", "ultimate parent"),
    (
        "holdings",
        "Participations sans contrôle",
        "Holdings without control",
    ),
    ("holding_voting", "droits de vote", "voting rights"),
    ("holding_capital", "capital", "capital"),
    ("holding_veto", "droit de veto", "veto"),
    (
        "no_parent",
        "Aucune société mère déclarée.",
        "No parent company declared.",
    ),
    ("share", "détention", "held"),
    (
        "laws_exposed",
        "Législations étrangères auxquelles l'entité est soumise (EXI 30)",
        "Foreign laws the entity is subject to (EXI 30)",
    ),
    (
        "not_exposed",
        "Aucune exposition à une législation non adéquate.",
        "No exposure to non-adequate law.",
    ),
    ("sites_operated", "Sites exploités", "Sites operated"),
    ("geoip_evidence", "Vérification GeoIP", "GeoIP evidence"),
    ("geoip_declared", "déclaré", "declared"),
    ("geoip_database_view", "selon la base", "database"),
    ("geoip_no_data", "sans donnée", "no data"),
    ("geoip_more", "autres", "more"),
    ("geoip_agree_count", "concordent", "agree"),
    ("geoip_agrees", "concorde", "agrees"),
    (
        "geoip_elsewhere_in_eea",
        "en partie ailleurs dans l'EEE",
        "partly elsewhere in the EEA",
    ),
    (
        "geoip_contradicts",
        "contredit la déclaration",
        "contradicts the declaration",
    ),
    (
        "geoip_annex_wrong",
        "hors EEE : l'annexe serait fausse",
        "outside the EEA: the annex would be wrong",
    ),
    (
        "geoip_not_covered",
        "IPv6 non couvert par la base",
        "IPv6 not covered by the database",
    ),
    (
        "geoip_not_run",
        "Vérification GeoIP des plages IP déclarées : non effectuée pour cette publication.",
        "GeoIP verification of the declared IP ranges: not run for this publication.",
    ),
    (
        "geoip_run",
        "Vérification GeoIP des plages IP déclarées",
        "GeoIP verification of the declared IP ranges",
    ),
    (
        "geoip_checked_against",
        "plages vérifiées avec",
        "ranges checked against",
    ),
    ("geoip_built", "construite le", "built"),
    (
        "geoip_caveat",
        "Ce sont des estimations de la base (pays de géolocalisation, de geofeed ou d'enregistrement), pas une preuve de localisation physique.",
        "These are the database's estimates (geolocation, geofeed or registration country), not proof of physical location.",
    ),
    ("findings", "Constats de l'analyse", "Analysis findings"),
    ("no_findings", "Aucun constat.", "No findings."),
    ("website", "Site web", "Website"),
    ("description", "Description", "Description"),
    (
        "annex_title",
        "Annexe contractuelle : transferts et risques d'accès étrangers",
        "Contract annex: transfers and foreign access risks",
    ),
    ("annex_for", "Service", "Service"),
    (
        "annex_whole",
        "Ensemble des services du prestataire",
        "All of the provider's services",
    ),
    (
        "annex_hash",
        "Empreinte SHA-256 du contenu de l'annexe",
        "SHA-256 of the annex content",
    ),
    (
        "annex_hash_note",
        "L'empreinte porte sur le corps de l'annexe (fragment HTML ci-dessous, encodé en UTF-8) ; un contrat peut la citer pour désigner cette version exacte.",
        "The hash covers the body of the annex (the HTML fragment below, UTF-8 encoded); a contract can cite it to designate this exact version.",
    ),
    ("annexes", "Annexes contractuelles", "Contract annexes"),
    (
        "annex_exi28",
        "1. Lieux de stockage des données de santé (EXI 28)",
        "1. Where health data is stored (EXI 28)",
    ),
    (
        "annex_exi29",
        "2. Accès et transferts depuis des pays tiers (EXI 29)",
        "2. Access and transfers from third countries (EXI 29)",
    ),
    (
        "annex_exi30",
        "3. Soumission à des législations étrangères non adéquates (EXI 30)",
        "3. Subjection to non-adequate foreign law (EXI 30)",
    ),
    (
        "annex_subcontractors",
        "4. Sous-traitants et certifications",
        "4. Subcontractors and certifications",
    ),
    (
        "annex_notice",
        "Changement de sous-traitant : le client est informé au moins",
        "Change of subcontractor: the client is told at least",
    ),
    ("days_before", "jours à l'avance.", "days in advance."),
    (
        "no_adequacy",
        "aucune décision d'adéquation ne couvre ce pays",
        "no adequacy decision covers this country",
    ),
    (
        "adequacy_decision",
        "décision d'adéquation",
        "adequacy decision",
    ),
    ("partial_decision", "décision partielle", "partial decision"),
    (
        "see_notes",
        "périmètre : voir les notes sur les décisions d'adéquation",
        "scope: see the notes on the adequacy decisions",
    ),
    (
        "in_scope",
        "destinataire dans le périmètre",
        "recipient within its scope",
    ),
    (
        "out_of_scope",
        "destinataire hors du périmètre",
        "recipient outside its scope",
    ),
    ("basis_missing", "aucun fondement valable", "no valid basis"),
    (
        "no_storage",
        "Aucun lieu de stockage déclaré.",
        "No storage location declared.",
    ),
    (
        "no_exposure",
        "Aucun acteur n'est soumis à une législation non adéquate.",
        "No actor is subject to non-adequate law.",
    ),
    (
        "exports",
        "Fichiers lisibles par machine",
        "Machine-readable files",
    ),
    (
        "transfers_json",
        "transfers.json (cartographie complète)",
        "transfers.json (the whole map)",
    ),
    (
        "transfers_schema",
        "transfers.schema.json (schéma JSON)",
        "transfers.schema.json (JSON Schema)",
    ),
    (
        "transfers_csv",
        "transfers.csv (tableur : transferts, séparateur « ; », UTF-8)",
        "transfers.csv (spreadsheet: transfers, comma-separated, UTF-8)",
    ),
    (
        "transfers_xlsx",
        "transfers.xlsx (classeur Excel : une feuille par tableau)",
        "transfers.xlsx (Excel workbook: one sheet per table)",
    ),
    ("sheet_forms", "Forme de la page", "Form of the page"),
    ("sheet_actors", "Acteurs EXI 31", "EXI 31 actors"),
    ("sheet_risks", "Risques EXI 30", "EXI 30 risks"),
    ("sheet_transfers", "Transferts", "Transfers"),
    ("sheet_sites", "Sites", "Sites"),
    ("sheet_flows", "Flux", "Flows"),
    ("sheet_access", "Accès à distance", "Remote access"),
    ("col_ref", "Réf.", "Ref."),
    ("col_country_code", "Code pays (ISO)", "Country code (ISO)"),
    ("col_health", "Données de santé", "Health data"),
    ("col_storage", "Stockage", "Storage"),
    ("col_scope", "Périmètre", "Scope"),
    ("col_statement", "Déclaration", "Statement"),
    ("col_subjection", "Soumission", "Subject through"),
    ("col_description", "Description", "Description"),
    ("col_access", "Accès", "Access"),
    ("col_adequacy", "Décision d'adéquation", "Adequacy decision"),
    ("policy", "Interprétation retenue", "Interpretation applied"),
    (
        "policy_partial_exposure",
        "une adéquation partielle (par exemple le DPF américain) compte comme une exposition EXI 30",
        "a partial adequacy decision (for example the US DPF) counts as an EXI 30 exposure",
    ),
    (
        "policy_partial_ok",
        "une adéquation partielle, destinataire dans le périmètre, ne compte pas comme une exposition EXI 30",
        "a partial adequacy decision with the recipient in scope does not count as an EXI 30 exposure",
    ),
    ("not_found_title", "Page introuvable", "Page not found"),
    (
        "not_found_text",
        "Cette page n'existe pas. La cartographie des transferts est sur la page d'accueil.",
        "This page does not exist. The transfer map is on the home page.",
    ),
    ("id", "réf.", "ref."),
    ("provider_chain", "Importé", "Imported"),
    ("not_stated", "non précisé", "not stated"),
    ("legal_note", "Données de référence : ", "Reference data: "),
    (
        "services_of_actor",
        "Services concernés",
        "Services concerned",
    ),
    ("severity_error", "erreur", "error"),
    ("severity_warning", "avertissement", "warning"),
    ("severity_notice", "information", "notice"),
    // The contract annex as a document (render/annex).
    ("ax_version", "version", "version"),
    ("ax_page", "page", "page"),
    (
        "ax_downloads",
        "Cette annexe à joindre au contrat",
        "This annex, to attach to the contract",
    ),
    ("ax_fingerprint_short", "empreinte SHA-256", "SHA-256"),
    (
        "ax_fingerprint",
        "Empreinte SHA-256 du texte canonique",
        "SHA-256 fingerprint of the canonical text",
    ),
    (
        "ax_fingerprint_note",
        "L'empreinte est le SHA-256 du texte canonique de cette annexe, publié à côté d'elle ({file}) : `sha256sum {file}` ou `sovmap annex --verify {file}` la recalcule. Le texte canonique reprend, dans l'ordre, tout le texte de l'annexe ; il comprend la version, la date et le périmètre, si bien que chaque service a sa propre empreinte.",
        "The fingerprint is the SHA-256 of this annex's canonical text, published beside it ({file}): `sha256sum {file}` or `sovmap annex --verify {file}` computes it again. The canonical text holds every text of the annex, in order, including its version, date and scope, so that each service has its own fingerprint.",
    ),
    ("ax_canonical_link", "Texte canonique", "Canonical text"),
    (
        "ax_split_note",
        "Cette annexe est longue : ses longs tableaux continuent sur des pages numérotées, liées sous leurs premières lignes. Le fichier Word et le texte canonique la donnent en entier, et l'empreinte couvre l'annexe entière.",
        "This annex is long: its long tables continue on numbered pages, linked under their first rows. The Word file and the canonical text give it whole, and the fingerprint covers the whole annex.",
    ),
    (
        "ax_part_back",
        "Retour au début de l'annexe",
        "Back to the start of the annex",
    ),
    (
        "ax_per_service",
        "Annexes par service",
        "Annexes per service",
    ),
    (
        "ax_per_service_note",
        "Chaque service a sa propre annexe, limitée à ce qui le concerne, avec sa propre empreinte.",
        "Each service has its own annex, limited to what concerns it, with its own fingerprint.",
    ),
    ("ax_provider", "Prestataire", "Provider"),
    ("ax_scope", "Périmètre", "Scope"),
    ("ax_valid_from", "Applicable à compter du", "Valid from"),
    (
        "ax_as_of",
        "Droit applicable à la date du",
        "Legal facts as of",
    ),
    (
        "ax_french_original",
        "Original français, non traduit",
        "French original, not translated",
    ),
    (
        "ax_french_original_note",
        "Les passages marqués « (original français) » n'ont pas été traduits par le prestataire ; ils sont reproduits dans leur langue d'origine.",
        "Passages marked \"(French original)\" have not been translated by the provider; they are reproduced in their original language.",
    ),
    (
        "ax_french_original_mark",
        "original français",
        "French original",
    ),
    ("ax_parties", "Parties", "Parties"),
    ("ax_party_provider", "Le prestataire", "The provider"),
    ("ax_party_client", "Le client", "The client"),
    ("ax_legal_name", "Dénomination sociale", "Legal name"),
    ("ax_legal_form", "Forme juridique", "Legal form"),
    (
        "ax_registration",
        "Immatriculation (SIREN / RCS)",
        "Registration (SIREN / RCS)",
    ),
    ("ax_address", "Siège social", "Registered office"),
    ("ax_representative", "Représenté par", "Represented by"),
    (
        "ax_not_declared",
        "non déclaré (à compléter dans sovmap.toml, [provider])",
        "not declared (to be completed in sovmap.toml, [provider])",
    ),
    (
        "ax_client_placeholder",
        "[Dénomination, forme, immatriculation et siège du client, tels qu'ils figurent au contrat]",
        "[The client's legal name, form, registration and registered office, as in the contract]",
    ),
    (
        "ax_clauses",
        "5. Engagements du prestataire",
        "5. The provider's commitments",
    ),
    (
        "ax_default_clause",
        "Texte par défaut de sovmap, à revoir avec votre conseil",
        "sovmap's default text, to review with counsel",
    ),
    (
        "possible_transfer",
        "possible : le document dit que les données peuvent y aller",
        "possible: the document says the data may go there",
    ),
    ("ax_services", "Services", "Services"),
    ("ax_site", "Site", "Site"),
    ("ax_certificates", "Certificats", "Certificates"),
    // The report of `sovmap review --html` (review/html.rs): `review_KEY`
    // is `t.KEY` in review/report.html, `review_kind_*` and `review_level_*`
    // its `kinds` and `levels`.
    ("review_title", "Examen des fournisseurs", "Provider review"),
    (
        "review_heading",
        "Examen des fournisseurs selon",
        "Provider review against",
    ),
    (
        "review_policy_file",
        "Fichier de politique :",
        "Policy file:",
    ),
    ("review_overall", "Bilan :", "Overall:"),
    (
        "review_all_met",
        "tous les fournisseurs respectent la politique",
        "every provider meets the policy",
    ),
    (
        "review_some_fail",
        "au moins un fournisseur ne respecte pas la politique",
        "at least one provider fails the policy",
    ),
    (
        "review_explain",
        "Les verdicts reposent sur ce que chaque fournisseur a publié dans son transfers.json (sites, transferts, expositions, certificats, mesures, constats) ; « respectée » signifie qu'aucun élément publié ne contrevient à la règle.",
        "Verdicts come from what each provider published in its transfers.json (sites, transfers, exposures, certificates, measures, findings); “met” means no published item fails the rule.",
    ),
    ("review_summary", "Synthèse", "Summary"),
    (
        "review_summary_caption",
        "Verdict par fournisseur et par service",
        "Verdict per provider and service",
    ),
    ("review_provider", "Fournisseur", "Provider"),
    ("review_service", "Service", "Service"),
    ("review_verdict", "Verdict", "Verdict"),
    (
        "review_rules_not_met",
        "Règles non respectées",
        "Rules not met",
    ),
    (
        "review_service_met",
        "respecte toutes les règles",
        "meets every rule",
    ),
    ("review_meets", "respecte la politique", "meets the policy"),
    (
        "review_fails",
        "ne respecte pas la politique",
        "fails the policy",
    ),
    ("review_rules_applied", "Règles appliquées", "Rules applied"),
    (
        "review_rules_caption",
        "Règles de la politique",
        "Rules of the policy",
    ),
    ("review_rule", "Règle", "Rule"),
    ("review_requirement", "Exigence", "Requirement"),
    ("review_file", "Fichier", "File"),
    ("review_legal_entity", "Entité juridique", "Legal entity"),
    ("review_version", "Version", "Version"),
    ("review_published", "Publiée le", "Published"),
    (
        "review_facts_as_of",
        "faits juridiques au",
        "legal facts as of",
    ),
    (
        "review_provider_chain",
        "Chaîne de fournisseurs",
        "Provider chain",
    ),
    ("review_reason", "Motif", "Reason"),
    (
        "review_measures",
        "Mesures du fournisseur et risque résiduel",
        "Provider’s measures and residual risk",
    ),
    ("review_met", "respectée", "met"),
    ("review_not_met", "non respectée", "not met"),
    ("review_laws", "Lois :", "Laws:"),
    ("review_residual", "résiduel", "residual"),
    ("review_none_declared", "aucune déclarée", "none declared"),
    ("review_written_by", "Produit par", "Written by"),
    ("review_colon", "\u{a0}:", ":"),
    ("review_kind_technical", "technique", "technical"),
    ("review_kind_contractual", "contractuelle", "contractual"),
    (
        "review_kind_organisational",
        "organisationnelle",
        "organisational",
    ),
    ("review_kind_unknown", "inconnue", "unknown"),
    ("review_kind_site", "site", "site"),
    ("review_kind_transfer", "transfert", "transfer"),
    ("review_kind_exposure", "exposition", "exposure"),
    ("review_kind_entity", "entité", "entity"),
    ("review_kind_finding", "constat", "finding"),
    ("review_level_low", "faible", "low"),
    ("review_level_medium", "moyen", "medium"),
    ("review_level_high", "élevé", "high"),
    ("review_level_unknown", "inconnu", "unknown"),
];

/// The string `key` in `lang`; `??` when missing (a defect the tests catch).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    // The table indexed once: `tr` runs for every word of every change.
    static INDEX: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    let index = INDEX.get_or_init(|| STRINGS.iter().map(|(k, fr, en)| (*k, (*fr, *en))).collect());
    match index.get(key) {
        Some((fr, _)) if lang.is_fr() => fr,
        Some((_, en)) => en,
        // Static table: a missing key is a programming error, shown visibly.
        None => "??",
    }
}

/// The whole table for a language, for templates (`t.key`).
pub fn table(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|(k, fr, en)| (*k, if lang.is_fr() { *fr } else { *en }))
        .collect()
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `15 novembre 2026` / `15 November 2026` (`1er mars 2026` in French).
pub fn format_date(d: Date, lang: Lang) -> String {
    let m = usize::try_from(d.month()).unwrap_or(1).clamp(1, 12) - 1;
    match lang {
        Lang::Fr if d.day() == 1 => format!("1er {} {}", MONTHS_FR[m], d.year()),
        Lang::Fr => format!("{} {} {}", d.day(), MONTHS_FR[m], d.year()),
        Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
    }
}

pub fn yes_no(b: bool, lang: Lang) -> &'static str {
    tr(lang, if b { "yes" } else { "no" })
}

/// The one slug of the crate: lower-case ASCII letters and digits joined by
/// single `-`, common Latin accents folded ("Clés détenues en France" →
/// "cles-detenues-en-france"); for heading anchors and ids built from text.
/// Empty when `s` has no letter or digit.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Strip the common Latin accents.
fn fold(c: char) -> Vec<char> {
    let s = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'ó' | 'õ' | 'Ô' | 'Ö' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        _ => return vec![c],
    };
    s.chars().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_filled() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, fr, en) in STRINGS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!fr.is_empty() && !en.is_empty(), "empty string for {k}");
        }
    }

    #[test]
    fn dates() {
        let d = jiff::civil::date(2026, 11, 15);
        assert_eq!(format_date(d, Lang::Fr), "15 novembre 2026");
        assert_eq!(format_date(d, Lang::En), "15 November 2026");
        let d = jiff::civil::date(2026, 3, 1);
        assert_eq!(format_date(d, Lang::Fr), "1er mars 2026");
    }
}
