//! Each piece typeset apart, and kept: a piece's layout with what it read
//! (every file of the world, by content), so that it is typeset again only
//! when one of them changed; the pieces typeset in parallel batches on a
//! pool with large stacks, typst's memory evicted between them.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use typst::syntax::FileId;
use typst_layout::PagedDocument;

use super::super::world::BookWorld;
use super::super::{PdfError, Sources};
use super::{Piece, pool};
use crate::diagnostic::Diagnostic;

/// A place a link can lead to, found in a piece's layout: its page in the
/// piece (1-based) and its position on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Spot {
    pub(super) page: usize,
    pub(super) x: f64,
    pub(super) y: f64,
}

/// The places a piece's layout offers: its markers by "kind/key" and the
/// labels of essays and headings that links lead to.
pub(super) fn spots(doc: &PagedDocument) -> Vec<(String, Spot)> {
    let intro = doc.introspector();
    let spot = |loc| {
        let pos = intro.position(loc)?;
        Some(Spot { page: pos.page.get(), x: pos.point.x.to_pt(), y: pos.point.y.to_pt() })
    };
    let mut out = Vec::new();
    for m in super::super::marked(doc) {
        let Some(at) = spot(m.at) else { continue };
        for key in [m.slug, m.title].into_iter().flatten() {
            out.push((format!("{}/{key}", m.kind), at));
        }
    }
    for (name, loc) in super::super::link_labels(doc) {
        if let Some(at) = spot(loc) {
            out.push((name, at));
        }
    }
    out
}

/// The labels a piece's generated markup links to (see
/// `markup::Writer::internal_link`): it needs where they are.
pub(super) fn wanted_labels(s: &Sources, main_entry: &Value) -> BTreeSet<String> {
    let mut paths = Vec::new();
    collect_paths(main_entry, &mut paths);
    let mut out = BTreeSet::new();
    for path in paths {
        let Some(text) = s.markup.get(&path) else { continue };
        let mut rest = text.as_str();
        while let Some(at) = rest.find("query(<") {
            rest = &rest[at + 7..];
            if let Some(end) = rest.find('>') {
                out.insert(rest[..end].to_string());
            }
        }
    }
    out
}

/// Every string of `v` that is a path of generated markup.
pub(super) fn collect_paths(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.ends_with(".typ") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_paths(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_paths(x, out)),
        _ => {}
    }
}

/// One piece's layout, with what it read.
pub(super) struct Layout {
    /// Each file typst read for it, with a hash of its content.
    pub(super) reads: Vec<(FileId, Option<u128>)>,
    pub(super) doc: Arc<PagedDocument>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// The layouts of a book's pieces, kept between builds of one session.
#[derive(Default)]
pub struct Layouts {
    pub(super) kept: Mutex<HashMap<String, Arc<Layout>>>,
    /// The template's text, which every piece's main file holds (each under
    /// its own path, so that what the template lays out is told apart from
    /// piece to piece), shared: each piece's world parses it for its compile
    /// only, as parsed trees kept for a 1,000-essay book's pieces took 330 MB.
    pub(super) template: Mutex<Option<Arc<str>>>,
    /// Where everything was in the last book composed: the first guess of
    /// the next, so that an unchanged piece is given what it was given.
    pub(super) targets: Mutex<Option<serde_json::Map<String, Value>>>,
    /// The lean `/book.json` last served, with its hash computed once.
    pub(super) lean: Mutex<Option<typst::foundations::Bytes>>,
    /// Pieces typeset (not reused) since the session began, by main file.
    pub(super) typeset: Mutex<Vec<String>>,
    /// How many pieces were typeset since the session began: only grows, so
    /// that the difference of two readings holds even when another thread
    /// takes [`typeset`](Self::typeset) in between.
    pub(super) typeset_total: std::sync::atomic::AtomicUsize,
}

impl Layouts {
    /// How many pieces were typeset since the session began.
    pub(super) fn typeset_count(&self) -> usize {
        self.typeset_total.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether no piece's layout is kept (nothing typeset yet, or the last
    /// PDF came from the disk cache).
    pub fn is_empty(&self) -> bool {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// Drops every kept layout, and what the next build would have been
    /// given as its first guess: for a session that builds no more.
    pub fn clear(&self) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).clear();
        *self.targets.lock().unwrap_or_else(|e| e.into_inner()) = None;
        *self.lean.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The main files of the pieces typeset since the session began (or the
    /// last [`take_typeset`](Self::take_typeset)), in the order they were.
    pub fn take_typeset(&self) -> Vec<String> {
        std::mem::take(&mut *self.typeset.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The layout of the piece whose main file is `main` in `world`: the
    /// kept one when everything it read is the same, else typeset now.
    pub(super) fn get(&self, s: &Sources, world: &BookWorld, main: &str) -> Result<Arc<Layout>, PdfError> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).get(main).cloned();
        if let Some(k) = kept
            && k.reads.iter().all(|(id, hash)| world.content_hash(*id) == *hash)
        {
            return Ok(k);
        }
        let log = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let w = world.logging(log.clone());
        let (doc, warnings) = super::super::typeset(s, &w)?;
        let reads =
            log.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|id| (*id, world.content_hash(*id))).collect();
        let made = Arc::new(Layout { reads, doc: Arc::new(doc), warnings });
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).insert(main.to_string(), made.clone());
        self.typeset.lock().unwrap_or_else(|e| e.into_inner()).push(main.to_string());
        self.typeset_total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(made)
    }

