//! The PDF edition: the ordered book typeset by the typst compiler, embedded.
//!
//! [`sources`] turns a [`Book`] into what typst reads: the template, the
//! metadata as JSON data (never as markup), one escaped markup file per text
//! and the images. [`render`] compiles them in a [`world::BookWorld`] that
//! holds nothing else, and exports a PDF whose identifier and dates come from
//! the book, so the same sources give the same bytes.

pub mod cards;
pub mod cover;
pub mod markup;
pub mod math;
pub mod pieces;
pub mod world;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::{FootnoteNumbering, Placement, Standard};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::editions::byline::Byline;
use crate::editions::{Files, Output};
use crate::fonts::{FONTS_DIR, Fonts};
use crate::lang::labels::Labels;
use crate::model::book::{Author, Book, Essay};
use markup::{Assets, essay_body, short_text};
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

/// The offprints as the edition's output: `<slug>.pdf` each.
pub fn offprints_output(list: &[Offprint]) -> Output {
    let files = list.iter().map(|o| (PathBuf::from(format!("{}.pdf", o.slug)), o.bytes.clone())).collect();
    Output {
        files: Files::Folder(files),
        summary: format!("{} offprints, {} pages", list.len(), list.iter().map(|o| o.pages).sum::<usize>()),
        pages: None,
        warnings: Vec::new(),
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

/// The language and region of `tag` as the template's data holds them.
fn lang_region(tag: &str) -> (String, Value) {
    let (lang, region) = crate::lang::lang_region(tag);
    (lang, region.map_or(Value::Null, Value::String))
}

/// Points in a validated length (`18mm`, `10pt`, `2cm`, `6in`).
fn points(len: &str) -> f64 {
    let len = len.trim();
    for (unit, factor) in [("mm", 72.0 / 25.4), ("cm", 72.0 / 2.54), ("in", 72.0), ("pt", 1.0)] {
        if let Some(n) = len.strip_suffix(unit).and_then(|n| n.parse::<f64>().ok()) {
            return n * factor;
        }
    }
    0.0
}

struct Builder {
    assets: Assets,
    markup: BTreeMap<String, String>,
    origins: HashMap<String, (PathBuf, Vec<(usize, u32)>)>,
    links: markup::Links,
    /// The book's words: the heading of a text's bibliography, the notes
    /// on names.
    labels: Labels,
}

impl Builder {
    fn image(&mut self, asset: &crate::input::assets::Asset, max: u32) -> Option<String> {
        asset.image.as_ref().ok()?;
        Some(self.assets.register(asset.path.as_ref()?, max))
    }

    fn author(&mut self, a: &Author, essay: &Essay, i: usize) -> Value {
        let lang = &essay.lang;
        let photo = a.photo.as_ref().and_then(|p| self.image(p, PRINT_PHOTO_PIXELS));
        let bio = a.bio_doc.as_ref().map(|b| {
            let path = format!("/bios/{}-{i}.typ", essay.slug);
            self.markup.insert(path.clone(), short_text(b, &format!("{}-bio{i}", essay.slug)));
            self.origins.insert(path.clone(), (essay.file.clone(), Vec::new()));
            path
        });
        json!({
            "name": a.name,
            "affiliation": a.affiliation,
            "handle": a.handle,
            "url": a.url,
            "photo": photo,
            "photo_alt": Labels::for_lang(lang).portrait_of(&a.name),
            "bio": bio,
        })
    }

    fn text(&mut self, e: &Essay, kind: &str, first_heading: u8, fonts: &Fonts) -> Value {
        let images: HashMap<String, String> = e
            .images
            .iter()
            .filter_map(|img| Some((img.asset.written.clone(), self.image(&img.asset, PRINT_IMAGE_PIXELS)?)))
            .collect();
        let path = format!("/{kind}/{}.typ", e.slug);
        let generated = essay_body(e, &images, first_heading, &self.links, &self.labels.references);
        self.markup.insert(path.clone(), generated.text);
        self.origins.insert(path.clone(), (e.file.clone(), generated.lines));
        let (lang, region) = lang_region(&e.lang);
        let byline = Byline::of(&e.authors, &self.labels);
        let authors: Vec<Value> = e
            .authors
            .iter()
            .zip(&byline.names)
            .enumerate()
            .map(|(i, (a, named))| {
                let mut v = self.author(a, e, i);
                v["marks"] = Value::String(named.marks.clone());
                v
            })
            .collect();
        json!({
            "kind": kind,
            "slug": e.slug,
            "title": e.title,
            "subtitle": e.subtitle,
            "summary": e.summary,
            "lang": lang,
            "region": region,
            "tags": e.tags,
            "authors": authors,
            "name_notes": byline.notes,
            "doi": e.doi,
            "body": path,
            "fonts": fonts.families(&crate::fonts::needs_of(e)),
        })
    }
}

/// A date as typst's `datetime(year:, month:, day:)` fields.
fn date_value(date: Option<&str>) -> Value {
    let Some(d) = date else { return Value::Null };
    let mut parts = d.split('-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (y, m, day) = (parts.next().unwrap_or(1970), parts.next().unwrap_or(1), parts.next().unwrap_or(1));
    json!({ "year": y, "month": m, "day": day })
}

/// What the book's fonts depend on: its `[pdf]` options and the scripts of
/// all its texts.
pub fn font_request(book: &Book) -> crate::fonts::Request {
    crate::fonts::Request::new(&book.root, &book.config, book.texts())
}

/// The fonts of `book`, a text font chosen for each script it uses.
pub fn fonts_for(book: &Book) -> Result<Fonts, PdfError> {
    Ok(Fonts::for_book(&book.root, &font_request(book))?)
}

/// The needs of the pages that belong to the whole book (title pages,
/// contents, index): its own text, and the forms of its language.
fn book_needs(book: &Book) -> BTreeSet<crate::fonts::script::Need> {
    let lang = &book.config.language;
    let mut needs = BTreeSet::new();
    for s in book.config.printed_text() {
        crate::fonts::script::needs(s, lang, &mut needs);
    }
    if let Some(form) = crate::fonts::script::HanForm::of_lang(lang) {
        needs.insert(crate::fonts::script::Need::Cjk(form));
    }
    needs
}

/// Builds everything typst reads for `book`, set in `fonts` (the font
/// lists of the book and of each text are part of the data).
pub fn sources(book: &Book, fonts: &Fonts) -> Result<Sources, PdfError> {
    let cfg = &book.config;
    let links = markup::Links {
        essays: book
            .essays()
            .map(|e| (e.file.clone(), (e.slug.clone(), e.body.anchors().into_values().collect())))
            .collect(),
        page: cfg.labels().page_ref,
        site: cfg.html.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string()),
        book: cfg.url.clone().filter(|u| crate::input::assets::is_web_link(u)),
        allow_html: cfg.rules.allow_html,
    };
    let mut b = Builder {
        assets: Assets::default(),
        markup: BTreeMap::new(),
        origins: HashMap::new(),
        links,
        labels: cfg.labels(),
    };
    let front: Vec<Value> = book.front.iter().map(|e| b.text(e, "front", 2, fonts)).collect();
    let back: Vec<Value> = book.back.iter().map(|e| b.text(e, "back", 2, fonts)).collect();
    let mut parts = Vec::new();
    for p in &book.parts {
        let intro = p.intro.as_ref().map(|e| b.text(e, "intro", 2, fonts)["body"].clone());
        let essays: Vec<Value> = p.essays.iter().map(|e| b.text(e, "essays", 3, fonts)).collect();
        parts.push(json!({
            "title": p.section.as_ref().map(|s| &s.title),
            "intro": intro.unwrap_or(Value::Null),
            "essays": essays,
        }));
    }
    let contributors: Vec<Value> = book
        .contributors
        .iter()
        .map(|c| {
            json!({
                "name": c.author.name,
                "sort_name": c.sort_key,
                "affiliation": c.author.affiliation,
                "handle": c.author.handle,
                "essays": c.essays,
            })
        })
        .collect();
    let cover = book.cover_image().and_then(|c| b.image(c, PRINT_COVER_PIXELS));
    let mut keywords: Vec<String> =
        book.essays().flat_map(|e| e.tags.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect();
    keywords.truncate(64);
    let (lang, region) = lang_region(&cfg.language);
    let o = &cfg.pdf;
    let data = json!({
        "title": cfg.title,
        "subtitle": cfg.subtitle,
        "editors": cfg.editors,
        "lang": lang,
        "region": region,
        "dir": if crate::lang::is_rtl(&cfg.language) { "rtl" } else { "ltr" },
        "fonts": fonts.families(&book_needs(book)),
        "publisher": cfg.publisher,
        "date": date_value(cfg.date.as_deref()),
        "printed_date": cfg.printed_date(),
        "identifier": cfg.identifier,
        "isbn": cfg.pdf.isbn.as_deref().map(crate::identifiers::isbn_display),
        "doi": cfg.doi,
        "license": cfg.license,
        "description": cfg.description,
        "url": cfg.url,
        "keywords": keywords,
        "cover": cover,
        "colophon": format!("anthology {}", env!("CARGO_PKG_VERSION")),
        "version": cfg.release.version,
        "labels": cfg.labels(),
        "front": front,
        "parts": parts,
        "back": back,
        "contributors": contributors,
        "options": {
            "paper": o.paper,
            "width": o.width.as_deref().map(points),
            "height": o.height.as_deref().map(points),
            "margin": points(&o.margin),
            "font": o.font,
            "font_size": points(&o.font_size),
            "recto_starts": o.recto_starts,
            "photos": match o.photos { Placement::Start => "start", Placement::End => "end" },
            "footnotes": match o.footnotes { FootnoteNumbering::Essay => "essay", FootnoteNumbering::Book => "book" },
        },
    });
    let mut data = data;
    if let Some(p) = &cfg.print {
        data["options"]["print"] = json!({ "width": p.width, "height": p.height, "bleed": p.bleed });
    }
    let (origin, template) = Template::read(&book.root, TEMPLATE_FILE, "(built-in template)", DEFAULT_TEMPLATE)?;
    let mut lean = data.clone();
    for list in ["front", "parts", "back", "contributors"] {
        lean[list] = json!([]);
    }
    Ok(Sources {
        template,
        custom_template: origin.own,
        data: serde_json::to_string_pretty(&data).expect("JSON of plain values"),
        lean_data: serde_json::to_string(&lean).expect("JSON of plain values"),
        markup: b.markup,
        origins: b.origins,
        assets: b.assets,
        templates: HashMap::from([("/main.typ".to_string(), origin)]),
    })
}

/// Makes the world of a book from its sources, images scaled to the sizes
/// they print at (through `images`, which keeps them for the next build).
pub fn world(
    book: &Book,
    s: &Sources,
    fonts: Arc<Fonts>,
    images: &crate::editions::images::Cache,
) -> Result<BookWorld, PdfError> {
    let mut w = BookWorld::new(fonts, "/main.typ", today(book));
    update_world(&mut w, book, s, images)?;
    Ok(w)
}

/// The date typst's `datetime.today()` gives: the book's, never the clock's.
pub fn today(book: &Book) -> Option<Datetime> {
    book.config.build_date().and_then(|(y, m, d, ..)| Datetime::from_ymd(y, m, d))
}

/// Brings a world made for an earlier state of the book up to `s`: what did
/// not change is kept as it is, so that typst's memoised work stays valid.
pub fn update_world(
    w: &mut BookWorld,
    book: &Book,
    s: &Sources,
    images: &crate::editions::images::Cache,
) -> Result<(), PdfError> {
    use rayon::prelude::*;
    let assets: Vec<_> = s.assets.iter().collect();
    // Each image scaled and, for a photo, its headers read, on every core:
    // `watch` does this for every image at each rebuild.
    let files: Vec<Vec<(String, Vec<u8>)>> = assets
        .par_iter()
        .map(|(file, (vpath, max))| {
            let bytes = images.print(&book.root.join(file), *max).map_err(|e| PdfError::Image(Box::new(e)))?;
            Ok(typst_files(vpath, *max, bytes))
        })
        .collect::<Result<_, PdfError>>()?;
    let mut keep: std::collections::HashSet<String> =
        ["/main.typ", "/book.json", "/offprint.json", "/piece.json"].map(String::from).into();
    w.set_source("/main.typ", &s.template);
    w.set_file("/book.json", s.data.clone().into_bytes());
    // The book itself: no offprint (see `offprints`), no piece (see `pieces`):
    // each piece's world sets its own.
    w.set_file("/offprint.json", b"null".to_vec());
    w.set_file("/piece.json", b"null".to_vec());
    for (path, text) in &s.markup {
        w.set_source(path, text);
        keep.insert(path.clone());
    }
    for (path, bytes) in files.into_iter().flatten() {
        w.set_file(&path, bytes);
        keep.insert(path);
    }
    w.retain(&keep);
    Ok(())
}

/// The files typst is given for an image served at `vpath`, printed at most
/// `max` pixels: the image itself, except a photo that is a JPEG needing no
/// colour profile and no turning. That one is served as a small SVG that
/// links to the JPEG beside it (`vpath` + `.jpg`): typst holds an SVG's
/// linked JPEG as its compressed bytes, where it holds a JPEG given as an
/// image decoded, for as long as the book's pages live (300 KB a photo at
/// 320 pixels, 290 MiB for a 1,000-essay book, once more in the offprints'
/// first pages). The PDF embeds the same JPEG bytes either way. Images in
/// essays stay as they are, so that typst's resolution check still sees
/// their pixels (a photo prints at the template's fixed size).
fn typst_files(vpath: &str, max: u32, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    match (max == PRINT_PHOTO_PIXELS).then(|| plain_jpeg_size(&bytes)).flatten() {
        Some((width, height)) => {
            let linked = format!("{vpath}.jpg");
            let name = linked.rsplit('/').next().unwrap_or(&linked);
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
                 viewBox=\"0 0 {width} {height}\"><image width=\"{width}\" height=\"{height}\" href=\"{name}\"/></svg>"
            );
            vec![(vpath.to_string(), svg.into_bytes()), (linked, bytes)]
        }
        None => vec![(vpath.to_string(), bytes)],
    }
}

/// The size of a JPEG that prints the same whether typst decodes it or a
/// PDF reader does: colour or grey, no ICC profile, no EXIF turn. Read from
/// its headers only.
fn plain_jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    use image::ImageDecoder;
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let plain = matches!(decoder.color_type(), image::ColorType::Rgb8 | image::ColorType::L8)
        && decoder.icc_profile().ok()?.is_none()
        && decoder.orientation().ok()? == image::metadata::Orientation::NoTransforms;
    plain.then(|| decoder.dimensions())
}

/// A typst diagnostic as ours, pointing at the book file it comes from.
fn convert(d: &SourceDiagnostic, world: &BookWorld, s: &Sources) -> Diagnostic {
    let mut message = d.message.to_string();
    for hint in &d.hints {
        message.push_str("; hint: ");
        message.push_str(&hint.v);
    }
    let code = if d.severity == TypstSeverity::Error { Code::Typeset } else { Code::TypesetWarning };
    let location = match d.span.id() {
        Some(id) => {
            let vpath = id.get().vpath().get_with_slash().to_string();
            // A piece's main file is a copy of the template (see `pieces`).
            let template = s
                .templates
                .get(&vpath)
                .or_else(|| vpath.starts_with("/pieces/").then(|| s.templates.get("/main.typ")).flatten());
            if let Some(t) = template {
                let file = if t.own { t.file } else { t.builtin };
                match (world.range(d.span), world.source_text(id)) {
                    (Some(r), Some(text)) if t.own => Location::at(file, text, r),
                    _ => Location::file(file),
                }
            } else if let Some((origin, lines)) = s.origins.get(&vpath) {
                match world.range(d.span).and_then(|r| markup::line_at(lines, r.start)) {
                    Some(line) => Location::line_col(origin, line as usize, 0),
                    None => Location::file(origin),
                }
            } else {
                Location::file(vpath)
            }
        }
        None => Location::file(crate::config::BOOK_FILE),
    };
    Diagnostic::new(code, location, message)
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
            Typeset::Whole(doc) => whole_essay_pages(doc),
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
    let mut bytes = export(book, s, w, set.doc(), book.config.identifier.clone())?;
    if book.config.print.is_some() {
        bytes = print_boxes(bytes)?;
        warnings.extend(low_resolution(set.doc(), w, s));
    }
    let essay_pages = set.essay_pages();
    let pages = set.doc().pages().len();
    let print = book.config.print.as_ref().map(|p| {
        let gutter = match &set {
            Typeset::Pieces(c) => c.gutter().unwrap_or(0.0),
            Typeset::Whole(_) => p.gutter(pages),
        };
        print_summary(p, gutter)
    });
    Ok(Pdf { bytes, pages, warnings, essay_pages, print })
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

/// Lays out the document of a world: the pages, and typst's warnings.
pub fn typeset(s: &Sources, w: &BookWorld) -> Result<(PagedDocument, Vec<Diagnostic>), PdfError> {
    let result = typst::compile::<PagedDocument>(w);
    let warnings: Vec<Diagnostic> = result.warnings.iter().map(|d| convert(d, w, s)).collect();
    let doc = result.output.map_err(|errors| PdfError::Typeset(errors.iter().map(|d| convert(d, w, s)).collect()))?;
    Ok((doc, warnings))
}

/// Exports laid-out pages as PDF, with the book's date and standards and
/// `ident` as the document's identifier.
pub fn export(
    book: &Book,
    s: &Sources,
    w: &BookWorld,
    doc: &PagedDocument,
    ident: String,
) -> Result<Vec<u8>, PdfError> {
    let standards: Vec<PdfStandard> = book
        .config
        .pdf
        .standard
        .iter()
        .map(|s| match s {
            Standard::A2b => PdfStandard::A_2b,
            Standard::Ua1 => PdfStandard::Ua_1,
        })
        .collect();
    let standards = PdfStandards::new(&standards).map_err(|e| PdfError::Standard(e.message().to_string()))?;
    let options =
        PdfOptions { ident: Smart::Custom(ident), timestamp: timestamp(book), standards, ..PdfOptions::default() };
    typst_pdf::pdf(doc, &options).map_err(|errors| PdfError::Typeset(errors.iter().map(|d| convert(d, w, s)).collect()))
}

/// `pdf` with a TrimBox and a BleedBox on every page, as printers read
/// them: typst writes the MediaBox (the trim and its bleed) and, when there
/// is bleed, the TrimBox; the BleedBox is the MediaBox. They are added as
/// an incremental update, after typst's bytes, which stay as they are.
pub fn print_boxes(pdf: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    use lopdf::{Document, IncrementalDocument, Object};
    let fail = |e: lopdf::Error| PdfError::Boxes(e.to_string());
    let doc = Document::load_mem(&pdf).map_err(fail)?;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let mut update = IncrementalDocument::create_from(pdf, doc);
    for id in pages {
        let page = update.get_prev_documents().get_dictionary(id).map_err(fail)?;
        let media = page.get(b"MediaBox").map_err(fail)?.clone();
        let trim = page.get(b"TrimBox").cloned().unwrap_or_else(|_| media.clone());
        let mut page = page.clone();
        page.set("TrimBox", trim);
        page.set("BleedBox", media);
        update.new_document.set_object(id, Object::Dictionary(page));
    }
    let mut out = Vec::new();
    update.save_to(&mut out).map_err(|e| PdfError::Boxes(e.to_string()))?;
    Ok(out)
}

/// The fewest pixels per inch an image should have on paper.
pub const PRINT_DPI: f64 = 300.0;

/// A warning for each raster image a printed book prints at under
/// [`PRINT_DPI`], at the image in its text, with its page and printed size.
fn low_resolution(doc: &PagedDocument, w: &BookWorld, s: &Sources) -> Vec<Diagnostic> {
    fn walk(
        frame: &typst::layout::Frame,
        scale: f64,
        found: &mut dyn FnMut(&typst::visualize::Image, f64, typst::syntax::Span),
    ) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => {
                    walk(&g.frame, scale * g.transform.sx.get().abs().max(g.transform.sy.get().abs()), found)
                }
                typst::layout::FrameItem::Image(image, size, span) => found(image, size.x.to_pt() * scale, *span),
                _ => {}
            }
        }
    }
    let mut out: Vec<Diagnostic> = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, 1.0, &mut |image, width_pt, span| {
            if !matches!(image.kind(), typst::visualize::ImageKind::Raster(_)) || width_pt <= 0.0 {
                return;
            }
            let dpi = image.width() / (width_pt / 72.0);
            if dpi >= PRINT_DPI {
                return;
            }
            let message = format!(
                "page {}: an image of {}×{} px printed {:.2} in wide, at {dpi:.0} dpi (300 for print)",
                i + 1,
                image.width(),
                image.height(),
                width_pt / 72.0
            );
            let d = typst::diag::SourceDiagnostic::warning(span, message);
            let mut d = convert(&d, w, s);
            d.code = Code::LowResolution;
            if !out.iter().any(|k| k.location == d.location && k.code == d.code) {
                out.push(d.hint(format!("give an image of at least {:.0} px wide", PRINT_DPI * width_pt / 72.0)));
            }
        });
    }
    out
}

