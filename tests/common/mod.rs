//! Helpers shared by the integration tests: where the fixtures are, running
//! the `sovmap` binary on a project folder, copying projects, and reading
//! its JSON output (typed for diagnostics, as a [`JsonRun`] for findings).
//!
//! Runs of `check` on the fixture projects of `tests/fixtures/sites/` are
//! cached per (project, arguments) ([`check_fixture`]) so that several tests
//! can look at the same run without paying for it again.

// Each test crate that declares `mod common;` uses its own subset.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use assert_cmd::Command;
use serde::Deserialize;
use serde_json::Value;

/// The repository root: also the valid example project (`sovmap.toml` + `content/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// `tests/fixtures/sites/NAME`: a fixture project of the end-to-end tests.
pub fn site_fixture(name: &str) -> PathBuf {
    fixtures().join("sites").join(name)
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

/// Copy a fixture of `tests/fixtures/sites/` into a temporary folder (to vary
/// `sovmap.toml` or drop a file).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&site_fixture(name), dir.path());
    dir
}

/// Append text to a file of a copied fixture.
pub fn append(dir: &Path, file: &str, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join(file))
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

// ---------------------------------------------------------------------------
// `check --format json` as a JSON value: findings, transfers, services

/// One run of `sovmap check --format json`.
#[derive(Debug)]
pub struct JsonRun {
    pub code: i32,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
    /// What was run, for failure messages.
    pub what: String,
}

/// Run `sovmap check --root <root> --format json <extra…>`, uncached.
pub fn run_check(root: &Path, extra: &[&str]) -> JsonRun {
    let out = sovmap()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--format", "json", "--color", "never"])
        .args(extra)
        .output()
        .expect("sovmap runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let what = format!("sovmap check --root {} {}", root.display(), extra.join(" "));
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("{what}: stdout is not JSON ({e})\nstdout:\n{stdout}\nstderr:\n{stderr}")
    });
    JsonRun {
        code: out.status.code().expect("sovmap exited normally"),
        json,
        stdout,
        stderr,
        what,
    }
}

/// Run `sovmap check` on a fixture of `tests/fixtures/sites/` (`.`: the
/// example project) with extra arguments, cached.
pub fn check_fixture(name: &str, extra: &[&str]) -> Arc<JsonRun> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<JsonRun>>>> = OnceLock::new();
    let key = format!("{name}\u{0}{}", extra.join("\u{0}"));
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().unwrap().get(&key) {
        return r.clone();
    }
    let root = if name == "." {
        repo_root()
    } else {
        site_fixture(name)
    };
    let run = Arc::new(run_check(&root, extra));
    cache.lock().unwrap().insert(key, run.clone());
    run
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

impl JsonRun {
    /// Exit code must be `code`.
    pub fn assert_exit(&self, code: i32) {
        assert_eq!(
            self.code,
            code,
            "{}: exit code\nfindings:\n{}\nstderr:\n{}",
            self.what,
            self.summary(),
            self.stderr
        );
    }

