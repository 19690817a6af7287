//! The site's plain machine-readable files: `transfers.csv`, `sitemap.xml`
//! and `robots.txt` (`transfers.json` and its schema are the publication
//! format, written by [`crate::publication::write`]).

use std::collections::BTreeSet;

use super::xml::escape;
use crate::Checked;
use crate::analysis::{AdequacyStatus, BasisStatus, Transfer, TransferKind};

// ---------------------------------------------------------------------------
// transfers.csv

/// One CSV cell: formula triggers neutralised with a leading apostrophe,
/// then quoted per RFC 4180 when needed.
fn csv_cell(s: &str) -> String {
    // Control and bidirectional characters replaced (U+FFFD): a spreadsheet
    // or terminal showing the file must not act on them.
    let s = crate::visible::replace_controls(s);
    let s = s.as_ref();
    let mut v = String::with_capacity(s.len() + 3);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.push('\'');
    }
    v.push_str(s);
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

fn csv_row(out: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

const CSV_HEADER: [&str; 19] = [
    "id",
    "kind",
    "source",
    "country",
    "country_name",
    "recipient",
    "recipient_legal_name",
    "services",
    "data",
    "health",
    "storage",
    "adequacy_status",
    "adequacy_decision",
    "basis",
    "basis_status",
    "basis_reference",
    "purpose",
    "safeguards",
    "measures",
];

fn kind_key(k: TransferKind) -> &'static str {
    match k {
        TransferKind::Flow => "flow",
        TransferKind::RemoteAccess => "remote-access",
    }
}

fn basis_status_key(s: BasisStatus) -> &'static str {
    match s {
        BasisStatus::Adequacy => "adequacy",
        BasisStatus::Safeguard => "safeguard",
        BasisStatus::Derogation => "derogation",
        BasisStatus::Missing => "missing",
    }
}

fn csv_transfer(c: &Checked, t: &Transfer) -> Vec<String> {
    let r = &c.reference;
    let adequacy_status = match &t.adequacy {
        AdequacyStatus::None => "none",
        AdequacyStatus::Full { .. } => "full",
        AdequacyStatus::Partial { in_scope: true, .. } => "partial-in-scope",
        AdequacyStatus::Partial {
            in_scope: false, ..
        } => "partial-out-of-scope",
    };
    let decision = t
        .adequacy
        .decision()
        .map(|d| {
            r.decision(d)
                .map(|x| format!("{} ({d})", x.decision))
                .unwrap_or_else(|| d.to_string())
        })
        .unwrap_or_default();
    let data: Vec<&str> = t.data.iter().map(|d| d.as_str()).collect();
    vec![
        t.id.clone(),
        kind_key(t.kind).into(),
        t.source.clone(),
        t.country.clone(),
        r.country_name(&t.country, "en"),
        t.recipient.clone(),
        c.project
            .entities
            .get(&t.recipient)
            .map(|e| e.legal_name.clone())
            .unwrap_or_default(),
        t.services.join(";"),
        data.join(";"),
        t.health.to_string(),
        t.storage.to_string(),
        adequacy_status.into(),
        decision,
        t.basis.as_ref().map(|b| b.as_key()).unwrap_or_default(),
        basis_status_key(t.basis_status).into(),
        t.basis_reference.clone().unwrap_or_default(),
        t.purpose.clone().unwrap_or_default(),
        t.safeguards.join(";"),
        t.measures.join(";"),
    ]
}

/// `transfers.csv`: a header row, then one row per transfer (sorted by id).
/// RFC 4180 (comma, CRLF, double quotes), UTF-8 without BOM; cells starting
/// with `=`, `+`, `-`, `@`, tab or CR get a leading apostrophe so that a
/// spreadsheet does not run them as formulas. Lists are `;`-separated.
pub fn transfers_csv(checked: &Checked) -> String {
    let mut out = String::new();
    let header: Vec<String> = CSV_HEADER.iter().map(|h| h.to_string()).collect();
    csv_row(&mut out, &header);
    for t in &checked.analysis.transfers {
        csv_row(&mut out, &csv_transfer(checked, t));
    }
    out
}

// ---------------------------------------------------------------------------
// sitemap.xml and robots.txt

/// Percent-encodes a site-relative path (keeps `/` and RFC 3986 unreserved
/// characters).
fn encode_path(p: &str) -> String {
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(p, PATH).to_string()
}

fn join_url(base: &str, path: &str) -> String {
    format!("{}/{path}", base.trim().trim_end_matches('/'))
}

/// `sitemap.xml` for site-relative paths ("index.html", "en/index.html"):
/// absolute URLs when `base_url` is given (the sitemap protocol requires
/// them; without it the locations stay relative), sorted, deduplicated,
/// percent-encoded and XML-escaped. No `<lastmod>`, for reproducibility.
pub fn sitemap(base_url: Option<&str>, paths: &[String]) -> String {
    let locs: BTreeSet<String> = paths
        .iter()
        .map(|p| p.trim().trim_start_matches('/'))
        .filter(|p| !p.is_empty())
        .map(|p| {
            let path = encode_path(p);
            match base_url.filter(|b| !b.trim().is_empty()) {
                Some(b) => join_url(b, &path),
                None => path,
            }
        })
        .collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for l in locs {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&l));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be crawled (the EXI 31 page must be public);
