//! Share cards: for each essay, an image and a ready-to-post message.
//!
//! Anthologies reach most of their readers through extracts their authors
//! share. A card is the 1200 × 630 image networks show in link previews: the
//! author's photo, name and handle, the essay's title, a short quotation and
//! the book's title, typeset by typst from `card.typ` (the built-in
//! template's fonts and colours, or the book's `templates/card.typ`) in a
//! world made like the book's, and
//! rendered by typst's own renderer. The message names the essay, its author,
//! the book's hashtag and the essay's address, and always fits in a post:
//! it is measured the way networks count (a link counts 23, most scripts
//! outside Latin count 2 per character).

use std::sync::Arc;

use serde_json::json;

use crate::editions::typst::world::BookWorld;
use crate::editions::typst::{self as pdf, PdfError, Template};
use crate::editions::{Files, Output};
use crate::fonts::Fonts;
use crate::lang::typography::quotation_marks;
use crate::model::book::{Book, Essay};

/// The card template compiled into the binary.
pub const TEMPLATE: &str = include_str!("card.typ");

/// Where a book's own card template lives, relative to its root.
pub const TEMPLATE_FILE: &str = "templates/card.typ";

/// The card template's virtual path in its typst world.
const MAIN: &str = "/cards.typ";

/// Width of a card, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a card, in pixels.
pub const HEIGHT: u32 = 630;

/// The longest post, as networks count it.
pub const POST_LIMIT: usize = 280;

/// What a link counts for in a post, whatever its length.
pub const LINK_WEIGHT: usize = 23;

/// The longest quotation on a card, in characters.
pub const QUOTE_CHARS: usize = 170;

/// One essay's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The essay.
    pub slug: String,
    /// The image (PNG, [`WIDTH`] × [`HEIGHT`]).
    pub png: Vec<u8>,
    /// The message to post with it.
    pub post: String,
}

/// The cards as the edition's output: `<slug>.png` and `<slug>.txt` each.
pub fn output(cards: &[Card]) -> Output {
    let mut files = std::collections::BTreeMap::new();
    for c in cards {
        files.insert(std::path::PathBuf::from(format!("{}.png", c.slug)), c.png.clone());
        files.insert(std::path::PathBuf::from(format!("{}.txt", c.slug)), format!("{}\n", c.post).into_bytes());
    }
    Output {
        files: Files::Folder(files),
        summary: format!("{} cards of {WIDTH}×{HEIGHT} px, with posts", cards.len()),
        pages: None,
        warnings: Vec::new(),
    }
}

/// `text` cut to at most `max` characters at a word boundary, with `…` when cut.
pub fn cut(text: &str, max: usize) -> String {
    cut_by(text, max, &|s: &str| s.chars().count())
}

/// `text` (its spaces folded) cut at a word boundary so that `measure` of
/// the result, `…` included, is at most `max`; inside the first word when
/// even that one is too long.
fn cut_by(text: &str, max: usize, measure: &dyn Fn(&str) -> usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if measure(&text) <= max {
        return text;
    }
    let ellipsis = measure("…");
    if max < ellipsis {
        return String::new();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let longer = if out.is_empty() { word.to_string() } else { format!("{out} {word}") };
        if measure(&longer) + ellipsis > max {
            break;
        }
        out = longer;
    }
    if out.is_empty() {
        for c in text.chars() {
            let mut longer = out.clone();
            longer.push(c);
            if measure(&longer) + ellipsis > max {
                break;
            }
            out = longer;
        }
    }
    out.trim_end_matches([',', ';', ':', ' ']).to_string() + "…"
}

/// The quotation of a card: the front matter's `quote`, else the essay's
/// first sentence (already in its language's typography), cut at a word
/// boundary.
pub fn quote(e: &Essay) -> String {
    if let Some(q) = e.quote.as_deref().filter(|q| !q.trim().is_empty()) {
        return cut(q, QUOTE_CHARS);
    }
    let first = e.body.blocks.iter().find_map(|b| match b {
        crate::model::document::Block::Paragraph(inlines) => Some(crate::model::document::plain_text(inlines)),
        _ => None,
    });
    let first = first.unwrap_or_default();
    let end = first
        .char_indices()
        .find(|(i, c)| matches!(c, '.' | '!' | '?' | '…') && first[i + c.len_utf8()..].starts_with(' '))
        .map_or(first.len(), |(i, c)| i + c.len_utf8());
    cut(&first[..end], QUOTE_CHARS)
}

