//! Measures `sovmap serve`'s edit-to-served latency: the time from saving a
//! file to the rebuilt page being served. Used by `scripts/bench-serve.sh`.
//!
//! ```sh
//! bench_serve --sovmap target/release/sovmap --project DIR --page contact --runs 10
//! ```
//!
//! Starts `sovmap serve --port 0` on DIR (a copy: the files are edited),
//! waits for the first build, then `--runs` times for each of two edits —
//! a page's body (`content/pages/PAGE.md`, one page changes) and the
//! provider's name in `sovmap.toml` (every page changes) — writes the file
//! and polls `/pages/PAGE.html` until the new text is served. Prints one
//! line per edit: `edit<TAB>runs<TAB>median_ms<TAB>min_ms<TAB>max_ms`.
//! Only the standard library: no HTTP client to warm up or to measure.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

struct Args {
    sovmap: PathBuf,
    project: PathBuf,
    page: String,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut sovmap = None;
    let mut project = None;
    let mut page = None;
    let mut runs = 10;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--sovmap" => sovmap = Some(PathBuf::from(val()?)),
            "--project" => project = Some(PathBuf::from(val()?)),
            "--page" => page = Some(val()?),
            "--runs" => runs = val()?.parse().map_err(|e| format!("--runs: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        sovmap: sovmap.ok_or("--sovmap is required")?,
        project: project.ok_or("--project is required")?,
        page: page.ok_or("--page is required")?,
        runs,
    })
}

fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Poll until the page holds `token`; the elapsed time since `t0`.
fn wait_for(addr: &str, path: &str, token: &str, t0: Instant) -> Result<Duration, String> {
    loop {
        if let Some(r) = get(addr, path)
            && r.starts_with("HTTP/1.1 200")
            && r.contains(token)
        {
            return Ok(t0.elapsed());
        }
        let waited = t0.elapsed();
        if waited > Duration::from_secs(600) {
            return Err(format!("{path} never showed {token}"));
        }
        // Fine polling first, coarser for slow (large) builds.
        std::thread::sleep(if waited < Duration::from_millis(500) {
            Duration::from_millis(1)
        } else {
            Duration::from_millis(20)
        });
    }
}

struct Server(Child);

impl Drop for Server {
    /// SIGTERM, so that the server removes its temporary folder; SIGKILL
    /// only where there is no `kill` command.
    fn drop(&mut self) {
        let term = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        if !term.is_ok_and(|s| s.success()) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut child = Command::new(&args.sovmap)
        .args([
            "serve", "--port", "0", "--quiet", "--color", "never", "--root",
        ])
        .arg(&args.project)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", args.sovmap.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    // Keep reading the server's output (one line per build) so that it
    // never writes into a full pipe.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(a) = line.split("http://").nth(1) {
                let _ = tx.send(a.trim_end_matches('/').to_string());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(600))
        .map_err(|_| "sovmap serve printed no address")?;
    let url = format!("/pages/{}.html", args.page);
    wait_for(&addr, &url, "<html", Instant::now())?;

    let page_file = args
        .project
        .join("content/pages")
        .join(format!("{}.md", args.page));
    let config_file = args.project.join("sovmap.toml");
    let page_text = read(&page_file)?;
    let config_text = read(&config_file)?;
    let name_line = config_text
        .lines()
        .find(|l| l.starts_with("name = \""))
        .ok_or("sovmap.toml has no `name = \"…\"` line")?
        .to_string();

    for (label, file) in [
        ("page body (1 page changes)", &page_file),
        ("sovmap.toml name (every page changes)", &config_file),
    ] {
        let mut times = Vec::new();
        for i in 0..args.runs {
            let token = format!("benchtoken{i}x{}", label.len());
            let text = if file == &page_file {
                format!("{page_text}\n\n{token}\n")
            } else {
                config_text.replace(&name_line, &format!("name = \"Bench {token}\""))
            };
            let t0 = Instant::now();
            write(file, &text)?;
            times.push(wait_for(&addr, &url, &token, t0)?);
            // Let the watcher settle so runs do not overlap.
            std::thread::sleep(Duration::from_millis(300));
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label}\t{}\t{:.0}\t{:.0}\t{:.0}",
            times.len(),
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        );
        // Restore the file and wait until the restored site is served.
        let last = format!("benchtoken{}x{}", args.runs.saturating_sub(1), label.len());
        write(
            file,
            if file == &page_file {
                &page_text
            } else {
                &config_text
            },
        )?;
        let t0 = Instant::now();
        while get(&addr, &url).is_none_or(|r| r.contains(&last)) {
            if t0.elapsed() > Duration::from_secs(600) {
                return Err("the restored file was never served".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    drop(server);
    Ok(())
}

fn read(p: &Path) -> Result<String, String> {
    fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

fn write(p: &Path, text: &str) -> Result<(), String> {
    fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_serve: {e}");
            ExitCode::FAILURE
        }
    }
}
