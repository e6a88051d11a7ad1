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
        // Quarto pastes includes in before it reads the Markdown, in code
        // blocks too; an escaped one (`{{{< include x >}}}`) is shown.
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let t = line.trim();
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
        // A link to that heading (`[References](#references)`) leads to an
        // anchor in its place, right above the bibliography.
        let doc = crate::input::markdown::parse(body, 1).document;
        let anchor = doc.anchors().into_iter().filter(|(pos, _)| pos.line > 0).max_by_key(|(pos, _)| pos.line);
        let kept = anchor
            .filter(|(pos, a)| {
                body[..at.start].matches('\n').count() < pos.line as usize && body.contains(&format!("](#{a})"))
            })
            .map(|(_, a)| format!("[]{{#{a}}}\n"));
        edits.push((at, kept.unwrap_or_default()));
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
    // Braces name a language to run (`{r}`), or only a class (`{.r}`) or
    // Quarto's `{verbatim}`, which are shown: the code block keeps the
    // language, and only what would have run is told.
    let mut chunks = crate::input::markdown::chunks(body);
    let runs = |(at, lang): &(std::ops::Range<usize>, String)| {
        !lang.is_empty() && lang != "verbatim" && !body[at.start + 1..].trim_start().starts_with('.')
    };
    let run: Vec<_> = chunks.iter().filter(|c| runs(c)).collect();
    if let Some((first, _)) = run.first() {
        let mut langs: Vec<&str> = run.iter().map(|(_, l)| l.as_str()).collect();
        langs.sort_unstable();
        langs.dedup();
        notes.push((
            body[..first.start].matches('\n').count() + 1,
            format!(
                "{} code chunk{} ({}) kept as code: a book never runs code, so what {} printed is not in it",
                run.len(),
                if run.len() == 1 { "" } else { "s" },
                langs.join(", "),
                if run.len() == 1 { "it" } else { "they" }
            ),
            "render the source with its tool and import the `.md` it writes to keep the results",
        ));
    }
    for (_, lang) in &mut chunks {
        if lang == "verbatim" {
            lang.clear();
        }
    }
    edits.extend(chunks);
    // pandoc's raw blocks: HTML is HTML here too; a block for another
    // format (LaTeX, typst) goes only to it in pandoc, so to none here.
    let mut other = Vec::new();
    for (at, format, content) in crate::input::markdown::raw_blocks(body) {
        let lines = body[at.clone()].matches('\n').count();
        let kept = if format == "html" { content } else { String::new() };
        if format != "html" {
            other.push((body[..at.start].matches('\n').count() + 1, format));
        }
        let pad = lines.saturating_sub(kept.matches('\n').count());
        edits.push((at, format!("{kept}{}", "\n".repeat(pad))));
    }
    for (line, format) in other {
        notes.push((
            line,
            format!("a raw `{format}` block left out: pandoc passes it only to {format} output, which a book is not"),
            "write what it does in Markdown, or leave it out",
        ));
    }
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

/// `body` read as pandoc and Quarto read it where CommonMark would end a
/// paragraph: "…the panels are:" followed by "1. Edit distance" on the
/// next line is one paragraph to them (a list follows a blank line), as is
/// a line that opens an HTML comment; a figure whose caption holds such
/// lines is one figure, a note that holds a comment one note. Each such
/// line is kept in its paragraph (a list's marker escaped, HTML indented),
/// found by the parser, again until nothing moves (a nested list shows
/// once its parent is text).
pub(super) fn paragraphs_as_pandoc_reads_them(body: &str) -> String {
    let mut text = body.to_string();
    for _ in 0..64 {
        let mut found = crate::input::markdown::breaks_in_paragraphs(&text);
        if found.is_empty() {
            break;
        }
        found.sort_unstable();
        found.dedup_by_key(|(at, _)| *at);
        for (at, what) in found.into_iter().rev() {
            text.insert_str(at, what);
        }
    }
    text
}

