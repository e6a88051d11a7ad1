//! Where the links and images of a Markdown text are written, from
//! comrak's source positions: what an importer needs to point them
//! elsewhere without scanning the text.

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

use super::line_starts;
use super::options;

/// A link's or an image's destination as written in a Markdown text, found
/// by the parser (never in code, never in a code span), with the byte
/// ranges an importer needs to point it elsewhere or to drop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The destination as written.
    pub target: String,
    /// Its bytes in the text (inside the angle brackets when it has them).
    pub at: std::ops::Range<usize>,
    /// The whole element (`[text](target)`, `![alt](target)`, the line of a
    /// reference definition, the HTML attribute's value): what dropping it
    /// replaces.
    pub whole: std::ops::Range<usize>,
    /// What stays when it is dropped: the link's text, the image's
    /// alternative text (empty for a definition or an HTML attribute).
    pub text: std::ops::Range<usize>,
    /// Whether it is an image's source.
    pub image: bool,
    /// Whether it is in raw HTML (`src`, `href`), where it cannot be dropped.
    pub html: bool,
    /// Whether it has a title (`[text](target "title")`).
    pub titled: bool,
    /// Whether it is alone in its paragraph (but for attributes after it):
    /// an image there is a figure.
    pub alone: bool,
    /// Its 1-based line in the text.
    pub line: usize,
}

/// `body` parsed as the reader parses it, its `:::` lines in fenced code
/// (and colons in divs' attributes) hidden from comrak and its fancy
/// lists' markers written as digits, as the reader does: the positions
/// found are the reader's.
fn read<'a>(arena: &'a Arena<'a>, body: &str) -> comrak::nodes::Node<'a> {
    read_with(arena, body, &options())
}

/// [`read`] with other options.
fn read_with<'a>(arena: &'a Arena<'a>, body: &str, opts: &comrak::Options) -> comrak::nodes::Node<'a> {
    let protected = super::directives::protect(body);
    let protected = protected.as_deref().unwrap_or(body);
    let digits = super::fancy::as_digits(protected).map(|(text, _)| text);
    parse_document(arena, digits.as_deref().unwrap_or(protected), opts)
}

/// Every destination of `body`: inline links and images, reference
/// definitions, and `src` and `href` in raw HTML, in the order of the text.
/// Positions come from comrak's source positions; a link whose written form
/// cannot be matched to what the parser read is left out rather than guessed.
pub fn destinations(body: &str) -> Vec<Destination> {
    let arena = Arena::new();
    let mut opts = options();
    opts.extension.inline_footnotes = false;
    // Attributes after a link would be counted in its source position.
    opts.extension.link_attributes = false;
    let root = read_with(&arena, body, &opts);
    let starts = line_starts(body);
    let offset = |lc: comrak::nodes::LineColumn| -> Option<usize> {
        let line = *starts.get(lc.line.checked_sub(1)?)?;
        let at = line + lc.column.checked_sub(1)?;
        (at <= body.len() && body.is_char_boundary(at)).then_some(at)
    };
    let mut out = Vec::new();
    let mut covered = vec![false; starts.len() + 1];
    for node in root.descendants() {
        let ast = node.data.borrow();
        let sp = ast.sourcepos;
        match &ast.value {
            NodeValue::Link(l) | NodeValue::Image(l) => {
                let image = matches!(ast.value, NodeValue::Image(_));
                let (Some(start), Some(last)) = (offset(sp.start), offset(sp.end)) else { continue };
                let end = (last + 1).min(body.len());
                // comrak can end a node before it starts (found by fuzz/).
                if end <= start || !body.is_char_boundary(end) || !body[start..end].ends_with(')') {
                    continue;
                }
                let open = if image { 2 } else { 1 };
                let text_start = start + open;
                let alone = node.parent().is_some_and(|p| {
                    matches!(p.data.borrow().value, NodeValue::Paragraph)
                        && p.children().filter(|c| !c.same_node(node)).all(|c| match &c.data.borrow().value {
                            NodeValue::Text(t) => {
                                let t = t.trim();
                                t.is_empty() || (t.starts_with('{') && t.ends_with('}'))
                            }
                            NodeValue::SoftBreak => true,
                            _ => false,
                        })
                });
                if let Some(d) = inline_destination(body, start..end, text_start, &l.url) {
                    out.push(Destination { image, line: sp.start.line, titled: !l.title.is_empty(), alone, ..d });
                }
            }
            NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_) => {
                let (Some(start), Some(last)) = (offset(sp.start), offset(sp.end)) else { continue };
                let mut end = (last + 1).min(body.len());
                while !body.is_char_boundary(end) {
                    end += 1;
                }
                if end > start {
                    out.extend(html_destinations(body, start..end));
                }
            }
            _ => {}
        }
        if ast.value.block() && !node.children().any(|c| c.data.borrow().value.block()) {
            for line in sp.start.line..=sp.end.line.max(sp.start.line) {
                if let Some(c) = covered.get_mut(line) {
                    *c = true;
                }
            }
        }
    }
    // Reference definitions are the only text outside every leaf block
    // besides blank lines: comrak reads them and keeps no node for them.
    for (i, &line_start) in starts.iter().enumerate() {
        let n = i + 1;
        if covered.get(n).copied().unwrap_or(true) {
            continue;
        }
        let line_end = body[line_start..].find('\n').map_or(body.len(), |k| line_start + k);
        if let Some(d) = definition(body, line_start..line_end) {
            out.push(Destination { line: n, ..d });
        }
    }
    out.sort_by_key(|d| d.at.start);
    out
}

