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

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use typst::model::{Document as _, Numbering, NumberingPattern};
use typst_layout::{Page, PagedDocument};

mod gutter;
mod layouts;
mod light;
mod offprints;
mod pages;

pub use gutter::{Margins, OUTER_FLOOR};
pub use layouts::Layouts;
use layouts::{
    EVICT_AFTER, Job, KEEP_FOR_SECOND_ROUND, Layout, job, spots, typeset_all, typeset_batches, wanted_labels,
    with_gutter,
};
pub use offprints::{map_links, offprint_documents, offprints};
use pages::{PageInfo, Spread, join, marginals_info, page_infos};

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
    /// A printed book's margins: the gutter and the outer margin.
    pub fn margins(&self) -> Option<Margins> {
        self.margins
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
    /// A printed book's margins.
    margins: Option<Margins>,
}

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
    // gutter: the pieces are set with the gutter of the count their texts
    // foretell (see `gutter`).
    let print = book.config.print.as_ref();
    let margin = book.config.pdf.margin_points();
    let font_size = book.config.pdf.font_size_points();
    let mut gutter = print.map(|p| gutter::foreseen_gutter(p, &plan, book, margin, font_size));
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
        // Set again only when the text block cannot move as far from the
        // spine as the count asks.
        let wider = match (print, gutter) {
            (Some(p), Some(g)) if !Margins::of(p, g, margin, total).fit() => Some(p.gutter(total)),
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
    }
    let margins = print.zip(gutter).map(|(p, g)| Margins::of(p, g, margin, infos.len()));
    let marginals_job = Job::lean("/pieces/marginals.typ", with_gutter(marginals_info(&plan, &infos), gutter));
    let marginals = typeset_all(s, base, layouts, vec![marginals_job])?.pop().expect("one layout");
    if marginals.doc.pages().len() != infos.len() {
        return Err(PdfError::Marginals { pages: marginals.doc.pages().len(), expected: infos.len() });
    }
    *layouts.targets.lock().unwrap_or_else(|e| e.into_inner()) = Some(all.clone());
    let mut keep: BTreeSet<String> = mains.iter().cloned().collect();
    keep.insert("/pieces/marginals.typ".into());
    layouts.retain(&keep);

    let sides = Spread { print, margins, rtl: crate::lang::is_rtl(&book.config.language) };
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
    Ok(Composed { plan, placed, doc, pages: per_piece, warnings, targets: all, entries, margins })
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
