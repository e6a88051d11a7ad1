//! Markdown to [`Document`]: the one place that knows comrak.
//!
//! The dialect is CommonMark with the GFM extensions a book needs (tables,
//! footnotes, strikethrough, autolinks). Everything else comrak can do stays
//! off, so an essay means the same thing in every edition. Nesting deeper than
//! [`MAX_DEPTH`] is refused rather than recursed into, so no essay can exhaust
//! the stack of the thread converting it.

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{Arena, Options, parse_document};

use crate::model::document::{Align, Block, CalloutKind, Cell, Document, FloatKind, Footnote, Inline, Numbering, Pos};

pub mod attributes;
mod directives;
mod fancy;
mod grid;
mod positions;
mod spans;
pub use positions::{
    Destination, TopBlock, blocks, breaks_in_paragraphs, chunks, code_blocks, code_spans, destinations, prose_blocks,
    raw_blocks, text_runs, trailing_heading,
};

/// The byte at which each line of `body` starts: what turns comrak's
/// (line, column) positions into offsets.
pub(super) fn line_starts(body: &str) -> Vec<usize> {
    std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// Deepest nesting of blocks and inlines accepted in an essay.
pub const MAX_DEPTH: usize = 64;

/// Most characters that can open inline markup in one text. Each costs
/// comrak a few hundred bytes (1 MB of `*a` took 360 MB to check) and typst
/// tens of kilobytes once it is an element (24,000 emphases took 843 MB to
/// typeset), so a text with more is refused before it is parsed: at this
/// limit, one essay's whole build stays near 200 MB. The most marked-up
/// essay of the real corpora has about 1,100.
pub const MAX_MARKUP: usize = 10_000;

/// The characters [`MAX_MARKUP`] counts.
const MARKUP: &[u8] = b"*_~[]`<|^";

/// The byte offset in `body` where its markup goes over [`MAX_MARKUP`], if it does.
pub fn too_much_markup(body: &str) -> Option<usize> {
    let mut n = 0;
    for (i, b) in body.bytes().enumerate() {
        if MARKUP.contains(&b) {
            n += 1;
            if n > MAX_MARKUP {
                return Some(i);
            }
        }
    }
    None
}

/// Inline HTML tags the editions carry when the rules allow raw HTML
/// (without attributes; their text is kept in any case).
pub const ALLOWED_TAGS: &[&str] = &[
    "sub", "sup", "em", "strong", "b", "i", "u", "small", "mark", "kbd", "abbr", "code", "s", "del", "ins", "q",
    "cite", "br",
];

/// `<tag>` or `</tag>` (no attributes) of an allowed tag: (name, closing).
pub fn allowed_inline_tag(html: &str) -> Option<(&'static str, bool)> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, name) = match inner.strip_prefix('/') {
        Some(n) => (true, n.trim()),
        None => (false, inner.trim()),
    };
    // `<br/>` and `<br />` are whole elements.
    let name = name.trim_end_matches('/').trim().to_ascii_lowercase();
    ALLOWED_TAGS.iter().find(|t| **t == name).map(|t| (*t, closing))
}

/// The comrak options of the supported dialect.
pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.footnotes = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    // `$…$` and `$$…$$`, with pandoc's rules: no space inside the dollars,
    // no digit after the closing one, so prices stay text.
    o.extension.math_dollars = true;
    // pandoc's `^sup^`, `~sub~` and inline notes `^[…]`, which scholars
    // write; `~~strike~~` keeps its two tildes.
    o.extension.superscript = true;
    o.extension.subscript = true;
    o.extension.inline_footnotes = true;
    // pandoc's attributes: `{#fig-x width=50%}` after an image, `{#sec-x}`
    // after a heading; the ids are what cross-references name.
    o.extension.link_attributes = true;
    o.extension.header_attributes = true;
    // Fenced divs (`::: {.callout-tip}` … `:::`) and GitHub's alerts
    // (`> [!TIP]`): callouts; any other div's content is kept as text.
    o.extension.block_directive = true;
    o.extension.alerts = true;
    // pandoc's definition lists: `Term`, then `: definition`.
    o.extension.description_lists = true;
    o
}

