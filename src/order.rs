//! Stage 3, order: arrange the validated essays into a [`Book`].
//!
//! The order is total and deterministic: whatever order files were read in,
//! the same sources give the same book. Essays outside any section come first,
//! then each section in the order `book.toml` declares them; within a group the
//! `[order]` rule applies, and ties always fall back to the slug. The
//! contributor index is built here too, merged by name and sorted with the
//! book language's collation. Last, each text is set in its language's
//! typographic conventions, and its citations and bibliography in the
//! book's citation style, once for every edition.

use std::cmp::Ordering;
use std::collections::HashMap;

use std::borrow::Cow;

use crate::config::{BookConfig, OrderBy};
use crate::input::Loaded;
use crate::lang::collate::{Collation, NameKey, name_key};
use crate::lang::typography::{self, Style};
use crate::model::book::{Author, Book, Contributor, Essay, Kind, Part};
use crate::model::document::Document;

/// Orders a loaded book. Drafts are left out unless `drafts` is set. Call
/// it on a book without errors; `None` when there is no configuration.
pub fn order(loaded: Loaded, drafts: bool) -> Option<Book> {
    let config = loaded.config?;
    let collation = Collation::new(&config.language);
    let mut intros = loaded.intros;
    let essays: Vec<Essay> = loaded.essays.into_iter().filter(|e| drafts || !e.draft).collect();

    let mut groups: Vec<Vec<Essay>> = vec![Vec::new(); config.sections.len() + 1];
    let index: HashMap<&str, usize> = config.sections.iter().enumerate().map(|(i, s)| (s.id.as_str(), i + 1)).collect();
    for e in essays {
        let g = e.section.as_deref().and_then(|s| index.get(s)).copied().unwrap_or(0);
        groups[g].push(e);
    }
    for g in &mut groups {
        sort_essays(g, &config, &collation);
    }
    let mut parts = Vec::new();
    for (i, essays) in groups.into_iter().enumerate() {
        let section = i.checked_sub(1).map(|s| config.sections[s].clone());
        if section.is_none() && essays.is_empty() {
            continue;
        }
        let intro = section.as_ref().and_then(|s| intros.remove(&s.id));
        parts.push(Part { section, intro, essays });
    }
    let contributors = contributors(parts.iter().flat_map(|p| &p.essays), &collation);
    let mut book = Book {
        config,
        root: loaded.root,
        front: loaded.front,
        parts,
        back: loaded.back,
        contributors,
        cover: loaded.cover,
        languages: Default::default(),
    };
    apply_typography(&mut book);
    crate::cite::render(&mut book);
    Some(book)
}

/// Orders the book and its edition in each of its other languages
/// (`[book] languages`, see [`crate::input::translations::edition`]): the
/// book first, then the others in the order `book.toml` lists them, each
/// knowing the others' languages for the links between them.
pub fn editions(loaded: Loaded, drafts: bool) -> Vec<Book> {
    let languages = crate::input::translations::languages(&loaded);
    let others: Vec<Loaded> = loaded
        .config
        .iter()
        .flat_map(|c| c.other_languages())
        .map(|lang| crate::input::translations::edition(&loaded, lang))
        .collect();
    let mut books: Vec<Book> = std::iter::once(loaded).chain(others).filter_map(|l| order(l, drafts)).collect();
    for b in &mut books {
        b.languages = languages.clone();
    }
    books
}

/// Sets the prose of `doc` in the typographic conventions of language `lang`.
pub fn fix_document(doc: &mut Document, lang: &str) {
    fix_document_in(doc, Style::for_lang(lang));
}

fn fix_document_in(doc: &mut Document, style: Style) {
    if style != Style::Unchanged {
        doc.map_prose(&mut |t, prev| typography::fix(t, style, prev).into_owned());
    }
}

