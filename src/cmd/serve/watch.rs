//! Watching the project: file events are debounced (an editor's save storm
//! of write, rename and chmod becomes one batch), filtered to what the build
//! reads, and each batch triggers one rebuild on a thread of its own.
//!
//! Besides `sovmap.toml` and the project's folders, the build reads files the
//! declarations name, anywhere (a provider's `publication`, `previous`): each
//! is watched through the nearest folder on its path that exists, so that a
//! file copied in later, or a folder created on the way, rebuilds too.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify::event::{AccessKind, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::Builder;
use crate::diag::display_path;

/// Quiet time after the last event before rebuilding. Editors write a file
/// in several system calls within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Folders under the project root whose changes affect the site.
const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// The rebuilding thread and its file watcher.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Watcher {
    /// Watch `root` and rebuild with `builder` on every relevant change.
    pub fn start(root: &Path, builder: Builder) -> Result<Watcher, String> {
        let (tx, rx) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
            .map_err(|e| format!("cannot watch the project's files: {e}"))?;
        let root = root.to_path_buf();
        let abs_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let mut watched = BTreeSet::new();
        add_watches(&mut debouncer, &abs_root, &mut watched);
        let external = watch_external(&mut debouncer, &abs_root, &builder.external, &mut watched);
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sovmap-rebuild".into())
            .spawn(move || {
                let state = WatchState {
                    root: abs_root,
                    watched,
                    external,
                };
                rebuild_loop(rx, debouncer, builder, state, thread_stop);
            })
            .map_err(|e| format!("cannot start the rebuilding thread: {e}"))?;
        Ok(Watcher { stop, thread })
    }

    /// Stop watching; waits for a build in progress so that it does not write
    /// into a folder being removed.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.thread.join();
    }
}

type ProjectDebouncer = Debouncer<RecommendedWatcher, RecommendedCache>;

/// What the rebuilding thread watches.
struct WatchState {
    /// The project root, canonical.
    root: PathBuf,
    /// Folders with a watch: the root (not recursive), each of
    /// [`WATCHED_DIRS`] (recursive), and the folders of [`External`] files.
    watched: BTreeSet<PathBuf>,
    external: Vec<External>,
}

/// A file the build reads outside the watched folders.
#[derive(Debug, Clone, PartialEq, Eq)]
struct External {
    /// The file, under `dir` (which may not hold it yet).
    file: PathBuf,
    /// The nearest folder on the file's path that exists, canonical; watched,
    /// not recursively.
    dir: PathBuf,
}

impl External {
    /// `path` (absolute, or relative to `root`) and the nearest existing
    /// folder on its way; `None` if no folder on the path exists or the path
    /// climbs (`..`) out of a folder that does not exist.
    fn new(root: &Path, path: &Path) -> Option<External> {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            root.join(path)
        };
        let mut dir = abs.parent()?;
        let mut rest = vec![abs.file_name()?];
        loop {
            if let Ok(canonical) = dir.canonicalize()
                && canonical.is_dir()
            {
                let mut file = canonical.clone();
                for part in rest.iter().rev() {
                    file.push(part);
                }
                return Some(External {
                    file,
                    dir: canonical,
                });
            }
            rest.push(dir.file_name()?);
            dir = dir.parent()?;
        }
    }

    /// Whether an event on `path` can change this file: the file itself, or
    /// a folder on its way created, renamed or removed.
    fn affected_by(&self, path: &Path) -> bool {
        path.starts_with(&self.dir) && self.file.starts_with(path)
    }
}

/// Watch the folders of the files outside the project's folders that the
/// last build named; returns those files.
fn watch_external(
    d: &mut ProjectDebouncer,
    root: &Path,
    files: &[PathBuf],
    watched: &mut BTreeSet<PathBuf>,
) -> Vec<External> {
    let mut out = Vec::new();
    for f in files {
        // Named relative to the working folder when `--root` is (`serve
        // --root my-map`): made absolute as the build opened them.
        let f = std::path::absolute(f).unwrap_or_else(|_| f.clone());
        let Some(e) = External::new(root, &f) else {
            continue;
        };
        // Already seen through the project's own watches.
        if relevant(root, &e.file, &[]).is_some() {
            continue;
        }
        if !watched.contains(&e.dir) {
            let _ = d.unwatch(&e.dir);
            match d.watch(&e.dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    watched.insert(e.dir.clone());
                }
                Err(err) => esay!("warning: cannot watch {}: {err}", e.dir.display()),
            }
        }
        out.push(e);
    }
    out
}

/// Watch the root itself (for `sovmap.toml` and folders created later) and
/// each existing folder of [`WATCHED_DIRS`], recursively.
fn add_watches(d: &mut ProjectDebouncer, root: &Path, watched: &mut BTreeSet<PathBuf>) {
    if watched.insert(root.to_path_buf())
        && let Err(e) = d.watch(root, RecursiveMode::NonRecursive)
    {
        esay!("warning: cannot watch {}: {e}", root.display());
    }
    for name in WATCHED_DIRS {
        let dir = root.join(name);
        if !dir.is_dir() || watched.contains(&dir) {
            continue;
        }
        let _ = d.unwatch(&dir);
        if d.watch(&dir, RecursiveMode::Recursive).is_ok() {
            watched.insert(dir);
        }
    }
}