/// How many characters a post's text counts for: most characters of Latin,
/// Greek, Cyrillic and common punctuation count 1, the others (Chinese,
/// Japanese, emoji…) 2, as the networks with a 280 limit count them.
pub fn weight(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037 => 1,
            _ => 2,
        })
        .sum()
}

/// The post for an essay of `book` (see [`post_text`]).
pub fn post(book: &Book, e: &Essay) -> String {
    let cfg = &book.config;
    let authors: Vec<(&str, Option<&str>)> = e.authors.iter().map(|a| (a.name.as_str(), a.handle.as_deref())).collect();
    let url = cfg.html.base_url.as_deref().map(|b| format!("{}/{}/", b.trim_end_matches('/'), e.slug));
    let style = PostStyle { marks: quotation_marks(&cfg.language), separator: cfg.labels().separator };
    post_text(&e.title, &authors, &cfg.title, cfg.hashtag.as_deref(), url.as_deref(), &style)
}

/// How a post is punctuated in the book's language.
pub struct PostStyle {
    /// The quotation marks around the title (from [`quotation_marks`]).
    pub marks: (&'static str, &'static str, &'static str),
    /// Between the parts of the post and between names (", ", "، ", "、").
    pub separator: String,
}

/// A post: the title in the quotation marks of the book's language (a
/// plain space inside French ones, which every network shows), the
/// authors (their handles when
/// they have one), the book's title, its hashtag, and the link. It never
/// counts more than [`POST_LIMIT`] as [`post_weight`] measures it: the title
/// is cut first, then the names, then the book's title.
pub fn post_text(
    title: &str,
    authors: &[(&str, Option<&str>)],
    book: &str,
    hashtag: Option<&str>,
    url: Option<&str>,
    style: &PostStyle,
) -> String {
    let (open, close, inner) = style.marks;
    let separator = style.separator.as_str();
    let inner = if inner.is_empty() { "" } else { " " };
    let compose = |title: &str, names: &str, tail: &str| {
        let quoted = format!("{open}{inner}{title}{inner}{close}");
        [quoted, names.to_string(), tail.to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let names = authors
        .iter()
        .map(|(name, handle)| handle.filter(|h| !h.trim().is_empty()).unwrap_or(name).trim().to_string())
        .collect::<Vec<_>>()
        .join(separator);
    let hashtag = hashtag.map(|h| format!("#{}", h.split_whitespace().collect::<String>()));
    let tail = [Some(book.trim().to_string()), hashtag].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let room = POST_LIMIT - url.map_or(0, |_| LINK_WEIGHT + 1);
    let (mut title, mut names, mut tail) = (title.trim().to_string(), names, tail);
    let over = |t: &str, n: &str, l: &str| post_weight(&compose(t, n, l)) > room;
    if over(&title, &names, &tail) {
        let budget = room.saturating_sub(post_weight(&compose("", &names, &tail))).max(12);
        title = cut_by(&title, budget, &post_weight);
    }
    if over(&title, &names, &tail) {
        let budget = room.saturating_sub(post_weight(&compose(&title, "", &tail))).max(8);
        names = cut_by(&names, budget, &post_weight);
    }
    if over(&title, &names, &tail) {
        tail = String::new();
    }
    let mut text = compose(&title, &names, &tail);
    if post_weight(&text) > room {
        text = cut_by(&text, room, &post_weight);
    }
    match url {
        Some(u) => format!("{text} {}", u.split_whitespace().collect::<String>()),
        None => text,
    }
}

/// How much a post counts: its links 23 each, the rest by [`weight`].
pub fn post_weight(post: &str) -> usize {
    post.split(' ')
        .map(|w| if w.starts_with("https://") || w.starts_with("http://") { LINK_WEIGHT } else { weight(w) })
        .sum::<usize>()
        + post.matches(' ').count()
}

/// Makes the card of every essay of `book`: one typst document with a page
/// per essay, in a world holding the book's data and images (photos at their
/// print size), rendered page by page in parallel.
pub fn render(book: &Book, fonts: Arc<Fonts>, images: &crate::editions::images::Cache) -> Result<Vec<Card>, PdfError> {
    use rayon::prelude::*;
    let mut sources = pdf::sources(book, &fonts)?;
    let mut world = BookWorld::new(fonts, MAIN, pdf::today(book));
    pdf::update_world(&mut world, book, &sources, images)?;
    // The book's own design, when it has one (read like templates/book.typ),
    // and its errors reported there.
    let (origin, template) = Template::read(&book.root, TEMPLATE_FILE, "(built-in card template)", TEMPLATE)?;
    sources.templates.insert(MAIN.to_string(), origin);
    world.set_source(MAIN, &template);
    let essays: Vec<&Essay> = book.essays().collect();
    let quoted = |e: &Essay| {
        let (open, close, inner) = quotation_marks(&e.lang);
        format!("{open}{inner}{}{inner}{close}", quote(e))
    };
    let list: Vec<_> = essays.iter().map(|e| json!({ "slug": e.slug, "quote": quoted(e) })).collect();
    world.set_file("/cards.json", serde_json::Value::Array(list).to_string().into_bytes());
    let (doc, _) = pdf::typeset(&sources, &world)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(WIDTH) / 1200.0),
        ..Default::default()
    };
    doc.pages()
        .par_iter()
        .zip(essays.par_iter())
        .map(|(page, e)| {
            let pixmap = typst_render::render(page, &options);
            // The page is opaque: premultiplied and straight alpha are the same.
            let rgba = image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec()).ok_or_else(
                || PdfError::Card { slug: e.slug.clone(), reason: "the rendered page has no pixels".into() },
            )?;
            let rgb = image::DynamicImage::ImageRgba8(rgba).to_rgb8();
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(std::io::Cursor::new(&mut png))
                .write_image(&rgb, rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8)
                .map_err(|err| PdfError::Card { slug: e.slug.clone(), reason: err.to_string() })?;
            Ok(Card { slug: e.slug.clone(), png, post: post(book, e) })
        })
        .collect()
}

