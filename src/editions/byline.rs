//! An essay's byline: its authors' names, each followed by the marks of
//! its notes ("Ada Lovelace*"), and those notes under it ("* Corresponding
//! author"). A note on a name (`note`, `corresponding`,
//! `equal_contribution`, `roles`) belongs to the essay, not to the name, so it is
//! never printed as part of it; every edition takes its byline from here,
//! so a note has the same mark in the PDF, the EPUB and the site.

use serde::Serialize;

use crate::editions::xhtml::escape;
use crate::lang::labels::Labels;
use crate::model::book::{Author, Essay};
use crate::model::credit::Degree;

/// The marks, in order, as printed scholarship uses them; after the sixth
/// they are doubled (`**`, `††`…).
const MARKS: [&str; 6] = ["*", "\u{2020}", "\u{2021}", "\u{a7}", "\u{b6}", "\u{2016}"];

/// A name of the byline with the marks of its notes (empty when it has none).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// The name as printed.
    pub name: String,
    /// Its marks, in the order of the notes (`*†`).
    pub marks: String,
}

/// A note under the byline.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct NameNote {
    /// The mark the names it concerns carry.
    pub mark: String,
    /// The note, plain text.
    pub text: String,
}

/// The names of an essay and the notes on them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Byline {
    /// The names, in the essay's order.
    pub names: Vec<Named>,
    /// The notes, in the order their marks first appear; a note several
    /// authors share (equal contribution) is printed once.
    pub notes: Vec<NameNote>,
    /// Who translated the text, as printed under the names and their
    /// notes ("Translated by Tom Reed"), when someone did.
    pub translated: Option<String>,
}

impl Byline {
    /// The byline of `authors`, its notes in the words of `labels`.
    pub fn of(authors: &[Author], labels: &Labels) -> Byline {
        let mut notes: Vec<NameNote> = Vec::new();
        let names = authors
            .iter()
            .map(|a| {
                let mut marks = String::new();
                for text in texts(a, labels) {
                    let at = notes.iter().position(|n| n.text == text).unwrap_or_else(|| {
                        notes.push(NameNote { mark: mark(notes.len()), text });
                        notes.len() - 1
                    });
                    marks.push_str(&notes[at].mark);
                }
                Named { name: a.name.clone(), marks }
            })
            .collect();
        Byline { names, notes, translated: None }
    }

    /// The byline of the text `e`: its authors', and who translated it.
    pub fn of_text(e: &Essay, labels: &Labels) -> Byline {
        let mut b = Self::of(&e.authors, labels);
        b.translated = translated_by(&e.translators, labels);
        b
    }

    /// The names joined as the language joins them, without marks.
    pub fn plain(&self, labels: &Labels) -> String {
        let names: Vec<String> = self.names.iter().map(|n| n.name.clone()).collect();
        labels.join(&names)
    }

    /// The names joined, escaped for XHTML, each with its marks as a
    /// superscript.
    pub fn xhtml(&self, labels: &Labels) -> String {
        let names: Vec<String> = self
            .names
            .iter()
            .map(|n| match n.marks.as_str() {
                "" => escape(&n.name),
                marks => format!("{}<sup class=\"name-mark\">{}</sup>", escape(&n.name), escape(marks)),
            })
            .collect();
        labels.join_with(&names, escape)
    }

    /// The notes as XHTML paragraphs, then who translated the text, or
    /// nothing when there are neither.
    pub fn notes_xhtml(&self) -> String {
        if self.notes.is_empty() && self.translated.is_none() {
            return String::new();
        }
        let mut out = String::from("<div class=\"name-notes\">\n");
        for n in &self.notes {
            out.push_str(&format!("<p><sup>{}</sup>\u{a0}{}</p>\n", escape(&n.mark), escape(&n.text)));
        }
        if let Some(t) = &self.translated {
            out.push_str(&format!("<p class=\"translators\">{}</p>\n", escape(t)));
        }
        out.push_str("</div>\n");
        out
    }
}

/// "Translated by Tom Reed and Ana Lima", in the words of `labels`; `None`
/// without translators.
fn translated_by(translators: &[Author], labels: &Labels) -> Option<String> {
    if translators.is_empty() {
        return None;
    }
    let names: Vec<String> = translators.iter().map(|a| a.name.clone()).collect();
    // No space after a full-width colon ("翻訳：佐藤 美穂").
    let space = if labels.translated_by.ends_with('：') { "" } else { " " };
    Some(format!("{}{space}{}", labels.translated_by, labels.join(&names)))
}

