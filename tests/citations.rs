//! Citable essays: citations and bibliographies in all three editions, the
//! diagnostics of `check`, hostile reference files kept as text, and the
//! records others cite the essays from (BibTeX, RIS and CSL-JSON read back
//! with a real parser, the JSON-LD parsed, the Crossref deposit walked for
//! every element Crossref requires).

use std::collections::BTreeMap;
use std::path::Path;

use anthology::editions::metadata::{self, PageMap, Pages};
use anthology::model::document::{Block, Inline};
use biblatex::ChunksExt;

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;
use common::repo;

fn prepared(dir: &Path) -> anthology::model::book::Book {
    let (book, report) = anthology::prepare(dir, false).unwrap();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    book.unwrap()
}

fn essay<'a>(book: &'a anthology::model::book::Book, slug: &str) -> &'a anthology::model::book::Essay {
    book.essays().find(|e| e.slug == slug).unwrap()
}

fn page(site: &anthology::editions::html::Site, path: &str) -> String {
    String::from_utf8(site.files[Path::new(path)].clone()).unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A small book in `dir`: `book.toml` with `extra` under [book], and one
/// essay `e/index.md` with `front` in its front matter, `body`, and a
/// `references.bib`.
fn book(dir: &Path, extra: &str, front: &str, body: &str, bib: &str) {
    write(
        dir,
        "book.toml",
        &format!("[book]\ntitle = \"Cited\"\nlanguage = \"en\"\n{extra}\n[rules]\nmin_words = 0\n"),
    );
    write(
        dir,
        "contributions/e/index.md",
        &format!("+++\ntitle = \"An essay\"\n{front}\n[[authors]]\nname = \"Ada Byron\"\n+++\n\n{body}\n"),
    );
    if !bib.is_empty() {
        write(dir, "contributions/e/references.bib", bib);
    }
}

#[test]
fn the_sample_cites_author_date_numeric_and_in_notes() {
    let b = prepared(&repo());
    // Author-date, the book's style: in the text, and a bibliography.
    let fr = essay(&b, "la-citation-detournee");
    let bib = fr.body.bibliography.as_ref().expect("a bibliography");
    assert_eq!(bib.entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["compagnon1979", "genette1987"]);
    // Numeric (IEEE) in an English essay: numbered from 1, labelled entries.
    let en = essay(&b, "archiving-the-ephemeral");
    let bib = en.body.bibliography.as_ref().unwrap();
    assert!(bib.entries.iter().all(|e| e.label.is_some()));
    // Notes (Chicago): the citations became footnotes of the essay.
    let notes = essay(&b, "la-note-de-bas-de-fil");
    assert!(notes.body.footnotes.iter().any(|n| n.name.starts_with("cite-")), "{:?}", notes.body.footnotes);
    let Block::Paragraph(p) = &notes.body.blocks[0] else { panic!() };
    assert!(!p.iter().any(|i| matches!(i, Inline::Cite(_))), "no citation is left in the text");

    let site = anthology::editions::html::render(&b).unwrap();
    let html = page(&site, "archiving-the-ephemeral/index.html");
    assert!(html.contains("<a href=\"#bib-archiving-the-ephemeral-1\" role=\"doc-biblioref\">[1]</a>"), "{html}");
    assert!(html.contains("<li id=\"bib-archiving-the-ephemeral-1\"><span class=\"label\">[1]</span>"));
    assert!(html.contains("href=\"https://doi.org/10.1371/journal.pone.0115253\""), "entries link their DOIs");
    let html = page(&site, "la-citation-detournee/index.html");
    assert!(html.contains("role=\"doc-biblioref\">Compagnon 1979</a>"), "{html}");
    assert!(html.contains("role=\"doc-biblioref\">Genette (1987)</a>"), "narrative citation");

    let epub = anthology::editions::epub::render(&b).unwrap().bytes;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut found = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        if f.name().unwrap().ends_with(".xhtml") && std::io::Read::read_to_string(&mut f, &mut s).is_ok() {
            found += usize::from(s.contains("epub:type=\"bibliography\" role=\"doc-bibliography\""));
        }
    }
    assert_eq!(found, 3, "three essays end with a bibliography in the EPUB");
}

