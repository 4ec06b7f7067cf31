#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! WASM policy plugins end to end: the example plugin (built from wasm/plugins/example with
//! cargo) finds what it should, where it should, through classification, exceptions, baselines
//! and the output formats; and every way a plugin can misbehave (endless loop, trap, memory
//! exhaustion, garbage or misshapen output, a bad pointer, missing exports, forbidden imports)
//! ends in bounded time with an error naming the plugin, exit code 1, and the built-in findings
//! still reported. The misbehaving plugins are written in WAT here, so no toolchain is needed
//! for them.

use crate::common;

use common::{answering, module, wat_string};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example plugin once per test run, as wasm/PLUGINS.md says.
fn example_wasm() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let target = repo().join("target").join("plugin-example");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let out = Command::new(cargo)
                .args([
                    "build",
                    "--release",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--manifest-path",
                ])
                .arg(repo().join("wasm/plugins/example/Cargo.toml"))
                .arg("--target-dir")
                .arg(&target)
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "building the example plugin failed (is the wasm32-unknown-unknown target installed?):\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let wasm = target.join("wasm32-unknown-unknown/release/kijun_plugin_example.wasm");
            assert!(wasm.is_file(), "{} was not built", wasm.display());
            wasm
        })
        .clone()
}

const MAIN_TF: &str = r#"resource "aws_s3_bucket" "logs" {
  bucket = "org-logs"
  tags = {
    owner = "infra"
  }
}

resource "aws_s3_bucket" "tagged" {
  bucket = "org-tagged"
  tags = {
    "cost-center" = "CC-1234"
  }
}

resource "aws_s3_bucket" "bare" {
  bucket = "org-bare"
}
"#;

/// A project directory with main.tf, plugins/ and an optional kijun.toml.
fn project(name: &str, config: Option<&str>) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-plugins-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("plugins")).unwrap();
    std::fs::write(d.join("main.tf"), MAIN_TF).unwrap();
    if let Some(c) = config {
        std::fs::write(d.join("kijun.toml"), c).unwrap();
    }
    d
}

fn kijun(args: &[&str], cwd: &Path) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(args)
        .current_dir(cwd)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("kijun runs");
    (out, start.elapsed())
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .collect()
}

fn builtin_count(v: &Value) -> usize {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"].as_str().unwrap().starts_with("KJ-"))
        .count()
}

fn with_example(name: &str, config: Option<&str>) -> PathBuf {
    let d = project(name, config);
    std::fs::copy(example_wasm(), d.join("plugins/org.wasm")).unwrap();
    d
}

const CONFIG: &str = "[plugins]\npaths = [\"plugins/*.wasm\"]\n";

#[test]
fn example_plugin_findings_have_positions_and_classification() {
    let d = with_example("example", Some(CONFIG));
    let (out, _) = kijun(&["check", "--format", "json", "--lang", "en", "."], &d);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["errors"], serde_json::json!([]), "{v:#}");
    let org = findings(&v, "ORG-001");
    let resources: Vec<&str> = org
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(
        resources,
        ["aws_s3_bucket.logs", "aws_s3_bucket.bare"],
        "{v:#}"
    );
    // With tags: the finding points at the tags; without: at the resource header.
    let logs = org[0];
    assert_eq!(logs["file"], "main.tf");
    assert_eq!(
        (logs["line"].as_u64(), logs["column"].as_u64()),
        (Some(3), Some(10))
    );
    let bare = org[1];
    assert_eq!(bare["line"], 15);
    assert_eq!(logs["rule_name"], "s3-bucket-cost-center-tag");
    assert_eq!(logs["articles"], serde_json::json!(["69-2"]));
    assert_eq!(logs["status"], "failed");
    assert_eq!(logs["kind"], "aws_s3_bucket");
    // Default classification 2/2/2: the plugin's severity table says medium at 2.
    assert_eq!(logs["severity"], "medium");
    assert_eq!(logs["classification"]["confidentiality"], 2);
    assert_eq!(
        logs["message"],
        "S3 bucket aws_s3_bucket.logs has no cost-center tag: `cost-center` is missing from tags"
    );
    assert!(logs["remediation"]
        .as_str()
        .unwrap()
        .contains("cost-center"));
    assert!(builtin_count(&v) > 0, "built-in rules ran too");

    // Classification drives the plugin's severity like a built-in rule's.
    let (out, _) = kijun(
        &[
            "check",
            "--format",
            "json",
            "--classification",
            "c=1,i=1,a=1",
            ".",
        ],
        &d,
    );
    let v = json(&out);
    let org = findings(&v, "ORG-001");
    assert_eq!(org.len(), 2);
    assert_eq!(org[0]["severity"], "low");
    assert_eq!(org[0]["classification"]["confidentiality"], 1);

    // The plugin's text in the language asked for.
    let (out, _) = kijun(&["check", "--format", "json", "--lang", "ja", "."], &d);
    let v = json(&out);
    assert!(findings(&v, "ORG-001")[0]["message"]
        .as_str()
        .unwrap()
        .contains("tags に `cost-center` がありません"));
}

