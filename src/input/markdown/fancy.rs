//! pandoc's fancy lists, numbered with letters or roman numerals (`a.`,
//! `(b)`, `iv.`, `C)`), which CommonMark reads as paragraphs.
//!
//! Before the parse, [`as_digits`] writes the markers of each such list
//! that starts its own block (after a blank line, or under an item) as
//! digits of the same width, so that comrak reads a list with everything
//! its items hold (a figure, a paragraph, a list indented under them, which
//! would otherwise be code), and says how each was numbered. The positions
//! of everything stay where they were. What is left (a list whose lines go
//! on a paragraph) is found after the parse among the paragraphs, where a
//! line that starts with the next marker starts the next item.

use std::collections::HashMap;

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

use crate::model::document::{Block, Inline, Numbering, Pos};

/// How the list whose first item starts on a line (1-based) is numbered,
/// and its first number.
pub(super) type Numbered = HashMap<usize, (Numbering, u64)>;

/// `body` with the markers of its fancy lists written as digits, and how
/// each list was numbered; `None` when it has none. A list is two items or
/// more at one indentation, numbered in order or each with the first's
/// marker (`a.` `a.` `a.`, as pandoc allows), its first item after a blank
/// line or more indented than the line before it. Code is never read for
/// markers; a list that CommonMark reads as code until the list around it
/// is one (indented under an item) shows at the next reading.
pub(super) fn as_digits(body: &str) -> Option<(String, Numbered)> {
    let candidate = |line: &str| marker(line.trim_start_matches(' '), None).is_some();
    if !body.lines().any(candidate) {
        return None;
    }
    let mut text = body.to_string();
    let mut numbered = Numbered::new();
    for _ in 0..8 {
        let code = code_lines(&text);
        let lines: Vec<&str> = text.split('\n').collect();
        let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut k = 0;
        while k < lines.len() {
            let (line, at) = (lines[k], indent(lines[k]));
            let first = (!code.contains(&(k + 1)) && !numbered.contains_key(&(k + 1)))
                .then(|| marker(&line[at..], None))
                .flatten();
            // After a blank line, or right under an item's first line (a
            // list nests without one); a line that goes on a paragraph is
            // left to the reading after the parse.
            let under_item = |l: &str| {
                let t = l.trim_start_matches(' ');
                let digits = t.bytes().take_while(u8::is_ascii_digit).count();
                let bullet = t.starts_with(['-', '*', '+']) && t[1..].starts_with(' ');
                let number = digits > 0 && t[digits..].starts_with(['.', ')']) && t[digits + 1..].starts_with(' ');
                indent(l) < at && (bullet || number || marker(t, None).is_some())
            };
            let after_break = k == 0 || lines[k - 1].trim().is_empty() || under_item(lines[k - 1]);
            let Some((numbering, start, _)) = first.filter(|_| after_break) else {
                k += 1;
                continue;
            };
            // The items: lines at this indentation with the next marker (or
            // the first's again), over blank lines and what is indented
            // more; anything else ends the list.
            let mut items = vec![k];
            let (mut next, mut same) = (start + 1, true);
            let mut j = k + 1;
            while j < lines.len() {
                let l = lines[j];
                if l.trim().is_empty() || indent(l) > at {
                    j += 1;
                    continue;
                }
                let Some((_, n, _)) =
                    (indent(l) == at && !code.contains(&(j + 1))).then(|| marker(&l[at..], Some(numbering))).flatten()
                else {
                    break;
                };
                if n == next {
                    same = false;
                } else if !(same && n == start) {
                    break;
                }
                next = n + 1;
                items.push(j);
                j += 1;
            }
            if items.len() >= 2 {
                numbered.insert(k + 1, (numbering, start));
                for (i, &item) in items.iter().enumerate() {
                    let written = &lines[item][at..];
                    let width = written.find(['.', ')']).map_or(0, |d| d + 1);
                    let delim = if written[..width].ends_with('.') && !written.starts_with('(') { '.' } else { ')' };
                    // The first item starts with 1, which may end a
                    // paragraph; the others fill their width with digits.
                    let digits = if i == 0 {
                        format!("1{delim}{}", " ".repeat(width - 2))
                    } else {
                        format!("{}{delim}", "1".repeat(width - 1))
                    };
                    edits.push((item, at, digits));
                }
            }
            k = j.max(k + 1);
        }
        if edits.is_empty() {
            break;
        }
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
        for (line, at, digits) in edits {
            out[line].replace_range(at..at + digits.len(), &digits);
        }
        text = out.join("\n");
    }
    (!numbered.is_empty()).then_some((text, numbered))
}

