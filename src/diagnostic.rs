//! Diagnostics: what `anthology check` tells contributors and editors.
//!
//! Every stage reports problems as [`Diagnostic`] values instead of stopping at
//! the first one, so one run shows everything that is wrong in every essay.
//! Each diagnostic has a stable [`Code`] (documented in the guide, safe to grep
//! for in CI logs), a severity, a position in a file, a message and a hint.
//!
//! The same list is printed three ways by [`Report`]: for people (rustc-style,
//! with the source line and a caret), as JSON lines for tools, and as GitHub
//! Actions workflow commands so a pull request shows each problem on its line.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The book cannot be built until this is fixed.
    Error,
    /// Worth fixing; the book still builds (unless `--deny-warnings`).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal; )*) => {
        /// Stable diagnostic codes. The letter groups them: `B` the book
        /// configuration, `F` an essay's front matter, `S` the book's structure,
        /// `I` images, `T` the text, `R` references and identifiers,
        /// `Y` typography, `P` typesetting (PDF).
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
    /// Markup that no edition reads, left in the text.
    RawMarkup = "T015", "raw-markup", Warning,
        "pandoc, Quarto or LaTeX markup that no edition reads and that would print as written: attributes that follow no span, image or heading (`word {.smallcaps}`, `[x] {.y}`), a LaTeX command (`\\textbf{…}`), a fenced div's `:::` never closed, an inline note's `^[` where notes cannot be, the rules of a grid table whose cells span rows or columns (`+---+`), a stray caption's `: `.";
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

/// A position in a file: 1-based line and column (in characters), and the
/// byte range it covers when known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, relative to the book's root.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// Byte range in the file, for underlining.
    pub span: Option<Range<usize>>,
}

