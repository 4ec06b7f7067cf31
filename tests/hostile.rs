#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Hostile input through the real command line: every case must end in bounded time (a watchdog
//! kills the process after a deadline) and bounded memory, print valid JSON, exit 0, 1 or 2,
//! never panic, report a clear error naming the file and position, and go on with the rest of
//! the scan (a normal failing file, `canary.tf`, sits beside every hostile input and its finding
//! must still be reported). Inputs are generated here, in temporary directories.

use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Past this the process is killed and the test fails.
const DEADLINE: Duration = Duration::from_secs(20);
/// Peak resident memory allowed for any of these scans (Linux, where it can be read).
const MAX_RSS_KB: u64 = 1_500_000;

const CANARY: &str = r#"resource "aws_ebs_volume" "canary" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}
"#;

/// A scratch directory with the canary in it, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("kijun-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("canary.tf"), CANARY).unwrap();
        Scratch(d)
    }

    fn write(&self, rel: &str, data: impl AsRef<[u8]>) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
        self
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stderr: String,
    json: Value,
    elapsed: Duration,
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

/// `kijun check . --format json` in the scratch directory, under the watchdog.
fn kijun(dir: &Scratch, extra: &[&str]) -> Run {
    kijun_via(
        dir,
        extra,
        &[],
        std::path::Path::new(env!("CARGO_BIN_EXE_kijun")),
    )
}

/// The same with the binary `bin`, run through `wrapper` (a command and its arguments, the
/// binary appended).
fn kijun_via(dir: &Scratch, extra: &[&str], wrapper: &[&str], bin: &std::path::Path) -> Run {
    let mut cmd = match wrapper.split_first() {
        Some((w, args)) => {
            let mut c = Command::new(w);
            c.args(args).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let mut child = cmd
        .current_dir(&dir.0)
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--lang",
            "en",
            "--now",
            "2026-01-01",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // Drain both pipes on threads so a large report cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut peak = 0u64;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "kijun did not finish within {DEADLINE:?} in {}",
                dir.0.display()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = out_t.join().unwrap();
    let stderr = err_t.join().unwrap();
    assert!(
        peak <= MAX_RSS_KB,
        "peak memory {peak} KiB over {MAX_RSS_KB} KiB in {}",
        dir.0.display()
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let code = status.code().unwrap_or(-1);
    assert!(
        (0..=2).contains(&code),
        "exit status {status:?}, stderr: {stderr}"
    );
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "output is not JSON ({e}): {}",
            stdout.chars().take(400).collect::<String>()
        )
    });
    Run {
        code,
        stderr,
        json,
        elapsed,
    }
}

impl Run {
    fn errors(&self) -> &Vec<Value> {
        self.json["errors"].as_array().unwrap()
    }

    /// An error at `file` whose message contains `needle`; returns its (line, column).
    fn error(&self, file: &str, needle: &str) -> (u64, u64) {
        let e = self
            .errors()
            .iter()
            .find(|e| e["file"] == file && e["message"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| {
                panic!(
                    "no error at {file} containing {needle:?}; errors: {:#}",
                    self.json["errors"]
                )
            });
        let (l, c) = (e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap());
        assert!(l >= 1 && c >= 1, "{e}");
        (l, c)
    }

    /// The canary's finding is reported: the rest of the scan went on.
    fn canary(&self) -> &Self {
        assert!(
            self.json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["file"] == "canary.tf" && f["rule_id"] == "KJ-E1-001"),
            "canary finding missing; errors: {:#}",
            self.json["errors"]
        );
        assert_eq!(self.code, 1, "{}", self.stderr);
        self
    }

    fn findings_of(&self, resource: &str) -> usize {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["resource"] == resource)
            .count()
    }
}

fn nest(open: &str, close: &str, n: usize, inner: &str) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + inner.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

const DEEP: usize = 300_000;

const ARM_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

#[test]
fn deeply_nested_json() {
    let d = Scratch::new("deep-json");
    d.write(
        "template.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}}",
            nest("[", "]", DEEP, "")
        ),
    );
    d.write(
        "objects.json",
        format!(
            "{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": {}}}",
            nest("{\"a\":", "}", DEEP, "1")
        ),
    );
    let r = kijun(&d, &[]);
    r.canary();
    let (line, col) = r.error("template.json", "nesting deeper than 256");
    assert_eq!(line, 1);
    assert!(col > 57, "{col}");
    r.error("objects.json", "nesting deeper than");
}

