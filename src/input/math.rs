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
    // A label names the equation for cross-references (which number it);
    // the formula itself does not show it.
    let unlabelled;
    let tex = if tex.contains("\\label{") {
        unlabelled = crate::input::crossref::take_labels(tex).0;
        unlabelled.as_str()
    } else {
        tex
    };
    let tex = plain_rows(tex);
    let tex = tex.as_ref();
    // math-core panics on a few formulas (a `\displaystyle` in a matrix's
    // cell, in 0.7): that formula is refused, like one it cannot read.
    let converted = crate::doing::contained(|| CONVERTER.convert_with_local_state(tex, mode)).map_err(|fault| {
        MathError { offset: 0, message: format!("the converter failed on this formula ({fault}); rewrite it") }
    })?;
    converted
        .map(|r| conform(&r.mathml))
        .map_err(|e| MathError { offset: e.0.start.min(tex.len()), message: e.error_message() })
}

/// `tex` in the LaTeX math-core reads: plain TeX's row end `\cr` (in
/// matrices and arrays, as many lecture notes write them) as `\\`,
/// `\mbox{…}` as `\text{…}`, amsmath's `split` as `aligned`, the wide
/// accents `\widetilde` and `\widehat` as `\tilde` and `\hat`, the
/// logos `\LaTeX` and `\TeX` as their names.
fn plain_rows(tex: &str) -> std::borrow::Cow<'_, str> {
    if !tex.contains("\\cr")
        && !tex.contains("\\mbox")
        && !tex.contains("{split}")
        && !tex.contains("\\wide")
        && !tex.contains("TeX")
    {
        return std::borrow::Cow::Borrowed(tex);
    }
    let mut out = String::with_capacity(tex.len());
    let mut rest = tex;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('\\') {
            out.push_str("\\\\");
            rest = r;
        } else if let Some(r) = after.strip_prefix("cr").filter(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic())) {
            out.push_str("\\\\");
            rest = r;
        } else if let Some(r) = after
            .strip_prefix("LaTeX")
            .or_else(|| after.strip_prefix("TeX"))
            .filter(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            // The logos, as their names.
            out.push_str(if after.starts_with("LaTeX") { "\\text{LaTeX}" } else { "\\text{TeX}" });
            rest = r;
        } else if let Some(r) = after.strip_prefix("widetilde").or_else(|| after.strip_prefix("widehat")) {
            // The wide accents, as their narrow forms.
            out.push_str(if after.starts_with("widetilde") { "\\tilde" } else { "\\hat" });
            rest = r;
        } else if let Some(r) = after.strip_prefix("mbox").filter(|r| r.trim_start().starts_with('{')) {
            // LaTeX's `\mbox{…}` is text, as `\text{…}` is.
            out.push_str("\\text");
            rest = r;
        } else if let Some(r) = after.strip_prefix("begin{split}").or_else(|| after.strip_prefix("end{split}")) {
            // amsmath's `split` lines up as `aligned` does.
            out.push_str(if after.starts_with("begin") { "\\begin{aligned}" } else { "\\end{aligned}" });
            rest = r;
        } else {
            out.push('\\');
            rest = after;
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// MathML as MathML 3 allows it, which EPUBCheck and the Nu checker read:
/// math-core writes `displaystyle` and `scriptlevel` (MathML Core's global
/// attributes) on `mrow` and `mtable` (`\displaystyle`, a matrix), where
/// MathML 3 has them on `mstyle` only. Such an `mrow` becomes an `mstyle`
/// with the same attributes; such an `mtable` gets its `scriptlevel` from
/// an `mstyle` around it. What the formula means is the same.
fn conform(mathml: &str) -> String {
    if !mathml.contains("scriptlevel=") && !mathml.contains("displaystyle=") && !mathml.contains("<span") {
        return mathml.to_string();
    }
    let mut out = String::with_capacity(mathml.len() + 32);
    // For each open element: what its end tag is written as (`None`: as it is).
    let mut open: Vec<Option<String>> = Vec::new();
    let mut rest = mathml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt..lt + gt + 1];
        rest = &rest[lt + gt + 1..];
        if tag.starts_with("</") {
            match open.pop() {
                Some(Some(close)) => out.push_str(&close),
                _ => out.push_str(tag),
            }
            continue;
        }
        let name_end = tag[1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(tag.len(), |i| i + 1);
        let name = &tag[1..name_end];
        let closing_itself = tag.ends_with("/>");
        let styled = tag.contains(" displaystyle=") || tag.contains(" scriptlevel=");
        match name {
            // An HTML span in a token (math-core's font class in `\text`):
            // MathML 3 holds text only there; the text stays.
            "span" => {
                if !closing_itself {
                    open.push(Some(String::new()));
                }
            }
            "mrow" if styled => {
                out.push_str("<mstyle");
                out.push_str(&tag[name_end..]);
                if !closing_itself {
                    open.push(Some("</mstyle>".into()));
                }
            }
            "math" | "mstyle" => {
                out.push_str(tag);
                if !closing_itself {
                    open.push(None);
                }
            }
            // MathML 3 has `displaystyle` on mtable, not `scriptlevel`.
            _ if styled && (name != "mtable" || tag.contains(" scriptlevel=")) => {
                // The style goes to an mstyle around the element.
                let (level, kept) = take_attribute(tag, "scriptlevel");
                let (display, kept) =
                    if name == "mtable" { (String::new(), kept) } else { take_attribute(&kept, "displaystyle") };
                let attrs: Vec<&str> =
                    [level.as_str(), display.as_str()].into_iter().filter(|a| !a.is_empty()).collect();
                out.push_str(&format!("<mstyle {}>", attrs.join(" ")));
                out.push_str(&kept);
                if closing_itself {
                    out.push_str("</mstyle>");
                } else {
                    open.push(Some(format!("</{name}></mstyle>")));
                }
            }
            _ => {
                out.push_str(tag);
                if !closing_itself && !tag.starts_with("<?") && !tag.starts_with("<!") {
                    open.push(None);
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name="value"` out of `tag`, and the tag without it.
fn take_attribute(tag: &str, name: &str) -> (String, String) {
    let key = format!(" {name}=\"");
    let Some(start) = tag.find(&key) else { return (String::new(), tag.to_string()) };
    let value_end = tag[start + key.len()..].find('"').map_or(tag.len(), |e| start + key.len() + e + 1);
    (tag[start + 1..value_end].to_string(), format!("{}{}", &tag[..start], &tag[value_end..]))
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
    fn a_styled_fraction_and_a_span_in_text_are_mathml_3() {
        let got = conform(
            "<math><mfrac displaystyle=\"true\"><mn>1</mn><mn>2</mn></mfrac><mtext><span class=\"math-core-serif-font\">for all</span></mtext></math>",
        );
        assert_eq!(
            got,
            "<math><mstyle displaystyle=\"true\"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle><mtext>for all</mtext></math>"
        );
        for tex in ["\\dfrac{1}{2}", "\\text{\\textrm{for all }} t"] {
            let m = to_mathml(tex, true).unwrap();
            assert!(!m.contains("<mfrac displaystyle") && !m.contains("<span"), "{m}");
        }
    }

    #[test]
    fn plain_tex_row_ends_are_read() {
        assert_eq!(plain_rows("\\begin{bmatrix} 1 \\cr 2 \\end{bmatrix}"), "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}");
        assert_eq!(plain_rows("a \\\\cr \\cref{x} \\crcr"), "a \\\\cr \\cref{x} \\crcr");
        assert!(to_mathml("\\begin{bmatrix} 1 & 0 \\cr 0 & 1 \\end{bmatrix}", true).is_ok());
        assert!(
            to_mathml("\\max \\ \\mbox{subject to } x \\begin{split} a &= b \\\\ c &= d \\end{split}", true).is_ok()
        );
    }

    #[test]
    fn displaystyle_and_scriptlevel_only_where_mathml_3_has_them() {
        for tex in
            ["\\displaystyle \\sum_{i=1}^n x_i", "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\frac{a}{b}"]
        {
            for display in [false, true] {
                let m = to_mathml(tex, display).unwrap();
                for (element, attr) in [("mrow", "displaystyle"), ("mrow", "scriptlevel"), ("mtable", "scriptlevel")] {
                    let bad = m.match_indices(&format!("<{element} ")).any(|(i, _)| {
                        let tag = &m[i..i + m[i..].find('>').unwrap()];
                        tag.contains(&format!(" {attr}="))
                    });
                    assert!(!bad, "{attr} on {element} in {m}");
                }
                assert_eq!(m.matches("<mstyle").count(), m.matches("</mstyle>").count(), "{m}");
                assert!(roxmltree::Document::parse(&m).is_ok(), "{m}");
            }
        }
        assert_eq!(
            conform(
                "<math><mrow displaystyle=\"true\" scriptlevel=\"0\"><mi>x</mi><mrow><mn>1</mn></mrow></mrow><mtable displaystyle=\"false\" scriptlevel=\"0\"><mtr><mtd><mn>1</mn></mtd></mtr></mtable></math>"
            ),
            "<math><mstyle displaystyle=\"true\" scriptlevel=\"0\"><mi>x</mi><mrow><mn>1</mn></mrow></mstyle><mstyle scriptlevel=\"0\"><mtable displaystyle=\"false\"><mtr><mtd><mn>1</mn></mtd></mtr></mtable></mstyle></math>"
        );
    }

    #[test]
    fn a_formula_the_converter_fails_on_is_refused_not_a_crash() {
        let e = to_mathml("\\begin{bmatrix}\\displaystyle x\\\\ x\\end{bmatrix}", false).unwrap_err();
        assert!(e.message.starts_with("the converter failed on this formula"), "{}", e.message);
    }

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
