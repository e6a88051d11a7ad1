//! Citations and bibliographies set in a CSL style, once for every edition.
//!
//! Each text's citations go through hayagriva (the CSL processor typst
//! uses, with its archive of styles and locales) in reading order, and its
//! bibliography is made from the works they name. The result is plain model
//! content ([`CitePart`], [`Bibliography`]): the PDF, the EPUB and the site
//! print the same labels and the same entries, and escape them like any
//! other text, so a hostile `.bib` field reaches no writer as markup. A
//! style of the "note" class (Chicago notes) makes each citation in the
//! body a footnote, as pandoc does.

use std::collections::HashMap;
use std::path::Path;

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    FontStyle, FontWeight, IndependentStyle, Locale, LocaleCode, Style, StyleClass, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild, ElemChildren,
    ElemMeta, Entry, LocatorPayload, SpecificLocator,
};

use crate::input::assets;
use crate::model::book::{Book, Essay};
use crate::model::document::{BibEntry, Bibliography, Block, Citation, CitePart, Footnote, Inline, Pos};

/// Largest CSL file read, in bytes (the largest styles of the official
/// repository are under 200 KiB).
pub const MAX_STYLE_BYTES: u64 = 2 * 1024 * 1024;

/// CSL's locale files (the terms of each language: "p.", "et al.", "In"),
/// decoded once for the whole process: there are 63 of them.
pub fn locales() -> &'static [Locale] {
    static LOCALES: std::sync::OnceLock<Vec<Locale>> = std::sync::OnceLock::new();
    // Decoded on several threads (hayagriva's `archive::locales` decodes
    // them one after the other): every build with citations waits for this.
    // Plain threads, not rayon's: a rayon worker waiting here could be given
    // another text's work, which would ask for the locales again.
    LOCALES.get_or_init(|| {
        let all = hayagriva::archive::LOCALES;
        let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
        std::thread::scope(|scope| {
            let parts: Vec<_> = all
                .chunks(all.len().div_ceil(threads).max(1))
                .map(|part| {
                    scope.spawn(move || {
                        part.iter().filter_map(|bytes| ciborium::de::from_reader(*bytes).ok()).collect::<Vec<Locale>>()
                    })
                })
                .collect();
            parts.into_iter().flat_map(|p| p.join().unwrap_or_default()).collect()
        })
    })
}

/// A bundled style, decoded once for the whole process.
fn archived(found: hayagriva::archive::ArchivedStyle) -> Result<IndependentStyle, (String, String)> {
    static DECODED: std::sync::OnceLock<std::sync::Mutex<HashMap<&'static str, IndependentStyle>>> =
        std::sync::OnceLock::new();
    let cache = DECODED.get_or_init(Default::default);
    let key = found.csl_id();
    if let Some(s) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
        return Ok(s.clone());
    }
    let style = independent(found.get())?;
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, style.clone());
    Ok(style)
}

/// Reads the citation style `written`: a bundled style's name (`apa`,
/// `chicago-notes`, `ieee`…) or a `.csl` file relative to `base` (itself
/// relative to the book's `root`). Why not, as a sentence and a hint.
pub fn style(root: &Path, base: &Path, written: &str) -> Result<IndependentStyle, (String, String)> {
    if !written.to_ascii_lowercase().ends_with(".csl") {
        let Some(found) = hayagriva::archive::ArchivedStyle::by_name(written) else {
            let names: Vec<&str> =
                hayagriva::archive::ArchivedStyle::all().iter().flat_map(|s| s.names().iter().copied()).collect();
            let hint = match crate::config::toml_input::suggest(written, &names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a bundled style (`apa`, `chicago-author-date`, `chicago-notes`, `ieee`, `mla`, `vancouver`…) or a `.csl` file of the book".into(),
            };
            return Err((format!("`{written}` is not a bundled citation style"), hint));
        };
        return archived(found);
    }
    let outside = || {
        (
            format!("`{written}` is outside the book's folder; it was not read"),
            "put the .csl file inside the book".into(),
        )
    };
    let rel = assets::resolve_lexically(base, written).map_err(|_| outside())?;
    let real = assets::locate(root, &rel).map_err(|p| match p {
        assets::AssetProblem::Outside => outside(),
        _ => (
            format!("the style file `{written}` does not exist"),
            "paths are relative to the file that names them".into(),
        ),
    })?;
    let mut text = String::new();
    use std::io::Read;
    std::fs::File::open(&real)
        .and_then(|f| f.take(MAX_STYLE_BYTES).read_to_string(&mut text))
        .map_err(|e| (format!("cannot read `{written}`: {e}"), "save the style as UTF-8 XML".into()))?;
    let parsed = Style::from_xml(&text).map_err(|e| {
        (format!("`{written}` is not a CSL style: {e}"), "download the style from the Zotero style repository".into())
    })?;
    independent(parsed)
}