#[test]
fn deeply_nested_yaml() {
    let d = Scratch::new("deep-yaml");
    d.write(
        "flow.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: {}\n",
            nest("[", "]", DEEP, "")
        ),
    );
    // Block nesting: indentation grows with depth, so a thousand levels is already big.
    let mut block = String::from("apiVersion: v1\nkind: ConfigMap\ndata:\n");
    for i in 0..1_000 {
        block.push_str(&" ".repeat(i + 2));
        block.push_str("a:\n");
    }
    d.write("block.yaml", block);
    let r = kijun(&d, &[]);
    r.canary();
    assert_eq!(r.error("flow.yaml", "YAML syntax error").0, 4);
    r.error("block.yaml", "nesting deeper than");
}

#[test]
fn deeply_nested_hcl() {
    let d = Scratch::new("deep-hcl");
    d.write(
        "a/main.tf",
        format!("locals {{\n  x = {}\n}}\n", nest("[", "]", DEEP, "")),
    );
    d.write(
        "b/main.tf",
        format!("locals {{\n  x = {}\n}}\n", nest("(", ")", DEEP, "1")),
    );
    d.write(
        "c/main.tf",
        format!("locals {{\n  x = {}\n}}\n", nest("{a=", "}", DEEP, "1")),
    );
    d.write(
        "d/main.tf",
        format!(
            "resource \"a\" \"b\" {{\n{}}}\n",
            nest("x {\n", "}\n", DEEP, "")
        ),
    );
    d.write(
        "e/main.tf",
        format!("locals {{\n  x = {}true\n}}\n", "!".repeat(DEEP)),
    );
    d.write(
        "f/main.tf",
        format!("locals {{\n  x = {}1\n}}\n", "1+".repeat(DEEP)),
    );
    d.write(
        "g/main.tf",
        format!("locals {{\n  x = {}1\n}}\n", "true ? 1 : ".repeat(DEEP)),
    );
    d.write(
        "h/main.tf",
        format!(
            "locals {{\n  x = \"{}\"\n}}\n",
            nest("${\"", "\"}", 20_000, "a")
        ),
    );
    d.write(
        "i/main.tf.json",
        format!("{{\"locals\": {{\"x\": {}}}}}", nest("[", "]", DEEP, "")),
    );
    let r = kijun(&d, &[]);
    r.canary();
    for f in [
        "a/main.tf",
        "b/main.tf",
        "c/main.tf",
        "d/main.tf",
        "e/main.tf",
        "f/main.tf",
        "g/main.tf",
        "h/main.tf",
    ] {
        // Blocks nest one per line: the error is at the first level past the parser's 64.
        let (line, _) = r.error(f, "HCL syntax error");
        assert!(
            line <= 3 || (f == "d/main.tf" && line <= 70),
            "{f}: line {line}"
        );
    }
    r.error("i/main.tf.json", "nesting deeper than");
}

#[test]
fn values_nested_deeper_than_documents_through_locals() {
    // Each local wraps the previous one in 40 lists: the parser's depth limit holds for every
    // expression, but the value grows without bound unless the evaluator checks it.
    let d = Scratch::new("deep-locals");
    let mut s = String::from("locals {\n  l0 = 1\n");
    for i in 1..400 {
        s.push_str(&format!(
            "  l{i} = {}\n",
            nest("[", "]", 40, &format!("local.l{}", i - 1))
        ));
    }
    // Referenced in order, so each is evaluated (and kept) before the next builds on it.
    let refs: Vec<String> = (1..400).map(|i| format!("local.l{i}")).collect();
    s.push_str(&format!(
        "}}\nresource \"aws_ebs_volume\" \"v\" {{\n  tags = {{ x = jsonencode([{}]) }}\n}}\n",
        refs.join(", ")
    ));
    d.write("deep/main.tf", s);
    let r = kijun(&d, &[]);
    r.canary();
    r.error("deep/main.tf", "levels deep");
}

#[test]
fn yaml_alias_bomb() {
    let d = Scratch::new("billion-laughs");
    let mut s = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 0..9u8 {
        let (this, prev) = ((b'b' + i) as char, (b'a' + i) as char);
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("  {this}: &{this} [{refs}]\n"));
    }
    d.write("bomb.yaml", s);
    let r = kijun(&d, &[]);
    r.canary();
    let (line, _) = r.error("bomb.yaml", "alias expansion exceeds");
    assert!((7..=15).contains(&line), "{line}");
}

