//! The HTML edition: a static website and a single-page edition.
//!
//! Every page is rendered by minijinja from templates in `templates/html/`
//! (compiled in; a book's own files with the same names replace them), with
//! automatic escaping. Essay texts come from the shared [`crate::editions::xhtml`]
//! writer and are the only values passed as already-safe markup. The site
//! works on any static host and offline from the file system: every link names
//! its `index.html`, and the search index is a script, not a fetched file.
//!
//! `view.rs` turns the book into what templates see; `pages.rs` renders each
//! kind of page; `held.rs` keeps a rendered site small while it waits for
//! the PDF; this file prepares the images and the static files.

pub mod cite;
mod held;
mod pages;
mod view;

pub use held::Held;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use minijinja::Environment;
use rayon::prelude::*;
use serde::Serialize;

use crate::editions::images::{self, Processed};
use crate::editions::typst::cards::Card;
use crate::editions::xhtml;
use crate::editions::{Files, Output};
use crate::input::assets::Asset;
use crate::model::book::Book;
use pages::{Page, Pages};
use view::{Images, View, plain_body};

/// Where a book's own HTML templates live, relative to its root.
pub const TEMPLATES_DIR: &str = "templates/html";

/// The built-in templates and static files: (name, content).
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("home.html", include_str!("templates/home.html")),
    ("essay.html", include_str!("templates/essay.html")),
    ("section.html", include_str!("templates/section.html")),
    ("text.html", include_str!("templates/text.html")),
    ("contributors.html", include_str!("templates/contributors.html")),
    ("contributor.html", include_str!("templates/contributor.html")),
    ("search.html", include_str!("templates/search.html")),
    ("sidebar.html", include_str!("templates/sidebar.html")),
    ("all.html", include_str!("templates/all.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("style.css", include_str!("templates/style.css")),
    ("search.js", include_str!("templates/search.js")),
    ("reader.js", include_str!("templates/reader.js")),
];

/// Photo widths served, in pixels (with `srcset`): the pages show portraits
/// at 6rem (about 110 CSS pixels), so one for ordinary and one for dense screens.
pub const PHOTO_SIZES: [u32; 2] = [120, 240];
/// Widths of images in the text.
pub const IMAGE_SIZES: [u32; 2] = [800, 1400];

/// Why the site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// A template failed.
    #[error("template {name}: {message}")]
    Template {
        /// The template.
        name: String,
        /// What minijinja said, with the line.
        message: String,
    },
    /// An image could not be processed.
    #[error(transparent)]
    Image(#[from] images::ImageError),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl From<minijinja::Error> for HtmlError {
    fn from(e: minijinja::Error) -> Self {
        let name = e.name().unwrap_or("?").to_string();
        let line = e.line().map(|l| format!(" (line {l})")).unwrap_or_default();
        HtmlError::Template { name, message: format!("{e}{line}") }
    }
}

/// The site: files by path relative to `<out>/html/`.
#[derive(Debug, Default, Clone)]
pub struct Site {
    /// Every file.
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    /// Number of HTML pages.
    pub pages: usize,
}

impl Site {
    /// The site as the edition's output.
    pub fn into_output(self) -> Output {
        Output {
            summary: format!("{} pages, {} files", self.pages, self.files.len()),
            pages: Some(self.pages),
            files: Files::Folder(self.files),
            warnings: Vec::new(),
        }
    }
}

/// The template environment: built-in templates, replaced by the book's own.
fn environment(root: &Path) -> Result<Environment<'static>, HtmlError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Strings are escaped for HTML text and double-quoted attributes, as the
    // XHTML writer does; minijinja's own escaping would also turn every `/`
    // of a URL into `&#x2f;`.
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
            && !value.is_safe()
            && let Some(s) = value.as_str()
        {
            return out
                .write_str(&xhtml::escape(s))
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write a page"));
        }
        minijinja::escape_formatter(out, state, value)
    });
    for (name, source) in BUILTIN {
        let own = Path::new(TEMPLATES_DIR).join(name);
        let text = match crate::input::assets::locate(root, &own) {
            Ok(real) => std::fs::read_to_string(&real).map_err(|source| HtmlError::Read { path: real, source })?,
            Err(_) => source.to_string(),
        };
        if name.ends_with(".html") {
            env.add_template_owned(name.to_string(), text)?;
        } else {
            env.add_template_owned(format!("static/{name}"), text)?;
        }
    }
    Ok(env)
}

