//! `sovmap serve`: build the site into a temporary folder, serve it over
//! HTTP on the local machine, rebuild when the project changes and reload
//! the open pages.
//!
//! The build is the same pipeline as `sovmap build` (load → analysis →
//! [`crate::render::site::render`]); only the pages written here differ: a
//! live-reload script is added and their Content-Security-Policy allows it
//! ([`overlay::make_live`]). When the project does not build, pages are
//! replaced by an error page ([`overlay::overlay_html`]) until it does.
//!
//! State is passed explicitly: the server's handlers share one [`Shared`]
//! (the served folder, the current failure, the build id) with the thread
//! that rebuilds; nothing is global.

/// Print a line on stdout, ignoring errors: a closed pipe (`sovmap serve |
/// head`) must not stop the server, as `println!` would by panicking.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        // Paths and messages may come from the project: no raw control
        // character reaches the terminal.
        let line = crate::visible::visible(&format!($($t)*)).into_owned();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }};
}

/// [`say!`] on stderr.
macro_rules! esay {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let line = crate::visible::visible(&format!($($t)*)).into_owned();
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }};
}

pub mod files;
pub mod overlay;
mod watch;

use std::convert::Infallible;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;

use crate::cli::{EXIT_INVALID, EXIT_OK, Global, ServeArgs};
use crate::diag::Diagnostics;
use crate::render::site;
use crate::render::write::SiteFiles;
use files::{Output, Resolved};
use overlay::Failure;

/// `sovmap serve`: the options from the command line, then [`serve`].
pub fn run(global: &Global, args: &ServeArgs) -> i32 {
    let opts = Options {
        root: global.root.clone(),
        as_of: global.as_of,
        interface: args.interface,
        port: args.port,
        color: global.use_color(),
        quiet: global.quiet,
    };
    match serve(opts) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {}", crate::visible::visible(&e.to_string()));
            EXIT_INVALID
        }
    }
}

/// Port tried first when `--port` is not given; the next ones follow if it is taken.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after [`DEFAULT_PORT`] are tried.
const PORT_TRIES: u16 = 20;

/// What `sovmap serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub as_of: Option<Date>,
    pub interface: IpAddr,
    /// `None`: [`DEFAULT_PORT`] or the next free one. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub color: bool,
    pub quiet: bool,
}

/// Why the project did not build.
pub enum BuildError {
    /// The declarations are invalid (located diagnostics).
    Invalid(Diagnostics),
    /// The templates failed.
    Render(String),
}

/// The build pipeline of `sovmap build`, in memory: the site's files, or why
/// there are none (findings do not stop a preview: the pages show them);
/// and the files outside `content/` the project names (a provider's
/// `publication`, `previous`), to watch as well.
fn build_site_and_inputs(
    root: &Path,
    as_of: Option<Date>,
) -> (Result<SiteFiles, BuildError>, Vec<PathBuf>) {
    let (checked, external) = crate::check_project_and_inputs(root, as_of);
    let site = match checked {
        Ok((checked, _)) => {
            site::render(&checked, root).map_err(|e| BuildError::Render(e.to_string()))
        }
        Err(diags) => Err(BuildError::Invalid(diags)),
    };
    (site, external)
}

/// State shared by the server's handlers and the rebuilding thread.
pub struct Shared {
    /// The served folder, canonical (symlinks resolved).
    dir: PathBuf,
    /// Why the last build failed; `None` once it succeeds.
    failure: RwLock<Option<Arc<Failure>>>,
    /// Changes after every build that changed something; pages reload on it.
    build_id: tokio::sync::watch::Sender<String>,
}

