//! `anthology import roster`: the contributors' details from a spreadsheet.
//!
//! Editors keep bios, handles and photos in a spreadsheet, one row per
//! contributor. Each row is matched to the book's authors by name, as the
//! book's language compares names (accents and case folded: "Noël
//! Dupré" is "noel dupre"), and what it gives is written into the author's
//! `[[authors]]` table in every contribution they signed, the rest of the
//! file kept as it is (comments, order, spacing). A row that matches no
//! author, and an author no row matches, are reported. CSV, TSV and XLSX
//! (the first sheet) are read.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Copy, Import, ImportError, Imported, MAX_ASSET, MAX_SOURCE};
use crate::diagnostic::{Code, Diagnostic, Location};

/// The columns a roster may have, by the names people give them, and the
/// `[[authors]]` key each fills.
const COLUMNS: &[(&str, &[&str])] = &[
    ("name", &["name", "nom", "full name", "author", "contributor"]),
    ("bio", &["bio", "biography", "biographie"]),
    ("affiliation", &["affiliation", "organisation", "organization"]),
    ("handle", &["handle", "twitter", "mastodon", "bluesky", "social"]),
    ("url", &["url", "website", "site", "homepage"]),
    ("orcid", &["orcid"]),
    ("email", &["email", "e-mail", "mail", "courriel"]),
    ("photo", &["photo", "portrait", "picture", "image"]),
];

/// The most cells of an XLSX read (a sheet's XML expands a lot).
const MAX_XML: u64 = 32 * 1024 * 1024;

/// A spreadsheet read: its header and rows, each with its line (CSV, TSV)
/// or row number (XLSX).
pub(crate) struct Sheet {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<(usize, Vec<String>)>,
}

/// The spreadsheet at `path` (CSV, TSV, or the first sheet of an XLSX).
pub(crate) fn read_sheet(path: &Path) -> Result<Sheet, ImportError> {
    let failed = |e: String| ImportError::Read { path: path.to_path_buf(), source: std::io::Error::other(e) };
    let size = std::fs::metadata(path).map_err(|source| ImportError::Read { path: path.to_path_buf(), source })?.len();
    if size > MAX_SOURCE {
        return Err(failed(format!("larger than the {} MiB a roster may have", MAX_SOURCE >> 20)));
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    if ext == "xlsx" {
        rows = xlsx(path).map_err(failed)?;
    } else {
        let delimiter = if ext == "tsv" || ext == "tab" { b'\t' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_path(path)
            .map_err(|e| failed(e.to_string()))?;
        for record in reader.records() {
            let record = record.map_err(|e| failed(e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            rows.push((line, record.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_string()).collect()));
        }
    }
    if rows.is_empty() {
        return Err(failed("no header row".into()));
    }
    let (_, header) = rows.remove(0);
    Ok(Sheet { header, rows })
}

/// The first sheet of an XLSX: its rows of cell texts.
fn xlsx(path: &Path) -> Result<Vec<(usize, Vec<String>)>, String> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("not an XLSX: {e}"))?;
    let mut part = |name: &str| -> Result<Option<String>, String> {
        let Ok(entry) = zip.by_name(name) else { return Ok(None) };
        if entry.size() > MAX_XML {
            return Err(format!("{name} expands to more than {} MiB", MAX_XML >> 20));
        }
        let mut text = String::new();
        entry.take(MAX_XML + 1).read_to_string(&mut text).map_err(|e| e.to_string())?;
        if text.len() as u64 > MAX_XML {
            return Err(format!("{name} expands to more than {} MiB", MAX_XML >> 20));
        }
        Ok(Some(text))
    };
    let shared_xml = part("xl/sharedStrings.xml")?.unwrap_or_default();
    let sheet = part("xl/worksheets/sheet1.xml")?.ok_or("no first sheet (xl/worksheets/sheet1.xml)")?;
    // The shared strings: one per <si>, its <t> texts joined.
    let mut shared = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&shared_xml);
    let (mut current, mut in_t) = (String::new(), false);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if e.local_name().into_inner() == "t" => in_t = true,
            Event::End(e) if e.local_name().into_inner() == "t" => in_t = false,
            Event::End(e) if e.local_name().into_inner() == "si" => shared.push(std::mem::take(&mut current)),
            Event::Text(t) if in_t => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => current.push_str(&super::xml_entity(r.as_ref())),
            Event::Eof => break,
            _ => {}
        }
    }
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&sheet);
    let (mut row, mut col, mut kind, mut value, mut in_v) = (0usize, 0usize, String::new(), String::new(), false);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if e.local_name().into_inner() == "row" => {
                row = attr(&e, "r").and_then(|r| r.parse().ok()).unwrap_or(row + 1);
                rows.push((row, Vec::new()));
            }
            Event::Start(e) if e.local_name().into_inner() == "c" => {
                col = attr(&e, "r").map_or(col + 1, |r| column(&r));
                kind = attr(&e, "t").unwrap_or_default();
                value.clear();
            }
            Event::Start(e) if matches!(e.local_name().into_inner(), "v" | "t") => in_v = true,
            Event::End(e) if matches!(e.local_name().into_inner(), "v" | "t") => in_v = false,
            Event::Text(t) if in_v => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_v => value.push_str(&super::xml_entity(r.as_ref())),
            Event::End(e) if e.local_name().into_inner() == "c" => {
                let text = if kind == "s" {
                    value.trim().parse::<usize>().ok().and_then(|i| shared.get(i).cloned()).unwrap_or_default()
                } else {
                    value.clone()
                };
                if let Some((_, cells)) = rows.last_mut()
                    && (1..=256).contains(&col)
                {
                    if cells.len() < col {
                        cells.resize(col, String::new());
                    }
                    cells[col - 1] = text.trim().to_string();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(rows)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().into_inner() == key).map(|a| a.value.to_string())
}