impl Site {
    /// Adds what makes the essays citable (see [`cite`]), with the print
    /// edition's pages and offprints when the build made them.
    pub fn finish(&mut self, book: &Book, print: &cite::Print) {
        cite::finish(&mut self.files, book, print);
    }
}

/// Makes the site of `book`.
pub fn render(book: &Book) -> Result<Site, HtmlError> {
    render_with(book, &images::Cache::default())
}

/// Makes the site of `book`, taking processed images from `cache` (shared
/// with the other editions of the same build).
pub fn render_with(book: &Book, cache: &images::Cache) -> Result<Site, HtmlError> {
    let mut site = render_pending(book, cache, &[])?;
    site.finish(book, &cite::Print::default());
    Ok(site)
}

/// [`render_with`], with the essays' share cards: each is served at
/// `cards/<slug>.png` and is its page's Open Graph and Twitter image (as a
/// large card) when `[html] base_url` gives the absolute address networks need.
/// The site is finished without the print edition's pages (see
/// [`render_pending`] for a build that makes both).
pub fn render_with_cards(book: &Book, cache: &images::Cache, cards: &[Card]) -> Result<Site, HtmlError> {
    let mut site = render_pending(book, cache, cards)?;
    site.finish(book, &cite::Print::default());
    Ok(site)
}

/// [`render_with_cards`], leaving the citations to [`Site::finish`]: what a
/// build that also makes the PDF calls, so that the site is rendered while
/// the PDF is typeset and finished with its pages.
pub fn render_pending(book: &Book, cache: &images::Cache, cards: &[Card]) -> Result<Site, HtmlError> {
    let env = environment(&book.root)?;
    let mut site = Site::default();
    let images = process_images(book, cache, &mut site.files)?;
    let mut view = View::new(book, images);
    let (icon_path, icon_bytes) = icon(book);
    view.icon = icon_path;
    let pages = Pages::new(&view, &env).all(cards)?;
    for c in cards.iter().filter(|c| book.essays().any(|e| e.slug == c.slug)) {
        site.files.insert(PathBuf::from(card_path(&c.slug)), c.png.clone());
    }
    for name in ["style.css", "search.js", "reader.js"] {
        let source = env.get_template(&format!("static/{name}"))?.source().as_bytes().to_vec();
        site.files.insert(PathBuf::from(format!("assets/{name}")), source);
    }
    site.files.insert(PathBuf::from("assets/search-index.js"), search_index(book));
    site.files.insert(PathBuf::from(FEED), feed(book));
    site.files.insert(PathBuf::from(icon_path), icon_bytes);
    if let Some(base) = &book.config.html.base_url {
        site.files.insert(PathBuf::from("sitemap.xml"), sitemap(base.trim_end_matches('/'), &pages));
    }
    site.pages = pages.len();
    for (path, html) in pages {
        site.files.insert(PathBuf::from(path), html.into_bytes());
    }
    Ok(site)
}

/// Where the share card of essay `slug` is served.
fn card_path(slug: &str) -> String {
    format!("cards/{slug}.png")
}

