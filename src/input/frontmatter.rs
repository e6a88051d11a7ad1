//! An essay's front matter: the TOML between the two `+++` lines.
//!
//! Splitting never fails on any input (a property test feeds it arbitrary
//! text); it tells what is missing instead. Parsing reports every unknown key
//! with a "did you mean" hint, at the key's own line in the essay's file.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use crate::config::toml_input::{self, Schema, TomlProblem, Walker, key_list, walk};
use crate::diagnostic::{Code, Diagnostic, Location};

/// One author of an essay, as written.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
pub struct RawAuthor {
    /// The name as printed (required).
    pub name: Option<String>,
    /// The key the contributor index sorts on, e.g. `"Gaulle, Charles de"`.
    pub sort_as: Option<String>,
    /// A short biography (Markdown).
    pub bio: Option<String>,
    /// A portrait, relative to the essay's file.
    pub photo: Option<String>,
    /// Institution or company, as printed.
    pub affiliation: Option<String>,
    /// The institutions, one `[[authors.affiliations]]` table each, for the
    /// deposits and indexers (with their ROR ids); printed when
    /// `affiliation` is not given.
    pub affiliations: Option<Vec<RawAffiliation>>,
    /// Social handle, such as `@name` or `@name@instance.social`.
    pub handle: Option<String>,
    /// A web page.
    pub url: Option<String>,
    /// ORCID iD: `0000-0002-1825-0097` or `https://orcid.org/0000-0002-1825-0097`.
    pub orcid: Option<String>,
    /// E-mail address, for the Crossref deposit and exports; printed only
    /// when `public_email = true`.
    pub email: Option<String>,
    /// Whether the editions may print `email`.
    pub public_email: Option<bool>,
    /// A note on the name for this essay (plain text), printed under the
    /// byline with a mark on the name.
    pub note: Option<String>,
    /// Whether this is the corresponding author: a marked note under the
    /// byline, with the address when `public_email`.
    pub corresponding: Option<bool>,
    /// Whether the author contributed equally with the others so marked.
    pub equal_contribution: Option<bool>,
    /// What the author did for the essay: CRediT roles (`"Software"`,
    /// `"writing-original-draft"`) or other words, each alone or as
    /// `{ role = "…", degree = "lead" }`.
    pub roles: Option<Vec<RawRole>>,
}

impl Schema for RawAuthor {
    fn nested(key: &str) -> Option<Walker> {
        match key {
            "affiliations" => Some(walk::<RawAffiliation> as Walker),
            "roles" => Some(walk::<RawQualifiedRole> as Walker),
            _ => None,
        }
    }
}

/// An author's role, as written: its name alone, or with a degree.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum RawRole {
    /// The role's name.
    Named(String),
    /// The role with its degree of contribution.
    Qualified(RawQualifiedRole),
}

/// A role with its degree of contribution, as written.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
pub struct RawQualifiedRole {
    /// The role's name (required).
    pub role: Option<String>,
    /// `lead`, `equal` or `supporting`.
    pub degree: Option<String>,
}

impl Schema for RawQualifiedRole {}

/// An institution an author belongs to, as written.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
pub struct RawAffiliation {
    /// The institution's name (required).
    pub name: Option<String>,
    /// The department, laboratory or team within it.
    pub department: Option<String>,
    /// Its city.
    pub city: Option<String>,
    /// Its country.
    pub country: Option<String>,
    /// Its ROR id: `05f82e368` or `https://ror.org/05f82e368`.
    pub ror: Option<String>,
    /// Its web site (`https://…`).
    pub url: Option<String>,
}

impl Schema for RawAffiliation {}

/// An essay's front matter, as written.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
pub struct RawFrontMatter {
    /// The essay's title (required).
    pub title: Option<String>,
    /// A subtitle.
    pub subtitle: Option<String>,
    /// A one-sentence summary, for tables of contents and previews.
    pub summary: Option<String>,
    /// The essay's abstract (Markdown), printed under its byline in every
    /// edition, titled "Abstract" in the essay's language.
    pub r#abstract: Option<String>,
    /// A short quotation from the essay, for its share card.
    pub quote: Option<String>,
    /// The essay's language (BCP 47), when not the book's.
    pub lang: Option<String>,
    /// The id of the section the essay belongs to.
    pub section: Option<String>,
    /// Position when `[order] by = "weight"`.
    pub weight: Option<i64>,
    /// Free keywords.
    pub tags: Option<Vec<String>>,
    /// A draft is left out of builds unless `--drafts`.
    pub draft: Option<bool>,
    /// The authors, one `[[authors]]` table each.
    pub authors: Option<Vec<RawAuthor>>,
    /// The essay's DOI (`10.1234/abc.5`).
    pub doi: Option<String>,
    /// Reference files (`.bib` or `.yaml`) the essay cites from, relative to
    /// it, besides its own `references.bib` and the book's.
    pub references: Option<crate::config::toml_input::OneOrMany>,
    /// A citation style for this essay, overriding `[book] citation_style`.
    pub citation_style: Option<String>,
    /// When the essay was first published (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date: Option<String>,
    /// Who translated the text, one `[[translators]]` table each (with the
    /// keys of `[[authors]]`): credited after its authors.
    pub translators: Option<Vec<RawAuthor>>,
    /// In a translation: the digest of the original it translates, as
    /// `anthology translations done` writes it.
    pub original_sha256: Option<String>,
    /// Metadata of the contribution's own, kept and never printed (with
    /// `[rules] allow_extra = true`).
    pub extra: Option<toml::Table>,
}

impl Schema for RawFrontMatter {
    fn nested(key: &str) -> Option<Walker> {
        matches!(key, "authors" | "translators").then_some(walk::<RawAuthor> as Walker)
    }
}

