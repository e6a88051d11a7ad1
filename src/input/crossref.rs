//! Figures numbered in each text, and cross-references to them and to
//! headings, in the three syntaxes scholars write: Quarto's (`{#fig-x}`
//! after an image, `@fig-x`, `@sec-x`), pandoc-crossref's (`{#fig:x}`,
//! `@fig:x`, `[-@fig:x]`) and LaTeX's as papers for pandoc's PDF carry them
//! (`\label{fig:x}` in a caption or a heading, `\ref{…}`, `\autoref{…}`,
//! `\cref{…}`).
//!
//! CommonMark leaves all of it as text, so every edition would print it.
//! This pass, run once at load, numbers every figure that has a caption or
//! an id ("Figure 3: …" in the text's language, the same in every edition)
//! and turns each reference into a link to its target's anchor
//! (`Document::anchors`), whose text is what it names: "Figure 3", or the
//! heading's own text. A reference that names nothing of the text is
//! returned for `check` to report at its line.

use std::collections::HashMap;

use crate::lang::labels::Labels;
use crate::model::document::{
    Block, Document, FloatKind, Inline, PendingRef, Pos, RefTarget, Shown, anchor_of, plain_text,
};

/// The prefixes Quarto and pandoc-crossref reserve for what can be referred to.
/// bookdown's tables are `tab:`.
const PREFIXES: &[&str] = &["fig", "sec", "tbl", "tab", "eq", "lst", "thm", "lem", "cor", "prp", "def", "exm", "exr"];

/// The cross-reference prefix `key` starts with (`fig-`, `fig:`), if any.
pub fn prefixed(key: &str) -> Option<&'static str> {
    PREFIXES.iter().copied().find(|p| key.strip_prefix(p).is_some_and(|r| r.starts_with(['-', ':'])))
}

/// The word a figure's, table's or listing's number follows ("Figure").
fn word(labels: &Labels, kind: FloatKind) -> &str {
    match kind {
        FloatKind::Figure => &labels.figure,
        FloatKind::Table => &labels.table,
        FloatKind::Listing => &labels.listing,
        FloatKind::Equation => &labels.equation,
    }
}

/// `text` without its `\label{…}`, and the labels.
pub fn take_labels(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut labels = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\\label{") {
        let Some(end) = rest[i + 7..].find('}') else { break };
        out.push_str(&rest[..i]);
        labels.push(rest[i + 7..i + 7 + end].trim().to_string());
        rest = &rest[i + 7 + end + 1..];
    }
    out.push_str(rest);
    (out, labels)
}

/// Numbers the figures of `doc`, gives the labelled ones their anchors,
/// and turns its cross-references into links; keeps what they can lead to
/// in `doc.targets`, and those that name nothing of the text in
/// `doc.pending`, for [`across`].
pub fn resolve(doc: &mut Document, labels: &Labels) {
    let mut ids = std::mem::take(&mut doc.ids);
    let mut numbers = Numbers::default();
    number_blocks(&mut doc.blocks, labels, &mut ids, &mut numbers);
    doc.ids = ids;
    // What the text's references can lead to, by anchor: its numbered
    // figures, tables and listings, and its headings (no number).
    let anchors = doc.anchors();
    let mut targets: HashMap<String, RefTarget> = HashMap::new();
    for (pos, kind, n) in numbers.0 {
        if let Some(a) = anchors.get(&pos) {
            let name = format!("{} {n}", word(labels, kind));
            targets.insert(a.clone(), RefTarget { anchor: a.clone(), name, number: Some(n) });
        }
    }
    doc.for_each_block(&mut |b| {
        if let Block::Heading { content, pos, .. } = b
            && let Some(a) = anchors.get(pos)
        {
            let name = plain_text(content);
            targets.entry(a.clone()).or_insert_with(|| RefTarget { anchor: a.clone(), name, number: None });
        }
    });
    let mut pending = Vec::new();
    doc.each_inline_list(&mut |list, within| {
        if within.link || !list.iter().any(|i| matches!(i, Inline::Text { text, .. } if text.contains(['@', '\\']))) {
            return;
        }
        *list = in_list(std::mem::take(list), &targets, &mut pending);
    });
    doc.pending = pending;
    let mut found: Vec<RefTarget> = targets.into_values().collect();
    found.sort_by(|a, b| a.anchor.cmp(&b.anchor));
    doc.targets = found;
}

