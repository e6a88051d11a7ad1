//! The fonts a book is typeset with, chosen per writing system.
//!
//! Typst's embedded fonts set Latin, Greek and Cyrillic; a book in Persian,
//! Hebrew or Japanese needs a face made for its script. For each script the
//! book's texts use ([`script::Need`]), this module chooses a text font: the
//! book's main font when it covers the script, else one from the book's
//! `fonts/` folder, then the folders named in `[pdf] font_paths`, then the
//! built-in fonts, then (unless `system_fonts = false`) the fonts installed
//! on the machine, a family made for the script first and never a monospace
//! one. The chosen families, loaded once, are shared by the PDF, the
//! offprints and the share cards; [`coverage`] tells `check` what no font can
//! set, before anything is typeset.

pub mod coverage;
pub mod script;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use typst::text::{Font, FontBook, FontFlags, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

use crate::config::{BookConfig, PdfOptions};
use crate::input::assets::locate;
use crate::model::book::Essay;
use crate::model::document::{Block, Inline};
use script::Need;

/// Where a book's own fonts live, relative to its root.
pub const FONTS_DIR: &str = "fonts";

/// Why the book's fonts could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// A font file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The fonts built into typst (Libertinus Serif, New Computer Modern, DejaVu
/// Sans Mono), parsed once per process.
static EMBEDDED: LazyLock<Vec<(Font, FontInfo)>> = LazyLock::new(|| typst_kit::fonts::embedded().collect());

/// The embedded fonts as a font database for usvg, which sets the text of
/// SVG images as paths with them (see [`crate::input::svg`]).
pub fn svg_fontdb() -> std::sync::Arc<usvg::fontdb::Database> {
    static DB: LazyLock<std::sync::Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
        let mut db = usvg::fontdb::Database::new();
        for (font, _) in EMBEDDED.iter() {
            db.load_font_data(font.data().as_slice().to_vec());
        }
        db.set_serif_family("Libertinus Serif");
        db.set_sans_serif_family("Libertinus Serif");
        db.set_monospace_family("DejaVu Sans Mono");
        std::sync::Arc::new(db)
    });
    DB.clone()
}

/// The descriptions (families, coverage) of the embedded fonts.
pub fn embedded_infos() -> Vec<FontInfo> {
    EMBEDDED.iter().map(|(_, i)| i.clone()).collect()
}

/// Where a font comes from, in the order fonts are looked for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The book's `fonts/` folder.
    Book,
    /// A folder named in `[pdf] font_paths`.
    Folder(PathBuf),
    /// Built into the tool (typst's fonts).
    BuiltIn,
    /// Installed on this machine.
    System,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Book => write!(f, "the book's fonts/"),
            Origin::Folder(p) => write!(f, "{}", p.display()),
            Origin::BuiltIn => write!(f, "built in"),
            Origin::System => write!(f, "installed on this machine"),
        }
    }
}

/// One face that may be used: its description, and where to load it from.
#[derive(Clone, Debug)]
struct Face {
    info: FontInfo,
    origin: Origin,
    /// The file and the index in it; `None` for a built-in font.
    file: Option<(PathBuf, u32)>,
}

/// The font chosen for one need of the book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The family, as typst names it.
    pub family: String,
    /// Where it comes from.
    pub origin: Origin,
    /// The file of its regular face (`None` for a built-in font).
    pub file: Option<PathBuf>,
}

/// What a book's fonts depend on, apart from the files themselves.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Request {
    /// The main text family (`[pdf] font`).
    pub main: String,
    /// More folders of fonts (`[pdf] font_paths`), absolute.
    pub folders: Vec<PathBuf>,
    /// Whether the machine's fonts may be used (`[pdf] system_fonts`).
    pub system: bool,
    /// The needs of every text of the book.
    pub needs: BTreeSet<Need>,
}

