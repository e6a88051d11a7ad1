//! The parts of a DOCX, read within limits: the main document, its styles,
//! list definitions, notes, relationships, properties and media.

use crate::model::document::Numbering;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::import::ImportError;

/// The most entries a document's zip may have.
pub(super) const MAX_ENTRIES: usize = 5_000;
/// The most bytes one part may expand to.
pub(super) const MAX_PART: u64 = 64 * 1024 * 1024;
/// The most bytes all the parts read may expand to together.
pub(super) const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// The most a part may expand, compared with its compressed size.
pub(super) const MAX_RATIO: u64 = 200;

/// The parts of a document, read.
pub(super) struct Docx {
    pub(super) document: String,
    pub(super) styles: HashMap<String, Style>,
    pub(super) numbering: HashMap<String, List>,
    pub(super) rels: HashMap<String, Rel>,
    pub(super) notes: HashMap<(bool, String), String>,
    pub(super) core_title: Option<String>,
    pub(super) core_creator: Option<String>,
    pub(super) media: HashMap<String, Vec<u8>>,
}

/// A paragraph style: its name, the heading level it gives, and the list
/// it numbers (Word's List Number and List Bullet styles).
#[derive(Clone, Debug, Default)]
pub(super) struct Style {
    pub(super) name: String,
    pub(super) based_on: Option<String>,
    pub(super) outline: Option<u8>,
    /// The list (`numId`) and level its paragraphs are items of.
    pub(super) list: Option<(String, usize)>,
}

impl Docx {
    pub(super) fn open(path: &Path) -> Result<Docx, ImportError> {
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
        // The main document is where the package's relationships say (Word
        // writes `word/document.xml`; other tools another name).
        let package_rels = text(part("_rels/.rels").map_err(refuse)?, "_rels/.rels").map_err(refuse)?;
        let main = read_rels(&package_rels, "")
            .map_err(refuse)?
            .into_values()
            .find(|r| r.kind == "officeDocument" && !r.external)
            .map_or_else(|| "word/document.xml".to_string(), |r| r.target);
        let dir = main.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let file = main.rsplit('/').next().unwrap_or(&main).to_string();
        let at = |name: &str| if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") };
        let document = part(&main).map_err(refuse)?.ok_or_else(|| refuse(format!("no {main}: not a Word document")))?;
        let document = text(Some(document), &main).map_err(refuse)?;
        let rels_name = at(&format!("_rels/{file}.rels"));
        let rels =
            read_rels(&text(part(&rels_name).map_err(refuse)?, &rels_name).map_err(refuse)?, &dir).map_err(refuse)?;
        // The other parts, where the document's relationships say, else
        // where Word puts them.
        let mut named = |kind: &str, default: &str| -> Result<String, ImportError> {
            let name =
                rels.values().find(|r| r.kind == kind && !r.external).map_or_else(|| at(default), |r| r.target.clone());
            text(part(&name).map_err(refuse)?, &name).map_err(refuse)
        };
        let styles = named("styles", "styles.xml")?;
        let numbering = named("numbering", "numbering.xml")?;
        let footnotes = named("footnotes", "footnotes.xml")?;
        let endnotes = named("endnotes", "endnotes.xml")?;
        let core = text(part("docProps/core.xml").map_err(refuse)?, "docProps/core.xml").map_err(refuse)?;
        let mut media = HashMap::new();
        for (id, rel) in &rels {
            if rel.external || rel.kind != "image" {
                continue;
            }
            if let Some(bytes) = part(&rel.target).map_err(refuse)? {
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
    pub(super) fn heading(&self, style: &str) -> Option<u8> {
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

    /// The list and level a paragraph style makes its paragraphs items of.
    pub(super) fn style_list(&self, style: &str) -> Option<(String, usize)> {
        let mut id = Some(style.to_string());
        for _ in 0..8 {
            let s = self.styles.get(id.as_deref()?)?;
            if let Some((num, level)) = &s.list
                && !num.is_empty()
            {
                return Some((num.clone(), *level));
            }
            id = s.based_on.clone();
        }
        None
    }

    /// What a front-matter or caption style holds.
    pub(super) fn meta(&self, style: &str) -> Option<&'static str> {
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

    pub(super) fn is_quote(&self, style: &str) -> bool {
        let name = self.styles.get(style).map_or(style.to_lowercase(), |s| s.name.to_lowercase());
        ["quote", "intense quote", "quotations", "block text", "quotation"].contains(&name.as_str())
    }

    pub(super) fn is_code(&self, style: &str) -> bool {
        let name = self.styles.get(style).map_or(style.to_lowercase(), |s| s.name.to_lowercase());
        ["source code", "preformatted text", "html preformatted", "code", "source text"].contains(&name.as_str())
    }

    /// Whether a character style marks code (pandoc's Verbatim Char, Word's
    /// HTML Code).
    pub(super) fn is_code_chars(&self, style: &str) -> bool {
        let name = self.styles.get(style).map_or(style.to_lowercase(), |s| s.name.to_lowercase());
        ["verbatim char", "html code", "source code char", "code char", "code", "html typewriter"]
            .contains(&name.as_str())
    }
}

pub(super) fn name(e: &BytesStart<'_>) -> String {
    local(e.name().as_ref())
}

pub(super) fn local(qname: &str) -> String {
    qname.rsplit(':').next().unwrap_or("").to_string()
}

pub(super) fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == key).map(|a| a.value.to_string())
}

/// A toggle property (`<w:b/>`, `<w:b w:val="false"/>`).
pub(super) fn on(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_none_or(|v| !matches!(v.as_str(), "false" | "0" | "off" | "none"))
}

/// A relationship: what a part points to.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Rel {
    /// The part's path in the package, or the address of an external target.
    pub(super) target: String,
    /// Whether it is outside the package (a link).
    pub(super) external: bool,
    /// The last word of its type: `image`, `hyperlink`, `styles`…
    pub(super) kind: String,
}

/// The relationships of a part in the folder `dir`, by id; targets inside the
/// package resolved to their paths in it.
pub(super) fn read_rels(xml: &str, dir: &str) -> Result<HashMap<String, Rel>, String> {
    let mut out = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml.trim_start_matches('\u{feff}'));
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Empty(e) | Event::Start(e) if name(&e) == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                    let kind = attr(&e, "Type").unwrap_or_default().rsplit('/').next().unwrap_or("").to_string();
                    let target = if external { target } else { resolve(dir, &target) };
                    out.insert(id, Rel { target, external, kind });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A relationship's target as a path in the package: `/x` from its root,
/// else from `dir`, with `..` taken back (never above the root).
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> =
        if target.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

pub(super) fn read_styles(xml: &str) -> Result<HashMap<String, Style>, String> {
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
                        "numId" => s.list = attr(&e, "val").map(|n| (n, s.list.as_ref().map_or(0, |l| l.1))),
                        "ilvl" => {
                            let level = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                            s.list = Some((s.list.take().map(|l| l.0).unwrap_or_default(), level));
                        }
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

/// How a list level is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) enum Format {
    /// Bullets, or no mark at all.
    #[default]
    Bullet,
    /// 1, 2, 3; a, b, c or A, B, C; i, ii, iii or I, II, III.
    Numbered(Numbering),
    /// Words, other scripts' digits…: written with digits.
    Other,
}

/// A level of a list definition: its numbers and where they start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) struct Level {
    pub(super) format: Format,
    pub(super) start: u64,
}

