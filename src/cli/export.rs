//! `anthology export`: the book's metadata for indexers and registration
//! agencies, with each essay's pages from the PDF.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anthology::build::Session;
use anthology::diagnostic::Format;
use anthology::editions::metadata;
use anyhow::{Context, Result};

use super::ExportFormat;
use super::ui::{Ui, has_errors, print_report};

/// `anthology export`.
pub fn run(ui: &Ui, what: ExportFormat, dir: &Path, output: Option<&Path>, language: Option<&str>) -> Result<ExitCode> {
    let (books, report) = anthology::prepare_editions(dir, false)?;
    print_report(&report, Format::Human)?;
    let Some(first) = books.first() else {
        eprintln!("{}; nothing was exported", has_errors(&report));
        return Ok(ExitCode::from(1));
    };
    let languages = first.config.languages.clone();
    let wanted = language.map(|l| anthology::lang::normalised(l).unwrap_or_else(|| l.to_string()));
    let Some(book) = books.into_iter().find(|b| wanted.as_ref().is_none_or(|l| *l == b.config.language)) else {
        eprintln!(
            "error: the book is not published in `{}`; its languages: {}",
            language.unwrap_or_default(),
            languages.join(", ")
        );
        return Ok(ExitCode::from(1));
    };
    let typesetting = ui.stage("typesetting the PDF for the essays' pages");
    let pages = match Session::new(&book.root).essay_pages(&book) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: the PDF could not be typeset, so the essays' pages are unknown: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    typesetting.done(ui, "");
    let essays: Vec<_> = book.essays().collect();
    let text = match what {
        ExportFormat::Crossref => match metadata::crossref(&book, &pages) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::from(1));
            }
        },
        ExportFormat::Bibtex => metadata::bibtex(&book, &essays, &pages),
        ExportFormat::Ris => metadata::ris(&book, &essays, &pages),
        ExportFormat::CslJson => metadata::csl_json(&book, &essays, &pages),
    };
    match output {
        Some(path) => {
            let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
            anthology::files::write_atomically(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            ui.say(&format!("{} written", path.display()));
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
