//! Stage 2, validate: every rule of `[rules]` and every book-wide constraint.
//!
//! Runs over everything [`load`](crate::input) read, essays in parallel, and
//! returns all diagnostics at once. It reads the model and the sources only;
//! the file system is touched only to check that linked files exist, through
//! the same safe resolution as images.

mod raw;
pub mod stats;
mod translations;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::config::{BOOK_FILE, OrderBy, Rules};
use crate::diagnostic::{Code, Diagnostic, Location, offset_of};
use crate::input::assets::{self, Asset, AssetProblem, has_scheme};
use crate::input::{Loaded, value_span};
use crate::lang::typography::{self, Rule, Style};
use crate::model::book::{Essay, Kind};
use crate::model::document::{Block, Inline, Pos, Shown};

/// Every problem in the loaded book, besides those found while loading.
pub fn validate(loaded: &Loaded) -> Vec<Diagnostic> {
    // Without a usable book.toml the limits are unknown: length is not judged.
    let rules = loaded
        .config
        .as_ref()
        .map_or_else(|| Rules { min_words: 0, max_words: usize::MAX, ..Rules::default() }, |c| c.rules.clone());
    // Translations are texts like any other, under the same rules (their
    // authors' photo and bio are the original's).
    let originals = loaded.texts().map(|e| (e, false));
    let all: Vec<(&Essay, bool)> = originals.chain(loaded.translations.iter().map(|t| (&t.text, true))).collect();
    // Every text's heading anchors, for links to `other.md#a-heading`.
    let anchors: Anchors =
        all.iter().map(|(e, _)| (e.file.clone(), e.body.anchors().into_values().collect())).collect();
    let mut diags: Vec<Diagnostic> = all
        .par_iter()
        .flat_map_iter(|&(e, translation)| {
            let text = loaded.sources.get(&e.file).map_or("", String::as_str);
            let mut d = essay(&loaded.root, e, text, &rules, &anchors, translation);
            d.extend(citations(&loaded.root, e, text, &loaded.sources));
            d
        })
        .collect();
    diags.extend(book_wide(loaded));
    diags.extend(translations::check(loaded));
    diags
}

/// Where something is in a source file, as a diagnostic location.
fn at(e: &Essay, text: &str, pos: Pos) -> Location {
    match offset_of_byte_col(text, pos) {
        Some(off) => Location::at(&e.file, text, off..off),
        None => Location::line_col(&e.file, pos.line as usize, pos.col as usize),
    }
}

fn offset_of_byte_col(text: &str, pos: Pos) -> Option<usize> {
    let line_start = offset_of(text, pos.line as usize, 1)?;
    let off = line_start + (pos.col as usize).saturating_sub(1);
    (off <= text.len() && text.is_char_boundary(off)).then_some(off)
}

/// Span of a front-matter value in the essay's file, or its first line.
fn fm_value(e: &Essay, text: &str, value: &str) -> Location {
    let end = text.get(3..).and_then(|t| t.find("\n+++")).map_or(text.len(), |i| i + 3);
    let span = value_span(text, 0..end, value);
    if span.is_empty() { Location::line_col(&e.file, 1, 1) } else { Location::at(&e.file, text, span) }
}