#[test]
fn example_plugin_from_the_command_line_with_rule_selection() {
    let d = project("cli", None);
    let wasm = example_wasm();
    let wasm = wasm.to_str().unwrap();
    let (out, _) = kijun(
        &[
            "check", "--format", "json", "--plugin", wasm, "--rule", "ORG-001", ".",
        ],
        &d,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(findings(&v, "ORG-001").len(), 2);
    assert_eq!(
        builtin_count(&v),
        0,
        "--rule ORG-001 selects the plugin's rule only"
    );

    let (out, _) = kijun(
        &[
            "check",
            "--format",
            "json",
            "--plugin",
            wasm,
            "--skip-rule",
            "ORG-001",
            ".",
        ],
        &d,
    );
    let v = json(&out);
    assert!(findings(&v, "ORG-001").is_empty());
    assert!(builtin_count(&v) > 0);

    // Without the plugin the rule is unknown.
    let (out, _) = kijun(&["check", "--rule", "ORG-001", "."], &d);
    assert_eq!(out.status.code(), Some(2));

    // A missing plugin file is a usage error.
    let (out, _) = kijun(&["check", "--plugin", "nope.wasm", "."], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.wasm"));
}

#[test]
fn example_plugin_findings_can_be_excepted_and_baselined() {
    let config = format!("{CONFIG}\n[exceptions]\nledger = \"kijun-exceptions.toml\"\n");
    let d = with_example("ledger", Some(&config));
    std::fs::write(
        d.join("kijun-exceptions.toml"),
        r#"[[exception]]
id = "EX-2025-007"
rules = ["ORG-001"]
resources = ["aws_s3_bucket.logs", "aws_s3_bucket.bare"]
reason = "Buckets charged centrally until the FY2026 reorganisation"
requested_by = "tanaka"
approved_by = "suzuki"
approved_on = 2025-04-01
expires_on = 2099-03-31
"#,
    )
    .unwrap();
    let (out, _) = kijun(
        &["check", "--format", "json", "--now", "2025-06-01", "."],
        &d,
    );
    let v = json(&out);
    let org = findings(&v, "ORG-001");
    assert_eq!(org.len(), 2);
    for f in &org {
        assert_eq!(f["status"], "excepted", "{f:#}");
        assert_eq!(f["exception"]["id"], "EX-2025-007");
    }
    let ledger = v["exceptions"].as_array().unwrap();
    assert_eq!(ledger[0]["state"], "active");
    assert_eq!(ledger[0]["findings"], 2);

    // Baselines take plugin findings like built-in ones.
    let d = with_example("baseline", Some(CONFIG));
    let (out, _) = kijun(&["check", "--write-baseline", "baseline.json", "."], &d);
    assert_eq!(out.status.code(), Some(1));
    let (out, _) = kijun(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
        &d,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert!(findings(&v, "ORG-001")
        .iter()
        .all(|f| f["status"] == "baselined"));
}

#[test]
fn example_plugin_findings_reach_every_format() {
    let d = with_example("formats", Some(CONFIG));
    for format in [
        "text", "sarif", "junit", "github", "gitlab", "markdown", "html",
    ] {
        let (out, _) = kijun(&["check", "--format", format, "--lang", "en", "."], &d);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("ORG-001"), "{format}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Misbehaving plugins, in WAT.

/// Writes the WAT module, compiled, into `dir/plugins/NAME.wasm`.
fn plugin(dir: &Path, name: &str, wat: &str) {
    let bytes = wat::parse_str(wat).unwrap_or_else(|e| panic!("{name}: {e}"));
    std::fs::write(dir.join(format!("plugins/{name}.wasm")), bytes).unwrap();
}

/// Runs a scan with one bad plugin and checks the common contract: bounded time, exit 1, one
/// error naming the plugin's file whose message contains `expect`, built-in findings intact.
fn fails(name: &str, wat: &str, expect: &str) -> Value {
    let d = project(name, Some(CONFIG));
    plugin(&d, name, wat);
    check_failure(&d, name, expect)
}

/// Peak resident set size of a running process, from /proc (Linux only).
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Peak memory allowed for a scan of MAIN_TF with one misbehaving plugin: the plugin's memory
/// cap (256 MiB) and its answer cap (16 MiB, read and parsed) with room for the runtime.
const MAX_RSS_KB: u64 = 700_000;

/// `kijun check --format json --lang en .` with its peak memory (0 where /proc is absent).
fn kijun_measured(d: &Path) -> (Output, Duration, u64) {
    use std::io::Read;
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", "--format", "json", "--lang", "en", "."])
        .current_dir(d)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kijun runs");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kijun did not finish within 120 s in {}", d.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = start.elapsed();
    let output = Output {
        status,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    };
    (output, took, peak)
}

/// The built-in findings of a scan, whole.
fn builtin(v: &Value) -> Vec<Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"].as_str().unwrap().starts_with("KJ-"))
        .cloned()
        .collect()
}

/// The built-in findings of the same project without any plugin.
fn builtin_without_plugins(d: &Path) -> Vec<Value> {
    let r = std::env::temp_dir().join(format!(
        "kijun-plugins-reference-{}-{}",
        d.file_name().unwrap().to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&r);
    std::fs::create_dir_all(&r).unwrap();
    for e in std::fs::read_dir(d).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "tf") {
            std::fs::copy(e.path(), r.join(e.file_name())).unwrap();
        }
    }
    let (out, _) = kijun(&["check", "--format", "json", "--lang", "en", "."], &r);
    let v = json(&out);
    assert_eq!(v["errors"], serde_json::json!([]));
    let _ = std::fs::remove_dir_all(&r);
    let b = builtin(&v);
    assert!(!b.is_empty());
    b
}

fn check_failure(d: &Path, name: &str, expect: &str) -> Value {
    let (out, took, peak) = kijun_measured(d);
    assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    assert!(
        peak <= MAX_RSS_KB,
        "{name}: peak memory {peak} KiB, over {MAX_RSS_KB} KiB"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let file = format!("plugins/{name}.wasm");
    let errors: Vec<&Value> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["file"] == file.as_str())
        .collect();
    assert_eq!(errors.len(), 1, "{name}: {:#}", v["errors"]);
    let msg = errors[0]["message"].as_str().unwrap();
    assert!(
        msg.contains(&file),
        "{name}: the message names the plugin: {msg}"
    );
    assert!(msg.contains(expect), "{name}: {msg:?} lacks {expect:?}");
    // The built-in findings are exactly those of a scan without the plugin.
    let reference = builtin_without_plugins(d);
    assert_eq!(
        builtin(&v),
        reference,
        "{name}: the built-in findings changed beside a failing plugin"
    );
    // The text format shows the error and the same built-in findings.
    let (out, _) = kijun(&["check", "--lang", "en", "."], d);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&file), "{name}: {text}");
    for f in &reference {
        let id = f["rule_id"].as_str().unwrap();
        assert!(
            text.contains(id),
            "{name}: {id} missing from the text report:\n{text}"
        );
    }
    v
}

#[test]
fn endless_loop_runs_out_of_fuel() {
    fails(
        "loop",
        &module("(loop $l (br $l)) (unreachable)", ""),
        "used up its fuel",
    );
}

#[test]
fn fuel_is_configurable() {
    let d = project(
        "fuel",
        Some("[plugins]\npaths = [\"plugins/*.wasm\"]\nfuel = 1000\n"),
    );
    // Counts to a million: fine with the default fuel, too much for 1000 units.
    let body = r#"(local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000000))))
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 15))"#;
    plugin(
        &d,
        "fuel",
        &module(body, "(data (i32.const 16) \"{\\\"findings\\\":[]}\")"),
    );
    check_failure(&d, "fuel", "used up its fuel");
    std::fs::write(d.join("kijun.toml"), CONFIG).unwrap();
    let (out, _) = kijun(&["check", "--format", "json", "."], &d);
    assert_eq!(json(&out)["errors"], serde_json::json!([]));
}

