//! MyST Markdown (Jupyter Book, mystmd) as this book's Markdown.
//!
//! MyST adds to CommonMark directives, fenced blocks named in braces
//! (```` ```{note} ````, `:::{figure} map.png`), roles, a name in braces
//! before a code span (`` {cite}`key` ``), and targets (`(label)=` before a
//! heading). Here each is written as what the book reads: admonitions as
//! callouts, figures as numbered images with their names, code cells as code
//! (never run), math as display math, citations as `[@key]`, references as
//! cross-references and links to the other files. Notebooks (`.ipynb`)
//! become MyST first: their Markdown cells as they are, their code cells as
//! code cells, their outputs left out. What has no counterpart is left out
//! with a note. Every change is made at a place the parser gives.

use std::collections::BTreeMap;

use crate::input::markdown::{TopBlock, blocks, code_spans, text_runs};

/// A note for the import's diagnostics: line, message, hint.
pub(super) type Note = (usize, String, &'static str);

/// The admonitions MyST knows, as the book's callout kinds.
fn callout(name: &str) -> Option<&'static str> {
    Some(match name {
        "note" | "seealso" | "admonition" | "prf:definition" | "prf:theorem" | "prf:lemma" | "prf:proof"
        | "prf:example" | "prf:remark" | "prf:corollary" | "prf:proposition" | "prf:algorithm" | "exercise"
        | "solution" => "note",
        "tip" | "hint" => "tip",
        "warning" | "attention" => "warning",
        "important" => "important",
        "caution" | "danger" | "error" => "caution",
        _ => return None,
    })
}

/// The title a callout gets from its directive's name when its argument
/// gives none (sphinx-proof and sphinx-exercise boxes).
fn titled(name: &str) -> Option<&'static str> {
    Some(match name {
        "seealso" => "See also",
        "exercise" | "exercise-start" => "Exercise",
        "solution" | "solution-start" => "Solution",
        "prf:definition" => "Definition",
        "prf:theorem" => "Theorem",
        "prf:lemma" => "Lemma",
        "prf:proof" => "Proof",
        "prf:example" => "Example",
        "prf:remark" => "Remark",
        "prf:corollary" => "Corollary",
        "prf:proposition" => "Proposition",
        "prf:algorithm" => "Algorithm",
        _ => return None,
    })
}

/// What was done, counted by kind, for the notes.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, (usize, usize)>);

impl Tally {
    fn add(&mut self, what: &'static str, line: usize) {
        let e = self.0.entry(what).or_insert((0, line));
        e.0 += 1;
    }
}

/// A directive's options (`:name: fig-x` lines, or a YAML block between
/// `---` lines) and the content after them.
fn options_and_content(code: &str) -> (BTreeMap<String, String>, String) {
    let mut options = BTreeMap::new();
    let mut lines = code.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim() == "---") {
        lines.next();
        for l in lines.by_ref() {
            if l.trim() == "---" {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                options.insert(k.trim().to_string(), v.trim().trim_matches(['"', '\'']).to_string());
            }
        }
    } else {
        while let Some(l) = lines.peek() {
            let Some(rest) = l.trim_start().strip_prefix(':') else { break };
            let Some((k, v)) = rest.split_once(':') else { break };
            if k.contains(char::is_whitespace) {
                break;
            }
            options.insert(k.to_string(), v.trim().to_string());
            lines.next();
        }
    }
    let content: Vec<&str> = lines.collect();
    (options, content.join("\n").trim_matches('\n').to_string())
}

/// What a book's references can name: its figures (a `{figure}`'s
/// `name`, a code cell's `mystnb.figure.name`) and its headings (a
/// `(label)=` before one). References name them from any file, so the
/// importer gathers them from all files first.
#[derive(Default, Debug, Clone, PartialEq)]
pub(super) struct Names {
    /// The figures' names.
    pub figures: Vec<String>,
    /// The headings' labels.
    pub headings: Vec<String>,
}

