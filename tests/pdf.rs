//! The PDF edition: the sample book's generated typst is pinned as a snapshot
//! (`tests/snapshots/sample/`; `UPDATE_SNAPSHOTS=1` rewrites it), the PDF is
//! deterministic, and nothing an author writes can become typst code.

use anthology::editions::{Edition, Editions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anthology::editions::typst::markup::escape;
use anthology::editions::typst::world::BookWorld;
use anthology::fonts::Fonts;
use proptest::prelude::*;
use typst_layout::PagedDocument;

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;
use common::text_of;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> anthology::model::book::Book {
    let (book, report) = anthology::prepare(&repo(), false).unwrap();
    assert_eq!(report.errors(), 0);
    book.unwrap()
}

#[test]
fn generated_typst_of_the_sample_book_matches_the_snapshot() {
    let book = sample();
    let s = anthology::editions::typst::sources(&book, &anthology::editions::typst::fonts_for(&book).unwrap()).unwrap();
    let dir = repo().join("tests/snapshots/sample");
    let mut files: Vec<(PathBuf, String)> = vec![(PathBuf::from("book.json"), s.data.clone())];
    for (path, text) in &s.markup {
        files.push((PathBuf::from(path.trim_start_matches('/')), text.clone()));
    }
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (p, text) in &files {
            std::fs::create_dir_all(dir.join(p).parent().unwrap()).unwrap();
            std::fs::write(dir.join(p), text).unwrap();
        }
    }
    let mut mismatches = Vec::new();
    for (p, text) in &files {
        match std::fs::read_to_string(dir.join(p)) {
            Ok(expected) if &expected == text => {}
            Ok(_) => mismatches.push(format!("{} differs", p.display())),
            Err(_) => mismatches.push(format!("{} is not in the snapshot", p.display())),
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:?}\nrun with UPDATE_SNAPSHOTS=1 and review the diff");
}

#[test]
fn the_sample_book_typesets_to_the_same_bytes_twice() {
    let book = sample();
    let a = anthology::editions::typst::render(&book).unwrap();
    let b = anthology::editions::typst::render(&book).unwrap();
    assert!(a.bytes.starts_with(b"%PDF-"));
    assert!(a.pages > 20, "{} pages", a.pages);
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert!(a.bytes == b.bytes, "two renders differ");
}

#[test]
fn a_template_error_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        std::process::Command::new(env!("CARGO_BIN_EXE_anthology"))
            .args(["init", dir.path().to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/book.typ"),
        "#let data = json(\"/book.json\")\n\n#data.title\n#undefined-thing\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anthology"))
        .args(["build", dir.path().to_str().unwrap(), "--format", "pdf"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[P001]"), "{stderr}");
    assert!(stderr.contains("templates/book.typ:4:2"), "{stderr}");
    assert!(!dir.path().join("dist").exists());
}

#[test]
fn a_card_template_error_is_the_cards_and_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_anthology");
    assert!(std::process::Command::new(bin).args(["init", dir.path().to_str().unwrap()]).status().unwrap().success());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/card.typ"),
        "#set page(width: 1200pt, height: 630pt)\n\n#no-such-function()\n",
    )
    .unwrap();
    let out = std::process::Command::new(bin)
        .args(["build", dir.path().to_str().unwrap(), "--format", "pdf,cards"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[P001]") && stderr.contains("templates/card.typ:3:2"), "{stderr}");
    assert!(stderr.contains("no-such-function"), "the source line is shown: {stderr}");
    assert!(stderr.contains("the share cards could not be typeset"), "{stderr}");
    assert!(!stderr.contains("the PDF could not be typeset"), "the PDF was made: {stderr}");
    assert!(stderr.contains("PDF "), "the PDF's summary: {stderr}");
    assert!(!dir.path().join("dist/cards").exists());
}

fn compile_markup(body: &str, fonts: &Arc<Fonts>) -> Result<String, String> {
    let mut w = BookWorld::new(fonts.clone(), "/main.typ", None);
    let main = format!(
        "#set page(width: 200cm, height: auto, margin: 1cm)\n#set par(justify: false)\n#set text(hyphenate: false)\n{body}"
    );
    w.add_source("/main.typ", main);
    let doc = typst::compile::<PagedDocument>(&w).output.map_err(|e| format!("{e:?}"))?;
    Ok(text_of(&doc))
}

/// Links between essays in the PDF land on the page of their target (the
/// essay's first page, or its heading's), and print that page after their
/// text, since a reader of the printed book cannot click.
#[test]
fn links_between_essays_land_on_their_pages_and_print_them() {
    use anthology::editions::typst;
    let (book, report) = anthology::prepare(&repo().join("tests/fixtures/valid/links"), false).unwrap();
    assert_eq!(report.errors(), 0);
    let book = book.unwrap();
    let s = typst::sources(&book, &typst::fonts_for(&book).unwrap()).unwrap();
    let fonts = Arc::new(Fonts::new(Vec::new()));
    let w = typst::world(&book, &s, fonts, &anthology::editions::images::Cache::default()).unwrap();
    let c = typst::pieces::compose(&book, &s, &w, &typst::pieces::Layouts::default()).unwrap();
    let doc = &c.doc;
    // Where each essay starts, physical page and page number as printed.
    let start = |slug: &str| {
        let i = c.plan.iter().position(|p| p.slug.as_deref() == Some(slug)).unwrap();
        c.placed[i].first
    };
    let printed = |page: usize| doc.pages()[page - 1].number;
    let (a, b) = (start("a"), start("b"));
    assert_ne!(a, b);
    // Every internal link, with the physical page it leads to.
    let mut targets = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        let here = link_pages(&page.frame, doc);
        if i + 1 == a {
            assert!(here.contains(&b), "a link from essay a to essay b's page {b}: {here:?}");
            assert!(here.contains(&a), "a link to a's own heading: {here:?}");
        }
        targets.extend(here);
    }
    assert!(targets.contains(&a) && targets.contains(&b), "{targets:?}");
    let text = text_of(doc);
    assert!(text.contains(&format!("(p.\u{a0}{})", printed(b))), "the page of essay b printed after its link: {text}");
    assert!(text.contains(&format!("the first (p.\u{a0}{})", printed(a))), "{text}");
}

/// The physical pages the links of `frame` lead to, in `doc`.
fn link_pages(frame: &::typst::layout::Frame, doc: &PagedDocument) -> Vec<usize> {
    use ::typst::model::Destination;
    let mut out = Vec::new();
    for (_, item) in frame.items() {
        match item {
            ::typst::layout::FrameItem::Group(g) => out.extend(link_pages(&g.frame, doc)),
            ::typst::layout::FrameItem::Link(Destination::Location(loc), _) => {
                out.push(doc.introspector().position(*loc).map_or(0, |p| p.page.get()))
            }
            ::typst::layout::FrameItem::Link(Destination::Position(p), _) => out.push(p.page.get()),
            _ => {}
        }
    }
    out
}

/// The page a destination (an array, or a reference to one) opens.
fn dest_page(file: &lopdf::Document, dest: &lopdf::Object) -> Option<lopdf::ObjectId> {
    let array = match dest {
        lopdf::Object::Array(a) => a.clone(),
        lopdf::Object::Reference(r) => file.get_object(*r).ok()?.as_array().ok()?.clone(),
        _ => return None,
    };
    array.first()?.as_reference().ok()
}

/// Where an outline item or a link annotation leads: its `Dest`, or its
/// action's `D`.
fn destination(file: &lopdf::Document, item: &lopdf::Dictionary) -> Option<lopdf::Object> {
    item.get(b"Dest").ok().cloned().or_else(|| {
        item.get(b"A")
            .ok()
            .and_then(|a| file.dereference(a).ok())
            .and_then(|(_, a)| a.as_dict().ok()?.get(b"D").ok().cloned())
    })
}

/// Every bookmark of `file`'s outline: its title and the page it opens.
fn bookmarks(file: &lopdf::Document) -> Vec<(String, Option<lopdf::ObjectId>)> {
    let text = |o: &lopdf::Object| match o {
        lopdf::Object::String(bytes, _) => {
            lopdf::decode_text_string(o).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into())
        }
        _ => String::new(),
    };
    let catalog = file.catalog().unwrap();
    let outlines = file.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let mut marks = Vec::new();
    let mut stack = vec![outlines.get(b"First").unwrap().as_reference().unwrap()];
    while let Some(id) = stack.pop() {
        let item = file.get_dictionary(id).unwrap();
        let dest = destination(file, item);
        marks.push((text(item.get(b"Title").unwrap()), dest.as_ref().and_then(|d| dest_page(file, d))));
        for key in [b"Next".as_slice(), b"First".as_slice()] {
            if let Ok(next) = item.get(key).and_then(|o| o.as_reference()) {
                stack.push(next);
            }
        }
    }
    marks
}

