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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// The kinds of callout Quarto and GitHub share.
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
}

impl Cell {
    /// A cell of one column and one row.
    pub fn new(content: Vec<Inline>) -> Self {
        Cell { content, colspan: 1, rowspan: 1 }
    }
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

/// Where a list of inline elements is, for [`Document::each_inline_list`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Within {
    /// In a footnote.
    pub note: bool,
    /// In a link's text.
    pub link: bool,
}

/// Inline content of a block, visited without recursion into nested blocks.
fn block_inlines(block: &Block) -> Vec<&[Inline]> {
    match block {
        Block::Paragraph(i) | Block::Heading { content: i, .. } => vec![i.as_slice()],
        Block::Table { rows, caption, .. } => {
            std::iter::once(caption.as_slice()).chain(rows.iter().flatten().map(|c| c.content.as_slice())).collect()
        }
        Block::Details { summary, .. }
        | Block::Term { term: summary, .. }
        | Block::Callout { title: summary, .. }
        | Block::Float { caption: summary, .. } => vec![summary.as_slice()],
        _ => Vec::new(),
    }
}

fn child_blocks(block: &Block) -> Vec<&Block> {
    match block {
        Block::Quote(b) => b.iter().collect(),
        Block::List { items, .. } => items.iter().flatten().collect(),
        Block::Details { blocks, .. }
        | Block::Term { blocks, .. }
        | Block::Html { content: blocks, .. }
        | Block::Callout { blocks, .. }
        | Block::Float { blocks, .. } => blocks.iter().collect(),
        _ => Vec::new(),
    }
}

