//! What the templates see: the book, its essays, people and contents as
//! template values, built from the read-only book and its processed images.

use std::collections::HashMap;
use std::path::PathBuf;

use minijinja::{Value, context};
use serde::Serialize;

use super::{IMAGE_SIZES, PHOTO_SIZES};
use crate::editions::byline::Byline;
use crate::editions::images::Processed;
use crate::editions::xhtml::{self, Context, Flavor, ImageRef, Target};
use crate::input::assets::Asset;
use crate::lang::collate::name_key;
use crate::lang::labels::Labels;
use crate::model::book::{Author, Book, Essay};

/// The site's images by (file, width): each processed, with its path under `assets/`.
pub(super) type Images = HashMap<(PathBuf, u32), (String, Processed)>;

/// A serde value as a template value.
pub(super) fn ser<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// An image at several widths.
#[derive(Clone, Debug, Serialize)]
pub(super) struct Img {
    pub(super) src: String,
    srcset: String,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
pub(super) struct PersonView {
    name: String,
    sort_name: String,
    affiliation: Option<String>,
    handle: Option<String>,
    url: Option<String>,
    bio: Option<Value>,
    /// The bio's language and direction, when it is not the text's: an
    /// author's bio, as written, in a translation of their essay.
    bio_lang: Option<(String, &'static str)>,
    photo: Option<Img>,
    photo_alt: String,
}

#[derive(Serialize)]
pub(super) struct EssayLink {
    slug: String,
    title: String,
    authors: String,
    href: String,
    anchor: String,
}

pub(super) struct View<'a> {
    pub(super) book: &'a Book,
    pub(super) labels: Labels,
    /// (file, width) → processed image and its path under assets/.
    pub(super) images: Images,
    /// Essays by file, as links reach them from a page at each depth
    /// (`""`, `"../"`, `"../../"`).
    links_pages: HashMap<&'static str, HashMap<PathBuf, Target>>,
    /// Essays by file: their anchor in the single-page edition.
    links_single: HashMap<PathBuf, Target>,
    /// The site's icon, under the site's root.
    pub(super) icon: &'static str,
}

impl<'a> View<'a> {
    /// The views of `book`, with its processed images.
    pub(super) fn new(book: &'a Book, images: Images) -> Self {
        let mut links_single = HashMap::new();
        let mut at_root = HashMap::new();
        for e in book.essays() {
            let page = format!("{}/index.html", e.slug);
            at_root.insert(e.file.clone(), Target::new(&e.body, xhtml::Flavor::Html, page.clone(), format!("{page}#")));
            links_single.insert(
                e.file.clone(),
                Target::new(&e.body, xhtml::Flavor::Html, format!("#essay-{}", e.slug), format!("#{}-", e.slug)),
            );
        }
        let below = |root: &str| -> HashMap<PathBuf, Target> {
            let at = |t: &Target| Target {
                href: format!("{root}{}", t.href),
                heading: format!("{root}{}", t.heading),
                anchors: t.anchors.clone(),
            };
            at_root.iter().map(|(k, t)| (k.clone(), at(t))).collect()
        };
        let links_pages = HashMap::from([("../", below("../")), ("../../", below("../../")), ("", at_root.clone())]);
        View { book, labels: book.config.labels(), images, links_pages, links_single, icon: "assets/icon.svg" }
    }

    /// The essays as links reach them from a page `root` below the site's root.
    fn links(&self, root: &str) -> &HashMap<PathBuf, Target> {
        self.links_pages.get(root).unwrap_or(&self.links_single)
    }

    /// A link to an essay's page, with its title and authors.
    pub(super) fn link(&self, e: &Essay, root: &str) -> EssayLink {
        EssayLink {
            slug: e.slug.clone(),
            title: e.title.clone(),
            authors: self.labels.join(&e.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>()),
            href: format!("{root}{}/index.html", e.slug),
            anchor: format!("#essay-{}", e.slug),
        }
    }

