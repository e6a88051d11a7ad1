//! The desk's messages, written as files into one folder: an `.eml` per
//! person (see [`mail`]) and `messages.csv` listing them for mail-merge
//! tools. Each kind of message has its text in the book's language (English,
//! French, German and Spanish built in, in `templates/`), which the book
//! replaces with its
//! own `templates/desk/<kind>.txt`: a `Subject:` line, a blank line, then
//! the text, a minijinja template as the site's are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::DeskError;
use super::mail::{self, Attachment, Message};

/// A kind of message the desk writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An invitation to write (`desk invite`).
    Invitation,
    /// A proof to approve (`desk proofs`).
    Proof,
    /// A reminder: an essay late, or a proof not yet approved (`desk remind`).
    Reminder,
    /// The book is out: what to share (`desk announce`).
    Announcement,
}

impl Kind {
    /// Its template's name, in `templates/desk/`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invitation => "invitation",
            Kind::Proof => "proof",
            Kind::Reminder => "reminder",
            Kind::Announcement => "announcement",
        }
    }

    /// The built-in text in `lang`: French, German or Spanish for those,
    /// English otherwise.
    fn builtin(self, lang: &str) -> &'static str {
        let texts = match self {
            Kind::Invitation => INVITATION,
            Kind::Proof => PROOF,
            Kind::Reminder => REMINDER,
            Kind::Announcement => ANNOUNCEMENT,
        };
        let primary = lang.split('-').next().unwrap_or("en");
        texts.iter().find(|(l, _)| *l == primary).map_or(texts[0].1, |(_, t)| t)
    }
}

/// Each kind's built-in texts, by language; English first, the default.
type Texts = [(&'static str, &'static str); 4];
const INVITATION: Texts = [
    ("en", include_str!("templates/invitation.en.txt")),
    ("fr", include_str!("templates/invitation.fr.txt")),
    ("de", include_str!("templates/invitation.de.txt")),
    ("es", include_str!("templates/invitation.es.txt")),
];
const PROOF: Texts = [
    ("en", include_str!("templates/proof.en.txt")),
    ("fr", include_str!("templates/proof.fr.txt")),
    ("de", include_str!("templates/proof.de.txt")),
    ("es", include_str!("templates/proof.es.txt")),
];
const REMINDER: Texts = [
    ("en", include_str!("templates/reminder.en.txt")),
    ("fr", include_str!("templates/reminder.fr.txt")),
    ("de", include_str!("templates/reminder.de.txt")),
    ("es", include_str!("templates/reminder.es.txt")),
];
const ANNOUNCEMENT: Texts = [
    ("en", include_str!("templates/announcement.en.txt")),
    ("fr", include_str!("templates/announcement.fr.txt")),
    ("de", include_str!("templates/announcement.de.txt")),
    ("es", include_str!("templates/announcement.es.txt")),
];

/// Where a book keeps its own message texts.
pub const TEMPLATES: &str = "templates/desk";

/// Messages being written.
pub struct Outbox {
    env: minijinja::Environment<'static>,
    from: String,
    date: String,
    files: BTreeMap<PathBuf, Vec<u8>>,
    csv: csv::Writer<Vec<u8>>,
    /// Each message written: its file and whether it has an address.
    pub written: Vec<(PathBuf, bool)>,
}

