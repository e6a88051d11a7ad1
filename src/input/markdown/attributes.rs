//! pandoc's attributes, `{#id .class key=value key="a value"}`, read in one
//! place for the bracketed spans and the fenced divs.

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
    fn what_is_not_attributes() {
        for text in ["{not this}", "{.a", "{#}", "{#a #b}", "{=x}", "{k=\"open}", "plain", "{.}"] {
            assert!(leading(text).is_none(), "{text}");
        }
    }
}
