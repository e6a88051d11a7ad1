//! `anthology` turns a multi-author anthology into finished books.
//!
//! The pipeline is a sequence of plain functions over one model:
//!
//! 1. [`load`]: read `book.toml` ([`config`]) and every contribution in
//!    parallel ([`frontmatter`], [`markdown`] into a [`document`], images
//!    through [`assets`]);
//! 2. [`validate`]: collect every [`diagnostic`] at once;
//! 3. [`order`]: arrange the essays into a read-only [`book::Book`], with the
//!    contributor index sorted by the language's collation ([`collate`]);
//! 4. [`build`]: render the editions from `&Book`, concurrently: [`pdf`],
//!    [`epub`] and [`html`] (the last two through one [`xhtml`] writer; the
//!    typography pass they all share is in [`typography`]).
//!
//! [`check`] runs stages 1 and 2 for `anthology check`; [`prepare`] runs all
//! three for `anthology build`. Between builds, a [`build::Session`] keeps
//! work in memory and in the on-disk [`cache`]; [`watch`] rebuilds after each
//! edit with one, and [`serve`] shows the site it makes.

#![warn(missing_docs)]

pub mod assets;
pub mod book;
pub mod build;
pub mod cache;
pub mod cards;
pub mod collate;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod document;
pub mod epub;
pub mod frontmatter;
pub mod git;
pub mod html;
pub mod images;
pub mod labels;
pub mod load;
pub mod markdown;
pub mod order;
pub mod pdf;
pub mod release;
pub mod scaffold;
pub mod serve;
pub mod stats;
pub mod synth;
pub mod toml_input;
pub mod typography;
pub mod validate;
pub mod watch;
pub mod xhtml;

use std::path::Path;

use book::Book;
use diagnostic::Report;
use load::{LoadError, Loaded};

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
    let mut loaded = load::load(root)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(validate::validate(&loaded));
    let texts: Vec<&book::Essay> =
        loaded.essays.iter().chain(&loaded.front).chain(&loaded.back).chain(loaded.intros.values()).collect();
    diagnostics.extend(pdf::missing_glyphs(&loaded.root, &texts));
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
/// `base`: those of the contributions it added or changed, and every
/// book-wide one (book.toml, sections, front and back matter, templates,
/// duplicate slugs), since a change anywhere can break those.
pub fn check_changed(root: &Path, base: &str) -> Result<(Checked, Changes), CheckChangedError> {
    let files = git::changed_files(root, base)?;
    let slugs = git::changed_slugs(&files);
    let mut checked = check(root)?;
    let changed: Vec<&Path> =
        checked.loaded.essays.iter().filter(|e| slugs.contains(&e.slug)).map(|e| e.file.as_path()).collect();
    let essay_dirs: Vec<std::path::PathBuf> = slugs.iter().map(|s| Path::new(load::CONTRIBUTIONS).join(s)).collect();
    checked.report.retain(|d| {
        let f = d.location.file.as_path();
        !f.starts_with(load::CONTRIBUTIONS)
            || d.code == diagnostic::Code::DuplicateSlug
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
    Git(#[from] git::GitError),
    /// The book could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// Loads, validates and orders the book in `root`. The book is `None` when
/// the report has errors.
pub fn prepare(root: &Path, drafts: bool) -> Result<(Option<Book>, Report), LoadError> {
    let Checked { loaded, report } = check(root)?;
    if report.errors() > 0 {
        return Ok((None, report));
    }
    Ok((order::order(loaded, drafts), report))
}
