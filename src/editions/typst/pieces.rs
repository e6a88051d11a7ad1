//! The book's PDF as a composition of pieces typeset apart.
//!
//! Typesetting the whole book as one typst document made the PDF the slowest
//! edition, and made it slower as the book grew: typst laid the book out at
//! least twice (the contents, the index and the running heads ask where every
//! essay falls), kept every page of it in memory while it did, and laid the
//! whole book out again after an edit to one essay. Here each piece of the
//! book (the opening pages, the contents, each text, each part page, each
//! essay, the index) is its own typst document, compiled in parallel from the
//! same template with `/piece.json` naming the piece. A piece carries no page
//! number and no running head, so its layout does not depend on where it
//! falls: [`paginate`] places the pieces once their page counts are known
//! (recto starts, the switch from roman to arabic numbers), the contents and
//! the index are set with the real page numbers, and the heads and folios of
//! every page are set last, as one more piece, and laid over the pages.
//! The pages are then joined into one typst document, which typst's PDF
//! writer exports once: one outline, one tag tree, fonts embedded once.
//!
//! [`Layouts`] keeps each piece's layout with what it read (every file of
//! the world, by content), so that a piece is typeset again only when one of
//! them changed: after an edit in `watch`, the edited essay and, when its
//! page count changed, the contents, the index and the marginals.

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use typst::foundations::{Content, Smart};
use typst::layout::{Abs, Frame, FrameItem, Sides};
use typst::model::{Destination, Document as _, Numbering, NumberingPattern};
use typst::syntax::FileId;
use typst_layout::{Page, PagedDocument};

use super::world::BookWorld;
use super::{PdfError, Sources};
use crate::diagnostic::Diagnostic;
use crate::model::book::Book;

/// What a piece of the book is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The cover, the half-title, the title page and the copyright page.
    Opening,
    /// The table of contents.
    Contents,
    /// A text before the essays (a preface).
    Front,
    /// A part's title page, with its introduction.
    Part,
    /// An essay.
    Essay,
    /// A text after the essays (an afterword).
    Back,
    /// The contributor index.
    Index,
}

impl Kind {
    /// The name the template reads in `/piece.json`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Opening => "opening",
            Kind::Contents => "contents",
            Kind::Front => "front",
            Kind::Part => "part",
            Kind::Essay => "essay",
            Kind::Back => "back",
            Kind::Index => "index",
        }
    }
}

/// How the pages of a piece are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Folio {
    /// Not at all (the opening pages).
    None,
    /// In lower-case roman numerals (the contents and the front matter).
    Roman,
    /// In arabic numerals (from the first part or essay on).
    Arabic,
}

impl Folio {
    /// typst's numbering for these pages.
    pub fn numbering(self) -> Option<Numbering> {
        let pattern = match self {
            Folio::None => return None,
            Folio::Roman => "i",
            Folio::Arabic => "1",
        };
        pattern.parse::<NumberingPattern>().ok().map(Numbering::Pattern)
    }

    /// Page `n` as printed.
    pub fn print(self, n: usize) -> Option<String> {
        match self.numbering()? {
            Numbering::Pattern(p) => p.apply(None, &[n as u64]).ok().map(|s| s.to_string()),
            Numbering::Func(_) => None,
        }
    }
}

/// One piece of the book.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Piece {
    /// What it is.
    pub kind: Kind,
    /// The text's or essay's slug.
    pub slug: Option<String>,
    /// The part's place among the book's parts.
    pub index: Option<usize>,
    /// Its title, for the running heads.
    pub title: String,
    /// Its authors' names, joined as the book's language does.
    pub authors: String,
    /// Whether it starts on a right-hand page (a blank page is added before
    /// it when needed).
    pub recto: bool,
    /// How its pages are numbered.
    pub folio: Folio,
    /// Whether the page numbers start again at 1 with it.
    pub restart: bool,
    /// Footnotes printed before it, when they are numbered through the book.
    pub footnotes_before: usize,
}

impl Piece {
    /// Its main file in the world: a copy of the template under a path of
    /// its own, so that what typst makes of one piece is never mistaken for
    /// another's when the pages are joined (typst identifies the elements
    /// it lays out by the file and place they come from).
    pub fn main(&self) -> String {
        match (&self.slug, self.index) {
            (Some(slug), _) => format!("/pieces/{}-{slug}.typ", self.kind.name()),
            (None, Some(i)) => format!("/pieces/{}-{i}.typ", self.kind.name()),
            (None, None) => format!("/pieces/{}.typ", self.kind.name()),
        }
    }

    /// What `/piece.json` holds for it: `entry`, the text it sets as
    /// `/book.json` lists it (`essay`, `text` or `part`), and `targets`,
    /// where other texts start.
    pub fn info(&self, entry: &Value, targets: &serde_json::Map<String, Value>) -> Value {
        let mut info = json!({
            "kind": self.kind.name(),
            "slug": self.slug,
            "index": self.index,
            "footnotes_before": self.footnotes_before,
            "targets": targets,
        });
        let field = match self.kind {
            Kind::Essay => "essay",
            Kind::Front | Kind::Back => "text",
            Kind::Part => "part",
            _ => return info,
        };
        info[field] = entry.clone();
        info
    }

    /// Whether it reads the lists of `/book.json` (the contents, the
    /// index): the others get it without them.
    fn reads_lists(&self) -> bool {
        matches!(self.kind, Kind::Contents | Kind::Index)
    }
}

