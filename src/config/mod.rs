//! The book's configuration, `book.toml`.
//!
//! Two layers, as ripgrep does with its arguments: the `Raw*` structs mirror
//! exactly what an editor may write (every key optional, so that a missing
//! key is our diagnostic, not serde's), and [`BookConfig`] is the resolved,
//! validated configuration the rest of the pipeline reads, with every default
//! applied. Every option is documented here and in the README's reference.

pub mod toml_input;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::lang::slug::slugify;
use toml_input::{Schema, TomlProblem, Walker, key_list, walk};

/// The file name of the configuration at the book's root.
pub const BOOK_FILE: &str = "book.toml";

/// `book.toml` as written.
#[derive(Deserialize, Debug, Default)]
pub struct RawConfig {
    /// `[book]`: title, language and the other metadata.
    pub book: Option<RawBook>,
    /// `[order]`: how essays are ordered.
    pub order: Option<Order>,
    /// `[[sections]]`: the parts of the book, in order.
    pub sections: Option<Vec<RawSection>>,
    /// `[rules]`: what `check` enforces.
    pub rules: Option<Rules>,
    /// `[pdf]`: options of the PDF edition.
    pub pdf: Option<PdfOptions>,
    /// `[epub]`: options of the EPUB edition.
    pub epub: Option<EpubOptions>,
    /// `[html]`: options of the HTML edition.
    pub html: Option<HtmlOptions>,
    /// `[offprints]`: one PDF per essay.
    pub offprints: Option<OffprintOptions>,
    /// `[cards]`: one share card per essay.
    pub cards: Option<CardOptions>,
}

impl Schema for RawConfig {
    fn nested(key: &str) -> Option<Walker> {
        Some(match key {
            "book" => walk::<RawBook>,
            "order" => walk::<Order>,
            "sections" => walk::<RawSection>,
            "rules" => walk::<Rules>,
            "pdf" => walk::<PdfOptions>,
            "epub" => walk::<EpubOptions>,
            "html" => walk::<HtmlOptions>,
            "offprints" => walk::<OffprintOptions>,
            "cards" => walk::<CardOptions>,
            _ => return None,
        })
    }
}

/// `[book]` as written.
#[derive(Deserialize, Debug, Default)]
pub struct RawBook {
    /// The title (required).
    pub title: Option<String>,
    /// A subtitle.
    pub subtitle: Option<String>,
    /// The editors, as they are credited.
    pub editors: Option<Vec<String>>,
    /// The book's language, a BCP 47 tag such as `fr` or `en-GB` (required).
    pub language: Option<String>,
    /// The publisher.
    pub publisher: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `urn:isbn:…` or `urn:uuid:…`; derived from the title when absent.
    pub identifier: Option<String>,
    /// The licence, for the copyright page (`CC BY 4.0`, …).
    pub license: Option<String>,
    /// A paragraph describing the book, for catalogues and the web edition.
    pub description: Option<String>,
    /// Cover image, relative to the book's root.
    pub cover: Option<String>,
    /// Markdown files for the front matter (preface, introduction), in order.
    pub front: Option<Vec<String>>,
    /// Markdown files for the back matter (acknowledgements, …), in order.
    pub back: Option<Vec<String>>,
    /// The name used for the editions' files; derived from the title when absent.
    pub slug: Option<String>,
    /// Where readers can get the whole book.
    pub url: Option<String>,
    /// The book's hashtag, in the posts that come with the share cards.
    pub hashtag: Option<String>,
}

impl Schema for RawBook {}

/// How essays are ordered within their section.
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OrderBy {
    /// By the first author's surname, with the book language's collation.
    #[default]
    Surname,
    /// By title.
    Title,
    /// By each essay's `weight`, lightest first.
    Weight,
    /// As listed in `[order] list`.
    List,
}

/// `[order]`.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(default)]
pub struct Order {
    /// The ordering rule.
    pub by: OrderBy,
    /// With `by = "list"`: every essay's slug, in order.
    pub list: Vec<String>,
}

impl Schema for Order {}

/// `[[sections]]` as written.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct RawSection {
    /// The id essays use in `section = "…"`.
    pub id: Option<String>,
    /// The section's title.
    pub title: Option<String>,
    /// A Markdown file introducing the section.
    pub intro: Option<String>,
}

impl Schema for RawSection {}