/// What the summary says of a printed book's interior.
pub fn print_summary(p: &crate::config::print::Print, gutter: f64) -> String {
    format!(
        "print interior {} ({:.3} × {:.3} in), bleed {:.3} in, gutter {:.3} in",
        p.trim_name,
        p.width / 72.0,
        p.height / 72.0,
        p.bleed / 72.0,
        gutter / 72.0
    )
}

/// The date a PDF of `book` carries: its build date, never the clock's.
fn timestamp(book: &Book) -> Option<Timestamp> {
    book.config
        .build_date()
        .and_then(|(y, m, d, h, mi, sec)| Datetime::from_ymd_hms(y, m, d, h, mi, sec).map(Timestamp::new_utc))
}

/// One essay's offprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offprint {
    /// The essay.
    pub slug: String,
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Its pages: the first page, then the essay's pages as in the book.
    pub pages: usize,
}

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
fn whole_essay_pages(doc: &PagedDocument) -> crate::editions::metadata::PageMap {
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
fn link_pages(doc: &PagedDocument) -> serde_json::Map<String, Value> {
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

/// The stack of a thread that runs typst compiles: typst recurses deeply on
/// long documents (the memory is only reserved, and used as needed).
pub const COMPILE_STACK: usize = 256 << 20;

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
    let bytes = export(book, s, &world, &pages, format!("{}#{}", book.config.identifier, e.slug))?;
    Ok(Offprint { slug: e.slug.clone(), bytes, pages: pages.pages().len() })
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

    /// A grey JPEG, with a colour profile or an EXIF turn when given.
    fn jpeg(width: u16, height: u16, icc: Option<&[u8]>, turned: bool) -> Vec<u8> {
        let pixels = vec![128u8; width as usize * height as usize * 3];
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
        if let Some(profile) = icc {
            encoder.add_icc_profile(profile).unwrap();
        }
        if turned {
            // Exif, little-endian TIFF, one entry: Orientation (0x0112) = 6.
            let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
            exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
            encoder.add_app_segment(1, exif).unwrap();
        }
        encoder.encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    #[test]
    fn a_plain_jpeg_photo_is_linked_from_an_svg_and_anything_else_is_served_as_it_is() {
        let plain = jpeg(320, 200, None, false);
        let files = typst_files("/assets/3", PRINT_PHOTO_PIXELS, plain.clone());
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].0, "/assets/3");
        let svg = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(svg.contains("width=\"320\" height=\"200\""), "{svg}");
        assert!(svg.contains("href=\"3.jpg\""), "{svg}");
        assert_eq!(files[1], ("/assets/3.jpg".to_string(), plain.clone()));
        // The SVG is what typst reads it as, at the JPEG's size.
        assert_eq!(
            typst::visualize::ImageFormat::detect(&files[0].1),
            Some(typst::visualize::VectorFormat::Svg.into())
        );

        // An image in an essay keeps its pixels for typst's resolution check.
        assert_eq!(typst_files("/assets/3", PRINT_IMAGE_PIXELS, plain.clone()), [("/assets/3".to_string(), plain)]);
        // A colour profile is applied by typst, not by a PDF reader: kept.
        let profiled = jpeg(32, 32, Some(b"not really a profile"), false);
        assert_eq!(typst_files("/assets/0", PRINT_PHOTO_PIXELS, profiled).len(), 1);
        // So is a turn that typst applies and a PDF reader would not.
        assert_eq!(typst_files("/assets/0", PRINT_PHOTO_PIXELS, jpeg(32, 16, None, true)).len(), 1);
        assert_eq!(typst_files("/assets/0", PRINT_PHOTO_PIXELS, jpeg(32, 16, None, false)).len(), 2);
        // So are PNG and what is no image at all.
        let mut png = Vec::new();
        image::DynamicImage::new_rgb8(4, 4)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(typst_files("/assets/1", PRINT_PHOTO_PIXELS, png).len(), 1);
        assert_eq!(typst_files("/assets/2", PRINT_PHOTO_PIXELS, b"GIF89a".to_vec()).len(), 1);
    }

    #[test]
    fn lengths() {
        assert!((points("18mm") - 51.02).abs() < 0.01);
        assert_eq!(points("10pt"), 10.0);
        assert_eq!(points("1in"), 72.0);
    }

    #[test]
    fn languages() {
        assert_eq!(lang_region("fr-CA"), ("fr".to_string(), json!("CA")));
        assert_eq!(lang_region("en"), ("en".to_string(), Value::Null));
    }
}
