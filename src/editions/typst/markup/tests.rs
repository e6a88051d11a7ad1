//! The unit tests of the module above, in a file of their own.

use super::*;

fn md(s: &str, lang: &str) -> String {
    let mut doc = crate::input::markdown::parse(s, 1).document;
    crate::order::fix_document(&mut doc, lang);
    let images = HashMap::from([("p.png".to_string(), "/assets/0".to_string())]);
    Writer::new(&doc, "slug", &images, 3).document(&doc).text.trim_end().to_string()
}

#[test]
fn escaping() {
    assert_eq!(
        escape("#read(\"/etc/passwd\") $x$ */ ] \\u{41} @l <x>"),
        "\\#read(\\\"\\/etc\\/passwd\\\") \\$x\\$ \\*\\/ \\] \\\\u{41} \\@l \\<x\\>"
    );
    assert_eq!(escape("a\nb\u{0}c"), "a bc");
    assert_eq!(string_literal("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u{1}\"");
}

#[test]
fn inline_elements() {
    assert_eq!(md("*a* **b** ~~c~~ `d(\"x\")`", "und"), "#emph[a]; #strong[b]; #strike[c]; #raw(\"d(\\\"x\\\")\");");
    assert_eq!(
        md("[site](https://e.org/a?b) [bad](javascript:alert(1))", "und"),
        "#link(\"https://e.org/a?b\")[site]; bad"
    );
    assert_eq!(md("line  \nbreak", "und"), "line#linebreak();break");
}

#[test]
fn typography_is_applied_before_escaping() {
    assert_eq!(md("Il dit \"oui\"?", "fr"), "Il dit «\u{202f}oui\u{202f}»\u{202f}?");
    assert_eq!(md("\"*Hi*\" it's", "en"), "“#emph[Hi];” it’s");
}

#[test]
fn block_elements() {
    assert_eq!(
        md("## A\n\n#### B", "und"),
        "#heading(level: 3, outlined: false, bookmarked: false)[A];\n\n#heading(level: 4, outlined: false, bookmarked: false)[B];"
    );
    assert_eq!(md("> q", "und"), "#quote(block: true)[q\n\n];");
    assert_eq!(md("3. a\n4. b", "und"), "#enum(start: 3, tight: true, [a\n\n], [b\n\n]);");
    assert_eq!(md("- a\n  - b", "und"), "#list(tight: true, [a\n\n#list(tight: true, [b\n\n]);\n\n]);");
    assert_eq!(md("```rust\nfn x() {}\n```", "und"), "#raw(\"fn x() {}\", block: true, lang: \"rust\");");
    assert_eq!(md("---", "und"), "#divider();");
    assert_eq!(
        md("| a | b |\n|:-|-:|\n| 1 | 2 |", "und"),
        "#table(columns: 2, align: (start, end,), table.header([a], [b]), [1], [2]);"
    );
    assert_eq!(
        md("![An *alt*](p.png \"T\")", "und"),
        "#figure(image(\"/assets/0\", width: 100%, alt: \"An alt\"), caption: [T]);"
    );
    assert_eq!(md("![gone](missing.png)", "und"), "gone");
    // HTML's header cell of a row is tagged as one; one without text is not.
    assert_eq!(
        {
            let mut doc = crate::input::markdown::parse("", 1).document;
            let html = "<table><tr><th>Total</th><td>3</td></tr><tr><th></th><td>4</td></tr></table>";
            doc.blocks = crate::input::html::convert(html, Default::default()).blocks;
            Writer::new(&doc, "slug", &HashMap::new(), 3).document(&doc).text.trim_end().to_string()
        },
        "#table(columns: 2, align: (start, start,), pdf.header-cell(scope: \"row\", [Total]), [3], [], [4]);"
    );
    // A link in the header: it is set once, not repeated on the next page.
    let linked = md("| [a](https://example.org) | b[^n] |\n|-|-|\n| 1 | 2 |\n\n[^n]: N.", "und");
    assert!(linked.starts_with("#table(columns: 2, align: (start, start,), table.header(repeat: false, "), "{linked}");
}

#[test]
fn generated_markup_remembers_source_lines() {
    let doc = crate::input::markdown::parse("First.\n\n## Second\n\nThird *line*.\n", 10).document;
    let none = HashMap::new();
    let g = Writer::new(&doc, "s", &none, 3).document(&doc);
    assert_eq!(g.line_at(0), Some(10));
    assert_eq!(g.line_at(g.text.find("Second").unwrap()), Some(12));
    assert_eq!(g.line_at(g.text.find("Third").unwrap()), Some(14));
    assert_eq!(g.line_at(g.text.find("#emph[line]").unwrap()), Some(14));
}

#[test]
fn long_inline_code_can_break_after_punctuation() {
    assert_eq!(breakable_pieces("std::collections::HashMap"), ["std::", "collections::", "HashMap"]);
    assert_eq!(breakable_pieces("short.path"), ["short.path"]);
    assert_eq!(breakable_pieces("a_very_long_identifier"), ["a_", "very_", "long_", "identifier"]);
    assert_eq!(
        md("`std::collections::HashMap`", "und"),
        "#raw(\"std::\");#h(0.01pt);#raw(\"collections::\");#h(0.01pt);#raw(\"HashMap\");"
    );
}

#[test]
fn allowed_inline_html_is_set_and_always_balanced() {
    let html = |s: &str| {
        let doc = crate::input::markdown::parse(s, 1).document;
        let none = HashMap::new();
        let links = Links { allow_html: true, ..Links::default() };
        let dir = std::path::Path::new("contributions");
        Writer::new(&doc, "s", &none, 2).with_links(&links, dir, None).document(&doc).text.trim_end().to_string()
    };
    assert_eq!(html("H<sub>2</sub>O and E = mc<sup>2</sup>"), "H#sub[2];O and E \\= mc#super[2];");
    // Tags left open close with their paragraph, or with the element they were opened in.
    assert_eq!(html("a <b>c"), "a #strong[c];");
    assert_eq!(html("*a <i>b* c</i>"), "#emph[a #emph[b];]; c");
    // Other tags, attributes and stray closes are left out.
    assert_eq!(html("<span class=\"x\">t</span> </sub>"), "t");
    // Without the rules' leave, nothing of it is set.
    assert_eq!(md("H<sub>2</sub>O", "und"), "H2O");
}

#[test]
fn footnotes_have_book_unique_labels_and_can_be_reused() {
    let s = md("A[^n] B[^n].\n\n[^n]: The *note*.", "und");
    assert_eq!(s, "A#footnote[The #emph[note];\\.]<fn-slug-n> B#footnote(<fn-slug-n>);\\.");
}

#[test]
fn conditional_content_is_printed_when_it_names_print() {
    let body = "::: {.content-visible when-format=\"html\"}\nOn screens.\n:::\n\n::: {.content-hidden when-format=\"html\"}\nIn print.\n:::\n\nA [word]{.content-visible when-format=\"pdf\"}[ phrase]{.content-visible when-format=\"html\"}.\n";
    let out = md(body, "en");
    assert!(out.contains("In print") && !out.contains("On screens"), "{out}");
    assert!(out.contains("word") && !out.contains("phrase"), "{out}");
}

#[test]
fn a_figure_with_an_id_in_a_link_is_a_labelled_figure_that_leads_there() {
    let mut doc = crate::input::markdown::parse("[![A chart.](p.png){#fig-c}](https://example.org/data)\n", 1).document;
    crate::order::fix_document(&mut doc, "en");
    let images = HashMap::from([("p.png".to_string(), "/assets/0".to_string())]);
    let mut w = Writer::new(&doc, "slug", &images, 3);
    w.own = Some("essay".into());
    let out = w.document(&doc).text;
    assert!(out.contains("#figure(link(\"https://example.org/data\", image(\"/assets/0\""), "{out}");
    assert!(out.contains("<h-essay-fig-c>"), "{out}");
}
