//! SVG images: read by usvg, never trusted as written.
//!
//! An SVG file is a document that can hold scripts, event handlers, links
//! to other files and to the network, and entities that expand without end.
//! usvg (the SVG reader typst itself uses) parses it into a tree of shapes,
//! paths, gradients and embedded raster images and nothing else: scripts,
//! handlers, animation and foreign elements have no place in that tree, and
//! the [`options`] here refuse every image it would load from a file or an
//! address. The editions write that tree out again ([`sanitise`]): what
//! reaches a reader is usvg's SVG, never the author's.

use std::sync::Arc;

/// Largest SVG file read, in bytes.
pub const MAX_SVG_BYTES: usize = 4 * 1024 * 1024;

/// Whether `bytes` look like an SVG document: an `<svg` element near the
/// start, after an XML declaration, comments or a doctype.
pub fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('<') && text.contains("<svg")
}

/// usvg's options for an author's SVG: no folder to load files from, no
/// image but those embedded as `data:` addresses, and `fontdb` for its text
/// (an empty one when only the size is wanted).
pub fn options(fontdb: Arc<usvg::fontdb::Database>) -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        font_family: "Libertinus Serif".into(),
        fontdb,
        ..usvg::Options::default()
    }
}

fn parse(bytes: &[u8], fontdb: Arc<usvg::fontdb::Database>) -> Result<usvg::Tree, String> {
    if bytes.len() > MAX_SVG_BYTES {
        return Err(format!("an SVG of {} bytes; the limit is {} MiB", bytes.len(), MAX_SVG_BYTES >> 20));
    }
    usvg::Tree::from_data(bytes, &options(fontdb)).map_err(|e| format!("not a readable SVG image: {e}"))
}

/// The size of an SVG image, in CSS pixels (rounded up), checked readable.
pub fn size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let tree = parse(bytes, Arc::new(usvg::fontdb::Database::new()))?;
    Ok(pixels(&tree))
}

fn pixels(tree: &usvg::Tree) -> (u32, u32) {
    let s = tree.size();
    (s.width().ceil().max(1.0) as u32, s.height().ceil().max(1.0) as u32)
}

/// The image as usvg writes it again, its text set as paths in `fontdb`'s
/// fonts, with its size: what the editions publish.
pub fn sanitise(bytes: &[u8], fontdb: Arc<usvg::fontdb::Database>) -> Result<(Vec<u8>, u32, u32), String> {
    let tree = parse(bytes, fontdb)?;
    let (w, h) = pixels(&tree);
    Ok((tree.to_string(&usvg::WriteOptions::default()).into_bytes(), w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = r#"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40.5" onload="alert(1)">
  <script>alert(2)</script>
  <a xlink:href="javascript:alert(3)"><rect width="50" height="20" fill="red" onclick="alert(4)"/></a>
  <image xlink:href="/etc/passwd" width="10" height="10"/>
  <image xlink:href="https://evil.example/x.png" width="10" height="10"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <set attributeName="fill" to="blue"/>
</svg>"#;

    #[test]
    fn only_shapes_survive() {
        assert!(looks_like_svg(HOSTILE.as_bytes()));
        assert!(!looks_like_svg(b"\x89PNG\r\n"));
        assert_eq!(size(HOSTILE.as_bytes()), Ok((120, 41)));
        let (clean, w, h) = sanitise(HOSTILE.as_bytes(), Arc::new(usvg::fontdb::Database::new())).unwrap();
        let clean = String::from_utf8(clean).unwrap();
        assert_eq!((w, h), (120, 41));
        for banned in ["script", "alert", "onload", "onclick", "javascript", "passwd", "evil", "foreignObject", "<set"]
        {
            assert!(!clean.contains(banned), "{banned} in {clean}");
        }
        assert!(clean.contains("<path") || clean.contains("<rect"), "{clean}");
    }

    #[test]
    fn unreadable_or_huge_svg_is_refused() {
        assert!(size(b"<svg").is_err());
        let huge = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>", " ".repeat(MAX_SVG_BYTES));
        assert!(size(huge.as_bytes()).unwrap_err().contains("limit"));
    }
}
