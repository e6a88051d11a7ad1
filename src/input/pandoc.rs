//! What pandoc's and Quarto's Markdown means beyond CommonMark, settled
//! once at load in the text's language: figures numbered and
//! cross-references resolved ([`crate::input::crossref`]), callouts without
//! a title given their kind's name.

use crate::input::crossref;
use crate::lang::labels::Labels;
use crate::model::document::{Block, CalloutKind, Document, Inline, Pos};

/// Settles `body` in the words of `labels`: its figures numbered, its
/// cross-references resolved within it (those that name another text are
/// kept for [`crossref::across`]), its callouts titled.
pub fn settle(body: &mut Document, labels: &Labels) {
    crossref::resolve(body, labels);
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
                        CalloutKind::Abstract => &labels.r#abstract,
                    };
                    title.push(Inline::Text { text: word.clone(), pos: Pos::default() });
                }
                name_callouts(blocks, labels);
            }
            Block::Quote(b)
            | Block::Html { content: b, .. }
            | Block::Details { blocks: b, .. }
            | Block::Term { blocks: b, .. }
            | Block::Float { blocks: b, .. }
            | Block::Only { blocks: b, .. } => name_callouts(b, labels),
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
        settle(&mut d, &Labels::for_lang("fr"));
        let titles: Vec<String> = d
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Callout { title, .. } => Some(crate::model::document::plain_text(title)),
                _ => None,
            })
            .collect();
        assert_eq!(titles, vec!["Astuce", "Avertissement"]);
    }
}
