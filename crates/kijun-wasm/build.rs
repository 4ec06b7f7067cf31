//! Writes the `kijun.metadata` custom section's content: tool, ABI and catalogue versions and
//! the rule list, read from the catalogue files at build time.

use std::path::Path;

fn main() {
    let root = manifest_dir().join("../..");
    let rules_dir = root.join("policies/rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let mut ids: Vec<String> = std::fs::read_dir(&rules_dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".toml"))
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    // The version is declared once, in the rules crate's catalogue module. A build that cannot
    // find it must fail: a module that says "unknown" would be shipped without anyone noticing.
    let source = root.join("crates/kijun-rules/src/catalogue.rs");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source).unwrap_or_default();
    let Some(catalogue) = text
        .lines()
        .find(|l| l.contains("pub const CATALOGUE_VERSION: &str"))
        .and_then(|l| l.split('"').nth(1))
    else {
        fail(&format!("no CATALOGUE_VERSION in {}", source.display()));
    };
    if ids.is_empty() {
        fail(&format!("no rules in {}", rules_dir.display()));
    }
    let list: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
    let json = format!(
        "{{\"tool\":\"kijun\",\"version\":\"{}\",\"abi\":1,\"catalogue\":\"{catalogue}\",\"rules\":[{}]}}",
        env!("CARGO_PKG_VERSION"),
        list.join(",")
    );
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("metadata.json");
    if let Err(e) = std::fs::write(&out, json) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}

/// Stops the build with a message cargo shows.
fn fail(message: &str) -> ! {
    println!("cargo:warning={message}");
    eprintln!("error: {message}");
    std::process::exit(1)
}

/// The package's directory, read when the script runs. why: `env!` would fix the directory the
/// script was compiled in, and Cargo reuses a compiled build script for the same package in
/// another checkout that shares the target directory (it hashes a workspace member's path
/// relative to the workspace), which then reads the first checkout's files.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_default()
}
