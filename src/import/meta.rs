//! pandoc's and Quarto's document metadata, read as those tools define it.
//!
//! Scholars' Markdown carries its authors, their institutions and their
//! dates in forms that sites never use: `author: "A, B and C"`, authors as
//! objects whose `affiliation: "1, 2"` points into an `affiliations:` list
//! by index (JOSS) or by id (Quarto), names given as parts or with a note
//! (`Name^[Corresponding author.]`), dates written as people write them
//! (`02 December 2019`). This module turns them into what a contribution
//! holds, and says what it could not carry, so that no name prints with a
//! stray number and no note becomes part of a name.

use std::path::Path;

use super::front::{AffiliationOut, AuthorOut};
use crate::diagnostic::{Diagnostic, Location};

pub(super) use super::values::{list, plain};

/// The institutions a document lists once (`affiliations:` in JOSS and
/// Quarto, `institute:` in pandoc templates), each known by its index, its
/// id or its name.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Affiliations {
    /// (the keys it is known by, the name printed, the institution).
    known: Vec<(Vec<String>, String, AffiliationOut)>,
}

/// An institution as one line (department, name, then city, region and
/// country when the name does not already say them), and as its parts.
fn institution(v: &toml::Value) -> Option<(String, AffiliationOut)> {
    match v {
        toml::Value::Table(t) => {
            let get = |k: &str| t.get(k).map(plain).filter(|s| !s.is_empty());
            let name = get("name").or_else(|| get("affiliation")).or_else(|| get("institution"));
            let parts: Vec<String> = [get("department"), name.clone()].into_iter().flatten().collect();
            let line = parts.join(", ");
            let mut out = line.clone();
            for p in [get("city"), get("region").or_else(|| get("state")), get("country")].into_iter().flatten() {
                if !line.contains(&p) {
                    out.push_str(", ");
                    out.push_str(&p);
                }
            }
            let parts = AffiliationOut {
                name: name.unwrap_or_else(|| out.clone()),
                department: get("department"),
                city: get("city"),
                country: get("country"),
                ror: get("ror"),
                url: get("url").filter(|u| crate::input::assets::is_web_link(u)),
            };
            (!out.is_empty()).then_some((out, parts))
        }
        other => Some(plain(other))
            .filter(|s| !s.is_empty())
            .map(|name| (name.clone(), AffiliationOut { name, ..AffiliationOut::default() })),
    }
}

impl Affiliations {
    /// The list as written: items with `index`, `id` or `name`, plain
    /// names, or a table of id to name.
    pub fn read(v: &toml::Value) -> Self {
        let mut known = Vec::new();
        match v {
            toml::Value::Array(items) => {
                for (n, item) in items.iter().enumerate() {
                    let Some((name, parts)) = institution(item) else { continue };
                    let mut keys = vec![(n + 1).to_string()];
                    if let Some(t) = item.as_table() {
                        for k in ["index", "id", "key"] {
                            if let Some(v) = t.get(k) {
                                keys.push(plain(v));
                            }
                        }
                        // pandoc's `institute: [{ mit: "Massachusetts…" }]`.
                        if t.len() == 1
                            && let Some((k, v)) = t.iter().next()
                            && v.is_str()
                        {
                            keys.push(k.clone());
                            known.push((
                                keys,
                                plain(v),
                                AffiliationOut { name: plain(v), ..AffiliationOut::default() },
                            ));
                            continue;
                        }
                    }
                    keys.push(name.clone());
                    known.push((keys, name, parts));
                }
            }
            toml::Value::Table(t) => {
                for (k, item) in t {
                    if let Some((name, parts)) = institution(item) {
                        known.push((vec![k.clone(), name.clone()], name, parts));
                    }
                }
            }
            other => {
                if let Some((name, parts)) = institution(other) {
                    known.push((vec!["1".into(), name.clone()], name, parts));
                }
            }
        }
        Affiliations { known }
    }

    /// Whether the document lists none.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The name of the institution `key` (an index, an id) names.
    fn get(&self, key: &str) -> Option<&str> {
        self.institution(key).map(|(n, _)| n)
    }

