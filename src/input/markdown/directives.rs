//! comrak closes a fenced div (`:::`) at a `:::` line even inside a fenced
//! code block within the div, where pandoc reads the line as code: a
//! callout that shows the syntax of a div (Quarto's own guide does) ended
//! early, and the rest of the text fell into a div of its own. The lines of
//! fenced code that would close a div are found with the parser (a parse
//! without divs, whose code blocks are the same), and their first colon is
//! hidden from the parse that reads divs; the code gets it back.

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

/// What hides a colon: a byte of the same length, which the text has none of.
pub(super) const HIDDEN: char = '\u{1}';

/// `body` with the first colon of each `:::` line inside fenced code
/// hidden, when it has any.
pub(super) fn protect(body: &str) -> Option<String> {
    if !body.contains(":::") || !(body.contains("```") || body.contains("~~~")) || body.contains(HIDDEN) {
        return None;
    }
    let mut opts = super::options();
    opts.extension.block_directive = false;
    let arena = Arena::new();
    let root = parse_document(&arena, body, &opts);
    let starts = super::positions::line_starts(body);
    let mut hide = Vec::new();
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
            let end = starts.get(line).copied().unwrap_or(body.len());
            let text = &body[start..end];
            let indent = text.len() - text.trim_start_matches(' ').len();
            if indent <= 3 && text[indent..].starts_with(":::") {
                hide.push(start + indent);
            }
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
}
