#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Stable-Rust smoke fuzzing: every entry point of `kijun::engine::fuzz` (the same functions the
//! libFuzzer targets in `fuzz/` call) runs over deterministic mutations of the repository's
//! fixtures and examples (byte flips, truncations, duplications, splices, inserted syntax) for a
//! time budget: `KIJUN_FUZZ_SECS` seconds per target (default 2; CI sets more). Mutations come
//! from a fixed seed (`KIJUN_FUZZ_SEED` to vary it), so a failure reproduces. A crashing input
//! is written to `target/fuzz-smoke/<target>-crash` and the test fails with its mutation
//! history; once fixed, add it under `tests/regressions/<target>/`, whose inputs every run of
//! that target takes first.

use kijun::engine::fuzz::TARGETS;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Syntax worth inserting: nesting, interpolation, anchors and aliases, BOM, CRLF, huge numbers,
/// expansions and the functions with size arguments.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "}",
    "\n",
    "\r\n",
    "\u{feff}",
    "&a ",
    "*a",
    "<<: *a",
    "!Ref ",
    "!If ",
    "!Sub ",
    "---\n",
    "\\",
    "\\u0000",
    "count = 4000000000",
    "for_each = ",
    "range(1e9)",
    "local.a",
    "var.x",
    "module.m.o",
    "dynamic \"x\" {",
    "[for x in ",
    "copy",
    "copyIndex()",
    "[variables('a')]",
    "[concat(",
    "Fn::Join",
    "Condition",
    "é",
    "日本",
    "1e308",
    "-0",
    "NaN",
    "null",
    "true",
    ":",
    ",",
    "#",
    "//",
    "/*",
    "<<EOT\n",
    "\nEOT\n",
    "source = \"../",
    "depends_on",
    "apiVersion: v1\nkind: Pod\n",
    "\t",
];

fn mutate(rng: &mut Rng, base: &[u8], corpus: &[Vec<u8>], log: &mut Vec<String>) -> Vec<u8> {
    let mut d = base.to_vec();
    for _ in 0..=rng.below(4) {
        let len = d.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                d[i] ^= 1 << rng.below(8);
                log.push(format!("flip@{i}"));
            }
            1 if len > 0 => {
                let i = rng.below(len);
                d[i] = (rng.next() & 0xff) as u8;
                log.push(format!("byte@{i}"));
            }
            2 => {
                let cut = rng.below(len + 1);
                d.truncate(cut);
                log.push(format!("truncate@{cut}"));
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                let chunk = d[a..b].to_vec();
                let times = 1 + rng.below(8);
                let at = rng.below(len + 1);
                for _ in 0..times {
                    d.splice(at..at, chunk.iter().copied());
                }
                log.push(format!("dup {a}..{b} x{times} @{at}"));
            }
            4 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(64)).min(len);
                d.drain(a..b);
                log.push(format!("delete {a}..{b}"));
            }
            5 if !corpus.is_empty() => {
                let other = &corpus[rng.below(corpus.len())];
                let a = rng.below(other.len() + 1);
                let b = (a + rng.below(512)).min(other.len());
                let at = rng.below(len + 1);
                d.splice(at..at, other[a..b].iter().copied());
                log.push(format!("splice {a}..{b} @{at}"));
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                d.splice(at..at, t.bytes());
                log.push(format!("insert {t:?} @{at}"));
            }
        }
    }
    d
}

/// Seed inputs: every fixture and example file of the right kind.
fn corpus(exts: &[&str]) -> Vec<Vec<u8>> {
    fn walk(dir: &Path, exts: &[&str], out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, exts, out);
            } else if exts.iter().any(|x| p.to_string_lossy().ends_with(x)) {
                if let Ok(b) = std::fs::read(&p) {
                    if b.len() <= 64 << 10 {
                        out.push((p, b));
                    }
                }
            }
        }
    }
    let mut files = Vec::new();
    for d in ["fixtures", "examples"] {
        walk(&root().join(d), exts, &mut files);
    }
    files.sort();
    let mut out: Vec<Vec<u8>> = files.into_iter().map(|(_, b)| b).collect();
    out.extend(BUILTIN.iter().map(|s| s.as_bytes().to_vec()));
    out
}

/// Small inputs of every format, so each target has seeds even where the fixtures have none
/// (there are no `.tf.json` fixtures, for one).
const BUILTIN: &[&str] = &[
    r#"{"resource": {"aws_ebs_volume": {"v": {"count": 2, "encrypted": "${var.e}", "size": 10}}},
 "variable": {"e": {"default": false}}, "locals": {"x": "${[for i in range(3) : i]}"},
 "module": {"m": {"source": "./m", "x": "${local.x}"}}}"#,
    r#"{"variable": {"region": {"default": "ap-northeast-1"}},
 "provider": {"aws": {"region": "${var.region}"}},
 "resource": {"aws_s3_bucket": {"b": {"bucket": "x", "tags": {"a": "${upper(\"b\")}"}}}}}"#,
    r#"locals {
  a = { for k, v in var.m : k => v if v != null }
  b = [for x in range(4) : "${x}-${local.c}"]
  c = try(jsondecode("{\"a\":1}").a, 0)
}
variable "m" {
  default = { x = 1 }
}
resource "aws_instance" "i" {
  count = length(local.b)
  tags  = merge(local.a, { n = count.index })
  dynamic "ebs_block_device" {
    for_each = local.a
    content {
      encrypted = ebs_block_device.value > 0
    }
  }
}
"#,
    r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  E:
    Type: String
    Default: x
