//! `sovmap serve`, end to end: the binary runs on a copy of a small project
//! (the `init` scaffold) on a free port; the tests talk HTTP over a raw TCP
//! socket (an HTTP client library would normalise the `/../` paths away).
//! Every wait polls with a generous limit; nothing asserts on timing.

#![cfg(unix)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long any change may take to show (a loaded machine builds slowly).
const PATIENCE: Duration = Duration::from_secs(90);

struct Response {
    status: u16,
    text: String,
}

/// One GET with the path sent exactly as given.
fn get(addr: &str, path: &str) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect to sovmap serve");
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send request");
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read response");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Response { status, text }
}

/// Poll `path` until `ok` holds; panics with the last response after [`PATIENCE`].
fn wait_for(addr: &str, path: &str, what: &str, ok: impl Fn(&Response) -> bool) -> Response {
    let start = Instant::now();
    loop {
        let r = get(addr, path);
        if ok(&r) {
            return r;
        }
        if start.elapsed() > PATIENCE {
            panic!("{what}: still not there; last response:\n{}", r.text);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A running `sovmap serve`; killed (SIGKILL) if a test fails before `stop`.
struct Server {
    child: Child,
    addr: String,
    folder: PathBuf,
    stdout: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    start_in(Path::new("."), root)
}

/// [`start`] with `cwd` as the working folder (`root` may be relative to it).
fn start_in(cwd: &Path, root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sovmap"))
        .args(["serve", "--port", "0", "--color", "never", "--root"])
        .arg(root)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sovmap serve");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut addr, mut folder) = (None, None);
    let deadline = Instant::now() + PATIENCE;
    while addr.is_none() || folder.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("sovmap serve printed its address and folder");
        if let Some(a) = line.split("http://").nth(1) {
            addr = Some(a.trim_end_matches('/').to_string());
        }
        if let Some(f) = line.strip_prefix("serving folder: ") {
            folder = Some(PathBuf::from(f));
        }
    }
    Server {
        child,
        addr: addr.unwrap_or_default(),
        folder: folder.unwrap_or_default(),
        stdout: rx,
    }
}

/// SIGTERM (as `kill` sends), then wait for the process to end.
fn stop(mut server: Server) -> (Option<i32>, Vec<String>) {
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()), "kill -TERM {pid}");
    let deadline = Instant::now() + PATIENCE;
    let code = loop {
        if let Some(status) = server.child.try_wait().expect("wait for sovmap serve") {
            break status.code();
        }
        assert!(Instant::now() < deadline, "sovmap serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    let lines: Vec<String> = server.stdout.try_iter().collect();
    (code, lines)
}

/// Write `text` into `file`, then wait until `path` is served with `expect` in it.
fn write_then_see(addr: &str, file: &Path, text: &str, path: &str, expect: &str) {
    fs::write(file, text).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    wait_for(addr, path, &format!("{path} with {expect}"), |r| {
        r.status == 200 && r.text.contains(expect)
    });
}

fn scaffold(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_sovmap"))
        .arg("init")
        .arg(dir)
        .output()
        .expect("run sovmap init");
    assert!(out.status.success(), "init: {out:?}");
}

#[test]
fn serve_rebuilds_shows_errors_recovers_and_refuses_traversal() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("project");
    scaffold(&root);
    let secret = tmp.path().join("secret.txt");
    fs::write(&secret, "TOP-SECRET-OUTSIDE").expect("write secret");
    let server = start(&root);
    let addr = server.addr.clone();
    assert!(
        !server.folder.starts_with(&root),
        "never builds into the project"
    );
    assert!(!root.join("site").exists(), "never writes site/");

    // The site is served, with the live-reload script.
    let home = wait_for(&addr, "/", "home page", |r| r.status == 200);
    assert!(home.text.contains("My Health Host"), "{}", home.text);
    assert!(home.text.contains("/__sovmap/livereload.js"));
    assert!(home.text.contains("script-src 'self'"));
    let script = get(&addr, "/__sovmap/livereload.js");
    assert_eq!(script.status, 200);
    assert!(script.text.contains("EventSource"));

    // An edit shows up without a restart.
    let page = root.join("content/pages/contact.md");
    let original = fs::read_to_string(&page).expect("read page");
    let edited = original.replace("title = \"Contact\"", "title = \"Contact the DPO now\"");
    write_then_see(
        &addr,
        &page,
        &edited,
        "/pages/contact.html",
        "Contact the DPO now",
    );

    // A broken file: the browser gets the error report with file and line.
    let host = root.join("content/entities/host.toml");
    let good = fs::read_to_string(&host).expect("read host");
    fs::write(
        &host,
        good.replace("country = \"FR\"", "country = \"<FR>\""),
    )
    .expect("break");
    let overlay = wait_for(&addr, "/", "error overlay", |r| r.status == 500);
    assert!(
        overlay.text.contains("content/entities/host.toml:"),
        "{}",
        overlay.text
    );
    assert!(
        overlay.text.contains("&lt;FR&gt;"),
        "escaped: {}",
        overlay.text
    );
    assert!(!overlay.text.contains("\"<FR>\""));
    assert!(overlay.text.contains("/__sovmap/livereload.js"));
    // Other pages too, not the stale ones.
    assert_eq!(get(&addr, "/pages/contact.html").status, 500);

    // Fixing the file recovers.
    fs::write(&host, &good).expect("fix");
    let fixed = wait_for(&addr, "/", "recovered home page", |r| r.status == 200);
    assert!(fixed.text.contains("My Health Host"));

    // Nothing outside the served folder is reachable.
    std::os::unix::fs::symlink(&secret, server.folder.join("escape.html")).expect("symlink");
    std::os::unix::fs::symlink(tmp.path(), server.folder.join("up")).expect("symlink");
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/pages/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/pages\\..\\..\\secret.txt",
        "/escape.html",
        "/up/secret.txt",
        "/up/project/sovmap.toml",
        "/.sovmap-site",
        "/no-such-page.html",
    ] {
        let r = get(&addr, path);
        assert_eq!(r.status, 404, "{path}: {}", r.text);
        assert!(!r.text.contains("TOP-SECRET"), "{path}");
        assert!(!r.text.contains("my-host\""), "{path}");
    }

    let folder = server.folder.clone();
    let (code, _) = stop(server);
    assert_eq!(code, Some(0), "stops cleanly on SIGTERM");
    assert!(!folder.exists(), "temporary folder removed");
    assert!(!root.join("site").exists());
}

