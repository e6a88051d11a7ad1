//! Print on demand: the sample book with a `[print]` table builds an
//! interior whose every page has the boxes a printer reads, an even page
//! count, the gutter on the spine's side, and a one-piece cover as wide as
//! the formula says, with the ISBN's barcode on it.

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

use std::path::Path;

use anthology::editions::{Edition, Editions};
use common::{copy_dir, repo};
use lopdf::{Document, Object};

/// A copy of the sample book in `d`, with `more` at the end of its `book.toml`.
fn sample_with(d: &Path, more: &str) {
    for f in ["contributions", "front", "back", "sections"] {
        copy_dir(&repo().join(f), &d.join(f));
    }
    let toml = std::fs::read_to_string(repo().join("book.toml")).unwrap();
    std::fs::write(d.join("book.toml"), format!("{toml}{more}")).unwrap();
}

/// Builds the PDF and the cover of the book at `d` into `d/dist`.
fn build(d: &Path) -> anthology::build::Outcome {
    let (book, report) = anthology::prepare(d, false).unwrap();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    let book = book.unwrap();
    let which: Editions = [Edition::Pdf, Edition::Cover].into_iter().collect();
    let session = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled());
    let outcome = session.editions(&book, &d.join("dist"), which);
    for e in [Edition::Pdf, Edition::Cover] {
        assert!(matches!(outcome.get(e), Some(Ok(_))), "{e}: {:?}", outcome.get(e));
    }
    outcome
}

fn rect(doc: &Document, page: lopdf::ObjectId, key: &[u8]) -> [f64; 4] {
    let dict = doc.get_dictionary(page).unwrap();
    let arr = dict.get(key).unwrap_or_else(|_| panic!("{} missing", String::from_utf8_lossy(key)));
    let arr = match arr {
        Object::Reference(id) => doc.get_object(*id).unwrap().as_array().unwrap(),
        other => other.as_array().unwrap(),
    };
    let v: Vec<f64> =
        arr.iter().map(|o| o.as_float().map(f64::from).or(o.as_i64().map(|i| i as f64)).unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

fn close(a: [f64; 4], b: [f64; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.05)
}

const KDP: &str = "\n[pdf]\nisbn = \"978-3-16-148410-0\"\n\n[print]\nservice = \"kdp\"\ntrim = \"6x9in\"\nbleed = true\npaper = \"cream\"\n";

#[test]
fn a_kdp_interior_has_its_boxes_on_every_page_and_an_even_count() {
    let d = tempfile::tempdir().unwrap();
    sample_with(d.path(), KDP);
    let outcome = build(d.path());
    let made = outcome.made(Edition::Pdf).unwrap();
    assert!(made.detail.contains("print interior 6x9in"), "{}", made.detail);
    let doc = Document::load(d.path().join("dist/regards-croises.pdf")).unwrap();
    let pages = doc.get_pages();
    assert_eq!(pages.len() % 2, 0, "an even page count");
    let (w, h, b) = (432.0, 648.0, 9.0);
    for (&n, &id) in &pages {
        let media = rect(&doc, id, b"MediaBox");
        assert!(close(media, [0.0, 0.0, w + b, h + 2.0 * b]), "page {n}: MediaBox {media:?}");
        assert!(close(rect(&doc, id, b"BleedBox"), media), "page {n}: BleedBox");
        // Bleed on the outer edge only: the right of a right-hand (odd) page.
        let trim = if n % 2 == 1 { [0.0, b, w, h + b] } else { [b, b, w + b, h + b] };
        assert!(close(rect(&doc, id, b"TrimBox"), trim), "page {n}: TrimBox {:?}", rect(&doc, id, b"TrimBox"));
    }
}

#[test]
fn the_gutter_is_on_the_spine_side_of_each_page() {
    let d = tempfile::tempdir().unwrap();
    sample_with(d.path(), KDP);
    let (book, _) = anthology::prepare(d.path(), false).unwrap();
    let book = book.unwrap();
    let fonts = std::sync::Arc::new(anthology::editions::typst::fonts_for(&book).unwrap());
    let s = anthology::editions::typst::sources(&book, &fonts).unwrap();
    let w = anthology::editions::typst::world(&book, &s, fonts, &Default::default()).unwrap();
    let (_, set) =
        anthology::editions::typst::compile(&book, &s, &w, &anthology::editions::typst::pieces::Layouts::default())
            .unwrap();
    // The texts of a page with their left edges, groups walked (the joined
    // book lays each piece's page in as a group, under its marginals).
    fn texts(frame: &typst::layout::Frame, x0: f64, out: &mut Vec<(f64, String)>) {
        for (pos, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Text(t) => out.push((x0 + pos.x.to_pt(), t.text.to_string())),
                typst::layout::FrameItem::Group(g) => texts(&g.frame, x0 + pos.x.to_pt(), out),
                _ => {}
            }
        }
    }
    let texts_of = |page: &typst_layout::Page| {
        let mut out = Vec::new();
        texts(&page.frame, 0.0, &mut out);
        out
    };
    // The leftmost text of each page of body text, from the trim's left edge.
    let left_of = |page: &typst_layout::Page| texts_of(page).iter().map(|(x, _)| *x).fold(f64::MAX, f64::min);
    let gutter = 0.375 * 72.0;
    let outer = 18.0 * 72.0 / 25.4;
    let doc = set.doc();
    // The interior opens on the half-title: the title alone, no cover page.
    let words = |page: &typst_layout::Page| texts_of(page).into_iter().map(|(_, t)| t + " ").collect::<String>();
    assert_eq!(words(&doc.pages()[0]).trim(), "Regards croisés sur les réseaux");
    assert!(words(&doc.pages()[2]).contains("Sous la direction"), "the title page on page 3");
    let mut seen = [false; 2];
    for (i, page) in doc.pages().iter().enumerate().skip(5) {
        let x = left_of(page);
        if x == f64::MAX {
            continue;
        }
        let expected = if i % 2 == 0 { gutter } else { outer };
        assert!(x >= expected - 0.5, "page {}: text at {x:.1} pt, margin {expected:.1}", i + 1);
        if (x - expected).abs() < 0.5 {
            seen[i % 2] = true;
        }
    }
    assert_eq!(seen, [true, true], "text at the margin on pages of both sides");
}

#[test]
fn the_cover_is_two_panels_a_spine_and_bleed_wide_with_the_isbn() {
    let d = tempfile::tempdir().unwrap();
    sample_with(d.path(), &format!("{KDP}pages_multiple = 4\nback_text = \"Un livre d’exemple.\"\n"));
    let outcome = build(d.path());
    let pages = outcome.made(Edition::Pdf).unwrap().pages.unwrap();
    assert_eq!(pages % 4, 0, "a multiple of four");
    let cover = Document::load(d.path().join("dist/regards-croises-cover.pdf")).unwrap();
    let id = *cover.get_pages().get(&1).unwrap();
    let spine = pages as f64 * 0.0025 * 72.0;
    let (w, h, b) = (2.0 * 432.0 + spine, 648.0, 9.0);
    assert!(close(rect(&cover, id, b"MediaBox"), [0.0, 0.0, w + 2.0 * b, h + 2.0 * b]));
    assert!(close(rect(&cover, id, b"TrimBox"), [b, b, w + b, h + b]));
    assert!(close(rect(&cover, id, b"BleedBox"), [0.0, 0.0, w + 2.0 * b, h + 2.0 * b]));
    // What the template is given: the ISBN as printed and as bars, the back text.
    let (book, _) = anthology::prepare(d.path(), false).unwrap();
    let book = book.unwrap();
    let print = book.config.print.clone().unwrap();
    let fonts = anthology::editions::typst::fonts_for(&book).unwrap();
    let data = anthology::editions::typst::cover::data(&book, &print, &fonts, pages, None);
    assert_eq!(data["isbn"]["text"], "978-3161484100");
    assert_eq!(data["isbn"]["modules"].as_str().unwrap().len(), 95);
    assert_eq!(data["back_text"], "Un livre d’exemple.");
    assert_eq!(data["contributors"].as_array().unwrap().len(), book.contributors.len());
    // Too thin for spine text at KDP: said, not silently dropped.
    let made = outcome.made(Edition::Cover).unwrap();
    assert!(made.detail.contains("blank"), "{}", made.detail);
    assert!(made.warnings.iter().any(|w| w.code.as_str() == "P006" && w.message.contains("80 pages")));
}

#[test]
fn a_print_table_with_mistakes_is_refused_with_hints() {
    let d = tempfile::tempdir().unwrap();
    sample_with(d.path(), "\n[print]\nservice = \"kdp\"\ntrim = \"6x9im\"\npaper = \"craem\"\n");
    let (book, report) = anthology::prepare(d.path(), false).unwrap();
    assert!(book.is_none());
    let hints: Vec<String> = report.diagnostics.iter().filter_map(|d| d.hint.clone()).collect();
    assert!(hints.iter().any(|h| h.contains("`6x9in`")), "{hints:?}");
}

#[test]
fn the_same_printed_book_gives_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in [&a, &b] {
        sample_with(d.path(), KDP);
        build(d.path());
    }
    for f in ["regards-croises.pdf", "regards-croises-cover.pdf"] {
        let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("dist").join(f)).unwrap();
        assert!(read(&a) == read(&b), "{f} differs between two builds");
    }
}