#[test]
fn trap_is_reported() {
    fails("trap", &module("(unreachable)", ""), "unreachable");
}

#[test]
fn memory_exhaustion_is_stopped_at_the_cap() {
    let body = r#"(loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    (i64.const 0)"#;
    fails(
        "hog",
        &module(body, ""),
        "MiB of memory, over the limit of 256 MiB",
    );
    // A module asking for more than the cap up front never starts.
    let big = module("(i64.const 0)", "").replace(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 8192)",
    );
    fails("big", &big, "over the limit of 256 MiB");
}

#[test]
fn garbage_output_is_rejected() {
    fails(
        "garbage",
        &answering("this is not JSON", ""),
        "its answer is not JSON",
    );
    fails(
        "shape",
        &answering(r#"{"findings": {"rule_id": "ORG-9"}}"#, ""),
        "not of the expected shape",
    );
    fails(
        "extra",
        &answering(r#"{"findings": [], "status": "ok"}"#, ""),
        "unknown field `status`",
    );
    fails(
        "unknown-resource",
        &answering(
            r#"{"findings": [{"rule_id": "ORG-9", "address": "aws_s3_bucket.nope", "detail": {"ja": "x", "en": "x"}}]}"#,
            "",
        ),
        "not among the resources",
    );
    fails(
        "kj-finding",
        &answering(
            r#"{"findings": [{"rule_id": "KJ-E1-001", "address": "aws_s3_bucket.logs", "detail": {"ja": "x", "en": "x"}}]}"#,
            "",
        ),
        "reserved for kijun's built-in rules",
    );
    fails(
        "utf8",
        &module(
            "(i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 2))",
            "(data (i32.const 16) \"\\ff\\fe\")",
        ),
        "not UTF-8",
    );
}

#[test]
fn bad_pointers_are_caught() {
    // An answer past the end of memory.
    fails(
        "pointer",
        &module(
            "(i64.or (i64.shl (i64.const 0xfff00000) (i64.const 32)) (i64.const 64))",
            "",
        ),
        "outside its memory",
    );
    // An answer larger than the output cap.
    fails(
        "huge",
        &module(
            "(i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 0x7fffffff))",
            "",
        ),
        "over the output limit",
    );
    // kijun_alloc handing out memory the module does not have.
    let bad_alloc = module("(i64.const 0)", "").replace(
        "(local.get $p))",
        "(drop (local.get $p)) (i32.const 0x7ffffff0))",
    );
    fails("alloc", &bad_alloc, "outside its memory");
}

#[test]
fn modules_that_are_not_plugins_are_rejected() {
    fails(
        "exports",
        r#"(module (memory (export "memory") 1)
             (func (export "kijun_plugin_abi") (result i32) (i32.const 1)))"#,
        "`kijun_check` is missing",
    );
    fails(
        "signature",
        &module("(i64.const 0)", "").replace(
            "(func (export \"kijun_free\") (param i32 i32))",
            "(func (export \"kijun_free\") (param i32))",
        ),
        "`kijun_free` has type (i32) -> (), not (i32, i32) -> ()",
    );
    fails(
        "abi",
        &module("(i64.const 0)", "")
            .replace("(result i32) (i32.const 1))", "(result i32) (i32.const 2))"),
        "speaks plugin ABI 2",
    );
    let d = project("notwasm", Some(CONFIG));
    std::fs::write(d.join("plugins/notwasm.wasm"), b"\x7fELF not a module").unwrap();
    check_failure(&d, "notwasm", "is not a WebAssembly module");
}

#[test]
fn imports_are_forbidden() {
    let wat = module("(i64.const 0)", "").replacen(
        "(module",
        r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))"#,
        1,
    );
    fails("wasi", &wat, "imports wasi_snapshot_preview1::fd_write");
}