/// `[rules]`: the limits `anthology check` enforces.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(default)]
pub struct Rules {
    /// Fewest words an essay may have.
    pub min_words: usize,
    /// Most words an essay may have.
    pub max_words: usize,
    /// Every author must have a `bio`.
    pub require_bio: bool,
    /// Every author must have a `photo`.
    pub require_photo: bool,
    /// Smallest width and height, in pixels, of an author photo (for print).
    pub min_photo_pixels: u32,
    /// Largest image accepted, in pixels (width × height); refuses decompression bombs.
    pub max_image_pixels: u64,
    /// Whether raw HTML is allowed in essays (it is then sanitised in the editions).
    pub allow_html: bool,
    /// Whether typographic warnings (quotes, French spacing) are reported.
    pub typography: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_words: 100,
            max_words: 5000,
            require_bio: false,
            require_photo: false,
            min_photo_pixels: 600,
            max_image_pixels: 40_000_000,
            allow_html: false,
            typography: true,
        }
    }
}

impl Schema for Rules {}

/// Where the authors' photos and bios go in the PDF.
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Under the essay's title.
    #[default]
    Start,
    /// After the essay's text.
    End,
}

/// How footnotes are numbered in the PDF.
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FootnoteNumbering {
    /// From 1 in each essay.
    #[default]
    Essay,
    /// Through the whole book.
    Book,
}

/// A PDF standard the edition can conform to.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// PDF/A-2b, for archiving.
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/UA-1, for accessibility.
    #[serde(rename = "ua-1")]
    Ua1,
}

/// `[pdf]`: the print edition.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(default)]
pub struct PdfOptions {
    /// A paper name known to typst (`"a4"`, `"a5"`, `"us-letter"`, `"us-trade"` for 6×9 in, …).
    pub paper: String,
    /// A custom page width (`"6in"`, `"152mm"`); with `height`, replaces `paper`.
    pub width: Option<String>,
    /// A custom page height.
    pub height: Option<String>,
    /// Page margins (`"18mm"`).
    pub margin: String,
    /// The text font family.
    pub font: String,
    /// The text size (`"10.5pt"`).
    pub font_size: String,
    /// Start every essay on a right-hand (odd) page.
    pub recto_starts: bool,
    /// Where the authors' photos and bios go.
    pub photos: Placement,
    /// How footnotes are numbered.
    pub footnotes: FootnoteNumbering,
    /// Standards to conform to (`["a-2b", "ua-1"]`); the PDF is tagged in any case.
    pub standard: Vec<Standard>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            paper: "a5".into(),
            width: None,
            height: None,
            margin: "18mm".into(),
            font: "Libertinus Serif".into(),
            font_size: "10pt".into(),
            recto_starts: false,
            photos: Placement::Start,
            footnotes: FootnoteNumbering::Essay,
            standard: Vec::new(),
        }
    }
}

impl Schema for PdfOptions {}

/// Paper names typst knows (from typst-library's `page.rs`).
pub const PAPERS: &[&str] = &[
    "a0",
    "a1",
    "a2",
    "a3",
    "a4",
    "a5",
    "a6",
    "a7",
    "a8",
    "a9",
    "a10",
    "a11",
    "iso-b1",
    "iso-b2",
    "iso-b3",
    "iso-b4",
    "iso-b5",
    "iso-b6",
    "iso-b7",
    "iso-b8",
    "iso-c3",
    "iso-c4",
    "iso-c5",
    "iso-c6",
    "iso-c7",
    "iso-c8",
    "din-d3",
    "din-d4",
    "din-d5",
    "din-d6",
    "din-d7",
    "din-d8",
    "sis-g5",
    "sis-e5",
    "ansi-a",
    "ansi-b",
    "ansi-c",
    "ansi-d",
    "ansi-e",
    "arch-a",
    "arch-b",
    "arch-c",
    "arch-d",
    "arch-e1",
    "arch-e",
    "jis-b0",
    "jis-b1",
    "jis-b2",
    "jis-b3",
    "jis-b4",
    "jis-b5",
    "jis-b6",
    "jis-b7",
    "jis-b8",
    "jis-b9",
    "jis-b10",
    "jis-b11",
    "sac-d0",
    "sac-d1",
    "sac-d2",
    "sac-d3",
    "sac-d4",
    "sac-d5",
    "sac-d6",
    "asia-f4",
    "jp-shiroku-ban-4",
    "jp-shiroku-ban-5",
    "jp-shiroku-ban-6",
    "jp-kiku-4",
    "jp-kiku-5",
    "fr-raisin",
    "uk-brief",
    "uk-draft",
    "uk-foolscap",
    "uk-quarto",
    "uk-crown",
    "uk-book-a",
    "uk-book-b",
    "us-letter",
    "us-legal",
    "us-tabloid",
    "us-executive",
    "us-foolscap-folio",
    "us-statement",
    "us-ledger",
    "us-oficio",
    "us-gov-letter",
    "us-gov-legal",
    "us-digest",
    "us-trade",
];