/// The pieces of `book`, in the order the book prints them.
pub fn plan(book: &Book) -> Vec<Piece> {
    let cfg = &book.config;
    let labels = cfg.labels();
    let recto = cfg.pdf.recto_starts;
    let book_notes = matches!(cfg.pdf.footnotes, crate::config::FootnoteNumbering::Book);
    let notes_before = super::footnotes_before(book);
    let names =
        |e: &crate::model::book::Essay| labels.join(&e.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>());
    let piece = |kind, slug: Option<&str>, title: &str| Piece {
        kind,
        slug: slug.map(str::to_string),
        index: None,
        title: title.to_string(),
        authors: String::new(),
        recto,
        folio: Folio::Arabic,
        restart: false,
        footnotes_before: 0,
    };
    let mut out = vec![
        Piece { recto: false, folio: Folio::None, ..piece(Kind::Opening, None, &cfg.title) },
        Piece { recto: false, folio: Folio::Roman, restart: true, ..piece(Kind::Contents, None, &labels.contents) },
    ];
    for e in &book.front {
        out.push(Piece { folio: Folio::Roman, authors: names(e), ..piece(Kind::Front, Some(&e.slug), &e.title) });
    }
    let mut first = true;
    for (i, p) in book.parts.iter().enumerate() {
        if let Some(s) = &p.section {
            out.push(Piece { index: Some(i), recto: true, restart: first, ..piece(Kind::Part, None, &s.title) });
            first = false;
        }
        for e in &p.essays {
            let before = if book_notes { notes_before.get(&e.slug).copied().unwrap_or(0) } else { 0 };
            out.push(Piece {
                authors: names(e),
                restart: first,
                footnotes_before: before,
                ..piece(Kind::Essay, Some(&e.slug), &e.title)
            });
            first = false;
        }
    }
    for e in &book.back {
        out.push(Piece { authors: names(e), restart: first, ..piece(Kind::Back, Some(&e.slug), &e.title) });
        first = false;
    }
    out.push(Piece { restart: first, ..piece(Kind::Index, None, &labels.index) });
    out
}

/// Where a piece falls in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Blank pages added before it, so that it starts on a right-hand page.
    pub blanks: usize,
    /// Its first page's place in the book (1 for the cover).
    pub first: usize,
    /// The number printed on its first page.
    pub number: usize,
    /// How many pages it has.
    pub pages: usize,
}

impl Composed {
    /// The gutter the pieces were set with, for a printed book.
    pub fn gutter(&self) -> Option<f64> {
        self.gutter
    }

    /// Each essay's first and last pages, as the book prints them.
    pub fn essay_pages(&self) -> crate::editions::metadata::PageMap {
        let mut out = crate::editions::metadata::PageMap::new();
        for (p, at) in self.plan.iter().zip(&self.placed) {
            if let (Kind::Essay, Some(slug)) = (p.kind, &p.slug) {
                let first = p.folio.print(at.number).unwrap_or_else(|| at.first.to_string());
                let last = p.folio.print(at.number + at.pages.max(1) - 1).unwrap_or_else(|| at.last().to_string());
                out.insert(slug.clone(), crate::editions::metadata::Pages { first, last });
            }
        }
        out
    }
}

impl Placement {
    /// The place in the book of its last page.
    pub fn last(&self) -> usize {
        self.first + self.pages.max(1) - 1
    }
}

/// Places pieces with these page counts, in order: a piece that starts on
/// a right-hand page gets a blank page before it when it would fall on a
/// left-hand one (odd pages are right-hand pages, as typst counts them), and
/// a blank page continues the numbering of the page before it.
pub fn paginate(plan: &[Piece], pages: &[usize]) -> Vec<Placement> {
    let mut physical = 1;
    let mut number = 1;
    let mut out = Vec::with_capacity(plan.len());
    for (piece, &count) in plan.iter().zip(pages) {
        let blanks = usize::from(piece.recto && physical % 2 == 0);
        physical += blanks;
        number += blanks;
        if piece.restart {
            number = 1;
        }
        out.push(Placement { blanks, first: physical, number, pages: count });
        physical += count;
        number += count;
    }
    out
}

/// One page of the book, as the marginals and the page labels see it.
#[derive(Debug, Clone, PartialEq)]
struct PageInfo {
    /// The piece it belongs to (the next one for a blank page), and whether it
    /// is blank.
    piece: usize,
    blank: bool,
    /// Whether its piece starts on it.
    first: bool,
    /// Its number and how it is printed.
    number: usize,
    folio: Folio,
}

/// Every page of the book, in order.
fn page_infos(plan: &[Piece], placed: &[Placement]) -> Vec<PageInfo> {
    let mut out: Vec<PageInfo> = Vec::new();
    for (i, (piece, at)) in plan.iter().zip(placed).enumerate() {
        for _ in 0..at.blanks {
            // A blank page goes on from the page before it.
            let (number, folio) = out.last().map_or((1, Folio::None), |p| (p.number + 1, p.folio));
            out.push(PageInfo { piece: i, blank: true, first: true, number, folio });
        }
        for k in 0..at.pages {
            out.push(PageInfo { piece: i, blank: false, first: k == 0, number: at.number + k, folio: piece.folio });
        }
    }
    out
}

