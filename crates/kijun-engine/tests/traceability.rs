#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! The traceability table `policies/controls/*.toml`: from every resource type and attribute the
//! control catalogue (CONTROLS.md: §0, C1–C8, N1–N14, L1–L5, E1–E7) names, per platform, to the
//! rules that check it, or to the reason it cannot be checked there.
//!
//! A row is refused when it has neither or both of `rules` / `not_representable`, names an
//! unknown control or platform, lists a rule that does not exist, does not claim the row's
//! platform or whose `kinds` do not match the resource, or whose fixtures (`fixtures/<id>/`,
//! parsed by the engine; parity cases are not counted) contain no resource of that type read
//! from that platform's format. A control without any row fails too.
//!
//! It also renders `docs/traceability.md`; run with `KIJUN_BLESS=1` to rewrite the committed
//! file (any other value only checks).

use kijun_engine::external::{ExternalHit, ExternalRules};
use kijun_engine::Options;
use kijun_model::{Resource, Sources};
use kijun_rules::{Rule, Settings};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

#[path = "support/repo.rs"]
mod repo;
use repo::{docs_in, root, RepoLoader};

/// The controls of the control catalogue, with the article(s) and the control as it words them.
/// Kept here because the catalogue itself is not part of a user's clone.
const CONTROLS: &[(&str, &str, &str)] = &[
    (
        "0",
        "5, 別表1",
        "information classification decides which controls apply",
    ),
    (
        "C1",
        "64(2)(2), 63(1)(1)",
        "data is stored in an allowed country/region",
    ),
    ("C2", "64(2)(2)", "copies of data stay in allowed regions"),
    (
        "C3",
        "64(3), 66(3), 73(3)",
        "every cloud service used is on the approved register",
    ),
    (
        "C4",
        "69(2), 70(2), 20",
        "resources can be reconciled with the information system ledger",
    ),
    (
        "C5",
        "69(3)(3), 64(2)(3)",
        "recovery is possible when the service fails",
    ),
    (
        "C6",
        "100(2), 110(5), 64(2)(3)",
        "redundancy for 要安定 systems",
    ),
    (
        "C7",
        "67(3)(3), 71, 150",
        "no long-lived personal credentials that outlive the service use",
    ),
    (
        "C8",
        "70(1), 70(3)",
        "security monitoring of the cloud account is switched on",
    ),
    (
        "N1",
        "111(3), 112(3), 110(2)",
        "remote-maintenance ports are not reachable from the internet",
    ),
    (
        "N2",
        "110(2), 111(1)",
        "no inbound access to all ports or to non-web ports from the internet",
    ),
    (
        "N3",
        "110(2)",
        "default security group is closed; egress is restricted at confidentiality 3",
    ),
    (
        "N4",
        "111(1), 47(6)(1)",
        "data stores are not directly reachable from the internet",
    ),
    (
        "N5",
        "111(1), 110(4)",
        "compute is not silently given public addresses",
    ),
    (
        "N6",
        "111(1), 110(2)",
        "cluster control planes and exposed services are restricted",
    ),
    ("N7", "110(2), 112(1)", "pod traffic is access-controlled"),
    (
        "N8",
        "110(3), 49(2), 104(4)",
        "confidential traffic is encrypted in transit",
    ),
    (
        "N9",
        "111(2), 112(2)",
        "traffic is monitored for unauthorised communication",
    ),
    ("N10", "112(1)", "access-control rules can be reviewed"),
    (
        "N11",
        "113(3), 114(3)",
        "load balancers and gateways run hardened settings",
    ),
    (
        "N12",
        "114(1), 84(2)",
        "configuration changes of network devices leave records",
    ),
    (
        "N13",
        "117(2), 118",
        "IPv6 is used only where intended, and then filtered like IPv4",
    ),
    ("N14", "116", "wireless LAN encryption"),
    ("L1", "132(1)", "account-level audit trail"),
    ("L2", "132(1)", "service access/audit logs"),
    ("L3", "132(2)", "retention is defined and long enough"),
    (
        "L4",
        "132(2), 133(1)(2)",
        "logs are tamper-evident and protected",
    ),
    ("L5", "132(3)", "logs are analysed"),
    (
        "E1",
        "133(1)(1), 107(5)",
        "stored data is encrypted (要機密)",
    ),
    (
        "E2",
        "133(1)(2)",
        "integrity-critical data is signed or tamper-evident (要保全)",
    ),
    ("E3", "133(2), 134(2)", "TLS is at least 1.2 everywhere"),
    ("E4", "133(2)", "cipher suites are on the CRYPTREC list"),
    (
        "E5",
        "133(2), 134(2)",
        "key algorithms and lengths meet the CRYPTREC strength requirements",
    ),
    (
        "E6",
        "133(2), 110(3)",
        "VPN/IPsec parameters are on the CRYPTREC list",
    ),
    ("E7", "151(2), 151(3), 134", "keys are managed"),
];