    /// The book, as every page shows it.
    pub(super) fn book_value(&self, root: &str) -> Value {
        let cfg = &self.book.config;
        context! {
            title => cfg.title.clone(),
            subtitle => cfg.subtitle.clone(),
            editors => self.labels.join(&cfg.editors),
            description => cfg.description.clone(),
            publisher => cfg.publisher.clone(),
            license => cfg.license.clone(),
            identifier => cfg.identifier.clone(),
            date => cfg.date.clone(),
            printed_date => cfg.printed_date(),
            url => cfg.url.clone(),
            lang => cfg.language.clone(),
            dir => if crate::lang::is_rtl(&cfg.language) { Some("rtl") } else { None },
            cover => ser(self.book.cover_image().and_then(|c| self.img(c, &IMAGE_SIZES, root))),
            version => env!("CARGO_PKG_VERSION"),
            icon => self.icon,
        }
    }

    /// The contents, as every page shows it.
    pub(super) fn toc(&self, root: &str) -> Value {
        self.toc_keeping(root, &|_, _, _| true)
    }

    /// The contents with the essays `keep(part, place in it, essays in
    /// it)` accepts: the sidebar of a large book lists only some.
    pub(super) fn toc_keeping(&self, root: &str, keep: &dyn Fn(usize, usize, usize) -> bool) -> Value {
        let book = self.book;
        let parts: Vec<Value> = book
            .parts
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let len = p.essays.len();
                let essays: Vec<EssayLink> = p
                    .essays
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| keep(n, *i, len))
                    .map(|(_, e)| self.link(e, root))
                    .collect();
                context! {
                    id => p.section.as_ref().map(|s| s.id.clone()),
                    title => p.section.as_ref().map(|s| s.title.clone()),
                    href => p.section.as_ref().map(|s| format!("{root}part/{}/index.html", s.id)),
                    essays => ser(essays),
                }
            })
            .collect();
        let matter = |list: &[Essay], kind: &str| -> Vec<Value> {
            list.iter()
                .map(|e| context! { title => e.title.clone(), href => format!("{root}{kind}/{}/index.html", e.slug), anchor => format!("#{kind}-{}", e.slug) })
                .collect()
        };
        context! { front => matter(&book.front, "front"), parts => parts, back => matter(&book.back, "back") }
    }

    /// The contributor index: each person with their letter, anchor and essays.
    pub(super) fn contributors(&self, root: &str) -> Vec<Value> {
        let book = self.book;
        let essays: HashMap<&str, &Essay> = book.essays().map(|e| (e.slug.as_str(), e)).collect();
        // Two people whose names fold to the same anchor (Paweł and Pawel)
        // get `-2`, `-3`…: an id is unique in its page.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let ids: Vec<String> = book
            .contributors
            .iter()
            .map(|c| {
                let base = format!("c-{}", crate::lang::slug::slugify(&c.sort_key));
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                if *n == 1 { base } else { format!("{base}-{n}") }
            })
            .collect();
        // Each person's own page, under contributors/: a folder name of at
        // most 60 characters (a name pasted with a paragraph stays a file
        // name the system takes), unique.
        let mut taken: HashMap<String, usize> = HashMap::new();
        let pages: Vec<String> = book
            .contributors
            .iter()
            .map(|c| {
                let slug = crate::lang::slug::slugify(&c.sort_key);
                let mut cut: String = slug.chars().take(60).collect();
                while cut.ends_with('-') {
                    cut.pop();
                }
                if cut.is_empty() {
                    cut = "contributor".into();
                }
                let n = taken.entry(cut.clone()).or_insert(0);
                *n += 1;
                if *n == 1 { cut } else { format!("{cut}-{n}") }
            })
            .collect();
        let page_of = |i: usize| format!("{root}contributors/{}/index.html", pages[i]);
        let collation = crate::lang::collate::Collation::new(&book.config.language);
        book.contributors
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let first = c.essays.first().or(c.translated.first()).and_then(|s| essays.get(s.as_str())).copied();
                let person = first.map(|e| self.person(&c.author, e, 0, root));
                let orcid = c.author.orcid.as_ref().map(|o| format!("https://orcid.org/{o}"));
                // Each essay, with its co-authors' pages.
                let written: Vec<Value> = c
                    .essays
                    .iter()
                    .filter_map(|s| essays.get(s.as_str()))
                    .map(|e| {
                        let others: Vec<Value> = e
                            .authors
                            .iter()
                            .filter(|a| a.name != c.author.name)
                            .map(|a| {
                                let other = book
                                    .contributors
                                    .iter()
                                    .position(|o| o.author.name == a.name && o.essays.contains(&e.slug));
                                context! { name => a.name.clone(), href => other.map(page_of) }
                            })
                            .collect();
                        context! { link => ser(self.link(e, root)), coauthors => others, slug => e.slug.clone() }
                    })
                    .collect();
                context! {
                    person => ser(person),
                    sort_name => c.sort_key.clone(),
                    letter => collation.initial(&c.sort_key),
                    id => ids[i].clone(),
                    page => pages[i].clone(),
                    href => page_of(i),
                    orcid => orcid,
                    bio_text => c.author.bio_doc.as_ref().map(|d| sentence(&plain_text(d))),
                    written => written,
                    essays => ser(c.essays.iter().filter_map(|s| essays.get(s.as_str())).map(|e| self.link(e, root)).collect::<Vec<_>>()),
                    translated => ser(c.translated.iter().filter_map(|s| essays.get(s.as_str())).map(|e| self.link(e, root)).collect::<Vec<_>>()),
                }
            })
            .collect()
    }

    /// A text (introduction) with its notes, as markup for a template.
    pub(super) fn text_with_notes(&self, e: &Essay, root: &str, single: bool, first_heading: u8) -> Value {
        let f = self.fragment(e, root, single, first_heading);
        Value::from_safe_string(format!("{}{}", f.body, f.notes))
    }

    pub(super) fn img(&self, asset: &Asset, sizes: &[u32], root: &str) -> Option<Img> {
        let path = asset.path.as_ref()?;
        let mut variants: Vec<&(String, Processed)> =
            sizes.iter().filter_map(|s| self.images.get(&(path.clone(), *s))).collect();
        variants.dedup_by(|a, b| a.0 == b.0);
        let largest = variants.last()?;
        let srcset =
            variants.iter().map(|(href, p)| format!("{root}{href} {}w", p.width)).collect::<Vec<_>>().join(", ");
        Some(Img { src: format!("{root}{}", largest.0), srcset, width: largest.1.width, height: largest.1.height })
    }

    pub(super) fn fragment(&self, e: &Essay, root: &str, single: bool, first_heading: u8) -> xhtml::Fragment {
        let images: HashMap<String, ImageRef> = e
            .images
            .iter()
            .filter_map(|i| {
                let img = self.img(&i.asset, &IMAGE_SIZES, root)?;
                Some((i.asset.written.clone(), ImageRef { href: img.src, width: img.width, height: img.height }))
            })
            .collect();
        let (links, anchor_prefix) =
            if single { (&self.links_single, format!("{}-", e.slug)) } else { (self.links(root), String::new()) };
        let cx = Context {
            flavor: Flavor::Html,
            id_prefix: &e.slug,
            images: &images,
            dir: &e.dir,
            links,
            anchor_prefix: &anchor_prefix,
            allow_html: self.book.config.rules.allow_html,
            first_heading,
            rtl: crate::lang::is_rtl(&e.lang),
            references: &self.labels.references,
        };
        xhtml::fragment(&e.body, &cx)
    }

    pub(super) fn person(&self, a: &Author, e: &Essay, i: usize, root: &str) -> PersonView {
        let bio = a.bio_doc.as_ref().map(|doc| {
            let none = HashMap::new();
            let prefix = format!("{}-bio{i}", e.slug);
            let cx = Context {
                flavor: Flavor::Html,
                id_prefix: &prefix,
                images: &none,
                dir: &e.dir,
                links: self.links(root),
                anchor_prefix: "",
                allow_html: false,
                first_heading: 4,
                rtl: crate::lang::is_rtl(a.bio_lang.as_ref().unwrap_or(&e.lang)),
                references: "",
            };
            Value::from_safe_string(xhtml::fragment(doc, &cx).body)
        });
        PersonView {
            name: a.name.clone(),
            sort_name: name_key(&a.name, a.sort_as.as_deref()).display(),
            affiliation: a.affiliation.clone(),
            handle: a.handle.clone(),
            url: a.url.clone().filter(|u| crate::input::assets::is_web_link(u)),
            bio,
            bio_lang: a
                .bio_lang
                .as_ref()
                .filter(|l| **l != e.lang)
                .map(|l| (l.clone(), if crate::lang::is_rtl(l) { "rtl" } else { "ltr" })),
            photo: a.photo.as_ref().and_then(|p| self.img(p, &PHOTO_SIZES, root)),
            photo_alt: self.labels.portrait_of(&a.name),
        }
    }

    pub(super) fn essay_value(&self, e: &Essay, root: &str, single: bool) -> Value {
        let byline = Byline::of_text(e, &self.labels);
        let f = self.fragment(e, root, single, if single { 3 } else { 2 });
        let people: Vec<PersonView> = e
            .authors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.photo.is_some() || a.bio.is_some() || a.affiliation.is_some() || a.handle.is_some())
            .map(|(i, a)| self.person(a, e, i, root))
            .collect();
        context! {
            slug => e.slug.clone(),
            title => e.title.clone(),
            subtitle => e.subtitle.clone(),
            summary => e.summary.clone(),
            lang => e.lang.clone(),
            // Said when it differs from the page's: an English essay in a
            // Persian book is left to right.
            dir => match (crate::lang::is_rtl(&e.lang), crate::lang::is_rtl(&self.book.config.language)) {
                (true, _) => Some("rtl"),
                (false, true) => Some("ltr"),
                (false, false) => None,
            },
            byline => byline.plain(&self.labels),
            // The names with the marks of their notes, and the notes.
            byline_html => Value::from_safe_string(byline.xhtml(&self.labels)),
            name_notes => Value::from_safe_string(byline.notes_xhtml()),
            authors => ser(&people),
            tags => e.tags.clone(),
            body => Value::from_safe_string(f.body),
            notes => Value::from_safe_string(f.notes),
            words => e.words,
        }
    }
}