/// What the marginals piece holds: for each page of the book, what its
/// running head and its folio show (see `marginal` in the template).
fn marginals_info(plan: &[Piece], infos: &[PageInfo]) -> Value {
    let pages: Vec<Value> = infos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let piece = &plan[p.piece];
            json!({
                "left": (i + 1) % 2 == 0,
                "first": p.first,
                "kind": if p.blank { "none" } else { piece.kind.name() },
                "title": piece.title,
                "authors": piece.authors,
                "folio": if p.blank { None } else { p.folio.print(p.number) },
            })
        })
        .collect();
    json!({ "kind": "marginals", "pages": pages, "targets": {} })
}

/// A place a link can lead to, found in a piece's layout: its page in the
/// piece (1-based) and its position on it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Spot {
    page: usize,
    x: f64,
    y: f64,
}

/// The places a piece's layout offers: its markers by "kind/key" and the
/// labels of essays and headings that links lead to.
fn spots(doc: &PagedDocument) -> Vec<(String, Spot)> {
    let intro = doc.introspector();
    let spot = |loc| {
        let pos = intro.position(loc)?;
        Some(Spot { page: pos.page.get(), x: pos.point.x.to_pt(), y: pos.point.y.to_pt() })
    };
    let mut out = Vec::new();
    for m in super::marked(doc) {
        let Some(at) = spot(m.at) else { continue };
        for key in [m.slug, m.title].into_iter().flatten() {
            out.push((format!("{}/{key}", m.kind), at));
        }
    }
    for (name, loc) in super::link_labels(doc) {
        if let Some(at) = spot(loc) {
            out.push((name, at));
        }
    }
    out
}

/// The labels a piece's generated markup links to (see
/// `markup::Writer::internal_link`): it needs where they are.
fn wanted_labels(s: &Sources, main_entry: &Value) -> BTreeSet<String> {
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
fn collect_paths(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.ends_with(".typ") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_paths(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_paths(x, out)),
        _ => {}
    }
}

/// One piece's layout, with what it read.
struct Layout {
    /// Each file typst read for it, with a hash of its content.
    reads: Vec<(FileId, Option<u128>)>,
    doc: Arc<PagedDocument>,
    warnings: Vec<Diagnostic>,
}

/// The layouts of a book's pieces, kept between builds of one session.
#[derive(Default)]
pub struct Layouts {
    kept: Mutex<HashMap<String, Arc<Layout>>>,
    /// Each piece's main file, parsed: the template under the piece's path.
    mains: Mutex<HashMap<String, typst::syntax::Source>>,
    /// Where everything was in the last book composed: the first guess of
    /// the next, so that an unchanged piece is given what it was given.
    targets: Mutex<Option<serde_json::Map<String, Value>>>,
    /// The lean `/book.json` last served, with its hash computed once.
    lean: Mutex<Option<typst::foundations::Bytes>>,
    /// Pieces typeset (not reused) since the session began, by main file.
    typeset: Mutex<Vec<String>>,
    /// How many pieces were typeset since the session began: only grows, so
    /// that the difference of two readings holds even when another thread
    /// takes [`typeset`](Self::typeset) in between.
    typeset_total: std::sync::atomic::AtomicUsize,
    /// The gutter of the last printed book composed: the first guess of the next.
    gutter: Mutex<Option<f64>>,
}

impl Layouts {
    /// How many pieces were typeset since the session began.
    fn typeset_count(&self) -> usize {
        self.typeset_total.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether no piece's layout is kept (nothing typeset yet, or the last
    /// PDF came from the disk cache).
    pub fn is_empty(&self) -> bool {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// The main files of the pieces typeset since the session began (or the
    /// last [`take_typeset`](Self::take_typeset)), in the order they were.
    pub fn take_typeset(&self) -> Vec<String> {
        std::mem::take(&mut *self.typeset.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The layout of the piece whose main file is `main` in `world`: the
    /// kept one when everything it read is the same, else typeset now.
    fn get(&self, s: &Sources, world: &BookWorld, main: &str) -> Result<Arc<Layout>, PdfError> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).get(main).cloned();
        if let Some(k) = kept
            && k.reads.iter().all(|(id, hash)| world.content_hash(*id) == *hash)
        {
            return Ok(k);
        }
        let log = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let w = world.logging(log.clone());
        let (doc, warnings) = super::typeset(s, &w)?;
        let reads =
            log.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|id| (*id, world.content_hash(*id))).collect();
        let made = Arc::new(Layout { reads, doc: Arc::new(doc), warnings });
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).insert(main.to_string(), made.clone());
        self.typeset.lock().unwrap_or_else(|e| e.into_inner()).push(main.to_string());
        self.typeset_total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(made)
    }

    /// The main file `path` holding `template`, parsed once.
    fn main_source(&self, path: &str, template: &str) -> typst::syntax::Source {
        let mut mains = self.mains.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = mains.get(path)
            && s.text() == template
        {
            return s.clone();
        }
        let source = typst::syntax::Source::new(super::world::file_id(path), template.to_string());
        mains.insert(path.to_string(), source.clone());
        source
    }

    /// `text` as the bytes of a file, the same bytes as last time when it is the same.
    fn lean_data(&self, text: &str) -> typst::foundations::Bytes {
        let mut lean = self.lean.lock().unwrap_or_else(|e| e.into_inner());
        match lean.as_ref() {
            Some(b) if b.as_slice() == text.as_bytes() => b.clone(),
            _ => {
                let b = typst::foundations::Bytes::new(text.as_bytes().to_vec());
                *lean = Some(b.clone());
                b
            }
        }
    }

    /// Forgets the layouts of pieces the book no longer has.
    fn retain(&self, mains: &BTreeSet<String>) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| mains.contains(k));
    }
}

