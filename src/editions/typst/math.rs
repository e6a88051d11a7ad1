//! MathML to typst math, so that the PDF sets the formula the site and the
//! EPUB show.
//!
//! The MathML comes from `input::math` (math-core), never from an author, but
//! every token in it is still author text: each character that is not a
//! letter or a digit is escaped with a backslash, multi-letter words go into
//! string literals, and structure is written only as typst's math functions
//! (`frac`, `attach`, `sqrt`, `mat`…). Nothing of the formula can become
//! typst code.

use std::fmt::Write as _;

use roxmltree::Node;

use super::escape::string_literal;

/// Deepest MathML nesting followed (math-core's own output stays far below).
const MAX_DEPTH: usize = 128;

/// `mathml` (one `<math>` element) as the inside of typst's `$…$`, or
/// `None` when it cannot be read.
pub fn from_mathml(mathml: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(mathml).ok()?;
    let mut out = String::new();
    children(doc.root_element(), &mut out, 0);
    Some(out)
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

fn children(node: Node, out: &mut String, depth: usize) {
    for c in elements(node) {
        element(c, out, depth + 1);
        out.push(' ');
    }
}

/// An argument of a math function: never empty, since `frac(, b)` is no call.
fn arg(node: Option<Node>, out: &mut String, depth: usize) {
    let start = out.len();
    if let Some(n) = node {
        element(n, out, depth + 1);
    }
    if out[start..].trim().is_empty() {
        out.truncate(start);
        out.push_str("\"\"");
    }
}

/// A token's text: letters and digits as they are (spaced, so that two
/// letters are two symbols and no identifier), anything else escaped.
fn token(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
        out.push(' ');
    }
}

fn element(node: Node, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let kids: Vec<Node> = elements(node).collect();
    let text = node.text().unwrap_or("").trim();
    match node.tag_name().name() {
        "mi" => {
            let variant = node.attribute("mathvariant");
            if text.chars().count() > 1 {
                let _ = write!(out, "op({})", string_literal(text));
            } else if variant == Some("normal") {
                out.push_str("upright(");
                token(text, out);
                out.push(')');
            } else if variant == Some("bold") {
                out.push_str("bold(");
                token(text, out);
                out.push(')');
            } else {
                token(text, out);
            }
        }
        // A whole number stays one (`280`, not `2 8 0`).
        "mn" if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) => {
            out.push_str(text);
            out.push(' ');
        }
        "mn" => token(text, out),
        "mo" => {
            if text.chars().count() > 1 && text.chars().all(char::is_alphabetic) {
                let limits = node.attribute("movablelimits") == Some("true");
                let _ = write!(out, "op({}, limits: #{limits})", string_literal(text));
            } else {
                token(text, out);
            }
        }
        "mtext" | "ms" => {
            if !text.is_empty() {
                let _ = write!(out, "upright({})", string_literal(text));
            }
        }
        "mspace" => {
            let width = node.attribute("width").unwrap_or("");
            let em = width.strip_suffix("em").filter(|n| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.') && n.matches('.').count() <= 1
            });
            if let Some(n) = em {
                let _ = write!(out, "#h({n}em)");
            }
        }
        "mfrac" => {
            let bar = node.attribute("linethickness").is_none_or(|t| {
                t.trim().trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse::<f64>().is_ok_and(|v| v != 0.0)
            });
            if bar {
                out.push_str("frac(");
                arg(kids.first().copied(), out, depth);
                out.push_str(", ");
                arg(kids.get(1).copied(), out, depth);
                out.push(')');
            } else {
                // No bar (a binomial's inside): the two parts stacked.
                out.push_str("mat(delim: #none, ");
                arg(kids.first().copied(), out, depth);
                out.push_str("; ");
                arg(kids.get(1).copied(), out, depth);
                out.push(')');
            }
        }
        "msqrt" => {
            out.push_str("sqrt(");
            let start = out.len();
            children(node, out, depth);
            if out[start..].trim().is_empty() {
                out.push_str("\"\"");
            }
            out.push(')');
        }
        "mroot" => {
            out.push_str("root(");
            arg(kids.get(1).copied(), out, depth);
            out.push_str(", ");
            arg(kids.first().copied(), out, depth);
            out.push(')');
        }
        name @ ("msub" | "msup" | "msubsup" | "munder" | "mover" | "munderover") => {
            let (base, rest) = match kids.split_first() {
                Some((b, r)) => (Some(*b), r),
                None => (None, &[][..]),
            };
            let accent = node.attribute("accent") == Some("true") || node.attribute("accentunder") == Some("true");
            if name == "mover" && accent && rest.len() == 1 && rest[0].tag_name().name() == "mo" {
                out.push_str("accent(");
                arg(base, out, depth);
                out.push_str(", ");
                let mark: String = rest[0].text().unwrap_or("").trim().chars().take(1).collect();
                out.push_str(&string_literal(if mark.is_empty() { "^" } else { &mark }));
                out.push(')');
                return;
            }
            // Under and over a large operator (∑, lim), typst places the
            // limits as TeX does: below and above in display, beside in the
            // line. Under anything else, they are always below and above.
            let operator = base.is_some_and(|b| b.tag_name().name() == "mo");
            let under = (name.starts_with("mu") || name == "mover") && !operator;
            out.push_str("attach(");
            if under {
                out.push_str("limits(");
                arg(base, out, depth);
                out.push(')');
            } else {
                arg(base, out, depth);
            }
            let (bottom, top) = match name {
                "msub" | "munder" => (rest.first(), None),
                "msup" | "mover" => (None, rest.first()),
                _ => (rest.first(), rest.get(1)),
            };
            if let Some(b) = bottom {
                out.push_str(", b: ");
                arg(Some(*b), out, depth);
            }
            if let Some(t) = top {
                out.push_str(", t: ");
                arg(Some(*t), out, depth);
            }
            out.push(')');
        }
        "mtable" => {
            out.push_str("mat(delim: #none");
            for (r, row) in kids.iter().filter(|k| k.tag_name().name() == "mtr").enumerate() {
                out.push_str(if r == 0 { ", " } else { "; " });
                for (c, cell) in elements(*row).enumerate() {
                    if c > 0 {
                        out.push_str(", ");
                    }
                    let start = out.len();
                    children(cell, out, depth + 1);
                    if out[start..].trim().is_empty() {
                        out.push_str("\"\"");
                    }
                }
            }
            out.push(')');
        }
        "mphantom" => {
            out.push_str("#hide($");
            children(node, out, depth);
            out.push_str("$)");
        }
        // `\left( … \right)`: fences that grow with what they hold.
        "mrow" if is_fenced(&kids) => {
            out.push_str("lr(");
            children(node, out, depth);
            out.push(')');
        }
        "annotation" | "annotation-xml" => {}
        "semantics" => {
            if let Some(first) = kids.first() {
                element(*first, out, depth + 1);
            }
        }
        // mrow, mstyle, mpadded, menclose, merror and the rest: their content.
        _ => children(node, out, depth),
    }
}