/// An independent style, or the bundled parent of a dependent one.
fn independent(style: Style) -> Result<IndependentStyle, (String, String)> {
    match style {
        Style::Independent(s) => Ok(s),
        Style::Dependent(d) => match hayagriva::archive::ArchivedStyle::by_id(&d.parent_link.href).map(|a| a.get()) {
            Some(Style::Independent(mut s)) => {
                if d.default_locale.is_some() {
                    s.default_locale = d.default_locale;
                }
                Ok(s)
            }
            _ => Err((
                format!("this style depends on `{}`, which is not bundled", d.parent_link.href),
                "use the parent style's own .csl file instead".into(),
            )),
        },
    }
}

/// The styles of a book, each read once.
pub struct Styles<'a> {
    root: &'a Path,
    read: HashMap<(std::path::PathBuf, String), Option<std::sync::Arc<IndependentStyle>>>,
}

impl<'a> Styles<'a> {
    /// No style read yet, for the book in `root`.
    pub fn new(root: &'a Path) -> Self {
        Styles { root, read: HashMap::new() }
    }

    /// The style of `text`: its own, else the book's; `None` when it cannot
    /// be read (`check` says why).
    pub fn of(&mut self, book_style: &str, text: &Essay) -> Option<std::sync::Arc<IndependentStyle>> {
        let (base, written) = match &text.references.style {
            Some(s) => (text.dir.clone(), s.clone()),
            None => (std::path::PathBuf::new(), book_style.to_string()),
        };
        let root = self.root;
        self.read
            .entry((base.clone(), written.clone()))
            .or_insert_with(|| style(root, &base, &written).ok().map(std::sync::Arc::new))
            .clone()
    }
}

/// The CSL locale code of a BCP 47 tag: `fr` is `fr-FR`, as CSL's own
/// locale files name it; a tag with a region is kept.
fn locale_code(lang: &str) -> LocaleCode {
    if lang.contains('-') {
        return LocaleCode(lang.to_string());
    }
    let region = match lang {
        "en" => "US",
        "fr" => "FR",
        "de" => "DE",
        "es" => "ES",
        "pt" => "PT",
        "it" => "IT",
        "nl" => "NL",
        "pl" => "PL",
        "ru" => "RU",
        "uk" => "UA",
        "cs" => "CZ",
        "tr" => "TR",
        "fa" => "IR",
        "ar" => "AR",
        "he" => "IL",
        "zh" => "CN",
        "ja" => "JP",
        "ko" => "KR",
        "vi" => "VN",
        "id" => "ID",
        "hu" => "HU",
        "el" => "GR",
        "sv" => "SE",
        "ro" => "RO",
        "da" => "DK",
        _ => return LocaleCode(lang.to_string()),
    };
    LocaleCode(format!("{lang}-{region}"))
}

/// Sets every citation and bibliography of the book in its style.
pub(crate) fn render(book: &mut Book) {
    let root = book.root.clone();
    let book_style = book.config.citation_style.clone();
    let mut styles = Styles::new(&root);
    // Each text's style is read first (once per style), then the texts are
    // set in parallel: each has its own driver, numbering and bibliography.
    let mut jobs: Vec<(&mut Essay, std::sync::Arc<IndependentStyle>)> = Vec::new();
    for text in book.texts_mut() {
        if has_citations(&text.body)
            && let Some(style) = styles.of(&book_style, text)
        {
            jobs.push((text, style));
        }
    }
    // Each style hashed once, for the keys of the texts already set.
    let mut hashes: HashMap<*const IndependentStyle, u64> = HashMap::new();
    let jobs: Vec<_> = jobs
        .into_iter()
        .map(|(text, style)| {
            let key = *hashes.entry(std::sync::Arc::as_ptr(&style)).or_insert_with(|| style_hash(&style));
            (text, style, key)
        })
        .collect();
    let locales = locales();
    use rayon::prelude::*;
    jobs.into_par_iter().for_each(|(text, style, key)| render_text_in(text, &style, key, locales));
}

