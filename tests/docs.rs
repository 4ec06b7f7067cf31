#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Generated documentation stays fresh: `docs/rules.md` is the catalogue rendered by
//! `kijun rules --format markdown`. Run with KIJUN_BLESS=1 to rewrite it (any other value, `0`
//! included, only checks).

use crate::common;

#[test]
fn rules_table_is_fresh() {
    let path = common::root().join("docs/rules.md");
    let want = kijun::rules::docs::markdown();
    if std::env::var("KIJUN_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/rules.md is stale: run `KIJUN_BLESS=1 cargo test --test it docs::`"
    );
}

/// `kijun rules --format markdown` prints what docs/rules.md holds, and `kijun rules` filters by
/// article and platform: the command end to end.
#[test]
fn rules_command_prints_the_catalogue() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kijun"))
            .args(args)
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run(&["rules", "--format", "markdown"]),
        kijun::rules::docs::markdown()
    );
    let all: serde_json::Value =
        serde_json::from_str(&run(&["rules", "--format", "json"])).unwrap();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .or_else(|| v["rules"].as_array())
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let every: Vec<String> = kijun::rules::catalogue()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(ids(&all), every);
    // --article 133: exactly the rules citing 第133条 (any paragraph or item).
    let cites_133: Vec<String> = kijun::rules::catalogue()
        .rules
        .iter()
        .filter(|r| {
            r.articles
                .iter()
                .any(|a| a == "133" || a.starts_with("133-"))
        })
        .map(|r| r.id.clone())
        .collect();
    assert!(!cites_133.is_empty() && cites_133.len() < every.len());
    let v: serde_json::Value =
        serde_json::from_str(&run(&["rules", "--article", "133", "--format", "json"])).unwrap();
    assert_eq!(ids(&v), cites_133);
    // --platform kubernetes: only rules that claim it.
    let k8s: Vec<String> = kijun::rules::catalogue()
        .rules
        .iter()
        .filter(|r| r.platforms.iter().any(|p| p == "kubernetes"))
        .map(|r| r.id.clone())
        .collect();
    assert!(!k8s.is_empty() && k8s.len() < every.len());
    let v: serde_json::Value = serde_json::from_str(&run(&[
        "rules",
        "--platform",
        "kubernetes",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(ids(&v), k8s);
    // The text table names every rule.
    let text = run(&["rules", "--lang", "en"]);
    for id in &every {
        assert!(
            text.contains(id.as_str()),
            "{id} missing from `kijun rules`"
        );
    }
}

/// `kijun explain` prints the rule's title, articles and remediation in the chosen language,
/// finds a rule by name too, and refuses an unknown id with a usage error.
#[test]
fn explain_command_describes_a_rule() {
    let rule = kijun::rules::catalogue()
        .rules
        .iter()
        .find(|r| r.id == "KJ-E1-001")
        .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kijun"))
            .args(args)
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    for (lang, title) in [("en", &rule.title.en), ("ja", &rule.title.ja)] {
        let out = run(&["explain", "KJ-E1-001", "--lang", lang]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("KJ-E1-001"), "{text}");
        assert!(
            text.contains(title.as_str()),
            "{lang}: {title} missing:\n{text}"
        );
        for a in &rule.articles {
            let n = a.split('-').next().unwrap();
            assert!(text.contains(n), "{lang}: article {a} missing:\n{text}");
        }
    }
    let by_name = run(&["explain", &rule.name, "--lang", "en"]);
    assert_eq!(by_name.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&by_name.stdout).contains(rule.title.en.as_str()));
    let unknown = run(&["explain", "KJ-E1-999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("KJ-E1-999"));
}

/// docs/accuracy.md's recall table by control family is the sum of the per-control counts that
/// docs/traceability.md (generated and checked by the traceability test) lists: a change to the
/// controls that leaves the hand-written summary behind fails here.
#[test]
fn the_recall_summary_adds_up_the_traceability_table() {
    let root = common::root();
    let trace = std::fs::read_to_string(root.join("docs/traceability.md")).unwrap();
    let mut families: std::collections::BTreeMap<String, [u64; 4]> = Default::default();
    for line in trace.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | control | article | rows | checked | not checked yet | not representable |
        if cells.len() != 8 {
            continue;
        }
        let control = cells[1];
        let family = if control == "§0" {
            "§0".to_string()
        } else if control.len() > 1
            && control.starts_with(['C', 'N', 'L', 'E'])
            && control[1..].chars().all(|c| c.is_ascii_digit())
        {
            control[..1].to_string()
        } else {
            continue;
        };
        let Ok(counts) = cells[3..7]
            .iter()
            .map(|c| c.parse::<u64>())
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let sum = families.entry(family).or_default();
        for (s, c) in sum.iter_mut().zip(counts) {
            *s += c;
        }
    }
    assert_eq!(families.len(), 5, "{families:?}");
    let accuracy = std::fs::read_to_string(root.join("docs/accuracy.md")).unwrap();
    for (family, label) in [
        ("§0", "§0 classification"),
        ("C", "C1–C8 cloud services"),
        ("N", "N1–N14 network"),
        ("L", "L1–L5 logging"),
        ("E", "E1–E7 encryption and signatures"),
    ] {
        let [rows, checked, open, never] = families[family];
        let want = format!("| {label} | {rows} | {checked} | {open} | {never} |");
        assert!(
            accuracy.contains(&want),
            "docs/accuracy.md should have the row `{want}` (from docs/traceability.md)"
        );
    }
}
