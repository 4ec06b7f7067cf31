#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Every rule's fixtures, one test per folder `fixtures/<rule-id>/`, named
//! `<rule-id> <rule-name>`: `pass*` cases must produce no finding of that rule and `fail*` cases
//! exactly the findings marked `expect: <rule-id>` on their lines (`expect-ne:` expects a
//! not-evaluated entry instead). A case is a file or a directory (a module tree).
//!
//! This is its own harness (`harness = false`) so that a rule is run by its id or its name,
//! which are not Rust identifiers: `cargo test -p kijun-engine --test rules KJ-E3-004` or
//! `... cloudfront-tls-below-1-2`. It builds the engine only (no wasmtime, no CLI).
//!
//! A case whose name holds `now-YYYY-MM-DD` is scanned as of that date (`kijun check --now`),
//! for rules whose answer depends on a dated fact; other cases have no date (the catalogue's).

use kijun_engine::{Document, Options};
use std::collections::BTreeSet;

#[path = "support/repo.rs"]
mod repo;
use repo::{docs_in, root, RepoLoader};

/// Expected findings: `expect: <id>` (or `expect-ne:`) comments on the reported lines, or, for
/// formats without comments (JSON), a sidecar `<file>.expect` with lines `LINE ID` / `LINE ne ID`.
fn markers(docs: &[Document], tag: &str, id: &str) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    let ne = tag.starts_with("expect-ne");
    for d in docs {
        if let Ok(side) = std::fs::read_to_string(root().join(format!("{}.expect", d.path))) {
            for line in side.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                let (n, is_ne, rule) = match parts.as_slice() {
                    [n, "ne", r] => (n, true, r),
                    [n, r] => (n, false, r),
                    _ => continue,
                };
                if *rule == id && is_ne == ne {
                    out.insert((d.path.clone(), n.parse().unwrap()));
                }
            }
        }
        for (i, line) in d.content.lines().enumerate() {
            if let Some(pos) = line.find(tag) {
                let ids = &line[pos + tag.len()..];
                if ids.split([',', ' ']).any(|x| x.trim() == id) {
                    out.insert((d.path.clone(), i as u32 + 1));
                }
            }
        }
    }
    out
}

/// The scan date a case name asks for: `fail_arm_now-2026-01-15.json` → 2026-01-15.
fn case_date(name: &str) -> Option<kijun_engine::exceptions::Date> {
    let (_, rest) = name.split_once("now-")?;
    let date = rest.get(..10)?;
    Some(
        kijun_engine::exceptions::Date::parse(date)
            .unwrap_or_else(|| panic!("{name}: `now-` must be followed by a date YYYY-MM-DD")),
    )
}