fn has_citations(doc: &crate::model::document::Document) -> bool {
    let mut any = false;
    doc.for_each_inline(&mut |i| any |= matches!(i, Inline::Cite(_)));
    any
}

/// Sets the citations and the bibliography of one text.
pub fn render_text(text: &mut Essay, style: &IndependentStyle, locales: &[Locale]) {
    render_text_in(text, style, style_hash(style), locales)
}

/// A hash of `style`, for the keys of [`SET_TEXTS`].
fn style_hash(style: &IndependentStyle) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    style.hash(&mut h);
    h.finish()
}

/// What setting a text's citations gives: each citation's parts by
/// position, and the bibliography.
type SetText = (Vec<(Pos, Vec<CitePart>)>, Option<Bibliography>);

/// Texts' citations already set in this process, by everything the setting
/// reads (the style's hash, then the citations, the library and the locale
/// as written by `Debug`): a `watch` rebuild sets only the edited texts
/// again, where hayagriva took a tenth of the rebuild.
/// A book's worth several times over is kept.
static SET_TEXTS: crate::cache::Memo<(u64, String), SetText> = crate::cache::Memo::new(20_000);

/// [`render_text`] with the style's hash computed once for every text.
fn render_text_in(text: &mut Essay, style: &IndependentStyle, style_key: u64, locales: &[Locale]) {
    let library = text.references.library.clone();
    let locale = locale_code(&text.lang);
    let notes = style.settings.class == StyleClass::Note;
    if notes {
        citations_to_notes(&mut text.body);
    }
    // Every citation, in reading order, with its footnote number in a note style.
    let mut order: Vec<(Citation, Option<usize>)> = Vec::new();
    let note_numbers = note_numbers(&text.body);
    text.body.each_inline_list(&mut |list, _| {
        for i in list.iter() {
            if let Inline::Cite(c) = i {
                order.push(((**c).clone(), None));
            }
        }
    });
    if notes {
        for (c, n) in &mut order {
            *n = note_numbers.get(&c.pos).copied();
        }
    }
    let key = (style_key, format!("{order:?}\n{library:?}\n{locale:?}"));
    let (parts, bibliography) =
        SET_TEXTS.get_or_compute(key, |_| set_citations(&order, &library, style, &locale, locales));
    let mut parts_by_pos: HashMap<Pos, Vec<CitePart>> = parts.into_iter().collect();
    text.body.each_inline_list(&mut |list, _| {
        for i in list.iter_mut() {
            if let Inline::Cite(c) = i
                && let Some(p) = parts_by_pos.remove(&c.pos)
            {
                c.rendered = p;
            }
        }
    });
    text.body.bibliography = bibliography;
}

