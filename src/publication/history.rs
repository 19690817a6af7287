//! The publication history: one entry per publication, carried from one
//! `transfers.json` to the next, from which `sovmap build` renders
//! `changes.html` and the Atom feed `feed.xml`.
//!
//! Why inside `transfers.json` rather than re-reading the previous site's
//! `feed.xml`: `--previous` then names one file, the one a provider already
//! keeps (it is the published, versioned export), and the history is typed
//! data read with the same reader as everything else ([`crate::publication`]).
//! A previous file without history (written by hand, or outside `build`)
//! still works: it becomes one entry of its own, without a change list.
//!
//! Entry ids are `tag:` URIs (RFC 4151) built from the site's domain
//! (`base_url`, else `<host id>.sovmap.invalid`), the publication date and
//! the version: the same publication always gets the same id, so feed
//! readers never show an entry twice. No wall-clock time is used: an entry
//! is dated by its publication date.

use jiff::civil::Date;

use crate::Checked;
use crate::i18n;
use crate::publication::changes::{ChangeList, Item, Tr, compare, summary_line};
use crate::publication::{HistoryChange, HistoryEntry, Publication};

/// The `tag:` authority: the host name of `base_url`, else a name under the
/// reserved `.invalid` domain made of the provider's host id.
pub fn authority(base_url: Option<&str>, host: &str) -> String {
    let from_url = base_url.and_then(|u| {
        let rest = u.split_once("://").map(|x| x.1).unwrap_or(u);
        let name = rest.split(['/', '?', '#']).next().unwrap_or("");
        let name = name.rsplit('@').next().unwrap_or(name);
        let name = name.split(':').next().unwrap_or(name).to_ascii_lowercase();
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        ok.then_some(name)
    });
    from_url.unwrap_or_else(|| format!("{}.sovmap.invalid", slug(host)))
}

/// [`crate::i18n::slug`], never empty (for ids built from user text).
fn slug(s: &str) -> String {
    let out = crate::i18n::slug(s);
    if out.is_empty() {
        "provider".into()
    } else {
        out
    }
}

/// Characters allowed in the specific part of a tag URI (RFC 3986
/// unreserved), others %-encoded.
fn tag_specific(s: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, RESERVED).to_string()
}

/// Stable id of a publication's feed entry.
pub fn entry_id(p: &Publication) -> String {
    entry_id_for(
        p.provider.base_url.as_deref(),
        &p.provider.host,
        p.provider.version.as_deref(),
        p.date(),
    )
}

/// [`entry_id`] from the facts of `sovmap.toml` (base URL, host id, version,
/// publication date).
pub fn entry_id_for(
    base_url: Option<&str>,
    host: &str,
    version: Option<&str>,
    date: Date,
) -> String {
    let which = version.map_or_else(|| date.to_string(), str::to_string);
    format!(
        "tag:{},{date}:{}/publication/{}",
        authority(base_url, host),
        tag_specific(host),
        tag_specific(&which)
    )
}

/// Stable id of the feed itself: dated by the oldest publication in the history.
pub fn feed_id(p: &Publication, history: &[HistoryEntry]) -> String {
    let first = history.iter().map(|e| e.date).min().unwrap_or(p.date());
    format!(
        "tag:{},{first}:{}/transfer-map",
        authority(p.provider.base_url.as_deref(), &p.provider.host),
        tag_specific(&p.provider.host)
    )
}

fn title(p: &Publication) -> Tr {
    Tr::of(|l| {
        let d = i18n::format_date(p.date(), l);
        let of = if l.is_fr() { "du" } else { "of" };
        match &p.provider.version {
            Some(v) => format!("{} — publication {v} {of} {d}", p.provider.name),
            None => format!("{} — publication {of} {d}", p.provider.name),
        }
    })
}

