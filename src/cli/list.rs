//! `anthology list`: the essays in book order.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anthology::diagnostic::Format;
use anthology::model::book::Book;
use anyhow::{Result, bail};

use super::ui::print_report;

/// `anthology list`.
pub fn run(dir: &Path, drafts: bool) -> Result<ExitCode> {
    let (book, report) = anthology::prepare(dir, drafts)?;
    let Some(book) = book else {
        print_report(&report, Format::Human)?;
        bail!("the book has errors; run `anthology check` for details");
    };
    print_list(&book)?;
    Ok(ExitCode::SUCCESS)
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
