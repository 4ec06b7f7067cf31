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

use crate::common;

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

/// The report inputs whose every section the visible-text checks read: the golden input (all
/// sections: findings, exceptions, not evaluated, unreadable files), a tree where nothing fails,
/// and one where no file can be read. `(name, arguments after "check", scan root for temp files)`.
fn report_cases(dir: &Path) -> Vec<(&'static str, Vec<String>)> {
    let clean = dir.join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::write(
        clean.join("main.tf"),
        "provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\n",
    )
    .unwrap();
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("main.tf"),
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \n",
    )
    .unwrap();
    // Latin-1, as an old editor may save it: not UTF-8, so not read.
    std::fs::write(
        broken.join("legacy.tf"),
        b"# \xe9t\xe9\nresource \"aws_s3_bucket\" \"a\" {}\n",
    )
    .unwrap();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (
            "golden",
            s(&[
                "examples/agency-portal",
                "tests/golden/input",
                "--config",
                "tests/golden/kijun.toml",
                "--now",
                "2026-11-26",
            ]),
        ),
        ("roots", s(&["tests/roots", "--now", "2026-11-26"])),
        (
            "clean",
            vec![
                clean.display().to_string(),
                "--now".into(),
                "2026-11-26".into(),
            ],
        ),
        (
            "broken",
            vec![
                broken.display().to_string(),
                "--now".into(),
                "2026-11-26".into(),
            ],
        ),
    ]
}

/// `kijun check <args> --lang <lang> --format <format> --output <out>`.
fn render_report(args: &[String], lang: &str, format: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .arg("check")
        .args(args)
        .args(["--lang", lang, "--format", format, "--output"])
        .arg(out)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stderr(Stdio::null())
        .status()
        .expect("kijun runs");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "kijun check {args:?} --format {format}: {status}"
    );
}

/// Every section of the handover report, as Chromium shows it, reads as text in both languages:
/// no `[object …]`, `undefined`, `NaN` or `null`, no section without content, no empty article
/// cell, and no English prose outside code in the Japanese report (except the messages of the
/// engine's parsers and evaluators, which are listed). `KIJUN_SCREENSHOTS=<dir>` saves
/// screenshots at 1280 and 390 pixels wide.
#[test]
fn handover_report_reads_as_text_in_every_section() {
    let Some(browser) = common::chromium("the handover report") else {
        return;
    };
    let dir = tempdir("text");
    let shots = std::env::var_os("KIJUN_SCREENSHOTS").map(PathBuf::from);
    let mut b = common::Browser::launch(&browser, "the handover report");
    let mut engine_english = std::collections::BTreeSet::new();
    for (name, args) in report_cases(&dir) {
        for lang in ["ja", "en"] {
            let what = format!("{lang}: the HTML report of {name}");
            let html = dir.join(format!("{name}-{lang}.html"));
            render_report(&args, lang, "html", &html);
            b.set_width(1280);
            b.goto(&format!("file://{}", html.display()));
            let page = b.seen();
            common::assert_report_readable(&page, lang, &what, &mut engine_english);
            // Every section has a heading and something under it.
            let sections = b.eval(
                r#"[...document.querySelectorAll("section")].map((s) => [s.id, s.querySelector("h2") ? s.querySelector("h2").innerText : "", s.innerText.length])"#,
            );
            let sections = sections.as_array().unwrap();
            assert!(sections.len() >= 6, "{what}: sections {sections:?}");
            for s in sections {
                let heading = s[1].as_str().unwrap_or_default();
                let heading_len = heading.chars().count() as u64;
                assert!(
                    !heading.trim().is_empty(),
                    "{what}: section {} has no heading",
                    s[0]
                );
                assert!(
                    s[2].as_u64().unwrap_or(0) > heading_len + 2,
                    "{what}: section {} ({heading}) shows nothing under its heading",
                    s[0]
                );
            }
            if let Some(shots) = &shots {
                for w in [1280, 390] {
                    b.screenshot(w, &shots.join(format!("report-{name}-{lang}-{w}.png")));
                }
            }
        }
    }
    b.close();
    common::print_engine_english(&engine_english);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Markdown as GitHub shows it: CommonMark with GitHub's extensions (tables, strikethrough, task
/// lists, footnotes), raw HTML such as `<br>` and `<sub>` kept, in a UTF-8 page.
fn markdown_page(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(markdown, options));
    format!("<!doctype html><html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>")
}

