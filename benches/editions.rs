//! `cargo bench --bench editions`: how long the editions take on a generated
//! book (112 essays, about 90,000 words, 112 portraits of 800×800 px). Prints
//! figures; asserts nothing about time.
//!
//! PDF:
//! - the first render in the process (fonts parsed, nothing memoised);
//! - later renders of the same book (sources rebuilt, a new world each time);
//! - a recompile of an unchanged world, kept alive as `watch` will keep it:
//!   typst's memoisation reuses the previous layout;
//!
//! EPUB: the whole package, photos scaled and re-encoded, first and median.
//!
//! All three editions as `anthology build` makes them: concurrently, images
//! shared, written to disk.
//!
//! Then the peak memory of the process (VmHWM).
//!
//! `ANTHOLOGY_BENCH_SIZES=112,1000` chooses the sizes (default: 112).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anthology::build::Session;
use anthology::cache::DiskCache;
use anthology::editions::{Edition, Editions};
use anthology::synth::{self, Settings};

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = std::env::var("ANTHOLOGY_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| if benching { vec![112] } else { vec![6] });
    println!("anthology editions benchmark on {} threads", rayon::current_num_threads());
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings =
            Settings { essays: n, words: 770, language: "fr".into(), photo_pixels: 800, ..Settings::default() };
        synth::generate(dir.path(), &settings).expect("generate");
        let (book, report) = anthology::prepare(dir.path(), false).expect("load");
        assert_eq!(report.errors(), 0);
        let book = book.expect("book");
        let words: usize = book.essays().map(|e| e.words).sum();
        println!("\n{n} essays, {words} words, {n} photos of 800×800 px");

        let t = Instant::now();
        let first = anthology::editions::typst::render(&book).expect("render");
        println!(
            "  PDF, first render (cold):      {} — {} pages, {} KiB",
            ms(t.elapsed()),
            first.pages,
            first.bytes.len() / 1024
        );

        let runs = if n > 500 { 2 } else { 5 };
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                anthology::editions::typst::render(&book).expect("render");
                t.elapsed()
            })
            .collect();
        times.sort();
        println!("  PDF again (median of {runs}):      {}", ms(times[runs / 2]));

        let fonts = Arc::new(anthology::editions::typst::fonts_for(&book).expect("fonts"));
        let sources = anthology::editions::typst::sources(&book, &fonts).expect("sources");
        let world =
            anthology::editions::typst::world(&book, &sources, fonts, &anthology::editions::images::Cache::default())
                .expect("world");
        let layouts = anthology::editions::typst::pieces::Layouts::default();
        anthology::editions::typst::compile(&book, &sources, &world, &layouts).expect("compile");
        let t = Instant::now();
        let (again, _) = anthology::editions::typst::compile(&book, &sources, &world, &layouts).expect("compile");
        println!("  PDF again, layouts kept:       {}", ms(t.elapsed()));
        assert_eq!(again.bytes, first.bytes, "the same book gives the same bytes");

        let t = Instant::now();
        let epub = anthology::editions::epub::render(&book).expect("epub");
        println!(
            "  EPUB, first:                   {} — {} documents, {} images, {} KiB",
            ms(t.elapsed()),
            epub.documents,
            epub.images,
            epub.bytes.len() / 1024
        );
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                anthology::editions::epub::render(&book).expect("epub");
                t.elapsed()
            })
            .collect();
        times.sort();
        println!("  EPUB again (median of {runs}):     {}", ms(times[runs / 2]));
        let out = tempfile::tempdir().expect("output folder");
        let all: Editions = [Edition::Pdf, Edition::Epub, Edition::Html].into_iter().collect();
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                // A new session without a disk cache: everything is made.
                let session = Session::with_cache(DiskCache::disabled());
                let o = session.editions(&book, out.path(), all);
                assert!(all.iter().all(|e| o.made(e).is_some()));
                o.time
            })
            .collect();
        times.sort();
        println!("  all three, written (median):   {}", ms(times[runs / 2]));

        // watch: one session kept alive, one essay edited between builds.
        let session = Session::with_cache(DiskCache::disabled());
        session.editions(&book, out.path(), all);
        let essays: Vec<_> = book.essays().map(|e| e.file.clone()).collect();
        let mut steps: Vec<[Duration; 6]> = Vec::new();
        for i in 0..runs {
            let file = dir.path().join(&essays[(i * 17 + 1) % essays.len()]);
            let mut text = std::fs::read_to_string(&file).expect("essay");
            text.push_str(&format!("\nUne phrase de plus, numéro {i}.\n"));
            std::fs::write(&file, text).expect("edit");
            let t = Instant::now();
            let (edited, _) = anthology::prepare(dir.path(), false).expect("load");
            let edited = edited.expect("book");
            let load = t.elapsed();
            let o = session.editions(&edited, out.path(), all);
            let total = t.elapsed();
            let time = |e: Edition| o.made(e).expect("made").time;
            let (pdf, epub, html) = (time(Edition::Pdf), time(Edition::Epub), time(Edition::Html));
            // The PDF's two steps, again, on the same (now memoised) sources.
            let fonts = Arc::new(anthology::editions::typst::fonts_for(&edited).expect("fonts"));
            let sources = anthology::editions::typst::sources(&edited, &fonts).expect("sources");
            let world = anthology::editions::typst::world(
                &edited,
                &sources,
                fonts,
                &anthology::editions::images::Cache::default(),
            )
            .expect("world");
            let doc = typst::compile::<typst_layout::PagedDocument>(&world).output.expect("compile");
            let t = Instant::now();
            typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).expect("export");
            steps.push([load, pdf, epub, html, total, t.elapsed()]);
        }
        let med = |k: usize| {
            let mut v: Vec<Duration> = steps.iter().map(|s| s[k]).collect();
            v.sort();
            ms(v[v.len() / 2])
        };
        println!(
            "  watch, one essay edited (median of {runs}): {} in all: load and check {}, PDF {} (of which export {}), EPUB {}, HTML {}",
            med(4),
            med(0),
            med(1),
            med(5),
            med(2),
            med(3)
        );
        println!("  peak memory of the process:    {}", peak_memory());
    }
}
