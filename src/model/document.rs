//! The text of an essay as an owned tree: what every edition renders.
//!
//! comrak's AST lives in an arena borrowed for the duration of one parse, so
//! it cannot be part of a `Book` shared across threads. Each essay is parsed
//! once, at load time, into this small owned tree, which keeps exactly the
//! elements the tool supports and the source positions diagnostics need. The
//! validator walks it; the PDF, EPUB and HTML writers render it.

/// A position in the essay's file: 1-based line, and 1-based column counted
/// in bytes of that line (as comrak counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    /// Line in the file.
    pub line: u32,
    /// Byte column in the line.
    pub col: u32,
}

/// Column alignment in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Not specified.
    None,
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// How an ordered list's numbers are written: pandoc's fancy lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Numbering {
    /// `1.`, `2.`…
    #[default]
    Decimal,
    /// `a.`, `b.`…
    LowerAlpha,
    /// `A.`, `B.`…
    UpperAlpha,
    /// `i.`, `ii.`…
    LowerRoman,
    /// `I.`, `II.`…
    UpperRoman,
}

impl Numbering {
    /// HTML's `<ol type>`: `None` for decimal numbers.
    pub fn html_type(self) -> Option<&'static str> {
        match self {
            Numbering::Decimal => None,
            Numbering::LowerAlpha => Some("a"),
            Numbering::UpperAlpha => Some("A"),
            Numbering::LowerRoman => Some("i"),
            Numbering::UpperRoman => Some("I"),
        }
    }

    /// The number `n` as a list of this numbering writes it (`c`, `IV`):
    /// `None` past `z` for letters.
    pub fn number(self, n: u64) -> Option<String> {
        let letter = |base: u8| (1..=26).contains(&n).then(|| char::from(base + (n - 1) as u8).to_string());
        match self {
            Numbering::Decimal => Some(n.to_string()),
            Numbering::LowerAlpha => letter(b'a'),
            Numbering::UpperAlpha => letter(b'A'),
            Numbering::LowerRoman => (n > 0).then(|| roman(n)),
            Numbering::UpperRoman => (n > 0).then(|| roman(n).to_ascii_uppercase()),
        }
    }

    /// typst's numbering pattern.
    pub fn typst_pattern(self) -> &'static str {
        match self {
            Numbering::Decimal => "1.",
            Numbering::LowerAlpha => "a.",
            Numbering::UpperAlpha => "A.",
            Numbering::LowerRoman => "i.",
            Numbering::UpperRoman => "I.",
        }
    }
}

