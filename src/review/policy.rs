//! The customer's policy file read by `sovmap review` (TOML).
//!
//! Every key is optional and a rule is applied only when its key is present,
//! so that a policy states exactly what the customer requires; the report
//! lists the rules applied. Unknown keys and wrong values are errors with
//! file, line and column (the project's diagnostics), all reported at once.
//!
//! ```toml
//! name = "CHU Exemple — hosting policy"
//!
//! [adequacy]
//! accept_partial = false        # DPF-style partial decisions count as adequacy?
//!
//! [storage]
//! outside_eea = false           # storage outside the EEA allowed?
//! countries = ["FR", "DE"]      # storage only in these countries
//!
//! [remote_access]
//! outside_eea = true            # remote access from outside the EEA allowed?
//! non_adequate = false          # … from a country without adequacy allowed?
//!
//! [transfers]                   # other flows leaving the EEA (processing, telemetry)
//! outside_eea = true
//! non_adequate = false
//!
//! [exposure]
//! refused_laws = ["US-CLOUD", "US-FISA702"]
//! refused_countries = ["CN", "RU"]
//!
//! [measures]
//! required = true               # every exposure and non-adequate transfer has measures
//! max_residual = "medium"       # low | medium | high
//!
//! [hds]
//! activities = [1, 2, 3, 4, 5, 6]   # who performs these must be HDS certified or exempted
//!
//! [findings]
//! refuse = "error"              # the provider's own findings at or above: error | warning | notice
//! ```

use std::path::Path;

use serde::Serialize;
use toml::de::DeTable;

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceFile};
use crate::load::reader::{Ctx, DiagExt, Fields, Sp};
use crate::publication::{RiskLevel, Severity};
use crate::reference::{CountryLookup, Reference};

/// A customer's policy, as read from its file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Policy {
    /// Display name (`name = …`), else the file name.
    pub name: String,
    /// The file as given on the command line.
    pub file: String,
    pub accept_partial_adequacy: bool,
    pub storage_outside_eea: Option<bool>,
    pub storage_countries: Option<Vec<String>>,
    pub access_outside_eea: Option<bool>,
    pub access_non_adequate: Option<bool>,
    pub transfers_outside_eea: Option<bool>,
    pub transfers_non_adequate: Option<bool>,
    pub refused_laws: Vec<String>,
    pub refused_countries: Vec<String>,
    pub measures_required: bool,
    pub max_residual: Option<RiskLevel>,
    pub hds_activities: Vec<u8>,
    pub refuse_findings: Option<Severity>,
}

/// Keys of each table, for unknown-key errors and the README.
const TOP: [&str; 9] = [
    "name",
    "adequacy",
    "storage",
    "remote_access",
    "transfers",
    "exposure",
    "measures",
    "hds",
    "findings",
];