/// The column number (1-based) of a cell reference such as `C12`.
fn column(r: &str) -> usize {
    r.chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .fold(0, |n, c| n * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1))
}

/// The roster at `path` applied to the contributions of the book at `root`.
pub fn import(root: &Path, path: &Path) -> Result<Import, ImportError> {
    let (config, _, _) = crate::config::load(root);
    let lang = config.as_ref().map_or("und".to_string(), |c| c.language.clone());
    let collation = crate::lang::collate::Collation::new(&lang);
    let sheet = read_sheet(path)?;
    let shown = path.file_name().map(PathBuf::from).unwrap_or_default();
    let mut out = Import { root: path.parent().unwrap_or(Path::new(".")).to_path_buf(), ..Import::default() };
    // Which column fills which key.
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for h in &sheet.header {
        let lower = h.trim().to_lowercase();
        let key = COLUMNS.iter().find(|(_, names)| names.contains(&lower.as_str())).map(|(k, _)| *k);
        if key.is_none() && !lower.is_empty() {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::ImportLeftOut,
                    Location::line_col(&shown, 1, 1),
                    format!("the column `{h}` is not read"),
                )
                .hint("name the columns name, bio, affiliation, handle, url, orcid, email and photo"),
            );
        }
        columns.push(key);
    }
    if !columns.contains(&Some("name")) {
        return Err(ImportError::Read {
            path: path.to_path_buf(),
            source: std::io::Error::other("no `name` column: it is what rows are matched by"),
        });
    }
    let rows: Vec<(usize, BTreeMap<&'static str, String>)> = sheet
        .rows
        .iter()
        .map(|(line, cells)| {
            let fields = columns
                .iter()
                .zip(cells)
                .filter_map(|(k, v)| Some(((*k)?, v.clone())))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            (*line, fields)
        })
        .filter(|(_, f): &(usize, BTreeMap<&str, String>)| f.contains_key("name"))
        .collect();
    // Every contribution, its front matter edited in place.
    let mut used = vec![false; rows.len()];
    let mut unmatched: Vec<(PathBuf, String)> = Vec::new();
    for file in contributions(root)? {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        let text = std::fs::read_to_string(&file).map_err(|source| ImportError::Read { path: file.clone(), source })?;
        let Some(front) = front_range(&text) else { continue };
        let Ok(mut doc) = text[front.clone()].parse::<toml_edit::DocumentMut>() else { continue };
        let Some(authors) = doc.get_mut("authors").and_then(|a| a.as_array_of_tables_mut()) else { continue };
        let mut changed = false;
        for table in authors.iter_mut() {
            let Some(name) = table.get("name").and_then(|n| n.as_str()).map(str::to_string) else { continue };
            let found = rows.iter().position(|(_, f)| collation.same(&f["name"], &name));
            let Some(i) = found else {
                unmatched.push((rel.clone(), name));
                continue;
            };
            used[i] = true;
            for (key, value) in &rows[i].1 {
                let value = match *key {
                    "name" => continue,
                    "handle" if !value.starts_with('@') && !value.contains("://") => format!("@{value}"),
                    "photo" => {
                        let from = path.parent().unwrap_or(Path::new(".")).join(value);
                        match copy_photo(&from, &rel, path.parent().unwrap_or(Path::new("."))) {
                            Ok((to, written)) => {
                                if !out.copies.iter().any(|c| c.to == to) {
                                    out.copies.push(Copy { from: from.clone(), to: to.clone() });
                                }
                                written
                            }
                            Err(why) => {
                                out.diagnostics.push(
                                    Diagnostic::new(
                                        Code::ImportLeftOut,
                                        Location::line_col(&shown, rows[i].0, 1),
                                        format!("the photo `{value}` {why}: not copied"),
                                    )
                                    .hint("give a path to an image file, relative to the roster"),
                                );
                                continue;
                            }
                        }
                    }
                    _ => value.clone(),
                };
                if table.get(key).and_then(|v| v.as_str()) != Some(value.as_str()) {
                    table.insert(key, toml_edit::value(value));
                    changed = true;
                }
            }
        }
        if changed {
            let new = format!("{}{}{}", &text[..front.start], doc, &text[front.end..]);
            out.essays.push(Imported {
                source: file.clone(),
                target: rel,
                title: String::new(),
                authors: Vec::new(),
                text: new,
                update: true,
            });
        }
    }
    for (i, (line, fields)) in rows.iter().enumerate() {
        if !used[i] {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::RosterUnmatched,
                    Location::line_col(&shown, *line, 1),
                    format!("`{}` matches no author of the book", fields["name"]),
                )
                .hint("write the name as the contributions do (accents and capitals do not matter)"),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (file, name) in unmatched {
        if seen.insert(name.clone()) {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::RosterUnmatched,
                    Location::file(&file),
                    format!("the author `{name}` has no row in the roster"),
                )
                .hint("add a row, or leave their details as the contribution gives them"),
            );
        }
    }
    Ok(out)
}

