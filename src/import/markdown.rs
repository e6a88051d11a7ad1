//! `anthology import markdown`: posts and pages with YAML or TOML front
//! matter, as Jekyll, Hugo, Quarto and pandoc write them.
//!
//! Each file becomes a contribution: its front matter mapped onto this
//! format's keys (`author` in any of the forms sites use, `description` or
//! `abstract` as the summary, `keywords` as tags, `published: false` as a
//! draft), its body kept as written but for what a book needs changed:
//! headings one level down when it uses `#` (the title is the front
//! matter's), links between imported files pointed at their new places,
//! images and other files it links copied beside it. What has no place here
//! (an unknown key, a Liquid tag, a link to a file that is not imported) is
//! a diagnostic at its line in the source.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::front::{AuthorOut, Front};
use super::left_out;
use super::links::{EXTENSIONS, Target, classify, published, rewrite, split_fragment, targets};
use super::meta::{Affiliations, authors, front_matter, list, plain};
use super::{Copy, Import, ImportError, Imported, MAX_SOURCE};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::files::relative;

/// The most files one import reads.
pub const MAX_FILES: usize = 20_000;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--map key=field`: a source key read as one of this format's fields.
    pub maps: Vec<(String, String)>,
    /// `--section ID`: the section every imported essay goes in.
    pub section: Option<String>,
    /// `--base-url`: where the collection is published; a link to one of its
    /// files that is not imported leads there.
    pub base_url: Option<String>,
    /// `--root`: the collection's folder; nothing outside it is read. By
    /// default the folder above the folders imported.
    pub root: Option<PathBuf>,
    /// Keep keys with no field in `[extra]` (the book's `[rules] allow_extra`).
    pub keep_extra: bool,
    /// `--author`: the authors of a source that names none.
    pub authors: Vec<String>,
}

/// The front matter keys of a Markdown notebook (Jupytext, MyST-NB) that
/// only tell Jupyter how to run it.
const NOTEBOOK_SETTINGS: &[&str] = &["jupytext", "kernelspec", "mystnb", "jupyter", "file_format"];

/// The fields a source key can be mapped to with `--map`.
pub const FIELDS: &[&str] =
    &["title", "subtitle", "authors", "date", "summary", "tags", "lang", "draft", "quote", "doi", "weight"];

/// Reads the Markdown files of `inputs` (files, or folders searched
/// through) as contributions of the book at `book`.
pub fn import(inputs: &[PathBuf], opts: &Options) -> Result<Import, ImportError> {
    let mut sources = Vec::new();
    for input in inputs {
        let real = input.canonicalize().map_err(|source| ImportError::Read { path: input.clone(), source })?;
        if real.is_dir() {
            collect(&real, &mut sources)?;
        } else {
            sources.push(real);
        }
    }
    sources.sort();
    sources.dedup();
    if sources.is_empty() {
        return Err(ImportError::Nothing(inputs.first().cloned().unwrap_or_default()));
    }
    let root = match &opts.root {
        Some(r) => r.canonicalize().map_err(|source| ImportError::Read { path: r.clone(), source })?,
        None => default_root(inputs),
    };
    convert(&sources, &root, opts, &HashMap::new())
}

/// What an importer knows of a source besides its text (an mdBook's
/// SUMMARY.md gives each chapter's title, part and place).
#[derive(Debug, Clone, Default)]
pub struct Hint {
    /// The title, when the source gives none.
    pub title: Option<String>,
    /// The section it goes in.
    pub section: Option<String>,
    /// The folder of the book it goes in (`contributions` when `None`;
    /// `front` and `back` for texts before and after the essays).
    pub folder: Option<&'static str>,
    /// Its name, when its file's says nothing (a `README.md`).
    pub slug: Option<String>,
    /// Its text, when the book's tool changes it before reading (a
    /// bookdown part's heading taken out, a notebook as Markdown): used
    /// instead of the file's.
    pub text: Option<String>,
    /// Whether its `[x](#id)` may name an id another text of the book
    /// defines, as in a Quarto, Jupyter Book or mystmd book.
    pub book_links: bool,
    /// Whether Quarto renders it, whatever its extension: its shortcodes
    /// (`{{< kbd Ctrl-C >}}`) are read.
    pub quarto: bool,
}