impl Outbox {
    /// An outbox for `kind` messages of the book at `root`, written in
    /// `lang`, from `from` (`Name <address>`), dated `date` (`YYYY-MM-DD`).
    pub fn new(root: &Path, lang: &str, kind: Kind, from: &str, date: &str) -> Result<Self, DeskError> {
        let own = root.join(TEMPLATES).join(format!("{}.txt", kind.name()));
        let text = match std::fs::read_to_string(&own) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => kind.builtin(lang).to_string(),
            Err(source) => return Err(DeskError::Io { path: own, source }),
        };
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_template_owned("message", text)
            .map_err(|e| DeskError::Refused(format!("the {} message: {e}", kind.name())))?;
        let mut csv = csv::Writer::from_writer(Vec::new());
        let _ = csv.write_record(["name", "email", "essay", "subject", "attachments", "message"]);
        Ok(Outbox {
            env,
            from: from.to_string(),
            date: date.to_string(),
            files: BTreeMap::new(),
            csv,
            written: Vec::new(),
        })
    }

    /// The sender's name, as messages sign.
    pub fn editor(&self) -> String {
        self.from.rsplit_once('<').map_or(self.from.as_str(), |(n, _)| n.trim().trim_matches('"')).to_string()
    }

    /// Puts a file (an attachment kept beside the messages, say) in the folder.
    pub fn put(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.insert(path, bytes);
    }

    /// Writes the message to `name` (at `to`, when known) about `essay`, as
    /// `file` in the folder, its text rendered with `vars` (with `editor`
    /// added), with `attachments`; `id` makes its `Message-ID`.
    #[allow(clippy::too_many_arguments)]
    pub fn write(
        &mut self,
        file: PathBuf,
        name: &str,
        to: Option<&str>,
        essay: &str,
        vars: minijinja::Value,
        attachments: &[Attachment],
        id: &str,
    ) -> Result<(), DeskError> {
        let vars = minijinja::context! { editor => self.editor(), ..vars };
        let text = self
            .env
            .get_template("message")
            .and_then(|t| t.render(vars))
            .map_err(|e| DeskError::Refused(format!("the message to {name}: {e}")))?;
        let (subject, body) = match text.strip_prefix("Subject:").and_then(|t| t.split_once('\n')) {
            Some((s, b)) => (s.trim().to_string(), b.trim_start_matches('\n').to_string()),
            None => return Err(DeskError::Refused("a message template starts with a `Subject:` line".into())),
        };
        let message = Message {
            from: &self.from,
            to_name: name,
            to: to.unwrap_or(""),
            subject: &subject,
            body: &body,
            date: &self.date,
            id,
            attachments,
        };
        self.files.insert(file.clone(), mail::write(&message));
        let names: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
        let _ = self.csv.write_record([
            name,
            to.unwrap_or(""),
            essay,
            subject.as_str(),
            &names.join(" "),
            &crate::diagnostic::slash_path(&file),
        ]);
        self.written.push((file, to.is_some()));
        Ok(())
    }

    /// Writes every message and `messages.csv` into `out` at once,
    /// replacing what it held; returns the messages written.
    pub fn finish(mut self, out: &Path) -> Result<Vec<(PathBuf, bool)>, DeskError> {
        self.files.insert(PathBuf::from("messages.csv"), self.csv.into_inner().unwrap_or_default());
        crate::files::write_folder(&self.files, out)
            .map_err(|source| DeskError::Io { path: out.to_path_buf(), source })?;
        Ok(self.written)
    }
}

/// How a person is named in file names and message identifiers: their
/// name in ASCII, at most 80 characters (a name pasted wrong into a sheet
/// can be a paragraph, longer than a file name may be).
pub fn person(name: &str) -> String {
    let slug: String = crate::lang::slug::ascii(name).chars().take(80).collect();
    slug.trim_end_matches('-').to_string()
}

/// The file name of a message to `name`.
pub fn file_of(name: &str) -> String {
    format!("{}.eml", person(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in text renders with the variables its command gives,
    /// and starts with its subject: a misspelt variable would fail here.
    #[test]
    fn every_built_in_message_renders_in_every_language() {
        let dir = tempfile::tempdir().unwrap();
        let vars = |kind: Kind| match kind {
            Kind::Invitation => {
                minijinja::context! { name => "Ada", book => "Essais", words => 1200, due => "31 janvier" }
            }
            Kind::Proof => minijinja::context! {
                name => "Ada", title => "Lire", book => "Essais", pages => "3–9", several_pages => true,
                changes => "lire-changes.diff", due => "31 janvier", slug => "lire",
            },
            Kind::Reminder => minijinja::context! {
                name => "Ada", book => "Essais", late => false, due => "31 janvier", title => "Lire", sent => "7 décembre",
            },
            Kind::Announcement => minijinja::context! {
                name => "Ada", book => "Essais", title => "Lire", essay_url => "https://e.org/lire/",
                book_url => "https://e.org/", card => true, post => "« Lire », Essais",
            },
        };
        for kind in [Kind::Invitation, Kind::Proof, Kind::Reminder, Kind::Announcement] {
            for lang in ["en", "fr", "de", "es", "fr-CA", "ja"] {
                let mut out = Outbox::new(dir.path(), lang, kind, "Ed <ed@example.org>", "2026-12-07").unwrap();
                out.write(PathBuf::from("a.eml"), "Ada", Some("ada@example.org"), "lire", vars(kind), &[], "x")
                    .unwrap();
                let text = String::from_utf8(out.files[Path::new("a.eml")].clone()).unwrap();
                assert!(text.contains("\r\n\r\n") && text.contains("Ed\r\n"), "{kind:?} in {lang}: {text}");
            }
        }
        assert_eq!(Kind::Proof.builtin("ja"), PROOF[0].1, "English for a language without its own");
        assert_eq!(Kind::Proof.builtin("de-AT"), PROOF[2].1);
        assert_eq!(file_of("Noël Dupré"), "noel-dupre.eml");
        assert!(file_of(&"un nom collé par erreur ".repeat(40)).len() <= 84, "a file name the system takes");
    }
}
