//! `anthology import markdown`: a site's posts and pages (Jekyll, Hugo,
//! Quarto) and the EIP collection become contributions that check clean,
//! with what could not be carried over said at its line, nothing written
//! on a dry run, nothing replaced without `--force`, and nothing read from
//! outside the collection.

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use anthology::diagnostic::Severity;
use anthology::import::markdown::{Options, import};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anthology"))
}

fn site() -> PathBuf {
    common::repo().join("tests/fixtures/import/site")
}

/// A new book in `d`, with no contribution, that takes short texts.
fn empty_book(d: &Path) {
    std::fs::create_dir_all(d.join("contributions")).unwrap();
    std::fs::write(
        d.join("book.toml"),
        "[book]\ntitle = \"Imported\"\nlanguage = \"en\"\neditors = [\"E\"]\n\n[rules]\nmin_words = 0\ntypography = false\n",
    )
    .unwrap();
}

fn inputs() -> Vec<PathBuf> {
    vec![site().join("_posts"), site().join("content"), site().join("notes.qmd")]
}

#[test]
fn a_sites_posts_and_pages_become_contributions_that_check_clean() {
    let i = import(&inputs(), &Options::default()).unwrap();
    let by_title = |t: &str| i.essays.iter().find(|e| e.title == t).unwrap_or_else(|| panic!("{t}"));
    // Jekyll: the date from the file's name, the authors from one string,
    // the description as the summary, `# ` headings one level down.
    let post = by_title("Hello, world: a first post");
    assert_eq!(post.target, PathBuf::from("contributions/hello-world/index.md"));
    assert_eq!(post.authors, ["Ada Lovelace", "Charles Babbage"]);
    for want in [
        "date = \"2021-03-14\"",
        "summary = \"The first post of a blog imported into a book.\"",
        "handle = \"@ada\"",
        "email = \"charles@example.org\"",
        "tags = [\"welcome\", \"first post\"]",
        "## Why a blog",
        "[the second post](../bundle/index.md#details)",
        "[a Quarto page](../notes.md)",
        "and to a page that was never written.",
        "![The header image](header.png)",
        // Code is left as it is.
        "# not a heading, and [not a link](missing.md) either",
    ] {
        assert!(post.text.contains(want), "{want} in\n{}", post.text);
    }
    // Hugo: TOML front matter, a bundle's image, keywords as tags.
    let bundle = by_title("A bundle of a page");
    assert!(bundle.text.contains("date = \"2022-05-01\"") && bundle.text.contains("tags = [\"hugo\", \"bundle\"]"));
    assert!(bundle.text.contains("handle = \"@grace\"") && bundle.text.contains("affiliation = \"Navy\""));
    assert!(bundle.text.contains("[the first post](../hello-world/index.md)"), "{}", bundle.text);
    assert!(bundle.text.contains("![The logo](logo.png)"), "a site address, from Hugo's static/: {}", bundle.text);
    // Quarto: authors as tables and strings, the abstract, `published: false`.
    let notes = by_title("Notes in Quarto");
    assert_eq!(notes.authors, ["Katherine Johnson", "Dorothy Vaughan"]);
    assert!(notes.text.contains("subtitle = \"Written for a website, read in a book\""));
    assert!(notes.text.contains("abstract = \"Quarto writes an abstract"), "{}", notes.text);
    assert!(notes.text.contains("draft = true") && notes.text.contains("lang = \"en-US\""));
    assert_eq!(i.copies.len(), 3);
    // What was not carried over, each at its line.
    let said: Vec<String> = i
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.location.file.display(), d.location.line, d.message))
        .collect();
    let expect = [
        "_posts/2021-03-14-hello-world.md:2 the front matter's `layout`",
        "_posts/2021-03-14-hello-world.md:7 the front matter's `comments`",
        "_posts/2021-03-14-hello-world.md:10 1 heading one level down",
        "_posts/2021-03-14-hello-world.md:14 a link to `missing.md`",
        "_posts/2021-03-14-hello-world.md:18 a template tag (Liquid, or a Hugo shortcode), `{% include signature.html %}`",
        "notes.qmd:13 the front matter's `format`",
    ];
    assert_eq!(said.len(), expect.len(), "{said:#?}");
    for (s, e) in said.iter().zip(expect) {
        assert!(s.starts_with(e), "{s} / {e}");
    }

    // Written, the book checks without an error.
    let d = tempfile::tempdir().unwrap();
    empty_book(d.path());
    anthology::import::write(d.path(), &i, false).unwrap();
    let checked = anthology::check(d.path()).unwrap();
    assert_eq!(checked.report.errors(), 0, "{:#?}", checked.report.diagnostics);
    assert_eq!(checked.loaded.essays.len(), 3);
    assert!(d.path().join("contributions/bundle/diagram.png").is_file());
}

#[test]
fn a_dry_run_writes_nothing_and_nothing_is_replaced_without_force() {
    let d = tempfile::tempdir().unwrap();
    empty_book(d.path());
    let args = |extra: &[&str]| {
        let mut c = bin();
        c.args(["import", "markdown"]).args(inputs()).arg("--dir").arg(d.path()).args(extra);
        c.output().unwrap()
    };
    let out = args(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("dry run: 3 contributions and 3 files would be written"), "{text}");
    assert_eq!(std::fs::read_dir(d.path().join("contributions")).unwrap().count(), 0, "nothing written");
    let out = args(&["--write"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 essays checked: 0 errors"));
    // Edited since, then imported again: refused, the edit kept.
    let notes = d.path().join("contributions/notes.md");
    std::fs::write(&notes, std::fs::read_to_string(&notes).unwrap().replace("Quarto pages", "Edited pages")).unwrap();
    let out = args(&["--write"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("exist(s) already"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&notes).unwrap().contains("Edited pages"));
    let out = args(&["--write", "--force"]);
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&notes).unwrap().contains("Quarto pages"));
    // The JSON form, as check gives it.
    let out = args(&["--format", "json"]);
    let first = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["code"], "M001");
    assert_eq!(v["line"], 2);
}

#[test]
fn nothing_is_read_from_outside_the_collection_and_hostile_front_matter_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(d.path().join("secret.txt"), "not for the book").unwrap();
    std::fs::write(
        site.join("a.md"),
        "---\ntitle: A\nauthor: X\n---\n\n[secret](../secret.txt) ![passwd](/etc/passwd) [up](../../../../../etc/hostname)\n",
    )
    .unwrap();
    std::fs::write(
        site.join("bomb.md"),
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: Bomb\n---\n\nText.\n",
    )
    .unwrap();
    std::fs::write(site.join("huge.md"), "x".repeat(9 * 1024 * 1024)).unwrap();
    let opts = Options { root: Some(site.clone()), ..Options::default() };
    let i = import(std::slice::from_ref(&site), &opts).unwrap();
    assert!(i.copies.is_empty(), "{:?}", i.copies);
    let a = i.essays.iter().find(|e| e.title == "A").unwrap();
    assert!(a.text.contains("secret passwd up"), "{}", a.text);
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(said.iter().any(|m| m.contains("YAML aliases are not read")), "{said:#?}");
    assert!(said.iter().any(|m| m.contains("larger than the 8 MiB")), "{said:#?}");
    assert!(i.essays.iter().all(|e| e.title != "huge"));
}

