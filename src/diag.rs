//! Diagnostics for bad input: every problem found while loading a project, each
//! pointing at a file, a byte span, a short message and a hint.
//!
//! The loader never stops at the first problem: it pushes [`Diagnostic`]s into a
//! [`Diagnostics`] collection and the command prints them all at once (rustc
//! style through miette, or JSON), then exits with code 2. Spans are byte ranges
//! into the file's text; line and column are computed here, once, so that every
//! output format agrees.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

/// A file read from the project, kept so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the project root when possible).
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<String>,
    /// Byte offset of each line's start, computed on first use: a file with
    /// thousands of problems must not be scanned from its start for each.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: impl Into<PathBuf>, text: String) -> Self {
        SourceFile {
            name: name.into(),
            path: path.into(),
            text: Arc::new(text),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 0-based index of the line holding byte `offset` (clamped to the text).
    fn line_index(&self, offset: usize) -> usize {
        let starts = self.line_starts();
        starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
            .saturating_sub(1)
    }

    /// The nearest character boundary at or before `offset` (clamped).
    fn floor_boundary(&self, offset: usize) -> usize {
        let mut off = offset.min(self.text.len());
        while off > 0 && !self.text.is_char_boundary(off) {
            off -= 1;
        }
        off
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let off = self.floor_boundary(offset);
        let line = self.line_index(off);
        let line_start = self.line_starts()[line];
        let col = self.text[line_start..off].chars().count() + 1;
        (line + 1, col)
    }
}

/// Where a declaration (or one of its values) was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Diagnostics::files`]/the project's file list; `None` for
    /// built-in or synthetic items.
    pub file: Option<usize>,
    pub span: Range<usize>,
}

impl Loc {
    pub fn new(file: usize, span: Range<usize>) -> Self {
        Loc {
            file: Some(file),
            span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Note,
}

/// One problem in the input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable code, e.g. `unknown-key`; printed as `sovmap::unknown-key`.
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub loc: Loc,
    /// Short label under the span.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Problems with the same key (the same unknown id named from many
    /// places) are told once, with where else and how many more.
    pub group: Option<String>,
    /// The other places of the same problem (the first few).
    pub also: Vec<Loc>,
    /// How many more places than `also` lists.
    pub also_more: usize,
}

impl Diagnostic {
    pub fn error(code: &'static str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            level: Level::Error,
            message: message.into(),
            loc,
            label: None,
            help: None,
            group: None,
            also: Vec::new(),
            also_more: 0,
        }
    }

