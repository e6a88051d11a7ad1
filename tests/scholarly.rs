//! Scholarly Markdown as pandoc and Quarto read it, in every edition: the
//! golden book `tests/fixtures/valid/scholarly` (figures with ids in three
//! syntaxes, cross-references, callouts, inline notes, superscripts and
//! subscripts, an HTML comment) builds with no diagnostic, and what it
//! means reaches the site, the EPUB and the PDF's markup, never the markup
//! itself. EPUBCheck and the Nu checker see the book with the others
//! (`common::conformance_books`).

use std::path::Path;

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;
use common::repo;

fn book() -> anthology::model::book::Book {
    let (book, report) = anthology::prepare(&repo().join("tests/fixtures/valid/scholarly"), false).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    book.unwrap()
}

fn page(site: &anthology::editions::html::Site, path: &str) -> String {
    String::from_utf8(site.files[Path::new(path)].clone()).unwrap()
}

/// The paper's page on the site and its chapter in the EPUB.
fn paper_pages(book: &anthology::model::book::Book) -> [(&'static str, String); 2] {
    let site = anthology::editions::html::render(book).unwrap();
    let epub = anthology::editions::epub::render(book).unwrap().bytes;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut chapter = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("EPUB/essay-growth-curves.xhtml").unwrap(), &mut chapter).unwrap();
    [("site", page(&site, "growth-curves/index.html")), ("EPUB", chapter)]
}

/// The text of the book's PDF.
fn pdf_text(book: &anthology::model::book::Book) -> String {
    use anthology::editions::typst;
    let fonts = std::sync::Arc::new(typst::fonts_for(book).unwrap());
    let s = typst::sources(book, &fonts).unwrap();
    let w = typst::world(book, &s, fonts, &Default::default()).unwrap();
    let (_, set) = typst::compile(book, &s, &w, &typst::pieces::Layouts::default()).unwrap();
    common::text_of(set.doc())
}

#[test]
fn figures_references_and_callouts_reach_the_site() {
    let site = anthology::editions::html::render(&book()).unwrap();
    let paper = page(&site, "growth-curves/index.html");
    for want in [
        "<figure id=\"s-fig-bars\">",
        "<figcaption>Figure 1: Bars of the two curves at five ages</figcaption>",
        "<figure id=\"s-figstack\">",
        "<figcaption>Figure 2: Stacked totals for the same ages.</figcaption>",
        "<a href=\"#s-fig-bars\">Figure 1</a>",
        "<a href=\"#s-figstack\">Figure 2</a>",
        "<a href=\"#s-fig-bars\">1</a>",
        "<a href=\"#s-sec-background\">Background</a>",
        "<a href=\"#s-secmethod\">Method</a>",
        "<h2 id=\"s-sec-background\">",
        "<h2 id=\"s-secmethod\">Method</h2>",
        "<aside class=\"callout callout-tip\" role=\"note\">",
        "<table id=\"s-tbl-ages\">\n<caption>Table 1: The share of the limit reached, by age</caption>",
        "<a href=\"#s-tbl-ages\">Table 1</a>",
        "<a href=\"#s-fig-code\">Figure 3</a>",
        "<a href=\"#s-lst-calls\">Listing 1</a>",
        "<figcaption>Listing 1: The first call</figcaption></figure>",
        "<figcaption>Figure 3: The two calls that draw the curves</figcaption></figure>",
        "<strong>Reading the figures</strong>",
        "<strong>Small samples</strong>",
        "<aside class=\"callout callout-note\" role=\"note\">",
        "<strong>Note</strong>",
        "H<sub>2</sub>O",
        "2<sup>10</sup>",
        "Written inline,",
        "A margin remark, kept as text.",
    ] {
        assert!(paper.contains(want), "{want} not in\n{paper}");
    }
    for never in ["<!--", "Reviewers asked", "{#", "\\label", "\\autoref", "@fig", "@sec", ":::", "^[", "[!NOTE]"] {
        assert!(!paper.contains(never), "{never} in\n{paper}");
    }
    let note = page(&site, "note-breve/index.html");
    assert!(note.contains("<strong>Important</strong>") && note.contains("<strong>Attention</strong>"), "{note}");
    // Bracketed spans: styles, a language, an anchor a link reaches; escaped brackets are text.
    for want in [
        "<span class=\"smallcaps\">petites capitales</span>",
        "<span class=\"underline\">souligné</span>",
        "<mark>surligné</mark>",
        "<span lang=\"en-GB\">as they say</span>",
        "ancre<span id=\"s-ici\"></span>",
        "<a href=\"#s-ici\">ce lien</a>",
        // A list numbered with letters.
        "<ol type=\"a\"><li>Lire le texte</li>",
        "texte\u{a0}: [ceci].",
    ] {
        assert!(note.contains(want), "{want} not in\n{note}");
    }
    // A reference to another essay's heading or figure leads there.
    assert!(note.contains("<a href=\"../growth-curves/index.html#s-sec-background\">Background</a>"), "{note}");
    assert!(note.contains("<a href=\"../growth-curves/index.html#s-fig-bars\">1</a>"), "{note}");
}