#[test]
fn the_eip_collection_imports_whole_and_checks_clean() {
    let d = tempfile::tempdir().unwrap();
    let Some(book) = common::eips_book(d.path()) else { return };
    let checked = anthology::check(&book).unwrap();
    assert_eq!(checked.report.errors(), 0, "{:#?}", checked.report.diagnostics);
    assert_eq!(checked.loaded.essays.len(), 138);
    let text = |name: &str| std::fs::read_to_string(book.join("contributions").join(name)).unwrap();
    // Authors with their handles, the proposal's date, its own keys kept.
    let e1559 = text("eip-1559.md");
    assert!(e1559.contains("name = \"Vitalik Buterin\"\nhandle = \"@vbuterin\""), "{e1559}");
    assert!(e1559.contains("date = \"2019-04-13\""), "{e1559}");
    assert!(e1559.contains("[extra]") && e1559.contains("eip = 1559"));
    // Links between proposals point at the imported files; to one not
    // imported, at its published page.
    assert!(e1559.contains("[EIP-2718](eip-2718.md)"), "{e1559}");
    assert!(e1559.contains("https://eips.ethereum.org/LICENSE"), "the licence, not imported, on the web");
    // Assets beside their proposal.
    assert!(book.join("contributions/eip-2982/2982-issuance.png").is_file());
}

#[test]
fn an_mdbook_becomes_a_book_in_its_summarys_order() {
    let src = common::repo().join("tests/fixtures/import/mdbook");
    let i = anthology::import::mdbook::import(&src, &Options::default()).unwrap();
    let targets: Vec<String> = i.essays.iter().map(|e| e.target.display().to_string()).collect();
    assert_eq!(
        targets,
        [
            "front/avant-propos.md",
            "contributions/first/index.md",
            "contributions/nested.md",
            "contributions/second.md",
            "back/afterword.md"
        ]
    );
    let toml = i.book_toml.clone().unwrap();
    for want in [
        "title = \"Un livre en mdBook\"",
        "language = \"fr\"",
        "editors = [\"Camille Ferrand\", \"Jonah Whitfield\"]",
        "front = [\"front/avant-propos.md\"]",
        "back = [\"back/afterword.md\"]",
        "list = [\"first\", \"nested\", \"second\"]",
        "id = \"premiere-partie\"",
        "title = \"Seconde partie\"",
    ] {
        assert!(toml.contains(want), "{want} in\n{toml}");
    }
    let first = &i.essays[1].text;
    assert!(first.contains("section = \"premiere-partie\"") && first.contains("name = \"Camille Ferrand\""), "{first}");
    assert!(first.contains("[second](../second.md#suite)") && first.contains("![Une figure](figure.png)"), "{first}");
    assert!(i.diagnostics.iter().any(|d| d.message.contains("`Un brouillon` is a draft chapter")));
    // Written into a new folder, it checks without an error and builds.
    let d = tempfile::tempdir().unwrap();
    let book = d.path().join("book");
    anthology::import::write(&book, &i, false).unwrap();
    let (built, report) = anthology::prepare(&book, false).unwrap();
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
    let built = built.unwrap();
    assert_eq!(built.essays().count(), 3);
    assert_eq!(built.parts.len(), 2);
}

#[test]
fn this_guide_imports_as_an_mdbook_and_checks_clean() {
    let opts = Options { authors: vec!["The anthology developers".into()], ..Options::default() };
    let i = anthology::import::mdbook::import(&common::repo().join("docs"), &opts).unwrap();
    let d = tempfile::tempdir().unwrap();
    anthology::import::write(d.path(), &i, false).unwrap();
    let checked = anthology::check(d.path()).unwrap();
    // The guide shows Chinese and Japanese: without a face for them (Debian's
    // fonts-noto-cjk) the check says so, which is right; said plainly here,
    // and a failure in CI.
    let (no_font, errors): (Vec<_>, Vec<_>) = checked
        .report
        .diagnostics
        .iter()
        .filter(|d| d.severity == anthology::diagnostic::Severity::Error)
        .partition(|d| d.code.as_str() == "P004");
    assert!(errors.is_empty(), "{errors:#?}");
    if let Some(d) = no_font.first() {
        let message = format!("this machine lacks a face the guide needs ({}); install fonts-noto-cjk", d.message);
        assert!(!common::in_ci(), "{message}");
        eprintln!("SKIPPED in part: {message}");
    }
    let summary = std::fs::read_to_string(common::repo().join("docs/src/SUMMARY.md")).unwrap();
    let chapters = summary.lines().filter(|l| l.contains("](")).count();
    assert_eq!(i.essays.len(), chapters, "every chapter of SUMMARY.md");
}

/// A copy of the sample book in `d`.
fn sample_copy(d: &Path) {
    for f in ["contributions", "front", "back", "sections"] {
        common::copy_dir(&common::repo().join(f), &d.join(f));
    }
    std::fs::copy(common::repo().join("book.toml"), d.join("book.toml")).unwrap();
}

