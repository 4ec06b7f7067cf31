#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // why: test code may fail loudly
//! `scripts/new-rule` scaffolds a rule in exactly three places (the catalogue entry, the rule file
//! in its family folder, the fixtures) and nowhere else: there is no registry to edit. Run on a
//! temporary rule in a scratch copy of the tree, so the real catalogue is untouched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, base, out);
        } else {
            out.insert(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

#[test]
fn new_rule_touches_the_catalogue_the_rule_file_and_the_fixtures_only() {
    let scratch = std::env::temp_dir().join(format!("kijun-new-rule-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    // The parts of the tree the scaffold looks at: itself, the catalogue, the rule folders.
    copy(
        &repo().join("scripts/new-rule"),
        &scratch.join("scripts/new-rule"),
    );
    let mut catalogue = BTreeSet::new();
    files(&repo().join("policies/rules"), &repo(), &mut catalogue);
    for f in &catalogue {
        copy(&repo().join(f), &scratch.join(f));
    }
    for fam in ["cloud", "encryption", "logging", "network"] {
        std::fs::create_dir_all(scratch.join("crates/kijun-rules/src/rules").join(fam)).unwrap();
    }
    std::fs::create_dir_all(scratch.join("fixtures")).unwrap();
    let mut before = BTreeSet::new();
    files(&scratch, &scratch, &mut before);

    let run = |args: &[&str]| {
        Command::new("bash")
            .arg(scratch.join("scripts/new-rule"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["KJ-N99-001", "aws-vpc-demo-scaffold", "aws_vpc"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut after = BTreeSet::new();
    files(&scratch, &scratch, &mut after);
    let added: Vec<&String> = after.difference(&before).collect();
    assert_eq!(
        added,
        vec![
            "crates/kijun-rules/src/rules/network/aws_vpc_demo_scaffold.rs",
            "fixtures/KJ-N99-001/fail.tf",
            "fixtures/KJ-N99-001/pass.tf",
            "policies/rules/KJ-N99-001.toml",
        ]
    );
    for f in &before {
        assert_eq!(
            std::fs::read(scratch.join(f)).unwrap(),
            std::fs::read(repo().join(f)).unwrap(),
            "{f} changed"
        );
    }
    // The entry parses as a catalogue rule, and the rule file says which rule it is, so that
    // grep by id or by name lands on it.
    let toml = std::fs::read_to_string(scratch.join("policies/rules/KJ-N99-001.toml")).unwrap();
    let rule = kijun_rules::catalogue::parse_rule("KJ-N99-001.toml", &toml).unwrap();
    assert_eq!(
        (rule.id.as_str(), rule.name.as_str()),
        ("KJ-N99-001", "aws-vpc-demo-scaffold")
    );
    assert_eq!(rule.kinds, vec!["aws_vpc".to_string()]);
    let rs = std::fs::read_to_string(
        scratch.join("crates/kijun-rules/src/rules/network/aws_vpc_demo_scaffold.rs"),
    )
    .unwrap();
    assert!(rs.starts_with("//! KJ-N99-001 `aws-vpc-demo-scaffold`"));
    assert!(rs.contains("pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>)"));

    // Ids and names are never reused, and bad ids are refused with a reason.
    let again = run(&["KJ-N99-001", "aws-vpc-demo-other", "aws_vpc"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let taken = run(&["KJ-N99-002", "aws-vpc-demo-scaffold", "aws_vpc"]);
    assert!(String::from_utf8_lossy(&taken.stderr).contains("already named"));
    let bad = run(&["KJ-X1-001", "x", "aws_vpc"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("the id must look like"));
    let _ = std::fs::remove_dir_all(&scratch);
}
