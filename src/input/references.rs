//! Reference files: the works an essay can cite, from BibLaTeX (`.bib`) or
//! Hayagriva YAML (`.yaml`, `.yml`).
//!
//! Files are read as untrusted input like the essays: only inside the book,
//! within a size limit, and a file that cannot be read gives a diagnostic at
//! its own line rather than stopping the load. Parsing is hayagriva's (the
//! library typst uses), so a `.bib` means here what it means to typst and to
//! biblatex users; this module adds where each key is defined, which `check`
//! needs to point at an unused entry.

use std::path::{Path, PathBuf};

use hayagriva::Library;

use super::assets::{self, AssetProblem};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::Defined;

/// Largest reference file read, in bytes: a book-wide library of several
/// thousand entries fits; what is larger is refused before it is parsed.
pub const MAX_REFERENCES_BYTES: u64 = 8 * 1024 * 1024;

/// The file names an essay's folder may hold its references under.
pub const DEFAULT_NAMES: &[&str] = &["references.bib", "references.yaml", "references.yml"];

/// One reference file, read and parsed.
#[derive(Debug, Clone)]
pub struct RefFile {
    /// The file, relative to the book's root.
    pub file: PathBuf,
    /// Its text, for diagnostics.
    pub text: String,
    /// Its entries.
    pub library: Library,
    /// Where each entry's key is written.
    pub defined: Vec<Defined>,
}

/// Reads the reference file `written` (as a text names it, relative to the
/// folder `base`) for a text whose mention of it is at `named_at`.
/// `None`, with a diagnostic, when it cannot be read.
pub fn read(
    root: &Path,
    base: &Path,
    written: &str,
    named_at: Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<RefFile> {
    let rel = match assets::resolve_lexically(base, written)
        .and_then(|rel| assets::locate(root, &rel).map(|r| (rel, r)))
    {
        Ok(found) => found,
        Err(AssetProblem::Outside) => {
            diags.push(
                Diagnostic::new(
                    Code::PathOutsideBook,
                    named_at,
                    format!("`{written}` is outside the book's folder; it was not read"),
                )
                .hint("put the reference file inside the book, beside the essay"),
            );
            return None;
        }
        Err(_) => {
            diags.push(
                Diagnostic::new(Code::ImageMissing, named_at, format!("the reference file `{written}` does not exist"))
                    .hint("paths are relative to the text that names them"),
            );
            return None;
        }
    };
    let (rel, real) = rel;
    read_found(&rel, &real, diags)
}

/// Reads a reference file already known to be inside the book.
pub fn read_found(rel: &Path, real: &Path, diags: &mut Vec<Diagnostic>) -> Option<RefFile> {
    let _doing = crate::doing::doing(format!("reading {}", crate::diagnostic::slash_path(rel)));
    let bytes = match super::read_limited(real, MAX_REFERENCES_BYTES) {
        Ok(b) => b,
        Err(super::ReadError::TooLarge(n)) => {
            diags.push(Diagnostic::new(
                Code::FileTooLarge,
                Location::file(rel),
                format!("the reference file is {} KiB; the limit is {} KiB", n / 1024, MAX_REFERENCES_BYTES / 1024),
            ));
            return None;
        }
        Err(super::ReadError::Io(e)) => {
            diags.push(Diagnostic::new(Code::Unreadable, Location::file(rel), format!("cannot read this file: {e}")));
            return None;
        }
    };
    let text = match super::utf8(rel, bytes) {
        Ok(t) => t,
        Err(bad) => {
            diags.push(bad.1);
            return None;
        }
    };
    let (library, defined) = parse(rel, &text, diags)?;
    Some(RefFile { file: rel.to_path_buf(), text, library, defined })
}

/// Which syntax a file is in, by its extension.
fn is_yaml(file: &Path) -> Option<bool> {
    match file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("bib") => Some(false),
        Some("yaml" | "yml") => Some(true),
        _ => None,
    }
}

