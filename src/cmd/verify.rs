//! `sovmap verify`: check the declared IP ranges against a GeoIP country
//! database and print the evidence (shares per country) and the findings.
//! Also the helpers `check --verify` and `build --verify` share.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::Checked;
use crate::analysis::Severity;
use crate::cli::{EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global, VerifyArgs};
use crate::diag::{Diagnostics, Level, Resolved};
use crate::model::Project;
use crate::reference::Reference;
use crate::verify::{
    CAVEAT_EN, CAVEAT_FR, Choice, DatabaseInfo, GeoIpError, Holder, RangeEvidence, Verdict,
    Verification,
};

use super::check::{JSON_FORMAT_VERSION, JsonFinding, location, print_invalid};

pub fn run(global: &Global, args: &VerifyArgs) -> i32 {
    // Load and validate only: the legal analysis is not needed to compare
    // ranges with a database (and costs far more on large inventories).
    let progress = crate::cmd::progress::Progress::start(
        global,
        "Loading the declarations and reading the GeoIP database",
        false,
    );
    let loaded = crate::load::load(&global.root, Reference::embedded());
    let Some(project) = loaded.project else {
        progress.finish();
        print_invalid(&loaded.diagnostics, args.format, global.use_color());
        return EXIT_INVALID;
    };
    let overrides = &project.config.reference_overrides;
    // EEA membership as on the date the other commands judge by (`--as-of`,
    // else `publication_date`, else today): the United Kingdom before 2021.
    let as_of = crate::as_of_date(global.as_of, project.config.publication_date).0;
    let reference = Reference::embedded()
        .with_overrides(&overrides.adequacy, &overrides.laws)
        .on(as_of);
    let verified = crate::verify::open_database(
        &global.root,
        args.geoip_choice(),
        project.config.geoip.as_deref(),
    )
    .and_then(|db| crate::verify::verify(&project, &reference, &db));
    progress.finish();
    let v = match verified {
        Ok(v) => v,
        Err(e) => {
            print_db_error(&e, args.format);
            return EXIT_INVALID;
        }
    };
    let denied = args
        .deny
        .severity()
        .is_some_and(|d| v.findings.iter().any(|f| f.severity >= d));
    let out = match args.format {
        Format::Json => json(&project, &loaded.diagnostics, &v),
        Format::Text => crate::visible::terminal(
            &text(&project, &loaded.diagnostics, &v, global),
            global.use_color(),
        )
        .into_owned(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    if denied { EXIT_FINDINGS } else { EXIT_OK }
}

/// Whether `check` / `build` verify: `--verify`, `--geoip FILE`,
/// `--geoip-db NAME`, or `geoip` set in `sovmap.toml`.
pub fn wanted(checked: &Checked, flag: bool, geoip: Choice<'_>) -> bool {
    flag || geoip.given() || checked.project.config.geoip.is_some()
}

/// Open the database (`--geoip`, else `geoip` of sovmap.toml, else the
/// embedded one) and add the evidence and findings to `checked`.
pub fn run_verification(
    checked: &mut Checked,
    root: &Path,
    geoip: Choice<'_>,
) -> Result<(), GeoIpError> {
    let db = crate::verify::open_database(root, geoip, checked.project.config.geoip.as_deref())?;
    checked.add_verification(&db)
}

/// A database that cannot be used: named, with what to do (stderr, or JSON
/// on stdout like other invalid input).
pub fn print_db_error(e: &GeoIpError, format: Format) {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Invalid {
                #[serde(flatten)]
                head: super::JsonHead,
                diagnostics: Vec<Resolved>,
            }
            let v = Invalid {
                head: super::JsonHead {
                    format_version: JSON_FORMAT_VERSION,
                    status: "invalid",
                },
                diagnostics: vec![Resolved {
                    code: "bad-geoip-database".to_string(),
                    level: Level::Error,
                    file: Some(e.file.clone()),
                    line: None,
                    column: None,
                    message: format!("{}: {}", e.file, e.message),
                    help: Some(e.help.clone()),
                }],
            };
            print!("{}", super::json_text(&v));
        }
        Format::Text => {
            eprintln!("error[bad-geoip-database]: {}: {}", e.file, e.message);
            eprintln!("  help: {}", e.help);
            eprintln!("error: the GeoIP database cannot be used; nothing was verified");
        }
    }
}

/// "database: … — type `…`, built 2026-06-17, …" and the caveat, for text outputs.
pub fn database_lines(d: &DatabaseInfo, fr: bool) -> String {
    let layout = d.layout.map(|l| l.as_str()).unwrap_or("?");
    let families = if d.ip_version == 4 {
        if fr { "IPv4 seulement" } else { "IPv4 only" }
    } else {
        "IPv4 + IPv6"
    };
    let mut out = if fr {
        format!(
            "base GeoIP : {} — type `{}`, construite le {} (build_epoch {}), champ {}, {}\nattention : {}\n",
            d.name, d.database_type, d.build_date, d.build_epoch, layout, families, CAVEAT_FR
        )
    } else {
        format!(
            "GeoIP database: {} — type `{}`, built {} (build_epoch {}), field {}, {}\ncaution: {}\n",
            d.name, d.database_type, d.build_date, d.build_epoch, layout, families, CAVEAT_EN
        )
    };
    if let Some(a) = &d.attribution {
        out.push_str(&format!(
            "{}: {} <{}> ({})\n",
            if fr { "crédit" } else { "credit" },
            a.text,
            a.url,
            a.licence
        ));
    }
    out
}

