//! Where the PDF's time and memory go: each step of making a book's PDF,
//! timed, with the heap the program holds after it (counted by a wrapper
//! around the system allocator) beside the resident memory; what the laid-out
//! pages hold (items by kind, glyphs and their bytes); typst's own timing
//! spans summed by name and the number of layout iterations its
//! introspection needed; last, what the heap holds, by what dropping each
//! part (typst's memoised work, the joined book, the pieces' layouts, the
//! world) gives back.
//!
//! ```text
//! cargo run --release --example profile_pdf -- BOOK [--spans] [--trace trace.json]
//! ```
//!
//! typst's spans are recorded only with `--spans` or `--trace` (they take
//! memory of their own, which the heap figures would count). The trace, when
//! asked, opens in Chrome's `chrome://tracing` or in Perfetto.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anthology::editions::typst as pdf;
use anyhow::{Context, Result, bail};

/// The system allocator, counting the bytes it has handed out and not yet
/// been given back: the heap the program holds, against the resident memory
/// the allocator keeps from the system (freed blocks included).
struct Counting;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, std::sync::atomic::Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The process's resident memory and its peak so far, in MiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn step(name: &str, started: Instant) {
    let (rss, peak) = memory();
    let live = LIVE.load(std::sync::atomic::Ordering::Relaxed) / (1024 * 1024);
    println!(
        "  {name:<44} {:>8.3} s  heap {live:>5} MiB  rss {rss:>5} MiB  peak {peak:>5} MiB",
        started.elapsed().as_secs_f64()
    );
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else { bail!("usage: profile_pdf BOOK [--spans] [--trace FILE]") };
    let trace = args.iter().position(|a| a == "--trace").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let spans = trace.is_some() || args.iter().any(|a| a == "--spans");

    println!("PDF profile of {}, {} threads", root.display(), rayon::current_num_threads());
    let t = Instant::now();
    let (book, report) = anthology::prepare(&root, false)?;
    let book = book.with_context(|| format!("the book has {} errors", report.errors()))?;
    step("load, check, order", t);
    let t = Instant::now();
    let fonts = Arc::new(pdf::fonts_for(&book)?);
    step("fonts", t);
    let t = Instant::now();
    let sources = pdf::sources(&book, &fonts)?;
    step("typst sources (markup, data)", t);
    let t = Instant::now();
    let world = pdf::world(&book, &sources, fonts, &anthology::editions::images::Cache::default())?;
    step("world (images decoded and scaled)", t);

    // typst's timing spans are kept in memory until the end (some 90 MiB
    // for a 112-essay book), so they are recorded only when asked for:
    // without them, the heap figures are the book's alone.
    if spans {
        typst_timing::enable();
    }
    let layouts = pdf::pieces::Layouts::default();
    let t = Instant::now();
    let set = if sources.pieced() {
        pdf::Typeset::Pieces(pdf::pieces::compose(&book, &sources, &world, &layouts)?)
    } else {
        pdf::Typeset::Whole(pdf::typeset(&sources, &world)?.0)
    };
    let doc = set.doc();
    let typeset = layouts.take_typeset().len();
    step(&format!("typst layout ({} pages, {typeset} pieces typeset)", doc.pages().len()), t);
    census(doc);
    let t = Instant::now();
    let (bytes, _) = pdf::export(&book, &sources, &world, doc, "profile".into(), pdf::without_alt(book.texts()))?;
    step(&format!("PDF export ({} KiB)", bytes.len() / 1024), t);
    let t = Instant::now();
    let offprints = pdf::offprints_of(&book, &sources, &world, &layouts, &set)?;
    step(&format!("offprints ({})", offprints.len()), t);
    typst_timing::disable();
    if spans {
        spans_report(&sources, &world, trace.as_deref())?;
    }

    // A second compile of the same world: what is kept.
    let t = Instant::now();
    let _ = pdf::compile(&book, &sources, &world, &layouts)?;
    step(&format!("layout and export again, nothing changed ({} typeset)", layouts.take_typeset().len()), t);

    // What holds the heap, by what dropping each part gives back: the
    // layouts hold every page's frames, which one export needs all at once.
    println!("what the heap holds, by what dropping each part gives back:");
    let t = Instant::now();
    drop(offprints);
    typst::comemo::evict(0);
    step("offprints and typst's memoised work dropped", t);
    drop(set);
    step("the joined book dropped", t);
    drop(layouts);
    step("every piece's layout dropped (the pages)", t);
    drop(world);
    step("the typst world dropped (fonts, sources, images)", t);
    Ok(())
}

