//! pandoc's grid tables, drawn with `+`, `-`, `=` and `|`, which CommonMark
//! reads as one paragraph: a paragraph whose source lines are a grid is made
//! a table. The grid is read from the paragraph's own lines, found by the
//! parser's positions: its columns are where the first border's `+` are,
//! its header the rows above a `+===+` line, its alignment the colons of
//! that line (or of the first). Each cell's text is read as Markdown; a
//! cell holds inline text, its paragraphs joined by line breaks. A grid
//! with cells that span rows or columns is left as it is (`check` reports
//! its rules, T015).

use crate::model::document::{Align, Block, Cell, Document, Inline, Pos, plain_text};

/// The table `lines` draw, the first of them at line `first_line` of the
/// file; `None` when they are not a grid table this reader takes.
pub(super) fn table(lines: &[&str], first_line: u32) -> Option<Block> {
    let lines: Vec<Vec<char>> = lines.iter().map(|l| l.trim_end().chars().collect()).collect();
    let border = lines.first()?;
    if !is_border(border) || lines.len() < 3 || !lines.last().is_some_and(|l| is_border(l)) {
        return None;
    }
    let edges: Vec<usize> = border.iter().enumerate().filter(|(_, c)| **c == '+').map(|(i, _)| i).collect();
    if edges.len() < 2 {
        return None;
    }
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut head = 0;
    let mut align_line = border;
    let mut current: Vec<String> = Vec::new();
    let mut row_line = first_line + 1;
    for (k, line) in lines.iter().enumerate().skip(1) {
        if is_border(line) {
            // Every border must cross every column where the first one does.
            if line.len() != border.len() || edges.iter().any(|e| line[*e] != '+') {
                return None;
            }
            if current.is_empty() {
                return None;
            }
            let cells = current.iter().map(|text| Cell::new(inline(text, row_line))).collect();
            rows.push(cells);
            current.clear();
            if line.contains(&'=') {
                if head > 0 {
                    return None;
                }
                head = rows.len();
                align_line = line;
            }
            row_line = first_line + k as u32 + 1;
            continue;
        }
        // A line of cells: a `|` at every edge. The last cell, as pandoc
        // reads it, runs to the line's closing `|` wherever it is (a long
        // link pushes it out).
        let inner = &edges[..edges.len() - 1];
        if line.last() != Some(&'|')
            || line.len() <= inner[inner.len() - 1] + 1
            || inner.iter().any(|e| line[*e] != '|')
        {
            return None;
        }
        if current.is_empty() {
            current = vec![String::new(); edges.len() - 1];
        }
        for (c, w) in edges.windows(2).enumerate() {
            let end = if c + 2 == edges.len() { line.len() - 1 } else { w[1] };
            let part: String = line[w[0] + 1..end].iter().collect();
            let part = part.trim();
            if !part.is_empty() {
                if !current[c].is_empty() {
                    current[c].push('\n');
                }
                current[c].push_str(part);
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    let align = edges
        .windows(2)
        .map(|w| {
            let (left, right) = (align_line.get(w[0] + 1) == Some(&':'), align_line.get(w[1] - 1) == Some(&':'));
            match (left, right) {
                (true, true) => Align::Center,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (false, false) => Align::None,
            }
        })
        .collect();
    Some(Block::Table { align, head, rows, caption: Vec::new(), pos: Pos { line: first_line, col: 1 } })
}

/// `+---+---+`, `+===+`, `+:--+--:+`.
fn is_border(line: &[char]) -> bool {
    line.len() >= 3
        && line.first() == Some(&'+')
        && line.last() == Some(&'+')
        && line.iter().all(|c| matches!(c, '+' | '-' | '=' | ':'))
        && line.iter().any(|c| matches!(c, '-' | '='))
}

/// A cell's text as inline content: its paragraphs, joined by line breaks.
fn inline(text: &str, line: u32) -> Vec<Inline> {
    let doc = super::parse(text, line).document;
    let mut out = Vec::new();
    for b in &doc.blocks {
        let inlines: Vec<Inline> = match b {
            Block::Paragraph(i) | Block::Heading { content: i, .. } => i.clone(),
            Block::Code { text, .. } => vec![Inline::Code(text.trim_end().to_string())],
            // A list or a quotation in a cell: its words, in a row.
            other => {
                let held = Document { blocks: vec![other.clone()], ..Document::default() };
                let mut words: Vec<String> = Vec::new();
                held.for_each_block(&mut |b| {
                    if let Block::Paragraph(i) = b {
                        words.push(plain_text(i));
                    }
                });
                vec![Inline::Text { text: words.join(" "), pos: Pos { line, col: 1 } }]
            }
        };
        if !out.is_empty() && !inlines.is_empty() {
            out.push(Inline::LineBreak);
        }
        out.extend(inlines);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::input::markdown::parse;
    use crate::model::document::{Align, Block, plain_text};

    #[test]
    fn a_grid_table_is_a_table() {
        // The last cell of a line may run past the border, as a long link does.
        let md = "+---------+---------+\n| Fruit   | Price   |\n+=========+:=======:+\n| *Apple* | 1.00    |\n| red     |         |\n+---------+---------+\n| Pear    | [2.00](x) |\n+---------+---------+\n\n: Fruits {#tbl-fruits}\n";
        let doc = parse(md, 1).document;
        let Some(Block::Table { align, head, rows, caption, .. }) = doc.blocks.first() else {
            panic!("{:#?}", doc.blocks)
        };
        assert_eq!(*head, 1);
        assert_eq!(align.as_slice(), [Align::None, Align::Center]);
        let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| plain_text(&c.content)).collect()).collect();
        assert_eq!(text, [["Fruit", "Price"], ["Apple red", "1.00"], ["Pear", "2.00"]]);
        assert_eq!(plain_text(caption), "Fruits");
        assert_eq!(doc.ids.len(), 1);
    }

    #[test]
    fn what_is_not_a_grid_table_stays_a_paragraph() {
        for md in [
            "+---+---+\n| a | b |\n",
            "+---+---+\n| a   b |\n+---+---+\n",
            "+---+---+\n| a | b\n+---+---+\n",
            "+---+---+\n| a | b |\n+-------+\n",
            "+1 for this\n",
        ] {
            let doc = parse(md, 1).document;
            assert!(!matches!(doc.blocks.first(), Some(Block::Table { .. })), "{md}");
        }
    }
}
