//! The PDF edition: the ordered book typeset by the typst compiler, embedded.
//!
//! [`sources`] turns a [`Book`] into what typst reads: the template, the
//! metadata as JSON data (never as markup), one escaped markup file per text
//! and the images. [`render`] compiles them in a [`world::BookWorld`] that
//! holds nothing else, and exports a PDF whose identifier and dates come from
//! the book, so the same sources give the same bytes.
//!
//! This module holds the PDF's types and the order of the work; each step is
//! a room of its own: `data` (what typst reads), `world` (what serves it),
//! `pieces` (the book set piece by piece), `export` (typst's compile and
//! export), `boxes` (the page boxes of a printed book), `introspect` (what
//! a typeset book says of itself), `offprints` (offprints of a book set
//! whole), `escape` and `markup` (the texts).

mod boxes;
pub mod cards;
pub mod cover;
mod data;
pub mod escape;
mod export;
mod introspect;
pub mod markup;
pub mod math;
mod offprints;
pub mod pieces;
pub mod world;

pub use boxes::print_boxes;
pub use data::{font_request, fonts_for, sources};
pub use export::{NotUa, PRINT_DPI, export, print_summary, typeset, without_alt};
pub use introspect::marks;
pub(crate) use introspect::{footnotes_before, link_labels, marked};
pub(crate) use offprints::offprint_metadata;
pub use offprints::{Offprint, offprint_info, offprints, offprints_of, offprints_output};
pub use world::{today, update_world, world};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst_layout::PagedDocument;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::editions::{Files, Output};
use crate::fonts::{FONTS_DIR, Fonts};
use crate::model::book::Book;
use markup::Assets;
use world::BookWorld;

/// The template compiled into the binary.
pub const DEFAULT_TEMPLATE: &str = include_str!("book.typ");

/// Where a book's own template lives, relative to its root.
pub const TEMPLATE_FILE: &str = "templates/book.typ";

/// The longer side, in pixels, of the authors' photos in the PDF: they print
/// 2.2 cm wide, so 320 pixels are about 370 dpi, above the 300 dpi printers
/// ask for. Larger photos are scaled down before typst sees them: they are
/// embedded at that size, and a photo typst decodes (a PNG, or a JPEG with
/// a colour profile or an EXIF turn, see [`typst_files`]) stays decoded
/// while the book's pages live: 1,000 photos of 800×800 px would cost 1.9 GB.
pub const PRINT_PHOTO_PIXELS: u32 = 320;

/// How images are given to typst ([`typst_files`]): part of the PDF's
/// cache key, so that a change to it typesets the book again.
const TYPST_FILES: &[u8] = b"photos as plain JPEG linked from an SVG";

/// The longer side, in pixels, of images in essays: the full text width of
/// an A4 page at 300 dpi.
pub const PRINT_IMAGE_PIXELS: u32 = 2000;

/// The longer side, in pixels, of the cover: an A4 page at 300 dpi.
pub const PRINT_COVER_PIXELS: u32 = 3600;

/// What typst is given for one book.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The template's text.
    pub template: String,
    /// Whether the template is the book's own (`templates/book.typ`).
    pub custom_template: bool,
    /// `/book.json`.
    pub data: String,
    /// `/book.json` as the pieces that set one text see it: without the
    /// lists of texts and contributors (their own text is in `/piece.json`),
    /// so that an edit to another essay's title leaves their layout valid.
    pub lean_data: String,
    /// Generated markup, by virtual path (`/essays/<slug>.typ`, …).
    pub markup: BTreeMap<String, String>,
    /// For each generated file, the book file it comes from and the map of
    /// its offsets to that file's lines.
    pub origins: HashMap<String, (PathBuf, Vec<(usize, u32)>)>,
    /// Images to serve.
    pub assets: Assets,
    /// The templates compiled as a main file, by virtual path, with the book
    /// file each comes from: typst's errors in them are reported there.
    pub templates: HashMap<String, Template>,
}

impl Sources {
    /// Whether the template sets the book piece by piece (it reads
    /// `/piece.json`, as the built-in one does); a book's own template that
    /// does not is compiled as one document, as before pieces existed.
    pub fn pieced(&self) -> bool {
        // The path as a string literal, as `json("/piece.json")` has it: a
        // comment that names the file does not count.
        self.template.contains("\"/piece.json\"")
    }
}

/// Where a template comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// The book's file that replaces the built-in template (`templates/book.typ`).
    pub file: &'static str,
    /// Whether the book has that file; else the built-in template is used.
    pub own: bool,
    /// How the built-in template is named in messages.
    pub builtin: &'static str,
}

