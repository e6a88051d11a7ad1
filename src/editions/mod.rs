//! Stage 4's parts: each edition renders the ordered, read-only book into
//! bytes, and nothing else (writing them is [`crate::build`]'s work).
//!
//! [`Edition`] is the only list of editions: `--format`, the progress stages,
//! the build's summary and the release all go through it, so a new edition is
//! a variant here and a folder beside this file. Every edition returns one
//! [`Output`]: its files, a short summary, its pages and its warnings.
//!
//! - [`xhtml`]: the one XHTML writer behind [`epub`] and [`html`];
//! - [`typst`]: the PDF, the offprints and the share cards, typeset by the
//!   embedded typst compiler;
//! - [`images`]: images decoded once and scaled for every edition;
//! - [`highlight`]: code blocks coloured with the grammars typst uses.

pub mod byline;
pub mod epub;
pub mod highlight;
pub mod html;
pub mod images;
pub mod metadata;
pub mod typst;
pub mod xhtml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::BookConfig;
use crate::diagnostic::Diagnostic;

/// One kind of output of a build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    /// The book as one PDF: `<out>/<slug>.pdf`.
    Pdf,
    /// The EPUB 3 package: `<out>/<slug>.epub`.
    Epub,
    /// The website: `<out>/html/`.
    Html,
    /// One PDF per essay, its pages as in the book: `<out>/offprints/`.
    Offprints,
    /// A share card (image and post) per essay: `<out>/cards/`.
    Cards,
    /// A printed book's one-piece cover: `<out>/<slug>-cover.pdf` (needs `[print]`).
    Cover,
}

/// How an edition goes into a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    /// The file itself.
    AsIs,
    /// Its folder zipped as `<slug>-<id>.zip`, entries under `<id>/`.
    Zipped,
}

impl Edition {
    /// Every edition, in the order summaries and releases list them.
    pub const ALL: [Edition; 6] =
        [Edition::Pdf, Edition::Cover, Edition::Epub, Edition::Html, Edition::Offprints, Edition::Cards];

    /// Its name on the command line (`--format`) and in `manifest.json`.
    pub fn id(self) -> &'static str {
        match self {
            Edition::Pdf => "pdf",
            Edition::Epub => "epub",
            Edition::Html => "html",
            Edition::Offprints => "offprints",
            Edition::Cards => "cards",
            Edition::Cover => "cover",
        }
    }

    /// The edition named `id` on the command line.
    pub fn from_id(id: &str) -> Option<Edition> {
        Edition::ALL.into_iter().find(|e| e.id() == id.trim().to_ascii_lowercase())
    }

    /// Its name in messages and summaries.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Pdf => "PDF",
            Edition::Epub => "EPUB",
            Edition::Html => "HTML",
            Edition::Offprints => "offprints",
            Edition::Cards => "cards",
            Edition::Cover => "cover",
        }
    }

    /// What a build is doing while it makes it, for progress displays.
    pub fn stage(self) -> &'static str {
        match self {
            Edition::Pdf => "typesetting the PDF",
            Edition::Epub => "packaging the EPUB",
            Edition::Html => "making the website",
            Edition::Offprints => "setting the offprints",
            Edition::Cards => "drawing the share cards",
            Edition::Cover => "setting the cover",
        }
    }

    /// Whether `anthology build` makes it without `--format`.
    pub fn by_default(self, config: &BookConfig) -> bool {
        match self {
            Edition::Pdf | Edition::Epub | Edition::Html => true,
            Edition::Offprints => config.offprints.enabled,
            Edition::Cards => config.cards.enabled,
            Edition::Cover => config.print.is_some(),
        }
    }

    /// Whether a release needs it made (the others go in when the book makes them).
    pub fn required_in_release(self) -> bool {
        matches!(self, Edition::Pdf | Edition::Epub | Edition::Html)
    }

    /// How it goes into a release.
    pub fn published(self) -> Published {
        match self {
            Edition::Pdf | Edition::Epub | Edition::Cover => Published::AsIs,
            Edition::Html | Edition::Offprints | Edition::Cards => Published::Zipped,
        }
    }

    /// Where it is written in `out` for the book `config` describes: its
    /// files named by [`BookConfig::file_stem`]; in an edition of one of the
    /// book's other languages, its site in the book's (`html/<lang>/`) and
    /// its other folders beside the book's (`offprints-<lang>/`).
    pub fn target(self, out: &Path, config: &BookConfig) -> PathBuf {
        let stem = config.file_stem();
        let other = config.translation_of.as_ref().map(|_| config.language.as_str());
        match (self, other) {
            (Edition::Pdf, _) => out.join(format!("{stem}.pdf")),
            (Edition::Epub, _) => out.join(format!("{stem}.epub")),
            (Edition::Cover, _) => out.join(format!("{stem}-cover.pdf")),
            (Edition::Html, Some(lang)) => out.join(self.id()).join(lang),
            (Edition::Offprints | Edition::Cards, Some(lang)) => out.join(format!("{}-{lang}", self.id())),
            (Edition::Html | Edition::Offprints | Edition::Cards, None) => out.join(self.id()),
        }
    }

    /// The file a reader opens first, inside its folder (the site's home page).
    pub fn entry(self) -> Option<&'static str> {
        (self == Edition::Html).then_some("index.html")
    }
}

