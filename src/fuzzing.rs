//! Entry points for fuzzing what a book's authors and editors write: any
//! bytes laid out as a book (its `book.toml`, contributions with front
//! matter, Markdown, math, citations, raw HTML and SVG, a reference file in
//! BibTeX or Hayagriva's YAML, an image), then checked, ordered and
//! rendered as the site, the EPUB and the PDF's typst markup. A book may be
//! refused or reported on; the one failure is a panic. `fuzz/` runs them
//! under libFuzzer (`cargo +nightly fuzz run book`), and `tests/cli.rs` runs
//! the seeds in every `cargo test`.

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
