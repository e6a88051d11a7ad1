//! Images for the screen editions: decoded once, scaled down, re-encoded.
//!
//! Contributors send photos straight from cameras; readers need a few hundred
//! pixels. Each image is decoded (within memory limits), scaled so that its
//! longer side fits the edition's maximum, and encoded again: JPEG for opaque
//! images, PNG for images with transparency. Re-encoding also strips every
//! piece of metadata (location, camera, comments) the original carried.
//! Two kinds are kept as drawings rather than pixels: an SVG image is
//! published as usvg writes it again ([`crate::input::svg::sanitise`]), at
//! every size, and an animated GIF stays the file it is, so that it moves on
//! screen (print sets its first frame).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::{DynamicImage, ImageEncoder, ImageReader, imageops::FilterType};

use crate::cache::{DiskCache, KeyBuilder};

/// An image ready for an edition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// `jpg`, `png`, `svg` or `gif`.
    pub ext: &'static str,
    /// `image/jpeg`, `image/png`, `image/svg+xml` or `image/gif`.
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
    let _doing = crate::doing::doing(format!("processing the image {}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| ImageError { path: path.to_path_buf(), reason: e.to_string() })?;
    process_bytes(path, &bytes, sizes)
}

/// What a decoder may allocate for one image: 40 million pixels (the
/// default `[rules] max_image_pixels`) of 16-bit RGBA take 320 MiB.
fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

/// Decodes within [`limits`], turned upright as its EXIF orientation says
/// (cameras store portraits sideways and a tag to turn them).
pub(crate) fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    use image::ImageDecoder;
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn process_bytes(path: &Path, bytes: &[u8], sizes: &[u32]) -> Result<Vec<Processed>, ImageError> {
    let err = |reason: String| ImageError { path: path.to_path_buf(), reason };
    if let Some(kept) = kept_whole(bytes).map_err(err)? {
        return Ok(vec![kept; sizes.len()]);
    }
    let img = decode(bytes).map_err(err)?;
    // Largest first, each smaller size scaled from the smallest one made
    // that is still a quarter larger: the convolution reads fewer pixels
    // (the website's 240 pixels come from print's 320, not from the
    // camera's thousands), and a quarter leaves the filter room to smooth.
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let mut made: Vec<Option<(Option<DynamicImage>, Processed)>> = vec![None; sizes.len()];
    for &i in &order {
        let max = sizes[i];
        let from = order
            .iter()
            .filter_map(|&k| made[k].as_ref().and_then(|(m, _)| m.as_ref()))
            .filter(|m| 4 * m.width().max(m.height()) >= 5 * max)
            .min_by_key(|m| m.width().max(m.height()))
            .unwrap_or(&img);
        // Only a scaled copy is kept: an image already small enough is
        // encoded as it is, never copied (a photo's pixels are megabytes).
        let (out, processed) = if from.width().max(from.height()) > max {
            let out = scale(from, max);
            let processed = encode(&out).map_err(err)?;
            (Some(out), processed)
        } else {
            (None, encode(from).map_err(err)?)
        };
        made[i] = Some((out, processed));
    }
    Ok(made.into_iter().map(|m| m.expect("every size made").1).collect())
}

/// The image as published at every size, when it is not made of pixels to
/// scale: an SVG, written again by usvg, or an animated GIF, as it is.
fn kept_whole(bytes: &[u8]) -> Result<Option<Processed>, String> {
    if crate::input::svg::looks_like_svg(bytes) {
        let (bytes, width, height) = crate::input::svg::sanitise(bytes, crate::fonts::svg_fontdb())?;
        return Ok(Some(Processed { bytes, ext: "svg", media_type: "image/svg+xml", width, height }));
    }
    if bytes.starts_with(b"GIF8") {
        use image::{AnimationDecoder, ImageDecoder};
        let mut decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        // A frame's size is its own, up to 65,535 pixels a side whatever the
        // image's: without a limit, one frame of a 160×90 GIF took 10 GiB.
        decoder.set_limits(limits()).map_err(|e| e.to_string())?;
        let (width, height) = decoder.dimensions();
        // A frame that cannot be read is an error, never a frame to count.
        let mut frames = decoder.into_frames();
        let mut next = || frames.next().transpose().map_err(|e| e.to_string());
        if next()?.is_some() && next()?.is_some() {
            return Ok(Some(Processed { bytes: bytes.to_vec(), ext: "gif", media_type: "image/gif", width, height }));
        }
    }
    Ok(None)
}

/// Changes to how images are scaled and encoded change this, and with it
/// every cache key: old entries are never reused.
const ENCODING: &[u8] = b"catmull-rom, smaller sizes from ones a quarter larger; jpeg q85 (jpeg-encoder); png rgba8; exif orientation applied; svg by usvg; animated gif kept";

/// Each published format and its byte in a disk-cache entry.
const FORMATS: [(&str, &str); 4] =
    [("jpg", "image/jpeg"), ("png", "image/png"), ("svg", "image/svg+xml"), ("gif", "image/gif")];

impl Processed {
    /// The form stored in the disk cache: format, width, height, bytes.
    fn to_entry(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 9);
        out.push(FORMATS.iter().position(|(ext, _)| *ext == self.ext).unwrap_or(0) as u8);
        out.extend_from_slice(&self.width.to_le_bytes());
        out.extend_from_slice(&self.height.to_le_bytes());
        out.extend_from_slice(&self.bytes);
        out
    }

    fn from_entry(entry: &[u8]) -> Option<Processed> {
        let (&format, rest) = entry.split_first()?;
        let width = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
        let height = u32::from_le_bytes(rest.get(4..8)?.try_into().ok()?);
        let bytes = rest.get(8..)?.to_vec();
        let (ext, media_type) = *FORMATS.get(usize::from(format))?;
        Some(Processed { bytes, ext, media_type, width, height })
    }
}

