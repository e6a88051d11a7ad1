//! The words the editions print themselves ("Contents", "Edited by", the
//! site's navigation and search…), in the book's language: one table for
//! every edition. French, German, or English for every other language.

use crate::lang::typography::Style;

/// Words printed by the editions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Labels {
    /// Between the last two names of a list.
    pub and: &'static str,
    /// Before the editors' names on the title page.
    pub edited_by: &'static str,
    /// The contents.
    pub contents: &'static str,
    /// The contributor index.
    pub index: &'static str,
    /// Before the licence on the copyright page.
    pub license: &'static str,
    /// Before the identifier on the copyright page.
    pub identifier: &'static str,
    /// The cover.
    pub cover: &'static str,
    /// Landmarks of an EPUB.
    pub landmarks: &'static str,
    /// Where the reading starts.
    pub start: &'static str,
    /// The title page.
    pub title_page: &'static str,
    /// The copyright page.
    pub copyright: &'static str,
    /// Before a colon: a space in English and German, a no-break one in French.
    pub colon: &'static str,
    /// Above the book's title on an offprint's first page.
    pub offprint_from: &'static str,
    /// Before the page an offprint reproduces, when it is one.
    pub page: &'static str,
    /// Before the pages an offprint reproduces.
    pub pages: &'static str,
    /// Before the address of the whole book.
    pub whole_book: &'static str,
    /// Before the page a link inside the printed book leads to ("p. 37").
    pub page_ref: &'static str,
    /// The website's single-page edition.
    pub all: &'static str,
    /// The website's search.
    pub search: &'static str,
    /// The link that skips the website's navigation.
    pub skip: &'static str,
    /// The link to the previous essay.
    pub previous: &'static str,
    /// The link to the next essay.
    pub next: &'static str,
    /// The footnotes of an essay on the website.
    pub notes: &'static str,
    /// A search that found nothing.
    pub no_results: &'static str,
    /// The search page without JavaScript.
    pub no_script: &'static str,
    /// The letters above the website's contributor index.
    pub letters: &'static str,
    /// The essays listed on a part's page.
    pub essays_in: &'static str,
    language: Style,
}

impl Labels {
    /// The labels of a BCP 47 language.
    pub fn for_lang(lang: &str) -> Labels {
        match Style::for_lang(lang) {
            Style::French => Labels {
                and: "et",
                edited_by: "Sous la direction de",
                contents: "Sommaire",
                index: "Index des contributeurs",
                license: "Licence",
                identifier: "Identifiant",
                cover: "Couverture",
                landmarks: "Repères",
                start: "Début",
                title_page: "Page de titre",
                copyright: "Droits",
                colon: "\u{a0}:",
                offprint_from: "Extrait de",
                page: "Page",
                pages: "Pages",
                whole_book: "Le livre entier",
                page_ref: "p.",
                all: "Le livre en une page",
                search: "Rechercher",
                skip: "Aller au texte",
                previous: "Précédent",
                next: "Suivant",
                notes: "Notes",
                no_results: "Aucun résultat.",
                no_script: "La recherche a besoin de JavaScript ; le sommaire et l’index mènent à tous les textes.",
                letters: "Lettres",
                essays_in: "Textes de cette partie",
                language: Style::French,
            },
            Style::German => Labels {
                and: "und",
                edited_by: "Herausgegeben von",
                contents: "Inhalt",
                index: "Verzeichnis der Beitragenden",
                license: "Lizenz",
                identifier: "Kennung",
                cover: "Umschlag",
                landmarks: "Orientierungspunkte",
                start: "Beginn",
                title_page: "Titelseite",
                copyright: "Impressum",
                colon: ":",
                offprint_from: "Sonderdruck aus",
                page: "Seite",
                pages: "Seiten",
                whole_book: "Das ganze Buch",
                page_ref: "S.",
                all: "Das Buch auf einer Seite",
                search: "Suchen",
                skip: "Zum Text",
                previous: "Zurück",
                next: "Weiter",
                notes: "Anmerkungen",
                no_results: "Keine Treffer.",
                no_script: "Die Suche braucht JavaScript; Inhalt und Verzeichnis führen zu allen Texten.",
                letters: "Buchstaben",
                essays_in: "Texte dieses Teils",
                language: Style::German,
            },
            _ => Labels {
                and: "and",
                edited_by: "Edited by",
                contents: "Contents",
                index: "Index of contributors",
                license: "Licence",
                identifier: "Identifier",
                cover: "Cover",
                landmarks: "Landmarks",
                start: "Start",
                title_page: "Title page",
                copyright: "Copyright",
                colon: ":",
                offprint_from: "An offprint from",
                page: "Page",
                pages: "Pages",
                whole_book: "The whole book",
                page_ref: "p.",
                all: "The whole book on one page",
                search: "Search",
                skip: "Skip to the text",
                previous: "Previous",
                next: "Next",
                notes: "Notes",
                no_results: "No results.",
                no_script: "Search needs JavaScript; the contents and the index lead to every text.",
                letters: "Letters",
                essays_in: "Essays in this part",
                language: Style::English,
            },
        }
    }

    /// The alternative text of a contributor's portrait ("Portrait d’Inès Abadie").
    pub fn portrait_of(&self, name: &str) -> String {
        match self.language {
            Style::French => {
                let vowel = name.chars().next().is_some_and(|c| {
                    "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸaeiouyàâäéèêëîïôöùûüÿHh".contains(c) && c != 'H' && c != 'h'
                });
                if vowel { format!("Portrait d’{name}") } else { format!("Portrait de {name}") }
            }
            Style::German => format!("Porträt von {name}"),
            _ => format!("Portrait of {name}"),
        }
    }

    /// `A, B and C`.
    pub fn join(&self, names: &[String]) -> String {
        match names {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} {} {last}", rest.join(", "), self.and),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_elides_before_vowels() {
        let fr = Labels::for_lang("fr");
        assert_eq!(fr.portrait_of("Inès Abadie"), "Portrait d’Inès Abadie");
        assert_eq!(fr.portrait_of("Élodie Marchand"), "Portrait d’Élodie Marchand");
        assert_eq!(fr.portrait_of("Karim Benslimane"), "Portrait de Karim Benslimane");
        assert_eq!(Labels::for_lang("en-GB").portrait_of("Inès"), "Portrait of Inès");
    }

    #[test]
    fn lists_of_names() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Labels::for_lang("fr").join(&n(&["A", "B", "C"])), "A, B et C");
        assert_eq!(Labels::for_lang("en").join(&n(&["A"])), "A");
    }
}
