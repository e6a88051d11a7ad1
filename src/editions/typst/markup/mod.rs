//! Essay text to typst markup, with nothing an author writes able to become
//! typst code.
//!
//! Text is escaped character by character: every character typst's markup
//! gives a meaning to gets a backslash, newlines become spaces, control
//! characters are dropped. Structure is emitted in function-call form ending
//! in `;` (`#emph[…];`), so that a following `(` or `[` written by the author
//! is never taken as an argument. Strings in code (URLs, code, alt text) go
//! through [`string_literal`]. Text comes already set in its language's
//! typography (see [`crate::order`]), and is escaped after that.

mod links;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

pub use super::escape::{escape, escape_into, string_literal};
use crate::model::book::Essay;
use crate::model::document::{Align, Block, Document, FigureView, Footnote, Inline, Medium, Numbering, SpanStyle};
pub use links::Links;
use links::{essay_label, heading_label};

/// Images referenced by the generated markup: for each file of the book
/// (relative to its root), its virtual path and the largest size, in pixels
/// on the longer side, at which the book prints it.
///
/// Virtual paths have no extension: typst then recognises the format from
/// the bytes, which may be a JPEG made from the author's PNG or WebP.
#[derive(Debug, Default, Clone)]
pub struct Assets {
    by_file: BTreeMap<PathBuf, (String, u32)>,
}

impl Assets {
    /// The virtual path under which `file` is served to typst, printed at
    /// most `max` pixels wide or high (the largest of the uses wins).
    pub fn register(&mut self, file: &std::path::Path, max: u32) -> String {
        let n = self.by_file.len();
        let entry = self.by_file.entry(file.to_path_buf()).or_insert_with(|| (format!("/assets/{n}"), max));
        entry.1 = entry.1.max(max);
        entry.0.clone()
    }

    /// Every registered file with its virtual path and size.
    pub fn iter(&self) -> impl Iterator<Item = (&PathBuf, &(String, u32))> {
        self.by_file.iter()
    }
}

/// Converts one text (essay, front or back matter, intro, bio) to markup.
pub struct Writer<'a> {
    out: String,
    /// Prefix of footnote labels: unique in the book.
    label_prefix: String,
    levels: HashMap<crate::model::document::Pos, u8>,
    /// Each heading's anchor, by position.
    anchors: HashMap<crate::model::document::Pos, String>,
    /// The essays links can reach, and where this text is.
    links: Option<(&'a Links, &'a std::path::Path)>,
    /// The slug of this text when it is an essay others can link to.
    own: Option<String>,
    /// Raw HTML tags open (when the rules allow them), innermost last.
    open: Vec<&'static str>,
    /// Tags below this index were opened outside the current content and
    /// are closed there, not inside it.
    floor: usize,
    notes: HashMap<&'a str, &'a Footnote>,
    seen_notes: HashSet<String>,
    images: &'a HashMap<String, String>,
    lines: Vec<(usize, u32)>,
    /// The heading of the text's bibliography ("References").
    references: String,
    /// The level the text's first headings are set at.
    first_heading: u8,
}

/// Generated markup with, for each offset where a source line starts to be
/// written, that line of the text's file: typst's errors are reported there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generated {
    /// The markup.
    pub text: String,
    /// `(offset in text, line in the source file)`, by increasing offset.
    pub lines: Vec<(usize, u32)>,
}

impl Generated {
    /// The source line that produced the markup at `offset`.
    pub fn line_at(&self, offset: usize) -> Option<u32> {
        line_at(&self.lines, offset)
    }
}

/// The source line that produced the markup at `offset`, from a line map.
pub fn line_at(lines: &[(usize, u32)], offset: usize) -> Option<u32> {
    let i = lines.partition_point(|(o, _)| *o <= offset);
    i.checked_sub(1).map(|i| lines[i].1)
}

fn label_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

