//! What a text written for pandoc or Quarto needs on import besides its
//! links: those tools print a lone image's alternative text as its caption,
//! run code chunks that a book only shows, and (Quarto) paste the files its
//! `{{< include >}}` shortcodes name. Each edit of the body is made at the
//! place the Markdown parser gives; an include is a line of its own, which
//! Quarto reads before any Markdown.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Location};

/// How deep includes may nest.
const MAX_DEPTH: usize = 8;

/// `text` (the file `path`, shown as `shown`) with each line that is only
/// `{{< include FILE >}}` replaced by that file's text, as Quarto does:
/// relative to the including file, never outside `root`, the whole at most
/// [`super::MAX_SOURCE`] bytes. What cannot be included stays as written,
/// with M001.
pub(super) fn include(text: &str, path: &Path, root: &Path, shown: &Path, diags: &mut Vec<Diagnostic>) -> String {
    fn go(
        text: &str,
        (path, main): (&Path, &Path),
        root: &Path,
        depth: usize,
        out: &mut String,
        problems: &mut Vec<(usize, String)>,
    ) {
        let dir = path.parent().unwrap_or(root);
        let mut fence: Option<&str> = None;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let t = line.trim();
            // Code shows a shortcode; it does not run it.
            if let Some(f) = fence {
                if t.starts_with(f) {
                    fence = None;
                }
                out.push_str(line);
                continue;
            }
            if t.starts_with("```") || t.starts_with("~~~") {
                fence = Some(&t[..3]);
                out.push_str(line);
                continue;
            }
            let Some(file) = t.strip_prefix("{{< include ").and_then(|r| r.strip_suffix(">}}")).map(str::trim) else {
                out.push_str(line);
                continue;
            };
            // Quarto reads a path from the document being rendered, even in
            // an included file; from the including file when only it has it.
            let file_name = file.trim_matches(['"', '\'']);
            let target = [main.join(file_name), dir.join(file_name)]
                .into_iter()
                .find(|p| p.exists())
                .unwrap_or_else(|| main.join(file_name));
            let problem = match target.canonicalize() {
                _ if depth >= MAX_DEPTH => Some("includes nested too deep".to_string()),
                Ok(real) if !real.starts_with(root) => Some("outside the collection".into()),
                Ok(real) => match std::fs::read_to_string(&real) {
                    Ok(included) if (out.len() + included.len()) as u64 <= super::MAX_SOURCE => {
                        go(&included.replace("\r\n", "\n"), (&real, main), root, depth + 1, out, problems);
                        if !out.ends_with('\n') {
                            out.push('\n');
                        }
                        None
                    }
                    Ok(_) => Some("larger than a source may be".into()),
                    Err(e) => Some(e.to_string()),
                },
                Err(_) => Some("a file the collection does not have".into()),
            };
            if let Some(why) = problem {
                if depth == 0 {
                    problems
                        .push((n + 1, format!("`{file}` cannot be included ({why}): the shortcode stays as written")));
                }
                out.push_str(line);
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    go(text, (path, path.parent().unwrap_or(root)), root, 0, &mut out, &mut problems);
    for (line, message) in problems {
        diags.push(
            Diagnostic::new(Code::ImportLeftOut, Location::line_col(shown, line, 1), message)
                .hint("put the file in the collection, or paste its text in place of the shortcode"),
        );
    }
    out
}

/// What a text written for pandoc or Quarto needs besides its links: its
/// figures' captions, and its code chunks' braces (`{r, echo=FALSE}`) made
/// the language they name, the code kept and never run (one note).
pub(super) fn edits(
    body: &str,
    notes: &mut Vec<(usize, String, &'static str)>,
) -> Vec<(std::ops::Range<usize>, String)> {
    let mut edits = figure_captions(body);
    // pandoc puts the bibliography under a last, empty `# References`; the
    // book ends every essay with its own, under its own heading.
    if let Some((title, at)) = crate::input::markdown::trailing_heading(body)
        && ["references", "bibliography", "works cited", "literature cited", "références", "bibliographie", "literatur"]
            .contains(&title.to_lowercase().as_str())
    {
        notes.push((
            body[..at.start].matches('\n').count() + 1,
            format!("the last heading, `{title}`, heads nothing: the essay ends with its bibliography under the book's own heading"),
            "nothing to do",
        ));
        edits.push((at, String::new()));
    }
    // Inline code that R Markdown and Quarto run (`` `r nrow(x)` ``): kept as
    // the code, which prints where the result would.
    let inline: Vec<std::ops::Range<usize>> = crate::input::markdown::code_spans(body)
        .into_iter()
        .filter(|(_, code)| code.starts_with("r ") || code.starts_with("{r} ") || code.starts_with("{python} "))
        .map(|(at, _)| at)
        .collect();
    if let Some(first) = inline.first() {
        notes.push((
            body[..first.start].matches('\n').count() + 1,
            format!(
                "{} inline expression{} (`r …`) kept as code: a book never runs code, so {} print{} as written",
                inline.len(),
                if inline.len() == 1 { "" } else { "s" },
                if inline.len() == 1 { "it" } else { "they" },
                if inline.len() == 1 { "s" } else { "" }
            ),
            "write the value in its place, or render the source and import the `.md` it writes",
        ));
    }
    let chunks = crate::input::markdown::chunks(body);
    if let Some((first, _)) = chunks.first() {
        let mut langs: Vec<&str> = chunks.iter().map(|(_, l)| l.as_str()).filter(|l| !l.is_empty()).collect();
        langs.sort_unstable();
        langs.dedup();
        notes.push((
            body[..first.start].matches('\n').count() + 1,
            format!(
                "{} code chunk{} ({}) kept as code: a book never runs code, so what {} printed is not in it",
                chunks.len(),
                if chunks.len() == 1 { "" } else { "s" },
                langs.join(", "),
                if chunks.len() == 1 { "it" } else { "they" }
            ),
            "render the source with its tool and import the `.md` it writes to keep the results",
        ));
    }
    edits.extend(chunks);
    edits.extend(dashes(body));
    let terms = index_terms(body);
    if let Some((first, _)) = terms.first() {
        notes.push((
            body[..first.start].matches('\n').count() + 1,
            format!(
                "{} index term{} (`\\index{{…}}`) left out: the book has no index of terms",
                terms.len(),
                if terms.len() == 1 { "" } else { "s" }
            ),
            "nothing to do; the contributor index is the book's own",
        ));
    }
    edits.extend(terms);
    edits
}

/// `text` with display math that CommonMark cuts short mended. pandoc
/// reads `$$…$$` over several lines as one formula; CommonMark reads the
/// lines first, so a line that is only `=` or `-` makes the lines above it
/// a heading (a setext heading's rule), and a line that starts with `+ ` or
/// `- ` starts a list. Such a line joins the line before it, which TeX
/// reads the same. Found by the parser: a paragraph or heading that opens
/// `$$` and does not close it.
pub(super) fn math_rules(text: &str) -> String {
    let mut text = text.to_string();
    // Every break one reading finds is mended at once (from the end, so the
    // places before stay where they are); a mended formula may show the
    // next break of the same formula, hence the next reading.
    for _ in 0..64 {
        let mut broken: Vec<(usize, usize)> = crate::input::markdown::prose_blocks(&text)
            .into_iter()
            .filter_map(|(at, heading)| {
                let written = text[at.clone()].trim_end_matches('\n');
                if !written.trim_start().starts_with("$$") {
                    return None;
                }
                let indent = at.start - text[..at.start].rfind('\n').map_or(0, |i| i + 1);
                if heading && written.contains('\n') {
                    // The rule line joins the formula.
                    return written.rfind('\n').map(|i| (at.start + i, indent));
                }
                // An unclosed formula: the line after it joins it.
                (written.matches("$$").count() % 2 == 1)
                    .then(|| at.start + written.len())
                    .filter(|end| {
                        text[*end..].starts_with('\n')
                            && !text[*end + 1..].trim_start_matches([' ', '>']).starts_with(['\n', '\r'])
                    })
                    .map(|end| (end, indent))
            })
            .collect();
        if broken.is_empty() {
            break;
        }
        broken.sort_unstable();
        broken.dedup_by_key(|(newline, _)| *newline);
        for &(newline, indent) in broken.iter().rev() {
            // The next line's container marks (`> `, a list's indent) go too.
            let marks = text[newline + 1..].chars().take(indent).take_while(|c| matches!(c, ' ' | '>' | '\t')).count();
            text.replace_range(newline..newline + 1 + marks, " ");
        }
    }
    text
}

/// LaTeX's `\index{term}` in prose (bookdown's PDF index), with its nested
/// braces: an index of terms only pandoc's LaTeX makes, so left out.
fn index_terms(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for run in crate::input::markdown::text_runs(body) {
        let text = &body[run.clone()];
        let mut from = 0;
        while let Some(k) = text[from..].find("\\index{").map(|k| k + from) {
            let mut depth = 0usize;
            let end = text[k + 6..].char_indices().find_map(|(i, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(k + 6 + i + 1);
                        }
                    }
                    _ => {}
                }
                None
            });
            let Some(end) = end else { break };
            out.push((run.start + k..run.start + end, String::new()));
            from = end;
        }
    }
    out
}