fn text(p: &Project, diags: &Diagnostics, v: &Verification, g: &Global) -> String {
    let fr = g.lang.code() == "fr";
    let mut out = format!("sovmap verify — {}\n", p.config.name);
    out.push_str(&database_lines(&v.database, fr));
    // Ranges come grouped by holder (sites, then access paths, by id).
    let mut holders: Vec<(Holder, &str, &str)> = Vec::new();
    for r in &v.ranges {
        if holders
            .last()
            .is_none_or(|(h, id, _)| *h != r.holder || *id != r.id)
        {
            holders.push((r.holder, &r.id, &r.declared_country));
        }
    }
    if holders.is_empty() {
        out.push_str(if fr {
            "\naucune plage IP déclarée (`ip_ranges` des sites, `source_ip_ranges` des accès)\n"
        } else {
            "\nno IP range declared (`ip_ranges` of sites, `source_ip_ranges` of access paths)\n"
        });
    }
    for (h, id, declared) in &holders {
        let kind = match (h, fr) {
            (Holder::Site, _) => "site",
            (Holder::Access, false) => "access",
            (Holder::Access, true) => "accès",
        };
        out.push_str(&format!(
            "\n{kind} {id} ({} {declared})\n",
            if fr { "déclaré" } else { "declared" }
        ));
        let rs: &[RangeEvidence] = v.for_holder(*h, id);
        let width = rs
            .iter()
            .map(|r| r.range.to_string().len())
            .max()
            .unwrap_or(0);
        for r in rs {
            if g.quiet && r.verdict == Verdict::Agrees {
                continue;
            }
            let shares = if r.verdict == Verdict::NotCovered {
                String::new()
            } else {
                r.shares_text(if fr { "fr" } else { "en" })
            };
            out.push_str(&format!(
                "  {:<width$}  {:<20} {}\n",
                r.range.to_string(),
                crate::labels::verdict(r.verdict, g.lang.site()),
                if shares.is_empty() {
                    "—".to_string()
                } else {
                    shares
                },
            ));
        }
    }
    if !v.findings.is_empty() {
        out.push_str(if fr { "\nconstats\n" } else { "\nfindings\n" });
    }
    for f in &v.findings {
        if g.quiet && f.severity != Severity::Error {
            continue;
        }
        out.push_str(&format!(
            "  {}[{}] {}: {}\n",
            f.severity.as_str(),
            f.code,
            f.subject.describe(),
            if fr { &f.message_fr } else { &f.message_en }
        ));
        if let Some((file, l, col)) = location(diags, f) {
            out.push_str(&format!("      --> {file}:{l}:{col}\n"));
        }
        if let Some(h) = &f.hint
            && (f.severity > Severity::Notice || g.verbose)
        {
            out.push_str(&format!("      help: {h}\n"));
        }
    }
    let count = |s: Severity| v.findings.iter().filter(|f| f.severity == s).count();
    let agree = v
        .ranges
        .iter()
        .filter(|r| r.verdict == Verdict::Agrees)
        .count();
    let (e, w, n) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Notice),
    );
    let pl = |k: usize| if k == 1 { "" } else { "s" };
    out.push_str(&format!(
        "\n{}: {} range{} checked, {} agree{}; {} error{}, {} warning{}, {} notice{}\n",
        if fr { "bilan" } else { "summary" },
        v.ranges.len(),
        pl(v.ranges.len()),
        agree,
        if agree == 1 { "s" } else { "" },
        e,
        pl(e),
        w,
        pl(w),
        n,
        pl(n)
    ));
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    head: super::ReportHead<'a>,
    database: &'a DatabaseInfo,
    caveat: &'static str,
    summary: BTreeMap<&'static str, usize>,
    ranges: &'a [RangeEvidence],
    findings: Vec<JsonFinding<'a>>,
}

fn json(p: &Project, diags: &Diagnostics, v: &Verification) -> String {
    let count = |s: Severity| v.findings.iter().filter(|f| f.severity == s).count();
    let mut summary = BTreeMap::from([
        ("ranges", v.ranges.len()),
        ("error", count(Severity::Error)),
        ("warning", count(Severity::Warning)),
        ("notice", count(Severity::Notice)),
    ]);
    for verdict in [
        Verdict::Agrees,
        Verdict::ElsewhereInEea,
        Verdict::Contradicts,
        Verdict::AnnexWrong,
        Verdict::NoData,
        Verdict::NotCovered,
    ] {
        summary.insert(
            verdict.as_str(),
            v.ranges.iter().filter(|r| r.verdict == verdict).count(),
        );
    }
    let report = JsonReport {
        head: super::ReportHead::new(JSON_FORMAT_VERSION, "verified", &p.config.name),
        database: &v.database,
        caveat: v.caveat,
        summary,
        ranges: &v.ranges,
        findings: v
            .findings
            .iter()
            .map(|f| JsonFinding::new(diags, f))
            .collect(),
    };
    super::json_text(&report)
}
