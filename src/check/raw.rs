//! Markup that no edition reads, left in the text: it would print as
//! written. pandoc, Quarto and LaTeX give meaning to much that CommonMark
//! reads as text (`word {.smallcaps}`, `\textbf{…}`, a fenced div
//! never closed); what the tool reads is turned into the model at load, so
//! what is still there in a text run is reported at its place, once per
//! kind and line.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::book::Essay;
use crate::model::document::{Block, Inline, Pos};

/// The LaTeX commands other rules already report (a cross-reference that
/// leads nowhere is T013).
const REPORTED: &[&str] = &["ref", "autoref", "Autoref", "cref", "Cref", "eqref"];

/// LaTeX's layout commands, which people write at the start of a paragraph.
const LAYOUT: &[&str] = &[
    "noindent",
    "newpage",
    "clearpage",
    "pagebreak",
    "bigskip",
    "medskip",
    "smallskip",
    "vfill",
    "hfill",
    "centering",
    "newline",
    "linebreak",
];

/// The markup of one text run that would print as written: (byte offset, what).
fn found(t: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, _) in t.match_indices('{') {
        let rest = &t[i + 1..];
        let attr = rest.starts_with(['#', '.'])
            || ["width=", "height=", "style="].iter().any(|k| rest.trim_start().starts_with(k));
        if attr && rest.contains('}') {
            let end = rest.find('}').map_or(t.len(), |e| i + e + 2);
            out.push((i, format!("the attributes `{}`", &t[i..end])));
        }
    }
    for (i, _) in t.match_indices('\\') {
        let name: String = t[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        if name.is_empty() || REPORTED.contains(&name.as_str()) {
            continue;
        }
        let after = &t[i + 1 + name.len()..];
        if after.starts_with('{') {
            out.push((i, format!("the LaTeX command `\\{name}{{…}}`")));
        } else if t.trim() == format!("\\{name}") || (i == 0 && LAYOUT.contains(&name.as_str())) {
            // A command alone in its paragraph (`\newpage`), or one of
            // LaTeX's layout commands opening it (`\noindent Text`).
            out.push((i, format!("the LaTeX command `\\{name}`")));
        }
    }
    if let Some(i) = t.find(":::") {
        out.push((i, "a fenced div's `:::`".into()));
    }
    if let Some(i) = t.find("^[") {
        out.push((i, "an inline note's `^[`".into()));
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

/// What a paragraph that starts as pandoc's block markup is: a grid table
/// (`+----+----+`) or a definition (`: A layer of soil.`, or a caption
/// after what comrak read as no table), which CommonMark reads as text.
fn block_markup(first: &str) -> Option<&'static str> {
    let line = first.lines().next().unwrap_or("").trim_end();
    if line.len() > 2 && line.starts_with('+') && line.ends_with('+') && line.chars().all(|c| "+-=:".contains(c)) {
        Some("a grid table's rules")
    } else if first.starts_with(": ") {
        Some("a definition's or a caption's `: `")
    } else {
        None
    }
}

/// Each piece of markup of `e` that would print as written.
pub(super) fn raw_markup(e: &Essay, text: &str) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    e.body.for_each_block(&mut |b| {
        if let Block::Paragraph(i) = b
            && let Some(Inline::Text { text: t, pos }) = i.first()
            && let Some(what) = block_markup(t)
        {
            out.push(
                Diagnostic::new(Code::RawMarkup, super::at(e, text, *pos), format!("{what} would print as written"))
                    .hint("no edition reads it: write a pipe table (`| a | b |`), or the definition as a paragraph"),
            );
        }
    });
    let mut seen: Vec<(u32, String)> = Vec::new();
    e.body.for_each_inline(&mut |i| {
        let Inline::Text { text: t, pos } = i else { return };
        for (k, what) in found(t) {
            let kind = what.split('`').next().unwrap_or("").to_string();
            if seen.contains(&(pos.line, kind.clone())) {
                continue;
            }
            seen.push((pos.line, kind));
            let p = Pos { line: pos.line, col: pos.col + k as u32 };
            out.push(
                Diagnostic::new(Code::RawMarkup, super::at(e, text, p), format!("{what} would print as written")).hint(
                    "no edition reads it: write what it means in Markdown (`**bold**`, `*emphasis*`), or remove it",
                ),
            );
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandoc_block_markup_that_commonmark_reads_as_text() {
        assert_eq!(block_markup("+-----+:----+"), Some("a grid table's rules"));
        assert_eq!(block_markup(": A layer of soil."), Some("a definition's or a caption's `: `"));
        for text in ["+1 for this", "+", ":colon", "Horizon"] {
            assert_eq!(block_markup(text), None, "{text}");
        }
    }

    #[test]
    fn what_would_print_as_written() {
        let whats: Vec<String> = found(
            "[Small caps]{.smallcaps}, \\textbf{bold}, \\ref{fig:a}, ::: and ^[x] {width=50%} but {not this} or \\n",
        )
        .into_iter()
        .map(|(_, w)| w)
        .collect();
        assert_eq!(
            whats,
            vec![
                "the attributes `{.smallcaps}`",
                "the LaTeX command `\\textbf{…}`",
                "a fenced div's `:::`",
                "an inline note's `^[`",
                "the attributes `{width=50%}`",
            ]
        );
        let bare = |t: &str| found(t).into_iter().map(|(_, w)| w).collect::<Vec<_>>();
        assert_eq!(bare("\\newpage"), ["the LaTeX command `\\newpage`"]);
        assert_eq!(bare("\\noindent The text."), ["the LaTeX command `\\noindent`"]);
        assert!(bare("C:\\Users\\me and \\alpha in prose, a \\newpage mid-sentence").is_empty());
    }
}
