#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // why: test code may fail loudly
//! Rules read facts, never other rules: no file of `src/rules/` may import another rule file.
//! Shared logic belongs in `src/facts/` (or `src/util.rs` for phrasing).

use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && p.file_name().is_some_and(|n| n != "mod.rs")
        {
            out.push(p);
        }
    }
}

/// The paths by which one rule file could reach another: `super::<rule>` (a sibling in the
/// family folder), `crate::rules::…` and `super::super::…` (another family).
fn imports_of_rules(text: &str, modules: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let named_rule = code.match_indices("super::").any(|(at, m)| {
            let rest = &code[at + m.len()..];
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            modules.contains(&ident)
        });
        let elsewhere = ["crate::rules::", "super::super::", "kijun_rules::rules::"]
            .iter()
            .any(|bad| code.contains(bad));
        if named_rule || elsewhere {
            found.push(format!("line {}: {}", i + 1, line.trim()));
        }
    }
    found
}

#[test]
fn no_rule_file_imports_another() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    rule_files(&root, &mut files);
    assert!(files.len() > 100, "found only {} rule files", files.len());
    let modules: Vec<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for p in imports_of_rules(&text, &modules) {
            problems.push(format!("{}: {p}", f.strip_prefix(&root).unwrap().display()));
        }
    }
    assert!(
        problems.is_empty(),
        "rule files import other rules (move the shared part to src/facts/):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scan_sees_an_import_of_another_rule() {
    let modules = vec!["s3_bucket_logging".to_string()];
    assert_eq!(
        imports_of_rules(
            "use super::s3_bucket_logging::{designates, Link};",
            &modules
        )
        .len(),
        1
    );
    assert_eq!(
        imports_of_rules("use crate::rules::logging::x::check;", &modules).len(),
        1
    );
    assert!(imports_of_rules(
        "    use super::*;\nuse crate::facts::links::Link;",
        &modules
    )
    .is_empty());
}
