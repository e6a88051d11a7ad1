//! `anthology stats`: the book's figures, even while it has errors.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::ui::plural;

/// `anthology stats`.
pub fn run(dir: &Path, out: &Path, drafts: bool) -> Result<ExitCode> {
    let checked = anthology::check(dir)?;
    let s = anthology::check::stats::of(&checked.loaded, drafts);
    let title = checked.loaded.config.as_ref().map_or("The book", |c| c.title.as_str());
    writeln!(std::io::stdout(), "{title}: {} essays, {} contributors, {} words", s.essays, s.contributors, s.words)?;
    if let Some((min, median, max)) = s.words_per_essay {
        writeln!(std::io::stdout(), "words per essay: {min} at least, {median} median, {max} at most")?;
    }
    // The PDF of the last release (its name may carry a version), else the plain one.
    let released = std::fs::read_to_string(dir.join(out).join(anthology::release::MANIFEST_FILE))
        .ok()
        .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
        .and_then(|m| {
            let pdf = anthology::editions::Edition::Pdf.id();
            m["editions"].as_array()?.iter().find(|e| e["format"] == pdf)?["file"].as_str().map(String::from)
        });
    let stem = checked.loaded.config.as_ref().map(|c| c.file_stem());
    let pdf = released.or(stem.map(|s| format!("{s}.pdf"))).map(|f| dir.join(out).join(f));
    match pdf.as_ref().and_then(|p| anthology::check::stats::pdf_pages(p).map(|n| (p, n))) {
        Some((p, n)) => writeln!(std::io::stdout(), "PDF: {n} pages ({})", p.display())?,
        None => writeln!(std::io::stdout(), "PDF: not built yet (`anthology build --format pdf`)")?,
    }
    for (what, list) in [("a photo", &s.missing_photo), ("a bio", &s.missing_bio)] {
        if list.is_empty() {
            writeln!(std::io::stdout(), "every author has {what}")?;
        } else {
            writeln!(std::io::stdout(), "{} author{} without {what}:", list.len(), plural(list.len()))?;
            for (slug, name) in list {
                writeln!(std::io::stdout(), "  {slug}: {name}")?;
            }
        }
    }
    let errors = checked.report.errors();
    if errors > 0 {
        writeln!(std::io::stdout(), "the book has {errors} error{}: `anthology check` lists them", plural(errors))?;
    }
    Ok(ExitCode::SUCCESS)
}
