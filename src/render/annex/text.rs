//! The annex's own strings: keys `ax_*` of the site's table
//! (`crate::i18n`), looked up without their prefix.

use crate::i18n::{Lang, tr};

/// The annex string `key` (`ax_<key>` in the table) in `lang`.
pub fn t(lang: Lang, key: &str) -> &'static str {
    tr(lang, &format!("ax_{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annex_keys_resolve() {
        assert_eq!(t(Lang::Fr, "parties"), "Parties");
        assert_eq!(t(Lang::En, "french_original_mark"), "French original");
        assert_eq!(t(Lang::En, "nope"), "??");
    }
}