    /// `layout`, kept for `main`, with its pages made lighter (see
    /// [`light`](super::light)) when nothing but this and the kept copy
    /// holds it: typst's memoised work was dropped. A layout already lighter
    /// (kept from an earlier build) comes back as it was.
    fn lighten(&self, main: &str, layout: Arc<Layout>) -> Arc<Layout> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if !kept.get(main).is_some_and(|k| Arc::ptr_eq(k, &layout)) {
            return layout;
        }
        kept.remove(main);
        let layout = match Arc::try_unwrap(layout) {
            Ok(Layout { reads, doc, warnings }) => {
                let doc = Arc::try_unwrap(doc).map_or_else(|d| d, |d| Arc::new(super::light::lighten(d)));
                Arc::new(Layout { reads, doc, warnings })
            }
            Err(shared) => shared,
        };
        kept.insert(main.to_string(), layout.clone());
        layout
    }

    /// The template's text, the same shared text as last time when it is the same.
    pub(super) fn template(&self, template: &str) -> Arc<str> {
        reuse(&self.template, |t| **t == *template, || template.into())
    }

    /// `text` as the bytes of a file, the same bytes as last time when it is the same.
    pub(super) fn lean_data(&self, text: &str) -> typst::foundations::Bytes {
        reuse(
            &self.lean,
            |b| b.as_slice() == text.as_bytes(),
            || typst::foundations::Bytes::new(text.as_bytes().to_vec()),
        )
    }

    /// Forgets the layouts of pieces the book no longer has.
    pub(super) fn retain(&self, mains: &BTreeSet<String>) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| mains.contains(k));
    }
}