/// The figures, tables and listings numbered so far: where each starts,
/// what it is counted with, its number; and how many of each kind so far.
#[derive(Default)]
struct Numbers(Vec<(Pos, FloatKind, u32)>, HashMap<FloatKind, u32>);

impl Numbers {
    /// The next number of `kind`, for what starts at `pos`, and the words
    /// its caption starts with ("Figure 3: ").
    fn next(&mut self, kind: FloatKind, pos: Pos, labels: &Labels) -> String {
        let n = self.1.entry(kind).or_insert(0);
        *n += 1;
        let n = *n;
        self.0.push((pos, kind, n));
        format!("{} {n}{} ", word(labels, kind), labels.colon)
    }
}

/// Numbers `blocks`, where alternatives that no edition shows together
/// (Quarto's `.content-visible when-format="pdf"` beside `unless-format="pdf"`)
/// each start from the same numbers: an edition prints one of them, so
/// what follows continues from the one that numbered most.
fn number_blocks(blocks: &mut [Block], labels: &Labels, ids: &mut Vec<(Pos, String)>, numbers: &mut Numbers) {
    let mut k = 0;
    while k < blocks.len() {
        // The alternatives that start here: conditional blocks one after
        // the other, each shown where none of the others is.
        let mut end = k;
        let mut union = Shown::NONE;
        while let Some(Block::Only { shown, .. }) = blocks.get(end)
            && union.is_disjoint(*shown)
        {
            union = union.or(*shown);
            end += 1;
        }
        if end <= k + 1 {
            number_block(&mut blocks[k], labels, ids, numbers);
            k += 1;
            continue;
        }
        let start = numbers.1.clone();
        let mut most = start.clone();
        for b in &mut blocks[k..end] {
            numbers.1.clone_from(&start);
            number_block(b, labels, ids, numbers);
            for (kind, n) in &numbers.1 {
                let m = most.entry(*kind).or_insert(0);
                *m = (*m).max(*n);
            }
        }
        numbers.1 = most;
        k = end;
    }
}

fn number_block(b: &mut Block, labels: &Labels, ids: &mut Vec<(Pos, String)>, numbers: &mut Numbers) {
    match b {
        Block::Paragraph(i) => {
            equation(i, ids, numbers);
            // An image alone, or alone in a link when it has an id
            // (Quarto's `[![A map](map.png){#fig-map}](https://…)`).
            let image = match i.as_mut_slice() {
                [image @ Inline::Image { .. }] => Some(image),
                [Inline::Link { content, .. }] => match content.as_mut_slice() {
                    [image @ Inline::Image { .. }] => Some(image).filter(|image| match image {
                        Inline::Image { pos, .. } => ids.iter().any(|(p, _)| p == pos),
                        _ => false,
                    }),
                    _ => None,
                },
                _ => None,
            };
            if let Some(Inline::Image { alt, title, pos, .. }) = image {
                let (a, mut found) = take_labels(alt);
                let (t, more) = take_labels(title);
                found.extend(more);
                if !found.is_empty() {
                    *alt = a.trim().to_string();
                    *title = t.trim().to_string();
                }
                if let Some(label) = found.into_iter().next()
                    && !ids.iter().any(|(p, _)| p == pos)
                {
                    ids.push((*pos, label));
                }
                let has_id = ids.iter().any(|(p, _)| p == pos);
                if has_id && title.is_empty() {
                    // pandoc's caption is the alternative text.
                    title.clone_from(alt);
                }
                if has_id || !title.is_empty() {
                    let start = numbers.next(FloatKind::Figure, *pos, labels);
                    *title = format!("{start}{title}").trim_end().to_string();
                }
            }
        }
        Block::Heading { content, pos, .. } => {
            let mut found = Vec::new();
            for i in content.iter_mut() {
                if let Inline::Text { text, .. } = i
                    && text.contains("\\label{")
                {
                    let (t, l) = take_labels(text);
                    *text = t;
                    found.extend(l);
                }
            }
            if let Some(Inline::Text { text, .. }) = content.last_mut() {
                let trimmed = text.trim_end().len();
                text.truncate(trimmed);
            }
            if let Some(label) = found.into_iter().next()
                && !ids.iter().any(|(p, _)| p == pos)
            {
                ids.push((*pos, label));
            }
        }
        Block::Quote(b)
        | Block::Html { content: b, .. }
        | Block::Details { blocks: b, .. }
        | Block::Term { blocks: b, .. }
        | Block::Callout { blocks: b, .. }
        | Block::Only { blocks: b, .. } => number_blocks(b, labels, ids, numbers),
        Block::Float { kind, caption, blocks, pos } => {
            number_caption(caption, numbers.next(*kind, *pos, labels), *pos, labels);
            number_blocks(blocks, labels, ids, numbers);
        }
        Block::List { items, .. } => {
            for item in items {
                number_blocks(item, labels, ids, numbers)
            }
        }
        Block::Table { caption, pos, .. } => {
            if !caption.is_empty() || ids.iter().any(|(p, _)| p == pos) {
                number_caption(caption, numbers.next(FloatKind::Table, *pos, labels), *pos, labels);
            }
        }
        Block::Code { .. } | Block::Rule => {}
    }
}