/// The joined PDF as a reader's viewer sees it: every contents line and
/// every index entry is a link to the page where its text starts, and the
/// outline (bookmarks) lists every essay, each leading to its first page.
#[test]
fn the_joined_pdf_links_to_the_right_pages_and_its_outline_lists_every_essay() {
    use anthology::editions::typst;
    let book = sample();
    let s = typst::sources(&book, &typst::fonts_for(&book).unwrap()).unwrap();
    let w = typst::world(&book, &s, Arc::new(typst::fonts_for(&book).unwrap()), &Default::default()).unwrap();
    let layouts = typst::pieces::Layouts::default();
    let (pdf, set) = typst::compile(&book, &s, &w, &layouts).unwrap();
    let typst::Typeset::Pieces(c) = &set else { panic!("the built-in template sets the book piece by piece") };
    let starts: std::collections::BTreeMap<String, usize> = c
        .plan
        .iter()
        .zip(&c.placed)
        .filter(|(p, _)| p.kind == typst::pieces::Kind::Essay)
        .map(|(p, at)| (p.title.clone(), at.first))
        .collect();
    assert_eq!(starts.len(), book.essays().count());

    let file = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let pages: Vec<lopdf::ObjectId> = file.get_pages().values().copied().collect();
    assert_eq!(pages.len(), pdf.pages);
    let page_of = |dest: &lopdf::Object| -> Option<usize> {
        let id = dest_page(&file, dest)?;
        pages.iter().position(|p| *p == id).map(|i| i + 1)
    };
    // The outline: every bookmark, its title and the page it opens.
    let marks: Vec<(String, Option<usize>)> = bookmarks(&file)
        .into_iter()
        .map(|(title, page)| (title, page.and_then(|id| pages.iter().position(|p| *p == id).map(|i| i + 1))))
        .collect();
    for (title, first) in &starts {
        let found = marks.iter().find(|(t, _)| t == title);
        assert_eq!(found.map(|m| m.1), Some(Some(*first)), "the bookmark of {title:?}: {marks:?}");
    }
    // The contents: its links lead to every essay's first page.
    let contents = c.placed[1].first;
    let mut leads = std::collections::BTreeSet::new();
    for (i, id) in pages.iter().enumerate() {
        for annot in file.get_page_annotations(*id).unwrap_or_default() {
            let dest = destination(&file, annot);
            if let Some(to) = dest.as_ref().and_then(page_of)
                && i + 1 == contents
            {
                leads.insert(to);
            }
        }
    }
    for (title, first) in &starts {
        assert!(leads.contains(first), "the contents lead to {title:?} on page {first}: {leads:?}");
    }
}