#[test]
fn huge_file_is_refused_by_size() {
    let d = Scratch::new("huge");
    // 300 MB without writing 300 MB: a sparse file. It is over the default limit, so it is
    // reported from its size alone and never read.
    let f = std::fs::File::create(d.path("huge.tf")).unwrap();
    f.set_len(300 << 20).unwrap();
    drop(f);
    let r = kijun(&d, &[]);
    r.canary();
    r.error("huge.tf", "over the size limit of 67108864");
    // The limit is configurable.
    d.write("small.tf", CANARY.replace("canary", "small"));
    let r = kijun(&d, &["--max-file-size", "100"]);
    r.error("small.tf", "over the size limit of 100");
    r.error("canary.tf", "over the size limit of 100");
}

#[test]
fn large_file_is_handled_in_linear_time() {
    // A few MB in one file (this is a debug build; the release figures for a 50 MB file are in
    // docs/performance.md): doubling the input must not much more than double the time.
    let d = Scratch::new("large");
    let entries = |n: usize| {
        let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n");
        for i in 0..n {
            s.push_str(&format!("  key{i}: \"value number {i}\"\n"));
        }
        s
    };
    d.write("big.yaml", entries(50_000));
    let t1 = kijun(&d, &[]).canary().elapsed;
    d.write("big.yaml", entries(100_000));
    let r = kijun(&d, &[]);
    r.canary();
    let t2 = r.elapsed;
    assert!(
        t2 < t1 * 4 + Duration::from_secs(1),
        "twice the input took {t2:?} after {t1:?}"
    );
}

#[test]
fn megabyte_long_lines() {
    let d = Scratch::new("long-lines");
    d.write(
        "long/main.tf",
        format!(
            "locals {{\n  x = \"{}\"\n}}\n{}",
            "a".repeat(2 << 20),
            CANARY.replace("canary", "long")
        ),
    );
    d.write(
        "long.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  x: \"{}\"\n",
            "a".repeat(2 << 20)
        ),
    );
    // An error at the far end of a long line: the column counts characters.
    d.write(
        "broken/main.tf",
        format!("locals {{\n  x = \"{}\" +\n}}\n", "é".repeat(1 << 20)),
    );
    let r = kijun(&d, &[]);
    r.canary();
    assert_eq!(r.findings_of("aws_ebs_volume.long"), 1);
    let (line, col) = r.error("broken/main.tf", "HCL syntax error");
    assert!(line == 3 || (line == 2 && col > 1 << 20), "{line}:{col}");
}

#[test]
fn invalid_utf8_binary_and_empty_files() {
    let d = Scratch::new("bytes");
    d.write(
        "utf8/main.tf",
        b"resource \"a\" \"b\" {\n  x = \"\xff\xfe\"\n}\n",
    );
    d.write("bin/main.tf", [0u8, 1, 2, 3].repeat(10_000));
    let mut noise = Vec::with_capacity(100_000);
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.push((x >> 24) as u8 | 0x80); // no NUL: "binary" must come from the UTF-8 check
    }
    d.write("noise.yaml", &noise);
    d.write("noise.json", &noise);
    d.write("empty/main.tf", "");
    d.write("empty.yaml", "");
    d.write("empty.json", "");
    d.write("blank.tf.json", "   \n");
    let r = kijun(&d, &[]);
    r.canary();
    assert_eq!(r.error("utf8/main.tf", "invalid UTF-8"), (2, 8));
    r.error("bin/main.tf", "binary file");
    r.error("noise.yaml", "invalid UTF-8");
    r.error("noise.json", "invalid UTF-8");
    r.error("blank.tf.json", "JSON");
}

#[test]
fn bom_and_crlf_keep_lines_and_columns() {
    let d = Scratch::new("bom-crlf");
    d.write(
        "crlf/main.tf",
        "\u{feff}resource \"aws_ebs_volume\" \"v\" {\r\n  availability_zone = \"ap-northeast-1a\"\r\n  encrypted = false\r\n}\r\n",
    );
    d.write(
        "broken/main.tf",
        "\u{feff}locals {\r\n  a = 1\r\n  b = = 2\r\n}\r\n",
    );
    d.write(
        "broken.json",
        "\u{feff}{\r\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\r\n  \"Resources\": {,}\r\n}\r\n",
    );
    d.write(
        "broken.yaml",
        "\u{feff}AWSTemplateFormatVersion: \"2010-09-09\"\r\nResources:\r\n  A: [a, b\r\n",
    );
    let r = kijun(&d, &[]);
    r.canary();
    let f = r.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "crlf/main.tf")
        .expect("finding in the CRLF file");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(15))
    );
    assert_eq!(r.error("broken/main.tf", "HCL syntax error").0, 3);
    assert_eq!(r.error("broken.json", "JSON syntax error"), (3, 17));
    assert!(r.error("broken.yaml", "YAML syntax error").0 >= 3);
}