/// `sources` (canonical paths, inside `root`) as contributions.
pub fn convert(
    sources: &[PathBuf],
    root: &Path,
    opts: &Options,
    hints: &HashMap<PathBuf, Hint>,
) -> Result<Import, ImportError> {
    if sources.len() > MAX_FILES {
        return Err(ImportError::TooMany(sources.len()));
    }
    let root = root.to_path_buf();
    let mut out = Import { root: root.clone(), ..Import::default() };
    // Pass 1: every source read, its slug chosen.
    let mut texts = Vec::new();
    for path in sources {
        // R Markdown and Quarto sources knit into the `.md` beside them:
        // that one, with the results, is the text.
        let knitted = path.with_extension("md");
        if path.extension().is_some_and(|e| e != "md") && knitted != *path && sources.contains(&knitted) {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::ImportChanged,
                    Location::file(shown(&root, path)),
                    format!(
                        "not imported: `{}` beside it is what it renders to, with its results",
                        shown(&root, &knitted).display()
                    ),
                )
                .hint("import this file alone to take its source instead"),
            );
            continue;
        }
        let given = hints.get(path).and_then(|h| h.text.clone());
        let size = match &given {
            Some(t) => t.len() as u64,
            None => std::fs::metadata(path).map_err(|source| ImportError::Read { path: path.clone(), source })?.len(),
        };
        let shown = shown(&root, path);
        if size > MAX_SOURCE {
            out.diagnostics.push(left_out(
                Location::file(&shown),
                format!("{} bytes: larger than the {} MiB a source may have; not imported", size, MAX_SOURCE >> 20),
                "split it, or import its text by hand",
            ));
            continue;
        }
        let _doing = crate::doing::doing(format!("importing {}", path.display()));
        let bytes = match given {
            Some(t) => t.into_bytes(),
            None => std::fs::read(path).map_err(|source| ImportError::Read { path: path.clone(), source })?,
        };
        let Ok(text) = String::from_utf8(bytes) else {
            out.diagnostics.push(left_out(
                Location::file(&shown),
                "not UTF-8 text; not imported".into(),
                "save it as UTF-8",
            ));
            continue;
        };
        let mut text = text.replace("\r\n", "\n");
        let mut made = Vec::new();
        if path.extension().is_some_and(|e| e == "qmd") {
            text = super::scholarly::include(&text, path, &root, &shown, &mut out.diagnostics);
        }
        if text.contains("{{< embed ") {
            let embedded = super::embed::embeds(&text, path, &root);
            for (line, message) in embedded.notes {
                let hint = "keep the notebook with its outputs beside the text, or put the figure in by hand";
                out.diagnostics.push(left_out(Location::line_col(&shown, line, 1), message, hint));
            }
            (text, made) = (embedded.text, embedded.made);
        }
        // Display math that CommonMark would read as a heading.
        if text.contains("$$") {
            text = super::scholarly::math_rules(&text);
        }
        // The figures and tables code chunks make, before the links are
        // read: an included picture is a file to bring along.
        if path.extension().is_some_and(|e| ["qmd", "rmd"].contains(&e.to_string_lossy().to_lowercase().as_str())) {
            let (knitted, notes) = super::knit::figures(&text);
            text = knitted;
            for (line, what, hint) in notes {
                out.diagnostics
                    .push(Diagnostic::new(Code::ImportChanged, Location::line_col(&shown, line, 1), what).hint(hint));
            }
        }
        let hint = hints.get(path).cloned().unwrap_or_default();
        let mut source = Source::read(path.clone(), shown, text, opts, &hint, &mut out.diagnostics);
        source.made = made;
        source.named = hint.slug.is_some();
        // Written for pandoc: a list or HTML follows a blank line, and
        // Markdown inside HTML is Markdown.
        if source.scholarly {
            source.body = super::scholarly::paragraphs_as_pandoc_reads_them(&source.body);
            source.body = super::links::spaced(&source.body).0;
            let (read, unwrapped) = super::scholarly::markdown_in_html(&source.body);
            if let Some(first) = unwrapped.first() {
                source.body = read;
                out.diagnostics.push(left_out(
                    Location::line_col(&source.shown, source.body_line + first, 1),
                    format!(
                        "{} HTML tag{} around Markdown (`<p>`, `<div>`, `<center>`) left out, the Markdown read, as pandoc reads it",
                        unwrapped.len(),
                        if unwrapped.len() == 1 { "" } else { "s" }
                    ),
                    "nothing to do; an alignment the tags gave is the editions' to choose",
                ));
            }
        }
        texts.push(source);
    }
    // Notebook settings, left out: one note for the import.
    let with_settings: Vec<&Source> = texts.iter().filter(|s| !s.settings.is_empty()).collect();
    if let Some(first) = with_settings.first() {
        let mut keys: Vec<&str> = with_settings.iter().flat_map(|s| s.settings.iter().map(String::as_str)).collect();
        keys.sort_unstable();
        keys.dedup();
        out.diagnostics.push(left_out(
            Location::file(&first.shown),
            format!(
                "the notebook settings of {} text{} ({}) left out: they tell Jupyter how to run the code, which a book never does",
                with_settings.len(),
                if with_settings.len() == 1 { "" } else { "s" },
                keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
            "nothing to do",
        ));
    }
    name_apart(&mut texts, &root);
    let mut taken: HashMap<String, usize> = HashMap::new();
    for source in &mut texts {
        let mut slug = source.slug.clone();
        let n = taken.entry(slug.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            slug = format!("{slug}-{n}");
            out.diagnostics.push(
                Diagnostic::new(
                    Code::ImportChanged,
                    Location::file(&source.shown),
                    format!("another file is imported as `{}`: this one is `{slug}`", source.slug),
                )
                .hint("rename one of the files to choose their names"),
            );
        }
        source.slug = slug;
    }
    // Pass 2: where each goes: a folder when it brings files along.
    let by_path: HashMap<PathBuf, usize> = texts.iter().enumerate().map(|(i, s)| (s.path.clone(), i)).collect();
    for s in &mut texts {
        let dir = s.path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let brings = !s.files.is_empty()
            || !s.made.is_empty()
            || targets(&s.body).iter().any(|t| matches!(classify(t, &dir, &root, &by_path), Target::Asset(..)));
        let folder = PathBuf::from(s.folder);
        s.target = if brings { folder.join(&s.slug).join("index.md") } else { folder.join(format!("{}.md", s.slug)) };
    }
    // Pass 3: the bodies, their links pointed at the new places.
    let places: Vec<PathBuf> = texts.iter().map(|s| s.target.clone()).collect();
    let chapters: Vec<(String, String, PathBuf)> =
        texts.iter().filter_map(|s| Some((s.chapter_id.clone()?, s.front.title.clone(), s.target.clone()))).collect();
    // Each text's headings' anchors: Quarto resolves `[x](#id)` across the
    // whole book, this format within one text.
    let anchors: Vec<std::collections::HashSet<String>> = texts
        .iter()
        .map(|s| crate::input::markdown::parse(&s.body, 1).document.anchors().into_values().collect())
        .collect();
    for (own, s) in texts.iter_mut().enumerate() {
        // Only a text of a book (Quarto, pandoc, Jupyter Book) means another
        // text by `#id`; on a site's page it is the page's own.
        let book_links = s.book_links;
        let dir = s.path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut copies: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
        let mut names: HashMap<String, PathBuf> = HashMap::new();
        let essay_dir = s.target.parent().unwrap_or(Path::new("")).to_path_buf();
        // The pictures taken out of notebooks go beside the essay, as named.
        let made: Vec<String> = s.made.iter().map(|(name, _)| name.clone()).collect();
        out.files.extend(std::mem::take(&mut s.made).into_iter().map(|(name, bytes)| (essay_dir.join(name), bytes)));
        let mut notes = Vec::new();
        let mut extra = if s.scholarly { super::scholarly::edits(&s.body, &mut notes) } else { Vec::new() };
        extra.extend(super::scholarly::chapter_references(&s.body, &chapters, &essay_dir));
        let body = rewrite(
            &s.body,
            &mut |d| {
                let (target, line) = (d.target.as_str(), d.line);
                if made.iter().any(|m| m == target) {
                    return None;
                }
                let (file, fragment) = split_fragment(target);
                if d.image && !d.html && target.contains("://") {
                    notes.push((
                    line,
                    format!("a remote image, `{target}`: a book holds its images; its alternative text is kept in its place"),
                    "download it beside the source, link it by its path and import again",
                ));
                    return Some(String::new());
                }
                if let Some(fragment) = target.strip_prefix('#').filter(|_| book_links)
                    && !anchors[own].contains(fragment)
                {
                    // An anchor of another text, or a whole chapter's id.
                    if let Some((_, _, place)) = chapters.iter().find(|(id, _, _)| id == fragment) {
                        return Some(relative(&essay_dir, place).display().to_string());
                    }
                    if let Some(k) = anchors.iter().position(|a| a.contains(fragment)) {
                        return Some(format!("{}#{fragment}", relative(&essay_dir, &places[k]).display()));
                    }
                }
                match classify(target, &dir, &root, &by_path) {
                    Target::Keep => None,
                    Target::Essay(i) => {
                        let to = relative(&essay_dir, &places[i]);
                        Some(format!("{}{fragment}", to.display()))
                    }
                    Target::Asset(from) if d.image && !d.html && !shown_image(&from) => {
                        notes.push((
                            line,
                            format!(
                                "an image, `{target}`, in a format no edition shows (PNG, JPEG, WebP, GIF or SVG are): its alternative text is kept in its place"
                            ),
                            "convert it (a PDF figure to SVG or PNG), put it beside the source and import again",
                        ));
                        Some(String::new())
                    }
                    Target::Asset(from) => {
                        let to = copy_to(&mut copies, &mut names, &essay_dir, from);
                        Some(format!("{}{fragment}", relative(&essay_dir, &to).display()))
                    }
                    Target::Elsewhere(why) => match published(opts.base_url.as_deref(), &root, &dir, file) {
                        Some(url) if !d.image => Some(format!("{url}{fragment}")),
                        _ => {
                            let kept = if d.image {
                                "its alternative text is kept in its place"
                            } else {
                                "its text is kept, without the link"
                            };
                            notes.push((
                                line,
                                format!(
                                    "{} `{target}`, {why}: {kept}",
                                    if d.image { "an image," } else { "a link to" }
                                ),
                                "import that file too, or give --base-url, the collection's published address",
                            ));
                            Some(String::new())
                        }
                    },
                }
            },
            extra,
        );
        // The bibliographies and the style its front matter names, beside it.
        for (written, at) in std::mem::take(&mut s.files) {
            match classify(&written, &dir, &root, &by_path) {
                Target::Asset(from) => {
                    let to = copy_to(&mut copies, &mut names, &essay_dir, from);
                    let rel = relative(&essay_dir, &to).display().to_string();
                    if written.ends_with(".csl") {
                        s.front.citation_style = Some(rel);
                    } else {
                        s.front.references.push(rel);
                    }
                }
                _ => out.diagnostics.push(left_out(
                    at,
                    format!(
                        "`{written}` is not a file of the collection: left out, and what cites it will not resolve"
                    ),
                    "put it beside the source, then import again",
                )),
            }
        }
        for (line, message, hint) in notes {
            out.diagnostics.push(left_out(Location::line_col(&s.shown, s.body_line + line, 1), message, hint));
        }
        for (from, to) in copies {
            out.copies.push(Copy { from, to });
        }
        out.essays.push(Imported {
            source: s.path.clone(),
            target: s.target.clone(),
            title: s.front.title.clone(),
            authors: s.front.authors.iter().map(|a| a.name.clone()).collect(),
            text: s.front.write(body.trim_start()),
            update: false,
        });
    }
    // Told file by file, line by line.
    out.diagnostics.sort_by(|a, b| (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line)));
    Ok(out)
}

