//! `anthology import jupyterbook`: a Jupyter Book or a mystmd project.
//!
//! Jupyter Book keeps its order in `_toc.yml` (`root`, then `parts` with a
//! `caption` and `chapters`, or `chapters` alone; a chapter's `sections`
//! follow it) and the book's title, author and bibliography in
//! `_config.yml`; mystmd keeps both in `myst.yml` (`project.toc`, where an
//! entry with a `title` and `children` is a part). The root (the first
//! entry) becomes the preface, each part a section, every other file an
//! essay. Files are MyST Markdown or notebooks (`.ipynb`); both are written
//! as this book's Markdown by [`super::myst`] before the Markdown importer
//! reads them, so code cells are kept as code and never run.

use std::path::{Path, PathBuf};

use super::markdown::Options;
use super::meta::{Affiliations, authors, list, plain, yaml};
use super::project::{self, Chapter, Place, Project};
use super::{Import, ImportError};
use crate::diagnostic::{Code, Diagnostic, Location};

/// The Jupyter Book or mystmd project at `dir` as an anthology.
pub fn import(dir: &Path, opts: &Options) -> Result<Import, ImportError> {
    let dir = dir.canonicalize().map_err(|source| ImportError::Read { path: dir.to_path_buf(), source })?;
    let read_yaml = |name: &str| -> Result<Option<toml::Table>, ImportError> {
        let path = dir.join(name);
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|source| ImportError::Read { path: path.clone(), source })?;
        let pairs = yaml(&text)
            .map_err(|why| ImportError::Refused { path, why: format!("its YAML cannot be read ({why})") })?;
        Ok(Some(pairs.into_iter().collect()))
    };
    let (config, meta, entries) = if let Some(myst) = read_yaml("myst.yml")? {
        let project = myst.get("project").and_then(|p| p.as_table()).cloned().unwrap_or_default();
        let toc = project.get("toc").and_then(|t| t.as_array()).cloned().unwrap_or_default();
        (dir.join("myst.yml"), project, toc_of_myst(&toc))
    } else if let Some(toc) = read_yaml("_toc.yml")? {
        let config = read_yaml("_config.yml")?.unwrap_or_default();
        (dir.join("_toc.yml"), config, toc_of_jupyter_book(&toc))
    } else {
        return Err(ImportError::Nothing(dir));
    };
    let get = |k: &str| meta.get(k).map(plain).filter(|s| !s.is_empty());
    let editors: Vec<String> = meta
        .get("authors")
        .or_else(|| meta.get("author"))
        .map(|a| authors(a, &Affiliations::default()).authors.into_iter().map(|a| a.name).collect())
        .unwrap_or_default();
    let mut opts = opts.clone();
    if opts.authors.is_empty() {
        opts.authors = editors.clone();
    }
    let mut notes = Vec::new();
    let mut parts: Vec<(String, Option<String>)> = Vec::new();
    let mut chapters = Vec::new();
    // What any file's references may name: figures, labelled headings.
    let mut names = super::myst::Names::default();
    let mut texts = Vec::new();
    for (file, part) in entries {
        let found = source_of(&dir, &file);
        let raw = match &found {
            Some(p) => {
                Some(std::fs::read_to_string(p).map_err(|source| ImportError::Read { path: p.clone(), source })?)
            }
            None => None,
        };
        if let (Some(p), Some(raw)) = (&found, &raw)
            && p.extension().is_some_and(|e| e == "md")
        {
            names.read(raw);
        }
        texts.push((file, part, found, raw));
    }
    for (i, (file, part, found, raw)) in texts.into_iter().enumerate() {
        let section = part.map(|title| {
            let id = crate::lang::slug::slugify(&title);
            if !parts.iter().any(|(p, _)| *p == id) {
                parts.push((id.clone(), Some(title)));
            }
            id
        });
        let (Some(found), Some(raw)) = (found, raw) else {
            notes.push(
                Diagnostic::new(
                    Code::ImportLeftOut,
                    Location::file(config.file_name().map(PathBuf::from).unwrap_or_default()),
                    format!("`{file}` is not a Markdown file or a notebook of the book: left out"),
                )
                .hint("convert it to Markdown (reStructuredText is not read), or fix its path"),
            );
            continue;
        };
        let shown = found.strip_prefix(&dir).unwrap_or(&found).to_path_buf();
        let text = if found.extension().is_some_and(|e| e == "ipynb") {
            match super::myst::notebook(&raw) {
                Ok((text, outputs)) => {
                    if outputs > 0 {
                        notes.push(
                            Diagnostic::new(
                                Code::ImportLeftOut,
                                Location::file(&shown),
                                format!("{outputs} output(s) of its code cells left out: a book never runs code"),
                            )
                            .hint("put a figure it draws in by hand, as an image"),
                        );
                    }
                    text
                }
                Err(why) => {
                    notes.push(
                        Diagnostic::new(Code::ImportLeftOut, Location::file(&shown), format!("{why}: left out"))
                            .hint("open it in Jupyter and save it again"),
                    );
                    continue;
                }
            }
        } else {
            raw.replace("\r\n", "\n")
        };
        // Display math CommonMark would cut short, mended before the
        // directives are read (a label closes a formula: `$$ (label)`).
        let text = super::scholarly::math_rules(&text);
        // `{doc}` names a file without its extension, from this file's folder
        // (or the book's, with a leading `/`).
        let folder = found.parent().unwrap_or(&dir).to_path_buf();
        let docs = |target: &str| -> Option<String> {
            let base = if target.starts_with('/') { dir.clone() } else { folder.clone() };
            let file = source_of(&base, target)?;
            let from = crate::files::relative(&folder, &file);
            Some(from.to_string_lossy().replace('\\', "/"))
        };
        let (text, said) = super::myst::convert(&text, &names, &docs);
        for (line, what, hint) in said {
            notes.push(Diagnostic::new(Code::ImportChanged, Location::line_col(&shown, line, 1), what).hint(hint));
        }
        // A page that only prints the bibliography: each essay ends with its own.
        let only_headings = crate::input::markdown::blocks(&text)
            .iter()
            .all(|b| matches!(b, crate::input::markdown::TopBlock::Heading { .. }));
        if raw.contains("{bibliography}") && only_headings {
            notes.push(
                Diagnostic::new(
                    Code::ImportChanged,
                    Location::file(&shown),
                    "the book's list of references: each essay ends with its own instead",
                )
                .hint("nothing to do; `[book] references` holds the book's bibliography"),
            );
            continue;
        }
        let place = if i == 0 { Place::Front } else { Place::Essay(section) };
        chapters.push(Chapter {
            file: shown.to_string_lossy().replace('\\', "/"),
            place,
            text: Some(text),
            book_links: true,
        });
    }
    let bibliography = meta.get("bibliography").or_else(|| meta.get("bibtex_bibfiles")).map(list).unwrap_or_default();
    let lang = get("language")
        .or_else(|| meta.get("sphinx").and_then(|s| s.get("config")).and_then(|c| c.get("language")).map(plain));
    project::assemble(
        Project {
            tool: "Jupyter Book",
            dir,
            config,
            chapters,
            parts,
            title: get("title"),
            lang,
            description: get("description").or_else(|| get("subtitle")),
            editors,
            bibliography,
            csl: None,
            notes,
        },
        &opts,
    )
}

