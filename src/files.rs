//! Writing and watching files safely: what the editions, the cache and
//! `watch` share.
//!
//! Every edition is written atomically: a file through a temporary file in the
//! same folder and a rename, a folder (the site, the offprints, the cards)
//! into a new folder swapped in whole. A failed or interrupted build leaves
//! the previous output intact, never half of a new one. [`fingerprint_of`]
//! tells `watch` and the build session when files changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The SHA-256 of `bytes`, in lowercase hexadecimal (as `sha256sum` prints it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a
/// rename, so that `path` is either the previous file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_through_temp(path, bytes, true)
}

/// Writes `files` (paths relative to `dir`) as the folder `dir`: into a new
/// folder beside it, then swapped in, so that `dir` is either the previous
/// folder whole or the new one whole (the site, the offprints, the cards).
pub fn write_folder(files: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "html".into());
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let old = parent.join(format!(".{name}.{}.old", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        let dirs: std::collections::BTreeSet<PathBuf> =
            files.keys().filter_map(|p| tmp.join(p).parent().map(Path::to_path_buf)).collect();
        for d in dirs {
            std::fs::create_dir_all(d)?;
        }
        files.par_iter().try_for_each(|(path, bytes)| std::fs::write(tmp.join(path), bytes))?;
        if dir.exists() {
            std::fs::rename(dir, &old)?;
        }
        std::fs::rename(&tmp, dir)?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
        if old.exists() && !dir.exists() {
            let _ = std::fs::rename(&old, dir);
        }
    }
    result
}

/// [`write_atomically`], flushed to the disk before the rename when `sync`
/// (editions); without, for cache entries, whose checksum catches a file the
/// system lost in a crash.
pub fn write_through_temp(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique per call: two threads may write the same cache entry at once.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A fingerprint of the files under `paths` (folders walked, dot files and
/// `target/` skipped): their paths, sizes and times of change.
pub fn fingerprint_of(paths: &[PathBuf]) -> u64 {
    fn walk(path: &Path, acc: &mut Vec<(PathBuf, u64, SystemTime)>) {
        let Ok(meta) = std::fs::metadata(path) else { return };
        if meta.is_file() {
            acc.push((path.to_path_buf(), meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
            return;
        }
        let Ok(entries) = std::fs::read_dir(path) else { return };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with('.') && name != "target" {
                walk(&e.path(), acc);
            }
        }
    }
    let mut files = Vec::new();
    for p in paths {
        walk(p, &mut files);
    }
    files.sort();
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut h);
    h.finish()
}

/// Brings `dir`, which holds `previous`, to `files`: writes the files whose
/// bytes changed (each atomically) and removes the files no longer there.
/// After a one-essay edit that is a handful of the site's pages, not the
/// whole site. Returns how many files were written.
pub fn update_folder(
    files: &BTreeMap<PathBuf, Vec<u8>>,
    previous: &BTreeMap<PathBuf, Vec<u8>>,
    dir: &Path,
) -> std::io::Result<usize> {
    use rayon::prelude::*;
    let changed: Vec<(&PathBuf, &Vec<u8>)> = files.iter().filter(|(p, b)| previous.get(*p) != Some(*b)).collect();
    changed.par_iter().try_for_each(|(path, bytes)| write_atomically(&dir.join(path), bytes))?;
    for gone in previous.keys().filter(|p| !files.contains_key(*p)) {
        match std::fs::remove_file(dir.join(gone)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // Folders left empty (an essay's page folder) go too.
        let mut parent = gone.parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            if std::fs::remove_dir(dir.join(p)).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(changed.len())
}

/// `to` relative to the folder `from`, both relative to one root, without
/// the file system: what a link from a text in `from` to `to` writes.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to_c: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to_c[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_writes_only_the_difference() {
        let dir = tempfile::tempdir().unwrap();
        let site = |files: &[(&str, &str)]| -> BTreeMap<PathBuf, Vec<u8>> {
            files.iter().map(|(p, b)| (PathBuf::from(p), b.as_bytes().to_vec())).collect()
        };
        let one = site(&[("index.html", "home"), ("a/index.html", "A"), ("b/index.html", "B")]);
        let out = dir.path().join("html");
        write_folder(&one, &out).unwrap();
        let two = site(&[("index.html", "home"), ("a/index.html", "A2"), ("c/index.html", "C")]);
        assert_eq!(update_folder(&two, &one, &out).unwrap(), 2);
        let read = |p: &str| std::fs::read_to_string(out.join(p)).ok();
        assert_eq!(read("a/index.html").as_deref(), Some("A2"));
        assert_eq!(read("c/index.html").as_deref(), Some("C"));
        assert_eq!(read("b/index.html"), None);
        assert!(!out.join("b").exists(), "an emptied folder is removed");
        let names: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn relative_paths_between_new_places() {
        assert_eq!(relative(Path::new("contributions"), Path::new("contributions/b.md")), PathBuf::from("b.md"));
        assert_eq!(relative(Path::new("contributions/a"), Path::new("contributions/b.md")), PathBuf::from("../b.md"));
        assert_eq!(relative(Path::new("contributions/a"), Path::new("contributions/a/p.png")), PathBuf::from("p.png"));
    }
}
