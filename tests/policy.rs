#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Classification (別表1) and exceptions (例外措置, 第19・26・27条) end to end through the CLI:
//! kijun.toml, tags, the exception ledger, inline references, baselines.

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

fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-policy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    for (p, t) in files {
        let f = d.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    }
    d
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

fn rules_of(v: &serde_json::Value, status: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == status)
        .map(|f| {
            format!(
                "{} {}",
                f["rule_id"].as_str().unwrap(),
                f["resource"].as_str().unwrap()
            )
        })
        .collect()
}

const VOLUMES: &str = r#"resource "aws_ebs_volume" "scratch" {
  availability_zone = "ap-northeast-1a"
  size              = 10
}

resource "aws_ebs_volume" "ledger" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  tags = {
    kijun-confidentiality = "2"
  }
}
"#;

#[test]
fn project_classification_one_silences_encryption_and_a_tag_overrides_it_for_one_resource() {
    let d = project(
        "c1",
        &[
            ("kijun.toml", "[classification]\nconfidentiality = 1\n"),
            ("main.tf", VOLUMES),
        ],
    );
    let out = kijun(
        &["check", ".", "--format", "json", "--rule", "KJ-E1-001"],
        &d,
    );
    let v = json(&out);
    assert_eq!(
        rules_of(&v, "failed"),
        vec!["KJ-E1-001 aws_ebs_volume.ledger"]
    );
    let f = &v["findings"][0];
    assert_eq!(f["classification"]["confidentiality"], 2);
    assert_eq!(f["classification"]["source"], "tag");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn classification_rules_by_path_and_the_most_specific_wins() {
    let d = project(
        "rules",
        &[
            (
                "kijun.toml",
                "[[classification.rules]]\npaths = [\"envs/dev/**\"]\nconfidentiality = 1\n\n[[classification.rules]]\nresources = [\"aws_ebs_volume.ledger\"]\nconfidentiality = 3\n",
            ),
            ("envs/dev/main.tf", "resource \"aws_ebs_volume\" \"scratch\" {\n  size = 1\n}\nresource \"aws_ebs_volume\" \"ledger\" {\n  size = 1\n}\n"),
            ("envs/prod/main.tf", "resource \"aws_ebs_volume\" \"scratch\" {\n  size = 1\n}\n"),
        ],
    );
    let v = json(&kijun(
        &["check", ".", "--format", "json", "--rule", "KJ-E1-001"],
        &d,
    ));
    let got: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                format!(
                    "{}:{}",
                    f["file"].as_str().unwrap(),
                    f["resource"].as_str().unwrap()
                ),
                f["classification"]["confidentiality"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("envs/dev/main.tf:aws_ebs_volume.ledger".to_string(), 3),
            ("envs/prod/main.tf:aws_ebs_volume.scratch".to_string(), 2)
        ]
    );
    assert_eq!(v["findings"][0]["severity"], "high");
    assert_eq!(v["findings"][0]["classification"]["source"], "config");
}

#[test]
fn confidentiality_three_demands_a_customer_managed_key() {
    let table = |c: &str| {
        format!(
            "resource \"aws_dynamodb_table\" \"t\" {{\n  name = \"t\"\n  billing_mode = \"PAY_PER_REQUEST\"\n  hash_key = \"id\"\n  attribute {{\n    name = \"id\"\n    type = \"S\"\n  }}\n  tags = {{\n    kijun-confidentiality = \"{c}\"\n  }}\n}}\n"
        )
    };
    let d3 = project("cmk3", &[("main.tf", &table("3"))]);
    let d2 = project("cmk2", &[("main.tf", &table("2"))]);
    let v3 = json(&kijun(
        &["check", ".", "--format", "json", "--rule", "KJ-E1-007"],
        &d3,
    ));
    let v2 = json(&kijun(
        &["check", ".", "--format", "json", "--rule", "KJ-E1-007"],
        &d2,
    ));
    assert_eq!(
        rules_of(&v3, "failed"),
        vec!["KJ-E1-007 aws_dynamodb_table.t"]
    );
    assert!(rules_of(&v2, "failed").is_empty());
}

fn ledger(requested: &str, approved: &str, expires: &str) -> String {
    format!(
        r#"[[exception]]
id = "EX-2026-014"
articles = ["133-1-1"]
resources = ["aws_ebs_volume.scratch"]
reason = "Scratch space for batch jobs; holds no confidential information"
requested_by = "{requested}"
approved_by = "{approved}"
approved_on = 2026-04-01
expires_on = {expires}

[[exception]]
id = "EX-2026-020"
rules = ["KJ-L3-001"]
resources = ["aws_cloudwatch_log_group.*"]
reason = "never used"
requested_by = "tanaka"
approved_by = "suzuki"
approved_on = 2026-04-01
expires_on = 2027-03-31
"#
    )
}

