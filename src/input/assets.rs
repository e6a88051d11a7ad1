//! Files an essay points to: photos, images in the text, linked files.
//!
//! Contributions are untrusted. A path is first resolved lexically: an
//! absolute path, or `..` that climbs out of the book's folder, is refused
//! before anything touches the file system. Then the file's real location is
//! compared with the book's, so that a symbolic link pointing outside the book
//! is refused too. Only then is the file opened, and images are probed from
//! their header alone (format and size), so that a decompression bomb is
//! refused without being decoded.

use std::fs::File;
use std::io::BufReader;
use std::path::{Component, Path, PathBuf};

pub use crate::model::asset::{Asset, AssetProblem, ImageFormat, ImageInfo};

/// Whether a reference is a URL with a scheme (`https:`, `mailto:`, `data:`…).
pub fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 1 => {
            let scheme = &s[..i];
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => false,
    }
}

/// Whether a link may go into an edition as it is: `http`, `https` or
/// `mailto` only (never `javascript:`, `data:` or `file:`).
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Decodes `%XX` escapes of a Markdown destination; invalid escapes stay as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Resolves `written`, relative to the folder `base` (itself relative to the
/// book's `root`), to a path relative to `root`, without touching the file
/// system. Fails when the path is absolute or climbs out of the book.
pub fn resolve_lexically(base: &Path, written: &str) -> Result<PathBuf, AssetProblem> {
    let written = written.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_decode(written);
    let p = Path::new(&decoded);
    if decoded.is_empty() {
        return Err(AssetProblem::Missing);
    }
    if p.is_absolute() || decoded.starts_with('/') || decoded.starts_with('\\') || has_scheme(&decoded) {
        return Err(if has_scheme(&decoded) && !decoded.starts_with("file:") {
            AssetProblem::Remote
        } else {
            AssetProblem::Outside
        });
    }
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for c in base.join(p).components() {
        match c {
            Component::Normal(x) => parts.push(x.to_os_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(AssetProblem::Outside);
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err(AssetProblem::Outside),
        }
    }
    Ok(parts.iter().collect())
}

/// Checks that `rel` (relative to `root`) exists and really lies inside the
/// book, following symbolic links. `root` must be canonical.
pub fn locate(root: &Path, rel: &Path) -> Result<PathBuf, AssetProblem> {
    let full = root.join(rel);
    let real = match full.canonicalize() {
        Ok(r) => r,
        Err(_) => {
            // A dangling link is as good as missing, but one that points
            // outside is reported as such.
            if let Ok(target) = std::fs::read_link(&full) {
                let t = full.parent().unwrap_or(root).join(target);
                if !t.starts_with(root) {
                    return Err(AssetProblem::Outside);
                }
            }
            return Err(AssetProblem::Missing);
        }
    };
    if !real.starts_with(root) {
        return Err(AssetProblem::Outside);
    }
    if !real.is_file() {
        return Err(AssetProblem::Missing);
    }
    Ok(real)
}

/// Reads an image's format and size from its header only; an SVG file is
/// read whole (within [`super::svg::MAX_SVG_BYTES`]) and parsed, since its
/// size is in its root element and it must be readable to be published.
pub fn probe(path: &Path) -> Result<ImageInfo, AssetProblem> {
    let _doing = crate::doing::doing(format!("reading the image {}", path.display()));
    let file = File::open(path).map_err(|e| AssetProblem::Unreadable(e.to_string()))?;
    let reader = image::ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|e| AssetProblem::Unreadable(e.to_string()))?;
    let format = match reader.format() {
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::WebP) => ImageFormat::WebP,
        Some(image::ImageFormat::Gif) => ImageFormat::Gif,
        Some(other) => {
            return Err(AssetProblem::Unreadable(format!("{other:?} images are not supported")));
        }
        None => return probe_svg(path),
    };
    // Reading the header allocates nothing, so the decoder's own allocation
    // limits are lifted here; the pixel limit of the rules applies instead.
    let mut reader = reader;
    reader.no_limits();
    let (width, height) =
        reader.into_dimensions().map_err(|e| AssetProblem::Unreadable(format!("corrupt {format:?} image: {e}")))?;
    Ok(ImageInfo { format, width, height })
}

