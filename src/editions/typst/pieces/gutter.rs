//! A printed book's gutter, chosen before its pages are laid out.
//!
//! A print service's gutter widens with the page count (KDP: 0.375 in up to
//! 150 pages, 0.875 in beyond 700), and the page count follows the width the
//! gutter leaves to the text. Setting the book with the narrowest gutter,
//! then again with the one its count asked for, made a printed book cost
//! twice a screen one. Here the count is foreseen from the texts before any
//! layout ([`foreseen_gutter`]), and the pieces are set with the gutter of
//! that count. When the count laid out asks for a wider gutter all the same,
//! the text block keeps its width and moves away from the spine: the outer
//! margin gives what the gutter takes ([`Margins`]), down to
//! [`OUTER_FLOOR`]; only past it is the book set again. A foreseen count
//! that is too high leaves the gutter wider than the service asks, which
//! every service accepts. Everything here follows from the sources alone,
//! so a build in `watch` gives the bytes of a cold one.

use crate::config::print::{INCH, Print};

use super::{Kind, Piece, paginate};
use crate::model::book::{Book, Essay};
use crate::model::document::{Block, Inline};

/// The narrowest outer margin a shifted text block leaves: KDP's minimum
/// for the top, bottom and outer margins of an interior with bleed (0.25 in
/// without), the strictest of the services' figures.
pub const OUTER_FLOOR: f64 = 0.375 * INCH;

/// Square points of a page that one character of text fills at 10 pt, with
/// [`BLOCK`] characters more for each block and [`HEADING`] of a page for
/// the essay's heading: fitted to the 320 essays of 97 Things in English
/// (5.5 × 8.5 in) and in Turkish (6 × 9 in), a generated French book of
/// 112 essays (6 × 9 in) and the sample book (5 × 8 in), whose page counts
/// they foresee exactly for 307 of them.
const AREA_PER_CHAR: f64 = 54.0;

/// What an essay's heading (title, authors, photo) takes of its first page.
const HEADING: f64 = 0.1;

/// The characters a block's end and its spacing take.
const BLOCK: usize = 60;

/// What a figure's caption and the space around it take of a page.
const CAPTION: f64 = 0.05;

/// The height of an image whose size cannot be read, against its width.
const ASPECT: f64 = 0.75;

/// The height of a line of the contents and of the contributor index, at
/// 10 pt (the index sets two columns).
const CONTENTS_LINE: f64 = 24.0;
const INDEX_LINE: f64 = 9.0;

/// The pages of the opening piece: cover, half-title, title, copyright.
const OPENING: usize = 4;

/// The margins a printed book's pages end with, against those its pieces
/// were set with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// The gutter the pieces were set with (their text block's width follows).
    pub set: f64,
    /// How far the text block moved away from the spine after layout: the
    /// gutter the page count asked for, less `set` (0 when it asked no more).
    pub shift: f64,
    /// The outer margin the pieces were set with.
    pub outer: f64,
}

impl Margins {
    /// The gutter as printed.
    pub fn inside(&self) -> f64 {
        self.set + self.shift
    }

    /// The outer margin as printed.
    pub fn outside(&self) -> f64 {
        self.outer - self.shift
    }

    /// The margins of a book set with gutter `set` and outer margin `outer`
    /// whose pages, `pages` of them, ask for `p`'s gutter.
    pub fn of(p: &Print, set: f64, outer: f64, pages: usize) -> Margins {
        Margins { set, shift: (p.gutter(pages) - set).max(0.0), outer }
    }

    /// Whether the text block moved no further than [`OUTER_FLOOR`]
    /// allows; else the book must be set again with a wider gutter.
    pub fn fit(&self) -> bool {
        self.shift < 0.01 || self.outside() >= OUTER_FLOOR - 0.01
    }
}

/// The gutter to set `plan` with: the service's for the page count the
/// texts foretell at that gutter's text width.
pub fn foreseen_gutter(p: &Print, plan: &[Piece], book: &Book, margin: f64, font_size: f64) -> f64 {
    let amounts: std::collections::HashMap<&str, Amount> =
        book.texts().map(|e| (e.slug.as_str(), Amount::of(e))).collect();
    let mut gutter = p.gutter(0);
    // A wider gutter can only add pages, so the steps are climbed once.
    for _ in 0..p.gutter_steps() {
        let pages = foreseen_pages(p, plan, &amounts, margin, gutter, font_size);
        let wider = p.gutter(pages);
        if wider <= gutter {
            break;
        }
        gutter = wider;
    }
    gutter
}

