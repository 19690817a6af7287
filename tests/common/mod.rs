//! Helpers shared by the integration tests: where the fixtures are, running
//! the `sovmap` binary on a project folder, and reading its JSON output.

// Each test crate that declares `mod common;` uses its own subset.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde::Deserialize;

/// The repository root: also the valid example project (`sovmap.toml` + `content/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// `tests/fixtures/invalid/NAME`, which must exist.
pub fn invalid_fixture(name: &str) -> PathBuf {
    let p = fixtures().join("invalid").join(name);
    assert!(p.is_dir(), "missing fixture folder {}", p.display());
    p
}

/// The `sovmap` binary built for this test run, without colours.
pub fn sovmap() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sovmap"));
    c.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(60));
    c
}

/// What one run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    /// `None` when the process was killed (timeout, signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// `sovmap check --root ROOT --color never ARGS…`.
pub fn check(root: &Path, args: &[&str]) -> Run {
    let out = sovmap()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .output()
        .expect("run sovmap");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// One entry of the JSON `diagnostics` (invalid input) or `notes` (analysed) array.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Diag {
    /// As printed: `sovmap::unknown-key`.
    pub code: String,
    pub level: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
}

impl Diag {
    /// The code without the `sovmap::` prefix, as in the text output.
    pub fn short_code(&self) -> &str {
        self.code.strip_prefix("sovmap::").unwrap_or(&self.code)
    }

    /// `file:line:col level[code]: message` for failure messages.
    pub fn describe(&self) -> String {
        format!(
            "{}:{}:{} {}[{}]: {}",
            self.file.as_deref().unwrap_or("-"),
            self.line
                .map(|l| l.to_string())
                .unwrap_or_else(|| "-".into()),
            self.column
                .map(|c| c.to_string())
                .unwrap_or_else(|| "-".into()),
            self.level,
            self.short_code(),
            self.message
        )
    }
}

/// The parts of `sovmap check --format json` the tests look at.
#[derive(Debug, Deserialize)]
pub struct JsonReport {
    pub format_version: u32,
    pub status: String,
    /// Present when `status == "invalid"`.
    #[serde(default)]
    pub diagnostics: Vec<Diag>,
    /// Present when `status == "analysed"`.
    #[serde(default)]
    pub notes: Vec<Diag>,
}

/// Run `check --format json` and parse stdout.
pub fn check_json(root: &Path) -> (Option<i32>, JsonReport) {
    let run = check(root, &["--format", "json"]);
    let report: JsonReport = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout of `sovmap check --format json --root {}` is not the expected JSON ({e}); exit {:?}\nstdout:\n{}\nstderr:\n{}",
            root.display(),
            run.code,
            run.stdout,
            run.stderr
        )
    });
    (run.code, report)
}

/// Copy a directory tree (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Copy the valid example project (`sovmap.toml` and `content/` of the
/// repository) into `dst`.
pub fn copy_example(dst: &Path) {
    let root = repo_root();
    fs::copy(root.join("sovmap.toml"), dst.join("sovmap.toml")).expect("copy sovmap.toml");
    copy_dir(&root.join("content"), &dst.join("content"));
}

/// Every file under `dir`, sorted, as paths relative to `base`.
pub fn files_under(base: &Path, dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    let mut rel: Vec<PathBuf> = out
        .into_iter()
        .map(|p| p.strip_prefix(base).expect("under base").to_path_buf())
        .collect();
    rel.sort();
    rel
}
