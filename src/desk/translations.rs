//! `anthology translations`: where each of the book's languages stands
//! (translations done, behind their originals, not marked, missing), and
//! `translations done`, which records in a translation the version of the
//! original it translates, editing its front matter in place.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::slash_path;
use crate::input::Loaded;
use crate::input::frontmatter;
use crate::input::translations::{self, State};

/// Where one language stands.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Language {
    /// Its tag.
    pub language: String,
    /// The translations that record their original as it is now.
    pub done: Vec<String>,
    /// The translations of an earlier version of their original.
    pub behind: Vec<String>,
    /// The translations that record no version yet.
    pub unmarked: Vec<String>,
    /// The originals with no translation into it.
    pub missing: Vec<String>,
}

/// Where each of the book's other languages stands, in `[book] languages`' order.
pub fn report(loaded: &Loaded) -> Vec<Language> {
    let Some(cfg) = &loaded.config else { return Vec::new() };
    cfg.other_languages()
        .map(|lang| {
            let mut l = Language {
                language: lang.to_string(),
                done: Vec::new(),
                behind: Vec::new(),
                unmarked: Vec::new(),
                missing: translations::missing(loaded, lang).iter().map(|e| slash_path(&e.file)).collect(),
            };
            for t in loaded.translations.iter().filter(|t| t.lang == lang) {
                let list = match t.state() {
                    State::Done => &mut l.done,
                    State::Behind => &mut l.behind,
                    State::Unmarked => &mut l.unmarked,
                };
                list.push(slash_path(&t.text.file));
            }
            l
        })
        .collect()
}

/// Why a translation could not be marked done.
#[derive(Debug, thiserror::Error)]
pub enum DoneError {
    /// The file is not one of the book's translations.
    #[error(
        "{0} is not a translation of this book: a translation is named <original>.<lang>.md, for a language of `[book] languages`, beside its original"
    )]
    NotATranslation(String),
    /// Its front matter cannot be edited.
    #[error("{0}: its front matter (between +++ lines) cannot be read: run `anthology check`")]
    FrontMatter(String),
    /// Reading or writing failed.
    #[error("cannot update {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Records in the translation `file` (relative to the book's root, or as
/// the command line names it) that it translates its original as it is
/// now: its `original_sha256`, written into its front matter in place,
/// every other line kept. Returns the original's file.
pub fn mark_done(loaded: &Loaded, file: &Path) -> Result<PathBuf, DoneError> {
    let rel = file.strip_prefix(&loaded.root).unwrap_or(file);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let named = slash_path(rel);
    let t = loaded
        .translations
        .iter()
        .find(|t| slash_path(&t.text.file) == named)
        .ok_or_else(|| DoneError::NotATranslation(named.clone()))?;
    let path = loaded.root.join(&t.text.file);
    let io = |source| DoneError::Io { path: path.clone(), source };
    let text = std::fs::read_to_string(&path).map_err(io)?;
    let split = frontmatter::split(&text).map_err(|_| DoneError::FrontMatter(named.clone()))?;
    let mut doc: toml_edit::DocumentMut =
        text[split.front.clone()].parse().map_err(|_| DoneError::FrontMatter(named.clone()))?;
    doc["original_sha256"] = toml_edit::value(t.current.clone());
    let mut front = doc.to_string();
    if !front.ends_with('\n') {
        front.push('\n');
    }
    let updated = format!("{}{front}{}", &text[..split.front.start], &text[split.front.end..]);
    crate::files::write_atomically(&path, updated.as_bytes()).map_err(io)?;
    Ok(t.original.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\nlanguage = \"fr\"\nlanguages = [\"en\"]\n")
            .unwrap();
        std::fs::create_dir(root.join("contributions")).unwrap();
        std::fs::write(
            root.join("contributions/a.md"),
            "+++\ntitle = \"Un\"\n[[authors]]\nname = \"Ana Lima\"\n+++\n\nUn texte.\n",
        )
        .unwrap();
        std::fs::write(
            root.join("contributions/a.en.md"),
            "+++\ntitle = \"One\" # kept\n\n[[translators]]\nname = \"Tom Reed\"\n+++\n\nA text.\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn done_records_the_original_and_an_edit_of_it_puts_the_translation_behind() {
        let dir = book();
        let root = dir.path();
        let loaded = crate::input::load(root).unwrap();
        assert_eq!(report(&loaded)[0].unmarked, ["contributions/a.en.md"]);
        let original = mark_done(&loaded, Path::new("contributions/a.en.md")).unwrap();
        assert_eq!(original, Path::new("contributions/a.md"));
        let text = std::fs::read_to_string(root.join("contributions/a.en.md")).unwrap();
        assert!(text.starts_with("+++\ntitle = \"One\" # kept\noriginal_sha256 = \""), "{text}");
        assert!(text.contains("[[translators]]\nname = \"Tom Reed\"\n+++\n\nA text.\n"), "{text}");
        let loaded = crate::input::load(root).unwrap();
        assert_eq!(report(&loaded)[0].done, ["contributions/a.en.md"]);
        // The original's metadata changes: still done. Its text changes: behind.
        let a = std::fs::read_to_string(root.join("contributions/a.md")).unwrap();
        std::fs::write(root.join("contributions/a.md"), a.replace("\"Un\"", "\"Premier\"")).unwrap();
        assert_eq!(report(&crate::input::load(root).unwrap())[0].done.len(), 1);
        std::fs::write(root.join("contributions/a.md"), a.replace("Un texte.", "Un autre texte.")).unwrap();
        let loaded = crate::input::load(root).unwrap();
        assert_eq!(report(&loaded)[0].behind, ["contributions/a.en.md"]);
        assert!(matches!(mark_done(&loaded, Path::new("contributions/a.md")), Err(DoneError::NotATranslation(_))));
    }
}
