//! The front matter every importer writes, in one type: Markdown, Quarto,
//! mdBook and Word imports fill it, and it is serialized here, so an
//! imported contribution's TOML is always what the contribution reader
//! reads (a test reads each field back).

use serde::Serialize;

/// An author as a contribution's front matter writes one.
#[derive(Serialize, Default, Debug, Clone, PartialEq)]
pub(super) struct AuthorOut {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    /// A note on the name (`Name^[…]`, `note`, `thanks`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub corresponding: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub equal_contribution: bool,
    /// The institutions, when the source says more of them than a name
    /// (a department, a place, a ROR id).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<AffiliationOut>,
    /// What the author did (CRediT roles), as the source wrote them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<super::roles::RoleOut>,
}

/// An institution as a contribution's `[[authors.affiliations]]` writes it.
#[derive(Serialize, Default, Debug, Clone, PartialEq)]
pub(super) struct AffiliationOut {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ror: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A contribution's front matter as the importers write it: the fields of
/// [`crate::input::frontmatter::RawFrontMatter`] that an import can fill.
#[derive(Serialize, Default, Debug)]
pub(super) struct Front {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#abstract: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation_style: Option<String>,
    pub authors: Vec<AuthorOut>,
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    pub extra: toml::Table,
}

impl Front {
    /// The contribution: this front matter between `+++` lines, then `body`.
    pub fn write(&self, body: &str) -> String {
        // Serializing plain strings, lists and tables cannot fail.
        let toml = toml::to_string(self).unwrap_or_default();
        format!("+++\n{toml}+++\n\n{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::frontmatter::{RawFrontMatter, split};

    #[test]
    fn what_an_importer_writes_the_reader_reads() {
        let mut extra = toml::Table::new();
        extra.insert("venue".into(), toml::Value::String("JOSS".into()));
        let front = Front {
            title: "A \"quoted\" title".into(),
            subtitle: Some("Sub".into()),
            summary: Some("In short.".into()),
            r#abstract: Some("We *found* it.\n\nTwice.".into()),
            quote: Some("Said.".into()),
            date: Some("2019-12-02".into()),
            lang: Some("fr".into()),
            section: Some("methods".into()),
            tags: vec!["a".into(), "b".into()],
            draft: Some(true),
            doi: Some("10.1234/x".into()),
            weight: Some(3),
            references: vec!["paper.bib".into()],
            citation_style: Some("apa.csl".into()),
            authors: vec![AuthorOut {
                name: "Ada Lovelace".into(),
                handle: Some("@ada".into()),
                email: Some("ada@example.org".into()),
                url: Some("https://example.org".into()),
                affiliation: Some("Analytical Society".into()),
                orcid: Some("0000-0002-1825-0097".into()),
                bio: Some("Wrote the first program.".into()),
                note: Some("Now at the Engine".into()),
                corresponding: true,
                equal_contribution: true,
                affiliations: vec![AffiliationOut {
                    name: "Analytical Society".into(),
                    department: Some("Engines".into()),
                    city: Some("London".into()),
                    country: None,
                    ror: Some("05rrcem69".into()),
                    url: Some("https://analytical.example/".into()),
                }],
                roles: vec![
                    super::super::roles::RoleOut::Named("Software".into()),
                    super::super::roles::RoleOut::Qualified { role: "Methodology".into(), degree: "lead".into() },
                ],
            }],
            extra,
        };
        let text = front.write("Body.\n");
        let parts = split(&text).unwrap();
        let raw: RawFrontMatter = toml::from_str(&text[parts.front]).unwrap();
        assert_eq!(raw.title.as_deref(), Some("A \"quoted\" title"));
        assert_eq!(raw.subtitle.as_deref(), Some("Sub"));
        assert_eq!(raw.summary.as_deref(), Some("In short."));
        assert_eq!(raw.quote.as_deref(), Some("Said."));
        assert_eq!(raw.r#abstract.as_deref(), Some("We *found* it.\n\nTwice."));
        assert_eq!(raw.date.as_deref(), Some("2019-12-02"));
        assert_eq!(raw.lang.as_deref(), Some("fr"));
        assert_eq!(raw.section.as_deref(), Some("methods"));
        assert_eq!(raw.tags, Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(raw.draft, Some(true));
        assert_eq!(raw.doi.as_deref(), Some("10.1234/x"));
        assert_eq!(raw.weight, Some(3));
        assert!(raw.references.is_some());
        assert_eq!(raw.citation_style.as_deref(), Some("apa.csl"));
        assert_eq!(raw.extra.and_then(|e| e.get("venue").cloned()), Some(toml::Value::String("JOSS".into())));
        let a = &raw.authors.unwrap()[0];
        assert_eq!(a.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(a.handle.as_deref(), Some("@ada"));
        assert_eq!(a.email.as_deref(), Some("ada@example.org"));
        assert_eq!(a.url.as_deref(), Some("https://example.org"));
        assert_eq!(a.affiliation.as_deref(), Some("Analytical Society"));
        assert_eq!(a.orcid.as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(a.bio.as_deref(), Some("Wrote the first program."));
        assert_eq!(a.note.as_deref(), Some("Now at the Engine"));
        assert_eq!((a.corresponding, a.equal_contribution), (Some(true), Some(true)));
        let i = &a.affiliations.as_ref().unwrap()[0];
        assert_eq!(
            (i.name.as_deref(), i.department.as_deref(), i.ror.as_deref()),
            (Some("Analytical Society"), Some("Engines"), Some("05rrcem69"))
        );
        assert_eq!(i.url.as_deref(), Some("https://analytical.example/"));
        use crate::input::frontmatter::{RawQualifiedRole, RawRole};
        assert_eq!(
            a.roles.as_deref(),
            Some(
                &[
                    RawRole::Named("Software".into()),
                    RawRole::Qualified(RawQualifiedRole {
                        role: Some("Methodology".into()),
                        degree: Some("lead".into())
                    })
                ][..]
            )
        );
        assert!(text.ends_with("+++\n\nBody.\n"));
    }
}
