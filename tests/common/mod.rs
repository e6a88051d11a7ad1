//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The repository's root: the sample book.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tests run in CI, where a missing validator or corpus fails.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The validator at `tool`, or `None` after saying plainly that it is
/// missing; a missing validator fails the test in CI.
pub fn validator(tool: Option<PathBuf>, missing: &str) -> Option<PathBuf> {
    if tool.is_none() {
        assert!(!in_ci(), "{missing}");
        eprintln!("SKIPPED: {missing}");
    }
    tool
}

/// The books every edition is validated on, built in `into`: the sample, a
/// buildable copy of the 97-things corpus, a generated 112-essay book with
/// photos of `photo_pixels`, and the fixture of links between essays.
pub fn conformance_books(into: &Path, photo_pixels: u32) -> Vec<(String, PathBuf)> {
    let mut books: Vec<(String, PathBuf)> = vec![("sample".into(), repo())];
    if let Some(copy) = buildable_corpus(into) {
        books.push(("97-things".into(), copy));
    }
    let generated = into.join("generated");
    let settings = anthology::synth::Settings { essays: 112, words: 300, photo_pixels, ..Default::default() };
    anthology::synth::generate(&generated, &settings).unwrap();
    books.push(("generated-112".into(), generated));
    books.push(("links".into(), repo().join("tests/fixtures/valid/links")));
    books
}

/// Copies a folder, leaving every copy writable (shared/ is read-only in CI).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// A buildable copy of the 97-things corpus in `into`: it allows the corpus's
/// inline HTML and leaves out its one image hot-linked to a dead URL, the two
/// kinds of error `check` finds in it. `None` when the corpus is not there
/// (a failure in CI).
pub fn buildable_corpus(into: &Path) -> Option<PathBuf> {
    let corpus = repo().join("../shared/corpora/97-things-en");
    if !corpus.exists() {
        assert!(!in_ci(), "the 97-things corpus is missing at {}", corpus.display());
        eprintln!("SKIPPED: the 97-things corpus is missing at {}", corpus.display());
        return None;
    }
    let copy = into.join("97-things");
    copy_dir(&corpus, &copy);
    let mut toml = std::fs::read_to_string(copy.join("book.toml")).unwrap();
    toml.push_str("\n[rules]\nallow_html = true\n");
    std::fs::write(copy.join("book.toml"), toml).unwrap();
    let essay = copy.join("contributions/thing-46.md");
    let text: String = std::fs::read_to_string(&essay)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("![](http"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&essay, text).unwrap();
    Some(copy)
}
