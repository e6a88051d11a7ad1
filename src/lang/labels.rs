//! The words the editions print themselves ("Contents", "Edited by", the
//! site's navigation and search…), in the book's language: one table for
//! every edition, `labels.toml` beside this file, with the 25 languages most
//! used on the web. A book replaces any word in book.toml's `[labels]`; a
//! language not in the table is printed in English, and `check` says how to
//! supply its words.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Every key of a language's table, in the order of [`Labels`]' fields.
pub const KEYS: &[&str] = &[
    "figure",
    "table",
    "listing",
    "equation",
    "note",
    "tip",
    "warning",
    "important",
    "caution",
    "abstract",
    "corresponding",
    "equal_contribution",
    "contributions",
    "role_lead",
    "role_equal",
    "role_supporting",
    "last",
    "separator",
    "edited_by",
    "contents",
    "index",
    "license",
    "identifier",
    "cover",
    "landmarks",
    "start",
    "title_page",
    "copyright",
    "colon",
    "offprint_from",
    "proof",
    "page",
    "pages",
    "whole_book",
    "page_ref",
    "all",
    "search",
    "skip",
    "previous",
    "next",
    "notes",
    "no_results",
    "no_script",
    "letters",
    "essays_in",
    "portrait",
    "references",
    "cite",
    "cite_book",
    "with_texts_by",
    "download",
    "share",
    "display",
    "theme",
    "theme_auto",
    "theme_light",
    "theme_dark",
    "theme_sepia",
    "text_size",
    "close",
    "translated_by",
    "translation",
    "languages",
    "language_name",
];

/// The table, parsed once: language → key → word.
static TABLE: LazyLock<BTreeMap<String, BTreeMap<String, String>>> =
    LazyLock::new(|| toml::from_str(include_str!("labels.toml")).expect("labels.toml is valid TOML"));

/// The languages the table has (primary subtags).
pub fn languages() -> Vec<&'static str> {
    TABLE.keys().map(String::as_str).collect()
}

/// Whether the table has the language of a BCP 47 tag.
pub fn supported(lang: &str) -> bool {
    TABLE.contains_key(&super::primary(lang))
}