/// A display formula alone in its paragraph with an id, after it as
/// Quarto writes it (`$$…$$ {#eq-x}`) or in it as LaTeX does
/// (`\label{eq:x}`): its id kept, the next equation number given as its
/// tag, the id's text taken out.
fn equation(inlines: &mut Vec<Inline>, ids: &mut Vec<(Pos, String)>, numbers: &mut Numbers) {
    let Some(Inline::Math { tex, display: true, pos, .. }) = inlines.first_mut() else { return };
    let (pos, mut id) = (*pos, None);
    if tex.contains("\\label{") {
        let (rest, found) = take_labels(tex);
        if let Some(l) = found.into_iter().next() {
            *tex = rest;
            id = Some(l);
        }
    }
    // `{#eq-x}` right after it; the text may go on after that.
    if let Some(Inline::Text { text, .. }) = inlines.get_mut(1)
        && let Some(rest) = text.trim_start().strip_prefix('{')
        && let Some(close) = rest.find('}')
        && let Some(given) = rest[..close].split_whitespace().find_map(|a| a.strip_prefix('#'))
    {
        id = Some(given.to_string());
        let remainder = rest[close + 1..].to_string();
        if remainder.is_empty() {
            inlines.remove(1);
        } else {
            *text = remainder;
        }
    }
    let Some(id) = id else { return };
    if !ids.iter().any(|(p, _)| *p == pos) {
        ids.push((pos, id));
    }
    let n = numbers.0.iter().filter(|(_, k, _)| *k == FloatKind::Equation).count() as u32 + 1;
    numbers.0.push((pos, FloatKind::Equation, n));
    if let Some(Inline::Math { tag, .. }) = inlines.first_mut() {
        *tag = Some(format!("({n})"));
    }
}

/// `caption` after `start` ("Table 2: "); `start` alone, without its
/// colon, when the caption is empty.
fn number_caption(caption: &mut Vec<Inline>, start: String, pos: Pos, labels: &Labels) {
    let start = if caption.is_empty() {
        start.trim_end().trim_end_matches(labels.colon.trim()).trim_end().to_string()
    } else {
        start
    };
    caption.insert(0, Inline::Text { text: start, pos });
}

/// A reference found in a run of text.
struct Found {
    /// Its bytes in the text.
    at: std::ops::Range<usize>,
    /// The key it names.
    key: String,
    /// Whether it asks for the number alone (`\ref`, `[-@fig-x]`).
    bare: bool,
    /// Whether any key may be meant (LaTeX's `\ref`), not only prefixed ones.
    latex: bool,
}