/// A typeset book: its pieces, where they fall, and the joined document.
pub struct Composed {
    /// The pieces, in order.
    pub plan: Vec<Piece>,
    /// Where each falls.
    pub placed: Vec<Placement>,
    /// The whole book, ready for export.
    pub doc: PagedDocument,
    /// The pages of each piece as they are in the book (heads and folios
    /// laid over them), for the offprints.
    pub pages: Vec<Vec<Page>>,
    /// typst's warnings.
    pub warnings: Vec<Diagnostic>,
    /// Where each text and label is: physical page and position.
    pub targets: serde_json::Map<String, Value>,
    /// The data entry of each piece (see [`Piece::info`]).
    entries: Vec<Value>,
    /// The gutter the pieces were set with, for a printed book.
    gutter: Option<f64>,
}

/// One piece to typeset: its main file, its `/piece.json`, and whether it
/// sees the whole `/book.json` (else [`Sources::lean_data`]).
struct Job {
    main: String,
    info: Value,
    lists: bool,
}

impl Job {
    /// A piece that does not read the lists of `/book.json`.
    fn lean(main: &str, info: Value) -> Self {
        Job { main: main.to_string(), info, lists: false }
    }
}

fn job(p: &Piece, main: &str, entry: &Value, targets: &serde_json::Map<String, Value>, gutter: Option<f64>) -> Job {
    Job { main: main.to_string(), info: with_gutter(p.info(entry, targets), gutter), lists: p.reads_lists() }
}

/// A piece's `/piece.json` with the gutter of a printed book (see
/// [`crate::config::print`]), which grows with its page count.
fn with_gutter(mut info: Value, gutter: Option<f64>) -> Value {
    if let Some(g) = gutter {
        info["gutter"] = json!(g);
    }
    info
}

/// The world of one piece: the book's world with the piece's main file (the
/// template, parsed once per main file and kept in `layouts`), its
/// `/piece.json` and its `/book.json`.
fn piece_world(s: &Sources, base: &BookWorld, layouts: &Layouts, job: &Job) -> BookWorld {
    let mut w = base.clone();
    w.put_source(layouts.main_source(&job.main, &s.template));
    w.set_file("/piece.json", job.info.to_string().into_bytes());
    if !job.lists {
        w.put_file("/book.json", layouts.lean_data(&s.lean_data));
    }
    w.set_main(&job.main);
    w
}

/// Typesets the pieces `which` of `plan` (with their `/piece.json`), in
/// parallel; their layouts come back in the same order.
fn typeset_all(s: &Sources, base: &BookWorld, layouts: &Layouts, jobs: Vec<Job>) -> Result<Vec<Arc<Layout>>, PdfError> {
    typeset_batches(s, base, layouts, jobs, true)
}

/// [`typeset_all`], dropping typst's memoised work after each batch only
/// when `evict`.
fn typeset_batches(
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
        super::world::file_id(&job.main);
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
        out.extend(done?);
        // Only after a batch that typeset several pieces (see compose).
        if evict && layouts.typeset_count() - before >= EVICT_AFTER {
            typst::comemo::evict(0);
        }
    }
    Ok(out)
}

/// The most pieces whose memoised work is kept from the first round to the
/// second: those that print the page a link leads to, and the contents and
/// the index. Their second round then lays out again only what changed (a
/// few words); beyond this many, memory matters more.
const KEEP_FOR_SECOND_ROUND: usize = 128;

/// Pieces typeset per thread between two evictions of typst's memoised work.
const CHUNK: usize = 8;

/// The fewest pieces typeset for typst's memoised work to be dropped after
/// them: more than an edit in `watch` typesets (see [`compose`]).
const EVICT_AFTER: usize = 4;

/// The threads that typeset pieces: as many as rayon's, with the large
/// stacks typst's recursion needs (see [`super::COMPILE_STACK`]). A compile
/// waiting for its own parallel layout runs other compiles' work on the
/// same stack.
pub fn pool() -> Result<&'static rayon::ThreadPool, PdfError> {
    static POOL: std::sync::OnceLock<Result<rayon::ThreadPool, String>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .stack_size(super::COMPILE_STACK)
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| PdfError::Threads(e.clone()))
}

/// The targets `wanted` of `all`, for a piece's `/piece.json`.
fn subset(all: &serde_json::Map<String, Value>, wanted: &BTreeSet<String>) -> serde_json::Map<String, Value> {
    wanted.iter().filter_map(|k| Some((k.clone(), all.get(k)?.clone()))).collect()
}

/// Where everything the pieces offer falls in the book, with the number
/// printed on that page: the targets of contents, index and links.
fn targets(plan: &[Piece], placed: &[Placement], docs: &[Arc<Layout>]) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for ((piece, at), layout) in plan.iter().zip(placed).zip(docs) {
        for (key, spot) in spots(&layout.doc) {
            let page = at.first + spot.page - 1;
            let printed = piece.folio.print(at.number + spot.page - 1).unwrap_or_else(|| page.to_string());
            out.entry(key).or_insert_with(|| json!({ "page": page, "x": spot.x, "y": spot.y, "printed": printed }));
        }
    }
    out
}

/// Stand-ins for the targets of the contents and the index before the pages
/// are known: one per text, so that they have as many lines as they will.
fn provisional(plan: &[Piece]) -> serde_json::Map<String, Value> {
    let stand_in = json!({ "page": 1, "x": 0, "y": 0, "printed": "000" });
    let mut out = serde_json::Map::new();
    for p in plan {
        let key = match (p.kind, &p.slug) {
            (Kind::Essay, Some(slug)) => format!("essay/{slug}"),
            (Kind::Opening | Kind::Contents, _) => continue,
            (kind, _) => format!("{}/{}", kind.name(), p.title),
        };
        out.insert(key, stand_in.clone());
    }
    out
}

