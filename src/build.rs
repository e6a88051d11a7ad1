//! Stage 4, render: the editions of an ordered book, made concurrently.
//!
//! The book is read-only, so the editions share it without locks. The PDF,
//! the longest, starts first on its own thread; the website and then the
//! EPUB follow on another, sharing one [`images::Cache`] so that each photo is
//! decoded and scaled once for both. Every edition is written atomically (a
//! temporary file or folder, then a rename): a failed or interrupted build
//! leaves the previous editions intact and nothing half-written.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::book::Book;
use crate::diagnostic::Diagnostic;
use crate::{epub, html, images, pdf};

/// Which editions to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Editions {
    /// `<out>/<slug>.pdf`.
    pub pdf: bool,
    /// `<out>/<slug>.epub`.
    pub epub: bool,
    /// `<out>/html/`.
    pub html: bool,
}

/// One edition made.
#[derive(Debug)]
pub struct Made {
    /// Where it was written (the site's index.html for the web edition).
    pub path: PathBuf,
    /// Bytes written.
    pub bytes: usize,
    /// A short description: pages, documents, files.
    pub detail: String,
    /// How long it took.
    pub time: Duration,
    /// Warnings met on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Why an edition could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// typst reported errors (in a template, most often).
    #[error("the PDF could not be typeset")]
    Typeset(Vec<Diagnostic>),
    /// The PDF failed otherwise.
    #[error(transparent)]
    Pdf(pdf::PdfError),
    /// The EPUB failed.
    #[error(transparent)]
    Epub(#[from] epub::EpubError),
    /// The website failed.
    #[error(transparent)]
    Html(#[from] html::HtmlError),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What a build made, edition by edition (`None` when not asked for).
#[derive(Debug)]
pub struct Outcome {
    /// The PDF.
    pub pdf: Option<Result<Made, EditionError>>,
    /// The EPUB.
    pub epub: Option<Result<Made, EditionError>>,
    /// The website.
    pub html: Option<Result<Made, EditionError>>,
    /// The whole build's time.
    pub time: Duration,
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a
/// rename, so that `path` is either the previous file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn make_pdf(book: &Book, out: &Path) -> Result<Made, EditionError> {
    let started = Instant::now();
    let made = pdf::render(book).map_err(|e| match e {
        pdf::PdfError::Typeset(d) => EditionError::Typeset(d),
        other => EditionError::Pdf(other),
    })?;
    let path = out.join(format!("{}.pdf", book.config.slug));
    write_atomically(&path, &made.bytes).map_err(|source| EditionError::Write { path: path.clone(), source })?;
    Ok(Made {
        path,
        bytes: made.bytes.len(),
        detail: format!("{} pages", made.pages),
        time: started.elapsed(),
        warnings: made.warnings,
    })
}

fn make_epub(book: &Book, out: &Path, cache: &images::Cache) -> Result<Made, EditionError> {
    let started = Instant::now();
    let made = epub::render_with(book, cache)?;
    let path = out.join(format!("{}.epub", book.config.slug));
    write_atomically(&path, &made.bytes).map_err(|source| EditionError::Write { path: path.clone(), source })?;
    Ok(Made {
        path,
        bytes: made.bytes.len(),
        detail: format!("{} documents, {} images", made.documents, made.images),
        time: started.elapsed(),
        warnings: Vec::new(),
    })
}

fn make_html(book: &Book, out: &Path, cache: &images::Cache) -> Result<Made, EditionError> {
    let started = Instant::now();
    let site = html::render_with(book, cache)?;
    let dir = out.join("html");
    html::write(&site, &dir).map_err(|source| EditionError::Write { path: dir.clone(), source })?;
    Ok(Made {
        path: dir.join("index.html"),
        bytes: site.files.values().map(Vec::len).sum(),
        detail: format!("{} pages, {} files", site.pages, site.files.len()),
        time: started.elapsed(),
        warnings: Vec::new(),
    })
}

/// Makes the `which` editions of `book` in `out`, concurrently.
pub fn editions(book: &Book, out: &Path, which: Editions) -> Outcome {
    let started = Instant::now();
    let cache = images::Cache::default();
    let (pdf, (html, epub)) = std::thread::scope(|s| {
        let pdf = which.pdf.then(|| s.spawn(|| make_pdf(book, out)));
        let screen = s.spawn(|| {
            let html = which.html.then(|| make_html(book, out, &cache));
            let epub = which.epub.then(|| make_epub(book, out, &cache));
            (html, epub)
        });
        let pdf = pdf.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (pdf, screen.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    Outcome { pdf, epub, html, time: started.elapsed() }
}
