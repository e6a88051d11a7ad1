//! Reading TOML written by people: `book.toml` and essays' front matter.
//!
//! serde's `deny_unknown_fields` stops at the first unknown key, and typos in
//! front matter must never pass silently. So a document is read twice: first
//! as a spanned table, walked against the expected keys of each table so that
//! *every* unknown key is reported at its own line with a "did you mean" hint;
//! then into the typed (raw) structs, which report type errors with their span.
//! The expected keys come from the serde derive itself ([`field_names`]), so
//! the list in a message can never drift from the struct.

use std::ops::Range;

use serde::de::{self, DeserializeOwned, Visitor};
use toml::de::{DeTable, DeValue};

/// A problem found in a TOML document, with a byte span in that document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlProblem {
    /// Not TOML at all.
    Syntax {
        /// The parser's message.
        message: String,
        /// Where.
        span: Range<usize>,
    },
    /// A key the struct does not have.
    UnknownKey {
        /// The key as written, with its table path (`authors.nmae`).
        key: String,
        /// The keys that are allowed in that table.
        expected: &'static [&'static str],
        /// A near miss among them.
        suggestion: Option<&'static str>,
        /// The key's span.
        span: Range<usize>,
    },
    /// A value of the wrong type.
    Invalid {
        /// The deserializer's message.
        message: String,
        /// Where.
        span: Range<usize>,
    },
}

/// A value written either as one string or as a list of strings
/// (`references = "a.bib"` or `references = ["a.bib", "b.yaml"]`).
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One string.
    One(String),
    /// A list.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The strings, in order.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A table-shaped config struct whose nested tables are checked for unknown keys too.
pub trait Schema: DeserializeOwned {
    /// For a key holding a table (or an array of tables), the walker of that table.
    fn nested(_key: &str) -> Option<Walker> {
        None
    }
}

/// Walks a table and records its unknown keys.
pub type Walker = fn(&DeTable<'_>, &str, &mut Vec<TomlProblem>);

/// Parses `text` into `T`, collecting every unknown key and the first type error.
/// Returns the value when the document could be deserialized at all.
pub fn parse<T: Schema>(text: &str) -> (Option<T>, Vec<TomlProblem>) {
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            return (None, vec![TomlProblem::Syntax { message: e.message().to_string(), span }]);
        }
    };
    let mut problems = Vec::new();
    walk::<T>(table.get_ref(), "", &mut problems);
    problems.sort_by_key(|p| match p {
        TomlProblem::UnknownKey { span, .. } => span.start,
        _ => 0,
    });
    match T::deserialize(toml::de::Deserializer::from(table)) {
        Ok(v) => (Some(v), problems),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            problems.push(TomlProblem::Invalid { message: e.message().to_string(), span });
            (None, problems)
        }
    }
}

/// Records every key of `table` that is not one of `expected` (a table whose
/// keys are values, such as `[labels]`).
pub fn check_keys(table: &DeTable<'_>, prefix: &str, expected: &'static [&'static str], out: &mut Vec<TomlProblem>) {
    for (key, _) in table {
        let name: &str = key.get_ref();
        if !expected.contains(&name) {
            out.push(TomlProblem::UnknownKey {
                key: format!("{prefix}.{name}"),
                expected,
                suggestion: suggest(name, expected),
                span: key.span(),
            });
        }
    }
}

/// Records every key of `table` that `T` does not have, recursing into nested tables.
pub fn walk<T: Schema>(table: &DeTable<'_>, prefix: &str, out: &mut Vec<TomlProblem>) {
    let expected = field_names::<T>();
    for (key, value) in table {
        let name: &str = key.get_ref();
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        if !expected.contains(&name) {
            out.push(TomlProblem::UnknownKey {
                key: path,
                expected,
                suggestion: suggest(name, expected),
                span: key.span(),
            });
            continue;
        }
        if let Some(walker) = T::nested(name) {
            match value.get_ref() {
                DeValue::Table(t) => walker(t, &path, out),
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let DeValue::Table(t) = item.get_ref() {
                            walker(t, &path, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min()
        .map(|(_, c)| c)
}

/// The field names of a struct deriving `Deserialize`, as serde knows them.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields = None;
    // The probe fails on purpose once it has seen the field list.
    let _ = T::deserialize(FieldProbe(&mut fields));
    fields.unwrap_or(&[])
}

struct FieldProbe<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> de::Deserializer<'de> for FieldProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// `a`, `b` or `c`: a readable list of keys for messages.
pub fn key_list(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        name: Option<String>,
        url: Option<String>,
    }
    impl Schema for Inner {}

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        title: Option<String>,
        weight: Option<i64>,
        authors: Option<Vec<Inner>>,
    }
    impl Schema for Outer {
        fn nested(key: &str) -> Option<Walker> {
            (key == "authors").then_some(walk::<Inner> as Walker)
        }
    }

    #[test]
    fn field_names_come_from_serde() {
        assert_eq!(field_names::<Inner>(), &["name", "url"]);
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_span() {
        let text = "titel = \"x\"\nwieght = 3\n[[authors]]\nnmae = \"A\"\n";
        let (value, problems) = parse::<Outer>(text);
        assert!(value.is_some());
        let keys: Vec<_> = problems
            .iter()
            .map(|p| match p {
                TomlProblem::UnknownKey { key, suggestion, span, .. } => {
                    (key.as_str(), *suggestion, &text[span.clone()])
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                ("titel", Some("title"), "titel"),
                ("wieght", Some("weight"), "wieght"),
                ("authors.nmae", Some("name"), "nmae"),
            ]
        );
    }

    #[test]
    fn type_errors_have_a_span() {
        let text = "title = 3\n";
        let (value, problems) = parse::<Outer>(text);
        assert!(value.is_none());
        match &problems[..] {
            [TomlProblem::Invalid { message, span }] => {
                assert!(message.contains("string"), "{message}");
                assert_eq!(&text[span.clone()], "3");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_have_a_span() {
        let (_, problems) = parse::<Outer>("title = \n");
        assert!(matches!(&problems[..], [TomlProblem::Syntax { .. }]));
    }

    #[test]
    fn suggestions_are_for_near_misses_only() {
        assert_eq!(suggest("titel", &["title", "subtitle"]), Some("title"));
        assert_eq!(suggest("colour", &["title", "subtitle"]), None);
    }
}
