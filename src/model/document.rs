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
    /// A table; the first row is the header.
    Table {
        /// One alignment per column.
        align: Vec<Align>,
        /// Rows of cells.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A thematic break.
    Rule,
    /// Raw HTML, kept so that `check` can report it and the editions can sanitise it.
    Html {
        /// The HTML as written.
        html: String,
        /// Where it starts.
        pos: Pos,
    },
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
    /// Raw inline HTML.
    Html {
        /// The HTML as written.
        html: String,
        /// Where it is.
        pos: Pos,
    },
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
}

/// Inline content of a block, visited without recursion into nested blocks.
fn block_inlines(block: &Block) -> Vec<&[Inline]> {
    match block {
        Block::Paragraph(i) | Block::Heading { content: i, .. } => vec![i.as_slice()],
        Block::Table { rows, .. } => rows.iter().flatten().map(Vec::as_slice).collect(),
        _ => Vec::new(),
    }
}

fn child_blocks(block: &Block) -> Vec<&Block> {
    match block {
        Block::Quote(b) => b.iter().collect(),
        Block::List { items, .. } => items.iter().flatten().collect(),
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
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => go(c, f),
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

    /// Maps each heading level the text uses to a level counted from `first`,
    /// without gaps (`##` and `####` become `first` and `first + 1`), so that
    /// every edition has an ordered heading structure.
    pub fn heading_levels(&self, first: u8) -> std::collections::HashMap<u8, u8> {
        let mut used: Vec<u8> = Vec::new();
        self.for_each_block(&mut |b| {
            if let Block::Heading { level, .. } = b
                && !used.contains(level)
            {
                used.push(*level);
            }
        });
        used.sort();
        used.iter().enumerate().map(|(i, l)| (*l, (first + i as u8).min(6))).collect()
    }

    /// The anchor of every heading, by its position: its text as GitHub
    /// makes one ([`anchor_of`]), with `-1`, `-2`… after a repeat, in
    /// document order. What links to `essay.md#a-heading` name.
    pub fn heading_anchors(&self) -> std::collections::HashMap<Pos, String> {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut out = std::collections::HashMap::new();
        self.for_each_block(&mut |b| {
            if let Block::Heading { content, pos, .. } = b {
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
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inlines(c, prev, f),
                    Inline::Link { content, .. } => inlines(content, prev, f),
                    Inline::Code(code) => *prev = code.chars().last(),
                    Inline::SoftBreak | Inline::LineBreak => *prev = Some(' '),
                    Inline::Image { .. } | Inline::FootnoteRef { .. } | Inline::Html { .. } => {}
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
                    Block::Table { rows, .. } => rows.iter_mut().flatten().for_each(|cell| inlines(cell, &mut None, f)),
                    Block::Code { .. } | Block::Rule | Block::Html { .. } => {}
                }
            }
        }
        blocks(&mut self.blocks, f);
        for note in &mut self.footnotes {
            blocks(&mut note.blocks, f);
        }
    }

    /// Whether the essay has no content at all.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// Words in a piece of text (see [`Document::word_count`]).
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
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
                Inline::Code(c) => out.push_str(c),
                Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => go(c, out),
                Inline::Link { content, .. } => go(content, out),
                Inline::Image { alt, .. } => out.push_str(alt),
                Inline::SoftBreak | Inline::LineBreak => out.push(' '),
                Inline::FootnoteRef { .. } | Inline::Html { .. } => {}
            }
        }
    }
    go(inlines, &mut out);
    out
}
