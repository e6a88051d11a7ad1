//! Where a link of the PDF leads: the labels of the essays and their
//! headings and figures, and where a link leads from an offprint that does
//! not hold its target.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// The book's essays as links in the PDF reach them.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Each essay by file (relative to the book's root): its slug and its headings' anchors.
    pub essays: HashMap<PathBuf, (String, HashSet<String>)>,
    /// What is printed before the page a link leads to ("p.").
    pub page: String,
    /// Where the site will be (`[html] base_url`, without its last `/`): in an
    /// offprint, a link to another essay leads to its page there.
    pub site: Option<String>,
    /// Where the whole book is (`[book] url`): in an offprint without a site,
    /// links to other essays lead there.
    pub book: Option<String>,
    /// Whether the rules let raw HTML through (`[rules] allow_html`).
    pub allow_html: bool,
}

impl Links {
    /// Where a link to essay `slug` (at its heading `anchor`) leads from an
    /// offprint, which does not hold that essay.
    pub(super) fn web(&self, slug: &str, anchor: Option<&str>) -> Option<String> {
        match (&self.site, anchor) {
            (Some(site), Some(a)) => Some(format!("{site}/{slug}/#s-{a}")),
            (Some(site), None) => Some(format!("{site}/{slug}/")),
            (None, _) => self.book.clone(),
        }
    }
}

/// The label at the start of essay `slug`'s text.
pub(super) fn essay_label(slug: &str) -> String {
    format!("essay-{slug}")
}

/// The label of the heading of essay `slug` whose anchor is `anchor`.
pub(super) fn heading_label(slug: &str, anchor: &str) -> String {
    format!("h-{slug}-{}", crate::lang::slug::ascii(anchor))
}