#[test]
fn check_reports_keys_files_entries_and_styles_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    book(
        d,
        "citation_style = \"chicago-autor-date\"",
        "citation_style = \"no-such-style\"",
        "As [@knuth1984] and [@lamprt78] say.",
        "@book{knuth1984, author = {Knuth, Donald}, title = {The TeXbook}, year = 1984}\n\n@book{unused, title = {Never}, year = 2000}\n@article{lamport78, author = {Lamport, Leslie}, title = {Time}, year = 1978, journal = {CACM}}\n",
    );
    let report = anthology::check(d).unwrap().report;
    let find = |code: &str| report.diagnostics.iter().filter(|x| x.code.as_str() == code).collect::<Vec<_>>();
    let unknown = find("R001");
    assert_eq!(unknown.len(), 1, "{:?}", report.diagnostics);
    assert_eq!((unknown[0].location.line, unknown[0].location.column), (8, 22));
    assert_eq!(unknown[0].hint.as_deref(), Some("did you mean `@lamport78`?"));
    // `unused`, and `lamport78`, which only the misspelt key meant.
    let unused = find("R003");
    assert_eq!(unused.len(), 2, "{unused:?}");
    assert_eq!(unused[0].location.file, Path::new("contributions/e/references.bib"));
    assert_eq!(unused[0].location.line, 3);
    assert!(unused[0].message.contains("`unused`"));
    let styles = find("R004");
    assert_eq!(styles.len(), 2, "the book's and the essay's");
    assert!(styles.iter().any(|s| s.hint.as_deref() == Some("did you mean `chicago-author-date`?")));

    // A malformed file, at its line; a wrong ORCID iD and DOI, at theirs.
    book(
        d,
        "doi = \"10.12/x\"\n[pdf]\nisbn = \"978-0-306-40615-8\"",
        "doi = \"11.1/x\"\n[[authors]]\nname = \"Bo\"\norcid = \"0000-0002-1825-0098\"",
        "See [@a].",
        "@book{a, title = {A}, year = 2001}\n\n@book{b,\n  title = {Unclosed,\n",
    );
    let report = anthology::check(d).unwrap().report;
    let find = |code: &str| report.diagnostics.iter().filter(|x| x.code.as_str() == code).collect::<Vec<_>>();
    let syntax = find("R002");
    assert_eq!(syntax.len(), 1, "{:?}", report.diagnostics);
    assert!(syntax[0].location.line >= 3);
    let ids = find("R005");
    let lines: Vec<_> = ids.iter().map(|x| (x.location.file.display().to_string(), x.location.line)).collect();
    assert!(lines.contains(&("book.toml".into(), 6)), "{lines:?}");
    assert!(lines.contains(&("contributions/e/index.md".into(), 3)), "{lines:?}");
    assert!(lines.contains(&("contributions/e/index.md".into(), 6)), "{lines:?}");
    assert!(ids.iter().any(|x| x.message.contains("ends in 7")), "the ORCID check digit is named");
}

#[test]
fn a_book_without_references_keeps_its_handles_and_brackets() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "", "", "Write to [@maryam] or @maryam, [see @here].", "");
    let b = prepared(dir.path());
    let text = anthology::model::document::plain_text(match &essay(&b, "e").body.blocks[0] {
        Block::Paragraph(p) => p,
        _ => panic!(),
    });
    assert_eq!(text, "Write to [@maryam] or @maryam, [see @here].");
}

#[test]
fn the_books_references_and_a_csl_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    book(d, "references = \"shared.yaml\"\ncitation_style = \"styles/mine.csl\"", "", "Cited [@shared].", "");
    write(d, "shared.yaml", "shared:\n  type: book\n  title: A Shared Work\n  author: Doe, Jane\n  date: 2001\n");
    // A dependent style whose parent is bundled: APA.
    write(
        d,
        "styles/mine.csl",
        r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info><title>Mine</title><id>http://example.org/mine</id>
    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>
    <updated>2026-01-01T00:00:00+00:00</updated></info>
</style>"#,
    );
    let b = prepared(d);
    let entry = &essay(&b, "e").body.bibliography.as_ref().unwrap().entries[0];
    let text = anthology::model::document::plain_text(&entry.content);
    assert!(text.starts_with("Doe, J. (2001)"), "APA through the dependent style: {text}");
}