#[test]
fn metadata_is_checked() {
    let kj = answering(
        "{\"findings\": []}",
        &format!(
            "(data (i32.const 2048) \"{}\")\n(func (export \"kijun_plugin_metadata\") (result i64) (i64.or (i64.shl (i64.const 2048) (i64.const 32)) (i64.const {})))",
            wat_string(META_KJ),
            META_KJ.len()
        ),
    );
    fails("kjmeta", &kj, "reserved for kijun's built-in rules");
    // A finding for a rule the metadata does not declare.
    let undeclared = answering(
        r#"{"findings": [{"rule_id": "ORG-2", "address": "aws_s3_bucket.logs", "detail": {"ja": "x", "en": "x"}}]}"#,
        &format!(
            "(data (i32.const 2048) \"{}\")\n(func (export \"kijun_plugin_metadata\") (result i64) (i64.or (i64.shl (i64.const 2048) (i64.const 32)) (i64.const {})))",
            wat_string(META_ORG1),
            META_ORG1.len()
        ),
    );
    fails("undeclared", &undeclared, "does not declare");
}

const META_KJ: &str = r#"{"rules": [{"id": "KJ-E1-001", "severity": {"1": "high"}, "title": {"ja": "x", "en": "x"}}]}"#;
const META_ORG1: &str =
    r#"{"rules": [{"id": "ORG-1", "severity": {"1": "high"}, "title": {"ja": "x", "en": "x"}}]}"#;

