#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The handover report in a real browser: `kijun check examples/agency-portal --format html`
//! rendered by headless Chromium to a screenshot (A4 at 150 dpi) and to a PDF.
//!
//! Chromium is required: without it the test fails and says how to install it
//! (`apt-get install -y chromium`). `KIJUN_SKIP_BROWSER=1` skips it on a machine that cannot have
//! a browser; CI must not set it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-html-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs headless Chromium on `page` with `mode` (`--screenshot=…` or `--print-to-pdf=…`),
/// killing it if it hangs.
fn run_browser(browser: &Path, profile: &Path, mode: &str, page: &Path) {
    let child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            // why: containers give /dev/shm 64 MB, too little for Chromium's renderer.
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(mode)
        .arg("--window-size=1240,1754")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    common::wait_for_browser(child, mode);
}

fn report(dir: &Path, lang: &str) -> PathBuf {
    let out = dir.join(format!("report-{lang}.html"));
    let status = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args([
            "check",
            "examples/agency-portal",
            "--config",
            "tests/golden/kijun.toml",
            "--now",
            "2026-11-26",
            "--lang",
            lang,
            "--format",
            "html",
            "--output",
        ])
        .arg(&out)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stderr(Stdio::null())
        .status()
        .expect("kijun runs");
    // Findings exist in the example: exit code 1, and the report is written anyway.
    assert_eq!(status.code(), Some(1));
    out
}

#[test]
fn handover_report_renders_in_headless_chromium() {
    let Some(browser) = common::chromium("the handover report") else {
        return;
    };
    let dir = tempdir("browser");
    let ja = report(&dir, "ja");
    let html = std::fs::read_to_string(&ja).unwrap();
    assert!(html.contains("納品前セルフチェック報告書"));

    let png = dir.join("report-ja.png");
    run_browser(
        &browser,
        &dir.join("profile"),
        &format!("--screenshot={}", png.display()),
        &ja,
    );
    let bytes = std::fs::read(&png).expect("the screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank or failed page compresses to a few kilobytes; the report's first page is tables,
    // text and a chart.
    assert!(
        bytes.len() > 40 * 1024,
        "the screenshot is only {} bytes: the page did not render",
        bytes.len()
    );

    for lang in ["ja", "en"] {
        let page = if lang == "ja" {
            ja.clone()
        } else {
            report(&dir, "en")
        };
        let pdf = dir.join(format!("report-{lang}.pdf"));
        run_browser(
            &browser,
            &dir.join("profile"),
            &format!("--print-to-pdf={}", pdf.display()),
            &page,
        );
        let bytes = std::fs::read(&pdf).expect("the PDF was written");
        assert!(bytes.starts_with(b"%PDF"), "{lang}: not a PDF");
        assert!(
            bytes.len() > 20 * 1024,
            "{lang}: the PDF is only {} bytes",
            bytes.len()
        );
    }
    if std::env::var_os("KIJUN_KEEP_BROWSER_OUTPUT").is_some() {
        eprintln!("browser output kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