#[test]
fn truncated_files() {
    let d = Scratch::new("truncated");
    d.write("cut/main.tf", &CANARY[..40]);
    d.write(
        "cut.json",
        "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bu",
    );
    d.write(
        "cut.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  A:\n    Type: \"AWS::S3",
    );
    let r = kijun(&d, &[]);
    r.canary();
    r.error("cut/main.tf", "HCL syntax error");
    r.error("cut.json", "JSON syntax error");
    r.error("cut.yaml", "YAML syntax error");
}

#[test]
fn expansions_in_the_billions() {
    let d = Scratch::new("billions");
    d.write(
        "count/main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  count = 4000000000\n  size  = 1\n}\n",
    );
    d.write(
        "foreach/main.tf",
        "resource \"aws_ebs_volume\" \"v\" {\n  for_each = toset([for i in range(100000000) : tostring(i)])\n  size     = 1\n}\n",
    );
    d.write(
        "range/main.tf",
        "locals {\n  r = range(1000000000)\n}\nresource \"aws_ebs_volume\" \"v\" {\n  size = length(local.r)\n}\n",
    );
    d.write(
        "dynamic/main.tf",
        "resource \"aws_security_group\" \"s\" {\n  dynamic \"ingress\" {\n    for_each = range(200000)\n    content {\n      from_port = ingress.value\n    }\n  }\n}\n",
    );
    d.write(
        "module/main.tf",
        "module \"m\" {\n  source = \"../mod\"\n  count  = 3000000000\n}\n",
    );
    d.write("mod/main.tf", CANARY.replace("canary", "in_module"));
    d.write(
        "copy.json",
        format!(
            r#"{{"$schema": "{ARM_SCHEMA}", "contentVersion": "1.0.0.0",
 "resources": [{{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
   "name": "[concat('a', copyIndex())]", "copy": {{"name": "c", "count": 4000000000}},
   "properties": {{"supportsHttpsTrafficOnly": false}}}}]}}"#
        ),
    );
    d.write(
        "propcopy.json",
        format!(
            r#"{{"$schema": "{ARM_SCHEMA}", "contentVersion": "1.0.0.0",
 "resources": [{{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
   "name": "[concat('nsg', copyIndex())]", "copy": {{"name": "outer", "count": 10000}},
   "properties": {{"copy": [{{"name": "securityRules", "count": 10000,
     "input": {{"name": "[concat('r', copyIndex('securityRules'))]"}}}}]}}}}]}}"#
        ),
    );
    let r = kijun(&d, &[]);
    r.canary();
    assert_eq!(r.error("count/main.tf", "over the expansion limit").0, 2);
    r.error("module/main.tf", "over the expansion limit");
    r.error("dynamic/main.tf", "over the limit");
    r.error("copy.json", "over the limit of 10000");
    r.error("propcopy.json", "work budget");
    // The limit is configurable.
    let r = kijun(&d, &["--max-instances", "5"]);
    r.error("count/main.tf", "over the expansion limit of 5");
}