    pub fn note(code: &'static str, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Note,
            ..Diagnostic::error(code, loc, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Told once for all diagnostics of the same `key` (see [`Diagnostic::group`]).
    pub fn grouped(mut self, key: impl Into<String>) -> Self {
        self.group = Some(key.into());
        self
    }
}

/// At most this many problems are kept per file, and in all: a log file
/// renamed `.toml` gives hundreds of thousands of syntax errors, which no
/// one reads and which would take gigabytes to hold and print. The ones
/// left out are counted and the count is said.
pub const MAX_PER_FILE: usize = 50;
pub const MAX_TOTAL: usize = 500;
/// Other places listed for a grouped problem.
const MAX_ALSO: usize = 3;

/// All files read and all problems found in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub files: Vec<SourceFile>,
    pub items: Vec<Diagnostic>,
    /// What the caps and groups keep track of (boxed: a `Diagnostics` is
    /// often returned as an error).
    book: Box<Book>,
}

#[derive(Debug, Default, Clone)]
struct Book {
    /// Every diagnostic pushed, kept or not.
    pushed: usize,
    /// Kept per file (`None`: no file).
    kept_in: std::collections::HashMap<Option<usize>, usize>,
    /// Left out (over [`MAX_PER_FILE`] or [`MAX_TOTAL`]) per file.
    omitted_in: std::collections::BTreeMap<Option<usize>, usize>,
    omitted_errors: usize,
    /// Group key → index in `items` of the diagnostic telling the group
    /// (`usize::MAX`: left out).
    groups: std::collections::HashMap<String, usize>,
    /// Where a diagnostic that was left out is built (see [`Diagnostics::push_mut`]).
    scratch: Option<Box<Diagnostic>>,
}

/// A diagnostic with its position resolved, for JSON output and tests.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Resolved {
    pub code: String,
    pub level: Level,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostics {
    pub fn add_file(&mut self, file: SourceFile) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    /// Keep `d`, unless it repeats a group already told (it is added to that
    /// one's places) or the caps are reached (it is counted).
    pub fn push(&mut self, d: Diagnostic) {
        self.push_mut(d);
    }

    /// [`Diagnostics::push`], returning the diagnostic to add a label or a
    /// hint to (a scratch copy when it was not kept).
    pub fn push_mut(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.book.pushed += 1;
        if let Some(key) = &d.group
            && let Some(&i) = self.book.groups.get(key)
        {
            // A repeat of a problem told (or left out, `usize::MAX`: it
            // was counted once).
            if let Some(first) = self.items.get_mut(i) {
                if first.also.len() < MAX_ALSO {
                    first.also.push(d.loc.clone());
                } else {
                    first.also_more += 1;
                }
            }
            return self.scratch(d);
        }
        let kept = self.book.kept_in.entry(d.loc.file).or_insert(0);
        if *kept >= MAX_PER_FILE || self.items.len() >= MAX_TOTAL {
            *self.book.omitted_in.entry(d.loc.file).or_insert(0) += 1;
            if d.level == Level::Error {
                self.book.omitted_errors += 1;
            }
            if let Some(key) = &d.group {
                self.book.groups.insert(key.clone(), usize::MAX);
            }
            return self.scratch(d);
        }
        *kept += 1;
        if let Some(key) = &d.group {
            self.book.groups.insert(key.clone(), self.items.len());
        }
        self.items.push(d);
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    fn scratch(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.book.scratch.insert(Box::new(d))
    }

    /// How many diagnostics were pushed (kept, grouped or left out): grows
    /// with every push, so that "did this step report anything?" can be
    /// asked whatever the caps.
    pub fn pushed(&self) -> usize {
        self.book.pushed
    }

    /// How many were left out over the caps.
    pub fn omitted(&self) -> usize {
        self.book.omitted_in.values().sum()
    }

    pub fn has_errors(&self) -> bool {
        self.book.omitted_errors > 0 || self.items.iter().any(|d| d.level == Level::Error)
    }

    /// Errors found, those left out over the caps included.
    pub fn error_count(&self) -> usize {
        self.book.omitted_errors
            + self
                .items
                .iter()
                .filter(|d| d.level == Level::Error)
                .count()
    }

    /// Diagnostics sorted by file, then position, for stable output; a file
    /// that could not be read comes first (what it declared is missing, so
    /// the "unknown id" errors that follow are its knock-on effects).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            let fa = a.loc.file.map(|f| self.files[f].name.as_str());
            let fb = b.loc.file.map(|f| self.files[f].name.as_str());
            let (ra, rb) = (!is_unread(a.code), !is_unread(b.code));
            (ra, fa, a.loc.span.start, a.level, &a.message).cmp(&(
                rb,
                fb,
                b.loc.span.start,
                b.level,
                &b.message,
            ))
        });
        v
    }

    pub fn resolve(&self, d: &Diagnostic) -> Resolved {
        let (file, line, column) = match d.loc.file.and_then(|f| self.files.get(f)) {
            Some(f) => {
                let (l, c) = f.line_col(d.loc.span.start);
                (Some(f.name.clone()), Some(l), Some(c))
            }
            None => (None, None, None),
        };
        Resolved {
            code: format!("sovmap::{}", d.code),
            level: d.level,
            file,
            line,
            column,
            message: self.message(d),
            help: d.help.clone(),
        }
    }

    /// The message, with the other places of a grouped problem.
    fn message(&self, d: &Diagnostic) -> String {
        if d.also.is_empty() {
            return d.message.clone();
        }
        let places: Vec<String> = d
            .also
            .iter()
            .map(|l| match l.file.and_then(|f| self.files.get(f)) {
                Some(f) => {
                    let (line, col) = f.line_col(l.span.start);
                    format!("{}:{line}:{col}", f.name)
                }
                None => "elsewhere".to_string(),
            })
            .collect();
        let n = d.also.len() + d.also_more;
        let mut m = format!(
            "{} (and {n} other place{}: {}",
            d.message,
            if n == 1 { "" } else { "s" },
            places.join(", ")
        );
        if d.also_more > 0 {
            m.push_str(&format!(", … {} more", d.also_more));
        }
        m.push(')');
        m
    }

    /// Lines saying what the caps left out: one per file, then in all.
    fn omitted_lines(&self) -> Vec<(Option<String>, String)> {
        let mut out = Vec::new();
        for (file, n) in &self.book.omitted_in {
            let name = file.and_then(|f| self.files.get(f)).map(|f| f.name.clone());
            let what = if *n == 1 { "problem" } else { "problems" };
            out.push((
                name.clone(),
                match &name {
                    Some(name) => format!(
                        "… and {n} more {what} in {name} (at most {MAX_PER_FILE} per file and {MAX_TOTAL} in all are shown): fix these first"
                    ),
                    None => format!(
                        "… and {n} more {what} (at most {MAX_TOTAL} are shown): fix these first"
                    ),
                },
            ));
        }
        out
    }

    fn resolve_file(&self, d: &Diagnostic) -> Option<String> {
        d.loc
            .file
            .and_then(|f| self.files.get(f))
            .map(|f| f.name.clone())
    }

    /// Per file (`None`: no file), how many problems the caps left out.
    pub fn omitted_by_file(&self) -> Vec<(Option<String>, usize)> {
        self.book
            .omitted_in
            .iter()
            .map(|(f, n)| {
                (
                    f.and_then(|f| self.files.get(f)).map(|f| f.name.clone()),
                    *n,
                )
            })
            .collect()
    }

    pub fn resolved(&self) -> Vec<Resolved> {
        self.sorted().into_iter().map(|d| self.resolve(d)).collect()
    }

    /// Render every diagnostic rustc-style (file:line:col, snippet, hint).
    pub fn render(&self, color: bool) -> String {
        let handler = if color {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
        } else {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        }
        .with_context_lines(1)
        .with_width(100);
        let mut out = String::new();
        let omitted = self.omitted_lines();
        let sorted = self.sorted();
        // Where each file's last shown problem is.
        let mut last_of: std::collections::HashMap<Option<usize>, usize> =
            std::collections::HashMap::new();
        for (i, d) in sorted.iter().enumerate() {
            last_of.insert(d.loc.file, i);
        }
        for (i, d) in sorted.iter().enumerate() {
            let d = *d;
            let r = self.resolve(d);
            if let (Some(file), Some(line), Some(col)) = (&r.file, r.line, r.column) {
                out.push_str(&format!("{file}:{line}:{col}: "));
            }
            out.push_str(&format!(
                "{}[{}]: {}\n",
                match d.level {
                    Level::Error => "error",
                    Level::Note => "note",
                },
                d.code,
                r.message
            ));
            let report = Rendered {
                diag: d,
                source: d
                    .loc
                    .file
                    .and_then(|f| self.files.get(f))
                    .map(|file| Excerpts { file }),
            };
            let mut s = String::new();
            if handler.render_report(&mut s, &report).is_ok() {
                out.push_str(&s);
            }
            out.push('\n');
            // Past the last shown problem of a file: how many more it has.
            if d.loc.file.is_some() && last_of.get(&d.loc.file) == Some(&i) {
                for (name, line) in &omitted {
                    if name.is_some() && *name == r.file {
                        out.push_str(line);
                        out.push_str("\n\n");
                    }
                }
            }
        }
        // Files none of whose problems is shown, and problems of no file.
        let shown: std::collections::HashSet<Option<String>> =
            sorted.iter().map(|d| self.resolve_file(d)).collect();
        for (name, line) in &omitted {
            if name.is_none() || !shown.contains(name) {
                out.push_str(line);
                out.push_str("\n\n");
            }
        }
        // Names and quoted lines come from the files: no raw control
        // character reaches the terminal.
        crate::visible::terminal(&out, color).into_owned()
    }
}

