//! The `anthology` command: argument parsing and printing around the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use anthology::diagnostic::{Format, Report};
use anthology::{book::Book, check, prepare, scaffold};

/// Turns a multi-author anthology into finished books: a print-ready PDF, an
/// EPUB and a website, with a contributor index.
///
/// Run it at the root of a book (a folder with book.toml and contributions/).
#[derive(Parser, Debug)]
#[command(name = "anthology", version, about, long_about, max_term_width = 100)]
struct Cli {
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
    },
    /// Check the book, then make its editions in the output folder.
    ///
    /// Refuses to build when `check` finds errors. Editions are named after the book's
    /// slug: <out>/<slug>.pdf, <out>/<slug>.epub and <out>/html/index.html.
    Build {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Which editions to make, separated by commas (default: all).
        #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Edition::Pdf, Edition::Epub, Edition::Html])]
        format: Vec<Edition>,
        /// The output folder, relative to the book's folder unless absolute.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Include essays marked `draft = true`.
        #[arg(long)]
        drafts: bool,
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
    /// Build the website, serve it on 127.0.0.1, and rebuild it (pages reload
    /// themselves) whenever a contribution, the book.toml or a template changes.
    Serve {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port (0 chooses a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The output folder, relative to the book's folder unless absolute; the site goes in its html/.
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
        Command::Check { dir, format, deny_warnings } => {
            let mut checked = check(&dir)?;
            checked.report = checked.report.with_github_root(relative_to_cwd(&dir));
            let format = match format {
                OutputFormat::Human => Format::Human,
                OutputFormat::Json => Format::Json,
                OutputFormat::Github => Format::Github,
            };
            print_report(&checked.report, format)?;
            let line = summary(&checked.report, checked.loaded.essays.len());
            match format {
                Format::Json => eprintln!("{line}"),
                Format::Github => println!("::notice title=anthology check::{line}"),
                Format::Human => println!("{line}"),
            }
            let failed = checked.report.errors() > 0 || (deny_warnings && checked.report.warnings() > 0);
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Build { dir, format, out, drafts } => {
            let (book, report) = prepare(&dir, drafts)?;
            print_report(&report, Format::Human)?;
            let Some(book) = book else {
                eprintln!(
                    "{}; nothing was built",
                    summary(&report, 0).replacen("0 essays checked", "the book has errors", 1)
                );
                return Ok(ExitCode::from(1));
            };
            let essays = book.essays().count();
            println!(
                "{}: {essays} essays by {} contributors, validated and ordered",
                book.config.title,
                book.contributors.len()
            );
            let out = dir.join(out);
            let which = anthology::build::Editions {
                pdf: format.contains(&Edition::Pdf),
                epub: format.contains(&Edition::Epub),
                html: format.contains(&Edition::Html),
            };
            let outcome = anthology::build::editions(&book, &out, which);
            let mut failed = false;
            for (name, result) in [("PDF", outcome.pdf), ("EPUB", outcome.epub), ("HTML", outcome.html)] {
                match result {
                    None => {}
                    Some(Ok(made)) => {
                        if !made.warnings.is_empty() {
                            print_report(&Report::new(made.warnings, Default::default()), Format::Human)?;
                        }
                        println!(
                            "{name:<5} {}  {}, {} KiB, {:.2} s",
                            made.path.display(),
                            made.detail,
                            made.bytes / 1024,
                            made.time.as_secs_f64()
                        );
                    }
                    Some(Err(anthology::build::EditionError::Typeset(diags))) => {
                        let mut sources = std::collections::BTreeMap::new();
                        let template = book.root.join(anthology::pdf::TEMPLATE_FILE);
                        if let Ok(text) = std::fs::read_to_string(&template) {
                            sources.insert(PathBuf::from(anthology::pdf::TEMPLATE_FILE), text);
                        }
                        print_report(&Report::new(diags, sources), Format::Human)?;
                        eprintln!("the PDF could not be typeset; nothing was written");
                        failed = true;
                    }
                    Some(Err(e)) => {
                        eprintln!("error: {name}: {e}");
                        failed = true;
                    }
                }
            }
            println!("built in {:.2} s", outcome.time.as_secs_f64());
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
        Command::Serve { dir, port, out, drafts } => {
            let site = dir.join(out).join("html");
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            anthology::serve::serve(&dir, &site, port, drafts, stop, |message, report| {
                if let Some(r) = report {
                    let _ = print_report(r, Format::Human);
                }
                println!("{message}");
                let _ = std::io::stdout().flush();
            })?;
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