/// Parses the text of the reference file `file`. Every problem is a
/// diagnostic at its line; `None` when nothing of the file can be used.
pub fn parse(file: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Option<(Library, Vec<Defined>)> {
    let Some(yaml) = is_yaml(file) else {
        diags.push(
            Diagnostic::new(
                Code::ReferencesSyntax,
                Location::file(file),
                "references must be a `.bib` or `.yaml` file",
            )
            .hint("export the library as BibLaTeX (.bib) from Zotero, JabRef or your reference manager"),
        );
        return None;
    };
    let defined = if yaml { yaml_keys(file, text) } else { bib_keys(file, text) };
    let mut seen = std::collections::HashMap::new();
    // A BibLaTeX file's repeated keys are told by `from_bib`, which keeps
    // the first entry; YAML cannot hold a key twice.
    for d in if yaml { defined.as_slice() } else { &[] } {
        if let Some(first) = seen.insert(d.key.as_str(), d.span.clone()) {
            let (line, _) = crate::diagnostic::line_column(text, first.start);
            diags.push(
                Diagnostic::new(
                    Code::ReferencesSyntax,
                    Location::at(file, text, d.span.clone()),
                    format!("the key `{}` is defined twice in this file (first on line {line})", d.key),
                )
                .hint("keys name one work each: rename or remove one"),
            );
        }
    }
    let library = if yaml {
        match hayagriva::io::from_yaml_str(text) {
            Ok(l) => l,
            Err(e) => {
                let loc = match e.location() {
                    Some(l) => Location::at(file, text, l.index().min(text.len())..l.index().min(text.len())),
                    None => Location::file(file),
                };
                diags.push(
                    Diagnostic::new(Code::ReferencesSyntax, loc, format!("these references cannot be read: {e}"))
                        .hint("each entry is `key:` followed by its `type`, `title`, `author`, `date`… (hayagriva's YAML format)"),
                );
                return None;
            }
        }
    } else {
        from_bib(file, text, diags)?
    };
    Some((library, defined))
}

/// A BibLaTeX file as the works it defines, entry by entry: an entry with
/// a field that cannot be read (`year = {}`, `year = {Forthcoming, 2018}`,
/// which pandoc reads) is kept without that field, with a warning; one
/// that still cannot be read is left out with an error; the others are
/// kept. `None` when the file cannot be parsed at all.
fn from_bib(file: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Library> {
    let at = |span: std::ops::Range<usize>| {
        let span = span.start.min(text.len())..span.end.min(text.len());
        let span = if text.is_char_boundary(span.start) && text.is_char_boundary(span.end) { span } else { 0..0 };
        Location::at(file, text, span)
    };
    // Repeats of the same entry are harmless and, in exports, many: one
    // warning for them all; a key reused for other fields, one each.
    let mut repeats: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let parsed = biblatex::RawBibliography::parse(text).and_then(|raw| {
        let raw = first_of_each_key(raw, |key, first, again, same| {
            if same {
                repeats.push((key.to_string(), again));
                return;
            }
            let (line, _) = crate::diagnostic::line_column(text, first.start);
            diags.push(
                Diagnostic::new(
                    Code::DuplicateReference,
                    at(again),
                    format!("the key `{key}` is defined again, with other fields; the first, on line {line}, is used"),
                )
                .hint("keys name one work each: rename or remove one, then cite the one you mean"),
            );
        });
        biblatex::Bibliography::from_raw(raw)
    });
    if let Some((key, again)) = repeats.first() {
        let more = match repeats.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more key)".to_string(),
            n => format!(" (and {n} more keys)"),
        };
        diags.push(
            Diagnostic::new(
                Code::DuplicateReference,
                at(again.clone()),
                format!("the key `{key}`{more} is defined again as the same entry: the repeat is left out"),
            )
            .hint("nothing to do; remove the repeated entries to quiet this"),
        );
    }
    let bib = match parsed {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::ReferencesSyntax,
                    at(e.span.clone()),
                    format!("these references cannot be read: {}", e.kind),
                )
                .hint("each entry is @type{key, field = {value}, …}; braces and quotes must be balanced"),
            );
            return None;
        }
    };
    let mut library = Library::new();
    for entry in bib.iter() {
        let mut entry = entry.clone();
        let mut first_error = None;
        for _ in 0..4 {
            match hayagriva::Entry::try_from(&entry) {
                Ok(e) => {
                    library.push(&e);
                    first_error = None;
                    break;
                }
                Err(err) => {
                    // The field the error is in, by its place; else a date,
                    // where most unreadable values are.
                    let field = entry
                        .fields
                        .iter()
                        .find(|(_, chunks)| {
                            chunks.iter().any(|c| c.span.start <= err.span.start && err.span.start <= c.span.end)
                        })
                        .map(|(k, _)| k.clone())
                        .or_else(|| {
                            ["year", "date", "month", "urldate", "eventdate", "origdate"]
                                .into_iter()
                                .find(|k| entry.fields.contains_key(*k))
                                .map(str::to_string)
                        });
                    first_error.get_or_insert(err.clone());
                    let Some(field) = field else { break };
                    entry.fields.remove(&field);
                    diags.push(
                        Diagnostic::new(
                            Code::ReferenceFieldLeftOut,
                            at(err.span.clone()),
                            format!(
                                "`{field}` of `{}` cannot be read ({}): the entry is kept without it",
                                entry.key, err.kind
                            ),
                        )
                        .hint("write a date as `2018`, `2018-03` or `2018-03-14`; leave a field out rather than empty"),
                    );
                }
            }
        }
        if let Some(err) = first_error {
            diags.push(
                Diagnostic::new(
                    Code::ReferencesSyntax,
                    at(err.span.clone()),
                    format!("the entry `{}` cannot be read: {}; it is left out", entry.key, err.kind),
                )
                .hint("each entry is @type{key, field = {value}, …}; braces and quotes must be balanced"),
            );
        }
    }
    Some(library)
}

