//! The desk's other messages: invitations (`desk invite`), reminders
//! (`desk remind`: to the late, and to authors whose proof waits for their
//! approval) and announcements (`desk announce`: each contributor's share
//! kit once the book is out). Proofs are [`super::proofs`]'.

use std::path::{Path, PathBuf};

use super::mail::Attachment;
use super::outbox::{Kind, Outbox, file_of};
use super::state::{Row, State};
use super::{Desk, DeskError, Invitee};
use crate::editions::{Edition, Editions};
use crate::model::book::Book;

/// Who the desk's messages are from (`[desk] from`), or why there is none.
pub fn sender(desk: &Desk) -> Result<String, DeskError> {
    desk.desk.from.clone().ok_or_else(|| {
        DeskError::Refused(
            "say who the messages are from: add `from = \"Your Name <you@example.org>\"` to desk.toml's [desk] table"
                .into(),
        )
    })
}

/// A date as the book's language writes it (as given when it cannot).
pub(super) fn long(date: &str, lang: &str) -> String {
    crate::lang::date::long(date, lang).unwrap_or_else(|| date.to_string())
}

/// An invitation to each of `people`, into `out`: the book at `root`,
/// titled `title`, with `words` the most an essay may have.
pub fn invitations(
    root: &Path,
    config: &crate::config::BookConfig,
    from: &str,
    people: &[Invitee],
    out: &Path,
    today: &str,
) -> Result<Vec<(PathBuf, bool)>, DeskError> {
    let lang = &config.language;
    let mut outbox = Outbox::new(root, lang, Kind::Invitation, from, today)?;
    for p in people {
        let vars = minijinja::context! {
            name => &p.name,
            book => &config.title,
            words => config.rules.max_words,
            due => p.due.as_deref().map(|d| long(d, lang)),
        };
        let id = format!("invitation.{}", super::outbox::person(&p.name));
        outbox.write(PathBuf::from(file_of(&p.name)), &p.name, p.email.as_deref(), "", vars, &[], &id)?;
    }
    outbox.finish(out)
}

/// A reminder to every contributor of `rows` who is late, or whose proof
/// was made and not yet approved, into `out`.
pub fn reminders(
    book: &Book,
    desk: &Desk,
    rows: &[Row],
    out: &Path,
    today: &str,
) -> Result<Vec<(PathBuf, bool)>, DeskError> {
    let from = sender(desk)?;
    let lang = &book.config.language;
    let mut outbox = Outbox::new(&book.root, lang, Kind::Reminder, &from, today)?;
    // A proof of the text as it is now, waiting: `proof-sent`, or `changed`
    // once the new text's proof was made.
    let waiting_proof = |r: &Row| {
        r.essays.iter().any(|s| {
            let Some(e) = book.texts().find(|e| &e.slug == s) else { return false };
            let now = super::state::digest(&book.root, e);
            desk.proofs.iter().any(|p| &p.essay == s && p.digest == now)
        })
    };
    let due = |r: &&Row| match r.state {
        State::Late | State::ProofSent => true,
        State::Changed => waiting_proof(r),
        _ => false,
    };
    for r in rows.iter().filter(due) {
        let late = r.state == State::Late;
        // The essay whose proof waits: the first not approved, and its last proof.
        let essay = r.essays.iter().find(|s| desk.proofs.iter().any(|p| &p.essay == *s));
        let title = essay.and_then(|s| book.texts().find(|e| &e.slug == s)).map(|e| e.title.clone());
        let sent = essay.and_then(|s| desk.proofs.iter().rev().find(|p| &p.essay == s)).map(|p| long(&p.date, lang));
        let vars = minijinja::context! {
            name => &r.name,
            book => &book.config.title,
            late => late,
            due => r.due.as_deref().map(|d| long(d, lang)),
            title => title,
            sent => sent,
        };
        let id = format!("reminder.{}.{today}", super::outbox::person(&r.name));
        let about = essay.map_or("", String::as_str);
        outbox.write(PathBuf::from(file_of(&r.name)), &r.name, r.email.as_deref(), about, vars, &[], &id)?;
    }
    outbox.finish(out)
}

/// Each contributor's share kit, into `out`: for every essay and each of
/// its authors, a message with the essay's offprint and its share card
/// attached, the post that goes with the card, the essay's address on the
/// site and the book's.
pub fn announcements(book: &Book, desk: &Desk, out: &Path, today: &str) -> Result<Vec<(PathBuf, bool)>, DeskError> {
    let from = sender(desk)?;
    let lang = &book.config.language;
    let collation = crate::lang::collate::Collation::new(lang);
    // The offprints and the cards, made as a build makes them.
    let staging = out.with_file_name(format!(".announce-editions.{}", std::process::id()));
    let session = crate::build::Session::new(&book.root).one_build();
    let which = Editions::NONE.with(Edition::Offprints).with(Edition::Cards);
    let outcome = session.editions(book, &staging, which);
    let failed = outcome.editions.values().find_map(|r| r.as_ref().err().map(|e| e.to_string()));
    if let Some(why) = failed {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(DeskError::Refused(format!("the offprints and cards could not be made: {why}")));
    }
    let book_url = book.config.url.clone().or_else(|| book.config.html.base_url.clone());
    let mut outbox = Outbox::new(&book.root, lang, Kind::Announcement, &from, today)?;
    for e in book.essays() {
        let read = |dir: &str, ext: &str| std::fs::read(staging.join(dir).join(format!("{}.{ext}", e.slug))).ok();
        let mut attachments = Vec::new();
        if let Some(pdf) = read("offprints", "pdf") {
            let name = crate::editions::metadata::offprint_name(book, &e.slug);
            attachments.push(Attachment { name, media_type: "application/pdf", bytes: pdf });
        }
        let card = read("cards", "png");
        let has_card = card.is_some();
        if let Some(png) = card {
            let name = format!("{}-{}.png", book.config.slug, e.slug);
            attachments.push(Attachment { name, media_type: "image/png", bytes: png });
        }
        let post = crate::editions::typst::cards::post(book, e);
        for a in &e.authors {
            let invited = desk.contributors.iter().find(|c| collation.same(&c.name, &a.name));
            let email = invited.and_then(|c| c.email.clone()).or_else(|| a.email.clone());
            let vars = minijinja::context! {
                name => &a.name,
                book => &book.config.title,
                title => &e.title,
                essay_url => crate::editions::metadata::essay_url(book, &e.slug),
                book_url => &book_url,
                card => has_card,
                post => &post,
            };
            let id = format!("announcement.{}.{}", e.slug, super::outbox::person(&a.name));
            let file = PathBuf::from(&e.slug).join(file_of(&a.name));
            outbox.write(file, &a.name, email.as_deref(), &e.slug, vars, &attachments, &id)?;
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    outbox.finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_need_a_sender() {
        let why = sender(&Desk::default()).unwrap_err().to_string();
        assert!(why.contains("[desk]") && why.contains("from ="), "{why}");
        let mut desk = Desk::default();
        desk.desk.from = Some("Ada <ada@example.org>".into());
        assert_eq!(sender(&desk).unwrap(), "Ada <ada@example.org>");
    }
}
