#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Generated documentation stays fresh: `docs/rules.md` is the catalogue rendered by
//! `kijun rules --format markdown`. Run with KIJUN_BLESS=1 to rewrite it.

mod common;

#[test]
fn rules_table_is_fresh() {
    let path = common::root().join("docs/rules.md");
    let want = kijun::rules::docs::markdown();
    if std::env::var_os("KIJUN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/rules.md is stale: run `KIJUN_BLESS=1 cargo test --test docs`"
    );
}