/// Whether `s` is a typst length with a unit: `12pt`, `18mm`, `2.5cm`, `6in`.
pub fn valid_length(s: &str) -> bool {
    let s = s.trim();
    ["pt", "mm", "cm", "in"].iter().any(|u| {
        s.strip_suffix(u).is_some_and(|n| !n.is_empty() && n.parse::<f64>().is_ok_and(|v| v > 0.0 && v < 10_000.0))
    })
}

/// `[epub]`: reserved for the EPUB edition; it has no options in this version.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct EpubOptions {}
impl Schema for EpubOptions {}

/// `[html]`: the website.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default)]
pub struct HtmlOptions {
    /// Where the site will be published (`https://example.org/book`): gives
    /// pages canonical URLs, social cards their images, and a sitemap.
    pub base_url: Option<String>,
}
impl Schema for HtmlOptions {}

/// `[offprints]`: a PDF of each essay as set in the book, for its authors to share.
#[derive(Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(default)]
pub struct OffprintOptions {
    /// Make them with the other editions (`anthology build` without `--format`).
    pub enabled: bool,
}
impl Schema for OffprintOptions {}

/// `[cards]`: an image and a post per essay, for its authors to share.
#[derive(Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(default)]
pub struct CardOptions {
    /// Make them with the other editions (`anthology build` without `--format`).
    pub enabled: bool,
}
impl Schema for CardOptions {}

/// A section of the book, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The id essays refer to.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its introduction, a Markdown file relative to the book's root.
    pub intro: Option<PathBuf>,
}

/// The resolved configuration of a book.
#[derive(Debug, Clone)]
pub struct BookConfig {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Editors.
    pub editors: Vec<String>,
    /// Normalised BCP 47 tag.
    pub language: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    /// The identifier, given or derived (`urn:uuid:` from the title).
    pub identifier: String,
    /// Licence.
    pub license: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Cover image, relative to the root.
    pub cover: Option<PathBuf>,
    /// Front-matter files, relative to the root.
    pub front: Vec<PathBuf>,
    /// Back-matter files, relative to the root.
    pub back: Vec<PathBuf>,
    /// File-name slug of the editions.
    pub slug: String,
    /// Where to get the book.
    pub url: Option<String>,
    /// The hashtag, without `#`.
    pub hashtag: Option<String>,
    /// Ordering.
    pub order: Order,
    /// Sections, in order.
    pub sections: Vec<Section>,
    /// Rules for `check`.
    pub rules: Rules,
    /// Options of the PDF edition.
    pub pdf: PdfOptions,
    /// Options of the HTML edition.
    pub html: HtmlOptions,
    /// Offprints.
    pub offprints: OffprintOptions,
    /// Share cards.
    pub cards: CardOptions,
    /// Set for a release build, never read from book.toml.
    pub release: Release,
}

/// What a release build adds to the configuration (`build --release`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Release {
    /// The version (`--version-tag v1.2.0`): in the editions' file names and metadata.
    pub version: Option<String>,
    /// The time editions are dated, in seconds since 1970, when
    /// `SOURCE_DATE_EPOCH` is not set: the book's last commit.
    pub epoch: Option<i64>,
}

impl BookConfig {
    /// The date the editions are dated: `SOURCE_DATE_EPOCH` when set, else
    /// the release's commit time, else the book's `date`; never the clock.
    pub fn build_date(&self) -> Option<crate::lang::date::Moment> {
        crate::lang::date::build_date(self.date.as_deref(), self.release.epoch)
    }

    /// [`build_date`](Self::build_date) as `YYYY-MM-DDThh:mm:ssZ` (the Unix
    /// epoch when the book has no date).
    pub fn iso8601(&self) -> String {
        crate::lang::date::iso8601(self.build_date())
    }

