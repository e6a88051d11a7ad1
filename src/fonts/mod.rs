//! The fonts a book is typeset with: typst's embedded fonts and the files in
//! the book's `fonts/` folder, loaded once and shared by the PDF, the
//! offprints and the share cards. [`coverage`] tells `check` which characters
//! no font can draw, before anything is typeset.

pub mod coverage;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

use crate::input::assets::locate;

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

/// Fonts for one book: the embedded ones and the book's own.
pub struct Fonts {
    store: FontStore,
}

impl Fonts {
    /// The embedded fonts plus `extra` (from the book's `fonts/` folder).
    pub fn new(extra: Vec<Font>) -> Self {
        let mut store = FontStore::new();
        store.extend(EMBEDDED.iter().cloned());
        store.extend(extra.into_iter().map(|f| {
            let info = f.info().clone();
            (f, info)
        }));
        Fonts { store }
    }

    /// The font at `index` of [`Fonts::book`].
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// The font book (families and coverage).
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }
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

/// Every font family available to a book, sorted.
pub fn families(root: &Path) -> Result<Vec<String>, FontError> {
    let fonts = Fonts::new(book_fonts(root)?);
    let mut names: Vec<String> = fonts.book().families().map(|(name, _)| name.to_string()).collect();
    names.sort();
    names.dedup();
    Ok(names)
}