/// The platforms as the catalogue names them (`platforms` of a rule's TOML).
const PLATFORMS: &[&str] = &[
    "terraform",
    "terraform-plan",
    "cloudformation",
    "arm",
    "kubernetes",
];

/// The files of the table, in the order the document lists them.
const FILES: &[&str] = &[
    "classification",
    "cloud",
    "network",
    "logging",
    "encryption",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    control: String,
    platform: String,
    resource: String,
    attribute: String,
    rules: Option<Vec<String>>,
    not_representable: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    row: Vec<Row>,
}

/// Every row of every file, with the file it came from.
fn rows() -> Vec<(String, Row)> {
    let mut out = Vec::new();
    for f in FILES {
        let rel = format!("policies/controls/{f}.toml");
        let text =
            std::fs::read_to_string(root().join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let t: TableFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        out.extend(t.row.into_iter().map(|r| (rel.clone(), r)));
    }
    out
}

/// Records the (platform, kind) of every resource the engine reads: which resource types a
/// rule's fixtures actually contain, in which format.
#[derive(Debug, Default)]
struct Recorder(Mutex<BTreeSet<(String, String)>>);

impl ExternalRules for Recorder {
    fn name(&self) -> &str {
        "traceability recorder"
    }
    fn rules(&self) -> &[Rule] {
        &[]
    }
    fn check(
        &self,
        resources: &[Resource],
        _sources: &Sources,
        _settings: &Settings,
    ) -> Result<Vec<ExternalHit>, kijun_model::Text> {
        let mut seen = self.0.lock().unwrap();
        for r in resources {
            seen.insert((r.platform.as_str().to_string(), r.kind.clone()));
        }
        Ok(Vec::new())
    }
}

/// The (platform, kind) pairs of the resources in the pass and fail cases of `fixtures/<id>/`.
fn exercised(id: &str) -> BTreeSet<(String, String)> {
    let dir = root().join("fixtures").join(id);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return BTreeSet::new();
    };
    let mut cases: Vec<String> = rd
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| (n.starts_with("pass") || n.starts_with("fail")) && !n.ends_with(".expect"))
        .collect();
    cases.sort();
    let rec = Arc::new(Recorder::default());
    for c in cases {
        let docs = docs_in(&format!("fixtures/{id}/{c}"));
        let opts = Options {
            only_rules: vec![id.to_string()],
            extra_rules: vec![rec.clone()],
            ..Options::default()
        };
        kijun_engine::check(docs, &RepoLoader, &opts);
    }
    let seen = rec.0.lock().unwrap().clone();
    seen
}

