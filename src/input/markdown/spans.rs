//! pandoc's bracketed spans, `[text]{.smallcaps}` and the empty anchor
//! `[]{#here}`, which CommonMark leaves as text: made spans over the
//! parsed inline elements (comrak has done the brackets that are links),
//! so a span can hold emphasis, code or a citation, and an escaped
//! bracket (`\[`) is never one.

use super::attributes::{self, Attributes};
use crate::model::document::{Inline, Pos, SpanStyle};

/// `list` with each `[…]{attributes}` made a span; a bracket that opens or
/// closes no span stays text. `literal[i]` says `list[i]` was written
/// escaped. A span's id is pushed on `ids` at the span's position.
pub(super) fn bracketed(list: Vec<Inline>, literal: &[bool], ids: &mut Vec<(Pos, String)>) -> Vec<Inline> {
    let closes = |(i, lit): (&Inline, &bool)| !lit && matches!(i, Inline::Text { text, .. } if text.contains("]{"));
    if !list.iter().zip(literal).any(closes) {
        return list;
    }
    let mut spans = Spans { frames: vec![Frame::default()], ids };
    for (item, lit) in list.into_iter().zip(literal) {
        match item {
            Inline::Text { text, pos } if !lit => spans.text(&text, pos),
            other => spans.top().push(other),
        }
    }
    spans.finish()
}

/// What is inside one open bracket (the outermost frame is the list).
#[derive(Default)]
struct Frame {
    /// Where its `[` is.
    pos: Pos,
    content: Vec<Inline>,
}

struct Spans<'a> {
    frames: Vec<Frame>,
    ids: &'a mut Vec<(Pos, String)>,
}

impl Spans<'_> {
    fn top(&mut self) -> &mut Vec<Inline> {
        // The outermost frame is never popped.
        let last = self.frames.len() - 1;
        &mut self.frames[last].content
    }

    fn push_text(&mut self, text: &str, pos: Pos) {
        if text.is_empty() {
            return;
        }
        let top = self.top();
        match top.last_mut() {
            Some(Inline::Text { text: prev, .. }) => prev.push_str(text),
            _ => top.push(Inline::Text { text: text.to_string(), pos }),
        }
    }

    /// Closes the innermost bracket as text: `[`, its content, then `close`.
    fn unmatched(&mut self, close: &str, pos: Pos) {
        let Some(frame) = self.frames.pop() else { return };
        self.push_text("[", frame.pos);
        for i in frame.content {
            match i {
                Inline::Text { text, pos } => self.push_text(&text, pos),
                other => self.top().push(other),
            }
        }
        self.push_text(close, pos);
    }

    fn text(&mut self, text: &str, pos: Pos) {
        let at = |offset: usize| Pos { line: pos.line, col: pos.col + offset as u32 };
        let mut start = 0;
        let mut i = 0;
        while i < text.len() {
            let c = text.as_bytes()[i];
            if c == b'[' {
                self.push_text(&text[start..i], at(start));
                self.frames.push(Frame { pos: at(i), content: Vec::new() });
                i += 1;
                start = i;
            } else if c == b']' && self.frames.len() > 1 {
                self.push_text(&text[start..i], at(start));
                match attributes::leading(&text[i + 1..]) {
                    Some((attrs, n)) => {
                        self.span(attrs);
                        i += 1 + n;
                    }
                    None => {
                        self.unmatched("]", at(i));
                        i += 1;
                    }
                }
                start = i;
            } else {
                i += 1;
            }
        }
        self.push_text(&text[start..], at(start));
    }

    /// The innermost bracket closed by `attrs`: a span.
    fn span(&mut self, attrs: Attributes) {
        let Some(frame) = self.frames.pop() else { return };
        if let Some(id) = attrs.id.clone() {
            self.ids.push((frame.pos, id));
        }
        let style = if attrs.has_class("smallcaps") {
            Some(SpanStyle::SmallCaps)
        } else if attrs.has_class("underline") || attrs.has_class("ul") {
            Some(SpanStyle::Underline)
        } else if attrs.has_class("mark") {
            Some(SpanStyle::Mark)
        } else {
            None
        };
        let lang = attrs.get("lang").and_then(crate::lang::normalised);
        let shown = attrs.shown().unwrap_or_default();
        self.top().push(Inline::Span { content: frame.content, style, lang, pos: frame.pos, shown });
    }

    fn finish(mut self) -> Vec<Inline> {
        while self.frames.len() > 1 {
            let pos = self.frames[self.frames.len() - 1].pos;
            self.unmatched("", pos);
        }
        self.frames.pop().map(|f| f.content).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use crate::input::markdown::parse;
    use crate::model::document::{Block, Inline, SpanStyle, plain_text};

    fn inlines(md: &str) -> (Vec<Inline>, Vec<String>) {
        let doc = parse(md, 1).document;
        let Some(Block::Paragraph(i)) = doc.blocks.first() else { panic!("{doc:#?}") };
        (i.clone(), doc.ids.iter().map(|(_, id)| id.clone()).collect())
    }

    #[test]
    fn spans_with_their_styles_ids_and_languages() {
        let (i, ids) =
            inlines("A [Small *caps*]{.smallcaps} and [un]{.underline}, [hi]{.mark} [mot]{lang=fr}[]{#here}.\n");
        let spans: Vec<(String, Option<SpanStyle>, Option<String>)> = i
            .iter()
            .filter_map(|x| match x {
                Inline::Span { content, style, lang, .. } => Some((plain_text(content), *style, lang.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            spans,
            [
                ("Small caps".to_string(), Some(SpanStyle::SmallCaps), None),
                ("un".to_string(), Some(SpanStyle::Underline), None),
                ("hi".to_string(), Some(SpanStyle::Mark), None),
                ("mot".to_string(), None, Some("fr".to_string())),
                (String::new(), None, None),
            ]
        );
        assert_eq!(ids, ["here"]);
        assert_eq!(plain_text(&i), "A Small caps and un, hi mot.");
    }

    #[test]
    fn brackets_that_are_not_spans_stay_text() {
        for md in [
            "a [b] c {.x}",
            "a [b]{not attributes}",
            "a \\[b\\]{.smallcaps}",
            "a [b c",
            "a b]{.x}",
            "[a [b] c]",
            "a [b]\\{.x}",
        ] {
            let (i, _) = inlines(md);
            assert!(!i.iter().any(|x| matches!(x, Inline::Span { .. })), "{md}: {i:#?}");
            let text = plain_text(&i);
            assert_eq!(text, md.replace('\\', ""), "{md}");
        }
    }

    #[test]
    fn nested_brackets_and_spans() {
        let (i, _) = inlines("[a [b] [c]{.mark} d]{.smallcaps}");
        let [Inline::Span { content, style: Some(SpanStyle::SmallCaps), .. }] = i.as_slice() else { panic!("{i:#?}") };
        assert_eq!(plain_text(content), "a [b] c d");
        assert!(content.iter().any(|x| matches!(x, Inline::Span { style: Some(SpanStyle::Mark), .. })));
    }

    #[test]
    fn a_span_is_where_its_bracket_is() {
        let doc = parse("Text [x]{#mark-me}\n", 3).document;
        assert_eq!(doc.ids[0].0, crate::model::document::Pos { line: 3, col: 6 });
    }
}