impl Request {
    /// The request of the book at `root` with this configuration and these
    /// texts: its `[pdf]` options, and the needs of the texts and of the
    /// book's own text (title, editors…) in its language. `check`, `build`
    /// and `anthology fonts` ask the same question this way.
    pub fn new<'a>(root: &Path, config: &BookConfig, texts: impl Iterator<Item = &'a Essay>) -> Self {
        let pdf = &config.pdf;
        let folders = pdf.font_paths.iter().map(|p| root.join(p)).collect();
        let needs = needs_of_all(texts, &config.printed_text(), &config.language);
        Request { main: pdf.font.clone(), folders, system: pdf.system_fonts, needs }
    }
}

/// Fonts for one book: the embedded ones, the book's own, the folders it
/// names, and the machine's families chosen for its scripts.
pub struct Fonts {
    store: FontStore,
    choices: BTreeMap<Need, Option<Choice>>,
    main: String,
}

impl Fonts {
    /// The embedded fonts plus `extra` (from the book's `fonts/` folder),
    /// with no choice made for other scripts.
    pub fn new(extra: Vec<Font>) -> Self {
        let mut store = FontStore::new();
        store.extend(EMBEDDED.iter().cloned());
        store.extend(extra.into_iter().map(|f| {
            let info = f.info().clone();
            (f, info)
        }));
        Fonts { store, choices: BTreeMap::new(), main: PdfOptions::default().font }
    }

    /// The fonts of the book at `root` for `request`: a text font chosen for
    /// each need (see the module's documentation).
    pub fn for_book(root: &Path, request: &Request) -> Result<Self, FontError> {
        let book = book_fonts(root)?;
        let mut faces: Vec<Face> =
            book.iter().map(|f| Face { info: f.info().clone(), origin: Origin::Book, file: None }).collect();
        for dir in &request.folders {
            faces.extend(scan(dir, Origin::Folder(dir.clone())));
        }
        faces.extend(EMBEDDED.iter().map(|(_, i)| Face { info: i.clone(), origin: Origin::BuiltIn, file: None }));
        let mut choices = BTreeMap::new();
        let mut system_families: BTreeSet<String> = BTreeSet::new();
        let main_here = faces.iter().any(|f| same(&f.info.family, &request.main));
        if !main_here && request.system && system().iter().any(|f| same(&f.info.family, &request.main)) {
            system_families.insert(request.main.to_lowercase());
        }
        let machine: &dyn Fn() -> &'static [Face] = &system;
        for need in &request.needs {
            let choice = choose(*need, &request.main, &faces, request.system.then_some(machine));
            if let Some(c) = &choice
                && c.origin == Origin::System
            {
                system_families.insert(c.family.to_lowercase());
            }
            choices.insert(*need, choice);
        }
        let mut store = FontStore::new();
        store.extend(book.into_iter().map(|f| {
            let info = f.info().clone();
            (f, info)
        }));
        for face in faces.iter().filter(|f| matches!(f.origin, Origin::Folder(_))) {
            if let Some((path, index)) = &face.file {
                store.push((FontPath { path: path.clone(), index: *index }, face.info.clone()));
            }
        }
        store.extend(EMBEDDED.iter().cloned());
        if request.system {
            for face in system().iter().filter(|f| system_families.contains(&f.info.family.to_lowercase())) {
                if let Some((path, index)) = &face.file {
                    store.push((FontPath { path: path.clone(), index: *index }, face.info.clone()));
                }
            }
        }
        Ok(Fonts { store, choices, main: request.main.clone() })
    }

    /// The font at `index` of [`Fonts::book`].
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// The font book (families and coverage).
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// The font chosen for each need of the book; `None` where no text font
    /// has the script.
    pub fn choices(&self) -> &BTreeMap<Need, Option<Choice>> {
        &self.choices
    }

    /// The families to set a text with, in typst's order of preference: the
    /// main font, then the fonts of `first` (the text's own needs, so that a
    /// Japanese essay takes the Japanese forms of ideographs), then those of
    /// every other need of the book.
    pub fn families(&self, first: &BTreeSet<Need>) -> Vec<String> {
        let mut out = vec![self.main.clone()];
        let chosen = |n: &Need| self.choices.get(n).cloned().flatten().map(|c| c.family);
        for family in first.iter().filter_map(chosen).chain(self.choices.keys().filter_map(chosen)) {
            if !out.iter().any(|f| same(f, &family)) {
                out.push(family);
            }
        }
        out
    }