/// The history entry of `current`, compared with the previous publication
/// when there is one.
pub fn entry(current: &Publication, list: Option<&ChangeList>) -> HistoryEntry {
    let Some(list) = list else {
        return unchanged_entry(
            current,
            Tr::of(|l| {
                if l.is_fr() {
                    "Première publication de la cartographie des transferts : il n'y a pas de publication antérieure à comparer.".into()
                } else {
                    "First publication of the transfer map: there is no earlier publication to compare with.".into()
                }
            }),
        );
    };
    let effective = list.changes.iter().filter_map(|c| c.effective).max();
    let summary = Tr::of(|l| {
        let mut s = format!(
            "{} {}{}{}",
            if l.is_fr() { "Depuis" } else { "Since" },
            list.old.label(l),
            i18n::tr(l, "colon"),
            summary_line(&list.counts, l)
        );
        if let Some(d) = effective {
            s.push_str(&if l.is_fr() {
                format!(
                    ". Les changements soumis au préavis ({} jours) prennent effet le {}",
                    list.new.notice_days,
                    i18n::format_date(d, l)
                )
            } else {
                format!(
                    ". Changes under notice ({} days) take effect on {}",
                    list.new.notice_days,
                    i18n::format_date(d, l)
                )
            });
        }
        s.push('.');
        s
    });
    HistoryEntry {
        id: entry_id(current),
        version: current.provider.version.clone(),
        date: current.date(),
        compared_with: Some(
            list.old
                .version
                .clone()
                .unwrap_or_else(|| list.old.date.to_string()),
        ),
        effective,
        riskier: list.riskier(),
        title: title(current),
        summary,
        changes: list
            .changes
            .iter()
            .map(|c| HistoryChange {
                item: key(c.item),
                change: key(c.change),
                id: c.id.clone(),
                text: c.text.clone(),
                details: c.details.iter().map(|d| d.text.clone()).collect(),
                risks: c.risks.iter().map(|r| r.text.clone()).collect(),
                effective: c.effective,
            })
            .collect(),
    }
}

fn key<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The kind of item of a recorded change, when this sovmap knows it.
pub fn item_of(change: &HistoryChange) -> Option<Item> {
    serde_json::from_value(serde_json::Value::String(change.item.clone())).ok()
}

/// The entry standing for a previous publication whose file carries no
/// history (written by hand, or outside `sovmap build`).
fn entry_without_history(p: &Publication) -> HistoryEntry {
    unchanged_entry(
        p,
        Tr::of(|l| {
            if l.is_fr() {
                "Publication antérieure (son fichier ne contient pas la liste de ses changements)."
                    .into()
            } else {
                "Earlier publication (its file does not record its changes).".into()
            }
        }),
    )
}

/// An entry of `p` compared with nothing (a first publication, or one whose
/// file carries no history): no change listed, so nothing riskier.
fn unchanged_entry(p: &Publication, summary: Tr) -> HistoryEntry {
    HistoryEntry {
        id: entry_id(p),
        version: p.provider.version.clone(),
        date: p.date(),
        compared_with: None,
        effective: None,
        riskier: false,
        title: title(p),
        summary,
        changes: Vec::new(),
    }
}

/// The history after publishing `entry`: it first, then the previous
/// publication's history (or an entry standing for the previous
/// publication), without an entry of the same id, newest first.
pub fn accumulate(previous: Option<&Publication>, entry: HistoryEntry) -> Vec<HistoryEntry> {
    let mut out = vec![entry];
    if let Some(p) = previous {
        let earlier = if p.history.is_empty() {
            vec![entry_without_history(p)]
        } else {
            p.history.clone()
        };
        for e in earlier {
            if !out.iter().any(|x| x.id == e.id) {
                out.push(e);
            }
        }
    }
    // Newest first; the current entry stays first even if a previous file
    // was dated later (a correction republished with an older date).
    let (head, tail) = out.split_at_mut(1);
    tail.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let mut v = head.to_vec();
    v.extend_from_slice(tail);
    v
}

/// What `sovmap build` publishes about change over time: the current
/// publication (as the reader sees it), the change list since `previous`
/// and the accumulated history.
pub struct Published {
    pub current: Publication,
    pub changes: Option<ChangeList>,
    pub history: Vec<HistoryEntry>,
}

/// Compute [`Published`] for a checked project. Errors are defects (our own
/// export not readable by our own reader), reported as such.
pub fn for_build(checked: &Checked, previous: Option<&Publication>) -> Result<Published, String> {
    let current = crate::publication::write::as_published(checked)
        .map_err(|e| format!("internal error: the export does not read back: {e}"))?;
    let changes = previous.map(|p| compare(p, &current));
    // Rebuilding a publication that was already built (`previous` pointing
    // at the last build of the same version) without any change keeps its
    // entry as it was: the change list against the publication before it.
    let id = entry_id(&current);
    if let (Some(p), Some(list)) = (previous, &changes)
        && list.is_empty()
        && p.history.first().is_some_and(|e| e.id == id)
    {
        return Ok(Published {
            current,
            changes: None,
            history: p.history.clone(),
        });
    }
    let e = entry(&current, changes.as_ref());
    let history = accumulate(previous, e);
    Ok(Published {
        current,
        changes,
        history,
    })
}

