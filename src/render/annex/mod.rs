//! The contract annex as a document: one model ([`AnnexDoc`]) built once from
//! the analysis (see `render::site`), written as its canonical text (what the
//! fingerprint covers, [`canonical`]), as HTML (the site's annex pages), as
//! Word ([`docx`]) and as PDF ([`pdf`]). Every format prints the same blocks
//! in the same order, so the paper a client signs says exactly what the
//! published canonical file says.

pub mod canonical;
pub mod clauses;
pub mod docx;
pub mod html;
pub mod pdf;
pub mod text;

use crate::i18n::Lang;

/// A run of text. `fr_original` marks a French text the provider has not
/// translated, printed in an English document (shown as "French original",
/// `lang="fr"` in HTML, `xml:lang`/`w:lang` in Word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub s: String,
    pub fr_original: bool,
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Text {
        Text {
            s: clean(&s.into()),
            fr_original: false,
        }
    }

    pub fn fr_original(s: impl Into<String>) -> Text {
        Text {
            s: clean(&s.into()),
            fr_original: true,
        }
    }
}

/// Line ends made `\n`, tabs made spaces, other control characters dropped,
/// trailing spaces of each line removed: what the canonical text holds, so
/// that every format prints the same characters.
pub fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let s: String = s
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    s.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaStyle {
    Normal,
    /// A secondary note (smaller type).
    Note,
    /// One item of a bulleted list.
    Bullet,
    /// A placeholder the parties fill in (shown highlighted).
    Placeholder,
}

/// One cell: one or more lines (list items are lines).
pub type Cell = Vec<Text>;

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    /// Relative column widths (same length as `header`).
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 (the title) to 3.
    Heading {
        level: u8,
        text: String,
    },
    Para {
        style: ParaStyle,
        text: Text,
    },
    /// Labelled facts ("Version: 2026.4"), kept together on a page.
    Facts(Vec<(String, Text)>),
    Table(Table),
    /// Nothing to tabulate: the sentence that says so.
    Empty(String),
}

/// The annex of one scope (all services, or one) in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexDoc {
    pub lang: Lang,
    /// The service id; `None` for the whole provider.
    pub service: Option<String>,
    /// Display name of the provider (`name` of sovmap.toml).
    pub provider: String,
    /// Contracting party named in footers (its legal name).
    pub party: String,
    pub title: String,
    /// "All of the provider's services" or "Service: Managed PostgreSQL".
    pub scope: String,
    pub version: Option<String>,
    /// Publication date (ISO), the date the annex is valid from.
    pub date: Option<String>,
    /// Date whose legal facts apply (ISO).
    pub as_of: String,
    pub blocks: Vec<Block>,
}

impl AnnexDoc {
    /// SHA-256 of the canonical text, lower-case hex.
    pub fn fingerprint(&self) -> String {
        canonical::fingerprint(&canonical::text(self))
    }

    /// "fr", or "en".
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// File stem of the annex in the site (`index` or the service id).
    pub fn stem(&self) -> &str {
        self.service.as_deref().unwrap_or("index")
    }

    /// The footer line printed on every page of the Word and PDF files.
    pub fn footer(&self, fingerprint: &str) -> String {
        let t = |k| text::t(self.lang, k);
        let mut parts = vec![self.party.clone()];
        if let Some(v) = &self.version {
            parts.push(format!("{} {v}", t("version")));
        }
        if let Some(d) = &self.date {
            parts.push(d.clone());
        }
        parts.push(format!(
            "{} {}",
            t("fingerprint_short"),
            group_hash(fingerprint)
        ));
        parts.join(" · ")
    }

    /// Every text of the document that is a French original on an English
    /// page (for `check` and tests).
    pub fn untranslated(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Para { text, .. } if text.fr_original => out.push(text.s.as_str()),
                Block::Facts(f) => out.extend(
                    f.iter()
                        .filter(|(_, v)| v.fr_original)
                        .map(|(_, v)| v.s.as_str()),
                ),
                Block::Table(t) => out.extend(
                    t.rows
                        .iter()
                        .flatten()
                        .flatten()
                        .filter(|x| x.fr_original)
                        .map(|x| x.s.as_str()),
                ),
                _ => {}
            }
        }
        out
    }
}

/// A hash in groups of four characters separated by spaces, so that it
/// wraps between groups and can be read aloud or compared by eye.
pub fn group_hash(h: &str) -> String {
    h.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The formats `sovmap annex` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Html,
    /// PDF/A-2b, laid out by sovmap itself ([`pdf`]).
    Pdf,
    /// The canonical text itself.
    Txt,
}

/// The document in one format.
pub fn write(doc: &AnnexDoc, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Txt => Ok(canonical::text(doc).into_bytes()),
        Format::Html => Ok(html::standalone(doc).into_bytes()),
        Format::Docx => docx::write(doc),
        Format::Pdf => pdf::write(doc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_normalises_line_ends_and_controls() {
        assert_eq!(clean(" a\r\nb \rc\u{7}\td  \n"), "a\nb\nc d");
    }

    #[test]
    fn hash_groups_of_four() {
        assert_eq!(group_hash("0123456789ab"), "0123 4567 89ab");
    }
}