/// A long name in inline code, in a narrow justified column: it breaks after
/// its punctuation instead of stretching the line, and the text typst lays
/// out is the code exactly, with nothing added between its pieces.
#[test]
fn long_inline_code_breaks_at_punctuation_without_adding_text() {
    let code = "std::collections::hash_map::DefaultHasher::finish";
    let doc = anthology::input::markdown::parse(&format!("Call `{code}` when done."), 1).document;
    let none = std::collections::HashMap::new();
    let markup = anthology::editions::typst::markup::Writer::new(&doc, "t", &none, 2).document(&doc).text;
    let fonts = Arc::new(Fonts::new(Vec::new()));
    let mut w = BookWorld::new(fonts, "/main.typ", None);
    w.add_source(
        "/main.typ",
        format!("#set page(width: 5cm, height: auto, margin: 2mm)\n#set par(justify: true)\n{markup}"),
    );
    let laid = typst::compile::<PagedDocument>(&w).output.unwrap();
    // The code's pieces, with the line (y) each is set on.
    let mut pieces: Vec<(f64, String)> = Vec::new();
    fn walk(frame: &typst::layout::Frame, at: f64, out: &mut Vec<(f64, String)>) {
        for (pos, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, at + pos.y.to_pt(), out),
                typst::layout::FrameItem::Text(t) => out.push((at + pos.y.to_pt(), t.text.to_string())),
                _ => {}
            }
        }
    }
    walk(&laid.pages()[0].frame, 0.0, &mut pieces);
    let text: String = pieces.iter().map(|(_, t)| t.as_str()).collect();
    assert!(text.contains(code), "the code is laid out whole, nothing added: {text:?}");
    let lines: std::collections::BTreeSet<i64> =
        pieces.iter().filter(|(_, t)| code.contains(t.as_str()) && t.contains(':')).map(|(y, _)| *y as i64).collect();
    assert!(lines.len() >= 2, "the code breaks across lines: {pieces:?}");
}

fn visible(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Inline HTML the rules allow is set as typst elements; whatever order
    /// its tags come in, open or closed, inside emphasis or links, the
    /// markup compiles (brackets always balance) and keeps the text.
    #[test]
    fn allowed_inline_html_always_compiles(parts in proptest::collection::vec(prop_oneof![
        Just("<sub>".to_string()), Just("</sub>".to_string()), Just("<b>".to_string()), Just("</b>".to_string()),
        Just("<i>".to_string()), Just("</em>".to_string()), Just("<q>".to_string()), Just("</q>".to_string()),
        Just("<kbd>".to_string()), Just("<span a=\"]\">".to_string()), Just("*".to_string()), Just("**".to_string()),
        Just("[l](https://e.org)".to_string()), Just("`c`".to_string()), Just("[^n]".to_string()),
        "[a-z ]{1,5}",
    ], 1..20)) {
        let md = format!("{}\n\n[^n]: a note <sup>x", parts.concat());
        let doc = anthology::input::markdown::parse(&md, 1).document;
        let none = std::collections::HashMap::new();
        let links = anthology::editions::typst::markup::Links { allow_html: true, ..Default::default() };
        let markup = anthology::editions::typst::markup::Writer::new(&doc, "p", &none, 2)
            .with_links(&links, Path::new("contributions"), None)
            .document(&doc)
            .text;
        let fonts = Arc::new(Fonts::new(Vec::new()));
        prop_assert!(compile_markup(&markup, &fonts).is_ok(), "{markup}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn nothing_an_author_writes_becomes_typst_code(parts in proptest::collection::vec(prop_oneof![
        Just("#read(\"/etc/passwd\")".to_string()),
        Just("$x^2$".to_string()),
        Just("*/".to_string()),
        Just("]".to_string()),
        Just("[".to_string()),
        Just("\\u{41}".to_string()),
        Just("@label".to_string()),
        Just("<x>".to_string()),
        Just("http://example.org".to_string()),
        Just("= heading".to_string()),
        Just("- item\n+ item\n/ term: x".to_string()),
        Just("#let x = 1; #x".to_string()),
        Just("`raw`".to_string()),
        Just("--- ... ~".to_string()),
        Just("\\".to_string()),
        "[ -~]{1,8}",
        "[éà€日本\u{202f}«»“”’]{1,3}",
    ], 1..10)) {
        static FONTS: std::sync::LazyLock<Arc<Fonts>> = std::sync::LazyLock::new(|| Arc::new(Fonts::new(Vec::new())));
        let input = parts.concat();
        let text = compile_markup(&escape(&input), &FONTS).map_err(TestCaseError::fail)?;
        prop_assert_eq!(visible(&text), visible(&input));
    }
}

#[test]
fn the_escaping_rule_is_needed() {
    // Without escaping, typst syntax is code: the property above would fail.
    let fonts = Arc::new(Fonts::new(Vec::new()));
    let raw = compile_markup("*bold* $x$", &fonts).unwrap();
    assert_ne!(visible(&raw), visible("*bold* $x$"));
    assert!(compile_markup("#read(\"/etc/passwd\")", &fonts).is_err(), "the world serves no file");
    let _ = Path::new("");
}

#[test]
fn characters_no_font_covers_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("contributions")).unwrap();
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[rules]\nmin_words = 1\n")
        .unwrap();
    // A private-use character: no font anywhere has it.
    std::fs::write(
        dir.path().join("contributions/a.md"),
        "+++\ntitle = \"Greetings\"\n[[authors]]\nname = \"A B\"\n+++\n\nHello, \u{F0000}\u{F0001}, Grüße.\n",
    )
    .unwrap();
    let checked = anthology::check(dir.path()).unwrap();
    let d: Vec<_> = checked.report.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code.as_str(), "P003");
    assert!(d[0].message.contains("(U+F0000)") && d[0].message.contains("(U+F0001)"), "{}", d[0].message);
    assert!(!d[0].message.contains('ü'));
}

