//! Citations written with pandoc's syntax, found in the text of an essay.
//!
//! Writers who cite already write `[@key]`, `[@key, p. 12]`,
//! `[see @a; @b]`, `[-@key]` and `@key says` in Markdown, because pandoc,
//! Quarto and bookdown read it; CommonMark leaves all of it as plain text,
//! so this pass finds it there and makes each a [`Citation`]. Only texts that
//! have references are searched, so a book that cites nothing never loses
//! an `@handle` or a bracket. In running text, `@word` is a citation only
//! when `word` is the key of a reference the text can cite (anything else is
//! a handle or an address and stays as written); a bracketed group is one
//! whatever its keys, and `check` reports a key no file defines.

use crate::model::document::{Citation, CiteItem, Document, Inline, Pos};

/// Finds the citations of `doc`, in its body and footnotes. `known` tells
/// whether a key names a reference the text can cite.
pub fn find(doc: &mut Document, known: &dyn Fn(&str) -> bool) {
    doc.each_inline_list(&mut |list, within| {
        // A citation links to its entry: none inside a link's text.
        if !within.link && list.iter().any(|i| matches!(i, Inline::Text { text, .. } if text.contains('@'))) {
            *list = in_list(std::mem::take(list), known);
        }
    });
}

/// The keys of the bracketed citations (`[@key]`, `[see @a; @b]`) of a
/// text that has no references, with where each is written: what would
/// print as written. Running `@word`s are handles there, not citations.
pub fn written(doc: &Document) -> Vec<(String, Pos)> {
    let mut found = doc.clone();
    find(&mut found, &|_| false);
    let mut out = Vec::new();
    found.for_each_inline(&mut |i| {
        if let Inline::Cite(c) = i {
            out.extend(c.items.iter().map(|item| (item.key.clone(), item.pos)));
        }
    });
    out
}

/// One run of text and soft breaks, as one string, with where each of its
/// elements starts in it.
struct Run {
    text: String,
    /// (byte offset in `text`, position in the file) of each text element.
    starts: Vec<(usize, Pos)>,
}

impl Run {
    /// The position in the file of byte `at` of the run (same line as the
    /// element it falls in; columns counted in bytes, as comrak counts).
    fn pos(&self, at: usize) -> Pos {
        let (start, pos) = self.starts.iter().rev().find(|(s, _)| *s <= at).copied().unwrap_or((0, Pos::default()));
        Pos { line: pos.line, col: pos.col + (at - start) as u32 }
    }

    /// Elements for `text[range]`: text, with each `\n` a soft break.
    fn elements(&self, range: std::ops::Range<usize>, out: &mut Vec<Inline>) {
        let mut at = range.start;
        for (k, piece) in self.text[range].split('\n').enumerate() {
            if k > 0 {
                out.push(Inline::SoftBreak);
                at += 1;
            }
            if !piece.is_empty() {
                out.push(Inline::Text { text: piece.to_string(), pos: self.pos(at) });
            }
            at += piece.len();
        }
    }
}