#[test]
fn plugin_without_metadata_gets_default_metadata() {
    let d = project("nometa", Some(CONFIG));
    plugin(
        &d,
        "nometa",
        &answering(
            r#"{"findings": [{"rule_id": "ORG-900", "address": "aws_s3_bucket.logs", "attribute": "bucket", "detail": {"ja": "x", "en": "bucket name"}}]}"#,
            "",
        ),
    );
    let (out, _) = kijun(&["check", "--format", "json", "--lang", "en", "."], &d);
    let v = json(&out);
    assert_eq!(v["errors"], serde_json::json!([]), "{v:#}");
    let f = findings(&v, "ORG-900");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["severity"], "medium");
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(2), Some(12))
    );
}

#[test]
fn a_broken_plugin_does_not_stop_a_working_one() {
    let d = with_example("mixed", Some(CONFIG));
    plugin(&d, "trap", &module("(unreachable)", ""));
    let v = check_failure(&d, "trap", "unreachable");
    assert_eq!(findings(&v, "ORG-001").len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Plugins whose answers, taken call by call, are within the limits, but not taken together.

/// A plugin without metadata whose `kijun_check` answers `answer` however large: the answer
/// sits in a data segment and the allocator starts after it.
fn answering_large(answer: &str) -> String {
    let end = 16 + answer.len();
    let start = end.div_ceil(4096) * 4096;
    let pages = (start + (1 << 20)).div_ceil(65536);
    answering(answer, "")
        .replace(
            "(memory (export \"memory\") 1)",
            &format!("(memory (export \"memory\") {pages})"),
        )
        .replace(
            "(global $bump (mut i32) (i32.const 4096))",
            &format!("(global $bump (mut i32) (i32.const {start}))"),
        )
}

/// `n` findings of ORG-900 on aws_s3_bucket.logs.
fn many_findings(n: usize) -> String {
    let one = r#"{"rule_id": "ORG-900", "address": "aws_s3_bucket.logs", "detail": {"ja": "x", "en": "x"}}"#;
    format!("{{\"findings\": [{}]}}", vec![one; n].join(","))
}

#[test]
fn findings_per_call_are_capped() {
    fails(
        "flood",
        &answering_large(&many_findings(10_001)),
        "more than 10000 findings, the limit for one call",
    );
    // At the limit the answer is taken (the findings are the same one, reported once).
    let d = project("flood-ok", Some(CONFIG));
    plugin(&d, "ok", &answering_large(&many_findings(10_000)));
    let (out, _) = kijun(&["check", "--format", "json", "."], &d);
    let v = json(&out);
    assert_eq!(v["errors"], serde_json::json!([]), "{v:#}");
    assert_eq!(findings(&v, "ORG-900").len(), 1);
}

#[test]
fn findings_per_scan_are_capped() {
    // Three Terraform roots, 10,000 findings each: every answer within the per-call limit, the
    // scan over the per-plugin limit of 20,000.
    let d = project("flood-scan", Some(CONFIG));
    std::fs::remove_file(d.join("main.tf")).unwrap();
    for root in ["a", "b", "c"] {
        std::fs::create_dir_all(d.join(root)).unwrap();
        std::fs::write(d.join(root).join("main.tf"), MAIN_TF).unwrap();
    }
    plugin(&d, "flood", &answering_large(&many_findings(10_000)));
    let (out, took, peak) = kijun_measured(&d);
    assert!(took < Duration::from_secs(60), "{took:?}");
    assert!(peak <= MAX_RSS_KB, "peak memory {peak} KiB");
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let errors: Vec<&Value> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["file"] == "plugins/flood.wasm")
        .collect();
    assert_eq!(errors.len(), 1, "{:#}", v["errors"]);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("more than 20000 findings in this scan"),
        "{:#}",
        errors[0]
    );
    // The built-in findings of all three roots are there.
    for root in ["a", "b", "c"] {
        let file = format!("{root}/main.tf");
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["file"] == file.as_str()
                    && f["rule_id"].as_str().unwrap().starts_with("KJ-")),
            "{file}"
        );
    }
}

