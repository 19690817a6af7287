//! Reading files sovmap did not write, without being led out of the project
//! or blocked by a special file.
//!
//! A project folder comes from contributors (a pull request to the
//! declarations may add anything git can hold: symbolic links included), so
//! every file sovmap reads from it goes through [`read_inside`] and every
//! folder it lists through [`walk`]:
//!
//! - each entry is judged by its own type (`symlink_metadata`), never by what
//!   it points to;
//! - only regular files are read; a FIFO, socket or device is refused without
//!   being opened (and the file is opened non-blocking and checked again once
//!   open, so that one swapped in between cannot block the read either);
//! - a symbolic link is followed only when its target, fully resolved, is
//!   inside the project root; one that leads out is an error naming the link
//!   (never quoting what it points to), one that leads nowhere (dangling) is
//!   reported too.
//!
//! A path *written* outside the project (`../provider/transfers.json`) is the
//! author's explicit choice, visible in review: it is read as written, but
//! the file it names must still be a regular file.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// Nothing at that path.
    NotFound,
    /// A symbolic link (the path itself or a folder on the way) whose target
    /// does not exist.
    DanglingLink { link: PathBuf },
    /// A symbolic link (the path itself or a folder on the way) whose target
    /// is outside the project root.
    LinkOutside { link: PathBuf },
    /// Not a regular file: a folder, FIFO, socket or device ("a FIFO", …).
    NotRegular { kind: &'static str },
    /// Any other I/O error (permissions, …).
    Io(io::Error),
}

impl Refused {
    /// One line saying what is wrong with `shown` (the path as shown to the
    /// user), and what to do.
    pub fn message_and_help(&self, shown: &str, root: &Path) -> (String, String) {
        match self {
            Refused::NotFound => (
                format!("{shown}: no such file"),
                "check the path (relative to the project root)".to_string(),
            ),
            Refused::DanglingLink { link } => (
                format!(
                    "{shown}: symbolic link {} points to nothing",
                    link_name(root, link)
                ),
                "remove the link, or make it point to a file inside the project".to_string(),
            ),
            Refused::LinkOutside { link } => (
                format!(
                    "{shown}: symbolic link {} leads outside the project; it is not followed",
                    link_name(root, link)
                ),
                "sovmap reads only files inside the project folder: copy the file into the project instead of linking to it".to_string(),
            ),
            Refused::NotRegular { kind } => (
                format!("{shown}: {kind}, not a regular file; it was not opened"),
                "replace it with a regular file (or remove it)".to_string(),
            ),
            Refused::Io(e) => (
                format!("{shown}: cannot be read: {e}"),
                if e.kind() == io::ErrorKind::PermissionDenied {
                    "give the user running sovmap read access to the file (chmod a+r)".to_string()
                } else {
                    "check that the file is readable".to_string()
                },
            ),
        }
    }
}

fn link_name(root: &Path, link: &Path) -> String {
    format!("`{}`", crate::diag::display_path(root, link))
}

/// What a file type is, in words.
fn kind_of(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// `path` with `.` and `..` removed lexically (without following links).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The project root, canonical when it can be (symlinks resolved).
pub fn canonical_root(root: &Path) -> PathBuf {
    fs::canonicalize(root).unwrap_or_else(|_| absolute(root))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Where `path` really is, under the rules of this module: symbolic links
/// written inside `root` must resolve inside it. Returns the resolved path.
///
/// `root` is the project root (as given); `path` is under it or written
/// relative to it (`root.join(...)`).
pub fn resolve_inside(root: &Path, path: &Path) -> Result<PathBuf, Refused> {
    let croot = canonical_root(root);
    let written = lexical(&absolute(path));
    let written_inside = written.starts_with(lexical(&absolute(root)));
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A link on the way that leads nowhere is named; else not found.
            return Err(first_link(root, path, |p| fs::metadata(p).is_err())
                .map(|link| Refused::DanglingLink { link })
                .unwrap_or(Refused::NotFound));
        }
        Err(e) => return Err(Refused::Io(e)),
        Ok(_) => {}
    }
    let real = match fs::canonicalize(path) {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let link = first_link(root, path, |p| fs::metadata(p).is_err())
                .unwrap_or_else(|| path.to_path_buf());
            return Err(Refused::DanglingLink { link });
        }
        Err(e) => return Err(Refused::Io(e)),
    };
    if written_inside && !real.starts_with(&croot) {
        let link = first_link(root, path, |p| {
            fs::canonicalize(p).is_ok_and(|r| !r.starts_with(&croot))
        })
        .unwrap_or_else(|| path.to_path_buf());
        return Err(Refused::LinkOutside { link });
    }
    Ok(real)
}

