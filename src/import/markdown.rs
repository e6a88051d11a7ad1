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
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::{Copy, Import, ImportError, Imported, MAX_ASSET, MAX_SOURCE};
use crate::diagnostic::{Code, Diagnostic, Location};

/// The extensions read as Markdown.
const EXTENSIONS: &[&str] = &["md", "markdown", "qmd", "mdx"];

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
    let mut taken: HashMap<String, usize> = HashMap::new();
    for path in sources {
        let size = std::fs::metadata(path).map_err(|source| ImportError::Read { path: path.clone(), source })?.len();
        let shown = shown(&root, path);
        if size > MAX_SOURCE {
            out.diagnostics.push(left_out(
                Location::file(&shown),
                format!("{} bytes: larger than the {} MiB a source may have; not imported", size, MAX_SOURCE >> 20),
                "split it, or import its text by hand",
            ));
            continue;
        }
        let bytes = std::fs::read(path).map_err(|source| ImportError::Read { path: path.clone(), source })?;
        let Ok(text) = String::from_utf8(bytes) else {
            out.diagnostics.push(left_out(
                Location::file(&shown),
                "not UTF-8 text; not imported".into(),
                "save it as UTF-8",
            ));
            continue;
        };
        let text = text.replace("\r\n", "\n");
        let hint = hints.get(path).cloned().unwrap_or_default();
        let mut source = Source::read(path.clone(), shown, text, opts, &hint, &mut out.diagnostics);
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
        texts.push(source);
    }
    // Pass 2: where each goes: a folder when it brings files along.
    let by_path: HashMap<PathBuf, usize> = texts.iter().enumerate().map(|(i, s)| (s.path.clone(), i)).collect();
    for s in &mut texts {
        let dir = s.path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let brings = targets(&s.body).iter().any(|t| matches!(classify(t, &dir, &root, &by_path), Target::Asset(..)));
        let folder = PathBuf::from(s.folder);
        s.target = if brings { folder.join(&s.slug).join("index.md") } else { folder.join(format!("{}.md", s.slug)) };
    }
    // Pass 3: the bodies, their links pointed at the new places.
    let places: Vec<PathBuf> = texts.iter().map(|s| s.target.clone()).collect();
    for s in &texts {
        let dir = s.path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut copies: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
        let mut names: HashMap<String, PathBuf> = HashMap::new();
        let essay_dir = s.target.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut notes = Vec::new();
        let body = rewrite(&s.body, &mut |target: &str, line: usize| {
            let (file, fragment) = split_fragment(target);
            match classify(target, &dir, &root, &by_path) {
                Target::Keep => None,
                Target::Essay(i) => {
                    let to = relative(&essay_dir, &places[i]);
                    Some(format!("{}{fragment}", to.display()))
                }
                Target::Asset(from) => {
                    let to = match copies.get(&from) {
                        Some(to) => to.clone(),
                        None => {
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
                            copies.insert(from.clone(), to.clone());
                            to
                        }
                    };
                    Some(format!("{}{fragment}", relative(&essay_dir, &to).display()))
                }
                Target::Elsewhere(why) => match published(opts.base_url.as_deref(), &root, &dir, file) {
                    Some(url) => Some(format!("{url}{fragment}")),
                    None => {
                        notes.push((line, format!("a link to `{target}`, {why}: its text is kept, without the link")));
                        Some(String::new())
                    }
                },
            }
        });
        for (line, message) in notes {
            out.diagnostics.push(left_out(
                Location::line_col(&s.shown, s.body_line + line, 1),
                message,
                "import that file too, or give --base-url, the collection's published address",
            ));
        }
        for (from, to) in copies {
            out.copies.push(Copy { from, to });
        }
        out.essays.push(Imported {
            source: s.path.clone(),
            target: s.target.clone(),
            title: s.front.title.clone(),
            authors: s.front.authors.iter().map(|a| a.name.clone()).collect(),
            text: format!("+++\n{}+++\n\n{}", toml::to_string(&s.front).unwrap_or_default(), body.trim_start()),
            update: false,
        });
    }
    // Told file by file, line by line.
    out.diagnostics.sort_by(|a, b| (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line)));
    Ok(out)
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

fn left_out(at: Location, message: String, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportLeftOut, at, message).hint(hint.to_string())
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
    target: PathBuf,
}

