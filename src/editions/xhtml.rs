//! Essay text to XHTML: the one writer behind the EPUB (and the web) edition.
//!
//! Output is well-formed XML for any input: text and attributes are escaped,
//! characters XML forbids are dropped, and raw HTML, when the rules allow it
//! at all, passes only as a short list of inline tags without attributes,
//! balanced per paragraph. Links keep only `http`, `https` and `mailto`
//! destinations, or point to another essay of the book. Text comes already
//! set in its language's typography (see [`crate::order`]).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::editions::highlight;
use crate::model::document::{Align, Block, CalloutKind, Document, FigureView, Footnote, Inline, Medium, SpanStyle};

/// Which edition the markup is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// EPUB 3: `epub:type` semantics on notes.
    Epub,
    /// The web: plain HTML semantics.
    Html,
}

impl Flavor {
    /// The medium it is read on, as conditional content names it.
    pub fn medium(self) -> Medium {
        match self {
            Flavor::Epub => Medium::Epub,
            Flavor::Html => Medium::Site,
        }
    }
}

/// Appends `text` to `out`, escaped for XML text and attributes, without the
/// characters XML 1.0 forbids.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if forbidden_in_xml(c) => {}
            c => out.push(c),
        }
    }
}

/// Whether XML 1.0 forbids `c` in a document: control characters other than
/// tab, line feed and carriage return, and U+FFFE and U+FFFF.
fn forbidden_in_xml(c: char) -> bool {
    ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// `text` without the characters XML 1.0 forbids.
fn allowed_in_xml(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(forbidden_in_xml) { text.replace(forbidden_in_xml, "").into() } else { text.into() }
}

/// A web address an author wrote, as a valid URL: the characters a URL
/// cannot hold (spaces, quotes, `{`, `|`, `}`…) percent-encoded, which
/// browsers do silently and EPUB reading systems may not; a `#` after the
/// one that starts the fragment too.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut fragment = false;
    for c in url.trim().chars() {
        if c.is_ascii_control() || " \"<>\\^`{|}".contains(c) || (c == '#' && fragment) {
            let _ = write!(out, "%{:02X}", c as u32);
        } else {
            fragment |= c == '#';
            out.push(c);
        }
    }
    out
}

/// `text`, escaped for XML.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(text, &mut s);
    s
}

/// An image as the edition serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Its address from the document.
    pub href: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Another text of the book, as links from this one reach it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// The address of the text itself.
    pub href: String,
    /// What goes before one of its headings' anchors to address that heading.
    pub heading: String,
    /// Its headings' anchors, as `other.md#an-anchor` names them.
    pub anchors: std::collections::HashSet<String>,
}

impl Target {
    /// The target `text` at `href` in `flavor`'s edition, its headings
    /// addressed as `heading` + `s-` + anchor.
    pub fn new(doc: &Document, flavor: Flavor, href: String, heading: String) -> Self {
        let anchors = doc.anchors_in(flavor.medium()).into_values().collect();
        Target { href, heading: format!("{heading}s-"), anchors }
    }
}

/// What the writer needs to know about the book around the text.
pub struct Context<'a> {
    /// EPUB or web.
    pub flavor: Flavor,
    /// Unique in the book: prefixes note ids.
    pub id_prefix: &'a str,
    /// Images by their reference as written.
    pub images: &'a HashMap<String, ImageRef>,
    /// The folder of the text, relative to the book's root (to resolve links).
    pub dir: &'a std::path::Path,
    /// Other texts of the book by file (relative to the root), with their address.
    pub links: &'a HashMap<PathBuf, Target>,
    /// What goes before the anchors of this text's own headings in their ids
    /// (empty when the text has a page of its own; the slug on a page of many).
    pub anchor_prefix: &'a str,
    /// Whether raw HTML is let through (sanitised).
    pub allow_html: bool,
    /// The level the text's first heading level becomes.
    pub first_heading: u8,
    /// Whether the text is right to left: its code then says it reads left
    /// to right (`dir="ltr"`, which also isolates it), so that `--help`
    /// does not read `help--` (EPUB style sheets may not set `direction`).
    pub rtl: bool,
    /// The heading of the text's bibliography, in its language ("References").
    pub references: &'a str,
}

