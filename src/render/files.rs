//! The site's plain machine-readable files: `sitemap.xml` and `robots.txt`
//! (`transfers.json` and its schema are the publication format, written by
//! [`crate::publication::write`]; the spreadsheets `transfers.csv` and
//! `transfers.xlsx`, in each page's language, by `site::sheets`).

use std::collections::BTreeSet;

use super::xml::Writer;

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
    let mut w = Writer::new("UTF-8");
    w.open("urlset", &[("xmlns", SITEMAP_NS)]);
    for l in locs {
        w.text(&["url", "loc"], &[], &l);
    }
    w.finish()
}

/// The namespace of the sitemap protocol.
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// URLs in one sitemap file: about 600 kB of `<url>` lines, under the
/// 1 MB every file of the site keeps to (the protocol allows 50,000).
const SITEMAP_URLS: usize = 5_000;

/// The sitemap files: `sitemap.xml` alone (see [`sitemap`]) when the site
/// has at most 5,000 pages; otherwise `sitemap.xml` is a sitemap index
/// naming `sitemap-1.xml`, `sitemap-2.xml`… of 5,000 URLs each, so that no
/// file grows with the inventory (crawlers and `robots.txt` read the index
/// at the same address).
pub fn sitemaps(base_url: Option<&str>, paths: &[String]) -> Vec<(String, String)> {
    sitemaps_of(base_url, paths, SITEMAP_URLS)
}

fn sitemaps_of(base_url: Option<&str>, paths: &[String], per_file: usize) -> Vec<(String, String)> {
    // In the order of the URLs (those of `sitemap`), each once.
    let mut keyed: Vec<(String, &str)> = paths
        .iter()
        .map(|p| p.trim().trim_start_matches('/'))
        .filter(|p| !p.is_empty())
        .map(|p| (encode_path(p), p))
        .collect();
    keyed.sort();
    keyed.dedup_by(|a, b| a.0 == b.0);
    let paths: Vec<&str> = keyed.into_iter().map(|(_, p)| p).collect();
    if paths.len() <= per_file {
        let all: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        return vec![("sitemap.xml".to_string(), sitemap(base_url, &all))];
    }
    let mut files = Vec::new();
    let mut index = Writer::new("UTF-8");
    index.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    for (i, part) in paths.chunks(per_file.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let loc = match base_url.filter(|b| !b.trim().is_empty()) {
            Some(b) => join_url(b, &name),
            None => name.clone(),
        };
        index.text(&["sitemap", "loc"], &[], &loc);
        let part: Vec<String> = part.iter().map(|p| p.to_string()).collect();
        files.push((name, sitemap(base_url, &part)));
    }
    files.insert(0, ("sitemap.xml".to_string(), index.finish()));
    files
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
    fn a_large_site_gets_a_sitemap_index() {
        let paths: Vec<String> = (0..7).map(|i| format!("p{i}.html")).collect();
        let one = sitemaps_of(Some("https://x.example"), &paths, 7);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1, sitemap(Some("https://x.example"), &paths));
        let files = sitemaps_of(Some("https://x.example/"), &paths, 3);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert_eq!(
            files[0].1,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <sitemap><loc>https://x.example/sitemap-1.xml</loc></sitemap>\n\
             \x20 <sitemap><loc>https://x.example/sitemap-2.xml</loc></sitemap>\n\
             \x20 <sitemap><loc>https://x.example/sitemap-3.xml</loc></sitemap>\n\
             </sitemapindex>\n"
        );
        // Every URL once, in order, across the files.
        let locs: Vec<&str> = files[1..]
            .iter()
            .flat_map(|(_, x)| x.split("<loc>").skip(1))
            .map(|l| &l[..l.find('<').unwrap_or(0)])
            .collect();
        let expected: Vec<String> = (0..7)
            .map(|i| format!("https://x.example/p{i}.html"))
            .collect();
        assert_eq!(locs, expected);
        assert_eq!(sitemaps(None, &paths).len(), 1);
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
}
