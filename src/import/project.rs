//! A book kept as a project of Markdown files by another tool (Quarto,
//! bookdown, Jupyter Book), made an anthology in one way whatever the tool.
//!
//! Each tool's importer reads its own configuration into a [`Project`]: the
//! files in order, each with its [`Place`] (a front text, an essay in a
//! section, a section's introduction, a back text), the parts' titles, and
//! the book's title, language, editors and bibliography. [`assemble`] then
//! imports the files through the Markdown importer (so their code is kept
//! as code and never run), brings the book's bibliographies to its root,
//! and writes the `book.toml` that orders it all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::markdown::{self, Hint, Options};
use super::mdbook::{BookTable, BookToml, OrderTable, RulesTable, SectionTable};
use super::{Copy, Import, ImportError};
use crate::diagnostic::{Code, Diagnostic, Location};

/// Where a file goes in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    /// Before the essays.
    Front,
    /// An essay, in the section with this id, if any.
    Essay(Option<String>),
    /// The introduction of the section with this id.
    Intro(String),
    /// After the essays.
    Back,
}

/// One file of the project, with where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chapter {
    /// Its path from the project's folder, as the configuration writes it.
    pub file: String,
    /// Where it goes.
    pub place: Place,
    /// Its text as the tool reads it, when that is not the file's own (a
    /// bookdown part's heading taken out, a notebook as Markdown).
    pub text: Option<String>,
    /// Whether its `[x](#id)` may name an id of another file (MyST's
    /// cross-references), besides what its extension says.
    pub book_links: bool,
}

/// A project as its tool's configuration describes it.
pub(super) struct Project {
    /// The tool's name for the book ("Quarto book"), for the notes.
    pub tool: &'static str,
    /// The project's folder (canonical).
    pub dir: PathBuf,
    /// The configuration file read.
    pub config: PathBuf,
    /// The files in order.
    pub chapters: Vec<Chapter>,
    /// The parts: id, and title when the part is not a file of its own.
    pub parts: Vec<(String, Option<String>)>,
    /// The book's title, language and description.
    pub title: Option<String>,
    pub lang: Option<String>,
    pub description: Option<String>,
    /// The book's authors: its editors.
    pub editors: Vec<String>,
    /// The book's bibliography files and citation style, as written.
    pub bibliography: Vec<String>,
    pub csl: Option<String>,
    /// What reading the configuration found to say.
    pub notes: Vec<Diagnostic>,
}

/// Whether a file is the book's list of references, which a tool prints at
/// its end (`references.qmd`, bookdown's `99-references.Rmd`): each essay of
/// an anthology ends with its own.
fn is_references(file: &str) -> bool {
    let stem = Path::new(file).file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let stem = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    ["references", "bibliography", "bibliographie", "literatur", "referencias"].contains(&stem)
}

/// The project as an anthology: its files imported, and the book.toml that
/// orders them.
pub(super) fn assemble(project: Project, opts: &Options) -> Result<Import, ImportError> {
    let Project { tool, dir, config, chapters, parts, title, lang, description, editors, bibliography, csl, mut notes } =
        project;
    let shown = PathBuf::from(config.file_name().unwrap_or_default());
    let mut sources = Vec::new();
    let mut hints: HashMap<PathBuf, Hint> = HashMap::new();
    let mut places: HashMap<PathBuf, Place> = HashMap::new();
    for c in chapters {
        if is_references(&c.file) && c.place != Place::Front {
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
                    .hint(format!("fix its path in {}", shown.display())),
                );
                continue;
            }
        };
        if hints.contains_key(&path) {
            continue;
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        let mut hint = match &c.place {
            Place::Front => Hint {
                folder: Some("front"),
                slug: (stem == "index" || stem == "intro").then(|| "preface".into()),
                ..Hint::default()
            },
            Place::Back => Hint { folder: Some("back"), ..Hint::default() },
            Place::Intro(id) => Hint { folder: Some("sections"), slug: Some(id.clone()), ..Hint::default() },
            Place::Essay(section) => Hint { section: section.clone(), ..Hint::default() },
        };
        hint.text = c.text;
        hint.book_links = c.book_links;
        hint.quarto = tool.starts_with("Quarto");
        hints.insert(path.clone(), hint);
        places.insert(path.clone(), c.place);
        sources.push(path);
    }
    if sources.is_empty() {
        return Err(ImportError::Nothing(dir));
    }
    let mut import = markdown::convert(&sources, &dir, opts, &hints)?;
    // The book's bibliographies and style, at its root.
    let mut references = Vec::new();
    let mut citation_style = None;
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
                .hint("put it in the book's folder (a tool may write it when it renders), then import again"),
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
            title: title.unwrap_or_else(|| "Untitled".into()),
            language: lang.unwrap_or_else(|| "en".into()),
            editors: if editors.is_empty() { opts.authors.clone() } else { editors },
            description,
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
        // These tools' chapters carry raw HTML as their sites show it: so
        // does the book, sanitised.
        rules: RulesTable { min_words: 0, max_words: Some(100_000), allow_html: true },
    };
    import.book_toml = Some(format!(
        "# Imported from the {tool} {} by `anthology import`.\n{}",
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
    fn the_lists_of_references_tools_print() {
        for f in ["references.qmd", "99-references.Rmd", "bibliography.md", "refs/20-References.Rmd"] {
            assert!(is_references(f), "{f}");
        }
        for f in ["01-intro.Rmd", "references-and-notes.qmd", "index.md"] {
            assert!(!is_references(f), "{f}");
        }
    }
}
