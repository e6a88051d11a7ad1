//! A site that waits for the PDF, held small.
//!
//! A build renders the website while typst lays the book out, and finishes
//! it once the PDF's pages are known (see [`cite`](super::cite)). In the
//! meantime its files sit in memory at the moment the PDF needs the most:
//! 31 MiB of pages for a book of 1,000 essays. Pages are text that deflate
//! shrinks several times over, so the waiting site keeps its text files
//! deflated and its images (already compressed) as they are, and gives the
//! plain files back when it is finished.

use super::{Site, cite};
use crate::model::book::Book;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// One file of a held site.
#[derive(Debug, Clone)]
enum File {
    /// As it will be written.
    Plain(Vec<u8>),
    /// Deflated.
    Deflated(Vec<u8>),
}

/// A rendered site waiting to be finished, its text files deflated.
#[derive(Debug, Clone)]
pub struct Held {
    files: BTreeMap<PathBuf, File>,
    pages: usize,
}

/// Whether the file at `path` is text worth deflating while it waits.
fn is_text(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "js" | "css" | "xml" | "json" | "txt" | "bib" | "ris" | "svg")
    )
}

impl Site {
    /// The site held until it is finished: its text files deflated, in
    /// parallel.
    pub fn hold(self) -> Held {
        let files = self
            .files
            .into_par_iter()
            .map(|(path, bytes)| {
                let file = if is_text(&path) { File::Deflated(deflate(&bytes)) } else { File::Plain(bytes) };
                (path, file)
            })
            .collect();
        Held { files, pages: self.pages }
    }
}

impl From<Site> for Held {
    /// The site held as it is, for a build that does not wait for a PDF.
    fn from(site: Site) -> Self {
        let files = site.files.into_iter().map(|(path, bytes)| (path, File::Plain(bytes))).collect();
        Held { files, pages: site.pages }
    }
}

impl Held {
    /// The site as rendered: its files taken back, each as it will be
    /// written.
    fn into_site(self) -> Site {
        let files = self
            .files
            .into_par_iter()
            .map(|(path, file)| match file {
                File::Plain(b) => (path, b),
                File::Deflated(d) => (path, inflate(&d)),
            })
            .collect();
        Site { files, pages: self.pages }
    }

    /// The site finished with the print edition's pages and offprints (see
    /// [`Site::finish`]).
    pub fn finish(self, book: &Book, print: &cite::Print) -> Site {
        let mut site = self.into_site();
        site.finish(book, print);
        site
    }
}

/// `bytes` deflated at the fastest level: the site waits a few seconds at
/// most, and the time is taken beside typst's layout.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a vector cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// What [`deflate`] made, as it was.
fn inflate(deflated: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Reading what this module deflated into a vector cannot fail.
    let _ = flate2::read::DeflateDecoder::new(deflated).read_to_end(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        let mut files = BTreeMap::new();
        let page = "<p>Une page du site, répétée pour que deflate ait de quoi faire.</p>\n".repeat(200);
        files.insert(PathBuf::from("index.html"), page.clone().into_bytes());
        files.insert(PathBuf::from("essai/index.html"), page.into_bytes());
        files.insert(PathBuf::from("assets/img/portrait-320.jpg"), vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
        files.insert(PathBuf::from("empty.css"), Vec::new());
        Site { files, pages: 2 }
    }

    #[test]
    fn a_held_site_gives_back_every_file_as_it_was_and_keeps_its_pages_smaller() {
        let plain = site();
        let held = plain.clone().hold();
        let page = &held.files[Path::new("index.html")];
        let File::Deflated(d) = page else { panic!("a page is deflated while it waits") };
        assert!(d.len() * 10 < plain.files[Path::new("index.html")].len(), "{} bytes held", d.len());
        assert!(matches!(held.files[Path::new("assets/img/portrait-320.jpg")], File::Plain(_)));
        let back = held.into_site();
        assert_eq!(back.files, plain.files);
        assert_eq!(back.pages, 2);
        assert_eq!(Held::from(plain.clone()).into_site().files, plain.files);
    }
}