/// `raw` with each key's first entry only, as pandoc's citeproc and biber
/// keep it; `told(key, first, again, same)` hears of every later one, with
/// the spans of both keys and whether the entries are the same.
fn first_of_each_key<'s>(
    mut raw: biblatex::RawBibliography<'s>,
    mut told: impl FnMut(&str, std::ops::Range<usize>, std::ops::Range<usize>, bool),
) -> biblatex::RawBibliography<'s> {
    let content = |e: &biblatex::RawEntry<'s>| {
        let mut fields: Vec<_> = e
            .fields
            .iter()
            .map(|p| (p.key.v.to_ascii_lowercase(), p.value.v.iter().map(|c| c.v.clone()).collect::<Vec<_>>()))
            .collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        (e.kind.v.to_ascii_lowercase(), fields)
    };
    let mut first: std::collections::HashMap<&'s str, usize> = std::collections::HashMap::new();
    let mut keep = Vec::with_capacity(raw.entries.len());
    for (i, entry) in raw.entries.iter().enumerate() {
        match first.get(entry.v.key.v) {
            Some(&f) => {
                let was = &raw.entries[f].v;
                told(entry.v.key.v, was.key.span.clone(), entry.v.key.span.clone(), content(was) == content(&entry.v));
                keep.push(false);
            }
            None => {
                first.insert(entry.v.key.v, i);
                keep.push(true);
            }
        }
    }
    let mut keep = keep.into_iter();
    raw.entries.retain(|_| keep.next().unwrap_or(false));
    raw
}

/// The keys of a BibLaTeX file and where each is written.
fn bib_keys(file: &Path, text: &str) -> Vec<Defined> {
    match biblatex::RawBibliography::parse(text) {
        Ok(raw) => raw
            .entries
            .iter()
            .map(|e| Defined { key: e.v.key.v.to_string(), file: file.to_path_buf(), span: e.v.key.span.clone() })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The keys of a Hayagriva YAML file: the top-level mapping's keys, each at
/// the start of a line.
fn yaml_keys(file: &Path, text: &str) -> Vec<Defined> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        if trimmed.is_empty()
            || trimmed.starts_with([' ', '\t', '#', '-', '.'])
            || !trimmed.contains(':')
            || trimmed.starts_with("---")
        {
            continue;
        }
        let Some(colon) = key_end(trimmed) else { continue };
        let raw = &trimmed[..colon];
        let key = raw.trim().trim_matches(['"', '\'']).to_string();
        if !key.is_empty() {
            out.push(Defined { key, file: file.to_path_buf(), span: start..start + raw.trim_end().len() });
        }
    }
    out
}

