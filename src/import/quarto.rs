//! `anthology import quarto`: a Quarto book as an anthology.
//!
//! A Quarto book keeps its order in `_quarto.yml`: `book.chapters` (files,
//! and parts that are a title or a file of their own, each with its
//! chapters), then `book.appendices`; the book's title, authors,
//! bibliography and style sit beside them. Here the first chapter (the
//! `index.qmd` Quarto requires, its preface) becomes the book's first front
//! text, each part a section (a part's file its introduction), each other
//! chapter an essay with its own authors (the book's when it names none),
//! the appendices its back texts, and the order `[order] by = "list"`. The
//! book's bibliographies go to its root, where every essay cites from them;
//! a chapter's own come beside it. The chapters go through the Markdown
//! importer, so their code chunks are kept as code and never run.

use std::path::Path;

use super::markdown::Options;
use super::meta::{Affiliations, authors, list, plain, yaml};
use super::project::{self, Chapter, Place, Project};
use super::{Import, ImportError};

/// The chapters of `book.chapters` and `book.appendices`, in order, and the
/// parts' titles by id (a part that is a file takes its file's title later).
fn chapters(book: &toml::Table) -> (Vec<Chapter>, Vec<(String, Option<String>)>) {
    let mut out = Vec::new();
    let mut parts: Vec<(String, Option<String>)> = Vec::new();
    fn walk(
        items: &[toml::Value],
        section: Option<&str>,
        out: &mut Vec<Chapter>,
        parts: &mut Vec<(String, Option<String>)>,
    ) {
        for item in items {
            match item {
                toml::Value::String(file) => {
                    let place = if out.is_empty() && section.is_none() {
                        Place::Front
                    } else {
                        Place::Essay(section.map(str::to_string))
                    };
                    out.push(Chapter { file: file.clone(), place, text: None, book_links: false });
                }
                toml::Value::Table(t) => {
                    let inner = t.get("chapters").and_then(|c| c.as_array()).cloned().unwrap_or_default();
                    match t.get("part").map(plain) {
                        Some(part) if is_source(&part) => {
                            let id = crate::lang::slug::slugify(
                                Path::new(&part).file_stem().map(|s| s.to_string_lossy()).as_deref().unwrap_or(""),
                            );
                            parts.push((id.clone(), None));
                            out.push(Chapter {
                                file: part,
                                place: Place::Intro(id.clone()),
                                text: None,
                                book_links: false,
                            });
                            walk(&inner, Some(&id), out, parts);
                        }
                        Some(part) => {
                            let id = crate::lang::slug::slugify(&part);
                            parts.push((id.clone(), Some(part)));
                            walk(&inner, Some(&id), out, parts);
                        }
                        None => walk(&inner, section, out, parts),
                    }
                }
                _ => {}
            }
        }
    }
    let listed = |k: &str| book.get(k).and_then(|c| c.as_array()).cloned().unwrap_or_default();
    walk(&listed("chapters"), None, &mut out, &mut parts);
    for file in listed("appendices").iter().flat_map(|a| match a {
        toml::Value::Table(t) => t.get("chapters").and_then(|c| c.as_array()).cloned().unwrap_or_default(),
        other => vec![other.clone()],
    }) {
        if let toml::Value::String(f) = file {
            out.push(Chapter { file: f, place: Place::Back, text: None, book_links: false });
        }
    }
    (out, parts)
}

/// Whether a part names a file rather than a title.
fn is_source(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [".qmd", ".md", ".rmd", ".ipynb"].iter().any(|e| lower.ends_with(e))
}

/// The Quarto book at `dir` as an anthology: its chapters, and the
/// book.toml that orders them.
pub fn import(dir: &Path, opts: &Options) -> Result<Import, ImportError> {
    let dir = dir.canonicalize().map_err(|source| ImportError::Read { path: dir.to_path_buf(), source })?;
    let config = ["_quarto.yml", "_quarto.yaml"].iter().map(|n| dir.join(n)).find(|p| p.is_file());
    let Some(config) = config else { return Err(ImportError::Nothing(dir)) };
    let text = std::fs::read_to_string(&config).map_err(|source| ImportError::Read { path: config.clone(), source })?;
    let top: toml::Table = yaml(&text)
        .map_err(|why| ImportError::Refused { path: config.clone(), why: format!("its YAML cannot be read ({why})") })?
        .into_iter()
        .collect();
    let book = top.get("book").and_then(|b| b.as_table()).cloned().unwrap_or_default();
    let get = |k: &str| book.get(k).or_else(|| top.get(k)).map(plain).filter(|s| !s.is_empty());
    let affiliations = top.get("affiliations").map(Affiliations::read).unwrap_or_default();
    // An edited book names its editors (`editor:`), the others its authors.
    let editors: Vec<String> = ["author", "authors", "editor", "editors"]
        .into_iter()
        .find_map(|k| book.get(k))
        .or_else(|| top.get("author"))
        .or_else(|| top.get("editor"))
        .map(|a| authors(a, &affiliations).authors.into_iter().map(|a| a.name).collect())
        .unwrap_or_default();
    let mut opts = opts.clone();
    if opts.authors.is_empty() {
        opts.authors = editors.clone();
    }
    let (chapters, parts) = chapters(&book);
    let bibliography = book.get("bibliography").or_else(|| top.get("bibliography")).map(list).unwrap_or_default();
    let project = Project {
        tool: "Quarto book",
        dir,
        config,
        chapters,
        parts,
        title: get("title"),
        lang: get("lang"),
        description: get("description").or_else(|| get("subtitle")),
        editors,
        bibliography,
        csl: get("csl"),
        notes: Vec::new(),
    };
    project::assemble(project, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_parts_and_appendices_in_order() {
        let yml = "book:\n  chapters:\n    - index.qmd\n    - intro.qmd\n    - part: \"Part one\"\n      chapters:\n        - a.qmd\n    - part: two.qmd\n      chapters:\n        - b.qmd\n    - references.qmd\n  appendices:\n    - x.qmd\n";
        let top: toml::Table = yaml(yml).unwrap().into_iter().collect();
        let book = top["book"].as_table().unwrap().clone();
        let (c, parts) = chapters(&book);
        let got: Vec<(&str, Place)> = c.iter().map(|c| (c.file.as_str(), c.place.clone())).collect();
        assert_eq!(
            got,
            vec![
                ("index.qmd", Place::Front),
                ("intro.qmd", Place::Essay(None)),
                ("a.qmd", Place::Essay(Some("part-one".into()))),
                ("two.qmd", Place::Intro("two".into())),
                ("b.qmd", Place::Essay(Some("two".into()))),
                ("references.qmd", Place::Essay(None)),
                ("x.qmd", Place::Back),
            ]
        );
        assert_eq!(parts, vec![("part-one".into(), Some("Part one".into())), ("two".into(), None)]);
    }
}
