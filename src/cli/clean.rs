//! `anthology clean`: remove the output folder and the build cache, and
//! nothing else.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

/// `anthology clean`: removes `out` and the cache, refusing anything that is
/// not inside the book or that is the book itself.
pub fn run(dir: &Path, out: &Path) -> Result<ExitCode> {
    let root = dir.canonicalize().with_context(|| format!("cannot open {}", dir.display()))?;
    if !root.join(anthology::config::BOOK_FILE).exists() {
        bail!("no book.toml in {}: refusing to delete anything", root.display());
    }
    for target in [root.join(out), root.join(anthology::cache::CACHE_DIR)] {
        let Ok(real) = target.canonicalize() else { continue };
        if real == root || !real.starts_with(&root) || real.join(anthology::config::BOOK_FILE).exists() {
            bail!("{} is not an output folder inside the book; refusing to delete it", target.display());
        }
        std::fs::remove_dir_all(&real).with_context(|| format!("cannot remove {}", real.display()))?;
        super::ui::tell(&format!("removed {}", real.display()));
    }
    Ok(ExitCode::SUCCESS)
}