impl Document {
    /// Calls `f` on every block, depth first, body then footnotes.
    pub fn for_each_block<'a>(&'a self, f: &mut dyn FnMut(&'a Block)) {
        fn go<'a>(blocks: &[&'a Block], f: &mut dyn FnMut(&'a Block)) {
            for b in blocks {
                f(b);
                go(&child_blocks(b), f);
            }
        }
        go(&self.blocks.iter().collect::<Vec<_>>(), f);
        for note in &self.footnotes {
            go(&note.blocks.iter().collect::<Vec<_>>(), f);
        }
    }

    /// Calls `f` on every inline element, depth first, with the inline
    /// elements that contain it.
    pub fn for_each_inline<'a>(&'a self, f: &mut dyn FnMut(&'a Inline)) {
        fn go<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
            for i in inlines {
                f(i);
                match i {
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sub(c) | Inline::Sup(c) => {
                        go(c, f)
                    }
                    Inline::Link { content, .. } => go(content, f),
                    _ => {}
                }
            }
        }
        self.for_each_block(&mut |b| {
            for inlines in block_inlines(b) {
                go(inlines, f);
            }
        });
    }

    /// Words of running text (code excluded), counted as runs of characters
    /// between spaces that contain at least one letter or digit.
    pub fn word_count(&self) -> usize {
        let mut n = 0;
        self.for_each_inline(&mut |i| {
            if let Inline::Text { text, .. } = i {
                n += count_words(text);
            }
        });
        n
    }

    /// The level each heading is set at, by its position: the levels the
    /// text uses counted from `first` without gaps (`##` and `####` become
    /// `first` and `first + 1`), and never more than one below the heading
    /// before it, so that no edition skips a level even where the text goes
    /// from `##` straight to `####` while using `###` elsewhere.
    pub fn heading_levels(&self, first: u8) -> std::collections::HashMap<Pos, u8> {
        let mut used: Vec<u8> = Vec::new();
        self.for_each_block(&mut |b| {
            if let Block::Heading { level, .. } = b
                && !used.contains(level)
            {
                used.push(*level);
            }
        });
        used.sort();
        let mut out = std::collections::HashMap::new();
        let mut previous = first.saturating_sub(1);
        self.for_each_block(&mut |b| {
            if let Block::Heading { level, pos, .. } = b {
                let rank = used.iter().position(|l| l == level).unwrap_or(0) as u8;
                let at = (first + rank).min(previous + 1).clamp(first, 6);
                // Headings of one HTML block share a position: the first sets it.
                out.entry(*pos).or_insert(at);
                previous = at;
            }
        });
        out
    }

    /// The anchor of every heading and of every figure its author gave an
    /// id, by its position: the id when there is one ([`anchor_of`] it),
    /// else the heading's text as GitHub makes one, with `-1`, `-2`… after a
    /// repeat, in document order. What links to `essay.md#a-heading` and
    /// cross-references (`@fig-x`) lead to.
    pub fn anchors(&self) -> std::collections::HashMap<Pos, String> {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut out = std::collections::HashMap::new();
        let given = |pos: &Pos| self.ids.iter().find(|(p, _)| p == pos).map(|(_, id)| anchor_of(id));
        for (pos, id) in &self.ids {
            seen.insert(anchor_of(id), 1);
            out.insert(*pos, anchor_of(id));
        }
        self.for_each_block(&mut |b| {
            if let Block::Heading { content, pos, .. } = b
                && given(pos).is_none()
            {
                let base = anchor_of(&plain_text(content));
                let n = seen.entry(base.clone()).or_insert(0);
                let anchor = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
                *n += 1;
                out.insert(*pos, anchor);
            }
        });
        out
    }

    /// Replaces every run of prose with what `f` makes of it, in reading
    /// order, with the character before the run in its block (so that a
    /// quote after an emphasis closes): what a typography pass needs.
    ///
    /// Each paragraph, heading, table cell, figure caption and footnote block
    /// starts with no character before it; a line break counts as a space.
    /// Code, URLs, link titles and alt text are not prose and are left alone.
    pub fn map_prose(&mut self, f: &mut dyn FnMut(&str, Option<char>) -> String) {
        fn inlines(list: &mut [Inline], prev: &mut Option<char>, f: &mut dyn FnMut(&str, Option<char>) -> String) {
            for i in list {
                match i {
                    Inline::Text { text, .. } => {
                        let last = text.chars().last();
                        *text = f(text, *prev);
                        *prev = last.or(*prev);
                    }
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sub(c) | Inline::Sup(c) => {
                        inlines(c, prev, f)
                    }
                    Inline::Link { content, .. } => inlines(content, prev, f),
                    Inline::Code(code) | Inline::Math { tex: code, .. } => *prev = code.chars().last(),
                    Inline::SoftBreak | Inline::LineBreak => *prev = Some(' '),
                    Inline::Image { .. } | Inline::FootnoteRef { .. } | Inline::Html { .. } | Inline::Cite(_) => {}
                }
            }
        }
        fn blocks(list: &mut [Block], f: &mut dyn FnMut(&str, Option<char>) -> String) {
            for b in list {
                match b {
                    // An image alone in its paragraph is a figure: its title is the caption.
                    Block::Paragraph(i) if matches!(i.as_slice(), [Inline::Image { .. }]) => {
                        if let [Inline::Image { title, .. }] = i.as_mut_slice()
                            && !title.is_empty()
                        {
                            *title = f(title, None);
                        }
                    }
                    Block::Paragraph(i) | Block::Heading { content: i, .. } => inlines(i, &mut None, f),
                    Block::Quote(b) => blocks(b, f),
                    Block::List { items, .. } => items.iter_mut().for_each(|item| blocks(item, f)),
                    Block::Table { rows, caption, .. } => {
                        inlines(caption, &mut None, f);
                        rows.iter_mut().flatten().for_each(|cell| inlines(&mut cell.content, &mut None, f))
                    }
                    Block::Details { summary, blocks: b }
                    | Block::Term { term: summary, blocks: b }
                    | Block::Callout { title: summary, blocks: b, .. }
                    | Block::Float { caption: summary, blocks: b, .. } => {
                        inlines(summary, &mut None, f);
                        blocks(b, f);
                    }
                    Block::Html { content, .. } => blocks(content, f),
                    Block::Code { .. } | Block::Rule => {}
                }
            }
        }
        blocks(&mut self.blocks, f);
        for note in &mut self.footnotes {
            blocks(&mut note.blocks, f);
        }
    }

    /// Calls `f` on every list of inline elements of the body, then of the
    /// footnotes, in reading order: each list before the lists nested in it
    /// (an emphasis, a link), with where the list is. What a pass that
    /// replaces inline elements needs.
    pub fn each_inline_list(&mut self, f: &mut dyn FnMut(&mut Vec<Inline>, Within)) {
        fn inlines(list: &mut Vec<Inline>, at: Within, f: &mut dyn FnMut(&mut Vec<Inline>, Within)) {
            f(list, at);
            for i in list {
                match i {
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sub(c) | Inline::Sup(c) => {
                        inlines(c, at, f)
                    }
                    Inline::Link { content, .. } => inlines(content, Within { link: true, ..at }, f),
                    _ => {}
                }
            }
        }
        fn blocks(list: &mut [Block], at: Within, f: &mut dyn FnMut(&mut Vec<Inline>, Within)) {
            for b in list {
                match b {
                    Block::Paragraph(i) | Block::Heading { content: i, .. } => inlines(i, at, f),
                    Block::Quote(b) | Block::Html { content: b, .. } => blocks(b, at, f),
                    Block::List { items, .. } => items.iter_mut().for_each(|item| blocks(item, at, f)),
                    Block::Table { rows, caption, .. } => {
                        inlines(caption, at, f);
                        rows.iter_mut().flatten().for_each(|cell| inlines(&mut cell.content, at, f))
                    }
                    Block::Details { summary, blocks: b }
                    | Block::Term { term: summary, blocks: b }
                    | Block::Callout { title: summary, blocks: b, .. }
                    | Block::Float { caption: summary, blocks: b, .. } => {
                        inlines(summary, at, f);
                        blocks(b, at, f);
                    }
                    Block::Code { .. } | Block::Rule => {}
                }
            }
        }
        blocks(&mut self.blocks, Within::default(), f);
        for note in &mut self.footnotes {
            blocks(&mut note.blocks, Within { note: true, link: false }, f);
        }
    }

    /// Whether the essay has no content at all.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// Words in a piece of text (see [`Document::word_count`]).