/// The keys of a contribution's front matter, and those of each
/// `[[authors]]` table: what the guide's reference must list.
pub fn keys() -> (&'static [&'static str], &'static [&'static str]) {
    use crate::config::toml_input::field_names;
    (field_names::<RawFrontMatter>(), field_names::<RawAuthor>())
}

/// Where the front matter and the body are in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML between the delimiters.
    pub front: Range<usize>,
    /// Byte range of the body after the closing delimiter.
    pub body: Range<usize>,
    /// The 1-based line on which the body starts.
    pub body_line: u32,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `+++`; `yaml` when it starts with `---`.
    Missing {
        /// The file starts with a YAML delimiter instead.
        yaml: bool,
    },
    /// No closing `+++`; the range is the opening line.
    Unclosed(Range<usize>),
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Splits `text` into front matter and body. A UTF-8 byte-order mark is skipped.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = text[start..].split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_delimiter(first) {
        return Err(SplitError::Missing { yaml: first.trim_end() == "---" });
    }
    let front_start = start + first.len();
    let mut offset = front_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_delimiter(line) {
            return Ok(Split {
                front: front_start..offset,
                body: offset + line.len()..text.len(),
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed(start..start + first.trim_end().len()))
}

/// Parses the front matter of `text` (the whole file, named `file`) at `range`.
/// Returns the raw front matter when it could be read at all.
pub fn parse(file: &Path, text: &str, range: Range<usize>) -> (Option<RawFrontMatter>, Vec<Diagnostic>) {
    let toml = &text[range.clone()];
    let shift = |r: Range<usize>| (r.start + range.start).min(text.len())..(r.end + range.start).min(text.len());
    let (raw, problems) = toml_input::parse::<RawFrontMatter>(toml);
    let diags = problems
        .into_iter()
        .map(|p| match p {
            TomlProblem::Syntax { message, span } => Diagnostic::new(
                Code::FrontMatterSyntax,
                Location::at(file, text, shift(span)),
                format!("invalid TOML in the front matter: {message}"),
            )
            .hint("strings need double quotes: title = \"My essay\""),
            TomlProblem::UnknownKey { key, expected, suggestion, span } => {
                let d = Diagnostic::new(
                    Code::UnknownKey,
                    Location::at(file, text, shift(span)),
                    format!("unknown key `{key}`, expected one of {}", key_list(expected)),
                );
                // pandoc's and Quarto's names for what a contribution calls otherwise.
                let theirs = [("bibliography", "references"), ("author", "authors"), ("csl", "citation_style")];
                let suggestion = suggestion.or_else(|| theirs.iter().find(|(k, _)| *k == key).map(|(_, ours)| *ours));
                match suggestion {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => {
                        d.hint("remove it, or see the contribution reference in the guide (docs/src/contributions.md)")
                    }
                }
            }
            TomlProblem::Invalid { message, span } => {
                Diagnostic::new(Code::InvalidValue, Location::at(file, text, shift(span)), message)
            }
        })
        .collect();
    (raw, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.front.clone()], "title = \"A\"\n");
        assert_eq!(&text[s.body.clone()], "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn crlf_bom_and_trailing_spaces() {
        let text = "\u{feff}+++ \r\ntitle = \"A\"\r\n+++\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(&text[s.body], "Body");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("Hello"), Err(SplitError::Missing { yaml: false }));
        assert_eq!(split("---\ntitle: x\n---\n"), Err(SplitError::Missing { yaml: true }));
        assert_eq!(split("+++\ntitle = \"x\"\n"), Err(SplitError::Unclosed(0..3)));
        assert_eq!(split(""), Err(SplitError::Missing { yaml: false }));
    }

    #[test]
    fn unknown_keys_are_positioned_in_the_file() {
        let text = "+++\ntitle = \"A\"\nsumary = \"x\"\n[[authors]]\nname = \"B\"\nhandel = \"@b\"\n+++\n";
        let s = split(text).unwrap();
        let (raw, d) = parse(Path::new("a.md"), text, s.front);
        assert_eq!(raw.unwrap().title.as_deref(), Some("A"));
        let got: Vec<_> = d.iter().map(|d| (d.code, d.location.line, d.location.column, d.hint.clone())).collect();
        assert_eq!(
            got,
            vec![
                (Code::UnknownKey, 3, 1, Some("did you mean `summary`?".into())),
                (Code::UnknownKey, 6, 1, Some("did you mean `handle`?".into())),
            ]
        );
        // pandoc's name for the references file.
        let text = "+++\ntitle = \"A\"\nbibliography = \"refs.bib\"\n+++\n";
        let (_, d) = parse(Path::new("a.md"), text, split(text).unwrap().front);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `references`?"));
    }

    #[test]
    fn wrong_type_is_positioned() {
        let text = "+++\ntitle = \"A\"\nweight = \"heavy\"\n+++\n";
        let s = split(text).unwrap();
        let (raw, d) = parse(Path::new("a.md"), text, s.front);
        assert!(raw.is_none());
        assert_eq!((d[0].code, d[0].location.line, d[0].location.column), (Code::InvalidValue, 3, 10));
    }

    proptest! {
        #[test]
        fn split_never_panics(s in "(\\+\\+\\+|\r|\n|\u{feff}|[a-z =\"]|é|---){0,40}") {
            if let Ok(sp) = split(&s) {
                let _ = &s[sp.front.clone()];
                let _ = &s[sp.body.clone()];
                let _ = parse(Path::new("x.md"), &s, sp.front);
            }
        }

        #[test]
        fn split_never_panics_on_any_string(s in any::<String>()) {
            if let Ok(sp) = split(&s) {
                let _ = parse(Path::new("x.md"), &s, sp.front);
            }
        }
    }
}
