//! Stage 1, load: find the contributions, read and parse them in parallel.
//!
//! Each file is read (within a size limit, and only when it really lies inside
//! the book), split, its front matter parsed, its Markdown converted into a
//! [`Document`], and the images it names probed.
//! Nothing here stops at a problem: every file yields what could be read and
//! diagnostics for the rest, so `check` reports all essays in one run.

pub mod assets;
mod authors;
pub mod citations;
pub mod crossref;
mod discover;
pub mod frontmatter;
pub mod git;
pub mod html;
pub mod markdown;
pub mod math;
pub mod pandoc;
pub mod references;
pub mod svg;
pub mod translations;

use std::collections::BTreeMap;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, BookConfig};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::{BodyImage, Essay, Kind, References};
use crate::model::document::{Block, Document, Inline, plain_text};
use assets::{Asset, AssetProblem};
use frontmatter::{RawFrontMatter, SplitError};

/// The folder of contributions, under the book's root.
pub const CONTRIBUTIONS: &str = "contributions";

/// Largest Markdown file accepted, in bytes: 200 times a long essay. comrak
/// needs up to a few hundred bytes of memory per byte of pathological input,
/// so this bounds what one essay can make the tool allocate.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Everything read from a book's folder, before validation.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The book's folder, canonical.
    pub root: PathBuf,
    /// The configuration, when `book.toml` could be used.
    pub config: Option<BookConfig>,
    /// Every essay that could be read, sorted by file.
    pub essays: Vec<Essay>,
    /// Front matter texts.
    pub front: Vec<Essay>,
    /// Back matter texts.
    pub back: Vec<Essay>,
    /// Section introductions, by section id.
    pub intros: BTreeMap<String, Essay>,
    /// The cover image.
    pub cover: Option<Asset>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// Text of every file read, by path relative to the root.
    pub sources: BTreeMap<PathBuf, String>,
    /// The references every text can cite (`[book] references`).
    pub book_references: Arc<hayagriva::Library>,
    /// The texts' translations into the book's other languages, by file.
    pub translations: Vec<translations::Translation>,
}

impl Loaded {
    /// Every text loaded, each once: the essays, then front matter, back
    /// matter and section introductions. What `check` looks at.
    pub fn texts(&self) -> impl Iterator<Item = &Essay> {
        self.essays.iter().chain(&self.front).chain(&self.back).chain(self.intros.values())
    }
}

