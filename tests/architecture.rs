//! The shape of `src/`: the imports between the library's top-level modules
//! point one way. Read from the source (every `crate::module` path outside
//! tests and comments), so a new import that closes a cycle, or a stage that
//! reaches up into the orchestrator, fails here with the path that does it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's layers, from the bottom up: a module may use modules of
/// its own layer or below, never above. One layer per line of the pipeline.
const LAYERS: &[&[&str]] = &[
    &["diagnostic", "files", "lang", "identifiers", "doing"],
    &["cache", "config"],
    &["model"],
    &["input"],
    &["fonts", "cite"],
    &["check"],
    &["order"],
    &["editions"],
    &["build"],
    &["release", "pipeline"],
    &["live", "scaffold", "synth", "import", "desk"],
    &["fuzzing"],
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for the crate
/// root and the binary).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (!["lib", "main", "cli"].contains(&name.as_str())).then_some(name)
}

/// The code of a file without its comments and its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// For each module, the other top-level modules it names, with a file that does.
fn imports() -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = LAYERS.iter().flat_map(|l| l.iter().map(|m| m.to_string())).collect();
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for file in files {
        let Some(from) = module_of(&src, &file) else { continue };
        assert!(modules.contains(&from), "{from} (from {}) is in no layer of LAYERS", file.display());
        let text = code(&std::fs::read_to_string(&file).unwrap());
        let edges = graph.entry(from.clone()).or_default();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if name != from && modules.contains(&name) {
                edges.entry(name).or_insert_with(|| file.strip_prefix(&src).unwrap().to_path_buf());
            }
        }
        // `use crate::{a, b}` groups.
        for group in text.split("use crate::{").skip(1) {
            let inside = &group[..group.find('}').unwrap_or(group.len())];
            for item in inside.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if name != from && modules.contains(&name) {
                    edges.entry(name).or_insert_with(|| file.strip_prefix(&src).unwrap().to_path_buf());
                }
            }
        }
    }
    graph
}

fn layer(module: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&module)).unwrap()
}

#[test]
fn imports_point_down_the_pipeline() {
    let mut wrong = Vec::new();
    for (from, edges) in imports() {
        for (to, file) in edges {
            if layer(&to) > layer(&from) {
                wrong.push(format!("{from} uses {to}, a later stage ({})", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports that point up the pipeline:\n{}", wrong.join("\n"));
}

#[test]
fn no_import_cycle() {
    if let Some(cycle) = cycle_in(&imports()) {
        panic!("import cycle: {}", cycle.join(" -> "));
    }
}

/// A cycle of `graph`, if it has one.
fn cycle_in(graph: &BTreeMap<String, BTreeMap<String, PathBuf>>) -> Option<Vec<String>> {
    // Depth-first search for a back edge, reporting the cycle found.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeMap<String, PathBuf>>,
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
        for next in graph.get(m).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// For each folder of `src/` that is a module, the imports between its
/// children (its files and sub-folders): `super::child` from a child,
/// `super::super::child` from a file of a child's folder, and
/// `crate::path::child` from any of them.
fn sibling_imports() -> BTreeMap<PathBuf, BTreeMap<String, BTreeMap<String, PathBuf>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut out = BTreeMap::new();
    let mut dirs: BTreeSet<PathBuf> = files.iter().filter_map(|f| f.parent().map(Path::to_path_buf)).collect();
    dirs.remove(&src);
    for dir in dirs {
        let rel = dir.strip_prefix(&src).unwrap();
        let path = format!("crate::{}::", rel.to_string_lossy().replace('/', "::"));
        let child = |f: &Path| -> Option<String> {
            let r = f.strip_prefix(&dir).ok()?;
            let first = r.components().next()?.as_os_str().to_string_lossy().into_owned();
            (first != "mod.rs").then(|| first.trim_end_matches(".rs").to_string())
        };
        let children: BTreeSet<String> = files.iter().filter_map(|f| child(f)).collect();
        let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
        for f in files.iter().filter(|f| f.starts_with(&dir)) {
            let Some(from) = child(f) else { continue };
            let text = code(&std::fs::read_to_string(f).unwrap());
            // How a file of this child names the folder's module.
            let depth = f.strip_prefix(&dir).unwrap().components().count();
            let up = if depth == 1 || f.ends_with("mod.rs") { "super::" } else { "super::super::" };
            let edges = graph.entry(from.clone()).or_default();
            for prefix in [up, path.as_str()] {
                let mut rest = text.as_str();
                while let Some(i) = rest.find(prefix) {
                    let before = rest[..i].chars().last();
                    rest = &rest[i + prefix.len()..];
                    // `super::super::x` is not `super::x` one level up.
                    if prefix == "super::" && (before == Some(':') || rest.starts_with("super::")) {
                        continue;
                    }
                    let names: Vec<String> = match rest.strip_prefix('{') {
                        Some(group) => group[..group.find('}').unwrap_or(group.len())]
                            .split(',')
                            .map(|n| n.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
                            .collect(),
                        None => vec![rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()],
                    };
                    for name in names {
                        if name != from && children.contains(&name) {
                            edges.entry(name).or_insert_with(|| f.strip_prefix(&src).unwrap().to_path_buf());
                        }
                    }
                }
            }
        }
        out.insert(rel.to_path_buf(), graph);
    }
    out
}

#[test]
fn no_import_cycle_inside_a_module() {
    let mut found = Vec::new();
    for (dir, graph) in sibling_imports() {
        if let Some(cycle) = cycle_in(&graph) {
            found.push(format!("in src/{}: {}", dir.display(), cycle.join(" -> ")));
        }
    }
    assert!(found.is_empty(), "import cycles between the parts of a module:\n{}", found.join("\n"));
}

#[test]
fn no_source_file_is_over_800_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, n)| *n > 800)
        .map(|(f, n)| format!("{} ({n} lines)", f.strip_prefix(&src).unwrap().display()))
        .collect();
    assert!(long.is_empty(), "a module is a room with one purpose; split these:\n{}", long.join("\n"));
}

#[test]
fn the_layers_name_every_module_of_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let found: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let listed: BTreeSet<String> = LAYERS.iter().flat_map(|l| l.iter().map(|m| m.to_string())).collect();
    assert_eq!(found, listed, "LAYERS must list exactly the top-level modules of src/");
}
