//! The model every stage shares: essays, their authors, and the ordered book.
//!
//! `load` fills [`Essay`] values, `validate` reads them, `order` arranges them
//! into a [`Book`]. Once ordered, a `Book` is never mutated: the editions
//! render from `&Book` concurrently, without locks.

use std::path::PathBuf;

use crate::config::{BookConfig, Section};
use crate::model::asset::Asset;
use crate::model::document::{Document, Pos};

/// What part of the book a text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A contribution from `contributions/`.
    Essay,
    /// Front matter: preface, introduction.
    Front,
    /// Back matter: acknowledgements, afterword.
    Back,
    /// A section's introduction.
    Intro,
}

/// One author of an essay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Author {
    /// The name as printed.
    pub name: String,
    /// An explicit sort key, as written.
    pub sort_as: Option<String>,
    /// Biography (Markdown), as written.
    pub bio: Option<String>,
    /// The biography parsed, when it has text: what the editions print.
    pub bio_doc: Option<Document>,
    /// The biography's language when it is not its text's: the original's,
    /// in a translation that does not translate it.
    pub bio_lang: Option<String>,
    /// Portrait.
    pub photo: Option<Asset>,
    /// Institution or company, as printed: as written, else the
    /// institutions' names (with their departments) joined.
    pub affiliation: Option<String>,
    /// The institutions, for the deposits and indexers.
    pub affiliations: Vec<Affiliation>,
    /// Social handle.
    pub handle: Option<String>,
    /// Web page.
    pub url: Option<String>,
    /// ORCID iD, as `0000-0002-1825-0097` (checked at load).
    pub orcid: Option<String>,
    /// E-mail address: for deposits and exports, printed only when `public_email`.
    pub email: Option<String>,
    /// Whether the editions may print `email`.
    pub public_email: bool,
    /// A note on the name for this essay ("Now at CERN"), printed as a
    /// marked note under the byline, never as part of the name.
    pub note: Option<String>,
    /// Whether this is the essay's corresponding author (a marked note).
    pub corresponding: bool,
    /// Whether the author shares an equal contribution with the others so
    /// marked (one marked note for all of them).
    pub equal_contribution: bool,
    /// What the author did for the essay (CRediT roles), in order.
    pub roles: Vec<crate::model::credit::Role>,
}

/// An institution an author belongs to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Affiliation {
    /// Its name.
    pub name: String,
    /// The department within it.
    pub department: Option<String>,
    /// Its city.
    pub city: Option<String>,
    /// Its country.
    pub country: Option<String>,
    /// Its ROR id, bare (`05f82e368`).
    pub ror: Option<String>,
    /// Its web site (an `http` or `https` address).
    pub url: Option<String>,
}

impl Affiliation {
    /// The institution as printed: its department, then its name.
    pub fn printed(&self) -> String {
        match &self.department {
            Some(d) if !d.trim().is_empty() => format!("{}, {}", d.trim(), self.name.trim()),
            _ => self.name.trim().to_string(),
        }
    }

    /// Its ROR id as an address (`https://ror.org/05f82e368`).
    pub fn ror_url(&self) -> Option<String> {
        self.ror.as_ref().map(|r| format!("https://ror.org/{r}"))
    }
}

/// The works a text can cite: its own reference files', then the book's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct References {
    /// Every work the text can cite, by key (its own entries win over the
    /// book's of the same key).
    pub library: std::sync::Arc<hayagriva::Library>,
    /// The entries of the text's own files, where each is defined: what
    /// `check` reports as unused.
    pub own: Vec<Defined>,
    /// The citation style the text asks for in its front matter, as written.
    pub style: Option<String>,
}

/// Where a reference is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defined {
    /// Its key.
    pub key: String,
    /// The file, relative to the book's root.
    pub file: PathBuf,
    /// The byte range of its key in the file.
    pub span: std::ops::Range<usize>,
}

/// An image in the body of a text.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyImage {
    /// Where the image is referenced.
    pub pos: Pos,
    /// Alternative text.
    pub alt: String,
    /// The resolved file.
    pub asset: Asset,
}

/// A loaded text: an essay, or front matter, back matter or a section intro.
#[derive(Clone, Debug, PartialEq)]
pub struct Essay {
    /// What it is.
    pub kind: Kind,
    /// File or folder name: unique among essays; used in URLs and file names.
    pub slug: String,
    /// The Markdown file, relative to the book's root.
    pub file: PathBuf,
    /// The folder its relative paths start from, relative to the root.
    pub dir: PathBuf,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// A quotation for the share card.
    pub quote: Option<String>,
    /// Language (BCP 47): its own or the book's.
    pub lang: String,
    /// Section id, as written.
    pub section: Option<String>,
    /// Weight for `by = "weight"`.
    pub weight: Option<i64>,
    /// Keywords.
    pub tags: Vec<String>,
    /// Left out of builds unless drafts are asked for.
    pub draft: bool,
    /// Authors, in the order of the front matter.
    pub authors: Vec<Author>,
    /// The body.
    pub body: Document,
    /// Running words in the body.
    pub words: usize,
    /// Images in the body, resolved.
    pub images: Vec<BodyImage>,
    /// The works it can cite.
    pub references: References,
    /// Its DOI (`10.1234/abc`), when it has one.
    pub doi: Option<String>,
    /// When it was first published (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date: Option<String>,
    /// Who translated it (`[[translators]]`): credited after its authors.
    pub translators: Vec<Author>,
    /// In an edition of another language, when this text is a translation:
    /// the original it translates.
    pub original: Option<Original>,
}

