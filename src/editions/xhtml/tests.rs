//! The unit tests of the module above, in a file of their own.

use super::*;
use proptest::prelude::*;

fn convert(md: &str, lang: &str, allow_html: bool) -> Fragment {
    let doc = crate::input::markdown::parse(md, 1).document;
    let images = HashMap::from([("p.png".to_string(), ImageRef { href: "images/p.png".into(), width: 4, height: 3 })]);
    let other = crate::input::markdown::parse("## Part two\n\ntext", 1).document;
    let target = Target::new(&other, Flavor::Epub, "other.xhtml".into(), "other.xhtml#".into());
    let links = HashMap::from([(PathBuf::from("contributions/other.md"), target)]);
    let mut doc = doc;
    crate::order::fix_document(&mut doc, lang);
    let cx = Context {
        flavor: Flavor::Epub,
        id_prefix: "s",
        images: &images,
        dir: std::path::Path::new("contributions"),
        links: &links,
        anchor_prefix: "",
        allow_html,
        first_heading: 2,
        rtl: crate::lang::is_rtl(lang),
        references: "References",
    };
    fragment(&doc, &cx)
}

#[test]
fn code_in_right_to_left_text_reads_left_to_right() {
    let f = convert("گزینهٔ `--format json` را بزنید.\n\n```\nanthology check\n```\n", "fa", false);
    assert!(f.body.contains("<code dir=\"ltr\">--format json</code>"), "{}", f.body);
    assert!(f.body.contains("<pre dir=\"ltr\"><code>"), "{}", f.body);
    let f = convert("Run `--help`.", "en", false);
    assert!(f.body.contains("<code>--help</code>"), "{}", f.body);
}

#[test]
fn elements() {
    let f = convert(
        "*a* **b** ~~c~~ `<d>` [x](https://e.org?a=1&b=2) [y](other.md) [z](javascript:alert(1))",
        "und",
        false,
    );
    assert_eq!(
        f.body,
        "<p><em>a</em> <strong>b</strong> <del>c</del> <code>&lt;d&gt;</code> <a href=\"https://e.org?a=1&amp;b=2\">x</a> <a href=\"other.xhtml\">y</a> z</p>\n"
    );
    let f = convert("## H\n\n1. a\n2. b\n\n> q\n\n---\n\n```rust\nx < y\n```", "und", false);
    assert_eq!(
        f.body,
        "<h2 id=\"s-h\">H</h2>\n<ol><li>a</li>\n<li>b</li>\n</ol>\n<blockquote>\n<p>q</p>\n</blockquote>\n<hr/>\n<pre><code class=\"language-rust\"><span class=\"hl-source hl-rust\">x <span class=\"hl-keyword hl-operator hl-comparison hl-rust\">&lt;</span> y</span></code></pre>\n"
    );
    let f = convert("![An image](p.png \"Caption\")", "und", false);
    assert_eq!(
        f.body,
        "<figure><img src=\"images/p.png\" alt=\"An image\" width=\"4\" height=\"3\"/><figcaption>Caption</figcaption></figure>\n"
    );
    let f = convert("| a | b |\n|:-|-:|\n| 1 | 2 |", "und", false);
    assert!(f.body.contains("<th>a</th><th class=\"right\">b</th>"), "{}", f.body);
    let f = convert("|   | b |\n|-|-|\n| 1 | 2 |", "und", false);
    assert!(f.body.contains("<thead>\n<tr><td></td><th>b</th></tr>"), "{}", f.body);
}

#[test]
fn code_blocks_are_highlighted_when_their_language_is_known() {
    let f = convert("```rust\nlet x = \"<&>\"; // hi\n```\n\n```klingon\nqapla' <x>\n```", "und", false);
    assert!(f.body.contains("<pre><code class=\"language-rust\"><span class=\"hl-"), "{}", f.body);
    assert!(f.body.contains("&lt;&amp;&gt;") && f.body.contains("hl-comment"), "{}", f.body);
    assert!(f.body.contains("<pre><code class=\"language-klingon\">qapla' &lt;x&gt;</code></pre>"), "{}", f.body);
    // Characters XML forbids go, highlighted or not.
    let f = convert("```rust\nlet a = 1;\u{1}\n```", "und", false);
    assert!(!f.body.contains('\u{1}'), "{}", f.body);
}