/// The destination of `[text](target "title")` spanning `whole`, whose text
/// starts at `text_start`: the last `](` whose target is the parser's `url`.
fn inline_destination(body: &str, whole: std::ops::Range<usize>, text_start: usize, url: &str) -> Option<Destination> {
    let span = body.get(whole.clone())?;
    let mut found = None;
    for (k, _) in span.match_indices("](") {
        let from = whole.start + k + 2;
        let rest = &body[from..whole.end];
        let lead = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        let (at, raw) = if let Some(inner) = rest.strip_prefix('<') {
            let e = inner.find('>')?;
            (from + lead + 1..from + lead + 1 + e, &inner[..e])
        } else {
            // Balanced parentheses, as CommonMark allows in a bare destination.
            let mut depth = 0i32;
            let mut e = rest.len();
            for (j, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' if depth == 0 => {
                        e = j;
                        break;
                    }
                    ')' => depth -= 1,
                    c if c.is_whitespace() => {
                        e = j;
                        break;
                    }
                    _ => {}
                }
            }
            (from + lead..from + lead + e, &rest[..e])
        };
        let same = raw == url || unescape(raw) == url;
        if same && text_start <= whole.start + k {
            found = Some(Destination {
                target: raw.to_string(),
                at,
                whole: whole.clone(),
                text: text_start..whole.start + k,
                image: false,
                html: false,
                titled: false,
                alone: false,
                line: 0,
            });
        }
    }
    found
}

/// `s` without CommonMark's backslash escapes.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// A reference definition, `[label]: target "title"`, on the line `line`.
fn definition(body: &str, line: std::ops::Range<usize>) -> Option<Destination> {
    let text = body.get(line.clone())?;
    let lead = text.len() - text.trim_start().len();
    let t = text.trim_start();
    if !t.starts_with('[') || t.starts_with("[^") {
        return None;
    }
    let close = t.find("]:")?;
    let after = &t[close + 2..];
    let pad = after.len() - after.trim_start().len();
    let rest = after.trim_start();
    let from = line.start + lead + close + 2 + pad;
    let (at, raw) = match rest.strip_prefix('<') {
        Some(inner) => {
            let e = inner.find('>')?;
            (from + 1..from + 1 + e, &inner[..e])
        }
        None => {
            let e = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (from..from + e, &rest[..e])
        }
    };
    (!raw.is_empty()).then(|| Destination {
        target: raw.to_string(),
        at,
        whole: line.clone(),
        text: line.start..line.start,
        image: false,
        html: false,
        titled: false,
        alone: false,
        line: 0,
    })
}