/// `n` in lowercase roman numerals (`xiv`).
fn roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// A block element.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A heading; level 1 is reported by `check` (the title is in the front matter).
    Heading {
        /// 1 to 6, as written.
        level: u8,
        /// Its text.
        content: Vec<Inline>,
        /// Where it starts.
        pos: Pos,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A list.
    List {
        /// The first number of an ordered list; `None` for a bulleted list.
        start: Option<u64>,
        /// How an ordered list's numbers are written (`a.`, `iv.`).
        numbering: Numbering,
        /// Whether items are set without space between them.
        tight: bool,
        /// The items, each a list of blocks.
        items: Vec<Vec<Block>>,
    },
    /// A code block.
    Code {
        /// The language named after the opening fence.
        lang: Option<String>,
        /// The code, verbatim.
        text: String,
    },
    /// A table.
    Table {
        /// One alignment per column (empty when none is given, as in HTML).
        align: Vec<Align>,
        /// How many of the first rows are the header (1 in Markdown).
        head: usize,
        /// Rows of cells.
        rows: Vec<Vec<Cell>>,
        /// Its caption (pandoc's `: Caption` paragraph after it), empty
        /// when it has none; "Table 2: …" once numbered.
        caption: Vec<Inline>,
        /// Where it starts.
        pos: Pos,
    },
    /// A term and what defines it (pandoc's definition lists, `Term` then
    /// `: definition`); the terms that follow each other make one list.
    Term {
        /// The term.
        term: Vec<Inline>,
        /// Its definitions.
        blocks: Vec<Block>,
    },
    /// A disclosure (HTML's `details`): a summary and what it discloses;
    /// print shows both.
    Details {
        /// What is shown when it is closed.
        summary: Vec<Inline>,
        /// What it discloses.
        blocks: Vec<Block>,
    },
    /// A callout: a titled box set apart from the text (Quarto's
    /// `::: {.callout-tip}`, GitHub's `> [!TIP]`).
    Callout {
        /// Which kind.
        kind: CalloutKind,
        /// Its title: as written, or the kind's name in the text's language.
        title: Vec<Inline>,
        /// What it holds.
        blocks: Vec<Block>,
    },
    /// A numbered float around any content: Quarto's `::: {#fig-x}` or
    /// `::: {#tbl-x}` holding more than an image or a table, its last
    /// paragraph the caption.
    Float {
        /// What it is counted with: figures, tables or listings.
        kind: FloatKind,
        /// Its caption, "Figure 3: …" once numbered.
        caption: Vec<Inline>,
        /// What it holds.
        blocks: Vec<Block>,
        /// Where it starts.
        pos: Pos,
    },
    /// Content that only some editions print (Quarto's `::: {.content-visible
    /// when-format="pdf"}`): each edition prints `blocks` when `shown`
    /// holds its medium; none may (`check` reports it).
    Only {
        /// The media that show it.
        shown: Shown,
        /// What it holds.
        blocks: Vec<Block>,
        /// Where it starts.
        pos: Pos,
        /// Its last line: what it holds lies between.
        last_line: u32,
    },
    /// A thematic break.
    Rule,
    /// Raw HTML, kept so that `check` can report it, with what the
    /// sanitiser made of it: the editions render `content` when the rules
    /// allow HTML.
    Html {
        /// The HTML as written.
        html: String,
        /// Where it starts.
        pos: Pos,
        /// The sanitised HTML as blocks of this model.
        content: Vec<Block>,
        /// What the sanitiser left out of `content`, each a warning of `check`.
        left_out: Vec<LeftOut>,
    },
}

/// What a float is counted with, as Quarto's id prefixes say
/// (`#fig-`, `#tbl-`, `#lst-`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatKind {
    /// A figure.
    Figure,
    /// A table.
    Table,
    /// A code listing.
    Listing,
    /// A display equation (never a float: its number is its tag).
    Equation,
}

/// The kinds of callout Quarto and GitHub share, and the abstract: titled
/// blocks set apart from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalloutKind {
    /// Something to know.
    Note,
    /// Something helpful.
    Tip,
    /// Something to mind.
    Warning,
    /// Something that matters.
    Important,
    /// Something with a risk.
    Caution,
    /// The essay's abstract: its front matter's `abstract`, or pandoc's
    /// `::: abstract` div (not a Quarto callout class).
    Abstract,
}

impl CalloutKind {
    /// Its name, as Quarto's classes (`callout-tip`) and the editions' styles write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CalloutKind::Note => "note",
            CalloutKind::Tip => "tip",
            CalloutKind::Warning => "warning",
            CalloutKind::Important => "important",
            CalloutKind::Caution => "caution",
            CalloutKind::Abstract => "abstract",
        }
    }

    /// The kind a name gives (`tip`, `TIP`), if any.
    pub fn named(name: &str) -> Option<CalloutKind> {
        Some(match name.to_ascii_lowercase().as_str() {
            "note" => CalloutKind::Note,
            "tip" => CalloutKind::Tip,
            "warning" => CalloutKind::Warning,
            "important" => CalloutKind::Important,
            "caution" => CalloutKind::Caution,
            _ => return None,
        })
    }
}

/// A paragraph that is a figure, as every edition reads it: an image
/// alone, or an image alone in a link when `anchored` says the image has
/// an id (Quarto's `[![A map](map.png){#fig-map}](https://…)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FigureView<'a> {
    /// The image's source, as written.
    pub url: &'a str,
    /// Its alternative text.
    pub alt: &'a str,
    /// Its caption (the image's title).
    pub title: &'a str,
    /// Where it starts.
    pub pos: Pos,
    /// The share of the text's width it takes, when the text says.
    pub width: Option<u8>,
    /// The address the picture links to, as written.
    pub link: Option<&'a str>,
}

