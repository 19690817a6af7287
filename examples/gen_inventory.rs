//! Generates a large, valid sovmap project for benchmarks and scale tests.
//!
//! ```sh
//! cargo run --release --example gen_inventory -- --entities 1000 --seed 42 --out /tmp/inv
//! ```
//!
//! The output depends only on `--entities` and `--seed`. With N entities it
//! writes about N/4 sites, max(1, N/20) services, 5N flows, N/2 remote-access
//! paths and 10N IP ranges, control chains up to depth 5, and one measure per
//! group of exposed foreign entities, so that `sovmap check` exits 0.
//!
//! Proportions follow real inventories: each flow carries one service's data
//! (or, for unrestricted log shipping to an entity, the few services stored
//! where it starts), and each access path reaches one to three services. So
//! what one service's pages list stays about the same size as N grows.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Declarations per file.
const PER_FILE: usize = 100;

/// splitmix64: small, seeded, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability p (percent).
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Pick from (value, weight) pairs.
    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut x = (self.next() % u64::from(total)) as u32;
        for (v, w) in items {
            if x < *w {
                return v;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Legal {
    Eea,
    /// Full adequacy (CH, GB): no exposure, no basis needed.
    Adequate,
    /// Partial adequacy, recipient in scope (CA pipeda, JP appi, US dpf).
    PartialInScope,
    /// No adequacy (US without DPF, IN, MA, CN).
    None,
}

/// Country, legal status, extra entity keys.
const COUNTRIES: [((&str, Legal, &str), u32); 17] = [
    (("FR", Legal::Eea, ""), 30),
    (("DE", Legal::Eea, ""), 9),
    (("NL", Legal::Eea, ""), 6),
    (("IE", Legal::Eea, ""), 5),
    (("BE", Legal::Eea, ""), 3),
    (("ES", Legal::Eea, ""), 3),
    (("IT", Legal::Eea, ""), 3),
    (("LU", Legal::Eea, ""), 2),
    (("CH", Legal::Adequate, ""), 3),
    (("GB", Legal::Adequate, ""), 4),
    (
        (
            "CA",
            Legal::PartialInScope,
            "adequacy_scopes = [\"pipeda\"]\n",
        ),
        3,
    ),
    (
        (
            "JP",
            Legal::PartialInScope,
            "adequacy_scopes = [\"appi\"]\n",
        ),
        2,
    ),
    (("US", Legal::PartialInScope, "dpf = true\n"), 8),
    (("US", Legal::None, ""), 5),
    (("IN", Legal::None, ""), 6),
    (("MA", Legal::None, ""), 6),
    (("CN", Legal::None, ""), 2),
];

const CITIES: [(&str, &str, f64, f64); 17] = [
    ("FR", "Paris", 48.8566, 2.3522),
    ("DE", "Frankfurt", 50.1109, 8.6821),
    ("NL", "Amsterdam", 52.3676, 4.9041),
    ("IE", "Dublin", 53.3498, -6.2603),
    ("BE", "Brussels", 50.8503, 4.3517),
    ("ES", "Madrid", 40.4168, -3.7038),
    ("IT", "Milan", 45.4642, 9.19),
    ("LU", "Luxembourg", 49.6116, 6.1319),
    ("CH", "Zurich", 47.3769, 8.5417),
    ("GB", "London", 51.5072, -0.1276),
    ("CA", "Montreal", 45.5019, -73.5674),
    ("JP", "Tokyo", 35.6762, 139.6503),
    ("US", "Ashburn", 39.0438, -77.4874),
    ("IN", "Bangalore", 12.9716, 77.5946),
    ("MA", "Casablanca", 33.5731, -7.5898),
    ("CN", "Shanghai", 31.2304, 121.4737),
    ("XX", "Somewhere", 0.0, 0.0),
];

fn city(country: &str) -> (&'static str, f64, f64) {
    let c = CITIES
        .iter()
        .find(|c| c.0 == country)
        .unwrap_or(&CITIES[CITIES.len() - 1]);
    (c.1, c.2, c.3)
}

struct Entity {
    id: String,
    country: &'static str,
    legal: Legal,
    extra: &'static str,
    parent: Option<usize>,
    depth: usize,
}

struct Site {
    id: String,
    operator: usize,
    role: &'static str,
}

struct Args {
    entities: usize,
    seed: u64,
    out: PathBuf,
    shape: Shape,
}

/// What to generate: a realistic inventory, or one control chain of N
/// entities (each the parent of the one before; the ultimate parent is in
/// the United States), or the same chain closed into an ownership cycle
/// (which `sovmap check` must reject, in time linear in N).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Inventory,
    Chain,
    Cycle,
}

fn parse_args() -> Result<Args, String> {
    let mut entities = None;
    let mut seed = 1u64;
    let mut out = None;
    let mut shape = Shape::Inventory;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--entities" | "-n" => {
                entities = Some(val()?.parse().map_err(|e| format!("--entities: {e}"))?)
            }
            "--seed" => seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" | "-o" => out = Some(PathBuf::from(val()?)),
            "--shape" => {
                shape = match val()?.as_str() {
                    "inventory" => Shape::Inventory,
                    "chain" => Shape::Chain,
                    "cycle" => Shape::Cycle,
                    other => return Err(format!("--shape: `{other}` (inventory, chain or cycle)")),
                }
            }
            "-h" | "--help" => {
                return Err(
                    "usage: gen_inventory --entities N [--seed S] [--shape inventory|chain|cycle] --out DIR"
                        .to_string(),
                );
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        entities: entities.ok_or("--entities N is required")?,
        seed,
        out: out.ok_or("--out DIR is required")?,
        shape,
    })
}

