//! `anthology import docx`: Word documents, as Word, LibreOffice and Google
//! Docs write them.
//!
//! A DOCX is a zip of XML parts: the text (`word/document.xml`), its styles,
//! its list definitions, its footnotes and endnotes, the relationships that
//! name its links and images, and its properties (`docProps/core.xml`). They
//! are read with the zip crate and quick-xml, within limits (a zip bomb, an
//! entry named `../x`, a DTD, a part too large and an image that is not one
//! are refused, and nothing is written), and the text is written as this
//! book's Markdown: headings by style, paragraphs, bold, italic, underline
//! (as emphasis), strikethrough, super- and subscripts, links, nested lists,
//! tables, footnotes and endnotes, block quotes by style, line breaks and
//! images, extracted beside the essay with their descriptions as alt text.
//! Quotes are kept as written. What Markdown cannot hold (tracked changes,
//! comments, text boxes, equations, fields, merged cells) is a diagnostic.

mod blocks;
mod package;
mod walk;
mod write;

use std::path::{Path, PathBuf};

use super::front::{AuthorOut, Front};
use super::{Import, ImportError, Imported};
use crate::diagnostic::{Code, Diagnostic, Location};
use blocks::{Block, Kind, Run};
use package::Docx;
use walk::Walker;
use write::{escape, inline_text, write_blocks};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--slug`: the contribution's name (one document only).
    pub slug: Option<String>,
    /// `--section`: the section it goes in.
    pub section: Option<String>,
    /// `--author`: the authors of a document that names none.
    pub authors: Vec<String>,
}

/// The documents `files` as contributions.
pub fn import(files: &[PathBuf], opts: &Options) -> Result<Import, ImportError> {
    let mut out = Import::default();
    if opts.slug.is_some() && files.len() > 1 {
        return Err(ImportError::Refused { path: files[0].clone(), why: "--slug names one document only".into() });
    }
    let mut taken = std::collections::HashSet::new();
    for file in files {
        let shown = PathBuf::from(file.file_name().unwrap_or_default());
        let _doing = crate::doing::doing(format!("importing {}", file.display()));
        let doc = Docx::open(file)?;
        let mut notes = Vec::new();
        let converted = doc.convert(&mut |what: String, hint: &str| {
            notes.push(Diagnostic::new(Code::ImportLeftOut, Location::file(&shown), what).hint(hint.to_string()));
        });
        let (mut front, body, images) = converted.map_err(|why| ImportError::Refused { path: file.clone(), why })?;
        // The slug: --slug, else the title's, else the file's name; never
        // one another document of this import took (two documents titled
        // alike do not overwrite each other).
        let stem = file.file_stem().unwrap_or_default().to_string_lossy().to_string();
        if front.title.is_empty() {
            front.title = stem.replace('_', " ");
        }
        let slug = opts.slug.clone().unwrap_or_else(|| {
            let candidates = [crate::lang::slug::slugify(&front.title), crate::lang::slug::slugify(&stem)];
            let base = candidates.iter().find(|s| !s.is_empty()).cloned().unwrap_or_else(|| "document".into());
            let free = |s: &String| !s.is_empty() && !taken.contains(s);
            candidates
                .into_iter()
                .find(free)
                .unwrap_or_else(|| (2..).map(|n| format!("{base}-{n}")).find(free).unwrap_or(base))
        });
        taken.insert(slug.clone());
        let folder = PathBuf::from("contributions");
        let target =
            if images.is_empty() { folder.join(format!("{slug}.md")) } else { folder.join(&slug).join("index.md") };
        for (name, bytes) in images {
            out.files.push((folder.join(&slug).join(name), bytes));
        }
        front.section.clone_from(&opts.section);
        if front.authors.is_empty() {
            front.authors =
                opts.authors.iter().map(|n| AuthorOut { name: n.clone(), ..AuthorOut::default() }).collect();
        }
        if front.authors.is_empty() {
            notes.push(
                Diagnostic::new(
                    Code::ImportLeftOut,
                    Location::file(&shown),
                    "no author found: neither the document's author property nor a \"By …\" line",
                )
                .hint("add [[authors]] to the contribution's front matter, or import with --author"),
            );
        }
        out.diagnostics.extend(notes);
        out.essays.push(Imported {
            source: file.clone(),
            target,
            title: front.title.clone(),
            authors: front.authors.iter().map(|a| a.name.clone()).collect(),
            text: front.write(&body),
            update: false,
        });
    }
    if let Some(first) = files.first() {
        out.root = first.parent().unwrap_or(Path::new(".")).to_path_buf();
    }
    Ok(out)
}

impl Docx {
    /// The document as front matter, Markdown, and images (name, bytes).
    #[allow(clippy::type_complexity)]
    fn convert(&self, note: &mut dyn FnMut(String, &str)) -> Result<(Front, String, Vec<(String, Vec<u8>)>), String> {
        let mut w = Walker::new(self);
        let blocks = w.blocks(&self.document)?;
        for (what, hint) in std::mem::take(&mut w.notes) {
            note(what, hint);
        }
        // The title: the document's property, else its first Title or Heading 1.
        let mut blocks = blocks;
        let mut title = self.core_title.clone().filter(|t| !t.trim().is_empty());
        if title.is_none()
            && let Some(i) = blocks.iter().position(|b| matches!(b.kind, Kind::Heading(0 | 1)))
        {
            title = Some(inline_text(&blocks[i].runs));
            blocks.remove(i);
        } else if let Some(t) = &title
            && let Some(i) = blocks.iter().position(|b| matches!(b.kind, Kind::Heading(0 | 1)))
            && inline_text(&blocks[i].runs).trim() == t.trim()
        {
            blocks.remove(i);
        }
        // No title: the file's name gives one.
        let title = title.unwrap_or_default();
        // pandoc's front, before the text: authors, subtitle, date; a
        // caption that repeats the picture's description above it. A
        // dropped capital joins its paragraph.
        let mut meta_authors = Vec::new();
        let (mut subtitle, mut date) = (None, None);
        let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
        let mut in_front = true;
        let mut dropped: Vec<Run> = Vec::new();
        for mut b in blocks {
            if !dropped.is_empty() {
                let mut runs = std::mem::take(&mut dropped);
                runs.append(&mut b.runs);
                b.runs = runs;
            }
            let front_kind = matches!(b.kind, Kind::Meta("author" | "subtitle" | "date"));
            if !front_kind && !matches!(b.kind, Kind::Meta("abstract")) && !inline_text(&b.runs).is_empty() {
                in_front = false;
            }
            if front_kind && !in_front {
                b.kind = Kind::Para;
            }
            match b.kind {
                Kind::DropCap => dropped = b.runs,
                Kind::Meta("author") => meta_authors.extend(split_names(&inline_text(&b.runs))),
                Kind::Meta("subtitle") => subtitle = Some(inline_text(&b.runs)),
                Kind::Meta("date") if super::meta::date(&inline_text(&b.runs)).is_some() => {
                    date = super::meta::date(&inline_text(&b.runs));
                }
                Kind::Meta("caption") => {
                    let text = inline_text(&b.runs);
                    let repeats = kept.last().is_some_and(|p| {
                        p.runs.iter().any(|r| {
                            r.raw.as_deref().is_some_and(|m| m.starts_with("![") && m.contains(&escape(&text)))
                        })
                    });
                    if !repeats {
                        kept.push(Block { kind: Kind::Para, runs: b.runs });
                    }
                }
                Kind::Meta(_) => kept.push(Block { kind: Kind::Para, runs: b.runs }),
                _ => kept.push(b),
            }
        }
        if !dropped.is_empty() {
            kept.push(Block { kind: Kind::Para, runs: dropped });
        }
        let mut blocks = kept;
        // The authors: a "By …" line, else the author property.
        let mut authors = Vec::new();
        if let Some(i) =
            blocks.iter().take(3).position(|b| matches!(b.kind, Kind::Para) && by_line(&inline_text(&b.runs)).is_some())
        {
            authors = by_line(&inline_text(&blocks[i].runs)).unwrap_or_default();
            blocks.remove(i);
        } else if !meta_authors.is_empty() {
            authors = meta_authors;
        } else if let Some(c) = &self.core_creator {
            let generic = ["", "unknown", "author", "user", "microsoft office user", "administrator", "owner"];
            if !generic.contains(&c.trim().to_lowercase().as_str()) {
                authors = split_names(c);
            }
        }
        let authors = authors.into_iter().map(|name| AuthorOut { name, ..AuthorOut::default() }).collect();
        let mut md = String::new();
        let mut notes_md = String::new();
        write_blocks(&blocks, &mut md);
        for (n, (_, body)) in w.footnotes.iter().enumerate() {
            notes_md.push_str(&format!("[^{}]: {}\n", n + 1, body));
        }
        if !notes_md.is_empty() {
            md.push('\n');
            md.push_str(&notes_md);
        }
        let images = w.images.into_iter().map(|(_, name, bytes)| (name, bytes)).collect();
        Ok((Front { title, subtitle, date, authors, ..Front::default() }, md, images))
    }
}

/// `By A, B and C` as names (English, French, German, Spanish words).
fn by_line(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    let rest = ["By ", "by ", "Par ", "par ", "Von ", "von ", "Por ", "por "].iter().find_map(|p| t.strip_prefix(p))?;
    if rest.len() > 200 {
        return None;
    }
    let names = split_names(rest);
    (!names.is_empty()).then_some(names)
}

fn split_names(s: &str) -> Vec<String> {
    let mut s = s.to_string();
    for sep in [" and ", " et ", " und ", " y ", " & ", ";"] {
        s = s.replace(sep, ",");
    }
    s.split(',').map(|n| n.trim().trim_end_matches('.').to_string()).filter(|n| !n.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::write::write_runs;
    use super::*;

    #[test]
    fn by_lines_and_names() {
        assert_eq!(
            by_line("By Ada Lovelace and Charles Babbage"),
            Some(vec!["Ada Lovelace".into(), "Charles Babbage".into()])
        );
        assert_eq!(
            by_line("Par Inès Abadie, Karim Benslimane et Zélie Quéré"),
            Some(vec!["Inès Abadie".into(), "Karim Benslimane".into(), "Zélie Quéré".into()])
        );
        assert_eq!(by_line("Bypass"), None);
    }

    #[test]
    fn runs_keep_spaces_outside_their_markers() {
        let runs = vec![
            Run { text: "A ".into(), ..Run::default() },
            Run { text: "bold ".into(), bold: true, ..Run::default() },
            Run { text: "word".into(), bold: true, ..Run::default() },
            Run { text: " and a [link]".into(), link: Some("https://x.org".into()), ..Run::default() },
            Run { text: "2".into(), sup: true, ..Run::default() },
        ];
        let mut s = String::new();
        write_runs(&runs, &mut s);
        assert_eq!(s, "A **bold word** [and a \\[link\\]](https://x.org)^2^");
    }
}