/// A failure that prevents looking at the book at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder does not exist or cannot be read.
    #[error("cannot open the book folder {path}: {source}")]
    Root {
        /// The folder given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The contributions folder cannot be listed.
    #[error("cannot list {path}: {source}")]
    List {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Loads the book in `root`: configuration, every contribution (in parallel),
/// front and back matter, section intros and the cover.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    let root = root.canonicalize().map_err(|source| LoadError::Root { path: root.to_path_buf(), source })?;
    let (config, book_text, mut diagnostics) = config::load(&root);
    let mut sources = BTreeMap::new();
    if let Some(t) = book_text {
        sources.insert(PathBuf::from(config::BOOK_FILE), t);
    }
    let (found, found_translations) = discover::discover(&root, &mut diagnostics)?;
    let lang = config.as_ref().map_or("und", |c| c.language.as_str()).to_string();
    let allow_html = config.as_ref().is_some_and(|c| c.rules.allow_html);
    let allow_extra = config.as_ref().is_some_and(|c| c.rules.allow_extra);
    let own_labels = config.as_ref().map(|c| c.labels.clone()).unwrap_or_default();
    let book_references = Arc::new(book_references(&root, config.as_ref(), &mut sources, &mut diagnostics));

    let results: Vec<LoadedText> = found
        .par_iter()
        .map(|f| {
            Text {
                root: &root,
                file: &f.file,
                kind: Kind::Essay,
                slug: &f.slug,
                book_lang: &lang,
                title: None,
                allow_html,
                book_refs: &book_references,
                allow_extra,
                labels: &own_labels,
                translation: false,
            }
            .load()
        })
        .collect();
    let mut essays = Vec::new();
    for r in results {
        diagnostics.extend(r.diagnostics);
        if let Some(t) = r.text {
            sources.insert(r.file, t);
        }
        sources.extend(r.references);
        essays.extend(r.essay);
    }

    let mut loaded = Loaded { root, config, essays, diagnostics, sources, book_references, ..Loaded::default() };
    if let Some(cfg) = loaded.config.clone() {
        load_book_texts(&mut loaded, &cfg);
        translations::load(&mut loaded, &cfg, &found_translations);
    }
    // Cross-references from one text to another's figures and headings.
    let Loaded { essays, front, back, intros, diagnostics, .. } = &mut loaded;
    let mut texts: Vec<&mut Essay> =
        essays.iter_mut().chain(front.iter_mut()).chain(back.iter_mut()).chain(intros.values_mut()).collect();
    crossref::across(&mut texts, diagnostics);
    Ok(loaded)
}

/// Reads the reference files `book.toml` names, merged in its order (a key's
/// first definition wins); their texts go into `sources`.
fn book_references(
    root: &Path,
    cfg: Option<&BookConfig>,
    sources: &mut BTreeMap<PathBuf, String>,
    diags: &mut Vec<Diagnostic>,
) -> hayagriva::Library {
    let Some(cfg) = cfg else { return hayagriva::Library::new() };
    let book_text = sources.get(Path::new(config::BOOK_FILE)).cloned().unwrap_or_default();
    let mut files = Vec::new();
    for written in &cfg.references {
        let at = Location::at(config::BOOK_FILE, &book_text, value_span(&book_text, 0..book_text.len(), written));
        if let Some(f) = references::read(root, Path::new(""), written, at, diags) {
            files.push(f);
        }
    }
    for f in &files {
        sources.insert(f.file.clone(), f.text.clone());
    }
    references::merge(&files, None)
}

/// Loads front and back matter, intros and the cover named by `book.toml`.
fn load_book_texts(loaded: &mut Loaded, cfg: &BookConfig) {
    let root = loaded.root.clone();
    let mut jobs: Vec<(PathBuf, Kind, String, Option<String>)> = Vec::new();
    for f in &cfg.front {
        jobs.push((f.clone(), Kind::Front, stem(f), None));
    }
    for f in &cfg.back {
        jobs.push((f.clone(), Kind::Back, stem(f), None));
    }
    for s in &cfg.sections {
        if let Some(i) = &s.intro {
            jobs.push((i.clone(), Kind::Intro, s.id.clone(), Some(s.title.clone())));
        }
    }
    let book_text = loaded.sources.get(Path::new(config::BOOK_FILE)).cloned().unwrap_or_default();
    let results: Vec<(Kind, String, LoadedText)> = jobs
        .par_iter()
        .map(|(file, kind, slug, title)| {
            let written = crate::diagnostic::slash_path(file);
            let rel = assets::resolve_lexically(Path::new(""), &written)
                .and_then(|rel| assets::locate(&root, &rel).map(|_| rel));
            let r = match rel {
                Ok(rel) => Text {
                    root: &root,
                    file: &rel,
                    kind: *kind,
                    slug,
                    book_lang: &cfg.language,
                    title: title.as_ref(),
                    allow_html: cfg.rules.allow_html,
                    book_refs: &loaded.book_references,
                    allow_extra: cfg.rules.allow_extra,
                    labels: &cfg.labels,
                    translation: false,
                }
                .load(),
                Err(problem) => {
                    let span = value_span(&book_text, 0..book_text.len(), &written);
                    let loc = Location::at(config::BOOK_FILE, &book_text, span);
                    let d = match problem {
                        AssetProblem::Outside => Diagnostic::new(
                            Code::PathOutsideBook,
                            loc,
                            format!("`{written}` is outside the book's folder; it was not read"),
                        ),
                        _ => Diagnostic::new(Code::BookFileMissing, loc, format!("`{written}` does not exist"))
                            .hint("paths in book.toml are relative to the book's folder"),
                    };
                    LoadedText {
                        file: file.clone(),
                        text: None,
                        essay: None,
                        diagnostics: vec![d],
                        references: Vec::new(),
                        recorded: None,
                    }
                }
            };
            (*kind, slug.clone(), r)
        })
        .collect();
    for (kind, slug, r) in results {
        loaded.diagnostics.extend(r.diagnostics);
        if let Some(t) = r.text {
            loaded.sources.insert(r.file, t);
        }
        loaded.sources.extend(r.references);
        if let Some(e) = r.essay {
            match kind {
                Kind::Front => loaded.front.push(e),
                Kind::Back => loaded.back.push(e),
                Kind::Intro => {
                    loaded.intros.insert(slug, e);
                }
                Kind::Essay => unreachable!(),
            }
        }
    }
    if let Some(cover) = &cfg.cover {
        loaded.cover = Some(assets::image(&root, Path::new(""), &crate::diagnostic::slash_path(cover)));
    }
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The result of loading one file.
struct LoadedText {
    file: PathBuf,
    text: Option<String>,
    essay: Option<Essay>,
    diagnostics: Vec<Diagnostic>,
    /// The text's own reference files, by path: for diagnostics.
    references: Vec<(PathBuf, String)>,
    /// The original's digest a translation records (`original_sha256`).
    recorded: Option<String>,
}

/// Byte span of `value` written as a TOML string inside `range` of `text`;
/// the start of the range when it cannot be found.
pub fn value_span(text: &str, range: Range<usize>, value: &str) -> Range<usize> {
    let hay = &text[range.clone()];
    for quoted in [format!("\"{value}\""), format!("'{value}'")] {
        if let Some(i) = hay.find(&quoted) {
            return range.start + i..range.start + i + quoted.len();
        }
    }
    range.start..range.start
}

/// Reads one Markdown file of the book. `title` is given for section intros.
/// A text to load: where it is, what it is, and what the book says of it.
#[derive(Clone, Copy)]
struct Text<'a> {
    root: &'a Path,
    /// Relative to the root.
    file: &'a Path,
    kind: Kind,
    slug: &'a str,
    /// The book's language, the text's unless its front matter says otherwise.
    book_lang: &'a str,
    /// The title `book.toml` gives it, if any.
    title: Option<&'a String>,
    /// Whether the rules allow raw HTML (then links and images written as
    /// HTML inside a paragraph become links and images).
    allow_html: bool,
    /// The references every text can cite.
    book_refs: &'a Arc<hayagriva::Library>,
    /// Whether the rules let a text keep an `[extra]` table.
    allow_extra: bool,
    /// The book's own words (`[labels]`), over its language's.
    labels: &'a BTreeMap<String, String>,
    /// Whether it is a translation of another text, whose authors it takes.
    translation: bool,
}

impl Text<'_> {
    /// Reads the text safely and parses it.
    fn load(self) -> LoadedText {
        let (root, file) = (self.root, self.file);
        let _doing = crate::doing::doing(format!("reading {}", crate::diagnostic::slash_path(file)));
        let mut out = LoadedText {
            file: file.to_path_buf(),
            text: None,
            essay: None,
            diagnostics: Vec::new(),
            references: Vec::new(),
            recorded: None,
        };
        let real = match assets::locate(root, file) {
            Ok(real) => real,
            Err(AssetProblem::Outside) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::PathOutsideBook,
                        Location::file(file),
                        "this file is a link to outside the book; it was not read",
                    )
                    .hint("copy the file into the book instead of linking to it"),
                );
                return out;
            }
            Err(_) => {
                out.diagnostics.push(Diagnostic::new(Code::Unreadable, Location::file(file), "cannot read this file"));
                return out;
            }
        };
        let text = match read_limited(&real, MAX_FILE_BYTES) {
            Ok(bytes) => match utf8(file, bytes) {
                Ok(t) => t,
                Err(bad) => {
                    let (lossy, d) = *bad;
                    out.diagnostics.push(d);
                    out.text = Some(lossy);
                    return out;
                }
            },
            Err(ReadError::TooLarge(n)) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::FileTooLarge,
                        Location::file(file),
                        format!("the file is {} KiB; the limit is {} KiB", n / 1024, MAX_FILE_BYTES / 1024),
                    )
                    .hint("an essay this large is probably not an essay; split it or remove embedded data"),
                );
                return out;
            }
            Err(ReadError::Io(e)) => {
                out.diagnostics.push(Diagnostic::new(
                    Code::Unreadable,
                    Location::file(file),
                    format!("cannot read this file: {e}"),
                ));
                return out;
            }
        };
        out.essay = self.parse(&text, &mut out.diagnostics, &mut out.references, &mut out.recorded);
        out.text = Some(text);
        out
    }

    /// Splits and parses `text`: front matter, body, title, language and
    /// authors. `None` when it cannot be an essay (diagnostics say why).
    fn parse(
        self,
        text: &str,
        diags: &mut Vec<Diagnostic>,
        ref_texts: &mut Vec<(PathBuf, String)>,
        recorded: &mut Option<String>,
    ) -> Option<Essay> {
        let (root, file, kind) = (self.root, self.file, self.kind);
        let (raw, front_range, body_range, body_line) = self.split(text, diags)?;
        let fm_loc = |value: &str| -> Location {
            let span = value_span(text, front_range.clone(), value);
            if span.is_empty() { Location::line_col(file, 1, 1) } else { Location::at(file, text, span) }
        };
        if let Some(at) = markdown::too_much_markup(&text[body_range.clone()]) {
            let at = body_range.start + at;
            diags.push(
                Diagnostic::new(
                    Code::TooMuchMarkup,
                    Location::at(file, text, at..at + 1),
                    format!(
                        "more than {} markup characters (* _ ~ [ ] ` < |) by here: the text is not read further",
                        markdown::MAX_MARKUP
                    ),
                )
                .hint("an essay has a few hundred; put data in a file the essay links to, or split the text"),
            );
            return None;
        }
        let parsed = markdown::parse_allowing_html(&text[body_range], body_line, self.allow_html);
        if let Some(pos) = parsed.too_deep {
            diags.push(
                Diagnostic::new(
                    Code::TooDeep,
                    Location::line_col(file, pos.line as usize, pos.col as usize),
                    format!("markup is nested more than {} levels deep here", markdown::MAX_DEPTH),
                )
                .hint("flatten the nested quotes or lists"),
            );
        }
        let mut body = parsed.document;
        let Some(title) = self.title(&raw, &mut body) else {
            let loc = if front_range.is_empty() {
                Location::line_col(file, 1, 1)
            } else {
                Location::at(file, text, front_range.start..front_range.start)
            };
            diags.push(
                Diagnostic::new(Code::MissingTitle, loc, "no title").hint("add `title = \"…\"` to the front matter"),
            );
            return None;
        };
        let lang = match &raw.lang {
            Some(l) => match crate::lang::normalised(l) {
                Some(tag) => tag,
                None => {
                    diags.push(
                        Diagnostic::new(Code::InvalidValue, fm_loc(l), format!("`{l}` is not a BCP 47 language tag"))
                            .hint("use a tag such as `fr`, `en` or `en-GB`"),
                    );
                    self.book_lang.to_string()
                }
            },
            None => self.book_lang.to_string(),
        };
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let raw_authors = raw.authors.clone().unwrap_or_default();
        *recorded = raw.original_sha256.clone();
        if raw_authors.is_empty() && kind == Kind::Essay && !self.translation {
            diags.push(
                Diagnostic::new(Code::MissingAuthors, fm_loc(&title), "the essay has no authors")
                    .hint("add an author to the front matter:\n[[authors]]\nname = \"…\""),
            );
        }
        let written = || authors::Written { root, file, text, front_range: front_range.clone(), title: &title };
        let authors = authors::read(written(), raw_authors, &fm_loc, diags);
        let translators = authors::read(written(), raw.translators.clone().unwrap_or_default(), &fm_loc, diags);
        let doi = raw.doi.as_deref().and_then(|d| {
            let hint = "write the DOI as the registration agency gave it: 10.<registrant>/<suffix>";
            identifier(d, crate::identifiers::doi, "a DOI", hint, fm_loc(d), diags)
        });
        let date = raw.date.as_deref().and_then(|d| {
            if crate::config::valid_date(d) {
                return Some(d.to_string());
            }
            diags.push(
                Diagnostic::new(Code::InvalidValue, fm_loc(d), format!("`{d}` is not a date"))
                    .hint("write the date as \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\""),
            );
            None
        });
        if raw.extra.is_some() && !self.allow_extra {
            diags.push(
                Diagnostic::new(
                    Code::UnknownKey,
                    text[front_range.clone()].find("[extra]").map_or_else(
                        || Location::line_col(file, 1, 1),
                        |i| Location::at(file, text, front_range.start + i..front_range.start + i + 7),
                    ),
                    "the book does not keep contributions' `[extra]` metadata",
                )
                    .hint("set `allow_extra = true` under [rules] in book.toml to keep it (it is never printed), or remove the table"),
            );
        }
        if let Some(text) = raw.r#abstract.as_deref().filter(|a| !a.trim().is_empty()) {
            abstract_first(&mut body, text, fm_loc(text).line.max(1));
        }
        pandoc::settle(&mut body, &crate::lang::labels::Labels::with(&lang, self.labels));
        let (references, has_files) = self.references(&raw, &dir, &fm_loc, diags, ref_texts);
        if !references.library.is_empty() {
            let library = references.library.clone();
            citations::find(&mut body, &|k| library.get(k).is_some());
        } else if !has_files {
            // (A file that cannot be read has its own diagnostic.)
            for (key, pos) in citations::written(&body) {
                diags.push(
                    Diagnostic::new(
                        Code::CitationWithoutReferences,
                        Location::line_col(file, pos.line as usize, pos.col as usize),
                        format!("`@{key}` is cited, but the text has no references: it would print as written"),
                    )
                    .hint("put the .bib or .yaml file that defines it beside the text, or name it in `references`"),
                );
            }
        }
        let mut images = Vec::new();
        body.for_each_inline(&mut |i| {
            if let Inline::Image { url, alt, pos, .. } = i {
                images.push(BodyImage { pos: *pos, alt: alt.clone(), asset: assets::image(root, &dir, url) });
            }
        });
        let words = body.word_count();
        Some(Essay {
            kind,
            slug: self.slug.to_string(),
            file: file.to_path_buf(),
            dir,
            title,
            subtitle: raw.subtitle,
            summary: raw.summary,
            quote: raw.quote,
            lang,
            section: raw.section,
            weight: raw.weight,
            tags: raw.tags.unwrap_or_default(),
            draft: raw.draft.unwrap_or(false),
            authors,
            body,
            words,
            images,
            references,
            doi,
            date,
            translators,
            original: None,
        })
    }

    /// The works the text can cite: the files its front matter names, its
    /// own `references.bib` (`<name>.bib` beside a single-file text), then
    /// the book's; and whether it has reference files of its own, read or not.
    fn references(
        &self,
        raw: &RawFrontMatter,
        dir: &Path,
        fm_loc: &dyn Fn(&str) -> Location,
        diags: &mut Vec<Diagnostic>,
        ref_texts: &mut Vec<(PathBuf, String)>,
    ) -> (References, bool) {
        let mut files = Vec::new();
        let mut has_files = raw.references.is_some();
        for written in raw.references.as_ref().map(|r| r.to_vec()).unwrap_or_default() {
            if let Some(f) = references::read(self.root, dir, &written, fm_loc(&written), diags) {
                files.push(f);
            }
        }
        let own_name = self.file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let defaults: Vec<String> = if own_name == "index" {
            references::DEFAULT_NAMES.iter().map(|n| n.to_string()).collect()
        } else {
            ["bib", "yaml", "yml"].iter().map(|e| format!("{own_name}.{e}")).collect()
        };
        for name in defaults {
            let rel = dir.join(&name);
            if files.iter().any(|f| f.file == rel) || !self.root.join(&rel).is_file() {
                continue;
            }
            has_files = true;
            if let Ok(real) = assets::locate(self.root, &rel)
                && let Some(f) = references::read_found(&rel, &real, diags)
            {
                files.push(f);
            }
        }
        let own = files.iter().flat_map(|f| f.defined.iter().cloned()).collect();
        let library = if files.is_empty() {
            self.book_refs.clone()
        } else {
            Arc::new(references::merge(&files, Some(self.book_refs)))
        };
        ref_texts.extend(files.into_iter().map(|f| (f.file, f.text)));
        (References { library, own, style: raw.citation_style.clone() }, has_files)
    }

    /// The front matter (empty for front and back matter without any), its
    /// span, the body's span and the body's first line.
    fn split(
        &self,
        text: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(RawFrontMatter, Range<usize>, Range<usize>, u32)> {
        let file = self.file;
        match frontmatter::split(text) {
            Ok(s) => {
                let (raw, d) = frontmatter::parse(file, text, s.front.clone());
                diags.extend(d);
                Some((raw?, s.front, s.body, s.body_line))
            }
            Err(SplitError::Missing { yaml }) if self.kind == Kind::Essay => {
                let d = Diagnostic::new(
                    Code::FrontMatterMissing,
                    Location::line_col(file, 1, 1),
                    "the essay has no front matter",
                );
                diags.push(if yaml {
                    d.hint("front matter is TOML between +++ lines, not YAML between --- lines")
                } else {
                    d.hint("start the file with front matter:\n+++\ntitle = \"…\"\n[[authors]]\nname = \"…\"\n+++")
                });
                None
            }
            Err(SplitError::Missing { .. }) => Some((RawFrontMatter::default(), 0..0, 0..text.len(), 1)),
            Err(SplitError::Unclosed(open)) => {
                diags.push(
                    Diagnostic::new(
                        Code::FrontMatterUnclosed,
                        Location::at(file, text, open),
                        "the front matter is never closed",
                    )
                    .hint("add a line with +++ after the front matter"),
                );
                None
            }
        }
    }

    /// The title: the front matter's, else the one `book.toml` gives, else
    /// (front and back matter) a first level-one heading, taken out of the body.
    fn title(&self, raw: &RawFrontMatter, body: &mut Document) -> Option<String> {
        if let Some(t) = raw.title.clone().filter(|t| !t.trim().is_empty()) {
            return Some(t);
        }
        if let Some(t) = self.title {
            return Some(t.to_string());
        }
        if !matches!(self.kind, Kind::Front | Kind::Back) {
            return None;
        }
        match body.blocks.first() {
            Some(Block::Heading { level: 1, content, .. }) => {
                let t = plain_text(content);
                body.blocks.remove(0);
                Some(t)
            }
            _ => None,
        }
    }
}

