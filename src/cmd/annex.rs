//! `sovmap annex`: write the contract annex of all services or one as Word,
//! PDF, HTML or its canonical text; `--verify FILE` checks an annex's
//! fingerprint against the project.

use std::io::Write;
use std::path::Path;

use crate::cli::{AnnexArgs, AnnexFormat, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global};
use crate::i18n::Lang;
use crate::render::annex::{self, canonical};
use crate::render::site;

pub fn run(global: &Global, args: &AnnexArgs) -> i32 {
    if let Some(file) = &args.verify {
        return verify(global, file);
    }
    let Some(output) = &args.output else {
        eprintln!("error: --output FILE is required (or --verify FILE)");
        return EXIT_INVALID;
    };
    let format = match args.format.or_else(|| format_of(output)) {
        Some(f) => f,
        None => {
            eprintln!(
                "error: cannot tell the format of `{}`: give --format docx|pdf|html|txt or a file ending in one of these",
                output.display()
            );
            return EXIT_INVALID;
        }
    };
    let checked = match load(global) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(sid) = &args.service
        && !checked.project.services.contains_key(sid)
    {
        unknown_service(&checked, sid);
        return EXIT_INVALID;
    }
    if checked.analysis.denied(args.deny.severity()) {
        let check_args = crate::cli::CheckArgs {
            format: Format::Text,
            deny: args.deny,
            verify: false,
            geoip: Default::default(),
        };
        let _ = crate::cmd::check::run(global, &check_args);
        eprintln!(
            "error: findings reach --deny {}; the annex would not be true as is and nothing was written",
            format!("{:?}", args.deny).to_lowercase()
        );
        return EXIT_FINDINGS;
    }
    let lang = lang_of(global);
    let doc = site::annex_document(&checked, lang, args.service.as_deref());
    let bytes = match annex::write(
        &doc,
        match format {
            AnnexFormat::Docx => annex::Format::Docx,
            AnnexFormat::Html => annex::Format::Html,
            AnnexFormat::Pdf => annex::Format::Pdf,
            AnnexFormat::Txt => annex::Format::Txt,
        },
    ) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot write the annex: {e}");
            return EXIT_INVALID;
        }
    };
    let written = if output.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes).and_then(|_| out.flush())
    } else {
        write_file(output, &bytes)
    };
    if let Err(e) = written {
        eprintln!("error: cannot write `{}`: {e}", output.display());
        return EXIT_INVALID;
    }
    if !global.quiet && output.as_os_str() != "-" {
        eprintln!(
            "sovmap annex — {} ({}): {} written, SHA-256 fingerprint {}",
            doc.scope,
            doc.lang_code(),
            output.display(),
            annex::group_hash(&doc.fingerprint())
        );
    }
    EXIT_OK
}

/// Written beside the target then renamed: an interrupted run never leaves
/// half a document under the requested name. The file gets the permissions
/// of any file the user creates (0666 less the umask), not the temporary
/// file's private 0600: an annex is meant to be shared.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn lang_of(global: &Global) -> Lang {
    global.lang.site()
}

fn format_of(path: &Path) -> Option<AnnexFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" => AnnexFormat::Docx,
        "html" | "htm" => AnnexFormat::Html,
        "pdf" => AnnexFormat::Pdf,
        "txt" => AnnexFormat::Txt,
        _ => return None,
    })
}

fn load(global: &Global) -> Result<crate::Checked, i32> {
    match crate::check_project(&global.root, global.as_of) {
        Err(diags) => {
            crate::cmd::check::print_invalid(&diags, Format::Text, global.use_color());
            eprintln!("error: nothing was written");
            Err(EXIT_INVALID)
        }
        Ok((c, _)) => Ok(c),
    }
}

/// "unknown service `x` (--service); declared services: …" on stderr.
pub fn unknown_service(checked: &crate::Checked, sid: &str) {
    let known: Vec<&str> = checked
        .project
        .services
        .keys()
        .map(String::as_str)
        .collect();
    let known = if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    };
    // Ids come from the project's files: never print control characters raw.
    eprintln!(
        "{}",
        crate::visible::visible(&format!(
            "error: unknown service `{sid}` (--service); declared services: {known}"
        ))
    );
}