fn key_len(s: &str) -> usize {
    let n = s.find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))).unwrap_or(s.len());
    // A sentence's full stop or colon is not part of the key.
    s[..n].trim_end_matches(['.', ':']).len()
}

/// What a reference that gives the number alone prints: the number, in
/// parentheses for LaTeX's `\eqref`, as LaTeX prints it.
fn bare_number(written: &str, n: u32) -> String {
    if written.starts_with("\\eqref") { format!("({n})") } else { n.to_string() }
}

/// The anchors a reference's key may lead to: its own, and for a prefixed
/// key written with a colon (`fig:map`, as bookdown and pandoc-crossref
/// write them) the same with a dash (`fig-map`), since a fenced div's id
/// cannot hold a colon.
fn key_anchors(key: &str) -> Vec<String> {
    let mut out = vec![anchor_of(key)];
    if prefixed(key).is_some() && key.contains(':') {
        out.push(anchor_of(&key.replacen(':', "-", 1)));
    }
    out
}

/// The cross-references written in `text`: where each is, and the key it names.
pub fn references_in(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    find(text).into_iter().map(|f| (f.at, f.key)).collect()
}

/// The references of `text`, in order.
fn find(text: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        // bookdown's `\@ref(fig:x)` (CommonMark reads `\@` as `@`): the
        // number alone, as `\ref`.
        if let Some(after) = rest.strip_prefix("@ref(")
            && let Some(end) = after.find(')')
        {
            let len = 5 + end + 1;
            out.push(Found { at: i..i + len, key: after[..end].trim().to_string(), bare: true, latex: true });
            i += len;
            continue;
        }
        if rest.starts_with('\\') {
            let cmd =
                ["autoref", "Autoref", "cref", "Cref", "eqref", "ref"].iter().find(|c| rest[1..].starts_with(**c));
            if let Some(cmd) = cmd
                && rest[1 + cmd.len()..].starts_with('{')
                && let Some(end) = rest[2 + cmd.len()..].find('}')
            {
                let key = rest[2 + cmd.len()..2 + cmd.len() + end].trim().to_string();
                let len = 2 + cmd.len() + end + 1;
                out.push(Found { at: i..i + len, key, bare: *cmd == "ref" || *cmd == "eqref", latex: true });
                i += len;
                continue;
            }
        }
        let bracketed = [("[-@", true), ("[@", false)].into_iter().find_map(|(open, bare)| {
            let after = rest.strip_prefix(open)?;
            let n = key_len(after);
            (n > 0 && after[n..].starts_with(']') && prefixed(&after[..n]).is_some()).then(|| Found {
                at: i..i + open.len() + n + 1,
                key: after[..n].to_string(),
                bare,
                latex: false,
            })
        });
        if let Some(f) = bracketed {
            i = f.at.end;
            out.push(f);
            continue;
        }
        if rest.starts_with('@') && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'[')) {
            let n = key_len(&rest[1..]);
            if n > 0 && prefixed(&rest[1..1 + n]).is_some() {
                out.push(Found { at: i..i + 1 + n, key: rest[1..1 + n].to_string(), bare: false, latex: false });
                i += 1 + n;
                continue;
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

fn in_list(list: Vec<Inline>, targets: &HashMap<String, RefTarget>, pending: &mut Vec<PendingRef>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let Inline::Text { text, pos } = &item else {
            out.push(item);
            continue;
        };
        let found = find(text);
        if found.is_empty() {
            out.push(item);
            continue;
        }
        let at = |k: usize| Pos { line: pos.line, col: pos.col + k as u32 };
        let mut from = 0;
        for f in found {
            let kind = prefixed(&f.key);
            let anchor = key_anchors(&f.key).into_iter().find(|a| targets.contains_key(a)).unwrap_or_default();
            let content = match targets.get(&anchor) {
                Some(RefTarget { number: Some(n), .. }) if f.bare => Some(bare_number(&text[f.at.clone()], *n)),
                Some(RefTarget { number: Some(_), name, .. }) => Some(name.clone()),
                // A heading, by its text.
                Some(RefTarget { name, .. }) if kind.is_none_or(|k| k == "sec") => Some(name.clone()),
                _ => None,
            };
            let Some(content) = content else {
                if kind.is_some() || f.latex {
                    pending.push(PendingRef {
                        pos: at(f.at.start),
                        written: text[f.at.clone()].to_string(),
                        key: f.key.clone(),
                        bare: f.bare,
                        numbered: matches!(kind, None | Some("fig" | "sec" | "tbl" | "tab" | "lst" | "eq")),
                    });
                }
                continue;
            };
            if f.at.start > from {
                out.push(Inline::Text { text: text[from..f.at.start].to_string(), pos: at(from) });
            }
            let p = at(f.at.start);
            out.push(Inline::Link {
                url: format!("#{anchor}"),
                title: String::new(),
                content: vec![Inline::Text { text: content, pos: p }],
                pos: p,
            });
            from = f.at.end;
        }
        if from < text.len() {
            out.push(Inline::Text { text: text[from..].to_string(), pos: at(from) });
        }
    }
    out
}

/// Leads each text's pending cross-references to the figure or heading of
/// another text that has that id (`@sec-methods` in one chapter naming a
/// heading of another), as a link to that text; reports those that lead
/// nowhere in the book (T013), and those to what is not numbered (T014).
pub fn across(texts: &mut [&mut crate::model::book::Essay], diags: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::diagnostic::{Code, Diagnostic, Location};
    // An id given twice in a text: what names it leads to the first.
    for t in texts.iter() {
        // Where each id is first given, and where what it names is shown:
        // alternatives for different editions may give the same id.
        let mut first: HashMap<String, (Pos, Shown)> = HashMap::new();
        let shown = t.body.shown_by_pos();
        for (pos, id) in &t.body.ids {
            let here = shown(*pos);
            if let Some((_, there)) =
                first.get_mut(&anchor_of(id)).filter(|(was, there)| was == pos || there.is_disjoint(here))
            {
                *there = there.or(here);
            } else if let Some((was, _)) = first.get(&anchor_of(id)) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        Location::line_col(&t.file, pos.line as usize, pos.col as usize),
                        format!(
                            "the id `{id}` is given again (first on line {}): what names it leads to the first",
                            was.line
                        ),
                    )
                    .hint("give each figure, table and heading an id of its own"),
                );
            } else {
                first.insert(anchor_of(id), (*pos, here));
            }
        }
    }
    let mut index: HashMap<String, (std::path::PathBuf, RefTarget)> = HashMap::new();
    for t in texts.iter() {
        for target in &t.body.targets {
            index.entry(target.anchor.clone()).or_insert_with(|| (t.file.clone(), target.clone()));
        }
    }
    for t in texts.iter_mut() {
        for p in std::mem::take(&mut t.body.pending) {
            let at = Location::line_col(&t.file, p.pos.line as usize, p.pos.col as usize);
            let found =
                key_anchors(&p.key).iter().find_map(|a| index.get(a)).filter(|(file, _)| *file != t.file && p.numbered);
            match found {
                Some((file, target)) => {
                    let dir = t.file.parent().unwrap_or(std::path::Path::new(""));
                    let to = crate::files::relative(dir, file).to_string_lossy().replace('\\', "/");
                    let content = match target.number {
                        Some(n) if p.bare => bare_number(&p.written, n),
                        _ => target.name.clone(),
                    };
                    link_at(&mut t.body, &p, format!("{to}#{}", target.anchor), content);
                }
                None if p.numbered => diags.push(
                    Diagnostic::new(Code::UnknownCrossref, at, format!("`{}` names no figure or heading of the book", p.written))
                        .hint("give the figure or heading that id: `{#fig-x}` after the image, `{#sec-x}` after the heading, or `\\label{fig:x}` in its caption"),
                ),
                None => diags.push(
                    Diagnostic::new(
                        Code::CrossrefUnnumbered,
                        at,
                        format!(
                            "`{}` refers to a theorem, which the editions do not number yet: printed as written",
                            p.written
                        ),
                    )
                    .hint("refer to it in words (\"the table below\")"),
                ),
            }
        }
    }
}