    /// The institution `key` (an index, an id) names: its line and its parts.
    fn institution(&self, key: &str) -> Option<(&str, &AffiliationOut)> {
        let key = key.trim();
        self.known.iter().find(|(keys, _, _)| keys.iter().any(|k| k == key)).map(|(_, n, p)| (n.as_str(), p))
    }

    /// The parts of the institution printed as `line`, when the document
    /// says more of it than its name (a department, a place, a ROR id).
    pub fn parts(&self, line: &str) -> Option<AffiliationOut> {
        let (_, p) = self.known.iter().map(|(_, n, p)| (n, p)).find(|(n, _)| *n == line)?;
        (p.department.is_some() || p.city.is_some() || p.country.is_some() || p.ror.is_some()).then(|| p.clone())
    }

    /// An author's `affiliation(s)`: indexes (`1`, `"2,3"`, `[1, 2]`), ids
    /// (`{ref: mit}`), or institutions written in place; the names, and the
    /// keys that name nothing the document lists.
    pub fn resolve(&self, v: &toml::Value) -> (Vec<String>, Vec<String>) {
        let mut names = Vec::new();
        let mut unknown = Vec::new();
        let mut one = |item: &toml::Value, names: &mut Vec<String>| match item {
            toml::Value::Table(t) if t.contains_key("ref") => {
                let key = plain(&t["ref"]);
                match self.get(&key) {
                    Some(n) => names.push(n.to_string()),
                    None => unknown.push(key),
                }
            }
            toml::Value::Table(_) => names.extend(institution(item).map(|(n, _)| n)),
            toml::Value::Integer(i) => match self.get(&i.to_string()) {
                Some(n) => names.push(n.to_string()),
                None => unknown.push(i.to_string()),
            },
            other => {
                let s = plain(other);
                let parts: Vec<&str> = s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()).collect();
                // "1, 2" and "a,b" are keys; a name with a comma is a name.
                if !parts.is_empty() && parts.iter().all(|p| self.get(p).is_some()) {
                    names.extend(parts.iter().filter_map(|p| self.get(p)).map(str::to_string));
                } else if let Some(n) = self.get(&s) {
                    names.push(n.to_string());
                } else if parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
                    unknown.extend(parts.iter().map(|p| p.to_string()));
                } else if !s.is_empty() {
                    names.push(s);
                }
            }
        };
        match v {
            toml::Value::Array(items) => items.iter().for_each(|i| one(i, &mut names)),
            other => one(other, &mut names),
        }
        let mut seen = Vec::new();
        names.retain(|n| {
            let new = !seen.contains(n);
            seen.push(n.clone());
            new
        });
        (names, unknown)
    }
}

/// Authors read, and what of them could not be carried (one message each).
#[derive(Debug, Default)]
pub(super) struct People {
    /// The authors, in order.
    pub authors: Vec<AuthorOut>,
    /// What was left out or changed: a note on a name, a role, an index
    /// into affiliations the document does not list.
    pub notes: Vec<String>,
}

/// The keys of an author object this format holds, or that say how to
/// read it; any other is reported.
const AUTHOR_KEYS: &[&str] = &[
    "name",
    "given",
    "family",
    "given-names",
    "surname",
    "literal",
    "dropping-particle",
    "non-dropping-particle",
    "suffix",
    "display_name",
    "full_name",
    "handle",
    "twitter",
    "mastodon",
    "github",
    "email",
    "mail",
    "url",
    "website",
    "homepage",
    "affiliation",
    "affiliation-url",
    "affiliations",
    "organization",
    "org",
    "orcid",
    "bio",
    "description",
    "id",
    "note",
    "thanks",
    "acknowledgements",
    "corresponding",
    "equal-contributor",
    "equal-contrib",
    "equal_contrib",
    "equal-contribution",
    "attributes",
    "roles",
];

/// Whether a flag of an author (`corresponding: true`, Quarto's
/// `attributes: {corresponding: true}`) is set.
fn flag(t: &toml::Table, keys: &[&str]) -> bool {
    let set = |v: &toml::Value| match v {
        toml::Value::Boolean(b) => *b,
        toml::Value::String(s) => matches!(s.trim().to_lowercase().as_str(), "true" | "yes"),
        _ => false,
    };
    let attributes = t.get("attributes").and_then(toml::Value::as_table);
    keys.iter().any(|k| t.get(*k).or_else(|| attributes.and_then(|a| a.get(*k))).is_some_and(set))
}