/// Where the key of a `key: value` line ends (the colon followed by a space
/// or the end of the line), quoted keys read whole.
fn key_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    if let Some(q @ (b'"' | b'\'')) = bytes.first().copied() {
        i = 1 + line[1..].find(q as char)? + 1;
    }
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t') {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The libraries a text can cite from, merged: its own files in order (a
/// key's first definition wins), then the book's entries it does not define.
pub fn merge(own: &[RefFile], book: Option<&Library>) -> Library {
    let mut out = Library::new();
    for f in own {
        for e in f.library.iter() {
            if out.get(e.key()).is_none() {
                out.push(e);
            }
        }
    }
    if let Some(book) = book {
        for e in book.iter() {
            if out.get(e.key()).is_none() {
                out.push(e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = "@book{knuth84,\n  author = {Knuth, Donald E.},\n  title = {The {\\TeX}book},\n  year = {1984},\n  publisher = {Addison-Wesley},\n}\n\n@article{lamport, author = {Lamport, Leslie}, title = {Time, clocks}, journal = {CACM}, year = 1978}\n";

    #[test]
    fn bib_entries_and_where_their_keys_are() {
        let mut d = Vec::new();
        let (lib, defined) = parse(Path::new("r.bib"), BIB, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(lib.len(), 2);
        let keys: Vec<_> = defined.iter().map(|d| (d.key.as_str(), &BIB[d.span.clone()])).collect();
        assert_eq!(keys, vec![("knuth84", "knuth84"), ("lamport", "lamport")]);
    }

    #[test]
    fn yaml_entries_and_where_their_keys_are() {
        let yaml = "# mine\nharari:\n  type: book\n  title: Sapiens\n  author: Harari, Yuval Noah\n  date: 2011\n\"quoted-key\":\n  type: web\n  title: A page\n";
        let mut d = Vec::new();
        let (lib, defined) = parse(Path::new("r.yaml"), yaml, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(lib.len(), 2);
        let lines: Vec<_> =
            defined.iter().map(|x| (x.key.as_str(), crate::diagnostic::line_column(yaml, x.span.start).0)).collect();
        assert_eq!(lines, vec![("harari", 2), ("quoted-key", 7)]);
    }

    #[test]
    fn a_malformed_bib_is_reported_at_its_line() {
        let bib = "@book{a, title = {A}, year = 2001}\n\n@book{b,\n  title = {Unclosed,\n  year = 2002\n";
        let mut d = Vec::new();
        assert!(parse(Path::new("r.bib"), bib, &mut d).is_none());
        assert_eq!(d[0].code, Code::ReferencesSyntax);
        assert!(d[0].location.line >= 3, "{:?}", d[0].location);
    }

    #[test]
    fn a_malformed_yaml_is_reported_at_its_line() {
        let yaml = "a:\n  type: book\n  title: A\nb:\n  type: book\n  title: [unclosed\n";
        let mut d = Vec::new();
        assert!(parse(Path::new("r.yaml"), yaml, &mut d).is_none());
        assert_eq!(d[0].code, Code::ReferencesSyntax);
        assert!(d[0].location.line >= 6, "{:?}", d[0].location);
    }

    #[test]
    fn a_key_defined_again_keeps_the_first_entry_with_a_warning_at_the_second() {
        // As Paperpile and Zotero exports have them: the same entry twice,
        // and a key reused for another work.
        let bib = "@book{a, title = {A}, year = 2001}\n@book{b, title = {B}, year = 2002}\n\
                   @book{a, title = {A}, year = 2001}\n@BOOK{b, year = 2002, title = {Not B}}\n@book{c, title = {C}}\n";
        let mut d = Vec::new();
        let (lib, _) = parse(Path::new("r.bib"), bib, &mut d).unwrap();
        assert_eq!(lib.len(), 3, "every key once: {d:?}");
        assert_eq!(lib.get("b").unwrap().title().unwrap().value.to_string(), "B", "the first is used");
        let again: Vec<_> = d.iter().map(|x| (x.code, x.location.line, x.message.contains("the same entry"))).collect();
        assert_eq!(again, vec![(Code::DuplicateReference, 4, false), (Code::DuplicateReference, 3, true)]);
        assert!(d[0].message.contains("on line 2"), "{}", d[0].message);
        // Many repeats of the same entries: one warning.
        let bib = "@book{a, title = {A}}\n@book{b, title = {B}}\n@book{a, title = {A}}\n@book{b, title = {B}}\n";
        let mut d = Vec::new();
        parse(Path::new("r.bib"), bib, &mut d).unwrap();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("`a` (and 1 more key)"), "{}", d[0].message);
    }

    #[test]
    fn a_key_defined_twice_in_yaml_is_an_error_at_the_second() {
        let yaml = "a:\n  type: book\n  title: A\na:\n  type: book\n  title: B\n";
        let mut d = Vec::new();
        let _ = parse(Path::new("r.yaml"), yaml, &mut d);
        let twice: Vec<_> = d.iter().filter(|d| d.message.contains("twice")).collect();
        assert_eq!(twice.len(), 1, "{d:?}");
        assert_eq!(twice[0].location.line, 4);
    }

    #[test]
    fn other_extensions_are_refused() {
        let mut d = Vec::new();
        assert!(parse(Path::new("r.json"), "[]", &mut d).is_none());
        assert_eq!(d[0].code, Code::ReferencesSyntax);
    }

    #[test]
    fn deeply_nested_braces_do_not_exhaust_the_stack() {
        let bib = format!("@book{{a, title = {}{}}}", "{".repeat(100_000), "}".repeat(100_000));
        let mut d = Vec::new();
        let _ = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse(Path::new("r.bib"), &bib, &mut d).map(|(l, _)| l.len()))
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn own_entries_win_over_the_books() {
        let mut d = Vec::new();
        let own = RefFile {
            file: "a.bib".into(),
            text: String::new(),
            library: parse(Path::new("a.bib"), "@book{k, title = {Mine}, year = 2001}", &mut d).unwrap().0,
            defined: Vec::new(),
        };
        let book =
            parse(Path::new("b.bib"), "@book{k, title = {Book}, year = 1}\n@book{j, title = {J}, year = 2}", &mut d)
                .unwrap()
                .0;
        let merged = merge(&[own], Some(&book));
        assert_eq!(merged.len(), 2);
        assert_eq!(merged.get("k").unwrap().title().unwrap().value.to_string(), "Mine");
    }
}
