//! The EPUB 3 edition: the ordered book as a package EPUBCheck accepts.
//!
//! Every text becomes one XHTML document through the shared [`crate::editions::xhtml`]
//! writer; the package document carries the book's metadata (editors and every
//! contributor with their sort keys, accessibility metadata), `nav.xhtml` the
//! contents and landmarks, `toc.ncx` the same for EPUB 2 readers. Images are
//! scaled and re-encoded once each ([`crate::editions::images`]). The zip is written in
//! a fixed order with fixed dates, so the same book gives the same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::editions::byline::Byline;
use crate::editions::images::{self, Processed};
use crate::editions::xhtml::{self, Context, Flavor, ImageRef, escape};
use crate::editions::{Files, Output};
use crate::input::assets::Asset;
use crate::lang::collate::name_key;
use crate::lang::labels::Labels;
use crate::model::book::{Author, Book, Essay};

/// The stylesheet compiled into the binary.
pub const DEFAULT_CSS: &str = include_str!("epub.css");

/// Where a book's own stylesheet lives, relative to its root.
pub const CSS_FILE: &str = "templates/epub.css";

/// Longest side of photos in the EPUB, in pixels: reading systems show them
/// at 5em, so this serves high-density screens (and is the web edition's
/// larger size, so a build makes it once).
pub const PHOTO_PIXELS: u32 = 240;
/// Longest side of images in the text.
pub const IMAGE_PIXELS: u32 = 1400;
/// Longest side of the cover.
pub const COVER_PIXELS: u32 = 1600;

/// Why the EPUB could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    /// An image could not be decoded or encoded.
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
    /// Writing the zip failed.
    #[error("cannot write the EPUB: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// A finished EPUB.
#[derive(Debug)]
pub struct Epub {
    /// The file.
    pub bytes: Vec<u8>,
    /// Number of XHTML documents.
    pub documents: usize,
    /// Number of images.
    pub images: usize,
}

impl Epub {
    /// The package as the edition's output.
    pub fn into_output(self) -> Output {
        Output {
            summary: format!("{} documents, {} images", self.documents, self.images),
            files: Files::One(self.bytes),
            pages: None,
            warnings: Vec::new(),
        }
    }
}

/// One XHTML document of the package.
struct Doc {
    id: String,
    href: String,
    title: String,
    content: String,
}

/// A whole XHTML document: `body` goes inside `<body>`.
fn page(lang: &str, title: &str, body_type: &str, body: &str) -> String {
    let dir = if crate::lang::is_rtl(lang) { " dir=\"rtl\"" } else { "" };
    let body_type = if body_type.is_empty() { String::new() } else { format!(" epub:type=\"{body_type}\"") };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{l}\" lang=\"{l}\"{dir}>\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{t}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body{body_type}>\n{body}</body>\n</html>\n",
        l = escape(lang),
        t = escape(title),
    )
}

struct Package<'a> {
    book: &'a Book,
    labels: Labels,
    /// Processed images by file (relative to the root), with their href.
    images: HashMap<PathBuf, (String, Processed)>,
    /// Essays and other texts by file, with their document's href.
    links: HashMap<PathBuf, xhtml::Target>,
    docs: Vec<Doc>,
}

