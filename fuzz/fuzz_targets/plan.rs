#![no_main]
//! Fuzz target: `kijun_engine::fuzz::plan`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kijun_engine::fuzz::plan(data));
