//! From `book.toml` as written to the resolved [`BookConfig`], with every
//! problem reported at its key.

use std::path::{Path, PathBuf};

use super::toml_input;
use super::*;
use crate::diagnostic::{Code, Diagnostic, Location};

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

    /// A language whose words the editions do not have, and the book does
    /// not give all of: they are printed in English.
    fn labels(&mut self, lang: &str, own: &std::collections::BTreeMap<String, String>) {
        use crate::lang::labels::{KEYS, languages, supported};
        let missing: Vec<&str> = KEYS.iter().copied().filter(|k| !own.contains_key(*k)).collect();
        if supported(lang) || missing.is_empty() {
            return;
        }
        self.report(
            Code::LabelsInEnglish,
            "language",
            format!(
                "the editions have no words for `{lang}`: {} of their own words (\"{}\"…) will print in English",
                missing.len(),
                {
                    let english = crate::lang::labels::Labels::for_lang("en");
                    let words = [("contents", english.contents), ("index", english.index), ("edited_by", english.edited_by)];
                    words.into_iter().filter(|(k, _)| missing.contains(k)).map(|(_, w)| w).collect::<Vec<_>>().join("\", \"")
                }
            ),
            format!(
                "give them in a [labels] table of book.toml, e.g. `contents = \"…\"`; the guide lists every key. Languages with words: {}",
                languages().join(", ")
            ),
        );
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

    /// `[book] languages`, normalised: the book's own language first, each once.
    fn languages(&mut self, own: &str, written: &[String]) -> Vec<String> {
        let mut out = vec![own.to_string()];
        for l in written {
            let Some(tag) = crate::lang::normalised(l) else {
                self.report(
                    Code::BookInvalidValue,
                    "languages",
                    format!("`{l}` is not a BCP 47 language tag"),
                    "use tags such as `fr`, `en`, `ar` or `pt-BR`",
                );
                continue;
            };
            if tag == own {
                continue;
            }
            if out.contains(&tag) {
                self.report(
                    Code::BookInvalidValue,
                    "languages",
                    format!("`{l}` is listed twice in `languages`"),
                    "name each language once",
                );
                continue;
            }
            out.push(tag);
        }
        out
    }

    /// `[translations.<lang>]`, each for a language the book is published in.
    fn translations(
        &mut self,
        languages: &[String],
        raw: std::collections::BTreeMap<String, RawTranslated>,
    ) -> std::collections::BTreeMap<String, RawTranslated> {
        let mut out = std::collections::BTreeMap::new();
        for (written, mut t) in raw {
            let tag = crate::lang::normalised(&written).unwrap_or(written.clone());
            if !languages[1..].contains(&tag) {
                let at = self.text.find(&format!("[translations.{written}]")).map_or_else(
                    || self.at_key("translations"),
                    |i| Location::at(BOOK_FILE, self.text, i..i + written.len() + 15),
                );
                self.diags.push(
                    Diagnostic::new(
                        Code::BookInvalidValue,
                        at,
                        format!("`[translations.{written}]` is for a language the book is not published in"),
                    )
                    .hint(format!("add \"{written}\" to `languages` under [book], or remove the table")),
                );
                continue;
            }
            if let Some(labels) = &t.labels {
                self.labels(&tag, labels);
            }
            if let Some(id) = &t.identifier
                && let Err(why) = check_identifier(id)
            {
                self.report(
                    Code::BookInvalidValue,
                    "identifier",
                    format!("invalid identifier `{id}`: {why}"),
                    "use `urn:isbn:` followed by an ISBN, or `urn:uuid:` followed by a UUID",
                );
                t.identifier = None;
            }
            t.doi = self.identifier("doi", t.doi.take(), crate::identifiers::doi);
            out.insert(tag, t);
        }
        // A language without words of its own in the table and the book.
        for l in &languages[1..] {
            if !out.contains_key(l) {
                self.labels(l, &Default::default());
            }
        }
        out
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

    /// A DOI or ISBN of `book.toml`, checked: its canonical form, or `None`
    /// with a diagnostic at its key.
    fn identifier(
        &mut self,
        key: &str,
        value: Option<String>,
        check: fn(&str) -> Result<String, String>,
    ) -> Option<String> {
        let v = value?;
        match check(&v) {
            Ok(id) => Some(id),
            Err(why) => {
                let quoted = format!("\"{v}\"");
                let loc = match self.text.find(&quoted) {
                    Some(at) => Location::at(Path::new(BOOK_FILE), self.text, at..at + quoted.len()),
                    None => self.at_key(key),
                };
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidIdentifier,
                        loc,
                        format!("`{v}` is not a valid {}: {why}", key.to_uppercase()),
                    )
                    .hint(if key == "isbn" {
                        "copy the ISBN from the agency's record; its last digit checks the others"
                    } else {
                        "write it as 10.<registrant>/<suffix>, as the registration agency gave it"
                    }),
                );
                None
            }
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

pub(super) fn resolve(raw: RawConfig, text: &str, diags: &mut Vec<Diagnostic>) -> Option<BookConfig> {
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
    let mut epub = raw.epub.unwrap_or_default();
    let mut pdf = pdf;
    pdf.isbn = r.identifier("isbn", pdf.isbn.take(), crate::identifiers::isbn);
    epub.isbn = r.identifier("isbn", epub.isbn.take(), crate::identifiers::isbn);
    let doi = r.identifier("doi", book.doi.clone(), crate::identifiers::doi);
    let print = raw.print.as_ref().and_then(|raw| {
        let mut problems = Vec::new();
        let print = print::Print::resolve(raw, &mut problems);
        for (key, message, hint) in problems {
            r.report(Code::BookInvalidValue, key, message, hint);
        }
        print
    });
    let labels = raw.labels.unwrap_or_default();
    if let Some(lang) = &language {
        r.labels(lang, &labels);
    }
    let (title, language) = (title?, language?);
    let languages = r.languages(&language, book.languages.as_deref().unwrap_or_default());
    let translations = r.translations(&languages, raw.translations.unwrap_or_default());
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
        epub,
        crossref: raw.crossref.unwrap_or_default(),
        print,
        doi,
        references: book.references.as_ref().map(|r| r.to_vec()).unwrap_or_default(),
        citation_style: book.citation_style.clone().unwrap_or_else(|| DEFAULT_CITATION_STYLE.to_string()),
        offprints: raw.offprints.unwrap_or_default(),
        cards: raw.cards.unwrap_or_default(),
        labels,
        release: Release::default(),
        languages,
        untranslated: book.untranslated.unwrap_or_default(),
        translations,
        translation_of: None,
    })
}