impl Names {
    /// Adds what `text` (MyST) names.
    pub(super) fn read(&mut self, text: &str) {
        let found = blocks(text);
        for (k, b) in found.iter().enumerate() {
            let (info, code) = match b {
                TopBlock::Code { info, code, .. } => (info.as_str(), code.as_str()),
                TopBlock::Div { at, open, info } => (info.as_str(), colon_content(text, at, open)),
                _ => ("", ""),
            };
            match b {
                TopBlock::Code { .. } | TopBlock::Div { .. } => {
                    let Some(name) =
                        info.trim().strip_prefix('{').and_then(|r| r.split_once('}')).map(|(n, _)| n.trim())
                    else {
                        continue;
                    };
                    let (options, _) = options_and_content(code);
                    let figure = name == "figure" || (name == "code-cell" && options.contains_key("caption"));
                    if let Some(n) = options.get("name").or_else(|| options.get("label")).filter(|_| figure) {
                        self.figures.push(n.clone());
                    }
                }
                TopBlock::Paragraph { at } => {
                    let written = text[at.clone()].trim();
                    if let Some(label) = written.strip_prefix('(').and_then(|r| r.strip_suffix(")="))
                        && matches!(found.get(k + 1), Some(TopBlock::Heading { .. }))
                    {
                        self.headings.push(label.to_string());
                    }
                }
                _ => {}
            }
        }
    }
}

/// The id the book gives a figure MyST names `name`: with the `fig-` that
/// makes it a figure's.
fn figure_id(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_prefix("fig:").or_else(|| n.strip_prefix("fig-")).unwrap_or(n);
    format!("fig-{n}")
}

/// The file a `{doc}` role names (`model`, `../part/model`), as a link from
/// the text being converted (`model.ipynb`), when the book has it.
pub(super) type Docs<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The content of a colon fence at `at` whose opening line is `open`: what
/// lies between that line and the closing `:::`.
fn colon_content<'t>(text: &'t str, at: &std::ops::Range<usize>, open: &std::ops::Range<usize>) -> &'t str {
    let whole = text[open.end.min(at.end)..at.end].trim_end_matches('\n');
    match whole.rfind('\n').map(|i| (i, whole[i + 1..].trim())) {
        Some((i, last)) if last.starts_with(":::") => &whole[..i],
        None if whole.trim().starts_with(":::") => "",
        _ => whole,
    }
}

/// `text` (MyST) as this book's Markdown, and what was done or left out;
/// `names` are what the book's references can name.
pub(super) fn convert(text: &str, names: &Names, docs: Docs<'_>) -> (String, Vec<Note>) {
    let mut tally = Tally::default();
    let out = rewrite(text, names, docs, &mut tally, 0);
    let notes = tally
        .0
        .into_iter()
        .map(|(what, (n, line))| {
            let hint = match what {
                "a code cell, kept as code and never run" => "render the book with its tool to keep the outputs",
                _ => "check the text after the import",
            };
            (line, format!("{n} × {what}"), hint)
        })
        .collect();
    (out, notes)
}

