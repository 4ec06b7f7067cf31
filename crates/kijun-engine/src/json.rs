//! The JSON output contract (version 1) shared by the CLI, CI tools and the WASM module.

use crate::{provenance_text, Outcome};
use serde_json::{json, Map, Value};

pub fn location(o: &Outcome, at: kijun_model::Origin) -> Map<String, Value> {
    let (l, c, el, ec) = o.sources.position(at);
    let mut m = Map::new();
    m.insert("file".into(), json!(o.sources.path(at.file)));
    m.insert("line".into(), json!(l));
    m.insert("column".into(), json!(c));
    m.insert("end_line".into(), json!(el));
    m.insert("end_column".into(), json!(ec));
    m
}

pub fn to_json(o: &Outcome) -> Value {
    let findings: Vec<Value> = o
        .findings
        .iter()
        .map(|f| {
            let mut m = Map::new();
            m.insert("rule_id".into(), json!(f.rule_id));
            m.insert("rule_name".into(), json!(f.rule_name));
            m.insert("articles".into(), json!(f.articles));
            m.insert("severity".into(), json!(f.severity.as_str()));
            m.insert("status".into(), json!(f.status.as_str()));
            m.extend(location(o, f.at));
            m.insert("resource".into(), json!(f.resource));
            m.insert("kind".into(), json!(f.kind));
            m.insert(
                "classification".into(),
                json!({
                    "confidentiality": f.classification.confidentiality,
                    "integrity": f.classification.integrity,
                    "availability": f.classification.availability,
                    "source": f.classification.source.as_str(),
                }),
            );
            m.insert("message".into(), json!(f.message));
            m.insert("remediation".into(), json!(f.remediation));
            m.insert("exception".into(), Value::Null);
            Value::Object(m)
        })
        .collect();
    let not_evaluated: Vec<Value> = o
        .not_evaluated
        .iter()
        .map(|n| {
            let mut m = Map::new();
            m.insert("rule_id".into(), json!(n.rule_id));
            m.extend(location(o, n.at));
            m.insert("resource".into(), json!(n.resource));
            m.insert("kind".into(), json!(n.kind));
            m.insert("reason".into(), json!(n.reason));
            Value::Object(m)
        })
        .collect();
    let errors: Vec<Value> = o
        .errors
        .iter()
        .map(|e| {
            let (l, c, _, _) = o.sources.position(e.at);
            json!({"file": o.sources.path(e.at.file), "line": l, "column": c, "message": e.message})
        })
        .collect();
    let failed = o
        .findings
        .iter()
        .filter(|f| f.status == crate::FindingStatus::Failed)
        .count();
    let excepted = o.findings.len() - failed;
    let _ = provenance_text;
    json!({
        "version": 1,
        "tool": {
            "name": "kijun",
            "version": env!("CARGO_PKG_VERSION"),
            "rulebook": kijun_rules::RULEBOOK,
            "catalogue": kijun_rules::CATALOGUE_VERSION,
        },
        "findings": findings,
        "not_evaluated": not_evaluated,
        "errors": errors,
        "summary": {
            "files": o.files,
            "resources": o.resources,
            "failed": failed,
            "excepted": excepted,
            "not_evaluated": o.not_evaluated.len(),
        }
    })
}

/// Pretty JSON with a trailing newline; key order is fixed, so output is byte-stable.
pub fn render(o: &Outcome) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(o)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
