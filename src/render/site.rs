//! The static website: view models computed from the analysis, rendered with
//! tera templates (the default theme is compiled in; a project's `templates/`
//! and `themes/<name>/templates/` shadow files of the same name).
//!
//! Rendering shows what the analysis decided and never re-derives a legal
//! conclusion. Everything is computed in memory, sorted, without the clock:
//! the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

mod split;
mod summary;

use super::markdown;
use crate::i18n::{self, Lang, tr};
use crate::labels;
#[path = "sheets.rs"]
mod sheets;
use super::write::SiteFiles;
use crate::Checked;
use crate::analysis::{
    ActorRow, AdequacyStatus, BasisStatus, Exi31Form, Exposure, Transfer, TransferKind,
};
use crate::model::{Entity, HdsCertificate, MeasureTarget, NodeRef, Site, english_key};

/// The default theme, compiled into the binary.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "actor.html",
        include_str!("../../themes/default/templates/actor.html"),
    ),
    (
        "service.html",
        include_str!("../../themes/default/templates/service.html"),
    ),
    (
        "measure.html",
        include_str!("../../themes/default/templates/measure.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "annex.html",
        include_str!("../../themes/default/templates/annex.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "flows.html",
        include_str!("../../themes/default/templates/flows.html"),
    ),
    (
        "changes.html",
        include_str!("../../themes/default/templates/changes.html"),
    ),
    (
        "partials/actors_table.html",
        include_str!("../../themes/default/templates/partials/actors_table.html"),
    ),
    (
        "partials/risk_table.html",
        include_str!("../../themes/default/templates/partials/risk_table.html"),
    ),
    (
        "partials/transfers_table.html",
        include_str!("../../themes/default/templates/partials/transfers_table.html"),
    ),
    (
        "partials/sites_table.html",
        include_str!("../../themes/default/templates/partials/sites_table.html"),
    ),
    (
        "partials/statement.html",
        include_str!("../../themes/default/templates/partials/statement.html"),
    ),
    (
        "partials/flows_table.html",
        include_str!("../../themes/default/templates/partials/flows_table.html"),
    ),
    (
        "partials/access_table.html",
        include_str!("../../themes/default/templates/partials/access_table.html"),
    ),
    (
        "partials/flow_row.html",
        include_str!("../../themes/default/templates/partials/flow_row.html"),
    ),
    (
        "partials/access_row.html",
        include_str!("../../themes/default/templates/partials/access_row.html"),
    ),
    (
        "partials/transfer_row.html",
        include_str!("../../themes/default/templates/partials/transfer_row.html"),
    ),
    (
        "partials/risk_row.html",
        include_str!("../../themes/default/templates/partials/risk_row.html"),
    ),
    (
        "partials/cert.html",
        include_str!("../../themes/default/templates/partials/cert.html"),
    ),
    (
        "partials/findings.html",
        include_str!("../../themes/default/templates/partials/findings.html"),
    ),
    (
        "partials/notes.html",
        include_str!("../../themes/default/templates/partials/notes.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../themes/default/templates/partials/pager.html"),
    ),
    (
        "partials/directory.html",
        include_str!("../../themes/default/templates/partials/directory.html"),
    ),
    (
        "partials/map_rows.html",
        include_str!("../../themes/default/templates/partials/map_rows.html"),
    ),
    (
        "partials/services_table.html",
        include_str!("../../themes/default/templates/partials/services_table.html"),
    ),
    (
        "partials/annex_list.html",
        include_str!("../../themes/default/templates/partials/annex_list.html"),
    ),
    (
        "list.html",
        include_str!("../../themes/default/templates/list.html"),
    ),
];

/// The default stylesheet, written to `static/style.css`.
pub const DEFAULT_CSS: &str = include_str!("../../themes/default/static/style.css");

const GENERATOR: &str = concat!("sovmap ", env!("CARGO_PKG_VERSION"));

/// Why the site could not be rendered (a template problem: exit 2).
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn tera_error(what: &str, e: &tera::Error) -> RenderError {
    let mut msg = format!("{what}: {e}");
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(&format!("\n  caused by: {s}"));
        src = s.source();
    }
    RenderError(msg)
}

/// Load the templates: the compiled-in default theme, then
/// `themes/<theme>/templates/` when `theme` is set, then the project's
/// `templates/`; a later file shadows an earlier one of the same name.
pub fn load_templates(root: &Path, theme: Option<&str>) -> Result<Tera, RenderError> {
    let mut all: BTreeMap<String, String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
        .collect();
    let mut dirs = Vec::new();
    if let Some(t) = theme {
        if t.is_empty() || t.contains(['/', '\\']) || t.starts_with('.') {
            return Err(RenderError(format!(
                "theme `{t}` is not a folder name under themes/"
            )));
        }
        dirs.push(root.join("themes").join(t).join("templates"));
    }
    dirs.push(root.join("templates"));
    for dir in dirs {
        for (name, path) in files_under(root, &dir) {
            if !name.ends_with(".html") {
                continue;
            }
            let shown = crate::diag::display_path(root, &path);
            let text = crate::safefs::read_inside(root, &path)
                .map_err(|e| e.message_and_help(&shown, root).0)
                .and_then(|b| String::from_utf8(b).map_err(|e| format!("{shown}: {e}")))
                .map_err(|e| RenderError(format!("cannot read template: {e}")))?;
            all.insert(name, text);
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(all.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| tera_error("the templates do not compile", &e))?;
    Ok(tera)
}

/// The escaping of tera's default (`&`, `<`, `>`, `"`, `'`), byte for byte,
/// but writing the text between two special characters at once: tera's
/// writes one byte per call, which was about 15 % of a large build's time.
/// Text without special characters (most names, ids and sentences) is
/// skipped eight bytes at a time.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !has_html_special(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        // Control and bidirectional characters from the files become U+FFFD
        // (crate::visible): tab, newline and carriage return are white space.
        const REPLACEMENT: &[u8] = "\u{fffd}".as_bytes();
        let (entity, len): (&[u8], usize) = match bytes[i] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'"' => (b"&quot;", 1),
            b'\'' => (b"&#39;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            0..0x20 | 0x7f => (REPLACEMENT, 1),
            // Lead bytes (never inside a character): `i` is a boundary.
            0xc2 | 0xd8 | 0xe2 => match input.get(i..).and_then(|s| s.chars().next()) {
                Some(c) if crate::visible::is_unsafe(c) => (REPLACEMENT, c.len_utf8()),
                _ => {
                    i += 1;
                    continue;
                }
            },
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        i += len;
        start = i;
    }
    out.write_all(&bytes[start..])
}

/// Whether any of the eight bytes of `w` is `&`, `<`, `>`, `"` or `'`
/// (the classic "has zero byte" test on `w` xor each repeated character;
/// it can report a false positive only next to a true match, which the
/// byte-by-byte path then sorts out).
fn has_html_special(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    // Bytes below 0x20 (control characters), and DEL and the lead bytes of
    // the C1 and bidirectional controls (see escape_html).
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    let any = below_space
        | zero(w ^ (ONES * 0x7f))
        | zero(w ^ (ONES * 0xc2))
        | zero(w ^ (ONES * 0xd8))
        | zero(w ^ (ONES * 0xe2))
        | zero(w ^ (ONES * u64::from(b'&')))
        | zero(w ^ (ONES * u64::from(b'<')))
        | zero(w ^ (ONES * u64::from(b'>')))
        | zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\'')));
    any != 0
}

/// Files under `dir`, recursively, as (relative name with `/`, path), sorted:
/// regular files, and links to regular files inside the project (the loader
/// reported every other entry: src/safefs.rs).
fn files_under(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    if crate::safefs::resolve_inside(root, dir).is_err() {
        return Vec::new();
    }
    let (files, _) = crate::safefs::walk(root, dir, &|n| n.starts_with('.'));
    let mut out: Vec<(String, PathBuf)> = files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(dir).ok()?;
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some((name.join("/"), p))
        })
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------------------
// View models (everything a template prints is a string computed here).
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
struct Link {
    href: String,
    text: String,
}

/// A link whose text is the provider's own (a measure's title): `fr` when
/// it is the French original on an English page (no `title_en`), which the
/// templates mark `lang="fr"` and "French original".
#[derive(Serialize)]
struct OwnLink {
    href: String,
    text: String,
    fr: bool,
}

/// The provider's own text and whether it is the French original on an
/// English page (see `OwnLink`).
#[derive(Serialize)]
struct OwnText {
    text: String,
    fr: bool,
}

#[derive(Serialize)]
struct NavItem {
    href: String,
    text: String,
    current: bool,
    /// A free page's French title on an English page (marked `lang="fr"`).
    fr: bool,
}

#[derive(Serialize)]
struct PageMeta {
    lang: &'static str,
    title: String,
    /// Prefix to the site root ("", "../", "../../").
    base: String,
    css: String,
    translation: Option<Translation>,
    nav: Vec<NavItem>,
    provider: String,
    version: String,
    valid_from: String,
    as_of: String,
    reference_compiled: String,
    /// Date of the latest source check of the legal facts.
    sources_up_to: String,
    generator: &'static str,
    home: String,
    /// This language's Atom feed (`<link rel="alternate">` in the head).
    feed: String,
    /// The credit the GeoIP database's licence asks for (DB-IP: a link on
    /// pages showing its results), when the site shows GeoIP evidence.
    geoip_credit: Option<Link>,
    /// This page in every language, itself included, then `x-default` (the
    /// first language): absolute when the site's address is known.
    alternates: Vec<Alternate>,
    /// The stylesheet inlined (404.html only: it is served at any depth and
    /// any address, so it loads nothing), and its CSP hash.
    inline_css: Option<String>,
    css_hash: Option<String>,
}

#[derive(Serialize)]
struct Alternate {
    /// A language code or `x-default`.
    lang: &'static str,
    href: String,
}

#[derive(Serialize)]
struct Translation {
    href: String,
    text: &'static str,
    lang: &'static str,
}

#[derive(Serialize)]
struct StatementV {
    text: String,
    /// The French regulatory wording, shown beside the translation on English pages.
    original_fr: Option<String>,
}

#[derive(Serialize)]
struct ActorRowV {
    id: String,
    name: Link,
    role: &'static str,
    hds: &'static str,
    secnumcloud: String,
    activities: Vec<String>,
    exi29: Vec<String>,
    exi30: Vec<Link>,
}

#[derive(Serialize)]
struct LawV {
    id: String,
    name: String,
    summary: String,
    /// The fact's status note (DPF appeal, FISA 702 lapse, renumbering) and
    /// its confidence when not verified, shown beside the law.
    note: Option<String>,
}

#[derive(Serialize)]
struct RiskRowV {
    anchor: String,
    id: String,
    entity: Link,
    country: String,
    how: String,
    adequacy: String,
    laws: Vec<LawV>,
    measures: Vec<OwnLink>,
    residual: Vec<OwnText>,
}

#[derive(Serialize)]
struct TransferV {
    anchor: String,
    id: String,
    kind: &'static str,
    /// The document says the data *may* go there (`possible = true`):
    /// analysed as a transfer, presented as possible.
    possible: bool,
    country: String,
    recipient: Link,
    purpose: String,
    /// `purpose` is the French original on an English page: the row marks
    /// it `lang="fr"` and "French original" (so do `safeguards_fr`,
    /// `description_fr` and those of [`AccessV`]).
    purpose_fr: bool,
    basis: String,
    basis_reference: Option<String>,
    /// The transfer impact assessment: reference, date, next review.
    tia: Option<String>,
    safeguards: Vec<String>,
    safeguards_fr: bool,
    data: String,
    measures: Vec<OwnLink>,
    services: Vec<Link>,
}

#[derive(Serialize)]
struct SiteV {
    anchor: String,
    id: String,
    name: String,
    city: String,
    country: String,
    operator: Link,
    role: &'static str,
    services: Vec<Link>,
    /// The data the declared flows bring to the site and their kinds
    /// ("technical metadata (telemetry)"), or that none is declared.
    data: String,
    /// GeoIP evidence, one line per declared range (empty when not verified).
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct FlowV {
    anchor: String,
    id: String,
    kind: &'static str,
    from: Link,
    to: Link,
    data: String,
    basis: Option<String>,
    description: Option<String>,
    description_fr: bool,
}

#[derive(Serialize)]
struct AccessV {
    anchor: String,
    id: String,
    name: String,
    /// The team's name is the French original (no `name_en`).
    name_fr: bool,
    team: Link,
    place: String,
    targets: Vec<Link>,
    purpose: String,
    purpose_fr: bool,
    safeguards: Vec<String>,
    safeguards_fr: bool,
    basis: Option<String>,
}

#[derive(Serialize)]
struct FindingV {
    severity: &'static str,
    severity_class: &'static str,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct CertV {
    activities: Vec<String>,
    issued: String,
    expires: String,
    certifier: String,
    number: Option<String>,
    referential: Option<String>,
}

#[derive(Serialize)]
struct SncV {
    version: String,
    offer: Option<String>,
    issued: Option<String>,
    expires: Option<String>,
}

#[derive(Serialize)]
struct SectionV {
    id: String,
    name: Link,
    form: &'static str,
    statement: Option<StatementV>,
    actors: Vec<ActorRowV>,
}

/// The scope of a partial adequacy decision, said once per page.
#[derive(Serialize)]
struct NoteV {
    anchor: String,
    title: String,
    text: String,
}

#[derive(Serialize)]
struct MapRowV {
    kind: String,
    label: String,
    country: String,
    in_eea: &'static str,
    status: String,
}

#[derive(Serialize)]
struct ActorSummaryV {
    link: Link,
    country: String,
    role: &'static str,
    hds: Option<CertV>,
    /// Said instead of "no HDS certificate declared" where that would read
    /// as a defect: the publisher of a platform's map does not host.
    hds_note: Option<&'static str>,
    exempted_under: Option<Link>,
    secnumcloud: Option<SncV>,
}

#[derive(Serialize)]
struct MitigatesV {
    kind: &'static str,
    link: Link,
    /// The link's text is the French original (a team name without `name_en`).
    fr: bool,
}

/// A numbered page of an annex: its path in the language folder, its
/// title and its body.
type AnnexPart = (String, String, String);

#[derive(Serialize)]
struct AnnexLinkV {
    link: Link,
    hash: String,
}

/// Ranges detailed in a site's or access path's evidence line.
const EVIDENCE_DETAILS: usize = 5;

/// One language of the site being rendered.
struct Ctx<'a> {
    c: &'a Checked,
    /// Lookups computed once per build.
    ix: &'a Index<'a>,
    lang: Lang,
    /// "" for the primary language, "en/" otherwise.
    prefix: String,
    /// Prefix from the current page to the site root.
    base: String,
}