/// The problems of the table; empty when it is sound.
fn problems(rows: &[(String, Row)]) -> Vec<String> {
    let cat = kijun_rules::catalogue();
    let mut out = Vec::new();
    let mut fixtures: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut seen_controls = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for (file, r) in rows {
        let at = format!(
            "{file}: {} {} {} `{}`",
            r.control, r.platform, r.resource, r.attribute
        );
        if !CONTROLS.iter().any(|(c, _, _)| *c == r.control) {
            out.push(format!("{at}: unknown control {:?}", r.control));
        }
        seen_controls.insert(r.control.clone());
        if !PLATFORMS.contains(&r.platform.as_str()) {
            out.push(format!(
                "{at}: unknown platform {:?} (one of {PLATFORMS:?})",
                r.platform
            ));
        }
        if r.resource.trim().is_empty() {
            out.push(format!("{at}: the resource type is empty"));
        }
        if !keys.insert((
            r.control.clone(),
            r.platform.clone(),
            r.resource.clone(),
            r.attribute.clone(),
        )) {
            out.push(format!("{at}: the same row appears twice"));
        }
        match (&r.rules, &r.not_representable) {
            (None, None) => out.push(format!("{at}: neither `rules` nor `not_representable`")),
            (Some(_), Some(_)) => out.push(format!("{at}: both `rules` and `not_representable`")),
            (None, Some(why)) if why.trim().is_empty() => {
                out.push(format!("{at}: `not_representable` gives no reason"))
            }
            (Some(list), None) if list.is_empty() => out.push(format!("{at}: `rules` is empty")),
            _ => {}
        }
        for id in r.rules.iter().flatten() {
            let Some(rule) = cat.get(id) else {
                out.push(format!("{at}: no rule {id} in the catalogue"));
                continue;
            };
            if !rule.platforms.contains(&r.platform) {
                out.push(format!(
                    "{at}: {id} does not claim platform {} (it claims {:?})",
                    r.platform, rule.platforms
                ));
            }
            if !rule.applies_to_kind(&r.resource) {
                out.push(format!(
                    "{at}: {id}'s kinds {:?} do not contain {}",
                    rule.kinds, r.resource
                ));
            }
            let seen = fixtures.entry(id.clone()).or_insert_with(|| exercised(id));
            if !seen.contains(&(r.platform.clone(), r.resource.clone())) {
                out.push(format!(
                    "{at}: no pass or fail fixture of {id} contains a {} read as {}",
                    r.resource, r.platform
                ));
            }
        }
    }
    for (c, _, _) in CONTROLS {
        if !seen_controls.contains(*c) {
            out.push(format!("control {c} has no row in policies/controls/"));
        }
    }
    out
}