/// The `src` and `href` values of the raw HTML at `range` of `body`.
fn html_destinations(body: &str, range: std::ops::Range<usize>) -> Vec<Destination> {
    let html = &body[range.clone()];
    let line0 = body[..range.start].matches('\n').count() + 1;
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for attr in ["src", "href"] {
        let mut from = 0;
        while let Some(k) = lower[from..].find(attr).map(|k| k + from) {
            from = k + attr.len();
            let before_ok = k == 0 || lower.as_bytes()[k - 1].is_ascii_whitespace();
            let rest = &html[from..];
            let eq = rest.trim_start();
            if !before_ok || !eq.starts_with('=') {
                continue;
            }
            let v = eq[1..].trim_start();
            let vstart = from + (rest.len() - v.len());
            let (q, inner) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &v[1..]),
                _ => (None, v),
            };
            let e = match q {
                Some(q) => inner.find(q).unwrap_or(inner.len()),
                None => inner.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(inner.len()),
            };
            let s = range.start + vstart + q.map_or(0, |_| 1);
            let line = line0 + html[..vstart].matches('\n').count();
            out.push(Destination {
                target: inner[..e].to_string(),
                at: s..s + e,
                whole: s..s + e,
                text: s..s,
                image: attr == "src",
                html: true,
                titled: false,
                alone: false,
                line,
            });
        }
    }
    out
}

/// The byte ranges of the plain text runs of `body` as the parser reads
/// them (never code, never HTML), each checked against the source: where an
/// importer may look for what CommonMark leaves as text (a Quarto
/// cross-reference, `@sec-methods`).
pub fn text_runs(body: &str) -> Vec<std::ops::Range<usize>> {
    let arena = Arena::new();
    let mut opts = options();
    opts.extension.inline_footnotes = false;
    let root = read_with(&arena, body, &opts);
    let starts = line_starts(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        let NodeValue::Text(t) = &ast.value else { continue };
        let (sp, ep) = (ast.sourcepos.start, ast.sourcepos.end);
        let Some(&line) = sp.line.checked_sub(1).and_then(|l| starts.get(l)) else { continue };
        let start = line + sp.column.saturating_sub(1);
        if sp.line != ep.line {
            continue;
        }
        if let Some(end) = aligned(body, start, t) {
            out.push(start..end);
        }
    }
    out
}

/// Where the source of the text `t`, read from `body` at `start`, ends: the
/// text as written, or with backslash escapes (`\@`, `\*`) that the parser
/// took away. `None` when the source does not read as `t`.
fn aligned(body: &str, start: usize, t: &str) -> Option<usize> {
    let src = body.get(start..)?;
    if src.starts_with(t) {
        return Some(start + t.len());
    }
    let (mut s, mut want) = (src.char_indices().peekable(), t.chars());
    let mut end = 0;
    for c in want.by_ref() {
        let (i, mut got) = s.next()?;
        end = i + got.len_utf8();
        if got == '\\' && c != '\\' && c.is_ascii_punctuation() {
            let (j, next) = s.next()?;
            got = next;
            end = j + next.len_utf8();
        }
        if got != c {
            return None;
        }
    }
    Some(start + end)
}

/// The last heading of `body` when nothing but blank lines and empty
/// fenced divs (pandoc's `::: {#refs}`) follows it: its text, and the
/// bytes from it to the end.
pub fn trailing_heading(body: &str) -> Option<(String, std::ops::Range<usize>)> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let mut last = None;
    for child in root.children() {
        let ast = child.data.borrow();
        let empty_div = matches!(ast.value, NodeValue::BlockDirective(_)) && child.first_child().is_none();
        match &ast.value {
            NodeValue::Heading(_) => last = Some(child),
            _ if empty_div => {}
            _ => last = None,
        }
    }
    let node = last?;
    let line = node.data.borrow().sourcepos.start.line;
    let start = *starts.get(line.checked_sub(1)?)?;
    let text: String = node
        .descendants()
        .filter_map(|d| match &d.data.borrow().value {
            NodeValue::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    Some((text.trim().to_string(), start..body.len()))
}

/// A block at the top of a Markdown text, as the parser reads it, with the
/// bytes of its whole lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopBlock {
    /// A fenced code block: its info string and its code.
    Code {
        /// The whole block, fences included, to the end of its last line.
        at: std::ops::Range<usize>,
        /// The info string as written (`{r fig-x, fig.cap="A map"}`).
        info: String,
        /// The code.
        code: String,
    },
    /// A paragraph: its source text.
    Paragraph {
        /// Its lines.
        at: std::ops::Range<usize>,
    },
    /// A heading: its level and the bytes of its line(s).
    Heading {
        /// Its lines.
        at: std::ops::Range<usize>,
        /// 1 to 6.
        level: u8,
    },
    /// A fenced div (`::: {.note}`, MyST's `:::{note}`): its info string,
    /// and the bytes of its opening line.
    Div {
        /// Its lines, fences included.
        at: std::ops::Range<usize>,
        /// The opening fence's line.
        open: std::ops::Range<usize>,
        /// The info string as written.
        info: String,
    },
    /// A block of raw HTML.
    Html {
        /// Its lines.
        at: std::ops::Range<usize>,
    },
}