/// Words printed by the editions.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Labels {
    /// Between the last two names of a list, with its spaces (" and ", "和").
    pub last: String,
    /// Between the other names of a list (", ", "、").
    pub separator: String,
    /// `last` without its spaces: the word itself.
    pub and: String,
    /// Before the editors' names on the title page.
    pub edited_by: String,
    /// The contents.
    pub contents: String,
    /// The contributor index.
    pub index: String,
    /// Before the licence on the copyright page.
    pub license: String,
    /// Before the identifier on the copyright page.
    pub identifier: String,
    /// The cover.
    pub cover: String,
    /// Landmarks of an EPUB.
    pub landmarks: String,
    /// Where the reading starts.
    pub start: String,
    /// The title page.
    pub title_page: String,
    /// The copyright page.
    pub copyright: String,
    /// After a label, before its value: ":" in English, " :" (no-break) in French.
    pub colon: String,
    /// Above the book's title on an offprint's first page.
    pub offprint_from: String,
    /// Marks an offprint made as a proof, for its authors' approval.
    pub proof: String,
    /// Before the page an offprint reproduces, when it is one.
    pub page: String,
    /// Before the pages an offprint reproduces.
    pub pages: String,
    /// Before the address of the whole book.
    pub whole_book: String,
    /// Before the page a link inside the printed book leads to ("p. 37").
    pub page_ref: String,
    /// The website's single-page edition.
    pub all: String,
    /// The website's search.
    pub search: String,
    /// The link that skips the website's navigation.
    pub skip: String,
    /// The link to the previous essay.
    pub previous: String,
    /// The link to the next essay.
    pub next: String,
    /// The footnotes of an essay on the website.
    pub notes: String,
    /// A search that found nothing.
    pub no_results: String,
    /// The search page without JavaScript.
    pub no_script: String,
    /// The letters above the website's contributor index.
    pub letters: String,
    /// The essays listed on a part's page.
    pub essays_in: String,
    /// The alternative text of a portrait, with `{name}`.
    pub portrait: String,
    /// The heading of an essay's bibliography.
    pub references: String,
    /// The heading of the block that shows how to cite an essay.
    pub cite: String,
    /// The heading of the block that shows how to cite the whole book.
    pub cite_book: String,
    /// What heads the list of contributors on the back cover ("With texts by").
    pub with_texts_by: String,
    /// What heads the site's list of editions to download.
    pub download: String,
    /// What heads an essay's share links.
    pub share: String,
    /// What heads the site's reader settings (theme and text size).
    pub display: String,
    /// What heads the choice of colours.
    pub theme: String,
    /// The theme that follows the system's light or dark setting.
    pub theme_auto: String,
    /// The light theme.
    pub theme_light: String,
    /// The dark theme.
    pub theme_dark: String,
    /// The sepia theme.
    pub theme_sepia: String,
    /// What heads the choice of text size.
    pub text_size: String,
    /// What closes the contents menu on a phone.
    pub close: String,
    /// What a cross-reference to a figure says before its number ("Figure").
    pub figure: String,
    /// What a cross-reference to a table says before its number ("Table").
    pub table: String,
    /// What a cross-reference to a code listing says before its number ("Listing").
    pub listing: String,
    /// What a cross-reference to an equation says before its number ("Equation").
    pub equation: String,
    /// The title of a `note` callout.
    pub note: String,
    /// The title of a `tip` callout.
    pub tip: String,
    /// The title of a `warning` callout.
    pub warning: String,
    /// The title of an `important` callout.
    pub important: String,
    /// The title of a `caution` callout.
    pub caution: String,
    /// The title of an essay's abstract ("Abstract").
    pub r#abstract: String,
    /// The note on a corresponding author's name ("Corresponding author").
    pub corresponding: String,
    /// The note on the names of authors who contributed equally.
    pub equal_contribution: String,
    /// What precedes an author's roles in the byline's notes ("Contributions").
    pub contributions: String,
    /// A role's degree: led ("lead").
    pub role_lead: String,
    /// A role's degree: shared equally ("equal").
    pub role_equal: String,
    /// A role's degree: supported ("supporting").
    pub role_supporting: String,
    /// Before a translation's translators ("Translated by").
    pub translated_by: String,
    /// Marks a translated text in the contributor index ("translation").
    pub translation: String,
    /// Names the site's language switcher ("Languages").
    pub languages: String,
    /// The language's own name for itself ("Français"); the tag itself for
    /// a language the table does not have.
    pub language_name: String,
    #[serde(skip)]
    french: bool,
}

impl Labels {
    /// The labels of a BCP 47 language; English for a language the table
    /// does not have.
    pub fn for_lang(lang: &str) -> Labels {
        Self::with(lang, &BTreeMap::new())
    }

    /// The labels of `lang` with the book's own words (`[labels]`) over them.
    pub fn with(lang: &str, own: &BTreeMap<String, String>) -> Labels {
        let primary = super::primary(lang);
        let english = &TABLE["en"];
        let table = TABLE.get(&primary).unwrap_or(english);
        let get = |key: &str| -> String {
            let word = own.get(key).or_else(|| table.get(key)).or_else(|| english.get(key));
            word.cloned().unwrap_or_default()
        };
        let last = get("last");
        Labels {
            and: last.trim().to_string(),
            last,
            separator: get("separator"),
            edited_by: get("edited_by"),
            contents: get("contents"),
            index: get("index"),
            license: get("license"),
            identifier: get("identifier"),
            cover: get("cover"),
            landmarks: get("landmarks"),
            start: get("start"),
            title_page: get("title_page"),
            copyright: get("copyright"),
            colon: get("colon"),
            offprint_from: get("offprint_from"),
            proof: get("proof"),
            page: get("page"),
            pages: get("pages"),
            whole_book: get("whole_book"),
            page_ref: get("page_ref"),
            all: get("all"),
            search: get("search"),
            skip: get("skip"),
            previous: get("previous"),
            next: get("next"),
            notes: get("notes"),
            no_results: get("no_results"),
            no_script: get("no_script"),
            letters: get("letters"),
            essays_in: get("essays_in"),
            portrait: get("portrait"),
            references: get("references"),
            cite: get("cite"),
            cite_book: get("cite_book"),
            with_texts_by: get("with_texts_by"),
            download: get("download"),
            share: get("share"),
            display: get("display"),
            theme: get("theme"),
            theme_auto: get("theme_auto"),
            theme_light: get("theme_light"),
            theme_dark: get("theme_dark"),
            theme_sepia: get("theme_sepia"),
            text_size: get("text_size"),
            close: get("close"),
            figure: get("figure"),
            table: get("table"),
            listing: get("listing"),
            equation: get("equation"),
            note: get("note"),
            tip: get("tip"),
            warning: get("warning"),
            important: get("important"),
            caution: get("caution"),
            r#abstract: get("abstract"),
            corresponding: get("corresponding"),
            equal_contribution: get("equal_contribution"),
            contributions: get("contributions"),
            role_lead: get("role_lead"),
            role_equal: get("role_equal"),
            role_supporting: get("role_supporting"),
            translated_by: get("translated_by"),
            translation: get("translation"),
            languages: get("languages"),
            language_name: if table.contains_key("language_name") || own.contains_key("language_name") {
                get("language_name")
            } else {
                lang.to_string()
            },
            french: primary == "fr" && !own.contains_key("portrait"),
        }
    }

