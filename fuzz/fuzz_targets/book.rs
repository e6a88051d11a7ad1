//! `anthology::fuzzing::book` under libFuzzer: any book, no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| anthology::fuzzing::book(data));