/// The lines (1-based) of `body` that are code or HTML as CommonMark reads it.
fn code_lines(body: &str) -> std::collections::HashSet<usize> {
    let arena = Arena::new();
    let root = parse_document(&arena, body, &super::options());
    let mut out = std::collections::HashSet::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        if matches!(ast.value, NodeValue::CodeBlock(_) | NodeValue::HtmlBlock(_)) {
            out.extend(ast.sourcepos.start.line..=ast.sourcepos.end.line);
        }
    }
    out
}

/// `blocks`, and the blocks they hold, with each run of paragraphs that is a
/// fancy list (two items or more, numbered in order) made a list.
pub(super) fn lists(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut rest = blocks.into_iter().map(nested).peekable();
    while let Some(b) = rest.next() {
        let Block::Paragraph(first) = &b else {
            out.push(b);
            continue;
        };
        let Some((numbering, start, _)) = first_marker(first, None) else {
            out.push(b);
            continue;
        };
        let mut next = start;
        let mut items: Vec<Vec<Block>> = Vec::new();
        let mut taken = vec![b.clone()];
        let Some(found) = split(first, numbering, &mut next) else {
            out.push(b);
            continue;
        };
        items.extend(found.into_iter().map(|i| vec![Block::Paragraph(i)]));
        // Paragraphs after a blank line go on the list while each starts with its next number.
        while let Some(Block::Paragraph(p)) = rest.peek() {
            let mut after = next;
            let Some(found) = split(p, numbering, &mut after) else { break };
            next = after;
            items.extend(found.into_iter().map(|i| vec![Block::Paragraph(i)]));
            taken.extend(rest.next());
        }
        if items.len() < 2 {
            out.extend(taken);
            continue;
        }
        out.push(Block::List { start: Some(start), numbering, tight: taken.len() == 1, items });
    }
    out
}

/// A block with the blocks it holds read for fancy lists.
fn nested(b: Block) -> Block {
    match b {
        Block::Quote(inner) => Block::Quote(lists(inner)),
        Block::List { start, numbering, tight, items } => {
            Block::List { start, numbering, tight, items: items.into_iter().map(|i| sublists(lists(i))).collect() }
        }
        Block::Callout { kind, title, blocks } => Block::Callout { kind, title, blocks: lists(blocks) },
        Block::Only { shown, blocks, pos, last_line } => Block::Only { shown, blocks: lists(blocks), pos, last_line },
        other => other,
    }
}

/// A list item's blocks with a fancy list (of one item or more) that ends
/// its paragraph made a list: `2. two` then `    a. first` and `    b. second` under it, which
/// CommonMark reads as lines of the paragraph `two`, is a list in the item,
/// as pandoc reads it.
fn sublists(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        let Block::Paragraph(inlines) = &b else {
            out.push(b);
            continue;
        };
        let lines: Vec<&[Inline]> = inlines.split(|i| matches!(i, Inline::SoftBreak)).collect();
        let tail = (1..lines.len()).find_map(|k| {
            let (numbering, start, _) = first_marker(lines[k], None)?;
            let rest: Vec<Inline> = lines[k..].join(&Inline::SoftBreak);
            let mut next = start;
            // One item is enough here: the line is set under an item, as a list is.
            let items = split(&rest, numbering, &mut next)?;
            Some((k, numbering, start, items))
        });
        match tail {
            Some((k, numbering, start, items)) => {
                out.push(Block::Paragraph(lines[..k].join(&Inline::SoftBreak)));
                let items = items.into_iter().map(|i| vec![Block::Paragraph(i)]).collect();
                out.push(Block::List { start: Some(start), numbering, tight: true, items });
            }
            None => out.push(b),
        }
    }
    out
}

