//! Markdown bodies (measures, free pages) to sanitised HTML.
//!
//! pulldown-cmark renders; every heading gets an id (its own `{#id}` or a
//! slug of its text) so that other pages can link to it; ammonia then
//! removes scripts, event handlers and `javascript:` URLs while keeping
//! those heading ids.
//!
//! The body sits under the page's own `<h1>` (its title): headings are moved
//! one level down (`#` becomes `<h2>`), so that each page keeps one `<h1>`, and
//! table header cells get `scope="col"`.

use std::collections::{BTreeSet, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::i18n::slug;

/// Render `src` (Markdown, possibly with raw HTML) to safe HTML.
pub fn to_safe_html(src: &str) -> String {
    // Control and bidirectional characters: U+FFFD (crate::visible).
    let src = crate::visible::replace_controls(src);
    let src = src.as_ref();
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(src, opts).collect();
    // Ids of the page around the body (base.html's `<main id="main">`).
    let mut used: BTreeSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    // Ids written explicitly are reserved first so that slugs do not take them;
    // one written twice (or a reserved one) is given a suffix like a slug.
    for e in &mut events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            if used.contains(id.as_ref()) {
                *id = CowStr::from(unique(&used, id));
            }
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = slug(&text);
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let candidate = unique(&used, &base);
            used.insert(candidate.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(candidate));
            }
        }
        i += 1;
    }
    let mut remote_images: Vec<bool> = Vec::new();
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        // A remote image would be fetched by every reader's browser: it
        // becomes a link to the image (its alt text as the link's text).
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if is_remote(&dest_url) => {
            remote_images.push(true);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            remote_images.push(false);
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::End(TagEnd::Image) => {
            if remote_images.pop().unwrap_or(false) {
                Event::End(TagEnd::Link)
            } else {
                Event::End(TagEnd::Image)
            }
        }
        e => e,
    });
    let mut raw = String::new();
    html::push_html(&mut raw, events);
    fix_structure(&sanitise(&raw))
}

/// Ids that the page templates give to elements around a Markdown body.
const RESERVED_IDS: &[&str] = &["main"];

/// `base`, else `base-2`, `base-3`…: the first one not used yet.
fn unique(used: &BTreeSet<String>, base: &str) -> String {
    let mut candidate = base.to_string();
    let mut n = 1;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    candidate
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// After sanitising, what ammonia leaves valid for HTML but not for the
/// Nu HTML Checker or a screen reader:
/// - a raw HTML `<h1>` becomes `<h2>` (Markdown headings are already moved down);
/// - header cells of a table head get `scope="col"` (Markdown tables have
///   header cells in `<thead>` only);
/// - a link whose URL was removed (`javascript:`) loses the `rel` ammonia adds,
///   which is only allowed with `href`;
/// - an image whose `src` was removed (`data:`) is dropped (it shows nothing),
///   and one without `alt` gets `alt=""` rather than its file name read aloud.
///
/// Works on ammonia's serialisation: `<` in text is escaped, comments are
/// gone, attribute values are double-quoted with `"`, `<` and `>` escaped
/// (quotes are honoured all the same).
fn fix_structure(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let mut in_thead = false;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos + 1..];
        let end = tag_end(rest);
        let inner = &rest[..end];
        // Past the closing `>` (absent only in a truncated tag).
        rest = rest.get(end + 1..).unwrap_or("");
        let (slash, body) = match inner.strip_prefix('/') {
            Some(b) => ("/", b),
            None => ("", inner),
        };
        let name_len = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let (name, attrs) = body.split_at(name_len);
        let name = name.to_ascii_lowercase();
        let start = slash.is_empty();
        let has = |a: &str| attrs.contains(&format!(" {a}=\""));
        let (name, attrs): (&str, String) = match name.as_str() {
            "h1" => ("h2", attrs.to_string()),
            "thead" => {
                in_thead = start;
                ("thead", attrs.to_string())
            }
            "th" if start && in_thead && !has("scope") => ("th", format!(" scope=\"col\"{attrs}")),
            "a" if start && !has("href") => {
                ("a", attrs.replace(" rel=\"noopener noreferrer\"", ""))
            }
            "img" if !has("src") && !has("srcset") => continue,
            "img" if !has("alt") => ("img", format!("{attrs} alt=\"\"")),
            _ => (name.as_str(), attrs.to_string()),
        };
        out.push('<');
        out.push_str(slash);
        out.push_str(name);
        out.push_str(&attrs);
        out.push('>');
    }
    out.push_str(rest);
    out
}