fn asset_diagnostic(asset: &Asset, loc: Location, what: &str, rules: &Rules, photo: bool) -> Option<Diagnostic> {
    let w = &asset.written;
    Some(match &asset.image {
        Err(AssetProblem::Missing) => Diagnostic::new(Code::ImageMissing, loc, format!("{what} `{w}` does not exist"))
            .hint("paths are relative to the essay's file; put the image beside it"),
        Err(AssetProblem::Outside) => Diagnostic::new(
            Code::PathOutsideBook,
            loc,
            format!("{what} `{w}` is outside the book's folder; it was not read"),
        )
        .hint("copy the image into the essay's folder"),
        Err(AssetProblem::Remote) => Diagnostic::new(Code::ImageMissing, loc, format!("{what} `{w}` is a remote URL"))
            .hint("the editions are built offline: download the image into the essay's folder and link to the file"),
        Err(AssetProblem::Unreadable(why)) => {
            Diagnostic::new(Code::ImageUnreadable, loc, format!("{what} `{w}` cannot be used: {why}"))
                .hint("use a PNG, JPEG, WebP, GIF or SVG image")
        }
        // An SVG is drawn at any size: neither limit in pixels applies to it.
        Ok(info) if info.format == crate::model::asset::ImageFormat::Svg => return None,
        Ok(info) if u64::from(info.width) * u64::from(info.height) > rules.max_image_pixels => Diagnostic::new(
            Code::ImageTooLarge,
            loc,
            format!(
                "{what} `{w}` is {}×{} pixels, over the limit of {} pixels; it was not decoded",
                info.width, info.height, rules.max_image_pixels
            ),
        )
        .hint(
            "scale the image down (3000 pixels on the long side print 25 cm at 300 dpi), or raise \
             `[rules] max_image_pixels` in book.toml if the machines that build the book have the memory \
             (4 bytes a pixel)",
        ),
        Ok(info) if photo && info.width.min(info.height) < rules.min_photo_pixels => Diagnostic::new(
            Code::ImageTooSmall,
            loc,
            format!(
                "{what} `{w}` is {}×{} pixels; print needs at least {} on each side",
                info.width, info.height, rules.min_photo_pixels
            ),
        )
        .hint("send a larger photo"),
        Ok(_) => return None,
    })
}

/// Checks of one text.
/// The anchors of each text's headings, by file.
type Anchors = std::collections::HashMap<std::path::PathBuf, BTreeSet<String>>;

/// An essay's length as the word limits count it: "812 words", or, with
/// Chinese or Japanese text, counted one per character, saying so.
fn length(e: &Essay) -> String {
    let mut cjk = false;
    e.body.for_each_inline(&mut |i| {
        if let crate::model::document::Inline::Text { text, .. } = i {
            cjk |= text.chars().any(crate::lang::is_counted_as_character);
        }
    });
    if cjk {
        format!("{} words (Chinese and Japanese text counted one per character)", e.words)
    } else {
        format!("{} words", e.words)
    }
}

