//! Raw HTML blocks to [`Block`]s: sanitised first, then read as a tree.
//!
//! An essay's HTML is untrusted. It goes through ammonia, a well-kept
//! allowlist sanitiser, with the elements and attributes of [`KEPT`] and
//! only `http`, `https` and `mailto` addresses (or addresses inside the
//! book): no script, style, event handler, frame, form or `javascript:`
//! address survives it. What it lets through is parsed by html5ever (through
//! scraper) and turned into this crate's own model, so that every edition
//! renders it with the writer, and the escaping, it uses for Markdown.
//!
//! The HTML as written is read a second time, against the same allowlist, to
//! list what the sanitiser removes: each is a warning of `check` at its line,
//! so nothing disappears from an edition without a word.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::model::document::{Block, Cell, Inline, LeftOut, Numbering, Pos};

/// Elements the sanitiser keeps, with the attributes each keeps.
pub const KEPT: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "title"]),
    ("table", &[]),
    ("caption", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("th", &["colspan", "rowspan"]),
    ("td", &["colspan", "rowspan"]),
    ("ul", &[]),
    ("ol", &["start"]),
    ("li", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    ("p", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("blockquote", &[]),
    ("pre", &[]),
    ("code", &["class"]),
    ("figure", &[]),
    ("figcaption", &[]),
    ("details", &[]),
    ("summary", &[]),
    ("em", &[]),
    ("i", &[]),
    ("cite", &[]),
    ("dfn", &[]),
    ("var", &[]),
    ("strong", &[]),
    ("b", &[]),
    ("s", &[]),
    ("del", &[]),
    ("strike", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("kbd", &[]),
    ("samp", &[]),
    ("tt", &[]),
    ("q", &[]),
    ("abbr", &["title"]),
    ("u", &[]),
    ("ins", &[]),
    ("mark", &[]),
    ("small", &[]),
    ("span", &[]),
    ("div", &[]),
    ("section", &[]),
    ("article", &[]),
    ("aside", &[]),
    ("header", &[]),
    ("footer", &[]),
    ("main", &[]),
    ("nav", &[]),
    ("center", &[]),
];

/// Elements removed with everything inside them.
const REMOVED_WHOLE: &[&str] = &["script", "style", "template", "noscript"];

/// Address schemes a link may have; relative addresses stay (inside the book).
const SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Deepest nesting of HTML elements followed; deeper content is left out.
const MAX_DEPTH: usize = 64;

/// An HTML block converted: its blocks and what was left out of them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Converted {
    /// The sanitised content.
    pub blocks: Vec<Block>,
    /// What the sanitiser removed, in source order.
    pub left_out: Vec<LeftOut>,
}

/// The allowlist sanitiser.
fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(KEPT.iter().map(|(t, _)| *t).collect())
        .tag_attributes(KEPT.iter().map(|(t, a)| (*t, a.iter().copied().collect())).collect())
        .clean_content_tags(REMOVED_WHOLE.iter().copied().collect())
        .url_schemes(SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true);
    b
}

/// The sanitised HTML as written by ammonia: what the editions may carry.
pub fn sanitise(html: &str) -> String {
    sanitiser().clean(html).to_string()
}

/// Converts the HTML block `html`, which starts at `pos` in its file.
pub fn convert(html: &str, pos: Pos) -> Converted {
    let mut left_out = report(html, pos);
    let clean = Html::parse_fragment(&sanitise(html));
    let mut conv = Converter { pos, too_deep: false };
    let blocks = conv.flow(*clean.root_element(), 0);
    if conv.too_deep {
        left_out.push(LeftOut {
            pos,
            what: format!("HTML nested more than {MAX_DEPTH} elements deep"),
            text_kept: false,
        });
    }
    Converted { blocks, left_out }
}

/// One tag written inside a paragraph, through the same sanitiser: an image
/// (`<img …>`), or the link an opening `<a …>` makes (without its content).
/// `None` for any other tag, or when the sanitiser would remove anything of
/// it (an address it refuses, a handler): the tag then stays raw for `check`.
pub fn inline_element(tag: &str, pos: Pos) -> Option<Inline> {
    let t = tag.trim();
    let lower = t.to_ascii_lowercase();
    let fragment = if lower.starts_with("<a ") || lower.starts_with("<a\n") {
        format!("{t}x</a>")
    } else if lower.starts_with("<img ") || lower.starts_with("<img\n") {
        t.to_string()
    } else {
        return None;
    };
    let c = convert(&fragment, pos);
    if !c.left_out.is_empty() {
        return None;
    }
    match c.blocks.as_slice() {
        [Block::Paragraph(i)] => match i.as_slice() {
            [Inline::Link { url, title, pos, .. }] => {
                Some(Inline::Link { url: url.clone(), title: title.clone(), content: Vec::new(), pos: *pos })
            }
            [image @ Inline::Image { .. }] => Some(image.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Where `<name` next occurs in `html` from byte `from`, found in `lower`
/// (the same text, ASCII case folded once per block), as a position in the
/// file; `from` moves past it.
fn locate(html: &str, lower: &str, name: &str, from: &mut usize, start: Pos) -> Pos {
    let needle = format!("<{name}");
    let found = lower.get(*from..).and_then(|rest| rest.find(&needle)).map(|i| *from + i);
    // Not found (an element the parser implied): here, and the cursor
    // stays, so that it never lands inside a character.
    let at = found.unwrap_or(*from).min(html.len());
    if found.is_some() {
        *from = at + 1;
    }
    let before = html.get(..at).unwrap_or(html);
    let line = before.matches('\n').count() as u32;
    let col = match before.rfind('\n') {
        Some(nl) => (at - nl) as u32,
        None => start.col + at as u32,
    };
    Pos { line: start.line + line, col }
}

/// What the sanitiser removes from `html`, read against the same allowlist.
fn report(html: &str, start: Pos) -> Vec<LeftOut> {
    let doc = Html::parse_fragment(html);
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut cursor = 0;
    let mut stack: Vec<(NodeRef<Node>, usize)> = doc.root_element().children().rev().map(|n| (n, 1)).collect();
    while let Some((node, depth)) = stack.pop() {
        let Node::Element(el) = node.value() else { continue };
        let name = el.name();
        let pos = locate(html, &lower, name, &mut cursor, start);
        let descend = match KEPT.iter().find(|(t, _)| *t == name) {
            Some((_, kept)) => {
                for (attr, value) in el.attrs() {
                    let attr = attr.to_ascii_lowercase();
                    if attr.starts_with("on") {
                        out.push(LeftOut { pos, what: format!("the script `{attr}` of `<{name}>`"), text_kept: true });
                    } else if kept.contains(&attr.as_str())
                        && (attr == "href" || attr == "src")
                        && has_scheme(value)
                        && !SCHEMES.iter().any(|s| scheme_is(value, s))
                    {
                        let shown: String = value.trim().chars().take(40).collect();
                        let what = format!("the address `{shown}` of `<{name}>`");
                        out.push(LeftOut { pos, what, text_kept: true });
                    }
                }
                true
            }
            None if REMOVED_WHOLE.contains(&name) => {
                out.push(LeftOut { pos, what: format!("`<{name}>` and what it holds"), text_kept: false });
                false
            }
            None => {
                let text_kept = node.descendants().any(|d| d.value().as_text().is_some_and(|t| !t.trim().is_empty()));
                out.push(LeftOut { pos, what: format!("`<{name}>`"), text_kept });
                true
            }
        };
        if descend && depth < MAX_DEPTH {
            stack.extend(node.children().rev().map(|n| (n, depth + 1)));
        }
    }
    out
}

fn has_scheme(url: &str) -> bool {
    let url = url.trim();
    match url.find(':') {
        Some(i) => url[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) && !url[..i].is_empty(),
        None => false,
    }
}

fn scheme_is(url: &str, scheme: &str) -> bool {
    url.trim().get(..scheme.len() + 1).is_some_and(|p| p.eq_ignore_ascii_case(&format!("{scheme}:")))
}

/// Elements that start blocks: the rest is inline content.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "center"
            | "blockquote"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "li"
            | "table"
            | "pre"
            | "hr"
            | "figure"
            | "details"
            | "summary"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

struct Converter {
    pos: Pos,
    too_deep: bool,
}

type El<'a> = NodeRef<'a, Node>;

fn element(node: El<'_>) -> Option<&scraper::node::Element> {
    node.value().as_element()
}

impl Converter {
    fn deep(&mut self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            self.too_deep = true;
        }
        depth > MAX_DEPTH
    }

    /// The children of `node` as blocks: runs of inline content become paragraphs.
    fn flow(&mut self, node: El<'_>, depth: usize) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut run: Vec<Inline> = Vec::new();
        if self.deep(depth) {
            return blocks;
        }
        for child in node.children() {
            match element(child) {
                Some(el) if is_block(el.name()) => {
                    self.paragraph(&mut run, &mut blocks);
                    blocks.extend(self.block(child, el.name(), depth + 1));
                }
                _ => self.inline(child, depth + 1, &mut run),
            }
        }
        self.paragraph(&mut run, &mut blocks);
        blocks
    }

    /// Ends a run of inline content as a paragraph, unless it is only spaces.
    fn paragraph(&mut self, run: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
        let inlines = trim(std::mem::take(run));
        if !inlines.is_empty() {
            blocks.push(Block::Paragraph(inlines));
        }
    }

    fn block(&mut self, node: El<'_>, name: &str, depth: usize) -> Vec<Block> {
        let pos = self.pos;
        let one = |b: Block| vec![b];
        match name {
            "p" | "dt" | "summary" => {
                let inlines = trim(self.inlines(node, depth));
                if inlines.is_empty() {
                    return Vec::new();
                }
                if name == "dt" {
                    one(Block::Paragraph(vec![Inline::Strong(inlines)]))
                } else {
                    one(Block::Paragraph(inlines))
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                one(Block::Heading { level, content: trim(self.inlines(node, depth)), pos })
            }
            "blockquote" | "dd" => one(Block::Quote(self.flow(node, depth))),
            "ul" | "ol" => {
                let start = (name == "ol").then(|| {
                    element(node).and_then(|e| e.attr("start")).and_then(|s| s.trim().parse().ok()).unwrap_or(1)
                });
                let numbering = match element(node).and_then(|e| e.attr("type")) {
                    Some("a") => Numbering::LowerAlpha,
                    Some("A") => Numbering::UpperAlpha,
                    Some("i") => Numbering::LowerRoman,
                    Some("I") => Numbering::UpperRoman,
                    _ => Numbering::Decimal,
                };
                // Items are the `li`s; anything else written between them
                // (text, a paragraph) is an item of its own rather than lost.
                let mut items: Vec<Vec<Block>> = Vec::new();
                let mut run = Vec::new();
                for child in node.children() {
                    match element(child) {
                        Some(e) if e.name() == "li" || is_block(e.name()) => {
                            let mut loose = Vec::new();
                            self.paragraph(&mut run, &mut loose);
                            if !loose.is_empty() {
                                items.push(loose);
                            }
                            let item = if e.name() == "li" {
                                self.flow(child, depth + 1)
                            } else {
                                self.block(child, e.name(), depth + 1)
                            };
                            items.push(item);
                        }
                        _ => self.inline(child, depth + 1, &mut run),
                    }
                }
                let mut loose = Vec::new();
                self.paragraph(&mut run, &mut loose);
                if !loose.is_empty() {
                    items.push(loose);
                }
                if items.is_empty() {
                    return Vec::new();
                }
                let tight = items.iter().all(|i| i.len() <= 1);
                one(Block::List { start, numbering, tight, items })
            }
            "li" => self.flow(node, depth),
            "pre" => {
                let code = node.children().find(|c| element(*c).is_some_and(|e| e.name() == "code"));
                let lang = code.and_then(element).and_then(|e| e.attr("class")).and_then(|c| {
                    c.split_whitespace().find_map(|k| k.strip_prefix("language-").or(k.strip_prefix("lang-")))
                });
                let mut text = text_of(node);
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                one(Block::Code { lang: lang.map(str::to_string), text })
            }
            "hr" => one(Block::Rule),
            "table" => self.table(node, depth),
            "figure" => {
                let mut blocks = Vec::new();
                let mut run = Vec::new();
                let mut captioned = false;
                let caption = node
                    .children()
                    .find(|c| element(*c).is_some_and(|e| e.name() == "figcaption"))
                    .map(|c| crate::model::document::plain_text(&trim(self.inlines(c, depth + 1))))
                    .unwrap_or_default();
                // In document order: the first image takes the caption; text
                // beside the images is kept as paragraphs.
                for child in node.children() {
                    match element(child) {
                        Some(e) if e.name() == "figcaption" => {}
                        Some(e) if e.name() == "img" => match self.image(e) {
                            Some(Inline::Image { url, alt, pos, width, .. }) => {
                                self.paragraph(&mut run, &mut blocks);
                                let title = if std::mem::replace(&mut captioned, true) { "" } else { &caption };
                                let title = title.to_string();
                                blocks.push(Block::Paragraph(vec![Inline::Image { url, alt, title, pos, width }]));
                            }
                            Some(other) => run.push(other),
                            None => {}
                        },
                        Some(e) if is_block(e.name()) => {
                            self.paragraph(&mut run, &mut blocks);
                            blocks.extend(self.block(child, e.name(), depth + 1));
                        }
                        _ => self.inline(child, depth + 1, &mut run),
                    }
                }
                self.paragraph(&mut run, &mut blocks);
                if !captioned && !caption.is_empty() {
                    blocks.push(Block::Paragraph(vec![Inline::Text { text: caption, pos }]));
                }
                blocks
            }
            "details" => {
                let summary = node
                    .children()
                    .find(|c| element(*c).is_some_and(|e| e.name() == "summary"))
                    .map(|c| trim(self.inlines(c, depth + 1)))
                    .unwrap_or_default();
                let mut blocks = Vec::new();
                let mut run = Vec::new();
                for child in node.children() {
                    match element(child) {
                        Some(e) if e.name() == "summary" => {}
                        Some(e) if is_block(e.name()) => {
                            self.paragraph(&mut run, &mut blocks);
                            blocks.extend(self.block(child, e.name(), depth + 1));
                        }
                        _ => self.inline(child, depth + 1, &mut run),
                    }
                }
                self.paragraph(&mut run, &mut blocks);
                one(Block::Details { summary, blocks })
            }
            // Containers: their content, without them.
            _ => self.flow(node, depth),
        }
    }

    /// A table: its rows from `thead`, `tbody`, `tfoot` or directly, header
    /// rows first; a caption becomes a paragraph before it.
    fn table(&mut self, node: El<'_>, depth: usize) -> Vec<Block> {
        let mut head: Vec<Vec<Cell>> = Vec::new();
        let mut body: Vec<Vec<Cell>> = Vec::new();
        let mut foot: Vec<Vec<Cell>> = Vec::new();
        let mut caption = Vec::new();
        // Whether the first row of the body has only header cells.
        let mut first_all_th = false;
        for child in node.children() {
            let Some(e) = element(child) else { continue };
            let is_body = e.name() == "tbody";
            let group = match e.name() {
                "caption" => {
                    caption = trim(self.inlines(child, depth + 1));
                    continue;
                }
                "thead" => &mut head,
                "tfoot" => &mut foot,
                "tbody" => &mut body,
                _ => continue,
            };
            for tr in child.children().filter(|c| element(*c).is_some_and(|e| e.name() == "tr")) {
                let mut row = Vec::new();
                let mut all_th = true;
                for cell in tr.children() {
                    let Some(e) = element(cell).filter(|e| e.name() == "td" || e.name() == "th") else { continue };
                    all_th &= e.name() == "th";
                    let span = |a: &str, max: u32| {
                        e.attr(a).and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).clamp(1, max)
                    };
                    let content = self.cell(cell, depth + 2);
                    row.push(Cell {
                        content,
                        colspan: span("colspan", 64),
                        rowspan: span("rowspan", 256),
                        row_header: e.name() == "th",
                    });
                }
                if is_body && group.is_empty() {
                    first_all_th = all_th && !row.is_empty();
                }
                group.push(row);
            }
        }
        // Without a thead, a first row of header cells is the header.
        if head.is_empty() && first_all_th {
            head.push(body.remove(0));
        }
        let head_rows = head.len();
        let mut rows = head;
        rows.extend(body);
        rows.extend(foot);
        // Spans stay inside their group: a header cell does not reach into the body.
        let n = rows.len();
        for (r, row) in rows.iter_mut().enumerate() {
            let end = if r < head_rows { head_rows } else { n };
            for c in row.iter_mut() {
                c.rowspan = c.rowspan.min((end - r) as u32).max(1);
            }
        }
        let mut out = Vec::new();
        if !caption.is_empty() {
            out.push(Block::Paragraph(vec![Inline::Emph(caption)]));
        }
        if !rows.is_empty() {
            out.push(Block::Table {
                align: Vec::new(),
                head: head_rows,
                rows,
                caption: Vec::new(),
                pos: Pos::default(),
            });
        }
        out
    }

    /// A cell's content as inline content: its blocks joined by line breaks.
    fn cell(&mut self, node: El<'_>, depth: usize) -> Vec<Inline> {
        let mut out = Vec::new();
        for b in self.flow(node, depth) {
            if !out.is_empty() {
                out.push(Inline::LineBreak);
            }
            flatten(b, &mut out);
        }
        out
    }

    fn inlines(&mut self, node: El<'_>, depth: usize) -> Vec<Inline> {
        let mut out = Vec::new();
        if self.deep(depth) {
            return out;
        }
        for child in node.children() {
            self.inline(child, depth + 1, &mut out);
        }
        out
    }

    /// An image; without an address (or with one the sanitiser removed),
    /// its description is what remains of it, as text.
    fn image(&mut self, e: &scraper::node::Element) -> Option<Inline> {
        let alt = e.attr("alt").unwrap_or("").to_string();
        match e.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
            Some(url) => Some(Inline::Image {
                url: url.to_string(),
                title: e.attr("title").unwrap_or("").to_string(),
                alt,
                pos: self.pos,
                width: None,
            }),
            None => (!alt.trim().is_empty()).then_some(Inline::Text { text: alt, pos: self.pos }),
        }
    }

    fn inline(&mut self, node: El<'_>, depth: usize, out: &mut Vec<Inline>) {
        let pos = self.pos;
        match node.value() {
            Node::Text(t) => push_text(out, &t.text, pos),
            Node::Element(e) => {
                let name = e.name();
                let inner = |this: &mut Self| this.inlines(node, depth);
                let made = match name {
                    "em" | "i" | "cite" | "dfn" | "var" => Inline::Emph(inner(self)),
                    "strong" | "b" => Inline::Strong(inner(self)),
                    "s" | "del" | "strike" => Inline::Strike(inner(self)),
                    "sub" => Inline::Sub(inner(self)),
                    "sup" => Inline::Sup(inner(self)),
                    "code" | "kbd" | "samp" | "tt" => Inline::Code(text_of(node)),
                    "br" => Inline::LineBreak,
                    "img" => match self.image(e) {
                        Some(i) => i,
                        None => return,
                    },
                    "a" => {
                        let content = inner(self);
                        match e.attr("href").map(str::trim).filter(|h| !h.is_empty()) {
                            Some(url) => Inline::Link {
                                url: url.to_string(),
                                title: e.attr("title").unwrap_or("").to_string(),
                                content,
                                pos,
                            },
                            None => {
                                out.extend(content);
                                return;
                            }
                        }
                    }
                    "q" => {
                        push_text(out, "\"", pos);
                        out.extend(inner(self));
                        push_text(out, "\"", pos);
                        return;
                    }
                    // Containers and what the sanitiser kept for its text: the text.
                    _ => {
                        out.extend(inner(self));
                        return;
                    }
                };
                out.push(made);
            }
            _ => {}
        }
    }
}

/// Appends text, merged with the text before it so typography sees words;
/// runs of white space are one space, as HTML shows them.
fn push_text(out: &mut Vec<Inline>, text: &str, pos: Pos) {
    let mut folded = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            space = true;
        } else {
            if space {
                folded.push(' ');
            }
            space = false;
            folded.push(c);
        }
    }
    if space {
        folded.push(' ');
    }
    if folded.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text { text, .. }) => {
            if !(text.ends_with(' ') && folded.starts_with(' ')) {
                text.push_str(&folded);
            } else {
                text.push_str(&folded[1..]);
            }
        }
        _ => out.push(Inline::Text { text: folded, pos }),
    }
}