/// Sources that share a file's name (every JOSS paper is `paper.md`, every
/// Hugo page `index.md`) named after the nearest folder above them whose
/// names tell them apart, else after their titles.
fn name_apart(texts: &mut [Source], root: &Path) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for s in texts.iter() {
        *count.entry(s.slug.clone()).or_insert(0) += 1;
    }
    let shared: Vec<String> = count.iter().filter(|(_, n)| **n > 1).map(|(k, _)| k.clone()).collect();
    for slug in shared {
        let group: Vec<usize> = (0..texts.len()).filter(|i| texts[*i].slug == slug && !texts[*i].named).collect();
        let paths: Vec<PathBuf> = texts.iter().map(|t| t.path.clone()).collect();
        let folder = |i: usize, up: usize| -> Option<String> {
            let p = paths[i].parent()?;
            let p = p.ancestors().nth(up)?;
            p.strip_prefix(root).ok().filter(|r| !r.as_os_str().is_empty())?;
            let name = crate::lang::slug::slugify(&p.file_name()?.to_string_lossy());
            (!name.is_empty()).then_some(name)
        };
        // Each is named after the nearest folder that tells it apart from the
        // others, going up at most three folders; else after its title.
        let mut left = group;
        for up in 0..3 {
            let names: Vec<Option<String>> = left.iter().map(|i| folder(*i, up)).collect();
            let mut named = Vec::new();
            for (k, i) in left.iter().enumerate() {
                let Some(n) = &names[k] else { continue };
                let unique = names.iter().filter(|m| m.as_ref() == Some(n)).count() == 1;
                if unique && !count.contains_key(n) {
                    named.push((*i, n.clone()));
                }
            }
            for (i, n) in named {
                count.insert(n.clone(), 1);
                texts[i].slug = n;
                left.retain(|j| *j != i);
            }
        }
        for i in left {
            let by_title = crate::lang::slug::slugify(&texts[i].front.title);
            if !by_title.is_empty() {
                texts[i].slug = by_title;
            }
        }
    }
}

