#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Files in UTF-16 (either byte order, with a byte order mark) and UTF-8 with a byte order mark
//! are read like their UTF-8 originals: same findings at the same lines and columns. The files
//! are written by the test from the repository's own fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Rule, line, column, end line and end column of a finding.
type Place = (String, u64, u64, u64, u64);

/// Every finding's place, and the input errors.
fn findings(dir: &Path, file: &str) -> (Vec<Place>, Vec<String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", file, "--format", "json", "--lang", "en"])
        .current_dir(dir)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("kijun runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["end_line"].as_u64().unwrap_or(0),
                f["end_column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let errors = v["errors"]
        .as_array()
        .map(|e| e.iter().map(|x| x["message"].to_string()).collect())
        .unwrap_or_default();
    (found, errors)
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

fn check_encodings(name: &str, text: &str) {
    let dir = std::env::temp_dir().join(format!("kijun-enc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Each encoding in its own directory, under the same file name.
    let variants: [(&str, Vec<u8>); 4] = [
        ("utf8", text.as_bytes().to_vec()),
        (
            "utf8bom",
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        ),
        ("utf16le", utf16(text, true)),
        ("utf16be", utf16(text, false)),
    ];
    let mut results = Vec::new();
    for (enc, bytes) in &variants {
        std::fs::create_dir_all(dir.join(enc)).unwrap();
        std::fs::write(dir.join(enc).join(name), bytes).unwrap();
        let r = findings(&dir.join(enc), name);
        assert!(r.1.is_empty(), "{name} in {enc}: input errors {:?}", r.1);
        results.push((enc, r.0));
    }
    let (_, want) = &results[0];
    assert!(!want.is_empty(), "{name}: the original has findings");
    for (enc, got) in &results[1..] {
        assert_eq!(
            got, want,
            "{name} in {enc}: findings or positions differ from UTF-8"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn terraform_in_every_encoding() {
    let text = std::fs::read_to_string(root().join("fixtures/KJ-E1-001/fail.tf")).unwrap();
    // Non-ASCII before the findings, so that byte and character columns differ.
    check_encodings("main.tf", &format!("# 暗号化の確認 — ボリューム\n{text}"));
}

#[test]
fn kubernetes_yaml_in_every_encoding() {
    let text = std::fs::read_to_string(root().join("fixtures/KJ-N6-101/fail.yaml")).unwrap();
    check_encodings("services.yaml", &format!("# 公開サービス\n{text}"));
}

#[test]
fn arm_template_with_comments_in_every_encoding() {
    // ARM accepts `//` and `/* */` comments in templates; so does kijun, in any encoding.
    let text = std::fs::read_to_string(root().join("fixtures/KJ-E3-002/fail_arm.json")).unwrap();
    let commented = text.replacen(
        '{',
        "{\n  // 保存データの暗号化 (comment)\n  /* a block\n     comment */",
        1,
    );
    assert_ne!(commented, text);
    check_encodings("azuredeploy.json", &commented);
}
