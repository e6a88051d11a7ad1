//! The site's pages, one kind at a time: home, essays, parts, front and back
//! matter, the contributor index, search, and the whole book on one page.
//! Each is a template of the [`super::environment`] rendered with what every
//! page shares (the book, the contents, the labels) and its own values.

use std::cell::RefCell;
use std::collections::HashMap;

use minijinja::{Environment, Value, context};

use super::view::{View, first_sentence, ser};
use super::{HtmlError, PHOTO_SIZES};
use crate::editions::typst::cards::Card;
use crate::model::book::Essay;

/// A page: its path in the site, and its HTML.
pub(super) type Page = (String, String);

/// Renders the pages of one book.
pub(super) struct Pages<'a> {
    view: &'a View<'a>,
    env: &'a Environment<'static>,
    /// The book and the contents, by the path back to the root (they depend
    /// only on how deep a page is).
    shared: HashMap<&'static str, (Value, Value)>,
    labels: Value,
    /// `[html] base_url`, without its last `/`.
    base: Option<String>,
    /// The description of a page that has none of its own: the book's, or
    /// its title, subtitle and editors.
    description: String,
    /// How many essays the book has.
    essays: usize,
    /// The sidebar as rendered, by depth and open part (see [`Open`]).
    sidebars: RefCell<HashMap<(&'static str, Open), String>>,
    /// Each of the book's languages by its own name, for the switcher.
    language_names: Vec<String>,
}

/// A book with more essays than this shows, in its sidebar, only the open
/// part's essays: every essay would make each page of a 1,000-essay book
/// carry a hundred kilobytes of links (measured: its site grew from 43 to
/// 76 MB with every part of 250 open on every page).
const SIDEBAR_ALL: usize = 150;
/// In a part of more than [`SIDEBAR_ALL`] essays, the sidebar lists the
/// current run of fifty, and the first essay of every other run.
const SIDEBAR_RUN: usize = 50;

/// Which essays a page's sidebar lists, in a book larger than
/// [`SIDEBAR_ALL`]: those of one part (by index), or of one run of
/// [`SIDEBAR_RUN`] in a large part; `None`, only the parts' titles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Open(Option<(usize, usize)>);

/// Where a page is, for its sidebar: its path from the site's root, and the
/// part it opens.
struct Here<'p> {
    path: &'p str,
    open: Open,
}

