//! pandoc's attributes, `{#id .class key=value key="a value"}`, read in one
//! place for the bracketed spans and the fenced divs.

use crate::model::document::{Inline, Shown};

/// Attributes as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    /// `#id`.
    pub id: Option<String>,
    /// `.class`, in order.
    pub classes: Vec<String>,
    /// `key=value`, in order, the value without its quotes.
    pub pairs: Vec<(String, String)>,
}

impl Attributes {
    /// The value of `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether `.class` is given.
    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }

    /// Where what they are on is shown, when they make it Quarto's
    /// conditional content (`.content-visible` or `.content-hidden`, with
    /// `when-format`, `unless-format`): the conditions all hold where it is
    /// visible. A condition on metadata or a profile (`when-meta`,
    /// `when-profile`) holds nowhere, as in a Quarto book that sets neither.
    pub fn shown(&self) -> Option<Shown> {
        let visible = self.has_class("content-visible");
        if !visible && !self.has_class("content-hidden") {
            return None;
        }
        let holds = self.pairs.iter().fold(Shown::ALL, |holds, (key, value)| {
            holds.and(match key.as_str() {
                "when-format" => Shown::of_formats(value),
                "unless-format" => Shown::of_formats(value).elsewhere(),
                "when-meta" | "when-profile" => Shown::NONE,
                _ => Shown::ALL,
            })
        });
        Some(if visible { holds } else { holds.elsewhere() })
    }
}

/// An image's title: as written, or, when `fig-alt` describes it, the text
/// between its brackets, its caption as pandoc sets it. A caption is plain
/// text here, so one with markup (a citation, code) is left to a figure div.
pub(super) fn image_title(written: &[Inline], title: &str, described: bool) -> String {
    let plain = written.iter().all(|i| match i {
        Inline::Text { text, .. } => !text.contains('@'),
        Inline::SoftBreak => true,
        _ => false,
    });
    match described && title.is_empty() && plain {
        true => crate::model::document::plain_text(written),
        false => title.to_string(),
    }
}

/// The attributes between `{` and `}` at the start of `text` and the bytes
/// they take, braces included; `None` when what follows is not attributes
/// as pandoc reads them (`{not this}`, an unclosed brace, an empty id).
pub fn leading(text: &str) -> Option<(Attributes, usize)> {
    let inner = text.strip_prefix('{')?;
    let mut attrs = Attributes::default();
    let mut rest = inner;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('}') {
            return Some((attrs, text.len() - after.len()));
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '}' || c == '=').unwrap_or(rest.len());
        let (token, after) = rest.split_at(end);
        if let Some(id) = token.strip_prefix('#') {
            if id.is_empty() || attrs.id.is_some() {
                return None;
            }
            attrs.id = Some(id.to_string());
            rest = after;
        } else if let Some(class) = token.strip_prefix('.') {
            if class.is_empty() {
                return None;
            }
            attrs.classes.push(class.to_string());
            rest = after;
        } else if token == "-" {
            attrs.classes.push("unnumbered".to_string());
            rest = after;
        } else if let Some(value) = after.strip_prefix('=') {
            if token.is_empty() || !token.chars().all(|c| c.is_alphanumeric() || "-_:".contains(c)) {
                return None;
            }
            let (v, after) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &value[1..];
                    let close = body.find(q)?;
                    (&body[..close], &body[close + 1..])
                }
                _ => {
                    let end = value.find(|c: char| c.is_whitespace() || c == '}').unwrap_or(value.len());
                    value.split_at(end)
                }
            };
            attrs.pairs.push((token.to_string(), v.to_string()));
            rest = after;
        } else {
            return None;
        }
    }
}

/// pandoc's `width=50%` on an image: the share of the text's width, from
/// 1 to 100.
fn width_share(value: &str) -> Option<u8> {
    let n: u8 = value.trim_matches('"').strip_suffix('%')?.trim().parse().ok()?;
    (1..=100).contains(&n).then_some(n)
}

/// What an image's attributes (`key=value` pairs, as comrak or
/// [`leading`] read them) say of it: the share of the text's width it
/// takes (`width=50%`), and Quarto's description of it (`fig-alt`), which
/// stands for its alternative text when that is a caption.
pub fn of_image<'p>(mut pairs: impl Iterator<Item = (&'p str, &'p str)>) -> (Option<u8>, Option<String>) {
    let (mut width, mut described) = (None, None);
    for (k, v) in pairs.by_ref() {
        match k {
            "width" => width = width_share(v).or(width),
            "fig-alt" => described = Some(v.trim_matches('"').to_string()),
            _ => {}
        }
    }
    (width, described)
}

/// `list` with the attributes comrak leaves as text after an image read
/// onto it: comrak takes only double quotes (`{#fig-x width="50%"}`), pandoc
/// single ones too (`{#fig-x fig-alt='A map.'}`). The id is pushed on
/// `ids` at the image's position. `literal[i]` says `list[i]` was written
/// escaped, which is never attributes.
pub(super) fn after_images(
    mut list: Vec<crate::model::document::Inline>,
    literal: &[bool],
    ids: &mut Vec<(crate::model::document::Pos, String)>,
) -> Vec<crate::model::document::Inline> {
    use crate::model::document::Inline;
    for i in 1..list.len() {
        if literal.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Inline::Text { text, .. } = &list[i] else { continue };
        if !text.starts_with('{') {
            continue;
        }
        let Some((attrs, used)) = leading(text) else { continue };
        let Inline::Image { pos, width, alt, .. } = &mut list[i - 1] else { continue };
        let (share, described) = of_image(attrs.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        *width = share.or(*width);
        if let Some(d) = described {
            *alt = d;
        }
        if let Some(id) = &attrs.id {
            ids.push((*pos, id.clone()));
        }
        if let Inline::Text { text, .. } = &mut list[i] {
            text.replace_range(..used, "");
        }
    }
    list.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_classes_and_pairs() {
        let (a, n) = leading("{#here .smallcaps lang=fr title=\"A title\" k='v'} after").unwrap();
        assert_eq!(n, "{#here .smallcaps lang=fr title=\"A title\" k='v'}".len());
        assert_eq!(a.id.as_deref(), Some("here"));
        assert_eq!(a.classes, ["smallcaps"]);
        assert_eq!(a.get("lang"), Some("fr"));
        assert_eq!(a.get("title"), Some("A title"));
        assert_eq!(a.get("k"), Some("v"));
        assert!(a.has_class("smallcaps"));
        assert_eq!(leading("{-}").unwrap().0.classes, ["unnumbered"]);
        assert_eq!(leading("{}").unwrap().1, 2);
    }

    #[test]
    fn attributes_in_single_quotes_after_an_image() {
        let doc = super::super::parse(
            "![A map.](m.png){#fig-map fig-alt='The map.' width='50%'} and more\n\nSee @fig-map.\n",
            1,
        )
        .document;
        assert_eq!(doc.ids.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>(), ["fig-map"]);
        let crate::model::document::Block::Paragraph(first) = &doc.blocks[0] else { panic!("{:#?}", doc.blocks) };
        assert!(
            matches!(first.first(), Some(crate::model::document::Inline::Image { width: Some(50), .. })),
            "{first:#?}"
        );
        assert_eq!(crate::model::document::plain_text(first), "The map. and more", "`fig-alt` describes it");
    }

    #[test]
    fn what_is_not_attributes() {
        for text in ["{not this}", "{.a", "{#}", "{#a #b}", "{=x}", "{k=\"open}", "plain", "{.}"] {
            assert!(leading(text).is_none(), "{text}");
        }
    }
}