#[test]
fn values_that_double_at_every_step() {
    let d = Scratch::new("doubling");
    let mut locals = String::from("locals {\n  l0 = [\"x\", \"x\"]\n  s0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..60 {
        locals.push_str(&format!("  l{i} = [local.l{p}, local.l{p}]\n", p = i - 1));
        locals.push_str(&format!(
            "  s{i} = \"${{local.s{p}}}${{local.s{p}}}\"\n",
            p = i - 1
        ));
    }
    locals.push_str(
        "}\nresource \"aws_ebs_volume\" \"v\" {\n  tags = { a = jsonencode(local.l59), b = local.s59 }\n}\n",
    );
    d.write("locals/main.tf", locals);
    for i in 0..30 {
        let calls = if i < 29 {
            format!(
                "module \"x\" {{\n  source = \"../m{n}\"\n}}\nmodule \"y\" {{\n  source = \"../m{n}\"\n}}\n",
                n = i + 1
            )
        } else {
            String::new()
        };
        d.write(
            &format!("fan/m{i}/main.tf"),
            format!("{calls}resource \"aws_ebs_volume\" \"v\" {{\n  encrypted = false\n}}\n"),
        );
    }
    let mut vars = serde_json::Map::new();
    vars.insert("v0".into(), Value::from("[createArray('x', 'x')]"));
    for i in 1..60 {
        vars.insert(
            format!("v{i}"),
            Value::from(format!(
                "[concat(variables('v{p}'), variables('v{p}'))]",
                p = i - 1
            )),
        );
    }
    let arm = serde_json::json!({
        "$schema": ARM_SCHEMA,
        "contentVersion": "1.0.0.0",
        "variables": vars,
        "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
            "name": "[string(length(variables('v59')))]",
            "properties": {"supportsHttpsTrafficOnly": false}}]
    });
    d.write("arm.json", arm.to_string());
    // CloudFormation: an alias repeats a join of a long parameter.
    let mut cfn = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  P:\n    Type: String\n    Default: \"{}\"\nResources:\n",
        "p".repeat(1 << 20)
    );
    cfn.push_str("  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: a\n          Value: &j {\"Fn::Join\": [\"\", [!Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P]]}\n");
    for i in 0..2000 {
        cfn.push_str(&format!("        - Key: k{i}\n          Value: *j\n"));
    }
    d.write("cfn.yaml", cfn);
    let r = kijun(&d, &[]);
    r.canary();
    r.error("locals/main.tf", "work budget");
    r.error("arm.json", "work budget");
    r.error("cfn.yaml", "work budget");
    assert!(
        r.errors().iter().any(|e| {
            e["file"].as_str().unwrap().starts_with("fan/")
                && e["message"].as_str().unwrap().contains("work budget")
        }),
        "{:#}",
        r.json["errors"]
    );
    // The budget is configurable.
    let r = kijun(&d, &["--max-eval-work", "1000"]);
    assert!(r.errors().iter().any(|e| e["message"]
        .as_str()
        .unwrap()
        .contains("work budget of 1000 units")));
}

#[test]
fn quadratic_set_functions_stay_bounded() {
    let d = Scratch::new("sets");
    d.write(
        "sets/main.tf",
        "locals {\n  n = [for i in range(100000) : { k = i }]\n  s = toset(range(900000))\n  u = setunion(local.n, local.n)\n}\nresource \"aws_ebs_volume\" \"v\" {\n  size = length(local.s) + length(local.u)\n}\n",
    );
    let r = kijun(&d, &[]);
    r.canary();
    r.error("sets/main.tf", "work budget");
}

#[test]
fn cycles() {
    let d = Scratch::new("cycles");
    d.write(
        "locals/main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_ebs_volume\" \"v\" {\n  size = local.a\n}\n",
    );
    d.write(
        "mods/a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\n",
    );
    d.write("mods/b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n");
    d.write(
        "conditions.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nConditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Condition: A\n    Properties:\n      Encrypted: false\n",
    );
    d.write(
        "variables.json",
        format!(
            r#"{{"$schema": "{ARM_SCHEMA}", "contentVersion": "1.0.0.0",
 "variables": {{"a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]"}},
 "resources": [{{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
   "name": "[variables('a')]", "properties": {{"supportsHttpsTrafficOnly": false}}}}]}}"#
        ),
    );
    let r = kijun(&d, &[]);
    r.canary();
    assert!(r.error("locals/main.tf", "cycle: local.").0 <= 3);
    // Reported at the call that closes the cycle.
    r.error("mods/b/main.tf", "module cycle");
    r.error("conditions.yaml", "condition cycle");
    r.error("variables.json", "variable cycle");
}