/// When a file was last seen: its length and time of change. A photo
/// replaced during `watch` is processed again.
type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.len(), meta.modified().ok()))
}

/// Images processed for the editions, shared by all of them: in memory by
/// file and size (the EPUB and the website both show photos at 240 pixels,
/// and make them once), and on disk by content and size, so that the next
/// build, or the next `watch` rebuild, does not decode them again.
#[derive(Debug)]
pub struct Cache {
    done: Mutex<HashMap<(PathBuf, u32), (Stamp, Processed)>>,
    /// One lock per file: two editions asking for the same photo at once
    /// wait for one decoding instead of doing two.
    busy: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
    /// Sizes made together: see [`Cache::set_groups`].
    groups: Mutex<Vec<Vec<u32>>>,
    disk: DiskCache,
    /// The SHA-256 of files' content, by file, with the stamp it was taken at.
    digests: Mutex<HashMap<PathBuf, (Stamp, [u8; 32])>>,
}

impl Default for Cache {
    /// A cache in memory only.
    fn default() -> Self {
        Cache::with_disk(DiskCache::disabled())
    }
}

impl Cache {
    /// A cache that also keeps its images in `disk`.
    pub fn with_disk(disk: DiskCache) -> Self {
        Cache {
            done: Mutex::default(),
            busy: Mutex::default(),
            groups: Mutex::default(),
            disk,
            digests: Mutex::default(),
        }
    }

    /// The SHA-256 of the content of `path`, read again only when its size
    /// or time of change moved: a `watch` rebuild keys the PDF by every image
    /// without reading them all again.
    pub fn digest(&self, path: &Path) -> std::io::Result<[u8; 32]> {
        let seen = stamp(path)?;
        match self.kept_digest(path, seen) {
            Some(d) => Ok(d),
            None => Ok(self.digest_of(path, seen, &std::fs::read(path)?)),
        }
    }

    /// The digest of `path` kept from a reading at `seen`, if any.
    fn kept_digest(&self, path: &Path, seen: Stamp) -> Option<[u8; 32]> {
        let digests = self.digests.lock().unwrap_or_else(|e| e.into_inner());
        digests.get(path).filter(|(st, _)| *st == seen).map(|(_, d)| *d)
    }