impl<'a> Pages<'a> {
    /// The pages of `view`'s book, from the templates of `env`.
    pub(super) fn new(view: &'a View<'a>, env: &'a Environment<'static>) -> Self {
        let cfg = &view.book.config;
        let shared =
            ["", "../", "../../"].into_iter().map(|root| (root, (view.book_value(root), view.toc(root)))).collect();
        Pages {
            view,
            env,
            shared,
            labels: ser(cfg.labels()),
            base: cfg.html.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string()),
            sidebars: RefCell::new(HashMap::new()),
            language_names: view
                .book
                .languages
                .all
                .iter()
                .map(|l| crate::lang::labels::Labels::for_lang(l).language_name)
                .collect(),
            essays: view.book.essays().count(),
            description: cfg.description.clone().unwrap_or_else(|| {
                let mut d = cfg.title.clone();
                if let Some(s) = &cfg.subtitle {
                    d = format!("{d}: {s}");
                }
                if !cfg.editors.is_empty() {
                    d = format!("{d} — {} {}", view.labels.edited_by, view.labels.join(&cfg.editors));
                }
                d
            }),
        }
    }

    /// The sidebar of a page at `root` that opens `open`, with the page's
    /// own link marked: rendered once per (depth, open part) and copied.
    fn sidebar(&self, root: &'static str, here: &Here) -> Result<String, HtmlError> {
        // A small book opens every part on every page: one rendering per depth.
        let small = self.essays <= SIDEBAR_ALL;
        let open = match here.open.0 {
            _ if small => Open(None),
            // A part small enough to show whole: one rendering for all its pages.
            Some((p, _)) if self.view.book.parts.get(p).is_some_and(|part| part.essays.len() <= SIDEBAR_ALL) => {
                Open(Some((p, 0)))
            }
            _ => here.open,
        };
        let mut cache = self.sidebars.borrow_mut();
        let html = match cache.get(&(root, open)) {
            Some(h) => h,
            None => {
                let keep = |part: usize, i: usize, len: usize| -> bool {
                    match open.0 {
                        None => small,
                        Some((p, run)) if p == part => {
                            len <= SIDEBAR_ALL || i / SIDEBAR_RUN == run || i.is_multiple_of(SIDEBAR_RUN)
                        }
                        _ => false,
                    }
                };
                let toc = self.view.toc_keeping(root, &keep);
                let html = self.env.get_template("sidebar.html")?.render(context! {
                    toc => toc, labels => self.labels.clone(), root => root,
                })?;
                cache.entry((root, open)).or_insert(html)
            }
        };
        let link = format!("href=\"{root}{}\"", here.path);
        Ok(html.replacen(&link, &format!("{link} aria-current=\"page\""), 1))
    }

    /// Every page: home, essays (each with its share card, when `cards` has
    /// one), parts, front and back matter, contributors, search, all.html.
    pub(super) fn all(&self, cards: &[Card]) -> Result<Vec<Page>, HtmlError> {
        let mut pages = vec![self.home()?];
        pages.extend(self.essays(cards)?);
        pages.extend(self.parts()?);
        pages.extend(self.matter()?);
        pages.push(self.contributors()?);
        pages.extend(self.contributor_pages()?);
        pages.push(self.search()?);
        pages.push(self.single()?);
        Ok(pages)
    }

    /// The canonical address of `path`, when the site's address is known.
    fn canonical(&self, path: &str) -> Option<String> {
        self.base.as_ref().map(|b| format!("{b}/{path}"))
    }

    /// Renders template `name` for a page `root` below the site's root,
    /// with a sidebar when `here` says where the page is.
    fn render(
        &self,
        name: &str,
        (root, path): (&'static str, &str),
        here: Option<Here>,
        extra: Value,
    ) -> Result<String, HtmlError> {
        let (book, toc) = &self.shared[root];
        let languages = self.languages(root, path);
        let sidebar = here.map(|h| self.sidebar(root, &h)).transpose()?.map(Value::from_safe_string);
        // Every page has a description for search engines: its own, or the book's.
        let description = extra
            .get_attr("description")
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_none())
            .unwrap_or_else(|| Value::from(self.description.clone()));
        let ctx = context! {
            book => book.clone(), labels => self.labels.clone(), root => root, toc => toc.clone(), sidebar => sidebar,
            description => description, languages => languages, ..extra
        };
        Ok(self.env.get_template(name)?.render(ctx)?)
    }

    /// The same page in each of the book's languages, for the switcher and
    /// the `hreflang` links: the page itself where that language's edition
    /// has it, else that edition's home page (a text it leaves out, a
    /// contributor it does not have). Empty in a book of one language.
    fn languages(&self, root: &str, path: &str) -> Vec<Value> {
        let book = self.view.book;
        let langs = &book.languages;
        if langs.all.len() < 2 {
            return Vec::new();
        }
        let here = &book.config.language;
        // From this page to the root of the whole site (the original's).
        let top = if langs.folder(here).is_empty() { root.to_string() } else { format!("{root}../") };
        let segments: Vec<&str> = path.split('/').collect();
        let slug = match segments.as_slice() {
            [slug, "index.html"] if !["contributors", "search"].contains(slug) => Some(*slug),
            ["front" | "back", slug, "index.html"] => Some(*slug),
            _ => None,
        };
        langs
            .all
            .iter()
            .zip(&self.language_names)
            .map(|(lang, name)| {
                let there = match (slug, segments.first()) {
                    (Some(s), _) if !langs.has(lang, s) => "index.html",
                    (None, Some(&"contributors")) if lang != here => "contributors/index.html",
                    _ => path,
                };
                let folder = langs.folder(lang);
                let href = format!("{top}{folder}{there}");
                let shown = there.strip_suffix("index.html").unwrap_or(there);
                let url = match &langs.base_url {
                    Some(b) => format!("{}/{folder}{shown}", b.trim_end_matches('/')),
                    None => href.clone(),
                };
                context! {
                    lang => lang, href => href, url => url,
                    name => name,
                    current => lang == here,
                }
            })
            .collect()
    }

    fn home(&self) -> Result<Page, HtmlError> {
        Ok((
            "index.html".into(),
            self.render("home.html", ("", "index.html"), None, context! { canonical => self.canonical("") })?,
        ))
    }

    /// Essays, with previous and next across the whole book.
    fn essays(&self, cards: &[Card]) -> Result<Vec<Page>, HtmlError> {
        let (b, book) = (self.view, self.view.book);
        let all: Vec<&Essay> = book.essays().collect();
        let section_of: HashMap<&str, (&str, &str)> = book
            .parts
            .iter()
            .filter_map(|p| p.section.as_ref().map(|s| (p, s)))
            .flat_map(|(p, s)| p.essays.iter().map(move |e| (e.slug.as_str(), (s.id.as_str(), s.title.as_str()))))
            .collect();
        // Each essay's part and place in it, for the sidebar.
        let place: HashMap<&str, (usize, usize)> = book
            .parts
            .iter()
            .enumerate()
            .flat_map(|(p, part)| part.essays.iter().enumerate().map(move |(i, e)| (e.slug.as_str(), (p, i))))
            .collect();
        let root = "../";
        let mut pages = Vec::with_capacity(all.len());
        for (i, e) in all.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| b.link(all[j], root));
            let next = all.get(i + 1).map(|n| b.link(n, root));
            let section = section_of
                .get(e.slug.as_str())
                .map(|(id, t)| context! { title => t.to_string(), href => format!("../part/{id}/index.html") });
            let photo = e.authors.iter().find_map(|a| a.photo.as_ref()).and_then(|p| b.img(p, &PHOTO_SIZES, ""));
            let card = cards.iter().any(|c| c.slug == e.slug).then(|| super::card_path(&e.slug));
            let image = match &card {
                Some(path) => self.canonical(path),
                None => photo.and_then(|img| self.canonical(&img.src)),
            };
            let og = context! {
                description => e.summary.clone().unwrap_or_else(|| first_sentence(e)),
                card => if card.is_some() && image.is_some() { "summary_large_image" } else { "summary" },
                image => image,
            };
            let share = share(book, e);
            let path = format!("{}/index.html", e.slug);
            let open = Open(place.get(e.slug.as_str()).map(|&(p, i)| (p, i / SIDEBAR_RUN)));
            let page = self.render(
                "essay.html",
                (root, &path),
                Some(Here { path: &path, open }),
                context! {
                    essay => b.essay_value(e, root, false), prev => ser(prev), next => ser(next),
                    section => section, og => og, canonical => self.canonical(&format!("{}/", e.slug)),
                    share => share,
                },
            )?;
            pages.push((path, page));
        }
        Ok(pages)
    }

    /// A page per section, with its introduction and its essays.
    fn parts(&self) -> Result<Vec<Page>, HtmlError> {
        let b = self.view;
        let root = "../../";
        let mut pages = Vec::new();
        for (n, p) in b.book.parts.iter().enumerate() {
            let Some(s) = &p.section else { continue };
            let intro = p.intro.as_ref().map(|i| b.text_with_notes(i, root, false, 2));
            let path = format!("part/{}/index.html", s.id);
            let page = self.render(
                "section.html",
                (root, &path),
                Some(Here { path: &path, open: Open(Some((n, 0))) }),
                context! {
                    section => context! { id => s.id.clone(), title => s.title.clone(), intro => intro },
                    essays => ser(p.essays.iter().map(|e| b.link(e, root)).collect::<Vec<_>>()),
                    canonical => self.canonical(&format!("part/{}/", s.id)),
                },
            )?;
            pages.push((path, page));
        }
        Ok(pages)
    }

    /// Front and back matter.
    fn matter(&self) -> Result<Vec<Page>, HtmlError> {
        let (b, book) = (self.view, self.view.book);
        let root = "../../";
        let mut pages = Vec::new();
        for (kind, list) in [("front", &book.front), ("back", &book.back)] {
            for e in list {
                let path = format!("{kind}/{}/index.html", e.slug);
                let page = self.render(
                    "text.html",
                    (root, &path),
                    Some(Here { path: &path, open: Open(None) }),
                    context! {
                        text => b.essay_value(e, root, false), kind => kind,
                        canonical => self.canonical(&format!("{kind}/{}/", e.slug)),
                    },
                )?;
                pages.push((path, page));
            }
        }
        Ok(pages)
    }

    /// The contributor index, by letter.
    fn contributors(&self) -> Result<Page, HtmlError> {
        let people = self.view.contributors("../");
        let mut letters: Vec<String> = Vec::new();
        for p in &people {
            let l = p.get_attr("letter").map(|v| v.to_string()).unwrap_or_default();
            if !letters.contains(&l) {
                letters.push(l);
            }
        }
        let page = self.render(
            "contributors.html",
            ("../", "contributors/index.html"),
            Some(Here { path: "contributors/index.html", open: Open(None) }),
            context! { contributors => people, letters => letters, canonical => self.canonical("contributors/") },
        )?;
        Ok(("contributors/index.html".into(), page))
    }

    /// A page per contributor: who they are, and what they wrote with whom.
    fn contributor_pages(&self) -> Result<Vec<Page>, HtmlError> {
        let mut out = Vec::new();
        for c in self.view.contributors("../../") {
            let page = c.get_attr("page").map(|v| v.to_string()).unwrap_or_default();
            let path = format!("contributors/{page}/");
            let file = format!("{path}index.html");
            // What search engines show: the bio's first sentence, or the name and the book.
            let name = c.get_attr("sort_name").map(|v| v.to_string()).unwrap_or_default();
            let description = match c.get_attr("bio_text").ok().filter(|v| !v.is_none() && !v.is_undefined()) {
                Some(bio) => bio.to_string(),
                None => format!("{name} — {}", self.view.book.config.title),
            };
            let html = self.render(
                "contributor.html",
                ("../../", &file),
                Some(Here { path: &file, open: Open(None) }),
                context! { c => c, canonical => self.canonical(&path), description => description },
            )?;
            out.push((file, html));
        }
        Ok(out)
    }

    fn search(&self) -> Result<Page, HtmlError> {
        let page = self.render(
            "search.html",
            ("../", "search/index.html"),
            Some(Here { path: "search/index.html", open: Open(None) }),
            context! { canonical => self.canonical("search/") },
        )?;
        Ok(("search/index.html".into(), page))
    }

    /// The whole book on one page.
    fn single(&self) -> Result<Page, HtmlError> {
        let (b, book) = (self.view, self.view.book);
        let parts: Vec<Value> = book
            .parts
            .iter()
            .map(|p| {
                context! {
                    id => p.section.as_ref().map(|s| s.id.clone()),
                    title => p.section.as_ref().map(|s| s.title.clone()),
                    intro => p.intro.as_ref().map(|i| b.text_with_notes(i, "", true, 3)),
                    essays => p.essays.iter().map(|e| b.essay_value(e, "", true)).collect::<Vec<_>>(),
                }
            })
            .collect();
        let matter = |list: &[Essay]| list.iter().map(|e| b.essay_value(e, "", true)).collect::<Vec<_>>();
        let page = self.render(
            "all.html",
            ("", "all.html"),
            None,
            context! {
                front => matter(&book.front), parts => parts, back => matter(&book.back),
                contributors => b.contributors(""), canonical => self.canonical("all.html"),
            },
        )?;
        Ok(("all.html".into(), page))
    }
}

