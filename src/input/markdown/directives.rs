//! comrak closes a fenced div (`:::`) at a `:::` line even inside a fenced
//! code block within the div, where pandoc reads the line as code: a
//! callout that shows the syntax of a div (Quarto's own guide does) ended
//! early, and the rest of the text fell into a div of its own. The lines of
//! fenced code that would close a div are found with the parser (a parse
//! without divs, whose code blocks are the same), and their first colon is
//! hidden from the parse that reads divs; the code gets it back.
//!
//! comrak also refuses a div whose attributes hold a colon, which Quarto's
//! titles often do (`::: {.callout-note title="Setup: the data"}`): the
//! whole div printed as written. Those colons are hidden the same way, and
//! [`restore`] gives them back to the attributes.

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

/// What hides a colon: a byte of the same length, which the text has none of.
pub(super) const HIDDEN: char = '\u{1}';

/// `body` with the first colon of each `:::` line inside fenced code
/// hidden, when it has any.
pub(super) fn protect(body: &str) -> Option<String> {
    if !body.contains(":::") || body.contains(HIDDEN) {
        return None;
    }
    let starts = super::positions::line_starts(body);
    let line_at = |line: usize| {
        let start = starts[line];
        let end = starts.get(line + 1).copied().unwrap_or(body.len());
        (start, &body[start..end])
    };
    // Where a line opens a div: the byte after its colons, when its
    // attributes hold a colon of their own.
    let opens_with_colon = |text: &str| {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let fence = text[indent..].len() - text[indent..].trim_start_matches(':').len();
        (indent <= 3 && fence >= 3 && text[indent + fence..].trim_end().contains(':')).then_some(indent + fence)
    };
    let fenced_code = body.contains("```") || body.contains("~~~");
    if !fenced_code && !(0..starts.len()).any(|l| opens_with_colon(line_at(l).1).is_some()) {
        return None;
    }
    let mut opts = super::options();
    opts.extension.block_directive = false;
    let arena = Arena::new();
    let root = parse_document(&arena, body, &opts);
    let mut hide = Vec::new();
    let mut in_code = vec![false; starts.len()];
    for node in root.descendants() {
        let ast = node.data.borrow();
        let NodeValue::CodeBlock(c) = &ast.value else { continue };
        if !c.fenced {
            continue;
        }
        // The lines between the fences (1-based).
        let (first, last) = (ast.sourcepos.start.line + 1, ast.sourcepos.end.line);
        for line in first..=last {
            let Some(&start) = starts.get(line.saturating_sub(1)) else { continue };
            in_code[line - 1] = true;
            let end = starts.get(line).copied().unwrap_or(body.len());
            let text = &body[start..end];
            let indent = text.len() - text.trim_start_matches(' ').len();
            if indent <= 3 && text[indent..].starts_with(":::") {
                hide.push(start + indent);
            }
        }
    }
    for (line, code) in in_code.iter().enumerate() {
        let (start, text) = line_at(line);
        if let Some(info) = opens_with_colon(text).filter(|_| !code) {
            hide.extend(text[info..].match_indices(':').map(|(i, _)| start + info + i));
        }
    }
    if hide.is_empty() {
        return None;
    }
    let mut out = body.as_bytes().to_vec();
    for at in hide {
        out[at] = HIDDEN as u8;
    }
    String::from_utf8(out).ok()
}

/// Text read from a protected body, with its colons back.
pub(super) fn restore(text: &str) -> String {
    if text.contains(HIDDEN) { text.replace(HIDDEN, ":") } else { text.to_string() }
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
