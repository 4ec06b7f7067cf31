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

/// A static file server for `dir` on 127.0.0.1 (a random port), for tests of what downloads or
/// loads files over HTTP. It serves until the test process ends; `..` is refused. Returns the
/// base URL (`http://127.0.0.1:PORT`) and the log of requested paths.
pub fn serve_dir(dir: &Path) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (dir, seen) = (dir.to_path_buf(), log.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (dir, seen) = (dir.clone(), seen.clone());
            std::thread::spawn(move || {
                let mut stream = stream;
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                let Ok(clone) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(clone);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
                seen.lock().unwrap().push(path.clone());
                let file = dir.join(path.trim_start_matches('/'));
                let safe = !path.split('/').any(|p| p == "..") && file.is_file();
                let (status, body, ctype) = match safe.then(|| std::fs::read(&file)) {
                    Some(Ok(body)) => {
                        let ctype = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("mjs" | "js") => "text/javascript; charset=utf-8",
                            Some("wasm") => "application/wasm",
                            Some("json") => "application/json",
                            _ => "application/octet-stream",
                        };
                        ("200 OK", body, ctype)
                    }
                    _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
                let _ = stream.flush();
            });
        }
    });
    (base, log)
}