Conditions:
  C: !Equals [!Ref E, x]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${E}-b"
      Tags: [{Key: a, Value: !If [C, !Join ["-", [a, !Ref E]], b]}]
"#,
    r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  namespace: n
  labels: &l {app: d}
spec:
  template:
    metadata:
      labels: *l
    spec:
      containers:
        - name: c
          image: x
          securityContext: {privileged: true}
---
apiVersion: v1
kind: Namespace
metadata: {name: n}
"#,
    r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "contentVersion": "1.0.0.0", "parameters": {"n": {"type": "int", "defaultValue": 2}},
 "variables": {"v": "[concat('a', string(parameters('n')))]"},
 "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
   "name": "[concat(variables('v'), copyIndex())]", "copy": {"name": "c", "count": "[parameters('n')]"},
   "properties": {"supportsHttpsTrafficOnly": false}}]}"#,
    r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
 {"address": "aws_ebs_volume.v", "type": "aws_ebs_volume", "name": "v", "values": {"encrypted": false}}]}},
 "configuration": {"root_module": {"resources": [{"address": "aws_ebs_volume.v",
 "expressions": {"encrypted": {"constant_value": false}}}]}}}"#,
];

fn exts(target: &str) -> &'static [&'static str] {
    match target {
        "hcl" => &[".tf", ".tfvars"],
        "terraform_json" => &[".tf.json"],
        "json" | "arm" | "plan" => &[".json"],
        "yaml" | "kubernetes" => &[".yaml", ".yml"],
        "cloudformation" => &[".yaml", ".yml", ".json", ".template"],
        _ => &[".tf", ".json", ".yaml", ".yml", ".tfvars"],
    }
}

fn budget() -> Duration {
    let secs = std::env::var("KIJUN_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

fn fuzz(name: &str) {
    let f = TARGETS.iter().find(|(n, _)| *n == name).unwrap().1;
    let mut seeds = corpus(exts(name));
    if name == "check" {
        // The whole-pipeline target takes a leading byte that picks the file name.
        seeds = seeds
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let mut v = vec![i as u8];
                v.extend(s);
                v
            })
            .collect();
    }
    // Inputs that once failed this target (as the target takes them, so after the file-name
    // byte of `check`) run first, whatever their names.
    let mut regressions: Vec<PathBuf> =
        std::fs::read_dir(root().join("tests/regressions").join(name))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
    regressions.sort();
    let replayed = regressions.len();
    for p in regressions.into_iter().rev() {
        seeds.push(std::fs::read(&p).unwrap());
    }
    assert!(!seeds.is_empty(), "no seed inputs for {name}");
    let seed = std::env::var("KIJUN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6b69_6a75_6e00_0000u64 ^ name.len() as u64);
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + budget();
    let mut runs = 0usize;
    // The seeds themselves first, then mutations until the time is up.
    let mut queue: Vec<(Vec<u8>, Vec<String>)> =
        seeds.iter().map(|s| (s.clone(), vec![])).collect();
    loop {
        let (input, log) = match queue.pop() {
            Some(x) => x,
            None => {
                if Instant::now() > deadline {
                    break;
                }
                let base = &seeds[rng.below(seeds.len())];
                let mut log = Vec::new();
                let m = mutate(&mut rng, base, &seeds, &mut log);
                (m, log)
            }
        };
        let started = Instant::now();
        let r = std::panic::catch_unwind(|| f(&input));
        runs += 1;
        let slow = started.elapsed() > Duration::from_secs(10);
        if r.is_err() || slow {
            let dir = root().join("target/fuzz-smoke");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{name}-crash"));
            std::fs::write(&path, &input).unwrap();
            panic!(
                "{name}: {} on input {} (seed {seed:#x}, run {runs}, mutations {log:?})",
                if slow { "too slow" } else { "panic" },
                path.display()
            );
        }
    }
    eprintln!("fuzz_smoke {name}: {runs} inputs ({replayed} regression inputs), seed {seed:#x}");
}

#[test]
fn fuzz_hcl() {
    fuzz("hcl");
}

#[test]
fn fuzz_terraform_json() {
    fuzz("terraform_json");
}

#[test]
fn fuzz_json() {
    fuzz("json");
}

#[test]
fn fuzz_yaml() {
    fuzz("yaml");
}

#[test]
fn fuzz_cloudformation() {
    fuzz("cloudformation");
}

#[test]
fn fuzz_arm() {
    fuzz("arm");
}

#[test]
fn fuzz_plan() {
    fuzz("plan");
}

#[test]
fn fuzz_kubernetes() {
    fuzz("kubernetes");
}

#[test]
fn fuzz_check() {
    fuzz("check");
}
