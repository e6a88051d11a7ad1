//! Runs the `anthology` binary on the fixture books under `tests/fixtures`,
//! on the sample book at the repository's root, and on the 97-things corpus
//! in `../shared` when it is there.
//!
//! Each folder of `tests/fixtures/invalid/` is a book with one kind of
//! problem, named after its diagnostic code, and an `expected` file listing
//! exactly the diagnostics `check` must report (`CODE file:line`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anthology::diagnostic::{Code, Severity};

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_anthology"));
    c.env("NO_COLOR", "1");
    c
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run anthology")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a command told people: its diagnostics, progress and summaries.
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `CODE file:line` for each JSON diagnostic printed by `check --format json`.
fn json_lines(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            format!("{} {}:{}", v["code"].as_str().unwrap(), v["file"].as_str().unwrap(), v["line"])
        })
        .collect()
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

#[test]
fn every_invalid_fixture_reports_exactly_what_it_expects() {
    let mut failures = Vec::new();
    for dir in fixtures() {
        let out = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
        let got = json_lines(&out);
        let expected: Vec<String> =
            std::fs::read_to_string(dir.join("expected")).unwrap().lines().map(str::to_string).collect();
        let has_error = expected.iter().any(|l| {
            let code = l.split(' ').next().unwrap();
            Code::ALL.iter().find(|c| c.as_str() == code).unwrap().severity() == Severity::Error
        });
        let code = out.status.code();
        let want_code = if has_error { Some(1) } else { Some(0) };
        if got != expected || code != want_code {
            failures.push(format!(
                "{}: got {got:?} (exit {code:?}), expected {expected:?} (exit {want_code:?})",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_has_a_fixture_named_after_it() {
    let names: Vec<String> = fixtures().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for code in Code::ALL {
        if *code == Code::FileTooLarge {
            continue; // a file over the limit is made on the fly in `huge_files_are_refused_unread`
        }
        if code.as_str().starts_with('P') {
            continue; // typesetting diagnostics come from `build`, tested in tests/pdf.rs
        }
        if code.as_str().starts_with('M') {
            continue; // import diagnostics come from `import`, tested in tests/import.rs
        }
        let dir = format!("{}-{}", code.as_str(), code.name());
        assert!(names.contains(&dir), "no fixture tests/fixtures/invalid/{dir}");
        let expected =
            std::fs::read_to_string(repo().join("tests/fixtures/invalid").join(&dir).join("expected")).unwrap();
        assert!(expected.lines().any(|l| l.starts_with(code.as_str())), "{dir} does not expect {code}");
    }
}

#[test]
fn huge_files_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\nlanguage = \"en\"\n").unwrap();
    std::fs::create_dir(dir.path().join("contributions")).unwrap();
    let big = format!("+++\ntitle = \"Big\"\n[[authors]]\nname = \"A B\"\n+++\n{}", "word ".repeat(600_000));
    std::fs::write(dir.path().join("contributions/big.md"), big).unwrap();
    let out = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(json_lines(&out), vec!["S007 contributions/big.md:0"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn human_output_points_at_the_line_with_a_hint() {
    let dir = repo().join("tests/fixtures/invalid/F004-unknown-key");
    let out = run(&["check", dir.to_str().unwrap()]);
    let s = stderr(&out);
    assert!(s.contains("error[F004]: unknown key `sumary`"), "{s}");
    assert!(s.contains("contributions/a.md:3:1"), "{s}");
    assert!(s.contains("3 │ sumary = \"Typo\""), "{s}");
    assert!(s.contains("^^^^^^"), "{s}");
    assert!(s.contains("hint: did you mean `summary`?"), "{s}");
    assert!(s.contains("1 essay checked: 2 errors, 0 warnings"), "{s}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn github_output_annotates_lines() {
    let dir = repo().join("tests/fixtures/invalid/F004-unknown-key");
    let out = bin().args(["check", "--format", "github"]).current_dir(&dir).output().unwrap();
    let s = stdout(&out);
    assert!(
        s.contains("::error file=contributions/a.md,line=3,col=1,title=F004 unknown-key::unknown key `sumary`"),
        "{s}"
    );
    assert!(s.contains("::notice title=anthology check::1 essay checked: 2 errors, 0 warnings"), "{s}");
}

#[test]
fn github_paths_are_relative_to_the_working_folder() {
    let out = bin()
        .args(["check", "tests/fixtures/invalid/F004-unknown-key", "--format", "github"])
        .current_dir(repo())
        .output()
        .unwrap();
    let s = stdout(&out);
    assert!(s.contains("::error file=tests/fixtures/invalid/F004-unknown-key/contributions/a.md,line=3,"), "{s}");
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = repo().join("tests/fixtures/invalid/Y001-straight-quotes");
    let d = dir.to_str().unwrap();
    assert_eq!(run(&["check", d]).status.code(), Some(0));
    assert_eq!(run(&["check", d, "--deny-warnings"]).status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["build", "--format", "pdf,docx"]).status.code(), Some(2));
}

#[test]
fn every_command_has_help() {
    for cmd in ["init", "new", "check", "build", "watch", "serve", "list", "stats", "fonts", "clean"] {
        let out = run(&[cmd, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        assert!(stdout(&out).contains("Usage: anthology"), "{cmd}");
    }
}

#[test]
fn the_sample_book_checks_with_no_diagnostic() {
    let out = run(&["check", repo().to_str().unwrap(), "--format", "json"]);
    assert_eq!(json_lines(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_sample_book_lists_in_order() {
    let out = run(&["list", repo().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let s = stdout(&out);
    assert!(s.lines().filter(|l| l.contains(" words)")).count() >= 12, "{s}");
}

#[test]
fn build_refuses_a_book_with_errors_and_writes_nothing() {
    let src = repo().join("tests/fixtures/invalid/F007-missing-authors");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    let out = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was built"));
    assert!(!dir.path().join("dist").exists());
}

#[test]
fn build_writes_the_three_editions_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(&["init", dir.path().to_str().unwrap(), "--title", "Essais", "--language", "fr"]).status.success());
    let out = run(&["build", dir.path().to_str().unwrap(), "--format", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stderr(&out).contains("HTML  "), "{}", stderr(&out));
    assert!(dir.path().join("dist/html/index.html").exists());
    assert!(!dir.path().join("dist/essais.pdf").exists(), "only the asked edition");

    let out = run(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = std::fs::read(dir.path().join("dist/essais.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let epub = std::fs::read(dir.path().join("dist/essais.epub")).unwrap();
    assert!(epub.starts_with(b"PK"));
    assert!(dir.path().join("dist/html/example/index.html").exists());
    // Only the finished editions are left: no temporary file or folder beside them.
    let mut names: Vec<_> =
        std::fs::read_dir(dir.path().join("dist")).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    let expected: Vec<std::ffi::OsString> = ["essais.epub", "essais.pdf", "html"].iter().map(|s| s.into()).collect();
    assert_eq!(names, expected);
}

/// `build --timings` writes typst's trace and counts the layout passes: the
/// init sample's essay has a footnote, whose number typst finds in a
/// second pass; every other document settles in one.
#[test]
fn build_timings_writes_typsts_trace_and_counts_its_layout_passes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Timed"]).status.success());
    let trace = dir.path().join("trace.json");
    let out = run(&["build", d, "--format", "pdf", "--timings", trace.to_str().unwrap()]);
    let text = stderr(&out);
    assert!(out.status.success(), "{text}");
    let said = text.lines().find(|l| l.starts_with("typst laid out")).unwrap_or_else(|| panic!("{text}"));
    assert!(said.contains(" in one pass, 1 in 2 passes;"), "{said}");
    let events: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(&trace).unwrap()).unwrap();
    assert!(events.iter().any(|e| e["name"] == "iter (2)" && e["ph"] == "B"), "the second pass is in the trace");
    assert!(
        events.iter().any(|e| e["args"]["file"].as_str().is_some_and(|f| f.starts_with("/pieces/"))),
        "events name the typst file they are in"
    );
}

#[test]
fn every_edition_can_be_asked_for_and_is_staged_and_summarised() {
    use anthology::editions::Edition;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Every"]).status.success());
    // The cover is a printed book's.
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    std::fs::write(dir.path().join("book.toml"), format!("{toml}\n[print]\nservice = \"kdp\"\ntrim = \"6x9in\"\n"))
        .unwrap();
    let all: Vec<&str> = Edition::ALL.iter().map(|e| e.id()).collect();
    let out = run(&["build", d, "--verbose", "--format", &all.join(",")]);
    let config = anthology::config::BookConfig::minimal("Every", "en");
    let text = stderr(&out);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    for e in Edition::ALL {
        assert!(text.contains(&format!("done {}", e.stage())), "no progress for {e}: {text}");
        assert!(text.lines().any(|l| l.starts_with(&format!("{:<5} ", e.name()))), "no summary for {e}: {text}");
        assert!(e.target(&dir.path().join("dist"), &config).exists(), "{e} was not written");
    }
}

/// Contributions named as people name files (accents, capitals, other
/// scripts) check clean, and every edition names them by their ASCII form.
#[test]
fn contributions_named_in_any_script_get_ascii_urls_and_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("contributions/functionalDB")).unwrap();
    std::fs::write(
        d.join("book.toml"),
        "[book]\ntitle = \"Noms\"\nlanguage = \"fr\"\n\n[order]\nby = \"list\"\nlist = [\"noël-noël\", \"functionaldb\", \"東京\"]\n\n[rules]\nmin_words = 3\n",
    )
    .unwrap();
    let essay = |title: &str, body: &str| {
        format!("+++\ntitle = \"{title}\"\n\n[[authors]]\nname = \"Ann Example\"\n+++\n\n{body}\n")
    };
    std::fs::write(
        d.join("contributions/noël-noël.md"),
        essay("Noël", "Voir [l’autre texte](functionalDB/index.md) ici."),
    )
    .unwrap();
    std::fs::write(d.join("contributions/functionalDB/index.md"), essay("Functional", "Un texte assez long.")).unwrap();
    std::fs::write(d.join("contributions/東京.md"), essay("Tokyo", "Un troisième texte.")).unwrap();
    let out = run(&["check", d.to_str().unwrap(), "--deny-warnings"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let list = stdout(&run(&["list", d.to_str().unwrap()]));
    let order: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().nth(1)).collect();
    assert_eq!(order[0], "noel-noel", "{list}");
    assert_eq!(order[1], "functionaldb", "{list}");
    let tokyo = anthology::lang::slug::ascii("東京");
    assert_eq!(order[2], tokyo, "{list}");
    let out = run(&["build", d.to_str().unwrap(), "--format", "html,epub,offprints"]);
    assert!(out.status.success(), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    let dist = d.join("dist");
    for page in ["noel-noel", "functionaldb", tokyo.as_str()] {
        assert!(dist.join("html").join(page).join("index.html").exists(), "{page}");
        assert!(dist.join("offprints").join(format!("{page}.pdf")).exists(), "{page}");
    }
    let noel = std::fs::read_to_string(dist.join("html/noel-noel/index.html")).unwrap();
    assert!(noel.contains("href=\"../functionaldb/index.html\""), "the link between essays follows the slug");
    let epub = std::fs::read(dist.join("noms.epub")).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.iter().any(|n| n == "EPUB/essay-noel-noel.xhtml"), "{names:?}");
    let mut files: Vec<String> = Vec::new();
    for e in walk(&dist) {
        files.push(e.strip_prefix(&dist).unwrap().to_string_lossy().into_owned());
    }
    assert!(files.iter().all(|f| f.is_ascii()), "every file the editions write has an ASCII name: {files:?}");
}

/// Links between essays, to an essay, to one of its headings or to a heading
/// of the same essay, reach their target on the site, on the single page and
/// in the EPUB.
#[test]
fn links_between_essays_reach_their_headings_in_every_screen_edition() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/valid/links"), dir.path());
    let out = run(&["build", dir.path().to_str().unwrap(), "--format", "html,epub"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let read = |p: &str| std::fs::read_to_string(dir.path().join("dist").join(p)).unwrap();
    let a = read("html/a/index.html");
    for href in ["../b/index.html\"", "../b/index.html#s-the-second-part\"", "#s-a-heading-of-mine\""] {
        assert!(a.contains(&format!("href=\"{href}")), "{href} in {a}");
    }
    assert!(read("html/b/index.html").contains("<h2 id=\"s-the-second-part\">"));
    let all = read("html/all.html");
    for needle in [
        "href=\"#essay-b\"",
        "href=\"#b-s-the-second-part\"",
        "id=\"b-s-the-second-part\"",
        "href=\"#a-s-a-heading-of-mine\"",
    ] {
        assert!(all.contains(needle), "{needle}");
    }
    let epub = std::fs::read(dir.path().join("dist/links.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut essay = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("EPUB/essay-a.xhtml").unwrap(), &mut essay).unwrap();
    assert!(
        essay.contains("href=\"essay-b.xhtml#s-the-second-part\"") && essay.contains("href=\"#s-a-heading-of-mine\""),
        "{essay}"
    );
}

/// A reader that stops early (`anthology list | head -1`) is no failure: no
/// command panics on the closed pipe, and each exits 0.
#[test]
fn commands_printing_into_a_closed_pipe_do_not_panic() {
    for args in [vec!["stats"], vec!["fonts"], vec!["list"], vec!["check"]] {
        let mut child = bin()
            .args(&args)
            .arg(repo())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn init_new_and_check_as_a_new_user_would() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = run(&["init", d]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("created ") && stdout(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(run(&["check", d]).status.code(), Some(0));
    let out = run(&["new", "my-essay", "--dir", d, "--title", "Mon essai"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // --quiet: nothing but diagnostics, and there are none.
    let quiet = tempfile::tempdir().unwrap();
    let out = run(&["init", quiet.path().to_str().unwrap(), "-q"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", stderr(&out));
    let out = run(&["new", "other", "--dir", quiet.path().to_str().unwrap(), "-q"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", stderr(&out));
    let out = run(&["check", d, "--format", "json"]);
    assert_eq!(json_lines(&out), vec!["T002 contributions/my-essay.md:0"]);
    assert_eq!(run(&["new", "my-essay", "--dir", d]).status.code(), Some(1));
    assert_eq!(run(&["init", d]).status.code(), Some(1));
}

#[test]
fn clean_removes_only_output_inside_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d]).status.success());
    std::fs::create_dir_all(dir.path().join("dist/html")).unwrap();
    std::fs::create_dir_all(dir.path().join(".anthology-cache")).unwrap();
    assert!(run(&["clean", d]).status.success());
    assert!(!dir.path().join("dist").exists());
    assert!(!dir.path().join(".anthology-cache").exists());
    assert!(dir.path().join("book.toml").exists());
    // The book itself, or a folder outside it, is never removed.
    assert_eq!(run(&["clean", d, "--out", "."]).status.code(), Some(1));
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(run(&["clean", d, "--out", outside.path().to_str().unwrap()]).status.code(), Some(1));
    assert!(outside.path().exists());
}

/// The 97-things corpus (a real anthology by others) must load, and what
/// `check` says of it is pinned in `tests/corpus/97-things-en.expected`, a
/// list reviewed by hand: every line there is a true problem of that text.
#[test]
fn the_97_things_corpus_loads_and_its_diagnostics_are_pinned() {
    let corpus = repo().join("../shared/corpora/97-things-en");
    if !corpus.exists() {
        let msg = format!("the 97-things corpus is missing at {}", corpus.display());
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let out = run(&["check", corpus.to_str().unwrap(), "--format", "json"]);
    let said = stderr(&out);
    assert!(said.contains("97 essays checked"), "{said}");
    let expected = std::fs::read_to_string(repo().join("tests/corpus/97-things-en.expected")).unwrap();
    let got = json_lines(&out);
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(got, expected);
    // For people, a screenful: what the editions correct by themselves (413
    // paragraphs with straight quotes) is one line for the book, every
    // place with --verbose; the errors keep their source lines.
    let told = stderr(&run(&["check", corpus.to_str().unwrap()]));
    assert!(told.lines().count() < 120, "{} lines:\n{told}", told.lines().count());
    assert_eq!(told.matches("warning[Y001]").count(), 1, "{told}");
    assert!(told.contains("413 paragraphs with straight quotes or apostrophes in 96 texts"), "{told}");
    assert!(told.contains("error[T005]") && told.contains("error[I001]"), "{told}");
    let verbose = stderr(&run(&["check", corpus.to_str().unwrap(), "--verbose"]));
    assert_eq!(verbose.matches("warning[Y001]").count(), 413);
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_valid_book_orders_by_list_with_sections_drafts_and_front_matter() {
    let dir = repo().join("tests/fixtures/valid/ordered");
    let slugs = |args: &[&str]| -> Vec<String> {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        stdout(&out)
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1).filter(|_| l.contains(" words)")))
            .map(String::from)
            .collect()
    };
    let d = dir.to_str().unwrap();
    assert_eq!(slugs(&["list", d]), ["two", "four", "one"]);
    assert_eq!(slugs(&["list", d, "--drafts"]), ["two", "four", "three", "one"]);
    assert_eq!(json_lines(&run(&["check", d, "--format", "json"])), Vec::<String>::new());

    let (book, report) = anthology::prepare(&dir, false).unwrap();
    assert_eq!(report.diagnostics.len(), 0);
    let book = book.unwrap();
    assert_eq!(book.front[0].title, "Foreword");
    let titles: Vec<_> = book.parts.iter().map(|p| p.section.as_ref().map(|s| s.title.as_str())).collect();
    assert_eq!(titles, [None, Some("Part A"), Some("Part B")]);
    assert!(book.parts[2].intro.is_some());
    assert_eq!(book.contributors.len(), 3);
}

/// GETs `path` from 127.0.0.1:`port`: (status line, body).
fn http_get(port: u16, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

#[test]
fn serve_rebuilds_on_change_and_keeps_the_last_good_site() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Served"]).status.success());
    let mut child = bin().args(["serve", d, "--port", "0"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    let wait_for = |want: &str| {
        for _ in 0..100 {
            if http_get(port, "/__anthology/version").1 == want {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    let (status, home) = http_get(port, "/");
    assert!(status.contains("200"), "{status}");
    assert!(home.contains("Served") && home.contains("/__anthology/version"), "served pages reload themselves");
    assert!(http_get(port, "/../../etc/passwd").0.contains("404"));
    // Text goes gzipped to a browser that takes it, as static hosts send it.
    {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /assets/style.css HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: br, gzip;q=0.9\r\n\r\n")
            .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        assert!(head.contains("Content-Encoding: gzip"), "{head}");
        let mut css = String::new();
        flate2::read::GzDecoder::new(&raw[split + 4..]).read_to_string(&mut css).unwrap();
        assert!(css.contains(":root"), "the style sheet, whole");
        assert!(!http_get(port, "/assets/style.css").1.is_empty(), "and plain to one that does not");
    }
    assert_eq!(http_get(port, "/__anthology/version").1, "1");

    let essay = dir.path().join("contributions/example.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    std::fs::write(&essay, text.replace("An example contribution", "A changed title")).unwrap();
    assert!(wait_for("2"), "the site was not rebuilt after a change");
    assert!(http_get(port, "/example/index.html").1.contains("A changed title"));

    // An error: reported, and the last good site stays.
    std::fs::write(&essay, "no front matter at all\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(http_get(port, "/__anthology/version").1, "2");
    assert!(http_get(port, "/example/index.html").1.contains("A changed title"));
    child.kill().unwrap();
    child.wait().unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("the last good editions stay")), "{rest:?}");
}

#[test]
fn a_failed_edition_leaves_the_previous_one_intact() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Kept"]).status.success());
    assert!(run(&["build", d]).status.success());
    let pdf = dir.path().join("dist/kept.pdf");
    let before = std::fs::read(&pdf).unwrap();

    // A broken template: the PDF fails, the other editions are still made.
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/book.typ"), "#nonsense(\n").unwrap();
    let essay = dir.path().join("contributions/example.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    std::fs::write(&essay, text.replace("An example contribution", "A second version")).unwrap();
    let out = run(&["build", d]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[P001]"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the previous PDF is intact");
    let site = std::fs::read_to_string(dir.path().join("dist/html/example/index.html")).unwrap();
    assert!(site.contains("A second version"), "the other editions were made");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("dist")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().all(|n| !n.to_string_lossy().starts_with('.')), "no temporary file left: {names:?}");
}

#[test]
fn watch_rebuilds_every_edition_after_an_edit_and_keeps_them_on_errors() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Watched"]).status.success());
    let mut child = bin()
        .args(["watch", d])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    // Only the readers hold a sender now: the channel ends when both streams do.
    drop(tx);
    let mut seen = Vec::new();
    let mut wait_for = |want: &str| -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(want);
                    seen.push(line);
                    if found {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
        false
    };
    assert!(wait_for("watching"), "the first build did not end");
    let dist = dir.path().join("dist");
    let pdf = std::fs::read(dist.join("watched.pdf")).unwrap();
    let epub = std::fs::read(dist.join("watched.epub")).unwrap();

    let essay = dir.path().join("contributions/example.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    std::fs::write(&essay, text.replace("An example contribution", "A watched title")).unwrap();
    assert!(wait_for("checked and built"), "no rebuild after an edit");
    let page = std::fs::read_to_string(dist.join("html/example/index.html")).unwrap();
    assert!(page.contains("A watched title"));
    assert_ne!(std::fs::read(dist.join("watched.pdf")).unwrap(), pdf, "the PDF was remade");
    assert_ne!(std::fs::read(dist.join("watched.epub")).unwrap(), epub, "the EPUB was remade");
    let pdf = std::fs::read(dist.join("watched.pdf")).unwrap();

    // An error: reported, and every edition of the last good build stays.
    std::fs::write(&essay, "no front matter at all\n").unwrap();
    assert!(wait_for("the last good editions stay"), "the error was not reported");
    assert_eq!(std::fs::read(dist.join("watched.pdf")).unwrap(), pdf);
    assert!(std::fs::read_to_string(dist.join("html/example/index.html")).unwrap().contains("A watched title"));
    child.kill().unwrap();
    child.wait().unwrap();
    // What the two streams still held when the last line awaited came.
    seen.extend(rx.iter());
    assert!(seen.iter().any(|l| l.contains("error[F")), "the diagnostics were printed: {seen:?}");
}

#[test]
fn quiet_prints_nothing_but_verbose_tells_each_stage_and_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Told"]).status.success());
    let quiet = run(&["build", d, "--quiet", "--format", "html"]);
    assert!(quiet.status.success());
    assert_eq!((stdout(&quiet), stderr(&quiet)), (String::new(), String::new()));
    let verbose = run(&["build", d, "-v"]);
    let s = stderr(&verbose);
    for want in
        ["done checking the book", "done typesetting the PDF", "PDF   ", "EPUB  ", "HTML  ", "built in", "cache ("]
    {
        assert!(s.contains(want), "{want:?} missing from:\n{s}");
    }
    assert!(dir.path().join(".anthology-cache").is_dir());
}

#[test]
fn a_damaged_cache_is_detected_and_made_again_and_clean_empties_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let src = repo().join("contributions/a-picture-in-the-feed");
    assert!(run(&["init", d, "--title", "Cached"]).status.success());
    let essay = dir.path().join("contributions/a-picture-in-the-feed");
    std::fs::create_dir_all(&essay).unwrap();
    copy_dir(&src, &essay);
    let text = std::fs::read_to_string(essay.join("index.md")).unwrap();
    std::fs::write(essay.join("index.md"), text.replace("section = \"ecrire\"\n", "")).unwrap();
    let first = run(&["build", d, "-v"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let pdf = std::fs::read(dir.path().join("dist/cached.pdf")).unwrap();
    let epub = std::fs::read(dir.path().join("dist/cached.epub")).unwrap();

    let second = stderr(&run(&["build", d, "-v"]));
    assert!(second.contains(" made, 0 damaged") && second.contains("cache (.anthology-cache): "), "{second}");
    assert!(!second.contains(" 0 reused"), "the second build reused the cache: {second}");

    // Every entry damaged: each is found out, made again, and the editions are the same.
    let cache = dir.path().join(".anthology-cache").join(env!("CARGO_PKG_VERSION"));
    let mut entries = 0;
    for e in std::fs::read_dir(&cache).unwrap() {
        let path = e.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 1] ^= 0x55;
        std::fs::write(&path, bytes).unwrap();
        entries += 1;
    }
    assert!(entries > 3, "photos at several sizes, and the PDF: {entries}");
    let third = stderr(&run(&["build", d, "-v"]));
    assert!(third.contains(&format!("{entries} damaged and made again")), "{third}");
    assert_eq!(std::fs::read(dir.path().join("dist/cached.pdf")).unwrap(), pdf);
    assert_eq!(std::fs::read(dir.path().join("dist/cached.epub")).unwrap(), epub);

    assert!(run(&["clean", d]).status.success());
    assert!(!dir.path().join(".anthology-cache").exists());
}

#[test]
fn offprints_come_with_the_build_when_the_book_enables_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Extraits"]).status.success());
    let out = run(&["build", d, "--format", "html"]);
    assert!(out.status.success());
    assert!(!dir.path().join("dist/offprints").exists(), "not asked for");
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[offprints]\nenabled = true\n")).unwrap();
    let out = run(&["build", d]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stderr(&out).contains("1 offprints"), "{}", stderr(&out));
    let offprint = std::fs::read(dir.path().join("dist/offprints/example.pdf")).unwrap();
    assert!(offprint.starts_with(b"%PDF-"));
    // Again, from the cache: the same bytes.
    assert!(run(&["build", d]).status.success());
    assert_eq!(std::fs::read(dir.path().join("dist/offprints/example.pdf")).unwrap(), offprint);

    // A book's own template that knows nothing of offprints: a clear error, the old offprints stay.
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/book.typ"),
        "#let data = json(\"/book.json\")\n#for p in data.parts { for e in p.essays { include e.body } }\n",
    )
    .unwrap();
    let out = run(&["build", d, "--format", "pdf,offprints"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot make the offprint of `example`"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("dist/offprints/example.pdf")).unwrap(), offprint);
    assert!(stderr(&out).contains("PDF   "), "the book's PDF is still made: {}", stderr(&out));
}

#[test]
fn share_cards_are_images_and_posts_and_the_site_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Cartes"]).status.success());
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace("[book]\n", "[book]\nhashtag = \"Cartes2026\"\n");
    std::fs::write(
        &toml,
        format!("{text}\n[cards]\nenabled = true\n\n[html]\nbase_url = \"https://example.org/cartes\"\n"),
    )
    .unwrap();
    let out = run(&["build", d, "--format", "html,cards"]);
    assert!(out.status.success(), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(dir.path().join("dist/cards/example.png")).unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        (anthology::editions::typst::cards::WIDTH, anthology::editions::typst::cards::HEIGHT)
    );
    let post = std::fs::read_to_string(dir.path().join("dist/cards/example.txt")).unwrap();
    assert!(post.contains("#Cartes2026") && post.contains("https://example.org/cartes/example/"), "{post}");
    assert!(
        anthology::editions::typst::cards::post_weight(post.trim_end())
            <= anthology::editions::typst::cards::POST_LIMIT
    );
    let page = std::fs::read_to_string(dir.path().join("dist/html/example/index.html")).unwrap();
    assert!(
        page.contains("<meta property=\"og:image\" content=\"https://example.org/cartes/cards/example.png\">"),
        "{page}"
    );
    assert!(page.contains("summary_large_image"));
    assert_eq!(std::fs::read(dir.path().join("dist/html/cards/example.png")).unwrap(), png);

    // The same book, the same card.
    assert!(run(&["clean", d]).status.success());
    assert!(run(&["build", d, "--format", "cards"]).status.success());
    assert_eq!(std::fs::read(dir.path().join("dist/cards/example.png")).unwrap(), png);

    // The book's own design: templates/card.typ.
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/card.typ"),
        "#let cards = json(\"/cards.json\")\n#set page(width: 1200pt, height: 630pt, margin: 0pt, fill: rgb(\"#c0392b\"))\n#for (i, c) in cards.enumerate() { if i > 0 { pagebreak() }; c.slug }\n",
    )
    .unwrap();
    assert!(run(&["build", d, "--format", "cards"]).status.success());
    let own = image::open(dir.path().join("dist/cards/example.png")).unwrap().to_rgb8();
    assert_eq!(own.get_pixel(5, 5).0, [0xc0, 0x39, 0x2b]);
}

#[test]
fn fonts_shows_the_font_of_each_script_and_fails_without_one() {
    let out = bin().args(["fonts"]).arg(repo()).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.lines().any(|l| l.contains("Latin") && l.contains("Libertinus Serif (built in)")), "{text}");

    let dir = repo().join("tests/fixtures/invalid/P004-no-text-font");
    let out = bin().args(["fonts"]).arg(&dir).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let arabic = text.lines().find(|l| l.trim_start().starts_with("Arabic")).expect(&text);
    assert!(arabic.contains("none") && arabic.contains("fonts-noto-core"), "{arabic}");
}

/// A command, and what tells that what it printed is its data alone.
type DataCheck = (&'static [&'static str], fn(&str) -> bool);

/// Standard output carries only data: in a book with a warning, what
/// `export` (each format), `list`, `stats` and `check --format json` print
/// there is the data alone, each line of it what it should be, and
/// `export` tells the warning on standard error.
#[test]
fn data_goes_to_standard_output_and_what_people_read_to_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Piped"]).status.success());
    let book = dir.path().join("book.toml");
    let toml = std::fs::read_to_string(&book).unwrap().replacen(
        "[book]\n",
        "[book]\ndoi = \"10.5555/piped\"\npublisher = \"Piped Press\"\ndate = \"2026-12-07\"\n",
        1,
    );
    std::fs::write(
        &book,
        format!(
            "{toml}\n[html]\nbase_url = \"https://piped.example.org/\"\n\n[crossref]\ndepositor = \"Piped Press\"\nemail = \"doi@piped.example.org\"\n"
        ),
    )
    .unwrap();
    let essay = dir.path().join("contributions/example.md");
    let text = std::fs::read_to_string(&essay).unwrap();
    let text = text.replacen("+++\n", "+++\ndoi = \"10.5555/piped.1\"\n", 1);
    // Straight quotes: a warning (Y001) that every command below meets.
    std::fs::write(&essay, format!("{text}\nShe said \"so\".\n")).unwrap();
    let checks: [DataCheck; 7] = [
        (&["export", "crossref"], |s| s.starts_with("<?xml") && s.trim_end().ends_with("</doi_batch>")),
        (&["export", "bibtex"], |s| s.starts_with('@') && s.trim_end().ends_with('}')),
        (&["export", "ris"], |s| s.starts_with("TY  - ") && s.trim_end().ends_with("ER  -")),
        (&["export", "csl-json"], |s| serde_json::from_str::<serde_json::Value>(s).is_ok()),
        (&["list"], |s| s.lines().all(|l| !l.contains("warning[")) && s.contains(" words)")),
        (&["stats"], |s| s.starts_with("Piped: ") && !s.contains("warning[")),
        (&["check", "--format", "json"], |s| {
            s.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()) && s.contains("\"Y001\"")
        }),
    ];
    for (args, is_data) in checks {
        let out = bin().args(args).current_dir(dir.path()).output().unwrap();
        let (data, told) = (stdout(&out), stderr(&out));
        assert!(out.status.success(), "{args:?}: {told}");
        assert!(is_data(&data), "{args:?} printed more than its data:\n{data}");
        if args[0] == "export" {
            assert!(told.contains("warning[Y001]"), "{args:?}: the warning goes to standard error: {told}");
        }
    }
}

/// A fault of anthology's own (provoked here through `ANTHOLOGY_FAULT`,
/// which only debug builds read) is an internal error that says what was
/// being done and asks for a report, with exit code 70, never Rust's panic
/// message; the editions in `dist/` stay whole, the one being made as it was.
#[test]
fn a_panic_is_an_internal_error_that_names_what_was_being_done() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(run(&["init", d, "--title", "Faulty"]).status.success());
    assert!(run(&["build", d, "-q"]).status.success());
    let dist = dir.path().join("dist");
    let listing = |dir: &std::path::Path| -> Vec<(PathBuf, Vec<u8>)> { common::files_under(dir).into_iter().collect() };
    let before = listing(&dist);
    let epub = before.iter().find(|(p, _)| p.extension().is_some_and(|e| e == "epub")).unwrap().clone();
    for (fault, said) in [
        ("reading contributions/example.md", "while reading contributions/example.md"),
        ("making the EPUB", "while making the EPUB"),
    ] {
        let out = bin().args(["build", d]).env("ANTHOLOGY_FAULT", fault).env("RUST_BACKTRACE", "0").output().unwrap();
        let told = stderr(&out);
        assert_eq!(out.status.code(), Some(70), "{told}");
        assert!(told.contains(&format!("internal error: anthology stopped on a fault of its own {said}")), "{told}");
        assert!(told.contains("please report it"), "{told}");
        assert!(!told.contains("panicked at") && !told.contains("RUST_BACKTRACE"), "{told}");
        let after = listing(&dist);
        let names = |l: &[(PathBuf, Vec<u8>)]| l.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&after), names(&before), "{fault}: no file more or less in dist/");
        assert!(after.contains(&epub), "{fault}: the EPUB is the previous one");
    }
    assert_eq!(listing(&dist), before, "the editions made again are the same bytes; the EPUB was never replaced");
}

/// Every seed of the `book`, `image` and `roster` fuzz targets, among them
/// each input a fuzzer or a property test crashed on (kept as
/// `regression-…`), is read, checked and rendered again without a panic.
#[test]
fn the_readers_fuzz_seeds_and_the_crashes_they_found_run_without_a_panic() {
    let mut n = 0;
    for (target, run) in [
        ("book", anthology::fuzzing::book as fn(&[u8])),
        ("image", anthology::fuzzing::image),
        ("roster", anthology::fuzzing::roster),
    ] {
        for entry in std::fs::read_dir(repo().join("fuzz/seeds").join(target)).unwrap() {
            run(&std::fs::read(entry.unwrap().path()).unwrap());
            n += 1;
        }
    }
    assert!(n >= 12, "{n} seeds");
}
