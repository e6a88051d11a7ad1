//! comrak closes a fenced div (`:::`) at a `:::` line even inside a fenced
//! code block within the div, where pandoc reads the line as code: a
//! callout that shows the syntax of a div (Quarto's own guide does) ended
//! early, and the rest of the text fell into a div of its own. The lines of
//! fenced code that would close a div are found with the parser (a parse
//! without divs, whose code blocks are the same), and their first colon is
//! hidden from the parse that reads divs; the code gets it back.
//!
//! comrak also closes the outermost div at a `:::` line where pandoc
//! closes the innermost: a callout in a conditional div ended both, and
//! the rest of the conditional content was printed everywhere. Each div's
//! fences are lengthened to say how it nests.
//!
//! comrak also refuses a div whose attributes hold a colon, which Quarto's
//! titles often do (`::: {.callout-note title="Setup: the data"}`): the
//! whole div printed as written. Those colons are hidden the same way, and
//! [`restore`] gives them back to the attributes.

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

/// What hides a colon: a byte of the same length, which the text has none of.
pub(super) const HIDDEN: char = '\u{1}';

/// A line that is a div's fence: its indent, its colons, and whether it
/// opens one (attributes follow) or closes one (nothing does).
fn fence(line: &str) -> Option<(usize, usize, bool)> {
    let text = line.trim_end_matches(['\n', '\r']);
    let indent = text.len() - text.trim_start_matches(' ').len();
    let colons = text[indent..].len() - text[indent..].trim_start_matches(':').len();
    (colons >= 3).then(|| (indent, colons, !text[indent + colons..].trim().is_empty()))
}

/// `body` prepared for comrak's divs, when it needs to be: the first colon
/// of each `:::` line inside code hidden; the colons in a div's attributes
/// hidden; and divs nested as pandoc nests them. pandoc closes the
/// innermost div at a `:::` line, comrak the outermost whose fence is no
/// longer than the line's: each div's fences are given one colon more
/// than the longest inside it, so that comrak reads the same divs. Lines
/// stay where they are, and so do the columns of every other line.
pub(super) fn protect(body: &str) -> Option<String> {
    if !body.contains(":::") || body.contains(HIDDEN) {
        return None;
    }
    let starts = super::line_starts(body);
    let line_at = |line: usize| {
        let start = starts[line];
        let end = starts.get(line + 1).copied().unwrap_or(body.len());
        (start, &body[start..end])
    };
    let fences: Vec<Option<(usize, usize, bool)>> = (0..starts.len()).map(|l| fence(line_at(l).1)).collect();
    let openings = fences.iter().flatten().filter(|f| f.2).count();
    let attr_colon = |l: usize| {
        fences[l]
            .is_some_and(|(indent, colons, opens)| opens && line_at(l).1[indent + colons..].trim_end().contains(':'))
    };
    let code_fences = body.contains("```") || body.contains("~~~");
    if !code_fences && openings < 2 && !(0..starts.len()).any(attr_colon) {
        return None;
    }
    // The lines of code, as a parse without divs reads them.
    let mut in_code = vec![false; starts.len()];
    if code_fences || body.contains("\n    ") || body.contains('\t') {
        let mut opts = super::options();
        opts.extension.block_directive = false;
        let arena = Arena::new();
        let root = parse_document(&arena, body, &opts);
        for node in root.descendants() {
            let ast = node.data.borrow();
            let NodeValue::CodeBlock(c) = &ast.value else { continue };
            // A fenced block's lines between its fences, an indented one's all (1-based).
            let (first, last) = match c.fenced {
                true => (ast.sourcepos.start.line + 1, ast.sourcepos.end.line),
                false => (ast.sourcepos.start.line, ast.sourcepos.end.line),
            };
            for line in first..=last {
                if let Some(code) = in_code.get_mut(line.wrapping_sub(1)) {
                    *code = true;
                }
            }
        }
    }
    // Each div, as pandoc pairs its fences: (opening line, closing line).
    let mut open: Vec<(usize, usize)> = Vec::new(); // (line, height so far)
    let mut length: Vec<(usize, usize)> = Vec::new(); // (line, colons it needs)
    for (line, f) in fences.iter().enumerate() {
        let Some((_, _, opens)) = f.filter(|_| !in_code[line]) else { continue };
        if opens {
            open.push((line, 0));
        } else if let Some((first, height)) = open.pop() {
            length.push((first, 3 + height));
            length.push((line, 3 + height));
            if let Some(parent) = open.last_mut() {
                parent.1 = parent.1.max(height + 1);
            }
        }
    }
    length.retain(|(line, n)| fences[*line].is_some_and(|f| f.1 != *n));
    length.sort();
    let mut hide: Vec<usize> = Vec::new();
    for (line, code) in in_code.iter().enumerate() {
        let (start, text) = line_at(line);
        match fences[line] {
            Some((indent, _, _)) if *code && indent <= 3 => hide.push(start + indent),
            Some((indent, colons, true)) if !code && attr_colon(line) => {
                let info = indent + colons;
                hide.extend(text[info..].match_indices(':').map(|(i, _)| start + info + i));
            }
            _ => {}
        }
    }
    if hide.is_empty() && length.is_empty() {
        return None;
    }
    let mut out = body.as_bytes().to_vec();
    for at in hide {
        out[at] = HIDDEN as u8;
    }
    // Fences lengthened or shortened, from the last so that offsets hold.
    for (line, n) in length.into_iter().rev() {
        let Some((indent, colons, _)) = fences[line] else { continue };
        let at = starts[line] + indent;
        out.splice(at..at + colons, std::iter::repeat_n(b':', n));
    }
    String::from_utf8(out).ok()
}