impl<'a> Ctx<'a> {
    fn t(&self, key: &str) -> &'static str {
        tr(self.lang, key)
    }

    fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// Link to a page of this language, given its path inside the language root.
    fn href(&self, local: &str) -> String {
        format!("{}{}{}", self.base, self.prefix, local)
    }

    fn country(&self, code: &str) -> String {
        self.c.reference.country_name(code, self.code())
    }

    fn date(&self, d: jiff::civil::Date) -> String {
        i18n::format_date(d, self.lang)
    }

    fn entity_name(&self, id: &str) -> String {
        self.ix
            .entities
            .get(id)
            .map_or_else(|| id.to_string(), |e| e.legal_name.clone())
    }

    fn actor(&self, id: &str) -> Link {
        Link {
            href: self.href(&format!("actors/{id}.html")),
            text: self.entity_name(id),
        }
    }

    fn service(&self, id: &str) -> Link {
        Link {
            href: self.href(&format!("services/{id}.html")),
            text: self
                .ix
                .services
                .get(id)
                .map(|s| self.service_name(s))
                .unwrap_or_else(|| id.to_string()),
        }
    }

    /// A service's name in the page's language: its `name_en` on an English
    /// page when declared, else the name as written (a name, like a site's).
    fn service_name(&self, s: &crate::model::Service) -> String {
        match self.lang {
            Lang::En => self
                .c
                .project
                .english_of(&english_key::service_name(&s.id))
                .unwrap_or(&s.name)
                .to_string(),
            Lang::Fr => s.name.clone(),
        }
    }

    /// A link to a measure, titled in the page's language when the
    /// measure has `title_en` (else the French original, marked).
    fn measure(&self, id: &str) -> OwnLink {
        let href = self.href(&format!("measures/{id}.html"));
        match self.ix.measures.get(id) {
            Some(m) => {
                let (text, fr) = self.own_v(&m.title, &english_key::measure_title(id));
                OwnLink { href, text, fr }
            }
            None => OwnLink {
                href,
                text: id.to_string(),
                fr: false,
            },
        }
    }

    fn site(&self, id: &str) -> Link {
        Link {
            href: self.href(&format!("index.html#site-{id}")),
            text: self
                .ix
                .sites
                .get(id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| id.to_string()),
        }
    }

    fn node(&self, n: &NodeRef) -> Link {
        match n {
            NodeRef::Entity(e) => self.actor(e),
            NodeRef::Site(s) => self.site(s),
            NodeRef::Service(s) => self.service(s),
        }
    }

    fn activity(&self, n: u8) -> String {
        match self.c.reference.hds_activity(n) {
            Some(a) => format!(
                "{n}° {}",
                if self.lang.is_fr() {
                    &a.label_fr
                } else {
                    &a.label_en
                }
            ),
            None => format!("{n}°"),
        }
    }

    fn statement(&self, form: Exi31Form) -> Option<StatementV> {
        let s = match form {
            Exi31Form::Secnumcloud => &self.c.reference.statements.secnumcloud,
            Exi31Form::NoTransfer => &self.c.reference.statements.no_transfer,
            Exi31Form::Table => return None,
        };
        Some(StatementV {
            text: s.text(self.code()).to_string(),
            original_fr: (!self.lang.is_fr()).then(|| s.text_fr.clone()),
        })
    }

    fn adequacy_text(&self, a: &AdequacyStatus) -> String {
        let r = &self.c.reference;
        match a {
            AdequacyStatus::None => self.t("no_adequacy").to_string(),
            AdequacyStatus::Full { decision } => {
                let d = r.decision(decision);
                format!(
                    "{} : {}",
                    self.t("adequacy_decision"),
                    d.map(|d| format!("{} ({})", d.name_in(self.code()), d.decision))
                        .unwrap_or_else(|| decision.clone())
                )
            }
            AdequacyStatus::Partial {
                decision, in_scope, ..
            } => {
                let d = r.decision(decision);
                // The decision's scope is explained once, in the notes of
                // the page (see `adequacy_notes`), not in every cell.
                let scope = self.t("see_notes");
                format!(
                    "{} : {} — {} ({scope}) ; {}",
                    self.t("adequacy_decision"),
                    d.map(|d| format!("{} ({})", d.name_in(self.code()), d.decision))
                        .unwrap_or_else(|| decision.clone()),
                    self.t("partial_decision"),
                    self.t(if *in_scope {
                        "in_scope"
                    } else {
                        "out_of_scope"
                    })
                )
            }
        }
        .replace(" : ", if self.lang.is_fr() { " : " } else { ": " })
        .replace(" ; ", if self.lang.is_fr() { " ; " } else { "; " })
    }

    /// Why no decision covers a transfer, or the decision that does. An
    /// international organisation is not a country: "no adequacy decision
    /// covers this organisation" (issue 17, rule 9).
    fn transfer_adequacy_text(&self, t: &Transfer) -> String {
        if t.adequacy == AdequacyStatus::None && self.is_organisation(&t.recipient) {
            self.t("no_adequacy_organisation").to_string()
        } else {
            self.adequacy_text(&t.adequacy)
        }
    }

    fn is_organisation(&self, entity: &str) -> bool {
        self.c
            .project
            .entities
            .get(entity)
            .is_some_and(|e| e.is_international_organisation())
    }

    fn basis_text(&self, t: &Transfer) -> String {
        match t.basis_status {
            BasisStatus::Adequacy => self.transfer_adequacy_text(t),
            BasisStatus::Safeguard | BasisStatus::Derogation => {
                let declared = t
                    .basis
                    .as_ref()
                    .map(|b| labels::basis(b, self.lang))
                    .unwrap_or_else(|| labels::basis_status(t.basis_status, self.lang).into());
                // The basis actually relied on comes first (SCCs module 3),
                // then why no decision covers it (issue 17, rule 8).
                if t.adequacy.covers() {
                    declared
                } else {
                    format!("{declared} ; {}", self.transfer_adequacy_text(t))
                        .replace(" ; ", if self.lang.is_fr() { " ; " } else { "; " })
                }
            }
            BasisStatus::Missing | BasisStatus::Unstated => format!(
                "{} ({})",
                labels::basis_status(t.basis_status, self.lang),
                self.transfer_adequacy_text(t)
            ),
        }
    }

    /// The scope of each partial adequacy decision the analysis relied on
    /// (for a transfer or an exposure), said once per page instead of in
    /// every cell that names the decision.
    fn adequacy_notes(&self) -> Vec<NoteV> {
        let a = &self.c.analysis;
        let ids: BTreeSet<&str> = a
            .transfers
            .iter()
            .map(|t| &t.adequacy)
            .chain(a.exposures.iter().map(|x| &x.adequacy))
            .filter_map(|ad| match ad {
                AdequacyStatus::Partial { decision, .. } => Some(decision.as_str()),
                _ => None,
            })
            .collect();
        ids.into_iter()
            .map(|id| {
                let d = self.c.reference.decision(id);
                NoteV {
                    anchor: format!("note-{}", anchor(id)),
                    title: d
                        .map(|d| format!("{} ({})", d.name_in(self.code()), d.decision))
                        .unwrap_or_else(|| id.to_string()),
                    // The scope, then the decision's status note (the DPF's
                    // pending appeal…) and its confidence when not verified
                    // (issue 17, rule 9).
                    text: d
                        .map(|d| {
                            let (scope, note) = if self.lang.is_fr() {
                                (&d.scope_fr, d.note_fr.as_ref().or(d.note.as_ref()))
                            } else {
                                (&d.scope, d.note.as_ref())
                            };
                            let conf = match d.confidence {
                                crate::reference::Confidence::Verified => None,
                                crate::reference::Confidence::Secondary => {
                                    Some(self.t("confidence_secondary"))
                                }
                                crate::reference::Confidence::Unverified => {
                                    Some(self.t("confidence_unverified"))
                                }
                            };
                            let status: Vec<&str> =
                                conf.into_iter().chain(note.map(String::as_str)).collect();
                            if status.is_empty() {
                                scope.clone()
                            } else {
                                format!(
                                    "{scope}. {}{}{}",
                                    self.t("law_status"),
                                    self.t("colon"),
                                    status.join(" — ")
                                )
                            }
                        })
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    fn transfer(&self, id: &str) -> Option<&'a Transfer> {
        self.ix.transfers.get(id).copied()
    }

    fn exposure(&self, id: &str) -> Option<&'a Exposure> {
        self.ix.exposures.get(id).copied()
    }

    fn actor_row(&self, r: &ActorRow) -> ActorRowV {
        let exi29 = r
            .exi29
            .iter()
            .filter_map(|id| self.transfer(id))
            .map(|t| {
                let svc = if t.services.is_empty() {
                    String::new()
                } else {
                    format!(
                        " [{}{}{}]",
                        self.t("col_services"),
                        self.t("colon"),
                        t.services
                            .iter()
                            .map(|s| self.service(s).text)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                format!(
                    "{} — {} ({}){svc}",
                    self.country(&t.country),
                    self.basis_text(t),
                    labels::transfer_kind(t.kind, self.lang)
                )
            })
            .collect();
        let exi30 = r
            .exi30
            .iter()
            .filter_map(|id| self.exposure(id))
            .map(|x| Link {
                href: format!("#{}", risk_anchor(&x.id)),
                text: format!(
                    "{} — {} ({})",
                    self.t("yes"),
                    self.country(&x.country),
                    self.t("see_risk")
                ),
            })
            .collect();
        ActorRowV {
            id: r.entity.clone(),
            name: self.actor(&r.entity),
            role: labels::role(r.role, self.lang),
            hds: labels::hds_status(r.hds, self.lang),
            // A qualification that does not back form 1 (3.1, expired) is
            // shown as declared, never as "3.2" (issue 17, rule 3).
            secnumcloud: match (&r.secnumcloud_declared, r.secnumcloud) {
                (Some(v), false) => format!(
                    "{} ({} {v})",
                    i18n::yes_no(false, self.lang),
                    self.t("secnumcloud_declared")
                ),
                _ => i18n::yes_no(r.secnumcloud, self.lang).to_string(),
            },
            activities: r.activities.iter().map(|n| self.activity(*n)).collect(),
            exi29,
            exi30,
        }
    }

    fn risk_row(&self, x: &Exposure) -> RiskRowV {
        let r = &self.c.reference;
        let p = &self.c.project;
        let how = if x.through == x.entity {
            self.t(labels::own_country_key(p, x)).to_string()
        } else {
            // A long chain is named by its ends (it is listed whole on the
            // actor pages): a row's size does not grow with the chain.
            let names: Vec<String> = if x.chain.len() > CHAIN_SHOWN {
                let more = x.chain.len() - CHAIN_SHOWN;
                let (head, tail) = (CHAIN_SHOWN - 3, &x.chain[x.chain.len() - 3..]);
                x.chain[..head]
                    .iter()
                    .map(|e| self.entity_name(e))
                    .chain(std::iter::once(if self.lang.is_fr() {
                        format!("… {more} autres entités …")
                    } else {
                        format!("… {more} more entities …")
                    }))
                    .chain(tail.iter().map(|e| self.entity_name(e)))
                    .collect()
            } else {
                x.chain.iter().map(|e| self.entity_name(e)).collect()
            };
            format!("{} {}", self.t("through"), names.join(" → "))
        };
        let laws = x
            .laws
            .iter()
            .map(|id| match r.law(id) {
                Some(l) => LawV {
                    id: id.clone(),
                    name: l.name_in(self.code()).to_string(),
                    summary: if self.lang.is_fr() {
                        l.summary_fr.clone()
                    } else {
                        l.summary.clone()
                    },
                    note: {
                        let status = if self.lang.is_fr() {
                            l.status_note_fr.clone().or(l.status_note.clone())
                        } else {
                            l.status_note.clone()
                        };
                        let conf = match l.confidence {
                            crate::reference::Confidence::Verified => None,
                            crate::reference::Confidence::Secondary => {
                                Some(self.t("confidence_secondary").to_string())
                            }
                            crate::reference::Confidence::Unverified => {
                                Some(self.t("confidence_unverified").to_string())
                            }
                        };
                        match (status, conf) {
                            (None, None) => None,
                            (Some(s), None) => Some(s),
                            (None, Some(c)) => Some(c),
                            (Some(s), Some(c)) => Some(format!("{c} — {s}")),
                        }
                    },
                },
                None => LawV {
                    id: id.clone(),
                    name: id.clone(),
                    summary: String::new(),
                    note: None,
                },
            })
            .collect();
        let residual = x
            .measures
            .iter()
            .filter_map(|m| p.measures.get(m))
            .filter_map(|m| {
                let fr = m.residual_risk.as_ref()?;
                let (text, fr) = self.own_v(fr, &english_key::measure_residual(&m.id));
                let text = match m.residual_level {
                    Some(l) => format!("{text} ({})", labels::risk_level(l, self.lang)),
                    None => text,
                };
                Some(OwnText { text, fr })
            })
            .collect();
        RiskRowV {
            anchor: risk_anchor(&x.id),
            id: x.id.clone(),
            entity: self.actor(&x.entity),
            country: self.country(&x.country),
            how,
            adequacy: self.adequacy_text(&x.adequacy),
            laws,
            measures: x.measures.iter().map(|m| self.measure(m)).collect(),
            residual,
        }
    }

    fn transfer_v(&self, t: &Transfer) -> TransferV {
        let mut data: Vec<&str> = t
            .data
            .iter()
            .map(|d| labels::data_category(*d, self.lang))
            .collect();
        data.dedup();
        let (purpose, purpose_fr) = match &t.purpose {
            Some(p) => self.own_v(p, &self.purpose_key(t)),
            None => (self.t("not_stated").to_string(), false),
        };
        let (safeguards, safeguards_fr) = self.safeguards_v(&t.source, &t.safeguards);
        TransferV {
            // Derived transfers are named after their flow or access path
            // (`access:x`): prefixed, their anchors cannot take the ids of
            // those rows (`access-x`) on the pages that list both.
            anchor: format!("transfer-{}", anchor(&t.id)),
            id: t.id.clone(),
            kind: labels::transfer_kind(t.kind, self.lang),
            possible: t.possible,
            // An international organisation: its seat, said as such.
            country: if self.is_organisation(&t.recipient) {
                format!(
                    "{} ({}{}{})",
                    self.t("international_organisation"),
                    self.t("seat"),
                    self.t("colon"),
                    self.country(&t.country)
                )
            } else {
                self.country(&t.country)
            },
            recipient: self.actor(&t.recipient),
            purpose,
            purpose_fr,
            basis: self.basis_text(t),
            basis_reference: t.basis_reference.clone(),
            tia: t.tia.as_ref().map(|a| {
                let mut s = a.reference.clone();
                if let Some(d) = a.date {
                    s.push_str(&format!(", {}", self.date(d)));
                }
                if let Some(d) = a.next_review {
                    s.push_str(&format!(
                        " ({} {})",
                        self.t("tia_next_review"),
                        self.date(d)
                    ));
                }
                s
            }),
            safeguards,
            safeguards_fr,
            data: data.join(", "),
            measures: t.measures.iter().map(|m| self.measure(m)).collect(),
            services: t.services.iter().map(|s| self.service(s)).collect(),
        }
    }

    fn site_v(&self, s: &Site) -> SiteV {
        // The services storing health data there, as the analysis found
        // (declared `sites` and the storage flows of health data).
        let use_ = self.c.analysis.sites.get(&s.id);
        let services = use_
            .map(|u| u.services.iter().map(|id| self.service(id)).collect())
            .unwrap_or_default();
        let data = match use_ {
            Some(u) if !u.received.is_empty() => format!(
                "{} ({})",
                u.received
                    .iter()
                    .map(|d| labels::data_category(*d, self.lang))
                    .collect::<Vec<_>>()
                    .join(", "),
                u.flow_kinds
                    .iter()
                    .map(|k| labels::flow_kind(*k, self.lang))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => self.t("no_data_received").to_string(),
        };
        SiteV {
            anchor: format!("site-{}", s.id),
            id: s.id.clone(),
            name: s.name.clone(),
            city: s.city.clone().unwrap_or_default(),
            country: self.country(&s.country),
            operator: self.actor(&s.operator),
            role: labels::site_role(s.role, self.lang),
            services,
            data,
            evidence: self.evidence(crate::verify::Holder::Site, &s.id),
        }
    }

    /// One short line for the ranges of a site or access path, as `verify`
    /// computed them: "declared FR · database: 2/3 agree; 8.8.8.0/24: US
    /// 100.00% (contradicts the declaration); 192.0.2.0/25: FR 100.00% … ·
    /// the embedded DB-IP Lite database (2026-06-01)". Ranges that do not agree come
    /// first; at most [`EVIDENCE_DETAILS`] are detailed so that a site with
    /// hundreds of ranges keeps a one-line summary. Empty when not verified
    /// or when nothing was declared.
    fn evidence(&self, holder: crate::verify::Holder, id: &str) -> Vec<String> {
        use crate::verify::Verdict;
        let Some(v) = &self.c.verification else {
            return Vec::new();
        };
        let ranges = v.for_holder(holder, id);
        let Some(first) = ranges.first() else {
            return Vec::new();
        };
        let mut ordered: Vec<&crate::verify::RangeEvidence> = ranges.iter().collect();
        ordered.sort_by_key(|r| r.verdict == Verdict::Agrees);
        let agree = ranges
            .iter()
            .filter(|r| r.verdict == Verdict::Agrees)
            .count();
        let mut parts = vec![format!(
            "{agree}/{} {}",
            ranges.len(),
            self.t("geoip_agree_count")
        )];
        for r in ordered.iter().take(EVIDENCE_DETAILS) {
            let verdict = self.t(match r.verdict {
                Verdict::Agrees => "geoip_agrees",
                Verdict::ElsewhereInEea => "geoip_elsewhere_in_eea",
                Verdict::Contradicts => "geoip_contradicts",
                Verdict::AnnexWrong => "geoip_annex_wrong",
                Verdict::NoData => "geoip_no_data",
                Verdict::NotCovered => "geoip_not_covered",
            });
            parts.push(match r.verdict {
                Verdict::NoData | Verdict::NotCovered => {
                    format!("{}{}{verdict}", r.range, self.t("colon"))
                }
                _ => format!(
                    "{}{}{} ({verdict})",
                    r.range,
                    self.t("colon"),
                    r.shares_text(self.code())
                ),
            });
        }
        if ranges.len() > EVIDENCE_DETAILS {
            parts.push(format!(
                "+{} {}",
                ranges.len() - EVIDENCE_DETAILS,
                self.t("geoip_more")
            ));
        }
        let who = match holder {
            crate::verify::Holder::Site => String::new(),
            crate::verify::Holder::Access => format!("{id} — "),
        };
        vec![format!(
            "{who}{} {} · {}{}{} · {}",
            self.t("geoip_declared"),
            first.declared_country,
            self.t("geoip_database_view"),
            self.t("colon"),
            parts.join("; "),
            v.database.short(self.code()),
        )]
    }

    /// The sentence of the EXI 31 page saying whether and against what the
    /// declared ranges were verified.
    fn verification_summary(&self) -> String {
        use crate::verify::Verdict;
        let Some(v) = &self.c.verification else {
            return self.t("geoip_not_run").to_string();
        };
        let d = &v.database;
        let count = |k: Verdict| v.ranges.iter().filter(|r| r.verdict == k).count();
        let parts: Vec<String> = [
            (Verdict::Agrees, "geoip_agrees"),
            (Verdict::ElsewhereInEea, "geoip_elsewhere_in_eea"),
            (Verdict::Contradicts, "geoip_contradicts"),
            (Verdict::AnnexWrong, "geoip_annex_wrong"),
            (Verdict::NoData, "geoip_no_data"),
            (Verdict::NotCovered, "geoip_not_covered"),
        ]
        .iter()
        .filter(|(k, _)| count(*k) > 0)
        .map(|(k, key)| format!("{}{}{}", self.t(key), self.t("colon"), count(*k)))
        .collect();
        format!(
            "{}{}{} {} {} ({}, {} {}){}{}. {}",
            self.t("geoip_run"),
            self.t("colon"),
            v.ranges.len(),
            self.t("geoip_checked_against"),
            d.name,
            d.database_type,
            self.t("geoip_built"),
            d.build_date,
            if parts.is_empty() { "" } else { " — " },
            parts.join(", "),
            self.t("geoip_caveat"),
        )
    }

    fn flow_v(&self, id: &str) -> Option<FlowV> {
        let f = self.ix.flows.get(id)?;
        let (description, description_fr) = match &f.description {
            Some(d) => {
                let (d, fr) = self.own_v(d, &english_key::flow_description(&f.id));
                (Some(d), fr)
            }
            None => (None, false),
        };
        Some(FlowV {
            anchor: format!("flow-{}", f.id),
            id: f.id.clone(),
            kind: labels::flow_kind(f.kind, self.lang),
            from: self.node(&f.from),
            to: self.node(&f.to),
            data: f
                .data
                .iter()
                .map(|d| labels::data_category(*d, self.lang))
                .collect::<Vec<_>>()
                .join(", "),
            basis: f.basis.as_ref().map(|b| labels::basis(b, self.lang)),
            description,
            description_fr,
        })
    }

    fn access_v(&self, id: &str) -> Option<AccessV> {
        let a = self.ix.access_paths.get(id)?;
        let (purpose, purpose_fr) = self.own_v(&a.purpose, &english_key::access_purpose(&a.id));
        let (safeguards, safeguards_fr) = self.safeguards_v(&a.id, &a.safeguards);
        let (name, name_fr) = match &a.name {
            Some(n) => self.own_v(n, &english_key::access_name(&a.id)),
            None => (a.id.clone(), false),
        };
        Some(AccessV {
            anchor: format!("access-{}", a.id),
            id: a.id.clone(),
            name,
            name_fr,
            team: self.actor(&a.team),
            place: match &a.city {
                Some(city) => format!("{city}, {}", self.country(&a.country)),
                None => self.country(&a.country),
            },
            targets: a.targets.iter().map(|t| self.node(t)).collect(),
            purpose,
            purpose_fr,
            safeguards,
            safeguards_fr,
            basis: a.basis.as_ref().map(|b| labels::basis(b, self.lang)),
        })
    }

    /// A text of the provider on a page, with its English version under
    /// `key` of [`crate::model::Project::english`]: the text, and whether
    /// it is the French original on an English page.
    fn own_v(&self, fr: &str, key: &str) -> (String, bool) {
        let t = self.own_at(fr, key);
        (t.s, t.fr_original)
    }

    /// Where the English version of a transfer's purpose is: its flow's
    /// `description` or its access path's `purpose`.
    fn purpose_key(&self, t: &Transfer) -> String {
        match t.kind {
            TransferKind::Flow => english_key::flow_description(&t.source),
            TransferKind::RemoteAccess => english_key::access_purpose(&t.source),
        }
    }

    /// An access path's safeguards on a page (a flow has none), and whether
    /// they are French originals (`safeguards_en` gives all or none).
    fn safeguards_v(&self, access: &str, safeguards: &[String]) -> (Vec<String>, bool) {
        let mut fr = false;
        let texts = safeguards
            .iter()
            .enumerate()
            .map(|(n, s)| {
                let (t, f) = self.own_v(s, &english_key::access_safeguard(access, n));
                fr |= f;
                t
            })
            .collect();
        (texts, fr)
    }

    /// A text of a row in a spreadsheet cell: a French original on an
    /// English sheet ends with "(French original)", as in the canonical
    /// text of the annex.
    fn marked(&self, text: &str, fr_original: bool) -> String {
        if fr_original {
            format!(
                "{text} ({})",
                crate::render::annex::text::t(self.lang, "french_original_mark")
            )
        } else {
            text.to_string()
        }
    }

    /// A list of texts in one cell, joined with ", ", each marked.
    fn marked_list(&self, texts: &[String], fr_original: bool) -> String {
        texts
            .iter()
            .map(|s| self.marked(s, fr_original))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn cert(&self, h: &HdsCertificate) -> CertV {
        let mut acts = h.activities.clone();
        acts.sort();
        acts.dedup();
        CertV {
            activities: acts.iter().map(|n| self.activity(*n)).collect(),
            issued: self.date(h.issued),
            expires: self.date(h.expires),
            certifier: h.certifier.clone(),
            number: h.number.clone(),
            referential: h.referential.clone(),
        }
    }

    /// A certificate the document mentions without all its details: what
    /// it states, and "not stated (to confirm)" for the rest.
    fn claim_cert(&self, h: &crate::model::HdsClaim) -> CertV {
        let unstated = || self.t("not_stated_confirm").to_string();
        CertV {
            activities: match &h.activities {
                Some(a) => a.iter().map(|n| self.activity(*n)).collect(),
                None => vec![unstated()],
            },
            issued: h.issued.map_or_else(unstated, |d| self.date(d)),
            expires: h.expires.map_or_else(unstated, |d| self.date(d)),
            certifier: h.certifier.clone().unwrap_or_else(unstated),
            number: h.number.clone(),
            referential: None,
        }
    }

    fn actor_summary(&self, e: &Entity) -> ActorSummaryV {
        ActorSummaryV {
            link: self.actor(&e.id),
            country: self.country(&e.country),
            role: self.t(entity_role(self.c, self.ix, &e.id)),
            hds: e
                .hds
                .as_ref()
                .map(|h| self.cert(h))
                .or_else(|| e.facts.hds_claim.as_ref().map(|h| self.claim_cert(h))),
            hds_note: (self.c.project.config.publisher == crate::model::PublisherRole::Platform
                && e.id == self.c.project.config.host
                && e.hds.is_none())
            .then(|| self.t("hds_not_applicable")),
            exempted_under: e.hds_exempted_under.as_ref().map(|h| self.actor(h)),
            secnumcloud: e.secnumcloud.as_ref().map(|s| SncV {
                version: s.version.clone(),
                offer: s.offer.clone(),
                issued: s.issued.map(|d| self.date(d)),
                expires: s.expires.map(|d| self.date(d)),
            }),
        }
    }

    fn finding(&self, f: &crate::analysis::Finding) -> FindingV {
        FindingV {
            severity: labels::severity(f.severity, self.lang),
            severity_class: f.severity.as_str(),
            code: f.code,
            message: if self.lang.is_fr() {
                f.message_fr.clone()
            } else {
                f.message_en.clone()
            },
        }
    }
}

/// `host`, `subcontractor`, `parent` or `other` (translation keys).
fn entity_role(c: &Checked, ix: &Index, id: &str) -> &'static str {
    let platform = c.project.config.publisher == crate::model::PublisherRole::Platform;
    if id == c.project.config.host {
        return if platform {
            "role_publisher"
        } else {
            "role_host"
        };
    }
    // A platform's certified hosts, as the analysis found them.
    if platform
        && c.analysis
            .provider_actors
            .iter()
            .any(|r| r.entity == id && r.role == crate::analysis::ActorRole::Host)
    {
        return "role_host";
    }
    if ix.provider_actors.contains(id) {
        return "role_subcontractor";
    }
    if ix.parents.contains(id) {
        return "role_parent";
    }
    "role_other"
}

/// Lookups computed once per build, so that no page scans the whole
/// inventory: with N entities, N actor pages each filtering 5N flows would
/// make the build quadratic. Every list keeps the order of the collection it
/// was grouped from (the order the pages used to filter in), so the output is
/// unchanged.
struct Index<'a> {
    /// Declarations by id, hashed: the project keeps them in sorted trees,
    /// where a lookup walks about twenty nodes across memory at 100,000
    /// entities, and pages look names and links up millions of times.
    entities: HashMap<&'a str, &'a Entity>,
    sites: HashMap<&'a str, &'a Site>,
    services: HashMap<&'a str, &'a crate::model::Service>,
    flows: HashMap<&'a str, &'a crate::model::Flow>,
    access_paths: HashMap<&'a str, &'a crate::model::AccessPath>,
    measures: HashMap<&'a str, &'a crate::model::Measure>,
    transfers: HashMap<&'a str, &'a Transfer>,
    exposures: HashMap<&'a str, &'a Exposure>,
    /// Site id → ids of the services storing there.
    services_at_site: HashMap<&'a str, Vec<&'a str>>,
    /// Service id → sites storing its health data, as the analysis found
    /// (declared sites and storage flows of health data), by site id.
    storage_of_service: HashMap<&'a str, Vec<&'a str>>,
    provider_actors: HashSet<&'a str>,
    /// Entities that are some entity's parent.
    parents: HashSet<&'a str>,
    /// Entity → its ultimate parent and how many entities up it is (itself
    /// and 0 without a parent); computed once, linear in the entities.
    ultimate: HashMap<&'a str, (&'a str, usize)>,
    /// Entity → exposures of the entity or of a subsidiary down its chain.
    risks_of_entity: HashMap<&'a str, Vec<&'a Exposure>>,
    /// Entity → its own exposures (`entity` field).
    exposures_of_entity: HashMap<&'a str, Vec<&'a Exposure>>,
    sites_of_operator: HashMap<&'a str, Vec<&'a Site>>,
    /// Entity → flows from or to it or one of the sites it operates.
    flows_of_entity: HashMap<&'a str, Vec<&'a str>>,
    /// Entity → access paths of its teams or targeting its sites.
    access_of_entity: HashMap<&'a str, Vec<&'a str>>,
    transfers_to: HashMap<&'a str, Vec<&'a Transfer>>,
    /// Entity → measures that name it.
    measures_of_entity: HashMap<&'a str, Vec<&'a str>>,
    /// Entity → findings about it, its sites, its teams' access paths.
    findings_of_entity: HashMap<&'a str, Vec<&'a crate::analysis::Finding>>,
    /// Entity → services whose chapter 8 table lists it.
    services_of_actor: HashMap<&'a str, Vec<&'a str>>,
    /// Service → flows restricted to it, from its sites (unrestricted), or
    /// from or to the service itself.
    flows_of_service: HashMap<&'a str, Vec<&'a str>>,
    /// Service → access paths targeting it or its sites.
    access_of_service: HashMap<&'a str, Vec<&'a str>>,
    /// Service → findings naming it.
    findings_of_service: HashMap<&'a str, Vec<&'a crate::analysis::Finding>>,
    /// The translation table of each language, converted to a template value once.
    tables: HashMap<&'static str, tera::Value>,
}

/// Longest control chain an actor page or a risk row lists whole.
const CHAIN_SHOWN: usize = 12;

/// Entity → (ultimate parent, how many links up it is): each entity's
/// parent link is followed once (memoised), however deep the chains.
fn ultimate_parents(p: &crate::model::Project) -> HashMap<&str, (&str, usize)> {
    let mut out: HashMap<&str, (&str, usize)> = HashMap::with_capacity(p.entities.len());
    for id in p.entities.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: HashSet<&str> = HashSet::new();
        let mut cur: &str = id.as_str();
        let (top, mut depth) = loop {
            if let Some(&known) = out.get(cur) {
                break known;
            }
            path.push(cur);
            on_path.insert(cur);
            let parent = p
                .entities
                .get(cur)
                .and_then(|e| e.parent.as_deref())
                .and_then(|pid| p.entities.get_key_value(pid))
                .map(|(k, _)| k.as_str());
            match parent {
                Some(next) if !on_path.contains(next) => cur = next,
                // The top (or a cycle, which the loader rejects).
                _ => {
                    path.pop();
                    out.insert(cur, (cur, 0));
                    break (cur, 0);
                }
            }
        };
        for e in path.into_iter().rev() {
            depth += 1;
            out.insert(e, (top, depth));
        }
    }
    out
}

/// Push `item` onto the list of each key, once per key.
fn group<'a, T: Copy>(
    map: &mut HashMap<&'a str, Vec<T>>,
    keys: impl IntoIterator<Item = &'a str>,
    item: T,
) {
    let keys: BTreeSet<&str> = keys.into_iter().collect();
    for k in keys {
        map.entry(k).or_default().push(item);
    }
}

