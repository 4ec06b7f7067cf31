#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The `kijun` command end to end: exit codes, JSON contract, positions, bad input, languages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kijun(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .current_dir(cwd)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("kijun runs")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (rule, file, line, column) of every finding.
fn locations(v: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn example_findings_are_found_where_they_are_through_every_indirection() {
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--format",
            "json",
            "--lang",
            "en",
        ],
        &repo(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let got = locations(&v);
    let want: Vec<(&str, &str, u64, u64)> = vec![
        // A local.
        ("KJ-L3-001", "examples/agency-portal/logging.tf", 7, 23),
        // A variable default.
        ("KJ-L1-001", "examples/agency-portal/logging.tf", 13, 32),
        // A tfvars file overriding the default.
        ("KJ-E1-001", "examples/agency-portal/main.tf", 8, 23),
        // A provider alias passed into a module: the resource header inside the module.
        (
            "KJ-C1-001",
            "examples/agency-portal/modules/storage/main.tf",
            10,
            1,
        ),
        // A module input.
        (
            "KJ-E1-001",
            "examples/agency-portal/modules/storage/main.tf",
            13,
            23,
        ),
        // A dynamic block fed by a variable default.
        ("KJ-N1-001", "examples/agency-portal/network.tf", 17, 21),
    ];
    for w in &want {
        assert!(
            got.iter()
                .any(|g| (g.0.as_str(), g.1.as_str(), g.2, g.3) == *w),
            "missing {w:?} in {got:#?}"
        );
    }
    // The compliant module call (archive) produces nothing.
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["resource"]
            .as_str()
            .unwrap()
            .starts_with("module.archive")));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "KJ-E1-001" && f["file"] == "examples/agency-portal/main.tf")
        .unwrap();
    assert!(
        f["message"].as_str().unwrap().contains(
            "from var.encrypt_volumes, set at examples/agency-portal/terraform.tfvars:2:19"
        ),
        "{}",
        f["message"]
    );
    assert_eq!(
        f["classification"]["source"], "tag",
        "default_tags carry kijun-confidentiality"
    );
    assert_eq!(f["articles"][0], "133-1-1");
    let sg = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "KJ-N1-001")
        .unwrap();
    assert!(
        sg["message"]
            .as_str()
            .unwrap()
            .contains("from var.ops_ingress, set at examples/agency-portal/variables.tf:24:27"),
        "{}",
        sg["message"]
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["failed"].as_u64().unwrap() as usize, got.len());
}

