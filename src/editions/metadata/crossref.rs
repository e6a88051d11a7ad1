//! The book and its essays as a Crossref deposit (the XML a DOI is
//! registered with), and what the book lacks for one.

use std::fmt::Write as _;

use super::{PageMap, book_url, date, essay_url, split, split_name};
use crate::model::book::{Affiliation, Author, Book};

/// What a deposit cannot be made without: every setting missing, said at once.
#[derive(Debug, thiserror::Error)]
#[error("a Crossref deposit needs {}", list(.0))]
pub struct Missing(pub Vec<(String, String)>);

/// Each missing thing with where to add it, one a line after the first.
fn list(missing: &[(String, String)]) -> String {
    match missing {
        [(what, hint)] => format!("{what}: {hint}"),
        more => more.iter().map(|(what, hint)| format!("\n- {what}: {hint}")).collect(),
    }
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
    let mut missing: Vec<(String, String)> = Vec::new();
    let mut need = |what: &str, hint: &str| missing.push((what.into(), hint.into()));
    if cfg.doi.is_none() {
        need("the book's DOI", "add `doi = \"10.…/…\"` to [book] in book.toml");
    }
    let site = book_url(book);
    if site.is_none() {
        need(
            "the address of the site, where each DOI resolves",
            "add `base_url = \"https://…\"` to [html] in book.toml",
        );
    }
    if cfg.crossref.depositor.is_none() {
        need("a depositor", "add `depositor = \"…\"` to [crossref] in book.toml");
    }
    if cfg.crossref.email.is_none() {
        need("the depositor's e-mail address", "add `email = \"…\"` to [crossref] in book.toml");
    }
    if cfg.crossref.registrant.is_none() && cfg.publisher.is_none() {
        need("a registrant", "add `registrant = \"…\"` to [crossref], or `publisher` to [book], in book.toml");
    }
    if cfg.publisher.is_none() {
        need("the publisher", "add `publisher = \"…\"` to [book] in book.toml");
    }
    if cfg.date.is_none() {
        need("a publication date", "add `date = \"YYYY-MM-DD\"` to [book] in book.toml");
    }
    let without: Vec<String> =
        book.essays().filter(|e| e.doi.is_none()).map(|e| crate::diagnostic::slash_path(&e.file)).collect();
    if !without.is_empty() {
        need("a DOI for every essay", &format!("add `doi = \"10.…/…\"` to the front matter of {}", without.join(", ")));
    }
    let (Some(book_doi), Some(site), Some(depositor), Some(email), Some(registrant), Some(publisher), true) = (
        cfg.doi.as_ref(),
        site,
        cfg.crossref.depositor.as_ref(),
        cfg.crossref.email.as_ref(),
        cfg.crossref.registrant.as_ref().or(cfg.publisher.as_ref()),
        cfg.publisher.as_ref(),
        missing.is_empty(),
    ) else {
        return Err(Missing(missing));
    };
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
        if !e.authors.is_empty() || !e.translators.is_empty() {
            out.push_str("<contributors>\n");
            let people = e.authors.iter().map(|a| ("author", a)).chain(e.translators.iter().map(|a| ("translator", a)));
            for (i, (role, a)) in people.enumerate() {
                let (f, g) = split(a);
                xml_person(&mut out, if i == 0 { "first" } else { "additional" }, role, (&f, &g), Some(a));
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