/// Adapter so that miette can draw our diagnostic.
struct Rendered<'a> {
    diag: &'a Diagnostic,
    source: Option<Excerpts<'a>>,
}

/// A file as miette reads it for a snippet, from its line index: miette's own
/// reader scans the text from its start for every snippet (quadratic in the
/// problems of one file) and gives the header's column in bytes where the
/// first line of a problem gives it in characters.
struct Excerpts<'a> {
    file: &'a SourceFile,
}

impl miette::SourceCode for Excerpts<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let f = self.file;
        let text: &'b str = f.text.as_str();
        let starts = f.line_starts();
        let start = span.offset();
        let end = start + span.len();
        // miette's reader on the lines around the span only (one more line
        // each side than asked), then its answer moved back into the file.
        let first = f.line_index(start).saturating_sub(context_lines_before + 1);
        let last = f.line_index(end.saturating_sub(1).max(start)) + context_lines_after + 2;
        let from = starts[first];
        let to = starts.get(last).copied().unwrap_or(text.len()).max(from);
        let local = miette::SourceSpan::new(start.saturating_sub(from).into(), span.len());
        let inner = text[from..to].read_span(&local, context_lines_before, context_lines_after)?;
        let column = if context_lines_before == 0 {
            f.line_col(start).1 - 1
        } else {
            inner.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            f.name.clone(),
            inner.data(),
            miette::SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first,
            column,
            inner.line_count() + first,
        )))
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("sovmap::{}", self.diag.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.level {
            Level::Error => miette::Severity::Error,
            Level::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let src = self.source.as_ref()?;
        let len = src.file.text.len();
        let start = self.diag.loc.span.start.min(len);
        let end = self.diag.loc.span.end.clamp(start, len);
        let label = self
            .diag
            .label
            .clone()
            .unwrap_or_else(|| "here".to_string());
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            Some(label),
            start,
            end - start,
        ))))
    }
}

