//! Writes the `kijun.metadata` custom section's content: tool, ABI and catalogue versions and
//! the rule list, read from the catalogue files at build time.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
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
    let lib =
        std::fs::read_to_string(root.join("crates/kijun-rules/src/lib.rs")).unwrap_or_default();
    let catalogue = lib
        .lines()
        .find(|l| l.contains("CATALOGUE_VERSION: &str"))
        .and_then(|l| l.split('"').nth(1))
        .unwrap_or("unknown")
        .to_string();
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