/// The most rounds of typesetting before the page counts must have settled.
const ROUNDS: usize = 4;

/// Typesets `book` piece by piece and joins the pages (see the module's
/// documentation).
pub fn compose(book: &Book, s: &Sources, base: &BookWorld, layouts: &Layouts) -> Result<Composed, PdfError> {
    let typeset_before = layouts.typeset_count();
    let plan = plan(book);
    let mains: Vec<String> = plan.iter().map(Piece::main).collect();
    let data: Value = serde_json::from_str(&s.data).unwrap_or(Value::Null);
    let entries: Vec<Value> = plan.iter().map(|p| entry_of(&data, p)).collect();
    let wanted: Vec<BTreeSet<String>> = entries.iter().map(|e| wanted_labels(s, e)).collect();
    // Round one: every piece, with where things were in the last book
    // composed in this session; in the first, the contents and the index
    // with stand-ins and links between essays without their pages.
    let last = layouts.targets.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let stand_ins = last.clone().unwrap_or_else(|| provisional(&plan));
    let last = last.unwrap_or_default();
    let mut given: Vec<serde_json::Map<String, Value>> = plan
        .iter()
        .zip(&wanted)
        .map(|(p, w)| match p.kind {
            Kind::Contents | Kind::Index => stand_ins.clone(),
            _ => subset(&last, w),
        })
        .collect();
    // Pieces that will likely be typeset again once the pages are known go
    // last, and typst's memoised work on them is kept for that second round.
    let again_likely = |i: usize| matches!(plan[i].kind, Kind::Contents | Kind::Index) || !wanted[i].is_empty();
    let (later, first): (Vec<usize>, Vec<usize>) = (0..plan.len()).partition(|&i| again_likely(i));
    let keep = later.len() <= KEEP_FOR_SECOND_ROUND;
    // A printed book's gutter follows its page count, which follows the
    // gutter: start from the last book's (else the narrowest) and widen it
    // until the count no longer asks for more.
    let print = book.config.print.as_ref();
    let mut gutter = print.map(|p| {
        let last = *layouts.gutter.lock().unwrap_or_else(|e| e.into_inner());
        last.unwrap_or_else(|| p.gutter(0))
    });
    let mut docs: Vec<Option<Arc<Layout>>> = vec![None; plan.len()];
    for (group, evict) in [(first, true), (later, !keep)] {
        let jobs = group.iter().map(|&i| job(&plan[i], &mains[i], &entries[i], &given[i], gutter)).collect();
        for (i, layout) in group.iter().zip(typeset_batches(s, base, layouts, jobs, evict)?) {
            docs[*i] = Some(layout);
        }
    }
    let mut docs: Vec<Arc<Layout>> = docs.into_iter().map(|d| d.expect("every piece typeset")).collect();
    let mut rounds = 1;
    let (placed, all) = loop {
        let counts: Vec<usize> = docs.iter().map(|l| l.doc.pages().len()).collect();
        let placed = paginate(&plan, &counts);
        let all = targets(&plan, &placed, &docs);
        let total = placed.last().map_or(0, Placement::last);
        let wider = match (print, gutter) {
            (Some(p), Some(g)) if p.gutter(total) > g => Some(p.gutter(total)),
            _ => None,
        };
        if wider.is_some() {
            gutter = wider;
        }
        // What each piece must be given now that the pages are known.
        let mut again = Vec::new();
        for (i, p) in plan.iter().enumerate() {
            let now = match p.kind {
                Kind::Contents | Kind::Index => all.clone(),
                _ => subset(&all, &wanted[i]),
            };
            if now != given[i] || wider.is_some() {
                given[i] = now;
                again.push(i);
            }
        }
        if again.is_empty() {
            break (placed, all);
        }
        if rounds == ROUNDS + print.map_or(0, |p| p.gutter_steps()) {
            return Err(PdfError::Settle(rounds));
        }
        rounds += 1;
        let jobs = again.iter().map(|&i| job(&plan[i], &mains[i], &entries[i], &given[i], gutter)).collect();
        for (i, layout) in again.iter().zip(typeset_batches(s, base, layouts, jobs, !keep)?) {
            docs[*i] = layout;
        }
    };
    // typst's memoised work is dropped once many pieces were typeset. After
    // an edit in `watch` (an essay, perhaps the contents and the index) it
    // is kept: it holds the last export's compressed pages, and the next
    // export then compresses only the pages that changed.
    if layouts.typeset_count() - typeset_before >= EVICT_AFTER {
        typst::comemo::evict(0);
    }
    // The running heads and folios of every page, as one more piece.
    let mut infos = page_infos(&plan, &placed);
    if let Some(p) = print {
        // Blank pages at the end, for the count the binding needs.
        while infos.len() < p.padded(infos.len()) {
            let last = infos.last().expect("a book has pages");
            infos.push(PageInfo { blank: true, first: true, number: last.number + 1, ..last.clone() });
        }
        *layouts.gutter.lock().unwrap_or_else(|e| e.into_inner()) = gutter;
    }
    let marginals_job = Job::lean("/pieces/marginals.typ", with_gutter(marginals_info(&plan, &infos), gutter));
    let marginals = typeset_all(s, base, layouts, vec![marginals_job])?.pop().expect("one layout");
    if marginals.doc.pages().len() != infos.len() {
        return Err(PdfError::Marginals { pages: marginals.doc.pages().len(), expected: infos.len() });
    }
    *layouts.targets.lock().unwrap_or_else(|e| e.into_inner()) = Some(all.clone());
    let mut keep: BTreeSet<String> = mains.iter().cloned().collect();
    keep.insert("/pieces/marginals.typ".into());
    layouts.retain(&keep);

    let sides = Spread {
        print,
        gutter,
        margin: super::points(&book.config.pdf.margin),
        rtl: crate::lang::is_rtl(&book.config.language),
    };
    let (pages, per_piece) = join(&plan, &placed, &docs, &infos, &marginals.doc, &sides);
    // A warning of the template comes once per piece: told once.
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for w in docs.iter().chain([&marginals]).flat_map(|l| l.warnings.iter()) {
        if !warnings.iter().any(|k| k.location == w.location && k.message == w.message) {
            warnings.push(w.clone());
        }
    }
    // The metadata are the book's, as the template sets them in every piece.
    let doc = PagedDocument::new(pages.into(), docs[0].doc.info().clone());
    Ok(Composed { plan, placed, doc, pages: per_piece, warnings, targets: all, entries, gutter })
}

