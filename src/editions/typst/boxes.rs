//! The page boxes printers read, added to the PDF typst wrote.
//!
//! typst writes each page's MediaBox (the trim and its bleed) and, when
//! there is bleed, its TrimBox; printers also want the BleedBox. They are
//! added as an incremental update after typst's bytes, which stay as they
//! are. Loading the whole file with lopdf parsed every object of it: 0.3 s
//! for a book of 112 essays, 4.5 s for the 709 pages of the EIPs, 19 s for
//! a book of 1,000 essays, longer than typst took to write it. Only the
//! page objects are needed. So the cross-reference table is read here
//! (typst writes a classic one, in the fixed layout the PDF standard gives
//! it), and lopdf parses the trailer, the catalog, the page tree and the
//! pages, each from its own offset, nothing else. A file laid out
//! otherwise is loaded whole, as before.

use std::collections::{BTreeMap, HashSet};

use lopdf::xref::{Xref, XrefEntry, XrefType};
use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, Reader};

use super::PdfError;

/// `pdf` with a TrimBox and a BleedBox on every page (see the module's
/// documentation).
pub fn print_boxes(pdf: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    let fail = |e: lopdf::Error| PdfError::Boxes(e.to_string());
    let (doc, pages) = match pages_only(&pdf) {
        Some(found) => found,
        None => {
            let doc = Document::load_mem(&pdf).map_err(fail)?;
            let pages = doc
                .get_pages()
                .into_values()
                .map(|id| Ok((id, doc.get_dictionary(id)?.clone())))
                .collect::<Result<Vec<_>, lopdf::Error>>()
                .map_err(fail)?;
            (doc, pages)
        }
    };
    let mut update = IncrementalDocument::create_from(pdf, doc);
    for (id, mut page) in pages {
        let media = page.get(b"MediaBox").map_err(fail)?.clone();
        let trim = page.get(b"TrimBox").cloned().unwrap_or_else(|_| media.clone());
        page.set("TrimBox", trim);
        page.set("BleedBox", media);
        update.new_document.set_object(id, Object::Dictionary(page));
    }
    let mut out = Vec::new();
    update.save_to(&mut out).map_err(|e| PdfError::Boxes(e.to_string()))?;
    Ok(out)
}

/// The document as lopdf needs it for an incremental update (its trailer
/// and cross-reference table, none of its objects) and every page's
/// dictionary, in order; `None` when the file is not laid out as typst
/// lays it out: one classic cross-reference table, a flat page tree.
fn pages_only(pdf: &[u8]) -> Option<(Document, Vec<(ObjectId, Dictionary)>)> {
    let xref_start = last_startxref(pdf)?;
    let (table, trailer_at) = xref_table(pdf, xref_start)?;
    let trailer = trailer(pdf, trailer_at)?;
    if trailer.has(b"Prev") || trailer.has(b"Encrypt") || trailer.has(b"XRefStm") {
        return None;
    }
    let mut doc = Document::new();
    doc.version = std::str::from_utf8(pdf.get(5..8)?).ok()?.to_string();
    doc.xref_start = xref_start;
    doc.max_id = table.keys().max().copied()?;
    let mut xref = Xref::new(doc.max_id + 1, XrefType::CrossReferenceTable);
    for (&id, &(offset, generation)) in &table {
        xref.insert(id, XrefEntry::Normal { offset, generation });
    }
    doc.reference_table = xref;
    doc.trailer = trailer;
    let get = |id: ObjectId| object(pdf, &table, id);
    let root = get(doc.trailer.get(b"Root").ok()?.as_reference().ok()?)?;
    let tree = get(root.as_dict().ok()?.get(b"Pages").ok()?.as_reference().ok()?)?;
    let kids = tree.as_dict().ok()?.get(b"Kids").ok()?.as_array().ok()?;
    let mut pages = Vec::with_capacity(kids.len());
    for kid in kids {
        let id = kid.as_reference().ok()?;
        let page = get(id)?.as_dict().ok()?.clone();
        // A page tree of more levels is left to lopdf.
        if !page.has_type(b"Page") {
            return None;
        }
        pages.push((id, page));
    }
    Some((doc, pages))
}

/// Object `id`, parsed by lopdf from where the table puts it. lopdf is
/// given the file from that offset on: given the whole file, it counts the
/// lines before the object to be able to say where an error is, which made
/// reading the 3,062 pages of a 1,000-essay book's 28 MB take seconds (all
/// its objects, 19 s; from their own offsets, 1 s).
fn object(pdf: &[u8], table: &Table, id: ObjectId) -> Option<Object> {
    let &(offset, generation) = table.get(&id.0)?;
    if generation != id.1 {
        return None;
    }
    let mut doc = Document::new();
    doc.reference_table.insert(id.0, XrefEntry::Normal { offset: 0, generation });
    let buffer = pdf.get(offset as usize..)?;
    let reader = Reader { buffer, document: doc, encryption_state: None, raw_objects: BTreeMap::new() };
    reader.get_object(id, &mut HashSet::new()).ok()
}