impl Package<'_> {
    fn image_ref(&self, asset: &Asset) -> Option<ImageRef> {
        let (href, p) = self.images.get(asset.path.as_ref()?)?;
        Some(ImageRef { href: href.clone(), width: p.width, height: p.height })
    }

    fn fragment(&self, e: &Essay, first_heading: u8) -> xhtml::Fragment {
        let images: HashMap<String, ImageRef> =
            e.images.iter().filter_map(|i| Some((i.asset.written.clone(), self.image_ref(&i.asset)?))).collect();
        let cx = Context {
            flavor: Flavor::Epub,
            id_prefix: &e.slug,
            images: &images,
            dir: &e.dir,
            links: &self.links,
            anchor_prefix: "",
            allow_html: self.book.config.rules.allow_html,
            first_heading,
            rtl: crate::lang::is_rtl(&e.lang),
            references: &self.labels.references,
        };
        xhtml::fragment(&e.body, &cx)
    }

    fn contributor(&self, a: &Author, e: &Essay, i: usize) -> String {
        let mut out = String::from("<div class=\"contributor\">");
        if let Some(img) = a.photo.as_ref().and_then(|p| self.image_ref(p)) {
            let _ = write!(
                out,
                "<img class=\"portrait\" src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\"/>",
                escape(&img.href),
                escape(&self.labels.portrait_of(&a.name)),
                img.width,
                img.height
            );
        }
        let _ = write!(out, "<p class=\"contributor-name\"><strong>{}</strong>", escape(&a.name));
        if let Some(aff) = &a.affiliation {
            let _ = write!(out, ", {}", escape(aff));
        }
        if let Some(h) = &a.handle {
            let _ = write!(out, " <bdi class=\"handle\" dir=\"ltr\">{}</bdi>", escape(h));
        }
        out.push_str("</p>");
        if let Some(doc) = &a.bio_doc {
            let none = HashMap::new();
            let prefix = format!("{}-bio{i}", e.slug);
            let cx = Context {
                flavor: Flavor::Epub,
                id_prefix: &prefix,
                images: &none,
                dir: &e.dir,
                links: &self.links,
                anchor_prefix: "",
                allow_html: false,
                first_heading: 4,
                rtl: crate::lang::is_rtl(a.bio_lang.as_ref().unwrap_or(&e.lang)),
                references: "",
            };
            let f = xhtml::fragment(doc, &cx);
            // A bio the translation leaves in its original's language says so.
            let lang = match a.bio_lang.as_ref().filter(|l| **l != e.lang) {
                Some(l) => {
                    let dir = if crate::lang::is_rtl(l) { "rtl" } else { "ltr" };
                    format!(" xml:lang=\"{l}\" lang=\"{l}\" dir=\"{dir}\"")
                }
                None => String::new(),
            };
            let _ = write!(out, "<div class=\"bio\"{lang}>{}</div>", f.body);
        }
        out.push_str("</div>\n");
        out
    }

    fn essay(&mut self, e: &Essay) {
        let lang = &e.lang;
        let title = e.title.clone();
        let byline = Byline::of_text(e, &self.labels);
        let mut body =
            String::from("<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">\n<header>\n");
        let _ = writeln!(body, "<h1 id=\"title\">{}</h1>", escape(&title));
        if let Some(s) = &e.subtitle {
            let _ = writeln!(body, "<p class=\"subtitle\">{}</p>", escape(s));
        }
        let _ =
            writeln!(body, "<p class=\"byline\">{}</p>\n{}</header>", byline.xhtml(&self.labels), byline.notes_xhtml());
        let shown: Vec<(usize, &Author)> = e
            .authors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.photo.is_some() || a.bio.is_some() || a.affiliation.is_some() || a.handle.is_some())
            .collect();
        if !shown.is_empty() {
            body.push_str("<div class=\"contributors\">\n");
            for (i, a) in shown {
                body.push_str(&self.contributor(a, e, i));
            }
            body.push_str("</div>\n");
        }
        let f = self.fragment(e, 2);
        let _ = write!(body, "<div class=\"text\">\n{}</div>\n{}</section>\n", f.body, f.notes);
        let href = format!("essay-{}.xhtml", e.slug);
        self.docs.push(Doc {
            id: format!("essay-{}", e.slug),
            href,
            title: title.clone(),
            content: page(lang, &title, "bodymatter", &body),
        });
    }

    fn matter(&mut self, e: &Essay, kind: &str) {
        let lang = &e.lang;
        let title = e.title.clone();
        let mut body =
            format!("<section class=\"{kind}\" aria-labelledby=\"title\">\n<h1 id=\"title\">{}</h1>\n", escape(&title));
        let byline = Byline::of_text(e, &self.labels);
        if !e.authors.is_empty() {
            let _ = writeln!(body, "<p class=\"byline\">{}</p>", byline.xhtml(&self.labels));
        }
        body.push_str(&byline.notes_xhtml());
        let f = self.fragment(e, 2);
        let _ = writeln!(body, "{}{}</section>", f.body, f.notes);
        let body_type = if kind == "front" { "frontmatter" } else { "backmatter" };
        self.docs.push(Doc {
            id: format!("{kind}-{}", e.slug),
            href: format!("{kind}-{}.xhtml", e.slug),
            title: title.clone(),
            content: page(lang, &title, body_type, &body),
        });
    }

    fn part(&mut self, n: usize, title: &str, intro: Option<&Essay>) {
        let lang = &self.book.config.language;
        let title = title.to_string();
        let mut body = format!(
            "<section epub:type=\"part\" role=\"doc-part\" aria-labelledby=\"title\">\n<h1 id=\"title\">{}</h1>\n",
            escape(&title)
        );
        if let Some(i) = intro {
            let f = self.fragment(i, 2);
            let _ = write!(body, "<div class=\"intro\">\n{}</div>\n{}", f.body, f.notes);
        }
        body.push_str("</section>\n");
        self.docs.push(Doc {
            id: format!("part-{n}"),
            href: format!("part-{n}.xhtml"),
            title: title.clone(),
            content: page(lang, &title, "bodymatter", &body),
        });
    }

    fn title_pages(&mut self, cover_href: &str) {
        let cfg = &self.book.config;
        let lang = &cfg.language;
        let title = cfg.title.clone();
        let l = &self.labels;
        let cover = format!(
            "<section epub:type=\"cover\" class=\"cover\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"{}: {}\"/>\n</section>\n",
            escape(cover_href),
            escape(&l.cover),
            escape(&title)
        );
        let mut t =
            format!("<section epub:type=\"titlepage\" class=\"titlepage\" aria-label=\"{}\">\n", escape(&l.title_page));
        let _ = writeln!(t, "<p class=\"book-title\">{}</p>", escape(&title));
        if let Some(s) = &cfg.subtitle {
            let _ = writeln!(t, "<p class=\"book-subtitle\">{}</p>", escape(s));
        }
        if !cfg.editors.is_empty() {
            let _ = writeln!(t, "<p class=\"editors\">{} {}</p>", escape(&l.edited_by), escape(&l.join(&cfg.editors)));
        }
        if let Some(p) = &cfg.publisher {
            let _ = writeln!(t, "<p class=\"publisher\">{}</p>", escape(p));
        }
        t.push_str("</section>\n");
        let mut c = format!(
            "<section epub:type=\"copyright-page\" class=\"copyright\" aria-label=\"{}\">\n",
            escape(&l.copyright)
        );
        let year = cfg.date.as_deref().and_then(|d| d.get(..4)).unwrap_or("");
        let _ = writeln!(c, "<p>© {} {}</p>", escape(year), escape(&l.join(&cfg.editors)));
        if let Some(lic) = &cfg.license {
            let _ = writeln!(c, "<p>{}{} {}</p>", escape(&l.license), l.colon, escape(lic));
        }
        let _ = writeln!(c, "<p>{}{} {}</p>", escape(&l.identifier), l.colon, escape(&cfg.identifier));
        if let Some(isbn) = &cfg.epub.isbn {
            let _ = writeln!(c, "<p>ISBN {}</p>", escape(&crate::identifiers::isbn_display(isbn)));
        }
        if let Some(doi) = &cfg.doi {
            let url = format!("https://doi.org/{doi}");
            let _ = writeln!(c, "<p>DOI <a href=\"{0}\">{0}</a></p>", escape(&url));
        }
        if let Some(p) = &cfg.publisher {
            let _ = writeln!(c, "<p>{}</p>", escape(p));
        }
        if let (Some(date), Some(printed)) = (&cfg.date, cfg.printed_date()) {
            let _ = writeln!(c, "<p><time datetime=\"{}\">{}</time></p>", escape(date), escape(&printed));
        }
        if let Some(u) = &cfg.url {
            let _ = writeln!(c, "<p><a href=\"{}\">{}</a></p>", escape(u), escape(u));
        }
        let _ = writeln!(c, "<p class=\"colophon\">anthology {}</p>\n</section>", env!("CARGO_PKG_VERSION"));
        self.docs.push(Doc {
            id: "cover".into(),
            href: "cover.xhtml".into(),
            title: l.cover.clone(),
            content: page(lang, &l.cover, "", &cover),
        });
        self.docs.push(Doc {
            id: "titlepage".into(),
            href: "titlepage.xhtml".into(),
            title: title.clone(),
            content: page(lang, &title, "frontmatter", &t),
        });
        self.docs.push(Doc {
            id: "copyright".into(),
            href: "copyright.xhtml".into(),
            title: l.copyright.clone(),
            content: page(lang, &l.copyright, "frontmatter", &c),
        });
    }

    fn index(&mut self) {
        let lang = &self.book.config.language;
        let l = &self.labels;
        let mut body = format!(
            "<section class=\"index\" role=\"doc-index\" aria-labelledby=\"title\">\n<h1 id=\"title\">{}</h1>\n<ul class=\"index\">\n",
            escape(&l.index)
        );
        let titles: HashMap<&str, &Essay> = self.book.essays().map(|e| (e.slug.as_str(), e)).collect();
        for c in &self.book.contributors {
            let _ = write!(body, "<li><span class=\"index-name\">{}</span>", escape(&c.sort_key));
            if let Some(a) = &c.author.affiliation {
                let _ = write!(body, ", {}", escape(a));
            }
            if let Some(h) = &c.author.handle {
                let _ = write!(body, " <bdi class=\"handle\" dir=\"ltr\">{}</bdi>", escape(h));
            }
            body.push_str(" — ");
            let links: Vec<String> = c
                .essays
                .iter()
                .filter_map(|s| titles.get(s.as_str()))
                .map(|e| format!("<a href=\"essay-{}.xhtml\">{}</a>", e.slug, escape(&e.title)))
                .chain(c.translated.iter().filter_map(|s| titles.get(s.as_str())).map(|e| {
                    format!("<a href=\"essay-{}.xhtml\">{}</a> ({})", e.slug, escape(&e.title), escape(&l.translation))
                }))
                .collect();
            body.push_str(&links.join(", "));
            body.push_str("</li>\n");
        }
        body.push_str("</ul>\n</section>\n");
        self.docs.push(Doc {
            id: "index".into(),
            href: "index.xhtml".into(),
            title: l.index.clone(),
            content: page(lang, &l.index, "backmatter", &body),
        });
    }
}