/// The front matter's TOML in a contribution (between `+++` lines).
fn front_range(text: &str) -> Option<std::ops::Range<usize>> {
    let rest = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n"))?;
    let start = text.len() - rest.len();
    let end = rest.find("\n+++").map(|i| start + i + 1)?;
    Some(start..end)
}

/// The Markdown files of `contributions/`: `*.md` and `*/index.md`.
fn contributions(root: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let dir = root.join("contributions");
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|source| ImportError::Read { path: dir.clone(), source })?;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() && p.join("index.md").is_file() {
            out.push(p.join("index.md"));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// Where a roster's photo goes for the contribution `rel` (beside it), and
/// the path its front matter writes.
fn copy_photo(from: &Path, rel: &Path, folder: &Path) -> Result<(PathBuf, String), &'static str> {
    let real = from.canonicalize().map_err(|_| "is not there")?;
    let folder = folder.canonicalize().map_err(|_| "is not there")?;
    if !real.starts_with(&folder) {
        return Err("is outside the roster's folder");
    }
    let meta = std::fs::metadata(&real).map_err(|_| "is not there")?;
    if !meta.is_file() {
        return Err("is not a file");
    }
    if meta.len() > MAX_ASSET {
        return Err("is too large");
    }
    let ext = from.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if !["jpg", "jpeg", "png", "webp", "gif"].contains(&ext.as_str()) {
        return Err("is not a JPEG, PNG, WebP or GIF image");
    }
    let name = from.file_name().ok_or("has no name")?.to_string_lossy().into_owned();
    let dir = rel.parent().unwrap_or(Path::new("contributions"));
    Ok((dir.join(&name), name))
}

/// The key each roster column fills, for the guide.
pub fn columns() -> HashMap<&'static str, &'static [&'static str]> {
    COLUMNS.iter().copied().collect()
}
