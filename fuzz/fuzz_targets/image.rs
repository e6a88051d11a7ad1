//! `anthology::fuzzing::image` under libFuzzer: any input, no panic, within the heap budget.
#![no_main]

/// Every allocation counted, so that an input over the heap budget is a crash.
#[global_allocator]
static HEAP: anthology::fuzzing::Counted = anthology::fuzzing::Counted;

libfuzzer_sys::fuzz_target!(|data: &[u8]| anthology::fuzzing::within_budget(|| anthology::fuzzing::image(data)));
