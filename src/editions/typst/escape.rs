//! Escaping for typst: text as literal markup, strings as string literals.
//! The one place where what an author wrote is made safe for typst; the
//! markup writer, the math writer and the cover use it, and none of them
//! escapes on its own.

use std::fmt::Write as _;

/// Characters that mean something in typst markup.
const SPECIAL: &[char] =
    &['\\', '/', '[', ']', '~', '-', '.', '\'', '"', '*', '_', ':', '`', '$', '<', '>', '@', '#', '=', '+'];

/// Appends `text` to `out` as literal typst markup.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// `text` as literal typst markup.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    escape_into(text, &mut s);
    s
}

/// `s` as a typst string literal, quotes included.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
