//! The HTML edition: a static website and a single-page edition.
//!
//! Every page is rendered by minijinja from templates in `templates/html/`
//! (compiled in; a book's own files with the same names replace them), with
//! automatic escaping. Essay texts come from the shared [`crate::xhtml`]
//! writer and are the only values passed as already-safe markup. The site
//! works on any static host and offline from the file system: every link names
//! its `index.html`, and the search index is a script, not a fetched file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::editions::images::{self, Processed};
use crate::editions::xhtml::{self, Context, Flavor, ImageRef};
use crate::editions::{Files, Output};
use crate::input::assets::Asset;
use crate::lang::collate::name_key;
use crate::lang::labels::Labels;
use crate::model::book::{Author, Book, Essay};

/// Where a book's own HTML templates live, relative to its root.
pub const TEMPLATES_DIR: &str = "templates/html";

/// The built-in templates and static files: (name, content).
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("home.html", include_str!("templates/home.html")),
    ("essay.html", include_str!("templates/essay.html")),
    ("section.html", include_str!("templates/section.html")),
    ("text.html", include_str!("templates/text.html")),
    ("contributors.html", include_str!("templates/contributors.html")),
    ("search.html", include_str!("templates/search.html")),
    ("all.html", include_str!("templates/all.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("style.css", include_str!("templates/style.css")),
    ("search.js", include_str!("templates/search.js")),
];

/// Photo widths served, in pixels (with `srcset`): the pages show portraits
/// at 6rem (about 110 CSS pixels), so one for ordinary and one for dense screens.
pub const PHOTO_SIZES: [u32; 2] = [120, 240];
/// Widths of images in the text.
pub const IMAGE_SIZES: [u32; 2] = [800, 1400];

/// Why the site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// A template failed.
    #[error("template {name}: {message}")]
    Template {
        /// The template.
        name: String,
        /// What minijinja said, with the line.
        message: String,
    },
    /// An image could not be processed.
    #[error(transparent)]
    Image(#[from] images::ImageError),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl From<minijinja::Error> for HtmlError {
    fn from(e: minijinja::Error) -> Self {
        let name = e.name().unwrap_or("?").to_string();
        let line = e.line().map(|l| format!(" (line {l})")).unwrap_or_default();
        HtmlError::Template { name, message: format!("{e}{line}") }
    }
}

/// The site: files by path relative to `<out>/html/`.
#[derive(Debug, Default)]
pub struct Site {
    /// Every file.
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    /// Number of HTML pages.
    pub pages: usize,
}

impl Site {
    /// The site as the edition's output.
    pub fn into_output(self) -> Output {
        Output {
            summary: format!("{} pages, {} files", self.pages, self.files.len()),
            pages: Some(self.pages),
            files: Files::Folder(self.files),
            warnings: Vec::new(),
        }
    }
}

/// Words of the site's interface.
#[derive(Serialize)]
struct SiteLabels {
    and: &'static str,
    contents: &'static str,
    index: &'static str,
    all: &'static str,
    search: &'static str,
    skip: &'static str,
    previous: &'static str,
    next: &'static str,
    notes: &'static str,
    no_results: &'static str,
    no_script: &'static str,
    edited_by: &'static str,
    license: &'static str,
    letters: &'static str,
    essays_in: &'static str,
    colon: &'static str,
}

fn site_labels(lang: &str) -> SiteLabels {
    let l = Labels::for_lang(lang);
    SiteLabels {
        and: l.and,
        contents: l.contents,
        index: l.index,
        all: l.all,
        search: l.search,
        skip: l.skip,
        previous: l.previous,
        next: l.next,
        notes: l.notes,
        no_results: l.no_results,
        no_script: l.no_script,
        edited_by: l.edited_by,
        license: l.license,
        letters: l.letters,
        essays_in: l.essays_in,
        colon: l.colon,
    }
}

/// A serde value as a template value.
fn ser<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// An image at several widths.
#[derive(Clone, Debug, Serialize)]
struct Img {
    src: String,
    srcset: String,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
struct PersonView {
    name: String,
    sort_name: String,
    affiliation: Option<String>,
    handle: Option<String>,
    url: Option<String>,
    bio: Option<Value>,
    photo: Option<Img>,
    photo_alt: String,
}

#[derive(Serialize)]
struct EssayLink {
    slug: String,
    title: String,
    authors: String,
    href: String,
    anchor: String,
}

struct Builder<'a> {
    book: &'a Book,
    labels: Labels,
    /// (file, width) → processed image and its path under assets/.
    images: HashMap<(PathBuf, u32), (String, Processed)>,
    links_pages: HashMap<PathBuf, String>,
    links_single: HashMap<PathBuf, String>,
}

impl Builder<'_> {
    fn img(&self, asset: &Asset, sizes: &[u32], root: &str) -> Option<Img> {
        let path = asset.path.as_ref()?;
        let mut variants: Vec<&(String, Processed)> =
            sizes.iter().filter_map(|s| self.images.get(&(path.clone(), *s))).collect();
        variants.dedup_by(|a, b| a.0 == b.0);
        let largest = variants.last()?;
        let srcset =
            variants.iter().map(|(href, p)| format!("{root}{href} {}w", p.width)).collect::<Vec<_>>().join(", ");
        Some(Img { src: format!("{root}{}", largest.0), srcset, width: largest.1.width, height: largest.1.height })
    }

    fn fragment(&self, e: &Essay, root: &str, single: bool, first_heading: u8) -> xhtml::Fragment {
        let images: HashMap<String, ImageRef> = e
            .images
            .iter()
            .filter_map(|i| {
                let img = self.img(&i.asset, &IMAGE_SIZES, root)?;
                Some((i.asset.written.clone(), ImageRef { href: img.src, width: img.width, height: img.height }))
            })
            .collect();
        let links = if single { &self.links_single } else { &self.links_pages };
        let relative: HashMap<PathBuf, String> =
            links.iter().map(|(k, v)| (k.clone(), if single { v.clone() } else { format!("{root}{v}") })).collect();
        let cx = Context {
            flavor: Flavor::Html,
            id_prefix: &e.slug,
            images: &images,
            dir: &e.dir,
            links: &relative,
            allow_html: self.book.config.rules.allow_html,
            first_heading,
        };
        xhtml::fragment(&e.body, &cx)
    }

    fn person(&self, a: &Author, e: &Essay, i: usize, root: &str) -> PersonView {
        let bio = a.bio_doc.as_ref().map(|doc| {
            let none = HashMap::new();
            let prefix = format!("{}-bio{i}", e.slug);
            let cx = Context {
                flavor: Flavor::Html,
                id_prefix: &prefix,
                images: &none,
                dir: &e.dir,
                links: &self.links_pages,
                allow_html: false,
                first_heading: 4,
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
            photo: a.photo.as_ref().and_then(|p| self.img(p, &PHOTO_SIZES, root)),
            photo_alt: self.labels.portrait_of(&a.name),
        }
    }

    fn essay_value(&self, e: &Essay, root: &str, single: bool) -> Value {
        let names: Vec<String> = e.authors.iter().map(|a| a.name.clone()).collect();
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
            dir => if crate::lang::is_rtl(&e.lang) { Some("rtl") } else { None },
            byline => self.labels.join(&names),
            authors => ser(&people),
            tags => e.tags.clone(),
            body => Value::from_safe_string(f.body),
            notes => Value::from_safe_string(f.notes),
            words => e.words,
        }
    }
}

/// The template environment: built-in templates, replaced by the book's own.
fn environment(root: &Path) -> Result<Environment<'static>, HtmlError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Strings are escaped for HTML text and double-quoted attributes, as the
    // XHTML writer does; minijinja's own escaping would also turn every `/`
    // of a URL into `&#x2f;`.
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
            && !value.is_safe()
            && let Some(s) = value.as_str()
        {
            return out
                .write_str(&xhtml::escape(s))
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write a page"));
        }
        minijinja::escape_formatter(out, state, value)
    });
    for (name, source) in BUILTIN {
        let own = Path::new(TEMPLATES_DIR).join(name);
        let text = match crate::input::assets::locate(root, &own) {
            Ok(real) => std::fs::read_to_string(&real).map_err(|source| HtmlError::Read { path: real, source })?,
            Err(_) => source.to_string(),
        };
        if name.ends_with(".html") {
            env.add_template_owned(name.to_string(), text)?;
        } else {
            env.add_template_owned(format!("static/{name}"), text)?;
        }
    }
    Ok(env)
}