fn in_list(list: Vec<Inline>, known: &dyn Fn(&str) -> bool) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    let mut run = Run { text: String::new(), starts: Vec::new() };
    let flush = |run: &mut Run, out: &mut Vec<Inline>| {
        if !run.text.is_empty() {
            in_run(run, known, out);
        }
        *run = Run { text: String::new(), starts: Vec::new() };
    };
    for i in list {
        match i {
            Inline::Text { text, pos } => {
                run.starts.push((run.text.len(), pos));
                run.text.push_str(&text);
            }
            Inline::SoftBreak => run.text.push('\n'),
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Replaces the citations of one run by [`Inline::Cite`] elements.
fn in_run(run: &Run, known: &dyn Fn(&str) -> bool, out: &mut Vec<Inline>) {
    let text = &run.text;
    let mut done = 0;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c == '[' {
            if let Some((len, items)) = bracketed(rest) {
                let items: Vec<CiteItem> = items
                    .into_iter()
                    .map(|(at, mut item)| {
                        item.pos = run.pos(i + at);
                        item
                    })
                    .collect();
                run.elements(done..i, out);
                out.push(Inline::Cite(Box::new(Citation {
                    items,
                    narrative: false,
                    pos: run.pos(i),
                    rendered: Vec::new(),
                })));
                i += len;
                done = i;
                continue;
            }
        } else if c == '@'
            && text[..i].chars().next_back().is_none_or(|p| !p.is_alphanumeric() && p != '_')
            && let Some((key, key_len)) = key_at(&rest[1..])
            && known(&key)
        {
            let mut len = 1 + key_len;
            let mut item = CiteItem {
                key,
                prefix: String::new(),
                locator: None,
                suffix: String::new(),
                suppress_author: false,
                pos: run.pos(i),
            };
            // `@key [p. 12]`: a locator in brackets right after the key.
            let after = &rest[len..];
            if let Some(inner) = after.strip_prefix(" [").and_then(|a| a.find(']').map(|e| &a[..e]))
                && !inner.contains(['@', '[', '\n'])
            {
                let (locator, suffix) = locator(inner.trim());
                item.locator = locator;
                item.suffix = suffix;
                len += 2 + inner.len() + 1;
            }
            run.elements(done..i, out);
            out.push(Inline::Cite(Box::new(Citation {
                items: vec![item],
                narrative: true,
                pos: run.pos(i),
                rendered: Vec::new(),
            })));
            i += len;
            done = i;
            continue;
        }
        i += c.len_utf8();
    }
    run.elements(done..text.len(), out);
}

/// A bracketed citation group at the start of `s` (`[see @a, p. 2; @b]`):
/// its length and its items, each with the offset of its `@` in `s`.
fn bracketed(s: &str) -> Option<(usize, Vec<(usize, CiteItem)>)> {
    let end = s.find(']')?;
    let inner = &s[1..end];
    if !inner.contains('@') || inner.contains('[') {
        return None;
    }
    // `[@key](url)` or `[@key][ref]` would be a link, not a citation.
    if s[end + 1..].starts_with(['(', '[']) {
        return None;
    }
    let mut items = Vec::new();
    let mut offset = 1;
    for part in inner.split(';') {
        let at = find_key_start(part)?;
        let (suppress, prefix_end) = if part[..at].ends_with('-') { (true, at - 1) } else { (false, at) };
        let (key, key_len) = key_at(&part[at + 1..])?;
        let prefix = part[..prefix_end].trim().replace('\n', " ");
        let after = part[at + 1 + key_len..].replace('\n', " ");
        let (locator, suffix) = match after.trim_start().strip_prefix(',') {
            Some(l) => locator(l.trim()),
            None => (None, after.trim().to_string()),
        };
        items.push((
            offset + at,
            CiteItem { key, prefix, locator, suffix, suppress_author: suppress, pos: Pos::default() },
        ));
        offset += part.len() + 1;
    }
    // `[@fig-x]`, `[-@eq:y]`: cross-references, which Quarto and
    // pandoc-crossref keep apart from citations by these prefixes.
    if items.iter().all(|(_, i)| crate::input::crossref::prefixed(&i.key).is_some()) {
        return None;
    }
    Some((end + 1, items))
}

/// Where the `@` of an item's key is: the first `@` at the start of the
/// item or after a space or a `-`.
fn find_key_start(part: &str) -> Option<usize> {
    part.char_indices().find_map(|(i, c)| {
        let before = part[..i].chars().next_back();
        (c == '@' && before.is_none_or(|b| b.is_whitespace() || b == '-')).then_some(i)
    })
}

/// A citation key at the start of `s` (after the `@`): `{any key}` in
/// braces, or a letter, digit or `_` followed by letters, digits and the
/// punctuation `:.#$%&-+?<>~/` (never at its end). Returns the key and how
/// many bytes of `s` it takes.
pub fn key_at(s: &str) -> Option<(String, usize)> {
    if let Some(braced) = s.strip_prefix('{') {
        let end = braced.find('}')?;
        let key = &braced[..end];
        return (!key.is_empty() && !key.contains(['{', '\n'])).then(|| (key.to_string(), end + 2));
    }
    let first = s.chars().next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let mut end = 0;
    let mut last_word = 0;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
            last_word = end;
        } else if ":.#$%&-+?<>~/".contains(c) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let _ = end;
    Some((s[..last_word].to_string(), last_word))
}

