//! Stage 4, render: the editions of an ordered book, made concurrently,
//! then written and reported in one place.
//!
//! The book is read-only, so the editions share it without locks. The PDF,
//! the longest, starts first on its own thread (the offprints come from the
//! same typesetting); the share cards, the website and then the EPUB follow
//! on another, sharing one [`images::Cache`] so that each photo is decoded and
//! scaled once for all of them. The website is finished last: its citations
//! name each essay's pages in the PDF and serve its offprint, which the PDF's
//! thread sends it once they are made. Each edition returns an [`Output`], which
//! [`Session::write`] writes atomically (a temporary file or folder, then a
//! rename): a failed or interrupted build leaves the previous editions intact
//! and nothing half-written.
//!
//! A [`Session`] is what stays from one build to the next: the images (in
//! memory and in `.anthology-cache/`), the parsed fonts, the PDF of the last
//! typst inputs, the layout of each piece of the PDF, and the site last
//! written. `anthology build` uses one for a single build; `anthology watch`
//! keeps one alive, so that a rebuild after an edit redoes only what the edit
//! changed (only the pieces of the PDF whose files changed are typeset again,
//! see [`typst::pieces`], and only the pages of the site whose bytes changed
//! are written again).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cache::{DiskCache, KeyBuilder, Stats};
use crate::diagnostic::{Diagnostic, Report};
use crate::editions::typst::world::BookWorld;
use crate::editions::{Edition, Editions, Files, Output, epub, html, images, typst};
use crate::files::{update_folder, write_atomically, write_folder};
use crate::fonts::Fonts;
use crate::model::book::Book;

/// Hears of each edition as it is finished.
pub type Progress<'a> = dyn Fn(Edition, &Result<Made, EditionError>) + Sync + 'a;

