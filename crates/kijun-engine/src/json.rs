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
            m.insert(
                "exception".into(),
                match &f.exception {
                    None => Value::Null,
                    Some(e) => json!({
                        "id": e.id,
                        "reason": e.reason,
                        "requested_by": e.requested_by,
                        "approved_by": e.approved_by,
                        "approved_on": e.approved_on.to_string(),
                        "expires_on": e.expires_on.to_string(),
                        "state": e.state,
                    }),
                },
            );
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
    let count = |st: crate::FindingStatus| o.findings.iter().filter(|f| f.status == st).count();
    let _ = provenance_text;
    let mut out = Map::new();
    out.insert("version".into(), json!(1));
    out.insert(
        "tool".into(),
        json!({
            "name": "kijun",
            "version": env!("CARGO_PKG_VERSION"),
            "rulebook": kijun_rules::RULEBOOK,
            "catalogue": kijun_rules::CATALOGUE_VERSION,
        }),
    );
    out.insert("findings".into(), Value::Array(findings));
    out.insert("not_evaluated".into(), Value::Array(not_evaluated));
    out.insert("errors".into(), Value::Array(errors));
    // The exception register (台帳抜粋), when a ledger was configured.
    if let Some(ledger) = &o.ledger {
        let items: Vec<Value> = ledger
            .iter()
            .map(|l| {
                let e = &l.entry;
                let (line, _, _, _) = o.sources.position(e.at);
                json!({
                    "id": e.id, "state": l.state, "findings": l.findings,
                    "rules": e.rules, "articles": e.articles, "resources": e.resources,
                    "reason": e.reason, "requested_by": e.requested_by, "approved_by": e.approved_by,
                    "approved_on": e.approved_on.to_string(), "expires_on": e.expires_on.to_string(),
                    "file": o.sources.path(e.at.file), "line": line,
                })
            })
            .collect();
        out.insert("exceptions".into(), Value::Array(items));
    }
    if let Some(fixed) = &o.baseline_fixed {
        let items: Vec<Value> = fixed
            .iter()
            .map(|(r, res, file)| json!({"rule_id": r, "resource": res, "file": file}))
            .collect();
        out.insert("baseline".into(), json!({ "fixed": items }));
    }
    let mut summary = Map::new();
    summary.insert("files".into(), json!(o.files));
    summary.insert("resources".into(), json!(o.resources));
    summary.insert("failed".into(), json!(count(crate::FindingStatus::Failed)));
    summary.insert(
        "excepted".into(),
        json!(count(crate::FindingStatus::Excepted)),
    );
    summary.insert("not_evaluated".into(), json!(o.not_evaluated.len()));
    if o.baseline_fixed.is_some() {
        summary.insert(
            "baselined".into(),
            json!(count(crate::FindingStatus::Baselined)),
        );
    }
    out.insert("summary".into(), Value::Object(summary));
    Value::Object(out)
}

/// Pretty JSON with a trailing newline; key order is fixed, so output is byte-stable.
pub fn render(o: &Outcome) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(o)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