/// The rules of one text; a `translation` takes what its authors lack
/// (photo, bio) from its original.
fn essay(root: &Path, e: &Essay, text: &str, rules: &Rules, anchors: &Anchors, translation: bool) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let is_essay = e.kind == Kind::Essay;
    let required = is_essay && !translation;

    for a in &e.authors {
        let loc = || fm_value(e, text, &a.name);
        match &a.photo {
            Some(photo) => {
                let loc = fm_value(e, text, &photo.written);
                d.extend(asset_diagnostic(photo, loc, "photo", rules, true));
            }
            None if rules.require_photo && required => d.push(
                Diagnostic::new(Code::MissingPhoto, loc(), format!("{} has no photo", a.name))
                    .hint("add `photo = \"portrait.jpg\"` under this author, with the file beside the essay"),
            ),
            None => {}
        }
        if rules.require_bio && required && a.bio.as_deref().is_none_or(|b| b.trim().is_empty()) {
            d.push(
                Diagnostic::new(Code::MissingBio, loc(), format!("{} has no bio", a.name))
                    .hint("add `bio = \"…\"` under this author: two or three sentences"),
            );
        }
    }

    if e.body.is_empty() && e.kind != Kind::Intro {
        d.push(
            Diagnostic::new(Code::EmptyEssay, Location::file(&e.file), "the text is empty")
                .hint("write the essay below the closing +++"),
        );
    } else if is_essay && e.words < rules.min_words {
        d.push(
            Diagnostic::new(
                Code::TooFewWords,
                Location::file(&e.file),
                format!("{}; the book asks for at least {}", length(e), rules.min_words),
            )
            .hint("the limits are in book.toml, [rules] min_words and max_words"),
        );
    } else if is_essay && e.words > rules.max_words {
        d.push(
            Diagnostic::new(
                Code::TooManyWords,
                Location::file(&e.file),
                format!("{}; the book allows at most {}", length(e), rules.max_words),
            )
            .hint(format!("cut about {} words", e.words - rules.max_words)),
        );
    }

    e.body.for_each_block(&mut |b| match b {
        Block::Heading { level: 1, pos, .. } => d.push(
            Diagnostic::new(Code::LevelOneHeading, at(e, text, *pos), "a level-one heading in the text")
                .hint("the title comes from the front matter; use `##` for the essay's own headings"),
        ),
        Block::Html { pos, html, .. } if !rules.allow_html => d.push(raw_html(e, text, *pos, html, 0)),
        Block::Paragraph(i) | Block::Heading { content: i, .. } if !rules.allow_html => {
            d.extend(inline_html(e, text, i))
        }
        Block::Table { rows, .. } if !rules.allow_html => {
            d.extend(rows.iter().flatten().flat_map(|c| inline_html(e, text, &c.content)));
        }
        // Allowed, but not all of it reaches the editions: say what the sanitiser removed.
        Block::Html { left_out, .. } => d.extend(left_out.iter().map(|l| sanitised(e, text, l))),
        Block::Paragraph(i) | Block::Heading { content: i, .. } => d.extend(dropped_tags(e, text, i)),
        Block::Table { rows, .. } => d.extend(rows.iter().flatten().flat_map(|c| dropped_tags(e, text, &c.content))),
        Block::Only { shown, pos, .. } if *shown == Shown::NONE => d.push(shown_nowhere(e, text, *pos)),
        _ => {}
    });
    e.body.for_each_block(&mut |b| {
        if let Block::Heading { content, pos, .. } = b
            && crate::model::document::plain_text(content).trim().is_empty()
            && !content.iter().any(|i| matches!(i, Inline::Image { .. } | Inline::Math { .. }))
        {
            d.push(
                Diagnostic::new(Code::EmptyHeading, at(e, text, *pos), "a heading with no text")
                    .hint("give the heading its words, or remove the line"),
            );
        }
    });

    d.extend(raw::raw_markup(e, text));

    e.body.for_each_inline(&mut |i| match i {
        Inline::Math { tex, mathml: Err(err), pos, .. } => d.push(invalid_math(e, text, *pos, tex, err)),
        Inline::Span { shown, pos, .. } if *shown == Shown::NONE => d.push(shown_nowhere(e, text, *pos)),
        _ => {}
    });

    for img in &e.images {
        let loc = at(e, text, img.pos);
        d.extend(asset_diagnostic(&img.asset, loc.clone(), "image", rules, false));
        if img.alt.trim().is_empty() {
            d.push(
                Diagnostic::new(Code::MissingAlt, loc, format!("the image `{}` has no alt text", img.asset.written))
                    .hint("describe the image between the brackets: ![A portrait drawn in ink](portrait.png)"),
            );
        }
    }

    let mut referenced = BTreeSet::new();
    e.body.for_each_inline(&mut |i| match i {
        Inline::Link { url, pos, .. } => d.extend(link(root, e, text, url, *pos, anchors)),
        Inline::FootnoteRef { name, .. } => {
            referenced.insert(name.clone());
        }
        Inline::Text { text: t, pos } if t.contains("[^") => {
            if let Some(i) = t.find("[^")
                && let Some(j) = t[i..].find(']')
            {
                let name = &t[i + 2..i + j];
                let p = Pos { line: pos.line, col: pos.col + i as u32 };
                d.push(
                    Diagnostic::new(Code::Footnote, at(e, text, p), format!("footnote `[^{name}]` has no definition"))
                        .hint(format!("add a line `[^{name}]: the note` at the end of the essay")),
                );
            }
        }
        _ => {}
    });

    if rules.typography {
        d.extend(typography_warnings(e, text));
    }
    d
}