/// The runs of text of inline content.
fn texts(list: &[Inline]) -> Vec<String> {
    let mut out = Vec::new();
    for i in list {
        match i {
            Inline::Text { text, .. } => out.push(text.clone()),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Sup(c) | Inline::Sub(c) => out.extend(texts(c)),
            Inline::Link { content, .. } => out.extend(texts(content)),
            _ => {}
        }
    }
    out
}

/// Hostile fields: HTML, typst and TeX markup, very long values.
fn hostile() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("#set page(width: 1pt) #panic(\"x\")".to_string()),
        Just("$x^2$ \\textbf{bold} \\input{/etc/passwd}".to_string()),
        Just("</li></ul><img src=x onerror=alert(1)>".to_string()),
        Just("]] [link](javascript:alert(1)) *a* _b_".to_string()),
        "[a-zA-Z<>&\"'#$\\[\\]{}()\\\\ ]{0,40}",
        Just("x".repeat(5000)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
    #[test]
    fn hostile_references_stay_text_in_every_edition(title in hostile(), author in hostile()) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Braces balanced for the BibLaTeX reader; everything else as it comes.
        // (an odd number of `$` opens math that never closes: an error `check` reports).
        let clean = |s: &str| {
            let s = s.replace(['{', '}', '@', '%', '\\'], " ");
            if s.matches('$').count() % 2 == 1 { s.replace('$', " ") } else { s }
        };
        let bib = format!("@book{{h, title = {{{}}}, author = {{{}}}, year = 2001, publisher = {{P}}}}\n", clean(&title), clean(&author));
        book(d, "", "", "See [@h].", &bib);
        let b = prepared(d);
        let e = essay(&b, "e");
        let entry = anthology::model::document::plain_text(&e.body.bibliography.as_ref().unwrap().entries[0].content);
        let site = anthology::editions::html::render(&b).unwrap();
        let html = page(&site, "e/index.html");
        proptest::prop_assert!(!html.contains("<script>alert"));
        proptest::prop_assert!(!html.contains("<img src=x"));
        proptest::prop_assert!(!html.contains("href=\"javascript"));
        // The site's text is the entry's, every run of it escaped once.
        let _ = entry;
        for run in texts(&e.body.bibliography.as_ref().unwrap().entries[0].content) {
            let escaped = anthology::editions::xhtml::escape(&run);
            proptest::prop_assert!(html.contains(&escaped), "{escaped}");
        }
        // The typst markup escapes every character that could start markup.
        let images = std::collections::HashMap::new();
        let links = anthology::editions::typst::markup::Links::default();
        let markup = anthology::editions::typst::markup::essay_body(e, &images, 2, &links, "References").text;
        for bad in ["#set page", "#panic", "$x^2$"] {
            let unescaped = markup.match_indices(bad).any(|(i, _)| !markup[..i].ends_with('\\'));
            proptest::prop_assert!(!unescaped, "{bad} in {markup}");
        }
        // The EPUB's documents stay well-formed XML.
        let epub = anthology::editions::epub::render(&b).unwrap().bytes;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            if !name.ends_with(".xhtml") { continue; }
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            let mut r = quick_xml::Reader::from_str(&s);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(err) => proptest::prop_assert!(false, "{name} is not well-formed: {err}"),
                }
            }
        }
    }
}

/// A copy of the sample book in `d`, with `more` at the end of its
/// `book.toml`; returns the sample's own `book.toml`.
fn sample_copy(d: &Path, more: &str) -> String {
    for f in ["contributions", "front", "back", "sections"] {
        common::copy_dir(&repo().join(f), &d.join(f));
    }
    let toml = std::fs::read_to_string(repo().join("book.toml")).unwrap();
    write(d, "book.toml", &format!("{toml}{more}"));
    toml
}

/// Pages as the PDF would give them, for the records.
fn pages(book: &anthology::model::book::Book) -> PageMap {
    book.essays()
        .enumerate()
        .map(|(i, e)| (e.slug.clone(), Pages { first: (10 + 4 * i).to_string(), last: (12 + 4 * i).to_string() }))
        .collect()
}

