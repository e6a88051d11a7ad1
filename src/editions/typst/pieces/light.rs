//! A piece's layout made lighter before it is kept.
//!
//! typst's frames carry, in their introspection tags, every element that
//! was laid out, with all its content: a paragraph's tag holds the whole
//! paragraph, its emphasis holds its words again, a list holds its items.
//! After layout, only the PDF writer reads them, for the structure tree, and
//! of most elements it reads only the kind, the location and the span; the
//! content is then held for nothing while the book's pieces are kept (for
//! the whole build, and between builds in `watch`). Here the elements the
//! writer reads only that much lose their content right after a piece is
//! laid out; headings (whose text titles the outline and the structure),
//! figures, images, tables, links, equations, code and the template's
//! markers are left whole. The piece's document is then built again from
//! the lighter frames, so that its introspector holds the lighter elements
//! too and the originals are freed. The PDF is the same, byte for byte.
//!
//! It is done once typst's memoised work is dropped (see `layouts`): the
//! frames are then held by the piece alone and change in place; while typst
//! still held them, each one changed was a copy. Measured on a generated
//! book of 1,000 essays, the PDF alone: a peak of 975 MiB against 1,015.

use typst::ecow::EcoVec;
use typst::foundations::Content;
use typst::introspection::Tag;
use typst::layout::{Frame, FrameItem};
use typst::model::{
    Document as _, EmphElem, EnumElem, EnumItem, FootnoteBody, FootnoteElem, FootnoteEntry, ListElem, ListItem,
    ParElem, QuoteElem, StrongElem, TermItem, TermsElem,
};
use typst_layout::{Page, PagedDocument};

/// `doc` with the content of the elements its tags carry dropped where the
/// PDF writer does not read it.
pub(super) fn lighten(doc: PagedDocument) -> PagedDocument {
    if !doc.pages().iter().any(|p| heavy(&p.frame)) {
        return doc;
    }
    let info = doc.info().clone();
    let mut pages: EcoVec<Page> = doc.pages().iter().cloned().collect();
    // The old document's frames and introspector go before the new ones
    // are made, so that frames held only here are changed in place.
    drop(doc);
    for page in pages.make_mut() {
        lighten_frame(&mut page.frame);
    }
    PagedDocument::new(pages, info)
}

/// Whether `frame`, or a frame in it, has a tag whose element can be
/// lightened: a frame without one is not touched (nor copied).
fn heavy(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(g) => heavy(&g.frame),
        FrameItem::Tag(Tag::Start(elem, _)) => lightened(elem).is_some(),
        _ => false,
    })
}

fn lighten_frame(frame: &mut Frame) {
    if !heavy(frame) {
        return;
    }
    frame.retain(|item| {
        match item {
            FrameItem::Group(g) => lighten_frame(&mut g.frame),
            FrameItem::Tag(Tag::Start(elem, _)) => {
                if let Some(light) = lightened(elem) {
                    *elem = light;
                }
            }
            _ => {}
        }
        true
    });
}

/// `elem` without the content the PDF writer does not read, when it has
/// some: the same element (kind, fields the writer reads, location, label
/// and span), its body empty.
fn lightened(elem: &Content) -> Option<Content> {
    let mut out = elem.clone();
    if let Some(e) = out.to_packed_mut::<ParElem>() {
        emptied(&mut e.body)?;
    } else if let Some(e) = out.to_packed_mut::<EmphElem>() {
        emptied(&mut e.body)?;
    } else if let Some(e) = out.to_packed_mut::<StrongElem>() {
        emptied(&mut e.body)?;
    } else if let Some(e) = out.to_packed_mut::<QuoteElem>() {
        emptied(&mut e.body)?;
    } else if let Some(e) = out.to_packed_mut::<ListItem>() {
        emptied(&mut e.body)?;
    } else if let Some(e) = out.to_packed_mut::<EnumItem>() {
        emptied(&mut e.body)?;
    } else if let Some(e) = out.to_packed_mut::<TermItem>() {
        let term = emptied(&mut e.term);
        emptied(&mut e.description).or(term)?;
    } else if let Some(e) = out.to_packed_mut::<ListElem>() {
        (!e.children.is_empty()).then(|| e.children = Vec::new())?;
    } else if let Some(e) = out.to_packed_mut::<EnumElem>() {
        (!e.children.is_empty()).then(|| e.children = Vec::new())?;
    } else if let Some(e) = out.to_packed_mut::<TermsElem>() {
        (!e.children.is_empty()).then(|| e.children = Vec::new())?;
    } else if let Some(e) = out.to_packed_mut::<FootnoteElem>() {
        light_note(e)?;
    } else if let Some(e) = out.to_packed_mut::<FootnoteEntry>() {
        light_note(&mut e.note)?;
    } else {
        return None;
    }
    Some(out)
}

