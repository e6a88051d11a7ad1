//! `anthology import`: what would be written (or is, with `--write`), what
//! could not be carried over, then `check` on the book.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anthology::diagnostic::{Format, Report};
use anthology::import::{Import, markdown};
use anyhow::Result;

use super::ui::{Ui, plural, print_checked, print_report};
use super::{ImportArgs, ImportKind, OutputFormat};

/// `KEY=FIELD` for `--map`, the field one this format has.
pub fn key_field(s: &str) -> Result<(String, String), String> {
    let (k, f) = s.split_once('=').ok_or("write KEY=FIELD, such as abstract_text=summary")?;
    let (k, f) = (k.trim(), f.trim());
    if k.is_empty() || !markdown::FIELDS.contains(&f) {
        return Err(format!("the field is one of {}", markdown::FIELDS.join(", ")));
    }
    Ok((k.to_string(), f.to_string()))
}

/// `anthology import`.
pub fn run(ui: &Ui, what: ImportKind) -> Result<ExitCode> {
    let (source, with) = match what {
        ImportKind::Markdown { paths, with } => (Source::Markdown(paths), with),
        ImportKind::Mdbook { source, with } => (Source::Mdbook(source), with),
        ImportKind::Quarto { source, with } => (Source::Quarto(source), with),
        ImportKind::Bookdown { source, with } => (Source::Bookdown(source), with),
        ImportKind::Jupyterbook { source, with } => (Source::Jupyterbook(source), with),
        ImportKind::Docx { files, slug, with } => {
            let opts =
                anthology::import::docx::Options { slug, section: with.section.clone(), authors: with.authors.clone() };
            let import = anthology::import::docx::import(&files, &opts)?;
            return finish(ui, &with.dir, import, with.write, with.force, with.format);
        }
        ImportKind::Roster { file, dir, write, format } => {
            let import = anthology::import::roster::import(&dir, &file)?;
            return finish(ui, &dir, import, write, false, format);
        }
    };
    let ImportArgs { dir, write, force, maps, section, authors, base_url, root, format } = with;
    let mut opts = markdown::Options { maps, section, base_url, root, keep_extra: false, authors };
    let import = match source {
        Source::Markdown(paths) => {
            if !dir.join(anthology::config::BOOK_FILE).is_file() {
                return Err(anthology::import::ImportError::NoBook(dir.clone()).into());
            }
            // What the book keeps of a source's own keys, in [extra].
            opts.keep_extra = anthology::config::load(&dir).0.is_some_and(|c| c.rules.allow_extra);
            markdown::import(&paths, &opts)?
        }
        Source::Mdbook(source) => anthology::import::mdbook::import(&source, &opts)?,
        Source::Quarto(source) => anthology::import::quarto::import(&source, &opts)?,
        Source::Bookdown(source) => anthology::import::bookdown::import(&source, &opts)?,
        Source::Jupyterbook(source) => anthology::import::jupyterbook::import(&source, &opts)?,
    };
    finish(ui, &dir, import, write, force, format)
}

/// What is imported.
enum Source {
    Markdown(Vec<PathBuf>),
    Mdbook(PathBuf),
    Quarto(PathBuf),
    Bookdown(PathBuf),
    Jupyterbook(PathBuf),
}

/// Prints what `import` makes and what it left out; writes it when asked,
/// then checks the book.
fn finish(ui: &Ui, dir: &Path, import: Import, write: bool, force: bool, format: OutputFormat) -> Result<ExitCode> {
    let format = match format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
        OutputFormat::Github => Format::Github,
    };
    let mut sources = BTreeMap::new();
    for d in &import.diagnostics {
        let file = &d.location.file;
        if !sources.contains_key(file)
            && let Ok(text) = std::fs::read_to_string(import.root.join(file))
        {
            sources.insert(file.clone(), text.replace("\r\n", "\n"));
        }
    }
    let report = Report::new(import.diagnostics.clone(), sources);
    print_report(&report, format)?;
    let existing = anthology::import::existing(dir, &import);
    // What would be written is for people: standard error, with the diagnostics.
    let mut out = std::io::stderr();
    if format == Format::Human {
        for e in &import.essays {
            if e.update {
                writeln!(out, "{}: its authors' details updated", e.target.display())?;
                continue;
            }
            let mark = if existing.contains(&e.target) { " (exists)" } else { "" };
            writeln!(
                out,
                "{}{mark}  ← {}: {} — {}",
                e.target.display(),
                e.source.display(),
                e.title,
                e.authors.join(", ")
            )?;
        }
        if !import.copies.is_empty() {
            writeln!(out, "and {} file{} copied beside them", import.copies.len(), plural(import.copies.len()))?;
        }
        if !import.files.is_empty() {
            writeln!(out, "and {} image{} taken out of the documents", import.files.len(), plural(import.files.len()))?;
        }
    }
    let n = import.essays.len();
    let left = import.diagnostics.len();
    if import.book_toml.is_some() && format == Format::Human {
        let mark = if existing.iter().any(|p| p == Path::new(anthology::config::BOOK_FILE)) { " (exists)" } else { "" };
        writeln!(out, "book.toml{mark}: the title, editors, language, order and sections")?;
    }
    if !write {
        ui.say(&format!(
            "dry run: {n} contribution{} and {} file{} would be written, {left} thing{} to look at; --write to write",
            plural(n),
            import.copies.len(),
            plural(import.copies.len()),
            plural(left)
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let written = anthology::import::write(dir, &import, force)?;
    ui.say(&format!("written: {} file{}; now `anthology check`:", written.len(), plural(written.len())));
    let checked = anthology::check(dir)?;
    let line = print_checked(&checked.report, format, ui.verbose(), checked.loaded.essays.len())?;
    ui.say(&line);
    Ok(if checked.report.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
