//! The clauses of the annex: sovmap's defaults (`defaults/*.md`, marked in
//! the annex as to review with counsel), replaced or completed by the
//! host's own (`content/annex/<id>.md`, `<id>.en.md`).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Block, ParaStyle, Text};
use crate::i18n::Lang;
use crate::model::Project;

/// sovmap's default clauses: (id, French file, English file).
const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "contract",
        include_str!("defaults/contract.md"),
        include_str!("defaults/contract.en.md"),
    ),
    (
        "language",
        include_str!("defaults/language.md"),
        include_str!("defaults/language.en.md"),
    ),
    (
        "changes",
        include_str!("defaults/changes.md"),
        include_str!("defaults/changes.en.md"),
    ),
    (
        "foreign-requests",
        include_str!("defaults/foreign-requests.md"),
        include_str!("defaults/foreign-requests.en.md"),
    ),
    (
        "audit",
        include_str!("defaults/audit.md"),
        include_str!("defaults/audit.en.md"),
    ),
];

/// The ids of sovmap's default clauses.
pub fn default_ids() -> impl Iterator<Item = &'static str> {
    DEFAULTS.iter().map(|(id, _, _)| *id)
}

/// One clause as the annex of a language prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseText {
    pub id: String,
    pub title: String,
    pub order: i64,
    pub body: String,
    /// sovmap's text, not the host's: printed with "to review with counsel".
    pub default: bool,
    /// The host's French text, printed in an English annex for want of an
    /// English one.
    pub fr_original: bool,
}

/// `title` and `order` of an embedded default, and its body.
fn parse_default(text: &str) -> (String, i64, String) {
    let mut title = String::new();
    let mut order = 100;
    let rest = text.strip_prefix("+++\n").unwrap_or(text);
    let (fm, body) = rest.split_once("\n+++\n").unwrap_or(("", rest));
    for line in fm.lines() {
        if let Some((k, v)) = line.split_once(" = ") {
            match k.trim() {
                "title" => title = v.trim().trim_matches('"').to_string(),
                "order" => order = v.trim().parse().unwrap_or(100),
                _ => {}
            }
        }
    }
    (title, order, body.to_string())
}

/// The clauses of the annex in `lang`, in order.
pub fn resolve(p: &Project, lang: Lang) -> Vec<ClauseText> {
    let mut ids: Vec<String> = default_ids().map(str::to_string).collect();
    ids.extend(p.clauses.keys().map(|(id, _)| id.clone()));
    ids.sort();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let own = |l: &str| p.clauses.get(&(id.clone(), l.to_string()));
        let default = DEFAULTS
            .iter()
            .find(|(d, _, _)| *d == id)
            .map(|(_, fr, en)| {
                let (title, order, body) = parse_default(if lang.is_fr() { fr } else { en });
                ClauseText {
                    id: id.clone(),
                    title,
                    order,
                    body,
                    default: true,
                    fr_original: false,
                }
            });
        let default_order = default.as_ref().map_or(100, |d| d.order);
        let from_host = |c: &crate::model::Clause, fr_original: bool| ClauseText {
            id: id.clone(),
            title: c.title.clone(),
            order: c.order.unwrap_or(default_order),
            body: c.body.clone(),
            default: false,
            fr_original,
        };
        let chosen = match (own(lang.code()), lang, own("fr")) {
            (Some(c), _, _) => Some(from_host(c, false)),
            // The host rewrote the French clause but gave no English one:
            // the English annex prints the French original, not sovmap's
            // English default of another text.
            (None, Lang::En, Some(fr)) => Some(from_host(fr, true)),
            _ => default,
        };
        out.extend(chosen);
    }
    out.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    out
}

/// `{{ name }}` placeholders replaced by their values.
pub fn fill(body: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                let name = after[..j].trim();
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[i..i + 2 + j + 2]),
                }
                rest = &after[j + 2..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A clause's Markdown as blocks: paragraphs, list items (bullets) and
/// headings, inline formatting dropped, raw HTML dropped. A paragraph
/// wholly in square brackets is a placeholder the parties fill in.
pub fn markdown_blocks(md: &str, fr_original: bool) -> Vec<Block> {
    let text = |s: String| {
        if fr_original {
            Text::fr_original(s)
        } else {
            Text::plain(s)
        }
    };
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut depth_item = 0usize;
    let mut heading = false;
    let flush = |buf: &mut String, out: &mut Vec<Block>, style: ParaStyle| {
        let s = std::mem::take(buf);
        let s = s.trim().to_string();
        if s.is_empty() {
            return;
        }
        let style = if style == ParaStyle::Normal && s.starts_with('[') && s.ends_with(']') {
            ParaStyle::Placeholder
        } else {
            style
        };
        out.push(Block::Para {
            style,
            text: text(s),
        });
    };
    for ev in Parser::new(md) {
        match ev {
            Event::Start(Tag::Item) => {
                if depth_item > 0 {
                    flush(&mut buf, &mut out, ParaStyle::Bullet);
                }
                depth_item += 1;
            }
            Event::End(TagEnd::Item) => {
                flush(&mut buf, &mut out, ParaStyle::Bullet);
                depth_item = depth_item.saturating_sub(1);
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut buf, &mut out, ParaStyle::Normal);
                heading = true;
            }
            Event::End(TagEnd::Heading(_)) => {
                heading = false;
                let s = std::mem::take(&mut buf).trim().to_string();
                if !s.is_empty() {
                    out.push(Block::Heading { level: 3, text: s });
                }
            }
            Event::End(TagEnd::Paragraph) if depth_item == 0 && !heading => {
                flush(&mut buf, &mut out, ParaStyle::Normal);
            }
            Event::End(TagEnd::Paragraph) => buf.push(' '),
            Event::Text(t) | Event::Code(t) => buf.push_str(&t),
            Event::SoftBreak => buf.push(' '),
            Event::HardBreak => buf.push('\n'),
            _ => {}
        }
    }
    flush(
        &mut buf,
        &mut out,
        if depth_item > 0 {
            ParaStyle::Bullet
        } else {
            ParaStyle::Normal
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_in_both_languages() {
        for (id, fr, en) in DEFAULTS {
            for t in [fr, en] {
                let (title, order, body) = parse_default(t);
                assert!(!title.is_empty() && order < 100, "{id}");
                assert!(!body.trim().is_empty() && !body.contains("+++"), "{id}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let v = [("notice_days", "30".to_string())];
        assert_eq!(
            fill("at least {{ notice_days }} days {{x}} {{", &v),
            "at least 30 days {{x}} {{"
        );
    }

    #[test]
    fn markdown_becomes_paragraphs_bullets_and_placeholders() {
        let b = markdown_blocks(
            "Intro *text*\nnext.\n\n[To fill]\n\n- one\n- two <b>x</b>\n\n## Sub\n",
            false,
        );
        let styles: Vec<(ParaStyle, &str)> = b
            .iter()
            .filter_map(|b| match b {
                Block::Para { style, text } => Some((*style, text.s.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            styles,
            vec![
                (ParaStyle::Normal, "Intro text next."),
                (ParaStyle::Placeholder, "[To fill]"),
                (ParaStyle::Bullet, "one"),
                (ParaStyle::Bullet, "two x"),
            ]
        );
        assert!(matches!(&b[4], Block::Heading { text, .. } if text == "Sub"));
    }
}