use image::ImageEncoder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_stops_at_a_word() {
        assert_eq!(cut("un deux trois quatre", 12), "un deux…");
        assert_eq!(cut("court", 12), "court");
        assert_eq!(cut("anticonstitutionnellement", 10).chars().count(), 10);
    }

    fn style(lang: &str) -> PostStyle {
        PostStyle { marks: quotation_marks(lang), separator: crate::lang::labels::Labels::for_lang(lang).separator }
    }

    #[test]
    fn a_post_names_the_essay_the_authors_and_the_book() {
        let p = post_text(
            "Lire",
            &[("Ada", Some("@ada")), ("Bo", None)],
            "Regards",
            Some("regards"),
            Some("https://x.org/a/"),
            &style("fr"),
        );
        assert_eq!(p, "« Lire », @ada, Bo, Regards #regards https://x.org/a/");
        let p = post_text("نامه", &[("مریم", Some("@maryam")), ("Daniel", None)], "دفتر", None, None, &style("fa"));
        assert_eq!(p, "«نامه»، @maryam، Daniel، دفتر");
    }

    proptest::proptest! {
        #[test]
        fn a_post_never_exceeds_the_limit(
            title in "\\PC{0,400}",
            name in "\\PC{1,120}",
            handle in proptest::option::of("@\\PC{0,80}"),
            book in "\\PC{0,300}",
            hashtag in proptest::option::of("\\PC{0,60}"),
            path in proptest::option::of("[a-z0-9/-]{0,200}"),
            french in proptest::bool::ANY,
        ) {
            let url = path.map(|p| format!("https://example.org/{p}"));
            let p = post_text(&title, &[(&name, handle.as_deref()), ("Second Author", None)], &book, hashtag.as_deref(), url.as_deref(), &style(if french { "fr" } else { "zh" }));
            proptest::prop_assert!(post_weight(&p) <= POST_LIMIT, "{} counts {}", p, post_weight(&p));
        }
    }

    #[test]
    fn weights_count_wide_scripts_twice() {
        assert_eq!(weight("abc é"), 5);
        assert_eq!(weight("你好"), 4);
        assert_eq!(post_weight("a https://example.org/a-very-long-path/that/goes/on"), 1 + 1 + LINK_WEIGHT);
    }
}
