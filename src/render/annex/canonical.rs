//! The canonical text of an annex: what its fingerprint covers.
//!
//! A plain UTF-8 file, published beside each annex (`annex/<service>.txt`,
//! `annex/index.txt` for all services; `en/annex/…` in English). Its
//! SHA-256 (`sha256sum annex/index.txt`) is the fingerprint printed in the
//! HTML, Word and PDF annex. It holds, in reading order, every text of the
//! document, after a header naming what it is:
//!
//! ```text
//! sovmap-annex 1
//! provider: Hexagone Santé
//! version: 2026.4
//! date: 2026-11-15
//! as-of: 2026-11-15
//! scope: service dossier-patient      (or: scope: all)
//! language: fr
//! ```
//!
//! then a blank line and the blocks: `# `/`## `/`### ` headings; paragraphs
//! (a bulleted item starts with `- `, a placeholder with `> `); facts as
//! `label: value`; a table as `[caption]` then one entry per row, its first
//! column after `* ` and each other column as `  column: value` (a cell of
//! several lines: `  column:` then `    - line` each). A French text left
//! untranslated in an English annex ends with ` (French original)`. Blocks are separated
//! by one blank line; the file ends with a line feed; lines end with `\n`.
//! Version, date and scope are in the header, so two annexes that differ by
//! any of them have different fingerprints.

use sha2::{Digest, Sha256};

use super::{AnnexDoc, Block, Lang, ParaStyle, Text};

/// First line of every canonical file; the number is the format version.
pub const MAGIC: &str = "sovmap-annex 1";

