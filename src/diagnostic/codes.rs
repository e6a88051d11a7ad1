//! The table of diagnostic codes: each code's letter and number, its name,
//! its severity and what it means, in one place, from which the guide's
//! table is generated and against which every fixture is checked.

use std::fmt;

use serde::Serialize;

use super::Severity;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal; )*) => {
        /// Stable diagnostic codes. The letter groups them: `B` the book
        /// configuration, `F` an essay's front matter, `S` the book's structure,
        /// `I` images, `T` the text, `R` references and identifiers,
        /// `Y` typography, `P` typesetting (PDF), `M` imports, `D` the
        /// editor's desk, `L` the book's languages and translations.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The short stable identifier, such as `F004`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A readable name, such as `unknown-key`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity this code is reported with.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// What it means, in a sentence (Markdown): the guide's table of codes.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    /// No `book.toml` at the root of the book.
    BookMissing = "B001", "book-missing", Error,
        "No `book.toml`.";
    /// `book.toml` is not valid TOML.
    BookSyntax = "B002", "book-syntax", Error,
        "`book.toml` is not valid TOML.";
    /// A key in `book.toml` that the tool does not know.
    BookUnknownKey = "B003", "book-unknown-key", Error,
        "A key `book.toml` does not have (with \"did you mean\").";
    /// A value of the wrong type or out of range in `book.toml`.
    BookInvalidValue = "B004", "book-invalid-value", Error,
        "A value of the wrong type or form (language tag, date, identifier, order).";
    /// A required key of `book.toml` is missing.
    BookMissingKey = "B005", "book-missing-key", Error,
        "`title` or `language` missing, or a section without `id`.";
    /// A file named by `book.toml` (front, back, intro, cover) does not exist.
    BookFileMissing = "B006", "book-file-missing", Error,
        "A front, back or intro file that does not exist; no `contributions/`.";
    /// Two sections share an id.
    DuplicateSection = "B007", "duplicate-section", Error,
        "Two sections with one id.";
    /// A language the editions have no words for.
    LabelsInEnglish = "B008", "labels-in-english", Warning,
        "The book's language is not among the 25 whose words (\"Contents\", \"Index\"…) the editions know, and `[labels]` does not give them all: they print in English.";
    /// The essay has no front matter at all.
    FrontMatterMissing = "F001", "front-matter-missing", Error,
        "The essay does not start with `+++` (or uses YAML `---`).";
    /// The opening `+++` has no closing `+++`.
    FrontMatterUnclosed = "F002", "front-matter-unclosed", Error,
        "No closing `+++`.";
    /// The front matter is not valid TOML.
    FrontMatterSyntax = "F003", "front-matter-syntax", Error,
        "The front matter is not valid TOML.";
    /// A front-matter key that the tool does not know.
    UnknownKey = "F004", "unknown-key", Error,
        "An unknown front-matter key (with \"did you mean\").";
    /// A front-matter value of the wrong type.
    InvalidValue = "F005", "invalid-value", Error,
        "A value of the wrong type, or an invalid `lang`.";
    /// No `title` in the front matter.
    MissingTitle = "F006", "missing-title", Error,
        "No `title`.";
    /// No `[[authors]]` in the front matter.
    MissingAuthors = "F007", "missing-authors", Error,
        "No `[[authors]]`.";
    /// An author without a `name`.
    MissingAuthorName = "F008", "missing-author-name", Error,
        "An author without `name`.";
    /// An author's name that reads like text.
    NameLikeText = "F009", "name-like-text", Warning,
        "An author's `name` that reads like a sentence (over 80 characters, or with sentence punctuation): most often text pasted into the wrong field; it would print in the byline, the index and the cover.";
    /// A file that is not valid UTF-8, or that cannot be read.
    Unreadable = "S001", "unreadable", Error,
        "Not UTF-8 (at the first bad byte), or unreadable.";
    /// Two contributions with the same slug (`a.md` and `a/index.md`).
    DuplicateSlug = "S002", "duplicate-slug", Error,
        "Two contributions with one slug: `a.md` and `a/index.md`, or names that differ only by accents or case (`Noël.md`, `noel.md`).";
    /// A slug that cannot be used in file names and URLs.
    InvalidSlug = "S003", "invalid-slug", Error,
        "A file or folder name with other characters than letters (of any script), digits, `-` and `_`.";
    /// An essay names a section that `book.toml` does not declare.
    UnknownSection = "S004", "unknown-section", Error,
        "`section` names no declared section.";
    /// `[order] list` names an essay that does not exist.
    OrderUnknownSlug = "S005", "order-unknown-slug", Error,
        "`[order] list` names an essay that does not exist.";
    /// `[order] list` leaves out an essay.
    OrderMissingSlug = "S006", "order-missing-slug", Error,
        "`[order] list` leaves an essay out.";
    /// A contribution file too large to be an essay.
    FileTooLarge = "S007", "file-too-large", Error,
        "A Markdown file over 1 MiB; it is not read.";
    /// An image or linked file that does not exist.
    ImageMissing = "I001", "file-missing", Error,
        "A photo or image that does not exist, or a remote image URL.";
    /// A path that leaves the book's folder: never read.
    PathOutsideBook = "I002", "path-outside-book", Error,
        "A path that leaves the book (`..`, absolute, or a symbolic link out); never read.";
    /// An image in a format the tool cannot read, or a corrupt one.
    ImageUnreadable = "I003", "image-unreadable", Error,
        "Not a PNG, JPEG, WebP, GIF or SVG, a corrupt one, or an SVG over 4 MiB.";
    /// An image larger than the pixel limit (a decompression bomb is refused here).
    ImageTooLarge = "I004", "image-too-large", Error,
        "More pixels than `max_image_pixels`.";
    /// A photo smaller than the print minimum.
    ImageTooSmall = "I005", "image-too-small", Error,
        "A photo smaller than `min_photo_pixels`.";
    /// An author without a photo, when the rules require one.
    MissingPhoto = "I006", "missing-photo", Error,
        "An author without a photo when `require_photo`.";
    /// An author without a bio, when the rules require one.
    MissingBio = "I007", "missing-bio", Error,
        "An author without a bio when `require_bio`.";
    /// The essay has no text.
    EmptyEssay = "T001", "empty-essay", Error,
        "No text.";
    /// Fewer words than `rules.min_words`.
    TooFewWords = "T002", "too-few-words", Error,
        "Fewer words than `min_words`.";
    /// More words than `rules.max_words`.
    TooManyWords = "T003", "too-many-words", Error,
        "More words than `max_words`.";
    /// A level-one heading in the body: the title comes from the front matter.
    LevelOneHeading = "T004", "level-one-heading", Error,
        "A `#` heading in the body.";
    /// Raw HTML in the text, when the rules do not allow it.
    RawHtml = "T005", "raw-html", Error,
        "Raw HTML when `allow_html` is false (one per paragraph).";
    /// A link to a local file that does not exist.
    BrokenLink = "T006", "broken-link", Error,
        "A link to a local file that does not exist, or to a heading (`other.md#a-heading`, `#a-heading`) that no heading of that text has.";
    /// An image without alt text.
    MissingAlt = "T007", "missing-alt", Warning,
        "An image without alt text.";
    /// Markup nested deeper than the tool accepts.
    TooDeep = "T008", "too-deep", Error,
        "Quotes or lists nested more than 64 levels.";
    /// A footnote reference with no definition, or a definition never used.
    Footnote = "T009", "footnote", Warning,
        "A footnote reference with no definition.";
    /// More inline markup than a text can hold: parsing it would cost hundreds of MB.
    TooMuchMarkup = "T010", "too-much-markup", Error,
        "More than 10,000 markup characters (`*`, `_`, `~`, `^`, `[`, `]`, `<`, `|`, backticks) in one text: refused unparsed, as each costs the parser hundreds of bytes.";
    /// Raw HTML, allowed by the rules, that the editions leave out.
    HtmlLeftOut = "T011", "html-left-out", Warning,
        "With `allow_html`, raw HTML the sanitiser removes (script, style, frames, forms, unknown elements, event handlers, addresses other than http, https, mailto or inside the book): left out with a warning rather than silently.";
    /// Math that cannot be read.
    InvalidMath = "T012", "invalid-math", Error,
        "LaTeX math (`$…$`, `$$…$$`, a fenced `math` block) the converter cannot read: no edition could print it.";
    /// A cross-reference that names no figure, table or heading of the book.
    UnknownCrossref = "T013", "unknown-crossref", Error,
        "A cross-reference (`@fig-x`, `@tbl-x`, `@sec-x`, `[-@fig:x]`, `\\ref{…}`, `\\autoref{…}`) that names no figure, table or heading of the book: the id is given with `{#fig-x}` after an image or a heading, at the end of a table's caption (`: Caption {#tbl-x}`), or with `\\label{…}` in a caption or a heading.";
    /// A cross-reference to what the editions do not number (equations, theorems).
    CrossrefUnnumbered = "T014", "crossref-unnumbered", Warning,
        "A cross-reference to a theorem, a lemma or another statement (`@thm-x`, `@lem-x`): the editions number figures, tables, listings and equations only, so it prints as written.";
    /// An id given twice in one text.
    DuplicateId = "T016", "duplicate-id", Warning,
        "An id given twice in one text (`{#fig-x}` on two figures, `{#sec-x}` on two headings): cross-references and links lead to the first; the editions give the second the id with `-1` after it, so that every id of a page is one element's. Alternatives for different editions (Quarto's conditional content, one after the other) may give one id: each edition has one of them.";
    /// Conditional content that no edition of the book shows.
    ShownNowhere = "T017", "shown-nowhere", Warning,
        "Quarto's conditional content (`::: {.content-visible when-format=\"docx\"}`, `[…]{.content-hidden}`) that none of the PDF, the EPUB and the website shows: `when-format` names none of them (`pdf`, `latex` and `typst` are the PDF; `epub` the EPUB; `html` the EPUB and the website; `html:js` the website), or the condition is on metadata or a profile (`when-meta`, `when-profile`), which a book does not set. Left out of every edition.";
    /// A heading with no text.
    EmptyHeading = "T018", "empty-heading", Warning,
        "A heading with no text (`###` alone on its line): every edition would print an empty heading, which screen readers announce and which keeps the PDF from declaring PDF/UA-1.";
    /// Markup that no edition reads, left in the text.
    RawMarkup = "T015", "raw-markup", Warning,
        "pandoc, Quarto or LaTeX markup that no edition reads and that would print as written: attributes that follow no span, image or heading (`word {.smallcaps}`, `[x] {.y}`), a LaTeX command (`\\textbf{…}`, or `\\newpage` alone in its paragraph, `\\noindent` opening one), a fenced div's `:::` never closed, an inline note's `^[` where notes cannot be, the rules of a grid table whose cells span rows or columns (`+---+`), a stray caption's `: `.";
    /// A citation names a key that no reference file of the text defines.
    UnknownCitation = "R001", "unknown-citation", Error,
        "A citation (`[@key]`) whose key no reference file of the text or the book defines (with \"did you mean\").";
    /// A reference file that cannot be read.
    ReferencesSyntax = "R002", "references-syntax", Error,
        "A `.bib` or `.yaml` reference file that cannot be read, at its line; a key defined twice in one YAML file.";
    /// A BibLaTeX key defined again in the same file: the first entry is used.
    DuplicateReference = "R009", "duplicate-reference", Warning,
        "A BibLaTeX key defined again in the same file, as reference managers' exports often do: the first entry is used, as pandoc and biber use it. A key reused with other fields is told at each repeat; repeats of the same entry, once for the file.";
    /// A field of a reference that cannot be read, left out of its entry.
    ReferenceFieldLeftOut = "R008", "reference-field-left-out", Warning,
        "A field of a BibLaTeX entry that cannot be read (`year = {}`, `year = {Forthcoming, 2018}`): the entry is kept without it, so what cites it still resolves.";
    /// An entry of an essay's own reference file that the essay never cites.
    UnusedReference = "R003", "unused-reference", Warning,
        "An entry of an essay's own reference file that the essay never cites (it would not be printed).";
    /// A citation style that is neither bundled nor a readable CSL file.
    UnknownStyle = "R004", "unknown-style", Error,
        "A `citation_style` that is neither a bundled style nor a readable `.csl` file of the book.";
    /// `@word` in running text, close to a reference's key but not one.
    NearCitation = "R006", "near-citation", Warning,
        "`@word` in an essay that has references, one letter or two from a reference's key: left as written, since `@word` is a citation only when it is a key (a handle stays a handle).";
    /// Citation syntax in a text that has no references: printed as written.
    CitationWithoutReferences = "R007", "citation-without-references", Warning,
        "`[@key]` in a text that has no reference file (its own, one its `references` names, or the book's): every edition would print it as written, so it is reported with the key.";
    /// A DOI, ISBN or ORCID iD that is malformed or fails its check digit.
    InvalidIdentifier = "R005", "invalid-identifier", Error,
        "A DOI, ISBN or ORCID iD that is malformed, or whose check digit is wrong.";
    /// Straight quotes or apostrophes where the language wants typographic ones.
    StraightQuotes = "Y001", "straight-quotes", Warning,
        "Straight quotes or apostrophes (one per paragraph).";
    /// French: a missing or breakable space before `; : ! ?` or inside « ».
    FrenchSpacing = "Y002", "french-spacing", Warning,
        "A missing or breakable space in French punctuation (one per paragraph).";
    /// typst could not typeset the book (an error in a template, most often).
    Typeset = "P001", "typeset-error", Error,
        "typst could not typeset the book (`build`; usually a template error, at its line).";
    /// A warning from typst while typesetting.
    TypesetWarning = "P002", "typeset-warning", Warning,
        "A warning from typst while typesetting (`build`).";
    /// Characters that no available font can draw: they would print as empty boxes.
    MissingGlyphs = "P003", "missing-glyphs", Warning,
        "Characters no font of the book can print, named with their code points.";
    /// A script with no text font: it would be set in a monospace or a missing face.
    NoTextFont = "P004", "no-text-font", Error,
        "A script (Arabic, Hebrew, Han…) that no text font of the book, its `font_paths` or the machine sets; the hint names the package to install.";
    /// What an import could not carry over.
    ImportLeftOut = "M001", "import-left-out", Warning,
        "What `anthology import` could not carry over from a source (an unknown front matter key, a Liquid tag, a link to a file not imported), at its line there.";
    /// What an import changed on the way.
    ImportChanged = "M002", "import-changed", Warning,
        "What `anthology import` changed on the way (a contribution renamed because another source has its name).";
    /// A roster's row that matches no author, or an author no row matches.
    RosterUnmatched = "M003", "roster-unmatched", Warning,
        "A row of the roster `anthology import roster` reads that matches no author of the book, or an author no row matches.";
    /// An image printed at under 300 dpi in a printed book's PDF.
    LowResolution = "P005", "low-resolution", Warning,
        "An image that `[print]`'s PDF prints at under 300 pixels per inch: it will look soft on paper; the message gives its page and size.";
    /// What the print service will not take as it is.
    PrintService = "P006", "print-service", Warning,
        "What the `[print]` service will not take as it is, or what the cover leaves out: a page count outside its range, a standard typst cannot write (PDF/X), a spine too thin for text.";
    /// An essay whose current text not every author approved, in a book with a desk.
    NotApproved = "D001", "not-approved", Warning,
        "In a book with a `desk.toml`: an essay whose current text an author has not approved, or changed since they did (named in the message). `build --release` refuses it as an error unless `[desk] release_needs_approval = false`.";
    /// `desk.toml` that cannot be used.
    DeskInvalid = "D002", "desk-invalid", Error,
        "`desk.toml` is not valid TOML, has a key the desk does not know, or a date not written YYYY-MM-DD.";
    /// A translation of a text the book does not have.
    TranslationOrphan = "L001", "translation-orphan", Error,
        "A translation (`<slug>.<lang>.md`, `<slug>/index.<lang>.md`) beside no original of that name.";
    /// A translation into a language the book is not published in.
    TranslationLanguage = "L002", "translation-language", Error,
        "A translation into a language `[book] languages` does not list, or into the book's own language.";
    /// A translation of an earlier version of its original.
    TranslationBehind = "L003", "translation-behind", Warning,
        "A translation whose `original_sha256` is not its original's text as it is now: the original changed since the translator was done (both files named).";
    /// Texts not translated into one of the book's languages.
    Untranslated = "L004", "untranslated", Warning,
        "In a book published in several languages: the texts with no translation into one of them, one diagnostic per language (printed in their own language, or left out with `untranslated = \"omit\"`).";
}

/// The table of every code, as the guide prints it (Markdown).
pub fn markdown_table() -> String {
    let mut out = String::from("| code | name | severity | what it means |\n| --- | --- | --- | --- |\n");
    for c in Code::ALL {
        out.push_str(&format!("| {c} | {} | {} | {} |\n", c.name(), c.severity(), c.summary()));
    }
    out
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