/// The items of a paragraph whose first line starts with marker `next`,
/// each line that starts with the marker after it starting an item; `None`
/// when the first line does not.
fn split(inlines: &[Inline], numbering: Numbering, next: &mut u64) -> Option<Vec<Vec<Inline>>> {
    let mut items: Vec<Vec<Inline>> = Vec::new();
    for line in inlines.split(|i| matches!(i, Inline::SoftBreak)) {
        match first_marker(line, Some(numbering)) {
            Some((_, n, len)) if n == *next => {
                *next += 1;
                let mut item = line.to_vec();
                if let Some(Inline::Text { text, pos }) = item.first_mut() {
                    *text = text[len..].to_string();
                    *pos = Pos { line: pos.line, col: pos.col + len as u32 };
                }
                items.push(item);
            }
            _ => {
                // A line that goes on the item before it.
                let item = items.last_mut()?;
                item.push(Inline::SoftBreak);
                item.extend(line.iter().cloned());
            }
        }
    }
    Some(items)
}

/// The marker a line starts with: its numbering, its number and the bytes
/// it takes with the spaces after it. `like` is the list's numbering once
/// its first marker has decided it.
fn first_marker(line: &[Inline], like: Option<Numbering>) -> Option<(Numbering, u64, usize)> {
    let Some(Inline::Text { text, .. }) = line.first() else { return None };
    marker(text, like)
}