impl<'a> Writer<'a> {
    /// A writer for `doc`. `label_prefix` makes footnote labels unique;
    /// `images` maps an image reference as written to its virtual path and
    /// media extension; headings start at `first_heading`.
    pub fn new(doc: &'a Document, label_prefix: &str, images: &'a HashMap<String, String>, first_heading: u8) -> Self {
        Writer {
            out: String::new(),
            label_prefix: label_part(label_prefix),
            anchors: doc.anchors_in(Medium::Print),
            links: None,
            own: None,
            open: Vec::new(),
            floor: 0,
            levels: doc.heading_levels(first_heading),
            notes: doc.footnotes.iter().map(|f| (f.name.as_str(), f)).collect(),
            seen_notes: HashSet::new(),
            images,
            lines: Vec::new(),
            references: String::new(),
            first_heading,
        }
    }

    /// The text's bibliography, if it has one, is headed `heading`.
    pub fn with_references(mut self, heading: &str) -> Self {
        self.references = heading.to_string();
        self
    }

    /// Links to the book's essays resolve through `links`, from the folder
    /// `dir`; `own` is this text's slug when it is one of them (its start and
    /// its headings get labels that links reach).
    pub fn with_links(mut self, links: &'a Links, dir: &'a std::path::Path, own: Option<&str>) -> Self {
        self.links = Some((links, dir));
        self.own = own.map(label_part);
        self
    }

    /// The markup of the whole document.
    pub fn document(mut self, doc: &Document) -> Generated {
        if let Some(slug) = &self.own {
            let _ = write!(self.out, "#metadata(none)<{}>", essay_label(slug));
        }
        self.blocks(&doc.blocks);
        if let Some(b) = &doc.bibliography {
            self.bibliography(b);
        }
        Generated { text: self.out, lines: self.lines }
    }

    /// The bibliography after the text: a heading at the level of the text's
    /// first headings, then each entry as a paragraph with a hanging indent,
    /// its label (`[1]`) in a box the width of the indent.
    fn bibliography(&mut self, b: &crate::model::document::Bibliography) {
        let level = self.first_heading;
        let _ = write!(self.out, "#heading(level: {level}, outlined: false, bookmarked: false)");
        let heading = self.references.clone();
        self.content(|w| w.text(&heading));
        self.out.push_str(";\n\n");
        let labelled = b.entries.iter().any(|e| e.label.is_some());
        let indent = if labelled {
            "2.6em"
        } else if b.hanging_indent {
            "1.5em"
        } else {
            "0em"
        };
        let _ = writeln!(
            self.out,
            "#block(width: 100%)[#set par(first-line-indent: 0em, hanging-indent: {indent}, justify: false, spacing: 0.7em);"
        );
        for e in &b.entries {
            if let Some(label) = &e.label {
                let _ = write!(self.out, "#box(width: {indent})");
                self.content(|w| w.inlines(label));
                self.out.push(';');
            }
            self.inlines(&e.content);
            self.close_open_tags();
            self.out.push_str("\n\n");
        }
        self.out.push_str("];\n\n");
    }

    fn at(&mut self, pos: crate::model::document::Pos) {
        if pos.line > 0 && self.lines.last().is_none_or(|(_, l)| *l != pos.line) {
            self.lines.push((self.out.len(), pos.line));
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
            self.close_open_tags();
            self.out.push_str("\n\n");
        }
    }

    /// `head` (a typst call) with, as its content, `title` in bold and then
    /// `blocks`: a callout, an abstract, a summary and what it discloses.
    fn titled(&mut self, head: &str, title: &[Inline], blocks: &[Block]) {
        self.out.push_str(head);
        self.content(|w| {
            w.out.push_str("#strong");
            w.content(|w| w.inlines(title));
            w.out.push_str(";\n\n");
            w.blocks(blocks);
        });
        self.out.push(';');
    }

    /// `[…]` around what `f` writes; raw HTML tags opened inside are closed
    /// before the `]`, so brackets always balance.
    fn content(&mut self, f: impl FnOnce(&mut Self)) {
        self.out.push('[');
        let floor = std::mem::replace(&mut self.floor, self.open.len());
        f(self);
        self.close_open_tags();
        self.floor = floor;
        self.out.push(']');
    }

