//! Walks over a document: every block, every inline element, every run of
//! prose, and what they hold as text (plain text, words, anchors). Kept
//! apart from the types, which say what a document is; these say how the
//! passes (typography, checks, cross-references) go through one.

use super::{Block, Document, Inline, Pos};

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

/// Calls `f` on every element of `inlines` and those they hold, depth first.
pub fn each_inline<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for i in inlines {
        f(i);
        match i {
            Inline::Link { content, .. } => each_inline(content, f),
            styled => styled.styled().into_iter().for_each(|c| each_inline(c, f)),
        }
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
        | Block::Float { blocks, .. }
        | Block::Only { blocks, .. } => blocks.iter().collect(),
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

    /// Calls `f` on each run of inline content (a paragraph, a heading, a
    /// caption, a table's cell), depth first, body then footnotes.
    pub fn for_each_inline_run<'a>(&'a self, f: &mut dyn FnMut(&'a [Inline])) {
        self.for_each_block(&mut |b| {
            for inlines in block_inlines(b) {
                f(inlines);
            }
        });
    }

    /// Calls `f` on every inline element, depth first, with the inline
    /// elements that contain it.
    pub fn for_each_inline<'a>(&'a self, f: &mut dyn FnMut(&'a Inline)) {
        self.for_each_inline_run(&mut |run| each_inline(run, f));
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
    /// cross-references (`@fig-x`) lead to. An id given again in conditional
    /// content that no edition shows with the first (a figure's GIF for the
    /// website, its PNG for the PDF) is the same anchor.
    pub fn anchors(&self) -> std::collections::HashMap<Pos, String> {
        self.anchors_shown().into_iter().map(|(pos, (anchor, _))| (pos, anchor)).collect()
    }

    /// [`Document::anchors`], each with where what it names is shown.
    pub(super) fn anchors_shown(&self) -> std::collections::HashMap<Pos, (String, super::Shown)> {
        let shown = self.shown_by_pos();
        // Each anchor given, with where what it names is shown.
        let mut taken: std::collections::HashMap<String, super::Shown> = std::collections::HashMap::new();
        let mut claim = |base: String, here: super::Shown| {
            let mut n = 0;
            loop {
                let anchor = if n == 0 { base.clone() } else { format!("{base}-{n}") };
                match taken.get_mut(&anchor) {
                    None => {
                        taken.insert(anchor.clone(), here);
                        return anchor;
                    }
                    Some(there) if there.is_disjoint(here) => {
                        *there = there.or(here);
                        return anchor;
                    }
                    Some(_) => n += 1,
                }
            }
        };
        let mut out = std::collections::HashMap::new();
        let given = |pos: &Pos| self.ids.iter().any(|(p, _)| p == pos);
        for (pos, id) in &self.ids {
            // An id given again (T016) is made unique, as a heading's is.
            let here = shown(*pos);
            out.insert(*pos, (claim(anchor_of(id), here), here));
        }
        self.for_each_block(&mut |b| {
            if let Block::Heading { content, pos, .. } = b
                && !given(pos)
            {
                let here = shown(*pos);
                out.insert(*pos, (claim(anchor_of(&plain_text(content)), here), here));
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
                    Inline::Emph(c)
                    | Inline::Strong(c)
                    | Inline::Strike(c)
                    | Inline::Sub(c)
                    | Inline::Sup(c)
                    | Inline::Span { content: c, .. }
                    | Inline::Link { content: c, .. } => inlines(c, prev, f),
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
                    Block::Html { content: b, .. } | Block::Only { blocks: b, .. } => blocks(b, f),
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
                    Inline::Link { content, .. } => inlines(content, Within { link: true, ..at }, f),
                    styled => styled.styled_mut().into_iter().for_each(|c| inlines(c, at, f)),
                }
            }
        }
        fn blocks(list: &mut [Block], at: Within, f: &mut dyn FnMut(&mut Vec<Inline>, Within)) {
            for b in list {
                match b {
                    Block::Paragraph(i) | Block::Heading { content: i, .. } => inlines(i, at, f),
                    Block::Quote(b) | Block::Html { content: b, .. } | Block::Only { blocks: b, .. } => {
                        blocks(b, at, f)
                    }
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
                Inline::Emph(c)
                | Inline::Strong(c)
                | Inline::Strike(c)
                | Inline::Sub(c)
                | Inline::Sup(c)
                | Inline::Span { content: c, .. }
                | Inline::Link { content: c, .. } => go(c, out),
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
