//! `anthology::import::fuzzing::project` under libFuzzer: any input, no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| anthology::import::fuzzing::project(data));
