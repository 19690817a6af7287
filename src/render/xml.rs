//! The one XML escaper, for everything sovmap writes as XML or HTML by
//! hand: the SVG map, the Atom feed, the sitemap and `serve`'s pages.

/// Escapes a string for XML text and attribute values (`&`, `<`, `>`, `"`,
/// `'`), and drops the characters XML 1.0 forbids (control characters other
/// than tab, newline and carriage return; U+FFFE, U+FFFF); DEL, C1 and
/// bidirectional controls become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            // DEL, C1 and bidirectional controls (crate::visible).
            c if crate::visible::is_unsafe(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'co'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}\td"), "abc\td");
        assert_eq!(escape("Montréal — 東京"), "Montréal — 東京");
    }
}