/// Sets the citations `order` (with their footnote numbers) of a text
/// citing `library`: what hayagriva gives, as the model's parts.
fn set_citations(
    order: &[(Citation, Option<usize>)],
    library: &hayagriva::Library,
    style: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> SetText {
    let mut driver: BibliographyDriver<'_, Entry> = BibliographyDriver::new();
    // A numeric or label style names no author in a citation: `[-@key]` is
    // `[@key]` to it.
    let names_authors = !style.info.category.iter().any(|c| {
        matches!(
            c,
            hayagriva::citationberg::StyleCategory::CitationFormat {
                format: hayagriva::citationberg::CitationFormat::Label
                    | hayagriva::citationberg::CitationFormat::Numeric
            }
        )
    });
    let suppressed = |item: &crate::model::document::CiteItem| item.suppress_author && names_authors;
    // For each citation, which of its items hayagriva was given (those whose
    // key is known; `check` reports the others), and what a suppressed
    // author's item adds after its year (hayagriva sets the year alone).
    let mut kept: Vec<Vec<usize>> = Vec::new();
    let mut after_year: Vec<Vec<Option<String>>> = Vec::new();
    for (c, note) in order {
        kept.push((0..c.items.len()).filter(|k| library.get(&c.items[*k].key).is_some()).collect());
        after_year.push(
            c.items
                .iter()
                .map(|item| {
                    let (term, value) = item.locator.as_ref().filter(|_| suppressed(item))?;
                    let entry = library.get(&item.key)?;
                    let at = SpecificLocator(locator(term)?, LocatorPayload::Str(value));
                    locator_text(entry, at, style, locale, locales)
                })
                .collect(),
        );
        let items: Vec<CitationItem<'_, Entry>> = c
            .items
            .iter()
            .filter_map(|item| {
                let entry = library.get(&item.key)?;
                let locator = item
                    .locator
                    .as_ref()
                    .and_then(|(term, value)| Some(SpecificLocator(locator(term)?, LocatorPayload::Str(value))));
                let purpose = if suppressed(item) {
                    Some(CitePurpose::Year)
                } else if c.narrative {
                    Some(CitePurpose::Prose)
                } else {
                    None
                };
                Some(CitationItem::new(entry, locator, None, false, purpose))
            })
            .collect();
        driver.citation(CitationRequest::new(items, style, Some(locale.clone()), locales, *note));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, Some(locale.clone()), locales));
    let mut sets = rendered.citations.into_iter().map(|r| r.citation);
    let mut parts_by_pos = Vec::new();
    for (((c, note), kept), after_year) in order.iter().zip(&kept).zip(&after_year) {
        let Some(children) = sets.next() else { break };
        let mut set = parts(&children, c, kept, after_year);
        // hayagriva leaves out the style's brackets around a citation with
        // an item whose author is suppressed (`[-@smith2020]`); pandoc keeps
        // them: "(2020)", "[3]".
        if !c.narrative && note.is_none() && c.items.iter().any(suppressed) && !set.is_empty() {
            let layout = &style.citation.layout;
            set.insert(0, CitePart { key: None, content: vec![text(layout.prefix.clone().unwrap_or("(".into()))] });
            set.push(CitePart { key: None, content: vec![text(layout.suffix.clone().unwrap_or(")".into()))] });
        }
        parts_by_pos.push((c.pos, set));
    }
    let bibliography = rendered.bibliography.map(|b| Bibliography {
        hanging_indent: b.hanging_indent,
        entries: b
            .items
            .into_iter()
            .map(|item| BibEntry {
                key: item.key,
                label: item.first_field.map(|f| inlines(&ElemChildren(vec![f]))),
                content: inlines(&item.content),
            })
            .collect(),
    });
    (parts_by_pos, bibliography)
}

/// One work as its bibliography entry in `style`, in the language `lang`
/// (without the label a numeric style sets before it): how to cite it.
pub fn entry_alone(entry: &Entry, style: &IndependentStyle, lang: &str, locales: &[Locale]) -> Vec<Inline> {
    let locale = locale_code(lang);
    let mut driver: BibliographyDriver<'_, Entry> = BibliographyDriver::new();
    driver.citation(CitationRequest::new(
        vec![CitationItem::new(entry, None, None, true, None)],
        style,
        Some(locale.clone()),
        locales,
        None,
    ));
    let rendered = driver.finish(BibliographyRequest::new(style, Some(locale), locales));
    match rendered.bibliography.and_then(|b| b.items.into_iter().next()) {
        Some(item) => inlines(&item.content),
        // A style without a bibliography: the citation itself.
        None => rendered.citations.first().map(|c| inlines(&c.citation)).unwrap_or_default(),
    }
}

/// The CSL locator a term of the citation syntax names.
fn locator(term: &str) -> Option<Locator> {
    Some(match term {
        "page" => Locator::Page,
        "chapter" => Locator::Chapter,
        "section" => Locator::Section,
        "paragraph" => Locator::Paragraph,
        "volume" => Locator::Volume,
        "book" => Locator::Book,
        "part" => Locator::Part,
        "figure" => Locator::Figure,
        "line" => Locator::Line,
        "note" => Locator::Note,
        "verse" => Locator::Verse,
        "column" => Locator::Column,
        "folio" => Locator::Folio,
        "opus" => Locator::Opus,
        "sub-verbo" => Locator::SubVerbo,
        _ => return None,
    })
}