impl Location {
    /// The whole file, no particular line.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), ..Location::default() }
    }

    /// A byte range of `text`, which is the content of `file`.
    pub fn at(file: impl Into<PathBuf>, text: &str, span: Range<usize>) -> Self {
        let (line, column) = line_column(text, span.start);
        Location { file: file.into(), line, column, span: Some(span) }
    }

    /// A line and column already known (for instance from comrak).
    pub fn line_col(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location { file: file.into(), line, column, span: None }
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based line and character column in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let end_of_line = rest.find('\n').unwrap_or(rest.len());
    let col = column.max(1) - 1;
    let within = rest[..end_of_line].char_indices().nth(col).map_or(end_of_line, |(i, _)| i);
    Some(start + within)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when the tool can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity and no hint.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { code, severity: code.severity(), location, message: message.into(), hint: None }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How `check` prints its diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style, for people; coloured on a terminal.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

/// The diagnostics of one run, with the sources they point into.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every diagnostic, sorted by file, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, String>,
    /// Where the book is, relative to the folder GitHub annotations are
    /// resolved from (the repository's root); empty when it is that folder.
    github_root: PathBuf,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: Code,
    name: &'static str,
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

impl Report {
    /// A report over these diagnostics; `sources` maps a file (relative to
    /// the book) to its text, for the snippets in human output.
    pub fn new(mut diagnostics: Vec<Diagnostic>, sources: BTreeMap<PathBuf, String>) -> Self {
        diagnostics.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column, a.code, &a.message).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
                b.code,
                &b.message,
            ))
        });
        diagnostics.dedup();
        Report { diagnostics, sources, github_root: PathBuf::new() }
    }

    /// Prefixes file paths in GitHub annotations with `root`, the book's
    /// folder relative to the repository's root, which is where GitHub looks.
    pub fn with_github_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.github_root = root.into();
        self
    }

    /// Keeps only the diagnostics for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.diagnostics.retain(keep);
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Writes every diagnostic in `format`. `color` applies to human output.
    pub fn write(&self, out: &mut dyn WriteColorish, format: Format) -> io::Result<()> {
        match format {
            Format::Human => self.write_human(out),
            Format::Json => {
                for d in &self.diagnostics {
                    let json = JsonDiagnostic {
                        code: d.code,
                        name: d.code.name(),
                        severity: d.severity,
                        file: slash_path(&d.location.file),
                        line: d.location.line,
                        column: d.location.column,
                        message: &d.message,
                        hint: d.hint.as_deref(),
                    };
                    serde_json::to_writer(&mut *out, &json)?;
                    writeln!(out)?;
                }
                Ok(())
            }
            Format::Github => {
                for d in &self.diagnostics {
                    writeln!(out, "{}", github_line(d, &self.github_root))?;
                }
                Ok(())
            }
        }
    }

    fn write_human(&self, out: &mut dyn WriteColorish) -> io::Result<()> {
        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for (path, text) in &self.sources {
            ids.insert(path.clone(), files.add(slash_path(path), text.as_str()));
        }
        let config = term::Config::default();
        for d in &self.diagnostics {
            let mut notes = Vec::new();
            let mut labels = Vec::new();
            let file = &d.location.file;
            // A long line (a paragraph written on one line) is shown as an
            // excerpt around the problem, with its real line and column.
            let excerpt = self.span_of(d).and_then(|span| Excerpt::new(file, self.sources.get(file)?, span));
            if let Some(ex) = &excerpt {
                let diag = self.codespan(d, vec![cs::Label::primary((), ex.span())], notes.clone());
                term::emit_to_write_style(out.style_writer(), &config, ex, &diag).map_err(io::Error::other)?;
                continue;
            }
            match (ids.get(file), self.span_of(d)) {
                (Some(&id), Some(span)) => labels.push(cs::Label::primary(id, span)),
                _ => notes.push(format!("in {}", display_location(&d.location))),
            }
            let diag = self.codespan(d, labels, notes);
            term::emit_to_write_style(out.style_writer(), &config, &files, &diag).map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn codespan<F>(&self, d: &Diagnostic, labels: Vec<cs::Label<F>>, mut notes: Vec<String>) -> cs::Diagnostic<F> {
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
    }

    fn span_of(&self, d: &Diagnostic) -> Option<Range<usize>> {
        if d.location.line == 0 {
            return None;
        }
        let text = self.sources.get(&d.location.file)?;
        if let Some(span) = &d.location.span {
            return (span.end <= text.len()).then(|| span.clone());
        }
        let start = offset_of(text, d.location.line, d.location.column)?;
        // Underline the rest of the word (or one character).
        let len = text[start..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(text.len() - start, |(i, _)| i)
            .max(text[start..].chars().next().map_or(0, char::len_utf8));
        Some(start..start + len)
    }
}

/// Lines longer than this are shown as an excerpt around the problem.
const LONG_LINE: usize = 120;

/// Characters of context kept before and after the underlined part.
const CONTEXT: usize = 40;

/// One line of a source cut to a window around a span, for a line too long to
/// print whole: codespan sees a one-line file whose line and column numbers
/// are those of the real file.
struct Excerpt {
    name: String,
    /// `…` + the window + `…`, as shown.
    text: String,
    /// Where the underlined part is in `text`.
    span: Range<usize>,
    line: usize,
    /// Characters of the real line before the window.
    skipped: usize,
    /// Bytes of `text` before the window (the leading `…`, when there is one).
    lead: usize,
}

impl Excerpt {
    fn new(file: &Path, text: &str, span: Range<usize>) -> Option<Excerpt> {
        let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[span.start..].find('\n').map_or(text.len(), |i| span.start + i);
        let line_text = &text[start..end];
        if line_text.chars().count() <= LONG_LINE || span.end > end {
            return None;
        }
        // The window: CONTEXT characters each side of the span, on char boundaries.
        let before: Vec<usize> = text[start..span.start].char_indices().map(|(i, _)| start + i).collect();
        let from = before.len().checked_sub(CONTEXT).map_or(start, |k| before[k]);
        let after_len = text[span.end..end].char_indices().nth(CONTEXT).map_or(end, |(i, _)| span.end + i);
        let (lead_mark, tail_mark) = (if from > start { "…" } else { "" }, if after_len < end { "…" } else { "" });
        let shown = format!("{lead_mark}{}{tail_mark}", &text[from..after_len]);
        let lead = lead_mark.len();
        Some(Excerpt {
            name: slash_path(file),
            span: (span.start - from + lead)..(span.end - from + lead),
            text: shown,
            line: text[..start].matches('\n').count() + 1,
            skipped: text[start..from].chars().count(),
            lead,
        })
    }

    fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, codespan_reporting::files::Error> {
        let inside = self.text.get(self.lead..byte.max(self.lead)).map_or(0, |s| s.chars().count());
        Ok(self.skipped + inside + 1)
    }

    fn line_range(&'a self, (): (), _: usize) -> Result<Range<usize>, codespan_reporting::files::Error> {
        Ok(0..self.text.len())
    }
}

/// `file:line:column`, leaving out what is unknown.
pub fn display_location(l: &Location) -> String {
    match (l.line, l.column) {
        (0, _) => slash_path(&l.file),
        (line, 0) => format!("{}:{line}", slash_path(&l.file)),
        (line, col) => format!("{}:{line}:{col}", slash_path(&l.file)),
    }
}

/// A path with forward slashes, as printed in diagnostics on every platform.
pub fn slash_path(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn github_line(d: &Diagnostic, root: &Path) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = vec![format!("file={}", gh_property(&slash_path(&root.join(&d.location.file))))];
    if d.location.line > 0 {
        props.push(format!("line={}", d.location.line));
    }
    if d.location.column > 0 {
        props.push(format!("col={}", d.location.column));
    }
    props.push(format!("title={}", gh_property(&format!("{} {}", d.code, d.code.name()))));
    let mut message = d.message.clone();
    if let Some(h) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(h);
    }
    format!("::{level} {}::{}", props.join(","), gh_data(&message))
}

// GitHub's workflow-command escaping: data escapes % CR LF; properties also : and ,.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// An output stream that may or may not support colour; lets [`Report`] write
/// to a terminal, a pipe or a buffer alike.
pub trait WriteColorish: Write {
    /// The stream as a codespan style writer.
    fn style_writer(&mut self) -> &mut dyn term::WriteStyle;
}

impl<W: termcolor::WriteColor> WriteColorish for W {
    fn style_writer(&mut self) -> &mut dyn term::WriteStyle {
        self
    }
}

use codespan_reporting::term::termcolor;

#[cfg(test)]
mod tests {
    use super::*;
    use termcolor::NoColor;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\n« é »x";
        let off = text.find('x').unwrap();
        assert_eq!(line_column(text, off), (2, 6));
        assert_eq!(offset_of(text, 2, 6), Some(off));
        assert_eq!(line_column(text, 0), (1, 1));
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(seen.insert(c.name()), "duplicate name {}", c.name());
        }
    }

    fn sample() -> Report {
        let text = "+++\ntitel = \"x\"\n+++\n".to_string();
        let loc = Location::at("contributions/a.md", &text, 4..9);
        let d = Diagnostic::new(Code::UnknownKey, loc, "unknown key `titel`").hint("did you mean `title`?");
        Report::new(vec![d], BTreeMap::from([(PathBuf::from("contributions/a.md"), text)]))
    }

    #[test]
    fn human_output_has_snippet_and_caret() {
        let mut out = NoColor::new(Vec::new());
        sample().write(&mut out, Format::Human).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(s.contains("error[F004]: unknown key `titel`"), "{s}");
        assert!(s.contains("contributions/a.md:2:1"), "{s}");
        assert!(s.contains("^^^^^"), "{s}");
        assert!(s.contains("hint: did you mean `title`?"), "{s}");
    }

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_with_its_real_position() {
        let line = format!("{}ÉCHEC{}", "é".repeat(300), "à".repeat(300));
        let text = format!("+++\ntitle = \"x\"\n+++\n\n{line}\n");
        let start = text.find("ÉCHEC").unwrap();
        let loc = Location::at("contributions/a.md", &text, start..start + "ÉCHEC".len());
        let d = Diagnostic::new(Code::UnknownKey, loc, "here");
        let report = Report::new(vec![d], BTreeMap::from([(PathBuf::from("contributions/a.md"), text)]));
        let mut out = NoColor::new(Vec::new());
        report.write(&mut out, Format::Human).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(s.contains("contributions/a.md:5:301"), "{s}");
        let shown = s.lines().find(|l| l.contains("ÉCHEC")).unwrap();
        assert!(shown.starts_with("5 │ …") && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() < 100, "{shown}");
        let caret = s.lines().find(|l| l.contains('^')).unwrap();
        let column = |l: &str, pat: char| l.chars().position(|c| c == pat).unwrap();
        assert_eq!(column(caret, '^'), column(shown, 'É'), "the caret is under the problem:\n{s}");
    }

    #[test]
    fn github_output_is_one_escaped_line() {
        let mut out = NoColor::new(Vec::new());
        sample().write(&mut out, Format::Github).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(
            s,
            "::error file=contributions/a.md,line=2,col=1,title=F004 unknown-key::unknown key `titel`%0Ahint: did you mean `title`?\n"
        );
    }

    #[test]
    fn github_paths_start_from_the_repository_root() {
        let mut out = NoColor::new(Vec::new());
        sample().with_github_root("books/mine").write(&mut out, Format::Github).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(s.starts_with("::error file=books/mine/contributions/a.md,line=2"), "{s}");
    }

    #[test]
    fn json_output_is_one_object_per_line() {
        let mut out = NoColor::new(Vec::new());
        sample().write(&mut out, Format::Json).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        let v: serde_json::Value = serde_json::from_str(s.trim()).unwrap();
        assert_eq!(v["code"], "F004");
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 1);
        assert_eq!(v["hint"], "did you mean `title`?");
    }
}
