#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Invariants over the whole catalogue, run without building the CLI (STYLE.md): ids unique and well-formed, every rule cites
//! articles that exist, is documented in both languages, is wired to a check, and has pass and
//! fail fixtures for every platform it claims.

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

use std::collections::BTreeSet;

fn articles() -> BTreeSet<String> {
    let doc: toml::Table = toml::from_str(kijun_rules::ARTICLES).expect("articles.toml parses");
    let mut out = BTreeSet::new();
    for a in doc["article"].as_array().unwrap() {
        let n = a["number"].as_integer().unwrap();
        out.insert(format!("{n}"));
        for p in a
            .get("paragraph")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            let pn = p["number"].as_integer().unwrap();
            out.insert(format!("{n}-{pn}"));
            for i in p
                .get("items")
                .and_then(|i| i.as_array())
                .into_iter()
                .flatten()
            {
                out.insert(format!("{n}-{pn}-{}", i["number"].as_integer().unwrap()));
            }
        }
    }
    out
}

#[test]
fn catalogue_parses_and_ids_are_unique() {
    let cat = kijun_rules::catalogue();
    assert!(cat.errors.is_empty(), "{:#?}", cat.errors);
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in &cat.rules {
        assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
        assert!(names.insert(r.name.clone()), "duplicate name {}", r.name);
        let parts: Vec<&str> = r.id.split('-').collect();
        assert!(
            parts.len() == 3 && parts[0] == "KJ" && parts[1] == r.control && parts[2].len() == 3,
            "{}: id must be KJ-<control>-NNN",
            r.id
        );
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: name must be kebab-case",
            r.id
        );
    }
}

#[test]
fn every_rule_cites_existing_articles() {
    let known = articles();
    for r in &kijun_rules::catalogue().rules {
        assert!(!r.articles.is_empty(), "{} cites nothing", r.id);
        for a in &r.articles {
            assert!(
                known.contains(a),
                "{} cites {a}, which is not in policies/articles.toml",
                r.id
            );
        }
    }
}

#[test]
fn every_rule_is_documented_in_both_languages() {
    for r in &kijun_rules::catalogue().rules {
        for (what, t) in [
            ("title", &r.title),
            ("message", &r.message),
            ("remediation", &r.remediation),
            ("docs.what", &r.docs.what),
            ("docs.why", &r.docs.why),
        ] {
            assert!(
                !t.ja.trim().is_empty() && !t.en.trim().is_empty(),
                "{}: {what} needs ja and en",
                r.id
            );
        }
        assert!(
            r.message.en.contains("{resource}") && r.message.ja.contains("{resource}"),
            "{}: message must name the resource",
            r.id
        );
        assert!(
            !r.message.en.ends_with('.'),
            "{}: messages do not end with a period",
            r.id
        );
        assert!(
            r.applies.min >= 1 && r.applies.min <= 3,
            "{}: applies.min out of range",
            r.id
        );
        assert!(
            r.applies.severity_at(3).is_some(),
            "{}: no severity at level 3",
            r.id
        );
    }
}