/// pandoc and Quarto print the alternative text of an image alone in its
/// paragraph as its caption (a site's Markdown does not); this format
/// takes a figure's caption from its title. Each such image without a title is given its alternative
/// text as title, so that the caption prints in every edition.
fn figure_captions(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    crate::input::markdown::destinations(body)
        .into_iter()
        .filter(|d| d.image && d.alone && !d.html && !d.titled)
        .filter_map(|d| {
            let alt = body.get(d.text.clone())?.trim();
            let alt = crate::input::markdown::plain(alt);
            if alt.is_empty() {
                return None;
            }
            let title = alt.replace('\\', "\\\\").replace('"', "\\\"");
            Some((
                d.at.end + usize::from(body[d.at.end..].starts_with('>'))
                    ..d.at.end + usize::from(body[d.at.end..].starts_with('>')),
                format!(" \"{title}\""),
            ))
        })
        .collect()
}

/// pandoc's `smart` extension, on by default for pandoc and Quarto: `---`
/// in prose is an em dash and `--` an en dash. The book's typography
/// leaves hyphens alone, so the import writes the dashes the author meant;
/// code, links' targets and raw HTML are not prose and keep theirs.
fn dashes(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for run in crate::input::markdown::text_runs(body) {
        let text = &body[run.clone()];
        let mut from = 0;
        while let Some(k) = text[from..].find("--").map(|k| k + from) {
            let len = text[k..].bytes().take_while(|b| *b == b'-').count();
            let dash = match len {
                2 => Some("\u{2013}"),
                3 => Some("\u{2014}"),
                _ => None,
            };
            if let Some(d) = dash {
                out.push((run.start + k..run.start + k + len, d.to_string()));
            }
            from = k + len;
        }
    }
    out
}