    /// The SHA-256 of `bytes`, the content of `path` read at `seen`: the
    /// one kept when taken at that stamp, else computed and kept. Each file
    /// is hashed once, whether the PDF's key or an image's entry asks first.
    fn digest_of(&self, path: &Path, seen: Stamp, bytes: &[u8]) -> [u8; 32] {
        use sha2::Digest;
        if let Some(d) = self.kept_digest(path, seen) {
            return d;
        }
        let d: [u8; 32] = sha2::Sha256::digest(bytes).into();
        self.digests.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_path_buf(), (seen, d));
        d
    }

    /// The disk cache behind this one.
    pub fn disk(&self) -> &DiskCache {
        &self.disk
    }

    /// Sizes that are made together: when a file must be decoded for a size
    /// of a group, every size of that group is made from the same decoding.
    /// A build sets one group for photos (the website's, the EPUB's and the
    /// PDF's sizes) and one for images in essays, so that each photo is
    /// decoded once for all the editions, whichever asks first.
    pub fn set_groups(&self, groups: Vec<Vec<u32>>) {
        *self.groups.lock().unwrap_or_else(|e| e.into_inner()) = groups;
    }

    fn missing(&self, path: &Path, seen: Stamp, sizes: &[u32]) -> Vec<u32> {
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let mut missing: Vec<u32> = sizes
            .iter()
            .copied()
            .filter(|s| done.get(&(path.to_path_buf(), *s)).is_none_or(|(st, _)| *st != seen))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// `path` at each of `sizes`, decoding it (once) only for the sizes found
    /// neither in memory nor on disk.
    pub fn sizes(&self, path: &Path, sizes: &[u32]) -> Result<Vec<Processed>, ImageError> {
        let err = |e: std::io::Error| ImageError { path: path.to_path_buf(), reason: e.to_string() };
        let seen = stamp(path).map_err(err)?;
        let key = |s: u32| (path.to_path_buf(), s);
        if !self.missing(path, seen, sizes).is_empty() {
            let lock =
                self.busy.lock().unwrap_or_else(|e| e.into_inner()).entry(path.to_path_buf()).or_default().clone();
            let _one_at_a_time = lock.lock().unwrap_or_else(|e| e.into_inner());
            // Another edition may have made them while this one waited.
            let asked = self.missing(path, seen, sizes);
            if !asked.is_empty() {
                let mut todo = asked.clone();
                for group in self.groups.lock().unwrap_or_else(|e| e.into_inner()).iter() {
                    if group.iter().any(|s| asked.contains(s)) {
                        todo.extend(group);
                    }
                }
                let todo = self.missing(path, seen, &todo);
                let made = self.make(path, seen, &todo)?;
                let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
                for (s, p) in todo.into_iter().zip(made) {
                    done.insert(key(s), (seen, p));
                }
            }
        }
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        Ok(sizes.iter().map(|s| done[&key(*s)].1.clone()).collect())
    }

    /// `path` (as of `seen`) at `sizes`, from the disk cache or decoded once.
    fn make(&self, path: &Path, seen: Stamp, sizes: &[u32]) -> Result<Vec<Processed>, ImageError> {
        let bytes = std::fs::read(path).map_err(|e| ImageError { path: path.to_path_buf(), reason: e.to_string() })?;
        let content = KeyBuilder::new("image").part(ENCODING).part(&self.digest_of(path, seen, &bytes));
        let keys: Vec<_> = sizes.iter().map(|s| content.clone().part(&s.to_le_bytes()).finish()).collect();
        let mut made: Vec<Option<Processed>> =
            keys.iter().map(|k| self.disk.get(k).and_then(|e| Processed::from_entry(&e))).collect();
        let todo: Vec<u32> = sizes.iter().zip(&made).filter(|(_, m)| m.is_none()).map(|(s, _)| *s).collect();
        if !todo.is_empty() {
            let mut fresh = process_bytes(path, &bytes, &todo)?.into_iter();
            for (slot, k) in made.iter_mut().zip(&keys) {
                if slot.is_none() {
                    let p = fresh.next().expect("one image per size asked");
                    self.disk.put(k, &p.to_entry());
                    *slot = Some(p);
                }
            }
        }
        Ok(made.into_iter().map(|m| m.expect("every size made")).collect())
    }

    /// Marks what [`print`](Self::print) would have taken from the disk cache
    /// as still needed, without making it: when the PDF itself comes from the
    /// cache, its scaled images must survive the pruning that follows.
    pub fn keep_print(&self, path: &Path, max: u32) {
        let Ok(digest) = self.digest(path) else { return };
        let content = KeyBuilder::new("image").part(ENCODING).part(&digest);
        self.disk.mark_used(&content.part(&max.to_le_bytes()).finish());
    }

    /// The bytes of `path` for print: the file itself when its longer side
    /// is at most `max` pixels, else a copy scaled to `max` (typst keeps every
    /// image decoded while it lays out the book; full-size photos would cost
    /// gigabytes in a large book).
    pub fn print(&self, path: &Path, max: u32) -> Result<Vec<u8>, ImageError> {
        let err = |reason: String| ImageError { path: path.to_path_buf(), reason };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        // An SVG is printed as usvg writes it again, never as written.
        if crate::input::svg::looks_like_svg(&bytes) {
            return Ok(self.sizes(path, &[max])?.remove(0).bytes);
        }
        let (w, h) = ImageReader::new(Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| err(e.to_string()))?
            .into_dimensions()
            .map_err(|e| err(e.to_string()))?;
        if w.max(h) <= max {
            return Ok(bytes);
        }
        Ok(self.sizes(path, &[max])?.remove(0).bytes)
    }
}