impl<'a> Index<'a> {
    fn new(c: &'a Checked, langs: &[Lang]) -> Index<'a> {
        use crate::analysis::Subject;
        let p = &c.project;
        let a = &c.analysis;
        fn by_id<T>(m: &std::collections::BTreeMap<String, T>) -> HashMap<&str, &T> {
            m.iter().map(|(k, v)| (k.as_str(), v)).collect()
        }
        let mut ix = Index {
            entities: by_id(&p.entities),
            sites: by_id(&p.sites),
            services: by_id(&p.services),
            flows: by_id(&p.flows),
            access_paths: by_id(&p.access_paths),
            measures: by_id(&p.measures),
            transfers: a
                .transfers
                .iter()
                .map(|t| (t.id.as_str(), t))
                .rev()
                .collect(),
            exposures: a
                .exposures
                .iter()
                .map(|x| (x.id.as_str(), x))
                .rev()
                .collect(),
            services_at_site: HashMap::new(),
            storage_of_service: HashMap::new(),
            provider_actors: a
                .provider_actors
                .iter()
                .map(|r| r.entity.as_str())
                .collect(),
            parents: p
                .entities
                .values()
                .filter_map(|e| e.parent.as_deref())
                .collect(),
            ultimate: ultimate_parents(p),
            risks_of_entity: HashMap::new(),
            exposures_of_entity: HashMap::new(),
            sites_of_operator: HashMap::new(),
            flows_of_entity: HashMap::new(),
            access_of_entity: HashMap::new(),
            transfers_to: HashMap::new(),
            measures_of_entity: HashMap::new(),
            findings_of_entity: HashMap::new(),
            services_of_actor: HashMap::new(),
            flows_of_service: HashMap::new(),
            access_of_service: HashMap::new(),
            findings_of_service: HashMap::new(),
            tables: langs
                .iter()
                .map(|l| (l.code(), tera::Value::from_serializable(&i18n::table(*l))))
                .collect(),
        };
        for (site, u) in &a.sites {
            group(
                &mut ix.storage_of_service,
                u.services.iter().map(String::as_str),
                site.as_str(),
            );
        }
        for v in p.services.values() {
            group(
                &mut ix.services_at_site,
                v.sites.iter().map(|s| s.as_str()),
                v.id.as_str(),
            );
        }
        for x in &a.exposures {
            group(
                &mut ix.risks_of_entity,
                std::iter::once(x.entity.as_str()).chain(x.chain.iter().map(|e| e.as_str())),
                x,
            );
            group(&mut ix.exposures_of_entity, [x.entity.as_str()], x);
        }
        for s in p.sites.values() {
            group(&mut ix.sites_of_operator, [s.operator.as_str()], s);
        }
        let operator = |site: &str| p.sites.get(site).map(|s| s.operator.as_str());
        let owner = |n: &'a NodeRef| match n {
            NodeRef::Entity(e) => Some(e.as_str()),
            NodeRef::Site(s) => operator(s),
            NodeRef::Service(_) => None,
        };
        for f in p.flows.values() {
            group(
                &mut ix.flows_of_entity,
                owner(&f.from).into_iter().chain(owner(&f.to)),
                f.id.as_str(),
            );
            let mut services: Vec<&str> = f.services.iter().map(|s| s.as_str()).collect();
            if f.services.is_empty()
                && let NodeRef::Site(s) = &f.from
                && let Some(v) = ix.services_at_site.get(s.as_str())
            {
                services.extend(v.iter().copied());
            }
            for n in [&f.from, &f.to] {
                if let NodeRef::Service(s) = n {
                    services.push(s.as_str());
                }
            }
            group(&mut ix.flows_of_service, services, f.id.as_str());
        }
        for ap in p.access_paths.values() {
            group(
                &mut ix.access_of_entity,
                std::iter::once(ap.team.as_str()).chain(ap.targets.iter().filter_map(owner)),
                ap.id.as_str(),
            );
            let mut services: Vec<&str> = Vec::new();
            for t in &ap.targets {
                match t {
                    NodeRef::Service(s) => services.push(s.as_str()),
                    NodeRef::Site(s) => {
                        if let Some(v) = ix.services_at_site.get(s.as_str()) {
                            services.extend(v.iter().copied());
                        }
                    }
                    NodeRef::Entity(_) => {}
                }
            }
            group(&mut ix.access_of_service, services, ap.id.as_str());
        }
        for t in &a.transfers {
            group(&mut ix.transfers_to, [t.recipient.as_str()], t);
        }
        for m in p.measures.values() {
            group(
                &mut ix.measures_of_entity,
                m.mitigates.iter().filter_map(|t| match t {
                    MeasureTarget::Entity(e) => Some(e.as_str()),
                    _ => None,
                }),
                m.id.as_str(),
            );
        }
        for f in &a.findings {
            let entity = match &f.subject {
                Subject::Entity(e) => Some(e.as_str()),
                Subject::Site(s) => operator(s),
                Subject::Access(x) => p.access_paths.get(x).map(|a| a.team.as_str()),
                _ => None,
            };
            group(&mut ix.findings_of_entity, entity, f);
            let subject = match &f.subject {
                Subject::Service(s) => Some(s.as_str()),
                _ => None,
            };
            group(
                &mut ix.findings_of_service,
                f.services.iter().map(|s| s.as_str()).chain(subject),
                f,
            );
        }
        for sa in a.services.values() {
            group(
                &mut ix.services_of_actor,
                sa.actors.iter().map(|r| r.entity.as_str()),
                sa.id.as_str(),
            );
        }
        ix
    }
}

