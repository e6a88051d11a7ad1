//! Stage 5, for `build --release`: what a release publishes beside the
//! editions.
//!
//! A release is downloaded by people who did not build it, so it must say
//! what it holds and let them verify it: the site (and the offprints and
//! share cards, when the book makes them) is packed into one zip each (with
//! fixed dates and a sorted order, so that the same site gives the same
//! bytes), `SHA256SUMS` lists each artifact's digest in the format
//! `sha256sum -c` reads, and `manifest.json` describes the book and each
//! edition. With the date taken from the book's last commit, two release
//! builds of the same commit give identical files.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::build::Outcome;
use crate::editions::{Edition, Published};
use crate::files::write_atomically;
use crate::model::book::Book;

/// The checksum file, beside the editions.
pub const SUMS_FILE: &str = "SHA256SUMS";
/// The manifest, beside the editions.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Why the release files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// An edition a release needs was not made.
    #[error("the {0} edition was not made: a release needs the PDF, the EPUB and the website")]
    Missing(Edition),
    /// Reading the editions or writing the release files failed.
    #[error("cannot write the release files in {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Zipping the site failed.
    #[error("cannot zip the site: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// The fonts of the PDF could not be read again to list them.
    #[error("cannot list the PDF's fonts: {0}")]
    Fonts(crate::editions::typst::PdfError),
}

/// One published file.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Artifact {
    /// `pdf`, `epub`, `html`, `offprints` or `cards`.
    pub format: &'static str,
    /// The language of the edition (the site holds every language's).
    pub language: String,
    /// Its name, in the output folder.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, in hexadecimal.
    pub sha256: String,
    /// Pages (the PDF's, or the site's HTML pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
}

/// What `manifest.json` says.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// The book's title.
    pub title: String,
    /// Its identifier (`urn:isbn:…` or `urn:uuid:…`).
    pub identifier: String,
    /// The release's version, when one was given.
    pub version: Option<String>,
    /// Its language.
    pub language: String,
    /// Every language it is published in, its own first.
    pub languages: Vec<String>,
    /// The date the editions carry (ISO 8601).
    pub date: String,
    /// The tool and its version.
    pub tool: String,
    /// Number of essays.
    pub essays: usize,
    /// Number of contributors.
    pub contributors: usize,
    /// Words in the essays.
    pub words: usize,
    /// The published files.
    pub editions: Vec<Artifact>,
    /// Every font the PDF embeds, with the SHA-256 of its file: the same
    /// sources give the same PDF wherever these fonts are.
    pub fonts: Vec<crate::fonts::UsedFont>,
}

fn hex(bytes: &[u8]) -> String {
    crate::files::sha256_hex(bytes)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReleaseError + '_ {
    move |source| ReleaseError::Io { path: path.to_path_buf(), source }
}

/// The files of `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let path = e?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The site in `dir` as a zip: entries sorted, dated 1980-01-01 (the zip
/// format's first day), so that the same site always gives the same bytes.
pub fn zip_site(dir: &Path) -> Result<Vec<u8>, ReleaseError> {
    zip_folder(dir, "html")
}

/// The files of `dir` as a zip, under `prefix/`, deterministically.
fn zip_folder(dir: &Path, prefix: &str) -> Result<Vec<u8>, ReleaseError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for rel in files_under(dir).map_err(io(dir))? {
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        zip.start_file(format!("{prefix}/{name}"), options)?;
        let bytes = std::fs::read(dir.join(&rel)).map_err(io(dir))?;
        zip.write_all(&bytes).map_err(io(dir))?;
    }
    Ok(zip.finish()?.into_inner())
}

fn artifact(format: &'static str, path: &Path, pages: Option<usize>, language: &str) -> Result<Artifact, ReleaseError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    Ok(Artifact {
        format,
        language: language.to_string(),
        file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        bytes: bytes.len() as u64,
        sha256: hex(&bytes),
        pages,
    })
}