/// The front matter this format writes.
#[derive(Serialize, Default, Debug)]
struct Front {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<i64>,
    authors: Vec<AuthorOut>,
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    extra: toml::Table,
}

/// An author as this format writes one.
#[derive(Serialize, Default, Debug, Clone, PartialEq)]
struct AuthorOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    handle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    orcid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bio: Option<String>,
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
        for (key, value) in fields {
            let field = opts.maps.iter().find(|(k, _)| *k == key).map(|(_, f)| f.as_str()).unwrap_or(key.as_str());
            let loc = || line_of(&key);
            match field {
                "title" => front.title = plain(&value),
                "subtitle" => front.subtitle = Some(plain(&value)),
                "author" | "authors" | "creator" => {
                    let found = authors(&value);
                    for a in found {
                        if !front.authors.contains(&a) {
                            front.authors.push(a);
                        }
                    }
                }
                "date" => {
                    let d = plain(&value);
                    let day: String = d.chars().take(10).collect();
                    if crate::config::valid_date(&day) {
                        front.date = Some(day);
                    } else if crate::config::valid_date(&d) {
                        front.date = Some(d);
                    } else {
                        diags.push(left_out(loc(), format!("`{d}` is not a date this format reads: left out"), "write it as YYYY-MM-DD"));
                    }
                }
                "summary" | "description" | "abstract" if front.summary.is_none() => front.summary = Some(plain(&value)),
                "tags" | "keywords" => {
                    for t in list(&value) {
                        if !front.tags.contains(&t) {
                            front.tags.push(t);
                        }
                    }
                }
                "lang" | "language" => front.lang = Some(plain(&value)),
                "draft" => front.draft = value.as_bool().filter(|d| *d),
                "published" if value.as_bool() == Some(false) => front.draft = Some(true),
                "quote" => front.quote = Some(plain(&value)),
                "doi" => front.doi = Some(plain(&value)),
                "weight" if value.as_integer().is_some() => front.weight = value.as_integer(),
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
            if let Some((title, rest)) = first_heading(&body) {
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
        for (line, what) in liquid(&body) {
            diags.push(left_out(
                Location::line_col(&shown, body_line + line, 1),
                format!("a template tag (Liquid, or a Hugo shortcode), `{what}`, printed as written: this format has no templating"),
                "replace it with what it produces on the site",
            ));
        }
        let body = demote(&body);
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
        Source { path, shown, slug, front, body, body_line, folder, target: PathBuf::new() }
    }
}

/// The front matter's keys and values in order, where it is in the text,
/// and where the body starts.
type FrontMatter = (Vec<(String, toml::Value)>, Option<(usize, usize)>, usize);

fn front_matter(text: &str, shown: &Path, diags: &mut Vec<Diagnostic>) -> FrontMatter {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let t = &text[text_start..];
    for (open, closes) in [("---\n", &["\n---\n", "\n...\n", "\n---"][..]), ("+++\n", &["\n+++\n", "\n+++"][..])] {
        let Some(rest) = t.strip_prefix(open) else { continue };
        let Some((end, close)) = closes.iter().filter_map(|c| rest.find(c).map(|i| (i, c.len()))).min() else {
            diags.push(left_out(
                Location::line_col(shown, 1, 1),
                "the front matter is not closed: read as text".into(),
                "close it",
            ));
            return (Vec::new(), None, 0);
        };
        let start = text_start + open.len();
        let raw = &rest[..end];
        let body_at = (start + end + close).min(text.len());
        let fields = if open.starts_with('-') { yaml(raw) } else { toml_fields(raw) };
        return match fields {
            Ok(f) => (f, Some((start, start + end)), body_at),
            Err(why) => {
                diags.push(left_out(
                    Location::line_col(shown, 2, 1),
                    format!("the front matter cannot be read ({why}): left out"),
                    "fix it, then import again",
                ));
                (Vec::new(), Some((start, start + end)), body_at)
            }
        };
    }
    (Vec::new(), None, 0)
}

/// YAML front matter as TOML values, in order.
fn yaml(raw: &str) -> Result<Vec<(String, toml::Value)>, String> {
    use yaml_rust2::{Yaml, YamlLoader};
    fn value(y: &Yaml) -> Option<toml::Value> {
        Some(match y {
            Yaml::String(s) => toml::Value::String(s.clone()),
            Yaml::Integer(i) => toml::Value::Integer(*i),
            Yaml::Real(r) => {
                r.parse::<f64>().map(toml::Value::Float).unwrap_or_else(|_| toml::Value::String(r.clone()))
            }
            Yaml::Boolean(b) => toml::Value::Boolean(*b),
            Yaml::Array(a) => toml::Value::Array(a.iter().filter_map(value).collect()),
            Yaml::Hash(h) => toml::Value::Table(h.iter().filter_map(|(k, v)| Some((key(k)?, value(v)?))).collect()),
            _ => return None,
        })
    }
    fn key(k: &Yaml) -> Option<String> {
        match k {
            Yaml::String(s) => Some(s.clone()),
            Yaml::Integer(i) => Some(i.to_string()),
            Yaml::Boolean(b) => Some(b.to_string()),
            _ => None,
        }
    }
    // Anchors and aliases are refused: a few lines of them expand to gigabytes.
    let anchored = |l: &str| {
        let v = l.split_once(':').map_or(l, |(_, v)| v).trim_start().trim_start_matches("- ").trim_start_matches('[');
        v.starts_with('&') || v.starts_with('*') || v.contains(", *") || v.contains("[*")
    };
    if raw.lines().any(|l| anchored(l) || anchored(l.trim_start().trim_start_matches("- "))) {
        return Err("YAML anchors and aliases are not read".into());
    }
    let docs = YamlLoader::load_from_str(raw).map_err(|e| e.to_string())?;
    let Some(Yaml::Hash(h)) = docs.into_iter().next() else { return Ok(Vec::new()) };
    Ok(h.iter().filter_map(|(k, v)| Some((key(k)?, value(v)?))).collect())
}

/// TOML front matter, in the order written.
fn toml_fields(raw: &str) -> Result<Vec<(String, toml::Value)>, String> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| e.message().to_string())?;
    let mut fields: Vec<(String, toml::Value)> = table.into_iter().collect();
    fields.sort_by_key(|(k, _)| raw.find(k.as_str()).unwrap_or(usize::MAX));
    Ok(fields)
}

