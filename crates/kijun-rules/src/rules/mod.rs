//! Checks written in Rust, one file per rule, grouped by control family (`cloud` for C,
//! `encryption` for E, `logging` for L, `network` for N) and named after the rule's `name`:
//! `encryption/cloudfront_tls_below_1_2.rs` is `KJ-E3-004 cloudfront-tls-below-1-2`, and its
//! first line names the id. Rules whose check is declarative in the catalogue have no file here.
//!
//! The module tree and the registry ([`crate::registry::CHECKS`]) are derived from these files
//! at build time (`build.rs`); a rule reads `crate::facts`, never another rule.

include!(concat!(env!("OUT_DIR"), "/rule_modules.rs"));
