//! `anthology::import::fuzzing::markdown` under libFuzzer: any input, no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| anthology::import::fuzzing::markdown(data));