/// `text` (MyST, starting at line `base` + 1 of its file) as this book's
/// Markdown, what was done counted in `tally`: a directive's content goes
/// through here too, counted with the rest.
fn rewrite(text: &str, names: &Names, docs: Docs<'_>, tally: &mut Tally, base: usize) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let line_of = |at: usize| base + text[..at].matches('\n').count() + 1;
    let found = blocks(text);
    for (k, b) in found.iter().enumerate() {
        match b {
            TopBlock::Code { at, info, code } => {
                let Some(rest) = info.trim().strip_prefix('{') else { continue };
                let Some((name, arg)) = rest.split_once('}') else { continue };
                let (name, arg) = (name.trim(), arg.trim());
                let (options, content) = options_and_content(code);
                let written = directive(name, arg, &options, &content, (names, docs), tally, line_of(at.start));
                edits.push((at.clone(), written));
            }
            TopBlock::Div { at, open, info } => {
                // A colon fence (`:::{note}`): a directive as a backtick
                // fence is, its options at the top of its content.
                let Some(rest) = info.trim().strip_prefix('{') else { continue };
                let Some((name, arg)) = rest.split_once('}') else { continue };
                let (name, arg) = (name.trim(), arg.trim());
                let (options, content) = options_and_content(colon_content(text, at, open));
                let written = directive(name, arg, &options, &content, (names, docs), tally, line_of(at.start));
                edits.push((at.clone(), written));
            }
            TopBlock::Paragraph { at } => {
                // Display math with a label after it, `$$ (label)`: the
                // equation's id, as the book writes it.
                let written = &text[at.clone()];
                if written.starts_with("$$") {
                    // The line that closes the formula: `$$ (label)` or `$$(label)`.
                    let mut offset = 0;
                    for line in written.split_inclusive('\n') {
                        let l = line.trim_end();
                        if offset > 0
                            && let Some(label) =
                                l.strip_prefix("$$").map(str::trim_start).and_then(|r| r.strip_prefix('('))
                            && let Some(label) = label.strip_suffix(')')
                            && !label.contains(char::is_whitespace)
                        {
                            let start = at.start + offset + 2;
                            edits.push((start..at.start + offset + l.len(), format!(" {{#{}}}", equation_id(label))));
                        }
                        offset += line.len();
                    }
                    continue;
                }
                // `(label)=`: the id of the heading after it.
                let written = text[at.clone()].trim();
                let Some(label) = written.strip_prefix('(').and_then(|r| r.strip_suffix(")=")) else { continue };
                edits.push((at.clone(), String::new()));
                if let Some(TopBlock::Heading { at: h, .. }) = found[k + 1..].iter().find(|b| {
                    !matches!(b, TopBlock::Code { info, .. } if info.trim_start().starts_with("{raw}") || info.trim_start().starts_with("{index}"))
                }) {
                    let line_end = text[h.clone()].trim_end_matches('\n').len() + h.start;
                    if text[h.start..line_end].trim_end().ends_with('}') {
                        continue;
                    }
                    // An id holds no colon (`data:survey` is `data-survey`).
                    edits.push((line_end..line_end, format!(" {{#{}}}", label.replace(':', "-"))));
                }
            }
            TopBlock::Heading { .. } | TopBlock::Html { .. } => {}
        }
    }
    roles(text, names, docs, &mut edits, tally);
    // mystmd's links to labels: `[](#parts:site)` names the id the book
    // gives `(parts:site)=`, which holds no colon; `![](#label)` embeds
    // the labelled block, which the book cannot.
    for d in crate::input::markdown::destinations(text) {
        let Some(label) = d.target.strip_prefix('#') else { continue };
        if d.image {
            tally.add("an embedded block (`![](#label)`) left out: the book cannot repeat a block", base + d.line);
            edits.push((d.whole.clone(), String::new()));
        } else if names.figures.iter().any(|f| f == label) && !d.html {
            edits.push((d.at.clone(), format!("#{}", figure_id(label))));
        } else if label.contains(':') && !d.html {
            edits.push((d.at.clone(), format!("#{}", label.replace(':', "-"))));
        }
    }
    super::replace(text, edits)
}

/// The id the book gives an equation MyST labels `label` (`eq:sum` and
/// `sum` are both `eq-sum`), so that `@eq-…` finds it.
fn equation_id(label: &str) -> String {
    let l = label.trim();
    let l = l.strip_prefix("eq:").or_else(|| l.strip_prefix("eq-")).unwrap_or(l);
    format!("eq-{l}")
}

/// The attributes of a callout: its kind, and its title when it has one.
fn callout_attrs(kind: &str, title: &str) -> String {
    if title.is_empty() {
        format!("{{.callout-{kind}}}")
    } else {
        format!("{{.callout-{kind} title=\"{}\"}}", title.replace('"', "'"))
    }
}

