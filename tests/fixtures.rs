#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Every rule's fixtures: `fixtures/<rule-id>/pass*` must produce no finding of that rule and
//! `fail*` exactly the findings marked `expect: <rule-id>` on their lines (a `expect-ne:` marker
//! expects a not-evaluated entry instead). A case is a file or a directory (a module tree).

mod common;

use kijun::engine::Options;
use std::collections::BTreeSet;

/// Expected findings: `expect: <id>` (or `expect-ne:`) comments on the reported lines, or, for
/// formats without comments (JSON), a sidecar `<file>.expect` with lines `LINE ID` / `LINE ne ID`.
fn markers(docs: &[kijun::engine::Document], tag: &str, id: &str) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    let ne = tag.starts_with("expect-ne");
    for d in docs {
        if let Ok(side) = std::fs::read_to_string(common::root().join(format!("{}.expect", d.path)))
        {
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

#[test]
fn every_fixture_produces_exactly_its_expected_findings() {
    let cat = kijun::rules::catalogue();
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .flatten()
        .collect();
    dirs.sort_by_key(|e| e.file_name());
    for dir in dirs {
        let id = dir.file_name().to_string_lossy().to_string();
        if cat.get(&id).is_none() {
            failures.push(format!("fixtures/{id}: no such rule in the catalogue"));
            continue;
        }
        let mut entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            let is_pass = name.starts_with("pass");
            if (!is_pass && !name.starts_with("fail")) || name.ends_with(".expect") {
                continue;
            }
            cases += 1;
            let rel = format!("fixtures/{id}/{name}");
            let docs = common::docs_in(&rel);
            let want = markers(&docs, "expect: ", &id);
            let want_ne = markers(&docs, "expect-ne: ", &id);
            let mut opts = Options {
                only_rules: vec![id.clone()],
                ..Options::default()
            };
            // A fixture folder may carry the kijun.toml its rule needs (e.g. required tags).
            if let Ok(cfg) = std::fs::read_to_string(dir.path().join("kijun.toml")) {
                let cfg = kijun::engine::config::Config::parse(&cfg).unwrap();
                cfg.apply(&mut opts.settings);
                opts.classification = cfg.classification();
                opts.classification_rules = cfg.classification.rules.clone();
            }
            let out = common::run(docs, &opts);
            for e in &out.errors {
                let (l, c, _, _) = out.sources.position(e.at);
                failures.push(format!(
                    "{rel}: input error {}:{l}:{c}: {}",
                    out.sources.path(e.at.file),
                    e.message
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
                .filter(|n| n.rule_id.as_deref() == Some(&id))
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
    }
    assert!(cases > 0);
    assert!(
        failures.is_empty(),
        "{} fixture problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
