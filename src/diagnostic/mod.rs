//! Diagnostics: what `anthology check` tells contributors and editors.
//!
//! Every stage reports problems as [`Diagnostic`] values instead of stopping at
//! the first one, so one run shows everything that is wrong in every essay.
//! Each diagnostic has a stable [`Code`] (documented in the guide, safe to grep
//! for in CI logs), a severity, a position in a file, a message and a hint.
//!
//! The same list is printed three ways by [`Report`]: for people (rustc-style,
//! with the source line and a caret), as JSON lines for tools, and as GitHub
//! Actions workflow commands so a pull request shows each problem on its line.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

mod codes;
mod summary;

pub use codes::{Code, markdown_table};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The book cannot be built until this is fixed.
    Error,
    /// Worth fixing; the book still builds (unless `--deny-warnings`).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A position in a file: 1-based line and column (in characters), and the
/// byte range it covers when known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, relative to the book's root.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// Byte range in the file, for underlining.
    pub span: Option<Range<usize>>,
}

impl Location {
    /// The whole file, no particular line.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), ..Location::default() }
    }

    /// A byte range of `text`, which is the content of `file`.
    pub fn at(file: impl Into<PathBuf>, text: &str, span: Range<usize>) -> Self {
        let (line, column) = line_column(text, span.start);
        Location { file: file.into(), line, column, span: Some(span) }
    }

    /// A line and column already known (for instance from comrak).
    pub fn line_col(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location { file: file.into(), line, column, span: None }
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based line and character column in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let end_of_line = rest.find('\n').unwrap_or(rest.len());
    let col = column.max(1) - 1;
    let within = rest[..end_of_line].char_indices().nth(col).map_or(end_of_line, |(i, _)| i);
    Some(start + within)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when the tool can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity and no hint.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic { code, severity: code.severity(), location, message: message.into(), hint: None }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How `check` prints its diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style, for people; coloured on a terminal.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

/// The diagnostics of one run, with the sources they point into.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every diagnostic, sorted by file, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, String>,
    /// Where the book is, relative to the folder GitHub annotations are
    /// resolved from (the repository's root); empty when it is that folder.
    github_root: PathBuf,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: Code,
    name: &'static str,
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

impl Report {
    /// A report over these diagnostics; `sources` maps a file (relative to
    /// the book) to its text, for the snippets in human output.
    pub fn new(mut diagnostics: Vec<Diagnostic>, sources: BTreeMap<PathBuf, String>) -> Self {
        diagnostics.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column, a.code, &a.message).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
                b.code,
                &b.message,
            ))
        });
        diagnostics.dedup();
        Report { diagnostics, sources, github_root: PathBuf::new() }
    }

    /// Prefixes file paths in GitHub annotations with `root`, the book's
    /// folder relative to the repository's root, which is where GitHub looks.
    pub fn with_github_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.github_root = root.into();
        self
    }

    /// Adds `more` to the report, in the report's order.
    pub fn extend(&mut self, more: Vec<Diagnostic>) {
        let sources = std::mem::take(&mut self.sources);
        let mut all = std::mem::take(&mut self.diagnostics);
        all.extend(more);
        let github_root = std::mem::take(&mut self.github_root);
        *self = Report::new(all, sources);
        self.github_root = github_root;
    }

    /// Keeps only the diagnostics for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.diagnostics.retain(keep);
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Writes every diagnostic in `format`. `color` applies to human output.
    pub fn write(&self, out: &mut dyn WriteColorish, format: Format) -> io::Result<()> {
        match format {
            Format::Human => self.write_human(out),
            Format::Json => {
                for d in &self.diagnostics {
                    let json = JsonDiagnostic {
                        code: d.code,
                        name: d.code.name(),
                        severity: d.severity,
                        file: slash_path(&d.location.file),
                        line: d.location.line,
                        column: d.location.column,
                        message: &d.message,
                        hint: d.hint.as_deref(),
                    };
                    serde_json::to_writer(&mut *out, &json)?;
                    writeln!(out)?;
                }
                Ok(())
            }
            Format::Github => {
                for d in &self.diagnostics {
                    writeln!(out, "{}", github_line(d, &self.github_root))?;
                }
                Ok(())
            }
        }
    }

    fn write_human(&self, out: &mut dyn WriteColorish) -> io::Result<()> {
        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for (path, text) in &self.sources {
            ids.insert(path.clone(), files.add(slash_path(path), text.as_str()));
        }
        let config = term::Config::default();
        for d in &self.diagnostics {
            let mut notes = Vec::new();
            let mut labels = Vec::new();
            let file = &d.location.file;
            // A long line (a paragraph written on one line) is shown as an
            // excerpt around the problem, with its real line and column.
            let excerpt = self.span_of(d).and_then(|span| Excerpt::new(file, self.sources.get(file)?, span));
            if let Some(ex) = &excerpt {
                let diag = self.codespan(d, vec![cs::Label::primary((), ex.span())], notes.clone());
                term::emit_to_write_style(out.style_writer(), &config, ex, &diag).map_err(io::Error::other)?;
                continue;
            }
            match (ids.get(file), self.span_of(d)) {
                (Some(&id), Some(span)) => labels.push(cs::Label::primary(id, span)),
                _ => notes.push(format!("in {}", display_location(&d.location))),
            }
            let diag = self.codespan(d, labels, notes);
            term::emit_to_write_style(out.style_writer(), &config, &files, &diag).map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn codespan<F>(&self, d: &Diagnostic, labels: Vec<cs::Label<F>>, mut notes: Vec<String>) -> cs::Diagnostic<F> {
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
    }

    fn span_of(&self, d: &Diagnostic) -> Option<Range<usize>> {
        if d.location.line == 0 {
            return None;
        }
        let text = self.sources.get(&d.location.file)?;
        if let Some(span) = &d.location.span {
            return (span.end <= text.len()).then(|| span.clone());
        }
        let start = offset_of(text, d.location.line, d.location.column)?;
        // Underline the rest of the word (or one character).
        let len = text[start..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(text.len() - start, |(i, _)| i)
            .max(text[start..].chars().next().map_or(0, char::len_utf8));
        Some(start..start + len)
    }
}

/// Lines longer than this are shown as an excerpt around the problem.
const LONG_LINE: usize = 120;

/// Characters of context kept before and after the underlined part.
const CONTEXT: usize = 40;

/// Characters of a long underlined part shown, its start: a name of 478
/// characters is found by its first words.
const LONG_SPAN: usize = 60;

/// One line of a source cut to a window around a span, for a line too long to
/// print whole: codespan sees a one-line file whose line and column numbers
/// are those of the real file.
struct Excerpt {
    name: String,
    /// `…` + the window + `…`, as shown.
    text: String,
    /// Where the underlined part is in `text`.
    span: Range<usize>,
    line: usize,
    /// Characters of the real line before the window.
    skipped: usize,
    /// Bytes of `text` before the window (the leading `…`, when there is one).
    lead: usize,
}

impl Excerpt {
    fn new(file: &Path, text: &str, span: Range<usize>) -> Option<Excerpt> {
        let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[span.start..].find('\n').map_or(text.len(), |i| span.start + i);
        let line_text = &text[start..end];
        if line_text.chars().count() <= LONG_LINE || span.end > end {
            return None;
        }
        // The window: CONTEXT characters each side of the span, on char boundaries.
        let before: Vec<usize> = text[start..span.start].char_indices().map(|(i, _)| start + i).collect();
        let from = before.len().checked_sub(CONTEXT).map_or(start, |k| before[k]);
        // A long span is shown by its start, and the excerpt ends there.
        let span_end = text[span.clone()].char_indices().nth(LONG_SPAN).map_or(span.end, |(i, _)| span.start + i);
        let after_len = if span_end < span.end {
            span_end
        } else {
            text[span.end..end].char_indices().nth(CONTEXT).map_or(end, |(i, _)| span.end + i)
        };
        let (lead_mark, tail_mark) = (if from > start { "…" } else { "" }, if after_len < end { "…" } else { "" });
        let shown = format!("{lead_mark}{}{tail_mark}", &text[from..after_len]);
        let lead = lead_mark.len();
        Some(Excerpt {
            name: slash_path(file),
            span: (span.start - from + lead)..(span_end - from + lead),
            text: shown,
            line: text[..start].matches('\n').count() + 1,
            skipped: text[start..from].chars().count(),
            lead,
        })
    }

    fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, codespan_reporting::files::Error> {
        let inside = self.text.get(self.lead..byte.max(self.lead)).map_or(0, |s| s.chars().count());
        Ok(self.skipped + inside + 1)
    }

    fn line_range(&'a self, (): (), _: usize) -> Result<Range<usize>, codespan_reporting::files::Error> {
        Ok(0..self.text.len())
    }
}

/// `file:line:column`, leaving out what is unknown.
pub fn display_location(l: &Location) -> String {
    match (l.line, l.column) {
        (0, _) => slash_path(&l.file),
        (line, 0) => format!("{}:{line}", slash_path(&l.file)),
        (line, col) => format!("{}:{line}:{col}", slash_path(&l.file)),
    }
}

/// A path with forward slashes, as printed in diagnostics on every platform.
pub fn slash_path(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn github_line(d: &Diagnostic, root: &Path) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = vec![format!("file={}", gh_property(&slash_path(&root.join(&d.location.file))))];
    if d.location.line > 0 {
        props.push(format!("line={}", d.location.line));
    }
    if d.location.column > 0 {
        props.push(format!("col={}", d.location.column));
    }
    props.push(format!("title={}", gh_property(&format!("{} {}", d.code, d.code.name()))));
    let mut message = d.message.clone();
    if let Some(h) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(h);
    }
    format!("::{level} {}::{}", props.join(","), gh_data(&message))
}

// GitHub's workflow-command escaping: data escapes % CR LF; properties also : and ,.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// An output stream that may or may not support colour; lets [`Report`] write
/// to a terminal, a pipe or a buffer alike.
pub trait WriteColorish: Write {
    /// The stream as a codespan style writer.
    fn style_writer(&mut self) -> &mut dyn term::WriteStyle;
}

impl<W: termcolor::WriteColor> WriteColorish for W {
    fn style_writer(&mut self) -> &mut dyn term::WriteStyle {
        self
    }
}

use codespan_reporting::term::termcolor;

#[cfg(test)]
mod tests {
    use super::*;
    use termcolor::NoColor;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\n« é »x";
        let off = text.find('x').unwrap();
        assert_eq!(line_column(text, off), (2, 6));
        assert_eq!(offset_of(text, 2, 6), Some(off));
        assert_eq!(line_column(text, 0), (1, 1));
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(seen.insert(c.name()), "duplicate name {}", c.name());
        }
    }

    fn sample() -> Report {
        let text = "+++\ntitel = \"x\"\n+++\n".to_string();
        let loc = Location::at("contributions/a.md", &text, 4..9);
        let d = Diagnostic::new(Code::UnknownKey, loc, "unknown key `titel`").hint("did you mean `title`?");
        Report::new(vec![d], BTreeMap::from([(PathBuf::from("contributions/a.md"), text)]))
    }

    #[test]
    fn human_output_has_snippet_and_caret() {
        let mut out = NoColor::new(Vec::new());
        sample().write(&mut out, Format::Human).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(s.contains("error[F004]: unknown key `titel`"), "{s}");
        assert!(s.contains("contributions/a.md:2:1"), "{s}");
        assert!(s.contains("^^^^^"), "{s}");
        assert!(s.contains("hint: did you mean `title`?"), "{s}");
    }

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_with_its_real_position() {
        let line = format!("{}ÉCHEC{}", "é".repeat(300), "à".repeat(300));
        let text = format!("+++\ntitle = \"x\"\n+++\n\n{line}\n");
        let start = text.find("ÉCHEC").unwrap();
        let loc = Location::at("contributions/a.md", &text, start..start + "ÉCHEC".len());
        let d = Diagnostic::new(Code::UnknownKey, loc, "here");
        let report = Report::new(vec![d], BTreeMap::from([(PathBuf::from("contributions/a.md"), text)]));
        let mut out = NoColor::new(Vec::new());
        report.write(&mut out, Format::Human).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(s.contains("contributions/a.md:5:301"), "{s}");
        let shown = s.lines().find(|l| l.contains("ÉCHEC")).unwrap();
        assert!(shown.starts_with("5 │ …") && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() < 100, "{shown}");
        let caret = s.lines().find(|l| l.contains('^')).unwrap();
        let column = |l: &str, pat: char| l.chars().position(|c| c == pat).unwrap();
        assert_eq!(column(caret, '^'), column(shown, 'É'), "the caret is under the problem:\n{s}");
    }

    #[test]
    fn a_long_underlined_part_is_shown_by_its_start() {
        let name = "making sure that the build is always clean ".repeat(10);
        let text = format!("+++\ntitle = \"x\"\n[[authors]]\nname = \"{name}\"\n+++\n\nText.\n");
        let start = text.find("making").unwrap();
        let loc = Location::at("contributions/a.md", &text, start..start + name.len());
        let report = Report::new(
            vec![Diagnostic::new(Code::UnknownKey, loc, "here")],
            BTreeMap::from([(PathBuf::from("contributions/a.md"), text)]),
        );
        let mut out = NoColor::new(Vec::new());
        report.write(&mut out, Format::Human).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        let shown = s.lines().find(|l| l.contains("making")).unwrap();
        assert!(shown.starts_with("4 │ name = \"making sure") && shown.ends_with('…'), "{shown}");
        assert!(s.lines().all(|l| l.chars().count() < 120), "{s}");
        let caret = s.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(caret.matches('^').count(), LONG_SPAN, "{s}");
    }

    #[test]
    fn github_output_is_one_escaped_line() {
        let mut out = NoColor::new(Vec::new());
        sample().write(&mut out, Format::Github).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(
            s,
            "::error file=contributions/a.md,line=2,col=1,title=F004 unknown-key::unknown key `titel`%0Ahint: did you mean `title`?\n"
        );
    }

    #[test]
    fn github_paths_start_from_the_repository_root() {
        let mut out = NoColor::new(Vec::new());
        sample().with_github_root("books/mine").write(&mut out, Format::Github).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        assert!(s.starts_with("::error file=books/mine/contributions/a.md,line=2"), "{s}");
    }

    #[test]
    fn json_output_is_one_object_per_line() {
        let mut out = NoColor::new(Vec::new());
        sample().write(&mut out, Format::Json).unwrap();
        let s = String::from_utf8(out.into_inner()).unwrap();
        let v: serde_json::Value = serde_json::from_str(s.trim()).unwrap();
        assert_eq!(v["code"], "F004");
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 1);
        assert_eq!(v["hint"], "did you mean `title`?");
    }
}
