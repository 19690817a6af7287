//! Typed, spanned access to a parsed TOML table, collecting every problem.
//!
//! serde stops at the first error in a file; a lawyer fixing a file wants all
//! of them. So declarations are parsed into toml's spanned document tree
//! (`DeTable::parse_recoverable`, which also recovers from syntax errors) and
//! read field by field through [`Fields`], which records a diagnostic for each
//! missing key, wrong type, bad value and unknown key, and carries on.

use std::collections::BTreeSet;
use std::ops::Range;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, Loc};

/// Where diagnostics go, and which file they are about.
pub struct Ctx<'d> {
    pub file: usize,
    /// Byte offset of the parsed text inside the file (front matter).
    pub offset: usize,
    pub diags: &'d mut Diagnostics,
    /// Spans of TOML syntax errors (relative to the parsed text): values the
    /// parser recovered there are not reported a second time.
    pub syntax: Vec<Range<usize>>,
}

impl Ctx<'_> {
    pub fn loc(&self, span: Range<usize>) -> Loc {
        Loc::new(self.file, span.start + self.offset..span.end + self.offset)
    }

    pub fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, self.loc(span), msg);
        self.diags.push_mut(d)
    }

    pub fn note(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::note(code, self.loc(span), msg);
        self.diags.push_mut(d)
    }
}

/// A value read from the file, with where it was written.
#[derive(Debug, Clone)]
pub struct Sp<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// Reads the keys of one table; call [`Fields::finish`] to report unknown keys.
pub struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    /// What the table declares, for messages ("entity `ovh`", "site").
    what: String,
    used: BTreeSet<String>,
}

pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, span: Range<usize>, what: impl Into<String>) -> Self {
        Fields {
            table,
            span,
            what: what.into(),
            used: BTreeSet::new(),
        }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn set_what(&mut self, what: impl Into<String>) {
        self.what = what.into();
    }

    /// Span of the table header, or the table itself: where "missing key" points.
    fn header_span(&self) -> Range<usize> {
        self.span.start..self.span.start.max(self.span.end.min(self.span.start + 1))
    }

    /// Whether a syntax error sits on a line of this table that starts with
    /// `key` (`legal_name "Acme"`, no `=`): the key is there, broken, and the
    /// syntax error already says so; "has no `legal_name`" would be a second
    /// message for the same mistake.
    fn key_line_is_broken(&self, ctx: &Ctx, key: &str) -> bool {
        if ctx.syntax.is_empty() {
            return false;
        }
        let Some(file) = ctx.diags.files.get(ctx.file) else {
            return false;
        };
        let text = file.text.as_str();
        let table_start = (self.span.start + ctx.offset).min(text.len());
        ctx.syntax.iter().any(|e| {
            let at = (e.start + ctx.offset).min(text.len());
            if at < table_start || !text.is_char_boundary(at) {
                return false;
            }
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            // In this table: no other table header between its start and the error.
            let between = &text[table_start.min(line_start)..line_start];
            if between
                .lines()
                .skip(1)
                .any(|l| l.trim_start().starts_with('['))
            {
                return false;
            }
            let line = text[line_start..].lines().next().unwrap_or("").trim_start();
            let name: &str = line
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .next()
                .unwrap_or("");
            name == key
        })
    }

    pub fn raw(&mut self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.used.insert(key.to_string());
        self.table.get(key)
    }

    fn missing(&self, ctx: &mut Ctx, key: &str, example: &str) {
        if self.key_line_is_broken(ctx, key) {
            return;
        }
        ctx.error(
            "missing-key",
            self.header_span(),
            format!("{} has no `{key}`", self.what),
        )
        .with_label_mut(format!("`{key}` is required here"))
        .with_help_mut(format!("add a line such as `{key} = {example}`"));
    }

    fn wrong_type(
        &self,
        ctx: &mut Ctx,
        key: &str,
        v: &Spanned<DeValue<'_>>,
        expected: &str,
        example: &str,
    ) {
        let span = v.span();
        if ctx
            .syntax
            .iter()
            .any(|e| e.start < span.end.max(span.start + 1) && span.start < e.end.max(e.start + 1))
        {
            return;
        }
        ctx.error(
            "wrong-type",
            v.span(),
            format!(
                "`{key}` must be {expected}, found {}",
                type_name(v.get_ref())
            ),
        )
        .with_help_mut(format!("write it as `{key} = {example}`"));
    }

    pub fn opt_str(&mut self, ctx: &mut Ctx, key: &str) -> Option<Sp<String>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                if s.trim().is_empty() {
                    ctx.error("empty-value", v.span(), format!("`{key}` is empty"))
                        .with_help_mut("write a value or remove the line");
                    None
                } else {
                    Some(Sp {
                        value: s.trim().to_string(),
                        span: v.span(),
                    })
                }
            }
            _ => {
                self.wrong_type(ctx, key, v, "a string in quotes", "\"…\"");
                None
            }
        }
    }

    pub fn req_str(&mut self, ctx: &mut Ctx, key: &str, example: &str) -> Option<Sp<String>> {
        if !self.table.contains_key(key) {
            self.missing(ctx, key, example);
            self.used.insert(key.to_string());
            return None;
        }
        self.opt_str(ctx, key)
    }

    pub fn opt_bool(&mut self, ctx: &mut Ctx, key: &str) -> Option<bool> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(ctx, key, v, "true or false", "true");
                None
            }
        }
    }

    pub fn opt_int(&mut self, ctx: &mut Ctx, key: &str, example: &str) -> Option<Sp<i64>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match int_value(i).ok_or(()) {
                Ok(n) => Some(Sp {
                    value: n,
                    span: v.span(),
                }),
                Err(_) => {
                    ctx.error("bad-value", v.span(), format!("`{key}` is too large"));
                    None
                }
            },
            _ => {
                self.wrong_type(ctx, key, v, "a whole number", example);
                None
            }
        }
    }

    pub fn opt_number(&mut self, ctx: &mut Ctx, key: &str, example: &str) -> Option<Sp<f64>> {
        let v = self.raw(key)?;
        number(v)
            .map(|n| Sp {
                value: n,
                span: v.span(),
            })
            .or_else(|| {
                self.wrong_type(ctx, key, v, "a number", example);
                None
            })
    }

    pub fn opt_date(&mut self, ctx: &mut Ctx, key: &str) -> Option<Sp<Date>> {
        let v = self.raw(key)?;
        read_date(ctx, key, v).map(|d| Sp {
            value: d,
            span: v.span(),
        })
    }

    pub fn req_date(&mut self, ctx: &mut Ctx, key: &str) -> Option<Sp<Date>> {
        if !self.table.contains_key(key) {
            self.missing(ctx, key, "2026-01-31");
            self.used.insert(key.to_string());
            return None;
        }
        self.opt_date(ctx, key)
    }

    /// A list of strings; a single string is accepted as a one-element list.
    pub fn str_list(&mut self, ctx: &mut Ctx, key: &str) -> Vec<Sp<String>> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::String(s) => vec![Sp {
                value: s.trim().to_string(),
                span: v.span(),
            }],
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) if !s.trim().is_empty() => out.push(Sp {
                            value: s.trim().to_string(),
                            span: item.span(),
                        }),
                        DeValue::String(_) => {
                            ctx.error(
                                "empty-value",
                                item.span(),
                                format!("empty string in `{key}`"),
                            )
                            .with_help_mut("remove it from the list");
                        }
                        other => {
                            ctx.error(
                                "wrong-type",
                                item.span(),
                                format!("`{key}` must list strings, found {}", type_name(other)),
                            )
                            .with_help_mut(format!("write it as `{key} = [\"a\", \"b\"]`"));
                        }
                    }
                }
                out
            }
            _ => {
                self.wrong_type(ctx, key, v, "a list of strings", "[\"a\", \"b\"]");
                Vec::new()
            }
        }
    }

    /// A list of integers (HDS activities).
    pub fn int_list(&mut self, ctx: &mut Ctx, key: &str) -> Option<Vec<Sp<i64>>> {
        let v = self.raw(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(ctx, key, v, "a list of numbers", "[1, 2]");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Integer(i) => match int_value(i).ok_or(()) {
                    Ok(n) => out.push(Sp {
                        value: n,
                        span: item.span(),
                    }),
                    Err(_) => {
                        ctx.error(
                            "bad-value",
                            item.span(),
                            format!("`{key}` holds an unreadable number"),
                        );
                    }
                },
                other => {
                    ctx.error(
                        "wrong-type",
                        item.span(),
                        format!(
                            "`{key}` must list whole numbers, found {}",
                            type_name(other)
                        ),
                    )
                    .with_help_mut(format!("write it as `{key} = [1, 2]`"));
                }
            }
        }
        Some(out)
    }

    /// A sub-table (`[entity.hds]` or `hds = { … }`).
    pub fn opt_table(
        &mut self,
        ctx: &mut Ctx,
        key: &str,
    ) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, v.span())),
            _ => {
                self.wrong_type(ctx, key, v, "a table", "{ … }");
                None
            }
        }
    }

    /// A list of tables (`[[service.actor]]`).
    pub fn table_list(&mut self, ctx: &mut Ctx, key: &str) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    DeValue::Table(t) => Some((t, item.span())),
                    other => {
                        ctx.error(
                            "wrong-type",
                            item.span(),
                            format!("`{key}` must list tables, found {}", type_name(other)),
                        )
                        .with_help_mut(format!("write each one as `[[…{key}]]` or `{{ … }}`"));
                        None
                    }
                })
                .collect(),
            DeValue::Table(t) => vec![(t, v.span())],
            _ => {
                self.wrong_type(ctx, key, v, "a list of tables", "[{ … }]");
                Vec::new()
            }
        }
    }

    /// Report every key that was never read, with a "did you mean" hint.
    pub fn finish(self, ctx: &mut Ctx, known: &[&str]) {
        // `known` is also what the JSON Schemas are checked against
        // (`load::keys`): every key read must be listed there.
        debug_assert!(
            self.used.iter().all(|k| known.contains(&k.as_str())),
            "a key read from {} is missing from its key list {known:?}: {:?}",
            self.what,
            self.used
        );
        for (k, _) in self.table.iter() {
            let name: &str = k.get_ref();
            if self.used.contains(name) {
                continue;
            }
            let hint = match suggest(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? Known keys: {}", known.join(", ")),
                None if known.is_empty() => "no key is read here: remove it".to_string(),
                None => format!("known keys here: {}", known.join(", ")),
            };
            ctx.error(
                "unknown-key",
                k.span(),
                format!("unknown key `{name}` in {}", self.what),
            )
            .with_help_mut(hint);
        }
    }
}

