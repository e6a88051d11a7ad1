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
/// photos of `photo_pixels`, the fixture of links between essays, the
/// fixture of every construct (with its hostile essay), and the EIP corpus.
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

/// The EIP corpus (Jekyll Markdown with YAML front matter, not this tool's
/// format) converted into a book in `into`, as an editor would until
/// `anthology import` exists: each proposal becomes `contributions/eip-N.md`
/// with TOML front matter (title, `description` as the summary, authors
/// from the one `Name (@handle), Name <email>` string), `assets/` is copied
/// beside `contributions/` so that `../assets/…` still resolves, and the body
/// is imported as [`imported_body`] says. The text is not otherwise touched:
/// raw HTML, math, tables and code reach the tool as written. `None` when the corpus is not there (a failure in CI).
pub fn eips_book(into: &Path) -> Option<PathBuf> {
    let corpus = repo().join("../shared/corpora/eips-jekyll");
    if !corpus.exists() {
        assert!(!in_ci(), "the EIP corpus is missing at {}", corpus.display());
        eprintln!("SKIPPED: the EIP corpus is missing at {}", corpus.display());
        return None;
    }
    let book = into.join("eips");
    std::fs::create_dir_all(book.join("contributions")).unwrap();
    copy_dir(&corpus.join("assets"), &book.join("assets"));
    // Every proposal ends by linking its licence, `../LICENSE.md`.
    std::fs::copy(corpus.join("LICENSE.md"), book.join("LICENSE.md")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Ethereum Improvement Proposals\"\nlanguage = \"en\"\neditors = [\"The EIP editors\"]\n\
         license = \"CC0 1.0\"\n\n[rules]\nmin_words = 0\nmax_words = 100000\nallow_html = true\ntypography = false\n",
    )
    .unwrap();
    let mut names: Vec<String> = std::fs::read_dir(corpus.join("EIPS"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for name in &names {
        let text = std::fs::read_to_string(corpus.join("EIPS").join(name)).unwrap();
        let rest = text.strip_prefix("---\n").expect("Jekyll front matter");
        let end = rest.find("\n---\n").expect("closed front matter");
        let yaml = &yaml_rust2::YamlLoader::load_from_str(&rest[..end]).unwrap()[0];
        let field = |k: &str| match &yaml[k] {
            yaml_rust2::Yaml::String(s) => Some(s.clone()),
            yaml_rust2::Yaml::Integer(i) => Some(i.to_string()),
            _ => None,
        };
        let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut fm = format!("+++\ntitle = {}\n", toml_str(&field("title").unwrap()));
        if let Some(d) = field("description") {
            fm.push_str(&format!("summary = {}\n", toml_str(&d)));
        }
        for author in split_authors(&field("author").unwrap()) {
            fm.push_str(&format!("\n[[authors]]\nname = {}\n", toml_str(&author.0)));
            if let Some(h) = author.1 {
                fm.push_str(&format!("handle = {}\n", toml_str(&h)));
            }
        }
        fm.push_str("+++\n");
        let body = imported_body(&rest[end + 5..], &corpus.join("EIPS"));
        std::fs::write(book.join("contributions").join(name), fm + &body).unwrap();
    }
    Some(book)
}

/// `Name (@handle), Name <email>, Name` as (name, handle) pairs.
fn split_authors(s: &str) -> Vec<(String, Option<String>)> {
    s.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            let handle = a.find("(@").and_then(|i| a[i + 1..].split(')').next()).map(str::to_string);
            let name = a.split(['(', '<']).next().unwrap().trim().to_string();
            (name, handle)
        })
        .filter(|(n, _)| !n.is_empty())
        .collect()
}

/// The body as an editor would import it: headings one level down when the
/// text uses `#` (the title is in the front matter), and relative links to
/// files the corpus does not hold (proposals that are not Final, assets over
/// its size limit) pointed at their published page; `./eip-N` gets its `.md`.
fn imported_body(body: &str, eips: &Path) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence = false;
    let demote = body.lines().any(|l| l.starts_with("# "));
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
        }
        let mut line = line.to_string();
        if !fence {
            if demote && line.starts_with('#') && line.trim_start_matches('#').starts_with(' ') {
                line.insert(0, '#');
            }
            line = retarget_links(&line, eips);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Relative link targets (after `](` or in a `[label]: target` line) that
/// name no file of the corpus, as the proposal's or the asset's published page.
fn retarget_links(line: &str, eips: &Path) -> String {
    let fix = |target: &str| -> Option<String> {
        if target.is_empty() || target.starts_with('#') || target.contains("://") || target.starts_with("mailto:") {
            return None;
        }
        let (file, fragment) = target.split_once('#').map_or((target, ""), |(f, g)| (f, g));
        let with_md = if file.trim_start_matches("./").starts_with("eip-") && !file.ends_with(".md") {
            format!("{file}.md")
        } else {
            file.to_string()
        };
        if eips.join(&with_md).is_file() {
            return (with_md != file)
                .then(|| if fragment.is_empty() { with_md } else { format!("{with_md}#{fragment}") });
        }
        let published = with_md.trim_start_matches("./").trim_start_matches("../");
        let published = if published.starts_with("assets/") {
            published.to_string()
        } else {
            format!("EIPS/{}", published.trim_end_matches(".md"))
        };
        Some(format!("https://eips.ethereum.org/{published}"))
    };
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(i) = trimmed.find("]: ")
    {
        let target = trimmed[i + 3..].split_whitespace().next().unwrap_or("");
        if let Some(new) = fix(target) {
            return line.replacen(target, &new, 1);
        }
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        let target = rest.split([')', ' ']).next().unwrap_or("");
        if let Some(new) = fix(target) {
            out.push_str(&new);
            rest = &rest[target.len()..];
        }
    }
    out.push_str(rest);
    out
}
