#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The GitHub Action (`action.yml`) and the GitLab CI template (`ci/gitlab-kijun.yml`),
//! exercised locally.
//!
//! The Action's `run:` steps are executed with bash the way the runner does (`bash --noprofile
//! --norc -eo pipefail`), with `${{ … }}` expressions substituted, `if:` conditions evaluated, and
//! GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_PATH pointing at temporary files.
//! The install step is skipped through the `kijun-bin` input (the binary cargo built for this
//! test run), and the `uses:` upload step is recorded, not run. The GitLab job's script line is
//! run with the same binary and must produce the artifacts the template publishes.

use crate::support;

use kijun::model::Node;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{get, string, tempdir, yaml, BAD_TF, GOOD_TF};

/// The values `${{ … }}` can refer to in this action.
struct Scope {
    inputs: BTreeMap<String, String>,
    steps: BTreeMap<String, BTreeMap<String, String>>,
    action_path: String,
    action_repository: String,
    failed: bool,
}

impl Scope {
    fn lookup(&self, expr: &str) -> String {
        let e = expr.trim();
        if let Some(name) = e.strip_prefix("inputs.") {
            return self
                .inputs
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("${{{{ {e} }}}}: no input {name} in action.yml"));
        }
        if e == "github.action_path" {
            return self.action_path.clone();
        }
        if e == "github.action_repository" {
            return self.action_repository.clone();
        }
        if let Some(rest) = e.strip_prefix("steps.") {
            let (id, out) = rest
                .split_once(".outputs.")
                .expect("steps.<id>.outputs.<name>");
            return self
                .steps
                .get(id)
                .and_then(|o| o.get(out))
                .cloned()
                .unwrap_or_default();
        }
        panic!("expression not understood by the test runner: {e}");
    }

    /// Substitutes every `${{ expr }}`.
    fn expand(&self, s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("${{") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 3..];
            let j = after.find("}}").expect("closing }}");
            out.push_str(&self.lookup(&after[..j]));
            rest = &after[j + 2..];
        }
        out.push_str(rest);
        out
    }

    /// `if:` conditions of the subset the action uses: terms joined by `&&`, each `always()`,
    /// `success()`, `failure()` or `<expr> == '<literal>'` / `!=`.
    fn condition(&self, cond: &str) -> bool {
        let mut status_checked = false;
        let mut ok = true;
        for term in cond.split("&&").map(str::trim) {
            match term {
                "always()" => status_checked = true,
                "success()" => {
                    status_checked = true;
                    ok &= !self.failed;
                }
                "failure()" => {
                    status_checked = true;
                    ok &= self.failed;
                }
                _ => {
                    let (lhs, rhs, eq) = if let Some((l, r)) = term.split_once("==") {
                        (l, r, true)
                    } else if let Some((l, r)) = term.split_once("!=") {
                        (l, r, false)
                    } else {
                        panic!("condition not understood by the test runner: {term}");
                    };
                    let lit = rhs.trim().trim_matches('\'');
                    let val = self.lookup(lhs);
                    ok &= (val == lit) == eq;
                }
            }
        }
        // Without a status function GitHub adds success().
        if !status_checked {
            ok &= !self.failed;
        }
        ok
    }
}

#[derive(Debug)]
struct StepRun {
    name: String,
    /// "ran", "skipped" (condition false) or "uses" (not executable here).
    state: &'static str,
    code: Option<i32>,
    stdout: String,
}

struct ActionRun {
    steps: Vec<StepRun>,
    outputs: BTreeMap<String, String>,
    failed: bool,
    summary: String,
}

/// Runs action.yml's steps in `workspace` with `given` inputs (defaults from action.yml).
fn run_action(workspace: &Path, given: &[(&str, &str)]) -> ActionRun {
    run_action_env(workspace, given, &[])
}