/// The Markdown files under `dir`, depth first, leaving out hidden folders
/// and the site generators' own (`_site`, `node_modules`).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Read { path: dir.to_path_buf(), source })?;
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') || name == "_site" || name == "node_modules" || out.len() > MAX_FILES {
            continue;
        }
        let meta = std::fs::symlink_metadata(&p).map_err(|source| ImportError::Read { path: p.clone(), source })?;
        if meta.is_dir() {
            collect(&p, out)?;
        } else if meta.is_file() && p.extension().is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().as_ref())) {
            out.push(p);
        }
    }
    Ok(())
}

/// The folder above the folders imported (a site's root, where `assets/`
/// usually is), or the files' own folder.
fn default_root(inputs: &[PathBuf]) -> PathBuf {
    let dirs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|i| i.canonicalize().ok())
        .map(|i| i.parent().map(Path::to_path_buf).unwrap_or(i))
        .collect();
    let mut common = dirs.first().cloned().unwrap_or_else(|| PathBuf::from("/"));
    for d in &dirs[1.min(dirs.len())..] {
        while !d.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// `path` as messages show it: relative to the collection.
fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether the editions show an image of this file's format, by its name.
fn shown_image(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        matches!(e.to_string_lossy().to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg" | "webp" | "gif" | "svg")
    })
}

