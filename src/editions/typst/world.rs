//! The typst world of one book: everything typst may read, held in memory.
//!
//! The tool registers the template, the generated sources, the data and the
//! images under virtual paths; typst gets those and nothing else. There is no
//! file-system access, no package and no network behind it, so an essay cannot
//! make typst read a file the tool did not hand it. The date is fixed by the
//! caller, so the same sources give the same document.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::Fonts;
use crate::model::book::Book;

use super::{PRINT_PHOTO_PIXELS, PdfError, Sources};

/// The standard library, shared by every compile.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    // `pdf.header-cell` tags a row's header cell, which HTML tables have.
    let features = [typst::Feature::A11yExtras].into_iter().collect();
    LazyHash::new(Library::builder().with_inputs(Dict::new()).with_features(features).build())
});

/// The virtual file id of an absolute virtual path such as `/main.typ`.
pub fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

/// Everything one compile of a book can read. Cloning is cheap (sources and
/// files are shared): an offprint is the book's world with one file changed.
///
/// Sources are held as text and parsed by the world that compiles them,
/// once, then dropped with it: a piece of the book reads only its own (its
/// main file, the template, and its essay's markup), and parsed trees held
/// for the whole build were a quarter of a 1,000-essay book's memory. A
/// clone starts with what its original had parsed (the book's world, never
/// compiled itself when the book is set in pieces, has parsed nothing; a
/// book typeset whole gives its parse to each offprint's world), and what
/// it parses after stays its own.
pub struct BookWorld {
    fonts: Arc<Fonts>,
    main: FileId,
    sources: HashMap<FileId, Arc<str>>,
    /// The sources this world parsed, each for the text it holds now.
    parsed: Mutex<HashMap<FileId, Source>>,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
    /// Where every file typst asks for is noted, when set (see [`logging`](Self::logging)).
    log: Option<Arc<Mutex<HashSet<FileId>>>>,
}

impl Clone for BookWorld {
    fn clone(&self) -> Self {
        BookWorld {
            fonts: self.fonts.clone(),
            main: self.main,
            sources: self.sources.clone(),
            parsed: Mutex::new(self.parsed.lock().unwrap_or_else(|e| e.into_inner()).clone()),
            files: self.files.clone(),
            today: self.today,
            log: self.log.clone(),
        }
    }
}

impl BookWorld {
    /// A world whose main file is `main` (a virtual path already added with
    /// [`add_source`](Self::add_source)).
    pub fn new(fonts: Arc<Fonts>, main: &str, today: Option<Datetime>) -> Self {
        BookWorld {
            fonts,
            main: file_id(main),
            sources: HashMap::new(),
            parsed: Mutex::new(HashMap::new()),
            files: HashMap::new(),
            today,
            log: None,
        }
    }

    /// Makes `path` (registered with [`set_source`](Self::set_source)) the main file.
    pub fn set_main(&mut self, path: &str) {
        self.main = file_id(path);
    }

    /// This world, noting in `log` every file typst asks for: what a
    /// compile read, to know when its result can be used again.
    pub fn logging(&self, log: Arc<Mutex<HashSet<FileId>>>) -> BookWorld {
        BookWorld { log: Some(log), ..self.clone() }
    }

    /// A hash of the content of file `id` as this world serves it; `None`
    /// when it serves no such file.
    pub fn content_hash(&self, id: FileId) -> Option<u128> {
        if let Some(b) = self.files.get(&id) {
            return Some(typst::utils::hash128(b));
        }
        self.sources.get(&id).map(|s| typst::utils::hash128(&**s))
    }

    fn note(&self, id: FileId) {
        if let Some(log) = &self.log {
            log.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
        }
    }

    /// Registers a typst source.
    pub fn add_source(&mut self, path: &str, text: String) {
        self.put_text(path, text.into());
    }

    /// Registers a data or image file.
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(file_id(path), Bytes::new(bytes));
    }

    /// Registers a typst source, or updates the one registered at `path`,
    /// kept as it is when the text is the same.
    pub fn set_source(&mut self, path: &str, text: &str) {
        let id = file_id(path);
        if self.sources.get(&id).is_none_or(|s| **s != *text) {
            self.put_text(path, text.into());
        }
    }

    /// Registers a typst source's shared text at `path`, replacing any (and
    /// its parse).
    pub fn put_text(&mut self, path: &str, text: Arc<str>) {
        let id = file_id(path);
        self.parsed.get_mut().unwrap_or_else(|e| e.into_inner()).remove(&id);
        self.sources.insert(id, text);
    }

    /// Registers the bytes of a file, replacing any.
    pub fn put_file(&mut self, path: &str, bytes: Bytes) {
        self.files.insert(file_id(path), bytes);
    }

    /// Registers a data or image file, keeping the registered one (and its
    /// hash, already computed) when the bytes are the same.
    pub fn set_file(&mut self, path: &str, bytes: Vec<u8>) {
        let id = file_id(path);
        if self.files.get(&id).is_none_or(|b| b.as_slice() != bytes.as_slice()) {
            self.files.insert(id, Bytes::new(bytes));
        }
    }

    /// Forgets every source and file whose virtual path is not in `keep`.
    pub fn retain(&mut self, keep: &std::collections::HashSet<String>) {
        let kept = |id: &FileId| keep.contains(id.get().vpath().get_with_slash());
        self.sources.retain(|id, _| kept(id));
        self.files.retain(|id, _| kept(id));
    }

    /// Whether this world was made with these fonts and this date.
    pub fn made_with(&self, fonts: &Arc<Fonts>, today: Option<Datetime>) -> bool {
        Arc::ptr_eq(&self.fonts, fonts) && self.today == today
    }

    /// The text of a registered source, for error messages.
    pub fn source_text(&self, id: FileId) -> Option<&str> {
        self.sources.get(&id).map(|s| &**s)
    }
}

