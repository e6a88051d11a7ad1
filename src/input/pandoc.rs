//! What pandoc's and Quarto's Markdown means beyond CommonMark, settled
//! once at load in the text's language: figures numbered and
//! cross-references resolved ([`crate::input::crossref`]), callouts without
//! a title given their kind's name, and a diagnostic for each reference
//! that leads nowhere.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::input::crossref;
use crate::lang::labels::Labels;
use crate::model::document::{Block, CalloutKind, Document, Inline, Pos};

/// Settles `body`, the text of `file`, in the words of `labels`.
pub fn settle(body: &mut Document, labels: &Labels, file: &Path, diags: &mut Vec<Diagnostic>) {
    for u in crossref::resolve(body, labels) {
        let at = Location::line_col(file, u.pos.line as usize, u.pos.col as usize);
        diags.push(if u.numbered {
            Diagnostic::new(Code::UnknownCrossref, at, format!("`{}` names no figure or heading of this text", u.written))
                .hint("give the figure or heading that id: `{#fig-x}` after the image, `{#sec-x}` after the heading, or `\\label{fig:x}` in its caption")
        } else {
            Diagnostic::new(
                Code::CrossrefUnnumbered,
                at,
                format!(
                    "`{}` refers to a table, an equation or a listing, which the editions do not number yet: printed as written",
                    u.written
                ),
            )
            .hint("refer to it in words (\"the table below\")")
        });
    }
    name_callouts(&mut body.blocks, labels);
}

/// Each callout without a title gets its kind's name ("Tip", "Astuce").
fn name_callouts(blocks: &mut [Block], labels: &Labels) {
    for b in blocks {
        match b {
            Block::Callout { kind, title, blocks } => {
                if title.is_empty() {
                    let word = match kind {
                        CalloutKind::Note => &labels.note,
                        CalloutKind::Tip => &labels.tip,
                        CalloutKind::Warning => &labels.warning,
                        CalloutKind::Important => &labels.important,
                        CalloutKind::Caution => &labels.caution,
                    };
                    title.push(Inline::Text { text: word.clone(), pos: Pos::default() });
                }
                name_callouts(blocks, labels);
            }
            Block::Quote(b) | Block::Html { content: b, .. } | Block::Details { blocks: b, .. } => {
                name_callouts(b, labels)
            }
            Block::List { items, .. } => items.iter_mut().for_each(|i| name_callouts(i, labels)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callouts_are_named_in_the_text_language() {
        let mut d =
            crate::input::markdown::parse("::: {.callout-tip}\nTexte.\n:::\n\n> [!WARNING]\n> Prudence.\n", 1).document;
        let mut diags = Vec::new();
        settle(&mut d, &Labels::for_lang("fr"), Path::new("a.md"), &mut diags);
        let titles: Vec<String> = d
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Callout { title, .. } => Some(crate::model::document::plain_text(title)),
                _ => None,
            })
            .collect();
        assert_eq!(titles, vec!["Astuce", "Avertissement"]);
        assert!(diags.is_empty());
    }
}