/// The first symbolic link among `path` and the folders leading to it (from
/// `root` down) for which `bad` holds.
fn first_link(root: &Path, path: &Path, bad: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut here = if path.starts_with(root) {
        root.to_path_buf()
    } else {
        PathBuf::new()
    };
    for c in rel.components() {
        here.push(c.as_os_str());
        if matches!(c, Component::ParentDir | Component::CurDir) {
            continue;
        }
        if fs::symlink_metadata(&here).is_ok_and(|m| m.file_type().is_symlink()) && bad(&here) {
            return Some(here);
        }
    }
    None
}

/// Read the file at `path` (under `root`, or written relative to it) when
/// it is a regular file reached without a symbolic link leading out of the
/// project; never opens a special file, never blocks.
pub fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
    let real = resolve_inside(root, path)?;
    read_regular(&real)
}

/// Whether `path` may be read by [`read_inside`] (without reading it): the
/// resolved path of a regular file.
pub fn check_inside(root: &Path, path: &Path) -> Result<PathBuf, Refused> {
    let real = resolve_inside(root, path)?;
    let meta = fs::metadata(&real).map_err(Refused::Io)?;
    if meta.is_file() {
        Ok(real)
    } else {
        Err(Refused::NotRegular {
            kind: kind_of(meta.file_type()),
        })
    }
}

/// Read `path` if it is a regular file (following links), refusing anything
/// else without opening it, and never blocking on the open or the read.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, Refused> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Refused::NotFound,
        _ => Refused::Io(e),
    })?;
    if !meta.file_type().is_file() {
        return Err(Refused::NotRegular {
            kind: kind_of(meta.file_type()),
        });
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check above: opening it non-blocking
        // returns at once instead of waiting for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).map_err(Refused::Io)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.file_type().is_file() {
        return Err(Refused::NotRegular {
            kind: kind_of(meta.file_type()),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(1 << 26));
    file.read_to_end(&mut bytes).map_err(Refused::Io)?;
    Ok(bytes)
}

/// An entry of a walked folder that is not read.
#[derive(Debug)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: Refused,
    /// A symbolic link to a folder inside the project: not followed, but
    /// not an error either.
    pub link_to_folder: bool,
}