    /// The editions' file name without extension: the slug, and the version
    /// when there is one (`regards-croises-v1.2.0`).
    pub fn file_stem(&self) -> String {
        match &self.release.version {
            Some(v) => format!("{}-{v}", self.slug),
            None => self.slug.clone(),
        }
    }

    /// A configuration with only a title and a language, every default applied.
    pub fn minimal(title: &str, language: &str) -> Self {
        BookConfig {
            title: title.to_string(),
            subtitle: None,
            editors: Vec::new(),
            language: language.to_string(),
            publisher: None,
            date: None,
            identifier: derived_identifier(title),
            license: None,
            description: None,
            cover: None,
            front: Vec::new(),
            back: Vec::new(),
            slug: slugify(title),
            url: None,
            hashtag: None,
            order: Order::default(),
            sections: Vec::new(),
            rules: Rules::default(),
            pdf: PdfOptions::default(),
            html: HtmlOptions::default(),
            offprints: OffprintOptions::default(),
            cards: CardOptions::default(),
            release: Release::default(),
        }
    }
}

/// Reads and resolves `book.toml` in `root`. Returns the configuration when it
/// is usable, and every problem found in it.
pub fn load(root: &Path) -> (Option<BookConfig>, Option<String>, Vec<Diagnostic>) {
    let path = root.join(BOOK_FILE);
    let file = Path::new(BOOK_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let d = Diagnostic::new(
                    Code::Unreadable,
                    Location::at(file, &text, at..at),
                    "book.toml is not valid UTF-8",
                )
                .hint("save the file as UTF-8");
                return (None, Some(text), vec![d]);
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let d = Diagnostic::new(
                Code::BookMissing,
                Location::file(file),
                format!("no {BOOK_FILE} in {}", root.display()),
            )
            .hint("run `anthology init` to start a book, or pass the book's folder");
            return (None, None, vec![d]);
        }
        Err(e) => {
            let d = Diagnostic::new(Code::Unreadable, Location::file(file), format!("cannot read {BOOK_FILE}: {e}"));
            return (None, None, vec![d]);
        }
    };
    let (config, diagnostics) = parse(&text);
    (config, Some(text), diagnostics)
}

/// Parses and resolves the text of a `book.toml`.
pub fn parse(text: &str) -> (Option<BookConfig>, Vec<Diagnostic>) {
    let file = Path::new(BOOK_FILE);
    let (raw, problems) = toml_input::parse::<RawConfig>(text);
    let mut diags: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| match p {
            TomlProblem::Syntax { message, span } => {
                Diagnostic::new(Code::BookSyntax, Location::at(file, text, span), format!("invalid TOML: {message}"))
            }
            TomlProblem::UnknownKey { key, expected, suggestion, span } => {
                let message = if expected.is_empty() {
                    format!("unknown key `{key}`: this table has no options in this version")
                } else {
                    format!("unknown key `{key}`, expected one of {}", key_list(expected))
                };
                let d = Diagnostic::new(Code::BookUnknownKey, Location::at(file, text, span), message);
                match suggestion {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("remove it, or see the book.toml reference in the README"),
                }
            }
            TomlProblem::Invalid { message, span } => {
                Diagnostic::new(Code::BookInvalidValue, Location::at(file, text, span), message)
            }
        })
        .collect();
    let Some(raw) = raw else { return (None, diags) };
    let config = resolve(raw, text, &mut diags);
    (config, diags)
}

/// Span of the first line that assigns `key` (`key = …`) in a TOML text.
pub fn key_span(text: &str, key: &str) -> Option<Range<usize>> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            let s = start + (line.len() - trimmed.len());
            return Some(s..s + key.len());
        }
        start += line.len();
    }
    None
}

