//! The walk over a document's XML: paragraphs, runs and tables as blocks,
//! and a note for each kind of thing Markdown cannot hold.

use crate::model::document::Numbering;
use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;

use super::blocks::{Block, Kind, Run};
use super::package::{Docx, Format, attr, local, name, on};
use super::write::{escape, write_runs};

/// Walks document.xml into blocks, noting what it leaves out.
pub(super) struct Walker<'a> {
    pub(super) doc: &'a Docx,
    pub(super) notes: Vec<(String, &'static str)>,
    pub(super) seen: HashSet<&'static str>,
    pub(super) footnotes: Vec<((bool, String), String)>,
    pub(super) images: Vec<(String, String, Vec<u8>)>,
    /// The columns the cell being read spans.
    pub(super) span: usize,
    /// Each list definition's counters, by level: lists that share a
    /// definition continue each other's numbers, as in Word.
    pub(super) counters: HashMap<String, [Option<u64>; 9]>,
    /// The lists (`numId`) met so far: a list restarts its levels the first time.
    pub(super) started: HashSet<String>,
    /// The paragraphs of text boxes met in the paragraph being read: set
    /// after it.
    pub(super) boxed: Vec<Block>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(doc: &'a Docx) -> Self {
        Walker {
            doc,
            notes: Vec::new(),
            seen: Default::default(),
            footnotes: Vec::new(),
            images: Vec::new(),
            span: 1,
            counters: HashMap::new(),
            started: HashSet::new(),
            boxed: Vec::new(),
        }
    }

    /// Says once that something of a kind was left out or changed.
    pub(super) fn once(&mut self, kind: &'static str, what: &str, hint: &'static str) {
        if self.seen.insert(kind) {
            self.notes.push((what.to_string(), hint));
        }
    }

    pub(super) fn blocks(&mut self, xml: &str) -> Result<Vec<Block>, String> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut out = Vec::new();
        self.walk(&mut reader, &mut out, None)?;
        self.lettered_parents(&mut out);
        Ok(out)
    }

    /// Lists numbered with letters or roman numerals whose items hold
    /// another list: numbered with digits at that level, since an item
    /// written `a.` holds only its paragraph (a list under it would be
    /// read as its text).
    fn lettered_parents(&mut self, blocks: &mut [Block]) {
        let mut levels = HashSet::new();
        for pair in blocks.windows(2) {
            if let (Kind::Item { level, number: Some((_, n)) }, Kind::Item { level: next, .. }) =
                (&pair[0].kind, &pair[1].kind)
                && *n != Numbering::Decimal
                && next > level
            {
                levels.insert(*level);
            }
        }
        if levels.is_empty() {
            return;
        }
        for b in blocks.iter_mut() {
            if let Kind::Item { level, number: Some((_, n)) } = &mut b.kind
                && levels.contains(level)
            {
                *n = Numbering::Decimal;
            }
        }
        self.once(
            "lettered-parents",
            "lists numbered with letters or roman numerals whose items hold another list: numbered with digits",
            "a lettered item holds one paragraph; renumber the list after the import if the letters matter",
        );
    }

    /// Reads blocks until the end of `until` (or the document).
    pub(super) fn walk(
        &mut self,
        r: &mut quick_xml::Reader<&[u8]>,
        out: &mut Vec<Block>,
        until: Option<&str>,
    ) -> Result<(), String> {
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) => match name(&e).as_str() {
                    "p" => {
                        let p = self.paragraph(r)?;
                        out.push(p);
                        out.append(&mut self.boxed);
                    }
                    "tbl" => out.push(self.table(r)?),
                    "txbxContent" => self.text_box(r)?,
                    // Word writes a shape twice, as DrawingML and as VML for
                    // older readers: the second is the same text again.
                    "Fallback" => {
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

    pub(super) fn table(&mut self, r: &mut quick_xml::Reader<&[u8]>) -> Result<Block, String> {
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

    pub(super) fn paragraph(&mut self, r: &mut quick_xml::Reader<&[u8]>) -> Result<Block, String> {
        let mut style = String::new();
        let (mut num, mut level, mut outline) = (None::<String>, 0usize, None::<u8>);
        let mut runs = Vec::new();
        let mut fmt = Run::default();
        let mut link: Option<String> = None;
        let (mut in_t, mut deleted, mut in_instr) = (false, 0usize, false);
        let mut in_rpr = false;
        let mut drop_cap = false;
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
                        "u" if in_rpr => fmt.underline = attr(e, "val").is_none_or(|v| v != "none"),
                        "smallCaps" if in_rpr => fmt.smallcaps = on(e),
                        "highlight" if in_rpr => fmt.highlight = attr(e, "val").is_none_or(|v| v != "none"),
                        "strike" | "dstrike" if in_rpr => fmt.strike = on(e),
                        "rStyle" if in_rpr => fmt.code = attr(e, "val").is_some_and(|v| self.doc.is_code_chars(&v)),
                        "vertAlign" if in_rpr => {
                            match attr(e, "val").as_deref() {
                                Some("superscript") => fmt.sup = true,
                                Some("subscript") => fmt.sub = true,
                                _ => {}
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
                            link = attr(e, "id").and_then(|id| self.doc.rels.get(&id).filter(|r| r.external).map(|r| r.target.clone()));
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
                        "txbxContent" if !empty => self.text_box(r)?,
                        "Fallback" if !empty => {
                            r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                        }
                        "framePr" if attr(e, "dropCap").is_some_and(|d| d != "none") => drop_cap = true,
                        _ => {}
                    }
                }
                Event::Text(t) if in_t && deleted == 0 && !in_instr => {
                    runs.push(Run { text: t.xml10_content().into_owned(), ..fmt.clone() });
                }
                Event::GeneralRef(g) if in_t && deleted == 0 && !in_instr => {
                    runs.push(Run { text: crate::import::xml_entity(g.as_ref()), ..fmt.clone() });
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
        // A paragraph of a list style is an item of its list, unless it says
        // otherwise.
        if num.is_none()
            && let Some((n, l)) = self.doc.style_list(&style)
        {
            num = Some(n);
            level = level.max(l);
        }
        let kind = match (heading, &num) {
            (Some(h), _) => Kind::Heading(h),
            _ if drop_cap => Kind::DropCap,
            (None, Some(id)) if id != "0" => Kind::Item { level, number: self.number(id, level.min(8)) },
            _ if self.doc.meta(&style).is_some() => Kind::Meta(self.doc.meta(&style).unwrap_or("")),
            _ if self.doc.is_quote(&style) => Kind::Quote,
            _ if self.doc.is_code(&style) => Kind::Code,
            _ => Kind::Para,
        };
        Ok(Block { kind, runs })
    }

    /// A text box's paragraphs, kept to be set after the paragraph that
    /// holds it (as pandoc does).
    fn text_box(&mut self, r: &mut quick_xml::Reader<&[u8]>) -> Result<(), String> {
        self.once(
            "textbox",
            "text boxes and shapes: their text is set after the paragraph that holds them",
            "check where it belongs after the import",
        );
        let held = std::mem::take(&mut self.boxed);
        let mut inner = Vec::new();
        self.walk(r, &mut inner, Some("txbxContent"))?;
        self.boxed = held;
        self.boxed.append(&mut inner);
        Ok(())
    }

    /// The number of the next item at `level` of the list `id` (`None` when
    /// the level is bulleted): Word's counting, where the lists that share a
    /// definition continue each other, a list may start a level again, and
    /// an item resets the levels below it.
    fn number(&mut self, id: &str, level: usize) -> Option<(u64, Numbering)> {
        let list = self.doc.numbering.get(id)?;
        let at = list.levels.get(level).copied().unwrap_or_default();
        if at.format == Format::Bullet {
            return None;
        }
        let numbering = match at.format {
            Format::Numbered(n) => n,
            _ => {
                self.once(
                    "numbered-otherwise",
                    "lists numbered in words or another script's digits: numbered with digits",
                    "the book's lists are numbered 1, 2, 3, a, b, c or i, ii, iii",
                );
                Numbering::Decimal
            }
        };
        let counters = self.counters.entry(list.definition.clone()).or_default();
        if self.started.insert(id.to_string()) {
            for &(l, first) in &list.restarts {
                if let Some(c) = counters.get_mut(l) {
                    *c = first.checked_sub(1);
                }
            }
        }
        let n = counters[level].map_or(at.start, |c| c.saturating_add(1));
        counters[level] = Some(n);
        counters[level + 1..].iter_mut().for_each(|c| *c = None);
        Some((n, numbering))
    }

    /// A footnote's text, as one Markdown line.
    pub(super) fn note_text(&mut self, xml: &str) -> Result<String, String> {
        let mut blocks = Vec::new();
        let mut reader = quick_xml::Reader::from_str(xml);
        self.walk(&mut reader, &mut blocks, None)?;
        let mut parts = Vec::new();
        for b in &blocks {
            let mut s = String::new();
            write_runs(&b.runs, &mut s);
            let s = s.replace("\\\n", " ");
            if !s.trim().is_empty() {
                parts.push(s.trim().to_string());
            }
        }
        Ok(parts.join(" "))
    }

    /// The Markdown of the image `id` (its relationship), extracted once;
    /// its alt text from the drawing's description, seen just before.
    pub(super) fn image(&mut self, id: Option<String>, runs: &[Run]) -> Result<Option<String>, String> {
        let Some(id) = id else { return Ok(None) };
        let alt = runs
            .iter()
            .rev()
            .find_map(|r| r.raw.as_deref().and_then(|s| s.strip_prefix("\u{0}alt:")))
            .unwrap_or("")
            .to_string();
        let Some(bytes) = self.doc.media.get(&id) else {
            if self.doc.rels.get(&id).is_some_and(|r| r.external) {
                self.once("linked", "an image linked, not embedded: left out", "insert the image into the document");
            }
            return Ok(None);
        };
        // A picture the editions cannot show (Word's EMF and WMF drawings, a
        // part that is no picture at all) is left out, its description kept.
        let guessed = image::guess_format(bytes);
        let readable = guessed.as_ref().ok().and_then(|format| {
            let ext = match format {
                image::ImageFormat::Png => "png",
                image::ImageFormat::Jpeg => "jpg",
                image::ImageFormat::Gif => "gif",
                image::ImageFormat::WebP => "webp",
                _ => return None,
            };
            image::ImageReader::with_format(std::io::Cursor::new(bytes), *format).into_dimensions().ok().map(|_| ext)
        });
        let Some(ext) = readable else {
            let named = self.doc.rels.get(&id).and_then(|r| r.target.rsplit_once('.')).map(|(_, e)| e.to_uppercase());
            let kind = match (guessed, named) {
                (
                    Ok(
                        image::ImageFormat::Png
                        | image::ImageFormat::Jpeg
                        | image::ImageFormat::Gif
                        | image::ImageFormat::WebP,
                    ),
                    _,
                ) => "unreadable".to_string(),
                (Ok(format), _) => format!("{format:?}"),
                (Err(_), Some(ext)) if !["PNG", "JPG", "JPEG", "GIF", "WEBP"].contains(&ext.as_str()) => ext,
                (Err(_), _) => "not an image".to_string(),
            };
            self.once(
                "format",
                &format!("a picture the editions cannot show ({kind}): left out, its description kept as text"),
                "save it as PNG or JPEG and add it to the essay",
            );
            return Ok((!alt.trim().is_empty()).then(|| escape(alt.trim())));
        };
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
