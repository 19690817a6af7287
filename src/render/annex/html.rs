//! The annex as HTML: the body of the site's annex pages, and a standalone
//! page (`sovmap annex --format html`) with its print stylesheet.

use super::{AnnexDoc, Block, ParaStyle, Text, group_hash, text};

pub use super::super::xml::escape;

/// One text; a French original in an English document is marked
/// `lang="fr"` and flagged visibly.
fn inline(doc: &AnnexDoc, t: &Text) -> String {
    let body = escape(&t.s).replace('\n', "<br>");
    if t.fr_original && !doc.lang.is_fr() {
        format!(
            "<span lang=\"fr\">{body}</span> <span class=\"fr-original\">({})</span>",
            escape(text::t(doc.lang, "french_original_mark"))
        )
    } else {
        body
    }
}

/// The fingerprint, in groups of four that wrap between groups.
pub fn hash_html(fingerprint: &str) -> String {
    format!("<code class=\"hash\">{}</code>", group_hash(fingerprint))
}

/// The annex's blocks as an HTML fragment. The first heading is the page's
/// `h1`; the fingerprint (with a link to the canonical file, `canonical`
/// relative to the page) follows the first list of facts.
pub fn body(doc: &AnnexDoc, fingerprint: &str, canonical: &str) -> String {
    let mut out = String::new();
    for p in pieces(doc, fingerprint, canonical) {
        match p {
            Piece::Html(s) => out.push_str(&s),
            Piece::Rows {
                open, items, close, ..
            } => {
                out.push_str(&open);
                items.iter().for_each(|i| out.push_str(i));
                out.push_str(&close);
            }
        }
    }
    out
}

/// A part of the annex's HTML body ([`pieces`]): joined in order, the pieces
/// are [`body`]. A site page prints the few first items of a long
/// [`Piece::Rows`] and puts all of them on numbered pages
/// (`render::site::split`), so that no page grows with the inventory; the
/// Word and PDF files and the canonical text stay whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Html(String),
    /// The rows of a table (`open`: its region, caption and header; `close`:
    /// the end of its body), or a run of `h3` subsections of one section
    /// (the certificates of each subcontractor: `open` and `close` empty).
    Rows {
        /// Short name for the numbered pages' file names: `table2` (the
        /// table of section 2), `details4` (the subsections of section 4).
        key: String,
        /// The section's heading (`h2`), for the numbered pages' headings.
        section: String,
        /// The table's caption, or the section's heading.
        caption: String,
        open: String,
        items: Vec<String>,
        close: String,
    },
}

/// Writes the pieces: `out` is the HTML being written (of the current
/// subsection when in a run of subsections).
struct Pieces {
    done: Vec<Piece>,
    out: String,
    /// The section's number and heading, and the subsections written so far
    /// when in a run of them.
    section: (usize, String),
    run: Option<Vec<String>>,
    keys: std::collections::BTreeSet<String>,
}

impl Pieces {
    fn flush(&mut self) {
        if !self.out.is_empty() {
            self.done.push(Piece::Html(std::mem::take(&mut self.out)));
        }
    }

    /// A key not used yet in this document.
    fn key(&mut self, kind: &str) -> String {
        let base = format!("{kind}{}", self.section.0);
        let mut key = base.clone();
        let mut n = 1;
        while self.keys.contains(&key) {
            n += 1;
            key = format!("{base}-{n}");
        }
        self.keys.insert(key.clone());
        key
    }

    /// Ends a run of subsections (the current one included).
    fn end_run(&mut self) {
        if let Some(mut items) = self.run.take() {
            items.push(std::mem::take(&mut self.out));
            let key = self.key("details");
            self.done.push(Piece::Rows {
                key,
                section: self.section.1.clone(),
                caption: self.section.1.clone(),
                open: String::new(),
                items,
                close: String::new(),
            });
        }
    }

    /// A subsection (`h3`) starts: the next item of the run.
    fn subsection(&mut self) {
        match &mut self.run {
            Some(items) => items.push(std::mem::take(&mut self.out)),
            None => {
                self.flush();
                self.run = Some(Vec::new());
            }
        }
    }
}