/// The fenced code blocks, paragraphs, headings, divs and blocks of HTML at
/// the top of `body`
/// (not inside a list, a quotation or a div), in order: what an importer
/// replaces whole (a bookdown chunk that makes a figure, its text
/// references, its parts' headings).
pub fn blocks(body: &str) -> Vec<TopBlock> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let line_range = |first: usize, last: usize| -> Option<std::ops::Range<usize>> {
        let start = *starts.get(first.checked_sub(1)?)?;
        let end = starts.get(last).copied().unwrap_or(body.len());
        (start <= end).then_some(start..end)
    };
    let mut out = Vec::new();
    for node in root.children() {
        let ast = node.data.borrow();
        let Some(at) = line_range(ast.sourcepos.start.line, ast.sourcepos.end.line) else { continue };
        match &ast.value {
            NodeValue::CodeBlock(c) if c.fenced => {
                out.push(TopBlock::Code { at, info: c.info.to_string(), code: super::directives::restore(&c.literal) })
            }
            NodeValue::Paragraph => out.push(TopBlock::Paragraph { at }),
            NodeValue::Heading(h) => out.push(TopBlock::Heading { at, level: h.level }),
            NodeValue::HtmlBlock(_) => out.push(TopBlock::Html { at }),
            NodeValue::BlockDirective(d) => {
                let open = at.start..body[at.start..].find('\n').map_or(at.end, |k| at.start + k + 1);
                out.push(TopBlock::Div { at, open, info: super::directives::restore(&d.info) })
            }
            _ => {}
        }
    }
    out
}

/// The lines of every code block of `body`, however deep (in a list, a
/// quotation, a div), fenced or indented: the bytes from its first line's
/// start to its last line's end. What a scan of lines leaves alone.
pub fn code_blocks(body: &str) -> Vec<std::ops::Range<usize>> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        if !matches!(ast.value, NodeValue::CodeBlock(_)) {
            continue;
        }
        let Some(&start) = ast.sourcepos.start.line.checked_sub(1).and_then(|l| starts.get(l)) else { continue };
        let end = starts.get(ast.sourcepos.end.line).copied().unwrap_or(body.len());
        if start <= end {
            out.push(start..end);
        }
    }
    out
}

/// The code spans of `body` (never in a code block): the bytes of each,
/// backticks included, and its content as the parser reads it. MyST writes
/// its roles as a code span after `{name}`: `` {cite}`key` ``.
pub fn code_spans(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        let NodeValue::Code(c) = &ast.value else { continue };
        let (sp, ep) = (ast.sourcepos.start, ast.sourcepos.end);
        let (Some(&a), Some(&b)) =
            (sp.line.checked_sub(1).and_then(|l| starts.get(l)), ep.line.checked_sub(1).and_then(|l| starts.get(l)))
        else {
            continue;
        };
        let (start, end) = (a + sp.column.saturating_sub(1), b + ep.column);
        if start < end && end <= body.len() && body.is_char_boundary(start) && body.is_char_boundary(end) {
            out.push((start..end, super::directives::restore(&c.literal)));
        }
    }
    out
}

