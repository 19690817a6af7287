//! The standalone HTML report of `sovmap review` (`--html FILE`): one
//! self-contained page (inline CSS, a Content-Security-Policy that forbids
//! any request), every user string escaped by tera's autoescaping, tables
//! with captions and header scopes, printable; in the report's language.

use std::collections::BTreeMap;

use tera::{Context, Tera};

use super::Report;
use crate::i18n::{self, Lang};

const TEMPLATE: &str = include_str!("report.html");

/// The words of the report in `lang`: the keys of [`crate::i18n`]'s table
/// that start with `prefix`, without it.
fn words(prefix: &str, lang: Lang) -> BTreeMap<&'static str, &'static str> {
    i18n::table(lang)
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?, v)))
        .collect()
}

/// Render the report; an error means a bug in the template (not bad input).
pub fn render(report: &Report) -> Result<String, String> {
    let lang = if report.lang == "fr" {
        Lang::Fr
    } else {
        Lang::En
    };
    let mut tera = Tera::new();
    tera.autoescape_on([".html"]);
    tera.add_raw_template("review.html", TEMPLATE)
        .map_err(|e| format!("review template: {e}"))?;
    let t = words("review_", lang);
    let mut ctx = Context::new();
    ctx.insert("report", report);
    ctx.insert("t", &t);
    ctx.insert("kinds", &words("review_kind_", lang));
    ctx.insert("levels", &words("review_level_", lang));
    ctx.insert("generator", concat!("sovmap ", env!("CARGO_PKG_VERSION")));
    tera.render("review.html", &ctx)
        .map_err(|e| format!("cannot render the review report: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_template_is_defined_in_both_languages() {
        let (fr, en) = (words("review_", Lang::Fr), words("review_", Lang::En));
        let mut keys = 0;
        for (i, _) in TEMPLATE.match_indices("t.") {
            let before = TEMPLATE[..i].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                continue; // `report.lang`, not the table `t`
            }
            let key: String = TEMPLATE[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            keys += 1;
            assert!(fr.contains_key(key.as_str()), "{key} missing in French");
            assert!(en.contains_key(key.as_str()), "{key} missing in English");
        }
        assert!(keys > 30, "the template's words are found");
        for kinds in ["review_kind_", "review_level_"] {
            assert!(!words(kinds, Lang::Fr).is_empty());
        }
    }
}