#[test]
fn a_roster_fills_its_authors_details_in_place_whatever_its_format() {
    let roster = common::repo().join("tests/fixtures/import/roster");
    let d = tempfile::tempdir().unwrap();
    sample_copy(d.path());
    let texts =
        |i: &anthology::import::Import| i.essays.iter().map(|e| (e.target.clone(), e.text.clone())).collect::<Vec<_>>();
    let csv = anthology::import::roster::import(d.path(), &roster.join("roster.csv")).unwrap();
    // TSV, and XLSX as LibreOffice Calc saves it, read the same.
    for other in ["roster.tsv", "roster.xlsx"] {
        let i = anthology::import::roster::import(d.path(), &roster.join(other)).unwrap();
        assert_eq!(texts(&i), texts(&csv), "{other}");
    }
    // Matched by name as French compares them: "ines abadie", "ZELIE QUERE",
    // "Maëlle  Le Gall" (two spaces).
    assert_eq!(csv.essays.len(), 3);
    let said: Vec<String> = csv.diagnostics.iter().map(|d| format!("{} {}", d.code.as_str(), d.message)).collect();
    assert!(said.contains(&"M003 `Nobody Known` matches no author of the book".to_string()), "{said:#?}");
    assert!(said.contains(&"M001 the column `favourite colour` is not read".to_string()), "{said:#?}");
    assert_eq!(said.iter().filter(|s| s.contains("has no row in the roster")).count(), 10, "{said:#?}");
    let before = std::fs::read_to_string(d.path().join("contributions/la-citation-detournee/index.md")).unwrap();
    anthology::import::write(d.path(), &csv, false).unwrap();
    let after = std::fs::read_to_string(d.path().join("contributions/la-citation-detournee/index.md")).unwrap();
    for want in [
        "bio = \"Inès Abadie écrit sur les réseaux, « en public ».\"",
        "handle = \"@ines_a\"",
        "orcid = \"0000-0002-1825-0097\"",
        "photo = \"ines.jpg\"",
        "name = \"Karim Benslimane\"",
    ] {
        assert!(after.contains(want), "{want} in\n{after}");
    }
    // Everything else of the file as it was: its body, the other author.
    assert_eq!(after.split("+++").nth(2), before.split("+++").nth(2));
    assert!(d.path().join("contributions/la-citation-detournee/ines.jpg").is_file());
    let zelie = std::fs::read_to_string(d.path().join("contributions/le-lecteur-silencieux/index.md")).unwrap();
    assert!(zelie.contains("affiliation = \"Atelier Q\""), "{zelie}");
    let checked = anthology::check(d.path()).unwrap();
    assert_eq!(checked.report.errors(), 0, "{:#?}", checked.report.diagnostics);
}

#[test]
fn a_roster_photo_outside_its_folder_is_not_copied() {
    let d = tempfile::tempdir().unwrap();
    sample_copy(&d.path().join("book"));
    let roster = d.path().join("roster");
    std::fs::create_dir_all(&roster).unwrap();
    std::fs::copy(common::repo().join("contributions/la-citation-detournee/abadie.png"), d.path().join("outside.png"))
        .unwrap();
    std::fs::write(roster.join("r.csv"), "name,photo\nInès Abadie,../outside.png\n").unwrap();
    let i = anthology::import::roster::import(&d.path().join("book"), &roster.join("r.csv")).unwrap();
    assert!(i.copies.is_empty());
    assert!(i.diagnostics.iter().any(|d| d.message.contains("is outside the roster's folder")), "{:#?}", i.diagnostics);
}

// ---- Word documents --------------------------------------------------------

use anthology::model::document::{Block, Document, Inline};

fn docx_dir() -> PathBuf {
    common::repo().join("tests/fixtures/import/docx")
}

fn docx(name: &str) -> anthology::import::Import {
    anthology::import::docx::import(&[docx_dir().join(name)], &Default::default()).unwrap()
}

#[test]
fn a_document_pandoc_wrote_becomes_a_contribution() {
    let i = docx("pandoc.docx");
    let e = &i.essays[0];
    assert_eq!(e.title, "A Word document, by way of pandoc");
    assert_eq!(e.authors, ["Ada Lovelace"]);
    assert_eq!(e.target, PathBuf::from("contributions/a-word-document-by-way-of-pandoc/index.md"));
    for want in [
        "**bold**",
        "*italic*",
        "~~struck~~",
        "mc^2^",
        "H~2~O",
        "[link to the web](https://example.org/page)",
        "“curly quotes” kept",
        "[^1]",
        "[^1]: A footnote with *emphasis* in it.",
        "### A heading of the second level",
        "- A bullet point\n    - a point under it\n- Another point",
        "1. First\n2. Second",
        "#### A third level",
        "| Apples | 3 |",
        "> A quotation set apart",
        "A line\\\nbroken by hand",
        "![A small green square](image-1.png)",
    ] {
        assert!(e.text.contains(want), "{want:?} in\n{}", e.text);
    }
    assert!(!e.text.contains("\nA small green square\n"), "the caption that repeats the description is left out");
    assert_eq!(i.files.len(), 1);
    assert!(i.diagnostics.is_empty(), "{:#?}", i.diagnostics);
}

#[test]
fn a_document_libreoffice_saved_with_tracked_changes_and_a_comment() {
    let i = docx("libreoffice.docx");
    let e = &i.essays[0];
    assert_eq!(e.title, "Revised in LibreOffice");
    assert_eq!(e.authors, ["Grace Hopper", "Katherine Johnson"], "from the By line");
    for want in [
        "[underlined]{.underline}",
        "10^th^",
        "an inserted phrase,",
        "[^1]: The footnote’s own text.",
        "## A first section",
        "- A point\n    - a point under it",
        "> A quotation in the Quotations style.",
        "| Two cells merged |  | Third |",
        "### A subsection with a text box",
        "The “last” paragraph",
    ] {
        assert!(e.text.contains(want), "{want:?} in\n{}", e.text);
    }
    assert!(!e.text.contains("a removed phrase"), "deleted text is left out");
    assert!(!e.text.contains("Is this clear?"), "comments are left out");
    assert_eq!(e.text.matches("Text inside a box").count(), 1, "a text box's text is kept once:\n{}", e.text);
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    for want in ["tracked changes", "comments", "text boxes", "merged cells"] {
        assert!(said.iter().any(|m| m.contains(want)), "{want}: {said:#?}");
    }
}