/// Text read from a protected body, with its colons back.
pub(super) fn restore(text: &str) -> String {
    if text.contains(HIDDEN) { text.replace(HIDDEN, ":") } else { text.to_string() }
}

/// The info string of a fenced div, empty for any other node.
pub(super) fn info<'a>(node: &'a comrak::nodes::AstNode<'a>) -> String {
    match &node.data.borrow().value {
        NodeValue::BlockDirective(d) => d.info.clone(),
        _ => String::new(),
    }
}

/// The attributes of a fenced div's info string (`{.callout-tip}`, or a
/// bare class, `callout-tip`), its colons back.
pub(super) fn attributes(info: &str) -> Option<super::attributes::Attributes> {
    let info = restore(info);
    let info = info.trim();
    Some(match info.strip_prefix('{') {
        Some(_) => super::attributes::leading(info)?.0,
        None => super::attributes::Attributes {
            classes: info.split_whitespace().map(|c| c.trim_start_matches('.').to_string()).collect(),
            ..super::attributes::Attributes::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use crate::input::markdown::parse;
    use crate::model::document::Block;

    #[test]
    fn a_div_line_in_code_inside_a_div_is_code() {
        let body = "::: {.callout-tip}\n\n````markdown\n::: class-name\nIn the div.\n:::\n````\n\n:::\n\n## After {#sec-after}\n\nText.\n";
        let doc = parse(body, 1).document;
        let Some(Block::Callout { blocks, .. }) = doc.blocks.first() else { panic!("{:#?}", doc.blocks) };
        assert!(
            matches!(blocks.as_slice(), [Block::Code { text, .. }] if text == "::: class-name\nIn the div.\n:::\n"),
            "{blocks:#?}"
        );
        assert!(matches!(doc.blocks.get(1), Some(Block::Heading { level: 2, .. })), "{:#?}", doc.blocks);
        assert_eq!(doc.ids.len(), 1);
    }

    #[test]
    fn a_colon_in_a_divs_attributes_keeps_the_div() {
        let body = "::: {.callout-note title=\"Setup: the data\" collapse=\"true\"}\nRun `a:b`.\n:::\n\nAfter: text.\n";
        let doc = parse(body, 1).document;
        let Some(Block::Callout { title, blocks, .. }) = doc.blocks.first() else { panic!("{:#?}", doc.blocks) };
        assert_eq!(crate::model::document::plain_text(title), "Setup: the data");
        assert!(matches!(blocks.as_slice(), [Block::Paragraph(_)]), "{blocks:#?}");
        assert_eq!(doc.blocks.len(), 2, "{:#?}", doc.blocks);
    }

    #[test]
    fn a_div_closes_at_its_own_fence_as_pandoc_nests_them() {
        let body = "::: {.content-visible when-format=\"html\"}\n::: {.callout-note}\nIn the note.\n:::\n\nAfter the note.\n\n```\n:::\n```\n:::\n\nAfter the div.\n";
        let doc = parse(body, 1).document;
        let [Block::Only { blocks, last_line, .. }, Block::Paragraph(_)] = doc.blocks.as_slice() else {
            panic!("{:#?}", doc.blocks)
        };
        assert_eq!(*last_line, 11);
        assert!(
            matches!(blocks.as_slice(), [Block::Callout { .. }, Block::Paragraph(_), Block::Code { text, .. }] if text == ":::\n"),
            "{blocks:#?}"
        );
        // Positions elsewhere are the text's own.
        let prepared = super::protect(body).unwrap();
        assert_eq!(prepared.lines().count(), body.lines().count());
        assert!(prepared.starts_with(":::: {.content") && prepared.contains("\n::::\n\nAfter the div."), "{prepared}");
    }

    #[test]
    fn conditional_divs_spans_and_code_say_where_they_are_shown() {
        use crate::model::document::{Inline, Medium, Shown};
        let body = "::: {.content-visible when-format=\"pdf\"}\nIn print.\n:::\n\n::: {.content-hidden unless-format=\"html\"}\n::: {.callout-tip}\nOn screens.\n:::\n:::\n\n```{.python .content-visible when-format=\"html:js\"}\nprint(1)\n```\n\nA [b]{.content-visible when-meta=\"draft\"}.\n";
        let doc = parse(body, 1).document;
        // Where each starts, and whether its last line is at or after its content's.
        let shown: Vec<(Shown, u32, bool)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Only { shown, pos, last_line, .. } => Some((*shown, pos.line, *last_line >= pos.line + 2)),
                _ => None,
            })
            .collect();
        let print = Shown::NONE.with(Medium::Print);
        let screens = print.elsewhere();
        let site = Shown::NONE.with(Medium::Site);
        assert_eq!(shown, vec![(print, 1, true), (screens, 5, true), (site, 11, true)], "{:#?}", doc.blocks);
        assert!(
            matches!(&doc.blocks[1], Block::Only { blocks, .. } if matches!(blocks.as_slice(), [Block::Callout { .. }]))
        );
        assert!(
            matches!(&doc.blocks[2], Block::Only { blocks, .. } if matches!(blocks.as_slice(), [Block::Code { lang: Some(l), .. }] if l == "python"))
        );
        let Some(Block::Paragraph(i)) = doc.blocks.last() else { panic!("{:#?}", doc.blocks) };
        assert!(i.iter().any(|x| matches!(x, Inline::Span { shown, .. } if *shown == Shown::NONE)), "{i:#?}");
    }
}
