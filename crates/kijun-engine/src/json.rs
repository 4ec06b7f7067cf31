//! The JSON output contract (version 1) shared by the CLI, CI tools and the WASM module.

use crate::{provenance_text, related_text, Outcome};

/// The root cause a finding shares with others: its rule and the one place its value came
/// from (`KJ-C1-001@envs/prod/terraform.tfvars:1:10`). Findings with the same id are fixed by
/// one change; `None` when the value was written at the finding itself or came from several
/// places.
pub fn cause_id(o: &Outcome, f: &crate::Finding) -> Option<String> {
    match f.related.as_slice() {
        [one] => {
            let (l, c, _, _) = o.sources.position(one.from.at);
            Some(format!(
                "{}@{}:{l}:{c}",
                f.rule_id,
                o.sources.path(one.from.at.file)
            ))
        }
        _ => None,
    }
}
use serde_json::{json, Map, Value};

pub fn location(o: &Outcome, at: kijun_model::Origin) -> Map<String, Value> {
    let (l, c, el, ec) = o.sources.position(at);
    let mut m = Map::new();
    m.insert("file".into(), json!(o.sources.path(at.file)));
    m.insert("line".into(), json!(l));
    m.insert("column".into(), json!(c));
    m.insert("end_line".into(), json!(el));
    m.insert("end_column".into(), json!(ec));
    // An object read from a cluster: the field path locates it; the line and column are those
    // of the object's JSON as kijun serialised it.
    // A kind that was not read at all has no field to name.
    if let Some(p) = crate::findings::json_path(o, at).filter(|p| !p.is_empty()) {
        m.insert("json_path".into(), json!(p));
    }
    m
}

fn finding(o: &Outcome, f: &crate::Finding) -> Value {
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
    // Where the value came from (the line to change), the roots the finding fails in and
    // those where it does not, and the root cause it shares with other findings.
    m.insert(
        "related".into(),
        Value::Array(
            f.related
                .iter()
                .map(|r| {
                    let mut l = location(o, r.from.at);
                    l.insert("message".into(), json!(related_text(r, o.lang)));
                    l.insert("via".into(), json!(r.from.via));
                    l.insert("roots".into(), json!(r.roots));
                    Value::Object(l)
                })
                .collect(),
        ),
    );
    m.insert("roots".into(), json!(f.roots));
    m.insert("passing_roots".into(), json!(f.passing_roots));
    m.insert("cause".into(), json!(cause_id(o, f)));
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
}

fn not_evaluated(o: &Outcome, n: &crate::NotEvaluatedOut) -> Value {
    let mut m = Map::new();
    m.insert("rule_id".into(), json!(n.rule_id));
    m.extend(location(o, n.at));
    m.insert("resource".into(), json!(n.resource));
    m.insert("kind".into(), json!(n.kind));
    m.insert("reason".into(), json!(n.reason));
    Value::Object(m)
}

fn error(o: &Outcome, e: &kijun_model::InputError) -> Value {
    let (l, c, _, _) = o.sources.position(e.at);
    json!({"file": o.sources.path(e.at.file), "line": l, "column": c, "message": e.message.get(o.lang)})
}

pub fn to_json(o: &Outcome) -> Value {
    let mut out = Map::new();
    for (key, value) in top(o) {
        let value = match value {
            Part::Value(v) => v,
            Part::Findings => Value::Array(o.findings.iter().map(|f| finding(o, f)).collect()),
            Part::NotEvaluated => Value::Array(
                o.not_evaluated
                    .iter()
                    .map(|n| not_evaluated(o, n))
                    .collect(),
            ),
            Part::Errors => Value::Array(o.errors.iter().map(|e| error(o, e)).collect()),
        };
        out.insert(key.into(), value);
    }
    Value::Object(out)
}

/// A member of the top-level object: small parts are built as values, the three lists are
/// rendered element by element.
enum Part {
    Value(Value),
    Findings,
    NotEvaluated,
    Errors,
}