    /// Closes the raw HTML tags opened in the current content.
    fn close_open_tags(&mut self) {
        while self.open.len() > self.floor {
            self.open.pop();
            self.out.push_str("];");
        }
    }

    /// An allowed inline HTML tag (`<sub>`, `</em>`…) as the typst element
    /// that sets the same thing; other tags are left out (`check` says so).
    fn html_tag(&mut self, html: &str) {
        if !self.links.is_some_and(|(l, _)| l.allow_html) {
            return;
        }
        let Some((tag, closing)) = crate::input::markdown::allowed_inline_tag(html) else { return };
        if tag == "br" {
            self.out.push_str("#linebreak();");
        } else if !closing {
            let call = match tag {
                "sub" => "sub",
                "sup" => "super",
                "em" | "i" | "cite" => "emph",
                "strong" | "b" => "strong",
                "u" | "ins" => "underline",
                "s" | "del" => "strike",
                "small" => "text(size: 0.85em)",
                "mark" => "highlight",
                "kbd" | "code" => "text(font: \"DejaVu Sans Mono\", size: 0.9em)",
                "q" => "quote",
                _ => "",
            };
            let _ = write!(self.out, "#{call}[");
            self.open.push(tag);
        } else if self.open.len() > self.floor && self.open.last() == Some(&tag) {
            self.open.pop();
            self.out.push_str("];");
        }
    }

