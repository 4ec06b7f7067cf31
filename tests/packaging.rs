#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The packages users install, exercised the way users install them: the Python wheel (pip into
//! a fresh virtual environment, and pre-commit's `language: python` hook pinned to the wheel)
//! and the npm package of the WASM module (`npm install` of the tarball into an empty Node
//! project, then a check from Node and from a page in headless Chromium).
//!
//! scripts/test.sh builds them into `<target>/packages/` before the tests run (the wheel with
//! maturin from the release build, the tarball with `npm pack`). Without them these tests fail
//! and say so; `KIJUN_SKIP_PACKAGES=1` skips them (say, for a quick `cargo test` by hand).

use crate::common;
use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `<target>/packages`, where scripts/test.sh puts the wheel and the npm tarball.
fn packages() -> Option<PathBuf> {
    if std::env::var("KIJUN_SKIP_PACKAGES").is_ok_and(|v| v == "1") {
        eprintln!("KIJUN_SKIP_PACKAGES=1: the package tests are skipped");
        return None;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::root().join("target"));
    Some(target.join("packages"))
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn artifact(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy();
                    n.starts_with(prefix) && n.ends_with(suffix)
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        found.len(),
        1,
        "expected one {prefix}*{suffix} in {} (scripts/test.sh builds it), found {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed:\n{}", text(&out));
    out
}

