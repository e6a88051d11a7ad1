//! The build cache on disk: `.anthology-cache/` at the book's root.
//!
//! A second build should only redo what changed. Work that is slow and whose
//! result depends only on bytes we can name (a photo scaled to a size, the
//! PDF of a given set of typst inputs) is stored here under the SHA-256 of
//! those inputs and of the tool's version, so an entry can never be reused for
//! other inputs or by another version of the tool.
//!
//! Entries are never trusted blindly: each file starts with a magic line and
//! the SHA-256 of its payload, checked on every read. A truncated or altered
//! entry is deleted, reported as corrupt, and the work is done again. Entries
//! are written through a temporary file and a rename, so an interrupted build
//! leaves no half-written entry. After a complete build, [`DiskCache::prune`]
//! removes the entries that build did not use (older photos, older versions of
//! the tool), so the folder does not grow with every edit.
//!
//! Work cheap enough to redo in a new process but repeated at every `watch`
//! rebuild is kept in memory instead, in a bounded [`Memo`].

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

/// The cache folder, relative to the book's root.
pub const CACHE_DIR: &str = ".anthology-cache";

/// The first bytes of every entry; the digit changes with the entry format.
const MAGIC: &[u8; 8] = b"ANTHC01\n";

/// A key: the SHA-256 of everything the cached result depends on.
pub type Key = [u8; 32];

/// Builds a [`Key`] from labelled parts; the tool's version is always part of it.
#[derive(Clone)]
pub struct KeyBuilder(Sha256);

impl KeyBuilder {
    /// A key for results of `kind` (`image`, `pdf`…).
    pub fn new(kind: &str) -> Self {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update([0]);
        h.update(kind.as_bytes());
        h.update([0]);
        KeyBuilder(h)
    }

    /// Adds a part, length-prefixed so that two parts never run together.
    pub fn part(mut self, bytes: &[u8]) -> Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The key.
    pub fn finish(self) -> Key {
        self.0.finalize().into()
    }
}

/// What the cache did during a build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Entries found and valid.
    pub hits: usize,
    /// Entries not found (work done and stored).
    pub misses: usize,
    /// Entries found damaged, deleted and made again.
    pub corrupt: usize,
}

/// The cache of one book. A disabled cache (see [`DiskCache::disabled`])
/// finds nothing and stores nothing.
#[derive(Debug)]
pub struct DiskCache {
    /// `<root>/.anthology-cache/<version>`, or `None` when disabled.
    dir: Option<PathBuf>,
    used: Mutex<HashSet<Key>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    corrupt: AtomicUsize,
}

fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

impl DiskCache {
    /// The cache of the book at `root` (created on first store).
    pub fn open(root: &Path) -> Self {
        Self::at(Some(root.join(CACHE_DIR).join(env!("CARGO_PKG_VERSION"))))
    }

    /// A cache that keeps nothing: library calls that give no book folder,
    /// and tests that must do all the work.
    pub fn disabled() -> Self {
        Self::at(None)
    }