/// The callout a fenced div's info string names (`{.callout-tip
/// title="Mind the gap"}`, `callout-note`, pandoc's `abstract`), with its
/// title when given.
fn callout_of(info: &str) -> Option<(CalloutKind, Option<String>)> {
    let attrs = directives::attributes(info)?;
    let kind = attrs.classes.iter().find_map(|c| match c.as_str() {
        "abstract" => Some(CalloutKind::Abstract),
        c => c.strip_prefix("callout-").and_then(CalloutKind::named),
    })?;
    Some((kind, attrs.get("title").map(str::to_string).filter(|t| !t.trim().is_empty())))
}

/// A table's caption as pandoc writes it (`: A caption {#tbl-x}`, or
/// `Table: …`): its text without the lead, and the id at its end.
fn table_caption(mut inlines: Vec<Inline>) -> (Vec<Inline>, Option<String>) {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        let rest = text.strip_prefix("Table: ").or_else(|| text.strip_prefix(": ")).unwrap_or(text);
        *text = rest.to_string();
    }
    let mut id = None;
    // The id ends the caption's text; a closing tag may follow on its own
    // line (`</div>` of a `<div>` around the table).
    let last = inlines.iter().rposition(|i| match i {
        Inline::SoftBreak => false,
        Inline::Html { html, .. } => !html.starts_with("</"),
        _ => true,
    });
    if let Some(Inline::Text { text, .. }) = last.and_then(|k| inlines.get_mut(k))
        && let Some(i) = text.rfind('{').filter(|_| text.trim_end().ends_with('}'))
    {
        id = text[i + 1..]
            .trim_end()
            .trim_end_matches('}')
            .split_whitespace()
            .find_map(|a| a.strip_prefix('#'))
            .map(str::to_string);
        text.truncate(i);
        let kept = text.trim_end().len();
        text.truncate(kept);
    }
    (inlines, id)
}

/// Inline Markdown as plain text (`*A* [b](c)` is `A b`): a title made
/// from alternative text.
pub fn plain(md: &str) -> String {
    let d = parse(md, 1).document;
    match d.blocks.first() {
        Some(Block::Paragraph(i)) => crate::model::document::plain_text(i),
        _ => md.to_string(),
    }
}

/// The result of converting one body.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The document.
    pub document: Document,
    /// Where nesting went deeper than [`MAX_DEPTH`], if it did.
    pub too_deep: Option<Pos>,
}

/// Parses `body`, whose first line is line `first_line` of its file, with
/// raw HTML kept as written inside paragraphs (`check` refuses it).
pub fn parse(body: &str, first_line: u32) -> Parsed {
    parse_allowing_html(body, first_line, false)
}

/// Parses `body` as [`parse`] does; when the rules allow HTML, a link
/// (`<a href="…">…</a>`) or an image (`<img src="…">`) written as HTML
/// inside a paragraph becomes a link or an image, through the sanitiser.
pub fn parse_allowing_html(body: &str, first_line: u32, allow_html: bool) -> Parsed {
    let arena = Arena::new();
    let mut opts = options();
    // Escaped characters apart, so that `\[x\]{.y}` is no span.
    opts.parse.escaped_char_spans = true;
    let protected = directives::protect(body);
    let protected = protected.as_deref().unwrap_or(body);
    let (digits, numbered) = fancy::as_digits(protected).unzip();
    let root = parse_document(&arena, digits.as_deref().unwrap_or(protected), &opts);
    let mut conv = Converter {
        lines: body.lines().collect(),
        line_offset: first_line.saturating_sub(1),
        too_deep: None,
        allow_html,
        ids: Vec::new(),
        numbered: numbered.unwrap_or_default(),
    };
    let mut document = Document::default();
    for child in root.children() {
        let is_note = matches!(child.data.borrow().value, NodeValue::FootnoteDefinition(_));
        if is_note {
            let (name, pos) = {
                let ast = child.data.borrow();
                let NodeValue::FootnoteDefinition(def) = &ast.value else { unreachable!() };
                (def.name.clone(), conv.pos(&ast.sourcepos))
            };
            let blocks = conv.blocks(child, 1);
            document.footnotes.push(Footnote { name, blocks, pos });
        } else {
            conv.push_block(child, 1, &mut document.blocks);
        }
    }
    document.blocks = fancy::lists(conv.table_captions(gather_details(std::mem::take(&mut document.blocks))));
    for note in &mut document.footnotes {
        note.blocks = fancy::lists(std::mem::take(&mut note.blocks));
    }
    document.ids = conv.ids;
    Parsed { document, too_deep: conv.too_deep }
}