/// The rule ids of a JSON report (the version-1 contract), sorted and deduplicated.
fn rule_ids(report: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// What the kijun built for these tests finds in examples/agency-portal.
fn reference_rule_ids() -> Vec<String> {
    let out = Command::new(support::kijun_bin())
        .args(["check", "examples/agency-portal", "--format", "json"])
        .current_dir(support::root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let ids = rule_ids(&serde_json::from_slice(&out.stdout).unwrap());
    assert!(!ids.is_empty());
    ids
}

#[test]
fn wheel_installs_the_kijun_command_into_a_fresh_virtual_environment() {
    let Some(dir) = packages() else { return };
    let wheel = artifact(&dir, &format!("kijun-{VERSION}-"), ".whl");
    let tmp = support::tempdir("wheel");
    let venv = tmp.join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    // Offline, from the wheel alone: nothing else may be needed.
    run(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--no-index"])
        .arg(&wheel));
    let kijun = venv.join("bin/kijun");
    assert!(
        kijun.is_file(),
        "the wheel put no kijun in {}",
        venv.display()
    );
    let version = run(Command::new(&kijun).arg("--version"));
    let shown = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(shown.starts_with(&format!("kijun {VERSION}\n")), "{shown}");
    assert!(shown.contains(kijun::rules::CATALOGUE_VERSION), "{shown}");
    // The README's first command, through the installed wheel: the example violates the rulebook.
    let out = Command::new(&kijun)
        .args(["check", "examples/agency-portal"])
        .current_dir(support::root())
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    for id in reference_rule_ids() {
        assert!(shown.contains(&id), "{id} missing from:\n{shown}");
    }
    let json = Command::new(&kijun)
        .args(["check", "examples/agency-portal", "--format", "json"])
        .current_dir(support::root())
        .output()
        .unwrap();
    assert_eq!(
        rule_ids(&serde_json::from_slice(&json.stdout).unwrap()),
        reference_rule_ids()
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The README's pre-commit configuration for the wheel (`language: python`, the wheel pinned in
/// `additional_dependencies`), as printed there.
fn documented_python_hook() -> String {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let block = readme
        .split("```yaml")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains("language: python"))
        .expect("README documents a `language: python` pre-commit hook");
    assert!(
        block.contains(&format!("kijun=={VERSION}")),
        "the README's hook pins this version:\n{block}"
    );
    block.trim_start_matches('\n').to_string()
}

#[test]
fn pre_commit_python_hook_installs_the_pinned_wheel() {
    let Some(dir) = packages() else { return };
    artifact(&dir, &format!("kijun-{VERSION}-"), ".whl");
    let config = documented_python_hook();
    // pre-commit builds a placeholder package for `repo: local` hooks, with setuptools.
    let links = dir.parent().unwrap().join("pip-links");
    artifact(&links, "setuptools-", ".whl");
    let repo = support::tempdir("precommit-wheel");
    let home = repo.join(".cache-pre-commit");
    support::git(&repo, &["init", "-q"]);
    std::fs::write(repo.join(".pre-commit-config.yaml"), &config).unwrap();
    std::fs::write(repo.join(".gitignore"), ".cache-pre-commit/\n").unwrap();
    std::fs::write(repo.join("main.tf"), support::BAD_TF).unwrap();
    support::git(&repo, &["add", "."]);
    let pre_commit = |args: &[&str]| -> Output {
        Command::new("pre-commit")
            .args(args)
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", &home)
            // pip inside pre-commit's environment sees only the local wheel.
            .env("PIP_NO_INDEX", "1")
            .env(
                "PIP_FIND_LINKS",
                format!("{} {}", dir.display(), links.display()),
            )
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("NO_COLOR", "1")
            .env_remove("LANG")
            .output()
            .unwrap_or_else(|e| {
                panic!("pre-commit is needed for this test ({e}): pip install pre-commit")
            })
    };
    let out = pre_commit(&["run", "--all-files"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("KJ-E1-001"), "{}", text(&out));
    // The environment holds the wheel's binary at the pinned version.
    let installed: Vec<PathBuf> = walk(&home)
        .into_iter()
        .filter(|p| p.ends_with("bin/kijun"))
        .collect();
    assert_eq!(installed.len(), 1, "{installed:?}");
    let v = run(Command::new(&installed[0]).arg("--version"));
    assert!(String::from_utf8_lossy(&v.stdout).starts_with(&format!("kijun {VERSION}\n")));
    // Fixed, the same hook passes.
    std::fs::write(repo.join("main.tf"), support::GOOD_TF).unwrap();
    support::git(&repo, &["add", "."]);
    let out = pre_commit(&["run", "--all-files"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&repo);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The example tree as the documents of a request, paths relative to the tree.
fn example_documents() -> serde_json::Value {
    let root = support::root().join("examples/agency-portal");
    let docs: Vec<serde_json::Value> = walk(&root)
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "path": p.strip_prefix(&root).unwrap().to_string_lossy(),
                "content": std::fs::read_to_string(&p).unwrap(),
            })
        })
        .collect();
    serde_json::Value::Array(docs)
}

const NODE_CHECK: &str = r#"
import { readFile } from "node:fs/promises";
import { check, defaultKijun } from "kijun-wasm";
const documents = JSON.parse(await readFile(process.argv[2], "utf8"));
const report = await check(documents, { lang: "en" });
const kijun = await defaultKijun();
console.log(JSON.stringify({ report, exit: kijun.lastExitCode(), meta: kijun.metadata() }));
"#;

#[test]
fn npm_package_installs_into_an_empty_project_and_checks_in_node_and_chromium() {
    let Some(dir) = packages() else { return };
    let tarball = artifact(&dir, &format!("kijun-wasm-{VERSION}"), ".tgz");
    let listing = run(Command::new("tar").arg("tzf").arg(&tarball));
    let mut files: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "package/README.md",
            "package/dist/kijun.wasm",
            "package/kijun.d.mts",
            "package/kijun.d.ts",
            "package/kijun.mjs",
            "package/package.json",
        ]
    );
    let project = support::tempdir("npm-project");
    std::fs::write(
        project.join("package.json"),
        r#"{"name": "kijun-npm-test", "private": true, "type": "module"}"#,
    )
    .unwrap();
    // Offline: the package has no dependencies, so nothing is fetched.
    run(Command::new("npm")
        .args([
            "install",
            "--offline",
            "--no-audit",
            "--no-fund",
            "--silent",
        ])
        .arg(&tarball)
        .current_dir(&project));
    let installed = project.join("node_modules/kijun-wasm");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(installed.join("package.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["version"], VERSION);
    assert!(installed.join("dist/kijun.wasm").is_file());

    // Node, importing the package by name.
    std::fs::write(project.join("check.mjs"), NODE_CHECK).unwrap();
    std::fs::write(
        project.join("documents.json"),
        example_documents().to_string(),
    )
    .unwrap();
    let out = Command::new("node")
        .args(["check.mjs", "documents.json"])
        .current_dir(&project)
        .output()
        .unwrap_or_else(|e| panic!("node is needed for this test ({e})"));
    assert!(out.status.success(), "{}", text(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["exit"], 1);
    assert_eq!(answer["meta"]["version"], VERSION);
    assert_eq!(rule_ids(&answer["report"]), reference_rule_ids());

    // A page served from the project, importing the package through an import map.
    let Some(browser) = common::chromium("the npm package in a page") else {
        return;
    };
    std::fs::write(project.join("index.html"), PAGE).unwrap();
    let (base, log) = support::serve_dir(&project);
    let dom = project.join("dom.html");
    let profile = project.join("chromium-profile");
    let child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{base}/index.html"))
        .stdout(std::fs::File::create(&dom).unwrap())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium starts");
    common::wait_for_browser(child, "the npm package page");
    let shown = std::fs::read_to_string(&dom).unwrap();
    // The rendered elements, not the script's text (which the dump also holds).
    assert!(
        shown.contains(r#"<p id="status">status: done</p>"#),
        "{shown}"
    );
    assert!(
        shown.contains(r#"<pre id="out">main.tf:4: KJ-E1-001 "#),
        "{shown}"
    );
    assert!(shown.contains("exit code: 1</pre>"), "{shown}");
    let requested = log.lock().unwrap().clone();
    for p in [
        "/index.html",
        "/node_modules/kijun-wasm/kijun.mjs",
        "/node_modules/kijun-wasm/dist/kijun.wasm",
    ] {
        assert!(
            requested.iter().any(|r| r == p),
            "{p} not requested: {requested:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&project);
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kijun-wasm</title>
<script type="importmap">{"imports": {"kijun-wasm": "./node_modules/kijun-wasm/kijun.mjs"}}</script>
</head><body><p id="status">status: loading</p><pre id="out"></pre>
<script type="module">
import { check, defaultKijun } from "kijun-wasm";
const tf = 'resource "aws_ebs_volume" "data" {\n  availability_zone = "ap-northeast-1a"\n  size = 10\n  encrypted = false\n}\n';
try {
  const report = await check([{ path: "main.tf", content: tf }], { lang: "en" });
  const kijun = await defaultKijun();
  document.getElementById("out").textContent =
    report.findings.map((f) => `${f.file}:${f.line}: ${f.rule_id} ${f.message}`).join("\n") +
    `\nexit code: ${kijun.lastExitCode()}`;
  document.getElementById("status").textContent = "status: done";
} catch (e) {
  document.getElementById("status").textContent = `status: error ${e}`;
}
</script></body></html>
"#;

/// `kijun --version` and `kijun version --format json`: what a bug report or a report's reader
/// needs to know about the build.
#[test]
fn version_names_the_tool_the_catalogue_and_the_rulebook() {
    let out = run(Command::new(support::kijun_bin()).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "kijun {VERSION}\ncatalogue {}\nrulebook {}\n",
            kijun::rules::CATALOGUE_VERSION,
            kijun::rules::RULEBOOK
        )
    );
    let out = run(Command::new(support::kijun_bin()).args(["version", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "kijun");
    assert_eq!(v["version"], VERSION);
    assert_eq!(v["catalogue"], kijun::rules::CATALOGUE_VERSION);
    assert_eq!(v["rulebook"], kijun::rules::RULEBOOK);
    assert_eq!(
        v["rules"].as_u64(),
        Some(kijun::rules::catalogue().rules.len() as u64)
    );
}
