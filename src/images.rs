//! Images for the screen editions: decoded once, scaled down, re-encoded.
//!
//! Contributors send photos straight from cameras; readers need a few hundred
//! pixels. Each image is decoded (within memory limits), scaled so that its
//! longer side fits the edition's maximum, and encoded again: JPEG for opaque
//! images, PNG for images with transparency. Re-encoding also strips every
//! piece of metadata (location, camera, comments) the original carried.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageEncoder, ImageReader, imageops::FilterType};

/// An image ready for an edition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// `jpg` or `png`.
    pub ext: &'static str,
    /// `image/jpeg` or `image/png`.
    pub media_type: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why an image could not be processed.
#[derive(Debug, thiserror::Error)]
#[error("cannot process {path}: {reason}")]
pub struct ImageError {
    /// The file.
    pub path: std::path::PathBuf,
    /// Why.
    pub reason: String,
}

/// Decodes `path`, scales it to at most `max` pixels on its longer side and
/// re-encodes it.
pub fn process(path: &Path, max: u32) -> Result<Processed, ImageError> {
    Ok(process_sizes(path, &[max])?.remove(0))
}

/// Decodes `path` once and makes one image per size in `sizes` (each the
/// longest side allowed), in that order.
pub fn process_sizes(path: &Path, sizes: &[u32]) -> Result<Vec<Processed>, ImageError> {
    let err = |reason: String| ImageError { path: path.to_path_buf(), reason };
    let mut reader = ImageReader::open(path)
        .map_err(|e| err(e.to_string()))?
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| err(e.to_string()))?;
    sizes
        .iter()
        .map(|&max| if img.width().max(img.height()) > max { encode(&scale(img.clone(), max)) } else { encode(&img) })
        .collect::<Result<Vec<_>, String>>()
        .map_err(err)
}

/// Images already processed in this build, by file and size: the EPUB and
/// the website both show photos at 240 pixels, and make them once.
#[derive(Debug, Default)]
pub struct Cache {
    done: std::sync::Mutex<std::collections::HashMap<(std::path::PathBuf, u32), Processed>>,
}

impl Cache {
    /// `path` at each of `sizes`, decoding it (once) only for the sizes not made yet.
    pub fn sizes(&self, path: &Path, sizes: &[u32]) -> Result<Vec<Processed>, ImageError> {
        let key = |s: u32| (path.to_path_buf(), s);
        let missing: Vec<u32> = {
            let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            sizes.iter().copied().filter(|s| !done.contains_key(&key(*s))).collect()
        };
        if !missing.is_empty() {
            let made = process_sizes(path, &missing)?;
            let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            for (s, p) in missing.into_iter().zip(made) {
                done.insert(key(s), p);
            }
        }
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        Ok(sizes.iter().map(|s| done[&key(*s)].clone()).collect())
    }
}

/// `img` with its longer side brought to `max`, the ratio kept. SIMD
/// convolution (fast_image_resize) where the pixel type allows it.
fn scale(img: DynamicImage, max: u32) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let ratio = f64::from(max) / f64::from(w.max(h));
    let nw = ((f64::from(w) * ratio).round() as u32).max(1);
    let nh = ((f64::from(h) * ratio).round() as u32).max(1);
    let mut dst = DynamicImage::new(nw, nh, img.color());
    let options = fast_image_resize::ResizeOptions::new()
        .resize_alg(fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::CatmullRom));
    match fast_image_resize::Resizer::new().resize(&img, &mut dst, &options) {
        Ok(()) => dst,
        Err(_) => img.resize(nw, nh, FilterType::CatmullRom),
    }
}

fn encode(img: &DynamicImage) -> Result<Processed, String> {
    let (width, height) = (img.width(), img.height());
    let mut bytes = Vec::new();
    if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        image::codecs::png::PngEncoder::new(Cursor::new(&mut bytes))
            .write_image(&rgba, width, height, image::ExtendedColorType::Rgba8)
            .map_err(|e| e.to_string())?;
        Ok(Processed { bytes, ext: "png", media_type: "image/png", width, height })
    } else {
        let rgb = img.to_rgb8();
        let (w, h) =
            (u16::try_from(width).map_err(|e| e.to_string())?, u16::try_from(height).map_err(|e| e.to_string())?);
        // jpeg-encoder (SIMD) encodes several times faster than image's own encoder.
        jpeg_encoder::Encoder::new(&mut bytes, 85)
            .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| e.to_string())?;
        Ok(Processed { bytes, ext: "jpg", media_type: "image/jpeg", width, height })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_down_and_reencodes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.png");
        crate::synth::portrait(1, 900).save(&p).unwrap();
        let out = process(&p, 300).unwrap();
        assert_eq!((out.width, out.height, out.ext), (300, 300, "jpg"));
        assert!(out.bytes.starts_with(&[0xFF, 0xD8]));
        let small = process(&p, 2000).unwrap();
        assert_eq!(small.width, 900, "never scaled up");
        let again = process(&p, 300).unwrap();
        assert_eq!(out, again, "deterministic");
    }

    #[test]
    fn the_cache_makes_each_size_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.png");
        crate::synth::portrait(2, 500).save(&p).unwrap();
        let cache = Cache::default();
        let a = cache.sizes(&p, &[100, 240]).unwrap();
        std::fs::remove_file(&p).unwrap();
        // Served from the cache: the file is gone.
        let b = cache.sizes(&p, &[240]).unwrap();
        assert_eq!(a[1], b[0]);
        assert!(cache.sizes(&p, &[300]).is_err());
    }

    #[test]
    fn transparency_stays_png() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.png");
        image::RgbaImage::from_pixel(10, 20, image::Rgba([1, 2, 3, 100])).save(&p).unwrap();
        let out = process(&p, 5).unwrap();
        assert_eq!((out.width, out.height, out.ext), (3, 5, "png"));
    }
}