pub fn count_words(text: &str) -> usize {
    let mut n = 0;
    for token in text.split_whitespace() {
        // Chinese and Japanese are counted in characters; a run of other
        // letters between them ("用anthology构建") is one word.
        let mut in_word = false;
        for c in token.chars() {
            if crate::lang::is_counted_as_character(c) {
                n += 1;
                in_word = false;
            } else if c.is_alphanumeric() && !in_word {
                n += 1;
                in_word = true;
            }
        }
    }
    n
}

/// A heading's anchor as GitHub makes it: lowercase, letters (of any script),
/// digits, `-` and `_` kept, spaces as `-`, everything else dropped
/// (`## What is *it*?` → `what-is-it`).
pub fn anchor_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// The plain text of inline content (alt text, titles for search, …).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    fn go(inlines: &[Inline], out: &mut String) {
        for i in inlines {
            match i {
                Inline::Text { text, .. } => out.push_str(text),
                Inline::Code(c) | Inline::Math { tex: c, .. } => out.push_str(c),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Sub(c) | Inline::Sup(c) => go(c, out),
                Inline::Link { content, .. } => go(content, out),
                Inline::Image { alt, .. } => out.push_str(alt),
                Inline::SoftBreak | Inline::LineBreak => out.push(' '),
                Inline::Cite(c) => c.rendered.iter().for_each(|p| go(&p.content, out)),
                Inline::FootnoteRef { .. } | Inline::Html { .. } => {}
            }
        }
    }
    go(inlines, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(colspan: u32, rowspan: u32) -> Cell {
        Cell { content: Vec::new(), colspan, rowspan }
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
