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
use crate::model::document::{Align, Block, Document, Footnote, Inline};

/// Which edition the markup is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// EPUB 3: `epub:type` semantics on notes.
    Epub,
    /// The web: plain HTML semantics.
    Html,
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
/// browsers do silently and EPUB reading systems may not.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_ascii_control() || " \"<>\\^`{|}".contains(c) {
            let _ = write!(out, "%{:02X}", c as u32);
        } else {
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
    /// The target `text` at `href`, its headings addressed as `heading` + `s-` + anchor.
    pub fn new(doc: &Document, href: String, heading: String) -> Self {
        Target { href, heading: format!("{heading}s-"), anchors: doc.anchors().into_values().collect() }
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
        anchors: doc.anchors(),
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
        for b in blocks {
            self.block(b);
            self.out.push('\n');
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Paragraph(inlines) => match inlines.as_slice() {
                [Inline::Image { url, alt, title, pos }] if self.cx.images.contains_key(url) => {
                    match self.anchors.get(pos).filter(|a| !a.is_empty()) {
                        // A figure with an id: what its cross-references lead to.
                        Some(a) => {
                            let _ = write!(self.out, "<figure id=\"{}s-", self.cx.anchor_prefix);
                            escape_into(a, &mut self.out);
                            self.out.push_str("\">");
                        }
                        None => self.out.push_str("<figure>"),
                    }
                    self.image(url, alt, "");
                    if !title.is_empty() {
                        self.out.push_str("<figcaption>");
                        self.text(title);
                        self.out.push_str("</figcaption>");
                    }
                    self.out.push_str("</figure>");
                }
                _ => {
                    self.out.push_str("<p>");
                    self.inlines(inlines);
                    self.close_open_tags();
                    self.out.push_str("</p>");
                }
            },
            Block::Heading { level, content, pos } => {
                let l = self.levels.get(pos).copied().unwrap_or(*level);
                match self.anchors.get(pos).filter(|a| !a.is_empty()) {
                    Some(a) => {
                        let _ = write!(self.out, "<h{l} id=\"{}s-", self.cx.anchor_prefix);
                        escape_into(a, &mut self.out);
                        self.out.push_str("\">");
                    }
                    None => {
                        let _ = write!(self.out, "<h{l}>");
                    }
                }
                self.inlines(content);
                self.close_open_tags();
                let _ = write!(self.out, "</h{l}>");
            }
            Block::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>");
            }
            Block::List { start, items, .. } => {
                let tag = match start {
                    Some(1) => {
                        self.out.push_str("<ol>");
                        "ol"
                    }
                    Some(n) => {
                        let _ = write!(self.out, "<ol start=\"{n}\">");
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
                match self.anchors.get(pos).filter(|a| !a.is_empty()) {
                    Some(a) => {
                        let _ = write!(self.out, "<table id=\"{}s-", self.cx.anchor_prefix);
                        escape_into(a, &mut self.out);
                        self.out.push_str("\">\n");
                    }
                    None => self.out.push_str("<table>\n"),
                }
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
                        // A header cell without text is no header (and
                        // assistive technology announces it as an error).
                        let empty = crate::model::document::plain_text(&cell.content).trim().is_empty();
                        let tag = if r < *head && !empty { "th" } else { "td" };
                        let _ = write!(self.out, "<{tag}");
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
            Block::Details { summary, blocks } => {
                self.out.push_str("<details><summary>");
                self.inlines(summary);
                self.close_open_tags();
                self.out.push_str("</summary>\n");
                self.blocks(blocks);
                self.out.push_str("</details>");
            }
            Block::Float { caption, blocks, pos, .. } => {
                match self.anchors.get(pos).filter(|a| !a.is_empty()) {
                    Some(a) => {
                        let _ = write!(self.out, "<figure id=\"{}s-", self.cx.anchor_prefix);
                        escape_into(a, &mut self.out);
                        self.out.push_str("\">\n");
                    }
                    None => self.out.push_str("<figure>\n"),
                }
                self.blocks(blocks);
                self.out.push_str("<figcaption>");
                self.inlines(caption);
                self.close_open_tags();
                self.out.push_str("</figcaption></figure>");
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

    fn image(&mut self, url: &str, alt: &str, class: &str) {
        let Some(img) = self.cx.images.get(url) else {
            self.text(alt);
            return;
        };
        self.out.push_str("<img src=\"");
        escape_into(&img.href, &mut self.out);
        self.out.push_str("\" alt=\"");
        escape_into(alt, &mut self.out);
        let _ = write!(self.out, "\" width=\"{}\" height=\"{}\"", img.width, img.height);
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
            Inline::Math { tex, mathml, .. } => match mathml {
                // math-core's output: its tokens are escaped by it, and the
                // element is well-formed XML (a test holds it to that).
                Ok(mathml) => self.out.push_str(&allowed_in_xml(mathml)),
                Err(_) => {
                    self.out.push_str(self.code_tag());
                    escape_into(tex, &mut self.out);
                    self.out.push_str("</code>");
                }
            },
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
            Inline::Image { url, alt, .. } => self.image(url, alt, "inline"),
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn convert(md: &str, lang: &str, allow_html: bool) -> Fragment {
        let doc = crate::input::markdown::parse(md, 1).document;
        let images =
            HashMap::from([("p.png".to_string(), ImageRef { href: "images/p.png".into(), width: 4, height: 3 })]);
        let other = crate::input::markdown::parse("## Part two\n\ntext", 1).document;
        let target = Target::new(&other, "other.xhtml".into(), "other.xhtml#".into());
        let links = HashMap::from([(PathBuf::from("contributions/other.md"), target)]);
        let mut doc = doc;
        crate::order::fix_document(&mut doc, lang);
        let cx = Context {
            flavor: Flavor::Epub,
            id_prefix: "s",
            images: &images,
            dir: std::path::Path::new("contributions"),
            links: &links,
            anchor_prefix: "",
            allow_html,
            first_heading: 2,
            rtl: crate::lang::is_rtl(lang),
            references: "References",
        };
        fragment(&doc, &cx)
    }

    #[test]
    fn code_in_right_to_left_text_reads_left_to_right() {
        let f = convert("گزینهٔ `--format json` را بزنید.\n\n```\nanthology check\n```\n", "fa", false);
        assert!(f.body.contains("<code dir=\"ltr\">--format json</code>"), "{}", f.body);
        assert!(f.body.contains("<pre dir=\"ltr\"><code>"), "{}", f.body);
        let f = convert("Run `--help`.", "en", false);
        assert!(f.body.contains("<code>--help</code>"), "{}", f.body);
    }

    #[test]
    fn elements() {
        let f = convert(
            "*a* **b** ~~c~~ `<d>` [x](https://e.org?a=1&b=2) [y](other.md) [z](javascript:alert(1))",
            "und",
            false,
        );
        assert_eq!(
            f.body,
            "<p><em>a</em> <strong>b</strong> <del>c</del> <code>&lt;d&gt;</code> <a href=\"https://e.org?a=1&amp;b=2\">x</a> <a href=\"other.xhtml\">y</a> z</p>\n"
        );
        let f = convert("## H\n\n1. a\n2. b\n\n> q\n\n---\n\n```rust\nx < y\n```", "und", false);
        assert_eq!(
            f.body,
            "<h2 id=\"s-h\">H</h2>\n<ol><li>a</li>\n<li>b</li>\n</ol>\n<blockquote>\n<p>q</p>\n</blockquote>\n<hr/>\n<pre><code class=\"language-rust\"><span class=\"hl-source hl-rust\">x <span class=\"hl-keyword hl-operator hl-comparison hl-rust\">&lt;</span> y</span></code></pre>\n"
        );
        let f = convert("![An image](p.png \"Caption\")", "und", false);
        assert_eq!(
            f.body,
            "<figure><img src=\"images/p.png\" alt=\"An image\" width=\"4\" height=\"3\"/><figcaption>Caption</figcaption></figure>\n"
        );
        let f = convert("| a | b |\n|:-|-:|\n| 1 | 2 |", "und", false);
        assert!(f.body.contains("<th>a</th><th class=\"right\">b</th>"), "{}", f.body);
        let f = convert("|   | b |\n|-|-|\n| 1 | 2 |", "und", false);
        assert!(f.body.contains("<thead>\n<tr><td></td><th>b</th></tr>"), "{}", f.body);
    }

    #[test]
    fn code_blocks_are_highlighted_when_their_language_is_known() {
        let f = convert("```rust\nlet x = \"<&>\"; // hi\n```\n\n```klingon\nqapla' <x>\n```", "und", false);
        assert!(f.body.contains("<pre><code class=\"language-rust\"><span class=\"hl-"), "{}", f.body);
        assert!(f.body.contains("&lt;&amp;&gt;") && f.body.contains("hl-comment"), "{}", f.body);
        assert!(f.body.contains("<pre><code class=\"language-klingon\">qapla' &lt;x&gt;</code></pre>"), "{}", f.body);
        // Characters XML forbids go, highlighted or not.
        let f = convert("```rust\nlet a = 1;\u{1}\n```", "und", false);
        assert!(!f.body.contains('\u{1}'), "{}", f.body);
    }

    #[test]
    fn links_reach_headings_of_this_text_and_others() {
        let f = convert("[a](other.md#part-two) [b](other.md#gone) [c](#mine) [d](#nowhere)\n\n## Mine", "und", false);
        assert!(f.body.contains("<a href=\"other.xhtml#s-part-two\">a</a>"), "{}", f.body);
        assert!(f.body.contains("<a href=\"other.xhtml\">b</a>"), "an unknown heading leads to the text: {}", f.body);
        assert!(f.body.contains("<a href=\"#s-mine\">c</a> d"), "{}", f.body);
        assert!(f.body.contains("<h2 id=\"s-mine\">Mine</h2>"), "{}", f.body);
    }

    #[test]
    fn notes_link_both_ways() {
        let f = convert("A[^n] and again[^n].\n\n[^n]: The note.", "und", false);
        assert_eq!(
            f.body,
            "<p>A<sup><a href=\"#fn-s-1\" id=\"ref-fn-s-1\" epub:type=\"noteref\" role=\"doc-noteref\">1</a></sup> and again<sup><a href=\"#fn-s-1\" id=\"ref-fn-s-1-2\" epub:type=\"noteref\" role=\"doc-noteref\">1</a></sup>.</p>\n"
        );
        assert!(f.notes.contains("<aside id=\"fn-s-1\" epub:type=\"footnote\" role=\"doc-footnote\"><p class=\"note-number\"><a href=\"#ref-fn-s-1\" role=\"doc-backlink\">1.</a></p><p>The note.</p>"), "{}", f.notes);
    }

    #[test]
    fn raw_html_is_dropped_or_whitelisted_and_balanced() {
        assert_eq!(convert("H<sub>2</sub>O <script>x</script>", "und", false).body, "<p>H2O x</p>\n");
        assert_eq!(convert("H<sub>2</sub>O <script>x</script>", "und", true).body, "<p>H<sub>2</sub>O x</p>\n");
        assert_eq!(convert("a <em>b <strong>c", "und", true).body, "<p>a <em>b <strong>c</strong></em></p>\n");
        assert_eq!(convert("a <sub onclick=\"x\">b</sub>", "und", true).body, "<p>a b</p>\n");
        // Raw tags stay inside the element they were opened in.
        assert_eq!(convert("*a <b>c* d", "und", true).body, "<p><em>a <b>c</b></em> d</p>\n");
        assert_eq!(convert("<b>a *c</b> d* e</b>", "und", true).body, "<p><b>a <em>c d</em> e</b></p>\n");
        assert_eq!(
            convert("[l <i>x](https://e.org) y</i>", "und", true).body,
            "<p><a href=\"https://e.org\">l <i>x</i></a> y</p>\n"
        );
        // A block goes through the sanitiser: its content stays, its handler does not.
        assert_eq!(convert("<div onclick=\"x\">\nblock\n</div>", "und", true).body, "<p>block</p>\n\n");
        assert_eq!(convert("<div onclick=\"x\">\nblock\n</div>", "und", false).body, "\n");
        assert_eq!(
            convert("<table><tr><th>a</th><th>b</th></tr><tr><td colspan=\"2\">c &amp; <script>x</script></td></tr></table>", "und", true).body,
            "<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n<tr><td colspan=\"2\">c &amp;</td></tr>\n</tbody>\n</table>\n\n"
        );
    }

    #[test]
    fn math_is_mathml_and_bad_math_is_code() {
        let body = convert("Let $a < b$ hold.", "en", false).body;
        assert!(body.starts_with("<p>Let <math xmlns=\"http://www.w3.org/1998/Math/MathML\">"), "{body}");
        assert!(body.contains("&lt;") && !body.contains("a < b"), "{body}");
        well_formed(&body).unwrap();
        let body = convert("Bad $\\frac{a$ math.", "en", false).body;
        assert_eq!(body, "<p>Bad <code>\\frac{a</code> math.</p>\n");
    }

    #[test]
    fn web_addresses_are_valid_urls() {
        assert_eq!(encode_url(" https://e.org/a b#{x}|\"y\" "), "https://e.org/a%20b#%7Bx%7D%7C%22y%22");
        assert_eq!(encode_url("https://e.org/é?q=1&r=%20"), "https://e.org/é?q=1&r=%20");
    }

    #[test]
    fn typography_applies() {
        assert_eq!(convert("Il dit \"oui\"?", "fr", false).body, "<p>Il dit «\u{202f}oui\u{202f}»\u{202f}?</p>\n");
    }

    fn well_formed(xml: &str) -> Result<(), String> {
        if let Some(c) = xml.chars().find(|c| ((*c as u32) < 0x20 && !"\t\n\r".contains(*c)) || *c == '\u{fffe}') {
            return Err(format!("character {:?} is not allowed in XML", c));
        }
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(format!("{e}: {xml}")),
            }
        }
        if depth == 0 { Ok(()) } else { Err(format!("unbalanced: {xml}")) }
    }

    proptest! {
        #[test]
        fn any_essay_gives_well_formed_xml(
            md in proptest::collection::vec(prop_oneof![
                Just("<b>".to_string()), Just("</b>".to_string()), Just("<em>".to_string()), Just("</sub>".to_string()),
                Just("<div>\n".to_string()), Just("&amp; &#0; &nbsp; &bogus;".to_string()), Just("[^1]".to_string()),
                Just("\n\n[^1]: note <i>".to_string()), Just("*".to_string()), Just("`".to_string()),
                Just("\n> ".to_string()), Just("\n- ".to_string()), Just("\n| a |\n|-|\n| b |\n".to_string()),
                Just("![x](p.png)".to_string()), Just("[l](http://e.org/\"><script>)".to_string()),
                Just("\n```rust\n".to_string()), Just("\n```html\n<b>\n".to_string()), Just("\n```\n".to_string()),
                Just("\u{0}\u{1}\u{b}\u{fffe}".to_string()), "[ -~]{1,6}", "[éß€😀\u{202e}]{1,2}",
            ], 1..25),
            allow in any::<bool>(),
        ) {
            let f = convert(&md.concat(), "en", allow);
            let doc = format!("<div xmlns:epub=\"http://www.idpf.org/2007/ops\">{}{}</div>", f.body, f.notes);
            prop_assert!(well_formed(&doc).is_ok(), "{:?}", well_formed(&doc));
        }
    }
}