/// One edition made and written.
#[derive(Debug)]
pub struct Made {
    /// Where it was written (the site's index.html for the web edition).
    pub path: PathBuf,
    /// Bytes written.
    pub bytes: usize,
    /// A short description: pages, documents, files.
    pub detail: String,
    /// Pages: the PDF's, or the site's HTML pages.
    pub pages: Option<usize>,
    /// How long it took.
    pub time: Duration,
    /// Warnings met on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Why an edition could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// typst reported errors (in a template, most often), at their files and lines.
    #[error("typst reported {} error(s)", .0.len())]
    Typeset(Vec<Diagnostic>),
    /// The PDF, the offprints or the cards failed otherwise.
    #[error(transparent)]
    Typst(typst::PdfError),
    /// The EPUB failed.
    #[error(transparent)]
    Epub(#[from] epub::EpubError),
    /// The website failed.
    #[error(transparent)]
    Html(#[from] html::HtmlError),
    /// The offprints were not made because the book's PDF failed (told with the PDF).
    #[error("not made, since the book's PDF could not be")]
    NoBook,
    /// The cover was asked for a book that is not printed.
    #[error("a cover is made for a printed book: add a [print] table to book.toml")]
    NotPrinted,
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl From<typst::PdfError> for EditionError {
    fn from(e: typst::PdfError) -> Self {
        match e {
            typst::PdfError::Typeset(d) => EditionError::Typeset(d),
            other => EditionError::Typst(other),
        }
    }
}

impl EditionError {
    /// The diagnostics of typst's errors, with the files of the book they
    /// point at (a template) to show their lines; `None` for other errors.
    pub fn typeset_report(&self, root: &Path) -> Option<Report> {
        let EditionError::Typeset(diags) = self else { return None };
        let mut sources = BTreeMap::new();
        for d in diags {
            let file = &d.location.file;
            if !sources.contains_key(file)
                && let Ok(real) = crate::input::assets::locate(root, file)
                && let Ok(text) = std::fs::read_to_string(real)
            {
                sources.insert(file.clone(), text);
            }
        }
        Some(Report::new(diags.clone(), sources))
    }
}

/// What a build made, edition by edition: only the editions asked for are there.
#[derive(Debug)]
pub struct Outcome {
    /// Each edition asked for, with what became of it, in [`Edition::ALL`]'s order.
    pub editions: BTreeMap<Edition, Result<Made, EditionError>>,
    /// The whole build's time.
    pub time: Duration,
    /// What the disk cache did, counted since the session began.
    pub cache: Stats,
    /// When the site went out before the PDF was done (in `watch`, with the
    /// last build's page numbers; see [`Session::early_site`]): how long
    /// after the editions began.
    pub site_first: Option<Duration>,
}

impl Outcome {
    /// What became of `e`, when it was asked for.
    pub fn get(&self, e: Edition) -> Option<&Result<Made, EditionError>> {
        self.editions.get(&e)
    }

    /// `e`, when it was asked for and made.
    pub fn made(&self, e: Edition) -> Option<&Made> {
        self.get(e).and_then(|r| r.as_ref().ok())
    }

    /// Whether every edition asked for was made.
    pub fn succeeded(&self) -> bool {
        self.editions.values().all(Result::is_ok)
    }
}

/// The sizes each kind of image is made at by the editions asked, so that
/// each file is decoded once for all of them (see [`images::Cache::set_groups`]).
fn size_groups(which: Editions) -> Vec<Vec<u32>> {
    let mut photos = Vec::new();
    let mut pictures = Vec::new();
    if which.contains(Edition::Html) {
        photos.extend(html::PHOTO_SIZES);
        pictures.extend(html::IMAGE_SIZES);
    }
    if which.contains(Edition::Epub) {
        photos.push(epub::PHOTO_PIXELS);
        pictures.push(epub::IMAGE_PIXELS);
    }
    if which.contains(Edition::Pdf) {
        photos.push(typst::PRINT_PHOTO_PIXELS);
        pictures.push(typst::PRINT_IMAGE_PIXELS);
    }
    vec![photos, pictures]
}

/// The offprints as one cache entry: for each, its slug, pages and bytes.
/// What the site's citations need of the print edition.
fn citable(pdf: &typst::Pdf, offprints: Option<&[typst::Offprint]>) -> html::cite::Print {
    html::cite::Print {
        pages: pdf.essay_pages.clone(),
        offprints: offprints.unwrap_or_default().iter().map(|o| (o.slug.clone(), o.bytes.clone())).collect(),
        downloads: Vec::new(),
    }
}

/// An edition made beside the site, as its home page offers it.
fn download(book: &Book, edition: Edition, output: &Output) -> Option<html::cite::Download> {
    let Files::One(bytes) = &output.files else { return None };
    let file = edition.target(Path::new(""), &book.config).to_string_lossy().into_owned();
    let (kind, media_type) = match edition {
        Edition::Pdf => ("PDF", "application/pdf"),
        Edition::Epub => ("EPUB", "application/epub+zip"),
        _ => return None,
    };
    Some(html::cite::Download {
        file,
        kind,
        media_type,
        pages: output.pages.filter(|_| edition == Edition::Pdf),
        bytes: bytes.clone(),
    })
}

/// Hands the memory freed so far back to the system. glibc keeps what a
/// program frees for its next allocations, counted in its resident size,
/// and the files written after the PDF (the website, with copies of the
/// editions) are not all made of the small blocks typst freed: a one-build
/// session calls this once typst's work is dropped, so that they do not
/// add to the build's peak.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused pages of the allocator's own
    // heaps to the system; it takes the allocator's locks itself.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Each essay's pages, as a cache entry: `slug<TAB>first<TAB>last` lines.
fn encode_pages(pages: &crate::editions::metadata::PageMap) -> Vec<u8> {
    let mut out = String::new();
    for (slug, p) in pages {
        out.push_str(&format!("{slug}\t{}\t{}\n", p.first, p.last));
    }
    out.into_bytes()
}

fn decode_pages(entry: &[u8]) -> Option<crate::editions::metadata::PageMap> {
    let text = std::str::from_utf8(entry).ok()?;
    let mut out = crate::editions::metadata::PageMap::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let (slug, first, last) = (f.next()?, f.next()?, f.next()?);
        out.insert(slug.to_string(), crate::editions::metadata::Pages { first: first.into(), last: last.into() });
    }
    Some(out)
}

fn encode_offprints(list: &[typst::Offprint]) -> Vec<u8> {
    let mut out = (list.len() as u64).to_le_bytes().to_vec();
    for o in list {
        for part in [o.slug.as_bytes(), &(o.pages as u64).to_le_bytes(), &o.bytes] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out
}

fn decode_offprints(entry: &[u8]) -> Option<Vec<typst::Offprint>> {
    let mut at: usize = 0;
    let mut take = |n: usize| -> Option<&[u8]> {
        let part = entry.get(at..at.checked_add(n)?)?;
        at += n;
        Some(part)
    };
    let number = |b: &[u8]| Some(u64::from_le_bytes(b.try_into().ok()?) as usize);
    let count = number(take(8)?)?;
    let mut list = Vec::new();
    for _ in 0..count {
        let mut part = || {
            let n = number(take(8)?)?;
            take(n).map(<[u8]>::to_vec)
        };
        let slug = String::from_utf8(part()?).ok()?;
        let pages = number(&part()?)?;
        list.push(typst::Offprint { slug, pages, bytes: part()?, not_ua: None });
    }
    Some(list)
}

/// A folder's files by path inside it, as an edition makes them.
type Folder = BTreeMap<PathBuf, Vec<u8>>;

/// What one build keeps for the next: see the module's documentation.
pub struct Session {
    images: images::Cache,
    /// The book's fonts with the fingerprint of the fonts/ folder they came
    /// from and what they were chosen for.
    fonts: Mutex<Option<(u64, crate::fonts::Request, Arc<Fonts>)>>,
    /// The site last written, by output folder, to write only what changed.
    site: Mutex<Option<(PathBuf, Folder)>>,
    /// The typst world of the last PDF, updated rather than made again.
    world: Mutex<Option<BookWorld>>,
    /// The layout of each piece of the book, with what it read.
    layouts: typst::pieces::Layouts,
    /// Whether the site is written before the PDF is done (see
    /// [`Session::early_site`]), and what the last build's PDF gave it.
    early_site: bool,
    last_print: Mutex<Option<html::cite::Print>>,
    /// Whether the session makes one build only (see [`Session::one_build`]).
    one_build: bool,
}

/// Takes each edition's result as it is finished.
type Done<'a> = dyn Fn(Edition, Result<Made, EditionError>) + Sync + 'a;

/// The PDF's output, the offprints' when asked, the time the PDF took, and
/// what the site's citations need of them.
type Print = (Output, Option<Result<Output, EditionError>>, Duration, html::cite::Print);

impl Session {
    /// A session for the book at `root`, with its disk cache.
    pub fn new(root: &Path) -> Self {
        Self::with_cache(DiskCache::open(root))
    }

    /// A session with the given disk cache ([`DiskCache::disabled`] for none).
    pub fn with_cache(disk: DiskCache) -> Self {
        Session {
            images: images::Cache::with_disk(disk),
            fonts: Mutex::default(),
            site: Mutex::default(),
            world: Mutex::default(),
            layouts: typst::pieces::Layouts::default(),
            early_site: false,
            last_print: Mutex::default(),
            one_build: false,
        }
    }

    /// This session, making one build and no other: once the PDF is
    /// exported, the book's layouts and typst's memoised work are dropped
    /// rather than kept for a next build, so that the website and the
    /// files written last reuse their memory instead of adding to the
    /// build's peak (`anthology build`).
    pub fn one_build(mut self) -> Self {
        self.one_build = true;
        self
    }

    /// This session, writing the site as soon as it is made, with the page
    /// numbers, offprints and downloads of the last build, then again
    /// (what changed) once this build's PDF is done: `watch` shows an edit
    /// on the site without waiting for the book to be typeset. The first
    /// build, with no PDF before it, waits. Once the PDF is done the site
    /// is the one a cold build writes.
    pub fn early_site(mut self) -> Self {
        self.early_site = true;
        self
    }

    /// The pieces of the book typeset (rather than reused) since the last
    /// call, by main file (see [`typst::pieces`]).
    pub fn pieces_typeset(&self) -> Vec<String> {
        self.layouts.take_typeset()
    }

    /// What the disk cache did so far.
    pub fn cache_stats(&self) -> Stats {
        self.images.disk().stats()
    }

    fn fonts(&self, book: &Book) -> Result<Arc<Fonts>, crate::fonts::FontError> {
        let request = typst::font_request(book);
        let print = crate::files::fingerprint_of(&[book.root.join(crate::fonts::FONTS_DIR)]);
        let mut slot = self.fonts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((p, r, fonts)) = slot.as_ref()
            && *p == print
            && *r == request
        {
            return Ok(fonts.clone());
        }
        let fonts = Arc::new(Fonts::for_book(&book.root, &request)?);
        *slot = Some((print, request, fonts.clone()));
        Ok(fonts)
    }

    /// The PDF of `book`, and its offprints when `offprints`: from the disk
    /// cache when the typst inputs are the same, else typeset in the kept world.
    fn print(&self, book: &Book, offprints: bool) -> Result<Print, EditionError> {
        let started = Instant::now();
        let fonts = self.fonts(book).map_err(typst::PdfError::from)?;
        let sources = typst::sources(book, &fonts)?;
        let disk = self.images.disk();
        let key = typst::cache_key(book, &sources, &fonts, &self.images)?;
        let off_key = KeyBuilder::new("offprints").part(&key).finish();
        let pages_key = KeyBuilder::new("essay-pages").part(&key).finish();
        // A printed book's margins, as the build reported them.
        let print_key = KeyBuilder::new("print-summary").part(&key).finish();
        let cached_pages = disk.get(&pages_key).and_then(|e| decode_pages(&e));
        let cached_print = match book.config.print {
            Some(_) => disk.get(&print_key).and_then(|e| String::from_utf8(e).ok()).map(Some),
            None => Some(None),
        };
        let cached_pdf = disk.get(&key).filter(|e| e.len() > 4).zip(cached_pages).zip(cached_print).map(
            |((entry, essay_pages), print)| {
                let pages = u32::from_le_bytes(entry[..4].try_into().expect("four bytes")) as usize;
                typst::Pdf {
                    bytes: entry[4..].to_vec(),
                    pages,
                    warnings: Vec::new(),
                    essay_pages,
                    print,
                    not_ua: false,
                }
            },
        );
        let cached_offprints = if offprints { disk.get(&off_key).and_then(|e| decode_offprints(&e)) } else { None };
        if let Some(made) = cached_pdf
            && (!offprints || cached_offprints.is_some())
        {
            for (file, (_, max)) in sources.assets.iter() {
                self.images.keep_print(&book.root.join(file), *max);
            }
            let cite = citable(&made, cached_offprints.as_deref());
            let extracts = cached_offprints.map(|list| Ok(typst::offprints_output(&list, false)));
            return Ok((made.into_output(), extracts, started.elapsed(), cite));
        }
        let mut slot = self.world.lock().unwrap_or_else(|e| e.into_inner());
        let world = self.take_world(&mut slot, book, &sources, fonts)?;
        let made = typst::lay_out(book, &sources, &world, &self.layouts).and_then(|(set, warnings)| {
            // The offprints are exported beside the book: its export leaves
            // a core idle much of the time.
            std::thread::scope(|scope| {
                let extracts = offprints.then(|| {
                    std::thread::Builder::new()
                        .stack_size(typst::COMPILE_STACK)
                        .spawn_scoped(scope, || typst::offprints_of(book, &sources, &world, &self.layouts, &set))
                        .expect("a thread for the offprints")
                });
                let pdf = typst::export_book(book, &sources, &world, &set, warnings);
                let book_time = started.elapsed();
                let extracts = extracts.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
                pdf.map(|pdf| (pdf, extracts, book_time))
            })
        });
        if self.one_build {
            // Nothing is typeset again: what typst laid out is freed now,
            // before the site is finished and the files are written.
            drop(world);
            self.layouts.clear();
            ::typst::comemo::evict(0);
            give_back_freed_memory();
        } else {
            *slot = Some(world);
            // Keep typst's memoised work of the last two compiles for the
            // next one, and drop older work: a long `watch` must not grow
            // forever.
            ::typst::comemo::evict(2);
        }
        let (made, extracts, book_time) = made?;
        // A PDF with warnings is made again next time, so they are shown again.
        if made.warnings.is_empty() {
            let mut entry = (made.pages as u32).to_le_bytes().to_vec();
            entry.extend_from_slice(&made.bytes);
            disk.put(&key, &entry);
            disk.put(&pages_key, &encode_pages(&made.essay_pages));
            if let Some(summary) = &made.print {
                disk.put(&print_key, summary.as_bytes());
            }
            if let Some(Ok(list)) = &extracts
                && list.iter().all(|o| o.not_ua.is_none())
            {
                disk.put(&off_key, &encode_offprints(list));
            }
        }
        let cite = citable(&made, extracts.as_ref().and_then(|r| r.as_ref().ok()).map(Vec::as_slice));
        let told = made.not_ua;
        let extracts = extracts.map(|r| r.map(|list| typst::offprints_output(&list, told)).map_err(EditionError::from));
        Ok((made.into_output(), extracts, book_time, cite))
    }

    /// The world kept in `slot` (taken out of it) brought up to `sources`,
    /// or a new one when none is kept or it was made with other fonts or for
    /// another date.
    fn take_world(
        &self,
        slot: &mut Option<BookWorld>,
        book: &Book,
        sources: &typst::Sources,
        fonts: Arc<Fonts>,
    ) -> Result<BookWorld, typst::PdfError> {
        match slot.take() {
            Some(mut w) if w.made_with(&fonts, typst::today(book)) => {
                typst::update_world(&mut w, book, sources, &self.images)?;
                Ok(w)
            }
            _ => typst::world(book, sources, fonts, &self.images),
        }
    }

    /// Whether the session keeps the layouts of a PDF's pieces, so that
    /// [`warm`](Self::warm) has nothing to do.
    pub fn keeps_layouts(&self) -> bool {
        !self.layouts.is_empty()
    }

    /// Lays out the pieces of `book`'s PDF when the session keeps none, as
    /// after a build that took the PDF from the disk cache, without
    /// exporting anything: `watch` calls it once it has shown its first
    /// build, so that the first edit typesets one essay, not the whole book.
    /// Nothing is written; a failure is left for the next build to report.
    pub fn warm(&self, book: &Book) {
        if self.keeps_layouts() {
            return;
        }
        let Ok(fonts) = self.fonts(book) else { return };
        let Ok(sources) = typst::sources(book, &fonts) else { return };
        if !sources.pieced() {
            return;
        }
        let mut slot = self.world.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(world) = self.take_world(&mut slot, book, &sources, fonts) {
            let _ = typst::lay_out(book, &sources, &world, &self.layouts);
            *slot = Some(world);
            ::typst::comemo::evict(2);
        }
    }

    /// Writes `output` as `edition` in `out`, atomically, and says what was made.
    pub fn write(
        &self,
        edition: Edition,
        book: &Book,
        out: &Path,
        output: Output,
        time: Duration,
    ) -> Result<Made, EditionError> {
        let path = edition.target(out, &book.config);
        let bytes = output.files.bytes();
        let failed = |source| EditionError::Write { path: path.clone(), source };
        let mut detail = output.summary;
        match output.files {
            Files::One(b) => {
                // An unchanged file is left as it is (watch rewrites nothing then).
                if std::fs::read(&path).ok().as_deref() != Some(b.as_slice()) {
                    write_atomically(&path, &b).map_err(failed)?;
                }
            }
            // The site is written again in every watch rebuild: only what changed.
            Files::Folder(files) if edition == Edition::Html => {
                let mut last = self.site.lock().unwrap_or_else(|e| e.into_inner());
                let written = match last.take() {
                    // The folder holds the site this session wrote: write the difference.
                    Some((d, previous)) if d == path && path.is_dir() => update_folder(&files, &previous, &path),
                    _ => write_folder(&files, &path).map(|()| files.len()),
                };
                let written = written.map_err(failed)?;
                detail.push_str(&format!(", {written} written"));
                *last = Some((path.clone(), files));
            }
            Files::Folder(files) => write_folder(&files, &path).map_err(failed)?,
        }
        let path = edition.entry().map_or(path.clone(), |e| path.join(e));
        Ok(Made { path, bytes, detail, pages: output.pages, time, warnings: output.warnings })
    }

    /// Each essay's pages in the PDF, as printed: from the cache when the
    /// book has not changed since it was last typeset, else typeset now.
    pub fn essay_pages(&self, book: &Book) -> Result<crate::editions::metadata::PageMap, EditionError> {
        self.print(book, false).map(|(_, _, _, cite)| cite.pages)
    }

    /// The PDF and the offprints, as asked; typeset once for both.
    fn make_print(
        &self,
        book: &Book,
        out: &Path,
        which: Editions,
        done: &Done<'_>,
        to_site: std::sync::mpsc::Sender<html::cite::Print>,
    ) {
        let started = Instant::now();
        let (pdf, offprints) = (which.contains(Edition::Pdf), which.contains(Edition::Offprints));
        let cover = which.contains(Edition::Cover);
        if cover && book.config.print.is_none() {
            done(Edition::Cover, Err(EditionError::NotPrinted));
        }
        let cover = cover && book.config.print.is_some();
        if !pdf && !offprints && !cover {
            return;
        }
        let typesetting = crate::doing::doing("typesetting the PDF");
        let (made, extracts, typeset) = match self.print(book, offprints) {
            Ok((made, extracts, typeset, mut cite)) => {
                // The site is finished with the pages as soon as they are
                // known, and offers the PDF when the build makes it.
                if pdf {
                    cite.downloads.extend(download(book, Edition::Pdf, &made));
                }
                let _ = to_site.send(cite);
                (made, extracts, typeset)
            }
            Err(e) => {
                // One failure, told once: on the PDF when it was asked for.
                let mut first = Some(e);
                for (asked, edition) in [(pdf, Edition::Pdf), (offprints, Edition::Offprints), (cover, Edition::Cover)]
                {
                    if asked {
                        done(edition, Err(first.take().unwrap_or(EditionError::NoBook)));
                    }
                }
                return;
            }
        };
        drop(typesetting);
        let pages = made.pages.unwrap_or(0);
        if pdf {
            done(Edition::Pdf, self.write(Edition::Pdf, book, out, made, typeset));
        }
        if let (true, Some(print)) = (cover, &book.config.print) {
            let _doing = crate::doing::doing("making the cover");
            let started = Instant::now();
            let made = self
                .fonts(book)
                .map_err(typst::PdfError::from)
                .and_then(|fonts| typst::cover::render(book, print, fonts, &self.images, pages))
                .map_err(EditionError::from)
                .and_then(|o| self.write(Edition::Cover, book, out, o, started.elapsed()));
            done(Edition::Cover, made);
        }
        if let Some(list) = extracts {
            done(
                Edition::Offprints,
                list.and_then(|o| self.write(Edition::Offprints, book, out, o, started.elapsed())),
            );
        }
    }

    /// The share cards, the website and the EPUB, as asked, in that order:
    /// the website shows the cards.
    fn make_screen(
        &self,
        book: &Book,
        out: &Path,
        which: Editions,
        done: &Done<'_>,
        from_print: Option<std::sync::mpsc::Receiver<html::cite::Print>>,
    ) -> Option<Instant> {
        let mut cards = Vec::new();
        let mut site_first = None;
        if which.contains(Edition::Cards) {
            let _doing = crate::doing::doing("making the share cards");
            let started = Instant::now();
            let made = self
                .fonts(book)
                .map_err(typst::PdfError::from)
                .and_then(|fonts| typst::cards::render(book, fonts, &self.images))
                .map_err(EditionError::from);
            done(
                Edition::Cards,
                made.and_then(|list| {
                    let output = typst::cards::output(&list);
                    cards = list;
                    self.write(Edition::Cards, book, out, output, started.elapsed())
                }),
            );
        }
        // The site is rendered first and finished last, once the PDF's
        // pages are known, so that the EPUB is made while the PDF is.
        let site = which.contains(Edition::Html).then(|| {
            let _doing = crate::doing::doing("making the website");
            let started = Instant::now();
            let made = html::render_pending(book, &self.images, &cards).map_err(EditionError::from);
            (made, started.elapsed())
        });
        if self.early_site
            && from_print.is_some()
            && let Some((Ok(site), _)) = &site
        {
            site_first = self.write_early_site(book, out, site);
        }
        // While it waits for the PDF, the site keeps its pages deflated.
        let waits = from_print.is_some();
        let site = site.map(|(made, time)| {
            let started = Instant::now();
            let held = made.map(|s| if waits { s.hold() } else { html::Held::from(s) });
            (held, time + started.elapsed())
        });
        let mut epub_download = None;
        if which.contains(Edition::Epub) {
            let _doing = crate::doing::doing("making the EPUB");
            let started = Instant::now();
            let made = epub::render_with(book, &self.images).map_err(EditionError::from);
            done(
                Edition::Epub,
                made.and_then(|e| {
                    let output = e.into_output();
                    if which.contains(Edition::Html) {
                        epub_download = download(book, Edition::Epub, &output);
                    }
                    self.write(Edition::Epub, book, out, output, started.elapsed())
                }),
            );
        }
        if let Some((made, time)) = site {
            let received = from_print.and_then(|r| r.recv().ok());
            let came = received.is_some();
            let mut print = received.unwrap_or_default();
            print.downloads.extend(epub_download);
            // Only what a PDF gave is kept for the next early site.
            if self.early_site && came {
                *self.last_print.lock().unwrap_or_else(|e| e.into_inner()) = Some(print.clone());
            }
            let _doing = crate::doing::doing("finishing the website");
            let started = Instant::now();
            done(
                Edition::Html,
                made.and_then(|held| {
                    let site = held.finish(book, &print);
                    self.write(Edition::Html, book, out, site.into_output(), time + started.elapsed())
                }),
            );
        }
        site_first
    }

    /// Writes `site` finished with the last build's PDF and EPUB (the
    /// pages, offprints and downloads), when there was a last build; the
    /// moment it was written.
    fn write_early_site(&self, book: &Book, out: &Path, site: &html::Site) -> Option<Instant> {
        // Taken, not copied: this build's PDF takes its place.
        let print = self.last_print.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        let _doing = crate::doing::doing("writing the website early");
        let mut early = site.clone();
        early.finish(book, &print);
        self.write(Edition::Html, book, out, early.into_output(), Duration::ZERO).ok()?;
        Some(Instant::now())
    }

    /// Makes the `which` editions of `book` in `out`, concurrently. After a
    /// build that made the PDF, the EPUB and the website, the disk cache drops
    /// what it no longer needs.
    pub fn editions(&self, book: &Book, out: &Path, which: Editions) -> Outcome {
        self.editions_with(book, out, which, &|_, _| {})
    }

    /// [`editions`](Self::editions), calling `progress` as each edition is
    /// finished (from the thread that made it), for progress displays.
    pub fn editions_with(&self, book: &Book, out: &Path, which: Editions, progress: &Progress<'_>) -> Outcome {
        let started = Instant::now();
        self.images.set_groups(size_groups(which));
        let results = Mutex::new(BTreeMap::new());
        let done = |e: Edition, r: Result<Made, EditionError>| {
            progress(e, &r);
            results.lock().unwrap_or_else(|p| p.into_inner()).insert(e, r);
        };
        let site_first = std::thread::scope(|s| {
            // Both threads run typst compiles: they get its large stack.
            let thread = || std::thread::Builder::new().stack_size(typst::COMPILE_STACK);
            let (to_site, from_print) = std::sync::mpsc::channel();
            let printing = which.any(&[Edition::Pdf, Edition::Offprints, Edition::Cover]);
            let print = printing.then(|| {
                thread()
                    .spawn_scoped(s, || self.make_print(book, out, which, &done, to_site))
                    .expect("a thread for the PDF")
            });
            let from_print = printing.then_some(from_print);
            let screen = thread()
                .spawn_scoped(s, || self.make_screen(book, out, which, &done, from_print))
                .expect("a thread for the EPUB and the website");
            if let Some(handle) = print {
                handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            }
            screen.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        });
        let editions = results.into_inner().unwrap_or_else(|p| p.into_inner());
        let complete =
            [Edition::Pdf, Edition::Epub, Edition::Html].iter().all(|e| matches!(editions.get(e), Some(Ok(_))));
        if complete {
            self.images.disk().prune();
        }
        let site_first = site_first.map(|at| at.saturating_duration_since(started));
        Outcome { editions, time: started.elapsed(), cache: self.cache_stats(), site_first }
    }
}

/// Makes the `which` editions of `book` in `out`, concurrently, with the
/// book's disk cache.
pub fn editions(book: &Book, out: &Path, which: Editions) -> Outcome {
    Session::new(&book.root).editions(book, out, which)
}
