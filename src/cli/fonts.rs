//! `anthology fonts`: the font each script of the book takes, and the
//! families the book can name.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anthology::config::BookConfig;
use anthology::fonts::{Fonts, Request};
use anyhow::Result;

/// `anthology fonts`.
pub fn run(dir: &Path) -> Result<ExitCode> {
    // The book may have errors (a script without a font is one): this is
    // where the editor looks to fix them.
    let checked = anthology::check(dir)?;
    let loaded = &checked.loaded;
    let config = loaded.config.clone().unwrap_or_else(|| BookConfig::minimal("", "en"));
    let request = Request::new(&loaded.root, &config, loaded.texts());
    let fonts = Fonts::for_book(&loaded.root, &request)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Scripts of the book and the font the PDF sets each in:")?;
    let mut missing = false;
    for (need, choice) in fonts.choices() {
        match choice {
            Some(c) => {
                let file = c.file.as_ref().map(|f| format!(", {}", f.display())).unwrap_or_default();
                writeln!(out, "  {:<52} {} ({}{file})", need.name(), c.family, c.origin)?;
            }
            None => {
                missing = true;
                writeln!(
                    out,
                    "  {:<52} none: install a font for it (Debian and Ubuntu: apt install {}) or add one to fonts/",
                    need.name(),
                    need.package()
                )?;
            }
        }
    }
    let mut families: Vec<String> = fonts.infos().into_iter().map(|i| i.family).collect();
    families.sort();
    families.dedup();
    writeln!(out, "\nFamilies the book can use ([pdf] font, templates):")?;
    for family in families {
        writeln!(out, "  {family}")?;
    }
    Ok(if missing { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
