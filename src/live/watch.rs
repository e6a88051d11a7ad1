//! `anthology watch` (and `serve`, built on it): rebuild after every edit.
//!
//! A [`Watcher`] keeps one [`Session`] alive: the images already scaled, the
//! fonts already parsed, typst's memoised layout, the site last written. It
//! polls the book's files (their paths, sizes and times of change) and, after
//! a change, loads and checks the book again (milliseconds for a hundred
//! essays), then remakes the editions from the session: only the essays that
//! changed are laid out again, only the pages whose bytes changed are
//! written. When the book has errors, they are reported and the editions of
//! the last good build stay in place. A book in several languages keeps one
//! session per language, each rebuilt after the book's.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::build::{Outcome, Session};
use crate::diagnostic::Report;
use crate::editions::Editions;
use crate::input::LoadError;
use crate::model::book::Book;

/// The folders a book is made from, besides its `book.toml`.
const WATCHED: [&str; 6] = ["contributions", "templates", "front", "back", "sections", "fonts"];

/// A fingerprint of everything a build of the book at `root` reads.
pub fn fingerprint(root: &Path) -> u64 {
    let mut paths = vec![root.join(crate::config::BOOK_FILE)];
    paths.extend(WATCHED.iter().map(|d| root.join(d)));
    crate::files::fingerprint_of(&paths)
}

/// What one (re)build gave.
pub enum Rebuild {
    /// The book was valid and the editions were made (each may still have failed).
    Built {
        /// The editions, in the book's language and then each other
        /// language's merged: an edition failed when it failed in any.
        outcome: Box<Outcome>,
        /// Warnings found while checking.
        report: Report,
        /// Essays in the book.
        essays: usize,
        /// Loading, checking and making the editions.
        time: Duration,
        /// When the site was written before the PDF was done, with the
        /// last build's page numbers: how long after the build began.
        site_first: Option<Duration>,
    },
    /// The book has errors: nothing was written.
    Errors(Report),
}

/// Rebuilds a book's editions when its files change.
pub struct Watcher {
    root: PathBuf,
    out: PathBuf,
    which: Option<Editions>,
    drafts: bool,
    screen: bool,
    /// One session per language, the book's first.
    sessions: Vec<Session>,
    seen: Option<u64>,
}

impl Watcher {
    /// A watcher of the book at `root` that makes the `which` editions in
    /// `out` (`None`: the book's default set, see [`Editions::default_for`]).
    pub fn new(root: &Path, out: &Path, which: Option<Editions>, drafts: bool) -> Self {
        Watcher {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            which,
            drafts,
            screen: false,
            sessions: vec![Session::new(root).early_site()],
            seen: None,
        }
    }

    /// This watcher, making the screen PDF even when the book has a
    /// `[print]` table (`--screen`), when `screen`.
    pub fn screen(mut self, screen: bool) -> Self {
        self.screen = screen;
        self
    }

    /// The session behind the builds of the book in its own language.
    pub fn session(&self) -> &Session {
        &self.sessions[0]
    }

    /// Whether the book's files changed since the last build.
    pub fn changed(&self) -> bool {
        self.seen != Some(fingerprint(&self.root))
    }

    /// Loads, checks and builds now.
    pub fn build(&mut self) -> Result<Rebuild, LoadError> {
        let started = Instant::now();
        // Taken before reading: an edit made during the build triggers another.
        self.seen = Some(fingerprint(&self.root));
        let (books, report) = self.load()?;
        let Some((book, _)) = books.first() else { return Ok(Rebuild::Errors(report)) };
        let essays = book.essays().count();
        let loaded = started.elapsed();
        while self.sessions.len() < books.len() {
            self.sessions.push(Session::new(&self.root).early_site());
        }
        let mut outcomes =
            books.iter().zip(&self.sessions).map(|((book, which), session)| session.editions(book, &self.out, *which));
        let mut outcome = outcomes.next().expect("the book's own language");
        // Another language's edition that failed is the build's failure.
        for other in outcomes {
            for (edition, made) in other.editions {
                if made.is_err() || !outcome.editions.contains_key(&edition) {
                    outcome.editions.insert(edition, made);
                }
            }
        }
        outcome.time = started.elapsed() - loaded;
        Ok(Rebuild::Built {
            site_first: outcome.site_first.map(|t| loaded + t),
            outcome: Box::new(outcome),
            report,
            essays,
            time: started.elapsed(),
        })
    }

    /// The book in each of its languages, its own first, ready for the
    /// editions, with the editions to make; none (with the report) when it
    /// has errors.
    fn load(&self) -> Result<(Vec<(Book, Editions)>, Report), LoadError> {
        let (books, report) = crate::pipeline::prepare_editions(&self.root, self.drafts)?;
        let books = books
            .into_iter()
            .map(|mut book| {
                if self.screen {
                    book.config.print = None;
                }
                crate::desk::apply_consents(&mut book);
                let which = self.which.unwrap_or_else(|| Editions::default_for(&book.config));
                (book, which)
            })
            .collect();
        Ok((books, report))
    }

    /// Lays out the PDF's pieces when the first build took the PDF from the
    /// disk cache (see [`Session::warm`]): the first edit then typesets one
    /// essay, about 0.3 s on a 112-essay book instead of 0.9 s.
    pub fn warm(&self) {
        // Loading the book again (as `check` does, 0.04 s for 112 essays) is
        // not worth it when there is nothing to warm.
        if self.sessions[0].keeps_layouts() {
            return;
        }
        if let Ok((books, _)) = self.load()
            && let Some((book, which)) = books.first()
            && which.contains(crate::editions::Edition::Pdf)
        {
            self.sessions[0].warm(book);
        }
    }

    /// Builds now, then again after every change, looking every `poll`, until
    /// `stop` is set. `on` hears of every build.
    pub fn run(&mut self, poll: Duration, stop: &AtomicBool, mut on: impl FnMut(Result<Rebuild, LoadError>)) {
        on(self.build());
        self.warm();
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(poll);
            if self.changed() {
                on(self.build());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_see_edits_additions_and_removals() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("contributions")).unwrap();
        std::fs::write(root.join("book.toml"), "x").unwrap();
        let a = fingerprint(root);
        std::fs::write(root.join("contributions/one.md"), "1").unwrap();
        let b = fingerprint(root);
        assert_ne!(a, b);
        std::fs::write(root.join("contributions/one.md"), "12").unwrap();
        let c = fingerprint(root);
        assert_ne!(b, c);
        // Files the build never reads do not count.
        std::fs::write(root.join("contributions/.one.md.swp"), "x").unwrap();
        std::fs::create_dir_all(root.join("dist")).unwrap();
        std::fs::write(root.join("dist/out.pdf"), "x").unwrap();
        assert_eq!(fingerprint(root), c);
        std::fs::remove_file(root.join("contributions/one.md")).unwrap();
        assert_eq!(fingerprint(root), a);
    }
}
