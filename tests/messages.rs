#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Every message kijun writes itself (input errors, "not evaluated" reasons, why a value is
//! unknown) is bilingual: every `text!` template of the workspace has both languages with the
//! same placeholders and Japanese without an English sentence, and a `--lang ja` scan of the
//! examples, the fixtures and hostile inputs shows no English sentence in any message, reason
//! or error, while `--lang en` shows English.

use crate::common;

use kijun_model::english_sentence;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One `text!` call as written: where, and its two templates.
struct Template {
    at: String,
    ja: String,
    en: String,
}

/// The Rust source files of the product (library crates and the CLI), not their tests.
fn sources() -> Vec<PathBuf> {
    let root = common::root();
    let mut dirs = vec![root.join("src")];
    for c in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        dirs.push(c.path().join("src"));
    }
    let mut out = Vec::new();
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A Rust string literal starting at `s[0] == '"'`: its value and the rest after it.
fn literal(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 2..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                '\n' => {
                    // A line continuation: the next line's leading white space is not text.
                    let rest = &s[i + 3..];
                    let skip = rest.len() - rest.trim_start().len();
                    for _ in 0..skip {
                        chars.next();
                    }
                }
                other => {
                    out.push('\\');
                    out.push(other);
                }
            },
            c => out.push(c),
        }
    }
    None
}

/// Every `text!("ja", "en" …)` in the product's sources (comments left out).
fn templates() -> Vec<Template> {
    let root = common::root();
    let mut out = Vec::new();
    for path in sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        let code: String = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let rel = path.strip_prefix(&root).unwrap().display().to_string();
        for (at, _) in code.match_indices("text!(") {
            let line = code[..at].lines().count();
            let rest = code[at + "text!(".len()..].trim_start();
            let (ja, rest) = literal(rest)
                .unwrap_or_else(|| panic!("{rel}:{line}: text! must start with a literal"));
            let rest = rest.trim_start().strip_prefix(',').unwrap().trim_start();
            let (en, _) = literal(rest)
                .unwrap_or_else(|| panic!("{rel}:{line}: text! needs a second literal"));
            out.push(Template {
                at: format!("{rel}:{line}"),
                ja,
                en,
            });
        }
    }
    out
}

/// The placeholders of a `format!` template (`{name}`, `{0}`, `{}`), `{{` and `}}` left out.
fn placeholders(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open..open + close + 1].to_string());
        rest = rest[open + close + 1..].to_string();
    }
    out.sort();
    out
}

#[test]
fn every_message_template_is_in_both_languages() {
    let all = templates();
    // The walk finds the catalogue: hundreds of messages across the crates and the CLI.
    assert!(all.len() > 250, "only {} text! templates found", all.len());
    for dir in [
        "crates/kijun-terraform",
        "crates/kijun-formats",
        "crates/kijun-json",
        "crates/kijun-yaml",
        "crates/kijun-engine",
        "crates/kijun-model",
        "src/",
    ] {
        assert!(
            all.iter().any(|t| t.at.starts_with(dir)),
            "no text! template in {dir}"
        );
    }
    let mut problems = Vec::new();
    for t in &all {
        if t.ja.trim().is_empty() || t.en.trim().is_empty() {
            problems.push(format!("{}: an empty template", t.at));
        }
        if placeholders(&t.ja) != placeholders(&t.en) {
            problems.push(format!(
                "{}: placeholders differ: ja {:?}, en {:?}",
                t.at,
                placeholders(&t.ja),
                placeholders(&t.en)
            ));
        }
        if let Some(run) = english_sentence(&t.ja) {
            problems.push(format!(
                "{}: English in the Japanese: {run:?} in {:?}",
                t.at, t.ja
            ));
        }
        // A template without Japanese is a prefix or a value ("{path}: {0}"): it must say
        // nothing in English either, or the Japanese is missing.
        if t.ja.is_ascii() && english_sentence(&t.en).is_some() {
            problems.push(format!("{}: the Japanese is English: {:?}", t.at, t.ja));
        }
        if !t.en.is_ascii()
            && t.en.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c))
            && !t.en.contains("細則")
        {
            problems.push(format!("{}: Japanese in the English: {:?}", t.at, t.en));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_english_sentence_test_finds_sentences_and_not_names() {
    assert!(english_sentence("module \"x\": remote source is not downloaded").is_some());
    assert!(english_sentence("値を静的に決定できません（could not evaluate this）").is_some());
    assert!(
        english_sentence("`aws_lb.api` の TLS ポリシー（ELBSecurityPolicy-2016-08）").is_none()
    );
    assert!(english_sentence("Application Load Balancer の既定値は HTTP です").is_none());
    assert!(english_sentence("`cannot be read here` は値です").is_none());
}

// ---------------------------------------------------------------------------------------------
// A scan in Japanese says everything in Japanese.

fn kijun() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kijun"));
    c.env_remove("KIJUN_LANG")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1");
    c
}