/// The reference `p` in its text run made a link to `url` that says `content`.
fn link_at(doc: &mut Document, p: &PendingRef, url: String, content: String) {
    let mut done = false;
    doc.each_inline_list(&mut |list, within| {
        if done || within.link {
            return;
        }
        let found = list.iter().position(|i| match i {
            Inline::Text { text, pos } => {
                pos.line == p.pos.line
                    && pos.col <= p.pos.col
                    && text.get((p.pos.col - pos.col) as usize..).is_some_and(|rest| rest.starts_with(&p.written))
            }
            _ => false,
        });
        let Some(k) = found else { return };
        let Inline::Text { text, pos } = list.remove(k) else { return };
        let cut = (p.pos.col - pos.col) as usize;
        let mut parts = Vec::new();
        if cut > 0 {
            parts.push(Inline::Text { text: text[..cut].to_string(), pos });
        }
        parts.push(Inline::Link {
            url: url.clone(),
            title: String::new(),
            content: vec![Inline::Text { text: content.clone(), pos: p.pos }],
            pos: p.pos,
        });
        let end = cut + p.written.len();
        if end < text.len() {
            parts.push(Inline::Text {
                text: text[end..].to_string(),
                pos: Pos { line: pos.line, col: pos.col + end as u32 },
            });
        }
        list.splice(k..k, parts);
        done = true;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::markdown::parse;

    fn links(doc: &Document) -> Vec<(String, String)> {
        let mut out = Vec::new();
        doc.for_each_inline(&mut |i| {
            if let Inline::Link { url, content, .. } = i {
                out.push((url.clone(), plain_text(content)));
            }
        });
        out
    }

    fn captions(doc: &Document) -> Vec<String> {
        let mut out = Vec::new();
        doc.for_each_inline(&mut |i| {
            if let Inline::Image { title, .. } = i {
                out.push(title.clone());
            }
        });
        out
    }

    #[test]
    fn labelled_display_equations_are_numbered_and_referred_to() {
        let md = "By @eq-energy and \\eqref{eq:mass}, not $x$ {#eq-inline}.\n\n$$E = mc^2$$ {#eq-energy}\n\n$$\nm = \\rho V \\label{eq:mass}\n$$\n\n$$a + b$$\n\n$$c$$ {#eq-c}\nand the text goes on.\n";
        let mut doc = parse(md, 1).document;
        resolve(&mut doc, &Labels::for_lang("en"));
        assert!(doc.pending.is_empty(), "{:?}", doc.pending);
        assert_eq!(links(&doc), vec![("#eq-energy".into(), "Equation 1".into()), ("#eqmass".into(), "(2)".into())]);
        let mut tags = Vec::new();
        doc.for_each_inline(&mut |i| {
            if let Inline::Math { tex, tag, display: true, .. } = i {
                tags.push((tex.trim().to_string(), tag.clone()));
            }
        });
        assert_eq!(
            tags,
            vec![
                ("E = mc^2".into(), Some("(1)".into())),
                ("m = \\rho V".into(), Some("(2)".into())),
                ("a + b".into(), None),
                ("c".into(), Some("(3)".into()))
            ]
        );
    }

    #[test]
    fn the_three_syntaxes_lead_to_numbered_figures() {
        let md = "## Method {#sec-method}\n\nAs @fig-a and [@fig:b] show, and \\autoref{fig:c} (\\ref{fig:c}), see [-@fig-a] and @sec-method.\n\n\
                  ![A first](a.png){#fig-a width=50%}\n\n![Second](b.png \"The second\"){#fig:b}\n\n\
                  ![The third.\\label{fig:c}](c.png)\n\n![Not a figure of note](d.png)\n\nMail me at x@fig-a.org.\n";
        let mut doc = parse(md, 1).document;
        resolve(&mut doc, &Labels::for_lang("en"));
        assert!(doc.pending.is_empty(), "{:?}", doc.pending);
        assert_eq!(
            links(&doc),
            vec![
                ("#fig-a".into(), "Figure 1".into()),
                ("#figb".into(), "Figure 2".into()),
                ("#figc".into(), "Figure 3".into()),
                ("#figc".into(), "3".into()),
                ("#fig-a".into(), "1".into()),
                ("#sec-method".into(), "Method".into()),
                ("mailto:x@fig-a.org".into(), "x@fig-a.org".into()),
            ]
        );
        assert_eq!(captions(&doc), vec!["Figure 1: A first", "Figure 2: The second", "Figure 3: The third.", ""]);
        let anchors: Vec<String> = doc.anchors().into_values().collect();
        for a in ["fig-a", "figb", "figc", "sec-method"] {
            assert!(anchors.contains(&a.to_string()), "{a} in {anchors:?}");
        }
    }

    #[test]
    fn labels_in_the_text_language_and_what_leads_nowhere() {
        let md =
            "Voir @fig-a, @fig-z, @thm-t, \\ref{nothing}, @someone et [@smith2020].\n\n![Une image](a.png){#fig-a}\n";
        let mut doc = parse(md, 3).document;
        resolve(&mut doc, &Labels::for_lang("fr"));
        let missing = doc.pending.clone();
        let written: Vec<(&str, bool, u32)> =
            missing.iter().map(|u| (u.written.as_str(), u.numbered, u.pos.col)).collect();
        assert_eq!(written, vec![("@fig-z", true, 14), ("@thm-t", false, 22), ("\\ref{nothing}", true, 30)]);
        assert_eq!(links(&doc), vec![("#fig-a".into(), "Figure 1".into())]);
        assert_eq!(captions(&doc), vec!["Figure 1\u{a0}: Une image"]);
        assert!(missing.iter().all(|u| u.pos.line == 3));
    }

    #[test]
    fn bookdown_references_give_the_number() {
        let md = "See Figure \\@ref(fig:map) and \\@ref(intro).\n\n## Introduction {#intro}\n\n![The map](map.png){#fig:map}\n";
        let mut doc = parse(md, 1).document;
        resolve(&mut doc, &Labels::for_lang("en"));
        assert!(doc.pending.is_empty(), "{:?}", doc.pending);
        assert_eq!(links(&doc), vec![("#figmap".into(), "1".into()), ("#intro".into(), "Introduction".into())]);
    }

    #[test]
    fn a_heading_label_is_its_anchor_and_not_its_text() {
        let md = "## Results \\label{sec:results}\n\nIn \\autoref{sec:results}.\n";
        let mut doc = parse(md, 1).document;
        resolve(&mut doc, &Labels::for_lang("en"));
        assert!(doc.pending.is_empty());
        assert_eq!(links(&doc), vec![("#secresults".into(), "Results".into())]);
        let Block::Heading { content, .. } = &doc.blocks[0] else { panic!() };
        assert_eq!(plain_text(content), "Results");
    }

    #[test]
    fn alternatives_for_different_editions_are_numbered_once() {
        let body = "See @fig-a.\n\n::: {.content-visible unless-format=\"pdf\"}\n![Moving](a.gif){#fig-a}\n:::\n\n::: {.content-visible when-format=\"pdf\"}\n![Still](a.png){#fig-a}\n:::\n\n![Next](b.png){#fig-b}\n";
        let mut doc = parse(body, 1).document;
        resolve(&mut doc, &Labels::for_lang("en"));
        let mut caps = Vec::new();
        doc.for_each_inline(&mut |i| {
            if let Inline::Image { title, .. } = i {
                caps.push(title.clone());
            }
        });
        assert_eq!(caps, ["Figure 1: Moving", "Figure 1: Still", "Figure 2: Next"]);
        let mut anchors: Vec<String> = doc.anchors().into_values().collect();
        anchors.sort();
        assert_eq!(anchors, ["fig-a", "fig-a", "fig-b"]);
        assert_eq!(links(&doc), [("#fig-a".to_string(), "Figure 1".to_string())]);
    }
}
