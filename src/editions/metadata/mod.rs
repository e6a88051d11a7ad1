//! What makes the book and its essays citable by others: each essay as a
//! bibliographic record (a chapter of the book, with its authors, ORCID iDs,
//! DOI, pages and address), written as BibTeX, RIS and CSL-JSON, as the
//! tags Google Scholar and other indexers read, as schema.org JSON-LD, as
//! "how to cite" text in the book's style, and as a Crossref deposit.
//!
//! Every format is written by one function from the same record, so the
//! site's downloads, `anthology export` and the deposit never disagree.
//! Values are the book's text: each format escapes them its own way
//! (biblatex's writer for BibTeX, serde for JSON, XML escaping for the
//! deposit, one line per field with line breaks removed for RIS).

mod crossref;
mod exports;
mod tags;

pub use crossref::{Missing, crossref};
pub use exports::{bibtex, bibtex_book, csl_json, ris};
pub use tags::{book_ld, book_tags, essay_ld, scholar_tags, script_json};

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::lang::collate::name_key;
use crate::model::book::{Author, Book, Essay};
use crate::model::document::Inline;

/// An essay's pages in the PDF, as the book prints them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pages {
    /// Its first page.
    pub first: String,
    /// Its last page.
    pub last: String,
}

/// Each essay's pages, by slug.
pub type PageMap = BTreeMap<String, Pages>;

/// Where the site is (`[html] base_url`), without its last `/`.
fn site(book: &Book) -> Option<String> {
    book.config.html.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string())
}

/// The address of an essay's page on the site.
pub fn essay_url(book: &Book, slug: &str) -> Option<String> {
    site(book).map(|s| format!("{s}/{slug}/"))
}

/// The address of the site's home page.
pub fn book_url(book: &Book) -> Option<String> {
    site(book).map(|s| format!("{s}/"))
}

/// The file name of an essay's offprint on the site, beside its page.
pub fn offprint_name(book: &Book, slug: &str) -> String {
    format!("{}-{slug}.pdf", book.config.slug)
}

/// A person as family and given names.
fn split(a: &Author) -> (String, String) {
    let k = name_key(&a.name, a.sort_as.as_deref());
    (k.family, k.given)
}

fn split_name(name: &str) -> (String, String) {
    let k = name_key(name, None);
    (k.family, k.given)
}

/// The book's date as year, month and day, when it has one.
fn date(book: &Book) -> Option<(i32, Option<u32>, Option<u32>)> {
    let d = book.config.date.as_deref()?;
    let mut parts = d.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next().and_then(|m| m.parse().ok());
    let day = parts.next().and_then(|d| d.parse().ok());
    Some((y, m, day))
}

/// An essay's record in the bibliography of the world.
struct Record<'a> {
    key: String,
    essay: &'a Essay,
    pages: Option<&'a Pages>,
    url: Option<String>,
}

fn record<'a>(book: &Book, e: &'a Essay, pages: &'a PageMap) -> Record<'a> {
    Record {
        key: format!("{}-{}", book.config.slug, e.slug),
        essay: e,
        pages: pages.get(&e.slug),
        url: essay_url(book, &e.slug).or_else(|| book.config.url.clone()),
    }
}

/// The essay as hayagriva reads an entry: a chapter whose parent is the
/// anthology. Written as JSON, which is YAML too, so that hayagriva's own
/// reader makes the entry.
fn hayagriva_entry(book: &Book, r: &Record<'_>) -> Value {
    let person = |(f, g): (String, String)| if g.is_empty() { f } else { format!("{f}, {g}") };
    let parent = hayagriva_book(book);
    let mut entry = json!({
        "type": "chapter",
        "title": verbatim(&r.essay.title),
        "author": r.essay.authors.iter().map(|a| person(split(a))).collect::<Vec<_>>(),
        // Set in the book's language, as the rest of "Cite this essay": CSL
        // title-cases every title of an English item, the book's too.
        "language": book.config.language,
        "parent": parent,
    });
    if let Some(d) = &book.config.date {
        entry["date"] = json!(d);
    }
    if let Some(p) = r.pages {
        entry["page-range"] =
            json!(if p.first == p.last { p.first.clone() } else { format!("{}-{}", p.first, p.last) });
    }
    if let Some(doi) = &r.essay.doi {
        entry["serial-number"] = json!({ "doi": doi });
    }
    if let Some(u) = &r.url {
        entry["url"] = json!(u);
    }
    json!({ r.key.clone(): entry })
}