    /// What identifies the font files read from disk (book fonts excepted,
    /// which the caller reads): path, size and modification time of each,
    /// and the choices made. Part of the PDF's cache key.
    pub fn fingerprint(&self) -> String {
        let mut out = format!("{:?}", self.choices);
        for index in 0.. {
            if self.store.book().info(index).is_none() {
                break;
            }
            let source = self.store.source(index).map(|s| s as &dyn std::any::Any);
            if let Some(p) = source.and_then(|s| s.downcast_ref::<FontPath>()) {
                let meta = std::fs::metadata(&p.path).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                out.push_str(&format!("\n{} {} {:?} {:?}", p.path.display(), p.index, meta.map(|m| m.len()), modified));
            }
        }
        out
    }

    /// The descriptions of every font available to the book.
    pub fn infos(&self) -> Vec<FontInfo> {
        let book = self.store.book();
        (0..).map_while(|i| book.info(i).cloned()).collect()
    }

    /// Every font used in `pdf` (a PDF typst wrote with these fonts), by the
    /// PostScript names it embeds, with the SHA-256 of each font's file.
    pub fn used_in(&self, pdf: &[u8]) -> Vec<UsedFont> {
        let names = embedded_names(pdf);
        let mut used = BTreeMap::new();
        for index in 0.. {
            let Some(info) = self.store.book().info(index) else { break };
            // Only load the fonts that can be in the PDF.
            if !names.iter().any(|n| n.to_lowercase().contains(&compact(&info.family))) {
                continue;
            }
            let Some(font) = self.store.font(index) else { continue };
            let Some(ps) = font.post_script_name() else { continue };
            if names.contains(&ps) {
                let file =
                    match self.store.source(index).and_then(|s| (s as &dyn std::any::Any).downcast_ref::<FontPath>()) {
                        Some(p) => p.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                        None => format!("{ps} (built in or the book's)"),
                    };
                used.insert(
                    ps.clone(),
                    UsedFont {
                        name: ps,
                        family: info.family.clone(),
                        file,
                        sha256: crate::files::sha256_hex(font.data()),
                    },
                );
            }
        }
        used.into_values().collect()
    }
}

/// A font a PDF uses, as the release manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UsedFont {
    /// Its PostScript name.
    pub name: String,
    /// Its family.
    pub family: String,
    /// The file it was read from.
    pub file: String,
    /// The SHA-256 of the font's data (the whole file, or its face).
    pub sha256: String,
}

/// The PostScript names of the fonts a PDF embeds (its `/BaseFont`
/// entries without their subset tag).
fn embedded_names(pdf: &[u8]) -> BTreeSet<String> {
    let needle = b"/BaseFont";
    let mut out = BTreeSet::new();
    let mut i = 0;
    while let Some(p) = pdf[i..].windows(needle.len()).position(|w| w == needle) {
        let mut j = i + p + needle.len();
        while pdf.get(j).is_some_and(|b| *b == b' ') {
            j += 1;
        }
        if pdf.get(j) == Some(&b'/') {
            let end = pdf[j + 1..].iter().position(|b| b" /<>[]()\n\r".contains(b)).map_or(pdf.len(), |e| j + 1 + e);
            let name = String::from_utf8_lossy(&pdf[j + 1..end]).into_owned();
            let name = match name.split_once('+') {
                Some((tag, rest)) if tag.len() == 6 => rest.to_string(),
                _ => name,
            };
            // CFF fonts carry their encoding in the name.
            let name = name.strip_suffix("-Identity-H").map(str::to_string).unwrap_or(name);
            out.insert(name);
        }
        i = j;
    }
    out
}