/// `KJ-C2-003` → a link to its row in docs/rules.md.
fn rule_link(id: &str) -> String {
    format!("[{id}](rules.md#{})", id.to_ascii_lowercase())
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The table as `docs/traceability.md`: one section per control, rows in file order.
fn markdown(rows: &[(String, Row)]) -> String {
    let mut out = String::from(
        "# Traceability: control catalogue → rules / トレーサビリティ\n\n\
         Generated from `policies/controls/*.toml` by `cargo test -p kijun-engine --test traceability`; \
         do not edit by hand.\n\
         `policies/controls/*.toml` から生成しています。直接編集しないでください。\n\n\
         Every resource type and attribute that a control names, per platform: the rules that check it \
         (their fixtures contain that resource in that format), or why it is not checked there.\n\
         各統制が挙げるリソース種別・属性ごとに、プラットフォーム別に検査するルール、または検査しない理由を示します。\n\n",
    );
    let total = rows.len();
    let covered = rows.iter().filter(|(_, r)| r.rules.is_some()).count();
    let gaps = rows.iter().filter(|(_, r)| is_gap(r)).count();
    out.push_str(&format!(
        "{total} rows: {covered} checked by a rule, {gaps} not checked yet, {} not representable / \
         全 {total} 行: ルールで検査 {covered} 行、未対応 {gaps} 行、表現不能 {} 行。\n\n",
        total - covered - gaps,
        total - covered - gaps
    ));
    out.push_str(
        "| control | article | rows | checked | not checked yet | not representable |\n|---|---|---|---|---|---|\n",
    );
    for (c, art, _) in CONTROLS {
        let mine: Vec<&Row> = rows
            .iter()
            .filter(|(_, r)| r.control == *c)
            .map(|(_, r)| r)
            .collect();
        let ok = mine.iter().filter(|r| r.rules.is_some()).count();
        let gap = mine.iter().filter(|r| is_gap(r)).count();
        out.push_str(&format!(
            "| {} | {art} | {} | {ok} | {gap} | {} |\n",
            heading_id(c),
            mine.len(),
            mine.len() - ok - gap
        ));
    }
    out.push('\n');
    for (c, art, title) in CONTROLS {
        out.push_str(&format!("## {} — {title} ({art})\n\n", heading_id(c)));
        out.push_str("| platform | resource | attribute | rules / reason |\n|---|---|---|---|\n");
        for (_, r) in rows.iter().filter(|(_, r)| r.control == *c) {
            let what = match (&r.rules, &r.not_representable) {
                (Some(ids), _) => ids
                    .iter()
                    .map(|i| rule_link(i))
                    .collect::<Vec<_>>()
                    .join(", "),
                (None, Some(why)) if is_gap(r) => cell(why),
                (None, Some(why)) => format!("not representable: {}", cell(why)),
                (None, None) => String::new(),
            };
            let attr = if r.attribute.is_empty() {
                "(the resource)".to_string()
            } else {
                format!("`{}`", cell(&r.attribute))
            };
            out.push_str(&format!(
                "| {} | `{}` | {attr} | {what} |\n",
                r.platform,
                cell(&r.resource)
            ));
        }
        out.push('\n');
    }
    out
}

/// A reason that names a gap a rule could close ("not checked yet: …") rather than something no
/// configuration can show.
fn is_gap(r: &Row) -> bool {
    r.not_representable
        .as_deref()
        .is_some_and(|w| w.starts_with("not checked yet"))
}

fn heading_id(c: &str) -> String {
    if c == "0" {
        "§0".to_string()
    } else {
        c.to_string()
    }
}

#[test]
fn every_row_is_backed_by_a_rule_or_a_reason() {
    let rows = rows();
    let p = problems(&rows);
    assert!(p.is_empty(), "{} problems:\n{}", p.len(), p.join("\n"));
}

#[test]
fn traceability_document_is_fresh() {
    let rows = rows();
    let want = markdown(&rows);
    let path = root().join("docs/traceability.md");
    if std::env::var("KIJUN_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &want).unwrap();
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/traceability.md is stale: run `KIJUN_BLESS=1 cargo test -p kijun-engine --test traceability`"
    );
}

/// The checks themselves refuse what they must: a row with neither or both answers, a rule that
/// does not exist, does not claim the platform, does not cover the kind or has no fixture of it,
/// unknown controls and platforms, and a control with no row.
#[test]
fn the_checks_refuse_bad_rows() {
    let row = |control: &str,
               platform: &str,
               resource: &str,
               rules: Option<&[&str]>,
               why: Option<&str>| {
        (
            "test.toml".to_string(),
            Row {
                control: control.into(),
                platform: platform.into(),
                resource: resource.into(),
                attribute: String::new(),
                rules: rules.map(|r| r.iter().map(|s| s.to_string()).collect()),
                not_representable: why.map(str::to_string),
            },
        )
    };
    let cases: Vec<((String, Row), &str)> = vec![
        (row("C2", "terraform", "aws_x", None, None), "neither"),
        (
            row("C2", "terraform", "aws_x", Some(&["KJ-C2-003"]), Some("x")),
            "both",
        ),
        (
            row(
                "C2",
                "terraform",
                "aws_dynamodb_table",
                Some(&["KJ-C2-999"]),
                None,
            ),
            "no rule KJ-C2-999",
        ),
        (
            row(
                "C2",
                "arm",
                "aws_dynamodb_table",
                Some(&["KJ-C2-003"]),
                None,
            ),
            "does not claim platform arm",
        ),
        (
            row(
                "C2",
                "terraform",
                "aws_s3_bucket",
                Some(&["KJ-C2-003"]),
                None,
            ),
            "do not contain aws_s3_bucket",
        ),
        // KJ-C1-001 claims every aws_* kind, but its fixtures hold no Neptune cluster.
        (
            row(
                "C1",
                "terraform",
                "aws_neptune_cluster",
                Some(&["KJ-C1-001"]),
                None,
            ),
            "no pass or fail fixture of KJ-C1-001 contains a aws_neptune_cluster",
        ),
        (
            row("C99", "terraform", "aws_x", None, Some("x")),
            "unknown control",
        ),
        (
            row("C2", "pulumi", "aws_x", None, Some("x")),
            "unknown platform",
        ),
    ];
    for (r, want) in cases {
        let p = problems(std::slice::from_ref(&r));
        assert!(
            p.iter().any(|m| m.contains(want)),
            "{want:?} not among {p:#?}"
        );
    }
    // A table without rows misses every control.
    let p = problems(&[]);
    assert!(p.iter().any(|m| m.contains("control C2 has no row")));
    // And a sound row passes the row checks (only the missing controls remain).
    let good = row(
        "C2",
        "cloudformation",
        "AWS::DynamoDB::GlobalTable",
        Some(&["KJ-C2-003"]),
        None,
    );
    let p = problems(std::slice::from_ref(&good));
    assert!(p.iter().all(|m| m.starts_with("control ")), "{p:#?}");
}