/// One directive as the book's Markdown.
#[allow(clippy::too_many_arguments)]
fn directive(
    name: &str,
    arg: &str,
    options: &BTreeMap<String, String>,
    content: &str,
    (names, docs): (&Names, Docs<'_>),
    tally: &mut Tally,
    line: usize,
) -> String {
    let fence = |code: &str| "`".repeat(code.split(|c| c != '`').map(str::len).max().unwrap_or(0).max(2) + 1);
    if let Some(kind) = callout(name) {
        let title = if arg.is_empty() { titled(name).unwrap_or("") } else { arg };
        // Its content is MyST too.
        let content = rewrite(&super::scholarly::math_rules(content), names, docs, tally, line);
        return format!("::: {}\n{content}\n:::\n", callout_attrs(kind, title));
    }
    match name {
        // sphinx-exercise's boxes are opened and closed by blocks of their own.
        "exercise-start" | "solution-start" => {
            format!("::: {}\n", callout_attrs("note", titled(name).unwrap_or("")))
        }
        "exercise-end" | "solution-end" => ":::\n".into(),
        "code-cell" | "code-block" | "code" | "sourcecode" => {
            let lang = match arg.split_whitespace().next().unwrap_or("") {
                "ipython" | "ipython3" | "python3" | "" if name == "code-cell" => "python",
                l => l.trim_start_matches("ipython").trim(),
            };
            let f = fence(content);
            let code = format!("{f}{lang}\n{content}\n{f}\n");
            if name != "code-cell" {
                return code;
            }
            // A cell that draws a named figure: the figure, showing its code.
            if let (Some(caption), Some(figure)) = (options.get("caption"), options.get("name")) {
                tally.add("a figure a code cell draws, shown as its code under its caption and number", line);
                return format!("::: {{#{}}}\n{code}\n{caption}\n:::\n", figure_id(figure));
            }
            tally.add("a code cell, kept as code and never run", line);
            code
        }
        "math" => {
            let id = options.get("label").or_else(|| options.get("name"));
            let id = id.map(|l| format!(" {{#{}}}", equation_id(l))).unwrap_or_default();
            format!("$$\n{content}\n$${id}\n")
        }
        // A figure of something other than a picture (a notebook's output,
        // `#label`): its caption stays, as text.
        "figure" | "image" if arg.is_empty() || arg.starts_with('#') => {
            tally.add("a figure of an embedded output left out, its caption kept", line);
            if name == "figure" { format!("{content}\n") } else { String::new() }
        }
        "figure" | "image" => {
            let alt = options.get("alt").cloned().unwrap_or_default();
            let caption =
                if name == "figure" { content.split_whitespace().collect::<Vec<_>>().join(" ") } else { String::new() };
            let shown = if caption.is_empty() { alt.clone() } else { caption };
            let id = options
                .get("name")
                .or_else(|| options.get("label"))
                .map(|n| format!("{{#{}}}", figure_id(n)))
                .unwrap_or_default();
            let title = if alt.is_empty() || name == "image" {
                String::new()
            } else {
                format!(" \"{}\"", shown.replace('"', "'"))
            };
            let text = if alt.is_empty() { shown } else { alt };
            format!("![{text}](<{arg}>{title}){id}\n")
        }
        "epigraph" | "pull-quote" | "highlights" | "blockquote" => {
            content.lines().map(|l| format!("> {l}\n")).collect()
        }
        "raw" | "only" | "index" | "tableofcontents" | "bibliography" | "nb-exec-table" | "toctree" => {
            tally.add(
                match name {
                    "index" => "an index entry left out: the book has no index of terms",
                    "raw" | "only" => "raw or format-only content left out",
                    _ => "a generated list left out (contents, bibliography): the book makes its own",
                },
                line,
            );
            String::new()
        }
        _ => {
            tally.add("a directive whose content is kept as text", line);
            format!("{content}\n")
        }
    }
}

/// MyST's roles, `` {name}`content` ``, in prose: each written as what the
/// book reads.
fn roles(
    text: &str,
    names: &Names,
    docs: Docs<'_>,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
    tally: &mut Tally,
) {
    let runs = text_runs(text);
    for (span, content) in code_spans(text) {
        // The role's name ends the text run right before the code span.
        let Some(run) = runs.iter().find(|r| r.end == span.start) else { continue };
        let before = &text[run.clone()];
        // `{name}` right before the code span; a `{` alone there is text.
        let Some(inner) = before.strip_suffix('}') else { continue };
        let Some(open) = inner.rfind('{') else { continue };
        let name = &inner[open + 1..];
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || ":-_".contains(c)) {
            continue;
        }
        let start = run.start + open;
        let (label, target) = match content.rsplit_once('<') {
            Some((l, t)) if t.ends_with('>') => (l.trim().to_string(), t.trim_end_matches('>').trim().to_string()),
            _ => (String::new(), content.trim().to_string()),
        };
        let written = match name {
            "cite" | "cite:p" | "cite:ps" | "cite:alp" | "cite:cts" => {
                let keys: Vec<String> = target.split(',').map(|k| format!("@{}", k.trim())).collect();
                format!("[{}]", keys.join("; "))
            }
            "cite:t" | "cite:ts" | "cite:author" => {
                target.split(',').map(|k| format!("@{}", k.trim())).collect::<Vec<_>>().join(", ")
            }
            "cite:year" | "cite:yearpar" => format!("[-@{}]", target.trim()),
            "eq" => format!("([-@{}])", equation_id(&target)),
            "numref" | "ref" | "prf:ref" if names.figures.contains(&target) => {
                format!("\\autoref{{{}}}", figure_id(&target))
            }
            // What the book does not number (an exercise, a paragraph, a
            // code cell): the reference's own text, without the link.
            "numref" | "ref" | "prf:ref" if !names.headings.contains(&target) && !label.is_empty() => {
                tally.add("a reference to what the book does not number (an exercise, a paragraph): its text kept", 1);
                label.clone()
            }
            "numref" | "ref" | "prf:ref" => format!("\\autoref{{{}}}", target.replace(':', "-")),
            "doc" | "download" => {
                let file = docs(&target).unwrap_or_else(|| {
                    if target.contains('.') || name == "download" { target.clone() } else { format!("{target}.md") }
                });
                let shown =
                    if label.is_empty() { target.rsplit('/').next().unwrap_or(&target).to_string() } else { label };
                format!("[{shown}](<{file}>)")
            }
            "math" => format!("${target}$"),
            "sup" | "superscript" => format!("^{target}^"),
            "sub" | "subscript" => format!("~{target}~"),
            "code" | "kbd" | "file" | "samp" | "command" => text[span.clone()].to_string(),
            "index" => {
                tally.add("an index entry left out: the book has no index of terms", 1);
                label.clone()
            }
            _ => {
                tally.add("a role whose text is kept without its meaning", 1);
                if label.is_empty() { content.clone() } else { label }
            }
        };
        edits.push((start..span.end, written));
    }
}

