//! Markdown bodies (measures, free pages) to sanitised HTML.
//!
//! pulldown-cmark renders; every heading gets an id (its own `{#id}` or a
//! slug of its text) so that other pages can link to it; ammonia then
//! removes scripts, event handlers and `javascript:` URLs while keeping
//! those heading ids.

use std::collections::{BTreeSet, HashSet};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Render `src` (Markdown, possibly with raw HTML) to safe HTML.
pub fn to_safe_html(src: &str) -> String {
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(src, opts).collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    // Ids written explicitly are reserved first so that slugs do not take them.
    for e in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
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
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            used.insert(candidate.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(candidate));
            }
        }
        i += 1;
    }
    let mut raw = String::new();
    html::push_html(&mut raw, events.into_iter());
    sanitise(&raw)
}

fn sanitise(raw: &str) -> String {
    let heading_attrs: HashSet<&str> = ["id"].into_iter().collect();
    let mut b = ammonia::Builder::default();
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, heading_attrs.iter());
    }
    // Only web and mail links; relative links pass through.
    b.url_schemes(["http", "https", "mailto"].into_iter().collect());
    b.clean(raw).to_string()
}

/// Lower-case ASCII slug of a heading ("Clés détenues en France" → "cles-detenues-en-france").
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Strip the common Latin accents.
fn fold(c: char) -> Vec<char> {
    let s = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' => "a",
        'ç' | 'Ç' => "c",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => "i",
        'ô' | 'ö' | 'ó' | 'õ' | 'Ô' | 'Ö' => "o",
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        _ => return vec![c],
    };
    s.chars().collect()
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
        assert!(h.contains("<h1 id=\"titre\">"), "{h}");
    }

    #[test]
    fn heading_ids_are_unique_and_explicit_ids_kept() {
        let h = to_safe_html("## Clés détenues\n\n## Clés détenues\n\n## Autre {#mon-id}\n");
        assert!(h.contains("id=\"cles-detenues\""), "{h}");
        assert!(h.contains("id=\"cles-detenues-2\""), "{h}");
        assert!(h.contains("id=\"mon-id\""), "{h}");
    }
}
