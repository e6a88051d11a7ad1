//! Entry points for fuzzing the importers: arbitrary bytes laid out as the
//! files an importer reads, in a scratch folder, then imported. An import
//! may refuse its input or report anything; the one failure is a panic.
//! `fuzz/` runs them under libFuzzer (`cargo +nightly fuzz run`), and
//! `tests/import.rs` runs them on generated inputs in every `cargo test`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::markdown::Options;

/// A scratch folder, removed when dropped.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("anthology-fuzz-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // A folder that cannot be made leaves nothing to import: every
        // importer then refuses its input, which is no failure.
        let _ = std::fs::create_dir_all(&dir);
        Scratch(dir.canonicalize().unwrap_or(dir))
    }

    /// Writes `bytes` as `name`, returning its path.
    pub(crate) fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(&path, bytes);
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `data` cut at its NUL bytes into at most `n` parts (the last part keeps
/// the rest).
pub(crate) fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |b| *b == 0).collect()
}

/// Markdown sources: up to four files, a pandoc paper, a Quarto and an R
/// Markdown chapter and a Jekyll post, imported together (front matter,
/// metadata, knitr chunks, links between them, images they name).
pub fn markdown(data: &[u8]) {
    let dir = Scratch::new();
    let names = ["paper/paper.md", "chapters/intro.qmd", "chapters/methods.Rmd", "_posts/2020-01-02-post.md"];
    let files: Vec<PathBuf> = parts(data, names.len()).iter().zip(names).map(|(p, n)| dir.file(n, p)).collect();
    let opts = Options { root: Some(dir.0.clone()), ..Options::default() };
    let _ = super::markdown::import(&files, &opts);
    let _ = super::markdown::import(std::slice::from_ref(&dir.0), &opts);
}

/// A Word document: the bytes of a whole `.docx`, or, when they start with
/// `<`, its parts' XML (the main document, its relationships, numbering,
/// styles and footnotes, cut at NUL bytes) packed into one, so that the
/// fuzzer reaches the XML walk rather than the zip's checksums.
pub fn docx(data: &[u8]) {
    let dir = Scratch::new();
    let bytes = if data.first() == Some(&b'<') { package(data) } else { data.to_vec() };
    let file = dir.file("essay.docx", &bytes);
    let _ = super::docx::import(&[file], &super::docx::Options::default());
}

/// Parts of a Word document packed as one.
fn package(data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    const NAMES: [&str; 5] = [
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/numbering.xml",
        "word/styles.xml",
        "word/footnotes.xml",
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, part) in NAMES.iter().zip(parts(data, NAMES.len())) {
        let _ = zip.start_file(*name, zip::write::SimpleFileOptions::default());
        let _ = zip.write_all(part);
    }
    let _ = zip.start_file("word/media/image1.png", zip::write::SimpleFileOptions::default());
    let _ = zip.write_all(&[0x89, b'P', b'N', b'G']);
    zip.finish().map(std::io::Cursor::into_inner).unwrap_or_default()
}

/// A whole book: the first byte chooses the tool (Quarto, bookdown,
/// Jupyter Book, mystmd, mdBook), the first part is its configuration,
/// the others its chapters, under the names the seeds' configurations use.
pub fn project(data: &[u8]) {
    let Some((kind, rest)) = data.split_first() else { return };
    let dir = Scratch::new();
    let chapters = ["index", "intro", "methods", "appendix"];
    let (config, ext): (&[&str], &str) = match kind % 5 {
        0 => (&["_quarto.yml"], "qmd"),
        1 => (&["_bookdown.yml"], "Rmd"),
        2 => (&["_toc.yml", "_config.yml"], "md"),
        3 => (&["myst.yml"], "md"),
        _ => (&["book.toml", "src/SUMMARY.md"], "md"),
    };
    let pieces = parts(rest, config.len() + chapters.len() + 1);
    let mut pieces = pieces.into_iter();
    for name in config {
        dir.file(name, pieces.next().unwrap_or_default());
    }
    let prefix = if kind % 5 == 4 { "src/" } else { "" };
    for (c, text) in chapters.iter().zip(pieces.by_ref()) {
        dir.file(&format!("{prefix}{c}.{ext}"), text);
    }
    if let Some(notebook) = pieces.next() {
        dir.file("notebook.ipynb", notebook);
    }
    let opts = Options::default();
    let root: &Path = &dir.0;
    let _ = match kind % 5 {
        0 => super::quarto::import(root, &opts),
        1 => super::bookdown::import(root, &opts),
        2 | 3 => super::jupyterbook::import(root, &opts),
        _ => super::mdbook::import(root, &opts),
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_entry_points_run_on_what_they_are_given() {
        super::markdown(b"---\ntitle: A\n---\nText [link](../chapters/intro.qmd).\0# Intro\n\0\0");
        super::docx(b"PK\x03\x04 not a zip");
        super::docx(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>");
        for kind in 0..5u8 {
            let mut data = vec![kind];
            data.extend_from_slice(b"book:\n  chapters: [index.qmd]\0# Index\n");
            super::project(&data);
        }
    }
}