/// Images the edition needs: (file relative to root, longest side).
fn wanted_images(book: &Book, cover: Option<&Asset>) -> Vec<(PathBuf, u32)> {
    let mut out: Vec<(PathBuf, u32)> = Vec::new();
    let mut add = |a: &Asset, max: u32| {
        if let (Some(p), Ok(_)) = (&a.path, &a.image)
            && !out.iter().any(|(q, _)| q == p)
        {
            out.push((p.clone(), max));
        }
    };
    if let Some(c) = cover {
        add(c, COVER_PIXELS);
    }
    for e in book.texts() {
        for a in &e.authors {
            if let Some(p) = &a.photo {
                add(p, PHOTO_PIXELS);
            }
        }
        for i in &e.images {
            add(&i.asset, IMAGE_PIXELS);
        }
    }
    out
}

/// An SVG cover made from the title and editors.
fn svg_cover(book: &Book) -> String {
    let cfg = &book.config;
    let mut lines: Vec<String> = Vec::new();
    for word in cfg.title.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + word.chars().count() < 18 => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    let mut svg = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 1600 2560\" width=\"1600\" height=\"2560\">\n",
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(&cfg.title));
    svg.push_str("<rect width=\"1600\" height=\"2560\" fill=\"#1f3a5f\"/>\n");
    for (i, l) in lines.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"140\" y=\"{}\" font-family=\"serif\" font-size=\"130\" fill=\"#ffffff\">{}</text>",
            700 + i * 160,
            escape(l)
        );
    }
    if let Some(s) = &cfg.subtitle {
        let _ = writeln!(
            svg,
            "<text x=\"140\" y=\"{}\" font-family=\"serif\" font-style=\"italic\" font-size=\"60\" fill=\"#dde6f0\">{}</text>",
            760 + lines.len() * 160,
            escape(s)
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"140\" y=\"2300\" font-family=\"serif\" font-size=\"70\" fill=\"#ffffff\">{}</text>",
        escape(&cfg.editors.join(", "))
    );
    svg.push_str("</svg>\n");
    svg
}

