//! `cargo bench --bench check`: how long `anthology check` takes on generated
//! books. It prints figures; it asserts nothing about time.
//!
//! For each size it generates a book with `anthology::synth` (French, 770
//! words and one 800×800 portrait per essay), then measures:
//! - `check` in the library (load + validate), repeated, warm file cache;
//! - the `anthology check` command as a user runs it (process start included).
//!
//! `ANTHOLOGY_BENCH_SIZES=112,1000` chooses the sizes (default: 112).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anthology::synth::{self, Settings};

fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:.1} ms, median {:.1} ms, max {:.1} ms ({} runs)",
        ms(samples[0]),
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() - 1]),
        samples.len()
    )
}

fn measure(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f(); // warm-up: file cache, lazy data
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

fn bench(essays: usize, dir: &Path) {
    let settings = Settings { essays, words: 770, language: "fr".into(), photo_pixels: 800, ..Settings::default() };
    let t = Instant::now();
    synth::generate(dir, &settings).expect("generate");
    println!("\n{essays} essays: generated in {:.1} s", t.elapsed().as_secs_f64());

    let checked = anthology::check(dir).expect("check");
    let words: usize = checked.loaded.essays.iter().map(|e| e.words).sum();
    let photos = checked.loaded.essays.iter().flat_map(|e| &e.authors).filter(|a| a.photo.is_some()).count();
    assert_eq!(checked.report.diagnostics.len(), 0, "the generated book must check clean");
    println!("  book: {} essays, {words} words, {photos} photos of 800×800 px", checked.loaded.essays.len());

    let runs = if essays > 500 { 5 } else { 20 };
    let lib = measure(runs, || {
        let c = anthology::check(dir).expect("check");
        assert_eq!(c.report.errors(), 0);
    });
    println!("  check (library, load + validate): {}", stats(lib));

    let bin = env!("CARGO_BIN_EXE_anthology");
    let cli = measure(runs, || {
        let out = Command::new(bin).arg("check").arg(dir).output().expect("run anthology");
        assert!(out.status.success());
    });
    println!("  anthology check (process):        {}", stats(cli));
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // and should stay quick: run the smallest size only then.
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = std::env::var("ANTHOLOGY_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| if benching { vec![112] } else { vec![12] });
    println!(
        "anthology check benchmark on {} threads (rayon), {} cores",
        rayon::current_num_threads(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        bench(n, dir.path());
    }
}