/// A list as a paragraph names it (`w:numId`): the definition it shares with
/// other lists (whose numbers it continues), and the levels it restarts.
#[derive(Clone, Debug, PartialEq, Default)]
pub(super) struct List {
    /// The definition's id (`w:abstractNumId`).
    pub(super) definition: String,
    /// Its levels.
    pub(super) levels: Vec<Level>,
    /// The levels this list starts again, with their first numbers.
    pub(super) restarts: Vec<(usize, u64)>,
}

/// The lists of a document (`word/numbering.xml`), by `numId`.
pub(super) fn read_numbering(xml: &str) -> Result<HashMap<String, List>, String> {
    let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
    let mut nums: HashMap<String, (String, Vec<(usize, u64)>)> = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut abs, mut num, mut lvl, mut over) = (None::<String>, None::<String>, 0usize, None::<usize>);
    loop {
        match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) => match name(&e).as_str() {
                "abstractNum" => abs = attr(&e, "abstractNumId"),
                "num" => num = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(a)) = (num.clone(), attr(&e, "val")) {
                        nums.entry(n).or_default().0 = a;
                    }
                }
                "lvlOverride" => over = attr(&e, "ilvl").and_then(|v| v.parse().ok()).filter(|l| *l < 9),
                "startOverride" => {
                    if let (Some(n), Some(l), Some(v)) =
                        (num.clone(), over, attr(&e, "val").and_then(|v| v.parse::<u64>().ok()))
                    {
                        nums.entry(n).or_default().1.push((l, v));
                    }
                }
                "lvl" => lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0).min(8),
                "numFmt" | "start" if abs.is_some() && over.is_none() => {
                    let levels = abstracts.entry(abs.clone().unwrap_or_default()).or_default();
                    if levels.len() <= lvl {
                        levels.resize(lvl + 1, Level { format: Format::Bullet, start: 1 });
                    }
                    let val = attr(&e, "val").unwrap_or_default();
                    if name(&e) == "start" {
                        levels[lvl].start = val.parse().unwrap_or(1);
                    } else {
                        levels[lvl].format = match val.as_str() {
                            "bullet" | "none" => Format::Bullet,
                            "decimal" | "decimalZero" => Format::Numbered(Numbering::Decimal),
                            "lowerLetter" => Format::Numbered(Numbering::LowerAlpha),
                            "upperLetter" => Format::Numbered(Numbering::UpperAlpha),
                            "lowerRoman" => Format::Numbered(Numbering::LowerRoman),
                            "upperRoman" => Format::Numbered(Numbering::UpperRoman),
                            _ => Format::Other,
                        };
                    }
                }
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()).as_str() {
                "abstractNum" => abs = None,
                "num" => num = None,
                "lvlOverride" => over = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(nums
        .into_iter()
        .filter_map(|(n, (a, restarts))| {
            let levels = abstracts.get(&a)?.clone();
            Some((n, List { definition: a, levels, restarts }))
        })
        .collect())
}

/// Each note's XML (`w:footnote` or `w:endnote` with its id), separators left out.
pub(super) fn split_notes(xml: &str) -> Result<Vec<(String, String)>, String> {
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

pub(super) fn read_core(xml: &str) -> Result<(Option<String>, Option<String>), String> {
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