/// Makes the EPUB of `book`.
pub fn render(book: &Book) -> Result<Epub, EpubError> {
    render_with(book, &images::Cache::default())
}

/// Makes the EPUB of `book`, taking processed images from `cache` (shared
/// with the other editions of the same build).
pub fn render_with(book: &Book, cache: &images::Cache) -> Result<Epub, EpubError> {
    let cfg = &book.config;
    let cover_asset = book.cover_image();
    let wanted = wanted_images(book, cover_asset);
    let processed: Vec<Result<(PathBuf, Processed), EpubError>> = wanted
        .par_iter()
        .map(|(file, max)| Ok((file.clone(), cache.sizes(&book.root.join(file), &[*max])?.remove(0))))
        .collect();
    let mut images = HashMap::new();
    for (n, r) in processed.into_iter().enumerate() {
        let (file, p) = r?;
        images.insert(file, (format!("images/{n}.{}", p.ext), p));
    }

    let mut links = HashMap::new();
    for e in book.essays() {
        let doc = format!("essay-{}.xhtml", e.slug);
        links.insert(e.file.clone(), xhtml::Target::new(&e.body, xhtml::Flavor::Epub, doc.clone(), format!("{doc}#")));
    }
    let mut pkg = Package { book, labels: cfg.labels(), images, links, docs: Vec::new() };

    let (cover_href, cover_svg) = match cover_asset.and_then(|a| pkg.images.get(a.path.as_ref()?)) {
        Some((href, _)) => (href.clone(), None),
        None => ("images/cover.svg".to_string(), Some(svg_cover(book))),
    };
    pkg.title_pages(&cover_href);
    for e in &book.front {
        pkg.matter(e, "front");
    }
    let mut part_no = 0;
    let mut toc_parts: Vec<TocPart> = Vec::new();
    for p in &book.parts {
        let head = p.section.as_ref().map(|s| {
            part_no += 1;
            pkg.part(part_no, &s.title, p.intro.as_ref());
            (format!("part-{part_no}.xhtml"), s.title.clone())
        });
        let mut items = Vec::new();
        for e in &p.essays {
            pkg.essay(e);
            let names: Vec<String> = e.authors.iter().map(|a| a.name.clone()).collect();
            items.push(TocEntry {
                href: format!("essay-{}.xhtml", e.slug),
                title: e.title.clone(),
                authors: pkg.labels.join(&names),
            });
        }
        toc_parts.push(TocPart { head, items });
    }
    for e in &book.back {
        pkg.matter(e, "back");
    }
    pkg.index();

    let nav = nav(&pkg, &toc_parts);
    let ncx = ncx(&pkg, &toc_parts);
    let css = match crate::input::assets::locate(&book.root, Path::new(CSS_FILE)) {
        Ok(real) => std::fs::read_to_string(&real).map_err(|source| EpubError::Read { path: real, source })?,
        Err(_) => DEFAULT_CSS.to_string(),
    };
    let opf = opf(&pkg, &cover_href, cover_svg.is_some());

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0).expect("a valid date");
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .unix_permissions(0o644);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip").map_err(zip::result::ZipError::Io)?;
    let put = |name: &str, bytes: &[u8], zip: &mut ZipWriter<Cursor<Vec<u8>>>| -> Result<(), EpubError> {
        zip.start_file(name, deflated)?;
        zip.write_all(bytes).map_err(zip::result::ZipError::Io)?;
        Ok(())
    };
    put(
        "META-INF/container.xml",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n<rootfiles>\n<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n",
        &mut zip,
    )?;
    put("EPUB/package.opf", opf.as_bytes(), &mut zip)?;
    put("EPUB/nav.xhtml", nav.as_bytes(), &mut zip)?;
    put("EPUB/toc.ncx", ncx.as_bytes(), &mut zip)?;
    put("EPUB/style.css", css.as_bytes(), &mut zip)?;
    if let Some(svg) = &cover_svg {
        put("EPUB/images/cover.svg", svg.as_bytes(), &mut zip)?;
    }
    for d in &pkg.docs {
        put(&format!("EPUB/{}", d.href), d.content.as_bytes(), &mut zip)?;
    }
    let mut imgs: Vec<&(String, Processed)> = pkg.images.values().collect();
    imgs.sort_by(|a, b| a.0.cmp(&b.0));
    for (href, p) in &imgs {
        put(&format!("EPUB/{href}"), &p.bytes, &mut zip)?;
    }
    let bytes = zip.finish()?.into_inner();
    Ok(Epub { bytes, documents: pkg.docs.len() + 1, images: imgs.len() + cover_svg.is_some() as usize })
}

