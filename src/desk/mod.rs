//! The editor's desk: who was invited, by when, who answered, and who
//! approved which text of their essay, kept in the book's `desk.toml`.
//!
//! Everything else a contributor's state depends on is a fact of the book
//! already (an essay they sign exists, it checks clean, its text is the one
//! they approved), so the file records only what the book cannot know: the
//! invitations, the answers, the approvals and the proofs made. The states
//! are derived in [`state`]; a book without `desk.toml` has no desk, and
//! nothing of this module applies to it.
//!
//! The file is edited in place by the `desk` commands (`toml_edit`), so an
//! editor's comments and hand edits stay.

pub mod invite;
pub mod mail;
pub mod messages;
pub mod outbox;
pub mod page;
pub mod proofs;
pub mod state;
pub mod translations;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Location};

/// The desk's file, at the book's root.
pub const DESK_FILE: &str = "desk.toml";

/// What `desk.toml` holds.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Desk {
    /// The desk's settings.
    #[serde(default)]
    pub desk: Settings,
    /// Everyone invited, in the order they were.
    #[serde(default, rename = "contributor")]
    pub contributors: Vec<Invitee>,
    /// Every approval given, oldest first.
    #[serde(default, rename = "approval")]
    pub approvals: Vec<Approval>,
    /// Every proof made, oldest first.
    #[serde(default, rename = "proof")]
    pub proofs: Vec<Proof>,
}

/// The `[desk]` table.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Whether `build --release` refuses an essay whose current text is not
    /// approved by all its authors (true unless set to false).
    #[serde(default = "yes")]
    pub release_needs_approval: bool,
    /// Who the desk's messages are from: `Name <address>`.
    pub from: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { release_needs_approval: true, from: None }
    }
}

fn yes() -> bool {
    true
}

/// One `[[contributor]]`: a person invited to write.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Invitee {
    /// Their name, as they sign (matched to the book's authors as the
    /// book's language compares names).
    pub name: String,
    /// Where their messages go.
    pub email: Option<String>,
    /// The deadline, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// When they were invited, `YYYY-MM-DD`.
    pub invited: Option<String>,
    /// What they answered, when they did.
    pub answer: Option<Answer>,
}

/// An invitee's answer.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// They will write.
    Agreed,
    /// They will not.
    Declined,
}

impl Answer {
    /// As written in `desk.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Agreed => "agreed",
            Answer::Declined => "declined",
        }
    }
}

/// One `[[approval]]`: an author approved one text of an essay.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The essay's slug.
    pub essay: String,
    /// Who approved, as they sign.
    pub by: String,
    /// When, `YYYY-MM-DD`.
    pub date: String,
    /// The digest of the text they approved (see [`state::digest`]).
    pub digest: String,
    /// The licence they grant, when they gave one.
    pub licence: Option<String>,
    /// Whether they consent to their photo being printed.
    pub photo: Option<bool>,
    /// Whether they consent to their handle being printed.
    pub handle: Option<bool>,
}

/// One `[[proof]]`: a proof of one text of an essay was made.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// The essay's slug.
    pub essay: String,
    /// The digest of the text the proof shows.
    pub digest: String,
    /// When, `YYYY-MM-DD`.
    pub date: String,
}

/// The desk of the book at `root`: `None` when it has no `desk.toml`; a
/// diagnostic (D002) when the file cannot be used.
pub fn load(root: &Path) -> Result<Option<Desk>, Box<Diagnostic>> {
    let path = root.join(DESK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Box::new(Diagnostic::new(Code::DeskInvalid, Location::file(DESK_FILE), e.to_string())));
        }
    };
    parse(&text).map(Some).map_err(Box::new)
}