impl Shared {
    fn failure(&self) -> Option<Arc<Failure>> {
        match self.failure.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set_failure(&self, f: Option<Arc<Failure>>) {
        match self.failure.write() {
            Ok(mut g) => *g = f,
            Err(poisoned) => *poisoned.into_inner() = f,
        }
    }
}

/// Builds the project into the served folder and tells the pages.
struct Builder {
    root: PathBuf,
    as_of: Option<Date>,
    output: Output,
    shared: Arc<Shared>,
    color: bool,
    quiet: bool,
    /// Distinguishes this run's build ids from a previous server's.
    run_id: String,
    builds: u64,
    /// Files outside the watched folders that the last build named (see
    /// [`crate::load::Loaded::external`]); the watcher adds them.
    external: Vec<PathBuf>,
}

impl Builder {
    /// Build once; `changed` lists what triggered it (empty at start).
    fn build(&mut self, changed: &[String]) {
        let started = Instant::now();
        let (result, external) = build_site_and_inputs(&self.root, self.as_of);
        self.external = external;
        let was_failing = self.shared.failure().is_some();
        let outcome = match result {
            Ok(mut files) => {
                let pages = files
                    .keys()
                    .filter(|p| p.extension().is_some_and(|e| e == "html"))
                    .count();
                overlay::make_live(&mut files);
                match self.output.sync(&files) {
                    Ok(touched) => Ok((pages, touched)),
                    Err(e) => Err(Failure::other(
                        "the site could not be written",
                        format!("cannot write into {}: {e}", self.output.dir().display()),
                    )),
                }
            }
            Err(BuildError::Invalid(diags)) => {
                if !self.quiet || diags.has_errors() {
                    let mut err = std::io::stderr().lock();
                    let _ = err.write_all(diags.render(self.color).as_bytes());
                }
                Err(Failure::from_diagnostics(&diags))
            }
            Err(BuildError::Render(msg)) => Err(Failure::other("the templates failed", msg)),
        };
        let ms = started.elapsed().as_millis();
        let trigger = if changed.is_empty() {
            String::new()
        } else if changed.len() == 1 {
            format!("{} changed; ", changed[0])
        } else {
            format!("{} and {} more changed; ", changed[0], changed.len() - 1)
        };
        let changed_output = match outcome {
            Ok((pages, touched)) => {
                self.shared.set_failure(None);
                if !self.quiet {
                    say!(
                        "{trigger}built {pages} pages in {ms} ms ({touched} files updated){}",
                        if was_failing {
                            "; the error is fixed"
                        } else {
                            ""
                        }
                    );
                }
                touched > 0 || was_failing
            }
            Err(f) => {
                esay!(
                    "{trigger}error: {}; the browser shows this report instead of the pages until the files are fixed (serve keeps watching)",
                    f.summary
                );
                self.shared.set_failure(Some(Arc::new(f)));
                true
            }
        };
        if changed_output {
            self.builds += 1;
            self.shared
                .build_id
                .send_replace(format!("{}-{}", self.run_id, self.builds));
        }
    }
}

/// Bind the listening socket: the requested port, or the first free port
/// from [`DEFAULT_PORT`].
fn bind(interface: IpAddr, port: Option<u16>) -> Result<std::net::TcpListener, String> {
    let try_port = |p: u16| std::net::TcpListener::bind(SocketAddr::new(interface, p));
    match port {
        Some(p) => try_port(p).map_err(|e| {
            format!("cannot listen on {interface} port {p}: {e}; choose another with --port (0 picks any free port)")
        }),
        None => {
            let mut last = None;
            for p in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
                match try_port(p) {
                    Ok(l) => return Ok(l),
                    Err(e) => last = Some(e),
                }
            }
            Err(format!(
                "cannot listen on {interface}, ports {DEFAULT_PORT} to {}: {}; choose one with --port",
                DEFAULT_PORT + PORT_TRIES - 1,
                last.map(|e| e.to_string()).unwrap_or_default()
            ))
        }
    }
}

