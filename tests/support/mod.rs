#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Helpers for the integration-file tests (pre-commit, GitHub Action, GitLab template): YAML read
//! with the project's own reader, temporary directories, and throwaway git repositories.

use kijun::model::Node;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn kijun_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kijun"))
}

/// The first document of a YAML file in the repository.
pub fn yaml(rel: &str) -> Node {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let docs = kijun_yaml::parse(0, &text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    docs.into_iter().next().expect("a YAML document").root
}

pub fn get<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.as_object().and_then(|m| m.get(key))
}

pub fn string(n: &Node, key: &str) -> Option<String> {
    get(n, key).and_then(|v| match &v.value {
        kijun::model::Value::String(s) => Some(s.to_string()),
        kijun::model::Value::Bool(b) => Some(b.to_string()),
        kijun::model::Value::Number(x) => Some(kijun::model::format_number(*x)),
        _ => None,
    })
}

pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `git` in `dir` with a fixed identity and no user or system configuration.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "kijun test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "kijun test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A Terraform file with a failing finding (an unencrypted EBS volume, 細則 第133条第1項第1号).
pub const BAD_TF: &str = r#"provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}
"#;

/// The same volume, compliant.
pub const GOOD_TF: &str = r#"provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = true
}
"#;
