//! What the browser sees in serve mode only: the live-reload script added
//! to every page, and the error page shown instead of the site while the
//! project does not build. `sovmap build` never goes through this module.

use crate::diag::{Diagnostics, Level};
use crate::render::write::SiteFiles;

/// Path of the live-reload script (outside the site's own paths).
pub const SCRIPT_PATH: &str = "/__sovmap/livereload.js";
/// Server-sent events: one `build` event on connection and after each rebuild.
pub const EVENTS_PATH: &str = "/__sovmap/events";

/// The live-reload client: reloads the page when the build id it is told
/// differs from the first one it saw (a rebuild, or a restarted server).
pub const SCRIPT: &str = r#"(function () {
  "use strict";
  var seen = null;
  var events = new EventSource("/__sovmap/events");
  events.addEventListener("build", function (e) {
    if (seen !== null && e.data !== seen) { window.location.reload(); }
    seen = e.data;
  });
})();
"#;

const SCRIPT_TAG: &str = "<script src=\"/__sovmap/livereload.js\"></script>";

/// Directives added to a page's Content-Security-Policy in serve mode so
/// that the live-reload script may run and listen; the published site keeps
/// its strict policy (no scripts at all).
const CSP_SERVE: &str = "; script-src 'self'; connect-src 'self'";

/// One problem, located, as shown in the overlay and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// Why the last build failed.
#[derive(Debug, Clone)]
pub struct Failure {
    pub summary: String,
    pub problems: Vec<Problem>,
    /// The terminal report without colours (snippets under each problem).
    pub report: String,
}

impl Failure {
    /// From the loader's diagnostics (errors only; notes do not stop a build).
    pub fn from_diagnostics(diags: &Diagnostics) -> Self {
        let problems: Vec<Problem> = diags
            .resolved()
            .into_iter()
            .filter(|r| r.level == Level::Error)
            .map(|r| Problem {
                file: r.file,
                line: r.line,
                column: r.column,
                message: r.message,
                help: r.help,
            })
            .collect();
        let n = problems.len();
        Failure {
            summary: format!(
                "the declarations are invalid ({n} problem{})",
                if n == 1 { "" } else { "s" }
            ),
            problems,
            report: diags.render(false),
        }
    }

    /// From any other error (templates, writing the folder).
    pub fn other(summary: &str, message: String) -> Self {
        Failure {
            summary: summary.to_string(),
            problems: vec![Problem {
                file: None,
                line: None,
                column: None,
                message: message.clone(),
                help: None,
            }],
            report: message,
        }
    }
}

/// Escape text for HTML element content and quoted attribute values (the
/// site's own escaping, which also drops control characters such as the
/// terminal colour codes a report might carry).
pub use crate::render::xml::escape;

/// The page shown instead of the site while the build fails. Every string
/// from the project is escaped; it reloads itself once the project builds.
pub fn overlay_html(f: &Failure) -> String {
    let mut items = String::new();
    for p in &f.problems {
        let at = match (&p.file, p.line, p.column) {
            (Some(file), Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(file), _, _) => file.clone(),
            _ => String::new(),
        };
        items.push_str("<li>");
        if !at.is_empty() {
            items.push_str(&format!("<code class=\"at\">{}</code> ", escape(&at)));
        }
        items.push_str(&format!(
            "<span class=\"msg\">{}</span>",
            escape(&p.message)
        ));
        if let Some(h) = &p.help {
            items.push_str(&format!(
                "<br><span class=\"help\">help: {}</span>",
                escape(h)
            ));
        }
        items.push_str("</li>\n");
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'{CSP_SERVE}">
<title>sovmap serve: the project does not build</title>
<style>
body {{ margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #fff; color: #1a1a1a; }}
main {{ max-width: 60rem; margin: 2rem auto; padding: 1.5rem; border-left: .5rem solid #b00020; }}
h1 {{ font-size: 1.4rem; color: #b00020; margin-top: 0; }}
li {{ margin: .6rem 0; }}
code.at {{ font-weight: bold; }}
.help {{ color: #444; }}
pre {{ background: #f4f4f4; padding: 1rem; overflow-x: auto; font-size: .85rem; }}
</style>
</head>
<body>
<main role="alert">
<h1>sovmap serve: the project does not build</h1>
<p>{summary}. Fix the file and save: this page reloads by itself. The terminal shows the same report.</p>
<ul>
{items}</ul>
<details open>
<summary>Full report</summary>
<pre>{report}</pre>
</details>
</main>
{SCRIPT_TAG}
</body>
</html>
"#,
        summary = escape(&f.summary),
        report = escape(&f.report),
    )
}

/// Make the built pages live: add the script tag before `</body>` and allow
/// it in the page's Content-Security-Policy `<meta>`.
pub fn make_live(files: &mut SiteFiles) {
    for (path, bytes) in files.iter_mut() {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let live = live_page(text);
        *bytes = live.into_bytes();
    }
}

fn live_page(text: &str) -> String {
    let mut out = text.to_string();
    const META: &str = "http-equiv=\"Content-Security-Policy\"";
    if let Some(m) = out.find(META) {
        let tag_end = out[m..].find('>').map(|i| m + i).unwrap_or(out.len());
        if let Some(c) = out[m..tag_end].find("content=\"") {
            let value_start = m + c + "content=\"".len();
            if let Some(q) = out[value_start..tag_end].find('"') {
                out.insert_str(value_start + q, CSP_SERVE);
            }
        }
    }
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &format!("{SCRIPT_TAG}\n")),
        None => out.push_str(SCRIPT_TAG),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_get_the_script_and_a_relaxed_policy() {
        let page = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'\"></head><body><p>x</p></body></html>";
        let live = live_page(page);
        assert!(live.contains(
            "content=\"default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'\""
        ));
        assert!(live.contains("<script src=\"/__sovmap/livereload.js\"></script>\n</body>"));
        let mut files = SiteFiles::new();
        files.insert("a/index.html".into(), page.as_bytes().to_vec());
        files.insert("static/style.css".into(), b"body{}".to_vec());
        make_live(&mut files);
        assert!(
            String::from_utf8_lossy(&files[std::path::Path::new("a/index.html")])
                .contains(SCRIPT_TAG)
        );
        assert_eq!(files[std::path::Path::new("static/style.css")], b"body{}");
    }

    #[test]
    fn overlay_escapes_everything_from_the_project() {
        let f = Failure {
            summary: "bad <summary>".into(),
            problems: vec![Problem {
                file: Some("content/<x>.toml".into()),
                line: Some(3),
                column: Some(7),
                message: "`<script>alert(1)</script>` is not valid".into(),
                help: Some("use \"quotes\" & more".into()),
            }],
            report: "<b>report</b>".into(),
        };
        let html = overlay_html(&f);
        assert!(html.contains("content/&lt;x&gt;.toml:3:7"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&quot;quotes&quot; &amp; more"));
        assert!(html.contains("&lt;b&gt;report&lt;/b&gt;"));
    }
}