/// What is noted on an author's name, in order: corresponding author (with
/// the address when it may be printed), equal contribution, the note, the
/// author's roles (CRediT's) with their degrees.
fn texts(a: &Author, labels: &Labels) -> Vec<String> {
    let mut out = Vec::new();
    if a.corresponding {
        out.push(match a.email.as_ref().filter(|_| a.public_email) {
            Some(mail) => format!("{}{} {mail}", labels.corresponding, labels.colon),
            None => labels.corresponding.clone(),
        });
    }
    if a.equal_contribution {
        out.push(labels.equal_contribution.clone());
    }
    out.extend(a.note.clone());
    if !a.roles.is_empty() {
        let roles: Vec<String> = a
            .roles
            .iter()
            .map(|r| match r.degree {
                None => r.name.clone(),
                Some(d) => format!(
                    "{} ({})",
                    r.name,
                    match d {
                        Degree::Lead => &labels.role_lead,
                        Degree::Equal => &labels.role_equal,
                        Degree::Supporting => &labels.role_supporting,
                    }
                ),
            })
            .collect();
        out.push(format!("{}{} {}", labels.contributions, labels.colon, roles.join(&labels.separator)));
    }
    out
}

/// The `i`th mark (from 0).
fn mark(i: usize) -> String {
    MARKS[i % MARKS.len()].repeat(i / MARKS.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(name: &str) -> Author {
        Author { name: name.into(), ..Author::default() }
    }

    #[test]
    fn translators_are_credited_in_the_edition_s_words_and_escaped_once() {
        let two = [author("Tom Reed"), author("Ana <Lima>")];
        assert_eq!(translated_by(&[], &Labels::for_lang("en")), None);
        assert_eq!(translated_by(&two, &Labels::for_lang("en")).unwrap(), "Translated by Tom Reed and Ana <Lima>");
        assert_eq!(translated_by(&two[..1], &Labels::for_lang("fr")).unwrap(), "Traduit par Tom Reed");
        assert_eq!(translated_by(&[author("佐藤 美穂")], &Labels::for_lang("ja")).unwrap(), "翻訳：佐藤 美穂");
        let b = Byline { translated: translated_by(&two, &Labels::for_lang("en")), ..Byline::default() };
        assert_eq!(
            b.notes_xhtml(),
            "<div class=\"name-notes\">\n<p class=\"translators\">Translated by Tom Reed and Ana &lt;Lima&gt;</p>\n</div>\n"
        );
    }

    #[test]
    fn names_without_notes_have_no_marks() {
        let labels = Labels::for_lang("en");
        let b = Byline::of(&[author("A"), author("B & C")], &labels);
        assert!(b.notes.is_empty());
        assert_eq!(b.plain(&labels), "A and B & C");
        assert_eq!(b.xhtml(&labels), "A and B &amp; C");
        assert_eq!(b.notes_xhtml(), "");
    }

    #[test]
    fn a_shared_note_has_one_mark_and_is_printed_once() {
        let labels = Labels::for_lang("en");
        let a = Author {
            corresponding: true,
            equal_contribution: true,
            email: Some("a@example.org".into()),
            public_email: true,
            ..author("Ada")
        };
        let b = Author { equal_contribution: true, note: Some("Now at <CERN>".into()), ..author("Bo") };
        let byline = Byline::of(&[a, b, author("Cy")], &labels);
        let marks: Vec<&str> = byline.names.iter().map(|n| n.marks.as_str()).collect();
        assert_eq!(marks, ["*\u{2020}", "\u{2020}\u{2021}", ""]);
        let notes: Vec<&str> = byline.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes, ["Corresponding author: a@example.org", "Equal contribution", "Now at <CERN>"]);
        assert_eq!(
            byline.xhtml(&labels),
            "Ada<sup class=\"name-mark\">*\u{2020}</sup>, Bo<sup class=\"name-mark\">\u{2020}\u{2021}</sup> and Cy"
        );
        assert!(byline.notes_xhtml().contains("<p><sup>\u{2021}</sup>\u{a0}Now at &lt;CERN&gt;</p>"));
    }

    #[test]
    fn an_address_is_printed_only_when_it_may_be() {
        let labels = Labels::for_lang("fr");
        let a = Author { corresponding: true, email: Some("a@example.org".into()), ..author("Ada") };
        assert_eq!(Byline::of(&[a], &labels).notes[0].text, "Auteur correspondant");
    }

    #[test]
    fn roles_are_a_note_on_the_name_with_their_degrees_in_the_books_language() {
        use crate::model::credit::Role;
        let roles = vec![Role::new("writing-original-draft", None), Role::new("Software", Some(Degree::Lead))];
        let a = Author { roles: roles.clone(), ..author("Ada") };
        let b = Author { roles: vec![Role::new("Photographie", Some(Degree::Supporting))], ..author("Bo") };
        let byline = Byline::of(&[a.clone(), b], &Labels::for_lang("en"));
        let notes: Vec<&str> = byline.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            notes,
            [
                "Contributions: Writing \u{2013} original draft, Software (lead)",
                "Contributions: Photographie (supporting)"
            ]
        );
        let fr = Byline::of(&[a], &Labels::for_lang("fr"));
        assert_eq!(fr.notes[0].text, "Contributions\u{a0}: Writing \u{2013} original draft, Software (principal)");
    }

    #[test]
    fn marks_double_after_the_sixth() {
        assert_eq!(mark(0), "*");
        assert_eq!(mark(5), "\u{2016}");
        assert_eq!(mark(6), "**");
        assert_eq!(mark(7), "\u{2020}\u{2020}");
    }
}
