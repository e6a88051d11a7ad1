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

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::lang::collate::name_key;
use crate::model::book::{Affiliation, Author, Book, Essay};
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
/// French title in an English essay's record stays in French case) nor read
/// for hayagriva's own markup (`{…}`, `$…$`).
fn verbatim(s: &str) -> Value {
    json!({ "value": s, "verbatim": true })
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

/// The essays as BibTeX, one `@incollection` each.
pub fn bibtex(book: &Book, essays: &[&Essay], pages: &PageMap) -> String {
    bibtex_with(book, essays, pages, false)
}

/// Every essay as BibTeX, after the book's own record (a `@collection`):
/// the home page's download.
pub fn bibtex_book(book: &Book, pages: &PageMap) -> String {
    let essays: Vec<&Essay> = book.essays().collect();
    bibtex_with(book, &essays, pages, true)
}

fn bibtex_with(book: &Book, essays: &[&Essay], pages: &PageMap, whole: bool) -> String {
    use biblatex::{Chunk, EntryType, Spanned};
    let cfg = &book.config;
    let normal = |s: &str| vec![Spanned::detached(Chunk::Normal(s.replace(['\n', '\r'], " ")))];
    let verbatim = |s: &str| vec![Spanned::detached(Chunk::Verbatim(s.replace(['\n', '\r'], " ")))];
    let names = |list: Vec<(String, String)>| {
        list.into_iter()
            .map(|(f, g)| if g.is_empty() { format!("{{{f}}}") } else { format!("{f}, {g}") })
            .collect::<Vec<_>>()
            .join(" and ")
    };
    // What a record of the book and a record of one of its essays share.
    let book_fields = |entry: &mut biblatex::Entry| {
        if !cfg.editors.is_empty() {
            entry.set("editor", normal(&names(cfg.editors.iter().map(|n| split_name(n)).collect())));
        }
        if let Some(p) = &cfg.publisher {
            entry.set("publisher", normal(p));
        }
        if let Some(isbn) = &cfg.pdf.isbn {
            entry.set("isbn", normal(isbn));
        }
    };
    let mut out = String::new();
    if whole {
        let mut entry = biblatex::Entry::new(cfg.slug.clone(), EntryType::Collection);
        entry.set("title", verbatim(&cfg.title));
        if let Some(s) = &cfg.subtitle {
            entry.set("subtitle", verbatim(s));
        }
        book_fields(&mut entry);
        if let Some((y, _, _)) = date(book) {
            entry.set("year", normal(&y.to_string()));
        }
        if let Some(d) = &cfg.doi {
            entry.set("doi", verbatim(d));
        }
        if let Some(u) = book_url(book).or_else(|| cfg.url.clone()) {
            entry.set("url", verbatim(&u));
        }
        entry.set("language", normal(&cfg.language));
        out.push_str(&entry.to_biblatex_string());
        out.push_str("\n\n");
    }
    for e in essays {
        let r = record(book, e, pages);
        let mut entry = biblatex::Entry::new(r.key.clone(), EntryType::InCollection);
        entry.set("title", verbatim(&e.title));
        if let Some(s) = &e.subtitle {
            entry.set("subtitle", verbatim(s));
        }
        entry.set("author", normal(&names(e.authors.iter().map(split).collect())));
        entry.set("booktitle", verbatim(&cfg.title));
        book_fields(&mut entry);
        if let Some((y, m, _)) = date(book) {
            entry.set("year", normal(&y.to_string()));
            if let Some(m) = m {
                entry.set("month", normal(&m.to_string()));
            }
        }
        if let Some(p) = r.pages {
            entry.set("pages", normal(&format!("{}--{}", p.first, p.last)));
        }
        if let Some(d) = &e.doi {
            entry.set("doi", verbatim(d));
        }
        if let Some(u) = &r.url {
            entry.set("url", verbatim(u));
        }
        entry.set("language", normal(&e.lang));
        out.push_str(&entry.to_bibtex_string().unwrap_or_else(|_| entry.to_biblatex_string()));
        out.push_str("\n\n");
    }
    out
}

/// One RIS field: its tag and value on one line (RIS has no escaping, so
/// line breaks become spaces).
fn ris_line(out: &mut String, tag: &str, value: &str) {
    let v: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let _ = write!(out, "{tag}  - {}\r\n", v.trim());
}

/// The whole book's essays as RIS, one `CHAP` record each.
pub fn ris(book: &Book, essays: &[&Essay], pages: &PageMap) -> String {
    let cfg = &book.config;
    let mut out = String::new();
    for e in essays {
        let r = record(book, e, pages);
        ris_line(&mut out, "TY", "CHAP");
        ris_line(&mut out, "ID", &r.key);
        let title = match &e.subtitle {
            Some(s) => format!("{}: {s}", e.title),
            None => e.title.clone(),
        };
        ris_line(&mut out, "TI", &title);
        for a in &e.authors {
            let (f, g) = split(a);
            ris_line(&mut out, "AU", &if g.is_empty() { f } else { format!("{f}, {g}") });
        }
        ris_line(&mut out, "T2", &cfg.title);
        for n in &cfg.editors {
            let (f, g) = split_name(n);
            ris_line(&mut out, "A2", &if g.is_empty() { f } else { format!("{f}, {g}") });
        }
        if let Some(p) = &cfg.publisher {
            ris_line(&mut out, "PB", p);
        }
        if let Some((y, m, d)) = date(book) {
            ris_line(&mut out, "PY", &y.to_string());
            if let (Some(m), Some(d)) = (m, d) {
                ris_line(&mut out, "DA", &format!("{y:04}/{m:02}/{d:02}"));
            }
        }
        if let Some(p) = r.pages {
            ris_line(&mut out, "SP", &p.first);
            ris_line(&mut out, "EP", &p.last);
        }
        if let Some(d) = &e.doi {
            ris_line(&mut out, "DO", d);
        }
        if let Some(u) = &r.url {
            ris_line(&mut out, "UR", u);
        }
        if let Some(isbn) = &cfg.pdf.isbn {
            ris_line(&mut out, "SN", isbn);
        }
        ris_line(&mut out, "LA", &e.lang);
        ris_line(&mut out, "ER", "");
        out.push_str("\r\n");
    }
    out
}

/// One essay as a CSL-JSON item.
fn csl_item(book: &Book, r: &Record<'_>) -> Value {
    let cfg = &book.config;
    let person = |(f, g): (String, String)| json!({ "family": f, "given": g });
    let mut item = json!({
        "id": r.key,
        "type": "chapter",
        "title": r.essay.title,
        "author": r.essay.authors.iter().map(|a| person(split(a))).collect::<Vec<_>>(),
        "container-title": cfg.title,
        "editor": cfg.editors.iter().map(|n| person(split_name(n))).collect::<Vec<_>>(),
        "language": r.essay.lang,
    });
    if let Some(p) = &cfg.publisher {
        item["publisher"] = json!(p);
    }
    if let Some((y, m, d)) = date(book) {
        let parts: Vec<i64> =
            [Some(y as i64), m.map(i64::from), d.map(i64::from)].into_iter().map_while(|x| x).collect();
        item["issued"] = json!({ "date-parts": [parts] });
    }
    if let Some(p) = r.pages {
        item["page"] = json!(if p.first == p.last { p.first.clone() } else { format!("{}-{}", p.first, p.last) });
        item["page-first"] = json!(p.first);
    }
    if let Some(d) = &r.essay.doi {
        item["DOI"] = json!(d);
    }
    if let Some(u) = &r.url {
        item["URL"] = json!(u);
    }
    if let Some(isbn) = &cfg.pdf.isbn {
        item["ISBN"] = json!(isbn);
    }
    let orcids: Vec<&str> = r.essay.authors.iter().filter_map(|a| a.orcid.as_deref()).collect();
    if !orcids.is_empty() {
        // CSL has no field for ORCID iDs; they go in the note, as Zotero reads them.
        item["note"] = json!(orcids.iter().map(|o| format!("ORCID: {o}")).collect::<Vec<_>>().join("\n"));
    }
    item
}

/// The whole book's essays as CSL-JSON (an array of items).
pub fn csl_json(book: &Book, essays: &[&Essay], pages: &PageMap) -> String {
    let items: Vec<Value> = essays.iter().map(|e| csl_item(book, &record(book, e, pages))).collect();
    serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
}

/// The `<meta>` tags of an essay's page: Google Scholar's `citation_*`
/// (Highwire Press) and Dublin Core, as (name, content) pairs. `pdf` is the
/// address of its offprint, when the site has one.
pub fn scholar_tags(book: &Book, e: &Essay, pages: &PageMap, pdf: Option<&str>) -> Vec<(&'static str, String)> {
    let cfg = &book.config;
    let r = record(book, e, pages);
    let mut t: Vec<(&'static str, String)> = vec![("citation_title", e.title.clone())];
    for a in &e.authors {
        t.push(("citation_author", a.name.clone()));
        if let Some(o) = &a.orcid {
            t.push(("citation_author_orcid", format!("https://orcid.org/{o}")));
        }
        // Each institution (with its department) as its own tag.
        if a.affiliations.is_empty() {
            if let Some(aff) = &a.affiliation {
                t.push(("citation_author_institution", aff.clone()));
            }
        } else {
            for aff in &a.affiliations {
                t.push(("citation_author_institution", aff.printed()));
            }
        }
        if let Some(m) = a.email.as_ref().filter(|_| a.public_email) {
            t.push(("citation_author_email", m.clone()));
        }
    }
    t.push(("citation_inbook_title", cfg.title.clone()));
    scholar_book(book, &mut t);
    if let Some(d) = &e.doi {
        t.push(("citation_doi", d.clone()));
    }
    if let Some(isbn) = &cfg.pdf.isbn {
        t.push(("citation_isbn", isbn.clone()));
    }
    if let Some(p) = r.pages {
        t.push(("citation_firstpage", p.first.clone()));
        t.push(("citation_lastpage", p.last.clone()));
    }
    if let Some(u) = pdf {
        t.push(("citation_pdf_url", u.to_string()));
    }
    if let Some(u) = essay_url(book, &e.slug) {
        t.push(("citation_abstract_html_url", u));
    }
    t.push(("citation_language", e.lang.clone()));
    t.push(("DC.title", e.title.clone()));
    for a in &e.authors {
        t.push(("DC.creator", a.name.clone()));
    }
    dublin_core(book, &e.lang, &mut t);
    if let Some(d) = &e.doi {
        t.push(("DC.identifier", format!("https://doi.org/{d}")));
    }
    t.push(("DC.relation.ispartof", cfg.title.clone()));
    t
}

/// The `<meta>` tags of the book's home page: Google Scholar's for a book
/// and Dublin Core.
pub fn book_tags(book: &Book) -> Vec<(&'static str, String)> {
    let cfg = &book.config;
    let mut t: Vec<(&'static str, String)> = vec![("citation_title", cfg.title.clone())];
    scholar_book(book, &mut t);
    if let Some(d) = &cfg.doi {
        t.push(("citation_doi", d.clone()));
    }
    for isbn in cfg.pdf.isbn.iter().chain(cfg.epub.isbn.iter()) {
        t.push(("citation_isbn", isbn.clone()));
    }
    t.push(("citation_language", cfg.language.clone()));
    t.push(("DC.title", cfg.title.clone()));
    for ed in &cfg.editors {
        t.push(("DC.contributor", ed.clone()));
    }
    dublin_core(book, &cfg.language, &mut t);
    if let Some(d) = &cfg.doi {
        t.push(("DC.identifier", format!("https://doi.org/{d}")));
    }
    t
}

/// The Google Scholar tags of the book an essay's page and the home page
/// share: editors, publisher, date.
fn scholar_book(book: &Book, t: &mut Vec<(&'static str, String)>) {
    let cfg = &book.config;
    for ed in &cfg.editors {
        t.push(("citation_editor", ed.clone()));
    }
    if let Some(p) = &cfg.publisher {
        t.push(("citation_publisher", p.clone()));
    }
    if let Some(s) = scholar_date(book) {
        t.push(("citation_publication_date", s));
    }
}

/// The book's date as Google Scholar writes it: `2026/11/27`.
fn scholar_date(book: &Book) -> Option<String> {
    let (y, m, d) = date(book)?;
    Some(match (m, d) {
        (Some(m), Some(d)) => format!("{y:04}/{m:02}/{d:02}"),
        (Some(m), None) => format!("{y:04}/{m:02}"),
        _ => format!("{y:04}"),
    })
}

/// The Dublin Core tags an essay's page and the home page share.
fn dublin_core(book: &Book, lang: &str, t: &mut Vec<(&'static str, String)>) {
    let cfg = &book.config;
    if let Some(p) = &cfg.publisher {
        t.push(("DC.publisher", p.clone()));
    }
    if let Some(d) = &cfg.date {
        t.push(("DC.date", d.clone()));
    }
    t.push(("DC.type", "Text".into()));
    t.push(("DC.language", lang.to_string()));
    if let Some(l) = &cfg.license {
        t.push(("DC.rights", l.clone()));
    }
}

/// JSON written inside an HTML `<script>`: `<`, `>` and `&` as `\u` escapes,
/// so that no value can end the script or open a comment.
pub fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn ld_person(a: &Author) -> Value {
    let mut p = json!({ "@type": "Person", "name": a.name });
    if let Some(o) = &a.orcid {
        p["identifier"] = json!(format!("https://orcid.org/{o}"));
        p["sameAs"] = json!(format!("https://orcid.org/{o}"));
    }
    if !a.affiliations.is_empty() {
        let orgs: Vec<Value> = a
            .affiliations
            .iter()
            .map(|i| {
                let mut o = json!({ "@type": "Organization", "name": i.name });
                if let Some(url) = i.ror_url() {
                    o["identifier"] = json!(url);
                    o["sameAs"] = json!(url);
                }
                if let Some(d) = &i.department {
                    o["department"] = json!({ "@type": "Organization", "name": d });
                }
                let address: Vec<&str> = [i.city.as_deref(), i.country.as_deref()].into_iter().flatten().collect();
                if !address.is_empty() {
                    o["address"] = json!(address.join(", "));
                }
                o
            })
            .collect();
        p["affiliation"] = if orgs.len() == 1 { orgs[0].clone() } else { json!(orgs) };
    } else if let Some(aff) = &a.affiliation {
        p["affiliation"] = json!({ "@type": "Organization", "name": aff });
    }
    // An address from the front matter is data here, but indexers make
    // links of it: only a web address is given.
    if let Some(u) = a.url.as_ref().filter(|u| u.trim().to_ascii_lowercase().starts_with("http")) {
        p["url"] = json!(u.trim());
    }
    p
}

/// The book as a schema.org `Book`.
pub fn book_ld(book: &Book) -> Value {
    let cfg = &book.config;
    let mut b = json!({
        "@context": "https://schema.org",
        "@type": "Book",
        "name": cfg.title,
        "inLanguage": cfg.language,
        "editor": cfg.editors.iter().map(|n| json!({ "@type": "Person", "name": n })).collect::<Vec<_>>(),
    });
    if let Some(u) = book_url(book) {
        b["@id"] = json!(u);
        b["url"] = json!(u);
    }
    if let Some(p) = &cfg.publisher {
        b["publisher"] = json!({ "@type": "Organization", "name": p });
    }
    if let Some(d) = &cfg.date {
        b["datePublished"] = json!(d);
    }
    if let Some(d) = &cfg.doi {
        b["identifier"] = json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": d });
        b["sameAs"] = json!(format!("https://doi.org/{d}"));
    }
    let isbns: Vec<&String> = cfg.pdf.isbn.iter().chain(cfg.epub.isbn.iter()).collect();
    if !isbns.is_empty() {
        b["isbn"] = json!(isbns);
    }
    if let Some(l) = &cfg.license {
        b["license"] = json!(l);
    }
    if let Some(d) = &cfg.description {
        b["description"] = json!(d);
    }
    b
}

/// An essay as a schema.org `Chapter` that is part of the `Book`, as a
/// `<script type="application/ld+json">`'s text.
pub fn essay_ld(book: &Book, e: &Essay, pages: &PageMap) -> String {
    let r = record(book, e, pages);
    let mut whole = book_ld(book);
    if let Value::Object(m) = &mut whole {
        m.remove("@context");
    }
    let mut c = json!({
        "@context": "https://schema.org",
        "@type": "Chapter",
        "name": e.title,
        "inLanguage": e.lang,
        "author": e.authors.iter().map(ld_person).collect::<Vec<_>>(),
        "isPartOf": whole,
    });
    if let Some(u) = essay_url(book, &e.slug) {
        c["@id"] = json!(u);
        c["url"] = json!(u);
    }
    if let Some(d) = &e.doi {
        c["identifier"] = json!({ "@type": "PropertyValue", "propertyID": "DOI", "value": d });
        c["sameAs"] = json!(format!("https://doi.org/{d}"));
    }
    if let Some(p) = r.pages {
        c["pageStart"] = json!(p.first);
        c["pageEnd"] = json!(p.last);
    }
    if let Some(d) = &book.config.date {
        c["datePublished"] = json!(d);
    }
    // When the essay was first published elsewhere (an imported post).
    if let Some(d) = &e.date {
        c["dateCreated"] = json!(d);
    }
    if !e.tags.is_empty() {
        c["keywords"] = json!(e.tags.join(", "));
    }
    script_json(&c)
}

/// What a deposit cannot be made without.
#[derive(Debug, thiserror::Error)]
#[error("a Crossref deposit needs {what}: {hint}")]
pub struct Missing {
    /// What is missing.
    pub what: String,
    /// Where to add it.
    pub hint: String,
}

fn xml(s: &str) -> String {
    quick_xml::escape::escape(s.replace(['\n', '\r'], " ").as_str()).into_owned()
}

fn xml_person(out: &mut String, sequence: &str, role: &str, (family, given): (&str, &str), author: Option<&Author>) {
    let _ = write!(out, "<person_name sequence=\"{sequence}\" contributor_role=\"{role}\">");
    if !given.is_empty() {
        let _ = write!(out, "<given_name>{}</given_name>", xml(given));
    }
    let _ = write!(out, "<surname>{}</surname>", xml(family));
    // The institutions, with their ROR ids (schema 5.3.1's affiliations);
    // an affiliation written as text alone is an institution's name.
    let institutions: Vec<Affiliation> = match author {
        Some(a) if !a.affiliations.is_empty() => a.affiliations.clone(),
        Some(Author { affiliation: Some(text), .. }) if !text.trim().is_empty() => {
            vec![Affiliation { name: text.trim().to_string(), ..Affiliation::default() }]
        }
        _ => Vec::new(),
    };
    if !institutions.is_empty() {
        out.push_str("<affiliations>");
        for i in &institutions {
            let _ = write!(out, "<institution><institution_name>{}</institution_name>", xml(&i.name));
            if let Some(url) = i.ror_url() {
                let _ = write!(out, "<institution_id type=\"ror\">{}</institution_id>", xml(&url));
            }
            if let Some(place) = [i.city.as_deref(), i.country.as_deref()].into_iter().flatten().next() {
                let _ = write!(out, "<institution_place>{}</institution_place>", xml(place));
            }
            if let Some(d) = &i.department {
                let _ = write!(out, "<institution_department>{}</institution_department>", xml(d));
            }
            out.push_str("</institution>");
        }
        out.push_str("</affiliations>");
    }
    let orcid = author.and_then(|a| a.orcid.as_deref());
    if let Some(o) = orcid {
        let _ = write!(out, "<ORCID>https://orcid.org/{}</ORCID>", xml(o));
    }
    out.push_str("</person_name>\n");
}

fn xml_date(out: &mut String, book: &Book) {
    if let Some((y, m, d)) = date(book) {
        out.push_str("<publication_date media_type=\"online\">");
        if let Some(m) = m {
            let _ = write!(out, "<month>{m:02}</month>");
            if let Some(d) = d {
                let _ = write!(out, "<day>{d:02}</day>");
            }
        }
        let _ = writeln!(out, "<year>{y:04}</year></publication_date>");
    }
}

/// The Crossref deposit (schema 5.3.1) of the book and each essay as a
/// chapter (`content_item component_type="chapter"`), with contributors and
/// ORCID iDs, titles, pages from the PDF, DOIs and their addresses on the
/// site. Everything Crossref requires must be in `book.toml` and the front
/// matter; what is missing is named.
pub fn crossref(book: &Book, pages: &PageMap) -> Result<String, Missing> {
    let cfg = &book.config;
    let need = |what: &str, hint: &str| Missing { what: what.into(), hint: hint.into() };
    let book_doi =
        cfg.doi.as_ref().ok_or_else(|| need("the book's DOI", "add `doi = \"10.…/…\"` to [book] in book.toml"))?;
    let site = book_url(book).ok_or_else(|| {
        need(
            "the address of the site, where each DOI resolves",
            "add `base_url = \"https://…\"` to [html] in book.toml",
        )
    })?;
    let depositor = cfg
        .crossref
        .depositor
        .as_ref()
        .ok_or_else(|| need("a depositor", "add `depositor = \"…\"` to [crossref] in book.toml"))?;
    let email = cfg
        .crossref
        .email
        .as_ref()
        .ok_or_else(|| need("the depositor's e-mail address", "add `email = \"…\"` to [crossref] in book.toml"))?;
    let registrant = cfg.crossref.registrant.as_ref().or(cfg.publisher.as_ref()).ok_or_else(|| {
        need("a registrant", "add `registrant = \"…\"` to [crossref], or `publisher` to [book], in book.toml")
    })?;
    let publisher = cfg.publisher.as_ref().ok_or_else(|| need("the publisher", "add `publisher = \"…\"` to [book]"))?;
    if cfg.date.is_none() {
        return Err(need("a publication date", "add `date = \"YYYY-MM-DD\"` to [book] in book.toml"));
    }
    let without: Vec<String> =
        book.essays().filter(|e| e.doi.is_none()).map(|e| crate::diagnostic::slash_path(&e.file)).collect();
    if !without.is_empty() {
        return Err(need(
            "a DOI for every essay",
            &format!("add `doi = \"10.…/…\"` to the front matter of {}", without.join(", ")),
        ));
    }
    let (y, mo, d, h, mi, s) = cfg.build_date().unwrap_or((1970, 1, 1, 0, 0, 0));
    let timestamp = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<doi_batch version=\"5.3.1\" xmlns=\"http://www.crossref.org/schema/5.3.1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.crossref.org/schema/5.3.1 https://www.crossref.org/schemas/crossref5.3.1.xsd\">\n",
    );
    let _ = write!(
        out,
        "<head>\n<doi_batch_id>{}-{timestamp}</doi_batch_id>\n<timestamp>{timestamp}</timestamp>\n\
         <depositor><depositor_name>{}</depositor_name><email_address>{}</email_address></depositor>\n\
         <registrant>{}</registrant>\n</head>\n<body>\n",
        xml(&cfg.slug),
        xml(depositor),
        xml(email),
        xml(registrant)
    );
    let lang = crate::lang::primary(&cfg.language);
    let _ = write!(out, "<book book_type=\"edited_book\">\n<book_metadata language=\"{}\">\n", xml(&lang));
    if !cfg.editors.is_empty() {
        out.push_str("<contributors>\n");
        for (i, n) in cfg.editors.iter().enumerate() {
            let (f, g) = split_name(n);
            xml_person(&mut out, if i == 0 { "first" } else { "additional" }, "editor", (&f, &g), None);
        }
        out.push_str("</contributors>\n");
    }
    let _ = write!(out, "<titles><title>{}</title>", xml(&cfg.title));
    if let Some(s) = &cfg.subtitle {
        let _ = write!(out, "<subtitle>{}</subtitle>", xml(s));
    }
    out.push_str("</titles>\n");
    xml_date(&mut out, book);
    let isbns: Vec<(&str, &String)> =
        cfg.pdf.isbn.iter().map(|i| ("print", i)).chain(cfg.epub.isbn.iter().map(|i| ("electronic", i))).collect();
    if isbns.is_empty() {
        out.push_str("<noisbn reason=\"archive_volume\"/>\n");
    }
    for (media, isbn) in isbns {
        let _ = writeln!(out, "<isbn media_type=\"{media}\">{}</isbn>", crate::identifiers::isbn_display(isbn));
    }
    let _ = writeln!(out, "<publisher><publisher_name>{}</publisher_name></publisher>", xml(publisher));
    let _ = write!(
        out,
        "<doi_data><doi>{}</doi><resource>{}</resource></doi_data>\n</book_metadata>\n",
        xml(book_doi),
        xml(&site)
    );
    for e in book.essays() {
        let lang = crate::lang::primary(&e.lang);
        let _ = writeln!(out, "<content_item component_type=\"chapter\" language=\"{}\">", xml(&lang));
        if !e.authors.is_empty() {
            out.push_str("<contributors>\n");
            for (i, a) in e.authors.iter().enumerate() {
                let (f, g) = split(a);
                xml_person(&mut out, if i == 0 { "first" } else { "additional" }, "author", (&f, &g), Some(a));
            }
            out.push_str("</contributors>\n");
        }
        let _ = write!(out, "<titles><title>{}</title>", xml(&e.title));
        if let Some(s) = &e.subtitle {
            let _ = write!(out, "<subtitle>{}</subtitle>", xml(s));
        }
        out.push_str("</titles>\n");
        xml_date(&mut out, book);
        if let Some(p) = pages.get(&e.slug) {
            let _ = writeln!(
                out,
                "<pages><first_page>{}</first_page><last_page>{}</last_page></pages>",
                xml(&p.first),
                xml(&p.last)
            );
        }
        let url = essay_url(book, &e.slug).unwrap_or_else(|| site.clone());
        let doi = e.doi.as_deref().unwrap_or_default();
        let _ = write!(
            out,
            "<doi_data><doi>{}</doi><resource>{}</resource></doi_data>\n</content_item>\n",
            xml(doi),
            xml(&url)
        );
    }
    out.push_str("</book>\n</body>\n</doi_batch>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authors_institutions_carry_their_ror_ids_into_json_ld() {
        let a = Author {
            name: "Ana Chapter".into(),
            affiliation: Some("Public Health Sciences, University of California, Davis".into()),
            affiliations: vec![Affiliation {
                name: "University of California, Davis".into(),
                department: Some("Public Health Sciences".into()),
                city: Some("Davis".into()),
                country: Some("United States".into()),
                ror: Some("05rrcem69".into()),
            }],
            ..Author::default()
        };
        let p = ld_person(&a);
        assert_eq!(p["affiliation"]["name"], "University of California, Davis");
        assert_eq!(p["affiliation"]["identifier"], "https://ror.org/05rrcem69");
        assert_eq!(p["affiliation"]["department"]["name"], "Public Health Sciences");
        assert_eq!(p["affiliation"]["address"], "Davis, United States");
        let plain = Author { name: "B".into(), affiliation: Some("Guild".into()), ..Author::default() };
        assert_eq!(ld_person(&plain)["affiliation"]["name"], "Guild");
    }
}
