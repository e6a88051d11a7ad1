//! `anthology import mdbook`: a book written with mdBook, as an anthology.
//!
//! mdBook keeps its chapters in `src/` and their order in `src/SUMMARY.md`:
//! prefix chapters, then parts (`# Title`) of numbered chapters (nested
//! lists), then suffix chapters. Here the prefix chapters become the book's
//! front texts, each part a section, each numbered chapter an essay (nested
//! ones after their parent, in the same order), the suffix chapters its back
//! texts, and the order `[order] by = "list"`; `book.toml`'s title, authors
//! (the editors, and the authors of chapters that name none) and language
//! become the new book's. The chapters go through the Markdown importer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::markdown::{self, Hint, Options};
use super::{Import, ImportError};
use crate::diagnostic::{Code, Diagnostic, Location};

/// One line of SUMMARY.md that names a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its title in the summary.
    pub title: String,
    /// Its file, relative to `src/` (`None`: a draft chapter).
    pub file: Option<String>,
    /// Where it is: before the numbered chapters, in them, or after.
    pub place: Place,
    /// The part it is in (numbered chapters).
    pub part: Option<String>,
    /// Its line in SUMMARY.md (1-based).
    pub line: usize,
}

/// Where a chapter is in an mdBook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A prefix chapter.
    Prefix,
    /// A numbered chapter (at any depth).
    Numbered,
    /// A suffix chapter.
    Suffix,
}

/// The chapters SUMMARY.md lists, in order.
pub fn summary(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut part = None;
    let mut seen_list = false;
    let mut first_heading = true;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("# ") {
            // The first heading is the summary's own title.
            if !first_heading || seen_list {
                part = Some(h.trim().to_string());
            }
            first_heading = false;
            continue;
        }
        let (listed, rest) = match t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            Some(r) => (true, r.trim()),
            None => (false, t),
        };
        let Some(inner) = rest.strip_prefix('[') else { continue };
        let Some(close) = inner.find("](") else { continue };
        let title = inner[..close].to_string();
        let target = inner[close + 2..].split(')').next().unwrap_or("").trim();
        if listed {
            seen_list = true;
        }
        let place = if listed {
            Place::Numbered
        } else if seen_list {
            Place::Suffix
        } else {
            Place::Prefix
        };
        out.push(Entry {
            title,
            file: (!target.is_empty()).then(|| target.trim_start_matches("./").to_string()),
            place,
            part: if place == Place::Numbered { part.clone() } else { None },
            line: i + 1,
        });
    }
    out
}

/// What book.toml a book imported whole (an mdBook, a Quarto book) gets.
#[derive(Serialize)]
pub(super) struct BookToml {
    pub book: BookTable,
    pub order: OrderTable,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionTable>,
    pub rules: RulesTable,
}

#[derive(Serialize)]
pub(super) struct BookTable {
    pub title: String,
    pub language: String,
    pub editors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub front: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub back: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation_style: Option<String>,
}

