//! Baselines for adopting kijun in an existing repository: record today's failing findings by
//! a fingerprint that survives line shifts, then fail only on new ones.

use crate::{Finding, Outcome};
use kijun_model::{text, Sources, Text};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// FNV-1a, 64 bits: stable across platforms and versions (unlike the std hasher).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Rule, resource, file and the offending line's text (trimmed): moving the block up or down
/// keeps the fingerprint; changing the offending line or the resource makes it a new finding.
pub fn fingerprint(f: &Finding, sources: &Sources) -> String {
    let (line, _, _, _) = sources.position(f.at);
    let text = sources
        .get(f.at.file)
        .map(|s| s.line_text(line).trim())
        .unwrap_or("");
    let path = sources.path(f.at.file);
    format!("{:016x}", fnv1a(&[&f.rule_id, &f.resource, path, text]))
}

#[derive(Clone, Debug, Default)]
pub struct Baseline {
    pub fingerprints: BTreeSet<String>,
    /// (rule, resource, file) of every recorded finding, to list the fixed ones.
    pub entries: Vec<(String, String, String, String)>,
}

impl Baseline {
    pub fn parse(text: &str) -> Result<Baseline, Text> {
        let v: Value = serde_json::from_str(text).map_err(|e| {
            text!(
                "ベースラインが正しい JSON ではありません: 「{0}」",
                "baseline is not valid JSON: {0}",
                e
            )
        })?;
        if v.get("version").and_then(|x| x.as_u64()) != Some(1) {
            return Err(text!(
                "ベースラインの版に対応していません（version は 1）",
                "baseline: unsupported version (expected 1)"
            ));
        }
        let mut b = Baseline::default();
        for e in v
            .get("findings")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            let s = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            let fp = s("fingerprint");
            if fp.is_empty() {
                return Err(text!(
                    "ベースラインに fingerprint のない項目があります",
                    "baseline: an entry has no fingerprint"
                ));
            }
            b.fingerprints.insert(fp.clone());
            b.entries.push((s("rule_id"), s("resource"), s("file"), fp));
        }
        Ok(b)
    }

    pub fn render(o: &Outcome) -> String {
        let mut items: Vec<Value> = o
            .findings
            .iter()
            .filter(|f| f.status == crate::FindingStatus::Failed)
            .map(|f| {
                json!({
                    "rule_id": f.rule_id,
                    "resource": f.resource,
                    "file": o.sources.path(f.at.file),
                    "fingerprint": fingerprint(f, &o.sources),
                })
            })
            .collect();
        items.dedup();
        let mut s = serde_json::to_string_pretty(&json!({"version": 1, "findings": items}))
            .unwrap_or_default();
        s.push('\n');
        s
    }
}
