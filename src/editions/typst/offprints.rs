//! Offprints cut from a book typeset whole (a book's own template that does
//! not read `/piece.json`): each essay set again alone, after a first page,
//! starting at the page it has in the book. A book set piece by piece
//! cuts them from its pieces instead (see [`super::pieces`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use typst_layout::PagedDocument;

use super::export::{NotUa, export, typeset, without_alt};
use super::introspect::{footnotes_before, link_pages, marks};
use super::world::BookWorld;
use super::{COMPILE_STACK, PdfError, Sources, Typeset, pieces};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::editions::{Files, Output};
use crate::model::book::{Book, Essay};

/// One essay's offprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offprint {
    /// The essay.
    pub slug: String,
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Its pages: the first page, then the essay's pages as in the book.
    pub pages: usize,
    /// Why it does not declare PDF/UA-1 when the book asked for no standard
    /// and the offprint could not meet it (see [`super::export::export`]).
    pub not_ua: Option<NotUa>,
}

/// The offprints as the edition's output: `<slug>.pdf` each, with one
/// warning naming those that do not declare PDF/UA-1 and why, unless
/// `told`: the book's PDF already said why it does not.
pub fn offprints_output(list: &[Offprint], told: bool) -> Output {
    let files = list.iter().map(|o| (PathBuf::from(format!("{}.pdf", o.slug)), o.bytes.clone())).collect();
    let not_ua: Vec<&Offprint> = list.iter().filter(|o| o.not_ua.is_some()).collect();
    let warnings = match not_ua.first().and_then(|o| o.not_ua.as_ref()) {
        Some(why) if !told => {
            let slugs: Vec<&str> = not_ua.iter().map(|o| o.slug.as_str()).collect();
            let (n, s) = (slugs.len(), if slugs.len() == 1 { "" } else { "s" });
            vec![
                Diagnostic::new(
                    Code::TypesetWarning,
                    Location::file(Path::new(crate::config::BOOK_FILE)),
                    format!("{n} offprint{s} tagged, but not declaring PDF/UA-1 ({}): {why}", slugs.join(", ")),
                )
                .hint(why.hint()),
            ]
        }
        _ => Vec::new(),
    };
    Output {
        files: Files::Folder(files),
        summary: format!("{} offprints, {} pages", list.len(), list.iter().map(|o| o.pages).sum::<usize>()),
        pages: None,
        warnings,
    }
}

/// The offprints of every essay of `book`, from its typeset pages.
pub fn offprints_of(
    book: &Book,
    s: &Sources,
    w: &BookWorld,
    layouts: &pieces::Layouts,
    set: &Typeset,
) -> Result<Vec<Offprint>, PdfError> {
    match set {
        Typeset::Pieces(c) => pieces::offprints(book, s, w, layouts, c),
        Typeset::Whole(doc) => offprints(book, s, w, doc),
    }
}

/// The offprints of every essay of `book`, from its typeset document `doc`:
/// each is the same template in the same world, told by `/offprint.json` to
/// set one essay after a first page, starting at the page number the essay
/// has in the book. They are typeset in parallel.
pub fn offprints(book: &Book, s: &Sources, w: &BookWorld, doc: &PagedDocument) -> Result<Vec<Offprint>, PdfError> {
    use rayon::prelude::*;
    let layout = Layout::of(book, doc);
    let essays: Vec<&Essay> = book.essays().collect();
    // Each offprint is a whole typst compile, which runs its own parallel
    // layout: on the shared pool, a worker waiting inside one compile runs
    // another compile's tasks on the same stack, and a 1,000-essay book
    // overflowed it. A pool of its own, with large stacks, keeps them apart.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .stack_size(COMPILE_STACK)
        .build()
        .map_err(|e| PdfError::Threads(e.to_string()))?;
    let mut made = Vec::with_capacity(essays.len());
    // A few at a time: typst memoises each compile's layout, and 1,000 of
    // them kept at once took 20 GB. Work shared by all (the template, fonts)
    // is used again at once and survives the eviction between batches.
    for batch in essays.chunks(4 * pool.current_num_threads().max(1)) {
        let done: Vec<Offprint> =
            pool.install(|| batch.par_iter().map(|e| offprint(book, s, w, doc, &layout, e)).collect::<Result<_, _>>())?;
        made.extend(done);
        typst::comemo::evict(2);
    }
    Ok(made)
}

/// What the offprints need of the book's layout: where each essay starts
/// (see [`marks`]), the footnotes before it, and the pages links lead to.
struct Layout {
    marks: Vec<(String, Option<String>, usize)>,
    notes: HashMap<String, usize>,
    pages: serde_json::Map<String, Value>,
}

