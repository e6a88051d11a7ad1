//! The book's essays as files reference managers import: BibTeX (through
//! biblatex's writer), RIS and CSL-JSON, each from the same records.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{PageMap, Record, book_url, date, record, split, split_name};
use crate::model::book::{Book, Essay};

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
        if !e.translators.is_empty() {
            entry.set("translator", normal(&names(e.translators.iter().map(split).collect())));
        }
        if let Some(o) = &e.original {
            entry.set("origtitle", verbatim(&o.title));
            entry.set("origlanguage", normal(&o.lang));
        }
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
        // RIS's subsidiary author, which reference managers read as the translator.
        for a in &e.translators {
            let (f, g) = split(a);
            ris_line(&mut out, "A4", &if g.is_empty() { f } else { format!("{f}, {g}") });
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
    if !r.essay.translators.is_empty() {
        item["translator"] = json!(r.essay.translators.iter().map(|a| person(split(a))).collect::<Vec<_>>());
    }
    if let Some(o) = &r.essay.original {
        item["original-title"] = json!(o.title);
    }
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
