//! Findings: what the law says about the declarations, one statement each.

use serde::Serialize;

use crate::diag::Loc;

/// How serious a finding is. Ordered: `Notice < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be disclosed (EXI 29/30 information), not a problem in itself.
    Notice,
    /// Probably wrong or soon wrong; a human must look.
    Warning,
    /// A non-conformity: the map cannot be published as is.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "notice" => Some(Severity::Notice),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Subject {
    Entity(String),
    Site(String),
    Service(String),
    Flow(String),
    Access(String),
    Measure(String),
    Reference(String),
}

impl Subject {
    pub fn describe(&self) -> String {
        match self {
            Subject::Entity(i) => format!("entity {i}"),
            Subject::Site(i) => format!("site {i}"),
            Subject::Service(i) => format!("service {i}"),
            Subject::Flow(i) => format!("flow {i}"),
            Subject::Access(i) => format!("access {i}"),
            Subject::Measure(i) => format!("measure {i}"),
            Subject::Reference(i) => format!("reference {i}"),
        }
    }
}

/// One finding: a stable code, a severity, the subject, the countries and
/// laws involved, the rule applied, and an explanation in English and French.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `EXI28-STORAGE-OUTSIDE-EEA`; documented in the README.
    pub code: &'static str,
    pub severity: Severity,
    /// The rule applied ("HDS EXI 28", "GDPR Art. 44–46").
    pub rule: &'static str,
    pub subject: Subject,
    /// Services concerned (empty: the provider as a whole).
    pub services: Vec<String>,
    pub countries: Vec<String>,
    /// Ids of laws of the reference data.
    pub laws: Vec<String>,
    pub message_en: String,
    pub message_fr: String,
    /// What to do, in English (for the person running `check`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A question to put to the provider: the document does not say, and
    /// the finding judges the unknown at its worst plausible value
    /// (`CONFIRM-…` codes; the message says what is unknown, why it matters
    /// and what to ask).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub to_confirm: bool,
    /// Where the subject was declared (resolved to file:line in outputs).
    #[serde(skip)]
    pub loc: Loc,
}

impl Finding {
    pub fn new(
        code: &'static str,
        severity: Severity,
        rule: &'static str,
        subject: Subject,
        message_en: String,
        message_fr: String,
    ) -> Finding {
        Finding {
            code,
            severity,
            rule,
            subject,
            services: Vec::new(),
            countries: Vec::new(),
            laws: Vec::new(),
            message_en,
            message_fr,
            hint: None,
            to_confirm: false,
            loc: Loc::default(),
        }
    }

    pub fn services(mut self, mut s: Vec<String>) -> Self {
        s.sort();
        s.dedup();
        self.services = s;
        self
    }

    pub fn countries(mut self, mut c: Vec<String>) -> Self {
        c.sort();
        c.dedup();
        self.countries = c;
        self
    }

    pub fn laws(mut self, mut l: Vec<String>) -> Self {
        l.sort();
        l.dedup();
        self.laws = l;
        self
    }

    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }

    /// Mark as a question to confirm with the provider.
    pub fn to_confirm(mut self) -> Self {
        self.to_confirm = true;
        self
    }

    pub fn at(mut self, loc: &Loc) -> Self {
        self.loc = loc.clone();
        self
    }
}

/// Sort for stable output: most severe first, then code, then subject.
pub fn sort(findings: &mut [Finding]) {
    // Borrowed keys: comparing must not copy the strings it compares.
    fn key(f: &Finding) -> (std::cmp::Reverse<Severity>, &str, &Subject, &[String], &str) {
        (
            std::cmp::Reverse(f.severity),
            f.code,
            &f.subject,
            &f.services,
            &f.message_en,
        )
    }
    findings.sort_by(|a, b| key(a).cmp(&key(b)));
}
