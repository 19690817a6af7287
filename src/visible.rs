//! Text from files sovmap did not write, made harmless for where it goes.
//!
//! Names and values come from a contributor's declarations or from another
//! company's `transfers.json`; printed raw, an escape sequence in one could
//! clear the screen, set the window title or overwrite the line saying a
//! provider fails the policy, and a bidirectional override could show a
//! line in another order than it is written. So:
//!
//! - terminal text (every text output of check, verify, diff, review, graph
//!   and serve's lines) goes through [`terminal`] (or [`visible`] for one
//!   value): control characters other than newline and tab, DEL, C1
//!   controls and bidirectional controls are written as `\u{1b}`;
//! - HTML pages and CSV cells go through [`replace_controls`]: the same
//!   characters become U+FFFD (shown as �), tab and newline kept;
//! - JSON output needs nothing here: serde_json escapes control characters.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or a page raw: C0 controls
/// (except tab and newline), DEL, C1 controls, and the bidirectional
/// formatting characters (embeddings, overrides, isolates, marks).
pub fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        '\u{200e}' | '\u{200f}' | '\u{061c}' => true,
        // Line and paragraph separators: new lines in some terminals.
        '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

fn push_escaped(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:x}}}", c as u32));
}

/// `s` with every unsafe character (see [`is_unsafe`]) written visibly as
/// `\u{1b}`; newline and tab kept.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value on one line (a name in a list): as [`visible`], and newline
/// and tab escaped too, so that a value cannot start a line of its own.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) || c == '\n' || c == '\t' {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A whole text output for a terminal. Without colour, as [`visible`]. With
/// colour, the colouring sovmap itself writes is kept — SGR sequences
/// (`ESC [ … m`) setting foreground colours, bold, dim, italic, underline
/// or resetting them — and every other escape sequence is made visible
/// (a name cannot conceal text, move the cursor or set the title).
pub fn terminal(s: &str, color: bool) -> Cow<'_, str> {
    if !color {
        return visible(s);
    }
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = harmless_sgr(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Length of the SGR sequence at the start of `s` when it only sets
/// foreground colours or text weight (what sovmap and miette write).
fn harmless_sgr(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let end = body.find('m')?;
    let params = &body[..end];
    if params.len() > 32 || !params.chars().all(|c| c.is_ascii_digit() || c == ';') {
        return None;
    }
    let nums: Vec<u32> = if params.is_empty() {
        Vec::new()
    } else {
        params
            .split(';')
            .map(|p| {
                if p.is_empty() {
                    Some(0)
                } else {
                    p.parse().ok()
                }
            })
            .collect::<Option<Vec<u32>>>()?
    };
    let mut i = 0;
    while i < nums.len() {
        match nums[i] {
            0..=4 | 22..=24 | 39 | 30..=37 | 90..=97 => i += 1,
            // 38;5;n and 38;2;r;g;b: a foreground colour.
            38 => match nums.get(i + 1) {
                Some(5) => i += 3,
                Some(2) => i += 5,
                _ => return None,
            },
            _ => return None,
        }
    }
    if i != nums.len() {
        return None;
    }
    Some(2 + end + 1)
}

/// `s` with every unsafe character replaced by U+FFFD (for HTML pages and
/// CSV cells, where an escape would read as part of the name); a carriage
/// return is kept there (white space in HTML, quoted in CSV, half of a
/// Windows line end in Markdown).
pub fn replace_controls(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c != '\r' && is_unsafe(c);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if bad(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_made_visible() {
        let s = "a\u{1b}]0;pwned\u{7}b\0c\rd\u{202e}e\u{7f}f\u{85}\tg\nh";
        assert_eq!(
            visible(s),
            "a\\u{1b}]0;pwned\\u{7}b\\u{0}c\\u{d}d\\u{202e}e\\u{7f}f\\u{85}\tg\nh"
        );
        assert_eq!(one_line("a\nb\tc"), "a\\u{a}b\\u{9}c");
        assert!(matches!(visible("plain é ü 中"), Cow::Borrowed(_)));
        assert_eq!(
            replace_controls("a\u{1b}[2Jb\u{202e}\r\n\0"),
            "a\u{fffd}[2Jb\u{fffd}\r\n\u{fffd}"
        );
    }

    #[test]
    fn colour_is_kept_and_other_sequences_are_not() {
        let ours = "\u{1b}[1m\u{1b}[31mFAILS\u{1b}[0m \u{1b}[38;2;10;20;30mx\u{1b}[39m";
        assert_eq!(terminal(ours, true), ours);
        assert_eq!(
            terminal(ours, false),
            "\\u{1b}[1m\\u{1b}[31mFAILS\\u{1b}[0m \\u{1b}[38;2;10;20;30mx\\u{1b}[39m"
        );
        // Conceal, cursor up, clear screen, title, background: all visible.
        for bad in [
            "\u{1b}[8m",
            "\u{1b}[1A",
            "\u{1b}[2J",
            "\u{1b}]0;t\u{7}",
            "\u{1b}[41m",
        ] {
            let out = terminal(bad, true);
            assert!(!out.contains('\u{1b}'), "{bad:?} → {out:?}");
        }
    }
}