/// Where `from` is copied beside the essay in `essay_dir`: its own name,
/// or its name with a number when another file of the essay has it.
fn copy_to(
    copies: &mut BTreeMap<PathBuf, PathBuf>,
    names: &mut HashMap<String, PathBuf>,
    essay_dir: &Path,
    from: PathBuf,
) -> PathBuf {
    if let Some(to) = copies.get(&from) {
        return to.clone();
    }
    let name = from.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut chosen = name.clone();
    let mut k = 1;
    while names.get(&chosen).is_some_and(|p| *p != from) {
        k += 1;
        let p = Path::new(&name);
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        chosen = match p.extension() {
            Some(e) => format!("{stem}-{k}.{}", e.to_string_lossy()),
            None => format!("{stem}-{k}"),
        };
    }
    names.insert(chosen.clone(), from.clone());
    let to = essay_dir.join(&chosen);
    copies.insert(from, to.clone());
    to
}

/// A source read: its front matter mapped, its body, its slug.
struct Source {
    path: PathBuf,
    shown: PathBuf,
    slug: String,
    front: Front,
    body: String,
    /// The line of the source on which the body starts (0-based offset).
    body_line: usize,
    /// The book's folder it goes in.
    folder: &'static str,
    /// Whether its name was given (an mdBook's chapter), not taken from its file.
    named: bool,
    /// The id on the heading its title came from (`# Methods {#sec-methods}`),
    /// which the other texts' cross-references name it by.
    chapter_id: Option<String>,
    /// Whether it was written for pandoc or Quarto (a `.qmd` or `.Rmd`
    /// file, or front matter with a `bibliography`): its figures' captions
    /// are their alternative text.
    scholarly: bool,
    /// Whether its `[x](#id)` may name another text's id (a book's chapter).
    book_links: bool,
    /// The notebook settings its front matter held, left out.
    settings: Vec<String>,
    /// Pictures taken out of the notebooks it embeds: (file name, bytes).
    made: Vec<(String, Vec<u8>)>,
    /// Files its front matter names (bibliographies, a CSL style), as
    /// written, with the line that names them: copied beside it.
    files: Vec<(String, Location)>,
    target: PathBuf,
}