/// `2026-11-15T00:00:00Z`: Atom dates of a publication (a date, no clock).
pub fn atom_date(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publication;
    use std::path::Path;

    #[test]
    fn authority_comes_from_the_base_url_or_the_host_id() {
        assert_eq!(
            authority(Some("https://Transparence.Example.org:8443/map/"), "h"),
            "transparence.example.org"
        );
        // Host ids are ASCII (`load` checks them); text with accents is
        // folded by the crate's one slug.
        assert_eq!(authority(None, "hexa_sante"), "hexa-sante.sovmap.invalid");
        assert_eq!(authority(None, "Hexa Santé"), "hexa-sante.sovmap.invalid");
        assert_eq!(authority(Some("https://"), "x"), "x.sovmap.invalid");
    }

    fn example() -> Publication {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (c, _) = crate::check_project(root, None).unwrap_or_else(|_| panic!("checks"));
        let text = crate::publication::write::transfers_json(&c);
        publication::parse(Path::new("transfers.json"), &text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `for_build` reads the export back without printing and parsing the
    /// text: it must give what a reader of the published file gets.
    #[test]
    fn the_build_reads_its_export_as_a_reader_of_the_file_would() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (c, _) = crate::check_project(root, None).unwrap_or_else(|_| panic!("checks"));
        let direct = crate::publication::write::as_published(&c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(direct, example());
        assert!(!direct.transfers.is_empty() && !direct.findings.is_empty());
    }

    #[test]
    fn history_accumulates_newest_first_without_duplicates() {
        let v1 = example();
        let h1 = accumulate(None, entry(&v1, None));
        assert_eq!(h1.len(), 1);
        assert!(h1[0].changes.is_empty() && h1[0].compared_with.is_none());
        assert!(h1[0].summary.en.starts_with("First publication"));
        let mut v1 = v1;
        v1.history = h1.clone();

        let mut v2 = v1.clone();
        v2.history.clear();
        v2.provider.version = Some("2026.5".into());
        v2.provider.publication_date = jiff::civil::Date::new(2026, 12, 1).ok();
        // The Strasbourg data centre moves to Singapore: a new non-EEA country.
        let i = v2.sites.iter().position(|s| s.id == "sxb1").unwrap_or(0);
        v2.sites[i].country = "SG".into();
        let list = compare(&v1, &v2);
        let h2 = accumulate(Some(&v1), entry(&v2, Some(&list)));
        assert_eq!(h2.len(), 2);
        assert_eq!(h2[1], h1[0], "earlier entries are kept as they were");
        assert_ne!(h2[0].id, h2[1].id);
        assert!(h2[0].riskier);
        assert_eq!(h2[0].compared_with.as_deref(), Some("2026.4"));
        assert!(
            h2[0]
                .summary
                .en
                .starts_with("Since 2026.4 (15 November 2026): ")
        );
        assert_eq!(h2[0].effective, jiff::civil::Date::new(2026, 12, 31).ok());

        // Republishing the same version replaces its entry rather than adding one.
        v2.history = h2.clone();
        let again = accumulate(Some(&v2), entry(&v2, Some(&compare(&v2, &v2))));
        assert_eq!(again.len(), 2);
        assert_eq!(again[0].id, h2[0].id);
        assert!(again[0].changes.is_empty());

        // A previous file without history stands for one entry.
        let mut bare = v1.clone();
        bare.history.clear();
        let h = accumulate(Some(&bare), entry(&v2, Some(&list)));
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].id, h1[0].id);
        assert!(h[1].summary.en.starts_with("Earlier publication"));
        assert_eq!(feed_id(&v2, &h), feed_id(&v1, &h1));
    }

    #[test]
    fn tag_specific_part_is_encoded() {
        assert_eq!(tag_specific("2026.4"), "2026.4");
        assert_eq!(tag_specific("v 1/é"), "v%201%2F%C3%A9");
    }
}
