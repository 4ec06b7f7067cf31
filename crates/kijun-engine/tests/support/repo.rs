#![allow(dead_code, clippy::unwrap_used)] // why: test code may fail loudly
//! The repository's own files as documents: shared by this crate's rule tests and the CLI's
//! end-to-end tests (which include this file with `#[path]`), so both read fixtures the same way.

use kijun_engine::{Document, Loader};
use std::path::{Path, PathBuf};

/// The repository root: the nearest directory above the including package that holds the
/// catalogue and the fixtures.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|p| p.join("policies").is_dir() && p.join("fixtures").is_dir())
        .unwrap_or(here)
        .to_path_buf()
}

/// Reads files below `rel` (relative to the repository root) as documents with repo-relative
/// paths, sorted; hidden files and `.expect` sidecars are not documents.
pub fn docs_in(rel: &str) -> Vec<Document> {
    let mut out = Vec::new();
    collect(&root(), Path::new(rel), &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect(root: &Path, rel: &Path, out: &mut Vec<Document>) {
    let abs = root.join(rel);
    if abs.is_file() {
        let text = std::fs::read_to_string(&abs).unwrap();
        out.push(Document::new(
            rel.to_string_lossy().replace('\\', "/"),
            text,
        ));
        return;
    }
    let mut entries: Vec<_> = std::fs::read_dir(&abs).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') || name.to_string_lossy().ends_with(".expect") {
            continue;
        }
        collect(root, &rel.join(name), out);
    }
}

/// Serves Terraform module directories from the repository on disk.
pub struct RepoLoader;

impl Loader for RepoLoader {
    fn module_files(&self, dir: &str) -> Vec<(String, String)> {
        let Ok(rd) = std::fs::read_dir(root().join(dir)) else {
            return Vec::new();
        };
        let mut v: Vec<(String, String)> = rd
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                n.ends_with(".tf") || n.ends_with(".tf.json")
            })
            .map(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                (
                    format!("{dir}/{n}"),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(root().join(path)).ok()
    }
}