/// Template values of the rows of a table.
fn to_values<T: Serialize>(rows: &[T]) -> Vec<tera::Value> {
    rows.iter().map(tera::Value::from_serializable).collect()
}

/// The rows of a list of rendered rows (see [`Builder::rows`]).
fn list_of(rows: &tera::Value) -> Vec<tera::Value> {
    rows.as_array()
        .map(<[tera::Value]>::to_vec)
        .unwrap_or_default()
}

/// The list of a key, or nothing.
fn list<'m, T>(map: &'m HashMap<&str, Vec<T>>, key: &str) -> &'m [T] {
    map.get(key).map(|v| v.as_slice()).unwrap_or(&[])
}

/// An HTML id from an analysis id (`flow:x` → `flow-x`).
fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn risk_anchor(exposure_id: &str) -> String {
    format!(
        "risk-{}",
        anchor(exposure_id.strip_prefix("exposure:").unwrap_or(exposure_id))
    )
}

/// Only web links are printed as links; anything else (`javascript:`) is text.
fn safe_url(u: &str) -> Option<String> {
    let l = u.trim().to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://")).then(|| u.trim().to_string())
}

/// Standard base64 with padding (RFC 4648), for CSP hashes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The site.
// ---------------------------------------------------------------------------

/// The languages to publish: the primary one at the root, the others under
/// `<code>/`. French comes first when published (EXI 07).
pub fn languages(c: &Checked) -> Vec<Lang> {
    let mut v: Vec<Lang> = c
        .project
        .config
        .languages
        .iter()
        .filter_map(|l| Lang::parse(l))
        .collect();
    if v.is_empty() {
        v = vec![Lang::Fr, Lang::En];
    }
    let mut seen = BTreeSet::new();
    v.retain(|l| seen.insert(*l));
    if let Some(i) = v.iter().position(|l| *l == Lang::Fr) {
        v.swap(0, i);
    }
    v
}

struct Builder<'a> {
    c: &'a Checked,
    ix: &'a Index<'a>,
    /// Compiled once; shared by every page (rendering only reads it).
    tera: Tera,
    langs: Vec<Lang>,
    rows: RowCache<'a>,
    /// The notes on partial adequacy decisions of each language (computed
    /// once: they depend on the whole analysis, not on the page).
    notes: Vec<(Lang, tera::Value)>,
}

/// The table rows that many pages repeat, rendered once per language and
/// page depth (by their row template, `partials/<kind>_row.html`) instead of
/// once per page: a flow is listed on `flows.html`, on the pages of both its
/// ends and of its services; a transfer on the index, the annexes, its
/// services' and its recipient's pages; an exposure on the index, the
/// annexes, its services' and its actors' pages. Interpreting those rows
/// again on every page was about a third of a build's work at 10,000
/// entities. Only the HTML is kept (a few hundred bytes a row), not the
/// template values, which are several times larger.
/// A row is the same whichever page asks first (it depends only on the row,
/// the language and the page's depth), so the output does not depend on the
/// order pages are rendered in.
struct RowCache<'a> {
    slots: Vec<RowSlot<'a>>,
}

/// The kinds of rows cached, with their template and the name the template
/// knows the row by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Flow,
    Access,
    Transfer,
    Risk,
}

impl RowKind {
    const ALL: [RowKind; 4] = [
        RowKind::Flow,
        RowKind::Access,
        RowKind::Transfer,
        RowKind::Risk,
    ];

    fn template(self) -> &'static str {
        match self {
            RowKind::Flow => "partials/flow_row.html",
            RowKind::Access => "partials/access_row.html",
            RowKind::Transfer => "partials/transfer_row.html",
            RowKind::Risk => "partials/risk_row.html",
        }
    }

    fn var(self) -> &'static str {
        match self {
            RowKind::Flow => "f",
            RowKind::Access => "a",
            RowKind::Transfer => "tr",
            RowKind::Risk => "r",
        }
    }
}

/// The rows of one language at one page depth (`base`: path to the root),
/// by kind ([`RowKind::ALL`] order) and id.
struct RowSlot<'a> {
    lang: Lang,
    base: String,
    cells: [HashMap<&'a str, RowCell>; 4],
}

/// A row's HTML, once rendered (`None`: the row does not exist; an error
/// is kept as text and reported by every page that lists the row).
type RowCell = std::sync::OnceLock<Result<Option<tera::Value>, String>>;

impl<'a> RowCache<'a> {
    /// Slots for each language and base given (pages at other depths render
    /// their rows themselves).
    fn new(c: &'a Checked, bases: &[(Lang, String)]) -> RowCache<'a> {
        let cells = |ids: &mut dyn Iterator<Item = &'a str>| {
            ids.map(|id| (id, RowCell::new()))
                .collect::<HashMap<_, _>>()
        };
        let (p, a) = (&c.project, &c.analysis);
        RowCache {
            slots: bases
                .iter()
                .map(|(lang, base)| RowSlot {
                    lang: *lang,
                    base: base.clone(),
                    cells: RowKind::ALL.map(|kind| match kind {
                        RowKind::Flow => cells(&mut p.flows.keys().map(String::as_str)),
                        RowKind::Access => cells(&mut p.access_paths.keys().map(String::as_str)),
                        RowKind::Transfer => cells(&mut a.transfers.iter().map(|t| t.id.as_str())),
                        RowKind::Risk => cells(&mut a.exposures.iter().map(|e| e.id.as_str())),
                    }),
                })
                .collect(),
        }
    }

    fn cell(&self, x: &Ctx, kind: RowKind, id: &str) -> Option<&RowCell> {
        let slot = self
            .slots
            .iter()
            .find(|s| s.lang == x.lang && s.base == x.base)?;
        let i = RowKind::ALL.iter().position(|k| *k == kind)?;
        slot.cells[i].get(id)
    }
}