/// Text for the search index: titles, authors and the essay's words.
#[derive(Serialize)]
struct SearchEntry {
    u: String,
    t: String,
    a: String,
    x: String,
}

fn plain_body(e: &Essay) -> String {
    let mut out = String::new();
    e.body.for_each_inline(&mut |i| match i {
        crate::model::document::Inline::Text { text, .. } => {
            out.push_str(text);
        }
        crate::model::document::Inline::SoftBreak | crate::model::document::Inline::LineBreak => out.push(' '),
        _ => {}
    });
    out
}

/// The first sentence of an essay, for previews when it has no summary.
fn first_sentence(e: &Essay) -> String {
    let text = plain_body(e);
    let end = text.find(['.', '!', '?']).map_or(text.len().min(200), |i| i + 1);
    let mut s: String = text[..end].chars().take(200).collect();
    if s.len() < end {
        s.push('…');
    }
    s.trim().to_string()
}

/// Makes the site of `book`.
pub fn render(book: &Book) -> Result<Site, HtmlError> {
    render_with(book, &images::Cache::default())
}

/// Makes the site of `book`, taking processed images from `cache` (shared
/// with the other editions of the same build).
pub fn render_with(book: &Book, cache: &images::Cache) -> Result<Site, HtmlError> {
    render_with_cards(book, cache, &[])
}

