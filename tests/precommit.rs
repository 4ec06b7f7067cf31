#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The pre-commit hook with the real `pre-commit` (pip install pre-commit).
//!
//! The published `.pre-commit-hooks.yaml` uses `language: rust`, so pre-commit builds kijun with
//! `cargo install` on first use: a release build of the whole workspace, several minutes on a
//! CI machine. The default test therefore runs the published hook's definition (id, entry,
//! files, pass_filenames) as a `repo: local` hook with `language: system` and the binary cargo
//! has just built, in a throwaway git repository, and checks that the manifest itself is valid
//! for pre-commit. The published hook exactly as users get it (this repository at a revision in
//! `.pre-commit-config.yaml`, cargo install included) is an ignored test, run by the scheduled
//! workflow `.github/workflows/precommit-rust.yml` and by hand with
//! `cargo test --test it precommit:: -- --ignored`.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};
use support::{get, git, string, tempdir, yaml, BAD_TF, GOOD_TF};

fn pre_commit(dir: &Path, args: &[&str], home: &Path) -> Output {
    Command::new("pre-commit")
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .output()
        .unwrap_or_else(|e| {
            panic!("pre-commit is not installed ({e}): install it with `pip install pre-commit`")
        })
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn require_pre_commit() {
    let ok = Command::new("pre-commit")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "pre-commit is not installed: install it with `pip install pre-commit` (the hook is tested with the real tool)"
    );
}

/// The published hook definition.
struct Hook {
    id: String,
    name: String,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
}

fn published_hook() -> Hook {
    let doc = yaml(".pre-commit-hooks.yaml");
    let hooks = doc.as_list().expect("a list of hooks");
    assert_eq!(hooks.len(), 1);
    let h = &hooks[0];
    Hook {
        id: string(h, "id").unwrap(),
        name: string(h, "name").unwrap(),
        entry: string(h, "entry").unwrap(),
        language: string(h, "language").unwrap(),
        files: string(h, "files").unwrap(),
        pass_filenames: get(h, "pass_filenames").and_then(|v| v.as_bool()) == Some(true),
    }
}

#[test]
fn published_hook_is_valid_and_matches_the_supported_files() {
    require_pre_commit();
    let h = published_hook();
    assert_eq!(h.id, "kijun");
    assert_eq!(h.entry, "kijun check");
    assert_eq!(h.language, "rust");
    assert!(h.pass_filenames);
    assert!(h.name.contains("kijun"));
    let home = tempdir("precommit-home-manifest");
    let out = pre_commit(
        &support::root(),
        &["validate-manifest", ".pre-commit-hooks.yaml"],
        &home,
    );
    assert!(out.status.success(), "{}", text(&out));
    // pre-commit matches `files` with Python's re.search: check it the same way.
    let script = r#"
import re, sys
pattern = re.compile(sys.argv[1])
yes = ["main.tf", "a/b/c.tf.json", "prod.tfvars", "x.tfvars.json", "k8s/deploy.yaml",
       "ci.yml", "template.json", "stack.template", "plan.json"]
no = ["main.go", "README.md", "tf", "a.tfstate", "yaml.txt", "main.tf.bak"]
bad = [f for f in yes if not pattern.search(f)] + [f for f in no if pattern.search(f)]
print("mismatched:", bad)
sys.exit(1 if bad else 0)
"#;
    let out = Command::new("python3")
        .args(["-c", script, &h.files])
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "files regex: {}", text(&out));
    // Every extension the pattern accepts is one kijun reads.
    for f in [
        "main.tf",
        "a.tf.json",
        "p.tfvars",
        "k.yaml",
        "k.yml",
        "t.json",
        "s.template",
    ] {
        assert!(kijun::engine::is_candidate(f), "{f}");
    }
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn hook_fails_on_a_bad_file_and_passes_on_a_good_one() {
    require_pre_commit();
    let h = published_hook();
    let dir = tempdir("precommit-repo");
    let home = tempdir("precommit-home");
    git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("bad.tf"), BAD_TF).unwrap();
    std::fs::write(dir.join("good.tf"), GOOD_TF).unwrap();
    std::fs::write(dir.join("README.md"), "not checked\n").unwrap();
    // The published hook with only the installation changed: the binary cargo built for this
    // test run instead of pre-commit's own `cargo install`.
    let (program, args) = h.entry.split_once(' ').unwrap();
    assert_eq!(program, "kijun");
    let bin = support::kijun_bin();
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: {}\n        name: {}\n        entry: \"'{}' {}\"\n        language: system\n        files: '{}'\n        pass_filenames: {}\n",
        h.id,
        h.name,
        bin.display(),
        args,
        h.files.replace('\'', "''"),
        h.pass_filenames
    );
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    git(
        &dir,
        &[
            "add",
            "bad.tf",
            "good.tf",
            "README.md",
            ".pre-commit-config.yaml",
        ],
    );

    let bad = pre_commit(&dir, &["run", "kijun", "--files", "bad.tf"], &home);
    let out = text(&bad);
    assert_eq!(
        bad.status.code(),
        Some(1),
        "the hook must fail on bad.tf:\n{out}"
    );
    assert!(out.contains("Failed"), "{out}");
    assert!(out.contains("KJ-E1-001"), "the finding is shown:\n{out}");

    let good = pre_commit(&dir, &["run", "kijun", "--files", "good.tf"], &home);
    assert!(
        good.status.success(),
        "the hook must pass on good.tf:\n{}",
        text(&good)
    );
    assert!(text(&good).contains("Passed"), "{}", text(&good));

    // Files kijun does not read are not passed to it at all.
    let skipped = pre_commit(&dir, &["run", "kijun", "--files", "README.md"], &home);
    assert!(skipped.status.success(), "{}", text(&skipped));
    assert!(
        text(&skipped).contains("no files to check"),
        "{}",
        text(&skipped)
    );

    // The staged-files path a real commit takes: both files staged, the bad one fails the run.
    let all = pre_commit(&dir, &["run", "kijun"], &home);
    assert_eq!(all.status.code(), Some(1), "{}", text(&all));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&home);
}

