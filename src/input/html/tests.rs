//! The unit tests of the module above, in a file of their own.

use super::*;
use crate::model::document::plain_text;

const AT: Pos = Pos { line: 10, col: 1 };

#[test]
fn a_table_with_a_header_and_spans() {
    let c = convert(
        "<table>\n<tr><th>Op</th><th colspan=\"2\">Gas</th></tr>\n<tr><td rowspan=\"2\">ADD</td><td>3</td><td><b>5</b></td></tr>\n<tr><td>x<br>y</td></tr>\n</table>",
        AT,
    );
    assert!(c.left_out.is_empty(), "{:?}", c.left_out);
    let [Block::Table { head, rows, .. }] = c.blocks.as_slice() else { panic!("{:?}", c.blocks) };
    assert_eq!(*head, 1);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][1].colspan, 2);
    assert_eq!(rows[1][0].rowspan, 2);
    assert_eq!(rows[1][2].content, vec![Inline::Strong(vec![Inline::Text { text: "5".into(), pos: AT }])]);
    assert_eq!(rows[2][0].content[1], Inline::LineBreak);
}

#[test]
fn scripts_handlers_and_foreign_addresses_are_removed_and_reported() {
    let html = "<div>\n<p onclick=\"steal()\">Hi <a href=\"javascript:alert(1)\">there</a></p>\n<script>alert(1)</script>\n<iframe src=\"https://e.org\">fallback</iframe>\n<style>p{}</style></div>";
    let c = convert(html, AT);
    let whats: Vec<(u32, &str, bool)> = c.left_out.iter().map(|l| (l.pos.line, l.what.as_str(), l.text_kept)).collect();
    assert_eq!(
        whats,
        vec![
            (11, "the script `onclick` of `<p>`", true),
            (11, "the address `javascript:alert(1)` of `<a>`", true),
            (12, "`<script>` and what it holds", false),
            (13, "`<iframe>`", true),
            (14, "`<style>` and what it holds", false),
        ]
    );
    let text: String = c
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(i) => plain_text(i),
            other => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join("|");
    assert_eq!(text, "Hi there|fallback");
    let mut links = 0;
    crate::model::document::Document { blocks: c.blocks, ..Default::default() }
        .for_each_inline(&mut |i| links += matches!(i, Inline::Link { .. }) as usize);
    assert_eq!(links, 0, "a javascript: link is no link");
}

#[test]
fn lists_figures_details_and_code() {
    let html = "<ol start=\"3\"><li>one</li><li><p>two</p><p>more</p></li></ol>\n<figure><img src=\"a.png\" alt=\"A\"><figcaption>The <em>cap</em></figcaption></figure>\n<details><summary>More</summary>Hidden <sub>2</sub></details>\n<pre><code class=\"language-rust\">fn x() {\n  1 &lt; 2\n}</code></pre>";
    let c = convert(html, AT);
    assert!(c.left_out.is_empty(), "{:?}", c.left_out);
    assert!(matches!(&c.blocks[0], Block::List { start: Some(3), tight: false, items, .. } if items.len() == 2));
    assert!(matches!(&c.blocks[1], Block::Paragraph(i)
        if matches!(i.as_slice(), [Inline::Image { url, alt, title, .. }] if url == "a.png" && alt == "A" && title == "The cap")));
    let Block::Details { summary, blocks } = &c.blocks[2] else { panic!("{:?}", c.blocks[2]) };
    assert_eq!(plain_text(summary), "More");
    assert!(matches!(&blocks[0], Block::Paragraph(i) if matches!(i[1], Inline::Sub(_))));
    assert_eq!(c.blocks[3], Block::Code { lang: Some("rust".into()), text: "fn x() {\n  1 < 2\n}\n".into() });
}

#[test]
fn no_text_is_lost_around_images_and_list_items() {
    let html = "<figure>Before <img src=\"a.png\" alt=\"A\"> after<figcaption>Cap</figcaption></figure>\n<p><img alt=\"No address\"> <img src=\"data:x\" alt=\"Removed address\"></p>\n<ul>loose<li>item</li></ul>";
    let c = convert(html, AT);
    let text: Vec<String> = c
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(i) => plain_text(i),
            Block::List { items, .. } => format!("{} items", items.len()),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(text, vec!["Before", "A", "after", "No address Removed address", "2 items"]);
    assert!(
        matches!(&c.blocks[1], Block::Paragraph(i) if matches!(&i[0], Inline::Image { title, .. } if title == "Cap"))
    );
}

#[test]
fn deep_nesting_is_cut() {
    let html = "<div>".repeat(5_000) + "x" + &"</div>".repeat(5_000);
    let c = convert(&html, AT);
    assert!(c.left_out.iter().any(|l| l.what.contains("nested")));
}