/// Sequential, non-overlapping CIDR ranges: /28 from 10.0.0.0/8 and /64 from
/// 2001:db8::/32.
struct Ips {
    v4: u32,
    v6: u32,
}

impl Ips {
    fn next(&mut self, rng: &mut Rng) -> String {
        if rng.chance(70) && self.v4 < (1 << 20) {
            let n = self.v4;
            self.v4 += 1;
            let a = 0x0A00_0000u32 | (n << 4);
            format!(
                "{}.{}.{}.{}/28",
                a >> 24,
                (a >> 16) & 0xff,
                (a >> 8) & 0xff,
                a & 0xff
            )
        } else {
            let n = self.v6;
            self.v6 += 1;
            format!("2001:db8:{:x}:{:x}::/64", n >> 16, n & 0xffff)
        }
    }
}

fn quote_list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", q.join(", "))
}

fn acts(list: &[u8]) -> String {
    let s: Vec<String> = list.iter().map(|a| a.to_string()).collect();
    format!("[{}]", s.join(", "))
}

/// Writes declarations in files of PER_FILE: `content/<dir>/<stem>-NNNN.toml`.
fn write_chunked(root: &Path, dir: &str, stem: &str, decls: &[String]) -> std::io::Result<usize> {
    let d = root.join("content").join(dir);
    fs::create_dir_all(&d)?;
    let mut files = 0;
    for (i, chunk) in decls.chunks(PER_FILE).enumerate() {
        let mut text = format!("# Generated by gen_inventory: {stem} part {i}.\n");
        for decl in chunk {
            text.push('\n');
            text.push_str(decl);
        }
        fs::write(d.join(format!("{stem}-{i:04}.toml")), text)?;
        files += 1;
    }
    Ok(files)
}

