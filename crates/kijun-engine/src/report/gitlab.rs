//! GitLab Code Quality (the Code Climate issue subset GitLab reads): a JSON array, one issue per
//! failing finding, per value that could not be evaluated (severity info: not a pass), and per
//! file that could not be read (blocker). Excepted and baselined findings are left out: GitLab has
//! no notion of a suppressed issue.
//!
//! Fingerprints are unique within a report and stable when code moves up or down: they build on
//! the baseline fingerprint (rule, resource, file, the offending line's text) plus the
//! occurrence number of that fingerprint.

use super::{citation, inert, line_text, loc, sha256, ReportContext};
use crate::{baseline, FindingStatus, Outcome};
use kijun_model::Lang;
use kijun_rules::Severity;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// high → critical, medium → major, low → minor, info → info; `blocker` is kept for files that
/// could not be read (the scan itself is incomplete). A preview rule is at most minor.
pub fn severity(s: Severity, preview: bool) -> &'static str {
    match s {
        _ if preview && s >= Severity::Low => "minor",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// Numbers repeated keys: the n-th issue with the same key gets `key` hashed with n.
struct Unique(BTreeMap<String, usize>);

impl Unique {
    fn make(&mut self, key: String) -> String {
        let n = self.0.entry(key.clone()).or_insert(0);
        *n += 1;
        let h = sha256::hex(format!("{key}\u{0}{n}").as_bytes());
        h.get(..32).unwrap_or(&h).to_string()
    }
}

pub fn to_value(o: &Outcome, _ctx: &ReportContext) -> Value {
    let lang = o.lang;
    let mut unique = Unique(BTreeMap::new());
    let mut out = Vec::new();
    for e in &o.errors {
        let l = loc(o, e.at);
        let prefix = match lang {
            Lang::Ja => "読み込みエラー",
            Lang::En => "input error",
        };
        out.push(json!({
            "type": "issue",
            "engine_name": "kijun",
            "check_name": "kijun/input-error",
            "description": inert(&format!("{prefix}: {}", e.message.get(o.lang))),
            "categories": ["Bug Risk"],
            "fingerprint": unique.make(format!("input\u{0}{}\u{0}{}", l.path, e.message.en)),
            "severity": "blocker",
            "location": { "path": l.path, "lines": { "begin": l.line.max(1) } },
        }));
    }
    for f in o
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Failed)
    {
        let l = loc(o, f.at);
        let cites: Vec<String> = f.articles.iter().map(|a| citation(a, lang)).collect();
        let basis = match lang {
            Lang::Ja => format!("根拠: {}", cites.join("、")),
            Lang::En => format!("Basis: {}", cites.join(", ")),
        };
        let fix = match lang {
            Lang::Ja => "対処",
            Lang::En => "Remediation",
        };
        // An object read from a cluster: the description names its field (no line to open).
        let field = match &l.json_path {
            Some(_) => format!(" — {}", l.place(false)),
            None => String::new(),
        };
        out.push(json!({
            "type": "issue",
            "engine_name": "kijun",
            "check_name": inert(&f.rule_id),
            "description": inert(&format!("{}: {} ({}){field}", f.rule_id, f.message, cites.join(", "))),
            "content": { "body": format!("**{fix}:** {}\n\n{basis}\n\n`kijun explain {}`", f.remediation, f.rule_id) },
            "categories": ["Security"],
            "fingerprint": unique.make(baseline::fingerprint(f, &o.sources)),
            "severity": severity(f.severity, f.preview),
            "location": {
                "path": l.path,
                "lines": { "begin": l.line.max(1), "end": l.end_line.max(l.line).max(1) },
            },
        }));
    }
    for n in &o.not_evaluated {
        let l = loc(o, n.at);
        let rule = n.rule_id.as_deref().unwrap_or("kijun");
        let resource = n.resource.as_deref().unwrap_or("");
        let description = match lang {
            Lang::Ja => format!(
                "{rule}: 未評価（合格とはみなしません）: {resource} {}",
                n.reason
            ),
            Lang::En => format!(
                "{rule}: not evaluated (not counted as passed): {resource} {}",
                n.reason
            ),
        };
        let text = line_text(o, n.at.file, l.line).trim();
        out.push(json!({
            "type": "issue",
            "engine_name": "kijun",
            "check_name": inert(&format!("{rule}/not-evaluated")),
            "description": inert(&description),
            "categories": ["Security"],
            "fingerprint": unique.make(format!("not-evaluated\u{0}{rule}\u{0}{resource}\u{0}{}\u{0}{text}", l.path)),
            "severity": "info",
            "location": { "path": l.path, "lines": { "begin": l.line.max(1) } },
        }));
    }
    Value::Array(out)
}

pub fn render(o: &Outcome, ctx: &ReportContext) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(o, ctx)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_get_distinct_stable_fingerprints() {
        let mut u = Unique(BTreeMap::new());
        let a = u.make("k".into());
        let b = u.make("k".into());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let mut u2 = Unique(BTreeMap::new());
        assert_eq!(u2.make("k".into()), a);
    }

    #[test]
    fn severities_map_to_gitlab_levels() {
        assert_eq!(severity(Severity::High, false), "critical");
        assert_eq!(severity(Severity::Medium, false), "major");
        assert_eq!(severity(Severity::Low, false), "minor");
        assert_eq!(severity(Severity::Info, false), "info");
        assert_eq!(severity(Severity::High, true), "minor");
    }
}