/// Inline content without the spaces at its ends.
fn trim(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    inlines
}

/// The text of a node as written (code keeps its spaces and lines).
fn text_of(node: El<'_>) -> String {
    node.descendants().filter_map(|d| d.value().as_text().map(|t| t.to_string())).collect()
}

/// A block as inline content, for a table cell.
fn flatten(block: Block, out: &mut Vec<Inline>) {
    match block {
        Block::Paragraph(i) | Block::Heading { content: i, .. } => out.extend(i),
        Block::Code { text, .. } => out.push(Inline::Code(text.trim_end().to_string())),
        Block::List { items, .. } => {
            for (n, item) in items.into_iter().enumerate() {
                if n > 0 {
                    out.push(Inline::LineBreak);
                }
                out.push(Inline::Text { text: "• ".into(), pos: Pos::default() });
                for b in item {
                    flatten(b, out);
                }
            }
        }
        Block::Quote(blocks) | Block::Html { content: blocks, .. } | Block::Only { blocks, .. } => {
            for b in blocks {
                flatten(b, out);
            }
        }
        Block::Details { summary, blocks }
        | Block::Term { term: summary, blocks }
        | Block::Callout { title: summary, blocks, .. }
        | Block::Float { caption: summary, blocks, .. } => {
            out.extend(summary);
            for b in blocks {
                out.push(Inline::LineBreak);
                flatten(b, out);
            }
        }
        Block::Table { rows, .. } => {
            for (n, row) in rows.into_iter().enumerate() {
                if n > 0 {
                    out.push(Inline::LineBreak);
                }
                for (c, cell) in row.into_iter().enumerate() {
                    if c > 0 {
                        out.push(Inline::Text { text: " | ".into(), pos: Pos::default() });
                    }
                    out.extend(cell.content);
                }
            }
        }
        Block::Rule => {}
    }
}

#[cfg(test)]
mod tests;
