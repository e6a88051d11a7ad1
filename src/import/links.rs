//! Where the links and images of an imported text lead, and the text with
//! them pointed at their new places.
//!
//! An importer moves texts and their files into the book's folders, so
//! every relative link changes. The links are found by the Markdown parser
//! (`input::markdown::destinations`, with comrak's source positions), never
//! by scanning the text, so code stays untouched and no text, however
//! malformed, can put an edit outside it.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use super::MAX_ASSET;
use crate::input::markdown::{Destination, destinations};

/// The extensions of the Markdown files an import reads.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "qmd", "mdx", "rmd", "Rmd"];

/// Where a link leads, for the import.
pub(super) enum Target {
    /// Left as written (the web, a fragment, an address).
    Keep,
    /// To an imported file (its index).
    Essay(usize),
    /// A file of the collection copied beside the essay.
    Asset(PathBuf),
    /// To something not imported, and why.
    Elsewhere(&'static str),
}

pub(super) fn split_fragment(target: &str) -> (&str, &str) {
    match target.find(['#', '?']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

pub(super) fn classify(target: &str, dir: &Path, root: &Path, essays: &HashMap<PathBuf, usize>) -> Target {
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
    // `other`, `other.html` and `other/` lead to `other.md`; `paper.bib` does not.
    let page = path.extension().is_none_or(|e| e == "html" || e == "htm");
    let mut candidates = vec![path.clone()];
    if page {
        candidates.extend([path.with_extension("md"), path.join("index.md")]);
    }
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
pub(super) fn lexical(dir: &Path, rel: &str) -> Option<PathBuf> {
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

pub(super) fn percent_decode(s: &str) -> String {
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

/// Where a file of the collection is published: `base` + its path from the
/// collection's root, Markdown pages without their extension.
pub(super) fn published(base: Option<&str>, root: &Path, dir: &Path, file: &str) -> Option<String> {
    let base = base?.trim_end_matches('/');
    let path = lexical(dir, &percent_decode(file))?;
    let rel = path.strip_prefix(root).ok()?;
    let mut rel = rel.to_string_lossy().replace('\\', "/");
    if let Some(page) = rel.strip_suffix(".md") {
        rel = page.to_string();
    }
    Some(format!("{base}/{rel}"))
}

/// The link targets of a body: inline links and images, reference
/// definitions, and `src` and `href` in raw HTML.
pub(super) fn targets(body: &str) -> Vec<String> {
    destinations(body).into_iter().map(|d| d.target).collect()
}

/// `body` with each destination pandoc reads and CommonMark does not, one
/// with spaces (`![The logo](JSMC Logo.png)`, which pandoc reads as
/// `JSMC%20Logo.png`), written in angle brackets (`<JSMC Logo.png>`), as
/// CommonMark reads one; and how many. Found where the parser reads text
/// (never in code), a `[` before it on its line, its `)` on the same line.
pub(super) fn spaced(body: &str) -> (String, usize) {
    if !body.contains("](") {
        return (body.to_string(), 0);
    }
    let runs = crate::input::markdown::text_runs(body);
    let mut edits = Vec::new();
    for (at, _) in body.match_indices("](") {
        if !runs.iter().any(|r| r.contains(&at) && r.contains(&(at + 1))) {
            continue;
        }
        let line_start = body[..at].rfind('\n').map_or(0, |k| k + 1);
        let line_end = body[at..].find('\n').map_or(body.len(), |k| at + k);
        if !body[line_start..at].contains('[') {
            continue;
        }
        // The destination: to the `)` that balances the `(`.
        let (mut depth, mut close) = (0usize, None);
        for (k, c) in body[at + 2..line_end].char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    close = Some(at + 2 + k);
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let inner = &body[at + 2..close];
        let dest = inner.trim();
        let titled = dest.contains(" \"") || dest.contains(" '") || dest.contains(" (");
        if dest.contains(' ') && !dest.starts_with('<') && !titled && !dest.contains(['<', '>']) {
            let start = at + 2 + (inner.len() - inner.trim_start().len());
            edits.push((start..start + dest.len(), format!("<{dest}>")));
        }
    }
    let n = edits.len();
    (super::replace(body, edits), n)
}

/// What replaces a part of the text.
enum New {
    /// This text.
    Text(String),
    /// The text of this range, with the edits inside it made.
    Keep(Range<usize>),
    /// The same for a dropped image's alternative text, without the LaTeX
    /// labels (`\label{fig:x}`) that named the figure it no longer is.
    Alt(Range<usize>),
}

/// `body` with each destination given to `f` and replaced by what it
/// returns: `None` leaves it as written, `Some("")` drops a link or an
/// image and keeps its text (an image its alternative text); a target in
/// raw HTML cannot be dropped and stays as written. `extra` are other
/// edits, each a range of `body` and its replacement.
pub(super) fn rewrite(
    body: &str,
    f: &mut dyn FnMut(&Destination) -> Option<String>,
    extra: Vec<(Range<usize>, String)>,
) -> String {
    let mut edits: Vec<(Range<usize>, New)> = extra.into_iter().map(|(at, t)| (at, New::Text(t))).collect();
    for d in destinations(body) {
        match f(&d) {
            Some(new) if new.is_empty() && !d.html && d.image => {
                // The attributes after a dropped image (`{ width=80% }`) go with it.
                let after = &body[d.whole.end..];
                let attrs = after
                    .strip_prefix('{')
                    .and_then(|a| a.find(['}', '\n']).filter(|e| a.as_bytes()[*e] == b'}'))
                    .map_or(0, |e| e + 2);
                edits.push((d.whole.start..d.whole.end + attrs, New::Alt(d.text.clone())))
            }
            Some(new) if new.is_empty() && !d.html => edits.push((d.whole.clone(), New::Keep(d.text.clone()))),
            Some(new) if !new.is_empty() => edits.push((d.at.clone(), New::Text(in_grid(body, &d, new)))),
            _ => {}
        }
    }
    // Outer edits before the edits inside them.
    edits.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
    apply(body, 0..body.len(), &edits)
}

/// A new destination for `d`, padded with spaces to the width of the old
/// one when it is shorter and its line is a row of a grid table (`| … |`),
/// so that the grid's columns still line up; the spaces go before the
/// link's `)` or its title, where CommonMark allows them.
fn in_grid(body: &str, d: &Destination, new: String) -> String {
    let line_start = body[..d.at.start].rfind('\n').map_or(0, |i| i + 1);
    let in_row = body[line_start..].starts_with('|');
    let next = body[d.at.end..].chars().next();
    let (old, now) = (body[d.at.clone()].chars().count(), new.chars().count());
    if in_row && !d.html && matches!(next, Some(')' | ' ')) && now < old {
        format!("{new}{}", " ".repeat(old - now))
    } else {
        new
    }
}

/// The text of `range`, with `edits` (sorted, inside it) made.
fn apply(body: &str, range: Range<usize>, edits: &[(Range<usize>, New)]) -> String {
    let mut out = String::with_capacity(range.len());
    let mut pos = range.start;
    let mut i = 0;
    while i < edits.len() {
        let (at, new) = &edits[i];
        let mut j = i + 1;
        while j < edits.len() && edits[j].0.start < at.end {
            j += 1;
        }
        if at.start < pos || at.end > range.end {
            // Overlapping what was already replaced: left as written.
            i = j;
            continue;
        }
        out.push_str(&body[pos..at.start]);
        match new {
            New::Text(t) => out.push_str(t),
            New::Keep(r) => out.push_str(&apply(body, r.clone(), &edits[i + 1..j])),
            New::Alt(r) => out
                .push_str(crate::input::crossref::take_labels(&apply(body, r.clone(), &edits[i + 1..j])).0.trim_end()),
        }
        pos = at.end;
        i = j;
    }
    out.push_str(&body[pos..range.end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_with_spaces_are_read_as_pandoc_reads_them() {
        let body = "![The logo](JSMC Logo.png){width=200px} and [a file](my notes.md).\n\n`[x](a b)` [t](a.md \"A title\") [ok](<c d.md>)\n\n```\n[in](code block)\n```\n";
        let (out, n) = spaced(body);
        assert_eq!(n, 2);
        assert!(out.starts_with("![The logo](<JSMC Logo.png>){width=200px} and [a file](<my notes.md>)."), "{out}");
        assert!(
            out.contains("`[x](a b)`") && out.contains("[in](code block)") && out.contains("[t](a.md \"A title\")")
        );
        let targets = targets(&out);
        assert!(targets.contains(&"JSMC Logo.png".to_string()), "{targets:?}");
    }

    #[test]
    fn links_are_rewritten_outside_code_and_dropped_links_keep_their_text() {
        let body = "See [one](./a.md#x) and ![pic](img/p.png).\n```\n[no](./a.md)\n```\n[gone](missing.md) `[c](./a.md)`\n\n[ref]: ./a.md\n\n<img src=\"img/p.png\">\n";
        let out = rewrite(
            body,
            &mut |d| match d.target.as_str() {
                "./a.md#x" => Some("../a/index.md#x".into()),
                "./a.md" => Some("a.md".into()),
                "img/p.png" => Some("p.png".into()),
                "missing.md" => Some(String::new()),
                _ => None,
            },
            Vec::new(),
        );
        assert!(out.contains("[one](../a/index.md#x)"), "{out}");
        assert!(out.contains("![pic](p.png)"), "{out}");
        assert!(out.contains("[no](./a.md)"), "code is left alone: {out}");
        assert!(out.contains("gone `[c](./a.md)`"), "{out}");
        assert!(out.contains("[ref]: a.md"), "{out}");
        assert!(out.contains("<img src=\"p.png\">"), "{out}");
    }

    #[test]
    fn a_dropped_figure_keeps_its_caption_and_what_is_inside_is_still_rewritten() {
        // The caption of a JOSS figure, with a `\label` and attributes after
        // it: where the hand scan of the text indexed past the caption's end.
        let body = "![Caption with [a link](x.md) and `code`.\\label{fig:a}](figs/a.png){ width=80% }\n\n[![inner](i.png)](gone.md)\n";
        let out = rewrite(
            body,
            &mut |d| match d.target.as_str() {
                "figs/a.png" | "gone.md" => Some(String::new()),
                "x.md" => Some("../x.md".into()),
                "i.png" => Some("i-2.png".into()),
                _ => None,
            },
            Vec::new(),
        );
        assert_eq!(out, "Caption with [a link](../x.md) and `code`.\n\n![inner](i-2.png)\n");
    }

    #[test]
    fn a_grid_table_keeps_its_columns_when_a_path_gets_shorter() {
        let body = "+--------------------------+\n| ![a](images/a.png)       |\n+--------------------------+\n";
        let out = rewrite(body, &mut |d| (d.target == "images/a.png").then(|| "a.png".to_string()), Vec::new());
        assert_eq!(out, "+--------------------------+\n| ![a](a.png       )       |\n+--------------------------+\n");
        let doc = crate::input::markdown::parse(&out, 1).document;
        assert!(matches!(doc.blocks.first(), Some(crate::model::document::Block::Table { .. })), "{:#?}", doc.blocks);
    }

    #[test]
    fn no_text_makes_the_rewriting_fail() {
        for body in ["[](", "![](<", "[a](b", "](x)", "[x]: ", "<a href=", "![a](é)\u{301}", "[é](ü \"t\")"] {
            let _ = rewrite(body, &mut |_| Some(String::new()), Vec::new());
            let _ = rewrite(body, &mut |_| Some("z".into()), vec![(0..body.len(), String::new())]);
        }
    }
}