/// A DOCX made here, with `parts` as its entries, for the hostile cases.
fn hostile(d: &Path, name: &str, parts: &[(&str, &[u8])]) -> PathBuf {
    use std::io::Write;
    let path = d.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (entry, bytes) in parts {
        zip.start_file(*entry, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

#[test]
fn hostile_documents_are_refused_and_nothing_is_written() {
    let d = tempfile::tempdir().unwrap();
    let doc = b"<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>";
    let bomb = vec![b'a'; 40 * 1024 * 1024];
    let lol = b"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>";
    let image_doc = b"<?xml version=\"1.0\"?><w:document xmlns:w=\"w\" xmlns:a=\"a\" xmlns:r=\"r\"><w:body><w:p><w:r><w:drawing><a:blip r:embed=\"rId9\"/></w:drawing></w:r></w:p></w:body></w:document>";
    let rels = b"<?xml version=\"1.0\"?><Relationships><Relationship Id=\"rId9\" Type=\"image\" Target=\"media/image1.png\"/></Relationships>";
    let cases = [
        (hostile(d.path(), "bomb.docx", &[("word/document.xml", doc), ("word/styles.xml", &bomb)]), "zip bomb"),
        (
            hostile(d.path(), "escape.docx", &[("word/document.xml", doc), ("../../evil.txt", b"x")]),
            "outside the document",
        ),
        (hostile(d.path(), "lol.docx", &[("word/document.xml", lol)]), "DTD"),
        (hostile(d.path(), "empty.docx", &[("readme.txt", b"x")]), "not a Word document"),
    ];
    for (file, why) in cases {
        let err =
            anthology::import::docx::import(std::slice::from_ref(&file), &Default::default()).unwrap_err().to_string();
        assert!(err.contains(why) && err.contains("nothing was written"), "{}: {err}", file.display());
    }
    // A picture that is none is left out, said, and the text comes in.
    let fake = hostile(
        d.path(),
        "fake-image.docx",
        &[
            ("word/document.xml", image_doc),
            ("word/_rels/document.xml.rels", rels),
            ("word/media/image1.png", b"not an image at all"),
        ],
    );
    let i = anthology::import::docx::import(&[fake], &Default::default()).unwrap();
    assert!(i.files.is_empty());
    assert!(i.diagnostics.iter().any(|d| d.message.contains("cannot show (not an image)")), "{:#?}", i.diagnostics);
    std::fs::write(d.path().join("text.docx"), "plain text").unwrap();
    assert!(anthology::import::docx::import(&[d.path().join("text.docx")], &Default::default()).is_err());
}

/// A DOCX as other tools write them, made here part by part: the main
/// document under another name, lists that restart, continue, number with
/// letters or through a list style, a dropped capital, a text box written
/// twice (DrawingML and its VML fallback), an EMF picture, a code span.
#[test]
fn word_as_other_tools_write_it() {
    let d = tempfile::tempdir().unwrap();
    let w = r#"xmlns:w="w" xmlns:mc="mc" xmlns:r="r" xmlns:a="a" xmlns:wp="wp" xmlns:v="v""#;
    let p = |props: &str, text: &str| {
        format!("<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    };
    let item = |num: u32, level: u32, text: &str| {
        p(&format!("<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num}\"/></w:numPr>"), text)
    };
    let body = [
        p("<w:pStyle w:val=\"Heading1\"/>", "Word as others write it"),
        item(1, 0, "Foo"),
        item(1, 0, "Bar"),
        p("", "Interruption."),
        item(1, 0, "Bop"),
        item(2, 0, "Again from one"),
        item(1, 1, "Lettered"),
        p("<w:pStyle w:val=\"ListNumber\"/>", "By its style"),
        p("<w:framePr w:dropCap=\"drop\" w:lines=\"3\"/>", "D"),
        p("", "ropped capital."),
        "<w:p><w:r><w:t xml:space=\"preserve\">Before the box. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed text</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed text</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>".to_string(),
        "<w:p><w:r><w:drawing><wp:docPr w:id=\"1\" descr=\"A Visio diagram\"/><a:blip r:embed=\"rId9\"/></w:drawing></w:r></w:p>".to_string(),
        "<w:p><w:r><w:t xml:space=\"preserve\">Call </w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"VerbatimChar\"/></w:rPr><w:t>f(`x`)</w:t></w:r></w:p>".to_string(),
    ]
    .concat();
    let document = format!("<?xml version=\"1.0\"?><w:document {w}><w:body>{body}</w:body></w:document>");
    let styles = r#"<?xml version="1.0"?><w:styles xmlns:w="w">
        <w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
        <w:style w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/></w:style>
        <w:style w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
        </w:styles>"#;
    let numbering = r#"<?xml version="1.0"?><w:numbering xmlns:w="w">
        <w:abstractNum w:abstractNumId="0">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="5"/><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
        </w:numbering>"#;
    let package_rels = r#"<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let rels = r#"<?xml version="1.0"?><Relationships>
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
        <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.emf"/>
        </Relationships>"#;
    let emf = [1u8, 0, 0, 0, 108, 0, 0, 0, 0, 0, 0, 0];
    let file = hostile(
        d.path(),
        "others.docx",
        &[
            ("_rels/.rels", package_rels.as_bytes()),
            ("word/document2.xml", document.as_bytes()),
            ("word/_rels/document2.xml.rels", rels.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
            ("word/numbering.xml", numbering.as_bytes()),
            ("word/media/image1.emf", &emf),
        ],
    );
    let opts = anthology::import::docx::Options { authors: vec!["Ada Lovelace".into()], ..Default::default() };
    let i = anthology::import::docx::import(&[file], &opts).unwrap();
    let e = &i.essays[0];
    assert_eq!(e.title, "Word as others write it");
    assert_eq!(e.authors, ["Ada Lovelace"], "from --author");
    let body = e.text.splitn(3, "+++").nth(2).unwrap();
    for want in [
        "1. Foo\n2. Bar\n\nInterruption.\n\n3. Bop\n1. Again from one\n    a. Lettered\n5. By its style",
        "Dropped capital.",
        "Before the box.\n\nBoxed text\n\nA Visio diagram",
        "Call ``f(`x`)``",
    ] {
        assert!(body.contains(want), "{want:?} in\n{body}");
    }
    assert_eq!(body.matches("Boxed text").count(), 1, "the VML fallback is the same box");
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    for want in ["text boxes", "cannot show (EMF)"] {
        assert!(said.iter().any(|m| m.contains(want)), "{want}: {said:#?}");
    }
    assert!(!said.iter().any(|m| m.contains("letters or roman numerals")), "letters are kept: {said:#?}");
    // Read back, the lettered item is a list in the item above it.
    let doc = anthology::input::markdown::parse(body, 1).document;
    let nested = doc.blocks.iter().any(|b| match b {
        Block::List { items, .. } => items
            .iter()
            .flatten()
            .any(|b| matches!(b, Block::List { numbering: anthology::model::document::Numbering::LowerAlpha, .. })),
        _ => false,
    });
    assert!(nested, "{:#?}", doc.blocks);
}

/// The pandoc this machine has (PANDOC, `pandoc`, or pypandoc-binary's).
fn pandoc() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("PANDOC")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("pandoc")])
        .chain(
            Command::new("python3")
                .args(["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"])
                .output()
                .ok()
                .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim().to_string())),
        )
        .collect();
    let found =
        candidates.into_iter().find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()));
    common::validator(found, "pandoc is missing: python3 -m pip install pypandoc-binary")
}

/// What the round trip must keep of a text: its headings (levels), list
/// items, table cells, footnotes, links and images.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    headings: Vec<u8>,
    items: usize,
    cells: usize,
    footnotes: usize,
    links: Vec<String>,
    images: usize,
}

fn shape(doc: &Document) -> Shape {
    fn blocks(bs: &[Block], s: &mut Shape) {
        for b in bs {
            match b {
                Block::Heading { level, .. } => s.headings.push(*level),
                Block::Quote(inner) => blocks(inner, s),
                Block::List { items, .. } => {
                    s.items += items.len();
                    for i in items {
                        blocks(i, s);
                    }
                }
                Block::Table { rows, .. } => s.cells += rows.iter().map(Vec::len).sum::<usize>(),
                _ => {}
            }
        }
    }
    let mut s = Shape::default();
    blocks(&doc.blocks, &mut s);
    s.footnotes = doc.footnotes.len();
    doc.for_each_inline(&mut |i| match i {
        Inline::Link { url, .. } => s.links.push(url.clone()),
        Inline::Image { .. } => s.images += 1,
        _ => {}
    });
    s
}