/// Turns what `book.toml` says into a resolved configuration, one table at
/// a time, reporting each problem at its key.
struct Resolver<'a> {
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// Where a problem with `key`'s value is reported: the first `key =`
    /// line, else `[book]`, else the file's start.
    fn at_key(&self, key: &str) -> Location {
        let file = Path::new(BOOK_FILE);
        if let Some(span) = key_span(self.text, key) {
            return Location::at(file, self.text, span);
        }
        match self.text.find("[book]") {
            Some(s) => Location::at(file, self.text, s..s + 6),
            None => Location::line_col(file, 1, 1),
        }
    }

    fn report(&mut self, code: Code, key: &str, message: impl Into<String>, hint: impl Into<String>) {
        let d = Diagnostic::new(code, self.at_key(key), message).hint(hint);
        self.diags.push(d);
    }

    /// The title and the language, which the book cannot do without.
    fn required(&mut self, book: &RawBook) -> (Option<String>, Option<String>) {
        let title = book.title.clone().filter(|t| !t.trim().is_empty());
        if title.is_none() {
            self.report(Code::BookMissingKey, "title", "the book has no title", "add `title = \"…\"` under [book]");
        }
        let language = match &book.language {
            Some(l) => match icu_locale_core::Locale::try_from_str(l) {
                Ok(loc) => Some(loc.to_string()),
                Err(e) => {
                    self.report(
                        Code::BookInvalidValue,
                        "language",
                        format!("`{l}` is not a BCP 47 language tag ({e})"),
                        "use a tag such as `fr`, `en`, `en-GB` or `pt-BR`",
                    );
                    None
                }
            },
            None => {
                self.report(
                    Code::BookMissingKey,
                    "language",
                    "the book has no language",
                    "add `language = \"fr\"` (a BCP 47 tag) under [book]",
                );
                None
            }
        };
        (title, language)
    }

    /// The date, the identifier (derived from the title when absent) and the slug.
    fn names(&mut self, book: &RawBook, title: &str) -> (String, String) {
        if let Some(date) = &book.date
            && !valid_date(date)
        {
            self.report(
                Code::BookInvalidValue,
                "date",
                format!("`{date}` is not a date"),
                "write the date as \"YYYY-MM-DD\"",
            );
        }
        let identifier = match &book.identifier {
            Some(id) => {
                if let Err(why) = check_identifier(id) {
                    self.report(
                        Code::BookInvalidValue,
                        "identifier",
                        format!("invalid identifier `{id}`: {why}"),
                        "use `urn:isbn:` followed by an ISBN, or `urn:uuid:` followed by a UUID",
                    );
                }
                id.clone()
            }
            None => derived_identifier(title),
        };
        let slug = match &book.slug {
            Some(s) if crate::lang::slug::valid_slug(s) => s.clone(),
            Some(s) => {
                self.report(
                    Code::BookInvalidValue,
                    "slug",
                    format!("`{s}` is not a valid slug"),
                    "use lowercase letters, digits and hyphens",
                );
                slugify(title)
            }
            None => slugify(title),
        };
        (identifier, slug)
    }

    /// The sections, each id once.
    fn sections(&mut self, raw: Vec<RawSection>) -> Vec<Section> {
        let mut sections: Vec<Section> = Vec::new();
        for s in raw {
            let Some(id) = s.id else {
                self.report(
                    Code::BookMissingKey,
                    "[[sections]]",
                    "a section has no `id`",
                    "give every [[sections]] an `id` that essays use in `section = \"…\"`",
                );
                continue;
            };
            if sections.iter().any(|o| o.id == id) {
                let loc = self
                    .text
                    .rfind(&format!("\"{id}\""))
                    .map_or_else(|| self.at_key("id"), |i| Location::at(BOOK_FILE, self.text, i..i + id.len() + 2));
                self.diags.push(
                    Diagnostic::new(Code::DuplicateSection, loc, format!("two sections have the id `{id}`"))
                        .hint("section ids must be unique"),
                );
                continue;
            }
            let title = s.title.unwrap_or_else(|| id.clone());
            sections.push(Section { id, title, intro: s.intro.map(PathBuf::from) });
        }
        sections
    }

    fn order(&mut self, order: &Order) {
        if order.by != OrderBy::List && !order.list.is_empty() {
            self.report(
                Code::BookInvalidValue,
                "list",
                "`[order] list` is ignored unless `by = \"list\"`",
                "set `by = \"list\"` or remove the list",
            );
        }
    }

    fn pdf(&mut self, pdf: &PdfOptions) {
        if !PAPERS.contains(&pdf.paper.as_str()) {
            let hint = match toml_input::suggest(&pdf.paper, PAPERS) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "use a name such as \"a4\", \"a5\", \"us-letter\" or \"us-trade\", or set width and height".into()
                }
            };
            self.report(Code::BookInvalidValue, "paper", format!("unknown paper `{}`", pdf.paper), hint);
        }
        for (key, value) in [
            ("width", pdf.width.as_deref()),
            ("height", pdf.height.as_deref()),
            ("margin", Some(pdf.margin.as_str())),
            ("font_size", Some(pdf.font_size.as_str())),
        ] {
            if let Some(v) = value
                && !valid_length(v)
            {
                self.report(
                    Code::BookInvalidValue,
                    key,
                    format!("`{v}` is not a length"),
                    "write a number and a unit: \"18mm\", \"2cm\", \"6in\" or \"10pt\"",
                );
            }
        }
        if pdf.width.is_some() != pdf.height.is_some() {
            self.report(
                Code::BookInvalidValue,
                if pdf.width.is_some() { "width" } else { "height" },
                "a custom page size needs both `width` and `height`",
                "set both, or use `paper`",
            );
        }
    }

    fn html(&mut self, html: &HtmlOptions) {
        if let Some(u) = &html.base_url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            self.report(
                Code::BookInvalidValue,
                "base_url",
                format!("`{u}` is not a web address"),
                "write the full address, such as \"https://example.org/book\"",
            );
        }
    }

    fn rules(&mut self, rules: &Rules) {
        if rules.min_words > rules.max_words {
            self.diags.push(Diagnostic::new(
                Code::BookInvalidValue,
                self.at_key("min_words"),
                format!("min_words ({}) is larger than max_words ({})", rules.min_words, rules.max_words),
            ));
        }
    }
}

