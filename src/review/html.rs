//! The standalone HTML report of `sovmap review` (`--html FILE`): one
//! self-contained page (inline CSS, a Content-Security-Policy that forbids
//! any request), every user string escaped by tera's autoescaping, tables
//! with captions and header scopes, printable.

use tera::{Context, Tera};

use super::Report;

const TEMPLATE: &str = include_str!("report.html");

/// Render the report; an error means a bug in the template (not bad input).
pub fn render(report: &Report) -> Result<String, String> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html"]);
    tera.add_raw_template("review.html", TEMPLATE)
        .map_err(|e| format!("review template: {e}"))?;
    let mut ctx = Context::new();
    ctx.insert("report", report);
    ctx.insert("generator", concat!("sovmap ", env!("CARGO_PKG_VERSION")));
    tera.render("review.html", &ctx)
        .map_err(|e| format!("cannot render the review report: {e}"))
}
