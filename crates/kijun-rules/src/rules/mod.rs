//! Checks written in Rust, one file per rule, named after the rule id (`kj_n1_001.rs` for
//! `KJ-N1-001`). Rules whose check is declarative in the catalogue have no file here.

pub mod kj_c1_001;
pub mod kj_c1_002;
pub mod kj_c1_003;
pub mod kj_c2_001;
pub mod kj_c2_002;
pub mod kj_c2_003;
pub mod kj_e1_002;
pub mod kj_e1_004;
pub mod kj_e1_005;
pub mod kj_e1_007;
pub mod kj_e1_008;
pub mod kj_e1_009;
pub mod kj_e3_001;
pub mod kj_e3_003;
pub mod kj_e5_001;
pub mod kj_e5_002;
pub mod kj_e5_003;
pub mod kj_e6_001;
pub mod kj_e6_002;
pub mod kj_l3_001;
pub mod kj_l3_002;
pub mod kj_n13_001;
pub mod kj_n13_002;
pub mod kj_n1_001;
pub mod kj_n1_002;
pub mod kj_n1_003;
pub mod kj_n2_001;
pub mod kj_n2_002;
pub mod kj_n2_003;
pub mod kj_n4_002;
pub mod kj_n4_003;
pub mod kj_n4_004;
pub mod kj_n8_001;
pub mod net;
pub mod region;