/// `desk.toml`'s text read, its dates checked.
pub fn parse(text: &str) -> Result<Desk, Diagnostic> {
    let desk: Desk = toml::from_str(text).map_err(|e| {
        let location = match e.span() {
            Some(span) => Location::at(DESK_FILE, text, span),
            None => Location::file(DESK_FILE),
        };
        Diagnostic::new(Code::DeskInvalid, location, e.message().to_string())
            .hint("see the guide's page on the editor's desk for what desk.toml holds")
    })?;
    let dates = desk
        .contributors
        .iter()
        .flat_map(|c| [&c.due, &c.invited].into_iter().flatten().map(|d| (d, c.name.as_str())))
        .chain(desk.approvals.iter().map(|a| (&a.date, a.by.as_str())))
        .chain(desk.proofs.iter().map(|p| (&p.date, p.essay.as_str())));
    let digests = desk.approvals.iter().map(|a| &a.digest).chain(desk.proofs.iter().map(|p| &p.digest));
    for digest in digests {
        let hex = digest.strip_prefix("sha256:").unwrap_or_default();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let at = text
                .find(digest.as_str())
                .map_or(Location::file(DESK_FILE), |i| Location::at(DESK_FILE, text, i..i + digest.len()));
            return Err(Diagnostic::new(Code::DeskInvalid, at, format!("`{digest}` is not a digest the desk wrote"))
                .hint("a digest is `sha256:` and 64 hexadecimal digits, as `anthology desk approve` writes it"));
        }
    }
    for (date, whose) in dates {
        if !is_date(date) {
            let at = text
                .find(&format!("\"{date}\""))
                .map_or(Location::file(DESK_FILE), |i| Location::at(DESK_FILE, text, i..i + date.len() + 2));
            return Err(Diagnostic::new(Code::DeskInvalid, at, format!("`{date}` ({whose}) is not a date"))
                .hint("write dates as YYYY-MM-DD, such as \"2027-03-31\""));
        }
    }
    Ok(desk)
}

/// Whether `s` is a whole `YYYY-MM-DD` date (a day, as `book.toml`'s dates
/// are checked, not a month or a year).
pub fn is_date(s: &str) -> bool {
    s.len() == 10 && crate::config::valid_date(s)
}

/// Today's date, `YYYY-MM-DD`: `SOURCE_DATE_EPOCH`'s day when it is set (so
/// that a desk's states can be reproduced), else the clock's (UTC).
pub fn today() -> String {
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d, ..) = crate::lang::date::build_date(None, Some(secs)).unwrap_or((1970, 1, 1, 0, 0, 0));
    format!("{y:04}-{m:02}-{d:02}")
}

/// What `check` says of the desk of the book `loaded`: nothing without a
/// `desk.toml`, D002 when it cannot be used, else a D001 warning for each
/// of the texts `only` keeps (`check --changed`: the branch's own) that not
/// every author approved as it is now.
pub fn diagnostics(
    loaded: &crate::input::Loaded,
    only: &dyn Fn(&crate::model::book::Essay) -> bool,
) -> Vec<Diagnostic> {
    match load(&loaded.root) {
        Ok(None) => Vec::new(),
        Err(d) => vec![*d],
        Ok(Some(desk)) => {
            let lang = loaded.config.as_ref().map_or("und", |c| c.language.as_str());
            state::unapproved(&loaded.root, lang, state::signed(loaded).into_iter().filter(|s| only(s.essay)), &desk)
        }
    }
}

/// What stops `build --release` of `book`: the texts not every author
/// approved as they are now, as errors, when the book has a desk that asks
/// for approvals (`[desk] release_needs_approval`, true unless set false).
pub fn release_gate(book: &crate::model::book::Book) -> Vec<Diagnostic> {
    match load(&book.root) {
        Ok(None) => Vec::new(),
        Err(d) => vec![*d],
        Ok(Some(desk)) if !desk.desk.release_needs_approval => Vec::new(),
        Ok(Some(desk)) => {
            state::unapproved(&book.root, &book.config.language, state::signed_in(book).into_iter(), &desk)
                .into_iter()
                .map(|mut d| {
                    d.severity = crate::diagnostic::Severity::Error;
                    d
                })
                .collect()
        }
    }
}

