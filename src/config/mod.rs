//! The book's configuration, `book.toml`.
//!
//! Two layers, as ripgrep does with its arguments: the `Raw*` structs mirror
//! exactly what an editor may write (every key optional, so that a missing
//! key is our diagnostic, not serde's), and [`BookConfig`] is the resolved,
//! validated configuration the rest of the pipeline reads, with every default
//! applied. Every option is documented here and in the guide's reference
//! (`docs/src/book-toml.md`; `tests/docs.rs` checks that it lists every key).
//!
//! [`schema`] holds the tables as written, and `resolve.rs` turns them into a [`BookConfig`], one table at a time.

pub mod length;
pub mod print;
mod resolve;
pub mod schema;
pub mod toml_input;

use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::lang::slug::slugify;
use toml_input::{TomlProblem, key_list};

/// The file name of the configuration at the book's root.
pub const BOOK_FILE: &str = "book.toml";

/// The citation style when `book.toml` names none: author and year in the
/// text, a widely used style in the humanities and social sciences.
pub const DEFAULT_CITATION_STYLE: &str = "chicago-author-date";

pub use length::Length;
pub use schema::*;

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
    /// Options of the EPUB edition.
    pub epub: EpubOptions,
    /// The depositor of the book's DOIs.
    pub crossref: CrossrefOptions,
    /// `[print]`: when set, the PDF edition is made for a print-on-demand
    /// service at its trim size, and a one-piece cover beside it.
    pub print: Option<print::Print>,
    /// The book's DOI, checked (`10.1234/abc`).
    pub doi: Option<String>,
    /// Reference files every text can cite from, as written (relative to the root).
    pub references: Vec<String>,
    /// The citation style, as written: a bundled style's name or a `.csl` file.
    pub citation_style: String,
    /// Offprints.
    pub offprints: OffprintOptions,
    /// Share cards.
    pub cards: CardOptions,
    /// The book's own words for what the editions print (`[labels]`).
    pub labels: std::collections::BTreeMap<String, String>,
    /// Set for a release build, never read from book.toml.
    pub release: Release,
    /// Every language the book is published in: its `language` first, then
    /// the others in the order of `[book] languages`.
    pub languages: Vec<String>,
    /// What an edition in another language does with a text not translated into it.
    pub untranslated: Untranslated,
    /// The book's own words in its other languages (`[translations.<lang>]`).
    pub translations: std::collections::BTreeMap<String, RawTranslated>,
    /// In the edition of one of the book's other languages (see
    /// [`in_language`](Self::in_language)): the language of the original,
    /// which `language` translates. `None` in the book's own language.
    pub translation_of: Option<String>,
}

/// What a release build adds to the configuration (`build --release`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Release {
    /// The version (`--version-tag v1.2.0`): in the editions' file names and metadata.
    pub version: Option<String>,
    /// The time editions are dated, in seconds since 1970, when
    /// `SOURCE_DATE_EPOCH` is not set: the book's last commit.
    pub epoch: Option<i64>,
    /// When the offprints are made as proofs for their authors' approval
    /// (`anthology desk proofs`): the day, `YYYY-MM-DD`, which their first
    /// page prints with the word for a proof.
    pub proof: Option<String>,
}

impl BookConfig {
    /// The date the editions are dated: `SOURCE_DATE_EPOCH` when set, else
    /// the release's commit time, else the book's `date`; never the clock.
    pub fn build_date(&self) -> Option<crate::lang::date::Moment> {
        crate::lang::date::build_date(self.date.as_deref(), self.release.epoch)
    }

    /// The book's own text the editions print (title, subtitle, publisher,
    /// description, editors): what its fonts must set besides the texts.
    pub fn printed_text(&self) -> Vec<&str> {
        let mut v: Vec<&str> = vec![self.title.as_str()];
        v.extend(self.subtitle.as_deref());
        v.extend(self.publisher.as_deref());
        v.extend(self.description.as_deref());
        v.extend(self.editors.iter().map(String::as_str));
        v
    }

    /// The words the editions print, in the book's language, with the
    /// book's own `[labels]` over them.
    pub fn labels(&self) -> crate::lang::labels::Labels {
        crate::lang::labels::Labels::with(&self.language, &self.labels)
    }

