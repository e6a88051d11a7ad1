//! What reaches the EPUB and the site as a formula is MathML that
//! EPUBCheck and the Nu checker accept (MathML 3's presentation markup),
//! whatever the LaTeX: for formulas generated from the constructs authors
//! write, and for every formula of the repository's books and fixtures.
//!
//! The check is MathML 3's schema as those validators read it, for the
//! elements and attributes math-core writes: an element MathML 3 does not
//! have, or an attribute an element does not take, is a failure (math-core
//! writes MathML Core, whose `scriptlevel` and `displaystyle` are global;
//! a matrix's `scriptlevel` on `mtable` once gave EPUBCheck 3 errors).

use std::path::Path;

use proptest::prelude::*;

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;
use common::repo;

/// Attributes any presentation element takes.
const COMMON: &[&str] = &["id", "class", "style", "href", "mathcolor", "mathbackground", "xref"];

/// What `mstyle` (and `math`) take besides: every presentation attribute.
const STYLE: &[&str] = &[
    "displaystyle",
    "scriptlevel",
    "scriptsizemultiplier",
    "scriptminsize",
    "mathvariant",
    "mathsize",
    "dir",
    "linethickness",
    "lspace",
    "rspace",
    "stretchy",
    "form",
    "fence",
    "separator",
    "symmetric",
    "maxsize",
    "minsize",
    "largeop",
    "movablelimits",
    "accent",
    "accentunder",
    "notation",
    "columnalign",
    "rowalign",
    "width",
    "height",
    "depth",
];

/// The attributes MathML 3 gives `element` beyond [`COMMON`], or `None`
/// when it is no MathML 3 element.
fn allowed(element: &str) -> Option<&'static [&'static str]> {
    const TOKEN: &[&str] = &["mathvariant", "mathsize", "dir"];
    Some(match element {
        "math" => &["xmlns", "display", "alttext", "overflow", "mode", "macros"],
        "mstyle" => STYLE,
        "mi" | "mn" | "mtext" => TOKEN,
        "ms" => &["mathvariant", "mathsize", "dir", "lquote", "rquote"],
        "mo" => &[
            "mathvariant",
            "mathsize",
            "dir",
            "form",
            "fence",
            "separator",
            "lspace",
            "rspace",
            "stretchy",
            "symmetric",
            "maxsize",
            "minsize",
            "largeop",
            "movablelimits",
            "accent",
            "linebreak",
        ],
        "mspace" => &["width", "height", "depth", "linebreak", "mathbackground"],
        "mrow" => &["dir"],
        "mfrac" => &["linethickness", "numalign", "denomalign", "bevelled"],
        "msqrt" | "mroot" | "merror" | "mphantom" | "semantics" | "mprescripts" | "none" => &[],
        "mpadded" => &["width", "height", "depth", "lspace", "voffset"],
        "menclose" => &["notation"],
        "msub" => &["subscriptshift"],
        "msup" => &["superscriptshift"],
        "msubsup" | "mmultiscripts" => &["subscriptshift", "superscriptshift"],
        "munder" => &["accentunder", "align"],
        "mover" => &["accent", "align"],
        "munderover" => &["accent", "accentunder", "align"],
        "mtable" => &[
            "align",
            "rowalign",
            "columnalign",
            "columnwidth",
            "width",
            "rowspacing",
            "columnspacing",
            "rowlines",
            "columnlines",
            "frame",
            "framespacing",
            "equalrows",
            "equalcolumns",
            "displaystyle",
            "side",
            "minlabelspacing",
        ],
        "mtr" | "mlabeledtr" => &["rowalign", "columnalign"],
        "mtd" => &["rowspan", "columnspan", "rowalign", "columnalign"],
        "annotation" | "annotation-xml" => &["encoding", "definitionURL", "cd", "name", "src"],
        _ => return None,
    })
}

/// What is not MathML 3 in `mathml`, one line each.
fn not_mathml3(mathml: &str) -> Vec<String> {
    let doc = match roxmltree::Document::parse(mathml) {
        Ok(d) => d,
        Err(e) => return vec![format!("not XML: {e}")],
    };
    let mut bad = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let Some(own) = allowed(name) else {
            bad.push(format!("<{name}> is no MathML 3 element"));
            continue;
        };
        for a in node.attributes() {
            let key = a.name();
            if !COMMON.contains(&key) && !own.contains(&key) {
                bad.push(format!("`{key}` on <{name}>"));
            }
        }
        // MathML 3 holds text in tokens only.
        if !matches!(name, "mi" | "mn" | "mo" | "mtext" | "ms" | "annotation")
            && node.children().any(|c| c.is_text() && !c.text().unwrap_or("").trim().is_empty())
        {
            bad.push(format!("text directly in <{name}>"));
        }
    }
    bad
}

