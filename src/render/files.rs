//! The site's plain machine-readable files: `sitemap.xml` and `robots.txt`
//! (`transfers.json` and its schema are the publication format, written by
//! [`crate::publication::write`]; the spreadsheets `transfers.csv` and
//! `transfers.xlsx`, in each page's language, by `site::sheets`).

use std::collections::BTreeSet;

use super::xml::escape;

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
}