fn rebuild_loop(
    rx: mpsc::Receiver<DebounceEventResult>,
    mut debouncer: ProjectDebouncer,
    mut builder: Builder,
    mut state: WatchState,
    stop: Arc<AtomicBool>,
) {
    loop {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let first = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Batches that arrived meanwhile (during a long build) go into the same rebuild.
        let mut changed = BTreeSet::new();
        for batch in std::iter::once(first).chain(rx.try_iter()) {
            match batch {
                Ok(events) => {
                    for e in events {
                        if !affects_build(&e.kind) {
                            continue;
                        }
                        // A watched folder removed or created again (a branch
                        // switch, an archive unpacked) needs a new watch.
                        if matches!(e.kind, EventKind::Create(_) | EventKind::Remove(_)) {
                            for p in &e.paths {
                                if p.parent() == Some(state.root.as_path())
                                    || (p != &state.root && state.watched.contains(p))
                                {
                                    state.watched.remove(p);
                                }
                            }
                        }
                        for p in &e.paths {
                            if let Some(rel) = relevant(&state.root, p, &state.external) {
                                changed.insert(rel);
                            }
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        esay!("warning: watching files: {e}");
                    }
                }
            }
        }
        if changed.is_empty() || stop.load(Ordering::SeqCst) {
            continue;
        }
        let changed: Vec<String> = changed.into_iter().collect();
        builder.build(&changed);
        add_watches(&mut debouncer, &state.root, &mut state.watched);
        state.external = watch_external(
            &mut debouncer,
            &state.root,
            &builder.external,
            &mut state.watched,
        );
    }
    debouncer.stop();
}

/// Reading a file (the build does) must not trigger a build.
fn affects_build(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(AccessKind::Open(_) | AccessKind::Read | AccessKind::Close(_))
            | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// The path relative to the project (as given if outside it), if the build
/// reads it: `sovmap.toml` or a file under one of [`WATCHED_DIRS`], not
/// hidden, not an editor backup; or one of the `external` files (or a folder
/// on its way).
fn relevant(root: &Path, path: &Path, external: &[External]) -> Option<String> {
    if external.iter().any(|e| e.affected_by(path)) {
        return Some(display_path(root, path));
    }
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = match parts.next()? {
        Component::Normal(n) => n.to_str()?,
        _ => return None,
    };
    let top_ok = first == crate::load::CONFIG_FILE || (WATCHED_DIRS.contains(&first));
    if !top_ok {
        return None;
    }
    let hidden = rel.components().any(|c| {
        let n = c.as_os_str().to_string_lossy();
        n.starts_with('.') || n.ends_with('~') || n.starts_with('#') || n.ends_with(".swp")
    });
    if hidden {
        return None;
    }
    Some(display_path(root, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_build_reads_is_relevant() {
        let root = Path::new("/p");
        // (path, whether a change to it rebuilds the site)
        let cases = [
            ("/p/sovmap.toml", true),
            ("/p/content/sites/a.toml", true),
            ("/p/themes/t/templates/base.html", true),
            ("/p/templates/x.html", true),
            ("/p/static/logo.svg", true),
            ("/p/content", true),
            ("/p/site/index.html", false),
            ("/p/target/debug/x", false),
            ("/p/content/sites/.a.toml.swp", false),
            ("/p/content/sites/a.toml~", false),
            ("/p/content/sites/#a.toml#", false),
            ("/p/README.md", false),
            ("/other/content/a.toml", false),
        ];
        for (p, rebuilds) in cases {
            let got = relevant(root, Path::new(p), &[]).is_some();
            assert_eq!(got, rebuilds, "{p}");
        }
        assert!(!affects_build(&EventKind::Access(AccessKind::Read)));
        assert!(affects_build(&EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn an_external_file_is_watched_through_its_nearest_existing_folder() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().canonicalize().expect("canonical temp dir");
        let project = root.join("me");
        std::fs::create_dir_all(project.join("providers")).expect("mkdir");
        std::fs::create_dir_all(root.join("host/site")).expect("mkdir");

        // Its folder exists: that folder, `..` resolved.
        let e =
            External::new(&project, Path::new("../host/site/transfers.json")).expect("resolved");
        assert_eq!(e.dir, root.join("host/site"));
        assert_eq!(e.file, root.join("host/site/transfers.json"));
        let ext = [e];
        assert!(relevant(&project, &root.join("host/site/transfers.json"), &ext).is_some());
        assert!(relevant(&project, &root.join("host/site/index.html"), &ext).is_none());

        // Not there yet: the nearest existing folder, and a folder created on
        // the way counts.
        let e =
            External::new(&project, Path::new("providers/up/v2/transfers.json")).expect("resolved");
        assert_eq!(e.dir, project.join("providers"));
        let ext = [e];
        assert!(relevant(&project, &project.join("providers/up"), &ext).is_some());
        assert!(
            relevant(
                &project,
                &project.join("providers/up/v2/transfers.json"),
                &ext
            )
            .is_some()
        );
        assert!(relevant(&project, &project.join("providers/other"), &ext).is_none());
        assert!(relevant(&project, &project.join("README.md"), &ext).is_none());

        // Climbing out of a folder that does not exist: not watched.
        assert!(External::new(&project, Path::new("nope/../../x.json")).is_none());
    }
}