#[test]
fn links_reach_headings_of_this_text_and_others() {
    let f = convert("[a](other.md#part-two) [b](other.md#gone) [c](#mine) [d](#nowhere)\n\n## Mine", "und", false);
    assert!(f.body.contains("<a href=\"other.xhtml#s-part-two\">a</a>"), "{}", f.body);
    assert!(f.body.contains("<a href=\"other.xhtml\">b</a>"), "an unknown heading leads to the text: {}", f.body);
    assert!(f.body.contains("<a href=\"#s-mine\">c</a> d"), "{}", f.body);
    assert!(f.body.contains("<h2 id=\"s-mine\">Mine</h2>"), "{}", f.body);
}

#[test]
fn notes_link_both_ways() {
    let f = convert("A[^n] and again[^n].\n\n[^n]: The note.", "und", false);
    assert_eq!(
        f.body,
        "<p>A<sup><a href=\"#fn-s-1\" id=\"ref-fn-s-1\" epub:type=\"noteref\" role=\"doc-noteref\">1</a></sup> and again<sup><a href=\"#fn-s-1\" id=\"ref-fn-s-1-2\" epub:type=\"noteref\" role=\"doc-noteref\">1</a></sup>.</p>\n"
    );
    assert!(f.notes.contains("<aside id=\"fn-s-1\" epub:type=\"footnote\" role=\"doc-footnote\"><p class=\"note-number\"><a href=\"#ref-fn-s-1\" role=\"doc-backlink\">1.</a></p><p>The note.</p>"), "{}", f.notes);
}

#[test]
fn raw_html_is_dropped_or_whitelisted_and_balanced() {
    assert_eq!(convert("H<sub>2</sub>O <script>x</script>", "und", false).body, "<p>H2O x</p>\n");
    assert_eq!(convert("H<sub>2</sub>O <script>x</script>", "und", true).body, "<p>H<sub>2</sub>O x</p>\n");
    assert_eq!(convert("a <em>b <strong>c", "und", true).body, "<p>a <em>b <strong>c</strong></em></p>\n");
    assert_eq!(convert("a <sub onclick=\"x\">b</sub>", "und", true).body, "<p>a b</p>\n");
    // Raw tags stay inside the element they were opened in.
    assert_eq!(convert("*a <b>c* d", "und", true).body, "<p><em>a <b>c</b></em> d</p>\n");
    assert_eq!(convert("<b>a *c</b> d* e</b>", "und", true).body, "<p><b>a <em>c d</em> e</b></p>\n");
    assert_eq!(
        convert("[l <i>x](https://e.org) y</i>", "und", true).body,
        "<p><a href=\"https://e.org\">l <i>x</i></a> y</p>\n"
    );
    // A block goes through the sanitiser: its content stays, its handler does not.
    assert_eq!(convert("<div onclick=\"x\">\nblock\n</div>", "und", true).body, "<p>block</p>\n\n");
    assert_eq!(convert("<div onclick=\"x\">\nblock\n</div>", "und", false).body, "\n");
    assert_eq!(
        convert(
            "<table><tr><th>a</th><th>b</th></tr><tr><td colspan=\"2\">c &amp; <script>x</script></td></tr></table>",
            "und",
            true
        )
        .body,
        "<table>\n<thead>\n<tr><th>a</th><th>b</th></tr>\n</thead>\n<tbody>\n<tr><td colspan=\"2\">c &amp;</td></tr>\n</tbody>\n</table>\n\n"
    );
    // A row's header stays one.
    assert_eq!(
        convert("<table><tr><th scope=\"row\">Total</th><td>3</td></tr></table>", "und", true).body,
        "<table>\n<tbody>\n<tr><th scope=\"row\">Total</th><td>3</td></tr>\n</tbody>\n</table>\n\n"
    );
}

#[test]
fn math_is_mathml_and_bad_math_is_code() {
    let body = convert("Let $a < b$ hold.", "en", false).body;
    assert!(body.starts_with("<p>Let <math xmlns=\"http://www.w3.org/1998/Math/MathML\">"), "{body}");
    assert!(body.contains("&lt;") && !body.contains("a < b"), "{body}");
    well_formed(&body).unwrap();
    let body = convert("Bad $\\frac{a$ math.", "en", false).body;
    assert_eq!(body, "<p>Bad <code>\\frac{a</code> math.</p>\n");
}

#[test]
fn web_addresses_are_valid_urls() {
    assert_eq!(encode_url(" https://e.org/a b#{x}|\"y\" "), "https://e.org/a%20b#%7Bx%7D%7C%22y%22");
    assert_eq!(encode_url("https://e.org/é?q=1&r=%20"), "https://e.org/é?q=1&r=%20");
    assert_eq!(encode_url("https://e.org/faq#A#B"), "https://e.org/faq#A%23B", "one fragment");
}

#[test]
fn typography_applies() {
    assert_eq!(convert("Il dit \"oui\"?", "fr", false).body, "<p>Il dit «\u{202f}oui\u{202f}»\u{202f}?</p>\n");
}