/// Read and validate a policy file. On any problem, returns the diagnostics
/// (with the file added, for quoting).
pub fn read(path: &Path, reference: &Reference) -> Result<Policy, Diagnostics> {
    let mut diags = Diagnostics::default();
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "read-failed",
                    Loc::default(),
                    format!("{name}: cannot read the policy file: {e}"),
                )
                .with_help("give the path of a policy file (TOML); see the README, section \"Reviewing providers\""),
            );
            return Err(diags);
        }
    };
    let file = diags.add_file(SourceFile::new(name.clone(), path, text.clone()));
    let mut ctx = Ctx {
        file,
        offset: 0,
        diags: &mut diags,
        syntax: Vec::new(),
    };
    let (doc, errors) = DeTable::parse_recoverable(&text);
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        ctx.syntax.push(span.clone());
        ctx.error(
            "toml-syntax",
            span,
            format!("TOML syntax error: {}", e.message().trim()),
        )
        .with_help_mut("check quotes around text, `=` between key and value, and [brackets] around table names");
    }
    let doc = doc.into_inner();
    let mut p = Policy {
        file: name.clone(),
        ..Policy::default()
    };
    let mut f = Fields::new(&doc, 0..1, "the policy file");
    p.name = f.opt_str(&mut ctx, "name").map(|s| s.value).unwrap_or(name);

    if let Some((t, span)) = f.opt_table(&mut ctx, "adequacy") {
        let mut s = Fields::new(t, span, "[adequacy]");
        p.accept_partial_adequacy = s.opt_bool(&mut ctx, "accept_partial").unwrap_or(false);
        s.finish(&mut ctx, &["accept_partial"]);
    }
    if let Some((t, span)) = f.opt_table(&mut ctx, "storage") {
        let mut s = Fields::new(t, span, "[storage]");
        p.storage_outside_eea = s.opt_bool(&mut ctx, "outside_eea");
        if s.raw("countries").is_some() {
            let list = s.str_list(&mut ctx, "countries");
            p.storage_countries = Some(countries(&mut ctx, reference, list));
        }
        s.finish(&mut ctx, &["outside_eea", "countries"]);
    }
    for (key, what) in [
        ("remote_access", "[remote_access]"),
        ("transfers", "[transfers]"),
    ] {
        if let Some((t, span)) = f.opt_table(&mut ctx, key) {
            let mut s = Fields::new(t, span, what);
            let outside = s.opt_bool(&mut ctx, "outside_eea");
            let non_adequate = s.opt_bool(&mut ctx, "non_adequate");
            s.finish(&mut ctx, &["outside_eea", "non_adequate"]);
            if key == "remote_access" {
                (p.access_outside_eea, p.access_non_adequate) = (outside, non_adequate);
            } else {
                (p.transfers_outside_eea, p.transfers_non_adequate) = (outside, non_adequate);
            }
        }
    }
    if let Some((t, span)) = f.opt_table(&mut ctx, "exposure") {
        let mut s = Fields::new(t, span, "[exposure]");
        for l in s.str_list(&mut ctx, "refused_laws") {
            if reference.law(&l.value).is_some() {
                p.refused_laws.push(l.value);
            } else {
                let known: Vec<&str> = reference.laws.iter().map(|l| l.id.as_str()).collect();
                let hint = match crate::load::reader::suggest(&l.value, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? Known laws: {}", known.join(", ")),
                    None => format!("known laws: {}", known.join(", ")),
                };
                ctx.error(
                    "unknown-law",
                    l.span.clone(),
                    format!("`{}` is not a law of sovmap's reference data", l.value),
                )
                .with_help_mut(hint);
            }
        }
        let list = s.str_list(&mut ctx, "refused_countries");
        p.refused_countries = countries(&mut ctx, reference, list);
        s.finish(&mut ctx, &["refused_laws", "refused_countries"]);
    }
    if let Some((t, span)) = f.opt_table(&mut ctx, "measures") {
        let mut s = Fields::new(t, span, "[measures]");
        p.measures_required = s.opt_bool(&mut ctx, "required").unwrap_or(false);
        if let Some(v) = s.opt_str(&mut ctx, "max_residual") {
            p.max_residual = match v.value.as_str() {
                "low" => Some(RiskLevel::Low),
                "medium" => Some(RiskLevel::Medium),
                "high" => Some(RiskLevel::High),
                _ => {
                    bad_value(&mut ctx, &v, "max_residual", "low, medium, high");
                    None
                }
            };
        }
        s.finish(&mut ctx, &["required", "max_residual"]);
    }
    if let Some((t, span)) = f.opt_table(&mut ctx, "hds") {
        let mut s = Fields::new(t, span, "[hds]");
        for n in s.int_list(&mut ctx, "activities").unwrap_or_default() {
            if crate::model::is_hds_activity(n.value) {
                p.hds_activities.push(n.value as u8);
            } else {
                ctx.error(
                    "bad-activity",
                    n.span.clone(),
                    format!("{} is not an HDS activity", n.value),
                )
                .with_help_mut("HDS activities are numbered 1 to 6 (art. R.1111-9 CSP)");
            }
        }
        p.hds_activities.sort();
        p.hds_activities.dedup();
        s.finish(&mut ctx, &["activities"]);
    }
    if let Some((t, span)) = f.opt_table(&mut ctx, "findings") {
        let mut s = Fields::new(t, span, "[findings]");
        if let Some(v) = s.opt_str(&mut ctx, "refuse") {
            p.refuse_findings = match v.value.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "notice" => Some(Severity::Notice),
                _ => {
                    bad_value(&mut ctx, &v, "refuse", "error, warning, notice");
                    None
                }
            };
        }
        s.finish(&mut ctx, &["refuse"]);
    }
    f.finish(&mut ctx, &TOP);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(p)
    }
}

