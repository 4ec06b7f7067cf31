#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! A scanned repository is untrusted, and so is what it points at (docs/security.md). Each test
//! builds a hostile repository in a temporary directory, beside an `outside` directory that
//! stands for the rest of the machine (a home directory, credentials), runs the real `kijun`
//! binary with every report format at once, and requires that no byte of anything outside the
//! project root, and no environment variable, reaches any output or standard error; that the
//! refusal is listed with the file's own path; and that the rest of the scan goes on.

use crate::common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FORMATS: [&str; 7] = [
    "json", "sarif", "junit", "github", "gitlab", "markdown", "html",
];

/// A failing resource every scan must still report (the scan goes on).
const CANARY_TF: &str = r#"resource "aws_ebs_volume" "canary" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}
"#;

/// A scratch area: `repo/` (the scanned project, with the canary resource) beside `outside/`
/// (files the repository must not be able to read), removed when dropped.
struct Scratch {
    base: PathBuf,
    /// A string that appears only in files outside the project root and in the environment.
    secret: String,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let base =
            std::env::temp_dir().join(format!("kijun-confine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("repo")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        std::fs::create_dir_all(base.join("out")).unwrap();
        std::fs::write(base.join("repo/canary.tf"), CANARY_TF).unwrap();
        let secret = format!("SECRETCANARY{}x{name}", std::process::id()).replace('-', "");
        // A credentials file and a Terraform file with a syntax error: both would be shown as a
        // snippet if they were read.
        std::fs::write(
            base.join("outside/credentials"),
            format!("[default]\naws_access_key_id = {secret}\naws_secret_access_key = {secret}\n"),
        )
        .unwrap();
        std::fs::write(
            base.join("outside/secret.tf"),
            format!("resource \"x\" {{\n  token = {secret} {secret}\n"),
        )
        .unwrap();
        Scratch { base, secret }
    }

    fn repo(&self) -> PathBuf {
        self.base.join("repo")
    }

    fn outside(&self) -> PathBuf {
        self.base.join("outside")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.repo().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn link(&self, rel: &str, target: &Path) {
        let p = self.repo().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        symlink(target, p).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// Everything one run printed: exit code, text report (stdout), stderr, and each format's file.
struct Run {
    code: i32,
    text: String,
    stderr: String,
    files: Vec<(String, String)>,
}

impl Run {
    fn all(&self) -> String {
        let mut s = format!("{}\n{}\n", self.text, self.stderr);
        for (_, f) in &self.files {
            s.push_str(f);
            s.push('\n');
        }
        s
    }

    fn format(&self, name: &str) -> &str {
        &self.files.iter().find(|(n, _)| n == name).unwrap().1
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.format("json")).unwrap()
    }

    /// The input errors of the JSON report, as (file, message).
    fn errors(&self) -> Vec<(String, String)> {
        self.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["file"].as_str().unwrap().to_string(),
                    e["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn rules(&self) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    }
}

/// Runs `kijun check ARGS` from `cwd` with every format written (the text report on stdout),
/// the secret in the environment, and a deadline.
fn kijun(s: &Scratch, cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kijun"));
    cmd.current_dir(cwd)
        .arg("check")
        .args(args)
        .args(["--lang", "en", "--now", "2026-12-01", "--format", "text"])
        .env("KIJUN_TEST_SECRET", &s.secret)
        .env("AWS_SECRET_ACCESS_KEY", &s.secret)
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for f in FORMATS {
        let out = s.base.join(format!("out/report.{f}"));
        cmd.args(["--format", f, "--output"]).arg(&out);
    }
    let start = Instant::now();
    let child = cmd.spawn().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "kijun took {:?}",
        start.elapsed()
    );
    let files = FORMATS
        .iter()
        .map(|f| {
            let p = s.base.join(format!("out/report.{f}"));
            (
                f.to_string(),
                std::fs::read_to_string(&p).unwrap_or_default(),
            )
        })
        .collect();
    Run {
        code: out.status.code().unwrap_or(-1),
        text: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        files,
    }
}

/// No output carries the secret (from outside files or the environment).
fn assert_no_secret(s: &Scratch, r: &Run) {
    let all = r.all();
    assert!(
        !all.contains(&s.secret),
        "a secret from outside the project root reached a report:\n{}",
        all.lines()
            .filter(|l| l.contains(&s.secret))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The scan went on: every format was written and the canary's finding is in it.
fn assert_scan_went_on(r: &Run) {
    assert!(matches!(r.code, 0 | 1), "exit {}: {}", r.code, r.stderr);
    assert!(
        r.rules().iter().any(|id| id == "KJ-E1-001"),
        "the canary finding is missing: {:?}\n{}",
        r.rules(),
        r.stderr
    );
    for (f, text) in &r.files {
        assert!(!text.is_empty(), "--format {f} wrote nothing");
    }
}

fn assert_refused(r: &Run, file: &str, why: &str) {
    let errors = r.errors();
    assert!(
        errors
            .iter()
            .any(|(f, m)| f.ends_with(file) && m.contains(why)),
        "no error `{why}` for {file}: {errors:?}"
    );
    // The text report lists it too, under the file's own name.
    assert!(
        r.text.contains(file) && r.text.contains(why),
        "text report: {}",
        r.text
    );
}

#[test]
fn a_link_out_of_the_repository_is_not_read() {
    let s = Scratch::new("link-out");
    s.link("main.tf", &s.outside().join("secret.tf"));
    s.link("creds.tfvars", &s.outside().join("credentials"));
    let r = kijun(&s, &s.repo(), &["."]);
    assert_no_secret(&s, &r);
    assert_scan_went_on(&r);
    assert_refused(&r, "main.tf", "outside the project root; not read");
    assert_refused(&r, "creds.tfvars", "outside the project root; not read");
    // Named on the command line, as the pre-commit hook names staged files, it is refused too.
    let r = kijun(&s, &s.repo(), &["main.tf", "canary.tf"]);
    assert_no_secret(&s, &r);
    assert_refused(&r, "main.tf", "outside the project root; not read");
}

#[test]
fn a_link_to_the_process_environment_is_not_read() {
    let s = Scratch::new("environ");
    s.link("env.tf", Path::new("/proc/self/environ"));
    s.link("zero.tf", Path::new("/dev/zero"));
    let r = kijun(&s, &s.repo(), &["."]);
    assert_no_secret(&s, &r);
    assert_scan_went_on(&r);
    assert_refused(&r, "env.tf", "special file");
    assert_refused(&r, "zero.tf", "special file");
    // Even when the user scans the whole file system from /proc's point of view.
    let r = kijun(&s, &s.repo(), &["/proc/self/environ"]);
    assert_no_secret(&s, &r);
}

#[test]
fn kijun_toml_cannot_name_a_ledger_outside_the_repository() {
    for ledger in ["../outside/credentials", "ABSOLUTE"] {
        let s = Scratch::new("ledger");
        let path = if ledger == "ABSOLUTE" {
            s.outside().join("credentials").display().to_string()
        } else {
            ledger.to_string()
        };
        s.write(
            "kijun.toml",
            &format!("[exceptions]\nledger = \"{path}\"\n"),
        );
        let r = kijun(&s, &s.repo(), &["."]);
        assert_no_secret(&s, &r);
        assert_eq!(
            r.code, 2,
            "a ledger outside the root is a configuration error"
        );
        assert!(
            r.stderr.contains("exception ledger") && r.stderr.contains("outside the project root"),
            "{}",
            r.stderr
        );
        // A link inside the repository that leads out is refused the same way.
        let s2 = Scratch::new("ledger-link");
        s2.link("ledger.toml", &s2.outside().join("credentials"));
        s2.write("kijun.toml", "[exceptions]\nledger = \"ledger.toml\"\n");
        let r = kijun(&s2, &s2.repo(), &["."]);
        assert_no_secret(&s2, &r);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr.contains("outside the project root"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn a_ledger_given_by_the_user_may_be_anywhere() {
    // --config is the user's choice: its ledger is read wherever it is.
    let s = Scratch::new("user-config");
    std::fs::write(
        s.outside().join("kijun.toml"),
        "[exceptions]\nledger = \"ledger.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        s.outside().join("ledger.toml"),
        r#"[[exception]]
id = "EX-2026-001"
rules = ["KJ-E1-001"]
resources = ["aws_ebs_volume.canary"]
reason = "scratch volume, no data"
requested_by = "vendor@example.jp"
approved_by = "ciso@example.go.jp"
approved_on = 2026-11-01
expires_on = 2027-03-31
"#,
    )
    .unwrap();
    let config = s.outside().join("kijun.toml");
    let r = kijun(&s, &s.repo(), &[".", "--config", config.to_str().unwrap()]);
    assert!(matches!(r.code, 0 | 1), "{}", r.stderr);
    let excepted = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule_id"] == "KJ-E1-001" && f["status"] == "excepted");
    assert!(excepted, "the user's ledger was not applied: {}", r.stderr);
}

#[test]
fn kijun_toml_cannot_name_plugins_outside_the_repository() {
    let s = Scratch::new("plugins");
    // Not WebAssembly: reading it would only fail, but a name or a byte of it must not show.
    std::fs::write(s.outside().join("evil.wasm"), &s.secret).unwrap();
    let abs = s.outside().join("evil.wasm").display().to_string();
    s.link("plugins/linked.wasm", &s.outside().join("evil.wasm"));
    s.write(
        "kijun.toml",
        &format!("[plugins]\npaths = [\"../outside/*.wasm\", \"{abs}\", \"plugins/*.wasm\"]\n"),
    );
    let r = kijun(&s, &s.repo(), &["."]);
    assert_no_secret(&s, &r);
    assert_scan_went_on(&r);
    let errors = r.errors();
    let outside: Vec<_> = errors
        .iter()
        .filter(|(_, m)| m.contains("outside the project root; not read"))
        .collect();
    assert_eq!(outside.len(), 3, "{errors:?}");
    // A refused pattern is named as written; nothing below it was listed.
    assert!(
        errors
            .iter()
            .all(|(_, m)| !m.contains("evil.wasm") || m.contains(&abs)),
        "{errors:?}"
    );
}

#[test]
fn module_sources_stay_inside_the_project_root() {
    let s = Scratch::new("modules");
    // The project: a repository (it has .git) with an environment calling a shared module
    // above it, and a module source that leaves the repository.
    std::fs::create_dir_all(s.repo().join(".git")).unwrap();
    s.write(
        "modules/volume/main.tf",
        r#"resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}
"#,
    );
    std::fs::create_dir_all(s.outside().join("mod")).unwrap();
    std::fs::copy(
        s.outside().join("secret.tf"),
        s.outside().join("mod/main.tf"),
    )
    .unwrap();
    s.write(
        "envs/prod/main.tf",
        r#"provider "aws" {
  region = "ap-northeast-1"
}

module "shared" {
  source = "../../modules/volume"
}

module "escape" {
  source = "../../../outside/mod"
}
"#,
    );
    s.link("envs/prod/linked/main.tf", &s.outside().join("secret.tf"));
    s.write(
        "envs/prod/more.tf",
        "module \"linked\" {\n  source = \"./linked\"\n}\n",
    );
    let prod = s.repo().join("envs/prod");
    let r = kijun(&s, &prod, &["."]);
    assert_no_secret(&s, &r);
    // The module above the scanned directory but inside the repository is evaluated.
    let from_module = r.json()["findings"].as_array().unwrap().iter().any(|f| {
        f["resource"] == "module.shared.aws_ebs_volume.data" && f["rule_id"] == "KJ-E1-001"
    });
    assert!(
        from_module,
        "module.shared not evaluated: {}",
        r.format("json")
    );
    let errors = r.errors();
    assert!(
        errors
            .iter()
            .any(|(f, m)| f.ends_with("outside/mod") && m.contains("outside the project root")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(f, m)| f.ends_with("linked/main.tf") && m.contains("outside the project root")),
        "{errors:?}"
    );
    // With --root narrowed to the environment, the shared module is outside too.
    let r = kijun(&s, &prod, &[".", "--root", "."]);
    assert_no_secret(&s, &r);
    assert!(
        r.errors()
            .iter()
            .any(|(f, m)| f.ends_with("modules/volume") && m.contains("outside the project root")),
        "{:?}",
        r.errors()
    );
    // --root must hold the scanned paths.
    let r = kijun(&s, &prod, &[".", "--root", "../../modules"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn fifos_and_link_loops_end_in_errors_not_hangs() {
    let s = Scratch::new("fifo");
    let fifo = s.repo().join("pipe.tf");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(
        made.success(),
        "mkfifo failed: the FIFO case cannot be built"
    );
    s.link("a.tf", &s.repo().join("b.tf"));
    s.link("b.tf", &s.repo().join("a.tf"));
    // A FIFO named by a link, and by kijun.toml as the ledger.
    s.link("via-link.tf", &fifo);
    let r = kijun(&s, &s.repo(), &["."]);
    assert_scan_went_on(&r);
    assert_refused(&r, "pipe.tf", "not a regular file");
    assert_refused(&r, "via-link.tf", "not a regular file");
    assert!(
        r.errors().iter().any(|(f, _)| f.ends_with("a.tf")),
        "{:?}",
        r.errors()
    );
    s.write("kijun.toml", "[exceptions]\nledger = \"pipe.tf\"\n");
    let r = kijun(&s, &s.repo(), &["."]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
}

#[test]
fn binary_files_never_show_a_snippet() {
    let s = Scratch::new("binary");
    let mut bytes = format!("password = \"{}\"\n", s.secret).into_bytes();
    bytes.extend_from_slice(b"\0\x01\x02");
    std::fs::write(s.repo().join("blob.tf"), bytes).unwrap();
    let r = kijun(&s, &s.repo(), &["."]);
    assert_no_secret(&s, &r);
    assert_scan_went_on(&r);
    assert_refused(&r, "blob.tf", "binary file");
}

/// Untrusted text in a value: terminal escapes (clear screen, set the clipboard through OSC 52,
/// a title), bidirectional overrides, a forged workflow command on a new line, and Markdown
/// that would become a link and a mention in a pull-request comment.
const HOSTILE_REGION: &str = r#"us-east-1\u001b[2J\u001b]52;c;aGk=\u0007\u202egnp.exe\n::error::all checks passed [click](https://evil.example/x) @security-team"#;

#[test]
fn control_and_bidi_characters_are_inert_in_every_format() {
    let s = Scratch::new("controls");
    s.write(
        "main.tf",
        &format!(
            "provider \"aws\" {{\n  region = \"{HOSTILE_REGION}\"\n}}\n\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"b\"\n}}\n"
        ),
    );
    // A file name with an escape sequence in it.
    s.write("evil\u{1b}[31m.tf", "variable \"x\" {\n");
    let r = kijun(&s, &s.repo(), &["."]);
    assert_scan_went_on(&r);
    assert!(
        r.rules().iter().any(|id| id == "KJ-C1-001"),
        "the region finding is missing: {:?}",
        r.rules()
    );
    for (name, text) in [("text", r.text.as_str()), ("stderr", r.stderr.as_str())]
        .into_iter()
        .chain(r.files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        // JSON keeps values as data; its encoder escapes controls (\u001b) and the contract
        // carries no terminal output, but bidirectional characters stay data there.
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c < ' ' && !matches!(c, '\n' | '\r' | '\t'))
                    || ('\u{7f}'..='\u{9f}').contains(&c)
                    || (name != "json"
                        && (('\u{202a}'..='\u{202e}').contains(&c)
                            || ('\u{2066}'..='\u{2069}').contains(&c)))
            })
            .collect();
        assert!(bad.is_empty(), "{name}: raw {bad:?}");
    }
    // Shown escaped where a person reads them. The terminal report wraps long lines at
    // break opportunities (one lies before `[`), so its lines are joined first.
    let unwrapped = r
        .text
        .lines()
        .map(|l| l.trim_start_matches([' ', '│', '·']))
        .collect::<String>();
    assert!(unwrapped.contains(r"\u{1b}[2J"), "{}", r.text);
    assert!(unwrapped.contains(r"\u{202e}"), "{}", r.text);
    assert!(r.format("html").contains(r"\u{1b}[2J"));
    assert!(r.format("junit").contains(r"\u{1b}[2J"));
    // The forged command stays inside the annotation: no line of the workflow commands starts
    // with anything but kijun's own commands.
    for line in r.format("github").lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "a value started a line of its own: {line}"
        );
    }
    assert!(!r.format("github").contains("\n::error::all checks passed"));
    // In Markdown, the link and the mention are inert code spans.
    let md = r.format("markdown");
    assert!(md.contains("`[click](https://evil.example/x)`"), "{md}");
    assert!(md.contains("`@security-team"), "{md}");
    assert!(!md.contains(" @security-team"), "{md}");
    assert!(!md.contains("\n::error"), "{md}");
}

#[test]
fn isolated_ignores_the_repositorys_own_configuration() {
    let s = Scratch::new("isolated");
    // The repository tries to excuse itself: it skips the rule its canary breaks.
    s.write(
        "kijun.toml",
        "[rules]\nskip = [\"KJ-E1-001\"]\n[classification]\nconfidentiality = 1\n",
    );
    let r = kijun(&s, &s.repo(), &["."]);
    assert!(!r.rules().iter().any(|id| id == "KJ-E1-001"));
    assert!(r.format("html").contains("found in the scanned tree"));
    let r = kijun(&s, &s.repo(), &[".", "--isolated"]);
    assert!(
        r.rules().iter().any(|id| id == "KJ-E1-001"),
        "--isolated still read the tree's kijun.toml"
    );
    let html = r.format("html");
    assert!(
        html.contains(
            "isolated: no kijun.toml, ledger or plugin setting of the scanned tree was read"
        ),
        "the report does not say it ran isolated"
    );
    let sarif: serde_json::Value = serde_json::from_str(r.format("sarif")).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["configuration"]["isolated"],
        true
    );
    let json: serde_json::Value = serde_json::from_str(r.format("json")).unwrap();
    assert_eq!(json["run"]["isolated"], true);
    assert_eq!(json["run"]["config"], serde_json::Value::Null);
    // The inspector's own configuration still applies.
    std::fs::write(
        s.outside().join("inspector.toml"),
        "[rules]\nskip = [\"KJ-E1-001\"]\n",
    )
    .unwrap();
    let cfg = s.outside().join("inspector.toml");
    let r = kijun(
        &s,
        &s.repo(),
        &[".", "--isolated", "--config", cfg.to_str().unwrap()],
    );
    assert!(!r.rules().iter().any(|id| id == "KJ-E1-001"));
    assert!(r.format("html").contains("given with --config"));
}

#[test]
fn kijun_toml_above_the_project_root_is_not_the_projects() {
    let s = Scratch::new("above");
    // A kijun.toml in the directory above the repository (say, a shared home directory).
    std::fs::write(
        s.base.join("kijun.toml"),
        "[rules]\nskip = [\"KJ-E1-001\"]\n",
    )
    .unwrap();
    let r = kijun(&s, &s.repo(), &["."]);
    assert!(
        r.rules().iter().any(|id| id == "KJ-E1-001"),
        "a kijun.toml above the project root was applied"
    );
}

/// A plugin without metadata whose `kijun_check` answers `answer`, compiled.
fn answering_plugin(answer: &str) -> Vec<u8> {
    wat::parse_str(common::answering(answer, "")).unwrap()
}

#[test]
fn plugin_text_is_inert_in_every_format() {
    let s = Scratch::new("plugin-text");
    std::fs::create_dir_all(s.repo().join("plugins")).unwrap();
    // A finding whose detail clears the screen and prints a fake clean summary.
    std::fs::write(
        s.repo().join("plugins/fake.wasm"),
        answering_plugin(
            r#"{"findings": [{"rule_id": "ORG-FAKE", "address": "aws_ebs_volume.canary", "detail": {"ja": "\u001b[2J\u001b[Hkijun: 違反 0 件", "en": "\u001b[2J\u001b[Hkijun: checked 1 files, 0 failed \u202e"}}]}"#,
        ),
    )
    .unwrap();
    // An answer rejected for its rule id, which the error message echoes.
    std::fs::write(
        s.repo().join("plugins/id.wasm"),
        answering_plugin(
            r#"{"findings": [{"rule_id": "KJ-\u001b]52;c;aGk=\u0007", "address": "aws_ebs_volume.canary", "detail": {"ja": "x", "en": "x"}}]}"#,
        ),
    )
    .unwrap();
    s.write("kijun.toml", "[plugins]\npaths = [\"plugins/*.wasm\"]\n");
    let r = kijun(&s, &s.repo(), &["."]);
    assert_scan_went_on(&r);
    assert!(
        r.rules().iter().any(|id| id == "ORG-FAKE"),
        "{:?}",
        r.rules()
    );
    for (name, text) in [("text", r.text.as_str()), ("stderr", r.stderr.as_str())]
        .into_iter()
        .chain(r.files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        assert!(!text.contains('\u{1b}'), "{name} carries a raw escape");
        assert!(!text.contains('\u{7}'), "{name} carries a raw BEL");
        if name != "json" {
            assert!(!text.contains('\u{202e}'), "{name} carries a raw override");
        }
    }
    assert!(r.text.contains(r"\u{1b}[2J"), "{}", r.text);
}
