#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Leaving paths out of a scan: `--exclude GLOB` and `[scan] exclude` in kijun.toml leave out
//! files and directories (`.gitignore`-style), every report lists what was left out, the walk
//! skips by default only what is certainly not input (`.git`, `node_modules`,
//! `.terraform/providers`), and the project-root confinement holds whatever is excluded.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kijun(args: &[&str], cwd: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
    cmd.args(args).current_dir(cwd).env_remove("LANG");
    for (k, _) in std::env::vars() {
        if k.starts_with("KIJUN_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1").output().expect("kijun runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A bucket in a region outside the allowed set: one KJ-C1-001 finding per file.
fn bucket(name: &str) -> String {
    format!(
        "provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n\nresource \"aws_s3_bucket\" \"{name}\" {{\n  bucket = \"agency-{name}\"\n}}\n"
    )
}

/// A project with infrastructure code where users keep it, including in a directory named
/// `target`, plus directories that are certainly not input.
fn project(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-exclude-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    let files = [
        ("repo/main.tf", bucket("main")),
        ("repo/examples/demo/main.tf", bucket("demo")),
        ("repo/examples/keep/main.tf", bucket("keep")),
        ("repo/test/unit/main.tf", bucket("unit")),
        ("repo/modules/net/fixtures/bad/main.tf", bucket("fixture")),
        ("repo/target/prod/main.tf", bucket("target")),
        ("repo/old.bak.tf", bucket("backup")),
        ("repo/node_modules/pkg/main.tf", bucket("npm")),
        (
            "repo/.terraform/providers/registry.terraform.io/x/main.tf",
            bucket("provider"),
        ),
        ("repo/.git/hooks/main.tf", bucket("git")),
        // Modules `terraform init` downloaded are input; the provider binaries beside them not.
        ("repo/.terraform/modules/vpc/main.tf", bucket("downloaded")),
        // Outside the project root: never read, excluded or not.
        ("outside/main.tf", bucket("outside")),
    ];
    for (p, text) in files {
        let path = d.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // The project root (the scope) is the repository.
    std::fs::create_dir_all(d.join("repo/.git")).unwrap();
    d
}

/// The files with a finding.
fn files(report: &serde_json::Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const SCAN: &[&str] = &[
    "check",
    ".",
    "--format",
    "json",
    "--lang",
    "en",
    "--rule",
    "KJ-C1-001",
    "--now",
    "2026-12-06",
];

#[test]
fn everything_is_scanned_by_default_except_what_is_certainly_not_input() {
    let d = project("default");
    let out = kijun(SCAN, &d.join("repo"));
    let r = json(&out);
    assert_eq!(
        files(&r),
        set(&[
            ".terraform/modules/vpc/main.tf",
            "examples/demo/main.tf",
            "examples/keep/main.tf",
            "main.tf",
            "modules/net/fixtures/bad/main.tf",
            "old.bak.tf",
            // A directory named `target` may hold real infrastructure code.
            "target/prod/main.tf",
            "test/unit/main.tf",
        ])
    );
    assert_eq!(r["run"]["exclude"], serde_json::json!([]));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn exclude_leaves_out_files_and_directories_and_the_report_lists_the_patterns() {
    let d = project("cli");
    let mut args = SCAN.to_vec();
    args.extend([
        "--exclude",
        "examples/**",
        "--exclude",
        "!examples/keep/**",
        "--exclude",
        "test/",
        "--exclude",
        "**/fixtures/**",
        "--exclude",
        "*.bak.tf",
    ]);
    let out = kijun(&args, &d.join("repo"));
    let r = json(&out);
    assert_eq!(
        files(&r),
        set(&[
            ".terraform/modules/vpc/main.tf",
            "examples/keep/main.tf",
            "main.tf",
            "target/prod/main.tf"
        ])
    );
    // Left-out files are not read at all: not counted, not reported.
    assert_eq!(r["summary"]["files"], 4, "{}", r["summary"]);
    assert_eq!(
        r["run"]["exclude"],
        serde_json::json!([
            "examples/**",
            "!examples/keep/**",
            "test/",
            "**/fixtures/**",
            "*.bak.tf"
        ])
    );

    // SARIF carries the effective configuration in the run's properties.
    let mut sarif = args.clone();
    sarif[3] = "sarif";
    let s = json(&kijun(&sarif, &d.join("repo")));
    assert_eq!(
        s["runs"][0]["properties"]["configuration"]["exclude"][0],
        "examples/**"
    );

    // The HTML cover lists the excluded paths a reader sees.
    let mut html = args.clone();
    html[3] = "html";
    let page = String::from_utf8(kijun(&html, &d.join("repo")).stdout).unwrap();
    let row = page
        .find("Excluded paths")
        .expect("the cover has an Excluded paths row");
    let around = &page[row..(row + 600).min(page.len())];
    assert!(
        around.contains("examples/**") && around.contains("*.bak.tf"),
        "{around}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn kijun_toml_scan_exclude_adds_to_the_command_line_and_isolated_ignores_it() {
    let d = project("config");
    std::fs::write(
        d.join("repo/kijun.toml"),
        "[scan]\nexclude = [\"target/\", \"examples\"]\n",
    )
    .unwrap();
    let mut args = SCAN.to_vec();
    args.extend(["--exclude", "test/**"]);
    let r = json(&kijun(&args, &d.join("repo")));
    assert_eq!(
        files(&r),
        set(&[
            ".terraform/modules/vpc/main.tf",
            "main.tf",
            "modules/net/fixtures/bad/main.tf",
            "old.bak.tf"
        ])
    );
    assert_eq!(
        r["run"]["exclude"],
        serde_json::json!(["target/", "examples", "test/**"])
    );

    // --isolated: the tree's kijun.toml does not decide what is scanned.
    args.push("--isolated");
    let r = json(&kijun(&args, &d.join("repo")));
    assert!(files(&r).contains("target/prod/main.tf"));
    assert_eq!(r["run"]["exclude"], serde_json::json!(["test/**"]));

    // An unknown key of [scan] is an error naming the file.
    std::fs::write(d.join("repo/kijun.toml"), "[scan]\nexclud = [\"x\"]\n").unwrap();
    let out = kijun(SCAN, &d.join("repo"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kijun.toml"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn exclusion_never_widens_what_is_read() {
    let d = project("confine");
    // A root that calls a module outside the project root: refused, whatever the patterns.
    std::fs::write(
        d.join("repo/main.tf"),
        format!(
            "{}\nmodule \"outside\" {{\n  source = \"../outside\"\n}}\n",
            bucket("main")
        ),
    )
    .unwrap();
    let mut args = SCAN.to_vec();
    args.extend(["--exclude", "!../**", "--exclude", "examples/**"]);
    let out = kijun(&args, &d.join("repo"));
    let r = json(&out);
    let seen = files(&r);
    assert!(seen.iter().all(|f| !f.contains("outside")), "{seen:?}");
    assert!(
        r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.to_string().contains("outside")),
        "the refused module is an input error: {}",
        r["errors"]
    );

    // An empty pattern is a usage error, not "exclude everything".
    let mut bad = SCAN.to_vec();
    bad.extend(["--exclude", ""]);
    let out = kijun(&bad, &d.join("repo"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--exclude"));
    let _ = std::fs::remove_dir_all(&d);
}
