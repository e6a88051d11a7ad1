//! The guide in `docs/` says what the code does: its table of diagnostic
//! codes is generated from `src/diagnostic/codes.rs` (`UPDATE_DOCS=1 cargo test
//! --test docs` rewrites it; review the diff), and every `book.toml` key and
//! front-matter key the code reads is documented in its reference. A code or
//! a key added without its documentation fails here.

use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(docs().join(name)).unwrap_or_else(|e| panic!("docs/src/{name}: {e}"))
}

const START: &str = "<!-- codes -->\n";
const END: &str = "<!-- end of codes -->";

#[test]
fn the_table_of_codes_is_generated_from_the_code() {
    let path = docs().join("diagnostics.md");
    let text = read("diagnostics.md");
    let (start, end) = (text.find(START).expect("the codes marker"), text.find(END).expect("the end marker"));
    let table = anthology::diagnostic::markdown_table();
    let current = &text[start + START.len()..end];
    if current != table {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}{table}{}", &text[..start + START.len()], &text[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!("docs/src/diagnostics.md's table is not the code's: run `UPDATE_DOCS=1 cargo test --test docs`");
        }
    }
    for code in anthology::diagnostic::Code::ALL {
        assert!(table.contains(&format!("| {code} | {} |", code.name())));
    }
}

/// The text of the section of `doc` whose heading contains `heading`, up to
/// the next heading of the same level or above.
fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let start = doc.lines().position(|l| l.starts_with('#') && l.contains(heading))?;
    let level = doc.lines().nth(start)?.chars().take_while(|c| *c == '#').count();
    let lines: Vec<&str> = doc.lines().collect();
    let end = (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            l.starts_with('#') && l.chars().take_while(|c| *c == '#').count() <= level
        })
        .unwrap_or(lines.len());
    let from = lines[..start].iter().map(|l| l.len() + 1).sum::<usize>();
    let to = lines[..end].iter().map(|l| l.len() + 1).sum::<usize>().min(doc.len());
    Some(&doc[from..to])
}

/// Whether a reference table row documents `key` (as `` `key` `` in its first cell).
fn documents(section: &str, key: &str) -> bool {
    section.lines().any(|l| {
        let first = l.trim_start_matches('|').split('|').next().unwrap_or("");
        l.starts_with('|') && first.contains(&format!("`{key}`"))
    })
}

#[test]
fn every_book_toml_key_is_in_the_reference() {
    let doc = read("book-toml.md");
    let mut missing = Vec::new();
    let tables = anthology::config::tables();
    let names: Vec<&str> = tables.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        names,
        anthology::config::toml_input::field_names::<anthology::config::RawConfig>(),
        "config::tables() lists every table of book.toml"
    );
    for (table, keys) in tables {
        let heading = if table == "sections" { "`[[sections]]`".to_string() } else { format!("`[{table}]`") };
        let Some(text) = section(&doc, &heading) else {
            missing.push(format!("the section {heading}"));
            continue;
        };
        for key in keys {
            // Width and height share a row.
            let ok = documents(text, key)
                || text.lines().any(|l| l.starts_with(&format!("| `{key}`, ")) || l.contains(&format!(", `{key}` |")));
            if !ok {
                missing.push(format!("[{table}] {key}"));
            }
        }
    }
    assert!(missing.is_empty(), "missing from docs/src/book-toml.md: {missing:?}");
}

#[test]
fn every_front_matter_key_is_in_the_reference() {
    let doc = read("contributions.md");
    let (essay, author) = anthology::input::frontmatter::keys();
    let mut missing = Vec::new();
    for key in essay {
        let shown = if *key == "authors" { "[[authors]]".to_string() } else { key.to_string() };
        if !documents(&doc, &shown) {
            missing.push(key.to_string());
        }
    }
    for key in author {
        if !documents(&doc, &format!("authors.{key}")) {
            missing.push(format!("authors.{key}"));
        }
    }
    assert!(missing.is_empty(), "missing from docs/src/contributions.md: {missing:?}");
}

#[test]
fn the_summary_lists_every_page_of_the_guide() {
    let summary = read("SUMMARY.md");
    fn pages(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pages(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "md") && p.file_name().is_some_and(|n| n != "SUMMARY.md") {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut all = Vec::new();
    pages(&docs(), &docs(), &mut all);
    let missing: Vec<&String> = all.iter().filter(|p| !summary.contains(&format!("]({p})"))).collect();
    assert!(missing.is_empty(), "pages not in docs/src/SUMMARY.md: {missing:?}");
}