/// typst's timing spans summed by name, and written to `trace` when given.
fn spans_report(sources: &pdf::Sources, world: &pdf::world::BookWorld, trace: Option<&std::path::Path>) -> Result<()> {
    let mut json = Vec::new();
    let mut parsed: std::collections::HashMap<typst::syntax::FileId, typst::syntax::Source> = Default::default();
    typst_timing::export_json(&mut json, |raw| {
        use typst::WorldExt;
        let span = typst::syntax::Span::from_raw(raw);
        let Some(id) = span.id() else { return (String::new(), 0) };
        let file = id.get().vpath().get_with_slash().to_string();
        // A piece's main file is a copy of the template, which the book's
        // world does not hold: its lines are the template's.
        let line = if file.starts_with("/pieces/") {
            let source = parsed.entry(id).or_insert_with(|| typst::syntax::Source::new(id, sources.template.clone()));
            source.find(span).map(|n| n.range()).map(|r| sources.template[..r.start].matches('\n').count() + 1)
        } else {
            world
                .range(span)
                .and_then(|r| world.source_text(id).map(|t| t[..r.start.min(t.len())].matches('\n').count() + 1))
        };
        (file, line.unwrap_or(0) as u32)
    })
    .map_err(anyhow::Error::msg)?;
    if let Some(path) = trace {
        std::fs::write(path, &json)?;
        println!("trace written to {}", path.display());
    }
    summarise(&json)?;
    Ok(())
}

/// What the laid-out pages hold, walked through every group: the items of
/// each kind and the bytes their own structures take (typst's frames share
/// what they can behind reference counts; what a tag's element holds, and
/// the allocator's own overhead, are not counted).
fn census(doc: &typst_layout::PagedDocument) {
    use typst::layout::{Frame, FrameItem, Point};
    use typst::text::{Glyph, TextItem};
    #[derive(Default)]
    struct Count {
        items: [usize; 6],
        glyphs: usize,
        text: usize,
    }
    fn walk(frame: &Frame, c: &mut Count) {
        for (_, item) in frame.items() {
            let kind = match item {
                FrameItem::Group(g) => {
                    walk(&g.frame, c);
                    0
                }
                FrameItem::Text(t) => {
                    c.glyphs += t.glyphs.len();
                    c.text += t.text.len();
                    1
                }
                FrameItem::Shape(..) => 2,
                FrameItem::Image(..) => 3,
                FrameItem::Link(..) => 4,
                FrameItem::Tag(_) => 5,
            };
            c.items[kind] += 1;
        }
    }
    let mut c = Count::default();
    for page in doc.pages() {
        walk(&page.frame, &mut c);
    }
    let pages = doc.pages().len().max(1);
    let items: usize = c.items.iter().sum();
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    let glyph_bytes = c.glyphs * std::mem::size_of::<Glyph>();
    let item_bytes = items * std::mem::size_of::<(Point, FrameItem)>() + c.items[1] * std::mem::size_of::<TextItem>();
    println!(
        "  pages hold {items} items ({} groups, {} text runs, {} shapes, {} images, {} links, {} tags), per page {:.0}",
        c.items[0],
        c.items[1],
        c.items[2],
        c.items[3],
        c.items[4],
        c.items[5],
        items as f64 / pages as f64
    );
    println!(
        "  {} glyphs of {} bytes: {:.1} MiB ({:.0} KiB a page); items {:.1} MiB; text {:.1} MiB",
        c.glyphs,
        std::mem::size_of::<Glyph>(),
        mib(glyph_bytes),
        glyph_bytes as f64 / 1024.0 / pages as f64,
        mib(item_bytes),
        mib(c.text)
    );
}

/// Sums the trace's spans by name: on each thread only the outermost span
/// of a name counts, so recursion is not counted twice.
fn summarise(json: &[u8]) -> Result<()> {
    let events: Vec<serde_json::Value> = serde_json::from_slice(json)?;
    let mut open: BTreeMap<(u64, String), (f64, usize)> = BTreeMap::new();
    let mut total: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for e in &events {
        let name = e["name"].as_str().unwrap_or("").to_string();
        let tid = e["tid"].as_u64().unwrap_or(0);
        let ts = e["ts"].as_f64().unwrap_or(0.0);
        let slot = open.entry((tid, name.clone())).or_insert((0.0, 0));
        match e["ph"].as_str() {
            Some("B") => {
                if slot.1 == 0 {
                    slot.0 = ts;
                }
                slot.1 += 1;
            }
            Some("E") if slot.1 > 0 => {
                slot.1 -= 1;
                if slot.1 == 0 {
                    let t = total.entry(name).or_insert((0.0, 0));
                    t.0 += ts - slot.0;
                    t.1 += 1;
                }
            }
            _ => {}
        }
    }
    let iterations = total.keys().filter(|k| k.starts_with("iter (")).count();
    println!("layout iterations until introspection settled: {iterations}");
    println!("typst spans, summed over threads (outermost of each name per thread):");
    let mut rows: Vec<_> = total.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.total_cmp(&a.1.0));
    for (name, (micros, count)) in rows.into_iter().take(30) {
        println!("  {name:<44} {:>8.3} s  {count:>7}×", micros / 1e6);
    }
    Ok(())
}
