//! `anthology init` and `anthology new`: a new book, a new contribution.

use std::path::Path;
use std::process::ExitCode;

use anthology::scaffold;
use anyhow::{Context, Result};

use super::ui::Ui;

/// `anthology init`.
pub fn init(ui: &Ui, dir: &Path, title: &str, language: &str) -> Result<ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let files = scaffold::init(dir, title, language)?;
    for f in files {
        ui.say(&format!("created {}", f.display()));
    }
    ui.say("next: edit book.toml, add essays with `anthology new <slug>`, then `anthology check`");
    Ok(ExitCode::SUCCESS)
}

/// `anthology new`.
pub fn new(ui: &Ui, dir: &Path, slug: &str, title: Option<&str>, folder: bool) -> Result<ExitCode> {
    let path = scaffold::new_contribution(dir, slug, title, folder)?;
    ui.say(&format!("created {}", path.display()));
    Ok(ExitCode::SUCCESS)
}
