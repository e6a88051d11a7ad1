//! Translations: a text's versions in the book's other languages, named as
//! Hugo names them (`<slug>.<lang>.md` beside `<slug>.md`,
//! `<slug>/index.<lang>.md` beside `<slug>/index.md`, the same for front and
//! back texts and section introductions), each read like any text and kept
//! beside the originals in [`Loaded::translations`].
//!
//! A translation records the version of the original it translates: the
//! digest of the original's text ([`digest`]) in its `original_sha256`.
//! Where that differs from the original's digest now, the translation is
//! behind ([`State::Behind`]). [`edition`] makes the book as it is read in
//! one of its other languages: each text replaced by its translation into
//! it, or left as written (or out, as the book says) when there is none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use rayon::prelude::*;

use super::Loaded;
use super::discover::Found;
#[cfg(test)]
use super::discover::split_name;
use crate::config::{BookConfig, Untranslated};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::{Essay, Kind, Languages, Original};

/// A translation of one of the book's texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Translation {
    /// Its language.
    pub lang: String,
    /// What kind of text it translates.
    pub kind: Kind,
    /// The original's slug (for a section's introduction, the section's id).
    pub of: String,
    /// The original's file, relative to the root.
    pub original: PathBuf,
    /// The translated text, as read (its slug is the original's).
    pub text: Essay,
    /// The digest of the original it says it translates (`original_sha256`).
    pub recorded: Option<String>,
    /// The digest of the original as it is now.
    pub current: String,
}

/// How a translation stands against its original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// It records the original as it is now.
    Done,
    /// It records an earlier version of the original.
    Behind,
    /// It records no version: the translator has not said it is done.
    Unmarked,
}

impl Translation {
    /// How it stands against its original.
    pub fn state(&self) -> State {
        match &self.recorded {
            None => State::Unmarked,
            Some(r) if r.eq_ignore_ascii_case(&self.current) => State::Done,
            Some(_) => State::Behind,
        }
    }
}