/// A looping plugin uses its fuel once per scan, not once per model: with one worker thread,
/// a scan of twenty Terraform roots takes about as long as a scan of one (it took twenty times
/// as long when every root paid the fuel again).
#[test]
fn a_failed_plugin_is_not_called_again_in_the_scan() {
    let looping = module("(loop $l (br $l)) (unreachable)", "");
    // A fifth of the default fuel keeps each failed call short; the ratio is what counts.
    let config = "[plugins]\npaths = [\"plugins/*.wasm\"]\nfuel = 200000000\n";
    let timed = |name: &str, roots: usize| -> (Duration, Value) {
        let d = project(name, Some(config));
        std::fs::remove_file(d.join("main.tf")).unwrap();
        for i in 0..roots {
            let root = d.join(format!("root{i:02}"));
            std::fs::create_dir_all(&root).unwrap();
            std::fs::write(root.join("main.tf"), MAIN_TF).unwrap();
        }
        plugin(&d, "loop", &looping);
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
            .args(["check", "--format", "json", "--lang", "en", "."])
            .current_dir(&d)
            .env("RAYON_NUM_THREADS", "1")
            .output()
            .unwrap();
        let took = start.elapsed();
        assert_eq!(out.status.code(), Some(1));
        (took, json(&out))
    };
    let (one, _) = timed("loop-1", 1);
    let (twenty, v) = timed("loop-20", 20);
    let errors: Vec<&Value> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["file"] == "plugins/loop.wasm")
        .collect();
    assert_eq!(errors.len(), 1, "reported once: {:#}", v["errors"]);
    let msg = errors[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("used up its fuel") && msg.contains("not called again"),
        "{msg}"
    );
    assert!(
        twenty < one * 4,
        "twenty roots took {twenty:?}, one root {one:?}: the plugin ran again after it failed"
    );
    // The built-in rules still ran on every root.
    for i in 0..20 {
        let file = format!("root{i:02}/main.tf");
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["file"] == file.as_str()),
            "{file}"
        );
    }
}