#[test]
fn a_script_without_a_text_font_is_an_error_that_names_the_package() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("contributions")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[rules]\nmin_words = 1\n[pdf]\nsystem_fonts = false\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("contributions/a.md"),
        "+++\ntitle = \"Greetings\"\n[[authors]]\nname = \"A B\"\n+++\n\nHello, 你好, שלום.\n",
    )
    .unwrap();
    let checked = anthology::check(dir.path()).unwrap();
    let d: Vec<_> = checked.report.diagnostics.iter().map(|d| (d.code.as_str(), d.message.clone())).collect();
    // Hebrew is in the built-in Libertinus Serif; Chinese is in no font
    // of the book, and the machine's are kept out. Each character of it is
    // not listed again as P003.
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].0, "P004");
    assert!(d[0].1.contains("Simplified Chinese") && d[0].1.contains("你好"), "{}", d[0].1);
}

#[test]
fn pdf_options_and_standards() {
    let dir = tempfile::tempdir().unwrap();
    for entry in ["book.toml", "contributions", "front", "back", "sections"] {
        copy(&repo().join(entry), &dir.path().join(entry));
    }
    let mut toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    toml.push_str("\n[pdf]\nstandard = [\"a-2b\", \"ua-1\"]\nrecto_starts = true\nphotos = \"end\"\npaper = \"us-trade\"\nfootnotes = \"book\"\n");
    std::fs::write(dir.path().join("book.toml"), toml).unwrap();
    let (book, _) = anthology::prepare(dir.path(), false).unwrap();
    let pdf = anthology::editions::typst::render(&book.unwrap()).unwrap();
    let text = String::from_utf8_lossy(&pdf.bytes);
    assert!(text.contains("pdfaid:part>2<") || text.contains("pdfaid:part=\"2\""), "PDF/A-2 declared");
    assert!(text.contains("pdfuaid:part>1<") || text.contains("pdfuaid:part=\"1\""), "PDF/UA-1 declared");
    let default = anthology::editions::typst::render(&sample()).unwrap();
    assert!(pdf.pages > default.pages, "recto starts add blank pages: {} vs {}", pdf.pages, default.pages);
}

/// Without `[pdf] standard`, a book whose images all have alternative text
/// gets a PDF that declares PDF/UA-1, which has viewers show its title; one
/// with an image without it gets a tagged PDF and a warning that says why.
/// PDF/A-2b needs no `date` in book.toml.
#[test]
fn pdf_ua_by_default_when_the_book_allows_it_and_pdf_a_without_a_date() {
    let declared = |bytes: &[u8], part: &str| String::from_utf8_lossy(bytes).contains(part);
    let pdf = anthology::editions::typst::render(&sample()).unwrap();
    assert!(declared(&pdf.bytes, "pdfuaid:part"), "PDF/UA-1 by default");
    assert!(declared(&pdf.bytes, "/DisplayDocTitle true"), "viewers show the title");
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);

    let book = |edit: &dyn Fn(&Path)| {
        let dir = tempfile::tempdir().unwrap();
        for entry in ["book.toml", "contributions", "front", "back", "sections"] {
            copy(&repo().join(entry), &dir.path().join(entry));
        }
        edit(dir.path());
        let (book, report) = anthology::prepare(dir.path(), false).unwrap();
        let book = book.unwrap();
        (anthology::editions::typst::render(&book).unwrap(), report, offprints(&book))
    };
    let (pdf, report, offprints) = book(&|d| {
        let essay = d.join("contributions/archiving-the-ephemeral/index.md");
        let text = std::fs::read_to_string(&essay).unwrap();
        std::fs::write(
            &essay,
            format!(
                "{text}
![](portrait.png)
"
            ),
        )
        .unwrap();
    });
    assert!(report.diagnostics.iter().any(|d| d.code.as_str() == "T007"), "check names the image");
    assert!(!declared(&pdf.bytes, "pdfuaid:part"), "no PDF/UA-1 claim the PDF cannot keep");
    let said: Vec<&str> = pdf.warnings.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(said, ["the PDF is tagged, but does not declare PDF/UA-1: 1 image without alternative text (T007)"]);
    // An offprint declares PDF/UA-1 when its own essay's images have their text.
    let not_ua: Vec<(&str, String)> =
        offprints.iter().filter_map(|o| Some((o.slug.as_str(), o.not_ua.as_ref()?.to_string()))).collect();
    assert_eq!(not_ua, [("archiving-the-ephemeral", "1 image without alternative text (T007)".to_string())]);
    assert!(offprints.iter().filter(|o| o.not_ua.is_none()).all(|o| declared(&o.bytes, "pdfuaid:part")));

    let (pdf, _, _) = book(&|d| {
        let toml = std::fs::read_to_string(d.join("book.toml")).unwrap();
        let undated: String = toml.lines().filter(|l| !l.starts_with("date = ")).map(|l| format!("{l}\n")).collect();
        std::fs::write(d.join("book.toml"), format!("{undated}\n[pdf]\nstandard = [\"a-2b\"]\n")).unwrap();
    });
    assert!(declared(&pdf.bytes, "pdfaid:part"), "PDF/A-2b, dated though the book gives no date");
}

/// A table whose header holds a link, over several pages: typst would
/// repeat the header on each, as an artifact, and PDF/UA-1 allows no link
/// in one (EIP-7883 lost its PDF/UA-1 to such a table).
#[test]
fn a_long_table_with_a_link_in_its_header_keeps_pdf_ua() {
    let dir = tempfile::tempdir().unwrap();
    for entry in ["book.toml", "contributions", "front", "back", "sections"] {
        copy(&repo().join(entry), &dir.path().join(entry));
    }
    let essay = dir.path().join("contributions/archiving-the-ephemeral/index.md");
    let mut text = std::fs::read_to_string(&essay).unwrap();
    text.push_str("\n| Case | [Price](https://example.org/prices) |\n|---|---|\n");
    for i in 0..120 {
        text.push_str(&format!("| case {i} | {} |\n", i * 7));
    }
    std::fs::write(&essay, text).unwrap();
    let (book, _) = anthology::prepare(dir.path(), false).unwrap();
    let pdf = anthology::editions::typst::render(&book.unwrap()).unwrap();
    assert!(String::from_utf8_lossy(&pdf.bytes).contains("pdfuaid:part"), "{:?}", pdf.warnings);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
}

