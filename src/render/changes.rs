//! `changes.html` (what changed, publication by publication) and `feed.xml`
//! (the same history as an Atom 1.0 feed, RFC 4287), one of each per
//! language of the site.
//!
//! Both show the history computed by [`crate::publication::history`] (the texts recorded
//! at each publication); nothing here compares or judges. The page goes
//! through the theme's `changes.html` template like every other page; the
//! feed is written here, every text escaped, dated by publication dates only.

use serde::Serialize;
use tera::Context;

use super::xml::{Writer, escape};
use crate::i18n::{self, Lang, tr};
use crate::publication::changes::Item;
use crate::publication::history::{Published, atom_date, feed_id, item_of};
use crate::publication::{HistoryEntry, Publication};

/// Path of the changes page inside a language root.
pub const PAGE: &str = "changes.html";
/// Path of the feed inside a language root.
pub const FEED: &str = "feed.xml";

#[derive(Serialize)]
struct ChangeV {
    /// `added`, `removed`, `changed` (a CSS class).
    kind: String,
    /// "Added" / "Ajout"…
    mark: &'static str,
    text: String,
    details: Vec<String>,
    risks: Vec<String>,
    effective: Option<String>,
}

#[derive(Serialize)]
struct GroupV {
    heading: String,
    changes: Vec<ChangeV>,
}

#[derive(Serialize)]
struct EntryV {
    /// The newest publication (the others are "earlier publications").
    current: bool,
    anchor: String,
    title: String,
    date: String,
    summary: String,
    riskier: bool,
    effective: Option<String>,
    groups: Vec<GroupV>,
}

#[derive(Serialize)]
struct ChangesV {
    feed_href: String,
    first: bool,
    /// Newest first; the first one is the current publication.
    entries: Vec<EntryV>,
}

/// The anchor of an entry on the changes page (stable: from its date and version).
pub fn anchor(e: &HistoryEntry) -> String {
    let mut s = format!("publication-{}", e.date);
    if let Some(v) = &e.version {
        s.push('-');
        for c in v.chars() {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                s.push(c);
            } else {
                s.push('-');
            }
        }
    }
    s
}

fn mark(change: &str, lang: Lang) -> &'static str {
    tr(
        lang,
        match change {
            "added" => "change_added",
            "removed" => "change_removed",
            _ => "change_changed",
        },
    )
}

