//! The book and its essays as web pages describe them to indexers: the
//! citation tags Google Scholar reads, Dublin Core, and schema.org JSON-LD.

use serde_json::{Value, json};

use super::{PageMap, book_url, date, essay_url, record};
use crate::model::book::{Author, Book, Essay};

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
                if let Some(u) = &i.url {
                    o["url"] = json!(u);
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
    if !e.translators.is_empty() {
        c["translator"] = json!(e.translators.iter().map(ld_person).collect::<Vec<_>>());
    }
    // A translation names the work it translates, at its own address.
    if let Some(o) = &e.original {
        let mut w = json!({ "@type": "Chapter", "name": o.title, "inLanguage": o.lang });
        if let Some(b) = &book.languages.base_url {
            w["url"] = json!(format!("{}/{}/", b.trim_end_matches('/'), e.slug));
        }
        if let Some(d) = &o.doi {
            w["sameAs"] = json!(format!("https://doi.org/{d}"));
        }
        c["translationOfWork"] = w;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::book::Affiliation;

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
                url: Some("https://www.ucdavis.edu/".into()),
            }],
            ..Author::default()
        };
        let p = ld_person(&a);
        assert_eq!(p["affiliation"]["name"], "University of California, Davis");
        assert_eq!(p["affiliation"]["identifier"], "https://ror.org/05rrcem69");
        assert_eq!(p["affiliation"]["department"]["name"], "Public Health Sciences");
        assert_eq!(p["affiliation"]["address"], "Davis, United States");
        assert_eq!(p["affiliation"]["url"], "https://www.ucdavis.edu/");
        let plain = Author { name: "B".into(), affiliation: Some("Guild".into()), ..Author::default() };
        assert_eq!(ld_person(&plain)["affiliation"]["name"], "Guild");
    }
}