/// An HTML table whose header cells head rows: the PDF tags them as
/// header cells (pdfua found a table with none).
#[test]
fn the_header_cells_of_rows_are_tagged_as_such() {
    let dir = tempfile::tempdir().unwrap();
    for entry in ["book.toml", "contributions", "front", "back", "sections"] {
        copy(&repo().join(entry), &dir.path().join(entry));
    }
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    std::fs::write(dir.path().join("book.toml"), toml.replace("allow_html = false", "allow_html = true")).unwrap();
    let essay = dir.path().join("contributions/archiving-the-ephemeral/index.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    let table = "<table>\n<tr><th>Total</th><td>3</td></tr>\n<tr><th>Mean</th><td>1.5</td></tr>\n</table>\n";
    std::fs::write(&essay, format!("{text}\n{table}")).unwrap();
    let (book, report) = anthology::prepare(dir.path(), false).unwrap();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    let pdf = anthology::editions::typst::render(&book.unwrap()).unwrap();
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let row_headers = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(|s| s.as_name()).is_ok_and(|s| s == b"TH"))
        .filter(|d| {
            let scope = |a: &lopdf::Object| {
                let a = match a {
                    lopdf::Object::Reference(id) => doc.get_object(*id).ok(),
                    other => Some(other),
                };
                a.and_then(|a| a.as_dict().ok())
                    .and_then(|a| a.get(b"Scope").and_then(|s| s.as_name()).ok())
                    .is_some_and(|s| s == b"Row")
            };
            match d.get(b"A") {
                Ok(lopdf::Object::Array(list)) => list.iter().any(scope),
                Ok(a) => scope(a),
                Err(_) => false,
            }
        })
        .count();
    assert_eq!(row_headers, 2, "one TH of scope Row per row");
}

/// The offprints of `book`, cut from its pieces.
fn offprints(book: &anthology::model::book::Book) -> Vec<anthology::editions::typst::Offprint> {
    use anthology::editions::typst;
    let s = typst::sources(book, &typst::fonts_for(book).unwrap()).unwrap();
    let world = typst::world(book, &s, Arc::new(Fonts::new(Vec::new())), &Default::default()).unwrap();
    let layouts = typst::pieces::Layouts::default();
    let c = typst::pieces::compose(book, &s, &world, &layouts).unwrap();
    typst::pieces::offprints(book, &s, &world, &layouts, &c).unwrap()
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn a_typst_error_in_an_essay_points_at_its_line() {
    // A PNG whose header is sound (check accepts it) but whose data is cut:
    // only typst, decoding it, finds out. The error must name the essay's line.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("contributions/a")).unwrap();
    std::fs::write(d.join("book.toml"), "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[rules]\nmin_words = 1\n").unwrap();
    std::fs::write(
        d.join("contributions/a/index.md"),
        "+++\ntitle = \"Cut\"\n[[authors]]\nname = \"A B\"\n+++\n\nSome words.\n\n![A cut picture](cut.png)\n",
    )
    .unwrap();
    let mut png = Vec::new();
    image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 7]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png.truncate(png.len() / 2);
    std::fs::write(d.join("contributions/a/cut.png"), &png).unwrap();
    let (book, report) = anthology::prepare(d, false).unwrap();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    match anthology::editions::typst::render(&book.unwrap()) {
        Err(anthology::editions::typst::PdfError::Typeset(diags)) => {
            assert_eq!(diags[0].code.as_str(), "P001");
            assert_eq!(diags[0].location.file, Path::new("contributions/a/index.md"));
            assert_eq!(diags[0].location.line, 9, "{:?}", diags[0]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cover_image_replaces_the_typographic_cover() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("contributions")).unwrap();
    anthology::synth::portrait(3, 300).save(d.join("cover.png")).unwrap();
    std::fs::write(
        d.join("book.toml"),
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\ncover = \"cover.png\"\n[rules]\nmin_words = 1\n",
    )
    .unwrap();
    std::fs::write(d.join("contributions/a.md"), "+++\ntitle = \"A\"\n[[authors]]\nname = \"A B\"\n+++\n\nWords.\n")
        .unwrap();
    let (book, _) = anthology::prepare(d, false).unwrap();
    let book = book.unwrap();
    let s = anthology::editions::typst::sources(&book, &anthology::editions::typst::fonts_for(&book).unwrap()).unwrap();
    let data: serde_json::Value = serde_json::from_str(&s.data).unwrap();
    let cover = data["cover"].as_str().unwrap();
    assert!(cover.starts_with("/assets/"), "{cover}");
    let print = anthology::editions::typst::PRINT_COVER_PIXELS;
    assert!(s.assets.iter().any(|(file, v)| file == Path::new("cover.png") && *v == (cover.to_string(), print)));
    let pdf = anthology::editions::typst::render(&book).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}

#[test]
fn photos_reach_typst_scaled_to_their_print_size_and_the_pdf_is_cached() {
    use typst::World;
    let dir = tempfile::tempdir().unwrap();
    let settings = anthology::synth::Settings { essays: 2, words: 60, photo_pixels: 900, ..Default::default() };
    anthology::synth::generate(dir.path(), &settings).unwrap();
    let (book, _) = anthology::prepare(dir.path(), false).unwrap();
    let book = book.unwrap();
    let s = anthology::editions::typst::sources(&book, &anthology::editions::typst::fonts_for(&book).unwrap()).unwrap();
    let fonts = Arc::new(Fonts::new(Vec::new()));
    let world =
        anthology::editions::typst::world(&book, &s, fonts, &anthology::editions::images::Cache::default()).unwrap();
    let mut jpegs = Vec::new();
    for (_, (vpath, max)) in s.assets.iter() {
        assert_eq!(*max, anthology::editions::typst::PRINT_PHOTO_PIXELS);
        // A scaled photo is a plain JPEG, which typst is given through an
        // SVG that links to it, so that typst does not hold its pixels.
        let served = world.file(anthology::editions::typst::world::file_id(vpath)).unwrap();
        let svg = std::str::from_utf8(&served).unwrap();
        let name = vpath.rsplit('/').next().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(&format!("href=\"{name}.jpg\"")), "{svg}");
        let bytes = world.file(anthology::editions::typst::world::file_id(&format!("{vpath}.jpg"))).unwrap();
        assert_eq!(image::guess_format(&bytes).unwrap(), image::ImageFormat::Jpeg);
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!(img.width().max(img.height()), anthology::editions::typst::PRINT_PHOTO_PIXELS, "{vpath}");
        let size = format!("width=\"{}\" height=\"{}\"", img.width(), img.height());
        assert!(svg.contains(&size), "{svg}");
        jpegs.push(bytes);
    }
    assert_eq!(jpegs.len(), 2);

    // The laid-out pages hold the photos as SVG (their JPEG bytes), not as
    // decoded pixels, and the PDF embeds each JPEG as it is (DCTDecode).
    let layouts = anthology::editions::typst::pieces::Layouts::default();
    let composed = anthology::editions::typst::pieces::compose(&book, &s, &world, &layouts).unwrap();
    let mut kinds = Vec::new();
    for page in composed.doc.pages() {
        image_kinds(&page.frame, &mut kinds);
    }
    assert_eq!(kinds, ["svg", "svg"]);

    // A second session finds the PDF in the book's cache: same bytes, no typesetting.
    let out = dir.path().join("dist");
    let pdf_only: Editions = [Edition::Pdf].into_iter().collect();
    let first = anthology::build::Session::new(&book.root).editions(&book, &out, pdf_only);
    let first = first.made(Edition::Pdf).unwrap();
    let bytes = std::fs::read(&first.path).unwrap();
    for jpeg in &jpegs {
        assert!(bytes.windows(jpeg.len()).any(|w| w == jpeg.as_slice()), "a photo's JPEG is embedded as it is");
    }
    let session = anthology::build::Session::new(&book.root);
    let again = session.editions(&book, &out, pdf_only);
    let again = again.made(Edition::Pdf).unwrap();
    assert_eq!(std::fs::read(&again.path).unwrap(), bytes);
    assert_eq!(again.detail, first.detail);
    let stats = session.cache_stats();
    // The PDF, and each essay's pages in it (what the site's citations need).
    assert_eq!((stats.hits, stats.misses), (2, 0), "{stats:?}");
}

/// The kind of each image of a frame, in order: `raster`, `svg` or `pdf`.
fn image_kinds(frame: &typst::layout::Frame, out: &mut Vec<&'static str>) {
    use typst::visualize::ImageKind;
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(g) => image_kinds(&g.frame, out),
            typst::layout::FrameItem::Image(image, ..) => out.push(match image.kind() {
                ImageKind::Raster(_) => "raster",
                ImageKind::Svg(_) => "svg",
                ImageKind::Pdf(_) => "pdf",
            }),
            _ => {}
        }
    }
}