/// In a note style, each citation of the body becomes a footnote holding
/// it; citations already in footnotes stay where they are.
fn citations_to_notes(doc: &mut crate::model::document::Document) {
    let mut taken: std::collections::HashSet<String> = doc.footnotes.iter().map(|n| n.name.clone()).collect();
    let mut new_notes = Vec::new();
    let mut counter = 0;
    doc.each_inline_list(&mut |list, within| {
        if within.note {
            return;
        }
        for k in 0..list.len() {
            let Inline::Cite(c) = &mut list[k] else { continue };
            let name = loop {
                counter += 1;
                let name = format!("cite-{counter}");
                if taken.insert(name.clone()) {
                    break name;
                }
            };
            let pos = c.pos;
            // A note starts a sentence: "See Grafton", not "see Grafton".
            if let Some(first) = c.items.first_mut() {
                let mut chars = first.prefix.chars();
                if let Some(f) = chars.next() {
                    first.prefix = f.to_uppercase().chain(chars).collect();
                }
            }
            let cite = std::mem::replace(&mut list[k], Inline::FootnoteRef { name: name.clone(), pos });
            new_notes.push(Footnote { name, blocks: vec![Block::Paragraph(vec![cite])], pos });
            // The note's mark follows the word, as pandoc sets it: "raconter¹".
            if let Some(Inline::Text { text, .. }) = k.checked_sub(1).and_then(|j| list.get_mut(j)) {
                let kept = text.trim_end().len();
                text.truncate(kept);
            }
        }
    });
    doc.footnotes.extend(new_notes);
}

/// The number each footnote gets in the text (by first reference), keyed by
/// the position of the citations it holds: what a note style's "ibid."
/// needs.
fn note_numbers(doc: &crate::model::document::Document) -> HashMap<Pos, usize> {
    let mut refs: Vec<String> = Vec::new();
    doc.for_each_inline(&mut |i| {
        if let Inline::FootnoteRef { name, .. } = i
            && !refs.contains(name)
        {
            refs.push(name.clone());
        }
    });
    let mut out = HashMap::new();
    for note in &doc.footnotes {
        let Some(n) = refs.iter().position(|r| *r == note.name) else { continue };
        let mut cites = Vec::new();
        let probe = crate::model::document::Document { blocks: note.blocks.clone(), ..Default::default() };
        probe.for_each_inline(&mut |i| {
            if let Inline::Cite(c) = i {
                cites.push(c.pos);
            }
        });
        for p in cites {
            out.insert(p, n + 1);
        }
    }
    out
}

/// A set citation as parts: each work's part links to its entry and carries
/// the prefix and suffix written with it.
fn parts(children: &ElemChildren, c: &Citation, kept: &[usize], after_year: &[Option<String>]) -> Vec<CitePart> {
    let mut out: Vec<CitePart> = Vec::new();
    let mut loose: Vec<ElemChild> = Vec::new();
    let flush = |loose: &mut Vec<ElemChild>, out: &mut Vec<CitePart>| {
        if !loose.is_empty() {
            out.push(CitePart { key: None, content: inlines(&ElemChildren(std::mem::take(loose))) });
        }
    };
    for child in &children.0 {
        match child {
            ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Entry(_))) => {
                flush(&mut loose, &mut out);
                let Some(ElemMeta::Entry(i)) = e.meta else { continue };
                let item = kept.get(i).and_then(|k| c.items.get(*k));
                let mut content = Vec::new();
                if let Some(item) = item.filter(|it| !it.prefix.is_empty()) {
                    content.push(text(format!("{} ", item.prefix)));
                }
                content.extend(inlines(&e.children));
                if let Some(more) = kept.get(i).and_then(|k| after_year.get(*k)).and_then(Option::as_ref) {
                    content.push(text(more.clone()));
                }
                if let Some(item) = item.filter(|it| !it.suffix.is_empty()) {
                    let sep = if item.suffix.starts_with([',', ';', '.']) { "" } else { " " };
                    content.push(text(format!("{sep}{}", item.suffix)));
                }
                out.push(CitePart { key: item.map(|it| it.key.clone()), content });
            }
            other => loose.push(other.clone()),
        }
    }
    flush(&mut loose, &mut out);
    // A citation is itself a link to its entry: the links a style puts in
    // it (a DOI, rarely) keep only their text.
    for p in &mut out {
        p.content = unlinked(std::mem::take(&mut p.content));
    }
    out
}