/// The digest of a text's version: SHA-256 of what follows its front
/// matter, with its line ends made `\n` and its trailing blanks dropped, so
/// that an edit of its metadata or of its line ends alone changes nothing.
pub fn digest(source: &str) -> String {
    let body = match super::frontmatter::split(source) {
        Ok(s) => &source[s.body],
        Err(_) => source,
    };
    let body = body.replace("\r\n", "\n");
    let mut h = Sha256::new();
    h.update(body.trim_start_matches('\n').trim_end().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `file` is named as a translation (`<name>.<lang>.md`): what a
/// text's own folder holds besides the text.
pub fn is_translation(file: &Path) -> bool {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.strip_suffix(".md").is_some_and(|stem| super::discover::split_name(stem).is_some())
}

/// The key a translation is known by at the editor's desk and in its
/// approvals: its original's (`passeurs`), a dot, its language (`passeurs.en`).
pub fn key(of: &str, lang: &str) -> String {
    format!("{of}.{lang}")
}

/// The file of `original`'s translation into `lang`: `a/b.md` → `a/b.<lang>.md`.
pub fn file_in(original: &Path, lang: &str) -> PathBuf {
    let stem = original.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    original.with_file_name(format!("{stem}.{lang}.md"))
}

/// Every text of the book, as the key its translations are found by.
fn text_key(kind: Kind, of: &str) -> (u8, String) {
    (kind as u8, of.to_string())
}

/// Reads the translations of the book's texts: those of the contributions
/// `found` beside them, and those of the front and back texts and section
/// introductions (`<file>.<lang>.md` for each of the book's other
/// languages). A translation with no original, or into a language the book
/// is not published in, is reported and not read.
pub(super) fn load(loaded: &mut Loaded, cfg: &BookConfig, found: &[Found]) {
    let others: Vec<&str> = cfg.other_languages().collect();
    // (file, language, kind, original's slug, original's file, title from book.toml)
    let mut jobs: Vec<(PathBuf, String, Kind, String, PathBuf, Option<String>)> = Vec::new();
    for f in found {
        let lang = f.lang.clone().unwrap_or_default();
        let Some(original) = loaded.essays.iter().find(|e| e.slug == f.slug) else {
            loaded.diagnostics.push(
                Diagnostic::new(
                    Code::TranslationOrphan,
                    Location::file(&f.file),
                    format!("a translation of `{}`, but the book has no contribution of that name", f.name),
                )
                .hint(format!("name it after the text it translates: contributions/<slug>.{lang}.md beside contributions/<slug>.md")),
            );
            continue;
        };
        if !others.contains(&lang.as_str()) {
            let why = if lang == cfg.language {
                format!("a translation into `{lang}`, the book's own language")
            } else {
                format!("a translation into `{lang}`, which the book is not published in")
            };
            loaded.diagnostics.push(
                Diagnostic::new(Code::TranslationLanguage, Location::file(&f.file), why)
                    .hint(format!("add \"{lang}\" to `languages` under [book] in book.toml, or rename the file")),
            );
            continue;
        }
        jobs.push((f.file.clone(), lang, Kind::Essay, original.slug.clone(), original.file.clone(), None));
    }
    let book_texts = loaded
        .front
        .iter()
        .chain(&loaded.back)
        .map(|e| (e.kind, e.slug.clone(), e.file.clone()))
        .chain(loaded.intros.iter().map(|(id, e)| (Kind::Intro, id.clone(), e.file.clone())));
    for (kind, of, file) in book_texts.collect::<Vec<_>>() {
        for lang in &others {
            let t = file_in(&file, lang);
            if super::assets::locate(&loaded.root, &t).is_ok() {
                // A section's introduction is titled by its section, in this language.
                let title = (kind == Kind::Intro)
                    .then(|| cfg.in_language(lang).sections.into_iter().find(|s| s.id == of).map(|s| s.title))
                    .flatten();
                jobs.push((t, lang.to_string(), kind, of.clone(), file.clone(), title));
            }
        }
    }
    let root = loaded.root.clone();
    let book_refs = loaded.book_references.clone();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|(file, lang, kind, of, _, title)| {
            let labels = cfg.translations.get(lang).and_then(|t| t.labels.clone()).unwrap_or_default();
            super::Text {
                root: &root,
                file,
                kind: *kind,
                slug: of,
                book_lang: lang,
                title: title.as_ref(),
                allow_html: cfg.rules.allow_html,
                book_refs: &book_refs,
                allow_extra: cfg.rules.allow_extra,
                labels: &labels,
                translation: true,
            }
            .load()
        })
        .collect();
    for ((_, lang, kind, of, original, _), r) in jobs.into_iter().zip(results) {
        loaded.diagnostics.extend(r.diagnostics);
        if let Some(t) = r.text {
            loaded.sources.insert(r.file, t);
        }
        loaded.sources.extend(r.references);
        let Some(text) = r.essay else { continue };
        let of_authors =
            loaded.essays.iter().find(|e| kind == Kind::Essay && e.slug == of).map_or(0, |e| e.authors.len());
        if !text.authors.is_empty() && text.authors.len() != of_authors {
            loaded.diagnostics.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    Location::file(&text.file),
                    format!(
                        "the translation names {} author(s), its original {of_authors}: they are the same people",
                        text.authors.len()
                    ),
                )
                .hint("list the original's authors in its order (their names and bios may be translated), or no [[authors]] at all to print the original's"),
            );
            continue;
        }
        let current = loaded.sources.get(&original).map(|s| digest(s)).unwrap_or_default();
        loaded.translations.push(Translation { lang, kind, of, original, text, recorded: r.recorded, current });
    }
}

/// The links between the book's editions: each language's, and the texts
/// it leaves out.
pub fn languages(loaded: &Loaded) -> Languages {
    let Some(cfg) = &loaded.config else { return Languages::default() };
    let mut left_out = BTreeMap::new();
    if cfg.untranslated == Untranslated::Omit {
        for lang in cfg.other_languages() {
            let out: BTreeSet<String> = missing(loaded, lang).iter().map(|e| e.slug.clone()).collect();
            left_out.insert(lang.to_string(), out);
        }
    }
    Languages { all: cfg.languages.clone(), left_out, base_url: cfg.html.base_url.clone() }
}

/// Every original text with the key its translations name it by.
fn texts(loaded: &Loaded) -> impl Iterator<Item = (Kind, &str, &Essay)> {
    loaded
        .essays
        .iter()
        .chain(&loaded.front)
        .chain(&loaded.back)
        .map(|e| (e.kind, e.slug.as_str(), e))
        .chain(loaded.intros.iter().map(|(id, e)| (Kind::Intro, id.as_str(), e)))
}

/// The originals with no translation into `lang`, by file.
pub fn missing<'a>(loaded: &'a Loaded, lang: &str) -> Vec<&'a Essay> {
    let have: BTreeSet<(u8, String)> =
        loaded.translations.iter().filter(|t| t.lang == lang).map(|t| text_key(t.kind, &t.of)).collect();
    let mut out: Vec<&Essay> =
        texts(loaded).filter(|(kind, of, _)| !have.contains(&text_key(*kind, of))).map(|(_, _, e)| e).collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// The book as its edition in `lang` reads it: the configuration of that
