//! `anthology fonts`: the font families a book can use.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

/// `anthology fonts`.
pub fn run(dir: &Path) -> Result<ExitCode> {
    for family in anthology::fonts::families(dir)? {
        println!("{family}");
    }
    Ok(ExitCode::SUCCESS)
}
