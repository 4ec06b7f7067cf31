//! The effective configuration of a scan, as every report records it: an inspector must be able
//! to re-run the same scan from the report alone, and a rule that was skipped, filtered out or
//! hidden by the severity threshold must show as *not run*, never as passed.

use crate::Classification;
use kijun_rules::Severity;
use serde_json::{json, Value};

pub use crate::config::ConfigFile;

/// Why a rule of the catalogue did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotRunReason {
    /// `--skip-rule` or `[rules] skip`.
    Skipped,
    /// Left out by `--rule` or `--article`.
    NotSelected,
    /// Some of its findings would be below `--severity-threshold` and hidden.
    BelowThreshold,
}

impl NotRunReason {
    pub fn as_str(self) -> &'static str {
        match self {
            NotRunReason::Skipped => "skipped",
            NotRunReason::NotSelected => "not-selected",
            NotRunReason::BelowThreshold => "below-threshold",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRun {
    pub rule_id: String,
    pub reason: NotRunReason,
}

/// What a scan was told, in the order reports show it.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    /// "Now" (YYYY-MM-DD), for exception expiry and dated facts.
    pub now: String,
    pub config: Option<ConfigFile>,
    /// `--isolated`: the scanned tree's kijun.toml files were ignored.
    pub isolated: bool,
    /// The exception ledger: (path as reported, SHA-256 of its text).
    pub ledger: Option<(String, String)>,
    pub classification: Classification,
    /// Allowed regions per cloud (`aws`, `azure`, `gcp`).
    pub allowed_regions: Vec<(String, Vec<String>)>,
    pub only_rules: Vec<String>,
    pub skip_rules: Vec<String>,
    pub articles: Vec<String>,
    pub severity_threshold: Option<Severity>,
    /// `--var name=value` (values of secret-looking names redacted), `--var-file` paths,
    /// `--parameter Name=Value`.
    pub vars: Vec<(String, String)>,
    pub var_files: Vec<String>,
    pub parameters: Vec<(String, String)>,
    /// `--exclude` and `[scan] exclude` patterns: paths the scan left out.
    pub excluded: Vec<String>,
    /// Catalogue rules this scan did not run, sorted by id.
    pub not_run: Vec<NotRun>,
}

impl RunInfo {
    /// The `run` object of the JSON report (and SARIF's `runs[].properties.configuration`).
    pub fn to_json(&self) -> Value {
        let pairs = |v: &[(String, String)]| -> Value {
            Value::Array(
                v.iter()
                    .map(|(k, x)| json!({"name": k, "value": x}))
                    .collect(),
            )
        };
        json!({
            "now": self.now,
            "config": self.config.as_ref().map(|c| json!({
                "path": c.path, "sha256": c.sha256, "in_tree": c.in_tree,
            })),
            "isolated": self.isolated,
            "ledger": self.ledger.as_ref().map(|(p, h)| json!({"path": p, "sha256": h})),
            "classification": {
                "confidentiality": self.classification.confidentiality,
                "integrity": self.classification.integrity,
                "availability": self.classification.availability,
                "source": self.classification.source.as_str(),
            },
            "allowed_regions": self.allowed_regions.iter()
                .map(|(c, r)| (c.clone(), json!(r)))
                .collect::<serde_json::Map<String, Value>>(),
            "rules": self.only_rules,
            "skip_rules": self.skip_rules,
            "articles": self.articles,
            "severity_threshold": self.severity_threshold.map(|s| s.as_str()),
            "vars": pairs(&self.vars),
            "var_files": self.var_files,
            "parameters": pairs(&self.parameters),
            "exclude": self.excluded,
            "not_run": self.not_run.iter()
                .map(|n| json!({"rule_id": n.rule_id, "reason": n.reason.as_str()}))
                .collect::<Vec<_>>(),
        })
    }

    /// Is this catalogue rule among those not run?
    pub fn not_run(&self, rule_id: &str) -> Option<NotRunReason> {
        self.not_run
            .binary_search_by(|n| n.rule_id.as_str().cmp(rule_id))
            .ok()
            .and_then(|i| self.not_run.get(i))
            .map(|n| n.reason)
    }
}