/// The offset the file's last `startxref` gives.
fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    std::str::from_utf8(&tail[at + 9..]).ok()?.split_whitespace().next()?.parse().ok()
}

/// Each object's offset and generation, by number.
type Table = BTreeMap<u32, (u32, u16)>;

/// The classic cross-reference table at `at`, and where the trailer's
/// dictionary starts.
fn xref_table(pdf: &[u8], at: usize) -> Option<(Table, usize)> {
    let rest = pdf.get(at..)?;
    let mut words = Words { text: rest, at: 0 };
    if words.next()? != b"xref" {
        return None;
    }
    let mut table = BTreeMap::new();
    loop {
        let first = words.next()?;
        if first == b"trailer" {
            return Some((table, at + words.at));
        }
        let start: u32 = number(first)?;
        let count: u32 = number(words.next()?)?;
        for id in start..start.checked_add(count)? {
            let (offset, generation, kind) = (words.next()?, words.next()?, words.next()?);
            if kind == b"n" {
                table.insert(id, (number(offset)?, number(generation)?));
            }
        }
    }
}

/// The trailer's dictionary, which starts at `at`, parsed by lopdf as the
/// object it would be if numbered.
fn trailer(pdf: &[u8], at: usize) -> Option<Dictionary> {
    let rest = pdf.get(at..)?;
    let end = rest.windows(9).position(|w| w == b"startxref")?;
    let mut wrapped = b"1 0 obj\n".to_vec();
    wrapped.extend_from_slice(&rest[..end]);
    wrapped.extend_from_slice(b"\nendobj\n");
    let at_start = Table::from([(1, (0, 0))]);
    object(&wrapped, &at_start, (1, 0))?.as_dict().ok().cloned()
}

/// Runs of non-white bytes, as the cross-reference table is written.
struct Words<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.at + self.text.get(self.at..)?.iter().position(|b| !b.is_ascii_whitespace())?;
        let len = self.text[start..].iter().position(|b| b.is_ascii_whitespace()).unwrap_or(self.text.len() - start);
        self.at = start + len;
        Some(&self.text[start..start + len])
    }
}

fn number<T: std::str::FromStr>(word: &[u8]) -> Option<T> {
    std::str::from_utf8(word).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF as typst lays it out: two pages, one with a TrimBox.
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Count 2/Kids[3 0 R 4 0 R]>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 441 666]/TrimBox[0 9 432 657]>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 441 666]>>",
        ];
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(format!("trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF").as_bytes());
        out
    }

    #[test]
    fn the_pages_are_found_without_loading_the_whole_file_and_get_both_boxes() {
        let pdf = sample();
        let (doc, pages) = pages_only(&pdf).expect("laid out as typst lays it out");
        assert_eq!(pages.iter().map(|(id, _)| id.0).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(doc.trailer.get(b"Root").and_then(Object::as_reference).ok(), Some((1, 0)));
        let out = print_boxes(pdf.clone()).expect("boxes added");
        assert!(out.starts_with(&pdf), "typst's bytes stay as they are");
        let read = Document::load_mem(&out).expect("lopdf reads the update");
        let boxes = |id: ObjectId, key: &[u8]| read.get_dictionary(id).and_then(|d| d.get(key)).cloned().ok();
        let numbers = |v: [i64; 4]| Some(Object::Array(v.map(Object::Integer).to_vec()));
        assert_eq!(boxes((3, 0), b"TrimBox"), numbers([0, 9, 432, 657]));
        assert_eq!(boxes((3, 0), b"BleedBox"), numbers([0, 0, 441, 666]));
        assert_eq!(boxes((4, 0), b"TrimBox"), numbers([0, 0, 441, 666]));
        assert_eq!(boxes((4, 0), b"BleedBox"), numbers([0, 0, 441, 666]));
    }

    #[test]
    fn a_file_laid_out_otherwise_is_loaded_whole() {
        // An update already made: its trailer has /Prev.
        let once = print_boxes(sample()).expect("boxes added");
        assert!(pages_only(&once).is_none());
        let twice = print_boxes(once).expect("loaded whole");
        let read = Document::load_mem(&twice).expect("lopdf reads it");
        assert_eq!(read.get_pages().len(), 2);
    }
}
