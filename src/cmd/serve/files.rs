//! The served folder: writing each build into it (only what changed), and
//! mapping a request path to a file inside it — never outside.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// Characters escaped when a path segment is written back into a URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

use crate::render::write::SiteFiles;

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file inside the served folder.
    File(PathBuf),
    /// A folder requested without its trailing slash: redirect to this path,
    /// so that the pages' relative links resolve from the folder.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path that tries to leave the folder or reach hidden files.
    Refused,
}

/// Map a raw (still percent-encoded) request path to a file under `dir`.
///
/// `dir` must be canonical (symlinks resolved). Refused (the server answers
/// 404 as for a missing file): any
/// `.` or `..` segment (also percent-encoded), backslashes, NUL bytes, hidden
/// names (`.sovmap-site`, editors' files), paths that are not UTF-8, and
/// anything whose real location (after following symlinks) is not inside
/// `dir`. A folder serves its `index.html`.
pub fn resolve(dir: &Path, raw_path: &str) -> Resolved {
    let Ok(decoded) = percent_decode_str(raw_path).decode_utf8() else {
        return Resolved::Refused;
    };
    if decoded.contains(['\\', '\0']) {
        return Resolved::Refused;
    }
    let mut segments = Vec::new();
    let mut candidate = dir.to_path_buf();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment.starts_with('.') {
            return Resolved::Refused;
        }
        // After the checks above a segment is a plain name; make sure the
        // platform agrees (no prefix, root or parent component).
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(_)), None) => {
                candidate.push(segment);
                segments.push(segment);
            }
            _ => return Resolved::Refused,
        }
    }
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(dir) {
        return Resolved::Refused;
    }
    let Ok(meta) = fs::metadata(&real) else {
        return Resolved::NotFound;
    };
    if meta.is_dir() {
        if !decoded.ends_with('/') {
            // Rebuilt from the checked segments: never `//host` (off-site).
            let encoded: Vec<String> = segments
                .iter()
                .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
                .collect();
            return Resolved::Redirect(format!("/{}/", encoded.join("/")));
        }
        let index = real.join("index.html");
        return match index.canonicalize() {
            Ok(i) if i.starts_with(dir) && i.is_file() => Resolved::File(i),
            Ok(_) => Resolved::Refused,
            Err(_) => Resolved::NotFound,
        };
    }
    if meta.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// Content type from the file extension (the site holds few kinds of files).
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xml") => "application/xml",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The served folder and what was last written into it. Each build writes
/// only the files whose bytes changed (each through a temporary file and a
/// rename, so a request never sees half a file) and removes the files the
/// new build no longer has. The folder itself stays in place, so the server
/// needs no coordination with the writer.
pub struct Output {
    dir: PathBuf,
    /// Length and hash of each file written, not the bytes: a large site
    /// would otherwise be held twice in memory.
    written: BTreeMap<PathBuf, (usize, u64)>,
}

fn fingerprint(bytes: &[u8]) -> (usize, u64) {
    use std::hash::{DefaultHasher, Hasher};
    let mut h = DefaultHasher::new();
    h.write(bytes);
    (bytes.len(), h.finish())
}