#[test]
fn the_sample_essays_survive_a_round_trip_through_word() {
    let Some(pandoc) = pandoc() else { return };
    let d = tempfile::tempdir().unwrap();
    let mut compared = 0;
    let mut total = Shape::default();
    for entry in std::fs::read_dir(common::repo().join("contributions")).unwrap() {
        let dir = entry.unwrap().path();
        let file = dir.join("index.md");
        if !file.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let body = text.splitn(3, "+++").nth(2).unwrap();
        let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
        let out = d.path().join(format!("{slug}.docx"));
        // Our `##` is Word's Heading 1 (the title is its own).
        let made = Command::new(&pandoc)
            .args(["-f", "markdown-citations", "-t", "docx", "--shift-heading-level-by=-1", "--resource-path"])
            .arg(&dir)
            .arg("-o")
            .arg(&out)
            .arg("--metadata=title:T")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(body.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        assert!(made.status.success(), "pandoc: {}", String::from_utf8_lossy(&made.stderr));
        let opts = anthology::import::docx::Options { slug: Some(slug.clone()), ..Default::default() };
        let back = anthology::import::docx::import(&[out], &opts).unwrap();
        let back_body = back.essays[0].text.splitn(3, "+++").nth(2).unwrap().to_string();
        let before = shape(&anthology::input::markdown::parse(body, 1).document);
        let after = shape(&anthology::input::markdown::parse(&back_body, 1).document);
        assert_eq!(after, before, "{slug}:\n{back_body}");
        compared += 1;
        total.headings.extend(before.headings);
        total.items += before.items;
        total.cells += before.cells;
        total.footnotes += before.footnotes;
        total.links.extend(before.links);
        total.images += before.images;
    }
    println!(
        "round trip through DOCX: {compared} essays, {} headings, {} list items, {} table cells, {} footnotes, {} links, {} images kept",
        total.headings.len(),
        total.items,
        total.cells,
        total.footnotes,
        total.links.len(),
        total.images
    );
    // What the sample holds, pinned: a change to the sample shows here.
    assert_eq!(compared, 12);
    let counts = (total.headings.len(), total.items, total.cells, total.footnotes, total.links.len(), total.images);
    assert_eq!(counts, (2, 7, 35, 4, 3, 1), "{total:?}");
}

/// Papers as the Journal of Open Source Software publishes them, each a
/// `paper/paper.md` with YAML written for pandoc: two of thirty real ones
/// made the importer panic (its hand scan of links indexed past a figure
/// caption), all became `paper-N`, authors printed an affiliation's index,
/// and no bibliography came along, so every citation printed raw.
#[test]
fn papers_written_for_pandoc_import_with_their_affiliations_references_and_figures() {
    let papers = common::repo().join("tests/fixtures/import/papers");
    let i =
        import(std::slice::from_ref(&papers), &Options { root: Some(papers.clone()), ..Options::default() }).unwrap();
    let targets: Vec<&Path> = i.essays.iter().map(|e| e.target.as_path()).collect();
    assert_eq!(targets, [Path::new("contributions/alpha/index.md"), Path::new("contributions/beta.md")]);
    let alpha = &i.essays[0].text;
    for want in [
        "name = \"Ada Fixture\"",
        "affiliation = \"Institute of Imports, Lyon, France; Department of Tests, University of Nowhere\"",
        "affiliation = \"Department of Tests, University of Nowhere\"",
        "date = \"2019-12-02\"",
        "references = [\"paper.bib\"]",
        "\\autoref{fig:pipeline}",
        "](pipeline.svg \"The pipeline of alpha, from source to book.\\\\label{fig:pipeline}\"){ width=80% }",
        "A plot kept on the web\n",
        // Notes on names are notes, never part of the name.
        "note = \"Corresponding author.\"",
        "corresponding = true",
    ] {
        assert!(alpha.contains(want), "{want} in\n{alpha}");
    }
    assert!(!alpha.contains("^[") && !alpha.contains("example.org/plot.png"), "{alpha}");
    // The empty `# References` pandoc fills: the essay ends with its own bibliography.
    assert!(!alpha.contains("References"), "{alpha}");
    assert_eq!(i.essays[1].authors, ["Cleo Fixture", "Dan Fixture", "Eve Fixture"]);
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(said.iter().any(|m| m.contains("a remote image")), "{said:#?}");
    // What an author has that this format holds is no longer reported as left out.
    assert!(!said.iter().any(|m| m.contains("corresponding") || m.contains("Corresponding")), "{said:#?}");
    // Written into a book, it checks without an error and builds: the
    // citations resolve, the figure is numbered and its references link to it.
    let d = tempfile::tempdir().unwrap();
    empty_book(d.path());
    let out = bin()
        .args(["import", "markdown"])
        .arg(&papers)
        .args(["--root"])
        .arg(&papers)
        .arg("--write")
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(d.path().join("contributions/alpha/paper.bib").is_file());
    let (book, report) = anthology::prepare(d.path(), false).unwrap();
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
    let site = anthology::editions::html::render(&book.unwrap()).unwrap();
    let page = String::from_utf8(site.files[Path::new("alpha/index.html")].clone()).unwrap();
    assert!(
        page.contains("<a href=\"#s-figpipeline\">Figure 1</a>") && page.contains("Figure 1: The pipeline"),
        "{page}"
    );
    assert!(page.contains("Smith") && !page.contains("[@smith2020"), "{page}");
    assert!(!page.contains("Statement of need") && !page.contains("\\label"), "{page}");
}

/// A Quarto book in parts, as `_quarto.yml` orders it: the preface, the
/// parts (one a title, one a file that introduces it), chapters with their
/// own authors (the book's for the others), the references page left to
/// each essay, an appendix, the book's bibliography, code chunks kept as
/// code, and cross-references from one chapter to another's heading and
/// figure: it imports, checks with no diagnostic at all, and builds.
#[test]
fn a_quarto_book_in_parts_becomes_a_book_that_checks_clean() {
    let src = common::repo().join("tests/fixtures/import/quarto");
    let i = anthology::import::quarto::import(&src, &Options::default()).unwrap();
    let targets: Vec<String> = i.essays.iter().map(|e| e.target.display().to_string()).collect();
    assert_eq!(
        targets,
        [
            "front/preface.md",
            "contributions/intro.md",
            "contributions/sampling/index.md",
            "sections/results.md",
            "contributions/moisture.md",
            "back/glossary.md"
        ]
    );
    let toml = i.book_toml.clone().unwrap();
    for want in [
        "title = \"Field Notes on Soil\"",
        "editors = [\"Rosa Editor\", \"Tom Editor\"]",
        "references = [\"book.bib\"]",
        "list = [\"intro\", \"sampling\", \"moisture\"]",
        "id = \"methods\"\ntitle = \"Methods\"",
        "id = \"results\"\ntitle = \"Results\"\nintro = \"sections/results.md\"",
    ] {
        assert!(toml.contains(want), "{want} in\n{toml}");
    }
    assert_eq!(i.essays[0].title, "Preface", "the heading's attributes are not its title");
    assert_eq!(i.essays[2].authors, ["Ana Chapter"]);
    assert_eq!(i.essays[1].authors, ["Rosa Editor", "Tom Editor"], "the book's authors sign what names none");
    assert!(i.essays[2].text.contains("::: {#tbl-points}\n```r\nsummary(points)\n```"), "{}", i.essays[2].text);
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(said.iter().any(|m| m.contains("1 figure or table that code chunks draw")), "{said:?}");
    assert!(said.iter().any(|m| m.contains("`references.qmd` is the book's list of references")), "{said:?}");

    let d = tempfile::tempdir().unwrap();
    let out = bin().args(["import", "quarto"]).arg(&src).arg("--write").current_dir(d.path()).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let (book, report) = anthology::prepare(d.path(), false).unwrap();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let site = anthology::editions::html::render(&book.unwrap()).unwrap();
    let page = |p: &str| String::from_utf8(site.files[Path::new(p)].clone()).unwrap();
    assert!(page("intro/index.html").contains("<a href=\"../sampling/index.html#s-sec-sampling-grid\">The grid</a>"));
    assert!(page("moisture/index.html").contains("<a href=\"../sampling/index.html#s-fig-grid\">1</a>"));
    // Quarto's `[x](#id)` across the book: another chapter's heading, a whole chapter.
    assert!(
        page("moisture/index.html").contains("<a href=\"../sampling/index.html#s-sec-sampling-grid\">the grid</a>")
    );
    assert!(page("moisture/index.html").contains("<a href=\"../intro/index.html\">the introduction</a>"));
    // A whole chapter, by the id on its title; a file pasted by `include`.
    assert!(
        page("moisture/index.html").contains("<a href=\"../intro/index.html\">Introduction</a>"),
        "{}",
        page("moisture/index.html")
    );
    assert!(
        String::from_utf8_lossy(&std::fs::read(d.path().join("sections/results.md")).unwrap())
            .contains("weighed twice")
    );
    assert!(page("intro/index.html").contains("Jenny"), "the book's bibliography is cited from");
}

/// An edited volume as Quarto keeps one, in the forms real ones were found
/// in: `editor:` in `_quarto.yml`, chapters kept as `.md` with their own
/// authors, a callout whose title has a colon, shortcodes, a figure whose
/// caption cites, a list right after a paragraph's line, a table caption
/// right under its table, a raw LaTeX block and a bibliography that
/// repeats an entry. It imports and checks without an error, and nothing
/// of that markup reaches the site as text.
#[test]
fn an_edited_quarto_volume_imports_as_quarto_renders_it() {
    let src = common::repo().join("tests/fixtures/import/quarto-edited");
    let d = tempfile::tempdir().unwrap();
    let out = bin().args(["import", "quarto"]).arg(&src).arg("--write").current_dir(d.path()).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{said}");
    assert!(said.contains("1 Font Awesome icon (a Quarto shortcode) left out"), "{said}");
    assert!(said.contains("a raw `latex` block left out"), "{said}");
    assert!(said.contains("1 HTML tag around Markdown"), "{said}");
    // Each note at its line of the chapter.
    let line_of = |message: &str| {
        let after = &said[said.find(message).unwrap_or_else(|| panic!("{message}: {said}"))..];
        let at = after.find("survey.md:").map(|k| &after[k + 10..]).unwrap_or("");
        at.split(':').next().unwrap_or("").parse::<usize>().unwrap_or(0)
    };
    assert_eq!(line_of("Font Awesome icon"), 12, "{said}");
    assert_eq!(line_of("HTML tag around Markdown"), 31, "{said}");
    assert!(!said.contains("shortcode, `{{< meta"), "an escaped shortcode is no shortcode: {said}");
    let toml = std::fs::read_to_string(d.path().join("book.toml")).unwrap();
    assert!(toml.contains("editors = [\"Lena Editor\", \"Omar Editor\"]"), "{toml}");
    let (book, report) = anthology::prepare(d.path(), false).unwrap();
    assert_eq!(report.errors(), 0, "{:#?}", report.diagnostics);
    let codes: Vec<&str> = report.diagnostics.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, ["R009"], "the repeated entry, once: {:#?}", report.diagnostics);
    let site = anthology::editions::html::render(&book.unwrap()).unwrap();
    let page = String::from_utf8(site.files[Path::new("survey/index.html")].clone()).unwrap();
    assert!(page.contains("Before you start: the data"), "the callout's title: {page}");
    assert!(page.contains("<kbd>Ctrl-C</kbd>"), "{page}");
    assert!(
        page.contains("The panels are: 1. the tide 2. the birds") || page.contains("The panels are:\n1. the tide"),
        "{page}"
    );
    assert!(page.contains("Tidewater") && page.contains("Figure 1"), "the caption's citation is set: {page}");
    assert!(page.contains("Counts by month"), "{page}");
    // One figure for screens and another for print: numbered once, each edition its own.
    assert!(page.contains("Figure 3: The logger at work.") && !page.contains("The logger, still."), "{page}");
    assert!(page.contains("In <a href=\"#s-fig-logger\">Figure 3</a>"), "{page}");
    assert!(page.contains("<code>{{&lt; meta logger &gt;}}</code>"), "the escaped shortcode as it shows: {page}");
    assert!(page.contains("alt=\"The harbour’s logo\"") || page.contains("alt=\"The harbour's logo\""), "{page}");
    for raw in ["{{<", ":::", "{#", "[@", "@fig-", "@tbl-", "newpage", "fig-alt", "](", "{width"] {
        assert!(!page.contains(raw), "`{raw}` printed: {page}");
    }
}

