//! The annex as PDF, made by sovmap itself: no browser, no office suite.
//!
//! The annex's blocks are written as JSON (`/annex.json`) and laid out by a
//! fixed Typst template (`annex.typ`, compiled into the binary) with the
//! `typst` crates, in-process. The template reads every text from the JSON
//! as a string value, so no provider text is ever parsed as markup: a name
//! holding `#`, `]`, `$`, `\` or `*` is printed as written.
//!
//! What the PDF holds: A4 pages; the footer of the Word annex on every page
//! (party, version, date, "page X / Y", the full fingerprint in groups of
//! four); table header rows repeated on each page; no table row, list of
//! facts, paragraph or short clause split across pages; headings as PDF
//! bookmarks; the fonts (Libertinus Serif, DejaVu Sans Mono, files in
//! `fonts/` with their licences) embedded and subset; PDF/A-2b, tagged.
//! The identification `sovmap-annex:scope=…;sha256=…` is the document's
//! keyword (`sovmap annex --verify FILE.pdf` finds it). Byte-identical for
//! the same annex: the document's date is the annex's, never the clock.

use std::sync::LazyLock;

use serde_json::{Value, json};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::{AnnexDoc, Block, ParaStyle, Text, canonical, group_hash, text};

const TEMPLATE: &str = include_str!("annex.typ");