/// Regular files under `dir` (recursively, sorted), and the entries that
/// were not taken: special files, symbolic links that lead out of `root`
/// or nowhere, links to folders. Entries for which `hidden(name)` holds are
/// ignored. A symbolic link to a regular file inside the project is listed
/// (its path is the link's: [`read_inside`] follows it).
pub fn walk(
    root: &Path,
    dir: &Path,
    hidden: &dyn Fn(&str) -> bool,
) -> (Vec<PathBuf>, Vec<Skipped>) {
    let croot = canonical_root(root);
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                skipped.push(Skipped {
                    path: d,
                    why: Refused::Io(e),
                    link_to_folder: false,
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if hidden(&name) {
                continue;
            }
            let path = entry.path();
            let Ok(t) = entry.file_type() else { continue };
            if t.is_dir() {
                stack.push(path);
            } else if t.is_file() {
                files.push(path);
            } else if t.is_symlink() {
                match fs::canonicalize(&path) {
                    Err(_) => skipped.push(Skipped {
                        why: Refused::DanglingLink { link: path.clone() },
                        path,
                        link_to_folder: false,
                    }),
                    Ok(real) if !real.starts_with(&croot) => skipped.push(Skipped {
                        why: Refused::LinkOutside { link: path.clone() },
                        path,
                        link_to_folder: false,
                    }),
                    Ok(real) => match fs::metadata(&real) {
                        Ok(m) if m.is_file() => files.push(path),
                        Ok(m) if m.is_dir() => skipped.push(Skipped {
                            path,
                            why: Refused::NotRegular { kind: "a folder" },
                            link_to_folder: true,
                        }),
                        Ok(m) => skipped.push(Skipped {
                            path,
                            why: Refused::NotRegular {
                                kind: kind_of(m.file_type()),
                            },
                            link_to_folder: false,
                        }),
                        Err(e) => skipped.push(Skipped {
                            path,
                            why: Refused::Io(e),
                            link_to_folder: false,
                        }),
                    },
                }
            } else {
                skipped.push(Skipped {
                    path,
                    why: Refused::NotRegular { kind: kind_of(t) },
                    link_to_folder: false,
                });
            }
        }
    }
    files.sort();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    (files, skipped)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("no NUL");
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
        assert_eq!(rc, 0, "mkfifo {}", path.display());
    }

    #[test]
    fn links_out_of_the_root_special_files_and_dangling_links_are_refused() {
        let t = tempfile::tempdir().expect("tempdir");
        let root = t.path().join("p");
        fs::create_dir_all(root.join("c")).expect("mkdir");
        fs::write(t.path().join("secret"), "SECRET").expect("write");
        fs::write(root.join("c/ok.toml"), "ok").expect("write");
        symlink(t.path().join("secret"), root.join("c/out.toml")).expect("link");
        symlink(root.join("c/ok.toml"), root.join("c/in.toml")).expect("link");
        symlink(root.join("nothing"), root.join("c/dangling.toml")).expect("link");
        symlink(t.path(), root.join("c/up")).expect("link");
        symlink(root.join("c"), root.join("c/again")).expect("link");
        mkfifo(&root.join("c/fifo.toml"));

        assert_eq!(
            read_inside(&root, &root.join("c/ok.toml")).expect("ok"),
            b"ok"
        );
        assert_eq!(
            read_inside(&root, &root.join("c/in.toml")).expect("in"),
            b"ok"
        );
        assert!(matches!(
            read_inside(&root, &root.join("c/out.toml")),
            Err(Refused::LinkOutside { link }) if link == root.join("c/out.toml")
        ));
        // Through a linked folder: the folder is named.
        assert!(matches!(
            read_inside(&root, &root.join("c/up/secret")),
            Err(Refused::LinkOutside { link }) if link == root.join("c/up")
        ));
        assert!(matches!(
            read_inside(&root, &root.join("c/dangling.toml")),
            Err(Refused::DanglingLink { .. })
        ));
        assert!(matches!(
            read_inside(&root, &root.join("c/fifo.toml")),
            Err(Refused::NotRegular { kind }) if kind.contains("FIFO")
        ));
        assert!(matches!(
            read_inside(&root, &root.join("c/none.toml")),
            Err(Refused::NotFound)
        ));
        // Written outside the root: read as written.
        assert_eq!(
            read_inside(&root, &root.join("../secret")).expect("explicit"),
            b"SECRET"
        );
        assert!(matches!(
            read_regular(Path::new("/dev/null")),
            Err(Refused::NotRegular { .. })
        ));

        let (files, skipped) = walk(&root, &root.join("c"), &|n| n.starts_with('.'));
        let names = |v: Vec<&PathBuf>| -> Vec<String> {
            v.iter()
                .map(|p| crate::diag::display_path(&root, p))
                .collect()
        };
        assert_eq!(
            names(files.iter().collect()),
            ["c/in.toml", "c/ok.toml"],
            "{skipped:?}"
        );
        let what: Vec<(String, bool, String)> = skipped
            .iter()
            .map(|s| {
                (
                    crate::diag::display_path(&root, &s.path),
                    s.link_to_folder,
                    format!("{:?}", s.why)
                        .split([' ', '('])
                        .next()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect();
        assert_eq!(
            what,
            [
                ("c/again".to_string(), true, "NotRegular".to_string()),
                (
                    "c/dangling.toml".to_string(),
                    false,
                    "DanglingLink".to_string()
                ),
                ("c/fifo.toml".to_string(), false, "NotRegular".to_string()),
                ("c/out.toml".to_string(), false, "LinkOutside".to_string()),
                ("c/up".to_string(), false, "LinkOutside".to_string()),
            ]
        );
    }
}
