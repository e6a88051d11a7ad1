//! Entry points for fuzzing what a book's authors and editors write: any
//! bytes laid out as a book (its `book.toml`, contributions with front
//! matter, Markdown, math, citations, raw HTML and SVG, a reference file in
//! BibTeX or Hayagriva's YAML), then checked, ordered and rendered as the
//! site, the EPUB and the PDF's typst markup; an image, probed and scaled
//! as the editions do; a roster of contributors in CSV, TSV or XLSX. An
//! input may be refused or reported on; the one failure is a panic.
//! `fuzz/` runs them under libFuzzer (`cargo +nightly fuzz run book`), and
//! `tests/cli.rs` runs the seeds in every `cargo test`.

use crate::import::fuzzing::{Scratch, parts};

/// The files of a fuzzed book, in the order the input's NUL-separated parts
/// fill them; what the input does not reach is the seed book's own.
const FILES: [&str; 6] = [
    "book.toml",
    "contributions/a.md",
    "contributions/b/index.md",
    "contributions/b/references.bib",
    "contributions/b/figure.svg",
    "references.yaml",
];

/// A book from `data`: `book.toml`, two contributions (one a folder with
/// its own BibTeX and an SVG), the book's Hayagriva references. Checked,
/// then, when it has no errors, ordered and rendered.
pub fn book(data: &[u8]) {
    contained_panics_are_no_crash();
    let dir = Scratch::new();
    for (name, part) in FILES.iter().zip(parts(data, FILES.len())) {
        dir.file(name, part);
    }
    let Ok((Some(book), _)) = crate::prepare(&dir.0, true) else { return };
    let _ = crate::editions::html::render(&book);
    let _ = crate::editions::epub::render(&book);
    if let Ok(fonts) = crate::editions::typst::fonts_for(&book) {
        let _ = crate::editions::typst::sources(&book, &fonts);
    }
}

/// An image: the first byte chooses the name it is given (PNG, JPEG, GIF,
/// WebP or SVG), the rest is the file. Probed from its header as `check`
/// does, then, when that accepts it, decoded and scaled as the editions do
/// (an SVG sanitised first).
pub fn image(data: &[u8]) {
    let Some((kind, rest)) = data.split_first() else { return };
    let dir = Scratch::new();
    let name = ["a.png", "a.jpg", "a.gif", "a.webp", "a.svg"][usize::from(*kind) % 5];
    let path = dir.file(name, rest);
    let Ok(info) = crate::input::assets::probe(&path) else { return };
    if name.ends_with(".svg") {
        let _ = crate::input::svg::sanitise(rest, std::sync::Arc::new(usvg::fontdb::Database::new()));
    } else if u64::from(info.width) * u64::from(info.height) <= 4_000_000 {
        // The limit `[rules] max_image_pixels` sets, smaller: a fuzzer's run is short.
        let _ = crate::editions::images::process_sizes(&path, &[64, 640]);
    }
}

/// A roster of contributors: the first byte chooses CSV, TSV or XLSX (the
/// rest the file), applied to a book of one contribution.
pub fn roster(data: &[u8]) {
    let Some((kind, rest)) = data.split_first() else { return };
    let dir = Scratch::new();
    dir.file("book.toml", b"[book]\ntitle = \"Roster\"\nlanguage = \"en\"\neditors = [\"Ed\"]\n");
    dir.file("contributions/a.md", b"+++\ntitle = \"A\"\n\n[[authors]]\nname = \"Ada Lovelace\"\n+++\n\nText.\n");
    let name = ["roster.csv", "roster.tsv", "roster.xlsx"][usize::from(*kind) % 3];
    let path = dir.file(name, rest);
    let _ = crate::import::roster::import(&dir.0, &path);
}

/// libFuzzer's panic hook aborts on any panic, even one the program
/// catches: the hook is wrapped once so that a panic inside
/// [`crate::doing::contained`] (a library's known failure on one input,
/// which the program turns into a diagnostic) is not taken for a crash.
fn contained_panics_are_no_crash() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let theirs = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !crate::doing::is_contained() {
                theirs(info);
            }
        }));
    });
}
