//! `anthology import bookdown`: a book written with R's bookdown.
//!
//! bookdown keeps its chapters as `.Rmd` files: those `_bookdown.yml` lists
//! in `rmd_files`, else every `.Rmd` of the book's folder in the order of
//! their names (not those whose name starts with `_`), `index.Rmd` first.
//! `index.Rmd`'s front matter is the book's: title, authors, description,
//! bibliography. Parts are headings, not files: `# (PART) Methods {-}` at
//! the top of a chapter starts a part, `# (APPENDIX) Appendix {-}` the
//! appendices. Here `index.Rmd` becomes the preface, each part a section,
//! the chapters essays, the unnumbered chapters before the first numbered
//! one front texts (an "About the authors"), the appendices back texts.
//! The chapters go through the Markdown importer: code chunks are kept as
//! code and never run, and the figures and tables they make are numbered
//! as bookdown numbers them ([`super::knit`]).

use std::path::Path;

use super::markdown::Options;
use super::meta::{Affiliations, authors, front_matter, list, plain, yaml};
use super::project::{self, Chapter, Place, Project};
use super::{Import, ImportError};
use crate::input::markdown::{TopBlock, blocks};

/// The bookdown book at `dir` as an anthology.
pub fn import(dir: &Path, opts: &Options) -> Result<Import, ImportError> {
    let dir = dir.canonicalize().map_err(|source| ImportError::Read { path: dir.to_path_buf(), source })?;
    let config = dir.join("_bookdown.yml");
    let index = ["index.Rmd", "index.rmd"].iter().map(|n| dir.join(n)).find(|p| p.is_file());
    if !config.is_file() && index.is_none() {
        return Err(ImportError::Nothing(dir));
    }
    let read =
        |p: &Path| std::fs::read_to_string(p).map_err(|source| ImportError::Read { path: p.to_path_buf(), source });
    let settings: toml::Table = if config.is_file() {
        yaml(&read(&config)?)
            .map_err(|why| ImportError::Refused {
                path: config.clone(),
                why: format!("its YAML cannot be read ({why})"),
            })?
            .into_iter()
            .collect()
    } else {
        toml::Table::new()
    };
    // The book's metadata: index.Rmd's front matter.
    // index.Rmd's front matter is the book's; the preface is the rest.
    let mut notes = Vec::new();
    let (front, preface): (toml::Table, Option<String>) = match &index {
        Some(p) => {
            let text = read(p)?.replace("\r\n", "\n");
            let shown = p.file_name().map(std::path::PathBuf::from).unwrap_or_default();
            let (fields, _, body_at) = front_matter(&text, &shown, &mut notes);
            (fields.into_iter().collect(), Some(text[body_at..].trim_start().to_string()))
        }
        None => (toml::Table::new(), None),
    };
    let files = match settings.get("rmd_files") {
        Some(toml::Value::Table(by_format)) => by_format.get("html").or_else(|| by_format.values().next()).map(list),
        Some(v) => Some(list(v)),
        None => None,
    }
    .unwrap_or_else(|| listed(&dir));
    let get = |k: &str| front.get(k).map(plain).filter(|s| !s.is_empty() && !s.contains("`r "));
    let editors: Vec<String> = front
        .get("author")
        .map(|a| authors(a, &Affiliations::default()).authors.into_iter().map(|a| a.name).collect())
        .unwrap_or_default();
    let mut opts = opts.clone();
    if opts.authors.is_empty() {
        opts.authors = editors.clone();
    }
    let (mut chapters, parts) = chapters(&dir, &files);
    if let (Some(first), Some(index)) = (chapters.first_mut(), &index)
        && dir.join(&first.file) == *index
    {
        first.text = preface;
    }
    project::assemble(
        Project {
            tool: "bookdown book",
            dir: dir.clone(),
            config: if config.is_file() { config } else { index.unwrap_or_default() },
            chapters,
            parts,
            title: get("title"),
            lang: get("lang"),
            description: get("description").or_else(|| get("subtitle")),
            editors,
            bibliography: front.get("bibliography").map(list).unwrap_or_default(),
            csl: get("csl"),
            notes,
        },
        &opts,
    )
}

