//! The root package's end-to-end tests, built as one test binary (`cargo test --test it`).
//!
//! Each file beside this one is a module of this crate, not a test binary of its own: every
//! test binary of the root package is rebuilt and relinked on each change below the CLI, and 25
//! of them took twice the CPU time and three times the disk of one (docs/performance.md,
//! "Integration tests of the root package"). Cargo.toml sets `autotests = false` so that cargo
//! does not also build each file on its own; `every_test_file_is_a_module` below fails when a
//! new `tests/*.rs` is not declared here, so no test file is silently left out.
//!
//! Run one file's tests by its module path: `cargo test --test it reports::`.
//!
//! The modules share one process and its test threads: no test may change the process's
//! environment, current directory or umask (pass them to the child `Command` instead), and
//! temporary directories carry the module's own prefix and the process id. A test whose
//! assertion is a wall-clock bound close to what it takes alone cannot share the test threads
//! with every other module: `tests/hostile.rs` (20 s watchdog) is its own `[[test]]` target, and
//! so is `tests/wasm_conformance.rs` (it runs Node and links wasmtime).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly

// Helpers shared by the modules below.
mod common;
mod support;

mod action;
mod cli;
mod cli_conventions;
mod cli_formats;
// why: `kijun cluster` exists only with the "cluster" feature (on by default).
#[cfg(feature = "cluster")]
mod cluster;
mod confinement;
mod determinism;
mod docs;
mod encodings;
mod exclude;
mod fuzz_smoke;
// hostile.rs: a test target of its own (Cargo.toml says why).
mod messages;
mod packaging;
mod parity;
mod plugins;
mod policy;
mod precommit;
mod report_html;
mod reports;
mod single_files;
mod streaming;
mod terraform_lang;
// wasm_conformance.rs: a test target of its own (Cargo.toml says why).

/// With `autotests = false`, cargo builds only the test targets Cargo.toml names, so a new file
/// in `tests/` would compile into nothing and its tests would never run. Every `tests/*.rs`
/// (and `tests/<dir>/mod.rs`) must be a `mod` of this file or a `[[test]]` of Cargo.toml.
#[test]
fn every_test_file_is_a_module() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests");
    let this = std::fs::read_to_string(dir.join("it.rs")).unwrap();
    let mut declared: Vec<&str> = this
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let targets: Vec<String> = manifest["test"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["path"].as_str().unwrap().to_string())
        .collect();
    assert!(targets.contains(&"tests/it.rs".to_string()), "{targets:?}");
    for t in &targets {
        let name = t.strip_prefix("tests/").and_then(|t| t.strip_suffix(".rs"));
        declared.extend(name);
    }
    let mut missing = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        let is_module = if p.is_dir() {
            p.join("mod.rs").is_file()
        } else {
            p.extension().is_some_and(|x| x == "rs") && name != "it"
        };
        if is_module && !declared.contains(&name.as_str()) {
            missing.push(format!(
                "tests/{}",
                p.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "neither a module of tests/it.rs nor a [[test]] of Cargo.toml, so never built \
         (autotests = false): {}; add `mod <name>;` to tests/it.rs",
        missing.join(", ")
    );
    assert!(declared.len() >= 20, "{declared:?}");
}