/// Where CommonMark ends a paragraph that pandoc's and Quarto's Markdown
/// go on with: a list, a quotation, or a block of HTML (a comment), on the
/// line right after the paragraph's. pandoc starts a list or a quotation
/// only after a blank line (a list may nest in a list item) and reads HTML
/// there as inline HTML. Each is an insertion that keeps the line in the
/// paragraph: a backslash before a list marker's `.` or `-`, for the items
/// that follow the paragraph without a blank line, and before each `>` of
/// the quotation's lines; four spaces before the HTML, which no block can
/// start with inside a paragraph. What these lines hold
/// shows at the next reading.
pub fn breaks_in_paragraphs(body: &str) -> Vec<(usize, &'static str)> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let blank = |line: usize| {
        line.checked_sub(1).and_then(|l| starts.get(l)).is_none_or(|&a| {
            let b = starts.get(line).copied().unwrap_or(body.len());
            body[a..b].trim().is_empty()
        })
    };
    let at_of = |pos: comrak::nodes::LineColumn| {
        let line = *pos.line.checked_sub(1).and_then(|l| starts.get(l))?;
        let at = line + pos.column.saturating_sub(1);
        body.is_char_boundary(at).then_some(at)
    };
    let mut out = Vec::new();
    for block in root.descendants() {
        let (is_list, is_html, is_quote) = match block.data.borrow().value {
            NodeValue::List(_) => (true, false, false),
            NodeValue::HtmlBlock(_) => (false, true, false),
            NodeValue::BlockQuote => (false, false, true),
            _ => continue,
        };
        let Some(before) = block.previous_sibling() else { continue };
        let in_item = block.parent().is_some_and(|p| matches!(p.data.borrow().value, NodeValue::Item(_)));
        let after = before.data.borrow();
        if (is_list && in_item)
            || !matches!(after.value, NodeValue::Paragraph)
            || after.sourcepos.end.line + 1 != block.data.borrow().sourcepos.start.line
        {
            continue;
        }
        if is_html {
            if let Some(at) = at_of(block.data.borrow().sourcepos.start) {
                out.push((at, "    "));
            }
            continue;
        }
        if is_quote {
            let sp = block.data.borrow().sourcepos;
            for line in sp.start.line..=sp.end.line {
                let Some(at) = at_of(comrak::nodes::LineColumn { line, column: sp.start.column }) else { continue };
                // Within that line: a shorter line (a lazy one) holds no `>` there.
                let end = starts.get(line).copied().unwrap_or(body.len());
                let Some(text) = body.get(at..end) else { continue };
                let skipped = text.len() - text.trim_start_matches([' ', '\t']).len();
                if text[skipped..].starts_with('>') {
                    out.push((at + skipped, "\\"));
                }
            }
            continue;
        }
        for item in block.children() {
            let pos = item.data.borrow().sourcepos.start;
            if blank(pos.line - 1) {
                break;
            }
            let Some(from) = at_of(pos) else { break };
            let text = &body[from..];
            let skipped = text.len() - text.trim_start_matches([' ', '\t']).len();
            let digits = text[skipped..].bytes().take_while(u8::is_ascii_digit).count();
            let at = from + skipped + digits;
            let marker = body.as_bytes().get(at).copied();
            let is_marker = if digits > 0 {
                matches!(marker, Some(b'.' | b')'))
            } else {
                matches!(marker, Some(b'-' | b'*' | b'+'))
            };
            if is_marker {
                out.push((at, "\\"));
            }
        }
    }
    out
}

/// Every paragraph and heading of `body`, however deep (in a list, a
/// quotation, a div): the bytes of its lines, and whether it is a heading.
pub fn prose_blocks(body: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        let heading = match ast.value {
            NodeValue::Heading(_) => true,
            NodeValue::Paragraph => false,
            _ => continue,
        };
        let (Some(&start), end) = (
            ast.sourcepos.start.line.checked_sub(1).and_then(|l| starts.get(l)),
            starts.get(ast.sourcepos.end.line).copied().unwrap_or(body.len()),
        ) else {
            continue;
        };
        let start = start + ast.sourcepos.start.column.saturating_sub(1);
        if start <= end && body.is_char_boundary(start) {
            out.push((start..end, heading));
        }
    }
    out
}

