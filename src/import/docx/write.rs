//! Blocks and runs written as this book's Markdown.

use super::blocks::{Block, Kind, Run};
use crate::model::document::Numbering;

/// The plain text of runs.
pub(super) fn inline_text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect::<String>().trim().to_string()
}

/// Text as Markdown reads it literally.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '$' | '~' | '|' | '#' | '^') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Runs as Markdown: a link around the runs that share it, emphasis
/// opened and closed where it changes (nested, never two stretches glued
/// into `***a****b*`), spaces kept outside the markers.
pub(super) fn write_runs(runs: &[Run], out: &mut String) {
    let mut i = 0;
    while i < runs.len() {
        let r = &runs[i];
        if let Some(raw) = &r.raw {
            if !raw.starts_with('\u{0}') {
                out.push_str(raw);
            }
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < runs.len() && runs[j].raw.is_none() && runs[j].link == r.link {
            j += 1;
        }
        match &r.link {
            Some(url) => {
                let inner: Vec<Run> = runs[i..j].iter().map(|r| Run { link: None, ..r.clone() }).collect();
                let mut text = String::new();
                emphasis(&inner, &mut text);
                let (pre, core, post) = spaced(&text);
                out.push_str(pre);
                if !core.is_empty() {
                    out.push_str(&format!("[{core}]({})", url.replace(' ', "%20").replace(')', "%29")));
                }
                out.push_str(post);
            }
            None => emphasis(&runs[i..j], out),
        }
        i = j;
    }
}

/// Text split into its leading spaces, the rest, and its trailing spaces.
fn spaced(text: &str) -> (&str, &str, &str) {
    if text.trim().is_empty() {
        return (text, "", "");
    }
    let lead = text.len() - text.trim_start().len();
    let trail = text.trim_end().len();
    (&text[..lead], &text[lead..trail], &text[trail..])
}

/// An emphasis a run can carry, and its Markdown markers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Bold,
    Italic,
    Strike,
    Underline,
    SmallCaps,
    Highlight,
}

impl Mark {
    fn open(self) -> &'static str {
        match self {
            Mark::Bold => "**",
            Mark::Italic => "*",
            Mark::Strike => "~~",
            Mark::Underline | Mark::SmallCaps | Mark::Highlight => "[",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Mark::Underline => "]{.underline}",
            Mark::SmallCaps => "]{.smallcaps}",
            Mark::Highlight => "]{.mark}",
            other => other.open(),
        }
    }
}

/// Runs without links: each stretch of one formatting written once, the
/// emphasis that goes on and off around it as a stack (what stays on from
/// one stretch to the next stays open).
fn emphasis(runs: &[Run], out: &mut String) {
    let same = |a: &Run, b: &Run| {
        (a.bold, a.italic, a.strike, a.underline, a.smallcaps, a.highlight, a.sup, a.sub, a.code)
            == (b.bold, b.italic, b.strike, b.underline, b.smallcaps, b.highlight, b.sup, b.sub, b.code)
    };
    let mut open: Vec<Mark> = Vec::new();
    // The spaces after the last text written: set after any marker that closes.
    let mut pending = String::new();
    let mut i = 0;
    while i < runs.len() {
        let r = &runs[i];
        let mut j = i + 1;
        while j < runs.len() && same(&runs[j], r) {
            j += 1;
        }
        let text: String = runs[i..j].iter().map(|r| r.text.as_str()).collect();
        i = j;
        let (pre, core, post) = spaced(&text);
        if core.is_empty() {
            pending.push_str(pre);
            continue;
        }
        let want: Vec<Mark> = [
            (r.bold, Mark::Bold),
            (r.italic, Mark::Italic),
            (r.strike, Mark::Strike),
            (r.underline, Mark::Underline),
            (r.smallcaps, Mark::SmallCaps),
            (r.highlight, Mark::Highlight),
        ]
        .into_iter()
        .filter_map(|(on, m)| on.then_some(m))
        .collect();
        let keep = open.iter().take_while(|m| want.contains(m)).count();
        for m in open.drain(keep..).rev() {
            out.push_str(m.close());
        }
        out.push_str(&pending);
        pending.clear();
        out.push_str(pre);
        for m in want {
            if !open.contains(&m) {
                // `![x]{.underline}` would be an image.
                if m.open() == "[" && out.ends_with('!') && !out.ends_with("\\!") {
                    out.pop();
                    out.push_str("\\!");
                }
                out.push_str(m.open());
                open.push(m);
            }
        }
        let word = |w: &str| if r.code { code_span(w) } else { escape(w) };
        if r.sup || r.sub {
            // `^2^` and `~2~`, which hold no space: each word its own.
            let mark = if r.sup { '^' } else { '~' };
            let words: Vec<String> = core
                .split(' ')
                .map(|w| if w.is_empty() { String::new() } else { format!("{mark}{}{mark}", word(w)) })
                .collect();
            out.push_str(&words.join(" "));
        } else {
            out.push_str(&word(core));
        }
        pending.push_str(post);
    }
    for m in open.drain(..).rev() {
        out.push_str(m.close());
    }
    out.push_str(&pending);
}

