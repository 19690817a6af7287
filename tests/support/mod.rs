//! Helpers for the end-to-end tests: run the `sovmap` binary on a fixture
//! project (`tests/fixtures/sites/<name>`) and query its JSON output.
//!
//! Runs are cached per (project, arguments) so that several tests can look at
//! the same run without paying for it again.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use assert_cmd::Command;
use serde_json::Value;

/// Path of a fixture project.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(name)
}

/// The repository root, which holds the example project.
pub fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One run of `sovmap check --format json`.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
    /// What was run, for failure messages.
    pub what: String,
}

/// Run `sovmap check --root <root> --format json <extra…>`, uncached.
pub fn run_check(root: &Path, extra: &[&str]) -> Run {
    let mut cmd = Command::cargo_bin("sovmap").expect("the sovmap binary is built");
    cmd.arg("check")
        .arg("--root")
        .arg(root)
        .args(["--format", "json", "--color", "never"])
        .args(extra)
        .env("NO_COLOR", "1");
    let out = cmd.output().expect("sovmap runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let what = format!("sovmap check --root {} {}", root.display(), extra.join(" "));
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("{what}: stdout is not JSON ({e})\nstdout:\n{stdout}\nstderr:\n{stderr}")
    });
    Run {
        code: out.status.code().expect("sovmap exited normally"),
        json,
        stdout,
        stderr,
        what,
    }
}

/// Run `sovmap check` on a fixture with extra arguments, cached.
pub fn check(name: &str, extra: &[&str]) -> Arc<Run> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Run>>>> = OnceLock::new();
    let key = format!("{name}\u{0}{}", extra.join("\u{0}"));
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().unwrap().get(&key) {
        return r.clone();
    }
    let root = if name == "." {
        example_root()
    } else {
        fixture(name)
    };
    let run = Arc::new(run_check(&root, extra));
    cache.lock().unwrap().insert(key, run.clone());
    run
}

/// Copy a fixture into a temporary folder (to vary `sovmap.toml` or drop a file).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
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

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

impl Run {
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
