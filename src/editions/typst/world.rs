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

/// The standard library, shared by every compile.
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().with_inputs(Dict::new()).build()));

/// The virtual file id of an absolute virtual path such as `/main.typ`.
pub fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

/// Everything one compile of a book can read. Cloning is cheap (sources and
/// files are shared): an offprint is the book's world with one file changed.
#[derive(Clone)]
pub struct BookWorld {
    fonts: Arc<Fonts>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
    /// Where every file typst asks for is noted, when set (see [`logging`](Self::logging)).
    log: Option<Arc<Mutex<HashSet<FileId>>>>,
}

impl BookWorld {
    /// A world whose main file is `main` (a virtual path already added with
    /// [`add_source`](Self::add_source)).
    pub fn new(fonts: Arc<Fonts>, main: &str, today: Option<Datetime>) -> Self {
        BookWorld { fonts, main: file_id(main), sources: HashMap::new(), files: HashMap::new(), today, log: None }
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
        self.sources.get(&id).map(|s| typst::utils::hash128(s.text()))
    }

    fn note(&self, id: FileId) {
        if let Some(log) = &self.log {
            log.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
        }
    }

    /// Registers a typst source.
    pub fn add_source(&mut self, path: &str, text: String) {
        let id = file_id(path);
        self.sources.insert(id, Source::new(id, text));
    }

    /// Registers a data or image file.
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(file_id(path), Bytes::new(bytes));
    }

    /// Registers a typst source, or updates the one registered at `path`:
    /// kept as it is when the text is the same, reparsed incrementally when
    /// it changed. typst's memoised work on an unchanged source stays valid,
    /// which is what makes a `watch` rebuild fast.
    pub fn set_source(&mut self, path: &str, text: &str) {
        let id = file_id(path);
        match self.sources.get_mut(&id) {
            Some(source) if source.text() == text => {}
            Some(source) => {
                source.replace(text);
            }
            None => {
                self.sources.insert(id, Source::new(id, text.to_string()));
            }
        }
    }

    /// Registers a parsed source under its own path, replacing any.
    pub fn put_source(&mut self, source: Source) {
        self.sources.insert(source.id(), source);
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
        self.sources.get(&id).map(|s| s.text())
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
        self.sources.get(&id).cloned().ok_or_else(|| refuse(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.note(id);
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.text().to_string()));
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
