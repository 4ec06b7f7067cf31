#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Helpers shared by the end-to-end tests.

use kijun::engine::{self, Document, Options, Outcome};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads files below `dir` (relative to the repository root) as documents with repo-relative paths.
pub fn docs_in(dir: &str) -> Vec<Document> {
    let mut out = Vec::new();
    collect(&root(), Path::new(dir), &mut out);
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

/// A loader that serves module directories from the repository on disk.
pub struct RepoLoader;

impl engine::Loader for RepoLoader {
    fn module_files(&self, dir: &str) -> Vec<(String, String)> {
        let abs = root().join(dir);
        let Ok(rd) = std::fs::read_dir(&abs) else {
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

pub fn run(docs: Vec<Document>, opts: &Options) -> Outcome {
    engine::check(docs, &RepoLoader, opts)
}

pub fn json(o: &Outcome) -> serde_json::Value {
    engine::json::to_json(o)
}

/// The Chromium binary for the browser tests of `what` (`KIJUN_CHROMIUM`, else the usual
/// paths). Missing, the test fails with how to install it, unless `KIJUN_SKIP_BROWSER=1`.
pub fn chromium(what: &str) -> Option<PathBuf> {
    if std::env::var("KIJUN_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("KIJUN_SKIP_BROWSER=1: the browser check of {what} is skipped");
        return None;
    }
    let candidates = [
        std::env::var_os("KIJUN_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
        Some(PathBuf::from("/usr/bin/google-chrome")),
    ];
    if let Some(c) = candidates.into_iter().flatten().find(|c| c.is_file()) {
        return Some(c);
    }
    panic!(
        "Chromium is needed to check {what} in a real browser, and /usr/bin/chromium was not found.\n\
         Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), or point KIJUN_CHROMIUM at a\n\
         Chromium binary. Only where no browser can be installed, set KIJUN_SKIP_BROWSER=1 to skip this test."
    );
}

/// Waits for a headless Chromium run (`what` names it in failures), killing it after 120 s;
/// fails with its standard error when it exits unsuccessfully.
pub fn wait_for_browser(mut child: std::process::Child, what: &str) {
    use std::time::{Duration, Instant};
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            if !status.success() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                panic!("chromium {what} failed ({status}):\n{err}");
            }
            return;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {what} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