impl Template {
    /// The text of the book's own template `file` when it has one, else `builtin_text`.
    pub fn read(
        root: &Path,
        file: &'static str,
        builtin: &'static str,
        builtin_text: &str,
    ) -> Result<(Template, String), PdfError> {
        match crate::input::assets::locate(root, Path::new(file)) {
            Ok(real) => {
                let text = std::fs::read_to_string(&real).map_err(|source| PdfError::Read { path: real, source })?;
                Ok((Template { file, own: true, builtin }, text))
            }
            Err(_) => Ok((Template { file, own: false, builtin }, builtin_text.to_string())),
        }
    }
}

/// A finished PDF.
#[derive(Debug)]
pub struct Pdf {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Warnings from typst, as diagnostics.
    pub warnings: Vec<Diagnostic>,
    /// Each essay's first and last pages, as printed.
    pub essay_pages: crate::editions::metadata::PageMap,
    /// For a printed book: its trim, bleed and gutter, as the summary says them.
    pub print: Option<String>,
    /// Whether one of the warnings says why the PDF does not declare PDF/UA-1.
    pub not_ua: bool,
}

impl Pdf {
    /// The book's PDF as the edition's output.
    pub fn into_output(self) -> Output {
        Output {
            files: Files::One(self.bytes),
            summary: match &self.print {
                Some(p) => format!("{} pages, {p}", self.pages),
                None => format!("{} pages", self.pages),
            },
            pages: Some(self.pages),
            warnings: self.warnings,
        }
    }
}

/// Why the PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// typst reported errors.
    #[error("typesetting failed with {} error(s)", .0.len())]
    Typeset(Vec<Diagnostic>),
    /// A file the book needs could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An image could not be read or scaled.
    #[error(transparent)]
    Image(Box<crate::editions::images::ImageError>),
    /// An offprint could not be made: the template did not set the essay
    /// alone (a book's own template must read `/offprint.json`).
    #[error(
        "cannot make the offprint of `{0}`: the template must set the essay alone when /offprint.json names it (see \"Offprints\" in the guide, docs/src/editions/offprints.md)"
    )]
    Offprint(String),
    /// A share card could not be rendered or encoded.
    #[error("cannot make the share card of `{slug}`: {reason}")]
    Card {
        /// The essay.
        slug: String,
        /// Why.
        reason: String,
    },
    /// No threads could be started for typesetting.
    #[error("cannot start threads for typesetting: {0}")]
    Threads(String),
    /// The page counts of the pieces did not settle (a link's page number
    /// kept changing the pages of the essay that prints it).
    #[error("the page numbers did not settle after {0} rounds of typesetting")]
    Settle(usize),
    /// The template's marginals did not give one page per page of the book.
    #[error("the template's marginals made {pages} pages for a book of {expected}: `marginal` must make one page each")]
    Marginals {
        /// Pages made.
        pages: usize,
        /// Pages of the book.
        expected: usize,
    },
    /// The book's fonts could not be loaded.
    #[error(transparent)]
    Fonts(#[from] crate::fonts::FontError),
    /// The print boxes could not be added to the PDF typst wrote.
    #[error("cannot add the print boxes to the PDF: {0}")]
    Boxes(String),
    /// The `[pdf] standard` combination is not possible.
    #[error("invalid [pdf] standard: {0}")]
    Standard(String),
}

/// The disk-cache key of the PDF of `s`: everything typst reads (the
/// template, the data, the markup, the images, the book's fonts and the
/// files of the other fonts it may use) and every export option (the date,
/// the standards). Files count by the SHA-256 of their content, which
/// `images` keeps from one build of a session to the next.
pub fn cache_key(
    book: &Book,
    s: &Sources,
    fonts: &Fonts,
    images: &crate::editions::images::Cache,
) -> Result<crate::cache::Key, PdfError> {
    use rayon::prelude::*;
    let digest = |path: PathBuf| images.digest(&path).map_err(|source| PdfError::Read { path, source });
    let mut k = crate::cache::KeyBuilder::new("pdf").part(s.template.as_bytes()).part(s.data.as_bytes());
    for (path, text) in &s.markup {
        k = k.part(path.as_bytes()).part(text.as_bytes());
    }
    // Hashed on every core: a cold build reads each photo here first.
    let assets: Vec<_> = s.assets.iter().collect();
    let digests: Vec<[u8; 32]> =
        assets.par_iter().map(|(file, _)| digest(book.root.join(file))).collect::<Result<_, _>>()?;
    for ((_, (vpath, max)), d) in assets.iter().zip(&digests) {
        k = k.part(vpath.as_bytes()).part(&max.to_le_bytes()).part(d);
    }
    k = k.part(fonts.fingerprint().as_bytes());
    if let Ok(entries) = std::fs::read_dir(book.root.join(FONTS_DIR)) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.is_file()) {
            k = k.part(f.to_string_lossy().as_bytes()).part(&digest(f)?);
        }
    }
    let options = format!("{:?} {:?} {:?}", book.config.build_date(), book.config.pdf.standard, book.config.print);
    Ok(k.part(options.as_bytes()).part(TYPST_FILES).finish())
}

