//! The words for the enums of `model` and `analysis` (site roles, flow kinds,
//! data categories, severities, transfer bases…): each value's key in the one
//! string table of [`crate::i18n`]. Sits above `model` and `analysis` and below
//! `publication` and `render`, so that `i18n` imports nothing from the crate.

use crate::analysis::{ActorRole, BasisStatus, Exi31Form, HdsStatus, Severity, TransferKind};
use crate::i18n::{Lang, tr};
use crate::model::{Basis, DataCategory, FlowKind, MeasureKind, RiskLevel, SiteRole};
use crate::verify::Verdict;

pub fn form(f: Exi31Form, lang: Lang) -> &'static str {
    tr(
        lang,
        match f {
            Exi31Form::Secnumcloud => "form_secnumcloud",
            Exi31Form::NoTransfer => "form_no_transfer",
            Exi31Form::Table => "form_table",
        },
    )
}

/// What GeoIP says of a declared range (`sovmap verify`'s table).
pub fn verdict(v: Verdict, lang: Lang) -> &'static str {
    tr(
        lang,
        match v {
            Verdict::Agrees => "label_verdict_agrees",
            Verdict::ElsewhereInEea => "label_verdict_elsewhere_in_eea",
            Verdict::Contradicts => "label_verdict_contradicts",
            Verdict::AnnexWrong => "label_verdict_annex_wrong",
            Verdict::NoData => "label_verdict_no_data",
            Verdict::NotCovered => "label_verdict_not_covered",
        },
    )
}

/// A site's role as the map's marker titles say it ("Data site (backup)").
pub fn map_site_role(r: SiteRole, lang: Lang) -> &'static str {
    tr(
        lang,
        match r {
            SiteRole::Primary => "map_site_role_primary",
            SiteRole::Replica => "map_site_role_replica",
            SiteRole::Backup => "map_site_role_backup",
            SiteRole::DisasterRecovery => "map_site_role_disaster_recovery",
            SiteRole::Office => "map_site_role_office",
        },
    )
}

pub fn role(r: ActorRole, lang: Lang) -> &'static str {
    tr(
        lang,
        match r {
            ActorRole::Host => "role_host",
            ActorRole::Subcontractor => "role_subcontractor",
            ActorRole::Publisher => "role_publisher",
        },
    )
}

pub fn hds_status(h: HdsStatus, lang: Lang) -> &'static str {
    tr(
        lang,
        match h {
            HdsStatus::Certified => "yes",
            HdsStatus::Exempted => "exempted",
            HdsStatus::No => "no",
            HdsStatus::Unconfirmed => "hds_unconfirmed",
            HdsStatus::NotApplicable => "hds_not_applicable",
        },
    )
}

pub fn severity(s: Severity, lang: Lang) -> &'static str {
    tr(
        lang,
        match s {
            Severity::Error => "severity_error",
            Severity::Warning => "severity_warning",
            Severity::Notice => "severity_notice",
        },
    )
}

pub fn transfer_kind(k: TransferKind, lang: Lang) -> &'static str {
    tr(
        lang,
        match k {
            TransferKind::Flow => "flow",
            TransferKind::RemoteAccess => "remote_access",
        },
    )
}

pub fn site_role(r: SiteRole, lang: Lang) -> &'static str {
    tr(
        lang,
        match r {
            SiteRole::Primary => "label_site_role_primary",
            SiteRole::Replica => "label_site_role_replica",
            SiteRole::Backup => "label_site_role_backup",
            SiteRole::DisasterRecovery => "label_site_role_disaster_recovery",
            SiteRole::Office => "label_site_role_office",
        },
    )
}

pub fn flow_kind(k: FlowKind, lang: Lang) -> &'static str {
    tr(
        lang,
        match k {
            FlowKind::Storage => "label_flow_kind_storage",
            FlowKind::Replication => "label_flow_kind_replication",
            FlowKind::Backup => "label_flow_kind_backup",
            FlowKind::Processing => "label_flow_kind_processing",
            FlowKind::RemoteAdministration => "label_flow_kind_remote_administration",
            FlowKind::SupportAccess => "label_flow_kind_support_access",
            FlowKind::Telemetry => "label_flow_kind_telemetry",
        },
    )
}

