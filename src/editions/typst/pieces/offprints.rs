//! Offprints cut from the pieces: each essay's own layout, after a first
//! page, its links to other essays led to the site or the book, its pages
//! numbered as in the book.

use std::collections::HashMap;
use std::num::NonZeroUsize;

use serde_json::{Value, json};
use typst::layout::{Abs, Frame, FrameItem, Sides};
use typst::model::{Destination, Document as _};
use typst_layout::{Page, PagedDocument};

use super::super::world::BookWorld;
use super::super::{PdfError, Sources};
use super::layouts::{Job, spots, typeset_all, with_gutter};
use super::pages::moved;
use super::{Composed, Kind, Layouts, pool};
use crate::model::book::Book;

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
) -> Result<Vec<super::super::Offprint>, PdfError> {
    use rayon::prelude::*;
    let docs = offprint_documents(book, s, base, layouts, c)?;
    let ident = &book.config.identifier;
    pool()?.install(|| {
        docs.par_iter()
            .map(|(slug, doc)| {
                let essay = book.essays().filter(|e| &e.slug == slug);
                let missing = super::super::without_alt(essay);
                let (bytes, not_ua) = super::super::export(book, s, base, doc, format!("{ident}#{slug}"), missing)?;
                Ok(super::super::Offprint { slug: slug.clone(), bytes, pages: doc.pages().len(), not_ua })
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
    let set = c.margins.map(|m| m.set);
    let covers = typeset_all(s, base, layouts, vec![Job::lean("/pieces/covers.typ", with_gutter(info, set))])?
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
        // Set as right-hand pages, moved from the spine as the book's are.
        let shift = c.margins.map_or(0.0, |m| if crate::lang::is_rtl(&cfg.language) { -m.shift } else { m.shift });
        Some(
            pages
                .iter()
                .map(|p| Page { bleed: Sides::splat(Abs::zero()), frame: moved(&p.frame, shift), ..p.clone() })
                .collect(),
        )
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
                Some(e) => super::super::offprint_metadata(e, c.doc.info()),
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
pub(super) fn relinked(frame: &Frame, f: &dyn Fn(&Destination) -> Option<Destination>) -> Option<Frame> {
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