impl<'a> FigureView<'a> {
    /// The figure the paragraph `inlines` is, if it is one.
    pub fn of(inlines: &'a [Inline], anchored: impl Fn(Pos) -> bool) -> Option<FigureView<'a>> {
        let (image, link) = match inlines {
            [image @ Inline::Image { .. }] => (image, None),
            [Inline::Link { url, content, .. }] => match content.as_slice() {
                [image @ Inline::Image { pos, .. }] if anchored(*pos) => (image, Some(url.as_str())),
                _ => return None,
            },
            _ => return None,
        };
        let Inline::Image { url, alt, title, pos, width } = image else { return None };
        Some(FigureView { url, alt, title, pos: *pos, width: *width, link })
    }
}

/// LaTeX math the converter refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MathError {
    /// Byte offset of the problem in the LaTeX.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// A table cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Its text.
    pub content: Vec<Inline>,
    /// Columns it spans (1 or more).
    pub colspan: u32,
    /// Rows it spans (1 or more).
    pub rowspan: u32,
    /// Whether it heads its row (HTML's `th` outside the header rows).
    pub row_header: bool,
}

impl Cell {
    /// A cell of one column and one row.
    pub fn new(content: Vec<Inline>) -> Self {
        Cell { content, colspan: 1, rowspan: 1, row_header: false }
    }

    /// Whether it is a header cell in row `r` of a table whose first `head`
    /// rows are its header: a header cell without text is none (assistive
    /// technology announces it as an error).
    pub fn is_header(&self, r: usize, head: usize) -> bool {
        (r < head || self.row_header) && !plain_text(&self.content).trim().is_empty()
    }

    /// Whether it is a header cell that heads its row, below the header
    /// rows: what the editions mark with a row scope.
    pub fn heads_row(&self, r: usize, head: usize) -> bool {
        r >= head && self.is_header(r, head)
    }
}

/// `list` with adjacent runs of plain text made one, as the Markdown reader
/// makes them (typography then sees whole words).
pub fn merge_text(list: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(list.len());
    for i in list {
        if let (Some(Inline::Text { text: prev, .. }), Inline::Text { text, .. }) = (out.last_mut(), &i) {
            prev.push_str(text);
            continue;
        }
        out.push(i);
    }
    out
}

/// Something of an HTML block the sanitiser did not carry into the editions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// Where it is in the file.
    pub pos: Pos,
    /// What it is (`<iframe>`, `onclick on <a>`…).
    pub what: String,
    /// Whether its text is kept (only the tag or attribute is dropped).
    pub text_kept: bool,
}

/// The grid of a table: its number of columns, and for each row the cells
/// to add at its end so that every row fills the grid (rows and columns
/// that spanning cells cover counted).
pub fn table_grid(rows: &[Vec<Cell>]) -> (usize, Vec<usize>) {
    // For each column, how many more rows a cell above still covers.
    let mut covered: Vec<u32> = Vec::new();
    let mut filled = Vec::with_capacity(rows.len());
    for row in rows {
        let mut next: Vec<u32> = covered.iter().map(|n| n.saturating_sub(1)).collect();
        let mut n = covered.iter().filter(|n| **n > 0).count();
        let mut col = 0;
        for cell in row {
            while covered.get(col).is_some_and(|n| *n > 0) {
                col += 1;
            }
            let span = cell.colspan.max(1) as usize;
            if next.len() < col + span {
                next.resize(col + span, 0);
            }
            for c in &mut next[col..col + span] {
                *c = (*c).max(cell.rowspan.max(1) - 1);
            }
            col += span;
            n += span;
        }
        filled.push(n);
        covered = next;
    }
    let cols = filled.iter().copied().max().unwrap_or(0).max(1);
    (cols, filled.into_iter().map(|n| cols - n).collect())
}