/// names the sitemap when the base URL is known (it must be absolute).
pub fn robots(base_url: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = base_url.filter(|b| !b.trim().is_empty()) {
        // A line break in the configured URL must not add a directive.
        let url: String = join_url(b, "sitemap.xml")
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        out.push_str("\nSitemap: ");
        out.push_str(&url);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::example;

    /// A minimal RFC 4180 reader, to check that quoting round-trips.
    fn read_csv(s: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        assert!(cell.is_empty() && row.is_empty(), "unterminated last row");
        rows
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_neutralises_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_cell("+33 1 23"), "'+33 1 23");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("a=b"), "a=b");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn example_csv_has_a_header_and_one_row_per_transfer() {
        let mut c = example();
        let csv = transfers_csv(&c);
        assert!(csv.ends_with("\r\n"));
        let rows = read_csv(&csv);
        assert_eq!(rows.len(), 1 + c.analysis.transfers.len());
        assert_eq!(
            rows[0],
            CSV_HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()
        );
        assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
        let casa = rows
            .iter()
            .find(|r| r[0] == "access:support-n2-casablanca")
            .cloned()
            .unwrap_or_default();
        assert_eq!(casa[1], "remote-access");
        assert_eq!(casa[3], "MA");
        assert_eq!(casa[4], "Morocco");
        assert_eq!(casa[6], "Atlas Infogérance SARL");
        assert_eq!(casa[7], "dossier-patient;postgresql");
        assert_eq!(casa[9], "true");
        assert_eq!(casa[11], "none");
        assert_eq!(casa[13], "scc-3");
        assert_eq!(casa[14], "safeguard");
        assert_eq!(casa[18], "bastion-acces-distants;demande-client");
        let mtl = rows
            .iter()
            .find(|r| r[0] == "access:incidents-montreal")
            .cloned()
            .unwrap_or_default();
        assert_eq!(mtl[11], "partial-in-scope");
        assert_eq!(mtl[12], "Commission Decision 2002/2/EC (CA)");
        // Hostile declarations survive quoting and cannot become formulas.
        if let Some(e) = c.project.entities.get_mut("atlas-infogerance") {
            e.legal_name = "=HYPERLINK(\"http://evil\",\"x\"), \"Atlas\"\r\nSARL".into();
        }
        let csv = transfers_csv(&c);
        let rows = read_csv(&csv);
        assert_eq!(rows.len(), 1 + c.analysis.transfers.len());
        let casa = rows
            .iter()
            .find(|r| r[0] == "access:support-n2-casablanca")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            casa[6],
            "'=HYPERLINK(\"http://evil\",\"x\"), \"Atlas\"\r\nSARL"
        );
    }

    #[test]
    fn sitemap_is_sorted_absolute_escaped_and_without_dates() {
        let paths: Vec<String> = [
            "index.html",
            "en/index.html",
            "/actors/a b.html",
            "index.html",
            "q&a.html",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = sitemap(Some("https://x.example/t?a=1&b=2/"), &paths);
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <url><loc>https://x.example/t?a=1&amp;b=2/actors/a%20b.html</loc></url>\n\
             \x20 <url><loc>https://x.example/t?a=1&amp;b=2/en/index.html</loc></url>\n\
             \x20 <url><loc>https://x.example/t?a=1&amp;b=2/index.html</loc></url>\n\
             \x20 <url><loc>https://x.example/t?a=1&amp;b=2/q%26a.html</loc></url>\n\
             </urlset>\n"
        );
        assert!(!s.contains("lastmod"));
        let c = example();
        let base = c.project.config.base_url.as_deref();
        let s = sitemap(
            base,
            &["index.html".to_string(), "en/index.html".to_string()],
        );
        assert!(s.contains("<loc>https://transparence.hexasante.example/en/index.html</loc>"));
        assert!(s.contains("<loc>https://transparence.hexasante.example/index.html</loc>"));
        let rel = sitemap(None, &["index.html".to_string()]);
        assert!(rel.contains("<loc>index.html</loc>"));
    }

    #[test]
    fn robots_allows_everything_and_names_the_sitemap() {
        assert_eq!(robots(None), "User-agent: *\nAllow: /\n");
        assert_eq!(
            robots(Some("https://transparence.hexasante.example/")),
            "User-agent: *\nAllow: /\n\nSitemap: https://transparence.hexasante.example/sitemap.xml\n"
        );
        assert!(!robots(Some("https://x.example/\nDisallow: /")).contains("\nDisallow"));
    }

    #[test]
    #[ignore = "writes /tmp/transfers.csv for a look"]
    fn write_example_csv() {
        let _ = std::fs::write("/tmp/transfers.csv", transfers_csv(&example()));
    }
}
