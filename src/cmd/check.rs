//! `sovmap check`: load, validate, analyse, print findings.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::analysis::{Analysis, Finding, Severity};
use crate::cli::{CheckArgs, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global};
use crate::diag::{Diagnostics, Resolved};
use crate::{AsOfSource, Checked};

/// Version of the `--format json` output; bumped on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

pub fn run(global: &Global, args: &CheckArgs) -> i32 {
    let progress = crate::cmd::progress::Progress::start(
        global,
        "Loading and analysing the declarations",
        false,
    );
    let checked = crate::check_project(&global.root, global.as_of);
    progress.finish();
    match checked {
        Err(diags) => {
            print_invalid(&diags, args.format, global.use_color());
            EXIT_INVALID
        }
        Ok((mut checked, source)) => {
            if crate::cmd::verify::wanted(&checked, args.verify, args.geoip.choice())
                && let Err(e) = crate::cmd::verify::run_verification(
                    &mut checked,
                    &global.root,
                    args.geoip.choice(),
                )
            {
                crate::cmd::verify::print_db_error(&e, args.format);
                return EXIT_INVALID;
            }
            let denied = checked.analysis.denied(args.deny.severity());
            let reported = std::time::Instant::now();
            let out = match args.format {
                Format::Json => json(&checked, source),
                Format::Text => text(&checked, source, global),
            };
            let out = match args.format {
                Format::Json => out,
                Format::Text => crate::visible::terminal(&out, global.use_color()).into_owned(),
            };
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.as_bytes());
            let _ = stdout.flush();
            if global.timings {
                eprintln!(
                    "timings: load {:.3} s, analysis {:.3} s, report {:.3} s",
                    checked.timings.load.as_secs_f64(),
                    checked.timings.analysis.as_secs_f64(),
                    reported.elapsed().as_secs_f64(),
                );
            }
            // The process exits right after: freeing the inventory, graph
            // and analysis one allocation at a time would only add to the
            // wall time (about 6 % of `check` at N = 10,000).
            std::mem::forget(checked);
            if denied { EXIT_FINDINGS } else { EXIT_OK }
        }
    }
}

/// Print load diagnostics (text on stderr, or JSON on stdout).
pub fn print_invalid(diags: &Diagnostics, format: Format, color: bool) {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Omitted {
                file: Option<String>,
                count: usize,
            }
            #[derive(Serialize)]
            struct Invalid {
                #[serde(flatten)]
                head: super::JsonHead,
                diagnostics: Vec<Resolved>,
                /// Problems left out over the caps (at most
                /// diag::MAX_PER_FILE per file, diag::MAX_TOTAL in all).
                omitted: usize,
                #[serde(skip_serializing_if = "Vec::is_empty")]
                omitted_by_file: Vec<Omitted>,
            }
            let v = Invalid {
                head: super::JsonHead {
                    format_version: JSON_FORMAT_VERSION,
                    status: "invalid",
                },
                diagnostics: diags.resolved(),
                omitted: diags.omitted(),
                omitted_by_file: diags
                    .omitted_by_file()
                    .into_iter()
                    .map(|(file, count)| Omitted { file, count })
                    .collect(),
            };
            print!("{}", super::json_text(&v));
        }
        Format::Text => {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(diags.render(color).as_bytes());
            let n = diags.error_count();
            let _ = writeln!(
                stderr,
                "error: the declarations are invalid ({n} problem{}); nothing was analysed",
                if n == 1 { "" } else { "s" }
            );
        }
    }
}

/// File name, line and column (1-based) of a finding's declaration, when it has one.
pub(crate) fn location(diags: &Diagnostics, f: &Finding) -> Option<(String, usize, usize)> {
    let file = diags.files.get(f.loc.file?)?;
    let (l, c) = file.line_col(f.loc.span.start);
    Some((file.name.clone(), l, c))
}

/// A finding in JSON output, with the place of its declaration (shared by
/// `check` and `verify`).
#[derive(Serialize)]
pub(crate) struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