    /// The end of the element just written: the label of what starts at
    /// `pos` when links and references reach it (a heading, a figure, a
    /// table), else `;`. A label, then the blank line that ends the block:
    /// nothing can follow it as an argument.
    fn end(&mut self, pos: crate::model::document::Pos) {
        match (&self.own, self.anchors.get(&pos)) {
            (Some(slug), Some(a)) if !a.is_empty() => {
                let _ = write!(self.out, "<{}>", heading_label(slug, a));
            }
            _ => self.out.push(';'),
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            // An image alone is a figure even when it cannot be printed (its
            // alternative text stands for it); one in a link only when it can.
            Block::Paragraph(inlines) => match FigureView::of(inlines, |p| self.anchors.contains_key(&p))
                .filter(|f| f.link.is_none() || self.images.contains_key(f.url))
            {
                Some(figure) => self.figure(&figure),
                None => self.inlines(inlines),
            },
            Block::Heading { level, content, pos } => {
                self.at(*pos);
                let level = self.levels.get(pos).copied().unwrap_or(*level);
                let _ = write!(self.out, "#heading(level: {level}, outlined: false, bookmarked: false)");
                self.content(|w| w.inlines(content));
                self.end(*pos);
            }
            Block::Quote(blocks) => {
                self.out.push_str("#quote(block: true)");
                self.content(|w| w.blocks(blocks));
                self.out.push(';');
            }
            Block::List { start, numbering, tight, items } => {
                match start {
                    Some(n) => {
                        let _ = write!(self.out, "#enum(start: {n}, tight: {tight}");
                        if *numbering != Numbering::Decimal {
                            let _ = write!(self.out, ", numbering: \"{}\"", numbering.typst_pattern());
                        }
                    }
                    None => {
                        let _ = write!(self.out, "#list(tight: {tight}");
                    }
                }
                for item in items {
                    self.out.push_str(", ");
                    self.content(|w| w.blocks(item));
                }
                self.out.push_str(");");
            }
            Block::Code { lang, text } => {
                self.out.push_str("#raw(");
                self.out.push_str(&string_literal(text.trim_end_matches('\n')));
                self.out.push_str(", block: true");
                if let Some(l) =
                    lang.as_deref().filter(|l| l.chars().all(|c| c.is_ascii_alphanumeric() || "+-_#".contains(c)))
                {
                    let _ = write!(self.out, ", lang: {}", string_literal(l));
                }
                self.out.push_str(");");
            }
            Block::Table { align, head, rows, caption, pos } => {
                if !caption.is_empty() {
                    // Above the table and kept with it; cross-references reach it.
                    self.out.push_str("#block(width: 100%, sticky: true, below: 0.6em)");
                    self.content(|w| {
                        w.out.push_str("#emph");
                        w.content(|w| w.inlines(caption));
                        w.out.push(';');
                    });
                    self.end(*pos);
                    self.out.push_str("\n\n");
                }
                let (cols, pads) = crate::model::document::table_grid(rows);
                let aligns: Vec<&str> = (0..cols)
                    .map(|c| match align.get(c) {
                        Some(Align::Center) => "center",
                        Some(Align::Right) => "end",
                        _ => "start",
                    })
                    .collect();
                let _ = write!(self.out, "#table(columns: {cols}, align: ({},)", aligns.join(", "));
                for (r, (row, pad)) in rows.iter().zip(&pads).enumerate() {
                    if r == 0 && *head > 0 {
                        // A header typst repeats on the next page is an
                        // artifact there, and PDF/UA-1 allows no link in one.
                        let linked = rows[..*head].iter().flatten().any(|c| links_in(&c.content));
                        self.out.push_str(if linked { ", table.header(repeat: false, " } else { ", table.header(" });
                    }
                    let mut first = r == 0 && *head > 0;
                    let mut sep = |out: &mut String| {
                        if !std::mem::take(&mut first) {
                            out.push_str(", ");
                        }
                    };
                    for cell in row {
                        sep(&mut self.out);
                        // A row's header is tagged as one (the header rows' cells are by typst).
                        let row_header = cell.heads_row(r, *head);
                        if row_header {
                            self.out.push_str("pdf.header-cell(scope: \"row\", ");
                        }
                        if cell.colspan > 1 || cell.rowspan > 1 {
                            let _ =
                                write!(self.out, "table.cell(colspan: {}, rowspan: {})", cell.colspan, cell.rowspan);
                        }
                        self.content(|w| w.inlines(&cell.content));
                        if row_header {
                            self.out.push(')');
                        }
                    }
                    // Short rows are padded so that cells stay in their columns.
                    for _ in 0..*pad {
                        sep(&mut self.out);
                        self.out.push_str("[]");
                    }
                    if r + 1 == *head {
                        self.out.push(')');
                    }
                }
                self.out.push(')');
                if caption.is_empty() {
                    self.end(*pos);
                } else {
                    self.out.push(';');
                }
            }
            Block::Term { term, blocks } => {
                // typst's term list: the term in bold, its definition indented.
                self.out.push_str("#terms(terms.item");
                self.content(|w| w.inlines(term));
                self.content(|w| w.blocks(blocks));
                self.out.push_str(");");
            }
            Block::Details { summary, blocks } => {
                // Print cannot fold: the summary, then what it discloses.
                self.titled("#block(width: 100%)", summary, blocks);
            }
            Block::Float { caption, blocks, pos, .. } => {
                // A block that may break across pages, its caption below.
                self.out.push_str("#block(width: 100%)");
                self.content(|w| {
                    w.blocks(blocks);
                    w.out.push_str("\n\n#align(center, emph");
                    w.content(|w| w.inlines(caption));
                    w.out.push_str(");");
                });
                self.end(*pos);
            }
            Block::Callout { kind: crate::model::document::CalloutKind::Abstract, title, blocks } => {
                // An abstract is set in from both margins, under its title.
                self.titled("#block(width: 100%, breakable: true, inset: (x: 2em, y: 0.4em))", title, blocks);
            }
            Block::Callout { kind, title, blocks } => {
                // An included text sees typst's own functions only: the box
                // is written here, bordered all round so that it reads the
                // same in either direction.
                let colour = match kind {
                    crate::model::document::CalloutKind::Note => "#2a5ca8",
                    crate::model::document::CalloutKind::Tip => "#2e7d32",
                    crate::model::document::CalloutKind::Warning => "#9a5b00",
                    crate::model::document::CalloutKind::Important => "#6a1b9a",
                    crate::model::document::CalloutKind::Caution | crate::model::document::CalloutKind::Abstract => {
                        "#b0302a"
                    }
                };
                let head = format!(
                    "#block(width: 100%, breakable: true, inset: (x: 0.8em, y: 0.6em), radius: 2pt, fill: rgb(\"{colour}\").lighten(92%), stroke: 0.8pt + rgb(\"{colour}\"))"
                );
                self.titled(&head, title, blocks);
            }
            Block::Rule => self.out.push_str("#divider();"),
            Block::Only { shown, blocks, .. } => {
                if shown.contains(Medium::Print) {
                    self.blocks(blocks);
                }
            }
            // Raw HTML reaches the editions only when the rules allow it, as
            // the blocks the sanitiser's output was read into at load.
            Block::Html { content, pos, .. } => {
                if self.links.is_some_and(|(l, _)| l.allow_html) {
                    self.at(*pos);
                    self.blocks(content);
                }
            }
        }
    }

