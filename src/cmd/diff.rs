//! `sovmap diff OLD NEW`: what changed between two published
//! `transfers.json` files (of any provider), on the terminal or as JSON.
//!
//! Exit 0 when the files compare (whatever changed); 1 when `--fail-on-risk`
//! is given and something became riskier; 2 when either file cannot be read
//! (both are reported).

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::cli::{DiffArgs, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, Format, Global};
use crate::i18n::Lang;
use crate::publication::changes::{ChangeKind, ChangeList, Item, compare};
use crate::publication::{self, ReadError};

/// Version of the `diff --format json` output; bumped on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

pub fn run(global: &Global, args: &DiffArgs) -> i32 {
    let old = publication::read(&args.old);
    let new = publication::read(&args.new);
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let errors: Vec<ReadError> = [o.err(), n.err()].into_iter().flatten().collect();
            print_invalid(&errors, args.format, global.use_color());
            return EXIT_INVALID;
        }
    };
    let list = compare(&old, &new);
    let lang = global.lang.site();
    let out = match args.format {
        Format::Json => json(&list, &args.old, &args.new),
        Format::Text => crate::visible::terminal(
            &text(&list, lang, global.use_color(), global.quiet),
            global.use_color(),
        )
        .into_owned(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    if args.fail_on_risk && list.riskier() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Errors on stderr (text), or as a JSON document on stdout.
pub fn print_invalid(errors: &[ReadError], format: Format, color: bool) {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct E {
                file: String,
                code: &'static str,
                message: String,
            }
            #[derive(Serialize)]
            struct Invalid {
                #[serde(flatten)]
                head: super::JsonHead,
                errors: Vec<E>,
            }
            let v = Invalid {
                head: super::JsonHead {
                    format_version: JSON_FORMAT_VERSION,
                    status: "invalid",
                },
                errors: errors
                    .iter()
                    .map(|e| E {
                        file: e.path().display().to_string(),
                        code: e.code(),
                        message: e.to_string(),
                    })
                    .collect(),
            };
            print!("{}", super::json_text(&v));
        }
        Format::Text => {
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(publication::render_errors(errors, color).as_bytes());
            let _ = writeln!(
                stderr,
                "error: {} file{} cannot be read as a publication; nothing was compared",
                errors.len(),
                if errors.len() > 1 { "s" } else { "" }
            );
        }
    }
}

fn json(list: &ChangeList, old: &Path, new: &Path) -> String {
    #[derive(Serialize)]
    struct Files {
        old: String,
        new: String,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        format_version: u32,
        files: Files,
        riskier: bool,
        #[serde(flatten)]
        list: &'a ChangeList,
    }
    let v = Out {
        format_version: JSON_FORMAT_VERSION,
        files: Files {
            old: old.display().to_string(),
            new: new.display().to_string(),
        },
        riskier: list.riskier(),
        list,
    };
    super::json_text(&v)
}

/// The change list for a terminal: grouped by kind of item, one line per
/// change (`+` added, `-` removed, `~` changed), details indented, and a
/// `!` line for each reason a change is riskier.
pub fn text(list: &ChangeList, lang: Lang, color: bool, quiet: bool) -> String {
    let fr = lang.is_fr();
    let paint = |code: &str, s: &str| -> String {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let provider = if list.different_providers {
        format!("{} → {}", list.old.provider, list.new.provider)
    } else {
        list.new.provider.clone()
    };
    out.push_str(&format!(
        "sovmap diff — {provider}{}{} → {}\n",
        if fr { " : " } else { ": " },
        list.old.label(lang),
        list.new.label(lang)
    ));
    if list.different_providers {
        out.push_str(if fr {
            "note : les deux fichiers viennent de prestataires différents\n"
        } else {
            "note: the two files come from different providers\n"
        });
    }
    if !quiet {
        for item in Item::ALL {
            let group: Vec<_> = list.changes.iter().filter(|c| c.item == item).collect();
            if group.is_empty() {
                continue;
            }
            out.push('\n');
            out.push_str(&paint("1", item.heading(lang)));
            out.push('\n');
            for c in group {
                let mark = match c.change {
                    ChangeKind::Added => "+",
                    ChangeKind::Removed => "-",
                    ChangeKind::Changed => "~",
                };
                let mut line = format!("  {mark} {}", c.text.get(lang));
                if let Some(d) = c.effective {
                    line.push_str(&format!(
                        " [{} {}]",
                        if fr { "effectif le" } else { "effective" },
                        crate::i18n::format_date(d, lang)
                    ));
                }
                out.push_str(&line);
                out.push('\n');
                for d in &c.details {
                    out.push_str(&format!("      {}\n", d.text.get(lang)));
                }
                for r in &c.risks {
                    let l = format!(
                        "    ! {}{}{}",
                        if fr { "plus risqué" } else { "riskier" },
                        if fr { " : " } else { ": " },
                        r.text.get(lang)
                    );
                    out.push_str(&paint("31;1", &l));
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
    let summary = list.summary(lang);
    out.push_str(&if list.riskier() {
        paint("31;1", &summary)
    } else {
        summary
    });
    out.push('\n');
    out
}