pub fn data_category(c: DataCategory, lang: Lang) -> &'static str {
    tr(
        lang,
        match c {
            DataCategory::Health => "label_data_health",
            DataCategory::HealthPseudonymised => "label_data_health_pseudonymised",
            DataCategory::HealthEncrypted => "label_data_health_encrypted",
            DataCategory::Personal => "label_data_personal",
            DataCategory::Metadata => "label_data_metadata",
            DataCategory::Anonymous => "label_data_anonymous",
            DataCategory::Payment => "label_data_payment",
            DataCategory::EncryptionKeys => "label_data_encryption_keys",
            DataCategory::Pseudonymised => "label_data_pseudonymised",
        },
    )
}

pub fn measure_kind(k: MeasureKind, lang: Lang) -> &'static str {
    tr(
        lang,
        match k {
            MeasureKind::Technical => "label_measure_kind_technical",
            MeasureKind::Contractual => "label_measure_kind_contractual",
            MeasureKind::Organisational => "label_measure_kind_organisational",
        },
    )
}

pub fn risk_level(r: RiskLevel, lang: Lang) -> &'static str {
    tr(
        lang,
        match r {
            RiskLevel::None => "label_risk_level_none",
            RiskLevel::Negligible => "label_risk_level_negligible",
            RiskLevel::Low => "label_risk_level_low",
            RiskLevel::Medium => "label_risk_level_medium",
            RiskLevel::High => "label_risk_level_high",
        },
    )
}

pub fn basis_status(s: BasisStatus, lang: Lang) -> &'static str {
    tr(
        lang,
        match s {
            BasisStatus::Adequacy => "label_basis_status_adequacy",
            BasisStatus::Safeguard => "label_basis_status_safeguard",
            BasisStatus::Derogation => "label_basis_status_derogation",
            BasisStatus::Missing => "label_basis_status_missing",
            BasisStatus::Unstated => "label_basis_status_unstated",
        },
    )
}

/// The declared basis, in words (the same wording as the findings).
pub fn basis(b: &Basis, lang: Lang) -> String {
    crate::analysis::basis_label(b, if lang.is_fr() { "fr" } else { "en" })
}

/// How an exposed actor is of the exposing country itself, as a key of
/// [`tr`]: "incorporated there" for a company, "people residing there" for
/// a person or team, and for a country the document does not name "its own
/// country, not stated" — never "incorporated there".
pub fn own_country_key(p: &crate::model::Project, x: &crate::analysis::Exposure) -> &'static str {
    if crate::unknown::place(&x.country).is_region() {
        "own_country_unstated"
    } else if p
        .entities
        .get(&x.through)
        .is_some_and(|e| e.facts.kind.is_people())
    {
        "resident"
    } else {
        "incorporated"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of the enums with a list of their values has words in
    /// both languages (a missing key shows as `??`).
    #[test]
    fn every_value_has_words() {
        for l in [Lang::Fr, Lang::En] {
            let mut said: Vec<&str> = Vec::new();
            said.extend(SiteRole::ALL.iter().map(|(_, v)| site_role(*v, l)));
            said.extend(FlowKind::ALL.iter().map(|(_, v)| flow_kind(*v, l)));
            said.extend(DataCategory::ALL.iter().map(|(_, v)| data_category(*v, l)));
            said.extend(MeasureKind::ALL.iter().map(|(_, v)| measure_kind(*v, l)));
            said.extend(RiskLevel::ALL.iter().map(|(_, v)| risk_level(*v, l)));
            assert!(said.len() == 29 && !said.contains(&"??"), "{said:?}");
        }
        assert_eq!(
            site_role(SiteRole::Office, Lang::Fr),
            "bureau (pas de stockage)"
        );
        assert_eq!(
            basis_status(BasisStatus::Unstated, Lang::En),
            "basis not stated (to confirm)"
        );
    }
}