fn probe_svg(path: &Path) -> Result<ImageInfo, AssetProblem> {
    let not_an_image = || AssetProblem::Unreadable("not a PNG, JPEG, WebP, GIF or SVG image".into());
    let len = std::fs::metadata(path).map_err(|e| AssetProblem::Unreadable(e.to_string()))?.len();
    let mut head = vec![0; 4096.min(len as usize)];
    std::io::Read::read_exact(&mut File::open(path).map_err(|e| AssetProblem::Unreadable(e.to_string()))?, &mut head)
        .map_err(|e| AssetProblem::Unreadable(e.to_string()))?;
    if !super::svg::looks_like_svg(&head) {
        return Err(not_an_image());
    }
    if len > super::svg::MAX_SVG_BYTES as u64 {
        return Err(AssetProblem::Unreadable(format!(
            "an SVG of {len} bytes; the limit is {} MiB",
            super::svg::MAX_SVG_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| AssetProblem::Unreadable(e.to_string()))?;
    let (width, height) = super::svg::size(&bytes).map_err(AssetProblem::Unreadable)?;
    Ok(ImageInfo { format: ImageFormat::Svg, width, height })
}

/// Resolves, locates and probes an image referenced as `written` from `base`.
pub fn image(root: &Path, base: &Path, written: &str) -> Asset {
    let rel = resolve_lexically(base, written);
    let located = rel.clone().and_then(|r| locate(root, &r));
    let image = located.and_then(|real| probe(&real));
    Asset { written: written.to_string(), path: rel.ok(), image }
}

/// Resolves and locates a linked file; `Ok` with its path relative to root.
pub fn linked_file(root: &Path, base: &Path, written: &str) -> Result<PathBuf, AssetProblem> {
    let rel = resolve_lexically(base, written)?;
    locate(root, &rel)?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_resolution() {
        let base = Path::new("contributions/a");
        assert_eq!(resolve_lexically(base, "p.png"), Ok(PathBuf::from("contributions/a/p.png")));
        assert_eq!(resolve_lexically(base, "../b/p%20q.png"), Ok(PathBuf::from("contributions/b/p q.png")));
        assert_eq!(resolve_lexically(base, "../../../etc/passwd"), Err(AssetProblem::Outside));
        assert_eq!(resolve_lexically(base, "/etc/passwd"), Err(AssetProblem::Outside));
        assert_eq!(resolve_lexically(base, "file:///etc/passwd"), Err(AssetProblem::Outside));
        assert_eq!(resolve_lexically(base, "https://e.org/x.png"), Err(AssetProblem::Remote));
        assert_eq!(resolve_lexically(base, "x.md#part"), Ok(PathBuf::from("contributions/a/x.md")));
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("c:x")); // one letter: a Windows drive, not a scheme
        assert!(!has_scheme("a/b:c"));
    }

    #[test]
    fn symlinks_out_of_the_book_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.png"), b"x").unwrap();
        let book = tempfile::tempdir().unwrap();
        let root = book.path().canonicalize().unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("secret.png"), root.join("link.png")).unwrap();
        #[cfg(unix)]
        assert_eq!(locate(&root, Path::new("link.png")), Err(AssetProblem::Outside));
        assert_eq!(locate(&root, Path::new("none.png")), Err(AssetProblem::Missing));
    }

    #[test]
    fn probe_reads_headers_and_refuses_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.png");
        image::RgbImage::new(3, 2).save(&p).unwrap();
        assert_eq!(probe(&p), Ok(ImageInfo { format: ImageFormat::Png, width: 3, height: 2 }));
        let g = dir.path().join("g.png");
        std::fs::write(&g, b"not an image at all").unwrap();
        assert!(matches!(probe(&g), Err(AssetProblem::Unreadable(_))));
        // A PNG signature with a truncated header is corrupt.
        let t = dir.path().join("t.png");
        std::fs::write(&t, &std::fs::read(&p).unwrap()[..12]).unwrap();
        assert!(matches!(probe(&t), Err(AssetProblem::Unreadable(_))));
    }
}