/// An inline element.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text.
        text: String,
        /// Where it starts.
        pos: Pos,
    },
    /// Emphasis.
    Emph(Vec<Inline>),
    /// Strong emphasis.
    Strong(Vec<Inline>),
    /// Strikethrough.
    Strike(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A link.
    Link {
        /// Destination as written.
        url: String,
        /// Title attribute.
        title: String,
        /// The link's text.
        content: Vec<Inline>,
        /// Where it starts.
        pos: Pos,
    },
    /// An image.
    Image {
        /// Source as written.
        url: String,
        /// Title attribute.
        title: String,
        /// Alternative text.
        alt: String,
        /// Where it starts.
        pos: Pos,
        /// The share of the text's width it takes (`{width=50%}`), when the
        /// text says; else the editions size it.
        width: Option<u8>,
    },
    /// A footnote reference.
    FootnoteRef {
        /// The footnote's label.
        name: String,
        /// Where it is.
        pos: Pos,
    },
    /// A line break that is only a space.
    SoftBreak,
    /// A hard line break.
    LineBreak,
    /// Subscript.
    Sub(Vec<Inline>),
    /// Superscript.
    Sup(Vec<Inline>),
    /// Math, as LaTeX (`$…$`, `$$…$$`, a fenced `math` block), with the
    /// MathML it was converted to once, at load.
    Math {
        /// The LaTeX source.
        tex: String,
        /// Whether it is set apart, on its own line.
        display: bool,
        /// The formula as one MathML `<math>` element, or why the LaTeX
        /// cannot be read (`check` reports it).
        mathml: Result<String, MathError>,
        /// Where it starts.
        pos: Pos,
        /// A numbered equation's number as printed beside it (`(3)`), given
        /// at load to a display formula with an id (`$$…$$ {#eq-x}`).
        tag: Option<String>,
    },
    /// Raw inline HTML.
    Html {
        /// The HTML as written.
        html: String,
        /// Where it is.
        pos: Pos,
    },
    /// A citation of works in the text's references (`[@key]`, `@key`).
    Cite(Box<Citation>),
    /// pandoc's bracketed span (`[text]{.smallcaps}`, `[]{#here}`): its
    /// text with what the attributes ask that every edition can do; its id,
    /// if any, is among the document's `ids`, at `pos`.
    Span {
        /// The text inside the brackets.
        content: Vec<Inline>,
        /// How it is set, when a class says.
        style: Option<SpanStyle>,
        /// Its language (`lang=fr`), when not the text's.
        lang: Option<String>,
        /// Where its `[` is.
        pos: Pos,
        /// The media that show it: all, unless it is Quarto's conditional
        /// content (`[in print]{.content-visible when-format="pdf"}`).
        shown: Shown,
    },
}

impl Inline {
    /// What a styling element holds (emphasis, strong, strikethrough, sub-
    /// and superscript, a span), where a walk over the text goes down; a
    /// link's text is apart, as walks treat it on their own.
    pub fn styled(&self) -> Option<&Vec<Inline>> {
        match self {
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Sub(c)
            | Inline::Sup(c)
            | Inline::Span { content: c, .. } => Some(c),
            _ => None,
        }
    }

    /// [`Inline::styled`], to change.
    pub fn styled_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Sub(c)
            | Inline::Sup(c)
            | Inline::Span { content: c, .. } => Some(c),
            _ => None,
        }
    }
}

/// How a span's class asks for its text to be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanStyle {
    /// `.smallcaps`: small capitals.
    SmallCaps,
    /// `.underline` (or `.ul`): underlined.
    Underline,
    /// `.mark`: highlighted.
    Mark,
}

/// A citation, as written with pandoc's syntax, and as the book's style
/// sets it once the book is ordered.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// The works cited, in the order written.
    pub items: Vec<CiteItem>,
    /// `@key` in running text (the author's name is part of the sentence)
    /// rather than `[@key]`.
    pub narrative: bool,
    /// Where it starts.
    pub pos: Pos,
    /// The citation as the style sets it: empty until `order` renders it.
    pub rendered: Vec<CitePart>,
}