fn generate(args: &Args) -> std::io::Result<usize> {
    let n = args.entities.max(4);
    let mut rng = Rng(args.seed ^ 0x5EED_0F50_7A11);
    let root = &args.out;
    if root.join("sovmap.toml").exists() && root.join("content").is_dir() {
        fs::remove_dir_all(root.join("content"))?;
    }
    fs::create_dir_all(root.join("content"))?;

    // Entities: 0 is the host (FR, HDS 1-6), 1 its holding.
    let mut entities: Vec<Entity> = Vec::with_capacity(n);
    entities.push(Entity {
        id: "host".into(),
        country: "FR",
        legal: Legal::Eea,
        extra: "",
        parent: Some(1),
        depth: 1,
    });
    entities.push(Entity {
        id: "host-holding".into(),
        country: "FR",
        legal: Legal::Eea,
        extra: "",
        parent: None,
        depth: 0,
    });
    for i in 2..n {
        let &(country, legal, extra) = rng.weighted(&COUNTRIES);
        // Control chains: a parent declared earlier, chain depth at most 5.
        let mut parent = None;
        let mut depth = 0;
        if i > 2 && rng.chance(45) {
            let j = 2 + rng.below(i - 2);
            if entities[j].depth < 5 {
                parent = Some(j);
                depth = entities[j].depth + 1;
            }
        }
        entities.push(Entity {
            id: format!("e{i:06}"),
            country,
            legal,
            extra,
            parent,
            depth,
        });
    }
    let eea: Vec<usize> = (0..n)
        .filter(|&i| entities[i].legal == Legal::Eea)
        .collect();

    // Sites: operated by EEA entities, in their country. The first two are primary.
    let n_sites = (n / 4).max(2);
    let roles: [(&str, u32); 5] = [
        ("primary", 30),
        ("replica", 20),
        ("backup", 20),
        ("disaster-recovery", 10),
        ("office", 20),
    ];
    let mut sites: Vec<Site> = Vec::with_capacity(n_sites);
    for i in 0..n_sites {
        let role = if i < 2 {
            "primary"
        } else {
            *rng.weighted(&roles)
        };
        let operator = if role == "office" && rng.chance(50) {
            0
        } else {
            *rng.pick(&eea)
        };
        sites.push(Site {
            id: format!("s{i:06}"),
            operator,
            role,
        });
    }
    let storage: Vec<usize> = (0..n_sites)
        .filter(|&i| sites[i].role != "office")
        .collect();

    // Services: 2-4 storage sites each.
    let n_services = (n / 20).max(1);
    let mut services: Vec<Vec<usize>> = Vec::with_capacity(n_services);
    for _ in 0..n_services {
        let want = (2 + rng.below(3)).min(storage.len());
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < want {
            let s = *rng.pick(&storage);
            if !chosen.contains(&s) {
                chosen.push(s);
            }
        }
        services.push(chosen);
    }
    // Actors of each service: entity -> activities.
    let mut actors: Vec<BTreeMap<usize, Vec<u8>>> = services
        .iter()
        .map(|sites_of| {
            let mut m = BTreeMap::new();
            m.insert(0usize, vec![4, 5, 6]);
            for &s in sites_of {
                let op = sites[s].operator;
                let e: &mut Vec<u8> = m.entry(op).or_default();
                e.extend([1, 2, 3]);
            }
            m
        })
        .collect();

    // IP ranges: 10N, assigned to sites and access paths at random.
    let n_access = (n / 2).max(1);
    let mut site_ranges = vec![0usize; n_sites];
    let mut access_ranges = vec![0usize; n_access];
    for _ in 0..10 * n {
        let h = rng.below(n_sites + n_access);
        if h < n_sites {
            site_ranges[h] += 1;
        } else {
            access_ranges[h - n_sites] += 1;
        }
    }
    let mut ips = Ips { v4: 0, v6: 0 };

    // Access paths: a team (any entity but the host's holding) reaching 1-3 services.
    let purposes = [
        "Level-2 support",
        "Night incident response",
        "Database administration",
        "Network operations",
        "Security monitoring",
    ];
    let mut access_decls = Vec::with_capacity(n_access);
    for (i, &nranges) in access_ranges.iter().enumerate() {
        let team = if rng.chance(10) {
            0
        } else {
            2 + rng.below(n - 2)
        };
        let e = &entities[team];
        let mut targets: Vec<usize> = Vec::new();
        for _ in 0..(1 + rng.below(3)).min(n_services) {
            let s = rng.below(n_services);
            if !targets.contains(&s) {
                targets.push(s);
            }
        }
        targets.sort();
        for &t in &targets {
            actors[t].entry(team).or_default().push(5);
        }
        let (c, _, _) = city(e.country);
        let mut d = String::new();
        writeln!(d, "[[access]]").unwrap();
        writeln!(d, "id = \"a{i:06}\"").unwrap();
        writeln!(d, "team = \"{}\"", e.id).unwrap();
        writeln!(
            d,
            "name = \"{} team {i}, {c}\"",
            purposes[i % purposes.len()]
        )
        .unwrap();
        writeln!(d, "country = \"{}\"", e.country).unwrap();
        writeln!(d, "city = \"{c}\"").unwrap();
        let ranges: Vec<String> = (0..nranges).map(|_| ips.next(&mut rng)).collect();
        if !ranges.is_empty() {
            writeln!(d, "source_ip_ranges = {}", quote_list(&ranges)).unwrap();
        }
        let t: Vec<String> = targets.iter().map(|t| format!("svc{t:04}")).collect();
        writeln!(d, "targets = {}", quote_list(&t)).unwrap();
        writeln!(d, "purpose = \"{}\"", purposes[i % purposes.len()]).unwrap();
        writeln!(
            d,
            "safeguards = [\"bastion in France\", \"strong authentication\", \"session recording\"]"
        )
        .unwrap();
        match e.legal {
            Legal::Eea => {}
            Legal::Adequate | Legal::PartialInScope => writeln!(d, "basis = \"adequacy\"").unwrap(),
            Legal::None => {
                writeln!(d, "basis = \"scc-3\"").unwrap();
                writeln!(
                    d,
                    "basis_reference = \"SCC module 3 addendum to contract {i}\""
                )
                .unwrap();
            }
        }
        access_decls.push(d);
    }

    // Entities: EEA ones hold an HDS certificate; others work under the host's.
    let mut entity_decls = Vec::with_capacity(n);
    for e in &entities {
        let mut d = String::new();
        writeln!(d, "[[entity]]").unwrap();
        writeln!(d, "id = \"{}\"", e.id).unwrap();
        writeln!(d, "legal_name = \"Entity {} Ltd\"", e.id).unwrap();
        writeln!(d, "country = \"{}\"", e.country).unwrap();
        if let Some(p) = e.parent {
            writeln!(d, "parent = \"{}\"", entities[p].id).unwrap();
            writeln!(d, "control_share = {}", 51 + rng.below(50)).unwrap();
        }
        d.push_str(e.extra);
        writeln!(d, "description = \"Generated entity in {}.\"", e.country).unwrap();
        if e.legal == Legal::Eea {
            let a: &[u8] = if e.id == "host" {
                &[1, 2, 3, 4, 5, 6]
            } else {
                &[1, 2, 3, 5]
            };
            writeln!(d, "\n  [entity.hds]").unwrap();
            writeln!(d, "  activities = {}", acts(a)).unwrap();
            writeln!(d, "  issued = 2025-01-01").unwrap();
            writeln!(d, "  expires = 2030-12-31").unwrap();
            writeln!(d, "  certifier = \"Example Certification\"").unwrap();
            writeln!(d, "  referential = \"2024\"").unwrap();
        } else {
            writeln!(d, "hds_exempted_under = \"host\"").unwrap();
        }
        entity_decls.push(d);
    }

    let mut site_decls = Vec::with_capacity(n_sites);
    for (i, s) in sites.iter().enumerate() {
        let op = &entities[s.operator];
        let (c, lat, lon) = city(op.country);
        let mut d = String::new();
        writeln!(d, "[[site]]").unwrap();
        writeln!(d, "id = \"{}\"", s.id).unwrap();
        writeln!(d, "name = \"{c} {} {i}\"", s.role).unwrap();
        writeln!(d, "operator = \"{}\"", op.id).unwrap();
        writeln!(d, "country = \"{}\"", op.country).unwrap();
        writeln!(d, "city = \"{c}\"").unwrap();
        let jitter = |r: &mut Rng| (r.below(2000) as f64 - 1000.0) / 10000.0;
        writeln!(
            d,
            "coordinates = [{:.4}, {:.4}]",
            lat + jitter(&mut rng),
            lon + jitter(&mut rng)
        )
        .unwrap();
        let ranges: Vec<String> = (0..site_ranges[i]).map(|_| ips.next(&mut rng)).collect();
        if !ranges.is_empty() {
            writeln!(d, "ip_ranges = {}", quote_list(&ranges)).unwrap();
        }
        writeln!(d, "role = \"{}\"", s.role).unwrap();
        site_decls.push(d);
    }

    let mut service_decls = Vec::with_capacity(n_services);
    for (i, sites_of) in services.iter().enumerate() {
        let mut d = String::new();
        writeln!(d, "[[service]]").unwrap();
        writeln!(d, "id = \"svc{i:04}\"").unwrap();
        writeln!(d, "name = \"Managed service {i}\"").unwrap();
        writeln!(d, "description = \"Generated health-data service {i}.\"").unwrap();
        let s: Vec<String> = sites_of.iter().map(|&s| sites[s].id.clone()).collect();
        writeln!(d, "sites = {}", quote_list(&s)).unwrap();
        for (&e, a) in &actors[i] {
            let mut a = a.clone();
            a.sort();
            a.dedup();
            writeln!(d, "\n  [[service.actor]]").unwrap();
            writeln!(d, "  entity = \"{}\"", entities[e].id).unwrap();
            writeln!(d, "  activities = {}", acts(&a)).unwrap();
        }
        service_decls.push(d);
    }

    // Flows: 5N. A real flow carries one service's data (or a few), not
    // every service's: a flow restricted to no service carries every
    // service whose data reaches its source, so with thousands of
    // unrestricted site-to-site flows every service would reach every site
    // and every transfer would list every service. So:
    // - 45 %: health replication and backups between a service's sites;
    // - 35 %: a service's processing or telemetry from one of its sites to
    //   another site (EEA), restricted to that service;
    // - 10 %: log shipping (metadata, unrestricted) from a site to an EEA
    //   entity (a SOC, an analytics firm): it carries whatever services
    //   reach that site, usually one or two;
    // - 10 %: a service's processing at a foreign entity (SCC module 2),
    //   restricted to that service, or unrestricted one time in four.
    let foreign: Vec<usize> = (2..n)
        .filter(|&i| entities[i].legal != Legal::Eea)
        .collect();
    let eea_others: Vec<usize> = eea.iter().copied().filter(|&i| i > 1).collect();
    let mut flow_decls = Vec::with_capacity(5 * n);
    for i in 0..5 * n {
        let mut d = String::new();
        writeln!(d, "[[flow]]").unwrap();
        writeln!(d, "id = \"f{i:07}\"").unwrap();
        let r = rng.below(100);
        let svc = rng.below(n_services);
        let ss = &services[svc];
        let from = ss[rng.below(ss.len())];
        if r < 45 {
            let a = rng.below(ss.len());
            let b = (a + 1 + rng.below(ss.len() - 1)) % ss.len();
            let (kind, data) = *rng.pick(&[
                ("replication", "health"),
                ("backup", "health-encrypted"),
                ("storage", "health"),
                ("backup", "health"),
            ]);
            writeln!(d, "from = \"{}\"", sites[ss[a]].id).unwrap();
            writeln!(d, "to = \"{}\"", sites[ss[b]].id).unwrap();
            writeln!(d, "kind = \"{kind}\"").unwrap();
            writeln!(d, "data = [\"{data}\"]").unwrap();
            writeln!(d, "services = [\"svc{svc:04}\"]").unwrap();
        } else if r < 80 || (r < 90 && eea_others.is_empty()) || foreign.is_empty() {
            let to = (from + 1 + rng.below(n_sites - 1)) % n_sites;
            let (kind, data) = *rng.pick(&[("processing", "personal"), ("telemetry", "metadata")]);
            writeln!(d, "from = \"{}\"", sites[from].id).unwrap();
            writeln!(d, "to = \"{}\"", sites[to].id).unwrap();
            writeln!(d, "kind = \"{kind}\"").unwrap();
            writeln!(d, "data = [\"{data}\"]").unwrap();
            writeln!(d, "services = [\"svc{svc:04}\"]").unwrap();
        } else if r < 90 {
            let to = *rng.pick(&eea_others);
            writeln!(d, "from = \"{}\"", sites[from].id).unwrap();
            writeln!(d, "to = \"{}\"", entities[to].id).unwrap();
            writeln!(d, "kind = \"telemetry\"").unwrap();
            writeln!(d, "data = [\"metadata\"]").unwrap();
        } else {
            let to = *rng.pick(&foreign);
            let (kind, data) = *rng.pick(&[("processing", "personal"), ("telemetry", "metadata")]);
            writeln!(d, "from = \"{}\"", sites[from].id).unwrap();
            writeln!(d, "to = \"{}\"", entities[to].id).unwrap();
            writeln!(d, "kind = \"{kind}\"").unwrap();
            writeln!(d, "data = [\"{data}\"]").unwrap();
            if !rng.chance(25) {
                writeln!(d, "services = [\"svc{svc:04}\"]").unwrap();
            }
            writeln!(d, "basis = \"scc-2\"").unwrap();
            writeln!(d, "basis_reference = \"SCC module 2, annex {i}\"").unwrap();
        }
        writeln!(d, "description = \"Generated flow {i}.\"").unwrap();
        flow_decls.push(d);
    }

    let mut files = 1;
    files += write_chunked(root, "entities", "entities", &entity_decls)?;
    files += write_chunked(root, "sites", "sites", &site_decls)?;
    files += write_chunked(root, "services", "services", &service_decls)?;
    files += write_chunked(root, "flows", "flows", &flow_decls)?;
    files += write_chunked(root, "access", "access", &access_decls)?;

    // Measures: every entity outside the EEA with only partial or no adequacy
    // is mitigated by one measure, 25 entities per measure.
    let exposed: Vec<&Entity> = entities
        .iter()
        .filter(|e| matches!(e.legal, Legal::None | Legal::PartialInScope))
        .collect();
    let mdir = root.join("content").join("measures");
    fs::create_dir_all(&mdir)?;
    let kinds = ["technical", "contractual", "organisational"];
    let levels = ["low", "medium", "high"];
    for (i, chunk) in exposed.chunks(25).enumerate() {
        let mut targets: Vec<String> = chunk.iter().map(|e| format!("entity:{}", e.id)).collect();
        if i == 0 {
            targets.push("law:US-CLOUD".into());
            targets.push("law:US-FISA702".into());
        }
        let mut text = String::new();
        writeln!(text, "+++").unwrap();
        writeln!(text, "id = \"m{i:05}\"").unwrap();
        writeln!(
            text,
            "title = \"Encryption and contractual safeguards, group {i}\""
        )
        .unwrap();
        writeln!(text, "kind = \"{}\"", kinds[i % 3]).unwrap();
        writeln!(text, "mitigates = {}", quote_list(&targets)).unwrap();
        writeln!(
            text,
            "residual_risk = \"Data processed in clear may be reachable under foreign law during processing.\""
        )
        .unwrap();
        writeln!(text, "residual_level = \"{}\"", levels[rng.below(3)]).unwrap();
        writeln!(text, "+++\n").unwrap();
        writeln!(
            text,
            "Data at rest is encrypted with keys held **in France** by the host.\n\n- contest any foreign request\n- notify the host unless prohibited\n- publish a transparency report"
        )
        .unwrap();
        fs::write(mdir.join(format!("m{i:05}.md")), text)?;
        files += 1;
    }

    let pdir = root.join("content").join("pages");
    fs::create_dir_all(&pdir)?;
    fs::write(
        pdir.join("about.md"),
        "+++\ntitle = \"About\"\n+++\n\nA generated inventory for benchmarks.\n",
    )?;
    files += 1;

    fs::write(
        root.join("sovmap.toml"),
        format!(
            r#"# Generated by gen_inventory (entities = {n}, seed = {seed}).
name = "Generated Health Host"
host = "host"
base_url = "https://transparency.generated.example/"
version = "bench-{n}"
publication_date = 2026-11-15
languages = ["fr", "en"]
notice_days = 30

[policy]
partial_adequacy_is_exposure = true

[[reference.law]]
id = "MA-CPP-108"
country = "MA"
name = "Code de procédure pénale (Maroc), art. 108 et suivants"
summary = "Interception of communications and seizure of data ordered by the judicial authority"
summary_fr = "Interception des communications et saisie de données ordonnées par l'autorité judiciaire"
confidence = "unverified"
status_note = "Generated for the benchmark"
"#,
            seed = args.seed
        ),
    )?;
    Ok(files)
}

