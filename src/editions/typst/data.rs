//! The data typst reads for a book: the book's metadata, options and
//! labels as JSON (never as markup), its texts as escaped markup files,
//! and the fonts they need. Everything a template can use comes from here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde_json::{Value, json};

use super::markup::{Assets, essay_body, short_text};
use super::{
    DEFAULT_TEMPLATE, PRINT_COVER_PIXELS, PRINT_IMAGE_PIXELS, PRINT_PHOTO_PIXELS, PdfError, Sources, TEMPLATE_FILE,
    Template, markup,
};
use crate::config::{FootnoteNumbering, Placement};
use crate::editions::byline::Byline;
use crate::fonts::Fonts;
use crate::lang::labels::Labels;
use crate::model::book::{Author, Book, Essay};

/// The language and region of `tag` as the template's data holds them.
pub(super) fn lang_region(tag: &str) -> (String, Value) {
    let (lang, region) = crate::lang::lang_region(tag);
    (lang, region.map_or(Value::Null, Value::String))
}

struct Builder {
    assets: Assets,
    markup: BTreeMap<String, String>,
    origins: HashMap<String, (PathBuf, Vec<(usize, u32)>)>,
    links: markup::Links,
    /// The book's words: the heading of a text's bibliography, the notes
    /// on names.
    labels: Labels,
}

impl Builder {
    fn image(&mut self, asset: &crate::input::assets::Asset, max: u32) -> Option<String> {
        asset.image.as_ref().ok()?;
        Some(self.assets.register(asset.path.as_ref()?, max))
    }

    fn author(&mut self, a: &Author, essay: &Essay, i: usize) -> Value {
        let lang = &essay.lang;
        let photo = a.photo.as_ref().and_then(|p| self.image(p, PRINT_PHOTO_PIXELS));
        let bio = a.bio_doc.as_ref().map(|b| {
            let path = format!("/bios/{}-{i}.typ", essay.slug);
            self.markup.insert(path.clone(), short_text(b, &format!("{}-bio{i}", essay.slug)));
            self.origins.insert(path.clone(), (essay.file.clone(), Vec::new()));
            path
        });
        json!({
            "name": a.name,
            "affiliation": a.affiliation,
            "handle": a.handle,
            "url": a.url,
            "photo": photo,
            "photo_alt": Labels::for_lang(lang).portrait_of(&a.name),
            "bio": bio,
            // A bio the translation leaves in its original's language.
            "bio_lang": a.bio_lang.as_deref().filter(|l| **l != essay.lang).map(|l| lang_region(l).0),
        })
    }

    fn text(&mut self, e: &Essay, kind: &str, first_heading: u8, fonts: &Fonts) -> Value {
        let images: HashMap<String, String> = e
            .images
            .iter()
            .filter_map(|img| Some((img.asset.written.clone(), self.image(&img.asset, PRINT_IMAGE_PIXELS)?)))
            .collect();
        let path = format!("/{kind}/{}.typ", e.slug);
        let generated = essay_body(e, &images, first_heading, &self.links, &self.labels.references);
        self.markup.insert(path.clone(), generated.text);
        self.origins.insert(path.clone(), (e.file.clone(), generated.lines));
        let (lang, region) = lang_region(&e.lang);
        let byline = Byline::of_text(e, &self.labels);
        let authors: Vec<Value> = e
            .authors
            .iter()
            .zip(&byline.names)
            .enumerate()
            .map(|(i, (a, named))| {
                let mut v = self.author(a, e, i);
                v["marks"] = Value::String(named.marks.clone());
                v
            })
            .collect();
        json!({
            "kind": kind,
            "slug": e.slug,
            "title": e.title,
            "subtitle": e.subtitle,
            "summary": e.summary,
            "lang": lang,
            "region": region,
            "tags": e.tags,
            "authors": authors,
            "name_notes": byline.notes,
            "translated": byline.translated,
            "doi": e.doi,
            "body": path,
            "fonts": fonts.families(&crate::fonts::needs_of(e)),
        })
    }
}