impl std::fmt::Display for Edition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of editions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Editions(u8);

impl Editions {
    /// No edition.
    pub const NONE: Editions = Editions(0);

    /// Every edition.
    pub fn all() -> Self {
        Edition::ALL.into_iter().collect()
    }

    /// What `anthology build` makes without `--format`: the PDF, the EPUB and
    /// the website, and the offprints and cards when the book enables them.
    pub fn default_for(config: &BookConfig) -> Self {
        Edition::ALL.into_iter().filter(|e| e.by_default(config)).collect()
    }

    /// Whether `e` is in the set.
    pub fn contains(self, e: Edition) -> bool {
        self.0 & (1 << e as u8) != 0
    }

    /// The set with `e` added.
    pub fn with(self, e: Edition) -> Self {
        Editions(self.0 | (1 << e as u8))
    }

    /// Whether any of `list` is in the set.
    pub fn any(self, list: &[Edition]) -> bool {
        list.iter().any(|e| self.contains(*e))
    }

    /// The editions of the set, in [`Edition::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Edition> {
        Edition::ALL.into_iter().filter(move |e| self.contains(*e))
    }
}

impl FromIterator<Edition> for Editions {
    fn from_iter<I: IntoIterator<Item = Edition>>(iter: I) -> Self {
        iter.into_iter().fold(Editions::NONE, Editions::with)
    }
}

/// The bytes of an edition, before they are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Files {
    /// One file ([`Edition::target`] names it).
    One(Vec<u8>),
    /// A folder's files, by path inside it.
    Folder(BTreeMap<PathBuf, Vec<u8>>),
}

impl Files {
    /// Bytes in all.
    pub fn bytes(&self) -> usize {
        match self {
            Files::One(b) => b.len(),
            Files::Folder(files) => files.values().map(Vec::len).sum(),
        }
    }
}

/// What an edition made: the one shape [`crate::build`] writes and reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The bytes.
    pub files: Files,
    /// A short description for the summary: pages, documents, files.
    pub summary: String,
    /// Pages: the PDF's, or the site's HTML pages.
    pub pages: Option<usize>,
    /// Warnings met on the way.
    pub warnings: Vec<Diagnostic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edition_has_its_own_id_stage_and_target() {
        let mut ids = std::collections::BTreeSet::new();
        let mut stages = std::collections::BTreeSet::new();
        let mut targets = std::collections::BTreeSet::new();
        let book = BookConfig::minimal("B", "fr");
        let english = book.in_language("en");
        for e in Edition::ALL {
            assert_eq!(Edition::from_id(e.id()), Some(e));
            assert!(ids.insert(e.id()) && stages.insert(e.stage()) && targets.insert(e.target(Path::new("d"), &book)));
            // The edition in another language has its own place, inside the book's site.
            assert!(targets.insert(e.target(Path::new("d"), &english)));
            if e == Edition::Html {
                assert!(e.target(Path::new("d"), &english).starts_with(e.target(Path::new("d"), &book)));
            }
            assert!(!e.name().is_empty());
        }
        assert_eq!(Editions::all().iter().count(), Edition::ALL.len());
    }

    #[test]
    fn sets() {
        let s: Editions = [Edition::Html, Edition::Pdf].into_iter().collect();
        assert!(s.contains(Edition::Pdf) && !s.contains(Edition::Epub));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![Edition::Pdf, Edition::Html]);
        let c = BookConfig::minimal("T", "en");
        assert_eq!(Editions::default_for(&c).iter().count(), 3);
    }
}