/// Codes saying that a file (or folder) could not be read at all.
pub const UNREAD_CODES: &[&str] = &[
    "no-project",
    "no-content",
    "read-failed",
    "not-utf8",
    "special-file",
    "symlink-outside",
    "dangling-symlink",
];

fn is_unread(code: &str) -> bool {
    UNREAD_CODES.contains(&code)
}

/// Display a path relative to `root` when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a.toml", "a.toml", "ab\ncé=1\n".to_string());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'é' is two bytes; the '=' after it is column 3.
        assert_eq!(f.line_col(6), (2, 3));
        assert_eq!(f.line_col(999), (3, 1));
    }

    /// The excerpt reader gives miette what its own reader gives on the whole
    /// text (same lines, offsets, line numbers), except the header's column,
    /// in characters.
    #[test]
    fn excerpts_read_like_miette_on_the_whole_text() {
        use miette::SourceCode;
        let text: String = (0..40)
            .map(|i| format!("k{i} = \"é{i}\"\r\n"))
            .chain(["last = 1".to_string()])
            .collect();
        let f = SourceFile::new("a.toml", "a.toml", text.clone());
        let ex = Excerpts { file: &f };
        for (offset, len) in [
            (0, 1),
            (7, 3),
            (200, 20),
            (text.len() - 1, 1),
            (text.len(), 0),
        ] {
            for ctx in [0, 1, 2] {
                let span = miette::SourceSpan::new(offset.into(), len);
                let ours = ex.read_span(&span, ctx, ctx).expect("in bounds");
                let theirs = text.as_str().read_span(&span, ctx, ctx).expect("in bounds");
                let at = format!("span {offset}+{len}, context {ctx}");
                assert_eq!(ours.data(), theirs.data(), "{at}");
                assert_eq!(ours.span(), theirs.span(), "{at}");
                assert_eq!(ours.line(), theirs.line(), "{at}");
                assert_eq!(ours.line_count(), theirs.line_count(), "{at}");
                if ctx == 0 {
                    assert_eq!(ours.column() + 1, f.line_col(offset).1, "{at}");
                } else {
                    assert_eq!(ours.column(), theirs.column(), "{at}");
                }
            }
        }
        let past = miette::SourceSpan::new((text.len() + 5).into(), 1);
        assert!(ex.read_span(&past, 1, 1).is_err());
    }

    #[test]
    fn render_names_file_line_and_column() {
        let mut d = Diagnostics::default();
        let f = d.add_file(SourceFile::new(
            "content/x.toml",
            "x",
            "id = 1\nname = 2\n".to_string(),
        ));
        d.push(Diagnostic::error("wrong-type", Loc::new(f, 14..15), "bad").with_help("fix it"));
        let out = d.render(false);
        assert!(
            out.contains("content/x.toml:2:8: error[wrong-type]: bad"),
            "{out}"
        );
        assert!(out.contains("fix it"));
    }
}