/// The annex's body in pieces (see [`Piece`]).
pub fn pieces(doc: &AnnexDoc, fingerprint: &str, canonical: &str) -> Vec<Piece> {
    let t = |k| text::t(doc.lang, k);
    let mut w = Pieces {
        done: Vec::new(),
        out: String::new(),
        section: (0, String::new()),
        run: None,
        keys: Default::default(),
    };
    let mut in_list = false;
    let mut hash_done = false;
    for b in &doc.blocks {
        let bullet = matches!(
            b,
            Block::Para {
                style: ParaStyle::Bullet,
                ..
            }
        );
        if in_list && !bullet {
            w.out.push_str("</ul>\n");
            in_list = false;
        }
        match b {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 3);
                if level == 3 {
                    w.subsection();
                } else {
                    w.end_run();
                }
                if level == 2 {
                    w.section = (w.section.0 + 1, text.clone());
                    w.out.push_str(&format!(
                        "<h2 id=\"annex-{}\">{}</h2>\n",
                        w.section.0,
                        escape(text)
                    ));
                } else {
                    w.out
                        .push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)));
                }
            }
            Block::Para { style, text } => {
                let p = inline(doc, text);
                match style {
                    ParaStyle::Normal => w.out.push_str(&format!("<p>{p}</p>\n")),
                    ParaStyle::Note => w.out.push_str(&format!("<p class=\"small\">{p}</p>\n")),
                    ParaStyle::Placeholder => w
                        .out
                        .push_str(&format!("<p class=\"placeholder\">{p}</p>\n")),
                    ParaStyle::Bullet => {
                        if !in_list {
                            w.out.push_str("<ul class=\"clause-list\">\n");
                            in_list = true;
                        }
                        w.out.push_str(&format!("<li>{p}</li>\n"));
                    }
                }
            }
            Block::Empty(s) => w.out.push_str(&format!("<p>{}</p>\n", escape(s))),
            Block::Facts(facts) => {
                let out = &mut w.out;
                out.push_str("<dl class=\"facts annex-meta\">\n");
                for (k, v) in facts {
                    out.push_str(&format!(
                        "<dt>{}</dt><dd>{}</dd>\n",
                        escape(k),
                        inline(doc, v)
                    ));
                }
                let first = !hash_done;
                if first {
                    hash_done = true;
                    out.push_str(&format!(
                        "<dt>{}</dt><dd>{} <a class=\"small\" href=\"{}\">{}</a></dd>\n",
                        escape(t("fingerprint")),
                        hash_html(fingerprint),
                        escape(canonical),
                        escape(t("canonical_link"))
                    ));
                }
                out.push_str("</dl>\n");
                if first {
                    let file = canonical.rsplit('/').next().unwrap_or(canonical);
                    out.push_str(&format!(
                        "<p class=\"small\">{}</p>\n",
                        escape(&t("fingerprint_note").replace("{file}", file))
                    ));
                }
            }
            Block::Table(table) => {
                let (open, rows, close) = table_html(doc, table);
                if w.run.is_some() {
                    // A table inside a subsection stays with it.
                    w.out.push_str(&open);
                    rows.iter().for_each(|r| w.out.push_str(r));
                    w.out.push_str(&close);
                } else {
                    w.flush();
                    let key = w.key("table");
                    w.done.push(Piece::Rows {
                        key,
                        section: w.section.1.clone(),
                        caption: table.caption.clone(),
                        open,
                        items: rows,
                        close,
                    });
                }
            }
        }
    }
    if in_list {
        w.out.push_str("</ul>\n");
    }
    w.end_run();
    w.out.push_str(&format!(
        "<p class=\"annex-end\">{}{}{}</p>\n",
        escape(t("fingerprint")),
        if doc.lang.is_fr() { " : " } else { ": " },
        hash_html(fingerprint)
    ));
    w.flush();
    w.done
}

/// A table as its opening (region, caption, columns, header), its rows and
/// its end.
fn table_html(doc: &AnnexDoc, table: &super::Table) -> (String, Vec<String>, String) {
    // A region that scrolls on a phone: focusable and named, as the site's
    // other tables (WCAG 2.1.1, axe scrollable-region-focusable).
    let mut open = format!(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}{}{}\" tabindex=\"0\">\n<table class=\"annex-table\">\n",
        escape(crate::i18n::tr(doc.lang, "table_region")),
        escape(crate::i18n::tr(doc.lang, "colon")),
        escape(&table.caption)
    );
    open.push_str(&format!("<caption>{}</caption>\n", escape(&table.caption)));
    let total: u32 = table.widths.iter().sum::<u32>().max(1);
    open.push_str("<colgroup>");
    // Widths as classes `w5` … `w60` (percent, by fives): the site's
    // Content-Security-Policy refuses inline styles.
    for w in &table.widths {
        let pct = ((w * 100 + total / 2) / total).div_ceil(5).clamp(1, 12) * 5;
        open.push_str(&format!("<col class=\"w{pct}\">"));
    }
    open.push_str("</colgroup>\n<thead>\n<tr>");
    for h in &table.header {
        open.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    open.push_str("</tr>\n</thead>\n<tbody>\n");
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut out = String::from("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let content = if cell.len() == 1 {
                    inline(doc, &cell[0])
                } else {
                    let items: String = cell
                        .iter()
                        .map(|x| format!("<li>{}</li>", inline(doc, x)))
                        .collect();
                    format!("<ul class=\"plain\">{items}</ul>")
                };
                if i == 0 {
                    out.push_str(&format!("<th scope=\"row\">{content}</th>"));
                } else {
                    out.push_str(&format!("<td>{content}</td>"));
                }
            }
            out.push_str("</tr>\n");
            out
        })
        .collect();
    (open, rows, "</tbody>\n</table>\n</div>\n".to_string())
}