/// Authors in the forms sites and scholars write them: one string
/// (`Name (@handle), Other <mail@example.org>`, `A, B and C`), a list of
/// such strings, or objects (pandoc, Quarto, CSL, JOSS).
pub(super) fn authors(v: &toml::Value, affiliations: &Affiliations) -> People {
    let mut out = People::default();
    read_people(v, affiliations, &mut out);
    out
}

fn read_people(v: &toml::Value, affiliations: &Affiliations, out: &mut People) {
    match v {
        toml::Value::String(s) => {
            for p in split_people(s) {
                if let Some(a) = person(&p) {
                    out.authors.push(a);
                }
            }
        }
        toml::Value::Array(a) => {
            for item in a {
                match item {
                    toml::Value::String(s) => out.authors.extend(person(s)),
                    other => read_people(other, affiliations, out),
                }
            }
        }
        toml::Value::Table(t) => {
            let get = |keys: &[&str]| keys.iter().find_map(|k| t.get(*k).map(plain)).filter(|s| !s.is_empty());
            // Quarto and CSL write a name as parts: `name: {given: Ada, family: Lovelace}`.
            let parts = |v: &toml::Value| {
                let t = v.as_table()?;
                let literal = t.get("literal").map(plain);
                let joined = [
                    "given",
                    "given-names",
                    "dropping-particle",
                    "non-dropping-particle",
                    "family",
                    "surname",
                    "suffix",
                ]
                .iter()
                .filter_map(|k| t.get(*k).map(plain))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
                literal.or((!joined.is_empty()).then_some(joined))
            };
            let name = t
                .get("name")
                .and_then(parts)
                .or_else(|| parts(v))
                .or_else(|| get(&["name", "display_name", "full_name"]));
            let Some(name) = name else { return };
            let Some(mut a) = person(&name) else { return };
            a.handle = get(&["handle", "twitter", "mastodon", "github"])
                .map(|h| if h.starts_with('@') { h } else { format!("@{h}") })
                .or(a.handle);
            a.email = get(&["email", "mail"]).or(a.email);
            a.url = get(&["url", "website", "homepage"]);
            a.orcid = get(&["orcid"]);
            a.bio = get(&["bio", "description"]);
            // A note on the name: written on it (`Name^[…]`), or as a key.
            let noted: Vec<String> = a
                .note
                .take()
                .into_iter()
                .chain(["note", "thanks", "acknowledgements"].iter().filter_map(|k| t.get(*k).map(plain)))
                .filter(|n| !n.is_empty())
                .collect();
            a.note = (!noted.is_empty()).then(|| noted.join(" "));
            if let Some(v) = t.get("roles") {
                let (roles, notes) = super::roles::read(v, &a.name);
                a.roles = roles;
                out.notes.extend(notes);
            }
            a.corresponding = flag(t, &["corresponding"]);
            a.equal_contribution =
                flag(t, &["equal-contributor", "equal-contrib", "equal_contrib", "equal-contribution"]);
            if let Some(attributes) = t.get("attributes").and_then(toml::Value::as_table) {
                let known =
                    ["corresponding", "equal-contributor", "equal-contrib", "equal_contrib", "equal-contribution"];
                let mut other: Vec<&str> =
                    attributes.keys().map(String::as_str).filter(|k| !known.contains(k)).collect();
                other.sort_unstable();
                if !other.is_empty() {
                    out.notes.push(format!(
                        "{}'s attributes {} have no place in an author of this format: left out",
                        a.name,
                        other.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            let mut names = Vec::new();
            for key in ["affiliation", "affiliations", "organization", "org"] {
                if let Some(v) = t.get(key) {
                    let (found, unknown) = affiliations.resolve(v);
                    names.extend(found);
                    for u in unknown {
                        out.notes.push(format!(
                            "{}'s affiliation `{u}` names no entry of the document's `affiliations`: left out",
                            a.name
                        ));
                    }
                }
            }
            if !names.is_empty() {
                a.affiliation = Some(names.join("; "));
                // What the document says of each beyond its name.
                let parts: Vec<AffiliationOut> = names.iter().filter_map(|n| affiliations.parts(n)).collect();
                if !parts.is_empty() {
                    a.affiliations = names
                        .iter()
                        .map(|n| {
                            affiliations
                                .parts(n)
                                .unwrap_or_else(|| AffiliationOut { name: n.clone(), ..AffiliationOut::default() })
                        })
                        .collect();
                }
            }
            // Quarto's `affiliation-url`: the site of the author's one institution.
            if let Some(url) = t.get("affiliation-url").map(plain).filter(|u| !u.is_empty()) {
                let web = crate::input::assets::is_web_link(&url);
                match (a.affiliations.as_mut_slice(), &a.affiliation) {
                    ([one], _) if web => {
                        one.url.get_or_insert(url);
                    }
                    ([], Some(name)) if web && !name.contains("; ") => {
                        a.affiliations =
                            vec![AffiliationOut { name: name.clone(), url: Some(url), ..AffiliationOut::default() }];
                    }
                    _ => out.notes.push(format!(
                        "{}'s `affiliation-url` `{url}` names no one institution's web site: left out",
                        a.name
                    )),
                }
            }
            let mut other: Vec<&str> = t.keys().map(String::as_str).filter(|k| !AUTHOR_KEYS.contains(k)).collect();
            other.sort_unstable();
            if !other.is_empty() {
                out.notes.push(format!(
                    "{}'s {} ha{} no place in an author of this format: left out",
                    a.name,
                    other.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                    if other.len() == 1 { "s" } else { "ve" }
                ));
            }
            out.authors.push(a);
        }
        _ => {}
    }
}

/// `A (@a), B <b@x>` or `A, B and C` split into people, at the commas,
/// semicolons and the last `and` or `&` outside brackets.
fn split_people(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut current) = (0i32, String::new());
    for c in s.chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            _ => {}
        }
        if (c == ',' || c == ';') && depth <= 0 {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    let mut people = Vec::new();
    for p in out {
        let p = p.trim();
        // "and C" after a comma, or "B and C" / "B & C" in one part.
        let p = p.strip_prefix("and ").or_else(|| p.strip_prefix("& ")).unwrap_or(p);
        let split = [" and ", " & "].iter().find_map(|sep| p.split_once(sep));
        match split {
            Some((a, b)) if !a.contains(['(', '<', '[']) => {
                people.push(a.trim().to_string());
                people.push(b.trim().to_string());
            }
            _ => people.push(p.to_string()),
        }
    }
    people.retain(|p| !p.is_empty());
    people
}

/// One person: `Name (@handle) <email>` in any order of the brackets; a
/// note on the name (`Name^[Corresponding author.]`) is taken off it and
/// becomes the author's `note`.
fn person(s: &str) -> Option<AuthorOut> {
    let (s, note) = match s.find("^[") {
        Some(i) => {
            let note = s[i + 2..].rsplit_once(']').map_or(&s[i + 2..], |(n, _)| n);
            (format!("{}{}", &s[..i], s[i + 2..].rsplit_once(']').map_or("", |(_, r)| r)), Some(note.trim()))
        }
        None => (s.to_string(), None),
    };
    let name = s.split(['(', '<']).next().unwrap_or("").trim().to_string();
    if name.is_empty() {
        return None;
    }
    let inside = |open: char, close: char| {
        s.find(open).and_then(|i| s[i + 1..].split(close).next()).map(|x| x.trim().to_string())
    };
    let handle = inside('(', ')').filter(|h| h.starts_with('@') && !h.contains(' '));
    let email = inside('<', '>').filter(|e| e.contains('@'));
    let note = note.filter(|n| !n.is_empty()).map(str::to_string);
    Some(AuthorOut { name, handle, email, note, ..AuthorOut::default() })
}

/// A date as pandoc and Quarto accept it, as this format writes one
/// (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`): ISO 8601 with or without a time,
/// `02 December 2019`, `December 2, 2019`, `Dec. 2019`, `2019/12/02`.
pub(super) fn date(written: &str) -> Option<String> {
    let d = written.trim();
    let valid = |s: &str| crate::config::valid_date(s).then(|| s.to_string());
    if let Some(v) = d.get(..10).and_then(valid).or_else(|| valid(d)) {
        return Some(v);
    }
    let slashed = d.replace('/', "-");
    if slashed != d
        && let Some(v) = date(&slashed)
    {
        return Some(v);
    }
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<String> = d
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month =
        |w: &str| MONTHS.iter().position(|m| w.len() >= 3 && (m.starts_with(w) || (w == "sept" && *m == "september")));
    let (mut day, mut mon, mut year) = (None, None, None);
    for w in &words {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if let Some(m) = month(w) {
            mon = mon.or(Some(m + 1));
        } else if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
            year = year.or(digits.parse::<u32>().ok());
        } else if (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
            day = day.or(digits.parse::<u32>().ok());
        } else {
            return None;
        }
    }
    let out = match (year?, mon, day) {
        (y, Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (y, Some(m), None) => format!("{y:04}-{m:02}"),
        (y, None, None) => format!("{y:04}"),
        _ => return None,
    };
    valid(&out)
}

/// The front matter's keys and values in order, where it is in the text,
/// and where the body starts.
pub(super) type FrontMatter = (Vec<(String, toml::Value)>, Option<(usize, usize)>, usize);

pub(super) fn front_matter(text: &str, shown: &Path, diags: &mut Vec<Diagnostic>) -> FrontMatter {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let t = &text[text_start..];
    // The opening line may end with spaces (`--- `), as pandoc reads it.
    let first = t.split_inclusive('\n').next().unwrap_or("");
    for (mark, closes) in [("---", &["\n---\n", "\n...\n", "\n---"][..]), ("+++", &["\n+++\n", "\n+++"][..])] {
        if first.trim_end() != mark || !first.ends_with('\n') {
            continue;
        }
        let open = first;
        let rest = &t[open.len()..];
        let Some((end, close)) = closes.iter().filter_map(|c| rest.find(c).map(|i| (i, c.len()))).min() else {
            diags.push(super::left_out(
                Location::line_col(shown, 1, 1),
                "the front matter is not closed: read as text".into(),
                "close it",
            ));
            return (Vec::new(), None, 0);
        };
        let start = text_start + open.len();
        let raw = &rest[..end];
        let body_at = (start + end + close).min(text.len());
        let fields = if mark == "---" { yaml(raw) } else { toml_fields(raw) };
        return match fields {
            Ok(f) => (f, Some((start, start + end)), body_at),
            Err(why) => {
                diags.push(super::left_out(
                    Location::line_col(shown, 2, 1),
                    format!("the front matter cannot be read ({why}): left out"),
                    "fix it, then import again",
                ));
                (Vec::new(), Some((start, start + end)), body_at)
            }
        };
    }
    (Vec::new(), None, 0)
}

/// YAML front matter as TOML values, in order.
pub(super) fn yaml(raw: &str) -> Result<Vec<(String, toml::Value)>, String> {
    use yaml_rust2::{Yaml, YamlLoader};
    fn value(y: &Yaml) -> Option<toml::Value> {
        Some(match y {
            Yaml::String(s) => toml::Value::String(s.clone()),
            Yaml::Integer(i) => toml::Value::Integer(*i),
            Yaml::Real(r) => {
                r.parse::<f64>().map(toml::Value::Float).unwrap_or_else(|_| toml::Value::String(r.clone()))
            }
            Yaml::Boolean(b) => toml::Value::Boolean(*b),
            Yaml::Array(a) => toml::Value::Array(a.iter().filter_map(value).collect()),
            Yaml::Hash(h) => toml::Value::Table(h.iter().filter_map(|(k, v)| Some((key(k)?, value(v)?))).collect()),
            _ => return None,
        })
    }
    fn key(k: &Yaml) -> Option<String> {
        match k {
            Yaml::String(s) => Some(s.clone()),
            Yaml::Integer(i) => Some(i.to_string()),
            Yaml::Boolean(b) => Some(b.to_string()),
            _ => None,
        }
    }
    // Aliases are refused, as the parser reads them (never `*Genus*` inside
    // a plain value): a few lines of them expand to gigabytes when loaded.
    let mut parser = yaml_rust2::parser::Parser::new_from_str(raw);
    loop {
        match parser.next_token() {
            Ok((yaml_rust2::parser::Event::Alias(_), _)) => {
                return Err("YAML aliases are not read: a few lines of them can expand to gigabytes".into());
            }
            Ok((yaml_rust2::parser::Event::StreamEnd, _)) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    let docs = YamlLoader::load_from_str(raw).map_err(|e| e.to_string())?;
    let Some(Yaml::Hash(h)) = docs.into_iter().next() else { return Ok(Vec::new()) };
    Ok(h.iter().filter_map(|(k, v)| Some((key(k)?, value(v)?))).collect())
}

/// TOML front matter, in the order written.
fn toml_fields(raw: &str) -> Result<Vec<(String, toml::Value)>, String> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| e.message().to_string())?;
    let mut fields: Vec<(String, toml::Value)> = table.into_iter().collect();
    fields.sort_by_key(|(k, _)| raw.find(k.as_str()).unwrap_or(usize::MAX));
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(toml_text: &str) -> toml::Value {
        toml::from_str::<toml::Table>(toml_text).unwrap()["a"].clone()
    }

    #[test]
    fn people_in_the_forms_sites_write_them() {
        let none = Affiliations::default();
        let a = authors(
            &toml::Value::String(
                "Vitalik Buterin (@vbuterin), Martin Holst Swende <martin@example.org>, Alex (@a_b) <a@b.c>".into(),
            ),
            &none,
        )
        .authors;
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].name, "Vitalik Buterin");
        assert_eq!(a[0].handle.as_deref(), Some("@vbuterin"));
        assert_eq!(a[1].email.as_deref(), Some("martin@example.org"));
        assert_eq!(a[2].handle.as_deref(), Some("@a_b"));
        let a = authors(&value("a = [{ name = \"Ada\", twitter = \"ada\", affiliation = \"X\" }, \"Bob\"]"), &none);
        assert_eq!(a.authors[0].handle.as_deref(), Some("@ada"));
        assert_eq!(a.authors[0].affiliation.as_deref(), Some("X"));
        assert_eq!(a.authors[1].name, "Bob");
        let a = authors(&value("a = [{ name = { given = \"Ada\", family = \"Lovelace\" } }]"), &none);
        assert_eq!(a.authors[0].name, "Ada Lovelace");
    }

    #[test]
    fn pandoc_strings_name_several_people() {
        let none = Affiliations::default();
        let names = |s: &str| {
            authors(&toml::Value::String(s.into()), &none).authors.into_iter().map(|a| a.name).collect::<Vec<_>>()
        };
        assert_eq!(
            names("Ada Lovelace, Charles Babbage and Mary Somerville"),
            ["Ada Lovelace", "Charles Babbage", "Mary Somerville"]
        );
        assert_eq!(
            names("Ada Lovelace, Charles Babbage, and Mary Somerville"),
            ["Ada Lovelace", "Charles Babbage", "Mary Somerville"]
        );
        assert_eq!(names("Ada Lovelace & Charles Babbage"), ["Ada Lovelace", "Charles Babbage"]);
    }

    #[test]
    fn joss_affiliations_by_index_and_quarto_by_id() {
        let affs = Affiliations::read(&value(
            "a = [{ name = \"Lund University, Sweden\", index = 1 }, { name = \"CERN\", index = 2 }, { id = \"mit\", name = \"MIT\", department = \"Physics\", city = \"Cambridge\", region = \"MA\", ror = \"042nb2s44\" }]",
        ));
        let people = authors(
            &value(
                "a = [{ name = \"Kevin S. Anderson\", affiliation = 1 }, { name = \"B\", affiliation = \"1, 2\" }, { name = \"C\", affiliations = [{ ref = \"mit\" }], corresponding = true }, { name = \"D\", affiliation = \"7\" }]",
            ),
            &affs,
        );
        let got: Vec<Option<&str>> = people.authors.iter().map(|a| a.affiliation.as_deref()).collect();
        assert_eq!(
            got,
            [
                Some("Lund University, Sweden"),
                Some("Lund University, Sweden; CERN"),
                Some("Physics, MIT, Cambridge, MA"),
                None
            ]
        );
        assert_eq!(people.notes.len(), 1, "{:?}", people.notes);
        // An institution the document says more of keeps its parts.
        assert!(people.authors[0].affiliations.is_empty(), "a name alone is the affiliation's text");
        let mit = &people.authors[2].affiliations[0];
        assert_eq!(
            (mit.name.as_str(), mit.department.as_deref(), mit.city.as_deref(), mit.ror.as_deref()),
            ("MIT", Some("Physics"), Some("Cambridge"), Some("042nb2s44"))
        );
        assert!(people.authors[2].corresponding, "a corresponding author is said so");
        assert!(people.notes.iter().any(|n| n.contains("`7`")));
    }

    #[test]
    fn a_note_on_a_name_is_not_the_name() {
        let people = authors(
            &value("a = [{ name = \"Matthew Feickert^[Corresponding author.]\", affiliation = \"Uni\" }]"),
            &Affiliations::default(),
        );
        assert_eq!(people.authors[0].name, "Matthew Feickert");
        assert_eq!(people.authors[0].affiliation.as_deref(), Some("Uni"));
        assert_eq!(people.authors[0].note.as_deref(), Some("Corresponding author."));
        assert!(people.notes.is_empty(), "{:?}", people.notes);
    }

    #[test]
    fn quarto_notes_and_attributes_are_notes_on_the_name() {
        let people = authors(
            &value(
                "a = [{ name = \"A\", note = \"Now at CERN.\", thanks = \"Funded by X.\", attributes = { corresponding = true, equal-contributor = true, deceased = true } }, { name = \"B\", equal-contributor = \"true\" }, { name = \"C\", corresponding = false }]",
            ),
            &Affiliations::default(),
        );
        let a = &people.authors;
        assert_eq!(a[0].note.as_deref(), Some("Now at CERN. Funded by X."));
        assert!(a[0].corresponding && a[0].equal_contribution);
        assert!(a[1].equal_contribution && !a[1].corresponding);
        assert!(!a[2].corresponding);
        assert_eq!(people.notes.len(), 1, "{:?}", people.notes);
        assert!(people.notes[0].contains("`deceased`"));
    }

    #[test]
    fn a_star_inside_a_value_is_text_and_an_alias_is_refused() {
        let fields = yaml("title: My first manuscript\nkeywords: Any, relevant, topic, *Genus*\n").unwrap();
        assert_eq!(fields[1].1, toml::Value::String("Any, relevant, topic, *Genus*".into()));
        assert!(yaml("a: &a [x, y]\nb: [*a, *a]\n").unwrap_err().contains("aliases"));
        assert!(yaml("a: *b\n").is_err(), "an alias of nothing");
    }

    #[test]
    fn an_affiliations_site_is_kept_with_it() {
        let people = authors(
            &value(
                "a = [{ name = \"A\", affiliation = \"NIH NCATS\", affiliation-url = \"https://ncats.nih.gov/\" }, { name = \"B\", affiliation = \"X; Y\", affiliation-url = \"https://x.org\" }, { name = \"C\", affiliation = \"Z\", affiliation-url = \"javascript:alert(1)\" }]",
            ),
            &Affiliations::default(),
        );
        let a = &people.authors;
        assert_eq!(a[0].affiliations.len(), 1);
        assert_eq!(a[0].affiliations[0].name, "NIH NCATS");
        assert_eq!(a[0].affiliations[0].url.as_deref(), Some("https://ncats.nih.gov/"));
        assert!(a[1].affiliations.iter().all(|i| i.url.is_none()) && a[2].affiliations.is_empty());
        assert_eq!(people.notes.len(), 2, "two sites that name no one institution: {:?}", people.notes);
    }

    #[test]
    fn dates_as_people_write_them() {
        for (written, read) in [
            ("2019-12-02", Some("2019-12-02")),
            ("2019-12-02T10:00:00Z", Some("2019-12-02")),
            ("02 December 2019", Some("2019-12-02")),
            ("December 2, 2019", Some("2019-12-02")),
            ("2 Dec. 2019", Some("2019-12-02")),
            ("Sept 2021", Some("2021-09")),
            ("2019/12/02", Some("2019-12-02")),
            ("2020", Some("2020")),
            ("31 February 2020", None),
            ("today", None),
            ("last-modified", None),
            ("", None),
        ] {
            assert_eq!(date(written).as_deref(), read, "{written}");
        }
    }
}