#[test]
fn the_pdf_markup_numbers_figures_once_and_labels_what_references_reach() {
    let book = book();
    let essay = book.essays().find(|e| e.slug == "growth-curves").unwrap();
    let images: std::collections::HashMap<String, String> =
        [("bars.svg", "/assets/0"), ("stack.svg", "/assets/1")].map(|(a, b)| (a.to_string(), b.to_string())).into();
    let links = anthology::editions::typst::markup::Links::default();
    let markup = anthology::editions::typst::markup::essay_body(essay, &images, 2, &links, "References").text;
    for want in [
        "caption: [Figure 1\\: Bars of the two curves at five ages])<h-growth-curves-fig-bars>",
        "caption: [Figure 2\\: Stacked totals for the same ages\\.])<h-growth-curves-figstack>",
        "stroke: 0.8pt + rgb(\"#2e7d32\"))[#strong[Reading the figures];",
        "#block(width: 100%, sticky: true, below: 0.6em)[#emph[Table 1\\: The share of the limit reached, by age];]<h-growth-curves-tbl-ages>",
        "stroke: 0.8pt + rgb(\"#9a5b00\"))[#strong[Small samples];",
        "stroke: 0.8pt + rgb(\"#2a5ca8\"))[#strong[Note];",
    ] {
        assert!(markup.contains(want), "{want} not in\n{markup}");
    }
    let note = book.essays().find(|e| e.slug == "note-breve").unwrap();
    let markup = anthology::editions::typst::markup::essay_body(note, &images, 2, &links, "Références").text;
    for want in [
        "#smallcaps[petites capitales];",
        "#underline[souligné];",
        "#highlight[surligné];",
        "#text(lang: \"en\", region: \"GB\")[#[as they say];];",
        "ancre#[]<h-note-breve-ici>",
        "#enum(start: 1, tight: true, numbering: \"a.\", [Lire le texte",
    ] {
        assert!(markup.contains(want), "{want} not in\n{markup}");
    }
    // The book's template turns typst's own figure numbering off, so that
    // no caption reads "Figure 1: Figure 1: …".
    assert!(anthology::editions::typst::DEFAULT_TEMPLATE.contains("#set figure(numbering: none)"));
}

#[test]
fn the_abstract_is_printed_under_the_byline_in_every_edition() {
    let book = book();
    let abstract_ = "<section class=\"abstract\" role=\"doc-abstract\">\n<p class=\"abstract-title\"><strong>Abstract</strong></p>\n<p>We compare <em>three</em> growth curves on five ages.</p>\n<p>The logistic curve fits best.</p>\n</section>";
    for (edition, text) in paper_pages(&book) {
        let at = text.find(abstract_).unwrap_or_else(|| panic!("{edition}: no abstract in {text}"));
        assert!(text.find("class=\"byline\"").is_some_and(|b| b < at), "{edition}: the abstract before the byline");
    }
    let text = pdf_text(&book);
    let at = text.find("Abstract").expect("no abstract in the PDF");
    assert!(text[at..].contains("We compare three growth curves"), "{text}");
}

#[test]
fn notes_on_names_are_marked_notes_in_every_edition() {
    let book = book();
    let byline = "Ines Workshop<sup class=\"name-mark\">*\u{2020}</sup> and Tom Sample<sup class=\"name-mark\">\u{2020}\u{2021}\u{a7}</sup>";
    let notes = [
        "<p><sup>*</sup>\u{a0}Corresponding author</p>",
        "<p><sup>\u{2020}</sup>\u{a0}Equal contribution</p>",
        "<p><sup>\u{2021}</sup>\u{a0}Now at the Bureau of Examples.</p>",
        "<p><sup>\u{a7}</sup>\u{a0}Contributions: Writing \u{2013} original draft, Formal analysis (lead)</p>",
    ];
    let pages = paper_pages(&book);
    for (edition, text) in &pages {
        assert!(text.contains(&format!("<p class=\"byline\">{byline}</p>")), "{edition}: {text}");
        for n in notes {
            assert!(text.contains(n), "{edition}: {n} not in {text}");
        }
    }
    // The site's page names its author without the marks.
    assert!(pages[0].1.contains("<meta name=\"author\" content=\"Ines Workshop and Tom Sample\">"));
    let text = pdf_text(&book);
    for want in [
        "Ines Workshop",
        "Corresponding author",
        "Equal contribution",
        "Now at the Bureau of Examples.",
        "Formal analysis (lead)",
    ] {
        assert!(text.contains(want), "{want} not in the PDF: {text}");
    }
}

#[test]
fn the_book_builds_in_every_edition() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("tests/fixtures/valid/scholarly"), dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anthology"))
        .args(["build", "--format", "pdf,epub,html"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("dist/proceedings-of-a-small-workshop.pdf").is_file());
}