/// The print stylesheet of the annex: A4, page numbers and the running
/// footer in `@page` margin boxes, no row or block split across pages,
/// table headers repeated. Also in the site's `style.css`.
pub const PRINT_CSS: &str = include_str!("annex-print.css");

/// A self-contained HTML page (no external resource), for `sovmap annex
/// --format html`.
pub fn standalone(doc: &AnnexDoc) -> String {
    let fp = doc.fingerprint();
    let footer = doc.footer(&fp);
    let canonical = format!("{}.txt", doc.stem());
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<title>{title}</title>\n<style>\n{css}\n@page {{ @bottom-left {{ content: \"{footer_css}\"; }} }}\n</style>\n</head>\n\
<body class=\"annex\">\n<main class=\"annex-body\">\n{body}</main>\n\
<footer class=\"annex-footer\" data-annex=\"{token}\">{footer}</footer>\n</body>\n</html>\n",
        lang = doc.lang_code(),
        title = escape(&format!("{} — {}", doc.title, doc.scope)),
        css = PRINT_CSS,
        footer_css = css_string(&footer),
        body = body(doc, &fp, &canonical),
        footer = escape(&footer),
        token = escape(&super::canonical::token(doc, &fp)),
    )
}

/// A CSS string literal's content: quotes, backslashes and line ends
/// escaped, `<` escaped so that it cannot close the `style` element.
pub fn css_string(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push_str("\\a "),
            '<' => out.push_str("\\3c "),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::i18n::Lang;
    use crate::render::annex::{Table, Text};

    fn doc(subsections: usize, rows: usize) -> AnnexDoc {
        let h = |level, s: &str| Block::Heading {
            level,
            text: s.to_string(),
        };
        let para = |style, s: &str| Block::Para {
            style,
            text: Text::plain(s),
        };
        let mut blocks = vec![
            h(1, "Annex"),
            Block::Facts(vec![("Version".into(), Text::plain("1"))]),
            h(2, "1. Transfers"),
            Block::Table(Table {
                caption: "Transfers".into(),
                header: vec!["Id".into(), "Country".into()],
                widths: vec![1, 1],
                rows: (0..rows)
                    .map(|i| vec![vec![Text::plain(format!("t{i}"))], vec![]])
                    .collect(),
            }),
            h(2, "2. Subcontractors"),
        ];
        for i in 0..subsections {
            blocks.push(h(3, &format!("Actor {i}")));
            blocks.push(para(ParaStyle::Bullet, "certified"));
        }
        blocks.push(h(2, "3. Clauses"));
        blocks.push(para(ParaStyle::Normal, "The end."));
        AnnexDoc {
            lang: Lang::En,
            service: None,
            provider: "P".into(),
            party: "P SAS".into(),
            title: "Annex".into(),
            scope: "All".into(),
            version: Some("1".into()),
            date: None,
            as_of: "2026-11-15".into(),
            blocks,
        }
    }

    #[test]
    fn pieces_join_into_the_body_and_isolate_tables_and_subsections() {
        let d = doc(3, 4);
        let pieces = pieces(&d, "ab12", "index.txt");
        let joined: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Html(s) => s.clone(),
                Piece::Rows {
                    open, items, close, ..
                } => format!("{open}{}{close}", items.concat()),
            })
            .collect();
        assert_eq!(joined, body(&d, "ab12", "index.txt"));
        let rows: Vec<(&str, &str, usize)> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Rows {
                    key,
                    section,
                    items,
                    ..
                } => Some((key.as_str(), section.as_str(), items.len())),
                Piece::Html(_) => None,
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("table1", "1. Transfers", 4),
                ("details2", "2. Subcontractors", 3)
            ]
        );
        // Each subsection is whole: its list closes inside it.
        for p in &pieces {
            if let Piece::Rows { key, items, .. } = p
                && key == "details2"
            {
                for i in items {
                    assert!(i.starts_with("<h3>") && i.ends_with("</ul>\n"), "{i}");
                }
            }
        }
        assert!(joined.contains("<td><ul class=\"plain\"></ul></td>"));
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("a\"b\\</style>"), "a\\\"b\\\\\\3c /style>");
    }
}
