//! What the site adds so that its essays can be cited: on each essay's page,
//! the tags indexers read, its JSON-LD, a "Cite this essay" block and its
//! record as BibTeX, RIS and CSL-JSON; on the home page, the book's.
//!
//! Pages are rendered before the PDF is finished, but the record names the
//! pages each essay has in print, and the site serves the offprints. So the
//! templates leave two markers (HTML comments, which escaped text can never
//! contain), and [`finish`] fills them once the print edition is known,
//! from [`crate::editions::metadata`].

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::editions::metadata::{self, PageMap};
use crate::editions::xhtml::{self, Context, Flavor};
use crate::lang::labels::Labels;
use crate::model::book::Book;
use crate::model::document::{Block, Document};

/// Where the head of a page gets its citation tags.
pub const META: &str = "<!--anthology:citation-meta-->";
/// Where the body of a page gets its "Cite this" block.
pub const BLOCK: &str = "<!--anthology:cite-->";

/// The print edition, as the site's citations need it.
#[derive(Debug, Default, Clone)]
pub struct Print {
    /// Each essay's pages in the PDF.
    pub pages: PageMap,
    /// Each essay's offprint, by slug, when the build made them.
    pub offprints: Vec<(String, Vec<u8>)>,
    /// The editions the build made beside the site, offered on its home page.
    pub downloads: Vec<Download>,
}