/// The texts of a JSON report a person reads: (where, text) of every finding message,
/// not-evaluated reason and input error.
fn texts(report: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (list, field) in [
        ("findings", "message"),
        ("not_evaluated", "reason"),
        ("errors", "message"),
    ] {
        for item in report[list].as_array().into_iter().flatten() {
            if let Some(t) = item[field].as_str() {
                let at = format!(
                    "{list} {}:{}",
                    item["file"].as_str().unwrap_or("?"),
                    item["line"]
                );
                out.push((at, t.to_string()));
            }
        }
    }
    out
}

/// Runs `kijun check <args> --format json --lang <lang>` and returns the report.
fn check_json(lang: &str, args: &[&str], cwd: &Path) -> serde_json::Value {
    let out = kijun()
        .current_dir(cwd)
        .arg("check")
        .args(args)
        .args(["--format", "json", "--lang", lang])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "kijun check {args:?}: no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn english_in(texts: &[(String, String)]) -> Vec<String> {
    texts
        .iter()
        .filter_map(|(at, t)| english_sentence(t).map(|run| format!("{at}: {run:?} in {t:?}")))
        .collect()
}

/// The folders of examples/ and fixtures/.
fn folders() -> Vec<String> {
    let root = common::root();
    let mut out = Vec::new();
    for top in ["examples", "fixtures"] {
        for e in std::fs::read_dir(root.join(top)).unwrap().flatten() {
            if e.path().is_dir() {
                out.push(format!("{top}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_japanese_scan_of_the_examples_and_fixtures_has_no_english_sentence() {
    let root = common::root();
    let mut english = Vec::new();
    let mut seen = 0;
    let mut reasons = 0;
    for dir in folders() {
        let report = check_json("ja", &[&dir], &root);
        let t = texts(&report);
        seen += t.len();
        reasons += report["not_evaluated"].as_array().map_or(0, Vec::len);
        english.extend(english_in(&t).into_iter().map(|e| format!("{dir}: {e}")));
    }
    assert!(
        seen > 500 && reasons > 20,
        "too few texts: {seen}, {reasons} reasons"
    );
    assert!(english.is_empty(), "{}", english.join("\n"));
}

/// Hostile and incomplete inputs, each producing an input error or a "not evaluated" entry
/// whose text the engine or the CLI writes.
/// A directory removed when dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let d = std::env::temp_dir().join(format!("kijun-messages-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Temp(d)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn hostile_tree() -> (Temp, Temp) {
    let dir = Temp::new("tree");
    let outside = Temp::new("outside");
    let p = dir.path();
    std::fs::create_dir_all(p.join("tf")).unwrap();
    // A file that is not UTF-8.
    std::fs::write(
        p.join("tf/latin1.tf"),
        b"# caf\xe9\nresource \"a\" \"b\" {}\n",
    )
    .unwrap();
    // An HCL syntax error.
    std::fs::write(
        p.join("tf/broken.tf"),
        "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n",
    )
    .unwrap();
    // A remote module that was not downloaded, and a variable nothing sets.
    std::fs::write(
        p.join("tf/main.tf"),
        r#"variable "encrypt_volumes" {}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = var.encrypt_volumes
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-${data.aws_caller_identity.me.account_id}"
}
"#,
    )
    .unwrap();
    // A JSON template and a YAML manifest that do not parse.
    std::fs::write(
        p.join("template.json"),
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {,}}",
    )
    .unwrap();
    std::fs::write(
        p.join("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n   bad: [\n",
    )
    .unwrap();
    // An ARM template parameter without a value.
    std::fs::write(
        p.join("azuredeploy.json"),
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "storageName": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "[parameters('storageName')]",
      "location": "[resourceGroup().location]",
      "kind": "StorageV2",
      "sku": { "name": "Standard_LRS" },
      "properties": { "minimumTlsVersion": "[parameters('tls')]" }
    }
  ]
}
"#,
    )
    .unwrap();
    // A link out of the project, which is refused.
    #[cfg(unix)]
    {
        std::fs::write(
            outside.path().join("secret.tf"),
            "resource \"a\" \"b\" {}\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.tf"), p.join("tf/linked.tf"))
            .unwrap();
    }
    // A Helm chart template.
    std::fs::create_dir_all(p.join("chart/templates")).unwrap();
    std::fs::write(
        p.join("chart/templates/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    )
    .unwrap();
    // kijun.toml so that the tree is its own project root.
    std::fs::write(p.join("kijun.toml"), "").unwrap();
    (dir, outside)
}

#[test]
fn hostile_inputs_are_reported_in_the_language_asked_for() {
    let (tree, _outside) = hostile_tree();
    let ja = check_json("ja", &["."], tree.path());
    let en = check_json("en", &["."], tree.path());
    let ja_texts = texts(&ja);
    let en_texts = texts(&en);
    // Each kind of problem is there, in both runs.
    let all_en: String = en_texts.iter().map(|(_, t)| format!("{t}\n")).collect();
    for expected in [
        "invalid UTF-8",
        "HCL syntax error",
        "remote source",
        "var.encrypt_volumes has no default",
        "JSON syntax error",
        "YAML syntax error",
        "outside the project root",
        "unrendered Helm template",
    ] {
        assert!(
            all_en.contains(expected),
            "--lang en does not say {expected:?}:\n{all_en}"
        );
    }
    assert_eq!(
        ja_texts.len(),
        en_texts.len(),
        "the same entries in both languages"
    );
    let english = english_in(&ja_texts);
    assert!(english.is_empty(), "{}", english.join("\n"));
    let all_ja: String = ja_texts.iter().map(|(_, t)| format!("{t}\n")).collect();
    for expected in [
        "UTF-8 として不正です",
        "HCL の構文エラー",
        "リモートモジュール",
        "既定値がなく",
        "JSON の構文エラー",
        "YAML の構文エラー",
        "プロジェクトのルートの外",
        "Helm テンプレート",
    ] {
        assert!(
            all_ja.contains(expected),
            "--lang ja does not say {expected:?}:\n{all_ja}"
        );
    }
    // The English run reads as English: every entry has an English sentence or is a value.
    let english_entries = en_texts
        .iter()
        .filter(|(_, t)| english_sentence(t).is_some())
        .count();
    assert!(
        english_entries * 2 > en_texts.len(),
        "--lang en is not English:\n{all_en}"
    );

    // The text format shows the same Japanese.
    let out = kijun()
        .current_dir(tree.path())
        .args(["check", ".", "--lang", "ja", "--format", "text"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut by_kind: BTreeMap<&str, bool> = BTreeMap::new();
    for (at, t) in &ja_texts {
        if at.starts_with("findings") {
            continue;
        }
        let first = t.lines().next().unwrap_or("");
        by_kind.insert(first, text.contains(first));
    }
    let missing: Vec<_> = by_kind.iter().filter(|(_, shown)| !**shown).collect();
    assert!(
        missing.is_empty(),
        "not in the text report: {missing:?}\n{text}"
    );
    for phrase in ["not evaluated", "syntax error", "cannot", "is not"] {
        assert!(
            !text.contains(phrase),
            "the Japanese text report says {phrase:?}:\n{text}"
        );
    }
}

#[test]
fn plugin_errors_are_reported_in_the_language_asked_for() {
    let tree = Temp::new("plugins");
    let p = tree.path();
    std::fs::create_dir_all(p.join("plugins")).unwrap();
    std::fs::write(
        p.join("kijun.toml"),
        "[plugins]\npaths = [\"plugins/*.wasm\"]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    )
    .unwrap();
    // Not WebAssembly at all, and WebAssembly that does not parse.
    std::fs::write(p.join("plugins/text.wasm"), "not a module").unwrap();
    std::fs::write(p.join("plugins/cut.wasm"), b"\0asm\x01\0\0\0\x01\x05").unwrap();
    let errors = |lang: &str| -> Vec<String> {
        let v = check_json(lang, &["."], p);
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["file"].as_str().unwrap_or("").starts_with("plugins/"))
            .map(|e| e["message"].as_str().unwrap().to_string())
            .collect()
    };
    let en = errors("en");
    let ja = errors("ja");
    assert_eq!(en.len(), 2, "{en:?}");
    assert_eq!(ja.len(), 2, "{ja:?}");
    assert!(
        en.iter().any(|m| m.contains("is not a WebAssembly module")),
        "{en:?}"
    );
    assert!(
        en.iter()
            .any(|m| m.contains("is not a valid WebAssembly module")),
        "{en:?}"
    );
    assert!(
        ja.iter()
            .any(|m| m.contains("WebAssembly モジュールではありません")),
        "{ja:?}"
    );
    assert!(
        ja.iter()
            .any(|m| m.contains("WebAssembly モジュールとして不正です")),
        "{ja:?}"
    );
    for m in &ja {
        assert!(english_sentence(m).is_none(), "English in {m:?}");
    }
}

/// A usage error: exit code 2 and the message on stderr, for `kijun check` with `args` in `cwd`
/// (extra environment in `env`).
fn usage_error(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> String {
    let mut c = kijun();
    c.arg("check").args(args).current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.starts_with("kijun: "), "{args:?}: {stderr}");
    stderr
}

#[test]
fn usage_errors_are_reported_in_the_language_asked_for() {
    let tree = Temp::new("usage");
    let p = tree.path();
    std::fs::write(
        p.join("main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    )
    .unwrap();
    let bad_key = tree.path().join("bad-key");
    std::fs::create_dir_all(&bad_key).unwrap();
    std::fs::write(
        bad_key.join("kijun.toml"),
        "[classification]\nconfidentiality = 2\ncolour = 3\n",
    )
    .unwrap();
    let bad_level = tree.path().join("bad-level");
    std::fs::create_dir_all(&bad_level).unwrap();
    std::fs::write(
        bad_level.join("kijun.toml"),
        "[classification]\nintegrity = 3\n",
    )
    .unwrap();
    let bad_key = bad_key.to_str().unwrap();
    let bad_level = bad_level.to_str().unwrap();
    // (arguments, what the Japanese says, what the English says)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[bad_key],
            "設定ファイルを読めません",
            "kijun.toml:3:1: unknown field `colour`",
        ),
        (
            &[bad_level],
            "integrity（完全性）は 1 か 2 です",
            "integrity must be 1 or 2",
        ),
        (
            &[".", "--now", "notadate"],
            "--now には日付を YYYY-MM-DD で指定してください",
            "--now must be a date YYYY-MM-DD, not notadate",
        ),
        (
            &[".", "--rule", "KJ-XX-999"],
            "規則 `KJ-XX-999` はありません",
            "no rule KJ-XX-999; `kijun rules` lists them",
        ),
        (
            &[".", "--fail-on", "severe"],
            "重大度は info、low、medium、high のいずれかです",
            "--fail-on: severity must be info, low, medium or high, not severe",
        ),
        (
            &[".", "--var", "region"],
            "--var には name=value を指定してください",
            "--var needs name=value, got region",
        ),
        (
            &[".", "--assume", "mars_region=olympus"],
            "前提 `mars_region` は不明です",
            "--assume: unknown assumption mars_region",
        ),
        (
            &[".", "--exclude", "/"],
            "パターン `/` はパスを指していません",
            "--exclude: the pattern `/` names no path",
        ),
        (
            &["missing.tf"],
            "missing.tf: そのようなファイルやディレクトリはありません",
            "missing.tf: no such file or directory",
        ),
        (
            &[".", "--format", "json", "--format", "sarif"],
            "標準出力に書き出せる形式は一つだけです",
            "only one format can go to standard output, not json, sarif",
        ),
    ];
    for (args, ja, en) in cases {
        let with = |lang: &str| {
            let mut a = args.to_vec();
            a.extend(["--lang", lang]);
            usage_error(&a, &[], p)
        };
        let (in_ja, in_en) = (with("ja"), with("en"));
        assert!(in_ja.contains(ja), "{args:?}: {in_ja}");
        assert!(
            english_sentence(&in_ja).is_none(),
            "{args:?}: English in {in_ja:?}"
        );
        assert!(in_en.contains(en), "{args:?}: {in_en}");
        assert!(
            !in_en
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{args:?}: Japanese in {in_en:?}"
        );
    }
    // Without --lang: KIJUN_LANG, else the locale; a bad --lang is itself reported in the
    // locale's language.
    let e = usage_error(&[".", "--now", "x"], &[("KIJUN_LANG", "ja")], p);
    assert!(e.contains("--now には日付を"), "{e}");
    let e = usage_error(&[".", "--now", "x"], &[("LANG", "ja_JP.UTF-8")], p);
    assert!(e.contains("--now には日付を"), "{e}");
    let e = usage_error(&[".", "--lang", "fr"], &[("LC_ALL", "ja_JP.UTF-8")], p);
    assert!(e.contains("--lang は ja か en です"), "{e}");
    assert!(english_sentence(&e).is_none(), "English in {e:?}");
    let e = usage_error(&[".", "--lang", "fr"], &[], p);
    assert!(e.contains("--lang must be ja or en, not fr"), "{e}");
}

#[cfg(feature = "cluster")]
#[test]
fn cluster_connection_errors_are_reported_in_the_language_asked_for() {
    let home = Temp::new("cluster-home");
    let sa = Temp::new("cluster-sa");
    let run = |args: &[&str], lang: &str| -> String {
        let out = kijun()
            .arg("cluster")
            .args(args)
            .args(["--lang", lang])
            .env("HOME", home.path())
            .env("KIJUN_SERVICE_ACCOUNT_DIR", sa.path())
            .env_remove("KUBECONFIG")
            .env_remove("KUBERNETES_SERVICE_HOST")
            .env_remove("KUBERNETES_SERVICE_PORT")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        stderr
    };
    let missing = home.path().join("missing-kubeconfig");
    let missing = missing.to_str().unwrap();
    // (arguments, what the Japanese says, what the English says)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--context", "lab"],
            "--context には kubeconfig",
            "--context needs a kubeconfig",
        ),
        (
            &[],
            "KUBERNETES_SERVICE_HOST が設定されていません",
            "not in a Pod: KUBERNETES_SERVICE_HOST is not set",
        ),
        (&["--kubeconfig", missing], "--kubeconfig", "--kubeconfig"),
    ];
    for (args, ja, en) in cases {
        let (in_ja, in_en) = (run(args, "ja"), run(args, "en"));
        assert!(in_ja.contains(ja), "{args:?}: {in_ja}");
        assert!(
            english_sentence(&in_ja).is_none(),
            "{args:?}: English in {in_ja:?}"
        );
        assert!(in_en.contains(en), "{args:?}: {in_en}");
    }
}