/// Inline content with each `<a href>`…`</a>` pair and each `<img>` the
/// sanitiser keeps whole made a link or an image; a tag it would change
/// (a `javascript:` address, a handler) stays raw, and `check` reports it.
fn html_links_and_images(list: Vec<Inline>) -> Vec<Inline> {
    let closes_a = |i: &Inline| matches!(i, Inline::Html { html, .. } if html.trim().eq_ignore_ascii_case("</a>"));
    let mut out = Vec::with_capacity(list.len());
    let mut rest = list.into_iter().peekable();
    while let Some(i) = rest.next() {
        let Inline::Html { html, pos } = &i else {
            out.push(i);
            continue;
        };
        match crate::input::html::inline_element(html, *pos) {
            Some(Inline::Link { url, title, pos, .. }) => {
                let mut content = Vec::new();
                let mut closed = false;
                while let Some(next) = rest.peek() {
                    if closes_a(next) {
                        rest.next();
                        closed = true;
                        break;
                    }
                    content.push(rest.next().expect("peeked"));
                }
                if closed {
                    out.push(Inline::Link { url, title, content, pos });
                } else {
                    // No `</a>` in the paragraph: the tag stays raw, its text kept.
                    out.push(i);
                    out.extend(content);
                }
            }
            Some(image @ Inline::Image { .. }) => out.push(image),
            _ => out.push(i),
        }
    }
    out
}

/// `<details><summary>…</summary>`, Markdown, then `</details>`: GitHub's way
/// of folding Markdown. CommonMark ends an HTML block at a blank line, so
/// the three arrive as separate blocks; the Markdown between is moved into
/// the disclosure the first one opens.
fn gather_details(blocks: Vec<Block>) -> Vec<Block> {
    let opens = |b: &Block| match b {
        Block::Html { html, content, .. } => {
            let h = html.to_ascii_lowercase();
            h.contains("<details") && !h.contains("</details") && matches!(content.last(), Some(Block::Details { .. }))
        }
        _ => false,
    };
    let closes = |b: &Block| matches!(b, Block::Html { html, .. } if html.trim().eq_ignore_ascii_case("</details>"));
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut open: Option<(usize, Vec<Block>)> = None;
    for b in blocks {
        match open.take() {
            None if opens(&b) => {
                out.push(b);
                open = Some((out.len() - 1, Vec::new()));
            }
            None => out.push(b),
            Some((at, inner)) if closes(&b) => {
                if let Some(Block::Html { content, .. }) = out.get_mut(at)
                    && let Some(Block::Details { blocks, .. }) = content.last_mut()
                {
                    blocks.extend(inner);
                }
            }
            Some((at, mut inner)) => {
                inner.push(b);
                open = Some((at, inner));
            }
        }
    }
    // Never closed: the blocks stay where they were.
    if let Some((_, inner)) = open {
        out.extend(inner);
    }
    out
}

