//! The command line: what each command takes, and which library call it makes.
//!
//! One file per command; [`ui`] prints diagnostics, progress and summaries.
//! No rule of the book lives here: every command is a thin layer over the
//! library's pipeline.

mod build;
mod check;
mod clean;
mod desk;
mod export;
mod fonts;
mod import;
mod init;
mod list;
mod serve;
mod stats;
mod timings;
mod translations;
pub mod ui;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use anthology::editions::Edition;
use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};

/// Turns a multi-author anthology into finished books: a print-ready PDF, an
/// EPUB and a website, with a contributor index.
///
/// Run it at the root of a book (a folder with book.toml and contributions/).
#[derive(Parser, Debug)]
#[command(name = "anthology", version, about, long_about, max_term_width = 100)]
pub struct Cli {
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
        /// The contribution's name: its file or folder name (letters of any script, digits, hyphens,
        /// underscores); its URL is the name's ASCII form.
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
        #[arg(long, requires = "release", value_parser = build::version_tag)]
        version_tag: Option<String>,
        /// Write typst's timings of the build to FILE, a trace that Perfetto or Chromium's
        /// about:tracing opens, and say how many layout passes each document typst laid out took.
        #[arg(long, value_name = "FILE")]
        timings: Option<PathBuf>,
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
    /// Show, for each script the book's texts use, the font the PDF sets it in, and every family available.
    Fonts {
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write the book's metadata for others: a Crossref deposit, or every essay as a bibliographic
    /// record (BibTeX, RIS, CSL-JSON), with its pages in the PDF.
    ///
    /// Typesets the PDF (or takes it from the build cache) for the pages. Refuses when `check`
    /// finds errors, or when the deposit lacks what Crossref requires (the message names it).
    Export {
        /// What to write.
        #[arg(value_enum)]
        what: ExportFormat,
        /// The book's folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Write to this file instead of the standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The records of the book's edition in another of its languages (`[book] languages`),
        /// with its translators, its own DOI and its pages.
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
    },
    /// Turn contributions written elsewhere into this book's format, and say what could not be
    /// carried over. A dry run unless --write; never replaces a contribution unless --force.
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// The editor's desk: one line per contributor (invited or in the book) with their essay,
    /// words, state, deadline and what is missing; or, with a command, invite, record answers
    /// and approvals. The desk is kept in desk.toml at the book's root.
    #[command(args_conflicts_with_subcommands = true)]
    Desk {
        #[command(subcommand)]
        what: Option<desk::DeskCommand>,
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How to print the desk: human (a line each) or json
        /// ({"contributors": [{"name", "email", "essays", "state", "due", "missing", …}]}).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Where each of the book's other languages (`[book] languages`) stands: per language, the
    /// translations done, behind their original (it changed since), not marked done, and the
    /// texts not translated; or, with `done`, record that translations are done.
    #[command(args_conflicts_with_subcommands = true)]
    Translations {
        #[command(subcommand)]
        what: Option<translations::TranslationsCommand>,
        /// The book's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How to print it: human or json ({"languages": [{"language", "done", "behind",
        /// "unmarked", "missing"}]}, files relative to the book).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
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
    #[arg(long, value_delimiter = ',', value_parser = edition_parser())]
    format: Option<Vec<Edition>>,
    /// The output folder, relative to the book's folder unless absolute.
    #[arg(long, default_value = "dist")]
    out: PathBuf,
    /// Include essays marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Make the screen PDF (A5 by default, with its cover page) even when book.toml has a
    /// [print] table; no print cover then.
    #[arg(long)]
    screen: bool,
}

impl Target {
    /// The editions named with `--format`, or `None` for the book's default set.
    fn chosen(&self) -> Option<anthology::editions::Editions> {
        self.format.as_ref().map(|list| list.iter().copied().collect())
    }
}

/// `--format`'s values: the id of every [`Edition`], listed in `--help`.
fn edition_parser() -> impl clap::builder::TypedValueParser<Value = Edition> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Edition::ALL.map(Edition::id))
        .map(|id| Edition::from_id(&id).expect("one of the possible values"))
}

/// What `anthology import` reads.
#[derive(Subcommand, Debug)]
enum ImportKind {
    /// Markdown files with YAML or TOML front matter (Jekyll, Hugo, Quarto, pandoc), or folders
    /// of them: each becomes a contribution; the files they link are copied beside them.
    Markdown {
        /// Files, or folders searched through.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        with: ImportArgs,
    },
    /// Word documents (.docx, as Word, LibreOffice and Google Docs write them): each becomes a
    /// contribution, its images extracted beside it; what Markdown cannot hold (tracked changes,
    /// comments, text boxes, equations, fields, merged cells) is reported.
    Docx {
        /// The documents.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The contribution's name (one document only; else from its title).
        #[arg(long)]
        slug: Option<String>,
        #[command(flatten)]
        with: ImportArgs,
    },
    /// A book written with mdBook: SUMMARY.md gives the order and the sections, its chapters
    /// become essays (prefix and suffix chapters the front and back texts), its book.toml's title,
    /// authors and language the book's. Writes the book's book.toml.
    Mdbook {
        /// The mdBook's folder (where its book.toml is).
        source: PathBuf,
        #[command(flatten)]
        with: ImportArgs,
    },
    /// A Quarto book: _quarto.yml gives the order (chapters, parts, appendices), the first
    /// chapter becomes the preface, each part a section (a part's own file its introduction),
    /// the appendices the back texts; the book's title, authors (the editors, and the authors of
    /// chapters that name none), language and bibliography the book's. Code chunks are kept as
    /// code, never run. Writes the book's book.toml.
    Quarto {
        /// The Quarto book's folder (where its _quarto.yml is).
        source: PathBuf,
        #[command(flatten)]
        with: ImportArgs,
    },
    /// A book written with R's bookdown: _bookdown.yml's rmd_files (else the .Rmd files by name,
    /// index.Rmd first) give the order; index.Rmd becomes the preface and gives the book's
    /// title, authors and bibliography; `# (PART)` headings start sections, `# (APPENDIX)` the
    /// back texts. Code chunks are kept as code, never run; the figures and tables they make keep
    /// their numbers and references. Writes the book's book.toml.
    Bookdown {
        /// The bookdown book's folder (where its index.Rmd and _bookdown.yml are).
        source: PathBuf,
        #[command(flatten)]
        with: ImportArgs,
    },
    /// A Jupyter Book (_toc.yml and _config.yml) or a mystmd project (myst.yml): the table of
    /// contents gives the order, its first file becomes the preface, each part a section; MyST
    /// directives and roles (admonitions, figures, code cells, math, citations, references)
    /// become the book's Markdown, notebooks (.ipynb) their cells. Code is kept as code, never
    /// run. Writes the book's book.toml.
    Jupyterbook {
        /// The book's folder (where its _toc.yml or myst.yml is).
        source: PathBuf,
        #[command(flatten)]
        with: ImportArgs,
    },
    /// A contributor roster (CSV, TSV or XLSX; one row per contributor: name, bio,
    /// affiliation, handle, url, orcid, email, photo): each row's details written into the
    /// `[[authors]]` of every contribution its person signed, matched by name as the book's
    /// language compares names (accents and case folded).
    Roster {
        /// The roster.
        file: PathBuf,
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Write the contributions (without it, only say what would change).
        #[arg(long)]
        write: bool,
        /// How to print the diagnostics.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
}

/// What every importer of texts takes.
#[derive(clap::Args, Debug)]
struct ImportArgs {
    /// The book to import into.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Write the contributions (without it, only say what would be written).
    #[arg(long)]
    write: bool,
    /// Replace files that exist already.
    #[arg(long)]
    force: bool,
    /// Read a front matter key as one of this format's fields: `--map abstract_text=summary`.
    #[arg(long = "map", value_name = "KEY=FIELD", value_parser = import::key_field)]
    maps: Vec<(String, String)>,
    /// Put every imported essay in this section.
    #[arg(long)]
    section: Option<String>,
    /// The author of a text that names none (repeat for several).
    #[arg(long = "author", value_name = "NAME")]
    authors: Vec<String>,
    /// Where the collection is published: a link to one of its files that is not imported
    /// leads there (`https://eips.ethereum.org`).
    #[arg(long)]
    base_url: Option<String>,
    /// The collection's folder: nothing outside it is read (default: the folder above the
    /// folders imported).
    #[arg(long)]
    root: Option<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
}

/// What `anthology export` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportFormat {
    /// A Crossref deposit (schema 5.3.1): the book and every essay as a chapter.
    Crossref,
    /// Every essay as a BibTeX `@incollection`.
    Bibtex,
    /// Every essay as a RIS `CHAP` record.
    Ris,
    /// Every essay as a CSL-JSON item.
    #[value(name = "csl-json")]
    CslJson,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Github,
}

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let ui = ui::Ui::new(cli.quiet, cli.verbose);
    match cli.command {
        Command::Init { dir, title, language } => init::init(&ui, &dir, &title, &language),
        Command::New { slug, title, folder, dir } => init::new(&ui, &dir, &slug, title.as_deref(), folder),
        Command::Check { dir, format, deny_warnings, changed } => {
            check::run(&dir, format, deny_warnings, changed.as_deref(), ui.verbose())
        }
        Command::Build { target, release, version_tag, timings } => {
            build::run(&ui, &target, release, version_tag, timings.as_deref())
        }
        Command::Watch { target } => watch::run(&ui, &target),
        Command::List { dir, drafts } => list::run(&dir, drafts),
        Command::Serve { target, port } => serve::run(&target, port),
        Command::Stats { dir, out, drafts } => stats::run(&dir, &out, drafts),
        Command::Fonts { dir } => fonts::run(&dir),
        Command::Clean { dir, out } => clean::run(&dir, &out),
        Command::Import { what } => import::run(&ui, what),
        Command::Desk { what: Some(what), .. } => desk::run(&ui, what),
        Command::Desk { what: None, dir, format } => desk::list(&dir, format),
        Command::Translations { what: Some(what), .. } => translations::run(what),
        Command::Translations { what: None, dir, format } => translations::list(&dir, format),
        Command::Export { what, dir, output, language } => {
            export::run(&ui, what, &dir, output.as_deref(), language.as_deref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edition_can_be_asked_for() {
        for e in Edition::ALL {
            let cli = Cli::try_parse_from(["anthology", "build", "--format", e.id()]).unwrap();
            let Command::Build { target, .. } = cli.command else { panic!("a build") };
            assert_eq!(target.format, Some(vec![e]));
        }
        assert!(Cli::try_parse_from(["anthology", "build", "--format", "docx"]).is_err());
    }
}