    /// A figure, labelled when it has an id (what its cross-references lead
    /// to), its picture a link when it has one to the web.
    fn figure(&mut self, f: &FigureView<'_>) {
        let FigureView { url, alt, title, pos, width: share, link } = *f;
        let web = link.filter(|to| crate::input::assets::is_web_link(to));
        self.at(pos);
        let Some(path) = self.images.get(url) else {
            escape_into(alt, &mut self.out);
            return;
        };
        let image =
            format!("image({}, width: {}%, alt: {})", string_literal(path), share.unwrap_or(100), string_literal(alt));
        let _ = match web {
            Some(to) => write!(self.out, "#figure(link({}, {image})", string_literal(to)),
            None => write!(self.out, "#figure({image}"),
        };
        if !title.is_empty() {
            self.out.push_str(", caption: ");
            self.content(|w| escape_into(title, &mut w.out));
        }
        self.out.push(')');
        self.end(pos);
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn text(&mut self, t: &str) {
        escape_into(t, &mut self.out);
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text { text, pos } => {
                self.at(*pos);
                self.text(text)
            }
            Inline::Emph(c) => self.call("emph", c),
            Inline::Strong(c) => self.call("strong", c),
            Inline::Strike(c) => self.call("strike", c),
            Inline::Sub(c) => self.call("sub", c),
            Inline::Sup(c) => self.call("super", c),
            Inline::Span { shown, .. } if !shown.contains(Medium::Print) => {}
            Inline::Span { content, style, lang, pos, .. } => {
                self.at(*pos);
                let set = |w: &mut Self| match style {
                    Some(SpanStyle::SmallCaps) => w.call("smallcaps", content),
                    Some(SpanStyle::Underline) => w.call("underline", content),
                    Some(SpanStyle::Mark) => w.call("highlight", content),
                    None => {
                        w.out.push('#');
                        w.content(|w| w.inlines(content));
                        w.out.push(';');
                    }
                };
                match lang {
                    Some(tag) => {
                        let (l, region) = crate::lang::lang_region(tag);
                        let region = region.map(|r| format!(", region: {}", string_literal(&r))).unwrap_or_default();
                        let _ = write!(self.out, "#text(lang: {}{region})", string_literal(&l));
                        self.content(|w| set(w));
                        self.out.push(';');
                    }
                    None => set(self),
                }
                // A span with an id: what links to it lead to.
                if self.out.ends_with(';') && matches!(self.anchors.get(pos), Some(a) if !a.is_empty()) {
                    self.out.pop();
                    self.end(*pos);
                }
            }
            Inline::Math { tex, display, mathml, pos, tag } => {
                self.at(*pos);
                self.math(tex, *display, mathml.as_deref().ok(), tag.as_deref());
                // A numbered equation: what its cross-references lead to.
                if tag.is_some() && self.out.ends_with(';') {
                    self.out.pop();
                    self.end(*pos);
                }
            }
            Inline::Code(code) => self.inline_code(code),
            Inline::Link { url, content, .. } => {
                if crate::input::assets::is_web_link(url) {
                    let _ = write!(self.out, "#link({})", string_literal(url.trim()));
                    self.content(|w| w.inlines(content));
                    self.out.push(';');
                } else {
                    match self.local_target(url) {
                        Some((label, web)) => self.internal_link(&label, web.as_deref(), content),
                        None => self.inlines(content),
                    }
                }
            }
            Inline::Image { url, alt, pos, .. } => match self.images.get(url) {
                Some(path) => {
                    self.at(*pos);
                    let _ = write!(
                        self.out,
                        "#box(image({}, height: 1.2em, alt: {}));",
                        string_literal(path),
                        string_literal(alt)
                    );
                }
                None => escape_into(alt, &mut self.out),
            },
            Inline::FootnoteRef { name, .. } => self.footnote(name),
            // Set in the book's style once; the reader finds the entry by its label.
            Inline::Cite(c) => c.rendered.iter().for_each(|p| self.inlines(&p.content)),
            Inline::SoftBreak => self.out.push(' '),
            Inline::LineBreak => self.out.push_str("#linebreak();"),
            Inline::Html { html, .. } => self.html_tag(html),
        }
    }