/// edition, and each text replaced by its translation into `lang`; a text
/// without one is kept in its own language, or left out when the book
/// says `untranslated = "omit"`. What is read once (the sources, the
/// diagnostics) is not copied.
pub fn edition(loaded: &Loaded, lang: &str) -> Loaded {
    let config = loaded.config.as_ref().map(|c| c.in_language(lang));
    let omit = loaded.config.as_ref().is_some_and(|c| c.untranslated == Untranslated::Omit);
    let by_key: BTreeMap<(u8, String), &Translation> =
        loaded.translations.iter().filter(|t| t.lang == lang).map(|t| (text_key(t.kind, &t.of), t)).collect();
    let read = |e: &Essay, of: &str| -> Option<Essay> {
        match by_key.get(&text_key(e.kind, of)) {
            Some(t) => Some(translated(e, &t.text)),
            None if omit => None,
            None => Some(e.clone()),
        }
    };
    Loaded {
        root: loaded.root.clone(),
        config,
        essays: loaded.essays.iter().filter_map(|e| read(e, &e.slug)).collect(),
        front: loaded.front.iter().filter_map(|e| read(e, &e.slug)).collect(),
        back: loaded.back.iter().filter_map(|e| read(e, &e.slug)).collect(),
        intros: loaded.intros.iter().filter_map(|(id, e)| read(e, id).map(|e| (id.clone(), e))).collect(),
        cover: loaded.cover.clone(),
        book_references: loaded.book_references.clone(),
        ..Loaded::default()
    }
}

/// The translation `t` of `original` as its edition prints it: its own
/// words, with the original's authors, place in the book and date.
fn translated(original: &Essay, t: &Essay) -> Essay {
    let mut e = t.clone();
    e.kind = original.kind;
    e.slug = original.slug.clone();
    // The same people, as the translation writes them (a name in its
    // script, a translated bio), with what it does not say taken from
    // the original.
    e.authors = if t.authors.len() == original.authors.len() {
        t.authors.iter().zip(&original.authors).map(|(a, o)| same_person(a, o, &original.lang)).collect()
    } else {
        let mut authors = original.authors.clone();
        for a in &mut authors {
            a.bio_lang = Some(original.lang.clone());
        }
        authors
    };
    e.section = original.section.clone();
    e.weight = original.weight;
    e.draft = original.draft || t.draft;
    e.date = original.date.clone();
    if e.tags.is_empty() {
        e.tags = original.tags.clone();
    }
    e.original = Some(Original {
        lang: original.lang.clone(),
        title: original.title.clone(),
        file: original.file.clone(),
        doi: original.doi.clone(),
    });
    e
}

/// An author as a translation writes them, with what it leaves out taken
/// from the original's `o`.
fn same_person(
    a: &crate::model::book::Author,
    o: &crate::model::book::Author,
    lang: &str,
) -> crate::model::book::Author {
    let mut p = a.clone();
    p.sort_as = p.sort_as.or_else(|| o.sort_as.clone());
    if p.bio_doc.is_none() {
        p.bio = o.bio.clone();
        p.bio_doc = o.bio_doc.clone();
        p.bio_lang = Some(lang.to_string());
    }
    p.photo = p.photo.or_else(|| o.photo.clone());
    p.affiliation = p.affiliation.or_else(|| o.affiliation.clone());
    if p.affiliations.is_empty() {
        p.affiliations = o.affiliations.clone();
    }
    p.handle = p.handle.or_else(|| o.handle.clone());
    p.url = p.url.or_else(|| o.url.clone());
    p.orcid = p.orcid.or_else(|| o.orcid.clone());
    p.email = p.email.or_else(|| o.email.clone());
    p.public_email |= o.public_email;
    p.corresponding |= o.corresponding;
    p.equal_contribution |= o.equal_contribution;
    if p.roles.is_empty() {
        p.roles = o.roles.clone();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_a_language_are_translations() {
        assert_eq!(split_name("interview.en"), Some(("interview", "en".to_string())));
        assert_eq!(split_name("index.pt-br"), Some(("index", "pt-BR".to_string())));
        assert_eq!(split_name("interview"), None);
        assert_eq!(split_name("v1.2"), None);
        assert_eq!(split_name(".en"), None);
        assert_eq!(file_in(Path::new("front/preface.md"), "ar"), PathBuf::from("front/preface.ar.md"));
    }

    #[test]
    fn the_digest_reads_the_text_not_its_metadata_or_line_ends() {
        let a = digest("+++\ntitle = \"A\"\n+++\n\nSome text.\n");
        assert_eq!(a.len(), 64);
        assert_eq!(a, digest("+++\ntitle = \"B\"\n+++\r\n\r\nSome text.\r\n\r\n"));
        assert_ne!(a, digest("+++\ntitle = \"A\"\n+++\n\nSome other text.\n"));
    }
}