pub(super) fn plain_body(e: &Essay) -> String {
    plain_text(&e.body)
}

/// The words of a document, without markup; a space between its
/// paragraphs, headings and titles.
fn plain_text(doc: &crate::model::document::Document) -> String {
    use crate::model::document::Inline;
    let mut out = String::new();
    doc.for_each_inline_run(&mut |run| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        crate::model::document::each_inline(run, &mut |i| match i {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
            _ => {}
        });
    });
    out
}

/// The first sentence of an essay, for previews when it has no summary.
pub(super) fn first_sentence(e: &Essay) -> String {
    sentence(&plain_body(e))
}

/// The first sentence of `text`, at most 200 characters.
fn sentence(text: &str) -> String {
    // Full stops of the Latin scripts and of Chinese and Japanese.
    let end = text
        .char_indices()
        .find(|(_, c)| matches!(c, '.' | '!' | '?' | '。' | '！' | '？'))
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    let mut s: String = text[..end].chars().take(200).collect();
    if s.len() < end {
        s.push('…');
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_and_the_text_after_it_are_apart() {
        let doc =
            crate::input::markdown::parse("::: {.callout-note title=\"Before: the data\"}\nPress *it*.\n:::\n", 1)
                .document;
        assert_eq!(super::sentence(&super::plain_text(&doc)), "Before: the data Press it.");
    }

    #[test]
    fn a_sentence_without_a_full_stop_is_cut_at_a_character() {
        // 300 bytes of three-byte characters: byte 200 falls inside one.
        let cut = super::sentence(&"€".repeat(100));
        assert_eq!(cut, "€".repeat(100));
        let long = super::sentence(&"€".repeat(250));
        assert_eq!(long.chars().count(), 201, "200 characters and the ellipsis");
        assert!(long.ends_with('…'));
        assert_eq!(super::sentence("Une phrase. Une autre."), "Une phrase.");
        assert_eq!(super::sentence("東京は大きい。次の文。"), "東京は大きい。");
    }
}