/// The original of a translated text, as its translation's edition names it.
#[derive(Clone, Debug, PartialEq)]
pub struct Original {
    /// The original's language.
    pub lang: String,
    /// Its title.
    pub title: String,
    /// Its file, relative to the book's root.
    pub file: PathBuf,
    /// Its DOI, when it has one.
    pub doi: Option<String>,
}

/// The book's other editions, for the links between them: each edition's
/// language, and the texts it leaves out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Languages {
    /// Every language the book is published in, the original's first.
    pub all: Vec<String>,
    /// The texts (by slug) each language's edition leaves out, untranslated
    /// (`[book] untranslated = "omit"`).
    pub left_out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The original's site address (`[html] base_url`), when known.
    pub base_url: Option<String>,
}

impl Languages {
    /// The site folder of `lang`'s edition, from the original site's root:
    /// `""` for the original's, `"<lang>/"` for the others.
    pub fn folder(&self, lang: &str) -> String {
        if self.all.first().is_none_or(|l| l == lang) { String::new() } else { format!("{lang}/") }
    }

    /// Whether `lang`'s edition has the text `slug`.
    pub fn has(&self, lang: &str, slug: &str) -> bool {
        !self.left_out.get(lang).is_some_and(|s| s.contains(slug))
    }
}

/// One person in the contributor index.
#[derive(Clone, Debug, PartialEq)]
pub struct Contributor {
    /// The author as first met in book order (bio, photo, affiliation…).
    pub author: Author,
    /// The key the index is sorted on (family name first).
    pub sort_key: String,
    /// Slugs of their essays, in book order.
    pub essays: Vec<String>,
    /// Slugs of the texts they translated, in book order.
    pub translated: Vec<String>,
}

/// A part of the book: essays of one section, or the essays outside sections.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// The section; `None` for essays that belong to none.
    pub section: Option<Section>,
    /// The section's introduction.
    pub intro: Option<Essay>,
    /// Its essays, in order.
    pub essays: Vec<Essay>,
}

/// The ordered, read-only book every edition renders.
#[derive(Clone, Debug)]
pub struct Book {
    /// The resolved configuration.
    pub config: BookConfig,
    /// The book's folder (canonical).
    pub root: PathBuf,
    /// Front matter, in the order of `book.toml`.
    pub front: Vec<Essay>,
    /// Parts, in order: essays outside sections first, then each section.
    pub parts: Vec<Part>,
    /// Back matter, in the order of `book.toml`.
    pub back: Vec<Essay>,
    /// The contributor index, sorted by the book language's collation.
    pub contributors: Vec<Contributor>,
    /// The cover image named in `book.toml`, resolved and probed at load time.
    pub cover: Option<Asset>,
    /// The editions of the book in each of its languages (one language: no links to make).
    pub languages: Languages,
}

impl Book {
    /// Every essay, in book order.
    pub fn essays(&self) -> impl Iterator<Item = &Essay> {
        self.parts.iter().flat_map(|p| p.essays.iter())
    }

    /// Every text of the book, each once, in reading order: front matter,
    /// then each part's introduction and essays, then back matter. What
    /// every edition and every book-wide question (alt text, fonts, images
    /// to prepare) goes through, so that none of them forgets a kind of text.
    pub fn texts(&self) -> impl Iterator<Item = &Essay> {
        self.front.iter().chain(self.parts.iter().flat_map(|p| p.intro.iter().chain(&p.essays))).chain(&self.back)
    }

    /// [`texts`](Self::texts), to change them: only while the book is made
    /// (the typography pass of [`crate::order`], and the authors' consents
    /// of [`crate::desk::apply_consents`] before a build); once the
    /// editions are made from it, it is read-only.
    pub(crate) fn texts_mut(&mut self) -> impl Iterator<Item = &mut Essay> {
        self.front
            .iter_mut()
            .chain(self.parts.iter_mut().flat_map(|p| p.intro.iter_mut().chain(p.essays.iter_mut())))
            .chain(self.back.iter_mut())
    }

    /// The cover, when it is an image the editions can use.
    pub fn cover_image(&self) -> Option<&Asset> {
        self.cover.as_ref().filter(|a| a.image.is_ok())
    }
}