/// `--rule` and `--skip-rule` with an id no plugin could use stay usage errors beside any
/// plugin, with or without metadata; built-in findings never vanish behind them.
#[test]
fn rule_selection_cannot_hide_builtin_findings() {
    let d = project("select", Some(CONFIG));
    plugin(
        &d,
        "nometa",
        &answering(
            r#"{"findings": [{"rule_id": "ORG-900", "address": "aws_s3_bucket.logs", "detail": {"ja": "x", "en": "x"}}]}"#,
            "",
        ),
    );
    for args in [
        ["--rule", "KJ-E1-999"],
        ["--rule", "kj-e1-001"],
        ["--skip-rule", "KJ-Z9-000"],
    ] {
        let (out, _) = kijun(&["check", "--format", "json", args[0], args[1], "."], &d);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!("no rule {}", args[1])),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A plugin with metadata cannot make a KJ- id valid either.
    let m = project("select-meta", Some(CONFIG));
    plugin(
        &m,
        "meta",
        &answering(
            "{\"findings\": []}",
            &format!(
                "(data (i32.const 2048) \"{}\")\n(func (export \"kijun_plugin_metadata\") (result i64) (i64.or (i64.shl (i64.const 2048) (i64.const 32)) (i64.const {})))",
                wat_string(META_ORG1),
                META_ORG1.len()
            ),
        ),
    );
    let (out, _) = kijun(&["check", "--rule", "KJ-E1-999", "."], &m);
    assert_eq!(out.status.code(), Some(2));
    // A built-in id beside the metadata-less plugin selects exactly that rule's findings,
    // those of a scan without the plugin.
    let (out, _) = kijun(
        &[
            "check",
            "--format",
            "json",
            "--lang",
            "en",
            "--rule",
            "KJ-E1-001",
            ".",
        ],
        &d,
    );
    let v = json(&out);
    let reference: Vec<Value> = builtin_without_plugins(&d)
        .into_iter()
        .filter(|f| f["rule_id"] == "KJ-E1-001")
        .collect();
    let got: Vec<Value> = v["findings"].as_array().unwrap().clone();
    if reference.is_empty() {
        assert!(got.is_empty());
    } else {
        assert_eq!(got, reference);
    }
    // An id a plugin may use is accepted beside it, as the plugin might report it.
    let (out, _) = kijun(&["check", "--format", "json", "--rule", "ORG-900", "."], &d);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&json(&out), "ORG-900").len(), 1);
}

/// `[plugins] memory_mib` and `output_mib` in kijun.toml set the caps a plugin runs under.
#[test]
fn memory_and_output_limits_are_configurable() {
    // Grows its memory by 2 MiB (32 pages) and answers no findings.
    let grows = module(
        "(drop (memory.grow (i32.const 32))) (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 15))",
        "(data (i32.const 16) \"{\\\"findings\\\":[]}\")",
    );
    let d = project(
        "memory-mib",
        Some("[plugins]\npaths = [\"plugins/*.wasm\"]\nmemory_mib = 1\n"),
    );
    plugin(&d, "grows", &grows);
    check_failure(&d, "grows", "over the limit of 1 MiB ([plugins] memory_mib");
    std::fs::write(
        d.join("kijun.toml"),
        "[plugins]\npaths = [\"plugins/*.wasm\"]\nmemory_mib = 4\n",
    )
    .unwrap();
    let (out, _) = kijun(&["check", "--format", "json", "."], &d);
    assert_eq!(json(&out)["errors"], serde_json::json!([]));

    // An answer of 1.5 MiB (no findings, padded with spaces).
    let padded = format!("{{\"findings\": []}}{}", " ".repeat(1_572_864 - 16));
    let d = project(
        "output-mib",
        Some("[plugins]\npaths = [\"plugins/*.wasm\"]\noutput_mib = 1\n"),
    );
    plugin(&d, "wordy", &answering_large(&padded));
    check_failure(
        &d,
        "wordy",
        "over the output limit of 1 MiB ([plugins] output_mib",
    );
    std::fs::write(
        d.join("kijun.toml"),
        "[plugins]\npaths = [\"plugins/*.wasm\"]\noutput_mib = 2\n",
    )
    .unwrap();
    let (out, _) = kijun(&["check", "--format", "json", "."], &d);
    assert_eq!(json(&out)["errors"], serde_json::json!([]));

    // Out of range is a usage error naming the key.
    std::fs::write(
        d.join("kijun.toml"),
        "[plugins]\npaths = [\"plugins/*.wasm\"]\nmemory_mib = 0\n",
    )
    .unwrap();
    let (out, _) = kijun(&["check", "."], &d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("memory_mib"));
}