#[cfg(unix)]
#[test]
fn symlink_loops_dangling_links_and_special_files() {
    use std::os::unix::fs::{symlink, FileTypeExt};
    let d = Scratch::new("links");
    d.write("real/main.tf", CANARY.replace("canary", "linked"));
    symlink(d.path("."), d.path("real/loop")).unwrap();
    symlink(d.path("real"), d.path("dirlink")).unwrap();
    symlink(d.path("self.tf"), d.path("self.tf")).unwrap();
    symlink(d.path("nowhere.tf"), d.path("dangling.tf")).unwrap();
    symlink(d.path("real/main.tf"), d.path("shared.tf")).unwrap();
    // A FIFO with an IaC name: reading it would block forever. Without it the case tests
    // nothing, so failing to make one fails the test.
    let fifo = Command::new("mkfifo")
        .arg(d.path("pipe.tf"))
        .status()
        .unwrap_or_else(|e| panic!("mkfifo (coreutils) cannot run: {e}"));
    assert!(fifo.success(), "mkfifo could not make a FIFO: {fifo}");
    assert!(std::fs::symlink_metadata(d.path("pipe.tf"))
        .unwrap()
        .file_type()
        .is_fifo());
    let r = kijun(&d, &[]);
    r.canary();
    r.error("self.tf", "cannot read");
    r.error("dangling.tf", "cannot read");
    r.error("pipe.tf", "not a regular file");
    // A symbolic link to a file is read like the file (Terraform does); one to a directory is
    // not followed, so the loop is never entered and nothing is reported twice.
    assert_eq!(
        r.findings_of("aws_ebs_volume.linked"),
        2,
        "real/main.tf and shared.tf"
    );
}

/// Is this process root? (`id -u`; root reads mode-000 files, so the check needs another user.)
#[cfg(unix)]
fn running_as_root() -> bool {
    let out = Command::new("id")
        .arg("-u")
        .output()
        .unwrap_or_else(|e| panic!("`id -u` cannot run: {e}"));
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// A mode-000 file is reported as unreadable and the scan goes on. Root reads anything, and CI
/// runs as root, so there kijun runs as `nobody` (`setpriv`, util-linux) in a directory that user
/// can enter; the test fails rather than pass without checking when neither is possible.
#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::PermissionsExt;
    let d = Scratch::new("unreadable");
    d.write("secret/main.tf", CANARY.replace("canary", "secret"));
    let p = d.path("secret/main.tf");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let wrapper: &[&str] = if running_as_root() {
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        &[]
    };
    let mut bin = PathBuf::from(env!("CARGO_BIN_EXE_kijun"));
    let bin_dir = std::env::temp_dir().join(format!("kijun-hostile-bin-{}", std::process::id()));
    if !wrapper.is_empty() {
        // The unprivileged user must reach the scratch directory and the binary; the build
        // directory may sit below a directory only root can enter (a clone in /root), so the
        // binary runs from a copy in the temporary directory.
        for dir in [d.path("."), d.path("secret")] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let _ = std::fs::remove_dir_all(&bin_dir);
        std::fs::create_dir_all(&bin_dir).unwrap();
        std::fs::set_permissions(&bin_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let copy = bin_dir.join("kijun");
        std::fs::copy(&bin, &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        bin = copy;
        let probe = Command::new("setpriv")
            .args(&wrapper[1..])
            .args(["cat", p.to_str().unwrap()])
            .output()
            .unwrap_or_else(|e| {
                panic!("running as root and setpriv (util-linux) cannot run ({e}): the unreadable-file check needs an unprivileged user")
            });
        assert!(
            !probe.status.success(),
            "the unprivileged user can read a mode-000 file: the check would prove nothing"
        );
    } else {
        assert!(
            std::fs::read(&p).is_err(),
            "this user reads a mode-000 file without being root (CAP_DAC_OVERRIDE?): the check would prove nothing"
        );
    }
    let r = kijun_via(&d, &[], wrapper, &bin);
    let _ = std::fs::remove_dir_all(&bin_dir);
    r.canary();
    r.error("secret/main.tf", "cannot read");
}

#[test]
fn a_directory_named_like_a_file() {
    let d = Scratch::new("dir-named-tf");
    d.write("odd.tf/inner.tf", CANARY.replace("canary", "inner"));
    let r = kijun(&d, &[]);
    r.canary();
    assert_eq!(r.findings_of("aws_ebs_volume.inner"), 1);
}

#[test]
fn depth_limit_is_configurable() {
    let d = Scratch::new("depth-flag");
    d.write(
        "t.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"A\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"X\": {}}}}}}}}}",
            nest("[", "]", 40, "")
        ),
    );
    let r = kijun(&d, &[]);
    assert!(r.errors().is_empty(), "{:#}", r.json["errors"]);
    let r = kijun(&d, &["--max-depth", "16"]);
    r.canary();
    r.error("t.json", "nesting deeper than 16");
}

#[test]
fn help_documents_the_limits() {
    let out = Command::new(env!("CARGO_BIN_EXE_kijun"))
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--max-file-size",
        "--max-instances",
        "--max-depth",
        "--max-eval-work",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}