/// Leaves out of `book` the photos and handles their authors declined to
/// have printed, as their latest approval saying so records (`desk approve
/// --photo no`, `--handle no`): in every text and in the contributor index,
/// so that no edition shows them. Returns what was left out, by author.
pub fn apply_consents(book: &mut crate::model::book::Book) -> Vec<String> {
    let Ok(Some(desk)) = load(&book.root) else { return Vec::new() };
    let collation = crate::lang::collate::Collation::new(&book.config.language);
    // For each author, their latest word on each.
    let latest = |name: &str, pick: fn(&Approval) -> Option<bool>| {
        desk.approvals.iter().rev().filter(|a| collation.same(&a.by, name)).find_map(pick)
    };
    let mut left = std::collections::BTreeSet::new();
    let mut strip = |a: &mut crate::model::book::Author| {
        if a.photo.is_some() && latest(&a.name, |x| x.photo) == Some(false) {
            a.photo = None;
            left.insert(format!("the photo of {}", a.name));
        }
        if a.handle.is_some() && latest(&a.name, |x| x.handle) == Some(false) {
            a.handle = None;
            left.insert(format!("the handle of {}", a.name));
        }
    };
    for text in book.texts_mut() {
        text.authors.iter_mut().for_each(&mut strip);
    }
    for c in &mut book.contributors {
        strip(&mut c.author);
    }
    left.into_iter().collect()
}

/// Why the desk's file could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not one the desk can use.
    #[error("{}: {}", DESK_FILE, .0.message)]
    Invalid(Box<Diagnostic>),
    /// What was asked cannot be done.
    #[error("{0}")]
    Refused(String),
}

/// The first lines of a new `desk.toml`.
const HEADER: &str = "\
# The editor's desk: who was invited and by when, what they answered, and
# who approved which text of their essay. The `anthology desk` commands
# add to this file; edits by hand are kept. See the guide's \"The editor's
# desk\" page.
";

/// `desk.toml` of the book at `root`, as a document to edit, checked first
/// (empty when there is none yet: [`save`] starts it with [`HEADER`]).
fn open(root: &Path) -> Result<toml_edit::DocumentMut, DeskError> {
    let path = root.join(DESK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => return Err(DeskError::Io { path, source }),
    };
    parse(&text).map_err(|d| DeskError::Invalid(Box::new(d)))?;
    text.parse().map_err(|e: toml_edit::TomlError| {
        DeskError::Invalid(Box::new(Diagnostic::new(Code::DeskInvalid, Location::file(DESK_FILE), e.to_string())))
    })
}

/// Writes `doc` as the desk of the book at `root`, atomically.
fn save(root: &Path, doc: &toml_edit::DocumentMut) -> Result<(), DeskError> {
    let path = root.join(DESK_FILE);
    let text = match path.exists() {
        true => doc.to_string(),
        false => format!("{HEADER}\n{doc}"),
    };
    crate::files::write_atomically(&path, text.as_bytes()).map_err(|source| DeskError::Io { path, source })
}

/// Appends one table to the array of tables `key` of `doc`.
fn append(doc: &mut toml_edit::DocumentMut, key: &str, table: toml_edit::Table) {
    let item = doc.entry(key).or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    if let Some(array) = item.as_array_of_tables_mut() {
        array.push(table);
    }
}

/// A table of the given string fields, those that are `Some`.
fn table(fields: &[(&str, Option<&str>)]) -> toml_edit::Table {
    let mut t = toml_edit::Table::new();
    for (key, value) in fields {
        if let Some(v) = value {
            t.insert(key, toml_edit::value(*v));
        }
    }
    t
}