/// Every image the site shows, at each width it is shown at: each file
/// decoded once for all its widths, the files in parallel, written into
/// `files` under `assets/img/`. Returns them by (file, width).
fn process_images(
    book: &Book,
    cache: &images::Cache,
    files: &mut BTreeMap<PathBuf, Vec<u8>>,
) -> Result<Images, HtmlError> {
    // Each file with the widths it is wanted at, in the order first met.
    let mut by_file: Vec<(PathBuf, Vec<u32>)> = Vec::new();
    let mut add = |a: &Asset, sizes: &[u32]| {
        let (Some(p), Ok(_)) = (&a.path, &a.image) else { return };
        let at = match by_file.iter().position(|(q, _)| q == p) {
            Some(i) => i,
            None => {
                by_file.push((p.clone(), Vec::new()));
                by_file.len() - 1
            }
        };
        for s in sizes {
            if !by_file[at].1.contains(s) {
                by_file[at].1.push(*s);
            }
        }
    };
    if let Some(c) = book.cover_image() {
        add(c, &IMAGE_SIZES);
    }
    for e in book.texts() {
        for p in e.authors.iter().filter_map(|a| a.photo.as_ref()) {
            add(p, &PHOTO_SIZES);
        }
        for i in &e.images {
            add(&i.asset, &IMAGE_SIZES);
        }
    }
    let processed: Vec<Result<Vec<Processed>, HtmlError>> =
        by_file.par_iter().map(|(p, sizes)| Ok(cache.sizes(&book.root.join(p), sizes)?)).collect();
    let mut images = HashMap::new();
    for (id, ((path, sizes), r)) in by_file.iter().zip(processed).enumerate() {
        for (size, p) in sizes.iter().zip(r?) {
            let href = format!("assets/img/{id}-{size}.{}", p.ext);
            files.insert(PathBuf::from(&href), p.bytes.clone());
            images.insert((path.clone(), *size), (href, p));
        }
    }
    Ok(images)
}

/// Text for the search index: titles, authors and the essay's words.
#[derive(Serialize)]
struct SearchEntry {
    u: String,
    t: String,
    a: String,
    x: String,
}

/// The search index, a script that sets `window.ANTHOLOGY_SEARCH`: it is
/// loaded as a script, not fetched, so that search works from the disk too.
fn search_index(book: &Book) -> Vec<u8> {
    let entries: Vec<SearchEntry> = book
        .essays()
        .map(|e| SearchEntry {
            u: format!("{}/index.html", e.slug),
            t: e.title.clone(),
            a: e.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "),
            x: search_words(&plain_body(e)),
        })
        .collect();
    let json = serde_json::to_string(&entries).expect("plain JSON").replace("</", "<\\/");
    format!("window.ANTHOLOGY_SEARCH = {json};\n").into_bytes()
}