fn ledger_project(name: &str, ledger_text: &str) -> PathBuf {
    project(
        name,
        &[
            (
                "kijun.toml",
                "[exceptions]\nledger = \"kijun-exceptions.toml\"\n",
            ),
            ("kijun-exceptions.toml", ledger_text),
            ("main.tf", VOLUMES),
        ],
    )
}

#[test]
fn an_approved_exception_marks_the_finding_excepted_with_its_record() {
    let d = ledger_project("ok", &ledger("sato", "suzuki", "2027-03-31"));
    let out = kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--now",
            "2026-11-26",
        ],
        &d,
    );
    let v = json(&out);
    assert_eq!(
        rules_of(&v, "excepted"),
        vec!["KJ-E1-001 aws_ebs_volume.scratch"]
    );
    assert_eq!(
        rules_of(&v, "failed"),
        vec!["KJ-E1-001 aws_ebs_volume.ledger"]
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "excepted")
        .unwrap();
    assert_eq!(f["exception"]["id"], "EX-2026-014");
    assert_eq!(f["exception"]["approved_by"], "suzuki");
    assert_eq!(f["exception"]["expires_on"], "2027-03-31");
    assert_eq!(v["summary"]["excepted"], 1);
    // The register lists every entry with its state; the unused one says so.
    let reg = v["exceptions"].as_array().unwrap();
    assert_eq!(reg[0]["state"], "active");
    assert_eq!(reg[1]["id"], "EX-2026-020");
    assert_eq!(reg[1]["state"], "unused");
    // The text output shows the record.
    let text = String::from_utf8_lossy(
        &kijun(
            &[
                "check",
                ".",
                "--rule",
                "KJ-E1-001",
                "--now",
                "2026-11-26",
                "--lang",
                "en",
            ],
            &d,
        )
        .stdout,
    )
    .to_string();
    assert!(
        text.contains("exception EX-2026-014 (active): requested by sato, approved by suzuki"),
        "{text}"
    );
}

#[test]
fn an_expired_exception_no_longer_suppresses_and_says_so() {
    let d = ledger_project("expired", &ledger("sato", "suzuki", "2026-06-30"));
    let v = json(&kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--now",
            "2026-11-26",
            "--lang",
            "en",
        ],
        &d,
    ));
    assert!(rules_of(&v, "excepted").is_empty());
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"] == "aws_ebs_volume.scratch")
        .unwrap();
    assert_eq!(f["status"], "failed");
    assert_eq!(f["exception"]["state"], "expired");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("exception EX-2026-014 expired on 2026-06-30"));
    // Judged against the given date: on its last day it still applies.
    let v = json(&kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--now",
            "2026-06-30",
        ],
        &d,
    ));
    assert_eq!(
        rules_of(&v, "excepted"),
        vec!["KJ-E1-001 aws_ebs_volume.scratch"]
    );
}

#[test]
fn a_self_approved_exception_is_an_error_and_suppresses_nothing() {
    let d = ledger_project("self", &ledger("sato", "sato", "2027-03-31"));
    let out = kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--now",
            "2026-11-26",
        ],
        &d,
    );
    let v = json(&out);
    assert!(rules_of(&v, "excepted").is_empty());
    let errors = v["errors"].as_array().unwrap();
    let e = errors
        .iter()
        .find(|e| e["message"].as_str().unwrap().contains("EX-2026-014"))
        .unwrap();
    assert!(e["message"].as_str().unwrap().contains("第19条"));
    assert_eq!(e["file"], "kijun-exceptions.toml");
    assert_eq!(e["line"], 1);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn inline_references_must_name_a_ledger_entry_and_cover_their_resource() {
    let main = "# kijun:exception EX-2026-014\nresource \"aws_ebs_volume\" \"other\" {\n  size = 1\n}\n\nresource \"aws_ebs_volume\" \"ghost\" { # kijun:exception EX-2099-999\n  size = 1\n}\n";
    let ledger_text = ledger("sato", "suzuki", "2027-03-31")
        .replace("resources = [\"aws_ebs_volume.scratch\"]\n", "");
    let d = project(
        "inline",
        &[
            (
                "kijun.toml",
                "[exceptions]\nledger = \"kijun-exceptions.toml\"\n",
            ),
            ("kijun-exceptions.toml", &ledger_text),
            ("main.tf", main),
        ],
    );
    let v = json(&kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--now",
            "2026-11-26",
        ],
        &d,
    ));
    // The entry lists no resources: the inline reference applies it to the resource below it.
    assert_eq!(
        rules_of(&v, "excepted"),
        vec!["KJ-E1-001 aws_ebs_volume.other"]
    );
    assert_eq!(
        rules_of(&v, "failed"),
        vec!["KJ-E1-001 aws_ebs_volume.ghost"]
    );
    let e = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["message"].as_str().unwrap().contains("EX-2099-999"))
        .unwrap();
    assert_eq!(
        (e["file"].as_str().unwrap(), e["line"].as_u64().unwrap()),
        ("main.tf", 6)
    );
}

