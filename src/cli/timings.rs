//! `build --timings FILE`: typst's own timing scopes over the build, written
//! as a trace that Perfetto and Chromium's `about:tracing` open, and what
//! they say of typst's layout passes.
//!
//! typst lays a document out again while what it asked of its own layout
//! (a page number, a running head, a counter) is not yet what the last pass
//! gave: every pass after the first is time a template could save. The
//! summary counts, over every document typst laid out (the book's pieces,
//! the offprints, the cover), how many passes each took and what the extra
//! passes cost.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// The name of typst's scope around its `n`th layout pass (1-based), as
/// typst-library's `ITER_NAMES` spells it.
fn pass_number(name: &str) -> Option<usize> {
    name.strip_prefix("iter (")?.strip_suffix(')')?.parse().ok()
}

/// typst's timing, recording from [`start`] until [`Timings::finish`].
pub struct Timings {
    path: PathBuf,
}

/// Starts recording typst's timing scopes, for a trace written to `path`.
pub fn start(path: &Path) -> Timings {
    typst_timing::clear();
    typst_timing::enable();
    Timings { path: path.to_path_buf() }
}

impl Timings {
    /// Stops recording, writes the trace, and says what it holds of the
    /// layout passes.
    pub fn finish(self) -> Result<Passes> {
        typst_timing::disable();
        let mut trace = Vec::new();
        // An event with a place names the typst file it is in (the line
        // would need the file's text, which the build has dropped).
        typst_timing::export_json(&mut trace, |raw| {
            let file = typst::syntax::Span::from_raw(raw).id().map(|id| id.vpath().get_with_slash().to_string());
            (file.unwrap_or_default(), 0)
        })
        .map_err(anyhow::Error::msg)?;
        let events: Vec<Event> = serde_json::from_slice(&trace).context("reading typst's trace")?;
        std::fs::write(&self.path, &trace).with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(passes(&events))
    }
}

/// One event of the trace: a scope begins (`B`) or ends (`E`) on a thread,
/// at a time in microseconds.
#[derive(Debug, Deserialize)]
struct Event {
    name: String,
    ph: String,
    ts: f64,
    tid: u64,
}

/// How many layout passes the documents typst laid out took.
#[derive(Debug, Default, PartialEq)]
pub struct Passes {
    /// Documents, by the number of passes each took.
    pub by_passes: BTreeMap<usize, usize>,
    /// Seconds of layout, summed over threads.
    pub layout: f64,
    /// Of them, the seconds of passes after the first.
    pub again: f64,
}

/// A document being laid out on one thread.
struct Open {
    /// Its passes so far.
    passes: usize,
    /// When its current pass began, while one runs.
    running: Option<f64>,
}

/// Counts the passes of each document in `events`. A document's passes
/// run one after the other on one thread. A thread waiting inside a pass
/// may lay out another document meanwhile, so each thread keeps a stack of
/// open documents: one whose pass ended is done when anything but its next
/// pass comes next on its thread.
fn passes(events: &[Event]) -> Passes {
    let mut out = Passes::default();
    let mut threads: BTreeMap<u64, Vec<Open>> = BTreeMap::new();
    let close = |stack: &mut Vec<Open>, out: &mut Passes| {
        if stack.last().is_some_and(|d| d.running.is_none())
            && let Some(d) = stack.pop()
        {
            *out.by_passes.entry(d.passes).or_default() += 1;
        }
    };
    for e in events {
        let Some(n) = pass_number(&e.name) else { continue };
        let stack = threads.entry(e.tid).or_default();
        match e.ph.as_str() {
            "B" => {
                let next = stack.last().is_some_and(|d| d.running.is_none() && d.passes + 1 == n);
                if next {
                    if let Some(d) = stack.last_mut() {
                        *d = Open { passes: n, running: Some(e.ts) };
                    }
                } else {
                    close(stack, &mut out);
                    stack.push(Open { passes: n, running: Some(e.ts) });
                }
            }
            "E" => {
                close(stack, &mut out);
                if let Some(d) = stack.last_mut()
                    && let Some(began) = d.running.take()
                {
                    let seconds = (e.ts - began) / 1e6;
                    out.layout += seconds;
                    if d.passes > 1 {
                        out.again += seconds;
                    }
                }
            }
            _ => {}
        }
    }
    for stack in threads.values_mut() {
        while let Some(d) = stack.pop() {
            *out.by_passes.entry(d.passes).or_default() += 1;
        }
    }
    out
}

impl std::fmt::Display for Passes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let documents: usize = self.by_passes.values().sum();
        if documents == 0 {
            return write!(f, "typst laid nothing out (the PDF came from the build cache)");
        }
        let counts: Vec<String> = self
            .by_passes
            .iter()
            .map(|(passes, n)| match passes {
                1 => format!("{n} in one pass"),
                p => format!("{n} in {p} passes"),
            })
            .collect();
        write!(
            f,
            "typst laid out {documents} document{}: {}; the passes after the first took {:.2} s of {:.2} s of layout (summed over threads)",
            if documents == 1 { "" } else { "s" },
            counts.join(", "),
            self.again,
            self.layout
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(ph: &str, pass: usize, ts: f64, tid: u64) -> Event {
        Event { name: format!("iter ({pass})"), ph: ph.to_string(), ts, tid }
    }

    #[test]
    fn passes_are_counted_per_document_even_when_one_is_laid_out_inside_another() {
        let events = vec![
            // Thread 1: a document in two passes; inside its first, another
            // document in one pass.
            event("B", 1, 0.0, 1),
            event("B", 1, 100.0, 1),
            event("E", 1, 300.0, 1),
            event("E", 1, 1_000_000.0, 1),
            event("B", 2, 1_000_000.0, 1),
            event("E", 2, 1_500_000.0, 1),
            // Then a third in one pass, and a fourth in three.
            event("B", 1, 2_000_000.0, 1),
            event("E", 1, 2_100_000.0, 1),
            event("B", 1, 3_000_000.0, 1),
            event("E", 1, 3_200_000.0, 1),
            event("B", 2, 3_200_000.0, 1),
            event("E", 2, 3_300_000.0, 1),
            event("B", 3, 3_300_000.0, 1),
            event("E", 3, 3_400_000.0, 1),
            // Thread 2: one document in two passes.
            Event { name: "compile".into(), ph: "B".into(), ts: 0.0, tid: 2 },
            event("B", 1, 0.0, 2),
            event("E", 1, 500_000.0, 2),
            event("B", 2, 500_000.0, 2),
            event("E", 2, 750_000.0, 2),
        ];
        let p = passes(&events);
        assert_eq!(p.by_passes, BTreeMap::from([(1, 2), (2, 2), (3, 1)]));
        assert!((p.again - (0.5 + 0.1 + 0.1 + 0.25)).abs() < 1e-9, "{}", p.again);
        assert!((p.layout - (0.0002 + 1.0 + 0.5 + 0.1 + 0.2 + 0.1 + 0.1 + 0.5 + 0.25)).abs() < 1e-9, "{}", p.layout);
        let said = p.to_string();
        assert!(said.starts_with("typst laid out 5 documents: 2 in one pass, 2 in 2 passes, 1 in 3 passes;"), "{said}");
        assert_eq!(pass_number("iter (12)"), Some(12));
        assert_eq!(pass_number("layout document"), None);
    }
}
