//! No page grows with the whole inventory: a table too long for the page
//! that lists it keeps its first rows there, with a pager to numbered pages
//! beside it that hold every row (`index.transfers-1.html`,
//! `actors/<id>.flows-2.html`, …), none of them over about a third of a
//! megabyte of rows. Deterministic: the split depends only on the rows.

use serde::Serialize;
use tera::{Context, Value};

use super::{Builder, Ctx, Link, Output, RenderError};

/// Rows a page prints of a table that goes on numbered pages.
const INLINE_ROWS: usize = 25;
/// A table of at most this many rows (and bytes) is printed whole.
const WHOLE_ROWS: usize = 200;
const WHOLE_BYTES: usize = 120_000;
/// Rows and bytes of rows on one numbered page.
const PAGE_ROWS: usize = 1_000;
const PAGE_BYTES: usize = 300_000;

/// The size of a row in the page, estimated: a rendered row is its HTML;
/// a row of values, its JSON (the table's markup is about as long as the
/// JSON's keys).
fn weight(v: &Value) -> usize {
    match v.as_str() {
        Some(s) => s.len(),
        None => serde_json::to_string(v).map(|s| s.len()).unwrap_or(0),
    }
}

/// The rows of a table in chunks for numbered pages: `None` when the table
/// is short enough to be printed whole.
pub(super) fn chunks(rows: &[Value]) -> Option<Vec<&[Value]>> {
    let weights: Vec<usize> = rows.iter().map(weight).collect();
    if rows.len() <= WHOLE_ROWS && weights.iter().sum::<usize>() <= WHOLE_BYTES {
        return None;
    }
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        if i > start && (i - start >= PAGE_ROWS || bytes + w > PAGE_BYTES) {
            out.push(&rows[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += w;
    }
    out.push(&rows[start..]);
    Some(out)
}

/// The links to the numbered pages of a table, shown under its first rows
/// and on each of its pages.
#[derive(Serialize, Clone)]
pub(super) struct PagerV {
    /// Names the navigation landmark ("Pages: <table>").
    label: String,
    /// "25 of 2,345 rows shown here; all of them on 3 pages:".
    note: String,
    pages: Vec<PageLinkV>,
}

#[derive(Serialize, Clone)]
struct PageLinkV {
    href: String,
    text: String,
    current: bool,
}

/// One table of a page, split when long.
pub(super) struct Table<'v> {
    /// The page's path in its language folder (`index.html`, `actors/x.html`).
    pub owner: &'v str,
    /// Short name of the table in file names (`transfers`, `flows`, …).
    pub key: &'static str,
    /// The template variable the table's partial reads (`transfers`, `rows`, …).
    pub var: &'static str,
    /// The table's caption, for the numbered pages' titles and the pager.
    pub caption: String,
    pub rows: Vec<Value>,
}

/// Path of the `n`-th page (from 1) of a table of `owner`, in the same
/// folder (so that its links are those of the owner's rows). A `.` cannot
/// appear in an id, so these names never meet a page of an entity.
fn page_path(owner: &str, key: &str, n: usize) -> String {
    let stem = owner.strip_suffix(".html").unwrap_or(owner);
    format!("{stem}.{key}-{n}.html")
}

/// How a long table goes on numbered pages (see [`plan`]).
pub(super) struct Plan {
    /// Rows the owner page prints (the first ones).
    pub shown: usize,
    /// The pager under them.
    pub pager: PagerV,
    pub pages: Vec<PagePlan>,
}

/// One numbered page of a table.
pub(super) struct PagePlan {
    /// Path in the language folder (`actors/x.flows-2.html`).
    pub local: String,
    /// "<caption> — page 2/3".
    pub title: String,
    /// "Rows 1001 to 2000 of 2345".
    pub range: String,
    pub pager: PagerV,
    pub rows: std::ops::Range<usize>,
}

/// Pages a pager links, in order, `None` for a gap ("…"): all of them up to
/// [`WINDOW_ALL`] pages; beyond, the first and last three, the three on each
/// side of the current one and about ten evenly spaced, so that a pager stays
/// short at any size (every page carries one: listing all `n` would make the
/// pages together grow with `n²`) and every page is a few clicks away.
fn window(n: usize, current: Option<usize>) -> Vec<Option<usize>> {
    if n <= WINDOW_ALL {
        return (1..=n).map(Some).collect();
    }
    let step = n.div_ceil(10);
    let near = |i: usize| current.is_some_and(|c| i.abs_diff(c) <= 3);
    let mut out = Vec::new();
    for i in 1..=n {
        if i <= 3 || i + 3 > n || near(i) || i % step == 0 {
            out.push(Some(i));
        } else if out.last().is_some_and(Option::is_some) {
            out.push(None);
        }
    }
    out
}

/// A pager lists every page up to this many.
const WINDOW_ALL: usize = 15;

/// The numbered pages of the table `key` of the page `owner` (its path in
/// the language folder), `None` when the table is printed whole.
pub(super) fn plan(x: &Ctx, owner: &str, key: &str, caption: &str, rows: &[Value]) -> Option<Plan> {
    let parts = chunks(rows)?;
    let total = rows.len();
    let n = parts.len();
    let pager = |current: Option<usize>, note: String| PagerV {
        label: format!("{}{}{caption}", x.t("pages"), x.t("colon")),
        note,
        pages: window(n, current)
            .into_iter()
            .map(|i| match i {
                Some(i) => PageLinkV {
                    // Pages of one table sit in the owner's folder.
                    href: page_path(file_name(owner), key, i),
                    text: format!("{} {i}", x.t("page")),
                    current: current == Some(i),
                },
                None => PageLinkV {
                    href: String::new(),
                    text: "…".into(),
                    current: false,
                },
            })
            .collect(),
    };
    let mut shown = 0;
    let mut bytes = 0;
    for r in rows {
        let w = weight(r);
        if shown >= INLINE_ROWS || (shown > 0 && bytes + w > PAGE_BYTES / 4) {
            break;
        }
        shown += 1;
        bytes += w;
    }
    let note = x
        .t("pager_note")
        .replace("{shown}", &shown.to_string())
        .replace("{total}", &total.to_string())
        .replace("{pages}", &n.to_string());
    let mut pages = Vec::with_capacity(n);
    let mut first = 0;
    for (i, part) in parts.iter().enumerate() {
        let last = first + part.len();
        let range = x
            .t("pager_range")
            .replace("{first}", &(first + 1).to_string())
            .replace("{last}", &last.to_string())
            .replace("{total}", &total.to_string());
        pages.push(PagePlan {
            local: page_path(owner, key, i + 1),
            title: format!("{caption} — {} {}/{n}", x.t("page"), i + 1),
            pager: pager(Some(i + 1), range.clone()),
            range,
            rows: first..last,
        });
        first = last;
    }
    Some(Plan {
        shown,
        pager: pager(None, note),
        pages,
    })
}

impl Builder<'_> {
    /// What the owner page prints of a table (all rows, or its first ones
    /// and a pager) and the numbered pages, rendered, when it is split.
    pub(super) fn split_table(
        &self,
        x: &Ctx,
        table: Table,
    ) -> Result<(Value, Option<PagerV>, Vec<Output>), RenderError> {
        let Some(plan) = plan(x, table.owner, table.key, &table.caption, &table.rows) else {
            return Ok((Value::from(table.rows), None, Vec::new()));
        };
        let mut outputs = Vec::with_capacity(plan.pages.len());
        for page in plan.pages {
            let px = self.ctx(x.lang, &x.prefix, &page.local);
            #[derive(Serialize)]
            struct ListV {
                title: String,
                back: Link,
                range: String,
                pager: PagerV,
                key: &'static str,
            }
            let mut ctx = Context::new();
            ctx.insert(
                "list",
                &ListV {
                    title: page.title.clone(),
                    back: Link {
                        href: file_name(table.owner).to_string(),
                        text: x.t("pager_back").to_string(),
                    },
                    range: page.range,
                    pager: page.pager,
                    key: table.key,
                },
            );
            ctx.insert_value(table.var, Value::from(table.rows[page.rows].to_vec()));
            ctx.insert("caption", &table.caption);
            ctx.insert("flows_caption", &table.caption);
            outputs.push(self.page(&px, &page.local, "list.html", page.title, ctx)?);
        }
        Ok((
            Value::from(table.rows[..plan.shown].to_vec()),
            Some(plan.pager),
            outputs,
        ))
    }
}

