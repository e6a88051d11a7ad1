//! What the program is doing, kept so that a fault of its own (a panic) is
//! reported by what it was doing when it happened: the file it was reading,
//! the edition it was making. A user can act on "while reading
//! contributions/x.md"; a Rust backtrace tells them nothing.
//!
//! Each stage says what it does with [`doing`], which returns a guard that
//! forgets it when dropped. The command's panic hook asks [`now`]: what the
//! faulting thread was doing, else (a worker thread of a parallel loop)
//! what every thread was doing.
//!
//! In debug builds, and only there, `ANTHOLOGY_FAULT=<text>` makes the
//! stage whose description contains `<text>` fail as a bug would: how the
//! tests check what a user sees then. Release builds never read it.

use std::cell::RefCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

thread_local! {
    /// What this thread is doing, innermost last.
    static HERE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// How many [`contained`] calls this thread is inside.
    static CONTAINED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// What every thread is doing, with the guard's number.
static ALL: Mutex<Vec<(u64, String)>> = Mutex::new(Vec::new());

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Says what the program is doing until the guard is dropped.
#[must_use = "the activity ends when the guard is dropped"]
pub struct Doing {
    id: u64,
}

/// Starts `what` ("reading contributions/x.md", "making the EPUB").
pub fn doing(what: impl Into<String>) -> Doing {
    let what = what.into();
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    HERE.with(|h| h.borrow_mut().push(what.clone()));
    ALL.lock().unwrap_or_else(|p| p.into_inner()).push((id, what.clone()));
    let guard = Doing { id };
    #[cfg(debug_assertions)]
    provoke(&what);
    guard
}

impl Drop for Doing {
    fn drop(&mut self) {
        HERE.with(|h| {
            h.borrow_mut().pop();
        });
        ALL.lock().unwrap_or_else(|p| p.into_inner()).retain(|(id, _)| *id != self.id);
    }
}

/// What this thread is doing (its innermost activity), else what all
/// threads are doing, joined; `None` when nothing was said.
pub fn now() -> Option<String> {
    if let Some(here) = HERE.with(|h| h.borrow().last().cloned()) {
        return Some(here);
    }
    let all = ALL.lock().unwrap_or_else(|p| p.into_inner());
    let mut what: Vec<&str> = all.iter().map(|(_, w)| w.as_str()).collect();
    what.dedup();
    (!what.is_empty()).then(|| what.join(" and "))
}

/// Runs `f`, work of a library that is known to fail on some inputs by
/// panicking (math-core on a few formulas): such a panic is that input's
/// problem, returned as its message for a diagnostic, and the program goes
/// on. The panic hook stays silent while this thread is inside (see
/// [`is_contained`]).
pub fn contained<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> Result<R, String> {
    CONTAINED.with(|c| c.set(c.get() + 1));
    let result = std::panic::catch_unwind(f);
    CONTAINED.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into())
    })
}

/// Whether this thread is inside [`contained`]: a panic here is caught
/// and told as a diagnostic, not as an internal error.
pub fn is_contained() -> bool {
    CONTAINED.with(|c| c.get() > 0)
}

/// The fault `ANTHOLOGY_FAULT` asks for, in debug builds.
#[cfg(debug_assertions)]
fn provoke(what: &str) {
    if let Ok(fault) = std::env::var("ANTHOLOGY_FAULT")
        && !fault.is_empty()
        && what.contains(&fault)
    {
        panic!("a fault provoked by ANTHOLOGY_FAULT={fault}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_activity_of_the_thread_else_every_threads() {
        let _book = doing("reading the book");
        {
            let _file = doing("reading a.md");
            assert_eq!(now().as_deref(), Some("reading a.md"));
        }
        assert_eq!(now().as_deref(), Some("reading the book"));
        let elsewhere = std::thread::spawn(now).join().unwrap().unwrap_or_default();
        assert!(elsewhere.contains("reading the book"), "{elsewhere}");
    }

    #[test]
    fn a_contained_panic_is_a_message() {
        assert_eq!(contained(|| 2), Ok(2));
        let failed = contained(|| -> u8 {
            assert!(is_contained());
            panic!("no such node")
        });
        assert_eq!(failed, Err("no such node".to_string()));
        assert!(!is_contained());
    }
}