/// The code chunks of `body` (```` ```{r} ````, ```` ```{python echo=false} ````,
/// as R Markdown and Quarto write them): the bytes of each one's braced
/// info string, and the language it names.
pub fn chunks(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        let NodeValue::CodeBlock(c) = &ast.value else { continue };
        if !c.fenced || !c.info.trim_start().starts_with('{') || c.info.trim_start()[1..].trim_start().starts_with('=')
        {
            continue;
        }
        let Some(&line_start) = ast.sourcepos.start.line.checked_sub(1).and_then(|l| starts.get(l)) else { continue };
        let line_end = body[line_start..].find('\n').map_or(body.len(), |k| line_start + k);
        let line = &body[line_start..line_end];
        let (Some(open), Some(close)) = (line.find('{'), line.rfind('}')) else { continue };
        if close < open {
            continue;
        }
        let inner = &line[open + 1..close];
        let lang: String = inner
            .trim_start()
            .trim_start_matches('.')
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        out.push((line_start + open..line_start + close + 1, lang));
    }
    out
}

/// pandoc's raw blocks that are not inside a quotation or a list
/// (```` ```{=html} ````, ```` ```{=latex} ````): the bytes of each, from its
/// opening fence to the end of its closing one's line, the format it is
/// for, and what it holds.
pub fn raw_blocks(body: &str) -> Vec<(std::ops::Range<usize>, String, String)> {
    let arena = Arena::new();
    let root = read(&arena, body);
    let starts = line_starts(body);
    let mut out = Vec::new();
    for node in root.descendants() {
        let ast = node.data.borrow();
        let NodeValue::CodeBlock(c) = &ast.value else { continue };
        let info = c.info.trim();
        let Some(format) = info.strip_prefix('{').and_then(|i| i.trim_start().strip_prefix('=')) else { continue };
        let Some(format) = format.strip_suffix('}').map(str::trim).filter(|f| !f.contains(char::is_whitespace)) else {
            continue;
        };
        if !c.fenced || ast.sourcepos.start.column != 1 || node.parent().is_some_and(|p| p.parent().is_some()) {
            continue;
        }
        let (Some(&start), Some(&last)) = (
            ast.sourcepos.start.line.checked_sub(1).and_then(|l| starts.get(l)),
            ast.sourcepos.end.line.checked_sub(1).and_then(|l| starts.get(l)),
        ) else {
            continue;
        };
        let end = body[last..].find('\n').map_or(body.len(), |k| last + k + 1);
        out.push((start..end, format.to_ascii_lowercase(), super::directives::restore(&c.literal)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_name_their_language() {
        let body = "Text.\n\n```{r, echo=FALSE}\nplot(x)\n```\n\n```python\nx\n```\n\n> ```{.python}\n> y\n> ```\n";
        let got: Vec<(String, String)> =
            chunks(body).into_iter().map(|(r, lang)| (body[r].to_string(), lang)).collect();
        assert_eq!(got, vec![("{r, echo=FALSE}".into(), "r".into()), ("{.python}".into(), "python".into())]);
    }

    #[test]
    fn raw_blocks_name_their_format() {
        let body = "Text.\n\n```{=html}\n<b>x</b>\n```\n\n```{=latex}\n\\newpage\n```\n\n> ```{=html}\n> y\n> ```\n";
        let got: Vec<(String, String, String)> =
            raw_blocks(body).into_iter().map(|(r, f, c)| (body[r].to_string(), f, c)).collect();
        assert_eq!(
            got,
            vec![
                ("```{=html}\n<b>x</b>\n```\n".into(), "html".into(), "<b>x</b>\n".into()),
                ("```{=latex}\n\\newpage\n```\n".into(), "latex".into(), "\\newpage\n".into()),
            ]
        );
        assert!(chunks(body).is_empty(), "a raw block is no chunk");
    }

    #[test]
    fn destinations_come_from_the_parser() {
        let body =
            "A [link](a.md \"t\") and ![img](<b c.png>) `[no](x)`\n\n    [no](y)\n\n[ref]: r.md\n\n> [q](d(1).md)\n";
        let found: Vec<(String, usize, bool)> =
            destinations(body).into_iter().map(|d| (d.target, d.line, d.image)).collect();
        assert_eq!(
            found,
            vec![
                ("a.md".into(), 1, false),
                ("b c.png".into(), 1, true),
                ("r.md".into(), 5, false),
                ("d(1).md".into(), 7, false)
            ]
        );
        for d in destinations(body) {
            assert_eq!(&body[d.at.clone()], d.target);
        }
    }
}