/// A text as XHTML: the body and its notes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// The text.
    pub body: String,
    /// The notes, as a section to append after it; empty without notes.
    pub notes: String,
}

struct Writer<'a, 'c> {
    cx: &'c Context<'a>,
    out: String,
    levels: HashMap<crate::model::document::Pos, u8>,
    /// Each heading's anchor, by position.
    anchors: HashMap<crate::model::document::Pos, String>,
    notes: HashMap<&'a str, &'a Footnote>,
    /// Notes in the order of their first reference: (name, number, references).
    order: Vec<(String, usize, usize)>,
    /// Raw HTML tags open, innermost last.
    open: Vec<&'static str>,
    /// Tags below this index were opened outside the current element and
    /// may not be closed inside it.
    floor: usize,
    /// The number of each bibliography entry, by key: citations link to it.
    entries: HashMap<&'a str, usize>,
}

/// Converts `doc` with the book context `cx`.
pub fn fragment<'a>(doc: &'a Document, cx: &Context<'a>) -> Fragment {
    let mut w = Writer {
        cx,
        out: String::new(),
        levels: doc.heading_levels(cx.first_heading),
        anchors: doc.anchors_in(cx.flavor.medium()),
        notes: doc.footnotes.iter().map(|f| (f.name.as_str(), f)).collect(),
        order: Vec::new(),
        open: Vec::new(),
        floor: 0,
        entries: doc
            .bibliography
            .iter()
            .flat_map(|b| b.entries.iter().enumerate().map(|(n, e)| (e.key.as_str(), n + 1)))
            .collect(),
    };
    w.blocks(&doc.blocks);
    if let Some(b) = &doc.bibliography {
        w.bibliography(b);
    }
    let body = std::mem::take(&mut w.out);
    let notes = w.notes_section();
    Fragment { body, notes }
}