/// `body` with the HTML tags that only wrap Markdown taken out of its
/// blocks of HTML, and how many blocks lost them: pandoc reads Markdown
/// inside HTML (`<p align="center"> ![A](a.png) ![B](b.png)</p>`), this
/// format reads such a block as HTML and would print the Markdown as
/// written. Only `<p>`, `<div>` and `<center>` are taken out, each block's
/// lines kept; a block with other HTML stays as it is.
pub(super) fn markdown_in_html(body: &str) -> (String, Vec<usize>) {
    const WRAPPERS: &[&str] = &["p", "div", "center"];
    let mut edits = Vec::new();
    let mut lines = Vec::new();
    for b in crate::input::markdown::blocks(body) {
        let crate::input::markdown::TopBlock::Html { at } = b else { continue };
        let html = &body[at.clone()];
        if !html.contains("](") || html.trim_start().starts_with("<!--") {
            continue;
        }
        let mut kept = String::with_capacity(html.len());
        let mut rest = html;
        let mut only_wrappers = true;
        while let Some(open) = rest.find('<') {
            kept.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('>') else {
                only_wrappers = false;
                break;
            };
            let tag = &rest[open + 1..open + close];
            let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
            if !WRAPPERS.contains(&name.to_ascii_lowercase().as_str()) {
                only_wrappers = false;
                break;
            }
            rest = &rest[open + close + 1..];
        }
        if !only_wrappers {
            continue;
        }
        kept.push_str(rest);
        // Each line's Markdown from its start, as a paragraph's is.
        let kept: String = kept.split_inclusive('\n').map(str::trim_start).collect();
        lines.push(body[..at.start].matches('\n').count() + 1);
        edits.push((at, kept));
    }
    (super::replace(body, edits), lines)
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
/// takes a figure's caption from its title. Each such image without a
/// title is given its alternative text as title, so that the caption
/// prints in every edition. A title is plain text, so a numbered figure
/// (`{#fig-x}`) whose alternative text holds more (a citation, emphasis, a
/// cross-reference) becomes Quarto's figure div instead, the text its
/// caption paragraph, which keeps it all.
fn figure_captions(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for d in crate::input::markdown::destinations(body) {
        if !d.image || !d.alone || d.html || d.titled {
            continue;
        }
        let Some(written) = body.get(d.text.clone()).map(str::trim) else { continue };
        let alt = crate::input::markdown::plain(written);
        if alt.is_empty() {
            continue;
        }
        let end = d.at.end + usize::from(body[d.at.end..].starts_with('>'));
        if (alt != written || written.contains('@'))
            && let Some(edits) = figure_div(body, &d, end, written)
        {
            out.extend(edits);
            continue;
        }
        let title = alt.replace('\\', "\\\\").replace('"', "\\\"");
        out.push((end..end, format!(" \"{title}\"")));
    }
    out
}

/// The edits that make the image `d` (its destination ending at `end`,
/// its alternative text `written`) a figure div around it with that text
/// as caption: when the image has an id and starts its line (or its
/// list item's) and its attributes can be read.
fn figure_div(
    body: &str,
    d: &crate::input::markdown::Destination,
    end: usize,
    written: &str,
) -> Option<Vec<(std::ops::Range<usize>, String)>> {
    let after = &body[end..];
    let close = after.len() - after.trim_start().len();
    let brace = end + close + after[close..].strip_prefix(')').map(|_| 1)?;
    let (attrs, used) = crate::input::markdown::attributes::leading(&body[brace..])?;
    let id = attrs.id.as_deref().filter(|id| id.starts_with("fig-") || id.starts_with("fig:"))?;
    let line_start = body[..d.whole.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &body[line_start..d.whole.start];
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let id_at = body[brace..brace + used].find(&format!("#{id}"))? + brace;
    let caption = written.split_whitespace().collect::<Vec<_>>().join(" ");
    // The image keeps a plain description (Quarto's `fig-alt`), without
    // the citations, in place of the id that goes to the div.
    let described = if attrs.get("fig-alt").is_some() {
        String::new()
    } else {
        let mut plain = crate::input::markdown::plain(written);
        while let Some(open) = plain.find("[@") {
            let Some(close) = plain[open..].find(']') else { break };
            let before = plain[..open].trim_end().len();
            plain.replace_range(before..open + close + 1, "");
        }
        format!("fig-alt=\"{}\"", plain.replace('\\', "").replace('"', "'"))
    };
    Some(vec![
        (d.whole.start..d.whole.start, format!("::: {{#{id}}}\n{indent}")),
        (id_at..id_at + id.len() + 1, described),
        (brace + used..brace + used, format!("\n\n{indent}{caption}\n{indent}:::")),
    ])
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
    fn a_list_or_html_right_after_a_paragraph_line_stays_in_the_paragraph() {
        let body = "![The panels:\n1. Edit distance\n2. Coverage\n](a.png){#fig-a}\n\nSteps:\n- one\n- two\n  - nested\n\n- after a blank line\n\n1. A list\n   - nests\n";
        let mended = paragraphs_as_pandoc_reads_them(body);
        assert_eq!(
            mended,
            "![The panels:\n1\\. Edit distance\n2\\. Coverage\n](a.png){#fig-a}\n\nSteps:\n\\- one\n\\- two\n  \\- nested\n\n- after a blank line\n\n1. A list\n   - nests\n"
        );
        let doc = crate::input::markdown::parse(&mended, 1).document;
        use crate::model::document::Block;
        assert!(
            matches!(&doc.blocks[0], Block::Paragraph(i) if matches!(i.as_slice(), [crate::model::document::Inline::Image { .. }])),
            "one image: {:#?}",
            doc.blocks[0]
        );
        assert!(doc.ids.iter().any(|(_, id)| id == "fig-a"), "{:?}", doc.ids);
        assert_eq!(paragraphs_as_pandoc_reads_them("Text.\n\n- a\n- b\n"), "Text.\n\n- a\n- b\n");
        // A `>` that wraps onto a line of its own is text, as pandoc reads it.
        let mended = paragraphs_as_pandoc_reads_them("Use {{< embed a#b\n> }} here.\n> And this.\n\n> A quote.\n");
        assert_eq!(mended, "Use {{< embed a#b\n\\> }} here.\n\\> And this.\n\n> A quote.\n");
        let doc = crate::input::markdown::parse(&mended, 1).document;
        assert!(matches!(doc.blocks.as_slice(), [Block::Paragraph(_), Block::Quote(_)]), "{:#?}", doc.blocks);
        // A comment inside a note inside a list item: the note goes on.
        let body = "- Said.^[\n  <!-- gone\n  [x](y) -->\n  Kept.\n  ]\n";
        let mended = paragraphs_as_pandoc_reads_them(body);
        assert_eq!(mended, "- Said.^[\n      <!-- gone\n  [x](y) -->\n  Kept.\n  ]\n");
        let doc = crate::input::markdown::parse(&mended, 1).document;
        assert_eq!(doc.footnotes.len(), 1, "{:#?}", doc.blocks);
    }

    #[test]
    fn a_link_to_the_dropped_references_heading_keeps_its_anchor() {
        let mut notes = Vec::new();
        let body = "See [the list](#references).\n\n## References\n\n::: {#refs}\n:::\n";
        let e = edits(body, &mut notes);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].1, "[]{#references}\n");
        assert_eq!(&body[e[0].0.start..e[0].0.start + 13], "## References");
        let body = "Text.\n\n## References\n";
        assert_eq!(edits(body, &mut notes)[0].1, "");
    }

    #[test]
    fn only_code_that_would_run_is_told_and_raw_blocks_go_to_their_format() {
        let mut notes = Vec::new();
        let body = "```{.r}\nshown()\n```\n\n```{verbatim}\n{{< x >}}\n```\n\n```{=html}\n<b>bold</b>\n```\n\n```{=latex}\n\\newpage\n```\n\nAfter.\n";
        let e = edits(body, &mut notes);
        let out = crate::import::replace(body, e);
        assert_eq!(out, "```r\nshown()\n```\n\n```\n{{< x >}}\n```\n\n<b>bold</b>\n\n\n\n\n\n\n\nAfter.\n");
        assert_eq!(out.lines().position(|l| l == "After."), Some(16), "at its line");
        let told: Vec<_> = notes.iter().map(|(line, m, _)| (*line, m.as_str())).collect();
        assert_eq!(
            told,
            vec![(13, "a raw `latex` block left out: pandoc passes it only to latex output, which a book is not")]
        );
    }

    #[test]
    fn a_figure_whose_caption_cites_becomes_a_figure_div() {
        let mut notes = Vec::new();
        let body = "![Quagga DNA, from [@Higuchi1984] and\n*others*.](q.png){#fig-q width=50%}\n\n![Plain](p.png){#fig-p}\n\nSee @fig-q.\n";
        let out = crate::import::replace(body, edits(body, &mut notes));
        assert_eq!(
            out,
            "::: {#fig-q}\n![Quagga DNA, from [@Higuchi1984] and\n*others*.](q.png){fig-alt=\"Quagga DNA, from and others.\" width=50%}\n\nQuagga DNA, from [@Higuchi1984] and *others*.\n:::\n\n![Plain](p.png \"Plain\"){#fig-p}\n\nSee @fig-q.\n"
        );
        let doc = crate::input::markdown::parse(&out, 1).document;
        use crate::model::document::Block;
        let Block::Float { caption, blocks, .. } = &doc.blocks[0] else { panic!("{:#?}", doc.blocks) };
        assert!(caption.iter().any(|i| matches!(i, crate::model::document::Inline::Emph(_))), "{caption:#?}");
        assert_eq!(blocks.len(), 1);
        assert_eq!(doc.ids.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>(), ["fig-q", "fig-p"]);
    }

    #[test]
    fn markdown_inside_html_wrappers_is_read() {
        let body = "Text.\n\n<p align=\"center\"> ![A](a.png){#fig-a width=15%}  ![B](b.png)</p>\n\n<div class=\"x\"><img src=\"c.png\"> [c](c.md)</div>\n\n<div>\nNo Markdown.\n</div>\n";
        let (out, lines) = markdown_in_html(body);
        assert_eq!(
            out,
            "Text.\n\n![A](a.png){#fig-a width=15%}  ![B](b.png)\n\n<div class=\"x\"><img src=\"c.png\"> [c](c.md)</div>\n\n<div>\nNo Markdown.\n</div>\n"
        );
        assert_eq!(lines, [3]);
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
        let text = "Before.\n\n{{< include parts/a.qmd >}}\n\n```\n{{< include parts/b.md >}}\n{{{< include parts/a.qmd >}}}\n```\n{{< include ../secret.md >}}\n{{< include none.qmd >}}\n";
        let mut diags = Vec::new();
        let out = include(text, &root.join("index.qmd"), &root, Path::new("index.qmd"), &mut diags);
        assert_eq!(
            out,
            "Before.\n\nIncluded *text*.\nNested.\n\n```\nNested.\n{{{< include parts/a.qmd >}}}\n```\n{{< include ../secret.md >}}\n{{< include none.qmd >}}\n"
        );
        let lines: Vec<usize> = diags.iter().map(|d| d.location.line).collect();
        assert_eq!(lines, vec![9, 10]);
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