/// `body` emptied, when it was not empty.
fn emptied(body: &mut Content) -> Option<()> {
    if body.is_empty() {
        return None;
    }
    *body = Content::empty();
    Some(())
}

/// A footnote without its text (a footnote that repeats another by label
/// has none).
fn light_note(note: &mut FootnoteElem) -> Option<()> {
    match &mut note.body {
        FootnoteBody::Content(c) => emptied(c),
        FootnoteBody::Reference(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editions::typst::world::BookWorld;
    use typst::foundations::NativeElement;

    const TEXT: &str = r#"#set document(title: [Light])
#set text(lang: "en")
= A heading
A paragraph with _emphasis_, *strong* words and a note.#footnote[The note's own text.]

- an item with _more_ words
- and a second one

+ counted
+ items

/ Term: its description

#quote(block: true)[A quotation long enough to be set apart.]

#figure(rect(width: 2cm, height: 1cm), alt: "A grey box", caption: [A figure]) <fig>

See @fig, and #link("https://example.org")[a link].
"#;

    fn typeset() -> PagedDocument {
        let fonts = std::sync::Arc::new(crate::fonts::Fonts::new(Vec::new()));
        let mut world = BookWorld::new(fonts, "/main.typ", None);
        world.add_source("/main.typ", TEXT.to_string());
        typst::compile::<PagedDocument>(&world).output.expect("the sample compiles")
    }

    fn pdf(doc: &PagedDocument) -> Vec<u8> {
        let options = typst_pdf::PdfOptions {
            ident: typst::foundations::Smart::Custom("light".into()),
            standards: typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1]).unwrap(),
            ..Default::default()
        };
        typst_pdf::pdf(doc, &options).expect("the sample exports")
    }

    /// How many tags in `frame` hold an element with content that could go.
    fn heavy_tags(frame: &Frame) -> usize {
        frame
            .items()
            .map(|(_, item)| match item {
                FrameItem::Group(g) => heavy_tags(&g.frame),
                FrameItem::Tag(Tag::Start(elem, _)) => usize::from(lightened(elem).is_some()),
                _ => 0,
            })
            .sum()
    }

    #[test]
    fn the_lighter_pages_give_the_same_pdf_and_hold_no_body_the_writer_does_not_read() {
        let doc = typeset();
        let before = pdf(&doc);
        let heavy: usize = doc.pages().iter().map(|p| heavy_tags(&p.frame)).sum();
        assert!(heavy >= 10, "paragraphs, emphasis, lists, a quote and a note: {heavy}");
        let light = lighten(doc);
        assert_eq!(light.pages().iter().map(|p| heavy_tags(&p.frame)).sum::<usize>(), 0);
        assert!(pdf(&light) == before, "the PDF changed");
        // What the introspector answers is the lighter element, where it was.
        use typst::introspection::Introspector;
        let pars = light.introspector().query(&ParElem::ELEM.select());
        assert!(!pars.is_empty());
        assert!(pars.iter().all(|p| p.to_packed::<ParElem>().is_some_and(|p| p.body.is_empty())));
        let headings = light.introspector().query(&typst::model::HeadingElem::ELEM.select());
        let heading = headings[0].to_packed::<typst::model::HeadingElem>().unwrap();
        assert_eq!(heading.body.plain_text(), "A heading");
    }

    #[test]
    fn a_layout_with_nothing_to_lighten_is_returned_as_it_is() {
        let fonts = std::sync::Arc::new(crate::fonts::Fonts::new(Vec::new()));
        let mut world = BookWorld::new(fonts, "/main.typ", None);
        world.add_source("/main.typ", "#rect(width: 1cm)".to_string());
        let doc = typst::compile::<PagedDocument>(&world).output.unwrap();
        let frame = typst::utils::hash128(&doc.pages()[0].frame);
        let same = lighten(doc);
        assert_eq!(typst::utils::hash128(&same.pages()[0].frame), frame);
    }
}
