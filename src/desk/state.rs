//! Each contributor's state, derived from the book and the desk.
//!
//! The desk records invitations, answers, approvals and proofs; whether an
//! essay was received, checks clean, or changed since it was approved is
//! read from the book itself each time, so that the states cannot drift
//! from the files. A text is known by its digest: the SHA-256 of its source
//! and of every file it prints (its folder's files, or its images and
//! photos), so an approval holds for exactly the text that was approved.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Answer, Desk};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::input::translations;
use crate::input::{CONTRIBUTIONS, Loaded};
use crate::model::book::{Author, Book, Essay};

/// A contributor's state, from the invitation to the approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Invited; nothing received, and the deadline has not passed.
    Invited,
    /// Declined the invitation.
    Declined,
    /// Past the deadline with nothing received.
    Late,
    /// An essay they sign exists, with errors.
    Received,
    /// Their essay checks without error.
    Checked,
    /// They approved an earlier text of their essay, which changed since.
    Changed,
    /// A proof of their essay's current text was made.
    ProofSent,
    /// They approved their essay's current text.
    Approved,
}

impl State {
    /// The state's name, as `desk` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Invited => "invited",
            State::Declined => "declined",
            State::Late => "late",
            State::Received => "received",
            State::Checked => "checked",
            State::Changed => "changed",
            State::ProofSent => "proof-sent",
            State::Approved => "approved",
        }
    }
}

/// One line of the desk: a contributor, invited or in the book.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Their name.
    pub name: String,
    /// Their address, from the desk or their front matter.
    pub email: Option<String>,
    /// The essays they sign, by slug.
    pub essays: Vec<String>,
    /// The words of each of their essays, in the order of `essays`.
    pub words: Vec<usize>,
    /// The book's limit per essay.
    pub limit: usize,
    /// Where they stand: for an author of several essays, the least
    /// advanced of them.
    pub state: State,
    /// Their deadline.
    pub due: Option<String>,
    /// What is missing: `essay`, `bio`, `photo`, `alt text`, `licence`,
    /// `approval`.
    pub missing: Vec<&'static str>,
}

/// The digest of `essay`'s text: its source and every file it prints.
pub fn digest(root: &Path, essay: &Essay) -> String {
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    // A text in a folder of its own (`slug/index.md`) is everything in it.
    let own_folder = essay.file.file_stem().is_some_and(|s| s == "index")
        && essay.dir != Path::new(CONTRIBUTIONS)
        && essay.file.parent() == Some(essay.dir.as_path());
    if own_folder {
        collect(root, &essay.dir, &mut files);
        // Its translations beside it are texts of their own.
        files.retain(|f| f == &essay.file || !translations::is_translation(f));
    } else {
        files.insert(essay.file.clone());
        let photos = essay.authors.iter().filter_map(|a| a.photo.as_ref());
        files.extend(essay.images.iter().map(|i| &i.asset).chain(photos).filter_map(|a| a.path.clone()));
    }
    let mut hash = Sha256::new();
    for f in &files {
        let bytes = std::fs::read(root.join(f)).unwrap_or_default();
        hash.update(crate::diagnostic::slash_path(f).as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    let out = hash.finalize();
    format!("sha256:{}", out.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Every file under `dir` (relative to `root`), relative to `root`.
fn collect(root: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else { return };
    for e in entries.flatten() {
        let rel = dir.join(e.file_name());
        match e.file_type() {
            Ok(t) if t.is_dir() => collect(root, &rel, out),
            Ok(t) if t.is_file() => {
                out.insert(rel);
            }
            _ => {}
        }
    }
}

/// Whether `report` has an error in text `e`: in its file, or in any file
/// of its own folder.
pub fn has_errors(report: &crate::diagnostic::Report, e: &Essay) -> bool {
    let own_folder = e.file.parent() == Some(e.dir.as_path()) && e.dir != Path::new(CONTRIBUTIONS);
    report.diagnostics.iter().any(|d| {
        let f = &d.location.file;
        d.is_error() && (*f == e.file || (own_folder && f.starts_with(&e.dir) && !translations::is_translation(f)))
    })
}

/// A text as the desk follows it: who signs it, and the key their
/// approvals and its proofs name it by.
pub struct Signed<'a> {
    /// `passeurs` for an original; `passeurs.en` for its translation into
    /// English (see [`translations::key`]).
    pub key: String,
    /// The text.
    pub essay: &'a Essay,
    /// Who signs it: its authors, or a translation's translators.
    pub people: &'a [Author],
}

/// The texts of `loaded` someone signs: the originals with authors, then
/// the translations with translators.
pub fn signed(loaded: &Loaded) -> Vec<Signed<'_>> {
    let originals = loaded.texts().filter(|e| !e.authors.is_empty()).map(|e| Signed {
        key: e.slug.clone(),
        essay: e,
        people: &e.authors,
    });
    let translated = loaded.translations.iter().filter(|t| !t.text.translators.is_empty()).map(|t| Signed {
        key: translations::key(&t.of, &t.lang),
        essay: &t.text,
        people: &t.text.translators,
    });
    originals.chain(translated).collect()
}

/// The texts of `book` someone signs: in the book's own language, the texts
/// with authors; in another language's edition, its translations with
/// translators (its untranslated texts are the book's).
pub fn signed_in(book: &Book) -> Vec<Signed<'_>> {
    let translated = book.config.translation_of.is_some();
    book.texts()
        .filter_map(|e| match (&e.original, translated) {
            (_, false) if !e.authors.is_empty() => Some(Signed { key: e.slug.clone(), essay: e, people: &e.authors }),
            (Some(_), true) if !e.translators.is_empty() => {
                Some(Signed { key: translations::key(&e.slug, &e.lang), essay: e, people: &e.translators })
            }
            _ => None,
        })
        .collect()
}

/// One text with an author, as the desk sees it.
struct Text<'a> {
    signed: Signed<'a>,
    digest: String,
    errors: bool,
}