fn unlinked(list: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    for i in list {
        match i {
            Inline::Link { content, .. } => out.extend(unlinked(content)),
            Inline::Emph(c) => out.push(Inline::Emph(unlinked(c))),
            Inline::Strong(c) => out.push(Inline::Strong(unlinked(c))),
            Inline::Sup(c) => out.push(Inline::Sup(unlinked(c))),
            Inline::Sub(c) => out.push(Inline::Sub(unlinked(c))),
            Inline::Span { content, style, lang, pos, shown } => {
                out.push(Inline::Span { content: unlinked(content), style, lang, pos, shown })
            }
            other => out.push(other),
        }
    }
    out
}

/// What the locator `at` adds to a citation of `entry` in `style` (", 3"
/// in an author-date style, ", p. 3" in APA): the entry cited alone with it
/// and without it, the text only the first has. `None` when the two differ
/// otherwise than by one insertion.
fn locator_text(
    entry: &Entry,
    at: SpecificLocator<'_>,
    style: &IndependentStyle,
    locale: &LocaleCode,
    locales: &[Locale],
) -> Option<String> {
    let cited = |locator: Option<SpecificLocator<'_>>| -> Option<Vec<char>> {
        let mut driver: BibliographyDriver<'_, Entry> = BibliographyDriver::new();
        let item = CitationItem::new(entry, locator, None, false, None);
        driver.citation(CitationRequest::new(vec![item], style, Some(locale.clone()), locales, None));
        let rendered = driver.finish(BibliographyRequest::new(style, Some(locale.clone()), locales));
        let set = inlines(&rendered.citations.into_iter().next()?.citation);
        Some(crate::model::document::plain_text(&set).chars().collect())
    };
    let (with, without) = (cited(Some(at))?, cited(None)?);
    let head = with.iter().zip(&without).take_while(|(a, b)| a == b).count();
    let tail = with[head..].iter().rev().zip(without[head..].iter().rev()).take_while(|(a, b)| a == b).count();
    (head + tail == without.len() && head + tail < with.len()).then(|| with[head..with.len() - tail].iter().collect())
}

fn text(s: String) -> Inline {
    Inline::Text { text: s, pos: Pos::default() }
}

/// hayagriva's formatted output as model content: italics are emphasis,
/// bold is strong, links to the web are links; everything else is text.
pub fn inlines(children: &ElemChildren) -> Vec<Inline> {
    let mut out = Vec::new();
    for child in &children.0 {
        match child {
            ElemChild::Text(f) => out.push(formatted(&f.text, &f.formatting)),
            ElemChild::Markup(m) => out.push(text(m.clone())),
            ElemChild::Elem(e) => out.extend(inlines(&e.children)),
            ElemChild::Link { text: f, url } => {
                let content = vec![formatted(&f.text, &f.formatting)];
                if assets::is_web_link(url) && !url.to_ascii_lowercase().starts_with("mailto:") {
                    out.push(Inline::Link { url: url.clone(), title: String::new(), content, pos: Pos::default() });
                } else {
                    out.extend(content);
                }
            }
            ElemChild::Transparent { .. } => {}
        }
    }
    crate::model::document::merge_text(out)
}

fn formatted(s: &str, f: &hayagriva::Formatting) -> Inline {
    let mut i = text(s.to_string());
    if f.font_style == FontStyle::Italic {
        i = Inline::Emph(vec![i]);
    }
    if f.font_weight == FontWeight::Bold {
        i = Inline::Strong(vec![i]);
    }
    match f.vertical_align {
        VerticalAlign::Sup => Inline::Sup(vec![i]),
        VerticalAlign::Sub => Inline::Sub(vec![i]),
        _ => i,
    }
}

#[cfg(test)]
mod tests;