#[test]
fn serve_starts_on_an_invalid_project_and_shows_why() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("project");
    scaffold(&root);
    let config = root.join("sovmap.toml");
    let good = fs::read_to_string(&config).expect("read config");
    fs::write(
        &config,
        good.replace("host = \"my-host\"", "host = \"nobody\""),
    )
    .expect("break");
    let server = start(&root);
    let addr = server.addr.clone();
    let r = wait_for(&addr, "/", "overlay", |r| r.status == 500);
    assert!(r.text.contains("sovmap.toml:"), "{}", r.text);
    assert!(r.text.contains("nobody"));
    fs::write(&config, &good).expect("fix");
    wait_for(&addr, "/", "home page after the fix", |r| {
        r.status == 200 && r.text.contains("My Health Host")
    });
    let (code, _) = stop(server);
    assert_eq!(code, Some(0));
}

#[test]
fn build_output_has_no_live_reload() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("project");
    scaffold(&root);
    let out = Command::new(env!("CARGO_BIN_EXE_sovmap"))
        .args(["build", "--root"])
        .arg(&root)
        .output()
        .expect("run sovmap build");
    assert!(out.status.success(), "{out:?}");
    let home = fs::read_to_string(root.join("site/index.html")).expect("index");
    assert!(!home.contains("__sovmap"));
    assert!(!home.contains("script-src"));
    assert!(!home.contains("<script"));
}

#[test]
fn a_taken_port_is_refused_with_exit_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("project");
    scaffold(&root);
    let out = Command::new(env!("CARGO_BIN_EXE_sovmap"))
        .args(["serve", "--port", &port, "--root"])
        .arg(&root)
        .output()
        .expect("run sovmap serve");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("port {port}")), "{err}");
}

/// A provider's `publication` lives outside `content/`, often in a folder
/// that does not exist when serve starts: copying the file in, then a newer
/// version over it, rebuilds the site each time.
#[test]
fn serve_watches_a_providers_publication_outside_content() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let upstream = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/chains/hyper");
    let built = tmp.path().join("hyper-site");
    let out = Command::new(env!("CARGO_BIN_EXE_sovmap"))
        .args(["build", "-q", "--color", "never", "--root"])
        .arg(&upstream)
        .arg("--output")
        .arg(&built)
        .output()
        .expect("build the provider's map");
    assert!(out.status.success(), "build hyper: {out:?}");
    let published = fs::read_to_string(built.join("transfers.json")).expect("transfers.json");
    assert!(published.contains("\"Hyper Cloud\""));

    let root = tmp.path().join("importer");
    fs::create_dir_all(root.join("content/entities")).expect("mkdir");
    fs::write(
        root.join("sovmap.toml"),
        "name = \"Importer\"\nhost = \"me\"\npublication_date = 2026-11-20\n",
    )
    .expect("write sovmap.toml");
    fs::write(
        root.join("content/entities/e.toml"),
        "[[entity]]\nid = \"me\"\nlegal_name = \"Me SAS\"\ncountry = \"FR\"\n\n\
         [[entity]]\nid = \"prov\"\nlegal_name = \"Prov SAS\"\ncountry = \"FR\"\n\
         publication = \"providers/hyper/transfers.json\"\n",
    )
    .expect("write entities");

    // Not there yet (nor its folder): the error report. `--root` relative
    // to the working folder, as `sovmap serve --root importer` gives it.
    let server = start_in(tmp.path(), Path::new("importer"));
    let addr = server.addr.clone();
    let overlay = wait_for(&addr, "/", "error report", |r| r.status == 500);
    assert!(overlay.text.contains("bad-publication"), "{}", overlay.text);

    // The folder, then the file, appear: the site builds with the import.
    let file = root.join("providers/hyper/transfers.json");
    fs::create_dir_all(file.parent().expect("parent")).expect("mkdir providers/hyper");
    fs::write(&file, &published).expect("copy the publication in");
    wait_for(&addr, "/transfers.json", "imported publication", |r| {
        r.status == 200 && r.text.contains("\"Hyper Cloud\"")
    });

    // The provider publishes again (renamed): copied over, rebuilt.
    let renamed = published.replace("\"Hyper Cloud\"", "\"Hyper Cloud Europe\"");
    write_then_see(
        &addr,
        &file,
        &renamed,
        "/transfers.json",
        "\"Hyper Cloud Europe\"",
    );

    let (code, _) = stop(server);
    assert_eq!(code, Some(0));
}