#[test]
fn a_bookdown_book_becomes_a_book_whose_figures_and_references_resolve() {
    let src = common::repo().join("tests/fixtures/import/bookdown");
    let i = anthology::import::bookdown::import(&src, &Options::default()).unwrap();
    let targets: Vec<String> = i.essays.iter().map(|e| e.target.display().to_string()).collect();
    assert_eq!(
        targets,
        [
            "front/preface.md",
            "front/00-authors.md",
            "contributions/01-ponds/index.md",
            "contributions/02-counts.md",
            "contributions/03-weather.md",
            "back/90-codes.md"
        ]
    );
    let toml = i.book_toml.clone().unwrap();
    for want in [
        "title = \"A Pond Survey Handbook\"",
        "editors = [\"Mira Editor\", \"Jonas Editor\"]",
        "references = [\"book.bib\"]",
        "list = [\"01-ponds\", \"02-counts\", \"03-weather\"]",
        "id = \"in-the-field\"\ntitle = \"In the Field\"",
    ] {
        assert!(toml.contains(want), "{want} in\n{toml}");
    }
    let ponds = &i.essays[2].text;
    assert!(
        ponds.contains("::: {#fig-plots}\n![The survey plots, drawn on the **lab's** map.](<plots.png>){fig-alt=\"The survey plots, drawn on the lab's map.\"}\n\nThe survey plots, drawn on the **lab's** map.\n:::"),
        "{ponds}"
    );
    assert!(!ponds.contains("(PART)") && !ponds.contains("\\index") && !ponds.contains("(ref:"), "{ponds}");
    let counts = &i.essays[3].text;
    assert!(counts.contains("$$\nN = \\frac{M C}{R}\n$$"), "{counts}");
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    for want in [
        "`packages.bib` is not a file of the book",
        "`99-references.Rmd` is the book's list of references",
        "1 figure that code chunks include",
        "2 figures or tables that code chunks draw",
        "1 index term",
    ] {
        assert!(said.iter().any(|m| m.contains(want)), "{want}: {said:#?}");
    }

    let d = tempfile::tempdir().unwrap();
    let out = bin().args(["import", "bookdown"]).arg(&src).arg("--write").current_dir(d.path()).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let (book, report) = anthology::prepare(d.path(), false).unwrap();
    // The source's straight apostrophes (Y001) are the source's.
    let problems: Vec<_> = report.diagnostics.iter().filter(|d| !["T014", "Y001"].contains(&d.code.as_str())).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let site = anthology::editions::html::render(&book.unwrap()).unwrap();
    let page = |p: &str| String::from_utf8(site.files[Path::new(p)].clone()).unwrap();
    let counts = page("02-counts/index.html");
    // A table of another chapter, a figure drawn by code, a table kable makes, a whole chapter.
    assert!(counts.contains("<a href=\"../03-weather/index.html#s-tab-codes\">1</a>"), "{counts}");
    assert!(counts.contains("<a href=\"#s-fig-trend\">1</a>"), "{counts}");
    assert!(counts.contains("<a href=\"#s-tab-counts-table\">1</a>"), "{counts}");
    assert!(counts.contains("<a href=\"../01-ponds/index.html\">Choosing the Ponds</a>"), "{counts}");
    let ponds = page("01-ponds/index.html");
    assert!(ponds.contains("Figure 1: The survey plots"), "{ponds}");
    // pandoc's own id for a heading that has none (`# Counting Newts`).
    assert!(ponds.contains("<a href=\"../02-counts/index.html\">Counting Newts</a>"), "{ponds}");
}

