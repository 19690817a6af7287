//! The one-way rule of ARCHITECTURE.md, checked on the code: every module
//! imports only from its own floor or the floors below, and the modules
//! import each other without a loop. Drawn from `crate::…` paths in the
//! sources, leaving out comments and test code (tests may reach anywhere).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The floors of ARCHITECTURE.md (×10: `labels` is on floor 2½). `lib` is
/// the crate root (`Checked`, `check_project`, `as_of_date`); `main`, `cli`
/// and `cmd` are the binary.
const FLOORS: &[(&str, u32)] = &[
    ("diag", 0),
    ("visible", 0),
    ("safefs", 0),
    ("unknown", 0),
    ("reference", 0),
    ("i18n", 0),
    ("model", 10),
    ("format", 10),
    ("load", 10),
    ("schema", 10),
    ("import", 10),
    ("graph", 20),
    ("analysis", 20),
    ("verify", 20),
    ("lib", 20),
    ("labels", 25),
    ("publication", 30),
    ("review", 30),
    ("render", 40),
    ("cli", 50),
    ("cmd", 50),
    ("main", 50),
];

/// The top-level module a source file belongs to.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = first.unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate-level names a piece of code refers to: `crate::x`, and each
/// `x` of `crate::{x, y::z}`.
fn referred(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for part in inner.split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module → modules it imports, with one file that does, for messages.
fn imports() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let floors: BTreeMap<&str, u32> = FLOORS.iter().copied().collect();
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap_or(&file).to_path_buf();
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        // Test-only files (`mod tests;` under `#[cfg(test)]`).
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let from = module_of(&rel);
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let entry = graph.entry(from.clone()).or_default();
        let code = code(&text);
        let mut names = referred(&code);
        // The crate root names its modules without `crate::` (`load::load`).
        if from == "lib" {
            names.extend(FLOORS.iter().map(|(m, _)| m.to_string()).filter(|m| {
                code.match_indices(&format!("{m}::")).any(|(i, _)| {
                    !code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
                })
            }));
        }
        for to in names {
            // An item of the crate root (`crate::Checked`) is `lib`.
            let to = if floors.contains_key(to.as_str()) {
                to
            } else {
                "lib".to_string()
            };
            if to != from {
                entry.entry(to).or_insert_with(|| rel.display().to_string());
            }
        }
    }
    graph
}

#[test]
fn every_module_has_a_floor() {
    let floors: BTreeMap<&str, u32> = FLOORS.iter().copied().collect();
    for module in imports().keys() {
        assert!(
            floors.contains_key(module.as_str()),
            "src/{module}: add it to FLOORS here and to the table of ARCHITECTURE.md"
        );
    }
}

#[test]
fn no_module_imports_from_a_floor_above_it() {
    let floors: BTreeMap<&str, u32> = FLOORS.iter().copied().collect();
    let mut upward = Vec::new();
    for (from, tos) in imports() {
        let Some(&f) = floors.get(from.as_str()) else {
            continue;
        };
        for (to, file) in tos {
            if floors.get(to.as_str()).is_some_and(|&t| t > f) {
                upward.push(format!("{file}: {from} (floor {f}) imports {to}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports running back up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn modules_import_each_other_without_a_loop() {
    let graph = imports();
    // Depth-first search; a module met again while on the path is a loop.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for to in graph
            .get(m)
            .map(|t| t.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if let Some(c) = visit(&to, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        let found = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(
            found.is_none(),
            "import loop: {}",
            found.unwrap_or_default().join(" → ")
        );
    }
}

#[test]
fn the_reader_sees_imports_and_skips_comments_and_tests() {
    let text = "use crate::{model::Project, diag};\n// crate::render in a comment\nfn f() { crate::load::load(); }\n#[cfg(test)]\nmod tests { use crate::render; }\n";
    let seen = referred(&code(text));
    let seen: Vec<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(seen, ["diag", "load", "model"]);
}