fn well_formed(xml: &str) -> Result<(), String> {
    if let Some(c) = xml.chars().find(|c| ((*c as u32) < 0x20 && !"\t\n\r".contains(*c)) || *c == '\u{fffe}') {
        return Err(format!("character {:?} is not allowed in XML", c));
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("{e}: {xml}")),
        }
    }
    if depth == 0 { Ok(()) } else { Err(format!("unbalanced: {xml}")) }
}

proptest! {
    #[test]
    fn any_essay_gives_well_formed_xml(
        md in proptest::collection::vec(prop_oneof![
            Just("<b>".to_string()), Just("</b>".to_string()), Just("<em>".to_string()), Just("</sub>".to_string()),
            Just("<div>\n".to_string()), Just("&amp; &#0; &nbsp; &bogus;".to_string()), Just("[^1]".to_string()),
            Just("\n\n[^1]: note <i>".to_string()), Just("*".to_string()), Just("`".to_string()),
            Just("\n> ".to_string()), Just("\n- ".to_string()), Just("\n| a |\n|-|\n| b |\n".to_string()),
            Just("![x](p.png)".to_string()), Just("[l](http://e.org/\"><script>)".to_string()),
            Just("\n```rust\n".to_string()), Just("\n```html\n<b>\n".to_string()), Just("\n```\n".to_string()),
            Just("\u{0}\u{1}\u{b}\u{fffe}".to_string()), "[ -~]{1,6}", "[éß€😀\u{202e}]{1,2}",
        ], 1..25),
        allow in any::<bool>(),
    ) {
        let f = convert(&md.concat(), "en", allow);
        let doc = format!("<div xmlns:epub=\"http://www.idpf.org/2007/ops\">{}{}</div>", f.body, f.notes);
        prop_assert!(well_formed(&doc).is_ok(), "{:?}", well_formed(&doc));
    }
}

#[test]
fn conditional_content_is_in_the_epub_when_it_names_the_epub() {
    let body = "::: {.content-visible when-format=\"pdf\"}\nIn print.\n:::\n\n::: {.content-visible when-format=\"epub\"}\nIn the book.\n:::\n\n::: {.content-visible when-format=\"html:js\"}\nOn the site.\n:::\n\n```{.python .content-hidden unless-format=\"html\"}\nprint(1)\n```\n";
    let f = convert(body, "en", false);
    assert!(f.body.contains("In the book.") && f.body.contains("language-python"), "{}", f.body);
    assert!(!f.body.contains("In print.") && !f.body.contains("On the site."), "{}", f.body);
}

#[test]
fn a_link_to_what_the_epub_leaves_out_is_its_text() {
    let body = "See [the animation](#sec-anim).\n\n::: {.content-visible when-format=\"html:js\"}\n## Animation {#sec-anim}\n:::\n";
    let f = convert(body, "en", false);
    assert!(f.body.contains("See the animation.") && !f.body.contains("href=\"#s-sec-anim\""), "{}", f.body);
}

#[test]
fn a_figure_with_an_id_in_a_link_is_a_figure_that_leads_there() {
    let mut doc = crate::input::markdown::parse(
        "[![A chart.](p.png){#fig-c fig-alt=\"Bars.\"}](https://example.org/data)\n\nSee @fig-c.\n\n[![badge](p.png)](https://example.org)\n",
        1,
    )
    .document;
    crate::input::pandoc::settle(&mut doc, &crate::lang::labels::Labels::for_lang("en"));
    let images = HashMap::from([("p.png".to_string(), ImageRef { href: "images/p.png".into(), width: 4, height: 3 })]);
    let links = HashMap::new();
    let cx = Context {
        flavor: Flavor::Epub,
        id_prefix: "s",
        images: &images,
        dir: std::path::Path::new("contributions"),
        links: &links,
        anchor_prefix: "",
        allow_html: false,
        first_heading: 2,
        rtl: false,
        references: "References",
    };
    let f = fragment(&doc, &cx);
    assert!(
        f.body.contains(
            "<figure id=\"s-fig-c\"><a href=\"https://example.org/data\"><img src=\"images/p.png\" alt=\"Bars.\""
        ),
        "{}",
        f.body
    );
    assert!(f.body.contains("<figcaption>Figure 1: A chart.</figcaption>"), "{}", f.body);
    assert!(f.body.contains("<a href=\"#s-fig-c\">Figure 1</a>"), "{}", f.body);
    // A linked picture without an id stays a picture in a link, as pandoc reads it.
    assert!(f.body.contains("<p><a href=\"https://example.org\"><img"), "{}", f.body);
}