#[test]
fn bibtex_ris_and_csl_json_read_back() {
    let b = prepared(&repo());
    let p = pages(&b);
    let essays: Vec<_> = b.essays().collect();
    let bib = metadata::bibtex(&b, &essays, &p);
    let parsed = biblatex::Bibliography::parse(&bib).unwrap();
    assert_eq!(parsed.len(), essays.len());
    let e = parsed.get("regards-croises-archiving-the-ephemeral").unwrap();
    assert_eq!(e.doi().unwrap(), "10.5555/regards-croises.archiving");
    assert_eq!(e.title().unwrap().format_verbatim(), "Archiving the Ephemeral");
    assert_eq!(e.book_title().unwrap().format_verbatim(), "Regards croisés sur les réseaux");
    // RIS: every line a tag, two spaces, a dash; every record closed.
    let ris = metadata::ris(&b, &essays, &p);
    let mut records: Vec<BTreeMap<String, Vec<String>>> = Vec::new();
    let mut current = BTreeMap::new();
    for line in ris.split("\r\n").filter(|l| !l.is_empty()) {
        let (tag, value) = line.split_once("  - ").unwrap_or_else(|| panic!("not a RIS line: {line:?}"));
        assert!(tag.len() == 2 && tag.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()), "{tag}");
        if tag == "ER" {
            records.push(std::mem::take(&mut current));
        } else {
            current.entry(tag.to_string()).or_insert_with(Vec::new).push(value.to_string());
        }
    }
    assert_eq!(records.len(), essays.len());
    assert!(records.iter().all(|r| r["TY"] == ["CHAP"] && r.contains_key("SP") && r.contains_key("EP")));
    let two = records.iter().find(|r| r["TI"][0].starts_with("La citation")).unwrap();
    assert_eq!(two["AU"], ["Abadie, Inès", "Benslimane, Karim"]);
    let json: serde_json::Value = serde_json::from_str(&metadata::csl_json(&b, &essays, &p)).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), essays.len());
    let a = items.iter().find(|i| i["DOI"] == "10.5555/regards-croises.archiving").unwrap();
    assert_eq!(a["type"], "chapter");
    assert_eq!(a["author"][0]["family"], "Lindqvist");
    assert_eq!(a["container-title"], "Regards croisés sur les réseaux");
}

#[test]
fn essay_pages_carry_scholar_tags_json_ld_and_a_cite_block() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_copy(d, "\n[html]\nbase_url = \"https://example.org/rc/\"\n");
    let b = prepared(d);
    let mut site = anthology::editions::html::render_pending(&b, &Default::default(), &[]).unwrap();
    let print = anthology::editions::html::cite::Print {
        pages: pages(&b),
        offprints: vec![("archiving-the-ephemeral".into(), b"%PDF-1.7".to_vec())],
        downloads: Vec::new(),
    };
    site.finish(&b, &print);
    let html = page(&site, "archiving-the-ephemeral/index.html");
    for tag in [
        "<meta name=\"citation_title\" content=\"Archiving the Ephemeral\">",
        "<meta name=\"citation_author\" content=\"Åsa Lindqvist\">",
        "<meta name=\"citation_author_orcid\" content=\"https://orcid.org/0000-0002-1825-0097\">",
        "<meta name=\"citation_inbook_title\" content=\"Regards croisés sur les réseaux\">",
        "<meta name=\"citation_doi\" content=\"10.5555/regards-croises.archiving\">",
        "<meta name=\"citation_pdf_url\" content=\"https://example.org/rc/archiving-the-ephemeral/regards-croises-archiving-the-ephemeral.pdf\">",
        "<meta name=\"citation_publication_date\" content=\"2026/11/27\">",
        "<meta name=\"DC.identifier\" content=\"https://doi.org/10.5555/regards-croises.archiving\">",
    ] {
        assert!(html.contains(tag), "{tag} missing");
    }
    assert!(html.contains("<meta name=\"citation_firstpage\""), "pages from the PDF");
    assert!(!html.contains("lindqvist@imaginary-archive.example"), "an e-mail address is printed only when public");
    assert!(!html.contains("<!--anthology:"), "every marker is filled");
    let ld = html.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "Chapter");
    assert_eq!(ld["isPartOf"]["@type"], "Book");
    assert_eq!(ld["author"][0]["identifier"], "https://orcid.org/0000-0002-1825-0097");
    assert!(html.contains("<section class=\"cite\""));
    assert!(site.files.contains_key(Path::new("archiving-the-ephemeral/regards-croises-archiving-the-ephemeral.pdf")));
    for f in ["cite.bib", "cite.ris", "cite.json"] {
        assert!(site.files.contains_key(Path::new(f)), "{f}");
    }
    // The essay's record downloads from its page: a data: address, decoded here.
    let href =
        html.split("<a href=\"data:application/x-bibtex;charset=utf-8,").nth(1).unwrap().split('"').next().unwrap();
    let mut bytes = Vec::new();
    let mut it = href.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex = [it.next().unwrap(), it.next().unwrap()];
            bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
        } else {
            bytes.push(b);
        }
    }
    let record = biblatex::Bibliography::parse(&String::from_utf8(bytes).unwrap()).unwrap();
    assert_eq!(record.iter().next().unwrap().key, "regards-croises-archiving-the-ephemeral");
    let home = page(&site, "index.html");
    let ld = home.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "Book");
    assert_eq!(ld["identifier"]["value"], "10.5555/regards-croises");
    assert!(home.contains("<meta name=\"citation_title\" content=\"Regards croisés sur les réseaux\">"));
    assert!(home.contains("<h2 id=\"cite-book\">Citer ce livre</h2>"), "{home}");
    let whole = biblatex::Bibliography::parse(&page(&site, "cite.bib")).unwrap();
    assert_eq!(whole.len(), b.essays().count() + 1, "the book, then each essay");
    assert_eq!(whole.iter().next().unwrap().entry_type, biblatex::EntryType::Collection);
}

