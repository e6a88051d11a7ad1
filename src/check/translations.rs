//! The rules of a book published in several languages: a translation of
//! an earlier version of its original is behind, and each language's
//! untranslated texts are listed once.

use std::path::Path;

use crate::config::BOOK_FILE;
use crate::diagnostic::{Code, Diagnostic, Location, slash_path};
use crate::input::Loaded;
use crate::input::translations::{self, State};

/// How many untranslated texts a diagnostic names before it counts the rest.
const NAMED: usize = 12;

/// The translations behind their originals, and each language's untranslated texts.
pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let Some(cfg) = &loaded.config else { return Vec::new() };
    let mut out = Vec::new();
    for t in &loaded.translations {
        if t.state() != State::Behind {
            continue;
        }
        let text = loaded.sources.get(&t.text.file).map_or("", String::as_str);
        let recorded = t.recorded.as_deref().unwrap_or_default();
        let loc = match text.find(recorded) {
            Some(at) if !recorded.is_empty() => Location::at(&t.text.file, text, at..at + recorded.len()),
            _ => Location::file(&t.text.file),
        };
        out.push(
            Diagnostic::new(
                Code::TranslationBehind,
                loc,
                format!(
                    "this translation is of an earlier version of {}: the original changed since",
                    slash_path(&t.original)
                ),
            )
            .hint(format!(
                "bring it up to date with the original (`git diff` on {} shows what changed), then run `anthology translations done {}`",
                slash_path(&t.original),
                slash_path(&t.text.file)
            )),
        );
    }
    let book = loaded.sources.get(Path::new(BOOK_FILE)).map_or("", String::as_str);
    let at = match crate::config::key_span(book, "languages") {
        Some(span) => Location::at(BOOK_FILE, book, span),
        None => Location::file(BOOK_FILE),
    };
    for lang in cfg.other_languages() {
        let missing = translations::missing(loaded, lang);
        if missing.is_empty() {
            continue;
        }
        let mut names: Vec<String> = missing.iter().take(NAMED).map(|e| slash_path(&e.file)).collect();
        if missing.len() > NAMED {
            names.push(format!("and {} more", missing.len() - NAMED));
        }
        let what = match cfg.untranslated {
            crate::config::Untranslated::Original => "printed in their own language",
            crate::config::Untranslated::Omit => "left out",
        };
        out.push(
            Diagnostic::new(
                Code::Untranslated,
                at.clone(),
                format!(
                    "{} of {} texts have no translation into `{lang}` ({what} in that edition): {}",
                    missing.len(),
                    loaded.texts().count(),
                    names.join(", ")
                ),
            )
            .hint(format!(
                "a translation goes beside its original, as <name>.{lang}.md; `anthology translations` lists them all"
            )),
        );
    }
    out
}