    /// The alternative text of a contributor's portrait ("Portrait d’Inès Abadie").
    pub fn portrait_of(&self, name: &str) -> String {
        if self.french {
            let vowel = name.chars().next().is_some_and(|c| "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸaeiouyàâäéèêëîïôöùûüÿ".contains(c));
            if vowel {
                return format!("Portrait d’{name}");
            }
        }
        self.portrait.replace("{name}", name)
    }

    /// `A, B and C`, with the language's separators.
    pub fn join(&self, names: &[String]) -> String {
        self.join_with(names, str::to_string)
    }

    /// `names` (already written for an output format) joined with the
    /// language's separators, written for that format by `escape`.
    pub fn join_with(&self, names: &[String], escape: impl Fn(&str) -> String) -> String {
        match names {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{}{}{last}", rest.join(&escape(&self.separator)), escape(&self.last)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label() {
        let langs = languages();
        assert!(langs.len() >= 25, "{langs:?}");
        for (lang, table) in TABLE.iter() {
            for key in KEYS {
                assert!(table.get(*key).is_some_and(|w| !w.trim().is_empty()), "`{key}` missing in [{lang}]");
            }
            for key in table.keys() {
                assert!(KEYS.contains(&key.as_str()), "[{lang}] has `{key}`, which is no label");
            }
            assert!(table["portrait"].contains("{name}"), "[{lang}] portrait without {{name}}");
        }
    }

    #[test]
    fn french_elides_before_vowels() {
        let fr = Labels::for_lang("fr");
        assert_eq!(fr.portrait_of("Inès Abadie"), "Portrait d’Inès Abadie");
        assert_eq!(fr.portrait_of("Élodie Marchand"), "Portrait d’Élodie Marchand");
        assert_eq!(fr.portrait_of("Karim Benslimane"), "Portrait de Karim Benslimane");
        assert_eq!(fr.colon, "\u{a0}:");
        assert_eq!(Labels::for_lang("en-GB").portrait_of("Inès"), "Portrait of Inès");
    }

    #[test]
    fn lists_of_names() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Labels::for_lang("fr").join(&n(&["A", "B", "C"])), "A, B et C");
        assert_eq!(Labels::for_lang("en").join(&n(&["A"])), "A");
        assert_eq!(Labels::for_lang("zh").join(&n(&["王丽", "李明", "陈静"])), "王丽、李明和陈静");
        assert_eq!(Labels::for_lang("fa").join(&n(&["الف", "ب", "پ"])), "الف، ب و پ");
    }

    #[test]
    fn unknown_languages_fall_back_to_english_and_books_override() {
        assert!(!supported("kw") && supported("fa-IR"));
        assert_eq!(Labels::for_lang("kw").contents, "Contents");
        let own = BTreeMap::from([("contents".to_string(), "Synsis".to_string())]);
        let l = Labels::with("kw", &own);
        assert_eq!((l.contents.as_str(), l.index.as_str()), ("Synsis", "Index of contributors"));
    }
}
