#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! `kijun check FILE…` judges each file in its context (its Terraform module with the module's
//! variables and tfvars, the root that calls it, the namespace's other manifests beside it) and
//! reports, for those files, exactly what a scan of the directory reports for them. pre-commit
//! passes only the staged files, so the hook is checked the same way with the real `pre-commit`.

use crate::support;

use serde_json::Value as Json;
use std::path::Path;
use std::process::{Command, Output};
use support::{git, kijun_bin, root, tempdir};

fn kijun(args: &[&str], cwd: &Path) -> Output {
    Command::new(kijun_bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("kijun runs")
}

fn report(args: &[&str], cwd: &Path) -> Json {
    let mut all = vec!["check", "--format", "json", "--lang", "en"];
    all.extend_from_slice(args);
    let out = kijun(&all, cwd);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Every finding and value not evaluated of a report that is in `file`, as the report prints it.
fn about(v: &Json, file: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for key in ["findings", "not_evaluated"] {
        for item in v[key].as_array().map(Vec::as_slice).unwrap_or_default() {
            if item["file"].as_str() == Some(file) {
                out.push(serde_json::json!({ key: item }));
            }
        }
    }
    out
}

fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(root())
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn each_file_of_the_example_reports_what_the_directory_scan_reports_for_it() {
    let scan = report(&["examples/agency-portal"], &root());
    let files = files_below(&root().join("examples/agency-portal"));
    assert!(files.len() >= 6, "{files:?}");
    let mut seen = 0;
    for f in &files {
        let want = about(&scan, f);
        seen += want.len();
        let alone = report(&[f], &root());
        assert_eq!(
            about(&alone, f),
            want,
            "`kijun check {f}` differs from the directory scan for {f}"
        );
        // Nothing is reported about the files read only for context.
        for item in alone["findings"].as_array().unwrap() {
            assert_eq!(item["file"].as_str(), Some(f.as_str()), "{item}");
        }
    }
    assert!(seen >= 5, "the example has findings in its files: {seen}");
    // The summary counts the resources each file defines, not those of the context read with
    // it: over the files, they add up to the directory scan's count.
    let counted = |v: &Json| v["summary"]["resources"].as_u64().unwrap();
    let per_file: Vec<u64> = files
        .iter()
        .map(|f| counted(&report(&[f], &root())))
        .collect();
    assert_eq!(
        per_file.iter().sum::<u64>(),
        counted(&scan),
        "{files:?} {per_file:?}"
    );
    assert!(
        per_file.contains(&0),
        "a file without resources counts none: {per_file:?}"
    );

    // The case: a security group open to the world through a variable whose value is
    // in terraform.tfvars is a failure, not "not evaluated", when network.tf is checked alone.
    let network = report(&["examples/agency-portal/network.tf"], &root());
    let failed: Vec<&str> = network["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "failed")
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert!(!failed.is_empty(), "{network:#}");

    // Several files at once: each reported as in the scan, nothing else.
    let pair = report(
        &[
            "examples/agency-portal/network.tf",
            "examples/agency-portal/logging.tf",
        ],
        &root(),
    );
    for f in [
        "examples/agency-portal/network.tf",
        "examples/agency-portal/logging.tf",
    ] {
        assert_eq!(about(&pair, f), about(&scan, f), "{f}");
    }
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: portal
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.go.jp/portal/web:1.4.2
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          resources:
            limits: {cpu: 500m, memory: 256Mi}
";

const NETWORK_POLICY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: portal
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
";

const PDB: &str = "apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: portal
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
";

#[test]
fn a_manifest_given_alone_still_sees_its_namespace_beside_it() {
    let dir = tempdir("single-k8s");
    std::fs::write(dir.join("deployment.yaml"), DEPLOYMENT).unwrap();
    std::fs::write(dir.join("networkpolicy.yaml"), NETWORK_POLICY).unwrap();
    std::fs::write(dir.join("pdb.yaml"), PDB).unwrap();
    let scan = report(&["."], &dir);
    let alone = report(&["deployment.yaml"], &dir);
    assert_eq!(
        about(&alone, "deployment.yaml"),
        about(&scan, "deployment.yaml")
    );
    // Without its neighbours the same manifest is judged differently: the context matters.
    let lonely = tempdir("single-k8s-lonely");
    std::fs::write(lonely.join("deployment.yaml"), DEPLOYMENT).unwrap();
    let bare = report(&["deployment.yaml"], &lonely);
    assert_ne!(
        about(&bare, "deployment.yaml"),
        about(&alone, "deployment.yaml"),
        "the NetworkPolicy and PodDisruptionBudget beside the Deployment change its findings"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&lonely);
}

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

#[test]
fn precommit_with_one_staged_file_reports_what_the_directory_scan_reports_for_it() {
    let repo = tempdir("single-precommit");
    let home = tempdir("single-precommit-home");
    let example = repo.join("infra");
    for f in files_below(&root().join("examples/agency-portal")) {
        let to = example.join(f.strip_prefix("examples/agency-portal/").unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join(&f), to).unwrap();
    }
    git(&repo, &["init", "-q"]);
    let json_out = repo.join("hook.json");
    // The published hook (.pre-commit-hooks.yaml: `kijun check`, pass_filenames) as a local
    // hook running the binary cargo built, writing its JSON report to a file.
    let config = format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: kijun\n        name: kijun\n        entry: \"'{}' check --lang en --format json --output '{}'\"\n        language: system\n        files: '(\\.tf|\\.tf\\.json|\\.tfvars|\\.tfvars\\.json|\\.ya?ml|\\.json|\\.template)$'\n        exclude: '^\\.pre-commit-config\\.yaml$'\n        pass_filenames: true\n",
        kijun_bin().display(),
        json_out.display()
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "example"]);
    // A change to network.tf alone is staged; its module's other files are committed and
    // unchanged.
    let network = example.join("network.tf");
    let mut text = std::fs::read_to_string(&network).unwrap();
    text.push_str("\n# reviewed\n");
    std::fs::write(&network, text).unwrap();
    git(&repo, &["add", "infra/network.tf"]);

    let out = pre_commit(&repo, &["run", "kijun"], &home);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let hook: Json = serde_json::from_slice(
        &std::fs::read(&json_out)
            .unwrap_or_else(|e| panic!("the hook wrote no report ({e}):\n{shown}")),
    )
    .unwrap();
    let scan = report(&["infra"], &repo);
    let want = about(&scan, "infra/network.tf");
    assert!(!want.is_empty(), "{scan:#}");
    assert_eq!(about(&hook, "infra/network.tf"), want, "{shown}");
    for item in hook["findings"].as_array().unwrap() {
        assert_eq!(
            item["file"], "infra/network.tf",
            "only the staged file is reported: {item}"
        );
    }
    assert_eq!(
        out.status.code(),
        Some(1),
        "network.tf has failures:\n{shown}"
    );
    let _ = std::fs::remove_dir_all(&repo);
    let _ = std::fs::remove_dir_all(&home);
}
