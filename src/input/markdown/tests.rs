//! The unit tests of the module above, in a file of their own.

use super::*;

#[test]
fn markup_is_counted_up_to_its_limit() {
    assert_eq!(too_much_markup(&"*a".repeat(MAX_MARKUP)), None);
    let over = "*a".repeat(MAX_MARKUP + 1);
    assert_eq!(too_much_markup(&over), Some(2 * MAX_MARKUP));
    assert_eq!(too_much_markup(&"word ".repeat(100_000)), None, "prose is not markup");
}

#[test]
fn elements_and_positions() {
    let body = "Intro *em* **strong** ~~del~~ `code`.\n\n## Part\n\n> quoted\n\n1. one\n2. two\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n] and ![alt *x*](p.png \"t\") [link](https://e.org).\n\n[^n]: The note.\n\n---\n\n```rust\nfn x() {}\n```\n";
    let p = parse(body, 5);
    let d = p.document;
    assert!(p.too_deep.is_none());
    assert_eq!(d.blocks.len(), 8, "{:#?}", d.blocks);
    match &d.blocks[0] {
        Block::Paragraph(i) => {
            assert_eq!(i[0], Inline::Text { text: "Intro ".into(), pos: Pos { line: 5, col: 1 } });
            assert!(matches!(i[1], Inline::Emph(_)));
            assert!(matches!(i[5], Inline::Strike(_)));
            assert_eq!(i[7], Inline::Code("code".into()));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&d.blocks[1], Block::Heading { level: 2, pos: Pos { line: 7, .. }, .. }));
    assert!(matches!(&d.blocks[2], Block::Quote(_)));
    assert!(matches!(&d.blocks[3], Block::List { start: Some(1), tight: true, items, .. } if items.len() == 2));
    match &d.blocks[4] {
        Block::Table { align, rows, head, .. } => {
            assert_eq!(*head, 1);
            assert_eq!(align, &[Align::Left, Align::Right]);
            assert_eq!(rows.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(d.blocks[7], Block::Code { lang: Some("rust".into()), text: "fn x() {}\n".into() });
    assert_eq!(d.footnotes.len(), 1);
    assert_eq!(d.footnotes[0].name, "n");
    let mut images = Vec::new();
    d.for_each_inline(&mut |i| {
        if let Inline::Image { url, alt, .. } = i {
            images.push((url.clone(), alt.clone()));
        }
    });
    assert_eq!(images, vec![("p.png".to_string(), "alt x".to_string())]);
    assert_eq!(d.word_count(), 17, "words: 4 + heading 1 + quote 1 + list 2 + table 4 + paragraph 3 + footnote 2");
}

#[test]
fn deep_nesting_is_cut_not_recursed() {
    let body = ">".repeat(10_000) + " deep\n";
    let p = parse(&body, 1);
    assert!(p.too_deep.is_some());
    let body = "*".repeat(5_000) + "x" + &"*".repeat(5_000);
    let _ = parse(&body, 1);
}

#[test]
fn math_in_dollars_and_fences_but_not_prices() {
    let d = parse("Let $x^2$ be.\n\n$$\\frac{a}{b}$$\n\nIt costs $5 and $10.\n\n```math\ny = 1\n```\n", 3).document;
    let mut math = Vec::new();
    d.for_each_inline(&mut |i| {
        if let Inline::Math { tex, display, pos, mathml, .. } = i {
            assert!(mathml.is_ok(), "{tex}");
            math.push((tex.clone(), *display, pos.line));
        }
    });
    assert_eq!(math, vec![("x^2".into(), false, 3), ("\\frac{a}{b}".into(), true, 5), ("y = 1\n".into(), true, 10)]);
}

#[test]
fn markdown_inside_details_is_gathered_into_it() {
    let d =
        parse("<details>\n<summary>More</summary>\n\nSome *text*.\n\n- a list\n\n</details>\n\nAfter.\n", 1).document;
    assert_eq!(d.blocks.len(), 2, "{:#?}", d.blocks);
    let Block::Html { content, .. } = &d.blocks[0] else { panic!("{:?}", d.blocks[0]) };
    assert!(matches!(content.as_slice(), [Block::Details { blocks, .. }] if blocks.len() == 2), "{content:?}");
    let d = parse("<details>\n<summary>Never closed</summary>\n\nText.\n", 1).document;
    assert_eq!(d.blocks.len(), 2);
}

#[test]
fn html_links_and_images_in_a_paragraph_when_allowed() {
    let body = "See <a href=\"https://e.org\" title=\"T\">the *site*</a>, <img src=\"a.png\" alt=\"A\">, \
                <a href=\"javascript:x()\">not this</a> and <a href=\"b.md\">unclosed.\n";
    let d = parse_allowing_html(body, 1, true).document;
    let Block::Paragraph(i) = &d.blocks[0] else { panic!() };
    assert!(
        matches!(&i[1], Inline::Link { url, title, content, .. } if url == "https://e.org" && title == "T" && matches!(content[1], Inline::Emph(_)))
    );
    assert!(matches!(&i[3], Inline::Image { url, alt, .. } if url == "a.png" && alt == "A"));
    let raw: Vec<&str> = i
        .iter()
        .filter_map(|x| match x {
            Inline::Html { html, .. } => Some(html.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(raw, vec!["<a href=\"javascript:x()\">", "</a>", "<a href=\"b.md\">"]);
    let d = parse(body, 1).document;
    let mut html = 0;
    d.for_each_inline(&mut |i| html += matches!(i, Inline::Html { .. }) as usize);
    assert_eq!(html, 6, "without allow_html every tag stays for check to refuse");
}

#[test]
fn html_comments_are_dropped_as_pandoc_drops_them() {
    let d = parse("<!-- Statement of need -->\n\nText <!-- aside --> here.\n\n<!--\nlong\n-->\n<div>kept</div>\n", 1)
        .document;
    assert_eq!(d.blocks.len(), 2, "{:#?}", d.blocks);
    let mut html = 0;
    d.for_each_inline(&mut |i| html += matches!(i, Inline::Html { .. }) as usize);
    assert_eq!(html, 0);
    assert!(matches!(&d.blocks[1], Block::Html { html, .. } if html.contains("kept")));
}

#[test]
fn pandoc_superscripts_subscripts_and_inline_notes() {
    let d = parse("H~2~O and 2^10^, not 2^10 and 3^4 nor ~5 km and ~10 km; ~~struck~~ and a note^[Said *here*.].\n", 1)
        .document;
    let Block::Paragraph(i) = &d.blocks[0] else { panic!() };
    assert!(matches!(&i[1], Inline::Sub(c) if crate::model::document::plain_text(c) == "2"), "{i:#?}");
    assert!(matches!(&i[3], Inline::Sup(c) if crate::model::document::plain_text(c) == "10"), "{i:#?}");
    let text = crate::model::document::plain_text(i);
    assert!(text.contains("not 2^10 and 3^4 nor ~5 km and ~10 km;"), "{text}");
    assert!(i.iter().any(|x| matches!(x, Inline::Strike(_))));
    assert!(i.iter().any(|x| matches!(x, Inline::FootnoteRef { .. })));
    assert_eq!(d.footnotes.len(), 1);
    assert!(matches!(&d.footnotes[0].blocks[0], Block::Paragraph(p) if p.iter().any(|x| matches!(x, Inline::Emph(_)))));
}

#[test]
fn quarto_callouts_github_alerts_and_other_divs() {
    let body = "::: {.callout-tip}\n## Mind the gap\n\nText *here*.\n:::\n\n::: {.callout-warning title=\"Careful now\"}\nBe.\n:::\n\n> [!NOTE]\n> Noted.\n\n::: {.column-margin}\nKept.\n:::\n\n::: callout-caution\nNo title.\n:::\n\n::: abstract\nIn short.\n:::\n";
    let d = parse(body, 1).document;
    let got: Vec<(CalloutKind, String, usize)> = d
        .blocks
        .iter()
        .map(|b| match b {
            Block::Callout { kind, title, blocks } => (*kind, crate::model::document::plain_text(title), blocks.len()),
            Block::Paragraph(i) => (CalloutKind::Note, format!("p:{}", crate::model::document::plain_text(i)), 0),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (CalloutKind::Tip, "Mind the gap".into(), 1),
            (CalloutKind::Warning, "Careful now".into(), 1),
            (CalloutKind::Note, String::new(), 1),
            (CalloutKind::Note, "p:Kept.".into(), 0),
            (CalloutKind::Caution, String::new(), 1),
            (CalloutKind::Abstract, String::new(), 1),
        ]
    );
}

#[test]
fn a_quarto_figure_div_is_a_figure_with_its_caption() {
    let d = parse(":::{#fig-seat}\n\n![ ](seat.png)\n\nThe invitation, with its seat\n:::\n", 1).document;
    assert_eq!(d.blocks.len(), 1, "{:#?}", d.blocks);
    let Block::Paragraph(i) = &d.blocks[0] else { panic!() };
    let [Inline::Image { title, pos, .. }] = i.as_slice() else { panic!("{i:?}") };
    assert_eq!(title, "The invitation, with its seat");
    assert_eq!(d.ids, vec![(*pos, "fig-seat".to_string())]);
    // A caption with more than text is kept whole, by a float around the image.
    let d = parse(":::{#fig-seat}\n![ ](seat.png)\n\nThe invitation, with its *seat*\n:::\n", 1).document;
    let Block::Float { kind: FloatKind::Figure, caption, blocks, pos } = &d.blocks[0] else {
        panic!("{:#?}", d.blocks)
    };
    assert!(caption.iter().any(|i| matches!(i, Inline::Emph(_))), "{caption:?}");
    assert!(matches!(blocks.as_slice(), [Block::Paragraph(i)] if matches!(i.as_slice(), [Inline::Image { .. }])));
    assert_eq!(d.ids, vec![(*pos, "fig-seat".to_string())]);
}

#[test]
fn a_quarto_div_around_other_content_is_a_float_and_around_a_table_its_caption() {
    let body = "::: {#fig-two}\n```\ncode\n```\n\nSome *text*.\n\nTwo things shown\n:::\n\n::: {#tbl-one}\n| a | b |\n|---|---|\n| 1 | 2 |\n\nOne table\n:::\n";
    let d = parse(body, 1).document;
    assert_eq!(d.blocks.len(), 2, "{:#?}", d.blocks);
    let Block::Float { kind: FloatKind::Figure, caption, blocks, pos } = &d.blocks[0] else {
        panic!("{:?}", d.blocks[0])
    };
    assert_eq!(crate::model::document::plain_text(caption), "Two things shown");
    assert_eq!(blocks.len(), 2);
    let Block::Table { caption: tc, pos: tp, .. } = &d.blocks[1] else { panic!("{:?}", d.blocks[1]) };
    assert_eq!(crate::model::document::plain_text(tc), "One table");
    assert_eq!(d.ids, vec![(*pos, "fig-two".to_string()), (*tp, "tbl-one".to_string())]);
}

#[test]
fn a_table_caption_right_under_the_table_is_its_caption_not_a_row() {
    let body = "| a | b |\n|---|---|\n| 1 | 2 |\n: The *first* {#tbl-one}\n\n| c |\n|---|\n| : not a caption |\n";
    let d = parse(body, 1).document;
    let Block::Table { caption, rows, pos, .. } = &d.blocks[0] else { panic!("{:?}", d.blocks[0]) };
    assert_eq!(crate::model::document::plain_text(caption), "The first");
    assert_eq!(rows.len(), 2, "the header and one row");
    assert_eq!(d.ids, vec![(*pos, "tbl-one".to_string())]);
    let Block::Table { caption, rows, .. } = &d.blocks[1] else { panic!("{:?}", d.blocks[1]) };
    assert!(caption.is_empty());
    assert_eq!(rows.len(), 2);
    // In a `<div>` whose closing tag goes on the caption's paragraph.
    let body = "<div style=\"overflow-x:auto;\">\n\n| a |\n|---|\n| 1 |\n\n: Wide {#tbl-wide}\n    </div>\n";
    let d = parse(body, 1).document;
    let Some(Block::Table { caption, pos, .. }) = d.blocks.iter().find(|b| matches!(b, Block::Table { .. })) else {
        panic!("{:#?}", d.blocks)
    };
    assert_eq!(crate::model::document::plain_text(caption).trim(), "Wide");
    assert_eq!(d.ids, vec![(*pos, "tbl-wide".to_string())]);
}

#[test]
fn raw_html_is_kept_for_check() {
    let d = parse("<div>x</div>\n\nH<sub>2</sub>O\n", 1).document;
    assert!(matches!(d.blocks[0], Block::Html { .. }));
    let mut html = 0;
    d.for_each_inline(&mut |i| html += matches!(i, Inline::Html { .. }) as usize);
    assert_eq!(html, 2);
}

#[test]
fn definition_lists_are_terms_with_their_definitions() {
    let d = parse("Apple\n: A fruit.\n\n*Pear*\n: Another fruit.\n\n  More of it.\n\nAfter.\n", 1).document;
    let Block::Term { term, blocks } = &d.blocks[0] else { panic!("{:?}", d.blocks) };
    assert_eq!(crate::model::document::plain_text(term), "Apple");
    assert!(matches!(blocks.as_slice(), [Block::Paragraph(_)]), "{blocks:?}");
    let Block::Term { term, blocks } = &d.blocks[1] else { panic!("{:?}", d.blocks) };
    assert!(matches!(term.as_slice(), [Inline::Emph(_)]), "{term:?}");
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    assert!(matches!(&d.blocks[2], Block::Paragraph(_)));
}

#[test]
fn an_image_keeps_the_share_of_the_width_it_asks_for() {
    let d =
        parse("![A](a.png){#fig-a width=50%}\n\n![B](b.png){width=\"30%\"}\n\n![C](c.png){width=10cm}\n", 1).document;
    let widths: Vec<Option<u8>> = d
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(i) => match i.as_slice() {
                [Inline::Image { width, .. }] => *width,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(widths, [Some(50), Some(30), None], "a length other than a share is left to the editions");
}

#[test]
fn an_id_given_twice_is_made_unique_for_the_editions() {
    let d = parse("![A](a.png){#fig-x}\n\n![B](b.png){#fig-x}\n\n## Fig X {#fig-x}\n", 1).document;
    let mut anchors: Vec<String> = d.anchors().into_values().collect();
    anchors.sort();
    assert_eq!(anchors, ["fig-x", "fig-x-1", "fig-x-2"]);
}

#[test]
fn with_fig_alt_the_bracketed_text_is_the_caption() {
    let doc = parse("![The caption.](a.png){#fig-a fig-alt=\"A description.\"}\n", 1).document;
    let [Block::Paragraph(i)] = doc.blocks.as_slice() else { panic!("{:#?}", doc.blocks) };
    assert!(
        matches!(i.as_slice(), [Inline::Image { title, alt, .. }] if title == "The caption." && alt == "A description."),
        "{i:#?}"
    );
    // A caption that cites would print its citation raw as a plain title: not taken.
    let doc = parse("![After [@key], `x`.](a.png){#fig-a fig-alt=\"A description.\"}\n", 1).document;
    let [Block::Paragraph(i)] = doc.blocks.as_slice() else { panic!("{:#?}", doc.blocks) };
    assert!(matches!(i.as_slice(), [Inline::Image { title, .. }] if title.is_empty()), "{i:#?}");
}
