//! Embeds the catalogue (`policies/rules/*.toml`) and data files (`policies/data/*.toml`) so the
//! pure crates need no file access at run time. Reading them here, at build time, is the only
//! file access this crate has.

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) == Some("toml") {
                let name = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("")
                    .to_string();
                out.push((name, p.canonicalize().unwrap_or(p).display().to_string()));
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let mut code = String::new();
    for (var, sub) in [("RULE_FILES", "rules"), ("DATA_FILES", "data")] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        let _ = writeln!(code, "pub static {var}: &[(&str, &str)] = &[");
        for (name, path) in list(&dir) {
            println!("cargo:rerun-if-changed={path}");
            let _ = writeln!(code, "    ({name:?}, include_str!({path:?})),");
        }
        let _ = writeln!(code, "];");
    }
    let articles = root.join("articles.toml");
    println!("cargo:rerun-if-changed={}", articles.display());
    let _ = writeln!(
        code,
        "pub static ARTICLES: &str = include_str!({:?});",
        articles
            .canonicalize()
            .unwrap_or(articles.clone())
            .display()
            .to_string()
    );
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