/// [`render_with`], with the essays' share cards: each is served at
/// `cards/<slug>.png` and is its page's Open Graph and Twitter image (as a
/// large card) when `[html] base_url` gives the absolute address networks need.
pub fn render_with_cards(
    book: &Book,
    cache: &images::Cache,
    cards: &[crate::editions::typst::cards::Card],
) -> Result<Site, HtmlError> {
    let cfg = &book.config;
    let env = environment(&book.root)?;
    let labels = Labels::for_lang(&cfg.language);
    let lang = cfg.language.clone();

    // Images, each size once, in parallel.
    let mut wanted: Vec<(PathBuf, u32)> = Vec::new();
    let cover = book.cover_image();
    let mut add = |a: &Asset, sizes: &[u32]| {
        if let (Some(p), Ok(_)) = (&a.path, &a.image) {
            for s in sizes {
                if !wanted.contains(&(p.clone(), *s)) {
                    wanted.push((p.clone(), *s));
                }
            }
        }
    };
    if let Some(c) = cover {
        add(c, &IMAGE_SIZES);
    }
    for e in book.texts() {
        for a in &e.authors {
            if let Some(p) = &a.photo {
                add(p, &PHOTO_SIZES);
            }
        }
        for i in &e.images {
            add(&i.asset, &IMAGE_SIZES);
        }
    }
    // Each file decoded once, for all the sizes it is wanted at.
    let mut by_file: Vec<(PathBuf, Vec<u32>)> = Vec::new();
    for (p, s) in wanted {
        match by_file.iter_mut().find(|(q, _)| *q == p) {
            Some((_, sizes)) => sizes.push(s),
            None => by_file.push((p, vec![s])),
        }
    }
    let processed: Vec<Result<Vec<Processed>, HtmlError>> =
        by_file.par_iter().map(|(p, sizes)| Ok(cache.sizes(&book.root.join(p), sizes)?)).collect();
    let mut images = HashMap::new();
    let mut site = Site::default();
    for (id, ((path, sizes), r)) in by_file.iter().zip(processed).enumerate() {
        for (size, p) in sizes.iter().zip(r?) {
            let href = format!("assets/img/{id}-{size}.{}", p.ext);
            site.files.insert(PathBuf::from(&href), p.bytes.clone());
            images.insert((path.clone(), *size), (href, p));
        }
    }

    let mut links_pages = HashMap::new();
    let mut links_single = HashMap::new();
    for e in book.essays() {
        links_pages.insert(e.file.clone(), format!("{}/index.html", e.slug));
        links_single.insert(e.file.clone(), format!("#essay-{}", e.slug));
    }
    let b = Builder { book, labels, images, links_pages, links_single };
    let base = cfg.html.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string());
    let canonical = |path: &str| base.as_ref().map(|b| format!("{b}/{path}"));
    let sl = site_labels(&lang);

    let book_value = |root: &str| {
        context! {
            title => cfg.title.clone(),
            subtitle => cfg.subtitle.clone(),
            editors => b.labels.join(&cfg.editors),
            description => cfg.description.clone(),
            publisher => cfg.publisher.clone(),
            license => cfg.license.clone(),
            identifier => cfg.identifier.clone(),
            date => cfg.date.clone(),
            url => cfg.url.clone(),
            lang => lang.clone(),
            dir => if crate::lang::is_rtl(&lang) { Some("rtl") } else { None },
            cover => ser(cover.and_then(|c| b.img(c, &IMAGE_SIZES, root))),
            version => env!("CARGO_PKG_VERSION"),
        }
    };
    let link = |e: &Essay, root: &str| EssayLink {
        slug: e.slug.clone(),
        title: e.title.clone(),
        authors: b.labels.join(&e.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>()),
        href: format!("{root}{}/index.html", e.slug),
        anchor: format!("#essay-{}", e.slug),
    };
    let toc = |root: &str| -> Value {
        let parts: Vec<Value> = book
            .parts
            .iter()
            .map(|p| {
                context! {
                    id => p.section.as_ref().map(|s| s.id.clone()),
                    title => p.section.as_ref().map(|s| s.title.clone()),
                    href => p.section.as_ref().map(|s| format!("{root}part/{}/index.html", s.id)),
                    essays => ser(p.essays.iter().map(|e| link(e, root)).collect::<Vec<_>>()),
                }
            })
            .collect();
        let matter = |list: &[Essay], kind: &str| -> Vec<Value> {
            list.iter()
                .map(|e| context! { title => e.title.clone(), href => format!("{root}{kind}/{}/index.html", e.slug), anchor => format!("#{kind}-{}", e.slug) })
                .collect()
        };
        context! { front => matter(&book.front, "front"), parts => parts, back => matter(&book.back, "back") }
    };
    // What every page shows depends only on how deep the page is.
    let shared: HashMap<&str, (Value, Value)> =
        ["", "../", "../../"].into_iter().map(|root| (root, (book_value(root), toc(root)))).collect();
    let labels_value = ser(&sl);
    let render_page = |name: &str, root: &str, extra: Value| -> Result<String, HtmlError> {
        let (book_v, toc_v) = &shared[root];
        let ctx = context! { book => book_v.clone(), labels => labels_value.clone(), root => root, toc => toc_v.clone(), ..extra };
        Ok(env.get_template(name)?.render(ctx)?)
    };
    let mut pages: Vec<(String, String)> = Vec::new();

    pages.push(("index.html".into(), render_page("home.html", "", context! { canonical => canonical("") })?));

    // Essays, with previous and next across the whole book.
    let all: Vec<&Essay> = book.essays().collect();
    let section_of: HashMap<&str, (String, String)> = book
        .parts
        .iter()
        .filter_map(|p| p.section.as_ref().map(|s| (p, s)))
        .flat_map(|(p, s)| p.essays.iter().map(move |e| (e.slug.as_str(), (s.id.clone(), s.title.clone()))))
        .collect();
    for (i, e) in all.iter().enumerate() {
        let root = "../";
        let essay = b.essay_value(e, root, false);
        let prev = i.checked_sub(1).map(|j| link(all[j], root));
        let next = all.get(i + 1).map(|n| link(n, root));
        let section = section_of
            .get(e.slug.as_str())
            .map(|(id, t)| context! { title => t.to_string(), href => format!("../part/{id}/index.html") });
        let photo = e.authors.iter().find_map(|a| a.photo.as_ref()).and_then(|p| b.img(p, &PHOTO_SIZES, ""));
        let card = cards.iter().find(|c| c.slug == e.slug).map(|c| {
            let path = format!("cards/{}.png", c.slug);
            site.files.insert(PathBuf::from(&path), c.png.clone());
            path
        });
        let image = match &card {
            Some(path) => base.as_ref().map(|b| format!("{b}/{path}")),
            None => base.as_ref().zip(photo).map(|(b, img)| format!("{b}/{}", img.src)),
        };
        let og = context! {
            description => e.summary.clone().unwrap_or_else(|| first_sentence(e)),
            card => if card.is_some() && image.is_some() { "summary_large_image" } else { "summary" },
            image => image,
        };
        let page = render_page(
            "essay.html",
            root,
            context! { essay => essay, prev => ser(prev), next => ser(next), section => section, og => og, canonical => canonical(&format!("{}/", e.slug)) },
        )?;
        pages.push((format!("{}/index.html", e.slug), page));
    }
    // Sections.
    for p in &book.parts {
        let Some(s) = &p.section else { continue };
        let root = "../../";
        let intro = p.intro.as_ref().map(|i| {
            let f = b.fragment(i, root, false, 2);
            Value::from_safe_string(format!("{}{}", f.body, f.notes))
        });
        let page = render_page(
            "section.html",
            root,
            context! {
                section => context! { id => s.id.clone(), title => s.title.clone(), intro => intro },
                essays => ser(p.essays.iter().map(|e| link(e, root)).collect::<Vec<_>>()),
                canonical => canonical(&format!("part/{}/", s.id)),
            },
        )?;
        pages.push((format!("part/{}/index.html", s.id), page));
    }
    // Front and back matter.
    for (kind, list) in [("front", &book.front), ("back", &book.back)] {
        for e in list.iter() {
            let root = "../../";
            let page = render_page(
                "text.html",
                root,
                context! { text => b.essay_value(e, root, false), kind => kind, canonical => canonical(&format!("{kind}/{}/", e.slug)) },
            )?;
            pages.push((format!("{kind}/{}/index.html", e.slug), page));
        }
    }
    // Contributors, by letter.
    let contributors_value = |root: &str| -> Vec<Value> {
        let essays: HashMap<&str, &Essay> = book.essays().map(|e| (e.slug.as_str(), e)).collect();
        book.contributors
            .iter()
            .map(|c| {
                let first = c.essays.first().and_then(|s| essays.get(s.as_str())).copied();
                let person = first.map(|e| b.person(&c.author, e, 0, root));
                let letter = fold_initial(&c.sort_key);
                context! {
                    person => ser(person),
                    sort_name => c.sort_key.clone(),
                    letter => letter,
                    id => format!("c-{}", crate::lang::slug::slugify(&c.sort_key)),
                    essays => ser(c.essays.iter().filter_map(|s| essays.get(s.as_str())).map(|e| link(e, root)).collect::<Vec<_>>()),
                }
            })
            .collect()
    };
    let people = contributors_value("../");
    let mut letters: Vec<String> = Vec::new();
    for p in &people {
        let l = p.get_attr("letter").map(|v| v.to_string()).unwrap_or_default();
        if !letters.contains(&l) {
            letters.push(l);
        }
    }
    pages.push((
        "contributors/index.html".into(),
        render_page(
            "contributors.html",
            "../",
            context! { contributors => people, letters => letters, canonical => canonical("contributors/") },
        )?,
    ));
    pages.push((
        "search/index.html".into(),
        render_page("search.html", "../", context! { canonical => canonical("search/") })?,
    ));

    // The whole book on one page.
    let parts: Vec<Value> = book
        .parts
        .iter()
        .map(|p| {
            let intro = p.intro.as_ref().map(|i| {
                let f = b.fragment(i, "", true, 3);
                Value::from_safe_string(format!("{}{}", f.body, f.notes))
            });
            context! {
                id => p.section.as_ref().map(|s| s.id.clone()),
                title => p.section.as_ref().map(|s| s.title.clone()),
                intro => intro,
                essays => p.essays.iter().map(|e| b.essay_value(e, "", true)).collect::<Vec<_>>(),
            }
        })
        .collect();
    let matter = |list: &[Essay]| list.iter().map(|e| b.essay_value(e, "", true)).collect::<Vec<_>>();
    pages.push((
        "all.html".into(),
        render_page(
            "all.html",
            "",
            context! {
                front => matter(&book.front), parts => parts, back => matter(&book.back),
                contributors => contributors_value(""), canonical => canonical("all.html"),
            },
        )?,
    ));

    // Static files and the search index.
    site.files
        .insert(PathBuf::from("assets/style.css"), env.get_template("static/style.css")?.source().as_bytes().to_vec());
    site.files
        .insert(PathBuf::from("assets/search.js"), env.get_template("static/search.js")?.source().as_bytes().to_vec());
    let entries: Vec<SearchEntry> = all
        .iter()
        .map(|e| SearchEntry {
            u: format!("{}/index.html", e.slug),
            t: e.title.clone(),
            a: e.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "),
            x: plain_body(e),
        })
        .collect();
    let json = serde_json::to_string(&entries).expect("plain JSON").replace("</", "<\\/");
    site.files
        .insert(PathBuf::from("assets/search-index.js"), format!("window.ANTHOLOGY_SEARCH = {json};\n").into_bytes());
    if let Some(b) = &base {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (path, _) in &pages {
            let p = path.trim_end_matches("index.html");
            xml.push_str(&format!("<url><loc>{}</loc></url>\n", crate::editions::xhtml::escape(&format!("{b}/{p}"))));
        }
        xml.push_str("</urlset>\n");
        site.files.insert(PathBuf::from("sitemap.xml"), xml.into_bytes());
    }
    site.pages = pages.len();
    for (path, html) in pages {
        site.files.insert(PathBuf::from(path), html.into_bytes());
    }
    Ok(site)
}

/// The letter a sort key files under, without accents (É files under E).
fn fold_initial(key: &str) -> String {
    let c = key.chars().next().unwrap_or('#');
    let folded = crate::lang::slug::slugify(&c.to_string());
    match folded.chars().next() {
        Some(f) if f.is_ascii_alphabetic() && folded != "book" => f.to_ascii_uppercase().to_string(),
        _ => c.to_uppercase().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_fold_accents() {
        assert_eq!(fold_initial("Ébrard, Émile"), "E");
        assert_eq!(fold_initial("Åberg, Anna"), "A");
        assert_eq!(fold_initial("Zoé"), "Z");
    }
}
