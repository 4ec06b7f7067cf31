//! SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers: one run, the rules that
//! produced a result or a notification, one result per finding. Excepted findings carry an
//! external suppression with the ledger record; baselined ones `baselineState: "unchanged"` and a
//! suppression; not-evaluated entries and input errors are tool execution notifications.
//!
//! Rule texts are English (SARIF's default language) with the Japanese in `properties.ja`;
//! result messages are in the report language, which `run.language` states.

use super::{citation, loc, sha256, Loc, ReportContext};
use crate::{baseline, Finding, FindingStatus, Outcome};
use kijun_model::{Lang, Origin};
use kijun_rules::{catalogue, Rule, Severity};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Where the tool is documented (the workspace's repository field).
pub const INFORMATION_URI: &str = "https://example.invalid/kijun";

/// The fingerprint key in `partialFingerprints`; bump the version if the hash inputs change.
pub const FINGERPRINT_KEY: &str = "kijun/v1";

/// high/medium → error, low → warning, info → note. A preview rule's finding does not fail the
/// scan, so it is at most a warning.
pub fn level(f: &Finding) -> &'static str {
    let l = severity_level(f.severity);
    if f.preview && l == "error" {
        "warning"
    } else {
        l
    }
}

pub fn severity_level(s: Severity) -> &'static str {
    match s {
        Severity::High | Severity::Medium => "error",
        Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `security-severity` scale (0–10): it shows critical/high/medium/low from it.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// A path as a URI reference: relative paths stay relative (GitHub resolves them against the
/// repository root), absolute ones become `file://` URIs; everything outside RFC 3986's
/// unreserved set and `/` is percent-encoded (UTF-8), so Japanese file names survive.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let path = path.replace('\\', "/");
    let windows_drive = {
        let b = path.as_bytes();
        b.len() >= 2 && b.first().is_some_and(u8::is_ascii_alphabetic) && b.get(1) == Some(&b':')
    };
    if windows_drive {
        out.push_str("file:///");
    } else if path.starts_with('/') {
        out.push_str("file://");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (windows_drive && i == 1 && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SARIF message; unsafe characters of scanned values are shown escaped (code-scanning pages
/// and terminals display these texts).
fn text(s: impl Into<String>) -> Value {
    let s: String = s.into();
    json!({ "text": super::inert(&s) })
}

/// Severity of a rule at the built-in default classification (2), or its highest.
fn default_severity(rule: &Rule) -> Severity {
    let level = rule.applies.min.clamp(2, 3);
    rule.applies
        .severity_at(level)
        .or_else(|| rule.applies.severity.values().max().copied())
        .unwrap_or(Severity::Medium)
}

fn help_text(rule: &Rule, lang: Lang) -> (String, String) {
    let (fix, what, why, basis) = match lang {
        Lang::Ja => ("対処", "概要", "なぜ問題か", "根拠"),
        Lang::En => (
            "Remediation",
            "What it does",
            "Why it matters",
            "Legal basis",
        ),
    };
    let cites: Vec<String> = rule.articles.iter().map(|a| citation(a, lang)).collect();
    let plain = format!(
        "{fix}: {}\n\n{what}: {}\n\n{why}: {}\n\n{basis}: {}",
        rule.remediation.get(lang),
        rule.docs.what.get(lang),
        rule.docs.why.get(lang),
        cites.join(", ")
    );
    let md = format!(
        "**{fix}:** {}\n\n**{what}:** {}\n\n**{why}:** {}\n\n**{basis}:** {}\n\n`kijun explain {}`",
        rule.remediation.get(lang),
        rule.docs.what.get(lang),
        rule.docs.why.get(lang),
        cites.join(", "),
        rule.id
    );
    (plain, md)
}

fn descriptor(id: &str) -> Value {
    let Some(rule) = catalogue().get(id) else {
        // A rule outside the built-in catalogue (a plugin's): the id is all we know.
        return json!({ "id": id });
    };
    let sev = default_severity(rule);
    let mut tags: Vec<String> = rule.articles.iter().map(|a| format!("細則{a}")).collect();
    tags.push(format!("control:{}", rule.control));
    tags.push("security".into());
    tags.push("compliance".into());
    let (help_en, help_md_en) = help_text(rule, Lang::En);
    let (help_ja, help_md_ja) = help_text(rule, Lang::Ja);
    let cites_ja: Vec<String> = rule
        .articles
        .iter()
        .map(|a| citation(a, Lang::Ja))
        .collect();
    let cites_en: Vec<String> = rule
        .articles
        .iter()
        .map(|a| citation(a, Lang::En))
        .collect();
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": text(rule.title.en.clone()),
        "fullDescription": text(rule.docs.what.en.clone()),
        "help": { "text": help_en, "markdown": help_md_en },
        "defaultConfiguration": { "level": severity_level(sev) },
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": match severity_level(sev) { "error" => "error", "warning" => "warning", _ => "recommendation" },
            "security-severity": security_severity(sev),
            "articles": rule.articles,
            "citations": { "ja": cites_ja, "en": cites_en },
            "control": rule.control,
            "status": rule.status.as_str(),
            "platforms": rule.platforms,
            "ja": {
                "shortDescription": text(rule.title.ja.clone()),
                "fullDescription": text(rule.docs.what.ja.clone()),
                "help": { "text": help_ja, "markdown": help_md_ja },
            },
        },
    })
}

/// A physical location; `artifacts` maps paths to their index in `run.artifacts`.
fn location(l: &Loc, artifacts: &BTreeMap<String, usize>) -> Value {
    let mut art = Map::new();
    art.insert("uri".into(), json!(uri(&l.path)));
    if let Some(i) = artifacts.get(&l.path) {
        art.insert("index".into(), json!(i));
    }
    // why: SARIF regions are 1-based with an exclusive end column, which is what kijun's
    // end position already is (the column after the last character).
    let mut region = Map::new();
    region.insert("startLine".into(), json!(l.line.max(1)));
    region.insert("startColumn".into(), json!(l.column.max(1)));
    region.insert("endLine".into(), json!(l.end_line.max(l.line).max(1)));
    region.insert("endColumn".into(), json!(l.end_column.max(1)));
    json!({ "physicalLocation": { "artifactLocation": Value::Object(art), "region": Value::Object(region) } })
}

fn result(
    o: &Outcome,
    f: &Finding,
    rule_index: Option<usize>,
    artifacts: &BTreeMap<String, usize>,
) -> Value {
    let lang = o.lang;
    let l = loc(o, f.at);
    let mut loc_v = location(&l, artifacts);
    if let Some(m) = loc_v.as_object_mut() {
        m.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": f.resource, "name": f.resource, "kind": "resource" }]),
        );
    }
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule_id));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f)));
    r.insert("kind".into(), json!("fail"));
    r.insert("message".into(), text(f.message.clone()));
    r.insert("locations".into(), json!([loc_v]));
    // The places the offending value came from (a tfvars line, a variable default, a
    // provider's region): the lines a reader changes.
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let mut v = location(&loc(o, rel.from.at), artifacts);
                if let Some(m) = v.as_object_mut() {
                    m.insert("id".into(), json!(i));
                    m.insert("message".into(), text(crate::related_text(rel, lang)));
                }
                v
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: baseline::fingerprint(f, &o.sources) }),
    );
    let mut suppressions = Vec::new();
    if let (FindingStatus::Excepted, Some(e)) = (f.status, &f.exception) {
        suppressions.push(json!({
            "kind": "external",
            "status": "accepted",
            "justification": e.reason,
            "properties": {
                "ledgerId": e.id,
                "requestedBy": e.requested_by,
                "approvedBy": e.approved_by,
                "approvedOn": e.approved_on.to_string(),
                "expiresOn": e.expires_on.to_string(),
                "state": e.state,
            },
        }));
    }
    if f.status == FindingStatus::Baselined {
        suppressions.push(json!({
            "kind": "external",
            "status": "accepted",
            "justification": match lang {
                Lang::Ja => "ベースラインに記録済みの既知の指摘",
                Lang::En => "recorded in the baseline",
            },
        }));
    }
    if !suppressions.is_empty() {
        r.insert("suppressions".into(), Value::Array(suppressions));
    }
    if o.baseline_fixed.is_some() {
        match f.status {
            FindingStatus::Baselined => {
                r.insert("baselineState".into(), json!("unchanged"));
            }
            FindingStatus::Failed => {
                r.insert("baselineState".into(), json!("new"));
            }
            FindingStatus::Excepted => {}
        }
    }
    let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
    let mut props = Map::new();
    props.insert("articles".into(), json!(f.articles));
    props.insert("citations".into(), json!(cites));
    props.insert("severity".into(), json!(f.severity.as_str()));
    props.insert("status".into(), json!(f.status.as_str()));
    props.insert("resource".into(), json!(f.resource));
    props.insert("kind".into(), json!(f.kind));
    props.insert(
        "classification".into(),
        json!({
            "confidentiality": f.classification.confidentiality,
            "integrity": f.classification.integrity,
            "availability": f.classification.availability,
            "source": f.classification.source.as_str(),
        }),
    );
    props.insert("remediation".into(), json!(f.remediation));
    if !f.roots.is_empty() {
        props.insert("roots".into(), json!(f.roots));
    }
    if !f.passing_roots.is_empty() {
        props.insert("passingRoots".into(), json!(f.passing_roots));
    }
    if let Some(cause) = crate::json::cause_id(o, f) {
        props.insert("cause".into(), json!(cause));
    }
    if f.preview {
        props.insert("preview".into(), json!(true));
    }
    if let Some(e) = &f.exception {
        if f.status != FindingStatus::Excepted {
            // An expired or self-approved exception: shown, but it suppresses nothing.
            props.insert(
                "exception".into(),
                json!({ "id": e.id, "state": e.state, "expiresOn": e.expires_on.to_string() }),
            );
        }
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

fn notification(
    o: &Outcome,
    level: &str,
    id: &str,
    message: String,
    at: Origin,
    artifacts: &BTreeMap<String, usize>,
) -> Map<String, Value> {
    let mut n = Map::new();
    n.insert("level".into(), json!(level));
    n.insert("descriptor".into(), json!({ "id": id }));
    n.insert("message".into(), text(message));
    n.insert(
        "locations".into(),
        json!([location(&loc(o, at), artifacts)]),
    );
    n
}

pub fn to_value(o: &Outcome, ctx: &ReportContext) -> Value {
    let lang = o.lang;
    // The rules referenced by results or notifications, by id.
    // why: listing only these keeps the log small and independent of unrelated catalogue edits;
    // `kijun rules --format json` lists the whole catalogue.
    let mut ids: Vec<&str> = o
        .findings
        .iter()
        .map(|f| &*f.rule_id)
        .chain(o.not_evaluated.iter().filter_map(|n| n.rule_id.as_deref()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = ids.iter().map(|id| descriptor(id)).collect();

    // Every file read: scanned files, modules they call, the exception ledger.
    let mut artifacts = Vec::new();
    let mut artifact_index = BTreeMap::new();
    for (id, file) in o.sources.iter() {
        if artifact_index.contains_key(&file.path) {
            continue;
        }
        artifact_index.insert(file.path.clone(), artifacts.len());
        let mut a = Map::new();
        a.insert("location".into(), json!({ "uri": uri(&file.path) }));
        a.insert("length".into(), json!(file.text.len()));
        if (id as usize) < o.files {
            a.insert("roles".into(), json!(["analysisTarget"]));
        }
        a.insert(
            "hashes".into(),
            json!({ "sha-256": sha256::hex(file.text.as_bytes()) }),
        );
        artifacts.push(Value::Object(a));
    }

    let results: Vec<Value> = o
        .findings
        .iter()
        .map(|f| result(o, f, index.get(&*f.rule_id).copied(), &artifact_index))
        .collect();

    let mut notes: Vec<Value> = Vec::new();
    for n in &o.not_evaluated {
        let msg = match lang {
            Lang::Ja => format!("未評価（合格とはみなしません）: {}", n.reason),
            Lang::En => format!("not evaluated (not counted as passed): {}", n.reason),
        };
        let mut v = notification(
            o,
            "warning",
            "kijun/not-evaluated",
            msg,
            n.at,
            &artifact_index,
        );
        if let Some(rid) = &n.rule_id {
            let mut assoc = Map::new();
            assoc.insert("id".into(), json!(rid));
            if let Some(i) = index.get(rid.as_str()) {
                assoc.insert("index".into(), json!(i));
            }
            v.insert("associatedRule".into(), Value::Object(assoc));
        }
        let mut props = Map::new();
        if let Some(r) = &n.resource {
            props.insert("resource".into(), json!(r));
        }
        if let Some(k) = &n.kind {
            props.insert("kind".into(), json!(k));
        }
        if !props.is_empty() {
            v.insert("properties".into(), Value::Object(props));
        }
        notes.push(Value::Object(v));
    }
    for e in &o.errors {
        notes.push(Value::Object(notification(
            o,
            "error",
            "kijun/input-error",
            e.message.clone(),
            e.at,
            &artifact_index,
        )));
    }

    let c = super::counts(o);
    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(o.errors.is_empty()));
    invocation.insert("exitCode".into(), json!(o.exit_code()));
    if !ctx.invocation.is_empty() {
        invocation.insert("commandLine".into(), json!(ctx.invocation));
    }
    invocation.insert("toolExecutionNotifications".into(), Value::Array(notes));

    let mut props = Map::new();
    if !ctx.repository.is_empty() {
        props.insert("repository".into(), json!(ctx.repository));
    }
    // The effective configuration, as the JSON report's `run`.
    props.insert("configuration".into(), o.run.to_json());
    if !ctx.scan_date.is_empty() {
        props.insert("scanDate".into(), json!(ctx.scan_date));
    }
    props.insert("rulebook".into(), json!(kijun_rules::RULEBOOK));
    props.insert("catalogue".into(), json!(kijun_rules::CATALOGUE_VERSION));
    props.insert(
        "classification".into(),
        json!({
            "confidentiality": ctx.classification.confidentiality,
            "integrity": ctx.classification.integrity,
            "availability": ctx.classification.availability,
            "source": ctx.classification.source.as_str(),
        }),
    );
    props.insert(
        "summary".into(),
        json!({
            "files": o.files,
            "resources": o.resources,
            "failed": c.failed,
            "excepted": c.excepted,
            "baselined": c.baselined,
            "not_evaluated": c.not_evaluated,
            "errors": c.errors,
        }),
    );

    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kijun",
                    "fullName": "kijun (基準): compliance linter for infrastructure-as-code",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                    "properties": {
                        "rulebook": kijun_rules::RULEBOOK,
                        "catalogue": kijun_rules::CATALOGUE_VERSION,
                    },
                },
            },
            "invocations": [Value::Object(invocation)],
            "language": match lang { Lang::Ja => "ja-JP", Lang::En => "en-US" },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
            "properties": Value::Object(props),
        }],
    })
}

/// Pretty JSON with a trailing newline; byte-stable for the same input.
pub fn render(o: &Outcome, ctx: &ReportContext) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(o, ctx)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::uri;

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        assert_eq!(uri("envs/prod/main.tf"), "envs/prod/main.tf");
        assert_eq!(uri("my dir/設定.tf"), "my%20dir/%E8%A8%AD%E5%AE%9A.tf");
        assert_eq!(uri("/abs/a#b.tf"), "file:///abs/a%23b.tf");
        assert_eq!(uri("C:\\x\\a.tf"), "file:///C:/x/a.tf");
    }
}