/// A string hayagriva takes as written: neither re-cased by the style (a
/// French title in an English essay's record stays in French case, "ISS"
/// stays "ISS") nor read for hayagriva's own markup (`{…}`, `$…$`). The
/// flag is the inner string's: hayagriva 0.10 reads a `verbatim` beside a
/// title's `value` as an unknown key, and ignores it.
fn verbatim(s: &str) -> Value {
    json!({ "value": { "value": s, "verbatim": true } })
}

/// The book as hayagriva reads an entry: an anthology with its editors.
fn hayagriva_book(book: &Book) -> Value {
    let cfg = &book.config;
    let person = |(f, g): (String, String)| if g.is_empty() { f } else { format!("{f}, {g}") };
    let mut parent = json!({
        "type": "anthology",
        "title": verbatim(&cfg.title),
        "editor": cfg.editors.iter().map(|n| person(split_name(n))).collect::<Vec<_>>(),
        "language": cfg.language,
    });
    if let Some(p) = &cfg.publisher {
        parent["publisher"] = json!({ "name": verbatim(p) });
    }
    if let Some(d) = &cfg.date {
        parent["date"] = json!(d);
    }
    if let Some(doi) = &cfg.doi {
        parent["serial-number"] = json!({ "doi": doi });
    }
    if let Some(u) = book_url(book).or_else(|| cfg.url.clone()) {
        parent["url"] = json!(u);
    }
    parent
}

/// Sets the book and its essays as entries of a bibliography, in the
/// book's citation style and language: how to cite them. The style is
/// read once, for every essay.
pub struct Citer<'a> {
    book: &'a Book,
    style: Option<hayagriva::citationberg::IndependentStyle>,
    /// The style's hash, with the language: what an entry is set with.
    setting: u64,
}

/// Entries already set, by setting and entry: a `watch` rebuild sets again
/// only the essays whose record changed (hayagriva takes a few
/// milliseconds per entry, and the site waits for them after the PDF). A
/// book's worth several times over is kept.
static SET: crate::cache::Memo<(u64, String), Vec<Inline>> = crate::cache::Memo::new(20_000);

impl<'a> Citer<'a> {
    /// The citer of `book`.
    pub fn new(book: &'a Book) -> Self {
        use std::hash::{Hash, Hasher};
        let style = crate::cite::style(&book.root, std::path::Path::new(""), &book.config.citation_style).ok();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&style, &book.config.language).hash(&mut h);
        Citer { book, style, setting: h.finish() }
    }

    /// How to cite essay `e`, with its pages.
    pub fn essay(&self, e: &Essay, pages: &PageMap) -> Vec<Inline> {
        let r = record(self.book, e, pages);
        self.alone(&hayagriva_entry(self.book, &r))
    }

    /// How to cite the whole book.
    pub fn book(&self) -> Vec<Inline> {
        self.alone(&json!({ self.book.config.slug.clone(): hayagriva_book(self.book) }))
    }

    /// One hayagriva entry (as JSON) set alone.
    fn alone(&self, entry: &Value) -> Vec<Inline> {
        SET.get_or_compute((self.setting, entry.to_string()), |(_, entry)| {
            let (Some(style), Ok(library)) = (&self.style, hayagriva::io::from_yaml_str(entry)) else {
                return Vec::new();
            };
            let Some(entry) = library.iter().next() else { return Vec::new() };
            crate::cite::entry_alone(entry, style, &self.book.config.language, crate::cite::locales())
        })
    }
}