/// An essay in the contents.
struct TocEntry {
    href: String,
    title: String,
    authors: String,
}

/// A part of the contents: its section (document and title), then its essays.
struct TocPart {
    head: Option<(String, String)>,
    items: Vec<TocEntry>,
}

type TocParts = [TocPart];

fn nav(pkg: &Package, parts: &TocParts) -> String {
    let l = &pkg.labels;
    let mut body = format!(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">{}</h1>\n<ol>\n",
        escape(&l.contents)
    );
    for d in pkg.docs.iter().filter(|d| d.id.starts_with("front-")) {
        let _ = writeln!(body, "<li><a href=\"{}\">{}</a></li>", d.href, escape(&d.title));
    }
    for TocPart { head, items } in parts {
        let list: String = items
            .iter()
            .map(|e| {
                format!(
                    "<li><a href=\"{}\">{}<span class=\"toc-authors\"> — {}</span></a></li>\n",
                    e.href,
                    escape(&e.title),
                    escape(&e.authors)
                )
            })
            .collect();
        match head {
            Some((href, title)) => {
                let _ = write!(body, "<li><a href=\"{href}\">{}</a>\n<ol>\n{list}</ol>\n</li>\n", escape(title));
            }
            None => body.push_str(&list),
        }
    }
    for d in pkg.docs.iter().filter(|d| d.id.starts_with("back-")) {
        let _ = writeln!(body, "<li><a href=\"{}\">{}</a></li>", d.href, escape(&d.title));
    }
    let _ = writeln!(body, "<li><a href=\"index.xhtml\">{}</a></li>\n</ol>\n</nav>", escape(&l.index));
    let first = parts.iter().find_map(|p| {
        p.head.as_ref().map(|(href, _)| href.clone()).or_else(|| p.items.first().map(|e| e.href.clone()))
    });
    let _ = write!(
        body,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\" aria-label=\"{}\">\n<ol>\n<li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>\n<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">{}</a></li>\n",
        escape(&l.landmarks),
        escape(&l.cover),
        escape(&l.contents)
    );
    if let Some(f) = first {
        let _ = writeln!(body, "<li><a epub:type=\"bodymatter\" href=\"{f}\">{}</a></li>", escape(&l.start));
    }
    let _ =
        writeln!(body, "<li><a epub:type=\"index\" href=\"index.xhtml\">{}</a></li>\n</ol>\n</nav>", escape(&l.index));
    page(&pkg.book.config.language, &l.contents, "frontmatter", &body)
}

