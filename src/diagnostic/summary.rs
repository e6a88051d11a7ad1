//! What `check` tells a person by default: the problems they must act on
//! at each place, and what every edition fixes by itself (straight quotes,
//! French spacing) told once. `check` on 500 Lines or Less printed about 850
//! straight-quote warnings, among which a contributor's one real error was lost.
//!
//! The fixes are told once per essay when few essays have them (a
//! contributor's pull request), once for the book otherwise (an editor's
//! whole book); `--verbose`, and the formats for tools, keep every place.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Code, Diagnostic, Location, Report};

/// Up to this many essays with fixes, each gets its own line.
const FEW: usize = 5;

impl Code {
    /// Whether every edition fixes what this code reports, so that a
    /// person need not act on it (`[rules] typography` reports it at all).
    pub fn fixed_by_editions(self) -> bool {
        matches!(self, Code::StraightQuotes | Code::FrenchSpacing)
    }
}

impl Report {
    /// The report with what the editions fix told in a line per essay (or
    /// per book), and how many places those lines stand for.
    pub fn summarized(&self) -> (Report, usize) {
        let mut kept = Vec::new();
        // For each code, each file: how many places, and the first.
        let mut fixes: BTreeMap<Code, BTreeMap<PathBuf, (usize, Location)>> = BTreeMap::new();
        for d in &self.diagnostics {
            if d.code.fixed_by_editions() && !d.is_error() {
                let per_file = fixes.entry(d.code).or_default();
                let entry = per_file.entry(d.location.file.clone()).or_insert((0, d.location.clone()));
                entry.0 += 1;
            } else {
                kept.push(d.clone());
            }
        }
        let mut places = 0;
        for (code, files) in fixes {
            let what = match code {
                Code::FrenchSpacing => "paragraphs with a missing or breakable space in French punctuation",
                _ => "paragraphs with straight quotes or apostrophes",
            };
            let total: usize = files.values().map(|(n, _)| n).sum();
            places += total;
            if files.len() <= FEW {
                for (file, (n, first)) in files {
                    let at = format!("{}:{}", first.line, first.column);
                    kept.push(Diagnostic::new(
                        code,
                        Location::file(&file),
                        format!("{n} {what} (the first at {at}): every edition corrects them by itself; `--verbose` lists each"),
                    ));
                }
            } else {
                let mut most: Vec<(&PathBuf, usize)> = files.iter().map(|(f, (n, _))| (f, *n)).collect();
                most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                let named: Vec<String> =
                    most.iter().take(3).map(|(f, n)| format!("{} ({n})", super::slash_path(f))).collect();
                kept.push(Diagnostic::new(
                    code,
                    Location::file(std::path::Path::new("contributions")),
                    format!(
                        "{total} {what} in {} texts, most in {}: every edition corrects them by itself; `--verbose` lists each",
                        files.len(),
                        named.join(", ")
                    ),
                ));
            }
        }
        let report = Report::new(kept, self.sources.clone()).with_github_root(self.github_root.clone());
        (report, places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn quote(file: &str, line: usize) -> Diagnostic {
        Diagnostic::new(Code::StraightQuotes, Location::line_col(Path::new(file), line, 3), "straight quotes")
    }

    #[test]
    fn fixes_are_one_line_per_essay_when_few_else_one_for_the_book() {
        let other = Diagnostic::new(Code::MissingTitle, Location::line_col(Path::new("a.md"), 1, 1), "no title");
        let few =
            Report::new(vec![quote("a.md", 4), quote("a.md", 9), quote("b.md", 2), other.clone()], BTreeMap::new());
        let (told, places) = few.summarized();
        assert_eq!(places, 3);
        let lines: Vec<String> = told
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.location.file.display(), d.message))
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("F006 a.md")), "what must be acted on stays: {lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("Y001 a.md 2 paragraphs with straight quotes") && l.contains("the first at 4:3")), "{lines:?}");
        let many = Report::new((0..8).map(|i| quote(&format!("e{i}.md"), i + 1)).collect(), BTreeMap::new());
        let (told, places) = many.summarized();
        assert_eq!((told.diagnostics.len(), places), (1, 8));
        assert!(told.diagnostics[0].message.starts_with("8 paragraphs "), "{}", told.diagnostics[0].message);
        assert!(
            told.diagnostics[0].message.contains("in 8 texts, most in e0.md (1)"),
            "{}",
            told.diagnostics[0].message
        );
    }
}