/// The words of `text` as search matches them: without accents (the marks
/// canonical decomposition leaves, U+0300 to U+036F, as search.js folds a
/// query), lowercased, without the punctuation around them, each once in
/// the order first met. search.js looks for each term of a query inside
/// these words, so it finds all it found in the text, from an index about
/// half the size, and folds nothing as the page loads.
fn search_words(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded = text.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).collect::<String>().to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(folded.len() / 2);
    for word in folded.split_whitespace() {
        let word = word.trim_matches(|c: char| ".,;:!?«»\"'()[]“”‘’…—–".contains(c));
        if !word.is_empty() && seen.insert(word) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// The Atom feed of the essays, at the site's root.
pub const FEED: &str = "feed.xml";

/// The Atom feed: the book, and each essay with its authors, summary,
/// address and date (its own when it was published before, else the book's).
/// Addresses are absolute with `[html] base_url`, else relative to the
/// feed, as Atom allows.
fn feed(book: &Book) -> Vec<u8> {
    let cfg = &book.config;
    let esc = |s: &str| xhtml::escape(s);
    let base = cfg.html.base_url.as_deref().map(|b| format!("{}/", b.trim_end_matches('/')));
    let at = |path: &str| format!("{}{path}", base.as_deref().unwrap_or(""));
    let updated = cfg.iso8601();
    let when = |d: Option<&str>| match d {
        Some(d) if d.len() == 10 => format!("{d}T00:00:00Z"),
        Some(d) if d.len() == 7 => format!("{d}-01T00:00:00Z"),
        Some(d) if d.len() == 4 => format!("{d}-01-01T00:00:00Z"),
        _ => updated.clone(),
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", esc(&cfg.language)));
    xml.push_str(&format!("<title>{}</title>\n", esc(&cfg.title)));
    if let Some(s) = &cfg.subtitle {
        xml.push_str(&format!("<subtitle>{}</subtitle>\n", esc(s)));
    }
    xml.push_str(&format!("<id>{}</id>\n<updated>{updated}</updated>\n", esc(&cfg.identifier)));
    if base.is_some() {
        xml.push_str(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", esc(&at(FEED))));
    }
    xml.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", esc(&at("index.html"))));
    for e in &cfg.editors {
        xml.push_str(&format!("<author><name>{}</name></author>\n", esc(e)));
    }
    xml.push_str(&format!("<generator version=\"{}\">anthology</generator>\n", env!("CARGO_PKG_VERSION")));
    for e in book.essays() {
        xml.push_str("<entry>\n");
        xml.push_str(&format!("<title>{}</title>\n", esc(&e.title)));
        let href = at(&format!("{}/index.html", e.slug));
        let id = match &base {
            Some(_) => href.clone(),
            None => format!("{}#{}", cfg.identifier, e.slug),
        };
        xml.push_str(&format!("<id>{}</id>\n", esc(&id)));
        xml.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", esc(&href)));
        xml.push_str(&format!("<updated>{}</updated>\n", when(e.date.as_deref().or(cfg.date.as_deref()))));
        for a in &e.authors {
            xml.push_str(&format!("<author><name>{}</name>", esc(&a.name)));
            if let Some(u) = a.url.as_deref().filter(|u| crate::input::assets::is_web_link(u)) {
                xml.push_str(&format!("<uri>{}</uri>", esc(u)));
            }
            xml.push_str("</author>\n");
        }
        if let Some(s) = &e.summary {
            xml.push_str(&format!("<summary>{}</summary>\n", esc(s)));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// The site's icon: the cover, cut square and scaled to 64 pixels, or,
/// without one, the title's first letter on the cover's blue.
fn icon(book: &Book) -> (&'static str, Vec<u8>) {
    let cover = book.cover_image().and_then(|c| c.path.as_ref()).and_then(|p| {
        let img = crate::editions::images::decode(&std::fs::read(book.root.join(p)).ok()?).ok()?;
        let small = img.resize_to_fill(64, 64, image::imageops::FilterType::Lanczos3).to_rgba8();
        let mut png = Vec::new();
        small.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).ok()?;
        Some(png)
    });
    match cover {
        Some(png) => ("assets/icon.png", png),
        None => {
            let letter =
                book.config.title.chars().find(|c| c.is_alphanumeric()).unwrap_or('A').to_uppercase().to_string();
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"10\" fill=\"#1f3a5f\"/><text x=\"32\" y=\"44\" font-family=\"serif\" font-size=\"38\" text-anchor=\"middle\" fill=\"#fff\">{}</text></svg>\n",
                xhtml::escape(&letter)
            );
            ("assets/icon.svg", svg.into_bytes())
        }
    }
}

/// `sitemap.xml`: every page at its address under `base`.
fn sitemap(base: &str, pages: &[Page]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, _) in pages {
        let p = path.trim_end_matches("index.html");
        xml.push_str(&format!("<url><loc>{}</loc></url>\n", xhtml::escape(&format!("{base}/{p}"))));
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

#[cfg(test)]
mod search_tests {
    #[test]
    fn words_are_folded_and_kept_once() {
        assert_eq!(
            super::search_words("Élodie a lu « Élodie » ; ÇA, ça\u{a0}! İstanbul C++."),
            "elodie a lu ca istanbul c++"
        );
    }
}