#[test]
fn kubernetes_annotations_classify_objects_and_their_namespace() {
    let manifests = r#"apiVersion: v1
kind: Namespace
metadata:
  name: payments
  annotations:
    kijun.dev/confidentiality: "1"
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: payments
stringData:
  password: hunter2
---
apiVersion: v1
kind: Secret
metadata:
  name: api
  namespace: payments
  annotations:
    kijun.dev/confidentiality: "3"
stringData:
  token: abc
"#;
    let d = project("k8s", &[("k8s.yaml", manifests)]);
    let v = json(&kijun(&["check", ".", "--format", "json"], &d));
    let classes: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"].as_str().unwrap().to_string(),
                f["classification"]["confidentiality"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        classes.iter().all(|(r, _)| r != "Secret/payments/db"),
        "{classes:?}"
    );
    assert!(
        classes
            .iter()
            .any(|(r, c)| r == "Secret/payments/api" && *c == 3),
        "{classes:?}"
    );
}

#[test]
fn a_baseline_hides_old_findings_and_fails_on_new_ones_after_lines_move() {
    let d = project("baseline", &[("main.tf", VOLUMES)]);
    let out = kijun(
        &[
            "check",
            ".",
            "--rule",
            "KJ-E1-001",
            "--write-baseline",
            "baseline.json",
        ],
        &d,
    );
    assert_eq!(out.status.code(), Some(1));
    // Move everything down and add a new unencrypted volume.
    let moved =
        format!("# moved\n\n\n{VOLUMES}\nresource \"aws_ebs_volume\" \"new\" {{\n  size = 1\n}}\n");
    std::fs::write(d.join("main.tf"), moved).unwrap();
    let out = kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--baseline",
            "baseline.json",
        ],
        &d,
    );
    let v = json(&out);
    assert_eq!(rules_of(&v, "baselined").len(), 2);
    assert_eq!(rules_of(&v, "failed"), vec!["KJ-E1-001 aws_ebs_volume.new"]);
    assert_eq!(out.status.code(), Some(1));
    // Fix the new one and one old one: exit 0, the fixed old one is listed.
    std::fs::write(
        d.join("main.tf"),
        VOLUMES.replace(
            "resource \"aws_ebs_volume\" \"scratch\" {\n",
            "resource \"aws_ebs_volume\" \"scratch\" {\n  encrypted = true\n",
        ),
    )
    .unwrap();
    let out = kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "KJ-E1-001",
            "--baseline",
            "baseline.json",
        ],
        &d,
    );
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        v["baseline"]["fixed"][0]["resource"],
        "aws_ebs_volume.scratch"
    );
}

#[test]
fn configuration_errors_point_at_the_line() {
    let d = project(
        "badcfg",
        &[
            (
                "kijun.toml",
                "[classification]\nconfidentiality = 2\nconfidentialty = 3\n",
            ),
            ("main.tf", VOLUMES),
        ],
    );
    let out = kijun(&["check", "."], &d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kijun.toml:3:1"), "{err}");
    assert!(err.contains("confidentialty"), "{err}");
}

#[test]
fn init_writes_a_configuration_that_kijun_accepts() {
    let d = project("init", &[("main.tf", VOLUMES)]);
    assert_eq!(kijun(&["init"], &d).status.code(), Some(0));
    assert!(d.join("kijun.toml").is_file());
    assert_eq!(kijun(&["init"], &d).status.code(), Some(2));
    let out = kijun(&["check", ".", "--format", "json"], &d);
    assert_eq!(out.status.code(), Some(1));
    assert!(json(&out)["errors"].as_array().unwrap().is_empty());
}