fn refuse(id: FileId) -> FileError {
    let path = id.get();
    match path.root() {
        VirtualRoot::Package(_) => FileError::Other(Some("packages are not available to books".into())),
        VirtualRoot::Project => FileError::NotFound(path.vpath().get_without_slash().into()),
    }
}

impl World for BookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.note(id);
        let text = self.sources.get(&id).ok_or_else(|| refuse(id))?;
        let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        Ok(parsed.entry(id).or_insert_with(|| Source::new(id, text.to_string())).clone())
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.note(id);
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.to_string()));
        }
        Err(refuse(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Makes the world of a book from its sources, images scaled to the sizes
/// they print at (through `images`, which keeps them for the next build).
pub fn world(
    book: &Book,
    s: &Sources,
    fonts: Arc<Fonts>,
    images: &crate::editions::images::Cache,
) -> Result<BookWorld, PdfError> {
    let mut w = BookWorld::new(fonts, "/main.typ", today(book));
    update_world(&mut w, book, s, images)?;
    Ok(w)
}

/// The date typst's `datetime.today()` gives: the book's, never the clock's.
pub fn today(book: &Book) -> Option<Datetime> {
    book.config.build_date().and_then(|(y, m, d, ..)| Datetime::from_ymd(y, m, d))
}

/// Brings a world made for an earlier state of the book up to `s`: what did
/// not change is kept as it is, so that typst's memoised work stays valid.
pub fn update_world(
    w: &mut BookWorld,
    book: &Book,
    s: &Sources,
    images: &crate::editions::images::Cache,
) -> Result<(), PdfError> {
    use rayon::prelude::*;
    let assets: Vec<_> = s.assets.iter().collect();
    // Each image scaled and, for a photo, its headers read, on every core:
    // `watch` does this for every image at each rebuild.
    let files: Vec<Vec<(String, Vec<u8>)>> = assets
        .par_iter()
        .map(|(file, (vpath, max))| {
            let bytes = images.print(&book.root.join(file), *max).map_err(|e| PdfError::Image(Box::new(e)))?;
            Ok(typst_files(vpath, *max, bytes))
        })
        .collect::<Result<_, PdfError>>()?;
    let mut keep: std::collections::HashSet<String> =
        ["/main.typ", "/book.json", "/offprint.json", "/piece.json"].map(String::from).into();
    w.set_source("/main.typ", &s.template);
    w.set_file("/book.json", s.data.clone().into_bytes());
    // The book itself: no offprint (see `offprints`), no piece (see `pieces`):
    // each piece's world sets its own.
    w.set_file("/offprint.json", b"null".to_vec());
    w.set_file("/piece.json", b"null".to_vec());
    for (path, text) in &s.markup {
        w.set_source(path, text);
        keep.insert(path.clone());
    }
    for (path, bytes) in files.into_iter().flatten() {
        w.set_file(&path, bytes);
        keep.insert(path);
    }
    w.retain(&keep);
    Ok(())
}

/// The files typst is given for an image served at `vpath`, printed at most
/// `max` pixels: the image itself, except a photo that is a JPEG needing no
/// colour profile and no turning. That one is served as a small SVG that
/// links to the JPEG beside it (`vpath` + `.jpg`): typst holds an SVG's
/// linked JPEG as its compressed bytes, where it holds a JPEG given as an
/// image decoded, for as long as the book's pages live (300 KB a photo at
/// 320 pixels, 290 MiB for a 1,000-essay book, once more in the offprints'
/// first pages). The PDF embeds the same JPEG bytes either way. Images in
/// essays stay as they are, so that typst's resolution check still sees
/// their pixels (a photo prints at the template's fixed size).
fn typst_files(vpath: &str, max: u32, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    match (max == PRINT_PHOTO_PIXELS).then(|| plain_jpeg_size(&bytes)).flatten() {
        Some((width, height)) => {
            let linked = format!("{vpath}.jpg");
            let name = linked.rsplit('/').next().unwrap_or(&linked);
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
                 viewBox=\"0 0 {width} {height}\"><image width=\"{width}\" height=\"{height}\" href=\"{name}\"/></svg>"
            );
            vec![(vpath.to_string(), svg.into_bytes()), (linked, bytes)]
        }
        None => vec![(vpath.to_string(), bytes)],
    }
}

/// The size of a JPEG that prints the same whether typst decodes it or a
/// PDF reader does: colour or grey, no ICC profile, no EXIF turn. Read from
/// its headers only.
fn plain_jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    use image::ImageDecoder;
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let plain = matches!(decoder.color_type(), image::ColorType::Rgb8 | image::ColorType::L8)
        && decoder.icc_profile().ok()?.is_none()
        && decoder.orientation().ok()? == image::metadata::Orientation::NoTransforms;
    plain.then(|| decoder.dimensions())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editions::typst::PRINT_IMAGE_PIXELS;

    /// A grey JPEG, with a colour profile or an EXIF turn when given.
    fn jpeg(width: u16, height: u16, icc: Option<&[u8]>, turned: bool) -> Vec<u8> {
        let pixels = vec![128u8; width as usize * height as usize * 3];
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
        if let Some(profile) = icc {
            encoder.add_icc_profile(profile).unwrap();
        }
        if turned {
            // Exif, little-endian TIFF, one entry: Orientation (0x0112) = 6.
            let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
            exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
            encoder.add_app_segment(1, exif).unwrap();
        }
        encoder.encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    #[test]
    fn a_plain_jpeg_photo_is_linked_from_an_svg_and_anything_else_is_served_as_it_is() {
        let plain = jpeg(320, 200, None, false);
        let files = typst_files("/assets/3", PRINT_PHOTO_PIXELS, plain.clone());
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].0, "/assets/3");
        let svg = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(svg.contains("width=\"320\" height=\"200\""), "{svg}");
        assert!(svg.contains("href=\"3.jpg\""), "{svg}");
        assert_eq!(files[1], ("/assets/3.jpg".to_string(), plain.clone()));
        // The SVG is what typst reads it as, at the JPEG's size.
        assert_eq!(
            typst::visualize::ImageFormat::detect(&files[0].1),
            Some(typst::visualize::VectorFormat::Svg.into())
        );

        // An image in an essay keeps its pixels for typst's resolution check.
        assert_eq!(typst_files("/assets/3", PRINT_IMAGE_PIXELS, plain.clone()), [("/assets/3".to_string(), plain)]);
        // A colour profile is applied by typst, not by a PDF reader: kept.
        let profiled = jpeg(32, 32, Some(b"not really a profile"), false);
        assert_eq!(typst_files("/assets/0", PRINT_PHOTO_PIXELS, profiled).len(), 1);
        // So is a turn that typst applies and a PDF reader would not.
        assert_eq!(typst_files("/assets/0", PRINT_PHOTO_PIXELS, jpeg(32, 16, None, true)).len(), 1);
        assert_eq!(typst_files("/assets/0", PRINT_PHOTO_PIXELS, jpeg(32, 16, None, false)).len(), 2);
        // So are PNG and what is no image at all.
        let mut png = Vec::new();
        image::DynamicImage::new_rgb8(4, 4)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(typst_files("/assets/1", PRINT_PHOTO_PIXELS, png).len(), 1);
        assert_eq!(typst_files("/assets/2", PRINT_PHOTO_PIXELS, b"GIF89a".to_vec()).len(), 1);
    }

    #[test]
    fn a_source_is_parsed_by_the_world_that_reads_it_and_not_kept_by_its_clones() {
        let fonts = Arc::new(Fonts::new(Vec::new()));
        let mut base = BookWorld::new(fonts, "/main.typ", None);
        base.add_source("/main.typ", "#include \"/essay.typ\"".to_string());
        base.set_source("/essay.typ", "Some *text*.");
        let id = file_id("/essay.typ");
        let hash = base.content_hash(id);
        let piece = base.clone();
        let first = piece.source(id).unwrap();
        // Parsed once for the compile that asked, then served as parsed.
        assert!(std::ptr::eq(first.root(), piece.source(id).unwrap().root()));
        assert_eq!(piece.parsed.lock().unwrap().len(), 1);
        // The world it was cloned from, and its other clones, hold none.
        assert!(base.parsed.lock().unwrap().is_empty());
        let other = base.clone();
        assert!(other.parsed.lock().unwrap().is_empty());
        // A parse elsewhere is the same source to typst's memoisation.
        assert_eq!(typst::utils::hash128(&other.source(id).unwrap()), typst::utils::hash128(&first));
        assert_eq!(other.content_hash(id), hash);
        // A clone of a world that parsed starts with its parse (an offprint
        // of a book typeset whole parses nothing again).
        let offprint = piece.clone();
        assert!(std::ptr::eq(first.root(), offprint.source(id).unwrap().root()));
        // The same text again keeps the entry; a new one replaces it, and
        // the parse of the old text with it.
        base.set_source("/essay.typ", "Some *text*.");
        assert_eq!(base.content_hash(id), hash);
        assert!(typst::compile::<typst_layout::PagedDocument>(&base).output.is_ok());
        assert_eq!(base.parsed.lock().unwrap().len(), 2);
        base.set_source("/essay.typ", "Other text.");
        assert_ne!(base.content_hash(id), hash);
        assert_eq!(base.source(id).unwrap().text(), "Other text.");
        assert_eq!(base.clone().source(id).unwrap().text(), "Other text.");
    }
}