/// The fonts laid out and embedded (subset) in every PDF. Open licences:
/// SIL OFL 1.1 (Libertinus) and the Bitstream Vera licence (DejaVu); the
/// texts are beside them in `fonts/`.
const FONT_FILES: [&[u8]; 5] = [
    include_bytes!("fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("fonts/DejaVuSansMono.ttf"),
];

/// A clause or certificate block longer than this (characters) may break
/// across pages (one page holds about 4,000 at the annex's size); shorter
/// ones are kept on one page.
const KEEP_TOGETHER_CHARS: usize = 2_500;

/// What every compilation shares: the standard library and the fonts,
/// parsed once.
struct Assets {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Assets {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

fn file_id(path: &str) -> FileId {
    // Both paths are constants and valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("valid path {path}"));
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// One annex to compile: the template and its data, nothing else (no file
/// system, no package, no clock).
struct AnnexWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl World for AnnexWorld {
    fn library(&self) -> &LazyHash<Library> {
        &ASSETS.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &ASSETS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        ASSETS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// `YYYY-MM-DD` as (year, month, day).
fn ymd(s: &str) -> Option<(i32, u8, u8)> {
    let d: jiff::civil::Date = s.parse().ok()?;
    Some((
        i32::from(d.year()),
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    ))
}

fn text_json(doc: &AnnexDoc, t: &Text) -> Value {
    json!({ "s": t.s, "fr": t.fr_original && !doc.lang.is_fr() })
}

fn plain(s: &str) -> Value {
    json!({ "s": s, "fr": false })
}

/// Characters of a block, to decide whether it can be kept on one page.
fn size(b: &Block) -> usize {
    match b {
        Block::Heading { text, .. } | Block::Empty(text) => text.len(),
        Block::Para { text, .. } => text.s.len(),
        Block::Facts(f) => f.iter().map(|(k, v)| k.len() + v.s.len() + 40).sum(),
        Block::Table(_) => usize::MAX,
    }
}

/// Lines of table text one page holds (8.5 pt type on an A4 page less its
/// margins and footer: about 68), less room for the caption and header.
const PAGE_LINES: usize = 55;
/// Characters of table text in a line as wide as the page.
const LINE_CHARS: usize = 105;

/// Whether a row may be taller than a page: such a row is allowed to break
/// (else it would run over the footer); every other row is kept whole.
/// An estimate, on the safe side: each line of a cell wraps at the
/// column's share of the page width.
fn taller_than_a_page(tb: &super::Table, row: &[super::Cell]) -> bool {
    let total: usize = tb.widths.iter().map(|w| *w as usize).sum::<usize>().max(1);
    row.iter()
        .enumerate()
        .map(|(i, cell)| {
            let w = tb.widths.get(i).map_or(1, |w| (*w as usize).max(1));
            let per_line = (LINE_CHARS * w / total).max(8);
            cell.iter()
                .flat_map(|x| x.s.split('\n'))
                .map(|l| l.chars().count().div_ceil(per_line).max(1))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
        > PAGE_LINES
}

/// The blocks as the template's JSON. A level-3 heading and the blocks
/// that follow it up to the next heading or table (a clause, a party, a
/// subcontractor's certificate) form a group kept on one page when short.
fn blocks_json(doc: &AnnexDoc, fingerprint: &str) -> Vec<Value> {
    let tt = |k| text::t(doc.lang, k);
    let mut hash_done = false;
    let mut one = |b: &Block| -> Vec<Value> {
        match b {
            Block::Heading { level, text } => {
                vec![json!({ "kind": "heading", "level": (*level).clamp(1, 3), "text": text })]
            }
            Block::Para { style, text } => vec![json!({
                "kind": "para",
                "style": match style {
                    ParaStyle::Normal => "normal",
                    ParaStyle::Note => "note",
                    ParaStyle::Bullet => "bullet",
                    ParaStyle::Placeholder => "placeholder",
                },
                "text": text_json(doc, text),
            })],
            Block::Empty(s) => vec![json!({ "kind": "empty", "text": s })],
            Block::Facts(facts) => {
                let mut items: Vec<Value> = facts
                    .iter()
                    .map(|(k, v)| json!({ "k": k, "v": text_json(doc, v), "hash": false }))
                    .collect();
                let mut out = Vec::new();
                if !hash_done {
                    hash_done = true;
                    items.push(json!({
                        "k": tt("fingerprint"),
                        "v": plain(&group_hash(fingerprint)),
                        "hash": true,
                    }));
                    out.push(json!({ "kind": "facts", "items": items }));
                    let file = format!("{}.txt", doc.stem());
                    out.push(json!({
                        "kind": "para",
                        "style": "note",
                        "text": plain(&tt("fingerprint_note").replace("{file}", &file)),
                    }));
                } else {
                    out.push(json!({ "kind": "facts", "items": items }));
                }
                out
            }
            Block::Table(tb) => vec![json!({
                "kind": "table",
                "caption": tb.caption,
                "header": tb.header,
                "widths": tb.header.iter().enumerate().map(|(i, _)| tb.widths.get(i).copied().unwrap_or(1).max(1)).collect::<Vec<_>>(),
                "rows": tb.rows.iter().map(|row| json!({
                    "breakable": taller_than_a_page(tb, row),
                    "cells": (0..tb.header.len()).map(|i| {
                        row.get(i).map(|cell| cell.iter().map(|x| text_json(doc, x)).collect::<Vec<_>>()).unwrap_or_default()
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })],
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.blocks.len() {
        let b = &doc.blocks[i];
        if matches!(b, Block::Heading { level: 3, .. }) {
            let mut j = i + 1;
            while j < doc.blocks.len()
                && !matches!(doc.blocks[j], Block::Heading { .. } | Block::Table(_))
            {
                j += 1;
            }
            let chars = doc.blocks[i..j]
                .iter()
                .map(size)
                .fold(0, usize::saturating_add);
            let inner: Vec<Value> = doc.blocks[i..j].iter().flat_map(&mut one).collect();
            out.push(json!({
                "kind": "group",
                "breakable": chars > KEEP_TOGETHER_CHARS,
                "blocks": inner,
            }));
            i = j;
        } else {
            out.extend(one(b));
            i += 1;
        }
    }
    out
}

fn colon(doc: &AnnexDoc) -> &'static str {
    if doc.lang.is_fr() { "\u{a0}: " } else { ": " }
}

/// The template's data: everything it prints.
fn data(doc: &AnnexDoc, fingerprint: &str, date: (i32, u8, u8)) -> Value {
    let tt = |k| text::t(doc.lang, k);
    json!({
        "lang": doc.lang_code(),
        "region": if doc.lang.is_fr() { "FR" } else { "GB" },
        "title": doc.title,
        "party": doc.party,
        "token": canonical::token(doc, fingerprint),
        "date": [date.0, date.1, date.2],
        "footer": footer_line(doc),
        "hash": group_hash(fingerprint),
        "labels": {
            "page": tt("page"),
            "fp_short": tt("fingerprint_short"),
            "fp_long": tt("fingerprint"),
            "fr_mark": tt("french_original_mark"),
            "colon": colon(doc),
        },
        "blocks": blocks_json(doc, fingerprint),
    })
}

/// The footer's first line, as the Word footer's: party, version, date.
fn footer_line(doc: &AnnexDoc) -> String {
    let mut parts = vec![doc.party.clone()];
    if let Some(v) = &doc.version {
        parts.push(format!("{} {v}", text::t(doc.lang, "version")));
    }
    if let Some(d) = &doc.date {
        parts.push(d.clone());
    }
    parts.join(" · ")
}

fn messages(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
            if hints.is_empty() {
                d.message.to_string()
            } else {
                format!("{} ({})", d.message, hints.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `.pdf` bytes.
pub fn write(doc: &AnnexDoc) -> Result<Vec<u8>, String> {
    let fp = doc.fingerprint();
    let day = doc.date.as_deref().unwrap_or(&doc.as_of);
    let date = ymd(day).ok_or_else(|| format!("`{day}` is not a date (YYYY-MM-DD)"))?;
    let datetime = Datetime::from_ymd(date.0, date.1, date.2)
        .ok_or_else(|| format!("`{day}` is not a date"))?;
    let data = serde_json::to_vec(&data(doc, &fp, date)).map_err(|e| e.to_string())?;
    let world = AnnexWorld {
        main: Source::new(file_id("/annex.typ"), TEMPLATE.to_string()),
        data_id: file_id("/annex.json"),
        data: Bytes::new(data),
        today: Some(datetime),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| format!("PDF layout failed: {}", messages(&e)))?;
    let options = |standards| PdfOptions {
        ident: Smart::Custom(canonical::token(doc, &fp)),
        creator: Smart::Custom(Some("sovmap".to_string())),
        timestamp: Some(Timestamp::new_utc(datetime)),
        standards,
        ..PdfOptions::default()
    };
    let archival =
        PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| format!("PDF/A-2b: {e:?}"))?;
    // PDF/A refuses a character that no embedded font has (a subcontractor
    // named in Chinese, an emoji): the annex is then a plain PDF 1.7 where
    // that character shows as a missing-glyph box, rather than no annex at
    // all; the canonical text and the Word file hold it as written.
    let pdf = match typst_pdf::pdf(&document, &options(archival)) {
        Ok(pdf) => pdf,
        Err(_) => typst_pdf::pdf(&document, &options(PdfStandards::default()))
            .map_err(|e| format!("PDF export failed: {}", messages(&e)))?,
    };
    // Memoised layouts of earlier annexes are of no use to later ones: keep
    // a `build` of thousands of annexes from growing without bound.
    typst::comemo::evict(10);
    Ok(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn doc(party: &str) -> AnnexDoc {
        AnnexDoc {
            lang: Lang::Fr,
            service: None,
            provider: "P".into(),
            party: party.into(),
            title: "Annexe".into(),
            scope: "Tous les services".into(),
            version: Some("1".into()),
            date: Some("2026-11-15".into()),
            as_of: "2026-11-15".into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "Annexe".into(),
                },
                Block::Facts(vec![("Partie".into(), Text::plain(party))]),
            ],
        }
    }

    #[test]
    fn pdf_a_when_every_character_has_a_glyph() {
        let pdf = write(&doc("Hexagone Santé SAS")).unwrap();
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.starts_with("%PDF-"));
        assert!(s.contains("pdfaid:part"), "PDF/A identification in XMP");
    }

    #[test]
    fn a_character_outside_the_fonts_still_gives_a_pdf() {
        let pdf = write(&doc("华为技术 🏥 SAS")).unwrap();
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.starts_with("%PDF-"));
        assert!(!s.contains("pdfaid:part"), "not claimed PDF/A");
    }

    #[test]
    fn only_a_row_taller_than_a_page_may_break() {
        let line = |s: &str| vec![Text::plain(s)];
        let tb = super::super::Table {
            caption: "c".into(),
            header: vec!["a".into(), "b".into()],
            widths: vec![1, 1],
            rows: vec![],
        };
        let short = vec![line("x"), line("y")];
        assert!(!taller_than_a_page(&tb, &short));
        let long = vec![
            line("x"),
            (0..80).map(|i| Text::plain(format!("ligne {i}"))).collect(),
        ];
        assert!(taller_than_a_page(&tb, &long));
    }

    #[test]
    fn same_annex_same_bytes() {
        assert_eq!(write(&doc("A")).unwrap(), write(&doc("A")).unwrap());
    }
}