/// The data entry a piece sets (an essay, a text, a part), for the markup
/// files it includes.
fn entry_of(data: &Value, p: &Piece) -> Value {
    match (p.kind, &p.slug, p.index) {
        (Kind::Essay, Some(slug), _) => data["parts"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|part| part["essays"].as_array().into_iter().flatten())
            .find(|e| e["slug"] == slug.as_str())
            .cloned()
            .unwrap_or(Value::Null),
        (Kind::Front | Kind::Back, Some(slug), _) => data[p.kind.name()]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["slug"] == slug.as_str())
            .cloned()
            .unwrap_or(Value::Null),
        (Kind::Part, _, Some(i)) => json!({ "title": data["parts"][i]["title"], "intro": data["parts"][i]["intro"] }),
        _ => Value::Null,
    }
}

/// A blank page of the size of `like`, numbered `number`.
fn blank(like: &Page, number: usize, folio: Folio) -> Page {
    Page {
        frame: Frame::hard(like.frame.size()),
        bleed: Sides::splat(Abs::zero()),
        fill: Smart::Auto,
        numbering: folio.numbering(),
        supplement: Content::empty(),
        number: number as u64,
    }
}

/// The pages of the book in order: each piece's, after its blank pages,
/// with the heads and folios of `marginals` laid over them and the numbers
/// the book gives them (for the PDF's page labels). Also each piece's pages
/// as they are in the book.
fn join(
    plan: &[Piece],
    placed: &[Placement],
    docs: &[Arc<Layout>],
    infos: &[PageInfo],
    marginals: &PagedDocument,
    sides: &Spread<'_>,
) -> (Vec<Page>, Vec<Vec<Page>>) {
    let mut out = Vec::with_capacity(infos.len());
    let mut per_piece = Vec::with_capacity(plan.len());
    let mut at = 0;
    for (i, layout) in docs.iter().enumerate() {
        let pages = layout.doc.pages();
        let mut own = Vec::with_capacity(pages.len());
        for _ in 0..placed[i].blanks {
            let like = pages.first().or(out.last()).expect("a piece has a page");
            out.push(sides.bleed(blank(like, infos[at].number, infos[at].folio), at + 1));
            at += 1;
        }
        for page in pages {
            let mut page = sides.mirror(page.clone(), at + 1);
            overlay(&mut page.frame, &marginals.pages()[at].frame);
            page.numbering = infos[at].folio.numbering();
            page.number = infos[at].number as u64;
            // An offprint is read on a screen: no bleed.
            own.push(Page { bleed: Sides::splat(Abs::zero()), ..page.clone() });
            out.push(sides.bleed(page, at + 1));
            at += 1;
        }
        per_piece.push(own);
    }
    // The blank pages that end a printed book.
    while at < infos.len() {
        let like = out.last().expect("a book has pages");
        out.push(sides.bleed(blank(like, infos[at].number, infos[at].folio), at + 1));
        at += 1;
    }
    (out, per_piece)
}

/// What places a page of a printed book on its side of the spread: the
/// margins a piece was set with (those of a right-hand page, see the
/// template) and the bleed.
struct Spread<'a> {
    print: Option<&'a crate::config::print::Print>,
    gutter: Option<f64>,
    margin: f64,
    rtl: bool,
}