/// The pagers of a page's tables (by table key, `None` when printed whole;
/// templates read `pagers.<key>`) and the numbered pages made for them.
#[derive(Default)]
pub(super) struct Splits {
    pub pagers: std::collections::BTreeMap<&'static str, Option<PagerV>>,
    pub pages: Vec<Output>,
}

impl Builder<'_> {
    /// Split one table of the page `owner` (see [`Builder::split_table`]):
    /// what the page prints goes into `ctx` as `var`, the pager into
    /// `splits` under `key` (`-` read as `_`), the numbered pages too;
    /// `list_var` is the variable the table's partial reads there.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn split_into(
        &self,
        x: &Ctx,
        owner: &str,
        ctx: &mut Context,
        splits: &mut Splits,
        (key, var, list_var): (&'static str, &'static str, &'static str),
        caption: String,
        rows: Vec<Value>,
    ) -> Result<(), RenderError> {
        let (shown, pager, pages) = self.split_table(
            x,
            Table {
                owner,
                key,
                var: list_var,
                caption,
                rows,
            },
        )?;
        ctx.insert_value(var, shown);
        let name = match key {
            "other-sites" => "other_sites",
            k => k,
        };
        splits.pagers.insert(name, pager);
        splits.pages.extend(pages);
        Ok(())
    }
}