/// A Jupyter notebook (`.ipynb`, its JSON) as MyST Markdown: its Markdown
/// cells as written, its code cells as `{code-cell}` blocks in the
/// notebook's language, their outputs left out.
pub(super) fn notebook(json: &str) -> Result<(String, usize), String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("not a notebook ({e})"))?;
    let lang = v
        .pointer("/metadata/kernelspec/language")
        .or_else(|| v.pointer("/metadata/language_info/name"))
        .and_then(|l| l.as_str())
        .unwrap_or("python")
        .to_string();
    let cells = v.get("cells").and_then(|c| c.as_array()).ok_or("a notebook without cells")?;
    let source = |c: &serde_json::Value| -> String {
        match c.get("source") {
            Some(serde_json::Value::Array(lines)) => lines.iter().filter_map(|l| l.as_str()).collect(),
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => String::new(),
        }
    };
    let mut out = String::new();
    let mut outputs = 0;
    for c in cells {
        let text = source(c);
        match c.get("cell_type").and_then(|t| t.as_str()) {
            Some("markdown") => out.push_str(text.trim_end()),
            Some("code") => {
                outputs += c.get("outputs").and_then(|o| o.as_array()).map_or(0, Vec::len);
                let fence = "`".repeat(text.split(|c| c != '`').map(str::len).max().unwrap_or(0).max(2) + 1);
                out.push_str(&format!("{fence}{{code-cell}} {lang}\n{}\n{fence}", text.trim_end()));
            }
            _ => out.push_str(&text),
        }
        out.push_str("\n\n");
    }
    Ok((out, outputs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_and_roles_become_the_books_markdown() {
        let text = "(intro)=\n# Introduction\n\nAs {cite}`smith2020,doe2021` and {cite:t}`lee2019` show, see {numref}`growth` and {doc}`the next lecture <growth>`, where $x$ is {math}`x^2`.\n\n\
            ```{note}\nA note with *emphasis*.\n```\n\n\
            ```{admonition} Careful\n:class: warning\nText.\n```\n\n\
            ```{figure} /_static/growth.png\n:name: growth\n:width: 80%\n\nGrowth over time.\n```\n\n\
            ```{code-cell} ipython3\n:tags: [hide-input]\nimport numpy as np\n```\n\n\
            ```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: Prices\n    name: prices\n---\nplot(p)\n```\n\n\
            ```{math}\n:label: eq-sum\n\\sum_i x_i\n```\n\nBy {eq}`eq-sum` and {eq}`growth`:\n\n$$\ng = 1\n$$ (growth)\n\n\
            ```{index} single: python\n```\n\n\
            :::{tip}\nColon fenced.\n:::\n\n:::{figure} map.png\n:label: map\n:alt: A map\nThe valley.\n:::\n\nSee [](#map) and [the parts](#parts:site).\n";
        let mut names = Names::default();
        names.read(text);
        let (out, notes) = convert(text, &names, &|_| None);
        for want in [
            "# Introduction {#intro}",
            "As [@smith2020; @doe2021] and @lee2019 show, see \\autoref{fig-growth} and [the next lecture](<growth.md>), where $x$ is $x^2$.",
            "::: {.callout-note}\nA note with *emphasis*.\n:::",
            "::: {.callout-note title=\"Careful\"}\nText.\n:::",
            "![Growth over time.](</_static/growth.png>){#fig-growth}",
            "```python\nimport numpy as np\n```",
            "$$\n\\sum_i x_i\n$$ {#eq-sum}",
            "::: {.callout-tip}\nColon fenced.\n:::",
            "![A map](<map.png> \"The valley.\"){#fig-map}",
            "[the parts](#parts-site)",
            "See [](#fig-map)",
            "By ([-@eq-sum]) and ([-@eq-growth]):",
            "::: {#fig-prices}\n```python\nplot(p)\n```\n\nPrices\n:::",
            "$$\ng = 1\n$$ {#eq-growth}",
        ] {
            assert!(out.contains(want), "{want:?} in\n{out}");
        }
        assert!(!out.contains("(intro)=") && !out.contains("{index}") && !out.contains(":tags:"), "{out}");
        let said: Vec<&str> = notes.iter().map(|(_, m, _)| m.as_str()).collect();
        assert!(said.iter().any(|m| m.contains("code cell")), "{said:?}");
        assert!(said.iter().any(|m| m.contains("index entry")), "{said:?}");
    }

    #[test]
    fn a_notebook_is_its_cells() {
        let nb = r##"{"cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# A notebook\n", "\n", "Some *text*."]},
            {"cell_type": "code", "metadata": {}, "source": "x = 1\nx", "outputs": [{"output_type": "execute_result"}], "execution_count": 1}
        ], "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}"##;
        let (md, outputs) = notebook(nb).unwrap();
        assert_eq!(md, "# A notebook\n\nSome *text*.\n\n```{code-cell} python\nx = 1\nx\n```\n\n");
        assert_eq!(outputs, 1);
        assert!(notebook("{\"cells\": 3}").is_err());
        let (out, _) = convert(&md, &Names::default(), &|_| None);
        assert!(out.contains("```python\nx = 1\nx\n```"), "{out}");
    }
    /// Found by `fuzz/` (import_project): a `{` right before a code span
    /// sliced the role's name backwards.
    #[test]
    fn a_brace_before_code_is_no_role() {
        for text in ["a {`code`", "{`x`", "r``{` fig``", "{}`x`"] {
            let (out, _) = convert(text, &Names::default(), &|_| None);
            assert!(out.contains('`'), "{text}: {out}");
        }
    }
}