/// Runs the cases of `fixtures/<id>/`; returns the problems found.
fn run_folder(id: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let dir = root().join("fixtures").join(id);
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let mut cases = 0;
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let is_pass = name.starts_with("pass");
        if (!is_pass && !name.starts_with("fail")) || name.ends_with(".expect") {
            continue;
        }
        cases += 1;
        let rel = format!("fixtures/{id}/{name}");
        let docs = docs_in(&rel);
        let want = markers(&docs, "expect: ", id);
        let want_ne = markers(&docs, "expect-ne: ", id);
        let mut opts = Options {
            only_rules: vec![id.to_string()],
            now: case_date(&name),
            ..Options::default()
        };
        // A fixture folder may carry the kijun.toml its rule needs (e.g. required tags).
        if let Ok(cfg) = std::fs::read_to_string(dir.join("kijun.toml")) {
            let cfg = kijun_engine::config::Config::parse(&cfg).unwrap();
            cfg.apply(&mut opts.settings);
            opts.classification = cfg.classification();
            opts.classification_rules = cfg.classification.rules.clone();
        }
        let out = kijun_engine::check(docs, &RepoLoader, &opts);
        for e in &out.errors {
            let (l, c, _, _) = out.sources.position(e.at);
            failures.push(format!(
                "{rel}: input error {}:{l}:{c}: {}",
                out.sources.path(e.at.file),
                e.message.en
            ));
        }
        let got: BTreeSet<(String, u32)> = out
            .findings
            .iter()
            .filter(|f| f.rule_id == id)
            .map(|f| {
                (
                    out.sources.path(f.at.file).to_string(),
                    out.sources.position(f.at).0,
                )
            })
            .collect();
        let got_ne: BTreeSet<(String, u32)> = out
            .not_evaluated
            .iter()
            .filter(|n| n.rule_id.as_deref() == Some(id))
            .map(|n| {
                (
                    out.sources.path(n.at.file).to_string(),
                    out.sources.position(n.at).0,
                )
            })
            .collect();
        if is_pass && !want.is_empty() {
            failures.push(format!("{rel}: a pass case must not carry expect markers"));
        }
        if !is_pass && want.is_empty() && want_ne.is_empty() {
            failures.push(format!(
                "{rel}: a fail case needs at least one `expect: {id}` marker"
            ));
        }
        if got != want {
            let msgs: Vec<String> = out
                .findings
                .iter()
                .map(|f| format!("{:?} {}", out.sources.position(f.at), f.message))
                .collect();
            failures.push(format!(
                "{rel}: expected findings at {want:?}, got {got:?}\n    {}",
                msgs.join("\n    ")
            ));
        }
        if got_ne != want_ne {
            failures.push(format!(
                "{rel}: expected not-evaluated at {want_ne:?}, got {got_ne:?}"
            ));
        }
    }
    if cases == 0 {
        failures.push(format!("fixtures/{id}: no pass or fail case"));
    }
    failures
}

/// One test: its name, and what it runs.
struct Test {
    name: String,
    id: String,
}

fn main() {
    // The arguments libtest accepts that matter here: filters (substrings of a test's name),
    // `--exact`, `--list`; other flags (`--nocapture`, `--test-threads`, `-q`) are accepted
    // and ignored.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let exact = args.iter().any(|a| a == "--exact");
    let list = args.iter().any(|a| a == "--list");
    let mut skip_next = false;
    let mut filters = Vec::new();
    for a in &args {
        if skip_next {
            skip_next = false;
            continue;
        }
        if ["--test-threads", "--skip", "--format", "--color", "-Z"].contains(&a.as_str()) {
            skip_next = true;
            continue;
        }
        if !a.starts_with('-') {
            filters.push(a.clone());
        }
    }
    let cat = kijun_rules::catalogue();
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    dirs.sort();
    let mut orphans = Vec::new();
    let tests: Vec<Test> = dirs
        .into_iter()
        .filter_map(|id| match cat.get(&id) {
            Some(r) => Some(Test {
                name: format!("{id} {}", r.name),
                id,
            }),
            None => {
                orphans.push(format!("fixtures/{id}: no such rule in the catalogue"));
                None
            }
        })
        .filter(|t| {
            filters.is_empty()
                || filters.iter().any(|f| {
                    if exact {
                        t.name == *f || t.id == *f
                    } else {
                        t.name.contains(f.as_str())
                    }
                })
        })
        .collect();
    if list {
        for t in &tests {
            println!("{}: test", t.name);
        }
        return;
    }
    println!("\nrunning {} tests", tests.len());
    let mut failed = Vec::new();
    let mut passed = 0;
    for t in &tests {
        let problems = run_folder(&t.id);
        if problems.is_empty() {
            println!("test {} ... ok", t.name);
            passed += 1;
        } else {
            println!("test {} ... FAILED", t.name);
            failed.push((t.name.clone(), problems));
        }
    }
    if filters.is_empty() && !orphans.is_empty() {
        failed.push(("fixture folders".to_string(), orphans));
    }
    if !failed.is_empty() {
        println!("\nfailures:\n");
        for (name, problems) in &failed {
            println!("---- {name} ----\n{}\n", problems.join("\n"));
        }
    }
    println!(
        "\ntest result: {}. {passed} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}
