#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The same input gives byte-identical output, run after run and whatever the number of
//! threads: JSON and text reports over the examples and the fixtures, with one worker thread
//! and with the default pool, each twice.

use std::process::Command;

fn run(path: &str, format: &str, lang: &str, threads: Option<&str>) -> Vec<u8> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            path,
            "--format",
            format,
            "--lang",
            lang,
            "--now",
            "2026-04-01",
        ])
        .env("NO_COLOR", "1");
    match threads {
        Some(n) => cmd.env("RAYON_NUM_THREADS", n),
        None => cmd.env_remove("RAYON_NUM_THREADS"),
    };
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0..=1)),
        "{path} {format}: {:?} {stderr}",
        out.status
    );
    assert!(!out.stdout.is_empty(), "{path} {format}: no output");
    out.stdout
}

fn same_everywhere(path: &str) {
    for (format, lang) in [("json", "en"), ("text", "ja"), ("text", "en")] {
        let reference = run(path, format, lang, Some("1"));
        for threads in [Some("1"), None, Some("4")] {
            let again = run(path, format, lang, threads);
            if again != reference {
                let a = String::from_utf8_lossy(&reference);
                let b = String::from_utf8_lossy(&again);
                let line = a
                    .lines()
                    .zip(b.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                panic!(
                    "{path} --format {format} --lang {lang}: output differs with RAYON_NUM_THREADS={threads:?} at line {}:\n  {}\n  {}",
                    line + 1,
                    a.lines().nth(line).unwrap_or(""),
                    b.lines().nth(line).unwrap_or("")
                );
            }
        }
    }
}

#[test]
fn examples_are_deterministic() {
    same_everywhere("examples");
}

#[test]
fn fixtures_are_deterministic() {
    same_everywhere("fixtures");
}
