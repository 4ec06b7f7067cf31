#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The command line behaves as users of Checkov, Trivy and tflint expect, and the handover
//! report never overstates compliance: each behaviour through the real binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `kijun ARGS` from the repository root, with a clean environment for what kijun reads.
fn kijun_env(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
    cmd.current_dir(repo()).args(args);
    for v in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "TERM",
        "GITHUB_STEP_SUMMARY",
    ] {
        cmd.env_remove(v);
    }
    for (k, _) in std::env::vars() {
        if k.starts_with("KIJUN_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn kijun(args: &[&str]) -> Output {
    kijun_env(args, &[], None)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(o), String::from_utf8_lossy(&o.stderr)))
}

fn rule_ids(v: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-conv-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The visible text of an HTML report: tags dropped, entities decoded, spaces collapsed.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut in_style = false;
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if lower[i..].starts_with("<style") || lower[i..].starts_with("<script") {
            in_style = true;
        }
        if in_style && (lower[i..].starts_with("</style>") || lower[i..].starts_with("</script>")) {
            in_style = false;
        }
        let c = html[i..].chars().next().unwrap();
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag && !in_style => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The row of the per-article table for `article` ("Art. 64(2)"), as visible text.
fn article_row(text: &str, article: &str) -> String {
    let start = text
        .find("Results by article")
        .expect("the per-article section");
    let rest = &text[start..];
    let at = rest.find(&format!("{article} ")).expect(article);
    rest[at..].chars().take(400).collect()
}

#[test]
fn a_skipped_rule_is_not_run_never_passed() {
    let base = [
        "check",
        "examples/agency-portal",
        "--lang",
        "en",
        "--now",
        "2026-12-01",
        "-f",
        "html",
    ];
    let full = visible(&stdout(&kijun(&base)));
    let row = article_row(&full, "Art. 64(2)");
    // "passed/total" of the paragraph's rule checks; the example fails exactly one of them
    // (KJ-C1-001), whatever the number of rules citing the paragraph.
    let ratio = row
        .split_whitespace()
        .find_map(|w| {
            let (a, b) = w.split_once('/')?;
            Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?))
        })
        .unwrap_or_else(|| panic!("no passed/total in {row}"));
    let (passed, total) = ratio;
    assert_eq!(passed + 1, total, "{row}");
    assert!(!row.contains("not run"), "{row}");

    // Skipped on the command line.
    let mut args = base.to_vec();
    args.extend(["--skip-rule", "KJ-C1-001"]);
    let skipped = visible(&stdout(&kijun(&args)));
    let row = article_row(&skipped, "Art. 64(2)");
    assert!(
        row.contains(&format!("{passed}/{total} not run 1")),
        "{row}"
    );
    assert!(row.contains("partly not run"), "{row}");
    assert!(!row.contains("passed (in part)"), "{row}");
    assert!(
        skipped.contains("Rules not run 1 (KJ-C1-001)"),
        "cover: {skipped}"
    );
    assert!(skipped.contains("1 rules not run"), "verdict");

    // Skipped by a kijun.toml: the same, and the cover names the file with its hash.
    let d = scratch("skip-toml");
    for f in std::fs::read_dir(repo().join("examples/agency-portal")).unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_file() {
            std::fs::copy(f.path(), d.join(f.file_name())).unwrap();
        }
    }
    copy_dir(
        &repo().join("examples/agency-portal/modules"),
        &d.join("modules"),
    );
    let toml = "[rules]\nskip = [\"KJ-C1-001\"]\n";
    std::fs::write(d.join("kijun.toml"), toml).unwrap();
    let hash = sha256_hex(toml.as_bytes());
    let dir = d.to_str().unwrap();
    let html = visible(&stdout(&kijun(&[
        "check",
        dir,
        "--lang",
        "en",
        "--now",
        "2026-12-01",
        "-f",
        "html",
    ])));
    let row = article_row(&html, "Art. 64(2)");
    assert!(row.contains("not run 1"), "{row}");
    assert!(
        html.contains("kijun.toml (found in the scanned tree, SHA-256"),
        "{html}"
    );
    assert!(
        html.contains(&hash[..16]),
        "the cover lacks the kijun.toml hash"
    );

    // The JSON and SARIF reports carry the same facts.
    let v = json(&kijun(&["check", dir, "--now", "2026-12-01", "-f", "json"]));
    assert_eq!(v["run"]["config"]["sha256"], hash.as_str());
    assert_eq!(v["run"]["config"]["in_tree"], true);
    assert_eq!(v["run"]["now"], "2026-12-01");
    assert_eq!(
        v["run"]["not_run"],
        serde_json::json!([{"rule_id": "KJ-C1-001", "reason": "skipped"}])
    );
    let sarif = json(&kijun(&[
        "check",
        dir,
        "--now",
        "2026-12-01",
        "-f",
        "sarif",
    ]));
    let props = &sarif["runs"][0]["properties"]["configuration"];
    assert_eq!(props["config"]["sha256"], hash.as_str());
    assert_eq!(props["not_run"][0]["rule_id"], "KJ-C1-001");
    let _ = std::fs::remove_dir_all(&d);

    // A threshold that hides findings marks the rules it may hide as not run.
    let v = json(&kijun(&[
        "check",
        "examples/agency-portal",
        "-f",
        "json",
        "--severity-threshold",
        "high",
    ]));
    let not_run = v["run"]["not_run"].as_array().unwrap();
    assert!(not_run
        .iter()
        .any(|n| n["reason"] == "below-threshold" && n["rule_id"] == "KJ-E1-001"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    kijun_engine::report::sha256::hex(bytes)
}

#[test]
fn the_effective_configuration_is_recorded_for_a_rerun() {
    let v = json(&kijun(&[
        "check",
        "examples/agency-portal",
        "-f",
        "json",
        "--classification",
        "c=3,i=2,a=2",
        "--rule",
        "KJ-E1-001",
        "--var",
        "environment=prod",
        "--var",
        "db_password=hunter2",
        "--now",
        "2026-12-01",
    ]));
    let run = &v["run"];
    assert_eq!(run["classification"]["confidentiality"], 3);
    assert_eq!(run["classification"]["source"], "config");
    assert_eq!(run["rules"], serde_json::json!(["KJ-E1-001"]));
    assert_eq!(
        run["vars"][0],
        serde_json::json!({"name": "environment", "value": "prod"})
    );
    // A secret-looking variable is recorded without its value.
    assert_eq!(run["vars"][1]["name"], "db_password");
    assert!(!v.to_string().contains("hunter2"));
    assert!(run["allowed_regions"]["aws"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("ap-northeast-1")));
}

#[test]
fn soft_fail_and_fail_on_change_only_the_exit_code() {
    let base = ["check", "examples/agency-portal", "-f", "json"];
    let plain = kijun(&base);
    assert_eq!(plain.status.code(), Some(1));
    let findings = rule_ids(&json(&plain));
    assert!(!findings.is_empty());

    let mut soft = base.to_vec();
    soft.push("--soft-fail");
    let out = kijun(&soft);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(rule_ids(&json(&out)), findings, "--soft-fail hid findings");
    // The environment variable does the same.
    let out = kijun_env(&base, &[("KIJUN_SOFT_FAIL", "true")], None);
    assert_eq!(out.status.code(), Some(0));

    // The example's worst failing severity decides --fail-on.
    let severities: Vec<String> = json(&plain)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "failed")
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect();
    assert!(severities.iter().any(|s| s == "high"));
    let mut fail_on = base.to_vec();
    fail_on.extend(["--fail-on", "high"]);
    assert_eq!(kijun(&fail_on).status.code(), Some(1));
    let only_low = ["check", "fixtures/KJ-L4-001/fail.tf", "-f", "json"];
    let low = json(&kijun(&only_low));
    let worst: Vec<&str> = low["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    // The precondition: failing findings, none of them high.
    assert!(
        !worst.is_empty() && !worst.contains(&"high"),
        "findings {worst:?}"
    );
    let mut args = only_low.to_vec();
    args.extend(["--fail-on", "high"]);
    let out = kijun(&args);
    assert_eq!(out.status.code(), Some(0), "findings {worst:?}");
    assert_eq!(rule_ids(&json(&out)), rule_ids(&low));
    let out = kijun_env(&base, &[("KIJUN_FAIL_ON", "bogus")], None);
    assert_eq!(out.status.code(), Some(2));

    // Unreadable input keeps exit code 1 under --fail-on, and 0 only with --soft-fail.
    let d = scratch("unreadable");
    std::fs::write(d.join("bad.tf"), "resource \"x\" {").unwrap();
    let dir = d.to_str().unwrap();
    assert_eq!(
        kijun(&["check", dir, "--fail-on", "high"]).status.code(),
        Some(1)
    );
    assert_eq!(kijun(&["check", dir, "--soft-fail"]).status.code(), Some(0));
    // Usage errors stay 2 under --soft-fail.
    assert_eq!(
        kijun(&["check", dir, "--soft-fail", "--rule", "KJ-X9-999"])
            .status
            .code(),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn quiet_and_compact_for_large_scans_and_editors() {
    let d = scratch("quiet");
    std::fs::write(
        d.join("main.tf"),
        r#"# kijun:exception KJ-E1-001 ledger=EX-2026-001
resource "aws_ebs_volume" "excepted" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}

resource "aws_ebs_volume" "failing" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}

module "remote" {
  source = "git::https://example.com/modules.git"
}
"#,
    )
    .unwrap();
    std::fs::write(
        d.join("kijun.toml"),
        "[exceptions]\nledger = \"ledger.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("ledger.toml"),
        r#"[[exception]]
id = "EX-2026-001"
rules = ["KJ-E1-001"]
resources = ["aws_ebs_volume.excepted"]
reason = "scratch volume"
requested_by = "vendor@example.jp"
approved_by = "ciso@example.go.jp"
approved_on = 2026-11-01
expires_on = 2027-03-31
"#,
    )
    .unwrap();
    let dir = d.to_str().unwrap();
    let args = ["check", dir, "--lang", "en", "--now", "2026-12-01"];
    let full = stdout(&kijun(&args));
    assert!(full.contains("aws_ebs_volume.excepted"), "{full}");
    assert!(full.contains("Not evaluated"), "{full}");
    let mut q = args.to_vec();
    q.push("-q");
    let quiet = stdout(&kijun(&q));
    assert!(!quiet.contains("aws_ebs_volume.excepted"), "{quiet}");
    assert!(!quiet.contains("Not evaluated"), "{quiet}");
    assert!(quiet.contains("aws_ebs_volume.failing"), "{quiet}");
    assert!(quiet.contains("1 failed, 1 excepted"), "{quiet}");

    let mut c = args.to_vec();
    c.extend(["-f", "compact"]);
    let compact = stdout(&kijun(&c));
    let lines: Vec<&str> = compact.lines().collect();
    let failing = lines
        .iter()
        .find(|l| l.contains("aws_ebs_volume.failing"))
        .expect("the failing finding");
    // file:line:col: [severity] RULE message
    let (loc, rest) = failing.split_once(": ").unwrap();
    let parts: Vec<&str> = loc.rsplitn(3, ':').collect();
    assert_eq!(parts.len(), 3, "{failing}");
    assert!(parts[0].parse::<u32>().is_ok() && parts[1].parse::<u32>().is_ok());
    assert!(parts[2].ends_with("main.tf"), "{failing}");
    assert!(rest.starts_with("[medium] KJ-E1-001 "), "{failing}");
    assert!(
        lines.last().unwrap().starts_with("kijun: checked"),
        "{compact}"
    );
    // The excepted finding says so.
    assert!(compact.contains("· excepted] KJ-E1-001"), "{compact}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn short_flags_and_environment_variables() {
    let out_file = std::env::temp_dir().join(format!("kijun-conv-{}.sarif", std::process::id()));
    let of = out_file.to_str().unwrap();
    let out = kijun(&[
        "check",
        "examples/agency-portal",
        "-f",
        "sarif",
        "-o",
        of,
        "-f",
        "json",
    ]);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(json(&out)["findings"].is_array());
    let _ = std::fs::remove_file(&out_file);

    // KIJUN_FORMAT, with a file for one of its formats.
    let env_file = format!("{of}.env");
    let out = kijun_env(
        &["check", "examples/agency-portal"],
        &[("KIJUN_FORMAT", &format!("sarif={env_file},json"))],
        None,
    );
    assert!(json(&out)["findings"].is_array());
    assert!(std::fs::read_to_string(&env_file)
        .unwrap()
        .contains("2.1.0"));
    let _ = std::fs::remove_file(&env_file);
    // A --format on the command line wins over the environment.
    let out = kijun_env(
        &["check", "examples/agency-portal", "-f", "json"],
        &[("KIJUN_FORMAT", "text")],
        None,
    );
    assert!(json(&out)["findings"].is_array());

    // KIJUN_CONFIG, KIJUN_CLASSIFICATION, KIJUN_NOW.
    let out = kijun_env(
        &["check", "examples/agency-portal", "-f", "json"],
        &[
            ("KIJUN_CLASSIFICATION", "c=3,i=2,a=2"),
            ("KIJUN_NOW", "2026-12-01"),
            ("KIJUN_CONFIG", "tests/golden/kijun.toml"),
        ],
        None,
    );
    let v = json(&out);
    assert_eq!(v["run"]["classification"]["confidentiality"], 3);
    assert_eq!(v["run"]["now"], "2026-12-01");
    assert_eq!(v["run"]["config"]["path"], "tests/golden/kijun.toml");
}

#[test]
fn colour_and_language_follow_the_environment() {
    let args = ["check", "examples/agency-portal"];
    let esc = |o: &Output| o.stdout.contains(&0x1b);
    assert!(!esc(&kijun(&args)), "no colour into a pipe");
    assert!(esc(&kijun_env(&args, &[("FORCE_COLOR", "1")], None)));
    assert!(esc(&kijun_env(&args, &[("CLICOLOR_FORCE", "1")], None)));
    assert!(!esc(&kijun_env(&args, &[("FORCE_COLOR", "0")], None)));
    assert!(!esc(&kijun_env(
        &args,
        &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")],
        None
    )));

    // The width follows COLUMNS (the terminal's when it is one).
    let longest = |o: &Output| {
        stdout(o)
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    let wide = kijun_env(&args, &[("COLUMNS", "200")], None);
    let narrow = kijun_env(&args, &[("COLUMNS", "70")], None);
    assert!(longest(&wide) > 100, "{}", longest(&wide));
    // Messages and help wrap at the width (labels under a source line and the summary do not).
    let text = stdout(&narrow);
    let wrapped: Vec<&str> = text
        .lines()
        .filter(|l| l.contains('×') || l.trim_start().starts_with("help:"))
        .collect();
    assert!(!wrapped.is_empty());
    let over: Vec<&&str> = wrapped.iter().filter(|l| l.chars().count() > 70).collect();
    assert!(over.is_empty(), "lines past 70 columns: {over:?}");

    // LC_ALL, then LC_MESSAGES, then LANG.
    let ja = |o: &Output| stdout(o).contains("ファイル、");
    assert!(ja(&kijun_env(&args, &[("LANG", "ja_JP.UTF-8")], None)));
    assert!(ja(&kijun_env(
        &args,
        &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "ja_JP.UTF-8")],
        None
    )));
    assert!(!ja(&kijun_env(
        &args,
        &[("LC_ALL", "C.UTF-8"), ("LC_MESSAGES", "ja_JP.UTF-8")],
        None
    )));
    assert!(ja(&kijun_env(
        &args,
        &[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")],
        None
    )));
    assert!(!ja(&kijun_env(&args, &[("LANG", "en_US.UTF-8")], None)));
}

#[test]
fn standard_input_in_every_format() {
    for (format, file) in [
        ("kubernetes", "examples/mixed/kubernetes/payments.yaml"),
        (
            "cloudformation",
            "examples/mixed/cloudformation/reports.yaml",
        ),
        ("arm", "examples/mixed/arm/storage.json"),
        ("plan", "examples/mixed/plan/plan.json"),
        ("terraform", "examples/mixed/terraform/main.tf"),
    ] {
        let content = std::fs::read(repo().join(file)).unwrap();
        let direct = json(&kijun(&[
            "check",
            file,
            "-f",
            "json",
            "--now",
            "2026-12-01",
        ]));
        let piped = json(&kijun_env(
            &[
                "check",
                "-",
                "--stdin-format",
                format,
                "-f",
                "json",
                "--now",
                "2026-12-01",
            ],
            &[],
            Some(&content),
        ));
        assert!(!rule_ids(&direct).is_empty(), "{file} has no findings");
        assert_eq!(
            rule_ids(&piped),
            rule_ids(&direct),
            "--stdin-format {format}"
        );
        // --stdin-filename names the input in every finding.
        let named = json(&kijun_env(
            &[
                "check",
                "-",
                "--stdin-format",
                format,
                "--stdin-filename",
                "rendered/input",
                "-f",
                "json",
            ],
            &[],
            Some(&content),
        ));
        for f in named["findings"].as_array().unwrap() {
            assert!(
                f["file"].as_str().unwrap().starts_with("rendered/input"),
                "{f}"
            );
        }
    }
    // The filename's extension decides when no --stdin-format is given.
    let content = std::fs::read(repo().join("examples/mixed/kubernetes/payments.yaml")).unwrap();
    let named = json(&kijun_env(
        &[
            "check",
            "-",
            "--stdin-filename",
            "chart/out.yaml",
            "-f",
            "json",
        ],
        &[],
        Some(&content),
    ));
    assert!(named["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["file"] == "chart/out.yaml"));
    assert!(!rule_ids(&named).is_empty());
    assert_eq!(
        kijun(&["check", "-", "--stdin-format", "helm"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_baseline_shows_only_what_is_new() {
    let d = scratch("baseline");
    let base = d.join("baseline.json");
    let bl = base.to_str().unwrap();
    let args = ["check", "examples/agency-portal", "--lang", "en"];
    let mut write = args.to_vec();
    write.extend(["--write-baseline", bl]);
    kijun(&write);
    let mut with = args.to_vec();
    with.extend(["--baseline", bl]);
    let out = kijun(&with);
    assert_eq!(out.status.code(), Some(0), "nothing new");
    let text = stdout(&out);
    assert!(
        !text.contains("KJ-E1-001"),
        "baselined findings drawn: {text}"
    );
    assert!(
        text.contains("findings recorded in the baseline are not shown"),
        "{text}"
    );
    let summary = text.lines().last().unwrap();
    assert!(summary.contains("0 failed, 0 excepted, "), "{summary}");
    assert!(summary.contains(" baselined"), "{summary}");
    let mut md = with.clone();
    md.extend(["-f", "markdown"]);
    let md = stdout(&kijun(&md));
    assert!(
        md.contains("findings recorded in the baseline are not shown"),
        "{md}"
    );
    assert!(!md.contains("KJ-E1-001"), "{md}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn subcommands_refuse_what_they_do_not_know() {
    assert_eq!(kijun(&["rules", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(
        kijun(&["rules", "--platform", "bogus"]).status.code(),
        Some(2)
    );
    let kube = stdout(&kijun(&["rules", "--platform", "kubernetes"]));
    assert!(kube.lines().count() > 5 && kube.lines().all(|l| l.starts_with("KJ-")));
    assert_eq!(
        kijun(&["coverage", "--format", "yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(kijun(&["completions", "tcsh"]).status.code(), Some(2));
}

/// The command line's own errors (clap's) follow the language as every other message does.
#[test]
fn command_line_errors_speak_the_users_language() {
    let ja = [("LANG", "ja_JP.UTF-8")];
    let err = |o: &Output| {
        assert_eq!(o.status.code(), Some(2));
        assert!(o.stdout.is_empty());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let typo = err(&kijun_env(&["check", "--fromat", "json"], &ja, None));
    assert!(
        typo.starts_with("kijun: '--fromat' という引数はありません\n"),
        "{typo}"
    );
    assert!(typo.contains("ヒント: '--format' のことですか"), "{typo}");
    assert!(typo.contains("使い方: kijun check"), "{typo}");
    assert!(typo.contains("詳しくは '--help'"), "{typo}");
    let value = err(&kijun_env(&["rules", "--platform", "aws"], &ja, None));
    assert!(
        value.contains("--platform <PLATFORM> に 'aws' は使えません"),
        "{value}"
    );
    assert!(
        value.contains("使える値: terraform, terraform-plan, kubernetes"),
        "{value}"
    );
    let command = err(&kijun_env(&["chek"], &ja, None));
    assert!(
        command.contains("'chek' というサブコマンドはありません"),
        "{command}"
    );
    assert!(command.contains("'check' のことですか"), "{command}");
    let missing = err(&kijun_env(&["explain"], &ja, None));
    assert!(
        missing.contains("必須の引数がありません: <RULE>"),
        "{missing}"
    );
    // --lang (or KIJUN_LANG) decides over the locale, as for the scan's messages; English is
    // clap's own text.
    let english = |o: &Output| err(o).contains("unexpected argument '--fromat' found");
    assert!(english(&kijun_env(
        &["check", "--lang", "en", "--fromat", "json"],
        &ja,
        None
    )));
    assert!(english(&kijun_env(
        &["check", "--fromat", "json"],
        &[("LANG", "ja_JP.UTF-8"), ("KIJUN_LANG", "en")],
        None
    )));
    assert!(english(&kijun_env(
        &["check", "--fromat", "json"],
        &[],
        None
    )));
    let asked = err(&kijun_env(
        &["check", "--lang=ja", "--fromat", "json"],
        &[],
        None,
    ));
    assert!(asked.contains("という引数はありません"), "{asked}");
    // Help is not an error and stays on standard output, in the same language.
    let help = kijun_env(&["check", "--help"], &ja, None);
    assert_eq!(help.status.code(), Some(0));
    let text = stdout(&help);
    assert!(text.contains("使い方: kijun check [OPTIONS] [PATHS]..."), "{text}");
    assert!(text.contains("直前の --format の出力を標準出力ではなくこのファイルに書き出します"), "{text}");
    assert!(text.contains("［環境変数: KIJUN_LANG］"), "{text}");
    assert!(!text.contains("Options:") && !text.contains("Usage:"), "{text}");
    let english = stdout(&kijun_env(&["check", "--lang", "en", "--help"], &ja, None));
    assert!(english.contains("Usage: kijun check"), "{english}");
    assert!(english.contains("Write the preceding --format to this file"), "{english}");
    let root = stdout(&kijun_env(&["--help"], &ja, None));
    assert!(root.contains("コマンド:\n  check        ファイルとディレクトリを検査します"), "{root}");
}

#[test]
fn completions_for_the_common_shells() {
    for shell in ["bash", "zsh", "fish"] {
        let out = kijun(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = stdout(&out);
        for word in [
            "check",
            "explain",
            "severity-threshold",
            "isolated",
            "stdin-format",
        ] {
            assert!(s.contains(word), "{shell} completion lacks {word}");
        }
    }
    // bash accepts the script.
    let script = stdout(&kijun(&["completions", "bash"]));
    let status = Command::new("bash")
        .args(["-n", "-c", &script])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Every option of every subcommand has help text, and the README names every option of
/// `kijun check`.
#[test]
fn help_and_readme_agree() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for sub in [
        "check",
        "rules",
        "explain",
        "coverage",
        "init",
        "completions",
    ] {
        let help = stdout(&kijun(&[sub, "--help"]));
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if !t.starts_with('-') || t.starts_with("-h,") || t.starts_with("-V,") {
                continue;
            }
            // Clap's long help puts the text on the lines below the flag, indented further.
            let next = lines.get(i + 1).copied().unwrap_or("");
            let indent = |l: &str| l.len() - l.trim_start().len();
            let has_help = t.split("  ").filter(|p| !p.trim().is_empty()).count() >= 2
                || (!next.trim().is_empty() && indent(next) > indent(line));
            assert!(has_help, "kijun {sub}: option without help: {line}");
            if sub == "check" {
                let flag = t
                    .split_whitespace()
                    .find(|w| w.starts_with("--"))
                    .unwrap()
                    .trim_end_matches(',');
                assert!(
                    readme.contains(flag),
                    "README does not mention kijun check {flag}"
                );
            }
        }
    }
}

/// The handover report prints results first: the per-file hash table is an appendix after the
/// confirmation, and the font stack covers Windows' Japanese fonts.
#[test]
fn the_handover_report_puts_results_before_the_file_hashes() {
    let html = stdout(&kijun(&[
        "check",
        "examples/agency-portal",
        "--lang",
        "en",
        "-f",
        "html",
    ]));
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("Results by article") < at("Findings by article"));
    assert!(at("Findings by article") < at("Confirmation"));
    assert!(at("Confirmation") < at("Appendix: files scanned"));
    for font in ["Yu Gothic", "Meiryo", "Noto Sans CJK JP"] {
        assert!(html.contains(font), "font stack lacks {font}");
    }
}

/// Dated facts are judged against `--now`: a storage account without `minimumTlsVersion` meant
/// TLS 1.0 until Azure Storage refused TLS 1.0/1.1 on every account (2026-02-03), so a scan dated
/// before that day reports it and a scan dated on or after it does not; an explicit `TLS1_1` is
/// reported on both dates. The same holds for CRYPTREC's 112-bit limit (end of 2030).
#[test]
fn dated_facts_follow_the_scan_date() {
    let lines = |file: &str, rule: &str, now: &str| -> Vec<u64> {
        let o = kijun(&[
            "check", file, "--rule", rule, "--now", now, "-f", "json", "--lang", "en",
        ]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let mut l: Vec<u64> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        l.sort_unstable();
        l
    };
    let arm = "fixtures/KJ-E3-002/fail_arm_now-2026-01-15.json";
    assert_eq!(lines(arm, "KJ-E3-002", "2026-02-02"), vec![18, 25, 38]);
    assert_eq!(lines(arm, "KJ-E3-002", "2026-02-03"), vec![38]);
    let keys = "fixtures/KJ-E5-001/pass_now-2030-12-31.tf";
    assert!(lines(keys, "KJ-E5-001", "2030-12-31").is_empty());
    assert_eq!(lines(keys, "KJ-E5-001", "2031-01-01").len(), 2);
}