#[test]
fn a_release_of_a_printed_book_holds_its_cover() {
    let d = tempfile::tempdir().unwrap();
    sample_with(d.path(), KDP);
    let (book, _) = anthology::prepare(d.path(), false).unwrap();
    let mut book = book.unwrap();
    book.config.release.version = Some("v1.0.0".into());
    let out = d.path().join("dist");
    let which = Editions::default_for(&book.config);
    assert!(which.contains(Edition::Cover), "a printed book makes its cover by default");
    let which: Editions = [Edition::Pdf, Edition::Epub, Edition::Html, Edition::Cover].into_iter().collect();
    let session = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled());
    let outcome = session.editions(&book, &out, which);
    let manifest = anthology::release::write(&book, &out, &outcome).unwrap();
    let cover = manifest.editions.iter().find(|e| e.format == "cover").expect("the cover in the manifest");
    assert!(out.join(&cover.file).exists(), "{}", cover.file);
    let sums = std::fs::read_to_string(out.join(anthology::release::SUMS_FILE)).unwrap();
    assert!(sums.contains(&cover.file), "{sums}");
}

#[test]
fn watch_with_screen_makes_the_screen_pdf_of_a_printed_book() {
    let d = tempfile::tempdir().unwrap();
    sample_with(d.path(), KDP);
    let mut watcher = anthology::live::watch::Watcher::new(d.path(), &d.path().join("dist"), None, false).screen(true);
    let Ok(anthology::live::watch::Rebuild::Built { outcome, .. }) = watcher.build() else { panic!("built") };
    let made = outcome.made(Edition::Pdf).expect("the PDF");
    assert!(!made.detail.contains("print interior"), "{}", made.detail);
    assert!(outcome.get(Edition::Cover).is_none(), "no cover for the screen PDF");
}
