//! The one XML escaper, for everything sovmap writes as XML or HTML by
//! hand: the SVG map, the Atom feed, the sitemap and `serve`'s pages; and
//! [`Writer`], the small XML writer of the Atom feed and the sitemaps.

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

/// A small XML writer: the declaration, one element a line indented two
/// spaces a level, every text and attribute value escaped with [`escape`].
/// Names are the caller's constants, never data.
pub struct Writer {
    out: String,
    open: Vec<&'static str>,
}

impl Writer {
    /// `<?xml version="1.0" encoding="…"?>` and a line break.
    pub fn new(encoding: &str) -> Writer {
        Writer {
            out: format!(
                "<?xml version=\"1.0\" encoding=\"{}\"?>\n",
                escape(encoding)
            ),
            open: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
    }

    /// `<name a="v">` on its own line; its children follow until [`Writer::close`].
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name);
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str(&format!("</{name}>\n"));
        }
    }

    /// `<a><b>text</b></a>` on one line: `names` nested, the last holding `text`.
    pub fn text(&mut self, names: &[&str], attrs: &[(&str, &str)], text: &str) {
        self.indent();
        for (i, name) in names.iter().enumerate() {
            self.tag(name, if i + 1 == names.len() { attrs } else { &[] });
            self.out.push('>');
        }
        self.out.push_str(&escape(text));
        for name in names.iter().rev() {
            self.out.push_str(&format!("</{name}>"));
        }
        self.out.push('\n');
    }

    /// `<name a="v"/>` on its own line.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
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

    #[test]
    fn the_writer_indents_escapes_and_closes() {
        let mut w = Writer::new("UTF-8");
        w.open("feed", &[("xml:lang", "fr")]);
        w.text(&["title"], &[], "A & <B>");
        w.text(&["url", "loc"], &[], "https://x/?a=1&b=\"2\"");
        w.open("author", &[]);
        w.empty("link", &[("href", "a\"b")]);
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xml:lang=\"fr\">\n  <title>A &amp; &lt;B&gt;</title>\n  <url><loc>https://x/?a=1&amp;b=&quot;2&quot;</loc></url>\n  <author>\n    <link href=\"a&quot;b\"/>\n  </author>\n</feed>\n"
        );
    }
}