/// A text's citations against its references: keys no file defines, entries
/// of its own files it never cites, a style that cannot be read.
fn citations(
    root: &Path,
    e: &Essay,
    text: &str,
    sources: &std::collections::BTreeMap<std::path::PathBuf, String>,
) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let library = &e.references.library;
    let mut cited = BTreeSet::new();
    e.body.for_each_inline(&mut |i| {
        let Inline::Cite(c) = i else { return };
        for item in &c.items {
            cited.insert(item.key.as_str());
            if library.get(&item.key).is_some() {
                continue;
            }
            let keys: Vec<&str> = library.keys().collect();
            let hint = match crate::config::toml_input::suggest(&item.key, &keys) {
                Some(near) => format!("did you mean `@{near}`?"),
                None => "add an entry with this key to the essay's references.bib (or references.yaml)".into(),
            };
            d.push(
                Diagnostic::new(
                    Code::UnknownCitation,
                    at(e, text, item.pos),
                    format!("`@{}` is cited, but no reference file of this text defines it", item.key),
                )
                .hint(hint),
            );
        }
    });
    // `@word` that is no key but nearly one: a typo, most likely, that would
    // print as written instead of as a citation.
    if !library.is_empty() {
        let keys: Vec<&str> = library.keys().collect();
        e.body.for_each_inline(&mut |i| {
            let Inline::Text { text: t, pos } = i else { return };
            for (k, _) in t.match_indices('@') {
                if t[..k].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let Some((word, _)) = crate::input::citations::key_at(&t[k + 1..]) else { continue };
                if library.get(&word).is_some() {
                    continue;
                }
                if let Some(near) = crate::config::toml_input::suggest(&word, &keys) {
                    let p = Pos { line: pos.line, col: pos.col + k as u32 };
                    d.push(
                        Diagnostic::new(
                            Code::NearCitation,
                            at(e, text, p),
                            format!("`@{word}` is not a citation: no reference has this key"),
                        )
                        .hint(format!("did you mean `@{near}`? (a handle or an address stays as written)")),
                    );
                }
            }
        });
    }
    for def in &e.references.own {
        if !cited.contains(def.key.as_str()) {
            let file_text = sources.get(&def.file).map_or("", String::as_str);
            d.push(
                Diagnostic::new(
                    Code::UnusedReference,
                    Location::at(&def.file, file_text, def.span.clone()),
                    format!(
                        "`{}` is never cited in {}, so no edition prints it",
                        def.key,
                        crate::diagnostic::slash_path(&e.file)
                    ),
                )
                .hint(format!("cite it with [@{}], or remove the entry", def.key)),
            );
        }
    }
    if let Some(style) = &e.references.style
        && let Err((message, hint)) = crate::cite::style(root, &e.dir, style)
    {
        d.push(Diagnostic::new(Code::UnknownStyle, fm_value(e, text, style), message).hint(hint));
    }
    d
}

fn raw_html(e: &Essay, text: &str, pos: Pos, html: &str, more: usize) -> Diagnostic {
    let tag: String = html.lines().next().unwrap_or("").chars().take(40).collect();
    let mut loc = at(e, text, pos);
    if let Some(span) = &loc.span
        && text[span.start..].starts_with(tag.as_str())
    {
        loc.span = Some(span.start..span.start + tag.len());
    }
    let more = if more > 0 { format!(" (and {more} more in this paragraph)") } else { String::new() };
    Diagnostic::new(Code::RawHtml, loc, format!("raw HTML `{tag}` in the text{more}"))
        .hint("use Markdown instead; an editor may allow HTML with `allow_html = true` under [rules]")
}

/// Whether a piece of raw HTML is only a comment, which no edition prints.
/// Conditional content at `pos` that no edition shows (T017), its
/// attributes quoted from its line.
fn shown_nowhere(e: &Essay, text: &str, pos: Pos) -> Diagnostic {
    let line = text.lines().nth(pos.line.saturating_sub(1) as usize).unwrap_or("");
    let written = line.find('{').and_then(|i| line[i..].find('}').map(|j| &line[i..=i + j])).unwrap_or("");
    Diagnostic::new(
        Code::ShownNowhere,
        at(e, text, pos),
        format!("`{written}` shows this content in no edition: it is left out of the PDF, the EPUB and the website"),
    )
    .hint(
        "`when-format` takes `pdf` (or `latex`, `typst`), `epub`, `html` (the EPUB and the website) or `html:js` \
         (the website); a condition on `when-meta` or `when-profile` never holds here",
    )
}

fn is_comment(html: &str) -> bool {
    let h = html.trim();
    h.starts_with("<!--") && h.ends_with("-->")
}

