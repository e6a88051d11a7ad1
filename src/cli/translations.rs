//! `anthology translations`: where each of the book's other languages
//! stands, and `translations done FILE…` (see [`anthology::desk::translations`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anthology::desk::translations;
use anyhow::Result;

use super::OutputFormat;

/// What `anthology translations` does besides listing.
#[derive(clap::Subcommand, Debug)]
pub enum TranslationsCommand {
    /// Record in each translation that it translates its original as it is now (its
    /// `original_sha256`), once the translator is done: `check` then warns when the original
    /// changes.
    Done {
        /// The translations, such as contributions/essay.en.md.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

/// `anthology translations [DIR]`: per language, what is done, behind, not marked and missing.
pub fn list(dir: &Path, format: OutputFormat) -> Result<ExitCode> {
    let checked = anthology::check(dir)?;
    let languages = translations::report(&checked.loaded);
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let value = serde_json::json!({ "languages": languages });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        OutputFormat::Human | OutputFormat::Github => {
            if languages.is_empty() {
                writeln!(out, "the book is published in one language: list the others in `[book] languages`")?;
            }
            for l in &languages {
                writeln!(
                    out,
                    "{}: {} done, {} behind, {} not marked done, {} missing",
                    l.language,
                    l.done.len(),
                    l.behind.len(),
                    l.unmarked.len(),
                    l.missing.len()
                )?;
                for (what, files) in [("behind", &l.behind), ("not marked done", &l.unmarked), ("missing", &l.missing)]
                {
                    for f in files {
                        writeln!(out, "  {what:16} {f}")?;
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `anthology translations done FILE…`.
pub fn run(what: TranslationsCommand) -> Result<ExitCode> {
    let TranslationsCommand::Done { files, dir } = what;
    let checked = anthology::check(&dir)?;
    let mut failed = false;
    for file in &files {
        // A path as the shell completes it, from where the command runs, or from the book.
        let named = std::path::absolute(file).ok().filter(|p| p.exists()).unwrap_or_else(|| dir.join(file));
        let named = named.canonicalize().unwrap_or(named);
        match translations::mark_done(&checked.loaded, &named) {
            Ok(original) => eprintln!("{}: done, as a translation of {}", file.display(), original.display()),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
