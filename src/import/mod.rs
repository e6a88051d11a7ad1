//! `anthology import`: contributions written elsewhere, brought into this
//! book's format.
//!
//! An editor of a hundred contributors receives essays as Markdown from a
//! blog or a static site, as Word files, as a book in another tool. Each
//! importer reads one kind of source and returns an [`Import`]: the
//! contributions it would write (TOML front matter and a body in this
//! book's Markdown), the files it would copy beside them, and a diagnostic
//! for everything it could not carry over, at its place in the source.
//! Nothing is written until [`write`] is called (`--write`), and an existing
//! contribution is never replaced unless asked (`--force`). The sources are
//! untrusted like contributions: sizes are limited, and nothing outside the
//! collection being imported is ever read or copied.

pub mod bookdown;
pub mod docx;
mod embed;
mod front;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod headings;
pub mod jupyterbook;
mod knit;
mod links;
pub mod markdown;
pub mod mdbook;
mod meta;
mod myst;
mod project;
pub mod quarto;
mod roles;
pub mod roster;
mod scholarly;
mod shortcodes;
mod sites;
mod values;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The largest source file read, in bytes.
pub const MAX_SOURCE: u64 = 8 * 1024 * 1024;

/// The largest file copied beside an essay, in bytes.
pub const MAX_ASSET: u64 = 64 * 1024 * 1024;

/// What an import would write.
#[derive(Debug, Default)]
pub struct Import {
    /// The collection's folder: the diagnostics' files are relative to it.
    pub root: PathBuf,
    /// The contributions, in the order of their sources.
    pub essays: Vec<Imported>,
    /// Files copied beside them.
    pub copies: Vec<Copy>,
    /// Files made beside them (images taken out of a document), relative to
    /// the book's root.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// What could not be carried over, and what was changed on the way.
    pub diagnostics: Vec<Diagnostic>,
    /// A `book.toml` for the book, when the source is a whole book.
    pub book_toml: Option<String>,
}

/// One contribution an import makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Where it came from.
    pub source: PathBuf,
    /// Where it goes, relative to the book's root.
    pub target: PathBuf,
    /// Its title, for the summary.
    pub title: String,
    /// Its authors' names, for the summary.
    pub authors: Vec<String>,
    /// The file: TOML front matter and the body.
    pub text: String,
    /// Whether it updates a contribution of the book (a roster's details),
    /// which needs no `--force`.
    pub update: bool,
}

impl Imported {
    /// Its slug, as the book will know it: its file's name, or its folder's
    /// for an `index.md`.
    pub fn slug(&self) -> String {
        let t = &self.target;
        let stem = if t.file_name().is_some_and(|n| n == "index.md") {
            t.parent().and_then(|p| p.file_name())
        } else {
            t.file_stem()
        };
        stem.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// A file copied beside a contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// The file in the collection.
    pub from: PathBuf,
    /// Where it goes, relative to the book's root.
    pub to: PathBuf,
}

/// Why an import could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// There is no book at the root.
    #[error("{0} has no book.toml: import into a book (`anthology init` makes one)")]
    NoBook(PathBuf),
    /// A source could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// More files than one import reads.
    #[error("{0} Markdown files: more than one import reads ({max}); import a part at a time", max = markdown::MAX_FILES)]
    TooMany(usize),
    /// Nothing to import was found.
    #[error("no Markdown file in {0}")]
    Nothing(PathBuf),
    /// A source refused as a whole (a hostile or broken document).
    #[error("{path} is refused: {why}; nothing was written")]
    Refused {
        /// The source.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// Contributions that exist already (without `--force`).
    #[error("{} exist(s) already, nothing written: {}; use --force to replace", .0.len(), .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    Exists(Vec<PathBuf>),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The files an import would write that exist already in the book at `root`.
pub fn existing(root: &Path, import: &Import) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = import
        .essays
        .iter()
        .filter(|e| !e.update)
        .map(|e| e.target.clone())
        .filter(|t| root.join(t).exists())
        .collect();
    out.extend(import.copies.iter().map(|c| c.to.clone()).filter(|t| root.join(t).exists()));
    out.extend(import.files.iter().map(|(t, _)| t.clone()).filter(|t| root.join(t).exists()));
    if import.book_toml.is_some() && root.join(crate::config::BOOK_FILE).exists() {
        out.push(PathBuf::from(crate::config::BOOK_FILE));
    }
    out
}

/// Writes `import` into the book at `root`: refused, with nothing written,
/// when a file exists already, unless `force`. Returns the files written.
pub fn write(root: &Path, import: &Import, force: bool) -> Result<Vec<PathBuf>, ImportError> {
    let there = existing(root, import);
    if !there.is_empty() && !force {
        return Err(ImportError::Exists(there));
    }
    let mut written = Vec::new();
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Write { path, source }
    };
    if let Some(text) = &import.book_toml {
        std::fs::create_dir_all(root).map_err(failed(root))?;
        let path = root.join(crate::config::BOOK_FILE);
        crate::files::write_atomically(&path, text.as_bytes()).map_err(failed(&path))?;
        written.push(PathBuf::from(crate::config::BOOK_FILE));
    }
    for e in &import.essays {
        let path = root.join(&e.target);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed(dir))?;
        }
        crate::files::write_atomically(&path, e.text.as_bytes()).map_err(failed(&path))?;
        written.push(e.target.clone());
    }
    for (to, bytes) in &import.files {
        let path = root.join(to);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed(dir))?;
        }
        crate::files::write_atomically(&path, bytes).map_err(failed(&path))?;
        written.push(to.clone());
    }
    for c in &import.copies {
        let path = root.join(&c.to);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed(dir))?;
        }
        let bytes = std::fs::read(&c.from).map_err(|source| ImportError::Read { path: c.from.clone(), source })?;
        crate::files::write_atomically(&path, &bytes).map_err(failed(&path))?;
        written.push(c.to.clone());
    }
    Ok(written)
}

/// What an importer could not carry over, at `at` (M001).
fn left_out(at: crate::diagnostic::Location, message: String, hint: &str) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(crate::diagnostic::Code::ImportLeftOut, at, message).hint(hint.to_string())
}

/// The text of an XML entity reference as quick-xml reports it apart from
/// the text around it: the five predefined entities and character
/// references (`#233`, `#xE9`); anything else (a document cannot declare
/// entities here: DTDs are refused) is nothing.
fn xml_entity(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        n => {
            let code = n
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| n.strip_prefix('#').map(|d| d.parse::<u32>()));
            code.and_then(|c| c.ok()).and_then(char::from_u32).map(String::from).unwrap_or_default()
        }
    }
}

/// `text` with each range of `edits` replaced, in the order of the text; an
/// edit that overlaps one before it is left out (the text there stays as
/// the earlier edit made it).
pub(super) fn replace(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, with) in edits {
        if range.start < at || range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn entities_as_text() {
        assert_eq!(super::xml_entity("amp"), "&");
        assert_eq!(super::xml_entity("#233"), "é");
        assert_eq!(super::xml_entity("#xE9"), "é");
        assert_eq!(super::xml_entity("lol"), "");
    }
}
