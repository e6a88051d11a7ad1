//! Entry points for fuzzing what a book's authors and editors write: any
//! bytes laid out as a book (its `book.toml`, contributions with front
//! matter, Markdown, math, citations, raw HTML and SVG, a reference file in
//! BibTeX or Hayagriva's YAML), then checked, ordered and rendered as the
//! site, the EPUB and the PDF's typst markup; an image, probed and scaled
//! as the editions do; a roster of contributors in CSV, TSV or XLSX. An
//! input may be refused or reported on; the failures are a panic and
//! holding more heap at once than [`BUDGET`].
//! `fuzz/` runs them under libFuzzer (`fuzz/run 60 book`), within a heap
//! budget that [`Counted`] and [`within_budget`] keep, and
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

/// The most one input may hold on the heap at once: an essay, an image or a
/// roster that takes more would exhaust an editor's machine with a few of
/// its kind. [`within_budget`] makes going over it a crash.
pub const BUDGET: usize = 1 << 30;

/// The heap in use and its high mark, counted by [`Counted`].
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The system allocator, counting what is in use: a fuzz target's global
/// allocator, so that [`within_budget`] sees what one input takes. libFuzzer
/// sees only a single allocation's size, and only under a sanitizer.
pub struct Counted;

impl Counted {
    fn grew(by: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let now = LIVE.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
    }

    fn shrank(by: usize) {
        LIVE.fetch_sub(by, std::sync::atomic::Ordering::Relaxed);
    }
}

// SAFETY: every call is the system allocator's, with the same arguments;
// the counting around it touches no memory it returns.
unsafe impl std::alloc::GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        let p = unsafe { std::alloc::System.alloc(layout) };
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as the caller promises for `layout`.
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, which is the system's.
        unsafe { std::alloc::System.dealloc(ptr, layout) };
        Self::shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator, which is the system's.
        let p = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            Self::shrank(layout.size());
            Self::grew(new_size);
        }
        p
    }
}

/// Runs one input, then panics (a crash, for libFuzzer, which keeps the
/// input) when the heap it took at its highest was over [`BUDGET`]. Only
/// meaningful with [`Counted`] as the global allocator.
pub fn within_budget(run: impl FnOnce()) {
    use std::sync::atomic::Ordering::Relaxed;
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    run();
    let took = PEAK.load(Relaxed).saturating_sub(before);
    assert!(took <= BUDGET, "one input took {} MiB of heap at once; the budget is {} MiB", took >> 20, BUDGET >> 20);
}

/// The unit tests count their heap as the fuzz targets do.
#[cfg(test)]
#[global_allocator]
static HEAP: Counted = Counted;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_over_the_heap_budget_is_a_crash() {
        // Reserved, never touched: counted without costing the machine.
        within_budget(|| drop(std::hint::black_box(Vec::<u8>::with_capacity(1 << 20))));
        // The count is the process's: other tests free memory meanwhile,
        // so the input takes twice the budget, where their frees cannot
        // bring it under.
        let over = std::panic::catch_unwind(|| {
            within_budget(|| drop(std::hint::black_box(Vec::<u8>::with_capacity(2 * BUDGET))))
        });
        let message = over.expect_err("over the budget");
        let message = message.downcast_ref::<String>().expect("a message");
        let took: usize = message
            .strip_prefix("one input took ")
            .and_then(|m| m.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{message}"));
        assert!(took > BUDGET >> 20 && message.contains("the budget is 1024 MiB"), "{message}");
    }
}