/// Adds `people` to the desk of the book at `root`, leaving out anyone
/// already there (the names compared in `lang`). Returns those added.
pub fn invite(root: &Path, lang: &str, people: &[Invitee]) -> Result<Vec<Invitee>, DeskError> {
    let mut doc = open(root)?;
    let known = parse(&doc.to_string()).map_err(|d| DeskError::Invalid(Box::new(d)))?;
    let collation = crate::lang::collate::Collation::new(lang);
    let mut added: Vec<Invitee> = Vec::new();
    for p in people {
        let seen = known.contributors.iter().chain(&added).any(|c| collation.same(&c.name, &p.name));
        if seen {
            continue;
        }
        let t = table(&[
            ("name", Some(&p.name)),
            ("email", p.email.as_deref()),
            ("due", p.due.as_deref()),
            ("invited", p.invited.as_deref()),
            ("answer", p.answer.map(Answer::as_str)),
        ]);
        append(&mut doc, "contributor", t);
        added.push(p.clone());
    }
    save(root, &doc)?;
    Ok(added)
}

/// Sets who the desk's messages are from (`[desk] from`).
pub fn set_from(root: &Path, from: &str) -> Result<(), DeskError> {
    let mut doc = open(root)?;
    if let Some(table) = doc.get_mut("desk").and_then(|d| d.as_table_like_mut()) {
        table.insert("from", toml_edit::value(from));
        return save(root, &doc);
    }
    // A new [desk] goes first, where a reader looks for settings: after the
    // file's opening comment.
    let mut table = toml_edit::Table::new();
    table.insert("from", toml_edit::value(from));
    let mut desk = toml_edit::DocumentMut::new();
    desk.insert("desk", toml_edit::Item::Table(table));
    let path = root.join(DESK_FILE);
    let text = if path.exists() { doc.to_string() } else { HEADER.to_string() };
    let text = match text.strip_prefix(HEADER) {
        Some(rest) => format!("{HEADER}\n{desk}\n{}", rest.trim_start_matches('\n')),
        None => format!("{desk}\n{text}"),
    };
    parse(&text).map_err(|d| DeskError::Invalid(Box::new(d)))?;
    crate::files::write_atomically(&path, text.as_bytes()).map_err(|source| DeskError::Io { path, source })
}

/// Records `answer` for the invitee named `name`.
pub fn answer(root: &Path, lang: &str, name: &str, answer: Answer) -> Result<String, DeskError> {
    let mut doc = open(root)?;
    let collation = crate::lang::collate::Collation::new(lang);
    let tables = doc.get_mut("contributor").and_then(|i| i.as_array_of_tables_mut());
    let found = tables.and_then(|a| {
        a.iter_mut().find(|t| t.get("name").and_then(|n| n.as_str()).is_some_and(|n| collation.same(n, name)))
    });
    let Some(t) = found else {
        return Err(DeskError::Refused(format!("nobody named {name} was invited (see `anthology desk`)")));
    };
    t.insert("answer", toml_edit::value(answer.as_str()));
    let who = t.get("name").and_then(|n| n.as_str()).unwrap_or(name).to_string();
    save(root, &doc)?;
    Ok(who)
}

/// Records `approval`.
pub fn approve(root: &Path, approval: &Approval) -> Result<(), DeskError> {
    let mut doc = open(root)?;
    let mut t = table(&[
        ("essay", Some(&approval.essay)),
        ("by", Some(&approval.by)),
        ("date", Some(&approval.date)),
        ("digest", Some(&approval.digest)),
        ("licence", approval.licence.as_deref()),
    ]);
    for (key, consent) in [("photo", approval.photo), ("handle", approval.handle)] {
        if let Some(c) = consent {
            t.insert(key, toml_edit::value(c));
        }
    }
    append(&mut doc, "approval", t);
    save(root, &doc)
}

