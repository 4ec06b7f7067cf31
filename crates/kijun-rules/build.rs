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
    let root = manifest_dir().join("../../policies");
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
    // The catalogue as JSON: parsing TOML at run time costs a noticeable first-call delay in
    // the WASM module; JSON deserialises several times faster. A file that does not parse is
    // carried as an error entry, so the catalogue test reports it instead of the build failing.
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let json_dir = out_dir.join("rules-json");
    let _ = std::fs::create_dir_all(&json_dir);
    let _ = writeln!(code, "pub static RULE_JSON: &[(&str, &str)] = &[");
    for (name, path) in list(&root.join("rules")) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let json = match toml::from_str::<toml::Table>(&text) {
            Ok(t) => serde_json::to_string(&t)
                .unwrap_or_else(|e| serde_json::json!({"__error": e.to_string()}).to_string()),
            Err(e) => serde_json::json!({"__error": e.to_string()}).to_string(),
        };
        let target = json_dir.join(format!("{name}.json"));
        let _ = std::fs::write(&target, json);
        let shown = target.display().to_string();
        let _ = writeln!(code, "    ({name:?}, include_str!({shown:?})),");
    }
    let _ = writeln!(code, "];");
    for (var, file) in [("ARTICLES", "articles.toml"), ("COVERAGE", "coverage.toml")] {
        let path = root.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let shown = path
            .canonicalize()
            .unwrap_or(path.clone())
            .display()
            .to_string();
        let _ = writeln!(code, "pub static {var}: &str = include_str!({shown:?});");
    }
    // The first fail and pass fixture of each rule: `kijun explain` shows them as Example and
    // Use instead, so the documentation is the tested input.
    let fixtures = root.join("../fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let _ = writeln!(code, "pub static EXAMPLES: &[(&str, &str, &str)] = &[");
    for (name, _) in list(&root.join("rules")) {
        let id = name.trim_end_matches(".toml");
        let dir = fixtures.join(id);
        let pick = |kind: &str| -> Option<String> {
            for ext in ["tf", "yaml", "json"] {
                for stem in [
                    kind.to_string(),
                    format!("{kind}_cfn"),
                    format!("{kind}_arm"),
                ] {
                    let p = dir.join(format!("{stem}.{ext}"));
                    if p.is_file() {
                        println!("cargo:rerun-if-changed={}", p.display());
                        return Some(p.canonicalize().unwrap_or(p).display().to_string());
                    }
                }
            }
            None
        };
        if let (Some(f), Some(p)) = (pick("fail"), pick("pass")) {
            let _ = writeln!(
                code,
                "    ({id:?}, include_str!({f:?}), include_str!({p:?})),"
            );
        }
    }
    let _ = writeln!(code, "];");
    let _ = writeln!(code);
    registry(&root, &mut code);
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}

/// The control family of a rule id's control ("E3" → "encryption"): the folder of its Rust file.
fn family(control: &str) -> &'static str {
    match control.chars().next() {
        Some('C') => "cloud",
        Some('E') => "encryption",
        Some('L') => "logging",
        Some('N') => "network",
        _ => "",
    }
}

/// The registry, derived: every `src/rules/<family>/<name>.rs` is the Rust check of the catalogue
/// rule whose `name` it carries (`cloudfront_tls_below_1_2.rs` for `cloudfront-tls-below-1-2`).
/// Writes the module tree (`RULE_MODULES`, included by `rules/mod.rs`) and `CHECKS`, sorted by
/// id. A file that names no rule, or sits in another family's folder, stops the build.
fn registry(root: &Path, code: &mut String) {
    let mut by_name = std::collections::BTreeMap::new();
    for (file, path) in list(&root.join("rules")) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Ok(t) = toml::from_str::<toml::Table>(&text) {
            let get = |k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            by_name.insert(get("name"), (get("id"), get("control"), file));
        }
    }
    let src = manifest_dir().join("src/rules");
    println!("cargo:rerun-if-changed={}", src.display());
    let mut modules = String::new();
    let mut checks = Vec::new();
    for fam in ["cloud", "encryption", "logging", "network"] {
        let dir = src.join(fam);
        println!("cargo:rerun-if-changed={}", dir.display());
        let _ = writeln!(modules, "pub mod {fam} {{");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".rs"))
            .collect();
        files.sort();
        for f in files {
            let module = f.trim_end_matches(".rs").to_string();
            let path = dir.join(&f);
            let shown = path
                .canonicalize()
                .unwrap_or(path.clone())
                .display()
                .to_string();
            let name = module.replace('_', "-");
            match by_name.get(&name) {
                None => {
                    let _ = writeln!(
                        modules,
                        "compile_error!({:?});",
                        format!("src/rules/{fam}/{f}: no rule named `{name}` in policies/rules")
                    );
                    continue;
                }
                Some((id, control, _)) if family(control) != fam => {
                    let _ = writeln!(
                        modules,
                        "compile_error!({:?});",
                        format!(
                            "src/rules/{fam}/{f}: {id} belongs in src/rules/{}/",
                            family(control)
                        )
                    );
                    continue;
                }
                Some((id, _, _)) => checks.push((id.clone(), format!("{fam}::{module}"))),
            }
            let _ = writeln!(modules, "    #[path = {shown:?}]\n    pub mod {module};");
        }
        let _ = writeln!(modules, "}}");
    }
    checks.sort();
    let _ = writeln!(
        code,
        "/// Rule id → Rust check, sorted by id (derived from the files of `src/rules/`)."
    );
    let _ = writeln!(code, "pub static CHECKS: &[(&str, crate::CheckFn)] = &[");
    for (id, path) in &checks {
        let _ = writeln!(code, "    ({id:?}, crate::rules::{path}::check),");
    }
    let _ = writeln!(code, "];");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("rule_modules.rs");
    if let Err(e) = std::fs::write(&out, modules) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
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
