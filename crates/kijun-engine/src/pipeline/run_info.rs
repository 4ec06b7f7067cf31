//! The run record of a scan, built from its options: what every report states about how the
//! scan was configured.

use super::rule_selected;
use crate::run::{NotRun, NotRunReason, RunInfo};
use crate::{sha256, Options};
use kijun_rules::catalogue;

/// Names whose values a report must not repeat (`--var db_password=…` is typed on a command
/// line that CI logs hide, but a published report would not).
fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "key",
        "credential",
        "private",
    ]
    .iter()
    .any(|w| n.contains(w))
}

fn shown_value(name: &str, value: &str) -> String {
    if secret_name(name) {
        format!("(redacted; sha256 {})", sha256::hex(value.as_bytes()))
    } else {
        value.to_string()
    }
}

/// The run record of a scan with these options.
pub fn info(opts: &Options) -> RunInfo {
    let cat = catalogue();
    let mut not_run = Vec::new();
    for rule in &cat.rules {
        if rule.status == kijun_rules::Status::Deprecated {
            continue;
        }
        let skipped = opts
            .skip_rules
            .iter()
            .any(|r| r == &rule.id || r == &rule.name);
        let reason = if skipped {
            Some(NotRunReason::Skipped)
        } else if !rule_selected(rule, opts) {
            Some(NotRunReason::NotSelected)
        } else if opts
            .severity_threshold
            .is_some_and(|t| rule.applies.severity.values().any(|s| *s < t))
        {
            Some(NotRunReason::BelowThreshold)
        } else {
            None
        };
        if let Some(reason) = reason {
            not_run.push(NotRun {
                rule_id: rule.id.clone(),
                reason,
            });
        }
    }
    not_run.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
    RunInfo {
        now: opts.now.map(|d| d.to_string()).unwrap_or_default(),
        config: opts.config_file.clone(),
        isolated: opts.isolated,
        ledger: opts
            .ledger
            .as_ref()
            .map(|(p, t)| (p.clone(), sha256::hex(t.as_bytes()))),
        classification: opts.classification.clone(),
        allowed_regions: opts
            .settings
            .allowed_regions
            .iter()
            .map(|(c, r)| (c.key().to_string(), r.clone()))
            .collect(),
        only_rules: opts.only_rules.clone(),
        skip_rules: opts.skip_rules.clone(),
        articles: opts.articles.clone(),
        severity_threshold: opts.severity_threshold,
        vars: opts
            .terraform
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), shown_value(k, v)))
            .collect(),
        var_files: opts
            .terraform
            .var_files
            .iter()
            .map(|(p, _)| p.clone())
            .collect(),
        parameters: opts
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), shown_value(k, v)))
            .collect(),
        excluded: opts.excluded.clone(),
        not_run,
    }
}
