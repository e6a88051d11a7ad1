//! Stage 4, render: the editions of an ordered book, made concurrently.
//!
//! The book is read-only, so the editions share it without locks. The PDF,
//! the longest, starts first on its own thread; the website and then the
//! EPUB follow on another, sharing one [`images::Cache`] so that each photo is
//! decoded and scaled once for all three. Every edition is written atomically
//! (a temporary file or folder, then a rename): a failed or interrupted build
//! leaves the previous editions intact and nothing half-written.
//!
//! A [`Session`] is what stays from one build to the next: the images (in
//! memory and in `.anthology-cache/`), the parsed fonts, the PDF of the last
//! typst inputs, and the site last written. `anthology build` uses one for a
//! single build; `anthology watch` keeps one alive, so that a rebuild after an
//! edit redoes only what the edit changed (typst's memoisation keeps the
//! layout of the other essays, and only the pages whose bytes changed are
//! written again).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::book::Book;
use crate::cache::{DiskCache, Stats};
use crate::diagnostic::Diagnostic;
use crate::pdf::world::Fonts;
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
    /// `<out>/offprints/<slug>.pdf`, one per essay.
    pub offprints: bool,
    /// `<out>/cards/<slug>.png` and `.txt`, one per essay; the website uses them.
    pub cards: bool,
}

impl Editions {
    /// The PDF, the EPUB and the website, and the offprints when the book
    /// enables them: what `anthology build` makes by default.
    pub fn default_for(config: &crate::config::BookConfig) -> Self {
        Editions { pdf: true, epub: true, html: true, offprints: config.offprints.enabled, cards: config.cards.enabled }
    }
}

/// One of the three editions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edition {
    /// The PDF.
    Pdf,
    /// The EPUB.
    Epub,
    /// The website.
    Html,
    /// One PDF per essay.
    Offprints,
    /// A share card per essay.
    Cards,
}

impl Edition {
    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Pdf => "PDF",
            Edition::Epub => "EPUB",
            Edition::Html => "HTML",
            Edition::Offprints => "offprints",
            Edition::Cards => "cards",
        }
    }
}

/// Hears of each edition as it is finished.
pub type Progress<'a> = dyn Fn(Edition, &Result<Made, EditionError>) + Sync + 'a;

/// One edition made.
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
    /// The offprints were not made because the book's PDF failed (told with the PDF).
    #[error("not made, since the book's PDF could not be")]
    NoBook,
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One edition's result: `None` when it was not asked for.
pub type Asked = Option<Result<Made, EditionError>>;

/// What a build made, edition by edition (`None` when not asked for).
#[derive(Debug)]
pub struct Outcome {
    /// The PDF.
    pub pdf: Option<Result<Made, EditionError>>,
    /// The EPUB.
    pub epub: Option<Result<Made, EditionError>>,
    /// The website.
    pub html: Option<Result<Made, EditionError>>,
    /// The offprints.
    pub offprints: Option<Result<Made, EditionError>>,
    /// The share cards.
    pub cards: Option<Result<Made, EditionError>>,
    /// The whole build's time.
    pub time: Duration,
    /// What the disk cache did, counted since the session began.
    pub cache: Stats,
}

impl Outcome {
    /// The diagnostics of a PDF that could not be typeset, with the book's
    /// template (when it has one) to show the lines they point at.
    pub fn typeset_report(&self, root: &Path) -> Option<crate::diagnostic::Report> {
        let Some(Err(EditionError::Typeset(diags))) = &self.pdf else { return None };
        let mut sources = BTreeMap::new();
        if let Ok(text) = std::fs::read_to_string(root.join(pdf::TEMPLATE_FILE)) {
            sources.insert(PathBuf::from(pdf::TEMPLATE_FILE), text);
        }
        Some(crate::diagnostic::Report::new(diags.clone(), sources))
    }

    /// Every edition with what became of it, in the order summaries list them.
    pub fn editions(&self) -> [(Edition, &Asked); 5] {
        [
            (Edition::Pdf, &self.pdf),
            (Edition::Epub, &self.epub),
            (Edition::Html, &self.html),
            (Edition::Offprints, &self.offprints),
            (Edition::Cards, &self.cards),
        ]
    }