/// Folder of the `i`-th language of the site: the first at the root, the
/// others under their code (`en/`).
fn lang_prefix(i: usize, lang: Lang) -> String {
    if i == 0 {
        String::new()
    } else {
        format!("{}/", lang.code())
    }
}

/// Path from a page (`local` in the language folder `prefix`) back to the
/// site's root: `""`, `"../"`, `"../../"`.
fn base_of(prefix: &str, local: &str) -> String {
    let depth = prefix.matches('/').count() + local.matches('/').count();
    "../".repeat(depth)
}

/// The world map of each language, as a file of its own (the home page
/// draws it inline and links to it: a phone can zoom into the file).
const MAP_FILE: &str = "map.svg";

/// The page listing every declared flow (per language).
const FLOWS_PAGE: &str = "flows.html";

/// A rendered HTML page: its path in the site (handed to the sink already).
type Page = String;

/// A rendered file: its path in the site and its bytes.
type Output = (String, Vec<u8>);

/// Receives each rendered file (from several threads).
pub type Sink<'s> = dyn Fn(&Path, Vec<u8>) -> Result<(), RenderError> + Sync + 's;

/// Run `f` on every item in parallel (rayon); results in the order of
/// `items`, and the first error in that order, so that output and errors do
/// not depend on the number of threads.
fn par_pages<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, RenderError> + Sync + Send,
) -> Result<Vec<R>, RenderError> {
    let results: Vec<Result<R, RenderError>> = items.par_iter().map(f).collect();
    results.into_iter().collect()
}

/// Render the whole site in memory, compared with `previous` of
/// sovmap.toml when set (else as a first publication). `sovmap build` reads
/// the previous file itself (for `--previous`) and calls [`render_with_previous`].
pub fn render(c: &Checked, root: &Path) -> Result<SiteFiles, RenderError> {
    let previous = match &c.project.config.previous {
        None => None,
        Some(p) => Some(crate::publication::read(p).map_err(|e| RenderError(e.to_string()))?),
    };
    render_with_previous(c, root, previous.as_ref())
}

/// Render the whole site in memory; `previous` is the last published
/// `transfers.json` (changes.html and feed.xml say what changed since).
pub fn render_with_previous(
    c: &Checked,
    root: &Path,
    previous: Option<&crate::publication::Publication>,
) -> Result<SiteFiles, RenderError> {
    let files = std::sync::Mutex::new(SiteFiles::new());
    render_into(c, root, previous, &|path: &Path, bytes: Vec<u8>| {
        if let Ok(mut f) = files.lock() {
            f.insert(path.to_path_buf(), bytes);
        }
        Ok(())
    })?;
    Ok(files.into_inner().unwrap_or_default())
}

/// What [`render_into`] produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rendered {
    pub files: usize,
    pub pages: usize,
}

/// Render the whole site, handing each file to `sink` as soon as it is
/// rendered (from several threads: pages are rendered in parallel with
/// rayon), so that a large site is never held in memory as a whole. Each
/// page's bytes depend only on the input, never on the thread that rendered
/// it or on the order; a file given twice (a theme's `static/style.css`) is
/// given in the same order as a single-threaded build, the later one wins.
/// `previous` is the last published `transfers.json` (changes.html and
/// feed.xml say what changed since; `None`: a first publication).
pub fn render_into(
    c: &Checked,
    root: &Path,
    previous: Option<&crate::publication::Publication>,
    sink: &Sink,
) -> Result<Rendered, RenderError> {
    let tera = load_templates(root, c.project.config.theme.as_deref())?;
    let langs = languages(c);
    let ix = Index::new(c, &langs);
    let jobs: Vec<(Lang, String)> = langs
        .iter()
        .enumerate()
        .map(|(i, lang)| (*lang, lang_prefix(i, *lang)))
        .collect();
    // Row values are shared by the pages at the root of each language
    // (index, flows) and one folder down (actors, services, annexes).
    let bases: Vec<(Lang, String)> = jobs
        .iter()
        .flat_map(|(lang, prefix)| {
            ["index.html", "actors/x.html"].map(|local| (*lang, base_of(prefix, local)))
        })
        .collect();
    let rows = RowCache::new(c, &bases);
    let notes = jobs
        .iter()
        .map(|(lang, prefix)| {
            let x = Ctx {
                c,
                ix: &ix,
                lang: *lang,
                prefix: prefix.clone(),
                base: String::new(),
            };
            (*lang, tera::Value::from_serializable(&x.adequacy_notes()))
        })
        .collect();
    let b = Builder {
        c,
        ix: &ix,
        tera,
        langs,
        rows,
        notes,
    };
    let emit = |(path, html): Output| -> Result<Page, RenderError> {
        sink(Path::new(&path), html)?;
        Ok(path)
    };
    // Annexes first: the index pages print their hashes. Meanwhile, the
    // history, change list and the publication as read back (changes.html,
    // feed.xml, transfers.json), which the annexes do not need; its error,
    // if any, is reported first, as when it was computed before.
    // Meanwhile too, the graph and reach behind every service's flow graph
    // (one for all services and languages).
    let lang_codes: Vec<&str> = jobs.iter().map(|(lang, _)| lang.code()).collect();
    let (published, (annexes, service_graphs)) = rayon::join(
        || crate::publication::history::for_build(c, previous).map_err(RenderError),
        || {
            rayon::join(
                || {
                    par_pages(&b.annex_jobs(&jobs), |(lang, prefix, scope)| {
                        let (lang, link, html, files) = b.annex(*lang, prefix, scope.as_deref())?;
                        // The HTML pages first, then the annex's other files.
                        let pages = html.into_iter().map(emit).collect::<Result<Vec<_>, _>>()?;
                        for (path, bytes) in files {
                            sink(Path::new(&path), bytes)?;
                        }
                        Ok((lang, link, pages))
                    })
                },
                || super::flowgraph::ServiceGraphs::new(c, &lang_codes),
            )
        },
    );
    let published = published?;
    let annexes = annexes?;
    let mut html_paths = Vec::new();
    let mut links: BTreeMap<Lang, Vec<AnnexLinkV>> = BTreeMap::new();
    for (lang, link, paths) in annexes {
        links.entry(lang).or_default().push(link);
        html_paths.extend(paths);
    }
    // The changes page and the Atom feed of each language (small).
    for (lang, prefix) in &jobs {
        let (page, (feed_path, feed)) = b.changes(&published, *lang, prefix)?;
        html_paths.push(emit(page)?);
        sink(Path::new(&feed_path), feed)?;
    }
    // The index pages (the largest), the other pages, the data exports and
    // each service's flow graph (beside its page, in the page's language,
    // written as soon as rendered), all at once.
    let service_ids: Vec<&str> = c.project.services.keys().map(String::as_str).collect();
    let (((index, pages), exports), graphs) = rayon::join(
        || {
            rayon::join(
                || {
                    rayon::join(
                        || {
                            // The index and flows page of each language, in this order.
                            let big: Vec<(Lang, &str, bool)> = jobs
                                .iter()
                                .flat_map(|(l, p)| {
                                    [(*l, p.as_str(), false), (*l, p.as_str(), true)]
                                })
                                .collect();
                            par_pages(&big, |(lang, prefix, flows)| {
                                if *flows {
                                    let (page, lists) = b.flows_page(*lang, prefix)?;
                                    let mut paths = vec![emit(page)?];
                                    for l in lists {
                                        paths.push(emit(l)?);
                                    }
                                    Ok(paths)
                                } else {
                                    let (page, (map_path, map), lists) = b.index(
                                        *lang,
                                        prefix,
                                        links.get(lang).map(Vec::as_slice).unwrap_or(&[]),
                                    )?;
                                    sink(Path::new(&map_path), map)?;
                                    let mut paths = vec![emit(page)?];
                                    for l in lists {
                                        paths.push(emit(l)?);
                                    }
                                    Ok(paths)
                                }
                            })
                        },
                        || {
                            par_pages(&b.page_jobs(&jobs), |job| {
                                b.render_job(job)?
                                    .into_iter()
                                    .map(emit)
                                    .collect::<Result<Vec<_>, _>>()
                            })
                        },
                    )
                },
                || b.data_exports(&published),
            )
        },
        || {
            par_pages(&service_ids, |id| {
                use super::flowgraph::GraphFormat;
                let texts = service_graphs.render(
                    id,
                    &lang_codes,
                    &[GraphFormat::Dot, GraphFormat::Mermaid],
                );
                let mut written = 0;
                for ((_, prefix), per_lang) in jobs.iter().zip(texts) {
                    for (ext, text) in ["dot", "mmd"].into_iter().zip(per_lang) {
                        sink(
                            Path::new(&format!("{prefix}services/{id}.{ext}")),
                            text.into_bytes(),
                        )?;
                        written += 1;
                    }
                }
                Ok(written)
            })
        },
    );
    html_paths.extend(
        index?
            .into_iter()
            .flatten()
            .chain(pages?.into_iter().flatten()),
    );
    let graph_files: usize = graphs?.iter().sum();
    let mut statics = Vec::new();
    b.statics(root, &mut statics)?;
    // The stylesheet served (a theme's or the project's replaces the default).
    let css = statics
        .iter()
        .rev()
        .find(|(p, _)| p == Path::new("static/style.css"))
        .map(|(_, b)| b.as_slice())
        .unwrap_or(DEFAULT_CSS.as_bytes());
    let (path, html) = b.not_found(css)?;
    let mut files = vec![(PathBuf::from(path), html)];
    files.extend(statics);
    files.extend(exports?);
    b.exports(&mut files, html_paths.clone());
    let others: BTreeSet<&PathBuf> = files.iter().map(|(p, _)| p).collect();
    let rendered = Rendered {
        // + the map file of each language.
        files: html_paths.len() + graph_files + others.len() + jobs.len(),
        pages: html_paths.len()
            + others
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .count(),
    };
    for (path, bytes) in files {
        sink(&path, bytes)?;
    }
    Ok(rendered)
}

/// One page of one language, other than the index and the annexes.
enum Job<'a> {
    Actor(Lang, &'a str, &'a str),
    Service(Lang, &'a str, &'a str),
    Measure(Lang, &'a str, &'a crate::model::Measure),
    Page(Lang, &'a str, &'a crate::model::Page),
}

impl<'a> Builder<'a> {
    fn prefix_of(&self, lang: Lang) -> Option<String> {
        let i = self.langs.iter().position(|l| *l == lang)?;
        Some(lang_prefix(i, lang))
    }

