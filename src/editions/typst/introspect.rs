//! What a typeset book says of itself: where the template's markers are
//! (essays, parts, the index), on which page each essay starts and ends,
//! the pages links lead to, and the footnotes before each essay. The
//! offprints and the metadata ask it.

use std::collections::HashMap;

use serde_json::Value;
use typst_layout::PagedDocument;

use crate::model::book::{Book, Essay};

/// Where the template's markers are in a typeset book: for each, its kind,
/// slug (essays) and physical page (1-based), in the book's order.
pub fn marks(doc: &PagedDocument) -> Vec<(String, Option<String>, usize)> {
    use typst::introspection::Introspector;
    let intro = doc.introspector();
    let mut out: Vec<_> =
        marked(doc).into_iter().filter_map(|m| Some((m.kind, m.slug, intro.page(m.at)?.get()))).collect();
    out.sort_by_key(|m| m.2);
    out
}

/// One of the template's markers (`metadata(..) <anthology-mark>`) in a
/// typeset document: its `kind`, `slug` and `title`, and where it is.
pub(crate) struct Mark {
    /// `essay`, `part`, `front`, `back`, `contents`, `index`, `cover`.
    pub kind: String,
    /// The essay's or text's slug.
    pub slug: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Where it is.
    pub at: typst::introspection::Location,
}

/// The template's markers in `doc`, in the document's order.
pub(crate) fn marked(doc: &PagedDocument) -> Vec<Mark> {
    use typst::foundations::{Label, Selector, Str, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = Label::new(typst::utils::PicoStr::intern("anthology-mark")) else { return Vec::new() };
    let mut out = Vec::new();
    for c in doc.introspector().query(&Selector::Label(label)) {
        let (Some(m), Some(at)) = (c.to_packed::<MetadataElem>(), c.location()) else { continue };
        let Value::Dict(d) = &m.value else { continue };
        let text = |k: &str| d.get(k).ok().and_then(|v| v.clone().cast::<Str>().ok()).map(|s| s.to_string());
        let Some(kind) = text("kind") else { continue };
        out.push(Mark { kind, slug: text("slug"), title: text("title"), at });
    }
    out
}

/// The labels in `doc` that links between essays lead to (an essay's
/// start, `essay-…`, and its headings, `h-…`), with where each is.
pub(crate) fn link_labels(doc: &PagedDocument) -> Vec<(String, typst::introspection::Location)> {
    use typst::introspection::Introspector;
    let mut out = Vec::new();
    for c in doc.introspector().query_labelled() {
        let (Some(label), Some(at)) = (c.label(), c.location()) else { continue };
        let name = label.resolve().as_str().to_string();
        if name.starts_with("essay-") || name.starts_with("h-") {
            out.push((name, at));
        }
    }
    out
}

/// Each essay's pages in a book typeset whole: from its marker's page to the
/// page before the next marker's, as printed.
pub(super) fn whole_essay_pages(doc: &PagedDocument) -> crate::editions::metadata::PageMap {
    use typst::model::Numbering;
    let printed = |n: usize| -> String {
        let Some(page) = doc.pages().get(n.saturating_sub(1)) else { return n.to_string() };
        match &page.numbering {
            Some(Numbering::Pattern(p)) => p.apply(None, &[page.number]).map(|s| s.to_string()).unwrap_or_default(),
            _ => page.number.to_string(),
        }
    };
    let m = marks(doc);
    let mut out = crate::editions::metadata::PageMap::new();
    for (i, (kind, slug, page)) in m.iter().enumerate() {
        let (Some(slug), "essay") = (slug, kind.as_str()) else { continue };
        let next = m.get(i + 1).map_or(doc.pages().len(), |n| n.2.saturating_sub(1).max(*page));
        out.insert(slug.clone(), crate::editions::metadata::Pages { first: printed(*page), last: printed(next) });
    }
    out
}

/// The page, as the book prints it, of every place a link can lead to (the
/// start of an essay, one of its headings), by label: an offprint, which
/// holds one essay, prints the same pages after its links as the book does.
pub(super) fn link_pages(doc: &PagedDocument) -> serde_json::Map<String, Value> {
    use typst::introspection::Introspector;
    use typst::model::Numbering;
    let intro = doc.introspector();
    let mut out = serde_json::Map::new();
    for (name, loc) in link_labels(doc) {
        if out.contains_key(&name) {
            continue;
        }
        let Some(page) = intro.page(loc).and_then(|p| doc.pages().get(p.get() - 1)) else { continue };
        let printed = match &page.numbering {
            Some(Numbering::Pattern(pattern)) => pattern.apply(None, &[page.number]).map(|s| s.to_string()).ok(),
            _ => None,
        };
        out.insert(name, Value::String(printed.unwrap_or_else(|| page.number.to_string())));
    }
    out
}

/// Footnotes printed before each essay, for books numbered book-wide: the
/// template's order (front matter, then each part's introduction and essays).
pub(crate) fn footnotes_before(book: &Book) -> HashMap<String, usize> {
    let count = |e: &Essay| {
        let mut n = 0;
        e.body.for_each_inline(&mut |i| {
            n += usize::from(matches!(i, crate::model::document::Inline::FootnoteRef { .. }))
        });
        n
    };
    let mut seen: usize = book.front.iter().map(count).sum();
    let mut out = HashMap::new();
    for p in &book.parts {
        seen += p.intro.as_ref().map_or(0, count);
        for e in &p.essays {
            out.insert(e.slug.clone(), seen);
            seen += count(e);
        }
    }
    out
}