fn resolve(raw: RawConfig, text: &str, diags: &mut Vec<Diagnostic>) -> Option<BookConfig> {
    let mut r = Resolver { text, diags };
    let book = raw.book.unwrap_or_default();
    let (title, language) = r.required(&book);
    let (identifier, slug) = r.names(&book, title.as_deref().unwrap_or(""));
    let sections = r.sections(raw.sections.unwrap_or_default());
    let order = raw.order.unwrap_or_default();
    r.order(&order);
    let pdf = raw.pdf.unwrap_or_default();
    r.pdf(&pdf);
    let html = raw.html.unwrap_or_default();
    r.html(&html);
    let rules = raw.rules.unwrap_or_default();
    r.rules(&rules);
    let (title, language) = (title?, language?);
    Some(BookConfig {
        title,
        subtitle: book.subtitle,
        editors: book.editors.unwrap_or_default(),
        language,
        publisher: book.publisher,
        date: book.date,
        identifier,
        license: book.license,
        description: book.description,
        cover: book.cover.map(PathBuf::from),
        front: book.front.unwrap_or_default().into_iter().map(PathBuf::from).collect(),
        back: book.back.unwrap_or_default().into_iter().map(PathBuf::from).collect(),
        slug,
        url: book.url,
        hashtag: book.hashtag.map(|h| h.trim_start_matches('#').to_string()),
        order,
        sections,
        rules,
        pdf,
        html,
        offprints: raw.offprints.unwrap_or_default(),
        cards: raw.cards.unwrap_or_default(),
        release: Release::default(),
    })
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts[..] {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

/// Checks a `urn:isbn:` (with its check digit) or `urn:uuid:` identifier.
pub fn check_identifier(id: &str) -> Result<(), String> {
    if let Some(isbn) = id.strip_prefix("urn:isbn:") {
        let digits: Vec<char> = isbn.chars().filter(|c| *c != '-' && *c != ' ').collect();
        let value = |c: char, i: usize, len: usize| -> Option<u32> {
            match c {
                '0'..='9' => c.to_digit(10),
                'X' | 'x' if len == 10 && i == 9 => Some(10),
                _ => None,
            }
        };
        let vals: Option<Vec<u32>> = digits.iter().enumerate().map(|(i, &c)| value(c, i, digits.len())).collect();
        let Some(vals) = vals else { return Err("an ISBN has only digits and hyphens".into()) };
        let valid = match vals.len() {
            10 => vals.iter().enumerate().map(|(i, v)| (10 - i as u32) * v).sum::<u32>() % 11 == 0,
            13 => vals.iter().enumerate().map(|(i, v)| if i % 2 == 0 { *v } else { 3 * v }).sum::<u32>() % 10 == 0,
            _ => return Err("an ISBN has 10 or 13 digits".into()),
        };
        return if valid { Ok(()) } else { Err("the ISBN's check digit is wrong".into()) };
    }
    if let Some(uuid) = id.strip_prefix("urn:uuid:") {
        let groups: Vec<&str> = uuid.split('-').collect();
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        let hex = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
        return if lens == [8, 4, 4, 4, 12] && hex { Ok(()) } else { Err("not a UUID".into()) };
    }
    Err("it must start with `urn:isbn:` or `urn:uuid:`".into())
}

/// A stable `urn:uuid:` derived from the title (an RFC 9562 version 8 UUID
/// over SHA-256): the same title always gives the same identifier.
pub fn derived_identifier(title: &str) -> String {
    let hash = Sha256::digest(format!("anthology book identifier\0{title}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(Code, usize)> {
        parse(text).1.iter().map(|d| (d.code, d.location.line)).collect()
    }

    #[test]
    fn minimal_book() {
        let (c, d) = parse("[book]\ntitle = \"Regards croisés\"\nlanguage = \"fr\"\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.slug, "regards-croises");
        assert_eq!(c.rules, Rules::default());
        assert_eq!(c.identifier, derived_identifier("Regards croisés"));
        assert!(c.identifier.starts_with("urn:uuid:"));
        check_identifier(&c.identifier).unwrap();
    }

    #[test]
    fn unknown_keys_list_the_expected_ones() {
        let text = "[book]\ntitle = \"T\"\nlanguage = \"fr\"\neditor = [\"A\"]\n[rules]\nmax_word = 3\n";
        let (_, d) = parse(text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].code, d[0].location.line), (Code::BookUnknownKey, 4));
        assert!(d[0].message.contains("expected one of `title`, `subtitle`, `editors`"), "{}", d[0].message);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `editors`?"));
        assert_eq!(d[1].location.line, 6);
        assert_eq!(d[1].hint.as_deref(), Some("did you mean `max_words`?"));
    }

    #[test]
    fn missing_title_and_language() {
        assert_eq!(codes("[book]\n"), vec![(Code::BookMissingKey, 1), (Code::BookMissingKey, 1)]);
    }

    #[test]
    fn bad_values() {
        let text = "[book]\ntitle = \"T\"\nlanguage = \"not a tag\"\n";
        assert_eq!(codes(text), vec![(Code::BookInvalidValue, 3)]);
        let text = "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[order]\nby = \"colour\"\n";
        assert_eq!(codes(text), vec![(Code::BookInvalidValue, 5)]);
        let text = "[book]\ntitle = \"T\"\nlanguage = \"en\"\nidentifier = \"urn:isbn:978-2-07-036024-4\"\n";
        assert_eq!(codes(text), vec![(Code::BookInvalidValue, 4)]);
    }

    #[test]
    fn pdf_options() {
        let text =
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[pdf]\npaper = \"a55\"\nmargin = \"2\"\nstandard = [\"ua-1\"]\n";
        let (c, d) = parse(text);
        assert_eq!(
            d.iter().map(|d| (d.code, d.location.line)).collect::<Vec<_>>(),
            vec![(Code::BookInvalidValue, 5), (Code::BookInvalidValue, 6)]
        );
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `a5`?"));
        assert_eq!(c.unwrap().pdf.standard, vec![Standard::Ua1]);
        assert!(valid_length("10.5pt") && valid_length("6in") && !valid_length("in") && !valid_length("-3mm"));
    }

    #[test]
    fn identifiers() {
        check_identifier("urn:isbn:978-2-07-036024-6").unwrap();
        check_identifier("urn:isbn:0-306-40615-2").unwrap();
        assert!(check_identifier("urn:isbn:0-306-40615-3").is_err());
        check_identifier("urn:uuid:123e4567-e89b-12d3-a456-426614174000").unwrap();
        assert!(check_identifier("isbn:123").is_err());
    }

    #[test]
    fn duplicate_sections() {
        let text = "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[[sections]]\nid = \"a\"\n[[sections]]\nid = \"a\"\n";
        assert_eq!(codes(text), vec![(Code::DuplicateSection, 7)]);
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("112 Regards sur Twitter"), "112-regards-sur-twitter");
        assert_eq!(slugify("Œuvres — complètes !"), "oeuvres-completes");
        assert_eq!(slugify("???"), "book");
    }
}
