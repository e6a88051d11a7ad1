//! The one-piece cover of a printed book: `dist/<slug>-cover.pdf`.
//!
//! A print-on-demand service binds the interior in one sheet (back cover,
//! spine, front cover) whose width depends on the page count: 2 × trim
//! width + spine + 2 × bleed, the spine being the pages' thickness on the
//! chosen paper (see [`crate::config::print`]). Book tools leave it to a
//! drawing program; anthology knows the page count, the contributors and
//! the ISBN, so it sets the cover with typst from `cover.typ` (or the book's
//! `templates/cover.typ`) each time the page count changes: the front (the
//! book's cover image, or a typographic one), a spine with the title when it
//! is wide enough for the service, and a back with the description, the
//! contributors, the price and the ISBN's EAN-13 barcode drawn as vectors.

use std::sync::Arc;

use serde_json::{Value, json};

use super::world::BookWorld;
use super::{PdfError, Template};
use crate::config::print::{INCH, MM, Print};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::editions::{Files, Output};
use crate::fonts::Fonts;
use crate::model::book::Book;

/// The cover template compiled into the binary.
pub const TEMPLATE: &str = include_str!("cover.typ");

/// Where a book's own cover template lives, relative to its root.
pub const TEMPLATE_FILE: &str = "templates/cover.typ";

/// The cover's main file in its typst world.
const MAIN: &str = "/cover.typ";

/// The cover image's path in the cover's world.
const IMAGE: &str = "/cover-image";

/// Languages whose spines read from bottom to top (most of continental
/// Europe); the others (English, and by default) read from top to bottom.
const BOTTOM_TO_TOP: &[&str] =
    &["fr", "de", "it", "es", "pt", "nl", "pl", "cs", "hu", "ro", "sv", "da", "ru", "uk", "el"];

/// The cover of `book` for an interior of `pages` pages, its bytes and what
/// the service should know of it.
pub fn render(
    book: &Book,
    print: &Print,
    fonts: Arc<Fonts>,
    images: &crate::editions::images::Cache,
    pages: usize,
) -> Result<Output, PdfError> {
    let (origin, template) = Template::read(&book.root, TEMPLATE_FILE, "(built-in cover template)", TEMPLATE)?;
    let mut world = BookWorld::new(fonts.clone(), MAIN, super::today(book));
    world.add_source(MAIN, template);
    let image = match book.cover_image().and_then(|c| c.path.as_ref()) {
        Some(path) => {
            let bytes = images
                .print(&book.root.join(path), super::PRINT_COVER_PIXELS)
                .map_err(|e| PdfError::Image(Box::new(e)))?;
            world.add_file(IMAGE, bytes);
            Some(IMAGE)
        }
        None => None,
    };
    let data = data(book, print, &fonts, pages, image);
    world.add_file("/cover.json", serde_json::to_vec_pretty(&data).expect("JSON of plain values"));
    let s = super::Sources {
        template: String::new(),
        custom_template: origin.own,
        data: String::new(),
        lean_data: String::new(),
        markup: Default::default(),
        origins: Default::default(),
        assets: Default::default(),
        templates: std::collections::HashMap::from([(MAIN.to_string(), origin)]),
    };
    let (doc, mut warnings) = super::typeset(&s, &world)?;
    let ident = format!("{}#cover", book.config.identifier);
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident),
        timestamp: super::export::timestamp(book),
        ..typst_pdf::PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&doc, &options)
        .map_err(|errors| PdfError::Typeset(errors.iter().map(|d| super::export::convert(d, &world, &s)).collect()))?;
    let bytes = super::print_boxes(bytes)?;
    warnings.extend(notes(book, print, pages));
    let (w, h) = print.cover_size(pages);
    let summary = format!(
        "one-piece cover {} × {} (spine {} for {} pages{})",
        inches(w + 2.0 * print.bleed),
        inches(h + 2.0 * print.bleed),
        inches(print.spine(pages)),
        print.padded(pages),
        if print.spine_text(pages).is_ok() { ", titled" } else { ", blank" },
    );
    Ok(Output { files: Files::One(bytes), summary, pages: Some(doc.pages().len()), warnings })
}

/// A length as inches and millimetres, for summaries.
fn inches(pt: f64) -> String {
    format!("{:.3} in ({:.1} mm)", pt / INCH, pt / MM)
}

/// What `/cover.json` holds (see the template).
pub fn data(book: &Book, print: &Print, fonts: &Fonts, pages: usize, image: Option<&str>) -> Value {
    let cfg = &book.config;
    let (lang, region) = super::data::lang_region(&cfg.language);
    let contributors: Vec<&str> = book.contributors.iter().map(|c| c.author.name.as_str()).collect();
    let isbn = cfg.pdf.isbn.as_deref().and_then(|code| {
        let modules = crate::identifiers::ean13_modules(code)?;
        Some(json!({
            "text": crate::identifiers::isbn_display(code),
            "digits": code,
            "modules": modules.iter().map(|&b| if b { '1' } else { '0' }).collect::<String>(),
        }))
    });
    let primary = cfg.language.split('-').next().unwrap_or("").to_ascii_lowercase();
    json!({
        "width": print.width,
        "height": print.height,
        "spine": print.spine(pages),
        "bleed": print.bleed,
        "safety": print.cover_safety(),
        "spine_text": print.spine_text(pages).is_ok(),
        "spine_rotation": if BOTTOM_TO_TOP.contains(&primary.as_str()) { -90 } else { 90 },
        "title": cfg.title,
        "subtitle": cfg.subtitle,
        "editors": cfg.editors,
        "publisher": cfg.publisher,
        "back_text": print.back_text.as_ref().or(cfg.description.as_ref()),
        "contributors": contributors,
        "price": print.price,
        "image": image,
        "isbn": isbn,
        "lang": lang,
        "region": region,
        "dir": if crate::lang::is_rtl(&cfg.language) { "rtl" } else { "ltr" },
        "fonts": fonts.families(&Default::default()),
        "labels": cfg.labels(),
    })
}

/// What the editor should know before uploading: the service's limits the
/// book is outside of, a spine left blank, a barcode left out, a standard
/// the files do not meet.
pub fn notes(book: &Book, print: &Print, pages: usize) -> Vec<Diagnostic> {
    let at = Location::file(crate::config::BOOK_FILE);
    let mut out = Vec::new();
    let mut note = |message: String, hint: &str| {
        out.push(Diagnostic::new(Code::PrintService, at.clone(), message).hint(hint.to_string()));
    };
    if let Some(problem) = print.page_count_problem(pages) {
        note(problem, "choose another service or trim size, or split the book into volumes");
    }
    if let Err(why) = print.spine_text(pages) {
        note(format!("the spine is left without text: {why}"), "nothing to do; the spine's colour still wraps");
    }
    if book.config.pdf.isbn.is_none() {
        note(
            "no barcode on the back cover: `[pdf] isbn` is not set".into(),
            "set the print ISBN, or let the service place its own barcode",
        );
    }
    if let Some(standard) = print.service.and_then(|s| s.requires.map(|r| (s.name, r))) {
        note(
            format!(
                "{} asks for {} files; typst 0.15 cannot write PDF/X, so these PDFs are not",
                standard.0, standard.1
            ),
            "convert both files with a prepress tool (Acrobat's preflight, or Ghostscript's PDF/X output) before uploading",
        );
    }
    out
}
