//! The citations of a text as hayagriva sets them, in the styles books use.

use super::*;
use crate::model::book::{Kind, References};

fn essay(md: &str, bib: &str, lang: &str, style: Option<&str>) -> Essay {
    let mut d = Vec::new();
    let library = crate::input::references::parse(Path::new("r.bib"), bib, &mut d).unwrap().0;
    let mut body = crate::input::markdown::parse(md, 1).document;
    crate::input::citations::find(&mut body, &|k| library.get(k).is_some());
    Essay {
        kind: Kind::Essay,
        slug: "e".into(),
        file: "contributions/e.md".into(),
        dir: "contributions".into(),
        title: "E".into(),
        subtitle: None,
        summary: None,
        quote: None,
        lang: lang.into(),
        section: None,
        weight: None,
        tags: Vec::new(),
        draft: false,
        authors: Vec::new(),
        body,
        words: 0,
        images: Vec::new(),
        references: References {
            library: std::sync::Arc::new(library),
            own: Vec::new(),
            style: style.map(String::from),
        },
        doi: None,
        date: None,
        translators: Vec::new(),
        original: None,
    }
}

const BIB: &str = "@book{knuth84, author = {Knuth, Donald E.}, title = {The {\\TeX}book}, year = {1984}, publisher = {Addison-Wesley}}\n@article{lamport78, author = {Lamport, Leslie}, title = {Time, Clocks, and the Ordering of Events}, journal = {Communications of the ACM}, year = {1978}, volume = {21}, pages = {558--565}, doi = {10.1145/359545.359563}}\n@book{unused, author = {Nobody}, title = {Never cited}, year = {2000}}\n";

fn set(md: &str, style: &str, lang: &str) -> Essay {
    let mut e = essay(md, BIB, lang, None);
    let s = super::style(Path::new("."), Path::new(""), style).unwrap();
    render_text(&mut e, &s, locales());
    e
}

fn cites(e: &Essay) -> Vec<String> {
    let mut out = Vec::new();
    let mut doc = e.body.clone();
    doc.each_inline_list(&mut |l, _| {
        for i in l.iter() {
            if let Inline::Cite(c) = i {
                out.push(c.rendered.iter().map(|p| crate::model::document::plain_text(&p.content)).collect());
            }
        }
    });
    out
}

#[test]
fn texts_set_again_are_taken_from_the_process_only_when_everything_matches() {
    let s = super::style(Path::new("."), Path::new(""), "chicago-author-date").unwrap();
    let md = "As [@knuth84] shows.";
    let first = set(md, "chicago-author-date", "en");
    assert_eq!(cites(&first), vec!["(Knuth 1984)"]);
    // The same citation of a library where knuth84 is another work.
    let other = BIB.replace("year = {1984}", "year = {1986}");
    let mut e = essay(md, &other, "en", None);
    render_text(&mut e, &s, locales());
    assert_eq!(cites(&e), vec!["(Knuth 1986)"], "another library, set again");
    // Another language, another style: set again.
    assert_eq!(cites(&set(md, "chicago-author-date", "fr")), vec!["(Knuth 1984)"]);
    assert_eq!(cites(&set(md, "ieee", "en")), vec!["[1]"]);
    // The same text again: the same result.
    assert_eq!(set(md, "chicago-author-date", "en").body, first.body);
}

#[test]
fn author_date_citations_and_their_bibliography() {
    let e = set("As [@knuth84, p. 12] and @lamport78 show, [see @knuth84; @lamport78].", "chicago-author-date", "en");
    let c = cites(&e);
    assert_eq!(c[0], "(Knuth 1984, 12)");
    assert!(c[1].starts_with("Lamport (1978"), "{}", c[1]);
    assert!(c[2].contains("see Knuth 1984"), "{}", c[2]);
    let bib = e.body.bibliography.as_ref().unwrap();
    let keys: Vec<_> = bib.entries.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(keys, vec!["knuth84", "lamport78"], "only what is cited, in the style's order");
    let lamport = crate::model::document::plain_text(&bib.entries[1].content);
    assert!(lamport.contains("Time, Clocks"), "{lamport}");
    assert!(
        bib.entries[1]
            .content
            .iter()
            .any(|i| matches!(i, Inline::Link { url, .. } if url.contains("10.1145/359545.359563"))),
        "the DOI is a link: {:?}",
        bib.entries[1].content
    );
}