/// A value as one line of text.
fn plain(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A list, or a comma-separated string, as items.
fn list(v: &toml::Value) -> Vec<String> {
    match v {
        toml::Value::Array(a) => a.iter().map(plain).filter(|s| !s.is_empty()).collect(),
        other => plain(other).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
    }
}

/// Authors in the forms sites write them: one string (`Name (@handle),
/// Other <mail@example.org>`), a list of such strings, or tables.
fn authors(v: &toml::Value) -> Vec<AuthorOut> {
    match v {
        toml::Value::String(s) => split_people(s).into_iter().filter_map(|p| person(&p)).collect(),
        toml::Value::Array(a) => a
            .iter()
            .flat_map(|item| match item {
                toml::Value::String(s) => person(s).into_iter().collect::<Vec<_>>(),
                other => authors(other),
            })
            .collect(),
        toml::Value::Table(t) => {
            let get = |keys: &[&str]| keys.iter().find_map(|k| t.get(*k).map(plain)).filter(|s| !s.is_empty());
            // Quarto and CSL write a name as parts: `name: {given: Ada, family: Lovelace}`.
            let parts = |v: &toml::Value| {
                let t = v.as_table()?;
                let literal = t.get("literal").map(plain);
                let joined = ["given", "dropping-particle", "non-dropping-particle", "family", "suffix"]
                    .iter()
                    .filter_map(|k| t.get(*k).map(plain))
                    .collect::<Vec<_>>()
                    .join(" ");
                literal.or((!joined.is_empty()).then_some(joined))
            };
            let name = t
                .get("name")
                .and_then(parts)
                .or_else(|| parts(v))
                .or_else(|| get(&["name", "display_name", "full_name"]));
            let Some(name) = name else { return Vec::new() };
            let handle = get(&["handle", "twitter", "mastodon", "github"])
                .map(|h| if h.starts_with('@') { h } else { format!("@{h}") });
            vec![AuthorOut {
                name,
                handle,
                email: get(&["email", "mail"]),
                url: get(&["url", "website", "homepage"]),
                affiliation: get(&["affiliation", "affiliations", "organization", "org"]),
                orcid: get(&["orcid"]),
                bio: get(&["bio", "description"]),
            }]
        }
        _ => Vec::new(),
    }
}

/// `A (@a), B <b@x>` split at the commas that are outside brackets.
fn split_people(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut current) = (0i32, String::new());
    for c in s.chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            _ => {}
        }
        if (c == ',' || c == ';') && depth <= 0 {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// One person: `Name (@handle) <email>` in any order of the brackets.
fn person(s: &str) -> Option<AuthorOut> {
    let name = s.split(['(', '<']).next().unwrap_or("").trim().to_string();
    if name.is_empty() {
        return None;
    }
    let inside = |open: char, close: char| {
        s.find(open).and_then(|i| s[i + 1..].split(close).next()).map(|x| x.trim().to_string())
    };
    let handle = inside('(', ')').filter(|h| h.starts_with('@') && !h.contains(' '));
    let email = inside('<', '>').filter(|e| e.contains('@'));
    Some(AuthorOut { name, handle, email, ..AuthorOut::default() })
}

/// The first level-one heading, and the body without it.
fn first_heading(body: &str) -> Option<(String, String)> {
    let mut fence = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if is_fence(line) {
            fence = !fence;
        }
        if !fence && let Some(t) = line.trim_end().strip_prefix("# ") {
            // An empty line in its place: the lines after it keep their numbers.
            let rest = format!("{}\n{}", &body[..offset], &body[offset + line.len()..]);
            return Some((t.trim().trim_end_matches('#').trim().to_string(), rest));
        }
        offset += line.len();
    }
    None
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Headings one level down when the body has a level-one heading (the
/// essay's title is its front matter's).
fn demote(body: &str) -> String {
    let mut fence = false;
    let ones = body.lines().any(|l| {
        if is_fence(l) {
            fence = !fence;
        }
        !fence && l.starts_with("# ")
    });
    if !ones {
        return body.to_string();
    }
    let mut fence = false;
    let mut out = String::with_capacity(body.len() + 64);
    for line in body.split_inclusive('\n') {
        if is_fence(line) {
            fence = !fence;
        }
        if !fence
            && line.starts_with('#')
            && line.trim_start_matches('#').starts_with([' ', '\n'])
            && !line.starts_with("######")
        {
            out.push('#');
        }
        out.push_str(line);
    }
    out
}

/// The Liquid tags of a body outside code: (line, tag).
fn liquid(body: &str) -> Vec<(usize, String)> {
    let mut fence = false;
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if is_fence(line) {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        // Inline code is left out: a tag shown as code is no tag.
        let mut plain = String::with_capacity(line.len());
        for (k, part) in line.split('`').enumerate() {
            if k % 2 == 0 {
                plain.push_str(part);
            } else {
                plain.extend(std::iter::repeat_n(' ', part.len()));
            }
        }
        for (open, close) in [("{%", "%}"), ("{{", "}}")] {
            let mut rest = plain.as_str();
            while let Some(a) = rest.find(open) {
                let Some(b) = rest[a..].find(close) else { break };
                out.push((i + 1, rest[a..a + b + 2].to_string()));
                rest = &rest[a + b + 2..];
            }
        }
    }
    out
}

/// Where a link leads, for the import.
enum Target {
    /// Left as written (the web, a fragment, an address).
    Keep,
    /// To an imported file (its index).
    Essay(usize),
    /// A file of the collection copied beside the essay.
    Asset(PathBuf),
    /// To something not imported, and why.
    Elsewhere(&'static str),
}

fn split_fragment(target: &str) -> (&str, &str) {
    match target.find(['#', '?']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

fn classify(target: &str, dir: &Path, root: &Path, essays: &HashMap<PathBuf, usize>) -> Target {
    let (file, _) = split_fragment(target);
    if file.is_empty()
        || target.contains("://")
        || target.starts_with("mailto:")
        || target.starts_with("data:")
        || target.starts_with("//")
    {
        return Target::Keep;
    }
    let decoded = percent_decode(file);
    let path = if let Some(from_root) = decoded.strip_prefix('/') {
        // An address on the site: a file at the collection's root (Jekyll),
        // or in its `static/` folder (Hugo).
        let found = [lexical(root, from_root), lexical(&root.join("static"), from_root)]
            .into_iter()
            .flatten()
            .find(|p| p.exists() || essays.contains_key(&p.with_extension("md")));
        match found {
            Some(p) => p,
            None => return Target::Elsewhere("an address on the site"),
        }
    } else {
        match lexical(dir, &decoded) {
            Some(p) => p,
            None => return Target::Elsewhere("outside the collection"),
        }
    };
    let candidates = [path.clone(), path.with_extension("md"), path.join("index.md")];
    for c in &candidates {
        if let Some(i) = essays.get(c) {
            return Target::Essay(*i);
        }
    }
    if !path.starts_with(root) {
        return Target::Elsewhere("outside the collection");
    }
    match path.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => {
            if std::fs::metadata(&real).map(|m| m.len()).unwrap_or(u64::MAX) > MAX_ASSET {
                Target::Elsewhere("a file too large to copy")
            } else if real.extension().is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().as_ref())) {
                Target::Elsewhere("a Markdown file not imported")
            } else {
                Target::Asset(real)
            }
        }
        Ok(_) => Target::Elsewhere("outside the collection"),
        Err(_) => Target::Elsewhere("a file the collection does not have"),
    }
}

/// `rel` resolved against `dir` without the file system: `None` above `/`.
fn lexical(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(a), Some(b)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((a * 16 + b) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// `to` relative to the folder `from` (both relative to the book's root).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to_c: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to_c[common..] {
        out.push(c);
    }
    out
}

/// Where a file of the collection is published: `base` + its path from the
/// collection's root, Markdown pages without their extension.
fn published(base: Option<&str>, root: &Path, dir: &Path, file: &str) -> Option<String> {
    let base = base?.trim_end_matches('/');
    let path = lexical(dir, &percent_decode(file))?;
    let rel = path.strip_prefix(root).ok()?;
    let mut rel = rel.to_string_lossy().replace('\\', "/");
    if let Some(page) = rel.strip_suffix(".md") {
        rel = page.to_string();
    }
    Some(format!("{base}/{rel}"))
}

/// The link targets of a body outside code: inline links and images,
/// reference definitions, and `src` and `href` in raw HTML.
fn targets(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    rewrite(body, &mut |t: &str, _| {
        out.push(t.to_string());
        None
    });
    out
}

/// `body` with each link target outside code given to `f` (with its line,
/// 1-based), and replaced by what it returns (`Some("")` drops the link,
/// keeping its text).
fn rewrite(body: &str, f: &mut dyn FnMut(&str, usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence = false;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if is_fence(line) {
            fence = !fence;
        }
        if fence || line.starts_with("    ") {
            out.push_str(line);
            continue;
        }
        out.push_str(&rewrite_line(line, i + 1, f));
    }
    out
}

fn rewrite_line(line: &str, n: usize, f: &mut dyn FnMut(&str, usize) -> Option<String>) -> String {
    // A reference definition: `[label]: target "title"`.
    let t = line.trim_start();
    if t.starts_with('[')
        && !t.starts_with("[^")
        && let Some(i) = t.find("]: ")
    {
        let target = t[i + 3..].split_whitespace().next().unwrap_or("").trim_matches(['<', '>']);
        if !target.is_empty()
            && let Some(new) = f(target, n)
        {
            if new.is_empty() {
                // A definition without its target: the references to it stay text.
                return String::from("\n");
            }
            return line.replacen(target, &new, 1);
        }
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        // The next `](`, `src="` or `href="` outside inline code.
        let next = [("](", ')'), ("src=\"", '"'), ("href=\"", '"'), ("src='", '\''), ("href='", '\'')]
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|i| (i, *open, *close)))
            .filter(|(i, _, _)| rest[..*i].matches('`').count().is_multiple_of(2))
            .min_by_key(|(i, _, _)| *i);
        let Some((i, open, close)) = next else { break };
        out.push_str(&rest[..i + open.len()]);
        rest = &rest[i + open.len()..];
        let angle = open == "](" && rest.starts_with('<');
        let body = if angle { &rest[1..] } else { rest };
        let end = if angle {
            body.find('>').unwrap_or(body.len())
        } else if open == "](" {
            body.find([')', ' ']).unwrap_or(body.len())
        } else {
            body.find(close).unwrap_or(body.len())
        };
        let target = &body[..end];
        match f(target, n) {
            Some(new) if new.is_empty() && open == "](" => {
                // `[text](target)` becomes `text`; `![alt](target)` stays an
                // image without a source only if nothing else: keep the alt.
                let start = out.rfind('[').unwrap_or(out.len());
                let text = out[start + 1..out.len() - 2].to_string();
                let bang = start > 0 && out[..start].ends_with('!');
                out.truncate(if bang { start - 1 } else { start });
                out.push_str(&text);
                let after = &body[end..];
                let close_at = after.find(')').map_or(after.len(), |k| k + 1);
                rest = &after[close_at..];
                continue;
            }
            Some(new) if !new.is_empty() => {
                if angle {
                    out.push('<');
                }
                out.push_str(&new);
                rest = &body[end..];
            }
            // Left as written; an HTML attribute keeps its target even when
            // the link could not be carried (the diagnostic says so).
            _ => {
                if angle {
                    out.push('<');
                }
                out.push_str(target);
                rest = &body[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_in_the_forms_sites_write_them() {
        let a = authors(&toml::Value::String(
            "Vitalik Buterin (@vbuterin), Martin Holst Swende <martin@example.org>, Alex (@a_b) <a@b.c>".into(),
        ));
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].name, "Vitalik Buterin");
        assert_eq!(a[0].handle.as_deref(), Some("@vbuterin"));
        assert_eq!(a[1].email.as_deref(), Some("martin@example.org"));
        assert_eq!(a[2].handle.as_deref(), Some("@a_b"));
        let t: toml::Value =
            toml::from_str::<toml::Table>("a = [{ name = \"Ada\", twitter = \"ada\", affiliation = \"X\" }, \"Bob\"]")
                .unwrap()["a"]
                .clone();
        let a = authors(&t);
        assert_eq!(a[0].handle.as_deref(), Some("@ada"));
        assert_eq!(a[1].name, "Bob");
        let t: toml::Value =
            toml::from_str::<toml::Table>("a = [{ name = { given = \"Ada\", family = \"Lovelace\" } }]").unwrap()["a"]
                .clone();
        assert_eq!(authors(&t)[0].name, "Ada Lovelace");
    }

    #[test]
    fn links_are_rewritten_outside_code_and_dropped_links_keep_their_text() {
        let body = "See [one](./a.md#x) and ![pic](img/p.png).\n```\n[no](./a.md)\n```\n[gone](missing.md) `[c](./a.md)`\n[ref]: ./a.md\n<img src=\"img/p.png\">\n";
        let out = rewrite(body, &mut |t, _| match t {
            "./a.md#x" => Some("../a/index.md#x".into()),
            "./a.md" => Some("a.md".into()),
            "img/p.png" => Some("p.png".into()),
            "missing.md" => Some(String::new()),
            _ => None,
        });
        assert!(out.contains("[one](../a/index.md#x)"), "{out}");
        assert!(out.contains("![pic](p.png)"), "{out}");
        assert!(out.contains("[no](./a.md)"), "code is left alone: {out}");
        assert!(out.contains("gone `[c](./a.md)`"), "{out}");
        assert!(out.contains("[ref]: a.md"), "{out}");
        assert!(out.contains("<img src=\"p.png\">"), "{out}");
    }

    #[test]
    fn headings_go_down_a_level_and_liquid_is_found() {
        assert_eq!(demote("# A\ntext\n## B\n```\n# not\n```\n"), "## A\ntext\n### B\n```\n# not\n```\n");
        assert_eq!(demote("## A\n"), "## A\n");
        assert_eq!(
            liquid("a {% include x.html %} b {{ page.title }}\n"),
            vec![(1, "{% include x.html %}".into()), (1, "{{ page.title }}".into())]
        );
    }

    #[test]
    fn relative_paths_between_new_places() {
        assert_eq!(relative(Path::new("contributions"), Path::new("contributions/b.md")), PathBuf::from("b.md"));
        assert_eq!(relative(Path::new("contributions/a"), Path::new("contributions/b.md")), PathBuf::from("../b.md"));
        assert_eq!(relative(Path::new("contributions/a"), Path::new("contributions/a/p.png")), PathBuf::from("p.png"));
    }
}