/// This repository's working tree (tracked and untracked files, .gitignore respected) as a
/// throwaway git repository, so pre-commit builds what is on disk, committed or not.
fn snapshot_of_this_repository() -> std::path::PathBuf {
    let root = support::root();
    let out = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .expect("git runs");
    assert!(out.status.success());
    let snap = tempdir("precommit-snapshot");
    for rel in out.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = String::from_utf8_lossy(rel).to_string();
        let from = root.join(&rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = snap.join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    git(&snap, &["init", "-q"]);
    git(&snap, &["add", "-A"]);
    git(&snap, &["commit", "-q", "-m", "snapshot for pre-commit"]);
    snap
}

/// The published hook exactly as users get it: a `.pre-commit-config.yaml` naming this
/// repository and a revision, so pre-commit clones it and builds kijun with `cargo install`
/// (once; the second run reuses the environment in PRE_COMMIT_HOME). The build compiles the whole
/// CLI in release mode (wasmtime included), far too slow for every test run: it runs weekly
/// (`.github/workflows/precommit-rust.yml`) and on demand with `-- --ignored`.
#[test]
#[ignore = "builds kijun in release mode through pre-commit (several minutes); run weekly by .github/workflows/precommit-rust.yml, or with `cargo test --test it precommit:: -- --ignored`"]
fn published_rust_hook_builds_and_runs() {
    require_pre_commit();
    let dir = tempdir("precommit-rust");
    let home = tempdir("precommit-rust-home");
    let snap = snapshot_of_this_repository();
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&snap)
        .output()
        .unwrap();
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
    git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("bad.tf"), BAD_TF).unwrap();
    std::fs::write(dir.join("good.tf"), GOOD_TF).unwrap();
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: kijun\n",
            snap.display()
        ),
    )
    .unwrap();
    git(
        &dir,
        &["add", "bad.tf", "good.tf", ".pre-commit-config.yaml"],
    );
    let started = std::time::Instant::now();
    let bad = pre_commit(&dir, &["run", "kijun", "--files", "bad.tf"], &home);
    eprintln!(
        "first run of the published hook, cargo install included: {:.0?}",
        started.elapsed()
    );
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("KJ-E1-001"), "{}", text(&bad));
    let started = std::time::Instant::now();
    let good = pre_commit(&dir, &["run", "kijun", "--files", "good.tf"], &home);
    eprintln!("second run: {:.0?}", started.elapsed());
    assert!(good.status.success(), "{}", text(&good));
    for d in [dir, home, snap] {
        let _ = std::fs::remove_dir_all(d);
    }
}