fn ncx(pkg: &Package, parts: &TocParts) -> String {
    /// One navPoint; `order` counts them in reading order (playOrder).
    fn point(order: &mut usize, label: &str, src: &str, children: &str) -> String {
        *order += 1;
        format!(
            "<navPoint id=\"np-{order}\" playOrder=\"{order}\"><navLabel><text>{}</text></navLabel><content src=\"{src}\"/>\n{children}</navPoint>\n",
            escape(label)
        )
    }
    let cfg = &pkg.book.config;
    let mut order = 0;
    let mut points = String::new();
    for d in pkg.docs.iter().filter(|d| d.id.starts_with("front-")) {
        points.push_str(&point(&mut order, &d.title, &d.href, ""));
    }
    for TocPart { head, items } in parts {
        match head {
            Some((href, title)) => {
                // The part comes before its essays in reading order.
                let mut part_order = order;
                order += 1;
                let children: String = items.iter().map(|e| point(&mut order, &e.title, &e.href, "")).collect();
                points.push_str(&point(&mut part_order, title, href, &children));
            }
            None => {
                for e in items {
                    points.push_str(&point(&mut order, &e.title, &e.href, ""));
                }
            }
        }
    }
    for d in pkg.docs.iter().filter(|d| d.id.starts_with("back-")) {
        points.push_str(&point(&mut order, &d.title, &d.href, ""));
    }
    points.push_str(&point(&mut order, &pkg.labels.index, "index.xhtml", ""));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n<head>\n<meta name=\"dtb:uid\" content=\"{}\"/>\n<meta name=\"dtb:depth\" content=\"2\"/>\n<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n<docTitle><text>{}</text></docTitle>\n<navMap>\n{points}</navMap>\n</ncx>\n",
        escape(&cfg.language),
        escape(&cfg.identifier),
        escape(&cfg.title)
    )
}