/// A date as typst's `datetime(year:, month:, day:)` fields.
fn date_value(date: Option<&str>) -> Value {
    let Some(d) = date else { return Value::Null };
    let mut parts = d.split('-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (y, m, day) = (parts.next().unwrap_or(1970), parts.next().unwrap_or(1), parts.next().unwrap_or(1));
    json!({ "year": y, "month": m, "day": day })
}

/// What the book's fonts depend on: its `[pdf]` options and the scripts of
/// all its texts.
pub fn font_request(book: &Book) -> crate::fonts::Request {
    crate::fonts::Request::new(&book.root, &book.config, book.texts())
}

/// The fonts of `book`, a text font chosen for each script it uses.
pub fn fonts_for(book: &Book) -> Result<Fonts, PdfError> {
    Ok(Fonts::for_book(&book.root, &font_request(book))?)
}

/// The needs of the pages that belong to the whole book (title pages,
/// contents, index): its own text, and the forms of its language.
fn book_needs(book: &Book) -> BTreeSet<crate::fonts::script::Need> {
    let lang = &book.config.language;
    let mut needs = BTreeSet::new();
    for s in book.config.printed_text() {
        crate::fonts::script::needs(s, lang, &mut needs);
    }
    if let Some(form) = crate::fonts::script::HanForm::of_lang(lang) {
        needs.insert(crate::fonts::script::Need::Cjk(form));
    }
    needs
}

/// Builds everything typst reads for `book`, set in `fonts` (the font
/// lists of the book and of each text are part of the data).
pub fn sources(book: &Book, fonts: &Fonts) -> Result<Sources, PdfError> {
    let cfg = &book.config;
    let links = markup::Links {
        essays: book
            .essays()
            .map(|e| (e.file.clone(), (e.slug.clone(), e.body.anchors().into_values().collect())))
            .collect(),
        page: cfg.labels().page_ref,
        site: cfg.html.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string()),
        book: cfg.url.clone().filter(|u| crate::input::assets::is_web_link(u)),
        allow_html: cfg.rules.allow_html,
    };
    let mut b = Builder {
        assets: Assets::default(),
        markup: BTreeMap::new(),
        origins: HashMap::new(),
        links,
        labels: cfg.labels(),
    };
    let front: Vec<Value> = book.front.iter().map(|e| b.text(e, "front", 2, fonts)).collect();
    let back: Vec<Value> = book.back.iter().map(|e| b.text(e, "back", 2, fonts)).collect();
    let mut parts = Vec::new();
    for p in &book.parts {
        let intro = p.intro.as_ref().map(|e| b.text(e, "intro", 2, fonts)["body"].clone());
        let essays: Vec<Value> = p.essays.iter().map(|e| b.text(e, "essays", 3, fonts)).collect();
        parts.push(json!({
            "title": p.section.as_ref().map(|s| &s.title),
            "intro": intro.unwrap_or(Value::Null),
            "essays": essays,
        }));
    }
    let contributors: Vec<Value> = book
        .contributors
        .iter()
        .map(|c| {
            json!({
                "name": c.author.name,
                "sort_name": c.sort_key,
                "affiliation": c.author.affiliation,
                "handle": c.author.handle,
                "essays": c.essays,
                "translated": c.translated,
            })
        })
        .collect();
    let cover = book.cover_image().and_then(|c| b.image(c, PRINT_COVER_PIXELS));
    let mut keywords: Vec<String> =
        book.essays().flat_map(|e| e.tags.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect();
    keywords.truncate(64);
    let (lang, region) = lang_region(&cfg.language);
    let o = &cfg.pdf;
    let data = json!({
        "title": cfg.title,
        "subtitle": cfg.subtitle,
        "editors": cfg.editors,
        "lang": lang,
        "region": region,
        "dir": if crate::lang::is_rtl(&cfg.language) { "rtl" } else { "ltr" },
        "fonts": fonts.families(&book_needs(book)),
        "publisher": cfg.publisher,
        "date": date_value(cfg.date.as_deref()),
        "printed_date": cfg.printed_date(),
        "identifier": cfg.identifier,
        "isbn": cfg.pdf.isbn.as_deref().map(crate::identifiers::isbn_display),
        "doi": cfg.doi,
        "license": cfg.license,
        "description": cfg.description,
        "url": cfg.url,
        "keywords": keywords,
        "cover": cover,
        "colophon": format!("anthology {}", env!("CARGO_PKG_VERSION")),
        "version": cfg.release.version,
        "proof": cfg.release.proof.as_deref().map(|day| {
            let day = crate::lang::date::long(day, &cfg.language).unwrap_or_else(|| day.to_string());
            format!("{} · {day}", cfg.labels().proof)
        }),
        "labels": cfg.labels(),
        "front": front,
        "parts": parts,
        "back": back,
        "contributors": contributors,
        "options": {
            "paper": o.paper,
            "width": o.size_points().map(|(w, _)| w),
            "height": o.size_points().map(|(_, h)| h),
            "margin": o.margin_points(),
            "font": o.font,
            "font_size": o.font_size_points(),
            "recto_starts": o.recto_starts,
            "photos": match o.photos { Placement::Start => "start", Placement::End => "end" },
            "footnotes": match o.footnotes { FootnoteNumbering::Essay => "essay", FootnoteNumbering::Book => "book" },
        },
    });
    let mut data = data;
    if let Some(p) = &cfg.print {
        data["options"]["print"] = json!({ "width": p.width, "height": p.height, "bleed": p.bleed });
    }
    let (origin, template) = Template::read(&book.root, TEMPLATE_FILE, "(built-in template)", DEFAULT_TEMPLATE)?;
    let mut lean = data.clone();
    for list in ["front", "parts", "back", "contributors"] {
        lean[list] = json!([]);
    }
    Ok(Sources {
        template,
        custom_template: origin.own,
        data: serde_json::to_string_pretty(&data).expect("JSON of plain values"),
        lean_data: serde_json::to_string(&lean).expect("JSON of plain values"),
        markup: b.markup,
        origins: b.origins,
        assets: b.assets,
        templates: HashMap::from([("/main.typ".to_string(), origin)]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(lang_region("fr-CA"), ("fr".to_string(), json!("CA")));
        assert_eq!(lang_region("en"), ("en".to_string(), Value::Null));
    }
}