impl<'a> JsonFinding<'a> {
    pub(crate) fn new(diags: &Diagnostics, finding: &'a Finding) -> JsonFinding<'a> {
        let (file, line, column) = match location(diags, finding) {
            Some((file, line, column)) => (Some(file), Some(line), Some(column)),
            None => (None, None, None),
        };
        JsonFinding {
            finding,
            file,
            line,
            column,
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    head: super::ReportHead<'a>,
    host: &'a str,
    as_of: String,
    as_of_source: AsOfSource,
    reference_compiled_on: String,
    summary: BTreeMap<&'static str, usize>,
    #[serde(flatten)]
    analysis: &'a Analysis,
    #[serde(rename = "findings_located")]
    findings_located: Vec<JsonFinding<'a>>,
    notes: Vec<Resolved>,
    /// GeoIP evidence (`--verify`); absent when verification was not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<&'a crate::verify::Verification>,
}

fn json(c: &Checked, source: AsOfSource) -> String {
    let a = &c.analysis;
    let summary = BTreeMap::from([
        ("error", a.count(Severity::Error)),
        ("warning", a.count(Severity::Warning)),
        ("notice", a.count(Severity::Notice)),
    ]);
    let report = JsonReport {
        head: super::ReportHead::new(JSON_FORMAT_VERSION, "analysed", &c.project.config.name),
        host: &c.project.config.host,
        as_of: a.as_of.to_string(),
        as_of_source: source,
        reference_compiled_on: c.reference.meta.compiled_on.to_string(),
        summary,
        analysis: a,
        findings_located: a
            .findings
            .iter()
            .map(|f| JsonFinding::new(&c.diagnostics, f))
            .collect(),
        notes: c.diagnostics.resolved(),
        verification: c.verification.as_ref(),
    };
    super::json_text(&report)
}

fn text(c: &Checked, source: AsOfSource, g: &Global) -> String {
    let fr = g.lang.code() == "fr";
    let color = g.use_color();
    let paint = |sev: Severity, s: &str| -> String {
        if !color {
            return s.to_string();
        }
        let code = match sev {
            Severity::Error => "31;1",
            Severity::Warning => "33;1",
            Severity::Notice => "36",
        };
        format!("\x1b[{code}m{s}\x1b[0m")
    };
    let a = &c.analysis;
    let p = &c.project;
    let mut out = String::new();
    let src = match (source, fr) {
        (AsOfSource::CommandLine, false) => "--as-of",
        (AsOfSource::PublicationDate, false) => "publication_date",
        (AsOfSource::Today, false) => "today",
        (AsOfSource::CommandLine, true) => "--as-of",
        (AsOfSource::PublicationDate, true) => "publication_date",
        (AsOfSource::Today, true) => "aujourd'hui",
    };
    out.push_str(&format!(
        "sovmap check — {} ({})\n",
        p.config.name,
        if fr {
            format!(
                "faits juridiques au {} [{src}], données de référence compilées le {}",
                a.as_of, c.reference.meta.compiled_on
            )
        } else {
            format!(
                "legal facts as of {} [{src}], reference data compiled {}",
                a.as_of, c.reference.meta.compiled_on
            )
        }
    ));
    let policy = if a.policy.partial_adequacy_is_exposure {
        if fr {
            "une adéquation partielle compte comme exposition (EXI 30)"
        } else {
            "partial adequacy counts as exposure (EXI 30)"
        }
    } else if fr {
        "une adéquation partielle, destinataire dans le périmètre, ne compte pas comme exposition (EXI 30)"
    } else {
        "partial adequacy with the recipient in scope does not count as exposure (EXI 30)"
    };
    out.push_str(&format!(
        "{}: {policy}",
        if fr { "politique" } else { "policy" }
    ));
    if let Some(r) = &a.policy.rationale {
        out.push_str(&format!(" — {r}"));
    }
    out.push('\n');
    if !a.overridden.is_empty() {
        let list: Vec<String> = a
            .overridden
            .iter()
            .map(|o| format!("{} ({})", o.id, format!("{:?}", o.action).to_lowercase()))
            .collect();
        out.push_str(&format!(
            "{}: {}\n",
            if fr {
                "faits remplacés ou ajoutés par sovmap.toml"
            } else {
                "facts overridden by sovmap.toml"
            },
            list.join(", ")
        ));
    }
    for n in c.diagnostics.resolved() {
        if !g.quiet {
            // A note about no place in a file (a link to a folder) has no
            // `file:line:col`, rather than `:0:0`.
            let place = match (&n.file, n.line, n.column) {
                (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
                (Some(f), _, _) => format!("{f}: "),
                _ => String::new(),
            };
            out.push_str(&format!("note: {place}{}\n", n.message));
        }
    }
    out.push_str(&format!(
        "{}: {}\n",
        if fr {
            "forme EXI 31 (prestataire)"
        } else {
            "EXI 31 form (provider)"
        },
        crate::labels::form(a.provider_form, g.lang.site())
    ));
    if let Some(v) = &c.verification {
        out.push_str(&crate::cmd::verify::database_lines(&v.database, fr));
    }

    // Group by service; provider-wide findings last.
    // Findings are grouped in one pass (in their sorted order), not filtered
    // once per service: the report stays linear in the size of the inventory.
    let mut by_service: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &a.findings {
        for s in &f.services {
            let v = by_service.entry(s.as_str()).or_default();
            if !v.last().is_some_and(|l| std::ptr::eq(*l, f)) {
                v.push(f);
            }
        }
    }
    let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
    for (sid, sa) in &a.services {
        let svc = &p.services[sid];
        let fs: Vec<&Finding> = by_service.remove(sid.as_str()).unwrap_or_default();
        groups.push((
            format!(
                "Service {} ({}) — {}: {}",
                sid,
                svc.name,
                if fr { "forme EXI 31" } else { "EXI 31 form" },
                crate::labels::form(sa.form, g.lang.site())
            ),
            fs,
        ));
    }
    let general: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.services.is_empty())
        .collect();
    if !general.is_empty() {
        groups.push((
            if fr {
                "Ensemble du prestataire".to_string()
            } else {
                "Provider-wide".to_string()
            },
            general,
        ));
    }
    for (title, fs) in groups {
        out.push_str(&format!("\n{title}\n"));
        let shown: Vec<&&Finding> = fs
            .iter()
            .filter(|f| !g.quiet || f.severity == Severity::Error)
            .collect();
        if fs.is_empty() {
            out.push_str(if fr {
                "  aucun constat\n"
            } else {
                "  no findings\n"
            });
        }
        for f in shown {
            out.push_str(&format!(
                "  {}[{}] {}: {}\n",
                paint(f.severity, f.severity.as_str()),
                f.code,
                f.subject.describe(),
                if fr { &f.message_fr } else { &f.message_en }
            ));
            if let Some((file, l, col)) = location(&c.diagnostics, f) {
                out.push_str(&format!("      --> {file}:{l}:{col}\n"));
            }
            out.push_str(&format!(
                "      {}: {}\n",
                if fr { "règle" } else { "rule" },
                f.rule
            ));
            if let Some(h) = &f.hint
                && (f.severity > Severity::Notice || g.verbose)
            {
                out.push_str(&format!("      help: {h}\n"));
            }
        }
    }
    let (e, w, n) = (
        a.count(Severity::Error),
        a.count(Severity::Warning),
        a.count(Severity::Notice),
    );
    out.push_str(&format!(
        "\n{}: {} error{}, {} warning{}, {} notice{}\n",
        if fr { "bilan" } else { "summary" },
        e,
        if e == 1 { "" } else { "s" },
        w,
        if w == 1 { "" } else { "s" },
        n,
        if n == 1 { "" } else { "s" }
    ));
    out
}
