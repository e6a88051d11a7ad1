//! Quarto's shortcodes (`{{< kbd Ctrl-C >}}`, `{{< pagebreak >}}`) as an
//! import meets them: those that mean something in a book put in their
//! place, those that mean nothing here left out with a note, the others
//! found for the importer to report, and the escaped ones shown as Quarto
//! shows them. LaTeX's page breaks alone in a paragraph, which any pandoc
//! Markdown may hold, are left out the same way.

/// `body` with Quarto's shortcodes that have a meaning here put in their
/// place, and what was done, as notes (line, message, hint): the keys of
/// `{{< kbd Ctrl-C >}}`; Font Awesome's `{{< fa icon >}}`, a
/// `{{< pagebreak >}}`, `{{< lipsum >}}` and `{{< placeholder >}}` left
/// out. Others (`meta`, `var`, `video`, an extension's) stay, for the
/// importer to report. Found in the text the parser reads, never in code.
pub(super) fn shortcodes(body: &str) -> (String, Vec<(usize, String, &'static str)>) {
    let mut edits = Vec::new();
    let mut left: std::collections::BTreeMap<&'static str, (usize, usize)> = std::collections::BTreeMap::new();
    for run in crate::input::markdown::text_runs(body) {
        let text = &body[run.clone()];
        let mut from = 0;
        while let Some(open) = text[from..].find("{{<").map(|k| from + k) {
            let Some(close) = text[open..].find(">}}").map(|k| open + k) else { break };
            from = close + 3;
            // Escaped (`{{{< kbd x >}}}`, `{{</* kbd x */>}}`): shown as written.
            if text[..open].ends_with('{') || text[open + 3..].starts_with("/*") {
                continue;
            }
            let inner = text[open + 3..close].trim();
            let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            let args = args.trim();
            let put = match name {
                "kbd" if !args.is_empty() => {
                    let keys = args.trim_matches('"').replace('&', "&amp;").replace('<', "&lt;");
                    format!("<kbd>{keys}</kbd>")
                }
                "fa" | "pagebreak" | "lipsum" | "placeholder" => {
                    let what = match name {
                        "fa" => "Font Awesome icon",
                        "pagebreak" => "page break",
                        "lipsum" => "placeholder text (`lipsum`)",
                        _ => "placeholder image",
                    };
                    let line = body[..run.start + open].matches('\n').count() + 1;
                    left.entry(what).or_insert((line, 0)).1 += 1;
                    String::new()
                }
                _ => continue,
            };
            // What is left out takes a space before it along.
            let start = if put.is_empty() && text[..open].ends_with(' ') { open - 1 } else { open };
            edits.push((run.start + start..run.start + close + 3, put));
        }
    }
    let mut notes: Vec<(usize, String, &'static str)> = left
        .into_iter()
        .map(|(what, (line, n))| {
            let plural = if n == 1 { "" } else { "s" };
            (
                line,
                format!("{n} {what}{plural} (a Quarto shortcode) left out: the book has no such thing"),
                "nothing to do; write in words what mattered",
            )
        })
        .collect();
    notes.sort_by_key(|(line, _, _)| *line);
    (super::replace(body, edits), notes)
}

/// `body` without LaTeX's page breaks alone in a paragraph (`\newpage`,
/// `\clearpage`, `\pagebreak`), which pandoc passes to LaTeX and leaves
/// out of every other output: no edition of a book breaks a page where one
/// text says. The note: the first one's line, and how many.
pub(super) fn page_breaks(body: &str) -> (String, Option<(usize, String, &'static str)>) {
    let mut edits = Vec::new();
    let mut first = None;
    for run in crate::input::markdown::text_runs(body) {
        if matches!(body[run.clone()].trim(), "\\newpage" | "\\clearpage" | "\\pagebreak") {
            first.get_or_insert(body[..run.start].matches('\n').count() + 1);
            edits.push((run, String::new()));
        }
    }
    let n = edits.len();
    let note = first.map(|line| {
        let plural = if n == 1 { "" } else { "s" };
        (line, format!("{n} LaTeX page break{plural} left out: the book has no such thing"), "nothing to do")
    });
    (super::replace(body, edits), note)
}

/// The shortcodes of `body` that stay as written, in its text and its code
/// alike (Quarto reads them in both): (line, shortcode). An escaped one
/// (`{{{< var x >}}}`, `{{</* var x */>}}`) is Quarto's way to show one,
/// and an include is reported where it is pasted in.
pub(super) fn unknown_shortcodes(body: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in body.lines().enumerate() {
        let mut from = 0;
        while let Some(open) = line[from..].find("{{<").map(|k| from + k) {
            let Some(close) = line[open..].find(">}}").map(|k| open + k + 3) else { break };
            from = close;
            let name = line[open + 3..close - 3].split_whitespace().next().unwrap_or("");
            if !line[..open].ends_with('{') && !name.starts_with("/*") && name != "include" {
                out.push((n + 1, line[open..close].to_string()));
            }
        }
    }
    out
}

/// `body` with Quarto's escaped shortcodes (`{{{< var x >}}}`,
/// `{{</* var x */>}}`) as they show: `{{< var x >}}`.
pub(super) fn unescape_shortcodes(body: &str) -> String {
    let mut out = body.to_string();
    if out.contains("{{{<") {
        out = out.replace("{{{<", "{{<").replace(">}}}", ">}}");
    }
    if out.contains("{{</*") {
        out = out.replace("{{</*", "{{<").replace("*/>}}", ">}}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarto_shortcodes_that_mean_something_here() {
        let body = "Press {{< kbd Ctrl-C >}}.\nLocked {{< fa lock title=\"Needs an account\" >}} and {{< fa lock >}}.\n\n{{< pagebreak >}}\n\nKept {{< meta title >}}, and `{{< fa x >}}` is code.\n";
        let (out, notes) = shortcodes(body);
        assert_eq!(
            out,
            "Press <kbd>Ctrl-C</kbd>.\nLocked and.\n\n\n\nKept {{< meta title >}}, and `{{< fa x >}}` is code.\n"
        );
        let told: Vec<_> = notes.iter().map(|(line, m, _)| (*line, m.as_str())).collect();
        assert_eq!(
            told,
            vec![
                (2, "2 Font Awesome icons (a Quarto shortcode) left out: the book has no such thing"),
                (4, "1 page break (a Quarto shortcode) left out: the book has no such thing"),
            ]
        );
        let (out, note) = page_breaks("A.\n\n\\newpage\n\nB \\newpage stays.\n\n\\clearpage\n");
        assert_eq!(out, "A.\n\n\n\nB \\newpage stays.\n\n\n");
        assert_eq!(
            note.map(|(l, m, _)| (l, m)),
            Some((3, "2 LaTeX page breaks left out: the book has no such thing".into()))
        );
    }

    #[test]
    fn shortcodes_left_are_found_in_text_and_code_and_escaped_ones_shown() {
        let body = "A {{< meta title >}} and {{{< var x >}}}.\n\n```\n{{< video v.mp4 >}}\n{{</* include a.qmd */>}}\n```\n{{< include b.qmd >}}\n";
        assert_eq!(
            unknown_shortcodes(body),
            [(1, "{{< meta title >}}".to_string()), (4, "{{< video v.mp4 >}}".to_string())]
        );
        assert_eq!(
            unescape_shortcodes(body),
            "A {{< meta title >}} and {{< var x >}}.\n\n```\n{{< video v.mp4 >}}\n{{< include a.qmd >}}\n```\n{{< include b.qmd >}}\n"
        );
    }
}