/// An edition the site offers to download (a copy is served in `downloads/`).
#[derive(Debug, Clone)]
pub struct Download {
    /// Its name, as it is in the output folder (`regards-croises.pdf`).
    pub file: String,
    /// What it is: `PDF`, `EPUB`.
    pub kind: &'static str,
    /// Its media type.
    pub media_type: &'static str,
    /// Its pages, for a PDF.
    pub pages: Option<usize>,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Where an essay's page offers its offprint.
pub const OFFPRINT: &str = "<!--anthology:offprint-->";

/// Where a contributor's page offers the offprint of an essay: followed by
/// its slug and `-->`.
pub const OFFPRINT_OF: &str = "<!--anthology:offprint:";

/// The link to the offprint of essay `slug`, from a page `prefix` away
/// from the essay's folder, reading `text`, with its pages (the first page
/// about the book, then the essay's pages as the book has them) and size;
/// `None` when the build made no offprint of it.
fn offprint_link(book: &Book, print: &Print, labels: &Labels, slug: &str, prefix: &str, text: &str) -> Option<String> {
    let (_, bytes) = print.offprints.iter().find(|(s, _)| s == slug)?;
    let pages = print.pages.get(slug).and_then(|p| {
        let (first, last) = (p.first.parse::<usize>().ok()?, p.last.parse::<usize>().ok()?);
        Some(last.checked_sub(first)? + 2)
    });
    let pages = pages.map(|n| pages_text(labels, n));
    let name = xhtml::escape(&metadata::offprint_name(book, slug));
    Some(format!(
        "<a href=\"{}{name}\" type=\"application/pdf\" download=\"{name}\">{}</a> (PDF, {}{})",
        xhtml::escape(prefix),
        xhtml::escape(text),
        pages.unwrap_or_default(),
        size(bytes.len()),
    ))
}

/// Where the home page lists the editions to download.
pub const DOWNLOADS: &str = "<!--anthology:downloads-->";

/// A page count as a download's details give it: `Pages: 4, `.
fn pages_text(labels: &Labels, n: usize) -> String {
    format!("{}{} {n}, ", xhtml::escape(&labels.pages), xhtml::escape(&labels.colon))
}

/// A size as readers read it: `1.2 MB`, `340 KB`.
fn size(bytes: usize) -> String {
    if bytes >= 1_000_000 { format!("{:.1} MB", bytes as f64 / 1e6) } else { format!("{} KB", bytes.div_ceil(1000)) }
}

/// The home page's list of editions: each made beside the site, served in
/// `downloads/`, with its pages and size, and the single-page edition.
fn downloads_block(labels: &Labels, print: &Print) -> String {
    let mut block = format!(
        "<section class=\"downloads\" aria-labelledby=\"downloads-title\">\n<h2 id=\"downloads-title\">{}</h2>\n<ul>\n",
        xhtml::escape(&labels.download)
    );
    for d in &print.downloads {
        let pages = d.pages.map(|p| pages_text(labels, p)).unwrap_or_default();
        let _ = writeln!(
            block,
            "<li><a href=\"downloads/{file}\" type=\"{}\" download=\"{file}\">{}</a> ({pages}{})</li>",
            d.media_type,
            d.kind,
            size(d.bytes.len()),
            file = xhtml::escape(&d.file),
        );
    }
    let _ = writeln!(block, "<li><a href=\"all.html\">{}</a></li>", xhtml::escape(&labels.all));
    block.push_str("</ul>\n</section>\n");
    block
}

/// Fills the markers of every page of `files` and adds the citation files
/// (and the offprints): the site is finished.
pub fn finish(files: &mut std::collections::BTreeMap<PathBuf, Vec<u8>>, book: &Book, print: &Print) {
    let labels = book.config.labels();
    let citer = metadata::Citer::new(book);
    let essays: Vec<_> = book.essays().collect();
    let offprints: std::collections::HashSet<&str> = print.offprints.iter().map(|(s, _)| s.as_str()).collect();
    // Each essay's tags and block, made in parallel (setting "Cite this
    // essay" is hayagriva's work, a few milliseconds each), then put in place.
    use rayon::prelude::*;
    let filled: Vec<(PathBuf, String, String, String)> = essays
        .par_iter()
        .map(|e| {
            let dir = PathBuf::from(&e.slug);
            let pdf_name = metadata::offprint_name(book, &e.slug);
            let has_pdf = offprints.contains(e.slug.as_str());
            let pdf_url =
                has_pdf.then(|| metadata::essay_url(book, &e.slug).map(|u| format!("{u}{pdf_name}"))).flatten();
            let mut head = String::new();
            for (name, content) in metadata::scholar_tags(book, e, &print.pages, pdf_url.as_deref()) {
                let _ = writeln!(head, "<meta name=\"{name}\" content=\"{}\">", xhtml::escape(&content));
            }
            let _ = writeln!(
                head,
                "<script type=\"application/ld+json\">{}</script>",
                metadata::essay_ld(book, e, &print.pages)
            );
            let text = citer.essay(e, &print.pages);
            let mut block = String::new();
            let _ = write!(
                block,
                "<section class=\"cite\" aria-labelledby=\"cite-{slug}\">\n<h2 id=\"cite-{slug}\">{}</h2>\n",
                xhtml::escape(&labels.cite),
                slug = e.slug
            );
            let _ = writeln!(block, "<div class=\"cite-text\">{}</div>", inline_html(&text));
            block.push_str("<p class=\"cite-formats\">");
            let one = [*e];
            let mut links = vec![
                download("BibTeX", BIBTEX, &format!("{}.bib", e.slug), &metadata::bibtex(book, &one, &print.pages)),
                download("RIS", RIS, &format!("{}.ris", e.slug), &metadata::ris(book, &one, &print.pages)),
                download(
                    "CSL-JSON",
                    CSL_JSON,
                    &format!("{}.json", e.slug),
                    &metadata::csl_json(book, &one, &print.pages),
                ),
            ];
            if has_pdf {
                links.push(format!("<a href=\"{}\" type=\"application/pdf\">PDF</a>", xhtml::escape(&pdf_name)));
            }
            if let Some(d) = &e.doi {
                let url = format!("https://doi.org/{d}");
                links.push(format!("<a href=\"{}\">DOI {}</a>", xhtml::escape(&url), xhtml::escape(d)));
            }
            block.push_str(&links.join(" · "));
            block.push_str("</p>\n</section>\n");
            // Its offprint, offered under its byline.
            let offprint = offprint_link(book, print, &labels, &e.slug, "", &labels.download)
                .map_or(String::new(), |link| format!("<p class=\"offprint\">{link}</p>"));
            (dir.join("index.html"), head, block, offprint)
        })
        .collect();
    // Each contributor's page offers the offprint of each essay they wrote.
    for (path, bytes) in files.iter_mut() {
        if !(path.starts_with("contributors") && path.components().count() == 3) {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        if !html.contains(OFFPRINT_OF) {
            continue;
        }
        let mut out = String::with_capacity(html.len());
        let mut rest: &str = &html;
        while let Some(at) = rest.find(OFFPRINT_OF) {
            out.push_str(&rest[..at]);
            let after = &rest[at + OFFPRINT_OF.len()..];
            let Some(end) = after.find("-->") else { break };
            let slug = &after[..end];
            if let Some(link) = offprint_link(book, print, &labels, slug, &format!("../../{slug}/"), &labels.download) {
                let _ = write!(out, " · <span class=\"offprint\">{link}</span>");
            }
            rest = &after[end + 3..];
        }
        out.push_str(rest);
        *bytes = out.into_bytes();
    }
    for (page, head, block, offprint) in filled {
        if let Some(bytes) = files.get_mut(&page) {
            let html = String::from_utf8_lossy(bytes)
                .replacen(META, &head, 1)
                .replacen(BLOCK, &block, 1)
                .replacen(OFFPRINT, &offprint, 1);
            *bytes = html.into_bytes();
        }
    }
    for (slug, bytes) in &print.offprints {
        if essays.iter().any(|e| e.slug == *slug) {
            files.insert(PathBuf::from(slug).join(metadata::offprint_name(book, slug)), bytes.clone());
        }
    }
    // The home page: the book, and every essay's record in one file.
    let mut head = String::new();
    for (name, content) in metadata::book_tags(book) {
        let _ = writeln!(head, "<meta name=\"{name}\" content=\"{}\">", xhtml::escape(&content));
    }
    let _ = writeln!(
        head,
        "<script type=\"application/ld+json\">{}</script>",
        metadata::script_json(&metadata::book_ld(book))
    );
    let mut block = format!(
        "<section class=\"cite\" aria-labelledby=\"cite-book\">\n<h2 id=\"cite-book\">{}</h2>\n<div class=\"cite-text\">{}</div>\n",
        xhtml::escape(&labels.cite_book),
        inline_html(&citer.book())
    );
    block.push_str("<p class=\"cite-formats\">");
    block.push_str(&format!(
        "<a href=\"cite.bib\" download=\"{slug}.bib\" type=\"{BIBTEX}\">BibTeX</a> · \
             <a href=\"cite.ris\" download=\"{slug}.ris\" type=\"{RIS}\">RIS</a> · \
             <a href=\"cite.json\" download=\"{slug}.json\" type=\"{CSL_JSON}\">CSL-JSON</a>",
        slug = book.config.slug
    ));
    if let Some(d) = &book.config.doi {
        let url = format!("https://doi.org/{d}");
        let _ = write!(block, " · <a href=\"{}\">DOI {}</a>", xhtml::escape(&url), xhtml::escape(d));
    }
    block.push_str("</p>\n</section>\n");
    if let Some(bytes) = files.get_mut(&PathBuf::from("index.html")) {
        let html = String::from_utf8_lossy(bytes).replacen(META, &head, 1).replacen(BLOCK, &block, 1).replacen(
            DOWNLOADS,
            &downloads_block(&labels, print),
            1,
        );
        *bytes = html.into_bytes();
    }
    for d in &print.downloads {
        files.insert(PathBuf::from("downloads").join(&d.file), d.bytes.clone());
    }
    files.insert("cite.bib".into(), metadata::bibtex_book(book, &print.pages).into_bytes());
    files.insert("cite.ris".into(), metadata::ris(book, &essays, &print.pages).into_bytes());
    files.insert("cite.json".into(), metadata::csl_json(book, &essays, &print.pages).into_bytes());
}

/// The media types of the three record formats.
const BIBTEX: &str = "application/x-bibtex";
const RIS: &str = "application/x-research-info-systems";
const CSL_JSON: &str = "application/vnd.citationstyles.csl+json";

/// A link that downloads `text` as the file `name`. The record is in the
/// link itself (a `data:` address), not a file beside the page: three
/// small files per essay would double the files a site is made of, and
/// creating files is most of what writing a site costs.
fn download(label: &str, media: &str, name: &str, text: &str) -> String {
    let mut href = format!("data:{media};charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            href.push(b as char);
        } else {
            let _ = write!(href, "%{b:02X}");
        }
    }
    format!("<a href=\"{href}\" download=\"{}\" type=\"{media}\">{label}</a>", xhtml::escape(name))
}

/// Set text as XHTML, through the one writer.
fn inline_html(text: &[crate::model::document::Inline]) -> String {
    let doc = Document { blocks: vec![Block::Paragraph(text.to_vec())], ..Default::default() };
    let images = std::collections::HashMap::new();
    let links = std::collections::HashMap::new();
    let cx = Context {
        flavor: Flavor::Html,
        id_prefix: "cite",
        images: &images,
        dir: std::path::Path::new(""),
        links: &links,
        anchor_prefix: "",
        allow_html: false,
        first_heading: 2,
        rtl: false,
        references: "",
    };
    xhtml::fragment(&doc, &cx).body
}