/// The Markdown report (the pull-request comment), rendered as GitHub renders it and read as
/// text in Chromium: the same checks as the HTML report's, on every table cell, heading and
/// paragraph, in both languages; and no Markdown syntax left showing (`|`, `**`, a backtick).
#[test]
fn markdown_report_reads_as_text_as_github_renders_it() {
    let Some(browser) = common::chromium("the Markdown report") else {
        return;
    };
    let dir = tempdir("markdown");
    let shots = std::env::var_os("KIJUN_SCREENSHOTS").map(PathBuf::from);
    let mut b = common::Browser::launch(&browser, "the Markdown report");
    let mut engine_english = std::collections::BTreeSet::new();
    for (name, args) in report_cases(&dir) {
        for lang in ["ja", "en"] {
            let what = format!("{lang}: the Markdown report of {name}");
            let md = dir.join(format!("{name}-{lang}.md"));
            render_report(&args, lang, "markdown", &md);
            let html = dir.join(format!("{name}-{lang}.md.html"));
            std::fs::write(&html, markdown_page(&std::fs::read_to_string(&md).unwrap())).unwrap();
            b.set_width(1280);
            b.goto(&format!("file://{}", html.display()));
            let page = b.seen();
            assert!(
                page.cells.iter().any(|c| c.tag == "td"),
                "{what}: no table was rendered:\n{}",
                page.body
            );
            common::assert_report_readable(&page, lang, &what, &mut engine_english);
            for c in &page.cells {
                for mark in ["|", "**", "`", "<br", "<sub"] {
                    assert!(
                        !c.prose.contains(mark),
                        "{what}: Markdown or HTML shows as text at {}: {:?}",
                        c.place,
                        c.text
                    );
                }
            }
            if let Some(shots) = &shots {
                b.screenshot(900, &shots.join(format!("markdown-{name}-{lang}.png")));
            }
        }
    }
    b.close();
    common::print_engine_english(&engine_english);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Findings sharing one root cause (tests/roots/dr: a provider region set in terraform.tfvars)
/// stand under one heading naming the line to change and how many resources it affects, with
/// the resources listed; a module finding names the roots it fails in and the one it does not.
#[test]
fn handover_report_groups_findings_under_their_shared_cause() {
    let Some(browser) = common::chromium("the grouped findings of the handover report") else {
        return;
    };
    let dir = tempdir("cause");
    let mut b = common::Browser::launch(&browser, "the grouped findings of the handover report");
    let args: Vec<String> = ["tests/roots", "--now", "2026-11-26"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    for (lang, heading, roots) in [
        (
            "en",
            "provider aws, \"us-east-1\" (tests/roots/dr/terraform.tfvars:1:10): 3 resources",
            "fails in roots: tests/roots/envs/dev, tests/roots/envs/staging (not in: tests/roots/envs/prod)",
        ),
        (
            "ja",
            "provider aws、\"us-east-1\"（tests/roots/dr/terraform.tfvars:1:10）: 3 リソース",
            "違反となるルート: tests/roots/envs/dev, tests/roots/envs/staging（違反とならないルート: tests/roots/envs/prod）",
        ),
    ] {
        let html = dir.join(format!("roots-{lang}.html"));
        render_report(&args, lang, "html", &html);
        b.set_width(1280);
        b.goto(&format!("file://{}", html.display()));
        let page = b.seen();
        assert!(
            page.body.contains(heading),
            "{lang}: no group heading {heading:?} in:\n{}",
            page.body
        );
        // The group lists its three resources.
        for r in [
            "aws_s3_bucket.archive",
            "aws_ebs_volume.scratch",
            "aws_dynamodb_table.sessions",
        ] {
            let group = b.eval(&format!(
                r#"[...document.querySelectorAll(".finding.cause")].filter((d) => d.innerText.includes({r:?})).length"#
            ));
            assert_eq!(group, 1, "{lang}: {r} is not listed under the cause");
        }
        assert!(page.body.contains(roots), "{lang}: no {roots:?} in:\n{}", page.body);
        if let Some(shots) = std::env::var_os("KIJUN_SCREENSHOTS").map(PathBuf::from) {
            b.screenshot(1280, &shots.join(format!("report-roots-{lang}.png")));
        }
    }
    b.close();
    let _ = std::fs::remove_dir_all(&dir);
}
