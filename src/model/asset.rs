//! Files the book references, as the model holds them once resolved: where
//! the file is, and what its header says (or why it cannot be used).
//! Resolving and probing them is [`crate::input::assets`]'s work.

use std::path::PathBuf;

/// What a probed image is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    /// The format, from the file's signature (not its extension).
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Image formats the editions accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    WebP,
    /// GIF (animated or not).
    Gif,
    /// SVG, which the editions publish only as usvg writes it again.
    Svg,
}

impl ImageFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::WebP => "webp",
            ImageFormat::Gif => "gif",
            ImageFormat::Svg => "svg",
        }
    }

    /// The media type, for EPUB manifests and HTML.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::WebP => "image/webp",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Svg => "image/svg+xml",
        }
    }
}

/// Why a referenced file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssetProblem {
    /// Nothing at that path (or a folder).
    Missing,
    /// The path leaves the book's folder; it was not read.
    Outside,
    /// A remote URL where a file of the book is needed.
    Remote,
    /// Not an image the tool can read; the reason.
    Unreadable(String),
}

/// A file referenced by an essay, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// The reference as written.
    pub written: String,
    /// Path relative to the book's root, when it resolved inside the book.
    pub path: Option<PathBuf>,
    /// The image's header, or why it cannot be used.
    pub image: Result<ImageInfo, AssetProblem>,
}