    fn ctx(&self, lang: Lang, prefix: &str, local: &str) -> Ctx<'a> {
        Ctx {
            c: self.c,
            ix: self.ix,
            lang,
            prefix: prefix.to_string(),
            base: base_of(prefix, local),
        }
    }

    fn meta(&self, x: &Ctx, local: &str, title: String) -> PageMeta {
        let c = self.c;
        let cfg = &c.project.config;
        let other = x.lang.other();
        // A numbered page of a long table may have no twin in the other
        // language (rows of another length fill another number of pages):
        // its translation is the page the table belongs to, and it has no
        // alternates.
        let owner = split::owner_of(local);
        let translation = self.prefix_of(other).map(|p| Translation {
            href: format!("{}{p}{}", x.base, owner.as_deref().unwrap_or(local)),
            text: x.t("translation"),
            lang: other.code(),
        });
        let mut nav = vec![
            NavItem {
                href: x.href("index.html"),
                text: x.t("nav_home").into(),
                current: local == "index.html",
                fr: false,
            },
            NavItem {
                href: x.href("annex/index.html"),
                text: x.t("nav_annex").into(),
                current: local.starts_with("annex/"),
                fr: false,
            },
        ];
        for p in c.project.pages.values() {
            let l = format!("pages/{}.html", p.id);
            let (text, fr) = x.own_v(&p.title, &english_key::page_title(&p.id));
            nav.push(NavItem {
                href: x.href(&l),
                text,
                current: local == l,
                fr,
            });
        }
        nav.push(NavItem {
            href: x.href(super::changes::PAGE),
            text: x.t("nav_changes").into(),
            current: local == super::changes::PAGE,
            fr: false,
        });
        nav.push(NavItem {
            href: format!("{}transfers.json", x.base),
            text: x.t("nav_exports").into(),
            current: false,
            fr: false,
        });
        let valid = cfg.publication_date.unwrap_or(c.analysis.as_of);
        let site = cfg
            .base_url
            .as_deref()
            .and_then(safe_url)
            .map(|b| if b.ends_with('/') { b } else { format!("{b}/") });
        let mut alternates: Vec<Alternate> = self
            .langs
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let path = format!("{}{local}", lang_prefix(i, *l));
                Alternate {
                    lang: l.code(),
                    href: match &site {
                        Some(site) => format!("{site}{path}"),
                        None => format!("{}{path}", x.base),
                    },
                }
            })
            .collect();
        if owner.is_some() {
            alternates.retain(|a| a.lang == x.code());
        } else if let Some(first) = alternates.first() {
            let href = first.href.clone();
            alternates.push(Alternate {
                lang: "x-default",
                href,
            });
        }
        PageMeta {
            lang: x.code(),
            title,
            base: x.base.clone(),
            css: format!("{}static/style.css", x.base),
            translation,
            nav,
            provider: cfg.name.clone(),
            version: cfg.version.clone().unwrap_or_else(|| "—".into()),
            valid_from: x.date(valid),
            as_of: x.date(c.analysis.as_of),
            reference_compiled: x.date(c.reference.meta.compiled_on),
            sources_up_to: x.date(c.reference.meta.sources_up_to),
            generator: GENERATOR,
            home: x.href("index.html"),
            feed: x.href(super::changes::FEED),
            geoip_credit: c
                .verification
                .as_ref()
                .and_then(|v| v.database.attribution)
                .map(|a| Link {
                    href: a.url.to_string(),
                    text: a.text.to_string(),
                }),
            alternates,
            inline_css: None,
            css_hash: None,
        }
    }

    fn render_to_string(&self, template: &str, ctx: &Context) -> Result<String, RenderError> {
        self.tera
            .render(template, ctx)
            .map_err(|e| tera_error(&format!("cannot render `{template}`"), &e))
    }

    /// Render a page to bytes: into a buffer sized for a typical page (tera's
    /// own estimate is the template's size, so a page of large tables was
    /// copied at every doubling) and without checking that the output is
    /// UTF-8 again (templates and values are `str`).
    fn render_to_bytes(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::with_capacity(64 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| tera_error(&format!("cannot render `{template}`"), &e))?;
        Ok(out)
    }

    /// The rows of this kind with these ids (unknown ids skipped), rendered,
    /// as a template list (see [`RowCache`]).
    fn rows<'i>(
        &self,
        x: &Ctx,
        kind: RowKind,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Result<tera::Value, RenderError> {
        let mut out = Vec::new();
        for id in ids {
            let row = match self.rows.cell(x, kind, id) {
                Some(cell) => cell
                    .get_or_init(|| self.row(x, kind, id).map_err(|e| e.0))
                    .clone()
                    .map_err(RenderError)?,
                None => self.row(x, kind, id)?,
            };
            out.extend(row);
        }
        Ok(tera::Value::from(out))
    }

    /// One row rendered by its template (`None`: no such row).
    fn row(&self, x: &Ctx, kind: RowKind, id: &str) -> Result<Option<tera::Value>, RenderError> {
        let value = match kind {
            RowKind::Flow => x.flow_v(id).map(|v| tera::Value::from_serializable(&v)),
            RowKind::Access => x.access_v(id).map(|v| tera::Value::from_serializable(&v)),
            RowKind::Transfer => x
                .transfer(id)
                .map(|t| tera::Value::from_serializable(&x.transfer_v(t))),
            RowKind::Risk => x
                .exposure(id)
                .map(|e| tera::Value::from_serializable(&x.risk_row(e))),
        };
        let Some(value) = value else {
            return Ok(None);
        };
        let mut ctx = Context::new();
        ctx.insert_value("t", self.table(x.lang));
        ctx.insert_value(kind.var(), value);
        let html = self.render_to_string(kind.template(), &ctx)?;
        Ok(Some(tera::Value::safe_string(html.trim_end())))
    }

    /// The notes on partial adequacy decisions, as a template value.
    fn notes(&self, lang: Lang) -> tera::Value {
        self.notes
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| tera::Value::from(Vec::<tera::Value>::new()))
    }

    /// The translation table of a language, as a template value (built once).
    fn table(&self, lang: Lang) -> tera::Value {
        self.ix
            .tables
            .get(lang.code())
            .cloned()
            .unwrap_or_else(|| tera::Value::from_serializable(&i18n::table(lang)))
    }

    fn page(
        &self,
        x: &Ctx,
        local: &str,
        template: &str,
        title: String,
        mut ctx: Context,
    ) -> Result<Output, RenderError> {
        let meta = self.meta(x, local, title);
        ctx.insert("page", &meta);
        ctx.insert_value("t", self.table(x.lang));
        ctx.insert_value("notes", self.notes(x.lang));
        let html = self.render_to_bytes(template, &ctx)?;
        Ok((format!("{}{local}", x.prefix), html))
    }

    /// Every page but the index and the annexes, in the order of a
    /// single-threaded build.
    fn page_jobs<'j>(&'j self, langs: &'j [(Lang, String)]) -> Vec<Job<'j>> {
        let p = &self.c.project;
        let mut jobs = Vec::new();
        for (lang, prefix) in langs {
            jobs.extend(p.entities.keys().map(|id| Job::Actor(*lang, prefix, id)));
            jobs.extend(p.services.keys().map(|id| Job::Service(*lang, prefix, id)));
            jobs.extend(p.measures.values().map(|m| Job::Measure(*lang, prefix, m)));
            jobs.extend(p.pages.values().map(|pg| Job::Page(*lang, prefix, pg)));
        }
        jobs
    }

    /// The page of a job and the numbered pages of its long tables.
    fn render_job(&self, job: &Job) -> Result<Vec<Output>, RenderError> {
        match job {
            Job::Actor(lang, prefix, id) => self.actor_page(*lang, prefix, id),
            Job::Service(lang, prefix, id) => self.service_page(*lang, prefix, id),
            Job::Measure(lang, prefix, m) => self.measure_page(*lang, prefix, m).map(|p| vec![p]),
            Job::Page(lang, prefix, pg) => self.free_page(*lang, prefix, pg).map(|p| vec![p]),
        }
    }

    fn measure_page(
        &self,
        lang: Lang,
        prefix: &str,
        m: &crate::model::Measure,
    ) -> Result<Output, RenderError> {
        let c = self.c;
        {
            let local = format!("measures/{}.html", m.id);
            let x = self.ctx(lang, prefix, &local);
            let mut mitigates = Vec::new();
            for t in &m.mitigates {
                let mut fr = false;
                let (kind, link) = match t {
                    MeasureTarget::Entity(e) => (x.t("actors"), x.actor(e)),
                    MeasureTarget::Access(a) => {
                        let text = match c.project.access_paths.get(a).and_then(|p| p.name.as_ref())
                        {
                            Some(name) => {
                                let (text, f) = x.own_v(name, &english_key::access_name(a));
                                fr = f;
                                text
                            }
                            None => a.clone(),
                        };
                        (
                            x.t("access_paths"),
                            Link {
                                href: x.href(&format!("index.html#access-{a}")),
                                text,
                            },
                        )
                    }
                    MeasureTarget::Flow(f) => (
                        x.t("flows"),
                        Link {
                            href: x.href(&format!("{FLOWS_PAGE}#flow-{f}")),
                            text: f.clone(),
                        },
                    ),
                    MeasureTarget::Law(l) => (
                        x.t("col_laws"),
                        Link {
                            href: String::new(),
                            text: c
                                .reference
                                .law(l)
                                .map(|l| l.name_in(lang.code()).to_string())
                                .unwrap_or_else(|| l.clone()),
                        },
                    ),
                };
                mitigates.push(MitigatesV { kind, link, fr });
            }
            #[derive(Serialize)]
            struct MeasureV {
                id: String,
                title: String,
                title_fr: bool,
                kind: &'static str,
                mitigates: Vec<MitigatesV>,
                residual: Option<String>,
                residual_fr: bool,
                level: Option<&'static str>,
                body: String,
                /// The body is the French original (no `<id>.en.md`).
                body_fr: bool,
            }
            let (title, title_fr) = x.own_v(&m.title, &english_key::measure_title(&m.id));
            let residual = m
                .residual_risk
                .as_ref()
                .map(|r| x.own_v(r, &english_key::measure_residual(&m.id)));
            let (body, body_fr) = x.own_v(&m.body, &english_key::measure_body(&m.id));
            let v = MeasureV {
                id: m.id.clone(),
                title: title.clone(),
                title_fr,
                kind: labels::measure_kind(m.kind, lang),
                mitigates,
                residual_fr: residual.as_ref().is_some_and(|r| r.1),
                residual: residual.map(|r| r.0),
                level: m.residual_level.map(|l| labels::risk_level(l, lang)),
                body: markdown::to_safe_html(&body),
                body_fr: body_fr && !m.body.trim().is_empty(),
            };
            let mut ctx = Context::new();
            ctx.insert("measure", &v);
            self.page(&x, &local, "measure.html", title, ctx)
        }
    }

    fn free_page(
        &self,
        lang: Lang,
        prefix: &str,
        p: &crate::model::Page,
    ) -> Result<Output, RenderError> {
        {
            let local = format!("pages/{}.html", p.id);
            let x = self.ctx(lang, prefix, &local);
            #[derive(Serialize)]
            struct PageV {
                id: String,
                title: String,
                body: String,
                /// The French original on an English page (no `<id>.en.md`).
                fr: bool,
            }
            // An English version gives both title and body, or neither.
            let (title, fr) = x.own_v(&p.title, &english_key::page_title(&p.id));
            let (body, _) = x.own_v(&p.body, &english_key::page_body(&p.id));
            let mut ctx = Context::new();
            ctx.insert(
                "content",
                &PageV {
                    id: p.id.clone(),
                    title: title.clone(),
                    body: markdown::to_safe_html(&body),
                    fr,
                },
            );
            self.page(&x, &local, "page.html", title, ctx)
        }
    }

    fn index(
        &self,
        lang: Lang,
        prefix: &str,
        annexes: &[AnnexLinkV],
    ) -> Result<(Output, Output, Vec<Output>), RenderError> {
        let c = self.c;
        let a = &c.analysis;
        let p = &c.project;
        let local = "index.html";
        let x = self.ctx(lang, prefix, local);
        let provider = SectionV {
            id: "provider".into(),
            name: Link {
                href: x.href("index.html"),
                text: x.t("provider_section").into(),
            },
            form: labels::form(a.provider_form, lang),
            statement: x.statement(a.provider_form),
            actors: if a.provider_form == Exi31Form::Table {
                a.provider_actors.iter().map(|r| x.actor_row(r)).collect()
            } else {
                Vec::new()
            },
        };
        // One line per service (its form and counts); its table of actors
        // is on its own page, not repeated here.
        #[derive(Serialize)]
        struct ServiceLineV {
            name: Link,
            form: &'static str,
            transfers: usize,
            exposures: usize,
        }
        let services: Vec<ServiceLineV> = a
            .services
            .values()
            .map(|s| ServiceLineV {
                name: x.service(&s.id),
                form: labels::form(s.form, lang),
                transfers: s.transfers.len(),
                exposures: s.exposures.len(),
            })
            .collect();
        let risks = self.rows(&x, RowKind::Risk, a.exposures.iter().map(|e| e.id.as_str()))?;
        let transfers = self.rows(
            &x,
            RowKind::Transfer,
            a.transfers.iter().map(|t| t.id.as_str()),
        )?;
        // Storage locations (EXI 28) are the sites where health data is
        // stored; the others (recipients' servers for logs, telemetry,
        // other personal data; offices) are listed apart, with the data they
        // receive (issue 17, rule 8).
        let (storage, other_sites): (Vec<&Site>, Vec<&Site>) = p
            .sites
            .values()
            .partition(|s| a.sites.get(&s.id).is_some_and(|u| u.health_storage));
        let storage: Vec<SiteV> = storage.into_iter().map(|s| x.site_v(s)).collect();
        let other_sites: Vec<SiteV> = other_sites.into_iter().map(|s| x.site_v(s)).collect();
        // Only the flows leaving the EEA (those EXI 31 is about); every
        // flow is listed on `flows.html`, linked from here.
        let leaving: HashSet<&str> = a
            .transfers
            .iter()
            .filter(|t| t.kind == crate::analysis::TransferKind::Flow)
            .map(|t| t.source.as_str())
            .collect();
        let flows = self.rows(
            &x,
            RowKind::Flow,
            p.flows
                .keys()
                .map(String::as_str)
                .filter(|f| leaving.contains(f)),
        )?;
        let access = self.rows(
            &x,
            RowKind::Access,
            p.access_paths.keys().map(String::as_str),
        )?;
        // A platform publishing its hosting chain is not the host: the
        // section shows the certified host the analysis found.
        let host_id = if p.config.publisher == crate::model::PublisherRole::Platform {
            c.analysis
                .provider_actors
                .iter()
                .find(|r| r.role == crate::analysis::ActorRole::Host)
                .map(|r| r.entity.as_str())
        } else {
            Some(p.config.host.as_str())
        };
        let host = host_id
            .and_then(|h| p.entities.get(h))
            .map(|e| x.actor_summary(e));
        let actors: Vec<ActorSummaryV> = p.entities.values().map(|e| x.actor_summary(e)).collect();
        let measures: Vec<OwnLink> = p.measures.keys().map(|m| x.measure(m)).collect();
        let map_svg = super::map::world_map_svg(c, lang.code());
        let map_rows: Vec<MapRowV> = super::map::map_rows(c, lang.code())
            .into_iter()
            .map(|r| MapRowV {
                country: format!("{} ({})", r.country_name, r.country),
                kind: r.kind,
                label: r.label,
                in_eea: i18n::yes_no(r.in_eea, lang),
                status: r.status,
            })
            .collect();
        let policy = if a.policy.partial_adequacy_is_exposure {
            x.t("policy_partial_exposure")
        } else {
            x.t("policy_partial_ok")
        };
        let mut ctx = Context::new();
        ctx.insert("summary", &x.summary());
        ctx.insert("map_file", &x.href(MAP_FILE));
        // Every table that grows with the inventory keeps its first rows
        // here and goes whole to numbered pages beside the index (see
        // `split`): the page holds the answer and the map at any size.
        let mut splits = split::Splits::default();
        let provider_caption = format!("{} — {}", x.t("actors_table"), x.t("provider_section"));
        for (key, var, caption, rows) in [
            (
                "actors",
                "provider_rows",
                provider_caption,
                to_values(&provider.actors),
            ),
            (
                "risks",
                "risks",
                x.t("risk_table").to_string(),
                list_of(&risks),
            ),
            (
                "transfers",
                "transfers",
                x.t("transfers").to_string(),
                list_of(&transfers),
            ),
            (
                "storage",
                "storage",
                x.t("storage").to_string(),
                to_values(&storage),
            ),
            (
                "other-sites",
                "other_sites",
                x.t("other_sites").to_string(),
                to_values(&other_sites),
            ),
            (
                "flows",
                "flows",
                x.t("flows_leaving").to_string(),
                list_of(&flows),
            ),
            (
                "access",
                "access",
                x.t("access_paths").to_string(),
                list_of(&access),
            ),
            (
                "directory",
                "actors",
                x.t("actors").to_string(),
                to_values(&actors),
            ),
            (
                "map",
                "map_rows",
                x.t("map_table").to_string(),
                to_values(&map_rows),
            ),
            (
                "services",
                "services",
                x.t("services_forms").to_string(),
                to_values(&services),
            ),
            (
                "annexes",
                "annexes",
                x.t("annexes").to_string(),
                to_values(annexes),
            ),
        ] {
            // The numbered pages name the table's variable as its partial does.
            let list_var = match key {
                "actors" => "rows",
                "storage" | "other-sites" => "sites",
                _ => var,
            };
            self.split_into(
                &x,
                local,
                &mut ctx,
                &mut splits,
                (key, var, list_var),
                caption,
                rows,
            )?;
        }
        ctx.insert("pagers", &splits.pagers);
        let lists = splits.pages;
        ctx.insert("provider", &provider);
        ctx.insert("flows_caption", x.t("flows_leaving"));
        ctx.insert(
            "all_flows",
            &Link {
                href: x.href(FLOWS_PAGE),
                text: format!("{} ({})", x.t("flows_all_link"), p.flows.len()),
            },
        );
        ctx.insert("host", &host);
        ctx.insert("measures", &measures);
        ctx.insert("map_svg", &map_svg);
        ctx.insert("map_legend", &super::map::legend_html(c, lang.code()));
        ctx.insert("policy", &policy);
        ctx.insert("policy_rationale", &a.policy.rationale);
        ctx.insert("geoip_verification", &x.verification_summary());
        ctx.insert(
            "exports",
            &[
                Link {
                    href: format!("{}transfers.json", x.base),
                    text: x.t("transfers_json").into(),
                },
                Link {
                    href: format!("{}transfers.schema.json", x.base),
                    text: x.t("transfers_schema").into(),
                },
                Link {
                    href: x.href("transfers.csv"),
                    text: x.t("transfers_csv").into(),
                },
                Link {
                    href: x.href("transfers.xlsx"),
                    text: x.t("transfers_xlsx").into(),
                },
            ],
        );
        let title = format!("{} — {}", x.t("index_title"), p.config.name);
        let page = self.page(&x, local, "index.html", title, ctx)?;
        let map = (
            format!("{prefix}{MAP_FILE}"),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", map_svg).into_bytes(),
        );
        Ok((page, map, lists))
    }

    /// `flows.html`: every declared flow, in id order (the index keeps the
    /// flows leaving the EEA; at scale the complete table is most of a
    /// publication page's weight).
    fn flows_page(&self, lang: Lang, prefix: &str) -> Result<(Output, Vec<Output>), RenderError> {
        let p = &self.c.project;
        let x = self.ctx(lang, prefix, FLOWS_PAGE);
        let flows = self.rows(&x, RowKind::Flow, p.flows.keys().map(String::as_str))?;
        let (flows, pager, lists) = self.split_table(
            &x,
            split::Table {
                owner: FLOWS_PAGE,
                key: "flows",
                var: "flows",
                caption: x.t("flows_all").to_string(),
                rows: list_of(&flows),
            },
        )?;
        let mut ctx = Context::new();
        ctx.insert_value("flows", flows);
        ctx.insert("pager", &pager);
        ctx.insert("flows_caption", x.t("flows_all"));
        ctx.insert(
            "publication",
            &Link {
                href: x.href("index.html#flows"),
                text: x.t("flows_leaving").into(),
            },
        );
        let title = format!("{} — {}", x.t("flows_all"), p.config.name);
        Ok((self.page(&x, FLOWS_PAGE, "flows.html", title, ctx)?, lists))
    }

    fn actor_page(&self, lang: Lang, prefix: &str, id: &str) -> Result<Vec<Output>, RenderError> {
        let c = self.c;
        let p = &c.project;
        let ix = self.ix;
        let Some(e) = p.entities.get(id) else {
            return Ok(Vec::new());
        };
        let local = format!("actors/{id}.html");
        let x = self.ctx(lang, prefix, &local);
        // Control chain, nearest parent first, cycle-safe.
        #[derive(Serialize)]
        struct ChainV {
            link: Link,
            country: String,
            share: Option<String>,
        }
        let mut chain = Vec::new();
        let mut seen = BTreeSet::from([id.to_string()]);
        let mut cur = e;
        let mut cur_id: &str = id;
        while let Some(pid) = &cur.parent {
            let Some(parent) = p.entities.get(pid) else {
                break;
            };
            if !seen.insert(pid.clone()) {
                break;
            }
            if chain.len() + 1 == CHAIN_SHOWN
                && let Some(&(top_id, depth)) = ix.ultimate.get(pid.as_str())
                && depth > 1
            {
                // Every page listing a deep chain whole would make the site
                // grow with the square of its depth: the nearest parents,
                // then a link to the page where the chain goes on, then the
                // ultimate parent.
                let Some(top) = p.entities.get(top_id) else {
                    break;
                };
                let text = if lang.is_fr() {
                    format!(
                        "… {depth} autres entités : la chaîne continue sur la page de {}",
                        x.entity_name(cur_id)
                    )
                } else {
                    format!(
                        "… {depth} more entities: the chain goes on on the page of {}",
                        x.entity_name(cur_id)
                    )
                };
                chain.push(ChainV {
                    link: Link {
                        href: x.actor(cur_id).href,
                        text,
                    },
                    country: String::new(),
                    share: None,
                });
                chain.push(ChainV {
                    link: x.actor(top_id),
                    country: x.country(&top.country),
                    share: None,
                });
                break;
            }
            chain.push(ChainV {
                link: x.actor(pid),
                country: x.country(&parent.country),
                share: cur.control_share.map(|s| format!("{s} %")),
            });
            cur = parent;
            cur_id = pid;
        }
        // Holdings that are not control (issue 17, rule 4): shown as
        // holdings, never in the control chain.
        #[derive(Serialize)]
        struct HoldingV {
            link: Link,
            country: String,
            text: String,
        }
        let holdings: Vec<HoldingV> = e
            .shareholders
            .iter()
            .filter(|h| Some(&h.holder) != e.parent.as_ref())
            .filter_map(|h| {
                let he = p.entities.get(&h.holder)?;
                let mut parts = Vec::new();
                if let Some(v) = h.voting {
                    parts.push(format!("{} {v} %", x.t("holding_voting")));
                }
                if let Some(c) = h.capital {
                    parts.push(format!("{} {c} %", x.t("holding_capital")));
                }
                if h.veto {
                    parts.push(x.t("holding_veto").to_string());
                }
                if parts.is_empty() {
                    parts.push(x.t("not_stated").to_string());
                }
                Some(HoldingV {
                    link: x.actor(&h.holder),
                    country: x.country(&he.country),
                    text: parts.join(", "),
                })
            })
            .collect();
        // Its own exposures, and those it causes as a parent up the chain.
        let risks = self.rows(
            &x,
            RowKind::Risk,
            list(&ix.risks_of_entity, id).iter().map(|e| e.id.as_str()),
        )?;
        let sites: Vec<SiteV> = list(&ix.sites_of_operator, id)
            .iter()
            .map(|s| x.site_v(s))
            .collect();
        let flows = self.rows(
            &x,
            RowKind::Flow,
            list(&ix.flows_of_entity, id).iter().copied(),
        )?;
        let access = self.rows(
            &x,
            RowKind::Access,
            list(&ix.access_of_entity, id).iter().copied(),
        )?;
        let transfers = self.rows(
            &x,
            RowKind::Transfer,
            list(&ix.transfers_to, id).iter().map(|t| t.id.as_str()),
        )?;
        let mut measure_ids: BTreeSet<&str> =
            list(&ix.measures_of_entity, id).iter().copied().collect();
        for x in list(&ix.exposures_of_entity, id) {
            measure_ids.extend(x.measures.iter().map(|m| m.as_str()));
        }
        for t in list(&ix.transfers_to, id) {
            measure_ids.extend(t.measures.iter().map(|m| m.as_str()));
        }
        let measures: Vec<OwnLink> = measure_ids.iter().map(|m| x.measure(m)).collect();
        let findings: Vec<FindingV> = list(&ix.findings_of_entity, id)
            .iter()
            .map(|f| x.finding(f))
            .collect();
        let services: Vec<Link> = list(&ix.services_of_actor, id)
            .iter()
            .map(|s| x.service(s))
            .collect();
        #[derive(Serialize)]
        struct ActorV {
            id: String,
            summary: ActorSummaryV,
            description: Option<String>,
            description_fr: bool,
            /// Only http(s) addresses; anything else is not printed.
            website: Option<String>,
            dpf: &'static str,
            scopes: Vec<String>,
        }
        let description = e
            .description
            .as_ref()
            .map(|d| x.own_v(d, &english_key::entity_description(id)));
        let v = ActorV {
            id: id.to_string(),
            summary: x.actor_summary(e),
            description_fr: description.as_ref().is_some_and(|d| d.1),
            description: description.map(|d| d.0),
            website: e.website.as_deref().and_then(safe_url),
            dpf: i18n::yes_no(e.dpf, lang),
            scopes: e.adequacy_scopes.clone(),
        };
        let mut ctx = Context::new();
        ctx.insert("actor", &v);
        ctx.insert("chain", &chain);
        ctx.insert("holdings", &holdings);
        // A hub (the host, a large subcontractor) lists thousands of rows:
        // its long tables go to numbered pages beside its page.
        let mut splits = split::Splits::default();
        for (key, caption, rows) in [
            ("risks", x.t("risk_table").to_string(), list_of(&risks)),
            (
                "sites",
                x.t("sites_operated").to_string(),
                to_values(&sites),
            ),
            ("flows", x.t("flows").to_string(), list_of(&flows)),
            ("access", x.t("access_paths").to_string(), list_of(&access)),
            (
                "transfers",
                x.t("transfers").to_string(),
                list_of(&transfers),
            ),
        ] {
            self.split_into(
                &x,
                &local,
                &mut ctx,
                &mut splits,
                (key, key, key),
                caption,
                rows,
            )?;
        }
        ctx.insert("pagers", &splits.pagers);
        ctx.insert("measures", &measures);
        ctx.insert("findings", &findings);
        ctx.insert("services", &services);
        // GeoIP evidence of the access paths this actor's teams use (its
        // sites carry theirs in the sites table).
        let access_ids: BTreeSet<&str> = list(&ix.access_of_entity, id)
            .iter()
            .copied()
            .filter(|a| p.access_paths.get(*a).is_some_and(|ap| ap.team == id))
            .collect();
        let evidence: Vec<String> = access_ids
            .iter()
            .flat_map(|a| x.evidence(crate::verify::Holder::Access, a))
            .collect();
        ctx.insert("evidence", &evidence);
        ctx.insert("provider_chain", &p.chain_note(id, lang.is_fr()));
        let page = self.page(&x, &local, "actor.html", e.legal_name.clone(), ctx)?;
        let mut out = vec![page];
        out.extend(splits.pages);
        Ok(out)
    }

    fn service_page(&self, lang: Lang, prefix: &str, id: &str) -> Result<Vec<Output>, RenderError> {
        let c = self.c;
        let p = &c.project;
        let ix = self.ix;
        let (Some(svc), Some(sa)) = (p.services.get(id), c.analysis.services.get(id)) else {
            return Ok(Vec::new());
        };
        let local = format!("services/{id}.html");
        let x = self.ctx(lang, prefix, &local);
        let section = SectionV {
            id: id.to_string(),
            name: x.service(id),
            form: labels::form(sa.form, lang),
            statement: x.statement(sa.form),
            actors: sa.actors.iter().map(|r| x.actor_row(r)).collect(),
        };
        // Where this service's health data is stored (EXI 28): its declared
        // sites and the sites its health data is copied to.
        let sites: Vec<SiteV> = list(&ix.storage_of_service, id)
            .iter()
            .filter_map(|s| p.sites.get(*s))
            .map(|s| x.site_v(s))
            .collect();
        let transfers = self.rows(
            &x,
            RowKind::Transfer,
            sa.transfers.iter().map(String::as_str),
        )?;
        let risks = self.rows(&x, RowKind::Risk, sa.exposures.iter().map(String::as_str))?;
        let mut measure_ids: BTreeSet<String> = BTreeSet::new();
        for t in sa.transfers.iter().filter_map(|t| x.transfer(t)) {
            measure_ids.extend(t.measures.iter().cloned());
        }
        for e in sa.exposures.iter().filter_map(|e| x.exposure(e)) {
            measure_ids.extend(e.measures.iter().cloned());
        }
        let measures: Vec<OwnLink> = measure_ids.iter().map(|m| x.measure(m)).collect();
        let flows = self.rows(
            &x,
            RowKind::Flow,
            list(&ix.flows_of_service, id).iter().copied(),
        )?;
        let access = self.rows(
            &x,
            RowKind::Access,
            list(&ix.access_of_service, id).iter().copied(),
        )?;
        let findings: Vec<FindingV> = list(&ix.findings_of_service, id)
            .iter()
            .map(|f| x.finding(f))
            .collect();
        #[derive(Serialize)]
        struct ServiceV {
            id: String,
            name: String,
            description: Option<String>,
            description_fr: bool,
            annex: String,
        }
        let description = svc
            .description
            .as_ref()
            .map(|d| x.own_v(d, &english_key::service_description(id)));
        let mut ctx = Context::new();
        ctx.insert(
            "service",
            &ServiceV {
                id: id.to_string(),
                name: x.service_name(svc),
                description_fr: description.as_ref().is_some_and(|d| d.1),
                description: description.map(|d| d.0),
                annex: x.href(&format!("annex/{id}.html")),
            },
        );
        ctx.insert("section", &section);
        // A service with thousands of rows: its long tables go to numbered
        // pages beside its page.
        let mut splits = split::Splits::default();
        let actors_caption = format!("{} — {}", x.t("actors_table"), x.service_name(svc));
        for (key, caption, rows) in [
            ("actors", actors_caption, to_values(&section.actors)),
            ("sites", x.t("storage").to_string(), to_values(&sites)),
            (
                "transfers",
                x.t("transfers").to_string(),
                list_of(&transfers),
            ),
            ("risks", x.t("risk_table").to_string(), list_of(&risks)),
            ("flows", x.t("flows").to_string(), list_of(&flows)),
            ("access", x.t("access_paths").to_string(), list_of(&access)),
        ] {
            let vars = match key {
                "actors" => (key, "actor_rows", "rows"),
                k => (k, k, k),
            };
            self.split_into(&x, &local, &mut ctx, &mut splits, vars, caption, rows)?;
        }
        ctx.insert("pagers", &splits.pagers);
        ctx.insert("measures", &measures);
        ctx.insert("findings", &findings);
        // The service's flow graph is published beside the page
        // (`<id>.dot`, `<id>.mmd`, see `render_into`).
        ctx.insert("graph_stem", id);
        let page = self.page(&x, &local, "service.html", x.service_name(svc), ctx)?;
        let mut out = vec![page];
        out.extend(splits.pages);
        Ok(out)
    }

    /// The contract annexes of every language (whole provider, then per
    /// service), in the order of a single-threaded build.
    fn annex_jobs(&self, langs: &[(Lang, String)]) -> Vec<(Lang, String, Option<String>)> {
        let mut jobs = Vec::new();
        for (lang, prefix) in langs {
            jobs.push((*lang, prefix.clone(), None));
            jobs.extend(
                self.c
                    .project
                    .services
                    .keys()
                    .map(|s| (*lang, prefix.clone(), Some(s.clone()))),
            );
        }
        jobs
    }

    /// One contract annex, as its HTML page and its canonical text (what
    /// the fingerprint covers, `annex/<id>.txt`); returns its link and
    /// fingerprint for the index page.
    fn annex(
        &self,
        lang: Lang,
        prefix: &str,
        service: Option<&str>,
    ) -> Result<(Lang, AnnexLinkV, Vec<Output>, Vec<Output>), RenderError> {
        let stem = service.unwrap_or("index");
        let local = format!("annex/{stem}.html");
        let x = &self.ctx(lang, prefix, &local);
        let local = local.as_str();
        let doc = x.annex_doc(service);
        let canonical = super::annex::canonical::text(&doc);
        let hash = super::annex::canonical::fingerprint(&canonical);
        let pieces = super::annex::html::pieces(&doc, &hash, &format!("{stem}.txt"));
        let (body, parts) = self.annex_parts(x, local, &doc, pieces)?;
        let mut ctx = Context::new();
        ctx.insert("annex_hash", &hash);
        ctx.insert("annex_footer", &doc.footer(&hash));
        ctx.insert("annex_stem", stem);
        let annex_pdf = self.c.project.config.annex_pdf;
        ctx.insert("annex_pdf", &annex_pdf);
        ctx.insert("annex_token", &super::annex::canonical::token(&doc, &hash));
        ctx.insert("annex_split", &!parts.is_empty());
        // The whole provider's annex links every service's annex (on
        // numbered pages when they are many).
        let mut splits = split::Splits::default();
        if service.is_none() {
            let rows: Vec<tera::Value> = self
                .c
                .project
                .services
                .keys()
                .map(|s| {
                    tera::Value::from_serializable(&AnnexLinkV {
                        link: Link {
                            href: format!("{s}.html"),
                            text: x.service(s).text,
                        },
                        hash: String::new(),
                    })
                })
                .collect();
            let caption = x.t("ax_per_service").to_string();
            let vars = ("annexes", "annex_services", "annexes");
            self.split_into(x, local, &mut ctx, &mut splits, vars, caption, rows)?;
        }
        ctx.insert("pagers", &splits.pagers);
        let mut pages = Vec::new();
        for (part_local, title, part_body) in parts {
            let px = self.ctx(lang, prefix, &part_local);
            let mut pctx = ctx.clone();
            pctx.insert("annex_body", &part_body);
            pctx.insert("annex_part", &true);
            pctx.remove("annex_services");
            pages.push(self.page(&px, &part_local, "annex.html", title, pctx)?);
        }
        pages.extend(splits.pages);
        ctx.insert("annex_body", &body);
        let (path, html) = self.page(
            x,
            local,
            "annex.html",
            format!("{} — {}", doc.title, doc.scope),
            ctx,
        )?;
        let text = match service {
            None => x.t("annex_whole").to_string(),
            Some(s) => x.service(s).text,
        };
        let index_x = self.ctx(lang, prefix, "index.html");
        let link = AnnexLinkV {
            link: Link {
                href: index_x.href(local),
                text,
            },
            hash,
        };
        let docx = super::annex::docx::write(&doc).map_err(RenderError)?;
        let mut html_pages = vec![(path, html)];
        html_pages.extend(pages);
        let mut files = vec![
            (
                format!("{}annex/{stem}.txt", x.prefix),
                canonical.into_bytes(),
            ),
            (format!("{}annex/{stem}.docx", x.prefix), docx),
        ];
        // Only on request (`annex_pdf = true`): see `Config::annex_pdf`.
        if annex_pdf {
            let pdf = super::annex::pdf::write(&doc).map_err(RenderError)?;
            files.push((format!("{}annex/{stem}.pdf", x.prefix), pdf));
        }
        Ok((lang, link, html_pages, files))
    }

    /// The body of an annex page and its numbered pages: a long table or run of subsections keeps its first items on
    /// the page, with a pager to numbered pages that hold all of them
    /// (`annex/index.table2-1.html`, see `split`). The document itself (Word,
    /// PDF, canonical text) stays whole.
    fn annex_parts(
        &self,
        x: &Ctx,
        local: &str,
        doc: &super::annex::AnnexDoc,
        pieces: Vec<super::annex::html::Piece>,
    ) -> Result<(String, Vec<AnnexPart>), RenderError> {
        use super::annex::html::{Piece, escape};
        let pager_html = |pager: &split::PagerV| -> Result<String, RenderError> {
            let mut ctx = Context::new();
            ctx.insert("pager", pager);
            self.render_to_string("partials/pager.html", &ctx)
        };
        let mut body = String::new();
        let mut parts = Vec::new();
        for piece in pieces {
            let (key, section, caption, open, items, close) = match piece {
                Piece::Html(s) => {
                    body.push_str(&s);
                    continue;
                }
                Piece::Rows {
                    key,
                    section,
                    caption,
                    open,
                    items,
                    close,
                } => (key, section, caption, open, items, close),
            };
            let values: Vec<tera::Value> =
                items.iter().map(|i| tera::Value::safe_string(i)).collect();
            let Some(plan) = split::plan(x, local, &key, &caption, &values) else {
                body.push_str(&open);
                items.iter().for_each(|i| body.push_str(i));
                body.push_str(&close);
                continue;
            };
            body.push_str(&open);
            items[..plan.shown].iter().for_each(|i| body.push_str(i));
            body.push_str(&close);
            body.push_str(&pager_html(&plan.pager)?);
            body.push('\n');
            for page in plan.pages {
                // `h1` the document, `h2` the section and page, then the
                // rows (a table, or `h3` subsections).
                let mut b = format!(
                    "<h1>{} — {}</h1>\n<h2>{} — {}</h2>\n<p><a href=\"{}\">{}</a></p>\n",
                    escape(&doc.title),
                    escape(&doc.scope),
                    escape(&section),
                    escape(&page.range),
                    escape(split::file_name(local)),
                    escape(x.t("ax_part_back")),
                );
                b.push_str(&pager_html(&page.pager)?);
                b.push('\n');
                b.push_str(&open);
                items[page.rows].iter().for_each(|i| b.push_str(i));
                b.push_str(&close);
                parts.push((page.local, page.title, b));
            }
        }
        Ok((body, parts))
    }

    /// `changes.html` and `feed.xml` of one language (see `render::changes`).
    fn changes(
        &self,
        published: &crate::publication::history::Published,
        lang: Lang,
        prefix: &str,
    ) -> Result<(Output, Output), RenderError> {
        let local = super::changes::PAGE;
        let x = self.ctx(lang, prefix, local);
        let ctx = super::changes::page_context(published, lang, &x.base, prefix);
        let page = self.page(&x, local, "changes.html", x.t("changes_title").into(), ctx)?;
        let feed = super::changes::feed(&published.current, &published.history, lang, prefix);
        Ok((
            page,
            (
                format!("{prefix}{}", super::changes::FEED),
                feed.into_bytes(),
            ),
        ))
    }

    /// `404.html`, with `css` (the site's stylesheet) inlined: a server
    /// shows it at any path, and a page opened from disk or a preview host
    /// must not ask `base_url` for its stylesheet (its own CSP would block
    /// the request and leave it unstyled). The CSP allows exactly that
    /// stylesheet by its hash. A stylesheet that could close the `<style>`
    /// element is linked instead.
    fn not_found(&self, css: &[u8]) -> Result<Output, RenderError> {
        let lang = self.langs.first().copied().unwrap_or(Lang::Fr);
        let local = "404.html";
        let x = self.ctx(lang, "", local);
        let mut meta = self.meta(&x, "index.html", x.t("not_found_title").into());
        // A server shows this page at any depth: use absolute links when the
        // site's address is known.
        if let Some(base) = self.c.project.config.base_url.as_deref().and_then(safe_url) {
            let base = if base.ends_with('/') {
                base
            } else {
                format!("{base}/")
            };
            let abs = |h: &str| format!("{base}{h}");
            meta.css = abs(&meta.css);
            meta.home = abs(&meta.home);
            meta.feed = abs(&meta.feed);
            for n in &mut meta.nav {
                n.href = abs(&n.href);
                n.current = false;
            }
            if let Some(t) = &mut meta.translation {
                t.href = abs(&t.href);
            }
            meta.base = base;
        } else {
            for n in &mut meta.nav {
                n.current = false;
            }
        }
        // Not a page of its own in any language: no alternates.
        meta.alternates.clear();
        if let Ok(css) = std::str::from_utf8(css)
            && !css.to_ascii_lowercase().contains("</style")
        {
            meta.css_hash = Some(format!(
                "sha256-{}",
                base64(<sha2::Sha256 as sha2::Digest>::digest(css.as_bytes()).as_slice())
            ));
            meta.inline_css = Some(css.to_string());
        }
        let mut ctx = Context::new();
        ctx.insert("page", &meta);
        ctx.insert_value("t", self.table(lang));
        let html = self.render_to_string("404.html", &ctx)?;
        Ok(("404.html".to_string(), html.into_bytes()))
    }

    fn statics(&self, root: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<(), RenderError> {
        files.push((
            PathBuf::from("static/style.css"),
            DEFAULT_CSS.as_bytes().to_vec(),
        ));
        let mut dirs = Vec::new();
        if let Some(t) = self.c.project.config.theme.as_deref() {
            dirs.push(root.join("themes").join(t).join("static"));
        }
        dirs.push(root.join("static"));
        for dir in dirs {
            for (name, path) in files_under(root, &dir) {
                let bytes = crate::safefs::read_inside(root, &path).map_err(|e| {
                    let shown = crate::diag::display_path(root, &path);
                    RenderError(e.message_and_help(&shown, root).0)
                })?;
                files.push((PathBuf::from("static").join(name), bytes));
            }
        }
        Ok(())
    }

    /// The data exports (rendered while the pages are): `transfers.json`
    /// and its schema at the root; in each language's folder, the
    /// spreadsheets in that language (`transfers.csv`, `transfers.xlsx`).
    fn data_exports(
        &self,
        published: &crate::publication::history::Published,
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, RenderError> {
        let c = self.c;
        let mut files = vec![
            (
                PathBuf::from("transfers.json"),
                crate::publication::write::transfers_json_with_history(c, &published.history)
                    .into_bytes(),
            ),
            (
                PathBuf::from("transfers.schema.json"),
                crate::publication::write::transfers_schema().into_bytes(),
            ),
        ];
        let langs: Vec<(Lang, String)> = self
            .langs
            .iter()
            .filter_map(|l| Some((*l, self.prefix_of(*l)?)))
            .collect();
        let sheets = par_pages(&langs, |(lang, prefix)| {
            let x = self.ctx(*lang, prefix, "transfers.csv");
            let csv = sheets::csv(&sheets::transfers(&x), sheets::separator(*lang))
                .map_err(|e| RenderError(format!("cannot write {prefix}transfers.csv: {e}")))?;
            let title = format!("{} — {}", x.t("index_title"), c.project.config.name);
            let created = c
                .project
                .config
                .publication_date
                .unwrap_or(c.analysis.as_of);
            let xlsx = sheets::xlsx(&sheets::all(&x), &title, *lang, created)
                .map_err(|e| RenderError(format!("cannot write {prefix}transfers.xlsx: {e}")))?;
            Ok([
                (PathBuf::from(format!("{prefix}transfers.csv")), csv),
                (PathBuf::from(format!("{prefix}transfers.xlsx")), xlsx),
            ])
        })?;
        files.extend(sheets.into_iter().flatten());
        Ok(files)
    }

    /// The sitemap (of every page rendered) and robots.txt. No sitemap
    /// without `base_url`: the protocol wants absolute URLs, and relative
    /// ones are ignored or misread by crawlers (`build` says so).
    fn exports(&self, files: &mut Vec<(PathBuf, Vec<u8>)>, mut paths: Vec<String>) {
        let c = self.c;
        let base = c
            .project
            .config
            .base_url
            .as_deref()
            .filter(|b| !b.trim().is_empty());
        for l in &self.langs {
            if let Some(p) = self.prefix_of(*l) {
                paths.push(format!("{p}{}", super::changes::FEED));
            }
        }
        paths.sort();
        if base.is_some() {
            for (name, xml) in super::files::sitemaps(base, &paths) {
                files.push((PathBuf::from(name), xml.into_bytes()));
            }
        }
        files.push((
            PathBuf::from("robots.txt"),
            super::files::robots(base).into_bytes(),
        ));
    }
}

mod annex_doc;

/// The contract annex of `service` (`None`: all services) in `lang`, as a
/// document (`sovmap annex`); the same as the site's annex pages.
pub fn annex_document(c: &Checked, lang: Lang, service: Option<&str>) -> super::annex::AnnexDoc {
    let langs = languages(c);
    let ix = Index::new(c, &langs);
    let x = Ctx {
        c,
        ix: &ix,
        lang,
        prefix: String::new(),
        base: "../".to_string(),
    };
    x.annex_doc(service)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648() {
        for (input, b64) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(input.as_bytes()), b64);
        }
        assert_eq!(super::base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn escaping_is_teras_byte_for_byte() {
        let all: String = (0u8..128).map(char::from).collect();
        for s in [
            "",
            "plain",
            "&",
            "a&",
            "&&<<>>\"\"''",
            "<a href=\"x\">l'EEE & co</a>",
            "Montréal — 東京 & 'x' <é>",
            all.as_str(),
            // Specials at every position of an eight-byte word and across
            // word boundaries; long runs without any.
            "abcdefg&hijklmn<opqrstu>vwxyz01\"2345678'",
            "0123456789abcdef0123456789abcdef",
            "&1234567&1234567<1234567>",
            "ÉéÈèÀàÙù&ÉéÈèÀàÙù'",
        ] {
            let mut ours = Vec::new();
            super::escape_html(s, &mut ours).unwrap();
            let mut theirs = Vec::new();
            // tera's, after the control characters are replaced.
            tera::escape_html(&crate::visible::replace_controls(s), &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{s}");
        }
        // Every special character at every offset of a 20-byte string.
        for c in [
            '&', '<', '>', '"', '\'', 'a', '\u{e9}', '\u{1b}', '\0', '\u{7f}', '\u{85}',
            '\u{202e}', '\u{ab}', '\u{2019}', '\u{2066}', '\u{61c}', '\u{600}',
        ] {
            for at in 0..20 {
                let s: String = (0..20).map(|i| if i == at { c } else { 'x' }).collect();
                let mut ours = Vec::new();
                super::escape_html(&s, &mut ours).unwrap();
                let mut theirs = Vec::new();
                tera::escape_html(&crate::visible::replace_controls(&s), &mut theirs).unwrap();
                assert_eq!(ours, theirs, "{s}");
            }
        }
    }
}
