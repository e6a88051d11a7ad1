//! What the fonts can set, known before anything is typeset: `check`
//! reports a script no text font sets (P004, with the package that has one)
//! and the characters no font at all can draw (P003), which would print as
//! empty boxes. The typst editions use the very fonts this looks at.

use std::collections::BTreeSet;
use std::path::Path;

use typst::text::FontInfo;

use super::script::Need;
use super::{FONTS_DIR, Fonts, Request, each_text, needs_of};
use crate::config::{BookConfig, PdfOptions};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::Essay;

/// The diagnostics of the book's fonts: one error per text and script that
/// no text font sets, one warning per text with characters no font draws.
/// `config` is the book's configuration, `sources` holds each text's file
/// as written, to point at the first character concerned.
pub fn check(
    root: &Path,
    config: &BookConfig,
    texts: &[&Essay],
    sources: &std::collections::BTreeMap<std::path::PathBuf, String>,
) -> Vec<Diagnostic> {
    // Most books only use characters the embedded fonts certainly have:
    // then there is no need to load any font.
    let pdf = &config.pdf;
    let mut rare = config.printed_text().iter().any(|s| s.chars().any(|c| !surely_covered(c)));
    for e in texts {
        each_text(e, &mut |s| rare |= s.chars().any(|c| !surely_covered(c)));
    }
    if !rare && pdf.font == PdfOptions::default().font {
        return Vec::new();
    }
    let request = Request::new(root, config, texts.iter().copied());
    let fonts = match Fonts::for_book(root, &request) {
        Ok(f) => f,
        Err(e) => return vec![Diagnostic::new(Code::MissingGlyphs, Location::file(FONTS_DIR), e.to_string())],
    };
    let infos = fonts.infos();
    let mut out = Vec::new();
    for e in texts {
        let needs = needs_of(e);
        let mut lacking = BTreeSet::new();
        for need in &needs {
            if fonts.choices().get(need).is_some_and(Option::is_none) {
                lacking.insert(*need);
                let at = first(e, sources, |c| super::script::need_of(c, &e.lang) == Some(*need));
                out.push(no_text_font(e, *need, pdf, at));
            }
        }
        let mut pieces = Vec::new();
        each_text(e, &mut |s| pieces.push(s.to_string()));
        let mut missing = uncovered(pieces.iter().map(String::as_str), &infos);
        // The characters of a script already reported are not listed again.
        missing.retain(|c| super::script::need_of(*c, &e.lang).is_none_or(|n| !lacking.contains(&n)));
        if missing.is_empty() {
            continue;
        }
        let list: String =
            missing.iter().take(12).map(|c| format!("{c} (U+{:04X})", *c as u32)).collect::<Vec<_>>().join(", ");
        let more = if missing.len() > 12 { format!(" and {} more", missing.len() - 12) } else { String::new() };
        out.push(
            Diagnostic::new(
                Code::MissingGlyphs,
                first(e, sources, |c| missing.contains(&c)),
                format!("no font of the book can print {list}{more}; they would appear as empty boxes"),
            )
            .hint("add a font that covers them (a .ttf or .otf file) to the book's fonts/ folder; `anthology fonts` lists the families"),
        );
    }
    out
}

/// Where the first character `wanted` is in the file of `e` (the file when
/// it is not in its text as written, as in an entity).
fn first(
    e: &Essay,
    sources: &std::collections::BTreeMap<std::path::PathBuf, String>,
    wanted: impl Fn(char) -> bool,
) -> Location {
    let Some(text) = sources.get(&e.file) else { return Location::file(&e.file) };
    match text.char_indices().find(|(_, c)| wanted(*c)) {
        Some((i, c)) => Location::at(&e.file, text, i..i + c.len_utf8()),
        None => Location::file(&e.file),
    }
}

/// P004 for `need` in essay `e`, with an example of the text and the fix.
fn no_text_font(e: &Essay, need: Need, pdf: &PdfOptions, at: Location) -> Diagnostic {
    let mut example = String::new();
    each_text(e, &mut |s| {
        if example.is_empty()
            && let Some(start) = s.find(|c| super::script::need_of(c, &e.lang) == Some(need))
        {
            let own = |c: char| super::script::need_of(c, &e.lang).is_none_or(|n| n == need);
            example = s[start..].chars().take_while(|c| own(*c)).take(24).collect::<String>();
            example = example.trim_end_matches(|c: char| !c.is_alphanumeric()).to_string();
        }
    });
    let system = if pdf.system_fonts {
        format!("install one (on Debian and Ubuntu: `apt install {}`), or ", need.package())
    } else {
        "`system_fonts = false` in [pdf] keeps the machine's fonts out; ".to_string()
    };
    Diagnostic::new(
        Code::NoTextFont,
        at,
        format!("no text font sets the {} text (\"{example}\"): it would print in a monospace face or as empty boxes", need.name()),
    )
    .hint(format!(
        "{system}put a .ttf or .otf font made for it in the book's fonts/ folder, or name a folder of fonts in [pdf] font_paths; `anthology fonts` shows what each script takes"
    ))
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
