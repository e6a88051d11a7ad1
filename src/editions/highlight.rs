//! Code blocks highlighted for the site and the EPUB, with the very grammars
//! typst highlights the PDF with (`typst::text::RAW_SYNTAXES`, two-face's
//! set), so a language is coloured in every edition or in none.
//!
//! The output is classes, not colours: `<span class="hl-keyword hl-rust">`,
//! one class per atom of the grammar's scope, prefixed with `hl-`. Each
//! edition's stylesheet decides what they look like: colours with a dark
//! variant on the site, weight and slant only in the EPUB (which sets no
//! colour, for e-ink and night modes). Text is escaped by syntect; a language
//! no grammar knows is left to the caller to print plain.

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference};

/// The prefix of every class the highlighter writes.
pub const PREFIX: &str = "hl-";

/// The grammar of a code block's language as written after its fence
/// (`rust`, `py`, `shell`…), when the set has one; plain text has none.
fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = &*typst::text::RAW_SYNTAXES;
    let lang = lang.trim();
    if lang.is_empty() {
        return None;
    }
    set.find_syntax_by_token(lang).filter(|s| s.name != "Plain Text")
}

/// `code` as highlighted XHTML (spans inside what will be a `<code>`), or
/// `None` when `lang` names no known grammar or the grammar fails on it. The
/// code must already be free of the characters XML forbids.
pub fn html(code: &str, lang: &str) -> Option<String> {
    let syntax = syntax(lang)?;
    let set = &*typst::text::RAW_SYNTAXES;
    let style = ClassStyle::SpacedPrefixed { prefix: PREFIX };
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut open: isize = 0;
    let mut out = String::with_capacity(code.len() * 2);
    // The set has no newlines in its grammars: each line is parsed alone.
    for (i, line) in code.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let ops = state.parse_line(line, set).ok()?;
        let (spans, delta) = line_tokens_to_classed_spans(line, &ops, style, &mut stack).ok()?;
        out.push_str(&spans);
        open += delta;
    }
    for _ in 0..open.max(0) {
        out.push_str("</span>");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_escaped_text() {
        let h = html("fn main() { let s = \"<b>&\"; } // done", "rust").expect("rust is known");
        assert!(h.contains("class=\"hl-"), "{h}");
        assert!(h.contains("hl-comment"), "{h}");
        assert!(h.contains("&lt;b&gt;&amp;"), "{h}");
        assert!(!h.contains("<b>"), "{h}");
        // Aliases as authors write them.
        assert!(html("x = 1", "py").is_some() && html("ls -l", "sh").is_some());
    }

    #[test]
    fn unknown_languages_and_plain_text_are_left_alone() {
        assert_eq!(html("anything", "no-such-language"), None);
        assert_eq!(html("anything", ""), None);
        assert_eq!(html("anything", "text"), None);
    }

    #[test]
    fn spans_are_balanced_across_lines() {
        let h = html("/* a\nb */ x\n\"open", "c").unwrap();
        assert_eq!(h.matches("<span").count(), h.matches("</span>").count(), "{h}");
        assert_eq!(h.lines().count(), 3);
    }
}