/// The state of `essay`'s author `name` for the text `digest`.
fn text_state(desk: &Desk, same: &dyn Fn(&str, &str) -> bool, t: &Text<'_>, name: &str) -> State {
    let by_them = |a: &&super::Approval| a.essay == t.signed.key && same(&a.by, name);
    if t.errors {
        State::Received
    } else if desk.approvals.iter().filter(by_them).any(|a| a.digest == t.digest) {
        State::Approved
    } else if desk.approvals.iter().any(|a| by_them(&a)) {
        State::Changed
    } else if desk.proofs.iter().any(|p| p.essay == t.signed.key && p.digest == t.digest) {
        State::ProofSent
    } else {
        State::Checked
    }
}

impl Row {
    /// Their words against the limit: `872/3300`, `872, 881/3300` for two
    /// essays (the limit is each essay's), `-` for none.
    pub fn words_against_limit(&self, sep: &str) -> String {
        if self.words.is_empty() {
            return "-".to_string();
        }
        let words: Vec<String> = self.words.iter().map(usize::to_string).collect();
        format!("{}{sep}{}", words.join(", "), self.limit)
    }
}

/// "18 contributors: 1 invited, 1 late, 16 checked": how many of `rows`
/// are in each state, in the states' order.
pub fn summary(rows: &[Row]) -> String {
    let mut counts: std::collections::BTreeMap<State, usize> = Default::default();
    for r in rows {
        *counts.entry(r.state).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {}", s.as_str())).collect();
    format!("{} contributors: {}", rows.len(), counts.join(", "))
}

/// The desk's rows: every invitee in the desk's order, then every author of
/// the book who was never invited, in the order of their first text.
/// `errors` says which files have errors (see [`crate::pipeline::check`]),
/// `today` is `YYYY-MM-DD`.
pub fn rows(loaded: &Loaded, desk: &Desk, errors: &dyn Fn(&Essay) -> bool, today: &str) -> Vec<Row> {
    let lang = loaded.config.as_ref().map_or("und", |c| c.language.as_str());
    let collation = crate::lang::collate::Collation::new(lang);
    let same = |a: &str, b: &str| collation.same(a, b);
    let limit = loaded.config.as_ref().map_or(0, |c| c.rules.max_words);
    let licensed = loaded.config.as_ref().is_some_and(|c| c.license.is_some());
    let texts: Vec<Text<'_>> = signed(loaded)
        .into_iter()
        .map(|s| Text { digest: digest(&loaded.root, s.essay), errors: errors(s.essay), signed: s })
        .collect();
    let mut names: Vec<String> = desk.contributors.iter().map(|c| c.name.clone()).collect();
    for t in &texts {
        for a in t.signed.people {
            if !names.iter().any(|n| same(n, &a.name)) {
                names.push(a.name.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let invited = desk.contributors.iter().find(|c| same(&c.name, &name));
            let theirs: Vec<(&Text<'_>, &crate::model::book::Author)> = texts
                .iter()
                .filter_map(|t| Some((t, t.signed.people.iter().find(|a| same(&a.name, &name))?)))
                .collect();
            let due = invited.and_then(|c| c.due.clone());
            let state = match theirs.iter().map(|(t, _)| text_state(desk, &same, t, &name)).min() {
                Some(s) => s,
                None if invited.and_then(|c| c.answer) == Some(Answer::Declined) => State::Declined,
                None if due.as_deref().is_some_and(|d| d < today) => State::Late,
                None => State::Invited,
            };
            let mut missing = Vec::new();
            if theirs.is_empty() {
                missing.push("essay");
            }
            let author = theirs.first().map(|(_, a)| *a);
            if author.is_some_and(|a| a.bio.as_deref().is_none_or(|b| b.trim().is_empty())) {
                missing.push("bio");
            }
            if author.is_some_and(|a| a.photo.is_none()) {
                missing.push("photo");
            }
            if theirs.iter().any(|(t, _)| t.signed.essay.images.iter().any(|i| i.alt.trim().is_empty())) {
                missing.push("alt text");
            }
            let approvals: Vec<&super::Approval> = desk.approvals.iter().filter(|a| same(&a.by, &name)).collect();
            if !theirs.is_empty() && !licensed && !approvals.iter().any(|a| a.licence.is_some()) {
                missing.push("licence");
            }
            if !theirs.is_empty() && state != State::Approved {
                missing.push("approval");
            }
            let email = invited.and_then(|c| c.email.clone()).or_else(|| author.and_then(|a| a.email.clone()));
            Row {
                name: invited.map_or(name.clone(), |c| c.name.clone()),
                email,
                essays: theirs.iter().map(|(t, _)| t.signed.key.clone()).collect(),
                words: theirs.iter().map(|(t, _)| t.signed.essay.words).collect(),
                limit,
                state,
                due,
                missing,
            }
        })
        .collect()
}

/// A D001 warning for every text whose current version an author has not
/// approved: what `check` says of a book with a desk, and what `build
/// --release` refuses.
pub fn unapproved<'a>(
    root: &Path,
    lang: &str,
    texts: impl Iterator<Item = Signed<'a>>,
    desk: &Desk,
) -> Vec<Diagnostic> {
    let collation = crate::lang::collate::Collation::new(lang);
    let mut out = Vec::new();
    for Signed { key, essay: e, people } in texts.filter(|s| !s.essay.draft) {
        let now = digest(root, e);
        let mut waiting = Vec::new();
        let mut changed = Vec::new();
        for a in people {
            let theirs: Vec<_> =
                desk.approvals.iter().filter(|x| x.essay == key && collation.same(&x.by, &a.name)).collect();
            match theirs.iter().rev().find(|x| x.digest != now) {
                _ if theirs.iter().any(|x| x.digest == now) => {}
                Some(old) => changed.push(format!("{} approved it on {}", a.name, old.date)),
                None => waiting.push(a.name.clone()),
            }
        }
        if waiting.is_empty() && changed.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        if !waiting.is_empty() {
            parts.push(format!("not approved by {}", waiting.join(", ")));
        }
        if !changed.is_empty() {
            parts.push(format!("changed since {}", changed.join(" and since ")));
        }
        let who = waiting.first().cloned().unwrap_or_else(|| {
            people
                .iter()
                .find(|a| changed.iter().any(|c| c.starts_with(&a.name)))
                .map_or(String::new(), |a| a.name.clone())
        });
        out.push(
            Diagnostic::new(Code::NotApproved, Location::file(&e.file), format!("`{key}`: {}", parts.join("; ")))
                .hint(if e.original.is_some() || key != e.slug {
                    format!("once they approve the translation, record it: `anthology desk approve {key} --by \"{who}\"`")
                } else {
                    format!(
                        "send the proof (`anthology desk proofs {key}`); once they approve it, record it: `anthology desk approve {key} --by \"{who}\"`"
                    )
                }),
        );
    }
    out
}
