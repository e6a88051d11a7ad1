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
    let (mut book, mut report) = anthology::prepare(&target.dir, target.drafts)?;
    // A release waits for every author's approval when the book has a desk.
    if release && let Some(b) = &book {
        let waiting = anthology::desk::release_gate(b);
        if !waiting.is_empty() {
            report.extend(waiting);
            book = None;
        }
    }
    checking.done(ui, "");
    print_report(&report, Format::Human)?;
    let Some(mut book) = book else {
        eprintln!("{}; nothing was built", has_errors(&report));
        return Ok(ExitCode::from(1));
    };
    for left in anthology::desk::apply_consents(&mut book) {
        ui.say(&format!("{left} is left out: they did not consent to print it (desk.toml)"));
    }
    if target.screen {
        book.config.print = None;
    }
    if release {
        book.config.release.version = version_tag;
        if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
            book.config.release.epoch = anthology::input::git::last_commit_time(&book.root);
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
    ui.say(&format!(
        "{}: {} essays by {} contributors, validated and ordered{warnings}",
        book.config.title,
        book.essays().count(),
        book.contributors.len()
    ));
    let which = match target.chosen() {
        Some(asked) if !release => asked,
        _ => Editions::default_for(&book.config),
    };
    let stages: Vec<(Edition, Stage)> = which.iter().map(|e| (e, ui.stage(e.stage()))).collect();
    // Relative to where the command runs, as any file named on the command line.
    let timings = timings.map(super::timings::start);
    let session = Session::new(&book.root).one_build();
    let out = target.dir.join(&target.out);
    let outcome = session.editions_with(&book, &out, which, &|edition, _| {
        if let Some((_, stage)) = stages.iter().find(|(e, _)| *e == edition) {
            stage.done(ui, "");
        }
    });
    if let Some(t) = timings {
        ui.say(&t.finish()?.to_string());
    }
    let failed = print_outcome(ui, &book.root, &outcome)?;
    if release && !failed {
        let manifest = anthology::release::write(&book, &out, &outcome)?;
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
    // The process ends here: the session's layouts and images are left for
    // the system to reclaim at exit, not freed one by one (tens of
    // milliseconds on a book of a hundred essays).
    std::mem::forget(session);
    std::mem::forget(outcome);
    std::mem::forget(book);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
