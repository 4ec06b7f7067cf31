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

mod support;

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
            .env_remove("GITHUB_REPOSITORY");
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
    assert!(text.contains("cargo install --locked --path \"$ACTION_PATH\""));
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