fn opf(pkg: &Package, cover_href: &str, svg_cover: bool) -> String {
    let book = pkg.book;
    let cfg = &book.config;
    let mut m = String::new();
    let _ = writeln!(m, "<dc:identifier id=\"pub-id\">{}</dc:identifier>", escape(&cfg.identifier));
    if let Some(isbn) = &cfg.epub.isbn {
        let _ = writeln!(m, "<dc:identifier id=\"isbn\">urn:isbn:{}</dc:identifier>", escape(isbn));
    }
    if let Some(doi) = &cfg.doi {
        let _ = writeln!(m, "<dc:identifier id=\"doi\">https://doi.org/{}</dc:identifier>", escape(doi));
    }
    let _ = writeln!(m, "<dc:title id=\"title\">{}</dc:title>", escape(&cfg.title));
    if let Some(s) = &cfg.subtitle {
        let _ = writeln!(
            m,
            "<dc:title id=\"subtitle\">{}</dc:title>\n<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
            escape(s)
        );
        let _ = writeln!(m, "<meta refines=\"#title\" property=\"title-type\">main</meta>");
    }
    let _ = writeln!(m, "<dc:language>{}</dc:language>", escape(&cfg.language));
    let _ = writeln!(m, "<meta property=\"dcterms:modified\">{}</meta>", cfg.iso8601());
    if let Some(v) = &cfg.release.version {
        let _ = writeln!(m, "<meta property=\"schema:version\">{}</meta>", escape(v));
    }
    if let Some(d) = &cfg.date {
        let _ = writeln!(m, "<dc:date>{}</dc:date>", escape(d));
    }
    for (i, e) in cfg.editors.iter().enumerate() {
        let key = name_key(e, None).display();
        let _ = writeln!(
            m,
            "<dc:creator id=\"editor-{i}\">{}</dc:creator>\n<meta refines=\"#editor-{i}\" property=\"role\" scheme=\"marc:relators\">edt</meta>\n<meta refines=\"#editor-{i}\" property=\"file-as\">{}</meta>",
            escape(e),
            escape(&key)
        );
    }
    for (i, c) in book.contributors.iter().enumerate() {
        let _ = writeln!(
            m,
            "<dc:contributor id=\"contributor-{i}\">{}</dc:contributor>\n<meta refines=\"#contributor-{i}\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n<meta refines=\"#contributor-{i}\" property=\"file-as\">{}</meta>",
            escape(&c.author.name),
            escape(&c.sort_key)
        );
    }
    if let Some(p) = &cfg.publisher {
        let _ = writeln!(m, "<dc:publisher>{}</dc:publisher>", escape(p));
    }
    if let Some(r) = &cfg.license {
        let _ = writeln!(m, "<dc:rights>{}</dc:rights>", escape(r));
    }
    if let Some(d) = &cfg.description {
        let _ = writeln!(m, "<dc:description>{}</dc:description>", escape(d));
    }
    let mut tags: Vec<&String> = book.essays().flat_map(|e| &e.tags).collect();
    tags.sort();
    tags.dedup();
    for t in tags {
        let _ = writeln!(m, "<dc:subject>{}</dc:subject>", escape(t));
    }
    let all_alt = book.texts().flat_map(|e| &e.images).all(|i| !i.alt.trim().is_empty());
    let visual = !pkg.images.is_empty() || svg_cover;
    m.push_str("<meta property=\"schema:accessMode\">textual</meta>\n");
    if visual {
        m.push_str("<meta property=\"schema:accessMode\">visual</meta>\n");
    }
    if all_alt || !visual {
        m.push_str("<meta property=\"schema:accessModeSufficient\">textual</meta>\n");
    }
    if visual {
        m.push_str("<meta property=\"schema:accessModeSufficient\">textual,visual</meta>\n");
    }
    for f in ["structuralNavigation", "tableOfContents", "readingOrder", "index"] {
        let _ = writeln!(m, "<meta property=\"schema:accessibilityFeature\">{f}</meta>");
    }
    if all_alt && visual {
        m.push_str("<meta property=\"schema:accessibilityFeature\">alternativeText</meta>\n");
    }
    if pkg.docs.iter().any(|d| d.content.contains("<math ")) {
        m.push_str("<meta property=\"schema:accessibilityFeature\">MathML</meta>\n");
    }
    m.push_str("<meta property=\"schema:accessibilityHazard\">none</meta>\n");
    let summary = if all_alt {
        "The text is complete without its images: every image, portrait and the cover has a text description. Navigation follows the contents, with landmarks and an index of contributors; headings mark the structure of each essay; footnotes link to their notes and back."
    } else {
        "Navigation follows the contents, with landmarks and an index of contributors; headings mark the structure of each essay; footnotes link to their notes and back. Some images in the text have no text description."
    };
    let _ = writeln!(m, "<meta property=\"schema:accessibilitySummary\">{summary}</meta>");
    m.push_str("<meta name=\"cover\" content=\"cover-image\"/>\n");

    let mut manifest = String::new();
    manifest
        .push_str("<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n");
    manifest.push_str("<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n");
    manifest.push_str("<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n");
    if svg_cover {
        let _ = writeln!(
            manifest,
            "<item id=\"cover-image\" href=\"{cover_href}\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>"
        );
    }
    let mut imgs: Vec<&(String, Processed)> = pkg.images.values().collect();
    imgs.sort_by(|a, b| a.0.cmp(&b.0));
    for (href, p) in imgs {
        let (id, props) = if href == cover_href {
            ("cover-image".to_string(), " properties=\"cover-image\"")
        } else {
            (format!("img-{}", href.trim_start_matches("images/").replace('.', "-")), "")
        };
        let _ = writeln!(manifest, "<item id=\"{id}\" href=\"{href}\" media-type=\"{}\"{props}/>", p.media_type);
    }
    for d in &pkg.docs {
        // EPUB 3 asks that a document holding MathML say so.
        let props = if d.content.contains("<math ") { " properties=\"mathml\"" } else { "" };
        let _ = writeln!(
            manifest,
            "<item id=\"{}\" href=\"{}\" media-type=\"application/xhtml+xml\"{props}/>",
            d.id, d.href
        );
    }
    let mut spine = String::new();
    for d in &pkg.docs {
        let _ = writeln!(spine, "<itemref idref=\"{}\"/>", d.id);
        if d.id == "copyright" {
            spine.push_str("<itemref idref=\"nav\"/>\n");
        }
    }
    let rtl = crate::lang::is_rtl(&cfg.language);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{lang}\"{dir}>\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{m}</metadata>\n<manifest>\n{manifest}</manifest>\n<spine toc=\"ncx\"{ppd}>\n{spine}</spine>\n</package>\n",
        lang = escape(&cfg.language),
        dir = if rtl { " dir=\"rtl\"" } else { "" },
        ppd = if rtl { " page-progression-direction=\"rtl\"" } else { "" },
    )
}