/// The constructs authors write, with `#` where a smaller formula goes.
const FORMS: &[&str] = &[
    "\\frac{#}{#}",
    "\\dfrac{#}{#}",
    "\\tfrac{#}{#}",
    "\\sqrt{#}",
    "\\sqrt[3]{#}",
    "{#}^{#}",
    "{#}_{#}",
    "{#}_{#}^{#}",
    "\\hat{#}",
    "\\overline{#}",
    "\\underline{#}",
    "\\vec{#}",
    "\\mathbf{#}",
    "\\mathrm{#}",
    "\\mathbb{R}",
    "\\boldsymbol{#}",
    "\\text{so that }#",
    "\\left(#\\right)",
    "\\left\\{#\\right.",
    "\\displaystyle #",
    "\\textstyle #",
    "\\scriptstyle #",
    "\\begin{pmatrix}# & #\\\\ # & #\\end{pmatrix}",
    "\\begin{bmatrix}#\\\\ #\\end{bmatrix}",
    "\\begin{vmatrix}# & #\\end{vmatrix}",
    "\\begin{smallmatrix}# & #\\end{smallmatrix}",
    "\\begin{cases}# & x > 0\\\\ # & \\text{otherwise}\\end{cases}",
    "\\begin{aligned}# &= #\\\\ &= #\\end{aligned}",
    "\\begin{array}{lr}# & #\\end{array}",
    "\\sum_{i=1}^{n} #",
    "\\int_0^\\infty # \\, dx",
    "\\prod_{k} #",
    "\\lim_{x \\to 0} #",
    "\\binom{#}{#}",
    "\\overbrace{#}^{n}",
    "\\underbrace{#}_{n}",
    "\\overset{!}{#}",
    "\\underset{#}{\\arg\\max}",
    "\\operatorname{Var}(#)",
    "\\boxed{#}",
    "\\phantom{#}",
    "\\color{red}{#}",
    "\\substack{# \\\\ #}",
    "# \\quad #",
    "# \\neq #",
    "\\{#\\}",
];

/// Atoms the forms are filled with.
const ATOMS: &[&str] = &["x", "1", "\\alpha", "n+1", "a_i", "\\infty", "e^{i\\pi}", "\\partial f", "\\ldots", "f(x)"];

fn formula() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(ATOMS).prop_map(str::to_string);
    atom.prop_recursive(4, 24, 4, |inner| {
        (prop::sample::select(FORMS), prop::collection::vec(inner, 4)).prop_map(|(form, parts)| {
            let mut out = String::new();
            let mut parts = parts.into_iter();
            for (i, piece) in form.split('#').enumerate() {
                if i > 0 {
                    out.push_str(&parts.next().unwrap_or_else(|| "x".into()));
                }
                out.push_str(piece);
            }
            out
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Any formula built from what authors write converts to MathML 3, or is refused.
    #[test]
    fn generated_formulas_become_mathml_3(tex in formula(), display in any::<bool>()) {
        if let Ok(mathml) = anthology::input::math::to_mathml(&tex, display) {
            let bad = not_mathml3(&mathml);
            prop_assert!(bad.is_empty(), "{tex}\n{mathml}\n{bad:?}");
        }
    }
}

/// The formulas written in `text`: `$…$` and `$$…$$`, roughly (code is
/// not told apart: a formula the converter refuses is skipped).
fn formulas(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (i, part) in text.split("$$").enumerate() {
        if i % 2 == 1 {
            out.push((part.to_string(), true));
        } else {
            out.extend(
                part.split('$')
                    .enumerate()
                    .filter(|(j, p)| j % 2 == 1 && !p.contains('\n'))
                    .map(|(_, p)| (p.to_string(), false)),
            );
        }
    }
    out
}

fn markdown_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            markdown_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md" || x == "markdown") {
            out.push(p);
        }
    }
}

/// Every formula of the sample book, the golden books and fixtures, the
/// corpora beside the repository when they are there, and the Markdown
/// under each folder `MATHML_DIRS` names (separated by `:`), to try a book
/// from elsewhere.
#[test]
fn every_formula_of_the_books_becomes_mathml_3() {
    let mut files = Vec::new();
    for dir in ["contributions", "front", "back", "tests/fixtures", "../shared/corpora"] {
        markdown_files(&repo().join(dir), &mut files);
    }
    for dir in std::env::var("MATHML_DIRS").unwrap_or_default().split(':').filter(|d| !d.is_empty()) {
        markdown_files(Path::new(dir), &mut files);
    }
    let (mut converted, mut failures) = (0, Vec::new());
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for (tex, display) in formulas(&text) {
            if let Ok(mathml) = anthology::input::math::to_mathml(&tex, display) {
                converted += 1;
                let bad = not_mathml3(&mathml);
                if !bad.is_empty() {
                    failures.push(format!("{}: {tex}\n{mathml}\n{bad:?}", file.display()));
                }
            }
        }
    }
    assert!(converted > 10, "only {converted} formulas found");
    eprintln!("{converted} formulas converted and checked");
    assert!(failures.is_empty(), "{} formulas are not MathML 3:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_checker_refuses_what_the_validators_refuse() {
    assert_eq!(
        not_mathml3("<math><mtable scriptlevel=\"0\"><mtr><mtd><mn>1</mn></mtd></mtr></mtable></math>"),
        ["`scriptlevel` on <mtable>"]
    );
    assert_eq!(not_mathml3("<math><mrow displaystyle=\"true\"><mi>x</mi></mrow></math>"), ["`displaystyle` on <mrow>"]);
    assert_eq!(not_mathml3("<math><mi><span>x</span></mi></math>"), ["<span> is no MathML 3 element"]);
    assert!(not_mathml3("<math display=\"block\"><mstyle scriptlevel=\"0\"><mi>x</mi></mstyle></math>").is_empty());
}