/// Whether a row starts and ends with stretchy fences.
fn is_fenced(kids: &[Node]) -> bool {
    let fence = |n: Option<&Node>| {
        n.is_some_and(|n| {
            n.tag_name().name() == "mo"
                && n.attribute("stretchy") != Some("false")
                && n.attribute("fence") == Some("true")
        })
    };
    kids.len() >= 2 && fence(kids.first()) && fence(kids.last())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typst(tex: &str) -> String {
        from_mathml(&crate::input::math::to_mathml(tex, false).unwrap()).unwrap()
    }

    fn compiles(tex: &str) {
        let body = typst(tex);
        let source = format!("$ {body} $");
        let fonts = std::sync::Arc::new(crate::fonts::Fonts::new(Vec::new()));
        let mut world = super::super::world::BookWorld::new(fonts, "/main.typ", None);
        world.add_source("/main.typ", source.clone());
        let result = typst::compile::<typst_layout::PagedDocument>(&world);
        assert!(result.output.is_ok(), "{tex} -> {source}: {:?}", result.output.err());
    }

    #[test]
    fn structure_becomes_math_functions() {
        let t = typst(r"\frac{a}{b}");
        assert!(t.contains("frac(a"), "{t}");
        let t = typst(r"x_1^2");
        assert!(t.contains("attach(x"), "{t}");
        let t = typst(r"\sqrt[3]{x}");
        assert!(t.contains("root(3"), "{t}");
    }

    #[test]
    fn limits_of_operators_are_left_to_typst() {
        let t = typst(r"\sum_{j=1}^{n} D_j");
        assert!(t.starts_with("attach(\\∑"), "{t}");
        let t = typst(r"\underbrace{x + y}_{two}");
        assert!(t.contains("limits("), "{t}");
    }

    #[test]
    fn every_token_is_escaped() {
        // Typst syntax written as math stays text.
        let t = typst(r"a \# b , c ; \$ d");
        assert!(!t.contains(" # ") && t.contains("\\#") && t.contains("\\,") && t.contains("\\;"), "{t}");
    }

    #[test]
    fn real_formulas_compile() {
        for tex in [
            r"R = B * \frac{nom}{den}",
            r"k * \frac{D_i}{\sqrt{\sum_{j=1}^{n} D_j}}",
            r"\left( \frac{a}{b} \right)^2 + \binom{n}{k}",
            r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
            r"\hat{x} + \bar{y} + \vec{v} \cdot \overline{AB}",
            r"\lim_{n \to \infty} \sum_{i=0}^{n} \frac{1}{2^i} = 2",
            r"\int_0^1 f(x)\,dx \leq \max(a, b)",
            r"\text{if } x > 0, \quad \alpha \ne \beta",
            r"H'(K) \in \mathbb{R}, \{ x \mid x < 0 \}",
            r"\#\$\%\&\_ \{ \}",
        ] {
            compiles(tex);
        }
    }
}
