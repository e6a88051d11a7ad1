//! `anthology fonts`: the font families a book can use.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

/// `anthology fonts`.
pub fn run(dir: &Path) -> Result<ExitCode> {
    for family in anthology::fonts::families(dir)? {
        writeln!(std::io::stdout(), "{family}")?;
    }
    Ok(ExitCode::SUCCESS)
}