    /// The book's `date` as its language writes it ("27 novembre 2026"),
    /// for the editions to print.
    pub fn printed_date(&self) -> Option<String> {
        self.date.as_deref().and_then(|d| crate::lang::date::long(d, &self.language))
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
            epub: EpubOptions::default(),
            crossref: CrossrefOptions::default(),
            print: None,
            doi: None,
            references: Vec::new(),
            citation_style: DEFAULT_CITATION_STYLE.to_string(),
            offprints: OffprintOptions::default(),
            cards: CardOptions::default(),
            labels: Default::default(),
            release: Release::default(),
            languages: vec![language.to_string()],
            untranslated: Untranslated::default(),
            translations: Default::default(),
            translation_of: None,
        }
    }

    /// The book's languages other than its own, in `[book] languages`' order.
    pub fn other_languages(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().skip(1).map(String::as_str)
    }

    /// The configuration of the book's edition in `lang`, one of its other
    /// languages: the words of `[translations.<lang>]` over the book's
    /// own, its files named `<slug>-<lang>`, its site under `<lang>/` of
    /// the book's, and its own identifier (given, or derived from its
    /// title and language, never the original's).
    pub fn in_language(&self, lang: &str) -> BookConfig {
        let own = self.translations.get(lang).cloned().unwrap_or_default();
        let mut c = self.clone();
        c.translation_of = Some(self.language.clone());
        c.language = lang.to_string();
        c.title = own.title.unwrap_or_else(|| self.title.clone());
        c.subtitle = own.subtitle.or_else(|| self.subtitle.clone());
        c.description = own.description.or_else(|| self.description.clone());
        c.slug = format!("{}-{}", self.slug, lang.to_ascii_lowercase());
        c.identifier = own.identifier.unwrap_or_else(|| derived_identifier(&format!("{}\u{1f}{lang}", c.title)));
        c.doi = own.doi.as_deref().and_then(|d| crate::identifiers::doi(d).ok());
        c.labels = own.labels.unwrap_or_default();
        let titles = own.sections.unwrap_or_default();
        for s in &mut c.sections {
            if let Some(t) = titles.get(&s.id) {
                s.title = t.clone();
            }
        }
        c.html.base_url = self.html.base_url.as_ref().map(|b| format!("{}/{}", b.trim_end_matches('/'), lang));
        // An ISBN names one edition: the original's is not the translation's.
        c.pdf.isbn = None;
        c.epub.isbn = None;
        c
    }
}

/// Reads and resolves `book.toml` in `root`. Returns the configuration when it
/// is usable, and every problem found in it.
pub fn load(root: &Path) -> (Option<BookConfig>, Option<String>, Vec<Diagnostic>) {
    let path = root.join(BOOK_FILE);
    let file = Path::new(BOOK_FILE);
    let _doing = crate::doing::doing(format!("reading {BOOK_FILE}"));
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
                    None => d.hint("remove it, or see the book.toml reference in the guide (docs/src/book-toml.md)"),
                }
            }
            TomlProblem::Invalid { message, span } => {
                Diagnostic::new(Code::BookInvalidValue, Location::at(file, text, span), message)
            }
        })
        .collect();
    let Some(raw) = raw else { return (None, diags) };
    let config = resolve::resolve(raw, text, &mut diags);
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

/// Whether `s` is a date as `book.toml` and front matter write it:
/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts[..] {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            let (year, month, day) =
                (y.parse::<u32>().unwrap_or(0), m.parse::<u32>().unwrap_or(0), d.parse::<u32>().unwrap_or(0));
            let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            digits(y, 4) && digits(m, 2) && digits(d, 2) && (1..=12).contains(&month) && (1..=days).contains(&day)
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
    fn a_book_replaces_the_words_the_editions_print() {
        let text =
            "[book]\ntitle = \"T\"\nlanguage = \"fr\"\n[labels]\ncontents = \"Table\"\nindex = \"Les auteurs\"\n";
        let (c, d) = parse(text);
        assert!(d.is_empty(), "{d:?}");
        let l = c.unwrap().labels();
        assert_eq!(
            (l.contents.as_str(), l.index.as_str(), l.edited_by.as_str()),
            ("Table", "Les auteurs", "Sous la direction de")
        );
        // A key that is no label is an unknown key, with the closest one.
        let (_, d) = parse("[book]\ntitle = \"T\"\nlanguage = \"fr\"\n[labels]\ncontent = \"Table\"\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::BookUnknownKey);
        assert!(
            d[0].message.contains("labels.content") && d[0].hint.as_deref().is_some_and(|h| h.contains("contents")),
            "{d:?}"
        );
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
        assert_eq!(c.unwrap().pdf.standard, Some(vec![Standard::Ua1]));
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