/// Run the server until Ctrl-C (or SIGTERM). Returns an error message when
/// it cannot start; an invalid project is not one (the browser shows why).
pub fn serve(opts: Options) -> Result<(), String> {
    let root = opts.root.clone();
    if !root.is_dir() {
        return Err(format!("{} is not a folder", root.display()));
    }
    let listener = bind(opts.interface, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let temp = tempfile::Builder::new()
        .prefix("sovmap-serve-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let dir = temp.path().join("site");
    let dir = std::fs::create_dir_all(&dir)
        .and_then(|_| dir.canonicalize())
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let served = serve_in(opts, listener, addr, dir);
    // Removed whatever happened, so that no draft is left behind.
    let removed = temp
        .close()
        .map_err(|e| format!("cannot remove the temporary folder: {e}"));
    served.and(removed)
}

fn serve_in(
    opts: Options,
    listener: std::net::TcpListener,
    addr: SocketAddr,
    dir: PathBuf,
) -> Result<(), String> {
    let run_id = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
    );
    let (build_id, _) = tokio::sync::watch::channel(format!("{run_id}-0"));
    let shared = Arc::new(Shared {
        dir: dir.clone(),
        failure: RwLock::new(None),
        build_id,
    });
    let mut builder = Builder {
        root: opts.root.clone(),
        as_of: opts.as_of,
        output: Output::new(dir.clone()),
        shared: shared.clone(),
        color: opts.color,
        quiet: opts.quiet,
        run_id,
        builds: 0,
        external: Vec::new(),
    };
    builder.build(&[]);
    if shared.failure().is_some() {
        esay!("warning: the project does not build yet; serving the error report until it does");
    }
    let watcher = watch::Watcher::start(&opts.root, builder)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let served = runtime.block_on(async {
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot use the socket: {e}"))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot use the socket: {e}"))?;
        if !opts.interface.is_loopback() {
            esay!(
                "warning: listening on {} — other machines on the network can read this draft map; use the default 127.0.0.1 unless you mean to share it",
                opts.interface
            );
        }
        let host = match addr {
            SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
            SocketAddr::V4(a) => a.to_string(),
        };
        say!("sovmap serve — web server: http://{host}/");
        say!("serving folder: {}", dir.display());
        say!(
            "watching sovmap.toml, content/, templates/, themes/ and static/ in {} (and the files the declarations name: publication, previous); press Ctrl-C to stop",
            opts.root.display()
        );
        let app = router(shared);
        tokio::select! {
            r = axum::serve(listener, app) => r.map_err(|e| format!("the server stopped: {e}")),
            () = stop_signal() => Ok(()),
        }
    });
    say!(
        "stopping: removing {}",
        dir.parent().unwrap_or(&dir).display()
    );
    runtime.shutdown_timeout(Duration::from_millis(200));
    watcher.stop();
    served
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` sends).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(overlay::SCRIPT_PATH, get(script))
        .route(overlay::EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared)
}

fn no_store(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    r
}

async fn script() -> Response {
    no_store(
        (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            overlay::SCRIPT,
        )
            .into_response(),
    )
}

/// One `build` event now (the current id) and one after each rebuild.
async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = s.build_id.subscribe();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let id = rx.borrow_and_update().clone();
        Some((Ok(Event::default().event("build").data(id)), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn html(status: StatusCode, body: String) -> Response {
    no_store(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
    )
}

async fn not_found(s: &Shared) -> Response {
    let page = s.dir.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => html(
            StatusCode::NOT_FOUND,
            String::from_utf8_lossy(&bytes).into_owned(),
        ),
        Err(_) => no_store((StatusCode::NOT_FOUND, "404 Not Found\n").into_response()),
    }
}

/// Serve a file of the built site; while the build fails, pages are
/// replaced by the error report.
async fn file(State(s): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return no_store(
            (StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n").into_response(),
        );
    }
    let path = uri.path();
    let failure = s.failure();
    let resolved = files::resolve(&s.dir, path);
    if let Some(f) = &failure {
        let page_like = match &resolved {
            Resolved::File(p) => p.extension().is_some_and(|e| e == "html"),
            Resolved::Redirect(_) => true,
            Resolved::NotFound => {
                let last = path.rsplit('/').next().unwrap_or("");
                last.is_empty() || last.ends_with(".html") || !last.contains('.')
            }
            Resolved::Refused => false,
        };
        if page_like {
            return html(StatusCode::INTERNAL_SERVER_ERROR, overlay::overlay_html(f));
        }
    }
    match resolved {
        Resolved::File(p) => match tokio::fs::read(&p).await {
            Ok(bytes) => no_store(
                (
                    [(header::CONTENT_TYPE, files::content_type(&p))],
                    Body::from(bytes),
                )
                    .into_response(),
            ),
            Err(_) => not_found(&s).await,
        },
        Resolved::Redirect(to) => {
            no_store((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)], "").into_response())
        }
        Resolved::NotFound | Resolved::Refused => not_found(&s).await,
    }
}