    fn at(dir: Option<PathBuf>) -> Self {
        DiskCache {
            dir,
            used: Mutex::default(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            corrupt: AtomicUsize::new(0),
        }
    }

    fn path(&self, key: &Key) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(hex(key)))
    }

    /// The payload stored under `key`, if there is a valid one. A damaged
    /// entry is deleted and counted as corrupt.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let path = self.path(key)?;
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
        let Ok(data) = std::fs::read(&path) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return None;
        };
        match Self::unwrap_entry(&data) {
            Some(payload) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(payload.to_vec())
            }
            None => {
                let _ = std::fs::remove_file(&path);
                self.corrupt.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    fn unwrap_entry(data: &[u8]) -> Option<&[u8]> {
        let rest = data.strip_prefix(MAGIC.as_slice())?;
        if rest.len() < 32 {
            return None;
        }
        let (sum, payload) = rest.split_at(32);
        (Sha256::digest(payload).as_slice() == sum).then_some(payload)
    }

    /// Keeps the entry under `key`, if any, at the next [`prune`](Self::prune).
    pub fn mark_used(&self, key: &Key) {
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
    }

    /// Stores `payload` under `key`. Failing to store is not an error: the
    /// next build does the work again.
    pub fn put(&self, key: &Key, payload: &[u8]) {
        let Some(path) = self.path(key) else { return };
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(*key);
        let mut data = Vec::with_capacity(MAGIC.len() + 32 + payload.len());
        data.extend_from_slice(MAGIC);
        data.extend_from_slice(&Sha256::digest(payload));
        data.extend_from_slice(payload);
        if let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            let _ = crate::files::write_through_temp(&path, &data, false);
        }
    }

    /// What the cache did so far.
    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            corrupt: self.corrupt.load(Ordering::Relaxed),
        }
    }

    /// Removes every entry not read or written since this cache was opened,
    /// and the folders of other versions of the tool. Call it only after a
    /// build that made every edition, or it would drop entries that the
    /// editions not made still need. Returns how many entries went.
    pub fn prune(&self) -> usize {
        let Some(dir) = &self.dir else { return 0 };
        let used: HashSet<String> = self.used.lock().unwrap_or_else(|e| e.into_inner()).iter().map(hex).collect();
        let mut removed = 0;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !used.contains(&name) && std::fs::remove_file(e.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        if let Some(top) = dir.parent()
            && let Ok(entries) = std::fs::read_dir(top)
        {
            for e in entries.flatten() {
                if e.path() != *dir && e.path().is_dir() && std::fs::remove_dir_all(e.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        removed
    }
}

/// Results already computed in this process, by everything they depend on;
/// emptied when it reaches its limit, so a long `watch` session cannot grow
/// it without end.
pub struct Memo<K, V> {
    map: Mutex<Option<HashMap<K, V>>>,
    limit: usize,
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// An empty memo that keeps at most `limit` results.
    pub const fn new(limit: usize) -> Self {
        Memo { map: Mutex::new(None), limit }
    }

    /// The result kept under `key`, else `compute()`, kept. The computation
    /// runs without the lock held, so threads computing other keys do not
    /// wait for one another.
    pub fn get_or_compute(&self, key: K, compute: impl FnOnce(&K) -> V) -> V {
        if let Some(v) = self.lock().as_ref().and_then(|m| m.get(&key)) {
            return v.clone();
        }
        let v = compute(&key);
        let mut map = self.lock();
        let map = map.get_or_insert_with(HashMap::new);
        if map.len() >= self.limit {
            map.clear();
        }
        map.insert(key, v.clone());
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<HashMap<K, V>>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_computes_each_key_once_and_starts_again_at_its_limit() {
        let memo: Memo<u32, u32> = Memo::new(2);
        let calls = AtomicUsize::new(0);
        let square = |k: &u32| {
            calls.fetch_add(1, Ordering::Relaxed);
            k * k
        };
        assert_eq!(memo.get_or_compute(3, square), 9);
        assert_eq!(memo.get_or_compute(3, square), 9);
        assert_eq!(calls.load(Ordering::Relaxed), 1, "a kept result is not computed again");
        memo.get_or_compute(4, square);
        // A third key empties the memo first: 3 is computed again after it.
        memo.get_or_compute(5, square);
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        memo.get_or_compute(3, square);
        assert_eq!(calls.load(Ordering::Relaxed), 4, "the limit emptied the memo");
        memo.get_or_compute(5, square);
        assert_eq!(calls.load(Ordering::Relaxed), 4);
    }

    #[test]
    fn keys_depend_on_every_part_and_its_boundaries() {
        let a = KeyBuilder::new("image").part(b"ab").part(b"c").finish();
        let b = KeyBuilder::new("image").part(b"a").part(b"bc").finish();
        let c = KeyBuilder::new("pdf").part(b"ab").part(b"c").finish();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, KeyBuilder::new("image").part(b"ab").part(b"c").finish());
    }

    #[test]
    fn stores_finds_and_rejects_damaged_entries() {
        let root = tempfile::tempdir().unwrap();
        let key = KeyBuilder::new("test").part(b"x").finish();
        let cache = DiskCache::open(root.path());
        assert_eq!(cache.get(&key), None);
        cache.put(&key, b"payload");
        assert_eq!(cache.get(&key).as_deref(), Some(&b"payload"[..]));

        // Damage the entry: one byte of the payload changed.
        let file = root.path().join(CACHE_DIR).join(env!("CARGO_PKG_VERSION")).join(hex(&key));
        let mut bytes = std::fs::read(&file).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(cache.get(&key), None, "a damaged entry is never returned");
        assert!(!file.exists(), "and it is deleted");

        // Truncated, and not even a header.
        cache.put(&key, b"payload");
        std::fs::write(&file, b"ANTHC01\n12").unwrap();
        assert_eq!(cache.get(&key), None);
        assert_eq!(cache.stats(), Stats { hits: 1, misses: 1, corrupt: 2 });
    }

    #[test]
    fn prune_keeps_only_what_the_build_used() {
        let root = tempfile::tempdir().unwrap();
        let (old, kept) = (KeyBuilder::new("t").part(b"old").finish(), KeyBuilder::new("t").part(b"new").finish());
        DiskCache::open(root.path()).put(&old, b"1");
        let stale_version = root.path().join(CACHE_DIR).join("0.0.0-old");
        std::fs::create_dir_all(&stale_version).unwrap();
        std::fs::write(stale_version.join("x"), b"y").unwrap();

        let cache = DiskCache::open(root.path());
        cache.put(&kept, b"2");
        assert_eq!(cache.prune(), 2);
        assert!(!stale_version.exists());
        let again = DiskCache::open(root.path());
        assert_eq!(again.get(&old), None);
        assert_eq!(again.get(&kept).as_deref(), Some(&b"2"[..]));
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let cache = DiskCache::disabled();
        let key = KeyBuilder::new("t").finish();
        cache.put(&key, b"1");
        assert_eq!(cache.get(&key), None);
        assert_eq!(cache.prune(), 0);
    }
}