#[test]
fn a_jupyter_book_becomes_a_book_with_its_figures_equations_and_notebooks() {
    let src = common::repo().join("tests/fixtures/import/jupyterbook");
    let i = anthology::import::jupyterbook::import(&src, &Options::default()).unwrap();
    let targets: Vec<String> = i.essays.iter().map(|e| e.target.display().to_string()).collect();
    assert_eq!(targets, ["front/preface.md", "contributions/growth/index.md", "contributions/model.md"]);
    let toml = i.book_toml.clone().unwrap();
    for want in [
        "title = \"Notes on Growth\"",
        "editors = [\"Ines Editor\", \"Tomas Editor\"]",
        "references = [\"refs.bib\"]",
        "list = [\"growth\", \"model\"]",
        "id = \"growth\"\ntitle = \"Growth\"",
    ] {
        assert!(toml.contains(want), "{want} in\n{toml}");
    }
    let growth = &i.essays[1].text;
    for want in [
        "[@solow1956]",
        "![Output per worker, by decade.](<growth.png>){#fig-output}",
        "$$ {#eq-motion}",
        "::: {.callout-note}",
        "::: {#fig-capital}\n```python\nplt.plot(k)\n```",
        "[the model](<../model.md>)",
    ] {
        assert!(growth.contains(want), "{want:?} in\n{growth}");
    }
    assert!(!growth.contains("{index}") && !growth.contains("(growth)="), "{growth}");
    assert!(i.essays[2].text.contains("```python\nk = 1.0"), "a notebook's code cell is code");
    let said: Vec<&str> = i.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(!said.iter().any(|m| m.contains("`jupytext` has no place")), "{said:#?}");
    for want in [
        "1 output(s) of its code cells left out",
        "1 × an index entry left out",
        "the notebook settings of 1 text (`jupytext`, `kernelspec`) left out",
    ] {
        assert!(said.iter().any(|m| m.contains(want)), "{want}: {said:#?}");
    }

    let d = tempfile::tempdir().unwrap();
    let out = bin().args(["import", "jupyterbook"]).arg(&src).arg("--write").current_dir(d.path()).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let (book, report) = anthology::prepare(d.path(), false).unwrap();
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let site = anthology::editions::html::render(&book.unwrap()).unwrap();
    let page = String::from_utf8(site.files[Path::new("growth/index.html")].clone()).unwrap();
    // A numbered equation and the reference to it, a figure a code cell draws, a notebook.
    assert!(page.contains("class=\"equation\">"), "{page}");
    assert!(page.contains("<span class=\"equation-number\">(1)</span>"), "{page}");
    assert!(page.contains("(<a href=\"#s-eq-motion\">1</a>)"), "{page}");
    assert!(page.contains("<a href=\"#s-fig-capital\">Figure 2</a>"), "{page}");
    assert!(page.contains("<a href=\"../model/index.html\">the model</a>"), "{page}");
}