/// Writes the zipped site, `SHA256SUMS` and `manifest.json` into `out`,
/// beside the editions of `outcome`. Returns the manifest.
pub fn write(book: &Book, out: &Path, outcome: &Outcome) -> Result<Manifest, ReleaseError> {
    write_all(&[(book, outcome)], out)
}

/// [`write`] for a book published in several languages: `books` is the
/// book and its outcome, then each of its editions in another language
/// with theirs. Every edition is listed with its language; the site is
/// one, with every language's inside it.
pub fn write_all(books: &[(&Book, &Outcome)], out: &Path) -> Result<Manifest, ReleaseError> {
    let Some(&(book, _)) = books.first() else { return Err(ReleaseError::Missing(Edition::Pdf)) };
    let mut editions = Vec::new();
    let mut fonts: Vec<crate::fonts::UsedFont> = Vec::new();
    // The translated sites go in the book's zip: it is zipped after them.
    for &(b, outcome) in books.iter().skip(1).chain(books.first()) {
        let translation = b.config.translation_of.is_some();
        for edition in Edition::ALL {
            let Some(made) = outcome.made(edition) else {
                if edition.required_in_release() {
                    return Err(ReleaseError::Missing(edition));
                }
                continue;
            };
            if translation && edition == Edition::Html {
                continue;
            }
            let format = edition.id();
            let path = match edition.published() {
                Published::AsIs => made.path.clone(),
                Published::Zipped => {
                    let folder = edition.target(out, &b.config);
                    let path = out.join(format!("{}-{format}.zip", b.config.file_stem()));
                    write_atomically(&path, &zip_folder(&folder, format)?).map_err(io(&path))?;
                    path
                }
            };
            editions.push(artifact(format, &path, made.pages, &b.config.language)?);
        }
        if let Some(made) = outcome.made(Edition::Pdf) {
            let pdf = std::fs::read(&made.path).map_err(io(&made.path))?;
            for f in crate::editions::typst::fonts_for(b).map(|f| f.used_in(&pdf)).map_err(ReleaseError::Fonts)? {
                if !fonts.contains(&f) {
                    fonts.push(f);
                }
            }
        }
    }
    // The book's own editions first, then each language's, as book.toml lists them.
    let rank = |lang: &str| book.config.languages.iter().position(|l| l == lang).unwrap_or(usize::MAX);
    editions.sort_by_key(|a| rank(&a.language));
    let sums: String = editions.iter().map(|a| format!("{}  {}\n", a.sha256, a.file)).collect();
    let sums_path = out.join(SUMS_FILE);
    write_atomically(&sums_path, sums.as_bytes()).map_err(io(&sums_path))?;
    let manifest = Manifest {
        title: book.config.title.clone(),
        identifier: book.config.identifier.clone(),
        version: book.config.release.version.clone(),
        language: book.config.language.clone(),
        languages: book.config.languages.clone(),
        date: book.config.iso8601(),
        tool: format!("anthology {}", env!("CARGO_PKG_VERSION")),
        essays: book.essays().count(),
        contributors: book.contributors.len(),
        words: book.essays().map(|e| e.words).sum(),
        editions,
        fonts,
    };
    let json = serde_json::to_string_pretty(&manifest).expect("plain values") + "\n";
    let manifest_path = out.join(MANIFEST_FILE);
    write_atomically(&manifest_path, json.as_bytes()).map_err(io(&manifest_path))?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_site_zips_to_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        std::fs::write(dir.path().join("index.html"), "home").unwrap();
        std::fs::write(dir.path().join("b/c/page.html"), "page").unwrap();
        let a = zip_site(dir.path()).unwrap();
        // Files touched again: same content, other times.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("index.html"), "home").unwrap();
        assert_eq!(zip_site(dir.path()).unwrap(), a);
        let names: Vec<String> =
            zip::ZipArchive::new(Cursor::new(a)).unwrap().file_names().map(|n| n.unwrap().into_owned()).collect();
        assert_eq!(names.len(), 2);
        assert!(names.contains(&"html/b/c/page.html".to_string()), "{names:?}");
    }
}
