//! LaTeX math to MathML: the one place that knows math-core.
//!
//! Essays write math as LaTeX (`$…$`, `$$…$$`, fenced `math` blocks). The
//! site and the EPUB carry it as MathML Core, which browsers and EPUB 3
//! reading systems render; the PDF's typst math is made from the same MathML
//! (`editions::typst::math`), so the three editions read one parse and agree.
//! Each formula is converted once, when its essay is parsed, and the model
//! keeps the result; `check` reports LaTeX this converter refuses at its
//! line, so no edition ever prints math it could not read.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

pub use crate::model::document::MathError;

/// Most bytes of LaTeX in one formula: past this, a formula is refused (a
/// bound on what one essay can cost the converter and typst).
pub const MAX_FORMULA: usize = 4_000;

static CONVERTER: LazyLock<LatexToMathML> = LazyLock::new(|| {
    let config = MathCoreConfig { xml_namespace: true, ..Default::default() };
    LatexToMathML::new(config).expect("the default configuration has no macros to refuse")
});

/// `tex` as a MathML `<math>` element (with its namespace, so it is valid
/// XHTML too), set apart when `display`.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, MathError> {
    if tex.len() > MAX_FORMULA {
        return Err(MathError {
            offset: 0,
            message: format!("a formula of {} bytes; the limit is {MAX_FORMULA}", tex.len()),
        });
    }
    let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
    CONVERTER
        .convert_with_local_state(tex, mode)
        .map(|r| r.mathml)
        .map_err(|e| MathError { offset: e.0.start.min(tex.len()), message: e.error_message() })
}

/// The characters a formula prints: the text of its MathML, for the
/// glyph-coverage check.
pub fn printed_text(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len() / 4);
    let mut in_tag = false;
    for c in mathml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml_and_errors_say_where() {
        let m = to_mathml(r"\frac{a}{\sqrt{b}} + \alpha_1^2", false).unwrap();
        assert!(m.starts_with("<math xmlns=\"http://www.w3.org/1998/Math/MathML\""), "{m}");
        assert!(m.contains("<mfrac>") && m.contains("<msqrt>") && m.contains('α'), "{m}");
        assert!(to_mathml("x", true).unwrap().contains("display=\"block\""));
        let e = to_mathml(r"a + \frac{b", false).unwrap_err();
        assert!(!e.message.is_empty());
        let e = to_mathml(r"a + \nosuchcommand b", false).unwrap_err();
        assert_eq!(e.offset, 4, "{e:?}");
        assert!(to_mathml(&"x".repeat(MAX_FORMULA + 1), false).is_err());
        assert_eq!(printed_text(&to_mathml(r"\alpha + \infty", false).unwrap()), "α+∞");
    }
}
