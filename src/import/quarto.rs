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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::markdown::{self, Hint, Options};
use super::mdbook::{BookTable, BookToml, OrderTable, RulesTable, SectionTable};
use super::meta::{Affiliations, authors, list, plain, yaml};
use super::{Copy, Import, ImportError};
use crate::diagnostic::{Code, Diagnostic, Location};

/// Where a chapter goes in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Before the essays.
    Front,
    /// An essay, in the section with this id, if any.
    Essay(Option<String>),
    /// The introduction of the section with this id.
    Intro(String),
    /// After the essays.
    Back,
}

/// One file `_quarto.yml` names, with where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chapter {
    file: String,
    place: Place,
}

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
                    out.push(Chapter { file: file.clone(), place });
                }
                toml::Value::Table(t) => {
                    let inner = t.get("chapters").and_then(|c| c.as_array()).cloned().unwrap_or_default();
                    match t.get("part").map(plain) {
                        Some(part) if is_source(&part) => {
                            let id = crate::lang::slug::slugify(
                                Path::new(&part).file_stem().map(|s| s.to_string_lossy()).as_deref().unwrap_or(""),
                            );
                            parts.push((id.clone(), None));
                            out.push(Chapter { file: part, place: Place::Intro(id.clone()) });
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
            out.push(Chapter { file: f, place: Place::Back });
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
    let editors: Vec<String> = book
        .get("author")
        .or_else(|| book.get("authors"))
        .or_else(|| top.get("author"))
        .map(|a| authors(a, &affiliations).authors.into_iter().map(|a| a.name).collect())
        .unwrap_or_default();
    let mut opts = opts.clone();
    if opts.authors.is_empty() {
        opts.authors = editors.clone();
    }
    let shown = PathBuf::from(config.file_name().unwrap_or_default());
    let mut notes = Vec::new();
    let (listed, parts) = chapters(&book);
    let mut sources = Vec::new();
    let mut hints: HashMap<PathBuf, Hint> = HashMap::new();
    let mut places: HashMap<PathBuf, Place> = HashMap::new();
    for c in listed {
        let stem = Path::new(&c.file).file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        if stem == "references" && c.place != Place::Front {
            notes.push(
                Diagnostic::new(
                    Code::ImportChanged,
                    Location::file(&shown),
                    format!("`{}` is the book's list of references: each essay ends with its own instead", c.file),
                )
                .hint("nothing to do; `[book] references` holds the book's bibliography"),
            );
            continue;
        }
        let path = match dir.join(&c.file).canonicalize() {
            Ok(p) if p.starts_with(&dir) && p.is_file() => p,
            _ => {
                notes.push(
                    Diagnostic::new(
                        Code::ImportLeftOut,
                        Location::file(&shown),
                        format!("`{}` is not a file of the book: left out", c.file),
                    )
                    .hint("fix its path in _quarto.yml"),
                );
                continue;
            }
        };
        if hints.contains_key(&path) {
            continue;
        }
        let hint = match &c.place {
            Place::Front => {
                Hint { folder: Some("front"), slug: (stem == "index").then(|| "preface".into()), ..Hint::default() }
            }
            Place::Back => Hint { folder: Some("back"), ..Hint::default() },
            Place::Intro(id) => Hint { folder: Some("sections"), slug: Some(id.clone()), ..Hint::default() },
            Place::Essay(section) => Hint { section: section.clone(), ..Hint::default() },
        };
        hints.insert(path.clone(), hint);
        places.insert(path.clone(), c.place);
        sources.push(path);
    }
    if sources.is_empty() {
        return Err(ImportError::Nothing(dir));
    }
    let mut import = markdown::convert(&sources, &dir, &opts, &hints)?;
    // The book's bibliographies and style, at its root.
    let mut references = Vec::new();
    let mut citation_style = None;
    let bibliography = book.get("bibliography").or_else(|| top.get("bibliography")).map(list).unwrap_or_default();
    let csl = get("csl");
    for (written, is_style) in bibliography.iter().map(|b| (b, false)).chain(csl.iter().map(|c| (c, true))) {
        match dir.join(written).canonicalize() {
            Ok(p) if p.starts_with(&dir) && p.is_file() => {
                let name = p.file_name().map(PathBuf::from).unwrap_or_default();
                import.copies.push(Copy { from: p, to: name.clone() });
                let name = name.to_string_lossy().into_owned();
                if is_style {
                    citation_style = Some(name);
                } else {
                    references.push(name);
                }
            }
            _ if is_style && !written.ends_with(".csl") => citation_style = Some(written.clone()),
            _ => notes.push(
                Diagnostic::new(
                    Code::ImportLeftOut,
                    Location::file(&shown),
                    format!("`{written}` is not a file of the book: left out, and what cites it will not resolve"),
                )
                .hint("put it in the book's folder, then import again"),
            ),
        }
    }
    let order: HashMap<PathBuf, usize> = sources.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
    import.essays.sort_by_key(|e| order.get(&e.source).copied().unwrap_or(usize::MAX));
    let place_of = |e: &super::Imported| e.target.to_string_lossy().replace('\\', "/");
    let is = |e: &super::Imported, p: &dyn Fn(&Place) -> bool| places.get(&e.source).is_some_and(p);
    let sections = parts
        .into_iter()
        .map(|(id, title)| {
            let intro = import.essays.iter().find(|e| is(e, &|p| *p == Place::Intro(id.clone())));
            SectionTable {
                title: title.or_else(|| intro.map(|e| e.title.clone())).unwrap_or_else(|| id.clone()),
                intro: intro.map(place_of),
                id,
            }
        })
        .collect();
    let toml = BookToml {
        book: BookTable {
            title: get("title").unwrap_or_else(|| "Untitled".into()),
            language: get("lang").unwrap_or_else(|| "en".into()),
            editors: if editors.is_empty() { opts.authors.clone() } else { editors },
            description: get("description").or_else(|| get("subtitle")),
            front: import.essays.iter().filter(|e| is(e, &|p| *p == Place::Front)).map(place_of).collect(),
            back: import.essays.iter().filter(|e| is(e, &|p| *p == Place::Back)).map(place_of).collect(),
            references,
            citation_style,
        },
        order: OrderTable {
            by: "list",
            list: import.essays.iter().filter(|e| is(e, &|p| matches!(p, Place::Essay(_)))).map(|e| e.slug()).collect(),
        },
        sections,
        // A Quarto book's chapters carry raw HTML as its site shows it: so does the book, sanitised.
        rules: RulesTable { min_words: 0, max_words: Some(100_000), allow_html: true },
    };
    import.book_toml = Some(format!(
        "# Imported from the Quarto book {} by `anthology import quarto`.\n{}",
        dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        toml::to_string(&toml).unwrap_or_default()
    ));
    import.diagnostics.extend(notes);
    Ok(import)
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
