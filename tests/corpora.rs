//! Books nobody here wrote: the EIP corpus (Jekyll Markdown with raw HTML,
//! math, tables, code in many languages, links between essays, GIF and SVG
//! files) and the Turkish 97-things. Each must check with no error and
//! typeset; everything `check` says of it, what the editions leave out
//! (T011) included, is pinned in `tests/corpus/<name>.expected`
//! (`UPDATE_SNAPSHOTS=1` rewrites it), each line reviewed by hand, so that a
//! change in what a real book loses is seen in review. EPUBCheck and the Nu checker run on the same books in
//! tests/epub.rs and tests/html.rs; qpdf runs on their PDFs here.

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// `code file:line message` for every error, and for every diagnostic.
fn findings(dir: &Path) -> (Vec<String>, Vec<String>) {
    let checked = anthology::check(dir).unwrap();
    let line = |d: &anthology::diagnostic::Diagnostic| {
        format!(
            "{} {}:{} {}",
            d.code.as_str(),
            anthology::diagnostic::slash_path(&d.location.file),
            d.location.line,
            d.message
        )
    };
    let errors = checked
        .report
        .diagnostics
        .iter()
        .filter(|d| d.severity == anthology::diagnostic::Severity::Error)
        .map(line)
        .collect();
    let pinned = checked.report.diagnostics.iter().map(line).collect();
    (errors, pinned)
}

fn compare_with_pinned(name: &str, lines: &[String]) {
    let file = common::repo().join(format!("tests/corpus/{name}.expected"));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        expected == text,
        "what {name} loses changed; review and run with UPDATE_SNAPSHOTS=1:\n--- expected\n{expected}\n--- now\n{text}"
    );
}

fn qpdf() -> Option<PathBuf> {
    Command::new("qpdf").arg("--version").output().ok().filter(|o| o.status.success()).map(|_| PathBuf::from("qpdf"))
}

/// Typesets `dir` and has qpdf check the PDF; returns its page count.
fn typeset_and_check(dir: &Path, name: &str) -> usize {
    let (book, report) = anthology::prepare(dir, false).unwrap();
    assert_eq!(report.errors(), 0);
    let pdf = anthology::editions::typst::render(&book.unwrap()).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    if let Some(qpdf) = common::validator(qpdf(), "qpdf is missing: apt-get install qpdf") {
        let file = dir.join(format!("{name}.pdf"));
        std::fs::write(&file, &pdf.bytes).unwrap();
        let out = Command::new(qpdf).arg("--check").arg(&file).output().unwrap();
        assert!(out.status.success(), "qpdf rejects the {name} PDF:\n{}", String::from_utf8_lossy(&out.stdout));
    }
    pdf.pages
}

/// Checks the book in `dir` (no error), compares everything `check` says of
/// it with `tests/corpus/<name>.expected`, and typesets it under qpdf.
fn builds_with_its_findings_pinned(dir: &Path, name: &str) {
    let (errors, findings) = findings(dir);
    assert!(errors.is_empty(), "{errors:#?}");
    compare_with_pinned(name, &findings);
    let pages = typeset_and_check(dir, name);
    let lost = findings.iter().filter(|l| l.starts_with("T011")).count();
    println!("{name}: {pages} pages, {} warnings, {lost} of them things left out (pinned)", findings.len());
}

#[test]
fn the_eip_corpus_checks_typesets_and_what_it_loses_is_pinned() {
    let out = tempfile::tempdir().unwrap();
    let Some(dir) = common::eips_book(out.path()) else { return };
    builds_with_its_findings_pinned(&dir, "eips");
}

#[test]
fn the_turkish_97_things_checks_and_typesets() {
    let out = tempfile::tempdir().unwrap();
    let Some(dir) = common::buildable_corpus(out.path(), "97-things-tr") else { return };
    builds_with_its_findings_pinned(&dir, "97-things-tr");
}