/// The page count `plan` is foreseen to take with this gutter, blank pages
/// included.
pub fn foreseen_pages(
    p: &Print,
    plan: &[Piece],
    amounts: &std::collections::HashMap<&str, Amount>,
    margin: f64,
    gutter: f64,
    font_size: f64,
) -> usize {
    let width = (p.width - margin - gutter).max(INCH);
    let height = (p.height - 2.0 * margin).max(INCH);
    let scale = (font_size / 10.0).max(0.1);
    let chars_per_page = width * height / (AREA_PER_CHAR * scale * scale);
    let lines = |n: usize, line: f64| (n as f64 * line * scale / height).ceil().max(1.0) as usize;
    let texts = plan.iter().filter(|p| p.slug.is_some() || p.kind == Kind::Part).count();
    // The index's lines: one per text, about one contributor each.
    let index_lines = amounts.len();
    let counts: Vec<usize> = plan
        .iter()
        .map(|piece| match piece.kind {
            Kind::Opening => OPENING,
            Kind::Contents => lines(texts, CONTENTS_LINE),
            Kind::Index => lines(index_lines, INDEX_LINE),
            Kind::Part => 1,
            Kind::Essay | Kind::Front | Kind::Back => {
                let a = piece.slug.as_deref().and_then(|slug| amounts.get(slug)).cloned().unwrap_or_default();
                let text = (a.chars + a.blocks * BLOCK) as f64 / chars_per_page;
                // An image is set at the text's width, and a page high at most.
                let figures: f64 = a.figures.iter().map(|aspect| (aspect * width / height).min(1.0) + CAPTION).sum();
                (HEADING + text + figures).ceil().max(1.0) as usize
            }
        })
        .collect();
    paginate(plan, &counts).last().map_or(0, |at| at.last())
}

/// How much a text sets: the characters of its running text, its notes and
/// its authors' notes, its blocks (each ends a line early and is spaced
/// from the next) and its figures.
#[derive(Debug, Default, Clone)]
pub struct Amount {
    /// Characters of text.
    pub chars: usize,
    /// Paragraphs, headings, list items, quotes and other blocks.
    pub blocks: usize,
    /// Each image's height against its width.
    pub figures: Vec<f64>,
}

impl Amount {
    /// What `e` sets.
    pub fn of(e: &Essay) -> Amount {
        let aspect = |i: &crate::model::book::BodyImage| match &i.asset.image {
            Ok(info) if info.width > 0 => f64::from(info.height) / f64::from(info.width),
            _ => ASPECT,
        };
        let mut out = Amount { figures: e.images.iter().map(aspect).collect(), ..Amount::default() };
        let mut docs = vec![&e.body];
        docs.extend(e.authors.iter().filter_map(|a| a.bio_doc.as_ref()));
        for doc in docs {
            doc.for_each_block(&mut |b| {
                out.blocks += 1;
                // Each line of code is a line of its own.
                if let Block::Code { text, .. } = b {
                    out.chars += text.chars().count();
                    out.blocks += text.lines().count();
                }
            });
            doc.for_each_inline(&mut |i| match i {
                Inline::Text { text, .. } | Inline::Code(text) => out.chars += text.chars().count(),
                _ => {}
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::print::{Gutter, Paper};
    use std::collections::HashMap;

    fn kdp() -> Print {
        Print {
            service: None,
            trim_name: "6x9in".into(),
            width: 6.0 * INCH,
            height: 9.0 * INCH,
            bleed: 0.125 * INCH,
            bleed_inside: false,
            paper: Paper::White,
            page_thickness: 0.002252 * INCH,
            allowance: 0.0,
            gutter: Gutter::Steps(vec![(150, 27.0), (300, 36.0), (500, 45.0), (700, 54.0), (828, 63.0)]),
            pages_multiple: 2,
            back_text: None,
            price: None,
        }
    }

    #[test]
    fn a_figure_is_foreseen_as_high_as_its_shape_makes_it_at_the_text_width() {
        let essay = Piece {
            kind: Kind::Essay,
            slug: Some("e".into()),
            index: None,
            title: String::new(),
            authors: String::new(),
            recto: false,
            folio: super::super::Folio::Arabic,
            restart: false,
            footnotes_before: 0,
        };
        let plan = [essay];
        let pages = |a: Amount| foreseen_pages(&kdp(), &plan, &HashMap::from([("e", a)]), 51.0, 36.0, 10.0);
        // 2,000 characters in ten blocks fill most of a page 345 pt wide.
        let text = Amount { chars: 2000, blocks: 10, figures: Vec::new() };
        assert_eq!(pages(text.clone()), 1);
        // Three square images, each 345 pt high of the page's 546, add two pages.
        assert_eq!(pages(Amount { figures: vec![1.0; 3], ..text.clone() }), 3);
        // A tall one takes a page at most.
        assert_eq!(pages(Amount { figures: vec![4.0], ..text }), 2);
    }

    #[test]
    fn a_count_that_asks_for_a_wider_gutter_moves_the_text_block_while_the_outer_margin_allows() {
        let p = kdp();
        let margin = 51.0;
        // Set for up to 300 pages, laid out to 320: one step (9 pt) more.
        let m = Margins::of(&p, 36.0, margin, 320);
        assert!(m.fit());
        assert_eq!((m.inside(), m.outside()), (45.0, 42.0));
        // Fewer pages than foreseen: the wider gutter stays, nothing moves.
        let m = Margins::of(&p, 45.0, margin, 120);
        assert!(m.fit());
        assert_eq!((m.inside(), m.outside()), (45.0, margin));
        // Three steps (27 pt) would leave 24 pt outside, under the floor of 27.
        assert!(!Margins::of(&p, 27.0, margin, 600).fit());
    }
}
