//! Finding the contributions of a book: `contributions/<slug>.md` files and
//! `<slug>/index.md` folders, their names checked as slugs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{CONTRIBUTIONS, LoadError};
use crate::config;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::lang::slug;

/// A contribution found on disk.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// The file stem or folder name, as written.
    pub name: String,
    /// Its ASCII form, the essay's slug (set once the name is checked).
    pub slug: String,
    pub file: PathBuf,
    /// For a translation (`<name>.<lang>.md`, `<name>/index.<lang>.md`):
    /// its language, normalised.
    pub lang: Option<String>,
}

/// Lists `contributions/`: `<slug>.md` files and `<slug>/index.md` folders,
/// then their translations (`<slug>.<lang>.md`, `<slug>/index.<lang>.md`).
/// Names starting with `.` or `_` are skipped.
pub(super) fn discover(root: &Path, diags: &mut Vec<Diagnostic>) -> Result<(Vec<Found>, Vec<Found>), LoadError> {
    let dir = root.join(CONTRIBUTIONS);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diags.push(
                Diagnostic::new(
                    Code::BookFileMissing,
                    Location::file(config::BOOK_FILE),
                    "the book has no contributions/ folder",
                )
                .hint("essays go in contributions/<slug>.md or contributions/<slug>/index.md"),
            );
            return Ok((Vec::new(), Vec::new()));
        }
        Err(source) => return Err(LoadError::List { path: dir, source }),
    };
    let mut found = Vec::new();
    let mut translations = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::List { path: dir.clone(), source })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            if path.join("index.md").exists() || path.join("index.md").is_symlink() {
                found.push(Found {
                    name: name.clone(),
                    slug: String::new(),
                    file: Path::new(CONTRIBUTIONS).join(&name).join("index.md"),
                    lang: None,
                });
            }
            for inner in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let file = inner.file_name().to_string_lossy().into_owned();
                if let Some(("index", lang)) = file.strip_suffix(".md").and_then(split_name) {
                    translations.push(Found {
                        name: name.clone(),
                        slug: slug::ascii(&name),
                        file: Path::new(CONTRIBUTIONS).join(&name).join(&file),
                        lang: Some(lang),
                    });
                }
            }
        } else if let Some(stem) = name.strip_suffix(".md") {
            let file = Path::new(CONTRIBUTIONS).join(&name);
            match split_name(stem) {
                Some((base, lang)) => {
                    translations.push(Found { name: base.to_string(), slug: slug::ascii(base), file, lang: Some(lang) })
                }
                None => found.push(Found { name: stem.to_string(), slug: String::new(), file, lang: None }),
            }
        }
    }
    translations.sort_by(|a, b| a.file.cmp(&b.file));
    found.sort_by(|a, b| a.file.cmp(&b.file));
    let mut seen: HashMap<String, (PathBuf, String)> = HashMap::new();
    for f in &mut found {
        if !slug::valid_name(&f.name) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidSlug,
                    Location::file(&f.file),
                    format!("`{}` cannot name an essay", f.name),
                )
                .hint("rename it with letters, digits, hyphens and underscores only, e.g. `my-essay.md`"),
            );
        }
        // Its name in URLs and file names: names that differ only by accents
        // or case would be one file on the site.
        f.slug = if slug::valid_name(&f.name) { slug::ascii(&f.name) } else { f.name.clone() };
        if let Some((first, first_name)) = seen.get(&f.slug) {
            let hint = if *first_name == f.name {
                "keep one of them, or rename one".to_string()
            } else {
                format!(
                    "their names differ only by accents, case or script, and both would be `{}` on the site and in the EPUB: rename one",
                    f.slug
                )
            };
            diags.push(
                Diagnostic::new(
                    Code::DuplicateSlug,
                    Location::file(&f.file),
                    format!(
                        "two contributions have the slug `{}`: {} and {}",
                        f.slug,
                        crate::diagnostic::slash_path(first),
                        crate::diagnostic::slash_path(&f.file)
                    ),
                )
                .hint(hint),
            );
        } else {
            seen.insert(f.slug.clone(), (f.file.clone(), f.name.clone()));
        }
    }
    Ok((found, translations))
}

/// A file name that names a translation: its stem (`interview` of
/// `interview.en.md`, `index` of `index.ar.md`) and its language tag,
/// normalised. `None` for a name with no language after its last dot.
pub(super) fn split_name(stem: &str) -> Option<(&str, String)> {
    let (base, tag) = stem.rsplit_once('.')?;
    if base.is_empty() || tag.is_empty() || !tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some((base, crate::lang::normalised(tag)?))
}
