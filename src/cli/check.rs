//! `anthology check`: every problem of the book, for people, tools or GitHub.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anthology::diagnostic::Format;
use anyhow::Result;

use super::OutputFormat;
use super::ui::{print_checked, tell};

/// `anthology check`. What every edition fixes by itself is told once per
/// essay (or for the book) unless `verbose` or the format is JSON.
pub fn run(
    dir: &Path,
    format: OutputFormat,
    deny_warnings: bool,
    changed: Option<&str>,
    verbose: bool,
) -> Result<ExitCode> {
    let (mut checked, scope) = match changed {
        Some(base) => {
            let (mut checked, changes) = anthology::check_changed(dir, base)?;
            let n = changes.essays.len();
            // Of the desk, what the branch's own essays wait for: only
            // theirs are read and digested.
            let desk = anthology::desk::diagnostics(&checked.loaded, &|e| changes.essays.contains(&e.slug));
            checked.report.extend(desk);
            (checked, Some(format!(" ({n} changed since {base})")))
        }
        None => {
            let mut checked = anthology::check(dir)?;
            checked.report.extend(anthology::desk::diagnostics(&checked.loaded, &|_| true));
            (checked, None)
        }
    };
    checked.report = checked.report.with_github_root(relative_to_cwd(dir));
    let format = match format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
        OutputFormat::Github => Format::Github,
    };
    let mut line = print_checked(&checked.report, format, verbose, checked.loaded.essays.len())?;
    if let Some(scope) = scope {
        line = line.replacen(" checked:", &format!(" checked{scope}:"), 1);
    }
    // Written, not printed: a reader that closes the pipe (`| head`) is no failure.
    match format {
        Format::Github => writeln!(std::io::stdout(), "::notice title=anthology check::{line}")?,
        Format::Json | Format::Human => tell(&line),
    }
    let failed = checked.report.errors() > 0 || (deny_warnings && checked.report.warnings() > 0);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
