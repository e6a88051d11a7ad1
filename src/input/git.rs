//! What git knows about a book: the contributions a branch changed, and the
//! date of the last commit.
//!
//! A pull request should see its own problems first, so `check --changed`
//! needs the essays the branch touched; a release build should be dated by
//! its commit, not by the clock of the machine that made it. Both questions go
//! to the `git` command of the machine (it is there wherever a book's
//! repository was cloned), run in the book's folder with fixed arguments:
//! nothing from a contribution reaches its command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` program could not be run.
    #[error("cannot run git ({0}); is it installed?")]
    Missing(std::io::Error),
    /// The book is not in a git repository.
    #[error(
        "{0} is not in a git repository; --changed needs one (run `git init`, or check everything without --changed)"
    )]
    NotARepository(PathBuf),
    /// The reference does not name a commit.
    #[error(
        "git does not know `{0}`: name a branch, tag or commit (in CI, fetch the base branch first: `git fetch origin main`)"
    )]
    UnknownRef(String),
    /// git failed otherwise.
    #[error("git {args} failed: {message}")]
    Failed {
        /// The arguments.
        args: String,
        /// What git printed.
        message: String,
    },
}

fn git(root: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(GitError::Missing)?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    Err(GitError::Failed { args: args.join(" "), message: String::from_utf8_lossy(&out.stderr).trim().to_string() })
}

/// Whether `root` is inside a git work tree.
pub fn is_repository(root: &Path) -> bool {
    git(root, &["rev-parse", "--is-inside-work-tree"]).is_ok_and(|s| s.trim() == "true")
}

/// The files of the book changed since the branch left `base`: committed
/// since the merge base of `base` and `HEAD`, staged, unstaged, and new files
/// git does not ignore. Paths are relative to `root`.
pub fn changed_files(root: &Path, base: &str) -> Result<BTreeSet<PathBuf>, GitError> {
    if !is_repository(root) {
        return Err(GitError::NotARepository(root.to_path_buf()));
    }
    let commit = format!("{base}^{{commit}}");
    if git(root, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
        return Err(GitError::UnknownRef(base.to_string()));
    }
    // Where the branch started: changes made on `base` since then are not the branch's.
    let start = git(root, &["merge-base", base, "HEAD"]).map(|s| s.trim().to_string()).unwrap_or(base.to_string());
    let mut files = BTreeSet::new();
    for line in git(root, &["diff", "--name-only", "--relative", "--no-renames", &start, "--", "."])?.lines() {
        files.insert(PathBuf::from(line));
    }
    for line in git(root, &["ls-files", "--others", "--exclude-standard", "--", "."])?.lines() {
        files.insert(PathBuf::from(line));
    }
    Ok(files)
}

/// The names of the contributions among `files` (paths relative to the
/// book), as written: `<name>` for `contributions/<name>.md` or anything in
/// `contributions/<name>/`. Their slugs are [`crate::lang::slug::ascii`] of these.
pub fn changed_names(files: &BTreeSet<PathBuf>) -> BTreeSet<String> {
    files
        .iter()
        .filter_map(|f| {
            let mut parts = f.strip_prefix(crate::input::CONTRIBUTIONS).ok()?.components();
            let first = parts.next()?.as_os_str().to_str()?;
            match parts.next() {
                Some(_) => Some(first.to_string()),
                // A translation (`<name>.<lang>.md`) changes its original's essay.
                None => first.strip_suffix(".md").map(|stem| match super::discover::split_name(stem) {
                    Some((name, _)) => name.to_string(),
                    None => stem.to_string(),
                }),
            }
        })
        .collect()
}

/// The time of the last commit, in seconds since 1970, when `root` is in a
/// git repository with at least one commit.
pub fn last_commit_time(root: &Path) -> Option<i64> {
    git(root, &["log", "-1", "--format=%ct", "--", "."]).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_changed_files() {
        let files: BTreeSet<PathBuf> = [
            "contributions/one.md",
            "contributions/two/index.md",
            "contributions/three/portrait.png",
            "contributions/notes.txt",
            "contributions/four.en.md",
            "book.toml",
            "templates/book.typ",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let slugs: Vec<String> = changed_names(&files).into_iter().collect();
        assert_eq!(slugs, ["four", "one", "three", "two"]);
    }
}