/// The typography pass: every text the editions print, in the conventions
/// of its language ([`typography::fix`]), once for all of them. The book's
/// own texts (title, sections) take the book's language; an essay's, its
/// own; a contributor's, that of their first essay. Sort keys were taken
/// from the names as written, before this pass.
fn apply_typography(book: &mut Book) {
    fn fix(text: &mut String, style: Style) {
        if let Cow::Owned(fixed) = typography::fix(text, style, None) {
            *text = fixed;
        }
    }
    fn fix_opt(text: &mut Option<String>, style: Style) {
        if let Some(t) = text {
            fix(t, style);
        }
    }
    fn fix_author(a: &mut Author, style: Style) {
        fix(&mut a.name, style);
        fix_opt(&mut a.affiliation, style);
        if let Some(doc) = &mut a.bio_doc {
            fix_document_in(doc, style);
        }
    }
    let book_style = Style::for_lang(&book.config.language);
    let cfg = &mut book.config;
    fix(&mut cfg.title, book_style);
    fix_opt(&mut cfg.subtitle, book_style);
    fix_opt(&mut cfg.description, book_style);
    for part in &mut book.parts {
        if let Some(s) = &mut part.section {
            fix(&mut s.title, book_style);
        }
    }
    let lang_of: HashMap<String, Style> =
        book.texts().filter(|e| e.kind == Kind::Essay).map(|e| (e.slug.clone(), Style::for_lang(&e.lang))).collect();
    // Each text on its own, on every core: a 1,000-essay book's pass took
    // a quarter of a second on one.
    use rayon::prelude::*;
    let mut texts: Vec<&mut Essay> = book.texts_mut().collect();
    texts.par_iter_mut().for_each(|e| {
        let style = Style::for_lang(&e.lang);
        fix(&mut e.title, style);
        fix_opt(&mut e.subtitle, style);
        fix_opt(&mut e.summary, style);
        fix_opt(&mut e.quote, style);
        for a in &mut e.authors {
            fix_author(a, style);
        }
        fix_document_in(&mut e.body, style);
    });
    book.contributors.par_iter_mut().for_each(|c| {
        let style =
            c.essays.first().or(c.translated.first()).and_then(|s| lang_of.get(s)).copied().unwrap_or(book_style);
        fix_author(&mut c.author, style);
    });
}

fn first_author_key(e: &Essay) -> Option<NameKey> {
    e.authors.first().map(|a| name_key(&a.name, a.sort_as.as_deref()))
}

/// Sorts one group of essays by the book's rule; the slug breaks every tie.
pub fn sort_essays(essays: &mut [Essay], config: &BookConfig, collation: &Collation) {
    let by_title = |a: &Essay, b: &Essay| collation.compare(&a.title, &b.title);
    match config.order.by {
        OrderBy::Surname => essays.sort_by(|a, b| {
            match (first_author_key(a), first_author_key(b)) {
                (Some(x), Some(y)) => collation.compare_names(&x, &y),
                (x, y) => x.is_none().cmp(&y.is_none()),
            }
            .then_with(|| by_title(a, b))
            .then_with(|| a.slug.cmp(&b.slug))
        }),
        OrderBy::Title => essays.sort_by(|a, b| by_title(a, b).then_with(|| a.slug.cmp(&b.slug))),
        OrderBy::Weight => essays.sort_by(|a, b| {
            a.weight
                .unwrap_or(i64::MAX)
                .cmp(&b.weight.unwrap_or(i64::MAX))
                .then_with(|| by_title(a, b))
                .then_with(|| a.slug.cmp(&b.slug))
        }),
        OrderBy::List => {
            let pos: HashMap<String, usize> =
                config.order.list.iter().enumerate().map(|(i, s)| (crate::lang::slug::ascii(s), i)).collect();
            essays.sort_by(|a, b| {
                let pa = pos.get(a.slug.as_str()).copied().unwrap_or(usize::MAX);
                let pb = pos.get(b.slug.as_str()).copied().unwrap_or(usize::MAX);
                pa.cmp(&pb).then_with(|| a.slug.cmp(&b.slug))
            });
        }
    }
}

