//! The one XML escaper, for everything sovmap writes as XML or HTML by
//! hand: the SVG map, the Atom feed, the sitemap and `serve`'s pages;
//! [`Markup`], the element-by-element writer of the SVG map (and of its
//! HTML legend), and [`Writer`], the indented XML writer of the Atom feed
//! and the sitemaps, built on it.
//!
//! Both writers take element and attribute names as `&'static str` (the
//! caller's constants, never data) and pass every attribute value and every
//! text through [`escape`], so that no caller splices markup into a string
//! and none can forget to escape a value.

/// Escapes a string for XML text and attribute values (`&`, `<`, `>`, `"`,
/// `'`), and drops the characters XML 1.0 forbids (control characters other
/// than tab, newline and carriage return; U+FFFE, U+FFFF); DEL, C1 and
/// bidirectional controls become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out` (the writers escape without an
/// intermediate string: the map's path data is megabytes).
fn escape_into(out: &mut String, s: &str) {
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
}

/// An attribute list: names are the caller's constants, values any text
/// (escaped when written).
pub type Attrs<'a> = [(&'static str, &'a str)];

/// Markup written element by element, where the caller decides the line
/// breaks: the SVG map puts one group a line with its children inline,
/// which an indenting writer cannot reproduce. Every start tag is closed by
/// [`Markup::end`] in order (the writer remembers the names), every value
/// is escaped.
#[derive(Debug)]
pub struct Markup {
    out: String,
    open: Vec<&'static str>,
    /// `false`: [`Markup::line`] writes nothing (see [`Markup::one_line`]).
    breaks: bool,
}

impl Default for Markup {
    fn default() -> Markup {
        Markup::new()
    }
}

impl Markup {
    /// An empty document whose [`Markup::line`] breaks the line.
    pub fn new() -> Markup {
        Markup::with_capacity(0)
    }

    /// [`Markup::new`] with room for `n` bytes (the map is large).
    pub fn with_capacity(n: usize) -> Markup {
        Markup {
            out: String::with_capacity(n),
            open: Vec::new(),
            breaks: true,
        }
    }

    /// A fragment written on one line, whatever its writer asks: the map's
    /// legend swatches, drawn by the same code in the SVG (a line each) and
    /// as icons inside the HTML legend's list items (inline).
    pub fn one_line() -> Markup {
        Markup {
            breaks: false,
            ..Markup::new()
        }
    }

    fn tag(&mut self, name: &str, attrs: &Attrs) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v);
            self.out.push('"');
        }
    }

    /// `<name a="v">`; its content follows until [`Markup::end`].
    pub fn start(&mut self, name: &'static str, attrs: &Attrs) {
        self.tag(name, attrs);
        self.out.push('>');
        self.open.push(name);
    }

    /// `</name>` of the element started last (nothing when none is open).
    pub fn end(&mut self) {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
    }

    /// `<name a="v"/>`.
    pub fn empty(&mut self, name: &'static str, attrs: &Attrs) {
        self.tag(name, attrs);
        self.out.push_str("/>");
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// `<name a="v">text</name>`.
    pub fn element(&mut self, name: &'static str, attrs: &Attrs, text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end();
    }

    /// A line break (none in a [`Markup::one_line`] fragment).
    pub fn line(&mut self) {
        if self.breaks {
            self.out.push('\n');
        }
    }

    /// `<!-- text -->`: `text` is a constant (a comment cannot be escaped;
    /// `--` would end it).
    pub fn comment(&mut self, text: &'static str) {
        debug_assert!(!text.contains("--"), "`--` in a comment: {text}");
        self.out.push_str("<!-- ");
        self.out.push_str(text);
        self.out.push_str(" -->");
    }

    /// Appends a fragment written apart (closed first, so that both stay
    /// well-formed).
    pub fn append(&mut self, fragment: Markup) {
        self.out.push_str(&fragment.finish());
    }

    /// The markup, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

/// A small XML writer: the declaration, one element a line indented two
/// spaces a level, every text and attribute value escaped with [`escape`].
/// Names are the caller's constants, never data.
pub struct Writer {
    m: Markup,
}

impl Writer {
    /// `<?xml version="1.0" encoding="…"?>` and a line break.
    pub fn new(encoding: &str) -> Writer {
        let mut m = Markup::new();
        m.out.push_str("<?xml version=\"1.0\" encoding=\"");
        m.text(encoding);
        m.out.push_str("\"?>");
        m.line();
        Writer { m }
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.m.out.push_str("  ");
        }
    }

    /// `<name a="v">` on its own line; its children follow until [`Writer::close`].
    pub fn open(&mut self, name: &'static str, attrs: &Attrs) {
        self.indent(self.m.open.len());
        self.m.start(name, attrs);
        self.m.line();
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        if let Some(depth) = self.m.open.len().checked_sub(1) {
            self.indent(depth);
            self.m.end();
            self.m.line();
        }
    }

    /// `<a><b>text</b></a>` on one line: `names` nested, the last holding `text`.
    pub fn text(&mut self, names: &[&'static str], attrs: &Attrs, text: &str) {
        self.indent(self.m.open.len());
        for (i, name) in names.iter().enumerate() {
            self.m
                .start(name, if i + 1 == names.len() { attrs } else { &[] });
        }
        self.m.text(text);
        for _ in names {
            self.m.end();
        }
        self.m.line();
    }

    /// `<name a="v"/>` on its own line.
    pub fn empty(&mut self, name: &'static str, attrs: &Attrs) {
        self.indent(self.m.open.len());
        self.m.empty(name, attrs);
        self.m.line();
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.m.open.is_empty() {
            self.close();
        }
        self.m.out
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

    /// Issue 16 (3): whatever a value holds, it stays a value — in an
    /// attribute and in text, with both writers.
    #[test]
    fn hostile_values_stay_values() {
        let hostile =
            "\" onload='x' <script>&amp;\u{0}\u{7}\u{1b}\u{7f}\u{85}\u{202e}\u{2066}</svg>";
        let escaped = "&quot; onload=&#39;x&#39; &lt;script&gt;&amp;amp;\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}&lt;/svg&gt;";
        let mut m = Markup::new();
        m.start("g", &[("class", hostile)]);
        m.element("title", &[], hostile);
        m.empty("path", &[("d", hostile)]);
        m.end();
        m.line();
        assert_eq!(
            m.finish(),
            format!("<g class=\"{escaped}\"><title>{escaped}</title><path d=\"{escaped}\"/></g>\n")
        );
        let mut w = Writer::new("UTF-8");
        w.text(&["entry", "title"], &[("type", hostile)], hostile);
        assert_eq!(
            w.finish(),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<entry><title type=\"{escaped}\">{escaped}</title></entry>\n"
            )
        );
    }

    #[test]
    fn markup_closes_in_order_and_breaks_lines_only_when_asked() {
        let mut icon = Markup::one_line();
        icon.empty("rect", &[("x", "1.0")]);
        icon.line();
        icon.start("g", &[]);
        icon.element("text", &[("x", "2")], "A");
        let mut m = Markup::new();
        m.start("li", &[]);
        m.append(icon);
        m.text(" B");
        m.end();
        m.line();
        m.comment("credit");
        m.start("svg", &[]);
        assert_eq!(
            m.finish(),
            "<li><rect x=\"1.0\"/><g><text x=\"2\">A</text></g> B</li>\n<!-- credit --><svg></svg>"
        );
    }
}