/// Pieces of what the importers read, for the inputs the property tests
/// make: front matter, chunks, cross-references, directives, notebooks.
const MARKDOWN_PIECES: &[&str] = &[
    "---\n",
    "title: \"A: b\"\n",
    "author:\n  - name: Ada^[Note [x]]\n    affiliation: \"1, 9\"\n    attributes: {corresponding: true}\n",
    "affiliations:\n  - index: 1\n    name: Uni\n",
    "bibliography: [a.bib, ../../x.bib]\n",
    "date: 31 February 2020\n",
    "```{r fig-a, fig.cap='A (ref:x)'}\nplot(1)\n",
    "```\n",
    "#| label: fig-x\n#| fig-cap: \"X\"\n",
    "![a](b.png){#fig-b width=50%}",
    "![](http://example.org/x.png)",
    "\\label{fig:x}",
    " \\ref{fig:x} \\autoref{tab:y} \\@ref(fig:a) @fig-x [-@key] ",
    "::: {.callout-note title=\"T\"}\n",
    ":::\n",
    "```{note}\n",
    "```{figure} a.png\n:name: f\n",
    "{ref}`f` {numref}`Fig %s <f>` {eq}`e`",
    "$$\n\\begin{split} a \\\\ b \\end{split}\n$$ {#eq-a}\n",
    "[x]{.smallcaps}[]{#a}\\[y\\]{.z}",
    "a. one\nb. two\n",
    "(ref:x) Text.\n",
    "Table: (\\#tab:y) Cap\n",
    "`r nrow(x)`",
    "{{< include other.qmd >}}",
    "<!-- a -->",
    "[link](../chapters/intro.qmd#sec-a) [b](other.md)",
    "# (PART) Part\n",
    "# (APPENDIX) App {-}\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Term\n: Definition\n",
    "é 日本 \u{202e} ",
    "\r\n",
    "\n\n",
    "\0",
    "[",
    "]",
    "{",
    "`",
    "$",
    "^[",
    "    ",
];

fn pieced(pieces: &'static [&'static str]) -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    prop::collection::vec(prop::sample::select(pieces), 0..48).prop_map(|p| p.concat().into_bytes())
}

/// Cases per property: 48 in every `cargo test`, more for a long run
/// (`IMPORT_FUZZ_CASES=20000 cargo test --release --test import no_`).
fn fuzz_cases() -> u32 {
    std::env::var("IMPORT_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: fuzz_cases(), failure_persistence: None, ..Default::default() })]

    /// No Markdown source, however written, makes the importer panic.
    #[test]
    fn no_markdown_makes_the_importer_panic(data in pieced(MARKDOWN_PIECES)) {
        anthology::import::fuzzing::markdown(&data);
    }

    /// Nor does a book in any of the tools' layouts.
    #[test]
    fn no_book_makes_an_importer_panic(kind in 0u8..5, config in pieced(PROJECT_PIECES), text in pieced(MARKDOWN_PIECES)) {
        let mut data = vec![kind];
        data.extend(config);
        data.push(0);
        data.extend(text);
        anthology::import::fuzzing::project(&data);
    }

    /// Nor a Word document whose parts say anything, nor a real one cut or
    /// changed anywhere.
    #[test]
    fn no_word_document_makes_the_importer_panic(
        body in pieced(DOCX_PIECES),
        cut in 0usize..40_000,
        flips in proptest::collection::vec((0usize..40_000, proptest::prelude::any::<u8>()), 0..8),
    ) {
        let d = tempfile::tempdir().unwrap();
        let xml = [b"<?xml version=\"1.0\"?><w:document xmlns:w=\"w\" xmlns:r=\"r\" xmlns:a=\"a\"><w:body>".as_slice(), &body, b"</w:body></w:document>"].concat();
        let rels = b"<Relationships><Relationship Id=\"rId1\" Type=\"numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rId9\" Type=\"image\" Target=\"media/i.png\"/></Relationships>";
        let numbering = b"<w:numbering xmlns:w=\"w\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"0\"/><w:numFmt w:val=\"upperRoman\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:numFmt w:val=\"lowerLetter\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"1\"><w:startOverride w:val=\"99\"/></w:lvlOverride></w:num></w:numbering>";
        let made = hostile(d.path(), "made.docx", &[("word/document.xml", &xml), ("word/_rels/document.xml.rels", rels), ("word/numbering.xml", numbering)]);
        anthology::import::fuzzing::docx(&std::fs::read(made).unwrap());
        let mut real = std::fs::read(docx_dir().join("pandoc.docx")).unwrap();
        for (at, b) in flips {
            let n = real.len();
            real[at % n] = b;
        }
        real.truncate(cut.max(1));
        anthology::import::fuzzing::docx(&real);
    }
}

/// Pieces of the tools' configurations.
const PROJECT_PIECES: &[&str] = &[
    "book:\n  title: T\n  author: [A, B]\n",
    "  chapters:\n    - index.qmd\n    - part: P\n      chapters: [intro.qmd, ../../etc/passwd]\n",
    "  appendices: [appendix.qmd]\n",
    "bibliography: refs.bib\n",
    "rmd_files: [index.Rmd, methods.Rmd]\n",
    "format: jb-book\nroot: index\nparts:\n  - caption: P\n    chapters:\n      - file: intro\n      - file: notebook\n",
    "project:\n  toc:\n    - file: index.md\n    - title: S\n      children:\n        - file: methods.md\n",
    "[book]\ntitle = \"T\"\n",
    "\0# Summary\n\n- [Intro](intro.md)\n  - [Methods](methods.md)\n[App](appendix.md)\n",
    "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": [\"# N\\n\"]}]}",
    "\0",
    "- ",
    ": ",
    "\n",
    "  ",
];

/// Pieces of a Word document's body.
const DOCX_PIECES: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:r><w:rPr><w:b/><w:u w:val=\"single\"/><w:smallCaps/><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>x</w:t></w:r>",
    "<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>",
    "<w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>",
    "<w:pPr><w:numPr><w:ilvl w:val=\"9\"/><w:numId w:val=\"7\"/></w:numPr></w:pPr>",
    "<w:r><w:t>Text ! [ ] *</w:t></w:r>",
    "<w:r><w:drawing><a:blip r:embed=\"rId9\"/></w:drawing></w:r>",
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    "<w:txbxContent>",
    "</w:txbxContent>",
    "<w:hyperlink r:id=\"rId404\">",
    "</w:hyperlink>",
    "<w:footnoteReference w:id=\"3\"/>",
    "<w:br/>",
    "<w:tab/>",
    "<w:framePr w:dropCap=\"drop\"/>",
];

/// Every seed of `fuzz/`, among them each input a fuzzer crashed on (kept
/// as `regression-…`), goes through its entry point again.
#[test]
fn the_fuzzers_seeds_and_the_crashes_they_found_import_without_a_panic() {
    let seeds = common::repo().join("fuzz/seeds");
    let mut n = 0;
    for (target, run) in [
        ("import_markdown", anthology::import::fuzzing::markdown as fn(&[u8])),
        ("import_docx", anthology::import::fuzzing::docx),
        ("import_project", anthology::import::fuzzing::project),
    ] {
        for entry in std::fs::read_dir(seeds.join(target)).unwrap() {
            run(&std::fs::read(entry.unwrap().path()).unwrap());
            n += 1;
        }
    }
    assert!(n >= 9, "{n} seeds");
}
