//! Typography by language: quotes, apostrophes and French spacing.
//!
//! One scanner finds every place where a text departs from its language's
//! conventions and proposes an [`Edit`]. `check` reports those places as
//! warnings; the editions apply the same edits with [`fix`], so what `check`
//! asks for and what the book prints can never disagree.
//!
//! The rules:
//! - English: `"` becomes “ or ”, `'` becomes ’ (or ‘ when it opens a quote).
//! - German: `"` becomes „ or “, `'` becomes ’.
//! - French: `"` becomes « or » with a narrow no-break space (U+202F) inside;
//!   `'` becomes ’; `; ! ?` take a narrow no-break space before them and `:`
//!   a no-break space (U+00A0); a space inside « » becomes a narrow no-break
//!   space, and one is added where missing. Times (`10:30`), URLs and
//!   e-mail addresses are left alone, and so is `?!`.
//! - Other languages are left as written.
//!
//! Whether a quote opens or closes depends on the character before it, which
//! may sit in the previous piece of text (before an emphasis, say): callers
//! pass it as `prev`.

use std::borrow::Cow;
use std::ops::Range;

/// Narrow no-break space, before `; ! ?` and inside guillemets in French.
pub const NNBSP: char = '\u{202F}';
/// No-break space, before `:` in French.
pub const NBSP: char = '\u{00A0}';

/// The conventions of a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// English quotes.
    English,
    /// French quotes and spacing.
    French,
    /// German quotes.
    German,
    /// Left as written.
    Unchanged,
}

impl Style {
    /// The style of a BCP 47 language tag.
    pub fn for_lang(lang: &str) -> Style {
        let primary = lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Style::English,
            "fr" => Style::French,
            "de" => Style::German,
            _ => Style::Unchanged,
        }
    }
}

impl Style {
    /// The language's quotation marks, and the space printed inside them
    /// (a narrow no-break space in French, none elsewhere).
    pub fn quotation_marks(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Style::French => ("«", "»", "\u{202F}"),
            Style::German => ("„", "“", ""),
            Style::English | Style::Unchanged => ("“", "”", ""),
        }
    }
}

/// The quotation marks readers of language `tag` expect around a title or
/// a quotation the editions print (a share card's quote, a post), and the
/// space inside them: « » with narrow no-break spaces in French, „ “ in
/// German, 「」 in Japanese, « » in Persian and Russian… This only prints
/// marks; which straight quotes a text's own words become is [`Style`]'s.
pub fn quotation_marks(tag: &str) -> (&'static str, &'static str, &'static str) {
    match super::primary(tag).as_str() {
        "fr" => Style::French.quotation_marks(),
        "de" | "cs" | "sk" | "da" => ("„", "“", ""),
        "pl" | "hu" | "ro" | "nl" | "he" => ("„", "”", ""),
        "ru" | "uk" | "es" | "it" | "pt" | "el" | "fa" | "ar" | "ca" | "nb" | "no" => ("«", "»", ""),
        "sv" | "fi" => ("”", "”", ""),
        "ja" => ("「", "」", ""),
        _ => ("“", "”", ""),
    }
}

/// What an edit fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A straight quote or apostrophe.
    Quotes,
    /// French spacing around punctuation.
    FrenchSpacing,
}

/// A change to a piece of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Bytes replaced.
    pub range: Range<usize>,
    /// What replaces them.
    pub replacement: String,
    /// The rule behind it.
    pub rule: Rule,
    /// The character the edit is about (for locating it in the source).
    pub at: char,
}

fn opens(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c.is_whitespace() || "([{«“‘„‚—–-/".contains(c),
    }
}