/// The text of a frame, item by item, in reading order of the layout.
fn frame_text(frame: &typst::layout::Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(g) => frame_text(&g.frame, out),
            typst::layout::FrameItem::Text(t) => {
                out.push_str(&t.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}

#[test]
fn an_offprint_is_its_essay_as_set_in_the_book_after_a_first_page() {
    use anthology::editions::typst;
    let book = sample();
    let s = typst::sources(&book, &typst::fonts_for(&book).unwrap()).unwrap();
    let fonts = Arc::new(Fonts::new(Vec::new()));
    let world = typst::world(&book, &s, fonts, &anthology::editions::images::Cache::default()).unwrap();
    let layouts = typst::pieces::Layouts::default();
    let c = typst::pieces::compose(&book, &s, &world, &layouts).unwrap();
    let docs = typst::pieces::offprint_documents(&book, &s, &world, &layouts, &c).unwrap();
    assert_eq!(docs.len(), book.essays().count());
    let text = |frame: &::typst::layout::Frame| {
        let mut t = String::new();
        frame_text(frame, &mut t);
        t
    };
    let mut compared = 0;
    for (slug, doc) in &docs {
        let i = c.plan.iter().position(|p| p.slug.as_deref() == Some(slug)).unwrap();
        let first = c.placed[i].first;
        assert_eq!(doc.pages().len(), c.placed[i].pages + 1, "{slug}: one first page, then the essay's");
        // Page 1 names the book and the essay; then every page is the book's
        // own, with its running head and number.
        assert!(text(&doc.pages()[0].frame).contains(&book.config.title), "{slug}");
        for (k, page) in doc.pages().iter().enumerate().skip(1) {
            let in_book = &c.doc.pages()[first + k - 2];
            assert_eq!(
                text(&page.frame),
                text(&in_book.frame),
                "{slug}: page {k} differs from the book's page {}",
                first + k - 1
            );
            assert_eq!(page.number, in_book.number);
            compared += 1;
        }
        // Its links stay inside it, or leave for the web.
        for page in doc.pages() {
            for to in link_pages(&page.frame, doc) {
                assert!((1..=doc.pages().len()).contains(&to), "{slug}: a link to page {to}");
            }
        }
    }
    assert!(compared >= docs.len(), "{compared} pages compared");
    // Exported, deterministic.
    let a = typst::pieces::offprints(&book, &s, &world, &layouts, &c).unwrap();
    let b = typst::pieces::offprints(&book, &s, &world, &layouts, &c).unwrap();
    assert!(a.iter().all(|o| o.bytes.starts_with(b"%PDF-")));
    assert_eq!(a, b);
    // Each declares PDF/UA-1, as the book does: its first page holds the
    // one first-level heading, the book's title.
    for o in &a {
        assert_eq!(o.not_ua, None, "{}", o.slug);
        let text = String::from_utf8_lossy(&o.bytes);
        assert!(text.contains("pdfuaid:part") && text.contains("/DisplayDocTitle true"), "{}", o.slug);
    }
}

/// Each offprint's PDF holds its essay and nothing of the others: its outline
/// is the essay's own (its title and headings, no other essay's title), its
/// links lead to its own pages or to the web, every structure element it
/// tags lies on one of its pages, and its structure tree reaches every page.
#[test]
fn each_offprint_pdf_holds_only_its_essay_in_outline_links_and_structure() {
    let book = sample();
    let titles: Vec<(String, String)> = book.essays().map(|e| (e.slug.clone(), e.title.clone())).collect();
    assert!(titles.len() >= 3);
    for o in offprints(&book) {
        let file = lopdf::Document::load_mem(&o.bytes).unwrap();
        let pages: std::collections::BTreeSet<lopdf::ObjectId> = file.get_pages().values().copied().collect();
        assert_eq!(pages.len(), o.pages, "{}", o.slug);
        let marks = bookmarks(&file);
        let own = &titles.iter().find(|(s, _)| *s == o.slug).unwrap().1;
        assert!(marks.iter().any(|(t, _)| t == own), "{}: its own title in {marks:?}", o.slug);
        for (slug, title) in titles.iter().filter(|(s, _)| *s != o.slug) {
            assert!(marks.iter().all(|(t, _)| t != title), "{}: the bookmark of {slug}: {marks:?}", o.slug);
        }
        assert!(marks.iter().all(|(_, p)| p.is_none_or(|p| pages.contains(&p))), "{}: {marks:?}", o.slug);
        for page in &pages {
            for annot in file.get_page_annotations(*page).unwrap_or_default() {
                if let Some(dest) = destination(&file, annot) {
                    let to = dest_page(&file, &dest);
                    assert!(to.is_some_and(|p| pages.contains(&p)), "{}: a link out of the offprint", o.slug);
                } else {
                    let action = annot.get(b"A").and_then(|a| file.dereference(a)).unwrap().1.as_dict().unwrap();
                    let uri = action.get(b"URI").and_then(|u| u.as_str()).unwrap();
                    assert!(uri.starts_with(b"http") || uri.starts_with(b"mailto:"), "{}", o.slug);
                }
            }
        }
        // The structure tree: every element that names a page names one of
        // these, and the tagged pages are all of them.
        let mut tagged = std::collections::BTreeSet::new();
        let mut elements = 0;
        for object in file.objects.values() {
            let Ok(d) = object.as_dict() else { continue };
            if d.get(b"S").is_err() {
                continue;
            }
            if let Ok(pg) = d.get(b"Pg").and_then(|p| p.as_reference()) {
                assert!(pages.contains(&pg), "{}: a structure element on a page not its own", o.slug);
                tagged.insert(pg);
                elements += 1;
            }
        }
        assert!(elements > 10, "{}: {elements} structure elements", o.slug);
        assert_eq!(tagged, pages, "{}: every page is in the structure tree", o.slug);
        let catalog = file.catalog().unwrap();
        assert!(catalog.get(b"StructTreeRoot").is_ok(), "{}", o.slug);
    }
}

/// Every page after an essay's first carries its running head (the authors
/// on a left-hand page, the title on a right-hand one) and every numbered
/// page its folio: they are set apart and laid over the joined pages.
#[test]
fn joined_pages_carry_running_heads_and_folios() {
    use anthology::editions::typst;
    let book = sample();
    let s = typst::sources(&book, &typst::fonts_for(&book).unwrap()).unwrap();
    let w = typst::world(&book, &s, Arc::new(typst::fonts_for(&book).unwrap()), &Default::default()).unwrap();
    let c = typst::pieces::compose(&book, &s, &w, &typst::pieces::Layouts::default()).unwrap();
    let mut heads = 0;
    for ((piece, at), e) in
        c.plan.iter().zip(&c.placed).filter(|(p, _)| p.kind == typst::pieces::Kind::Essay).zip(book.essays())
    {
        for k in 0..at.pages {
            let page = &c.doc.pages()[at.first + k - 1];
            let mut text = String::new();
            frame_text(&page.frame, &mut text);
            assert!(
                text.contains(&format!(" {} ", page.number)) || text.ends_with(&format!("{} ", page.number)),
                "page {} has no folio: {text}",
                at.first + k
            );
            if k > 0 {
                let left = (at.first + k) % 2 == 0;
                let head = if left { piece.authors.clone() } else { e.title.clone() };
                let first_word = head.split_whitespace().next().unwrap();
                assert!(text.contains(first_word), "page {}: no head {head:?} in {text}", at.first + k);
                heads += 1;
            }
        }
    }
    assert!(heads > 0);
}

/// A book's own template written before pieces existed (it sets the whole
/// book and never reads `/piece.json`; the fixture is the built-in template
/// of that time) is compiled as one document, its contents, links and
/// offprints as they were.
#[test]
fn a_template_that_sets_the_whole_book_still_makes_the_pdf_and_the_offprints() {
    use anthology::editions::typst;
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join("tests/fixtures/valid/links"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/templates/whole-book.typ"), dir.path().join("templates/book.typ"))
        .unwrap();
    let (book, report) = anthology::prepare(dir.path(), false).unwrap();
    assert_eq!(report.errors(), 0);
    let book = book.unwrap();
    let s = typst::sources(&book, &typst::fonts_for(&book).unwrap()).unwrap();
    assert!(!s.pieced());
    let w = typst::world(&book, &s, Arc::new(Fonts::new(Vec::new())), &Default::default()).unwrap();
    let layouts = typst::pieces::Layouts::default();
    let (pdf, set) = typst::compile(&book, &s, &w, &layouts).unwrap();
    assert!(matches!(set, typst::Typeset::Whole(_)));
    assert!(pdf.bytes.starts_with(b"%PDF-") && pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    assert!(layouts.take_typeset().is_empty(), "no piece: the template sets the whole book");
    let marks = typst::marks(set.doc());
    let start = |slug: &str| marks.iter().find(|m| m.0 == "essay" && m.1.as_deref() == Some(slug)).unwrap().2;
    let printed = set.doc().pages()[start("b") - 1].number;
    assert!(text_of(set.doc()).contains(&format!("(p.\u{a0}{printed})")), "the page of essay b after its link");
    let offprints = typst::offprints_of(&book, &s, &w, &layouts, &set).unwrap();
    assert_eq!(offprints.len(), book.essays().count());
    assert!(offprints.iter().all(|o| o.bytes.starts_with(b"%PDF-") && o.pages >= 2));
}

/// A book built once in a session, one essay edited, built again: only that
/// essay is typeset again; every other piece's layout is the one kept.
#[test]
fn after_an_edit_only_the_edited_essay_is_typeset_again() {
    let dir = tempfile::tempdir().unwrap();
    let settings = anthology::synth::Settings { essays: 8, words: 200, photo_pixels: 0, ..Default::default() };
    anthology::synth::generate(dir.path(), &settings).unwrap();
    let session = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled());
    let out = dir.path().join("dist");
    let build = || {
        let (book, _) = anthology::prepare(dir.path(), false).unwrap();
        let made = session.editions(&book.unwrap(), &out, Editions::NONE.with(Edition::Pdf));
        assert!(made.succeeded());
        session.pieces_typeset()
    };
    let first = build();
    assert!(first.len() >= 8 + 3, "every piece typeset the first time: {first:?}");
    // One word changed in essay 3: its page count stays, nothing moves.
    let essay = dir.path().join("contributions/essay-0003/index.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    let at = text.rfind(" la ").or_else(|| text.rfind(" le ")).unwrap();
    std::fs::write(&essay, format!("{} ce {}", &text[..at], &text[at + 4..])).unwrap();
    assert_eq!(build(), vec!["/pieces/essay-essay-0003.typ".to_string()]);
    // Nothing changed: nothing typeset.
    assert_eq!(build(), Vec::<String>::new());
}

/// A one-build session (`anthology build`) keeps no layout once its PDF is
/// exported, and its PDF is the bytes a session kept for `watch` makes; built
/// again, it typesets every piece again rather than failing.
#[test]
fn a_one_build_session_keeps_no_layout_and_makes_the_same_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let settings = anthology::synth::Settings { essays: 5, words: 200, photo_pixels: 0, ..Default::default() };
    anthology::synth::generate(dir.path(), &settings).unwrap();
    let pdf = Editions::NONE.with(Edition::Pdf);
    let book = || anthology::prepare(dir.path(), false).unwrap().0.unwrap();
    let build = |session: &anthology::build::Session, out: &str| {
        let out = dir.path().join(out);
        assert!(session.editions(&book(), &out, pdf).succeeded());
        std::fs::read(out.join(format!("{}.pdf", book().config.file_stem()))).unwrap()
    };
    let kept = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled());
    let once = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled()).one_build();
    let a = build(&kept, "kept");
    assert!(kept.keeps_layouts());
    let b = build(&once, "once");
    assert!(!once.keeps_layouts(), "the layouts are dropped once the PDF is out");
    assert!(a == b, "the same PDF either way");
    once.pieces_typeset();
    assert!(build(&once, "again") == a);
    assert!(once.pieces_typeset().len() >= 5 + 3, "every piece typeset again");
}

/// A session whose first build took the PDF from the disk cache keeps no
/// layout; warmed (as `watch` does after its first build), the next edit
/// typesets only the edited essay.
#[test]
fn a_warmed_session_typesets_only_the_edited_essay_after_a_cached_build() {
    let dir = tempfile::tempdir().unwrap();
    let settings = anthology::synth::Settings { essays: 6, words: 200, photo_pixels: 0, ..Default::default() };
    anthology::synth::generate(dir.path(), &settings).unwrap();
    let out = dir.path().join("dist");
    let pdf = Editions::NONE.with(Edition::Pdf);
    let book = || anthology::prepare(dir.path(), false).unwrap().0.unwrap();
    assert!(anthology::build::Session::new(dir.path()).editions(&book(), &out, pdf).succeeded());

    let session = anthology::build::Session::new(dir.path());
    assert!(session.editions(&book(), &out, pdf).succeeded());
    assert_eq!(session.pieces_typeset(), Vec::<String>::new(), "the PDF came from the disk cache");
    session.warm(&book());
    let warmed = session.pieces_typeset();
    assert!(warmed.len() >= 6 + 3, "every piece laid out: {warmed:?}");
    session.warm(&book());
    assert_eq!(session.pieces_typeset(), Vec::<String>::new(), "warming twice lays out nothing more");

    let essay = dir.path().join("contributions/essay-0002/index.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    let at = text.rfind(" la ").or_else(|| text.rfind(" le ")).unwrap();
    std::fs::write(&essay, format!("{} ce {}", &text[..at], &text[at + 4..])).unwrap();
    assert!(session.editions(&book(), &out, pdf).succeeded());
    assert_eq!(session.pieces_typeset(), vec!["/pieces/essay-essay-0002.typ".to_string()]);
}
