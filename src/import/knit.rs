//! The figures and tables that R Markdown and Quarto code chunks make.
//!
//! bookdown and Quarto number a chunk's plot as a figure and a chunk's
//! `kable()` as a table, and texts refer to them (`\@ref(fig:map)`,
//! `@fig-map`). A book never runs code, so without this the references
//! would lead nowhere. Each such chunk becomes what the book can show:
//! `knitr::include_graphics("map.png")` the image itself, any other code a
//! numbered figure or table that shows the code under its caption, with the
//! id the references name. bookdown's text references (`(ref:map) A
//! caption.` then `fig.cap='(ref:map)'`) are put in place. Every change is
//! made at a block the parser found.

use std::collections::HashMap;

use crate::input::markdown::{TopBlock, blocks};

/// A note for the import's diagnostics: line, message, hint.
pub(super) type Note = (usize, String, &'static str);

/// `text` with the figures and tables its chunks make written as the book
/// writes them (ids `fig-x` and `tab-x`, which bookdown's `\@ref(fig:x)`
/// finds), and what was done.
pub(super) fn figures(text: &str) -> (String, Vec<Note>) {
    let found = blocks(text);
    // bookdown's text references: a paragraph `(ref:name) text`.
    let mut refs: HashMap<String, String> = HashMap::new();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for b in &found {
        if let TopBlock::Paragraph { at } = b
            && let Some(rest) = text[at.clone()].strip_prefix("(ref:")
            && let Some(close) = rest.find(')')
            && !rest[..close].contains(char::is_whitespace)
        {
            let name = rest[..close].to_string();
            let body = rest[close + 1..].split_whitespace().collect::<Vec<_>>().join(" ");
            refs.insert(name, body);
            edits.push((at.clone(), String::new()));
        }
    }
    // bookdown's label in a table's caption, `Table: (\#tab:x) Caption`:
    // pandoc's id after it, `Table: Caption {#tab-x}`.
    for b in &found {
        let TopBlock::Paragraph { at } = b else { continue };
        let written = &text[at.clone()];
        let Some(lead) = ["Table: ", ": "].into_iter().find(|p| written.starts_with(p)) else { continue };
        let rest = written[lead.len()..].trim_start();
        let Some(label) = rest.strip_prefix("(\\#").and_then(|r| r.split_once(')')) else { continue };
        let (key, caption) = label;
        if key.starts_with("tab:") && !key.contains(char::is_whitespace) {
            let id = key.replacen(':', "-", 1);
            edits.push((at.clone(), format!("{lead}{} {{#{id}}}\n", caption.trim())));
        }
    }
    // LaTeX's display environments in the text, as pandoc reads them
    // (`\begin{equation}…\end{equation}`): display math, without
    // bookdown's label `(\#eq:x)`.
    for b in &found {
        let TopBlock::Paragraph { at } = b else { continue };
        if let Some(math) = display_math(&text[at.clone()]) {
            edits.push((at.clone(), math));
        }
    }
    let (mut drawn, mut shown, mut first) = (0usize, 0usize, None);
    for b in &found {
        let TopBlock::Code { at, info, code } = b else { continue };
        let Some(chunk) = Chunk::read(info, code, &refs) else { continue };
        let Some(made) = chunk.made() else { continue };
        first.get_or_insert_with(|| text[..at.start].matches('\n').count() + 1);
        let written = match (&made.kind, chunk.graphics()) {
            (Made::Figure, Some(paths)) if !paths.is_empty() => {
                shown += 1;
                let mut out = String::new();
                for (i, path) in paths.iter().enumerate() {
                    let id = if i == 0 { format!("{{#{}}}", made.id) } else { String::new() };
                    out.push_str(&format!("![{}](<{}>){id}\n\n", made.caption, path));
                }
                out
            }
            _ => {
                drawn += 1;
                let fence = "`".repeat(longest_run(&chunk.code, '`').max(2) + 1);
                let caption = if made.caption.is_empty() { String::new() } else { format!("{}\n", made.caption) };
                format!(
                    "::: {{#{}}}\n{fence}{}\n{}{}{fence}\n{caption}:::\n",
                    made.id,
                    chunk.lang,
                    chunk.code,
                    if chunk.code.ends_with('\n') || chunk.code.is_empty() { "" } else { "\n" }
                )
            }
        };
        edits.push((at.clone(), written));
    }
    // Each block keeps the lines it had, blank ones making up for those it
    // lost (a chunk's `#|` options), so that what is told of the text
    // after it is told at its line in the source.
    // A block that needs more lines takes the blank ones after it.
    for (at, written) in &mut edits {
        let (had, has) = (text[at.clone()].matches('\n').count(), written.matches('\n').count());
        if has < had && (written.is_empty() || written.ends_with('\n')) {
            written.push_str(&"\n".repeat(had - has));
        }
        let blank = text[at.end..].bytes().take_while(|b| *b == b'\n').count();
        if has > had && written.ends_with('\n') && text[..at.end].ends_with('\n') {
            at.end += blank.min(has - had);
        }
    }
    let out = super::replace(text, edits);
    let mut notes = Vec::new();
    if let Some(line) = first {
        if shown > 0 {
            notes.push((
                line,
                format!(
                    "{shown} figure{} that code chunks include (`include_graphics`): written as images, numbered as before",
                    if shown == 1 { "" } else { "s" }
                ),
                "nothing to do",
            ));
        }
        if drawn > 0 {
            notes.push((
                line,
                format!(
                    "{drawn} figure{} or table{} that code chunks draw: each shows its code under its caption and number, since a book never runs code",
                    if drawn == 1 { "" } else { "s" },
                    if drawn == 1 { "" } else { "s" }
                ),
                "render the source with its tool and import the images it writes, or put them in by hand",
            ));
        }
    }
    (out, notes)
}

/// A paragraph that is one LaTeX display environment, as `$$…$$`; an
/// `align` as `aligned` inside it, which the math reader takes.
fn display_math(written: &str) -> Option<String> {
    let t = written.trim();
    let rest = t.strip_prefix("\\begin{")?;
    let (env, body) = rest.split_once('}')?;
    let base = env.trim_end_matches('*');
    let inner = body.trim_end().strip_suffix(&format!("\\end{{{env}}}"))?;
    let mut inner = inner.to_string();
    while let Some(i) = inner.find("(\\#eq:") {
        let Some(end) = inner[i..].find(')') else { break };
        inner.replace_range(i..i + end + 1, "");
    }
    let inner = inner.trim();
    let math = match base {
        "equation" | "displaymath" => inner.to_string(),
        "align" | "eqnarray" | "gather" => format!("\\begin{{aligned}}\n{inner}\n\\end{{aligned}}"),
        _ => return None,
    };
    Some(format!("$$\n{math}\n$$\n"))
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    s.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// What a chunk makes that the text can refer to.
enum Made {
    Figure,
    Table,
}

/// A figure or table a chunk makes: its kind, id and caption.
struct Making {
    kind: Made,
    id: String,
    caption: String,
}

/// A code chunk's language, options and code (without Quarto's `#|` lines).
struct Chunk {
    lang: String,
    label: Option<String>,
    options: HashMap<String, String>,
    code: String,
    /// Whether its options are Quarto's (`#| label: fig-x`), whose labels
    /// carry their prefix.
    quarto: bool,
}

impl Chunk {
    /// The chunk of a fenced block whose info is `{lang …}`.
    fn read(info: &str, code: &str, refs: &HashMap<String, String>) -> Option<Chunk> {
        let inner = info.trim().strip_prefix('{')?.strip_suffix('}')?;
        let parts = split_options(inner);
        let mut head = parts.first()?.split_whitespace();
        let lang = head.next()?.trim_start_matches('.').to_string();
        if lang.is_empty() || !lang.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        let mut label = head.next().map(str::to_string);
        let mut options = HashMap::new();
        for (i, part) in parts.iter().enumerate().skip(1) {
            match part.split_once('=') {
                Some((k, v)) => {
                    options.insert(k.trim().replace('-', "."), r_string(v.trim()));
                }
                None if i == 1 && label.is_none() && !part.trim().is_empty() => label = Some(part.trim().to_string()),
                None => {}
            }
        }
        // Quarto's options, `#| key: value`, at the top of the code.
        let (quarto_options, rest) = cell_options(code);
        let quarto = !quarto_options.is_empty();
        for (k, v) in quarto_options {
            options.insert(k.trim().replace('-', "."), v);
        }
        if let Some(l) = options.remove("label") {
            label = Some(l);
        }
        for v in options.values_mut() {
            if let Some(name) = v.strip_prefix("(ref:").and_then(|r| r.strip_suffix(')'))
                && let Some(text) = refs.get(name)
            {
                *v = text.clone();
            }
        }
        Some(Chunk { lang, label, options, code: rest, quarto })
    }

    /// The figure or table it makes, if the text can refer to it: a
    /// labelled chunk with a figure caption (bookdown), or a `fig-`/`tbl-`
    /// label (Quarto); a labelled `kable()` with a caption is a table.
    fn made(&self) -> Option<Making> {
        let label = self.label.clone()?;
        let caption = |k: &str| self.options.get(k).cloned();
        if self.quarto || label.starts_with("fig-") || label.starts_with("tbl-") {
            let kind = if label.starts_with("tbl-") { Made::Table } else { Made::Figure };
            if !label.starts_with("fig-") && !label.starts_with("tbl-") {
                return None;
            }
            let cap = if matches!(kind, Made::Table) { caption("tbl.cap") } else { caption("fig.cap") };
            return Some(Making { kind, id: label, caption: cap.unwrap_or_default() });
        }
        if let Some(cap) = caption("fig.cap") {
            return Some(Making { kind: Made::Figure, id: format!("fig-{label}"), caption: cap });
        }
        let kable = self.code.find("kable(")?;
        let call = &self.code[kable..];
        let cap = call.find("caption").and_then(|i| {
            let after = call[i + 7..].trim_start().strip_prefix('=')?.trim_start();
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = after[1..].find(quote)?;
            Some(r_string(&after[..end + 2]))
        })?;
        Some(Making { kind: Made::Table, id: format!("tab-{label}"), caption: cap })
    }

    /// The files of a chunk that only includes pictures
    /// (`knitr::include_graphics("a.png")`, or several with `c(…)`).
    fn graphics(&self) -> Option<Vec<String>> {
        let code: String = self.code.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join(" ");
        let code = code.trim();
        let call = code.strip_prefix("knitr::").unwrap_or(code);
        let args = call.strip_prefix("include_graphics(")?.strip_suffix(')')?.trim();
        let args = args.split_once(", dpi").map_or(args, |(a, _)| a).trim();
        let list = args.strip_prefix("c(").and_then(|a| a.strip_suffix(')')).unwrap_or(args);
        let mut out = Vec::new();
        for item in split_options(list) {
            let item = item.trim();
            let quoted = item.len() >= 2
                && ((item.starts_with('"') && item.ends_with('"')) || (item.starts_with('\'') && item.ends_with('\'')));
            if !quoted {
                return None;
            }
            out.push(r_string(item));
        }
        Some(out)
    }
}

/// `a, b="x, y", c=f(1, 2)` split at the commas that are not in quotes or
/// parentheses.
fn split_options(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                continue;
            }
            (Some(q), _) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// An R string literal's text (`"a \"b\""`, `'c'`); anything else as written.
fn r_string(v: &str) -> String {
    let q = v.chars().next();
    if v.len() >= 2 && matches!(q, Some('"' | '\'')) && v.ends_with(q.unwrap_or('"')) {
        let mut out = String::new();
        let mut chars = v[1..v.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push(' '),
                    Some(n) => out.push(n),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    v.to_string()
}

/// Quarto's cell options, the `#|` lines at the top of a chunk's or a
/// notebook cell's code, read as the YAML they are (a value may go on over
/// indented `#|` lines, `fig-cap` may be quoted), and the code after them.
pub(super) fn cell_options(code: &str) -> (Vec<(String, String)>, String) {
    let (mut yaml, mut rest, mut top) = (String::new(), String::new(), true);
    for line in code.split_inclusive('\n') {
        if top && let Some(opt) = line.trim_start().strip_prefix("#|") {
            yaml.push_str(opt.strip_prefix(' ').unwrap_or(opt).trim_end_matches(['\n', '\r']));
            yaml.push('\n');
            continue;
        }
        top = false;
        rest.push_str(line);
    }
    let options = match super::meta::yaml(&yaml) {
        Ok(fields) => fields.into_iter().map(|(k, v)| (k, super::meta::plain(&v))).collect(),
        // Not YAML: each `key: value` line as written.
        Err(_) => yaml
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), yaml_string(v.trim())))
            .collect(),
    };
    (options, rest)
}

/// A YAML scalar's text as Quarto's `#|` lines write them.
fn yaml_string(v: &str) -> String {
    let q = v.chars().next();
    if v.len() >= 2 && matches!(q, Some('"' | '\'')) && v.ends_with(q.unwrap_or('"')) {
        return v[1..v.len() - 1].replace("\\\"", "\"").replace("''", "'");
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether every cross-reference of `text` leads to its own figures and tables.
    fn resolves(text: &str) -> bool {
        let mut doc = crate::input::markdown::parse(text, 1).document;
        crate::input::pandoc::settle(&mut doc, &crate::lang::labels::Labels::for_lang("en"));
        doc.pending.is_empty()
    }

    #[test]
    fn bookdown_chunks_become_figures_and_tables_the_text_refers_to() {
        let text = "See Figure \\@ref(fig:hello) and Table \\@ref(tab:cars).\n\n\
            (ref:hello) A caption with **bold**, by reference.\n\n\
            ```{r hello, fig.cap='(ref:hello)', echo=FALSE}\nknitr::include_graphics(\"images/hello.png\")\n```\n\n\
            ```{r plot-cars, fig.cap=\"Cars, \\\"plotted\\\"\", fig.width=4}\nplot(cars)\n```\n\n\
            ```{r cars}\nknitr::kable(head(cars), caption = 'The first cars', booktabs = TRUE)\n```\n\n\
            ```{r setup, include=FALSE}\nlibrary(knitr)\n```\n";
        let (out, notes) = figures(text);
        assert!(out.contains("![A caption with **bold**, by reference.](<images/hello.png>){#fig-hello}"), "{out}");
        assert!(!out.contains("(ref:hello) A caption"), "{out}");
        assert!(out.contains("::: {#fig-plot-cars}\n```r\nplot(cars)\n```\nCars, \"plotted\"\n:::\n"), "{out}");
        assert!(out.contains("::: {#tab-cars}\n```r\nknitr::kable("), "{out}");
        assert!(out.contains("\nThe first cars\n:::"), "{out}");
        assert!(out.contains("```{r setup, include=FALSE}\nlibrary(knitr)\n```"), "a chunk that makes nothing stays");
        let (out, _) = figures(
            "See Table \\@ref(tab:opts).\n\nTable: (\\#tab:opts) The options.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(out.contains("Table: The options. {#tab-opts}\n"), "{out}");
        assert!(resolves(&out), "{out}");
        assert_eq!(notes.len(), 2, "{notes:?}");
        // What the reader makes of it: numbered figures and a table, the references resolved.
        assert!(resolves(&out));
    }

    #[test]
    fn quarto_chunks_keep_their_labels() {
        let text = "As @fig-map shows.\n\n```{r}\n#| label: fig-map\n#| fig-cap: \"The map\"\nplot(map)\n```\n\n```{python}\n#| label: tbl-x\n#| tbl-cap: Numbers\n#| echo: false\n#| warning: false\nprint(1)\n```\n\nAfter.\n";
        let (out, _) = figures(text);
        assert!(out.contains("::: {#fig-map}\n```r\nplot(map)\n```\nThe map\n:::"), "{out}");
        assert!(out.contains("::: {#tbl-x}\n```python\nprint(1)\n```\nNumbers\n:::"), "{out}");
        assert!(resolves(&out));
        // What follows stays at its line, for the diagnostics told of it.
        let line = |t: &str| t.lines().position(|l| l == "After.");
        assert_eq!(line(&out), line(text), "{out}");
    }

    #[test]
    fn latex_display_environments_become_display_math() {
        let (out, _) = figures(
            "Text.\n\n\\begin{equation}\nE=mc^2\n  (\\#eq:emc)\n\\end{equation}\n\n\\begin{align*}\na &= b\\\\\nc &= d\n\\end{align*}\n",
        );
        assert!(out.contains("$$\nE=mc^2\n$$\n"), "{out}");
        assert!(out.contains("$$\n\\begin{aligned}\na &= b\\\\\nc &= d\n\\end{aligned}\n$$\n"), "{out}");
    }

    #[test]
    fn options_split_where_r_would() {
        assert_eq!(split_options("r a, b=\"x, y\", c=f(1, 2)"), vec!["r a", " b=\"x, y\"", " c=f(1, 2)"]);
        assert_eq!(r_string("'it\\'s'"), "it's");
    }
}
