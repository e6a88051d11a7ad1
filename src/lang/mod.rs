//! What depends on a text's language, in one place: typographic conventions,
//! the words the editions print, collation of names, the writing direction,
//! the region typst wants, and dates.
//!
//! Nothing here knows about editions or files: each function takes a language
//! tag (BCP 47) and text, so every edition asks the same questions and gets
//! the same answers.

pub mod collate;
pub mod date;
pub mod labels;
pub mod slug;
pub mod typography;

/// Languages written from right to left (by their primary subtag).
const RTL: &[&str] = &["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ku"];

/// The primary language subtag of a BCP 47 tag, lowercased: `fr` for `fr-CA`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// `written` as a normalised BCP 47 tag (`en-gb` → `en-GB`), or `None`
/// when it is not one.
pub fn normalised(written: &str) -> Option<String> {
    icu_locale_core::Locale::try_from_str(written).ok().map(|l| l.to_string())
}

/// Whether text in language `tag` is written from right to left.
pub fn is_rtl(tag: &str) -> bool {
    RTL.contains(&primary(tag).as_str())
}

/// `fr-CA` → (`fr`, `Some("CA")`): the language and the region apart, as
/// typst's `text(lang:, region:)` takes them (English when there is no tag).
pub fn lang_region(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split('-');
    let lang = parts.next().filter(|p| !p.is_empty()).unwrap_or("en").to_ascii_lowercase();
    let region = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()));
    (lang, region.map(|r| r.to_ascii_uppercase()))
}

/// Whether `c` belongs to a writing written without spaces between words
/// (Han ideographs, kana): lengths count such text in characters, as
/// Chinese and Japanese editors do, and the rest in words.
pub fn is_counted_as_character(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    // No Han or kana below U+2E80: most letters of most books are decided
    // without looking the script up.
    if (c as u32) < 0x2E80 {
        return false;
    }
    matches!(c.script(), Script::Han | Script::Hiragana | Script::Katakana)
        || matches!(c as u32, 0x3005 | 0x3006 | 0x30FC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_languages() {
        assert!(is_rtl("ar") && is_rtl("he-IL") && is_rtl("fa"));
        assert!(!is_rtl("fr") && !is_rtl("en-GB"));
    }

    #[test]
    fn languages_and_regions() {
        assert_eq!(lang_region("fr-CA"), ("fr".to_string(), Some("CA".to_string())));
        assert_eq!(lang_region("en"), ("en".to_string(), None));
    }
}