/// Typesets `book` and exports it as PDF.
pub fn render(book: &Book) -> Result<Pdf, PdfError> {
    let fonts = Arc::new(fonts_for(book)?);
    let s = sources(book, &fonts)?;
    let w = world(book, &s, fonts, &crate::editions::images::Cache::default())?;
    compile(book, &s, &w, &pieces::Layouts::default()).map(|(pdf, _)| pdf)
}

/// The laid-out book, as the offprints are cut from it.
pub enum Typeset {
    /// Set piece by piece (the built-in template, see [`pieces`]).
    Pieces(pieces::Composed),
    /// Set as one document (a book's own template that does not read `/piece.json`).
    Whole(PagedDocument),
}

impl Typeset {
    /// Each essay's first and last pages, as printed.
    pub fn essay_pages(&self) -> crate::editions::metadata::PageMap {
        match self {
            Typeset::Pieces(c) => c.essay_pages(),
            Typeset::Whole(doc) => introspect::whole_essay_pages(doc),
        }
    }

    /// A printed book's margins, when it was set piece by piece.
    pub fn margins(&self) -> Option<pieces::Margins> {
        match self {
            Typeset::Pieces(c) => c.margins(),
            Typeset::Whole(_) => None,
        }
    }

    /// The book's pages.
    pub fn doc(&self) -> &PagedDocument {
        match self {
            Typeset::Pieces(c) => &c.doc,
            Typeset::Whole(d) => d,
        }
    }
}

/// Typesets a prepared world and exports the PDF: piece by piece when the
/// template can (the layouts of unchanged pieces come from `layouts`), else
/// as one document (kept alive, a second compile reuses typst's memoised work).
pub fn compile(book: &Book, s: &Sources, w: &BookWorld, layouts: &pieces::Layouts) -> Result<(Pdf, Typeset), PdfError> {
    let (set, warnings) = lay_out(book, s, w, layouts)?;
    let pdf = export_book(book, s, w, &set, warnings)?;
    Ok((pdf, set))
}

/// The book's pages laid out (as pieces when the template allows), with
/// typst's warnings: the first half of [`compile`].
pub fn lay_out(
    book: &Book,
    s: &Sources,
    w: &BookWorld,
    layouts: &pieces::Layouts,
) -> Result<(Typeset, Vec<Diagnostic>), PdfError> {
    if s.pieced() {
        let c = pieces::compose(book, s, w, layouts)?;
        let warnings = c.warnings.clone();
        Ok((Typeset::Pieces(c), warnings))
    } else {
        let (doc, warnings) = typeset(s, w)?;
        Ok((Typeset::Whole(doc), warnings))
    }
}

/// The PDF of the laid-out book `set`: the second half of [`compile`]. It
/// only reads `set`, so the offprints can be cut from the same layouts
/// while it runs.
pub fn export_book(
    book: &Book,
    s: &Sources,
    w: &BookWorld,
    set: &Typeset,
    mut warnings: Vec<Diagnostic>,
) -> Result<Pdf, PdfError> {
    let (mut bytes, why) = export(book, s, w, set.doc(), book.config.identifier.clone(), without_alt(book.texts()))?;
    let not_ua = why.is_some();
    warnings.extend(why.map(|why| {
        Diagnostic::new(
            Code::TypesetWarning,
            Location::file(Path::new(crate::config::BOOK_FILE)),
            format!("the PDF is tagged, but does not declare PDF/UA-1: {why}"),
        )
        .hint(why.hint())
    }));
    if book.config.print.is_some() {
        bytes = print_boxes(bytes)?;
        warnings.extend(export::low_resolution(set.doc(), w, s));
    }
    let essay_pages = set.essay_pages();
    let pages = set.doc().pages().len();
    let print = book.config.print.as_ref().map(|p| {
        let (gutter, outside) = match set.margins() {
            Some(m) => (m.inside(), Some(m.outside())),
            None => (p.gutter(pages), None),
        };
        print_summary(p, gutter, outside)
    });
    Ok(Pdf { bytes, pages, warnings, essay_pages, print, not_ua })
}

/// The stack of a thread that runs typst compiles: typst recurses deeply on
/// long documents (the memory is only reserved, and used as needed).
pub const COMPILE_STACK: usize = 256 << 20;