impl Source {
    fn read(
        path: PathBuf,
        shown: PathBuf,
        text: String,
        opts: &Options,
        hint: &Hint,
        diags: &mut Vec<Diagnostic>,
    ) -> Source {
        let (fields, front_text, body_at) = front_matter(&text, &shown, diags);
        let line_of = |key: &str| -> Location {
            let at = front_text.as_ref().and_then(|(start, end)| {
                let hay = &text[*start..*end];
                hay.lines()
                    .scan(*start, |pos, l| {
                        let here = *pos;
                        *pos += l.len() + 1;
                        Some((here, l))
                    })
                    .find(|(_, l)| {
                        let l = l.trim_start();
                        l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with([':', '=']))
                    })
                    .map(|(at, l)| at..at + l.len())
            });
            match at {
                Some(span) => Location::at(&shown, &text, span),
                None => Location::file(&shown),
            }
        };
        let mut front = Front::default();
        let mut files = Vec::new();
        let mut settings = Vec::new();
        let mut chapter_id = None;
        let field_of =
            |key: &str| opts.maps.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone()).unwrap_or(key.to_string());
        // The institutions first: authors point into them from anywhere.
        let affiliations = fields
            .iter()
            .find(|(k, _)| matches!(field_of(k).as_str(), "affiliations" | "institute"))
            .map(|(_, v)| Affiliations::read(v))
            .unwrap_or_default();
        for (key, value) in fields {
            let field = field_of(&key);
            let loc = || line_of(&key);
            match field.as_str() {
                "title" => front.title = plain(&value),
                "subtitle" => front.subtitle = Some(plain(&value)),
                "author" | "authors" | "creator" => {
                    let people = authors(&value, &affiliations);
                    for a in people.authors {
                        if !front.authors.contains(&a) {
                            front.authors.push(a);
                        }
                    }
                    for note in people.notes {
                        diags.push(left_out(loc(), note, "add it to the author's `bio`, or to the text, by hand"));
                    }
                }
                "affiliations" | "institute" if !affiliations.is_empty() => {}
                "date" => {
                    let d = plain(&value);
                    match super::meta::date(&d) {
                        Some(day) => front.date = Some(day),
                        None => diags.push(left_out(
                            loc(),
                            format!("`{d}` is not a date this format reads: left out"),
                            "write it as YYYY-MM-DD",
                        )),
                    }
                }
                "summary" | "description" if front.summary.is_none() => front.summary = Some(plain(&value)),
                "abstract" if front.r#abstract.is_none() => front.r#abstract = Some(plain(&value)),
                "tags" | "keywords" => {
                    for t in list(&value) {
                        if !front.tags.contains(&t) {
                            front.tags.push(t);
                        }
                    }
                }
                "bibliography" | "references" if !value.is_table() => {
                    for b in list(&value) {
                        files.push((b, loc()));
                    }
                }
                "csl" | "citation-style" | "citation_style" => {
                    let style = plain(&value);
                    if style.ends_with(".csl") && !style.contains("://") {
                        files.push((style, loc()));
                    } else {
                        front.citation_style = Some(style);
                    }
                }
                "lang" | "language" => front.lang = Some(plain(&value)),
                "draft" => front.draft = value.as_bool().filter(|d| *d),
                "published" if value.as_bool() == Some(false) => front.draft = Some(true),
                "quote" => front.quote = Some(plain(&value)),
                "doi" => front.doi = Some(plain(&value)),
                "weight" if value.as_integer().is_some() => front.weight = value.as_integer(),
                // A notebook's settings for Jupyter (how to run it, in which
                // kernel): no text's, said once for the whole import.
                k if NOTEBOOK_SETTINGS.contains(&k) => settings.push(key.clone()),
                _ if opts.keep_extra => {
                    front.extra.insert(key.clone(), value);
                }
                _ => diags.push(left_out(
                    loc(),
                    format!("the front matter's `{key}` has no place in this format: left out"),
                    "keep such keys in [extra] with `[rules] allow_extra = true`, or read it as a field with --map KEY=FIELD",
                )),
            }
        }
        let mut body = text[body_at..].to_string();
        let body_line = text[..body_at].matches('\n').count();
        if front.title.trim().is_empty() {
            // The first level-one heading is the title.
            if let Some((title, rest, id)) = super::headings::first_heading(&body) {
                // pandoc names a heading without an id after its text.
                chapter_id = Some(id.unwrap_or_else(|| super::headings::pandoc_id(&title)));
                front.title = title;
                body = rest;
            } else if let Some(t) = &hint.title {
                front.title = t.clone();
            } else {
                front.title = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                diags.push(left_out(
                    Location::file(&shown),
                    format!("no title: the file's name, `{}`, is used", front.title),
                    "give it a `title` in its front matter",
                ));
            }
        }
        // The title is the essay's only level-one heading: sections written
        // as level-one headings (a chapter of several) go one level down,
        // and the levels below them with them.
        let (lowered, n, at) = super::headings::lower_headings(&body);
        if n > 0 {
            // Said at the first level-one heading.
            let first = body[..at].matches('\n').count();
            body = lowered;
            diags.push(
                Diagnostic::new(
                    Code::ImportChanged,
                    Location::line_col(&shown, body_line + first + 1, 1),
                    format!(
                        "{n} heading{} one level down: the title is the essay's only level-one heading",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .hint("nothing to do"),
            );
        }
        if front.authors.is_empty() && !opts.authors.is_empty() {
            front.authors =
                opts.authors.iter().map(|n| AuthorOut { name: n.clone(), ..AuthorOut::default() }).collect();
        } else if front.authors.is_empty() && hint.folder.is_none() {
            diags.push(left_out(
                Location::file(&shown),
                "no author found".into(),
                "add `author: Name` to its front matter, or fill it in after the import",
            ));
        }
        front.section = hint.section.clone().or_else(|| opts.section.clone());
        let quarto = hint.quarto || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("qmd"));
        if body.contains("page") {
            let (put, note) = super::shortcodes::page_breaks(&body);
            body = put;
            if let Some((line, what, hint)) = note {
                diags.push(left_out(Location::line_col(&shown, body_line + line, 1), what, hint));
            }
        }
        if quarto && body.contains("{{") {
            let (put, notes) = super::shortcodes::shortcodes(&body);
            body = put;
            for (line, what, hint) in notes {
                diags.push(left_out(Location::line_col(&shown, body_line + line, 1), what, hint));
            }
            for (line, what) in super::shortcodes::unknown_shortcodes(&body) {
                diags.push(left_out(
                    Location::line_col(&shown, body_line + line, 1),
                    format!("a Quarto shortcode, `{what}`, printed as written: this format has none"),
                    "replace it with what it gives in the Quarto book",
                ));
            }
            body = super::shortcodes::unescape_shortcodes(&body);
        } else {
            for (line, what) in super::sites::liquid(&body) {
                diags.push(left_out(
                    Location::line_col(&shown, body_line + line, 1),
                    format!("a template tag (Liquid, or a Hugo shortcode), `{what}`, printed as written: this format has no templating"),
                    "replace it with what it produces on the site",
                ));
            }
        }
        let body = super::sites::demote(&body);
        // Jekyll posts are named `YYYY-MM-DD-title.md`; Hugo and Quarto
        // pages `<name>/index.md`.
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = if matches!(stem.as_str(), "index" | "_index" | "README" | "readme") {
            path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or(stem)
        } else {
            stem
        };
        let (dated, rest) = (stem.get(..10).filter(|d| crate::config::valid_date(d)), stem.get(11..));
        let stem = match (dated, rest) {
            (Some(d), Some(rest)) if !rest.is_empty() => {
                front.date.get_or_insert_with(|| d.to_string());
                rest.to_string()
            }
            _ => stem,
        };
        let mut slug = hint.slug.clone().unwrap_or_else(|| crate::lang::slug::slugify(&stem));
        if slug.is_empty() {
            slug = crate::lang::slug::slugify(&front.title);
        }
        if slug.is_empty() {
            slug = "essay".into();
        }
        let folder = hint.folder.unwrap_or("contributions");
        let scholarly = !files.is_empty()
            || hint.quarto
            || path
                .extension()
                .is_some_and(|e| matches!(e.to_string_lossy().to_ascii_lowercase().as_str(), "qmd" | "rmd"));
        Source {
            path,
            shown,
            slug,
            front,
            body,
            body_line,
            folder,
            files,
            named: false,
            scholarly,
            book_links: scholarly || hint.book_links,
            settings,
            made: Vec::new(),
            chapter_id,
            target: PathBuf::new(),
        }
    }
}
