//! `anthology::fuzzing::roster` under libFuzzer: any input, no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| anthology::fuzzing::roster(data));
