//! `anthology stats`: what the book amounts to, for the editor planning it.
//!
//! Counts come from the loaded contributions (so they work on a book that
//! still has errors), and the PDF's page count from the PDF last built, when
//! there is one.

use std::path::Path;

use crate::input::Loaded;

/// The figures `stats` prints.
#[derive(Debug, PartialEq, Eq)]
pub struct Stats {
    /// Essays counted (drafts only when asked).
    pub essays: usize,
    /// Different contributors, by name.
    pub contributors: usize,
    /// Words in all the essays.
    pub words: usize,
    /// Fewest, median and most words of an essay.
    pub words_per_essay: Option<(usize, usize, usize)>,
    /// Essays with an author without a photo: (slug, author).
    pub missing_photo: Vec<(String, String)>,
    /// Essays with an author without a bio: (slug, author).
    pub missing_bio: Vec<(String, String)>,
}

/// The figures of the loaded book; drafts counted only when `drafts`.
pub fn of(loaded: &Loaded, drafts: bool) -> Stats {
    let essays: Vec<_> = loaded.essays.iter().filter(|e| drafts || !e.draft).collect();
    let mut words: Vec<usize> = essays.iter().map(|e| e.words).collect();
    words.sort_unstable();
    let words_per_essay = (!words.is_empty()).then(|| (words[0], words[(words.len() - 1) / 2], words[words.len() - 1]));
    let mut names: Vec<&str> = essays.iter().flat_map(|e| e.authors.iter().map(|a| a.name.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    let missing = |lacks: &dyn Fn(&crate::model::book::Author) -> bool| -> Vec<(String, String)> {
        essays
            .iter()
            .flat_map(|e| e.authors.iter().filter(|a| lacks(a)).map(|a| (e.slug.clone(), a.name.clone())))
            .collect()
    };
    Stats {
        essays: essays.len(),
        contributors: names.len(),
        words: words.iter().sum(),
        words_per_essay,
        missing_photo: missing(&|a| a.photo.is_none()),
        missing_bio: missing(&|a| a.bio.as_deref().is_none_or(|b| b.trim().is_empty())),
    }
}

/// The page count of a PDF this tool wrote: typst writes its page tree's
/// `/Count` in the clear. `None` for a file that is missing or not ours.
pub fn pdf_pages(path: &Path) -> Option<usize> {
    let bytes = std::fs::read(path).ok()?;
    let needle = b"/Type/Pages/Count ";
    bytes
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .filter_map(|(i, _)| {
            let rest = &bytes[i + needle.len()..];
            let digits: String = rest.iter().take_while(|b| b.is_ascii_digit()).map(|b| *b as char).collect();
            digits.parse().ok()
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_of_a_small_book() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::synth::Settings { essays: 5, words: 100, photo_pixels: 0, ..Default::default() };
        crate::synth::generate(dir.path(), &settings).unwrap();
        let loaded = crate::input::load(dir.path()).unwrap();
        let s = of(&loaded, false);
        assert_eq!(s.essays, 5);
        let (min, median, max) = s.words_per_essay.unwrap();
        assert!(min <= median && median <= max && max <= s.words);
        assert_eq!(s.missing_photo.len(), loaded.essays.iter().map(|e| e.authors.len()).sum::<usize>());
    }

    #[test]
    fn pages_of_a_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        std::fs::write(
            &p,
            b"%PDF-1.7\n1 0 obj <</Type/Pages/Count 3/Kids[]>> 2 0 obj <</Type/Pages/Count 355/Kids[]>>",
        )
        .unwrap();
        assert_eq!(pdf_pages(&p), Some(355));
        assert_eq!(pdf_pages(&dir.path().join("none.pdf")), None);
    }
}
