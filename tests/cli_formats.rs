#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! `kijun check` with several `--format`/`--output` pairs: where each report goes, the usage
//! errors, the GitHub job summary, the stderr summary line, and no progress line when stderr is
//! not a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-formats-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn kijun(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kijun"));
    c.args(args)
        .current_dir(repo())
        .env_remove("LANG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("kijun runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn each_output_takes_the_format_before_it_and_one_format_goes_to_stdout() {
    let d = tempdir("pairs");
    let sarif = d.join("k.sarif");
    let junit = d.join("k.xml");
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--now",
            "2026-11-26",
            "--format",
            "sarif",
            "--output",
            s(&sarif),
            "--format",
            "json",
            "--format",
            "junit",
            "--output",
            s(&junit),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["version"], 1);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .starts_with("<?xml"));
    // Machine formats went to files and JSON to stdout: one summary line on stderr, and
    // nothing else (no progress line: stderr is not a terminal).
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("kijun: checked "), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn two_formats_on_stdout_or_two_outputs_for_one_format_are_usage_errors() {
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--format",
            "sarif",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one format"));
    assert!(out.stdout.is_empty());
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--format",
            "sarif",
            "--output",
            "/tmp/a",
            "--output",
            "/tmp/b",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = kijun(&["check", "examples/agency-portal", "--format", "pdf"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn github_format_appends_the_job_summary() {
    let d = tempdir("github");
    let summary = d.join("summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--lang",
            "en",
            "--format",
            "github",
        ],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text
        .starts_with("# earlier step\n<!-- kijun-report -->\n## kijun compliance check: failed"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_handover_report_is_japanese_unless_asked_otherwise() {
    let d = tempdir("html");
    let ja = d.join("ja.html");
    let en = d.join("en.html");
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--format",
            "html",
            "--output",
            s(&ja),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--lang",
            "en",
            "--format",
            "html",
            "--output",
            s(&en),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(std::fs::read_to_string(&ja)
        .unwrap()
        .contains("<html lang=\"ja\">"));
    assert!(std::fs::read_to_string(&en)
        .unwrap()
        .contains("Pre-delivery Self-Check Report"));
    let _ = std::fs::remove_dir_all(&d);
}

/// The text report draws findings sharing one root cause (tests/roots/dr: a provider region
/// set in terraform.tfvars) once, under a heading naming the line to change and the number of
/// resources, and lists the resources; a module finding names the roots it fails in.
#[test]
fn text_report_groups_findings_under_their_shared_cause() {
    for (lang, heading, roots) in [
        (
            "en",
            "`provider aws`, `\"us-east-1\"` (`tests/roots/dr/terraform.tfvars:1:10`): 3 resources",
            "fails in roots: `tests/roots/envs/dev`, `tests/roots/envs/staging` (not in: `tests/roots/envs/prod`)",
        ),
        (
            "ja",
            "`provider aws`、`\"us-east-1\"`（`tests/roots/dr/terraform.tfvars:1:10`）: 3 リソース",
            "違反となるルート: `tests/roots/envs/dev`, `tests/roots/envs/staging`",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
            .args(["check", "tests/roots", "--now", "2026-11-26", "--lang", lang])
            .args(["--format", "text"])
            .current_dir(repo())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "400")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(heading), "{lang}: no {heading:?} in:\n{text}");
        for r in [
            "aws_s3_bucket.archive",
            "aws_ebs_volume.scratch",
            "aws_dynamodb_table.sessions",
        ] {
            assert!(
                text.contains(&format!("- {r} (tests/roots/dr/main.tf:")),
                "{lang}: {r} is not listed under the cause:\n{text}"
            );
        }
        // Drawn once: no diagnostic of its own for a grouped finding.
        let own = match lang {
            "ja" => "`aws_s3_bucket.archive` のデータが許可されていないリージョン",
            _ => "`aws_s3_bucket.archive` stores data in a region that is not allowed",
        };
        assert!(!text.contains(own), "{lang}:\n{text}");
        assert!(text.contains(roots), "{lang}: no {roots:?} in:\n{text}");
        // The module finding points at each root's origin.
        assert!(
            text.contains("tests/roots/envs/dev/terraform.tfvars:1:16"),
            "{lang}:\n{text}"
        );
    }
}
