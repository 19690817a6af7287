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
    let t = |k| text::t(doc.lang, k);
    let mut out = String::new();
    let mut in_list = false;
    let mut hash_done = false;
    let mut section = 0;
    for b in &doc.blocks {
        let bullet = matches!(
            b,
            Block::Para {
                style: ParaStyle::Bullet,
                ..
            }
        );
        if in_list && !bullet {
            out.push_str("</ul>\n");
            in_list = false;
        }
        match b {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 3);
                if level == 2 {
                    section += 1;
                    out.push_str(&format!(
                        "<h2 id=\"annex-{section}\">{}</h2>\n",
                        escape(text)
                    ));
                } else {
                    out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)));
                }
            }
            Block::Para { style, text } => {
                let p = inline(doc, text);
                match style {
                    ParaStyle::Normal => out.push_str(&format!("<p>{p}</p>\n")),
                    ParaStyle::Note => out.push_str(&format!("<p class=\"small\">{p}</p>\n")),
                    ParaStyle::Placeholder => {
                        out.push_str(&format!("<p class=\"placeholder\">{p}</p>\n"))
                    }
                    ParaStyle::Bullet => {
                        if !in_list {
                            out.push_str("<ul class=\"clause-list\">\n");
                            in_list = true;
                        }
                        out.push_str(&format!("<li>{p}</li>\n"));
                    }
                }
            }
            Block::Empty(s) => out.push_str(&format!("<p>{}</p>\n", escape(s))),
            Block::Facts(facts) => {
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
                // A region that scrolls on a phone: focusable and named, as
                // the site's other tables (WCAG 2.1.1, axe
                // scrollable-region-focusable).
                out.push_str(&format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}{}{}\" tabindex=\"0\">\n<table class=\"annex-table\">\n",
                    escape(crate::i18n::tr(doc.lang, "table_region")),
                    escape(crate::i18n::tr(doc.lang, "colon")),
                    escape(&table.caption)
                ));
                out.push_str(&format!("<caption>{}</caption>\n", escape(&table.caption)));
                let total: u32 = table.widths.iter().sum::<u32>().max(1);
                out.push_str("<colgroup>");
                // Widths as classes `w5` … `w60` (percent, by fives): the
                // site's Content-Security-Policy refuses inline styles.
                for w in &table.widths {
                    let pct = ((w * 100 + total / 2) / total).div_ceil(5).clamp(1, 12) * 5;
                    out.push_str(&format!("<col class=\"w{pct}\">"));
                }
                out.push_str("</colgroup>\n<thead>\n<tr>");
                for h in &table.header {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
                }
                out.push_str("</tr>\n</thead>\n<tbody>\n");
                for row in &table.rows {
                    out.push_str("<tr>");
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
                }
                out.push_str("</tbody>\n</table>\n</div>\n");
            }
        }
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    out.push_str(&format!(
        "<p class=\"annex-end\">{}{}{}</p>\n",
        escape(t("fingerprint")),
        if doc.lang.is_fr() { " : " } else { ": " },
        hash_html(fingerprint)
    ));
    out
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

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("a\"b\\</style>"), "a\\\"b\\\\\\3c /style>");
    }
}