pub fn fingerprint(canonical: &str) -> String {
    Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn mark(lang: Lang, t: &Text) -> String {
    if t.fr_original && !lang.is_fr() {
        format!("{} ({})", t.s, super::text::t(lang, "french_original_mark"))
    } else {
        t.s.clone()
    }
}

/// The scope as written in the header: `all` or `service <id>`.
pub fn scope_key(service: Option<&str>) -> String {
    match service {
        None => "all".to_string(),
        Some(s) => format!("service {s}"),
    }
}

pub fn text(doc: &AnnexDoc) -> String {
    let mut out = String::new();
    out.push_str(MAGIC);
    out.push('\n');
    let dash = "-".to_string();
    for (k, v) in [
        ("provider", &doc.provider),
        ("version", doc.version.as_ref().unwrap_or(&dash)),
        ("date", doc.date.as_ref().unwrap_or(&dash)),
        ("as-of", &doc.as_of),
        ("scope", &scope_key(doc.service.as_deref())),
        ("language", &doc.lang_code().to_string()),
    ] {
        out.push_str(&format!("{k}: {}\n", one_line(v)));
    }
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading { level, text } => {
                out.push_str(&"#".repeat(usize::from(*level).clamp(1, 3)));
                out.push(' ');
                out.push_str(&one_line(text));
                out.push('\n');
            }
            Block::Para { style, text } => {
                let prefix = match style {
                    ParaStyle::Bullet => "- ",
                    ParaStyle::Placeholder => "> ",
                    ParaStyle::Normal | ParaStyle::Note => "",
                };
                out.push_str(prefix);
                out.push_str(&mark(doc.lang, text));
                out.push('\n');
            }
            Block::Facts(facts) => {
                for (k, v) in facts {
                    out.push_str(&format!("{}: {}\n", one_line(k), mark(doc.lang, v)));
                }
            }
            Block::Empty(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Block::Table(t) => {
                out.push_str(&format!("[{}]\n", one_line(&t.caption)));
                for row in &t.rows {
                    for (i, cell) in row.iter().enumerate() {
                        let head = t.header.get(i).map(String::as_str).unwrap_or("");
                        let lines: Vec<String> = cell.iter().map(|x| mark(doc.lang, x)).collect();
                        if i == 0 {
                            out.push_str(&format!("* {}\n", lines.join(" / ")));
                        } else if lines.len() == 1 {
                            out.push_str(&format!("  {head}: {}\n", lines[0]));
                        } else if lines.is_empty() {
                            out.push_str(&format!("  {head}: -\n"));
                        } else {
                            out.push_str(&format!("  {head}:\n"));
                            for l in lines {
                                out.push_str(&format!("    - {l}\n"));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace('\n', " ")
}

/// The identification every written annex carries where a program finds
/// it without decoding the format (an HTML attribute, a Word custom
/// property stored uncompressed, the PDF's metadata):
/// `sovmap-annex:scope=all;lang=fr;as-of=2026-11-15;sha256=<hex>`.
pub fn token(doc: &AnnexDoc, fingerprint: &str) -> String {
    format!(
        "{TOKEN}scope={};lang={};as-of={};sha256={fingerprint}",
        match &doc.service {
            None => "all".to_string(),
            Some(s) => format!("service:{s}"),
        },
        doc.lang_code(),
        doc.as_of
    )
}

const TOKEN: &str = "sovmap-annex:";

/// What a [`token`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub service: Option<String>,
    pub lang: String,
    pub as_of: String,
    pub sha256: String,
}

/// The first well-formed token found in a file's bytes.
pub fn find_token(bytes: &[u8]) -> Option<Token> {
    let pat = TOKEN.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].windows(pat.len()).position(|w| w == pat) {
        let start = from + i + pat.len();
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || b";=:._-".contains(b)))
            .map_or(bytes.len(), |n| start + n);
        let s = String::from_utf8_lossy(&bytes[start..end]);
        let mut t = Token {
            service: None,
            lang: String::new(),
            as_of: String::new(),
            sha256: String::new(),
        };
        let mut scope_ok = false;
        for part in s.split(';') {
            match part.split_once('=') {
                Some(("scope", "all")) => scope_ok = true,
                Some(("scope", v)) => {
                    if let Some(id) = v.strip_prefix("service:") {
                        t.service = Some(id.to_string());
                        scope_ok = true;
                    }
                }
                Some(("lang", v)) => t.lang = v.to_string(),
                Some(("as-of", v)) => t.as_of = v.to_string(),
                Some(("sha256", v)) => t.sha256 = v.to_string(),
                _ => {}
            }
        }
        if scope_ok
            && !t.lang.is_empty()
            && t.sha256.len() == 64
            && t.sha256.chars().all(|c| c.is_ascii_hexdigit())
        {
            return Some(t);
        }
        from = start;
    }
    None
}

/// What the header of a canonical file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub provider: String,
    pub version: Option<String>,
    pub date: Option<String>,
    pub as_of: String,
    /// `None`: all services.
    pub service: Option<String>,
    pub language: String,
}

/// Read the header of a canonical file; `Err` says what is wrong, with the
/// line number.
pub fn header(text: &str) -> Result<Header, String> {
    let mut lines = text.split('\n');
    match lines.next() {
        Some(l) if l == MAGIC => {}
        _ => {
            return Err(format!(
                "line 1: not a sovmap annex canonical file (it must start with `{MAGIC}`)"
            ));
        }
    }
    let mut get = |n: usize, key: &str| -> Result<String, String> {
        match lines.next() {
            Some(l) => l
                .strip_prefix(&format!("{key}: "))
                .map(str::to_string)
                .ok_or_else(|| format!("line {n}: expected `{key}: …`, found `{l}`")),
            None => Err(format!("line {n}: expected `{key}: …`, the file ends")),
        }
    };
    let provider = get(2, "provider")?;
    let version = Some(get(3, "version")?).filter(|v| v != "-");
    let date = Some(get(4, "date")?).filter(|v| v != "-");
    let as_of = get(5, "as-of")?;
    let scope = get(6, "scope")?;
    let language = get(7, "language")?;
    let service = if scope == "all" {
        None
    } else if let Some(s) = scope.strip_prefix("service ") {
        Some(s.to_string())
    } else {
        return Err(format!(
            "line 6: scope `{scope}` is neither `all` nor `service <id>`"
        ));
    };
    Ok(Header {
        provider,
        version,
        date,
        as_of,
        service,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::super::Table;
    use super::*;

    fn doc(service: Option<&str>, version: &str) -> AnnexDoc {
        AnnexDoc {
            lang: Lang::En,
            service: service.map(str::to_string),
            provider: "P".into(),
            party: "P SAS".into(),
            title: "Annex".into(),
            scope: "all".into(),
            version: Some(version.into()),
            date: Some("2026-11-15".into()),
            as_of: "2026-11-15".into(),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "1. Sites".into(),
                },
                Block::Table(Table {
                    caption: "Storage".into(),
                    header: vec!["Site".into(), "Country".into(), "Services".into()],
                    widths: vec![1, 1, 1],
                    rows: vec![vec![
                        vec![Text::plain("Paris 1")],
                        vec![Text::plain("France")],
                        vec![Text::plain("a"), Text::fr_original("b")],
                    ]],
                }),
            ],
        }
    }

    #[test]
    fn text_layout_is_the_documented_one() {
        assert_eq!(
            text(&doc(None, "1")),
            "sovmap-annex 1\nprovider: P\nversion: 1\ndate: 2026-11-15\nas-of: 2026-11-15\nscope: all\nlanguage: en\n\n## 1. Sites\n\n[Storage]\n* Paris 1\n  Country: France\n  Services:\n    - a\n    - b (French original)\n"
        );
    }

    #[test]
    fn scope_and_version_change_the_fingerprint() {
        let all = doc(None, "1").fingerprint();
        assert_ne!(all, doc(Some("x"), "1").fingerprint());
        assert_ne!(all, doc(None, "2").fingerprint());
        assert_eq!(all, doc(None, "1").fingerprint());
        assert_eq!(all.len(), 64);
    }

    #[test]
    fn token_reads_back_from_bytes() {
        let d = doc(Some("pg-1"), "1");
        let fp = d.fingerprint();
        let bytes = format!("junk sovmap-annex:broken {}\"more", token(&d, &fp)).into_bytes();
        let t = find_token(&bytes).unwrap();
        assert_eq!(t.service.as_deref(), Some("pg-1"));
        assert_eq!(t.lang, "en");
        assert_eq!(t.as_of, "2026-11-15");
        assert_eq!(t.sha256, fp);
        assert!(find_token(b"sovmap-annex:scope=all;lang=fr;sha256=12").is_none());
    }

    #[test]
    fn header_reads_back() {
        let h = header(&text(&doc(Some("pg"), "1"))).unwrap();
        assert_eq!(h.service.as_deref(), Some("pg"));
        assert_eq!(h.language, "en");
        assert_eq!(h.version.as_deref(), Some("1"));
        assert!(header("hello\n").unwrap_err().starts_with("line 1"));
        assert!(
            header("sovmap-annex 1\nprovider: P\n")
                .unwrap_err()
                .starts_with("line 3")
        );
    }
}