/// Records that a proof of `essay`'s text `digest` was made today.
pub fn proof_made(root: &Path, essay: &str, digest: &str, date: &str) -> Result<(), DeskError> {
    let mut doc = open(root)?;
    append(&mut doc, "proof", table(&[("essay", Some(essay)), ("digest", Some(digest)), ("date", Some(date))]));
    save(root, &doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_file_is_added_to_in_place_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(load(root).unwrap(), None, "no desk.toml, no desk");
        let ada = Invitee {
            name: "Noël Dupré".into(),
            email: Some("noel@example.org".into()),
            due: Some("2027-01-31".into()),
            invited: Some("2026-12-07".into()),
            answer: None,
        };
        assert_eq!(invite(root, "fr", std::slice::from_ref(&ada)).unwrap().len(), 1);
        set_from(root, "Claire <claire@example.org>").unwrap();
        set_from(root, "Claire Éditrice <claire@example.org>").unwrap();
        let text = std::fs::read_to_string(root.join(DESK_FILE)).unwrap();
        let desk_at = text.find("[desk]\nfrom = \"Claire Éditrice <claire@example.org>\"\n").unwrap();
        assert!(text.starts_with(HEADER) && desk_at < text.find("[[contributor]]").unwrap(), "{text}");
        // A comment of the editor's stays.
        let text = std::fs::read_to_string(root.join(DESK_FILE)).unwrap();
        std::fs::write(root.join(DESK_FILE), format!("{text}# called on Monday\n")).unwrap();
        let again = Invitee { name: "noel dupre".into(), ..Invitee::default() };
        assert!(invite(root, "fr", &[again]).unwrap().is_empty(), "the same name, folded");
        assert_eq!(answer(root, "fr", "NOËL DUPRÉ", Answer::Agreed).unwrap(), "Noël Dupré");
        assert!(answer(root, "fr", "Someone Else", Answer::Declined).is_err());
        let approval = Approval {
            essay: "premier".into(),
            by: "Noël Dupré".into(),
            date: "2027-01-20".into(),
            digest: format!("sha256:{}", "0a".repeat(32)),
            licence: Some("CC BY 4.0".into()),
            photo: Some(true),
            handle: None,
        };
        approve(root, &approval).unwrap();
        proof_made(root, "premier", &format!("sha256:{}", "0a".repeat(32)), "2027-01-19").unwrap();
        let desk = load(root).unwrap().unwrap();
        assert_eq!(desk.contributors, vec![Invitee { answer: Some(Answer::Agreed), ..ada }]);
        assert_eq!(desk.approvals, vec![approval]);
        assert_eq!(desk.proofs.len(), 1);
        assert!(desk.desk.release_needs_approval);
        assert_eq!(desk.desk.from.as_deref(), Some("Claire Éditrice <claire@example.org>"));
        let text = std::fs::read_to_string(root.join(DESK_FILE)).unwrap();
        assert!(text.starts_with("# The editor's desk") && text.contains("# called on Monday"), "{text}");
    }

    #[test]
    fn a_desk_file_that_cannot_be_used_is_a_diagnostic_at_its_line() {
        let bad = "[[contributor]]\nname = \"A\"\ndue = \"31/01/2027\"\n";
        let d = parse(bad).unwrap_err();
        assert_eq!((d.code, d.location.line), (Code::DeskInvalid, 3));
        let d = parse("[[contributor]]\nname = \"A\"\nmail = \"a@b\"\n").unwrap_err();
        assert_eq!((d.code, d.location.line), (Code::DeskInvalid, 3), "{}", d.message);
        assert!(parse("[desk]\nrelease_needs_approval = false\n").is_ok_and(|d| !d.desk.release_needs_approval));
        assert!(is_date("2027-02-28") && !is_date("2027-13-01") && !is_date("27-01-01"));
        // A digest edited by hand into a path is refused, at its line.
        let bad = "[[approval]]\nessay = \"a\"\nby = \"A\"\ndate = \"2027-01-01\"\ndigest = \"sha256:/../../../x\"\n";
        let d = parse(bad).unwrap_err();
        assert_eq!((d.code, d.location.line), (Code::DeskInvalid, 5), "{}", d.message);
        assert!(proofs::approved_copy(Path::new("/b"), "a", "sha256:/../../../x").starts_with("/b/desk/approved"));
    }
}