/// The locator terms pandoc reads after the key (`p. 12`), each with the
/// CSL locator it names.
const TERMS: &[(&[&str], &str)] = &[
    (&["page", "pages", "p.", "pp."], "page"),
    (&["chapter", "chapters", "chap.", "chaps.", "ch."], "chapter"),
    (&["section", "sections", "sec.", "secs.", "§", "§§"], "section"),
    (&["paragraph", "paragraphs", "para.", "paras.", "¶", "¶¶"], "paragraph"),
    (&["volume", "volumes", "vol.", "vols."], "volume"),
    (&["book", "books", "bk.", "bks."], "book"),
    (&["part", "parts", "pt.", "pts."], "part"),
    (&["figure", "figures", "fig.", "figs."], "figure"),
    (&["line", "lines", "l.", "ll."], "line"),
    (&["note", "notes", "n.", "nn."], "note"),
    (&["verse", "verses", "v.", "vv."], "verse"),
    (&["column", "columns", "col.", "cols."], "column"),
    (&["folio", "folios", "fol.", "fols."], "folio"),
    (&["opus", "opera", "op.", "opp."], "opus"),
    (&["sub verbo", "s.v.", "s.vv."], "sub-verbo"),
];

/// Reads what follows `@key,`: a locator term and its value (`pp. 33-35`),
/// then the suffix. A bare number is a page, as in pandoc.
fn locator(s: &str) -> (Option<(String, String)>, String) {
    let lower = s.to_lowercase();
    let mut term = None;
    let mut rest = s;
    for (names, csl) in TERMS {
        for name in *names {
            if lower.starts_with(name) {
                let after = &s[name.len()..];
                // A word term needs a space after it; an abbreviation may be glued (`p.12`).
                let glued = name.ends_with('.') || name.starts_with(['§', '¶']) || after.starts_with(' ');
                if glued && term.is_none_or(|(n, _): (&str, &str)| n.len() < name.len()) {
                    term = Some((*name, *csl));
                    rest = after;
                }
            }
        }
    }
    let rest = rest.trim_start();
    let is_value = |t: &str| {
        let t = t.trim_end_matches(',');
        !t.is_empty()
            && (t.chars().any(|c| c.is_ascii_digit())
                || t.chars().all(|c| "ivxlcdmIVXLCDM".contains(c))
                || t.chars().all(|c| "-–—".contains(c)))
    };
    let mut value_end = 0;
    for (i, tok) in rest.split(' ').scan(0usize, |at, t| {
        let start = *at;
        *at += t.len() + 1;
        Some((start, t))
    }) {
        if is_value(tok) {
            value_end = i + tok.len();
        } else {
            break;
        }
    }
    let value = rest[..value_end].trim_end_matches(',').trim().to_string();
    let suffix = rest[value_end..].trim().trim_start_matches(',').trim().to_string();
    match (term, value.is_empty()) {
        (Some((_, csl)), false) => (Some((csl.to_string(), value)), suffix),
        (None, false) => (Some(("page".to_string(), value)), suffix),
        // A term without a value, or no locator at all: all of it is the suffix.
        _ => (None, s.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str, keys: &[&str]) -> Document {
        let mut d = crate::input::markdown::parse(md, 1).document;
        find(&mut d, &|k| keys.contains(&k));
        d
    }

    fn cites(d: &Document) -> Vec<Citation> {
        let mut out = Vec::new();
        d.for_each_inline(&mut |i| {
            if let Inline::Cite(c) = i {
                out.push((**c).clone());
            }
        });
        out
    }

    fn item(key: &str) -> CiteItem {
        CiteItem {
            key: key.into(),
            prefix: String::new(),
            locator: None,
            suffix: String::new(),
            suppress_author: false,
            pos: Pos::default(),
        }
    }

    fn without_pos(mut c: Citation) -> Citation {
        c.items.iter_mut().for_each(|i| i.pos = Pos::default());
        c.pos = Pos::default();
        c
    }

    #[test]
    fn bracketed_groups_with_prefixes_locators_and_suffixes() {
        let d = doc("As shown [see @doe99, pp. 33-35 and passim; -@smith04, chap. 1].", &["doe99", "smith04"]);
        let c = without_pos(cites(&d).remove(0));
        let mut a = item("doe99");
        a.prefix = "see".into();
        a.locator = Some(("page".into(), "33-35".into()));
        a.suffix = "and passim".into();
        let mut b = item("smith04");
        b.suppress_author = true;
        b.locator = Some(("chapter".into(), "1".into()));
        assert_eq!(c, Citation { items: vec![a, b], narrative: false, pos: Pos::default(), rendered: Vec::new() });
        let Some(crate::model::document::Block::Paragraph(p)) = d.blocks.first() else { panic!() };
        assert!(matches!(&p[0], Inline::Text { text, .. } if text == "As shown "));
        assert!(matches!(&p[2], Inline::Text { text, .. } if text == "."));
    }

    #[test]
    fn a_bare_number_is_a_page_and_unknown_terms_are_suffixes() {
        assert_eq!(locator("12"), (Some(("page".into(), "12".into())), String::new()));
        assert_eq!(locator("p.12"), (Some(("page".into(), "12".into())), String::new()));
        assert_eq!(locator("§ 4"), (Some(("section".into(), "4".into())), String::new()));
        assert_eq!(locator("emphasis mine"), (None, "emphasis mine".into()));
        assert_eq!(locator("vol. iv, p. 2"), (Some(("volume".into(), "iv".into())), "p. 2".into()));
    }

    #[test]
    fn narrative_citations_only_for_known_keys() {
        let d = doc("@doe99 says so, as @someone wrote to me@home and @doe99 [p. 4] too.", &["doe99"]);
        let c = cites(&d);
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|c| c.narrative));
        assert_eq!(c[1].items[0].locator, Some(("page".into(), "4".into())));
        let text = crate::model::document::plain_text(match &d.blocks[0] {
            crate::model::document::Block::Paragraph(p) => p,
            _ => panic!(),
        });
        assert!(text.contains("@someone wrote to me@home"), "{text}");
    }

    #[test]
    fn keys_end_before_trailing_punctuation_and_may_be_braced() {
        assert_eq!(key_at("doe99."), Some(("doe99".into(), 5)));
        assert_eq!(key_at("a:b/c-d, more"), Some(("a:b/c-d".into(), 7)));
        assert_eq!(key_at("{Author 2020}"), Some(("Author 2020".into(), 13)));
        assert_eq!(key_at(" x"), None);
        let c = cites(&doc("It was said (@doe99).", &["doe99"]));
        assert_eq!(c[0].items[0].key, "doe99");
    }

    #[test]
    fn brackets_that_are_not_citations_stay_text() {
        for md in ["[no key here]", "[mail me@x.org]", "[@doe99](https://e.org)", "[a @other; no key]"] {
            assert!(cites(&doc(md, &["doe99"])).is_empty(), "{md}");
        }
    }

    #[test]
    fn a_group_across_lines_and_in_footnotes() {
        let d = doc("Text [see @a;\n@b].[^n]\n\n[^n]: As in [@a, 3].", &["a", "b"]);
        let c = cites(&d);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].items.len(), 2);
        assert_eq!(c[0].items[1].pos.line, 2);
        assert_eq!(c[1].items[0].locator, Some(("page".into(), "3".into())));
    }

    #[test]
    fn positions_point_at_the_bracket_and_each_at_sign() {
        let d = doc("Some text [@a; @b] here.", &["a", "b"]);
        let c = &cites(&d)[0];
        assert_eq!((c.pos.line, c.pos.col), (1, 11));
        assert_eq!((c.items[0].pos.col, c.items[1].pos.col), (12, 16));
    }
}
