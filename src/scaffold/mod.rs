//! `anthology init` and `anthology new`: the files a new book or a new
//! contribution starts from. What they write passes `anthology check`, except
//! for the essay's length, which is the contributor's to write.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::BOOK_FILE;
use crate::input::CONTRIBUTIONS;
use crate::lang::slug::{slugify, valid_name};

/// Why a scaffold could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The target already exists; nothing was overwritten.
    #[error("{0} already exists; nothing was overwritten")]
    Exists(PathBuf),
    /// The name cannot name an essay.
    #[error("`{0}` cannot name an essay: use letters, digits, hyphens and underscores, e.g. `my-essay`")]
    InvalidSlug(String),
    /// There is no book here.
    #[error("no {BOOK_FILE} in {0}: run `anthology init` first, or pass the book's folder with --dir")]
    NoBook(PathBuf),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

fn write_new(path: &Path, content: &str) -> Result<(), ScaffoldError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| ScaffoldError::Io { path: parent.to_path_buf(), source })?;
    }
    let mut f = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| {
        if source.kind() == io::ErrorKind::AlreadyExists {
            ScaffoldError::Exists(path.to_path_buf())
        } else {
            ScaffoldError::Io { path: path.to_path_buf(), source }
        }
    })?;
    io::Write::write_all(&mut f, content.as_bytes())
        .map_err(|source| ScaffoldError::Io { path: path.to_path_buf(), source })
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Creates a new book in `dir`: `book.toml`, one example contribution and a
/// `.gitignore`. Returns the files written.
pub fn init(dir: &Path, title: &str, language: &str) -> Result<Vec<PathBuf>, ScaffoldError> {
    let book = dir.join(BOOK_FILE);
    if book.exists() {
        return Err(ScaffoldError::Exists(book));
    }
    let config = format!(
        "# The book's configuration: see anthology's guide (docs/src/book-toml.md) for every key.\n\
         [book]\n\
         title = {}\n\
         language = {}\n\
         editors = [\"Your Name\"]\n\
         slug = \"{}\"\n\
         \n\
         [order]\n\
         by = \"surname\"\n\
         \n\
         [rules]\n\
         min_words = 100\n\
         max_words = 5000\n",
        toml_string(title),
        toml_string(language),
        slugify(title),
    );
    let example = "+++\n\
        title = \"An example contribution\"\n\
        summary = \"What a contribution looks like: front matter, then Markdown.\"\n\
        \n\
        [[authors]]\n\
        name = \"Ada Example\"\n\
        bio = \"Ada Example writes the first essay of every new book, then steps aside.\"\n\
        handle = \"@ada\"\n\
        +++\n\
        \n\
        Each contribution is a Markdown file in the `contributions` folder, named after\n\
        its slug, or a folder with an `index.md` file and the images beside it. The part\n\
        between the two lines of plus signs is the front matter: the title, the authors\n\
        and their biographies, in TOML. Below it comes the essay itself.\n\
        \n\
        ## Headings start at level two\n\
        \n\
        The title is printed from the front matter, so the text uses second-level\n\
        headings and below. Emphasis, *like this*, lists, tables, quotations and\n\
        footnotes[^1] all work as they do on most writing platforms.\n\
        \n\
        Run `anthology check` to see what the editors expect of every contribution, and\n\
        `anthology build` to make the editions. Replace this essay with the first real one\n\
        when it arrives, and keep going until the book is complete.\n\
        \n\
        [^1]: Footnotes are numbered for you, in every edition.\n";
    let mut written = Vec::new();
    write_new(&book, &config)?;
    written.push(book);
    let ex = dir.join(CONTRIBUTIONS).join("example.md");
    write_new(&ex, example)?;
    written.push(ex);
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        write_new(&ignore, "/dist/\n/preview/\n/.anthology-cache/\n")?;
        written.push(ignore);
    }
    for (name, text) in workflows(&install_action()) {
        let path = dir.join(WORKFLOWS_DIR).join(name);
        if !path.exists() {
            write_new(&path, &text)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Where GitHub looks for workflows, relative to the repository's root.
pub const WORKFLOWS_DIR: &str = ".github/workflows";

/// The action a book's workflows install anthology with: this repository's
/// `action.yml` at the version of the anthology that writes them
/// (`anthology-books/anthology@v0.1.0`), from the package's `repository`.
pub fn install_action() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/").trim_end_matches('/');
    format!("{repository}@v{}", env!("CARGO_PKG_VERSION"))
}

/// How this repository's own workflows install it: the same action, from
/// the sources they test.
pub const INSTALL_FROM_SOURCES: &str = "./\n        with:\n          source: .";

/// The workflows `init` writes (`check.yml` for pull requests, `release.yml`
/// for version tags), with `install` as what the step that installs
/// anthology uses.
pub fn workflows(install: &str) -> [(&'static str, String); 2] {
    [
        ("check.yml", include_str!("workflows/check.yml").replace("@INSTALL@", install)),
        ("release.yml", include_str!("workflows/release.yml").replace("@INSTALL@", install)),
    ]
}

/// Creates the skeleton of contribution `slug` in the book at `dir`, as
/// `<slug>.md`, or `<slug>/index.md` when `folder` is set (for essays with images).
pub fn new_contribution(dir: &Path, slug: &str, title: Option<&str>, folder: bool) -> Result<PathBuf, ScaffoldError> {
    if !dir.join(BOOK_FILE).exists() {
        return Err(ScaffoldError::NoBook(dir.to_path_buf()));
    }
    if !valid_name(slug) {
        return Err(ScaffoldError::InvalidSlug(slug.to_string()));
    }
    let contributions = dir.join(CONTRIBUTIONS);
    for existing in [contributions.join(format!("{slug}.md")), contributions.join(slug)] {
        if existing.exists() {
            return Err(ScaffoldError::Exists(existing));
        }
    }
    let path =
        if folder { contributions.join(slug).join("index.md") } else { contributions.join(format!("{slug}.md")) };
    let title = title.map_or_else(|| slug.replace(['-', '_'], " "), str::to_string);
    let photo = if folder { "# photo = \"portrait.jpg\"   (a file beside this one)\n" } else { "" };
    let content = format!(
        "+++\n\
         title = {}\n\
         # subtitle = \"\"\n\
         # summary = \"One sentence about the essay.\"\n\
         # section = \"\"\n\
         \n\
         [[authors]]\n\
         name = \"Your Name\"\n\
         # sort_as = \"Name, Your\"\n\
         # bio = \"Two or three sentences about you.\"\n\
         {photo}\
         # affiliation = \"\"\n\
         # handle = \"@you\"\n\
         # url = \"https://…\"\n\
         +++\n\
         \n\
         Write your essay here, in Markdown. Use `##` for headings: the title above is printed for you.\n",
        toml_string(&title),
    );
    write_new(&path, &content)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_a_book_that_checks() {
        let dir = tempfile::tempdir().unwrap();
        let files = init(dir.path(), "Regards \"croisés\"", "fr").unwrap();
        assert_eq!(files.len(), 5, "book.toml, the example, .gitignore and two workflows: {files:?}");
        assert!(dir.path().join(".github/workflows/check.yml").exists());
        let checked = crate::check(dir.path()).unwrap();
        let errors: Vec<_> = checked.report.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(matches!(init(dir.path(), "x", "en"), Err(ScaffoldError::Exists(_))));
    }

    #[test]
    fn the_install_action_is_this_repository_at_this_version() {
        let action = install_action();
        let (repository, version) = action.split_once('@').unwrap();
        assert_eq!(repository.split('/').count(), 2, "{action}");
        assert!(!repository.contains("your-organisation") && !repository.contains("://"), "{action}");
        assert_eq!(version, format!("v{}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn new_contribution_refuses_bad_slugs_and_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), "T", "en").unwrap();
        assert!(matches!(new_contribution(dir.path(), "Bad Slug", None, false), Err(ScaffoldError::InvalidSlug(_))));
        let p = new_contribution(dir.path(), "my-essay", None, true).unwrap();
        assert!(p.ends_with("contributions/my-essay/index.md"));
        assert!(matches!(new_contribution(dir.path(), "my-essay", None, false), Err(ScaffoldError::Exists(_))));
        let checked = crate::check(dir.path()).unwrap();
        let codes: Vec<_> = checked.report.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["T002"], "only the length is left to the contributor");
    }
}