fn marker(text: &str, like: Option<Numbering>) -> Option<(Numbering, u64, usize)> {
    let (open, body) = match text.strip_prefix('(') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let len = body.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(body.len());
    let (token, after) = body.split_at(len);
    let delim = after.chars().next()?;
    let fits = if open { delim == ')' } else { delim == '.' || delim == ')' };
    if token.is_empty() || !fits {
        return None;
    }
    let after = &after[1..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    // Text must follow; a capital letter and a period need two spaces, as
    // in pandoc, so that "B. Smith" stays a name.
    let upper = token.chars().all(|c| c.is_ascii_uppercase());
    let lower = token.chars().all(|c| c.is_ascii_lowercase());
    if spaces == 0 || spaces == after.len() || !(upper || lower) {
        return None;
    }
    let roman = match (upper, like) {
        (true, Some(Numbering::UpperRoman)) | (false, Some(Numbering::LowerRoman)) => true,
        (_, Some(_)) => false,
        // The first marker: `i` and `I` start roman lists, other letters alphabetic ones.
        (_, None) => token.len() > 1 || token.eq_ignore_ascii_case("i"),
    };
    let (numbering, n) = if roman {
        (if upper { Numbering::UpperRoman } else { Numbering::LowerRoman }, roman_value(token)?)
    } else {
        if token.len() != 1 {
            return None;
        }
        let c = token.to_ascii_lowercase().as_bytes()[0];
        (if upper { Numbering::UpperAlpha } else { Numbering::LowerAlpha }, u64::from(c - b'a' + 1))
    };
    if upper && !roman && delim == '.' && !open && spaces < 2 {
        return None;
    }
    if like.is_some_and(|l| l != numbering) {
        return None;
    }
    Some((numbering, n, text.len() - after.len() + spaces))
}

/// A roman numeral's value, when it is written the canonical way (`iv`, not `iiii`).
fn roman_value(token: &str) -> Option<u64> {
    let digit = |c: char| match c.to_ascii_lowercase() {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        'd' => Some(500),
        'm' => Some(1000),
        _ => None,
    };
    let values: Vec<i64> = token.chars().map(digit).collect::<Option<_>>()?;
    // A digit before a greater one is taken away (`iv`); the canonical
    // spelling check below refuses what that rule reads oddly (`iiv`).
    let mut total: i64 = 0;
    for (k, v) in values.iter().enumerate() {
        if values.get(k + 1).is_some_and(|next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    let n = u64::try_from(total).ok().filter(|n| *n > 0)?;
    (Numbering::LowerRoman.number(n).as_deref() == Some(token.to_ascii_lowercase().as_str())).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::markdown::parse;
    use crate::model::document::plain_text;

    fn list(md: &str) -> Option<(Option<u64>, Numbering, bool, Vec<String>)> {
        let doc = parse(md, 1).document;
        match doc.blocks.first()? {
            Block::List { start, numbering, tight, items } => Some((
                *start,
                *numbering,
                *tight,
                items
                    .iter()
                    .map(|i| match i.as_slice() {
                        [Block::Paragraph(p)] => plain_text(p),
                        other => format!("{other:?}"),
                    })
                    .collect(),
            )),
            _ => None,
        }
    }

    #[test]
    fn letters_and_roman_numerals_number_lists() {
        let l = list("a. First *thing*\nb. Second\nc. Third\n").unwrap();
        assert_eq!(
            l,
            (Some(1), Numbering::LowerAlpha, true, vec!["First thing".into(), "Second".into(), "Third".into()])
        );
        let l = list("(c) One\n(d) Two\n").unwrap();
        assert_eq!((l.0, l.1), (Some(3), Numbering::LowerAlpha));
        let l = list("i. One\nii. Two\niii. Three\niv. Four\n").unwrap();
        assert_eq!((l.0, l.1, l.3.len()), (Some(1), Numbering::LowerRoman, 4));
        let l = list("IV) Four\nV) Five\n").unwrap();
        assert_eq!((l.0, l.1), (Some(4), Numbering::UpperRoman));
        let l = list("A.  One\nB.  Two\n").unwrap();
        assert_eq!(l.1, Numbering::UpperAlpha);
        // Loose: items apart, and a line that goes on an item.
        let l = list("a. One\ngoing on\n\nb. Two\n").unwrap();
        assert_eq!(l, (Some(1), Numbering::LowerAlpha, false, vec!["One going on".into(), "Two".into()]));
    }

    #[test]
    fn a_lettered_list_under_a_numbered_item() {
        let doc = parse("1. one\n2. two\n   a. first\n   b. second\n", 1).document;
        let Some(Block::List { items, .. }) = doc.blocks.first() else { panic!("{doc:#?}") };
        let [Block::Paragraph(p), Block::List { numbering: Numbering::LowerAlpha, items: sub, .. }] =
            items[1].as_slice()
        else {
            panic!("{:#?}", items[1])
        };
        assert_eq!((plain_text(p).as_str(), sub.len()), ("two", 2));
    }

    #[test]
    fn a_lettered_list_holds_what_is_indented_under_its_items() {
        // As pandoc writes it: each item with the first's marker, a figure
        // and a roman list indented under the items.
        let md = "1.  Steps\n\n    a.  **Create** a folder.\n\n        ![A folder](f.png)\n\n    a.  Implement:\n\n        i.  one\n\n            More on one.\n\n        i.  two\n\nAfter.\n";
        let doc = parse(md, 1).document;
        let Some(Block::List { items, .. }) = doc.blocks.first() else { panic!("{doc:#?}") };
        let [Block::Paragraph(_), Block::List { numbering: Numbering::LowerAlpha, start: Some(1), items: sub, .. }] =
            items[0].as_slice()
        else {
            panic!("{:#?}", items[0])
        };
        assert!(
            matches!(&sub[0][1], Block::Paragraph(i) if matches!(i.as_slice(), [Inline::Image { .. }])),
            "the figure is in the item, not code: {:#?}",
            sub[0]
        );
        let [_, Block::List { numbering: Numbering::LowerRoman, items: roman, .. }] = sub[1].as_slice() else {
            panic!("{:#?}", sub[1])
        };
        assert_eq!(roman.len(), 2);
        assert_eq!(roman[0].len(), 2, "a paragraph under an item: {:#?}", roman[0]);
        assert!(matches!(doc.blocks.last(), Some(Block::Paragraph(_))));
        let mut code = 0;
        doc.for_each_block(&mut |b| code += usize::from(matches!(b, Block::Code { .. })));
        assert_eq!(code, 0);
        // Where the figure is, the importer finds it too.
        let found = crate::input::markdown::destinations(md);
        assert!(found.iter().any(|d| d.image && d.target == "f.png" && d.alone), "{found:?}");
    }

    #[test]
    fn what_stays_a_paragraph() {
        for md in [
            "a. Alone, one item.\n",
            "A. Smith and\nB. Jones wrote it.\n",
            "a. One\nc. Three\n",
            "i. One\nb. Two\n",
            "e.g. this\nf.g. that\n",
            "Some text\na. then b.\n",
            "iiii. One\niiiii. Two\n",
            "Some text\n  a. goes on\n  b. the paragraph\n",
            "a.One\nb.Two\n",
        ] {
            assert!(list(md).is_none(), "{md}");
        }
    }

    #[test]
    fn roman_numerals() {
        for (t, n) in [("i", 1), ("iv", 4), ("ix", 9), ("xiv", 14), ("xl", 40), ("mcmxc", 1990)] {
            assert_eq!(roman_value(t), Some(n), "{t}");
        }
        for t in ["iiii", "vx", "iiv", "il", "q"] {
            assert_eq!(roman_value(t), None, "{t}");
        }
    }
}