    /// The label a local link reaches: another essay (`other.md`), one of its
    /// headings (`other.md#a-heading`), or a heading of this text (`#a-heading`).
    /// With it, where the link leads from an offprint that does not hold
    /// its target (see [`Links::web`]).
    fn local_target(&self, url: &str) -> Option<(String, Option<String>)> {
        let (links, dir) = self.links?;
        let fragment = url.split_once('#').map(|(_, f)| crate::input::assets::percent_decode(f));
        if url.starts_with('#') {
            let (slug, f) = (self.own.as_ref()?, fragment?);
            // A heading of this essay is in its offprint too.
            return self.anchors.values().any(|a| *a == f).then(|| (heading_label(slug, &f), None));
        }
        let rel = crate::input::assets::resolve_lexically(dir, url).ok()?;
        let (slug, anchors) = links.essays.get(&rel)?;
        Some(match fragment {
            Some(f) if anchors.contains(&f) => (heading_label(&label_part(slug), &f), links.web(slug, Some(&f))),
            _ => (essay_label(&label_part(slug)), links.web(slug, None)),
        })
    }

    /// A link inside the book, with the page it leads to: in print, a reader
    /// cannot click, so the page is printed after the text ("(p. 37)"). In an
    /// offprint, where the target is not, the page the book prints comes from
    /// `/offprint.json`, and the text links to `web` (the essay on the site,
    /// or the whole book) when there is one.
    fn internal_link(&mut self, label: &str, web: Option<&str>, content: &[Inline]) {
        let at = self.out.len();
        self.content(|w| w.inlines(content));
        let text = self.out.split_off(at);
        let elsewhere = match web {
            Some(url) => format!("link({}){text}", string_literal(url)),
            None => text.clone(),
        };
        let page = self.links.map_or(String::new(), |(l, _)| escape(&l.page));
        // A book set piece by piece gives where the target is in
        // `/piece.json` (see `pieces`); one set whole finds it with a query.
        let _ = write!(
            self.out,
            "#context {{ let q = query(<{label}>); let pc = json(\"/piece.json\"); \
             let at = if pc == none {{ none }} else {{ pc.targets.at(\"{label}\", default: none) }}; \
             if at != none {{ if q.len() > 0 {{ link(q.first().location()){text} }} else {{ link((page: at.page, x: at.x * 1pt, y: at.y * 1pt)){text} }}; \
             [ (#[{page}]~#at.printed)] }} \
             else if q.len() > 0 {{ let l = q.first().location(); let n = l.page-numbering(); \
             link(l){text}; [ (#[{page}]~#(if n == none {{ str(l.page()) }} else {{ numbering(n, ..counter(page).at(l)) }}))] }} \
             else {{ let o = json(\"/offprint.json\"); let p = if o == none {{ none }} else {{ o.at(\"link_pages\", default: (:)).at(\"{label}\", default: none) }}; \
             {elsewhere}; if p != none [ (#[{page}]~#p)] }} }};"
        );
    }