/// `img` with its longer side brought to `max`, the ratio kept. SIMD
/// convolution (fast_image_resize) where the pixel type allows it.
fn scale(img: &DynamicImage, max: u32) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let ratio = f64::from(max) / f64::from(w.max(h));
    let nw = ((f64::from(w) * ratio).round() as u32).max(1);
    let nh = ((f64::from(h) * ratio).round() as u32).max(1);
    let mut dst = DynamicImage::new(nw, nh, img.color());
    let options = fast_image_resize::ResizeOptions::new()
        .resize_alg(fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::CatmullRom));
    match fast_image_resize::Resizer::new().resize(img, &mut dst, &options) {
        Ok(()) => dst,
        Err(_) => img.resize(nw, nh, FilterType::CatmullRom),
    }
}

fn encode(img: &DynamicImage) -> Result<Processed, String> {
    let (width, height) = (img.width(), img.height());
    let mut bytes = Vec::new();
    if img.color().has_alpha() {
        // Converted (a copy) only when the pixels are not RGBA already.
        let rgba = img.as_rgba8().map_or_else(|| Cow::Owned(img.to_rgba8()), Cow::Borrowed);
        image::codecs::png::PngEncoder::new(Cursor::new(&mut bytes))
            .write_image(&rgba, width, height, image::ExtendedColorType::Rgba8)
            .map_err(|e| e.to_string())?;
        Ok(Processed { bytes, ext: "png", media_type: "image/png", width, height })
    } else {
        let rgb = img.as_rgb8().map_or_else(|| Cow::Owned(img.to_rgb8()), Cow::Borrowed);
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

    /// A GIF of 160×90 pixels whose one frame says it is 65,535 pixels a
    /// side, found by the image fuzz target: its decoding took 10 GiB.
    #[test]
    fn a_gif_frame_larger_than_its_image_stays_within_the_heap_budget() {
        let seed =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/image/regression-gif-frame-larger-than-the-image");
        let bytes = std::fs::read(seed).unwrap();
        let gif = &bytes[1..];
        assert!(gif.starts_with(b"GIF89a"));
        crate::fuzzing::within_budget(|| {
            let made = process_bytes(Path::new("a.gif"), gif, &[64, 640]);
            assert!(made.is_err(), "refused, neither decoded nor published as it is");
        });
    }

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
    fn the_cache_makes_each_size_once_and_notices_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.png");
        crate::synth::portrait(2, 500).save(&p).unwrap();
        let cache = Cache::default();
        let a = cache.sizes(&p, &[100, 240]).unwrap();
        assert_eq!(cache.sizes(&p, &[240]).unwrap()[0], a[1]);
        // A different photo under the same name is processed again.
        crate::synth::portrait(3, 400).save(&p).unwrap();
        let b = cache.sizes(&p, &[240]).unwrap();
        assert_ne!(b[0], a[1]);
        std::fs::remove_file(&p).unwrap();
        assert!(cache.sizes(&p, &[240]).is_err(), "a file gone is an error, not an old image");
    }

    #[test]
    fn the_disk_cache_serves_the_next_build_and_survives_damage() {
        let book = tempfile::tempdir().unwrap();
        let p = book.path().join("a.png");
        crate::synth::portrait(4, 600).save(&p).unwrap();
        let first = Cache::with_disk(DiskCache::open(book.path())).sizes(&p, &[120, 240]).unwrap();

        let second = Cache::with_disk(DiskCache::open(book.path()));
        assert_eq!(second.sizes(&p, &[120, 240]).unwrap(), first);
        assert_eq!(second.disk().stats().hits, 2);

        // Damage every entry: they are detected, made again, and equal.
        let dir = book.path().join(crate::cache::CACHE_DIR).join(env!("CARGO_PKG_VERSION"));
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let mut bytes = std::fs::read(&path).unwrap();
            let n = bytes.len();
            bytes[n / 2] ^= 0xFF;
            std::fs::write(&path, bytes).unwrap();
        }
        let third = Cache::with_disk(DiskCache::open(book.path()));
        assert_eq!(third.sizes(&p, &[120, 240]).unwrap(), first);
        assert_eq!(third.disk().stats().corrupt, 2);
    }

    #[test]
    fn a_group_is_made_from_one_decoding() {
        let book = tempfile::tempdir().unwrap();
        let p = book.path().join("a.png");
        crate::synth::portrait(6, 500).save(&p).unwrap();
        let cache = Cache::with_disk(DiskCache::open(book.path()));
        cache.set_groups(vec![vec![100, 200, 300]]);
        cache.sizes(&p, &[200]).unwrap();
        assert_eq!(cache.disk().stats().misses, 3, "the three sizes were looked for, and made, at once");
        let again = cache.sizes(&p, &[100, 300]).unwrap();
        assert_eq!((again[0].width, again[1].width), (100, 300));
        assert_eq!(cache.disk().stats().misses, 3, "from memory, nothing decoded again");
    }

    #[test]
    fn print_keeps_small_files_and_scales_large_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.png");
        crate::synth::portrait(5, 500).save(&p).unwrap();
        let cache = Cache::default();
        assert_eq!(cache.print(&p, 500).unwrap(), std::fs::read(&p).unwrap());
        let small = cache.print(&p, 200).unwrap();
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 200);
    }

    #[test]
    fn exif_orientation_is_applied() {
        // A 4×2 JPEG whose EXIF says "rotate 90° clockwise" comes out 2×4.
        let mut jpeg = Vec::new();
        let rgb = image::RgbImage::from_pixel(4, 2, image::Rgb([200, 10, 10]));
        jpeg_encoder::Encoder::new(&mut jpeg, 90).encode(&rgb, 4, 2, jpeg_encoder::ColorType::Rgb).unwrap();
        // An APP1 segment: Exif header, little-endian TIFF, one IFD entry: Orientation (0x0112) = 6.
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1];
        with_exif.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(&app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("turned.jpg");
        std::fs::write(&p, &with_exif).unwrap();
        let out = process(&p, 100).unwrap();
        assert_eq!((out.width, out.height), (2, 4));
    }

    #[test]
    fn svg_is_written_again_by_usvg_and_animated_gif_kept() {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("a.svg");
        std::fs::write(
            &svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\" onload=\"alert(1)\"><script>alert(2)</script><rect width=\"10\" height=\"10\"/><text y=\"18\">hi</text></svg>",
        )
        .unwrap();
        let cache = Cache::default();
        let [small, large] = <[Processed; 2]>::try_from(cache.sizes(&svg, &[8, 800]).unwrap()).unwrap();
        assert_eq!((small.ext, small.media_type, small.width, small.height), ("svg", "image/svg+xml", 30, 20));
        assert_eq!(small, large, "a drawing is the same at every size");
        let text = String::from_utf8(small.bytes.clone()).unwrap();
        assert!(!text.contains("alert") && !text.contains("onload"), "{text}");
        assert!(text.matches("<path").count() >= 2, "the text is drawn as paths too: {text}");
        assert_eq!(cache.print(&svg, 100).unwrap(), small.bytes);
        assert_eq!(Processed::from_entry(&small.to_entry()), Some(small));

        let gif = repo_fixture("moving.gif");
        let p = process(&gif, 40).unwrap();
        assert_eq!((p.ext, p.width, p.height), ("gif", 160, 90));
        assert_eq!(p.bytes, std::fs::read(&gif).unwrap(), "an animated GIF stays as it is");
    }

    fn repo_fixture(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/valid/constructs/contributions/noël-noël")
            .join(name)
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