/// The contributor index: one entry per name, sorted by family name.
pub fn contributors<'a>(essays: impl Iterator<Item = &'a Essay>, collation: &Collation) -> Vec<Contributor> {
    let mut out: Vec<(NameKey, Contributor)> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let essays: Vec<&Essay> = essays.collect();
    // The authors first, then the translators (whether they also wrote an
    // essay or not): one entry per name, with what they wrote and translated.
    let signed = essays.iter().flat_map(|e| e.authors.iter().map(move |a| (e, a, false)));
    let translated = essays.iter().flat_map(|e| e.translators.iter().map(move |a| (e, a, true)));
    for (e, a, translation) in signed.chain(translated) {
        let i = *by_name.entry(a.name.clone()).or_insert_with(|| {
            let key = name_key(&a.name, a.sort_as.as_deref());
            let contributor =
                Contributor { author: a.clone(), sort_key: key.display(), essays: Vec::new(), translated: Vec::new() };
            out.push((key, contributor));
            out.len() - 1
        });
        let c = &mut out[i].1;
        let list = if translation { &mut c.translated } else { &mut c.essays };
        if !list.contains(&e.slug) {
            list.push(e.slug.clone());
        }
    }
    out.sort_by(|(ka, a), (kb, b)| {
        collation.compare_names(ka, kb).then_with(|| a.author.name.cmp(&b.author.name)).then(Ordering::Equal)
    });
    out.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::book::{Author, Kind};
    use crate::model::document::Document;
    use proptest::prelude::*;

    fn essay(slug: &str, author: &str, title: &str, weight: Option<i64>) -> Essay {
        Essay {
            quote: None,
            kind: Kind::Essay,
            slug: slug.into(),
            file: format!("contributions/{slug}.md").into(),
            dir: "contributions".into(),
            title: title.into(),
            subtitle: None,
            summary: None,
            lang: "fr".into(),
            section: None,
            weight,
            tags: vec![],
            draft: false,
            authors: vec![Author { name: author.into(), ..Author::default() }],
            body: Document::default(),
            words: 0,
            images: vec![],
            references: Default::default(),
            doi: None,
            date: None,
            translators: Vec::new(),
            original: None,
        }
    }

    fn slugs(v: &[Essay]) -> Vec<&str> {
        v.iter().map(|e| e.slug.as_str()).collect()
    }

    #[test]
    fn surname_order_uses_french_collation_and_particles() {
        let cfg = BookConfig::minimal("T", "fr");
        let c = Collation::new("fr");
        let mut v = vec![
            essay("z", "Zoé Abadie", "Z", None),
            essay("g", "Charles de Gaulle", "G", None),
            essay("l", "Jean-Pierre Le Gall", "L", None),
            essay("e", "Élodie Garnier", "E", None),
            essay("f", "Anne Lefèvre", "F", None),
        ];
        sort_essays(&mut v, &cfg, &c);
        assert_eq!(slugs(&v), vec!["z", "e", "g", "f", "l"]);
    }

    #[test]
    fn weight_and_list() {
        let mut cfg = BookConfig::minimal("T", "en");
        let c = Collation::new("en");
        let mut v =
            vec![essay("a", "A B", "A", Some(3)), essay("b", "C D", "B", None), essay("c", "E F", "C", Some(1))];
        cfg.order.by = OrderBy::Weight;
        sort_essays(&mut v, &cfg, &c);
        assert_eq!(slugs(&v), vec!["c", "a", "b"]);
        cfg.order.by = OrderBy::List;
        cfg.order.list = vec!["b".into(), "a".into(), "c".into()];
        sort_essays(&mut v, &cfg, &c);
        assert_eq!(slugs(&v), vec!["b", "a", "c"]);
    }

    #[test]
    fn contributors_are_merged_and_sorted() {
        let c = Collation::new("fr");
        let v = [
            essay("a", "Zoé Martin", "A", None),
            essay("b", "Élodie Garnier", "B", None),
            essay("c", "Zoé Martin", "C", None),
        ];
        let idx = contributors(v.iter(), &c);
        assert_eq!(idx.len(), 2);
        assert_eq!(idx[0].author.name, "Élodie Garnier");
        assert_eq!(idx[1].essays, vec!["a", "c"]);
        assert_eq!(idx[1].sort_key, "Martin, Zoé");
    }

    proptest! {
        #[test]
        fn ordering_is_a_deterministic_permutation(
            names in proptest::collection::vec(("[A-Za-zÉé ]{1,12}", "[a-z]{1,6}", proptest::option::of(-3i64..3)), 1..25),
            by in 0usize..3,
            seed in any::<u64>(),
        ) {
            let mut cfg = BookConfig::minimal("T", "fr");
            cfg.order.by = [OrderBy::Surname, OrderBy::Title, OrderBy::Weight][by];
            let c = Collation::new("fr");
            let essays: Vec<Essay> = names.iter().enumerate()
                .map(|(i, (n, t, w))| essay(&format!("s{i}"), n, t, *w)).collect();
            let mut a = essays.clone();
            sort_essays(&mut a, &cfg, &c);
            // Another arrival order: a seeded rotation and reversal.
            let mut b = essays.clone();
            let k = (seed as usize) % b.len();
            b.rotate_left(k);
            if seed % 2 == 0 { b.reverse(); }
            sort_essays(&mut b, &cfg, &c);
            prop_assert_eq!(slugs(&a), slugs(&b));
            let mut sorted_slugs: Vec<_> = slugs(&a).into_iter().map(String::from).collect();
            sorted_slugs.sort();
            let mut orig: Vec<_> = essays.iter().map(|e| e.slug.clone()).collect();
            orig.sort();
            prop_assert_eq!(sorted_slugs, orig);
        }
    }
}