/// `--verify FILE`: the file's fingerprint, then whether the project gives
/// the same annex (same scope, language and as-of date) today.
fn verify(global: &Global, file: &Path) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", file.display());
            return EXIT_INVALID;
        }
    };
    let is_canonical = bytes.starts_with(canonical::MAGIC.as_bytes());
    let (service, lang, as_of, fingerprint, text) = if is_canonical {
        let Ok(text) = String::from_utf8(bytes) else {
            eprintln!("error: `{}` is not UTF-8 text", file.display());
            return EXIT_INVALID;
        };
        let h = match canonical::header(&text) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("error: {}: {e}", file.display());
                return EXIT_INVALID;
            }
        };
        let fp = canonical::fingerprint(&text);
        (h.service, h.language, h.as_of, fp, Some(text))
    } else {
        match canonical::find_token(&bytes) {
            Some(t) => (t.service, t.lang, t.as_of, t.sha256, None),
            None => {
                eprintln!(
                    "error: `{}` is neither a canonical annex file (first line `{}`) nor an annex written by sovmap (no `sovmap-annex:` identification found)",
                    file.display(),
                    canonical::MAGIC
                );
                return EXIT_INVALID;
            }
        }
    };
    let scope = canonical::scope_key(service.as_deref());
    println!(
        "{}: {} ({scope}, {lang}, as of {as_of})",
        file.display(),
        if is_canonical {
            "canonical text"
        } else {
            "annex document"
        }
    );
    println!(
        "SHA-256 fingerprint{}: {fingerprint}",
        if is_canonical {
            " (sha256sum of the file)"
        } else {
            " printed in the document"
        }
    );
    println!("  in groups: {}", annex::group_hash(&fingerprint));
    if !global.root.join("sovmap.toml").is_file() {
        println!(
            "no project at `{}` (no sovmap.toml): nothing to compare with; compare the fingerprint above with the one the contract cites",
            global.root.display()
        );
        return EXIT_OK;
    }
    let Some(lang) = Lang::parse(&lang) else {
        eprintln!("error: unknown language `{lang}` in `{}`", file.display());
        return EXIT_INVALID;
    };
    let Some(date) = crate::load::reader::parse_date(&as_of) else {
        eprintln!(
            "error: `{as_of}` is not a date (as-of of `{}`)",
            file.display()
        );
        return EXIT_INVALID;
    };
    let g = Global {
        as_of: Some(date),
        ..global.clone()
    };
    let checked = match load(&g) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(sid) = &service
        && !checked.project.services.contains_key(sid)
    {
        println!(
            "DIFFERS: the project at `{}` has no service `{sid}` any more",
            global.root.display()
        );
        return EXIT_FINDINGS;
    }
    let doc = site::annex_document(&checked, lang, service.as_deref());
    let ours = canonical::text(&doc);
    let our_fp = canonical::fingerprint(&ours);
    if our_fp == fingerprint {
        println!(
            "MATCHES the annex of the project at `{}` ({} {}, as of {as_of})",
            global.root.display(),
            doc.version.as_deref().unwrap_or("no version"),
            doc.date.as_deref().unwrap_or("")
        );
        return EXIT_OK;
    }
    println!(
        "DIFFERS from the annex of the project at `{}`, whose fingerprint is {our_fp}",
        global.root.display()
    );
    if let Some(text) = text
        && let Some((n, theirs, mine)) = first_difference(&text, &ours)
    {
        println!("  first difference at line {n}:");
        println!("    file:    {theirs}");
        println!("    project: {mine}");
    }
    EXIT_FINDINGS
}

fn first_difference<'a>(a: &'a str, b: &'a str) -> Option<(usize, &'a str, &'a str)> {
    let mut la = a.split('\n');
    let mut lb = b.split('\n');
    let mut n = 0;
    loop {
        n += 1;
        match (la.next(), lb.next()) {
            (None, None) => return None,
            (x, y) if x == y => continue,
            (x, y) => {
                return Some((
                    n,
                    x.unwrap_or("(end of file)"),
                    y.unwrap_or("(end of file)"),
                ));
            }
        }
    }
}