impl Spread<'_> {
    /// Whether the book's page `n` (1-based) has its gutter on the left.
    fn gutter_left(&self, n: usize) -> bool {
        (n % 2 == 1) != self.rtl
    }

    /// `page`, the `n`th of the book, with its margins mirrored when it
    /// falls on the other side of the spread than it was set for: what the
    /// template placed at the margin (the text, its header and footer) moves
    /// over; what it placed against the page's edges (a background, a
    /// picture bled off the page) stays.
    fn mirror(&self, mut page: Page, n: usize) -> Page {
        let Some(g) = self.gutter else { return page };
        // Set as a right-hand page: its left margin is the gutter in a
        // left-to-right book, the outer margin in a right-to-left one.
        let (set_left, other_left) = if self.rtl { (self.margin, g) } else { (g, self.margin) };
        if self.gutter_left(n) != self.rtl || (set_left - other_left).abs() < 0.01 {
            return page;
        }
        let dx = Abs::pt(other_left - set_left);
        let width = page.frame.width().to_pt();
        // typst inlines the text area's items into the page's frame: each
        // moves, but for what reaches the left or right edge of the page.
        let at_edge = |x: f64, w: f64| x <= 0.01 || x + w >= width - 0.01;
        let mut frame = Frame::new(page.frame.size(), page.frame.kind());
        for (pos, item) in page.frame.items() {
            let x = pos.x.to_pt();
            let stays = match item {
                FrameItem::Group(g) => at_edge(x, g.frame.width().to_pt()),
                FrameItem::Image(_, size, _) => at_edge(x, size.x.to_pt()),
                FrameItem::Shape(shape, _) => {
                    let bbox = shape.bbox(false);
                    at_edge(x + bbox.min.x.to_pt(), (bbox.max.x - bbox.min.x).to_pt())
                }
                _ => false,
            };
            let pos = if stays { *pos } else { *pos + typst::layout::Point::with_x(dx) };
            frame.push(pos, item.clone());
        }
        page.frame = frame;
        page
    }

    /// `page`, the `n`th of the book, with the bleed of a printed book: on
    /// the top, bottom and outer edges, and on the inner one when the
    /// service wants it.
    fn bleed(&self, mut page: Page, n: usize) -> Page {
        let Some(p) = self.print else { return page };
        let b = Abs::pt(p.bleed);
        let inner = if p.bleed_inside { b } else { Abs::zero() };
        let (left, right) = if self.gutter_left(n) { (inner, b) } else { (b, inner) };
        page.bleed = Sides::new(left, b, right, b);
        page
    }
}

/// Lays the header and footer of a marginals page over a page of the book.
/// typst inlines them into the page's frame, each wrapped in its artifact
/// tags (so that assistive technology skips them, as in a book typeset
/// whole); the marginals page has no other content. The piece's page goes
/// in whole, as a group: its items are shared with the piece's layout, not
/// copied (pushing onto it would copy every glyph of the page, a third of
/// the memory of a 1,000-essay book).
fn overlay(frame: &mut Frame, marginal: &Frame) {
    let mut out = Frame::new(frame.size(), frame.kind());
    out.push(typst::layout::Point::zero(), FrameItem::Group(typst::layout::GroupItem::new(frame.clone())));
    for (pos, item) in marginal.items() {
        out.push(*pos, item.clone());
    }
    *frame = out;
}

/// The offprints of every essay, cut from the book's pages: for each, a
/// first page (from the piece "covers", typeset now), then the
/// essay's pages exactly as the book has them. A link to another part of the
/// book leads to that essay on the site (`[html] base_url`) or to the whole
/// book (`[book] url`) when there is one, and is left out otherwise: the
/// page the book prints stays after the link's text.
pub fn offprints(
    book: &Book,
    s: &Sources,
    base: &BookWorld,
    layouts: &Layouts,
    c: &Composed,
) -> Result<Vec<super::Offprint>, PdfError> {
    use rayon::prelude::*;
    let docs = offprint_documents(book, s, base, layouts, c)?;
    let ident = &book.config.identifier;
    pool()?.install(|| {
        docs.par_iter()
            .map(|(slug, doc)| {
                let bytes = super::export(book, s, base, doc, format!("{ident}#{slug}"))?;
                Ok(super::Offprint { slug: slug.clone(), bytes, pages: doc.pages().len() })
            })
            .collect()
    })
}

/// The pages of each essay's offprint, by slug, in the book's order (see
/// [`offprints`]).
pub fn offprint_documents(
    book: &Book,
    s: &Sources,
    base: &BookWorld,
    layouts: &Layouts,
    c: &Composed,
) -> Result<Vec<(String, PagedDocument)>, PdfError> {
    let cfg = &book.config;
    let site = cfg.html.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string());
    let whole = cfg.url.clone().filter(|u| crate::input::assets::is_web_link(u));
    let essays: Vec<usize> = (0..c.plan.len()).filter(|&i| c.plan[i].kind == Kind::Essay).collect();
    // The first pages of all offprints, one piece: each starts with a marker.
    let covers: Vec<Value> = essays
        .iter()
        .map(|&i| {
            let (p, at) = (&c.plan[i], c.placed[i]);
            json!({
                "essay": c.entries[i],
                "first_page": p.folio.print(at.number),
                "last_page": p.folio.print(at.number + at.pages.max(1) - 1),
            })
        })
        .collect();
    let info = json!({ "kind": "covers", "covers": covers, "targets": {} });
    let covers = typeset_all(s, base, layouts, vec![Job::lean("/pieces/covers.typ", with_gutter(info, c.gutter))])?
        .pop()
        .expect("one layout");
    let starts: HashMap<String, usize> = spots(&covers.doc)
        .into_iter()
        .filter_map(|(key, at)| Some((key.strip_prefix("cover/")?.to_string(), at.page)))
        .collect();
    let cover_pages = |slug: &str| -> Option<Vec<Page>> {
        let first = *starts.get(slug)?;
        let next = starts.values().filter(|&&p| p > first).min().copied().unwrap_or(covers.doc.pages().len() + 1);
        let pages = &covers.doc.pages()[first - 1..next - 1];
        Some(pages.iter().map(|p| Page { bleed: Sides::splat(Abs::zero()), ..p.clone() }).collect())
    };
    // The essay on each page of the book, for links that leave an offprint.
    let essay_at = |page: usize| {
        let i = c.placed.iter().rposition(|at| at.first <= page)?;
        (c.plan[i].kind == Kind::Essay && page <= c.placed[i].last()).then(|| c.plan[i].slug.clone()).flatten()
    };
    let web = |page: usize| -> Option<Destination> {
        let url = match (&site, essay_at(page)) {
            (Some(site), Some(slug)) => format!("{site}/{slug}/"),
            _ => whole.clone()?,
        };
        typst::model::Url::new(url).ok().map(Destination::Url)
    };
    essays
        .iter()
        .map(|&i| {
            let at = c.placed[i];
            let slug = c.plan[i].slug.clone().unwrap_or_default();
            let mut pages = cover_pages(&slug).ok_or_else(|| PdfError::Offprint(slug.clone()))?;
            let shift = pages.len();
            let inside = |page: NonZeroUsize| (at.first..=at.last()).contains(&page.get());
            let relink = |d: &Destination| match d {
                Destination::Position(p) if inside(p.page) => {
                    let page = NonZeroUsize::new(p.page.get() - at.first + 1 + shift)?;
                    Some(Destination::Position(typst::introspection::PagedPosition { page, ..*p }))
                }
                Destination::Position(p) => web(p.page.get()),
                other => Some(other.clone()),
            };
            for page in &c.pages[i] {
                let mut page = page.clone();
                page.frame = map_links(&page.frame, &relink);
                pages.push(page);
            }
            let info = match book.essays().find(|e| Some(&e.slug) == c.plan[i].slug.as_ref()) {
                Some(e) => super::offprint_metadata(e, c.doc.info()),
                None => c.doc.info().clone(),
            };
            Ok((slug, PagedDocument::new(pages.into(), info)))
        })
        .collect()
}

