//! The `anthology` command: argument parsing and printing around the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use anthology::diagnostic::{Format, Report};
use anthology::{book::Book, build, check, prepare, scaffold, watch};

/// Turns a multi-author anthology into finished books: a print-ready PDF, an
/// EPUB and a website, with a contributor index.
///
/// Run it at the root of a book (a folder with book.toml and contributions/).
#[derive(Parser, Debug)]
#[command(name = "anthology", version, about, long_about, max_term_width = 100)]
struct Cli {
    /// Print only diagnostics: no progress, no summary.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: each stage as it ends, and what the build cache did.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start a new book: book.toml, an example contribution and a .gitignore.
    Init {
        /// The folder of the new book (created if needed).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The book's title.
        #[arg(long, default_value = "A New Anthology")]
        title: String,
        /// The book's language, a BCP 47 tag such as `fr` or `en-GB`.
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Add the skeleton of a contribution: contributions/<SLUG>.md.
    New {
        /// The contribution's slug: its file name and URL (lowercase letters, digits, hyphens).
        slug: String,
        /// Its title (defaults to the slug with spaces).
        #[arg(long)]
        title: Option<String>,
        /// Make a folder, contributions/<SLUG>/index.md, to put images beside the text.
        #[arg(long)]
        folder: bool,
        /// The book's folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Check the book and every contribution; report every problem with its file, line and column.
    ///
    /// Exits with 0 when there is no error (warnings allowed unless --deny-warnings),
    /// 1 when there are errors, 2 for a usage error.
    Check {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How to print the diagnostics: for people, as JSON lines, or as GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Report only what a branch is responsible for since this git ref (`origin/main`):
        /// the contributions it added or changed, and every book-wide problem.
        #[arg(long, value_name = "GIT_REF")]
        changed: Option<String>,
    },
    /// Check the book, then make its editions in the output folder.
    ///
    /// Refuses to build when `check` finds errors. Editions are named after the book's
    /// slug: <out>/<slug>.pdf, <out>/<slug>.epub and <out>/html/index.html.
    Build {
        #[command(flatten)]
        target: Target,
        /// A release: all three editions, the site zipped, SHA256SUMS and manifest.json beside them,
        /// dated by the book's last git commit unless SOURCE_DATE_EPOCH is set.
        #[arg(long)]
        release: bool,
        /// The release's version (`v1.2.0`): in the editions' file names and metadata.
        #[arg(long, requires = "release", value_parser = version_tag)]
        version_tag: Option<String>,
    },
    /// Build, then rebuild the editions after every change to the book, until interrupted.
    ///
    /// Keeps the book's images, fonts and typst's layout in memory: after an edit to one essay,
    /// only what it changed is made and written again. When the book has errors, they are printed
    /// and the last good editions stay in place.
    Watch {
        #[command(flatten)]
        target: Target,
    },
    /// List the essays in book order: slug, title, authors and words.
    List {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Include essays marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve the website on 127.0.0.1, and rebuild (pages reload
    /// themselves) whenever a contribution, the book.toml or a template changes.
    Serve {
        #[command(flatten)]
        target: Target,
        /// The port (0 chooses a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Figures of the book: essays, contributors, words per essay, the PDF's pages when built,
    /// and the essays whose authors lack a photo or a bio.
    Stats {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where the editions were built, relative to the book's folder unless absolute.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Include essays marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// List the font families a book can use: typst's embedded fonts and the book's fonts/ folder.
    Fonts {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Remove the output folder and the build cache.
    Clean {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The output folder to remove, relative to the book's folder.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
    },
}

/// The book, the editions and where they go: what build, watch and serve share.
#[derive(clap::Args, Debug)]
struct Target {
    /// The book's folder.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Which editions to make, separated by commas.
    /// (default: pdf, epub and html, plus offprints and cards when book.toml enables them)
    #[arg(long, value_enum, value_delimiter = ',')]
    format: Option<Vec<Edition>>,
    /// The output folder, relative to the book's folder unless absolute.
    #[arg(long, default_value = "dist")]
    out: PathBuf,
    /// Include essays marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Edition {
    Pdf,
    Epub,
    Html,
    Offprints,
    Cards,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}

fn stdout_stream() -> StandardStream {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    StandardStream::stdout(if colour { ColorChoice::Auto } else { ColorChoice::Never })
}

fn print_report(report: &Report, format: Format) -> Result<()> {
    let out = stdout_stream();
    let mut lock = out.lock();
    report.write(&mut lock, format)?;
    lock.flush()?;
    Ok(())
}

fn summary(report: &Report, essays: usize) -> String {
    format!(
        "{essays} essay{} checked: {} error{}, {} warning{}",
        plural(essays),
        report.errors(),
        plural(report.errors()),
        report.warnings(),
        plural(report.warnings())
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Init { dir, title, language } => {
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            let files = scaffold::init(&dir, &title, &language)?;
            for f in files {
                println!("created {}", f.display());
            }
            println!("next: edit book.toml, add essays with `anthology new <slug>`, then `anthology check`");
            Ok(ExitCode::SUCCESS)
        }
        Command::New { slug, title, folder, dir } => {
            let path = scaffold::new_contribution(&dir, &slug, title.as_deref(), folder)?;
            println!("created {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { dir, format, deny_warnings, changed } => {
            let (mut checked, scope) = match &changed {
                Some(base) => {
                    let (checked, changes) = anthology::check_changed(&dir, base)?;
                    let n = changes.essays.len();
                    (checked, Some(format!(" ({n} changed since {base})")))
                }
                None => (check(&dir)?, None),
            };
            checked.report = checked.report.with_github_root(relative_to_cwd(&dir));
            let format = match format {
                OutputFormat::Human => Format::Human,
                OutputFormat::Json => Format::Json,
                OutputFormat::Github => Format::Github,
            };
            print_report(&checked.report, format)?;
            let mut line = summary(&checked.report, checked.loaded.essays.len());
            if let Some(scope) = scope {
                line = line.replacen(" checked:", &format!(" checked{scope}:"), 1);
            }
            match format {
                Format::Json => eprintln!("{line}"),
                Format::Github => println!("::notice title=anthology check::{line}"),
                Format::Human => println!("{line}"),
            }
            let failed = checked.report.errors() > 0 || (deny_warnings && checked.report.warnings() > 0);
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Build { target: Target { dir, format, out, drafts }, release, version_tag } => {
            let ui = Ui::new(cli.quiet, cli.verbose);
            let checking = ui.stage("checking the book");
            let (book, report) = prepare(&dir, drafts)?;
            checking.done(&ui, "");
            print_report(&report, Format::Human)?;
            let Some(mut book) = book else {
                eprintln!(
                    "{}; nothing was built",
                    summary(&report, 0).replacen("0 essays checked", "the book has errors", 1)
                );
                return Ok(ExitCode::from(1));
            };
            if release {
                book.config.release.version = version_tag;
                if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
                    book.config.release.epoch = anthology::git::last_commit_time(&book.root);
                }
            }
            ui.say(&format!(
                "{}: {} essays by {} contributors, validated and ordered",
                book.config.title,
                book.essays().count(),
                book.contributors.len()
            ));
            let which = if release {
                build::Editions::default_for(&book.config)
            } else {
                editions(format.as_deref(), &book.config)
            };
            let stages: Vec<(build::Edition, Stage)> = [
                (build::Edition::Pdf, which.pdf, "typesetting the PDF"),
                (build::Edition::Html, which.html, "making the website"),
                (build::Edition::Epub, which.epub, "packaging the EPUB"),
                (build::Edition::Offprints, which.offprints, "setting the offprints"),
                (build::Edition::Cards, which.cards, "drawing the share cards"),
            ]
            .into_iter()
            .filter(|(_, asked, _)| *asked)
            .map(|(e, _, what)| (e, ui.stage(what)))
            .collect();
            let session = build::Session::new(&book.root);
            let out = dir.join(out);
            let outcome = session.editions_with(&book, &out, which, &|edition, _| {
                if let Some((_, stage)) = stages.iter().find(|(e, _)| *e == edition) {
                    stage.done(&ui, "");
                }
            });
            let failed = print_outcome(&ui, &book.root, &outcome)?;
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
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Watch { target: Target { dir, format, out, drafts } } => {
            let ui = Ui::new(cli.quiet, cli.verbose);
            let mut watcher = watch::Watcher::new(&dir, &dir.join(out), format.as_deref().map(chosen), drafts);
            let stop = std::sync::atomic::AtomicBool::new(false);
            let mut first = true;
            watcher.run(std::time::Duration::from_millis(200), &stop, |built| {
                let shown = match built {
                    Ok(watch::Rebuild::Built { outcome, report, essays, time }) => print_report(&report, Format::Human)
                        .and_then(|()| print_outcome(&ui, &dir, &outcome).map(|_| ()))
                        .map(|()| {
                            ui.say(&format!(
                                "{essays} essay{} checked and built in {:.2} s",
                                if essays == 1 { "" } else { "s" },
                                time.as_secs_f64()
                            ))
                        }),
                    Ok(watch::Rebuild::Errors(report)) => print_report(&report, Format::Human).map(|()| {
                        eprintln!(
                            "{}; the last good editions stay",
                            summary(&report, 0).replacen("0 essays checked", "the book has errors", 1)
                        )
                    }),
                    Err(e) => {
                        eprintln!("error: {e}; the last good editions stay");
                        Ok(())
                    }
                };
                if let Err(e) = shown {
                    eprintln!("error: {e}");
                }
                if std::mem::take(&mut first) {
                    ui.say(&format!("watching {} for changes (Ctrl-C to stop)", dir.display()));
                }
            });
            Ok(ExitCode::SUCCESS)
        }
        Command::List { dir, drafts } => {
            let (book, report) = prepare(&dir, drafts)?;
            let Some(book) = book else {
                print_report(&report, Format::Human)?;
                bail!("the book has errors; run `anthology check` for details");
            };
            print_list(&book)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { target: Target { dir, format, out, drafts }, port } => {
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let which = format.as_deref().map(chosen);
            anthology::serve::serve(&dir, &dir.join(out), which, port, drafts, stop, |message, report| {
                if let Some(r) = report {
                    let _ = print_report(r, Format::Human);
                }
                println!("{message}");
                let _ = std::io::stdout().flush();
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { dir, out, drafts } => {
            let checked = check(&dir)?;
            let s = anthology::stats::of(&checked.loaded, drafts);
            let title = checked.loaded.config.as_ref().map_or("The book", |c| c.title.as_str());
            println!("{title}: {} essays, {} contributors, {} words", s.essays, s.contributors, s.words);
            if let Some((min, median, max)) = s.words_per_essay {
                println!("words per essay: {min} at least, {median} median, {max} at most");
            }
            // The PDF of the last release (its name may carry a version), else the plain one.
            let released = std::fs::read_to_string(dir.join(&out).join(anthology::release::MANIFEST_FILE))
                .ok()
                .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
                .and_then(|m| {
                    m["editions"].as_array()?.iter().find(|e| e["format"] == "pdf")?["file"].as_str().map(String::from)
                });
            let stem = checked.loaded.config.as_ref().map(|c| c.file_stem());
            let pdf = released.or(stem.map(|s| format!("{s}.pdf"))).map(|f| dir.join(&out).join(f));
            match pdf.as_ref().and_then(|p| anthology::stats::pdf_pages(p).map(|n| (p, n))) {
                Some((p, n)) => println!("PDF: {n} pages ({})", p.display()),
                None => println!("PDF: not built yet (`anthology build --format pdf`)"),
            }
            for (what, list) in [("a photo", &s.missing_photo), ("a bio", &s.missing_bio)] {
                if list.is_empty() {
                    println!("every author has {what}");
                } else {
                    println!("{} author{} without {what}:", list.len(), plural(list.len()));
                    for (slug, name) in list {
                        println!("  {slug}: {name}");
                    }
                }
            }
            if checked.report.errors() > 0 {
                println!(
                    "the book has {} error{}: `anthology check` lists them",
                    checked.report.errors(),
                    plural(checked.report.errors())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Fonts { dir } => {
            for family in anthology::pdf::families(&dir)? {
                println!("{family}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Clean { dir, out } => {
            clean(&dir, &out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A version tag as it may appear in a file name: letters, digits, `.`, `_`, `-`.
fn version_tag(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && !s.starts_with(['.', '-'])
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok { Ok(s.to_string()) } else { Err("letters, digits, '.', '_' and '-' only, such as v1.2.0".into()) }
}

/// The editions named on the command line.
fn chosen(format: &[Edition]) -> build::Editions {
    build::Editions {
        pdf: format.contains(&Edition::Pdf),
        epub: format.contains(&Edition::Epub),
        html: format.contains(&Edition::Html),
        offprints: format.contains(&Edition::Offprints),
        cards: format.contains(&Edition::Cards),
    }
}

/// The editions named on the command line, or the book's default set.
fn editions(format: Option<&[Edition]>, config: &anthology::config::BookConfig) -> build::Editions {
    format.map_or_else(|| build::Editions::default_for(config), chosen)
}

/// How much to print, and whether progress is drawn as bars (on a terminal)
/// or told in plain lines (in CI, in a pipe, in a log).
struct Ui {
    quiet: bool,
    verbose: bool,
    bars: Option<indicatif::MultiProgress>,
}

/// One stage of a build being shown.
struct Stage {
    what: &'static str,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Ui {
    fn new(quiet: bool, verbose: bool) -> Self {
        let terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bars = (terminal && !quiet).then(indicatif::MultiProgress::new);
        Ui { quiet, verbose, bars }
    }

    /// A line of the normal output (none with --quiet), printed above any bar.
    fn say(&self, line: &str) {
        if self.quiet {
            return;
        }
        match &self.bars {
            Some(bars) => bars.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    fn stage(&self, what: &'static str) -> Stage {
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
    fn done(&self, ui: &Ui, detail: &str) {
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

/// Prints what a build made: warnings, errors, then a summary line per
/// edition (what, where, how big, how long). Returns whether an edition failed.
fn print_outcome(ui: &Ui, root: &Path, outcome: &build::Outcome) -> Result<bool> {
    let mut failed = false;
    for (edition, result) in outcome.editions() {
        let name = edition.name();
        match result {
            None => {}
            Some(Ok(made)) => {
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
            Some(Err(build::EditionError::Typeset(_))) => {
                if let Some(report) = outcome.typeset_report(root) {
                    print_report(&report, Format::Human)?;
                }
                eprintln!("the PDF could not be typeset; the previous one, if any, stays");
                failed = true;
            }
            Some(Err(e)) => {
                eprintln!("error: {name}: {e}; the previous edition, if any, stays");
                failed = true;
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
    Ok(failed)
}

/// `dir` relative to the current folder, for paths GitHub resolves from the
/// repository's root (where workflows run); as given when that fails.
fn relative_to_cwd(dir: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) else { return dir.to_path_buf() };
    match dir.canonicalize() {
        Ok(abs) => abs.strip_prefix(&cwd).map_or(abs.clone(), Path::to_path_buf),
        Err(_) => dir.to_path_buf(),
    }
}

fn print_list(book: &Book) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let mut n = 0;
    for part in &book.parts {
        if let Some(s) = &part.section {
            writeln!(out, "\n{}", s.title)?;
        }
        for e in &part.essays {
            n += 1;
            let authors: Vec<&str> = e.authors.iter().map(|a| a.name.as_str()).collect();
            let draft = if e.draft { " (draft)" } else { "" };
            writeln!(out, "{n:>4}  {:<28} {}{draft} — {} ({} words)", e.slug, e.title, authors.join(", "), e.words)?;
        }
    }
    Ok(())
}

/// Removes `out` and the cache, refusing anything that is not inside the book
/// or that is the book itself.
fn clean(dir: &Path, out: &Path) -> Result<()> {
    let root = dir.canonicalize().with_context(|| format!("cannot open {}", dir.display()))?;
    if !root.join(anthology::config::BOOK_FILE).exists() {
        bail!("no book.toml in {}: refusing to delete anything", root.display());
    }
    for target in [root.join(out), root.join(".anthology-cache")] {
        let Ok(real) = target.canonicalize() else { continue };
        if real == root || !real.starts_with(&root) || real.join(anthology::config::BOOK_FILE).exists() {
            bail!("{} is not an output folder inside the book; refusing to delete it", target.display());
        }
        std::fs::remove_dir_all(&real).with_context(|| format!("cannot remove {}", real.display()))?;
        println!("removed {}", real.display());
    }
    Ok(())
}