/// As [`run_action`], with extra environment variables for every step (GITHUB_SERVER_URL, …).
/// The action is taken to come from the repository `kijun-org/kijun`.
fn run_action_env(workspace: &Path, given: &[(&str, &str)], env: &[(&str, &str)]) -> ActionRun {
    let action = yaml("action.yml");
    let mut inputs = BTreeMap::new();
    for (name, spec) in get(&action, "inputs").unwrap().as_object().unwrap() {
        inputs.insert(
            name.to_string(),
            string(spec, "default").unwrap_or_default(),
        );
    }
    for (k, v) in given {
        assert!(inputs.contains_key(*k), "action.yml has no input {k}");
        inputs.insert(k.to_string(), v.to_string());
    }
    let mut scope = Scope {
        inputs,
        steps: BTreeMap::new(),
        action_path: support::root().to_string_lossy().into_owned(),
        action_repository: "kijun-org/kijun".into(),
        failed: false,
    };
    let tmp = workspace.join(".runner");
    std::fs::create_dir_all(&tmp).unwrap();
    let summary = tmp.join("step_summary.md");
    std::fs::write(&summary, "").unwrap();
    let runs = get(&action, "runs").unwrap();
    assert_eq!(string(runs, "using").as_deref(), Some("composite"));
    let mut report = Vec::new();
    for (i, step) in get(runs, "steps")
        .unwrap()
        .as_list()
        .unwrap()
        .iter()
        .enumerate()
    {
        let name = string(step, "name").unwrap_or_else(|| format!("step {i}"));
        let cond = string(step, "if").unwrap_or_else(|| "success()".into());
        if !scope.condition(&cond) {
            report.push(StepRun {
                name,
                state: "skipped",
                code: None,
                stdout: String::new(),
            });
            continue;
        }
        if let Some(uses) = string(step, "uses") {
            // Checked, not run: the runner would fetch and run this action.
            let with = get(step, "with").expect("uses: with inputs");
            for v in with.as_object().unwrap().values() {
                if let Some(s) = v.as_str() {
                    let _ = scope.expand(s);
                }
            }
            report.push(StepRun {
                name: format!("{name} ({uses})"),
                state: "uses",
                code: None,
                stdout: scope.expand(&string(with, "sarif_file").unwrap_or_default()),
            });
            continue;
        }
        let script = scope.expand(&string(step, "run").expect("run: or uses:"));
        assert_eq!(
            string(step, "shell").as_deref(),
            Some("bash"),
            "{name}: composite run steps need shell: bash"
        );
        let script_path = tmp.join(format!("step{i}.sh"));
        std::fs::write(&script_path, &script).unwrap();
        let output_file = tmp.join(format!("output{i}"));
        std::fs::write(&output_file, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_path)
            .current_dir(workspace)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_ENV", tmp.join("env"))
            .env("GITHUB_PATH", tmp.join("path"))
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", &scope.action_path)
            .env("RUNNER_TEMP", &tmp)
            .env("NO_COLOR", "1")
            .env_remove("LANG")
            .env_remove("GITHUB_REPOSITORY")
            .envs(env.iter().copied());
        if let Some(env) = get(step, "env").and_then(Node::as_object) {
            for (k, v) in env {
                let raw = v.as_str().map(str::to_string).unwrap_or_default();
                cmd.env(k.as_ref(), scope.expand(&raw));
            }
        }
        let out = cmd.output().expect("bash runs");
        let code = out.status.code();
        let mut outputs = BTreeMap::new();
        for line in std::fs::read_to_string(&output_file).unwrap().lines() {
            if let Some((k, v)) = line.split_once('=') {
                outputs.insert(k.to_string(), v.to_string());
            }
        }
        if let Some(id) = string(step, "id") {
            scope.steps.insert(id, outputs);
        }
        if code != Some(0) {
            scope.failed = true;
        }
        report.push(StepRun {
            name,
            state: "ran",
            code,
            stdout: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    let mut outputs = BTreeMap::new();
    for (name, spec) in get(&action, "outputs").unwrap().as_object().unwrap() {
        outputs.insert(
            name.to_string(),
            scope.expand(&string(spec, "value").unwrap()),
        );
    }
    ActionRun {
        steps: report,
        outputs,
        failed: scope.failed,
        summary: std::fs::read_to_string(&summary).unwrap(),
    }
}

fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = tempdir(&format!("action-{name}"));
    for (f, text) in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn bin() -> String {
    support::kijun_bin().to_string_lossy().into_owned()
}

fn step<'a>(r: &'a ActionRun, prefix: &str) -> &'a StepRun {
    r.steps
        .iter()
        .find(|s| s.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no step {prefix}: {:?}", r.steps))
}

#[test]
fn action_declares_its_inputs_and_outputs() {
    let action = yaml("action.yml");
    assert!(string(&action, "name").unwrap().contains("kijun"));
    assert!(string(&action, "description").is_some());
    let inputs = get(&action, "inputs").unwrap().as_object().unwrap();
    for name in [
        "paths",
        "format",
        "sarif-file",
        "handover-report",
        "args",
        "kijun-bin",
        "kijun-version",
        "kijun-sha256",
        "upload-sarif",
        "fail-on-findings",
    ] {
        let i = inputs
            .get(name)
            .unwrap_or_else(|| panic!("input {name} is missing"));
        assert!(
            string(i, "description").is_some(),
            "input {name}: no description"
        );
        assert!(get(i, "default").is_some(), "input {name}: no default");
    }
    let outputs = get(&action, "outputs").unwrap().as_object().unwrap();
    for name in ["sarif-file", "exit-code"] {
        let o = outputs.get(name).unwrap();
        assert!(string(o, "value").unwrap().contains("steps.check.outputs."));
        assert!(string(o, "description").is_some());
    }
    // The upload uses GitHub's own action, and the install builds the action's checkout.
    let text = std::fs::read_to_string(support::root().join("action.yml")).unwrap();
    assert!(text.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(text.contains("install-kijun.sh\" --version source --source \"$ACTION_PATH\""));
    let installer = std::fs::read_to_string(support::root().join("ci/install-kijun.sh")).unwrap();
    assert!(installer.contains("cargo install --locked --path \"$source\""));
    assert!(text.contains("${{ github.action_path }}"));
    // Inputs reach scripts through env, never spliced into the script text (script injection).
    let runs = get(&action, "runs").unwrap();
    for s in get(runs, "steps").unwrap().as_list().unwrap() {
        if let Some(run) = string(s, "run") {
            assert!(
                !run.contains("${{"),
                "{:?}: pass inputs through env:",
                string(s, "name")
            );
        }
    }
}

#[test]
fn action_writes_sarif_annotations_and_summary_and_fails_on_findings() {
    let ws = workspace("bad", &[("infra/main.tf", BAD_TF), ("README.md", "x\n")]);
    let r = run_action(
        &ws,
        &[
            ("kijun-bin", &bin()),
            ("paths", "infra"),
            ("handover-report", "kijun-report.html"),
        ],
    );
    assert_eq!(step(&r, "Install kijun").state, "skipped");
    let check = step(&r, "Run kijun");
    assert_eq!(check.state, "ran");
    assert_eq!(check.code, Some(0), "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("::error file=infra/main.tf,line=8,col=23"),
        "annotations on the log:\n{}",
        check.stdout
    );
    assert_eq!(r.outputs["exit-code"], "1");
    assert_eq!(r.outputs["sarif-file"], "kijun.sarif");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.join("kijun.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "KJ-E1-001");
    assert!(ws.join("kijun-report.html").is_file());
    assert!(
        r.summary.starts_with("<!-- kijun-report -->"),
        "{}",
        r.summary
    );
    let upload = step(&r, "Upload SARIF");
    assert_eq!(upload.state, "uses");
    assert_eq!(upload.stdout, "kijun.sarif");
    let verdict = step(&r, "Apply the exit-code policy");
    assert_eq!(verdict.code, Some(1), "{}", verdict.stdout);
    assert!(r.failed);
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn action_reports_without_failing_when_asked() {
    let ws = workspace("report-only", &[("main.tf", BAD_TF)]);
    let r = run_action(
        &ws,
        &[
            ("kijun-bin", &bin()),
            ("fail-on-findings", "false"),
            ("upload-sarif", "false"),
            ("format", "text"),
        ],
    );
    assert_eq!(r.outputs["exit-code"], "1");
    assert_eq!(step(&r, "Upload SARIF").state, "skipped");
    assert!(!r.failed, "{:?}", r.steps);
    assert!(step(&r, "Run kijun").stdout.contains("KJ-E1-001"));
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn action_passes_a_clean_tree() {
    let ws = workspace("clean", &[("main.tf", GOOD_TF)]);
    let r = run_action(&ws, &[("kijun-bin", &bin())]);
    assert_eq!(r.outputs["exit-code"], "0");
    assert!(!r.failed, "{:?}", r.steps);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.join("kijun.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn action_always_fails_on_usage_errors() {
    let ws = workspace("usage", &[("main.tf", GOOD_TF)]);
    let r = run_action(
        &ws,
        &[
            ("kijun-bin", &bin()),
            ("fail-on-findings", "false"),
            ("args", "--severity-threshold bogus"),
        ],
    );
    assert_eq!(r.outputs["exit-code"], "2");
    // No SARIF was written, so nothing is uploaded.
    assert_eq!(step(&r, "Upload SARIF").state, "skipped");
    let verdict = step(&r, "Apply the exit-code policy");
    assert_eq!(verdict.code, Some(2), "{}", verdict.stdout);
    assert!(r.failed);
    // An unknown format input is a usage error too.
    let r = run_action(&ws, &[("kijun-bin", &bin()), ("format", "xml")]);
    assert_eq!(r.outputs["exit-code"], "2");
    assert!(r.failed);
    let _ = std::fs::remove_dir_all(&ws);
}

#[test]
fn gitlab_template_script_produces_its_artifacts() {
    let doc = yaml("ci/gitlab-kijun.yml");
    let job = get(&doc, ".kijun").expect("the hidden job .kijun");
    let script = get(job, "script").unwrap().as_list().unwrap();
    let line = script
        .iter()
        .filter_map(|n| n.as_str())
        .find(|l| l.starts_with("kijun check"))
        .expect("a `kijun check` line");
    let vars = get(job, "variables").unwrap();
    let expanded = line
        .replace("$KIJUN_PATHS", &string(vars, "KIJUN_PATHS").unwrap())
        .replace("$KIJUN_ARGS", &string(vars, "KIJUN_ARGS").unwrap());
    let args: Vec<&str> = expanded.split_whitespace().skip(1).collect();
    let ws = workspace("gitlab", &[("main.tf", BAD_TF)]);
    let out = Command::new(support::kijun_bin())
        .args(&args)
        .current_dir(&ws)
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("KJ-E1-001"));
    let artifacts = get(job, "artifacts").unwrap();
    let reports = get(artifacts, "reports").unwrap();
    let cq = string(reports, "codequality").unwrap();
    let junit = string(reports, "junit").unwrap();
    let issues: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.join(&cq)).unwrap()).unwrap();
    assert_eq!(issues[0]["check_name"], "KJ-E1-001");
    assert!(std::fs::read_to_string(ws.join(&junit))
        .unwrap()
        .contains("<testsuites"));
    for p in get(artifacts, "paths").unwrap().as_list().unwrap() {
        let p = p.as_str().unwrap();
        assert!(ws.join(p).is_file(), "artifact {p} was not written");
    }
    assert_eq!(string(artifacts, "when").as_deref(), Some("always"));
    let _ = std::fs::remove_dir_all(&ws);
}

/// The release target name `ci/install-kijun.sh` picks on this machine.
fn host_release_target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        other => panic!("no release target for {other:?}"),
    }
}

/// Lays out release assets in `dir` the way the release workflow publishes them: the archive
/// of a kijun binary (the one built for these tests, under this machine's release target name)
/// and its `.sha256` file (both by scripts/dist.sh), and ci/install-kijun.sh. With `tampered`,
/// the archive is then replaced by one holding a fake `kijun` that answers `--version`
/// correctly, while the checksum file stays the release's.
fn release_assets(dir: &Path, tampered: bool) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let dist = |bin: &Path, out: &Path| -> PathBuf {
        let o = Command::new("bash")
            .arg(support::root().join("scripts/dist.sh"))
            .args([
                std::ffi::OsStr::new(host_release_target()),
                bin.as_os_str(),
                out.as_os_str(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        PathBuf::from(String::from_utf8_lossy(&o.stdout).trim())
    };
    let archive = dist(&support::kijun_bin(), dir);
    assert!(archive.is_file());
    let name = archive.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        name,
        format!(
            "kijun-{}-{}.tar.gz",
            env!("CARGO_PKG_VERSION"),
            host_release_target()
        )
    );
    let sums = std::fs::read_to_string(dir.join(format!("{name}.sha256"))).unwrap();
    assert!(sums.ends_with(&format!("  {name}\n")), "{sums}");
    if tampered {
        let fake_dir = dir.join("fake");
        std::fs::create_dir_all(&fake_dir).unwrap();
        let fake = fake_dir.join("kijun");
        std::fs::write(
            &fake,
            format!("#!/bin/sh\necho 'kijun {}'\n", env!("CARGO_PKG_VERSION")),
        )
        .unwrap();
        let forged = dist(&fake, &fake_dir.join("out"));
        std::fs::copy(forged, &archive).unwrap();
        std::fs::remove_dir_all(&fake_dir).unwrap();
    }
    std::fs::copy(
        support::root().join("ci/install-kijun.sh"),
        dir.join("install-kijun.sh"),
    )
    .unwrap();
    name
}

#[test]
fn action_downloads_the_release_binary_and_verifies_its_checksum() {
    let server = tempdir("action-release-server");
    let version = env!("CARGO_PKG_VERSION");
    let archive = release_assets(
        &server.join(format!("kijun-org/kijun/releases/download/v{version}")),
        false,
    );
    let (base, log) = support::serve_dir(&server);
    let ws = workspace("release", &[("main.tf", BAD_TF)]);
    let r = run_action_env(
        &ws,
        &[("upload-sarif", "false"), ("fail-on-findings", "false")],
        &[("GITHUB_SERVER_URL", &base)],
    );
    let install = step(&r, "Install kijun");
    assert_eq!(install.code, Some(0), "{}", install.stdout);
    assert!(
        install.stdout.contains(&format!("{archive}: SHA-256 ")),
        "{}",
        install.stdout
    );
    assert!(install.stdout.contains(&format!("kijun {version}\n")));
    // The binary the action installed is the one that ran, and it found the violation.
    assert_eq!(r.outputs["exit-code"], "1", "{:?}", r.steps);
    let sarif = std::fs::read_to_string(ws.join("kijun.sarif")).unwrap();
    assert!(sarif.contains("KJ-E1-001"));
    let requested = log.lock().unwrap().clone();
    assert_eq!(
        requested,
        [
            format!("/kijun-org/kijun/releases/download/v{version}/{archive}"),
            format!("/kijun-org/kijun/releases/download/v{version}/{archive}.sha256"),
        ]
    );
    let _ = std::fs::remove_dir_all(&ws);
    let _ = std::fs::remove_dir_all(&server);
}

#[test]
fn action_refuses_a_release_archive_that_does_not_match_its_checksum() {
    let server = tempdir("action-tampered-server");
    let version = env!("CARGO_PKG_VERSION");
    let archive = release_assets(
        &server.join(format!("kijun-org/kijun/releases/download/v{version}")),
        true,
    );
    let (base, _) = support::serve_dir(&server);
    let ws = workspace("tampered", &[("main.tf", BAD_TF)]);
    let r = run_action_env(
        &ws,
        &[("upload-sarif", "false")],
        &[("GITHUB_SERVER_URL", &base)],
    );
    let install = step(&r, "Install kijun");
    assert_ne!(install.code, Some(0), "{}", install.stdout);
    assert!(
        install
            .stdout
            .contains(&format!("checksum mismatch for {archive}")),
        "{}",
        install.stdout
    );
    assert!(install.stdout.contains("refusing to install"));
    assert!(!ws.join(".runner/kijun/bin/kijun").exists());
    assert!(r.failed);
    assert_eq!(step(&r, "Run kijun").state, "skipped");
    let _ = std::fs::remove_dir_all(&ws);
    let _ = std::fs::remove_dir_all(&server);
}

#[test]
fn action_pins_the_release_archive_when_asked() {
    let server = tempdir("action-pinned-server");
    let version = env!("CARGO_PKG_VERSION");
    release_assets(
        &server.join(format!("kijun-org/kijun/releases/download/v{version}")),
        false,
    );
    let (base, _) = support::serve_dir(&server);
    let ws = workspace("pinned", &[("main.tf", GOOD_TF)]);
    let wrong = "0".repeat(64);
    let r = run_action_env(
        &ws,
        &[("upload-sarif", "false"), ("kijun-sha256", &wrong)],
        &[("GITHUB_SERVER_URL", &base)],
    );
    let install = step(&r, "Install kijun");
    assert_ne!(install.code, Some(0), "{}", install.stdout);
    assert!(
        install.stdout.contains(&format!("pinned {wrong}")),
        "{}",
        install.stdout
    );
    let _ = std::fs::remove_dir_all(&ws);
    let _ = std::fs::remove_dir_all(&server);
}

/// Runs the GitLab job's before_script as the runner would (bash, -e), with the template's
/// variables, the given overrides and CI_SERVER_URL pointing at `server_url`.
fn gitlab_before_script(ws: &Path, server_url: &str, overrides: &[(&str, &str)]) -> (bool, String) {
    let doc = yaml("ci/gitlab-kijun.yml");
    let job = get(&doc, ".kijun").unwrap();
    let lines: Vec<String> = get(job, "before_script")
        .unwrap()
        .as_list()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
        .arg(lines.join("\n"))
        .current_dir(ws)
        .env("CI_SERVER_URL", server_url)
        .env("CI_PROJECT_DIR", ws)
        .env("TMPDIR", ws)
        // No kijun from this machine: the job must install its own.
        .env("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (k, v) in get(job, "variables").unwrap().as_object().unwrap() {
        cmd.env(k.as_ref(), v.as_str().unwrap_or_default());
    }
    cmd.envs(overrides.iter().copied());
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn gitlab_template_downloads_the_release_binary_and_verifies_its_checksum() {
    let text = std::fs::read_to_string(support::root().join("ci/gitlab-kijun.yml")).unwrap();
    assert!(!text.contains("example.invalid"), "placeholder URL left");
    let doc = yaml("ci/gitlab-kijun.yml");
    let vars = get(get(&doc, ".kijun").unwrap(), "variables").unwrap();
    assert_eq!(
        string(vars, "KIJUN_VERSION").as_deref(),
        Some(env!("CARGO_PKG_VERSION")),
        "the template installs its own version"
    );
    let server = tempdir("gitlab-release-server");
    let version = env!("CARGO_PKG_VERSION");
    let dir = format!("group/kijun/-/releases/v{version}/downloads");
    let archive = release_assets(&server.join(&dir), false);
    let (base, log) = support::serve_dir(&server);
    let ws = workspace("gitlab-release", &[("main.tf", BAD_TF)]);
    let (ok, out) = gitlab_before_script(&ws, &base, &[("KIJUN_PROJECT_PATH", "group/kijun")]);
    assert!(ok, "{out}");
    assert!(out.contains(&format!("{archive}: SHA-256 ")), "{out}");
    assert!(out.contains(&format!("kijun {version}\n")), "{out}");
    assert!(ws.join(".kijun/bin/kijun").is_file());
    assert_eq!(
        log.lock().unwrap().clone(),
        [
            format!("/{dir}/install-kijun.sh"),
            format!("/{dir}/{archive}"),
            format!("/{dir}/{archive}.sha256"),
        ]
    );
    // A second run finds the cached binary and downloads nothing.
    let (ok, out) = gitlab_before_script(&ws, &base, &[("KIJUN_PROJECT_PATH", "group/kijun")]);
    assert!(ok, "{out}");
    assert_eq!(log.lock().unwrap().len(), 3);
    // Without the project's path the job says what to set.
    let fresh = workspace("gitlab-unset", &[]);
    let (ok, out) = gitlab_before_script(&fresh, &base, &[]);
    assert!(!ok);
    assert!(out.contains("set KIJUN_PROJECT_PATH"), "{out}");
    for d in [ws, fresh, server] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn gitlab_template_refuses_a_release_archive_that_does_not_match_its_checksum() {
    let server = tempdir("gitlab-tampered-server");
    let version = env!("CARGO_PKG_VERSION");
    let dir = format!("group/kijun/-/releases/v{version}/downloads");
    let archive = release_assets(&server.join(&dir), true);
    let (base, _) = support::serve_dir(&server);
    let ws = workspace("gitlab-tampered", &[]);
    let (ok, out) = gitlab_before_script(&ws, &base, &[("KIJUN_PROJECT_PATH", "group/kijun")]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("checksum mismatch for {archive}")),
        "{out}"
    );
    assert!(!ws.join(".kijun/bin/kijun").exists());
    let _ = std::fs::remove_dir_all(&ws);
    let _ = std::fs::remove_dir_all(&server);
}

#[test]
fn every_install_path_is_locked() {
    // `cargo install` without --locked resolves the newest dependencies of the day, not the
    // ones kijun was tested with.
    for file in [
        "README.md",
        "action.yml",
        "ci/gitlab-kijun.yml",
        "ci/install-kijun.sh",
        ".pre-commit-hooks.yaml",
        "python/README.md",
    ] {
        let text = std::fs::read_to_string(support::root().join(file)).unwrap();
        for (at, _) in text.match_indices("cargo install") {
            // A command, not prose such as "builds it with `cargo install`".
            let rest = &text[at + "cargo install".len()..];
            let command = rest.lines().next().unwrap_or_default();
            if command.starts_with(' ') && !command.trim().is_empty() {
                assert!(
                    command.contains("--locked"),
                    "{file}: `cargo install` without --locked: cargo install{command}"
                );
            }
        }
    }
}
