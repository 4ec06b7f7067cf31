#![no_main]
//! Fuzz target: `kijun_engine::fuzz::yaml`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kijun_engine::fuzz::yaml(data));
