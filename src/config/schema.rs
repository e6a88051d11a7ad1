//! `book.toml`'s tables as an editor writes them: every key optional, so that
//! a missing one is a diagnostic of ours, and unknown keys found by
//! [`toml_input`](super::toml_input) from these very types.

use serde::Deserialize;

use super::toml_input::{Schema, Walker, walk};

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
    /// `[labels]`: the book's own words for what the editions print.
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    /// `[crossref]`: who deposits the book's DOIs (`anthology export crossref`).
    pub crossref: Option<CrossrefOptions>,
    /// `[print]`: the PDF made for a print-on-demand service, and its cover.
    pub print: Option<super::print::RawPrint>,
    /// `[translations.<lang>]`: the book's own words in each of its other
    /// languages (`[book] languages`).
    pub translations: Option<std::collections::BTreeMap<String, RawTranslated>>,
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
            "crossref" => walk::<CrossrefOptions>,
            "print" => walk::<super::print::RawPrint>,
            "labels" => walk_labels,
            "translations" => walk_translations,
            _ => return None,
        })
    }
}

/// Every table of `book.toml` with its keys, read from the types that
/// deserialize them: what the guide's reference must list (a test checks it).
pub fn tables() -> Vec<(&'static str, &'static [&'static str])> {
    use super::toml_input::field_names;
    vec![
        ("book", field_names::<RawBook>()),
        ("order", field_names::<Order>()),
        ("sections", field_names::<RawSection>()),
        ("rules", field_names::<Rules>()),
        ("pdf", field_names::<PdfOptions>()),
        ("epub", field_names::<EpubOptions>()),
        ("html", field_names::<HtmlOptions>()),
        ("offprints", field_names::<OffprintOptions>()),
        ("cards", field_names::<CardOptions>()),
        ("labels", crate::lang::labels::KEYS),
        ("crossref", field_names::<CrossrefOptions>()),
        ("print", field_names::<super::print::RawPrint>()),
        ("translations", field_names::<RawTranslated>()),
    ]
}

/// `[translations]`: one table per language, each with [`RawTranslated`]'s keys.
fn walk_translations(table: &toml::de::DeTable<'_>, prefix: &str, out: &mut Vec<super::toml_input::TomlProblem>) {
    for (lang, value) in table {
        if let toml::de::DeValue::Table(t) = value.get_ref() {
            walk::<RawTranslated>(t, &format!("{prefix}.{}", lang.get_ref()), out);
        }
    }
}

/// `[translations.<lang>]` as written: what the book itself says in one of
/// its other languages. What is not given stays as the book says it.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct RawTranslated {
    /// The book's title in this language.
    pub title: Option<String>,
    /// Its subtitle.
    pub subtitle: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Each section's title in this language, by the section's id.
    pub sections: Option<std::collections::BTreeMap<String, String>>,
    /// The editions' words in this language, over the language's own.
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    /// The translated edition's own identifier (`urn:isbn:…`); derived
    /// from its title when absent.
    pub identifier: Option<String>,
    /// The translated edition's own DOI.
    pub doi: Option<String>,
}

impl Schema for RawTranslated {
    fn nested(key: &str) -> Option<Walker> {
        (key == "labels").then_some(walk_labels as Walker)
    }
}

/// `[labels]`: every key must be a label the editions print.
fn walk_labels(table: &toml::de::DeTable<'_>, prefix: &str, out: &mut Vec<super::toml_input::TomlProblem>) {
    super::toml_input::check_keys(table, prefix, crate::lang::labels::KEYS, out);
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
    /// The book's DOI (`10.1234/anthology`).
    pub doi: Option<String>,
    /// Reference files (`.bib`, `.yaml`) every text can cite from.
    pub references: Option<super::toml_input::OneOrMany>,
    /// The CSL style citations and bibliographies are set in: a bundled
    /// style's name (`"apa"`, `"chicago-author-date"`, `"ieee"`…) or a
    /// `.csl` file of the book.
    pub citation_style: Option<String>,
    /// Every language the book is published in, its own `language` among
    /// them: one edition of each per language.
    pub languages: Option<Vec<String>>,
    /// What an edition in another language does with a text that has no
    /// translation into it.
    pub untranslated: Option<Untranslated>,
}

impl Schema for RawBook {}

/// What an edition in one of the book's other languages does with a text
/// not translated into it.
#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Untranslated {
    /// Prints it in its own language, marked as such.
    #[default]
    Original,
    /// Leaves it out of that edition.
    Omit,
}

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
    /// Whether a contribution may keep metadata of its own in an `[extra]`
    /// table (what an import found and this format has no key for); never printed.
    pub allow_extra: bool,
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
            allow_extra: false,
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
    /// More folders of fonts (relative to the book, or absolute), looked in
    /// after the book's `fonts/` for scripts the main font lacks.
    pub font_paths: Vec<String>,
    /// Whether the fonts installed on the machine may be used for scripts
    /// no font of the book has.
    pub system_fonts: bool,
    /// Start every essay on a right-hand (odd) page.
    pub recto_starts: bool,
    /// Where the authors' photos and bios go.
    pub photos: Placement,
    /// How footnotes are numbered.
    pub footnotes: FootnoteNumbering,
    /// Standards to conform to (`["a-2b", "ua-1"]`); the PDF is tagged in
    /// any case. When not given, PDF/UA-1 whenever the book allows it.
    pub standard: Option<Vec<Standard>>,
    /// The print edition's ISBN (check digit verified).
    pub isbn: Option<String>,
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
            font_paths: Vec::new(),
            system_fonts: true,
            recto_starts: false,
            photos: Placement::Start,
            footnotes: FootnoteNumbering::Essay,
            standard: None,
            isbn: None,
        }
    }
}

impl Schema for PdfOptions {}

impl PdfOptions {
    /// The margin in points; the default's when it is no length (`check`
    /// reports it).
    pub fn margin_points(&self) -> f64 {
        points_or(&self.margin, &PdfOptions::default().margin)
    }

    /// The type size in points; the default's when it is no length.
    pub fn font_size_points(&self) -> f64 {
        points_or(&self.font_size, &PdfOptions::default().font_size)
    }

    /// The custom page size in points, when both are lengths.
    pub fn size_points(&self) -> Option<(f64, f64)> {
        let of = |l: &Option<String>| l.as_deref().and_then(super::Length::parse).map(super::Length::points);
        Some((of(&self.width)?, of(&self.height)?))
    }
}

/// The points of `written`, else of `default`.
fn points_or(written: &str, default: &str) -> f64 {
    super::Length::parse(written).or_else(|| super::Length::parse(default)).map_or(0.0, super::Length::points)
}

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
    super::Length::parse(s).is_some_and(super::Length::is_page_length)
}

/// `[epub]`: the EPUB edition.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default)]
pub struct EpubOptions {
    /// The EPUB's own ISBN (check digit verified); its identifier when given.
    pub isbn: Option<String>,
}
impl Schema for EpubOptions {}

/// `[crossref]`: the depositor named in a Crossref deposit.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default)]
pub struct CrossrefOptions {
    /// The person or organisation who deposits (`depositor_name`).
    pub depositor: Option<String>,
    /// Where Crossref sends the deposit's results.
    pub email: Option<String>,
    /// The organisation that owns the DOIs; the publisher when absent.
    pub registrant: Option<String>,
}
impl Schema for CrossrefOptions {}

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
