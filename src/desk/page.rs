//! The desk as a page `anthology serve` shows the editor at
//! `/__anthology/desk`: every contributor, their state and what is
//! missing, with links to the proofs and messages the desk wrote, made
//! again at each request from the book and `desk.toml`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::state::{self, Row};
use crate::editions::xhtml::escape;

/// Where the page is served.
pub const PATH: &str = "/__anthology/desk";

/// Where the files it links to (under the output folder) are served: only
/// those of [`FOLDERS`].
pub const FILES: &str = "/__anthology/desk/files/";

/// The folders of the output folder the page links into, each with what
/// it holds: the only ones [`FILES`] serves.
pub const FOLDERS: &[(&str, &str)] =
    &[("proofs", "proof"), ("invitations", "invitation"), ("reminders", "reminder"), ("announcements", "share kit")];

/// The desk's page for the book at `root` whose editions are in `out`;
/// `script` goes before `</body>` (the server's reload).
pub fn render(root: &Path, out: &Path, script: &str) -> String {
    let checked = crate::pipeline::check(root);
    let title_and_rows = checked.as_ref().map_err(ToString::to_string).and_then(|c| {
        let desk = super::load(root).map_err(|d| format!("{}: {}", super::DESK_FILE, d.message))?;
        let title = c.loaded.config.as_ref().map_or(String::new(), |b| b.title.clone());
        let lang = c.loaded.config.as_ref().map_or("en".to_string(), |b| b.language.clone());
        let failed = |e: &crate::model::book::Essay| state::has_errors(&c.report, e);
        Ok((title, lang, desk.map(|d| state::rows(&c.loaded, &d, &failed, &super::today()))))
    });
    let mut html = String::new();
    let (title, lang) = match &title_and_rows {
        Ok((t, l, _)) => (t.clone(), l.clone()),
        Err(_) => (String::new(), "en".to_string()),
    };
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Desk: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>Desk: {}</h1>\n",
        escape(&lang),
        escape(&title),
        escape(&title)
    );
    match title_and_rows {
        Err(why) => {
            let _ = writeln!(html, "<p role=\"alert\">The desk cannot be read: {}</p>", escape(&why));
        }
        Ok((_, _, None)) => {
            html.push_str(
                "<p>This book has no desk yet: start one with <code>anthology desk invite FILE</code>.</p>\n",
            );
        }
        Ok((_, _, Some(rows))) => table(&mut html, &rows, out),
    }
    let _ = write!(html, "</main>\n{script}</body>\n</html>\n");
    html
}

/// How many are in each state, then the table of contributors.
fn table(html: &mut String, rows: &[Row], out: &Path) {
    let _ = writeln!(html, "<p>{}.</p>", escape(&state::summary(rows)));
    html.push_str(
        "<div class=\"table\" role=\"region\" aria-labelledby=\"desk-caption\" tabindex=\"0\">\n<table>\n<caption id=\"desk-caption\">Every contributor, invited or in the book</caption>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Essay</th><th scope=\"col\">Words</th><th scope=\"col\">State</th><th scope=\"col\">Due</th><th scope=\"col\">Missing</th><th scope=\"col\">Files</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let words = r.words_against_limit(" / ");
        let person = super::outbox::file_of(&r.name);
        let mut links = Vec::new();
        for (folder, what) in FOLDERS {
            let mut found: Vec<PathBuf> = Vec::new();
            let base = out.join(folder);
            if base.join(&person).is_file() {
                found.push(PathBuf::from(folder).join(&person));
            }
            for slug in &r.essays {
                let dir = base.join(slug);
                if dir.join(&person).is_file() {
                    found.push(PathBuf::from(folder).join(slug).join(&person));
                }
                let pdfs = std::fs::read_dir(&dir).into_iter().flatten().flatten();
                let mut pdfs: Vec<PathBuf> = pdfs
                    .map(|e| e.path())
                    .filter(|p| *folder == "proofs" && p.extension().is_some_and(|x| x == "pdf"))
                    .filter_map(|p| p.strip_prefix(out).ok().map(Path::to_path_buf))
                    .collect();
                pdfs.sort();
                found.extend(pdfs);
            }
            for f in found {
                // For an author of several essays, which one.
                let essay = r.essays.iter().find(|s| f.iter().nth(1).is_some_and(|c| c == s.as_str()));
                let of = essay.filter(|_| r.essays.len() > 1);
                let label = match (f.extension().is_some_and(|x| x == "pdf"), of) {
                    (true, None) => format!("{what} (PDF)"),
                    (true, Some(s)) => format!("{what} (PDF, {s})"),
                    (false, None) => format!("{what} message"),
                    (false, Some(s)) => format!("{what} message ({s})"),
                };
                let href = format!("{FILES}{}", crate::diagnostic::slash_path(&f));
                links.push(format!("<a href=\"{}\">{}</a>", escape(&href), escape(&label)));
            }
        }
        let _ = writeln!(
            html,
            "<tr class=\"{state}\"><th scope=\"row\">{}</th><td>{}</td><td>{words}</td><td>{state}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.name),
            escape(&r.essays.join(", ")),
            escape(r.due.as_deref().unwrap_or("–")),
            escape(&r.missing.join(", ")),
            links.join(" · "),
            state = r.state.as_str(),
        );
    }
    html.push_str("</tbody>\n</table>\n</div>\n");
}

/// The page's look: readable, and the states told apart by more than colour
/// (their names are in the table).
const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}main{padding:1rem 1.5rem;max-width:80rem}.table{overflow-x:auto}table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.5rem 0}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d0d0d0;vertical-align:top}thead th{border-bottom:2px solid #1a1a1a}td:nth-child(5){white-space:nowrap}tr.late td:nth-child(4),tr.changed td:nth-child(4){color:#8a1c1c;font-weight:600}tr.approved td:nth-child(4){color:#1d5a2a;font-weight:600}a{color:#1d4f7a}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_without_a_desk_gets_a_page_that_says_how_to_start_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"<Essais>\"\nlanguage = \"fr\"\n").unwrap();
        let page = render(dir.path(), &dir.path().join("dist"), "<script></script>");
        assert!(page.contains("<html lang=\"fr\">") && page.contains("Desk: &lt;Essais&gt;"), "{page}");
        assert!(page.contains("anthology desk invite FILE") && page.ends_with("<script></script></body>\n</html>\n"));
    }
}
