//! The pieces' pages joined into the book: blank pages for recto starts,
//! each page's folio and running head (the marginals, set as one more
//! piece) laid over it, as spreads.

use std::sync::Arc;

use serde_json::{Value, json};
use typst::foundations::{Content, Smart};
use typst::layout::{Abs, Frame, FrameItem, Sides};
use typst_layout::{Page, PagedDocument};

use super::layouts::Layout;
use super::{Folio, Piece, Placement};

/// One page of the book, as the marginals and the page labels see it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PageInfo {
    /// The piece it belongs to (the next one for a blank page), and whether it
    /// is blank.
    pub(super) piece: usize,
    pub(super) blank: bool,
    /// Whether its piece starts on it.
    pub(super) first: bool,
    /// Its number and how it is printed.
    pub(super) number: usize,
    pub(super) folio: Folio,
}

/// Every page of the book, in order.
pub(super) fn page_infos(plan: &[Piece], placed: &[Placement]) -> Vec<PageInfo> {
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
pub(super) fn marginals_info(plan: &[Piece], infos: &[PageInfo]) -> Value {
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

/// A blank page of the size of `like`, numbered `number`.
pub(super) fn blank(like: &Page, number: usize, folio: Folio) -> Page {
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
pub(super) fn join(
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
            overlay(&mut page.frame, &sides.marginal(&marginals.pages()[at].frame, at + 1));
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
/// template), those the book's page count settled on, and the bleed.
pub(super) struct Spread<'a> {
    pub(super) print: Option<&'a crate::config::print::Print>,
    pub(super) margins: Option<super::Margins>,
    pub(super) rtl: bool,
}

impl Spread<'_> {
    /// Whether the book's page `n` (1-based) has its gutter on the left.
    pub(super) fn gutter_left(&self, n: usize) -> bool {
        (n % 2 == 1) != self.rtl
    }

    /// `page`, the `n`th of the book, with the margins of its side of the
    /// spread: mirrored when it falls on the other side than it was set
    /// for, and moved away from the spine when the page count asked for a
    /// wider gutter than it was set with. What the template placed at the
    /// margin (the text, its header and footer) moves; what it placed
    /// against the page's edges (a background, a picture bled off the page)
    /// stays.
    pub(super) fn mirror(&self, mut page: Page, n: usize) -> Page {
        let Some(m) = self.margins else { return page };
        // Set as a right-hand page: its left margin is the gutter in a
        // left-to-right book, the outer margin in a right-to-left one.
        let set_left = if self.rtl { m.outer } else { m.set };
        let left = if self.gutter_left(n) { m.inside() } else { m.outside() };
        page.frame = moved(&page.frame, left - set_left);
        page
    }

    /// The marginals' page `n`, set with the margins the pieces were set
    /// with (on its own side of the spread), moved away from the spine as
    /// the pages are.
    pub(super) fn marginal(&self, frame: &Frame, n: usize) -> Frame {
        let Some(m) = self.margins else { return frame.clone() };
        moved(frame, if self.gutter_left(n) { m.shift } else { -m.shift })
    }

    /// `page`, the `n`th of the book, with the bleed of a printed book: on
    /// the top, bottom and outer edges, and on the inner one when the
    /// service wants it.
    pub(super) fn bleed(&self, mut page: Page, n: usize) -> Page {
        let Some(p) = self.print else { return page };
        let b = Abs::pt(p.bleed);
        let inner = if p.bleed_inside { b } else { Abs::zero() };
        let (left, right) = if self.gutter_left(n) { (inner, b) } else { (b, inner) };
        page.bleed = Sides::new(left, b, right, b);
        page
    }
}

/// `frame` with what it holds moved `dx` points to the right, but for what
/// reaches the left or right edge of the page (typst inlines the text
/// area's items into the page's frame, so each is judged apart). A page
/// with nothing at its edges goes in whole, as a group: its items are
/// shared with the piece's layout, not copied (a copy of a text item
/// copies its glyphs).
pub(super) fn moved(frame: &Frame, dx: f64) -> Frame {
    if dx.abs() < 0.01 {
        return frame.clone();
    }
    let width = frame.width().to_pt();
    let at_edge = |x: f64, w: f64| x <= 0.01 || x + w >= width - 0.01;
    let stays = |pos: &typst::layout::Point, item: &FrameItem| {
        let x = pos.x.to_pt();
        match item {
            FrameItem::Group(g) => at_edge(x, g.frame.width().to_pt()),
            FrameItem::Image(_, size, _) => at_edge(x, size.x.to_pt()),
            FrameItem::Shape(shape, _) => {
                let bbox = shape.bbox(false);
                at_edge(x + bbox.min.x.to_pt(), (bbox.max.x - bbox.min.x).to_pt())
            }
            _ => false,
        }
    };
    let shift = typst::layout::Point::with_x(Abs::pt(dx));
    let mut out = Frame::new(frame.size(), frame.kind());
    if !frame.items().any(|(pos, item)| stays(pos, item)) {
        out.push(shift, FrameItem::Group(typst::layout::GroupItem::new(frame.clone())));
        return out;
    }
    for (pos, item) in frame.items() {
        let pos = if stays(pos, item) { *pos } else { *pos + shift };
        out.push(pos, item.clone());
    }
    out
}

/// Lays the header and footer of a marginals page over a page of the book.
/// typst inlines them into the page's frame, each wrapped in its artifact
/// tags (so that assistive technology skips them, as in a book typeset
/// whole); the marginals page has no other content. The piece's page goes
/// in whole, as a group: its items are shared with the piece's layout, not
/// copied (pushing onto it would copy every glyph of the page, a third of
/// the memory of a 1,000-essay book).
pub(super) fn overlay(frame: &mut Frame, marginal: &Frame) {
    let mut out = Frame::new(frame.size(), frame.kind());
    out.push(typst::layout::Point::zero(), FrameItem::Group(typst::layout::GroupItem::new(frame.clone())));
    for (pos, item) in marginal.items() {
        out.push(*pos, item.clone());
    }
    *frame = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::print::{Gutter, INCH, Paper, Print};
    use typst::layout::{GroupItem, Point, Size};
    use typst::visualize::{Geometry, Shape};

    /// A 6 × 9 in page set as a right-hand page with a 36 pt gutter: a text
    /// block at the gutter, and a rule across the page from edge to edge.
    fn page() -> Page {
        let size = Size::new(Abs::pt(6.0 * INCH), Abs::pt(9.0 * INCH));
        let mut frame = Frame::hard(size);
        let block = Frame::hard(Size::new(Abs::pt(6.0 * INCH - 36.0 - 51.0), Abs::pt(500.0)));
        frame.push(Point::new(Abs::pt(36.0), Abs::pt(51.0)), FrameItem::Group(GroupItem::new(block)));
        let rule = Shape {
            geometry: Geometry::Rect(Size::new(size.x, Abs::pt(1.0))),
            fill: None,
            stroke: None,
            fill_rule: Default::default(),
        };
        frame.push(Point::zero(), FrameItem::Shape(rule, typst::syntax::Span::detached()));
        Page {
            frame,
            bleed: Sides::splat(Abs::zero()),
            fill: Smart::Auto,
            numbering: None,
            supplement: Content::empty(),
            number: 1,
        }
    }

    fn xs(page: &Page) -> Vec<f64> {
        page.frame.items().map(|(pos, _)| pos.x.to_pt()).collect()
    }

    #[test]
    fn pages_move_away_from_the_spine_by_what_the_count_added_to_the_gutter() {
        let print = Print {
            service: None,
            trim_name: "6x9in".into(),
            width: 6.0 * INCH,
            height: 9.0 * INCH,
            bleed: 0.0,
            bleed_inside: false,
            paper: Paper::White,
            page_thickness: 0.002252 * INCH,
            allowance: 0.0,
            gutter: Gutter::Steps(vec![(300, 36.0), (500, 45.0)]),
            pages_multiple: 2,
            back_text: None,
            price: None,
        };
        // Set with the gutter of up to 300 pages; 320 ask for 9 pt more.
        let margins = Some(super::super::Margins::of(&print, 36.0, 51.0, 320));
        let sides = Spread { print: Some(&print), margins, rtl: false };
        // A right-hand page: the text block 9 pt further right, the rule stays.
        assert_eq!(xs(&sides.mirror(page(), 1)), [45.0, 0.0]);
        // A left-hand page: the outer margin (now 42 pt) on the left.
        assert_eq!(xs(&sides.mirror(page(), 2)), [42.0, 0.0]);
        // The marginals move with their pages.
        assert_eq!(xs(&Page { frame: sides.marginal(&page().frame, 1), ..page() }), [45.0, 0.0]);
        assert_eq!(xs(&Page { frame: sides.marginal(&page().frame, 2), ..page() }), [27.0, 0.0]);
        // Without the shift, a left-hand page is the mirror image it always was.
        let margins = Some(super::super::Margins::of(&print, 36.0, 51.0, 200));
        let sides = Spread { print: Some(&print), margins, rtl: false };
        assert_eq!(xs(&sides.mirror(page(), 2)), [51.0, 0.0]);
        assert_eq!(xs(&sides.mirror(page(), 3)), [36.0, 0.0]);
        // A page with nothing at its edges moves whole, as one group.
        let mut bare = page();
        bare.frame = Frame::hard(bare.frame.size());
        let block = Frame::hard(Size::new(Abs::pt(300.0), Abs::pt(500.0)));
        bare.frame.push(Point::new(Abs::pt(36.0), Abs::pt(51.0)), FrameItem::Group(GroupItem::new(block)));
        let moved = sides.mirror(bare, 2);
        assert_eq!(xs(&moved), [15.0]);
        let FrameItem::Group(g) = &moved.frame.items().next().unwrap().1 else { panic!("a group") };
        assert_eq!(xs(&Page { frame: g.frame.clone(), ..page() }), [36.0]);
    }
}