/// Text as a code span: fenced with more backticks than it holds in a row,
/// padded when it starts or ends with one.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A list item's mark: its number as its list writes it (`3.`, `c.`,
/// `iv.`), or a bullet. A capital letter and its period take two spaces,
/// as pandoc reads them.
fn marker(number: Option<(u64, Numbering)>) -> String {
    match number {
        None => "- ".to_string(),
        Some((n, numbering)) => match numbering.number(n) {
            Some(written) if numbering == Numbering::UpperAlpha => format!("{written}.  "),
            Some(written) => format!("{written}. "),
            None => format!("{n}. "),
        },
    }
}

pub(super) fn write_blocks(blocks: &[Block], out: &mut String) {
    let mut prev: Option<&Kind> = None;
    for b in blocks {
        let mut line = String::new();
        write_runs(&b.runs, &mut line);
        let line = line.trim_end_matches("\\\n").to_string();
        if line.trim().is_empty() && !matches!(b.kind, Kind::Table(_) | Kind::Code) {
            continue;
        }
        let in_code = matches!(prev, Some(Kind::Code));
        if in_code && b.kind != Kind::Code {
            out.push_str("\n```");
        }
        // Items of one list, lines of one code block and of one quotation
        // follow each other.
        let tight = matches!(
            (prev, &b.kind),
            (Some(Kind::Item { .. }), Kind::Item { .. })
                | (Some(Kind::Code), Kind::Code)
                | (Some(Kind::Quote), Kind::Quote)
        );
        if !out.is_empty() {
            out.push_str(match (&b.kind, tight) {
                (Kind::Quote, true) => "\n>\n",
                (_, true) => "\n",
                _ => "\n\n",
            });
        }
        match &b.kind {
            Kind::Para | Kind::Meta(_) | Kind::DropCap => out.push_str(line.trim()),
            Kind::Heading(n) => {
                out.push_str(&"#".repeat(usize::from((*n).clamp(1, 5)) + 1));
                out.push(' ');
                out.push_str(line.replace("\\\n", " ").trim());
            }
            Kind::Quote => {
                out.push_str("> ");
                out.push_str(&line.trim_start().replace('\n', "\n> "));
            }
            Kind::Code => {
                let plain: String = b.runs.iter().map(|r| if r.raw.is_some() { "" } else { r.text.as_str() }).collect();
                if !tight {
                    out.push_str("```\n");
                }
                out.push_str(&plain);
            }
            Kind::Item { level, number } => {
                out.push_str(&"    ".repeat((*level).min(8)));
                out.push_str(&marker(*number));
                out.push_str(&line.trim_start().replace('\n', &format!("\n{}", "    ".repeat(level + 1))));
            }
            Kind::Table(rows) => {
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|cell| {
                                let mut s = String::new();
                                for (k, p) in cell.iter().enumerate() {
                                    if k > 0 {
                                        s.push(' ');
                                    }
                                    // A list in a cell: its items in a row, with their marks.
                                    if let Kind::Item { number, .. } = p.kind {
                                        s.push_str(&marker(number).replace("- ", "• "));
                                    }
                                    write_runs(&p.runs, &mut s);
                                }
                                s.replace("\\\n", " ").replace('\n', " ").trim().to_string()
                            })
                            .collect()
                    })
                    .collect();
                let width = cells.iter().map(Vec::len).max().unwrap_or(0);
                for (k, row) in cells.iter().enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    out.push('|');
                    for c in 0..width {
                        out.push(' ');
                        out.push_str(row.get(c).map_or("", String::as_str));
                        out.push_str(" |");
                    }
                    if k == 0 {
                        out.push_str("\n|");
                        out.push_str(&" --- |".repeat(width));
                    }
                }
            }
        }
        prev = Some(&b.kind);
    }
    if matches!(prev, Some(Kind::Code)) {
        out.push_str("\n```");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool, italic: bool) -> Run {
        Run { text: text.into(), bold, italic, ..Run::default() }
    }

    #[test]
    fn emphasis_nests_where_word_changes_it() {
        // pandoc's deep_normalize.docx: italic around a bold stretch.
        let runs = [
            run("This is ", false, false),
            run("at ", false, true),
            run("the third level", true, true),
            run(", and I want to", false, true),
            run(" test it.", false, false),
        ];
        let mut s = String::new();
        write_runs(&runs, &mut s);
        assert_eq!(s, "This is *at **the third level**, and I want to* test it.");
        let doc = crate::input::markdown::parse(&s, 1).document;
        let text = format!("{:?}", doc.blocks);
        assert!(!text.contains('*'), "no marker reads as text: {text}");
    }

    #[test]
    fn code_spans_hold_backticks_and_scripts_hold_no_space() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        let runs = [
            Run { text: "x".into(), ..Run::default() },
            Run { text: "2 b".into(), sup: true, ..Run::default() },
            Run { text: " and ".into(), ..Run::default() },
            Run { text: "let".into(), code: true, ..Run::default() },
        ];
        let mut s = String::new();
        write_runs(&runs, &mut s);
        assert_eq!(s, "x^2^ ^b^ and `let`");
    }

    #[test]
    fn list_items_carry_their_numbers() {
        let item = |text: &str, number: Option<u64>, numbering| Block {
            kind: Kind::Item { level: 0, number: number.map(|n| (n, numbering)) },
            runs: vec![Run { text: text.into(), ..Run::default() }],
        };
        let blocks = [
            item("Foo", Some(1), Numbering::Decimal),
            item("Bar", Some(2), Numbering::Decimal),
            Block { kind: Kind::Para, runs: vec![Run { text: "Interruption.".into(), ..Run::default() }] },
            item("Bop", Some(3), Numbering::Decimal),
        ];
        let mut s = String::new();
        write_blocks(&blocks, &mut s);
        assert_eq!(s, "1. Foo\n2. Bar\n\nInterruption.\n\n3. Bop\n");
        // Letters and roman numerals as pandoc writes them; the reader makes them a list again.
        let blocks = [
            item("One", Some(1), Numbering::LowerAlpha),
            item("Two", Some(2), Numbering::LowerAlpha),
            Block { kind: Kind::Para, runs: vec![Run { text: "Then.".into(), ..Run::default() }] },
            item("Four", Some(4), Numbering::UpperRoman),
            item("Five", Some(5), Numbering::UpperRoman),
            Block { kind: Kind::Para, runs: vec![Run { text: "And.".into(), ..Run::default() }] },
            item("Ay", Some(1), Numbering::UpperAlpha),
            item("Bee", Some(2), Numbering::UpperAlpha),
        ];
        let mut s = String::new();
        write_blocks(&blocks, &mut s);
        assert_eq!(s, "a. One\nb. Two\n\nThen.\n\nIV. Four\nV. Five\n\nAnd.\n\nA.  Ay\nB.  Bee\n");
        let doc = crate::input::markdown::parse(&s, 1).document;
        let lists: Vec<(Option<u64>, Numbering)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                crate::model::document::Block::List { start, numbering, .. } => Some((*start, *numbering)),
                _ => None,
            })
            .collect();
        assert_eq!(
            lists,
            [(Some(1), Numbering::LowerAlpha), (Some(4), Numbering::UpperRoman), (Some(1), Numbering::UpperAlpha)]
        );
    }
}
