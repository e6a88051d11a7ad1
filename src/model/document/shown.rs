//! Content that only some editions print: Quarto's conditional content
//! (`::: {.content-visible when-format="pdf"}`, `.content-hidden`,
//! `unless-format`). A Quarto book renders each format apart, so it can give
//! a GIF to its website and a PNG of the same figure, with the same id, to
//! its PDF. This tool makes every edition from one model: the model keeps
//! both, marked with the media that show each, and each writer prints what
//! its medium shows. Ids given again in alternatives that no medium shows
//! together are one id, numbered once.

use std::collections::HashMap;

use super::{Block, Document, Pos};

/// What an edition is read on, as conditional content tells them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Medium {
    /// The PDF and the offprints (Quarto's `pdf`, `latex`, `typst`).
    Print,
    /// The EPUB (Quarto's `epub`, and `html`, which names it too).
    Epub,
    /// The website (Quarto's `html`, `html:js`).
    Site,
}

/// A set of media: where a block is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shown(u8);

impl Default for Shown {
    fn default() -> Self {
        Shown::ALL
    }
}

impl Shown {
    /// Every medium: what is not conditional.
    pub const ALL: Shown = Shown(0b111);
    /// No medium.
    pub const NONE: Shown = Shown(0);

    /// Whether `m` shows it.
    pub fn contains(self, m: Medium) -> bool {
        self.0 & (1 << m as u8) != 0
    }

    /// The set with `m` added.
    pub fn with(self, m: Medium) -> Shown {
        Shown(self.0 | (1 << m as u8))
    }

    /// What both show.
    pub fn and(self, other: Shown) -> Shown {
        Shown(self.0 & other.0)
    }

    /// What either shows.
    pub fn or(self, other: Shown) -> Shown {
        Shown(self.0 | other.0)
    }

    /// The media this set leaves out.
    pub fn elsewhere(self) -> Shown {
        Shown(!self.0 & Shown::ALL.0)
    }

    /// Whether no medium shows both.
    pub fn is_disjoint(self, other: Shown) -> bool {
        self.0 & other.0 == 0
    }

    /// The media of a Quarto format name (`pdf`, `html`, `epub3`, `html:js`),
    /// as Quarto matches them: `latex` and `pdf` are one, `html` names the
    /// EPUB too and `html:js` does not. `typst` is print, since this tool's
    /// PDF is typst's. Formats no edition is (`docx`, `revealjs`), none.
    pub fn of_format(name: &str) -> Shown {
        let name = name.trim().to_ascii_lowercase();
        // `html+smart`, `epub3-raw_html`: the format before its extensions.
        let base = name.split(['+', '-']).next().unwrap_or("");
        match base {
            "pdf" | "latex" | "typst" | "beamer" | "context" => Shown::NONE.with(Medium::Print),
            "html" | "html4" | "html5" if name != "html:js" => Shown::NONE.with(Medium::Site).with(Medium::Epub),
            "html:js" => Shown::NONE.with(Medium::Site),
            b if b.starts_with("epub") => Shown::NONE.with(Medium::Epub),
            _ => Shown::NONE,
        }
    }

    /// The media a list of formats names (`"html, pdf"`; Quarto reads one
    /// format, this tool also a list).
    pub fn of_formats(list: &str) -> Shown {
        list.split([',', ' ']).filter(|f| !f.is_empty()).fold(Shown::NONE, |s, f| s.or(Shown::of_format(f)))
    }
}

impl Document {
    /// The lines of each conditional block and where it is shown, nested
    /// ones after those that hold them.
    fn conditional_lines(&self) -> Vec<(u32, u32, Shown)> {
        let mut out = Vec::new();
        self.for_each_block(&mut |b| {
            if let Block::Only { shown, pos, last_line, .. } = b {
                out.push((pos.line, *last_line, *shown));
            }
        });
        out
    }

    /// [`Document::anchors`] of what `medium` shows: the anchors its links
    /// can lead to.
    pub fn anchors_in(&self, medium: Medium) -> HashMap<Pos, String> {
        self.anchors_shown().into_iter().filter(|(_, (_, s))| s.contains(medium)).map(|(p, (a, _))| (p, a)).collect()
    }

    /// Where what starts at a position is shown: every medium, unless it is
    /// inside conditional content.
    pub fn shown_by_pos(&self) -> impl Fn(Pos) -> Shown + use<> {
        let lines = self.conditional_lines();
        move |pos| shown_in(&lines, pos)
    }
}

/// Where `pos` is shown, given the conditional blocks' lines.
fn shown_in(lines: &[(u32, u32, Shown)], pos: Pos) -> Shown {
    lines
        .iter()
        .filter(|(first, last, _)| (*first..=*last).contains(&pos.line))
        .fold(Shown::ALL, |s, (_, _, shown)| s.and(*shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_quarto_matches_them() {
        let print = Shown::NONE.with(Medium::Print);
        assert_eq!(Shown::of_format("pdf"), print);
        assert_eq!(Shown::of_format("latex"), print);
        assert_eq!(Shown::of_format("typst"), print);
        assert_eq!(Shown::of_format("html"), Shown::NONE.with(Medium::Site).with(Medium::Epub));
        assert_eq!(Shown::of_format("html:js"), Shown::NONE.with(Medium::Site));
        assert_eq!(Shown::of_format("epub3"), Shown::NONE.with(Medium::Epub));
        assert_eq!(Shown::of_format("docx"), Shown::NONE);
        assert_eq!(Shown::of_formats("html, pdf"), Shown::ALL);
        assert_eq!(Shown::of_format("pdf").elsewhere(), Shown::NONE.with(Medium::Site).with(Medium::Epub));
    }
}