/// The top-level members in output order.
fn top(o: &Outcome) -> Vec<(&'static str, Part)> {
    let count = |st: crate::FindingStatus| o.findings.iter().filter(|f| f.status == st).count();
    let _ = provenance_text;
    let mut out: Vec<(&'static str, Part)> = Vec::new();
    out.push(("version", Part::Value(json!(1))));
    out.push((
        "tool",
        Part::Value(json!({
            "name": "kijun",
            "version": env!("CARGO_PKG_VERSION"),
            "rulebook": kijun_rules::RULEBOOK,
            "catalogue": kijun_rules::CATALOGUE_VERSION,
        })),
    ));
    out.push(("findings", Part::Findings));
    out.push(("not_evaluated", Part::NotEvaluated));
    out.push(("errors", Part::Errors));
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
        out.push(("exceptions", Part::Value(Value::Array(items))));
    }
    if let Some(fixed) = &o.baseline_fixed {
        let items: Vec<Value> = fixed
            .iter()
            .map(|(r, res, file)| json!({"rule_id": r, "resource": res, "file": file}))
            .collect();
        out.push(("baseline", Part::Value(json!({ "fixed": items }))));
    }
    // The deployment context the user declared: part of the effective configuration, listed so
    // that findings relying on it can be read for what they are.
    if !o.assumptions.is_empty() {
        let items: Vec<Value> = o
            .assumptions
            .iter()
            .map(|a| json!({"key": a.key, "value": a.value, "source": a.source}))
            .collect();
        out.push(("assumptions", Part::Value(Value::Array(items))));
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
    out.push(("summary", Part::Value(Value::Object(summary))));
    out.push(("run", Part::Value(o.run.to_json())));
    out
}

/// The report as `to_json` builds it, but serialised one list element at a time: a scan with
/// many findings never holds the whole value tree (several times the size of the text).
struct Stream<'a>(&'a Outcome);

/// One of the three long lists, serialised lazily.
struct List<'a>(&'a Outcome, &'a Part);

impl serde::Serialize for Stream<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let parts = top(self.0);
        let mut m = s.serialize_map(Some(parts.len()))?;
        for (key, part) in &parts {
            match part {
                Part::Value(v) => m.serialize_entry(key, v)?,
                _ => m.serialize_entry(key, &List(self.0, part))?,
            }
        }
        m.end()
    }
}

impl serde::Serialize for List<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let o = self.0;
        match self.1 {
            Part::Findings => {
                let mut seq = s.serialize_seq(Some(o.findings.len()))?;
                // why: building each finding's JSON value (a dozen small allocations) was most
                // of the sequential end of a large scan; batches are built in parallel and
                // written in order, so memory holds one batch, not the report.
                for batch in o.findings.chunks(4096) {
                    #[cfg(feature = "parallel")]
                    let values: Vec<Value> = {
                        use rayon::prelude::*;
                        batch.par_iter().map(|f| finding(o, f)).collect()
                    };
                    #[cfg(not(feature = "parallel"))]
                    let values: Vec<Value> = batch.iter().map(|f| finding(o, f)).collect();
                    for v in &values {
                        seq.serialize_element(v)?;
                    }
                }
                seq.end()
            }
            Part::NotEvaluated => {
                let mut seq = s.serialize_seq(Some(o.not_evaluated.len()))?;
                for n in &o.not_evaluated {
                    seq.serialize_element(&not_evaluated(o, n))?;
                }
                seq.end()
            }
            Part::Errors => {
                let mut seq = s.serialize_seq(Some(o.errors.len()))?;
                for e in &o.errors {
                    seq.serialize_element(&error(o, e))?;
                }
                seq.end()
            }
            Part::Value(v) => serde::Serialize::serialize(v, s),
        }
    }
}

/// [`render`] written straight to `w` (a file or standard output), never held whole in memory.
pub fn write(o: &Outcome, w: impl std::io::Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, &Stream(o))?;
    std::io::Write::write_all(&mut w, b"\n")?;
    std::io::Write::flush(&mut w)
}

/// Pretty JSON with a trailing newline; key order is fixed, so output is byte-stable. Byte for
/// byte what pretty-printing [`to_json`] gives.
pub fn render(o: &Outcome) -> String {
    let mut buf = Vec::with_capacity(o.findings.len().saturating_mul(1024) + 4096);
    if serde_json::to_writer_pretty(&mut buf, &Stream(o)).is_err() {
        return "{}\n".into();
    }
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_else(|_| "{}\n".into())
}
