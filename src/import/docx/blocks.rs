//! What the walk over a Word document makes and the writer turns into
//! Markdown: paragraphs (and tables) of runs of formatted text.

use crate::model::document::Numbering;

/// What a paragraph is.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    Para,
    /// What a document's front says of it (pandoc's Author, Subtitle,
    /// Date and Abstract styles), and a caption under a picture.
    Meta(&'static str),
    Heading(u8),
    Quote,
    Code,
    Item {
        level: usize,
        /// Its number in its list and how it is written; `None` in a bulleted list.
        number: Option<(u64, Numbering)>,
    },
    /// A dropped capital: set at the start of the paragraph that follows.
    DropCap,
    Table(Vec<Vec<Vec<Block>>>),
}

/// A paragraph (or a table) of the document.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Block {
    pub(super) kind: Kind,
    pub(super) runs: Vec<Run>,
}

/// A piece of text with its formatting.
#[derive(Clone, Debug, PartialEq, Default)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) strike: bool,
    /// Underlined, small capitals, highlighted: a span (`[x]{.underline}`).
    pub(super) underline: bool,
    pub(super) smallcaps: bool,
    pub(super) highlight: bool,
    pub(super) sup: bool,
    pub(super) sub: bool,
    /// Code, by its character style.
    pub(super) code: bool,
    pub(super) link: Option<String>,
    /// A footnote's number, an image's Markdown, or a line break: written as is.
    pub(super) raw: Option<String>,
}
