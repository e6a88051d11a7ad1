//! What the commands print: diagnostics, progress while a build runs, and
//! the summary of what it made. Progress is drawn as bars on a terminal and
//! told in plain lines in CI, in a pipe or in a log.
//!
//! Standard output carries only data: what `export`, `list`, `stats` and
//! `fonts` print, and diagnostics in a format for tools (`--format json`,
//! GitHub's workflow commands, which GitHub reads there). Diagnostics for
//! people, progress and summaries go to standard error, so that
//! `anthology export crossref > deposit.xml` is XML whatever the book's
//! warnings.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anthology::build::Outcome;
use anthology::diagnostic::{Format, Report};
use anthology::editions::Edition;
use anyhow::Result;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

/// Standard error, coloured when it is a terminal and `NO_COLOR` is unset.
fn stderr_stream() -> StandardStream {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    StandardStream::stderr(if colour { ColorChoice::Auto } else { ColorChoice::Never })
}

/// Prints `report` in `format`: for people on standard error, for tools
/// (JSON, GitHub's workflow commands) on standard output.
pub fn print_report(report: &Report, format: Format) -> Result<()> {
    let out = match format {
        Format::Human => stderr_stream(),
        Format::Json | Format::Github => StandardStream::stdout(ColorChoice::Never),
    };
    let mut lock = out.lock();
    report.write(&mut lock, format)?;
    lock.flush()?;
    Ok(())
}

/// Prints what `check` found in `format`: what every edition corrects by
/// itself told once per text (or for the book) unless `verbose` or JSON.
/// Returns the summary line ("12 essays checked: …"), which counts every
/// place.
pub fn print_checked(report: &Report, format: Format, verbose: bool, essays: usize) -> Result<String> {
    let (told, summarized) = if verbose || format == Format::Json { (report.clone(), 0) } else { report.summarized() };
    print_report(&told, format)?;
    let mut line = summary(report, essays);
    if summarized > 0 {
        line.push_str(&format!(" ({summarized} of them typography every edition corrects: `--verbose` lists each)"));
    }
    Ok(line)
}

/// Writes a line for people on standard error; a closed stream is no failure.
pub fn tell(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// "12 essays checked: 0 errors, 1 warning".
pub fn summary(report: &Report, essays: usize) -> String {
    format!(
        "{essays} essay{} checked: {} error{}, {} warning{}",
        plural(essays),
        report.errors(),
        plural(report.errors()),
        report.warnings(),
        plural(report.warnings())
    )
}

/// "the book has errors: 2 errors, 0 warnings", for commands that stop there.
pub fn has_errors(report: &Report) -> String {
    summary(report, 0).replacen("0 essays checked", "the book has errors", 1)
}

/// `s` for plurals.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How much to print, and whether progress is drawn as bars (on a terminal)
/// or told in plain lines (in CI, in a pipe, in a log).
pub struct Ui {
    quiet: bool,
    verbose: bool,
    bars: Option<indicatif::MultiProgress>,
}

/// One stage of a build being shown.
pub struct Stage {
    what: &'static str,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Ui {
    /// What `--quiet` and `--verbose` ask for, on this terminal or not.
    pub fn new(quiet: bool, verbose: bool) -> Self {
        let terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bars = (terminal && !quiet).then(indicatif::MultiProgress::new);
        Ui { quiet, verbose, bars }
    }

    /// Whether `--verbose` was given.
    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// A line for people (none with --quiet), on standard error, above any bar.
    pub fn say(&self, line: &str) {
        if self.quiet {
            return;
        }
        let say = || tell(line);
        match &self.bars {
            Some(bars) => bars.suspend(say),
            None => say(),
        }
    }

    /// Starts showing a stage.
    pub fn stage(&self, what: &'static str) -> Stage {
        let bar = self.bars.as_ref().map(|bars| {
            let bar = bars.add(indicatif::ProgressBar::new_spinner());
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.set_message(what);
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        });
        Stage { what, started: std::time::Instant::now(), bar }
    }
}

impl Stage {
    /// Ends the stage: the bar goes; in plain output (with --verbose), a line says it.
    pub fn done(&self, ui: &Ui, detail: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if ui.verbose {
            let sep = if detail.is_empty() { "" } else { ": " };
            ui.say(&format!(
                "done {}{sep}{detail}, {:.2} s after the start",
                self.what,
                self.started.elapsed().as_secs_f64()
            ));
        }
    }
}

/// KiB or MiB, whichever reads better.
fn size(bytes: usize) -> String {
    if bytes >= 10 * 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// What is said when typst could not typeset `edition`.
fn failed(edition: Edition) -> String {
    match edition {
        Edition::Pdf => "the PDF could not be typeset; the previous one, if any, stays".into(),
        Edition::Cards => "the share cards could not be typeset; the previous ones, if any, stay".into(),
        other => format!("the {} could not be typeset; the previous ones, if any, stay", other.name()),
    }
}

/// Prints what a build made: warnings, errors, then a summary line per
/// edition (what, where, how big, how long). Returns whether an edition failed.
pub fn print_outcome(ui: &Ui, root: &Path, outcome: &Outcome) -> Result<bool> {
    let mut failed_any = false;
    for (edition, result) in &outcome.editions {
        let name = edition.name();
        match result {
            Ok(made) => {
                if !made.warnings.is_empty() {
                    print_report(&Report::new(made.warnings.clone(), Default::default()), Format::Human)?;
                }
                ui.say(&format!(
                    "{name:<5} {}  {}, {}, {:.2} s",
                    made.path.display(),
                    made.detail,
                    size(made.bytes),
                    made.time.as_secs_f64()
                ));
            }
            Err(e) => {
                match e.typeset_report(root) {
                    Some(report) => {
                        print_report(&report, Format::Human)?;
                        eprintln!("{}", failed(*edition));
                    }
                    None => eprintln!("error: {name}: {e}; the previous edition, if any, stays"),
                }
                failed_any = true;
            }
        }
    }
    ui.say(&format!("built in {:.2} s", outcome.time.as_secs_f64()));
    if ui.verbose {
        let c = outcome.cache;
        ui.say(&format!(
            "cache ({}): {} reused, {} made, {} damaged and made again",
            anthology::cache::CACHE_DIR,
            c.hits,
            c.misses,
            c.corrupt
        ));
    }
    Ok(failed_any)
}
