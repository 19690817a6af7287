//! Benchmark of GeoIP verification against the embedded database: address
//! lookups per second on one core, and the time to verify 100,000 declared
//! ranges (one thread, then rayon on 2 threads). Prints a Markdown table.
//!
//! `cargo run --release --example bench_verify [-- --ranges N --lookups N]`
//! (or `scripts/bench-verify.sh`). Inputs come from a fixed-seed generator:
//! the same addresses and ranges on every run.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

use ipnetwork::IpNetwork;
use sovmap::diag::Loc;
use sovmap::model::{IpRange, Project, Site, SiteRole};
use sovmap::reference::Reference;
use sovmap::verify::{GeoDatabase, verify};

/// Runs per measure; the best (shortest) is reported.
const REPEAT: usize = 3;

/// xorshift64*: small, fixed-seed, good enough to spread addresses.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A declared range: mostly IPv4 /24s, some /20s and /16s, and IPv6 /48s
/// and /32s in 2000::/3 — the sizes hosts declare.
fn random_range(rng: &mut Rng) -> IpNetwork {
    let r = rng.next();
    let pick = r % 100;
    if pick < 85 {
        let prefix = match pick {
            0..=64 => 24,
            65..=74 => 20,
            _ => 16,
        };
        let ip = (rng.next() as u32) & (u32::MAX << (32 - prefix));
        IpNetwork::new(IpAddr::V4(Ipv4Addr::from(ip)), prefix as u8).unwrap()
    } else {
        let prefix: u32 = if pick < 95 { 48 } else { 32 };
        let hi = (u128::from(rng.next()) << 64) | u128::from(rng.next());
        let ip = ((hi >> 3) | (1u128 << 125)) & (u128::MAX << (128 - prefix));
        IpNetwork::new(IpAddr::V6(Ipv6Addr::from(ip)), prefix as u8).unwrap()
    }
}

fn project(n: usize, rng: &mut Rng) -> Project {
    let mut p = Project::default();
    let per_site = 100;
    for s in 0..n.div_ceil(per_site) {
        let id = format!("site-{s:05}");
        let count = per_site.min(n - s * per_site);
        p.sites.insert(
            id.clone(),
            Site {
                id,
                name: format!("Site {s}"),
                operator: "host".into(),
                country: "FR".into(),
                city: None,
                coordinates: None,
                ip_ranges: (0..count)
                    .map(|_| IpRange {
                        network: random_range(rng),
                        loc: Loc::default(),
                    })
                    .collect(),
                role: SiteRole::Primary,
                loc: Loc::default(),
            },
        );
    }
    p
}

fn main() {
    let n_lookups = arg("--lookups", 5_000_000);
    let n_ranges = arg("--ranges", 100_000);
    let reference = Reference::embedded();
    let started = Instant::now();
    let db = match GeoDatabase::embedded() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;

    // 1. Lookups on one core: random IPv4 addresses, lookup + decode.
    let mut rng = Rng(0x5eed_0001);
    let v4: Vec<IpAddr> = (0..n_lookups)
        .map(|_| IpAddr::V4(Ipv4Addr::from(rng.next() as u32)))
        .collect();
    let v6: Vec<IpAddr> = (0..n_lookups / 5)
        .map(|_| {
            let hi = (u128::from(rng.next()) << 64) | u128::from(rng.next());
            IpAddr::V6(Ipv6Addr::from((hi >> 3) | (1u128 << 125)))
        })
        .collect();
    // The machine is shared: every measure is the best of REPEAT runs.
    let time_lookups = |ips: &[IpAddr]| -> (f64, usize) {
        let mut best = f64::MAX;
        let mut found = 0usize;
        for _ in 0..REPEAT {
            let t = Instant::now();
            found = 0;
            for ip in ips {
                if let Ok(Some(_)) = db.country_of(*ip) {
                    found += 1;
                }
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        (best, found)
    };
    let (t4, found4) = time_lookups(&v4);
    let mut t4_tree = f64::MAX;
    let mut with_record = 0usize;
    for _ in 0..REPEAT {
        let t = Instant::now();
        with_record = 0;
        for ip in &v4 {
            if db.has_record(*ip) {
                with_record += 1;
            }
        }
        t4_tree = t4_tree.min(t.elapsed().as_secs_f64());
    }
    let (t6, found6) = time_lookups(&v6);

    // 2. 100,000 declared ranges, with `verify` (rayon across ranges).
    let mut rng = Rng(0x5eed_0002);
    let p = project(n_ranges, &mut rng);
    let mut rows = Vec::new();
    let mut verdicts = BTreeMap::new();
    for threads in [1usize, 2] {
        let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        };
        let mut secs = f64::MAX;
        let mut last = None;
        for _ in 0..REPEAT {
            let t = Instant::now();
            let v = pool.install(|| verify(&p, reference, &db));
            secs = secs.min(t.elapsed().as_secs_f64());
            last = Some(v);
        }
        let v = match last {
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
            None => return,
        };
        verdicts.clear();
        for r in &v.ranges {
            *verdicts.entry(r.verdict.as_str()).or_insert(0usize) += 1;
        }
        rows.push((threads, v.ranges.len(), secs, v.findings.len()));
    }

    println!(
        "GeoIP verification benchmark — {} (type `{}`, built {}), opened in {open_ms:.1} ms; best of {REPEAT} runs",
        db.info.name, db.info.database_type, db.info.build_date
    );
    println!();
    println!("| measure | input | time (s) | rate | target |");
    println!("|---|---:|---:|---:|---|");
    println!(
        "| lookups, 1 core, IPv4 (lookup + decode) | {n_lookups} addresses ({:.0} % with a country) | {t4:.3} | {:.2} M/s | ≥ 5 M/s |",
        100.0 * found4 as f64 / n_lookups.max(1) as f64,
        n_lookups as f64 / t4 / 1e6
    );
    println!(
        "| tree walk only, 1 core, IPv4 (no decode) | {n_lookups} addresses ({:.0} % with a record) | {t4_tree:.3} | {:.2} M/s | — |",
        100.0 * with_record as f64 / n_lookups.max(1) as f64,
        n_lookups as f64 / t4_tree / 1e6
    );
    println!(
        "| lookups, 1 core, IPv6 in 2000::/3 | {} addresses ({:.0} % with a country) | {t6:.3} | {:.2} M/s | — |",
        v6.len(),
        100.0 * found6 as f64 / v6.len().max(1) as f64,
        v6.len() as f64 / t6 / 1e6
    );
    for (threads, n, secs, findings) in &rows {
        println!(
            "| verify declared ranges, {threads} thread{} | {n} ranges ({findings} findings) | {secs:.3} | {:.0} ranges/s | {} |",
            if *threads == 1 { "" } else { "s" },
            *n as f64 / secs,
            if *threads == 2 {
                "< 2 s on 2 cores"
            } else {
                "—"
            }
        );
    }
    println!();
    let mix: Vec<String> = verdicts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("verdicts (all ranges declared FR): {}", mix.join(", "));
}
