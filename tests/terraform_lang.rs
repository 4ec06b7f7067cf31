#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The Terraform and OpenTofu language end to end through the `kijun` command: override files,
//! `.tofu` files and provider `for_each`, the file functions (and what they must never read),
//! and the declared deployment context (`[assume]`, `--assume`).

use crate::common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CANARY: &str = "KIJUN-CANARY-7f3a9c";

fn kijun(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .current_dir(cwd)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .env("KIJUN_TEST_SECRET", CANARY)
        .output()
        .expect("kijun runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// A project directory (marked as a repository with `.git`) inside a fresh temporary directory.
fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let base = std::env::temp_dir().join(format!("kijun-lang-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("project");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .collect()
}

fn resources_of(v: &Value, rule: &str) -> Vec<String> {
    let mut r: Vec<String> = findings(v, rule)
        .iter()
        .map(|f| f["resource"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r
}

const EBS: &str = r#"
provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_ebs_volume" "v" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}
"#;

#[test]
fn override_files_merge_with_terraforms_precedence() {
    // The override turns encryption on: no finding, and one volume, not two.
    let dir = project(
        "override-on",
        &[
            ("main.tf", EBS),
            (
                "main_override.tf",
                "resource \"aws_ebs_volume\" \"v\" {\n  encrypted = true\n}\n",
            ),
        ],
    );
    let plain = project("override-none", &[("main.tf", EBS)]);
    let v = json(&kijun(&["check", ".", "--format", "json"], &dir));
    let base = json(&kijun(&["check", ".", "--format", "json"], &plain));
    assert_eq!(resources_of(&base, "KJ-E1-001"), vec!["aws_ebs_volume.v"]);
    assert!(resources_of(&v, "KJ-E1-001").is_empty(), "{v:#}");
    assert_eq!(v["summary"]["resources"], base["summary"]["resources"]);

    // Override files apply in lexical order after the primary files: the last one wins, and the
    // finding points at the file that supplied the final value.
    let dir = project(
        "override-order",
        &[
            ("main.tf", &EBS.replace("false", "true")),
            (
                "a_override.tf",
                "resource \"aws_ebs_volume\" \"v\" {\n  encrypted = true\n}\n",
            ),
            (
                "z_override.tf.json",
                r#"{"resource": {"aws_ebs_volume": {"v": {"encrypted": false}}}}"#,
            ),
        ],
    );
    let v = json(&kijun(&["check", ".", "--format", "json"], &dir));
    let f = findings(&v, "KJ-E1-001");
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["file"], "z_override.tf.json", "{:#}", f[0]);

    // A nested block type in an override replaces every block of that type.
    let dir = project(
        "override-blocks",
        &[
            (
                "main.tf",
                r#"
resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  ingress {
    description = "ssh from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#,
            ),
            (
                "override.tf",
                r#"
resource "aws_security_group" "web" {
  ingress {
    description = "ssh from the office"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }
}
"#,
            ),
        ],
    );
    let v = json(&kijun(&["check", ".", "--format", "json"], &dir));
    assert!(resources_of(&v, "KJ-N1-001").is_empty(), "{v:#}");
}

#[test]
fn tofu_files_shadow_tf_files_and_provider_for_each_gives_each_instance_its_region() {
    let repo = common::root();
    let out = kijun(
        &["check", "examples/opentofu-regional", "--format", "json"],
        &repo,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    // main.tofu is read, main.tf beside it is not.
    let all: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["not_evaluated"].as_array().unwrap())
        .filter_map(|f| f["resource"].as_str())
        .collect();
    assert!(
        !all.iter().any(|r| r.contains("documents_single_region")),
        "main.tf must be shadowed by main.tofu: {all:?}"
    );
    // One bucket per region, through its own provider configuration, and one archive module
    // instance per region, given its region's provider instance: only us-west-2 is outside
    // Japan.
    assert_eq!(
        resources_of(&v, "KJ-C1-001"),
        vec![
            "aws_s3_bucket.documents[\"us-west-2\"]",
            "module.archive[\"us-west-2\"].aws_s3_bucket.archive"
        ],
        "{v:#}"
    );
    let f = findings(&v, "KJ-C1-001")[0];
    assert!(
        f["message"].as_str().unwrap().contains("us-west-2"),
        "{f:#}"
    );
    // A directory of only main.tofu is not "0 resources".
    let dir = project(
        "tofu-only",
        &[("main.tofu", &EBS.replace("ap-northeast-1\"", "us-east-1\""))],
    );
    let v = json(&kijun(&["check", ".", "--format", "json"], &dir));
    assert_eq!(resources_of(&v, "KJ-E1-001"), vec!["aws_ebs_volume.v"]);
}

/// OpenTofu's provider `for_each` through module calls: `providers = { aws =
/// aws.by_region[each.key] }` gives each instance of a module call the provider instance of its
/// key, so the module's resources are created in that region; a literal key
/// (`aws.by_region["osaka"]`) selects one instance for a module's alias
/// (`configuration_aliases`) as well.
#[test]
fn module_calls_pass_one_provider_instance_each() {
    let dir = project(
        "provider-instances",
        &[
            (
                "main.tofu",
                r#"
variable "regions" {
  type = map(string)
  default = {
    tokyo     = "ap-northeast-1"
    osaka     = "ap-northeast-3"
    frankfurt = "eu-central-1"
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

provider "aws" {
  alias    = "by_region"
  for_each = var.regions
  region   = each.value
}

module "store" {
  source   = "./store"
  for_each = var.regions
  providers = {
    aws = aws.by_region[each.key]
  }
  name = "records-${each.key}"
}

module "backup" {
  source = "./store"
  providers = {
    aws = aws.by_region["osaka"]
  }
  name = "records-backup"
}

module "replicas" {
  source = "./replicas"
  providers = {
    aws         = aws
    aws.primary = aws.by_region["tokyo"]
    aws.copy    = aws.by_region["frankfurt"]
  }
}
"#,
            ),
            (
                "store/main.tf",
                "variable \"name\" {\n  type = string\n}\n\nresource \"aws_ebs_volume\" \"data\" {\n  availability_zone = \"unused\"\n  size              = 10\n  encrypted         = true\n  tags = {\n    Name = var.name\n  }\n}\n",
            ),
            (
                "replicas/main.tofu",
                r#"
terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.primary, aws.copy]
    }
  }
}

resource "aws_ebs_volume" "primary" {
  provider          = aws.primary
  availability_zone = "unused"
  size              = 10
  encrypted         = true
}

resource "aws_ebs_volume" "replica" {
  provider          = aws.copy
  availability_zone = "unused"
  size              = 10
  encrypted         = true
}
"#,
            ),
        ],
    );
    let out = kijun(
        &["check", ".", "--format", "json", "--rule", "KJ-C1-001"],
        &dir,
    );
    let v = json(&out);
    assert_eq!(
        resources_of(&v, "KJ-C1-001"),
        vec![
            "module.replicas.aws_ebs_volume.replica".to_string(),
            "module.store[\"frankfurt\"].aws_ebs_volume.data".to_string(),
        ],
        "{v:#}"
    );
    for f in findings(&v, "KJ-C1-001") {
        assert!(
            f["message"].as_str().unwrap().contains("eu-central-1"),
            "{f:#}"
        );
    }
    // Nothing was left open: every instance found its provider's region.
    let open: Vec<&Value> = v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["rule_id"] == "KJ-C1-001")
        .collect();
    assert!(open.is_empty(), "{open:#?}");
}

#[test]
fn file_functions_feed_rules_with_provenance_into_the_read_file() {
    let repo = common::root();
    let v = json(&kijun(
        &[
            "check",
            "examples/opentofu-regional",
            "--format",
            "json",
            "--lang",
            "en",
        ],
        &repo,
    ));
    // SSH open to the internet through jsondecode(file(...)).
    let ssh = findings(&v, "KJ-N1-001");
    assert_eq!(ssh.len(), 1, "{v:#}");
    assert_eq!(ssh[0]["resource"], "aws_security_group.admin");
    let msg = ssh[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("examples/opentofu-regional/admin-cidrs.json"),
        "provenance points into the read file: {msg}"
    );
    // A public bucket policy rendered with templatefile(): %{ for }, %{ if } and interpolation.
    let pol = findings(&v, "KJ-N4-007");
    assert_eq!(pol.len(), 1, "{v:#}");
    assert_eq!(pol[0]["resource"], "aws_s3_bucket_policy.help");
    assert!(
        pol[0]["message"]
            .as_str()
            .unwrap()
            .contains("public-read.json.tftpl"),
        "{:#}",
        pol[0]
    );
}

/// One provider configuration and bucket per case, the provider's region computed by a file
/// function: the region finding shows the computed value.
fn region_cases(cases: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (name, expr) in cases {
        s.push_str(&format!(
            "provider \"aws\" {{\n  alias  = \"{name}\"\n  region = {expr}\n}}\n\
             resource \"aws_s3_bucket\" \"{name}\" {{\n  provider = aws.{name}\n  bucket   = \"b-{name}\"\n}}\n"
        ));
    }
    s
}

/// The region value each bucket's KJ-C1-001 finding reports (English message).
fn region_values(v: &Value) -> std::collections::BTreeMap<String, String> {
    findings(v, "KJ-C1-001")
        .iter()
        .map(|f| {
            let r = f["resource"]
                .as_str()
                .unwrap()
                .trim_start_matches("aws_s3_bucket.");
            let m = f["message"].as_str().unwrap();
            let after = m.split("`region` is ").nth(1).unwrap_or(m);
            let value = after.split(", outside").next().unwrap_or(after);
            let value = value.split(" (").next().unwrap_or(value);
            (r.to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn every_file_function_is_evaluated_inside_the_project() {
    let cases = [
        ("file", r#"trimspace(file("${path.module}/region.txt"))"#),
        ("file_relative", r#"trimspace(file("conf/region.txt"))"#),
        (
            "exists",
            r#"fileexists("region.txt") ? "us-east-2" : "eu-west-1""#,
        ),
        (
            "missing",
            r#"fileexists("nope.txt") ? "eu-west-1" : "us-east-2""#,
        ),
        (
            "fileset",
            r#"join("+", fileset(path.module, "conf/*.txt"))"#,
        ),
        (
            "fileset_deep",
            r#"join("+", fileset("${path.module}/conf", "**/*.txt"))"#,
        ),
        (
            "template",
            r#"templatefile("${path.module}/r.tftpl", { parts = ["us", "west", "1"], cold = true })"#,
        ),
        ("b64", r#"filebase64("region.txt")"#),
        ("md5", r#"filemd5("region.txt")"#),
        ("sha1", r#"filesha1("region.txt")"#),
        ("sha256", r#"filesha256("region.txt")"#),
        ("sha512", r#"substr(filesha512("region.txt"), 0, 32)"#),
        ("b64sha256", r#"filebase64sha256("region.txt")"#),
        (
            "b64sha512",
            r#"substr(filebase64sha512("region.txt"), 0, 20)"#,
        ),
        (
            "computed",
            r#"trimspace(file("${path.module}/conf/${"region"}.txt"))"#,
        ),
    ];
    let dir = project(
        "filefns",
        &[
            ("main.tf", &region_cases(&cases)),
            ("region.txt", "us-west-2\n"),
            ("conf/region.txt", "sa-east-1\n"),
            ("conf/deep/other.txt", "x"),
            (
                "r.tftpl",
                "%{ for i, p in parts }${p}%{ if i < length(parts) - 1 }-%{ endif }%{ endfor }%{ if !cold }-hot%{ endif }",
            ),
        ],
    );
    let out = kijun(&["check", ".", "--format", "json", "--lang", "en"], &dir);
    let v = json(&out);
    let got = region_values(&v);
    // The digests of "us-west-2\n", as `md5sum`, `sha1sum`, `sha256sum`, `sha512sum` and
    // `base64` print them (the long ones cut with substr() to stay valid region-like words).
    let want: &[(&str, &str)] = &[
        ("file", "us-west-2"),
        ("file_relative", "sa-east-1"),
        ("exists", "us-east-2"),
        ("missing", "us-east-2"),
        ("fileset", "conf/region.txt"),
        ("fileset_deep", "deep/other.txt+region.txt"),
        ("template", "us-west-1"),
        ("b64", "dXMtd2VzdC0yCg=="),
        ("md5", "0dd60738a7a09de8579eee93d45e3cb9"),
        ("sha1", "ad56ab79a379a0c2f730a433f90dfde3548d86f5"),
        (
            "sha256",
            "e4674ba47516cac83d838d0a5482386eec361800243cb0d6ccdea80737f949a1",
        ),
        ("sha512", "71c473c67e506dc4518c8f9c2bface6e"),
        ("b64sha256", "5GdLpHUWysg9g40KVII4buw2GAAkPLDWzN6oBzf5SaE="),
        ("b64sha512", "ccRzxn5QbcRRjI+cK/rO"),
        ("computed", "sa-east-1"),
    ];
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (name, expected) in want {
        let actual = got.get(*name).map(String::as_str);
        assert_eq!(
            actual,
            Some(*expected),
            "{name}: {}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
    // The value read from a file points into it.
    let f = findings(&v, "KJ-C1-001")
        .into_iter()
        .find(|f| f["resource"] == "aws_s3_bucket.file")
        .unwrap();
    assert!(
        f["message"].as_str().unwrap().contains("region.txt:1:1"),
        "{f:#}"
    );
}

#[test]
fn file_functions_never_read_outside_the_project_root() {
    let dir = project("escape", &[]);
    let outside = dir.parent().unwrap().join("secret.txt");
    std::fs::write(&outside, format!("{CANARY}\n")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, dir.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.parent().unwrap(), dir.join("up")).unwrap();
        let fifo = dir.join("pipe.txt");
        let made = Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    }
    let abs = outside.to_string_lossy().to_string();
    let cases = [
        ("dotdot", r#"file("../secret.txt")"#.to_string()),
        (
            "dotdot_module",
            r#"file("${path.module}/../secret.txt")"#.to_string(),
        ),
        ("absolute", format!("file(\"{abs}\")")),
        ("symlink", r#"file("link.txt")"#.to_string()),
        ("symlink_dir", r#"file("up/secret.txt")"#.to_string()),
        ("environ", r#"file("/proc/self/environ")"#.to_string()),
        ("fifo", r#"file("pipe.txt")"#.to_string()),
        (
            "template",
            r#"templatefile("../secret.txt", {})"#.to_string(),
        ),
        ("b64", r#"filebase64("link.txt")"#.to_string()),
        (
            "exists",
            r#"fileexists("../secret.txt") ? "us-east-1" : "us-east-2""#.to_string(),
        ),
        ("fileset", r#"join(",", fileset("..", "*"))"#.to_string()),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(a, b)| (*a, b.as_str())).collect();
    std::fs::write(dir.join("main.tf"), region_cases(&cases)).unwrap();
    for format in ["json", "text", "sarif", "markdown"] {
        let out = kijun(&["check", ".", "--format", format, "--lang", "en"], &dir);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains(CANARY),
            "{format} output leaks the canary:\n{all}"
        );
        assert!(
            !all.contains("KIJUN_TEST_SECRET"),
            "{format} output leaks the environment"
        );
    }
    let v = json(&kijun(
        &["check", ".", "--format", "json", "--lang", "en"],
        &dir,
    ));
    assert!(
        findings(&v, "KJ-C1-001").is_empty(),
        "nothing refused may be judged: {v:#}"
    );
    let reasons: Vec<String> = v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["rule_id"] == "KJ-C1-001")
        .map(|n| format!("{} {}", n["resource"], n["reason"]))
        .collect();
    let reason_of = |name: &str| -> String {
        reasons
            .iter()
            .find(|r| r.starts_with(&format!("\"aws_s3_bucket.{name}\"")))
            .cloned()
            .unwrap_or_else(|| panic!("no not-evaluated entry for {name}: {reasons:#?}"))
    };
    assert!(reason_of("dotdot").contains("../secret.txt is outside the project root"));
    assert!(reason_of("dotdot_module").contains("outside the project root"));
    assert!(reason_of("absolute").contains("outside the project root"));
    assert!(reason_of("symlink").contains("link.txt resolves through a symbolic link"));
    assert!(reason_of("symlink_dir").contains("symbolic link"));
    assert!(reason_of("environ").contains("/proc/self/environ"));
    assert!(reason_of("fifo").contains("pipe.txt is not a regular file"));
    assert!(reason_of("template").contains("outside the project root"));
    assert!(reason_of("b64").contains("symbolic link"));
    assert!(reason_of("exists").contains("outside the project root"));
    assert!(reason_of("fileset").contains("outside the project root"));
}

const UNSET_REGION: &str = r#"
provider "aws" {}

resource "aws_s3_bucket" "data" {
  bucket = "agency-data"
}
"#;

#[test]
fn assumptions_fill_what_the_code_leaves_open_and_say_so() {
    // Without an assumption: today's behaviour, not evaluated.
    let dir = project("assume-none", &[("main.tf", UNSET_REGION)]);
    let v = json(&kijun(&["check", ".", "--format", "json"], &dir));
    assert!(findings(&v, "KJ-C1-001").is_empty());
    assert!(v.get("assumptions").is_none());
    assert!(v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["rule_id"] == "KJ-C1-001" && n["resource"] == "aws_s3_bucket.data"));

    // kijun.toml [assume]: the value is used, marked as assumed in the finding (JSON and
    // text) and listed in the report.
    let dir = project(
        "assume-toml",
        &[
            ("main.tf", UNSET_REGION),
            ("kijun.toml", "[assume]\naws_region = \"us-east-1\"\n"),
        ],
    );
    let v = json(&kijun(
        &["check", ".", "--format", "json", "--lang", "en"],
        &dir,
    ));
    let f = findings(&v, "KJ-C1-001");
    assert_eq!(f.len(), 1, "{v:#}");
    let msg = f[0]["message"].as_str().unwrap();
    assert!(msg.contains("us-east-1"), "{msg}");
    assert!(msg.contains("assumed via kijun.toml [assume]"), "{msg}");
    assert_eq!(
        v["assumptions"],
        serde_json::json!([{"key": "aws_region", "value": "us-east-1", "source": "kijun.toml [assume]"}])
    );
    let text = kijun(&["check", ".", "--lang", "en"], &dir);
    let t = String::from_utf8_lossy(&text.stdout);
    assert!(t.contains("assumed via kijun.toml [assume]"), "{t}");
    let ja = kijun(&["check", ".", "--lang", "ja", "--format", "json"], &dir);
    assert!(String::from_utf8_lossy(&ja.stdout).contains("assumed via kijun.toml [assume]"));

    // --assume overrides kijun.toml: a Japanese region, no finding, nothing left open.
    let v = json(&kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--assume",
            "aws_region=ap-northeast-1",
        ],
        &dir,
    ));
    assert!(findings(&v, "KJ-C1-001").is_empty(), "{v:#}");
    assert!(!v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["rule_id"] == "KJ-C1-001"));
    assert_eq!(v["assumptions"][0]["source"], "--assume");

    // The code's own region always wins over an assumption.
    let dir = project(
        "assume-code-wins",
        &[(
            "main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_s3_bucket\" \"d\" {\n  bucket = \"d\"\n}\n",
        )],
    );
    let v = json(&kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--lang",
            "en",
            "--assume",
            "aws_region=ap-northeast-1",
        ],
        &dir,
    ));
    let f = findings(&v, "KJ-C1-001");
    assert_eq!(f.len(), 1);
    assert!(!f[0]["message"].as_str().unwrap().contains("assumed"));

    // A bad assumption is a usage error naming it.
    let out = kijun(&["check", ".", "--assume", "aws_region="], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("aws_region"));
    let out = kijun(&["check", ".", "--assume", "region=us-east-1"], &dir);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_arm_resource_group_location_can_be_assumed() {
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "agencydocs",
      "location": "[resourceGroup().location]",
      "sku": { "name": "Standard_GRS" },
      "kind": "StorageV2",
      "properties": { "minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": true }
    }
  ]
}
"#;
    let dir = project("assume-arm", &[("azuredeploy.json", template)]);
    let located = |v: &Value| -> (usize, usize) {
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["message"].as_str().unwrap().contains("location"))
            .count();
        let n = v["not_evaluated"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| {
                n["reason"]
                    .as_str()
                    .unwrap()
                    .contains("resourceGroup().location")
            })
            .count();
        (f, n)
    };
    let v = json(&kijun(
        &["check", ".", "--format", "json", "--lang", "en"],
        &dir,
    ));
    let (_, open) = located(&v);
    assert!(
        open > 0,
        "without an assumption the location is open: {v:#}"
    );
    let v = json(&kijun(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--lang",
            "en",
            "--assume",
            "azure_resource_group_location=westus",
        ],
        &dir,
    ));
    let (found, open) = located(&v);
    assert_eq!(open, 0, "{v:#}");
    assert!(found > 0, "westus is outside Japan: {v:#}");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("westus"))
        .unwrap();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("assumed via --assume"),
        "{f:#}"
    );
}

#[test]
fn the_wasm_module_answers_the_file_functions_as_the_cli_does() {
    let repo = common::root();
    let cli = json(&kijun(
        &[
            "check",
            "examples/opentofu-regional",
            "--format",
            "json",
            "--lang",
            "en",
        ],
        &repo,
    ));
    let docs = common::docs_in("examples/opentofu-regional");
    let request = serde_json::json!({
        "schema_version": 1,
        "op": "check",
        "lang": "en",
        "documents": docs.iter().map(|d| serde_json::json!({"path": d.path, "content": d.content})).collect::<Vec<_>>(),
    });
    let (answer, code) = kijun_wasm::handle(&request.to_string());
    assert_eq!(code, 1);
    let wasm: Value = serde_json::from_str(&answer).unwrap();
    let key = |v: &Value| -> Vec<String> {
        let mut out: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["not_evaluated"].as_array().unwrap())
            .map(|f| {
                format!(
                    "{} {} {}:{} {} {}",
                    f["rule_id"], f["resource"], f["file"], f["line"], f["message"], f["reason"]
                )
            })
            .collect();
        out.sort();
        out
    };
    assert!(key(&cli).iter().any(|k| k.contains("admin-cidrs.json")));
    assert_eq!(key(&cli), key(&wasm));
}