    /// Inline code, with a place to break the line after its punctuation
    /// (`std::collections::` / `HashMap`): a long name or path would
    /// otherwise stretch a justified line. The break is a hundredth of a
    /// point of spacing between pieces (typst drops spacing of zero), so
    /// nothing is added to the text a reader copies.
    fn inline_code(&mut self, code: &str) {
        for (i, piece) in breakable_pieces(code).into_iter().enumerate() {
            if i > 0 {
                self.out.push_str("#h(0.01pt);");
            }
            let _ = write!(self.out, "#raw({});", string_literal(piece));
        }
    }

    /// A formula, as typst math made from the MathML the other editions
    /// show; its LaTeX is the equation's alternative text. LaTeX that cannot
    /// be read (`check` refuses it) is printed as code.
    fn math(&mut self, tex: &str, display: bool, mathml: Option<&str>, tag: Option<&str>) {
        let body = mathml.and_then(super::math::from_mathml);
        match body {
            Some(body) => {
                let pad = if display { " " } else { "" };
                // Its number as the text gave it, not typst's own count.
                let numbering = tag.map(|t| format!("numbering: (..n) => {}, ", string_literal(t))).unwrap_or_default();
                let _ = write!(
                    self.out,
                    "#math.equation(block: {display}, {numbering}alt: {}, ${pad}{body}{pad}$);",
                    string_literal(tex.trim())
                );
            }
            None => self.inline_code(tex),
        }
    }

    fn call(&mut self, f: &str, content: &[Inline]) {
        let _ = write!(self.out, "#{f}");
        self.content(|w| w.inlines(content));
        self.out.push(';');
    }

    fn footnote(&mut self, name: &str) {
        let label = format!("fn-{}-{}", self.label_prefix, label_part(name));
        if !self.seen_notes.insert(name.to_string()) {
            let _ = write!(self.out, "#footnote(<{label}>);");
            return;
        }
        let Some(note) = self.notes.get(name).copied() else { return };
        self.out.push_str("#footnote");
        self.content(|w| {
            for (k, b) in note.blocks.iter().enumerate() {
                if k > 0 {
                    w.out.push_str("\n\n");
                }
                w.block(b);
            }
        });
        let _ = write!(self.out, "<{label}>");
    }
}

/// Inline code shorter than this never breaks.
const BREAKABLE_CODE: usize = 12;

/// `code` cut after each run of punctuation that a letter or digit follows,
/// when it is long enough to need a break; whole otherwise.
fn breakable_pieces(code: &str) -> Vec<&str> {
    if code.chars().count() < BREAKABLE_CODE {
        return vec![code];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in code.char_indices() {
        if prev.is_some_and(|p| p.is_ascii_punctuation() && p != '\'' && p != '"') && c.is_alphanumeric() {
            pieces.push(&code[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    pieces.push(&code[start..]);
    pieces
}

/// Markup of a text's body. `images` maps references as written to virtual
/// paths; its links to the book's essays resolve through `links`.
/// Its bibliography, if it has one, is headed `references`.
pub fn essay_body(
    essay: &Essay,
    images: &HashMap<String, String>,
    first_heading: u8,
    links: &Links,
    references: &str,
) -> Generated {
    let own = (essay.kind == crate::model::book::Kind::Essay).then_some(essay.slug.as_str());
    Writer::new(&essay.body, &essay.slug, images, first_heading)
        .with_links(links, &essay.dir, own)
        .with_references(references)
        .document(&essay.body)
}

/// Markup of a short text (a bio), without images.
pub fn short_text(doc: &Document, label_prefix: &str) -> String {
    let none = HashMap::new();
    let out = Writer::new(doc, label_prefix, &none, 4).document(doc);
    out.text.trim_end().to_string()
}

/// Whether `inlines` hold what the PDF makes a link: a link, a citation or
/// a footnote's mark.
fn links_in(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Link { .. } | Inline::Cite(_) | Inline::FootnoteRef { .. } => true,
        other => other.styled().is_some_and(|c| links_in(c)),
    })
}

#[cfg(test)]
mod tests;