/// What `slot` holds when `same` says so, else `make()`, which `slot` then
/// holds: the same value as last time (and its hash, computed once) when
/// nothing changed.
fn reuse<T: Clone>(slot: &Mutex<Option<T>>, same: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> T {
    let mut held = slot.lock().unwrap_or_else(|e| e.into_inner());
    match held.as_ref() {
        Some(t) if same(t) => t.clone(),
        _ => {
            let t = make();
            *held = Some(t.clone());
            t
        }
    }
}

/// One piece to typeset: its main file, its `/piece.json`, and whether it
/// sees the whole `/book.json` (else [`Sources::lean_data`]).
pub(super) struct Job {
    pub(super) main: String,
    pub(super) info: Value,
    pub(super) lists: bool,
}

impl Job {
    /// A piece that does not read the lists of `/book.json`.
    pub(super) fn lean(main: &str, info: Value) -> Self {
        Job { main: main.to_string(), info, lists: false }
    }
}

pub(super) fn job(
    p: &Piece,
    main: &str,
    entry: &Value,
    targets: &serde_json::Map<String, Value>,
    gutter: Option<f64>,
) -> Job {
    Job { main: main.to_string(), info: with_gutter(p.info(entry, targets), gutter), lists: p.reads_lists() }
}

/// A piece's `/piece.json` with the gutter of a printed book (see
/// [`crate::config::print`]), which grows with its page count.
pub(super) fn with_gutter(mut info: Value, gutter: Option<f64>) -> Value {
    if let Some(g) = gutter {
        info["gutter"] = json!(g);
    }
    info
}

/// The world of one piece: the book's world with the piece's main file (the
/// template's text, shared through `layouts`), its
/// `/piece.json` and its `/book.json`.
pub(super) fn piece_world(s: &Sources, base: &BookWorld, layouts: &Layouts, job: &Job) -> BookWorld {
    let mut w = base.clone();
    w.put_text(&job.main, layouts.template(&s.template));
    w.set_file("/piece.json", job.info.to_string().into_bytes());
    if !job.lists {
        w.put_file("/book.json", layouts.lean_data(&s.lean_data));
    }
    w.set_main(&job.main);
    w
}

/// Typesets the pieces `which` of `plan` (with their `/piece.json`), in
/// parallel; their layouts come back in the same order.
pub(super) fn typeset_all(
    s: &Sources,
    base: &BookWorld,
    layouts: &Layouts,
    jobs: Vec<Job>,
) -> Result<Vec<Arc<Layout>>, PdfError> {
    typeset_batches(s, base, layouts, jobs, true)
}

/// [`typeset_all`], dropping typst's memoised work after each batch only
/// when `evict`.
pub(super) fn typeset_batches(
    s: &Sources,
    base: &BookWorld,
    layouts: &Layouts,
    jobs: Vec<Job>,
    evict: bool,
) -> Result<Vec<Arc<Layout>>, PdfError> {
    use rayon::prelude::*;
    // File ids are numbered as they are first seen: take them in order here,
    // not in whatever order the threads reach them, so that the same book
    // gives the same bytes.
    for job in &jobs {
        super::super::world::file_id(&job.main);
    }
    let pool = pool()?;
    let mut out = Vec::with_capacity(jobs.len());
    // A few pieces at a time, then typst's memoised work is dropped: a piece
    // needs it only while it is typeset (its layout is kept here), and
    // keeping all of it held the whole book's intermediate work in memory.
    for batch in jobs.chunks(CHUNK * pool.current_num_threads().max(1)) {
        let before = layouts.typeset_count();
        let done: Result<Vec<Arc<Layout>>, PdfError> = pool.install(|| {
            batch.par_iter().map(|job| layouts.get(s, &piece_world(s, base, layouts, job), &job.main)).collect()
        });
        let done = done?;
        // Only after a batch that typeset several pieces (see compose).
        if evict && layouts.typeset_count() - before >= EVICT_AFTER {
            typst::comemo::evict(0);
            // The batch's layouts are now theirs alone: made lighter in place.
            out.extend(done.into_iter().zip(batch).map(|(l, job)| layouts.lighten(&job.main, l)));
        } else {
            out.extend(done);
        }
    }
    Ok(out)
}

/// The most pieces whose memoised work is kept from the first round to the
/// second: those that print the page a link leads to, and the contents and
/// the index. Their second round then lays out again only what changed (a
/// few words); beyond this many, memory matters more.
pub(super) const KEEP_FOR_SECOND_ROUND: usize = 128;

/// Pieces typeset per thread between two evictions of typst's memoised work.
pub(super) const CHUNK: usize = 8;

/// The fewest pieces typeset for typst's memoised work to be dropped after
/// them: more than an edit in `watch` typesets (see [`compose`]).
pub(super) const EVICT_AFTER: usize = 4;