/// An essay's share links, which need no script: the networks' own share
/// addresses, pre-filled with the post of its share card (its title, authors,
/// the book, the hashtag and its address) and its address, and the post to
/// copy for Mastodon, whose instance the page cannot know. `None` without
/// `[html] base_url`: a share needs the essay's address on the web.
fn share(book: &crate::model::book::Book, e: &crate::model::book::Essay) -> Option<minijinja::Value> {
    let url = crate::editions::metadata::essay_url(book, &e.slug)?;
    let post = crate::editions::typst::cards::post(book, e);
    let q = |s: &str| encode(s);
    let links = vec![
        context! { name => "X", href => format!("https://x.com/intent/post?text={}", q(&post)) },
        context! { name => "Bluesky", href => format!("https://bsky.app/intent/compose?text={}", q(&post)) },
        context! { name => "LinkedIn", href => format!("https://www.linkedin.com/sharing/share-offsite/?url={}", q(&url)) },
        context! { name => "E-mail", href => format!("mailto:?subject={}&body={}", q(&e.title), q(&post)) },
    ];
    Some(context! { links => links, post => post, url => url })
}

/// `s` percent-encoded for a URL's query (RFC 3986: all but the unreserved
/// characters, each UTF-8 byte).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod share_tests {
    #[test]
    fn queries_are_percent_encoded_byte_by_byte() {
        assert_eq!(super::encode("« Lire » & co?#é"), "%C2%AB%20Lire%20%C2%BB%20%26%20co%3F%23%C3%A9");
    }
}