/// Byte ranges of words typography must not touch: URLs and e-mail addresses.
fn protected(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let w = &text[s..i];
                if w.contains("://") || w.starts_with("www.") || (w.contains('@') && w.contains('.')) {
                    out.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Every edit `text` needs in `style`; `prev` is the character before it.
pub fn edits(text: &str, style: Style, prev: Option<char>) -> Vec<Edit> {
    if style == Style::Unchanged {
        return Vec::new();
    }
    let skip = protected(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Edit> = Vec::new();
    let edit = |range: Range<usize>, replacement: String, rule: Rule, at: char, out: &mut Vec<Edit>| {
        if out.last().is_none_or(|e| e.range.end <= range.start) {
            out.push(Edit { range, replacement, rule, at });
        }
    };
    for (k, &(i, c)) in chars.iter().enumerate() {
        if skip.iter().any(|r| r.contains(&i)) {
            continue;
        }
        let before = if k == 0 { prev } else { Some(chars[k - 1].1) };
        let after = chars.get(k + 1).map(|&(_, c)| c);
        let end = i + c.len_utf8();
        // The previous char, when it is a plain or no-break space inside this text.
        let space_before = (k > 0 && matches!(chars[k - 1].1, ' ' | NBSP)).then(|| chars[k - 1].0);
        match (style, c) {
            (Style::English, '"') => {
                let q = if opens(before) { "“" } else { "”" };
                edit(i..end, q.into(), Rule::Quotes, c, &mut out);
            }
            (Style::German, '"') => {
                let q = if opens(before) { "„" } else { "“" };
                edit(i..end, q.into(), Rule::Quotes, c, &mut out);
            }
            (Style::English, '\'') => {
                let q = if opens(before) && after.is_some_and(char::is_alphabetic) { "‘" } else { "’" };
                edit(i..end, q.into(), Rule::Quotes, c, &mut out);
            }
            (Style::German | Style::French, '\'') => edit(i..end, "’".into(), Rule::Quotes, c, &mut out),
            (Style::French, '"') => {
                if opens(before) {
                    let (end, _) = if after == Some(' ') { (end + 1, ()) } else { (end, ()) };
                    edit(i..end, format!("«{NNBSP}"), Rule::Quotes, c, &mut out);
                } else {
                    let start = space_before.filter(|_| before == Some(' ')).unwrap_or(i);
                    edit(start..end, format!("{NNBSP}»"), Rule::Quotes, c, &mut out);
                }
            }
            (Style::French, '«') => match after {
                Some(' ' | NBSP) => edit(end..end + 1, NNBSP.into(), Rule::FrenchSpacing, c, &mut out),
                Some(a) if a != NNBSP && !a.is_whitespace() => {
                    edit(end..end, NNBSP.into(), Rule::FrenchSpacing, c, &mut out)
                }
                _ => {}
            },
            (Style::French, '»') => match before {
                Some(' ' | NBSP) if space_before.is_some() => {
                    let s = space_before.unwrap_or(i);
                    edit(s..i, NNBSP.into(), Rule::FrenchSpacing, c, &mut out)
                }
                Some(b) if b != NNBSP && !b.is_whitespace() => {
                    edit(i..i, NNBSP.into(), Rule::FrenchSpacing, c, &mut out)
                }
                _ => {}
            },
            (Style::French, ';' | '!' | '?' | ':') => {
                let wanted = if c == ':' { NBSP } else { NNBSP };
                // `10:30`, `a:b`, `?!`, `!!`: not sentence punctuation.
                let word_final = after.is_none_or(|a| a.is_whitespace() || ".,;:!?)»”’\"'…".contains(a));
                if !word_final || before.is_some_and(|b| "!?;:.".contains(b)) {
                    continue;
                }
                match before {
                    None => {}
                    Some(b) if b == wanted => {}
                    Some(' ' | NBSP) if space_before.is_some() => {
                        let s = space_before.unwrap_or(i);
                        if chars[k - 1].1 != wanted {
                            edit(s..i, wanted.into(), Rule::FrenchSpacing, c, &mut out);
                        }
                    }
                    Some(b) if !b.is_whitespace() && b != NNBSP && b != NBSP => {
                        edit(i..i, wanted.into(), Rule::FrenchSpacing, c, &mut out)
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out
}

/// `text` with every edit of [`edits`] applied.
pub fn fix<'a>(text: &'a str, style: Style, prev: Option<char>) -> Cow<'a, str> {
    let edits = edits(text, style, prev);
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8 * edits.len());
    let mut last = 0;
    for e in edits {
        out.push_str(&text[last..e.range.start]);
        out.push_str(&e.replacement);
        last = e.range.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(s: &str) -> String {
        fix(s, Style::French, None).into_owned()
    }

    #[test]
    fn english_quotes() {
        let s = fix("She said \"it's 'fine'\" in the '90s.", Style::English, None);
        assert_eq!(s, "She said “it’s ‘fine’” in the ’90s.");
    }

    #[test]
    fn german_quotes() {
        assert_eq!(fix("Er sagte \"ja\".", Style::German, None), "Er sagte „ja“.");
    }

    #[test]
    fn french_punctuation() {
        assert_eq!(
            fr("Vraiment? Oui! Ainsi; enfin: rien."),
            "Vraiment\u{202F}? Oui\u{202F}! Ainsi\u{202F}; enfin\u{a0}: rien."
        );
        assert_eq!(fr("Vraiment ? Oui !"), "Vraiment\u{202F}? Oui\u{202F}!");
        assert_eq!(
            fr("Il dit \"bonjour\" et l'autre «salut»."),
            "Il dit «\u{202F}bonjour\u{202F}» et l’autre «\u{202F}salut\u{202F}»."
        );
        assert_eq!(fr("« déjà »"), "«\u{202F}déjà\u{202F}»");
    }

    #[test]
    fn french_leaves_times_urls_and_correct_text_alone() {
        for s in [
            "À 10:30 précises",
            "Voir https://example.org/a?b=c:d ici",
            "Écrire à nom@exemple.fr ou www.exemple.fr!",
            "Vraiment\u{202F}?!",
            "Déjà correct\u{202F}; et\u{a0}: bien\u{202F}!",
            "«\u{202F}juste\u{202F}»",
        ] {
            assert_eq!(fr(s), s, "{s}");
        }
    }

    #[test]
    fn prev_decides_across_pieces() {
        // `"*Hi*"`: the closing quote follows the emphasis.
        assert_eq!(fix("\"", Style::English, Some('i')), "”");
        assert_eq!(fix("\"", Style::English, Some(' ')), "“");
        assert_eq!(fix("\"", Style::English, None), "“");
    }

    #[test]
    fn other_languages_unchanged() {
        assert_eq!(fix("\"x\" ?", Style::for_lang("it"), None), "\"x\" ?");
        assert_eq!(Style::for_lang("fr-CA"), Style::French);
        assert_eq!(Style::for_lang("en_GB"), Style::English);
    }

    #[test]
    fn edits_say_what_they_fix() {
        let e = edits("Oui? \"x\"", Style::French, None);
        assert_eq!(
            e.iter().map(|e| (e.rule, e.at)).collect::<Vec<_>>(),
            vec![(Rule::FrenchSpacing, '?'), (Rule::Quotes, '"'), (Rule::Quotes, '"'),]
        );
    }
}