/// The page a numbered page belongs to (`actors/x.flows-2.html` →
/// `actors/x.html`); `None` for any other page (ids hold no `.`).
pub(super) fn owner_of(local: &str) -> Option<String> {
    let (dir, file) = match local.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), local),
    };
    let stem = file.strip_suffix(".html")?;
    let (owner, _) = stem.split_once('.')?;
    Some(format!("{dir}{owner}.html"))
}

/// The last component of a path (`actors/x.html` → `x.html`).
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_stay_short_and_reach_every_page() {
        assert_eq!(window(3, None), [Some(1), Some(2), Some(3)]);
        assert_eq!(window(WINDOW_ALL, Some(2)).len(), WINDOW_ALL);
        for n in [WINDOW_ALL + 1, 100, 1_000, 100_000] {
            for current in [None, Some(1), Some(n / 2), Some(n)] {
                let w = window(n, current);
                let links: Vec<usize> = w.iter().flatten().copied().collect();
                assert!(w.len() <= 40, "n = {n}: {} items", w.len());
                // In order, without repeats, gaps never doubled.
                assert!(links.windows(2).all(|p| p[0] < p[1]));
                assert!(!w.windows(2).any(|p| p[0].is_none() && p[1].is_none()));
                assert!(links.contains(&1) && links.contains(&n));
                if let Some(c) = current {
                    // The neighbours: every page is reached page by page.
                    assert!(links.contains(&c));
                    assert!(c == 1 || links.contains(&(c - 1)));
                    assert!(c == n || links.contains(&(c + 1)));
                }
            }
        }
    }

    #[test]
    fn short_tables_are_whole_and_long_ones_split_under_the_budget() {
        let row = |n: usize| Value::safe_string(&"x".repeat(n));
        let short: Vec<Value> = (0..WHOLE_ROWS).map(|_| row(100)).collect();
        assert!(chunks(&short).is_none());
        let long: Vec<Value> = (0..5_000).map(|_| row(400)).collect();
        let parts = chunks(&long).unwrap_or_default();
        assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), 5_000);
        for p in &parts {
            let bytes: usize = p.iter().map(weight).sum();
            assert!(bytes <= PAGE_BYTES && p.len() <= PAGE_ROWS, "{bytes}");
        }
        // A single row larger than a page still gets a page of its own.
        let huge = vec![row(PAGE_BYTES * 2), row(10)];
        assert_eq!(chunks(&huge).map(|p| p.len()), Some(2));
        assert_eq!(
            page_path("actors/acme.html", "flows", 2),
            "actors/acme.flows-2.html"
        );
        assert_eq!(page_path("index.html", "sites", 1), "index.sites-1.html");
        assert_eq!(
            owner_of("actors/acme.flows-2.html").as_deref(),
            Some("actors/acme.html")
        );
        assert_eq!(
            owner_of("index.sites-1.html").as_deref(),
            Some("index.html")
        );
        assert_eq!(owner_of("actors/acme.html"), None);
    }
}