/// The text of `file`, or (when it is not UTF-8) its text with the bad
/// bytes replaced and a diagnostic at the first of them.
fn utf8(file: &Path, bytes: Vec<u8>) -> Result<String, Box<(String, Diagnostic)>> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let at = String::from_utf8_lossy(&e.as_bytes()[..at]).len();
        let d = Diagnostic::new(Code::Unreadable, Location::at(file, &lossy, at..at), "the file is not valid UTF-8")
            .hint("save the file with UTF-8 encoding");
        Box::new((lossy, d))
    })
}

/// `written` as the identifier `check` reads (its canonical form), or
/// `None` with a diagnostic at `loc` saying why it is not one.
fn identifier(
    written: &str,
    check: fn(&str) -> Result<String, String>,
    what: &str,
    hint: &str,
    loc: Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match check(written) {
        Ok(id) => Some(id),
        Err(why) => {
            diags.push(
                Diagnostic::new(Code::InvalidIdentifier, loc, format!("`{written}` is not {what}: {why}")).hint(hint),
            );
            None
        }
    }
}

enum ReadError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads at most `limit` bytes of `path`: more is an error, told without reading it.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let f = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut buf = Vec::new();
    f.take(limit + 1).read_to_end(&mut buf).map_err(ReadError::Io)?;
    if buf.len() as u64 > limit {
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(buf.len() as u64);
        return Err(ReadError::TooLarge(len));
    }
    Ok(buf)
}

/// The front matter's `abstract` (Markdown, its first line at `line` of the
/// file) read and set before the text, as pandoc's `::: abstract` div is.
fn abstract_first(body: &mut Document, text: &str, line: usize) {
    let parsed = markdown::parse(text, line as u32).document;
    let kind = crate::model::document::CalloutKind::Abstract;
    body.blocks.insert(0, Block::Callout { kind, title: Vec::new(), blocks: parsed.blocks });
    body.footnotes.extend(parsed.footnotes);
    body.ids.extend(parsed.ids);
}