/// A finding the plugin could not judge is listed under not_evaluated with its reason, never
/// counted as a failure or a pass.
#[test]
fn plugin_not_evaluated_is_reported_as_such() {
    let d = project("not-evaluated", Some(CONFIG));
    plugin(
        &d,
        "unsure",
        &answering(
            r#"{"findings": [{"rule_id": "ORG-901", "address": "aws_s3_bucket.bare", "detail": {"ja": "タグが不明", "en": "tags are not known until apply"}, "not_evaluated": true}]}"#,
            "",
        ),
    );
    let (out, _) = kijun(&["check", "--format", "json", "--lang", "en", "."], &d);
    let v = json(&out);
    assert_eq!(v["errors"], serde_json::json!([]), "{v:#}");
    assert!(findings(&v, "ORG-901").is_empty(), "not a finding: {v:#}");
    let ne: Vec<&Value> = v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["rule_id"] == "ORG-901")
        .collect();
    assert_eq!(ne.len(), 1, "{v:#}");
    assert_eq!(ne[0]["resource"], "aws_s3_bucket.bare");
    assert_eq!(ne[0]["file"], "main.tf");
    assert_eq!(ne[0]["line"], 15);
    assert_eq!(ne[0]["reason"], "tags are not known until apply");
    // The same scan without the plugin fails exactly as often: the item counts as neither.
    assert_eq!(builtin(&v), builtin_without_plugins(&d));
    let (out, _) = kijun(&["check", "--lang", "ja", "--format", "json", "."], &d);
    let v = json(&out);
    assert!(v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["rule_id"] == "ORG-901" && n["reason"] == "タグが不明"));
}

/// The worst case the caps allow, for measuring (docs/performance.md): a plugin without
/// metadata that answers 10,000 distinct findings of about 1.5 KB each (just under the 16 MiB
/// answer cap) on every model, beside `roots` Terraform roots. Writes the project to
/// `KIJUN_WORST_CASE_DIR`:
/// `KIJUN_WORST_CASE_DIR=/tmp/worst cargo test --test it plugins::worst_case_project -- --ignored`.
#[test]
#[ignore = "writes a project for measuring by hand; see docs/performance.md"]
fn worst_case_project() {
    let dir = PathBuf::from(std::env::var("KIJUN_WORST_CASE_DIR").expect("KIJUN_WORST_CASE_DIR"));
    let roots: usize = std::env::var("KIJUN_WORST_CASE_ROOTS")
        .ok()
        .map(|r| r.parse().unwrap())
        .unwrap_or(2);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("plugins")).unwrap();
    std::fs::write(dir.join("kijun.toml"), CONFIG).unwrap();
    for i in 0..roots {
        let root = dir.join(format!("root{i:02}"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("main.tf"), MAIN_TF).unwrap();
    }
    let filler = "x".repeat(700);
    let findings: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#"{{"rule_id": "ORG-{:03}", "address": "aws_s3_bucket.logs", "attribute": "tags", "detail": {{"ja": "{i} {filler}", "en": "{i} {filler}"}}}}"#,
                i % 100
            )
        })
        .collect();
    let answer = format!("{{\"findings\": [{}]}}", findings.join(","));
    assert!(answer.len() < 16 << 20, "{} bytes", answer.len());
    plugin(&dir, "worst", &answering_large(&answer));
}