impl Output {
    pub fn new(dir: PathBuf) -> Self {
        Output {
            dir,
            written: BTreeMap::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bring the folder to `files`; returns how many files were written or removed.
    pub fn sync(&mut self, files: &SiteFiles) -> io::Result<usize> {
        let mut touched = 0;
        let mut prints = BTreeMap::new();
        for (rel, bytes) in files {
            if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                return Err(io::Error::other(format!(
                    "refusing to write outside the served folder: {}",
                    rel.display()
                )));
            }
            let print = fingerprint(bytes);
            prints.insert(rel.clone(), print);
            if self.written.get(rel) == Some(&print) {
                continue;
            }
            let path = self.dir.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = path.with_file_name(format!(".{name}.tmp"));
            fs::write(&tmp, bytes)?;
            fs::rename(&tmp, &path)?;
            touched += 1;
        }
        for rel in self.written.keys() {
            if !files.contains_key(rel) {
                let path = self.dir.join(rel);
                let _ = fs::remove_file(&path);
                // Drop folders left empty; a folder that still holds files stays.
                let mut parent = path.parent();
                while let Some(p) = parent {
                    if p == self.dir || fs::remove_dir(p).is_err() {
                        break;
                    }
                    parent = p.parent();
                }
                touched += 1;
            }
        }
        self.written = prints;
        Ok(touched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("site");
        fs::create_dir_all(dir.join("services/db")).unwrap();
        fs::write(dir.join("index.html"), "home").unwrap();
        fs::write(dir.join("services/db/index.html"), "db").unwrap();
        fs::write(dir.join(".sovmap-site"), "marker").unwrap();
        fs::write(t.path().join("secret.txt"), "secret").unwrap();
        let dir = dir.canonicalize().unwrap();
        (t, dir)
    }

    #[test]
    fn files_and_folders_inside_are_served() {
        let (_t, dir) = folder();
        assert_eq!(resolve(&dir, "/"), Resolved::File(dir.join("index.html")));
        assert_eq!(
            resolve(&dir, "/services/db/"),
            Resolved::File(dir.join("services/db/index.html"))
        );
        assert_eq!(
            resolve(&dir, "/services/%64b/index.html"),
            Resolved::File(dir.join("services/db/index.html"))
        );
        assert_eq!(
            resolve(&dir, "/services/db"),
            Resolved::Redirect("/services/db/".into())
        );
    }

    #[test]
    fn traversal_and_hidden_files_are_not_found() {
        let (_t, dir) = folder();
        for p in [
            "/../secret.txt",
            "/services/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/services/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/..%5csecret.txt",
            "/services\\..\\..\\secret.txt",
            "/./index.html",
            "/.sovmap-site",
            "/index.html%00",
            "/%ff",
        ] {
            assert_eq!(resolve(&dir, p), Resolved::Refused, "{p}");
        }
        assert_eq!(resolve(&dir, "/missing.html"), Resolved::NotFound);
        assert_eq!(resolve(&dir, "/services/nothing/"), Resolved::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leaving_the_folder_are_not_followed() {
        let (t, dir) = folder();
        std::os::unix::fs::symlink(t.path().join("secret.txt"), dir.join("escape.txt")).unwrap();
        std::os::unix::fs::symlink(t.path(), dir.join("up")).unwrap();
        std::os::unix::fs::symlink(dir.join("index.html"), dir.join("home.html")).unwrap();
        assert_eq!(resolve(&dir, "/escape.txt"), Resolved::Refused);
        assert_eq!(resolve(&dir, "/up/secret.txt"), Resolved::Refused);
        assert_eq!(resolve(&dir, "/up/"), Resolved::Refused);
        // A link that stays inside is fine.
        assert_eq!(
            resolve(&dir, "/home.html"),
            Resolved::File(dir.join("index.html"))
        );
    }

    #[test]
    fn sync_writes_changes_and_removes_stale_files() {
        let t = tempfile::tempdir().unwrap();
        let mut out = Output::new(t.path().to_path_buf());
        let mut files = SiteFiles::new();
        files.insert("a/index.html".into(), b"a".to_vec());
        files.insert("b/x/index.html".into(), b"b".to_vec());
        assert_eq!(out.sync(&files).unwrap(), 2);
        assert_eq!(out.sync(&files).unwrap(), 0);
        files.insert("a/index.html".into(), b"a2".to_vec());
        files.remove(&PathBuf::from("b/x/index.html"));
        assert_eq!(out.sync(&files).unwrap(), 2);
        assert_eq!(fs::read(t.path().join("a/index.html")).unwrap(), b"a2");
        assert!(!t.path().join("b").exists());
        let mut bad = SiteFiles::new();
        bad.insert("../x".into(), Vec::new());
        assert!(out.sync(&bad).is_err());
    }
}
