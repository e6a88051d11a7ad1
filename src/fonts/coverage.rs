//! Glyph coverage: the characters of a book's texts that no font of the book
//! can draw, which would print as empty boxes. `check` reports them (P003)
//! before anything is typeset; the typst editions use the same fonts.

use std::collections::BTreeSet;
use std::path::Path;

use typst::text::FontInfo;

use super::{FONTS_DIR, book_fonts};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::Essay;
use crate::model::document::{Block, Inline};

/// One warning per text with characters that no font of the book can draw
/// (they would print as empty boxes), naming the characters.
pub fn missing_glyphs(root: &Path, texts: &[&Essay]) -> Vec<Diagnostic> {
    // Most books only use characters the embedded fonts certainly have:
    // then there is no need to load any font.
    let mut rare = false;
    for e in texts {
        let mut check = |s: &str| rare |= s.chars().any(|c| !surely_covered(c));
        check(&e.title);
        e.subtitle.as_deref().map(&mut check);
        for a in &e.authors {
            check(&a.name);
            a.bio.as_deref().map(&mut check);
            a.affiliation.as_deref().map(&mut check);
        }
        e.body.for_each_inline(&mut |i| match i {
            Inline::Text { text, .. } | Inline::Code(text) => check(text),
            Inline::Math { mathml: Ok(m), .. } => check(&crate::input::math::printed_text(m)),
            _ => {}
        });
        e.body.for_each_block(&mut |b| {
            if let Block::Code { text, .. } = b {
                check(text)
            }
        });
    }
    if !rare {
        return Vec::new();
    }
    let fonts = match book_fonts(root) {
        Ok(f) => f,
        Err(e) => return vec![Diagnostic::new(Code::MissingGlyphs, Location::file(FONTS_DIR), e.to_string())],
    };
    let mut infos: Vec<FontInfo> = super::embedded_infos();
    infos.extend(fonts.iter().map(|f| f.info().clone()));
    let mut out = Vec::new();
    for e in texts {
        let mut pieces: Vec<String> = vec![e.title.clone()];
        pieces.extend(e.subtitle.clone());
        for a in &e.authors {
            pieces.push(a.name.clone());
            pieces.extend(a.bio.clone());
            pieces.extend(a.affiliation.clone());
        }
        e.body.for_each_inline(&mut |i| match i {
            Inline::Text { text, .. } | Inline::Code(text) => pieces.push(text.clone()),
            // A formula prints the characters of its MathML, in the math font.
            Inline::Math { mathml: Ok(m), .. } => pieces.push(crate::input::math::printed_text(m)),
            _ => {}
        });
        e.body.for_each_block(&mut |b| {
            if let Block::Code { text, .. } = b {
                pieces.push(text.clone());
            }
        });
        let missing = uncovered(pieces.iter().map(String::as_str), &infos);
        if missing.is_empty() {
            continue;
        }
        let list: String =
            missing.iter().take(12).map(|c| format!("{c} (U+{:04X})", *c as u32)).collect::<Vec<_>>().join(", ");
        let more = if missing.len() > 12 { format!(" and {} more", missing.len() - 12) } else { String::new() };
        out.push(
            Diagnostic::new(
                Code::MissingGlyphs,
                Location::file(&e.file),
                format!("no font of the book can print {list}{more}; they would appear as empty boxes"),
            )
            .hint("add a font that covers them (a .ttf or .otf file) to the book's fonts/ folder; `anthology fonts` lists the families"),
        );
    }
    out
}

/// Characters the embedded fonts are known to cover (a unit test checks it):
/// Latin with its extensions, Greek, and common punctuation.
fn surely_covered(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32, 0x20..=0x7E | 0xA0..=0x24F | 0x391..=0x3A1 | 0x3A3..=0x3CE | 0x2010..=0x2027 | 0x2030..=0x203A | 0x20AC)
}

/// Invisible formatting characters (direction marks and embeddings, joiners,
/// the byte order mark): the layout uses them, no font draws them.
fn is_format(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF)
}

/// Characters of `text` that no font in `infos` can draw.
pub fn uncovered<'a>(text: impl Iterator<Item = &'a str>, infos: &[FontInfo]) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    for t in text {
        chars.extend(t.chars().filter(|c| !c.is_whitespace() && !c.is_control() && !is_format(*c)));
    }
    chars.retain(|c| !infos.iter().any(|i| i.coverage.contains(*c as u32)));
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_only_skips_covered_characters() {
        let infos = super::super::embedded_infos();
        let all: String = (0u32..0x2100).filter_map(char::from_u32).filter(|c| surely_covered(*c)).collect();
        let missing = uncovered(std::iter::once(all.as_str()), &infos);
        assert!(missing.is_empty(), "{missing:?}");
        let chinese = uncovered(std::iter::once("你好"), &infos);
        assert!(chinese.contains(&'你'), "{chinese:?}");
        let marks = uncovered(std::iter::once("\u{202E}reversed\u{202C} \u{200D}"), &infos);
        assert!(marks.is_empty(), "{marks:?}");
    }
}
