//! Progress on stderr for the long stages of a command (loading and
//! analysing a large inventory, rendering its pages): a spinner with the
//! stage, the files written so far and the elapsed time.
//!
//! Shown only when it helps: stderr is a terminal, `-q` was not given, and
//! the stage has lasted more than about a second (a small project never sees
//! it). It is cleared before anything else is printed, so that it never
//! mixes with findings or errors.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::Global;

/// How long a stage runs before the spinner appears; `SOVMAP_PROGRESS_DELAY_MS`
/// changes it (tests).
const DELAY: Duration = Duration::from_millis(1000);

pub struct Progress {
    bar: Option<ProgressBar>,
}

fn delay() -> Duration {
    std::env::var("SOVMAP_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(DELAY)
}

impl Progress {
    /// A spinner saying `message`; with `count_files`, also the number of
    /// files written so far ([`Progress::file_written`]).
    pub fn start(global: &Global, message: &str, count_files: bool) -> Progress {
        if global.quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let template = if count_files {
            "{spinner} {msg}: {pos} files ({elapsed})"
        } else {
            "{spinner} {msg} ({elapsed})"
        };
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        let shown = bar.clone();
        let wait = delay();
        std::thread::spawn(move || {
            std::thread::sleep(wait);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// One more file written.
    pub fn file_written(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// Stop and erase the spinner (before printing anything else).
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