fn entry_v(e: &HistoryEntry, lang: Lang) -> EntryV {
    // Group in the order of `Item::ALL`; kinds this sovmap does not know
    // (a newer file) come last, under their own key.
    let mut groups: Vec<GroupV> = Vec::new();
    let mut keys: Vec<(Option<Item>, String)> = Vec::new();
    for c in &e.changes {
        let k = (item_of(c), c.item.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    for (item, key) in keys {
        let changes = e
            .changes
            .iter()
            .filter(|c| c.item == key)
            .map(|c| ChangeV {
                kind: match c.change.as_str() {
                    "added" | "removed" => c.change.clone(),
                    _ => "changed".into(),
                },
                mark: mark(&c.change, lang),
                text: c.text.get(lang).to_string(),
                details: c.details.iter().map(|d| d.get(lang).to_string()).collect(),
                risks: c.risks.iter().map(|r| r.get(lang).to_string()).collect(),
                effective: c.effective.map(|d| i18n::format_date(d, lang)),
            })
            .collect();
        groups.push(GroupV {
            heading: item
                .map(|i| i.heading(lang).to_string())
                .unwrap_or_else(|| key.clone()),
            changes,
        });
    }
    EntryV {
        current: false,
        anchor: anchor(e),
        title: e.title.get(lang).to_string(),
        date: i18n::format_date(e.date, lang),
        summary: e.summary.get(lang).to_string(),
        riskier: e.riskier,
        effective: e.effective.map(|d| i18n::format_date(d, lang)),
        groups,
    }
}

/// The template context of `changes.html` in `lang`; `base` leads from the
/// page to the site root, `prefix` from the root to the language root.
pub fn page_context(p: &Published, lang: Lang, base: &str, prefix: &str) -> Context {
    let mut entries: Vec<EntryV> = p.history.iter().map(|e| entry_v(e, lang)).collect();
    if let Some(e) = entries.first_mut() {
        e.current = true;
    }
    let v = ChangesV {
        feed_href: format!("{base}{prefix}{FEED}"),
        // The current entry compares with nothing: the first publication.
        first: p.history.first().is_none_or(|e| e.compared_with.is_none()),
        entries,
    };
    let mut ctx = Context::new();
    ctx.insert("changes", &v);
    ctx
}

/// Absolute URL of `path` under the site's `base_url`, or `path` itself
/// (relative to the feed, which sits beside the page) when none is set.
fn url(base_url: Option<&str>, path: &str) -> String {
    match base_url {
        Some(b) if b.ends_with('/') => format!("{b}{path}"),
        Some(b) => format!("{b}/{path}"),
        None => path.to_string(),
    }
}

/// The Atom feed of the history, in `lang`; `prefix` is the language root
/// (`""` or `"en/"`) where the feed and its page are published.
pub fn feed(current: &Publication, history: &[HistoryEntry], lang: Lang, prefix: &str) -> String {
    let base = current
        .provider
        .base_url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let page = url(base, &format!("{prefix}{PAGE}"));
    let page_rel = if base.is_some() {
        page.clone()
    } else {
        PAGE.to_string()
    };
    let self_href = if base.is_some() {
        url(base, &format!("{prefix}{FEED}"))
    } else {
        FEED.to_string()
    };
    let updated = history
        .iter()
        .map(|e| e.date)
        .max()
        .unwrap_or(current.date());
    let name = &current.provider.name;
    let code = lang.code();
    let mut x = Writer::new("utf-8");
    x.open(
        "feed",
        &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", code)],
    );
    // Each language's feed is its own feed with its own entries (a reader
    // subscribed to both must not merge the French and English entries):
    // the language ends every id.
    x.text(
        &["id"],
        &[],
        &format!("{}/{code}", feed_id(current, history)),
    );
    let title = format!("{} — {name}", tr(lang, "feed_title"));
    x.text(&["title"], &[], &title);
    x.text(&["subtitle"], &[], tr(lang, "feed_subtitle"));
    x.text(&["updated"], &[], &atom_date(updated));
    x.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &self_href),
        ],
    );
    x.empty(
        "link",
        &[
            ("rel", "alternate"),
            ("type", "text/html"),
            ("href", &page_rel),
        ],
    );
    x.open("author", &[]);
    x.text(&["name"], &[], name);
    if let Some(b) = base {
        x.text(&["uri"], &[], b);
    }
    x.close();
    x.text(
        &["generator"],
        &[("version", env!("CARGO_PKG_VERSION"))],
        "sovmap",
    );
    for e in history {
        let href = format!("{page_rel}#{}", anchor(e));
        x.open("entry", &[]);
        x.text(&["id"], &[], &format!("{}/{code}", e.id));
        x.text(&["title"], &[], e.title.get(lang));
        x.text(&["published"], &[], &atom_date(e.date));
        x.text(&["updated"], &[], &atom_date(e.date));
        x.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &href)],
        );
        if e.riskier {
            // Lets a feed reader filter the publications that raised the risk.
            x.empty(
                "category",
                &[("term", "riskier"), ("label", tr(lang, "riskier"))],
            );
        }
        x.text(&["summary"], &[], e.summary.get(lang));
        x.text(&["content"], &[("type", "html")], &entry_html(e, lang));
        x.close();
    }
    x.finish()
}

/// The entry's changes as a small HTML fragment (escaped again as the
/// content of the Atom element): feed readers show it as is.
fn entry_html(e: &HistoryEntry, lang: Lang) -> String {
    let v = entry_v(e, lang);
    let mut h = format!("<p>{}</p>", escape(&v.summary));
    for g in &v.groups {
        h.push_str(&format!("<h3>{}</h3><ul>", escape(&g.heading)));
        for c in &g.changes {
            h.push_str(&format!("<li>{}", escape(&c.text)));
            if let Some(d) = &c.effective {
                h.push_str(&format!(
                    " <em>({} {})</em>",
                    escape(tr(lang, "effective_on")),
                    escape(d)
                ));
            }
            if !c.details.is_empty() {
                h.push_str("<ul>");
                for d in &c.details {
                    h.push_str(&format!("<li>{}</li>", escape(d)));
                }
                h.push_str("</ul>");
            }
            for r in &c.risks {
                h.push_str(&format!(
                    "<br><strong>{}</strong>{}{}",
                    escape(tr(lang, "riskier")),
                    escape(tr(lang, "colon")),
                    escape(r)
                ));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    h
}