/// `frame` with its links changed by `f` (`None` drops the link). A frame
/// (or group) whose links all stay is the same frame, shared, not a copy.
pub fn map_links(frame: &Frame, f: &dyn Fn(&Destination) -> Option<Destination>) -> Frame {
    relinked(frame, f).unwrap_or_else(|| frame.clone())
}

/// [`map_links`], or `None` when no link of `frame` changes.
fn relinked(frame: &Frame, f: &dyn Fn(&Destination) -> Option<Destination>) -> Option<Frame> {
    // What changes, by item: a group's new frame, a link's new destination
    // (or none, to drop it).
    enum Change {
        Group(Frame),
        Link(Option<Destination>),
    }
    let changes: Vec<Option<Change>> = frame
        .items()
        .map(|(_, item)| match item {
            FrameItem::Group(g) => relinked(&g.frame, f).map(Change::Group),
            FrameItem::Link(dest, _) => match f(dest) {
                Some(d) if d == *dest => None,
                d => Some(Change::Link(d)),
            },
            _ => None,
        })
        .collect();
    if changes.iter().all(Option::is_none) {
        return None;
    }
    let mut out = Frame::new(frame.size(), frame.kind());
    if frame.has_baseline() {
        out.set_baseline(frame.baseline());
    }
    for ((pos, item), change) in frame.items().zip(changes) {
        match (item, change) {
            (FrameItem::Group(g), Some(Change::Group(inner))) => {
                let mut g = g.clone();
                g.frame = inner;
                out.push(*pos, FrameItem::Group(g));
            }
            (FrameItem::Link(_, size), Some(Change::Link(d))) => {
                if let Some(d) = d {
                    out.push(*pos, FrameItem::Link(d, *size));
                }
            }
            (other, _) => out.push(*pos, other.clone()),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(kind: Kind, recto: bool, folio: Folio, restart: bool) -> Piece {
        Piece {
            kind,
            slug: None,
            index: None,
            title: String::new(),
            authors: String::new(),
            recto,
            folio,
            restart,
            footnotes_before: 0,
        }
    }

    #[test]
    fn pieces_start_on_right_hand_pages_when_asked_and_numbers_restart() {
        let plan = vec![
            piece(Kind::Opening, false, Folio::None, false),
            piece(Kind::Contents, false, Folio::Roman, true),
            piece(Kind::Front, true, Folio::Roman, false),
            piece(Kind::Part, true, Folio::Arabic, true),
            piece(Kind::Essay, true, Folio::Arabic, false),
            piece(Kind::Essay, false, Folio::Arabic, false),
        ];
        let placed = paginate(&plan, &[4, 1, 2, 1, 3, 2]);
        // Contents on page 5 (i), the preface on 7 (iii) after a blank page 6 (ii).
        assert_eq!(placed[1], Placement { blanks: 0, first: 5, number: 1, pages: 1 });
        assert_eq!(placed[2], Placement { blanks: 1, first: 7, number: 3, pages: 2 });
        // The part starts on 9, numbered 1 again; the essay after it needs a blank page.
        assert_eq!(placed[3], Placement { blanks: 0, first: 9, number: 1, pages: 1 });
        assert_eq!(placed[4], Placement { blanks: 1, first: 11, number: 3, pages: 3 });
        // Without recto starts, straight on.
        assert_eq!(placed[5], Placement { blanks: 0, first: 14, number: 6, pages: 2 });
        let infos = page_infos(&plan, &placed);
        assert_eq!(infos.len(), 15);
        // The blank page 6 is numbered ii, as a roman page; page 10 is blank and numbered 2.
        assert_eq!((infos[5].blank, infos[5].number, infos[5].folio), (true, 2, Folio::Roman));
        assert_eq!((infos[9].blank, infos[9].number, infos[9].folio), (true, 2, Folio::Arabic));
        assert_eq!(Folio::Roman.print(4).as_deref(), Some("iv"));
    }
}
