//! `anthology build`: check, order, make the editions, and with `--release`
//! the checksums and the manifest beside them.

use std::process::ExitCode;

use anthology::build::Session;
use anthology::diagnostic::Format;
use anthology::editions::{Edition, Editions};
use anyhow::Result;

use super::Target;
use super::ui::{Stage, Ui, has_errors, plural, print_outcome, print_report};

/// A version tag as it may appear in a file name: letters, digits, `.`, `_`, `-`.
pub fn version_tag(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && !s.starts_with(['.', '-'])
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok { Ok(s.to_string()) } else { Err("letters, digits, '.', '_' and '-' only, such as v1.2.0".into()) }
}

/// `anthology build`.
pub fn run(
    ui: &Ui,
    target: &Target,
    release: bool,
    version_tag: Option<String>,
    timings: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let checking = ui.stage("checking the book");
    let (mut books, mut report) = anthology::prepare_editions(&target.dir, target.drafts)?;
    // A release waits for every author's (and translator's) approval when
    // the book has a desk.
    if release {
        // desk.toml is read for each language: a fault in it is told once.
        let waiting: Vec<_> = books
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                anthology::desk::release_gate(b)
                    .into_iter()
                    .filter(move |d| i == 0 || d.code != anthology::diagnostic::Code::DeskInvalid)
            })
            .collect();
        if !waiting.is_empty() {
            report.extend(waiting);
            books.clear();
        }
    }
    checking.done(ui, "");
    print_report(&report, Format::Human)?;
    if books.is_empty() {
        eprintln!("{}; nothing was built", has_errors(&report));
        return Ok(ExitCode::from(1));
    }
    for book in &mut books {
        let left = anthology::desk::apply_consents(book);
        if book.config.translation_of.is_none() {
            for left in left {
                ui.say(&format!("{left} is left out: they did not consent to print it (desk.toml)"));
            }
        }
        if target.screen {
            book.config.print = None;
        }
        if release {
            book.config.release.version = version_tag.clone();
            if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
                book.config.release.epoch = anthology::input::git::last_commit_time(&book.root);
            }
        }
    }
    // What the editions leave out is counted here, so the summary says it
    // even when the warnings above have scrolled away.
    let left_out = report.diagnostics.iter().filter(|d| d.code == anthology::diagnostic::Code::HtmlLeftOut).count();
    let warnings = match (report.warnings(), left_out) {
        (0, _) => String::new(),
        (n, 0) => format!("; {n} warning{}", plural(n)),
        (n, l) => format!("; {n} warning{}, {l} of them HTML left out of every edition", plural(n)),
    };
    let book = &books[0];
    let languages = match book.config.languages.len() {
        1 => String::new(),
        _ => format!(", in {}", book.config.languages.join(", ")),
    };
    ui.say(&format!(
        "{}: {} essays by {} contributors, validated and ordered{languages}{warnings}",
        book.config.title,
        book.essays().count(),
        book.contributors.len()
    ));
    let which = match target.chosen() {
        Some(asked) if !release => asked,
        _ => Editions::default_for(&book.config),
    };
    // Relative to where the command runs, as any file named on the command line.
    let timings = timings.map(super::timings::start);
    let out = target.dir.join(&target.out);
    let mut outcomes = Vec::new();
    let mut failed = false;
    let last = books.len() - 1;
    for (i, book) in books.iter().enumerate() {
        if last > 0 {
            ui.say(&format!("{} ({}):", book.config.title, book.config.language));
        }
        let stages: Vec<(Edition, Stage)> = which.iter().map(|e| (e, ui.stage(e.stage()))).collect();
        let session = Session::new(&book.root).one_build();
        let outcome = session.editions_with(book, &out, which, &|edition, _| {
            if let Some((_, stage)) = stages.iter().find(|(e, _)| *e == edition) {
                stage.done(ui, "");
            }
        });
        failed |= print_outcome(ui, &book.root, &outcome)?;
        outcomes.push(outcome);
        // The process ends after the last: its session's layouts and images
        // are left for the system to reclaim at exit, not freed one by one
        // (tens of milliseconds on a book of a hundred essays). The others'
        // are freed before the next language is typeset.
        if i == last {
            std::mem::forget(session);
        }
    }
    if let Some(t) = timings {
        ui.say(&t.finish()?.to_string());
    }
    if release && !failed {
        let made: Vec<_> = books.iter().zip(&outcomes).collect();
        let manifest = anthology::release::write_all(&made, &out)?;
        for a in &manifest.editions {
            ui.say(&format!("{}  {}", a.sha256, a.file));
        }
        ui.say(&format!(
            "release{} written: {}, {} in {}",
            manifest.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default(),
            anthology::release::SUMS_FILE,
            anthology::release::MANIFEST_FILE,
            out.display()
        ));
    }
    std::mem::forget(outcomes);
    std::mem::forget(books);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