/// The `.Rmd` files of `dir` as bookdown orders them when `_bookdown.yml`
/// names none: by name, `index.Rmd` first, none starting with `_`.
fn listed(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.to_lowercase().ends_with(".rmd") && !n.starts_with('_'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.sort_by_key(|n| n.to_lowercase() != "index.rmd");
    names
}

/// The files in order, each with its place, and the parts (sections) their
/// `(PART)` headings start; those headings are taken out of the texts.
fn chapters(dir: &Path, files: &[String]) -> (Vec<Chapter>, Vec<(String, Option<String>)>) {
    let mut out = Vec::new();
    let mut parts: Vec<(String, Option<String>)> = Vec::new();
    let (mut section, mut appendix, mut numbered_seen) = (None::<String>, false, false);
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default().replace("\r\n", "\n");
        let mut edited = None;
        let mut unnumbered = false;
        for b in blocks(&text) {
            let TopBlock::Heading { at, level: 1 } = b else { continue };
            let line = text[at.clone()].trim();
            let title = line.trim_start_matches('#').trim();
            if let Some(rest) = title.strip_prefix("(PART)").or_else(|| title.strip_prefix("(PART\\*)")) {
                let name = strip_attributes(rest);
                let id = crate::lang::slug::slugify(&name);
                if !id.is_empty() {
                    parts.push((id.clone(), Some(name)));
                    section = Some(id);
                }
                blank(edited.get_or_insert_with(|| text.clone()), at);
                continue;
            }
            if title.starts_with("(APPENDIX)") {
                appendix = true;
                blank(edited.get_or_insert_with(|| text.clone()), at);
                continue;
            }
            // The chapter's own heading: numbered unless `{-}`.
            let attrs = title.rsplit_once('{').map(|(_, a)| a.trim_end_matches('}')).unwrap_or("");
            unnumbered = attrs.split_whitespace().any(|t| t == "-" || t == ".unnumbered");
            break;
        }
        let place = if i == 0 {
            Place::Front
        } else if appendix {
            Place::Back
        } else if unnumbered && !numbered_seen && section.is_none() {
            Place::Front
        } else {
            numbered_seen = true;
            Place::Essay(section.clone())
        };
        out.push(Chapter {
            file: file.clone(),
            place,
            text: edited.map(|t| t.trim_start().to_string()),
            book_links: false,
        });
    }
    (out, parts)
}

/// `text` with the line at `at` made blank, the other positions kept.
fn blank(text: &mut String, at: std::ops::Range<usize>) {
    let end = if text[at.clone()].ends_with('\n') { at.end - 1 } else { at.end };
    text.replace_range(at.start..end, &" ".repeat(end - at.start));
}

/// A heading's text without its attributes (`Methods {-}` is `Methods`).
fn strip_attributes(s: &str) -> String {
    let s = s.trim();
    let s = match s.rfind('{') {
        Some(i) if s.ends_with('}') => &s[..i],
        _ => s,
    };
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_appendices_and_unnumbered_chapters_find_their_places() {
        let d = tempfile::tempdir().unwrap();
        let files = [
            ("index.Rmd", "---\ntitle: T\n---\n\n# Preface {-}\n\nWhy.\n"),
            ("00-authors.Rmd", "# About the Authors {#author .unnumbered}\n\nUs.\n"),
            ("01-intro.Rmd", "# (PART) Get Started {-}\n\n# Installation\n\nText.\n"),
            ("02-basics.Rmd", "# Basics\n\nMore.\n"),
            ("03-more.Rmd", "# (PART\\*) Extensions {-}\n\n# Dashboards\n\nDash.\n"),
            ("04-app.Rmd", "# (APPENDIX) Appendix {-}\n\n# Extra\n\nEnd.\n"),
        ];
        for (name, text) in files {
            std::fs::write(d.path().join(name), text).unwrap();
        }
        let names: Vec<String> = listed(d.path());
        assert_eq!(names[0], "index.Rmd");
        let (c, parts) = chapters(d.path(), &names);
        let places: Vec<(&str, Place)> = c.iter().map(|c| (c.file.as_str(), c.place.clone())).collect();
        assert_eq!(
            places,
            vec![
                ("index.Rmd", Place::Front),
                ("00-authors.Rmd", Place::Front),
                ("01-intro.Rmd", Place::Essay(Some("get-started".into()))),
                ("02-basics.Rmd", Place::Essay(Some("get-started".into()))),
                ("03-more.Rmd", Place::Essay(Some("extensions".into()))),
                ("04-app.Rmd", Place::Back),
            ]
        );
        assert_eq!(
            parts,
            vec![("get-started".into(), Some("Get Started".into())), ("extensions".into(), Some("Extensions".into()))]
        );
        assert_eq!(c[2].text.as_deref(), Some("# Installation\n\nText.\n"), "the part's heading is taken out");
        assert!(c[3].text.is_none());
    }
}