fn bad_value(ctx: &mut Ctx, v: &Sp<String>, key: &str, allowed: &str) {
    ctx.error(
        "bad-value",
        v.span.clone(),
        format!("`{}` is not a valid `{key}`", v.value),
    )
    .with_help_mut(format!("allowed values: {allowed}"));
}

fn countries(ctx: &mut Ctx, reference: &Reference, list: Vec<Sp<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for c in list {
        match reference.lookup_country(&c.value) {
            CountryLookup::Found { code, .. } => out.push(code),
            _ => {
                ctx.error(
                    "unknown-country",
                    c.span.clone(),
                    format!("`{}` is not an ISO 3166-1 alpha-2 country code", c.value),
                )
                .with_help_mut("write the two-letter ISO code, e.g. `FR`, `DE`, `US`");
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Policy, Diagnostics> {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("policy.toml");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        read(&path, Reference::embedded())
    }

    #[test]
    fn an_empty_policy_applies_no_rule_and_keys_are_read() {
        let p = read_text("").unwrap_or_else(|_| panic!("empty policy reads"));
        assert_eq!(p.storage_outside_eea, None);
        assert!(!p.accept_partial_adequacy && !p.measures_required);
        let p = read_text(
            "name = \"P\"\n[storage]\noutside_eea = false\ncountries = [\"fr\", \"DE\"]\n[exposure]\nrefused_laws = [\"US-CLOUD\"]\nrefused_countries = [\"CN\"]\n[measures]\nmax_residual = \"low\"\n[hds]\nactivities = [6, 1, 1]\n[findings]\nrefuse = \"warning\"\n",
        )
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
        assert_eq!(p.name, "P");
        assert_eq!(p.storage_outside_eea, Some(false));
        assert_eq!(
            p.storage_countries,
            Some(vec!["DE".to_string(), "FR".to_string()])
        );
        assert_eq!(p.refused_laws, ["US-CLOUD"]);
        assert_eq!(p.refused_countries, ["CN"]);
        assert_eq!(p.max_residual, Some(RiskLevel::Low));
        assert_eq!(p.hds_activities, [1, 6]);
        assert_eq!(p.refuse_findings, Some(Severity::Warning));
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let d = read_text(
            "nmae = \"x\"\n[storage]\noutside_eea = \"no\"\n[exposure]\nrefused_laws = [\"US-CLOUDY\"]\nrefused_countries = [\"USA\"]\n[hds]\nactivities = [7]\n",
        )
        .err()
        .unwrap_or_else(|| panic!("refused"));
        let codes: Vec<String> = d
            .resolved()
            .iter()
            .map(|r| {
                let code = r.code.rsplit("::").next().unwrap_or_default();
                format!("{code}@{}", r.line.unwrap_or(0))
            })
            .collect();
        for expected in [
            ("unknown-key", 1),
            ("wrong-type", 3),
            ("unknown-law", 5),
            ("unknown-country", 6),
            ("bad-activity", 8),
        ] {
            let key = format!("{}@{}", expected.0, expected.1);
            assert!(codes.contains(&key), "{key} in {codes:?}");
        }
        let text = d.render(false);
        assert!(text.contains("did you mean `name`?"), "{text}");
        assert!(text.contains("did you mean `US-CLOUD`?"), "{text}");
    }

    #[test]
    fn a_missing_file_is_named() {
        let d = read(Path::new("/nonexistent/policy.toml"), Reference::embedded())
            .err()
            .unwrap_or_else(|| panic!("refused"));
        assert!(
            d.render(false)
                .contains("/nonexistent/policy.toml: cannot read the policy file")
        );
    }
}
