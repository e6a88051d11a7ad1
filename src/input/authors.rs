//! An essay's authors, from its front matter to the model: each checked
//! (a name, an ORCID iD, ROR ids, web addresses, CRediT degrees) with a
//! diagnostic at the value, then resolved (the photo found, the bio parsed).

use std::ops::Range;
use std::path::Path;

use super::frontmatter::{RawAuthor, RawQualifiedRole, RawRole};
use super::{assets, identifier, markdown};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::{Affiliation, Author};
use crate::model::credit::{Degree, Role};

/// Where an essay's authors are written.
pub(super) struct Written<'a> {
    /// The book's root.
    pub root: &'a Path,
    /// The essay's file.
    pub file: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Its front matter, in `text`.
    pub front_range: Range<usize>,
    /// Its title, where an author without a name is reported when that
    /// author's table cannot be found.
    pub title: &'a str,
}

/// The authors `raw` of an essay, with a diagnostic for each value that
/// cannot be read; `fm_loc` finds a value in the front matter. An author
/// without a name is left out (and reported).
pub(super) fn read(
    at: Written<'_>,
    raw: Vec<RawAuthor>,
    fm_loc: &dyn Fn(&str) -> Location,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Author> {
    let Written { root, file, text, front_range, title } = at;
    let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut authors = Vec::new();
    for (i, a) in raw.into_iter().enumerate() {
        let Some(name) = a.name.clone().filter(|n| !n.trim().is_empty()) else {
            let loc = nth_authors_table(text, front_range.clone(), i)
                .map_or_else(|| fm_loc(title), |span| Location::at(file, text, span));
            diags.push(
                Diagnostic::new(Code::MissingAuthorName, loc, format!("author {} has no name", i + 1))
                    .hint("add `name = \"…\"` under this [[authors]]"),
            );
            continue;
        };
        if name_like_text(&name) {
            diags.push(
                Diagnostic::new(
                    Code::NameLikeText,
                    fm_loc(&name),
                    format!(
                        "this author's name reads like text ({} characters): “{}”",
                        name.chars().count(),
                        name.chars().take(60).collect::<String>() + if name.chars().count() > 60 { "…" } else { "" }
                    ),
                )
                .hint("give the author's name here, and move the text into the essay or the author's `bio`"),
            );
        }
        let orcid = a.orcid.as_deref().and_then(|o| {
            let hint = "copy the iD from the author's ORCID record, e.g. 0000-0002-1825-0097";
            identifier(o, crate::identifiers::orcid, "an ORCID iD", hint, fm_loc(o), diags)
        });
        let mut a = a;
        for aff in a.affiliations.iter_mut().flatten() {
            aff.ror = aff.ror.as_deref().and_then(|r| {
                let hint = "copy the id from the institution's page on ror.org, e.g. https://ror.org/05rrcem69";
                identifier(r, crate::identifiers::ror, "a ROR id", hint, fm_loc(r), diags)
            });
            if let Some(u) = aff.url.take() {
                if crate::input::assets::is_web_link(&u) {
                    aff.url = Some(u);
                } else {
                    diags.push(
                        Diagnostic::new(Code::InvalidValue, fm_loc(&u), format!("`{u}` is not a web address"))
                            .hint("give the institution's site as https://…"),
                    );
                }
            }
        }
        let roles = roles(a.roles.take().unwrap_or_default(), fm_loc, diags);
        let mut a = author(root, &dir, name, a);
        a.roles = roles;
        a.orcid = orcid;
        authors.push(a);
    }
    authors
}

/// The roles of an author as the model holds them; a degree that is not
/// one of CRediT's, or a role without a name, is reported and left out.
fn roles(raw: Vec<RawRole>, fm_loc: &dyn Fn(&str) -> Location, diags: &mut Vec<Diagnostic>) -> Vec<Role> {
    let mut out = Vec::new();
    for r in raw {
        let (name, degree) = match r {
            RawRole::Named(name) => (Some(name), None),
            RawRole::Qualified(RawQualifiedRole { role, degree }) => (role, degree),
        };
        let degree = degree.and_then(|d| {
            let parsed = Degree::parse(&d);
            if parsed.is_none() {
                diags.push(
                    Diagnostic::new(Code::InvalidValue, fm_loc(&d), format!("`{d}` is not a degree of contribution"))
                        .hint("write `lead`, `equal` or `supporting`, as CRediT defines them"),
                );
            }
            parsed
        });
        match name.filter(|n| !n.trim().is_empty()) {
            Some(name) => out.push(Role::new(&name, degree)),
            None => diags.push(
                Diagnostic::new(Code::InvalidValue, fm_loc("roles"), "a role without a name")
                    .hint("name the role: `{ role = \"Software\", degree = \"lead\" }`"),
            ),
        }
    }
    out
}

/// An author as the model holds it: the photo resolved, the bio parsed.
fn author(root: &Path, dir: &Path, name: String, a: RawAuthor) -> Author {
    let affiliations: Vec<Affiliation> = a
        .affiliations
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| {
            Some(Affiliation {
                name: r.name.filter(|n| !n.trim().is_empty())?,
                department: r.department.filter(|d| !d.trim().is_empty()),
                city: r.city,
                country: r.country,
                ror: r.ror,
                url: r.url,
            })
        })
        .collect();
    Author {
        name,
        sort_as: a.sort_as,
        bio_doc: a.bio.as_deref().filter(|b| !b.trim().is_empty()).map(|b| markdown::parse(b, 1).document),
        bio_lang: None,
        bio: a.bio,
        photo: a.photo.as_deref().map(|p| assets::image(root, dir, p)),
        affiliation: a.affiliation.or_else(|| {
            let names: Vec<String> = affiliations.iter().map(Affiliation::printed).collect();
            (!names.is_empty()).then(|| names.join("; "))
        }),
        affiliations,
        handle: a.handle,
        url: a.url,
        orcid: None,
        email: a.email,
        public_email: a.public_email.unwrap_or(false),
        note: a.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        corresponding: a.corresponding.unwrap_or(false),
        equal_contribution: a.equal_contribution.unwrap_or(false),
        roles: Vec::new(),
    }
}

/// Span of the `i`-th `[[authors]]` header in the front matter.
fn nth_authors_table(text: &str, range: Range<usize>, i: usize) -> Option<Range<usize>> {
    let fm = &text[range.clone()];
    let mut offset = 0;
    let mut n = 0;
    for line in fm.split_inclusive('\n') {
        if line.trim() == "[[authors]]" {
            if n == i {
                let start = range.start + offset + (line.len() - line.trim_start().len());
                return Some(start..start + "[[authors]]".len());
            }
            n += 1;
        }
        offset += line.len();
    }
    None
}

/// Whether an author's name reads like text: long, or with the punctuation
/// that ends or joins sentences ("Jr." and initials aside).
fn name_like_text(name: &str) -> bool {
    let n = name.chars().count();
    let sentence =
        name.split_whitespace().filter(|w| w.ends_with(['.', ',', ';', ':']) && w.chars().count() > 3).count() >= 2;
    n > 80 || sentence
}