/// A family name without spaces, lowercased: how PostScript names start.
fn compact(family: &str) -> String {
    family.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether a face can set running text of `need`: not monospace, not a
/// math font, and has every sample character of the script.
fn sets(info: &FontInfo, need: Need) -> bool {
    let samples = need.samples();
    !info.flags.contains(FontFlags::MONOSPACE)
        && !info.flags.contains(FontFlags::MATH)
        && !samples.is_empty()
        && samples.chars().all(|c| info.coverage.contains(c as u32))
}

/// The font for `need`: the main family when it sets the script (wherever
/// it is); else a font the editor put in the book's `fonts/` or a
/// `font_paths` folder (in that order; a family made for the script first);
/// else a family made for the script, built in or (with `system`) installed
/// on the machine; else any text family that sets it, built in then
/// installed, by name so that the choice is the same on every run. The
/// machine's fonts are only read when the others do not do.
fn choose(need: Need, main: &str, faces: &[Face], system: Option<&dyn Fn() -> &'static [Face]>) -> Option<Choice> {
    let pick = |f: &Face| Choice {
        family: f.info.family.clone(),
        origin: f.origin.clone(),
        file: f.file.as_ref().map(|(p, _)| p.clone()),
    };
    // The face of `family` closest to a regular one, among `within`.
    let regular = |family: &str, within: &[&Face]| -> Option<Choice> {
        let best = within.iter().filter(|f| same(&f.info.family, family) && sets(&f.info, need)).min_by_key(|f| {
            let v = f.info.variant;
            ((v.weight.to_number() as i32 - 400).abs(), v.style != typst::text::FontStyle::Normal)
        })?;
        Some(pick(best))
    };
    let preferred = |within: &[&Face]| need.preferred().iter().find_map(|family| regular(family, within));
    let any = |within: &[&Face]| {
        let mut families: Vec<&str> =
            within.iter().filter(|f| sets(&f.info, need)).map(|f| f.info.family.as_str()).collect();
        families.sort_unstable();
        families.first().and_then(|family| regular(family, within))
    };
    let all: Vec<&Face> = faces.iter().collect();
    let system = || -> Vec<&'static Face> { system.map(|s| s().iter().collect()).unwrap_or_default() };
    // The main family is looked for on the machine only when the book's
    // fonts and the built-in ones do not have it.
    let main_here = all.iter().any(|f| same(&f.info.family, main));
    if let Some(c) = if main_here { regular(main, &all) } else { regular(main, &system()) } {
        return Some(c);
    }
    let mut explicit: Vec<&Origin> =
        faces.iter().map(|f| &f.origin).filter(|o| matches!(o, Origin::Book | Origin::Folder(_))).collect();
    explicit.dedup();
    for origin in explicit {
        let within: Vec<&Face> = faces.iter().filter(|f| &f.origin == origin).collect();
        if let Some(c) = preferred(&within).or_else(|| any(&within)) {
            return Some(c);
        }
    }
    let built_in: Vec<&Face> = faces.iter().filter(|f| f.origin == Origin::BuiltIn).collect();
    if let Some(c) = preferred(&built_in) {
        return Some(c);
    }
    let system = system();
    preferred(&system).or_else(|| any(&built_in)).or_else(|| any(&system))
}

/// The faces of the font files under `dir` (searched recursively), sorted
/// by file so the order is the same on every machine.
fn scan(dir: &Path, origin: Origin) -> Vec<Face> {
    let mut db = fontdb::Database::new();
    db.load_fonts_dir(dir);
    faces_of(&db, origin)
}

/// The faces of `db`, described for typst. Describing a face reads its
/// whole character map (a machine with Noto installed has some 300 faces, a
/// tenth of a second of work on one core), so faces are described on every core.
fn faces_of(db: &fontdb::Database, origin: Origin) -> Vec<Face> {
    use rayon::prelude::*;
    let all: Vec<&fontdb::FaceInfo> = db.faces().collect();
    let mut faces: Vec<Face> = all
        .par_iter()
        .filter_map(|face| {
            let path = match &face.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                fontdb::Source::Binary(_) => return None,
            };
            let info = db.with_face_data(face.id, FontInfo::new)??;
            Some(Face { info, origin: origin.clone(), file: Some((path, face.index)) })
        })
        .collect();
    faces.sort_by(|a, b| a.file.cmp(&b.file));
    faces
}

/// The fonts installed on this machine (where fontconfig says they are),
/// read once per process and only by books that need them.
fn system() -> &'static [Face] {
    static SYSTEM: OnceLock<Vec<Face>> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        faces_of(&db, Origin::System)
    })
}