impl Writer<'_, '_> {
    /// The opening tag of inline code (see [`Context::rtl`]).
    fn code_tag(&self) -> &'static str {
        if self.cx.rtl { "<code dir=\"ltr\">" } else { "<code>" }
    }

    fn note_id(&self, n: usize) -> String {
        format!("fn-{}-{n}", self.cx.id_prefix)
    }

    /// The id of the `n`-th entry of the text's bibliography.
    fn entry_id(&self, n: usize) -> String {
        format!("bib-{}-{n}", self.cx.id_prefix)
    }

    /// A set citation: each work's part links to its entry.
    fn cite(&mut self, c: &crate::model::document::Citation) {
        self.out.push_str("<span class=\"citation\">");
        for part in &c.rendered {
            match part.key.as_deref().and_then(|k| self.entries.get(k)).copied() {
                Some(n) => {
                    let id = self.entry_id(n);
                    let _ = write!(self.out, "<a href=\"#{id}\" role=\"doc-biblioref\">");
                    self.scoped(&part.content);
                    self.out.push_str("</a>");
                }
                None => self.scoped(&part.content),
            }
        }
        self.out.push_str("</span>");
    }

    /// The text's bibliography, after its body: a heading at the level of
    /// the text's first headings and one item per work.
    fn bibliography(&mut self, b: &crate::model::document::Bibliography) {
        let level = self.cx.first_heading.clamp(1, 6);
        let semantics = match self.cx.flavor {
            Flavor::Epub => " epub:type=\"bibliography\" role=\"doc-bibliography\"",
            Flavor::Html => " role=\"doc-bibliography\"",
        };
        let _ = write!(self.out, "<section class=\"references\"{semantics}>\n<h{level}>");
        self.text(self.cx.references);
        let labelled = b.entries.iter().any(|e| e.label.is_some());
        let class = match (labelled, b.hanging_indent) {
            (true, _) => "labelled",
            (false, true) => "hanging",
            (false, false) => "plain",
        };
        let _ = writeln!(self.out, "</h{level}>\n<ul class=\"{class}\">");
        for (n, entry) in b.entries.iter().enumerate() {
            let id = self.entry_id(n + 1);
            let _ = write!(self.out, "<li id=\"{id}\">");
            if let Some(label) = &entry.label {
                self.out.push_str("<span class=\"label\">");
                self.scoped(label);
                self.out.push_str("</span> ");
            }
            self.scoped(&entry.content);
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ul>\n</section>\n");
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for (k, b) in blocks.iter().enumerate() {
            // Terms that follow each other are one definition list.
            let term = matches!(b, Block::Term { .. });
            if term && (k == 0 || !matches!(blocks[k - 1], Block::Term { .. })) {
                self.out.push_str("<dl>\n");
            }
            self.block(b);
            if term && !matches!(blocks.get(k + 1), Some(Block::Term { .. })) {
                self.out.push_str("\n</dl>");
            }
            self.out.push('\n');
        }
    }

    /// `<tag>`, with the anchor of what starts at `pos` as its id when it
    /// has one (a heading, a figure or a table links and references reach).
    fn open(&mut self, tag: &str, pos: crate::model::document::Pos) {
        match self.anchors.get(&pos).filter(|a| !a.is_empty()) {
            Some(a) => {
                let _ = write!(self.out, "<{tag} id=\"{}s-", self.cx.anchor_prefix);
                escape_into(a, &mut self.out);
                self.out.push_str("\">");
            }
            None => {
                let _ = write!(self.out, "<{tag}>");
            }
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Paragraph(inlines) => match FigureView::of(inlines, |p| self.anchors.contains_key(&p))
                .filter(|f| self.cx.images.contains_key(f.url))
            {
                Some(figure) => self.figure(&figure),
                None => {
                    self.out.push_str("<p>");
                    self.inlines(inlines);
                    self.close_open_tags();
                    self.out.push_str("</p>");
                }
            },
            Block::Heading { level, content, pos } => {
                let l = self.levels.get(pos).copied().unwrap_or(*level);
                self.open(&format!("h{l}"), *pos);
                self.inlines(content);
                self.close_open_tags();
                let _ = write!(self.out, "</h{l}>");
            }
            Block::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>");
            }
            Block::List { start, numbering, items, .. } => {
                let tag = match start {
                    Some(n) => {
                        self.out.push_str("<ol");
                        if *n != 1 {
                            let _ = write!(self.out, " start=\"{n}\"");
                        }
                        if let Some(t) = numbering.html_type() {
                            let _ = write!(self.out, " type=\"{t}\"");
                        }
                        self.out.push('>');
                        "ol"
                    }
                    None => {
                        self.out.push_str("<ul>");
                        "ul"
                    }
                };
                for item in items {
                    self.out.push_str("<li>");
                    // A tight item of one paragraph is written without <p>.
                    match item.as_slice() {
                        [Block::Paragraph(inlines)] => {
                            self.inlines(inlines);
                            self.close_open_tags();
                        }
                        _ => self.blocks(item),
                    }
                    self.out.push_str("</li>\n");
                }
                let _ = write!(self.out, "</{tag}>");
            }
            Block::Code { lang, text } => {
                self.out.push_str("<pre");
                if self.cx.rtl {
                    self.out.push_str(" dir=\"ltr\"");
                }
                // On the web a long line scrolls: the block must take the
                // keyboard's focus so that it can be scrolled without a mouse.
                if self.cx.flavor == Flavor::Html {
                    self.out.push_str(" tabindex=\"0\"");
                }
                self.out.push_str("><code");
                let lang =
                    lang.as_deref().filter(|l| l.chars().all(|c| c.is_ascii_alphanumeric() || "+-_".contains(c)));
                if let Some(l) = lang {
                    let _ = write!(self.out, " class=\"language-{l}\"");
                }
                self.out.push('>');
                let code = allowed_in_xml(text.trim_end_matches('\n'));
                match lang.and_then(|l| highlight::html(&code, l)) {
                    Some(spans) => self.out.push_str(&spans),
                    None => escape_into(&code, &mut self.out),
                }
                self.out.push_str("</code></pre>");
            }
            Block::Table { align, head, rows, caption, pos } => {
                self.open("table", *pos);
                self.out.push('\n');
                if !caption.is_empty() {
                    self.out.push_str("<caption>");
                    self.inlines(caption);
                    self.close_open_tags();
                    self.out.push_str("</caption>\n");
                }
                for (r, row) in rows.iter().enumerate() {
                    if r == 0 && *head > 0 {
                        self.out.push_str("<thead>\n");
                    } else if r == *head {
                        self.out.push_str("<tbody>\n");
                    }
                    self.out.push_str("<tr>");
                    for (c, cell) in row.iter().enumerate() {
                        let tag = if cell.is_header(r, *head) { "th" } else { "td" };
                        let _ = write!(self.out, "<{tag}");
                        if cell.heads_row(r, *head) {
                            self.out.push_str(" scope=\"row\"");
                        }
                        match align.get(c) {
                            Some(Align::Right) => self.out.push_str(" class=\"right\""),
                            Some(Align::Center) => self.out.push_str(" class=\"center\""),
                            _ => {}
                        }
                        if cell.colspan > 1 {
                            let _ = write!(self.out, " colspan=\"{}\"", cell.colspan);
                        }
                        if cell.rowspan > 1 {
                            let _ = write!(self.out, " rowspan=\"{}\"", cell.rowspan);
                        }
                        self.out.push('>');
                        self.inlines(&cell.content);
                        self.close_open_tags();
                        let _ = write!(self.out, "</{tag}>");
                    }
                    self.out.push_str("</tr>\n");
                    if r + 1 == *head {
                        self.out.push_str("</thead>\n");
                    }
                }
                if rows.len() > *head {
                    self.out.push_str("</tbody>\n");
                }
                self.out.push_str("</table>");
            }
            Block::Term { term, blocks } => {
                self.out.push_str("<dt>");
                self.inlines(term);
                self.close_open_tags();
                self.out.push_str("</dt>\n<dd>");
                self.blocks(blocks);
                self.out.push_str("</dd>");
            }
            Block::Details { summary, blocks } => {
                self.out.push_str("<details><summary>");
                self.inlines(summary);
                self.close_open_tags();
                self.out.push_str("</summary>\n");
                self.blocks(blocks);
                self.out.push_str("</details>");
            }
            Block::Float { caption, blocks, pos, .. } => {
                self.open("figure", *pos);
                self.out.push('\n');
                self.blocks(blocks);
                self.out.push_str("<figcaption>");
                self.inlines(caption);
                self.close_open_tags();
                self.out.push_str("</figcaption></figure>");
            }
            Block::Callout { kind: CalloutKind::Abstract, title, blocks } => {
                self.out.push_str(
                    "<section class=\"abstract\" role=\"doc-abstract\">\n<p class=\"abstract-title\"><strong>",
                );
                self.inlines(title);
                self.close_open_tags();
                self.out.push_str("</strong></p>\n");
                self.blocks(blocks);
                self.out.push_str("</section>");
            }
            Block::Callout { kind, title, blocks } => {
                let _ = write!(
                    self.out,
                    "<aside class=\"callout callout-{}\" role=\"note\">\n<p class=\"callout-title\"><strong>",
                    kind.as_str()
                );
                self.inlines(title);
                self.close_open_tags();
                self.out.push_str("</strong></p>\n");
                self.blocks(blocks);
                self.out.push_str("</aside>");
            }
            Block::Rule => self.out.push_str("<hr/>"),
            Block::Only { shown, blocks, .. } => {
                if shown.contains(self.cx.flavor.medium()) {
                    self.blocks(blocks);
                }
            }
            // Raw HTML is never copied: what the sanitiser let through was
            // read into blocks at load, and is written like Markdown.
            Block::Html { content, .. } => {
                if self.cx.allow_html {
                    self.blocks(content);
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn text(&mut self, t: &str) {
        escape_into(t, &mut self.out);
    }

    /// A figure (its id what its cross-references lead to), its picture a
    /// link when it has one that leads somewhere.
    fn figure(&mut self, f: &FigureView<'_>) {
        let FigureView { url, alt, title, pos, width: share, link } = *f;
        let href = link.and_then(|to| {
            if crate::input::assets::is_web_link(to) { Some(encode_url(to)) } else { self.local_link(to) }
        });
        self.open("figure", pos);
        if let Some(h) = &href {
            self.out.push_str("<a href=\"");
            escape_into(h, &mut self.out);
            self.out.push_str("\">");
        }
        self.image(url, alt, "", share);
        if href.is_some() {
            self.out.push_str("</a>");
        }
        if !title.is_empty() {
            self.out.push_str("<figcaption>");
            self.text(title);
            self.out.push_str("</figcaption>");
        }
        self.out.push_str("</figure>");
    }

    fn image(&mut self, url: &str, alt: &str, class: &str, share: Option<u8>) {
        let Some(img) = self.cx.images.get(url) else {
            self.text(alt);
            return;
        };
        self.out.push_str("<img src=\"");
        escape_into(&img.href, &mut self.out);
        self.out.push_str("\" alt=\"");
        escape_into(alt, &mut self.out);
        let _ = write!(self.out, "\" width=\"{}\" height=\"{}\"", img.width, img.height);
        // The share of the text's width the text asks for.
        if let Some(n) = share {
            let _ = write!(self.out, " style=\"width: {n}%; height: auto\"");
        }
        if !class.is_empty() {
            let _ = write!(self.out, " class=\"{class}\"");
        }
        self.out.push_str("/>");
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.scoped(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// Writes `content` as the inside of an element: raw HTML tags opened in
    /// it are closed before the element ends, and tags opened outside it
    /// cannot be closed from within.
    fn scoped(&mut self, content: &[Inline]) {
        let floor = std::mem::replace(&mut self.floor, self.open.len());
        self.inlines(content);
        self.close_open_tags();
        self.floor = floor;
    }

    /// Where a local link points in this edition: another text of the book,
    /// one of its headings (`other.md#a-heading`), or a heading of this text
    /// (`#a-heading`). A heading no text has leads to the text (`check`
    /// reports it).
    fn local_link(&self, url: &str) -> Option<String> {
        let fragment = url.split_once('#').map(|(_, f)| crate::input::assets::percent_decode(f));
        if url.starts_with('#') {
            let f = fragment?;
            return self.anchors.values().any(|a| *a == f).then(|| format!("#{}s-{f}", self.cx.anchor_prefix));
        }
        let rel = crate::input::assets::resolve_lexically(self.cx.dir, url).ok()?;
        let t = self.cx.links.get(&rel)?;
        Some(match fragment {
            Some(f) if t.anchors.contains(&f) => format!("{}{f}", t.heading),
            _ => t.href.clone(),
        })
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text { text, .. } => self.text(text),
            Inline::Emph(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strike(c) => self.wrap("del", c),
            Inline::Sub(c) => self.wrap("sub", c),
            Inline::Sup(c) => self.wrap("sup", c),
            Inline::Span { shown, .. } if !shown.contains(self.cx.flavor.medium()) => {}
            Inline::Span { content, style, lang, pos, .. } => {
                // Its id (what links to it lead to), how it is set, its language.
                let tag = if *style == Some(SpanStyle::Mark) { "mark" } else { "span" };
                self.open(tag, *pos);
                self.out.pop();
                match style {
                    Some(SpanStyle::SmallCaps) => self.out.push_str(" class=\"smallcaps\""),
                    Some(SpanStyle::Underline) => self.out.push_str(" class=\"underline\""),
                    Some(SpanStyle::Mark) | None => {}
                }
                if let Some(lang) = lang {
                    let l = escape(lang);
                    match self.cx.flavor {
                        Flavor::Epub => {
                            let _ = write!(self.out, " xml:lang=\"{l}\" lang=\"{l}\"");
                        }
                        Flavor::Html => {
                            let _ = write!(self.out, " lang=\"{l}\"");
                        }
                    }
                }
                self.out.push('>');
                self.scoped(content);
                let _ = write!(self.out, "</{tag}>");
            }
            Inline::Math { tex, mathml, tag, pos, .. } => {
                // A numbered equation: its id, what its cross-references
                // lead to, and its number beside it.
                if tag.is_some() {
                    self.open("span", *pos);
                    self.out.pop();
                    self.out.push_str(" class=\"equation\">");
                }
                match mathml {
                    // math-core's output: its tokens are escaped by it, and the
                    // element is well-formed XML (a test holds it to that).
                    Ok(mathml) => self.out.push_str(&allowed_in_xml(mathml)),
                    Err(_) => {
                        self.out.push_str(self.code_tag());
                        escape_into(tex, &mut self.out);
                        self.out.push_str("</code>");
                    }
                }
                if let Some(tag) = tag {
                    self.out.push_str("<span class=\"equation-number\">");
                    escape_into(tag, &mut self.out);
                    self.out.push_str("</span></span>");
                }
            }
            Inline::Code(code) => {
                self.out.push_str(self.code_tag());
                escape_into(code, &mut self.out);
                self.out.push_str("</code>");
            }
            Inline::Link { url, title, content, .. } => {
                let href =
                    if crate::input::assets::is_web_link(url) { Some(encode_url(url)) } else { self.local_link(url) };
                match href {
                    Some(h) => {
                        self.out.push_str("<a href=\"");
                        escape_into(&h, &mut self.out);
                        self.out.push('"');
                        if !title.is_empty() {
                            self.out.push_str(" title=\"");
                            escape_into(title, &mut self.out);
                            self.out.push('"');
                        }
                        self.out.push('>');
                        self.scoped(content);
                        self.out.push_str("</a>");
                    }
                    None => self.inlines(content),
                }
            }
            Inline::Image { url, alt, width, .. } => self.image(url, alt, "inline", *width),
            Inline::FootnoteRef { name, .. } => self.note_ref(name),
            Inline::Cite(c) => self.cite(c),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::LineBreak => self.out.push_str("<br/>\n"),
            Inline::Html { html, .. } => {
                if !self.cx.allow_html {
                    return;
                }
                match crate::input::markdown::allowed_inline_tag(html) {
                    Some(("br", _)) => self.out.push_str("<br/>"),
                    Some((tag, false)) => {
                        self.open.push(tag);
                        let _ = write!(self.out, "<{tag}>");
                    }
                    Some((tag, true)) if self.open.len() > self.floor && self.open.last() == Some(&tag) => {
                        self.open.pop();
                        let _ = write!(self.out, "</{tag}>");
                    }
                    _ => {}
                }
            }
        }
    }

    /// Closes the raw HTML tags opened in the current element and left open.
    fn close_open_tags(&mut self) {
        while self.open.len() > self.floor {
            let tag = self.open.pop().expect("above the floor");
            let _ = write!(self.out, "</{tag}>");
        }
    }

    fn note_ref(&mut self, name: &str) {
        if !self.notes.contains_key(name) {
            return;
        }
        let (n, k) = match self.order.iter_mut().find(|(m, ..)| m == name) {
            Some((_, n, refs)) => {
                *refs += 1;
                (*n, *refs)
            }
            None => {
                let n = self.order.len() + 1;
                self.order.push((name.to_string(), n, 1));
                (n, 1)
            }
        };
        let id = self.note_id(n);
        let back = if k == 1 { format!("ref-{id}") } else { format!("ref-{id}-{k}") };
        let semantics = match self.cx.flavor {
            Flavor::Epub => " epub:type=\"noteref\" role=\"doc-noteref\"",
            Flavor::Html => " role=\"doc-noteref\"",
        };
        let _ = write!(self.out, "<sup><a href=\"#{id}\" id=\"{back}\"{semantics}>{n}</a></sup>");
    }

    fn notes_section(&mut self) -> String {
        if self.order.is_empty() {
            return String::new();
        }
        let order = std::mem::take(&mut self.order);
        let mut out = String::new();
        out.push_str(match self.cx.flavor {
            Flavor::Epub => "<section class=\"notes\" epub:type=\"footnotes\">\n",
            Flavor::Html => "<section class=\"notes\">\n",
        });
        for (name, n, _) in &order {
            let Some(note) = self.notes.get(name.as_str()).copied() else { continue };
            let id = self.note_id(*n);
            let _ = match self.cx.flavor {
                Flavor::Epub => write!(out, "<aside id=\"{id}\" epub:type=\"footnote\" role=\"doc-footnote\">"),
                Flavor::Html => write!(out, "<aside id=\"{id}\" role=\"doc-footnote\">"),
            };
            self.out.clear();
            let _ =
                write!(self.out, "<p class=\"note-number\"><a href=\"#ref-{id}\" role=\"doc-backlink\">{n}.</a></p>");
            self.blocks(&note.blocks);
            self.close_open_tags();
            out.push_str(&self.out);
            out.push_str("</aside>\n");
        }
        self.out.clear();
        out.push_str("</section>\n");
        out
    }
}

#[cfg(test)]
mod tests;