/// The file a table of contents names (`intro`, `intro.md`,
/// `notebooks/run.ipynb`): the Markdown or notebook of the book it is.
fn source_of(dir: &Path, name: &str) -> Option<PathBuf> {
    let name = name.trim().trim_start_matches('/');
    let candidates = [name.to_string(), format!("{name}.md"), format!("{name}.ipynb"), format!("{name}.myst.md")];
    candidates.iter().map(|c| dir.join(c)).find(|p| {
        p.is_file()
            && p.extension().is_some_and(|e| e == "md" || e == "ipynb")
            && p.canonicalize().is_ok_and(|c| c.starts_with(dir))
    })
}

/// `_toc.yml`'s files in order, each with its part's caption.
fn toc_of_jupyter_book(toc: &toml::Table) -> Vec<(String, Option<String>)> {
    fn walk(items: &[toml::Value], part: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
        for item in items {
            let Some(t) = item.as_table() else { continue };
            if let Some(file) = t.get("file").map(plain) {
                out.push((file, part.map(str::to_string)));
            }
            for key in ["sections", "chapters"] {
                if let Some(inner) = t.get(key).and_then(|s| s.as_array()) {
                    let caption = t.get("caption").map(plain);
                    walk(inner, caption.as_deref().or(part), out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(root) = toc.get("root").map(plain) {
        out.push((root, None));
    }
    let listed = |k: &str| toc.get(k).and_then(|c| c.as_array()).cloned().unwrap_or_default();
    walk(&listed("parts"), None, &mut out);
    walk(&listed("chapters"), None, &mut out);
    walk(&listed("sections"), None, &mut out);
    out
}

/// `myst.yml`'s `project.toc` files in order, each with its part's title.
fn toc_of_myst(toc: &[toml::Value]) -> Vec<(String, Option<String>)> {
    fn walk(items: &[toml::Value], part: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
        for item in items {
            let Some(t) = item.as_table() else { continue };
            if let Some(file) = t.get("file").map(plain) {
                out.push((file, part.map(str::to_string)));
            }
            if let Some(children) = t.get("children").and_then(|c| c.as_array()) {
                // An entry with a title of its own and children is a part.
                let title = t.get("title").map(plain).filter(|_| !t.contains_key("file"));
                walk(children, title.as_deref().or(part), out);
            }
        }
    }
    let mut out = Vec::new();
    walk(toc, None, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(y: &str) -> toml::Table {
        yaml(y).unwrap().into_iter().collect()
    }

    #[test]
    fn both_tables_of_contents_in_order_with_their_parts() {
        let jb = table(
            "format: jb-book\nroot: intro\nparts:\n- caption: Data\n  chapters:\n  - file: growth\n    sections:\n    - file: growth_detail\n- caption: Models\n  chapters:\n  - file: models/ar1\n",
        );
        assert_eq!(
            toc_of_jupyter_book(&jb),
            vec![
                ("intro".into(), None),
                ("growth".into(), Some("Data".into())),
                ("growth_detail".into(), Some("Data".into())),
                ("models/ar1".into(), Some("Models".into())),
            ]
        );
        let myst = table(
            "toc:\n  - file: index.md\n  - title: Data\n    children:\n      - file: growth.md\n        children:\n          - file: detail.ipynb\n  - file: end.md\n",
        );
        let toc = myst.get("toc").and_then(|t| t.as_array()).cloned().unwrap();
        assert_eq!(
            toc_of_myst(&toc),
            vec![
                ("index.md".into(), None),
                ("growth.md".into(), Some("Data".into())),
                ("detail.ipynb".into(), Some("Data".into())),
                ("end.md".into(), None),
            ]
        );
    }
}
