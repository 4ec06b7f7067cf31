//! Checks written in Rust, one file per rule, named after the rule id (`kj_n1_001.rs` for
//! `KJ-N1-001`). Rules whose check is declarative in the catalogue have no file here.