#[test]
fn a_suppressed_author_keeps_the_styles_brackets_as_pandoc_does() {
    let e = set("Knuth [-@knuth84] and [see -@knuth84], then Lamport [-@lamport78].", "chicago-author-date", "en");
    assert_eq!(cites(&e), vec!["(1984)", "(see 1984)", "(1978)"]);
    assert_eq!(cites(&set("Knuth [-@knuth84].", "ieee", "en")), vec!["[1]"]);
    // Its locator stays, as the style sets one (it was left out).
    let e = set("Knuth [-@knuth84, p. 3], [-@knuth84, pp. 7-9; -@lamport78, chap. 2].", "chicago-author-date", "en");
    assert_eq!(cites(&e), vec!["(1984, 3)", "(1984, 7–9; 1978, chap. 2)"]);
    let e = set("Knuth [-@knuth84, p. 3].", "apa", "en");
    assert_eq!(cites(&e), vec!["(1984, p. 3)"]);
}

#[test]
fn numeric_styles_number_within_the_text_and_label_entries() {
    let e = set("First [@lamport78], then [@knuth84, chap. 2].", "ieee", "en");
    assert_eq!(cites(&e), vec!["[1]", "[2, Ch. 2]"]);
    let bib = e.body.bibliography.unwrap();
    let labels: Vec<_> =
        bib.entries.iter().map(|b| crate::model::document::plain_text(b.label.as_ref().unwrap())).collect();
    assert_eq!(labels, vec!["[1]", "[2]"]);
}

#[test]
fn each_work_of_a_group_is_its_own_part() {
    let e = set("Both [@knuth84; @lamport78].", "ieee", "en");
    let mut doc = e.body.clone();
    let mut keys = Vec::new();
    doc.each_inline_list(&mut |l, _| {
        for i in l.iter() {
            if let Inline::Cite(c) = i {
                keys = c.rendered.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
            }
        }
    });
    assert!(keys.contains(&Some("knuth84".into())) && keys.contains(&Some("lamport78".into())), "{keys:?}");
}

#[test]
fn note_styles_put_citations_in_footnotes() {
    let e = set(
        "A claim [@knuth84, p. 3].[^n] Another [@knuth84].\n\n[^n]: A note citing [@lamport78].",
        "chicago-notes",
        "en",
    );
    let Block::Paragraph(p) = &e.body.blocks[0] else { panic!() };
    assert!(matches!(&p[1], Inline::FootnoteRef { name, .. } if name == "cite-1"), "{p:?}");
    assert_eq!(e.body.footnotes.len(), 3);
    let c = cites(&e);
    assert!(c.iter().any(|s| s.contains("Knuth") && s.contains("TeXbook")), "{c:?}");
    assert!(e.body.bibliography.is_some());
}

#[test]
fn french_terms_in_a_french_text() {
    let e = set("Selon [@knuth84, p. 12 ; @lamport78].", "chicago-author-date", "fr");
    assert!(!e.body.bibliography.as_ref().unwrap().entries.is_empty());
    let c = cites(&e);
    assert!(c[0].contains("Knuth 1984"), "{c:?}");
}

#[test]
fn styles_by_name_file_and_typo() {
    assert!(style(Path::new("."), Path::new(""), "apa").is_ok());
    let (msg, hint) = style(Path::new("."), Path::new(""), "chicago-autor-date").unwrap_err();
    assert!(msg.contains("not a bundled"));
    assert_eq!(hint, "did you mean `chicago-author-date`?");
    let (msg, _) = style(Path::new("."), Path::new(""), "../../etc/x.csl").unwrap_err();
    assert!(msg.contains("outside"), "{msg}");
}

#[test]
fn hostile_fields_stay_text() {
    let bib = "@book{x, author = {<script>alert(1)</script>}, title = {#set page(width: 1pt) $x$ \\textbf{b} </em>}, year = 2001}";
    let mut e = essay("See [@x].", bib, "en", None);
    let s = style(Path::new("."), Path::new(""), "apa").unwrap();
    render_text(&mut e, &s, locales());
    let entry = crate::model::document::plain_text(&e.body.bibliography.unwrap().entries[0].content);
    assert!(entry.contains("<script>") || entry.contains("alert"), "{entry}");
    assert!(entry.contains("#set page"), "{entry}");
}