#[test]
fn compliant_input_exits_zero_and_reports_nothing() {
    let out = kijun(
        &["check", "fixtures/KJ-E1-001/pass.tf", "--format", "json"],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert!(v["findings"].as_array().unwrap().is_empty());
    assert!(v["errors"].as_array().unwrap().is_empty());
}

#[test]
fn a_broken_file_is_an_error_with_position_and_the_scan_goes_on() {
    let d = tempdir("broken");
    std::fs::create_dir_all(d.join("bad")).unwrap();
    std::fs::create_dir_all(d.join("good")).unwrap();
    std::fs::write(
        d.join("bad/main.tf"),
        "resource \"aws_ebs_volume\" \"x\" {\n  size = \n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("good/main.tf"),
        "resource \"aws_ebs_volume\" \"y\" {\n  size = 1\n}\n",
    )
    .unwrap();
    std::fs::write(d.join("good/binary.tf"), b"\x00\x01\x02 not text").unwrap();
    std::fs::write(d.join("good/latin1.tfvars"), b"x = \"caf\xe9\"\n").unwrap();
    let out = kijun(
        &["check", ".", "--format", "json", "--rule", "KJ-E1-001"],
        &d,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let errors = v["errors"].as_array().unwrap();
    let files: Vec<&str> = errors.iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        vec!["bad/main.tf", "good/binary.tf", "good/latin1.tfvars"],
        "{errors:#?}"
    );
    assert_eq!(errors[0]["line"], 2);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("syntax error"));
    assert!(errors[2]["message"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    assert_eq!(errors[2]["column"], 9);
    // The good file was still checked.
    assert_eq!(
        locations(&v),
        vec![("KJ-E1-001".to_string(), "good/main.tf".to_string(), 1, 1)]
    );
    // Text output names the file and position too.
    let text = kijun(&["check", ".", "--lang", "en"], &d);
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(s.contains("bad/main.tf:2:"), "{s}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(
        kijun(&["check", "no/such/path"], &repo()).status.code(),
        Some(2)
    );
    assert_eq!(
        kijun(&["check", ".", "--format", "yaml"], &repo())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kijun(&["check", ".", "--rule", "KJ-XX-999"], &repo())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kijun(&["check", ".", "--classification", "c=4"], &repo())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn messages_follow_the_language() {
    let en = kijun(
        &[
            "check",
            "fixtures/KJ-E1-001/fail.tf",
            "--format",
            "json",
            "--lang",
            "en",
        ],
        &repo(),
    );
    let ja = kijun(
        &[
            "check",
            "fixtures/KJ-E1-001/fail.tf",
            "--format",
            "json",
            "--lang",
            "ja",
        ],
        &repo(),
    );
    assert!(json(&en)["findings"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("EBS volume"));
    assert!(json(&ja)["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("暗号化されていません"));
    let text = kijun(
        &["check", "fixtures/KJ-E1-001/fail.tf", "--lang", "ja"],
        &repo(),
    );
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(s.contains("細則 第133条第1項第1号"), "{s}");
}

#[test]
fn standard_input_is_scanned() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"resource \"aws_ebs_volume\" \"s\" {\n  encrypted = false\n}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["findings"][0]["file"], "stdin.tf");
    assert_eq!(v["findings"][0]["line"], 2);
}

#[test]
fn a_mixed_tree_names_resources_as_their_ecosystems_do() {
    let out = kijun(
        &[
            "check",
            "examples/mixed",
            "--format",
            "json",
            "--lang",
            "en",
            "--now",
            "2026-11-26",
        ],
        &repo(),
    );
    let v = json(&out);
    let got = locations(&v);
    let resources: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        // A CloudFormation logical id, the value reached through a parameter default.
        (
            (
                "KJ-N4-001",
                "examples/mixed/cloudformation/reports.yaml",
                19,
                27,
            ),
            "ReportDb",
        ),
        // Kubernetes: Kind/namespace/name, pointing at the offending value.
        (
            (
                "KJ-N7-103",
                "examples/mixed/kubernetes/payments.yaml",
                22,
                20,
            ),
            "Deployment/payments/ledger",
        ),
        // ARM: the name resolved from its parameter default.
        (
            ("KJ-E3-002", "examples/mixed/arm/storage.json", 19, 30),
            "Microsoft.Storage/storageAccounts/pareports001",
        ),
        // Terraform plan JSON: addresses as Terraform prints them.
        (
            ("KJ-E1-001", "examples/mixed/plan/plan.json", 43, 30),
            "module.reports.aws_ebs_volume.this",
        ),
        // Terraform source.
        (
            ("KJ-N4-001", "examples/mixed/terraform/main.tf", 10, 25),
            "aws_db_instance.reports",
        ),
    ];
    for ((rule, file, line, col), resource) in want {
        assert!(
            got.iter()
                .any(|g| (g.0.as_str(), g.1.as_str(), g.2, g.3) == (rule, file, line, col)),
            "missing {rule} at {file}:{line}:{col} in {got:#?}"
        );
        assert!(
            resources.contains(&(rule.to_string(), resource.to_string())),
            "{rule} on {resource}: {resources:?}"
        );
    }
    assert!(v["errors"].as_array().unwrap().is_empty());
}

/// `LANG` chooses the language when `--lang` is not given: Japanese when it starts with "ja",
/// English otherwise (unset included); `--lang` wins over it.
#[test]
fn the_language_comes_from_lang_unless_given() {
    let run = |lang_env: Option<&str>, flag: Option<&str>| -> String {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
        cmd.args(["check", "fixtures/KJ-E1-001/fail.tf", "--format", "json"])
            .current_dir(repo())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("NO_COLOR", "1");
        if let Some(l) = lang_env {
            cmd.env("LANG", l);
        }
        if let Some(f) = flag {
            cmd.args(["--lang", f]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        json(&out)["findings"][0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let ja = |m: &str| m.contains("暗号化されていません");
    let en = |m: &str| m.starts_with("EBS volume");
    for (env, want_ja) in [
        (Some("ja_JP.UTF-8"), true),
        (Some("ja"), true),
        (Some("en_US.UTF-8"), false),
        (Some("C.UTF-8"), false),
        (None, false),
    ] {
        let m = run(env, None);
        assert!(if want_ja { ja(&m) } else { en(&m) }, "LANG={env:?}: {m}");
    }
    assert!(en(&run(Some("ja_JP.UTF-8"), Some("en"))));
    assert!(ja(&run(Some("en_US.UTF-8"), Some("ja"))));
}

/// The example project's findings, with extra flags, as JSON.
fn example_findings(extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec![
        "check",
        "examples/agency-portal",
        "--format",
        "json",
        "--lang",
        "en",
        "--now",
        "2026-11-26",
    ];
    args.extend_from_slice(extra);
    let out = kijun(&args, &repo());
    json(&out)["findings"].as_array().unwrap().clone()
}

/// `--article 133` keeps exactly the findings citing 第133条 (any paragraph or item).
#[test]
fn article_selects_the_findings_citing_it() {
    let all = example_findings(&[]);
    let cites = |f: &serde_json::Value, n: &str| {
        f["articles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == n || a.as_str().unwrap().starts_with(&format!("{n}-")))
    };
    let want: Vec<serde_json::Value> = all.iter().filter(|f| cites(f, "133")).cloned().collect();
    assert!(
        !want.is_empty() && want.len() < all.len(),
        "the example must have findings citing 第133条 and others"
    );
    assert_eq!(example_findings(&["--article", "133"]), want);
    // 第13条 is not 第133条.
    assert!(example_findings(&["--article", "13"])
        .iter()
        .all(|f| cites(f, "13")));
}

/// `--severity-threshold` drops the findings below it, and only those.
#[test]
fn severity_threshold_drops_findings_below_it() {
    let all = example_findings(&[]);
    let rank = |s: &str| {
        ["info", "low", "medium", "high"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    let severities: std::collections::BTreeSet<usize> = all
        .iter()
        .map(|f| rank(f["severity"].as_str().unwrap()))
        .collect();
    assert!(
        severities.len() >= 2,
        "the example has findings of several severities"
    );
    for threshold in ["low", "medium", "high"] {
        let want: Vec<serde_json::Value> = all
            .iter()
            .filter(|f| rank(f["severity"].as_str().unwrap()) >= rank(threshold))
            .cloned()
            .collect();
        assert_eq!(
            example_findings(&["--severity-threshold", threshold]),
            want,
            "--severity-threshold {threshold}"
        );
    }
    let out = kijun(
        &[
            "check",
            "examples/agency-portal",
            "--severity-threshold",
            "urgent",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(2));
}

/// `--var` and `--var-file` set Terraform variables through the command line, over the
/// defaults and terraform.tfvars, as Terraform does.
#[test]
fn variables_from_the_command_line() {
    let d = tempdir("vars");
    std::fs::write(
        d.join("main.tf"),
        r#"variable "encrypted" {
  type    = bool
  default = false
}

resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = var.encrypted
}
"#,
    )
    .unwrap();
    std::fs::write(d.join("on.tfvars"), "encrypted = true\n").unwrap();
    std::fs::write(d.join("off.tfvars"), "encrypted = false\n").unwrap();
    let e1 = |args: &[&str]| -> Vec<(String, u64)> {
        let mut all = vec!["check", ".", "--format", "json", "--lang", "en"];
        all.extend_from_slice(args);
        let out = kijun(&all, &d);
        let v = json(&out);
        assert_eq!(v["errors"], serde_json::json!([]), "{args:?}: {v:#}");
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "KJ-E1-001")
            .map(|f| {
                (
                    f["resource"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let failing = vec![("aws_ebs_volume.data".to_string(), 9)];
    // The default (false) fails; each way of setting it to true passes.
    assert_eq!(e1(&[]), failing);
    assert_eq!(e1(&["--var", "encrypted=true"]), vec![]);
    assert_eq!(e1(&["--var-file", "on.tfvars"]), vec![]);
    // terraform.tfvars is read, and the command line overrides it.
    std::fs::write(d.join("terraform.tfvars"), "encrypted = true\n").unwrap();
    assert_eq!(e1(&[]), vec![]);
    assert_eq!(e1(&["--var", "encrypted=false"]), failing);
    assert_eq!(e1(&["--var-file", "off.tfvars"]), failing);
    // --var wins over --var-file.
    assert_eq!(
        e1(&["--var-file", "off.tfvars", "--var", "encrypted=true"]),
        vec![]
    );
    // Bad forms are usage errors naming what is wrong.
    let out = kijun(&["check", ".", "--var", "encrypted"], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--var needs name=value"));
    let out = kijun(&["check", ".", "--var-file", "missing.tfvars"], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.tfvars"));
    let _ = std::fs::remove_dir_all(&d);
}