/// A warning for an inline HTML tag the editions leave out, though the rules allow HTML.
fn left_out(e: &Essay, text: &str, pos: Pos, html: &str) -> Diagnostic {
    let tag: String = html.trim().lines().next().unwrap_or("").chars().take(40).collect();
    Diagnostic::new(
        Code::HtmlLeftOut,
        at(e, text, pos),
        format!("`{tag}`: this HTML tag is left out of every edition, its text kept"),
    )
    .hint(format!(
        "inside a paragraph the editions carry only these tags, without attributes: {}; a block of HTML (a table, a list, a figure) is carried whole",
        crate::input::markdown::ALLOWED_TAGS.join(", ")
    ))
}

/// A warning for what the sanitiser removed from an HTML block.
fn sanitised(e: &Essay, text: &str, l: &crate::model::document::LeftOut) -> Diagnostic {
    let kept = if l.text_kept { ", its text kept" } else { "" };
    Diagnostic::new(Code::HtmlLeftOut, at(e, text, l.pos), format!("{}: left out of every edition{kept}", l.what))
        .hint("the editions carry HTML's text, tables, lists, figures, images, links and emphasis; never scripts, styles, frames or forms")
}

/// An error for math the converter cannot read, at the place in the formula.
fn invalid_math(e: &Essay, text: &str, pos: Pos, tex: &str, err: &crate::model::document::MathError) -> Diagnostic {
    // Where the formula starts in the file: after `$`, `$$`, or on the line after a fence.
    let mut start = offset_of_byte_col(text, pos);
    if let Some(s) = start {
        let after = text[s..].find(tex).filter(|i| *i <= 2);
        start = after.map(|i| s + i);
    }
    let loc = match start {
        Some(s) => {
            let off = s + err.offset.min(tex.len());
            Location::at(&e.file, text, off..off)
        }
        None => at(e, text, pos),
    };
    let shown: String = tex.trim().chars().take(40).collect();
    Diagnostic::new(Code::InvalidMath, loc, format!("the math `{shown}` cannot be read: {}", err.message))
        .hint("write LaTeX math as in a LaTeX document; `\\$` is a dollar sign in the text")
}

/// The first inline HTML tag of a paragraph that the editions drop, as a warning.
fn dropped_tags(e: &Essay, text: &str, inlines: &[Inline]) -> Option<Diagnostic> {
    fn first(inlines: &[Inline]) -> Option<(Pos, &str)> {
        inlines.iter().find_map(|i| match i {
            Inline::Html { pos, html }
                if crate::input::markdown::allowed_inline_tag(html).is_none() && !is_comment(html) =>
            {
                Some((*pos, html.as_str()))
            }
            other => inside(other).and_then(|c| first(c)),
        })
    }
    let (pos, html) = first(inlines)?;
    Some(left_out(e, text, pos, html))
}

/// What an inline element holds that raw HTML may be in: styled text, a
/// link's text.
fn inside(i: &Inline) -> Option<&Vec<Inline>> {
    match i {
        Inline::Link { content, .. } => Some(content),
        other => other.styled(),
    }
}

