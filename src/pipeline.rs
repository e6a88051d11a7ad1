//! The pipeline, in order: load -> validate -> order, for every command.
//!
//! [`check`] runs the first two stages for `anthology check`; [`prepare`]
//! runs all three for `anthology build`, `list` and `watch`, and gives the
//! read-only [`Book`] the editions render. Rendering is [`crate::build`]'s.

use std::path::Path;

use crate::diagnostic::{self, Report};
use crate::input::{self, LoadError, Loaded};
use crate::model::book::Book;
use crate::{check as rules, fonts, order};

/// The result of checking a book.
#[derive(Debug)]
pub struct Checked {
    /// What was loaded (sources moved into the report).
    pub loaded: Loaded,
    /// Every diagnostic.
    pub report: Report,
}

/// Loads and validates the book in `root`.
pub fn check(root: &Path) -> Result<Checked, LoadError> {
    let mut loaded = input::load(root)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(rules::validate(&loaded));
    let texts: Vec<&crate::model::book::Essay> = loaded.texts().collect();
    let default = crate::config::BookConfig::minimal("", "en");
    let config = loaded.config.as_ref().unwrap_or(&default);
    diagnostics.extend(fonts::coverage::check(&loaded.root, config, &texts, &loaded.sources));
    let report = Report::new(diagnostics, std::mem::take(&mut loaded.sources));
    Ok(Checked { loaded, report })
}

/// What `check --changed` looked at.
#[derive(Debug)]
pub struct Changes {
    /// The contributions changed since the base (by slug), that still exist.
    pub essays: std::collections::BTreeSet<String>,
}

/// [`check`], then only the diagnostics a branch is responsible for since
/// `base`: those of the contributions it added or changed (a translation
/// is its original's), and every book-wide one (book.toml, sections, front
/// and back matter, templates, duplicate slugs, translations behind their
/// originals), since a change anywhere can break those.
pub fn check_changed(root: &Path, base: &str) -> Result<(Checked, Changes), CheckChangedError> {
    let files = input::git::changed_files(root, base)?;
    let names = input::git::changed_names(&files);
    let slugs: std::collections::BTreeSet<String> = names.iter().map(|n| crate::lang::slug::ascii(n)).collect();
    let mut checked = check(root)?;
    let changed: Vec<&Path> =
        checked.loaded.essays.iter().filter(|e| slugs.contains(&e.slug)).map(|e| e.file.as_path()).collect();
    let essay_dirs: Vec<std::path::PathBuf> = names.iter().map(|s| Path::new(input::CONTRIBUTIONS).join(s)).collect();
    checked.report.retain(|d| {
        let f = d.location.file.as_path();
        !f.starts_with(input::CONTRIBUTIONS)
            || d.code == diagnostic::Code::DuplicateSlug
            // A changed original puts its translations behind, wherever they are.
            || d.code == diagnostic::Code::TranslationBehind
            || files.contains(f)
            || changed.contains(&f)
            || essay_dirs.iter().any(|dir| f.starts_with(dir))
    });
    let essays = checked.loaded.essays.iter().filter(|e| slugs.contains(&e.slug)).map(|e| e.slug.clone()).collect();
    Ok((checked, Changes { essays }))
}

/// Why `check --changed` could not run.
#[derive(Debug, thiserror::Error)]
pub enum CheckChangedError {
    /// git could not say what changed.
    #[error(transparent)]
    Git(#[from] input::git::GitError),
    /// The book could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// Loads, validates and orders the book in `root`, with its edition in each
/// of its other languages after it (`[book] languages`; see
/// [`order::editions`]). No book when the report has errors.
pub fn prepare_editions(root: &Path, drafts: bool) -> Result<(Vec<Book>, Report), LoadError> {
    let Checked { loaded, report } = check(root)?;
    if report.errors() > 0 {
        return Ok((Vec::new(), report));
    }
    Ok((order::editions(loaded, drafts), report))
}

/// Loads, validates and orders the book in `root`, in its own language
/// only. The book is `None` when the report has errors.
pub fn prepare(root: &Path, drafts: bool) -> Result<(Option<Book>, Report), LoadError> {
    let Checked { loaded, report } = check(root)?;
    if report.errors() > 0 {
        return Ok((None, report));
    }
    Ok((order::order(loaded, drafts), report))
}