/// One work of a citation: `see @key, p. 12`.
#[derive(Clone, Debug, PartialEq)]
pub struct CiteItem {
    /// The reference's key.
    pub key: String,
    /// Text before it (`see`).
    pub prefix: String,
    /// Where in the work: a CSL locator term (`page`, `chapter`…) and its value.
    pub locator: Option<(String, String)>,
    /// Text after it (`and passim`).
    pub suffix: String,
    /// `-@key`: the author is left out (the year alone, in author-date styles).
    pub suppress_author: bool,
    /// Where its `@` is.
    pub pos: Pos,
}

/// A run of a set citation: the part that names one work links to that
/// work's entry in the bibliography.
#[derive(Clone, Debug, PartialEq)]
pub struct CitePart {
    /// The key of the work this part names, if it names one.
    pub key: Option<String>,
    /// Its text.
    pub content: Vec<Inline>,
}

/// A footnote definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Footnote {
    /// Its label, as written after `[^`.
    pub name: String,
    /// Its content.
    pub blocks: Vec<Block>,
    /// Where it is defined.
    pub pos: Pos,
}

/// The body of an essay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The body's blocks.
    pub blocks: Vec<Block>,
    /// Footnote definitions, in the order of their first reference.
    pub footnotes: Vec<Footnote>,
    /// The works its citations name, as the style sets them: what ends the
    /// text in every edition. Set by `order`; `None` when nothing is cited.
    pub bibliography: Option<Bibliography>,
    /// The ids its author gave headings and figures (`{#sec-x}`,
    /// `{#fig-x}`, `\label{fig:x}`), by where what they name starts: the
    /// anchors cross-references lead to.
    pub ids: Vec<(Pos, String)>,
    /// What its cross-references can lead to, for the other texts' too.
    pub targets: Vec<RefTarget>,
    /// Its cross-references that name nothing of its own: the book leads
    /// them to another text, or reports them.
    pub pending: Vec<PendingRef>,
}

/// A figure or a heading a cross-reference can lead to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTarget {
    /// Its anchor ([`Document::anchors`]).
    pub anchor: String,
    /// What a reference to it says: "Figure 3", or the heading's text.
    pub name: String,
    /// A figure's number, for `[-@fig-x]` and `\ref{…}`.
    pub number: Option<u32>,
}

/// A cross-reference that names nothing of its own text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRef {
    /// Where it is written.
    pub pos: Pos,
    /// The reference as written (`@sec-x`, `\ref{fig:x}`).
    pub written: String,
    /// The key it names.
    pub key: String,
    /// Whether it asks for the number alone.
    pub bare: bool,
    /// Whether it is of a kind the editions number (a figure, a heading);
    /// else (a table, an equation) it prints as written.
    pub numbered: bool,
}

/// The list of works a text cites, set in the book's citation style.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bibliography {
    /// The entries, in the style's order.
    pub entries: Vec<BibEntry>,
    /// Whether the style sets entries with a hanging indent.
    pub hanging_indent: bool,
}

/// One work in a bibliography.
#[derive(Clone, Debug, PartialEq)]
pub struct BibEntry {
    /// Its key, which citations link to.
    pub key: String,
    /// The label set apart before the entry (`[1]`), in numeric styles.
    pub label: Option<Vec<Inline>>,
    /// The entry.
    pub content: Vec<Inline>,
}

mod shown;
mod walk;
pub use shown::{Medium, Shown};
pub use walk::{Within, anchor_of, count_words, each_inline, plain_text};

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(colspan: u32, rowspan: u32) -> Cell {
        Cell { content: Vec::new(), colspan, rowspan, row_header: false }
    }

    #[test]
    fn table_grids_count_spans_from_the_left_and_from_above() {
        // | a (2 cols) | b |
        // | c (2 rows) | d | e |
        // | (c)        | f |      <- one short
        let rows = vec![vec![cell(2, 1), cell(1, 1)], vec![cell(1, 2), cell(1, 1), cell(1, 1)], vec![cell(1, 1)]];
        assert_eq!(table_grid(&rows), (3, vec![0, 0, 1]));
        assert_eq!(table_grid(&[]), (1, vec![]));
        assert_eq!(table_grid(&[vec![cell(1, 1)], vec![cell(1, 1), cell(1, 1)]]), (2, vec![1, 0]));
    }
}
