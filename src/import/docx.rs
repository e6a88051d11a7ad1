//! `anthology import docx`: Word documents, as Word, LibreOffice and Google
//! Docs write them.
//!
//! A DOCX is a zip of XML parts: the text (`word/document.xml`), its styles,
//! its list definitions, its footnotes and endnotes, the relationships that
//! name its links and images, and its properties (`docProps/core.xml`). They
//! are read with the zip crate and quick-xml, within limits (a zip bomb, an
//! entry named `../x`, a DTD, a part too large and an image that is not one
//! are refused, and nothing is written), and the text is written as this
//! book's Markdown: headings by style, paragraphs, bold, italic, underline
//! (as emphasis), strikethrough, super- and subscripts, links, nested lists,
//! tables, footnotes and endnotes, block quotes by style, line breaks and
//! images, extracted beside the essay with their descriptions as alt text.
//! Quotes are kept as written. What Markdown cannot hold (tracked changes,
//! comments, text boxes, equations, fields, merged cells) is a diagnostic.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use super::{Import, ImportError, Imported};
use crate::diagnostic::{Code, Diagnostic, Location};

/// The most entries a document's zip may have.
const MAX_ENTRIES: usize = 5_000;
/// The most bytes one part may expand to.
const MAX_PART: u64 = 64 * 1024 * 1024;
/// The most bytes all the parts read may expand to together.
const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// The most a part may expand, compared with its compressed size.
const MAX_RATIO: u64 = 200;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--slug`: the contribution's name (one document only).
    pub slug: Option<String>,
    /// `--section`: the section it goes in.
    pub section: Option<String>,
    /// Whether the book allows raw HTML: super- and subscripts are written
    /// as `<sup>` and `<sub>`, which need it.
    pub allow_html: bool,
}

/// The documents `files` as contributions.
pub fn import(files: &[PathBuf], opts: &Options) -> Result<Import, ImportError> {
    let mut out = Import::default();
    if opts.slug.is_some() && files.len() > 1 {
        return Err(ImportError::Refused { path: files[0].clone(), why: "--slug names one document only".into() });
    }
    for file in files {
        let shown = PathBuf::from(file.file_name().unwrap_or_default());
        let doc = Docx::open(file)?;
        let mut notes = Vec::new();
        let converted = doc.convert(opts, &mut |what: String, hint: &str| {
            notes.push(Diagnostic::new(Code::ImportLeftOut, Location::file(&shown), what).hint(hint.to_string()));
        });
        let (front, body, images) = converted.map_err(|why| ImportError::Refused { path: file.clone(), why })?;
        let slug = opts.slug.clone().unwrap_or_else(|| {
            let s = crate::lang::slug::slugify(&front.title);
            if s.is_empty() {
                crate::lang::slug::slugify(&file.file_stem().unwrap_or_default().to_string_lossy())
            } else {
                s
            }
        });
        let folder = PathBuf::from("contributions");
        let target =
            if images.is_empty() { folder.join(format!("{slug}.md")) } else { folder.join(&slug).join("index.md") };
        for (name, bytes) in images {
            out.files.push((folder.join(&slug).join(name), bytes));
        }
        let mut toml = format!("title = {}\n", toml::Value::String(front.title.clone()));
        if let Some(s) = &front.subtitle {
            toml.push_str(&format!("subtitle = {}\n", toml::Value::String(s.clone())));
        }
        if let Some(s) = &opts.section {
            toml.push_str(&format!("section = {}\n", toml::Value::String(s.clone())));
        }
        for a in &front.authors {
            toml.push_str(&format!("\n[[authors]]\nname = {}\n", toml::Value::String(a.clone())));
        }
        if front.authors.is_empty() {
            notes.push(
                Diagnostic::new(
                    Code::ImportLeftOut,
                    Location::file(&shown),
                    "no author found: neither the document's author property nor a \"By …\" line",
                )
                .hint("add [[authors]] to the contribution's front matter"),
            );
        }
        out.diagnostics.extend(notes);
        out.essays.push(Imported {
            source: file.clone(),
            target,
            title: front.title,
            authors: front.authors,
            text: format!("+++\n{toml}+++\n\n{body}"),
            update: false,
        });
    }
    if let Some(first) = files.first() {
        out.root = first.parent().unwrap_or(Path::new(".")).to_path_buf();
    }
    Ok(out)
}

/// What the front matter gets.
struct Front {
    title: String,
    subtitle: Option<String>,
    authors: Vec<String>,
}

/// The parts of a document, read.
struct Docx {
    document: String,
    styles: HashMap<String, Style>,
    numbering: HashMap<String, Vec<bool>>,
    rels: HashMap<String, (String, bool)>,
    notes: HashMap<(bool, String), String>,
    core_title: Option<String>,
    core_creator: Option<String>,
    media: HashMap<String, Vec<u8>>,
}

/// A paragraph style: its name, and the heading level it gives.
#[derive(Clone, Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
}

impl Docx {
    fn open(path: &Path) -> Result<Docx, ImportError> {
        let refuse = |why: String| ImportError::Refused { path: path.to_path_buf(), why };
        let file =
            std::fs::File::open(path).map_err(|source| ImportError::Read { path: path.to_path_buf(), source })?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| refuse(format!("not a DOCX (not a zip: {e})")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(refuse(format!("{} entries in its zip: more than {MAX_ENTRIES}", zip.len())));
        }
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| refuse(e.to_string()))?;
            let name = entry.name().map_err(|e| refuse(e.to_string()))?.to_string();
            if name.split(['/', '\\']).any(|c| c == "..") || name.starts_with('/') || name.contains(':') {
                return Err(refuse(format!("an entry of its zip is named `{name}`, outside the document")));
            }
        }
        let mut total = 0u64;
        let mut part = |name: &str| -> Result<Option<Vec<u8>>, String> {
            let Ok(entry) = zip.by_name(name) else { return Ok(None) };
            let (size, packed) = (entry.size(), entry.compressed_size().max(1));
            if size > MAX_PART || size / packed > MAX_RATIO {
                return Err(format!("`{name}` expands to {size} bytes from {packed}: refused as a zip bomb"));
            }
            let mut bytes = Vec::new();
            entry.take(MAX_PART + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            total += bytes.len() as u64;
            if bytes.len() as u64 > MAX_PART || total > MAX_TOTAL {
                return Err(format!("`{name}` expands beyond its stated size: refused as a zip bomb"));
            }
            Ok(Some(bytes))
        };
        let text = |bytes: Option<Vec<u8>>, name: &str| -> Result<String, String> {
            let s = String::from_utf8(bytes.unwrap_or_default()).map_err(|_| format!("`{name}` is not UTF-8"))?;
            if s.contains("<!DOCTYPE") || s.contains("<!ENTITY") {
                return Err(format!("`{name}` declares a DTD or entities: refused"));
            }
            Ok(s)
        };
        let document = part("word/document.xml")
            .map_err(refuse)?
            .ok_or_else(|| refuse("no word/document.xml: not a Word document".into()))?;
        let document = text(Some(document), "word/document.xml").map_err(refuse)?;
        let styles = text(part("word/styles.xml").map_err(refuse)?, "word/styles.xml").map_err(refuse)?;
        let numbering = text(part("word/numbering.xml").map_err(refuse)?, "word/numbering.xml").map_err(refuse)?;
        let rels = text(part("word/_rels/document.xml.rels").map_err(refuse)?, "rels").map_err(refuse)?;
        let footnotes = text(part("word/footnotes.xml").map_err(refuse)?, "word/footnotes.xml").map_err(refuse)?;
        let endnotes = text(part("word/endnotes.xml").map_err(refuse)?, "word/endnotes.xml").map_err(refuse)?;
        let core = text(part("docProps/core.xml").map_err(refuse)?, "docProps/core.xml").map_err(refuse)?;
        let rels = read_rels(&rels).map_err(refuse)?;
        let mut media = HashMap::new();
        for (id, (target, external)) in &rels {
            if *external || !target.starts_with("media/") {
                continue;
            }
            if let Some(bytes) = part(&format!("word/{target}")).map_err(refuse)? {
                media.insert(id.clone(), bytes);
            }
        }
        let (core_title, core_creator) = read_core(&core).map_err(refuse)?;
        let mut notes = HashMap::new();
        for (end, xml) in [(false, &footnotes), (true, &endnotes)] {
            for (id, body) in split_notes(xml).map_err(refuse)? {
                notes.insert((end, id), body);
            }
        }
        Ok(Docx {
            document,
            styles: read_styles(&styles).map_err(refuse)?,
            numbering: read_numbering(&numbering).map_err(refuse)?,
            rels,
            notes,
            core_title,
            core_creator,
            media,
        })
    }

    /// The heading level a paragraph style gives (1 for Title and Heading 1).
    fn heading(&self, style: &str) -> Option<u8> {
        let mut id = Some(style.to_string());
        for _ in 0..8 {
            let s = self.styles.get(id.as_deref()?)?;
            let name = s.name.to_lowercase();
            if name == "title" {
                return Some(0);
            }
            if let Some(n) = name.strip_prefix("heading ").and_then(|n| n.trim().parse::<u8>().ok()) {
                return Some(n);
            }
            if let Some(o) = s.outline {
                return Some(o + 1);
            }
            id = s.based_on.clone();
        }
        None
    }

    /// What a front-matter or caption style holds.
    fn meta(&self, style: &str) -> Option<&'static str> {
        let name = self.styles.get(style).map_or(style.to_lowercase(), |s| s.name.to_lowercase());
        Some(match name.as_str() {
            "author" => "author",
            "subtitle" => "subtitle",
            "date" => "date",
            "abstract" | "abstract title" => "abstract",
            "image caption" | "caption" | "figure caption" | "table caption" => "caption",
            _ => return None,
        })
    }

    fn is_quote(&self, style: &str) -> bool {
        let name = self.styles.get(style).map_or(style.to_lowercase(), |s| s.name.to_lowercase());
        ["quote", "intense quote", "quotations", "block text", "quotation"].contains(&name.as_str())
    }

    fn is_code(&self, style: &str) -> bool {
        let name = self.styles.get(style).map_or(style.to_lowercase(), |s| s.name.to_lowercase());
        ["source code", "preformatted text", "html preformatted", "code", "source text"].contains(&name.as_str())
    }

    /// The document as front matter, Markdown, and images (name, bytes).
    #[allow(clippy::type_complexity)]
    fn convert(
        &self,
        opts: &Options,
        note: &mut dyn FnMut(String, &str),
    ) -> Result<(Front, String, Vec<(String, Vec<u8>)>), String> {
        let mut w = Walker::new(self, opts);
        let blocks = w.blocks(&self.document)?;
        for (what, hint) in std::mem::take(&mut w.notes) {
            note(what, hint);
        }
        // The title: the document's property, else its first Title or Heading 1.
        let mut blocks = blocks;
        let mut title = self.core_title.clone().filter(|t| !t.trim().is_empty());
        if title.is_none()
            && let Some(i) = blocks.iter().position(|b| matches!(b.kind, Kind::Heading(0 | 1)))
        {
            title = Some(inline_text(&blocks[i].runs));
            blocks.remove(i);
        } else if let Some(t) = &title
            && let Some(i) = blocks.iter().position(|b| matches!(b.kind, Kind::Heading(0 | 1)))
            && inline_text(&blocks[i].runs).trim() == t.trim()
        {
            blocks.remove(i);
        }
        let title = title.unwrap_or_else(|| "Untitled".into());
        // pandoc's front: authors, subtitle; a caption that repeats the
        // picture's description above it.
        let mut meta_authors = Vec::new();
        let mut subtitle = None;
        let mut kept = Vec::with_capacity(blocks.len());
        for b in blocks {
            match b.kind {
                Kind::Meta("author") => meta_authors.extend(split_names(&inline_text(&b.runs))),
                Kind::Meta("subtitle") => subtitle = Some(inline_text(&b.runs)),
                Kind::Meta("caption") => {
                    let text = inline_text(&b.runs);
                    let repeats = kept.last().is_some_and(|p: &Block| {
                        p.runs.iter().any(|r| {
                            r.raw.as_deref().is_some_and(|m| m.starts_with("![") && m.contains(&escape(&text)))
                        })
                    });
                    if !repeats {
                        kept.push(Block { kind: Kind::Para, runs: b.runs });
                    }
                }
                Kind::Meta(_) => kept.push(Block { kind: Kind::Para, runs: b.runs }),
                _ => kept.push(b),
            }
        }
        let mut blocks = kept;
        // The authors: a "By …" line, else the author property.
        let mut authors = Vec::new();
        if let Some(i) =
            blocks.iter().take(3).position(|b| matches!(b.kind, Kind::Para) && by_line(&inline_text(&b.runs)).is_some())
        {
            authors = by_line(&inline_text(&blocks[i].runs)).unwrap_or_default();
            blocks.remove(i);
        } else if !meta_authors.is_empty() {
            authors = meta_authors;
        } else if let Some(c) = &self.core_creator {
            let generic = ["", "unknown", "author", "user", "microsoft office user", "administrator", "owner"];
            if !generic.contains(&c.trim().to_lowercase().as_str()) {
                authors = split_names(c);
            }
        }
        let mut md = String::new();
        let mut notes_md = String::new();
        write_blocks(&blocks, &mut md, opts);
        for (n, (_, body)) in w.footnotes.iter().enumerate() {
            notes_md.push_str(&format!("[^{}]: {}\n", n + 1, body));
        }
        if !notes_md.is_empty() {
            md.push('\n');
            md.push_str(&notes_md);
        }
        let images = w.images.into_iter().map(|(_, name, bytes)| (name, bytes)).collect();
        Ok((Front { title, subtitle, authors }, md, images))
    }
}

/// `By A, B and C` as names (English, French, German, Spanish words).
fn by_line(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    let rest = ["By ", "by ", "Par ", "par ", "Von ", "von ", "Por ", "por "].iter().find_map(|p| t.strip_prefix(p))?;
    if rest.len() > 200 {
        return None;
    }
    let names = split_names(rest);
    (!names.is_empty()).then_some(names)
}

fn split_names(s: &str) -> Vec<String> {
    let mut s = s.to_string();
    for sep in [" and ", " et ", " und ", " y ", " & ", ";"] {
        s = s.replace(sep, ",");
    }
    s.split(',').map(|n| n.trim().trim_end_matches('.').to_string()).filter(|n| !n.is_empty()).collect()
}

/// What a paragraph is.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Para,
    /// What a document's front says of it (pandoc's Author, Subtitle,
    /// Date and Abstract styles), and a caption under a picture.
    Meta(&'static str),
    Heading(u8),
    Quote,
    Code,
    Item {
        level: usize,
        ordered: bool,
    },
    Table(Vec<Vec<Vec<Block>>>),
}

/// A paragraph (or a table) of the document.
#[derive(Clone, Debug, PartialEq)]
struct Block {
    kind: Kind,
    runs: Vec<Run>,
}

/// A piece of text with its formatting.
#[derive(Clone, Debug, PartialEq, Default)]
struct Run {
    text: String,
    bold: bool,
    italic: bool,
    strike: bool,
    sup: bool,
    sub: bool,
    link: Option<String>,
    /// A footnote's number, an image's Markdown, or a line break: written as is.
    raw: Option<String>,
}

/// Walks document.xml into blocks, noting what it leaves out.
struct Walker<'a> {
    doc: &'a Docx,
    opts: &'a Options,
    notes: Vec<(String, &'static str)>,
    seen: std::collections::HashSet<&'static str>,
    footnotes: Vec<((bool, String), String)>,
    images: Vec<(String, String, Vec<u8>)>,
    /// The columns the cell being read spans.
    span: usize,
}

impl<'a> Walker<'a> {
    fn new(doc: &'a Docx, opts: &'a Options) -> Self {
        Walker {
            doc,
            opts,
            notes: Vec::new(),
            seen: Default::default(),
            footnotes: Vec::new(),
            images: Vec::new(),
            span: 1,
        }
    }

    /// Says once that something of a kind was left out or changed.
    fn once(&mut self, kind: &'static str, what: &str, hint: &'static str) {
        if self.seen.insert(kind) {
            self.notes.push((what.to_string(), hint));
        }
    }

    fn blocks(&mut self, xml: &str) -> Result<Vec<Block>, String> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut out = Vec::new();
        self.walk(&mut reader, &mut out, None)?;
        Ok(out)
    }

    /// Reads blocks until the end of `until` (or the document).
    fn walk(
        &mut self,
        r: &mut quick_xml::Reader<&[u8]>,
        out: &mut Vec<Block>,
        until: Option<&str>,
    ) -> Result<(), String> {
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) => match name(&e).as_str() {
                    "p" => out.push(self.paragraph(r)?),
                    "tbl" => out.push(self.table(r)?),
                    "txbxContent" => {
                        self.once("textbox", "a text box: its text is left out", "move its text into the body");
                        r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                    }
                    _ => {}
                },
                Event::Empty(e) => match name(&e).as_str() {
                    "gridSpan" => {
                        self.span = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                        if self.span > 1 {
                            self.once(
                                "merged",
                                "a table with merged cells: each is written as one cell, the others left empty",
                                "check the table after the import",
                            );
                        }
                    }
                    "vMerge" => self.once(
                        "merged",
                        "a table with merged cells: each is written as one cell, the others left empty",
                        "check the table after the import",
                    ),
                    _ => {}
                },
                Event::End(e) if Some(local(e.name().as_ref()).as_str()) == until => return Ok(()),
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn table(&mut self, r: &mut quick_xml::Reader<&[u8]>) -> Result<Block, String> {
        let mut rows: Vec<Vec<Vec<Block>>> = Vec::new();
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) => match name(&e).as_str() {
                    "tr" => rows.push(Vec::new()),
                    "tc" => {
                        let mut cell = Vec::new();
                        self.span = 1;
                        self.walk(r, &mut cell, Some("tc"))?;
                        if let Some(row) = rows.last_mut() {
                            row.push(cell);
                            // The cells a merged one covers, left empty.
                            for _ in 1..self.span {
                                row.push(vec![Block { kind: Kind::Para, runs: Vec::new() }]);
                            }
                        }
                        self.span = 1;
                    }
                    _ => {}
                },
                Event::End(e) if local(e.name().as_ref()) == "tbl" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(Block { kind: Kind::Table(rows), runs: Vec::new() })
    }

    fn paragraph(&mut self, r: &mut quick_xml::Reader<&[u8]>) -> Result<Block, String> {
        let mut style = String::new();
        let (mut num, mut level, mut outline) = (None::<String>, 0usize, None::<u8>);
        let mut runs = Vec::new();
        let mut fmt = Run::default();
        let mut link: Option<String> = None;
        let (mut in_t, mut deleted, mut in_instr) = (false, 0usize, false);
        let mut in_rpr = false;
        loop {
            let ev = r.read_event().map_err(|e| e.to_string())?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let n = name(e);
                    let empty = matches!(ev, Event::Empty(_));
                    match n.as_str() {
                        "pStyle" => style = attr(e, "val").unwrap_or_default(),
                        "numId" => num = attr(e, "val"),
                        "ilvl" => level = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                        "outlineLvl" => outline = attr(e, "val").and_then(|v| v.parse().ok()),
                        "r" if !empty => fmt = Run { link: link.clone(), ..Run::default() },
                        "rPr" if !empty => in_rpr = true,
                        "b" if in_rpr => fmt.bold = on(e),
                        "i" if in_rpr => fmt.italic = on(e),
                        "u" if in_rpr => fmt.italic |= attr(e, "val").is_none_or(|v| v != "none"),
                        "strike" | "dstrike" if in_rpr => fmt.strike = on(e),
                        "vertAlign" if in_rpr => {
                            match attr(e, "val").as_deref() {
                                Some("superscript") => fmt.sup = true,
                                Some("subscript") => fmt.sub = true,
                                _ => {}
                            }
                            if (fmt.sup || fmt.sub) && !self.opts.allow_html {
                                self.once(
                                    "supsub",
                                    "superscripts and subscripts: written as plain text, since the book does not allow HTML",
                                    "set `allow_html = true` under [rules] to keep them as <sup> and <sub>",
                                );
                            }
                        }
                        "t" if !empty => in_t = true,
                        "tab" if !in_rpr => runs.push(Run { text: " ".into(), ..fmt.clone() }),
                        // A line break; a page or column break is none in a book.
                        "br" | "cr" if attr(e, "type").is_none_or(|t| t == "textWrapping") => {
                            runs.push(Run { raw: Some("\\\n".into()), ..Run::default() });
                        }
                        "noBreakHyphen" => runs.push(Run { text: "\u{2011}".into(), ..fmt.clone() }),
                        "hyperlink" if !empty => {
                            link = attr(e, "id").and_then(|id| self.doc.rels.get(&id).map(|(t, _)| t.clone()));
                            if link.is_none() && attr(e, "anchor").is_some() {
                                self.once("anchor", "a link to a place in the document: its text is kept, without the link", "link to a heading after the import");
                            }
                        }
                        "footnoteReference" | "endnoteReference" => {
                            let end = n == "endnoteReference";
                            if let Some(id) = attr(e, "id")
                                && let Some(body) = self.doc.notes.get(&(end, id.clone())).cloned()
                            {
                                let text = self.note_text(&body)?;
                                self.footnotes.push(((end, id), text));
                                let k = self.footnotes.len();
                                runs.push(Run { raw: Some(format!("[^{k}]")), ..Run::default() });
                            }
                        }
                        "blip" => {
                            let id = attr(e, "embed");
                            if let Some(md) = self.image(id, &runs)? {
                                runs.push(Run { raw: Some(md), ..Run::default() });
                            }
                        }
                        "docPr" => {
                            let alt = attr(e, "descr").or_else(|| attr(e, "title")).unwrap_or_default();
                            runs.push(Run { raw: Some(format!("\u{0}alt:{alt}")), ..Run::default() });
                        }
                        "imagedata" => {
                            let id = attr(e, "id");
                            if let Some(md) = self.image(id, &runs)? {
                                runs.push(Run { raw: Some(md), ..Run::default() });
                            }
                        }
                        "del" if !empty => {
                            deleted += 1;
                            self.once("tracked", "tracked changes: the text is taken as if they were accepted (deleted text left out)", "accept or reject the changes in Word before importing, to choose");
                        }
                        "ins" if !empty => {
                            self.once("tracked", "tracked changes: the text is taken as if they were accepted (deleted text left out)", "accept or reject the changes in Word before importing, to choose");
                        }
                        "commentRangeStart" | "commentReference" => {
                            self.once("comment", "comments: left out", "answer them in the document before importing")
                        }
                        "instrText" if !empty => {
                            in_instr = true;
                            self.once("field", "fields (page numbers, cross-references, tables of contents): their last shown text is kept", "check the text around them");
                        }
                        "fldSimple" => {
                            self.once("field", "fields (page numbers, cross-references, tables of contents): their last shown text is kept", "check the text around them")
                        }
                        "oMath" | "oMathPara" if !empty => {
                            self.once("math", "equations: left out (Word's math is not converted)", "write them as LaTeX between $ signs");
                            r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                        }
                        "txbxContent" if !empty => {
                            self.once("textbox", "a text box: its text is left out", "move its text into the body");
                            r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if in_t && deleted == 0 && !in_instr => {
                    runs.push(Run { text: t.xml10_content().into_owned(), ..fmt.clone() });
                }
                Event::GeneralRef(g) if in_t && deleted == 0 && !in_instr => {
                    runs.push(Run { text: super::xml_entity(g.as_ref()), ..fmt.clone() });
                }
                Event::End(e) => match local(e.name().as_ref()).as_str() {
                    "t" => in_t = false,
                    "rPr" => in_rpr = false,
                    "instrText" => in_instr = false,
                    "del" => deleted = deleted.saturating_sub(1),
                    "hyperlink" => link = None,
                    "p" => break,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        let heading =
            if self.doc.meta(&style).is_some() { None } else { self.doc.heading(&style).or(outline.map(|o| o + 1)) };
        let kind = match (heading, &num) {
            (Some(h), _) => Kind::Heading(h),
            (None, Some(id)) if id != "0" => {
                let ordered = self.doc.numbering.get(id).and_then(|levels| levels.get(level).copied()).unwrap_or(false);
                Kind::Item { level, ordered }
            }
            _ if self.doc.meta(&style).is_some() => Kind::Meta(self.doc.meta(&style).unwrap_or("")),
            _ if self.doc.is_quote(&style) => Kind::Quote,
            _ if self.doc.is_code(&style) => Kind::Code,
            _ => Kind::Para,
        };
        Ok(Block { kind, runs })
    }

    /// A footnote's text, as one Markdown line.
    fn note_text(&mut self, xml: &str) -> Result<String, String> {
        let mut blocks = Vec::new();
        let mut reader = quick_xml::Reader::from_str(xml);
        self.walk(&mut reader, &mut blocks, None)?;
        let mut parts = Vec::new();
        for b in &blocks {
            let mut s = String::new();
            write_runs(&b.runs, &mut s, self.opts);
            let s = s.replace("\\\n", " ");
            if !s.trim().is_empty() {
                parts.push(s.trim().to_string());
            }
        }
        Ok(parts.join(" "))
    }

    /// The Markdown of the image `id` (its relationship), extracted once;
    /// its alt text from the drawing's description, seen just before.
    fn image(&mut self, id: Option<String>, runs: &[Run]) -> Result<Option<String>, String> {
        let Some(id) = id else { return Ok(None) };
        let alt = runs
            .iter()
            .rev()
            .find_map(|r| r.raw.as_deref().and_then(|s| s.strip_prefix("\u{0}alt:")))
            .unwrap_or("")
            .to_string();
        let Some(bytes) = self.doc.media.get(&id) else {
            if self.doc.rels.get(&id).is_some_and(|(_, external)| *external) {
                self.once("linked", "an image linked, not embedded: left out", "insert the image into the document");
            }
            return Ok(None);
        };
        let format = image::guess_format(bytes).map_err(|_| format!("the image `{id}` is not an image"))?;
        let ext = match format {
            image::ImageFormat::Png => "png",
            image::ImageFormat::Jpeg => "jpg",
            image::ImageFormat::Gif => "gif",
            image::ImageFormat::WebP => "webp",
            other => {
                self.once(
                    "format",
                    &format!("an image in a format the editions do not take ({other:?}): left out"),
                    "save it as PNG or JPEG",
                );
                return Ok(None);
            }
        };
        image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
            .into_dimensions()
            .map_err(|e| format!("the image `{id}` cannot be read: {e}"))?;
        let name = match self.images.iter().find(|(i, _, _)| *i == id) {
            Some((_, name, _)) => name.clone(),
            None => {
                let name = format!("image-{}.{ext}", self.images.len() + 1);
                self.images.push((id.clone(), name.clone(), bytes.clone()));
                name
            }
        };
        Ok(Some(format!("![{}]({name})", escape(&alt))))
    }
}

fn name(e: &BytesStart<'_>) -> String {
    local(e.name().as_ref())
}

fn local(qname: &str) -> String {
    qname.rsplit(':').next().unwrap_or("").to_string()
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == key).map(|a| a.value.to_string())
}

/// A toggle property (`<w:b/>`, `<w:b w:val="false"/>`).
fn on(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_none_or(|v| !matches!(v.as_str(), "false" | "0" | "off" | "none"))
}

fn read_rels(xml: &str) -> Result<HashMap<String, (String, bool)>, String> {
    let mut out = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Empty(e) | Event::Start(e) if name(&e) == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                    out.insert(id, (target.trim_start_matches("/word/").to_string(), external));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn read_styles(xml: &str) -> Result<HashMap<String, Style>, String> {
    let mut out = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut current: Option<(String, Style)> = None;
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if name(&e) == "style" => current = attr(&e, "styleId").map(|id| (id, Style::default())),
            Event::Empty(e) | Event::Start(e) => {
                if let Some((_, s)) = current.as_mut() {
                    match name(&e).as_str() {
                        "name" => s.name = attr(&e, "val").unwrap_or_default(),
                        "basedOn" => s.based_on = attr(&e, "val"),
                        "outlineLvl" => {
                            s.outline = attr(&e, "val").and_then(|v| v.parse().ok()).filter(|v: &u8| *v < 9)
                        }
                        _ => {}
                    }
                }
            }
            Event::End(e) if local(e.name().as_ref()) == "style" => {
                if let Some((id, s)) = current.take() {
                    out.insert(id, s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// For each list (numId), whether each level is numbered (else bulleted).
fn read_numbering(xml: &str) -> Result<HashMap<String, Vec<bool>>, String> {
    let mut abstracts: HashMap<String, Vec<bool>> = HashMap::new();
    let mut nums: HashMap<String, String> = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut abs, mut num, mut lvl) = (None::<String>, None::<String>, 0usize);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) => match name(&e).as_str() {
                "abstractNum" => abs = attr(&e, "abstractNumId"),
                "num" => num = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(a)) = (num.clone(), attr(&e, "val")) {
                        nums.insert(n, a);
                    }
                }
                "lvl" => lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0).min(9),
                "numFmt" => {
                    if let Some(a) = &abs {
                        let levels = abstracts.entry(a.clone()).or_default();
                        if levels.len() <= lvl {
                            levels.resize(lvl + 1, false);
                        }
                        levels[lvl] = attr(&e, "val").is_some_and(|v| !matches!(v.as_str(), "bullet" | "none"));
                    }
                }
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()).as_str() {
                "abstractNum" => abs = None,
                "num" => num = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(nums.into_iter().filter_map(|(n, a)| Some((n, abstracts.get(&a)?.clone()))).collect())
}

/// Each note's XML (`w:footnote` or `w:endnote` with its id), separators left out.
fn split_notes(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if matches!(name(&e).as_str(), "footnote" | "endnote") => {
                let kind = attr(&e, "type");
                let id = attr(&e, "id").unwrap_or_default();
                let span = r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                if kind.is_none() || kind.as_deref() == Some("normal") {
                    out.push((id, xml[span.start as usize..span.end as usize].to_string()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn read_core(xml: &str) -> Result<(Option<String>, Option<String>), String> {
    let (mut title, mut creator, mut at) = (None, None, None::<String>);
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => at = Some(name(&e)),
            Event::Text(t) => match at.as_deref() {
                Some("title") => title = Some(t.xml10_content().trim().to_string()),
                Some("creator") => creator = Some(t.xml10_content().trim().to_string()),
                _ => {}
            },
            Event::End(_) => at = None,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((title, creator))
}

/// The plain text of runs.
fn inline_text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect::<String>().trim().to_string()
}

/// Text as Markdown reads it literally.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '$' | '~' | '|' | '#' | '^') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Runs as Markdown: formatting opened and closed around runs that share
/// it, spaces kept outside the markers.
fn write_runs(runs: &[Run], out: &mut String, opts: &Options) {
    let mut i = 0;
    while i < runs.len() {
        let r = &runs[i];
        if let Some(raw) = &r.raw {
            if !raw.starts_with('\u{0}') {
                out.push_str(raw);
            }
            i += 1;
            continue;
        }
        // The longest stretch with the same formatting and link.
        let mut j = i + 1;
        let same = |a: &Run, b: &Run| {
            a.raw.is_none()
                && (a.bold, a.italic, a.strike, a.sup, a.sub, &a.link)
                    == (b.bold, b.italic, b.strike, b.sup, b.sub, &b.link)
        };
        while j < runs.len() && same(&runs[j], r) {
            j += 1;
        }
        let text: String = runs[i..j].iter().map(|r| r.text.as_str()).collect();
        let lead = text.len() - text.trim_start().len();
        let trail = text.trim_end().len();
        let (pre, core, post) = if text.trim().is_empty() {
            (text.as_str(), "", "")
        } else {
            (&text[..lead], &text[lead..trail], &text[trail..])
        };
        out.push_str(pre);
        if !core.is_empty() {
            let mut s = escape(core);
            if r.sup || r.sub {
                let tag = if r.sup { "sup" } else { "sub" };
                if opts.allow_html {
                    s = format!("<{tag}>{s}</{tag}>");
                }
            }
            if r.strike {
                s = format!("~~{s}~~");
            }
            if r.italic {
                s = format!("*{s}*");
            }
            if r.bold {
                s = format!("**{s}**");
            }
            if let Some(url) = &r.link {
                s = format!("[{s}]({})", url.replace(' ', "%20").replace(')', "%29"));
            }
            out.push_str(&s);
        }
        out.push_str(post);
        i = j;
    }
}

fn write_blocks(blocks: &[Block], out: &mut String, opts: &Options) {
    let mut prev: Option<&Kind> = None;
    for b in blocks {
        let mut line = String::new();
        write_runs(&b.runs, &mut line, opts);
        let line = line.trim_end_matches("\\\n").to_string();
        if line.trim().is_empty() && !matches!(b.kind, Kind::Table(_) | Kind::Code) {
            continue;
        }
        let in_code = matches!(prev, Some(Kind::Code));
        if in_code && b.kind != Kind::Code {
            out.push_str("\n```");
        }
        // Items of one list, lines of one code block and of one quotation
        // follow each other.
        let tight = matches!(
            (prev, &b.kind),
            (Some(Kind::Item { .. }), Kind::Item { .. })
                | (Some(Kind::Code), Kind::Code)
                | (Some(Kind::Quote), Kind::Quote)
        );
        if !out.is_empty() {
            out.push_str(match (&b.kind, tight) {
                (Kind::Quote, true) => "\n>\n",
                (_, true) => "\n",
                _ => "\n\n",
            });
        }
        match &b.kind {
            Kind::Para | Kind::Meta(_) => out.push_str(line.trim_start()),
            Kind::Heading(n) => {
                out.push_str(&"#".repeat(usize::from((*n).clamp(1, 5)) + 1));
                out.push(' ');
                out.push_str(line.replace("\\\n", " ").trim());
            }
            Kind::Quote => {
                out.push_str("> ");
                out.push_str(&line.trim_start().replace('\n', "\n> "));
            }
            Kind::Code => {
                let plain: String = b.runs.iter().map(|r| if r.raw.is_some() { "" } else { r.text.as_str() }).collect();
                if !tight {
                    out.push_str("```\n");
                }
                out.push_str(&plain);
            }
            Kind::Item { level, ordered } => {
                out.push_str(&"    ".repeat((*level).min(8)));
                out.push_str(if *ordered { "1. " } else { "- " });
                out.push_str(&line.trim_start().replace('\n', &format!("\n{}", "    ".repeat(level + 1))));
            }
            Kind::Table(rows) => {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|cell| {
                                let mut s = String::new();
                                for (k, p) in cell.iter().enumerate() {
                                    if k > 0 {
                                        s.push(' ');
                                    }
                                    write_runs(&p.runs, &mut s, opts);
                                }
                                s.replace("\\\n", " ").replace('\n', " ").trim().to_string()
                            })
                            .collect()
                    })
                    .collect();
                let width = cells.iter().map(Vec::len).max().unwrap_or(0);
                for (k, row) in cells.iter().enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    out.push('|');
                    for c in 0..width {
                        out.push(' ');
                        out.push_str(row.get(c).map_or("", String::as_str));
                        out.push_str(" |");
                    }
                    if k == 0 {
                        out.push_str("\n|");
                        out.push_str(&" --- |".repeat(width));
                    }
                }
            }
        }
        prev = Some(&b.kind);
    }
    if matches!(prev, Some(Kind::Code)) {
        out.push_str("\n```");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_lines_and_names() {
        assert_eq!(
            by_line("By Ada Lovelace and Charles Babbage"),
            Some(vec!["Ada Lovelace".into(), "Charles Babbage".into()])
        );
        assert_eq!(
            by_line("Par Inès Abadie, Karim Benslimane et Zélie Quéré"),
            Some(vec!["Inès Abadie".into(), "Karim Benslimane".into(), "Zélie Quéré".into()])
        );
        assert_eq!(by_line("Bypass"), None);
    }

    #[test]
    fn runs_keep_spaces_outside_their_markers() {
        let runs = vec![
            Run { text: "A ".into(), ..Run::default() },
            Run { text: "bold ".into(), bold: true, ..Run::default() },
            Run { text: "word".into(), bold: true, ..Run::default() },
            Run { text: " and a [link]".into(), link: Some("https://x.org".into()), ..Run::default() },
            Run { text: "2".into(), sup: true, ..Run::default() },
        ];
        let mut s = String::new();
        write_runs(&runs, &mut s, &Options { allow_html: true, ..Options::default() });
        assert_eq!(s, "A **bold word** [and a \\[link\\]](https://x.org)<sup>2</sup>");
    }
}
