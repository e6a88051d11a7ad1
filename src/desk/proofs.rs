//! `anthology desk proofs`: for each essay, the proof its authors approve,
//! and a message to each of them with the proof attached.
//!
//! A proof is the essay's offprint as the book prints it, its first page
//! marked as a proof of the day. When an author approved an earlier text,
//! what changed since (a unified diff of the Markdown source, against the
//! copy `desk approve` kept in `desk/approved/`) comes with it. Each author
//! gets a message with them attached (see [`super::outbox`]). Everything is
//! written at once into the output folder, and each proof is recorded in
//! the desk.

use std::path::{Path, PathBuf};

use super::mail::Attachment;
use super::outbox::{Kind, Outbox, file_of};
use super::{Desk, DeskError, state};
use crate::editions::{Edition, Editions};
use crate::model::book::{Book, Essay};

/// Where `desk approve` keeps the text approved, for the next proof's diff.
pub const APPROVED_DIR: &str = "desk/approved";

/// Where the copy of `slug`'s source approved as `digest` is kept.
pub fn approved_copy(root: &Path, slug: &str, digest: &str) -> PathBuf {
    // Hex digits only: a digest from a hand-edited desk.toml never makes a
    // path that leaves the folder.
    let short: String = digest.trim_start_matches("sha256:").chars().filter(char::is_ascii_hexdigit).take(12).collect();
    root.join(APPROVED_DIR).join(format!("{slug}-{short}.md"))
}

/// Keeps `essay`'s source as approved with `digest`.
pub fn keep_approved(root: &Path, essay: &Essay, digest: &str) -> Result<(), DeskError> {
    let path = approved_copy(root, &essay.slug, digest);
    let io = |source| DeskError::Io { path: path.clone(), source };
    let text = std::fs::read(root.join(&essay.file)).map_err(io)?;
    std::fs::create_dir_all(root.join(APPROVED_DIR)).map_err(io)?;
    crate::files::write_atomically(&path, &text).map_err(io)
}

/// What `desk proofs` wrote.
#[derive(Debug, Default)]
pub struct Proofs {
    /// The essays proofed, by slug.
    pub essays: Vec<String>,
    /// The messages, one per author of each essay: the file, relative to
    /// the output folder, and whether it has an address.
    pub messages: Vec<(PathBuf, bool)>,
}

/// Makes the proofs of `slugs` (every essay when empty) of `book` into
/// `out`, replacing what it held, with a message to each author when the
/// desk knows who messages are from (`[desk] from`), and records them in
/// `desk.toml` when `record`. A book without a desk (a pull request's, in
/// CI) gets the proofs alone.
pub fn make(
    mut book: Book,
    desk: &Desk,
    record: bool,
    slugs: &[String],
    out: &Path,
    today: &str,
) -> Result<Proofs, DeskError> {
    let from = desk.desk.from.clone();
    let essays: Vec<Essay> = match slugs {
        [] => book.essays().cloned().collect(),
        _ => slugs
            .iter()
            .map(|s| {
                book.essays()
                    .find(|e| e.slug == *s)
                    .cloned()
                    .ok_or_else(|| DeskError::Refused(format!("no essay has the slug `{s}` (see `anthology list`)")))
            })
            .collect::<Result<_, _>>()?,
    };
    let root = book.root.clone();
    book.config.release.proof = Some(today.to_string());
    // The offprints, marked, made as a build makes them, into a staging folder.
    let staging = out.with_file_name(format!(".proofs-offprints.{}", std::process::id()));
    let session = crate::build::Session::new(&root).one_build();
    let outcome = session.editions(&book, &staging, Editions::NONE.with(Edition::Offprints));
    let pages = session.essay_pages(&book).unwrap_or_default();
    let offprints = staging.join("offprints");
    let read = |slug: &str| std::fs::read(offprints.join(format!("{slug}.pdf")));
    if let Some(Err(e)) = outcome.editions.get(&Edition::Offprints) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(DeskError::Refused(format!("the offprints could not be made: {e}")));
    }
    let lang = &book.config.language;
    let collation = crate::lang::collate::Collation::new(lang);
    let mut outbox = Outbox::new(&root, lang, Kind::Proof, from.as_deref().unwrap_or(""), today)?;
    let mut made = Proofs::default();
    // Each essay proofed, with the digest of the text its proof shows.
    let mut proved = Vec::new();
    for e in &essays {
        let pdf = read(&e.slug).map_err(|source| DeskError::Io { path: offprints.join(&e.slug), source })?;
        let digest = state::digest(&root, e);
        let dir = PathBuf::from(&e.slug);
        let pdf_name = format!("{}-{}-proof-{today}.pdf", book.config.slug, e.slug);
        outbox.put(dir.join(&pdf_name), pdf.clone());
        // What changed since the last approval of an earlier text.
        let earlier = desk.approvals.iter().rev().find(|a| a.essay == e.slug && a.digest != digest);
        let diff = earlier.and_then(|a| {
            let before = std::fs::read_to_string(approved_copy(&root, &e.slug, &a.digest)).ok()?;
            let now = std::fs::read_to_string(root.join(&e.file)).unwrap_or_default();
            let d = similar::TextDiff::from_lines(&before, &now);
            let file = e.file.display();
            Some(
                d.unified_diff()
                    .context_radius(2)
                    .header(&format!("{file} ({})", a.date), &format!("{file} ({today})"))
                    .to_string(),
            )
        });
        let diff_name = format!("{}-changes.diff", e.slug);
        let mut attachments = vec![Attachment { name: pdf_name.clone(), media_type: "application/pdf", bytes: pdf }];
        if let Some(d) = &diff {
            outbox.put(dir.join(&diff_name), d.clone().into_bytes());
            attachments.push(Attachment {
                name: diff_name.clone(),
                media_type: "text/x-diff",
                bytes: d.clone().into_bytes(),
            });
        }
        // The pages the essay has in the book: `3`, or `3–9` with `several`.
        let at = pages.get(&e.slug);
        let page_text = at.map(|p| if p.first == p.last { p.first.clone() } else { format!("{}–{}", p.first, p.last) });
        for a in e.authors.iter().filter(|_| from.is_some()) {
            let invited = desk.contributors.iter().find(|c| collation.same(&c.name, &a.name));
            let email = invited.and_then(|c| c.email.clone()).or_else(|| a.email.clone());
            let due = invited.and_then(|c| c.due.as_deref()).map(|d| super::messages::long(d, lang));
            let vars = minijinja::context! {
                name => &a.name,
                title => &e.title,
                book => &book.config.title,
                pages => &page_text,
                several_pages => at.is_some_and(|p| p.first != p.last),
                changes => diff.as_ref().map(|_| diff_name.clone()),
                due => due,
                slug => &e.slug,
            };
            let person = super::outbox::person(&a.name);
            let id = format!("proof.{}.{person}.{}", e.slug, &digest[7..19]);
            outbox.write(dir.join(file_of(&a.name)), &a.name, email.as_deref(), &e.slug, vars, &attachments, &id)?;
        }
        made.essays.push(e.slug.clone());
        proved.push((e.slug.clone(), digest));
    }
    let _ = std::fs::remove_dir_all(&staging);
    made.messages = outbox.finish(out)?;
    for (slug, digest) in proved.iter().filter(|_| record) {
        if !desk.proofs.iter().any(|p| p.essay == *slug && p.digest == *digest) {
            super::proof_made(&root, slug, digest, today)?;
        }
    }
    Ok(made)
}