impl Layout {
    /// The layout of the typeset `doc` of `book`.
    fn of(book: &Book, doc: &PagedDocument) -> Self {
        Layout { marks: marks(doc), notes: footnotes_before(book), pages: link_pages(doc) }
    }

    /// What `/offprint.json` holds for essay `slug`, with the physical pages
    /// where it starts and ends in the book; `None` when the book has no such essay.
    fn offprint_info(&self, doc: &PagedDocument, slug: &str) -> Option<(Value, usize, usize)> {
        let at = self.marks.iter().position(|m| m.0 == "essay" && m.1.as_deref() == Some(slug))?;
        let first = self.marks[at].2;
        // The essay ends before the next marker's page (a part, an essay, the index).
        let last = self.marks.get(at + 1).map_or(doc.pages().len(), |m| m.2.saturating_sub(1).max(first));
        let number = |page: usize| doc.pages()[page - 1].number;
        let info = json!({
            "slug": slug,
            "first_page": number(first),
            "last_page": number(last),
            "shift": first as i64 - 2,
            "footnotes_before": self.notes.get(slug).copied().unwrap_or(0),
            "link_pages": self.pages,
        });
        Some((info, first, last))
    }
}

/// What `/offprint.json` holds when the template sets essay `slug` of `book`
/// alone, from the book's typeset `doc` (see [`offprints`]).
pub fn offprint_info(book: &Book, doc: &PagedDocument, slug: &str) -> Option<Value> {
    Layout::of(book, doc).offprint_info(doc, slug).map(|(info, ..)| info)
}

/// One essay's offprint (see [`offprints`]).
fn offprint(
    book: &Book,
    s: &Sources,
    w: &BookWorld,
    doc: &PagedDocument,
    layout: &Layout,
    e: &Essay,
) -> Result<Offprint, PdfError> {
    let Some((info, first, last)) = layout.offprint_info(doc, &e.slug) else {
        return Err(PdfError::Offprint(e.slug.clone()));
    };
    let mut world = w.clone();
    world.set_file("/offprint.json", info.to_string().into_bytes());
    let (mut pages, _) = typeset(s, &world)?;
    // One first page, the essay's pages: more means the template ignored /offprint.json.
    if pages.pages().len() > last - first + 2 {
        return Err(PdfError::Offprint(e.slug.clone()));
    }
    let info = offprint_metadata(e, typst::model::Document::info(&pages));
    *pages.info_mut() = info;
    let ident = format!("{}#{}", book.config.identifier, e.slug);
    let (bytes, not_ua) = export(book, s, &world, &pages, ident, without_alt(std::iter::once(e)))?;
    Ok(Offprint { slug: e.slug.clone(), bytes, pages: pages.pages().len(), not_ua })
}

/// An offprint's metadata (its XMP and document information): the essay's
/// title, authors, summary and DOI, not the book's; the rest as in `book`.
pub(crate) fn offprint_metadata(e: &Essay, book: &typst::model::DocumentInfo) -> typst::model::DocumentInfo {
    let mut info = book.clone();
    info.title = Some(e.title.as_str().into());
    info.author = e.authors.iter().map(|a| a.name.as_str().into()).collect();
    let doi = e.doi.as_ref().map(|d| format!("https://doi.org/{d}"));
    info.description = match (&e.summary, &doi) {
        (Some(s), Some(d)) => Some(format!("{s} {d}").into()),
        (Some(s), None) => Some(s.as_str().into()),
        (None, Some(d)) => Some(d.as_str().into()),
        (None, None) => None,
    };
    info.keywords =
        e.tags.iter().map(|t| t.as_str().into()).chain(e.doi.iter().map(|d| format!("doi:{d}").into())).collect();
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offprint(slug: &str, not_ua: Option<&str>) -> Offprint {
        Offprint {
            slug: slug.into(),
            bytes: b"%PDF-".to_vec(),
            pages: 2,
            not_ua: not_ua.map(|e| NotUa::Typst(e.into())),
        }
    }

    #[test]
    fn offprints_that_do_not_declare_pdf_ua_are_named_once_unless_the_book_told_why() {
        let list = [offprint("a", None), offprint("b", Some("X")), offprint("c", Some("Y"))];
        let out = offprints_output(&list, false);
        let said: Vec<&str> = out.warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(said, ["2 offprints tagged, but not declaring PDF/UA-1 (b, c): typst cannot meet it: X"]);
        assert!(offprints_output(&list, true).warnings.is_empty(), "the book's PDF said why");
        assert!(offprints_output(&list[..1], false).warnings.is_empty());
    }
}
