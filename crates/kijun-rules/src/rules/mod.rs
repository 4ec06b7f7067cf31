//! Checks written in Rust, one file per rule, named after the rule id (`kj_n1_001.rs` for
//! `KJ-N1-001`). Rules whose check is declarative in the catalogue have no file here.

pub mod kj_c1_001;
pub mod kj_c1_002;
pub mod kj_c1_003;
pub mod kj_c2_001;
pub mod kj_c2_002;
pub mod kj_c2_003;
pub mod kj_l3_001;
pub mod kj_l3_002;
pub mod region;