/// One diagnostic for the raw HTML of a paragraph, at its first tag.
fn inline_html(e: &Essay, text: &str, inlines: &[Inline]) -> Option<Diagnostic> {
    fn collect<'a>(inlines: &'a [Inline], out: &mut Vec<(Pos, &'a str)>) {
        for i in inlines {
            match i {
                Inline::Html { pos, html } => out.push((*pos, html)),
                other => {
                    if let Some(c) = inside(other) {
                        collect(c, out);
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    collect(inlines, &mut found);
    let (pos, html) = *found.first()?;
    Some(raw_html(e, text, pos, html, found.len() - 1))
}

fn link(root: &Path, e: &Essay, text: &str, url: &str, pos: Pos, anchors: &Anchors) -> Option<Diagnostic> {
    if url.is_empty() || (has_scheme(url) && !url.starts_with("file:")) {
        return None;
    }
    let fragment = url.split_once('#').map(|(_, f)| assets::percent_decode(f)).filter(|f| !f.is_empty());
    let no_heading = |file: &Path, f: &str| {
        let shown =
            if file == e.file { "this text".to_string() } else { format!("`{}`", crate::diagnostic::slash_path(file)) };
        Diagnostic::new(
            Code::BrokenLink,
            at(e, text, pos),
            format!("the link `{url}` names `#{f}`, which is no heading of {shown}"),
        )
        .hint("a heading's anchor is its text in lowercase, with hyphens for spaces: `## A Heading` is `#a-heading`")
    };
    if url.starts_with('#') {
        // `#top` is the top of the page in every browser, with or without an element.
        let f = fragment.filter(|f| !f.eq_ignore_ascii_case("top"))?;
        return (!anchors.get(&e.file).is_some_and(|a| a.contains(&f))).then(|| no_heading(&e.file, &f));
    }
    match assets::linked_file(root, &e.dir, url) {
        Ok(file) => match (fragment, anchors.get(&file)) {
            (Some(f), Some(a)) if !a.contains(&f) => Some(no_heading(&file, &f)),
            _ => None,
        },
        Err(AssetProblem::Outside) | Err(AssetProblem::Remote) => Some(
            Diagnostic::new(
                Code::PathOutsideBook,
                at(e, text, pos),
                format!("the link `{url}` leaves the book's folder"),
            )
            .hint("link to a web page with its full URL (https://…), or to a file inside the book"),
        ),
        Err(_) => Some(
            Diagnostic::new(
                Code::BrokenLink,
                at(e, text, pos),
                format!("the link `{url}` points to a file that does not exist"),
            )
            .hint("links to local files are relative to the essay's file"),
        ),
    }
}

/// One warning per piece of text and rule, at the first place it applies.
fn typography_warnings(e: &Essay, text: &str) -> Vec<Diagnostic> {
    let style = Style::for_lang(&e.lang);
    if style == Style::Unchanged {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut visit = |inlines: &[Inline]| {
        let mut prev: Option<char> = None;
        // Per rule: the first place it applies in this block, and how many.
        let mut found: [(Option<Location>, char, usize); 2] = [(None, ' ', 0), (None, ' ', 0)];
        walk_text(inlines, &mut prev, &mut |t, pos, prev| {
            for edit in typography::edits(t, style, prev) {
                let slot = &mut found[(edit.rule == Rule::FrenchSpacing) as usize];
                if slot.0.is_none() {
                    *slot = (Some(locate_char(e, text, pos, t, edit.range.start, edit.at)), edit.at, 0);
                }
                slot.2 += 1;
            }
        });
        for (k, (loc, c, n)) in found.into_iter().enumerate() {
            let Some(loc) = loc else { continue };
            let more = if n > 1 { format!(" (and {} more in this paragraph)", n - 1) } else { String::new() };
            out.push(if k == 0 {
                Diagnostic::new(
                    Code::StraightQuotes,
                    loc,
                    format!("straight {} where {} wants typographic ones{more}", quote_name(c), e.lang),
                )
                .hint(format!("write {}; the editions fix this automatically", quote_hint(style)))
            } else {
                let place = if c == '«' { format!("after `{c}`") } else { format!("before `{c}`") };
                Diagnostic::new(Code::FrenchSpacing, loc, format!("missing or breakable space {place}{more}")).hint(
                    "French puts a narrow no-break space (U+202F) before ; ! ? and inside « », and a no-break \
                     space (U+00A0) before :; the editions fix this automatically",
                )
            });
        }
    };
    e.body.for_each_block(&mut |b| match b {
        Block::Paragraph(i) | Block::Heading { content: i, .. } => visit(i),
        Block::Table { rows, .. } => rows.iter().flatten().for_each(|c| visit(&c.content)),
        Block::Details { summary, .. }
        | Block::Term { term: summary, .. }
        | Block::Callout { title: summary, .. }
        | Block::Float { caption: summary, .. } => visit(summary),
        _ => {}
    });
    out
}

fn quote_name(c: char) -> &'static str {
    if c == '"' { "quotes" } else { "apostrophe or quote" }
}

fn quote_hint(style: Style) -> &'static str {
    match style {
        Style::French => "« » for quotes and ’ for apostrophes",
        Style::German => "„ “ for quotes and ’ for apostrophes",
        _ => "“ ” for quotes and ’ for apostrophes",
    }
}

/// Calls `f` on each text run of `inlines` in reading order, with the
/// character before it (so quotes after an emphasis close).
fn walk_text(inlines: &[Inline], prev: &mut Option<char>, f: &mut dyn FnMut(&str, Pos, Option<char>)) {
    for i in inlines {
        match i {
            Inline::Text { text, pos } => {
                // URLs shown as link text are not prose.
                f(text, *pos, *prev);
                *prev = text.chars().last().or(*prev);
            }
            Inline::Link { content, url, .. } => {
                let shown = crate::model::document::plain_text(content);
                if shown != *url && !shown.contains("://") {
                    walk_text(content, prev, f);
                } else {
                    *prev = shown.chars().last();
                }
            }
            Inline::Code(c) => *prev = c.chars().last(),
            Inline::SoftBreak | Inline::LineBreak => *prev = Some(' '),
            styled => styled.styled().into_iter().for_each(|c| walk_text(c, prev, f)),
        }
    }
}

/// The location of the character at byte `offset` of a text run that starts
/// at `pos`: found in the source by counting occurrences of that character,
/// since escapes and entities make offsets in the text and the source differ.
fn locate_char(e: &Essay, text: &str, pos: Pos, run: &str, offset: usize, c: char) -> Location {
    let nth = run[..offset].matches(c).count();
    if let Some(start) = offset_of_byte_col(text, pos)
        && let Some((i, _)) = text[start..].match_indices(c).nth(nth)
    {
        let s = start + i;
        return Location::at(&e.file, text, s..s + c.len_utf8());
    }
    at(e, text, pos)
}

/// Checks that need every essay: sections, the order list, the cover.
fn book_wide(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let Some(cfg) = &loaded.config else { return d };
    let book_text = loaded.sources.get(Path::new(BOOK_FILE)).map_or("", String::as_str);
    let book_loc = |value: &str| {
        let span = value_span(book_text, 0..book_text.len(), value);
        Location::at(BOOK_FILE, book_text, span)
    };
    let sections: BTreeSet<&str> = cfg.sections.iter().map(|s| s.id.as_str()).collect();
    for e in &loaded.essays {
        if let Some(s) = &e.section
            && !sections.contains(s.as_str())
        {
            let text = loaded.sources.get(&e.file).map_or("", String::as_str);
            let known: Vec<&str> = sections.iter().copied().collect();
            let hint = match crate::config::toml_input::suggest(s, &known) {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => {
                    "the book declares no sections; remove `section`, or add [[sections]] to book.toml".into()
                }
                None => format!("the sections are {}", crate::config::toml_input::key_list(&known)),
            };
            d.push(
                Diagnostic::new(Code::UnknownSection, fm_value(e, text, s), format!("unknown section `{s}`"))
                    .hint(hint),
            );
        }
    }
    if cfg.order.by == OrderBy::List {
        let slugs: BTreeMap<&str, &Essay> = loaded.essays.iter().map(|e| (e.slug.as_str(), e)).collect();
        // An essay is listed by its name as written or by its slug.
        let listed: BTreeSet<String> = cfg.order.list.iter().map(|s| crate::lang::slug::ascii(s)).collect();
        for s in &cfg.order.list {
            if !slugs.contains_key(crate::lang::slug::ascii(s).as_str()) {
                d.push(
                    Diagnostic::new(
                        Code::OrderUnknownSlug,
                        book_loc(s),
                        format!("`[order] list` names `{s}`, which is not an essay"),
                    )
                    .hint("list the essays' slugs: their file or folder names without .md"),
                );
            }
        }
        for (slug, e) in &slugs {
            if !listed.contains(*slug) && !e.draft {
                let span = crate::config::key_span(book_text, "list").unwrap_or(0..0);
                d.push(
                    Diagnostic::new(
                        Code::OrderMissingSlug,
                        Location::at(BOOK_FILE, book_text, span),
                        format!("`[order] list` leaves out `{slug}`"),
                    )
                    .hint(format!("add \"{slug}\" to the list where it belongs")),
                );
            }
        }
    }
    if let Some(cover) = &loaded.cover {
        let loc = book_loc(&cover.written);
        d.extend(asset_diagnostic(cover, loc, "cover", &cfg.rules, false));
    }
    if let Err((message, hint)) = crate::cite::style(&loaded.root, Path::new(""), &cfg.citation_style) {
        d.push(Diagnostic::new(Code::UnknownStyle, book_loc(&cfg.citation_style), message).hint(hint));
    }
    d
}