/// One control chain `c000000 → c000001 → … → c(N-1)` (parent last), below
/// a site and a service of the host: every entity page shows a chain up to
/// N deep, and the bottom entity an exposure through all of it (the top is
/// in the United States; a measure mitigates it). With `--shape cycle` the
/// top's parent is the bottom: one ownership cycle of N entities.
fn generate_chain(args: &Args) -> std::io::Result<usize> {
    let n = args.entities.max(2);
    let root = &args.out;
    if root.join("content").is_dir() {
        fs::remove_dir_all(root.join("content"))?;
    }
    let hds = |a: &str| {
        format!(
            "\n  [entity.hds]\n  activities = {a}\n  issued = 2025-01-01\n  expires = 2030-12-31\n  certifier = \"Example Certification\"\n  referential = \"2024\"\n"
        )
    };
    let mut decls = Vec::with_capacity(n + 1);
    decls.push(format!(
        "[[entity]]\nid = \"host\"\nlegal_name = \"Generated Host SAS\"\ncountry = \"FR\"\n{}",
        hds("[1, 2, 3, 4, 5, 6]")
    ));
    for i in 0..n {
        let mut d = format!("[[entity]]\nid = \"c{i:06}\"\nlegal_name = \"Chain entity {i}\"\n");
        let top = i + 1 == n;
        d.push_str(if top && args.shape == Shape::Chain {
            "country = \"US\"\n"
        } else {
            "country = \"FR\"\n"
        });
        if !top {
            writeln!(d, "parent = \"c{:06}\"\ncontrol_share = 100", i + 1).unwrap();
        } else if args.shape == Shape::Cycle {
            d.push_str("parent = \"c000000\"\ncontrol_share = 100\n");
        }
        if i == 0 {
            d.push_str(&hds("[1, 2, 3, 5]"));
        }
        decls.push(d);
    }
    let mut files = 1;
    files += write_chunked(root, "entities", "entities", &decls)?;
    files += write_chunked(
        root,
        "sites",
        "sites",
        &["[[site]]\nid = \"s0\"\nname = \"Paris primary\"\noperator = \"c000000\"\ncountry = \"FR\"\ncity = \"Paris\"\ncoordinates = [48.8566, 2.3522]\nrole = \"primary\"\n".to_string()],
    )?;
    files += write_chunked(
        root,
        "services",
        "services",
        &["[[service]]\nid = \"svc0000\"\nname = \"Managed service\"\nsites = [\"s0\"]\n\n  [[service.actor]]\n  entity = \"host\"\n  activities = [4, 5, 6]\n\n  [[service.actor]]\n  entity = \"c000000\"\n  activities = [1, 2, 3]\n".to_string()],
    )?;
    let mdir = root.join("content").join("measures");
    fs::create_dir_all(&mdir)?;
    fs::write(
        mdir.join("m00000.md"),
        format!(
            "+++\nid = \"m00000\"\ntitle = \"Encryption with keys held in France\"\nkind = \"technical\"\nmitigates = [\"entity:c{:06}\", \"law:US-CLOUD\", \"law:US-FISA702\"]\nresidual_risk = \"Data processed in clear may be reachable under foreign law.\"\nresidual_level = \"medium\"\n+++\n\nData at rest is encrypted with keys held in France.\n",
            n - 1
        ),
    )?;
    files += 1;
    fs::write(
        root.join("sovmap.toml"),
        format!(
            "# Generated by gen_inventory (--shape {}, entities = {n}).\nname = \"Generated Chain Host\"\nhost = \"host\"\nbase_url = \"https://transparency.generated.example/\"\nversion = \"chain-{n}\"\npublication_date = 2026-11-15\nlanguages = [\"fr\", \"en\"]\n",
            if args.shape == Shape::Cycle {
                "cycle"
            } else {
                "chain"
            }
        ),
    )?;
    Ok(files)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_inventory: {e}");
            return ExitCode::from(2);
        }
    };
    let generated = match args.shape {
        Shape::Inventory => generate(&args),
        Shape::Chain | Shape::Cycle => generate_chain(&args),
    };
    match generated {
        Ok(files) => {
            println!("{files}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_inventory: {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