#[test]
fn the_crossref_deposit_has_every_required_element() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let toml = sample_copy(d, "");
    let b = prepared(d);
    // The sample gives no base_url, no depositor and not every essay a DOI:
    // the deposit says all that is missing at once, one a line.
    let err = metadata::crossref(&b, &pages(&b)).unwrap_err().to_string();
    for want in
        ["\n- the address of the site", "\n- a depositor: ", "\n- the depositor's e-mail", "\n- a DOI for every essay"]
    {
        assert!(err.contains(want), "{want:?} not in {err}");
    }
    write(
        d,
        "book.toml",
        &format!(
            "{toml}\n[html]\nbase_url = \"https://example.org/rc\"\n\n[crossref]\ndepositor = \"Éditions du Quai\"\nemail = \"doi@example.org\"\n"
        ),
    );
    let b = prepared(d);
    let err = metadata::crossref(&b, &pages(&b)).unwrap_err().to_string();
    assert!(err.contains("a DOI for every essay") && err.contains("contributions/"), "{err}");
    for e in b.essays().filter(|e| e.doi.is_none()) {
        let path = d.join(&e.file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("+++\n", &format!("+++\ndoi = \"10.5555/rc.{}\"\n", e.slug), 1)).unwrap();
    }
    // Structured institutions, with a ROR id, for an essay's last author.
    let essay = d.join("contributions/archiving-the-ephemeral/index.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    let close = text[4..].find("\n+++").unwrap() + 4;
    let institution = "\n[[authors.affiliations]]\nname = \"University of California, Davis\"\ndepartment = \"Public Health Sciences\"\ncity = \"Davis\"\nror = \"https://ror.org/05rrcem69\"";
    std::fs::write(&essay, format!("{}{institution}{}", &text[..close], &text[close..])).unwrap();
    let b = prepared(d);
    let xml = metadata::crossref(&b, &pages(&b)).unwrap();
    // Walk it: every element by its path from the root.
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut stack: Vec<String> = Vec::new();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut chapters = 0;
    loop {
        match r.read_event().unwrap() {
            quick_xml::events::Event::Start(s) => {
                let name = s.name().as_ref().to_string();
                if name == "content_item" {
                    let kind = s.try_get_attribute("component_type").unwrap().unwrap();
                    assert_eq!(&*kind.value, "chapter");
                    chapters += 1;
                }
                stack.push(name);
            }
            quick_xml::events::Event::Empty(s) => {
                let name = s.name().as_ref().to_string();
                seen.entry(format!("{}/{name}", stack.join("/"))).or_default();
            }
            quick_xml::events::Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                seen.entry(stack.join("/")).or_default().push(text);
            }
            quick_xml::events::Event::End(_) => {
                stack.pop();
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty());
    assert_eq!(chapters, b.essays().count());
    for required in [
        "doi_batch/head/doi_batch_id",
        "doi_batch/head/timestamp",
        "doi_batch/head/depositor/depositor_name",
        "doi_batch/head/depositor/email_address",
        "doi_batch/head/registrant",
        "doi_batch/body/book/book_metadata/titles/title",
        "doi_batch/body/book/book_metadata/publication_date/year",
        "doi_batch/body/book/book_metadata/noisbn",
        "doi_batch/body/book/book_metadata/publisher/publisher_name",
        "doi_batch/body/book/book_metadata/doi_data/doi",
        "doi_batch/body/book/book_metadata/doi_data/resource",
        "doi_batch/body/book/content_item/contributors/person_name/surname",
        "doi_batch/body/book/content_item/contributors/person_name/ORCID",
        "doi_batch/body/book/content_item/titles/title",
        "doi_batch/body/book/content_item/pages/first_page",
        "doi_batch/body/book/content_item/pages/last_page",
        "doi_batch/body/book/content_item/doi_data/doi",
        "doi_batch/body/book/content_item/doi_data/resource",
    ] {
        assert!(seen.contains_key(required), "{required} missing from\n{xml}");
    }
    let institution = "doi_batch/body/book/content_item/contributors/person_name/affiliations/institution";
    assert!(seen[&format!("{institution}/institution_id")].contains(&"https://ror.org/05rrcem69".to_string()), "{xml}");
    assert!(seen[&format!("{institution}/institution_department")].contains(&"Public Health Sciences".to_string()));
    assert!(
        seen[&format!("{institution}/institution_name")].contains(&"Guild of Invented Indexers".to_string()),
        "a text affiliation is an institution's name"
    );
    let resources = &seen["doi_batch/body/book/content_item/doi_data/resource"];
    assert!(resources.contains(&"https://example.org/rc/archiving-the-ephemeral/".to_string()), "{resources:?}");
    assert_eq!(seen["doi_batch/head/timestamp"], ["20261127000000"]);
    let dois = &seen["doi_batch/body/book/content_item/doi_data/doi"];
    assert_eq!(dois.len(), chapters);
}

/// "Cite this essay" of "Archiving the Ephemeral" as the finished site sets
/// it, with each `(file, from, to)` replaced in the sample's file.
fn cite_text(edits: &[(&str, &str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_copy(d, "");
    for (file, from, to) in edits {
        let text = std::fs::read_to_string(d.join(file)).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        write(d, file, &text.replacen(from, to, 1));
    }
    let b = prepared(d);
    let mut site = anthology::editions::html::render_pending(&b, &Default::default(), &[]).unwrap();
    let print = anthology::editions::html::cite::Print { pages: pages(&b), ..Default::default() };
    site.finish(&b, &print);
    let html = page(&site, "archiving-the-ephemeral/index.html");
    let start = html.find("<div class=\"cite-text\">").expect("a cite block");
    html[start..].split("</div>").next().unwrap().to_string()
}

/// An English title is title-cased by the style, save for what the editor
/// wrote: before, "ISS" as a title's last word became "Iss".
#[test]
fn titles_are_cited_as_written() {
    let text = cite_text(&[
        ("book.toml", "language = \"fr\"", "language = \"en\""),
        ("contributions/archiving-the-ephemeral/index.md", "Archiving the Ephemeral", "Archiving the ISS"),
    ]);
    assert!(text.contains("“Archiving the ISS.”"), "{text}");
}

#[test]
fn set_citations_are_kept_by_style_and_language_within_a_process() {
    // Set entries are kept for the next build of the process (watch): the
    // same entry under another style or language is set again.
    let style = "citation_style = \"chicago-author-date\"";
    let chicago = cite_text(&[("book.toml", style, style)]);
    let ieee = cite_text(&[("book.toml", style, "citation_style = \"ieee\"")]);
    let english = cite_text(&[("book.toml", "language = \"fr\"", "language = \"en\"")]);
    assert_ne!(chicago, ieee, "{chicago}\n{ieee}");
    assert_ne!(chicago, english, "{chicago}\n{english}");
    assert_eq!(chicago, cite_text(&[("book.toml", style, style)]), "the kept entry is the one set the first time");
}