/// Length of a tag's inside up to (not including) its closing `>`, skipping
/// quoted attribute values; the whole rest when it is not closed.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    s.len()
}

/// Whether a URL leaves the site (a scheme, or `//host`): relative URLs
/// and fragments stay on it.
fn is_remote(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//")
        || url.starts_with("\\\\")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '?', '#']))
}

fn sanitise(raw: &str) -> String {
    let heading_attrs: HashSet<&str> = ["id"].into_iter().collect();
    let mut b = ammonia::Builder::default();
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, heading_attrs.iter());
    }
    // Only web and mail links; relative links pass through.
    b.url_schemes(["http", "https", "mailto"].into_iter().collect());
    // No external request: a raw `<img>` (or `srcset`) loading from another
    // site loses its source (Markdown images become links above).
    b.attribute_filter(|element, attribute, value| {
        if matches!(attribute, "src" | "srcset" | "poster" | "background")
            && (value.split([',', ' ']).any(is_remote) || element != "img")
        {
            return None;
        }
        Some(value.into())
    });
    b.clean(raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_javascript_links_are_removed() {
        let h = to_safe_html(
            "# Titre\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(h.contains("<h2 id=\"titre\">"), "{h}");
    }

    #[test]
    fn headings_move_one_level_down_under_the_page_title() {
        let h = to_safe_html("# Un\n\n## Deux\n\n###### Six\n\n<h1>Brut</h1>\n");
        assert!(!h.contains("<h1"), "{h}");
        assert!(h.contains("<h2 id=\"un\">Un</h2>"), "{h}");
        assert!(h.contains("<h3 id=\"deux\">Deux</h3>"), "{h}");
        assert!(h.contains("<h6 id=\"six\">Six</h6>"), "{h}");
        assert!(h.contains("<h2>Brut</h2>"), "{h}");
    }

    #[test]
    fn raw_tags_inside_attribute_values_are_left_alone() {
        let h = to_safe_html("<abbr title=\"a <h1> b <th> c\">x</abbr>\n");
        assert!(
            h.contains("<abbr title=\"a &lt;h1&gt; b &lt;th&gt; c\">x</abbr>"),
            "{h}"
        );
        assert!(!h.contains("<h2") && !h.contains("scope"), "{h}");
    }

    #[test]
    fn table_header_cells_are_column_headers() {
        let h = to_safe_html("| A | B |\n|---|--:|\n| 1 | 2 |\n");
        assert!(h.contains("<th scope=\"col\">A</th>"), "{h}");
        assert!(h.contains("<th scope=\"col\""), "{h}");
        assert!(!h.contains("<th>"), "{h}");
        assert!(h.contains("<td>1</td>"), "{h}");
    }

    #[test]
    fn links_and_images_left_without_url_stay_valid() {
        let h = to_safe_html(
            "[a](javascript:x) <a href=\"javascript:y\">b</a> [c](https://example.org/)\n\n\
             <img src=\"data:image/gif;base64,R0lGOD\" onerror=\"x\"> <img src=\"plan.png\">\n\n\
             ![Plan du site](plan.png)\n",
        );
        assert!(h.contains("<a>a</a>") && h.contains("<a>b</a>"), "{h}");
        assert!(
            h.contains("<a href=\"https://example.org/\" rel=\"noopener noreferrer\">c</a>"),
            "{h}"
        );
        assert!(!h.contains("data:") && !h.contains("<img>"), "{h}");
        assert!(h.contains("<img src=\"plan.png\" alt=\"\">"), "{h}");
        assert!(
            h.contains("<img src=\"plan.png\" alt=\"Plan du site\">"),
            "{h}"
        );
    }

    #[test]
    fn ids_of_the_page_and_repeated_explicit_ids_are_not_reused() {
        let h = to_safe_html("# Main\n\n## A {#x}\n\n## B {#x}\n\n## C {#main}\n");
        assert!(!h.contains("id=\"main\""), "{h}");
        assert!(h.contains("id=\"main-2\""), "{h}");
        assert!(h.contains("id=\"main-3\""), "{h}");
        assert!(h.contains("id=\"x\""), "{h}");
        assert!(h.contains("id=\"x-2\""), "{h}");
    }

    #[test]
    fn heading_ids_are_unique_and_explicit_ids_kept() {
        let h = to_safe_html("## Clés détenues\n\n## Clés détenues\n\n## Autre {#mon-id}\n");
        assert!(h.contains("id=\"cles-detenues\""), "{h}");
        assert!(h.contains("id=\"cles-detenues-2\""), "{h}");
        assert!(h.contains("id=\"mon-id\""), "{h}");
    }
}