/// The fonts of a book: its `fonts/` folder (TrueType and OpenType files).
pub fn book_fonts(root: &Path) -> Result<Vec<Font>, FontError> {
    let dir = root.join(FONTS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut fonts = Vec::new();
    for f in files {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if !["ttf", "otf", "ttc", "otc"].contains(&ext.as_str()) {
            continue;
        }
        let Ok(rel) = f.strip_prefix(root) else { continue };
        let Ok(real) = locate(root, rel) else { continue };
        let data = std::fs::read(&real).map_err(|source| FontError::Read { path: real.clone(), source })?;
        fonts.extend(Font::iter(typst::foundations::Bytes::new(data)));
    }
    Ok(fonts)
}

/// Every piece of text of an essay that the editions print: title,
/// subtitle, the authors' names, bios and affiliations, the body's text,
/// code and formulas.
pub fn each_text<'a>(e: &'a Essay, f: &mut dyn FnMut(&str)) {
    f(&e.title);
    if let Some(s) = &e.subtitle {
        f(s);
    }
    for a in &e.authors {
        f(&a.name);
        for s in [&a.bio, &a.affiliation].into_iter().flatten() {
            f(s);
        }
    }
    e.body.for_each_inline(&mut |i: &'a Inline| match i {
        Inline::Text { text, .. } | Inline::Code(text) => f(text),
        // A formula prints the characters of its MathML, in the math font.
        Inline::Math { mathml: Ok(m), .. } => f(&crate::input::math::printed_text(m)),
        _ => {}
    });
    e.body.for_each_block(&mut |b: &'a Block| {
        if let Block::Code { text, .. } = b {
            f(text)
        }
    });
}

/// The needs of one essay, in its language.
pub fn needs_of(e: &Essay) -> BTreeSet<Need> {
    let mut out = BTreeSet::new();
    each_text(e, &mut |s| script::needs(s, &e.lang, &mut out));
    out
}

/// The needs of every text of a book (and of its title, in its language).
fn needs_of_all<'a>(texts: impl Iterator<Item = &'a Essay>, book_text: &[&str], lang: &str) -> BTreeSet<Need> {
    let mut out = BTreeSet::new();
    for e in texts {
        out.extend(needs_of(e));
    }
    for s in book_text {
        script::needs(s, lang, &mut out);
    }
    out.insert(Need::LATIN);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_fonts_set_latin_greek_and_cyrillic_but_not_arabic() {
        let faces: Vec<Face> =
            EMBEDDED.iter().map(|(_, i)| Face { info: i.clone(), origin: Origin::BuiltIn, file: None }).collect();
        let latin = choose(Need::LATIN, "Libertinus Serif", &faces, None).unwrap();
        assert_eq!(latin.family, "Libertinus Serif");
        let greek = script::Need::Script(script::ScriptId(unicode_script::Script::Greek));
        assert_eq!(choose(greek, "Libertinus Serif", &faces, None).unwrap().family, "Libertinus Serif");
        // DejaVu Sans Mono has Arabic letters, but it is monospace.
        let arabic = script::Need::Script(script::ScriptId(unicode_script::Script::Arabic));
        assert_eq!(choose(arabic, "Libertinus Serif", &faces, None), None);
        // New Computer Modern Math has Devanagari letters, but it is a math font.
        let devanagari = script::Need::Script(script::ScriptId(unicode_script::Script::Devanagari));
        let chosen = choose(devanagari, "Libertinus Serif", &faces, None).map(|c| c.family);
        assert_ne!(chosen.as_deref(), Some("New Computer Modern Math"));
    }

    #[test]
    fn subset_tags_are_removed_from_embedded_names() {
        let pdf =
            b"<</Type/Font/BaseFont /ABCDEF+LibertinusSerif-Regular-Identity-H/X 1>> /BaseFont/NotoNaskhArabic-Bold ";
        let names = embedded_names(pdf);
        assert!(names.contains("LibertinusSerif-Regular") && names.contains("NotoNaskhArabic-Bold"), "{names:?}");
    }
}