    /// Whether every edition asked for was made.
    pub fn succeeded(&self) -> bool {
        self.editions().iter().all(|(_, r)| !matches!(r, Some(Err(_))))
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a
/// rename, so that `path` is either the previous file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_through_temp(path, bytes, true)
}

/// Writes `files` (paths relative to `dir`) as the folder `dir`: into a new
/// folder beside it, then swapped in, so that `dir` is either the previous
/// folder whole or the new one whole (the site, the offprints, the cards).
pub fn write_folder(files: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "html".into());
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let old = parent.join(format!(".{name}.{}.old", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        let dirs: std::collections::BTreeSet<PathBuf> =
            files.keys().filter_map(|p| tmp.join(p).parent().map(Path::to_path_buf)).collect();
        for d in dirs {
            std::fs::create_dir_all(d)?;
        }
        files.par_iter().try_for_each(|(path, bytes)| std::fs::write(tmp.join(path), bytes))?;
        if dir.exists() {
            std::fs::rename(dir, &old)?;
        }
        std::fs::rename(&tmp, dir)?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
        if old.exists() && !dir.exists() {
            let _ = std::fs::rename(&old, dir);
        }
    }
    result
}

/// [`write_atomically`], flushed to the disk before the rename when `sync`
/// (editions); without, for cache entries, whose checksum catches a file the
/// system lost in a crash.
pub(crate) fn write_through_temp(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique per call: two threads may write the same cache entry at once.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The sizes each kind of image is made at by the editions asked, so that
/// each file is decoded once for all of them (see [`images::Cache::set_groups`]).
fn size_groups(which: Editions) -> Vec<Vec<u32>> {
    let mut photos = Vec::new();
    let mut images = Vec::new();
    if which.html {
        photos.extend(html::PHOTO_SIZES);
        images.extend(html::IMAGE_SIZES);
    }
    if which.epub {
        photos.push(epub::PHOTO_PIXELS);
        images.push(epub::IMAGE_PIXELS);
    }
    if which.pdf {
        photos.push(pdf::PRINT_PHOTO_PIXELS);
        images.push(pdf::PRINT_IMAGE_PIXELS);
    }
    vec![photos, images]
}

/// The offprints of a build, or why they could not be made.
type Offprints = Result<Vec<pdf::Offprint>, pdf::PdfError>;

/// The offprints as one cache entry: for each, its slug, pages and bytes.
fn encode_offprints(list: &[pdf::Offprint]) -> Vec<u8> {
    let mut out = (list.len() as u64).to_le_bytes().to_vec();
    for o in list {
        for part in [o.slug.as_bytes(), &(o.pages as u64).to_le_bytes(), &o.bytes] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out
}

fn decode_offprints(entry: &[u8]) -> Option<Vec<pdf::Offprint>> {
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
        list.push(pdf::Offprint { slug, pages, bytes: part()? });
    }
    Some(list)
}

/// What one build keeps for the next: see the module's documentation.
pub struct Session {
    images: images::Cache,
    /// The book's fonts with the fingerprint of the fonts/ folder they came from.
    fonts: Mutex<Option<(u64, Arc<Fonts>)>>,
    /// The site last written, by output folder, to write only what changed.
    site: Mutex<Option<(PathBuf, html::Site)>>,
    /// The typst world of the last PDF, updated rather than made again.
    world: Mutex<Option<pdf::world::BookWorld>>,
}

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
        }
    }

    /// What the disk cache did so far.
    pub fn cache_stats(&self) -> Stats {
        self.images.disk().stats()
    }

    fn fonts(&self, root: &Path) -> Result<Arc<Fonts>, pdf::PdfError> {
        let print = crate::watch::fingerprint_of(&[root.join(pdf::FONTS_DIR)]);
        let mut slot = self.fonts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((p, fonts)) = slot.as_ref()
            && *p == print
        {
            return Ok(fonts.clone());
        }
        let fonts = Arc::new(Fonts::new(pdf::book_fonts(root)?));
        *slot = Some((print, fonts.clone()));
        Ok(fonts)
    }

    /// The PDF of `book`, and its offprints when `offprints`: from the disk
    /// cache when the typst inputs are the same, else typeset in the kept world.
    fn pdf(&self, book: &Book, offprints: bool) -> Result<(pdf::Pdf, Option<Offprints>, Duration), pdf::PdfError> {
        let started = Instant::now();
        let sources = pdf::sources(book)?;
        let disk = self.images.disk();
        let key = pdf::cache_key(book, &sources)?;
        let off_key = crate::cache::KeyBuilder::new("offprints").part(&key).finish();
        let cached_pdf = disk.get(&key).filter(|e| e.len() > 4).map(|entry| {
            let pages = u32::from_le_bytes(entry[..4].try_into().expect("four bytes")) as usize;
            pdf::Pdf { bytes: entry[4..].to_vec(), pages, warnings: Vec::new() }
        });
        let cached_offprints = if offprints { disk.get(&off_key).and_then(|e| decode_offprints(&e)) } else { None };
        if let Some(made) = cached_pdf
            && (!offprints || cached_offprints.is_some())
        {
            for (file, (_, max)) in sources.assets.iter() {
                self.images.keep_print(&book.root.join(file), *max);
            }
            return Ok((made, cached_offprints.map(Ok), started.elapsed()));
        }
        let fonts = self.fonts(&book.root)?;
        let mut slot = self.world.lock().unwrap_or_else(|e| e.into_inner());
        let world = match slot.take() {
            Some(mut w) if w.made_with(&fonts, pdf::today(book)) => {
                pdf::update_world(&mut w, book, &sources, &self.images)?;
                w
            }
            _ => pdf::world(book, &sources, fonts, &self.images)?,
        };
        let made = pdf::typeset(&sources, &world).and_then(|(doc, warnings)| {
            let bytes = pdf::export(book, &sources, &world, &doc, book.config.identifier.clone())?;
            let book_time = started.elapsed();
            let extracts = offprints.then(|| pdf::offprints(book, &sources, &world, &doc));
            Ok((pdf::Pdf { bytes, pages: doc.pages().len(), warnings }, extracts, book_time))
        });
        *slot = Some(world);
        // Keep typst's memoised work of the last two compiles for the next
        // one, and drop older work: a long `watch` must not grow forever.
        typst::comemo::evict(2);
        let (made, extracts, book_time) = made?;
        // A PDF with warnings is made again next time, so they are shown again.
        if made.warnings.is_empty() {
            let mut entry = (made.pages as u32).to_le_bytes().to_vec();
            entry.extend_from_slice(&made.bytes);
            disk.put(&key, &entry);
            if let Some(Ok(list)) = &extracts {
                disk.put(&off_key, &encode_offprints(list));
            }
        }
        Ok((made, extracts, book_time))
    }

    /// The PDF and the offprints, as asked; typeset once for both.
    fn make_print(&self, book: &Book, out: &Path, which: Editions) -> (Asked, Asked) {
        let started = Instant::now();
        let made = self.pdf(book, which.offprints).map_err(|e| match e {
            pdf::PdfError::Typeset(d) => EditionError::Typeset(d),
            other => EditionError::Pdf(other),
        });
        let (made, extracts, typeset) = match made {
            Ok(m) => m,
            Err(e) => {
                // One failure, told once: on the PDF when it was asked for.
                let copy = EditionError::NoBook;
                return if which.pdf {
                    (Some(Err(e)), which.offprints.then_some(Err(copy)))
                } else {
                    (None, Some(Err(e)))
                };
            }
        };
        let book_pdf = which.pdf.then(|| {
            let path = out.join(format!("{}.pdf", book.config.file_stem()));
            if std::fs::read(&path).ok().as_deref() != Some(made.bytes.as_slice()) {
                write_atomically(&path, &made.bytes)
                    .map_err(|source| EditionError::Write { path: path.clone(), source })?;
            }
            Ok(Made {
                path,
                bytes: made.bytes.len(),
                detail: format!("{} pages", made.pages),
                pages: Some(made.pages),
                time: typeset,
                warnings: made.warnings,
            })
        });
        let offprints = extracts.map(|list| {
            let list = list.map_err(EditionError::Pdf)?;
            let dir = out.join("offprints");
            let files: BTreeMap<PathBuf, Vec<u8>> =
                list.iter().map(|o| (PathBuf::from(format!("{}.pdf", o.slug)), o.bytes.clone())).collect();
            write_folder(&files, &dir).map_err(|source| EditionError::Write { path: dir.clone(), source })?;
            Ok(Made {
                path: dir,
                bytes: list.iter().map(|o| o.bytes.len()).sum(),
                detail: format!("{} offprints, {} pages", list.len(), list.iter().map(|o| o.pages).sum::<usize>()),
                pages: None,
                time: started.elapsed(),
                warnings: Vec::new(),
            })
        });
        (book_pdf, offprints)
    }

    fn make_epub(&self, book: &Book, out: &Path) -> Result<Made, EditionError> {
        let started = Instant::now();
        let made = epub::render_with(book, &self.images)?;
        let path = out.join(format!("{}.epub", book.config.file_stem()));
        write_atomically(&path, &made.bytes).map_err(|source| EditionError::Write { path: path.clone(), source })?;
        Ok(Made {
            path,
            bytes: made.bytes.len(),
            detail: format!("{} documents, {} images", made.documents, made.images),
            pages: None,
            time: started.elapsed(),
            warnings: Vec::new(),
        })
    }

    /// The share cards, written to `<out>/cards/` (an image and a post per essay).
    fn make_cards(&self, book: &Book, out: &Path) -> (Result<Made, EditionError>, Vec<crate::cards::Card>) {
        let started = Instant::now();
        let made = self.fonts(&book.root).and_then(|fonts| crate::cards::render(book, fonts, &self.images)).map_err(
            |e| match e {
                pdf::PdfError::Typeset(d) => EditionError::Typeset(d),
                other => EditionError::Pdf(other),
            },
        );
        let cards = match made {
            Ok(c) => c,
            Err(e) => return (Err(e), Vec::new()),
        };
        let dir = out.join("cards");
        let mut files = BTreeMap::new();
        for c in &cards {
            files.insert(PathBuf::from(format!("{}.png", c.slug)), c.png.clone());
            files.insert(PathBuf::from(format!("{}.txt", c.slug)), format!("{}\n", c.post).into_bytes());
        }
        let bytes = files.values().map(Vec::len).sum();
        let written = write_folder(&files, &dir).map_err(|source| EditionError::Write { path: dir.clone(), source });
        let made = written.map(|()| Made {
            path: dir,
            bytes,
            detail: format!("{} cards of {}×{} px, with posts", cards.len(), crate::cards::WIDTH, crate::cards::HEIGHT),
            pages: None,
            time: started.elapsed(),
            warnings: Vec::new(),
        });
        (made, cards)
    }

    fn make_html(&self, book: &Book, out: &Path, cards: &[crate::cards::Card]) -> Result<Made, EditionError> {
        let started = Instant::now();
        let site = html::render_with_cards(book, &self.images, cards)?;
        let dir = out.join("html");
        let mut last = self.site.lock().unwrap_or_else(|e| e.into_inner());
        let written = match last.as_ref() {
            // The folder holds the site this session wrote: write the difference.
            Some((d, previous)) if *d == dir && dir.is_dir() => html::update(&site, previous, &dir),
            _ => html::write(&site, &dir).map(|()| site.files.len()),
        };
        if written.is_err() {
            *last = None;
        }
        let written = written.map_err(|source| EditionError::Write { path: dir.clone(), source })?;
        let made = Made {
            path: dir.join("index.html"),
            bytes: site.files.values().map(Vec::len).sum(),
            detail: format!("{} pages, {} files, {written} written", site.pages, site.files.len()),
            pages: Some(site.pages),
            time: started.elapsed(),
            warnings: Vec::new(),
        };
        *last = Some((dir, site));
        Ok(made)
    }

    /// Makes the `which` editions of `book` in `out`, concurrently. After a
    /// build that made all three, the disk cache drops what it no longer needs.
    pub fn editions(&self, book: &Book, out: &Path, which: Editions) -> Outcome {
        self.editions_with(book, out, which, &|_, _| {})
    }

    /// [`editions`](Self::editions), calling `done` as each edition is
    /// finished (from the thread that made it), for progress displays.
    pub fn editions_with(&self, book: &Book, out: &Path, which: Editions, done: &Progress<'_>) -> Outcome {
        let started = Instant::now();
        self.images.set_groups(size_groups(which));
        let report = |e: Edition, r: Result<Made, EditionError>| {
            done(e, &r);
            r
        };
        let ((pdf, offprints), (html, epub, cards)) = std::thread::scope(|s| {
            // Both threads run typst compiles: they get its large stack.
            let thread = || std::thread::Builder::new().stack_size(pdf::COMPILE_STACK);
            let print = (which.pdf || which.offprints).then(|| {
                thread()
                    .spawn_scoped(s, || {
                        let (pdf, offprints) = self.make_print(book, out, which);
                        (pdf.map(|r| report(Edition::Pdf, r)), offprints.map(|r| report(Edition::Offprints, r)))
                    })
                    .expect("a thread for the PDF")
            });
            let screen = thread().spawn_scoped(s, || {
                let (cards, made_cards) = match which.cards.then(|| self.make_cards(book, out)) {
                    Some((r, list)) => (Some(report(Edition::Cards, r)), list),
                    None => (None, Vec::new()),
                };
                let html = which.html.then(|| report(Edition::Html, self.make_html(book, out, &made_cards)));
                let epub = which.epub.then(|| report(Edition::Epub, self.make_epub(book, out)));
                (html, epub, cards)
            });
            let screen = screen.expect("a thread for the EPUB and the website");
            let print = print.map_or((None, None), |h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            (print, screen.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        let complete = [&pdf, &epub, &html].iter().all(|r| matches!(r, Some(Ok(_))));
        if complete {
            self.images.disk().prune();
        }
        Outcome { pdf, epub, html, offprints, cards, time: started.elapsed(), cache: self.cache_stats() }
    }
}

/// Makes the `which` editions of `book` in `out`, concurrently, with the
/// book's disk cache.
pub fn editions(book: &Book, out: &Path, which: Editions) -> Outcome {
    Session::new(&book.root).editions(book, out, which)
}