#[derive(Serialize)]
pub(super) struct OrderTable {
    pub by: &'static str,
    pub list: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct SectionTable {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
}

#[derive(Serialize)]
pub(super) struct RulesTable {
    pub min_words: usize,
    /// A book's chapters are longer than essays: the limit is set high.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_words: Option<usize>,
    pub allow_html: bool,
}

/// The mdBook at `dir` as an anthology: its chapters, and the book.toml
/// that orders them.
pub fn import(dir: &Path, opts: &Options) -> Result<Import, ImportError> {
    let dir = dir.canonicalize().map_err(|source| ImportError::Read { path: dir.to_path_buf(), source })?;
    let read =
        |p: &Path| std::fs::read_to_string(p).map_err(|source| ImportError::Read { path: p.to_path_buf(), source });
    let config: toml::Table = toml::from_str(&read(&dir.join("book.toml"))?).unwrap_or_default();
    let book = config.get("book").and_then(|b| b.as_table()).cloned().unwrap_or_default();
    let get = |k: &str| book.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let src = dir.join(get("src").unwrap_or_else(|| "src".into()));
    let src = src.canonicalize().map_err(|source| ImportError::Read { path: src.clone(), source })?;
    if !src.starts_with(&dir) {
        return Err(ImportError::Nothing(src));
    }
    let summary_text = read(&src.join("SUMMARY.md"))?;
    let entries = summary(&summary_text);
    let authors: Vec<String> = book
        .get("authors")
        .and_then(|a| a.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let mut opts = opts.clone();
    if opts.authors.is_empty() {
        opts.authors = authors.clone();
    }
    let mut notes = Vec::new();
    let shown_summary = src.strip_prefix(&dir).unwrap_or(&src).join("SUMMARY.md");
    let mut sources = Vec::new();
    let mut hints = HashMap::new();
    let mut sections: Vec<SectionTable> = Vec::new();
    for e in &entries {
        let at = Location::line_col(&shown_summary, e.line, 1);
        let Some(file) = &e.file else {
            notes.push(
                Diagnostic::new(
                    Code::ImportLeftOut,
                    at,
                    format!("`{}` is a draft chapter, with no file: left out", e.title),
                )
                .hint("write the chapter, then import it"),
            );
            continue;
        };
        let path = match src.join(file).canonicalize() {
            Ok(p) if p.starts_with(&src) && p.is_file() => p,
            _ => {
                notes.push(
                    Diagnostic::new(
                        Code::ImportLeftOut,
                        at,
                        format!("`{file}` is not a file of the book's `src/`: left out"),
                    )
                    .hint("fix the path in SUMMARY.md"),
                );
                continue;
            }
        };
        if hints.contains_key(&path) {
            continue;
        }
        let section = e.part.as_ref().map(|title| {
            let id = crate::lang::slug::slugify(title);
            if !sections.iter().any(|s| s.id == id) {
                sections.push(SectionTable { id: id.clone(), title: title.clone(), intro: None });
            }
            id
        });
        let folder = match e.place {
            Place::Prefix => Some("front"),
            Place::Suffix => Some("back"),
            Place::Numbered => None,
        };
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        let slug = matches!(stem.as_str(), "readme" | "index").then(|| crate::lang::slug::slugify(&e.title));
        hints.insert(
            path.clone(),
            Hint { title: Some(e.title.clone()), section, folder, slug, text: None, book_links: false, quarto: false },
        );
        sources.push(path);
    }
    if sources.is_empty() {
        return Err(ImportError::Nothing(src));
    }
    let mut import = markdown::convert(&sources, &dir, &opts, &hints)?;
    if authors.is_empty() && opts.authors.is_empty() {
        notes.push(
            Diagnostic::new(
                Code::ImportLeftOut,
                Location::file("book.toml"),
                "the mdBook names no authors: its chapters have none",
            )
            .hint("give them with --author NAME"),
        );
    }
    let place_of = |e: &super::Imported| e.target.to_string_lossy().replace('\\', "/");
    let folder_of =
        |e: &super::Imported| e.target.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let toml = BookToml {
        book: BookTable {
            title: get("title").unwrap_or_else(|| "Untitled".into()),
            language: get("language").unwrap_or_else(|| "en".into()),
            editors: if authors.is_empty() { opts.authors.clone() } else { authors },
            description: get("description"),
            front: import.essays.iter().filter(|e| folder_of(e).as_deref() == Some("front")).map(place_of).collect(),
            back: import.essays.iter().filter(|e| folder_of(e).as_deref() == Some("back")).map(place_of).collect(),
            references: Vec::new(),
            citation_style: None,
        },
        order: OrderTable {
            by: "list",
            list: import
                .essays
                .iter()
                .filter(|e| folder_of(e).as_deref() == Some("contributions"))
                .map(|e| e.slug())
                .collect(),
        },
        sections,
        // An mdBook shows its chapters' HTML: so does the book, sanitised.
        rules: RulesTable { min_words: 0, max_words: None, allow_html: true },
    };
    import.book_toml = Some(format!(
        "# Imported from the mdBook {} by `anthology import mdbook`.\n{}",
        dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        toml::to_string(&toml).unwrap_or_default()
    ));
    import.diagnostics.extend(notes);
    // In the summary's order, not the files'.
    let order: HashMap<PathBuf, usize> = sources.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
    import.essays.sort_by_key(|e| order.get(&e.source).copied().unwrap_or(usize::MAX));
    Ok(import)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_with_prefix_parts_nesting_drafts_and_suffix() {
        let s = "# Summary\n\n[Introduction](README.md)\n\n# Part one\n\n- [First](first.md)\n  - [Nested](first/nested.md)\n- [Draft]()\n\n# Part two\n* [Second](./second.md)\n\n---\n\n[Afterword](after.md)\n";
        let e = summary(s);
        let got: Vec<(&str, Option<&str>, Place, Option<&str>)> =
            e.iter().map(|e| (e.title.as_str(), e.file.as_deref(), e.place, e.part.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                ("Introduction", Some("README.md"), Place::Prefix, None),
                ("First", Some("first.md"), Place::Numbered, Some("Part one")),
                ("Nested", Some("first/nested.md"), Place::Numbered, Some("Part one")),
                ("Draft", None, Place::Numbered, Some("Part one")),
                ("Second", Some("second.md"), Place::Numbered, Some("Part two")),
                ("Afterword", Some("after.md"), Place::Suffix, None),
            ]
        );
        assert_eq!(e[1].line, 7);
    }
}