/// References to a whole chapter by the id on its title
/// (`# Methods {#sec-methods}`, whose heading becomes the essay's title):
/// each made a link to that essay, saying its title. `chapters` holds
/// (id, title, place in the book) of every text imported; `dir` is the
/// folder of the text being written.
pub(super) fn chapter_references(
    body: &str,
    chapters: &[(String, String, std::path::PathBuf)],
    dir: &Path,
) -> Vec<(std::ops::Range<usize>, String)> {
    if chapters.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for run in crate::input::markdown::text_runs(body) {
        for (at, key) in crate::input::crossref::references_in(&body[run.clone()]) {
            let Some((_, title, place)) = chapters.iter().find(|(id, _, _)| *id == key) else { continue };
            let escaped: String =
                title.chars().flat_map(|c| if "[]*_`\\<".contains(c) { vec!['\\', c] } else { vec![c] }).collect();
            let to = crate::files::relative(dir, place).to_string_lossy().replace('\\', "/");
            // bookdown's `\@ref(id)`: the backslash goes too.
            let start = run.start + at.start;
            let start = if start > run.start && body[..start].ends_with('\\') { start - 1 } else { start };
            out.push((start..run.start + at.end, format!("[{escaped}]({to})")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_inside_display_math_is_no_heading() {
        let text = "Text.\n\n$$\nA\n=\nB\n-\nC\n+ D\n$$ {#eq-x}\n\n- a list\n\n> $$\n> x\n> =\n> y\n> $$\n";
        let mended = math_rules(text);
        assert_eq!(mended, "Text.\n\n$$\nA =\nB -\nC + D\n$$ {#eq-x}\n\n- a list\n\n> $$\n> x =\n> y\n> $$\n");
        let doc = crate::input::markdown::parse(&mended, 1).document;
        assert!(!doc.blocks.iter().any(|b| matches!(b, crate::model::document::Block::Heading { .. })));
        assert_eq!(math_rules("# Title\n\nText\n===\n"), "# Title\n\nText\n===\n");
    }

    #[test]
    fn inline_r_code_is_said_once() {
        let mut notes = Vec::new();
        let body = "There are `r nrow(cars)` cars and `r 2 + 2` wheels, and `rm -rf` is code.\n";
        edits(body, &mut notes);
        let said: Vec<&str> = notes.iter().map(|(_, m, _)| m.as_str()).collect();
        assert!(said.iter().any(|m| m.starts_with("2 inline expressions (`r …`) kept as code")), "{said:?}");
    }

    #[test]
    fn index_terms_are_left_out_with_their_braces() {
        let body = "R\\index{R@\\textbf{R}} Markdown\\index{Markdown} is `\\index{kept}` in code.\n";
        let got: Vec<String> = index_terms(body).into_iter().map(|(r, _)| body[r].to_string()).collect();
        assert_eq!(got, ["\\index{R@\\textbf{R}}", "\\index{Markdown}"]);
    }

    #[test]
    fn smart_dashes_in_prose_only() {
        let body =
            "Red --- green -- refactor, pages 3--5, a ---- rule? `a -- b`\n\n```\nx --- y\n```\n\n[a--b](x--y.md)\n";
        let got: Vec<(String, String)> = dashes(body).into_iter().map(|(r, d)| (body[r].to_string(), d)).collect();
        assert_eq!(
            got,
            vec![
                ("---".into(), "\u{2014}".into()),
                ("--".into(), "\u{2013}".into()),
                ("--".into(), "\u{2013}".into()),
                ("--".into(), "\u{2013}".into()),
            ]
        );
    }

    #[test]
    fn includes_are_pasted_in_place_and_never_from_outside() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("book");
        std::fs::create_dir_all(root.join("parts")).unwrap();
        std::fs::write(root.join("parts/a.qmd"), "Included *text*.\n{{< include b.md >}}\n").unwrap();
        std::fs::write(root.join("parts/b.md"), "Nested.").unwrap();
        std::fs::write(d.path().join("secret.md"), "secret").unwrap();
        let root = root.canonicalize().unwrap();
        let text = "Before.\n\n{{< include parts/a.qmd >}}\n\n```\n{{< include parts/a.qmd >}}\n```\n{{< include ../secret.md >}}\n{{< include none.qmd >}}\n";
        let mut diags = Vec::new();
        let out = include(text, &root.join("index.qmd"), &root, Path::new("index.qmd"), &mut diags);
        assert_eq!(
            out,
            "Before.\n\nIncluded *text*.\nNested.\n\n```\n{{< include parts/a.qmd >}}\n```\n{{< include ../secret.md >}}\n{{< include none.qmd >}}\n"
        );
        let lines: Vec<usize> = diags.iter().map(|d| d.location.line).collect();
        assert_eq!(lines, vec![8, 9]);
        assert!(diags[0].message.contains("outside the collection"), "{:?}", diags[0]);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use crate::input::markdown::{chunks, destinations, parse, text_runs, trailing_heading};

    /// Markdown made of the pieces scholars' texts and their importers
    /// trip on: brackets, parentheses, braces, labels, fences, divs,
    /// attributes, references and multi-byte letters.
    const PIECES: &str = "(\\[|\\]|\\(|\\)|!\\[|\\{|\\}|#fig-a|\\\\label\\{|\\\\ref\\{|@fig-a|@sec-b|\\[-@|:::|```|\\{r\\}|\n|\n\n|# |## |: |\\^\\[|~|\\^|<!--|-->|<img src=\"|\"|é|ü|\u{301}| |a|x\\.md|--|---|\\| a \\||\\|---\\|){0,60}";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// What the importers read of a text never panics and never points
        /// outside it, whatever the text.
        #[test]
        fn positions_stay_inside_the_text(body in PIECES) {
            for d in destinations(&body) {
                prop_assert!(body.get(d.at.clone()).is_some() && body.get(d.whole.clone()).is_some());
                prop_assert!(body.get(d.text.clone()).is_some());
            }
            for r in text_runs(&body) {
                prop_assert!(body.get(r).is_some());
            }
            for (r, _) in chunks(&body) {
                prop_assert!(body.get(r).is_some());
            }
            if let Some((_, r)) = trailing_heading(&body) {
                prop_assert!(body.get(r).is_some());
            }
            let mut notes = Vec::new();
            let edits = super::edits(&body, &mut notes);
            let _ = super::super::links::rewrite(&body, &mut |_| Some(String::new()), edits);
        }

        /// Reading a text and settling its cross-references and callouts
        /// never panics, whatever the text.
        #[test]
        fn cross_references_never_panic(body in PIECES) {
            let mut doc = parse(&body, 1).document;
            crate::input::pandoc::settle(&mut doc, &crate::lang::labels::Labels::for_lang("fr"));
            let _ = doc.anchors();
        }
    }
}