    pub fn findings(&self) -> &Vec<Value> {
        self.json["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no `findings` array", self.what))
    }

    /// One line per finding, for failure messages.
    pub fn summary(&self) -> String {
        self.json["findings"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        format!(
                            "  {} {} {}:{} services={:?} countries={:?} laws={:?}",
                            f["severity"].as_str().unwrap_or("?"),
                            f["code"].as_str().unwrap_or("?"),
                            f["subject"]["kind"].as_str().unwrap_or("?"),
                            f["subject"]["id"].as_str().unwrap_or("?"),
                            strs(&f["services"]),
                            strs(&f["countries"]),
                            strs(&f["laws"]),
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// Findings about a subject (`"site:gva-dr"`, `"access:ops-pune"`…).
    pub fn about(&self, subject: &str) -> Vec<&Value> {
        let (kind, id) = subject.split_once(':').expect("subject is kind:id");
        self.findings()
            .iter()
            .filter(|f| f["subject"]["kind"] == kind && f["subject"]["id"] == id)
            .collect()
    }

    /// Codes of the findings about a subject, sorted.
    pub fn codes_about(&self, subject: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .about(subject)
            .iter()
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect();
        v.sort();
        v
    }

    /// The single finding with this code about this subject.
    pub fn finding(&self, code: &str, subject: &str) -> &Value {
        let found: Vec<&Value> = self
            .about(subject)
            .into_iter()
            .filter(|f| f["code"] == code)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{}: expected exactly one {code} about {subject}\nfindings:\n{}",
            self.what,
            self.summary()
        );
        found[0]
    }

    /// Assert the finding with this code about this subject has the severity,
    /// services and countries given; returns it for further checks.
    pub fn expect(
        &self,
        code: &str,
        severity: &str,
        subject: &str,
        services: &[&str],
        countries: &[&str],
    ) -> &Value {
        let f = self.finding(code, subject);
        assert_eq!(
            f["severity"], severity,
            "{}: severity of {code} about {subject}",
            self.what
        );
        assert_eq!(
            strs(&f["services"]),
            services,
            "{}: services of {code} about {subject}",
            self.what
        );
        assert_eq!(
            strs(&f["countries"]),
            countries,
            "{}: countries of {code} about {subject}",
            self.what
        );
        f
    }

    /// No finding with this code about this subject.
    pub fn assert_none(&self, code: &str, subject: &str) {
        let n = self
            .about(subject)
            .iter()
            .filter(|f| f["code"] == code)
            .count();
        assert_eq!(
            n,
            0,
            "{}: unexpected {code} about {subject}\nfindings:\n{}",
            self.what,
            self.summary()
        );
    }

    /// The (code, subject) pairs of every finding of this severity, sorted.
    pub fn at_severity(&self, severity: &str) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .findings()
            .iter()
            .filter(|f| f["severity"] == severity)
            .map(|f| {
                (
                    f["code"].as_str().unwrap_or_default().to_string(),
                    format!(
                        "{}:{}",
                        f["subject"]["kind"].as_str().unwrap_or_default(),
                        f["subject"]["id"].as_str().unwrap_or_default()
                    ),
                )
            })
            .collect();
        v.sort();
        v
    }

    /// A transfer by id (`flow:x`, `access:y`).
    pub fn transfer(&self, id: &str) -> Option<&Value> {
        self.json["transfers"]
            .as_array()
            .and_then(|a| a.iter().find(|t| t["id"] == id))
    }

    /// An exposure by id (`exposure:<entity>:<country>`).
    pub fn exposure(&self, id: &str) -> Option<&Value> {
        self.json["exposures"]
            .as_array()
            .and_then(|a| a.iter().find(|t| t["id"] == id))
    }

    /// Ids of every exposure, sorted.
    pub fn exposure_ids(&self) -> Vec<String> {
        let mut v: Vec<String> = self.json["exposures"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x["id"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// A service's analysis.
    pub fn service(&self, id: &str) -> &Value {
        let s = &self.json["services"][id];
        assert!(
            s.is_object(),
            "{}: no service {id} in the output",
            self.what
        );
        s
    }

    /// The EXI 31 form of a service.
    pub fn form(&self, service: &str) -> String {
        self.service(service)["form"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Entity ids of a service's chapter 8 rows, in output order.
    pub fn actors(&self, service: &str) -> Vec<String> {
        self.service(service)["actors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| r["entity"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A service's chapter 8 row for an entity.
    pub fn actor(&self, service: &str, entity: &str) -> &Value {
        self.service(service)["actors"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["entity"] == entity))
            .unwrap_or_else(|| panic!("{}: {entity} is not an actor of {service}", self.what))
    }
}

/// String values of a JSON array.
pub fn list(v: &Value) -> Vec<String> {
    strs(v)
}

/// The text of a JSON string field, or "".
pub fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}