/// `html` without its comments (an unclosed one runs to the end).
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = match rest[i + 4..].find("-->") {
            Some(e) => &rest[i + 4 + e + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

struct Converter<'s> {
    /// The lines of the body, for what is read from its layout (grid tables).
    lines: Vec<&'s str>,
    line_offset: u32,
    too_deep: Option<Pos>,
    allow_html: bool,
    /// The ids written after headings and images (`{#fig-x}`), by where
    /// what they name starts.
    ids: Vec<(Pos, String)>,
    /// The fancy lists read as digits, by their first line.
    numbered: fancy::Numbered,
}

impl Converter<'_> {
    /// The grid table a paragraph's lines draw, if they draw one.
    fn grid(&self, at: &comrak::nodes::Sourcepos) -> Option<Block> {
        let (first, last) = (at.start.line, at.end.line);
        let lines = self.lines.get(first.saturating_sub(1)..last.min(self.lines.len()))?;
        let starts = lines.first()?.trim_start();
        if !(starts.starts_with("+-") || starts.starts_with("+:") || starts.starts_with("+=")) {
            return None;
        }
        grid::table(lines, first as u32 + self.line_offset)
    }

    fn pos(&self, sp: &comrak::nodes::Sourcepos) -> Pos {
        Pos { line: sp.start.line as u32 + self.line_offset, col: sp.start.column as u32 }
    }

    fn deep<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            if self.too_deep.is_none() {
                self.too_deep = Some(self.pos(&node.data.borrow().sourcepos));
            }
            return true;
        }
        false
    }

    fn blocks<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
        let mut out = Vec::new();
        for c in node.children() {
            self.push_block(c, depth + 1, &mut out);
        }
        self.table_captions(gather_details(out))
    }

    /// pandoc's table captions: a paragraph right after a table, or right
    /// before it, that starts with `: ` or `Table: ` is its caption, with an
    /// id at its end (`{#tbl-x}`) for cross-references.
    fn table_captions(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        let is_caption = |b: &Block| matches!(b, Block::Paragraph(i) if matches!(i.first(), Some(Inline::Text { text, .. }) if text.starts_with(": ") || text.starts_with("Table: ")));
        let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
        for mut b in blocks {
            // A caption above: the table takes it in, as if it came after.
            if matches!(&b, Block::Table { caption, .. } if caption.is_empty()) && out.last().is_some_and(is_caption) {
                let above = out.pop();
                out.push(b);
                b = above.unwrap_or(Block::Rule);
            }
            let caption = match (&b, out.last()) {
                (Block::Paragraph(_), Some(Block::Table { caption, .. })) if caption.is_empty() => is_caption(&b),
                _ => false,
            };
            if !caption {
                out.push(b);
                continue;
            }
            let Block::Paragraph(inlines) = b else { continue };
            if let Some(Block::Table { caption, pos, .. }) = out.last_mut() {
                let (inlines, id) = table_caption(inlines);
                if let Some(id) = id {
                    self.ids.push((*pos, id));
                }
                *caption = inlines;
            }
        }
        out
    }

    /// `node` as a block of `out`; a fenced div that is no callout
    /// (`::: {.column-margin}`) gives its blocks instead, its content kept;
    /// Quarto's figure div (`::: {#fig-x}`, an image then its caption) gives
    /// the figure, its caption as the image's title.
    fn push_block<'a>(&mut self, node: &'a AstNode<'a>, depth: usize, out: &mut Vec<Block>) {
        // A definition list: a term block for each of its terms.
        if matches!(node.data.borrow().value, NodeValue::DescriptionList) {
            if self.deep(node, depth) {
                return;
            }
            for item in node.children() {
                let (mut term, mut blocks) = (Vec::new(), Vec::new());
                for part in item.children() {
                    let (is_term, is_details) = {
                        let v = &part.data.borrow().value;
                        (matches!(v, NodeValue::DescriptionTerm), matches!(v, NodeValue::DescriptionDetails))
                    };
                    if is_term {
                        // A grid table with its caption (`: Caption`) after
                        // it, which CommonMark reads as a term and its definition.
                        let grid = match part.children().collect::<Vec<_>>().as_slice() {
                            [p] => self.grid(&p.data.borrow().sourcepos),
                            _ => None,
                        };
                        if let Some(table) = grid {
                            out.push(table);
                            if let Some(NodeValue::DescriptionDetails) =
                                part.next_sibling().map(|d| d.data.borrow().value.clone())
                                && let Some(details) = part.next_sibling()
                                && let [Block::Paragraph(caption), ..] = self.blocks(details, depth + 2).as_slice()
                            {
                                // Written back as the caption line it was.
                                let mut written = caption.clone();
                                match written.first_mut() {
                                    Some(Inline::Text { text, .. }) => text.insert_str(0, ": "),
                                    _ => written.insert(0, Inline::Text { text: ": ".into(), pos: Pos::default() }),
                                }
                                out.push(Block::Paragraph(written));
                            }
                            term.clear();
                            blocks.clear();
                            break;
                        }
                        for p in part.children() {
                            if !term.is_empty() {
                                term.push(Inline::SoftBreak);
                            }
                            term.extend(self.inlines(p, depth + 2));
                        }
                    } else if is_details {
                        blocks.extend(self.blocks(part, depth + 2));
                    }
                }
                if !term.is_empty() || !blocks.is_empty() {
                    out.push(Block::Term { term, blocks });
                }
            }
            return;
        }
        // Quarto's conditional content: what it holds, for the editions it names.
        let shown = match &node.data.borrow().value {
            NodeValue::BlockDirective(d) => directives::attributes(&d.info).and_then(|a| a.shown()),
            _ => None,
        };
        if let Some(shown) = shown {
            if self.deep(node, depth) {
                return;
            }
            let sp = node.data.borrow().sourcepos;
            let blocks = match callout_of(&directives::info(node)) {
                Some(_) => self.block(node, depth).into_iter().collect(),
                None => self.blocks(node, depth),
            };
            let last_line = sp.end.line as u32 + self.line_offset;
            out.push(Block::Only { shown, blocks, pos: self.pos(&sp), last_line });
            return;
        }
        let div = match &node.data.borrow().value {
            NodeValue::BlockDirective(d) if callout_of(&d.info).is_none() => Some(directives::restore(&d.info)),
            _ => None,
        };
        let Some(info) = div else {
            out.extend(self.block(node, depth));
            return;
        };
        if self.deep(node, depth) {
            return;
        }
        let mut inner = Vec::new();
        for c in node.children() {
            self.push_block(c, depth + 1, &mut inner);
        }
        let id = info
            .trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .split_whitespace()
            .find_map(|t| t.strip_prefix('#'))
            .filter(|id| {
                ["fig-", "fig:", "tbl-", "tbl:", "tab-", "tab:", "lst-", "lst:"].iter().any(|p| id.starts_with(p))
            })
            .map(str::to_string);
        // bookdown names its tables `tab:`.
        let kind = match id.as_deref().map(|id| &id[..3]) {
            Some("tbl" | "tab") => FloatKind::Table,
            Some("lst") => FloatKind::Listing,
            _ => FloatKind::Figure,
        };
        let table = kind == FloatKind::Table;
        // An image and a caption of plain text: the image is the figure, the
        // caption its title; a caption with more (a citation, emphasis, a
        // cross-reference) makes a float, which keeps it.
        let plain_caption = match inner.as_slice() {
            [_, Block::Paragraph(c)] => c.iter().all(|i| match i {
                Inline::Text { text, .. } => !text.contains('@'),
                Inline::SoftBreak => true,
                _ => false,
            }),
            _ => true,
        };
        let image = inner
            .iter()
            .position(|b| matches!(b, Block::Paragraph(i) if matches!(i.as_slice(), [Inline::Image { .. }])))
            .filter(|_| kind == FloatKind::Figure && inner.len() <= 2 && plain_caption);
        let pos = self.pos(&node.data.borrow().sourcepos);
        if let Some(id) = id.clone().filter(|_| image.is_none()) {
            // Any other content: a float, its last paragraph the caption (a
            // table's own caption, when it is a table alone).
            let caption = match inner.last() {
                Some(Block::Paragraph(c)) if inner.len() > 1 => {
                    let c = c.clone();
                    inner.pop();
                    c
                }
                _ => Vec::new(),
            };
            if let [Block::Table { caption: own, pos: at, .. }] = inner.as_mut_slice()
                && table
            {
                if own.is_empty() {
                    *own = caption;
                }
                self.ids.push((*at, id));
                out.extend(inner);
            } else {
                self.ids.push((pos, id));
                out.push(Block::Float { kind, caption, blocks: inner, pos });
            }
            return;
        }
        if let (Some(id), Some(at)) = (id, image) {
            let caption = match inner.last() {
                Some(Block::Paragraph(c)) if inner.len() - 1 != at => {
                    let c = crate::model::document::plain_text(c);
                    inner.pop();
                    c
                }
                _ => String::new(),
            };
            if let Some(Block::Paragraph(i)) = inner.get_mut(at)
                && let [Inline::Image { title, pos, .. }] = i.as_mut_slice()
            {
                if title.is_empty() {
                    *title = caption;
                }
                self.ids.push((*pos, id));
            }
        }
        out.extend(inner);
    }

    /// A callout's title as written, else its first heading (Quarto's way),
    /// taken out of its blocks; empty when it has neither.
    fn callout(&mut self, kind: CalloutKind, title: Option<String>, pos: Pos, mut blocks: Vec<Block>) -> Block {
        let title = match title {
            Some(t) => vec![Inline::Text { text: t, pos }],
            None if matches!(blocks.first(), Some(Block::Heading { .. })) => match blocks.remove(0) {
                Block::Heading { content, .. } => content,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        Block::Callout { kind, title, blocks }
    }

    fn inlines<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> Vec<Inline> {
        // Each element, and whether it was written escaped (`\[`): such a
        // character is never a bracket of a span.
        let mut read: Vec<Inline> = Vec::new();
        let mut literal: Vec<bool> = Vec::new();
        for c in node.children() {
            let escaped = matches!(c.data.borrow().value, NodeValue::Escaped);
            if let Some(i) = self.inline(c, depth + 1) {
                if let (Some(Inline::Text { text: prev, .. }), Inline::Text { text, .. }, Some(false), false) =
                    (read.last_mut(), &i, literal.last(), escaped)
                {
                    prev.push_str(text);
                    continue;
                }
                read.push(i);
                literal.push(escaped);
            }
        }
        let read = attributes::after_images(read, &literal, &mut self.ids);
        let read = spans::bracketed(read, &literal, &mut self.ids);
        let out = crate::model::document::merge_text(read);
        if self.allow_html { html_links_and_images(out) } else { out }
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> Option<Block> {
        if self.deep(node, depth) {
            return None;
        }
        let ast = node.data.borrow();
        let pos = self.pos(&ast.sourcepos);
        Some(match &ast.value {
            NodeValue::Paragraph => match self.grid(&ast.sourcepos) {
                Some(table) => table,
                None => Block::Paragraph(self.inlines(node, depth)),
            },
            NodeValue::Heading(h) => {
                if let Some(id) = ast.attrs.as_ref().and_then(|a| a.id.clone()) {
                    self.ids.push((pos, id));
                }
                Block::Heading { level: h.level, content: self.inlines(node, depth), pos }
            }
            NodeValue::BlockQuote => Block::Quote(self.blocks(node, depth)),
            NodeValue::List(l) => {
                let mut start = (l.list_type == ListType::Ordered).then_some(l.start as u64);
                let mut numbering = Numbering::Decimal;
                if let Some((n, first)) = self.numbered.get(&ast.sourcepos.start.line).filter(|_| start.is_some()) {
                    (numbering, start) = (*n, Some(*first));
                }
                let tight = l.tight;
                let items = node.children().map(|item| self.blocks(item, depth + 1)).collect();
                Block::List { start, numbering, tight, items }
            }
            NodeValue::CodeBlock(c) => {
                // pandoc's attributes (`{.python .content-visible when-format="html"}`):
                // the first class is the language.
                let attrs = attributes::leading(c.info.trim()).map(|(a, _)| a);
                let lang = match &attrs {
                    Some(a) => a.classes.first().cloned(),
                    None => c.info.split_whitespace().next().map(str::to_string),
                };
                if let Some(shown) = attrs.as_ref().and_then(|a| a.shown()) {
                    let code = Block::Code { lang, text: directives::restore(&c.literal) };
                    let last_line = ast.sourcepos.end.line as u32 + self.line_offset;
                    return Some(Block::Only { shown, blocks: vec![code], pos, last_line });
                }
                if lang.as_deref() == Some("math") {
                    // A fenced `math` block is display math.
                    let pos = Pos { line: pos.line + 1, col: 1 };
                    let mathml = crate::input::math::to_mathml(&c.literal, true);
                    let tex = c.literal.clone();
                    return Some(Block::Paragraph(vec![Inline::Math { tex, display: true, mathml, pos, tag: None }]));
                }
                Block::Code { lang, text: directives::restore(&c.literal) }
            }
            NodeValue::Table(t) => {
                let align = t
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::None => Align::None,
                        TableAlignment::Left => Align::Left,
                        TableAlignment::Center => Align::Center,
                        TableAlignment::Right => Align::Right,
                    })
                    .collect();
                let mut rows: Vec<Vec<Cell>> = node
                    .children()
                    .map(|row| row.children().map(|cell| Cell::new(self.inlines(cell, depth + 2))).collect())
                    .collect();
                // pandoc's caption right under the table, with no blank
                // line between, which a pipe table reads as its last row.
                let last = node.last_child().map(|r| r.data.borrow().sourcepos.start.line);
                let line = last.and_then(|l| self.lines.get(l.saturating_sub(1))).map(|l| l.trim());
                let mut caption = Vec::new();
                if rows.len() > 1
                    && line.is_some_and(|l| (l.starts_with(": ") || l.starts_with("Table: ")) && !l.contains('|'))
                    && let Some(mut row) = rows.pop()
                {
                    let (inlines, id) = table_caption(std::mem::take(&mut row[0].content));
                    if let Some(id) = id {
                        self.ids.push((pos, id));
                    }
                    caption = inlines;
                }
                Block::Table { align, head: 1, rows, caption, pos }
            }
            NodeValue::ThematicBreak => Block::Rule,
            NodeValue::BlockDirective(d) => {
                let (kind, title) = callout_of(&d.info).unwrap_or((CalloutKind::Note, None));
                let blocks = self.blocks(node, depth);
                self.callout(kind, title, pos, blocks)
            }
            NodeValue::Alert(a) => {
                let kind = match a.alert_type {
                    comrak::nodes::AlertType::Note => CalloutKind::Note,
                    comrak::nodes::AlertType::Tip => CalloutKind::Tip,
                    comrak::nodes::AlertType::Important => CalloutKind::Important,
                    comrak::nodes::AlertType::Warning => CalloutKind::Warning,
                    comrak::nodes::AlertType::Caution => CalloutKind::Caution,
                };
                let title = a.title.clone();
                let blocks = self.blocks(node, depth);
                self.callout(kind, title, pos, blocks)
            }
            NodeValue::HtmlBlock(h) => {
                // A comment is the author's, never the reader's: dropped, as pandoc does.
                if without_comments(&h.literal).trim().is_empty() {
                    return None;
                }
                let converted = crate::input::html::convert(&h.literal, pos);
                Block::Html { html: h.literal.clone(), pos, content: converted.blocks, left_out: converted.left_out }
            }
            // Anything else is off in `options()`; keep its text rather than lose it.
            _ => Block::Paragraph(self.inlines(node, depth)),
        })
    }

    fn inline<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> Option<Inline> {
        if self.deep(node, depth) {
            return None;
        }
        let ast = node.data.borrow();
        let pos = self.pos(&ast.sourcepos);
        Some(match &ast.value {
            NodeValue::Text(t) => Inline::Text { text: directives::restore(t), pos },
            NodeValue::Emph => Inline::Emph(self.inlines(node, depth)),
            NodeValue::Strong => Inline::Strong(self.inlines(node, depth)),
            NodeValue::Strikethrough => Inline::Strike(self.inlines(node, depth)),
            NodeValue::Code(c) => Inline::Code(c.literal.clone()),
            NodeValue::Link(l) => {
                Inline::Link { url: l.url.clone(), title: l.title.clone(), content: self.inlines(node, depth), pos }
            }
            NodeValue::Image(l) => {
                if let Some(id) = ast.attrs.as_ref().and_then(|a| a.id.clone()) {
                    self.ids.push((pos, id));
                }
                // pandoc's `{width=50%}`, Quarto's `fig-alt`.
                let (width, described) = attributes::of_image(
                    ast.attrs.iter().flat_map(|a| a.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
                );
                let written = self.inlines(node, depth);
                let alt = crate::model::document::plain_text(&written);
                let title = attributes::image_title(&written, &l.title, described.is_some());
                Inline::Image { url: l.url.clone(), title, alt: described.unwrap_or(alt), pos, width }
            }
            NodeValue::FootnoteReference(r) => Inline::FootnoteRef { name: r.name.clone(), pos },
            NodeValue::Superscript | NodeValue::Subscript => {
                let sup = matches!(ast.value, NodeValue::Superscript);
                let content = self.inlines(node, depth);
                // pandoc allows no space inside: `2^10 and 3^4` is text.
                let spaced = content.iter().any(|i| match i {
                    Inline::Text { text, .. } => text.contains(char::is_whitespace),
                    Inline::SoftBreak | Inline::LineBreak => true,
                    _ => false,
                });
                if spaced {
                    let mark = if sup { "^" } else { "~" };
                    let mut text = String::from(mark);
                    text.push_str(&crate::model::document::plain_text(&content));
                    text.push_str(mark);
                    Inline::Text { text, pos }
                } else if sup {
                    Inline::Sup(content)
                } else {
                    Inline::Sub(content)
                }
            }
            NodeValue::SoftBreak => Inline::SoftBreak,
            NodeValue::LineBreak => Inline::LineBreak,
            NodeValue::HtmlInline(h) if h.starts_with("<!--") => return None,
            NodeValue::HtmlInline(h) => Inline::Html { html: h.clone(), pos },
            NodeValue::Math(m) => {
                let mathml = crate::input::math::to_mathml(&m.literal, m.display_math);
                Inline::Math { tex: m.literal.clone(), display: m.display_math, mathml, pos, tag: None }
            }
            _ => {
                let content = self.inlines(node, depth);
                Inline::Text { text: crate::model::document::plain_text(&content), pos }
            }
        })
    }
}

#[cfg(test)]
mod tests;