#[test]
fn every_rule_has_a_check_and_every_check_a_rule() {
    let cat = kijun_rules::catalogue();
    for r in &cat.rules {
        let rust = kijun_rules::registry::lookup(&r.id).is_some();
        assert!(
            rust || !r.check.is_empty(),
            "{} has neither a declarative check nor a Rust check",
            r.id
        );
        // One implementation per rule: a rule that needs code declares its simple attribute
        // checks in its Rust file (`Declarative::on`), so no rule is split between two places.
        assert!(
            !rust || r.check.is_empty(),
            "{} is split between catalogue [[check]] entries and a Rust file; move the \
             declarative checks into the Rust file",
            r.id
        );
        for d in &r.check {
            for k in &d.kinds {
                assert!(
                    r.kinds.contains(k),
                    "{}: declarative check kind {k} is not in the rule's kinds",
                    r.id
                );
            }
        }
    }
    let ids: Vec<&str> = kijun_rules::registry::CHECKS
        .iter()
        .map(|(i, _)| *i)
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "registry must stay sorted by id");
    for id in ids {
        assert!(
            cat.get(id).is_some(),
            "registry entry {id} has no catalogue rule"
        );
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_for_each_platform() {
    let ext = |p: &str| -> &[&str] {
        match p {
            "terraform" => &[".tf", ".tf.json"],
            "terraform-plan" => &[".json"],
            "kubernetes" => &[".yaml", ".yml", ".json"],
            "cloudformation" => &[".yaml", ".yml", ".json", ".template"],
            "arm" => &[".json"],
            _ => &[],
        }
    };
    for r in &kijun_rules::catalogue().rules {
        let dir = root().join("fixtures").join(&r.id);
        assert!(dir.is_dir(), "{}: no fixtures/{}/", r.id, r.id);
        let mut files = Vec::new();
        for e in walk(&dir) {
            files.push(e);
        }
        for p in &r.platforms {
            for kind in ["pass", "fail"] {
                let ok = files.iter().any(|f| {
                    let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().to_string();
                    rel.starts_with(kind)
                        && ext(p).iter().any(|e| rel.ends_with(e))
                        && (p != "terraform-plan" || rel.contains("plan"))
                });
                assert!(ok, "{}: no {kind} fixture for platform {p}", r.id);
            }
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn coverage_is_honest_and_complete() {
    let rows = kijun_rules::coverage::table();
    // Every paragraph of 第63–73条, 第110–118条 and 第132–134条 in articles.toml, once.
    let want: BTreeSet<String> = articles()
        .into_iter()
        .filter(|a| {
            let mut parts = a.split('-');
            let n: u32 = parts.next().unwrap().parse().unwrap();
            parts.next().is_some()
                && parts.next().is_none()
                && matches!(n, 63..=73 | 110..=118 | 132..=134)
        })
        .collect();
    let got: Vec<String> = rows.iter().map(|r| r.article.clone()).collect();
    assert_eq!(
        got.iter().cloned().collect::<BTreeSet<_>>(),
        want,
        "the coverage table's paragraphs are the in-scope paragraphs of articles.toml"
    );
    assert_eq!(got.len(), want.len(), "a paragraph appears twice: {got:?}");
    for r in &rows {
        assert!(
            ["checked", "partial", "manual"].contains(&r.status.as_str()),
            "{}: bad status",
            r.article
        );
        assert!(
            !r.heading.ja.is_empty() && !r.note.en.is_empty(),
            "{}: heading and note",
            r.article
        );
        match r.status.as_str() {
            "manual" => assert!(
                r.rules.is_empty(),
                "{} is marked manual but {:?} cite it",
                r.article,
                r.rules
            ),
            _ => assert!(
                !r.rules.is_empty(),
                "{} is marked {} but no rule cites it",
                r.article,
                r.status
            ),
        }
    }
    // Every in-scope article group is cited by at least one rule.
    for (lo, hi) in [(63, 73), (110, 118), (132, 134)] {
        assert!(
            rows.iter().any(|r| {
                let n: u32 = r.article.split('-').next().unwrap().parse().unwrap();
                n >= lo && n <= hi && !r.rules.is_empty()
            }),
            "no rule cites 第{lo}–{hi}条"
        );
    }
}

#[test]
fn explain_examples_come_from_the_fixtures() {
    for r in &kijun_rules::catalogue().rules {
        let (bad, good) =
            kijun_rules::docs::examples(&r.id).unwrap_or_else(|| panic!("{}: no example", r.id));
        assert!(
            !bad.trim().is_empty() && !good.trim().is_empty(),
            "{}: empty example",
            r.id
        );
        assert!(
            !bad.contains("expect:"),
            "{}: markers leak into the docs",
            r.id
        );
        // What `kijun explain` shows is the fixture itself, line for line, with only the
        // `# expect…` markers taken off, and the failing example holds the marked line.
        let (_, fail, pass) = kijun_rules::EXAMPLES
            .iter()
            .find(|(id, _, _)| *id == r.id)
            .unwrap();
        let unmarked = |l: &str| -> String {
            match l.find("# expect") {
                Some(i) => l[..i].trim_end().to_string(),
                None => l.to_string(),
            }
        };
        for (example, fixture, which) in [(&bad, fail, "failing"), (&good, pass, "passing")] {
            let lines: BTreeSet<String> = fixture.lines().map(unmarked).collect();
            for l in example.lines() {
                assert!(
                    lines.contains(l),
                    "{}: the {which} example has a line that is not in its fixture: {l:?}",
                    r.id
                );
            }
        }
        let marker = format!("expect: {}", r.id);
        if let Some(marked) = fail.lines().find(|l| l.contains(&marker)) {
            let code = unmarked(marked);
            if !code.trim().is_empty() {
                assert!(
                    bad.lines().any(|l| l == code),
                    "{}: the failing example leaves out the marked line {code:?}",
                    r.id
                );
            }
        }
    }
}