/// An integer in any TOML radix (`0x96`, `0b111`, `1_000`); `None` if it does
/// not fit in an `i64`.
pub fn int_value(i: &toml::de::DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

pub fn number(v: &Spanned<DeValue<'_>>) -> Option<f64> {
    match v.get_ref() {
        DeValue::Integer(i) => int_value(i).map(|n| n as f64).or_else(|| {
            // Too large for i64: still a number (range checks report it).
            (i.radix() == 10)
                .then(|| i.as_str().replace('_', "").parse::<f64>().ok())
                .flatten()
        }),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Read a date written as a TOML date (`2026-01-31`) or a quoted string.
pub fn read_date(ctx: &mut Ctx, key: &str, v: &Spanned<DeValue<'_>>) -> Option<Date> {
    let text = match v.get_ref() {
        DeValue::Datetime(dt) => {
            if dt.date.is_none() && dt.time.is_none() {
                // Unreadable date: the TOML parser has already reported it.
                return None;
            }
            if dt.date.is_none() || dt.time.is_some() || dt.offset.is_some() {
                ctx.error(
                    "bad-date",
                    v.span(),
                    format!("`{key}` must be a date without a time"),
                )
                .with_help_mut(format!("write it as `{key} = 2026-01-31`"));
                return None;
            }
            dt.to_string()
        }
        DeValue::String(s) => s.trim().to_string(),
        other => {
            ctx.error(
                "wrong-type",
                v.span(),
                format!("`{key}` must be a date, found {}", type_name(other)),
            )
            .with_help_mut(format!("write it as `{key} = 2026-01-31` (year-month-day)"));
            return None;
        }
    };
    parse_date(&text).or_else(|| {
        ctx.error("bad-date", v.span(), format!("`{text}` is not a real date"))
            .with_help_mut(
                "dates are written year-month-day, e.g. 2026-01-31, and must exist in the calendar",
            );
        None
    })
}

/// Strict `YYYY-MM-DD` (the calendar is checked: no 2025-02-30).
pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i16 = text.get(0..4)?.parse().ok()?;
    let m: i8 = text.get(5..7)?.parse().ok()?;
    let d: i8 = text.get(8..10)?.parse().ok()?;
    Date::new(y, m, d).ok()
}

/// Closest candidate by edit distance, if close enough to be a typo.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min()
        .map(|(_, c)| c)
}

/// Builder-style helpers on a diagnostic already pushed.
pub trait DiagExt {
    fn with_help_mut(&mut self, help: impl Into<String>) -> &mut Self;
    fn with_label_mut(&mut self, label: impl Into<String>) -> &mut Self;
}

impl DiagExt for Diagnostic {
    fn with_help_mut(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
    fn with_label_mut(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("2025-1-01").is_none());
        assert!(parse_date("31/01/2025").is_none());
    }

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(
            suggest("legal_nme", ["legal_name", "country"]),
            Some("legal_name")
        );
        assert_eq!(suggest("xyz", ["legal_name", "country"]), None);
    }
}
